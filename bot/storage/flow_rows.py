"""The flow-state queries of the store: a running flow per conversation, or the marker of a filed one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.filing import SENT_FLOW


def flow_key(channel: str, conversation_id: str) -> str:
    """The flow state's key: a hash, so the table never holds a conversation id."""
    return hashlib.sha256(f"{channel}\0{conversation_id}".encode()).hexdigest()


class FlowRows:
    """Mixed into Store: reads and writes of the flow_state table."""

    engine: AsyncEngine
    clock: Clock
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def load_flow(self, channel: str, conversation_id: str) -> dict[str, Any] | None:
        """The saved state of a running flow in this conversation (or a filed flow's marker), if any."""
        key = flow_key(channel, conversation_id)
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(db.flow_state.c.state).where(db.flow_state.c.key == key))).first()
        return dict(row.state) if row else None

    async def save_flow(self, channel: str, conversation_id: str, state: dict[str, Any]) -> None:
        """Save (replace) the state of the flow running in this conversation."""
        async with self._write() as conn:
            await self._replace_flow(conn, flow_key(channel, conversation_id), state)

    async def _replace_flow(self, conn: AsyncConnection, key: str, state: dict[str, Any]) -> None:
        """Replace a conversation's flow state inside the caller's transaction."""
        await conn.execute(delete(db.flow_state).where(db.flow_state.c.key == key))
        # The day only: a reporter's every message would otherwise leave the moment they were last there.
        await conn.execute(
            insert(db.flow_state).values(key=key, flow=state["flow"], state=state, updated_at=self.clock.day_mark())
        )

    async def clear_flow(self, channel: str, conversation_id: str) -> None:
        """Forget the flow of this conversation: it ended or was stopped."""
        async with self._write() as conn:
            await conn.execute(delete(db.flow_state).where(db.flow_state.c.key == flow_key(channel, conversation_id)))

    async def clear_sent(self, channel: str, conversation_id: str) -> None:
        """Forget a filed flow's marker once its confirmation reached the user; a running flow stays."""
        key = flow_key(channel, conversation_id)
        async with self._write() as conn:
            await conn.execute(
                delete(db.flow_state).where(db.flow_state.c.key == key, db.flow_state.c.flow == SENT_FLOW)
            )

    async def purge_flows(self, older_than: datetime, flow: str | None = None) -> int:
        """Forget flows (or only the markers of one `flow`) last touched on a day (its 00:00 UTC) before a moment."""
        query = delete(db.flow_state).where(db.flow_state.c.updated_at < older_than)
        if flow is not None:
            query = query.where(db.flow_state.c.flow == flow)
        async with self._write() as conn:
            result = await conn.execute(query)
        return result.rowcount or 0
