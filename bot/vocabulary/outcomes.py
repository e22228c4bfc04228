"""What a confirmed flow produces: plain values the conversation stores in one transaction, and a receipt code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """Someone who sent something under their own name, with where the channel knows them."""

    name: str
    channel: str
    user_id: str
    conversation_id: str


@dataclass(frozen=True)
class ReportOutcome:
    """A confirmed report of a suspicion; `reporter` is None for an anonymous report."""

    org: str
    kind: str  # rule_breach, behaviour, misuse or unsure
    route_kind: str  # the routing.yaml kind that chose the recipient
    recipient_role: str
    recipient_person: str | None  # typed by the user when the role is their own leidinggevende
    section: str | None
    description: str
    when: str
    where: str | None
    evidence: str
    reporter: Person | None
    code_version: str | None = None  # the version of the code the report was filed under


@dataclass(frozen=True)
class GiftOutcome:
    """A confirmed declaration for the gift register."""

    org: str
    employee: Person
    gift_kind: str
    giver_type: str
    giver: str
    value_eur: float | None
    small: str | None  # ja / nee / onbekend, when asked
    pending: str
    reward: str
    received: str
    advice: str
    advice_section: str | None
    manager_role: str
    manager: str | None
    code_version: str | None = None  # the version of the code whose advice was given
    description: str | None = None  # what the gift was, in the employee's own words, when they typed it


@dataclass(frozen=True)
class ContactOutcome:
    """A discreet request that an adviser contacts the user."""

    org: str
    role: str
    requester: Person
    reach: str
    note: str | None


@dataclass(frozen=True)
class AddendumOutcome:
    """Extra information for an existing report, added with its receipt code."""

    org: str
    case_id: int
    reference: str
    text: str


@dataclass(frozen=True)
class Receipt:
    """A new receipt code, as shown to the user, with what the store keeps of it."""

    code: str
    selector: str
    hash: str
