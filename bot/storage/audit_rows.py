"""Mixed into Store: the append-only audit trail, each entry chained to the one before it by a keyed hash.

Why keyed, and why by a key of its own: a plain hash only shows an edit to someone who does not simply recompute
every hash after it, and anyone who can write the database file can. So each entry's hash is an HMAC-SHA-256 under
the audit key: 32 random bytes, stored in `audit_key` wrapped (AES-GCM) by the server secret's key-encryption key,
exactly as the data keys are. Without the secret file nobody can compute a hash that verifies. The key is random and
wrapped rather than derived from the secret, so that `keys rotate --new-secret` only wraps it anew (in the same
transaction as the data keys): the chain is never rewritten, its append-only triggers stay in place, and a last hash
noted down before a rotation still matches after it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.crypto import unwrap, wrap
from bot.storage.secret import SecretError
from bot.vocabulary.turns import UserRef

log = logging.getLogger(__name__)

GENESIS = "0" * 64  # the previous hash of the first entry
AUDIT_KID = "audit trail"  # the audit key's id in its wrapping; never a data key's (those are 8 hex digits)
ANONYMOUS = "anoniem"  # the actor, and the channel, of what a reporter of an anonymous case does
# The actor of a filing: the person the record itself names. Their id stays out of the trail, so that once retention
# deletes the record, nothing here links them to it.
FILER = "indiener"
# What the trail records; the CLI and the README list them.
ACTIONS = (
    "filed",
    "addendum",
    "opened",
    "answered",
    "acknowledged",
    "asked",
    "closed",
    "reopened",
    "decided",
    "contact",
    "overview",
    "exported",
    "figures",
    "purged",
    "key rotated",
    "campaign-started",
    "viewed",
)
HASHED = ("seq", "on_date", "at", "actor", "role", "channel", "action", "org", "reference", "detail", "prev_hash")


def actor_id(channel: str, user_id: str) -> str:
    """A person's stable id in the trail: the channel and the id the channel gives them (never a display name);
    Teams ids in lower case, as Teams compares them."""
    return f"{channel}:{user_id.lower() if channel == 'msteams' else user_id}"


def actor_of(user: UserRef, roles: set[str], nobody: str = "-") -> Actor:
    """A chat user as the trail names them: their stable id, the roles through which they act (else `nobody`), and
    their channel."""
    return Actor(actor_id(user.channel, user.user_id), ",".join(sorted(roles)) or nobody, user.channel)


def canonical(values: dict[str, Any]) -> bytes:
    """The entry's canonical serialisation: its fields by name, sorted, as compact JSON."""
    fields = {name: _text(values.get(name)) for name in HASHED}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(values: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA-256 under the audit key over the entry's canonical serialisation."""
    return hmac.new(key, canonical(values), hashlib.sha256).hexdigest()


def _text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Actor:
    """Who acts, as the trail names them: a stable id (actor_id), the role they act in, and the channel used."""

    actor: str
    role: str
    channel: str


SERVICE = Actor("service", "service", "service")  # the service's own rounds: retention


@dataclass(frozen=True)
class Deed:
    """What an actor does to a record, to be recorded in the same transaction as the change itself."""

    by: Actor
    action: str
    detail: str | None = None


@dataclass(frozen=True)
class Verdict:
    """What checking the chain found: how many entries, whether it holds, where it first breaks and why, and the
    hash of its last entry (to note down: a trail cut short at its end is found by comparing that)."""

    entries: int
    intact: bool
    broken_at: int | None = None
    reason: str = ""
    head: str = GENESIS


class AuditRows:
    """Appends to and reads the audit trail; one chain even with several processes or replicas appending."""

    engine: AsyncEngine
    clock: Clock
    audit_key: bytes  # set by load_audit_key when the store opens
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def audit(
        self,
        *,
        action: str,
        actor: str,
        role: str,
        channel: str,
        org: str | None = None,
        reference: str | None = None,
        detail: str | None = None,
        day_only: bool = False,
        timed: bool = True,
    ) -> None:
        """Record one entry: who (a stable id from actor_id, and the role they acted in), what, on which record,
        through which channel. `day_only` keeps only the day (what a reporter of an anonymous case does): such an
        entry is chained once its day is over. `timed=False` chains it now, with the day only (what a named filer
        does: no record says to the second when a report was sent, so anonymous ones do not stand out)."""
        async with self._write() as conn:
            await append_audit(
                conn,
                self.clock,
                self.audit_key,
                action=action,
                actor=actor,
                role=role,
                channel=channel,
                org=org,
                reference=reference,
                detail=detail,
                day_only=day_only,
                timed=timed,
            )

    async def audit_by(self, by: Actor, action: str, **fields: Any) -> None:
        """Record one entry for this actor (org, reference, detail, day_only as in `audit`)."""
        await self.audit(action=action, actor=by.actor, role=by.role, channel=by.channel, **fields)

    async def seal_audit_day(self) -> int:
        """Chain the day-only entries of days that are over (the worker does it daily); how many went in."""
        async with self._write() as conn:
            return await _flush_pending(conn, self.audit_key, self.clock.today())

    async def audit_entries(self, reference: str | None = None, since: date | None = None) -> list[Any]:
        """The chained entries in order, of one record or from a day on."""
        query = select(db.audit).order_by(db.audit.c.seq)
        if reference:
            query = query.where(db.audit.c.reference == reference.upper())
        if since:
            query = query.where(db.audit.c.on_date >= since)
        async with self.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def audit_waiting(self) -> int:
        """How many day-only entries of today wait to be chained."""
        async with self.engine.connect() as conn:
            return len((await conn.execute(select(db.audit_pending.c.id))).all())

    async def verify_audit(self) -> Verdict:
        """Walk the whole chain: every entry's number follows the one before, holds the hash of the one before, and
        its own hash is its fields' HMAC under this store's audit key."""
        previous, count = GENESIS, 0
        async with self.engine.connect() as conn:
            result = await conn.stream(select(db.audit).order_by(db.audit.c.seq))
            async for row in result:
                count += 1
                values = dict(row._mapping)
                if row.seq != count:
                    return Verdict(count, False, row.seq, f"entry {count} is missing (next is {row.seq})", previous)
                if row.prev_hash != previous:
                    return Verdict(count, False, row.seq, "it does not follow the entry before it", previous)
                if entry_hash(values, self.audit_key) != row.hash:
                    if hashlib.sha256(canonical(values)).hexdigest() == row.hash:
                        # Rebuilt without the secret, or written before migration 0009 keyed the trail.
                        reason = "its hash is plain SHA-256, not keyed with this database's audit key"
                    else:
                        reason = "its content was changed after it was written"
                    return Verdict(count, False, row.seq, reason, previous)
                previous = row.hash
        return Verdict(count, True, head=previous)


async def load_audit_key(conn: AsyncConnection, kek: bytes) -> bytes:
    """The audit key, unwrapped, inside the caller's write transaction (which on PostgreSQL holds the keys table
    lock, so two replicas starting at once make one key). A database without one gets a new random key; entries
    already in the trail then no longer verify, and that is right: whoever deleted the key row could otherwise have
    the next start accept a chain they rebuilt."""
    wrapped = (await conn.execute(select(db.audit_key.c.wrapped).where(db.audit_key.c.id == 1))).scalar()
    if wrapped is None:
        key = secrets.token_bytes(32)
        await conn.execute(insert(db.audit_key).values(id=1, wrapped=wrap(kek, AUDIT_KID, key)))
        if (await conn.execute(select(db.audit.c.seq).limit(1))).first() is not None:
            log.warning("created an audit key for a trail that has entries: they do not verify under it")
        return key
    try:
        return unwrap(kek, AUDIT_KID, wrapped)
    except (InvalidTag, ValueError):
        raise SecretError(
            "the audit key in this database does not open with the secret that opens its data keys: someone changed"
            " it (restore the database from a backup)"
        ) from None


async def append_audit(
    conn: AsyncConnection, clock: Clock, key: bytes, *, day_only: bool = False, timed: bool = True, **fields: Any
) -> None:
    """Append one entry inside the caller's write transaction. The previous hash is read inside that transaction,
    with the table locked on PostgreSQL (SQLite's write transaction is already exclusive), so two replicas
    appending at once still make one chain."""
    today = clock.today()
    if day_only:
        await conn.execute(insert(db.audit_pending).values(on_date=today, **fields))
        return
    await _flush_pending(conn, key, today)
    at = clock.now().isoformat(timespec="seconds") if timed else None
    await _append(conn, key, {**fields, "on_date": today, "at": at})


async def append_deed(conn: AsyncConnection, clock: Clock, key: bytes, deed: Deed, org: str, reference: str) -> None:
    """Append the entry of a deed on one record inside the caller's write transaction (see append_audit)."""
    by = deed.by
    await append_audit(
        conn, clock, key, action=deed.action, actor=by.actor, role=by.role, channel=by.channel, org=org,
        reference=reference, detail=deed.detail,
    )  # fmt: skip


async def lock_audit(conn: AsyncConnection) -> None:
    """Take the trail's append lock in the caller's transaction (PostgreSQL; SQLite's writer is exclusive already)."""
    if conn.dialect.name == "postgresql":
        # Conflicts with itself, not with readers: appends take turns, `integriteitsbot audit` reads on.
        await conn.execute(text("LOCK TABLE audit IN SHARE ROW EXCLUSIVE MODE"))


async def _append(conn: AsyncConnection, key: bytes, values: dict[str, Any]) -> None:
    await lock_audit(conn)
    newest = select(db.audit.c.seq, db.audit.c.hash).order_by(db.audit.c.seq.desc()).limit(1)
    last = (await conn.execute(newest)).first()
    entry = {**values, "seq": (last.seq + 1) if last else 1, "prev_hash": last.hash if last else GENESIS}
    entry["hash"] = entry_hash(entry, key)
    await conn.execute(insert(db.audit).values(**entry))


async def _flush_pending(conn: AsyncConnection, key: bytes, today: date) -> int:
    """Chain the day-only entries of earlier days, in an order that says nothing of when in the day they came."""
    pending = db.audit_pending.c
    rows = (await conn.execute(select(db.audit_pending).where(pending.on_date < today))).all()
    if not rows:
        return 0

    def order(row: Any) -> tuple:
        return (row.on_date, row.org or "", row.reference or "", row.action, row.detail or "")

    for row in sorted(rows, key=order):
        values = {name: getattr(row, name) for name in HASHED if name not in ("seq", "at", "prev_hash")}
        await _append(conn, key, {**values, "at": None})
    await conn.execute(delete(db.audit_pending).where(pending.id.in_([row.id for row in rows])))
    return len(rows)
