"""Draft routes, roles and gift rules for an imported code: what the law sets for the kind of organisation, and the
code's own sentences that name a recipient or a rule on gifts, proposed with their quote and marked for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.importing.report import Proposal
from bot.knowledge.packs import (
    Basis,
    BasisKind,
    CaseKind,
    GiftAdvice,
    GiftRule,
    GiftRules,
    Law,
    OrgType,
    Role,
    Route,
    RouteStep,
    Section,
)
from bot.knowledge.text import fold

# The kinds of organisation the import knows, as the command line names them.
KINDS: dict[str, OrgType] = {
    "gemeente": OrgType.MUNICIPALITY,
    "ocmw": OrgType.OCMW,
    "igo": OrgType.INTERMUNICIPAL,
    "vlaams": OrgType.FLEMISH,
    "private": OrgType.ASSOCIATION,
}


@dataclass(frozen=True)
class KnownRole:
    """A role codes name, with the words they name it by (folded, as a phrase)."""

    id: str
    name: str
    words: tuple[str, ...]
    personal: bool = False  # each employee's own: named in the chat, never configured


KNOWN_ROLES = (
    KnownRole("leidinggevende", "Leidinggevende", ("leidinggevende",), personal=True),
    KnownRole("diensthoofd", "Diensthoofd", ("diensthoofd",), personal=True),
    KnownRole("algemeen-directeur", "Algemeen directeur", ("algemeen directeur", "algemene directeur")),
    KnownRole("intern-meldpunt", "Intern meldpunt", ("intern meldpunt", "interne meldpunt", "meldpunt integriteit")),
    KnownRole("vertrouwenspersoon", "Vertrouwenspersoon", ("vertrouwenspersoon", "vertrouwenspersonen")),
    KnownRole(
        "preventieadviseur",
        "Preventieadviseur psychosociale aspecten",
        ("preventieadviseur", "preventiedienst", "preventieadviseurs"),
    ),
    KnownRole(
        "personeelsdienst", "Personeelsdienst", ("personeelsdienst", "dienst personeel", "hr-dienst", "dienst hr")
    ),
    KnownRole("klachtenmanager", "Klachtenmanager", ("klachtenmanager", "klachtencoordinator")),
    KnownRole(
        "integriteitsadviseur",
        "Integriteitsadviseur",
        ("raadgever integriteit", "integriteitsadviseur", "integriteitscoordinator", "integriteitsambtenaar"),
    ),
    KnownRole(
        "communicatiedienst",
        "Communicatiedienst",
        ("communicatiedienst", "dienst communicatie", "persverantwoordelijke"),
    ),
    KnownRole("ombudsdienst", "Ombudsdienst", ("ombudsdienst", "ombudsman", "ombudsvrouw")),
    KnownRole("compliance-officer", "Compliance officer", ("compliance officer",)),
)

# Verbs and phrases with which a code sends someone to a recipient.
SENDS = re.compile(
    r"\b(meld\w*|signaleer\w*|op de hoogte|verwittig\w*|contacteer\w*|wend\w* je|richt\w* je|terecht bij|"
    r"aankloppen|aanspreken|spreek\w*|bespreek\w*|overleg\w*|vraag\w*|informeer\w*|breng\w*|verwijs\w*|"
    r"doorverwijz\w*|behandel\w*|toestemming|goedkeuring|raadpleeg\w*|inschakel\w*|ingeschakeld)\b"
)
TOPICS: tuple[tuple[CaseKind, re.Pattern[str]], ...] = (
    (CaseKind.GIFT, re.compile(r"\b(\w*geschenk\w*|gift\w*|\w*cadeau\w*|uitnodiging\w*|voordel\w*|attentie\w*)\b")),
    (CaseKind.PRESS, re.compile(r"\b(pers|journalist\w*|media|persvragen|interview\w*)\b")),
    (
        CaseKind.BEHAVIOUR,
        re.compile(
            r"\b(pesten|pesterij\w*|geweld|grensoverschrijdend\w*|ongewenst\w*|seksue\w*|discrimin\w*|"
            r"psychosociaal|psychosociale|intimidatie)\b"
        ),
    ),
    (
        CaseKind.MISUSE,
        re.compile(r"\b(misbruik\w*|materia\w*|middelen|vertrouwelijk\w*|informatie|beroepsgeheim|privedoeleinden)\b"),
    ),
    (
        CaseKind.RULE_BREACH,
        re.compile(
            r"\b(fraude|corruptie|inbreuk\w*|onregelmatigheid\w*|misstand\w*|integriteitsschending\w*|"
            r"schending\w*|klokkenluid\w*|belangenvermenging|omkoping|melding\w*|misdrijf|strafbaar)\b"
        ),
    ),
    # "vraag je vooraf aan" asks permission, not advice: only doubts and questions about integrity count.
    (
        CaseKind.QUESTION,
        re.compile(r"\b(twijfel\w*|dilemma\w*|met (je|jouw|al je) vragen|vragen (over|rond|bij)|advies)\b"),
    ),
)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“‘\"'(])|\n+")


@dataclass(frozen=True)
class LegalRoute:
    """The routes the law sets for a kind of organisation, and the role that is its internal reporting point."""

    point: Role
    law: Law | None  # None: no law names the point for this kind, only our default


def legal_point(kind: OrgType) -> LegalRoute:
    """The internal reporting point the law names for this kind of organisation."""
    if kind.local_authority:
        role = Role(
            id="algemeen-directeur",
            name="Algemeen directeur",
            aliases=["intern meldpunt"],
            reporting_point=Basis(basis=BasisKind.LAW, law=Law.BESTUURSDECREET),
        )
        return LegalRoute(role, Law.BESTUURSDECREET)
    if kind == OrgType.FLEMISH:
        # The Bestuursdecreet's whistleblowing rules for the Flemish administration: each entity's internal point.
        role = Role(
            id="intern-meldpunt",
            name="Intern meldpunt",
            reporting_point=Basis(basis=BasisKind.LAW, law=Law.BESTUURSDECREET),
        )
        return LegalRoute(role, Law.BESTUURSDECREET)
    role = Role(
        id="intern-meldkanaal",
        name="Intern meldkanaal",
        reporting_point=Basis(basis=BasisKind.LAW, law=Law.KLOKKENLUIDERSWET),
    )
    return LegalRoute(role, Law.KLOKKENLUIDERSWET)


LEIDINGGEVENDE = Role(id="leidinggevende", name="Leidinggevende", personal=True)


@dataclass
class Draft:
    """Everything the import proposes for the pack's routes, roles and gift rules."""

    roles: list[Role]
    routes: list[Route]
    gifts: GiftRules | None
    proposals: list[Proposal] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """The sentences (and list items) of a section's text, each literally as it stands there."""
    flat = re.sub(r"[ \t]+", " ", text)
    out = []
    for piece in SENTENCE.split(flat):
        piece = piece.strip().removeprefix("• ").strip()
        if len(piece.split()) >= 3:
            out.append(piece)
    return out


def _roles_named(sentence: str) -> list[KnownRole]:
    folded = fold(sentence)
    return [role for role in KNOWN_ROLES if any(re.search(rf"\b{re.escape(w)}\b", folded) for w in role.words)]


def _topic(sentence: str) -> CaseKind | None:
    folded = fold(sentence)
    return next((kind for kind, pattern in TOPICS if pattern.search(folded)), None)


def _found_routes(sections: list[Section]) -> list[tuple[CaseKind, KnownRole, Section, str]]:
    """Sentences that send someone with a kind of case to a named role."""
    found = []
    for section in sections:
        for sentence in sentences(section.text):
            folded = fold(sentence)
            named = _roles_named(sentence)
            if not named or not SENDS.search(folded):
                continue
            topic = _topic(sentence) or _topic(section.title)
            kinds = [topic] if topic else []
            if "intern meldpunt" in folded or "meldpunt" in folded:
                kinds.append(CaseKind.RULE_BREACH)
            for kind in dict.fromkeys(kinds):
                for role in named:
                    found.append((kind, role, section, sentence))
    return found


def _role_for(known: KnownRole, section: Section, sentence: str, point: Role) -> Role:
    if known.id == point.id or (known.id == "intern-meldpunt" and point.id == "algemeen-directeur"):
        return point.model_copy(update={"section": section.id, "description": sentence})
    aliases = [w for w in known.words if fold(w) != fold(known.name)]
    return Role(
        id=known.id,
        name=known.name,
        aliases=aliases,
        personal=known.personal,
        section=section.id,
        description=sentence,
    )


def draft(sections: list[Section], kind: OrgType) -> Draft:
    """Routes from the law for the kind of organisation, with the code's own recipients proposed first."""
    legal = legal_point(kind)
    point = legal.point
    roles: dict[str, Role] = {point.id: point}
    proposals: list[Proposal] = []
    code_steps: dict[CaseKind, list[RouteStep]] = {k: [] for k in CaseKind}
    for case_kind, known, section, sentence in _found_routes(sections):
        role = roles.get(known.id) or _role_for(known, section, sentence, point)
        if known.id == "intern-meldpunt" and point.id == "algemeen-directeur":
            role = roles[point.id]
        roles.setdefault(role.id, role)
        if any(step.role == role.id for step in code_steps[case_kind]):
            continue
        code_steps[case_kind].append(
            RouteStep(role=role.id, basis=BasisKind.CODE, section=section.id, quote=sentence, review=True)
        )
        proposals.append(
            Proposal(what="route", target=case_kind.value, role=role.id, section=section.id, quote=sentence)
        )
    personal = roles.get("leidinggevende") or roles.get("diensthoofd") or LEIDINGGEVENDE
    roles.setdefault(personal.id, personal)
    law_step = RouteStep(role=point.id, basis=BasisKind.LAW, law=legal.law)
    default = {"basis": BasisKind.DEFAULT}
    routes = []
    for case_kind in CaseKind:
        if case_kind == CaseKind.CRIME:
            continue  # only where a code routes criminal offences apart; a person adds it on review
        steps = list(code_steps[case_kind])
        if case_kind == CaseKind.RULE_BREACH:
            # The internal reporting point first: the law's terms bind it, and the reporter's own boss is never
            # the only way in.
            steps.sort(key=lambda step: step.role != point.id)
            if not any(step.role == point.id for step in steps):
                steps.insert(0, law_step)
        if case_kind in (CaseKind.RULE_BREACH, CaseKind.MISUSE):
            fallback = [RouteStep(role=personal.id, **default), law_step]
            if case_kind == CaseKind.RULE_BREACH:
                fallback = [law_step]
        else:
            fallback = [RouteStep(role=personal.id, **default), RouteStep(role=point.id, **default)]
        for step in fallback:
            if not any(s.role == step.role for s in steps):
                steps.append(step)
        routes.append(Route(kind=case_kind, roles=steps))
    gifts, gift_proposals = draft_gifts(sections)
    used = {step.role for route in routes for step in route.roles}
    ordered = [role for role in roles.values() if role.id in used]
    return Draft(ordered, routes, gifts, proposals + gift_proposals)


GIFT = re.compile(r"\b(\w*geschenk\w*|gift(en)?|\w*cadeau\w*|uitnodiging\w*|attentie\w*|voordelen|etentje\w*)\b")
REFUSE = re.compile(
    r"\b(niet (aan)?(nemen|aanvaarden|aanvaard|toegelaten|toegestaan|aannemen)|nooit|weiger\w*|verbod\w*|verboden|"
    r"geen (geschenken|giften|voordelen)|niet in op)\b"
)
DISCUSS = re.compile(r"\b(bespre\w*|overleg\w*|toestemming|op voorhand|vooraf|voorafgaand\w*|goedkeuring)\b")
REPORT = re.compile(r"\b(meld\w*|op de hoogte|laat je dit weten|registr\w*)\b")
SMALL = re.compile(
    r"\b(symbolisch\w*|kleine (materiele )?waarde|geringe waarde|beperkte waarde|klein\w* attentie\w*)\b"
)
INVITATION = re.compile(r"\b(uitnodiging\w*|uitgenodigd|etentje\w*|evenement\w*|receptie\w*|maaltijd\w*|diner\w*)\b")
REWARD = re.compile(r"\b(tegenprestatie\w*|beloning\w*|in ruil|wederdienst\w*|steekpenning\w*)\b")
MONEY = re.compile(r"\b(geld|waardebon\w*|cadeaubon\w*|cash|contant\w*)\b")


def _advice(sentence: str) -> GiftAdvice | None:
    folded = fold(sentence)
    if REFUSE.search(folded):
        return GiftAdvice.REFUSE
    if DISCUSS.search(folded):
        return GiftAdvice.DISCUSS_FIRST
    if REPORT.search(folded):
        return GiftAdvice.ACCEPT_AND_REPORT
    return None


def draft_gifts(sections: list[Section]) -> tuple[GiftRules | None, list[Proposal]]:
    """The code's sentences on gifts and invitations as gift rules; None when the code has none (the bot then says
    the code is silent on gifts and gives general advice, labelled as such)."""
    found: list[tuple[Section, str, GiftAdvice]] = []
    for section in sections:
        for sentence in sentences(section.text):
            folded = fold(sentence)
            advice = _advice(sentence)
            # A sentence on gifts, or one on money in a section on gifts ("Geld of waardebonnen weiger je altijd.").
            about = GIFT.search(folded) or (MONEY.search(folded) and GIFT.search(fold(section.title)))
            if about and advice is not None:
                found.append((section, sentence, advice))
    if not found:
        return None, []

    def pick(pattern: re.Pattern[str] | None, want: GiftAdvice | None = None) -> tuple[Section, str, GiftAdvice]:
        """The first sentence on the topic; without one, the code's first sentence on gifts, and the safe advice
        to discuss it first (never an advice the quote does not give)."""
        for section, sentence, advice in found:
            if (pattern is None or pattern.search(fold(sentence))) and (want is None or advice == want):
                return section, sentence, advice
        section, sentence, _ = found[0]
        return section, sentence, GiftAdvice.DISCUSS_FIRST

    chosen = {
        "small": pick(SMALL),
        "large": pick(None, GiftAdvice.REFUSE),
        "invitation": pick(INVITATION),
        "reward": pick(REWARD),
    }
    rules: dict[str, GiftRule] = {}
    proposals = []
    for name, (section, sentence, advice) in chosen.items():
        rules[name] = GiftRule(advice=advice, section=section.id, quote=sentence, review=True)
        proposals.append(Proposal(what="gift", target=name, advice=advice.value, section=section.id, quote=sentence))
    for name, pattern in (("money", MONEY),):
        match = next(((s, q, a) for s, q, a in found if pattern.search(fold(q))), None)
        if match is not None:
            section, sentence, advice = match
            rules[name] = GiftRule(advice=advice, section=section.id, quote=sentence, review=True)
            proposals.append(
                Proposal(what="gift", target=name, advice=advice.value, section=section.id, quote=sentence)
            )
    return GiftRules(**rules), proposals
