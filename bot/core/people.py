"""A person named in a flow (the user's own leidinggevende): typed, matched to the contacts, or picked in Teams."""

from __future__ import annotations

import re

# A person the bot can reach is kept as "Name [aad:<object id>]" (or just the bracket when the picker gave no
# name), so the one text column says both whom to show and where to deliver.
_PICKED = re.compile(r"^(?:(?P<name>.+?) )?\[aad:(?P<aad>[0-9a-fA-F-]{36})\]$")
SOMEONE_PICKED = "de persoon die je koos"


def encode(name: str | None, aad_object_id: str) -> str:
    """The stored form of a person with a Teams identity."""
    return f"{name} [aad:{aad_object_id}]" if name else f"[aad:{aad_object_id}]"


def decode(value: str | None) -> tuple[str | None, str | None]:
    """(name, AAD object id) of a stored person; a typed name or address has no id."""
    if not value:
        return None, None
    picked = _PICKED.fullmatch(value.strip())
    if picked is None:
        return value, None
    return picked.group("name"), picked.group("aad").lower()


def display(value: str | None) -> str:
    """How to name a stored person to the user."""
    name, aad = decode(value)
    return name or (SOMEONE_PICKED if aad else "")


def is_picked(text: str) -> bool:
    """Whether an answer is a person picked in Teams (or a stored reachable person)."""
    return _PICKED.fullmatch(text.strip()) is not None
