"""Figures for the annual report: known answers from a seeded year, the '< 3' rule, terms across a year end,
every output format without personal data, and the `stats` command end to end."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy import insert

from bot.cases.desk import OPEN
from bot.clock import BRUSSELS, FixedClock
from bot.reports.figures import FEW, FEW_CASES, SHIELDED, breakdown, count, median_days, share
from bot.reports.stats import Figures, render_csv, render_html, render_json, render_text, year_figures
from bot.storage import db
from bot.storage.store import Store
from tests.conftest import OPENING_TIME, Chat
from tests.flows import DESCRIPTION, answer_report, declare

SECRET = "Geheime beschrijving: de kassier van het zwembad neemt geld uit de kassa."
REPORTER = "Griet Vermeulen"
EMPLOYEE = "Pieter Desmet"
REQUESTER = "Karel Wuyts"
FLOW_USER = "Lies Janssens"  # who reports and declares through the real flows (tests/conftest.py's Chat)
STATUS_AFTER = {"bevestigd": "ontvangst bevestigd", "bericht": "in behandeling", "afgesloten": "afgesloten"}
PERSONAL = (SECRET, DESCRIPTION, REPORTER, EMPLOYEE, REQUESTER, FLOW_USER, "Jan Janssens", "Bouwbedrijf Peeters")


def set_day(clock: FixedClock, day: date) -> None:
    """Put the injected clock at the opening time of a day."""
    clock.moment = datetime.combine(day, OPENING_TIME, BRUSSELS)


@dataclass
class Seeder:
    """Writes cases, gift declarations and contact requests on chosen days, and acts on them with the store's own
    card-action queries, so statuses and events are what the service itself would have written."""

    store: Store
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(101))

    async def _insert(self, table: Any, org: str, day: date, prefix: str, values: dict[str, Any]) -> str:
        number = next(self.numbers)
        reference = f"{prefix}-{day.year}-{number:04d}"
        row = {"org": org, "reference": reference, "year": day.year, "number": number, **values}
        async with self.store.engine.begin() as conn:
            row_id = (await conn.execute(insert(table).values(**row))).inserted_primary_key[0]
            if table is db.cases:
                received = {"case_id": row_id, "on_date": day, "type": "ontvangen", "for_reporter": True}
                await conn.execute(insert(db.case_events).values(**received))
        return reference

    async def case(
        self,
        org: str,
        received: date,
        kind: str = "rule_breach",
        role: str = "algemeen-directeur",
        anonymous: bool = True,
        events: tuple[tuple[date, str], ...] = (),
    ) -> str:
        """A report received on a day, then each (day, event) done by its handler; returns the reference."""
        reporter = {} if anonymous else {"reporter_name": REPORTER, "reporter_channel": "msteams"}
        number = next(self.numbers)
        reference = await self._insert(
            db.cases,
            org,
            received,
            "M",
            {
                "kind": kind,
                "route_kind": "rule_breach" if kind == "unsure" else kind,
                "recipient_role": role,
                "description": SECRET,
                "when_text": "vorige week",
                "evidence": "nee",
                "anonymous": anonymous,
                **reporter,
                "status": "ontvangen",
                "received_on": received,
                "receipt_selector": f"s{number:07d}",
                "receipt_hash": "no-code-in-these-tests",
            },
        )
        for day, event in events:
            await self.act(org, reference, day, event)
        return reference

    async def act(self, org: str, reference: str, day: date, event: str) -> None:
        """What the handler's card action does: an event for the reporter and the case's new status."""
        case = await self.store.case_by_reference(org, reference)
        text, status = "Bericht voor de melder", STATUS_AFTER[event]
        assert await self.store.case_action(case, event, text, status, day, [], allowed=OPEN)

    async def gift(
        self,
        org: str,
        declared: date,
        kind: str = "gift",
        value: float | None = None,
        advice: str = "accept_and_report",
        section: str | None = None,
        giver: str = "Drukkerij Vandamme",
        decision: tuple[str, str, date, str | None] | None = None,
    ) -> str:
        """A gift declaration, and the manager's (status, by, day, remark) when given; returns the reference."""
        reference = await self._insert(
            db.gifts,
            org,
            declared,
            "G",
            {
                "declared_on": declared,
                "employee_name": EMPLOYEE,
                "employee_channel": "msteams",
                "employee_user_id": "aad-employee",
                "gift_kind": kind,
                "giver_type": "supplier",
                "giver": giver,
                "value_eur": value,
                "small": "ja",
                "pending": "nee",
                "reward": "nee",
                "received": "ja",
                "advice": advice,
                "advice_section": section,
                "manager_role": "leidinggevende",
                "manager": "Jan Janssens",
                "status": "gemeld",
            },
        )
        if decision is not None:
            await self.decide(org, reference, *decision)
        return reference

    async def decide(self, org: str, reference: str, status: str, by: str, day: date, note: str | None) -> None:
        """The manager's decision, as the gift card's action stores it."""
        gift = await self.store.record_by_reference(db.gifts, org, reference)
        assert await self.store.decide_gift(gift, status, note, by, day, [], allowed=("gemeld",))

    async def contact(self, org: str, requested: date, role: str) -> str:
        """A discreet contact request for a role."""
        values = {
            "requested_on": requested,
            "role": role,
            "requester_name": REQUESTER,
            "requester_channel": "msteams",
            "requester_user_id": "aad-requester",
            "reach": "via Teams",
            "note": "Over een collega",
            "status": "gevraagd",
        }
        return await self._insert(db.contact_requests, org, requested, "V", values)


async def seed_kortrijk(store: Store, conversation: Any, clock: FixedClock) -> int:
    """Kortrijk's year (the clock's year), with records the year before and after; returns the year. The
    algemeen directeur is Kortrijk's intern meldpunt: the law's terms bind the cases sent there."""
    year = clock.today().year
    seeder = Seeder(store)

    def day(d: int, m: int, offset: int = 0) -> date:
        return date(year + offset, m, d)

    # One named report and one gift declaration through the real flows, on their day.
    set_day(clock, day(3, 3))
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels", identity="Met mijn naam")
    await chat.press("Melding versturen")
    flow_case = f"M-{year}-0001"
    await seeder.act("kortrijk", flow_case, day(13, 3), "bevestigd")  # 10 days: late
    await seeder.act("kortrijk", flow_case, day(15, 7), "afgesloten")  # after 3 June: late
    set_day(clock, day(10, 3))
    await declare(chat, "Een geschenk", "15,50", small="Ja")
    await chat.say("Jan Janssens")
    await chat.press("Geschenk melden")
    await seeder.decide("kortrijk", f"G-{year}-0001", "gezien", "Jan Janssens", day(12, 3), None)

    await seeder.case("kortrijk", day(10, 4), events=((day(12, 4), "bevestigd"), (day(30, 5), "afgesloten")))
    await seeder.case(
        "kortrijk", day(1, 6), anonymous=False, events=((day(5, 6), "bevestigd"), (day(20, 8), "afgesloten"))
    )
    # Received 28 December, acknowledged 2 January: 5 days, in time, and it stays a case of its own year.
    await seeder.case("kortrijk", day(28, 12), anonymous=False, events=((day(2, 1, 1), "bevestigd"),))
    await seeder.case("kortrijk", day(30, 12))  # on 5 January its 7 days still run: not yet due
    # A question is the handler's first step: it tells the reporter the case arrived (3 days); never closed.
    await seeder.case("kortrijk", day(5, 9), "unsure", anonymous=False, events=((day(8, 9), "bericht"),))
    await seeder.case("kortrijk", day(15, 5), "behaviour", "preventiedienst", events=((day(16, 5), "bevestigd"),))
    await seeder.case("kortrijk", day(20, 7), "misuse", "leidinggevende", anonymous=False)
    await seeder.case("kortrijk", day(10, 10), "behaviour", "vertrouwenspersoon")
    # Other years and another organisation do not count.
    await seeder.case("kortrijk", day(3, 1, 1))
    await seeder.case("kortrijk", day(5, 5, -1), events=((day(7, 5, -1), "bevestigd"), (day(1, 6, -1), "afgesloten")))
    await seeder.case("kortrijk", day(6, 6, -1), anonymous=False, events=((day(20, 6, -1), "bevestigd"),))
    await seeder.case("putte", day(1, 6))

    section = "geschenken-en-voordelen"
    await seeder.gift(
        "kortrijk", day(15, 1), value=30.0, section=section, decision=("akkoord", "Jan Janssens", day(16, 1), None)
    )
    await seeder.gift("kortrijk", day(12, 5), advice="discuss_first")
    await seeder.gift(
        "kortrijk",
        day(20, 6),
        "invitation",
        80.0,
        "discuss_first",
        section,
        decision=("niet akkoord", "Sofie Claes", day(25, 6), "Niet tijdens een lopende opdracht."),
    )
    await seeder.gift("kortrijk", day(1, 9), "service", 40.0, "refuse", section)
    await seeder.gift("kortrijk", day(31, 12), "service", 1250.5, section=section, giver="=2+3")
    await seeder.gift("kortrijk", day(2, 1, 1), value=20.0)
    await seeder.gift("kortrijk", day(20, 12, -1), value=20.0)
    await seeder.gift("putte", day(20, 5), value=20.0)

    for requested in (day(2, 2), day(3, 3), day(4, 4)):
        await seeder.contact("kortrijk", requested, "vertrouwenspersoon")
    await seeder.contact("kortrijk", day(5, 5), "preventiedienst")
    await seeder.contact("kortrijk", day(6, 6, 1), "preventiedienst")
    return year


def table(figures: Figures) -> dict[tuple[str, str], str]:
    """Every figure as the report shows it, by (section, label)."""
    return {(s.title, f.label): f.shown for s in figures.sections for f in s.figures}


@pytest.fixture
async def kortrijk(store, conversation, clock, content) -> tuple[int, Any]:
    """Kortrijk's seeded year and pack; the clock stands at 5 January of the next year, when the report is made."""
    year = await seed_kortrijk(store, conversation, clock)
    set_day(clock, date(year + 1, 1, 5))
    return year, content.packs["kortrijk"]


async def test_known_figures_of_a_seeded_year(store, clock, kortrijk):
    year, pack = kortrijk
    figures = await year_figures(store, pack, year, clock.today())
    assert figures.has_records and figures.as_of == date(year + 1, 1, 5)
    shown = table(figures)
    expected = {
        ("Meldingen", "Meldingen in totaal"): "9",
        ("Meldingen", "schending van regels"): "5",
        ("Meldingen", "gedrag tegenover mensen"): FEW,  # 2
        ("Meldingen", "misbruik van middelen of informatie"): FEW,  # 1
        ("Meldingen", "weet het niet goed"): FEW,
        ("Meldingen per status", "ontvangen"): "3",
        ("Meldingen per status", "ontvangst bevestigd"): FEW,
        ("Meldingen per status", "in behandeling"): FEW,
        ("Meldingen per status", "afgesloten"): "3",
        ("Anoniem of met naam", "anoniem"): "4",
        ("Anoniem of met naam", "met naam"): "5",
        ("Meldingen per ontvanger", "Leidinggevende"): FEW,
        ("Meldingen per ontvanger", "Algemeen directeur"): SHIELDED,  # the three others are 1 each: 9 - 6 = 3
        ("Meldingen per ontvanger", "Interne preventiedienst"): FEW,
        ("Meldingen per ontvanger", "Vertrouwenspersoon"): FEW,
        # The intern meldpunt's six cases: acknowledged in time 4 (incl. 28/12 -> 2/1 and the question), late 1,
        # still running 1 (30/12); feedback in time 2, late 2 (one closed late, one never closed), running 2.
        ("Wettelijke termijnen", "Ontvangst bevestigd binnen 7 dagen"): SHIELDED,  # else 6 - 4 = 1 + 1
        ("Wettelijke termijnen", "Ontvangst later of niet bevestigd"): FEW,
        ("Wettelijke termijnen", "Termijn loopt nog, nog niet bevestigd"): FEW,
        # 4 of 5, but the one late case would show through the share: hidden.
        ("Wettelijke termijnen", "Aandeel tijdig bevestigd"): FEW_CASES,
        ("Wettelijke termijnen", "Feedback gegeven binnen 3 maanden"): FEW,
        ("Wettelijke termijnen", "Feedback later of niet gegeven"): FEW,
        ("Wettelijke termijnen", "Termijn loopt nog, nog geen feedback"): FEW,
        ("Wettelijke termijnen", "Aandeel tijdig feedback gegeven"): FEW_CASES,  # 2 of 4
        # Days to the first answer 1, 2, 3, 4, 5, 10; to the closing 50, 80, 134.
        ("Doorlooptijd", "Dagen tot de ontvangstbevestiging (mediaan)"): "3,5",
        ("Doorlooptijd", "Dagen tot de afsluiting (mediaan)"): "80",
        ("Geschenken en uitnodigingen", "Aangiften in het geschenkenregister"): "6",
        ("Geschenken en uitnodigingen", "geschenk"): "3",
        ("Geschenken en uitnodigingen", "uitnodiging, etentje of evenement"): FEW,
        ("Geschenken en uitnodigingen", "geld of waardebon"): "0",
        ("Geschenken en uitnodigingen", "korting of dienst"): FEW,
        ("Geschenken per advies van de bot", "aanvaarden en melden"): "3",
        ("Geschenken per advies van de bot", "aanvaarden, delen of afgeven, en melden"): "0",
        ("Geschenken per advies van de bot", "eerst bespreken"): FEW,
        ("Geschenken per advies van de bot", "weigeren"): FEW,
        ("Geschenken per advies van de bot", "teruggeven"): "0",  # a refused gift already received: give it back
        ("Geschenken per beslissing", "nog geen beslissing"): SHIELDED,  # the three others are 1 each
        ("Geschenken per beslissing", "gezien"): FEW,
        ("Geschenken per beslissing", "akkoord"): FEW,
        ("Geschenken per beslissing", "niet akkoord"): FEW,
        ("Vragen om contact", "Vragen in totaal"): "4",
        ("Vragen om contact", "Interne preventiedienst"): FEW,
        # 3, hidden with the 1: else the total of 4 minus 3 would show the 1.
        ("Vragen om contact", "Vertrouwenspersoon"): SHIELDED,
    }
    assert shown == expected
    # Kortrijk's code sets no term of its own for any role: only the law's section.
    assert [s.title for s in figures.sections if "ermijn" in s.title] == ["Wettelijke termijnen"]


async def test_a_term_still_running_is_no_miss_until_it_has_passed(store, clock, kortrijk):
    year, pack = kortrijk
    set_day(clock, date(year + 1, 4, 2))  # every term of the year has now passed
    shown = table(await year_figures(store, pack, year, clock.today()))
    terms = {label: value for (title, label), value in shown.items() if title == "Wettelijke termijnen"}
    assert terms == {
        # 4 on time and 2 late or never: the 4 is hidden with the 2, as 6 minus 4 would show it.
        "Ontvangst bevestigd binnen 7 dagen": SHIELDED,
        "Ontvangst later of niet bevestigd": FEW,  # 2: the late one, and 30/12 never acknowledged
        "Termijn loopt nog, nog niet bevestigd": "0",
        "Aandeel tijdig bevestigd": FEW_CASES,  # 4 of 6 would show the 2
        "Feedback gegeven binnen 3 maanden": FEW,
        "Feedback later of niet gegeven": SHIELDED,  # 4, hidden with the 2
        "Termijn loopt nog, nog geen feedback": "0",
        "Aandeel tijdig feedback gegeven": FEW_CASES,
    }


async def test_a_year_with_two_cases_hides_every_count_share_and_median(store, clock, kortrijk):
    year, pack = kortrijk
    shown = table(await year_figures(store, pack, year - 1, clock.today()))
    assert shown[("Meldingen", "Meldingen in totaal")] == FEW
    assert shown[("Meldingen", "misbruik van middelen of informatie")] == "0"
    assert shown[("Wettelijke termijnen", "Aandeel tijdig bevestigd")] == FEW_CASES
    assert shown[("Wettelijke termijnen", "Aandeel tijdig feedback gegeven")] == FEW_CASES
    assert shown[("Doorlooptijd", "Dagen tot de ontvangstbevestiging (mediaan)")] == FEW_CASES
    assert shown[("Doorlooptijd", "Dagen tot de afsluiting (mediaan)")] == FEW_CASES
    assert shown[("Geschenken en uitnodigingen", "Aangiften in het geschenkenregister")] == FEW
    assert shown[("Vragen om contact", "Vragen in totaal")] == "0"
    empty = await year_figures(store, pack, year - 5, clock.today())
    assert not empty.has_records
    assert table(empty)[("Meldingen", "Meldingen in totaal")] == "0"


def test_masking_rules():
    assert [count("x", n).shown for n in (0, 1, 2, 3, 17)] == ["0", FEW, FEW, "3", "17"]
    assert count("x", 2).value is None  # the raw number is not kept anywhere
    assert share("x", 2, 2).shown == FEW_CASES and share("x", 0, 2).value is None
    # With the whole known, a share whose part or rest is 1 or 2 would give that count away.
    assert [share("x", part, 3).shown for part in (0, 1, 2, 3)] == ["0 %", FEW_CASES, FEW_CASES, "100 %"]
    assert share("x", 3, 8).shown == "38 %"  # 37.5 rounds up
    assert share("x", 3, 4).shown == FEW_CASES and share("x", 3, 6).shown == "50 %"
    # A breakdown of a known whole never hides just one count: the smallest shown one goes with it.
    assert [f.shown for f in breakdown([("a", 5), ("b", 1), ("c", 0)])] == [SHIELDED, FEW, "0"]
    assert [f.shown for f in breakdown([("a", 5), ("b", 1), ("c", 4)])] == ["5", FEW, SHIELDED]
    assert [f.shown for f in breakdown([("a", 5), ("b", 1), ("c", 1)])] == [SHIELDED, FEW, FEW]  # 1 + 1: pinned
    assert [f.shown for f in breakdown([("a", 5), ("b", 1), ("c", 2)])] == ["5", FEW, FEW]  # 3: 1 + 2 or 2 + 1
    assert breakdown([("a", 5), ("b", 1)])[0].value is None  # nothing of the hidden number is kept
    assert median_days("x", [4, 9]).shown == FEW_CASES
    assert median_days("x", [9, 4, 6]).shown == "6" and median_days("x", [1, 2, 5, 10]).shown == "3,5"


async def test_the_codes_own_term_binds_vvsg_klachtenmanager(store, clock, content):
    year = clock.today().year
    seeder = Seeder(store)
    role = "klachtenmanager"
    await seeder.case("vvsg", date(year, 3, 1), role=role, events=((date(year, 3, 10), "bericht"),))  # 9 days
    await seeder.case("vvsg", date(year, 4, 1), role=role, events=((date(year, 4, 20), "afgesloten"),))  # 19: late
    await seeder.case("vvsg", date(year, 5, 1), role=role, events=((date(year, 5, 15), "bevestigd"),))  # 14: in time
    await seeder.case("vvsg", date(year, 12, 25), role=role)  # two weeks run to 8 January
    set_day(clock, date(year + 1, 1, 5))
    figures = await year_figures(store, content.packs["vvsg"], year, clock.today())
    shown = table(figures)
    title = "Termijn van de code: klachtenmanager"
    assert {label: value for (t, label), value in shown.items() if t == title} == {
        "Gereageerd binnen 14 dagen": FEW,
        "Later of niet gereageerd": FEW,
        "Termijn loopt nog, nog geen reactie": FEW,
        "Aandeel tijdig gereageerd": FEW_CASES,  # 2 of 3 would show the late one
    }
    # VVSG has no intern meldpunt under the law: no legal terms are counted for it.
    assert not any(t == "Wettelijke termijnen" for t, _ in shown)
    assert shown[("Meldingen per ontvanger", "Klachtenmanager")] == "4"


async def test_no_format_carries_a_hidden_number_or_personal_data(store, clock, kortrijk):
    year, pack = kortrijk
    figures = await year_figures(store, pack, year, clock.today())
    document = json.loads(render_json(figures))
    values = [f["value"] for s in document["sections"] for f in s["figures"]]
    assert FEW in values and FEW_CASES in values
    assert not any(value in (1, 2) for value in values if isinstance(value, int))
    hidden = [f for s in document["sections"] for f in s["figures"] if f["value"] == FEW]
    assert hidden and all(set(f) == {"label", "value", "unit", "shown"} for f in hidden)
    rows = list(csv.reader(io.StringIO(render_csv(figures)), delimiter=";"))
    assert rows[0] == ["Onderdeel", "Cijfer", "Waarde"]
    assert ["Wettelijke termijnen", "Aandeel tijdig bevestigd", FEW_CASES] in rows
    assert ["Meldingen", "misbruik van middelen of informatie", FEW] in rows
    assert all(len(row) == 3 for row in rows)
    outputs = [render_text(figures), render_json(figures), render_csv(figures), render_html(figures)]
    for output in outputs:
        for personal in PERSONAL:
            assert personal not in output, personal
        assert "M-" not in output and "G-" not in output  # no reference either


async def test_text_has_headings_and_aligned_columns(store, clock, kortrijk):
    year, pack = kortrijk
    text = render_text(await year_figures(store, pack, year, clock.today()))
    lines = text.splitlines()
    assert lines[0] == f"Integriteitsjaarverslag Stad en OCMW Kortrijk {year}: cijfers uit de Integriteitsbot"
    assert "Wettelijke termijnen" in lines and "Doorlooptijd" in lines
    figure_lines = [line for line in lines if line.startswith("  ")]
    assert len({len(line) for line in figure_lines}) == 1  # every value ends in the same column
    assert any(line.split() == ["Aandeel", "tijdig", "bevestigd", "<", "3", "meldingen"] for line in figure_lines)
    assert any(line.split() == ["Meldingen", "in", "totaal", "9"] for line in figure_lines)


class Page(HTMLParser):
    """Reads an HTML page: its tags in order, their attributes, its text; notes any tag closed out of order."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


async def test_html_page_is_self_contained_and_well_formed(store, clock, kortrijk):
    year, pack = kortrijk
    page = render_html(await year_figures(store, pack, year, clock.today()))
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.open == []
    names = [tag for tag, _ in parser.tags]
    assert names[0] == "html" and "svg" in names and "style" in names and "script" not in names
    title = f"Integriteitsjaarverslag Stad en OCMW Kortrijk {year}: cijfers uit de Integriteitsbot"
    text = " ".join(" ".join(parser.text).split())
    assert title in text and "< 3" in text and "geen persoonsgegevens" in text
    for _, attrs in parser.tags:
        for name in ("src", "href", "xlink:href", "action"):
            assert name not in attrs, attrs
    assert "http" not in page and "url(" not in page
    assert 'lang="nl-BE"' in page and '<meta charset="utf-8">' in page
    bars = [attrs for tag, attrs in parser.tags if tag == "rect" and attrs.get("class") == "bar"]
    assert bars  # the shown values have bars
    assert all(0 < int(bar["width"]) <= 240 for bar in bars)


# The command --------------------------------------------------------------------------------------------------


async def test_stats_command_prints_text_and_writes_every_format(cli, capsys, tmp_path, store, clock, kortrijk):
    year, pack = kortrijk
    assert await cli("stats", "--org", "kortrijk", "--year", str(year)) == 0
    out = capsys.readouterr().out
    assert out == render_text(await year_figures(store, pack, year, clock.today()))
    for fmt, marker in (("json", '"org": "kortrijk"'), ("csv", "Onderdeel;Cijfer;Waarde"), ("html", "<svg")):
        path = tmp_path / f"cijfers.{fmt}"
        assert await cli("stats", "--org", "kortrijk", "--year", str(year), "--format", fmt, "-o", str(path)) == 0
        assert f"Wrote {path}" in capsys.readouterr().out
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == (fmt == "csv")  # a BOM only for Excel's CSV
        assert marker in raw.decode("utf-8-sig") and FLOW_USER not in raw.decode("utf-8-sig")


async def test_stats_command_refuses_an_unknown_org_or_an_empty_year(cli, capsys, kortrijk):
    year, _ = kortrijk
    assert await cli("stats", "--org", "gent", "--year", str(year)) == 2
    err = capsys.readouterr().err
    assert "unknown organisation 'gent'" in err and "kortrijk" in err
    assert await cli("stats", "--org", "kortrijk", "--year", str(year - 5)) == 2
    assert f"No cases, gift declarations or contact requests for 'kortrijk' in {year - 5}." in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        await cli("stats", "--org", "kortrijk", "--year", "vorig jaar")
    assert exit_info.value.code == 2
    assert "is not a year such as 2026" in capsys.readouterr().err
