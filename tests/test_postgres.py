"""The same storage on a real PostgreSQL (a throwaway cluster in a temp dir, as the postgres user): migrations,
filing exactly once, reminders queued once with ON CONFLICT, escalation, the overview, retention, and status changes
at once from two replicas."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.cases.reminders import DeadlineWatch
from bot.cases.retention import Retention
from bot.conversation.dispatch import Conversation
from bot.reports.kept import figures_for, snapshot
from bot.storage import db
from bot.storage.outbox_rows import tag
from bot.storage.store import Store
from bot.vocabulary.turns import UserRef
from tests import postgres
from tests.conftest import Chat
from tests.flows import DESCRIPTION, TYPED_REPORT, answer_report, rows
from tests.test_simultaneous import close_and_answer, close_twice, decide_twice

RAADGEVER = UserRef("msteams", "00000000-0000-4000-8000-000000000502", "a:raadgever", name="Demo Raadgever (fictief)")


@pytest.fixture(scope="module")
def cluster() -> Iterator[int]:
    """A PostgreSQL 15 cluster on a loopback port for this module; skipped where the binaries or root are missing."""
    if not postgres.available():
        pytest.skip("needs the PostgreSQL 15 binaries and root to run them as the postgres user")
    with postgres.cluster() as port:
        yield port


@pytest.fixture
def database_url(cluster: int, request: pytest.FixtureRequest) -> str:
    """A fresh database per test in the module's cluster (overrides the SQLite one of conftest)."""
    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "")[:50]
    postgres.psql(cluster, f'DROP DATABASE IF EXISTS "{name}"')
    postgres.psql(cluster, f'CREATE DATABASE "{name}"')
    return f"postgresql+asyncpg://postgres@127.0.0.1:{cluster}/{name}"


async def file(conversation, org: str) -> None:
    """An anonymous report on a rule breach, confirmed twice (a double click)."""
    chat = Chat(conversation, org)
    await answer_report(chat, "schending van regels")
    summary = chat.last
    await chat.press("versturen")
    chat.last = summary
    await chat.press("versturen")


async def test_reports_reminders_escalation_and_retention_on_postgres(conversation, store, clock, content, directory):
    assert store.engine.dialect.name == "postgresql"
    await file(conversation, "vvsg")
    (case,) = await rows(store, db.cases)  # the double click filed it once
    assert case.recipient_role == "klachtenmanager" and case.description == DESCRIPTION
    async with store.engine.connect() as conn:  # issue 19: in the table itself the description is ciphertext
        (stored,) = (await conn.execute(select(db.cases.c.description))).scalars()
        cards = " ".join(str(card) for card in (await conn.execute(select(db.outbox.c.card))).scalars())
    assert stored.startswith(f"v1:{store.fields.current}:") and "schoonbroer" not in stored
    assert cards.startswith("v1:") and "M-" not in cards
    rotation = await store.rotate_data_key()  # the case and its card re-encrypted, the old key dropped
    assert rotation.rewritten == 2 and len(rotation.removed) == 1 and rotation.kept == []
    (case,) = await rows(store, db.cases)
    assert case.description == DESCRIPTION

    watch = DeadlineWatch(store, content, directory, {"log", "msteams"})
    clock.advance(days=12)
    assert await watch.run_once() == 1 and await watch.run_once() == 0  # ON CONFLICT DO NOTHING on PostgreSQL
    clock.advance(days=3)
    assert await watch.run_once() == 1 and await watch.run_once() == 0
    assert await store.escalated_roles(case.id) == {"raadgever-integriteit"}
    (listed,) = await Chat(conversation, "vvsg", RAADGEVER).say("meldingen")
    assert case.reference in listed.text

    raadgever = Chat(conversation, "vvsg", RAADGEVER)
    closed = await conversation.act(raadgever.card_turn(), "report", case.reference, "afsluiten", "Afgehandeld.")
    assert closed.done
    pack = content.packs["vvsg"]
    before = await figures_for(store, pack, case.year, clock.today() + timedelta(days=6 * 366))
    clock.advance(days=6 * 366)
    gone = await Retention(store, content, 5, figures=snapshot).run()
    assert [item.reference for item in gone] == [case.reference]
    assert await rows(store, db.cases) == [] and await rows(store, db.outbox) == []
    assert await figures_for(store, pack, case.year, clock.today()) == before
    # Every access on record there too: the overview, the close, the purge, in one chain.
    entries = await store.audit_entries()
    assert [entry.action for entry in entries if entry.reference == case.reference][-2:] == ["closed", "purged"]
    assert (await store.verify_audit()).intact


async def test_the_audit_trail_is_one_append_only_chain_on_postgres(database_url, store, clock):
    other = await Store.open(database_url, clock, secret_file=store.secret_file)  # a second replica, same secret
    try:

        async def append(replica: Store, who: str) -> None:
            for number in range(20):
                await replica.audit(
                    action="opened", actor=who, role="r", channel="msteams", reference=f"M-2026-{number:04d}"
                )

        await asyncio.gather(append(store, "msteams:a"), append(other, "msteams:b"))
        verdict = await store.verify_audit()
        assert verdict.intact and verdict.entries == 40
        async with store.engine.begin() as conn:
            with pytest.raises(DBAPIError):
                await conn.execute(text("UPDATE audit SET actor = 'msteams:c' WHERE seq = 2"))
    finally:
        await other.close()


async def test_status_changes_at_once_from_two_replicas_on_postgres(
    database_url, conversation, store, clock, content, directory
):
    other = await Store.open(database_url, clock, secret_file=store.secret_file)  # a second replica, same secret
    try:
        replica = Conversation.build(content, other, directory, clock=clock)
        for number in range(1, 4):  # each time one close wins; the other is told the case is closed
            await close_twice(conversation, replica, store, clock, number)
        for number in range(4, 7):  # the case ends closed, whether the answer came first or was refused
            await close_and_answer(conversation, replica, store, clock, number)
        await decide_twice(conversation, replica, store)
        assert (await store.verify_audit()).intact
    finally:
        await other.close()


async def test_two_served_replicas_share_one_postgres_and_nothing_happens_twice(connector, database_url, tmp_path):
    """Two `serve` processes started at once on a fresh database (migrations run once), a conversation that moves
    between them mid-flow, a confirmation sent to both at once (filed once), and each notification delivered once
    by the two outbox workers together."""
    from aiohttp import ClientSession

    from tests.service import start_service
    from tests.test_crash import activity, say

    secret = tmp_path / "secret.key"
    secret.write_bytes(os.urandom(32))
    secret.chmod(0o600)
    shared = {"INTEGRITEITSBOT_SECRET_FILE": str(secret)}
    first, second = await asyncio.gather(
        start_service(tmp_path, database_url, **shared), start_service(tmp_path, database_url, **shared)
    )
    replicas = [first, second]
    try:
        async with ClientSession() as http:
            typed = ["met mijn naam" if text == "anoniem" else text for text in TYPED_REPORT]
            for number, text in enumerate(typed):  # every message to the other replica than the last one
                status = await say(http, replicas[number % 2], activity(connector, "a:moving", text, number))
                assert status in (200, 201)
            assert "Dit is je melding" in connector.sent[-1]["summary"]
            confirms = [activity(connector, "a:moving", "verzenden", 100 + n) for n in range(2)]
            statuses = await asyncio.gather(*(say(http, r, c) for r, c in zip(replicas, confirms, strict=True)))
            assert all(status in (200, 201) for status in statuses)
        store = await Store.open(database_url, data_dir=tmp_path, secret_file=secret)
        try:
            (case,) = await rows(store, db.cases)  # filed once
            assert case.description == DESCRIPTION
            notes = await rows(store, db.outbox)
            assert notes
            for _ in range(200):  # the two workers deliver every notification between them
                if all(row.status == "delivered" for row in await rows(store, db.outbox)):
                    break
                await asyncio.sleep(0.05)
            delivered = await rows(store, db.outbox)
            assert all(row.status == "delivered" for row in delivered)
        finally:
            await store.close()
        logs = first.output() + second.output()
        for row in delivered:  # each one by one replica, once
            assert logs.count(f"notification {tag(row)} ") == 1, tag(row)
        assert "Traceback" not in logs
    finally:
        for service in replicas:
            service.kill()


async def test_retention_rounds_of_two_replicas_at_once_delete_and_record_each_record_once(
    conversation, store, clock, content
):
    """Two replicas' daily rounds meet: an advisory lock lets one delete; the other finds nothing left, so no
    record is deleted or recorded as purged twice, and the audit chain holds."""
    klachtenmanager = UserRef("msteams", "00000000-0000-4000-8000-000000000501", "a:klachten", name="Demo (fictief)")
    for _ in range(2):
        await file(conversation, "vvsg")
    handlers = {"klachtenmanager": klachtenmanager, "raadgever-integriteit": RAADGEVER}
    clock.advance(days=1)  # anonymous cases reach their handler from the next morning's release
    for case in await rows(store, db.cases):  # closed by their handler, so retention counts from today
        chat = Chat(conversation, "vvsg", handlers[case.recipient_role])
        assert (await conversation.act(chat.card_turn(), "report", case.reference, "afsluiten", "Klaar.")).done
    clock.advance(days=6 * 366)
    other = await Store.open(
        store.engine.url.render_as_string(hide_password=False), clock, secret_file=store.secret_file
    )
    try:
        gone = await asyncio.gather(
            Retention(store, content, 5, figures=snapshot).run(), Retention(other, content, 5, figures=snapshot).run()
        )
    finally:
        await other.close()
    assert sorted(item.reference for items in gone for item in items) != []
    assert await rows(store, db.cases) == []
    purged = [entry for entry in await store.audit_entries() if entry.action == "purged"]
    assert len(purged) == 2 and len({entry.reference for entry in purged}) == 2
    assert (await store.verify_audit()).intact


async def test_signing_and_dilemmas_from_two_replicas_at_once_happen_once(conversation, store, clock, content):
    """Two replicas on one PostgreSQL: a confirmation pressed on both counts once, each reminder is queued once,
    and a team's scheduled dilemma is posted once, whichever replica's round comes first."""
    from bot.campaigns.service import Member
    from bot.practice.polls import Place, next_post

    other = await Store.open(
        store.engine.url.render_as_string(hide_password=False), clock, secret_file=store.secret_file
    )
    try:
        replica = Conversation.build(content, other, conversation.directory, {"log", "slack"}, clock=clock)
        pack = content.packs["kortrijk"]
        people = [Member(f"Collega {n}", slack_user_id=f"UCOL{n}") for n in range(5)]
        started = await conversation.campaigns.start(pack, "slack:UDEMOKRTHR", "Hilde", "#financien", people)
        assert started.invited == 5
        signer = UserRef("slack", "UCOL0", "T:UCOL0", name="Collega 0")
        done = await asyncio.gather(
            conversation.campaigns.store.confirm("kortrijk", "slack:UCOL0", "Collega 0", None),
            other.confirm("kortrijk", "slack:UCOL0", "Collega 0", None),
        )
        assert sum(len(confirmed) for confirmed, _ in done) == 1 and signer.user_id == "UCOL0"
        clock.advance(days=8)
        queued = await asyncio.gather(conversation.campaigns.remind(), replica.campaigns.remind())
        assert sum(queued) == 4  # the four who did not sign, once each
        attests = [row for row in await store.outbox_rows(("pending",)) if row.kind == "attest"]
        assert len(attests) == 5 + 4

        posted: list[str] = []

        class Poster:
            async def post(self, place, view):
                posted.append(view["poll"])
                return place.place, f"ts-{len(posted)}"

            async def update(self, place, message_id, view):
                raise AssertionError("nothing to close")

        place = Place("slack", "C0TEAM", "#financien")
        await conversation.polls.schedule(pack, place, "dilemma elke week op maandag", "Hilde")
        row = await store.schedule_of("slack", "C0TEAM")
        clock.moment = next_post(clock.now(), row.weekday, 1) + timedelta(minutes=5)
        await asyncio.gather(
            conversation.polls.run_once({"slack": Poster()}), replica.polls.run_once({"slack": Poster()})
        )
        assert len(posted) == 1
    finally:
        await other.close()
