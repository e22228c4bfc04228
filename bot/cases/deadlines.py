"""The terms a report sets: acknowledgement within 7 days, feedback within 3 months, and a two-week term."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from bot.knowledge.basis import ACK_DAYS, FEEDBACK_MONTHS
from bot.knowledge.packs import Role

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


# What meets each term: the first reaction to the reporter meets the acknowledgement (a question tells them it
# arrived too, and the card stops offering 'bevestigen' after one), closing meets the feedback; any reaction meets a
# code's own reply term.
MEETS = {
    "Ontvangstbevestiging uiterlijk": ("bevestigd", "bericht", "afgesloten"),
    "Feedback uiterlijk": ("afgesloten",),
    "Reactie uiterlijk": ("bevestigd", "bericht", "afgesloten"),
}


@dataclass(frozen=True)
class TermState:
    """One deadline of a case and where it stands: met on a day, missed, or still running."""

    label: str
    day: date
    met_on: date | None
    today: date

    @property
    def missed(self) -> bool:
        """Met too late, or the day passed with nothing that meets it."""
        return (self.met_on or self.today) > self.day

    def describe(self) -> str:
        """In Dutch, for the reporter: 'Ontvangstbevestiging uiterlijk 01/12/2026: gehaald (27/11/2026)'."""
        if self.met_on is not None:
            how = "gehaald" if self.met_on <= self.day else "te laat"
            return f"{self.label} {self.day:%d/%m/%Y}: {how} ({self.met_on:%d/%m/%Y})"
        return f"{self.label} {self.day:%d/%m/%Y}: " + ("niet gehaald" if self.today > self.day else "loopt nog")


def term_states(role: Role | None, received: date, events: list, today: date) -> list[TermState]:
    """Each deadline that binds the case's role, with the first event that met it (events: type and on_date)."""
    states = []
    for label, day in role_deadlines(role, received):
        meeting = sorted(event.on_date for event in events if event.type in MEETS.get(label, ()))
        states.append(TermState(label, day, meeting[0] if meeting else None, today))
    return states
