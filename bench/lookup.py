"""Lookup benchmark (run by hand): index build time, per-query latency p50/p99 on one core, hit rates."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from bot.knowledge.content import load_content
from bot.knowledge.evaluation import PlainBM25, evaluate, index_searcher, load_queries
from bot.knowledge.lookup import SectionIndex, Synonyms

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 20


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    """Print the figures the README reports."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the target says
    content = load_content()
    builds = []
    for _ in range(5):
        started = time.perf_counter()
        synonyms = Synonyms.build(content.synonyms)
        indexes = {org: SectionIndex(pack, synonyms) for org, pack in content.packs.items()}
        builds.append(time.perf_counter() - started)
    sections = sum(len(p.code.sections) for p in content.packs.values())
    build_ms = statistics.median(builds) * 1000
    print(f"index build, all {len(indexes)} packs ({sections} sections): median {build_ms:.1f} ms")

    queries = load_queries(sorted((ROOT / "tests" / "data").glob("queries_*.yaml")))
    timings = []
    for _ in range(ROUNDS):
        for labelled in queries:
            started = time.perf_counter()
            indexes[labelled.org].search(labelled.query, limit=3)
            timings.append(time.perf_counter() - started)
    print(
        f"query latency over {len(timings)} searches: p50 {percentile(timings, 0.5) * 1000:.2f} ms, "
        f"p99 {percentile(timings, 0.99) * 1000:.2f} ms, max {max(timings) * 1000:.2f} ms"
    )

    ours = evaluate(queries, {o: index_searcher(i) for o, i in indexes.items()})
    plain = evaluate(queries, {o: PlainBM25(p).search for o, p in content.packs.items()})
    print(f"labelled set: {ours.total} queries over {len({q.org for q in queries})} organisations")
    print(f"  integriteitsbot lookup: hit@1 {ours.hit1_rate:.1%}, hit@3 {ours.hit3_rate:.1%}")
    print(f"  plain BM25 baseline:    hit@1 {plain.hit1_rate:.1%}, hit@3 {plain.hit3_rate:.1%}")


if __name__ == "__main__":
    main()
