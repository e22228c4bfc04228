"""What a flow is made of: its steps and options, the context it reads, and what one answer led to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.vocabulary.turns import Reply, UserRef

CONFIRM = "_confirm"  # the summary, waiting for send / change / cancel
CHANGE = "_change"  # the list of fields the user may change

Answers = dict[str, Any]


class Invalid(ValueError):
    """An answer a step cannot use; the message tells the user in Dutch what to do instead."""

    def __init__(self, message: str, options: tuple[str, ...] = ()):
        super().__init__(message)
        self.options = options  # the labels to choose from, listed in the text when the question has no buttons


class Leave(Exception):
    """A step ends the flow early with these replies; nothing is stored."""

    def __init__(self, replies: list[Reply]):
        super().__init__("flow left")
        self.replies = replies


@dataclass(frozen=True)
class Context:
    """Everything a flow may read: the organisation's pack, its people, the user and today's date."""

    pack: Pack
    directory: Directory
    user: UserRef
    today: date


@dataclass(frozen=True)
class Option:
    """One answer a choice step accepts: its stored value, its label and other words that clearly mean it."""

    value: str
    label: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """One question of a flow."""

    id: str
    ask: Callable[[Context, Answers], Reply]
    parse: Callable[[str, Context, Answers], Any]  # raises Invalid
    help: Callable[[Context, Answers], str]
    when: Callable[[Context, Answers], bool] = lambda ctx, answers: True
    # The field's name in the summary (text, or computed from the context); None: not shown and not changeable.
    label: str | Callable[[Context], str] | None = None
    show: Callable[[Any, Context, Answers], str] = lambda value, ctx, answers: str(value)
    # How an answer is kept; returns True when the step is complete (False asks it again).
    keep: Callable[[Answers, Any, Context], bool] | None = None
    clears: tuple[str, ...] = ()  # answers that depend on this one and must be asked again when it changes
    long_text: bool = False  # a description in the user's own words, where a question mark is no new question

    def complete(self, answers: Answers) -> bool:
        """Whether this step has its answer."""
        return self.id in answers

    def title(self, ctx: Context) -> str:
        """The field's name in the summary."""
        label = self.label(ctx) if callable(self.label) else self.label
        return label or self.id


@dataclass(frozen=True)
class Flow:
    """A guided dialog: its steps in order, what it says first, and what it produces when confirmed."""

    name: str
    steps: tuple[Step, ...]
    intro: Callable[[Context], list[Reply]]
    summary_title: str
    send_label: str
    finish: Callable[[Context, Answers], Any]  # the outcome the conversation stores
    confirm: bool = True  # False: the flow ends after its last step without a summary
    extra_facts: Callable[[Context, Answers], list[tuple[str, str]]] | None = None  # computed lines in the summary

    def step(self, step_id: str) -> Step:
        """The step with this id."""
        return next(step for step in self.steps if step.id == step_id)


@dataclass
class Result:
    """What one answer led to: the new state (None: the flow ended), replies, and maybe an outcome to store."""

    state: dict[str, Any] | None
    replies: list[Reply] = field(default_factory=list)
    outcome: Any = None
