"""Retention: closed cases, gift declarations and contact requests older than RETENTION_YEARS are deleted, with
their events and outbox rows; the figures of their year are kept first, so the annual report stays what it was."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.cases.deadlines import add_months
from bot.knowledge.packs import Content, Pack
from bot.storage.audit_rows import SERVICE, Actor
from bot.storage.retention_rows import Expired
from bot.storage.store import Store

log = logging.getLogger(__name__)

DEFAULT_YEARS = 5
YearFigures = Callable[[Store, Pack, int, date], Awaitable[dict[str, Any]]]


@dataclass
class Retention:
    """What goes after RETENTION_YEARS, and the deletion itself (once a day, from the outbox worker)."""

    store: Store
    content: Content
    years: int = DEFAULT_YEARS
    figures: YearFigures | None = None  # a year's figures to keep before its first record goes

    def cutoff(self, today: date) -> date:
        """The first day that is kept: records whose clock started before it go."""
        return add_months(today, -12 * self.years)

    async def plan(self, today: date) -> list[Expired]:
        """What would go today."""
        return await self.store.expired(self.cutoff(today))

    async def run(self, today: date | None = None, dry_run: bool = False, by: Actor = SERVICE) -> list[Expired]:
        """Delete what is past retention (or only say what, with dry_run); returns the records concerned, each
        recorded in the audit trail as purged by `by` (the service's daily round, or the operator's command)."""
        today = today or self.store.clock.today()
        items = await self.plan(today)
        if dry_run or not items:
            return items
        for org, year in sorted({(item.org, item.year) for item in items}):
            pack = self.content.packs.get(org)
            if pack is not None and self.figures is not None:
                await self.store.keep_figures(org, year, await self.figures(self.store, pack, year, today), today)
        await self.store.delete_expired(items, by)  # each deletion and its audit entry in one transaction
        log.info("retention: deleted %d records older than %d years", len(items), self.years)
        return items

    async def daily(self) -> int:
        """The worker's daily round: chain the audit entries of days that are over, and say how many records
        went."""
        await self.store.seal_audit_day()
        return len(await self.run())
