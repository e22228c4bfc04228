"""The outbox queries of the store: claiming due rows, delivery marks, failures and retries."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.crypto import FieldCipher
from bot.storage.filing_rows import Notification, outbox_row

LEASE = timedelta(minutes=5)  # far longer than one delivery may take (its timeouts are seconds)


class OutboxRows:
    """Mixed into Store: reads and writes of the outbox table."""

    engine: AsyncEngine
    clock: Clock
    fields: FieldCipher
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def claim(self, moment: datetime, limit: int = 50, lease: timedelta = LEASE) -> list[Any]:
        """Claim due notifications for one delivery attempt each, oldest first: the attempt is counted and the
        row is held until the lease ends, before anything is delivered. On PostgreSQL, replicas skip each
        other's rows (FOR UPDATE SKIP LOCKED); SQLite has one writer, so the claim is atomic there too."""
        out = db.outbox.c
        due = (
            select(out.id)
            .where(
                out.status == "pending",
                out.next_attempt_at <= moment,
                or_(out.claimed_until.is_(None), out.claimed_until <= moment),
            )
            .order_by(out.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with self._write() as conn:
            ids = list((await conn.execute(due)).scalars())
            if not ids:
                return []
            await conn.execute(
                update(db.outbox).where(out.id.in_(ids)).values(claimed_until=moment + lease, attempts=out.attempts + 1)
            )
            claimed = (await conn.execute(select(db.outbox).where(out.id.in_(ids)).order_by(out.id))).all()
        return self.fields.decrypt_all("outbox", claimed)

    async def mark_delivered(self, row_id: int) -> bool:
        """Mark a claimed notification delivered; False when it was no longer pending. A delivered row keeps the
        day only: the moment it was due would tell, give or take the hold, when an anonymous report was filed."""
        day = self.clock.day_mark()
        async with self._write() as conn:
            result = await conn.execute(
                update(db.outbox)
                .where(db.outbox.c.id == row_id, db.outbox.c.status == "pending")
                .values(status="delivered", delivered_at=day, next_attempt_at=day, claimed_until=None, last_error=None)
            )
        return bool(result.rowcount)

    async def mark_attempt_failed(self, row_id: int, error: str, retry_at: datetime | None) -> None:
        """Record a failed (already counted) attempt: try again at `retry_at`, or give up (failed, due no more: the
        day only) when None."""
        values: dict[str, Any] = {"last_error": error[:2000], "claimed_until": None}
        given_up = {"status": "failed", "next_attempt_at": self.clock.day_mark()}
        values.update({"next_attempt_at": retry_at} if retry_at else given_up)
        async with self._write() as conn:
            await conn.execute(update(db.outbox).where(db.outbox.c.id == row_id).values(**values))

    async def hand_over(self, row: Any, channel: str, tried: list[str]) -> None:
        """Queue a failed notification again on another channel of the same recipient, with its own key: the first
        one's with the channel after it, so what became of a message can be followed (a signing campaign's register),
        and a second hand-over to the same channel is refused by the key's unique index."""
        note = Notification(row.recipient_role, {**row.recipient, "_tried": tried}, channel, row.kind, row.card)
        key = f"{str(row.idempotency_key)[:32]}.{channel}"
        async with self._write() as conn:
            await conn.execute(
                insert(db.outbox).values(**outbox_row(self.fields, row.org, row.reference, note, self.clock.now(), key))
            )

    async def outbox_rows(self, statuses: tuple[str, ...] = ("pending", "failed")) -> list[Any]:
        """Notifications in these states, oldest first."""
        query = select(db.outbox).where(db.outbox.c.status.in_(statuses)).order_by(db.outbox.c.id)
        async with self.engine.connect() as conn:
            return self.fields.decrypt_all("outbox", (await conn.execute(query)).all())

    async def due_summary(self) -> tuple[int, datetime | None]:
        """How many notifications are due and not delivered, and since when the oldest of them is due (a held
        anonymous notification counts only from its release: nothing shows when it was filed)."""
        now = self.clock.now()
        query = select(func.count(), func.min(db.outbox.c.next_attempt_at)).where(
            db.outbox.c.status == "pending", db.outbox.c.next_attempt_at <= now
        )
        async with self.engine.connect() as conn:
            count, oldest = (await conn.execute(query)).one()
        return int(count), oldest

    async def retry_failed(self) -> int:
        """Put every failed notification back in the queue, due now."""
        async with self._write() as conn:
            result = await conn.execute(
                update(db.outbox)
                .where(db.outbox.c.status == "failed")
                .values(status="pending", next_attempt_at=self.clock.now(), claimed_until=None)
            )
        return result.rowcount or 0


def tag(row: Any) -> str:
    """How the log and `integriteitsbot outbox` name a notification: the start of its random idempotency key.
    Never the row id: ids count up, so the log's times of two deliveries would bracket when a row in between (an
    anonymous report's, announced the morning after) was created."""
    return str(row.idempotency_key)[:8]
