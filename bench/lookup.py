"""Lookup benchmark (run by hand): index build time, query latency, and what users see on the labelled sets.

Per organisation it prints "shown as the answer" (confident, with the answering sentence in the snippet),
"honest when unanswerable" and "confidently wrong" (of all questions) on the development set, the held-out set,
the independent set (written apart, from the codes only) and the French/English set, then rank figures against
plain BM25. `--misses` lists every question the bot got wrong, with what it showed instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from bot.knowledge.content import load_content
from bot.knowledge.evaluation import (
    PlainBM25,
    evaluate,
    index_searcher,
    judge,
    load_queries,
    remember_vectors,
    total,
)
from bot.knowledge.lookup import SectionIndex, Synonyms

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "data" / "lookup"
ROUNDS = 5
SET_NAMES = ("dev", "heldout", "independent", "languages", "languages-2")


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    """Print the figures the README reports."""
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--misses", action="store_true", help="list every set's wrong answers")
    args = options.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))  # two cores, as the budget says
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

    sets = {name: load_queries(sorted((SETS / name).glob("*.yaml"))) for name in SET_NAMES}
    timings, encoding = [], []
    for _ in range(ROUNDS):
        for labelled in sets["dev"] + sets["heldout"]:
            index = indexes[labelled.org]
            started = time.perf_counter()
            vector = index.embed(labelled.query)
            encoded = time.perf_counter()
            index.search(labelled.query, limit=3, vector=vector)
            timings.append(time.perf_counter() - started)
            encoding.append(encoded - started)
    for name, values in (("lookup (encoder + ranking + passage)", timings), ("  of which the encoder", encoding)):
        print(
            f"{name} over {len(values)} questions: p50 {percentile(values, 0.5) * 1000:.2f} ms, "
            f"p99 {percentile(values, 0.99) * 1000:.2f} ms, max {max(values) * 1000:.2f} ms"
        )
    remember_vectors(indexes)
    for name, queries in sets.items():
        judgements = judge(queries, indexes)
        print(f"\n{name} set: {len(queries)} questions")
        columns = ("shown as the answer", "as the closest", "honest when unanswerable", "confidently wrong")
        print(f"  {'organisation':<18} {columns[0]:>24} {columns[1]:>16} {columns[2]:>26} {columns[3]:>20}")
        for org, j in [*sorted(judgements.items()), ("all", total(judgements))]:
            shown = f"{j.shown}/{j.answerable} {j.shown_rate:6.1%}"
            closest = f"{j.closest} {j.closest_rate:6.1%}"
            honest = f"{j.honest}/{j.unanswerable} {j.honest_rate:6.1%}" if j.unanswerable else "-"
            wrong = f"{j.wrong}/{j.answerable + j.unanswerable} {j.wrong_rate:6.1%}"
            print(f"  {org:<18} {shown:>24} {closest:>16} {honest:>26} {wrong:>20}")
        lost = total(judgements).lost
        print(
            f"  answerable, not shown right: wrong first section {lost['section']}, right section without the "
            f"answering sentence {lost['passage']}, right passage held back by the gate {lost['gate']}"
        )
        if args.misses:
            for labelled, seen in total(judgements).misses:
                kind = "answerable" if labelled.answerable else "silent"
                print(f"    MISS {labelled.org} [{kind}] {labelled.query!r} (want {sorted(labelled.expected)})\n"
                      f"         got {seen[:220]}")
        ours = evaluate(queries, {o: index_searcher(i) for o, i in indexes.items()})
        plain = evaluate(queries, {o: PlainBM25(p).search for o, p in content.packs.items()})
        print(f"  rank, integriteitsbot: hit@1 {ours.hit1_rate:.1%}, hit@3 {ours.hit3_rate:.1%}"
              f"   plain BM25: hit@1 {plain.hit1_rate:.1%}, hit@3 {plain.hit3_rate:.1%}")


if __name__ == "__main__":
    main()
