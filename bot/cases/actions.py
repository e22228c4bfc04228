"""What the people who receive a notification do with its card: acknowledge, ask, close, decide, take up."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core import messages as msg
from bot.core import people
from bot.core.turns import UserRef
from bot.delivery.recipients import pick_channel
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.storage import db
from bot.storage.store import Notification, Store

log = logging.getLogger(__name__)

# Per kind of notification: its verbs, their button labels, and whether the verb needs a text.
VERBS: dict[str, dict[str, tuple[str, bool]]] = {
    "report": {
        "bevestigen": ("Ontvangst bevestigen", False),
        "vraag": ("Vraag stellen aan melder", True),
        "afsluiten": ("Afsluiten met terugkoppeling", True),
    },
    "gift": {
        "gezien": ("Gezien", False),
        "akkoord": ("Akkoord", False),
        "niet-akkoord": ("Niet akkoord: teruggeven of delen", False),
    },
    "contact": {"contact": ("Ik neem contact op", False)},
}
REFRESH = "refresh"
WHAT = {"report": "Melding", "gift": "Geschenk", "contact": "Vraag om contact"}
# The verbs still open in each status; a status not listed leaves none.
OPEN_VERBS = {
    ("report", "ontvangen"): ("bevestigen", "vraag", "afsluiten"),
    ("report", "ontvangst bevestigd"): ("vraag", "afsluiten"),
    ("report", "in behandeling"): ("vraag", "afsluiten"),
    ("gift", "gemeld"): ("gezien", "akkoord", "niet-akkoord"),
    ("contact", "gevraagd"): ("contact",),
}
GIFT_STATUS = {"gezien": "gezien", "akkoord": "akkoord", "niet-akkoord": "niet akkoord"}


def card_verbs(kind: str, reference: str, done: tuple[str, ...] = ()) -> dict[str, Any]:
    """The part of a neutral card that lets its addressee act on it: context and the verbs still open."""
    verbs = [
        {"verb": verb, "label": label, "needs_text": needs_text}
        for verb, (label, needs_text) in VERBS.get(kind, {}).items()
        if verb not in done
    ]
    return {"context": {"kind": kind, "reference": reference}, "verbs": verbs}


@dataclass(frozen=True)
class ActionResult:
    """What an action did: a message for the person who acted and the card that replaces theirs."""

    message: str
    card: dict[str, Any] | None = None
    done: bool = False


@dataclass
class CardActions:
    """Carries out card actions for the person a notification was meant for, and nobody else."""

    store: Store
    directory: Directory
    channels: set[str]

    async def act(
        self, pack: Pack, user: UserRef, kind: str, reference: str, verb: str, text: str | None, today: date
    ) -> ActionResult:
        """Carry out one verb on one record; refuses anyone who does not fill the record's role."""
        if kind not in VERBS or (verb not in VERBS[kind] and verb != REFRESH):
            return ActionResult(msg.ACTION_UNKNOWN)
        table = {"report": db.cases, "gift": db.gifts, "contact": db.contact_requests}[kind]
        record = await self.store.record_by_reference(table, pack.org, reference)
        if record is None or not self._addressee(pack, kind, record, user):
            log.info("card action refused: %s on %s %s", verb, pack.org, reference)
            return ActionResult(msg.ACTION_NOT_YOURS)
        if verb == REFRESH:  # Teams asks, for the addressee, what the card looks like now
            return ActionResult("", current_card(kind, record))
        text = (text or "").strip()[:2000] or None
        if VERBS[kind][verb][1] and not text:
            return ActionResult(msg.ACTION_NEEDS_TEXT)
        actor = user.name or "iemand van de dienst"
        if kind == "report":
            return await self._report(pack, record, verb, text, actor, today)
        if kind == "gift":
            return await self._gift(record, verb, text, actor, today)
        return await self._contact(pack, record, actor, today)

    def _addressee(self, pack: Pack, kind: str, record: Any, user: UserRef) -> bool:
        """Whether the user is whom the record was sent to: a person configured for its role, or the very person
        the employee picked (their own leidinggevende)."""
        role = {"report": "recipient_role", "gift": "manager_role"}.get(kind, "role")
        if getattr(record, role) in self.directory.roles_of(pack.org, user.channel, user.user_id):
            return True
        named = {"report": "recipient_person", "gift": "manager"}.get(kind)
        _, aad = people.decode(getattr(record, named) if named else None)
        return bool(aad) and user.channel == "msteams" and user.user_id.lower() == aad

    def _notes_for(self, channel: str | None, user_id: str | None, kind: str, card: dict) -> list[Notification]:
        """A notification to an employee in their chat channel, when the record keeps who they are."""
        if not channel or not user_id:
            return []
        recipient = {"teams_aad_id": user_id} if channel == "msteams" else {"slack_user_id": user_id}
        return [Notification("medewerker", recipient, pick_channel(recipient, self.channels), kind, card)]

    async def _report(self, pack: Pack, case: Any, verb: str, text: str | None, actor: str, today: date):
        if case.status == "afgesloten" or (verb == "bevestigen" and case.status != "ontvangen"):
            return ActionResult(msg.ACTION_ALREADY.format(reference=case.reference, status=case.status))
        event, line, status = {
            "bevestigen": ("bevestigd", msg.ACK_FOR_REPORTER, "ontvangst bevestigd"),
            "vraag": ("bericht", f"Vraag: {text}", "in behandeling"),
            "afsluiten": ("bericht", f"Terugkoppeling: {text}", "afgesloten"),
        }[verb]
        card = _card(msg.REPORT_UPDATE_TITLE.format(reference=case.reference), line, case.reference)
        notes = [] if case.anonymous else self._notes_for(case.reporter_channel, case.reporter_user_id, "update", card)
        await self.store.case_action(case, event, line, status, today, notes)
        log.info("card action: %s on %s %s", verb, pack.org, case.reference)
        done = ("bevestigen",) if status != "afgesloten" else tuple(VERBS["report"])
        reach = msg.ACTION_REPORTER_ANONYMOUS if case.anonymous else msg.ACTION_REPORTER_NAMED
        return ActionResult(
            msg.ACTION_DONE.format(what=VERBS["report"][verb][0].lower(), reference=case.reference) + " " + reach,
            _done_card("Melding", case.reference, VERBS["report"][verb][0], actor, today, status, "report", done),
            True,
        )

    async def _gift(self, gift: Any, verb: str, text: str | None, actor: str, today: date) -> ActionResult:
        status = GIFT_STATUS[verb]
        line = msg.GIFT_DECISION.format(reference=gift.reference, decision=VERBS["gift"][verb][0])
        if text:
            line += f" {msg.REMARK}: {text}"
        card = _card(msg.GIFT_UPDATE_TITLE.format(reference=gift.reference), line, gift.reference)
        notes = self._notes_for(gift.employee_channel, gift.employee_user_id, "update", card)
        await self.store.decide_gift(gift, status, text, actor, today, notes)
        return ActionResult(
            msg.ACTION_DONE.format(what=status, reference=gift.reference),
            _done_card(
                "Geschenk", gift.reference, VERBS["gift"][verb][0], actor, today, status, "gift", tuple(VERBS["gift"])
            ),
            True,
        )

    async def _contact(self, pack: Pack, request: Any, actor: str, today: date) -> ActionResult:
        role = pack.role(request.role)
        line = msg.CONTACT_TAKEN.format(who=actor, role=role.name.lower() if role else request.role)
        card = _card(msg.CONTACT_UPDATE_TITLE.format(reference=request.reference), line, request.reference)
        notes = self._notes_for(request.requester_channel, request.requester_user_id, "update", card)
        await self.store.take_contact(request, actor, today, notes)
        return ActionResult(
            msg.ACTION_DONE.format(what="contact opnemen", reference=request.reference),
            _done_card(
                "Vraag om contact",
                request.reference,
                "Ik neem contact op",
                actor,
                today,
                "opgenomen",
                "contact",
                ("contact",),
            ),
            True,
        )


def _card(title: str, body: str, reference: str) -> dict[str, Any]:
    """A short notification card for the employee."""
    return {"title": title, "body": body, "facts": [["Referentie", reference]], "actions": []}


def _done_card(
    what: str, reference: str, label: str, actor: str, today: date, status: str, kind: str, done: tuple[str, ...]
) -> dict[str, Any]:
    """The card that replaces the acted-on one: who did what and when, and the actions still open."""
    return {
        "title": f"{what} {reference}",
        "body": msg.ACTION_DONE_BY.format(label=label, actor=actor, day=today.strftime("%d/%m/%Y")),
        "facts": [["Referentie", reference], ["Status", status]],
        "actions": [{"label": "Open de melding", "value": f"melding {reference}"}] if kind == "report" else [],
        **card_verbs(kind, reference, done),
    }


def current_card(kind: str, record: Any) -> dict[str, Any]:
    """A record's card as it stands now: its status, who decided when that is known, and the verbs still open."""
    by = getattr(record, "decided_by", None) or getattr(record, "handled_by", None)
    on = getattr(record, "decided_on", None) or getattr(record, "handled_on", None)
    body = msg.CARD_STATUS.format(status=record.status)
    if by and on:
        body = msg.ACTION_DONE_BY.format(label=record.status.capitalize(), actor=by, day=on.strftime("%d/%m/%Y"))
    still_open = OPEN_VERBS.get((kind, record.status), ())
    return {
        "title": f"{WHAT[kind]} {record.reference}",
        "body": body,
        "facts": [["Referentie", record.reference], ["Status", record.status]],
        "actions": [{"label": "Open de melding", "value": f"melding {record.reference}"}] if kind == "report" else [],
        **card_verbs(kind, record.reference, tuple(verb for verb in VERBS[kind] if verb not in still_open)),
    }
