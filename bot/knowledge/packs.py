"""Content pack models: an organisation's code, its roles, its routing and its gift rules, validated by pydantic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_SECTION_WORDS = 500
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=80)]
NonEmpty = Annotated[str, Field(min_length=1)]


class CaseKind(StrEnum):
    """The kinds of case a routing file must cover."""

    RULE_BREACH = "rule_breach"  # fraud, corruption, conflict of interest
    BEHAVIOUR = "behaviour"  # harassment, transgressive behaviour, discrimination
    MISUSE = "misuse"  # misuse of resources or information
    GIFT = "gift"  # a gift or invitation
    PRESS = "press"  # a press contact
    QUESTION = "question"  # a question or doubt
    CRIME = "crime"  # optional: a criminal offence, where a code routes it apart (Putte)


OPTIONAL_KINDS = frozenset({CaseKind.CRIME})


class OrgType(StrEnum):
    """What kind of organisation a pack belongs to; decides the external reporting channel."""

    MUNICIPALITY = "gemeente"
    OCMW = "ocmw"  # an OCMW on its own (most share the municipality's code and are "gemeente")
    INTERMUNICIPAL = "intergemeentelijk"
    FLEMISH = "vlaams"  # an entity of the Flemish administration
    ASSOCIATION = "vereniging"  # private law: a vzw or a company

    @property
    def local_authority(self) -> bool:
        """Whether the Bestuursdecreet's rules for local authorities (the algemeen directeur as intern meldpunt)
        apply."""
        return self in (OrgType.MUNICIPALITY, OrgType.OCMW, OrgType.INTERMUNICIPAL)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Section(_Strict):
    """One readable passage of a code, in the code's own words."""

    id: Slug
    title: NonEmpty
    chapter: str | None = None
    # Search words for this section that the code's text does not use (everyday words, examples);
    # they only help lookup find the section and are never shown as the code's words.
    keywords: list[NonEmpty] = []
    text: NonEmpty

    @model_validator(mode="after")
    def _not_too_long(self) -> Section:
        words = len(self.text.split())
        if words > MAX_SECTION_WORDS:
            raise ValueError(f"section has {words} words; split it (at most {MAX_SECTION_WORDS})")
        return self


class CodePack(_Strict):
    """code.yaml: the organisation and its code, split into sections."""

    org: Slug
    name: NonEmpty
    type: OrgType
    source: NonEmpty
    values: list[NonEmpty] = []
    # Which version of the code this is and from when, as the organisation names it; answers name it, and a case
    # keeps the version under which it was filed.
    version: str | None = None
    adopted: date | None = None
    small_value_limit_eur: float | None = Field(default=None, gt=0)
    sections: list[Section] = Field(min_length=1)

    @property
    def version_label(self) -> str | None:
        """The version as users read it ("versie 2 van 01/03/2026"), when the pack names one."""
        if self.version is None:
            return None
        try:  # a version named by its date (the import's default) reads as that day
            return f"versie van {date.fromisoformat(self.version):%d/%m/%Y}"
        except ValueError:
            return f"versie {self.version}" + (f" van {self.adopted:%d/%m/%Y}" if self.adopted else "")

    @property
    def citation(self) -> str:
        """The source as an answer cites it, with the version it quotes."""
        return f"{self.source}, {self.version_label}" if self.version_label else self.source

    @model_validator(mode="after")
    def _unique_ids(self) -> CodePack:
        seen: set[str] = set()
        for index, section in enumerate(self.sections):
            if section.id in seen:
                raise ValueError(f"sections.{index}.id: duplicate section id '{section.id}'")
            seen.add(section.id)
        return self


class BasisKind(StrEnum):
    """Where a route, a term or an advice comes from; the sentence the user reads follows from it."""

    CODE = "code"  # the organisation's own code says it, in the quoted words of a section
    LAW = "law"  # a law says it, named
    DEFAULT = "default"  # the code and the law are silent: the product's documented choice


class Law(StrEnum):
    """The laws a route or a term may rest on."""

    BESTUURSDECREET = "bestuursdecreet"  # Flemish whistleblowing rules for local authorities, art. III.60 e.v.
    KLOKKENLUIDERSWET = "klokkenluiderswet"  # federal law of 28 November 2022, private sector


class Basis(_Strict):
    """The basis of one statement: a quoted section of the code, a named law, or our default."""

    basis: BasisKind
    section: Slug | None = None
    quote: str | None = None  # literally in the section (checked at load)
    law: Law | None = None

    @model_validator(mode="after")
    def _complete(self) -> Basis:
        if self.basis == BasisKind.CODE and not (self.section and self.quote):
            raise ValueError("basis 'code' needs the 'section' and a literal 'quote' from it")
        if self.basis == BasisKind.LAW and (self.law is None or self.section or self.quote):
            raise ValueError("basis 'law' needs 'law' (and no section or quote: the code does not say it)")
        if self.basis == BasisKind.DEFAULT and (self.section or self.quote or self.law):
            raise ValueError("basis 'default' cites nothing: the code is silent (explain it in a YAML comment)")
        return self


class RouteStep(Basis):
    """One role of a route, with why it receives the case."""

    role: Slug
    review: bool = False  # proposed by the import, still to be checked by the integrity officer


class ResponseTerm(Basis):
    """A term the code itself sets for a role to answer, such as VVSG's 'binnen de twee weken'."""

    days: int = Field(gt=0)


class Role(_Strict):
    """A role the code names, with exactly the contact details the code itself gives."""

    id: Slug
    name: NonEmpty
    aliases: list[NonEmpty] = []
    description: str | None = None
    section: Slug | None = None  # the section that names the role; none when only the law or our default does
    phone: list[NonEmpty] = []
    email: list[NonEmpty] = []
    address: str | None = None
    url: str | None = None
    # The employee's own leidinggevende or diensthoofd: a different person for everyone, so the
    # user names them and the deployment does not configure one person for the role.
    personal: bool = False
    # The internal reporting point of the whistleblowing rules (7 days to acknowledge, 3 months for feedback),
    # and why: the code names it, or the law makes the algemeen directeur of a local authority that point.
    reporting_point: Basis | None = None
    response: ResponseTerm | None = None  # a term of the code's own for this role


class ContactsPack(_Strict):
    """contacts.yaml: the roles an organisation's code names."""

    roles: list[Role] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> ContactsPack:
        seen: set[str] = set()
        for index, role in enumerate(self.roles):
            if role.id in seen:
                raise ValueError(f"roles.{index}.id: duplicate role id '{role.id}'")
            seen.add(role.id)
        return self


class Route(_Strict):
    """Who receives one kind of case: roles in escalation order, each with the basis for sending it there."""

    kind: CaseKind
    roles: list[RouteStep] = Field(min_length=1)

    @property
    def role_ids(self) -> list[str]:
        """The roles in escalation order."""
        return [step.role for step in self.roles]

    def step(self, role_id: str) -> RouteStep | None:
        """The step of this route for a role, if the route names it."""
        return next((step for step in self.roles if step.role == role_id), None)


class RoutingPack(_Strict):
    """routing.yaml: for each kind of case, the roles the code sends it to."""

    routes: list[Route]

    @model_validator(mode="after")
    def _every_kind_once(self) -> RoutingPack:
        kinds = [route.kind for route in self.routes]
        for kind in CaseKind:
            allowed = (0, 1) if kind in OPTIONAL_KINDS else (1,)
            if kinds.count(kind) not in allowed:
                raise ValueError(f"kind '{kind.value}' must have exactly one route (found {kinds.count(kind)})")
        return self


@dataclass(frozen=True)
class Pack:
    """One organisation's validated content."""

    code: CodePack
    contacts: ContactsPack
    routing: RoutingPack
    gifts: GiftRules | None = None  # None: the code says nothing about gifts
    faq: Faq | None = None  # questions staff ask, each with the sentence of the code that answers it
    dilemmas: Dilemmas | None = None  # situations to practise, from the code's own examples
    signing: Signing | None = None  # what a person confirms when they sign the code; None: our default text
    directory: Path | None = None  # where the pack was read from; its stored vectors live there too

    @property
    def org(self) -> str:
        """The organisation's slug."""
        return self.code.org

    def section(self, section_id: str) -> Section | None:
        """The section with this id, if any."""
        return next((s for s in self.code.sections if s.id == section_id), None)

    def role(self, role_id: str) -> Role | None:
        """The role with this id, if any."""
        return next((r for r in self.contacts.roles if r.id == role_id), None)

    def route(self, kind: CaseKind) -> Route:
        """The route for one kind of case (validation guarantees one for every kind but the optional ones)."""
        return next(r for r in self.routing.routes if r.kind == kind)

    def has_route(self, kind: CaseKind) -> bool:
        """Whether the code routes this (optional) kind apart."""
        return any(r.kind == kind for r in self.routing.routes)


class GiftAdvice(StrEnum):
    """What a code tells an employee to do with a gift or invitation."""

    ACCEPT_AND_REPORT = "accept_and_report"
    ACCEPT_AND_SHARE = "accept_and_share"  # accept, but not for yourself: share it or hand it in, and report it
    DISCUSS_FIRST = "discuss_first"
    REFUSE = "refuse"


class GiftRule(_Strict):
    """One rule of a code about gifts: the advice and the code's own words for it."""

    advice: GiftAdvice
    section: Slug
    quote: NonEmpty  # literally from that section; checked at load
    # The code's own conditions for this advice (each literal); when none holds, the gift is refused.
    conditions: list[NonEmpty] = []
    also: list[NonEmpty] = []  # further literal sentences of the section that the advice must mention
    review: bool = False  # proposed by the import, still to be checked by the integrity officer


class FaqEntry(_Strict):
    """A question staff ask in their own words, and the words of the sentence of the code that answers it."""

    question: NonEmpty
    answer: NonEmpty  # literally in the section's text: it points lookup at the passage to show


class Faq(_Strict):
    """faq.yaml (optional): per section, the questions it answers. Lookup searches them with the section and
    shows the sentence their answer points at; they are never shown as the code's words."""

    org: Slug
    sections: dict[Slug, list[FaqEntry]]


class GiftRules(_Strict):
    """gifts.yaml (optional): how a code treats gifts, for the gift declaration's advice."""

    small: GiftRule  # a symbolic gift or one of small value, nothing expected in return
    large: GiftRule  # more than that
    invitation: GiftRule  # an invitation, meal or event
    reward: GiftRule  # a reward for a service, or something expected in return
    money: GiftRule | None = None  # money or a voucher, where the code says it; else general advice
    pending: GiftRule | None = None  # a decision of the giver pending, where the code says it; else general advice
    doubt: GiftRule | None = None  # when the employee cannot tell; falls back to discussing it first
    small_examples: list[NonEmpty] = []  # the code's own examples of what counts as small

    def rules(self) -> list[tuple[str, GiftRule]]:
        """Every rule with its field name, for validation."""
        named = [("small", self.small), ("large", self.large), ("invitation", self.invitation)]
        named += [("reward", self.reward), ("money", self.money), ("pending", self.pending), ("doubt", self.doubt)]
        return [(name, rule) for name, rule in named if rule is not None]


class Dilemma(_Strict):
    """A situation from the code's own examples, three or four reactions, and the one the code's words support."""

    id: Slug
    situation: NonEmpty
    options: list[NonEmpty] = Field(min_length=3, max_length=4)
    answer: int = Field(ge=0)  # the index of the option the code supports
    explanation: NonEmpty
    section: Slug
    quote: NonEmpty  # literally in that section; checked at load

    @model_validator(mode="after")
    def _answer_is_an_option(self) -> Dilemma:
        if self.answer >= len(self.options):
            raise ValueError(f"answer {self.answer} is not one of the {len(self.options)} options")
        return self


class Dilemmas(_Strict):
    """dilemmas.yaml (optional): situations to practise, alone or with the team, each answered by the code."""

    org: Slug
    dilemmas: list[Dilemma] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Dilemmas:
        ids = [dilemma.id for dilemma in self.dilemmas]
        if len(ids) != len(set(ids)):
            raise ValueError("dilemma ids must be unique")
        return self

    def find(self, dilemma_id: str) -> Dilemma | None:
        """The dilemma with this id, if any."""
        return next((d for d in self.dilemmas if d.id == dilemma_id), None)


class SigningPoint(_Strict):
    """One main point of the code, in its own words: a sentence that stands literally in the section."""

    section: Slug
    quote: NonEmpty


class Signing(_Strict):
    """signing.yaml (optional): what the code is for and its main points, quoted, shown to whoever is asked to sign
    it; and the code's own signing text where it has one (VVSG's "voor akkoord"), which is then what they confirm."""

    org: Slug
    purpose: SigningPoint  # why the code exists, in its words
    points: list[SigningPoint] = Field(min_length=2, max_length=6)
    statement: SigningPoint | None = None  # the code's own text to sign; None: our default sentence

    def quotes(self) -> list[tuple[str, SigningPoint]]:
        """Every quoted point with where it is in the file, for the load-time check."""
        named = [("purpose", self.purpose), *((f"points.{i}", point) for i, point in enumerate(self.points))]
        return named + ([("statement", self.statement)] if self.statement else [])


class Synonyms(_Strict):
    """content/synonyms.yaml: everyday words mapped to the code's words."""

    synonyms: dict[NonEmpty, list[NonEmpty]]


@dataclass
class Content:
    """All packs plus the shared synonyms."""

    packs: dict[str, Pack]
    synonyms: dict[str, list[str]] = field(default_factory=dict)
