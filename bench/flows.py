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
from bot.storage.crypto import FieldCipher, new_key
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


def cipher_per_confirm(rounds: int = 2000) -> float:
    """Microseconds of field encryption one report's confirm adds: its case row, one outbox row and the marker
    that replaces its flow state, each sealed with AES-GCM under a data key."""
    fields = FieldCipher()
    fields.add_key(*new_key(), current=True)
    case = {
        "org": "kortrijk", "reference": "M-2026-0001", "description": ANSWERS[3], "when_text": "vorige maand",
        "where_text": None, "evidence": "ja", "recipient_person": None,
    }  # fmt: skip
    card = {"title": "Nieuwe melding", "facts": [["Referentie", "M-2026-0001"], ["Soort", "schending"]] * 3}
    recipient = {"name": "Demo Meldpunt", "teams_aad_id": "x" * 36}
    outbox = {"idempotency_key": "0" * 32, "recipient": recipient, "card": card}
    marker = {"key": "0" * 64, "state": {"flow": "_sent", "sealed": "A" * 400, "reference": "M-2026-0001"}}
    started = time.perf_counter()
    for _ in range(rounds):
        fields.encrypt("cases", case)
        fields.encrypt("outbox", outbox)
        fields.encrypt("flow_state", marker)
    return (time.perf_counter() - started) / rounds * 1e6


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
    print(f"field encryption of one confirm (case, outbox row, marker): {cipher_per_confirm():.0f} µs")


if __name__ == "__main__":
    asyncio.run(main())
