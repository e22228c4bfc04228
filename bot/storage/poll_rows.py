"""The dilemma queries of the store: polls in team channels, their anonymous votes, and team schedules."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import Clock
from bot.storage import db
from bot.storage.secret import ServerSecret


class PollRows:
    """Mixed into Store: dilemma polls, votes (keyed by an HMAC, deleted at close) and schedules."""

    engine: AsyncEngine
    clock: Clock
    secret: ServerSecret
    _write: Callable[[], AbstractAsyncContextManager[AsyncConnection]]

    async def open_poll(self, values: dict[str, Any]) -> str:
        """Store a new poll (org, dilemma, channel, place, team, service_url, tenant_id, poster, closes_at)."""
        poll_id = secrets.token_urlsafe(12)
        async with self._write() as conn:
            await conn.execute(insert(db.dilemma_polls).values(id=poll_id, opened_at=self.clock.now(), **values))
        return poll_id

    async def poll_message(self, poll_id: str, message_id: str, place: str | None = None) -> None:
        """Remember which message carries the poll's card (and, for a new Teams post, its conversation), so it can
        be updated when it closes."""
        values = {"message_id": message_id, **({"place": place} if place else {})}
        async with self._write() as conn:
            await conn.execute(update(db.dilemma_polls).where(db.dilemma_polls.c.id == poll_id).values(**values))

    async def poll(self, poll_id: str) -> Any:
        """A poll, if it exists."""
        async with self.engine.connect() as conn:
            return (await conn.execute(select(db.dilemma_polls).where(db.dilemma_polls.c.id == poll_id))).first()

    async def vote(self, poll_id: str, channel: str, user_id: str, choice: int) -> bool:
        """Record (or change) one person's vote in an open poll; False when it is closed."""
        voter = self.secret.voter_key(poll_id, channel, user_id)
        votes, polls = db.dilemma_votes.c, db.dilemma_polls.c
        async with self._write() as conn:
            still_open = (
                await conn.execute(select(polls.id).where(polls.id == poll_id, polls.closed_at.is_(None)))
            ).first()
            if still_open is None:
                return False
            await conn.execute(delete(db.dilemma_votes).where(votes.poll_id == poll_id, votes.voter == voter))
            await conn.execute(insert(db.dilemma_votes).values(poll_id=poll_id, voter=voter, choice=choice))
        return True

    async def count_votes(self, poll_id: str, options: int) -> list[int]:
        """Votes per option of an open poll, counted from its votes."""
        async with self.engine.connect() as conn:
            return await _counts(conn, poll_id, options)

    async def close_poll(self, poll_id: str, options: int) -> bool:
        """Close a poll once: keep its tally, delete its votes. False when it was closed already."""
        polls, votes = db.dilemma_polls.c, db.dilemma_votes.c
        async with self._write() as conn:
            closed = await conn.execute(
                update(db.dilemma_polls)
                .where(polls.id == poll_id, polls.closed_at.is_(None))
                .values(closed_at=self.clock.now(), tally=await _counts(conn, poll_id, options))
            )
            if not closed.rowcount:
                return False
            await conn.execute(delete(db.dilemma_votes).where(votes.poll_id == poll_id))
        return True

    async def polls_to_close(self) -> list[Any]:
        """Open polls whose time is over."""
        polls = db.dilemma_polls.c
        query = select(db.dilemma_polls).where(polls.closed_at.is_(None), polls.closes_at <= self.clock.now())
        async with self.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def polls_of(self, org: str, since: datetime | None = None, until: datetime | None = None) -> list[Any]:
        """An organisation's polls (closed or open), oldest first, optionally opened within [since, until)."""
        polls = db.dilemma_polls.c
        query = select(db.dilemma_polls).where(polls.org == org).order_by(polls.opened_at)
        if since is not None:
            query = query.where(polls.opened_at >= since)
        if until is not None:
            query = query.where(polls.opened_at < until)
        async with self.engine.connect() as conn:
            return list((await conn.execute(query)).all())

    async def set_schedule(self, values: dict[str, Any]) -> None:
        """Set (replace) a team's schedule (channel, place, org, team, service_url, tenant_id, every_weeks,
        weekday, open_days, next_at, set_by)."""
        schedules = db.dilemma_schedules.c
        async with self._write() as conn:
            await conn.execute(
                delete(db.dilemma_schedules).where(
                    schedules.channel == values["channel"], schedules.place == values["place"]
                )
            )
            await conn.execute(insert(db.dilemma_schedules).values(**values))

    async def drop_schedule(self, channel: str, place: str) -> bool:
        """Stop a team's schedule; False when it had none."""
        schedules = db.dilemma_schedules.c
        async with self._write() as conn:
            result = await conn.execute(
                delete(db.dilemma_schedules).where(schedules.channel == channel, schedules.place == place)
            )
        return bool(result.rowcount)

    async def schedule_of(self, channel: str, place: str) -> Any:
        """A team's schedule, if any."""
        schedules = db.dilemma_schedules.c
        query = select(db.dilemma_schedules).where(schedules.channel == channel, schedules.place == place)
        async with self.engine.connect() as conn:
            return (await conn.execute(query)).first()

    async def claim_schedules(self, following: Callable[[Any], datetime]) -> list[Any]:
        """Schedules due now, each moved on to its next moment by a conditional update first: a replica that
        loses the update leaves the post to the one that won, so each is posted once."""
        schedules = db.dilemma_schedules.c
        now = self.clock.now()
        async with self.engine.connect() as conn:
            due = list((await conn.execute(select(db.dilemma_schedules).where(schedules.next_at <= now))).all())
        won = []
        for row in due:
            async with self._write() as conn:
                moved = await conn.execute(
                    update(db.dilemma_schedules)
                    .where(
                        schedules.channel == row.channel,
                        schedules.place == row.place,
                        schedules.next_at == row.next_at,
                    )
                    .values(next_at=following(row))
                )
            if moved.rowcount:
                won.append(row)
        return won


async def _counts(conn: AsyncConnection, poll_id: str, options: int) -> list[int]:
    """Votes per option of a poll, in the caller's connection (a choice outside the options is not counted)."""
    votes = db.dilemma_votes.c
    query = select(votes.choice, func.count()).where(votes.poll_id == poll_id).group_by(votes.choice)
    counts = [0] * options
    for choice, number in (await conn.execute(query)).all():
        if 0 <= choice < options:
            counts[choice] = number
    return counts
