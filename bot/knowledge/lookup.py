"""Fuzzy, Dutch-aware lookup in one organisation's code: BM25F over lemma stems, then the answering passage."""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge import confidence, misdeeds, ranking, semantic, snippets
from bot.knowledge.encoder import Encoder, encoder
from bot.knowledge.hits import Hit, snippet
from bot.knowledge.lemmas import is_search_word, term
from bot.knowledge.packs import Pack, Section
from bot.knowledge.passages import Passage, answering, split
from bot.knowledge.snippets import choose, cues, features, scores
from bot.knowledge.synonyms import Synonyms
from bot.knowledge.text import fold, is_content_word, tokens, zipf
from bot.knowledge.vectors import QUESTION, VectorCache, key

__all__ = ["Hit", "SectionIndex", "Synonyms", "snippet"]

log = logging.getLogger(__name__)

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


@dataclass
class _Doc:
    section: Section
    fields: dict[str, Counter[str]]
    lengths: dict[str, int]
    passages: tuple[Passage, ...]
    passage_terms: list[Counter[str]]
    cues: list[int]
    faq: list[tuple[Counter[str], int]]  # each FAQ question's terms, and the passage its answer points at
    meaning: semantic.SectionMeaning | None = None


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

    def __init__(self, pack: Pack, synonyms: Synonyms | None = None, model: Encoder | None = None):
        self.pack = pack
        self._answered: dict[str, bool] = {}
        # A pack with no hand-written keywords or FAQ (an imported code) is ranked and gated by its own models.
        self.text_only = pack.faq is None and not any(section.keywords for section in pack.code.sections)
        self.synonyms = synonyms or Synonyms()
        self.encoder = model or encoder()
        self._docs: list[_Doc] = []
        words: set[str] = set()
        asked: list[list[tuple[str, int]]] = []
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
            pointed = [(entry.question, answering(passages, entry.answer)) for entry in entries]
            asked.append([(question, at) for question, at in pointed if at is not None])
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
        # The meaning of every passage, title and FAQ question, from the pack's stored vectors (computed ahead).
        self.vectors = VectorCache(pack.directory)
        meanings, self.vector_keys = semantic.build(
            self.encoder,
            self.vectors,
            [(doc.section.title, doc.passages, pairs) for doc, pairs in zip(self._docs, asked, strict=True)],
        )
        for doc, meaning in zip(self._docs, meanings, strict=True):
            doc.meaning = meaning
        self._misdeeds = self.vectors.vectors(self.encoder, QUESTION, list(misdeeds.PROTOTYPES))
        self.vector_keys |= {key(QUESTION, text) for text in misdeeds.PROTOTYPES}
        if self.vectors.computed:
            # The pack changed since its vectors were shipped: keep the new ones, so the next start is quick again.
            log.warning("%s: %d texts had no stored vector (`make embeddings`)", pack.org, self.vectors.computed)
            self.vectors.save(self.vector_keys)
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

    def embed(self, query: str) -> np.ndarray:
        """The question's vector (20–25 ms on one core); the service computes it off the event loop (`embed_async`)."""
        return self.encoder.query(query)

    async def embed_async(self, query: str) -> np.ndarray:
        """The question's vector, computed in the encoder's thread so other turns go on meanwhile."""
        return await self.encoder.query_async(query)

    def search(self, query: str, limit: int = 3, vector: np.ndarray | None = None) -> list[Hit]:
        """The best sections for a query, best first, each with its answering passages; empty when it has no
        word to search on. Words and meaning both rank: `vector` is the query's, computed here when not given."""
        terms = self._expand(query)
        if not terms:
            return []
        vector = self.embed(query) if vector is None else vector
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
        lexical: list[ranking.Lexical] = []
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
            # An imported code's sections are long and mixed: how well its best passage matches says more.
            passage = 0.0
            if self.text_only and score > 0:
                passage = max((_passage_score(c, terms, weights) for c in doc.passage_terms), default=0.0)
            lexical.append(ranking.Lexical(score, coverage, frozenset(matched), own, passage))
        near = [semantic.closeness(doc.meaning, vector) for doc in self._docs if doc.meaning is not None]
        ranked = ranking.rank(lexical, near, text_only=self.text_only)
        top = ranked[0][1]
        spread = sum(math.exp(value - top) for _, value, _ in ranked)
        hits = []
        # Words or meaning must bring a section near: nonsense matches nothing, however it ranks.
        ranked = [r for r in ranked if lexical[r[0]].score > 0 or near[r[0]].best >= semantic.FLOOR]
        for position, (place, found_rank, rank_features) in enumerate(ranked[:limit]):
            doc, lex_found, close = self._docs[place], lexical[place], near[place]
            following = ranked[position + 1][1] if position + 1 < len(ranked) else found_rank - 1.0
            hits.append(
                self._hit(doc, lex_found, close, terms, weights, total, unknown, outside)
                | {
                    "lead": found_rank - following,
                    "share": math.exp(found_rank - top) / spread,
                    "rank_features": rank_features,
                    "text_only": self.text_only,
                }
            )
        return [Hit(**fields) for fields in hits]

    def _hit(
        self,
        doc: _Doc,
        found: ranking.Lexical,
        close: semantic.Closeness,
        terms: list[_QueryTerm],
        weights: list[float],
        total: float,
        unknown: int,
        outside: set[str],
    ) -> dict:
        """One section's hit, as keyword arguments of Hit: the passages to show and what the gate weighs."""
        lex = [_passage_score(counter, terms, weights) for counter in doc.passage_terms]
        cover = [_shown_weight([counter], terms, weights) / total for counter in doc.passage_terms]
        asked = [0.0] * len(doc.passages)
        for counter, at in doc.faq:
            asked[at] = max(asked[at], _passage_score(counter, terms, weights))
        found_features = features(doc.passages, lex, cover, doc.cues, asked, close.passages, close.asked)
        probabilities = scores(found_features, snippets.TEXT_PASSAGE_WEIGHTS if self.text_only else None)
        shown = choose(doc.passages, probabilities)
        shown_coverage = _shown_weight([doc.passage_terms[i] for i in shown], terms, weights) / total
        shown_similarity = max(
            (max(float(close.passages[i]), float(close.asked[i])) for i in shown if i < len(close.passages)),
            default=0.0,
        )
        return {
            "section": doc.section,
            "score": found.score,
            "matched": found.matched,
            "coverage": found.coverage,
            "passages": doc.passages,
            "shown": tuple(shown),
            "shown_coverage": shown_coverage,
            "own": found.own,
            "unknown": unknown,
            "outside": len(outside - found.matched),
            "passage_features": tuple(found_features),
            "similarity": close.best,
            "shown_similarity": shown_similarity,
            "certainty": max((probabilities[i] for i in shown), default=0.0),
        }

    def answers(self, question: str) -> bool:
        """Whether the code answers a question confidently (asked once per question: the welcome's examples)."""
        if question not in self._answered:
            hits = self.search(question, limit=1)
            self._answered[question] = bool(hits) and hits[0].good
        return self._answered[question]

    def misdeed(self, vector: np.ndarray | None) -> bool:
        """Whether the question, by its meaning, tells of a misdeed that the report flow is for."""
        return vector is not None and float((self._misdeeds @ vector).max()) >= misdeeds.LEVEL

    def outside(self, query: str) -> list[str]:
        """The query's words on topics no code settles (pay, leave, IT help) that this code does not use either."""
        return [word for word in tokens(query) if confidence.is_outside(word) and not self._matches(term(word))]

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
