"""A bare botbuilder echo bot on the project's stack (aiohttp + CloudAdapter, development mode): the load baseline."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication


class DevModeConfig:
    """The MicrosoftApp* settings botbuilder reads, all empty: no authentication."""

    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class EchoBot(ActivityHandler):
    """Replies to every message with its text."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        """Echo the text back."""
        await turn_context.send_activity(f"echo: {turn_context.activity.text}")


def make_app() -> web.Application:
    """POST /api/messages handled by the CloudAdapter, GET /healthz for start-up polling."""
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(DevModeConfig()))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        """POST /api/messages, exactly as botbuilder's samples do it."""
        return await adapter.process(request, bot) or web.Response(status=201)

    async def healthz(_request: web.Request) -> web.Response:
        """GET: the bot is up."""
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    """Serve the echo bot on loopback until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    web.run_app(make_app(), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
