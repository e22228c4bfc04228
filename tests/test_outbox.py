"""The outbox claims a row before delivering it: a store that fails after delivery never causes a storm, replicas
never deliver a row twice at once, the worker drops a repeat by its idempotency key, and logs scrub ids."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from bot.conversation.dispatch import Conversation
from bot.delivery.outbox import LogChannel, OutboxWorker
from bot.logs import Scrubber, scrub
from bot.storage import db
from bot.storage.discretion import HOLD_TO
from bot.storage.outbox_rows import LEASE, tag
from bot.storage.store import Store
from tests.conftest import Chat
from tests.flows import answer_report, rows


class Recording:
    """A channel that records what it delivered."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    async def deliver(self, row) -> None:
        self.keys.append(row.idempotency_key)


def disk_full(*_args, **_kwargs):
    raise OperationalError("UPDATE outbox", {}, Exception("database or disk is full"))


async def file_reports(conversation, count: int) -> None:
    """File `count` anonymous reports, each with one notification, and let their hold (until the next morning) pass."""
    for number in range(count):
        chat = Chat(conversation, "vvsg")
        chat.user = chat.user.__class__("msteams", f"aad-{number}", f"conv-{number}", name="Lies")
        await answer_report(chat, "schending van regels")
        await chat.press("Melding versturen")
    conversation.clock.advance(hours=HOLD_TO.total_seconds() / 3600)


async def test_a_store_failing_after_delivery_never_delivers_again_at_once(
    conversation, store, monkeypatch, clock, caplog
):
    await file_reports(conversation, 1)
    channel = Recording()
    worker = OutboxWorker(store, {"log": channel}, interval=0.01, max_pause=0.08)
    monkeypatch.setattr(store, "mark_delivered", disk_full)
    caplog.set_level(logging.ERROR, logger="bot.delivery.outbox")
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0.6)
    task.cancel()
    assert len(channel.keys) == 1  # delivered once, then held by its claim: no storm
    failures = [r.getMessage() for r in caplog.records if "outbox worker round failed" in r.getMessage()]
    assert 1 <= len(failures) < 20 and "disk is full" in failures[0]  # rounds back off instead of spinning
    (row,) = await rows(store, db.outbox)
    assert (row.status, row.attempts) == ("pending", 1) and row.claimed_until is not None

    # The disk is fixed. Once the claim ends the row is claimed again; the worker knows its key and only marks it.
    monkeypatch.undo()
    assert await worker.run_once() == 0
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert await worker.run_once() == 1
    assert channel.keys == [row.idempotency_key]
    (row,) = await rows(store, db.outbox)
    assert (row.status, row.attempts, row.claimed_until) == ("delivered", 2, None)


async def test_the_worker_pauses_longer_while_the_store_keeps_failing(store):
    worker = OutboxWorker(store, interval=2, max_pause=60)
    assert [worker.pause(n) for n in range(7)] == [2, 4, 8, 16, 32, 60, 60]


async def test_a_claim_that_cannot_be_written_delivers_nothing(conversation, store, monkeypatch):
    await file_reports(conversation, 1)
    channel = Recording()
    monkeypatch.setattr(store, "claim", disk_full)
    worker = OutboxWorker(store, {"log": channel})
    try:
        await worker.run_once()
    except OperationalError:
        pass
    assert channel.keys == []


async def test_two_replicas_deliver_each_row_once(conversation, store, database_url, clock):
    await file_reports(conversation, 12)
    other = await Store.open(database_url, clock)
    try:
        channel = Recording()
        workers = [OutboxWorker(store, {"log": channel}), OutboxWorker(other, {"log": channel})]
        counts = await asyncio.gather(*(worker.run_once() for worker in workers for _ in range(3)))
        assert sum(counts) == 12 and len(channel.keys) == 12 and len(set(channel.keys)) == 12
    finally:
        await other.close()
    assert {row.status for row in await rows(store, db.outbox)} == {"delivered"}


async def test_a_repeat_is_dropped_by_its_key_whatever_the_channel(conversation, store, caplog, clock, monkeypatch):
    """The store failed to mark a delivered row: claimed again, it is marked, not delivered a second time."""
    await file_reports(conversation, 1)
    caplog.set_level(logging.INFO, logger="bot.delivery.outbox")
    worker = OutboxWorker(store, {"log": LogChannel()})
    mark = store.mark_delivered

    async def disk_full(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(store, "mark_delivered", disk_full)
    with pytest.raises(OSError):
        await worker.run_once()
    monkeypatch.setattr(store, "mark_delivered", mark)
    clock.advance(minutes=6)  # the claim ran out: the row is claimed again
    assert await worker.run_once() == 1
    (row,) = await rows(store, db.outbox)
    lines = [r.getMessage() for r in caplog.records]
    assert sum(line.startswith(f"notification {tag(row)} to") for line in lines) == 1
    assert any("delivered before" in line for line in lines)


async def test_attempt_is_counted_when_claimed(conversation, store, clock):
    await file_reports(conversation, 1)
    (row,) = await store.claim(clock.now())
    assert row.attempts == 1 and row.claimed_until > clock.now().replace(tzinfo=None)  # SQLite keeps UTC, naive
    assert await store.claim(clock.now()) == []  # held
    assert len(await store.claim(clock.now() + LEASE + timedelta(seconds=1))) == 1


def test_scrub_removes_conversation_and_user_ids():
    lines = [
        'http://127.0.0.1:5000 "POST /v3/conversations/a%3A1AnonConv-Xy7Wq2/activities/act-1 HTTP/1.1" 201',
        "Max retries exceeded with url: /v3/conversations/19:abcdef1234567890@thread.tacv2/activities",
        "from 29:1AnonUser-q8Zr5VtKp3LmN2bX in a:1AnonConversationId42",
    ]
    scrubbed = "\n".join(scrub(line) for line in lines)
    for secret in ("1AnonConv", "abcdef1234567890", "1AnonUser", "1AnonConversationId42"):
        assert secret not in scrubbed
    assert scrub("retry at 19:45:00") == "retry at 19:45:00"  # times stay readable


def test_scrub_removes_slack_ids_and_keeps_references():
    scrubbed = scrub("DM to U0123ABCD9 in D0ABC12345 of T01ABCDEF2 for M-2026-0001; CONFIRMED")
    assert all(secret not in scrubbed for secret in ("U0123ABCD9", "D0ABC12345", "T01ABCDEF2"))
    assert "M-2026-0001" in scrubbed and "CONFIRMED" in scrubbed


def test_scrubber_cleans_tracebacks_too():
    try:
        raise ConnectionError("POST /v3/conversations/a%3A1AnonConv-Xy7Wq2/activities failed")
    except ConnectionError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "send to %s failed", ("29:1AnonUserXYZ123",), None)
        record.exc_info = __import__("sys").exc_info()
    Scrubber().filter(record)
    text = logging.Formatter().format(record)
    assert "1AnonConv" not in text and "1AnonUserXYZ123" not in text and "Traceback" in text


class Slow:
    """A channel whose every delivery takes two minutes of (test clock) time."""

    def __init__(self, clock) -> None:
        self.clock = clock
        self.keys: list[str] = []

    async def deliver(self, row) -> None:
        self.keys.append(row.idempotency_key)
        self.clock.advance(minutes=2)


async def test_a_round_stops_when_its_claim_runs_out(conversation, store, clock):
    await file_reports(conversation, 5)
    channel = Slow(clock)
    worker = OutboxWorker(store, {"log": channel})
    # The lease is 5 minutes: three deliveries fit; the rest are left for a later claim, never sent past it.
    assert await worker.run_once() == 3
    assert await worker.run_once() == 2
    assert len(channel.keys) == 5 == len(set(channel.keys))


async def test_a_channel_that_fails_for_good_hands_over_to_the_recipients_next_channel(
    content, store, directory, clock
):
    teams_and_mail = Conversation.build(content, store, directory, {"log", "msteams", "email"})
    chat = Chat(teams_and_mail, "kortrijk")
    await answer_report(chat, "schending van regels")
    await chat.press("Melding versturen")
    clock.advance(seconds=HOLD_TO.total_seconds())  # anonymous: announced the next morning
    (row,) = await rows(store, db.outbox)
    assert row.channel == "msteams"

    class Down:
        async def deliver(self, row) -> None:
            raise ConnectionError("Teams is down")

    mail = Recording()
    worker = OutboxWorker(store, {"log": LogChannel(), "msteams": Down(), "email": mail}, max_attempts=1)
    assert await worker.run_once() == 0
    assert await worker.run_once() == 1  # the mail channel took over
    teams_row, mail_row = await rows(store, db.outbox)
    assert (teams_row.status, mail_row.status, mail_row.channel) == ("failed", "delivered", "email")
    assert mail.keys == [mail_row.idempotency_key] and mail_row.idempotency_key != teams_row.idempotency_key
    assert mail_row.card == teams_row.card and mail_row.recipient["email"] == "meldpunt@kortrijk.example"
