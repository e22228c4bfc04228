"""When the bot presents a passage as its answer, and when only as the closest it found: a learned gate."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.knowledge.lemmas import lemma
from bot.knowledge.semantic import LEVEL, SPREAD

# A logistic model over the hit's signals, learned by `python -m bench.calibrate` on the development set
# (tests/data/lookup/dev), with the threshold that shows the most right answers less twice the confident wrong
# ones while "honest when unanswerable" stays at 90% or more there; the other sets judge it in
# tests/test_lookup_quality.py.
WEIGHTS = {
    "bias": -2.798,
    "score": 0.571,
    "coverage": -0.364,
    "shown": 0.697,
    "own": 0.27,
    "unknown": -0.206,
    "outside": -0.91,
    "similarity": 0.431,
    "shown_similarity": 1.547,
    "lead": 0.487,
    "share": 0.188,
    "certainty": 0.551,
}
THRESHOLD = 0.5
# Below the gate, a passage is still offered as "the closest I found" from this lower threshold on.
PLAUSIBLE = -0.5

# The same model for a pack with neither hand-written keywords nor FAQ (a code just imported): its signals run
# lower, so it has its own weights, learned by `python -m bench.calibrate --text-only` on the development set
# asked of the five seed codes imported from their raw text (tests/data/lookup/dev, bench/import_loo.py).
TEXT_WEIGHTS: dict[str, float] = {
    "bias": -2.493,
    "score": 0.515,
    "coverage": 0.198,
    "shown": 0.442,
    "own": -0.082,
    "unknown": 0.148,
    "outside": -1.151,
    "similarity": 0.286,
    "shown_similarity": 0.555,
    "lead": 0.732,
    "share": 1.04,
    "certainty": 0.513,
    "foreign": 0.0,
    "foreign_meaning": 0.0,
}
TEXT_THRESHOLD = 0.82
TEXT_PLAUSIBLE = -0.18


# What staff ask a bot but a code of conduct does not settle: pay, leave, sickness, facilities, IT help,
# staff events. A query about one of these that the best section does not speak of is not answered by it.
OUTSIDE = frozenset(
    """
    loon lonen salaris wedde loonbrief loonfiche loonstrook betaaldag uitbetaald uitbetaling eindejaarspremie
    premie premies maaltijdcheques maaltijdcheque ecocheques ecocheque kilometervergoeding onkostenvergoeding
    verlof verlofdag verlofdagen vakantiedagen vakantiedag vakantie feestdag feestdagen recup recuperatie
    ziek ziekte ziekmelding ziekteverlof doktersbriefje dokter attest zwangerschapsverlof ouderschapsverlof
    pensioen parking parkeren parkeerplaats fietsenstalling wifi netwerk helpdesk ticket printer printers
    cartridge toner scherm muis kantine refter menu broodjes koffiemachine lift verwarming airco sleutel
    badge kerstfeest personeelsfeest nieuwjaarsreceptie teambuilding
    """.split()
)


def is_outside(word: str) -> bool:
    """Whether a folded word, or its lemma, names a topic no code settles (pay, leave, IT help)."""
    return word in OUTSIDE or lemma(word) in OUTSIDE


# A question with at least this share of French or English words may be shown its closest passage without a
# word in common with it.
FOREIGN = 0.5


@dataclass(frozen=True)
class Signals:
    """What the gate weighs for the best hit of a query."""

    score: float  # the section's rank score
    coverage: float  # share of the query's weight the section matched
    shown: float  # share of the query's weight the shown passages match
    own: int  # the user's own words the section matched
    unknown: int  # the query's words the code does not know at all
    outside: int = 0  # the query's words on topics outside any code that this section does not speak of
    similarity: float = 0.0  # how close in meaning the question is to the section (encoder, cosine)
    shown_similarity: float = 0.0  # the same, for the passages shown
    lead: float = 0.0  # how far the section's rank is ahead of the next section's
    share: float = 0.0  # the ranking model's probability for this section
    certainty: float = 0.0  # the passage model's probability for the best passage shown
    foreign: float = 0.0  # share of the question's words that are French or English: its words cannot match
    text_only: bool = False  # the pack has no hand-written keywords or FAQ: the text-only model judges

    def features(self) -> dict[str, float]:
        """The model's inputs; the score on a log scale, as its effect flattens out."""
        return {
            "bias": 1.0,
            "score": math.log1p(max(self.score, 0.0)),
            "coverage": self.coverage,
            "shown": self.shown,
            "own": float(min(self.own, 4)),
            "unknown": float(min(self.unknown, 4)),
            "outside": float(min(self.outside, 2)),
            "similarity": (self.similarity - LEVEL) * SPREAD,
            "shown_similarity": (self.shown_similarity - LEVEL) * SPREAD,
            "lead": min(self.lead, 5.0),
            "share": self.share,
            "certainty": self.certainty,
            # A French or English question matches no Dutch word: its meaning has to speak for it.
            "foreign": self.foreign,
            "foreign_meaning": self.foreign * (self.shown_similarity - LEVEL) * SPREAD,
        }


def logit(signals: Signals, weights: dict[str, float] | None = None) -> float:
    """The model's log-odds that this hit is a right answer."""
    if weights is None:
        weights = TEXT_WEIGHTS if signals.text_only else WEIGHTS
    return sum(weights.get(name, 0.0) * value for name, value in signals.features().items())


def confident(signals: Signals) -> bool:
    """Whether a hit is presented as the answer."""
    return logit(signals) >= (TEXT_THRESHOLD if signals.text_only else THRESHOLD)


def plausible(signals: Signals) -> bool:
    """Whether a hit that is not confident is still close enough to show as the nearest passage."""
    floor = TEXT_PLAUSIBLE if signals.text_only else PLAUSIBLE
    return confident(signals) or ((signals.shown > 0 or signals.foreign >= FOREIGN) and logit(signals) >= floor)
