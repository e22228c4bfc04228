"""Notifications by e-mail: a real SMTP server (aiosmtpd) on loopback, the running bot, its outbox worker driven by
hand; the mail says what the card says and never the report, refusals and outages are told apart."""

from __future__ import annotations

import asyncio
import html
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope

from bot.app import CONVERSATION, WORKER
from bot.channels.teams import connector
from bot.delivery.email import SmtpSettings, build_message, html_text
from bot.delivery.outbox import Undeliverable
from bot.settings import Settings, SettingsError
from bot.storage import db
from bot.storage.discretion import HOLD_TO
from tests.conftest import Bot, Chat, reference
from tests.flows import DESCRIPTION, TYPED_REPORT, answer_report, rows
from tests.service import free_port
from tests.slack_fakes import SECRET, TOKEN, FakeSlack

ROOT = Path(__file__).resolve().parent.parent
SENDER = "integriteitsbot@kortrijk.example"
EXTERNAL = "psychosociaal@externe-dienst.example"  # Kortrijk's externe preventiedienst: only an e-mail address
MELDPUNT_MAIL = "meldpunt@kortrijk.example"  # Kortrijk's algemeen directeur: Teams, Slack and e-mail
REPORTER = "Lies Janssens"  # the name a named report in tests.flows gives


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message it accepts and refuses the addresses in `refuse` with 550."""

    envelopes: list[Envelope] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Envelope, address: str, options: list) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """The accepted messages, parsed."""
        return [message_from_bytes(envelope.content, policy=policy.default) for envelope in self.envelopes]


@dataclass
class MailServer:
    """A real SMTP server on a loopback port, started when the test says so (the port is known before)."""

    port: int = field(default_factory=free_port)
    handler: Recorder = field(default_factory=Recorder)
    controller: Controller | None = None

    def start(self, **smtp_options: Any) -> None:
        """Listen on the port; `smtp_options` go to aiosmtpd's SMTP (authenticator, auth_require_tls)."""
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **smtp_options)
        self.controller.start()

    def stop(self) -> None:
        """Stop listening."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def mail() -> Iterator[MailServer]:
    """An SMTP server on loopback, not started yet."""
    server = MailServer()
    yield server
    server.stop()


async def mailing_bot(start_bot, mail: MailServer, **overrides: Any) -> Bot:
    """The bot for Kortrijk with e-mail on, pointed at the test's SMTP server; its outbox is driven by hand.
    STARTTLS stays off: aiosmtpd would need a certificate for it, and the tests only talk to loopback."""
    settings: dict[str, Any] = {
        "smtp_host": "127.0.0.1",
        "smtp_port": mail.port,
        "smtp_from": SENDER,
        "smtp_starttls": False,
        "outbox_interval": 3600,
    }
    return await start_bot(**{**settings, **overrides})


async def report_to_external(bot: Bot, identity: str = "Anoniem") -> str:
    """A report about behaviour that implicates the first two recipients, so it goes to the externe
    preventiedienst, and lets the hold of an anonymous report's notification (to the next morning) pass; returns
    the confirmation."""
    chat = Chat(bot.server.app[CONVERSATION], "kortrijk")  # the conversation of the running service, with its channels
    await answer_report(chat, "Gedrag tegenover", identity=identity, implicated=2)
    await chat.press("versturen")
    if identity == "Anoniem":
        bot.clock.advance(seconds=HOLD_TO.total_seconds())
    return chat.text


def plain_and_html(message: EmailMessage) -> tuple[str, str]:
    """The text and the HTML part of a mail."""
    text = message.get_body(preferencelist=("plain",))
    markup = message.get_body(preferencelist=("html",))
    assert text is not None and markup is not None
    return text.get_content(), markup.get_content()


async def test_a_person_with_only_an_email_gets_the_card_by_mail_and_never_the_report(start_bot, mail, store, clock):
    mail.start()
    bot = await mailing_bot(start_bot, mail)
    confirmation = await report_to_external(bot, identity="Met mijn naam")
    assert "krijgt een bericht" in confirmation
    assert await bot.server.app[WORKER].run_once() == 1

    (envelope,) = mail.handler.envelopes
    assert envelope.mail_from == SENDER and envelope.rcpt_tos == [EXTERNAL]
    (message,) = mail.handler.messages()
    (row,) = await rows(store, db.outbox)
    ref = reference(clock)
    assert row.status == "delivered" and row.channel == "email"
    assert message["Subject"] == f"Nieuwe melding {ref}"
    assert message["Message-ID"] == f"<{row.idempotency_key}@kortrijk.example>"
    assert message["To"].addresses[0].addr_spec == EXTERNAL and message["From"].addresses[0].addr_spec == SENDER
    assert parsedate_to_datetime(message["Date"]) == clock.now()
    assert message.get_content_type() == "multipart/alternative"
    text, markup = plain_and_html(message)
    for part in (text, html.unescape(markup)):
        assert ref in part and f"typ 'melding {ref}'" in part
        assert "Er is een nieuwe melding voor jou als externe preventiedienst" in part
        assert "Je handelt deze melding af in een privégesprek met de Integriteitsbot in Teams of Slack." in part
        assert "De inhoud van een melding komt nooit in een e-mail." in part  # no chat id: how to get there
        assert f"Ontvangen op: {clock.today():%d/%m/%Y}" in text
    assert "<th" in markup and "<h2>" in markup
    # Neither the description nor who reported, in any part or in the raw message.
    raw = envelope.content.decode("utf-8", "replace")
    for said in (text, markup, raw):
        assert DESCRIPTION not in said and REPORTER not in said and "Janssens" not in said


async def test_the_mail_server_down_is_retried_and_delivered_once(start_bot, mail, store, clock):
    bot = await mailing_bot(start_bot, mail)  # nobody listens on the port yet
    worker = bot.server.app[WORKER]
    await report_to_external(bot)
    assert await worker.run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert (row.status, row.attempts) == ("pending", 1)
    assert f"mail server 127.0.0.1:{mail.port} not reachable" in row.last_error
    mail.start()
    assert await worker.run_once() == 0  # backing off
    clock.advance(seconds=6)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0
    assert len(mail.handler.envelopes) == 1
    (row,) = await rows(store, db.outbox)
    assert row.status == "delivered" and row.attempts == 2
    (message,) = mail.handler.messages()
    assert parsedate_to_datetime(message["Date"]) == clock.now()  # the moment it was sent, from the bot's clock


async def test_a_refused_login_shows_plainly_in_the_outbox_command(start_bot, mail, store, database_url, clock):
    def refuse(server, session, envelope, mechanism, auth_data) -> AuthResult:
        return AuthResult(success=False, handled=False)

    # A plain connection: aiosmtpd offers AUTH without TLS only when told to.
    mail.start(authenticator=refuse, auth_require_tls=False)
    bot = await mailing_bot(start_bot, mail, smtp_user="integriteitsbot", smtp_password="wrong")
    await report_to_external(bot)
    assert await bot.server.app[WORKER].run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert row.status == "pending" and row.attempts == 1
    assert "SMTP authentication failed: check SMTP_USER/SMTP_PASSWORD" in row.last_error
    assert mail.handler.envelopes == []

    env = {"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"}
    listed = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "bot", "outbox"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert listed.returncode == 0, listed.stderr
    (line,) = [line for line in listed.stdout.splitlines() if reference(clock) in line]
    assert "pending" in line and "via email" in line
    assert "last error: RuntimeError: SMTP authentication failed: check SMTP_USER/SMTP_PASSWORD" in line
    assert "wrong" not in listed.stdout  # never the password


async def test_a_recipient_the_server_refuses_fails_at_once(start_bot, mail, store):
    mail.handler.refuse.add(EXTERNAL)
    mail.start()
    bot = await mailing_bot(start_bot, mail)
    await report_to_external(bot)
    assert await bot.server.app[WORKER].run_once() == 0
    (row,) = await rows(store, db.outbox)  # no other channel for this person: nothing handed over
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error.startswith("Undeliverable:") and "550" in row.last_error
    assert mail.handler.envelopes == []


async def test_slack_failing_for_good_hands_the_notification_to_email(start_bot, mail, fake: FakeSlack, store):
    mail.start()
    bot = await mailing_bot(
        start_bot, mail, slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url
    )
    worker = bot.server.app[WORKER]
    chat = Chat(bot.server.app[CONVERSATION], "kortrijk")
    await answer_report(chat, "schending van regels")
    await chat.press("versturen")
    bot.clock.advance(seconds=HOLD_TO.total_seconds())  # anonymous: announced the next morning
    fake.failures["conversations.open"] = [(200, {"ok": False, "error": "channel_not_found"}, {})]
    assert await worker.run_once() == 0
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0
    slack_row, mail_row = await rows(store, db.outbox)
    assert (slack_row.channel, slack_row.status) == ("slack", "failed") and "channel_not_found" in slack_row.last_error
    assert (mail_row.channel, mail_row.status, mail_row.attempts) == ("email", "delivered", 1)
    (envelope,) = mail.handler.envelopes
    assert envelope.rcpt_tos == [MELDPUNT_MAIL]
    (message,) = mail.handler.messages()
    assert message["Message-ID"] == f"<{mail_row.idempotency_key}@kortrijk.example>"


async def test_teams_failing_for_good_hands_the_notification_to_email(start_bot, mail, store, clock, monkeypatch):
    monkeypatch.setattr(connector, "RETRY_DELAY", 0.0)  # the connector client's own one retry, without its pause
    mail.start()
    bot = await mailing_bot(start_bot, mail, teams_notify=True)
    worker = bot.server.app[WORKER]
    for text in [*TYPED_REPORT, "verzenden"]:
        await bot.say(text)  # over HTTP, so the bot learns the tenant as Teams would teach it
    clock.advance(seconds=HOLD_TO.total_seconds())  # anonymous: announced the next morning
    bot.connector.down = True
    for _ in range(worker.max_attempts):
        assert await worker.run_once() == 0
        clock.advance(seconds=worker.max_delay)
    assert await worker.run_once() == 1
    teams_row, mail_row = await rows(store, db.outbox)
    assert (teams_row.channel, teams_row.status, teams_row.attempts) == ("msteams", "failed", worker.max_attempts)
    assert "Service Unavailable" in teams_row.last_error  # the connector was down every time
    assert (mail_row.channel, mail_row.status) == ("email", "delivered")
    (envelope,) = mail.handler.envelopes
    assert envelope.rcpt_tos == [MELDPUNT_MAIL]
    assert bot.connector.created == []


async def test_a_row_claimed_again_after_its_mark_failed_is_not_mailed_twice(
    start_bot, mail, store, clock, monkeypatch
):
    mail.start()
    bot = await mailing_bot(start_bot, mail)
    worker = bot.server.app[WORKER]
    await report_to_external(bot)

    async def disk_full(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(worker.store, "mark_delivered", disk_full)
    with pytest.raises(OSError):
        await worker.run_once()
    monkeypatch.undo()
    clock.advance(minutes=6)  # the claim ran out: the row is claimed again
    assert await worker.run_once() == 1
    assert len(mail.handler.envelopes) == 1


@pytest.mark.parametrize("email_on", [True, False], ids=["with SMTP", "without SMTP"])
async def test_the_user_hears_whether_an_email_only_person_gets_a_message(start_bot, mail, store, email_on):
    bot = await (mailing_bot(start_bot, mail) if email_on else start_bot(outbox_interval=3600))
    confirmation = await report_to_external(bot)
    (row,) = await rows(store, db.outbox)
    if email_on:
        assert "krijgt een bericht" in confirmation and row.channel == "email"
    else:
        assert "krijgt een bericht" not in confirmation and "nog niet rechtstreeks" in confirmation
        assert row.channel == "log"


def test_the_html_part_escapes_what_people_typed():
    card = {
        "title": "Geschenk gemeld: G-2026-0001",
        "body": "An <b>Peeters</b> meldde een geschenk.",
        "facts": [["Gever", "Bouwbedrijf <script>alert(1)</script> & zonen"]],
        "context": {"kind": "gift", "reference": "G-2026-0001"},
        "verbs": [{"verb": "akkoord", "label": "Akkoord", "needs_text": False}],
    }
    markup = html_text(card)
    assert "<script>" not in markup and "<b>Peeters" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; zonen" in markup
    assert "Je beslist over dit geschenk in een privégesprek met de Integriteitsbot in Teams of Slack." in markup


@pytest.mark.parametrize(
    "typed", ["", "jan@kortrijk.example, iemand@elders.example", "jan@kortrijk.example\nBcc: iemand@elders.example"]
)
def test_an_address_that_is_not_exactly_one_address_is_undeliverable(typed, clock):
    card = {"title": "Geschenk gemeld: G-2026-0001", "body": "Een geschenk.", "facts": []}
    row = SimpleNamespace(id=1, idempotency_key="k", recipient={"email": typed}, card=card)
    with pytest.raises(Undeliverable):
        build_message(row, SmtpSettings(host="127.0.0.1", sender=SENDER), clock)


def test_a_card_without_verbs_sends_nobody_to_the_chat():
    card = {"title": "Nieuws over je melding", "body": "Ze werd afgesloten.", "facts": [["Referentie", "M-2026-0001"]]}
    assert "privégesprek" not in html_text(card)


ENV = {"SMTP_HOST": "smtp.kortrijk.example", "SMTP_FROM": "Integriteitsbot <integriteitsbot@kortrijk.example>"}


def test_smtp_settings_are_read_from_the_environment():
    settings = Settings.from_env({**ENV, "SMTP_PORT": "2525", "SMTP_USER": "bot", "SMTP_PASSWORD": "geheim"})
    assert settings.email and (settings.smtp_port, settings.smtp_user, settings.smtp_starttls) == (2525, "bot", True)
    assert "geheim" not in repr(settings)
    assert Settings.from_env({**ENV, "SMTP_STARTTLS": "off"}).smtp_starttls is False
    assert not Settings.from_env({}).email and Settings.from_env({}).smtp_port == 587


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({**ENV, "SMTP_PORT": "smtp"}, "SMTP_PORT must be a number"),
        ({**ENV, "SMTP_PORT": "70000"}, "SMTP_PORT must be between 1 and 65535"),
        ({"SMTP_HOST": "smtp.kortrijk.example"}, "SMTP_FROM must be set"),
        ({**ENV, "SMTP_FROM": "integriteitsbot"}, "SMTP_FROM must be an e-mail address"),
        ({**ENV, "SMTP_STARTTLS": "misschien"}, "SMTP_STARTTLS must be on or off"),
    ],
)
def test_bad_smtp_settings_are_refused_with_a_clear_message(env, said):
    with pytest.raises(SettingsError, match=said):
        Settings.from_env(env)


async def test_with_starttls_on_nothing_goes_out_in_the_clear(start_bot, mail, store):
    mail.start()  # no certificate, so this server offers no STARTTLS
    bot = await mailing_bot(start_bot, mail, smtp_starttls=True)
    await report_to_external(bot)
    assert await bot.server.app[WORKER].run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert row.status == "pending" and "STARTTLS" in row.last_error
    assert mail.handler.envelopes == []


# Mail goes only to the contacts' addresses and the organisation's own mail domains (INTEGRITEITSBOT_MAIL_DOMAINS).
PHISHING = "Bevestig hier je beslissing op https://evil.example/sso of je account wordt geblokkeerd"
TYPED_GIFT = ["geschenk", "een fles wijn", "leverancier", PHISHING, "ongeveer dertig euro", "ja", "nee", "nee", "ja"]


async def gift_for(bot: Bot, manager: str) -> tuple[str, str]:
    """An employee declares a gift in Teams with the giver typed as a phishing sentence and this manager typed;
    returns the summary and the confirmation."""
    for text in TYPED_GIFT:
        await bot.say(text)
    (summary,) = await bot.say(manager)
    (confirmation,) = await bot.say("verzenden")
    return json.dumps(summary, ensure_ascii=False), confirmation["text"]


async def test_a_typed_outside_address_gets_no_mail_and_the_user_is_told(start_bot, mail, store):
    mail.start()
    bot = await mailing_bot(start_bot, mail, mail_domains=("kortrijk.example",))
    summary, confirmation = await gift_for(bot, "victim@external-company.example")
    assert "Ik kan victim@external-company.example zelf geen bericht sturen" in summary  # in the flow, before sending
    assert "zelf geen bericht sturen" in confirmation and "krijgt een bericht" not in confirmation
    await bot.server.app[WORKER].run_once()
    assert mail.handler.envelopes == []  # nothing left for the outside address, phishing giver or not
    (row,) = await rows(store, db.outbox)
    assert row.channel == "log" and "email" not in row.recipient


async def test_a_typed_address_in_the_organisations_own_domain_is_mailed(start_bot, mail, store):
    mail.start()
    bot = await mailing_bot(start_bot, mail, mail_domains=("kortrijk.example",))
    summary, confirmation = await gift_for(bot, "Jan.Janssens@dienst.kortrijk.example")
    assert "zelf geen bericht sturen" not in summary and "krijgt een bericht" in confirmation
    assert await bot.server.app[WORKER].run_once() == 1
    (envelope,) = mail.handler.envelopes
    assert envelope.rcpt_tos == ["Jan.Janssens@dienst.kortrijk.example"]


async def test_without_mail_domains_only_the_contacts_are_mailed(start_bot, mail, store):
    mail.start()
    bot = await mailing_bot(start_bot, mail)
    _, confirmation = await gift_for(bot, "jan.janssens@kortrijk.example")
    assert "zelf geen bericht sturen" in confirmation
    await bot.server.app[WORKER].run_once()
    assert mail.handler.envelopes == []
    chat = Chat(bot.server.app[CONVERSATION], "kortrijk")
    await answer_report(chat, "Gedrag tegenover", identity="Met mijn naam", implicated=2)
    await chat.press("versturen")
    assert "krijgt een bericht" in chat.text  # the externe preventiedienst: an address from the contacts file
    await bot.server.app[WORKER].run_once()
    assert [envelope.rcpt_tos for envelope in mail.handler.envelopes] == [[EXTERNAL]]


def test_mail_domains_are_read_from_the_environment():
    env = {"INTEGRITEITSBOT_MAIL_DOMAINS": " Kortrijk.be, @ocmw-kortrijk.be ,"}
    assert Settings.from_env(env).mail_domains == ("kortrijk.be", "ocmw-kortrijk.be")
    assert Settings.from_env({}).mail_domains == ()
    with pytest.raises(SettingsError, match="INTEGRITEITSBOT_MAIL_DOMAINS"):
        Settings.from_env({"INTEGRITEITSBOT_MAIL_DOMAINS": "kortrijk.be,https://evil.example"})
