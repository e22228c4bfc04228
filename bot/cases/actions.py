"""What the people who receive a notification do with its card: acknowledge, ask, close, decide, take up."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.cases.cards import VERBS, card_verbs, update_card
from bot.delivery.recipients import pick_channel
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.storage import db
from bot.storage.audit_rows import Actor, Deed, actor_id, actor_of
from bot.storage.discretion import released
from bot.storage.store import Notification, Store
from bot.vocabulary import messages as msg
from bot.vocabulary.markup import inert
from bot.vocabulary.turns import UserRef

log = logging.getLogger(__name__)

REFRESH = "refresh"
# The verbs still open in each status; a status not listed leaves none.
OPEN_VERBS = {
    ("report", "ontvangen"): ("bevestigen", "vraag", "afsluiten"),
    ("report", "ontvangst bevestigd"): ("vraag", "afsluiten"),
    ("report", "in behandeling"): ("vraag", "afsluiten"),
    ("gift", "gemeld"): ("gezien", "akkoord", "niet-akkoord"),
    ("contact", "gevraagd"): ("contact",),
}
GIFT_STATUS = {"gezien": "gezien", "akkoord": "akkoord", "niet-akkoord": "niet akkoord"}
TABLES = {"report": db.cases, "gift": db.gifts, "contact": db.contact_requests}
# What each verb is called in the audit trail.
AUDITED = {
    "bevestigen": "acknowledged",
    "vraag": "asked",
    "afsluiten": "closed",
    "gezien": "decided",
    "akkoord": "decided",
    "niet-akkoord": "decided",
    "contact": "contact",
}


@dataclass(frozen=True)
class ActionResult:
    """What an action did: a message for the person who acted and the card that replaces theirs."""

    message: str
    card: dict[str, Any] | None = None
    done: bool = False


@dataclass(frozen=True)
class Change:
    """The statuses a verb may change its record from, and the audit entry written with the change."""

    allowed: tuple[str, ...]
    deed: Deed

    def fields(self) -> dict[str, Any]:
        """As the store's action writes take them."""
        return {"allowed": self.allowed, "deed": self.deed}


def allowed_from(kind: str, verb: str) -> tuple[str, ...]:
    """The statuses of a record of this kind in which the verb is still open (OPEN_VERBS read the other way)."""
    return tuple(status for (of, status), verbs in OPEN_VERBS.items() if of == kind and verb in verbs)


@dataclass
class CardActions:
    """Carries out card actions for the person a notification was meant for, and nobody else."""

    store: Store
    directory: Directory
    channels: set[str]

    async def act(
        self, pack: Pack, user: UserRef, kind: str, reference: str, verb: str, text: str | None, today: date
    ) -> ActionResult:
        """Carry out one verb on one record (or `refresh`: the card as it stands); refuses anyone who is not
        the record's addressee. The card that comes back keeps the original card's facts."""
        if kind not in VERBS or (verb not in VERBS[kind] and verb != REFRESH):
            return ActionResult(msg.ACTION_UNKNOWN)
        record = await self.store.record_by_reference(TABLES[kind], pack.org, reference)
        if record is not None and kind == "gift" and self._declared_by(pack, record, user):
            # Whoever the card reached, the employee never decides on their own declaration.
            log.info("card action refused: %s on a %s of %s, by its declarant", verb, kind, pack.org)
            return ActionResult(msg.ACTION_OWN_GIFT)
        if kind == "report" and record is not None and not released(record, self.store.clock.now()):
            record = None  # an anonymous case is the handler's from its morning release on (bot/storage/discretion)
        if record is None or not await self._addressee(pack, kind, record, user):
            log.info("card action refused: %s on a %s of %s", verb, kind, pack.org)
            return ActionResult(msg.ACTION_NOT_YOURS)
        original = await self.store.first_card(pack.org, record.reference, kind)
        if verb == REFRESH:  # Teams asks, for the addressee, what the card looks like now
            return ActionResult("", card_now(kind, record, original))
        if verb not in OPEN_VERBS.get((kind, record.status), ()):
            return ActionResult(msg.ACTION_ALREADY.format(reference=record.reference, status=record.status))
        text = (text or "").strip()[:2000] or None
        if VERBS[kind][verb][1] and not text:
            return ActionResult(msg.ACTION_NEEDS_TEXT)
        actor = user.name or "iemand van de dienst"
        deed = Deed(await self._actor(pack, kind, record, user), AUDITED[verb], verb if kind == "gift" else None)
        change = Change(allowed_from(kind, verb), deed)
        if kind == "gift":
            by_id = actor_id(user.channel, user.user_id)
            message = await self._gift(pack, record, verb, text, actor, by_id, today, change)
        else:
            handle = {"report": self._report, "contact": self._contact}[kind]
            message = await handle(pack, record, verb, text, actor, today, change)
        now = await self.store.record_by_reference(TABLES[kind], pack.org, reference)
        if message is None:  # another action changed the status between the check above and this write
            log.info("card action refused: %s on a %s of %s, its status changed", verb, kind, pack.org)
            if now is None:
                return ActionResult(msg.ACTION_NOT_YOURS)
            return ActionResult(msg.ACTION_ALREADY.format(reference=now.reference, status=now.status))
        log.info("card action: %s on a %s of %s", verb, kind, pack.org)  # no reference: see README "Logs"
        done = msg.ACTION_DONE_BY.format(label=VERBS[kind][verb][2], actor=inert(actor), day=f"{today:%d/%m/%Y}")
        return ActionResult(message, card_now(kind, now or record, original, done), True)

    async def _actor(self, pack: Pack, kind: str, record: Any, user: UserRef) -> Actor:
        """The addressee as the audit trail names them: their stable id and the role through which they acted."""
        role = getattr(record, {"report": "recipient_role", "gift": "manager_role"}.get(kind, "role"))
        through = {role} | (await self.store.escalated_roles(record.id) if kind == "report" else set())
        roles = self.directory.roles_of(pack.org, user.channel, user.user_id) & through
        return actor_of(user, roles, nobody=f"{role} (gekozen persoon)")

    def _declared_by(self, pack: Pack, gift: Any, user: UserRef) -> bool:
        """Whether the user is the employee who declared this gift, on any of their channels."""
        channel, user_id = gift.employee_channel, gift.employee_user_id
        same = self.directory.same_person(pack.org, channel or "", user_id or "", user.channel, user.user_id)
        return bool(user_id) and same

    async def _addressee(self, pack: Pack, kind: str, record: Any, user: UserRef) -> bool:
        """Whether the user is whom the record was sent to: a person configured for its role, or the very person
        the employee picked (their own leidinggevende)."""
        role = {"report": "recipient_role", "gift": "manager_role"}.get(kind, "role")
        roles = self.directory.roles_of(pack.org, user.channel, user.user_id)
        if getattr(record, role) in roles:
            return True
        if kind == "report" and roles & await self.store.escalated_roles(record.id):
            return True  # the next role of the route, after an acknowledgement that did not come in time
        named = {"report": "recipient_person", "gift": "manager"}.get(kind)
        return bool(named) and self.directory.is_named(pack.org, getattr(record, named), user.channel, user.user_id)

    def _notes_for(self, channel: str | None, user_id: str | None, card: dict) -> list[Notification]:
        """A notification to an employee in their chat channel, when the record keeps who they are."""
        if not channel or not user_id:
            return []
        recipient = {"teams_aad_id": user_id} if channel == "msteams" else {"slack_user_id": user_id}
        return [Notification("medewerker", recipient, pick_channel(recipient, self.channels), "update", card)]

    async def _report(
        self, pack: Pack, case: Any, verb: str, text: str | None, actor: str, today: date, change: Change
    ) -> str | None:
        event, line, status = {
            "bevestigen": ("bevestigd", msg.ACK_FOR_REPORTER, "ontvangst bevestigd"),
            "vraag": ("bericht", f"Vraag: {text}", "in behandeling"),
            "afsluiten": ("afgesloten", f"Terugkoppeling: {text}", "afgesloten"),  # its own type: the day it closed
        }[verb]
        # What the addressee typed reaches the reporter's card and mail as plain text; the event keeps it as typed.
        card = update_card(msg.REPORT_UPDATE_TITLE.format(reference=case.reference), inert(line), case.reference)
        notes = [] if case.anonymous else self._notes_for(case.reporter_channel, case.reporter_user_id, card)
        if not await self.store.case_action(case, event, line, status, today, notes, **change.fields()):
            return None
        reach = msg.ACTION_REPORTER_ANONYMOUS if case.anonymous else msg.ACTION_REPORTER_NAMED
        return msg.ACTION_DONE.format(what=VERBS["report"][verb][2].lower(), reference=case.reference) + " " + reach

    async def _gift(
        self,
        pack: Pack,
        gift: Any,
        verb: str,
        text: str | None,
        actor: str,
        actor_id: str,
        today: date,
        change: Change,
    ) -> str | None:
        status = GIFT_STATUS[verb]
        line = msg.GIFT_DECISION.format(reference=gift.reference, decision=VERBS["gift"][verb][2])
        if text:
            line += f" {msg.REMARK}: {text}"
        card = update_card(msg.GIFT_UPDATE_TITLE.format(reference=gift.reference), inert(line), gift.reference)
        notes = self._notes_for(gift.employee_channel, gift.employee_user_id, card)
        if not await self.store.decide_gift(gift, status, text, actor, today, notes, actor_id, **change.fields()):
            return None
        return msg.ACTION_DONE.format(what=status, reference=gift.reference)

    async def _contact(
        self, pack: Pack, request: Any, verb: str, text: str | None, actor: str, today: date, change: Change
    ) -> str | None:
        role = pack.role(request.role)
        line = msg.CONTACT_TAKEN.format(who=actor, role=role.name.lower() if role else request.role)
        card = update_card(msg.CONTACT_UPDATE_TITLE.format(reference=request.reference), inert(line), request.reference)
        notes = self._notes_for(request.requester_channel, request.requester_user_id, card)
        if not await self.store.take_contact(request, actor, today, notes, **change.fields()):
            return None
        return msg.ACTION_DONE.format(what="contact opnemen", reference=request.reference)


def card_now(kind: str, record: Any, original: dict[str, Any] | None, done: str | None = None) -> dict[str, Any]:
    """The record's card as it stands: the original card's title, text and facts, its status (and what was just
    done, or who decided, when known), and only the verbs still open in that status."""
    base = original or {"title": record.reference, "body": "", "facts": [["Referentie", record.reference]]}
    by = getattr(record, "decided_by", None) or getattr(record, "handled_by", None)
    on = getattr(record, "decided_on", None) or getattr(record, "handled_on", None)
    if done is None and by and on:
        done = msg.ACTION_DONE_BY.format(label=record.status.capitalize(), actor=inert(by), day=on.strftime("%d/%m/%Y"))
    facts = [fact for fact in base.get("facts", []) if fact[0] != "Status"] + [["Status", record.status]]
    still_open = OPEN_VERBS.get((kind, record.status), ())
    return {
        "title": base["title"],
        "body": f"{done}\n\n{base['body']}" if done else base["body"],
        "facts": facts,
        "actions": base.get("actions", []),
        **card_verbs(kind, record.reference, tuple(verb for verb in VERBS[kind] if verb not in still_open)),
    }
