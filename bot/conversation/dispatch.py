"""The channel-neutral conversation: a Turn in, a list of Replies out."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

from bot import metrics
from bot.campaigns.service import Campaigns
from bot.cases.actions import ActionResult, CardActions
from bot.cases.desk import CaseDesk
from bot.cases.intake import Intake
from bot.cases.overview import Overview
from bot.clock import Clock
from bot.conversation.answers import full_section, help_reply, lookup, welcome
from bot.conversation.commands import (
    CASE_COMMAND,
    CODE_COMMAND,
    FLOW_COMMANDS,
    GREETINGS,
    HELP_WORDS,
    OVERVIEW_COMMANDS,
    SECTION_COMMAND,
    command_of,
    is_command,
)
from bot.conversation.dilemmas import dilemma_reply, is_dilemma, typed_reaction
from bot.conversation.filed import already_filed, show_filed
from bot.conversation.intents import names_a_gift, offers, start_intent
from bot.conversation.interrupts import HELD, TOUCHED, interruption, resume_answer
from bot.conversation.recent import RecentMessages
from bot.knowledge.directory import Directory
from bot.knowledge.lookup import SectionIndex, Synonyms
from bot.knowledge.packs import Content, Pack
from bot.knowledge.text import fold
from bot.practice.polls import Polls
from bot.storage.filing import SENT_FLOW, AlreadyFiled, Filing, new_submission_id
from bot.storage.store import Store
from bot.vocabulary import messages as msg
from bot.vocabulary import people
from bot.vocabulary.turns import Choice, Reply, Turn
from dialogs import FLOWS, followup, report
from dialogs import addendum_texts as at
from dialogs import texts as dt
from dialogs.engine import advance, current_question, start
from dialogs.flow import CHANGE, CONFIRM, Context, Invalid, Leave, Step
from dialogs.matching import is_stop

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 1000
MAX_FLOW_CHARS = 4000  # a report's description may be this long
# Flows whose steps leave no log line: when a report or an addendum was started, interrupted or sent (and, by the
# order of the lines, which reference it got) is nothing the service log may tell.
UNLOGGED = frozenset({report.FLOW.name, followup.FLOW.name})


def _count_flow(name: str, event: str) -> None:
    """A flow's start or end in the metrics; never the report flows, whose moments must not be derivable."""
    if name not in UNLOGGED and name in FLOWS:
        metrics.FLOWS.labels(name, event).inc()


def _log_flow(event: str, name: str, detail: str) -> None:
    """One line about a flow's course, unless it is a report or an addendum."""
    if name not in UNLOGGED:
        log.info("%s: %s (%s)", event, name, detail)


@dataclass
class Conversation:
    """Decides what to answer: a running flow, a command, welcome, help, a section, or a lookup."""

    content: Content
    indexes: dict[str, SectionIndex]
    store: Store
    directory: Directory
    intake: Intake
    desk: CaseDesk
    clock: Clock = field(default_factory=Clock)
    recent: RecentMessages = field(default_factory=RecentMessages)
    actions: CardActions | None = None
    overview: Overview | None = None
    campaigns: Campaigns | None = None  # signing the code: confirmations, and the register for HR
    polls: Polls | None = None  # dilemmas practised in a team channel

    @classmethod
    def build(
        cls,
        content: Content,
        store: Store,
        directory: Directory,
        channels: set[str] | None = None,
        clock: Clock | None = None,
    ) -> Conversation:
        """Build the lookup index of every pack once, and wire storage and routing; the store's clock by default."""
        synonyms = Synonyms.build(content.synonyms)
        indexes = {org: SectionIndex(pack, synonyms) for org, pack in content.packs.items()}
        intake = Intake(store, directory, channels or {"log"})
        actions = CardActions(store, directory, channels or {"log"})
        # One clock for dates and timestamps alike, so a case's date and its outbox rows never disagree.
        desk = CaseDesk(store, directory)
        overview = Overview(store, directory)
        clock = clock or store.clock
        campaigns = Campaigns(store, content, directory, channels or {"log"}, clock)
        return cls(
            content,
            indexes,
            store,
            directory,
            intake,
            desk,
            clock,
            actions=actions,
            overview=overview,
            campaigns=campaigns,
            polls=Polls(store, content, clock),
        )

    async def handle(self, turn: Turn) -> list[Reply]:
        """Answer one turn; never raises for bad user input. A redelivered message gets no second answer."""
        started = time.perf_counter()
        try:
            return await self._handle(turn)
        finally:
            metrics.TURNS.labels(metrics.channel(turn.user.channel)).observe(time.perf_counter() - started)

    async def _handle(self, turn: Turn) -> list[Reply]:
        if turn.message_id and not self.recent.first_time(
            turn.user.channel, turn.user.conversation_id, turn.message_id
        ):
            log.info("a message arrived twice on %s; answered it once", turn.user.channel)
            return []
        pack = self.content.packs.get(turn.org or "")
        if pack is None:
            log.warning("turn for unknown organisation %r on %s", turn.org, turn.user.channel)
            return [Reply(msg.UNKNOWN_ORG)]
        if turn.joined:
            to_sign = await self.campaigns.welcome(pack, turn) if self.campaigns is not None else []
            first = [welcome(pack, self.indexes[pack.org].answers), *to_sign]
            return [*first, *await self._open_flow_notice(turn)]
        # A picked person comes only from the picker's data; typed text that imitates one is a typed name.
        text = (turn.picked or people.typed(turn.value or turn.text or "")).strip()
        if not text:
            return [Reply(msg.ATTACHMENT_ONLY if turn.attachments else msg.EMPTY_TEXT)]
        state = await self.store.load_flow(turn.user)
        if state is not None and state.get("flow") == SENT_FLOW:
            shown = await show_filed(self.store, self.clock, turn, state)
            if shown:
                return shown
        if state is not None and state.get("flow") in FLOWS:
            if len(text) > MAX_FLOW_CHARS:
                limit = msg.characters(MAX_FLOW_CHARS)
                return [Reply(msg.FLOW_TOO_LONG.format(length=msg.characters(len(text)), limit=limit))]
            return await self._in_flow(pack, turn, state, text)
        if len(text) > MAX_TEXT_CHARS:
            limit = msg.characters(MAX_TEXT_CHARS)
            return [Reply(msg.TOO_LONG.format(length=msg.characters(len(text)), limit=limit))]
        lowered = text.lower().strip(" !.")
        if lowered in GREETINGS:
            # Slack tells the bot of no one opening its chat: there, a hello gets the day-one welcome.
            slack = turn.user.channel == "slack" and self.campaigns is not None
            to_sign = await self.campaigns.welcome(pack, turn) if slack else []
            return [welcome(pack, self.indexes[pack.org].answers), *to_sign]
        if lowered in HELP_WORDS:
            return [help_reply(pack, self.indexes[pack.org].answers)]
        if is_stop(text):
            return [Reply(msg.NOTHING_TO_STOP)]
        if turn.value in ("verzenden", "aanpassen"):  # a summary's button pressed after its flow ended
            return [Reply(msg.NOTHING_TO_SEND)]
        if lowered in OVERVIEW_COMMANDS:
            shown = await self._overview(pack, turn, OVERVIEW_COMMANDS[lowered], lowered)
            if shown:
                return shown
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
            return [full_section(pack, section_match.group(1))]
        signing = await self.campaigns.reply(pack, turn, text) if self.campaigns is not None else None
        if signing is not None:
            return [signing]
        if is_dilemma(text) or typed_reaction(pack, text):  # practise the code: nothing of it is stored
            return [dilemma_reply(pack, text)]
        # "ik wil iets melden" asks for the flow as clearly as the command does, so it gets the same start.
        intent = start_intent(text)
        if intent is not None:
            return await self._start(pack, turn, intent)
        index = self.indexes[pack.org]
        # The question's meaning is computed off the event loop: other people's turns go on meanwhile.
        started = time.perf_counter()
        vector = await index.embed_async(text)
        replies = lookup(pack, index, text, vector, about_gifts=names_a_gift(text))
        metrics.LOOKUPS.observe(time.perf_counter() - started)
        return replies + offers(text, index.misdeed(vector), has_gift_rules=pack.gifts is not None)

    async def _overview(self, pack: Pack, turn: Turn, which: str, command: str) -> list[Reply]:
        """A handler's open cases or undecided gifts, in the 1:1 chat only; nothing for anyone who handles none,
        whose words then go to the lookup."""
        if self.overview is None:
            return []
        if not turn.user.private:
            handles = self.directory.roles_of(pack.org, turn.user.channel, turn.user.user_id)
            moved = Reply(msg.ONLY_PRIVATE.format(command=command), private_start=command)
            return [moved] if handles else []
        if which == "cases":
            shown = await self.overview.cases(pack, turn.user, self.clock.today())
        else:
            shown = await self.overview.gifts(pack, turn.user)
        return [shown] if shown else []

    def _context(self, pack: Pack, turn: Turn) -> Context:
        return Context(pack, self.directory, turn.user, self.clock.today())

    async def _start(self, pack: Pack, turn: Turn, name: str, answers: dict | None = None) -> list[Reply]:
        if not turn.user.private:
            # The channel may move the flow to the user's 1:1 chat; if it cannot, this text says what to do.
            return [Reply(msg.ONLY_PRIVATE.format(command=name), private_start=name)]
        result = start(FLOWS[name], self._context(pack, turn), answers)
        if result.state is not None:
            # One id per flow run: its confirm files at most one record, however often it arrives.
            await self._save(turn, {**result.state, "submission": new_submission_id()})
        _log_flow("flow started", name, pack.org)
        _count_flow(name, "started")
        return result.replies

    async def _continue(self, pack: Pack, turn: Turn, state: dict, text: str) -> list[Reply]:
        flow = FLOWS[state["flow"]]
        result = advance(flow, state, text, self._context(pack, turn))
        if result.outcome is not None:
            filing = Filing(state.get("submission") or new_submission_id(), turn.user)
            try:
                replies = await self.intake.record(pack, result.outcome, state["answers"], self.clock.today(), filing)
            except AlreadyFiled as earlier:
                return await already_filed(self.store, self.clock, turn, earlier)
            except Exception:
                # Nothing was committed; the saved state still waits at the summary, so 'Verzenden' can retry.
                log.exception("storing the outcome of %s failed", "a flow" if flow.name in UNLOGGED else flow.name)
                return [Reply(msg.STORE_FAILED)]
            # The same transaction replaced the flow by its marker, which settle() removes once this is sent.
            _log_flow("flow completed", flow.name, pack.org)
            _count_flow(flow.name, "finished")
            return replies
        if result.state is None:
            await self.store.clear_flow(turn.user)
            _log_flow("flow ended without storing", flow.name, pack.org)
            _count_flow(flow.name, "stopped")
        else:
            await self._save(turn, result.state)
        return result.replies

    async def act(self, turn: Turn, kind: str, reference: str, verb: str, text: str | None) -> ActionResult:
        """A card action by the person a notification went to (acknowledge, ask, close, decide, take up)."""
        pack = self.content.packs.get(turn.org or "")
        if pack is None or self.actions is None or not turn.user.private:
            return ActionResult(msg.UNKNOWN_ORG if pack is None else msg.ACTION_NOT_YOURS)
        return await self.actions.act(pack, turn.user, kind, reference, verb, text, self.clock.today())

    async def waiting(self, turn: Turn) -> tuple[dict, Reply] | None:
        """The state of the flow running in the turn's conversation and the question it waits on, if one runs:
        a form (a Slack modal) shows that question as its page."""
        pack = self.content.packs.get(turn.org or "")
        state = await self.store.load_flow(turn.user)
        if pack is None or state is None or state.get("flow") not in FLOWS:
            return None
        return state, current_question(FLOWS[state["flow"]], state, self._context(pack, turn))

    async def forget(self, turn: Turn) -> bool:
        """Drop the flow running in the turn's conversation without storing anything; True when one ran."""
        state = await self.store.load_flow(turn.user)
        if state is None or state.get("flow") not in FLOWS:
            return False
        await self.store.clear_flow(turn.user)
        _log_flow("flow ended without storing", state["flow"], "form closed")
        return True

    async def settle(self, turn: Turn, replies: list[Reply]) -> None:
        """Called by a channel once the replies reached the user: a confirmation among them need not be kept."""
        if any(reply.settles for reply in replies):
            await self.store.clear_sent(turn.user)

    async def _save(self, turn: Turn, state: dict) -> None:
        """Save a flow's state with the moment it moved, so a return after a pause is noticed."""
        state = {**state, TOUCHED: self.clock.now().isoformat()}
        await self.store.save_flow(turn.user, state)

    async def _open_flow_notice(self, turn: Turn) -> list[Reply]:
        """When a chat is (re)opened with a flow still running, say so and how to go on."""
        state = await self.store.load_flow(turn.user)
        if state is not None and state.get("flow") == SENT_FLOW:
            return await show_filed(self.store, self.clock, turn, state)
        if state is None or state.get("flow") not in FLOWS:
            return []
        return [Reply(msg.FLOW_OPEN.format(flow=msg.FLOW_TITLES.get(state["flow"], state["flow"])))]

    async def _in_flow(self, pack: Pack, turn: Turn, state: dict, text: str) -> list[Reply]:
        """A message while a flow runs: its answer, or an interruption that is asked about, never stored."""
        flow, ctx = FLOWS[state["flow"]], self._context(pack, turn)
        if state.get(HELD):
            return await self._held(pack, turn, state, text)
        if is_stop(text):
            return await self._continue(pack, turn, state, text)
        question = current_question(flow, state, ctx)
        at = state.get("at")
        step = flow.step(at) if at not in (CONFIRM, CHANGE) else None
        command = is_command(text)
        expected = {choice.value for choice in question.choices}
        if question.people_picker and people.is_picked(text):
            expected.add(text)  # the people picker's pick comes back like a button's value: it is this answer
        found = interruption(
            state,
            text,
            button=turn.value is not None or turn.picked is not None,
            expected=expected,
            is_command=command and not _answers_choice(step, question, text, ctx, state),
            long_text=step is not None and step.long_text,
            now=self.clock.now(),
        )
        if found is None:
            return await self._continue(pack, turn, state, text)
        _log_flow("flow interrupted", flow.name, found.kind)
        title = msg.FLOW_TITLES.get(flow.name, flow.name)
        section = SECTION_COMMAND.match(text)
        if found.kind == "button" and section:
            reminder = Reply(msg.FLOW_STILL_OPEN.format(flow=title, question=question.text), question.choices)
            return [full_section(pack, section.group(1)), reminder]
        if found.kind == "button" and not command:
            return [Reply(msg.OLD_BUTTON.format(flow=title, question=question.text), question.choices)]
        await self._save(turn, {**state, HELD: True})
        reason = {"paused": msg.FLOW_PAUSED, "question": msg.FLOW_QUESTION}.get(found.kind, msg.FLOW_COMMAND)
        which, reference = command_of(text)
        label = msg.SWITCH_LABELS.get(which, msg.SWITCH_LABEL).format(command=text.strip(), reference=reference)
        stop = Choice(label, f"stop en {text.strip()}")
        choices = (Choice(msg.RESUME_LABEL, "verdergaan"), stop if command else Choice(msg.STOP_LABEL, "stop"))
        return [Reply(reason.format(flow=title), choices)]

    async def _held(self, pack: Pack, turn: Turn, state: dict, text: str) -> list[Reply]:
        """The answer to 'verdergaan of stoppen?'."""
        flow = FLOWS[state["flow"]]
        answer = resume_answer(text)
        if answer == "resume":
            state = {key: value for key, value in state.items() if key != HELD}
            await self._save(turn, state)
            return [Reply(msg.RESUMED), current_question(flow, state, self._context(pack, turn))]
        if answer is None:
            title = msg.FLOW_TITLES.get(flow.name, flow.name)
            choices = (Choice(msg.RESUME_LABEL, "verdergaan"), Choice(msg.STOP_LABEL, "stop"))
            return [Reply(msg.FLOW_HELD_UNCLEAR.format(flow=title), choices)]
        await self.store.clear_flow(turn.user)
        _log_flow("flow ended without storing", flow.name, pack.org)
        if answer.startswith("switch:"):
            command = answer.removeprefix("switch:")
            return [Reply(dt.STOPPED), *await self.handle(replace(turn, text=command, value=None))]
        return [Reply(f"{dt.STOPPED} {msg.ASK_AGAIN}")]

    async def _code_command(self, pack: Pack, turn: Turn, command: str, code: str) -> list[Reply]:
        if not turn.user.private:
            return [Reply(msg.ONLY_PRIVATE.format(command=command))]
        if not code.strip():
            return [Reply(msg.CODE_MISSING.format(command=command))]
        if command == "status":
            return [await self.desk.status(pack, turn, code, self.clock.today())]
        case, problem = await self.desk.find_by_code(pack, turn, code)
        if problem is not None:
            return [problem]
        intro = Reply(at.ADDENDUM_INTRO.format(reference=case.reference))
        return [intro, *await self._start(pack, turn, "aanvullen", {"case_id": case.id, "reference": case.reference})]

    async def _case_command(self, pack: Pack, turn: Turn, command: str, reference: str, rest: str) -> list[Reply]:
        if not turn.user.private:
            return [Reply(msg.ONLY_PRIVATE.format(command=command))]
        if command == "melding":
            return [await self.desk.open_case(pack, turn, reference)]
        if command == "heropen":
            return [await self.desk.reopen(pack, turn, reference, self.clock.today())]
        return [await self.desk.answer(pack, turn, reference, rest, self.clock.today())]


def _answers_choice(step: Step | None, question: Reply, text: str, ctx: Context, state: dict) -> bool:
    """Whether a word that is also a command ('gift') is a valid answer to the choice asked now; at a free-text
    step a command is never taken as the answer."""
    if any(fold(text) == fold(choice.label) for choice in question.choices):
        return True  # a button's own label typed out ('Geschenk melden' at the summary) is always the answer
    if step is None or not question.choices:
        return False
    try:
        step.parse(text, ctx, state["answers"])
    except (Invalid, Leave):  # not a plain answer
        return False
    return True
