"""Fuzzy, Dutch-aware lookup in one organisation's code: BM25F over lemma stems, then the answering passage."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge import confidence
from bot.knowledge.lemmas import is_search_word, term
from bot.knowledge.packs import Pack, Section
from bot.knowledge.passages import Passage, answering, split
from bot.knowledge.snippets import choose, cues, features, render, scores
from bot.knowledge.text import fold, is_content_word, tokens, zipf

# BM25 parameters; title words weigh more because a heading names what the section is about.
K1 = 1.2
B = 0.75
TITLE_WEIGHT = 3.0
CHAPTER_WEIGHT = 0.6
KEYWORD_WEIGHT = 1.5
QUESTIONS_WEIGHT = 1.0  # the questions of the pack's FAQ that this section answers
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
# A word this common in Dutch (Zipf scale, wordfreq) is a real word, never a typo of one the code uses.
REAL_WORD_ZIPF = 3.0
# How much a word the code does not know counts against every hit: fully for a rare, specific word
# ("maaltijdcheques"), less for an everyday one ("raar", "zeggen").
UNKNOWN_COMMON_ZIPF = 4.0
UNKNOWN_MIN_WEIGHT = 0.4
# A query term of at least this weight came from the user's own words, not from a synonym or a guess.
OWN_WORD = 0.95


@dataclass(frozen=True)
class Hit:
    """One ranked section for a query, with the passages of it the bot shows."""

    section: Section
    score: float
    matched: frozenset[str]  # terms of the section that matched the query, for highlighting
    coverage: float  # share of the query's weight this section matched
    passages: tuple[Passage, ...] = ()  # the section's text in sentences and list items
    shown: tuple[int, ...] = ()  # the passages the snippet shows
    shown_coverage: float = 0.0  # share of the query's weight the shown passages match
    own: int = 0  # the user's own words (not synonyms) this section matched
    unknown: int = 0  # the query's words this code does not know at all
    outside: int = 0  # the query's words on topics no code settles (pay, leave, IT help) this section does not use
    passage_features: tuple[dict[str, float], ...] = ()  # what the passage model weighed, for bench/calibrate.py

    @property
    def signals(self) -> confidence.Signals:
        """What the confidence gate weighs for this hit."""
        return confidence.Signals(
            self.score, self.coverage, self.shown_coverage, self.own, self.unknown, self.outside
        )

    @property
    def good(self) -> bool:
        """Whether this hit is a confident answer rather than a loose association."""
        return confidence.confident(self.signals)

    @property
    def plausible(self) -> bool:
        """Whether this hit is worth showing as the closest passage when it is not a confident answer."""
        return confidence.plausible(self.signals)


@dataclass
class _Doc:
    section: Section
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]
    passages: tuple[Passage, ...]
    passage_terms: list[Counter[str]]
    cues: list[int]
    faq: list[tuple[Counter[str], int]]  # each FAQ question's terms, and the passage its answer points at


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
                by_stem.setdefault(term(phrase[0]), []).extend(targets)
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

    FIELDS = (
        ("title", TITLE_WEIGHT),
        ("chapter", CHAPTER_WEIGHT),
        ("keywords", KEYWORD_WEIGHT),
        ("questions", QUESTIONS_WEIGHT),
        ("text", 1.0),
    )

    def __init__(self, pack: Pack, synonyms: Synonyms | None = None):
        self.pack = pack
        self.synonyms = synonyms or Synonyms()
        self._docs: list[_Doc] = []
        words: set[str] = set()
        for section in pack.code.sections:
            entries = pack.faq.sections.get(section.id, []) if pack.faq else []
            questions = [entry.question for entry in entries]
            analysed = {
                "title": self._analyse(section.title),
                "chapter": self._analyse(section.chapter or ""),
                "keywords": self._analyse(" ".join(section.keywords)),
                "questions": self._analyse(" ".join(questions)),
                "text": self._analyse(section.text),
            }
            all_text = " ".join([section.title, *section.keywords, *questions, section.text])
            words.update(w for w in tokens(all_text) if is_content_word(w))
            passages = tuple(split(section.text))
            self._docs.append(
                _Doc(
                    section,
                    {k: Counter(v) for k, v in analysed.items()},
                    {k: max(len(v), 1) for k, v in analysed.items()},
                    passages,
                    [Counter(self._analyse(p.text)) for p in passages],
                    [cues(p.text) for p in passages],
                    [
                        (Counter(self._analyse(entry.question)), at)
                        for entry in entries
                        if (at := answering(passages, entry.answer)) is not None
                    ],
                )
            )
        self._stems: set[str] = set().union(*(set(c) for d in self._docs for c in d.fields.values()))
        # Dutch compounds put the head last: "relatiegeschenken" is a kind of "geschenk". Index every
        # long enough tail of a stem so a query word also finds the compounds built on it.
        self._compounds: dict[str, set[str]] = {}
        for known in self._stems:
            for i in range(MIN_COMPOUND_HEAD, len(known) - MIN_COMPOUND_TAIL + 1):
                self._compounds.setdefault(known[i:], set()).add(known)
        self._vocabulary = sorted(words | {w for p in self.synonyms.phrases for w in p if is_content_word(w)})
        self._avg = {name: sum(d.lengths[name] for d in self._docs) / len(self._docs) for name, _ in self.FIELDS}

    @staticmethod
    def _analyse(text: str) -> list[str]:
        return [term(w) for w in tokens(text) if is_search_word(w)]

    def _matches(self, query_term: str) -> tuple[tuple[str, float], ...]:
        """The index terms a query term finds: itself, and compounds that end in it."""
        found = [(query_term, 1.0)] if query_term in self._stems else []
        if len(query_term) >= MIN_COMPOUND_TAIL:
            # Tails start at MIN_COMPOUND_HEAD, so a compound is always longer than the term it ends in.
            found += [(t, COMPOUND_WEIGHT) for t in sorted(self._compounds.get(query_term, ()))]
        return tuple(found)

    def _known(self, word: str) -> str | None:
        """The stem under which the index knows a word, trying its base form if it is a diminutive."""
        candidates = [word] + [
            word[: -len(end)] for end in DIMINUTIVES if word.endswith(end) and len(word) > len(end) + 3
        ]
        for candidate in candidates:
            found = term(candidate)
            if self._matches(found):
                return found
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

        def add(found: str, weight: float) -> None:
            weights[found] = max(weights.get(found, 0.0), weight)

        def add_synonyms(phrase: tuple[str, ...], factor: float = 1.0) -> bool:
            targets = self.synonyms.phrases.get(phrase)
            if targets is None and len(phrase) == 1 and is_content_word(phrase[0]) and len(phrase[0]) >= 5:
                targets = self.synonyms.by_stem.get(term(phrase[0]))
            # Where the code itself uses the word, its own sense wins: VVSG's "partner" is a partner
            # organisation, not a spouse, so the synonym's reading only counts a little.
            if len(phrase) == 1 and known(phrase[0]):
                factor *= OWN_WORD_SYNONYM_FACTOR
            # Each code word counts on its own: a section that uses several of them is about the concept.
            for target in targets or ():
                add(term(target), SYNONYM_WEIGHT * factor)
            return bool(targets)

        covered: set[int] = set()
        for size in range(self.synonyms.longest, 0, -1):
            for start in range(len(words) - size + 1):
                if add_synonyms(tuple(words[start : start + size])):
                    covered.update(range(start, start + size))
        for position, word in enumerate(words):
            if not is_search_word(word):
                continue
            found = known(word)
            if found:
                add(found, 1.0)
                continue
            corrected = self._correct(word) if position not in covered else None
            if corrected:
                replacement, similarity = corrected
                add_synonyms((replacement,), similarity / 100)
                found = known(replacement)
                if found:
                    add(found, similarity / 100)
            elif position not in covered:
                add(term(word), unknown_weight(word))  # unknown to this code: it lowers the confidence of every hit
        return [_QueryTerm(t, w, self._matches(t)) for t, w in weights.items()]

    def _correct(self, word: str) -> tuple[str, float] | None:
        """The closest known word for a probable typo, with its similarity (0-100)."""
        if len(word) < FUZZY_MIN_LENGTH or zipf(word) >= REAL_WORD_ZIPF:
            return None
        # A typo is one slip in a short word, two in a long one; "recept" is not a typo of "receptie".
        allowed = 1 if len(word) <= FUZZY_SHORT_WORD else 2
        found = process.extractOne(word, self._vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=allowed)
        if found is None:
            return None
        return found[0], 100.0 * (1 - found[1] / max(len(word), len(found[0])))

    def _tf(self, doc: _Doc, query_term: _QueryTerm) -> float:
        tf = 0.0
        for name, boost in self.FIELDS:
            counter = doc.fields[name]
            count = sum(counter.get(t, 0) * factor for t, factor in query_term.matches)
            if count:
                tf += boost * count / (1 - B + B * doc.lengths[name] / (self._avg[name] or 1))
        return tf

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        """The best sections for a query, best first, each with its answering passages; empty when nothing matches."""
        terms = self._expand(query)
        if not terms:
            return []
        n = len(self._docs)
        tfs = [[self._tf(doc, t) for t in terms] for doc in self._docs]
        idfs = []
        for column in range(len(terms)):
            df = sum(1 for row in tfs if row[column])
            idfs.append(math.log(1 + (n - df + 0.5) / (df + 0.5)))
        weights = [t.weight * idf for t, idf in zip(terms, idfs, strict=True)]
        total = sum(weights) or 1.0
        unknown = sum(1 for t in terms if not t.matches)
        outside = {term(w) for w in tokens(query) if confidence.is_outside(w)}
        ranked: list[tuple[float, str, _Doc, float, frozenset[str], int]] = []
        for doc, row in zip(self._docs, tfs, strict=True):
            score = matched_weight = 0.0
            matched: set[str] = set()
            own = 0
            for query_term, weight, tf in zip(terms, weights, row, strict=True):
                if tf:
                    score += weight * tf * (K1 + 1) / (tf + K1)
                    matched_weight += weight
                    matched.update(t for t, _ in query_term.matches)
                    own += query_term.weight >= OWN_WORD
            coverage = matched_weight / total
            # Prefer sections that answer more of the question over ones that repeat one word of it.
            score *= COORDINATION + (1 - COORDINATION) * coverage
            ranked.append((score, doc.section.id, doc, coverage, frozenset(matched), own))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        hits = []
        for score, _id, doc, coverage, matched, own in ranked[:limit]:
            if score <= 0:
                break
            lex = [_passage_score(counter, terms, weights) for counter in doc.passage_terms]
            cover = [_shown_weight([counter], terms, weights) / total for counter in doc.passage_terms]
            asked = [0.0] * len(doc.passages)
            for counter, at in doc.faq:
                asked[at] = max(asked[at], _passage_score(counter, terms, weights))
            found = features(doc.passages, lex, cover, doc.cues, asked)
            shown = choose(doc.passages, scores(found))
            shown_coverage = _shown_weight([doc.passage_terms[i] for i in shown], terms, weights) / total
            hits.append(
                Hit(
                    doc.section,
                    score,
                    matched,
                    coverage,
                    passages=doc.passages,
                    shown=tuple(shown),
                    shown_coverage=shown_coverage,
                    own=own,
                    unknown=unknown,
                    outside=len(outside - matched),
                    passage_features=tuple(found),
                )
            )
        return hits

    def outside(self, query: str) -> list[str]:
        """The query's words on topics no code settles (pay, leave, IT help) that this code does not use either."""
        return [
            word
            for word in tokens(query)
            if confidence.is_outside(word) and not self._matches(term(word))
        ]

    def closest_titles(self, query: str, limit: int = 3) -> list[Section]:
        """Sections whose titles look most like the query, for when nothing matched well."""
        titles = {doc.section.id: fold(doc.section.title) for doc in self._docs}
        found = process.extract(fold(query), titles, scorer=fuzz.token_set_ratio, limit=limit)
        by_id = {doc.section.id: doc.section for doc in self._docs}
        return [by_id[key] for _, _, key in found]


def _passage_score(counter: Counter[str], terms: list[_QueryTerm], weights: list[float]) -> float:
    """How well one passage answers the query: the weight of the query terms it holds, saturating on repeats."""
    score = 0.0
    for query_term, weight in zip(terms, weights, strict=True):
        tf = sum(counter.get(t, 0) * factor for t, factor in query_term.matches)
        if tf:
            score += weight * tf * (K1 + 1) / (tf + K1)
    return score


def _shown_weight(counters: list[Counter[str]], terms: list[_QueryTerm], weights: list[float]) -> float:
    """The weight of the query terms that occur anywhere in the shown passages."""
    return sum(
        weight
        for query_term, weight in zip(terms, weights, strict=True)
        if any(counter.get(t) for counter in counters for t, _ in query_term.matches)
    )


def unknown_weight(word: str) -> float:
    """How much a query word the code does not know counts: less the more everyday the word is."""
    common = zipf(word) - UNKNOWN_COMMON_ZIPF
    return 1.0 if common <= 0 else max(UNKNOWN_MIN_WEIGHT, 1.0 - common / 3)


def snippet(hit: Hit, mark: str = "**") -> str:
    """The passage the bot shows for a hit: whole sentences and list items, matched words marked."""
    if not hit.passages:
        return hit.section.text
    return render(hit.passages, hit.shown, hit.matched, mark)
