"""The pure flow engine: steps, saved state, and the rules every flow shares (stop, terug, help, change)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.core.turns import Choice, Reply, UserRef
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.knowledge.text import fold
from dialogs import texts as t

CONFIRM = "_confirm"  # the summary, waiting for send / change / cancel
CHANGE = "_change"  # the list of fields the user may change

STOP_WORDS = {"stop", "annuleer", "annuleren", "cancel", "afbreken", "stoppen"}
BACK_WORDS = {"terug", "vorige", "back"}
HELP_WORDS = {"help", "hulp", "?", "uitleg", "waarom"}

Answers = dict[str, Any]


class Invalid(ValueError):
    """An answer a step cannot use; the message tells the user in Dutch what to do instead."""


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
    finish: Callable[[Context, Answers], Any]  # the outcome the conversation core stores
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


def start(flow: Flow, ctx: Context, answers: Answers | None = None) -> Result:
    """Begin a flow: its introduction and the first question."""
    state = {"flow": flow.name, "answers": dict(answers or {}), "history": [], "at": None}
    return _next(flow, state, ctx, flow.intro(ctx))


def advance(flow: Flow, state: dict[str, Any], text: str, ctx: Context) -> Result:
    """Apply one answer to a saved state; pure: the caller saves the returned state."""
    state = {**state, "answers": dict(state["answers"]), "history": list(state["history"])}
    command = fold(text).strip(" .!")
    if command in STOP_WORDS:
        return Result(None, [Reply(t.STOPPED)])
    at = state["at"]
    if command in BACK_WORDS:
        return _back(flow, state, ctx)
    if command in HELP_WORDS:
        help_text = t.CONFIRM_HELP if at in (CONFIRM, CHANGE) else flow.step(at).help(ctx, state["answers"])
        return Result(state, [Reply(help_text), _ask(flow, state, ctx)])
    if at == CONFIRM:
        return _on_confirm(flow, state, text, ctx)
    if at == CHANGE:
        return _on_change(flow, state, text, ctx)
    step = flow.step(at)
    try:
        value = step.parse(text, ctx, state["answers"])
    except Invalid as problem:
        question = step.ask(ctx, state["answers"])
        return Result(state, [Reply(f"{problem}\n\n{question.text}", question.choices, question.card)])
    except Leave as leave:
        return Result(None, leave.replies)
    answers = state["answers"]
    old = answers.get(step.id, _MISSING)
    done = step.keep(answers, value, ctx) if step.keep else _keep(answers, step.id, value)
    if old is not _MISSING and answers.get(step.id) != old:
        for key in step.clears:
            answers.pop(key, None)
    if done and (not state["history"] or state["history"][-1] != step.id):
        state["history"].append(step.id)
    return _next(flow, state, ctx, [])


_MISSING = object()


def _keep(answers: Answers, key: str, value: Any) -> bool:
    answers[key] = value
    return True


def _pending(flow: Flow, answers: Answers, ctx: Context) -> Step | None:
    """The first step that applies and has no answer yet; answers of steps that no longer apply are dropped."""
    for step in flow.steps:
        if not step.when(ctx, answers):
            answers.pop(step.id, None)
    return next((s for s in flow.steps if s.when(ctx, answers) and not s.complete(answers)), None)


def _next(flow: Flow, state: dict[str, Any], ctx: Context, before: list[Reply]) -> Result:
    step = _pending(flow, state["answers"], ctx)
    if step is not None:
        state["at"] = step.id
        return Result(state, [*before, step.ask(ctx, state["answers"])])
    if not flow.confirm:
        return Result(None, before, flow.finish(ctx, state["answers"]))
    state["at"] = CONFIRM
    return Result(state, [*before, summary(flow, state["answers"], ctx)])


def _ask(flow: Flow, state: dict[str, Any], ctx: Context) -> Reply:
    at = state["at"]
    if at == CONFIRM:
        return summary(flow, state["answers"], ctx)
    if at == CHANGE:
        return _change_menu(flow, state["answers"], ctx)
    return flow.step(at).ask(ctx, state["answers"])


def _back(flow: Flow, state: dict[str, Any], ctx: Context) -> Result:
    if state["at"] == CHANGE:
        state["at"] = CONFIRM
        return Result(state, [_ask(flow, state, ctx)])
    if not state["history"]:
        return Result(state, [Reply(t.NO_BACK), _ask(flow, state, ctx)])
    previous = flow.step(state["history"].pop())
    state["answers"].pop(previous.id, None)
    for key in previous.clears:
        state["answers"].pop(key, None)
    state["at"] = previous.id
    return Result(state, [previous.ask(ctx, state["answers"])])


def summary(flow: Flow, answers: Answers, ctx: Context) -> Reply:
    """The answers so far, with send / change / cancel."""
    lines = [f"• {label}: {value}" for label, value in summary_facts(flow, answers, ctx)]
    text = f"{flow.summary_title}\n\n" + "\n".join(lines) + f"\n\n{t.CONFIRM_QUESTION}"
    choices = (
        Choice(flow.send_label, "verzenden"),
        Choice(t.CHANGE_LABEL, "aanpassen"),
        Choice(t.CANCEL_LABEL, "stop"),
    )
    return Reply(text, choices)


def summary_facts(flow: Flow, answers: Answers, ctx: Context) -> list[tuple[str, str]]:
    """Each labelled answer as (label, shown value), in the flow's order."""
    facts = [
        (step.title(ctx), step.show(answers[step.id], ctx, answers))
        for step in flow.steps
        if step.label and step.id in answers and step.when(ctx, answers)
    ]
    return facts + (flow.extra_facts(ctx, answers) if flow.extra_facts else [])


CONFIRM_OPTIONS = (
    Option(
        "verzenden", "Verzenden", ("verstuur", "versturen", "ok", "ja", "bevestig", "bevestigen", "klopt", "doorsturen")
    ),
    Option("aanpassen", "Iets aanpassen", ("wijzig", "wijzigen", "aanpassen", "verander", "veranderen", "pas")),
)


def _on_confirm(flow: Flow, state: dict[str, Any], text: str, ctx: Context) -> Result:
    try:
        choice = match_option(text, CONFIRM_OPTIONS)
    except Invalid as problem:
        return Result(
            state, [Reply(f"{problem}\n\n{t.CONFIRM_QUESTION}", summary(flow, state["answers"], ctx).choices)]
        )
    if choice.value == "aanpassen":
        state["at"] = CHANGE
        return Result(state, [_change_menu(flow, state["answers"], ctx)])
    return Result(state, [], flow.finish(ctx, state["answers"]))


def _changeable(flow: Flow, answers: Answers, ctx: Context) -> list[Step]:
    return [s for s in flow.steps if s.label and s.id in answers and s.when(ctx, answers)]


def _change_menu(flow: Flow, answers: Answers, ctx: Context) -> Reply:
    steps = _changeable(flow, answers, ctx)
    return Reply(t.CHANGE_QUESTION, tuple(Choice(step.title(ctx), f"wijzig {step.id}") for step in steps))


def _on_change(flow: Flow, state: dict[str, Any], text: str, ctx: Context) -> Result:
    steps = _changeable(flow, state["answers"], ctx)
    options = tuple(Option(f"wijzig {s.id}", s.title(ctx), (s.id,)) for s in steps)
    try:
        choice = match_option(text, options)
    except Invalid as problem:
        return Result(state, [Reply(f"{problem}", _change_menu(flow, state["answers"], ctx).choices)])
    step = flow.step(choice.value.removeprefix("wijzig "))
    state["at"] = step.id
    return Result(state, [step.ask(ctx, state["answers"])])


def match_option(text: str, options: tuple[Option, ...]) -> Option:
    """The option an answer means: its number, its value, its label, or a clear part of it."""
    answer = fold(text).strip(" .!?")
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    for option in options:
        if answer in (fold(option.value), fold(option.label)):
            return option
    words = set(answer.replace(",", " ").replace("/", " ").split())
    found = [o for o in options if words & {fold(w) for w in o.words}]
    if len(found) != 1 and len(answer) >= 3:
        found = [o for o in options if answer in fold(o.label)]
    if len(found) == 1:
        return found[0]
    labels = "\n".join(f"{number}. {option.label}" for number, option in enumerate(options, start=1))
    raise Invalid(t.PICK_ONE.format(options=labels))
