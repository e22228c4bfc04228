"""Running a flow, pure: its start, one answer at a time, the summary and the rules every flow shares."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.knowledge.text import fold
from bot.vocabulary.turns import Choice, Reply
from dialogs import texts as t
from dialogs.flow import CHANGE, CONFIRM, Answers, Context, Flow, Invalid, Leave, Option, Result, Step
from dialogs.matching import is_stop, match_option

BACK_WORDS = {"terug", "vorige", "back"}
HELP_WORDS = {"help", "hulp", "?", "uitleg", "waarom"}


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
    # The send option under the flow's own button label, so 'Geschenk melden' typed out sends as pressing it does.
    send, *others = CONFIRM_OPTIONS
    try:
        choice = match_option(text, (replace(send, label=flow.send_label), *others))
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
