"""The pure flow engine: steps, saved state, and the rules every flow shares (stop, terug, help, change)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from bot.core.turns import Choice, Reply, UserRef
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.knowledge.text import STOP_WORDS as FUNCTION_WORDS
from bot.knowledge.text import fold, stem, tokens
from dialogs import texts as t

CONFIRM = "_confirm"  # the summary, waiting for send / change / cancel
CHANGE = "_change"  # the list of fields the user may change

STOP_WORDS = {"stop", "annuleer", "annuleren", "cancel", "afbreken", "stoppen"}
BACK_WORDS = {"terug", "vorige", "back"}
HELP_WORDS = {"help", "hulp", "?", "uitleg", "waarom"}

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
    if is_stop(text):
        return Result(None, [Reply(t.STOPPED)])
    at = state["at"]
    if command in BACK_WORDS:
        return _back(flow, state, ctx)
    if command in HELP_WORDS:
        if at in (CONFIRM, CHANGE):
            help_text = t.CONFIRM_HELP.format(send=flow.send_label)
        else:
            help_text = flow.step(at).help(ctx, state["answers"])
        return Result(state, [Reply(help_text), _ask(flow, state, ctx)])
    if at == CONFIRM:
        return _on_confirm(flow, state, text, ctx)
    if at == CHANGE:
        return _on_change(flow, state, text, ctx)
    step = flow.step(at)
    try:
        value = step.parse(text, ctx, state["answers"])
    except Invalid as problem:
        return Result(state, [reprompt(problem, _question(step, ctx, state["answers"]))])
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
        return Result(state, [*before, _question(step, ctx, state["answers"])])
    if not flow.confirm:
        return Result(None, before, flow.finish(ctx, state["answers"]))
    state["at"] = CONFIRM
    return Result(state, [*before, summary(flow, state["answers"], ctx)])


def current_question(flow: Flow, state: dict[str, Any], ctx: Context) -> Reply:
    """The question the flow waits on now: a step, the summary or the change menu."""
    return _ask(flow, state, ctx)


def _ask(flow: Flow, state: dict[str, Any], ctx: Context) -> Reply:
    at = state["at"]
    if at == CONFIRM:
        return summary(flow, state["answers"], ctx)
    if at == CHANGE:
        return _change_menu(flow, state["answers"], ctx)
    return _question(flow.step(at), ctx, state["answers"])


def _question(step: Step, ctx: Context, answers: Answers) -> Reply:
    """A step's question, marked when it wants a long text in the user's own words."""
    question = step.ask(ctx, answers)
    return replace(question, long_answer=True) if step.long_text else question


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
    Option("stop", "Stoppen", ()),  # the summary's third button, so that typing '3' stops as well
)


def _on_confirm(flow: Flow, state: dict[str, Any], text: str, ctx: Context) -> Result:
    try:
        choice = match_option(text, CONFIRM_OPTIONS)
    except Invalid as problem:
        return Result(
            state,
            [
                Reply(
                    f"{problem}\n\n{t.CONFIRM_QUESTION}",
                    summary(flow, state["answers"], ctx).choices,
                    problem=str(problem),
                )
            ],
        )
    if choice.value == "aanpassen":
        state["at"] = CHANGE
        return Result(state, [_change_menu(flow, state["answers"], ctx)])
    if choice.value == "stop":
        return Result(None, [Reply(t.STOPPED)])
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
        choices = _change_menu(flow, state["answers"], ctx).choices
        return Result(state, [Reply(f"{problem}", choices, problem=str(problem))])
    step = flow.step(choice.value.removeprefix("wijzig "))
    state["at"] = step.id
    return Result(state, [step.ask(ctx, state["answers"])])


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


def reprompt(problem: Invalid, question: Reply) -> Reply:
    """A short re-ask after an answer a step could not use: the problem, the question itself, its options once."""
    text = f"{problem}\n\n{question_line(question.text)}"
    if not question.choices and problem.options:
        text += "\n" + "\n".join(f"{number}. {label}" for number, label in enumerate(problem.options, start=1))
    return replace(question, text=text, card=None, problem=str(problem))


def question_line(text: str) -> str:
    """The question itself, without its reason or context: the last line that asks something, else the first line."""
    body = text.split(t.WHY.format(why=""), 1)[0]
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    asking = [line for line in lines if "?" in line and not line.startswith("•") and "“" not in line]
    return asking[-1] if asking else (lines[0] if lines else "")
