"""Who receives a notification for a role, whether a channel reaches them, and their outbox rows."""

from __future__ import annotations

from typing import Any

from bot.delivery.recipients import LOG_CHANNEL, pick_channel
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.storage.store import Notification
from bot.vocabulary import people


def recipients(pack: Pack, directory: Directory, role_id: str, named: str | None = None) -> list[dict[str, Any]]:
    """Whom to notify for a role: the person the user named for a personal role, else the configured people."""
    role = pack.role(role_id)
    if role is not None and role.personal and named:
        name, channel, user_id = people.identify(named)
        if channel and user_id:  # picked in Teams or Slack, or typed as someone in the contacts
            known = directory.person(pack.org, channel, user_id)
            if known is not None:  # every channel the contacts know them on, so a failing one falls back
                return [known.model_dump(exclude_none=True)]
            key = "teams_aad_id" if channel == "msteams" else "slack_user_id"
            return [{key: user_id, **({"name": name} if name else {})}]
        if "@" in named:
            known = directory.contact_by_email(pack.org, named)
            if known is not None:
                return [known.model_dump(exclude_none=True)]
            if directory.may_mail(pack.org, named):
                return [{"email": named}]
        # A name, or an address outside the organisation: kept as typed, mailed never (the user was told).
        return [{"name": named}]
    configured = directory.people(pack.org, role_id)
    if configured:
        return [person.model_dump(exclude_none=True) for person in configured]
    return [{}]  # nobody configured: the role itself is notified, and start-up warned about it


def reachable(pack: Pack, directory: Directory, role_id: str, named: str | None, available: set[str]) -> bool:
    """Whether a chat or mail channel reaches someone in this role; the log alone is no message to them."""
    return any(pick_channel(person, available) != LOG_CHANNEL for person in recipients(pack, directory, role_id, named))


def notifications(
    pack: Pack,
    directory: Directory,
    role_id: str,
    named: str | None,
    kind: str,
    card: dict[str, Any],
    available: set[str],
) -> list[Notification]:
    """One notification per person who fills the role."""
    return [
        Notification(role_id, recipient, pick_channel(recipient, available), kind, card)
        for recipient in recipients(pack, directory, role_id, named)
    ]
