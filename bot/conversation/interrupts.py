"""Flows that let go: tell an answer from a new question, a command, an old button or a return after a pause."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.knowledge.text import fold
from dialogs.matching import is_stop

PAUSE = timedelta(minutes=30)  # after this long, the next message is not taken as an answer without asking
TOUCHED = "touched"  # state key: when the flow last moved (ISO time), set by the conversation on every save
HELD = "held"  # state key: the conversation asked "verdergaan of stoppen?" and waits for the answer
RESUME_WORDS = {"verdergaan", "verder", "doorgaan", "ga verder", "hervatten", "ja", "ja verder"}
SWITCH = re.compile(r"^\s*stop(?:pen)? en (.+)$", re.IGNORECASE)  # "stop en geschenk": stop, then run that command
QUESTION_START = re.compile(
    r"^(mag|mogen|kan|kun|kunnen|moet|moeten|wat|wie|waar|wanneer|hoe|hoeveel|waarom|welke?|is|zijn|heb|hebben|"
    r"wordt|word|zal|zou|bestaat|geldt)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Interruption:
    """Why a message during a flow is not taken as its answer."""

    kind: str  # "paused", "command", "question" or "button"


def touched_at(state: dict[str, Any]) -> datetime | None:
    """When the flow last moved, if the state says."""
    value = state.get(TOUCHED)
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def is_question(text: str) -> bool:
    """Whether a message reads as a new question rather than an answer: a short question with a question word."""
    stripped = text.strip()
    return stripped.endswith("?") and len(stripped) <= 200 and bool(QUESTION_START.match(fold(stripped)))


def interruption(
    state: dict[str, Any],
    text: str,
    button: bool,
    expected: set[str],
    is_command: bool,
    long_text: bool,
    now: datetime,
) -> Interruption | None:
    """Whether this message interrupts the running flow, and why; None means: it is the answer.

    A question typed where a description is asked may well be the description, so only short-answer steps
    treat a question as new."""
    if button and text not in expected:
        return Interruption("button")
    if button:
        return None
    last = touched_at(state)
    if last is not None and now - last > PAUSE:
        return Interruption("paused")
    if is_command:
        return Interruption("command")
    if not long_text and is_question(text):
        return Interruption("question")
    return None


def resume_answer(text: str) -> str | None:
    """How a user answered 'verdergaan of stoppen?': 'resume', 'stop', 'switch:<command>' or None (unclear)."""
    folded = fold(text).strip(" .!")
    switch = SWITCH.match(folded)
    if switch:
        return f"switch:{switch.group(1).strip()}"
    if folded in RESUME_WORDS:
        return "resume"
    if folded == "nee" or is_stop(text):
        return "stop"
    return None
