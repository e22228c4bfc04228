"""Store what a confirmed flow produced, with its notifications, and only then tell the user it was received."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from bot.cases.cards import addendum_card, contact_card, gift_card, report_card
from bot.cases.notify import notifications, reachable
from bot.cases.receipts import new_receipt, off_loop
from bot.knowledge.basis import terms_sentence
from bot.knowledge.directory import Directory
from bot.knowledge.packs import Pack
from bot.knowledge.roles import role_name
from bot.storage.audit_rows import ANONYMOUS, FILER, Actor
from bot.storage.filing import Filing
from bot.storage.store import Store
from bot.vocabulary import people
from bot.vocabulary.markup import inert
from bot.vocabulary.outcomes import AddendumOutcome, ContactOutcome, GiftOutcome, ReportOutcome
from bot.vocabulary.turns import ReceiptNote, Reply
from dialogs import addendum_texts as at
from dialogs import gift_texts as gt
from dialogs import texts as t
from dialogs.gift import advice_text

log = logging.getLogger(__name__)


@dataclass
class Intake:
    """Turns outcomes into stored records plus outbox rows, in one transaction each."""

    store: Store
    directory: Directory
    channels: set[str]

    async def record(self, pack: Pack, outcome: object, answers: dict, today: date, filing: Filing) -> list[Reply]:
        """Store one outcome once per flow run; raises when storing failed, so the caller keeps the flow and
        says so, and AlreadyFiled when this flow run was stored before. The confirmation settles the filing."""
        receipt: ReceiptNote | None = None
        if isinstance(outcome, ReportOutcome):
            receipt, reference = await self._report(pack, outcome, today, filing)
            text = receipt.as_text()
        elif isinstance(outcome, GiftOutcome):
            text, reference = await self._gift(pack, outcome, answers, today, filing)
        elif isinstance(outcome, ContactOutcome):
            text, reference = await self._contact(pack, outcome, today, filing)
        elif isinstance(outcome, AddendumOutcome):
            text, reference = await self._addendum(pack, outcome, today, filing)
        else:
            raise TypeError(f"unknown outcome {type(outcome).__name__}")
        await self._audit(pack, outcome, reference)
        return [Reply(text, receipt=receipt, settles=filing.submission_id)]

    async def _audit(self, pack: Pack, outcome: object, reference: str) -> None:
        """Record the filing, by the person the record itself names (reporter, declarant, requester): the trail holds
        no id of theirs, so it names nobody once retention deletes the record. A filing keeps only its day; what a
        reporter of an anonymous case does also no channel, and joins the chain once the day is over. The record is
        committed already: a trail that cannot be written is logged, and the user is still told."""
        if isinstance(outcome, AddendumOutcome):
            case = await self.store.case_by_reference(pack.org, outcome.reference)
            channel = None if case is None or case.anonymous else case.reporter_channel
            action, role = "addendum", "melder"
        else:
            person = {ReportOutcome: "reporter", GiftOutcome: "employee", ContactOutcome: "requester"}[type(outcome)]
            user = getattr(outcome, person)
            channel = user.channel if user is not None else None
            action, role = "filed", "melder" if isinstance(outcome, ReportOutcome) else "medewerker"
        by = Actor(ANONYMOUS, role, ANONYMOUS) if channel is None else Actor(FILER, role, channel)
        try:
            await self.store.audit_by(
                by, action, org=pack.org, reference=reference, day_only=channel is None, timed=False
            )
        except Exception:
            log.exception("the audit trail could not record a filing")
        if channel is None:
            # An anonymous filing and its audit entry out of SQLite's WAL at once: their frames would sit between
            # the timed frames of what others did just before and after, and so bracket the moment.
            try:
                await self.store.checkpoint()
            except Exception as exc:  # committed already: the user is told all the same
                log.warning("could not empty the WAL after a filing: %s", type(exc).__name__)

    def _notes(self, pack: Pack, role: str, named: str | None, kind: str, card: dict):
        return notifications(pack, self.directory, role, named, kind, card, self.channels)

    def _reachable(self, pack: Pack, role: str, named: str | None) -> bool:
        """Whether a chat or mail channel reaches this recipient; the log alone is not a message to them."""
        return reachable(pack, self.directory, role, named, self.channels)

    async def _report(self, pack: Pack, outcome: ReportOutcome, today: date, filing: Filing) -> tuple[ReceiptNote, str]:
        # scrypt is slow on purpose; keep it off the event loop.
        receipt = await off_loop(new_receipt)

        def notify(reference: str):
            card = report_card(pack, outcome, reference, today)
            return self._notes(pack, outcome.recipient_role, outcome.recipient_person, "report", card)

        role = pack.role(outcome.recipient_role)
        role_text = role_name(role) if role else "de ontvanger"
        who = t.REPORT_RECEIVED_ANONYMOUS if outcome.reporter is None else t.REPORT_RECEIVED_NAMED
        can_message = self._reachable(pack, outcome.recipient_role, outcome.recipient_person)
        # An anonymous report is announced the morning after (bot/storage/discretion.py): say so, honestly.
        sent = t.REPORT_DELIVERY if outcome.reporter is not None else t.REPORT_DELIVERY_HELD
        delivery = (sent if can_message else t.REPORT_NO_CHANNEL).format(role=role_text)
        terms = terms_sentence(pack, role) if role else ""

        def shown(reference: str) -> ReceiptNote:
            return ReceiptNote(
                code=receipt.code,
                lead=t.REPORT_RECEIVED.format(reference=reference, delivery=delivery, terms=terms),
                label=t.RECEIPT_LABEL,
                keep=t.RECEIPT_KEEP,
                heading=t.RECEIPT_FOLLOW_UP,
                commands=tuple((command.format(code=receipt.code), what) for command, what in t.RECEIPT_COMMANDS),
                note=who,
            )

        reference = await self.store.add_report(outcome, receipt, notify, today, filing, lambda r: shown(r).as_text())
        return shown(reference), reference

    async def _gift(
        self, pack: Pack, outcome: GiftOutcome, answers: dict, today: date, filing: Filing
    ) -> tuple[str, str]:
        def notify(reference: str):
            card = gift_card(pack, outcome, reference, today)
            return self._notes(pack, outcome.manager_role, outcome.manager, "gift", card)

        role = pack.role(outcome.manager_role)
        manager = people.display(outcome.manager) or (role_name(role) if role else outcome.manager_role)
        advice = advice_text(pack, answers).split("\n\n")[0]
        can_message = self._reachable(pack, outcome.manager_role, outcome.manager)

        def confirm(reference: str) -> str:
            template = gt.GIFT_DELIVERY if can_message else gt.GIFT_NO_CHANNEL
            delivery = template.format(manager=manager, reference=reference)
            delivery = delivery[:1].upper() + delivery[1:]  # 'De persoon die je koos krijgt …' starts a sentence
            return gt.GIFT_RECEIVED.format(reference=reference, delivery=delivery, advice=advice)

        reference = await self.store.add_gift(outcome, notify, today, filing, confirm)
        return confirm(reference), reference

    async def _contact(self, pack: Pack, outcome: ContactOutcome, today: date, filing: Filing) -> tuple[str, str]:
        def notify(reference: str):
            return self._notes(pack, outcome.role, None, "contact", contact_card(pack, outcome, reference, today))

        role = pack.role(outcome.role)
        role_text = role_name(role) if role else outcome.role
        template = t.CONTACT_RECEIVED if self._reachable(pack, outcome.role, None) else t.CONTACT_NO_CHANNEL

        def confirm(reference: str) -> str:
            return template.format(role=role_text, reference=reference, reach=inert(outcome.reach))

        reference = await self.store.add_contact_request(outcome, notify, today, filing, confirm)
        return confirm(reference), reference

    async def _addendum(self, pack: Pack, outcome: AddendumOutcome, today: date, filing: Filing) -> tuple[str, str]:
        case = await self.store.case_by_reference(pack.org, outcome.reference)

        def notify(reference: str):
            card = addendum_card(reference, today)
            return self._notes(pack, case.recipient_role, case.recipient_person, "addendum", card)

        can_message = self._reachable(pack, case.recipient_role, case.recipient_person)
        sent = at.ADDENDUM_RECEIVED_HELD if case.anonymous else at.ADDENDUM_RECEIVED
        template = sent if can_message else at.ADDENDUM_NO_CHANNEL

        def confirm(reference: str) -> str:
            return template.format(reference=reference)

        await self.store.add_addendum(outcome, notify, today, filing, confirm)
        return confirm(outcome.reference), outcome.reference
