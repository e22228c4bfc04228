"""Every Adaptive Card the bot sends validates against the official Adaptive Card 1.5 JSON schema.

The schema is `tests/data/adaptive-card-1.5.json`, unchanged from microsoft/AdaptiveCards,
https://github.com/microsoft/AdaptiveCards/blob/644d933e185a8482c4dcf4c375d177aac37fd095/schemas/1.5.0/adaptive-card.json
(see tests/data/README); the tests never fetch it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import Bot
from tests.flows import tour
from tests.teams_chat import TeamsChat, cards_of, elements, in_org, org_tenants, shown_text

DATA = Path(__file__).parent / "data"
SCHEMA = json.loads((DATA / "adaptive-card-1.5.json").read_text(encoding="utf-8"))
ORGS = ["igo", "kortrijk", "putte", "voorbeeldgemeente", "vvsg"]


PEOPLE_QUERY = {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}


def without_people_picker(card: Any) -> Any:
    """The card without Teams' people-picker extension (`choices.data` on Input.ChoiceSet, which the 1.6 schema
    adds and 1.5 does not know), after checking that the extension is exactly Teams' user search."""
    if isinstance(card, list):
        return [without_people_picker(item) for item in card]
    if not isinstance(card, dict):
        return card
    if "choices.data" in card:
        assert card["type"] == "Input.ChoiceSet" and card["choices.data"] == PEOPLE_QUERY, card
    return {key: without_people_picker(value) for key, value in card.items() if key != "choices.data"}


def schema_problems(card: dict[str, Any]) -> list[str]:
    """What the official schema finds wrong with a card, most specific first; empty when it is valid."""
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    errors = validator.iter_errors(without_people_picker(card))
    return [jsonschema.exceptions.best_match([error]).message for error in errors]


def version(card: dict[str, Any]) -> tuple[int, ...]:
    """A card's schema version as numbers."""
    return tuple(int(part) for part in card["version"].split("."))


async def everything_in(bot: Bot, org: str, content: Any) -> list[dict[str, Any]]:
    """Every kind of activity the bot sends in one organisation: welcome, help, lookups, sections and the flows,
    with their detours (help, terug, a question in the middle, an answer it does not understand)."""
    chat = TeamsChat(bot, in_org(org))
    chat._keep(await bot.say(None, type="conversationUpdate", membersAdded=[{"id": "29:user-1"}], **in_org(org)))
    await tour(chat, org, content)
    await chat.say("vertrouwenspersoon")
    await chat.press("integriteitsvraag")
    await chat.say("terug")
    await chat.press("Ik wil iets melden")
    await chat.press("Vermoeden melden")
    await chat.say("stop")
    return chat.seen


async def test_the_schema_file_is_the_official_one_and_catches_mistakes():
    jsonschema.validators.validator_for(SCHEMA).check_schema(SCHEMA)
    assert SCHEMA["id"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    assert (
        schema_problems({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "x"}]}) == []
    )
    assert schema_problems({"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "wrapp": True}]})
    assert schema_problems({"type": "AdaptiveCard", "version": "1.5", "msteams": {"width": "Full"}})


@pytest.mark.parametrize("org", ORGS)
async def test_every_card_of_every_flow_and_answer_is_valid_adaptive_card_1_5(start_bot, content, org):
    bot = await start_bot(org=None, tenants=org_tenants(ORGS))
    sent = await everything_in(bot, org, content)
    cards = [(activity, card) for activity in sent for card in cards_of(activity)]
    assert len(cards) > len(content.packs[org].code.sections)
    for activity, card in cards:
        assert schema_problems(card) == [], json.dumps(card, ensure_ascii=False)[:2000]
        assert version(card) <= (1, 5)
        assert card["fallbackText"].strip() and shown_text(activity).strip()  # a text where the card cannot show
        for element in elements(card):
            if element["type"] == "Action.Submit" and "data" in element:
                assert isinstance(element["data"]["action"], str)  # what the handler reads as a button press
            if element["type"] == "Input.ChoiceSet":
                # Choices arrive as value["action"]; the people picker's choice as value["person"].
                assert (element["id"], element.get("wrap")) in (("action", True), ("person", None)), element
    kinds = {element["type"] for _, card in cards for element in elements(card)}
    assert {"RichTextBlock", "TextBlock", "FactSet", "ActionSet", "Input.ChoiceSet", "Action.Submit"} <= kinds
    assert all(len((activity.get("suggestedActions") or {}).get("actions", [])) <= 3 for activity in sent)
