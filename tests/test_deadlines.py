"""Deadlines across month ends, year ends and 29 February, the Brussels date, and the terms a reporter is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.cases.deadlines import Terms, add_days, add_months
from bot.clock import BRUSSELS, FixedClock
from tests.conftest import Chat
from tests.flows import answer_report, receipt_code

D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-12-30", 7, "2027-01-06"),  # over the year end
        ("2026-12-31", 1, "2027-01-01"),
        ("2026-12-25", 14, "2027-01-08"),
        ("2026-11-24", 7, "2026-12-01"),  # over a month of 30 days
        ("2026-01-31", 1, "2026-02-01"),
        ("2027-02-28", 1, "2027-03-01"),  # no 29 February in 2027
        ("2028-02-28", 1, "2028-02-29"),
        ("2028-02-29", 7, "2028-03-07"),
        ("2027-01-01", -1, "2026-12-31"),
        ("2026-05-31", 0, "2026-05-31"),
    ],
)
def test_add_days(day, n, expected):
    assert add_days(D(day), n) == D(expected)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2026-12-30", 3, "2027-03-30"),  # over the year end
        ("2026-10-31", 3, "2027-01-31"),
        ("2026-12-31", 12, "2027-12-31"),
        ("2027-01-01", 3, "2027-04-01"),
        ("2026-11-30", 3, "2027-02-28"),  # February is shorter: its last day
        ("2027-11-30", 3, "2028-02-29"),  # ... which is the 29th in a leap year
        ("2027-01-31", 1, "2027-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-12-31", 2, "2027-02-28"),
        ("2027-12-31", 2, "2028-02-29"),
        ("2026-08-31", 1, "2026-09-30"),
        ("2028-02-29", 3, "2028-05-29"),  # from 29 February the day stays the 29th
        ("2028-02-29", 12, "2029-02-28"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-15", -1, "2025-12-15"),
        ("2026-05-31", 0, "2026-05-31"),
    ],
)
def test_add_months(day, n, expected):
    assert add_months(D(day), n) == D(expected)


@pytest.mark.parametrize(
    ("received", "acknowledgement", "feedback", "two_weeks"),
    [
        ("2026-11-24", "2026-12-01", "2027-02-24", "2026-12-08"),
        ("2026-11-30", "2026-12-07", "2027-02-28", "2026-12-14"),
        ("2026-12-25", "2027-01-01", "2027-03-25", "2027-01-08"),
        ("2026-12-30", "2027-01-06", "2027-03-30", "2027-01-13"),
        ("2026-12-31", "2027-01-07", "2027-03-31", "2027-01-14"),
        ("2027-01-01", "2027-01-08", "2027-04-01", "2027-01-15"),
        ("2027-11-30", "2027-12-07", "2028-02-29", "2027-12-14"),
        ("2028-02-29", "2028-03-07", "2028-05-29", "2028-03-14"),
    ],
)
def test_terms_of_a_report(received, acknowledgement, feedback, two_weeks):
    terms = Terms(D(received))
    assert (terms.acknowledgement, terms.feedback, terms.two_weeks) == (D(acknowledgement), D(feedback), D(two_weeks))


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        (datetime(2026, 12, 31, 22, 59, tzinfo=UTC), "2026-12-31"),
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "2027-01-01"),  # already New Year in Brussels (UTC+1)
        (datetime(2027, 6, 30, 22, 30, tzinfo=UTC), "2027-07-01"),  # summer time: UTC+2
        (datetime(2028, 2, 29, 0, 30, tzinfo=BRUSSELS), "2028-02-29"),
    ],
)
def test_today_is_the_date_in_brussels(moment, today):
    clock = FixedClock(moment)
    assert clock.now().tzinfo == UTC and clock.today() == D(today)


def test_fixed_clock_moves_only_when_told_and_refuses_naive_times():
    clock = FixedClock(datetime(2026, 12, 31, 12, tzinfo=BRUSSELS))
    assert clock.now() == clock.now() == datetime(2026, 12, 31, 11, tzinfo=UTC)
    assert clock.advance(days=1) == datetime(2027, 1, 1, 11, tzinfo=UTC) and clock.today() == D("2027-01-01")
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 12, 31, 12))
    with pytest.raises(ValueError):
        clock.moment = datetime(2026, 12, 31, 12)


async def file_report(chat: Chat) -> str:
    """File an anonymous report; returns its receipt code."""
    await answer_report(chat, "schending van regels")
    await chat.press("Melding versturen")
    return receipt_code(chat.text)


async def test_reports_over_new_year_get_this_years_terms_and_a_new_numbering(conversation, store, clock):
    clock.moment = datetime(2026, 12, 30, 10, tzinfo=BRUSSELS)
    chat = Chat(conversation, "kortrijk")
    code = await file_report(chat)
    assert "Referentie: M-2026-0001" in chat.text
    clock.advance(days=2)  # the reporter looks again on New Year's Day
    await chat.say(f"status {code}")
    assert "M-2026-0001: ontvangen" in chat.text and "30/12/2026" in chat.text
    assert "uiterlijk 06/01/2027" in chat.text and "uiterlijk 30/03/2027" in chat.text

    assert clock.today() == D("2027-01-01")
    await file_report(chat)
    assert "Referentie: M-2027-0001" in chat.text  # numbering starts again each year
