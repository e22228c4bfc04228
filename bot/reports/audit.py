"""The audit trail for the operator and the data-protection officer: its entries, and whether the chain holds."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from typing import Any

from bot.storage.audit_rows import Actor, actor_id
from bot.storage.store import Store


def operator() -> Actor:
    """Whoever runs a command of the integriteitsbot CLI: the operating-system user, as the trail names them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = "unknown"
    return Actor(actor_id("cli", user), "beheerder", "cli")


def parse_day(text: str) -> date:
    """A day from the command line: 2026-11-24 or 24/11/2026."""
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date such as 2026-11-24")


def entry_line(row: Any) -> str:
    """One entry: number, when (the day alone where only the day is kept), what, on what, who, as what, how."""
    when = row.at or f"{row.on_date.isoformat()} (day only)"
    record = " ".join(part for part in (row.org, row.reference) if part) or "-"
    detail = f" [{row.detail}]" if row.detail else ""
    return (
        f"#{row.seq:<5} {when:<25} {row.action:<12} {record:<22} by {row.actor} ({row.role}) via {row.channel}{detail}"
    )


async def audit_report(store: Store, reference: str | None, since: date | None) -> tuple[list[str], bool]:
    """The lines `integriteitsbot audit` prints, and whether the whole chain holds (it is always checked whole,
    whatever the filter)."""
    rows = await store.audit_entries(reference, since)
    verdict = await store.verify_audit()
    lines = [entry_line(row) for row in rows] or ["No audit entries match."]
    waiting = await store.audit_waiting()
    if waiting:
        lines.append(f"{waiting} entries of today keep only the day; they join the chain once the day is over.")
    if verdict.intact:
        lines.append(f"Chain intact: {verdict.entries} entries; last hash {verdict.head}.")
        lines.append("Note the last hash: an entry removed from the end later shows when it no longer matches.")
    else:
        lines.append(
            f"CHAIN BROKEN at entry #{verdict.broken_at}: {verdict.reason}. "
            f"The {verdict.entries - 1} entries before it hold; from #{verdict.broken_at} on it cannot be trusted."
        )
    return lines, verdict.intact
