"""How a typed answer is understood: an option by its number, label, words, stem or a typo; a wish to stop."""

from __future__ import annotations

from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge.text import STOP_WORDS as FUNCTION_WORDS
from bot.knowledge.text import fold, stem, tokens
from dialogs import texts as t
from dialogs.flow import Invalid, Option

STOP_WORDS = {"stop", "annuleer", "annuleren", "cancel", "afbreken", "stoppen"}


def match_option(text: str, options: tuple[Option, ...]) -> Option:
    """The option an answer means: its number, value or label, its words, or a word inflected or with a typo."""
    answer = fold(text).strip(" .!?")
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    for option in options:
        if answer in (fold(option.value), fold(option.label)):
            return option
    said = tokens(answer)
    scores = [_option_score(said, option) for option in options]
    best = max(scores, default=0)
    winners = [option for option, score in zip(options, scores, strict=True) if score and score == best]
    if best >= _EXACT and len(winners) == 1:
        return winners[0]
    if len(answer) >= 3:
        found = [option for option in options if answer in fold(option.label)]
        if len(found) == 1:
            return found[0]
    if len(winners) == 1:
        return winners[0]
    labels = tuple(option.label for option in options)
    raise Invalid(t.PICK_AMBIGUOUS if len(winners) > 1 else t.PICK_ONE, labels)


# How well an answer matches an option; the best match counts and a tie between options is never guessed.
_EXACT = 10  # one of the option's words or phrases, plus the number of words in it: 'nog niet' beats 'niet'
_SAME_STEM = 3  # 'pest' and 'pesten', 'anonieme' and 'anoniem'
_PREFIX = 2  # 'pestgedrag' and 'pesten', 'frauderen' and 'fraude'
_TYPO = 1  # 'anonien' and 'anoniem'


def _option_score(said: list[str], option: Option) -> int:
    """The best match between the answer's words and an option's words and label."""
    best = 0
    for phrase in option.words:
        parts = tokens(phrase)
        if parts and any(said[i : i + len(parts)] == parts for i in range(len(said) - len(parts) + 1)):
            best = max(best, _EXACT + len(parts))
    if best:
        return best
    # Loosely, only the option's single words and its label count: 'anoniem' in 'niet anoniem' means the opposite.
    single = [word for word in option.words if len(tokens(word)) == 1]
    vocabulary = {word for phrase in (*single, option.label) for word in tokens(phrase) if _matchable(word)}
    return max((_likeness(word, known) for word in said if _matchable(word) for known in vocabulary), default=0)


def _matchable(word: str) -> bool:
    """Words long and meaningful enough to match loosely: never function words or words of 3 letters or fewer."""
    return len(word) >= 4 and word.isalpha() and word not in FUNCTION_WORDS


def _likeness(word: str, known: str) -> int:
    """How close a word of the answer is to a word of an option: same stem, shared prefix, a typo, or not."""
    if word == known:
        return _SAME_STEM
    word_stem, known_stem = stem(word), stem(known)
    if word_stem == known_stem and len(word_stem) >= 4:
        return _SAME_STEM
    for longer, shorter in ((word, known), (known, word), (word, known_stem), (known, word_stem)):
        if len(shorter) >= 4 and longer.startswith(shorter):
            return _PREFIX
    slips = 1 if min(len(word), len(known)) <= 7 else 2
    if DamerauLevenshtein.distance(word, known, score_cutoff=slips) <= slips:
        return _TYPO
    return 0


# A short message that only says 'stop': a stop word, or one of these word groups, with nothing but filler around it.
_STOP_CORES = (
    *(frozenset({word}) for word in ("stop", "stoppen", "annuleer", "annuleren", "afbreken", "cancel", "ophouden")),
    frozenset({"laat", "maar"}),
    frozenset({"niet", "verder"}),
    frozenset({"hou", "op"}),
    frozenset({"houd", "op"}),
)
_STOP_FILLER = frozenset(
    """
    ik wil wilt we ga gaan graag liever toch nu maar ermee hiermee er mee dan nee neen ok oke sorry even
    alsjeblieft aub het alles allemaal hier gewoon meer zitten doen hoor de dit gesprek melding echt eigenlijk
    """.split()
)
_STOP_MAX_WORDS = 6


def is_stop(text: str) -> bool:
    """Whether a message stops a flow: one of the stop words, or a short phrase that clearly asks to stop."""
    return fold(text).strip(" .!") in STOP_WORDS or wants_to_stop(text)


def wants_to_stop(text: str) -> bool:
    """Whether a short message (6 words or fewer) clearly asks to stop: 'ik wil stoppen', 'laat maar', 'stop ermee'."""
    said = tokens(text)
    if not said or len(said) > _STOP_MAX_WORDS:
        return False
    words = set(said)
    return any(core <= words and words - core <= _STOP_FILLER for core in _STOP_CORES)
