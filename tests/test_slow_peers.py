"""Slow neighbours: a hanging key host or an unreachable Bot Connector costs only the requests that need it."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botframework.connector.auth import _connector_factory_impl, _user_token_client_impl

from bot.channels.teams import connector, keys
from tests.teams_fakes import APP_ID, BlackHole, Signer, channel_claims, point_botbuilder_at


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    """A peer that accepts connections and never answers (each is dropped after 8 s, so old code cannot hang)."""
    hole = BlackHole(hold=8.0)
    yield hole
    hole.close()


async def timed(coroutine: Any) -> tuple[Any, float]:
    """The result of a coroutine and how long it took, in seconds."""
    start = time.perf_counter()
    result = await coroutine
    return result, time.perf_counter() - start


async def wait_for(condition: Any, seconds: float) -> bool:
    """Poll a condition on the event loop for up to `seconds`."""
    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.01)
    return True


async def healthz_latency(bot) -> float:
    async def get() -> int:
        async with bot.http.get(bot.url("/healthz")) as response:
            await response.read()
            return response.status

    status, seconds = await timed(get())
    assert status == 200
    return seconds


async def test_hanging_key_host_never_stalls_other_requests(start_bot, black_hole, monkeypatch, caplog):
    monkeypatch.setattr(keys, "FETCH_TIMEOUT", 1.0)
    point_botbuilder_at(monkeypatch, f"{black_hole.url}openid")
    bot = await start_bot(app_id=APP_ID, app_password="secret")
    token = Signer("key-x").token(channel_claims(bot.connector.url))
    headers = {"Authorization": f"Bearer {token}"}

    forged = [asyncio.create_task(timed(bot.post(bot.activity(text="hallo"), headers=headers))) for _ in range(5)]
    assert await wait_for(lambda: black_hole.accepted >= 1, 2.0)
    latencies = [await healthz_latency(bot) for _ in range(5)]
    assert not all(task.done() for task in forged), "the forged requests were still waiting for keys"
    assert max(latencies) < 1.0, latencies
    results = await asyncio.gather(*forged)
    assert [status for status, _ in results] == [401] * 5
    assert max(seconds for _, seconds in results) < keys.FETCH_TIMEOUT + 1.0
    assert black_hole.accepted == 1, "concurrent requests share one fetch"

    # The failure is cached: the next forged token is refused at once, without knocking on the key host again.
    status, seconds = await timed(bot.post(bot.activity(text="hallo"), headers=headers))
    assert status == 401 and seconds < 0.5
    assert black_hole.accepted == 1
    warnings = [r for r in caplog.records if r.name == keys.__name__ and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "refusing tokens" in warnings[0].getMessage()


async def test_black_hole_service_url_never_delays_other_users(bot, black_hole, monkeypatch, caplog):
    monkeypatch.setattr(connector, "TOTAL_TIMEOUT", 4.0)
    stuck = [
        asyncio.create_task(
            timed(
                bot.post(
                    bot.activity(
                        text="hallo",
                        serviceUrl=black_hole.url,
                        conversation={"id": f"a:stuck-{n}", "conversationType": "personal", "tenantId": "t"},
                        **{"from": {"id": f"29:stuck-{n}", "aadObjectId": f"aad-stuck-{n}"}},
                    )
                )
            )
        )
        for n in range(20)
    ]
    await wait_for(lambda: black_hole.accepted >= 20, 2.0)

    sent, seconds = await timed(bot.say("mag ik een geschenk aannemen?"))
    assert sent and "geschenk" in sent[0]["attachments"][0]["content"]["fallbackText"].lower()
    assert not any(task.done() for task in stuck), "the 20 requests were stuck while the other user was answered"
    assert seconds < 0.5, f"an ordinary turn took {seconds:.2f} s next to 20 stuck ones"

    results = await asyncio.gather(*stuck)
    assert [status for status, _ in results] == [201] * 20  # the turn error path: logged, Teams gets no 5xx
    assert max(s for _, s in results) < connector.TOTAL_TIMEOUT + 1.0
    assert black_hole.accepted == 20, "a request that may have arrived is not sent twice"
    errors = [r for r in caplog.records if "Bot Connector did not answer" in r.getMessage()]
    assert len(errors) == 20
    assert all(r.levelno == logging.ERROR and r.exc_info is None for r in errors)


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_refused_connection_is_retried_once_then_logged(bot, caplog):
    caplog.set_level(logging.INFO)
    url = f"http://127.0.0.1:{closed_port()}/"
    status, seconds = await timed(bot.post(bot.activity(text="hallo", serviceUrl=url)))
    assert status == 201
    assert seconds < 2.0
    [retry] = [r for r in caplog.records if "retrying once" in r.getMessage()]
    assert retry.levelno == logging.INFO
    errors = [r for r in caplog.records if "Bot Connector did not answer" in r.getMessage()]
    assert len(errors) == 1 and errors[0].exc_info is None


async def say_help_through(bot, reply_route) -> int:
    """Say "help" with a serviceUrl whose reply route is `reply_route`; the bot's HTTP status."""
    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", reply_route)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        return await bot.post(bot.activity(text="help", serviceUrl=str(server.make_url("/"))))
    finally:
        await server.close()


async def test_busy_connector_is_retried_once(bot):
    calls: list[str] = []

    async def busy_then_fine(request: web.Request) -> web.Response:
        calls.append(request.path)
        if len(calls) == 1:
            return web.json_response({"error": "busy"}, status=503, headers={"Retry-After": "0"})
        return web.json_response({"id": "reply-1"})

    assert await say_help_through(bot, busy_then_fine) == 201
    assert len(calls) == 2


async def test_connector_clients_are_built_once_per_service_url(bot, monkeypatch):
    built: list[str] = []

    class CountingConnector(_connector_factory_impl.ConnectorClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            built.append("connector")
            super().__init__(*args, **kwargs)

    class CountingTokenClient(_user_token_client_impl.TokenApiClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            built.append("user token")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(_connector_factory_impl, "ConnectorClient", CountingConnector)
    monkeypatch.setattr(_user_token_client_impl, "TokenApiClient", CountingTokenClient)
    for text in ("help", "hallo", "mag ik een geschenk aannemen?", "help", "de pers belt me"):
        assert await bot.say(text)
    assert sorted(built) == ["connector", "user token"]


async def test_a_service_url_that_answers_plain_text_is_logged_without_a_trace(bot, caplog):
    # What answers at the serviceUrl is no Bot Connector: a peer's fault, logged in one line, not a bug's trace.
    async def plain(request: web.Request) -> web.Response:
        return web.Response(text="ok", content_type="text/plain")

    assert await say_help_through(bot, plain) == 201
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "was not JSON" in errors[0].getMessage() and errors[0].exc_info is None
