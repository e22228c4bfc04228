"""Who a Slack payload is from: organisation by workspace, the conversation keys, and the user's display name."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.vocabulary import people
from bot.vocabulary.turns import UserRef

log = logging.getLogger(__name__)

CHANNEL = "slack"
MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
REMEMBER_NAMES = 10_000


def pressed_in(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The channel and ts of the message whose button was pressed (the container's, when Slack sends no message)."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return channel, (body.get("message") or {}).get("ts") or container.get("message_ts")


def dm_key(team: str, user: str) -> str:
    """The conversation of a user's DM with the bot: flows typed in the DM keep their state here."""
    return f"{team}:{user}"


def modal_key(team: str, user: str) -> str:
    """The conversation of a user's modal: a flow in a form of its own, apart from what runs in the DM."""
    return f"{team}:{user}:modal"


def public_key(team: str, where: str) -> str:
    """The conversation of a question asked in a channel or with the slash command: never a flow, never a case."""
    return f"{team}:{where}:public"


def without_mentions(text: str | None) -> str:
    """The text of an @mention message without the mentions themselves."""
    return " ".join(MENTION.sub(" ", text or "").split())


def is_dm(channel_id: str | None) -> bool:
    """Whether a Slack channel id is a direct message with the bot (Slack gives those ids starting with D)."""
    return bool(channel_id) and str(channel_id).startswith("D")


def org_resolver(teams: dict[str, str], default: str | None) -> Callable[[str | None], str | None]:
    """Map a Slack workspace (team id) to an organisation: the team map first, then the single configured org."""

    def resolve(team: str | None) -> str | None:
        """The organisation of a workspace."""
        return teams.get(team or "", default)

    return resolve


class Names:
    """Users' display names from users.info, remembered: a named report or gift shows who sent it."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._names: OrderedDict[str, str | None] = OrderedDict()

    async def of(self, user: str, fallback: str | None = None, within: float | None = None) -> str | None:
        """The user's real name, else their display name, else the fallback; never raises. `within` bounds the
        wait where Slack waits on our answer (a form): a name that comes too late is asked again next time."""
        if user in self._names:
            return self._names[user] or fallback
        name = None
        try:
            answer = await asyncio.wait_for(self._client.users_info(user=user), within)
            profile: dict[str, Any] = (answer.get("user") or {}).get("profile") or {}
            name = profile.get("real_name") or profile.get("display_name") or (answer.get("user") or {}).get("name")
        except SlackApiError as exc:
            log.warning("users.info for a Slack user failed: %s", slack_error(exc))
        except Exception as exc:  # Slack unreachable or slow: the turn goes on without a name
            log.warning("users.info for a Slack user failed: %s", type(exc).__name__)
        if name:  # a failure is not remembered, so the next turn asks again
            self._names[user] = name
            if len(self._names) > REMEMBER_NAMES:
                self._names.popitem(last=False)
        return name or fallback


def slack_error(exc: SlackApiError) -> str:
    """Slack's error code of a failed Web API call, or its HTTP status when the answer was no JSON."""
    data = exc.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {exc.response.status_code}"


async def picked(names: Names, user: str) -> str:
    """A person picked in Slack's user select, stored with their name so the summary and the card can say it."""
    return people.encode_slack(await names.of(user), user)


def user_ref(team: str, user: str, name: str | None, conversation: str, private: bool) -> UserRef:
    """The neutral user of a Slack turn."""
    return UserRef(channel=CHANNEL, user_id=user, conversation_id=conversation, name=name, private=private)
