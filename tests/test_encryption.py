"""Issue 19 point 11: case content is encrypted at rest (AES-GCM under data keys wrapped by the server secret), a
copied database file shows no report text, a purge leaves none of it behind, and `keys rotate` re-encrypts."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.cases.retention import Retention
from bot.conversation.dispatch import Conversation
from bot.reports.kept import snapshot
from bot.storage import db
from bot.storage.crypto import ENCRYPTED, CipherError, key_of
from bot.storage.migrate import alembic_config
from bot.storage.secret import SECRET_NAME
from bot.storage.store import Store, StoreError
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat, reference
from tests.flows import answer_report, declare, receipt_code, release, rows

ROOT = Path(__file__).resolve().parent.parent
MELDPUNT = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt (fictief)")
# Recognisable words in every kind of text a user types; none may be found in the database's bytes.
MARKERS = {
    "description": "Kwarktaart-omkoping bij de dienst Wegen",
    "when": "Tijdens de Zomerfeesten-Xylofoon",
    "name": "Zoe Verklikker-Quintijn",
    "giver": "Bouwbedrijf Vlaskop-Zebra",
    "manager": "Directeur Jansen-Walrus",
    "reach": "0470 11 22 33 na 16 uur Pelikaan",
    "note": "pesten door mijn diensthoofd Octopus",
    "addendum": "Ook de offertes van Narwal-2025 werden niet vergeleken",
    "answer": "Bedankt, we onderzoeken het Flamingo-dossier",
}

TOKENS = ("Kwarktaart", "Zomerfeesten", "Verklikker", "Vlaskop", "Walrus", "Pelikaan", "Octopus", "Narwal", "Flamingo")


def database_file(url: str) -> Path:
    """The SQLite file of a test database URL."""
    return Path(url.removeprefix("sqlite+aiosqlite:///"))


def on_disk(url: str) -> bytes:
    """Every byte SQLite keeps of the database: the file, its WAL and a rollback journal, if any."""
    path = database_file(url)
    files = [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))]
    return b"".join(file.read_bytes() for file in files if file.exists())


async def use_everything(conversation, clock) -> tuple[str, str]:
    """A named report, an anonymous one with an addendum and the handler's answer, a gift, a contact request;
    returns the two case references."""
    named = Chat(conversation, "kortrijk", UserRef("msteams", "aad-named", "a:named", name=MARKERS["name"]))
    await answer_report(
        named, "schending van regels", identity="Met mijn naam", description=MARKERS["description"],
        when=MARKERS["when"], name=MARKERS["name"],
    )  # fmt: skip
    await named.press("versturen")
    anonymous = Chat(conversation, "kortrijk")
    await answer_report(anonymous, "schending van regels", description=MARKERS["description"] + " (anoniem)")
    await anonymous.press("versturen")
    code = receipt_code(anonymous.text)
    await anonymous.say(f"aanvullen {code}")
    await anonymous.say(MARKERS["addendum"])
    await anonymous.press("Aanvulling versturen")
    release(clock)  # the handler sees the anonymous report from the next morning on
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    second = reference(clock, number=2)
    await handler.say(f"antwoord {second} {MARKERS['answer']}")
    assert "is bewaard" in handler.text
    employee = Chat(conversation, "kortrijk", UserRef("msteams", "aad-gift", "a:gift", name=MARKERS["name"]))
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja", giver=MARKERS["giver"])
    await employee.say(MARKERS["manager"])
    await employee.press("Geschenk melden")
    await employee.say("vertrouwenspersoon")
    await employee.press("mensen op het werk")
    await employee.press(employee.last[-1].choices[0].label)
    await employee.say(MARKERS["reach"])
    await employee.say(MARKERS["note"])
    await employee.press("Vraag versturen")
    return reference(clock, number=1), second


async def test_a_copied_database_shows_no_report_text(conversation, store, clock, database_url):
    first, _ = await use_everything(conversation, clock)
    # What was stored is all there for the service, which holds the secret.
    cases = {case.reference: case for case in await rows(store, db.cases)}
    assert cases[first].description == MARKERS["description"] and cases[first].reporter_name == MARKERS["name"]
    assert cases[first].when_text == MARKERS["when"]
    texts = [event.text for event in await rows(store, db.case_events) if event.text]
    assert MARKERS["addendum"] in texts and MARKERS["answer"] in texts
    (gift,) = await rows(store, db.gifts)
    assert (gift.giver, gift.manager, gift.employee_name) == (MARKERS["giver"], MARKERS["manager"], MARKERS["name"])
    (request,) = await rows(store, db.contact_requests)
    assert (request.reach, request.note) == (MARKERS["reach"], MARKERS["note"])
    assert any(MARKERS["giver"] in str(row.card) for row in await rows(store, db.outbox))
    # A copy of the file and its WAL shows none of it, nor any id of the named reporter.
    raw = on_disk(database_url)
    assert b"M-" in raw  # references and kinds stay in clear, as queries filter on them
    for token in (*TOKENS, *MARKERS.values(), "aad-named", "a:named"):
        assert token.encode() not in raw, token
    with sqlite3.connect(f"file:{database_file(database_url)}?mode=ro", uri=True) as con:
        for table, columns in ENCRYPTED.items():
            for column in columns:
                query = f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"
                if table == "case_events":
                    query += " AND type != 'geëscaleerd'"
                for (value,) in con.execute(query):
                    assert str(value).lstrip('"').startswith("v1:"), (table, column, value)


async def test_a_value_moved_to_another_column_or_row_does_not_open(conversation, store, clock):
    await use_everything(conversation, clock)
    async with store.engine.begin() as conn:
        first, second = (await conn.execute(select(db.cases.c.id, db.cases.c.description))).all()
        await conn.execute(update(db.cases).where(db.cases.c.id == first.id).values(where_text=first.description))
        await conn.execute(update(db.cases).where(db.cases.c.id == second.id).values(description=first.description))
    with pytest.raises(CipherError):
        await store.case_by_reference("kortrijk", reference(clock, number=1))
    with pytest.raises(CipherError):
        await store.case_by_reference("kortrijk", reference(clock, number=2))


async def test_a_purge_leaves_no_ciphertext_in_the_file_its_wal_or_free_pages(
    conversation, store, clock, content, database_url
):
    await use_everything(conversation, clock)
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    for number in (1, 2):
        await conversation.act(handler.card_turn(), "report", reference(clock, number=number), "afsluiten", "Klaar.")
    stored: list[str] = []
    async with store.engine.connect() as conn:
        for table, columns in ENCRYPTED.items():
            if table == "flow_state":
                continue
            for column in columns:
                values = (await conn.execute(select(db.metadata.tables[table].c[column]))).scalars()
                stored += [str(value) for value in values if key_of(value)]
    assert len(stored) > 20 and all(value.encode() in on_disk(database_url) for value in stored[:3])
    clock.advance(days=5 * 366)
    gone = await Retention(store, content, 5, figures=snapshot).run()
    assert len(gone) == 4  # both cases, the gift, the contact request
    raw = on_disk(database_url)
    wal = database_file(database_url).with_name(database_file(database_url).name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # emptied after the purge
    for value in stored:
        body = value.split(":", 2)[2]
        assert body[:24].encode() not in raw, value  # not even a fragment of a ciphertext stays
    for token in TOKENS:
        assert token.encode() not in raw


async def test_keys_rotate_re_encrypts_everything_and_drops_the_old_key(
    conversation, store, clock, cli, database_url, content, directory
):
    first, _ = await use_everything(conversation, clock)
    old = store.fields.current
    assert await cli("keys", "rotate") == 0
    check = await Store.open(database_url)
    try:
        (key,) = await rows(check, db.keys)  # the old key is gone: nothing uses it
        assert key.kid != old and key.current
        async with check.engine.connect() as conn:
            for table, columns in ENCRYPTED.items():
                for column in columns:
                    for value in (await conn.execute(select(db.metadata.tables[table].c[column]))).scalars():
                        assert value is None or key_of(value) in (key.kid, None), (table, column)
        case = await check.case_by_reference("kortrijk", first)
        assert case.description == MARKERS["description"] and case.reporter_name == MARKERS["name"]
        (rotated,) = [entry for entry in await check.audit_entries() if entry.action == "key rotated"]
        assert (rotated.role, rotated.channel, rotated.detail) == ("beheerder", "cli", "data key")
        assert rotated.actor.startswith("cli:") and rotated.at  # the operator, on record with the moment
    finally:
        await check.close()
    # The running conversation's store knew only the old key; a fresh service reads everything under the new one.
    fresh = await Store.open(database_url, clock)
    try:
        handler = Chat(Conversation.build(content, fresh, directory, clock=clock), "kortrijk", MELDPUNT)
        await handler.say(f"melding {first}")
        assert MARKERS["description"] in handler.text
    finally:
        await fresh.close()


async def test_keys_rotate_with_a_new_secret_rewraps_the_keys_and_replaces_the_file(
    conversation, store, clock, cli, database_url, tmp_path
):
    first, _ = await use_everything(conversation, clock)
    secret = database_file(database_url).with_name(SECRET_NAME)
    old_secret = secret.read_bytes()
    new_file = tmp_path / "new.key"
    new_file.write_bytes(os.urandom(32))
    new_file.chmod(0o600)
    assert await cli("keys", "rotate", "--new-secret", str(new_file)) == 0
    assert secret.read_bytes() == new_file.read_bytes() != old_secret
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    check = await Store.open(database_url)
    try:
        assert (await check.case_by_reference("kortrijk", first)).description == MARKERS["description"]
        assert await rows(check, db.flow_state) == []  # flows keyed with the old secret are gone with it
    finally:
        await check.close()
    secret.write_bytes(old_secret)  # the old secret no longer opens the database
    with pytest.raises(StoreError, match="does not fit this database"):
        await Store.open(database_url)


async def test_the_secret_file_is_created_once_with_mode_0600_and_checked(database_url, tmp_path):
    secret = database_file(database_url).with_name(SECRET_NAME)
    store = await Store.open(database_url)
    await store.close()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(secret.read_bytes()) == 32
    value = secret.read_bytes()
    store = await Store.open(database_url)  # the next start reads it, never makes a new one
    await store.close()
    assert secret.read_bytes() == value
    secret.chmod(0o644)
    with pytest.raises(StoreError, match="may be read by others"):
        await Store.open(database_url)
    secret.chmod(0o600)
    secret.write_bytes(value + b"\n")
    with pytest.raises(StoreError, match="holds 33 bytes, not 32"):
        await Store.open(database_url)
    secret.unlink()  # the database has data keys: a new secret would lose them, so nothing is created
    with pytest.raises(StoreError, match="is missing"):
        await Store.open(database_url)
    assert not secret.exists()
    own = tmp_path / "elsewhere" / "bot.key"
    fresh = f"sqlite+aiosqlite:///{tmp_path}/other.db"
    store = await Store.open(fresh, secret_file=own)  # INTEGRITEITSBOT_SECRET_FILE
    await store.close()
    assert own.exists() and not (tmp_path / SECRET_NAME).exists()


def test_serve_stops_with_one_line_on_a_bad_secret_file(tmp_path):
    secret = tmp_path / "secret.key"
    secret.write_bytes(b"too short")
    secret.chmod(0o600)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db",
        "INTEGRITEITSBOT_SECRET_FILE": str(secret),
        "PORT": "0",
        "HOST": "127.0.0.1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert result.returncode == 3
    assert result.stderr.strip().splitlines()[-1] == (f"Database error: the secret file {secret} holds 9 bytes, not 32")
    assert "Traceback" not in result.stderr


async def test_the_first_start_encrypts_rows_written_before_encryption(database_url, clock):
    from alembic import command
    from sqlalchemy import insert
    from sqlalchemy.ext.asyncio import create_async_engine

    def to_0005(connection) -> None:
        config = alembic_config(database_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")

    plain = "Een oude melding Stokstaartje in klare tekst"
    case = {
        "org": "kortrijk", "reference": "M-2025-0001", "year": 2025, "number": 1, "kind": "rule_breach",
        "route_kind": "rule_breach", "recipient_role": "algemeen-directeur", "description": plain,
        "when_text": "vorig jaar", "evidence": "nee", "anonymous": True, "status": "ontvangen",
        "received_on": clock.today(), "receipt_selector": "AAAAA", "receipt_hash": "scrypt$x",
    }  # fmt: skip
    engine = create_async_engine(database_url)  # a database as the previous version left it, a plain case in it
    async with engine.begin() as conn:
        await conn.run_sync(to_0005)
        await conn.execute(insert(db.cases).values(**case))
        flow = {"key": "0" * 64, "flow": "report", "state": {"text": plain}, "updated_at": clock.now()}
        await conn.execute(insert(db.flow_state).values(**flow))
    await engine.dispose()
    store = await Store.open(database_url, clock)
    try:
        (case,) = await rows(store, db.cases)
        assert case.description == plain
        assert await rows(store, db.flow_state) == []  # keyed by the old plain hash: dropped by the migration
        async with store.engine.connect() as conn:
            (stored,) = (await conn.execute(select(db.cases.c.description))).scalars()
        assert key_of(stored) == store.fields.current
    finally:
        await store.close()
    assert b"Stokstaartje" not in on_disk(database_url)
