"""Vertrouwenspersoon zoeken: whom the code names for your situation, and optionally a discreet contact request."""

from __future__ import annotations

from dataclasses import replace

from bot.knowledge.basis import step_reason
from bot.knowledge.packs import CaseKind, Pack, Role
from bot.knowledge.roles import describe_role, role_name
from bot.knowledge.routing import candidates
from bot.vocabulary.outcomes import ContactOutcome, Person
from bot.vocabulary.turns import Choice, Reply
from dialogs import texts as t
from dialogs.flow import Answers, Context, Flow, Leave, Option, Step
from dialogs.matching import match_option
from dialogs.steps import choice_step, name_step, question, text_step, user_name

TOPIC_OPTIONS = (
    Option(
        "people",
        t.TOPIC_PEOPLE,
        ("mensen", "pesten", "gepest", "conflict", "grensoverschrijdend", "geweld", "stress", "overkomt", "collega"),
    ),
    Option("dilemma", t.TOPIC_DILEMMA, ("integriteit", "integriteitsvraag", "twijfel", "dilemma", "vraag")),
    Option("report", t.TOPIC_REPORT, ("melden", "melding", "meldpunt", "aangeven")),
)
# The route whose roles the code names for each topic.
TOPIC_ROUTES = {"people": CaseKind.BEHAVIOUR, "dilemma": CaseKind.QUESTION}
PSYCHOSOCIAL_WORDS = ("vertrouwenspersoon", "preventieadviseur", "preventiedienst")
NO_THANKS = "nee"


def roles_for(pack: Pack, topic: str) -> list[Role]:
    """The roles the code names for a topic, in the code's order."""
    return candidates(pack, TOPIC_ROUTES[topic])


def requestable(pack: Pack, topic: str) -> list[Role]:
    """Roles the bot can send a contact request to: named roles, not the employee's own leidinggevende."""
    return [role for role in roles_for(pack, topic) if not role.personal]


def _is_psychosocial(role: Role) -> bool:
    words = " ".join([role.id, role.name, *role.aliases]).lower()
    return any(word in words for word in PSYCHOSOCIAL_WORDS)


def _psychosocial_text(pack: Pack, roles: list[Role]) -> str:
    """Vertrouwenspersoon versus preventieadviseur; a contact is offered only where the code names one."""
    named = [role for role in roles if _is_psychosocial(role)]
    text = t.PSYCHOSOCIAL_EXPLAINED
    if any(not role.personal for role in named):
        return f"{text} {t.PSYCHOSOCIAL_CONTACT}"
    ask = " of ".join(describe_role(role) for role in roles) or "je leidinggevende"
    return f"{text}\n\n{t.NO_PSYCHOSOCIAL_ROLES.format(org=pack.code.name, ask=ask)}"


def contacts_text(ctx: Context, topic: str) -> str:
    """Whom to turn to for this topic, each with why (the code's words, the law or our default) and the details."""
    pack, org = ctx.pack, ctx.pack.code.name
    roles = roles_for(pack, topic)
    parts = [_psychosocial_text(pack, roles)] if topic == "people" else []
    if not roles:
        parts.append(t.CONTACT_NONE_KNOWN.format(org=org, ask="je leidinggevende"))
        return "\n\n".join(parts)
    route = pack.route(TOPIC_ROUTES[topic])
    lines = [t.CONTACTS_INTRO]
    for role in roles:
        step = route.step(role.id)
        details = [*role.phone, *role.email, *([role.url] if role.url else [])]
        people = [p.name + (f" ({p.email})" if p.email else "") for p in ctx.directory.people(pack.org, role.id)]
        line = t.CONTACT_LINE.format(
            name=role.name,
            details=f" ({', '.join(details)})" if details else "",
            why=step_reason(pack, step) if step else "",
        )
        if people:
            line += t.CONTACT_PEOPLE.format(people=", ".join(people))
        lines.append(line)
    parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _parse_topic(text: str, ctx: Context, answers: Answers) -> str:
    topic = match_option(text, TOPIC_OPTIONS).value
    if topic == "report":
        offer = Reply(t.TOPIC_REPORT_REPLY.format(org=ctx.pack.code.name), (Choice(t.START_REPORT, "melden"),))
        raise Leave([offer])
    if not requestable(ctx.pack, topic):
        raise Leave([Reply(f"{contacts_text(ctx, topic)}\n\n{t.CONTACTS_ONLY_END}")])
    return topic


def _adviser_options(ctx: Context, answers: Answers) -> tuple[Option, ...]:
    roles = requestable(ctx.pack, answers["topic"])
    options = [Option(role.id, role.name, tuple(word.lower() for word in (role.id, *role.aliases))) for role in roles]
    return (*options, Option(NO_THANKS, t.OFFER_NO, ("nee", "neen", "bedankt", "niet")))


def _ask_adviser(ctx: Context, answers: Answers) -> Reply:
    options = _adviser_options(ctx, answers)
    text = f"{contacts_text(ctx, answers['topic'])}\n\n{t.OFFER_QUESTION}"
    return question(text, t.OFFER_WHY, tuple(Choice(o.label, o.value) for o in options))


def _parse_adviser(text: str, ctx: Context, answers: Answers) -> str:
    value = match_option(text, _adviser_options(ctx, answers)).value
    if value == NO_THANKS:
        raise Leave([Reply(t.OFFER_DECLINED)])
    return value


def _role_name(ctx: Context, answers: Answers) -> str:
    role = ctx.pack.role(answers["adviser"])
    return role_name(role) if role else "die persoon"


def steps() -> tuple[Step, ...]:
    """The questions of the adviser flow, in order."""
    topic = choice_step(
        "topic",
        t.TOPIC_QUESTION,
        lambda ctx, answers: t.TOPIC_WHY.format(org=ctx.pack.code.name),
        TOPIC_OPTIONS,
        t.TOPIC_HELP,
        clears=("adviser",),
    )
    return (
        replace(topic, parse=_parse_topic),
        Step(
            id="adviser",
            ask=_ask_adviser,
            parse=_parse_adviser,
            help=lambda ctx, answers: t.OFFER_HELP,
            label=t.LABEL_ADVISER,
            show=lambda value, ctx, answers: ctx.pack.role(value).name if ctx.pack.role(value) else value,
        ),
        text_step(
            "reach",
            lambda ctx, answers: t.REACH_QUESTION.format(role=_role_name(ctx, answers)),
            t.REACH_WHY,
            t.REACH_HELP,
            invalid=t.REACH_INVALID,
            label=t.LABEL_REACH,
        ),
        name_step(),
        text_step("note", t.NOTE_QUESTION, t.NOTE_WHY, t.NOTE_HELP, maximum=300, optional=True, label=t.LABEL_NOTE),
    )


def intro(ctx: Context) -> list[Reply]:
    """A short promise of discretion."""
    return [Reply(t.ADVISER_INTRO)]


def finish(ctx: Context, answers: Answers) -> ContactOutcome:
    """The confirmed contact request."""
    user = ctx.user
    return ContactOutcome(
        org=ctx.pack.org,
        role=answers["adviser"],
        requester=Person(user_name(ctx, answers), user.channel, user.user_id, user.conversation_id),
        reach=answers["reach"],
        note=answers.get("note"),
    )


FLOW = Flow(
    name="vertrouwenspersoon",
    steps=steps(),
    intro=intro,
    summary_title=t.CONTACT_SUMMARY,
    send_label=t.CONTACT_SEND,
    finish=finish,
)
