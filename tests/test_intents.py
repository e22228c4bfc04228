"""Intents: a sentence that asks to start a flow starts it, and a lookup answer offers the flow a question names."""

from __future__ import annotations

import pytest

from bot.conversation.intents import offers, start_intent
from bot.storage import db
from bot.vocabulary.turns import UserRef
from dialogs import gift_texts as gt
from dialogs import texts as t
from tests.conftest import Chat
from tests.flows import rows


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("ik wil iets melden", "melden"),
        ("ik wil een melding doen", "melden"),
        ("Ik wil een melding maken.", "melden"),
        ("ik zou graag iets melden", "melden"),
        ("ik wil een vermoeden melden", "melden"),
        ("ik wil een integriteitsschending melden", "melden"),
        ("ik wil iets aangeven", "melden"),
        ("ik wil anoniem iets melden", "melden"),
        ("hoe kan ik iets melden?", "melden"),
        ("waar kan ik een melding doen", "melden"),
        ("Hallo, ik wil iets melden!", "melden"),
        ("ik wil weten hoe ik iets kan melden", "melden"),
        ("iets melden", "melden"),
        ("ik wil melden dat mijn collega geschenken aanneemt", "melden"),  # someone else's deed: a report
        ("ik wil een vermoeden van fraude door een collega melden", "melden"),
        ("ik wil een geschenk melden", "geschenk"),
        ("ik wil een cadeau aangeven", "geschenk"),
        ("ik wil een uitnodiging melden", "geschenk"),
        ("ik wil een geschenk registreren", "geschenk"),
        ("ik wil een relatiegeschenk aangeven", "geschenk"),
        ("ik wil melden dat ik een cadeautje kreeg", "geschenk"),
        ("ik wil met een vertrouwenspersoon praten", "vertrouwenspersoon"),
        ("ik zoek een vertrouwenspersoon", "vertrouwenspersoon"),
        ("wie is mijn vertrouwenspersoon", "vertrouwenspersoon"),
        ("Wie is mijn vertrouwenspersoon?", "vertrouwenspersoon"),
        ("ik wil met iemand in vertrouwen praten", "vertrouwenspersoon"),
        ("ik heb nood aan een vertrouwenspersoon", "vertrouwenspersoon"),
        ("ik wil weten wie mijn vertrouwenspersoon is", "vertrouwenspersoon"),
    ],
)
def test_a_clear_wish_starts_its_flow(text, flow):
    assert start_intent(text) == flow


@pytest.mark.parametrize(
    "text",
    [
        # Questions about what the code says: the lookup answers them, then offers the flow.
        "mag ik een geschenk aannemen?",
        "moet ik een geschenk melden?",
        "geschenk melden?",
        "wat moet ik melden?",
        "kan ik corruptie melden zonder mijn naam te geven?",
        "ik wil weten of ik een geschenk moet melden",
        "ik wil weten wie ik moet verwittigen bij een geschenk",
        "wat doet een vertrouwenspersoon?",
        "ik wil een vraag stellen aan de raadgever integriteit zonder officiële klacht",
        # Stories and everyday messages.
        "ik kreeg een rare mail",
        "mijn baas pest mij",
        "een journalist belt me",
        "ik wil een ernstige schending liever niet bij mijn chef melden",
        "ik wil aangeven dat ik het er niet mee eens ben",
        "ik wil iets registreren",
        "grensoverschrijdend gedrag melden",  # reads as a search: the lookup answers, then offers the flows
        "ik zit ermee en wil eens babbelen met iemand in vertrouwen",
        "",
        # A long message tells a story, whatever its first words.
        "ik wil iets melden: " + "gisteren gebeurde er op de dienst iets dat ik echt niet in orde vond " * 2,
    ],
)
def test_questions_and_stories_start_nothing(text):
    assert start_intent(text) is None


def offered(text: str) -> str | None:
    """The flow the first offer after a lookup answer leads to, if any."""
    replies = offers(text)
    return replies[0].choices[0].value if replies else None


@pytest.mark.parametrize(
    ("text", "flow"),
    [
        ("moet ik een geschenk melden?", "geschenk"),
        ("mag ik een fles wijn van een aannemer aannemen?", "geschenk"),
        ("mag ik een cadeautje aannemen?", "geschenk"),
        ("ik kreeg een relatiegeschenk", "geschenk"),
        ("mag ik een kerstpakket houden?", "geschenk"),
        ("een klant gaf me een cadeaubon", "geschenk"),
        ("ik kreeg pralines van een burger", "geschenk"),
        ("een leverancier stuurde bloemen", "geschenk"),
        ("ik ben uitgenodigd op een etentje", "geschenk"),
        ("een firma biedt me tickets aan", "geschenk"),
        ("mag ik een fooi aannemen?", "geschenk"),
        ("een klant geeft me geld", "geschenk"),
        ("ik kreeg geld van een leverancier", "geschenk"),
        ("ik kreeg iets van een klant", "geschenk"),
        ("ik word gepest door een collega", "vertrouwenspersoon"),
        ("mijn baas pest mij", "vertrouwenspersoon"),
        ("is dit intimidatie?", "vertrouwenspersoon"),
        ("grensoverschrijdend gedrag op de dienst", "vertrouwenspersoon"),
        ("ongewenst seksueel gedrag", "vertrouwenspersoon"),
        ("een collega roddelt over mij", "vertrouwenspersoon"),
        ("ik werd uitgescholden en bedreigd", "vertrouwenspersoon"),
        ("racisme op het werk", "vertrouwenspersoon"),
        ("iemand van de dienst steelt materiaal", "melden"),
        ("ik vermoed fraude", "melden"),
        ("een aannemer bood me smeergeld aan", "melden"),  # a misdeed, not a gift to declare
        ("mijn collega sjoemelt met de uren", "melden"),
        ("wat als ik corruptie zie?", "melden"),
        ("misbruik van de dienstwagen", "melden"),
    ],
)
def test_a_lookup_answer_offers_the_flow_the_question_names(text, flow):
    assert offered(text) == flow


@pytest.mark.parametrize(
    "text",
    [
        "ik kreeg een rare mail",  # "kreeg" alone names no gift
        "ik kreeg iets raars in mijn mailbox",
        "ik kreeg een kassabon",
        "mijn takenpakket is te zwaar",
        "is dit product giftig?",
        "moet ik mijn geld terugstorten?",
        "wat moet ik melden?",
        "een journalist belt me",
        "mag ik een bijjob doen?",
    ],
)
def test_no_offer_when_the_question_names_no_flow(text):
    assert offers(text) == []


async def test_a_wish_to_report_starts_the_report_flow_in_a_private_chat(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await chat.say("ik wil iets melden")
    assert t.KIND_QUESTION in chat.text
    assert len(await rows(store, db.flow_state)) == 1


async def test_a_wish_to_declare_a_gift_starts_the_gift_flow(conversation):
    chat = Chat(conversation, "kortrijk")
    await chat.say("ik wil een geschenk aangeven")
    assert gt.GIFT_KIND_QUESTION in chat.text


async def test_a_wish_for_the_adviser_starts_the_adviser_flow(conversation):
    chat = Chat(conversation, "kortrijk")
    await chat.say("wie is mijn vertrouwenspersoon?")
    assert t.TOPIC_QUESTION in chat.text


async def test_a_wish_to_report_in_a_group_chat_points_to_the_private_chat(conversation, store):
    chat = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-7", "19:group", "Lies", private=False))
    await chat.say("ik wil iets melden")
    (reply,) = chat.last
    assert "privégesprek" in reply.text and reply.private_start == "melden"
    assert t.KIND_QUESTION not in chat.text
    assert await rows(store, db.flow_state) == []


async def test_a_rare_mail_gets_no_gift_offer(conversation):
    chat = Chat(conversation, "kortrijk")
    await chat.say("ik kreeg een rare mail")
    values = [choice.value for reply in chat.last for choice in reply.choices]
    assert "geschenk" not in values
    assert "geschenk" not in chat.text.lower()


async def test_a_question_about_the_rule_is_answered_then_the_gift_flow_offered(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await chat.say("moet ik een geschenk melden?")
    assert chat.last[0].card is not None  # the code's answer, not a flow
    assert await rows(store, db.flow_state) == []
    await chat.press("Geschenk melden")
    assert gt.GIFT_KIND_QUESTION in chat.text


async def test_during_a_flow_a_wish_is_not_a_new_start(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await chat.say("melden")
    await chat.say("ik wil een geschenk melden")
    assert gt.GIFT_KIND_QUESTION not in chat.text
    (state,) = await rows(store, db.flow_state)
    assert "melden" in str(state)
