"""The service's clock: the current moment in UTC and today's date in Brussels, replaceable in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Dates the bot shows and numbers references by (M-2027-0001) are Belgian calendar dates: just after midnight
# in Brussels it is already the new day while UTC still has the old one.
BRUSSELS = ZoneInfo("Europe/Brussels")


class Clock:
    """The wall clock; the one place the service reads the time."""

    def now(self) -> datetime:
        """The current moment, timezone-aware in UTC."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's calendar date in Brussels."""
        return self.now().astimezone(BRUSSELS).date()

    def day_mark(self) -> datetime:
        """Today's Brussels date as a moment at 00:00 UTC: the day and nothing of the time, for timestamps that
        must not tell when someone did something (an anonymous report, a reporter's last message)."""
        return day_mark(self.today())


def stored(moment: datetime) -> datetime:
    """A moment as read back from a timestamp column, in UTC: SQLite hands it back without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(moment: datetime) -> datetime:
    """A moment (stored, or the clock's) in Brussels time, as people read it."""
    return stored(moment).astimezone(BRUSSELS)


def day_mark(day: date) -> datetime:
    """A calendar date as a timestamp column holds it without any time: 00:00 UTC of that date."""
    return datetime.combine(day, time(0), UTC)


class FixedClock(Clock):
    """A clock that stands still at a settable moment until told to move; for tests."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    @property
    def moment(self) -> datetime:
        """The moment the clock shows, in UTC."""
        return self._moment

    @moment.setter
    def moment(self, value: datetime) -> None:
        # A naive datetime would be read as local time by some code and as UTC by other code.
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"FixedClock needs a timezone-aware datetime, got {value!r}")
        self._moment = value.astimezone(UTC)

    def now(self) -> datetime:
        """The moment the clock was set to."""
        return self._moment

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by timedelta(**delta) (days=, hours=, seconds=, ...); returns the new moment."""
        self.moment = self._moment + timedelta(**delta)
        return self._moment
