"""Dilemma polls in a team channel: open one, count anonymous votes, close it with the code's answer; schedules."""

from __future__ import annotations

import logging
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.clock import BRUSSELS, Clock, local, stored
from bot.knowledge.basis import section_title
from bot.knowledge.packs import Content, Dilemma, Pack
from bot.reports.figures import MIN_SHOWN
from bot.storage.store import Store
from bot.vocabulary import living as say
from bot.vocabulary.turns import UserRef

log = logging.getLogger(__name__)

OPEN_DAYS = 3  # a poll asked for in the channel shows the code's answer after this many days
POST_HOUR = 9  # scheduled dilemmas appear at 09:00, Brussels time
ASK = re.compile(r"^\s*(?:een\s+|nog\s+een\s+)?dilemma\s*[?!.]*\s*$", re.IGNORECASE)
SCHEDULE = re.compile(
    r"^\s*dilemma\s+(?:elke\s+week|(?:elke|om\s+de)\s+(?P<weeks>\d|twee|drie|vier)\s+weken)"
    r"(?:\s+op)?\s+(?P<day>maandag|dinsdag|woensdag|donderdag|vrijdag)\s*[.!]?\s*$",
    re.IGNORECASE,
)
STOP = re.compile(r"^\s*dilemma\s+(?:stop|stoppen|niet\s+meer)\s*[.!]?\s*$", re.IGNORECASE)
PLAN = re.compile(r"^\s*dilemma\s+(?:planning|plannen|gepland|schema)\s*[?.!]?\s*$", re.IGNORECASE)
WORDS = {"twee": 2, "drie": 3, "vier": 4}


def is_team_dilemma(text: str) -> bool:
    """Whether a message in a team channel is about its dilemmas (ask, schedule, stop, show the schedule)."""
    return any(pattern.match(text) for pattern in (ASK, SCHEDULE, STOP, PLAN))


@dataclass(frozen=True)
class Place:
    """A team channel the bot posts in: never a person's chat."""

    channel: str  # msteams or slack
    place: str  # the channel's conversation id (Teams) or channel id (Slack)
    team: str  # a readable name for the figures per team
    service_url: str | None = None
    tenant_id: str | None = None


class Poster(Protocol):
    """How a channel posts and updates a poll card in a team channel without a turn (the schedule, a timed close)."""

    async def post(self, place: Place, view: dict[str, Any]) -> tuple[str, str]:
        """Post a new card; returns where it is (a Teams post has a conversation of its own) and its message id."""

    async def update(self, place: Place, message_id: str, view: dict[str, Any]) -> None:
        """Replace a posted card."""


def _closes_text(moment: datetime) -> str:
    shown = local(moment)
    return f"{say.WEEKDAYS[shown.weekday()]} {shown:%d/%m} om {shown:%H:%M}"


def next_post(now: datetime, weekday: int, every_weeks: int, after: datetime | None = None) -> datetime:
    """The next 09:00 (Brussels) on the weekday after `now`; `after` (the last post) adds the weeks between."""
    local = now.astimezone(BRUSSELS)
    if after is not None:
        return (after.astimezone(BRUSSELS) + timedelta(weeks=every_weeks)).astimezone(UTC)
    days = (weekday - local.weekday()) % 7
    candidate = (local + timedelta(days=days)).replace(hour=POST_HOUR, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=7)
    return candidate.astimezone(UTC)


@dataclass
class Polls:
    """Opens, counts and closes dilemma polls, and keeps team schedules; votes are never linked to a person."""

    store: Store
    content: Content
    clock: Clock
    chooser: random.Random | None = None

    def view(self, pack: Pack, dilemma: Dilemma, poll: Any, counts: list[int]) -> dict[str, Any]:
        """The neutral card of a poll, before or after its close."""
        total = sum(counts)
        closes = _closes_text(poll.closes_at)
        view: dict[str, Any] = {
            "poll": poll.id,
            "org": pack.code.name,
            "situation": dilemma.situation,
            "options": list(dilemma.options),
            "closed": poll.closed_at is not None,
            "title": say.POLL_TITLE.format(org=pack.code.name),
            "ask": say.POLL_ASK,
            "count": (say.POLL_COUNT if total else say.POLL_COUNT_NONE).format(votes=_votes(total), closes=closes),
            "question": say.POLL_QUESTION,
            "close_label": say.POLL_CLOSE,
        }
        if poll.closed_at is not None:
            right = counts[dilemma.answer] if dilemma.answer < len(counts) else 0
            share = f"{round(100 * right / total)} %" if total else ""
            view.update(
                title=say.POLL_CLOSED_TITLE.format(org=pack.code.name),
                result=_result(total, share),
                lines=[
                    # Below 3 votes, as in the annual figures, no split: one or two voters would be recognisable.
                    say.POLL_OPTION_RESULT.format(
                        mark="✔" if n == dilemma.answer else "•", option=o, count=_votes(counts[n])
                    )
                    if total >= MIN_SHOWN
                    else f"{'✔' if n == dilemma.answer else '•'} {o}"
                    for n, o in enumerate(dilemma.options)
                ],
                explanation=dilemma.explanation,
                code_says=say.POLL_CODE_SAYS.format(quote=dilemma.quote, title=section_title(pack, dilemma.section)),
                talk=say.POLL_TALK,
                section=dilemma.section,
            )
        return view

    def _dilemma(self, pack: Pack, poll: Any) -> Dilemma | None:
        return pack.dilemmas.find(poll.dilemma) if pack.dilemmas is not None else None

    async def open(
        self, pack: Pack, place: Place, poster: UserRef | None, days: int = OPEN_DAYS
    ) -> dict[str, Any] | None:
        """Open a poll on a dilemma of the code (one the team had least recently); None when the code has none."""
        if pack.dilemmas is None:
            return None
        had = [
            p.dilemma for p in await self.store.polls_of(pack.org) if (p.channel, p.team) == (place.channel, place.team)
        ]
        fresh = [d for d in pack.dilemmas.dilemmas if d.id not in had]
        dilemma = (self.chooser or random.Random()).choice(fresh or pack.dilemmas.dilemmas)
        values = {
            "org": pack.org,
            "dilemma": dilemma.id,
            "channel": place.channel,
            "place": place.place,
            "team": place.team[:200],
            "service_url": place.service_url,
            "tenant_id": place.tenant_id,
            "poster": self.store.secret.voter_key("poster", poster.channel, poster.user_id) if poster else None,
            "closes_at": self.clock.now() + timedelta(days=days),
        }
        poll_id = await self.store.open_poll(values)
        log.info("dilemma poll opened in a %s team channel for %s", place.channel, pack.org)
        return self.view(pack, dilemma, await self.store.poll(poll_id), [0] * len(dilemma.options))

    async def current(self, poll_id: str) -> tuple[Pack, Dilemma, Any] | None:
        """A poll with its pack and dilemma, if all three still exist."""
        poll = await self.store.poll(poll_id)
        pack = self.content.packs.get(poll.org) if poll is not None else None
        dilemma = self._dilemma(pack, poll) if pack is not None else None
        return (pack, dilemma, poll) if pack is not None and dilemma is not None else None

    async def vote(self, poll_id: str, user: UserRef, choice: int) -> tuple[dict[str, Any] | None, str]:
        """Count (or change) one vote: the updated card and what the voter is told."""
        found = await self.current(poll_id)
        if found is None:
            return None, say.POLL_UNKNOWN
        pack, dilemma, poll = found
        if not 0 <= choice < len(dilemma.options):
            return None, say.POLL_UNKNOWN
        if not await self.store.vote(poll_id, user.channel, user.user_id, choice):
            # Closed meanwhile: the card it shows is the answer, with the tally it kept.
            poll = await self.store.poll(poll_id)
            return self.view(pack, dilemma, poll, list(poll.tally or [])), say.VOTE_CLOSED
        counts = await self.store.count_votes(poll_id, len(dilemma.options))
        return self.view(pack, dilemma, poll, counts), say.VOTED

    async def close(self, poll_id: str, user: UserRef | None) -> tuple[dict[str, Any] | None, str]:
        """Close a poll and show the code's answer: by the one who asked for it, or (user None) when its time is up."""
        found = await self.current(poll_id)
        if found is None:
            return None, say.POLL_UNKNOWN
        pack, dilemma, poll = found
        if user is not None and poll.closed_at is None:
            asker = self.store.secret.voter_key("poster", user.channel, user.user_id)
            if poll.poster != asker:
                return None, say.CLOSE_NOT_YOURS.format(closes=_closes_text(poll.closes_at))
        await self.store.close_poll(poll_id, len(dilemma.options))
        poll = await self.store.poll(poll_id)
        return self.view(pack, dilemma, poll, list(poll.tally or [])), ""

    async def schedule(self, pack: Pack, place: Place, text: str, by: str) -> str:
        """Set, stop or show a team's schedule from what was typed in its channel; the answer for the channel."""
        if STOP.match(text):
            stopped = await self.store.drop_schedule(place.channel, place.place)
            return say.SCHEDULE_STOPPED if stopped else say.SCHEDULE_NONE
        if PLAN.match(text):
            row = await self.store.schedule_of(place.channel, place.place)
            if row is None:
                return say.SCHEDULE_NONE
            return say.SCHEDULE_SHOWN.format(
                every=_every(row.every_weeks), weekday=say.WEEKDAYS[row.weekday], next=_closes_text(row.next_at)
            )
        match = SCHEDULE.match(text)
        if match is None:
            return say.SCHEDULE_HELP
        weeks_word = (match.group("weeks") or "1").lower()
        weeks = WORDS.get(weeks_word) or int(weeks_word)
        weekday = say.WEEKDAYS.index(match.group("day").lower())
        first = next_post(self.clock.now(), weekday, weeks)
        await self.store.set_schedule(
            {
                "channel": place.channel,
                "place": place.place,
                "org": pack.org,
                "team": place.team[:200],
                "service_url": place.service_url,
                "tenant_id": place.tenant_id,
                "every_weeks": weeks,
                "weekday": weekday,
                "open_days": OPEN_DAYS,
                "next_at": first,
                "set_by": by,
            }
        )
        return say.SCHEDULED.format(
            every=_every(weeks), weekday=say.WEEKDAYS[weekday], days=OPEN_DAYS, first=_closes_text(first)
        )

    async def run_once(self, posters: dict[str, Poster]) -> int:
        """Close polls whose time is up and post the scheduled dilemmas due, through each channel's poster; a
        channel that is off leaves its polls for later. Returns how many cards were posted or updated."""
        done = 0
        for poll in await self.store.polls_to_close():
            poster = posters.get(poll.channel)
            if poster is None:
                continue
            view, _ = await self.close(poll.id, None)
            if view is not None and poll.message_id:
                try:
                    await poster.update(_place(poll), poll.message_id, view)
                    done += 1
                except Exception:
                    log.exception("could not show a closed dilemma's answer in its %s channel", poll.channel)

        def following(row: Any) -> datetime:
            return next_post(self.clock.now(), row.weekday, row.every_weeks, after=stored(row.next_at))

        for row in await self.store.claim_schedules(following):
            pack, poster = self.content.packs.get(row.org), posters.get(row.channel)
            if pack is None or poster is None:
                continue
            place = _place(row)
            view = await self.open(pack, place, None, row.open_days)
            if view is None:
                continue
            try:
                where, message_id = await poster.post(place, view)
            except Exception:
                log.exception("could not post the scheduled dilemma in its %s channel", row.channel)
                continue
            await self.store.poll_message(view["poll"], message_id, where)
            done += 1
        return done


def _result(total: int, share: str) -> str:
    """The line under a closed poll: votes and the share that chose the code's answer, unless too few to show."""
    if not total:
        return say.POLL_RESULT_NONE
    return say.POLL_RESULT.format(votes=_votes(total), share=share) if total >= MIN_SHOWN else say.POLL_RESULT_FEW


def _votes(count: int) -> str:
    return say.ONE_VOTE if count == 1 else say.VOTES.format(count=count)


def _every(weeks: int) -> str:
    return say.EVERY_WEEK if weeks == 1 else say.EVERY_WEEKS.format(weeks=weeks)


def _place(row: Any) -> Place:
    return Place(row.channel, row.place, row.team, row.service_url, row.tenant_id)
