"""Adaptive Card building blocks (schema 1.5): literal and markdown text, facts, and choices that fit Teams."""

from __future__ import annotations

from typing import Any

from bot.channels.teams.markdown import card_markdown
from bot.vocabulary.markup import inert
from bot.vocabulary.turns import Choice, ReceiptNote

ADAPTIVE_CARD_VERSION = "1.5"  # what Teams renders on desktop and web; never above it
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
ACTION_KEY = "action"  # a pressed button or a chosen option arrives as activity.value["action"]

ROW_LABEL_MAX = 20  # three buttons side by side in a card show this much of their label
STACKED_LABEL_MAX = 40  # a button on its own line shows this much; longer labels become options that wrap
FULL_ROW_LABEL_MAX = 50  # a full-width button shows this much (about 55 at 450 px: `make cards`, 10-signing-invitation)
STACKED_MAX = 6  # Teams shows six actions; more become a list of options
CHOOSE_LABEL = "Verder"
CHOOSE_PROMPT = "Kies wat past. Je mag het ook gewoon typen."
CHOOSE_MISSING = "Kies eerst een van de mogelijkheden."

Element = dict[str, Any]


def card(body: list[Element], actions: list[Element], fallback: str) -> Element:
    """The Adaptive Card itself, with the text to show where it cannot be rendered."""
    content: Element = {"type": "AdaptiveCard", "$schema": SCHEMA_URL, "version": ADAPTIVE_CARD_VERSION}
    content["fallbackText"] = fallback
    content["body"] = body
    if actions:
        content["actions"] = actions
    return content


def literal(text: str, heading: bool = False, subtle: bool = False) -> Element:
    """Text shown exactly as written, never read as markdown: '2. Organisatiewaarden' stays a title, no list."""
    run: Element = {"type": "TextRun", "text": text}
    if heading:
        run.update(weight="Bolder", size="Medium")
    if subtle:
        run["isSubtle"] = True
    block: Element = {"type": "RichTextBlock", "inlines": [run]}
    if subtle:
        block["spacing"] = "None"
    return block


def paragraphs(text: str, **style: Any) -> Element:
    """Running text with the neutral bold marks and links, wrapped."""
    return {"type": "TextBlock", "text": card_markdown(text), "wrap": True, **style}


def facts(pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> Element:
    """Label and value pairs; a fact is always plain text (often what a user typed): never a link or emphasis."""
    return {
        "type": "FactSet",
        "facts": [
            {"title": card_markdown(inert(title)), "value": card_markdown(inert(value))} for title, value in pairs
        ],
    }


def receipt(note: ReceiptNote) -> list[Element]:
    """A code to keep, in a box of its own: large and monospace on a line with nothing else, so it stands out and
    selects whole; then the commands that take it, each as typed."""
    box = {
        "type": "Container",
        "style": "emphasis",
        "items": [
            {"type": "TextBlock", "text": card_markdown(note.label), "weight": "Bolder", "wrap": True},
            {
                "type": "TextBlock",
                "text": note.code,
                "fontType": "Monospace",
                "size": "Large",
                "weight": "Bolder",
                "wrap": True,
                "spacing": "Small",
            },
            {"type": "TextBlock", "text": card_markdown(note.keep), "wrap": True, "isSubtle": True, "size": "Small"},
        ],
    }
    commands = [
        {
            "type": "RichTextBlock",
            "inlines": [
                {"type": "TextRun", "text": command, "fontType": "Monospace", "weight": "Bolder"},
                {"type": "TextRun", "text": f" {what}"},
            ],
            "spacing": "Small",
        }
        for command, what in note.commands
    ]
    heading = {"type": "TextBlock", "text": card_markdown(note.heading), "weight": "Bolder", "wrap": True}
    return [box, heading, *commands]


def submit(choice: Choice) -> Element:
    """A button that sends the choice's value back as a button press."""
    return {"type": "Action.Submit", "title": choice.label, "data": {ACTION_KEY: choice.value}}


def link_row(choice: Choice) -> Element:
    """A long choice as a line of text that wraps and can be tapped, like a link."""
    label = {"type": "TextBlock", "text": card_markdown(choice.label), "wrap": True, "color": "Accent"}
    return {"type": "Container", "items": [label], "selectAction": submit(choice), "spacing": "Small"}


def choice_controls(choices: tuple[Choice, ...]) -> tuple[list[Element], list[Element]]:
    """Body elements and card actions for choices: a row of buttons, buttons one below the other, or a list of
    options whose labels wrap (with one button to send the choice) when there are many or they are long."""
    longest = max((len(choice.label) for choice in choices), default=0)
    if len(choices) <= 3 and longest <= ROW_LABEL_MAX:
        return [], [submit(choice) for choice in choices]
    if len(choices) <= STACKED_MAX and longest <= STACKED_LABEL_MAX:
        return [{"type": "ActionSet", "actions": [submit(choice)]} for choice in choices], []
    options = {
        "type": "Input.ChoiceSet",
        "id": ACTION_KEY,
        "label": CHOOSE_PROMPT,
        "style": "expanded",
        "wrap": True,
        "isRequired": True,
        "errorMessage": CHOOSE_MISSING,
        "choices": [{"title": choice.label, "value": choice.value} for choice in choices],
    }
    return [options], [{"type": "Action.Submit", "title": CHOOSE_LABEL}]


def fallback_text(text: str, choices: tuple[Choice, ...]) -> str:
    """The reply as plain text with its choices listed, for clients that cannot show the card."""
    if not choices:
        return text
    return text + "\n\n" + "\n".join(f"• {choice.label}" for choice in choices)


PERSON_KEY = "person"  # the people picker's choice arrives as activity.value["person"]: an AAD object id
PICK_LABEL = "Kiezen"
PICK_PLACEHOLDER = "Zoek op naam"


def people_picker() -> list[Element]:
    """Teams' people picker: a search over the organisation's directory (Data.Query on graph.microsoft.com/users,
    a Teams extension of Input.ChoiceSet), sent with a button."""
    return [
        {
            "type": "Input.ChoiceSet",
            "id": PERSON_KEY,
            "label": "Of kies de persoon in Teams:",
            "placeholder": PICK_PLACEHOLDER,
            "isMultiSelect": False,
            "choices": [],
            "choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"},
        }
    ]
