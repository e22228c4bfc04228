"""When a notification about an anonymous report may go out: once a day, the morning after, so neither its arrival
nor anything the bot stores tells when in the day the report was filed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.clock import BRUSSELS, Clock

# Anonymous reports and addenda to anonymous cases are announced together, at this hour (Brussels) of the day after
# they were filed. A random delay of some minutes would be stored as a due time just after the filing, and the card
# would reach the handler's chat just after it: both point at the moment. A fixed morning hour for the whole day's
# reports points at nothing but the day. The law's terms count in days from the day received, so they are untouched.
RELEASE_AT = time(8, 0)
# The longest wait: filed just after midnight, announced at 08:00 the next day (tests advance the clock by this).
HOLD_TO = timedelta(days=1, hours=RELEASE_AT.hour, minutes=1)


def held_until(clock: Clock) -> datetime:
    """When the notifications of an anonymous report filed today go out: at RELEASE_AT tomorrow (Brussels), in UTC;
    the same moment for every anonymous report of the day."""
    return release_of(clock.today())


def release_of(received_on: date) -> datetime:
    """When a case received that day, if anonymous, is announced: RELEASE_AT the next morning (Brussels), in UTC."""
    return datetime.combine(received_on + timedelta(days=1), RELEASE_AT, BRUSSELS).astimezone(UTC)


def released(case: object, now: datetime) -> bool:
    """Whether handlers may see a case yet: a named one at once, an anonymous one from its morning release on.
    Seen earlier, in 'meldingen' or opened, its handlers' timed audit entries would bracket when it was filed."""
    return not getattr(case, "anonymous", False) or now >= release_of(case.received_on)
