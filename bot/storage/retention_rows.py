"""Mixed into Store: the records retention lets go, deleted with their events and outbox rows; kept year figures."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.audit_rows import Actor, Deed, append_deed

RETENTION_LOCK = 0x1B7E_0005  # the advisory lock key of the retention round (PostgreSQL)
TABLES = {"melding": db.cases, "geschenk": db.gifts, "contact": db.contact_requests}


@dataclass(frozen=True)
class Expired:
    """A record past its retention: its kind, organisation, reference, year and the day its clock started."""

    kind: str  # melding (closed on), geschenk (declared on), contact (requested on)
    org: str
    reference: str
    year: int
    since: date
    record_id: int


class RetentionRows:
    """Finds and deletes what retention lets go; keeps a year's figures once."""

    engine: AsyncEngine
    clock: Clock
    audit_key: bytes  # from AuditRows
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def expired(self, before: date) -> list[Expired]:
        """Closed cases closed before the day, and gift declarations and contact requests made before it."""
        closed_on = (
            select(db.case_events.c.case_id, func.max(db.case_events.c.on_date).label("closed_on"))
            .where(db.case_events.c.type == "afgesloten")
            .group_by(db.case_events.c.case_id)
            .subquery()
        )
        since = func.coalesce(closed_on.c.closed_on, db.cases.c.received_on)
        cases = (
            select(db.cases.c.id, db.cases.c.org, db.cases.c.reference, db.cases.c.year, since.label("since"))
            .select_from(db.cases.outerjoin(closed_on, closed_on.c.case_id == db.cases.c.id))
            .where(db.cases.c.status == "afgesloten", since < before)
        )
        gifts = select(db.gifts.c.id, db.gifts.c.org, db.gifts.c.reference, db.gifts.c.year, db.gifts.c.declared_on)
        contacts = select(
            db.contact_requests.c.id,
            db.contact_requests.c.org,
            db.contact_requests.c.reference,
            db.contact_requests.c.year,
            db.contact_requests.c.requested_on,
        )
        found: list[Expired] = []
        async with self.engine.connect() as conn:
            for kind, query in (
                ("melding", cases),
                ("geschenk", gifts.where(db.gifts.c.declared_on < before)),
                ("contact", contacts.where(db.contact_requests.c.requested_on < before)),
            ):
                for row in (await conn.execute(query)).all():
                    found.append(Expired(kind, row[1], row[2], row[3], row[4], row[0]))
        return sorted(found, key=lambda item: (item.org, item.since, item.reference))

    async def delete_expired(self, items: list[Expired], by: Actor | None = None) -> int:
        """Delete the records with their events, outbox rows and submission marks, in one transaction with their
        audit entries ('purged' by `by`); on SQLite the deleted bytes are overwritten (secure_delete) and the WAL is
        emptied afterwards, so no copy of them stays."""
        deleted = 0
        async with self._write() as conn:
            if conn.dialect.name == "postgresql":
                # Replicas whose daily rounds meet: one deletes, the other waits and then finds nothing left.
                await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RETENTION_LOCK})
            for item in items:
                table = TABLES[item.kind]
                if item.kind == "melding":
                    await conn.execute(delete(db.case_events).where(db.case_events.c.case_id == item.record_id))
                gone = await conn.execute(delete(table).where(table.c.id == item.record_id))
                if not gone.rowcount:
                    continue  # already deleted by another replica's round: neither deleted nor recorded twice
                deleted += 1
                for related in (db.outbox, db.submissions):
                    await conn.execute(
                        delete(related).where(related.c.org == item.org, related.c.reference == item.reference)
                    )
                if by is not None:
                    deed = Deed(by, "purged", item.kind)
                    await append_deed(conn, self.clock, self.audit_key, deed, item.org, item.reference)
        if deleted:
            await self.checkpoint()
        return deleted

    async def checkpoint(self) -> None:
        """SQLite: copy the WAL into the database and truncate it to nothing, so the frames that held deleted
        rows are gone from disk too (PostgreSQL's VACUUM reclaims dead rows on its own schedule)."""
        if self.engine.dialect.name != "sqlite":
            return
        async with self.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            # Straight on the driver, outside a transaction: a checkpoint cannot run inside one.
            cursor = await raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            await cursor.close()

    async def kept_figures(self, org: str, year: int) -> dict[str, Any] | None:
        """A year's figures as kept when retention first deleted records of it."""
        query = select(db.year_figures.c.figures).where(db.year_figures.c.org == org, db.year_figures.c.year == year)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return row[0] if row else None

    async def keep_figures(self, org: str, year: int, figures: dict[str, Any], today: date) -> None:
        """Keep a year's figures, once: the first snapshot is the one with every record still there."""
        if await self.kept_figures(org, year) is not None:
            return
        row = {"org": org, "year": year, "figures": figures, "kept_on": today}
        # Two replicas' rounds may both get here: the first insert wins, the other does nothing (not an error).
        dialect = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        async with self._write() as conn:
            await conn.execute(dialect(db.year_figures).values(**row).on_conflict_do_nothing())
