"""Notifications reach their recipient in Teams: a proactive 1:1 message with the card, retried when the
connector is down, never carrying a report's details, and the handler opens the case from the card."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.app import WORKER
from bot.channels.teams.adaptive import PERSON_KEY
from bot.storage import db
from bot.storage.discretion import HOLD_TO
from bot.vocabulary.turns import UserRef
from tests.conftest import Bot, Chat
from tests.flows import DESCRIPTION, TYPED_REPORT, declare, receipt_code, rows
from tests.teams_chat import elements, shown_text
from tests.test_card_schema import schema_problems

MELDPUNT = "00000000-0000-4000-8000-000000000201"  # Kortrijk's algemeen directeur in the demo contacts


async def report(bot: Bot) -> str:
    """File an anonymous report as an employee and let the hold of its notification (to the next morning) pass;
    returns the confirmation."""
    for text in TYPED_REPORT:
        await bot.say(text)
    (confirmation,) = await bot.say("verzenden")
    bot.clock.advance(seconds=HOLD_TO.total_seconds())
    return shown_text(confirmation)


async def delivered(store, count: int = 1) -> None:
    """Wait until `count` notifications are marked delivered."""
    for _ in range(100):
        if sum(row.status == "delivered" for row in await rows(store, db.outbox)) >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError([(row.status, row.last_error) for row in await rows(store, db.outbox)])


def opened(card: dict) -> list[dict]:
    """The card's own buttons ('Openen'), in an ActionSet of their own above the field and the verbs."""
    return [action for item in card["body"] if item["type"] == "ActionSet" for action in item["actions"]]


def cards_in(connector, conversation: str) -> list[dict]:
    """The Adaptive Cards the bot sent into a conversation."""
    return [
        attachment["content"]
        for activity in connector.sent
        if activity["_path"].split("/")[3] in (conversation, conversation.replace(":", "%3A"))
        for attachment in activity.get("attachments") or []
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
    ]


async def test_report_reaches_the_handler_as_a_card_they_can_open(start_bot, store, clock):
    bot = await start_bot(teams_notify=True)
    confirmation = await report(bot)
    assert "krijgt een bericht" in confirmation  # honest: a Teams chat reaches the meldpunt
    await delivered(store)

    (created,) = bot.connector.created
    assert created["members"][0]["id"] == MELDPUNT and created["channelData"]["tenant"]["id"] == "tenant-demo"
    assert created["isGroup"] is False
    (card,) = cards_in(bot.connector, "a:created-1")
    text = json.dumps(card, ensure_ascii=False)
    reference = f"M-{clock.today().year}-0001"
    assert reference in text and card["version"] == "1.5" and schema_problems(card) == []
    assert DESCRIPTION not in text and "An Peeters" not in text  # never the report or the reporter

    # The handler presses "Openen" in that chat: the details, to them only.
    (button,) = [action for action in elements(card) if action["type"] == "Action.Submit"]
    handler = {"id": "29:meldpunt", "name": "Demo Meldpunt (fictief)", "aadObjectId": MELDPUNT}
    conversation = {"id": "a:created-1", "conversationType": "personal", "tenantId": "tenant-demo"}
    sent = await bot.say(None, value=button["data"], conversation=conversation, **{"from": handler})
    assert DESCRIPTION in sent[0]["text"]

    # Only the recipient's chat is remembered; nothing of the employee who reported.
    (chat,) = await rows(store, db.teams_chats)
    assert (chat.aad_object_id, chat.conversation_id) == (MELDPUNT, "a:created-1")
    assert "aad-user-1" not in str(await rows(store, db.teams_chats) + await rows(store, db.teams_tenants))


async def test_second_notification_goes_to_the_same_chat(start_bot, store):
    bot = await start_bot(teams_notify=True)
    await report(bot)
    await delivered(store)
    second = {"id": "a:conv-2", "conversationType": "personal", "tenantId": "tenant-demo"}
    for text in [*TYPED_REPORT, "verzenden"]:
        await bot.say(text, conversation=second)
    bot.clock.advance(seconds=HOLD_TO.total_seconds())
    await delivered(store, 2)
    assert len(bot.connector.created) == 1  # the stored chat is used
    assert len(cards_in(bot.connector, "a:created-1")) == 2


async def test_connector_down_is_retried_and_delivered_once(start_bot, store, clock):
    bot = await start_bot(teams_notify=True, outbox_interval=3600)  # the worker is driven by hand below
    worker = bot.server.app[WORKER]
    await report(bot)
    bot.connector.down = True
    assert await worker.run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert (row.status, row.attempts) == ("pending", 1) and "Service Unavailable" in row.last_error
    bot.connector.down = False
    assert await worker.run_once() == 0  # backing off
    clock.advance(seconds=6)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0
    assert len(bot.connector.created) == 1 and len(cards_in(bot.connector, "a:created-1")) == 1


async def test_without_teams_notifications_the_user_hears_the_truth(start_bot, store):
    bot = await start_bot()  # development mode: no Teams notifications configured
    confirmation = await report(bot)
    assert "krijgt een bericht" not in confirmation and "nog niet rechtstreeks" in confirmation
    await delivered(store)
    assert bot.connector.created == [] and (await rows(store, db.outbox))[0].channel == "log"


HANDLER = {"id": "29:meldpunt", "name": "Demo Meldpunt (fictief)", "aadObjectId": MELDPUNT}
HANDLER_CHAT = {"id": "a:created-1", "conversationType": "personal", "tenantId": "tenant-demo"}


async def press(bot: Bot, card: dict, verb: str, who: dict = HANDLER, text: str | None = None) -> dict:
    """Press an Action.Execute button of a card as `who`; returns the invoke response body."""
    (action,) = [a for a in card["actions"] if a.get("verb") == verb]
    data = {**action["data"], **({"tekst": text} if text else {})}
    invoke = bot.activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
        conversation=HANDLER_CHAT,
        **{"from": who},
    )
    async with bot.http.post(bot.url("/api/messages"), json=invoke) as response:
        assert response.status == 200
        return await response.json()


async def test_handler_acknowledges_and_closes_from_the_card(start_bot, store, clock):
    bot = await start_bot(teams_notify=True)
    code = receipt_code(await report(bot))
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    # 'Openen' in a row of its own, the verbs in a row under the field: four buttons in one row would be cut.
    assert [a["title"] for a in opened(card)] == ["Openen"]
    assert [a.get("verb") for a in card["actions"]] == ["bevestigen", "vraag", "afsluiten"]
    assert any(item.get("type") == "Input.Text" for item in card["body"])

    answer = await press(bot, card, "bevestigen")
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    updated = answer["value"]
    assert "Ontvangst bevestigd: door Demo Meldpunt (fictief)" in json.dumps(updated, ensure_ascii=False)
    assert [a.get("verb") for a in updated["actions"]] == ["vraag", "afsluiten"] and opened(updated)
    assert schema_problems(updated) == []
    (case,) = await rows(store, db.cases)
    assert case.status == "ontvangst bevestigd"

    closed = await press(bot, updated, "afsluiten", text="We hebben de opdrachten opnieuw laten gunnen.")
    assert [a.get("verb") for a in closed["value"].get("actions", [])] == [None]
    (case,) = await rows(store, db.cases)
    assert case.status == "afgesloten"
    # The anonymous reporter reads it with the receipt code; nobody was messaged about them.
    sent = await bot.say(f"status {code}")
    assert "afgesloten" in sent[0]["text"] and "opnieuw laten gunnen" in sent[0]["text"]
    assert len(await rows(store, db.outbox)) == 1


async def test_a_named_reporter_hears_news_in_teams_and_no_row_remembers_their_chat(start_bot, store, clock):
    """The named reporter's 'Nieuws over je melding' opens a chat with them, but only the handler's chat is kept:
    after retention nothing in teams_chats says this employee was ever reached about a case."""
    bot = await start_bot(teams_notify=True)
    for text in ["met mijn naam" if typed == "anoniem" else typed for typed in TYPED_REPORT]:
        await bot.say(text)
    # The outbox worker may deliver the meldpunt's card while this turn runs: the reply is the one in this chat.
    sent = await bot.say("verzenden")
    (confirmation,) = [activity for activity in sent if "/conversations/a:conv-1/" in activity.get("_path", "")]
    assert "Je meldde met je naam" in shown_text(confirmation)
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    closed = await press(bot, card, "afsluiten", text="Afgehandeld.")
    assert [a.get("verb") for a in closed["value"].get("actions", [])] == [None]
    await delivered(store, 2)
    assert len(bot.connector.created) == 2  # the meldpunt's chat, then the reporter's, opened for the news
    assert bot.connector.created[1]["members"][0]["id"] == "aad-user-1"
    (chat,) = await rows(store, db.teams_chats)
    assert chat.aad_object_id == MELDPUNT
    assert "aad-user-1" not in str(await rows(store, db.teams_chats) + await rows(store, db.teams_tenants))


async def test_someone_else_cannot_act_on_the_card(start_bot, store):
    bot = await start_bot(teams_notify=True)
    await report(bot)
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    stranger = {"id": "29:other", "name": "Iemand Anders", "aadObjectId": "aad-someone-else"}
    answer = await press(bot, card, "bevestigen", who=stranger)
    assert answer["type"] == "application/vnd.microsoft.activity.message" and "niet voor jou" in answer["value"]
    (case,) = await rows(store, db.cases)
    assert case.status == "ontvangen"


async def test_adviser_takes_up_a_contact_request_and_the_employee_hears_it(start_bot, store):
    bot = await start_bot(teams_notify=True)
    for text in ("vertrouwenspersoon", "mensen op het werk", "Vertrouwenspersoon", "via Teams, na 16 uur", "overslaan"):
        await bot.say(text)
    await bot.say("Vraag versturen")
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    assert schema_problems(card) == []
    adviser = {"id": "29:vp", "name": "Demo Vertrouwenspersoon (fictief)"}
    adviser["aadObjectId"] = "00000000-0000-4000-8000-000000000203"
    answer = await press(bot, card, "contact", who=adviser)
    assert "Neemt contact op: door Demo Vertrouwenspersoon" in json.dumps(answer["value"], ensure_ascii=False)
    await delivered(store, 2)
    # The employee gets the news in their own chat, opened with their AAD object id.
    assert bot.connector.created[-1]["members"][0]["id"] == "aad-user-1"
    (news,) = cards_in(bot.connector, "a:created-2")
    assert "neemt contact met je op" in json.dumps(news, ensure_ascii=False) and schema_problems(news) == []


async def test_a_question_reaches_a_named_reporter_in_their_chat(start_bot, store):
    bot = await start_bot(teams_notify=True)
    for text in [*TYPED_REPORT[:2], "met naam", *TYPED_REPORT[3:], "verzenden"]:  # the identity, third
        await bot.say(text)
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    await press(bot, card, "vraag", text="Wanneer precies werden de opdrachten gegund?")
    await delivered(store, 2)
    assert bot.connector.created[-1]["members"][0]["id"] == "aad-user-1"
    (question,) = cards_in(bot.connector, "a:created-2")
    assert "Vraag: Wanneer precies" in json.dumps(question, ensure_ascii=False)
    (case,) = await rows(store, db.cases)
    assert case.status == "in behandeling"


MANAGER_AAD = "6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b"


async def test_a_picked_manager_gets_the_gift_card_and_decides(start_bot, conversation, store):
    bot = await start_bot(teams_notify=True)
    await bot.say("hallo")  # the tenant is learnt from the employee's own traffic
    employee = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-1", "a:conv-1", name="An Peeters"))
    conversation.intake.channels.add("msteams")  # this conversation instance speaks for the Teams-enabled service
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    assert employee.last[-1].people_picker  # Teams shows its people picker for this question
    await employee.pick(f"[aad:{MANAGER_AAD}]")  # what the picker submits
    assert "de persoon die je koos" in employee.text
    await employee.press("Geschenk melden")
    assert "krijgt een bericht" in employee.text
    await delivered(store)
    assert bot.connector.created[0]["members"][0]["id"] == MANAGER_AAD
    (card,) = cards_in(bot.connector, "a:created-1")

    assert schema_problems(card) == []
    manager = {"id": "29:manager", "name": "Mieke Manager", "aadObjectId": MANAGER_AAD}
    answer = await press(bot, card, "akkoord", who=manager, text="Zet ze op de nieuwjaarsreceptie.")
    assert "Akkoord: door Mieke Manager" in json.dumps(answer["value"], ensure_ascii=False)
    (gift,) = await rows(store, db.gifts)
    assert (gift.status, gift.decided_by, gift.decision_note) == (
        "akkoord",
        "Mieke Manager",
        "Zet ze op de nieuwjaarsreceptie.",
    )
    await delivered(store, 2)
    (news,) = cards_in(bot.connector, "a:created-2")
    assert "Akkoord" in json.dumps(news, ensure_ascii=False)
    assert bot.connector.created[-1]["members"][0]["id"] == "aad-user-1"


async def test_the_people_picker_over_http_answers_the_question(bot, conversation):
    """Teams sends the picked person as the card's value: it answers the question, it is no old button."""
    employee = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-1", "a:conv-1", name="An Peeters"))
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    assert employee.last[-1].people_picker
    sent = await bot.say(None, value={PERSON_KEY: MANAGER_AAD})
    assert "de persoon die je koos" in json.dumps(sent, ensure_ascii=False)
    assert "eerder bericht" not in json.dumps(sent, ensure_ascii=False)


async def test_a_typed_address_from_the_contacts_becomes_that_person(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await declare(chat, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await chat.say("MELDPUNT@kortrijk.example")
    assert "Demo Meldpunt (fictief)" in chat.text  # the summary names the person the address belongs to
    await chat.press("Geschenk melden")
    (note,) = await rows(store, db.outbox)
    # The whole contact: should their first channel fail for good, the next one they are configured on takes over.
    assert note.recipient == {
        "name": "Demo Meldpunt (fictief)",
        "email": "meldpunt@kortrijk.example",
        "teams_aad_id": MELDPUNT,
        "slack_user_id": "UDEMOKRT01",
    }


async def test_a_row_claimed_again_after_its_mark_failed_is_not_shown_twice(start_bot, store, clock, monkeypatch):
    bot = await start_bot(teams_notify=True, outbox_interval=3600)
    worker = bot.server.app[WORKER]
    await report(bot)
    service_store = worker.store

    async def disk_full(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(service_store, "mark_delivered", disk_full)
    try:
        await worker.run_once()
    except OSError:
        pass
    monkeypatch.undo()
    clock.advance(minutes=6)  # the claim ran out: the row is claimed again
    assert await worker.run_once() == 1
    assert len(cards_in(bot.connector, "a:created-1")) == 1  # the card was shown once


async def test_the_card_refreshes_for_its_addressee_to_where_things_stand(start_bot, store):
    bot = await start_bot(teams_notify=True)
    await report(bot)
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    assert card["refresh"]["userIds"] == [MELDPUNT] and card["refresh"]["action"]["verb"] == "refresh"
    await press(bot, card, "bevestigen")  # acted on from another device, say

    refresh = {**card, "actions": [*card["actions"], card["refresh"]["action"]]}
    now = (await press(bot, refresh, "refresh"))["value"]
    assert [a.get("verb") for a in now["actions"]] == ["vraag", "afsluiten"] and opened(now)
    shown = json.dumps(now, ensure_ascii=False)
    assert "ontvangst bevestigd" in shown and "Feedback uiterlijk" in shown  # the original facts stay
    assert schema_problems(now) == []


@pytest.mark.parametrize(
    "action",
    [
        {"type": "Action.Execute", "verb": "bevestigen", "data": {"notify": "report", "reference": "M-1999-0001"}},
        {"type": "Action.Execute", "verb": "wissen", "data": {"notify": "report", "reference": "M-2026-0001"}},
        {"type": "Action.Execute", "verb": "akkoord", "data": {"notify": "raket", "reference": "M-2026-0001"}},
        {"type": "Action.Execute", "verb": 5, "data": {"notify": "report", "reference": "M-2026-0001"}},
        {"type": "Action.Execute", "verb": "vraag", "data": {"notify": "report", "reference": ["x"]}},
        {
            "type": "Action.Execute",
            "verb": "vraag",
            "data": {"notify": "report", "reference": "M-2026-0001", "tekst": 7},
        },
        {"type": "Action.Execute", "verb": "refresh", "data": {"notify": "contact", "reference": ""}},
    ],
)
async def test_odd_card_actions_get_a_polite_answer_and_change_nothing(start_bot, store, action):
    bot = await start_bot(teams_notify=True)
    await report(bot)
    invoke = bot.activity(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": action},
        conversation=HANDLER_CHAT,
        **{"from": HANDLER},
    )
    async with bot.http.post(bot.url("/api/messages"), json=invoke) as response:
        assert response.status in (200, 400)
        body = await response.json()
    assert body.get("type") in ("application/vnd.microsoft.activity.message", "application/vnd.microsoft.error")
    (case,) = await rows(store, db.cases)
    assert case.status == "ontvangen"
