"""Judge lookup on labelled questions as the user sees it: the right passage shown as the answer, honesty when
the code is silent, and rank (hit@1, hit@3) against a plain BM25 baseline."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from bot.knowledge.lookup import Hit, SectionIndex, snippet
from bot.knowledge.packs import Pack
from bot.knowledge.text import fold

Searcher = Callable[[str, int], list[str]]  # query, limit -> section ids, best first


@dataclass(frozen=True)
class LabelledQuery:
    """A question, the sections that rightly answer it (none: the code is silent) and phrases of the answer."""

    org: str
    query: str
    expected: frozenset[str]
    answers: tuple[str, ...] = ()  # verbatim pieces of the answering sentence; any one of them will do

    @property
    def answerable(self) -> bool:
        """Whether the code answers this question."""
        return bool(self.expected)


@dataclass
class Score:
    """Rank hit rates over answerable questions, with the misses for inspection."""

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


@dataclass
class Judgement:
    """What users see, over one set: answers shown right, and honesty where the code is silent."""

    answerable: int = 0
    shown: int = 0  # confident, and the snippet holds the answering sentence
    closest: int = 0  # not confident, but shown as "the closest I found" with the answering sentence in it
    unanswerable: int = 0
    honest: int = 0  # not presented as an answer
    wrong: int = 0  # presented as the answer, but not the right section or without the answering sentence
    misses: list[tuple[LabelledQuery, str]] = field(default_factory=list)  # with what the bot showed instead
    # Why an answerable question was not shown right: "section" (a wrong first section), "passage" (the right
    # section, but its snippet lacks the answering sentence) or "gate" (both right, but held back as unsure).
    lost: Counter[str] = field(default_factory=Counter)

    def missed(self, labelled: LabelledQuery, best: Hit | None, seen: str, lost_at: str, closest: bool) -> None:
        """An answerable question not shown right: where it was lost, and what the bot showed instead."""
        self.wrong += best is not None and best.good
        self.lost[lost_at] += 1
        self.closest += closest
        self.misses.append((labelled, seen + ("" if best is None else f": {flat(snippet(best, ''))}")))

    def unanswered(self, labelled: LabelledQuery, best: Hit | None, seen: str) -> None:
        """A question the code does not answer: honest unless something was presented as the answer."""
        self.unanswerable += 1
        if best is None or not best.good:
            self.honest += 1
        else:
            self.wrong += 1
            self.misses.append((labelled, seen))

    @property
    def shown_rate(self) -> float:
        """Share of answerable questions whose right passage was shown as the answer."""
        return self.shown / self.answerable if self.answerable else 0.0

    @property
    def closest_rate(self) -> float:
        """Share of answerable questions whose right passage was shown, but as the closest, not as the answer."""
        return self.closest / self.answerable if self.answerable else 0.0

    @property
    def wrong_rate(self) -> float:
        """Share of all questions answered confidently with a passage that does not answer them."""
        questions = self.answerable + self.unanswerable
        return self.wrong / questions if questions else 0.0

    @property
    def honest_rate(self) -> float:
        """Share of unanswerable questions answered with "no clear answer"."""
        return self.honest / self.unanswerable if self.unanswerable else 0.0

    def add(self, other: Judgement) -> None:
        """Fold another judgement into this one."""
        self.answerable += other.answerable
        self.shown += other.shown
        self.closest += other.closest
        self.unanswerable += other.unanswerable
        self.honest += other.honest
        self.wrong += other.wrong
        self.misses += other.misses
        self.lost += other.lost


def load_queries(paths: Iterable[Path]) -> list[LabelledQuery]:
    """Read labelled files (`org:` and `queries: [{query, expected, answer}]`)."""
    queries = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["queries"]:
            answers = tuple(item.get("answer") or ())
            queries.append(LabelledQuery(data["org"], item["query"], frozenset(item["expected"]), answers))
    return queries


def remember_vectors(indexes: dict[str, SectionIndex]) -> None:
    """Let every index compute each question's vector once, for benchmarks that ask the same questions often."""
    remembered: dict[str, np.ndarray] = {}
    for index in indexes.values():

        def memo(query: str, embed: Callable[[str], np.ndarray] = index.embed) -> np.ndarray:
            if query not in remembered:
                remembered[query] = embed(query)
            return remembered[query]

        index.embed = memo  # type: ignore[method-assign]


def flat(text: str) -> str:
    """A text with its marks and line breaks gone, to compare a snippet with a phrase of the code."""
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def shows_answer(labelled: LabelledQuery, hit: Hit | None) -> bool:
    """Whether the bot presents this hit as its answer and the answering sentence is in what it shows."""
    return hit is not None and hit.good and holds_answer(labelled, hit)


def holds_answer(labelled: LabelledQuery, hit: Hit) -> bool:
    """Whether this hit is a right section and its snippet holds the answering sentence."""
    if hit.section.id not in labelled.expected:
        return False
    shown = flat(snippet(hit, mark=""))
    return any(flat(phrase) in shown for phrase in labelled.answers)


def judge(queries: Iterable[LabelledQuery], indexes: dict[str, SectionIndex]) -> dict[str, Judgement]:
    """Per organisation: how often the right passage is shown as the answer, and how often silence is honest."""
    result: dict[str, Judgement] = {}
    for labelled in queries:
        judgement = result.setdefault(labelled.org, Judgement())
        hits = indexes[labelled.org].search(labelled.query, limit=3)
        best = hits[0] if hits else None
        seen = "-" if best is None else f"{best.section.id}{'' if best.good else ' (not confident)'}"
        if labelled.answerable:
            judgement.answerable += 1
            if shows_answer(labelled, best):
                judgement.shown += 1
            else:
                closest = best is not None and best.plausible and holds_answer(labelled, best)
                judgement.missed(labelled, best, seen, _lost_at(labelled, best), closest)
        else:
            judgement.unanswered(labelled, best, seen)
    return result


def _lost_at(labelled: LabelledQuery, best: Hit | None) -> str:
    """Where an answerable question not shown right was lost: ranking, passage choice or the gate."""
    if best is None or best.section.id not in labelled.expected:
        return "section"
    return "gate" if holds_answer(labelled, best) else "passage"


def total(judgements: dict[str, Judgement]) -> Judgement:
    """All organisations' judgements together."""
    whole = Judgement()
    for judgement in judgements.values():
        whole.add(judgement)
    return whole


def evaluate(queries: Iterable[LabelledQuery], searchers: dict[str, Searcher]) -> Score:
    """Rank only: run each answerable query through its organisation's searcher and count hits at 1 and 3."""
    score = Score()
    for labelled in queries:
        if not labelled.answerable:
            continue
        ids = searchers[labelled.org](labelled.query, 3)
        score.total += 1
        if ids[:1] and ids[0] in labelled.expected:
            score.hit1 += 1
        if labelled.expected.intersection(ids[:3]):
            score.hit3 += 1
        if not ids[:1] or ids[0] not in labelled.expected:
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


def squash(text: str) -> str:
    """Only the letters and digits of a text, folded: compares passages whatever the layout, quotes or hyphens."""
    return re.sub(r"[^a-z0-9]", "", fold(text.replace("**", "")))


def judge_by_text(queries: Iterable[LabelledQuery], indexes: dict[str, SectionIndex]) -> dict[str, Judgement]:
    """Like `judge`, for packs whose sections are not the labelled ones (an imported pack): the answer is right when
    the passage shown holds an answering phrase, whatever the section is called."""
    result: dict[str, Judgement] = {}
    for labelled in queries:
        judgement = result.setdefault(labelled.org, Judgement())
        hits = indexes[labelled.org].search(labelled.query, limit=3)
        best = hits[0] if hits else None
        shown = squash(snippet(best, mark="")) if best is not None else ""
        holds = best is not None and any(squash(phrase) in shown for phrase in labelled.answers)
        seen = "-" if best is None else f"{best.section.title}{'' if best.good else ' (not confident)'}"
        if labelled.answerable:
            judgement.answerable += 1
            if holds and best is not None and best.good:
                judgement.shown += 1
                continue
            closest = holds and best is not None and best.plausible
            judgement.missed(labelled, best, seen, "gate" if holds else "section or passage", closest)
        else:
            judgement.unanswered(labelled, best, seen)
    return result
