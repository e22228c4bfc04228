"""Mixed into Store: the data keys (wrapped by the server secret), the sweep that brings every value under the
current key, and key rotation."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import Text, and_, cast, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.audit_rows import AUDIT_KID, load_audit_key
from bot.storage.crypto import CLEAR_WHEN, ENCRYPTED, JSON_COLUMNS, VERSION, FieldCipher, new_key, unwrap, wrap
from bot.storage.secret import SecretError, ServerSecret, install_secret

log = logging.getLogger(__name__)
BATCH = 200  # rows re-encrypted per transaction: a running service waits for one batch at most


@dataclass
class Rotation:
    """What a rotation did: the new key, how many rows it re-encrypted, and the old keys it removed."""

    kid: str
    rewritten: int
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # old keys some value still uses (written meanwhile)


def _pattern(table: str, column: str, kid: str | None) -> str:
    """LIKE pattern of a value under a key (any key when None); a JSON column holds it as a JSON string."""
    quote = '"' if (table, column) in JSON_COLUMNS else ""
    return f"{quote}{VERSION}:{kid}:%" if kid else f"{quote}{VERSION}:%"


def _not_under(table: Any, kid: str) -> Any:
    """SQL: a row with some encrypted column that is not under this key (in clear, or under an older key)."""
    stale = [
        and_(table.c[column].is_not(None), ~cast(table.c[column], Text).like(_pattern(table.name, column, kid)))
        for column in ENCRYPTED[table.name]
    ]
    condition = or_(*stale)
    rule = CLEAR_WHEN.get(table.name)
    return and_(condition, table.c[rule[0]] != rule[1]) if rule else condition


def _uses(table: Any, kid: str) -> Any:
    """SQL: a row with some value under this key."""
    columns = ENCRYPTED[table.name]
    return or_(*(cast(table.c[column], Text).like(_pattern(table.name, column, kid)) for column in columns))


class KeyRows:
    """Loads and creates the data keys, sweeps values under the current one, rotates it, re-wraps them."""

    engine: AsyncEngine
    clock: Clock
    fields: FieldCipher
    secret: ServerSecret
    secret_file: Path
    audit_key: bytes  # from AuditRows
    checkpoint: Callable[[], Awaitable[None]]  # from RetentionRows
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def _has_keys(self) -> bool:
        async with self.engine.connect() as conn:
            return (await conn.execute(select(db.keys.c.kid).limit(1))).first() is not None

    async def _load_keys(self) -> None:
        """Unwrap every data key with the secret, creating the first one on a database that has none; then the
        audit key (created with the first data key)."""
        async with self._write() as conn:
            if conn.dialect.name == "postgresql":  # two replicas starting at once create one first key, not two
                await conn.exec_driver_sql("LOCK TABLE keys IN EXCLUSIVE MODE")
            rows = (await conn.execute(select(db.keys).order_by(db.keys.c.created_at))).all()
            if not rows:
                kid, dek = new_key()
                await conn.execute(insert(db.keys).values(**self._key_row(kid, dek)))
                self.fields.add_key(kid, dek, current=True)
                log.info("created the first data key %s", kid)
            else:
                self._unwrap_all(rows)  # first: a wrong secret is told as such, not as a changed audit key
            self.audit_key = await load_audit_key(conn, self.secret.kek)

    def _unwrap_all(self, rows: list[Any]) -> None:
        for row in rows:
            try:
                dek = unwrap(self.secret.kek, row.kid, row.wrapped)
            except (InvalidTag, ValueError):
                raise SecretError(
                    "the secret file does not fit this database: its data keys cannot be unwrapped"
                    " (restore the secret the database was used with)"
                ) from None
            self.fields.add_key(row.kid, dek, current=row.current)

    def _key_row(self, kid: str, dek: bytes, current: bool = True) -> dict[str, Any]:
        wrapped = wrap(self.secret.kek, kid, dek)
        return {"kid": kid, "wrapped": wrapped, "current": current, "created_at": self.clock.now()}

    async def sweep(self, batch: int = BATCH) -> int:
        """Re-encrypt, in batches of one transaction each, every value not under the current key (values written
        before encryption, or under an older key); returns how many rows changed."""
        kid = self.fields.current
        assert kid is not None
        rewritten = 0
        for name in ENCRYPTED:
            table = db.metadata.tables[name]
            (primary,) = table.primary_key.columns
            last: Any = None
            while True:
                query = select(table).where(_not_under(table, kid)).order_by(primary).limit(batch)
                if last is not None:
                    query = query.where(primary > last)
                async with self._write() as conn:
                    rows = (await conn.execute(query)).all()
                    for row in rows:
                        plain = self.fields.decrypt(name, row)
                        values = {column: getattr(plain, column) for column in ENCRYPTED[name]}
                        sealed = self.fields.encrypt(name, values, bound=plain._mapping)
                        await conn.execute(update(table).where(primary == row._mapping[primary.name]).values(**sealed))
                if not rows:
                    break
                rewritten += len(rows)
                last = rows[-1]._mapping[primary.name]
        return rewritten

    async def rotate_data_key(self, batch: int = BATCH) -> Rotation:
        """A new data key becomes current; every value is re-encrypted under it, and an old key that no value uses
        any more is removed. Run it with the service stopped: a service still running keeps writing under the key
        it loaded, which then stays until the next rotation."""
        kid, dek = new_key()
        async with self._write() as conn:
            await conn.execute(update(db.keys).values(current=False))
            await conn.execute(insert(db.keys).values(**self._key_row(kid, dek)))
        self.fields.add_key(kid, dek, current=True)
        rotation = Rotation(kid, await self.sweep(batch))
        async with self._write() as conn:  # one transaction: a key is removed only if nothing uses it at that moment
            for (old,) in (await conn.execute(select(db.keys.c.kid).where(db.keys.c.kid != kid))).all():
                used = False
                for name in ENCRYPTED:
                    table = db.metadata.tables[name]
                    if (await conn.execute(select(table).where(_uses(table, old)).limit(1))).first() is not None:
                        used = True
                        break
                if used:
                    rotation.kept.append(old)
                else:
                    await conn.execute(delete(db.keys).where(db.keys.c.kid == old))
                    rotation.removed.append(old)
        for old in rotation.removed:
            self.fields.drop_key(old)
        await self.checkpoint()  # the values under the old key leave the WAL as well
        log.info("data key rotated to %s; removed %s", kid, ", ".join(rotation.removed) or "none")
        return rotation

    async def rewrap_keys(self, new: ServerSecret) -> int:
        """Wrap every data key, and the audit key, with a new secret, in one transaction. Flow states are keyed with
        the old secret, so no message could reach them again: they are deleted with it (running flows start over)."""
        async with self._write() as conn:
            rows = (await conn.execute(select(db.keys))).all()
            for row in rows:
                dek = unwrap(self.secret.kek, row.kid, row.wrapped)
                await conn.execute(
                    update(db.keys).where(db.keys.c.kid == row.kid).values(wrapped=wrap(new.kek, row.kid, dek))
                )
            # The audit key goes with them: the chain itself stays as it is (see bot/storage/audit_rows.py).
            wrapped = (await conn.execute(select(db.audit_key.c.wrapped).where(db.audit_key.c.id == 1))).scalar_one()
            audit_key = unwrap(self.secret.kek, AUDIT_KID, wrapped)
            await conn.execute(
                update(db.audit_key).where(db.audit_key.c.id == 1).values(wrapped=wrap(new.kek, AUDIT_KID, audit_key))
            )
            await conn.execute(delete(db.flow_state))
        self.secret = new
        return len(rows)

    async def rotate(self, new: ServerSecret | None = None) -> list[str]:
        """`integriteitsbot keys rotate`: a new data key for every value and, given a new secret, the keys wrapped
        with it and the secret file replaced by it (after the commit). Returns what to tell the operator."""
        rotation = await self.rotate_data_key()
        lines = [f"New data key {rotation.kid}: {rotation.rewritten} rows re-encrypted."]
        if rotation.removed:
            lines.append(f"Removed data keys no value uses: {', '.join(rotation.removed)}.")
        if rotation.kept:
            kept = ", ".join(rotation.kept)
            lines.append(f"Kept data keys still in use (a running service wrote with them): {kept}.")
        if new is not None:
            count = await self.rewrap_keys(new)
            try:
                install_secret(new.value, self.secret_file)
            except (OSError, SecretError) as exc:
                raise SecretError(
                    f"the keys are wrapped with the new secret, but {self.secret_file} could not be replaced ({exc}):"
                    " copy the new secret file there (mode 0600) before the service starts"
                ) from None
            lines.append(
                f"{count} data keys wrapped with the new secret, now in {self.secret_file}; running flows start over."
            )
        return lines
