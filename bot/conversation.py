"""Channel-neutral conversation core: a Turn in, a list of Replies out."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from bot import messages as msg
from bot.content import CaseKind, Content, Pack, Role, Section
from bot.lookup import Hit, SectionIndex, Synonyms, snippet

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 1000
SECTION_COMMAND = re.compile(r"^\s*(?:sectie|lees)\s+([a-z0-9-]+)\s*$", re.IGNORECASE)
GREETINGS = {"hallo", "hoi", "dag", "hey", "hi", "goedemorgen", "goeiemorgen", "goedemiddag", "start", "begin"}
HELP_WORDS = {"help", "hulp", "?", "wat kan je", "wat kun je", "menu", "uitleg"}


@dataclass(frozen=True)
class UserRef:
    """Who is talking, as the channel knows them."""

    channel: str
    user_id: str
    conversation_id: str
    name: str | None = None


@dataclass(frozen=True)
class Turn:
    """One thing a user did: typed text, pressed a button, or joined the conversation."""

    org: str | None
    user: UserRef
    text: str | None = None
    value: str | None = None  # the value of a pressed button, if any
    locale: str = "nl-BE"
    joined: bool = False  # first contact: the bot was added or the chat was opened
    attachments: int = 0  # files or images sent along, which the bot cannot read


@dataclass(frozen=True)
class Choice:
    """A button: what it shows and what it sends back."""

    label: str
    value: str


@dataclass(frozen=True)
class Card:
    """A neutral card, rendered natively where the channel has cards."""

    title: str
    body: str
    facts: tuple[tuple[str, str], ...] = ()
    subtitle: str | None = None


@dataclass(frozen=True)
class Reply:
    """One message from the bot: text (always present, the plain fallback), optional choices and card."""

    text: str
    choices: tuple[Choice, ...] = ()
    card: Card | None = None


@dataclass
class Conversation:
    """Decides what to answer: welcome, help, a section, or a lookup in the organisation's code."""

    content: Content
    indexes: dict[str, SectionIndex] = field(default_factory=dict)

    @classmethod
    def build(cls, content: Content) -> Conversation:
        """Build the lookup index of every pack once."""
        synonyms = Synonyms.build(content.synonyms)
        return cls(content, {org: SectionIndex(pack, synonyms) for org, pack in content.packs.items()})

    def handle(self, turn: Turn) -> list[Reply]:
        """Answer one turn; never raises for bad user input."""
        pack = self.content.packs.get(turn.org or "")
        if pack is None:
            log.warning("turn for unknown organisation %r on %s", turn.org, turn.user.channel)
            return [Reply(msg.UNKNOWN_ORG)]
        if turn.joined:
            return [self._welcome(pack)]
        text = (turn.value or turn.text or "").strip()
        if not text:
            return [Reply(msg.ATTACHMENT_ONLY if turn.attachments else msg.EMPTY_TEXT)]
        if len(text) > MAX_TEXT_CHARS:
            return [Reply(msg.TOO_LONG.format(length=len(text), limit=MAX_TEXT_CHARS))]
        lowered = text.lower().strip(" !.")
        if lowered in GREETINGS:
            return [self._welcome(pack)]
        if lowered in HELP_WORDS:
            return [self._help(pack)]
        section_match = SECTION_COMMAND.match(text)
        if section_match:
            return [self._full_section(pack, section_match.group(1))]
        return self._lookup(pack, text)

    def _welcome(self, pack: Pack) -> Reply:
        return Reply(
            msg.WELCOME.format(org=pack.code.name, source=pack.code.source, sections=len(pack.code.sections)),
            choices=self._example_choices(),
        )

    def _help(self, pack: Pack) -> Reply:
        example = pack.route(CaseKind.GIFT).section or pack.code.sections[0].id
        return Reply(msg.HELP.format(org=pack.code.name, example=example), choices=self._example_choices())

    @staticmethod
    def _example_choices() -> tuple[Choice, ...]:
        return tuple(Choice(example, example) for example in msg.EXAMPLE_QUESTIONS)

    def _full_section(self, pack: Pack, section_id: str) -> Reply:
        section = pack.section(section_id)
        if section is None:
            return Reply(msg.UNKNOWN_SECTION.format(section=section_id))
        return Reply(
            msg.FULL_SECTION.format(
                title=section.title, text=section.text, section=section.id, source=pack.code.source
            ),
            card=Card(section.title, section.text, self._facts(pack, section), subtitle=section.chapter),
        )

    def _lookup(self, pack: Pack, text: str) -> list[Reply]:
        hits = self.indexes[pack.org].search(text, limit=3)
        good = [hit for hit in hits if hit.good]
        log.info("lookup org=%s hits=%d good=%d", pack.org, len(hits), len(good))
        if not good:
            return [self._no_match(pack, text, hits)]
        best = good[0]
        body = snippet(best)
        others = [hit for hit in good[1:] if hit.score >= best.score * 0.6]
        choices = [Choice(msg.READ_ALL, f"sectie {best.section.id}")]
        choices += [Choice(msg.SEE_ALSO.format(title=hit.section.title), f"sectie {hit.section.id}") for hit in others]
        plain = msg.ANSWER.format(
            title=best.section.title, snippet=body, section=best.section.id, source=pack.code.source
        )
        return [
            Reply(
                plain,
                choices=tuple(choices),
                card=Card(best.section.title, body, self._facts(pack, best.section), subtitle=best.section.chapter),
            )
        ]

    def _no_match(self, pack: Pack, text: str, hits: list[Hit]) -> Reply:
        index = self.indexes[pack.org]
        closest: list[Section] = [hit.section for hit in hits]
        for section in index.closest_titles(text):
            if section not in closest:
                closest.append(section)
        closest = closest[:3]
        return Reply(
            msg.NO_MATCH.format(org=pack.code.name, ask=self._whom_to_ask(pack)),
            choices=tuple(Choice(section.title, f"sectie {section.id}") for section in closest),
        )

    @staticmethod
    def _whom_to_ask(pack: Pack) -> str:
        """Who the code says to turn to with a doubt, with only the details the pack gives."""
        route = pack.route(CaseKind.QUESTION)
        roles = [role for role in (pack.role(role_id) for role_id in route.roles) if role is not None]
        return msg.join_or([describe_role(role) for role in roles[:2]])

    @staticmethod
    def _facts(pack: Pack, section: Section) -> tuple[tuple[str, str], ...]:
        return ((msg.FACT_SECTION, section.id), (msg.FACT_ORG, pack.code.name))


def describe_role(role: Role) -> str:
    """A role's name with whatever contact details the code gives, and nothing invented."""
    details = [*role.phone, *role.email]
    name = f"je {role.name.lower()}" if role.id in {"leidinggevende", "diensthoofd"} else role.name.lower()
    if role.id == "vertrouwenspersoon":
        name = "een vertrouwenspersoon"
    return f"{name} ({', '.join(details)})" if details else name
