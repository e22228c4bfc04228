"""The terms a report sets: acknowledgement within 7 days, feedback within 3 months, and a two-week term."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from bot.knowledge.packs import Role

ACK_DAYS = 7  # the reporter gets an acknowledgement of receipt within seven days
FEEDBACK_MONTHS = 3  # and feedback on what was done within three months
TWO_WEEKS_DAYS = 14


def add_days(day: date, n: int) -> date:
    """The date n calendar days later (earlier when n is negative)."""
    return day + timedelta(days=n)


def add_months(day: date, n: int) -> date:
    """The same day n months later, or that month's last day when it has fewer days (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + n
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Terms:
    """The deadlines that run from the day a report was received."""

    received: date

    @property
    def acknowledgement(self) -> date:
        """The last day to confirm receipt to the reporter."""
        return add_days(self.received, ACK_DAYS)

    @property
    def feedback(self) -> date:
        """The last day to tell the reporter what was done."""
        return add_months(self.received, FEEDBACK_MONTHS)

    @property
    def two_weeks(self) -> date:
        """The day two weeks after receipt."""
        return add_days(self.received, TWO_WEEKS_DAYS)


def role_deadlines(role: Role | None, received: date) -> list[tuple[str, date]]:
    """The deadlines that bind this recipient, labelled in Dutch: the law's for the reporting point, the code's own
    term where it sets one, none otherwise."""
    if role is None:
        return []
    terms = Terms(received)
    if role.reporting_point is not None:
        return [("Ontvangstbevestiging uiterlijk", terms.acknowledgement), ("Feedback uiterlijk", terms.feedback)]
    if role.response is not None:
        return [("Reactie uiterlijk", add_days(received, role.response.days))]
    return []
