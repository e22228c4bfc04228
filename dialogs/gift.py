"""Geschenk melden: declare a gift or invitation, get the code's advice, and put it in the gift register."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.knowledge.basis import cite, section_title
from bot.knowledge.packs import BasisKind, CaseKind, GiftAdvice, GiftRule, Pack, Role
from bot.knowledge.roles import role_name
from bot.knowledge.routing import candidates
from bot.knowledge.text import fold
from bot.vocabulary import people
from bot.vocabulary.messages import characters
from bot.vocabulary.outcomes import GiftOutcome, Person
from bot.vocabulary.turns import Choice, Reply
from dialogs import gift_texts as gt
from dialogs import reach_texts as rt
from dialogs import texts as t
from dialogs.amounts import parse_euro
from dialogs.flow import Answers, Context, Flow, Invalid, Option, Step
from dialogs.matching import match_option
from dialogs.steps import (
    YES_NO,
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
    Option("gift", gt.GIFT_KIND_GIFT, ("geschenk", "cadeau", "fles", "wijn", "pralines", "bloemen", "relatiegeschenk")),
    Option(
        "invitation",
        gt.GIFT_KIND_INVITATION,
        ("uitnodiging", "etentje", "diner", "lunch", "evenement", "receptie", "concert", "match", "reis", "feest"),
    ),
    Option("money", gt.GIFT_KIND_MONEY, ("geld", "cash", "bon", "waardebon", "cadeaubon", "voucher", "geldbedrag")),
    Option("service", gt.GIFT_KIND_SERVICE, ("korting", "dienst", "gratis", "voordeel", "service")),
)
GIVER_OPTIONS = (
    Option("citizen", gt.GIVER_CITIZEN, ("burger", "klant", "client", "inwoner", "bewoner")),
    Option("supplier", gt.GIVER_SUPPLIER, ("leverancier", "aannemer", "partner", "firma", "bedrijf", "consultant")),
    Option("other", gt.GIVER_OTHER, ("anders", "iemand", "collega", "andere")),
)
REWARD_OPTIONS = (
    Option("ja", gt.REWARD_YES, ("ja", "jawel", "zeker", "wederdienst", "tegenprestatie")),
    Option("nee", gt.REWARD_NO, ("nee", "neen", "bedanking", "bedankje", "dank", "dankjewel")),
    Option("onbekend", t.DONT_KNOW, ("weet", "twijfel", "misschien", "onbekend", "geen idee")),
)
RECEIVED_OPTIONS = (
    Option(
        "ja",
        gt.RECEIVED_YES,
        (*YES_NO[0].words, "al gekregen", "heb ik al", "heb het al", "al ontvangen", "gekregen", "ontvangen"),
    ),
    Option(
        "nee",
        gt.RECEIVED_NO,
        (*YES_NO[1].words, "nog niet", "nog niet ontvangen", "nog niet gekregen", "niet gekregen", "niet ontvangen"),
    ),
)


@dataclass(frozen=True)
class Advice:
    """What to do with a gift and its basis: a rule of the code, general advice, or neither (the code is silent)."""

    advice: GiftAdvice
    rule: GiftRule | None = None  # the code's rule, quoted to the user
    lead: str | None = None  # what in the answers led here, said before the advice
    general: str | None = None  # general advice where the code has no rule, said as such


def is_small(pack: Pack, answers: Answers) -> str | None:
    """ja / nee / onbekend: from the pack's optional euro limit when set and the value is known, else as judged."""
    limit, value = pack.code.small_value_limit_eur, answers.get("value")
    if limit is not None and value is not None:
        return "ja" if value <= limit else "nee"
    return answers.get("small")


def _strict(rule: GiftRule | None, lead: str, general: str) -> Advice:
    """Refuse: on the code's own rule where it has one, else as general advice that says it is not the code's."""
    if rule is not None:
        return Advice(GiftAdvice.REFUSE, rule, lead)
    return Advice(GiftAdvice.REFUSE, None, lead, general)


def advise(pack: Pack, answers: Answers) -> Advice:
    """The advice of this organisation's own rules; money and a pending decision mean refuse, on their basis."""
    rules = pack.gifts
    kind, pending, reward = answers.get("gift_kind"), answers.get("pending"), answers.get("reward")
    if rules is None:
        if kind == "money" or pending == "ja":
            return Advice(GiftAdvice.REFUSE, general=gt.GENERAL_STRICT)
        return Advice(GiftAdvice.DISCUSS_FIRST)
    if kind == "money":
        return _strict(rules.money, gt.LEAD_MONEY, gt.GENERAL_MONEY)
    if pending == "ja":
        return _strict(rules.pending, gt.LEAD_PENDING, gt.GENERAL_PENDING)
    if reward == "ja":
        return Advice(GiftAdvice.REFUSE, rules.reward, gt.LEAD_REWARD)
    if "onbekend" in (pending, reward):
        return _doubt(rules.doubt, rules.small)
    if kind == "invitation":
        return Advice(rules.invitation.advice, rules.invitation)
    small = is_small(pack, answers)
    if small == "ja":
        if rules.small.conditions:
            met = answers.get("conditions")
            if met == "nee":
                return Advice(GiftAdvice.REFUSE, rules.small, gt.LEAD_CONDITIONS_NOT_MET)
            if met != "ja":
                return _doubt(rules.doubt, rules.small)
        return Advice(rules.small.advice, rules.small)
    if small == "nee":
        return Advice(rules.large.advice, rules.large)
    return _doubt(rules.doubt, rules.small)


def _doubt(rule: GiftRule | None, fallback: GiftRule) -> Advice:
    if rule is not None:
        return Advice(rule.advice, rule, gt.LEAD_DOUBT)
    return Advice(GiftAdvice.DISCUSS_FIRST, fallback)


def manager_role(pack: Pack) -> Role:
    """The role the code sends gift declarations to first: the employee's leidinggevende or diensthoofd."""
    return candidates(pack, CaseKind.GIFT)[0]


RETURN = "return"  # a gift to refuse that the employee already has: give it back


def verdict(pack: Pack, answers: Answers) -> str:
    """The advice as this employee hears it: the code's advice, and 'return' for a refused gift already received.
    The one value the advice sentence, the summary, the card and the register all come from."""
    advice = advise(pack, answers).advice
    if advice == GiftAdvice.REFUSE and answers.get("received") == "ja":
        return RETURN
    return advice.value


def _verdict(key: str, manager: str) -> str:
    return gt.ADVICE_VERDICT[key].format(manager=manager)


def advice_text(pack: Pack, answers: Answers) -> str:
    """The advice in words: the code's own sentences and section, general advice said as such, or the code's silence."""
    advice = advise(pack, answers)
    manager = role_name(manager_role(pack))
    org = pack.code.name
    if advice.rule is None and advice.general is None:
        return gt.ADVICE_SILENT.format(org=org, manager=manager)
    said = _verdict(verdict(pack, answers), manager)
    parts = [f"{advice.lead} {said}" if advice.lead else said]
    if advice.rule is None:
        silent = gt.ADVICE_SILENT.format(org=org, manager=manager) if pack.gifts is None else ""
        parts.append(" ".join(filter(None, [silent, gt.GENERAL_ADVICE.format(org=org, advice=advice.general)])))
        return "\n\n".join(parts)
    rule = advice.rule
    parts.append(gt.ADVICE_QUOTE.format(org=org, quote=rule.quote, cite=f"deel '{section_title(pack, rule.section)}'"))
    parts += [gt.ADVICE_ALSO.format(quote=quote) for quote in rule.also]
    return "\n\n".join(parts)


DESCRIPTION_MAX = 300  # what the gift was, in the employee's own words, as the register keeps it


def _parse_kind(text: str, ctx: Context, answers: Answers) -> tuple[str, str | None]:
    """The kind of gift, and what the employee said it was when they typed more than an option's name."""
    option = match_option(text, KIND_OPTIONS)
    typed = " ".join(text.split())
    folded = fold(typed).strip(" .!?")
    if folded.isdigit() or any(folded in (fold(o.value), fold(o.label)) for o in KIND_OPTIONS):
        return option.value, None
    if len(typed) > DESCRIPTION_MAX:
        raise Invalid(gt.GIFT_DESCRIPTION_TOO_LONG.format(maximum=characters(DESCRIPTION_MAX)))
    return option.value, typed


def _keep_kind(answers: Answers, value: tuple[str, str | None], ctx: Context) -> bool:
    """Keep the kind, and the employee's own words for the gift: nothing they typed is dropped."""
    kind, description = value
    answers["gift_kind"] = kind
    if description:
        answers["description"] = description
    else:
        answers.pop("description", None)
    return True


def _show_kind(value: str, ctx: Context, answers: Answers) -> str:
    label = next((o.label for o in KIND_OPTIONS if o.value == value), value)
    description = answers.get("description")
    return f"{description} ({label.lower()})" if description else label


def _format_value(value: float | None, ctx: Context, answers: Answers) -> str:
    if value is None:
        return gt.VALUE_UNKNOWN
    return f"€ {value:,.2f}".replace(",", " ").replace(".", ",").replace(",00", "")


def _parse_value(text: str, ctx: Context, answers: Answers) -> float | None:
    try:
        value = parse_euro(text)
    except ValueError as exc:
        raise Invalid(gt.VALUE_INVALID) from exc
    if value is not None and value > 1_000_000:
        raise Invalid(gt.VALUE_INVALID)
    return value


def _ask_small(ctx: Context, answers: Answers) -> Reply:
    rules = ctx.pack.gifts
    assert rules is not None
    org = ctx.pack.code.name
    lines = [
        gt.SMALL_QUESTION,
        gt.SMALL_CONTEXT.format(
            org=org, quote=rules.small.quote, cite=f"deel '{section_title(ctx.pack, rules.small.section)}'"
        ),
    ]
    lines += [gt.SMALL_EXAMPLE.format(example=example) for example in rules.small_examples]
    choices = tuple(Choice(option.label, option.value) for option in YES_NO_UNKNOWN)
    return question("\n\n".join(lines), gt.SMALL_WHY.format(org=org), choices)


def _needs_judgement(ctx: Context, answers: Answers) -> bool:
    """Ask 'symbolic or small?' only for goods, when the code has gift rules and no euro limit decides it."""
    if ctx.pack.gifts is None or answers.get("gift_kind") not in ("gift", "service"):
        return False
    return ctx.pack.code.small_value_limit_eur is None or answers.get("value") is None


def _needs_conditions(ctx: Context, answers: Answers) -> bool:
    """Ask the code's own conditions for a small gift (VVSG), when the gift is small and the code lists them."""
    rules = ctx.pack.gifts
    if rules is None or not rules.small.conditions or answers.get("gift_kind") not in ("gift", "service"):
        return False
    return is_small(ctx.pack, answers) == "ja"


def _ask_conditions(ctx: Context, answers: Answers) -> Reply:
    rules = ctx.pack.gifts
    assert rules is not None
    listed = "\n".join(f"• {condition}" for condition in rules.small.conditions)
    text = gt.CONDITIONS_QUESTION.format(
        org=ctx.pack.code.name, conditions=listed, cite=f"deel '{section_title(ctx.pack, rules.small.section)}'"
    )
    return question(text, gt.CONDITIONS_WHY, tuple(Choice(option.label, option.value) for option in YES_NO_UNKNOWN))


def _manager_why(ctx: Context) -> str:
    """Why the manager hears of it: the code's words where the code says so, our default otherwise."""
    route = ctx.pack.route(CaseKind.GIFT)
    step, manager = route.roles[0], role_name(manager_role(ctx.pack))
    if step.basis == BasisKind.CODE:
        return gt.MANAGER_WHY_CODE.format(org=ctx.pack.code.name, manager=manager, cite=cite(ctx.pack, step))
    return gt.MANAGER_WHY_DEFAULT.format(org=ctx.pack.code.name, manager=manager)


def _ask_manager(ctx: Context, answers: Answers) -> Reply:
    manager = role_name(manager_role(ctx.pack))
    text = f"{advice_text(ctx.pack, answers)}\n\n{gt.MANAGER_QUESTION.format(manager=manager)}"
    return replace(question(text, _manager_why(ctx)), people_picker=True)


def steps() -> tuple[Step, ...]:
    """The questions of the gift flow, in order."""
    manager_step = person_step(
        "manager",
        "",
        "",
        lambda ctx, answers: gt.MANAGER_HELP.format(manager=manager_role(ctx.pack).name.lower()),
        label=lambda ctx: manager_role(ctx.pack).name,
        when=lambda ctx, answers: manager_role(ctx.pack).personal,
    )
    return (
        replace(
            choice_step(
                "gift_kind",
                gt.GIFT_KIND_QUESTION,
                gt.GIFT_KIND_WHY,
                KIND_OPTIONS,
                gt.GIFT_KIND_HELP,
                label=gt.LABEL_GIFT_KIND,
            ),
            parse=_parse_kind,
            keep=_keep_kind,
            show=_show_kind,
        ),
        choice_step(
            "giver_type",
            gt.GIVER_TYPE_QUESTION,
            gt.GIVER_TYPE_WHY,
            GIVER_OPTIONS,
            gt.GIVER_TYPE_HELP,
            label=gt.LABEL_GIVER_TYPE,
        ),
        text_step(
            "giver", gt.GIVER_QUESTION, gt.GIVER_WHY, gt.GIVER_HELP, invalid=gt.GIVER_INVALID, label=gt.LABEL_GIVER
        ),
        Step(
            id="value",
            ask=lambda ctx, answers: question(gt.VALUE_QUESTION, gt.VALUE_WHY),
            parse=_parse_value,
            help=lambda ctx, answers: gt.VALUE_HELP,
            label=gt.LABEL_VALUE,
            show=_format_value,
        ),
        replace(
            choice_step("small", "", "", YES_NO_UNKNOWN, gt.SMALL_HELP, when=_needs_judgement, label=gt.LABEL_SMALL),
            ask=_ask_small,
        ),
        replace(
            choice_step(
                "conditions",
                "",
                "",
                YES_NO_UNKNOWN,
                gt.CONDITIONS_HELP,
                when=_needs_conditions,
                label=gt.LABEL_CONDITIONS,
            ),
            ask=_ask_conditions,
        ),
        choice_step(
            "pending", gt.PENDING_QUESTION, gt.PENDING_WHY, YES_NO_UNKNOWN, gt.PENDING_HELP, label=gt.LABEL_PENDING
        ),
        choice_step("reward", gt.REWARD_QUESTION, gt.REWARD_WHY, REWARD_OPTIONS, gt.REWARD_HELP, label=gt.LABEL_REWARD),
        choice_step(
            "received",
            gt.RECEIVED_QUESTION,
            gt.RECEIVED_WHY,
            RECEIVED_OPTIONS,
            gt.RECEIVED_HELP,
            label=gt.LABEL_RECEIVED,
        ),
        replace(manager_step, ask=_ask_manager),
        name_step(),
    )


def intro(ctx: Context) -> list[Reply]:
    """What the gift flow does and who will see the declaration."""
    return [Reply(gt.GIFT_INTRO.format(org=ctx.pack.code.name, manager=role_name(manager_role(ctx.pack))))]


def extra_facts(ctx: Context, answers: Answers) -> list[tuple[str, str]]:
    """The advice, shown in the summary; and, before anything is stored, that the bot cannot reach the manager
    named when it has no way to (a name it does not know, an address outside the organisation)."""
    facts = [(gt.LABEL_ADVICE, gt.ADVICE_SHORT[verdict(ctx.pack, answers)])]
    manager = answers.get("manager")
    if manager and not can_reach(ctx, manager):
        facts.append((rt.LABEL_REACH, rt.GIFT_CANNOT_REACH.format(name=people.display(manager))))
    return facts


def finish(ctx: Context, answers: Answers) -> GiftOutcome:
    """The confirmed declaration for the gift register."""
    advice = advise(ctx.pack, answers)
    user = ctx.user
    return GiftOutcome(
        org=ctx.pack.org,
        employee=Person(user_name(ctx, answers), user.channel, user.user_id, user.conversation_id),
        gift_kind=answers["gift_kind"],
        description=answers.get("description"),
        giver_type=answers["giver_type"],
        giver=answers["giver"],
        value_eur=answers.get("value"),
        small=is_small(ctx.pack, answers),
        pending=answers["pending"],
        reward=answers["reward"],
        received=answers["received"],
        advice=verdict(ctx.pack, answers),
        advice_section=advice.rule.section if advice.rule else None,
        manager_role=manager_role(ctx.pack).id,
        manager=answers.get("manager"),
        code_version=ctx.pack.code.version,
    )


FLOW = Flow(
    name="geschenk",
    steps=steps(),
    intro=intro,
    summary_title=gt.GIFT_SUMMARY,
    send_label=gt.GIFT_SEND,
    finish=finish,
    extra_facts=extra_facts,
)
