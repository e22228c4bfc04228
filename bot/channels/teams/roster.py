"""A Teams team's members, as the bot may list them: in a turn from its channel, or from the command line."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.campaigns.service import Member
from bot.channels.teams.auth import PooledAuthentication
from bot.channels.teams.connector import ConnectorPool
from bot.channels.teams.proactive import in_chat
from bot.settings import Settings

log = logging.getLogger(__name__)


def members(accounts: Iterable[Any]) -> list[Member]:
    """Teams accounts as the people of a campaign; an account without a directory id (the bot) is nobody to ask."""
    found = []
    for account in accounts:
        aad = getattr(account, "aad_object_id", None)
        if not aad:
            continue
        email = getattr(account, "email", None) or getattr(account, "user_principal_name", None)
        found.append(Member(name=account.name or email or "Onbekende naam", email=email, teams_aad_id=aad))
    return found


async def members_of(context: TurnContext) -> list[Member] | None:
    """The people of the team (or group chat) a turn came from; None when Teams will not say."""
    try:
        return members(await TeamsInfo.get_members(context) or [])
    except Exception:
        log.exception("could not list the members of a team")
        return None


async def team_members(settings: Settings, service_url: str, tenant: str | None, team_id: str) -> list[Member]:
    """The members of a Teams team by its id, listed through the Bot Connector as the service would (its app id and
    secret); the bot must be installed in that team. Raises when the connector refuses."""
    pool = ConnectorPool()
    adapter = CloudAdapter(PooledAuthentication(ConfigurationBotFrameworkAuthentication(settings), pool))
    reference = ConversationReference(
        channel_id="msteams",
        service_url=service_url,
        conversation=ConversationAccount(id=team_id, tenant_id=tenant, conversation_type="channel", is_group=True),
        bot=ChannelAccount(id=settings.app_id or "bot"),
    )
    found: list[Any] = []

    async def listing(context: TurnContext) -> None:
        found.extend(await TeamsInfo.get_team_members(context, team_id) or [])

    try:
        await in_chat(adapter, settings.app_id, reference, listing)
    finally:
        await pool.close()
    return members(found)
