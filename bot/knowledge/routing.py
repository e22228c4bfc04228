"""Who receives a case: the roles the organisation's routing.yaml names, never a role the user says is involved."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.knowledge.packs import CaseKind, Pack, Role, Route, RouteStep

# The report flow's "not sure" goes where the code sends breaches of rules: that is the organisation's
# general reporting point (for a municipality the intern meldpunt), who can pass it on.
REPORT_KINDS: dict[str, CaseKind] = {
    "rule_breach": CaseKind.RULE_BREACH,
    "behaviour": CaseKind.BEHAVIOUR,
    "misuse": CaseKind.MISUSE,
    "unsure": CaseKind.RULE_BREACH,
}

# Kinds whose route receives something the bot stores: reports, gift declarations, contact requests.
RECEIVING_KINDS = (CaseKind.RULE_BREACH, CaseKind.BEHAVIOUR, CaseKind.MISUSE, CaseKind.GIFT, CaseKind.QUESTION)


@dataclass(frozen=True)
class Destination:
    """The role that receives a case, the route that chose it, and the step with its basis."""

    role: Role
    route: Route
    step: RouteStep


def route_for(pack: Pack, kind: str | CaseKind) -> Route:
    """The route of a report kind (including 'unsure') or a case kind."""
    case_kind = REPORT_KINDS[kind] if kind in REPORT_KINDS else CaseKind(kind)
    return pack.route(case_kind)


def candidates(pack: Pack, kind: str | CaseKind, excluded: Iterable[str] = ()) -> list[Role]:
    """The roles of the route in escalation order, without the ones the user says are involved."""
    skip = set(excluded)
    roles = (pack.role(role_id) for role_id in route_for(pack, kind).role_ids if role_id not in skip)
    return [role for role in roles if role is not None]


def destination(pack: Pack, kind: str | CaseKind, excluded: Iterable[str] = ()) -> Destination | None:
    """The first role that may receive this kind of case; None when every role of the route is involved."""
    roles = candidates(pack, kind, excluded)
    if not roles:
        return None
    route = route_for(pack, kind)
    step = route.step(roles[0].id)
    assert step is not None  # candidates come from this route
    return Destination(roles[0], route, step)


def receiving_roles(pack: Pack) -> list[Role]:
    """Every role that can receive a stored case, declaration or contact request, in a stable order."""
    seen: dict[str, Role] = {}
    for kind in (*RECEIVING_KINDS, *((CaseKind.CRIME,) if pack.has_route(CaseKind.CRIME) else ())):
        for role in candidates(pack, kind):
            seen.setdefault(role.id, role)
    return list(seen.values())
