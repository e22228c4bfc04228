"""Nothing lost: restarts mid-flow, one transaction for case and outbox, delivery once, retries, and the outbox CLI."""

from __future__ import annotations

import ast
import asyncio
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import bot.storage.filing_rows
import bot.storage.secret
import bot.storage.store
from bot.conversation.dispatch import Conversation
from bot.delivery.outbox import OutboxWorker
from bot.storage import db
from bot.storage.discretion import HOLD_TO
from bot.storage.outbox_rows import tag
from bot.storage.store import Store
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat, reference
from tests.flows import DESCRIPTION, all_rows, answer_report, rows
from tests.teams_chat import shown_text

ROOT = Path(__file__).resolve().parent.parent


async def wait_for(condition, rounds: int = 100) -> None:
    """Poll an async condition until it holds (every 50 ms)."""
    for _ in range(rounds):
        if await condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_flow_continues_after_the_service_restarts(start_bot, database_url, clock):
    first = await start_bot()
    await first.say("melden")
    await first.say("Een schending van regels (fraude, corruptie, belangenvermenging)")
    await first.say("anoniem")  # the identity comes before anything about the people around the reporter
    await first.say("nee")
    await first.say(DESCRIPTION)
    await first.server.close()  # the service stops mid-flow

    second = await start_bot()
    sent = await second.say("vorige week")
    assert "Waar gebeurde het" in sent[0]["text"]
    for answer in ("overslaan", "nee"):
        sent = await second.say(answer)
    assert "Dit is je melding" in sent[0]["summary"] and DESCRIPTION in sent[0]["summary"]  # a card
    sent = await second.say("verzenden")
    assert f"Referentie: {reference(clock)}" in shown_text(sent[0])  # a card, with the code


async def test_failure_between_case_and_outbox_leaves_neither(conversation, store, monkeypatch, clock):
    chat = Chat(conversation, "igo")
    await answer_report(chat, "schending van regels")

    async def broken(*args, **kwargs):
        raise RuntimeError("disk full while queueing")

    monkeypatch.setattr(bot.storage.filing_rows, "enqueue", broken)
    await chat.press("Melding versturen")
    assert "nog niets verstuurd" in chat.text
    assert await rows(store, db.cases) == [] and await rows(store, db.case_events) == []
    assert await rows(store, db.outbox) == []
    monkeypatch.undo()
    await chat.say("verzenden")  # the answers were kept: sending again works
    assert f"Referentie: {reference(clock)}" in chat.text
    assert len(await rows(store, db.cases)) == 1 and len(await rows(store, db.outbox)) == 1


async def test_outbox_row_survives_a_restart_and_is_delivered_once(
    content, directory, database_url, start_bot, caplog, clock
):
    caplog.set_level(logging.INFO)
    store = await Store.open(database_url, clock)
    chat = Chat(Conversation.build(content, store, directory), "kortrijk")
    await answer_report(chat, "schending van regels")
    await chat.press("Melding versturen")
    await store.close()  # no worker ran: the notification waits in the database
    clock.advance(seconds=HOLD_TO.total_seconds())  # anonymous: announced the next morning

    async def delivered() -> bool:
        check = await Store.open(database_url)
        try:
            return [row.status for row in await rows(check, db.outbox)] == ["delivered"]
        finally:
            await check.close()

    running = await start_bot()
    await wait_for(delivered)
    await running.server.close()
    await start_bot()  # and once more: nothing is sent again
    await asyncio.sleep(0.3)
    (row,) = await rows(store, db.outbox)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith(f"notification {tag(row)} ")]
    assert len(lines) == 1, lines
    # Its kind and role, never its card or reference (issue 19: an anonymous report's reference stays out of the log).
    assert "report" in lines[0] and reference(clock) not in lines[0] and DESCRIPTION not in lines[0]


class Failing:
    """A channel that is down."""

    def __init__(self) -> None:
        self.calls = 0

    async def deliver(self, row) -> None:
        self.calls += 1
        raise ConnectionError("connector unreachable")


async def test_failed_delivery_is_retried_with_back_off_then_listed(conversation, store, database_url, clock):
    chat = Chat(conversation, "vvsg")
    await answer_report(chat, "schending van regels")
    await chat.press("Melding versturen")
    clock.advance(seconds=HOLD_TO.total_seconds())  # anonymous: announced the next morning
    channel = Failing()
    worker = OutboxWorker(store, {"log": channel}, base_delay=5, max_attempts=2)
    assert await worker.run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert (row.status, row.attempts, "connector unreachable" in row.last_error) == ("pending", 1, True)
    assert await worker.run_once() == 0 and channel.calls == 1  # not due yet: back-off
    clock.advance(seconds=6)
    await worker.run_once()
    (row,) = await rows(store, db.outbox)
    assert (row.status, row.attempts, channel.calls) == ("failed", 2, 2)

    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    listed = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "outbox"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert listed.returncode == 0, listed.stderr
    assert "failed" in listed.stdout and reference(clock) in listed.stdout and "connector unreachable" in listed.stdout
    retried = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "outbox", "retry"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert "1 failed notifications queued again" in retried.stdout
    (row,) = await rows(store, db.outbox)
    # The command ran in its own process on the wall clock: deliver at the moment it set, not the test's.
    assert await OutboxWorker(store).run_once(row.next_attempt_at) == 1
    (row,) = await rows(store, db.outbox)
    assert row.status == "delivered"


async def test_gift_flow_over_http_through_the_fake_connector(start_bot, database_url, clock):
    teams = await start_bot(org="putte")
    answers = ["geschenk", "gift", "klant", "een inwoner", "€ 25", "ja", "nee", "nee", "ja", "Jan Janssens"]
    for answer in answers:
        sent = await teams.say(answer)
    summary = sent[0]
    assert "Dit is je melding voor het geschenkenregister" in summary["summary"]  # a card
    assert summary["attachments"][0]["content"]["actions"][0]["title"] == "Geschenk melden"
    sent = await teams.say("verzenden")
    assert reference(clock, "G") in sent[0]["text"]
    store = await Store.open(database_url)
    try:
        (gift,) = await rows(store, db.gifts)
        assert (gift.employee_name, gift.employee_user_id, gift.value_eur) == ("An Peeters", "aad-user-1", 25.0)
        assert gift.advice == "discuss_first" and gift.advice_section == "privebelangen-en-relatiegeschenken"

        async def delivered() -> bool:
            return [row.status for row in await rows(store, db.outbox)] == ["delivered"]

        await wait_for(delivered)
        assert await rows(store, db.flow_state) == []
    finally:
        await store.close()


async def test_restart_keeps_everything_stored(content, directory, database_url, clock):
    first = await Store.open(database_url, clock)
    chat = Chat(Conversation.build(content, first, directory), "putte")
    await answer_report(chat, "Misbruik", identity="Met mijn naam")
    await first.close()
    second = await Store.open(database_url)  # migrations run again and change nothing
    try:
        tables = await all_rows(second)
        assert len(tables["flow_state"]) == 1 and tables["cases"] == []
    finally:
        await second.close()


def test_dialogs_import_no_channel_sdk():
    paths = list((ROOT / "dialogs").glob("*.py"))
    assert len(paths) >= 5
    for path in paths:
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m.split(".")[0] in {"botbuilder", "slack_bolt", "slack_sdk", "aiohttp"}}, (
            path
        )


def test_content_check_reports_roles_without_people(tmp_path):
    contacts = tmp_path / "contacts.yaml"
    contacts.write_text("orgs:\n  kortrijk:\n    algemeen-directeur:\n      - {name: Echte Persoon}\n")
    env = {"INTEGRITEITSBOT_CONTACTS": str(contacts), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "Warning: kortrijk: role 'preventiedienst' receives cases but has nobody" in result.stdout
    assert "kortrijk: role 'algemeen-directeur'" not in result.stdout
    contacts.write_text("orgs:\n  kortrijk:\n    leidinggevende:\n      - {name: X}\n    burgemeester: []\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 2
    assert (
        "each employee names their own leidinggevende" in result.stderr
        and "burgemeester: unknown role" in result.stderr
    )


def test_store_module_keeps_conversation_ids_out_of_the_flow_table(store):
    # Issue 19: the key is an HMAC under the server secret and includes the user, not only the conversation.
    one = UserRef("msteams", "aad-1", "a:conv-1")
    assert store.flow_key(one) != "a:conv-1" and len(store.flow_key(one)) == 64
    assert store.flow_key(one) != store.flow_key(UserRef("msteams", "aad-2", "a:conv-1"))
    assert store.flow_key(one) != bot.storage.secret.ServerSecret(bytes(32)).flow_key("msteams", "a:conv-1", "aad-1")


async def test_abandoned_flows_are_forgotten_after_a_week(conversation, store, clock):
    chat = Chat(conversation, "kortrijk")
    await chat.say("melden")
    await chat.press("Misbruik")
    worker = OutboxWorker(store)
    assert await worker.purge() == 0  # a fresh flow stays
    async with store.engine.begin() as conn:
        await conn.execute(db.flow_state.update().values(updated_at=clock.now() - timedelta(days=8)))
    assert await worker.purge() == 1
    assert await rows(store, db.flow_state) == []
