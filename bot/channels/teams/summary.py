"""Recognise a flow's summary (send / change / cancel) and read its answers back as labelled facts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.vocabulary.turns import Reply
from dialogs import texts as t
from dialogs.engine import CONFIRM_OPTIONS

SUMMARY_VALUES = tuple(option.value for option in CONFIRM_OPTIONS)  # the values the engine expects, in its order
BULLET = "• "


@dataclass(frozen=True)
class Summary:
    """A summary as parts: its title, the answers as (label, value), and the question that follows them."""

    title: str
    facts: tuple[tuple[str, str], ...]
    question: str


def is_summary(reply: Reply) -> bool:
    """Whether a reply waits on send / change / cancel, as a flow's summary does."""
    return tuple(choice.value for choice in reply.choices) == SUMMARY_VALUES


def read_summary(text: str) -> Summary | None:
    """The parts of the engine's summary text ('title', '• label: value' lines, the question); None when the text
    has another shape, such as the re-ask after an answer the summary did not understand."""
    blocks = text.split("\n\n")
    if len(blocks) < 3:
        return None
    title, question = blocks[0].strip(), blocks[-1].strip()
    if question != t.CONFIRM_QUESTION:
        return None
    lines = "\n\n".join(blocks[1:-1]).split("\n")
    if not lines or not lines[0].startswith(BULLET):
        return None
    facts: list[list[str]] = []
    for line in lines:
        label, colon, value = line.removeprefix(BULLET).partition(": ")
        if line.startswith(BULLET) and colon:
            facts.append([label.strip(), value])
        elif facts:  # an answer of several lines, such as a description
            facts[-1][1] += "\n" + line
        else:
            return None
    return Summary(title, tuple((label, value.strip()) for label, value in facts), question)
