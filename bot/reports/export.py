"""The gift register of one organisation and year, for the integrity officer: as CSV or as an Excel workbook."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bot.cases.cards import GIFT_KINDS
from bot.knowledge.basis import section_title
from bot.knowledge.packs import Pack
from bot.storage import db
from bot.storage.audit_rows import Actor
from bot.storage.store import Store
from dialogs.gift_texts import ADVICE_SHORT

HEADERS = (
    "Referentie",
    "Datum",
    "Medewerker",
    "Gever",
    "Soort",
    "Omschrijving",
    "Waarde (EUR)",
    "Advies",
    "Basis van het advies",
    "Beslissing",
    "Beslist door",
    "Beslist op",
    "Opmerking",
)
GENERAL_ADVICE = "algemeen advies"
# A cell that starts with one of these is a formula to Excel: a giver typed as '=HYPERLINK(…)' must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EURO_FORMAT = '"€" #,##0.00'
DATE_FORMAT = "DD/MM/YYYY"
MAX_COLUMN_WIDTH = 60


@dataclass(frozen=True)
class GiftRow:
    """One declaration in the register, in the register's column order and in Dutch."""

    reference: str
    declared_on: date
    employee: str
    giver: str
    kind: str
    value_eur: float | None
    advice: str
    basis: str
    decision: str
    decided_by: str | None
    decided_on: date | None
    remark: str | None
    description: str | None = None  # what the gift was, in the employee's own words

    def cells(self) -> tuple[object, ...]:
        """The row's values in the register's column order (HEADERS)."""
        return (
            self.reference, self.declared_on, self.employee, self.giver, self.kind, self.description,
            self.value_eur, self.advice, self.basis, self.decision, self.decided_by, self.decided_on, self.remark,
        )  # fmt: skip


async def gift_rows(store: Store, pack: Pack, year: int) -> list[GiftRow]:
    """The organisation's gift declarations of one calendar year, oldest first; gift data only, never a report."""
    g = db.gifts.c
    query = (
        select(
            g.org, g.reference, g.declared_on, g.employee_name, g.giver, g.gift_kind, g.description, g.value_eur,
            g.advice,
            g.advice_section, g.status, g.decided_by, g.decided_on, g.decision_note,
        )
        .where(g.org == pack.org, g.declared_on >= date(year, 1, 1), g.declared_on <= date(year, 12, 31))
        .order_by(g.declared_on, g.number)
    )  # fmt: skip
    async with store.engine.connect() as conn:
        rows = store.fields.decrypt_all("gifts", (await conn.execute(query)).all())  # names and texts are encrypted
    return [
        GiftRow(
            reference=row.reference,
            declared_on=row.declared_on,
            employee=row.employee_name,
            giver=row.giver,
            kind=GIFT_KINDS.get(row.gift_kind, row.gift_kind),
            value_eur=row.value_eur,
            advice=ADVICE_SHORT.get(row.advice, row.advice),
            basis=section_title(pack, row.advice_section) if row.advice_section else GENERAL_ADVICE,
            decision=row.status,
            decided_by=row.decided_by,
            decided_on=row.decided_on,
            remark=row.decision_note,
            description=row.description,
        )
        for row in rows
    ]


def spreadsheet_text(value: str | None) -> str:
    """Text as a spreadsheet must show it: never read as a formula."""
    if not value:
        return ""
    return "'" + value if value.startswith(FORMULA_START) else value


def _euro(value: float | None) -> str:
    """An amount with a decimal comma, as Excel reads it with Flemish settings; empty when unknown."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _day(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def write_csv(rows: list[GiftRow], path: Path | str) -> None:
    """The register as CSV that Excel opens as Flemish users have it: UTF-8 with BOM, ';', dd/mm/yyyy, 12,50."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow(
                [
                    row.reference,
                    _day(row.declared_on),
                    spreadsheet_text(row.employee),
                    spreadsheet_text(row.giver),
                    row.kind,
                    spreadsheet_text(row.description),
                    _euro(row.value_eur),
                    row.advice,
                    spreadsheet_text(row.basis),
                    row.decision,
                    spreadsheet_text(row.decided_by),
                    _day(row.decided_on),
                    spreadsheet_text(row.remark),
                ]
            )


def write_xlsx(rows: list[GiftRow], path: Path | str, title: str = "Geschenkenregister") -> None:
    """The register as an Excel workbook: bold frozen header with a filter, real dates, amounts in euro."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    book.properties.creator = "Integriteitsbot"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    dates = {HEADERS.index("Datum"), HEADERS.index("Beslist op")}
    amount = HEADERS.index("Waarde (EUR)")
    table = [row.cells() for row in rows]
    for number, values in enumerate(table, start=2):
        for index, value in enumerate(values):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters make the file unreadable
            cell = sheet.cell(row=number, column=index + 1, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text typed by people stays text, even when it starts with '='
            elif index in dates and value is not None:
                cell.number_format = DATE_FORMAT
            elif index == amount and value is not None:
                cell.number_format = EURO_FORMAT
    for index, header in enumerate(HEADERS):
        width = max([len(header), *(len(_shown(values[index])) for values in table)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(MAX_COLUMN_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)


def _shown(value: object) -> str:
    """A value as wide as Excel shows it, for the column width: a date as dd/mm/yyyy, an amount with its sign."""
    if isinstance(value, date):
        return "00/00/0000"
    if isinstance(value, float):
        return f"€ {value:,.2f}"
    return "" if value is None else str(value)


async def exported_rows(store: Store, pack: Pack, year: int, by: Actor) -> list[GiftRow]:
    """The register's rows for an export, the export on record in the audit trail (with names: it is personal)."""
    rows = await gift_rows(store, pack, year)
    await store.audit_by(by, "exported", org=pack.org, detail=f"geschenkenregister {year}: {len(rows)} rijen")
    return rows
