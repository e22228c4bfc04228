"""Figures for the annual integrity report of one organisation and calendar year, counted from the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from bot.cases.cards import GIFT_KINDS
from bot.cases.deadlines import add_days, add_months
from bot.knowledge.basis import ACK_DAYS, FEEDBACK_MONTHS
from bot.knowledge.packs import Pack
from bot.reports.figures import Figure, Figures, Section, breakdown, count, counted, median_days, share
from bot.reports.page import render_html
from bot.reports.practice import practice_sections
from bot.reports.render import render_csv, render_json, render_text
from bot.storage import db
from bot.storage.store import Store
from dialogs.gift_texts import ADVICE_SHORT
from dialogs.texts import KIND_SHORT

__all__ = ["RENDERERS", "Figures", "render_csv", "render_html", "render_json", "render_text", "year_figures"]

RENDERERS: dict[str, Callable[[Figures], str]] = {
    "text": render_text,
    "json": render_json,
    "csv": render_csv,
    "html": render_html,
}
STATUSES = {s: s for s in ("ontvangen", "ontvangst bevestigd", "in behandeling", "afgesloten")}
GIFT_DECISIONS = {"gemeld": "nog geen beslissing", **{s: s for s in ("gezien", "akkoord", "niet akkoord")}}
# The events that tell the reporter their case arrived. A handler whose first step is a question can no longer
# acknowledge afterwards (the card stops offering it), so a question or the closing counts as acknowledgement too.
ANSWERS = ("bevestigd", "bericht", "afgesloten")
CLOSED = "afgesloten"


@dataclass(frozen=True)
class _Case:
    """What the figures need of one case: never its description or its reporter."""

    kind: str
    status: str
    anonymous: bool
    role: str
    received: date
    answered: date | None  # the first acknowledgement, question or closing
    closed: date | None


async def year_figures(store: Store, pack: Pack, year: int, today: date) -> Figures:
    """The figures of an organisation for one calendar year, as on `today` (a term still running is no miss):
    every record counts in the year it was received, declared or requested, whenever it was handled."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    cases = await _cases(store, pack.org, first, last, today)
    gifts, contacts = db.gifts.c, db.contact_requests.c
    async with store.engine.connect() as conn:
        gift_rows = (
            await conn.execute(
                select(gifts.gift_kind, gifts.advice, gifts.status).where(
                    gifts.org == pack.org, gifts.declared_on >= first, gifts.declared_on <= last
                )
            )
        ).all()
        contact_roles = list(
            (
                await conn.execute(
                    select(contacts.role).where(
                        contacts.org == pack.org, contacts.requested_on >= first, contacts.requested_on <= last
                    )
                )
            ).scalars()
        )
    practice = await practice_sections(store, pack, year)
    sections = [
        *_case_sections(pack, year, cases, today),
        *_term_sections(pack, cases, today),
        _durations(year, cases),
        *_gift_sections(year, gift_rows, today),
        _contacts(pack, year, contact_roles),
        *practice,
    ]
    return Figures(
        org=pack.org,
        org_name=pack.code.name,
        year=year,
        as_of=today,
        sections=tuple(sections),
        has_records=bool(cases or gift_rows or contact_roles or practice),
    )


async def _cases(store: Store, org: str, first: date, last: date, today: date) -> list[_Case]:
    """The year's cases with the day of their first answer and of their closing (events up to `today`)."""
    c, e = db.cases.c, db.case_events.c
    in_year = (c.org == org, c.received_on >= first, c.received_on <= last)
    async with store.engine.connect() as conn:
        rows = (
            await conn.execute(
                select(c.id, c.kind, c.status, c.anonymous, c.recipient_role, c.received_on).where(*in_year)
            )
        ).all()
        # Events by case, not by date: a case of 28 December answered on 2 January still counts in its own year.
        events = (
            await conn.execute(
                select(e.case_id, e.type, e.on_date)
                .select_from(db.case_events.join(db.cases, db.cases.c.id == e.case_id))
                .where(*in_year, e.type.in_(ANSWERS), e.on_date <= today)
            )
        ).all()
    answered: dict[int, date] = {}
    closed: dict[int, date] = {}
    for event in events:
        answered[event.case_id] = min(answered.get(event.case_id, event.on_date), event.on_date)
        if event.type == CLOSED:
            closed[event.case_id] = min(closed.get(event.case_id, event.on_date), event.on_date)
    return [
        _Case(row.kind, row.status, row.anonymous, row.recipient_role, row.received_on, answered.get(row.id),
              closed.get(row.id))
        for row in rows
    ]  # fmt: skip


def _role_names(pack: Pack) -> dict[str, str]:
    return {role.id: role.name for role in pack.contacts.roles}


def _in_pack_order(pack: Pack, used: list[str]) -> list[str]:
    """The roles that occur, in the order the pack lists them."""
    return [role.id for role in pack.contacts.roles if role.id in used]


def _case_sections(pack: Pack, year: int, cases: list[_Case], today: date) -> list[Section]:
    kinds = [case.kind for case in cases]
    roles = [case.role for case in cases]
    anonymous = sum(case.anonymous for case in cases)
    return [
        Section(
            "Meldingen",
            (count("Meldingen in totaal", len(cases)), *counted(KIND_SHORT, kinds)),
            f"Meldingen die in {year} binnenkwamen, per soort die de melder koos.",
        ),
        Section(
            "Meldingen per status",
            counted(STATUSES, [case.status for case in cases]),
            f"De status op {today:%d/%m/%Y}.",
        ),
        Section("Anoniem of met naam", breakdown([("anoniem", anonymous), ("met naam", len(cases) - anonymous)])),
        Section(
            "Meldingen per ontvanger",
            counted(_role_names(pack), roles, _in_pack_order(pack, roles)),
            "De rol die de melding ontving, volgens de code.",
        ),
    ]


def _term(
    labels: tuple[str, str, str, str],
    cases: list[_Case],
    deadline: Callable[[_Case], date],
    done: Callable[[_Case], date | None],
    today: date,
) -> tuple[Figure, ...]:
    """On time, late or never, and still running on `today`, with the share on time of those no longer running."""
    on_time = late = running = 0
    for case in cases:
        when, last = done(case), deadline(case)
        if when is not None and when <= last:
            on_time += 1
        elif when is not None or today > last:
            late += 1
        else:
            running += 1
    return (
        *breakdown([(labels[0], on_time), (labels[1], late), (labels[2], running)]),
        share(labels[3], on_time, on_time + late),
    )


def _term_sections(pack: Pack, cases: list[_Case], today: date) -> list[Section]:
    """The law's terms for the reporting point, and the code's own term for each role that has one."""
    sections = []
    points = [role for role in pack.contacts.roles if role.reporting_point is not None]
    if points:
        ids = {role.id for role in points}
        bound = [case for case in cases if case.role in ids]
        names = ", ".join(role.name.lower() for role in points)
        ack = _term(
            (
                f"Ontvangst bevestigd binnen {ACK_DAYS} dagen",
                "Ontvangst later of niet bevestigd",
                "Termijn loopt nog, nog niet bevestigd",
                "Aandeel tijdig bevestigd",
            ),
            bound,
            lambda case: add_days(case.received, ACK_DAYS),
            lambda case: case.answered,
            today,
        )
        feedback = _term(
            (
                f"Feedback gegeven binnen {FEEDBACK_MONTHS} maanden",
                "Feedback later of niet gegeven",
                "Termijn loopt nog, nog geen feedback",
                "Aandeel tijdig feedback gegeven",
            ),
            bound,
            lambda case: add_months(case.received, FEEDBACK_MONTHS),
            lambda case: case.closed,
            today,
        )
        note = (
            f"Meldingen aan het intern meldpunt ({names}): de wet vraagt de ontvangst te bevestigen binnen {ACK_DAYS} "
            f"dagen en feedback te geven binnen {FEEDBACK_MONTHS} maanden. Een bericht aan de melder telt als "
            "bevestiging, het afsluiten met terugkoppeling als feedback. "
            "Een termijn die nog loopt, telt niet als gemist."
        )
        sections.append(Section("Wettelijke termijnen", ack + feedback, note))
    for role in pack.contacts.roles:
        if role.reporting_point is not None or role.response is None:
            continue
        days = role.response.days
        figures = _term(
            (
                f"Gereageerd binnen {days} dagen",
                "Later of niet gereageerd",
                "Termijn loopt nog, nog geen reactie",
                "Aandeel tijdig gereageerd",
            ),
            [case for case in cases if case.role == role.id],
            lambda case, days=days: add_days(case.received, days),
            lambda case: case.answered,
            today,
        )
        note = (
            f"De code vraagt de {role.name.lower()} te reageren binnen {days} dagen. Een bevestiging, een bericht "
            "of het afsluiten telt als reactie. Een termijn die nog loopt, telt niet als gemist."
        )
        sections.append(Section(f"Termijn van de code: {role.name.lower()}", figures, note))
    return sections


def _durations(year: int, cases: list[_Case]) -> Section:
    to_answer = [(case.answered - case.received).days for case in cases if case.answered is not None]
    to_close = [(case.closed - case.received).days for case in cases if case.closed is not None]
    return Section(
        "Doorlooptijd",
        (
            median_days("Dagen tot de ontvangstbevestiging (mediaan)", to_answer),
            median_days("Dagen tot de afsluiting (mediaan)", to_close),
        ),
        f"In kalenderdagen, over alle meldingen van {year} die bevestigd of afgesloten zijn, welke rol ze ook ontving.",
    )


def _gift_sections(year: int, rows: list, today: date) -> list[Section]:
    total = count("Aangiften in het geschenkenregister", len(rows))
    return [
        Section(
            "Geschenken en uitnodigingen",
            (total, *counted(GIFT_KINDS, [r.gift_kind for r in rows])),
            f"Aangiften die medewerkers in {year} deden, per soort.",
        ),
        Section("Geschenken per advies van de bot", counted(ADVICE_SHORT, [r.advice for r in rows])),
        Section(
            "Geschenken per beslissing",
            counted(GIFT_DECISIONS, [r.status for r in rows]),
            f"De stand op {today:%d/%m/%Y}.",
        ),
    ]


def _contacts(pack: Pack, year: int, roles: list[str]) -> Section:
    return Section(
        "Vragen om contact",
        (count("Vragen in totaal", len(roles)), *counted(_role_names(pack), roles, _in_pack_order(pack, roles))),
        f"Vragen van medewerkers in {year} om discreet contact, per rol.",
    )
