"""Mixed into Store: deadline reminders and escalations, each queued once however often the watch runs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.crypto import ESCALATED, FieldCipher
from bot.storage.filing_rows import Notification, outbox_row

__all__ = ["ESCALATED", "ReminderRows", "reminder_key"]  # ESCALATED: a case event whose text is the role escalated to


def reminder_key(org: str, reference: str, what: str, index: int) -> str:
    """The idempotency key of one reminder row: the same reminder to the same person is one row, ever."""
    return hashlib.sha256(f"deadline:{org}:{reference}:{what}:{index}".encode()).hexdigest()


class ReminderRows:
    """Open cases across organisations, escalated roles, and reminders queued exactly once."""

    engine: AsyncEngine
    clock: Clock
    fields: FieldCipher
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def cases_with_terms(self) -> list[Any]:
        """Every case not closed yet, of every organisation: the watch decides which deadlines bind it."""
        query = select(db.cases).where(db.cases.c.status != "afgesloten").order_by(db.cases.c.id)
        async with self.engine.connect() as conn:
            return self.fields.decrypt_all("cases", (await conn.execute(query)).all())

    async def escalated_roles(self, case_id: int) -> set[str]:
        """The roles a case was escalated to, which may open and act on it besides its first recipient."""
        query = select(db.case_events.c.text).where(
            db.case_events.c.case_id == case_id, db.case_events.c.type == ESCALATED
        )
        async with self.engine.connect() as conn:
            return {text for (text,) in (await conn.execute(query)).all() if text}

    async def remind(
        self, case: Any, what: str, notes: list[Notification], escalate_to: str | None = None, today: date | None = None
    ) -> bool:
        """Queue a reminder's rows once (a key per case, reminder and person); an escalation also records its event
        in the same transaction. Returns whether anything new was queued."""
        moment = self.clock.now()
        queued = False
        async with self._write() as conn:
            dialect = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
            for index, note in enumerate(notes):
                key = reminder_key(case.org, case.reference, what, index)
                row = outbox_row(self.fields, case.org, case.reference, note, moment, key)
                statement = dialect(db.outbox).values(**row)
                result = await conn.execute(statement.on_conflict_do_nothing(index_elements=["idempotency_key"]))
                queued = queued or result.rowcount > 0
            if escalate_to is not None and (queued or not notes) and not await _escalated(conn, case.id, escalate_to):
                await conn.execute(
                    insert(db.case_events).values(
                        case_id=case.id,
                        on_date=today or self.clock.today(),
                        type=ESCALATED,
                        text=escalate_to,
                        for_reporter=False,
                    )
                )
                queued = True
        return queued


async def _escalated(conn: AsyncConnection, case_id: int, role: str) -> bool:
    """Whether the case was escalated to this role before."""
    query = select(db.case_events.c.id).where(
        db.case_events.c.case_id == case_id, db.case_events.c.type == ESCALATED, db.case_events.c.text == role
    )
    return (await conn.execute(query)).first() is not None
