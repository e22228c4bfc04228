"""Building blocks for flow steps: choice questions, free text, names and yes/no, each saying why it asks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.knowledge.text import STOP_WORDS as FUNCTION_WORDS
from bot.knowledge.text import fold, tokens
from bot.vocabulary import people
from bot.vocabulary.messages import characters
from bot.vocabulary.turns import Choice, Reply
from dialogs import texts as t
from dialogs.flow import Answers, Context, Invalid, Option, Step
from dialogs.matching import match_option, wants_to_stop

Text = str | Callable[[Context, Answers], str]
SKIP_WORDS = {"overslaan", "sla over", "skip", "-", "geen", "nee", "niets", "liever niet", "geen idee"}

YES_NO = (
    Option("ja", t.YES, ("ja", "jawel", "zeker", "yes", "jep", "klopt")),
    Option("nee", t.NO, ("nee", "neen", "no", "nope", "zeker niet", "helemaal niet", "absoluut niet")),
)
YES_NO_UNKNOWN = (
    *YES_NO,
    Option("onbekend", t.DONT_KNOW, ("weet", "twijfel", "misschien", "onbekend", "geen idee", "niet zeker")),
)


def resolve(text: Text, ctx: Context, answers: Answers) -> str:
    """A fixed text, or one computed from the context and answers."""
    return text(ctx, answers) if callable(text) else text


def question(text: str, why: str, choices: tuple[Choice, ...] = ()) -> Reply:
    """A question with its reason on a line of its own."""
    return Reply(f"{text}\n\n{t.WHY.format(why=why)}", choices)


def choice_step(
    step_id: str,
    ask: Text,
    why: Text,
    options: tuple[Option, ...] | Callable[[Context, Answers], tuple[Option, ...]],
    help_text: Text,
    **step: Any,
) -> Step:
    """A question answered by one of a few options: by button, number, label or a clear word."""

    def current(ctx: Context, answers: Answers) -> tuple[Option, ...]:
        return options(ctx, answers) if callable(options) else options

    def show(value: Any, ctx: Context, answers: Answers) -> str:
        return next((o.label for o in current(ctx, answers) if o.value == value), str(value))

    return Step(
        id=step_id,
        ask=lambda ctx, answers: question(
            resolve(ask, ctx, answers),
            resolve(why, ctx, answers),
            tuple(Choice(o.label, o.value) for o in current(ctx, answers)),
        ),
        parse=lambda text, ctx, answers: match_option(text, current(ctx, answers)).value,
        help=lambda ctx, answers: resolve(help_text, ctx, answers),
        show=step.pop("show", show),
        **step,
    )


def text_step(
    step_id: str,
    ask: Text,
    why: Text,
    help_text: Text,
    minimum: int = 2,
    maximum: int = 200,
    optional: bool = False,
    invalid: str | None = None,
    **step: Any,
) -> Step:
    """A question answered in the user's own words, within length limits; optional ones can be skipped."""

    def parse(text: str, ctx: Context, answers: Answers) -> str | None:
        answer = " ".join(text.split()) if maximum <= 300 else text.strip()
        if optional and fold(answer).strip(" .!") in SKIP_WORDS:
            return None
        if len(answer) < minimum:
            raise Invalid(invalid or t.TOO_SHORT.format(length=characters(len(answer)), minimum=characters(minimum)))
        if len(answer) > maximum:
            raise Invalid(invalid or t.TOO_LONG.format(length=characters(len(answer)), maximum=characters(maximum)))
        return answer

    def ask_text(ctx: Context, answers: Answers) -> Reply:
        text = resolve(ask, ctx, answers)
        return question(f"{text} {t.SKIP_HINT}" if optional else text, resolve(why, ctx, answers))

    return Step(
        id=step_id,
        ask=ask_text,
        parse=parse,
        help=lambda ctx, answers: resolve(help_text, ctx, answers),
        show=step.pop("show", lambda value, ctx, answers: t.NOT_GIVEN if value is None else shorten(value)),
        long_text=maximum > 300,
        **step,
    )


# A syntactically valid e-mail address: one @, a local part, and a domain of dotted labels ending in letters.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)
_NAME_MARKS = " -'’."  # besides letters, a name may hold spaces, hyphens, apostrophes and dots ('Jan-Pieter D'Hondt')
# Answers made only of these words are not a name: 'weet ik niet', 'geen idee', 'niemand', 'de directeur'.
_NOT_NAME_WORDS = FUNCTION_WORDS | {"weet", "idee", "onbekend", "niemand", "stop", "stoppen", "overslaan", "geen"}
_NOT_NAME_WORDS |= {"directeur", "diensthoofd", "leidinggevende", "baas", "chef", "manager", "meneer", "mevrouw"}
# Words that stand in surnames ('Van den Bossche', 'Op de Beeck', 'In 't Zandt', 'Da Silva', 'Al Amrani').
_NAME_PARTICLES = {"van", "de", "den", "der", "ter", "ten", "te", "het", "op", "in", "da", "al", "aan", "na", "ni"}
# An answer with one of these words is no name but a refusal or a sentence: 'anoniem', 'nee', 'ik wil dat niet'.
_SENTENCE_WORDS = (FUNCTION_WORDS - _NAME_PARTICLES) | {
    "anoniem", "anonieme", "anonymous", "neen", "niemand", "onbekend", "weet", "idee", "liever", "zeggen", "stop",
    "stoppen",
}  # fmt: skip
_NAME_WORDS_MAX = 6  # 'Jan-Pieter van den Broeck-De Smet' has five; more is a sentence


def parse_person(text: str) -> str:
    """A person's name or e-mail address as typed; raises Invalid with the reason in Dutch otherwise."""
    answer = " ".join(text.split())
    if "@" in answer:
        if len(answer) > 254 or not _EMAIL.fullmatch(answer):
            raise Invalid(t.PERSON_EMAIL)
        return answer
    if not 2 <= len(answer) <= 100:
        raise Invalid(t.PERSON_LENGTH)
    if any(not (char.isalpha() or char in _NAME_MARKS) for char in answer) or sum(map(str.isalpha, answer)) < 2:
        raise Invalid(t.PERSON_CHARACTERS)
    if not is_name(answer):
        raise Invalid(t.PERSON_NOT_A_NAME)
    return answer


def is_name(text: str) -> bool:
    """Whether typed text can be someone's name: not a refusal ('anoniem', 'nee', 'weet ik niet'), not a
    sentence, not only a title ('de directeur')."""
    words = tokens(text)
    if not words or wants_to_stop(text) or len(text.split()) > _NAME_WORDS_MAX:
        return False
    return not any(word in _SENTENCE_WORDS for word in words) and not all(word in _NOT_NAME_WORDS for word in words)


def can_reach(ctx: Context, value: str | None) -> bool:
    """Whether the bot has a way to reach a person named in a flow: picked in Teams or Slack, matched to the
    contacts, or an address it may mail (a contact's, or in the organisation's own mail domains)."""
    if not value:
        return False
    if people.is_picked(value):
        return True
    return "@" in value and ctx.directory.may_mail(ctx.pack.org, value)


def person_step(step_id: str, ask: Text, why: Text, help_text: Text, **step: Any) -> Step:
    """A question answered with someone's name or e-mail address, such as the user's leidinggevende, or with a
    person picked in Teams or Slack; a typed name or address of someone in the contacts becomes that person."""

    def parse(text: str, ctx: Context, answers: Answers) -> str:
        if people.is_picked(text):  # only a channel's people picker gives this form (see Turn.picked)
            name, channel, user_id = people.identify(text)
            if people.is_person(text, ctx.user.channel, ctx.user.user_id):
                raise Invalid(t.PERSON_IS_YOU)
            known = ctx.directory.person(ctx.pack.org, channel or "", user_id or "")
            return people.encode_on(channel, user_id or "", known.name if known else name)
        answer = parse_person(text)
        for person in _contacts(ctx):
            ids = person.channel_ids()
            if ids and fold(answer) in {fold(person.name), fold(person.email or "")}:
                own = ids.get(ctx.user.channel)
                if own and people.same_user(ctx.user.channel, own, ctx.user.user_id):
                    raise Invalid(t.PERSON_IS_YOU)
                # The id of the channel the user talks in first: that is where the person surely is too.
                channel = ctx.user.channel if ctx.user.channel in ids else next(iter(ids))
                return people.encode_on(channel, ids[channel], person.name)
            if not ids and person.email and fold(answer) == fold(person.name):
                return person.email  # a contact reached by mail only: their own address
        return answer

    base = text_step(step_id, ask, why, help_text, **step)

    def ask_with_picker(ctx: Context, answers: Answers) -> Reply:
        return replace(base.ask(ctx, answers), people_picker=True)  # Teams shows its people picker here

    return replace(base, ask=ask_with_picker, parse=parse, show=lambda value, ctx, answers: people.display(value))


def _contacts(ctx: Context) -> list:
    """Everyone in the deployment's contacts for the user's organisation."""
    orgs = getattr(ctx.directory, "orgs", {}) or {}
    return [person for people_ in orgs.get(ctx.pack.org, {}).values() for person in people_]


def name_step() -> Step:
    """Ask the user's name, only when the channel did not give it; an answer that is no name is refused."""
    step = text_step(
        "name",
        t.ASK_NAME,
        t.ASK_NAME_WHY,
        t.ASK_NAME_HELP,
        minimum=2,
        maximum=100,
        invalid=t.NAME_INVALID,
        label=t.LABEL_NAME,
        when=lambda ctx, answers: not ctx.user.name,
    )

    def parse(text: str, ctx: Context, answers: Answers) -> str:
        name = step.parse(text, ctx, answers)
        if not is_name(name):
            raise Invalid(t.NAME_NOT_A_NAME)
        return name

    return replace(step, parse=parse)


def user_name(ctx: Context, answers: Answers) -> str:
    """The user's name: from the channel, or as they typed it."""
    return ctx.user.name or answers.get("name") or ""


def shorten(text: str, limit: int = 160) -> str:
    """A long answer cut for the summary, on a word boundary."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
