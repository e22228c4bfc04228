"""An anonymous report asks nothing that points at the reporter; a named report for someone the bot cannot reach
says so and offers the reporting point instead; an answer that is no name is not taken as one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.conversation.dispatch import Conversation
from bot.storage import db
from bot.vocabulary.turns import UserRef
from dialogs.flow import Invalid
from dialogs.steps import parse_person
from tests.conftest import Chat
from tests.flows import DESCRIPTION, PICKED_MANAGER, all_rows, answer_report, rows

KINDS = ("schending van regels", "Gedrag tegenover", "Misbruik", "Ik weet het niet goed")
# The route's first role is the reporter's own for these; an anonymous report goes to the reporting point or the
# code's next role instead.
ANONYMOUS_RECIPIENT = {
    ("putte", "rule_breach"): "algemeen-directeur",
    ("putte", "behaviour"): "algemeen-directeur",
    ("putte", "misuse"): "algemeen-directeur",
    ("igo", "rule_breach"): "algemeen-directeur",
    ("igo", "behaviour"): "algemeen-directeur",
    ("voorbeeldgemeente", "behaviour"): "algemeen-directeur",
    ("kortrijk", "misuse"): "algemeen-directeur",
}


async def test_putte_anonymous_route_asks_nothing_about_the_reporters_boss(conversation, store):
    """The reproduction: melden -> rule breach -> not a crime -> not involved, anonymous."""
    chat = Chat(conversation, "putte")
    await chat.say("melden")
    await chat.press("schending van regels")
    await chat.press("Nee")  # not a criminal offence
    assert "naam of anoniem" in chat.text and "diensthoofd" not in chat.text  # anonymity comes first
    await chat.press("Anoniem")
    assert "Een anonieme melding stuur ik niet naar je diensthoofd" in chat.text
    assert "Volgens het Bestuursdecreet" in chat.text and "intern meldpunt" in chat.text
    assert "Wie is je" not in chat.text
    await chat.press("Nee")  # the algemeen directeur is not involved
    assert "Wie is je" not in chat.text and "Wat is er gebeurd?" in chat.text
    for text in (DESCRIPTION, "vorige maand", "overslaan"):
        await chat.say(text)
        assert "Wie is je" not in chat.text and "diensthoofd" not in chat.text.lower()
    await chat.press("Ja")
    assert "Gaat naar: Algemeen directeur, volgens het Bestuursdecreet" in chat.text
    await chat.press("Melding versturen")
    (case,) = await rows(store, db.cases)
    assert (case.recipient_role, case.recipient_person, case.anonymous) == ("algemeen-directeur", None, True)
    (note,) = await rows(store, db.outbox)
    assert note.recipient_role == "algemeen-directeur" and note.recipient["name"].startswith("Demo")


@pytest.mark.parametrize("org", ["igo", "kortrijk", "putte", "voorbeeldgemeente", "vvsg"])
async def test_every_organisations_anonymous_report_runs_and_never_asks_for_a_person(conversation, store, org):
    for kind in KINDS:
        chat = Chat(conversation, org)
        await answer_report(chat, kind, identity="Anoniem")
        asked = "\n".join(reply.text for reply in chat.last)
        assert "Wie is je" not in asked
        await chat.press("Melding versturen")
        assert "Je meldde anoniem" in chat.text
    cases = await rows(store, db.cases)
    assert len(cases) == len(KINDS) and all(case.anonymous and case.recipient_person is None for case in cases)
    for case in cases:
        role = ANONYMOUS_RECIPIENT.get((org, case.kind), None)
        if role is not None:
            assert case.recipient_role == role
        assert not conversation.content.packs[org].role(case.recipient_role).personal


@pytest.mark.parametrize("org", ["igo", "kortrijk", "putte", "voorbeeldgemeente", "vvsg"])
async def test_an_anonymous_reporter_who_finds_everyone_involved_gets_the_external_channel(conversation, store, org):
    """'Ja, die persoon' to every role an anonymous report can go to (never the reporter's own): the flow ends with
    the external channel and keeps nothing, in every organisation, never an error."""
    for kind in KINDS:
        chat = Chat(conversation, org)
        await chat.say("melden")
        await chat.press(kind)
        if "strafbaar feit" in chat.text:
            await chat.press("Nee")
        await chat.press("Anoniem")
        for _ in range(6):  # no code names more roles than this
            if "Is die persoon zelf betrokken" not in chat.text:
                break
            await chat.press("Ja, die persoon")
        assert "Iedereen die de code van" in chat.text and "Ik heb niets bewaard." in chat.text, (org, kind)
        assert "Wie is je" not in chat.text and "ging iets mis" not in chat.text
    assert await rows(store, db.cases) == [] and await rows(store, db.flow_state) == []


async def test_named_report_to_an_unreachable_boss_offers_the_reporting_point(conversation, store):
    chat = Chat(conversation, "putte")
    await chat.say("melden")
    await chat.press("schending van regels")
    await chat.press("Nee")
    await chat.press("Met mijn naam")
    await chat.press("Nee")  # the diensthoofd is not involved
    assert "Wie is je diensthoofd?" in chat.text
    for not_a_name in ("anoniem", "weet ik niet", "nee", "ik wil dat liever niet zeggen", "de directeur"):
        await chat.say(not_a_name)
        assert "Dat lijkt me geen naam" in chat.text and "Wie is je diensthoofd?" in chat.text
    await chat.say("Jan Janssens")
    assert "Ik kan Jan Janssens zelf geen bericht sturen" in chat.text
    assert "algemeen directeur het intern meldpunt" in chat.text
    await chat.press("Iemand anders kiezen")
    assert "Wie is je diensthoofd?" in chat.text
    await chat.say("Piet Pieters")
    await chat.press("Naar de algemeen directeur")
    assert "Is die persoon zelf betrokken" in chat.text and "algemeen directeur" in chat.text
    await chat.press("Nee")
    await chat.say(DESCRIPTION)
    await chat.say("vorige maand")
    await chat.say("overslaan")
    await chat.press("Ja")
    assert "Gaat naar: Algemeen directeur" in chat.text and "Piet Pieters" not in chat.text
    await chat.press("Melding versturen")
    (case,) = await rows(store, db.cases)
    assert (case.recipient_role, case.recipient_person) == ("algemeen-directeur", None)


async def test_named_report_to_a_picked_boss_goes_to_that_boss(conversation, store):
    chat = Chat(conversation, "putte")
    await answer_report(chat, "schending van regels", identity="Met mijn naam", manager=PICKED_MANAGER)
    assert "zelf geen bericht sturen" not in chat.text
    await chat.press("Melding versturen")
    (case,) = await rows(store, db.cases)
    assert (case.recipient_role, case.recipient_person) == ("diensthoofd", PICKED_MANAGER)


async def test_an_address_in_the_organisations_own_domain_is_reached(content, store, directory, clock):
    own_domain = replace(directory, mail_domains=("putte.example",))
    chat = Chat(Conversation.build(content, store, own_domain, clock=clock), "putte")
    await answer_report(chat, "Misbruik", identity="Met mijn naam", manager="jan.janssens@putte.example")
    await chat.press("Melding versturen")
    (case,) = await rows(store, db.cases)
    assert (case.recipient_role, case.recipient_person) == ("diensthoofd", "jan.janssens@putte.example")
    (note,) = await rows(store, db.outbox)
    assert note.recipient == {"email": "jan.janssens@putte.example"}


async def test_stopping_at_the_unreachable_boss_keeps_nothing(conversation, store):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await chat.press("Gedrag tegenover")
    await chat.press("Met mijn naam")
    await chat.press("Nee")
    await chat.say("Jan Janssens")
    assert "zelf geen bericht sturen" in chat.text
    await chat.say("help")
    assert "Typ dan 'stop'" in chat.text
    await chat.say("stop")
    assert all(not table_rows for table_rows in (await all_rows(store)).values())


@pytest.mark.parametrize(
    "text", ["anoniem", "Anoniem.", "weet ik niet", "nee", "neen", "niemand", "ik zeg het liever niet",
             "dat is mijn baas", "de directeur", "Jan is mijn leidinggevende maar ik wil het niet zeggen"],
)  # fmt: skip
def test_an_answer_that_is_no_name_is_not_taken_as_one(text):
    with pytest.raises(Invalid):
        parse_person(text)


@pytest.mark.parametrize(
    "name",
    ["Jan Janssens", "Directeur Jansen", "An Op de Beeck", "Karel Van den Bossche", "Nadia Al Amrani", "An De Smet"],
)
def test_names_with_particles_are_names(name):
    assert parse_person(name) == name


async def test_a_reporters_own_name_that_is_no_name_is_refused(conversation, store):
    chat = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-9", "conv-9", name=None))
    await chat.say("melden")
    await chat.press("schending van regels")
    await chat.press("Met mijn naam")
    await chat.press("Nee")
    for text in (DESCRIPTION, "vorige maand", "overslaan"):
        await chat.say(text)
    await chat.press("Ja")
    assert "Hoe heet je?" in chat.text
    await chat.say("anoniem")
    assert "Dat lijkt me geen naam" in chat.text
    await chat.say("Lies Janssens")
    assert "Dit is je melding" in chat.text
