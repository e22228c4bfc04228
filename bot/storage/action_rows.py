"""The card-action queries of the store: what a handler, manager or adviser did, with its notifications."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.crypto import FieldCipher
from bot.storage.filing_rows import Notification, enqueue


class ActionRows:
    """Mixed into Store: each action updates its record and queues its notifications in one transaction."""

    engine: AsyncEngine
    clock: Clock
    fields: FieldCipher
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def record_by_reference(self, table: Any, org: str, reference: str) -> Any:
        """A gift declaration or contact request of an organisation by its reference."""
        query = select(table).where(table.c.org == org, table.c.reference == reference.upper())
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else self.fields.decrypt(table.name, row)

    async def first_card(self, org: str, reference: str, kind: str) -> dict[str, Any] | None:
        """The card first sent about a record (to its addressee), as the outbox kept it."""
        query = (
            select(db.outbox.c.card, db.outbox.c.idempotency_key)
            .where(db.outbox.c.org == org, db.outbox.c.reference == reference, db.outbox.c.kind == kind)
            .order_by(db.outbox.c.id)
            .limit(1)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return dict(self.fields.decrypt("outbox", row).card) if row else None

    async def case_action(
        self, case: Any, event: str, text: str | None, status: str, today: date, notes: list[Notification]
    ) -> None:
        """An event on a case the reporter may read, the case's new status, and the notifications it causes."""
        async with self._write() as conn:
            values = {"case_id": case.id, "on_date": today, "type": event, "text": text, "for_reporter": True}
            await conn.execute(insert(db.case_events).values(**self.fields.encrypt("case_events", values)))
            await conn.execute(update(db.cases).where(db.cases.c.id == case.id).values(status=status))
            await enqueue(conn, self.fields, case.org, case.reference, notes, self.clock.now())

    async def decide_gift(
        self,
        gift: Any,
        status: str,
        note: str | None,
        actor: str,
        today: date,
        notes: list[Notification],
        actor_id: str | None = None,
    ) -> None:
        """The manager's decision on a gift declaration, in the register, with the employee's notification; the
        decider by name and by stable id ('<channel>:<user id>')."""
        async with self._write() as conn:
            decision = {
                "status": status, "decision_note": note, "decided_by": actor, "decided_by_id": actor_id,
                "decided_on": today,
            }  # fmt: skip
            decision = self.fields.encrypt("gifts", decision, bound=gift._mapping)
            await conn.execute(update(db.gifts).where(db.gifts.c.id == gift.id).values(**decision))
            await enqueue(conn, self.fields, gift.org, gift.reference, notes, self.clock.now())

    async def take_contact(self, request: Any, actor: str, today: date, notes: list[Notification]) -> None:
        """An adviser takes up a contact request, with the requester's notification."""
        async with self._write() as conn:
            taken = {"status": "opgenomen", "handled_by": actor, "handled_on": today}
            taken = self.fields.encrypt("contact_requests", taken, bound=request._mapping)
            requests = db.contact_requests
            await conn.execute(update(requests).where(requests.c.id == request.id).values(**taken))
            await enqueue(conn, self.fields, request.org, request.reference, notes, self.clock.now())
