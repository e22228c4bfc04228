"""What a team does with the bot in its Slack channel: a dilemma to vote on, its schedule, a signing campaign."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.campaigns.service import START, Member
from bot.channels.slack import blocks
from bot.channels.slack.identity import pressed_in
from bot.channels.slack.polls import CLOSE_ACTION, poll_message
from bot.conversation.dispatch import Conversation
from bot.practice.polls import ASK, Place, is_team_dilemma
from bot.vocabulary import living as say
from bot.vocabulary.turns import Turn

log = logging.getLogger(__name__)

MEMBERS_PAGE = 200


def is_team_command(text: str) -> bool:
    """Whether an @mention in a channel is for the team: a dilemma, its schedule, or a campaign."""
    return is_team_dilemma(text) or bool(START.match(text))


async def channel_name(client: AsyncWebClient, channel: str) -> str:
    """A channel's name for the figures per team ('#financien'), or its id when Slack will not say."""
    try:
        found = await client.conversations_info(channel=channel)
        name = (found.get("channel") or {}).get("name")
        return f"#{name}" if isinstance(name, str) and name else channel
    except Exception:
        return channel


async def members_of(client: AsyncWebClient, channel: str) -> list[Member] | None:
    """The people of a channel, without bots or deactivated accounts; None when Slack will not list them."""
    try:
        ids: list[str] = []
        cursor = None
        while True:
            page = await client.conversations_members(channel=channel, limit=MEMBERS_PAGE, cursor=cursor)
            ids += [member for member in page.get("members") or [] if isinstance(member, str)]
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        members = []
        for user_id in ids:
            user = (await client.users_info(user=user_id)).get("user") or {}
            if user.get("is_bot") or user.get("deleted") or user_id == "USLACKBOT":
                continue
            profile = user.get("profile") or {}
            name = profile.get("real_name") or user.get("real_name") or user.get("name") or user_id
            members.append(Member(name=name, email=profile.get("email") or None, slack_user_id=user_id))
        return members
    except Exception:
        log.exception("could not list the members of a Slack channel")
        return None


async def team_mention(
    client: AsyncWebClient, conversation: Conversation, turn: Turn, channel: str, thread: str | None
) -> bool:
    """Handle a team command from an @mention in a channel; False when the text is none."""
    text = turn.text or ""
    pack = conversation.content.packs.get(turn.org or "")
    if pack is None or not is_team_command(text):
        return False
    team = await channel_name(client, channel)
    if START.match(text) and conversation.campaigns is not None:
        allowed = conversation.campaigns.may_run(pack.org, turn.user)
        members = await members_of(client, channel) if allowed else []
        reply = await conversation.campaigns.in_channel(pack, turn, text, members, team)
        await client.chat_postMessage(channel=channel, thread_ts=thread, **blocks.message(reply))
        return True
    if conversation.polls is None:
        return False
    if ASK.match(text):
        view = await conversation.polls.open(pack, Place("slack", channel, team), turn.user)
        if view is None:
            await client.chat_postMessage(channel=channel, text=say.NO_DILEMMAS.format(org=pack.code.name))
            return True
        posted = await client.chat_postMessage(channel=channel, **poll_message(view))
        await conversation.store.poll_message(view["poll"], str(posted["ts"]))
        return True
    by = turn.user.name or "iemand van het team"
    answer = await conversation.polls.schedule(pack, Place("slack", channel, team), text, by)
    await client.chat_postMessage(channel=channel, thread_ts=thread, text=answer)
    return True


async def poll_button(
    client: AsyncWebClient, conversation: Conversation, turn: Turn, action: dict[str, Any], body: dict[str, Any]
) -> str:
    """A vote or close on a poll message: the message is updated for the channel; returns what the presser is told."""
    polls = conversation.polls
    poll = action.get("value") if isinstance(action.get("value"), str) else ""
    if polls is None or not poll:
        return say.POLL_UNKNOWN
    action_id = action.get("action_id") or ""
    if action_id == CLOSE_ACTION:
        view, text = await polls.close(poll, turn.user)
    else:
        number = action_id.partition(":")[2]
        view, text = await polls.vote(poll, turn.user, int(number)) if number.isdigit() else (None, say.POLL_UNKNOWN)
    if view is not None:
        channel, ts = pressed_in(body)
        await client.chat_update(channel=channel, ts=ts, **poll_message(view))
    return text
