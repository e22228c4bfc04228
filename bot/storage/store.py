"""Durable storage: cases, the gift register, contact requests and their outbox rows, each filed exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.clock import Clock
from bot.logs import hold_transport_loggers
from bot.storage import db
from bot.storage.action_rows import ActionRows
from bot.storage.audit_rows import AuditRows
from bot.storage.campaign_rows import CampaignRows
from bot.storage.crypto import FieldCipher
from bot.storage.filing_rows import FilingRows, Notification, Notifier
from bot.storage.flow_rows import FlowRows
from bot.storage.key_rows import KeyRows
from bot.storage.migrate import upgrade
from bot.storage.outbox_rows import OutboxRows
from bot.storage.overview_rows import OverviewRows
from bot.storage.poll_rows import PollRows
from bot.storage.reminder_rows import ReminderRows
from bot.storage.retention_rows import RetentionRows
from bot.storage.secret import SecretError, ServerSecret, load_secret, secret_path
from bot.storage.teams_rows import TeamsRows

log = logging.getLogger(__name__)

__all__ = ["Notification", "Notifier", "Store", "StoreError"]
SQLITE_BUSY_SECONDS = 30  # another process writing (the CLI's `outbox retry`) makes a write wait, not fail
POOL_SIZE, POOL_OVERFLOW = 20, 30  # a read per turn: 50 conversations at once must not queue for a connection


class StoreError(Exception):
    """The database cannot be opened or migrated; the message is one line for the operator."""


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers go on while a write is under way.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable across a process crash; WAL keeps it consistent
    cursor.execute("PRAGMA secure_delete=ON")  # a deleted row's bytes are overwritten, not left in free pages
    cursor.close()
    # SQLAlchemy emits BEGIN itself (below), so a write transaction can take SQLite's write lock up front.
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: Any) -> None:
    # A write transaction begins IMMEDIATE: it waits for the lock at BEGIN (busy timeout) instead of failing
    # with "database is locked" when it upgrades from reading to writing halfway.
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', '')}".strip())


class Store(
    ActionRows,
    AuditRows,
    CampaignRows,
    FilingRows,
    FlowRows,
    KeyRows,
    OutboxRows,
    OverviewRows,
    PollRows,
    ReminderRows,
    RetentionRows,
    TeamsRows,
):
    """All reads and writes of the service; every outcome is stored with its outbox rows in one transaction, its
    content encrypted by `fields`, its flows keyed by `secret`."""

    def __init__(self, engine: AsyncEngine, secret: ServerSecret, clock: Clock | None = None):
        self.engine = engine
        self.secret = secret
        self.secret_file = Path()  # where `secret` was read from (set by open)
        self.fields = FieldCipher()
        self.clock = clock or Clock()
        sqlite = engine.dialect.name == "sqlite"
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE") if sqlite else engine
        # SQLite has one writer at a time: writes of this process take turns here rather than at the file
        # lock, so none of them fails and a waiting write holds no connection.
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if sqlite else None

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction on the one writer path."""
        async with contextlib.AsyncExitStack() as stack:
            if self._write_lock is not None:
                await stack.enter_async_context(self._write_lock)
            conn = await stack.enter_async_context(self._writer.begin())
            yield conn

    @classmethod
    async def open(
        cls,
        url: str,
        clock: Clock | None = None,
        secret_file: str | Path | None = None,
        data_dir: str | Path | None = None,
    ) -> Store:
        """Connect, create the SQLite folder when needed, apply the migrations, and unlock the data keys with the
        server secret (secret_file, else secret.key in the data directory, created on a database without keys);
        every value not encrypted yet is encrypted then. Timestamps come from `clock`."""
        parsed = make_url(url)
        sqlite = parsed.get_backend_name() == "sqlite"
        in_memory = parsed.database in (None, "", ":memory:")
        # A failing statement's error never quotes its values (a description, a name) into the log.
        options: dict[str, Any] = {"hide_parameters": True}
        if not (sqlite and in_memory):
            options.update(pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        if sqlite:
            options["connect_args"] = {"timeout": SQLITE_BUSY_SECONDS}
        where = parsed.render_as_string(hide_password=True)
        hold_transport_loggers()
        try:
            if sqlite and not in_memory:
                Path(parsed.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data: ours alone
            engine = create_async_engine(url, **options)
            if sqlite:
                event.listen(engine.sync_engine, "connect", _sqlite_connect)
                event.listen(engine.sync_engine, "begin", _sqlite_begin)
            await upgrade(engine)
            store = cls(engine, ServerSecret(bytes(32)), clock)
            store.secret_file = secret_path(url, secret_file, data_dir)
            store.secret = load_secret(store.secret_file, may_create=not await store._has_keys())
            await store._load_keys()
            swept = await store.sweep()
        except SecretError as exc:
            await engine.dispose()
            raise StoreError(str(exc)) from None
        except (OSError, DBAPIError) as exc:
            reason = getattr(exc, "orig", None) or exc
            raise StoreError(f"cannot open the database {where}: {reason}") from None
        if swept:  # rows written in clear before: their old bytes leave the WAL too
            await store.checkpoint()
            log.info("encrypted or re-encrypted %d rows under the current data key", swept)
        return store

    async def close(self) -> None:
        """Close every connection."""
        await self.engine.dispose()

    # Cases ---------------------------------------------------------------------------------------------

    async def case_by_selector(self, selector: str) -> Any:
        """The case whose receipt code starts with this selector, if any."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(db.cases).where(db.cases.c.receipt_selector == selector))).first()
        return None if row is None else self.fields.decrypt("cases", row)

    async def case_by_reference(self, org: str, reference: str) -> Any:
        """A case of an organisation by its reference."""
        async with self.engine.connect() as conn:
            query = select(db.cases).where(db.cases.c.org == org, db.cases.c.reference == reference.upper())
            row = (await conn.execute(query)).first()
        return None if row is None else self.fields.decrypt("cases", row)

    async def case_events(self, case_id: int, for_reporter: bool | None = None) -> list[Any]:
        """A case's events in order; only those meant for the reporter when asked."""
        query = select(db.case_events).where(db.case_events.c.case_id == case_id).order_by(db.case_events.c.id)
        if for_reporter is not None:
            query = query.where(db.case_events.c.for_reporter == for_reporter)
        async with self.engine.connect() as conn:
            return self.fields.decrypt_all("case_events", (await conn.execute(query)).all())
