"""Judge lookup quality on labelled queries (hit@1, hit@3), against a plain BM25 baseline."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.knowledge.lookup import SectionIndex
from bot.knowledge.packs import Pack

Searcher = Callable[[str, int], list[str]]  # query, limit -> section ids, best first


@dataclass(frozen=True)
class LabelledQuery:
    """A query and the section ids that count as a right answer."""

    org: str
    query: str
    expected: frozenset[str]


@dataclass
class Score:
    """Hit rates over a set of labelled queries, with the misses for inspection."""

    total: int = 0
    hit1: int = 0
    hit3: int = 0
    misses: list[tuple[LabelledQuery, list[str]]] = field(default_factory=list)

    @property
    def hit1_rate(self) -> float:
        """Share of queries whose first result is right."""
        return self.hit1 / self.total if self.total else 0.0

    @property
    def hit3_rate(self) -> float:
        """Share of queries with a right result among the first three."""
        return self.hit3 / self.total if self.total else 0.0


def load_queries(paths: Iterable[Path]) -> list[LabelledQuery]:
    """Read labelled query files (`org:` and `queries: [{query, expected}]`)."""
    queries = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["queries"]:
            queries.append(LabelledQuery(data["org"], item["query"], frozenset(item["expected"])))
    return queries


def evaluate(queries: Iterable[LabelledQuery], searchers: dict[str, Searcher]) -> Score:
    """Run each query through its organisation's searcher and count hits at 1 and 3."""
    score = Score()
    for labelled in queries:
        ids = searchers[labelled.org](labelled.query, 3)
        score.total += 1
        if ids[:1] and ids[0] in labelled.expected:
            score.hit1 += 1
        if labelled.expected.intersection(ids[:3]):
            score.hit3 += 1
        else:
            score.misses.append((labelled, ids))
        if ids[:1] and ids[0] not in labelled.expected and labelled.expected.intersection(ids[:3]):
            score.misses.append((labelled, ids))
    return score


def index_searcher(index: SectionIndex) -> Searcher:
    """Adapt a section index to the Searcher signature."""
    return lambda query, limit: [hit.section.id for hit in index.search(query, limit)]


class PlainBM25:
    """The baseline: Okapi BM25 over lower-cased words of title and text; no stems, synonyms or typos."""

    def __init__(self, pack: Pack, k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.docs = [(s.id, Counter(self._words(f"{s.title} {s.text}"))) for s in pack.code.sections]
        self.lengths = {sid: sum(c.values()) for sid, c in self.docs}
        self.avg = sum(self.lengths.values()) / len(self.docs)
        self.df = Counter(word for _, counter in self.docs for word in counter)

    @staticmethod
    def _words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    def search(self, query: str, limit: int) -> list[str]:
        """Section ids by BM25 score, best first, leaving out zero scores."""
        n = len(self.docs)
        scored = []
        for sid, counter in self.docs:
            score = 0.0
            for word in set(self._words(query)):
                tf = counter.get(word, 0)
                if tf:
                    idf = math.log(1 + (n - self.df[word] + 0.5) / (self.df[word] + 0.5))
                    norm = 1 - self.b + self.b * self.lengths[sid] / self.avg
                    score += idf * tf * (self.k1 + 1) / (tf + self.k1 * norm)
            if score > 0:
                scored.append((score, sid))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [sid for _, sid in scored[:limit]]
