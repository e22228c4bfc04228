"""Durable storage: flow state, cases, the gift register, contact requests and the outbox, one transaction each."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.cases.receipts import Receipt
from bot.clock import Clock
from bot.core.outcomes import AddendumOutcome, ContactOutcome, GiftOutcome, ReportOutcome
from bot.storage import db
from bot.storage.migrate import upgrade
from bot.storage.outbox_rows import OutboxRows

log = logging.getLogger(__name__)

PREFIX = {"cases": "M", "gifts": "G", "contact_requests": "V"}


@dataclass(frozen=True)
class Notification:
    """One message to deliver from the outbox: to whom, how, and the card (never a report's details)."""

    recipient_role: str
    recipient: dict[str, Any]  # name, email, teams_aad_id, slack_user_id: whatever is known
    channel: str
    kind: str
    card: dict[str, Any]


Notifier = Callable[[str], list[Notification]]  # builds the notifications once the reference is known


def flow_key(channel: str, conversation_id: str) -> str:
    """The flow state's key: a hash, so the table never holds a conversation id."""
    return hashlib.sha256(f"{channel}\0{conversation_id}".encode()).hexdigest()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers go on while the worker writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class Store(OutboxRows):
    """All reads and writes of the service; every outcome is stored with its outbox rows in one transaction."""

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None):
        self.engine = engine
        self.clock = clock or Clock()

    @classmethod
    async def open(cls, url: str, clock: Clock | None = None) -> Store:
        """Connect, create the SQLite folder when needed, and apply the migrations; timestamps come from `clock`."""
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # aiosqlite logs every statement with its parameters at DEBUG, which would put conversation ids
        # and report texts in the service log; it stays at INFO whatever LOG_LEVEL says.
        logging.getLogger("aiosqlite").setLevel(max(logging.INFO, logging.getLogger("aiosqlite").level))
        engine = create_async_engine(url)
        if parsed.get_backend_name() == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        await upgrade(engine)
        return cls(engine, clock)

    async def close(self) -> None:
        """Close every connection."""
        await self.engine.dispose()

    # Flow state -------------------------------------------------------------------------------------

    async def load_flow(self, channel: str, conversation_id: str) -> dict[str, Any] | None:
        """The saved state of a running flow in this conversation, if any."""
        key = flow_key(channel, conversation_id)
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(db.flow_state.c.state).where(db.flow_state.c.key == key))).first()
        return dict(row.state) if row else None

    async def save_flow(self, channel: str, conversation_id: str, state: dict[str, Any]) -> None:
        """Save (replace) the state of the flow running in this conversation."""
        async with self.engine.begin() as conn:
            await conn.execute(self._flow_delete(channel, conversation_id))
            await conn.execute(
                insert(db.flow_state).values(
                    key=flow_key(channel, conversation_id), flow=state["flow"], state=state, updated_at=self.clock.now()
                )
            )

    async def clear_flow(self, channel: str, conversation_id: str) -> None:
        """Forget the flow of this conversation: it ended, was stopped, or was stored."""
        async with self.engine.begin() as conn:
            await conn.execute(self._flow_delete(channel, conversation_id))

    async def purge_flows(self, older_than: datetime) -> int:
        """Forget flows abandoned before a moment, so half-written reports do not linger."""
        async with self.engine.begin() as conn:
            result = await conn.execute(delete(db.flow_state).where(db.flow_state.c.updated_at < older_than))
        return result.rowcount or 0

    @staticmethod
    def _flow_delete(channel: str, conversation_id: str):
        return delete(db.flow_state).where(db.flow_state.c.key == flow_key(channel, conversation_id))

    # Outcomes -----------------------------------------------------------------------------------------

    async def add_report(self, outcome: ReportOutcome, receipt: Receipt, notify: Notifier, today: date) -> str:
        """Store a report and its notifications together; returns the reference."""
        reporter = outcome.reporter
        values = {
            "kind": outcome.kind,
            "route_kind": outcome.route_kind,
            "recipient_role": outcome.recipient_role,
            "recipient_person": outcome.recipient_person,
            "section": outcome.section,
            "description": outcome.description,
            "when_text": outcome.when,
            "where_text": outcome.where,
            "evidence": outcome.evidence,
            "anonymous": reporter is None,
            "reporter_name": reporter.name if reporter else None,
            "reporter_channel": reporter.channel if reporter else None,
            "reporter_user_id": reporter.user_id if reporter else None,
            "reporter_conversation_id": reporter.conversation_id if reporter else None,
            "status": "ontvangen",
            "received_on": today,
            "receipt_selector": receipt.selector,
            "receipt_hash": receipt.hash,
        }

        async def more(conn: AsyncConnection, row_id: int, reference: str) -> None:
            await conn.execute(
                insert(db.case_events).values(case_id=row_id, on_date=today, type="ontvangen", for_reporter=True)
            )

        reference = await self._add(db.cases, outcome.org, today, values, notify, more)
        log.info("report stored: %s %s for role %s", outcome.org, reference, outcome.recipient_role)
        return reference

    async def add_gift(self, outcome: GiftOutcome, notify: Notifier, today: date) -> str:
        """Store a gift declaration in the register with its notification; returns the reference."""
        values = {
            "declared_on": today,
            "employee_name": outcome.employee.name,
            "employee_channel": outcome.employee.channel,
            "employee_user_id": outcome.employee.user_id,
            "gift_kind": outcome.gift_kind,
            "giver_type": outcome.giver_type,
            "giver": outcome.giver,
            "value_eur": outcome.value_eur,
            "small": outcome.small,
            "pending": outcome.pending,
            "reward": outcome.reward,
            "received": outcome.received,
            "advice": outcome.advice,
            "advice_section": outcome.advice_section,
            "manager_role": outcome.manager_role,
            "manager": outcome.manager,
            "status": "gemeld",
        }
        reference = await self._add(db.gifts, outcome.org, today, values, notify)
        log.info("gift declaration stored: %s %s", outcome.org, reference)
        return reference

    async def add_contact_request(self, outcome: ContactOutcome, notify: Notifier, today: date) -> str:
        """Store a contact request with its notification; returns the reference."""
        values = {
            "requested_on": today,
            "role": outcome.role,
            "requester_name": outcome.requester.name,
            "requester_channel": outcome.requester.channel,
            "requester_user_id": outcome.requester.user_id,
            "reach": outcome.reach,
            "note": outcome.note,
            "status": "gevraagd",
        }
        reference = await self._add(db.contact_requests, outcome.org, today, values, notify)
        log.info("contact request stored: %s %s for role %s", outcome.org, reference, outcome.role)
        return reference

    async def add_addendum(self, outcome: AddendumOutcome, notify: Notifier, today: date) -> None:
        """Add the reporter's extra information to a case, with a notification to its handler."""
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(db.case_events).values(
                    case_id=outcome.case_id, on_date=today, type="aanvulling", text=outcome.text, for_reporter=False
                )
            )
            await self._enqueue(conn, outcome.org, outcome.reference, notify(outcome.reference))
        log.info("addendum stored: %s %s", outcome.org, outcome.reference)

    async def _add(
        self,
        table: Any,
        org: str,
        today: date,
        values: dict[str, Any],
        notify: Notifier,
        more: Callable[[AsyncConnection, int, str], Any] | None = None,
    ) -> str:
        """Insert a numbered record and its outbox rows in one transaction; retry when a number was taken."""
        for attempt in range(5):
            try:
                async with self.engine.begin() as conn:
                    number = (
                        await conn.execute(
                            select(func.coalesce(func.max(table.c.number), 0)).where(
                                table.c.org == org, table.c.year == today.year
                            )
                        )
                    ).scalar_one() + 1
                    reference = f"{PREFIX[table.name]}-{today.year}-{number:04d}"
                    result = await conn.execute(
                        insert(table).values(org=org, reference=reference, year=today.year, number=number, **values)
                    )
                    row_id = result.inserted_primary_key[0]
                    if more is not None:
                        await more(conn, row_id, reference)
                    await self._enqueue(conn, org, reference, notify(reference))
                return reference
            except IntegrityError:
                if attempt == 4:
                    raise
                log.warning("reference number taken by a concurrent write; retrying")
        raise AssertionError("unreachable")

    async def _enqueue(self, conn: AsyncConnection, org: str, reference: str, notes: list[Notification]) -> None:
        """Queue notifications inside the caller's transaction."""
        moment = self.clock.now()
        for note in notes:
            await conn.execute(
                insert(db.outbox).values(
                    org=org,
                    kind=note.kind,
                    reference=reference,
                    recipient_role=note.recipient_role,
                    recipient=note.recipient,
                    channel=note.channel,
                    card=note.card,
                    status="pending",
                    attempts=0,
                    next_attempt_at=moment,
                    created_at=moment,
                )
            )

    # Cases ---------------------------------------------------------------------------------------------

    async def case_by_selector(self, selector: str) -> Any:
        """The case whose receipt code starts with this selector, if any."""
        async with self.engine.connect() as conn:
            return (await conn.execute(select(db.cases).where(db.cases.c.receipt_selector == selector))).first()

    async def case_by_reference(self, org: str, reference: str) -> Any:
        """A case of an organisation by its reference."""
        async with self.engine.connect() as conn:
            query = select(db.cases).where(db.cases.c.org == org, db.cases.c.reference == reference.upper())
            return (await conn.execute(query)).first()

    async def case_events(self, case_id: int, for_reporter: bool | None = None) -> list[Any]:
        """A case's events in order; only those meant for the reporter when asked."""
        query = select(db.case_events).where(db.case_events.c.case_id == case_id).order_by(db.case_events.c.id)
        if for_reporter is not None:
            query = query.where(db.case_events.c.for_reporter == for_reporter)
        async with self.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def add_handler_message(self, case_id: int, text: str, status: str, today: date) -> None:
        """A message from the handler to the reporter, which also moves the case to a status."""
        async with self.engine.begin() as conn:
            await conn.execute(
                insert(db.case_events).values(
                    case_id=case_id, on_date=today, type="bericht", text=text, for_reporter=True
                )
            )
            await conn.execute(update(db.cases).where(db.cases.c.id == case_id).values(status=status))
