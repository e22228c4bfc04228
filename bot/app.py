"""The aiohttp application: wires content, conversation core and channels; nothing happens at import."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.content import Content, load_content
from bot.conversation import Conversation
from bot.settings import Settings, SettingsError
from bot.teams.endpoint import make_adapter, messages_handler
from bot.teams.handler import TeamsBot

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
CONTENT = web.AppKey("content", Content)
CONVERSATION = web.AppKey("conversation", Conversation)


def org_resolver(settings: Settings):
    """Map a Teams tenant to an organisation: the tenant map first, then the single configured org."""

    def resolve(tenant_id: str | None) -> str | None:
        if tenant_id and tenant_id in settings.tenants:
            return settings.tenants[tenant_id]
        return settings.org

    return resolve


def check_orgs(settings: Settings, content: Content) -> None:
    """Refuse to start when the configuration names an organisation without a pack."""
    known = ", ".join(sorted(content.packs))
    if settings.org and settings.org not in content.packs:
        raise SettingsError(f"unknown organisation '{settings.org}' (known: {known})")
    for tenant, org in settings.tenants.items():
        if org not in content.packs:
            raise SettingsError(
                f"INTEGRITEITSBOT_TENANTS: tenant {tenant} maps to unknown organisation '{org}' (known: {known})"
            )


async def healthz(request: web.Request) -> web.Response:
    """Liveness and what is loaded: each pack with its number of sections."""
    content = request.app[CONTENT]
    settings = request.app[SETTINGS]
    return web.json_response(
        {
            "status": "ok",
            "packs": {org: len(pack.code.sections) for org, pack in sorted(content.packs.items())},
            "org": settings.org,
            "dev_mode": settings.dev_mode,
        }
    )


def create_app(settings: Settings, content: Content | None = None) -> web.Application:
    """Build the service; raises ContentError or SettingsError when it must not start."""
    content = content or load_content(settings.content_dir)
    check_orgs(settings, content)
    conversation = Conversation.build(content)
    app = web.Application()
    app[SETTINGS] = settings
    app[CONTENT] = content
    app[CONVERSATION] = conversation
    bot = TeamsBot(conversation, org_resolver(settings))
    app.router.add_post("/api/messages", messages_handler(make_adapter(settings), bot))
    app.router.add_get("/healthz", healthz)
    log.info(
        "ready: packs %s, org %s, %s",
        ", ".join(f"{org} ({len(p.code.sections)})" for org, p in sorted(content.packs.items())),
        settings.org or "per tenant",
        "development mode (no authentication)" if settings.dev_mode else "authenticated",
    )
    return app
