"""Render neutral replies as Teams activities: markdown text, at most three suggested actions, Adaptive Cards."""

from __future__ import annotations

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import ActionTypes, Activity, CardAction, TextFormatTypes

from bot.channels.teams.adaptive import (
    FULL_ROW_LABEL_MAX,
    PICK_LABEL,
    ROW_LABEL_MAX,
    card,
    choice_controls,
    facts,
    fallback_text,
    link_row,
    literal,
    paragraphs,
    people_picker,
    receipt,
    submit,
)
from bot.channels.teams.markdown import message_markdown
from bot.channels.teams.summary import is_summary, read_summary
from bot.knowledge.text import fold
from bot.vocabulary.markup import plain
from bot.vocabulary.turns import Card, Choice, ReceiptNote, Reply

SUGGESTED_MAX = 3  # Teams shows the first three suggested actions and drops the rest
SUGGESTED_LABEL_MAX = 25  # a suggested action shows about this much of its label without cutting it


def to_activity(reply: Reply) -> Activity:
    """One Teams message activity for one neutral reply."""
    if reply.receipt is not None:
        return _receipt_message(reply, reply.receipt)
    if reply.card is not None:
        return _card_message(reply, reply.card)
    if is_summary(reply):
        return _summary_message(reply)
    if reply.people_picker:
        return _people_picker_message(reply)
    if not reply.choices:
        return _text(MessageFactory.text(message_markdown(reply.text)))
    if suggestible(reply.choices):
        actions = [CardAction(type=ActionTypes.im_back, title=c.label, value=c.value) for c in reply.choices]
        return _text(MessageFactory.suggested_actions(actions, message_markdown(reply.text)))
    return _choices_message(reply)


def suggestible(choices: tuple[Choice, ...]) -> bool:
    """Whether choices fit as suggested actions: three at most, short labels, and values fit to show, since a
    suggested action posts its value as the user's own message ('melden' yes, 'sectie geschenken' no)."""
    return len(choices) <= SUGGESTED_MAX and all(
        len(choice.label) <= SUGGESTED_LABEL_MAX and fold(choice.value).strip() in fold(choice.label)
        for choice in choices
    )


def _text(activity: Activity) -> Activity:
    activity.text_format = TextFormatTypes.markdown
    return activity


def _attachment(content: dict, summary: str) -> Activity:
    """A message that is one card; `summary` is the text Teams shows where the card cannot be shown."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(content))
    activity.summary = summary
    return activity


def _card_message(reply: Reply, neutral: Card) -> Activity:
    """A section of the code: its title, the passage, where it comes from, and buttons to read on."""
    body = [paragraphs(neutral.lead)] if neutral.lead else []
    body.append(literal(neutral.title, heading=True))
    if neutral.subtitle:
        body.append(literal(neutral.subtitle, subtle=True))
    body.append(paragraphs(neutral.body))
    if neutral.facts:
        body.append(facts(neutral.facts))
    if neutral.note:
        body.append(paragraphs(neutral.note))
    stacked = [choice for choice in reply.choices[: neutral.stacked] if len(choice.label) <= FULL_ROW_LABEL_MAX]
    body += [{"type": "ActionSet", "actions": [submit(choice)]} for choice in stacked]
    rest = [choice for choice in reply.choices if choice not in stacked]
    buttons = [] if stacked else [choice for choice in rest if len(choice.label) <= ROW_LABEL_MAX][:SUGGESTED_MAX]
    body += [link_row(choice) for choice in rest if choice not in buttons]
    text = plain(reply.text)
    content = card(body, [submit(choice) for choice in buttons], fallback_text(text, reply.choices))
    return _attachment(content, text)


def _receipt_message(reply: Reply, note: ReceiptNote) -> Activity:
    """A confirmation with a code to keep: the message, the code in a box of its own, the commands under it."""
    body = [paragraphs(note.lead), *receipt(note)]
    if note.note:
        body.append(paragraphs(note.note))
    controls, actions = choice_controls(reply.choices) if reply.choices else ([], [])
    text = plain(reply.text)
    return _attachment(card(body + controls, actions, fallback_text(text, reply.choices)), text)


def _summary_message(reply: Reply) -> Activity:
    """A flow's summary: its answers as facts, with send, change and cancel."""
    summary = read_summary(reply.text)
    if summary is None:
        return _choices_message(reply)
    controls, actions = choice_controls(reply.choices)
    body = [literal(summary.title, heading=True), facts(summary.facts), paragraphs(summary.question), *controls]
    text = plain(reply.text)
    return _attachment(card(body, actions, fallback_text(text, reply.choices)), text)


def _people_picker_message(reply: Reply) -> Activity:
    """A question about a person: typed as before, or picked from the organisation in Teams."""
    pick = {"type": "Action.Submit", "title": PICK_LABEL}
    content = card(people_picker(), [pick], fallback_text(plain(reply.text), reply.choices))
    activity = _text(MessageFactory.text(message_markdown(reply.text)))
    activity.attachments = [CardFactory.adaptive_card(content)]
    return activity


def _choices_message(reply: Reply) -> Activity:
    """A message with its choices on a card below it: buttons, or options whose labels wrap."""
    controls, actions = choice_controls(reply.choices)
    content = card(controls, actions, fallback_text(plain(reply.text), reply.choices))
    activity = _text(MessageFactory.text(message_markdown(reply.text)))
    activity.attachments = [CardFactory.adaptive_card(content)]
    return activity
