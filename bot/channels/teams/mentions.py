"""Take the bot's own @mention out of a message, so '<at>Integriteitsbot</at> melden' reads as 'melden'."""

from __future__ import annotations

import re
from typing import Any

from botbuilder.schema import Activity

AT_TAG = re.compile(r"<at(?:\s[^>]*)?>(.*?)</at>", re.IGNORECASE | re.DOTALL)
SPACES = re.compile(r"(?:&nbsp;|\u00a0)", re.IGNORECASE)  # Teams puts a non-breaking space after a mention
BLANKS = re.compile(r"[ \t]{2,}")


def without_mention(activity: Activity) -> str | None:
    """The message's text without the bot's own mention; someone else's mention keeps the name as plain text."""
    text = activity.text
    if not isinstance(text, str):
        return None
    recipient = activity.recipient
    bot_id = recipient.id if recipient is not None and isinstance(recipient.id, str) else ""
    bot_name = recipient.name if recipient is not None and isinstance(recipient.name, str) else ""
    others: set[str] = set()
    for mentioned_id, mentioned_name, tag in _mentions(activity):
        if bot_id and mentioned_id == bot_id:
            tag = tag or f"<at>{mentioned_name}</at>"
            text = text.replace(tag, " ", 1)
        elif tag:
            others.add(tag)
    private = (getattr(activity.conversation, "conversation_type", None) or "personal") == "personal"

    def untag(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if bot_name and name.casefold() == bot_name.casefold():
            return " "
        # In a channel or group chat the bot only gets messages that mention it: a leading mention that no entity
        # gives to someone else is the bot's, even when its entity is missing or its name differs.
        if not private and not text[: match.start()].strip() and match.group(0) not in others:
            return " "
        return name

    text = AT_TAG.sub(untag, text)
    return BLANKS.sub(" ", SPACES.sub(" ", text)).strip()


def _mentions(activity: Activity) -> list[tuple[str, str, str]]:
    """(mentioned id, mentioned name, text) of each mention entity, skipping entities of another shape."""
    found = []
    for entity in activity.entities or []:
        props: dict[str, Any] = dict(getattr(entity, "additional_properties", None) or {})
        if str(getattr(entity, "type", "") or "").lower() != "mention":
            continue
        mentioned = props.get("mentioned") if isinstance(props.get("mentioned"), dict) else {}
        mentioned_id, name, tag = mentioned.get("id"), mentioned.get("name"), props.get("text")
        found.append(
            (
                mentioned_id if isinstance(mentioned_id, str) else "",
                name if isinstance(name, str) else "",
                tag if isinstance(tag, str) else "",
            )
        )
    return found
