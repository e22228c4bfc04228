"""Living-the-code benchmark (run by hand): how long a signing campaign for a large team takes to file (the
campaign, a register row and an outbox message per person, in one transaction), its reminder round, how many
confirmations and anonymous poll votes per second the store takes, and a poll's close. On SQLite in a temp dir,
in process, with the service's own Store and services; the channels' HTTP is not part of it.

    python -m bench.living [--people 2000] [--votes 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as `python bench/living.py`
from bot.campaigns.service import Campaigns, Member
from bot.clock import FixedClock
from bot.knowledge.content import load_content
from bot.knowledge.directory import Directory
from bot.practice.polls import Place, Polls
from bot.storage.store import Store
from bot.vocabulary.turns import UserRef


async def run(people: int, votes: int) -> None:
    """Measure and print."""
    content = load_content()
    pack = content.packs["kortrijk"]
    folder = Path(tempfile.mkdtemp(prefix="bench-living-"))
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    store = await Store.open(f"sqlite+aiosqlite:///{folder}/b.db", clock, data_dir=folder)
    try:
        campaigns = Campaigns(store, content, Directory(), {"log", "msteams"}, clock)
        team = [Member(f"Collega {n}", f"c{n}@kortrijk.example", f"aad-{n:06d}") for n in range(people)]
        started = time.perf_counter()
        result = await campaigns.start(pack, "cli:bench", "Bench", "team", team)
        filed = time.perf_counter() - started
        print(f"campaign for {result.invited} people filed in {filed:.2f} s ({result.invited / filed:.0f} people/s)")
        confirm = []
        for n in range(min(people, 500)):
            started = time.perf_counter()
            await store.confirm("kortrijk", f"msteams:aad-{n:06d}", f"Collega {n}", None)
            confirm.append(time.perf_counter() - started)
        print(
            f"confirmations: {len(confirm) / sum(confirm):.0f}/s, p50 {statistics.median(confirm) * 1000:.1f} ms,"
            f" p99 {sorted(confirm)[int(len(confirm) * 0.99) - 1] * 1000:.1f} ms"
        )
        clock.advance(days=8)
        started = time.perf_counter()
        queued = await campaigns.remind()
        print(f"reminder round: {queued} reminders queued in {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        await campaigns.register(pack, result.reference)
        print(f"register of {people} people read in {time.perf_counter() - started:.2f} s")

        polls = Polls(store, content, clock)
        view = await polls.open(pack, Place("slack", "C0BENCH", "#bench"), UserRef("slack", "U0", "C0BENCH"))
        assert view is not None
        took = []
        for n in range(votes):
            started = time.perf_counter()
            await polls.vote(view["poll"], UserRef("slack", f"U{n % (votes // 2 or 1)}", "C0BENCH"), n % 3)
            took.append(time.perf_counter() - started)
        print(
            f"votes (each also re-counting the tally for the card): {len(took) / sum(took):.0f}/s,"
            f" p50 {statistics.median(took) * 1000:.1f} ms, p99 {sorted(took)[int(len(took) * 0.99) - 1] * 1000:.1f} ms"
        )
        started = time.perf_counter()
        await polls.close(view["poll"], None)
        print(f"close (tally kept, {votes // 2} votes deleted): {(time.perf_counter() - started) * 1000:.0f} ms")
    finally:
        await store.close()


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--votes", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(run(args.people, args.votes))


if __name__ == "__main__":
    main()
