"""Which sections answer a question best: the lexical match and the encoder's closeness in meaning, fused."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.semantic import SPREAD, Closeness

# A softmax model over a pack's sections, learned by `python -m bench.calibrate` on the development set
# (tests/data/lookup/dev): the lexical score, its share of the best one and the query's coverage; and how far
# each section's best passage, best passage-or-FAQ-question and title stay behind the closest section's.
RANK_WEIGHTS = {
    "lex": 1.853,
    "lexshare": 1.057,
    "coverage": 0.425,
    "passage": 1.213,
    "best": 2.336,
    "title": 0.482,
}

# The same for a pack without hand-written keywords or FAQ (an imported code), learned by
# `python -m bench.calibrate --text-only` on the five seed codes imported from their raw text.
TEXT_RANK_WEIGHTS: dict[str, float] = {
    "lex": 1.06,
    "lexshare": 0.854,
    "coverage": 0.204,
    "passage": 1.473,
    "best": 1.473,
    "title": 0.271,
    "plex": 0.578,
    "plexshare": 0.53,
}


@dataclass(frozen=True)
class Lexical:
    """How one section matched the query's words."""

    score: float
    coverage: float
    matched: frozenset[str]
    own: int
    passage: float = 0.0  # the best passage's lexical score (imported packs only)


def rank_features(lexical: Sequence[Lexical], near: Sequence[Closeness]) -> list[dict[str, float]]:
    """Each section's features for the ranking model, relative to the best section on each signal."""
    top_score = max((found.score for found in lexical), default=0.0)
    top_passage = max((found.passage for found in lexical), default=0.0)
    top = {
        "passage": max((close.passage for close in near), default=0.0),
        "best": max((close.best for close in near), default=0.0),
        "title": max((close.title for close in near), default=0.0),
    }
    rows = []
    for found, close in zip(lexical, near, strict=True):
        rows.append(
            {
                "lex": math.log1p(found.score),
                "lexshare": found.score / top_score if top_score > 0 else 0.0,
                "coverage": found.coverage,
                "passage": (close.passage - top["passage"]) * SPREAD,
                # The best of a passage and a FAQ question: a section without FAQ questions still competes.
                "best": (close.best - top["best"]) * SPREAD,
                "title": (close.title - top["title"]) * SPREAD,
                "plex": math.log1p(found.passage),
                "plexshare": found.passage / top_passage if top_passage > 0 else 0.0,
            }
        )
    return rows


def rank(
    lexical: Sequence[Lexical],
    near: Sequence[Closeness],
    weights: dict[str, float] | None = None,
    text_only: bool = False,
) -> list[tuple[int, float, dict[str, float]]]:
    """The sections in order, best first: (position in the pack, rank value, its features)."""
    if weights is None:
        weights = TEXT_RANK_WEIGHTS if text_only else RANK_WEIGHTS
    rows = rank_features(lexical, near)
    values = [sum(weights.get(name, 0.0) * value for name, value in row.items()) for row in rows]
    order = sorted(range(len(rows)), key=lambda i: (-values[i], i))
    return [(i, values[i], rows[i]) for i in order]
