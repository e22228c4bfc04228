"""The annual figures of living the code: dilemmas practised per team, and signing campaigns; shielded below 3."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from bot.clock import BRUSSELS
from bot.knowledge.packs import Pack
from bot.reports.figures import Section, breakdown, count, share
from bot.storage import db
from bot.storage.store import Store

POLLS_NOTE = (
    "Dilemma's die een team samen besprak, met zijn anonieme stemming. Alleen afgesloten stemmingen tellen; wie wat "
    "koos, bewaart de bot niet."
)
SIGNING_NOTE = "Campagnes om de code te laten lezen en onderschrijven, en de bevestigingen bij het onthaal."


def _bounds(year: int) -> tuple[datetime, datetime]:
    """The calendar year in Brussels, as UTC moments."""
    start = datetime.combine(date(year, 1, 1), time(), BRUSSELS).astimezone(UTC)
    return start, datetime.combine(date(year + 1, 1, 1), time(), BRUSSELS).astimezone(UTC)


async def practice_sections(store: Store, pack: Pack, year: int) -> list[Section]:
    """The dilemma figures (overall and per team) and the signing figures of a year; none when nothing happened."""
    first, after = _bounds(year)
    sections: list[Section] = []
    polls = [poll for poll in await store.polls_of(pack.org, first, after) if poll.tally is not None]
    if polls:
        answers = {d.id: d.answer for d in (pack.dilemmas.dilemmas if pack.dilemmas else [])}
        votes = right = 0
        per_team: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for poll in polls:
            tally = list(poll.tally)
            answer = answers.get(poll.dilemma)
            chose = tally[answer] if answer is not None and answer < len(tally) else 0
            votes, right = votes + sum(tally), right + chose
            team = per_team[poll.team]
            team[0], team[1], team[2] = team[0] + 1, team[1] + sum(tally), team[2] + chose
        figures = (
            count("dilemma's besproken", len(polls)),
            count("stemmen", votes),
            share("koos wat de code zegt", right, votes),
        )
        sections.append(Section("Dilemma's in teams", figures, POLLS_NOTE))
        team_figures = []
        for name in sorted(per_team):
            posted, team_votes, team_right = per_team[name]
            team_figures += [
                count(f"{name}: dilemma's", posted),
                count(f"{name}: stemmen", team_votes),
                share(f"{name}: koos wat de code zegt", team_right, team_votes),
            ]
        sections.append(Section("Dilemma's per team", tuple(team_figures)))
    camp, at = db.campaigns.c, db.attestations.c
    async with store.engine.connect() as conn:
        campaigns = (
            await conn.execute(select(func.count()).where(camp.org == pack.org, camp.year == year))
        ).scalar_one()
        asked, confirmed = (
            await conn.execute(
                select(func.count(at.id), func.count(at.confirmed_at))
                .join(db.campaigns, camp.id == at.campaign_id)
                .where(camp.org == pack.org, camp.year == year)
            )
        ).one()
        welcomed = (
            await conn.execute(
                select(func.count()).where(
                    at.org == pack.org,
                    at.campaign_id.is_(None),
                    at.confirmed_at >= first,
                    at.confirmed_at < after,
                )
            )
        ).scalar_one()
    if campaigns or welcomed:
        figures = (
            count("campagnes", campaigns),
            *breakdown([("onderschreven na een campagne", confirmed), ("nog open", asked - confirmed)]),
            count("onderschreven bij het onthaal", welcomed),
        )
        sections.append(Section("De code onderschreven", figures, SIGNING_NOTE))
    return sections
