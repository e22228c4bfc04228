"""Closed is closed: an answer never reopens a case; only its handler's explicit 'heropen' does, on record; and
retention counts from the (last) day it closed, and then deletes it with the reporter's identity."""

from __future__ import annotations

from bot.cases.retention import Retention
from bot.reports.kept import snapshot
from bot.storage import db
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat, reference
from tests.flows import all_rows, answer_report, rows

MELDPUNT = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt (fictief)")


async def named_case_closed(conversation, clock) -> tuple[Chat, str]:
    """A report with the reporter's name, closed by its handler with feedback today."""
    employee = Chat(conversation, "kortrijk")
    await answer_report(employee, "schending van regels", identity="Met mijn naam")
    await employee.press("versturen")
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    ref = reference(clock)
    result = await conversation.act(handler.card_turn(), "report", ref, "afsluiten", "Afgehandeld.")
    assert result.done
    return handler, ref


async def test_an_answer_never_reopens_a_closed_case(conversation, store, clock):
    handler, ref = await named_case_closed(conversation, clock)
    events = len(await rows(store, db.case_events))
    await handler.say(f"antwoord {ref} Nog een laatste vraag?")
    assert f"Melding {ref} is afgesloten" in handler.text and f"heropen {ref}" in handler.text
    (case,) = await rows(store, db.cases)
    assert case.status == "afgesloten" and len(await rows(store, db.case_events)) == events

    await handler.say(f"melding {ref}")  # the case shows it is closed, and offers to reopen it
    assert [(c.label, c.value) for c in handler.last[0].choices] == [("Heropenen", f"heropen {ref}")]


async def test_the_handler_reopens_explicitly_and_it_is_on_record(conversation, store, clock):
    handler, ref = await named_case_closed(conversation, clock)
    stranger = Chat(conversation, "kortrijk", UserRef("msteams", "aad-someone", "conv-someone", name="Iemand"))
    await stranger.say(f"heropen {ref}")
    assert "die jij mag openen" in stranger.text
    assert (await rows(store, db.cases))[0].status == "afgesloten"

    clock.advance(days=3)
    await handler.say(f"heropen {ref}")
    assert f"Melding {ref} is heropend" in handler.text
    assert (await rows(store, db.cases))[0].status == "in behandeling"
    await handler.say(f"heropen {ref}")
    assert "niet afgesloten" in handler.text
    await handler.say(f"antwoord {ref} Toch nog een vraag: wanneer precies?")
    assert "is bewaard" in handler.text

    entries = await store.audit_entries(ref)
    assert [entry.action for entry in entries] == ["filed", "closed", "reopened", "answered"]
    reopened = entries[2]
    assert (reopened.actor, reopened.role, reopened.channel) == (
        f"msteams:{MELDPUNT.user_id}",
        "algemeen-directeur",
        "msteams",
    )
    assert reopened.on_date == clock.today()


async def test_retention_counts_from_the_last_closing_and_deletes_the_named_reporter(
    conversation, store, clock, content
):
    handler, ref = await named_case_closed(conversation, clock)
    retention = Retention(store, content, 5, figures=snapshot)
    clock.advance(days=200)
    await handler.say(f"heropen {ref}")
    await conversation.act(handler.card_turn(), "report", ref, "afsluiten", "Nu echt afgehandeld.")
    clock.advance(days=5 * 365)  # five years after the first closing, not yet after the second
    assert await retention.run() == []
    clock.advance(days=200)
    gone = await retention.run()
    assert [(item.kind, item.reference) for item in gone] == [("melding", ref)]
    left = await all_rows(store)
    assert left["cases"] == [] and left["case_events"] == [] and left["outbox"] == []
    everything = str(left)
    assert "Lies Janssens" not in everything and "aad-user-7" not in everything and "conv-7" not in everything
    purged = (await store.audit_entries(ref))[-1]
    assert (purged.action, purged.actor, purged.detail) == ("purged", "service", "melding")
    assert (await store.verify_audit()).intact
