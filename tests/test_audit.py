"""Every access on record: an append-only audit trail chained by HMAC-SHA-256 under a key only the server secret
opens, with stable ids, that never names an anonymous reporter, shown and checked by `integriteitsbot audit`."""

from __future__ import annotations

import asyncio
import getpass
import hashlib
import os
from collections.abc import Callable

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from bot.storage import db
from bot.storage.audit_rows import AUDIT_KID, GENESIS, canonical, entry_hash
from bot.storage.crypto import unwrap
from bot.storage.store import Store, StoreError
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat, reference
from tests.flows import answer_report, declare, release
from tests.test_teams_delivery import HANDLER, MELDPUNT, cards_in, delivered, press, report

REPORTER_IDS = ("aad-user-1", "29:user-1", "a:conv-1", "An Peeters")  # the Teams employee of the Bot fixture
MELDPUNT_USER = UserRef("msteams", MELDPUNT, "a:meldpunt", name="Demo Meldpunt (fictief)")


def actions(entries) -> list[tuple[str, str | None]]:
    return [(entry.action, entry.reference) for entry in entries]


async def test_what_a_handler_does_over_http_is_on_record_with_stable_ids(start_bot, store, clock):
    bot = await start_bot(teams_notify=True)
    await report(bot)  # anonymous, by the Teams employee of the fixture
    ref = reference(clock)
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    await bot.say(
        f"melding {ref}", conversation={"id": "a:created-1", "conversationType": "personal"}, **{"from": HANDLER}
    )
    await press(bot, card, "bevestigen")
    await press(bot, card, "afsluiten", text="Afgehandeld, dank je.")
    await bot.say(
        f"heropen {ref}", conversation={"id": "a:created-1", "conversationType": "personal"}, **{"from": HANDLER}
    )

    # The anonymous filing went into the chain once its day was over (the card came the morning after), by the day.
    filed, *entries = await store.audit_entries(ref)
    assert (filed.action, filed.actor, filed.channel, filed.at) == ("filed", "anoniem", "anoniem", None)
    assert actions(entries) == [(action, ref) for action in ("opened", "acknowledged", "closed", "reopened")]
    for entry in entries:
        assert entry.actor == f"msteams:{MELDPUNT}" and entry.channel == "msteams"
        assert entry.role == "algemeen-directeur" and entry.org == "kortrijk"
        assert entry.at.startswith(clock.now().date().isoformat())
    verdict = await store.verify_audit()
    assert verdict.intact and verdict.entries == 5  # with the anonymous filing

    # The anonymous filing keeps only its day, and joined the chain only once that day was over: first of the
    # next day's entries, so its place says nothing of the hour.
    assert await store.audit_waiting() == 0 and await store.seal_audit_day() == 0
    assert filed.role == "melder" and filed.seq == 1 and filed.on_date < entries[0].on_date
    everything = " ".join(str(tuple(row)) for row in await store.audit_entries())
    assert not any(identifier in everything for identifier in REPORTER_IDS)
    assert (await store.verify_audit()).intact


async def test_anonymous_reporters_are_never_named_and_keep_only_the_day(conversation, store, clock):
    anonymous = Chat(conversation, "kortrijk", UserRef("msteams", "aad-anon-9", "conv-anon-9", name="Zoe Verklikker"))
    await answer_report(anonymous, "schending van regels")
    await anonymous.press("versturen")
    named = Chat(conversation, "kortrijk")
    await answer_report(named, "schending van regels", identity="Met mijn naam")
    await named.press("versturen")
    code = next(line for line in anonymous.text.splitlines() if line.startswith("Je ontvangstcode:")).split(":")[1]
    await anonymous.say(f"aanvullen {code.strip()}")
    await anonymous.say("Er is nog een tweede factuur van dezelfde firma.")
    await anonymous.press("versturen")
    assert "toegevoegd" in anonymous.text or "aanvulling" in anonymous.text.lower()
    handler = Chat(conversation, "kortrijk", MELDPUNT_USER)
    await handler.say(f"melding {reference(clock, number=1)}")
    assert "Ik vind geen melding" in handler.text  # an anonymous case is the handler's from the next morning on

    chained = await store.audit_entries()
    assert actions(chained) == [("filed", reference(clock, number=2))]
    # A named reporter's filing: by the person the case names, through its channel, without their id, and with the
    # day only, as everything stored about when a report was made.
    assert (chained[0].actor, chained[0].role, chained[0].channel) == ("indiener", "melder", "msteams")
    assert chained[0].at is None and chained[0].on_date == clock.today()
    assert await store.audit_waiting() == 2  # the anonymous filing and its addendum, kept back to the day's end
    release(clock)  # 08:00 the next morning: the day is over, the case is announced
    await handler.say(f"melding {reference(clock, number=1)}")
    entries = await store.audit_entries(reference(clock, number=1))
    assert [entry.action for entry in entries] == ["addendum", "filed", "opened"]
    for entry in entries[:2]:
        assert entry.at is None and entry.actor == "anoniem" and entry.channel == "anoniem"
    assert entries[2].at and entries[2].actor == f"msteams:{MELDPUNT}"
    dump = " ".join(str(tuple(row)) for row in await store.audit_entries())
    assert "aad-anon-9" not in dump and "Zoe" not in dump and "conv-anon-9" not in dump and "aad-user-7" not in dump
    assert (await store.verify_audit()).intact


async def test_an_edited_or_deleted_entry_breaks_the_chain(store, cli, capsys):
    for number in range(1, 5):
        await store.audit(action="opened", actor="msteams:x", role="algemeen-directeur", channel="msteams",
                          org="kortrijk", reference=f"M-2026-000{number}")  # fmt: skip
    assert (await store.verify_audit()).intact
    async with store.engine.begin() as conn:  # the table refuses to be changed ...
        with pytest.raises(DBAPIError):
            await conn.execute(text("UPDATE audit SET actor = 'msteams:y' WHERE seq = 2"))
    async with store.engine.begin() as conn:  # ... unless someone with the file drops its guard
        await conn.execute(text("DROP TRIGGER audit_no_update"))
        await conn.execute(text("UPDATE audit SET actor = 'msteams:y' WHERE seq = 2"))
    verdict = await store.verify_audit()
    assert (verdict.intact, verdict.broken_at) == (False, 2) and "changed" in verdict.reason

    assert await cli("audit") == 1
    out = capsys.readouterr().out
    assert "CHAIN BROKEN at entry #2: its content was changed after it was written" in out
    assert "The 1 entries before it hold" in out

    async with store.engine.begin() as conn:
        await conn.execute(text("DROP TRIGGER audit_no_delete"))
        await conn.execute(text("UPDATE audit SET actor = 'msteams:x' WHERE seq = 2"))
    assert (await store.verify_audit()).intact
    async with store.engine.begin() as conn:
        await conn.execute(text("DELETE FROM audit WHERE seq = 3"))
    verdict = await store.verify_audit()
    assert (verdict.intact, verdict.broken_at) == (False, 4) and "entry 3 is missing" in verdict.reason


async def test_the_chain_is_an_hmac_under_the_audit_key_over_a_canonical_form(store):
    await store.audit(action="figures", actor="cli:op", role="beheerder", channel="cli", org="kortrijk", detail="2026")
    await store.audit(action="purged", actor="service", role="service", channel="service", reference="M-2020-0001")
    first, second = await store.audit_entries()
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert entry_hash(dict(second._mapping), store.audit_key) == second.hash and len(second.hash) == 64
    assert hashlib.sha256(canonical(dict(second._mapping))).hexdigest() != second.hash
    # The key is in the database only wrapped by the secret's key-encryption key.
    async with store.engine.connect() as conn:
        (wrapped,) = (await conn.execute(select(db.audit_key.c.wrapped))).scalars().all()
    assert unwrap(store.secret.kek, AUDIT_KID, wrapped) == store.audit_key and store.audit_key.hex() not in wrapped


async def rebuild_without(store: Store, seq: int, hashing: Callable[[dict], str]) -> None:
    """What someone with the database file but not the secret does: drop the guards, delete an entry, renumber the
    ones after it and recompute their hashes, so every number follows and every entry holds the hash before it."""
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP TRIGGER audit_no_update"))
        await conn.execute(text("DROP TRIGGER audit_no_delete"))
        await conn.execute(text(f"DELETE FROM audit WHERE seq = {seq}"))
        rows = (await conn.execute(select(db.audit).where(db.audit.c.seq > seq).order_by(db.audit.c.seq))).all()
        previous = (await conn.execute(select(db.audit.c.hash).where(db.audit.c.seq == seq - 1))).scalar_one()
        for row in rows:
            values = {**row._mapping, "seq": row.seq - 1, "prev_hash": previous}
            previous = hashing(values)
            await conn.execute(
                update(db.audit).where(db.audit.c.seq == row.seq).values(seq=row.seq - 1, prev_hash=values["prev_hash"],
                                                                          hash=previous)
            )  # fmt: skip


@pytest.mark.parametrize(
    ("hashing", "reason"),
    [
        (lambda values: hashlib.sha256(canonical(values)).hexdigest(), "its hash is plain SHA-256, not keyed"),
        (lambda values: entry_hash(values, os.urandom(32)), "its content was changed"),  # a key of the rebuilder's
    ],
    ids=["sha256", "wrong-key"],
)
async def test_a_chain_rebuilt_without_the_secret_is_broken(store, cli, capsys, hashing, reason):
    for number in range(1, 5):
        await store.audit(action="opened", actor="msteams:x", role="algemeen-directeur", channel="msteams",
                          org="kortrijk", reference=f"M-2026-000{number}")  # fmt: skip
    await rebuild_without(store, 2, hashing)
    entries = await store.audit_entries()
    assert [entry.seq for entry in entries] == [1, 2, 3] and entries[1].reference == "M-2026-0003"
    verdict = await store.verify_audit()
    assert (verdict.intact, verdict.broken_at, verdict.entries) == (False, 2, 2)

    assert await cli("audit") == 1
    out = capsys.readouterr().out
    assert f"CHAIN BROKEN at entry #2: {reason}" in out and "Chain intact" not in out


async def test_the_chain_stays_verifiable_after_keys_rotate_with_and_without_a_new_secret(
    store, cli, capsys, database_url, tmp_path
):
    for number in range(1, 4):
        await store.audit(action="opened", actor="msteams:x", role="r", channel="msteams", reference=f"M-2026-{number}")
    head = (await store.verify_audit()).head
    new_file = tmp_path / "new.key"
    new_file.write_bytes(os.urandom(32))
    new_file.chmod(0o600)
    for rotate in (("keys", "rotate"), ("keys", "rotate", "--new-secret", str(new_file))):
        assert await cli(*rotate) == 0
        capsys.readouterr()
        assert await cli("audit") == 0
        out = capsys.readouterr().out
        assert "Chain intact" in out and "key rotated" in out
    # Never rewritten: the hash noted before the rotations is still the third entry's, under the new secret too.
    fresh = await Store.open(database_url, data_dir=tmp_path)
    try:
        assert fresh.secret.value == new_file.read_bytes() and fresh.audit_key == store.audit_key
        verdict = await fresh.verify_audit()
        assert verdict.intact and verdict.entries == 5 and (await fresh.audit_entries())[2].hash == head
    finally:
        await fresh.close()


async def test_a_deleted_or_replaced_audit_key_does_not_let_a_chain_pass(store, database_url, tmp_path):
    await store.audit(action="opened", actor="msteams:x", role="r", channel="msteams", reference="M-2026-1")
    async with store.engine.begin() as conn:
        wrapped = (await conn.execute(select(db.audit_key.c.wrapped))).scalar_one()
        await conn.execute(update(db.audit_key).values(wrapped=wrapped[:-8] + "AAAAAAA="))
    with pytest.raises(StoreError, match="audit key in this database does not open"):
        await Store.open(database_url, data_dir=tmp_path)
    async with store.engine.begin() as conn:  # without a key the next start makes a new one, which the chain fails
        await conn.execute(db.audit_key.delete())
    fresh = await Store.open(database_url, data_dir=tmp_path)
    try:
        verdict = await fresh.verify_audit()
        assert (verdict.intact, verdict.broken_at) == (False, 1)
    finally:
        await fresh.close()


async def test_two_processes_appending_at_once_make_one_chain(database_url, clock):
    first, second = await Store.open(database_url, clock), await Store.open(database_url, clock)
    try:

        async def append(store: Store, who: str) -> None:
            for number in range(20):
                await store.audit(
                    action="opened", actor=who, role="r", channel="msteams", reference=f"M-2026-{number:04d}"
                )

        await asyncio.gather(append(first, "msteams:a"), append(second, "msteams:b"))
        verdict = await first.verify_audit()
        assert verdict.intact and verdict.entries == 40
    finally:
        await first.close()
        await second.close()


async def test_the_cli_shows_the_trail_and_records_exports_figures_and_purges(
    conversation, store, clock, cli, capsys, tmp_path
):
    employee = Chat(conversation, "kortrijk")
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.say("Jan Janssens")
    await employee.press("Geschenk melden")
    await answer_report(employee, "schending van regels", identity="Met mijn naam")
    await employee.press("versturen")
    await Chat(conversation, "kortrijk", MELDPUNT_USER).say(f"melding {reference(clock)}")
    year = str(clock.today().year)
    assert await cli("stats", "--org", "kortrijk", "--year", year) == 0
    assert (
        await cli(
            "gifts", "export", "--org", "kortrijk", "--year", year, "--format", "csv", "-o", str(tmp_path / "g.csv")
        )
        == 0
    )
    assert await cli("purge") == 0
    capsys.readouterr()

    assert await cli("audit") == 0
    out = capsys.readouterr().out
    operator = f"cli:{getpass.getuser()} (beheerder) via cli"
    assert f"figures      kortrijk               by {operator} [{year}]" in out
    assert f"exported     kortrijk               by {operator} [geschenkenregister {year}: 1 rijen]" in out
    assert f"opened       kortrijk {reference(clock)}   by msteams:{MELDPUNT} (algemeen-directeur) via msteams" in out
    assert "Chain intact: 5 entries; last hash" in out

    assert await cli("audit", "--case", reference(clock)) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [word for line in lines if line.startswith("#") for word in line.split() if word in ("filed", "opened")]
    assert listed == ["filed", "opened"]
    tomorrow = clock.today().replace(year=clock.today().year + 1).isoformat()
    assert await cli("audit", "--since", tomorrow) == 0
    assert "No audit entries match." in capsys.readouterr().out
    assert await cli("audit", "--since", "gisteren") == 2
