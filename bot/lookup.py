"""Fuzzy, Dutch-aware lookup of the passages of one organisation's code (BM25F over stems)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.content import Pack, Section
from bot.text import fold, is_content_word, stem, token_spans, tokens

# BM25 parameters; title words weigh more because a heading names what the section is about.
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3.0
CHAPTER_WEIGHT = 0.6
# Weights of terms that did not come from the user's own words.
SYNONYM_WEIGHT = 0.9
COMPOUND_WEIGHT = 0.5
FUZZY_MIN_SIMILARITY = 80.0
FUZZY_MIN_LENGTH = 4
# A hit below this share of the query's weight, or below MIN_SCORE, is not a good answer.
MIN_COVERAGE = 0.34
MIN_SCORE = 2.0
SNIPPET_WORDS = 40


@dataclass(frozen=True)
class Hit:
    """One ranked section for a query."""

    section: Section
    score: float
    matched: frozenset[str]  # stems of the section that matched the query, for highlighting
    coverage: float  # share of the query's weight this section matched

    @property
    def good(self) -> bool:
        """Whether this hit is a confident answer rather than a loose association."""
        return self.score >= MIN_SCORE and self.coverage >= MIN_COVERAGE


@dataclass
class _Doc:
    section: Section
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]


@dataclass
class Synonyms:
    """Everyday phrases (folded token tuples) mapped to the code's words (folded tokens)."""

    phrases: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, mapping: dict[str, list[str]]) -> Synonyms:
        """Invert the file's `code words: [everyday phrases]` mapping into phrase -> code words."""
        phrases: dict[tuple[str, ...], list[str]] = {}
        for code_words, everyday in mapping.items():
            targets = [t for t in tokens(code_words) if is_content_word(t)]
            for phrase in everyday:
                key = tuple(tokens(phrase))
                if key:
                    phrases.setdefault(key, []).extend(t for t in targets if t not in phrases.get(key, []))
        return cls(phrases)

    @property
    def longest(self) -> int:
        """The longest phrase, in tokens."""
        return max((len(p) for p in self.phrases), default=1)


@dataclass(frozen=True)
class _QueryTerm:
    stem: str
    weight: float


class SectionIndex:
    """A ranked, typo-tolerant index over the sections of one pack; built once at start-up."""

    def __init__(self, pack: Pack, synonyms: Synonyms | None = None):
        self.pack = pack
        self.synonyms = synonyms or Synonyms()
        self._docs: list[_Doc] = []
        self._stems: set[str] = set()
        words: set[str] = set()
        for section in pack.code.sections:
            section_fields = {
                "title": self._analyse(section.title),
                "chapter": self._analyse(section.chapter or ""),
                "text": self._analyse(section.text),
            }
            for name in ("title", "text"):
                words.update(w for w in tokens(getattr(section, name)) if is_content_word(w))
            self._docs.append(
                _Doc(section, {k: Counter(v) for k, v in section_fields.items()}, {k: len(v) for k, v in section_fields.items()})
            )
            for counter in section_fields.values():
                self._stems.update(counter)
        # Split compounds into parts the code also uses on their own ("relatiegeschenken" -> "geschenk").
        for doc in self._docs:
            for name, counter in doc.fields.items():
                extra = Counter()
                for term, count in counter.items():
                    for part in self._parts(term):
                        extra[part] += count * COMPOUND_WEIGHT
                counter.update(extra)
                doc.lengths[name] = max(doc.lengths[name], 1)
        self._vocabulary = sorted(words | {w for p in self.synonyms.phrases for w in p if is_content_word(w)})
        self._avg = {
            name: sum(d.lengths[name] for d in self._docs) / len(self._docs) for name in ("title", "chapter", "text")
        }
        self._df: Counter[str] = Counter()
        for doc in self._docs:
            self._df.update(set().union(*(set(c) for c in doc.fields.values())))

    @staticmethod
    def _analyse(text: str) -> list[str]:
        return [stem(w) for w in tokens(text) if is_content_word(w)]

    def _parts(self, term: str) -> list[str]:
        """Known stems that make up a compound stem, if it splits cleanly into two."""
        if len(term) < 8:
            return []
        for i in range(4, len(term) - 3):
            left, right = term[:i], term[i:]
            if right in self._stems and right != term:
                if left in self._stems or left.removesuffix("s") in self._stems or left.removesuffix("en") in self._stems:
                    return [left.removesuffix("s") if left not in self._stems else left, right]
        return []

    def _idf(self, term: str) -> float:
        n = len(self._docs)
        df = self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _expand(self, query: str) -> list[_QueryTerm]:
        """The query's weighted stems: own words, corrected typos, synonyms and compound parts."""
        words = tokens(query)
        terms: dict[str, float] = {}

        def add(word: str, weight: float) -> None:
            term = stem(word)
            terms[term] = max(terms.get(term, 0.0), weight)
            for part in self._parts(term):
                terms[part] = max(terms.get(part, 0.0), weight * COMPOUND_WEIGHT)

        covered: set[int] = set()
        for size in range(self.synonyms.longest, 0, -1):
            for start in range(len(words) - size + 1):
                targets = self.synonyms.phrases.get(tuple(words[start : start + size]))
                if targets:
                    for target in targets:
                        add(target, SYNONYM_WEIGHT)
                    covered.update(range(start, start + size))
        for position, word in enumerate(words):
            if not is_content_word(word):
                continue
            weight = 0.5 if position in covered else 1.0
            if stem(word) in self._stems or position in covered:
                add(word, weight)
                continue
            corrected = self._correct(word)
            if corrected:
                replacement, similarity = corrected
                for synonym_target in self.synonyms.phrases.get((replacement,), []):
                    add(synonym_target, SYNONYM_WEIGHT * similarity / 100)
                add(replacement, weight * similarity / 100)
            else:
                add(word, weight)
        return [_QueryTerm(t, w) for t, w in terms.items()]

    def _correct(self, word: str) -> tuple[str, float] | None:
        """The closest known word for a probable typo, with its similarity (0-100)."""
        if len(word) < FUZZY_MIN_LENGTH:
            return None
        found = process.extractOne(word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SIMILARITY)
        if found is None:
            return None
        return found[0], float(found[1])

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The best sections for a query, best first; empty only when the query has no searchable word."""
        terms = self._expand(query)
        if not terms:
            return []
        total = sum(t.weight * self._idf(t.stem) for t in terms) or 1.0
        hits: list[Hit] = []
        for doc in self._docs:
            score = 0.0
            matched_weight = 0.0
            matched: set[str] = set()
            for term in terms:
                tf = 0.0
                for name, boost in (("title", TITLE_WEIGHT), ("chapter", CHAPTER_WEIGHT), ("text", 1.0)):
                    count = doc.fields[name].get(term.stem, 0)
                    if count:
                        norm = 1 - B + B * doc.lengths[name] / (self._avg[name] or 1)
                        tf += boost * count / norm
                if tf:
                    idf = self._idf(term.stem)
                    score += term.weight * idf * tf * (K1 + 1) / (tf + K1)
                    matched_weight += term.weight * idf
                    matched.add(term.stem)
            hits.append(Hit(doc.section, score, frozenset(matched), matched_weight / total))
        hits.sort(key=lambda h: (-h.score, h.section.id))
        return [h for h in hits[:limit] if h.score > 0]

    def closest_titles(self, query: str, limit: int = 3) -> list[Section]:
        """Sections whose titles look most like the query, for when nothing matched well."""
        titles = {doc.section.id: fold(doc.section.title) for doc in self._docs}
        found = process.extract(fold(query), titles, scorer=fuzz.token_set_ratio, limit=limit)
        by_id = {doc.section.id: doc.section for doc in self._docs}
        return [by_id[key] for _, _, key in found]


def snippet(hit: Hit, words: int = SNIPPET_WORDS, mark: str = "**") -> str:
    """A short passage of the section around its matched words, with those words marked."""
    text = re.sub(r"\s+", " ", hit.section.text).strip()
    spans = token_spans(text)
    if not spans:
        return text
    is_match = [stem(token) in hit.matched for _, _, token in spans]
    best_start, best_count = 0, -1
    for start in range(max(1, len(spans) - words + 1)):
        count = sum(is_match[start : start + words])
        if count > best_count:
            best_start, best_count = start, count
    window = spans[best_start : best_start + words]
    begin, end = window[0][0], window[-1][1]
    # Start at a sentence boundary when one is close, so the snippet reads naturally.
    sentence = text.rfind(". ", max(0, begin - 80), begin)
    if sentence != -1 and best_start:
        begin = sentence + 2
    pieces, cursor = [], begin
    for (s, e, token), hit_word in zip(spans, is_match, strict=True):
        if s < begin or e > end:
            continue
        if hit_word:
            pieces.append(text[cursor:s] + mark + text[s:e] + mark)
            cursor = e
    pieces.append(text[cursor:end])
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix
