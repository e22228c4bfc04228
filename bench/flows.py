"""Benchmark: the report flow through the conversation on SQLite, and the cost of a receipt code check."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time

from bot.cases.receipts import hash_secret, verify
from bot.conversation.dispatch import Conversation
from bot.knowledge.content import load_content
from bot.knowledge.directory import DEFAULT_CONTACTS_FILE, load_directory
from bot.storage.store import Store
from bot.vocabulary.turns import Turn, UserRef

ANSWERS = [
    "melden",
    "rule_breach",
    "anonymous",  # the identity comes before anything about the people around the reporter
    "nee",
    "De aankoper van de dienst gunt opdrachten aan het bedrijf van zijn schoonbroer zonder offertes.",
    "vorige maand",
    "overslaan",
    "ja",
    "verzenden",
]
RUNS = 200


def percentile(values: list[float], share: float) -> float:
    """The value below which this share of the values lies."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    """Run the report flow RUNS times in separate conversations and print per-turn latencies."""
    content = load_content()
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(f"sqlite+aiosqlite:///{folder}/bench.db")
        conversation = Conversation.build(content, store, load_directory(DEFAULT_CONTACTS_FILE, content))
        step_times: list[float] = []
        confirm_times: list[float] = []
        for run in range(RUNS):
            user = UserRef("msteams", f"user-{run}", f"conv-{run}", name="Bench")
            for answer in ANSWERS:
                started = time.perf_counter()
                await conversation.handle(Turn(org="kortrijk", user=user, text=answer))
                elapsed = (time.perf_counter() - started) * 1000
                (confirm_times if answer == "verzenden" else step_times).append(elapsed)
        await store.close()
    secret = "A" * 20
    stored = hash_secret(secret)
    checks = []
    for _ in range(20):
        started = time.perf_counter()
        verify(secret, stored)
        checks.append((time.perf_counter() - started) * 1000)
    print(f"report flow, {RUNS} runs on SQLite (kortrijk):")
    print(f"  question turn: p50 {statistics.median(step_times):.2f} ms, p99 {percentile(step_times, 0.99):.2f} ms")
    print(
        f"  confirm (receipt hash + case + outbox in one transaction): p50 {statistics.median(confirm_times):.1f} ms,"
        f" p99 {percentile(confirm_times, 0.99):.1f} ms"
    )
    print(f"receipt code check (scrypt n=2^14): p50 {statistics.median(checks):.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
