"""Retention: closed cases, gift declarations and contact requests older than RETENTION_YEARS go, with their events
and outbox rows; open cases stay; the year's figures are kept first, so its annual report stays what it was."""

from __future__ import annotations

import asyncio
import logging

from bot.app import WORKER
from bot.cases.retention import Retention
from bot.cli import main
from bot.reports.kept import figures_for, snapshot
from bot.reports.render import render_text
from bot.storage import db
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat
from tests.flows import all_rows, answer_report, declare, release, rows

MELDPUNT = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt (fictief)")


async def seed(conversation) -> None:
    """Three reports (two closed), a gift declaration and a contact request, all today."""
    employee = Chat(conversation, "kortrijk")
    for _ in range(3):
        await answer_report(employee, "schending van regels")
        await employee.press("versturen")
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.say("Jan Janssens")
    await employee.press("Geschenk melden")
    await employee.say("vertrouwenspersoon")
    await employee.press("mensen op het werk")
    await employee.press(employee.last[-1].choices[0].label)
    await employee.say("via de chat, na 16 uur")
    await employee.say("overslaan")
    await employee.press("Vraag versturen")
    year = conversation.clock.today().year
    release(conversation.clock)  # the handler acts on anonymous reports from the next morning on
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    for number in (1, 2):
        reference = f"M-{year}-{number:04d}"
        await conversation.act(handler.card_turn(), "report", reference, "afsluiten", "Afgehandeld.")


async def test_what_is_past_retention_goes_with_everything_about_it(conversation, store, clock, content):
    await seed(conversation)
    year = clock.today().year
    retention = Retention(store, content, 5, figures=snapshot)
    assert await retention.plan(clock.today()) == []
    clock.advance(days=5 * 366)
    before = await figures_for(store, content.packs["kortrijk"], year, clock.today())
    planned = await retention.run(dry_run=True)
    assert sorted(item.kind for item in planned) == ["contact", "geschenk", "melding", "melding"]
    assert len(await rows(store, db.cases)) == 3  # a dry run deletes nothing

    gone = await retention.run()
    assert len(gone) == 4
    left = await all_rows(store)
    (open_case,) = left["cases"]  # the open case stays, however old
    assert open_case.status == "ontvangen"
    assert left["gifts"] == [] and left["contact_requests"] == []
    assert {row.reference for row in left["outbox"]} == {open_case.reference}
    assert {row.case_id for row in left["case_events"]} == {open_case.id}
    assert {row.reference for row in left["submissions"]} == {open_case.reference}

    # The annual report of that year stays what it was, with no record behind it.
    after = await figures_for(store, content.packs["kortrijk"], year, clock.today())
    assert after == before and after.has_records
    assert "< 3" in render_text(after) and "aankoper" not in render_text(after)
    assert await retention.run() == []


async def test_a_case_counts_from_the_day_it_closed(conversation, store, clock, content):
    await seed(conversation)
    clock.advance(days=5 * 365 - 10)
    open_reference = f"M-{clock.today().year - 5}-0003"
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    await conversation.act(handler.card_turn(), "report", open_reference, "afsluiten", "Eindelijk afgehandeld.")
    clock.advance(days=20)
    gone = await Retention(store, content, 5, figures=snapshot).run()
    assert open_reference not in {item.reference for item in gone}  # closed only ten days ago
    assert len([item for item in gone if item.kind == "melding"]) == 2


async def test_the_service_runs_retention_daily(start_bot):
    bot = await start_bot(retention_years=3)
    worker = bot.server.app[WORKER]
    assert worker.retention is not None and await worker.retention() == 0


async def test_purge_lists_with_dry_run_and_deletes_without(
    conversation, store, clock, monkeypatch, database_url, capsys
):
    """`integriteitsbot purge --dry-run` says what would go and deletes nothing; `purge` deletes it; then stats for
    that year still shows its kept figures."""
    await seed(conversation)
    year = clock.today().year
    clock.advance(days=5 * 366)
    monkeypatch.setenv("DATABASE_URL", database_url)
    root, level = logging.getLogger(), logging.getLogger().level
    try:
        assert await asyncio.to_thread(main, ["purge", "--dry-run"]) == 0
        listed = capsys.readouterr().out
        assert listed.count("\tmelding\t") == 2 and "would delete 4 records" in listed
        assert len(await rows(store, db.gifts)) == 1
        assert await asyncio.to_thread(main, ["purge"]) == 0
        assert "deleted 4 records" in capsys.readouterr().out
        assert await rows(store, db.gifts) == []
        assert await asyncio.to_thread(main, ["stats", "--org", "kortrijk", "--year", str(year)]) == 0
        assert "Meldingen in totaal" in capsys.readouterr().out
    finally:
        root.setLevel(level)
