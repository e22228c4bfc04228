"""The outbox queries of the store: due rows, delivery marks, failures and retries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock
from bot.storage import db


class OutboxRows:
    """Mixed into Store: reads and writes of the outbox table."""

    engine: AsyncEngine
    clock: Clock

    async def due(self, moment: datetime, limit: int = 50) -> list[Any]:
        """Pending notifications whose time has come, oldest first."""
        query = (
            select(db.outbox)
            .where(db.outbox.c.status == "pending", db.outbox.c.next_attempt_at <= moment)
            .order_by(db.outbox.c.id)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def mark_delivered(self, row_id: int) -> bool:
        """Mark a notification delivered; False when another worker already did."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(db.outbox)
                .where(db.outbox.c.id == row_id, db.outbox.c.status == "pending")
                .values(
                    status="delivered",
                    delivered_at=self.clock.now(),
                    attempts=db.outbox.c.attempts + 1,
                    last_error=None,
                )
            )
        return bool(result.rowcount)

    async def mark_attempt_failed(self, row_id: int, error: str, retry_at: datetime | None) -> None:
        """Record a failed delivery: try again at `retry_at`, or give up (status failed) when it is None."""
        values: dict[str, Any] = {"attempts": db.outbox.c.attempts + 1, "last_error": error[:2000]}
        values.update({"next_attempt_at": retry_at} if retry_at else {"status": "failed"})
        async with self.engine.begin() as conn:
            await conn.execute(update(db.outbox).where(db.outbox.c.id == row_id).values(**values))

    async def outbox_rows(self, statuses: tuple[str, ...] = ("pending", "failed")) -> list[Any]:
        """Notifications in these states, oldest first."""
        query = select(db.outbox).where(db.outbox.c.status.in_(statuses)).order_by(db.outbox.c.id)
        async with self.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def retry_failed(self) -> int:
        """Put every failed notification back in the queue, due now."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(db.outbox)
                .where(db.outbox.c.status == "failed")
                .values(status="pending", next_attempt_at=self.clock.now())
            )
        return result.rowcount or 0
