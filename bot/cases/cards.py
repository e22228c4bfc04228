"""Notification cards: neutral dicts for the outbox; a report's card never carries its details or the reporter."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.cases.deadlines import role_deadlines
from bot.knowledge.basis import ACK_DAYS, FEEDBACK_MONTHS, section_title
from bot.knowledge.packs import Pack
from bot.vocabulary.markup import inert
from bot.vocabulary.outcomes import ContactOutcome, GiftOutcome, ReportOutcome
from dialogs import gift_texts as gt
from dialogs import texts as dt

GIFT_KINDS = {
    "gift": "geschenk",
    "invitation": "uitnodiging, etentje of evenement",
    "money": "geld of waardebon",
    "service": "korting of dienst",
}


def gift_what(kind: str, description: str | None) -> str:
    """What a gift was: the employee's own words with its kind, or its kind alone when they only chose one."""
    name = GIFT_KINDS.get(kind, kind)
    return f"{description} ({name})" if description else name


# Per kind of notification: its verbs with the button label (short: Teams cuts long ones), whether the verb needs
# a text, and how it reads once done.
VERBS: dict[str, dict[str, tuple[str, bool, str]]] = {
    "report": {
        "bevestigen": ("Bevestigen", False, "Ontvangst bevestigd"),
        "vraag": ("Vraag stellen", True, "Vraag gesteld aan de melder"),
        "afsluiten": ("Afsluiten", True, "Afgesloten met terugkoppeling"),
    },
    "gift": {
        "gezien": ("Gezien", False, "Gezien"),
        "akkoord": ("Akkoord", False, "Akkoord"),
        "niet-akkoord": ("Niet akkoord", False, "Niet akkoord"),
    },
    "contact": {"contact": ("Ik neem contact op", False, "Neemt contact op")},
}


def card_verbs(kind: str, reference: str, done: tuple[str, ...] = ()) -> dict[str, Any]:
    """The part of a neutral card that lets its addressee act on it: context and the verbs still open."""
    verbs = [
        {"verb": verb, "label": label, "needs_text": needs_text}
        for verb, (label, needs_text, _) in VERBS.get(kind, {}).items()
        if verb not in done
    ]
    return {"context": {"kind": kind, "reference": reference}, "verbs": verbs}


def _role_name(pack: Pack, role_id: str) -> str:
    role = pack.role(role_id)
    return role.name if role else role_id


def _card(title: str, body: str, facts: list[tuple[str, str]], actions: list[tuple[str, str]] = ()) -> dict[str, Any]:
    return {
        "title": title,
        "body": body,
        "facts": [list(fact) for fact in facts],
        "actions": [{"label": label, "value": value} for label, value in actions],
    }


def update_card(title: str, body: str, reference: str) -> dict[str, Any]:
    """A short card for the employee: news about their report, gift or contact request; user text in `body` must
    come through markup.inert."""
    return _card(title, body, [("Referentie", reference)])


def report_card(pack: Pack, outcome: ReportOutcome, reference: str, today: date) -> dict[str, Any]:
    """A report's card: reference, kind, date and how to open it; never the description or the reporter."""
    role = pack.role(outcome.recipient_role)
    body = (
        f"Er is een nieuwe melding voor jou als {_role_name(pack, outcome.recipient_role).lower()}. "
        f"Open ze in een privégesprek met de Integriteitsbot: typ 'melding {reference}'."
    )
    # Each recipient gets the term that binds them: the law's for the reporting point, the code's own where it
    # sets one (VVSG's two weeks), and no invented term for anyone else.
    if role is not None and role.reporting_point is not None:
        body += (
            f" Als intern meldpunt bevestig je de ontvangst binnen {ACK_DAYS} dagen"
            f" en geef je binnen {FEEDBACK_MONTHS} maanden feedback."
        )
    elif role is not None and role.response is not None:
        body += f" De code vraagt een reactie binnen {role.response.days} dagen."
    facts = [
        ("Referentie", reference),
        ("Soort", dt.KIND_SHORT[outcome.kind]),
        ("Ontvangen op", today.strftime("%d/%m/%Y")),
        *((label, day.strftime("%d/%m/%Y")) for label, day in role_deadlines(role, today)),
    ]
    card = _card(f"Nieuwe melding {reference}", body, facts, [("Openen", f"melding {reference}")])
    return {**card, **card_verbs("report", reference)}


def addendum_card(reference: str, today: date) -> dict[str, Any]:
    """An addendum's card: only that there is new information on a case."""
    body = (
        "De melder voegde informatie toe. "
        f"Open ze in een privégesprek met de Integriteitsbot: typ 'melding {reference}'."
    )
    facts = [("Referentie", reference), ("Datum", today.strftime("%d/%m/%Y"))]
    return _card(f"Aanvulling bij melding {reference}", body, facts, [("Open de melding", f"melding {reference}")])


def gift_card(pack: Pack, outcome: GiftOutcome, reference: str, today: date) -> dict[str, Any]:
    """A gift declaration's card, with the details: the manager may see them."""
    value = "onbekend" if outcome.value_eur is None else f"€ {outcome.value_eur:.2f}".replace(".", ",")
    facts = [
        ("Referentie", reference),
        ("Medewerker", outcome.employee.name),
        ("Wat", gift_what(outcome.gift_kind, outcome.description)),
        ("Gever", outcome.giver),
        ("Waarde", value),
        ("Al ontvangen", outcome.received),
        ("Advies van de bot", gt.ADVICE_SHORT[outcome.advice]),
        ("Datum", today.strftime("%d/%m/%Y")),
    ]
    if outcome.advice_section:
        facts.append(("Deel van de code", section_title(pack, outcome.advice_section)))
    body = f"{inert(outcome.employee.name)} meldde een geschenk of uitnodiging. Het staat in het geschenkenregister."
    return {**_card(f"Geschenk gemeld: {reference}", body, facts), **card_verbs("gift", reference)}


def contact_card(pack: Pack, outcome: ContactOutcome, reference: str, today: date) -> dict[str, Any]:
    """A contact request's card: who asks and how to reach them; the topic only when they gave one."""
    facts = [("Referentie", reference), ("Van", outcome.requester.name), ("Bereikbaar via", outcome.reach)]
    if outcome.note:
        facts.append(("Onderwerp", outcome.note))
    body = (
        f"{inert(outcome.requester.name)} vraagt discreet om contact met de {_role_name(pack, outcome.role).lower()}."
    )
    return {**_card(f"Vraag om contact {reference}", body, facts), **card_verbs("contact", reference)}
