"""When a notification about an anonymous report may go out: after a random delay, so its arrival tells no one
when the report was filed."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from bot.clock import BRUSSELS, Clock

# The delay of an anonymous report's (or its addendum's) notifications: long enough that the moment it reaches the
# handler's chat does not match the moment the reporter pressed "versturen" in theirs, short enough for the same day.
HOLD_FROM = timedelta(minutes=15)
HOLD_TO = timedelta(minutes=120)


def end_of_day(clock: Clock) -> datetime:
    """The last second of today in Brussels, in UTC."""
    tomorrow = datetime.combine(clock.today() + timedelta(days=1), time(0), BRUSSELS)
    return tomorrow.astimezone(UTC) - timedelta(seconds=1)


def held_until(clock: Clock) -> datetime:
    """A moment 15 to 120 minutes from now, drawn by a CSPRNG, and never later than today (Brussels): the handler
    still hears of it the same day, and the 7-day acknowledgement term counts from that day anyway."""
    now, last = clock.now(), end_of_day(clock)
    early, late = min(now + HOLD_FROM, last), min(now + HOLD_TO, last)
    span = max(int((late - early).total_seconds()), 0)
    return max(early + timedelta(seconds=secrets.randbelow(span + 1)), now)
