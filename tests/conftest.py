"""Shared fixtures: loaded content, a fake Bot Connector, and the bot served on loopback."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.content import Content, load_content
from bot.settings import Settings


@pytest.fixture(scope="session")
def content() -> Content:
    """The shipped content packs, loaded and validated once."""
    return load_content()


@dataclass
class FakeConnector:
    """A local stand-in for the Bot Connector service that records every activity the bot sends."""

    server: TestServer | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def url(self) -> str:
        """The serviceUrl to put in incoming activities."""
        assert self.server is not None
        return str(self.server.make_url("/"))

    async def _record(self, request: web.Request) -> web.Response:
        activity = await request.json()
        activity["_path"] = request.path
        activity["_auth"] = request.headers.get("Authorization")
        self.sent.append(activity)
        return web.json_response({"id": f"reply-{next(self.ids)}"})

    def app(self) -> web.Application:
        """The connector's routes: reply to an activity, or send to a conversation."""
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._record)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._record)
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
            "timestamp": "2026-11-23T10:00:00.000Z",
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
    """Settings for tests: loopback, development mode unless an app id is given."""
    values: dict[str, Any] = {"host": "127.0.0.1", "port": 0, "org": "kortrijk"}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def start_bot(connector: FakeConnector, content: Content):
    """Factory: serve the bot with given settings on loopback and return a Bot to talk to it."""
    started: list[tuple[TestServer, ClientSession]] = []

    async def start(**overrides: Any) -> Bot:
        server = TestServer(create_app(make_settings(**overrides), content), host="127.0.0.1")
        await server.start_server()
        http = ClientSession()
        started.append((server, http))
        return Bot(server, connector, http)

    yield start
    for server, http in started:
        await http.close()
        await server.close()


@pytest.fixture
async def bot(start_bot) -> Bot:
    """The bot for Stad Kortrijk in development mode."""
    return await start_bot()
