"""A dilemma poll in a Teams channel: the Adaptive Card before and after its close, and its proactive poster."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)

from bot.channels.teams.proactive import in_chat
from bot.practice.polls import Place

CARD_VERSION = "1.5"
CHOICE_INPUT = "keuze"
VOTE_LABEL = "Stem"
VOTE_VERB, CLOSE_VERB = "dilemma-stem", "dilemma-sluit"


def poll_card(view: dict[str, Any]) -> dict[str, Any]:
    """The poll as an Adaptive Card: the situation, the reactions to choose from (wrapping, so none is cut), a vote
    and a close button as Action.Execute; once closed, the votes per reaction and the code's answer, quoted."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": view["title"], "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": view["situation"], "wrap": True},
    ]
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if not view["closed"]:
        choices = [{"title": option, "value": str(n)} for n, option in enumerate(view["options"])]
        body += [
            {"type": "TextBlock", "text": view["ask"], "wrap": True, "isSubtle": True, "size": "Small"},
            {
                "type": "Input.ChoiceSet",
                "id": CHOICE_INPUT,
                "label": view["question"],
                "style": "expanded",
                "wrap": True,
                "isRequired": True,
                "errorMessage": "Kies eerst wat jij zou doen.",
                "choices": choices,
            },
            {"type": "TextBlock", "text": view["count"], "wrap": True, "isSubtle": True},
        ]
        card["actions"] = [
            {"type": "Action.Execute", "title": VOTE_LABEL, "verb": VOTE_VERB, "data": {"poll": view["poll"]}},
            {
                "type": "Action.Execute",
                "title": view["close_label"],
                "verb": CLOSE_VERB,
                "data": {"poll": view["poll"]},
                "associatedInputs": "none",
            },
        ]
        card["fallbackText"] = f"{view['title']}: {view['situation']}"
        return card
    body += [
        {"type": "TextBlock", "text": "\n\n".join(view["lines"]), "wrap": True, "separator": True},
        {"type": "TextBlock", "text": view["result"], "wrap": True, "isSubtle": True},
        {"type": "TextBlock", "text": view["explanation"], "wrap": True},
        {"type": "TextBlock", "text": view["code_says"], "wrap": True, "style": "default"},
        {"type": "TextBlock", "text": view["talk"], "wrap": True, "weight": "Bolder"},
    ]
    card["fallbackText"] = f"{view['title']}: {view['explanation']}"
    return card


def poll_activity(view: dict[str, Any]) -> Activity:
    """The message activity carrying a poll card."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(poll_card(view)))
    activity.summary = view["title"]
    return activity


def poll_action(value: object) -> tuple[str, str, int | None] | None:
    """(verb, poll id, choice) of an Action.Execute on a poll card, if this invoke is one."""
    action = value.get("action") if isinstance(value, dict) else None
    data = action.get("data") if isinstance(action, dict) else None
    verb = action.get("verb") if isinstance(action, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("poll"), str) or verb not in (VOTE_VERB, CLOSE_VERB):
        return None
    raw = data.get(CHOICE_INPUT)
    choice = int(raw) if isinstance(raw, str) and raw.isdigit() else raw if isinstance(raw, int) else None
    return verb, data["poll"], choice


class TeamsPoster:
    """Posts and updates poll cards in Teams channels without a turn: the schedule and timed closes."""

    def __init__(self, adapter: CloudAdapter, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id

    def _reference(self, place: Place) -> ConversationReference:
        return ConversationReference(
            channel_id="msteams",
            service_url=place.service_url,
            conversation=ConversationAccount(
                id=place.place, tenant_id=place.tenant_id, conversation_type="channel", is_group=True
            ),
            bot=ChannelAccount(id=self._app_id or "bot"),
        )

    async def post(self, place: Place, view: dict[str, Any]) -> tuple[str, str]:
        """Post the card as a new conversation (a post) in the channel; returns the post's conversation id and the
        card's activity id, which an update needs."""
        parameters = ConversationParameters(
            is_group=True,
            bot=ChannelAccount(id=self._app_id or "bot"),
            channel_data={
                "channel": {"id": place.place},
                **({"tenant": {"id": place.tenant_id}} if place.tenant_id else {}),
            },
            activity=poll_activity(view),
            tenant_id=place.tenant_id,
        )
        posted: list[tuple[str, str]] = []

        async def note(context: TurnContext) -> None:
            posted.append((context.activity.conversation.id, context.activity.id))

        await self._adapter.create_conversation(self._app_id, note, parameters, "msteams", place.service_url, None)
        return posted[0] if posted else (place.place, "")

    async def update(self, place: Place, message_id: str, view: dict[str, Any]) -> None:
        """Replace the card in the channel."""

        async def replace(context: TurnContext) -> None:
            activity = poll_activity(view)
            activity.id = message_id
            await context.update_activity(activity)

        await in_chat(self._adapter, self._app_id, self._reference(place), replace)
