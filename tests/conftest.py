"""Shared fixtures: a fixed clock, loaded content, a fake Bot Connector, and the bot served on loopback."""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from botframework.connector.auth import AuthenticationConstants, ChannelValidation, JwtTokenExtractor

from bot.app import create_app
from bot.clock import BRUSSELS, Clock, FixedClock
from bot.conversation.dispatch import Conversation
from bot.knowledge.content import load_content
from bot.knowledge.directory import DEFAULT_CONTACTS_FILE, Directory, load_directory
from bot.knowledge.packs import Content
from bot.settings import Settings
from bot.storage.store import Store
from bot.vocabulary.turns import Reply, Turn, UserRef
from tests.install import installed  # noqa: F401 (a fixture: the wheel in a fresh environment)
from tests.slack_fakes import SECRET, TOKEN, FakeSlack, SlackClient, start_fake

# The suite never reads the wall clock: every test runs on this date, so it passes on any day, and setting the
# variable (INTEGRITEITSBOT_TEST_TODAY=2026-12-30) replays the whole suite around a month or year end.
TODAY_VARIABLE = "INTEGRITEITSBOT_TEST_TODAY"
DEFAULT_TODAY = date(2026, 11, 24)
OPENING_TIME = time(10)  # Brussels time, well clear of midnight in UTC and in Brussels


def fixed_today() -> date:
    """The date the tests run on: INTEGRITEITSBOT_TEST_TODAY (ISO date) or 2026-11-24."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return DEFAULT_TODAY
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TODAY_VARIABLE}={value!r} is not an ISO date such as 2026-12-30") from None


def reference(clock: FixedClock, prefix: str = "M", number: int = 1) -> str:
    """The reference a record filed today gets, such as M-2026-0001."""
    return f"{prefix}-{clock.today().year}-{number:04d}"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    """The clock of every test: 10:00 Brussels time on the test date; move it with `advance` or `moment`."""
    fixed = FixedClock(datetime.combine(fixed_today(), OPENING_TIME, BRUSSELS))
    # A Clock() built anywhere in the test process shows this moment too, so no code path reads the wall clock.
    monkeypatch.setattr(Clock, "now", lambda _self: fixed.now())
    return fixed


@pytest.fixture(autouse=True)
def no_key_host_but_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Network only to loopback: unless a test points them at its own fake, botbuilder's signing-key URLs lead to a
    closed loopback port, so no token in any test can make the service call Microsoft's key host."""
    closed = "http://127.0.0.1:9/openid"
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", closed)
    monkeypatch.setattr(AuthenticationConstants, "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL", closed)
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})


PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def no_proxy_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every outbound call honours the proxy variables, so a developer's own proxy settings are cleared: the tests
    reach their loopback fakes directly, unless a test sets a proxy of its own (tests/test_proxy.py)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped content packs, loaded and validated once."""
    return load_content()


@pytest.fixture(scope="session")
def directory(content: Content) -> Directory:
    """The shipped fictional demo contacts."""
    return load_directory(DEFAULT_CONTACTS_FILE, content)


@pytest.fixture
def database_url(tmp_path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite+aiosqlite:///{tmp_path}/integriteitsbot.db"


@pytest.fixture
async def store(database_url: str, clock: FixedClock, tmp_path) -> AsyncIterator[Store]:
    """The store on a fresh, migrated SQLite database, on the test clock, with a server secret of its own in the
    test's temp dir (beside the SQLite file; for PostgreSQL the data directory)."""
    opened = await Store.open(database_url, clock, data_dir=tmp_path)
    yield opened
    await opened.close()


@pytest.fixture
def conversation(content: Content, store: Store, directory: Directory, clock: FixedClock) -> Conversation:
    """The conversation on a fresh database, on the test clock."""
    return Conversation.build(content, store, directory, clock=clock)


@dataclass
class Chat:
    """One user in a one-to-one chat with the conversation, as the terminal or a channel would drive it."""

    conversation: Conversation
    org: str
    user: UserRef = field(default_factory=lambda: UserRef("msteams", "aad-user-7", "conv-7", name="Lies Janssens"))
    last: list[Reply] = field(default_factory=list)

    async def say(self, text: str) -> list[Reply]:
        """Type a message; returns the replies."""
        return await self._turn(Turn(org=self.org, user=self.user, text=text))

    def card_turn(self) -> Turn:
        """A turn of this user with nothing typed, as a card action comes in."""
        return Turn(org=self.org, user=self.user)

    async def _turn(self, turn: Turn) -> list[Reply]:
        # As a channel does: the replies are shown, then the conversation may forget the confirmation it kept.
        self.last = await self.conversation.handle(turn)
        await self.conversation.settle(turn, self.last)
        return self.last

    async def press(self, label_part: str) -> list[Reply]:
        """Press the button of the last replies whose label contains this text."""
        choices = [choice for reply in self.last for choice in reply.choices if label_part in choice.label]
        assert len(choices) == 1, (label_part, [c.label for r in self.last for c in r.choices])
        return await self._turn(Turn(org=self.org, user=self.user, value=choices[0].value))

    async def pick(self, person: str) -> list[Reply]:
        """Choose a person in the channel's people picker (in people's stored form, such as '[aad:<id>]')."""
        return await self._turn(Turn(org=self.org, user=self.user, picked=person))

    @property
    def text(self) -> str:
        """All text of the last replies."""
        return "\n\n".join(reply.text for reply in self.last)


@dataclass
class FakeConnector:
    """A local stand-in for the Bot Connector service that records every activity the bot sends."""

    server: TestServer | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    created: list[dict[str, Any]] = field(default_factory=list)  # conversations the bot opened proactively
    down: bool = False  # answer 503 to everything, as a connector outage
    hang: bool = False  # record each reply, then never answer
    members: list[dict[str, Any]] = field(default_factory=list)  # a team's roster, as GET .../members lists it
    updated: list[dict[str, Any]] = field(default_factory=list)  # activities the bot replaced (PUT)
    refuse: set[str] = field(default_factory=set)  # AAD ids for whom the app is not installed: a new chat gets 403

    @property
    def url(self) -> str:
        """The serviceUrl to put in incoming activities."""
        assert self.server is not None
        return str(self.server.make_url("/"))

    async def _record(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response({"error": "unavailable"}, status=503)
        activity = await request.json()
        activity["_path"] = request.path
        activity["_auth"] = request.headers.get("Authorization")
        self.sent.append(activity)
        if self.hang:  # took the reply and never answers: the bot is stuck sending it until the test kills it
            await asyncio.Event().wait()
        return web.json_response({"id": f"reply-{next(self.ids)}"})

    async def _create(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response({"error": "unavailable"}, status=503)
        parameters = await request.json()
        parameters["_path"] = request.path
        if any(member.get("aadObjectId") in self.refuse for member in parameters.get("members") or []):
            error = {"code": "BotNotInConversationRoster", "message": "The bot is not part of the conversation roster."}
            return web.json_response({"error": error}, status=403)
        self.created.append(parameters)
        return web.json_response({"id": f"a:created-{len(self.created)}", "activityId": f"created-{len(self.created)}"})

    async def _members(self, request: web.Request) -> web.Response:
        if self.down:
            return web.json_response({"error": "unavailable"}, status=503)
        return web.json_response(self.members)

    async def _update(self, request: web.Request) -> web.Response:
        activity = await request.json()
        activity["_path"] = request.path
        self.updated.append(activity)
        return web.json_response({"id": request.match_info["activity"]})

    def app(self) -> web.Application:
        """The connector's routes: reply to an activity, send to a conversation, create a conversation, list a
        team's members, or replace an activity."""
        app = web.Application()
        app.router.add_get("/v3/conversations/{conversation}/members", self._members)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._record)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._record)
        app.router.add_post("/v3/conversations", self._create)
        return app


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A running fake Bot Connector on a loopback port."""
    fake = FakeConnector()
    fake.server = TestServer(fake.app(), host="127.0.0.1")
    await fake.server.start_server()
    yield fake
    await fake.server.close()


@dataclass
class Bot:
    """The bot's HTTP service on loopback, with helpers to talk to it as Teams does."""

    server: TestServer
    connector: FakeConnector
    http: ClientSession
    clock: FixedClock
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def url(self, path: str) -> str:
        """Absolute URL of a path on the bot."""
        return str(self.server.make_url(path))

    def activity(self, **overrides: Any) -> dict[str, Any]:
        """A Teams personal-chat message activity, as the Bot Connector would post it."""
        number = next(self.counter)
        activity = {
            "type": "message",
            "id": f"act-{number}",
            "timestamp": self.clock.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {"id": "29:user-1", "name": "An Peeters", "aadObjectId": "aad-user-1"},
            "conversation": {"id": "a:conv-1", "conversationType": "personal", "tenantId": "tenant-demo"},
            "recipient": {"id": "28:bot", "name": "Integriteitsbot"},
            "locale": "nl-BE",
            "channelData": {"tenant": {"id": "tenant-demo"}},
        }
        activity.update(overrides)
        return activity

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        """Post an activity to /api/messages; returns the HTTP status."""
        async with self.http.post(self.url("/api/messages"), json=activity, headers=headers) as response:
            await response.read()
            return response.status

    async def say(self, text: str | None, **overrides: Any) -> list[dict[str, Any]]:
        """Send a message and return what the bot posted back to the connector for it."""
        before = len(self.connector.sent)
        activity = self.activity(**overrides)
        if text is not None:
            activity["text"] = text
        status = await self.post(activity)
        assert status in (200, 201), status
        return self.connector.sent[before:]


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: loopback, development mode (asked for explicitly) unless an app id is given or
    `dev_mode` says otherwise, a quick outbox worker."""
    values: dict[str, Any] = {"host": "127.0.0.1", "port": 0, "org": "kortrijk", "outbox_interval": 0.05}
    values["dev_mode"] = not overrides.get("app_id")
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def start_bot(connector: FakeConnector, content: Content, database_url: str, clock: FixedClock, tmp_path):
    """Factory: serve the bot with given settings on loopback, on the test clock, and return a Bot to talk to it."""
    started: list[tuple[TestServer, ClientSession]] = []

    async def start(**overrides: Any) -> Bot:
        overrides.setdefault("database_url", database_url)
        overrides.setdefault("data_dir", tmp_path)  # the test's own server secret, as the store fixture's
        server = TestServer(create_app(make_settings(**overrides), content, clock), host="127.0.0.1")
        await server.start_server()
        http = ClientSession()
        started.append((server, http))
        return Bot(server, connector, http, clock)

    yield start
    for server, http in started:
        await http.close()
        await server.close()


@pytest.fixture
async def bot(start_bot) -> Bot:
    """The bot for Stad Kortrijk in development mode."""
    return await start_bot()


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    """A running fake Slack Web API on a loopback port."""
    slack = await start_fake()
    yield slack
    assert slack.server is not None
    await slack.server.close()


@pytest.fixture
async def slack(start_bot, fake: FakeSlack) -> SlackClient:
    """The bot with Slack on (Teams notifications off), pointed at the fake Web API, and a client that signs."""
    bot = await start_bot(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url)
    return SlackClient(bot.http, bot.url("/slack/events"), fake)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path):
    """Run `integriteitsbot …` in this process on the test database and the injected clock; returns the exit code."""
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("INTEGRITEITSBOT_DATA_DIR", str(tmp_path))
    root = logging.getLogger()
    level = root.level
    yield lambda *argv: asyncio.to_thread(main, list(argv))  # main runs its own event loop
    root.setLevel(level)  # main configures logging for the process
