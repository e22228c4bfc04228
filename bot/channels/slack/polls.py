"""A dilemma poll in a Slack channel: Block Kit before and after its close, the poster, and the buttons' handling."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.mrkdwn import clip, escape
from bot.practice.polls import Place

VOTE_ACTION = "poll_vote"  # action_id poll_vote:<option>, value the poll's id
CLOSE_ACTION = "poll_close"  # value the poll's id
VOTE_LABEL = "Kies dit"
HEADER_MAX = 150
TEXT_MAX = 3000


def _text(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(escape(text), TEXT_MAX)))


def poll_message(view: dict[str, Any]) -> dict[str, Any]:
    """The poll as a channel message: the situation, each reaction with its button, the count and the close
    button; once closed, every reaction with its votes and the code's answer with its quote."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=clip(view["title"], HEADER_MAX))),
        _text(view["situation"]),
    ]
    if not view["closed"]:
        blocks.append(_text(f"*{escape(view['question'])}*"))
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(view["ask"]))]))
        for number, option in enumerate(view["options"]):
            button = ButtonElement(
                text=PlainTextObject(text=VOTE_LABEL), action_id=f"{VOTE_ACTION}:{number}", value=view["poll"]
            )
            blocks.append(
                SectionBlock(
                    text=MarkdownTextObject(text=clip(f"*{number + 1}.* {escape(option)}", TEXT_MAX)), accessory=button
                )
            )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=escape(view["count"]))]))
        close = ButtonElement(
            text=PlainTextObject(text=view["close_label"]), action_id=CLOSE_ACTION, value=view["poll"]
        )
        blocks.append(ActionsBlock(elements=[close]))
        fallback = f"{view['title']}: {view['situation']}"
    else:
        blocks += [
            DividerBlock(),
            _text("\n".join(view["lines"])),
            ContextBlock(elements=[MarkdownTextObject(text=escape(view["result"]))]),
            _text(view["explanation"]),
            _text(view["code_says"]),
            _text(view["talk"]),
        ]
        fallback = f"{view['title']}: {view['explanation']}"
    return {"text": clip(fallback, TEXT_MAX), "blocks": [block.to_dict() for block in blocks]}


class SlackPoster:
    """Posts and updates poll cards in Slack channels for the schedule and timed closes."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def post(self, place: Place, view: dict[str, Any]) -> tuple[str, str]:
        """Post a poll in the channel; returns the channel and the message's ts."""
        posted = await self._client.chat_postMessage(channel=place.place, **poll_message(view))
        return place.place, str(posted["ts"])

    async def update(self, place: Place, message_id: str, view: dict[str, Any]) -> None:
        """Replace the poll's message."""
        await self._client.chat_update(channel=place.place, ts=message_id, **poll_message(view))
