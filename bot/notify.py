"""Notifications: who receives them, the neutral cards, and the outbox worker that delivers and retries."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.content import Pack
from bot.dialogs import texts as dt
from bot.dialogs.outcomes import ContactOutcome, GiftOutcome, ReportOutcome
from bot.directory import Directory
from bot.store import Notification, Store, now

log = logging.getLogger(__name__)
LOG_CHANNEL = "log"
FLOW_TTL = timedelta(days=7)  # a flow left alone this long is forgotten, half-written report and all
PURGE_EVERY = timedelta(hours=1)
GIFT_KINDS = {
    "gift": "geschenk",
    "invitation": "uitnodiging, etentje of evenement",
    "money": "geld of waardebon",
    "service": "korting of dienst",
}


def recipients(pack: Pack, directory: Directory, role_id: str, named: str | None = None) -> list[dict[str, Any]]:
    """Whom to notify for a role: the person the user named for a personal role, else the configured people."""
    role = pack.role(role_id)
    if role is not None and role.personal and named:
        return [{"email": named} if "@" in named else {"name": named}]
    people = directory.people(pack.org, role_id)
    if people:
        return [person.model_dump(exclude_none=True) for person in people]
    return [{}]  # nobody configured: the role itself is notified, and start-up warned about it


def pick_channel(recipient: dict[str, Any], available: set[str]) -> str:
    """The channel registered for this recipient: Teams, Slack or e-mail when available, else the log."""
    for channel, key in (("msteams", "teams_aad_id"), ("slack", "slack_user_id"), ("email", "email")):
        if channel in available and recipient.get(key):
            return channel
    return LOG_CHANNEL


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


def report_card(pack: Pack, outcome: ReportOutcome, reference: str, today: date) -> dict[str, Any]:
    """A report's card: reference, kind, date and how to open it; never the description or the reporter."""
    body = (
        f"Er is een nieuwe melding voor jou als {_role_name(pack, outcome.recipient_role).lower()}. "
        f"Open ze in een privégesprek met de Integriteitsbot: typ 'melding {reference}'. "
        "Bevestig de ontvangst aan de melder binnen 7 dagen."
    )
    facts = [
        ("Referentie", reference),
        ("Soort", dt.KIND_SHORT[outcome.kind]),
        ("Ontvangen op", today.strftime("%d/%m/%Y")),
    ]
    return _card(f"Nieuwe melding {reference}", body, facts, [("Open de melding", f"melding {reference}")])


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
        ("Wat", GIFT_KINDS.get(outcome.gift_kind, outcome.gift_kind)),
        ("Gever", outcome.giver),
        ("Waarde", value),
        ("Al ontvangen", outcome.received),
        ("Advies van de bot", dt.ADVICE_SHORT[outcome.advice]),
        ("Datum", today.strftime("%d/%m/%Y")),
    ]
    if outcome.advice_section:
        facts.append(("Deel van de code", outcome.advice_section))
    body = f"{outcome.employee.name} meldde een geschenk of uitnodiging. Het staat in het geschenkenregister."
    return _card(f"Geschenk gemeld: {reference}", body, facts)


def contact_card(pack: Pack, outcome: ContactOutcome, reference: str, today: date) -> dict[str, Any]:
    """A contact request's card: who asks and how to reach them; the topic only when they gave one."""
    facts = [("Referentie", reference), ("Van", outcome.requester.name), ("Bereikbaar via", outcome.reach)]
    if outcome.note:
        facts.append(("Onderwerp", outcome.note))
    body = f"{outcome.requester.name} vraagt discreet om contact met de {_role_name(pack, outcome.role).lower()}."
    return _card(f"Vraag om contact {reference}", body, facts)


def notifications(
    pack: Pack,
    directory: Directory,
    role_id: str,
    named: str | None,
    kind: str,
    card: dict[str, Any],
    available: set[str],
) -> list[Notification]:
    """One notification per person who fills the role."""
    return [
        Notification(role_id, recipient, pick_channel(recipient, available), kind, card)
        for recipient in recipients(pack, directory, role_id, named)
    ]


class Channel(Protocol):
    """A way to deliver a notification; raises when it could not."""

    async def deliver(self, row: Any) -> None:
        """Deliver one outbox row."""


class LogChannel:
    """Writes notifications to the service log, until Teams, Slack and e-mail delivery arrive."""

    async def deliver(self, row: Any) -> None:
        """Log the card for its recipient; the card carries nothing a log may not hold."""
        recipient = row.recipient.get("name") or row.recipient.get("email") or "(niemand ingesteld)"
        facts = "; ".join(f"{key}: {value}" for key, value in row.card.get("facts", []))
        log.info(
            "notification #%s to %s (%s) via log: %s | %s",
            row.id,
            row.recipient_role,
            recipient,
            row.card["title"],
            facts,
        )


@dataclass
class OutboxWorker:
    """Delivers due outbox rows through their channel; failures are retried with exponential back-off."""

    store: Store
    channels: dict[str, Channel] = field(default_factory=lambda: {LOG_CHANNEL: LogChannel()})
    interval: float = 1.0
    base_delay: float = 5.0
    max_delay: float = 3600.0
    max_attempts: int = 15  # about a day of retries; then the row waits for `integriteitsbot outbox retry`

    def delay(self, attempts: int) -> timedelta:
        """How long to wait after the n-th failed attempt."""
        return timedelta(seconds=min(self.base_delay * 2 ** max(attempts - 1, 0), self.max_delay))

    async def run_once(self, moment: datetime | None = None) -> int:
        """Deliver every due row once; returns how many were delivered."""
        delivered = 0
        for row in await self.store.due(moment or now()):
            channel = self.channels.get(row.channel)
            try:
                if channel is None:
                    raise LookupError(f"channel '{row.channel}' is not available")
                await channel.deliver(row)
            except Exception as exc:
                attempts = row.attempts + 1
                retry_at = None if attempts >= self.max_attempts else now() + self.delay(attempts)
                await self.store.mark_attempt_failed(row.id, f"{type(exc).__name__}: {exc}", retry_at)
                log.warning(
                    "notification #%s (%s) failed, attempt %d: %s; %s",
                    row.id,
                    row.reference,
                    attempts,
                    exc,
                    f"retry at {retry_at:%H:%M:%S}" if retry_at else "giving up until 'integriteitsbot outbox retry'",
                )
                continue
            if await self.store.mark_delivered(row.id):
                delivered += 1
        return delivered

    async def purge(self) -> int:
        """Forget abandoned flows; returns how many."""
        purged = await self.store.purge_flows(now() - FLOW_TTL)
        if purged:
            log.info("forgot %d flows left alone for more than %d days", purged, FLOW_TTL.days)
        return purged

    async def run(self) -> None:
        """Deliver until cancelled, and forget abandoned flows hourly; a failing database is logged, never fatal."""
        last_purge = None
        while True:
            try:
                if last_purge is None or now() - last_purge > PURGE_EVERY:
                    await self.purge()
                    last_purge = now()
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox worker round failed; trying again")
            await asyncio.sleep(self.interval)
