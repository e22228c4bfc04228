"""The Teams address queries of the store: tenants with their service URL, and recipients' 1:1 chats."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db


class TeamsRows:
    """Mixed into Store: reads and writes of teams_tenants and teams_chats."""

    engine: AsyncEngine
    clock: Clock
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def remember_tenant(self, tenant_id: str, org: str, service_url: str) -> None:
        """Record (replace) where a tenant's Bot Connector is and which organisation it is. Any user's message may
        write it (a reporter's too), so it keeps the day it was seen, never the time."""
        async with self._write() as conn:
            await conn.execute(delete(db.teams_tenants).where(db.teams_tenants.c.tenant_id == tenant_id))
            await conn.execute(
                insert(db.teams_tenants).values(
                    tenant_id=tenant_id, org=org, service_url=service_url, updated_at=self.clock.day_mark()
                )
            )

    async def tenant_of_org(self, org: str) -> Any:
        """The tenant most recently seen for an organisation, with its service URL, if any."""
        query = (
            select(db.teams_tenants)
            .where(db.teams_tenants.c.org == org)
            .order_by(db.teams_tenants.c.updated_at.desc(), db.teams_tenants.c.tenant_id)
            .limit(1)
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(query)).first()

    async def remember_chat(self, tenant_id: str, aad_object_id: str, conversation_id: str, service_url: str) -> None:
        """Record (replace) the 1:1 chat in which a notification recipient can be reached."""
        chats = db.teams_chats.c
        async with self._write() as conn:
            await conn.execute(
                delete(db.teams_chats).where(chats.tenant_id == tenant_id, chats.aad_object_id == aad_object_id)
            )
            await conn.execute(
                insert(db.teams_chats).values(
                    tenant_id=tenant_id,
                    aad_object_id=aad_object_id,
                    conversation_id=conversation_id,
                    service_url=service_url,
                    updated_at=self.clock.day_mark(),
                )
            )

    async def chat_of(self, tenant_id: str, aad_object_id: str) -> Any:
        """A recipient's known 1:1 chat, if any."""
        chats = db.teams_chats.c
        query = select(db.teams_chats).where(chats.tenant_id == tenant_id, chats.aad_object_id == aad_object_id)
        async with self.engine.connect() as conn:
            return (await conn.execute(query)).first()
