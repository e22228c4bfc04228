"""The register as people read it: shielded figures, where each message stands, and the export for HR."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.clock import local
from bot.reports.export import spreadsheet_text
from bot.reports.figures import breakdown, count
from bot.vocabulary import living as say

HEADERS = (
    "Naam",
    "E-mail",
    "Campagne",
    "Versie van de code",
    "Gevraagd op",
    "Herinneringen",
    "Onderschreven op",
    "Stand",
)


def figures(sent: int, confirmed: int) -> tuple[str, str, str]:
    """Asked, confirmed and open as shown, masked as the annual figures are: a count of 1 or 2 as '< 3', and the
    other of confirmed and open hidden with it, since asked minus one would give the other away."""
    parts = breakdown([("onderschreven", confirmed), ("open", sent - confirmed)])
    return count("gevraagd", sent).shown, parts[0].shown, parts[1].shown


def person_state(row: Any) -> str:
    """What became of the message to one person who has not signed: delivered, on its way, or not reachable."""
    channel = say.CHANNEL_NAMES.get(row.delivery_channel or "", row.delivery_channel or "")
    reminded = say.CAMPAIGN_REMINDERS.format(count=row.reminders) if row.reminders else ""
    if row.delivery_channel == "log" or (row.address or {}).get("channel") == "log":
        return say.STATE_NO_CHANNEL
    if row.delivery == "delivered":
        return say.STATE_DELIVERED.format(channel=channel) + reminded
    if row.delivery == "failed":
        hint = say.STATE_TEAMS_HINT if row.delivery_channel == "msteams" else ""
        return say.STATE_FAILED.format(channel=channel, hint=hint)
    if row.delivery == "pending" and (row.attempts or 0) > 0:
        return say.STATE_RETRYING.format(attempts=row.attempts)
    return say.STATE_PENDING + reminded


def _local(moment: datetime | None) -> str:
    return "" if moment is None else f"{local(moment):%d/%m/%Y %H:%M}"


def rows_of(campaign: Any, register: list[Any]) -> list[tuple[str, ...]]:
    """The register of one campaign as table rows (Dutch dates, Brussels time)."""
    out = []
    for row in register:
        state = "onderschreven" if row.confirmed_at is not None else person_state(row)
        out.append(
            (
                spreadsheet_text(row.name),
                spreadsheet_text((row.address or {}).get("email")),
                campaign.reference,
                row.code_version or "",
                _local(row.sent_at),
                str(row.reminders or 0),
                _local(row.confirmed_at),
                state,
            )
        )
    return out


def write_export(campaign: Any, register: list[Any], path: Path) -> None:
    """Write the register to CSV for Flemish Excel (semicolons, UTF-8 with BOM) or to XLSX, by the file's suffix."""
    rows = rows_of(campaign, register)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # only the export needs it
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = campaign.reference
        book.properties.creator = "Integriteitsbot"
        sheet.append(HEADERS)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
        for column, width in zip("ABCDEFGH", (28, 30, 14, 18, 18, 14, 18, 40), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        book.save(path)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
