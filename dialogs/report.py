"""Vermoeden melden: report a suspicion, routed as the organisation's code prescribes, with the name or anonymous."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge.basis import LAW_NAMES, cite, named_with_basis, reporting_point, route_sentence
from bot.knowledge.packs import BasisKind, CaseKind, OrgType, Pack, Role, RouteStep
from bot.knowledge.roles import role_name
from bot.knowledge.routing import Destination, candidates, destination, route_for
from bot.vocabulary import people
from bot.vocabulary.outcomes import Person, ReportOutcome
from bot.vocabulary.turns import Choice, Reply
from dialogs import reach_texts as rt
from dialogs import texts as t
from dialogs.flow import Answers, Context, Flow, Leave, Option, Step
from dialogs.matching import match_option
from dialogs.steps import (
    YES_NO_UNKNOWN,
    can_reach,
    choice_step,
    name_step,
    person_step,
    question,
    text_step,
    user_name,
)

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
    # Not 'zonder' alone: a sentence typed here ('… zonder offertes') must never choose anonymity.
    Option("anonymous", t.IDENTITY_ANONYMOUS, ("anoniem", "anonymous", "zonder naam", "zonder mijn naam")),
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
    if pack.code.type in (OrgType.MUNICIPALITY, OrgType.OCMW):
        return t.EXTERNAL_MUNICIPALITY
    if pack.code.type == OrgType.INTERMUNICIPAL:
        return t.EXTERNAL_INTERMUNICIPAL.format(org=org)
    if pack.code.type == OrgType.FLEMISH:
        return t.EXTERNAL_FLEMISH
    return t.EXTERNAL_ASSOCIATION.format(org=org)


def _asks_crime(ctx: Context, answers: Answers) -> bool:
    return ctx.pack.has_route(CaseKind.CRIME) and answers.get("kind") in CRIME_CAN_APPLY


def route_kind(ctx: Context, answers: Answers) -> str:
    """The routing kind of this report: a criminal offence goes its own way where the code says so."""
    if _asks_crime(ctx, answers) and answers.get("crime") in ("ja", "onbekend"):
        return CaseKind.CRIME.value
    return answers["kind"]


def _own_role_skipped(answers: Answers) -> bool:
    """Whether the reporter's own leidinggevende or diensthoofd cannot receive this report: it is anonymous (naming
    them would name the reporter), or the bot cannot reach the person named and the reporter chose another way."""
    return answers.get("identity") == "anonymous" or bool(answers.get("rerouted"))


def _instead(ctx: Context, kind: str, excluded: list[str]) -> Destination | None:
    """Who receives a report the route's personal role cannot: the legal reporting point, else the next role of
    the route that is nobody's own."""
    point, route = reporting_point(ctx.pack), route_for(ctx.pack, kind)
    if point is not None and point.reporting_point is not None and point.id not in excluded:
        return Destination(point, route, RouteStep(role=point.id, **point.reporting_point.model_dump()))
    personal = [role.id for role in candidates(ctx.pack, kind) if role.personal]
    return destination(ctx.pack, kind, [*excluded, *personal])


def _target(ctx: Context, answers: Answers) -> Destination | None:
    kind, excluded = route_kind(ctx, answers), answers.get("excluded", [])
    target = destination(ctx.pack, kind, excluded)
    if target is not None and target.role.personal and _own_role_skipped(answers):
        return _instead(ctx, kind, excluded)
    return target


def _instead_sentence(ctx: Context, target: Destination) -> str:
    """Why the report goes to this role instead of the reporter's own: the reporting point's basis, or the route."""
    role, basis, org = target.role, target.step, ctx.pack.code.name
    if role.reporting_point is None:
        return route_sentence(ctx.pack, target.step, role)
    name = role_name(role)
    if basis.basis == BasisKind.LAW and basis.law is not None:
        said = rt.POINT_LAW.format(law=LAW_NAMES[basis.law], name=name)
    else:
        said = rt.POINT_CODE.format(org=org, name=name, quote=basis.quote, cite=cite(ctx.pack, basis))
    return f"{said} {rt.REROUTED_TO.format(name=name)}"


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
    first = destination(ctx.pack, route_kind(ctx, answers), answers.get("excluded", []))
    if first is not None and first.role.personal and first.role.id != target.role.id:
        lines = [_instead_sentence(ctx, target)]
        if answers.get("identity") == "anonymous":
            own = rt.ANONYMOUS_REROUTED.format(personal=role_name(first.role), personal_short=first.role.name.lower())
            lines.insert(0, own)
        route = "\n\n".join(lines)
    else:
        route = route_sentence(ctx.pack, target.step, target.role)
    text = t.IMPLICATED_QUESTION.format(route=route)
    return question(text, t.IMPLICATED_WHY, tuple(Choice(o.label, o.value) for o in IMPLICATED_OPTIONS))


def _parse_implicated(text: str, ctx: Context, answers: Answers) -> str:
    value = match_option(text, IMPLICATED_OPTIONS).value
    role = _current_role(ctx, answers)
    if value == "ja" and role is not None:
        # The next recipient as the flow would pick it: for an anonymous report never the reporter's own role, so
        # the route can run out sooner than the code's list of roles.
        after = {**answers, "excluded": [*answers.get("excluded", []), role.id]}
        if _target(ctx, after) is None:
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


def _recipient_step(ctx: Context, answers: Answers) -> RouteStep | None:
    """The basis on which the recipient was chosen: the route's step, or the reporting point's own."""
    target = _target(ctx, answers)
    if target is not None and target.role.id == answers.get("recipient"):
        return target.step
    return route_for(ctx.pack, route_kind(ctx, answers)).step(answers.get("recipient", ""))


def _show_recipient(value: str, ctx: Context, answers: Answers) -> str:
    role = ctx.pack.role(answers["recipient"])
    step = _recipient_step(ctx, answers)
    name = role.name if role else answers["recipient"]
    return named_with_basis(ctx.pack, name, step) if step else name


def _recipient_is_personal(ctx: Context, answers: Answers) -> bool:
    role = ctx.pack.role(answers.get("recipient", ""))
    return role is not None and role.personal


def _unreachable(ctx: Context, answers: Answers) -> bool:
    """A named report for the reporter's own role, to a person the bot cannot reach, while someone else could
    receive it: ask what to do rather than file it where nobody reads it."""
    if not _recipient_is_personal(ctx, answers) or can_reach(ctx, answers.get("recipient_person")):
        return False
    if "recipient_person" not in answers:
        return False
    return _instead(ctx, route_kind(ctx, answers), answers.get("excluded", [])) is not None


def _reach_options(ctx: Context, answers: Answers) -> tuple[Option, ...]:
    instead = _instead(ctx, route_kind(ctx, answers), answers.get("excluded", []))
    name = role_name(instead.role) if instead else ""
    return (
        Option("point", rt.REACH_POINT.format(name=name), ("meldpunt", "intern", "ja", "indienen", "daar")),
        Option("other", rt.REACH_OTHER, ("ander", "andere", "anders", "iemand", "kiezen", "nee")),
    )


def _ask_reach(ctx: Context, answers: Answers) -> Reply:
    kind, excluded = route_kind(ctx, answers), answers.get("excluded", [])
    instead = _instead(ctx, kind, excluded)
    assert instead is not None  # the step applies only when someone else can receive it
    unknown = rt.REACH_UNKNOWN.format(name=people.display(answers["recipient_person"]))
    text = rt.REACH_QUESTION.format(unknown=unknown, instead=_instead_sentence(ctx, instead))
    return question(text, rt.REACH_WHY, tuple(Choice(o.label, o.value) for o in _reach_options(ctx, answers)))


def _reach_help(ctx: Context, answers: Answers) -> str:
    point, _ = _reach_options(ctx, answers)
    role = ctx.pack.role(answers.get("recipient", ""))
    instead = _instead(ctx, route_kind(ctx, answers), answers.get("excluded", []))
    name = role_name(instead.role) if instead else ""
    return rt.REACH_HELP.format(point=point.label, name=name, role=role.name.lower() if role else "")


def _keep_reach(answers: Answers, value: str, ctx: Context) -> bool:
    """'point': the report goes to the reporting point, asked about like any recipient; 'other': name someone else."""
    answers.pop("recipient_person", None)
    if value == "point":
        answers["rerouted"] = True
        answers.pop("implicated", None)
        answers.pop("recipient", None)
    return False  # the step is done when its question no longer applies


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
            clears=("crime", "implicated", "recipient", "excluded", "recipient_person", "rerouted"),
        ),
        choice_step(
            "crime",
            t.CRIME_QUESTION,
            lambda ctx, answers: t.CRIME_WHY.format(org=ctx.pack.code.name),
            CRIME_OPTIONS,
            t.CRIME_HELP,
            label=t.LABEL_CRIME,
            when=_asks_crime,
            clears=("implicated", "recipient", "excluded", "recipient_person", "rerouted"),
        ),
        # Before anything about the people around the reporter: an anonymous report asks nothing that points at them.
        choice_step(
            "identity",
            t.IDENTITY_QUESTION,
            t.IDENTITY_WHY,
            IDENTITY_OPTIONS,
            t.IDENTITY_HELP,
            label=t.LABEL_IDENTITY,
            clears=("implicated", "recipient", "excluded", "recipient_person", "rerouted"),
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
        Step(
            id="reach",
            ask=_ask_reach,
            parse=lambda text, ctx, answers: match_option(text, _reach_options(ctx, answers)).value,
            help=_reach_help,
            when=_unreachable,
            keep=_keep_reach,
        ),
        text_step("what", t.WHAT_QUESTION, t.WHAT_WHY, t.WHAT_HELP, minimum=20, maximum=4000, label=t.LABEL_WHAT),
        text_step("when", t.WHEN_QUESTION, t.WHEN_WHY, t.WHEN_HELP, minimum=2, maximum=200, label=t.LABEL_WHEN),
        text_step(
            "where", t.WHERE_QUESTION, t.WHERE_WHY, t.WHERE_HELP, maximum=300, optional=True, label=t.LABEL_WHERE
        ),
        choice_step(
            "evidence", t.EVIDENCE_QUESTION, t.EVIDENCE_WHY, YES_NO_UNKNOWN, t.EVIDENCE_HELP, label=t.LABEL_EVIDENCE
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
    step = _recipient_step(ctx, answers)
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
        code_version=ctx.pack.code.version,
    )


FLOW = Flow(
    name="melden",
    steps=steps(),
    intro=intro,
    summary_title=t.REPORT_SUMMARY,
    send_label=t.REPORT_SEND,
    finish=finish,
)
