"""Fuzzy, Dutch-aware lookup of the passages of one organisation's code (BM25F over stems)."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge.packs import Pack, Section
from bot.knowledge.text import fold, is_content_word, stem, token_spans, tokens

# BM25 parameters; title words weigh more because a heading names what the section is about.
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3.0
CHAPTER_WEIGHT = 0.6
KEYWORD_WEIGHT = 1.5
# Weights of terms that did not come from the user's own words.
SYNONYM_WEIGHT = 0.9
OWN_WORD_SYNONYM_FACTOR = 0.3
COMPOUND_WEIGHT = 0.6
MIN_COMPOUND_HEAD = 3
MIN_COMPOUND_TAIL = 5
DIMINUTIVES = ("etje", "tje", "pje", "je")
COORDINATION = 0.5
FUZZY_MIN_LENGTH = 5
FUZZY_SHORT_WORD = 7
# A hit below this share of the query's weight, or below MIN_SCORE, is not a good answer.
MIN_COVERAGE = 0.25
MIN_SCORE = 2.5
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
    by_stem: dict[str, list[str]] = field(default_factory=dict)  # one-word phrases, by their stem

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
        by_stem: dict[str, list[str]] = {}
        for phrase, targets in phrases.items():
            if len(phrase) == 1:
                by_stem.setdefault(stem(phrase[0]), []).extend(targets)
        return cls(phrases, by_stem)

    @property
    def longest(self) -> int:
        """The longest phrase, in tokens."""
        return max((len(p) for p in self.phrases), default=1)


@dataclass(frozen=True)
class _QueryTerm:
    stem: str
    weight: float
    matches: tuple[tuple[str, float], ...]  # index stems this term finds, with how much each counts


class SectionIndex:
    """A ranked, typo-tolerant index over the sections of one pack; built once at start-up."""

    FIELDS = (("title", TITLE_WEIGHT), ("chapter", CHAPTER_WEIGHT), ("keywords", KEYWORD_WEIGHT), ("text", 1.0))

    def __init__(self, pack: Pack, synonyms: Synonyms | None = None):
        self.pack = pack
        self.synonyms = synonyms or Synonyms()
        self._docs: list[_Doc] = []
        words: set[str] = set()
        for section in pack.code.sections:
            analysed = {
                "title": self._analyse(section.title),
                "chapter": self._analyse(section.chapter or ""),
                "keywords": self._analyse(" ".join(section.keywords)),
                "text": self._analyse(section.text),
            }
            all_text = " ".join([section.title, *section.keywords, section.text])
            words.update(w for w in tokens(all_text) if is_content_word(w))
            self._docs.append(
                _Doc(
                    section,
                    {k: Counter(v) for k, v in analysed.items()},
                    {k: max(len(v), 1) for k, v in analysed.items()},
                )
            )
        self._stems: set[str] = set().union(*(set(c) for d in self._docs for c in d.fields.values()))
        # Dutch compounds put the head last: "relatiegeschenken" is a kind of "geschenk". Index every
        # long enough tail of a stem so a query word also finds the compounds built on it.
        self._compounds: dict[str, set[str]] = {}
        for term in self._stems:
            for i in range(MIN_COMPOUND_HEAD, len(term) - MIN_COMPOUND_TAIL + 1):
                self._compounds.setdefault(term[i:], set()).add(term)
        self._vocabulary = sorted(words | {w for p in self.synonyms.phrases for w in p if is_content_word(w)})
        self._avg = {name: sum(d.lengths[name] for d in self._docs) / len(self._docs) for name, _ in self.FIELDS}

    @staticmethod
    def _analyse(text: str) -> list[str]:
        return [stem(w) for w in tokens(text) if is_content_word(w)]

    def _matches(self, term: str) -> tuple[tuple[str, float], ...]:
        """The index stems a query stem finds: itself, and compounds that end in it."""
        found = [(term, 1.0)] if term in self._stems else []
        if len(term) >= MIN_COMPOUND_TAIL:
            # Tails start at MIN_COMPOUND_HEAD, so a compound is always longer than the term it ends in.
            found += [(t, COMPOUND_WEIGHT) for t in sorted(self._compounds.get(term, ()))]
        return tuple(found)

    def _known(self, word: str) -> str | None:
        """The stem under which the index knows a word, trying its base form if it is a diminutive."""
        candidates = [word] + [
            word[: -len(end)] for end in DIMINUTIVES if word.endswith(end) and len(word) > len(end) + 3
        ]
        for candidate in candidates:
            term = stem(candidate)
            if self._matches(term):
                return term
        return None

    def _expand(self, query: str) -> list[_QueryTerm]:
        """The query's weighted stems: own words, corrected typos, synonyms and compound heads."""
        words = tokens(query)
        weights: dict[str, float] = {}
        known_cache: dict[str, str | None] = {}

        def known(word: str) -> str | None:
            # Each word is looked up by the synonym pass and again by the word pass: do it once.
            if word not in known_cache:
                known_cache[word] = self._known(word)
            return known_cache[word]

        def add(term: str, weight: float) -> None:
            weights[term] = max(weights.get(term, 0.0), weight)

        def add_synonyms(phrase: tuple[str, ...], factor: float = 1.0) -> bool:
            targets = self.synonyms.phrases.get(phrase)
            if targets is None and len(phrase) == 1 and is_content_word(phrase[0]) and len(phrase[0]) >= 5:
                targets = self.synonyms.by_stem.get(stem(phrase[0]))
            # Where the code itself uses the word, its own sense wins: VVSG's "partner" is a partner
            # organisation, not a spouse, so the synonym's reading only counts a little.
            if len(phrase) == 1 and known(phrase[0]):
                factor *= OWN_WORD_SYNONYM_FACTOR
            for target in targets or ():
                add(stem(target), SYNONYM_WEIGHT * factor)
            return bool(targets)

        covered: set[int] = set()
        for size in range(self.synonyms.longest, 0, -1):
            for start in range(len(words) - size + 1):
                if add_synonyms(tuple(words[start : start + size])):
                    covered.update(range(start, start + size))
        for position, word in enumerate(words):
            if not is_content_word(word):
                continue
            term = known(word)
            if term:
                add(term, 1.0)
                continue
            corrected = self._correct(word) if position not in covered else None
            if corrected:
                replacement, similarity = corrected
                add_synonyms((replacement,), similarity / 100)
                term = known(replacement)
                if term:
                    add(term, similarity / 100)
            elif position not in covered:
                add(stem(word), 1.0)  # unknown to this code: it lowers the confidence of every hit
        return [_QueryTerm(t, w, self._matches(t)) for t, w in weights.items()]

    def _correct(self, word: str) -> tuple[str, float] | None:
        """The closest known word for a probable typo, with its similarity (0-100)."""
        if len(word) < FUZZY_MIN_LENGTH:
            return None
        # A typo is one slip in a short word, two in a long one; "recept" is not a typo of "receptie".
        allowed = 1 if len(word) <= FUZZY_SHORT_WORD else 2
        found = process.extractOne(word, self._vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=allowed)
        if found is None:
            return None
        return found[0], 100.0 * (1 - found[1] / max(len(word), len(found[0])))

    def _tf(self, doc: _Doc, term: _QueryTerm) -> float:
        tf = 0.0
        for name, boost in self.FIELDS:
            counter = doc.fields[name]
            count = sum(counter.get(t, 0) * factor for t, factor in term.matches)
            if count:
                tf += boost * count / (1 - B + B * doc.lengths[name] / (self._avg[name] or 1))
        return tf

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The best sections for a query, best first; empty when nothing in the code matches."""
        terms = self._expand(query)
        if not terms:
            return []
        n = len(self._docs)
        tfs = [[self._tf(doc, term) for term in terms] for doc in self._docs]
        idfs = []
        for column in range(len(terms)):
            df = sum(1 for row in tfs if row[column])
            idfs.append(math.log(1 + (n - df + 0.5) / (df + 0.5)))
        total = sum(t.weight * idf for t, idf in zip(terms, idfs, strict=True)) or 1.0
        hits: list[Hit] = []
        for doc, row in zip(self._docs, tfs, strict=True):
            score = matched_weight = 0.0
            matched: set[str] = set()
            for term, idf, tf in zip(terms, idfs, row, strict=True):
                if tf:
                    score += term.weight * idf * tf * (K1 + 1) / (tf + K1)
                    matched_weight += term.weight * idf
                    matched.update(t for t, _ in term.matches)
            coverage = matched_weight / total
            # Prefer sections that answer more of the question over ones that repeat one word of it.
            score *= COORDINATION + (1 - COORDINATION) * coverage
            hits.append(Hit(doc.section, score, frozenset(matched), coverage))
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
    for (s, e, _token), hit_word in zip(spans, is_match, strict=True):
        if s < begin or e > end:
            continue
        if hit_word:
            pieces.append(text[cursor:s] + mark + text[s:e] + mark)
            cursor = e
    pieces.append(text[cursor:end])
    prefix = "… " if begin > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(pieces) + suffix
