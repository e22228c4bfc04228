"""The card-action queries of the store: what a handler, manager or adviser did, with its notifications."""

from __future__ import annotations

from collections.abc import Callable, Collection
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.audit_rows import Deed, append_deed, lock_audit
from bot.storage.crypto import FieldCipher
from bot.storage.filing_rows import Notification, enqueue


class ActionRows:
    """Mixed into Store: each action changes its record's status only from a status it is allowed in, and writes
    its event, notifications and audit entry in that same transaction, or nothing."""

    engine: AsyncEngine
    clock: Clock
    audit_key: bytes  # from AuditRows
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
        self,
        case: Any,
        event: str,
        text: str | None,
        status: str,
        today: date,
        notes: list[Notification],
        *,
        allowed: Collection[str],
        deed: Deed | None = None,
    ) -> bool:
        """An event on a case the reporter may read, the case's new status, the notifications it causes and the
        deed's audit entry, all in one transaction and only when the case is still in an `allowed` status; False
        (and nothing written) when another action changed it first."""
        async with self._write() as conn:
            if not await self._move(conn, db.cases, case, allowed, {"status": status}, deed):
                return False
            values = {"case_id": case.id, "on_date": today, "type": event, "text": text, "for_reporter": True}
            await conn.execute(insert(db.case_events).values(**self.fields.encrypt("case_events", values)))
            await enqueue(conn, self.fields, case.org, case.reference, notes, self.clock.now())
        return True

    async def decide_gift(
        self,
        gift: Any,
        status: str,
        note: str | None,
        actor: str,
        today: date,
        notes: list[Notification],
        actor_id: str | None = None,
        *,
        allowed: Collection[str],
        deed: Deed | None = None,
    ) -> bool:
        """The manager's decision on a gift declaration, in the register, with the employee's notification and the
        deed's audit entry; the decider by name and by stable id ('<channel>:<user id>'). Only from an `allowed`
        status: False (and nothing written) when another decision came first."""
        async with self._write() as conn:
            decision = {
                "status": status, "decision_note": note, "decided_by": actor, "decided_by_id": actor_id,
                "decided_on": today,
            }  # fmt: skip
            decision = self.fields.encrypt("gifts", decision, bound=gift._mapping)
            if not await self._move(conn, db.gifts, gift, allowed, decision, deed):
                return False
            await enqueue(conn, self.fields, gift.org, gift.reference, notes, self.clock.now())
        return True

    async def take_contact(
        self,
        request: Any,
        actor: str,
        today: date,
        notes: list[Notification],
        *,
        allowed: Collection[str],
        deed: Deed | None = None,
    ) -> bool:
        """An adviser takes up a contact request, with the requester's notification and the deed's audit entry;
        False (and nothing written) when the request is no longer in an `allowed` status."""
        async with self._write() as conn:
            taken = {"status": "opgenomen", "handled_by": actor, "handled_on": today}
            taken = self.fields.encrypt("contact_requests", taken, bound=request._mapping)
            if not await self._move(conn, db.contact_requests, request, allowed, taken, deed):
                return False
            await enqueue(conn, self.fields, request.org, request.reference, notes, self.clock.now())
        return True

    async def _move(
        self,
        conn: AsyncConnection,
        table: Any,
        record: Any,
        allowed: Collection[str],
        values: dict[str, Any],
        deed: Deed | None,
    ) -> bool:
        """Set a record's new values only while its status is one the action is allowed from, and record the deed
        when it was. The condition is in the UPDATE itself: of two actions at once, the second finds the status
        the first left (PostgreSQL re-checks a row a concurrent transaction changed; SQLite's writer is exclusive),
        so a check made earlier, outside this transaction, can never be acted on when it no longer holds."""
        # The trail's lock first, then the record: the order retention's purge takes them in, so the two never
        # wait on each other (PostgreSQL).
        await lock_audit(conn)
        condition = (table.c.id == record.id) & table.c.status.in_(list(allowed))
        changed = await conn.execute(update(table).where(condition).values(**values))
        if changed.rowcount != 1:
            return False
        if deed is not None:
            await append_deed(conn, self.clock, self.audit_key, deed, record.org, record.reference)
        return True
