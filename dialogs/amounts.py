"""Read an amount in euro as people type it: '€ 25', '25,50', 'dertig euro', '2 x 45', '15 à 20', 'een twintigtal'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge.text import fold

UNKNOWN_WORDS = ("weet ik niet", "weet niet", "geen idee", "onbekend", "geen flauw idee", "?")
_NUMBER = r"(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:[,.](\d{1,2}))?(?!\d)"
# A number, a word, or a sign that joins two numbers ('2x45', '15-20').
_TOKEN = re.compile(rf"{_NUMBER}|([a-z]+)|([x×*\-–])")

_UNITS = {
    "nul": 0, "een": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
}  # fmt: skip
_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
    "negentig": 90,
}  # fmt: skip

_TIMES = {"x", "×", "*", "keer", "maal"}  # '2 x 45', '3 keer 10 euro'
_UP_TO = {"a", "tot", "-", "–"}  # '15 à 20' (folded to 'a'), '15 tot 20', '15-20'
_EURO = {"euro", "euros", "eur"}


@dataclass(frozen=True)
class _Item:
    """One piece of the answer: a number (from digits or words), an operator, 'euro', or any other word."""

    kind: str  # "digits", "words", "times", "up_to", "euro", "other"
    value: float = 0.0

    @property
    def is_number(self) -> bool:
        """Whether this item is an amount."""
        return self.kind in ("digits", "words")


def parse_euro(text: str) -> float | None:
    """The amount in euro; None when the user does not know; raises ValueError when no amount is found."""
    # A product ('2 x 45') is multiplied out; a range ('15 à 20', 'tussen 15 en 20') gives its upper bound,
    # the conservative value for judging a gift.
    folded = fold(text).strip(" .!")
    if not folded or any(word in folded for word in UNKNOWN_WORDS):
        return None
    items = _items(folded)
    for position, item in enumerate(items):
        if item.is_number:
            value, combined = _expression(items, position)
            if combined:
                return value
    # No product or range: the first amount in digits, else the first in words (as before).
    for kind in ("digits", "words"):
        found = next((item.value for item in items if item.kind == kind), None)
        if found is not None:
            return found
    raise ValueError(f"no amount in {text!r}")


def _items(folded: str) -> list[_Item]:
    """The answer as numbers, operators and other words; number words in a row are added up."""
    matches = list(_TOKEN.finditer(folded))
    words = [match.group(3) or match.group(4) for match in matches]
    items: list[_Item] = []
    between = False  # after 'tussen', the next 'en' joins two numbers as a range
    for position, match in enumerate(matches):
        if match.group(1):
            whole = re.sub(r"[.\s]", "", match.group(1))
            cents = (match.group(2) or "0").ljust(2, "0")
            items.append(_Item("digits", float(f"{whole}.{cents}")))
            continue
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else None
        if word in _TIMES:
            items.append(_Item("times"))
        elif word in _UP_TO:
            items.append(_Item("up_to"))
        elif word in _EURO:
            items.append(_Item("euro"))
        elif word == "tussen":
            between = True
            items.append(_Item("other"))
        elif word == "en" and between and items and items[-1].is_number:
            between = False
            items.append(_Item("up_to"))
        else:
            value = _words_to_number(word)
            if word == "een" and following not in (*_EURO, *_TIMES, *_UP_TO):
                value = None  # 'een' is mostly the article: 'een fles wijn', 'een twintigtal euro'
            if value is None:
                items.append(_Item("other"))
            elif items and items[-1].kind == "words":
                items[-1] = _Item("words", items[-1].value + value)  # 'tweehonderd vijftig' as two words
            else:
                items.append(_Item("words", float(value)))
    return items


def _operand(items: list[_Item], position: int) -> int | None:
    """The position of the next item after `position`, skipping 'euro' ('15 euro tot 20 euro')."""
    position += 1
    while position < len(items) and items[position].kind == "euro":
        position += 1
    return position if position < len(items) else None


def _range(items: list[_Item], position: int) -> tuple[float, int, bool]:
    """A number and any upper bounds after it: (value, position after it, whether it was a range)."""
    value, combined = items[position].value, False
    while True:
        sign = _operand(items, position)
        other = _operand(items, sign) if sign is not None else None
        if sign is None or other is None or items[sign].kind != "up_to" or not items[other].is_number:
            return value, position, combined
        value, position, combined = max(value, items[other].value), other, True


def _expression(items: list[_Item], position: int) -> tuple[float, bool]:
    """The amount that starts at a number: ranges take their upper bound, then products are multiplied out."""
    value, position, combined = _range(items, position)
    while True:
        sign = _operand(items, position)
        other = _operand(items, sign) if sign is not None else None
        if sign is None or other is None or items[sign].kind != "times" or not items[other].is_number:
            return value, combined
        factor, position, _ = _range(items, other)
        value, combined = value * factor, True


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
    """A Dutch number word up to the thousands ('honderdvijftig', 'tweeduizend', 'een twintigtal'), or None."""
    word = word.removesuffix("euro").strip()
    if not word:
        return None
    if word.endswith("tal") and len(word) > 3:
        return _words_to_number(word[:-3])  # 'twintigtal', 'honderdtal': about that many
    for scale_word, scale in (("duizend", 1000), ("honderd", 100)):
        if scale_word in word:
            head, _, tail = word.partition(scale_word)
            multiplier = 1 if not head else _words_to_number(head)
            rest = 0 if not tail else _words_to_number(tail)
            if multiplier is None or rest is None:
                return None
            return multiplier * scale + rest
    return _below_hundred(word)
