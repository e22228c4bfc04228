"""Neutral replies, notification cards and flow pages as Slack Block Kit, built with slack_sdk's models."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.channels.slack.mrkdwn import chunks, clip, escape, mrkdwn, plain
from bot.channels.teams.deliverer import REMARK_LABEL, TEXT_LABEL, TEXT_PLACEHOLDER
from bot.channels.teams.summary import SUMMARY_VALUES, Summary, is_summary, read_summary
from bot.vocabulary import people
from bot.vocabulary.markup import inert
from bot.vocabulary.turns import Card, Choice, ReceiptNote, Reply

CHOICE_ACTION = "choice"  # a reply's button: action_id choice:<index>, value the choice's value
PICK_ACTION = "pick_person"  # the users select under a question about a person, in a message
NOTIFY_ACTION = "notify"  # a notification's verb: action_id notify:<verb>, value {"kind", "reference"}
NOTIFY_TEXT_BLOCK = "notify_text"
NOTIFY_TEXT_ACTION = "text"
MODAL_CALLBACK = "integriteit_flow"
MODAL_CHOICE_ACTION = "modal_choice"  # a button inside a modal: action_id modal_choice:<index in reply.choices>
ANSWER_BLOCK = "answer"
ANSWER_ACTION = "value"
PERSON_BLOCK = "person"
PERSON_ACTION = "user"
TYPED_BLOCK = "typed"
TYPED_ACTION = "value"

# Slack's limits (https://docs.slack.dev/reference/block-kit): past them Slack refuses the whole message or view.
TEXT_MAX = 3000  # a section's text, and the fallback text we send along
FIELD_MAX = 2000
FIELDS_MAX = 10
HEADER_MAX = 150
BUTTON_MAX = 75  # a button's text; an option's text and description too
VALUE_MAX = 2000  # a button's value
OPTION_VALUE_MAX = 150
ACTIONS_MAX = 25
RADIO_MAX = 10  # radio buttons take ten options; a static select a hundred
SELECT_MAX = 100
INPUT_MAX = 3000  # a plain text input's max_length; a description may be 4000 long, Slack takes no more than this
VIEW_TEXT_MAX = 24  # a modal's title, submit and close
MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100

PICK_PLACEHOLDER = "Kies een persoon"
PERSON_LABEL = "Kies een persoon"
TYPED_LABEL = "Of typ een naam of e-mailadres"
CHOICE_LABEL = "Kies een antwoord"
ANSWER_LABEL = "Je antwoord"
NEXT = "Volgende"
CLOSE = "Sluiten"
DEFAULT_TITLE = "Integriteitsbot"
NOTIFY_TEXT_MAX = 2000  # as the conversation keeps of a handler's message
REMARK_MAX = 500
ENCODED = re.compile(r"^#(\d+)$")  # an option whose value is too long for Slack carries its index instead


def message(reply: Reply) -> dict[str, Any]:
    """A reply as chat.postMessage / response_url arguments: a plain fallback `text` and its `blocks`."""
    blocks = _content(reply)
    if reply.people_picker and not reply.card:
        picker = UserSelectElement(action_id=PICK_ACTION, placeholder=PlainTextObject(text=PICK_PLACEHOLDER))
        blocks.append(ActionsBlock(elements=[picker]))
    blocks += _actions(_choice_buttons(reply.choices, CHOICE_ACTION, primary=is_summary(reply)))
    return {"text": _fallback(reply.text), "blocks": _dicts(blocks, MESSAGE_BLOCKS_MAX)}


def notification(card: dict[str, Any], *, done: bool = False) -> dict[str, Any]:
    """A neutral notification card as a message: its text and facts, its buttons, and for its addressee the verbs
    still open, with a field for the text a verb needs. `done` shows the card as a record, without verbs."""
    blocks = [*_title(card["title"]), *_sections(card.get("body") or ""), *_facts(card.get("facts") or [])]
    items = [*(card.get("actions") or []), *(card.get("links") or [])]  # links (a section to read) are buttons here
    actions = tuple(Choice(item["label"], item["value"]) for item in items)
    blocks += _actions(_choice_buttons(actions, CHOICE_ACTION))
    verbs = [] if done else card.get("verbs") or []
    context = card.get("context") or {}
    if any(verb.get("needs_text") for verb in verbs):
        blocks.append(_notify_input(TEXT_LABEL, NOTIFY_TEXT_MAX, TEXT_PLACEHOLDER))
    elif verbs and context.get("kind") == "gift":  # a manager may add a remark to a decision
        blocks.append(_notify_input(REMARK_LABEL, REMARK_MAX))
    which = json.dumps({"kind": context.get("kind"), "reference": context.get("reference")})
    buttons = [
        ButtonElement(text=clip(verb["label"], BUTTON_MAX), action_id=f"{NOTIFY_ACTION}:{verb['verb']}", value=which)
        for verb in verbs
    ]
    blocks += _actions(buttons)
    return {"text": _fallback(card["title"]), "blocks": _dicts(blocks, MESSAGE_BLOCKS_MAX)}


def modal(
    title: str,
    replies: list[Reply],
    *,
    private_metadata: str = "",
    closing: bool = False,
    long_answer: bool = False,
) -> dict[str, Any]:
    """A flow's page as a modal view: the replies before the question as text, then the question as a form field
    (or, on a summary, the submit button to send). `closing` shows the replies only, with nothing to submit."""
    if closing or not replies:
        blocks = [block for reply in replies for block in _content(reply)]
        return _view(title, blocks, private_metadata, submit=None)
    *before, question = replies
    blocks = [block for reply in before for block in _content(reply)]
    if blocks:
        blocks.append(DividerBlock())
    blocks += _content(question)
    if is_summary(question):
        others = tuple(enumerate(question.choices))[1:]  # the first one is the submit button
        blocks += _actions(
            [_button(choice, f"{MODAL_CHOICE_ACTION}:{index}") for index, choice in others],
        )
        return _view(title, blocks, private_metadata, submit=question.choices[0].label)
    if question.choices:
        blocks.append(_choice_input(question.choices))
    elif question.people_picker:
        picker = UserSelectElement(action_id=PERSON_ACTION, placeholder=PlainTextObject(text=PICK_PLACEHOLDER))
        typed = PlainTextInputElement(action_id=TYPED_ACTION, max_length=INPUT_MAX)
        blocks.append(_input(PERSON_BLOCK, PERSON_LABEL, picker, optional=True))
        blocks.append(_input(TYPED_BLOCK, TYPED_LABEL, typed, optional=True))
    else:
        multiline = long_answer or question.long_answer
        field = PlainTextInputElement(action_id=ANSWER_ACTION, multiline=multiline, max_length=INPUT_MAX)
        blocks.append(_input(ANSWER_BLOCK, ANSWER_LABEL, field))
    return _view(title, blocks, private_metadata, submit=NEXT)


def read_answer(values: dict[str, Any], choices: tuple[Choice, ...] = ()) -> str | None:
    """The answer on a submitted page (`view.state.values`): the chosen option's value, the typed text, or the
    person picked; a summary's submit button sends. None when nothing was given."""
    answer = _state(values, ANSWER_BLOCK, ANSWER_ACTION)
    selected = (answer.get("selected_option") or {}).get("value")
    if isinstance(selected, str) and selected:
        return _decoded(selected, choices)
    typed = _typed(answer)
    if typed:
        return typed
    user = _state(values, PERSON_BLOCK, PERSON_ACTION).get("selected_user")
    if isinstance(user, str) and user:
        return people.encode_slack(None, user)
    typed = _typed(_state(values, TYPED_BLOCK, TYPED_ACTION))
    if typed:
        return typed
    if tuple(choice.value for choice in choices) == SUMMARY_VALUES:
        return choices[0].value  # a summary has no field: its submit button is its first choice, send
    return None


def read_picked(values: dict[str, Any]) -> str | None:
    """The member id chosen in a page's user select (`view.state.values`), if any: the picker's own data."""
    user = _state(values, PERSON_BLOCK, PERSON_ACTION).get("selected_user")
    return user if isinstance(user, str) and user else None


def read_notify_text(values: dict[str, Any]) -> str | None:
    """The text typed in a notification's field (`state.values` of a block_actions payload); None when empty."""
    return _typed(_state(values, NOTIFY_TEXT_BLOCK, NOTIFY_TEXT_ACTION))


# What a reply says -------------------------------------------------------------------------------------------


def _content(reply: Reply) -> list[Block]:
    """The blocks that show what a reply says: its code to keep, its card, its summary as facts, or its text."""
    if reply.receipt is not None:
        return _receipt(reply.receipt)
    if reply.card is not None:
        return _card(reply.card)
    summary = read_summary(reply.text) if is_summary(reply) else None
    if summary is not None:
        return _summary(summary)
    return _sections(reply.text)


def _card(card: Card) -> list[Block]:
    """A section of the code: what leads to it, its title and chapter, the passage, where it is from."""
    blocks = _sections(card.lead or "")
    blocks += _title(card.title)
    if card.subtitle:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=clip(mrkdwn(card.subtitle), TEXT_MAX))]))
    blocks += _sections(card.body)
    blocks += _facts(card.facts)
    blocks += _sections(card.note or "")
    return blocks


def _receipt(note: ReceiptNote) -> list[Block]:
    """A confirmation with a code to keep: the message, the code in a code block of its own (it stands out and
    copies whole), that it is shown once, and the commands that take it, each as typed."""
    code = f"{_bold(note.label)}\n```{escape(note.code)}```"
    commands = [f"• `{escape(command)}` {mrkdwn(what)}" for command, what in note.commands]
    follow = "\n".join([mrkdwn(note.heading), *commands])
    return [
        *_sections(note.lead),
        SectionBlock(text=MarkdownTextObject(text=code)),
        ContextBlock(elements=[MarkdownTextObject(text=clip(mrkdwn(note.keep), TEXT_MAX))]),
        *[SectionBlock(text=MarkdownTextObject(text=piece)) for piece in chunks(follow, TEXT_MAX)],
        *_sections(note.note),
    ]


def _summary(summary: Summary) -> list[Block]:
    """A flow's summary: its title, the answers as facts, the question whether to send."""
    return [*_title(summary.title), *_facts(summary.facts), *_sections(summary.question)]


def _sections(text: str) -> list[Block]:
    """Text as mrkdwn sections, split between paragraphs (else lines, else words) to fit Slack's 3000."""
    if not text.strip():
        return []
    return [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in chunks(mrkdwn(text), TEXT_MAX)]


def _title(title: str) -> list[Block]:
    """A title as a header; one too long for a header is a bold section instead."""
    shown = " ".join(plain(title).split())
    if not shown:
        return []
    if len(shown) <= HEADER_MAX:
        return [HeaderBlock(text=PlainTextObject(text=shown))]
    return [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in chunks(_bold(shown), TEXT_MAX)]


def _facts(facts: Iterable[Sequence[str]]) -> list[Block]:
    """Facts as section fields, ten to a section; an answer too long for a field is a section of its own."""
    blocks: list[Block] = []
    fields: list[MarkdownTextObject] = []
    for label, value in facts:
        text = f"{_bold(plain(label))}\n{mrkdwn(inert(value))}"  # a fact is plain text, often typed by a user
        if len(text) <= FIELD_MAX:
            fields.append(MarkdownTextObject(text=text))
            continue
        blocks += _fields(fields)
        fields = []
        pieces = chunks(text, TEXT_MAX)
        blocks += [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in pieces]
    return blocks + _fields(fields)


def _fields(fields: list[MarkdownTextObject]) -> list[Block]:
    return [SectionBlock(fields=fields[at : at + FIELDS_MAX]) for at in range(0, len(fields), FIELDS_MAX)]


def _bold(text: str) -> str:
    """A plain text in bold mrkdwn (a label, a long title)."""
    text = " ".join(text.split()).replace("*", "")  # an asterisk inside would end the bold early
    return f"*{escape(text)}*" if text else ""


def _fallback(text: str) -> str:
    """The plain text Slack shows in notifications and where blocks cannot show."""
    return clip(escape(plain(text)), TEXT_MAX)


# Buttons and fields -------------------------------------------------------------------------------------------


def _button(choice: Choice, action_id: str, style: str | None = None) -> ButtonElement:
    """A button: its label cut to what Slack shows, its value whole (as far as Slack takes one)."""
    return ButtonElement(
        text=clip(plain(choice.label), BUTTON_MAX), action_id=action_id, value=choice.value[:VALUE_MAX], style=style
    )


def _choice_buttons(choices: tuple[Choice, ...], prefix: str, primary: bool = False) -> list[ButtonElement]:
    return [
        _button(choice, f"{prefix}:{index}", "primary" if primary and index == 0 else None)
        for index, choice in enumerate(choices)
    ]


def _actions(elements: list[Any]) -> list[Block]:
    """Buttons in actions blocks of at most 25."""
    return [ActionsBlock(elements=elements[at : at + ACTIONS_MAX]) for at in range(0, len(elements), ACTIONS_MAX)]


def _choice_input(choices: tuple[Choice, ...]) -> InputBlock:
    """A question's choices as radio buttons, or as a select when there are more than ten."""
    if len(choices) <= RADIO_MAX:
        element: Any = RadioButtonsElement(action_id=ANSWER_ACTION, options=_options(choices, described=True))
    else:
        options = _options(choices[:SELECT_MAX], described=False)
        element = StaticSelectElement(
            action_id=ANSWER_ACTION, options=options, placeholder=PlainTextObject(text=CHOICE_LABEL)
        )
    return _input(ANSWER_BLOCK, CHOICE_LABEL, element)


def _options(choices: tuple[Choice, ...], described: bool) -> list[Option]:
    """Options for choices: a value too long for Slack travels as its index; a label too long for an option's
    text goes on in its description where there is one (radio buttons)."""
    options = []
    for index, choice in enumerate(choices):
        value = choice.value if len(choice.value) <= OPTION_VALUE_MAX else f"#{index}"
        label = " ".join(plain(choice.label).split())
        text, rest = _split_label(label) if described else (clip(label, BUTTON_MAX), "")
        description = PlainTextObject(text=clip(rest, BUTTON_MAX)) if rest else None
        options.append(Option(value=value, text=PlainTextObject(text=text), description=description))
    return options


def _split_label(label: str) -> tuple[str, str]:
    """A long label as an option's text and the rest: before an explanation in brackets, else between words."""
    if len(label) <= BUTTON_MAX:
        return label, ""
    bracket = label.find(" (")
    if 0 < bracket <= BUTTON_MAX:
        return label[:bracket], label[bracket + 1 :]
    space = label.rfind(" ", 0, BUTTON_MAX + 1)
    if space <= 0:
        return clip(label, BUTTON_MAX), ""
    return label[:space], label[space + 1 :]


def _input(block_id: str, label: str, element: Any, optional: bool = False) -> InputBlock:
    return InputBlock(block_id=block_id, label=PlainTextObject(text=label), element=element, optional=optional)


def _notify_input(label: str, max_length: int, placeholder: str | None = None) -> InputBlock:
    """The field on a notification for a question, the feedback or a remark: optional, several lines."""
    field = PlainTextInputElement(
        action_id=NOTIFY_TEXT_ACTION,
        multiline=True,
        max_length=max_length,
        placeholder=PlainTextObject(text=placeholder) if placeholder else None,
    )
    return _input(NOTIFY_TEXT_BLOCK, label, field, optional=True)


# Views and state ----------------------------------------------------------------------------------------------


def _view(title: str, blocks: list[Block], private_metadata: str, submit: str | None) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        title=PlainTextObject(text=clip(" ".join(plain(title).split()) or DEFAULT_TITLE, VIEW_TEXT_MAX)),
        close=PlainTextObject(text=CLOSE),
        submit=PlainTextObject(text=clip(plain(submit), VIEW_TEXT_MAX)) if submit else None,
        blocks=_capped(blocks or _sections(title), VIEW_BLOCKS_MAX),
        private_metadata=private_metadata or None,
        # Closing a page with a question on it tells the bot, so the half-filled flow is dropped and the user told.
        notify_on_close=bool(submit),
    )
    return view.to_dict()


def _capped(blocks: list[Block], limit: int) -> list[Block]:
    """At most `limit` blocks: text gives way (with an ellipsis) before the buttons and fields at the end."""
    if len(blocks) <= limit:
        return blocks
    tail = 0
    while tail < len(blocks) and blocks[-1 - tail].type in ("actions", "input"):
        tail += 1
    tail = min(tail, limit - 1)
    kept = blocks[-tail:] if tail else []
    return [*blocks[: limit - 1 - tail], SectionBlock(text=MarkdownTextObject(text="…")), *kept]


def _dicts(blocks: list[Block], limit: int) -> list[dict[str, Any]]:
    return [block.to_dict() for block in _capped(blocks, limit)]


def _state(values: dict[str, Any], block_id: str, action_id: str) -> dict[str, Any]:
    found = (values.get(block_id) or {}).get(action_id)
    return found if isinstance(found, dict) else {}


def _typed(state: dict[str, Any]) -> str | None:
    value = state.get("value")
    return (value.strip() or None) if isinstance(value, str) else None


def _decoded(value: str, choices: tuple[Choice, ...]) -> str:
    """An option's value as the choice's own: one sent as its index (too long for Slack) is looked up."""
    found = ENCODED.match(value)
    if found and not any(choice.value == value for choice in choices) and int(found.group(1)) < len(choices):
        return choices[int(found.group(1))].value
    return value
