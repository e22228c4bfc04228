"""What a user typed is text on the handler's screen: no link, no emphasis, no entity, in a Teams card, a Slack
block or an e-mail; and the code's own '&' shows as '&', never as an entity."""

from __future__ import annotations

import json
import re

from bot.channels.slack import blocks
from bot.channels.teams.deliverer import notification_card
from bot.channels.teams.render import to_activity
from bot.delivery.email import html_text, plain_text
from bot.storage import db
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat, reference
from tests.flows import answer_report, declare, receipt_code, release, rows
from tests.test_card_schema import schema_problems
from tests.test_slack_blocks import valid_block

PHISHING = "[Bevestig hier je beslissing](https://evil.example/sso)"
LOUD = "**dringend** _nu_ ~weg~ `code` <https://evil.example|klik> &lt;b&gt; mail@evil.example"
MELDPUNT = UserRef("msteams", "00000000-0000-4000-8000-000000000201", "a:meldpunt", name="Demo Meldpunt (fictief)")
LINKS = re.compile(r"https?://|\]\(|evil\.example|<a |(?<!\\)<http|&lt;b&gt;(?!\w)")
EMPHASIS = re.compile(r"(?<![\\\u2060])[*_~`](?!\u2060)")


async def malicious_records(conversation) -> list[dict]:
    """A gift whose giver and a contact request whose reach and topic are markup; their notification cards."""
    chat = Chat(conversation, "kortrijk")
    await chat.say("geschenk")
    await chat.press("Een geschenk")
    await chat.press("leverancier")
    await chat.say(PHISHING)
    await chat.say("ongeveer dertig euro")
    await chat.press("Ja")
    await chat.press("Nee")
    await chat.press("Nee, een bedanking")
    await chat.press("Ja, ik heb het al")
    await chat.say("Jan Janssens")
    await chat.press("Geschenk melden")
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    await chat.press(chat.last[-1].choices[0].label)
    await chat.say(PHISHING)
    await chat.say(LOUD)
    await chat.press("Vraag versturen")
    cards = [row.card for row in await rows(conversation.store, db.outbox)]
    assert {row.kind for row in await rows(conversation.store, db.outbox)} >= {"gift", "contact"}
    assert any(PHISHING in json.dumps(card, ensure_ascii=False) for card in cards)  # the card keeps the words
    return cards


def shown_texts(node) -> list[str]:
    """Every string in a rendered card or block that a person reads."""
    if isinstance(node, dict):
        return [
            text
            for key, value in node.items()
            if key not in ("type", "action_id", "verb")
            for text in shown_texts(value)
        ]
    if isinstance(node, list):
        return [text for item in node for text in shown_texts(item)]
    return [node] if isinstance(node, str) else []


def assert_inert(texts: list[str]) -> None:
    for text in texts:
        assert not LINKS.search(text), text
    typed = [text for text in texts if "dringend" in text]
    assert typed, texts
    for text in typed:
        assert "**dringend**" not in text and "*dringend*" not in text and "_nu_" not in text, text


async def test_typed_markup_is_text_in_teams_cards(conversation):
    for card in await malicious_records(conversation):
        adaptive = notification_card(card, "addressee")
        assert schema_problems(adaptive) == []
        assert_inert_teams(shown_texts(adaptive["body"]))


def assert_inert_teams(texts: list[str]) -> None:
    for text in texts:
        assert not LINKS.search(text), text
        assert not EMPHASIS.search(text.replace("\\*", "").replace("\\_", "").replace("\\`", "")), text


async def test_typed_markup_is_text_in_slack_blocks(conversation):
    texts = []
    for card in await malicious_records(conversation):
        message = blocks.notification(card)
        for block in message["blocks"]:
            valid_block(block)
        texts += shown_texts(message["blocks"])
    for text in texts:
        assert not LINKS.search(text), text
        assert "*dringend*" not in text and "_nu_" not in text and "~weg~" not in text, text
    # mrkdwn has no escape: a typed emphasis character shows as its look-alike.
    (typed,) = [text for text in texts if "dringend" in text]
    assert typed.count("\u2217") == 4 and typed.count("\uff3f") == 2 and typed.count("\u223c") == 2


async def test_typed_markup_is_text_in_an_email(conversation):
    for card in await malicious_records(conversation):
        for body in (plain_text(card), html_text(card)):
            assert not re.search(r"https?://|evil\.example|<a |href", body), body
        assert "&lt;https:" in html_text(card) or "Bevestig" in html_text(card)


async def test_the_case_view_shows_a_typed_link_as_text(conversation, clock):
    employee = Chat(conversation, "kortrijk")
    await answer_report(employee, "schending van regels")
    await employee.press("versturen")
    await employee.say(f"aanvullen {receipt_code(employee.text)}")
    await employee.say(f"{PHISHING} {LOUD}")
    await employee.press("versturen")
    release(clock)  # the handler sees an anonymous report from the next morning on
    handler = Chat(conversation, "kortrijk", MELDPUNT)
    await handler.say(f"melding {reference(clock)}")
    (case,) = handler.last
    assert "Aanvulling" in case.text and "Bevestig hier je beslissing" in case.text
    teams = to_activity(case).serialize()["text"]
    assert not LINKS.search(teams) and "**dringend**" not in teams
    slack = blocks.message(case)
    texts = shown_texts(slack["blocks"])
    assert not any(LINKS.search(text) for text in texts)
    assert not any("*dringend*" in text for text in texts)


async def test_the_code_s_ampersand_shows_as_itself_in_igo_s_passage(conversation):
    chat = Chat(conversation, "igo")
    await chat.say("wat gebeurt er met relatiegeschenken")
    activity = json.dumps([to_activity(reply).serialize() for reply in chat.last], ensure_ascii=False)
    assert "team D&C" in activity and "&amp;" not in activity
    await declare(chat, "Een geschenk", "ongeveer dertig euro", small="Ja")  # the advice quotes the same rule
    assert "Wie is je leidinggevende?" in chat.text
    activity = json.dumps([to_activity(reply).serialize() for reply in chat.last], ensure_ascii=False)
    assert "team D&C" in activity and "D&amp;C" not in activity
