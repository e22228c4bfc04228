"""Nothing lost in a gift declaration: what the employee typed is kept, shown and exported, and the advice stored
is the advice shown; the decider of a declaration is never its declarant, and a decision keeps the decider's id."""

from __future__ import annotations

import csv

from bot.reports.export import HEADERS, gift_rows, write_csv
from bot.storage import db
from dialogs import texts as t
from tests.conftest import Chat
from tests.flows import rows

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
    assert f"Advies: {t.ADVICE_SHORT['return']}" in summary and "weigeren" not in summary
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
    with open(path, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle, delimiter=";"))
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
    assert f"Advies: {t.ADVICE_SHORT['refuse']}" in chat.text
    await chat.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    assert (gift.description, gift.advice) == (None, "refuse")


async def test_every_advice_shown_has_its_short_form(content):
    """One source: each advice the flow can give has both its sentence and its word."""
    assert set(t.ADVICE_VERDICT) == set(t.ADVICE_SHORT)


async def test_a_gift_described_at_length_is_refused_with_a_reason(conversation):
    chat = Chat(conversation, "putte")
    await chat.say("geschenk")
    await chat.say("een fles wijn " * 40)
    assert "Hou het kort" in chat.text and "Wat kreeg je" in chat.text
