"""One ranked section of a lookup, with its passages and the verdicts of the confidence gate."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge import confidence
from bot.knowledge.packs import Section
from bot.knowledge.passages import Passage
from bot.knowledge.snippets import render


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
    similarity: float = 0.0  # how close in meaning the question is to the section's best passage or FAQ question
    shown_similarity: float = 0.0  # the same, for the best of the shown passages
    lead: float = 0.0  # how far this section's rank is ahead of the next one's
    share: float = 0.0  # the ranking model's probability that this section is the one (softmax over the pack)
    certainty: float = 0.0  # the passage model's probability for the best passage shown
    rank_features: dict[str, float] | None = None  # what the ranking model weighed, for bench/calibrate.py
    text_only: bool = False  # the pack has no hand-written keywords or FAQ (an imported code): its own models

    @property
    def signals(self) -> confidence.Signals:
        """What the confidence gate weighs for this hit."""
        return confidence.Signals(
            self.score,
            self.coverage,
            self.shown_coverage,
            self.own,
            self.unknown,
            self.outside,
            self.similarity,
            self.shown_similarity,
            self.lead,
            self.share,
            self.certainty,
            text_only=self.text_only,
        )

    @property
    def good(self) -> bool:
        """Whether this hit is a confident answer rather than a loose association."""
        return confidence.confident(self.signals)

    @property
    def plausible(self) -> bool:
        """Whether this hit is worth showing as the closest passage when it is not a confident answer."""
        return confidence.plausible(self.signals)


def snippet(hit: Hit, mark: str = "**") -> str:
    """The passage the bot shows for a hit: whole sentences and list items, matched words marked."""
    if not hit.passages:
        return hit.section.text
    return render(hit.passages, hit.shown, hit.matched, mark)
