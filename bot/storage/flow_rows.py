"""The flow-state queries of the store: a running flow per conversation and user, or the marker of a filed one."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.crypto import FieldCipher
from bot.storage.filing import SENT_FLOW
from bot.storage.secret import ServerSecret
from bot.vocabulary.turns import UserRef


class FlowRows:
    """Mixed into Store: reads and writes of the flow_state table, keyed by an HMAC of who talks where (channel,
    conversation, user) under the server secret, the state itself encrypted."""

    engine: AsyncEngine
    clock: Clock
    secret: ServerSecret
    fields: FieldCipher
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    def flow_key(self, user: UserRef) -> str:
        """The flow state's key for this user in this conversation."""
        return self.secret.flow_key(user.channel, user.conversation_id, user.user_id)

    def seal_key(self, user: UserRef) -> bytes:
        """The key that seals a filed flow's confirmation for this user's conversation; never stored."""
        return self.secret.seal_key(user.channel, user.conversation_id, user.user_id)

    async def load_flow(self, user: UserRef) -> dict[str, Any] | None:
        """The saved state of this user's running flow in this conversation (or a filed flow's marker), if any."""
        key = self.flow_key(user)
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(db.flow_state).where(db.flow_state.c.key == key))).first()
        return dict(self.fields.decrypt("flow_state", row).state) if row else None

    async def save_flow(self, user: UserRef, state: dict[str, Any]) -> None:
        """Save (replace) the state of the flow this user runs in this conversation."""
        async with self._write() as conn:
            await self._replace_flow(conn, self.flow_key(user), state)

    async def _replace_flow(self, conn: AsyncConnection, key: str, state: dict[str, Any]) -> None:
        """Replace a flow state inside the caller's transaction."""
        await conn.execute(delete(db.flow_state).where(db.flow_state.c.key == key))
        # The day only: a reporter's every message would otherwise leave the moment they were last there.
        values = {"key": key, "flow": state["flow"], "state": state, "updated_at": self.clock.day_mark()}
        await conn.execute(insert(db.flow_state).values(**self.fields.encrypt("flow_state", values)))

    async def clear_flow(self, user: UserRef) -> None:
        """Forget this user's flow: it ended or was stopped."""
        async with self._write() as conn:
            await conn.execute(delete(db.flow_state).where(db.flow_state.c.key == self.flow_key(user)))

    async def clear_sent(self, user: UserRef) -> None:
        """Forget a filed flow's marker once its confirmation reached the user; a running flow stays."""
        key = self.flow_key(user)
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
