"""The figures of an annual report, masked as they are made: no count under 3, no share or median of under 3 cases."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Literal

# A count of 1 or 2 could point at a person in a small organisation; 0 says nobody, so it is shown.
MIN_SHOWN = 3
FEW = "< 3"
FEW_CASES = "< 3 meldingen"
SHIELDED = "afgeschermd"  # a count of 3 or more, hidden because the total would otherwise give a "< 3" away

Unit = Literal["count", "percent", "days"]


@dataclass(frozen=True)
class Figure:
    """One line of the report: a Dutch label and a value safe to publish (None: hidden, there are too few)."""

    label: str
    value: int | float | None
    unit: Unit = "count"
    shielded: bool = False  # hidden to protect another count, not for being small itself

    @property
    def shown(self) -> str:
        """The value as the report shows it, in Dutch notation: '< 3', '80 %', '3,5' (the label names the unit)."""
        if self.shielded:
            return SHIELDED
        if self.value is None:
            return FEW if self.unit == "count" else FEW_CASES
        if self.unit == "percent":
            return f"{self.value} %"
        return dutch_number(self.value)


@dataclass(frozen=True)
class Section:
    """A heading with its figures, and a line that says what they count."""

    title: str
    figures: tuple[Figure, ...]
    note: str = ""


@dataclass(frozen=True)
class Figures:
    """An organisation's figures for one calendar year, as on a given day; nothing in it can name a person."""

    org: str
    org_name: str
    year: int
    as_of: date
    sections: tuple[Section, ...]
    has_records: bool  # any case, gift declaration, contact request, team dilemma or signing that year

    @property
    def title(self) -> str:
        """The report's title."""
        return f"Integriteitsjaarverslag {self.org_name} {self.year}: cijfers uit de Integriteitsbot"

    @property
    def intro(self) -> str:
        """The line under the title: the day the figures were taken, and the masking."""
        return (
            f'Stand op {self.as_of:%d/%m/%Y}. Aantallen onder 3 staan als "{FEW}", zodat niemand herkenbaar is; '
            f'een aantal waaruit zo\'n klein aantal af te leiden zou zijn, staat als "{SHIELDED}"; een aandeel '
            f"of mediaan van minder dan 3 meldingen, of waaruit een klein aantal af te leiden is, staat als "
            f'"{FEW_CASES}". '
            "Er staan geen persoonsgegevens of beschrijvingen in."
        )


def dutch_number(value: float) -> str:
    """A number with a decimal comma and at most one decimal: 4, 3,5."""
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")


def count(label: str, n: int) -> Figure:
    """A count, hidden when it is 1 or 2."""
    return Figure(label, n if n == 0 or n >= MIN_SHOWN else None)


def share(label: str, part: int, whole: int) -> Figure:
    """part of whole as a whole percentage (half rounds up), hidden when whole has fewer than 3 cases, and when the
    part or the rest is 1 or 2: with the whole known, the percentage would give that hidden count away."""
    if whole < MIN_SHOWN or 0 < part < MIN_SHOWN or 0 < whole - part < MIN_SHOWN:
        return Figure(label, None, "percent")
    return Figure(label, (200 * part + whole) // (2 * whole), "percent")


def median_days(label: str, days: list[int]) -> Figure:
    """The median of a number of days, hidden when it rests on fewer than 3 cases."""
    if len(days) < MIN_SHOWN:
        return Figure(label, None, "days")
    middle = statistics.median(days)
    return Figure(label, int(middle) if middle == int(middle) else float(middle), "days")


def breakdown(parts: list[tuple[str, int]]) -> tuple[Figure, ...]:
    """Counts that add up to a known whole. The whole minus the counts shown gives the sum of the hidden ones; when
    that sum pins them down (one hidden count, or all 1 or all 2), the smallest count shown is hidden with them, as
    "afgeschermd"."""
    figures = [count(label, n) for label, n in parts]
    hidden = [n for _, n in parts if 0 < n < MIN_SHOWN]
    shown = [index for index, figure in enumerate(figures) if figure.value]  # a 0 hides nothing
    if hidden and shown and (len(hidden) == 1 or sum(hidden) in (len(hidden), 2 * len(hidden))):
        smallest = min(shown, key=lambda index: figures[index].value or 0)
        figures[smallest] = Figure(figures[smallest].label, None, shielded=True)
    return tuple(figures)


def counted(labels: dict[str, str], values: list[str], keys: list[str] | None = None) -> tuple[Figure, ...]:
    """One count per key (all labels unless given; 0 included) in order, then any value not among them, by name;
    masked as a breakdown of all the values."""
    keys = list(labels) if keys is None else list(keys)
    keys += sorted({value for value in values if value not in keys})
    return breakdown([(labels.get(key, key), values.count(key)) for key in keys])
