"""Slack Block Kit: every reply, flow page and notification passes slack_sdk's models and Slack's own limits."""

from __future__ import annotations

import json
import runpy
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, SectionBlock
from slack_sdk.models.views import View

from bot.channels.slack import blocks
from bot.channels.slack.mrkdwn import chunks, clip, mrkdwn, plain
from bot.channels.teams.deliverer import REMARK_LABEL, TEXT_LABEL
from bot.channels.teams.summary import is_summary, read_summary
from bot.conversation.answers import full_section
from bot.storage import db
from bot.vocabulary import people
from bot.vocabulary.turns import Card, Choice, Reply, Turn, UserRef
from dialogs import texts as dt
from tests.conftest import Chat
from tests.flows import CODE, DESCRIPTION, answer_report, receipt_reply, release, rows, tour

ROOT = Path(__file__).resolve().parent.parent
ORGS = ["igo", "kortrijk", "putte", "voorbeeldgemeente", "vvsg"]
SUMMARY_CHOICES = (
    Choice("Melding versturen", "verzenden"),
    Choice("Iets aanpassen", "aanpassen"),
    Choice("Stop", "stop"),
)
MELDPUNT = UserRef("slack", "UDEMOKRT01", "T1:UDEMOKRT01", name="Demo Meldpunt (fictief)")


# What Slack refuses, checked with slack_sdk's models and, where the models do not check, Slack's documented limits


def valid_block(block: dict[str, Any]) -> None:
    """Fail unless slack_sdk parses the block back to exactly itself without a warning and finds nothing wrong."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown key is a warning in slack_sdk: here it fails the test
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()
        assert parsed.to_dict() == block  # to_dict validates every nested element and text object too
    within_limits(block)


def text_objects(node: Any) -> list[dict[str, Any]]:
    """Every text object in a block, however deep."""
    if isinstance(node, list):
        return [found for item in node for found in text_objects(item)]
    if not isinstance(node, dict):
        return []
    own = [node] if node.get("type") in ("mrkdwn", "plain_text") else []
    return own + [found for key, value in node.items() for found in text_objects(value) if key != "type"]


def within_limits(block: dict[str, Any]) -> None:
    """Slack's limits that slack_sdk's models leave unchecked."""
    for text in text_objects(block):
        assert 0 < len(text["text"]) <= 3000, text
    for item in block.get("fields", []):
        assert len(item["text"]) <= 2000
    if block["type"] == "actions":
        ids = [element["action_id"] for element in block["elements"]]
        assert len(ids) == len(set(ids)), ids
    element = block.get("element") or {}
    if element.get("type") == "radio_buttons":
        assert len(element["options"]) <= 10
    for option in element.get("options", []):
        assert len(option.get("description", {}).get("text", "")) <= 75
    if element.get("type") == "plain_text_input":
        assert 1 <= element.get("max_length", 3000) <= 3000


def valid_blocks(sent: list[dict[str, Any]], limit: int) -> None:
    """A message's or view's blocks: each valid, within the count Slack takes, block ids unique."""
    assert 0 < len(sent) <= limit
    ids = [block["block_id"] for block in sent if "block_id" in block]
    assert len(ids) == len(set(ids)), ids
    for block in sent:
        valid_block(block)


def valid_message(payload: dict[str, Any]) -> dict[str, Any]:
    """A chat.postMessage payload: a fallback text and at most 50 valid blocks."""
    assert set(payload) == {"text", "blocks"}
    assert 0 < len(payload["text"]) <= 3000
    valid_blocks(payload["blocks"], 50)
    return payload


def valid_view(view: dict[str, Any]) -> dict[str, Any]:
    """A modal view that slack_sdk's View takes back as it is, with at most 100 valid blocks."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parsed = View(**view)
        parsed.validate_json()
        assert parsed.to_dict() == view
    assert view["type"] == "modal" and view["callback_id"] == blocks.MODAL_CALLBACK
    assert view["close"]["text"] == "Sluiten" and 0 < len(view["title"]["text"]) <= 24
    valid_blocks(view["blocks"], 100)
    return view


def of_type(sent: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    """The blocks of one type."""
    return [block for block in sent if block["type"] == kind]


def buttons(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button in the actions blocks."""
    return [
        element for block in of_type(sent, "actions") for element in block["elements"] if element["type"] == "button"
    ]


def inputs(sent: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The input blocks by block id."""
    return {block["block_id"]: block for block in of_type(sent, "input")}


def shown(sent: list[dict[str, Any]]) -> str:
    """All text the blocks show."""
    return "\n".join(text["text"] for text in text_objects(sent))


def test_the_checks_catch_what_slack_refuses():
    with pytest.raises(SlackObjectFormationError):
        valid_block({"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}})
    with pytest.raises(SlackObjectFormationError):
        valid_block({"type": "header", "text": {"type": "plain_text", "text": "x" * 151}})
    with pytest.raises(SlackObjectFormationError):
        button = {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "x" * 76}, "value": "v"}
        valid_block({"type": "actions", "elements": [button]})
    with pytest.raises(AssertionError):  # a key the models do not know does not come back from them
        valid_block({"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "colour": "red"})
    with pytest.raises(SlackObjectFormationError):
        valid_view({"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []})
    with pytest.raises(AssertionError):
        fields = [{"type": "mrkdwn", "text": "x" * 2001}]
        valid_block({"type": "section", "fields": fields})


# Every reply of every kind, in every organisation


@dataclass
class Recorder(Chat):
    """A chat that keeps every turn's replies."""

    turns: list[list[Reply]] = field(default_factory=list)

    async def _turn(self, turn: Turn) -> list[Reply]:
        replies = await super()._turn(turn)
        self.turns.append(replies)
        return replies

    async def joined(self) -> list[Reply]:
        """The user opens the chat: the welcome."""
        return await self._turn(Turn(org=self.org, user=self.user, joined=True))

    @property
    def replies(self) -> list[Reply]:
        """Every reply so far."""
        return [reply for replies in self.turns for reply in replies]


async def everything_in(chat: Recorder, content: Any) -> None:
    """Welcome, help, lookups (answers, closest, none), every section, and each flow with its detours."""
    await chat.joined()
    await tour(chat, chat.org, content)
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    await chat.press(chat.last[-1].choices[0].label)  # the first person to turn to, named per organisation
    await chat.say("via Slack, liefst na 16 uur")
    await chat.say("overslaan")
    await chat.press("Vraag versturen")


@pytest.mark.parametrize("org", ORGS)
async def test_every_reply_and_page_of_every_flow_is_valid_block_kit(conversation, content, store, org):
    chat = Recorder(conversation, org)
    await everything_in(chat, content)
    pack = content.packs[org]
    replies = chat.replies + [full_section(pack, section.id) for section in pack.code.sections]
    kinds: set[str] = set()
    for reply in replies:
        sent = valid_message(blocks.message(reply))["blocks"]
        kinds |= {block["type"] for block in sent}
        assert [button["value"] for button in buttons(sent)] == [choice.value for choice in reply.choices]
        assert [button["action_id"] for button in buttons(sent)] == [f"choice:{i}" for i in range(len(reply.choices))]
    for replies_of_turn in chat.turns:
        if replies_of_turn:
            page = valid_view(blocks.modal("Vermoeden melden", replies_of_turn, private_metadata="melden"))
            kinds |= {block.get("element", {}).get("type", block["type"]) for block in page["blocks"]}
            valid_view(blocks.modal("Vermoeden melden", replies_of_turn, closing=True, long_answer=True))
    assert {"header", "section", "context", "actions", "radio_buttons", "plain_text_input", "users_select"} <= kinds
    assert any(reply.card and reply.card.lead for reply in replies)  # the closest answer was shown
    assert any(reply.people_picker for reply in replies)
    assert any(is_summary(reply) and read_summary(reply.text) for reply in replies)
    # The flows filed a report, a gift and a contact request: their notification cards are valid too.
    cards = [row.card for row in await rows(store, db.outbox)]
    assert {card["context"]["kind"] for card in cards if card.get("context")} >= {"report", "gift", "contact"}
    for card in cards:
        valid_message(blocks.notification(card))
        valid_message(blocks.notification(card, done=True))


async def test_the_longest_sections_split_into_sections_within_slacks_limit(content):
    for pack in content.packs.values():
        for section in pack.code.sections:
            reply = full_section(pack, section.id)
            sent = valid_message(blocks.message(reply))["blocks"]
            assert sent[0] == {"type": "header", "text": {"type": "plain_text", "text": section.title}}
            # Nothing of the passage is lost: its words are all in the sections, in order.
            words = " ".join(block["text"]["text"] for block in of_type(sent, "section") if "text" in block).split()
            passage = mrkdwn(section.text).split()
            assert words[: len(passage)] == passage


# Lookup answers, summaries and the people picker as messages


def test_a_lookup_answer_shows_its_card_and_buttons():
    card = Card(
        "Geschenken",
        "Je mag een **geschenk** van kleine waarde aannemen.\nMeer op https://a.be/code.pdf.",
        (("Deel", "Geschenken"), ("Code van", "Stad Kortrijk")),
        subtitle="Hoofdstuk 3",
        lead="Een duidelijk antwoord vind ik niet.",
        note="Twijfel je? Vraag het aan de vertrouwenspersoon.",
    )
    choices = (Choice("Lees het hele deel", "sectie geschenken"), Choice("Zie ook: Belangenconflicten", "sectie b"))
    payload = valid_message(blocks.message(Reply("Geschenken\n\nJe mag...", choices, card=card)))
    sent = payload["blocks"]
    assert [block["type"] for block in sent] == [
        "section",
        "header",
        "context",
        "section",
        "section",
        "section",
        "actions",
    ]
    assert sent[0]["text"]["text"] == "Een duidelijk antwoord vind ik niet."
    assert sent[1]["text"]["text"] == "Geschenken" and sent[2]["elements"][0]["text"] == "Hoofdstuk 3"
    assert (
        sent[3]["text"]["text"] == "Je mag een *geschenk* van kleine waarde aannemen.\nMeer op <https://a.be/code.pdf>."
    )
    assert [f["text"] for f in sent[4]["fields"]] == ["*Deel*\nGeschenken", "*Code van*\nStad Kortrijk"]
    assert sent[5]["text"]["text"].startswith("Twijfel je?")
    assert [(b["text"]["text"], b["value"]) for b in buttons(sent)] == [(c.label, c.value) for c in choices]
    assert payload["text"] == "Geschenken\n\nJe mag..."


def test_a_summary_shows_its_answers_as_fields_and_send_first():
    text = (
        "Dit is je melding. Kijk ze nog even na.\n\n• Soort: fraude & corruptie\n• Wat er gebeurde: eerst dit\n"
        f"en dan dat\n\n{dt.CONFIRM_QUESTION}"
    )
    sent = valid_message(blocks.message(Reply(text, SUMMARY_CHOICES)))["blocks"]
    assert sent[0]["type"] == "header" and sent[0]["text"]["text"] == "Dit is je melding. Kijk ze nog even na."
    assert [f["text"] for f in sent[1]["fields"]] == [
        "*Soort*\nfraude &amp; corruptie",
        "*Wat er gebeurde*\neerst dit\nen dan dat",
    ]
    assert sent[2]["text"]["text"] == dt.CONFIRM_QUESTION
    assert [b.get("style") for b in buttons(sent)] == ["primary", None, None]


def test_a_long_answer_in_a_summary_is_a_section_of_its_own_not_a_cut_field():
    long = "Het begon zo. " * 250
    text = f"Dit is je melding.\n\n• Soort: fraude\n• Wat er gebeurde: {long}\n\n{dt.CONFIRM_QUESTION}"
    sent = valid_message(blocks.message(Reply(text, SUMMARY_CHOICES)))["blocks"]
    assert " ".join(long.split()) in " ".join(shown(sent).split())
    assert "…" not in shown(sent)


def test_a_summary_asked_again_is_its_text_with_the_buttons():
    text = f"Dat begreep ik niet.\n\n{dt.CONFIRM_QUESTION}"
    sent = valid_message(blocks.message(Reply(text, SUMMARY_CHOICES)))["blocks"]
    assert of_type(sent, "section")[0]["text"]["text"] == text
    assert [b["value"] for b in buttons(sent)] == ["verzenden", "aanpassen", "stop"]


def test_a_question_about_a_person_offers_slacks_user_select():
    reply = Reply("Wie is je leidinggevende? Kies die persoon of typ een naam.", people_picker=True)
    sent = valid_message(blocks.message(reply))["blocks"]
    assert sent[0]["text"]["text"] == reply.text
    (picker,) = sent[1]["elements"]
    assert picker == {
        "type": "users_select",
        "action_id": blocks.PICK_ACTION,
        "placeholder": {"type": "plain_text", "text": "Kies een persoon"},
    }


def test_a_label_longer_than_a_button_is_cut_and_its_value_kept_whole():
    label = "Zie ook: " + "Belangenconflicten bij overheidsopdrachten en het aanvaarden van voordelen van derden"
    value = "sectie " + "belangenconflicten-" * 20
    sent = valid_message(blocks.message(Reply("Zie ook.", (Choice(label, value),))))["blocks"]
    (button,) = buttons(sent)
    assert len(button["text"]["text"]) <= 75 and button["text"]["text"].endswith("…")
    assert label.startswith(button["text"]["text"].removesuffix("…").rstrip())
    assert button["value"] == value


def test_more_than_25_choices_go_in_several_actions_blocks():
    choices = tuple(Choice(f"Keuze {n}", f"keuze {n}") for n in range(30))
    sent = valid_message(blocks.message(Reply("Kies maar.", choices)))["blocks"]
    assert [len(block["elements"]) for block in of_type(sent, "actions")] == [25, 5]
    assert [b["action_id"] for b in buttons(sent)] == [f"choice:{n}" for n in range(30)]
    assert [b["value"] for b in buttons(sent)] == [f"keuze {n}" for n in range(30)]


def test_a_text_longer_than_a_section_is_split_between_paragraphs():
    paragraphs = [f"Alinea {n}: " + "woord " * 400 for n in range(4)]
    sent = valid_message(blocks.message(Reply("\n\n".join(paragraphs))))["blocks"]
    sections = of_type(sent, "section")
    assert len(sections) > 1 and all(len(s["text"]["text"]) <= 3000 for s in sections)
    assert all(s["text"]["text"].startswith("Alinea") for s in sections)
    assert " ".join(" ".join(s["text"]["text"] for s in sections).split()) == " ".join(" ".join(paragraphs).split())


def test_a_message_never_has_more_than_50_blocks_and_keeps_its_buttons():
    text = "\n\n".join("woord " * 480 for _ in range(80))
    sent = valid_message(blocks.message(Reply(text, (Choice("Ja", "ja"),))))["blocks"]
    assert len(sent) == 50 and sent[-1]["type"] == "actions" and sent[-2]["text"]["text"] == "…"


# Modal pages


def test_a_modal_title_longer_than_slack_takes_is_cut():
    view = valid_view(blocks.modal("Een vermoeden van een integriteitsschending melden", [Reply("Wat?")]))
    assert view["title"]["text"] == "Een vermoeden van een…"


def test_a_choice_page_has_radio_buttons_and_a_long_label_goes_on_in_the_description():
    label = "Gedrag tegenover mensen (pesten, geweld, ongewenst seksueel gedrag, discriminatie)"
    choices = (Choice("Een schending van regels", "regels"), Choice(label, "gedrag"))
    view = valid_view(blocks.modal("Vermoeden melden", [Reply("Waarover gaat je melding?", choices)]))
    field = inputs(view["blocks"])[blocks.ANSWER_BLOCK]
    assert field["optional"] is False and field["element"]["type"] == "radio_buttons"
    assert field["element"]["action_id"] == blocks.ANSWER_ACTION
    first, second = field["element"]["options"]
    assert first == {"text": {"type": "plain_text", "text": "Een schending van regels"}, "value": "regels"}
    assert second["text"]["text"] == "Gedrag tegenover mensen" and second["value"] == "gedrag"
    assert second["description"]["text"] == "(pesten, geweld, ongewenst seksueel gedrag, discriminatie)"
    assert view["submit"]["text"] == "Volgende"


def test_more_than_ten_choices_on_a_page_are_a_select():
    choices = tuple(Choice(f"Keuze {n}", f"keuze {n}") for n in range(12))
    view = valid_view(blocks.modal("Geschenk melden", [Reply("Welke?", choices)]))
    element = inputs(view["blocks"])[blocks.ANSWER_BLOCK]["element"]
    assert element["type"] == "static_select" and [o["value"] for o in element["options"]] == [c.value for c in choices]
    ten = valid_view(blocks.modal("Geschenk melden", [Reply("Welke?", choices[:10])]))
    assert inputs(ten["blocks"])[blocks.ANSWER_BLOCK]["element"]["type"] == "radio_buttons"


def test_a_summary_page_submits_to_send_and_has_change_and_stop_as_buttons():
    text = f"Dit is je melding.\n\n• Soort: fraude\n\n{dt.CONFIRM_QUESTION}"
    view = valid_view(blocks.modal("Vermoeden melden", [Reply("Goed.", ()), Reply(text, SUMMARY_CHOICES)]))
    assert view["submit"]["text"] == "Melding versturen" and not inputs(view["blocks"])
    assert [(b["action_id"], b["value"]) for b in buttons(view["blocks"])] == [
        ("modal_choice:1", "aanpassen"),
        ("modal_choice:2", "stop"),
    ]
    assert view["blocks"][0]["text"]["text"] == "Goed." and view["blocks"][1]["type"] == "divider"
    assert blocks.read_answer({}, SUMMARY_CHOICES) == "verzenden"  # the submit button: no field, so send


def test_a_person_page_offers_a_user_select_and_a_typed_name():
    view = valid_view(blocks.modal("Geschenk melden", [Reply("Wie is je leidinggevende?", people_picker=True)]))
    fields = inputs(view["blocks"])
    assert fields[blocks.PERSON_BLOCK]["element"]["type"] == "users_select"
    assert fields[blocks.PERSON_BLOCK]["element"]["action_id"] == blocks.PERSON_ACTION
    assert fields[blocks.TYPED_BLOCK]["element"]["type"] == "plain_text_input"
    assert fields[blocks.TYPED_BLOCK]["label"]["text"] == "Of typ een naam of e-mailadres"
    assert fields[blocks.PERSON_BLOCK]["optional"] is fields[blocks.TYPED_BLOCK]["optional"] is True


@pytest.mark.parametrize("long_answer", [False, True])
def test_a_text_page_has_one_field_large_for_a_long_answer(long_answer):
    view = valid_view(blocks.modal("Vermoeden melden", [Reply("Wat is er gebeurd?")], long_answer=long_answer))
    element = inputs(view["blocks"])[blocks.ANSWER_BLOCK]["element"]
    assert element["type"] == "plain_text_input" and element["action_id"] == blocks.ANSWER_ACTION
    assert element.get("multiline", False) is long_answer and element["max_length"] == 3000
    from_reply = valid_view(blocks.modal("Vermoeden melden", [Reply("Wat is er gebeurd?", long_answer=True)]))
    assert inputs(from_reply["blocks"])[blocks.ANSWER_BLOCK]["element"]["multiline"] is True


def test_a_closing_page_shows_every_reply_and_has_nothing_to_submit():
    replies = [
        Reply("Je melding is verstuurd.\n\nJe ontvangstcode: ABCDE"),
        Reply("Nog een vraag?", (Choice("Ja", "ja"),)),
    ]
    view = valid_view(blocks.modal("Vermoeden melden", replies, private_metadata="melden", closing=True))
    assert "submit" not in view and not inputs(view["blocks"]) and not buttons(view["blocks"])
    assert view["private_metadata"] == "melden"
    assert shown(view["blocks"]) == "Je melding is verstuurd.\n\nJe ontvangstcode: ABCDE\nNog een vraag?"


# A flow answered page by page, as Slack sends each page's state


# What a person answers on a page, by what it asks (first match wins); other choice pages get their first option.
PICKS = [("betrokken", "Nee"), ("strafbaar feit", "Nee"), ("anoniem", "Anoniem"), ("Wat wil je melden", "schending")]
TYPED = [("Wat is er gebeurd", DESCRIPTION), ("bewijs", "overslaan"), ("Wie ", "Bouwbedrijf Peeters"), ("", "25 euro")]


def filled(view: dict[str, Any], asked: str, person: str = "UMANAGER") -> dict[str, Any]:
    """The `state.values` Slack sends when a person answers the page as `PICKS` and `TYPED` say."""
    values: dict[str, Any] = {}
    for block_id, block in inputs(view["blocks"]).items():
        element = block["element"]
        if "options" in element:
            wanted = next((label for part, label in PICKS if part.lower() in asked.lower()), None)
            chosen = next((o for o in element["options"] if wanted and wanted in o["text"]["text"]), None)
            state = {"selected_option": chosen or element["options"][0]}
        elif element["type"] == "users_select":
            state = {"selected_user": person}
        elif block_id == blocks.TYPED_BLOCK:
            state = {"value": None}
        else:
            state = {"value": next(answer for part, answer in TYPED if part.lower() in asked.lower())}
        values[block_id] = {element["action_id"]: {"type": element["type"], **state}}
    return values


@pytest.mark.parametrize(
    ("command", "title", "result"),
    [("melden", "Vermoeden melden", "Je ontvangstcode"), ("geschenk", "Geschenk melden", "Referentie: G-")],
)
async def test_a_flow_runs_page_by_page_on_what_read_answer_reads(conversation, store, command, title, result):
    user = UserRef("slack", "UEMPLOYEE", "T1:UEMPLOYEE:modal", name="An Peeters")
    replies = await conversation.handle(Turn(org="kortrijk", user=user, text=command))
    kinds = set()
    for _ in range(30):
        waiting = await conversation.waiting(Turn(org="kortrijk", user=user))
        assert waiting is not None
        question = waiting[1]
        page = valid_view(blocks.modal(title, replies, private_metadata=command, long_answer=question.long_answer))
        if is_summary(question):
            break
        kinds |= {block["element"]["type"] for block in inputs(page["blocks"]).values()}
        values = filled(page, question.text)
        answer = blocks.read_answer(values, question.choices)
        assert answer is not None, question.text
        pressed = any(choice.value == answer for choice in question.choices)
        said = (
            Turn(org="kortrijk", user=user, value=answer) if pressed else Turn(org="kortrijk", user=user, text=answer)
        )
        if blocks.read_picked(values) and people.identify(answer)[2] == blocks.read_picked(values):
            said = Turn(org="kortrijk", user=user, picked=answer)  # the user select's own value, as the modal sends it
        replies = await conversation.handle(said)
        assert not any(reply.problem for reply in replies), replies
    else:
        raise AssertionError("the flow did not reach its summary")
    assert page["submit"]["text"] == question.choices[0].label and not inputs(page["blocks"])
    assert "radio_buttons" in kinds and "plain_text_input" in kinds
    send = blocks.read_answer({}, question.choices)
    filed = await conversation.handle(Turn(org="kortrijk", user=user, value=send))
    assert await conversation.waiting(Turn(org="kortrijk", user=user)) is None
    end = valid_view(blocks.modal(title, filed, closing=True))
    assert result in shown(end["blocks"]) and "submit" not in end
    if command == "geschenk":  # the manager was picked in Slack's users select: the gift keeps them reachable
        assert "users_select" in kinds
        (gift,) = await rows(store, db.gifts)
        assert people.identify(gift.manager)[1:] == ("slack", "UMANAGER")


# Reading what was answered


def selected(block: str, action: str, **state: Any) -> dict[str, Any]:
    """`view.state.values` with one element's state."""
    return {block: {action: state}}


def test_read_answer_takes_the_chosen_option_the_typed_text_or_the_person(monkeypatch):
    choices = (Choice("Ja", "ja"), Choice("Nee", "nee"))
    radio = selected("answer", "value", type="radio_buttons", selected_option={"value": "nee"})
    assert blocks.read_answer(radio, choices) == "nee"
    select = selected("answer", "value", type="static_select", selected_option={"value": "ja"})
    assert blocks.read_answer(select, choices) == "ja"
    assert blocks.read_answer(selected("answer", "value", type="plain_text_input", value="  vorige week ")) == (
        "vorige week"
    )
    person = {
        "person": {"user": {"type": "users_select", "selected_user": "U0123ABC"}},
        "typed": {"value": {"type": "plain_text_input", "value": None}},
    }
    assert blocks.read_answer(person) == people.encode_slack(None, "U0123ABC") == "[slack:U0123ABC]"
    assert people.identify(blocks.read_answer(person)) == (None, "slack", "U0123ABC")
    typed = {"person": {"user": {"selected_user": None}}, "typed": {"value": {"value": "Jan Janssens"}}}
    assert blocks.read_answer(typed) == "Jan Janssens"
    assert blocks.read_answer({"answer": {"value": {"selected_option": None}}}, choices) is None
    assert blocks.read_answer({"answer": {"value": {"value": "   "}}}) is None
    assert blocks.read_answer({}) is None


def test_a_value_too_long_for_an_option_travels_as_its_index():
    long = "sectie " + "x" * 200
    choices = (Choice("Kort", "kort"), Choice("Lang", long))
    view = valid_view(blocks.modal("Integriteitsbot", [Reply("Welke?", choices)]))
    options = inputs(view["blocks"])[blocks.ANSWER_BLOCK]["element"]["options"]
    assert [o["value"] for o in options] == ["kort", "#1"]
    assert blocks.read_answer(selected("answer", "value", selected_option=options[1]), choices) == long
    assert blocks.read_answer(selected("answer", "value", selected_option=options[0]), choices) == "kort"


def test_read_notify_text_takes_the_text_typed_in_a_notification():
    values = selected(blocks.NOTIFY_TEXT_BLOCK, blocks.NOTIFY_TEXT_ACTION, type="plain_text_input", value=" Wanneer? ")
    assert blocks.read_notify_text(values) == "Wanneer?"
    assert blocks.read_notify_text(selected("notify_text", "text", value="")) is None
    assert blocks.read_notify_text({}) is None


# Notification cards


def sample_cards(pack: Any) -> dict[str, dict[str, Any]]:
    """Every neutral notification card with fictional data, as deploy/teams/sample_cards.py builds them."""
    samples = runpy.run_path(str(ROOT / "deploy" / "teams" / "sample_cards.py"))
    return {name: card for name, (card, _) in samples["neutral_cards"](pack).items()}


def test_every_notification_card_is_valid_block_kit(content):
    for name, card in sample_cards(content.packs["kortrijk"]).items():
        sent = valid_message(blocks.notification(card))
        assert sent["text"] == card["title"], name
        assert sent["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": card["title"]}}
        fields = [f["text"] for block in of_type(sent["blocks"], "section") for f in block.get("fields", [])]
        assert fields == [f"*{label}*\n{mrkdwn(value)}" for label, value in card["facts"]], name
        verbs = [b for b in buttons(sent["blocks"]) if b["action_id"].startswith("notify:")]
        assert [b["action_id"] for b in verbs] == [f"notify:{verb['verb']}" for verb in card.get("verbs", [])]
        done = valid_message(blocks.notification(card, done=True))["blocks"]
        assert not inputs(done) and not any(b["action_id"].startswith("notify:") for b in buttons(done))


def test_a_report_card_asks_for_the_handlers_text_and_carries_kind_and_reference(content):
    card = sample_cards(content.packs["kortrijk"])["01-report"]
    sent = valid_message(blocks.notification(card))["blocks"]
    field = inputs(sent)[blocks.NOTIFY_TEXT_BLOCK]
    assert field["label"]["text"] == TEXT_LABEL and field["optional"] is True
    assert field["element"]["action_id"] == blocks.NOTIFY_TEXT_ACTION and field["element"]["multiline"] is True
    open_button, *verbs = buttons(sent)
    assert (open_button["action_id"], open_button["value"]) == ("choice:0", "melding M-2026-0007")
    assert [b["text"]["text"] for b in verbs] == ["Bevestigen", "Vraag stellen", "Afsluiten"]
    assert {json.dumps(json.loads(b["value"]), sort_keys=True) for b in verbs} == {
        json.dumps({"kind": "report", "reference": "M-2026-0007"}, sort_keys=True)
    }
    # The input comes before the verbs that read it.
    assert [b["type"] for b in sent].index("input") < len(sent) - 1 and sent[-1]["type"] == "actions"


def test_a_gift_card_offers_a_remark_and_an_addendum_has_no_verbs(content):
    cards = sample_cards(content.packs["kortrijk"])
    gift = valid_message(blocks.notification(cards["04-gift"]))["blocks"]
    assert inputs(gift)[blocks.NOTIFY_TEXT_BLOCK]["label"]["text"] == REMARK_LABEL
    assert [b["action_id"] for b in buttons(gift)] == ["notify:gezien", "notify:akkoord", "notify:niet-akkoord"]
    addendum = valid_message(blocks.notification(cards["03-addendum"]))["blocks"]
    assert not inputs(addendum) and [b["action_id"] for b in buttons(addendum)] == ["choice:0"]
    contact = valid_message(blocks.notification(cards["05-contact"]))["blocks"]
    assert not inputs(contact) and [b["text"]["text"] for b in buttons(contact)] == ["Ik neem contact op"]


async def test_the_card_after_an_action_shows_who_did_it_and_only_the_verbs_left(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels")
    await chat.press("versturen")
    release(conversation.clock)  # the handler acts on an anonymous report from the next morning on
    (row,) = [row for row in await rows(store, db.outbox) if row.card.get("context", {}).get("kind") == "report"]
    reference = row.card["context"]["reference"]
    turn = Turn(org="kortrijk", user=MELDPUNT)
    acknowledged = await conversation.act(turn, "report", reference, "bevestigen", None)
    assert acknowledged.card is not None
    sent = valid_message(blocks.notification(acknowledged.card))["blocks"]
    assert "Ontvangst bevestigd: door Demo Meldpunt (fictief)" in shown(sent)
    assert [b["action_id"] for b in buttons(sent) if b["action_id"].startswith("notify:")] == [
        "notify:vraag",
        "notify:afsluiten",
    ]
    closed = await conversation.act(turn, "report", reference, "afsluiten", "Bedankt, we hebben het opgelost.")
    assert closed.card is not None
    sent = valid_message(blocks.notification(closed.card))["blocks"]
    assert not inputs(sent) and not [b for b in buttons(sent) if b["action_id"].startswith("notify:")]
    assert "*Status*\nafgesloten" in shown(sent) and DESCRIPTION not in shown(sent)


# Neutral text as mrkdwn


@pytest.mark.parametrize(
    ("neutral", "slack"),
    [
        ("status <code> & co", "status &lt;code&gt; &amp; co"),
        ("het **geschenk** mag", "het *geschenk* mag"),
        ("**Geschenken**, **giften** en meer", "*Geschenken*, *giften* en meer"),
        ("een ** los teken", "een ** los teken"),
        ("**een** en **twee", "*een* en **twee"),
        ("in**woord**en", "inwoorden"),  # Slack shows no bold inside a word: the marks go, the word stays
        ("Zo:\n• een\n\n• twee", "Zo:\n• een\n\n• twee"),
        ("zie https://a.be/code.pdf.", "zie <https://a.be/code.pdf>."),
        ("(zie https://a.be/x_(y))", "(zie <https://a.be/x_(y)>)"),
        ("zie https://a.be/**x**_y.pdf, of niet", "zie <https://a.be/x_y.pdf>, of niet"),
        ("(zie **https**://a.be/?p=1&q=2)", "(zie <https://a.be/?p=1&amp;q=2>)"),
        ("https://a.be/a|b!", "<https://a.be/a%7Cb>!"),
        ("naam_voornaam en 3 * 4", "naam_voornaam en 3 * 4"),
    ],
)
def test_neutral_text_as_slack_mrkdwn(neutral, slack):
    assert mrkdwn(neutral) == slack


def test_plain_text_has_no_bold_marks_and_clip_cuts_between_words():
    assert plain("het **geschenk** mag") == "het geschenk mag"
    assert clip("een twee drie vier", 12) == "een twee…" and len(clip("x" * 100, 75)) == 75
    assert clip("kort", 75) == "kort"
    assert chunks("a b c d", 3) == ["a b", "c d"]


def test_a_receipt_code_is_a_code_block_of_its_own_with_its_commands_under_it():
    reply = receipt_reply(CODE)
    payload = blocks.message(reply)
    for block in payload["blocks"]:
        valid_block(block)
    texts = [text["text"] for text in text_objects(payload["blocks"])]
    (code,) = [text for text in texts if f"```{CODE}```" in text]
    assert code.startswith("*Je ontvangstcode*")
    (commands,) = [text for text in texts if f"`status {CODE}`" in text]
    assert f"`aanvullen {CODE}`" in commands and texts.index(code) < texts.index(commands)
    assert f"Je ontvangstcode: {CODE}" in payload["text"]  # the plain fallback keeps it
    closing = valid_view(blocks.modal("Vermoeden melden", [reply], closing=True))  # a flow run in a modal
    assert f"```{CODE}```" in shown(closing["blocks"])


def test_message_text_is_the_plain_fallback():
    payload = blocks.message(Reply("Het **geschenk** & <jij>"))
    assert payload["text"] == "Het geschenk &amp; &lt;jij&gt;"
    assert payload["blocks"] == [
        SectionBlock(text={"type": "mrkdwn", "text": "Het *geschenk* &amp; &lt;jij&gt;"}).to_dict()
    ]
