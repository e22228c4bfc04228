"""Deadlines that remind and escalate: the handler hears of an acknowledgement due in two days and on the day, of
feedback due in two weeks; an acknowledgement that does not come in time goes to the next role of the route."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.cases.actions import OPEN_VERBS
from bot.cases.cards import VERBS, card_verbs
from bot.cases.deadlines import add_days, role_deadlines
from bot.cases.notify import notifications
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Content, Pack
from bot.knowledge.routing import route_for
from bot.storage.store import Store
from bot.vocabulary import messages as msg

log = logging.getLogger(__name__)

ACK_WARNING_DAYS = 2  # the first reminder of an acknowledgement (or a code's reply term)
FEEDBACK_WARNING_DAYS = 14  # the reminder of the feedback deadline


@dataclass(frozen=True)
class Due:
    """A reminder due for a case now: which one, and the deadline it is about."""

    what: str  # "ack-2", "ack-0", "feedback-14" or "escalate" ("reply-…" for a code's own reply term)
    day: date


def due(pack: Pack, case: Any, today: date) -> list[Due]:
    """The reminders a case should have had by today: before and on the acknowledgement (or reply) deadline while
    it is only received, the escalation once that day passed, and two weeks before the feedback deadline."""
    found = []
    for label, day in role_deadlines(pack.role(case.recipient_role), case.received_on):
        if label.startswith("Feedback"):
            if case.status != "afgesloten" and add_days(day, -FEEDBACK_WARNING_DAYS) <= today <= day:
                found.append(Due("feedback-14", day))
            continue
        if case.status != "ontvangen":  # acknowledged, answered or closed: the first term is met
            continue
        name = "ack" if label.startswith("Ontvangst") else "reply"
        if add_days(day, -ACK_WARNING_DAYS) <= today < day:
            found.append(Due(f"{name}-2", day))
        elif today == day:
            found.append(Due(f"{name}-0", day))
        elif today > day:
            found.append(Due("escalate", day))
    return found


def next_role(pack: Pack, case: Any) -> str | None:
    """The role after the case's recipient in its route (the roles before it were passed over as involved) that
    the bot can name for this case: a personal role (the reporter's own leidinggevende) has nobody behind it here."""
    role_ids = list(route_for(pack, case.route_kind).role_ids)
    if case.recipient_role not in role_ids:
        return None
    for role_id in role_ids[role_ids.index(case.recipient_role) + 1 :]:
        role = pack.role(role_id)
        if role is not None and not role.personal:
            return role_id
    return None


def reminder_card(pack: Pack, case: Any, reminder: Due) -> dict[str, Any]:
    """The handler's reminder: which case, which deadline, and the buttons still open for it; no details."""
    title, body = {
        "ack-2": (msg.REMIND_ACK_TITLE, msg.REMIND_ACK_SOON),
        "ack-0": (msg.REMIND_ACK_TITLE, msg.REMIND_ACK_TODAY),
        "reply-2": (msg.REMIND_REPLY_TITLE, msg.REMIND_REPLY_SOON),
        "reply-0": (msg.REMIND_REPLY_TITLE, msg.REMIND_REPLY_TODAY),
        "feedback-14": (msg.REMIND_FEEDBACK_TITLE, msg.REMIND_FEEDBACK),
    }[reminder.what]
    facts = [
        ["Referentie", case.reference],
        ["Ontvangen op", case.received_on.strftime("%d/%m/%Y")],
        ["Uiterlijk", reminder.day.strftime("%d/%m/%Y")],
    ]
    text = body.format(reference=case.reference, day=reminder.day.strftime("%d/%m/%Y"))
    further = pack.role(next_role(pack, case) or "")
    if reminder.what == "ack-0" and further is not None:
        text += " " + msg.REMIND_ESCALATES.format(role=further.name.lower())
    card = {"title": title.format(reference=case.reference), "body": text, "facts": facts, "actions": []}
    card["actions"] = [{"label": "Openen", "value": f"melding {case.reference}"}]
    return {**card, **card_verbs("report", case.reference, _done(case))}


def escalation_card(pack: Pack, case: Any, to_role: str, reminder: Due) -> dict[str, Any]:
    """The next role's card: the acknowledgement did not come in time, and it is theirs to act on too."""
    first = pack.role(case.recipient_role)
    body = msg.ESCALATION_BODY.format(
        reference=case.reference,
        received=case.received_on.strftime("%d/%m/%Y"),
        role=(first.name if first else case.recipient_role).lower(),
        day=reminder.day.strftime("%d/%m/%Y"),
    )
    facts = [
        ["Referentie", case.reference],
        ["Ontvangen op", case.received_on.strftime("%d/%m/%Y")],
        ["Termijn verstreken op", reminder.day.strftime("%d/%m/%Y")],
    ]
    card = {
        "title": msg.ESCALATION_TITLE.format(reference=case.reference),
        "body": body,
        "facts": facts,
        "actions": [{"label": "Openen", "value": f"melding {case.reference}"}],
    }
    return {**card, **card_verbs("report", case.reference, _done(case))}


def _done(case: Any) -> tuple[str, ...]:
    """The verbs no longer open in the case's status."""
    still = OPEN_VERBS.get(("report", case.status), ())
    return tuple(verb for verb in VERBS["report"] if verb not in still)


@dataclass
class DeadlineWatch:
    """Queues the reminders and escalations that are due, each once; run by the outbox worker every hour."""

    store: Store
    content: Content
    directory: Directory
    channels: set[str]

    async def run_once(self, today: date | None = None) -> int:
        """Queue what is due today (or was due while the service was down); returns how many were new."""
        today = today or self.store.clock.today()
        queued = 0
        for case in await self.store.cases_with_terms():
            pack = self.content.packs.get(case.org)
            if pack is None:
                continue
            for reminder in due(pack, case, today):
                queued += await self._queue(pack, case, reminder, today)
        if queued:
            log.info("queued %d deadline reminders or escalations", queued)
        return queued

    async def _queue(self, pack: Pack, case: Any, reminder: Due, today: date) -> int:
        if reminder.what != "escalate":
            card = reminder_card(pack, case, reminder)
            notes = notifications(
                pack, self.directory, case.recipient_role, case.recipient_person, "reminder", card, self.channels
            )
            return int(await self.store.remind(case, reminder.what, notes))
        to_role = next_role(pack, case)
        if to_role is None:
            return 0  # the last of its route: nobody further to tell; the overdue term shows in the overview
        card = escalation_card(pack, case, to_role, reminder)
        notes = notifications(pack, self.directory, to_role, None, "report", card, self.channels)
        escalated = await self.store.remind(case, "escalate", notes, escalate_to=to_role, today=today)
        if escalated:
            log.info("a case of %s escalated to %s", case.org, to_role)  # no reference: see README "Logs"
        return int(escalated)


def overdue(pack: Pack, case: Any, today: date) -> bool:
    """Whether an open case is past a deadline: its acknowledgement or reply term while only received, or the
    feedback term while not closed."""
    if any(found.what == "escalate" for found in due(pack, case, today)):
        return True
    deadlines = role_deadlines(pack.role(case.recipient_role), case.received_on)
    return case.status != "afgesloten" and any(label.startswith("Feedback") and today > day for label, day in deadlines)
