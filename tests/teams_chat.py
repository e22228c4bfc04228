"""A Teams user over HTTP: types messages or presses what the bot's activities show, as a person in the client would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import Bot

ADAPTIVE = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Control:
    """Something a user can press: a suggested action (sends its value as text) or a card button or option."""

    label: str
    value: str
    typed: bool  # a suggested action posts its value as the user's own message; a card sends activity.value


def cards_of(activity: dict[str, Any]) -> list[dict[str, Any]]:
    """The Adaptive Cards attached to an activity."""
    return [a["content"] for a in activity.get("attachments") or [] if a.get("contentType") == ADAPTIVE]


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every element and action in a card, depth first."""
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for item in node:
            yield from elements(item)


def controls(activity: dict[str, Any]) -> list[Control]:
    """What a user can press in an activity, in the order shown."""
    found = [
        Control(action["title"], action["value"], typed=True)
        for action in (activity.get("suggestedActions") or {}).get("actions", [])
    ]
    for card in cards_of(activity):
        for element in elements(card):
            data = element.get("data")
            if element["type"] == "Action.Submit" and isinstance(data, dict) and "action" in data:
                found.append(Control(element["title"], data["action"], typed=False))
            if element["type"] == "Input.ChoiceSet" and element.get("id") == "action":
                found += [Control(choice["title"], choice["value"], typed=False) for choice in element["choices"]]
    return found


def shown_text(activity: dict[str, Any]) -> str:
    """The text a user reads: the message text, or a card's summary."""
    return activity.get("text") or activity.get("summary") or ""


@dataclass
class TeamsChat:
    """One user in one Teams conversation with the bot, over HTTP; every activity the bot sends is kept."""

    bot: Bot
    overrides: dict[str, Any] = field(default_factory=dict)
    typing: bool = False  # answer by typing the label of what `press` names, instead of pressing it
    last: list[dict[str, Any]] = field(default_factory=list)
    seen: list[dict[str, Any]] = field(default_factory=list)

    async def say(self, text: str) -> list[dict[str, Any]]:
        """Type a message."""
        return self._keep(await self.bot.say(text, **self.overrides))

    async def press(self, label_part: str) -> list[dict[str, Any]]:
        """Press the one control of the last activities whose label contains this text (or type its label)."""
        found = [control for activity in self.last for control in controls(activity) if label_part in control.label]
        labels = [control.label for activity in self.last for control in controls(activity)]
        assert len(found) == 1, (label_part, labels)
        if self.typing:
            return await self.say(found[0].label)
        return await self.choose(found[0])

    async def choose(self, control: Control) -> list[dict[str, Any]]:
        """Press a control as Teams sends it: a suggested action as text, a card button as a value."""
        if control.typed:
            return await self.say(control.value)
        return self._keep(await self.bot.say(None, value={"action": control.value}, **self.overrides))

    def _keep(self, sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
        self.last = sent
        self.seen += sent
        return sent

    @property
    def text(self) -> str:
        """All text of the last activities."""
        return "\n\n".join(shown_text(activity) for activity in self.last)


def in_org(org: str) -> dict[str, Any]:
    """Activity fields for a personal chat in the tenant mapped to this organisation (see `org_tenants`)."""
    tenant = f"tenant-{org}"
    conversation = {"id": f"a:conv-{org}", "conversationType": "personal", "tenantId": tenant}
    return {"conversation": conversation, "channelData": {"tenant": {"id": tenant}}}


def org_tenants(orgs: list[str]) -> dict[str, str]:
    """A tenant map with one tenant per organisation, for a bot that serves them all."""
    return {f"tenant-{org}": org for org in orgs}
