"""The signing queries of the store: campaigns, their messages through the outbox, the register and reminders."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import BRUSSELS, Clock, stored
from bot.storage import db
from bot.storage.crypto import FieldCipher, PlainRow
from bot.storage.filing_rows import Notification, _next_number, outbox_row
from bot.storage.secret import ServerSecret

WELCOME = "onthaal"  # the register's source for a confirmation given from the welcome, outside any campaign


@dataclass(frozen=True)
class Invitee:
    """A person a campaign asks to sign: their name, how they are reached, and the channel to use."""

    name: str
    address: str  # "msteams:<aad id>", "slack:<member id>" or "email:<address>": who they are in the register
    recipient: dict[str, Any]  # name, email, teams_aad_id, slack_user_id: as the outbox reaches people
    channel: str


@dataclass(frozen=True)
class Started:
    """A campaign as started (or found running already for the same people and version)."""

    reference: str
    invited: int
    already_running: bool = False
    no_channel: int = 0  # of those invited, how many no channel reaches (their message only goes to the log)


class CampaignRows:
    """Mixed into Store: campaigns, the register (attestations) and their outbox rows."""

    engine: AsyncEngine
    clock: Clock
    fields: FieldCipher
    secret: ServerSecret
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    def person(self, org: str, address: str) -> str:
        """The register's pseudonym of a person (see ServerSecret.person_key)."""
        return self.secret.person_key(org, address.lower())

    async def signed_people(self, org: str) -> set[str]:
        """The pseudonyms of everyone who ever confirmed a version of this organisation's code."""
        at = db.attestations.c
        query = select(at.person).where(at.org == org, at.confirmed_at.is_not(None))
        async with self.engine.connect() as conn:
            return set((await conn.execute(query)).scalars())

    async def add_campaign(
        self,
        org: str,
        version: str | None,
        audience: str,
        owner: str,
        owner_name: str,
        remind_after_days: int,
        invitees: list[Invitee],
        card: Callable[[str, bool], dict[str, Any]],
    ) -> Started:
        """Start a campaign: the campaign, a register row and one outbox message per person, in one transaction.
        The same audience and version with people still open is the running campaign, not a second one."""
        now = self.clock.now()
        async with self._write() as conn:
            running = await self._running(conn, org, audience, version)
            if running is not None:
                return Started(running, 0, already_running=True)
            year = now.astimezone(BRUSSELS).year
            number = await _next_number(conn, "campaigns", org, year)
            reference = f"C-{year}-{number:04d}"
            values = {
                "org": org,
                "reference": reference,
                "year": year,
                "number": number,
                "code_version": version,
                "audience": audience,
                "owner": owner,
                "owner_name": owner_name,
                "remind_after_days": remind_after_days,
                "created_at": now,
            }
            result = await conn.execute(insert(db.campaigns).values(**self.fields.encrypt("campaigns", values)))
            campaign_id = result.inserted_primary_key[0]
            seen: set[str] = set()
            for person in invitees:
                pseudonym = self.person(org, person.address)
                if pseudonym in seen:  # one person twice in a list, or in Teams and by address: once
                    continue
                seen.add(pseudonym)
                message = card(reference, False)
                await self._send(conn, org, reference, version, person, message, now, campaign_id, pseudonym)
        return Started(reference, len(seen))

    async def _running(self, conn: AsyncConnection, org: str, audience: str, version: str | None) -> str | None:
        """The reference of a campaign for these people and this version that still waits on someone."""
        camp, at = db.campaigns.c, db.attestations.c
        query = (
            select(camp.reference, camp.audience)
            .join(db.attestations, at.campaign_id == camp.id)
            .where(camp.org == org, at.confirmed_at.is_(None))
            .where(camp.code_version.is_(None) if version is None else camp.code_version == version)
        )
        for row in (await conn.execute(query)).all():
            if row.audience == audience:
                return row.reference
        return None

    async def _send(
        self,
        conn: AsyncConnection,
        org: str,
        reference: str,
        version: str | None,
        person: Invitee,
        card: dict[str, Any],
        now: datetime,
        campaign_id: int,
        pseudonym: str,
    ) -> None:
        """One register row and its message, in the caller's transaction."""
        key = secrets.token_hex(16)
        note = Notification("medewerker", person.recipient, person.channel, "attest", card)
        await conn.execute(insert(db.outbox).values(**outbox_row(self.fields, org, reference, note, now, key)))
        values = {
            "org": org,
            "campaign_id": campaign_id,
            "source": reference,
            "person": pseudonym,
            "name": person.name,
            "address": {"address": person.address, **person.recipient, "channel": person.channel},
            "code_version": version,
            "sent_at": now,
            "reminders": 0,
            "last_sent_at": now,
            "outbox_key": key,
        }
        await conn.execute(insert(db.attestations).values(**self.fields.encrypt("attestations", values)))

    async def confirm(self, org: str, address: str, name: str, version: str | None) -> tuple[list[Any], Any]:
        """Confirm every open register row of this person in this organisation, once: (rows confirmed now, the
        earlier confirmation of this version if there is one). With nothing open and nothing confirmed for the
        version, the confirmation is recorded as given from the welcome."""
        now, at = self.clock.now(), db.attestations.c
        pseudonym = self.person(org, address)
        async with self._write() as conn:
            open_rows = (
                await conn.execute(
                    select(db.attestations).where(at.org == org, at.person == pseudonym, at.confirmed_at.is_(None))
                )
            ).all()
            done = []
            for row in open_rows:
                changed = await conn.execute(
                    update(db.attestations)
                    .where(at.id == row.id, at.confirmed_at.is_(None))  # a double click confirms once
                    .values(confirmed_at=now)
                )
                if changed.rowcount:
                    done.append(self.fields.decrypt("attestations", row))
            earlier = None
            if not done:  # nothing open now: confirmed before (or just now, by a replica), or never asked
                earlier = (
                    await conn.execute(
                        select(db.attestations)
                        .where(at.org == org, at.person == pseudonym, at.confirmed_at.is_not(None))
                        .where(at.code_version.is_(None) if version is None else at.code_version == version)
                        .order_by(at.confirmed_at)
                        .limit(1)
                    )
                ).first()
            if not done and earlier is None:
                values = {
                    "org": org,
                    "campaign_id": None,
                    "source": WELCOME,
                    "person": pseudonym,
                    "name": name,
                    "address": {"address": address},
                    "code_version": version,
                    "reminders": 0,
                    "confirmed_at": now,
                }
                dialect_insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
                sealed = self.fields.encrypt("attestations", values)
                added = await conn.execute(dialect_insert(db.attestations).values(**sealed).on_conflict_do_nothing())
                if added.rowcount:  # a second press at the same moment, on another replica, adds nothing
                    done.append(self.fields.decrypt("attestations", PlainRow(sealed)))
        return done, self.fields.decrypt("attestations", earlier) if earlier is not None else None

    async def has_signed(self, org: str, address: str, version: str | None) -> bool:
        """Whether this person confirmed this version of the code (in a campaign or from the welcome)."""
        at = db.attestations.c
        query = select(func.count()).where(
            at.org == org,
            at.person == self.person(org, address),
            at.confirmed_at.is_not(None),
            at.code_version.is_(None) if version is None else at.code_version == version,
        )
        async with self.engine.connect() as conn:
            return bool((await conn.execute(query)).scalar_one())

    async def campaigns_of(self, org: str) -> list[Any]:
        """The organisation's campaigns, newest first, each with how many were asked and how many confirmed."""
        camp, at = db.campaigns.c, db.attestations.c
        query = (
            select(
                db.campaigns,
                func.count(at.id).label("sent"),
                func.count(at.confirmed_at).label("confirmed"),
            )
            .join(db.attestations, at.campaign_id == camp.id, isouter=True)
            .where(camp.org == org)
            .group_by(*db.campaigns.c)
            .order_by(camp.id.desc())
        )
        async with self.engine.connect() as conn:
            return self.fields.decrypt_all("campaigns", (await conn.execute(query)).all())

    async def campaign(self, org: str, reference: str) -> tuple[Any, list[Any]] | None:
        """A campaign and its register, each row with what became of its latest message (delivery, its channel and
        attempts), names in alphabetical order."""
        camp, at, out = db.campaigns.c, db.attestations.c, db.outbox.c
        async with self.engine.connect() as conn:
            found = (
                await conn.execute(select(db.campaigns).where(camp.org == org, camp.reference == reference.upper()))
            ).first()
            if found is None:
                return None
            people = (await conn.execute(select(db.attestations).where(at.campaign_id == found.id))).all()
            # Each message, and any hand-over of it to another channel (its key with the channel after it); read
            # once and matched by key here, rather than joined on a prefix, which no index serves.
            sent = (
                await conn.execute(
                    select(out.idempotency_key, out.status, out.channel, out.attempts, out.id)
                    .where(out.org == org, out.reference == found.reference, out.kind == "attest")
                    .order_by(out.id)
                )
            ).all()
        latest = {str(row.idempotency_key)[:32]: row for row in sent}  # the last hand-over tells where it stands
        register = []
        for person in self.fields.decrypt_all("attestations", people):
            message = latest.get(str(person.outbox_key or "")[:32])
            extra = {
                "delivery": message.status if message else None,
                "delivery_channel": message.channel if message else None,
                "attempts": message.attempts if message else 0,
            }
            register.append(PlainRow({**dict(person._mapping), **extra}))
        return self.fields.decrypt("campaigns", found), sorted(register, key=lambda row: row.name.lower())

    async def delete_campaign(self, org: str, reference: str) -> int:
        """Delete a campaign with its register (the personnel file keeps its export); how many rows went. Messages
        still waiting for delivery go too, so nobody is asked to sign for a campaign that no longer exists."""
        camp, at, out = db.campaigns.c, db.attestations.c, db.outbox.c
        async with self._write() as conn:
            found = (
                await conn.execute(select(camp.id).where(camp.org == org, camp.reference == reference.upper()))
            ).first()
            if found is None:
                return 0
            gone = await conn.execute(delete(db.attestations).where(at.campaign_id == found.id))
            await conn.execute(
                delete(db.outbox).where(
                    out.org == org, out.reference == reference.upper(), out.kind == "attest", out.status == "pending"
                )
            )
            await conn.execute(delete(db.campaigns).where(camp.id == found.id))
        return gone.rowcount or 0

    async def welcome_register(self, org: str) -> list[Any]:
        """Confirmations given from the welcome, outside a campaign."""
        at = db.attestations.c
        query = select(db.attestations).where(at.org == org, at.source == WELCOME).order_by(at.confirmed_at)
        async with self.engine.connect() as conn:
            return self.fields.decrypt_all("attestations", (await conn.execute(query)).all())

    async def remind_due(self, card: Callable[[str, str, bool], dict[str, Any] | None], most: int = 2) -> int:
        """Queue a reminder to everyone of a campaign who has not confirmed after its number of days, at most
        `most` times each. Each reminder is claimed by a conditional update first, so two replicas (or a retry)
        never send the same one twice. Returns how many were queued."""
        now, at, camp = self.clock.now(), db.attestations.c, db.campaigns.c
        query = (
            select(db.attestations, camp.remind_after_days, camp.reference.label("reference"))
            .join(db.campaigns, camp.id == at.campaign_id)
            .where(at.confirmed_at.is_(None), at.reminders < most, camp.remind_after_days > 0)
        )
        async with self.engine.connect() as conn:
            rows = self.fields.decrypt_all("attestations", (await conn.execute(query)).all())
        queued = 0
        for row in rows:
            if stored(row.last_sent_at) + timedelta(days=row.remind_after_days) > now:
                continue
            message = card(row.org, row.reference, True)
            if message is None:  # the organisation's pack is gone: nothing to remind of
                continue
            key = secrets.token_hex(16)
            async with self._write() as conn:
                claimed = await conn.execute(
                    update(db.attestations)
                    .where(
                        at.id == row.id,
                        at.reminders == row.reminders,
                        at.confirmed_at.is_(None),
                        or_(at.last_sent_at.is_(None), at.last_sent_at == row.last_sent_at),
                    )
                    .values(reminders=at.reminders + 1, last_sent_at=now, outbox_key=key)
                )
                if not claimed.rowcount:
                    continue
                recipient = {k: v for k, v in row.address.items() if k not in ("address", "channel")}
                note = Notification("medewerker", recipient, row.address.get("channel", "log"), "attest", message)
                await conn.execute(
                    insert(db.outbox).values(**outbox_row(self.fields, row.org, row.reference, note, now, key))
                )
            queued += 1
        return queued
