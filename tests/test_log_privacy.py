"""Issue 19, point 8: the service log holds row numbers, kinds and roles of notifications, never what their cards
say (names, contact details, topics, remarks), their recipient's name or address, or a reference; at any level."""

from __future__ import annotations

import inspect
import logging
import re
from types import SimpleNamespace

from bot.cases import cards, reminders
from bot.cases.cards import addendum_card, contact_card, gift_card, report_card, update_card
from bot.cases.reminders import Due, escalation_card, reminder_card
from bot.delivery.outbox import LogChannel, OutboxWorker
from bot.storage import db
from bot.storage.filing_rows import Notification, enqueue
from bot.storage.outbox_rows import tag
from bot.vocabulary import messages as msg
from bot.vocabulary.outcomes import ContactOutcome, GiftOutcome, Person, ReportOutcome
from tests.conftest import Chat
from tests.flows import rows

REPORTER = "Zoe Verklikker"
REACH = "0470 11 22 33 na 16 uur"
TOPIC = "pesten door mijn diensthoofd"
GIVER = "Brouwerij Geheimschrift"
HANDLER = "Hendrik Handelaar"
HANDLER_MAIL = "hendrik.handelaar@kortrijk.example"
QUESTION = "Wie was er nog bij, Zoe?"
REMARK = "Geef het terug aan de brouwerij"
# Everything recognisable the cards and recipients below carry; none of it may reach the log.
SECRETS = (
    REPORTER,
    "Verklikker",
    REACH,
    "0470",
    TOPIC,
    GIVER,
    "Geheimschrift",
    HANDLER,
    HANDLER_MAIL,
    QUESTION,
    REMARK,
)


def notifications(pack, today) -> list[tuple[str, Notification]]:
    """One notification of every kind the bot sends, built by every card builder there is, with recognisable text."""
    person = Person(REPORTER, "msteams", "aad-zoe", "a:conv-zoe")
    report = ReportOutcome(
        "kortrijk",
        "behaviour",
        "behaviour",
        "algemeen-directeur",
        None,
        None,
        TOPIC,
        "gisteren",
        "de dienst van " + REPORTER,
        "nee",
        person,
    )
    gift = GiftOutcome(
        "kortrijk",
        person,
        "gift",
        "supplier",
        GIVER,
        30.0,
        "ja",
        "nee",
        "nee",
        "ja",
        "accept_and_report",
        None,
        "leidinggevende",
        HANDLER,
    )
    contact = ContactOutcome("kortrijk", "vertrouwenspersoon", person, REACH, TOPIC)
    case = SimpleNamespace(
        org="kortrijk",
        reference="M-2026-0007",
        received_on=today,
        recipient_role="algemeen-directeur",
        route_kind="rule_breach",
        status="ontvangen",
    )
    due = Due("ack-2", today)
    built = {
        "report_card": ("report", report_card(pack, report, "M-2026-0007", today)),
        "addendum_card": ("addendum", addendum_card("M-2026-0007", today)),
        "gift_card": ("gift", gift_card(pack, gift, "G-2026-0003", today)),
        "contact_card": ("contact", contact_card(pack, contact, "V-2026-0002", today)),
        "update_card": (
            "update",
            update_card(msg.REPORT_UPDATE_TITLE.format(reference="M-2026-0007"), f"Vraag: {QUESTION}", "M-2026-0007"),
        ),
        "reminder_card": ("reminder", reminder_card(pack, case, due)),
        "escalation_card": ("report", escalation_card(pack, case, "burgemeester", Due("escalate", today))),
    }
    # The decision on a gift and the adviser taking up a request reach the employee as update cards too.
    decision = msg.GIFT_DECISION.format(reference="G-2026-0003", decision="Niet akkoord") + f" {msg.REMARK}: {REMARK}"
    taken = msg.CONTACT_TAKEN.format(who=HANDLER, role="vertrouwenspersoon")
    extra = [
        ("update", update_card("Beslissing", decision, "G-2026-0003")),
        ("update", update_card("Contact", taken, "V-2026-0002")),
    ]
    recipient = {"name": HANDLER, "email": HANDLER_MAIL, "teams_aad_id": "aad-hendrik"}
    notes = [
        (name, Notification("algemeen-directeur", recipient, "log", kind, card)) for name, (kind, card) in built.items()
    ]
    return notes + [
        ("update_card", Notification("medewerker", {"name": REPORTER}, "log", kind, card)) for kind, card in extra
    ]


def card_builders() -> set[str]:
    """Every card builder of the service: the functions named *_card in bot/cases/cards.py and reminders.py."""
    return {
        name
        for module in (cards, reminders)
        for name, thing in inspect.getmembers(module, inspect.isfunction)
        if name.endswith("_card") and not name.startswith("_") and thing.__module__ == module.__name__
    }


async def test_every_kind_of_notification_reaches_the_log_without_its_card(content, store, clock, caplog):
    caplog.set_level(logging.DEBUG)
    notes = notifications(content.packs["kortrijk"], clock.today())
    assert {name for name, _ in notes} == card_builders()  # a new kind of card must be added here
    for name, note in notes:
        assert any(secret in str(note.card) + str(note.recipient) for secret in SECRETS) or name in (
            "addendum_card",
            "reminder_card",
            "escalation_card",
        ), name  # the test's texts are really in them
    async with store.engine.begin() as conn:
        for _, note in notes:
            await enqueue(conn, store.fields, "kortrijk", "M-2026-0007", [note], clock.now())
    assert await OutboxWorker(store, {"log": LogChannel()}).run_once() == len(notes)

    lines = [record.getMessage() for record in caplog.records]
    for row in await rows(store, db.outbox):
        assert f"notification {tag(row)} to {row.recipient_role} via log: {row.kind}" in lines
    # The tags are random hex: one may hold "0470" by chance, which is no phone number.
    logged = "\n".join(re.sub(r"notification [0-9a-f]{8} ", "notification … ", line) for line in lines)
    for secret in (*SECRETS, "M-2026-0007", "G-2026-0003", "V-2026-0002", "aad-hendrik"):
        assert secret not in logged, secret


async def test_a_contact_request_through_the_conversation_logs_no_name_reach_or_topic(conversation, store, caplog):
    """The issue's own reproduction: Zoe asks the vertrouwenspersoon for contact, with her number and a topic."""
    caplog.set_level(logging.DEBUG)
    chat = Chat(conversation, "kortrijk")
    chat.user = chat.user.__class__("msteams", "aad-zoe", "a:conv-zoe", name=REPORTER)
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    await chat.press("Vertrouwenspersoon")
    await chat.say(REACH)
    await chat.say(TOPIC)
    await chat.press("Vraag versturen")
    (request,) = await rows(store, db.contact_requests)
    assert (request.requester_name, request.reach, request.note) == (REPORTER, REACH, TOPIC)
    assert await OutboxWorker(store).run_once() == 1
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "via log: contact" in logged
    for secret in (REPORTER, "Verklikker", REACH, TOPIC, "Demo Vertrouwenspersoon", "vertrouwenspersoon@kortrijk"):
        assert secret not in logged, secret
