"""What the core answers outside a flow: welcome, help, a section, and a lookup answer from the code."""

from __future__ import annotations

import logging
import re

from bot.core import messages as msg
from bot.core.turns import Card, Choice, Reply
from bot.knowledge.basis import cite
from bot.knowledge.lookup import Hit, SectionIndex, snippet
from bot.knowledge.packs import BasisKind, CaseKind, Pack, Section
from bot.knowledge.roles import describe_role, role_name

log = logging.getLogger(__name__)


def welcome(pack: Pack) -> Reply:
    """The first message: who the bot is, what it does and what it keeps."""
    return Reply(
        msg.WELCOME.format(org=pack.code.name, source=pack.code.source, sections=len(pack.code.sections)),
        choices=_example_choices(),
    )


def help_reply(pack: Pack) -> Reply:
    """What the bot can do, and whom to ask on the basis the code gives."""
    return Reply(msg.HELP.format(org=pack.code.name, doubt=_doubt(pack)), choices=_example_choices())


def _doubt(pack: Pack) -> str:
    """Where to go with a doubt: 'volgens de code' only where the code's question route says so."""
    step = pack.route(CaseKind.QUESTION).roles[0]
    role = pack.role(step.role)
    if role is None:
        return ""
    if step.basis == BasisKind.CODE:
        return msg.DOUBT_CODE.format(org=pack.code.name, role=role_name(role), cite=cite(pack, step))
    return msg.DOUBT_DEFAULT.format(role=describe_role(role))


def _example_choices() -> tuple[Choice, ...]:
    flows = tuple(Choice(label, value) for label, value in msg.FLOW_CHOICES)
    return flows + tuple(Choice(example, example) for example in msg.EXAMPLE_QUESTIONS[:1])


def full_section(pack: Pack, section_id: str) -> Reply:
    """A whole section of the code, by its id."""
    section = pack.section(section_id)
    if section is None:
        return Reply(msg.UNKNOWN_SECTION.format(section=section_id))
    return Reply(
        msg.FULL_SECTION.format(title=section.title, text=section.text, section=section.id, source=pack.code.source),
        card=Card(section.title, section.text, _facts(pack, section), subtitle=section.chapter),
    )


def lookup(pack: Pack, index: SectionIndex, text: str) -> list[Reply]:
    """The answer from the code for a question, or honestly that there is no clear one."""
    hits = index.search(text, limit=3)
    good = [hit for hit in hits if hit.good]
    log.info("lookup org=%s hits=%d good=%d", pack.org, len(hits), len(good))
    if not good:
        return [_no_match(pack, index, text, hits)]
    best = good[0]
    body = whole_links(snippet(best), best.section.text)
    others = [hit for hit in good[1:] if hit.score >= best.score * 0.6]
    choices = [Choice(msg.READ_ALL, f"sectie {best.section.id}")]
    choices += [Choice(msg.SEE_ALSO.format(title=hit.section.title), f"sectie {hit.section.id}") for hit in others]
    plain = msg.ANSWER.format(title=best.section.title, snippet=body, section=best.section.id, source=pack.code.source)
    return [
        Reply(
            plain,
            choices=tuple(choices),
            card=Card(best.section.title, body, _facts(pack, best.section), subtitle=best.section.chapter),
        )
    ]


WEB_ADDRESS = re.compile(r"https?://\S+")
CUT = "…"


def whole_links(passage: str, text: str) -> str:
    """A passage that starts or ends inside a web address shows the whole address: half a link leads nowhere."""
    addresses = WEB_ADDRESS.findall(text)
    words = passage.split(" ")
    if len(words) >= 2 and words[-1] == CUT:
        cut = words[-2].replace("**", "")
        whole = next((a for a in addresses if a.startswith(cut) and a != cut), None) if "://" in cut else None
        if whole is not None:
            words[-2] = whole
            if " ".join(text.split()).endswith(whole):
                words.pop()
    if len(words) >= 2 and words[0] == CUT:
        cut = words[1].replace("**", "")
        whole = next((a for a in addresses if a.endswith(cut) and a != cut), None) if "/" in cut else None
        if whole is not None:
            words[1] = whole
    return " ".join(words)


def _no_match(pack: Pack, index: SectionIndex, text: str, hits: list[Hit]) -> Reply:
    closest: list[Section] = [hit.section for hit in hits]
    for section in index.closest_titles(text):
        if section not in closest:
            closest.append(section)
    closest = closest[:3]
    return Reply(
        msg.NO_MATCH.format(org=pack.code.name, ask=_whom_to_ask(pack)),
        choices=tuple(Choice(section.title, f"sectie {section.id}") for section in closest),
    )


def _whom_to_ask(pack: Pack) -> str:
    """Who the code says to turn to with a doubt, with only the details the pack gives."""
    route = pack.route(CaseKind.QUESTION)
    roles = [role for role in (pack.role(role_id) for role_id in route.role_ids) if role is not None]
    return msg.join_or([describe_role(role) for role in roles[:2]])


def _facts(pack: Pack, section: Section) -> tuple[tuple[str, str], ...]:
    return ((msg.FACT_SECTION, section.title), (msg.FACT_ORG, pack.code.name))
