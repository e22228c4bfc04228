"""The Slack bot: slash command, DMs, @mentions, buttons and modals, as neutral turns for the conversation."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any
from weakref import WeakValueDictionary

from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack import blocks
from bot.channels.slack.identity import (
    Names,
    dm_key,
    is_dm,
    modal_key,
    pressed_in,
    public_key,
    user_ref,
    without_mentions,
)
from bot.channels.slack.identity import (
    picked as picked_person,
)
from bot.channels.slack.modal import Modals
from bot.channels.slack.team import is_team_command, poll_button, team_mention
from bot.conversation.commands import CASE_COMMAND, CODE_COMMAND, FLOW_COMMANDS, HELP_WORDS
from bot.conversation.dispatch import Conversation
from bot.conversation.intents import start_intent
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Reply, Turn

log = logging.getLogger(__name__)

COMMAND = "/integriteit"
IN_DM = "Ik antwoordde je in je privégesprek met mij (Integriteitsbot, bij je apps en berichten)."
MOVED_DM = (
    "Dit doen we liever niet hier: in een kanaal lezen anderen mee. "
    "Ik stuur je een bericht in je privégesprek met mij. Daar gaan we verder."
)
SLASH_HELP = (
    "In Slack typ je /integriteit met je vraag of een opdracht erachter, bijvoorbeeld '/integriteit melden'. "
    "Antwoorden hier ziet alleen jij. Melden, een geschenk of een vertrouwenspersoon opent een venster dat alleen "
    "jij ziet; je bevestiging en 'status' komen in je privégesprek met mij. Daar kun je ook gewoon typen."
)
NAME_BUDGET = 0.5  # seconds a form's step waits for the user's name from Slack
MESSAGE_BLOCKS = 50  # Slack's most blocks in one message
NO_TRIGGER = "Dit formulier kon ik niet openen. Typ het in je privégesprek met mij, dan gaan we daar verder."


class SlackBot:
    """Translates Slack payloads into turns for the conversation and posts its replies as Block Kit."""

    def __init__(
        self, conversation: Conversation, client: AsyncWebClient, resolve_org: Callable[[str | None], str | None]
    ) -> None:
        self._conversation = conversation
        self._client = client
        self._resolve_org = resolve_org
        self._names = Names(client)
        self.modals = Modals(conversation, client, self._names)
        # One turn at a time per conversation: Slack may deliver two messages at once, a flow takes them in order.
        self._locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    def _lock(self, key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        return lock

    async def _turn(
        self,
        team: str,
        user: str,
        conversation: str,
        private: bool,
        name: str | None = None,
        within: float | None = None,
        **kw: Any,
    ) -> Turn:
        """A neutral turn for a Slack user; the name is looked up once per user (a named report shows it), at most
        `within` seconds where Slack waits on the answer."""
        name = await self._names.of(user, name, within)
        return Turn(org=self._resolve_org(team), user=user_ref(team, user, name, conversation, private), **kw)

    async def _open_dm(self, user: str) -> str:
        opened = await self._client.conversations_open(users=user)
        return opened["channel"]["id"]

    async def post(self, channel: str, replies: list[Reply], thread_ts: str | None = None) -> None:
        """Post replies to a channel or DM, one message each."""
        for reply in replies:
            extra = {"thread_ts": thread_ts} if thread_ts else {}
            await self._client.chat_postMessage(channel=channel, **blocks.message(reply), **extra)

    def dm_sender(self, user: str, channel: str | None = None):
        """A function that posts replies in the user's DM with the bot (opened when its id is not known)."""

        async def send(replies: list[Reply]) -> None:
            """Post the replies in the DM."""
            await self.post(channel or await self._open_dm(user), replies)

        return send

    async def in_dm(self, team: str, user: str, channel: str | None, name: str | None = None, **kw: Any) -> None:
        """One turn in the user's DM: the conversation answers, the replies are posted, a confirmation settled."""
        key = dm_key(team, user)
        async with self._lock(key):
            turn = await self._turn(team, user, key, True, name, **kw)
            replies = await self._conversation.handle(turn)
            if not replies:
                return
            await self.dm_sender(user, channel)(replies)
            await self._conversation.settle(turn, replies)

    # Events API -----------------------------------------------------------------------------------------------

    async def on_message(self, event: dict[str, Any], context: Any) -> None:
        """A message in the DM with the bot; other messages (edits, bots, channels) are not for the bot."""
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        subtype = event.get("subtype")
        if subtype not in (None, "file_share", "thread_broadcast"):
            return
        user, team = event.get("user"), context.team_id or event.get("team")
        if not user or not team:
            return
        await self.in_dm(
            team,
            user,
            event.get("channel"),
            text=event.get("text") or "",
            attachments=len(event.get("files") or []),
            message_id=event.get("client_msg_id") or event.get("ts"),
        )

    async def on_mention(self, event: dict[str, Any], context: Any) -> None:
        """An @mention in a channel: a lookup answer in its thread; a flow moves to the DM, with nothing of it here."""
        user, team, channel = event.get("user"), context.team_id or event.get("team"), event.get("channel")
        if not user or not team or not channel or is_dm(channel):  # in the DM, the message event answers it
            return
        thread = event.get("thread_ts") or event.get("ts")
        key = public_key(team, channel)
        text = without_mentions(event.get("text"))
        turn = await self._turn(team, user, key, False, text=text, message_id=event.get("ts"))
        if is_team_command(text) and await team_mention(self._client, self._conversation, turn, channel, thread):
            return  # a dilemma or a campaign, for the team
        replies = await self._conversation.handle(turn)
        moving = next((reply.private_start for reply in replies if reply.private_start), None)
        if moving:
            await self.post(channel, [Reply(MOVED_DM)], thread)
            await self.in_dm(team, user, None, text=moving)
            return
        await self.post(channel, replies, thread)

    # The slash command ----------------------------------------------------------------------------------------

    async def on_command(self, command: dict[str, Any], respond: Any) -> None:
        """/integriteit: a lookup answered only to the asker, a flow in a modal, status and cases in the DM."""
        text = " ".join((command.get("text") or "").split())
        team, user, channel = command.get("team_id") or "", command.get("user_id") or "", command.get("channel_id")
        lowered = text.lower().strip(" !.")
        code = CODE_COMMAND.match(text)
        flow = FLOW_COMMANDS.get(lowered) or (start_intent(text) if text else None)
        if (code and code.group(1).lower() == "aanvullen") or flow:
            await self._modal(team, user, command.get("trigger_id"), text if code else flow or "", respond)
            return
        if code or CASE_COMMAND.match(text):
            await self._to_dm(team, user, channel, text, respond)
            return
        turn = await self._turn(
            team, user, public_key(team, user), False, command.get("user_name"), text=text or "help"
        )
        replies = await self._conversation.handle(turn)
        moving = next((reply.private_start for reply in replies if reply.private_start), None)
        if moving:  # something for the DM only (a handler's overview): it goes on there
            await self._to_dm(team, user, channel, moving, respond)
            return
        if not text or lowered in HELP_WORDS:
            replies = [*replies, Reply(SLASH_HELP)]
        await self._respond(respond, replies)

    async def _to_dm(self, team: str, user: str, channel: str | None, text: str, respond: Any) -> None:
        """A case, its status or an overview: answered in the DM with the bot only, never where it was typed, not
        even to the asker alone (a DM with a colleague has a D… id too: only Slack's answer says which is the bot's)."""
        dm = await self._open_dm(user)
        await self.in_dm(team, user, dm, text=text)
        if channel != dm:
            await respond(text=IN_DM, response_type="ephemeral")

    async def _modal(self, team: str, user: str, trigger: str | None, command: str, respond: Any) -> None:
        """Open the modal for a flow; without a trigger (none came along) the DM takes over."""
        if not trigger:
            await respond(text=NO_TRIGGER, response_type="ephemeral")
            return
        key = modal_key(team, user)
        async with self._lock(key):
            turn = await self._turn(team, user, key, True)
            await self.modals.open(trigger, turn, command, self.dm_sender(user))

    async def _respond(self, respond: Any, replies: list[Reply]) -> None:
        """Answer only to the asker (ephemeral), in one message: an answer and the offer after it belong together."""
        if not replies:
            return
        messages = [blocks.message(reply) for reply in replies]
        merged: list[dict[str, Any]] = []
        for message in messages:
            if merged and len(merged) + 1 + len(message["blocks"]) <= MESSAGE_BLOCKS:
                merged.append({"type": "divider"})
            elif merged:  # too long for one message: the rest goes in a second one
                text = messages[0]["text"]
                await respond(response_type="ephemeral", replace_original=False, text=text, blocks=merged)
                merged = []
            merged += message["blocks"]
        text = "\n\n".join(message["text"] for message in messages)[: blocks.TEXT_MAX]
        await respond(response_type="ephemeral", replace_original=False, text=text, blocks=merged)

    # Buttons --------------------------------------------------------------------------------------------------

    async def on_choice(self, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """A reply's button: in the DM as the user's answer; on an answer only the asker sees, a flow opens in
        a modal and anything else is answered the same way."""
        team, user = _team(body), (body.get("user") or {}).get("id") or ""
        channel, _ = pressed_in(body)
        value = action.get("value") if isinstance(action.get("value"), str) else ""
        person = None
        if action.get("action_id") == blocks.PICK_ACTION:
            picked = action.get("selected_user")
            if not isinstance(picked, str) or not picked:
                return
            # The users_select's own value: the only way a Slack turn names a reachable person.
            person = value = await picked_person(self._names, picked)
        if not user or not value:
            return
        if is_dm(channel) and not (body.get("container") or {}).get("is_ephemeral"):
            # A button on the bot's own message in a DM: that DM is the bot's (it posts in no other).
            said = {"picked": person} if person else {"value": value}
            await self.in_dm(team, user, channel, message_id=body.get("trigger_id"), **said)
            return
        flow = FLOW_COMMANDS.get(value.lower())
        if flow:
            await self._modal(team, user, body.get("trigger_id"), flow, respond)
            return
        turn = await self._turn(team, user, public_key(team, user), False, value=value)
        await self._respond(respond, await self._conversation.handle(turn))

    async def on_notify(self, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """A button on a notification: only its addressee acts; the message is updated in place with who did what."""
        team, user = _team(body), (body.get("user") or {}).get("id") or ""
        verb = (action.get("action_id") or "").partition(":")[2]
        try:
            data = json.loads(action["value"]) if isinstance(action.get("value"), str) else {}
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        kind, reference = data.get("kind"), data.get("reference")
        if not isinstance(kind, str) or not isinstance(reference, str) or not verb:
            await respond(text=msg.ACTION_UNKNOWN, response_type="ephemeral", replace_original=False)
            return
        text = blocks.read_notify_text((body.get("state") or {}).get("values") or {})
        turn = await self._turn(team, user, dm_key(team, user), True)
        result = await self._conversation.act(turn, kind, reference, verb, text)
        if result.card is None:
            await respond(text=result.message, response_type="ephemeral", replace_original=False)
            return
        channel, ts = pressed_in(body)
        await self._client.chat_update(channel=channel, ts=ts, **blocks.notification(result.card))

    async def on_poll(self, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        """A vote or close on a dilemma poll in a channel: the message is updated, the presser told alone."""
        team, user = _team(body), (body.get("user") or {}).get("id") or ""
        if not user:
            return
        turn = await self._turn(team, user, public_key(team, user), False)
        told = await poll_button(self._client, self._conversation, turn, action, body)
        if told:
            await respond(text=told, response_type="ephemeral", replace_original=False)

    # Modals ---------------------------------------------------------------------------------------------------

    async def on_submit(self, body: dict[str, Any], view: dict[str, Any], ack: Any) -> None:
        """A modal page submitted."""
        team, user = _team(body), (body.get("user") or {}).get("id") or ""
        key = modal_key(team, user)
        async with self._lock(key):
            turn = await self._turn(team, user, key, True, within=NAME_BUDGET)  # Slack waits on this form's answer
            await self.modals.submit(turn, view, ack, self.dm_sender(user))

    async def on_modal_button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A button inside a modal (change or stop on the summary)."""
        team, user = _team(body), (body.get("user") or {}).get("id") or ""
        key = modal_key(team, user)
        async with self._lock(key):
            turn = await self._turn(team, user, key, True)
            await self.modals.press(turn, body.get("view") or {}, action.get("value") or "", self.dm_sender(user))

    async def on_closed(self, body: dict[str, Any]) -> None:
        """The modal closed without sending."""
        team, user = _team(body), (body.get("user") or {}).get("id") or ""
        key = modal_key(team, user)
        async with self._lock(key):
            turn = await self._turn(team, user, key, True)
            await self.modals.closed(turn, self.dm_sender(user))


def _team(body: dict[str, Any]) -> str:
    """The workspace an interaction came from."""
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return team["id"]
    return (body.get("user") or {}).get("team_id") or body.get("team_id") or ""
