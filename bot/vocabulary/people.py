"""A person named in a flow (the user's own leidinggevende): typed, matched to the contacts, or picked in Teams or
Slack."""

from __future__ import annotations

import re

# A person the bot can reach is kept as "Name [aad:<object id>]" (Teams) or "Name [slack:<member id>]" (or just the
# bracket when the picker gave no name), so the one text column says both whom to show and where to deliver.
_PICKED = re.compile(r"^(?:(?P<name>.+?) )?\[(?:aad:(?P<aad>[0-9a-fA-F-]{36})|slack:(?P<slack>[UW][A-Z0-9]{2,20}))\]$")
SOMEONE_PICKED = "de persoon die je koos"
# The stored form's bracket anywhere in a text, as someone might type it to pass for a picked person.
_BRACKET = re.compile(r"\s*\[\s*(?:aad|slack)\s*:[^\]]*\]?", re.IGNORECASE)


def encode(name: str | None, aad_object_id: str) -> str:
    """The stored form of a person with a Teams identity."""
    return f"{name} [aad:{aad_object_id}]" if name else f"[aad:{aad_object_id}]"


def encode_slack(name: str | None, user_id: str) -> str:
    """The stored form of a person with a Slack member id."""
    return f"{name} [slack:{user_id}]" if name else f"[slack:{user_id}]"


def encode_on(channel: str | None, user_id: str, name: str | None = None) -> str:
    """The stored form of a person known by their id on a chat channel (Teams ids in lower case)."""
    return encode_slack(name, user_id) if channel == "slack" else encode(name, user_id.lower())


def same_user(channel: str, one: str, other: str) -> bool:
    """Whether two ids on a channel are the same person: Teams (AAD) ids compare without case, Slack's with."""
    return one.lower() == other.lower() if channel == "msteams" else one == other


def is_person(value: str | None, channel: str, user_id: str) -> bool:
    """Whether a stored person is this user on this channel."""
    _, stored_channel, stored_id = identify(value)
    return bool(stored_id) and stored_channel == channel and same_user(channel, stored_id or "", user_id)


def decode(value: str | None) -> tuple[str | None, str | None]:
    """(name, AAD object id) of a stored person; a typed name or address, or a Slack member, has no AAD id."""
    name, channel, user_id = identify(value)
    return name, user_id if channel == "msteams" else None


def identify(value: str | None) -> tuple[str | None, str | None, str | None]:
    """(name, channel, user id) of a stored person: channel 'msteams' or 'slack', or None for a typed name."""
    if not value:
        return None, None, None
    picked = _PICKED.fullmatch(value.strip())
    if picked is None:
        return value, None, None
    if picked.group("aad"):
        return picked.group("name"), "msteams", picked.group("aad").lower()
    return picked.group("name"), "slack", picked.group("slack")


def display(value: str | None) -> str:
    """How to name a stored person to the user."""
    name, channel, _ = identify(value)
    return name or (SOMEONE_PICKED if channel else "")


def typed(text: str) -> str:
    """Text a user typed or a button sent, with anything that looks like a picked person's bracket removed:
    only a channel's people picker may name a reachable person, so 'Jansen [aad:…]' typed is the name 'Jansen'."""
    while True:  # until nothing changes: 'Baas [a[aad:x]ad:…]' must not rebuild a bracket once the inner one goes
        cleaned = _BRACKET.sub("", text)
        if cleaned == text:
            return cleaned
        text = cleaned


def is_picked(text: str) -> bool:
    """Whether an answer is a person picked in Teams or Slack (or a stored reachable person)."""
    return _PICKED.fullmatch(text.strip()) is not None
