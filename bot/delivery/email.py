"""The outbox's e-mail deliverer: a notification card as a plain-text and HTML mail over SMTP."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any

import aiosmtplib

from bot.clock import BRUSSELS, Clock
from bot.delivery.outbox import Undeliverable
from bot.storage.outbox_rows import tag
from bot.vocabulary.markup import inert

log = logging.getLogger(__name__)

SENDER_NAME = "Integriteitsbot"
IMPLICIT_TLS_PORT = 465  # SMTPS: TLS from the first byte, not STARTTLS
# The buttons of a card only work in a chat; per kind, one sentence that says where the addressee acts on it.
WHERE_TO_ACT = {
    "report": "Je handelt deze melding af in een privégesprek met de Integriteitsbot in Teams of Slack.",
    "gift": "Je beslist over dit geschenk in een privégesprek met de Integriteitsbot in Teams of Slack.",
    "contact": "Je laat weten dat je contact opneemt in een privégesprek met de Integriteitsbot in Teams of Slack.",
}
WHERE_TO_ACT_DEFAULT = "Je reageert hierop in een privégesprek met de Integriteitsbot in Teams of Slack."
# For someone the contacts know only by address: honest that the chat is the way in, and that mail never carries more.
NO_CHAT = (
    "Gebruik je de Integriteitsbot niet in Teams of Slack? Vraag dan wie hem bij de organisatie beheert om je "
    "Teams- of Slack-account in de contactenlijst te zetten. De inhoud van een melding komt nooit in een e-mail."
)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom the bot sends mail."""

    host: str
    sender: str  # SMTP_FROM: an address, optionally with a display name
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)  # kept out of logs and tracebacks
    starttls: bool = True
    timeout: float = 10.0

    @classmethod
    def of(cls, settings: Any) -> SmtpSettings:
        """The SMTP part of the service's settings."""
        return cls(
            host=settings.smtp_host,
            sender=settings.smtp_from,
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )


def sender_address(sender: str) -> str:
    """The bare address in SMTP_FROM ("Integriteitsbot <bot@gemeente.be>" or "bot@gemeente.be")."""
    return parseaddr(sender)[1]


def where_to_act(card: dict[str, Any], recipient: dict[str, Any] | None = None) -> str | None:
    """The sentence that sends the addressee to the chat, for a card with verbs (and, for someone with no chat id,
    how to get there); None without verbs."""
    if not card.get("verbs"):
        return None
    sentence = WHERE_TO_ACT.get((card.get("context") or {}).get("kind"), WHERE_TO_ACT_DEFAULT)
    if recipient is not None and not (recipient.get("teams_aad_id") or recipient.get("slack_user_id")):
        sentence += " " + NO_CHAT
    return sentence


def plain_text(card: dict[str, Any], recipient: dict[str, Any] | None = None) -> str:
    """The mail's text: the card's title, body and facts, and where to act on it."""
    lines = [card["title"], "", card["body"]]
    if card.get("facts"):
        # A fact is plain text, often what a user typed: a mail client must not make a link of it.
        lines += ["", *(f"{label}: {inert(str(value))}" for label, value in card["facts"])]
    sentence = where_to_act(card, recipient)
    if sentence:
        lines += ["", sentence]
    return "\n".join(lines) + "\n"


def html_text(card: dict[str, Any], recipient: dict[str, Any] | None = None) -> str:
    """The same as the text, as simple HTML; every value escaped."""
    parts = [
        '<!DOCTYPE html><html lang="nl-BE"><head><meta charset="utf-8"></head>',
        '<body style="font-family: Segoe UI, Arial, sans-serif">',
        f"<h2>{html.escape(card['title'])}</h2>",
        f"<p>{html.escape(card['body'])}</p>",
    ]
    if card.get("facts"):
        rows = "".join(
            f'<tr><th style="text-align: left; padding-right: 1em">{html.escape(str(label))}</th>'
            f"<td>{html.escape(inert(str(value)))}</td></tr>"
            for label, value in card["facts"]
        )
        parts.append(f"<table>{rows}</table>")
    sentence = where_to_act(card, recipient)
    if sentence:
        parts.append(f"<p>{html.escape(sentence)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def build_message(row: Any, settings: SmtpSettings, clock: Clock) -> EmailMessage:
    """The mail for one outbox row; raises Undeliverable when the recipient has no usable address."""
    address = (row.recipient.get("email") or "").strip()
    if not address:
        raise Undeliverable("the recipient has no e-mail address")
    name, sender = parseaddr(settings.sender)
    try:
        # Exactly one address: "a@x.be, b@y.be" typed as someone's address must not become two recipients.
        to = Address(display_name=row.recipient.get("name") or "", addr_spec=address)
    except (ValueError, IndexError, MessageError) as exc:
        raise Undeliverable(f"the recipient's e-mail address cannot be used: {exc}") from None
    message = EmailMessage()
    message["Subject"] = row.card["title"]
    message["From"] = Address(display_name=name or SENDER_NAME, addr_spec=sender)
    message["To"] = to
    # The same id on a re-send after a crash lets the recipient's mail client drop the duplicate.
    message["Message-ID"] = f"<{row.idempotency_key}@{sender.rpartition('@')[2]}>"
    message["Date"] = format_datetime(clock.now().astimezone(BRUSSELS))
    message["Auto-Submitted"] = "auto-generated"  # no out-of-office replies to the bot
    message.set_content(plain_text(row.card, row.recipient))
    message.add_alternative(html_text(row.card, row.recipient), subtype="html")
    message["Content-Language"] = "nl-BE"  # after the content: setting it drops earlier Content-* headers
    return message


def _permanent(code: int) -> bool:
    return 500 <= code < 600


class EmailDeliverer:
    """Sends outbox rows as mail to their recipient's address; raises so the outbox retries, or Undeliverable
    when the server refuses the address for good."""

    def __init__(self, settings: SmtpSettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        if not settings.starttls and settings.port != IMPLICIT_TLS_PORT:
            log.warning("SMTP_STARTTLS is off: mail to %s:%s travels unencrypted", settings.host, settings.port)

    async def deliver(self, row: Any) -> None:
        """Deliver one outbox row as a mail, over one SMTP connection."""
        message = build_message(row, self._settings, self._clock)
        (to,) = message["To"].addresses
        await self._send(message, to.addr_spec)
        log.info("notification %s delivered by e-mail", tag(row))

    async def _send(self, message: EmailMessage, recipient: str) -> None:
        smtp = self._settings
        implicit_tls = smtp.port == IMPLICIT_TLS_PORT
        server = f"{smtp.host}:{smtp.port}"
        try:
            await aiosmtplib.send(
                message,
                sender=sender_address(smtp.sender),
                recipients=[recipient],
                hostname=smtp.host,
                port=smtp.port,
                username=smtp.user or None,
                password=smtp.password if smtp.user else None,
                use_tls=implicit_tls,
                start_tls=smtp.starttls and not implicit_tls,
                timeout=smtp.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            answers = "; ".join(f"{refused.code} {refused.message}" for refused in exc.recipients)
            if all(_permanent(refused.code) for refused in exc.recipients):
                raise Undeliverable(f"the mail server refused the recipient: {answers}") from None
            raise RuntimeError(f"the mail server refused the recipient for now: {answers}") from None
        except aiosmtplib.SMTPSenderRefused as exc:
            if _permanent(exc.code):
                raise Undeliverable(
                    f"the mail server refused the sender (SMTP_FROM): {exc.code} {exc.message}"
                ) from None
            raise RuntimeError(f"the mail server refused the sender for now: {exc.code} {exc.message}") from None
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise RuntimeError(
                f"SMTP authentication failed: check SMTP_USER/SMTP_PASSWORD ({server} answered {exc.code} "
                f"{exc.message})"
            ) from None
        except aiosmtplib.SMTPResponseException as exc:
            raise RuntimeError(f"the mail server {server} answered {exc.code} {exc.message}") from None
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected, TimeoutError, OSError) as exc:
            raise ConnectionError(f"mail server {server} not reachable: {exc}") from None
        except aiosmtplib.SMTPException as exc:  # e.g. STARTTLS or AUTH not offered by the server
            raise RuntimeError(f"mail server {server}: {exc}") from None
