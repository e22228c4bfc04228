"""What the conversation answers outside a flow: welcome, help, a section, and the lookup's answer from the code."""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np

from bot.knowledge import semantic
from bot.knowledge.basis import cite
from bot.knowledge.lookup import Hit, SectionIndex, snippet
from bot.knowledge.packs import BasisKind, CaseKind, Pack, Section
from bot.knowledge.roles import describe_role, role_name
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Card, Choice, Reply
from dialogs import gift_texts as gt

log = logging.getLogger(__name__)

# Another good section is offered with 'Zie ook' when it scores at least this share of the best one.
SEE_ALSO_SHARE = 0.6
Answered = Callable[[str], bool]  # whether the code answers a question, as the answer card would show it


def welcome(pack: Pack, answered: Answered | None = None) -> Reply:
    """The first message: who the bot is, what it does and what it keeps; `answered` tells which example questions
    the code answers, so only such an example is offered."""
    return Reply(
        msg.WELCOME.format(org=pack.code.name, source=pack.code.source, sections=len(pack.code.sections)),
        choices=_example_choices(pack, answered),
    )


def help_reply(pack: Pack, answered: Answered | None = None) -> Reply:
    """What the bot can do, and whom to ask on the basis the code gives."""
    return Reply(msg.HELP.format(org=pack.code.name, doubt=_doubt(pack)), choices=_example_choices(pack, answered))


def _doubt(pack: Pack) -> str:
    """Where to go with a doubt: 'volgens de code' only where the code's question route says so."""
    step = pack.route(CaseKind.QUESTION).roles[0]
    role = pack.role(step.role)
    if role is None:
        return ""
    if step.basis == BasisKind.CODE:
        return msg.DOUBT_CODE.format(org=pack.code.name, role=role_name(role), cite=cite(pack, step))
    return msg.DOUBT_DEFAULT.format(role=describe_role(role))


def _example_choices(pack: Pack, answered: Answered | None = None) -> tuple[Choice, ...]:
    """The flows, and one example question this code answers: a code without gift rules gets the next example, and
    an imported code only an example its text answers (or none)."""
    flows = tuple(Choice(label, value) for label, value in msg.FLOW_CHOICES)
    examples = [example for example in msg.EXAMPLE_QUESTIONS if pack.gifts is not None or example != msg.GIFT_EXAMPLE]
    examples = [example for example in examples if answered is None or answered(example)]
    return flows + tuple(Choice(example, example) for example in examples[:1])


def full_section(pack: Pack, section_id: str) -> Reply:
    """A whole section of the code, by its id."""
    section = pack.section(section_id)
    if section is None:
        return Reply(msg.UNKNOWN_SECTION.format(section=section_id))
    return Reply(
        msg.FULL_SECTION.format(title=section.title, text=section.text, section=section.id, source=pack.code.citation),
        card=Card(section.title, section.text, _facts(pack, section), subtitle=section.chapter),
    )


def lookup(
    pack: Pack, index: SectionIndex, text: str, vector: np.ndarray | None = None, about_gifts: bool = False
) -> list[Reply]:
    """The answer from the code for a question; else the closest passage, said to be no clear answer; else that
    there is none, with the sections that come closest. `vector` is the question's meaning, when computed ahead;
    `about_gifts`: the question is about a gift, which a code without gift rules then says it has no rule on."""
    hits = index.search(text, limit=3, vector=vector)
    if hits and hits[0].good:
        outcome, reply = "answer", _answer(pack, hits)
    elif about_gifts and pack.gifts is None:
        outcome, reply = "silent", _silent_on_gifts(pack)
    elif hits and hits[0].plausible:
        outcome, reply = "closest", _closest(pack, index, text, hits)
    else:
        outcome, reply = "none", _no_match(pack, index, text, hits)
    # Never the question itself: it may name people.
    log.info("lookup org=%s outcome=%s hits=%d", pack.org, outcome, len(hits))
    return [reply]


def _answer(pack: Pack, hits: list[Hit]) -> Reply:
    """A confident answer: the passage of the best section, and the other good sections that score close to it."""
    best = hits[0]
    body = snippet(best)
    others = [hit for hit in hits[1:] if hit.good and hit.share >= best.share * SEE_ALSO_SHARE]
    choices = [Choice(msg.READ_ALL, f"sectie {best.section.id}")]
    choices += [Choice(msg.SEE_ALSO.format(title=hit.section.title), f"sectie {hit.section.id}") for hit in others]
    plain = msg.ANSWER.format(
        title=best.section.title, snippet=body, section=best.section.id, source=pack.code.citation
    )
    card = Card(best.section.title, body, _facts(pack, best.section), subtitle=best.section.chapter)
    return Reply(plain, choices=tuple(choices), card=card)


def _closest(pack: Pack, index: SectionIndex, text: str, hits: list[Hit]) -> Reply:
    """No clear answer, said so, with the passage that comes closest and whom to ask."""
    best, ask = hits[0], _whom_to_ask(pack)
    body = snippet(best)
    others = _closest_sections(index, text, hits)[1:3]
    choices = [Choice(msg.READ_ALL, f"sectie {best.section.id}")]
    choices += [Choice(section.title, f"sectie {section.id}") for section in others]
    plain = msg.CLOSEST.format(org=pack.code.name, title=best.section.title, snippet=body, ask=ask)
    # A channel may show only the card, so the card says as plainly that this is no clear answer.
    card = Card(
        best.section.title,
        body,
        _facts(pack, best.section),
        subtitle=best.section.chapter,
        lead=msg.CLOSEST_LEAD.format(org=pack.code.name),
        note=msg.CLOSEST_ASK.format(ask=ask),
    )
    return Reply(plain, choices=tuple(choices), card=card)


def _silent_on_gifts(pack: Pack) -> Reply:
    """The code has no rule on gifts: said plainly, with general advice labelled as ours, and whom to ask."""
    advice = f"{gt.GENERAL_MONEY[0].upper()}{gt.GENERAL_MONEY[1:]} En {gt.GENERAL_PENDING}"
    return Reply(msg.SILENT_GIFTS.format(org=pack.code.name, advice=advice, ask=_whom_to_ask(pack)))


def _no_match(pack: Pack, index: SectionIndex, text: str, hits: list[Hit]) -> Reply:
    outside = bool(index.outside(text))
    if outside and hits and hits[0].similarity >= semantic.NEAR:
        # "mijn laptop meenemen op vakantie": a word of leave, but a passage close in meaning ("zuinig omgaan met
        # materialen"). Show it as the closest passage rather than waving the question off.
        return _closest(pack, index, text, hits)
    if outside:
        # Pay, leave or IT help: no section comes close, so offering sections would only send the user astray.
        return Reply(msg.NO_MATCH_OUTSIDE.format(org=pack.code.name, ask=_whom_to_ask(pack)))
    closest = _closest_sections(index, text, hits)[:3]
    return Reply(
        msg.NO_MATCH.format(org=pack.code.name, ask=_whom_to_ask(pack)),
        choices=tuple(Choice(section.title, f"sectie {section.id}") for section in closest),
    )


def _closest_sections(index: SectionIndex, text: str, hits: list[Hit]) -> list[Section]:
    """The sections of the hits, then those whose titles come closest to the question, each once."""
    closest: list[Section] = [hit.section for hit in hits]
    for section in index.closest_titles(text):
        if section not in closest:
            closest.append(section)
    return closest


def _whom_to_ask(pack: Pack) -> str:
    """Who the code says to turn to with a doubt, with only the details the pack gives."""
    route = pack.route(CaseKind.QUESTION)
    roles = [role for role in (pack.role(role_id) for role_id in route.role_ids) if role is not None]
    return msg.join_or([describe_role(role) for role in roles[:2]])


def _facts(pack: Pack, section: Section) -> tuple[tuple[str, str], ...]:
    facts = ((msg.FACT_SECTION, section.title), (msg.FACT_ORG, pack.code.name))
    code = pack.code
    if code.version is None:
        return facts
    label = code.version_label or ""
    return (*facts, (msg.FACT_VERSION, label.removeprefix("versie ")))
