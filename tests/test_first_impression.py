"""The first impression per organisation: every example the bot or the README offers is answered well, a code
silent on gifts says so with labelled general advice and the gift flow, and the misfires found by hand stay fixed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.conversation.answers import help_reply, welcome
from bot.vocabulary import messages as msg
from tests.conftest import Chat

ROOT = Path(__file__).resolve().parent.parent
ORGS = ("voorbeeldgemeente", "kortrijk", "putte", "igo", "vvsg")

# The section that answers each example the bot offers, per organisation; None: the code has no rule on it.
ANSWERS = {
    msg.GIFT_EXAMPLE: {
        "voorbeeldgemeente": None,
        "kortrijk": "geschenken-en-voordelen",
        "putte": "privebelangen-en-relatiegeschenken",
        "igo": "geschenken-en-uitnodigingen",
        "vvsg": "geschenken-en-uitnodigingen",
    },
    "mag ik een fles wijn van een aannemer aannemen?": {
        "voorbeeldgemeente": None,
        "kortrijk": "geschenken-en-voordelen",
        "putte": "privebelangen-en-relatiegeschenken",
        "igo": "geschenken-en-uitnodigingen",
        "vvsg": "geschenken-en-uitnodigingen",
    },
    "Een journalist belt me": {
        "voorbeeldgemeente": "beleidsinformatie-en-pers",
        "kortrijk": "pers-en-sociale-media",
        "putte": "contact-met-de-pers",
        "igo": "contact-met-de-pers",
    },
    "de pers belt me": {"kortrijk": "pers-en-sociale-media"},
    "mag ik een bijjob doen?": {"kortrijk": "nevenactiviteiten-en-bijberoep"},
}


def offered_examples(content, org: str) -> list[str]:
    """The example questions the welcome and help show this organisation: their buttons, and help's own example."""
    pack = content.packs[org]
    flows = {value for _, value in msg.FLOW_CHOICES}
    buttons = [c.value for reply in (welcome(pack), help_reply(pack)) for c in reply.choices if c.value not in flows]
    quoted = re.findall(r"bijvoorbeeld '([^']+)'", help_reply(pack).text)
    return list(dict.fromkeys(buttons + quoted))


def readme_examples() -> list[str]:
    """The questions the README's opening paragraph gives as examples."""
    opening = (ROOT / "README.md").read_text(encoding="utf-8").split("\n\n")[1]
    return re.findall(r'"([^"]+\?|[^"]+ me)"', " ".join(opening.split()))


async def assert_answered_well(chat: Chat, content, question: str) -> None:
    """The question gets its section as a confident answer, or, where the code has no rule on gifts, says so."""
    expected = ANSWERS[question][chat.org]
    replies = await chat.say(question)
    first = replies[0]
    if expected is None:
        assert content.packs[chat.org].gifts is None
        assert first.text.startswith(msg.SILENT_GIFTS.split("{org}")[0])
        assert "algemeen advies, geen regel uit de code" in first.text
        assert first.card is None and not first.choices  # no unrelated sections
        assert [c.value for r in replies for c in r.choices] == ["geschenk"]
        return
    assert first.card is not None and first.card.lead is None, (chat.org, question, first.text[:200])
    assert first.choices[0].value == f"sectie {expected}", (chat.org, question, first.choices)


@pytest.mark.parametrize("org", ORGS)
async def test_every_example_the_bot_offers_is_answered_well_for_its_organisation(conversation, content, org):
    examples = offered_examples(content, org)
    assert examples, "the welcome offers an example question"
    for question in examples:
        await assert_answered_well(Chat(conversation, org), content, question)


async def test_the_readmes_examples_are_answered_in_the_code_it_names(conversation, content):
    examples = readme_examples()
    assert len(examples) == 3, examples
    opening = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split("\n\n")[1].split())
    assert "in Kortrijk" in opening
    for question in examples:
        await assert_answered_well(Chat(conversation, "kortrijk"), content, question)


async def test_a_code_without_gift_rules_shows_another_example_first(content):
    assert content.packs["voorbeeldgemeente"].gifts is None
    values = [c.value for c in welcome(content.packs["voorbeeldgemeente"]).choices]
    assert msg.GIFT_EXAMPLE not in values and "Een journalist belt me" in values
    assert msg.GIFT_EXAMPLE in [c.value for c in welcome(content.packs["kortrijk"]).choices]


async def test_the_silent_gift_answer_over_http_as_teams_shows_it(start_bot):
    bot = await start_bot(org="voorbeeldgemeente")
    sent = await bot.say(msg.GIFT_EXAMPLE)
    shown = " ".join(str(activity) for activity in sent)
    assert "heeft geen regel over geschenken of uitnodigingen" in shown
    assert "algemeen advies, geen regel uit de code van" in shown
    assert "Geschenk melden" in shown
    assert "Daar vind ik geen duidelijk antwoord" not in shown


async def test_paid_advice_to_an_ngo_is_not_answered_with_the_gift_rules(conversation):
    chat = Chat(conversation, "vvsg")
    (reply, *_) = await chat.say("mag ik naast mijn job betaald advies geven aan een ngo?")
    assert not (reply.card is not None and reply.card.lead is None), "never a confident answer here"


async def test_money_from_a_project_budget_gets_the_offer_to_report(conversation):
    chat = Chat(conversation, "vvsg")
    replies = await chat.say("een collega steekt geld van het projectbudget in eigen zak")
    assert replies[0].card is None or replies[0].card.lead is not None, "not a confident answer"
    assert "melden" in [c.value for r in replies for c in r.choices]
    assert msg.OFFER_REPORT in chat.text


async def test_a_work_laptop_on_holiday_is_not_waved_off_as_an_it_question(conversation, content):
    chat = Chat(conversation, "vvsg")
    (reply, *_) = await chat.say("mag ik mijn laptop van het werk meenemen op vakantie om films te kijken")
    outside = msg.NO_MATCH_OUTSIDE.split("{org}")[0]
    assert not reply.text.startswith(outside)
    assert "zuinig om met materialen" in reply.text.replace("**", "")
    assert reply.choices[0].value == "sectie duurzaamheid"


async def test_an_ordinary_question_gets_no_report_offer(conversation):
    chat = Chat(conversation, "kortrijk")
    replies = await chat.say("mag ik thuiswerken op vrijdag?")
    assert "melden" not in [c.value for r in replies for c in r.choices]
