"""A confirmed flow's filing: its submission id, and its confirmation kept sealed for its own conversation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# The flow_state row of a conversation holds this "flow" between the commit of a filing and the moment
# its confirmation has been sent to the user; a message that arrives in between gets it again.
SENT_FLOW = "_sent"
# A confirmation that never reached its user (a crash, a connector down) can be shown again this long after the
# day of filing began (the marker keeps that day, never the time): through the next day at least.
SHOW_AGAIN_FOR = timedelta(days=2)
_SEAL_CONTEXT = b"integriteitsbot: confirmation seal v1"


def new_submission_id() -> str:
    """A random id for one flow run; its confirm files at most one record with it."""
    return secrets.token_hex(16)


def _seal_key(channel: str, conversation_id: str) -> bytes:
    # The key comes from the conversation id, which the database never holds (its rows are keyed by a
    # SHA-256 of it, a different function): only a message from that same conversation can open the seal.
    return hmac.new(_SEAL_CONTEXT, f"{channel}\0{conversation_id}".encode(), hashlib.sha256).digest()


@dataclass(frozen=True)
class Filing:
    """Who confirmed which flow run: the submission id and the conversation to show the confirmation in."""

    submission_id: str
    channel: str
    conversation_id: str

    def marker(self, kind: str, reference: str, confirmation: str, moment: datetime) -> dict[str, Any]:
        """The flow state kept until the confirmation was sent: reference in clear, confirmation sealed; `moment` is
        the day of filing (Clock.day_mark), so the marker never says when an anonymous report was sent."""
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(_seal_key(self.channel, self.conversation_id)).encrypt(
            nonce, confirmation.encode(), self.submission_id.encode()
        )
        return {
            "flow": SENT_FLOW,
            "submission": self.submission_id,
            "kind": kind,
            "reference": reference,
            "sealed": base64.b64encode(nonce + sealed).decode(),
            "filed_at": moment.isoformat(),
        }


def unseal(marker: dict[str, Any], channel: str, conversation_id: str) -> str | None:
    """The confirmation kept in a marker, or None when it cannot be opened from this conversation."""
    try:
        blob = base64.b64decode(marker["sealed"])
        plain = AESGCM(_seal_key(channel, conversation_id)).decrypt(
            blob[:12], blob[12:], str(marker["submission"]).encode()
        )
        return plain.decode()
    except (KeyError, TypeError, ValueError, InvalidTag):
        return None


class AlreadyFiled(Exception):
    """This flow run was filed before (a double click, a redelivery, a retry after a crash)."""

    def __init__(self, kind: str, reference: str):
        super().__init__(f"{kind} {reference} was already filed")
        self.kind = kind
        self.reference = reference
