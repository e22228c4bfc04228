"""Helpers for the tests of living the code: a Teams team channel with its roster, and its people's chats."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import Bot

HR_AAD = "00000000-0000-4000-8000-000000020900"  # Kortrijk's demo personeelsdienst (contacts.demo.yaml)
TEAM = {"id": "19:team-financien@thread.tacv2", "name": "Financiën"}
CHANNEL = {"id": "19:chan-algemeen@thread.tacv2", "name": "Algemeen"}
ROSTER = [
    {"id": "29:an", "name": "An Peeters", "aadObjectId": "aad-an", "email": "an.peeters@kortrijk.example"},
    {"id": "29:bram", "name": "Bram De Smet", "aadObjectId": "aad-bram", "email": "bram.desmet@kortrijk.example"},
    {"id": "29:chloe", "name": "Chloë Maes", "aadObjectId": "aad-chloe", "userPrincipalName": "chloe@kortrijk.example"},
    {"id": "29:hr", "name": "Hilde Personeel", "aadObjectId": HR_AAD, "email": "personeel@kortrijk.example"},
    {"id": "28:bot", "name": "Integriteitsbot"},  # the bot itself: no directory id, never asked
]


def in_channel(user_id: str, aad: str, name: str, thread: str = "1") -> dict[str, Any]:
    """The overrides of an activity typed in the team's channel (a thread of it) by this person."""
    return {
        "from": {"id": user_id, "name": name, "aadObjectId": aad},
        "conversation": {
            "id": f"{CHANNEL['id']};messageid={thread}",
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": "tenant-demo",
        },
        "channelData": {"tenant": {"id": "tenant-demo"}, "team": TEAM, "channel": CHANNEL},
    }


def in_private(member: dict[str, Any]) -> dict[str, Any]:
    """The overrides of an activity in this member's 1:1 chat with the bot."""
    return {
        "from": {"id": member["id"], "name": member["name"], "aadObjectId": member["aadObjectId"]},
        "conversation": {"id": f"a:chat-{member['id']}", "conversationType": "personal", "tenantId": "tenant-demo"},
    }


def invoke(bot: Bot, verb: str, data: dict[str, Any], who: dict[str, Any], reply_to: str) -> dict[str, Any]:
    """An adaptiveCard/action invoke (Action.Execute) on a card in the channel."""
    activity = bot.activity(
        type="invoke", name="adaptiveCard/action", **in_channel(who["id"], who["aadObjectId"], who["name"])
    )
    activity["replyToId"] = reply_to
    activity["value"] = {"action": {"type": "Action.Execute", "verb": verb, "data": data}}
    return activity


async def post_invoke(bot: Bot, activity: dict[str, Any], status: int = 200) -> dict[str, Any]:
    """Post an invoke and return its HTTP answer's body, checking the HTTP status."""
    async with bot.http.post(bot.url("/api/messages"), json=activity) as response:
        assert response.status == status, response.status
        return await response.json()


async def until(condition: Any, within: float = 10.0) -> None:
    """Wait until `condition()` is true (the outbox worker delivers in the background)."""
    for _ in range(int(within / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")
