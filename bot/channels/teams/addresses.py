"""Where Teams notifications can go: tenants and their service URL, and recipients' 1:1 chats, learnt from traffic."""

from __future__ import annotations

import logging
from collections.abc import Callable

from botbuilder.schema import Activity

from bot.channels.teams.handler import tenant_of
from bot.knowledge.directory import Directory
from bot.storage.store import Store

log = logging.getLogger(__name__)


class AddressBook:
    """Remembers, from authenticated incoming activities, each tenant's service URL and the personal chats of the
    people configured to receive notifications; nothing about any other user (a reporter) is kept."""

    def __init__(self, store: Store, directory: Directory, resolve_org: Callable[[str | None], str | None]) -> None:
        self._store = store
        self._directory = directory
        self._resolve_org = resolve_org
        self._known: set[tuple[str, ...]] = set()  # what is stored already, so a turn costs no write

    async def seen(self, activity: Activity) -> None:
        """Learn from one authenticated activity; never raises (the turn matters more)."""
        try:
            await self._learn(activity)
        except Exception:
            log.exception("could not remember a Teams address")

    async def _learn(self, activity: Activity) -> None:
        tenant, service_url = tenant_of(activity), activity.service_url
        org = self._resolve_org(tenant)
        if activity.channel_id != "msteams" or not tenant or not service_url or not org:
            return
        if ("tenant", tenant, org, service_url) not in self._known:
            await self._store.remember_tenant(tenant, org, service_url)
            self._known.add(("tenant", tenant, org, service_url))
        sender = activity.from_property
        aad = getattr(sender, "aad_object_id", None)
        conversation = activity.conversation
        personal = (getattr(conversation, "conversation_type", None) or "personal") == "personal"
        if not aad or not personal or not self._directory.roles_of(org, "msteams", aad):
            return
        key = ("chat", tenant, aad, conversation.id, service_url)
        if key not in self._known:
            await self._store.remember_chat(tenant, aad, conversation.id, service_url)
            self._known.add(key)
