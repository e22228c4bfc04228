"""Channel-neutral conversation core: a Turn in, a list of Replies out."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.cases.desk import CaseDesk
from bot.cases.intake import Intake
from bot.core import messages as msg
from bot.core.turns import Card, Choice, Reply, Turn
from bot.knowledge.directory import Directory
from bot.knowledge.lookup import Hit, SectionIndex, Synonyms, snippet
from bot.knowledge.packs import CaseKind, Content, Pack, Section
from bot.knowledge.roles import describe_role
from bot.storage.store import Store
from dialogs import FLOWS
from dialogs import texts as dt
from dialogs.engine import STOP_WORDS, Context, advance, start

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 1000
MAX_FLOW_CHARS = 4000  # a report's description may be this long
FLOW_COMMANDS = {
    "melden": "melden",
    "melding maken": "melden",
    "vermoeden melden": "melden",
    "geschenk": "geschenk",
    "geschenk melden": "geschenk",
    "gift": "geschenk",
    "uitnodiging melden": "geschenk",
    "vertrouwenspersoon": "vertrouwenspersoon",
    "vertrouwenspersoon zoeken": "vertrouwenspersoon",
    "preventieadviseur": "vertrouwenspersoon",
}
CODE_COMMAND = re.compile(r"^\s*(status|aanvullen)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
CASE_COMMAND = re.compile(r"^\s*(melding|antwoord)\s+([A-Za-z]-\d{4}-\d{4})\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
# Words in a question that show the user may want a flow, offered after the lookup answer.
GIFT_HINTS = (
    "geschenk",
    "cadeau",
    "kreeg",
    "gekregen",
    "fles",
    "wijn",
    "pralines",
    "uitnodiging",
    "uitgenodigd",
    "etentje",
)
PEOPLE_HINTS = ("gepest", "pesten", "pest ", "intimid", "grensoverschrijd", "ongewenst", "seksu", "geweld", "discrimin")
REPORT_HINTS = (
    "fraude",
    "corruptie",
    "steekpenning",
    "omkop",
    "klokkenluid",
    "diefstal",
    "stelen",
    "steelt",
    "vermoeden",
)
SECTION_COMMAND = re.compile(r"^\s*(?:sectie|lees)\s+([a-z0-9-]+)\s*$", re.IGNORECASE)
GREETINGS = {"hallo", "hoi", "dag", "hey", "hi", "goedemorgen", "goeiemorgen", "goedemiddag", "start", "begin"}
HELP_WORDS = {"help", "hulp", "?", "wat kan je", "wat kun je", "menu", "uitleg"}


@dataclass
class Conversation:
    """Decides what to answer: a running flow, a command, welcome, help, a section, or a lookup."""

    content: Content
    indexes: dict[str, SectionIndex]
    store: Store
    directory: Directory
    intake: Intake
    desk: CaseDesk
    today: Callable[[], date] = date.today

    @classmethod
    def build(
        cls, content: Content, store: Store, directory: Directory, channels: set[str] | None = None
    ) -> Conversation:
        """Build the lookup index of every pack once, and wire storage and routing."""
        synonyms = Synonyms.build(content.synonyms)
        indexes = {org: SectionIndex(pack, synonyms) for org, pack in content.packs.items()}
        intake = Intake(store, directory, channels or {"log"})
        return cls(content, indexes, store, directory, intake, CaseDesk(store, directory))

    async def handle(self, turn: Turn) -> list[Reply]:
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
        state = await self.store.load_flow(turn.user.channel, turn.user.conversation_id)
        if state is not None and state.get("flow") in FLOWS:
            if len(text) > MAX_FLOW_CHARS:
                return [Reply(msg.FLOW_TOO_LONG.format(length=len(text), limit=MAX_FLOW_CHARS))]
            return await self._continue(pack, turn, state, text)
        if len(text) > MAX_TEXT_CHARS:
            return [Reply(msg.TOO_LONG.format(length=len(text), limit=MAX_TEXT_CHARS))]
        lowered = text.lower().strip(" !.")
        if lowered in GREETINGS:
            return [self._welcome(pack)]
        if lowered in HELP_WORDS:
            return [self._help(pack)]
        if lowered in STOP_WORDS:
            return [Reply(msg.NOTHING_TO_STOP)]
        if lowered in FLOW_COMMANDS:
            return await self._start(pack, turn, FLOW_COMMANDS[lowered])
        command = CODE_COMMAND.match(text)
        if command:
            return await self._code_command(pack, turn, command.group(1).lower(), command.group(2))
        command = CASE_COMMAND.match(text)
        if command:
            return await self._case_command(pack, turn, command.group(1).lower(), command.group(2), command.group(3))
        section_match = SECTION_COMMAND.match(text)
        if section_match:
            return [self._full_section(pack, section_match.group(1))]
        return self._lookup(pack, text) + self._offers(text)

    def _context(self, pack: Pack, turn: Turn) -> Context:
        return Context(pack, self.directory, turn.user, self.today())

    async def _start(self, pack: Pack, turn: Turn, name: str, answers: dict | None = None) -> list[Reply]:
        if not turn.user.private:
            return [Reply(msg.ONLY_PRIVATE.format(command=name))]
        result = start(FLOWS[name], self._context(pack, turn), answers)
        if result.state is not None:
            await self.store.save_flow(turn.user.channel, turn.user.conversation_id, result.state)
        log.info("flow started: %s (%s)", name, pack.org)
        return result.replies

    async def _continue(self, pack: Pack, turn: Turn, state: dict, text: str) -> list[Reply]:
        flow = FLOWS[state["flow"]]
        channel, conversation = turn.user.channel, turn.user.conversation_id
        result = advance(flow, state, text, self._context(pack, turn))
        if result.outcome is not None:
            try:
                replies = await self.intake.record(pack, result.outcome, state["answers"], self.today())
            except Exception:
                # Nothing was committed; the saved state still waits at the summary, so 'Verzenden' can retry.
                log.exception("storing the outcome of flow %s failed", flow.name)
                return [Reply(msg.STORE_FAILED)]
            await self.store.clear_flow(channel, conversation)
            log.info("flow completed: %s (%s)", flow.name, pack.org)
            return replies
        if result.state is None:
            await self.store.clear_flow(channel, conversation)
            log.info("flow ended without storing: %s (%s)", flow.name, pack.org)
        else:
            await self.store.save_flow(channel, conversation, result.state)
        return result.replies

    async def _code_command(self, pack: Pack, turn: Turn, command: str, code: str) -> list[Reply]:
        if not turn.user.private:
            return [Reply(msg.ONLY_PRIVATE.format(command=command))]
        if not code.strip():
            return [Reply(msg.CODE_MISSING.format(command=command))]
        if command == "status":
            return [await self.desk.status(pack, turn, code)]
        case, problem = await self.desk.find_by_code(pack, turn, code)
        if problem is not None:
            return [problem]
        intro = Reply(dt.ADDENDUM_INTRO.format(reference=case.reference))
        return [intro, *await self._start(pack, turn, "aanvullen", {"case_id": case.id, "reference": case.reference})]

    async def _case_command(self, pack: Pack, turn: Turn, command: str, reference: str, rest: str) -> list[Reply]:
        if not turn.user.private:
            return [Reply(msg.ONLY_PRIVATE.format(command=command))]
        if command == "melding":
            return [await self.desk.open_case(pack, turn, reference)]
        return [await self.desk.answer(pack, turn, reference, rest, self.today())]

    @staticmethod
    def _offers(text: str) -> list[Reply]:
        """After a lookup answer, offer the flow the question clearly asks for."""
        folded = f" {text.lower()} "
        if any(hint in folded for hint in PEOPLE_HINTS):
            choices = (Choice("Vertrouwenspersoon zoeken", "vertrouwenspersoon"), Choice("Vermoeden melden", "melden"))
            return [Reply(msg.OFFER_PEOPLE, choices)]
        if any(hint in folded for hint in GIFT_HINTS):
            return [Reply(msg.OFFER_GIFT, (Choice("Geschenk melden", "geschenk"),))]
        if any(hint in folded for hint in REPORT_HINTS):
            return [Reply(msg.OFFER_REPORT, (Choice("Vermoeden melden", "melden"),))]
        return []

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
        flows = tuple(Choice(label, value) for label, value in msg.FLOW_CHOICES)
        return flows + tuple(Choice(example, example) for example in msg.EXAMPLE_QUESTIONS[:1])

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
