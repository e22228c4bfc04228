"""The gift register export: rows of one organisation and year, CSV and Excel as Flemish Excel users open them,
and `gifts export` end to end."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from bot.clock import FixedClock
from bot.reports.export import HEADERS, GiftRow, gift_rows, write_csv, write_xlsx
from bot.storage.store import Store
from tests.conftest import Chat
from tests.flows import declare
from tests.test_stats import EMPLOYEE, FLOW_USER, REPORTER, SECRET, Seeder, set_day

FORMULA = '=HYPERLINK("http://example.invalid","klik")'


async def seed_gifts(store: Store, conversation, clock: FixedClock) -> int:
    """Kortrijk's gift register for the clock's year (one declaration through the real flow), with declarations of
    other years and organisations and a report that must never appear; returns the year."""
    year = clock.today().year
    seeder = Seeder(store)
    section = "geschenken-en-voordelen"
    set_day(clock, date(year, 3, 10))
    chat = Chat(conversation, "kortrijk")
    await declare(chat, "Een geschenk", "15,50", small="Ja")
    await chat.say("Jan Janssens")
    await chat.press("Geschenk melden")
    decision = ("akkoord", "Jan Janssens", date(year, 1, 16), "Mag gedeeld worden op de dienst.")
    await seeder.gift("kortrijk", date(year, 1, 15), value=30.0, section=section, decision=decision)
    await seeder.gift("kortrijk", date(year, 5, 12), advice="discuss_first")
    await seeder.gift("kortrijk", date(year, 12, 31), "service", 1250.5, section=section, giver=FORMULA)
    await seeder.gift("kortrijk", date(year + 1, 1, 2), value=20.0)
    await seeder.gift("kortrijk", date(year - 1, 12, 31), value=20.0)
    await seeder.gift("putte", date(year, 6, 1), value=20.0)
    await seeder.case("kortrijk", date(year, 4, 1), anonymous=False)
    return year


@pytest.fixture
async def register(store, conversation, clock, content) -> tuple[int, list[GiftRow]]:
    """The seeded year and its rows."""
    year = await seed_gifts(store, conversation, clock)
    return year, await gift_rows(store, content.packs["kortrijk"], year)


async def test_rows_are_the_years_declarations_in_dutch(register):
    year, rows = register
    days = [(1, 15), (3, 10), (5, 12), (12, 31)]
    assert [row.declared_on for row in rows] == [date(year, month, day) for month, day in days]
    first, flow, unknown, last = rows
    assert first == GiftRow(
        reference=first.reference,
        declared_on=date(year, 1, 15),
        employee=EMPLOYEE,
        giver="Drukkerij Vandamme",
        kind="geschenk",
        value_eur=30.0,
        advice="aanvaarden en melden",
        basis="Geschenken en voordelen",  # the section's title, not its id
        decision="akkoord",
        decided_by="Jan Janssens",
        decided_on=date(year, 1, 16),
        remark="Mag gedeeld worden op de dienst.",
    )
    assert (flow.reference, flow.employee, flow.giver, flow.value_eur) == (
        f"G-{year}-0001",
        FLOW_USER,
        "Bouwbedrijf Peeters",
        15.5,
    )
    assert (flow.decision, flow.decided_by, flow.decided_on) == ("gemeld", None, None)
    assert (unknown.value_eur, unknown.advice, unknown.basis) == (None, "eerst bespreken", "algemeen advies")
    assert (last.kind, last.value_eur) == ("korting of dienst", 1250.5)


async def test_csv_opens_in_flemish_excel(register, tmp_path):
    _, rows = register
    path = tmp_path / "register.csv"
    write_csv(rows, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel it is UTF-8
    text = raw.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert table[0] == list(HEADERS)
    assert len(table) == 5 and all(len(line) == len(HEADERS) for line in table)
    record = dict(zip(HEADERS, table[1], strict=True))
    assert record["Datum"] == rows[0].declared_on.strftime("%d/%m/%Y")
    assert (record["Waarde (EUR)"], record["Beslist op"], record["Medewerker"]) == (
        "30,00",
        rows[0].decided_on.strftime("%d/%m/%Y"),
        EMPLOYEE,
    )
    assert table[3][HEADERS.index("Waarde (EUR)")] == ""  # unknown value: empty, not 0
    assert table[4][HEADERS.index("Waarde (EUR)")] == "1250,50"
    assert table[4][HEADERS.index("Gever")] == "'" + FORMULA  # never a formula in Excel
    assert SECRET not in text and REPORTER not in text  # gift data only, never a report


async def test_xlsx_has_a_bold_frozen_header_real_dates_and_euro_numbers(register, tmp_path):
    year, rows = register
    path = tmp_path / "register.xlsx"
    write_xlsx(rows, path, f"Geschenkenregister {year}")
    sheet = load_workbook(path).active
    assert sheet.title == f"Geschenkenregister {year}"
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:M{len(rows) + 1}"
    assert sheet.max_row == len(rows) + 1
    day, value, decided = (sheet.cell(2, HEADERS.index(name) + 1) for name in ("Datum", "Waarde (EUR)", "Beslist op"))
    assert day.is_date and day.value == datetime(year, 1, 15) and day.number_format == "DD/MM/YYYY"
    assert decided.is_date and decided.value == datetime(year, 1, 16)
    assert value.data_type == "n" and value.value == 30 and "€" in value.number_format
    assert sheet.cell(5, HEADERS.index("Waarde (EUR)") + 1).value == 1250.5
    assert sheet.cell(4, HEADERS.index("Waarde (EUR)") + 1).value is None
    giver = sheet.cell(5, HEADERS.index("Gever") + 1)
    assert giver.value == FORMULA and giver.data_type == "s"  # text, not a formula
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert len(widths) == len(HEADERS) and widths["E"] >= len("korting of dienst")
    assert all(width <= 62 for width in widths.values())


# The command --------------------------------------------------------------------------------------------------


async def test_gifts_export_command_writes_csv_and_xlsx(cli, capsys, tmp_path, register):
    year, rows = register
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"register.{fmt}"
        args = ["gifts", "export", "--org", "kortrijk", "--year", str(year), "--format", fmt, "-o", str(path)]
        assert await cli(*args) == 0
        assert f"Wrote {path}: 4 gift declarations of kortrijk for {year}." in capsys.readouterr().out
    assert (tmp_path / "register.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    sheet = load_workbook(tmp_path / "register.xlsx").active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [row.reference for row in rows]


async def test_gifts_export_command_refuses_what_it_cannot_export(cli, capsys, tmp_path, register):
    year, _ = register
    path = tmp_path / "register.csv"
    assert await cli("gifts", "export", "--org", "gent", "--year", str(year), "--format", "csv", "-o", str(path)) == 2
    assert "unknown organisation 'gent'" in capsys.readouterr().err
    assert await cli("gifts", "export", "--org", "kortrijk", "--year", "2001", "--format", "csv", "-o", str(path)) == 2
    assert "No gift declarations for 'kortrijk' in 2001; nothing written." in capsys.readouterr().err
    assert not path.exists()
    with pytest.raises(SystemExit) as exit_info:  # -o is required: a register is never printed to a terminal
        await cli("gifts", "export", "--org", "kortrijk", "--year", str(year), "--format", "xlsx")
    assert exit_info.value.code == 2


async def test_gifts_export_runs_as_a_separate_process(database_url, tmp_path, register):
    year, _ = register
    path = tmp_path / "register.xlsx"
    command = [sys.executable, "-m", "bot", "gifts", "export", "--org", "kortrijk", "--year", str(year)]
    env = {**os.environ, "DATABASE_URL": database_url}
    result = await asyncio.to_thread(
        subprocess.run,
        [*command, "--format", "xlsx", "-o", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert load_workbook(path).active.max_row == 5
