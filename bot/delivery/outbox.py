"""The outbox worker: delivers due notifications through their channel and retries failures with back-off."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.delivery.recipients import LOG_CHANNEL
from bot.storage.store import Store

log = logging.getLogger(__name__)
FLOW_TTL = timedelta(days=7)  # a flow left alone this long is forgotten, half-written report and all
PURGE_EVERY = timedelta(hours=1)


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
        for row in await self.store.due(moment or self.store.clock.now()):
            channel = self.channels.get(row.channel)
            try:
                if channel is None:
                    raise LookupError(f"channel '{row.channel}' is not available")
                await channel.deliver(row)
            except Exception as exc:
                attempts = row.attempts + 1
                retry_at = None if attempts >= self.max_attempts else self.store.clock.now() + self.delay(attempts)
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
        purged = await self.store.purge_flows(self.store.clock.now() - FLOW_TTL)
        if purged:
            log.info("forgot %d flows left alone for more than %d days", purged, FLOW_TTL.days)
        return purged

    async def run(self) -> None:
        """Deliver until cancelled, and forget abandoned flows hourly; a failing database is logged, never fatal."""
        last_purge = None
        while True:
            try:
                if last_purge is None or self.store.clock.now() - last_purge > PURGE_EVERY:
                    await self.purge()
                    last_purge = self.store.clock.now()
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox worker round failed; trying again")
            await asyncio.sleep(self.interval)
