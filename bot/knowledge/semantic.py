"""What the sentence encoder adds to lookup: how close a question's meaning is to each section, passage and FAQ."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.knowledge.encoder import Encoder
from bot.knowledge.passages import Passage
from bot.knowledge.vectors import PASSAGE, QUESTION, VectorCache, key

# Similarities of e5 lie in a narrow band (about 0.80 to 1.0): differences are scaled up to weigh like the
# lexical features, and the gate's level is taken around the middle of the band.
SPREAD = 10.0
LEVEL = 0.87
# A section that shares no word with the question is a candidate only when its meaning comes this close:
# below it lie strings of nonsense ("qqqq zzzz" reaches 0.84 against anything).
FLOOR = 0.85
# A passage this close in meaning is worth showing as the closest one, even when the gate doubts: the labelled
# questions on pay, leave and IT help that a code does not settle stay below it (at most 0.885).
NEAR = 0.89


@dataclass(frozen=True)
class SectionMeaning:
    """The vectors of one section: its title, its passages, and the FAQ questions with the passage each points at."""

    title: np.ndarray
    passages: np.ndarray  # one row per passage
    questions: np.ndarray  # one row per FAQ question
    targets: tuple[int, ...]  # the passage each FAQ question's answer points at


@dataclass(frozen=True)
class Closeness:
    """How close a question is, in meaning, to one section: its best passage, FAQ question and title."""

    passages: np.ndarray  # per passage
    asked: np.ndarray  # per passage: the best FAQ question pointing at it (0 where none does)
    passage: float
    question: float
    title: float

    @property
    def best(self) -> float:
        """The closest a passage or a FAQ question of the section comes."""
        return max(self.passage, self.question)


def build(
    encoder: Encoder,
    cache: VectorCache,
    sections: Sequence[tuple[str, Sequence[Passage], Sequence[tuple[str, int]]]],
) -> tuple[list[SectionMeaning], set[bytes]]:
    """The vectors of every section (title, passages, (FAQ question, passage) pairs), and the cache keys used."""
    titles = [title for title, _, _ in sections]
    texts = [in_context(title, passages, p) for title, passages, _ in sections for p in passages]
    questions = [q for _, _, asked in sections for q, _ in asked]
    title_rows = cache.vectors(encoder, PASSAGE, titles)
    passage_rows = cache.vectors(encoder, PASSAGE, texts)
    question_rows = cache.vectors(encoder, QUESTION, questions)
    used = {key(PASSAGE, t) for t in titles + texts} | {key(QUESTION, q) for q in questions}
    meanings, at_passage, at_question = [], 0, 0
    for number, (_, passages, asked) in enumerate(sections):
        meanings.append(
            SectionMeaning(
                title_rows[number],
                passage_rows[at_passage : at_passage + len(passages)],
                question_rows[at_question : at_question + len(asked)],
                tuple(target for _, target in asked),
            )
        )
        at_passage += len(passages)
        at_question += len(asked)
    return meanings, used


def in_context(title: str, passages: Sequence[Passage], passage: Passage) -> str:
    """What the encoder reads for a passage: the section's title, and a list item's introducing line, with it.

    "• voldoende aandacht te besteden aan feedback" means little alone; under "Collegialiteit" and "Dat doen we
    concreet door:" it says what colleagues do."""
    intro = passages[passage.intro].text + " " if passage.item and passage.intro is not None else ""
    return f"{title}. {intro}{passage.text}"


def closeness(meaning: SectionMeaning, query: np.ndarray) -> Closeness:
    """How close a question's vector is to one section's title, passages and FAQ questions."""
    passages = meaning.passages @ query if len(meaning.passages) else np.zeros(0, dtype=np.float32)
    asked = np.zeros(len(passages), dtype=np.float32)
    question = 0.0
    if len(meaning.questions):
        by_question = meaning.questions @ query
        question = float(by_question.max())
        for target, value in zip(meaning.targets, by_question, strict=True):
            asked[target] = max(asked[target], value)
    return Closeness(
        passages, asked, float(passages.max()) if len(passages) else 0.0, question, float(meaning.title @ query)
    )
