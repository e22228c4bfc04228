"""Nothing lost in a gift declaration: what the employee typed is kept, shown and exported, and the advice stored
is the advice shown; the decider of a declaration is never its declarant, and a decision keeps the decider's id."""

from __future__ import annotations

import csv
import io
import json

from bot.channels.teams.adaptive import PERSON_KEY
from bot.reports.export import HEADERS, gift_rows, write_csv
from bot.storage import db
from bot.vocabulary import people
from bot.vocabulary.turns import UserRef
from dialogs import gift_texts as gt
from tests.conftest import Chat
from tests.flows import declare, rows
from tests.test_teams_delivery import MANAGER_AAD, cards_in, delivered, press

GIFT = "een kerstpakket met wijn"


async def putte_gift_pending_and_received(chat: Chat) -> str:
    """Putte: a gift typed in the employee's own words, from a supplier whose decision is pending, already
    received; returns the advice the bot gave before asking for the diensthoofd."""
    await chat.say("geschenk")
    await chat.say(GIFT)
    await chat.press("leverancier")
    await chat.say("Bouwbedrijf Peeters")
    await chat.say("ongeveer 60 euro")
    await chat.press("Nee")  # not symbolic
    await chat.press("Ja")  # a decision or file of the giver is pending with the employee
    await chat.press("Nee, een bedanking")
    await chat.press("Ja, ik heb het al")
    assert "Wie is je diensthoofd?" in chat.text
    return chat.text


async def test_putte_keeps_what_the_gift_was_and_stores_the_advice_it_gave(
    conversation, store, content, clock, tmp_path
):
    chat = Chat(conversation, "putte")
    advice = await putte_gift_pending_and_received(chat)
    assert "Mijn advies: geef het terug" in advice and "weiger" not in advice
    await chat.say("Jan Janssens")
    summary = chat.text
    assert f"Wat: {GIFT} (een geschenk)" in summary
    assert f"Advies: {gt.ADVICE_SHORT['return']}" in summary and "weigeren" not in summary
    await chat.press("Geschenk melden")
    assert "Mijn advies: geef het terug" in chat.text  # the confirmation repeats the same advice

    (gift,) = await rows(store, db.gifts)
    assert (gift.description, gift.advice, gift.gift_kind) == (GIFT, "return", "gift")
    (note,) = await rows(store, db.outbox)
    facts = dict(map(tuple, note.card["facts"]))
    assert facts["Wat"] == f"{GIFT} (geschenk)"  # the manager's card shows the gift
    assert facts["Advies van de bot"] == "teruggeven"

    (row,) = await gift_rows(store, content.packs["putte"], clock.today().year)
    assert (row.description, row.advice) == (GIFT, "teruggeven")
    path = tmp_path / "register.csv"
    write_csv([row], path)
    table = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    record = dict(zip(HEADERS, table[1], strict=True))
    assert (record["Omschrijving"], record["Advies"], record["Soort"]) == (GIFT, "teruggeven", "geschenk")


async def test_an_offered_gift_to_refuse_is_stored_as_refused_and_a_pressed_kind_has_no_description(
    conversation, store
):
    chat = Chat(conversation, "putte")
    await chat.say("geschenk")
    await chat.press("Geld of een waardebon")
    await chat.press("leverancier")
    await chat.say("Bouwbedrijf Peeters")
    await chat.say("50 euro")
    await chat.press("Nee")  # nothing pending
    await chat.press("Nee, een bedanking")
    await chat.press("Nee, het is aangeboden")
    assert "Mijn advies: weiger het" in chat.text
    await chat.say("Jan Janssens")
    assert f"Advies: {gt.ADVICE_SHORT['refuse']}" in chat.text
    await chat.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    assert (gift.description, gift.advice) == (None, "refuse")


async def test_every_advice_shown_has_its_short_form(content):
    """One source: each advice the flow can give has both its sentence and its word."""
    assert set(gt.ADVICE_VERDICT) == set(gt.ADVICE_SHORT)


async def test_a_gift_described_at_length_is_refused_with_a_reason(conversation):
    chat = Chat(conversation, "putte")
    await chat.say("geschenk")
    await chat.say("een fles wijn " * 40)
    assert "Hou het kort" in chat.text and "Wat kreeg je" in chat.text


# Point 5: over HTTP in Teams, as the Bot Connector posts it.
EMPLOYEE_AAD = "0b6d1f2e-3c4a-4b5d-8e6f-7a8b9c0d1e2f"
EMPLOYEE = {"id": "29:employee", "name": "An Peeters", "aadObjectId": EMPLOYEE_AAD}
MANAGER = {"id": "29:manager", "name": "Mieke Manager", "aadObjectId": MANAGER_AAD}
TYPED_GIFT = ["geschenk", "een fles wijn", "leverancier", "Bouwbedrijf Peeters", "ongeveer dertig euro", "ja"]
TYPED_GIFT += ["nee", "nee", "ja"]  # nothing pending, no favour expected, already received


def shown(sent: list[dict]) -> str:
    """What the bot's activities show: their text and cards, not their addressing."""
    return json.dumps([(a.get("text"), a.get("attachments")) for a in sent], ensure_ascii=False)


async def declare_over_http(bot) -> str:
    """An employee declares a gift in Teams up to the manager question; returns the question's text."""
    for text in TYPED_GIFT:
        sent = await bot.say(text, **{"from": EMPLOYEE})
    return shown(sent)


async def test_typed_text_that_imitates_the_picker_is_only_a_name(start_bot, store):
    bot = await start_bot(teams_notify=True)
    assert "Wie is je leidinggevende?" in await declare_over_http(bot)
    sent = shown(await bot.say(f"Directeur Jansen [aad:{EMPLOYEE_AAD}]", **{"from": EMPLOYEE}))
    assert "Directeur Jansen" in sent and EMPLOYEE_AAD not in sent and "de persoon die je koos" not in sent
    (confirmation,) = await bot.say("verzenden", **{"from": EMPLOYEE})
    assert "Ik kan Directeur Jansen zelf geen bericht sturen" in confirmation["text"]
    (gift,) = await rows(store, db.gifts)
    assert gift.manager == "Directeur Jansen"
    (note,) = await rows(store, db.outbox)
    assert note.channel == "log" and note.recipient == {"name": "Directeur Jansen"}  # no card to the employee
    assert EMPLOYEE_AAD not in str(note.recipient)


async def test_the_employee_cannot_pick_themselves(start_bot, store):
    bot = await start_bot(teams_notify=True)
    await declare_over_http(bot)
    sent = shown(await bot.say(None, value={PERSON_KEY: EMPLOYEE_AAD}, **{"from": EMPLOYEE}))
    assert "Dat ben je zelf" in sent and "Wie is je leidinggevende?" in sent
    sent = shown(await bot.say(None, value={PERSON_KEY: MANAGER_AAD}, **{"from": EMPLOYEE}))
    assert "de persoon die je koos" in sent


async def test_the_declarant_never_decides_and_a_decision_keeps_the_deciders_id(start_bot, store):
    bot = await start_bot(teams_notify=True)
    await bot.say("hallo")  # the tenant is learnt from the employee's own traffic
    await declare_over_http(bot)
    await bot.say(None, value={PERSON_KEY: MANAGER_AAD}, **{"from": EMPLOYEE})
    await bot.say("verzenden", **{"from": EMPLOYEE})
    await delivered(store)
    (card,) = cards_in(bot.connector, "a:created-1")
    # A declaration filed before this was guarded (its manager the employee's own id): the employee's own
    # "Akkoord" is refused, in Dutch, and nothing changes.
    async with store.engine.begin() as conn:
        await conn.execute(db.gifts.update().values(manager=f"An Peeters [aad:{EMPLOYEE_AAD}]"))
    answer = json.dumps(await press(bot, card, "akkoord", who=EMPLOYEE), ensure_ascii=False)
    assert "Over je eigen geschenk beslis je niet zelf" in answer
    (gift,) = await rows(store, db.gifts)
    assert (gift.status, gift.decided_by, gift.decided_by_id) == ("gemeld", None, None)

    async with store.engine.begin() as conn:
        await conn.execute(db.gifts.update().values(manager=f"[aad:{MANAGER_AAD}]"))
    answer = json.dumps(await press(bot, card, "akkoord", who=MANAGER), ensure_ascii=False)
    assert "Akkoord: door Mieke Manager" in answer
    (gift,) = await rows(store, db.gifts)
    assert (gift.status, gift.decided_by, gift.decided_by_id) == ("akkoord", "Mieke Manager", f"msteams:{MANAGER_AAD}")


async def test_in_slack_typed_text_that_imitates_the_user_select_is_only_a_name(conversation, store):
    employee = Chat(conversation, "kortrijk", UserRef("slack", "UEMPLOYEE", "T1:UEMPLOYEE", name="An Peeters"))
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.pick("[slack:UEMPLOYEE]")  # the user select's own value: but that is the employee
    assert "Dat ben je zelf" in employee.text
    await employee.say("Mia Manager [slack:UEMPLOYEE]")
    assert "Mia Manager" in employee.text and "UEMPLOYEE" not in employee.text
    await employee.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    assert gift.manager == "Mia Manager"


def test_a_bracket_hidden_in_a_bracket_is_still_only_a_name():
    """Removing the imitation once must not rebuild it: typed text never becomes a picked person."""
    own = "11111111-1111-4111-8111-111111111111"
    for text in (f"Baas [a[aad:x]ad:{own}]", "Baas [sla[slack:]ck:UEMPLOYEE]", "Baas [sla[aad:]ck:UEMPLOYEE]",
                 f"Baas [[aad:{own}]aad:{own}]", f"Baas [AAD:{own.upper()}]"):  # fmt: skip
        assert people.typed(text) == "Baas" and not people.is_picked(people.typed(text)), text


async def test_a_nested_imitation_typed_in_the_flow_reaches_nobody(conversation, store):
    employee = Chat(conversation, "kortrijk", UserRef("slack", "UEMPLOYEE", "T1:UEMPLOYEE", name="An Peeters"))
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.say("Mia Manager [sla[slack:]ck:UEMPLOYEE]")
    assert "Dat ben je zelf" not in employee.text and "UEMPLOYEE" not in employee.text
    await employee.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    assert gift.manager == "Mia Manager"


async def test_a_declarant_known_on_two_channels_cannot_decide_from_the_other(conversation, store):
    """Someone in the contacts with a Teams and a Slack id declares in Teams and presses 'Akkoord' in Slack."""
    teams = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt")
    employee = Chat(conversation, "kortrijk", teams)
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.say("meldpunt@kortrijk.example")  # their own address: refused as themselves
    assert "Dat ben je zelf" in employee.text
    await employee.say("Baas Peeters")
    await employee.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    slack = Chat(conversation, "kortrijk", UserRef("slack", "UDEMOKRT01", "T1:UDEMOKRT01", name="Demo Meldpunt"))
    result = await conversation.act(slack.card_turn(), "gift", gift.reference, "akkoord", None)
    assert "Over je eigen geschenk beslis je niet zelf" in result.message
    (gift,) = await rows(store, db.gifts)
    assert (gift.status, gift.decided_by_id) == ("gemeld", None)


async def test_a_manager_typed_as_a_contact_decides_from_either_channel(conversation, store):
    """The employee names their manager by the contacts' address in Teams; that person sees and decides it in
    Slack, where the overview says the advice the employee got."""
    employee = Chat(conversation, "kortrijk")
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.say("meldpunt@kortrijk.example")
    await employee.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    manager = Chat(conversation, "kortrijk", UserRef("slack", "UDEMOKRT01", "T1:UDEMOKRT01", name="Demo Meldpunt"))
    await manager.say("geschenken")
    assert gift.reference in manager.text and f"advies van de bot: {gt.ADVICE_SHORT[gift.advice]}" in manager.text
    result = await conversation.act(manager.card_turn(), "gift", gift.reference, "akkoord", None)
    assert result.done
    (gift,) = await rows(store, db.gifts)
    assert (gift.status, gift.decided_by_id) == ("akkoord", "slack:UDEMOKRT01")


async def test_typing_the_send_buttons_label_sends(conversation, store):
    """'Geschenk melden' typed at the summary is the button, never the command that starts a new declaration."""
    employee = Chat(conversation, "kortrijk")
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.say("Mia Manager")
    assert "Geschenk melden" in [choice.label for reply in employee.last for choice in reply.choices]
    await employee.say("Geschenk melden")
    assert "Je geschenk staat in het geschenkenregister" in employee.text
    assert len(await rows(store, db.gifts)) == 1
