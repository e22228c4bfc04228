"""Deployment contacts: the real people behind each role of each organisation (INTEGRITEITSBOT_CONTACTS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.knowledge.content import DEFAULT_CONTENT_DIR
from bot.knowledge.packs import Content
from bot.knowledge.routing import receiving_roles
from bot.vocabulary.people import identify, same_user

DEFAULT_CONTACTS_FILE = DEFAULT_CONTENT_DIR / "contacts.demo.yaml"


class DirectoryError(ValueError):
    """The contacts file is missing, unreadable or names unknown organisations or roles."""


class Person(BaseModel):
    """One person who fills a role, with the addresses the bot can reach them on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    email: str | None = None
    teams_aad_id: str | None = None
    slack_user_id: str | None = None

    def channel_ids(self) -> dict[str, str]:
        """This person's user id per chat channel, where known."""
        ids = {"msteams": self.teams_aad_id, "slack": self.slack_user_id}
        return {channel: user_id for channel, user_id in ids.items() if user_id}


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    demo: bool = False  # a fictional example file; the service says so at start-up
    orgs: dict[str, dict[str, list[Person]]] = {}
    # Who may run signing campaigns and see their register, per organisation and role (HR, the integrity adviser):
    # roles of the deployment, not of the code, so any name will do.
    campaigns: dict[str, dict[str, list[Person]]] = {}


@dataclass(frozen=True)
class Directory:
    """Who fills which role, per organisation."""

    orgs: dict[str, dict[str, list[Person]]] = field(default_factory=dict)
    demo: bool = False
    source: str = ""
    mail_domains: tuple[str, ...] = ()  # INTEGRITEITSBOT_MAIL_DOMAINS: where a typed address may be mailed
    campaigns: dict[str, dict[str, list[Person]]] = field(default_factory=dict)

    def campaign_roles(self, org: str, channel: str, user_id: str) -> set[str]:
        """The roles in which a chat user may run signing campaigns and read their register (none: may not)."""
        return {
            role
            for role, people in self.campaigns.get(org, {}).items()
            if any(
                (known := person.channel_ids().get(channel)) and same_user(channel, known, user_id) for person in people
            )
        }

    def contact_by_email(self, org: str, address: str) -> Person | None:
        """The contact of an organisation with this e-mail address (compared without case), if any."""
        wanted = address.strip().lower()
        for people in self.orgs.get(org, {}).values():
            for person in people:
                if person.email and person.email.lower() == wanted:
                    return person
        return None

    def may_mail(self, org: str, address: str) -> bool:
        """Whether the bot may mail this address: a contact's own, or one in the organisation's mail domains. The
        bot never mails an address only because someone typed it."""
        if self.contact_by_email(org, address) is not None:
            return True
        domain = address.strip().lower().rpartition("@")[2]
        return any(domain == own or domain.endswith("." + own) for own in self.mail_domains)

    def people(self, org: str, role_id: str) -> list[Person]:
        """The people configured for a role (empty when none are)."""
        return list(self.orgs.get(org, {}).get(role_id, []))

    def person(self, org: str, channel: str, user_id: str) -> Person | None:
        """The contact with this chat id in an organisation, if any (Teams ids compared in lower case)."""
        for people in self.orgs.get(org, {}).values():
            for person in people:
                known = person.channel_ids().get(channel)
                if known and same_user(channel, known, user_id):
                    return person
        return None

    def same_person(self, org: str, channel: str, user_id: str, other_channel: str, other_id: str) -> bool:
        """Whether two chat identities are one person: the same id on the same channel, or the same person of the
        contacts file known on both channels (declared in Teams, pressed in Slack)."""
        if channel == other_channel and same_user(channel, user_id, other_id):
            return True
        known = self.person(org, channel, user_id)
        return known is not None and known == self.person(org, other_channel, other_id)

    def is_named(self, org: str, stored: str | None, channel: str, user_id: str) -> bool:
        """Whether a person stored in a record (picked, or typed as a contact) is this chat user (same_person)."""
        _, stored_channel, stored_id = identify(stored)
        return bool(stored_channel and stored_id) and self.same_person(
            org, stored_channel or "", stored_id or "", channel, user_id
        )

    def roles_of(self, org: str, channel: str, user_id: str) -> set[str]:
        """The roles a chat user fills in an organisation, by their channel user id."""
        return {
            role_id
            for role_id, people in self.orgs.get(org, {}).items()
            if any(person.channel_ids().get(channel) == user_id for person in people)
        }

    def unstaffed(self, content: Content) -> list[tuple[str, str]]:
        """(org, role) pairs that receive cases but have nobody configured; personal roles are named by users."""
        return [
            (org, role.id)
            for org, pack in sorted(content.packs.items())
            for role in receiving_roles(pack)
            if not role.personal and not self.people(org, role.id)
        ]


def load_directory(path: Path, content: Content, mail_domains: tuple[str, ...] = ()) -> Directory:
    """Read and check a contacts file against the loaded packs, with the domains a typed address may be mailed
    in; raise DirectoryError naming each problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        parsed = _File.model_validate(data)
    except FileNotFoundError as exc:
        raise DirectoryError(f"contacts file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise DirectoryError(f"{path}: invalid YAML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DirectoryError(f"{path}: {problems}") from exc
    problems = []
    for org, roles in parsed.orgs.items():
        pack = content.packs.get(org)
        if pack is None:
            # The demo file names the shipped packs; a content directory of its own (a code just imported) lacks
            # them, and its new organisation simply has nobody yet. A real file naming an unknown one has a typo.
            if not parsed.demo:
                problems.append(f"orgs.{org}: unknown organisation")
            continue
        for role_id in roles:
            role = pack.role(role_id)
            if role is None:
                problems.append(f"orgs.{org}.{role_id}: unknown role")
            elif role.personal:
                problems.append(f"orgs.{org}.{role_id}: each employee names their own {role.name.lower()} in the chat")
    problems += [
        f"campaigns.{org}: unknown organisation"
        for org in parsed.campaigns
        if org not in content.packs and not parsed.demo
    ]
    if problems:
        raise DirectoryError(f"{path}: " + "; ".join(problems))
    return Directory(parsed.orgs, parsed.demo, str(path), tuple(mail_domains), parsed.campaigns)
