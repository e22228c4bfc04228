"""Two status changes at the same moment: the status is checked in the write itself, so one of them wins, the other
gets the answer it would get afterwards, and the case, its events, its audit entries and its notifications agree."""

from __future__ import annotations

import asyncio
import json

from bot.storage import db
from bot.storage.discretion import HOLD_TO
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat, reference
from tests.flows import TYPED_REPORT, answer_report, declare, rows
from tests.test_teams_delivery import HANDLER, HANDLER_CHAT, cards_in, delivered, press

MELDPUNT = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt (fictief)")
MANAGER = UserRef("msteams", "6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b", "a:manager", name="Mia Manager")
ADVISER = UserRef("msteams", "00000000-0000-4000-8000-000000000203", "a:vp", name="Demo Vertrouwenspersoon (fictief)")
STEPS = ("answered", "acknowledged", "asked", "closed", "reopened", "decided", "contact")  # what changes a status


async def named_case(conversation, clock, number: int = 1) -> str:
    """A report with the reporter's name (so the reporter is notified of what the handler does); its reference."""
    employee = Chat(conversation, "kortrijk")
    await answer_report(employee, "schending van regels", identity="Met mijn naam")
    await employee.press("versturen")
    return reference(clock, number=number)


async def one_record(store, table, ref: str):
    """The record with this reference."""
    (record,) = [row for row in await rows(store, table) if row.reference == ref]
    return record


async def trail(store, ref: str) -> list[tuple[str, str | None]]:
    """The audit entries of a record that changed its status, in order, with their detail."""
    return [(entry.action, entry.detail) for entry in await store.audit_entries(ref) if entry.action in STEPS]


async def updates(store, ref: str) -> list:
    """The notifications a record's addressee's actions sent to the person who filed it."""
    return [row for row in await rows(store, db.outbox) if row.reference == ref and row.kind == "update"]


async def test_a_close_and_an_answer_at_once_over_http_leave_the_case_closed(start_bot, store, clock):
    bot = await start_bot(teams_notify=True)
    for number in range(1, 4):  # the reviewer's race came out wrong 29 times in 30: three rounds find it
        ref = reference(clock, number=number)
        chat = {"id": f"a:conv-{number}", "conversationType": "personal", "tenantId": "tenant-demo"}
        for text in [*TYPED_REPORT, "verzenden"]:
            await bot.say(text, conversation=chat)
        bot.clock.advance(seconds=HOLD_TO.total_seconds())
        await delivered(store, number)
        (card,) = [card for card in cards_in(bot.connector, "a:created-1") if ref in json.dumps(card)]
        before = len(bot.connector.sent)

        # The card's "Afsluiten" (an Adaptive Card invoke) and a typed answer, sent together.
        closed, _ = await asyncio.gather(
            press(bot, card, "afsluiten", text="Afgehandeld, dank je."),
            bot.say(f"antwoord {ref} Nog een laatste vraag?", conversation=HANDLER_CHAT, **{"from": HANDLER}),
        )
        # The close always goes through: before the answer, or after it.
        assert "Afgesloten met terugkoppeling: door Demo Meldpunt" in json.dumps(closed, ensure_ascii=False)
        (said,) = [a["text"] for a in bot.connector.sent[before:] if ref in (a.get("text") or "")]
        case = await one_record(store, db.cases, ref)
        events = [e.type for e in await store.case_events(case.id) if e.type in ("bericht", "afgesloten", "heropend")]
        assert case.status == "afgesloten"  # closed is closed, whichever came first
        if "is bewaard" in said:  # the answer came first; the close after it
            assert events == ["bericht", "afgesloten"]
            assert await trail(store, ref) == [("answered", None), ("closed", None)]
        else:  # the close came first: the answer is refused as it would be a moment later
            assert said == msg.CASE_CLOSED.format(reference=ref)
            assert events == ["afgesloten"] and await trail(store, ref) == [("closed", None)]
    assert (await store.verify_audit()).intact


async def close_twice(first, second, store, clock, number: int = 1) -> None:
    """Two presses of "Afsluiten" at once, through two conversations (two replicas, or one twice)."""
    ref = await named_case(first, clock, number)
    turn = Chat(first, "kortrijk", MELDPUNT).card_turn()
    results = await asyncio.gather(
        first.act(turn, "report", ref, "afsluiten", "Afgehandeld."),
        second.act(turn, "report", ref, "afsluiten", "Opgelost, dank je."),
    )
    (won,) = [result for result in results if result.done]
    (lost,) = [result for result in results if not result.done]
    assert lost.message == msg.ACTION_ALREADY.format(reference=ref, status="afgesloten") and lost.card is None
    case = await one_record(store, db.cases, ref)
    assert case.status == "afgesloten"
    (event,) = [e for e in await store.case_events(case.id) if e.type == "afgesloten"]
    assert await trail(store, ref) == [("closed", None)]
    (note,) = await updates(store, ref)  # the reporter hears it once, with the feedback that won
    assert event.text in json.dumps(note.card, ensure_ascii=False)
    assert won.message.startswith(msg.ACTION_DONE.format(what="afgesloten met terugkoppeling", reference=ref))


async def test_two_closes_at_once_close_once(conversation, store, clock):
    await close_twice(conversation, conversation, store, clock)


async def close_and_answer(first, second, store, clock, number: int = 1) -> bool:
    """A close on the card and a typed answer at once, through two conversations; whether the answer went first."""
    ref = await named_case(first, clock, number)
    handler = Chat(second, "kortrijk", MELDPUNT)
    closed, _ = await asyncio.gather(
        first.act(handler.card_turn(), "report", ref, "afsluiten", "Afgehandeld."),
        handler.say(f"antwoord {ref} Nog een laatste vraag?"),
    )
    case = await one_record(store, db.cases, ref)
    events = [e.type for e in await store.case_events(case.id) if e.type in ("bericht", "afgesloten", "heropend")]
    assert closed.done and case.status == "afgesloten"
    if "is bewaard" in handler.text:
        assert events == ["bericht", "afgesloten"]
        assert await trail(store, ref) == [("answered", None), ("closed", None)]
        return True
    assert handler.text == msg.CASE_CLOSED.format(reference=ref)
    assert events == ["afgesloten"] and await trail(store, ref) == [("closed", None)]
    return False


async def test_a_close_and_an_acknowledgement_at_once_never_undo_the_close(conversation, store, clock):
    ref = await named_case(conversation, clock)
    turn = Chat(conversation, "kortrijk", MELDPUNT).card_turn()
    close, acknowledge = await asyncio.gather(
        conversation.act(turn, "report", ref, "afsluiten", "Afgehandeld."),
        conversation.act(turn, "report", ref, "bevestigen", None),
    )
    assert close.done and (await one_record(store, db.cases, ref)).status == "afgesloten"
    if acknowledge.done:  # it came first, the close after it
        assert await trail(store, ref) == [("acknowledged", None), ("closed", None)]
        assert len(await updates(store, ref)) == 2
    else:
        assert acknowledge.message == msg.ACTION_ALREADY.format(reference=ref, status="afgesloten")
        assert await trail(store, ref) == [("closed", None)] and len(await updates(store, ref)) == 1


async def decide_twice(first, second, store) -> None:
    """ "Akkoord" and "Niet akkoord" on one gift at once, through two conversations."""
    employee = Chat(first, "kortrijk", UserRef("msteams", "aad-user-1", "a:conv-1", name="An Peeters"))
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.pick(f"[aad:{MANAGER.user_id}]")
    await employee.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    turn = Chat(first, "kortrijk", MANAGER).card_turn()
    verbs = ("akkoord", "niet-akkoord")
    results = await asyncio.gather(
        first.act(turn, "gift", gift.reference, verbs[0], None),
        second.act(turn, "gift", gift.reference, verbs[1], None),
    )
    assert sorted(result.done for result in results) == [False, True]  # exactly one decision
    verb = verbs[[result.done for result in results].index(True)]
    status = {"akkoord": "akkoord", "niet-akkoord": "niet akkoord"}[verb]
    (lost,) = [result for result in results if not result.done]
    assert lost.message == msg.ACTION_ALREADY.format(reference=gift.reference, status=status)
    decided = await one_record(store, db.gifts, gift.reference)
    assert (decided.status, decided.decided_by, decided.decided_by_id) == (
        status,
        "Mia Manager",
        f"msteams:{MANAGER.user_id}",
    )
    assert await trail(store, gift.reference) == [("decided", verb)]
    (note,) = await updates(store, gift.reference)  # the employee hears one decision: the one on record
    assert note.recipient == {"teams_aad_id": "aad-user-1"}
    assert f": {'Akkoord' if verb == 'akkoord' else 'Niet akkoord'}." in json.dumps(note.card, ensure_ascii=False)


async def test_agree_and_disagree_on_a_gift_at_once_decide_once(conversation, store):
    await decide_twice(conversation, conversation, store)


async def test_a_contact_request_taken_up_twice_at_once_is_taken_once(conversation, store):
    employee = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-1", "a:conv-1", name="An Peeters"))
    await employee.say("vertrouwenspersoon")
    await employee.press("mensen op het werk")
    await employee.press("Vertrouwenspersoon")
    await employee.say("via Teams, liefst na 16 uur")
    await employee.say("overslaan")
    await employee.press("Vraag versturen")
    (request,) = await rows(store, db.contact_requests)
    turn = Chat(conversation, "kortrijk", ADVISER).card_turn()
    take = conversation.act(turn, "contact", request.reference, "contact", None)
    results = await asyncio.gather(take, conversation.act(turn, "contact", request.reference, "contact", None))
    assert sorted(result.done for result in results) == [False, True]
    (lost,) = [result for result in results if not result.done]
    assert lost.message == msg.ACTION_ALREADY.format(reference=request.reference, status="opgenomen")
    assert (await one_record(store, db.contact_requests, request.reference)).status == "opgenomen"
    assert await trail(store, request.reference) == [("contact", None)]
    assert len(await updates(store, request.reference)) == 1
