"""A year's figures as retention keeps them: stored as plain data before the year's first record is deleted."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from bot.knowledge.packs import Pack
from bot.reports.figures import Figure, Figures, Section
from bot.reports.stats import year_figures
from bot.storage.audit_rows import Actor
from bot.storage.store import Store


def to_data(figures: Figures) -> dict[str, Any]:
    """The figures as JSON-able data; the values are the masked ones, so nothing hidden is stored."""
    data = asdict(figures)
    data["as_of"] = figures.as_of.isoformat()
    return data


def from_data(data: dict[str, Any]) -> Figures:
    """Figures back from kept data."""
    sections = tuple(
        Section(section["title"], tuple(Figure(**figure) for figure in section["figures"]), section.get("note", ""))
        for section in data["sections"]
    )
    return Figures(
        data["org"], data["org_name"], data["year"], date.fromisoformat(data["as_of"]), sections, data["has_records"]
    )


async def snapshot(store: Store, pack: Pack, year: int, today: date) -> dict[str, Any]:
    """A year's figures as they are now, as data to keep."""
    return to_data(await year_figures(store, pack, year, today))


async def figures_for(store: Store, pack: Pack, year: int, today: date) -> Figures:
    """A year's figures: as kept when retention began deleting its records, else computed from the records."""
    kept = await store.kept_figures(pack.org, year)
    return from_data(kept) if kept is not None else await year_figures(store, pack, year, today)


async def audited_figures(store: Store, pack: Pack, year: int, today: date, by: Actor) -> Figures:
    """A year's figures for the annual report, on record in the audit trail as read."""
    figures = await figures_for(store, pack, year, today)
    await store.audit_by(by, "figures", org=pack.org, detail=str(year))
    return figures
