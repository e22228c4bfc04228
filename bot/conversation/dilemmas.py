"""Practising the code alone: a dilemma from the organisation's own examples, three or four reactions as buttons,
and the code's answer with its quote. Nothing is stored: not who asked, not what they chose."""

from __future__ import annotations

import random
import re

from rapidfuzz import fuzz

from bot.knowledge.basis import section_title
from bot.knowledge.packs import Pack
from bot.knowledge.text import fold
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Choice, Reply

MIN_TYPED = 15  # shorter text is a question or a command, not a reaction written out
TYPED_SIMILARITY = 90  # rapidfuzz ratio: the reaction itself, give or take a typo or a full stop
ASK = re.compile(r"^\s*(?:een\s+|nog\s+een\s+|geef\s+me\s+een\s+)?dilemma(?:'s)?\s*[?!.]*\s*$", re.IGNORECASE)
CHOSEN = re.compile(r"^\s*dilemma\s+([a-z0-9-]+)\s+(\d)\s*$", re.IGNORECASE)


def is_dilemma(text: str) -> bool:
    """Whether a message asks for a dilemma, or answers one with its button."""
    return bool(ASK.match(text) or CHOSEN.match(text))


def typed_reaction(pack: Pack, text: str) -> str | None:
    """A reaction typed out instead of pressed (the card says typing works), as its button's value: found among
    the code's dilemmas by its words, since nothing records which dilemma this person was shown."""
    if pack.dilemmas is None or len(text) < MIN_TYPED:
        return None
    typed = _words(text)
    for dilemma in pack.dilemmas.dilemmas:
        for number, option in enumerate(dilemma.options):
            if fuzz.ratio(typed, _words(option)) >= TYPED_SIMILARITY:
                return f"dilemma {dilemma.id} {number}"
    return None


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def dilemma_reply(pack: Pack, text: str, chooser: random.Random | None = None) -> Reply:
    """A dilemma to practise (a new one, at random), or the code's answer to the reaction chosen."""
    if pack.dilemmas is None:
        return Reply(msg.DILEMMA_NONE.format(org=pack.code.name))
    chosen = CHOSEN.match(typed_reaction(pack, text) or text)
    if chosen:
        return _answer(pack, chosen.group(1), int(chosen.group(2)))
    dilemma = (chooser or random.Random()).choice(pack.dilemmas.dilemmas)
    choices = tuple(Choice(option, f"dilemma {dilemma.id} {number}") for number, option in enumerate(dilemma.options))
    return Reply(msg.DILEMMA_ASK.format(org=pack.code.name, situation=dilemma.situation), choices=choices)


def _answer(pack: Pack, dilemma_id: str, number: int) -> Reply:
    assert pack.dilemmas is not None
    dilemma = pack.dilemmas.find(dilemma_id)
    if dilemma is None or number >= len(dilemma.options):
        return Reply(msg.DILEMMA_UNKNOWN, choices=(Choice(msg.DILEMMA_ANOTHER, "dilemma"),))
    verdict = msg.DILEMMA_RIGHT if number == dilemma.answer else msg.DILEMMA_OTHER
    text = msg.DILEMMA_ANSWER.format(
        verdict=verdict.format(option=dilemma.options[dilemma.answer]),
        explanation=dilemma.explanation,
        org=pack.code.name,
        quote=dilemma.quote,
        title=section_title(pack, dilemma.section),
    )
    choices = (Choice(msg.READ_ALL, f"sectie {dilemma.section}"), Choice(msg.DILEMMA_ANOTHER, "nog een dilemma"))
    return Reply(text, choices=choices)
