"""The neutral values that pass between channels and the conversation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserRef:
    """Who is talking, as the channel knows them."""

    channel: str
    user_id: str
    conversation_id: str
    name: str | None = None
    private: bool = True  # a one-to-one chat with the bot; reports never run in a group chat or channel


@dataclass(frozen=True)
class Turn:
    """One thing a user did: typed text, pressed a button, or joined the conversation."""

    org: str | None
    user: UserRef
    text: str | None = None
    value: str | None = None  # the value of a pressed button, if any
    locale: str = "nl-BE"
    joined: bool = False  # first contact: the bot was added or the chat was opened
    attachments: int = 0  # files or images sent along, which the bot cannot read
    message_id: str | None = None  # the channel's id of this message: a redelivery of it is answered once
    # A person chosen in the channel's people picker, in people's stored form; set only by a channel from the
    # picker's own data (Teams' people picker, Slack's users_select), never from anything typed or a button.
    picked: str | None = None


@dataclass(frozen=True)
class Choice:
    """A button: what it shows and what it sends back."""

    label: str
    value: str


@dataclass(frozen=True)
class Card:
    """A neutral card, rendered natively where the channel has cards."""

    title: str
    body: str
    facts: tuple[tuple[str, str], ...] = ()
    subtitle: str | None = None
    lead: str | None = None  # said before the section, e.g. that it is no clear answer
    note: str | None = None  # said after it, e.g. whom to ask
    stacked: int = 0  # the reply's first n choices are the card's own buttons, each on a full-width row


@dataclass(frozen=True)
class ReceiptNote:
    """A code the user must keep (a report's receipt code), shown apart so it stands out and copies whole."""

    code: str
    lead: str  # the message before the code: that it was received, its reference, who gets it
    label: str  # what the code is: 'Je ontvangstcode'
    keep: str  # that it is shown only once
    heading: str  # above the commands: 'Opvolgen:'
    commands: tuple[tuple[str, str], ...]  # each command that takes the code, typed whole, and what it does
    note: str = ""  # said after it

    def as_text(self) -> str:
        """The whole message as plain text, the code on a line of its own: the fallback of every channel."""
        follow = "\n".join(f"• '{command}' {what}" for command, what in self.commands)
        text = f"{self.lead}\n\n{self.label}: {self.code}\n{self.keep}\n\n{self.heading}\n{follow}"
        return f"{text}\n\n{self.note}" if self.note else text


@dataclass(frozen=True)
class Reply:
    """One message from the bot: text (always present, the plain fallback), optional choices and card."""

    text: str
    choices: tuple[Choice, ...] = ()
    card: Card | None = None
    receipt: ReceiptNote | None = None  # a code to keep: channels show it apart; `text` holds it too, as fallback
    settles: str | None = None  # the submission whose confirmation this is: once sent, its marker can go
    private_start: str | None = None  # a flow asked for in a group chat: the command to run in the 1:1 chat
    people_picker: bool = False  # the question asks for a person: a channel may offer its people picker
    problem: str | None = None  # why the last answer was not taken: a form shows it next to the field
    long_answer: bool = False  # the question wants the user's own words at length: a form offers a large field
