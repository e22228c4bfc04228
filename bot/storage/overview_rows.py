"""Mixed into Store: the records that wait on the people who handle them, for their overview."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.crypto import FieldCipher
from bot.storage.discretion import released
from bot.storage.reminder_rows import ESCALATED

CLOSED = "afgesloten"
UNDECIDED = "gemeld"


class OverviewRows:
    """Open cases per receiving role, and gift declarations with no decision yet."""

    engine: AsyncEngine
    clock: Clock
    fields: FieldCipher

    async def open_cases(self, org: str, roles: set[str]) -> list[Any]:
        """The cases of an organisation sent to one of these roles that are not closed, oldest first."""
        if not roles:
            return []
        escalated = select(db.case_events.c.case_id).where(
            db.case_events.c.type == ESCALATED, db.case_events.c.text.in_(roles)
        )
        mine = or_(db.cases.c.recipient_role.in_(roles), db.cases.c.id.in_(escalated))
        query = (
            select(db.cases)
            .where(db.cases.c.org == org, mine, db.cases.c.status != CLOSED)
            .order_by(db.cases.c.received_on, db.cases.c.id)
        )
        async with self.engine.connect() as conn:
            found = self.fields.decrypt_all("cases", (await conn.execute(query)).all())
        now = self.clock.now()
        return [case for case in found if released(case, now)]  # an anonymous case from its morning release on

    async def undecided_gifts(self, org: str) -> list[Any]:
        """The gift declarations of an organisation that wait on a decision, oldest first."""
        query = (
            select(db.gifts)
            .where(db.gifts.c.org == org, db.gifts.c.status == UNDECIDED)
            .order_by(db.gifts.c.declared_on, db.gifts.c.id)
        )
        async with self.engine.connect() as conn:
            return self.fields.decrypt_all("gifts", (await conn.execute(query)).all())

    async def ever_named_manager(self, org: str, token: str) -> bool:
        """Whether any gift declaration of the organisation named this person (their stored '[…:id]') as the one
        who decides: such a person gets their overview even when nothing waits. The manager is encrypted, so the
        organisation's declarations are opened here rather than searched in SQL."""
        gifts = db.gifts.c
        query = select(gifts.org, gifts.reference, gifts.manager).where(gifts.org == org, gifts.manager.is_not(None))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return any(str(self.fields.decrypt("gifts", row).manager).endswith(token) for row in rows)
