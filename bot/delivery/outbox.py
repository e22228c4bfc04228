"""The outbox worker: delivers due notifications through their channel and retries failures with back-off."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot import metrics
from bot.clock import stored
from bot.delivery.recipients import LOG_CHANNEL, pick_channel
from bot.storage.filing import SENT_FLOW, SHOW_AGAIN_FOR
from bot.storage.outbox_rows import tag
from bot.storage.store import Store

log = logging.getLogger(__name__)
FLOW_TTL = timedelta(days=7)  # a flow left alone this long is forgotten, half-written report and all
PURGE_EVERY = timedelta(hours=1)
RETENTION_EVERY = timedelta(days=1)


class RetryLater(RuntimeError):
    """The channel asks to wait before the next attempt (Slack's Retry-After on a rate limit)."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Undeliverable(LookupError):
    """The channel can never deliver this row (no such user or chat): hand it to the next channel at once."""


class Channel(Protocol):
    """A way to deliver a notification; raises when it could not."""

    async def deliver(self, row: Any) -> None:
        """Deliver one outbox row."""


class DeliveredKeys:
    """The idempotency keys of this process's latest deliveries, the oldest forgotten beyond a limit."""

    def __init__(self, remember: int = 10_000) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._remember = remember

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, key: str) -> None:
        """Remember a delivered key, forgetting the oldest beyond the limit."""
        self._keys[key] = None
        if len(self._keys) > self._remember:
            self._keys.popitem(last=False)


class LogChannel:
    """Notes in the service log that a notification is due, where no chat or mail channel reaches its recipient."""

    async def deliver(self, row: Any) -> None:
        """One line with the notification's tag (never its counting row id), its kind and the recipient's role:
        never the card (a gift's giver, a requester's name and phone number), the recipient's name or address, nor a
        reference (an anonymous report's, with the moment of the line, would undo its hold)."""
        log.info("notification %s to %s via log: %s", tag(row), row.recipient_role, row.kind)


@dataclass
class OutboxWorker:
    """Delivers due outbox rows through their channel; failures are retried with exponential back-off."""

    store: Store
    channels: dict[str, Channel] = field(default_factory=lambda: {LOG_CHANNEL: LogChannel()})
    interval: float = 1.0
    base_delay: float = 5.0
    max_delay: float = 3600.0
    max_attempts: int = 15  # about a day of retries; then the row waits for `integriteitsbot outbox retry`
    max_pause: float = 60.0  # the longest wait between rounds while the database itself keeps failing
    watch: Callable[[], Awaitable[int]] | None = None  # queues deadline reminders; run hourly, as the purge
    retention: Callable[[], Awaitable[int]] | None = None  # deletes what is past RETENTION_YEARS; run daily
    # Idempotency keys this process delivered: a row claimed again after its mark failed (the store failing
    # after the delivery) is only marked, never shown, mailed or posted twice, whatever its channel.
    delivered: DeliveredKeys = field(default_factory=DeliveredKeys)

    def delay(self, attempts: int) -> timedelta:
        """How long to wait after the n-th failed attempt."""
        return timedelta(seconds=min(self.base_delay * 2 ** max(attempts - 1, 0), self.max_delay))

    async def run_once(self, moment: datetime | None = None) -> int:
        """Claim every due row and deliver it once; returns how many were delivered. Raises when the store
        fails: a row claimed but not marked stays held until its lease ends, so it is never re-sent at once."""
        delivered = 0
        started = self.store.clock.now()
        at = moment or started
        for row in await self.store.claim(at):
            if _lease_over(row.claimed_until, at + (self.store.clock.now() - started)):
                # Slow deliveries ate this round's lease: another worker may claim the rest now, so leave them.
                log.warning("outbox round took longer than its claim; the other rows wait for the next round")
                break
            channel = self.channels.get(row.channel)
            try:
                if row.idempotency_key in self.delivered:
                    log.info("notification %s was delivered before; not delivering it again", tag(row))
                elif channel is None:
                    raise LookupError(f"channel '{row.channel}' is not available")
                else:
                    await channel.deliver(row)
                    self.delivered.add(row.idempotency_key)
            except Exception as exc:
                # The claim already counted this attempt.
                retry_at = None
                if row.attempts < self.max_attempts and not isinstance(exc, Undeliverable):
                    # The channel's own Retry-After wins over our back-off when it asks for longer.
                    wait = max(self.delay(row.attempts), timedelta(seconds=getattr(exc, "retry_after", 0.0)))
                    retry_at = self.store.clock.now() + wait
                await self.store.mark_attempt_failed(row.id, f"{type(exc).__name__}: {exc}", retry_at)
                metrics.DELIVERIES.labels(metrics.channel(row.channel), "failed").inc()
                if retry_at is None:
                    await self._fall_back(row)
                # The error's own text may hold the recipient's address (a refusing mail server quotes it): it
                # stays in the row, for `integriteitsbot outbox`; the log gets its type.
                log.warning(
                    "notification %s (%s via %s) failed, attempt %d: %s; %s",
                    tag(row),
                    row.kind,
                    row.channel,
                    row.attempts,
                    type(exc).__name__,
                    f"retry at {retry_at:%H:%M:%S}" if retry_at else "giving up until 'integriteitsbot outbox retry'",
                )
                continue
            if await self.store.mark_delivered(row.id):
                delivered += 1
                metrics.DELIVERIES.labels(metrics.channel(row.channel), "delivered").inc()
        if delivered:
            # A claim wrote its lease (a time) before the mark wrote the day back; on SQLite the old versions of the
            # row stay in the WAL until a checkpoint. Empty it now, so a copied WAL holds no moment of a filing.
            await self.store.checkpoint()
        return delivered

    async def _fall_back(self, row: Any) -> None:
        """A channel that failed for good hands the notification to the recipient's next channel, if any."""
        tried = {row.channel, *row.recipient.get("_tried", [])}
        fallback = pick_channel(row.recipient, set(self.channels) - {LOG_CHANNEL}, tried)
        if fallback == LOG_CHANNEL:
            return
        await self.store.hand_over(row, fallback, sorted(tried))
        log.warning("notification %s (%s): %s failed for good; handed to %s", tag(row), row.kind, row.channel, fallback)

    async def purge(self) -> int:
        """Forget abandoned flows, and confirmations kept for a user who never came back; returns how many."""
        now = self.store.clock.now()
        purged = await self.store.purge_flows(now - FLOW_TTL)
        purged += await self.store.purge_flows(now - SHOW_AGAIN_FOR, flow=SENT_FLOW)
        if purged:
            log.info("forgot %d abandoned flows or confirmations", purged)
        return purged

    def pause(self, failures: int) -> float:
        """Seconds to wait before the next round: the interval, doubled per round the store failed in a row."""
        return min(self.interval * 2**failures, max(self.max_pause, self.interval))

    async def run(self) -> None:
        """Deliver until cancelled; hourly, forget abandoned flows and queue the deadline reminders due; daily, let
        go of what is past retention. A failing database is logged and backed off from, never fatal."""
        last_purge = last_retention = None
        failures = 0
        while True:
            try:
                if last_purge is None or self.store.clock.now() - last_purge > PURGE_EVERY:
                    await self.purge()
                    if self.watch is not None:
                        await self.watch()
                    last_purge = self.store.clock.now()
                if self.retention is not None and (
                    last_retention is None or self.store.clock.now() - last_retention > RETENTION_EVERY
                ):
                    await self.retention()
                    last_retention = self.store.clock.now()
                await self.run_once()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                log.error(
                    "outbox worker round failed (%s: %s); next round in %.0f s",
                    type(exc).__name__,
                    exc,
                    self.pause(failures),
                )
            await asyncio.sleep(self.pause(failures))


def _lease_over(claimed_until: datetime, now: datetime) -> bool:
    """Whether a claim has run out."""
    return stored(now) >= stored(claimed_until)
