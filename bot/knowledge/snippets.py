"""The passage shown for a section: the whole sentences that best answer a query, with the context they need."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.knowledge.lemmas import term
from bot.knowledge.passages import Passage
from bot.knowledge.semantic import SPREAD
from bot.knowledge.text import token_spans, tokens

MAX_WORDS = 120  # a snippet grows by whole passages only while it stays this short
MAX_ANSWERING = 4  # passages that answer, not counting the context they need
NEIGHBOUR_SHARE = 0.5  # another passage is shown too when it answers at least this well compared to the best
MAX_ITEMS = 6  # a list introduced by the best passage is shown up to this many items
# A sentence that starts with one of these leans on the one before ("Zo komt je objectiviteit niet …").
LEANS_BACK = frozenset(
    "dit dat die deze dergelijke zulke zulk zo hierbij hiervoor hiermee hiervan hierover daarom daarbij "
    "daarnaast daardoor daarvoor daarvan daarover bovendien ook wel maar echter toch dan zij hij ze".split()
)
SHORT = 6  # a sentence of fewer words rarely stands on its own
LEADS_ON = 12  # a sentence this short usually announces what the next one says
GAP = "\n…\n"
# Words of a sentence that says what to do, may or must, or whom to turn to: such a sentence answers a
# question better than one that describes or motivates; how many a passage holds is one of its features.
CUES = frozenset(
    "mag mogen moet moeten niet nooit geen verboden toegelaten toelaatbaar toestemming goedkeuring melden meld "
    "melding terecht contact contacteer inschakelen aanspreken hoogte verwittig verwittigen leidinggevende "
    "diensthoofd directeur preventieadviseur vertrouwenspersoon vertrouwenspersonen meldpunt steeds altijd "
    "verplicht aanvragen vragen weiger weigeren aanvaarden aanvaard".split()
)
MAX_CUES = 3
# Which passage answers: a logistic model over each passage's features, learned by `python -m bench.calibrate`
# on the development set's answer phrases (tests/data/lookup/dev).
PASSAGE_WEIGHTS = {
    "bias": -2.0,
    "lex": 0.698,
    "cover": 0.339,
    "share": 0.521,
    "best": 0.311,
    "cues": 0.324,
    "first": -0.382,
    "example": -0.157,
    "item": 0.52,
    "words": 0.196,
    "near": 0.505,
    "faq": 0.418,
    "faq_best": 0.697,
    "sim": 0.975,
    "sim_faq": 2.078,
}
# The same for a pack without hand-written keywords or FAQ (an imported code), learned by
# `python -m bench.calibrate --text-only` on the five seed codes imported from their raw text.
TEXT_PASSAGE_WEIGHTS: dict[str, float] = {
    "bias": -2.0,
    "lex": 1.57,
    "cover": 0.231,
    "share": 0.788,
    "best": -0.175,
    "cues": 0.365,
    "first": -0.691,
    "example": -0.271,
    "item": 0.334,
    "words": 0.357,
    "near": 0.869,
    "faq": 0.0,
    "faq_best": 0.0,
    "sim": 1.965,
    "sim_faq": 0.0,
}


def choose(passages: Sequence[Passage], scores: Sequence[float]) -> list[int]:
    """The passages to show, in order: the best answering one, its context and close runners-up.

    `scores` are the passage model's probabilities, one per passage."""
    candidates = [p for p in passages if not p.label]
    if not candidates:
        return [p.index for p in passages]

    def rank(passage: Passage) -> tuple[float, int]:
        return scores[passage.index], -passage.index  # the best, then the earliest

    # Lead with the rule that answers; an example ("Vb:") that answers at least as well comes after it.
    rules = [p for p in candidates if not p.example]
    best = max(rules or candidates, key=rank)
    example = max((p for p in candidates if p.example and p is not best), key=rank, default=None)
    chosen = {best.index}
    budget = [MAX_WORDS - len(best.text.split())]

    def add(passage: Passage, force: bool = False) -> bool:
        size = len(passage.text.split())
        if passage.index in chosen or (size > budget[0] and not force):
            return False
        chosen.add(passage.index)
        budget[0] -= size
        return True

    if best.item and best.intro is not None:
        add(passages[best.intro], force=True)  # an item means little without the line that introduces its list
    elif best.index > 0 and _leans_back(best) and not passages[best.index - 1].label:
        add(passages[best.index - 1], force=True)
    if len(best.text.split()) < LEADS_ON and not best.opens_list:
        # "Bij een vermoeden van onregelmatigheden geldt spreekplicht." says what the next sentence explains.
        after = next((p for p in candidates if p.index > best.index and not p.example), None)
        if after is not None and after.index == best.index + 1:
            add(after)
    if best.opens_list:
        for item in [p for p in passages if p.intro == best.index][:MAX_ITEMS]:
            add(item)
    # Runners-up near the best one answer the same question: nearest first, while the snippet stays short.
    near = sorted(
        (p for p in candidates if p.index != best.index and p.example == best.example),
        key=lambda p: (p.paragraph != best.paragraph, abs(p.index - best.index)),
    )
    answering = 1
    for passage in near:
        if answering >= MAX_ANSWERING:
            break
        if scores[passage.index] < NEIGHBOUR_SHARE * scores[best.index]:
            continue
        before = passages[passage.index - 1] if passage.index else None
        # A runner-up that leans on the sentence before it comes with that sentence, or not at all.
        if before is not None and _leans_back(passage) and before.index not in chosen and not before.label:
            if len(before.text.split()) + len(passage.text.split()) > budget[0]:
                continue
            add(before)
        if add(passage):
            answering += 1
    if example is not None and example.index not in chosen and scores[example.index] >= scores[best.index]:
        label = passages[example.index - 1] if example.index else None
        if add(example) and label is not None and label.label:
            add(label, force=True)  # "Vb:" says that what follows is an example
    return sorted(chosen)


def cues(text: str) -> int:
    """How many words of a passage say what to do, may, must or whom to ask (at most MAX_CUES)."""
    return min(sum(1 for word in tokens(text) if word in CUES), MAX_CUES)


def features(
    passages: Sequence[Passage],
    lex: Sequence[float],
    cover: Sequence[float],
    cue_counts: Sequence[int],
    asked: Sequence[float] | None = None,
    meaning: Sequence[float] | None = None,
    meant: Sequence[float] | None = None,
) -> list[dict[str, float]]:
    """Each passage's features for the model: how well it matches the query, how it reads, how well the FAQ
    questions that point at it match (`asked`), and how close the query is in meaning to the passage (`meaning`)
    and to the FAQ questions that point at it (`meant`)."""
    asked = asked if asked is not None else [0.0] * len(passages)
    meaning = meaning if meaning is not None else [0.0] * len(passages)
    meant = meant if meant is not None else [0.0] * len(passages)
    top_meaning = max(meaning, default=0.0)
    top_meant = max(meant, default=0.0)
    top_asked = max(asked, default=0.0)
    top = max(lex, default=0.0)
    share = [value / top if top > 0 else 0.0 for value in lex]
    first = next((p.index for p in passages if not p.label), 0)
    found = []
    for passage in passages:
        i = passage.index
        near = max(share[i - 1] if i > 0 else 0.0, share[i + 1] if i + 1 < len(passages) else 0.0)
        found.append(
            {
                "bias": 1.0,
                "lex": math.log1p(lex[i]),
                "cover": cover[i],
                "share": share[i],
                "best": 1.0 if top > 0 and lex[i] == top else 0.0,
                "cues": float(cue_counts[i]),
                "first": 1.0 if i == first else 0.0,
                "example": 1.0 if passage.example else 0.0,
                "item": 1.0 if passage.item else 0.0,
                "words": math.log1p(len(passage.text.split())),
                "near": near,
                "faq": math.log1p(asked[i]),
                "faq_best": 1.0 if top_asked > 0 and asked[i] == top_asked else 0.0,
                "sim": float(meaning[i] - top_meaning) * SPREAD,
                # 1 for the passage the closest FAQ question points at, falling to 0 for those far behind or none.
                "sim_faq": max(0.0, 1.0 + float(meant[i] - top_meant) * SPREAD) if meant[i] > 0 else 0.0,
            }
        )
    return found


def scores(found: Sequence[dict[str, float]], weights: dict[str, float] | None = None) -> list[float]:
    """The model's probability, per passage, that it is the one that answers."""
    weights = PASSAGE_WEIGHTS if weights is None or not weights else weights
    result = []
    for row in found:
        z = sum(weights.get(name, 0.0) * value for name, value in row.items())
        result.append(1 / (1 + math.exp(-max(min(z, 30.0), -30.0))))
    return result


def _leans_back(passage: Passage) -> bool:
    words = passage.text.split()
    return len(words) < SHORT or words[0].lower().strip("“\"‘'(") in LEANS_BACK


def render(passages: Sequence[Passage], chosen: Sequence[int], matched: frozenset[str], mark: str = "**") -> str:
    """The chosen passages as one text: running sentences, list items on their own line, a gap marked '…'."""
    parts: list[str] = []
    previous: Passage | None = None
    for index in chosen:
        passage = passages[index]
        body = highlight(passage.text, matched, mark)
        if previous is None:
            parts.append(body)
        elif index != previous.index + 1:
            parts.append(GAP + body)
        elif passage.item or passage.paragraph != previous.paragraph:
            parts.append("\n" + body)
        else:
            parts.append(" " + body)
        previous = passage
    return "".join(parts)


def highlight(text: str, matched: frozenset[str], mark: str = "**") -> str:
    """A text with the words whose terms matched the query marked."""
    if not mark or not matched:
        return text
    pieces, cursor = [], 0
    for start, end, token in token_spans(text):
        if term(token) in matched:
            pieces.append(text[cursor:start] + mark + text[start:end] + mark)
            cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
