"""The `/api/messages` endpoint: request checks, then botbuilder's CloudAdapter does auth and replies."""

from __future__ import annotations

import json
import logging

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity
from jwt import PyJWTError
from msrest.exceptions import DeserializationError

from bot.channels.teams.handler import TeamsBot, on_turn_error
from bot.settings import Settings

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024


def make_adapter(settings: Settings) -> CloudAdapter:
    """A CloudAdapter using the standard MicrosoftApp* settings; no app id means development mode."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    adapter.on_turn_error = on_turn_error
    return adapter


def _is_activity(body: object) -> bool:
    """Whether a parsed body deserializes into an activity with a type, as the adapter will need."""
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return False
    try:
        Activity().deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError):
        return False
    return True


def messages_handler(adapter: CloudAdapter, bot: TeamsBot):
    """The aiohttp handler for POST /api/messages."""

    async def handle(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "Content-Type moet application/json zijn."}, status=415)
        raw = await request.read()
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.info("rejected /api/messages: body is not valid JSON")
            return web.json_response({"error": "Het bericht is geen geldige JSON."}, status=400)
        if not _is_activity(body):
            log.info("rejected /api/messages: not an activity")
            return web.json_response({"error": "Het bericht is geen Bot Framework-activiteit."}, status=400)
        try:
            response = await adapter.process(request, bot)
        except web.HTTPException as exc:
            # 401 for a missing or invalid token, among others; the adapter has already decided.
            log.info("rejected /api/messages: %s", exc.status)
            return web.json_response({"error": exc.reason}, status=exc.status)
        except PyJWTError as exc:
            # A token that is not even a well-formed JWT: botbuilder lets the decoder's error escape.
            log.info("rejected /api/messages: malformed token (%s)", type(exc).__name__)
            return web.json_response({"error": "Unauthorized"}, status=401)
        except Exception:
            log.exception("could not process an activity")
            return web.json_response({"error": "Er ging iets mis bij het verwerken."}, status=500)
        return response or web.Response(status=201)

    return handle
