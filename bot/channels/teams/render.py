"""Render neutral replies as Bot Framework activities (Adaptive Cards with a plain-text fallback)."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import ActionTypes, Activity, CardAction

from bot.core.turns import Card, Choice, Reply

ADAPTIVE_CARD_VERSION = "1.4"  # the highest version Teams renders on every client


def adaptive_card(card: Card, choices: tuple[Choice, ...], fallback: str) -> dict[str, Any]:
    """An Adaptive Card for a neutral card; buttons send their value back as `{"action": value}`."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": card.title, "weight": "Bolder", "size": "Medium", "wrap": True},
    ]
    if card.subtitle:
        body.append({"type": "TextBlock", "text": card.subtitle, "isSubtle": True, "spacing": "None", "wrap": True})
    body.append({"type": "TextBlock", "text": card.body, "wrap": True})
    if card.facts:
        body.append({"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in card.facts]})
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": ADAPTIVE_CARD_VERSION,
        "fallbackText": fallback,
        "body": body,
        "actions": [{"type": "Action.Submit", "title": c.label, "data": {"action": c.value}} for c in choices],
    }


def to_activity(reply: Reply) -> Activity:
    """One Bot Framework message activity for one neutral reply."""
    if reply.card is not None:
        activity = MessageFactory.attachment(
            CardFactory.adaptive_card(adaptive_card(reply.card, reply.choices, reply.text))
        )
        activity.summary = reply.card.title
        return activity
    if reply.choices:
        actions = [CardAction(type=ActionTypes.im_back, title=c.label, value=c.value) for c in reply.choices]
        return MessageFactory.suggested_actions(actions, reply.text)
    return MessageFactory.text(reply.text)
