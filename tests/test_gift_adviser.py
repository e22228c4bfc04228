"""Declare a gift (advice from each code, the register) and find your confidential adviser (contacts, requests)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.conversation.dispatch import Conversation
from bot.storage import db
from dialogs.amounts import parse_euro
from tests.conftest import Chat, reference
from tests.flows import declare, rows

MANAGER = {"kortrijk": "leidinggevende", "igo": "leidinggevende", "voorbeeldgemeente": "leidinggevende"}
MANAGER |= {"putte": "diensthoofd", "vvsg": "diensthoofd"}
GIFT_SECTION = {
    "kortrijk": "geschenken-en-voordelen",
    "igo": "geschenken-en-uitnodigingen",
    "putte": "privebelangen-en-relatiegeschenken",
    "vvsg": "geschenken-en-uitnodigingen",
}


@pytest.mark.parametrize(
    ("text", "value"),
    [("€ 25", 25.0), ("25,50", 25.5), ("ongeveer 30 euro", 30.0), ("vijfentwintig euro", 25.0),
     ("tweehonderd vijftig", 250.0), ("1.250", 1250.0), ("weet ik niet", None)],
)  # fmt: skip
def test_amounts_as_people_type_them(text, value):
    assert parse_euro(text) == value


def test_no_amount_is_an_error():
    with pytest.raises(ValueError):
        parse_euro("een fles wijn")


@pytest.mark.parametrize("org", sorted(GIFT_SECTION))
async def test_small_gift_advice_cites_the_code_and_lands_in_the_register(conversation, store, clock, content, org):
    chat = Chat(conversation, org)
    advice = await declare(chat, "Een geschenk", "ongeveer dertig euro", small="Ja")
    assert f"deel '{content.packs[org].section(GIFT_SECTION[org]).title}'" in advice
    assert f"Wie is je {MANAGER[org]}?" in advice
    expected = "discuss" if org == "putte" else "accept"  # Putte allows gifts only in a normal professional relation
    assert ("mag het aanvaarden" in advice) == (expected == "accept")
    await chat.say("Jan Janssens")
    assert "Waarde: € 30" in chat.text
    await chat.press("Geschenk melden")
    assert "geschenkenregister" in chat.text and reference(clock, "G") in chat.text
    (gift,) = await rows(store, db.gifts)
    assert (gift.value_eur, gift.giver, gift.status, gift.manager) == (
        30.0,
        "Bouwbedrijf Peeters",
        "gemeld",
        "Jan Janssens",
    )
    assert gift.employee_name == "Lies Janssens" and gift.advice_section == GIFT_SECTION[org]
    (note,) = await rows(store, db.outbox)
    assert note.recipient == {"name": "Jan Janssens"} and note.recipient_role == MANAGER[org]
    assert "Bouwbedrijf Peeters" in str(note.card) and "geschenk" in str(note.card)  # the manager sees the details


async def test_money_and_a_pending_decision_are_always_refused(conversation):
    chat = Chat(conversation, "kortrijk")
    money = await declare(chat, "Geld", "50 euro", small=None)
    # Kortrijk's code has no rule on money: the advice says it is general advice, not the code's.
    assert "Dit is algemeen advies, geen regel uit de code van Stad en OCMW Kortrijk" in money
    assert "geef het terug" in money
    await chat.say("stop")
    pending = await declare(chat, "Een geschenk", "€ 10", small="Ja", pending="Ja")
    assert "Er ligt bij jou een beslissing" in pending and "mag het aanvaarden" not in pending
    assert "de hoop op een tegenprestatie vermoed kan worden" in pending  # the code's own words


async def test_invitation_is_discussed_first_in_the_codes_words(conversation):
    chat = Chat(conversation, "kortrijk")
    advice = await declare(chat, "uitnodiging", "weet ik niet", small=None)
    assert "bespreek het eerst" in advice
    assert "wordt dit steeds op voorhand met de leidinggevende besproken" in advice


async def test_unknown_value_asks_the_user_to_judge_with_the_codes_examples(conversation):
    chat = Chat(conversation, "kortrijk")
    await chat.say("geschenk")
    await chat.press("Een geschenk")
    await chat.press("burger")
    await chat.say("een inwoner")
    await chat.say("weet ik niet")
    assert "noemt geen bedrag" in chat.text and "doos pralines" in chat.text
    await chat.say("zevenentwintig")  # not an answer to this question
    assert "Dat begreep ik niet goed" in chat.text


async def test_silent_code_says_so_and_advises_asking_the_manager(conversation):
    chat = Chat(conversation, "voorbeeldgemeente")
    advice = await declare(chat, "Een geschenk", "20", small=None)
    assert "zegt niets over geschenken" in advice and "Vraag het daarom eerst aan je leidinggevende" in advice


async def test_value_in_words_can_be_changed_from_the_summary(content, store, directory, clock):
    # A deployment whose own mail domain is vvsg.example: a typed address there may be mailed.
    own_domain = replace(directory, mail_domains=("vvsg.example",))
    chat = Chat(Conversation.build(content, store, own_domain, clock=clock), "vvsg")
    await declare(chat, "Een geschenk", "vijftien euro", small="Ja")
    await chat.say("an.diensthoofd@vvsg.example")
    assert "Waarde: € 15" in chat.text
    await chat.press("Iets aanpassen")
    await chat.press("Waarde")
    await chat.say("€ 12,50")
    assert "Waarde: € 12,50" in chat.text
    await chat.press("Geschenk melden")
    (gift,) = await rows(store, db.gifts)
    (note,) = await rows(store, db.outbox)
    assert gift.value_eur == 12.5 and note.recipient == {"email": "an.diensthoofd@vvsg.example"}


async def test_adviser_explains_the_difference_and_shows_the_codes_contacts(conversation, store, clock):
    chat = Chat(conversation, "kortrijk")
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    text = chat.text
    assert "informele weg" in text and "formeel verzoek" in text and "aangetekende brief" in text
    assert "056/278503" in text and "idpbw@kortrijk.be" in text  # from the code itself
    assert "Demo Vertrouwenspersoon (fictief)" in text  # from the deployment's contacts
    await chat.press("Vertrouwenspersoon")
    await chat.say("via Teams, liefst na 16 uur")
    await chat.say("overslaan")
    assert "Onderwerp: niet opgegeven" in chat.text
    await chat.press("Vraag versturen")
    assert reference(clock, "V") in chat.text
    (request,) = await rows(store, db.contact_requests)
    assert (request.role, request.reach, request.note) == ("vertrouwenspersoon", "via Teams, liefst na 16 uur", None)
    (note,) = await rows(store, db.outbox)
    assert note.recipient["name"] == "Demo Vertrouwenspersoon (fictief)" and "Onderwerp" not in str(note.card)


@pytest.mark.parametrize("org", ["igo", "putte", "voorbeeldgemeente", "vvsg"])
async def test_adviser_is_honest_where_the_code_names_no_confidential_adviser(conversation, directory, content, org):
    chat = Chat(conversation, org)
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    if org == "vvsg":
        assert "klachtenmanager" in chat.text.lower()
    else:
        assert "noemt geen vertrouwenspersoon of preventieadviseur" in chat.text
    known = {p.email for people in directory.orgs[org].values() for p in people}
    known |= {email for role in content.packs[org].contacts.roles for email in role.email}
    assert set(re.findall(r"[\w.-]+@[\w.-]+\w", chat.text)) <= known  # no invented addresses
    await chat.press("Nee, bedankt")
    assert "Je weet nu waar je terechtkunt" in chat.text


@pytest.mark.parametrize("org", ["igo", "kortrijk", "putte", "voorbeeldgemeente", "vvsg"])
async def test_adviser_dilemma_and_report_topics(conversation, store, org):
    chat = Chat(conversation, org)
    await chat.say("vertrouwenspersoon")
    await chat.press("integriteitsvraag")
    assert "Hier kun je terecht, en waarom" in chat.text
    await chat.say("terug")
    await chat.press("Ik wil iets melden")
    await chat.press("Vermoeden melden")
    assert "Waarover gaat je melding?" in chat.text
