"""The aiohttp application: wires content, storage, conversation, channels and the outbox worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from bot.cases.reminders import DeadlineWatch
from bot.cases.retention import Retention
from bot.channels.slack.deliverer import SlackDeliverer
from bot.channels.slack.endpoint import SlackEndpoint
from bot.channels.slack.polls import SlackPoster
from bot.channels.teams.addresses import AddressBook
from bot.channels.teams.deliverer import TeamsDeliverer
from bot.channels.teams.endpoint import TeamsEndpoint
from bot.channels.teams.handler import TeamsBot
from bot.channels.teams.polls import TeamsPoster
from bot.clock import Clock
from bot.conversation.dispatch import Conversation
from bot.delivery.email import EmailDeliverer, SmtpSettings
from bot.delivery.outbox import Channel, LogChannel, OutboxWorker
from bot.delivery.recipients import LOG_CHANNEL
from bot.knowledge.content import load_content
from bot.knowledge.directory import Directory, DirectoryError, load_directory
from bot.knowledge.packs import Content
from bot.practice.polls import Poster
from bot.reports.kept import snapshot
from bot.settings import Settings, SettingsError
from bot.storage.store import Store

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SETTINGS = web.AppKey("settings", Settings)
CONTENT = web.AppKey("content", Content)
DIRECTORY = web.AppKey("directory", Directory)
STORE = web.AppKey("store", Store)
CONVERSATION = web.AppKey("conversation", Conversation)
WORKER = web.AppKey("worker", OutboxWorker)
TEAMS = web.AppKey("teams", Handler)
SLACK = web.AppKey("slack", Handler)
CLOCK = web.AppKey("clock", Clock)


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
    for team, org in settings.slack_teams.items():
        if org not in content.packs:
            raise SettingsError(
                f"INTEGRITEITSBOT_SLACK_TEAMS: team {team} maps to unknown organisation '{org}' (known: {known})"
            )


def report_directory(directory: Directory, content: Content) -> None:
    """Warn about a demo contacts file and every role that receives cases with nobody configured."""
    if directory.demo:
        log.warning(
            "contacts: %s is the FICTIONAL demo file; set INTEGRITEITSBOT_CONTACTS for real use", directory.source
        )
    for org, role in directory.unstaffed(content):
        log.warning("contacts: %s role '%s' receives cases but has nobody configured", org, role)


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


READY_TIMEOUT = 2.0  # seconds the database may take to answer a readiness probe


async def readyz(request: web.Request) -> web.Response:
    """Readiness, apart from liveness: the database answers, the packs are loaded and the migrations are current;
    503 with what is missing otherwise, so a load balancer sends no traffic to this replica yet."""
    from bot.storage.migrate import current_revision, head_revision

    checks = {"packs": bool(request.app[CONTENT].packs), "database": False, "migrations": False}
    store = request.app.get(STORE)
    if store is not None:
        try:
            revision = await asyncio.wait_for(current_revision(store.engine), READY_TIMEOUT)
            checks["database"] = True
            checks["migrations"] = revision == head_revision()
        except Exception as error:  # unreachable, refused, timed out: not ready, said without details
            log.warning("readiness: the database does not answer (%s)", type(error).__name__)
    ready = all(checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    return web.json_response(body, status=200 if ready else 503)


async def metrics_page(request: web.Request) -> web.Response:
    """Prometheus metrics; the outbox and the deadlines are read from the database at each scrape."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from bot import metrics
    from bot.cases.reminders import overdue

    store, content = request.app.get(STORE), request.app[CONTENT]
    if store is not None:
        try:
            count, oldest = await asyncio.wait_for(store.due_summary(), READY_TIMEOUT)
            metrics.OUTBOX_DUE.set(count)
            now = store.clock.now()
            metrics.OUTBOX_AGE.set((now - oldest).total_seconds() if oldest is not None else 0.0)
            cases = await asyncio.wait_for(store.cases_with_terms(), READY_TIMEOUT)
            today = store.clock.today()
            packs = content.packs
            metrics.OVERDUE.set(sum(1 for case in cases if case.org in packs and overdue(packs[case.org], case, today)))
        except Exception as error:  # the gauges keep their last values; readiness says the database is away
            log.warning("metrics: the database does not answer (%s)", type(error).__name__)
    body = generate_latest(metrics.REGISTRY)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


TEAMS_OFF = "Teams staat niet aan op deze dienst."


async def api_messages(request: web.Request) -> web.StreamResponse:
    """Teams: the Bot Framework messaging endpoint; 404 when Teams is off (no app id, no development mode)."""
    handler = request.app.get(TEAMS)
    if handler is None:
        log.info("rejected /api/messages: 404 (Teams is off)")
        return web.Response(status=404, text=TEAMS_OFF)
    return await handler(request)


def announce_teams(settings: Settings) -> None:
    """Say at start-up how /api/messages stands: loud in development mode, one line when it is off."""
    if settings.dev_mode:
        log.warning(
            "DEVELOPMENT MODE (INTEGRITEITSBOT_DEV): authentication is OFF, /api/messages accepts anything from "
            "anyone who can reach this host. Not for real use."
        )
    elif not settings.teams:
        log.info("Teams is off: no MicrosoftAppId (and no INTEGRITEITSBOT_DEV), so /api/messages answers 404")


async def slack_events(request: web.Request) -> web.StreamResponse:
    """Slack: slash commands, interactivity and the Events API, on one URL."""
    handler = request.app.get(SLACK)
    if handler is None:
        log.warning("a request for Slack arrived, but Slack is off (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET unset)")
        return web.json_response({"error": "Slack is not configured on this service"}, status=404)
    return await handler(request)


async def services(app: web.Application) -> AsyncIterator[None]:
    """Open the database (migrating it), build the conversation, run the outbox worker; close on exit."""
    settings, content, directory = app[SETTINGS], app[CONTENT], app[DIRECTORY]
    store = await Store.open(settings.database_url, app[CLOCK], **settings.store_options)
    # The conversation says "krijgt een bericht" only for a recipient some configured channel reaches.
    channel_names = {LOG_CHANNEL, *settings.notification_channels}
    conversation = Conversation.build(content, store, directory, channel_names)
    resolve = org_resolver(settings)
    teams = None
    if settings.teams:
        addresses = AddressBook(store, directory, resolve)
        teams = TeamsEndpoint(settings, TeamsBot(conversation, resolve, settings.app_id), addresses)
        app[TEAMS] = teams.handle
    channels: dict[str, Channel] = {LOG_CHANNEL: LogChannel()}
    if teams is not None and "msteams" in channel_names:
        channels["msteams"] = TeamsDeliverer(
            teams.adapter,
            settings.app_id,
            store,
            settings.tenants,
            settings.teams_service_url,
            staff=lambda org, aad: bool(directory.roles_of(org, "msteams", aad)),
        )
    slack = SlackEndpoint(settings, conversation) if "slack" in channel_names else None
    if slack is not None:
        channels["slack"] = SlackDeliverer(slack.outbox_client)
        app[SLACK] = slack.handle
        slack.start()
    if "email" in channel_names:
        channels["email"] = EmailDeliverer(SmtpSettings.of(settings), store.clock)
    posters: dict[str, Poster] = {}
    if teams is not None:
        posters["msteams"] = TeamsPoster(teams.adapter, settings.app_id)
    if slack is not None:
        posters["slack"] = SlackPoster(slack.outbox_client)
    deadlines = DeadlineWatch(store, content, directory, channel_names)

    async def watch() -> int:
        """Hourly: deadline reminders, signing reminders, dilemma polls to close and scheduled ones to post."""
        done = await deadlines.run_once()
        done += await conversation.campaigns.remind() if conversation.campaigns is not None else 0
        return done + (await conversation.polls.run_once(posters) if conversation.polls is not None else 0)

    retention = Retention(store, content, settings.retention_years, figures=snapshot)
    worker = OutboxWorker(store, channels, interval=settings.outbox_interval, watch=watch, retention=retention.daily)
    app[STORE], app[WORKER], app[CONVERSATION] = store, worker, conversation
    task = asyncio.create_task(worker.run(), name="outbox-worker")
    announce_teams(settings)
    log.info(
        "ready: packs %s, org %s, Teams %s, Slack %s, notifications via %s, database %s",
        ", ".join(f"{org} ({len(p.code.sections)})" for org, p in sorted(content.packs.items())),
        settings.org or "per tenant",
        "in development mode (no authentication)" if settings.dev_mode else "on" if teams is not None else "off",
        "on" if slack is not None else "off",
        " and ".join(sorted(channels)),
        store.engine.url.render_as_string(hide_password=True),
    )
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if teams is not None:
            await teams.close()
        if slack is not None:
            await slack.close()
        await store.close()


def create_app(settings: Settings, content: Content | None = None, clock: Clock | None = None) -> web.Application:
    """Build the service; raises ContentError or SettingsError when it must not start; `clock` is for tests."""
    content = content or load_content(settings.content_dir)
    check_orgs(settings, content)
    try:
        directory = load_directory(settings.contacts_file, content, settings.mail_domains)
    except DirectoryError as exc:
        raise SettingsError(f"INTEGRITEITSBOT_CONTACTS: {exc}") from exc
    report_directory(directory, content)
    app = web.Application()
    app[SETTINGS] = settings
    app[CONTENT] = content
    app[DIRECTORY] = directory
    app[CLOCK] = clock or Clock()
    app.cleanup_ctx.append(services)
    app.router.add_post("/api/messages", api_messages)
    app.router.add_post("/slack/events", slack_events)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_page)
    return app
