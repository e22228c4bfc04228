"""Vermoeden melden: report a suspicion, routed as the organisation's code prescribes, with the name or anonymous."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge.basis import named_with_basis, route_sentence
from bot.knowledge.packs import CaseKind, OrgType, Pack, Role
from bot.knowledge.roles import role_name
from bot.knowledge.routing import Destination, destination, route_for
from bot.vocabulary.outcomes import Person, ReportOutcome
from bot.vocabulary.turns import Choice, Reply
from dialogs import texts as t
from dialogs.flow import Answers, Context, Flow, Leave, Option, Step
from dialogs.matching import match_option
from dialogs.steps import YES_NO_UNKNOWN, choice_step, name_step, person_step, question, text_step, user_name

KIND_OPTIONS = (
    Option(
        "rule_breach", t.KIND_RULES, ("regels", "fraude", "corruptie", "belangenvermenging", "omkoping", "steekpenning")
    ),
    Option(
        "behaviour",
        t.KIND_BEHAVIOUR,
        ("gedrag", "pesten", "gepest", "geweld", "seksueel", "intimidatie", "discriminatie", "grensoverschrijdend"),
    ),
    Option("misuse", t.KIND_MISUSE, ("misbruik", "middelen", "informatie", "materiaal", "gegevens", "diefstal")),
    Option("unsure", t.KIND_UNSURE, ("weet", "twijfel", "onzeker", "geen idee")),
)
IMPLICATED_OPTIONS = (
    Option("ja", t.IMPLICATED_YES, ("ja", "jawel", "betrokken", "zeker")),
    Option("nee", t.IMPLICATED_NO, ("nee", "neen", "no")),
)
IDENTITY_OPTIONS = (
    Option("named", t.IDENTITY_NAMED, ("naam", "vertrouwelijk", "named", "met naam", "niet anoniem")),
    Option("anonymous", t.IDENTITY_ANONYMOUS, ("anoniem", "anonymous", "zonder", "zonder naam", "zonder mijn naam")),
)


CRIME_OPTIONS = (
    Option("ja", t.YES, ("ja", "jawel", "zeker", "misdrijf", "strafbaar")),
    Option("nee", t.NO, ("nee", "neen", "no")),
    Option("onbekend", t.DONT_KNOW, ("weet", "twijfel", "misschien", "onbekend", "geen idee")),
)
CRIME_CAN_APPLY = ("rule_breach", "misuse", "unsure")  # kinds where the code may route an offence apart


def external_channel(pack: Pack) -> str:
    """The external reporting channel for this kind of organisation, in one sentence, on the law's basis."""
    org = pack.code.name
    if pack.code.type == OrgType.MUNICIPALITY:
        return t.EXTERNAL_MUNICIPALITY
    if pack.code.type == OrgType.INTERMUNICIPAL:
        return t.EXTERNAL_INTERMUNICIPAL.format(org=org)
    return t.EXTERNAL_ASSOCIATION.format(org=org)


def _asks_crime(ctx: Context, answers: Answers) -> bool:
    return ctx.pack.has_route(CaseKind.CRIME) and answers.get("kind") in CRIME_CAN_APPLY


def route_kind(ctx: Context, answers: Answers) -> str:
    """The routing kind of this report: a criminal offence goes its own way where the code says so."""
    if _asks_crime(ctx, answers) and answers.get("crime") in ("ja", "onbekend"):
        return CaseKind.CRIME.value
    return answers["kind"]


def _target(ctx: Context, answers: Answers) -> Destination | None:
    return destination(ctx.pack, route_kind(ctx, answers), answers.get("excluded", []))


def _current_role(ctx: Context, answers: Answers) -> Role | None:
    target = _target(ctx, answers)
    return target.role if target else None


def _unsure_help(ctx: Context, answers: Answers) -> str:
    """The kind help, saying where an unsure report goes and on what basis."""
    target = destination(ctx.pack, "unsure")
    where = named_with_basis(ctx.pack, role_name(target.role), target.step) if target else "het intern meldpunt"
    return t.KIND_HELP.format(unsure=where)


def _ask_implicated(ctx: Context, answers: Answers) -> Reply:
    target = _target(ctx, answers)
    assert target is not None  # the step leaves the flow before every role is excluded
    text = t.IMPLICATED_QUESTION.format(route=route_sentence(ctx.pack, target.step, target.role))
    return question(text, t.IMPLICATED_WHY, tuple(Choice(o.label, o.value) for o in IMPLICATED_OPTIONS))


def _parse_implicated(text: str, ctx: Context, answers: Answers) -> str:
    value = match_option(text, IMPLICATED_OPTIONS).value
    role = _current_role(ctx, answers)
    if value == "ja" and role is not None:
        excluded = [*answers.get("excluded", []), role.id]
        if destination(ctx.pack, route_kind(ctx, answers), excluded) is None:
            external = external_channel(ctx.pack)
            raise Leave([Reply(t.NO_ONE_LEFT.format(org=ctx.pack.code.name, external=external))])
    return value


def _keep_implicated(answers: Answers, value: str, ctx: Context) -> bool:
    role = _current_role(ctx, answers)
    assert role is not None
    if value == "ja":
        answers["excluded"] = [*answers.get("excluded", []), role.id]
        answers.pop("implicated", None)
        answers.pop("recipient", None)
        return False  # ask again about the next role the code names
    answers["implicated"] = "nee"
    answers["recipient"] = role.id
    return True


def _show_recipient(value: str, ctx: Context, answers: Answers) -> str:
    role = ctx.pack.role(answers["recipient"])
    step = route_for(ctx.pack, route_kind(ctx, answers)).step(answers["recipient"])
    name = role.name if role else answers["recipient"]
    return named_with_basis(ctx.pack, name, step) if step else name


def _recipient_is_personal(ctx: Context, answers: Answers) -> bool:
    role = ctx.pack.role(answers.get("recipient", ""))
    return role is not None and role.personal


def steps() -> tuple[Step, ...]:
    """The questions of the report flow, in order."""
    return (
        choice_step(
            "kind",
            t.KIND_QUESTION,
            lambda ctx, answers: t.KIND_WHY.format(org=ctx.pack.code.name),
            KIND_OPTIONS,
            _unsure_help,
            label="Soort",
            show=lambda value, ctx, answers: t.KIND_SHORT[value],
            clears=("crime", "implicated", "recipient", "excluded", "recipient_person"),
        ),
        choice_step(
            "crime",
            t.CRIME_QUESTION,
            lambda ctx, answers: t.CRIME_WHY.format(org=ctx.pack.code.name),
            CRIME_OPTIONS,
            t.CRIME_HELP,
            label=t.LABEL_CRIME,
            when=_asks_crime,
            clears=("implicated", "recipient", "excluded", "recipient_person"),
        ),
        Step(
            id="implicated",
            ask=_ask_implicated,
            parse=_parse_implicated,
            help=lambda ctx, answers: t.IMPLICATED_HELP,
            label=t.LABEL_RECIPIENT,
            show=_show_recipient,
            keep=_keep_implicated,
            clears=("recipient_person",),
        ),
        person_step(
            "recipient_person",
            lambda ctx, answers: t.RECIPIENT_PERSON_QUESTION.format(
                role=ctx.pack.role(answers["recipient"]).name.lower()
            ),
            t.RECIPIENT_PERSON_WHY,
            lambda ctx, answers: t.RECIPIENT_PERSON_HELP.format(role=ctx.pack.role(answers["recipient"]).name.lower()),
            label=t.LABEL_RECIPIENT_PERSON,
            when=_recipient_is_personal,
        ),
        text_step("what", t.WHAT_QUESTION, t.WHAT_WHY, t.WHAT_HELP, minimum=20, maximum=4000, label=t.LABEL_WHAT),
        text_step("when", t.WHEN_QUESTION, t.WHEN_WHY, t.WHEN_HELP, minimum=2, maximum=200, label=t.LABEL_WHEN),
        text_step(
            "where", t.WHERE_QUESTION, t.WHERE_WHY, t.WHERE_HELP, maximum=300, optional=True, label=t.LABEL_WHERE
        ),
        choice_step(
            "evidence", t.EVIDENCE_QUESTION, t.EVIDENCE_WHY, YES_NO_UNKNOWN, t.EVIDENCE_HELP, label=t.LABEL_EVIDENCE
        ),
        choice_step(
            "identity", t.IDENTITY_QUESTION, t.IDENTITY_WHY, IDENTITY_OPTIONS, t.IDENTITY_HELP, label=t.LABEL_IDENTITY
        ),
        _named(name_step()),
    )


def _named(step: Step) -> Step:
    """The name question applies only to a report made with the name."""
    return replace(step, when=lambda ctx, answers: answers.get("identity") == "named" and not ctx.user.name)


def intro(ctx: Context) -> list[Reply]:
    """What happens with a report, the deadlines, and when another route fits better."""
    pack = ctx.pack
    text = t.REPORT_INTRO.format(org=pack.code.name, external=external_channel(pack))
    return [Reply(text)]


def finish(ctx: Context, answers: Answers) -> ReportOutcome:
    """The confirmed report; nothing about the reporter when it is anonymous."""
    route = route_for(ctx.pack, route_kind(ctx, answers))
    step = route.step(answers["recipient"])
    reporter = None
    if answers["identity"] == "named":
        user = ctx.user
        reporter = Person(user_name(ctx, answers), user.channel, user.user_id, user.conversation_id)
    return ReportOutcome(
        org=ctx.pack.org,
        kind=answers["kind"],
        route_kind=route.kind.value,
        recipient_role=answers["recipient"],
        recipient_person=answers.get("recipient_person"),
        section=step.section if step is not None else None,
        description=answers["what"],
        when=answers["when"],
        where=answers.get("where"),
        evidence=answers["evidence"],
        reporter=reporter,
    )


FLOW = Flow(
    name="melden",
    steps=steps(),
    intro=intro,
    summary_title=t.REPORT_SUMMARY,
    send_label=t.REPORT_SEND,
    finish=finish,
)
