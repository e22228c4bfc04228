"""Issue 19, point 3: an anonymous report (and its addendum) leaves no time of day in any row and no reference in the
log, and its notification goes out the morning after, with every other anonymous one of that day."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.clock import BRUSSELS
from bot.delivery.outbox import OutboxWorker
from bot.storage import db
from bot.storage.discretion import HOLD_TO, RELEASE_AT, held_until
from bot.storage.filing import SENT_FLOW
from bot.storage.outbox_rows import tag
from bot.vocabulary.turns import Turn, UserRef
from tests.conftest import Chat
from tests.flows import DESCRIPTION, TYPED_REPORT, all_rows, answer_report, receipt_code, rows
from tests.teams_chat import TeamsChat

ADDENDUM = "Ook de offertes van vorig jaar werden nooit vergeleken, zegt de boekhouding."
HANDLER = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt (fictief)")
CLOCK_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2})?")


def utc(moment: datetime) -> datetime:
    """A stored moment as aware UTC (SQLite hands them back naive)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def times_of_day(tables: dict[str, list[Any]]) -> list[tuple[str, str, Any]]:
    """Every timestamp (column, or a time inside a JSON or text value) of every row that is not 00:00:00."""
    found = []
    for table, table_rows in tables.items():
        for row in table_rows:
            for column, value in row._mapping.items():
                if isinstance(value, datetime):
                    if value.time() != time(0):
                        found.append((table, column, value))
                elif isinstance(value, dict | list | str):
                    text = value if isinstance(value, str) else json.dumps(value)
                    found += [(table, column, hit) for hit in CLOCK_TIME.findall(text) if hit.strip("0:")]
    return found


def wal_of(database_url: str) -> bytes:
    """What SQLite's WAL of a test database holds now (nothing when it is gone)."""
    wal = Path(database_url.removeprefix("sqlite+aiosqlite:///") + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def log_text(caplog) -> str:
    """Every captured line, tracebacks included."""
    return "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)


async def press_unsettled(chat: Chat, label: str) -> str:
    """Press a confirm button as a channel that dies before its reply is sent: the marker stays; returns the text."""
    (value,) = [choice.value for reply in chat.last for choice in reply.choices if choice.label == label]
    chat.last = await chat.conversation.handle(Turn(org=chat.org, user=chat.user, value=value))
    return chat.text


async def test_an_anonymous_report_and_its_addendum_keep_only_their_day(conversation, store, clock, caplog):
    caplog.set_level(logging.DEBUG)
    clock.advance(seconds=1234.567)  # 10:20:34.567: a time of day any stored moment would show
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels", identity="Anoniem")
    filed = clock.now()
    confirmation = await press_unsettled(chat, "Melding versturen")
    code, reference = receipt_code(confirmation), re.search(r"M-\d{4}-\d{4}", confirmation).group(0)
    # The marker that waits for the confirmation to be sent holds the day only, in its row and in its state.
    (marker,) = await rows(store, db.flow_state)
    assert marker.flow == SENT_FLOW and times_of_day({"flow_state": [marker]}) == []
    await chat.conversation.settle(chat.card_turn(), chat.last)

    (held,) = await rows(store, db.outbox)
    morning = datetime.combine(filed.astimezone(BRUSSELS).date() + timedelta(days=1), RELEASE_AT, BRUSSELS)
    assert held.status == "pending" and utc(held.next_attempt_at) == morning  # the day's release: nothing of when
    worker = OutboxWorker(store)
    assert await worker.run_once() == 0  # not at the second of filing

    clock.advance(minutes=3)
    await chat.say(f"aanvullen {code}")
    await chat.say(ADDENDUM)
    assert "Je aanvulling is bewaard" in await press_unsettled(chat, "Aanvulling versturen")
    (marker,) = await rows(store, db.flow_state)
    assert marker.flow == SENT_FLOW and times_of_day({"flow_state": [marker]}) == []
    await chat.conversation.settle(chat.card_turn(), chat.last)
    _, addendum_row = await rows(store, db.outbox)
    assert addendum_row.kind == "addendum" and utc(addendum_row.next_attempt_at) == morning
    clock.moment = morning - timedelta(seconds=1)
    assert await worker.run_once() == 0

    clock.moment = morning
    assert await worker.run_once() == 2  # both delivered together, the morning after the day of filing
    assert {row.status for row in await rows(store, db.outbox)} == {"delivered"}
    assert times_of_day(await all_rows(store)) == []

    logged = log_text(caplog)
    assert all(f"notification {tag(row)} to " in logged for row in await rows(store, db.outbox))
    assert "notification #" not in logged  # never the row's number, which counts up
    for secret in (reference, code, code.replace("-", ""), DESCRIPTION, ADDENDUM):
        assert secret not in logged, secret


async def test_over_teams_nothing_stored_or_logged_tells_the_moment(start_bot, store, clock, caplog):
    caplog.set_level(logging.DEBUG)
    clock.advance(seconds=1234.567)
    bot = await start_bot(teams_notify=True)
    employee = TeamsChat(bot)
    for text in TYPED_REPORT:
        await employee.say(text)
    await employee.say("verzenden")
    confirmation = employee.text
    code, reference = receipt_code(confirmation), re.search(r"M-\d{4}-\d{4}", confirmation).group(0)
    await employee.say(f"aanvullen {code}")
    await employee.say(ADDENDUM)
    await employee.press("Aanvulling versturen")
    assert "Je aanvulling is bewaard" in employee.text
    # The reporter hears, honestly, when the handler will: the morning after, with the day's other reports.
    assert "morgenochtend om 8 uur" in confirmation and "morgenochtend om 8 uur" in employee.text

    await asyncio.sleep(0.3)  # the service's worker runs every 0.05 s: nothing is due yet
    assert bot.connector.created == []
    assert [row.status for row in await rows(store, db.outbox)] == ["pending", "pending"]
    (tenant,) = await rows(store, db.teams_tenants)  # learnt from the reporter's own messages: the day only
    assert tenant.updated_at.time() == time(0)

    clock.advance(seconds=HOLD_TO.total_seconds())
    for _ in range(100):
        if [row.status for row in await rows(store, db.outbox)] == ["delivered", "delivered"]:
            break
        await asyncio.sleep(0.05)
    assert [row.status for row in await rows(store, db.outbox)] == ["delivered", "delivered"]
    assert len(bot.connector.created) == 1  # the meldpunt's chat, opened for the first card, used for the second
    assert times_of_day(await all_rows(store)) == []

    logged = log_text(caplog)
    assert "delivered in Teams" in logged
    for secret in (reference, code, code.replace("-", ""), DESCRIPTION, ADDENDUM, "An Peeters", "aad-user-1"):
        assert secret not in logged, secret


async def test_every_anonymous_report_of_a_day_is_announced_at_the_same_moment(conversation, store, clock):
    """Filed early and late on one day: their rows are alike in everything that could tell when."""
    dues = []
    for moment in (time(0, 1), time(9, 13), time(23, 59)):
        clock.moment = datetime.combine(clock.today(), moment, BRUSSELS)
        dues.append(held_until(clock))
    assert len(set(dues)) == 1
    (due,) = set(dues)
    assert due.astimezone(BRUSSELS).date() == clock.today() + timedelta(days=1)
    assert due.astimezone(BRUSSELS).time() == RELEASE_AT and due - clock.now() <= HOLD_TO

    for moment in (time(9, 13), time(17, 42)):
        clock.moment = datetime.combine(clock.today(), moment, BRUSSELS)
        chat = Chat(conversation, "kortrijk")
        await answer_report(chat, "schending van regels", identity="Anoniem")
        await chat.press("Melding versturen")
    first, second = await rows(store, db.outbox)
    when = ("next_attempt_at", "created_at", "claimed_until", "delivered_at", "status", "attempts")
    assert [getattr(first, column) for column in when] == [getattr(second, column) for column in when]


async def test_a_named_report_is_not_held(conversation, store, clock):
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels", identity="Met mijn naam")
    await chat.press("Melding versturen")
    assert await OutboxWorker(store).run_once() == 1
    assert times_of_day(await all_rows(store)) == []


async def test_handlers_see_an_anonymous_case_from_its_morning_release_on(conversation, store, clock, database_url):
    """Before 08:00 the next morning an anonymous case is in no overview and opens for nobody, so no handler's
    timed audit entry can bracket when it was filed; its filing leaves nothing in SQLite's WAL either."""
    clock.moment = datetime.combine(clock.today(), time(10, 20), BRUSSELS)
    handler = Chat(conversation, "kortrijk", HANDLER)
    await handler.say("meldingen")
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels", identity="Anoniem")
    await chat.press("Melding versturen")
    reference = re.search(r"M-\d{4}-\d{4}", chat.text).group(0)
    # Emptied straight after the filing and its audit entry: only the removal of the sealed marker may follow.
    assert reference.encode() not in wal_of(database_url)
    named = Chat(conversation, "kortrijk", UserRef("msteams", "aad-named-1", "a:named-1", name="Nand Genoemd"))
    await answer_report(named, "schending van regels", identity="Met mijn naam")
    await named.press("Melding versturen")

    await handler.say("meldingen")
    assert reference not in handler.text and "M-" in handler.text  # the named one, at once
    await handler.say(f"melding {reference}")
    assert DESCRIPTION not in handler.text
    result = await conversation.act(handler.card_turn(), "report", reference, "bevestigen", None)
    assert not result.done
    assert reference not in " ".join(str(entry.reference) for entry in await store.audit_entries() if entry.at)

    clock.moment = datetime.combine(clock.today() + timedelta(days=1), RELEASE_AT, BRUSSELS)
    await handler.say("meldingen")
    assert reference in handler.text
    await handler.say(f"melding {reference}")
    assert DESCRIPTION in handler.text
