"""Read an amount in euro as people type it: '€ 25', '25,50', 'ongeveer 30 euro', 'vijfentwintig euro'."""

from __future__ import annotations

import re

from bot.knowledge.text import fold

UNKNOWN_WORDS = ("weet ik niet", "weet niet", "geen idee", "onbekend", "geen flauw idee", "?")
_NUMBER = re.compile(r"(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:[,.](\d{1,2}))?(?!\d)")

_UNITS = {
    "nul": 0, "een": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}  # fmt: skip
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
    "negentig": 90,
}  # fmt: skip


def parse_euro(text: str) -> float | None:
    """The amount in euro; None when the user does not know; raises ValueError when no amount is found."""
    folded = fold(text).strip(" .!")
    if not folded or any(word in folded for word in UNKNOWN_WORDS):
        return None
    match = _NUMBER.search(folded)
    if match:
        whole = re.sub(r"[.\s]", "", match.group(1))
        cents = match.group(2) or "0"
        return float(f"{whole}.{cents.ljust(2, '0')}")
    words = folded.replace("-", " ").split()
    total: int | None = None
    for position, word in enumerate(words):
        value = _words_to_number(word)
        following = words[position + 1] if position + 1 < len(words) else ""
        if value is not None and word == "een" and following != "euro":
            value = None  # 'een' is mostly the article: 'een fles wijn'
        if value is None and total is not None:
            break
        if value is not None:
            total = (total or 0) + value  # 'tweehonderd vijftig' is written as two words
    if total is None:
        raise ValueError(f"no amount in {text!r}")
    return float(total)


def _below_hundred(word: str) -> int | None:
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS:
        return _TENS[word]
    # Dutch writes the unit first: vijfentwintig = vijf + en + twintig.
    for tens_word, tens in _TENS.items():
        if word.endswith(tens_word):
            head = word[: -len(tens_word)]
            for joint in ("en", "ën"):
                if head.endswith(joint) and head[: -len(joint)] in _UNITS:
                    return _UNITS[head[: -len(joint)]] + tens
    return None


def _words_to_number(word: str) -> int | None:
    """A Dutch number word up to the thousands ('honderdvijftig', 'tweeduizend'), or None."""
    word = word.removesuffix("euro").strip()
    if not word:
        return None
    for scale_word, scale in (("duizend", 1000), ("honderd", 100)):
        if scale_word in word:
            head, _, tail = word.partition(scale_word)
            multiplier = 1 if not head else _words_to_number(head)
            rest = 0 if not tail else _words_to_number(tail)
            if multiplier is None or rest is None:
                return None
            return multiplier * scale + rest
    return _below_hundred(word)
