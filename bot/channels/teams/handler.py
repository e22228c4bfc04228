"""The Teams bot: turn Bot Framework activities into neutral turns and send the conversation's replies."""

from __future__ import annotations

import logging
from collections.abc import Callable

from azure.core.exceptions import DeserializationError
from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.channels.teams import invokes
from bot.channels.teams.adaptive import PERSON_KEY
from bot.channels.teams.connector import ConnectorUnavailable
from bot.channels.teams.deliverer import notification_card
from bot.channels.teams.mentions import without_mention
from bot.channels.teams.polls import poll_action
from bot.channels.teams.private import move_to_private
from bot.channels.teams.render import to_activity
from bot.channels.teams.team import poll_invoke, team_turn
from bot.conversation.dispatch import Conversation
from bot.vocabulary import messages as msg
from bot.vocabulary import people
from bot.vocabulary.turns import Reply, Turn, UserRef

log = logging.getLogger(__name__)


def tenant_of(activity: Activity) -> str | None:
    """The Microsoft 365 tenant of an activity, from the conversation or Teams channel data; only ever a string."""
    tenant_id = getattr(activity.conversation, "tenant_id", None)
    if isinstance(tenant_id, str) and tenant_id:
        return tenant_id
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant") if isinstance(channel_data.get("tenant"), dict) else {}
    tenant_id = tenant.get("id")
    return tenant_id if isinstance(tenant_id, str) and tenant_id else None


CHANNEL = "msteams"


def button_value(activity: Activity) -> str | None:
    """The value of an Adaptive Card button press (`{"action": ...}`), if this activity is one."""
    if isinstance(activity.value, dict) and isinstance(activity.value.get("action"), str):
        return activity.value["action"]
    return None


def picked_person(activity: Activity) -> str | None:
    """The person chosen in Teams' people picker (`value["person"]`, an AAD object id), in the stored form; the
    only way a Teams turn names a reachable person."""
    if isinstance(activity.value, dict) and isinstance(activity.value.get("action"), str):
        return None  # a button press, not the picker's submit
    picked = activity.value.get(PERSON_KEY) if isinstance(activity.value, dict) else None
    if isinstance(picked, str) and people.is_picked(f"[aad:{picked.strip()}]"):
        return people.encode(None, picked.strip())
    return None


class TeamsBot(ActivityHandler):
    """Bot Framework handler that delegates every decision to the channel-neutral conversation."""

    def __init__(
        self, conversation: Conversation, resolve_org: Callable[[str | None], str | None], app_id: str = ""
    ) -> None:
        self._conversation = conversation
        self._resolve_org = resolve_org
        self._app_id = app_id

    def _turn(self, context: TurnContext, **kwargs: object) -> Turn:
        activity = context.activity
        sender = activity.from_property or ChannelAccount(id="")
        user = UserRef(
            # Bound to the endpoint, never to what the activity claims: a turn from /api/messages is a Teams turn,
            # so no channelId ("slack", "console", ...) can make it act as a user of another channel.
            channel=CHANNEL,
            user_id=sender.aad_object_id or sender.id or "",
            conversation_id=activity.conversation.id if activity.conversation else "",
            name=sender.name,
            # Reports and declarations run only in a personal chat, never in a group chat or channel.
            private=(activity.conversation.conversation_type or "personal") == "personal"
            if activity.conversation
            else True,
        )
        return Turn(org=self._resolve_org(tenant_of(activity)), user=user, locale=activity.locale or "nl-BE", **kwargs)

    async def _send(self, context: TurnContext, replies: list[Reply]) -> None:
        await context.send_activities([to_activity(reply) for reply in replies])

    async def _answer(self, context: TurnContext, turn: Turn) -> None:
        """Let the conversation answer a turn, send the replies, then settle: a crash before the send leaves a
        confirmation to be shown again on the user's next message."""
        replies = await self._conversation.handle(turn)
        if not replies:  # a redelivered message: the first delivery answers it
            return
        moving = next((reply.private_start for reply in replies if reply.private_start), None)
        if moving and await move_to_private(context, self._conversation, turn, moving, self._app_id):
            # In the channel only that it goes on privately; nothing the user typed is repeated here.
            replies = [Reply(msg.MOVED_PRIVATE)]
        await self._send(context, replies)
        await self._conversation.settle(turn, replies)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """A typed message or a card button press; the bot's own @mention in a channel is not part of the text."""
        activity = turn_context.activity
        turn = self._turn(
            turn_context,
            text=without_mention(activity),
            value=button_value(activity),
            picked=picked_person(activity),
            attachments=len(activity.attachments or []),
            message_id=activity.id if isinstance(activity.id, str) else None,
        )
        if await team_turn(turn_context, self._conversation, turn):  # a dilemma or a campaign, for the team
            return
        await self._answer(turn_context, turn)

    async def on_members_added_activity(self, members_added: list[ChannelAccount], turn_context: TurnContext) -> None:
        """Welcome a user who opens the chat or adds the bot, once per join."""
        recipient = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id != recipient for member in members_added or []):
            await self._answer(turn_context, self._turn(turn_context, joined=True))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Every invoke gets an answer Teams accepts: a card action runs as a button press, the rest are declined."""
        activity = turn_context.activity
        name = activity.name if isinstance(activity.name, str) else ""
        if name != invokes.CARD_ACTION:
            return invokes.other_invoke(name, activity.value)
        poll = poll_action(activity.value)
        if poll is not None:  # a vote on a dilemma in a team channel, or its close
            return await poll_invoke(turn_context, self._conversation, self._turn(turn_context), *poll)
        notify = invokes.notification_action(activity.value)
        if notify is not None:  # a button on a notification card: act, and answer with the card that replaces it
            kind, reference, verb, text = notify
            result = await self._conversation.act(self._turn(turn_context), kind, reference, verb, text)
            if result.card is None:
                return invokes.card_message(result.message)
            addressee = (
                turn_context.activity.from_property.aad_object_id if turn_context.activity.from_property else None
            )
            return invokes.card_update(notification_card(result.card, addressee))
        choice = invokes.card_action_value(activity.value)
        if choice is None:
            return invokes.card_error(invokes.NO_CHOICE)
        await self._answer(turn_context, self._turn(turn_context, value=choice))  # as a pressed button, as usual
        return invokes.card_message(invokes.RECEIVED)

    async def on_message_reaction_activity(self, turn_context: TurnContext) -> None:
        """A like or other reaction: acknowledge it kindly."""
        if turn_context.activity.reactions_added:
            await turn_context.send_activity(MessageFactory.text(msg.REACTION))


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    """Log the failure with its trace for operators and tell the user in Dutch, without details."""
    activity = context.activity
    if activity.type == ActivityTypes.invoke:
        # The HTTP response carries the invoke's answer, so the user hears of the failure even without the connector.
        name = activity.name if isinstance(activity.name, str) else ""
        answer = invokes.failed_invoke(name, msg.TURN_ERROR)
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=answer))
    if isinstance(error, ConnectorUnavailable):
        # Not a bug: the connector did not answer in time. Telling the user would go through the same connector.
        log.error("turn failed on %s: the Bot Connector did not answer (%s)", activity.channel_id, error)
        return
    if isinstance(error, DeserializationError):
        # Not a bug either: what answered at the serviceUrl is no Bot Connector (it did not answer in JSON).
        log.error("turn failed on %s: the Bot Connector's answer was not JSON", activity.channel_id)
        return
    log.exception("turn failed on %s", activity.channel_id, exc_info=error)
    if activity.type == ActivityTypes.invoke:
        return
    try:
        await context.send_activity(MessageFactory.text(msg.TURN_ERROR))
    except Exception:  # the connector itself may be what failed
        log.exception("could not tell the user that the turn failed")
