"""A confirmed flow's filing: its submission id, and its confirmation kept sealed for its own conversation."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.vocabulary.turns import UserRef

# The flow_state row of a conversation holds this "flow" between the commit of a filing and the moment
# its confirmation has been sent to the user; a message that arrives in between gets it again.
SENT_FLOW = "_sent"
# A confirmation that never reached its user (a crash, a connector down) can be shown again this long after the
# day of filing began (the marker keeps that day, never the time): through the next day at least.
SHOW_AGAIN_FOR = timedelta(days=2)


def new_submission_id() -> str:
    """A random id for one flow run; its confirm files at most one record with it."""
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Filing:
    """Who confirmed which flow run: the submission id and the user and conversation to show the confirmation in."""

    submission_id: str
    user: UserRef

    def marker(self, kind: str, reference: str, confirmation: str, moment: datetime, key: bytes) -> dict[str, Any]:
        """The flow state kept until the confirmation was sent: the reference, and the confirmation sealed with
        `key` (derived from the server secret and this user's conversation, never stored); `moment` is the day of
        filing (Clock.day_mark), so the marker never says when an anonymous report was sent."""
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(key).encrypt(nonce, confirmation.encode(), self.submission_id.encode())
        return {
            "flow": SENT_FLOW,
            "submission": self.submission_id,
            "kind": kind,
            "reference": reference,
            "sealed": base64.b64encode(nonce + sealed).decode(),
            "filed_at": moment.isoformat(),
        }


def unseal(marker: dict[str, Any], key: bytes) -> str | None:
    """The confirmation kept in a marker, or None when this key (of another conversation or user) cannot open it."""
    try:
        blob = base64.b64decode(marker["sealed"])
        plain = AESGCM(key).decrypt(blob[:12], blob[12:], str(marker["submission"]).encode())
        return plain.decode()
    except (KeyError, TypeError, ValueError, InvalidTag):
        return None


class AlreadyFiled(Exception):
    """This flow run was filed before (a double click, a redelivery, a retry after a crash)."""

    def __init__(self, kind: str, reference: str):
        super().__init__(f"{kind} {reference} was already filed")
        self.kind = kind
        self.reference = reference
