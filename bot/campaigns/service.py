"""Signing campaigns in the chat: start one for a team, confirm the code, and the register for whoever may see it."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import Any

from bot.campaigns.invitation import invitation
from bot.campaigns.register import figures, person_state
from bot.clock import Clock, local
from bot.delivery.recipients import LOG_CHANNEL, pick_channel
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Content, Pack
from bot.storage.audit_rows import Actor
from bot.storage.campaign_rows import Invitee, Started
from bot.storage.store import Store
from bot.vocabulary import living as say
from bot.vocabulary.turns import Card, Choice, Reply, Turn, UserRef

log = logging.getLogger(__name__)

REMIND_AFTER_DAYS = 7
START = re.compile(
    r"^\s*campagne(?:\s+(?P<newcomers>nieuwkomers|nieuwe\s+collega'?s))?(?:\s+herinner\s+na\s+(?P<days>\d{1,2})\s+dagen)?"
    r"\s*[.!]?\s*$",
    re.IGNORECASE,
)
OVERVIEW = re.compile(r"^\s*campagnes?\s*[.!?]?\s*$", re.IGNORECASE)
SHOW = re.compile(r"^\s*campagne\s+(C-\d{4}-\d{1,6})\s*$", re.IGNORECASE)
CONFIRM = re.compile(
    r"^\s*(?:de\s+)?code\s+onderschrijven\s*[.!]?\s*$|^\s*ik\s+onderschrijf\s+de\s+code\s*[.!]?\s*$", re.I
)
QUESTION = re.compile(r"^\s*vraag\s+over\s+de\s+code\s*$", re.IGNORECASE)


def address_of(user: UserRef) -> str:
    """Who a chat user is in the register: their channel and id (a Teams id in lower case)."""
    user_id = user.user_id.lower() if user.channel == "msteams" else user.user_id
    return f"{user.channel}:{user_id}"


@dataclass(frozen=True)
class Member:
    """A person of a team or list, as the channel or the CSV knows them."""

    name: str
    email: str | None = None
    teams_aad_id: str | None = None
    slack_user_id: str | None = None

    def address(self) -> str:
        """Their register address: their chat id where known, else their e-mail address."""
        if self.teams_aad_id:
            return f"msteams:{self.teams_aad_id.lower()}"
        if self.slack_user_id:
            return f"slack:{self.slack_user_id}"
        return f"email:{(self.email or '').lower()}"

    def recipient(self) -> dict[str, Any]:
        """How the outbox reaches them."""
        known = {"email": self.email, "teams_aad_id": self.teams_aad_id, "slack_user_id": self.slack_user_id}
        return {"name": self.name, **{key: value for key, value in known.items() if value}}


@dataclass
class Campaigns:
    """Starts campaigns, records confirmations and shows the register, for the people the contacts file allows."""

    store: Store
    content: Content
    directory: Directory
    channels: set[str]
    clock: Clock

    def may_run(self, org: str, user: UserRef) -> bool:
        """Whether this chat user runs campaigns for the organisation (a role under `campaigns` in the contacts)."""
        return bool(self.directory.campaign_roles(org, user.channel, user.user_id))

    async def start(
        self,
        pack: Pack,
        owner: str,
        owner_name: str,
        audience: str,
        members: list[Member],
        newcomers_only: bool = False,
        remind_after_days: int = REMIND_AFTER_DAYS,
    ) -> Started:
        """Start a campaign for these people (only those who never signed, for newcomers): each gets the message
        once, through their own chat where a channel reaches them, else by e-mail, else nobody but the register."""
        if newcomers_only:
            signed = await self.store.signed_people(pack.org)
            members = [m for m in members if self.store.person(pack.org, m.address()) not in signed]
        available = self.channels - {LOG_CHANNEL}
        invitees = [
            Invitee(m.name, m.address(), m.recipient(), pick_channel(m.recipient(), available))
            for m in members
            if m.teams_aad_id or m.slack_user_id or m.email
        ]
        if not invitees:
            return Started("", 0)

        def card(reference: str, reminder: bool) -> dict[str, Any]:
            return invitation(pack, owner_name, reference, reminder)

        started = await self.store.add_campaign(
            pack.org, pack.code.version, audience, owner, owner_name, remind_after_days, invitees, card
        )
        if not started.already_running:
            started = replace(started, no_channel=sum(invitee.channel == LOG_CHANNEL for invitee in invitees))
            log.info("campaign started for %s: %d people", pack.org, started.invited)
            by = Actor(owner, "campagne", owner.partition(":")[0])
            detail = f"{started.invited} personen, {audience}"[:300]
            await self.store.audit_by(by, "campaign-started", org=pack.org, reference=started.reference, detail=detail)
        return started

    async def in_channel(self, pack: Pack, turn: Turn, text: str, members: list[Member] | None, audience: str) -> Reply:
        """'campagne' typed in a team channel: start one for its members, if the sender may. The channel hears only
        that it started and how many were asked; the register stays in the owner's private chat."""
        match = START.match(text)
        assert match is not None
        if not self.may_run(pack.org, turn.user):
            return Reply(say.NOT_ALLOWED.format(org=pack.code.name))
        if members is None:
            return Reply(say.MEMBERS_UNKNOWN)
        newcomers = bool(match.group("newcomers"))
        days = int(match.group("days")) if match.group("days") else REMIND_AFTER_DAYS
        owner_name = turn.user.name or "De personeelsdienst"
        started = await self.start(pack, address_of(turn.user), owner_name, audience, members, newcomers, days)
        if started.already_running:
            return Reply(say.RUNNING.format(reference=started.reference, audience=audience))
        if not started.invited:
            return Reply(
                say.STARTED_NOBODY.format(audience=audience, newcomers=say.NEWCOMERS_ONLY if newcomers else "")
            )
        text = say.STARTED.format(reference=started.reference, count=started.invited, audience=audience)
        if started.no_channel:  # said now, not only in the register: these people get nothing from the bot
            text += " " + say.STARTED_NO_CHANNEL.format(count=started.no_channel)
        return Reply(text)

    async def reply(self, pack: Pack, turn: Turn, text: str) -> Reply | None:
        """A signing command in the chat, answered; None when the text is none (it goes to the lookup)."""
        if CONFIRM.match(text):
            return await self.confirm(pack, turn)
        if QUESTION.match(text):
            return Reply(say.QUESTION, choices=(Choice(say.QUESTION_ADVISER, "vertrouwenspersoon"),))
        shown = SHOW.match(text)
        if not (shown or OVERVIEW.match(text)) or not turn.user.private:
            return None
        roles = self.directory.campaign_roles(pack.org, turn.user.channel, turn.user.user_id)
        if not roles:  # not theirs to see: the words go to the lookup
            return None
        if shown:
            by = Actor(address_of(turn.user), ", ".join(sorted(roles)), turn.user.channel)
            return await self.register(pack, shown.group(1).upper(), by)
        return await self.overview(pack)

    async def welcome(self, pack: Pack, turn: Turn) -> list[Reply]:
        """On day one: the code's main points and the confirmation, in the 1:1 chat of whoever has not signed this
        version yet. Nothing is recorded until they confirm."""
        if not turn.user.private or not turn.user.user_id:
            return []
        if await self.store.has_signed(pack.org, address_of(turn.user), pack.code.version):
            return []
        card = invitation(pack, None, None)
        choices = tuple(Choice(action["label"], action["value"]) for action in [*card["actions"], *card["links"]])
        facts = tuple((label, value) for label, value in card["facts"])
        return [
            Reply(
                f"{card['title']}\n\n{card['body']}",
                choices=choices,
                card=Card(card["title"], card["body"], facts, stacked=len(card["actions"])),
            )
        ]

    async def confirm(self, pack: Pack, turn: Turn) -> Reply:
        """The person confirms they read and subscribe to the code: every campaign that asked them, once."""
        if not turn.user.private:
            return Reply(say.CONFIRM_PRIVATE)
        name = turn.user.name or "Onbekende naam"
        done, earlier = await self.store.confirm(pack.org, address_of(turn.user), name, pack.code.version)
        if not done and earlier is not None:
            day = f"{local(earlier.confirmed_at):%d/%m/%Y}"
            return Reply(
                say.CONFIRMED_BEFORE.format(org=pack.code.name, version=_version(earlier.code_version), day=day)
            )
        now = local(self.clock.now())
        version = done[0].code_version if done else pack.code.version
        log.info("code confirmed for %s (%d register rows)", pack.org, len(done))
        return Reply(
            say.CONFIRMED.format(
                org=pack.code.name, version=_version(version), day=f"{now:%d/%m/%Y}", time=f"{now:%H:%M}"
            )
        )

    async def overview(self, pack: Pack) -> Reply:
        """The organisation's campaigns with their figures."""
        rows = await self.store.campaigns_of(pack.org)
        if not rows:
            return Reply(say.NO_CAMPAIGNS.format(org=pack.code.name))
        lines = [say.CAMPAIGNS_HEAD.format(org=pack.code.name)]
        for row in rows:
            sent, confirmed, still_open = figures(row.sent, row.confirmed)
            lines.append(
                say.CAMPAIGN_LINE.format(
                    reference=row.reference,
                    day=f"{local(row.created_at):%d/%m/%Y}",
                    audience=row.audience,
                    version=_version(row.code_version),
                    sent=sent,
                    confirmed=confirmed,
                    open=still_open,
                )
            )
        lines.append(say.CAMPAIGNS_MORE.format(reference=rows[0].reference))
        return Reply("\n".join(lines))

    async def register(self, pack: Pack, reference: str, by: Actor | None = None) -> Reply:
        """Who signed, and where things stand for who has not: for the campaign's owner and the allowed roles; each
        look is in the audit trail when `by` says who looked."""
        found = await self.store.campaign(pack.org, reference)
        if found is None:
            return Reply(say.CAMPAIGN_UNKNOWN.format(reference=reference, org=pack.code.name))
        campaign, rows = found
        if by is not None:
            await self.store.audit_by(by, "viewed", org=pack.org, reference=campaign.reference, detail="register")
        signed = [row for row in rows if row.confirmed_at is not None]
        waiting = [row for row in rows if row.confirmed_at is None]
        sent, confirmed, still_open = figures(len(rows), len(signed))
        lines = [
            say.CAMPAIGN_HEAD.format(
                reference=campaign.reference,
                audience=campaign.audience,
                version=_version(campaign.code_version),
                day=f"{local(campaign.created_at):%d/%m/%Y}",
                owner=campaign.owner_name,
            ),
            say.CAMPAIGN_FIGURES.format(sent=sent, confirmed=confirmed, open=still_open),
            "",
            say.CAMPAIGN_SIGNED,
            *(
                [
                    say.CAMPAIGN_PERSON_SIGNED.format(name=r.name, day=f"{local(r.confirmed_at):%d/%m/%Y %H:%M}")
                    for r in signed
                ]
                or [say.CAMPAIGN_NONE]
            ),
            "",
            say.CAMPAIGN_OPEN,
            *(
                [say.CAMPAIGN_PERSON_OPEN.format(name=r.name, state=person_state(r)) for r in waiting]
                or [say.CAMPAIGN_NONE]
            ),
            "",
            say.CAMPAIGN_EXPORT.format(reference=campaign.reference, org=pack.org),
        ]
        return Reply("\n".join(lines))

    async def remind(self) -> int:
        """Queue the reminders due (at most two per person); run hourly by the outbox worker."""

        def card(org: str, reference: str, reminder: bool) -> dict[str, Any] | None:
            pack = self.content.packs.get(org)
            return invitation(pack, None, reference, reminder) if pack is not None else None

        queued = await self.store.remind_due(card)
        if queued:
            log.info("queued %d signing reminders", queued)
        return queued


def _version(version: str | None) -> str:
    return say.VERSION.format(version=version) if version else ""
