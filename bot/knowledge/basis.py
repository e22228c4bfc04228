"""How the bot says where a route, a term or an advice comes from: the code (quoted), the law, or our default."""

from __future__ import annotations

from bot.knowledge.packs import Basis, BasisKind, Law, Pack, Role, RouteStep
from bot.knowledge.roles import role_name

# The terms the Bestuursdecreet sets for the internal reporting point; bot/cases/deadlines.py counts them out.
ACK_DAYS = 7  # the reporter gets an acknowledgement of receipt within seven days
FEEDBACK_MONTHS = 3  # and feedback on what was done within three months

LAW_NAMES = {
    Law.BESTUURSDECREET: "het Bestuursdecreet (de klokkenluidersregeling voor lokale besturen)",
    Law.KLOKKENLUIDERSWET: "de federale klokkenluiderswet van 28 november 2022",
}


def section_title(pack: Pack, section_id: str | None) -> str:
    """A section's title as users know it; never its internal id when the title is known."""
    section = pack.section(section_id or "")
    return section.title if section is not None else (section_id or "")


def cite(pack: Pack, basis: Basis) -> str:
    """A short citation for a basis: the section's title, the law's name, or that it is our default."""
    if basis.basis == BasisKind.CODE:
        return f"deel '{section_title(pack, basis.section)}'"
    if basis.basis == BasisKind.LAW and basis.law is not None:
        return LAW_NAMES[basis.law]
    return "geen regel uit de code, onze standaardkeuze"


def named_with_basis(pack: Pack, name: str, basis: Basis) -> str:
    """A recipient with where the choice comes from, in one readable phrase (no brackets within brackets)."""
    if basis.basis == BasisKind.LAW and basis.law is not None:
        return f"{name}, volgens {LAW_NAMES[basis.law]}"
    return f"{name} ({cite(pack, basis)})"


def quoted(pack: Pack, basis: Basis) -> str:
    """'De code van X zegt: “…” (deel 'Titel').' for a basis in the code; empty otherwise."""
    if basis.basis != BasisKind.CODE:
        return ""
    return f"De code van {pack.code.name} zegt: “{basis.quote}” ({cite(pack, basis)})."


def route_sentence(pack: Pack, step: RouteStep, role: Role, what: str = "je melding") -> str:
    """Why this role receives the case, in the sentence its basis allows: only the code's route is 'volgens de code'."""
    org, name = pack.code.name, role_name(role)
    if step.basis == BasisKind.CODE:
        return f"Volgens de code van {org} gaat {what} naar {name}: “{step.quote}” ({cite(pack, step)})."
    if step.basis == BasisKind.LAW and step.law is not None:
        return (
            f"De code van {org} zegt niet naar wie {what} gaat. Volgens {LAW_NAMES[step.law]} is {name} "
            f"het intern meldpunt. Daarom gaat {what} naar {name}."
        )
    return (
        f"De code van {org} zegt niet naar wie {what} gaat. Ik stuur {what} daarom naar {name}: "
        "dat is onze standaardkeuze, geen regel uit de code."
    )


def step_reason(pack: Pack, step: RouteStep) -> str:
    """One line on why a role is named for a topic: the code's words, the law, or our default."""
    if step.basis == BasisKind.CODE:
        return f"“{step.quote}” ({cite(pack, step)})"
    if step.basis == BasisKind.LAW and step.law is not None:
        return f"het intern meldpunt volgens {LAW_NAMES[step.law]}; de code noemt hiervoor niemand"
    return "de code noemt hiervoor niemand; dit is onze standaardkeuze"


def reporting_point(pack: Pack) -> Role | None:
    """The organisation's internal reporting point, if its code or the law names one."""
    return next((role for role in pack.contacts.roles if role.reporting_point is not None), None)


def terms_sentence(pack: Pack, role: Role) -> str:
    """The term that binds this recipient, and on what basis; no promise where neither code nor law sets one."""
    name = role_name(role)
    if role.reporting_point is not None:
        return (
            f"Als intern meldpunt bevestigt {name} binnen {ACK_DAYS} dagen dat je melding ontvangen is, en geeft "
            f"je binnen {FEEDBACK_MONTHS} maanden feedback over wat ermee gebeurt. "
            f"Die termijnen staan in {LAW_NAMES[Law.BESTUURSDECREET]}."
        )
    if role.response is not None:
        return quoted(pack, role.response)
    sentence = f"De code van {pack.code.name} geeft {name} geen termijn om te antwoorden."
    point = reporting_point(pack)
    if point is not None and point.id != role.id:
        sentence += (
            f" De wettelijke termijnen ({ACK_DAYS} dagen voor de ontvangst, {FEEDBACK_MONTHS} maanden voor "
            f"feedback) gelden voor het intern meldpunt, {role_name(point)}."
        )
    return sentence
