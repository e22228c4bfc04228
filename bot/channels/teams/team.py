"""What a team does with the bot in its Teams channel: a dilemma to vote on, its schedule, a signing campaign."""

from __future__ import annotations

import logging

from botbuilder.core import InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity

from bot.campaigns.service import START
from bot.channels.teams.invokes import card_error, card_message, card_update
from bot.channels.teams.polls import CLOSE_VERB, poll_activity, poll_card
from bot.channels.teams.render import to_activity
from bot.channels.teams.roster import members_of
from bot.conversation.dispatch import Conversation
from bot.practice.polls import ASK, Place, is_team_dilemma
from bot.vocabulary import living as say
from bot.vocabulary.turns import Turn

log = logging.getLogger(__name__)

CHOOSE_FIRST = "Kies eerst wat jij zou doen, en druk dan op 'Stem'."
TEAM_CHANNEL = "een Teams-kanaal"


def is_team_command(text: str) -> bool:
    """Whether a message in a channel is for the team: a dilemma, its schedule, or a campaign."""
    return is_team_dilemma(text) or bool(START.match(text))


def place_of(activity: Activity, scheduled: bool = False) -> Place:
    """The channel a turn came from, for a poll (the thread it was asked in) or a schedule (the channel itself)."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    team = data.get("team") if isinstance(data.get("team"), dict) else {}
    channel = data.get("channel") if isinstance(data.get("channel"), dict) else {}
    conversation = activity.conversation.id if activity.conversation else ""
    channel_id = channel.get("id") if isinstance(channel.get("id"), str) else None
    # A schedule posts new messages in the channel; a poll asked for is answered (and updated) in its own thread.
    where = (channel_id or conversation.split(";")[0]) if scheduled else conversation
    names = [name for name in (team.get("name"), channel.get("name")) if isinstance(name, str) and name]
    conversation_name = getattr(activity.conversation, "name", None)
    label = " / ".join(names) or (conversation_name if isinstance(conversation_name, str) else "") or TEAM_CHANNEL
    tenant = getattr(activity.conversation, "tenant_id", None)
    return Place("msteams", where, label, activity.service_url, tenant if isinstance(tenant, str) else None)


async def team_turn(context: TurnContext, conversation: Conversation, turn: Turn) -> bool:
    """Handle a team command typed in a channel or group chat; False when the text is none."""
    text = turn.text or ""
    pack = conversation.content.packs.get(turn.org or "")
    if pack is None or turn.user.private or not is_team_command(text):
        return False
    recent = conversation.recent
    if turn.message_id and not recent.first_time(turn.user.channel, turn.user.conversation_id, turn.message_id):
        return True  # Teams sent it again: the first delivery posted the poll or started the campaign
    if START.match(text) and conversation.campaigns is not None:
        members = await members_of(context) if conversation.campaigns.may_run(pack.org, turn.user) else []
        place = place_of(context.activity, scheduled=True)
        reply = await conversation.campaigns.in_channel(pack, turn, text, members, place.team)
        await context.send_activity(to_activity(reply))
        return True
    polls = conversation.polls
    if polls is None:
        return False
    if ASK.match(text):
        view = await polls.open(pack, place_of(context.activity), turn.user)
        if view is None:
            await context.send_activity(MessageFactory.text(say.NO_DILEMMAS.format(org=pack.code.name)))
            return True
        sent = await context.send_activity(poll_activity(view))
        if sent is not None and sent.id:
            await conversation.store.poll_message(view["poll"], sent.id)
        return True
    by = turn.user.name or "iemand van het team"
    answer = await polls.schedule(pack, place_of(context.activity, scheduled=True), text, by)
    await context.send_activity(MessageFactory.text(answer))
    return True


async def poll_invoke(
    context: TurnContext, conversation: Conversation, turn: Turn, verb: str, poll: str, choice: int | None
) -> InvokeResponse:
    """A vote or a close on a poll card: the card is replaced for everyone in the channel, the voter told apart."""
    polls = conversation.polls
    if polls is None:
        return card_message(say.POLL_UNKNOWN)
    if verb == CLOSE_VERB:
        view, text = await polls.close(poll, turn.user)
    elif choice is None:
        return card_error(CHOOSE_FIRST)
    else:
        view, text = await polls.vote(poll, turn.user, choice)
    if view is None:
        return card_message(text)
    reply_to = context.activity.reply_to_id
    if reply_to:  # the invoke's answer updates the card for the voter; this updates it for the whole channel
        activity = poll_activity(view)
        activity.id = reply_to
        try:
            await context.update_activity(activity)
        except Exception:
            log.exception("could not update a dilemma card in its channel")
    return card_update(poll_card(view))
