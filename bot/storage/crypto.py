"""Field encryption at rest: AES-GCM per value under a data key (DEK) that the server secret wraps.

A stored value reads `v1:<key id>:<base64 of nonce + ciphertext>`. Its associated data names the table, the
column and the row (organisation and reference, case, outbox key or flow key), so a value copied into another
column or row no longer opens. JSON columns hold that string as a JSON string. A value without the prefix is a
row written before encryption (migration 0006): it reads as it is until the next sweep encrypts it.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
ESCALATED = "geëscaleerd"  # a case event whose text is a role (a name from the content pack), kept in clear

# The encrypted columns per table. Adding one is adding its name here (and, on PostgreSQL, giving it a type without
# a length limit, since a ciphertext is longer than its text); the next start encrypts what it holds already.
ENCRYPTED: dict[str, tuple[str, ...]] = {
    "cases": (
        "recipient_person",
        "description",
        "when_text",
        "where_text",
        "evidence",
        "reporter_name",
        "reporter_channel",
        "reporter_user_id",
        "reporter_conversation_id",
    ),
    "case_events": ("text",),
    "gifts": (
        "employee_name",
        "employee_channel",
        "employee_user_id",
        "description",
        "giver",
        "manager",
        "decision_note",
        "decided_by",
        "decided_by_id",
    ),
    "contact_requests": ("requester_name", "requester_channel", "requester_user_id", "reach", "note", "handled_by"),
    "outbox": ("recipient", "card"),
    "flow_state": ("state",),
    "campaigns": ("owner", "owner_name"),
    "attestations": ("name", "address"),
}
JSON_COLUMNS = {("outbox", "recipient"), ("outbox", "card"), ("flow_state", "state"), ("attestations", "address")}
# The columns that name a row in a value's associated data: known when it is inserted, never changed afterwards.
BOUND_BY: dict[str, tuple[str, ...]] = {
    "cases": ("org", "reference"),
    "gifts": ("org", "reference"),
    "contact_requests": ("org", "reference"),
    "case_events": ("case_id",),
    "outbox": ("idempotency_key",),
    "flow_state": ("key",),
    "campaigns": ("org", "reference"),
    "attestations": ("org", "source", "person"),
}
# Rows whose encrypted columns stay in clear: an escalation event's text is a role, which queries look for.
CLEAR_WHEN: dict[str, tuple[str, str]] = {"case_events": ("type", ESCALATED)}


class CipherError(Exception):
    """A stored value does not open: an unknown key id, or a value moved or changed."""


class PlainRow:
    """A row as the store's callers read it: attribute access (and `_mapping`) over the decrypted values."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]):
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a row is read-only")

    @property
    def _mapping(self) -> Mapping[str, Any]:
        return MappingProxyType(self._values)

    def _asdict(self) -> dict[str, Any]:
        return dict(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values.values())

    def __getitem__(self, index: int | str) -> Any:
        return self._values[index] if isinstance(index, str) else list(self._values.values())[index]

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainRow) and self._values == other._values

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PlainRow({self._values!r})"


def stays_clear(table: str, values: Mapping[str, Any]) -> bool:
    """Whether this row's encrypted columns are kept in clear (an escalation event names only a role)."""
    rule = CLEAR_WHEN.get(table)
    return rule is not None and values.get(rule[0]) == rule[1]


def wrap(kek: bytes, kid: str, dek: bytes) -> str:
    """A data key wrapped (AES-GCM) by the key-encryption key, bound to its key id."""
    nonce = secrets.token_bytes(12)
    return base64.b64encode(nonce + AESGCM(kek).encrypt(nonce, dek, b"integriteitsbot dek\0" + kid.encode())).decode()


def unwrap(kek: bytes, kid: str, wrapped: str) -> bytes:
    """The data key out of its wrapping; InvalidTag when the secret is not the one that wrapped it."""
    blob = base64.b64decode(wrapped)
    return AESGCM(kek).decrypt(blob[:12], blob[12:], b"integriteitsbot dek\0" + kid.encode())


def new_key() -> tuple[str, bytes]:
    """A fresh data key and its id."""
    return secrets.token_hex(4), AESGCM.generate_key(bit_length=256)


def key_of(stored: Any) -> str | None:
    """The key id a stored value was encrypted with; None for a value in clear."""
    if not isinstance(stored, str) or not stored.startswith(VERSION + ":"):
        return None
    parts = stored.split(":", 2)
    return parts[1] if len(parts) == 3 else None


class FieldCipher:
    """Encrypts and decrypts the columns of ENCRYPTED; new values go under the current data key."""

    def __init__(self) -> None:
        self._keys: dict[str, AESGCM] = {}
        self.current: str | None = None

    def add_key(self, kid: str, dek: bytes, current: bool = False) -> None:
        """Know a data key (and make it the one new values are encrypted with)."""
        self._keys[kid] = AESGCM(dek)
        if current:
            self.current = kid

    def drop_key(self, kid: str) -> None:
        """Forget a data key that no value uses any more."""
        self._keys.pop(kid, None)

    @staticmethod
    def _aad(table: str, column: str, bound: Mapping[str, Any]) -> bytes:
        names = "\0".join(str(bound.get(name)) for name in BOUND_BY[table])
        return f"{table}.{column}\0{names}".encode()

    def seal(self, table: str, column: str, bound: Mapping[str, Any], value: Any) -> str:
        """One value encrypted under the current key; a JSON column's value is serialised first."""
        if self.current is None:
            raise CipherError("no data key loaded")
        plain = json.dumps(value, ensure_ascii=False) if (table, column) in JSON_COLUMNS else str(value)
        nonce = secrets.token_bytes(12)
        sealed = self._keys[self.current].encrypt(nonce, plain.encode(), self._aad(table, column, bound))
        return f"{VERSION}:{self.current}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, table: str, column: str, bound: Mapping[str, Any], stored: Any) -> Any:
        """One stored value in clear; a value written before encryption comes back as it is."""
        kid = key_of(stored)
        if kid is None:
            return stored
        key = self._keys.get(kid)
        if key is None:
            raise CipherError(f"{table}.{column} is encrypted with data key {kid}, which this database no longer has")
        blob = base64.b64decode(stored.split(":", 2)[2])
        try:
            plain = key.decrypt(blob[:12], blob[12:], self._aad(table, column, bound)).decode()
        except InvalidTag:
            raise CipherError(f"a value of {table}.{column} does not belong where it is stored") from None
        return json.loads(plain) if (table, column) in JSON_COLUMNS else plain

    def encrypt(self, table: str, values: Mapping[str, Any], bound: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The values to write, with the encrypted columns sealed; `bound` names the row when `values` do not."""
        out = dict(values)
        if stays_clear(table, values):
            return out
        for column in ENCRYPTED.get(table, ()):
            if out.get(column) is not None:
                out[column] = self.seal(table, column, bound if bound is not None else values, out[column])
        return out

    def decrypt(self, table: str, row: Any) -> PlainRow:
        """A row read from the table, with its encrypted columns opened."""
        values = dict(row._mapping)
        for column in ENCRYPTED.get(table, ()):
            if values.get(column) is not None:
                values[column] = self.open(table, column, values, values[column])
        return PlainRow(values)

    def decrypt_all(self, table: str, rows: Any) -> list[PlainRow]:
        """Every row of a result, opened."""
        return [self.decrypt(table, row) for row in rows]
