"""Every route and every gift advice is pinned to its basis per organisation, and the sentence follows the basis."""

from __future__ import annotations

import pytest

from bot.cases.deadlines import add_days, add_months
from bot.conversation.dispatch import Conversation
from bot.knowledge.packs import CaseKind
from bot.storage import db
from tests.conftest import Chat
from tests.flows import PICKED_MANAGER, answer_report, receipt_code, rows
from tests.test_gift_adviser import declare

C, L, D = "code", "law", "default"
AD, LG = "algemeen-directeur", "leidinggevende"
KM, RI, TK = "klachtenmanager", "raadgever-integriteit", "toepassingsgebied-en-klachten"

# Per organisation and kind: each role of the route in order, with its basis and (for the code) the section.
ROUTES = {
    "igo": {
        "rule_breach": [(LG, C, "fraude-en-corruptie"), (AD, D, None)],
        "behaviour": [(LG, D, None), (AD, D, None)],
        "misuse": [(LG, D, None), (AD, D, None)],
        "gift": [(LG, C, "geschenken-en-uitnodigingen"), (AD, D, None)],
        "press": [("communicatiedienst", C, "contact-met-de-pers"), (AD, C, "contact-met-de-pers")],
        "question": [(LG, D, None), (AD, D, None)],
    },
    "voorbeeldgemeente": {
        "rule_breach": [(AD, L, None)],
        "behaviour": [(LG, D, None), (AD, D, None)],
        "misuse": [(LG, D, None), (AD, L, None)],
        "gift": [(LG, D, None), (AD, D, None)],
        "press": [
            ("mandataris", C, "beleidsinformatie-en-pers"),
            (AD, C, "beleidsinformatie-en-pers"),
            ("communicatiedienst", C, "beleidsinformatie-en-pers"),
        ],
        "question": [(LG, D, None), (AD, D, None)],
    },
    "kortrijk": {
        "rule_breach": [(AD, C, "schendingen-regelgeving"), ("directeur", C, "spreekplicht"), (LG, C, "spreekplicht")],
        "behaviour": [
            ("preventiedienst", C, "schendingen-mensen"),
            ("vertrouwenspersoon", C, "schendingen-mensen"),
            ("externe-preventiedienst", C, "schendingen-mensen"),
        ],
        "misuse": [
            (LG, C, "schendingen-middelen"),
            ("directeur", C, "melding-integriteitsschendingen"),
            (AD, C, "melding-integriteitsschendingen"),
        ],
        "gift": [
            (LG, C, "geschenken-en-voordelen"),
            ("directeur", C, "melding-integriteitsschendingen"),
            (AD, C, "melding-integriteitsschendingen"),
        ],
        "press": [
            ("communicatiedienst", C, "pers-en-sociale-media"),
            ("schepen", C, "pers-en-sociale-media"),
            (AD, C, "pers-en-sociale-media"),
        ],
        "question": [(LG, C, "melding-integriteitsschendingen"), ("vertrouwenspersoon", C, "vertrouwenspersonen")],
    },
    "putte": {
        "rule_breach": [("diensthoofd", C, "spreekrecht-en-spreekplicht"), (AD, L, None)],
        "crime": [(AD, C, "spreekrecht-en-spreekplicht")],
        "behaviour": [("diensthoofd", D, None), (AD, D, None)],
        "misuse": [("diensthoofd", D, None), (AD, L, None)],
        "gift": [("diensthoofd", D, None), (AD, D, None)],
        "press": [(AD, C, "contact-met-de-pers"), ("communicatiedienst", C, "contact-met-de-pers")],
        "question": [("diensthoofd", D, None), (AD, D, None)],
    },
    "vvsg": {
        "rule_breach": [(KM, C, TK), (RI, C, TK)],
        "behaviour": [(KM, C, TK), (RI, C, TK)],
        "misuse": [(KM, C, TK), (RI, C, TK)],
        "gift": [("diensthoofd", C, "geschenken-en-uitnodigingen"), (RI, C, TK)],
        "press": [(LG, D, None), ("diensthoofd", D, None)],
        "question": [(RI, C, TK), (KM, D, None)],
    },
}  # fmt: skip

# Per organisation: each gift rule's advice and section; None where the code has no such rule.
GIFTS = {
    "igo": {
        "small": ("accept_and_share", "geschenken-en-uitnodigingen"),
        "large": ("refuse", "geschenken-en-uitnodigingen"),
        "invitation": ("discuss_first", "geschenken-en-uitnodigingen"),
        "reward": ("refuse", "geschenken-en-uitnodigingen"),
        "money": ("refuse", "objectiviteit"),
        "pending": ("refuse", "geschenken-en-uitnodigingen"),
        "doubt": ("refuse", "geschenken-en-uitnodigingen"),
    },
    "kortrijk": {
        "small": ("accept_and_report", "geschenken-en-voordelen"),
        "large": ("refuse", "geschenken-en-voordelen"),
        "invitation": ("discuss_first", "geschenken-en-voordelen"),
        "reward": ("refuse", "geschenken-en-voordelen"),
        "money": None,
        "pending": ("refuse", "geschenken-en-voordelen"),
        "doubt": ("discuss_first", "geschenken-en-voordelen"),
    },
    "putte": {
        "small": ("discuss_first", "privebelangen-en-relatiegeschenken"),
        "large": ("refuse", "privebelangen-en-relatiegeschenken"),
        "invitation": ("discuss_first", "privebelangen-en-relatiegeschenken"),
        "reward": ("refuse", "privebelangen-en-relatiegeschenken"),
        "money": None,
        "pending": ("refuse", "privebelangen-en-relatiegeschenken"),
        "doubt": None,
    },
    "vvsg": {
        "small": ("accept_and_report", "geschenken-en-uitnodigingen"),
        "large": ("refuse", "geschenken-en-uitnodigingen"),
        "invitation": ("discuss_first", "geschenken-en-uitnodigingen"),
        "reward": ("refuse", "geschenken-en-uitnodigingen"),
        "money": ("refuse", "geschenken-en-uitnodigingen"),
        "pending": ("refuse", "geschenken-en-uitnodigingen"),
        "doubt": None,
    },
}


@pytest.mark.parametrize("org", sorted(ROUTES))
def test_each_route_is_pinned_to_its_basis(content, org):
    pack = content.packs[org]
    kinds = {route.kind.value for route in pack.routing.routes}
    assert kinds == set(ROUTES[org])
    for kind, expected in ROUTES[org].items():
        steps = pack.route(CaseKind(kind)).roles
        assert [(s.role, s.basis.value, s.section) for s in steps] == expected, (org, kind)


@pytest.mark.parametrize("org", sorted(GIFTS))
def test_each_gift_advice_is_pinned_to_its_basis(content, org):
    rules = content.packs[org].gifts
    for name, expected in GIFTS[org].items():
        rule = getattr(rules, name)
        assert (None if rule is None else (rule.advice.value, rule.section)) == expected, (org, name)


def test_voorbeeldgemeente_has_no_gift_rules(content):
    assert content.packs["voorbeeldgemeente"].gifts is None


def test_reporting_points_and_terms(content):
    points = {org: [r.id for r in pack.contacts.roles if r.reporting_point] for org, pack in content.packs.items()}
    assert points == {"igo": [], "kortrijk": [AD], "putte": [AD], "voorbeeldgemeente": [AD], "vvsg": []}
    assert content.packs["kortrijk"].role(AD).reporting_point.basis.value == C
    assert content.packs["putte"].role(AD).reporting_point.law.value == "bestuursdecreet"
    assert content.packs["vvsg"].role("klachtenmanager").response.days == 14


# --- the sentences follow the basis -------------------------------------------------------------------------


async def start_report(chat: Chat, kind: str, identity: str = "Met mijn naam") -> str:
    """Start a report of this kind, with the name unless told, so the route's own first role is the one asked about;
    returns the question after the kind and the identity (or the crime question, where the code asks it)."""
    await chat.say("melden")
    await chat.press(kind)
    if "strafbaar feit" not in chat.text:
        await chat.press(identity)
    return chat.text


async def test_putte_sends_a_criminal_offence_to_the_algemeen_directeur(conversation):
    chat = Chat(conversation, "putte")
    text = await start_report(chat, "schending van regels")
    assert "strafbaar feit" in text
    await chat.press("Ja")
    await chat.press("Met mijn naam")  # the identity comes before anything about the people around the reporter
    assert "Volgens de code van Gemeente Putte gaat je melding naar de algemeen directeur" in chat.text
    assert "“bij strafrechtelijke misdrijven de algemeen directeur”" in chat.text
    await chat.say("terug")  # to the identity
    await chat.say("terug")  # to the crime question
    await chat.press("Nee")
    await chat.press("Met mijn naam")
    assert "gaat je melding naar je diensthoofd" in chat.text and "ernstige onregelmatigheden" in chat.text


async def test_putte_asks_nothing_about_crime_for_behaviour(conversation):
    chat = Chat(conversation, "putte")
    text = await start_report(chat, "Gedrag tegenover")
    assert "strafbaar feit" not in text
    assert "De code van Gemeente Putte zegt niet naar wie je melding gaat" in text and "standaardkeuze" in text


async def test_voorbeeldgemeente_routes_a_breach_by_law_not_by_its_code(conversation):
    chat = Chat(conversation, "voorbeeldgemeente")
    text = await start_report(chat, "schending van regels")
    assert "zegt niet naar wie je melding gaat" in text and "Bestuursdecreet" in text
    assert "Volgens de code" not in text and "intern meldpunt" in text


async def test_unsure_help_names_the_real_recipient(conversation):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await chat.say("help")
    assert (
        "Dan gaat je melding naar je leidinggevende (deel 'Betrouwbaarheid: fraude en corruptie melden')" in chat.text
    )
    assert "algemene meldpunt" not in chat.text


async def test_igo_escalation_is_said_as_our_default(conversation):
    chat = Chat(conversation, "igo")
    await start_report(chat, "schending van regels")
    assert "Volgens de code van IGO div gaat je melding naar je leidinggevende" in chat.text
    await chat.press("Ja, die persoon")
    assert "standaardkeuze, geen regel uit de code" in chat.text and "Volgens de code" not in chat.text


async def test_vvsg_both_roles_involved_points_outside_the_code(conversation, store):
    chat = Chat(conversation, "vvsg")
    await start_report(chat, "schending van regels")
    await chat.press("Ja, die persoon")
    await chat.press("Ja, die persoon")
    assert "Federale Ombudsman" in chat.text and "28 november 2022" in chat.text
    assert "klachtenmanager" not in chat.text.lower() and "raadgever" not in chat.text.lower()
    assert await rows(store, db.cases) == []


@pytest.mark.parametrize(
    ("org", "kind", "said", "facts"),
    [
        ("voorbeeldgemeente", "schending van regels",
         "Als intern meldpunt bevestigt de algemeen directeur binnen 7 dagen",
         ["Ontvangstbevestiging uiterlijk", "Feedback uiterlijk"]),
        ("vvsg", "schending van regels", "binnen de twee weken te reageren", ["Reactie uiterlijk"]),
        ("igo", "schending van regels", "De code van IGO div geeft je leidinggevende geen termijn", []),
        ("putte", "Misbruik", "De wettelijke termijnen (7 dagen voor de ontvangst, 3 maanden voor feedback) gelden "
         "voor het intern meldpunt, de algemeen directeur", []),
    ],
)  # fmt: skip
async def test_each_recipient_gets_the_term_that_binds_them(conversation, store, clock, org, kind, said, facts):
    chat = Chat(conversation, org)
    # With the name: the reporter's own leidinggevende or diensthoofd, picked in Teams, receives it where the code
    # says so (an anonymous report never goes there).
    await answer_report(chat, kind, identity="Met mijn naam", manager=PICKED_MANAGER)
    await chat.press("Melding versturen")
    assert said in chat.text
    if not facts:
        assert "binnen 7 dagen" not in chat.text
    (note,) = await rows(store, db.outbox)
    labels = [label for label, _ in note.card["facts"]]
    assert [label for label in labels if "uiterlijk" in label] == facts
    today = clock.today()
    expected = {
        "Ontvangstbevestiging uiterlijk": add_days(today, 7),
        "Feedback uiterlijk": add_months(today, 3),
        "Reactie uiterlijk": add_days(today, 14),
    }
    for label, value in note.card["facts"]:
        if label in expected:
            assert value == expected[label].strftime("%d/%m/%Y")
    if facts:
        await chat.say(f"status {receipt_code(chat.text)}")
        assert all(fact in chat.text for fact in facts)
    else:
        assert "7 dagen" not in note.card["body"]


async def test_report_says_honestly_whether_the_recipient_gets_a_message(content, store, directory):
    offline = Chat(Conversation.build(content, store, directory), "kortrijk")
    await answer_report(offline, "schending van regels")
    await offline.press("Melding versturen")
    assert "nog niet rechtstreeks een bericht sturen" in offline.text and "krijgt een bericht" not in offline.text
    teams = Chat(Conversation.build(content, store, directory, {"log", "msteams"}), "kortrijk")
    teams.user = type(teams.user)("msteams", "aad-user-8", "conv-8", name="Piet Peeters")
    await answer_report(teams, "schending van regels")
    await teams.press("Melding versturen")
    assert "Die krijgt een bericht dát er een melding is" in teams.text


async def test_vvsg_small_gift_only_in_the_codes_own_cases(conversation):
    chat = Chat(conversation, "vvsg")
    advice = await declare(chat, "Een geschenk", "10", small="Ja", conditions="Nee")
    assert "Geen van de gevallen uit de code geldt" in advice and "geef het terug" in advice
    await chat.say("stop")
    advice = await declare(chat, "Een geschenk", "10", small="Ja", conditions="Ja")
    assert "mag het aanvaarden" in advice


async def test_igo_small_gift_is_shared_or_handed_in(conversation):
    chat = Chat(conversation, "igo")
    advice = await declare(chat, "Een geschenk", "10", small="Ja")
    assert "niet voor jou alleen" in advice
    assert "bewaard en uitgereikt" in advice and "gedeeld met de collega’s" in advice and "sporadisch" in advice


async def test_igo_money_is_refused_in_its_own_example(conversation):
    chat = Chat(conversation, "igo")
    advice = await declare(chat, "Geld", "20", small=None)
    assert "geeft me geld om te bedanken" in advice and "algemeen advies" not in advice


async def test_kortrijk_thank_you_pralines_may_be_accepted(conversation):
    chat = Chat(conversation, "kortrijk")
    advice = await declare(chat, "Een geschenk", "15", small="Ja", reward="Nee, een bedanking")
    assert "mag het aanvaarden" in advice and "geef het terug" not in advice
    assert "vraagt dat je leidinggevende het weet (deel 'Geschenken en voordelen')" in advice


async def test_putte_gift_quote_is_whole_and_manager_is_our_default(conversation):
    chat = Chat(conversation, "putte")
    advice = await declare(chat, "Een geschenk", "300", small="Nee")
    assert "tenzij dit past in het kader van een normale professionele verhouding" in advice
    assert "zegt niet wie het moet weten" in advice and "standaardkeuze" in advice
    assert "de code vraagt" not in advice.lower()


async def test_gift_declaration_is_honest_that_the_manager_gets_no_message(conversation):
    chat = Chat(conversation, "kortrijk")
    await declare(chat, "Een geschenk", "15", small="Ja")
    await chat.say("Jan Janssens")
    await chat.press("Geschenk melden")
    assert "Ik kan Jan Janssens zelf geen bericht sturen" in chat.text and "krijgt een bericht" not in chat.text


@pytest.mark.parametrize(
    ("org", "said", "not_said"),
    [
        ("kortrijk", "Volgens de code van Stad en OCMW Kortrijk kun je terecht bij je leidinggevende", None),
        ("voorbeeldgemeente", "Twijfel je? Dan kun je terecht bij je leidinggevende.", "Volgens de code"),
        ("vvsg", "kun je terecht bij de raadgever integriteit", "leidinggevende"),
    ],
)
async def test_help_names_whom_to_ask_on_its_basis(conversation, org, said, not_said):
    chat = Chat(conversation, org)
    await chat.say("help")
    assert said in chat.text
    if not_said:
        assert not_said not in chat.text


async def test_adviser_gives_each_role_its_reason_not_a_press_sentence(conversation):
    chat = Chat(conversation, "igo")
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    assert "pers" not in chat.text.replace("persoon", "").replace("personeel", "")
    assert "Algemeen directeur: de code noemt hiervoor niemand" in chat.text
    assert "ik breng je in contact" not in chat.text
