"""The `/api/messages` endpoint: read and parse the request once, authenticate, run the turn, answer invokes.

This reproduces botbuilder's `CloudAdapter.process` (invoke and expect-replies responses) around
`process_activity`, so that the body is parsed and deserialised once and every failure has its own status:
415/413/408/400 for the request, 401 for authentication, never a 5xx for anything a caller sends.
"""

from __future__ import annotations

import json
import logging

from aiohttp import web
from botbuilder.core import InvokeResponse, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from msrest.serialization import Model

from bot.channels.teams.addresses import AddressBook
from bot.channels.teams.auth import PooledAuthentication, Unauthorized, authenticate
from bot.channels.teams.connector import ConnectorPool
from bot.channels.teams.handler import TeamsBot, on_turn_error
from bot.channels.teams.keys import install_key_cache
from bot.channels.teams.parse import BadRequest, parse_json, read_body, to_activity
from bot.settings import Settings

log = logging.getLogger(__name__)

UNAUTHORIZED = "Niet aangemeld: het token ontbreekt of is ongeldig."
NOT_TEAMS = "Deze dienst neemt alleen berichten uit Microsoft Teams aan."
SERVER_ERROR = "Er ging iets mis bij het verwerken."


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


class TeamsEndpoint:
    """POST /api/messages for one bot: a CloudAdapter whose keys, connectors and clients are bounded and cached."""

    def __init__(self, settings: Settings, bot: TeamsBot, addresses: AddressBook | None = None) -> None:
        install_key_cache()
        self.pool = ConnectorPool()
        self.adapter = CloudAdapter(PooledAuthentication(ConfigurationBotFrameworkAuthentication(settings), self.pool))
        self.adapter.on_turn_error = on_turn_error
        self.bot = bot
        self.addresses = addresses
        # Outside development mode only Teams may speak here. An Azure Bot has Web Chat and Direct Line on by
        # default, and there the client chooses its own `from.id`: it must never pass for a Teams user.
        self.teams_only = not settings.dev_mode

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The aiohttp handler for POST /api/messages."""
        try:
            activity = to_activity(parse_json(await read_body(request)))
        except BadRequest as exc:
            log.info("rejected /api/messages: %s (%s)", exc.status, exc.log_reason)
            return _error(exc.status, exc.reason)
        try:
            header = request.headers.get("Authorization", "")
            result = await authenticate(self.adapter.bot_framework_authentication, activity, header)
        except Unauthorized as exc:
            log.info("rejected /api/messages: 401 (%s)", exc)
            return _error(401, UNAUTHORIZED)
        if self.teams_only and activity.channel_id != "msteams":
            log.info("rejected /api/messages: 403 (channel %.20r is not msteams)", activity.channel_id)
            return _error(403, NOT_TEAMS)
        if self.addresses is not None:  # only what an authenticated activity says is worth remembering
            await self.addresses.seen(activity)
        try:
            answer = await self.adapter.process_activity(result, activity, self.bot.on_turn)
            return _respond(answer)
        except Exception:  # a fault of ours, not of the request: the turn error handler already ran for turn faults
            log.exception("could not process an activity of type %s", activity.type)
            return _error(500, SERVER_ERROR)

    async def close(self) -> None:
        """Close the connector session."""
        await self.pool.close()


def _respond(answer: InvokeResponse | None) -> web.Response:
    """The HTTP response for a processed activity: the invoke or expect-replies body, or 201 as botbuilder does."""
    if answer is None:
        return web.Response(status=201)
    if answer.body is None:
        return web.Response(status=int(answer.status))
    # botbuilder's process() runs serializer_helper on every body, which fails on the dicts invokes return.
    body = serializer_helper(answer.body) if isinstance(answer.body, Model) else answer.body
    return web.Response(
        status=int(answer.status), text=json.dumps(body, ensure_ascii=False), content_type="application/json"
    )
