"""A flow asked for in a channel or group chat continues in the user's 1:1 chat, opened proactively."""

from __future__ import annotations

import logging
from dataclasses import replace

from botbuilder.core import TurnContext
from botbuilder.schema import ChannelAccount

from bot.channels.teams.proactive import open_chat
from bot.channels.teams.render import to_activity
from bot.conversation.dispatch import Conversation
from bot.vocabulary.turns import Turn

log = logging.getLogger(__name__)


async def move_to_private(
    context: TurnContext, conversation: Conversation, turn: Turn, command: str, app_id: str
) -> bool:
    """Open (or reuse) the sender's 1:1 chat and start the flow there; False when Teams would not let us."""
    activity = context.activity
    sender = activity.from_property
    aad = getattr(sender, "aad_object_id", None)
    member_id = getattr(sender, "id", None) or aad  # the channel's own user id (29:…) works in Teams and tools alike
    tenant = getattr(activity.conversation, "tenant_id", None)
    if not member_id or not activity.service_url:
        return False

    async def start_there(private: TurnContext) -> None:
        # The flow's first question goes to the new chat; nothing the user typed is repeated anywhere.
        user = replace(turn.user, conversation_id=private.activity.conversation.id, private=True)
        moved = replace(turn, user=user, text=command, value=None, message_id=None)
        replies = await conversation.handle(moved)
        await private.send_activities([to_activity(reply) for reply in replies])
        await conversation.settle(moved, replies)

    bot_id = app_id or (activity.recipient.id if activity.recipient else "bot")
    member = ChannelAccount(id=member_id, aad_object_id=aad)
    try:
        await open_chat(context.adapter, app_id, bot_id, member, tenant, activity.service_url, start_there)
    except Exception:
        log.exception("could not open a private chat, or start the flow in it")
        return False
    log.info("flow %s moved from a group conversation to a private chat", command)
    return True
