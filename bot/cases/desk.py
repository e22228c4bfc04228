"""Following up a report: the reporter with a receipt code, the handler with the reference."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.cases.deadlines import term_states
from bot.cases.receipts import DUMMY_HASH, SELECTOR_CHARS, Throttle, normalise, off_loop, verify
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.storage.audit_rows import Deed, actor_of
from bot.storage.discretion import released
from bot.storage.store import Store
from bot.vocabulary import messages as msg
from bot.vocabulary.markup import inert
from bot.vocabulary.turns import Choice, Reply, Turn
from dialogs import texts as dt

log = logging.getLogger(__name__)
MESSAGES = ("bericht", "afgesloten")  # events that carry a message for the reporter: a question, the feedback
CLOSED = "afgesloten"
OPEN = ("ontvangen", "ontvangst bevestigd", "in behandeling")  # every status of a case but CLOSED
ANSWERED = "in behandeling"  # where an answer, or reopening, puts a case


@dataclass
class CaseDesk:
    """Status and addenda for reporters; opening and answering cases for the people who handle them."""

    store: Store
    directory: Directory
    throttle: Throttle = field(default_factory=Throttle)

    async def find_by_code(self, pack: Pack, turn: Turn, code_text: str) -> tuple[Any | None, Reply | None]:
        """The case a receipt code opens, or the one answer for a wrong, unknown or throttled code."""
        key = Throttle.key(turn.user.channel, turn.user.user_id)
        wait = self.throttle.wait(key)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            return None, Reply(msg.CODE_WAIT.format(minutes=msg.counted(minutes, "minuut", "minuten")))
        raw = normalise(code_text)
        case = await self.store.case_by_selector(raw[:SELECTOR_CHARS]) if raw else None
        stored = case.receipt_hash if case is not None and case.org == pack.org else DUMMY_HASH
        secret = raw[SELECTOR_CHARS:] if raw else ""
        # Always pay for one slow check, so a wrong code and an unknown one cost the same time.
        matches = await off_loop(verify, secret, stored)
        if not matches or case is None or case.org != pack.org:
            self.throttle.failed(key)
            log.info("receipt code not accepted")
            return None, Reply(msg.CODE_UNKNOWN)
        self.throttle.succeeded(key)
        return case, None

    async def status(self, pack: Pack, turn: Turn, code_text: str, today: date) -> Reply:
        """Where a report stands, its deadlines and whether they were met, and the handler's messages, for whoever
        holds its receipt code."""
        case, problem = await self.find_by_code(pack, turn, code_text)
        if problem is not None:
            return problem
        events = await self.store.case_events(case.id, for_reporter=True)
        messages = [f"• {e.on_date:%d/%m/%Y}: {inert(e.text)}" for e in events if e.type in MESSAGES and e.text]
        text = msg.CASE_STATUS.format(
            reference=case.reference,
            status=case.status,
            received=case.received_on.strftime("%d/%m/%Y"),
        )
        terms = term_states(pack.role(case.recipient_role), case.received_on, events, today)
        if terms:
            text += "\n" + "\n".join(f"• {term.describe()}" for term in terms)
        text += "\n\n" + (msg.CASE_MESSAGES + "\n" + "\n".join(messages) if messages else msg.CASE_NO_MESSAGES)
        return Reply(text)

    async def open_case(self, pack: Pack, turn: Turn, reference: str) -> Reply:
        """A case in full, for a person who fills the role it was sent to; the audit trail records who opened it."""
        case, roles = await self._handled_case(pack, turn, reference)
        if case is None:
            return Reply(msg.CASE_NOT_YOURS.format(reference=reference.upper()))
        # On record before anything of it is shown: a read that cannot be recorded is not shown.
        await self.store.audit_by(actor_of(turn.user, roles), "opened", org=pack.org, reference=case.reference)
        events = await self.store.case_events(case.id)
        reporter = msg.CASE_ANONYMOUS if case.anonymous else case.reporter_name
        lines = [
            f"Melding {case.reference} ({dt.KIND_SHORT.get(case.kind, case.kind)}), "
            f"ontvangen op {case.received_on:%d/%m/%Y}.",
            f"Status: {case.status}. Melder: {inert(reporter or '')}.",
            "",
            f"Wat er gebeurde: {inert(case.description)}",
            f"Wanneer: {inert(case.when_text)}",
            f"Waar of welke dienst: {inert(case.where_text) if case.where_text else dt.NOT_GIVEN}",
            f"Bewijzen: {case.evidence}",
        ]
        if case.code_version:  # a new version of the code since does not change what the case was filed under
            lines.append(msg.CASE_CODE_VERSION.format(version=case.code_version))
        lines += [f"Aanvulling ({e.on_date:%d/%m/%Y}): {inert(e.text)}" for e in events if e.type == "aanvulling"]
        lines += [f"Jouw bericht ({e.on_date:%d/%m/%Y}): {inert(e.text)}" for e in events if e.type in MESSAGES]
        log.info("case opened by its handler (%s)", pack.org)  # the reference is in the audit trail, not the log
        if case.status == CLOSED:  # a closed case stays closed until its handler reopens it, on record
            hint = msg.CASE_CLOSED.format(reference=case.reference)
            return Reply(
                "\n".join(lines) + f"\n\n{hint}", (Choice(msg.CASE_REOPEN_LABEL, f"heropen {case.reference}"),)
            )
        hint = msg.CASE_ANSWER_HINT.format(reference=case.reference)
        return Reply("\n".join(lines) + f"\n\n{hint}", (Choice(msg.CASE_ANSWER_LABEL, f"antwoord {case.reference} "),))

    async def answer(self, pack: Pack, turn: Turn, reference: str, text: str, today: date) -> Reply:
        """A handler's message to the reporter, who reads it with 'status <code>'; never on a closed case."""
        case, roles = await self._handled_case(pack, turn, reference)
        if case is None:
            return Reply(msg.CASE_NOT_YOURS.format(reference=reference.upper()))
        if case.status == CLOSED:
            return Reply(msg.CASE_CLOSED.format(reference=case.reference))
        text = text.strip()
        if len(text) < 2 or len(text) > 2000:
            return Reply(msg.CASE_ANSWER_INVALID)
        # The check above answers at once; the write checks again itself, so a close at the same moment wins
        # or comes after, and never leaves a closed case open.
        deed = Deed(actor_of(turn.user, roles), "answered")
        if not await self.store.case_action(case, "bericht", text, ANSWERED, today, [], allowed=OPEN, deed=deed):
            return Reply(msg.CASE_CLOSED.format(reference=case.reference))
        log.info("handler message stored (%s)", pack.org)  # the reference is in the audit trail, not the log
        return Reply(msg.CASE_ANSWERED.format(reference=case.reference))

    async def reopen(self, pack: Pack, turn: Turn, reference: str, today: date) -> Reply:
        """A closed case back to 'in behandeling', only when its handler asks for it explicitly; on record."""
        case, roles = await self._handled_case(pack, turn, reference)
        if case is None:
            return Reply(msg.CASE_NOT_YOURS.format(reference=reference.upper()))
        if case.status != CLOSED:
            return Reply(msg.CASE_NOT_CLOSED.format(reference=case.reference))
        deed = Deed(actor_of(turn.user, roles), "reopened")
        event = msg.CASE_REOPENED_EVENT
        if not await self.store.case_action(case, "heropend", event, ANSWERED, today, [], allowed=(CLOSED,), deed=deed):
            return Reply(msg.CASE_NOT_CLOSED.format(reference=case.reference))
        log.info("case reopened (%s)", pack.org)
        return Reply(msg.CASE_REOPENED.format(reference=case.reference))

    async def _handled_case(self, pack: Pack, turn: Turn, reference: str) -> tuple[Any | None, set[str]]:
        """The case when the user handles it, with the roles through which they do."""
        roles = self.directory.roles_of(pack.org, turn.user.channel, turn.user.user_id)
        if not roles:
            return None, set()
        case = await self.store.case_by_reference(pack.org, reference)
        if case is None or not released(case, self.store.clock.now()):  # anonymous: from the morning after
            return None, set()
        # Its first recipient, and the roles an overdue acknowledgement escalated it to.
        handlers = {case.recipient_role} | await self.store.escalated_roles(case.id)
        return (case, handlers & roles) if handlers & roles else (None, set())
