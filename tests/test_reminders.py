"""Deadlines that remind and escalate: reminders before and on the acknowledgement day and before the feedback day,
each queued once (also across restarts); an acknowledgement that does not come in time escalates to the next role,
who may then open and act on the case; the reporter sees the terms and whether they were met."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from bot.app import WORKER
from bot.cases.deadlines import add_months
from bot.cases.reminders import DeadlineWatch, due, next_role
from bot.storage import db
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat
from tests.flows import answer_report, receipt_code, rows

MELDPUNT = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt (fictief)")
RAADGEVER = UserRef("msteams", "00000000-0000-4000-8000-000000000502", "a:raadgever", name="Demo Raadgever (fictief)")


async def file(conversation, org: str = "kortrijk") -> str:
    """An anonymous report on a rule breach; returns its receipt code."""
    chat = Chat(conversation, org)
    await answer_report(chat, "schending van regels")
    await chat.press("versturen")
    return receipt_code(chat.text)


def watch(store, content, directory) -> DeadlineWatch:
    """A deadline watch as the service builds it, with Teams as a channel."""
    return DeadlineWatch(store, content, directory, {"log", "msteams"})


def reminders(outbox: list, what: str = "reminder") -> list:
    """The outbox rows of one kind."""
    return [row for row in outbox if row.kind == what]


def test_due_before_on_and_after_the_acknowledgement_day(content):
    pack = content.packs["kortrijk"]
    received = date(2026, 12, 28)  # the term runs into the next year
    case = SimpleNamespace(recipient_role="algemeen-directeur", received_on=received, status="ontvangen")
    ack = received + timedelta(days=7)
    assert due(pack, case, received + timedelta(days=4)) == []
    assert [d.what for d in due(pack, case, ack - timedelta(days=2))] == ["ack-2"]
    assert [d.what for d in due(pack, case, ack - timedelta(days=1))] == ["ack-2"]  # caught up after a stop
    assert [(d.what, d.day) for d in due(pack, case, ack)] == [("ack-0", date(2027, 1, 4))]
    assert [d.what for d in due(pack, case, ack + timedelta(days=1))] == ["escalate"]
    acknowledged = SimpleNamespace(**{**vars(case), "status": "ontvangst bevestigd"})
    assert due(pack, acknowledged, ack + timedelta(days=1)) == []
    feedback = add_months(received, 3)
    assert [d.what for d in due(pack, acknowledged, feedback - timedelta(days=14))] == ["feedback-14"]
    assert due(pack, SimpleNamespace(**{**vars(case), "status": "afgesloten"}), feedback) == []
    # A role with no term (the leidinggevende) gets no reminders at all.
    assert due(pack, SimpleNamespace(**{**vars(case), "recipient_role": "leidinggevende"}), ack) == []


async def test_reminders_are_queued_once_and_reach_the_handler(conversation, store, clock, content, directory):
    await file(conversation)
    clock.advance(days=5)
    assert await watch(store, content, directory).run_once() == 1
    assert await watch(store, content, directory).run_once() == 0  # again, and after a restart: nothing new
    (row,) = reminders(await rows(store, db.outbox))
    assert row.recipient["teams_aad_id"] == MELDPUNT.user_id and row.channel == "msteams"
    assert "bevestig de ontvangst" in row.card["title"] and "aankoper" not in str(row.card)  # no details
    assert [verb["verb"] for verb in row.card["verbs"]] == ["bevestigen", "vraag", "afsluiten"]
    clock.advance(days=2)  # the day itself
    assert await watch(store, content, directory).run_once() == 1
    assert "Vandaag" in reminders(await rows(store, db.outbox))[-1].card["body"]
    (case,) = await rows(store, db.cases)
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    await conversation.act(handler.card_turn(), "report", case.reference, "bevestigen", None)
    clock.advance(days=1)
    assert await watch(store, content, directory).run_once() == 0  # acknowledged: no escalation
    clock.advance(days=(add_months(case.received_on, 3) - case.received_on).days - 8 - 14)  # two weeks before
    assert await watch(store, content, directory).run_once() == 1
    feedback = reminders(await rows(store, db.outbox))[-1]
    assert "feedback" in feedback.card["title"] and "bevestigen" not in [v["verb"] for v in feedback.card["verbs"]]


async def test_an_unacknowledged_case_escalates_once_to_the_next_role(conversation, store, clock, content, directory):
    await file(conversation, "vvsg")  # to VVSG's klachtenmanager, who answers within two weeks by the code
    (case,) = await rows(store, db.cases)
    assert case.recipient_role == "klachtenmanager"
    assert next_role(content.packs["vvsg"], case) == "raadgever-integriteit"
    raadgever = Chat(conversation, "vvsg", RAADGEVER)
    (refused,) = await raadgever.say(f"melding {case.reference}")
    assert "aankoper" not in refused.text  # not theirs yet
    clock.advance(days=15)
    assert await watch(store, content, directory).run_once() == 1
    assert await watch(store, content, directory).run_once() == 0
    (escalation,) = [row for row in await rows(store, db.outbox) if row.recipient_role == "raadgever-integriteit"]
    assert escalation.kind == "report" and "niet op tijd bevestigd" in escalation.card["title"]
    events = [event for event in await rows(store, db.case_events) if event.type == "geëscaleerd"]
    assert [(event.text, event.for_reporter) for event in events] == [("raadgever-integriteit", False)]
    (opened,) = await raadgever.say(f"melding {case.reference}")
    assert "aankoper" in opened.text  # the next role may open it now, and act on it
    acted = await conversation.act(raadgever.card_turn(), "report", case.reference, "bevestigen", None)
    assert acted.done
    (listed,) = await raadgever.say("meldingen")
    assert case.reference in listed.text


async def test_the_reporter_sees_the_terms_and_whether_they_were_met(conversation, store, clock):
    code = await file(conversation)
    late = await file(conversation)
    first, second = await rows(store, db.cases)
    clock.advance(days=2)
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    await conversation.act(handler.card_turn(), "report", first.reference, "bevestigen", None)
    clock.advance(days=8)
    reporter = Chat(conversation, "kortrijk", UserRef("msteams", "aad-other", "a:other"))
    (status,) = await reporter.say(f"status {code}")
    assert f"Ontvangstbevestiging uiterlijk {first.received_on + timedelta(days=7):%d/%m/%Y}: gehaald" in status.text
    assert "Feedback uiterlijk" in status.text and "loopt nog" in status.text
    (status,) = await reporter.say(f"status {late}")
    assert "niet gehaald" in status.text and second.reference in status.text


async def test_the_service_runs_the_watch_with_its_outbox_worker(start_bot):
    bot = await start_bot()
    worker = bot.server.app[WORKER]
    assert worker.watch is not None and await worker.watch() == 0
