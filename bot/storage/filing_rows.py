"""The filing queries of the store: a report, gift, contact request or addendum with its outbox rows, once."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import BRUSSELS, Clock, day_mark
from bot.storage import db
from bot.storage.crypto import FieldCipher
from bot.storage.discretion import held_until
from bot.storage.filing import AlreadyFiled, Filing
from bot.vocabulary.outcomes import AddendumOutcome, ContactOutcome, GiftOutcome, Receipt, ReportOutcome
from bot.vocabulary.turns import UserRef

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
Confirmation = Callable[[str], str]  # the text that tells the user it was received, once the reference is known
More = Callable[[AsyncConnection, int], Awaitable[None]]


class FilingRows:
    """Mixed into Store: every filing commits its record, outbox rows and the flow's marker in one transaction."""

    engine: AsyncEngine
    clock: Clock
    fields: FieldCipher
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]
    _replace_flow: Callable[[AsyncConnection, str, dict[str, Any]], Awaitable[None]]  # from FlowRows
    flow_key: Callable[[UserRef], str]  # from FlowRows
    seal_key: Callable[[UserRef], bytes]  # from FlowRows

    async def add_report(
        self,
        outcome: ReportOutcome,
        receipt: Receipt,
        notify: Notifier,
        today: date,
        filing: Filing,
        confirm: Confirmation,
    ) -> str:
        """Store a report and its notifications together; returns the reference."""
        reporter = outcome.reporter
        values = {
            "kind": outcome.kind,
            "route_kind": outcome.route_kind,
            "recipient_role": outcome.recipient_role,
            "recipient_person": outcome.recipient_person,
            "section": outcome.section,
            "code_version": outcome.code_version,
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

        async def received(conn: AsyncConnection, row_id: int) -> None:
            # No text, nothing to encrypt: the day it arrived.
            await conn.execute(
                insert(db.case_events).values(case_id=row_id, on_date=today, type="ontvangen", for_reporter=True)
            )

        record = Record(db.cases, "report", outcome.org, values, received)
        # No log line: its moment, and its place among the others of the day, would tell when each case was filed.
        return await self._file(record, today, notify, filing, confirm, discreet=reporter is None)

    async def add_gift(
        self, outcome: GiftOutcome, notify: Notifier, today: date, filing: Filing, confirm: Confirmation
    ) -> str:
        """Store a gift declaration in the register with its notification; returns the reference."""
        values = {
            "declared_on": today,
            "employee_name": outcome.employee.name,
            "employee_channel": outcome.employee.channel,
            "employee_user_id": outcome.employee.user_id,
            "gift_kind": outcome.gift_kind,
            "description": outcome.description,
            "giver_type": outcome.giver_type,
            "giver": outcome.giver,
            "value_eur": outcome.value_eur,
            "small": outcome.small,
            "pending": outcome.pending,
            "reward": outcome.reward,
            "received": outcome.received,
            "advice": outcome.advice,
            "code_version": outcome.code_version,
            "advice_section": outcome.advice_section,
            "manager_role": outcome.manager_role,
            "manager": outcome.manager,
            "status": "gemeld",
        }
        reference = await self._file(Record(db.gifts, "gift", outcome.org, values), today, notify, filing, confirm)
        log.info("gift declaration stored: %s %s", outcome.org, reference)
        return reference

    async def add_contact_request(
        self, outcome: ContactOutcome, notify: Notifier, today: date, filing: Filing, confirm: Confirmation
    ) -> str:
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
        record = Record(db.contact_requests, "contact", outcome.org, values)
        reference = await self._file(record, today, notify, filing, confirm)
        log.info("contact request stored: %s %s for role %s", outcome.org, reference, outcome.role)
        return reference

    async def add_addendum(
        self, outcome: AddendumOutcome, notify: Notifier, today: date, filing: Filing, confirm: Confirmation
    ) -> None:
        """Add the reporter's extra information to a case, with a notification to its handler."""
        values = {"case_id": outcome.case_id, "on_date": today, "type": "aanvulling", "text": outcome.text}
        record = Record(db.case_events, "addendum", outcome.org, {**values, "for_reporter": False})
        async with self.engine.connect() as conn:
            query = select(db.cases.c.anonymous).where(db.cases.c.id == outcome.case_id)
            anonymous = bool((await conn.execute(query)).scalar())
        # An addendum to an anonymous case is its reporter's own act: held back like the report, and not logged.
        await self._file(record, today, notify, filing, confirm, reference=outcome.reference, discreet=anonymous)

    async def filed(self, submission_id: str) -> Any:
        """The filing made with this submission id, if any."""
        async with self.engine.connect() as conn:
            query = select(db.submissions).where(db.submissions.c.id == submission_id)
            return (await conn.execute(query)).first()

    async def _file(
        self,
        record: Record,
        today: date,
        notify: Notifier,
        filing: Filing,
        confirm: Confirmation,
        reference: str | None = None,
        discreet: bool = False,
    ) -> str:
        """One transaction: the submission id (unique), the record, its outbox rows, and the flow's marker in
        place of the flow, so a crash at any point leaves either nothing or all of it; a second confirm of the
        same flow run raises AlreadyFiled. Nothing stored holds the time of day, only the day: notifications are due
        from the day's start, a `discreet` filing's the morning after (see bot/storage/discretion.py)."""
        try:
            async with self._write() as conn:
                values = dict(record.values)
                if reference is None:
                    number = await _next_number(conn, record.table.name, record.org, today.year)
                    reference = f"{PREFIX[record.table.name]}-{today.year}-{number:04d}"
                    values.update(org=record.org, reference=reference, year=today.year, number=number)
                day = self.clock.day_mark()
                await conn.execute(
                    insert(db.submissions).values(
                        id=filing.submission_id,
                        kind=record.kind,
                        org=record.org,
                        reference=reference,
                        created_at=day,
                    )
                )
                sealed = self.fields.encrypt(record.table.name, values)
                row_id = (await conn.execute(insert(record.table).values(**sealed))).inserted_primary_key[0]
                if record.more is not None:
                    await record.more(conn, row_id)
                due = held_until(self.clock) if discreet else day  # due already, yet no time of day stored
                await enqueue(conn, self.fields, record.org, reference, notify(reference), due)
                marker = filing.marker(record.kind, reference, confirm(reference), day, self.seal_key(filing.user))
                await self._replace_flow(conn, self.flow_key(filing.user), marker)
        except IntegrityError:
            earlier = await self.filed(filing.submission_id)
            if earlier is None:
                raise
            log.info("a flow run was already filed; not filing it again")  # no kind, no reference: see add_report
            raise AlreadyFiled(earlier.kind, earlier.reference) from None
        return reference


@dataclass(frozen=True)
class Record:
    """What to insert for one filing: the table, the kind of filing, its organisation and column values."""

    table: Any
    kind: str
    org: str
    values: dict[str, Any]
    more: More | None = None


async def _next_number(conn: AsyncConnection, name: str, org: str, year: int) -> int:
    """Raise and return this organisation's counter for a record type and year, inside the transaction: the
    row lock (PostgreSQL) or the write lock (SQLite) keeps two confirms from ever getting the same number."""
    counter = db.counters.c
    dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    await conn.execute(
        dialect_insert(db.counters).values(name=name, org=org, year=year, value=0).on_conflict_do_nothing()
    )
    raise_it = (
        update(db.counters)
        .where(counter.name == name, counter.org == org, counter.year == year)
        .values(value=counter.value + 1)
        .returning(counter.value)
    )
    return (await conn.execute(raise_it)).scalar_one()


def outbox_row(
    fields: FieldCipher, org: str, reference: str, note: Notification, moment: datetime, key: str
) -> dict[str, Any]:
    """The values of a new outbox row: due at `moment`, never tried, with its idempotency key, recipient and card
    encrypted; it was created on that day (Brussels), which is all it keeps of when."""
    values = {
        "org": org,
        "kind": note.kind,
        "reference": reference,
        "recipient_role": note.recipient_role,
        "recipient": note.recipient,
        "channel": note.channel,
        "card": note.card,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": moment,
        "created_at": day_mark(moment.astimezone(BRUSSELS).date()),
        "idempotency_key": key,
    }
    return fields.encrypt("outbox", values)


async def enqueue(
    conn: AsyncConnection, fields: FieldCipher, org: str, reference: str, notes: list[Notification], moment: datetime
) -> None:
    """Queue notifications inside the caller's transaction, due at `moment`, each with its own idempotency key."""
    for note in notes:
        row = outbox_row(fields, org, reference, note, moment, secrets.token_hex(16))
        await conn.execute(insert(db.outbox).values(**row))
