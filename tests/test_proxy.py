"""Behind a web proxy (issue 19, point 13): the signing keys, the Bot Connector and the Slack Web API are all reached
through HTTP_PROXY / HTTPS_PROXY, and NO_PROXY is honoured."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp import ClientSession
from botframework.connector.auth import MicrosoftAppCredentials

from tests.conftest import PROXY_VARIABLES
from tests.forward_proxy import ForwardProxy
from tests.serving import healthz, serve, stop
from tests.slack_fakes import SECRET, TOKEN, FakeSlack, SlackClient, idle, settled
from tests.teams_fakes import APP_ID, KeyHost, Signer, channel_claims, point_botbuilder_at


@pytest.fixture
async def proxy() -> AsyncIterator[ForwardProxy]:
    """The forward proxy on a loopback port."""
    forward = await ForwardProxy().start()
    yield forward
    await forward.close()


def use_proxy(monkeypatch: pytest.MonkeyPatch, proxy: ForwardProxy, no_proxy: str = "") -> None:
    """Point the standard variables at the proxy; loopback is not exempted unless `no_proxy` says so."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    if no_proxy:
        monkeypatch.setenv("NO_PROXY", no_proxy)
    else:
        monkeypatch.delenv("NO_PROXY", raising=False)


@pytest.fixture
def signer() -> Signer:
    """The channel's signing key."""
    return Signer("key-teams", ("msteams",))


@pytest.fixture
def key_host(signer: Signer, monkeypatch: pytest.MonkeyPatch) -> Iterator[KeyHost]:
    """The local key host, with botbuilder pointed at it."""
    host = KeyHost([signer.jwk()])
    point_botbuilder_at(monkeypatch, host.metadata_url)
    yield host
    host.close()


def netloc(url: str) -> str:
    """host:port of a URL."""
    return urlsplit(url).netloc


async def test_teams_keys_replies_and_notifications_go_through_the_proxy(
    start_bot, proxy: ForwardProxy, key_host: KeyHost, signer: Signer, monkeypatch
) -> None:
    """Authenticated Teams behind the proxy: the key fetch, the reply to the connector and the notification's new
    chat all go through it, and work."""
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda _self, force_refresh=False: "token")
    use_proxy(monkeypatch, proxy)
    bot = await start_bot(app_id=APP_ID, app_password="secret", teams_service_url=None)
    headers = {"Authorization": f"Bearer {signer.token(channel_claims(bot.connector.url))}"}
    assert await bot.post(bot.activity(text="mag ik een geschenk aannemen?"), headers=headers) == 201
    assert bot.connector.sent, "the answer reached the connector"
    assert proxy.paths(netloc(key_host.url)) == ["/openid", "/keys"]
    connector_paths = proxy.paths(netloc(bot.connector.url))
    assert len(connector_paths) == len(bot.connector.sent)
    assert all(path.startswith("/v3/conversations/") for path in connector_paths)
    assert key_host.hits == ["/openid", "/keys"] and proxy.refused == []


async def test_no_proxy_is_honoured_for_teams(
    start_bot, proxy: ForwardProxy, key_host: KeyHost, signer: Signer, monkeypatch
) -> None:
    """With loopback in NO_PROXY, the same calls go direct: nothing reaches the proxy."""
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda _self, force_refresh=False: "token")
    use_proxy(monkeypatch, proxy, no_proxy="127.0.0.1,localhost")
    bot = await start_bot(app_id=APP_ID, app_password="secret")
    headers = {"Authorization": f"Bearer {signer.token(channel_claims(bot.connector.url))}"}
    assert await bot.post(bot.activity(text="help"), headers=headers) == 201
    assert bot.connector.sent and key_host.hits == ["/openid", "/keys"]
    assert proxy.seen == []


async def test_slack_web_api_goes_through_the_proxy_of_a_real_serve(
    tmp_path: Path, proxy: ForwardProxy, fake: FakeSlack
) -> None:
    """`integriteitsbot serve` with HTTP_PROXY in its environment: its Slack Web API calls and the answer to the
    response_url all go through the proxy."""
    env = {"HTTP_PROXY": proxy.url, "HTTPS_PROXY": proxy.url}  # the autouse fixture cleared the shell's own
    process, url, log = serve(
        tmp_path,
        INTEGRITEITSBOT_ORG="kortrijk",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        **env,
    )
    try:
        await healthz(process, url)
        async with ClientSession() as http:
            slack = SlackClient(http, f"{url}/slack/events", fake)
            await slack.command("mag ik een fles wijn aannemen?")
            await settled(lambda: fake.responses, within=15)
            await slack.dm("hallo")
            await settled(lambda: fake.of("chat.postMessage"), within=15)
            await idle(fake)
    finally:
        output = stop(process, log)
    assert "Traceback" not in output
    paths = proxy.paths(netloc(fake.api_url))
    api = [path for path in paths if path.startswith("/api/")]
    assert len(api) == len(fake.calls) and "/api/chat.postMessage" in api
    assert [path for path in paths if path.startswith("/respond/")] == [urlsplit(fake.responses[0]["_path"]).path]


async def test_no_proxy_is_honoured_for_the_slack_web_api(slack: SlackClient, fake: FakeSlack, proxy, monkeypatch):
    """slack_sdk alone sends every Web API call to HTTPS_PROXY; with loopback in NO_PROXY the bot's own calls go
    direct, auth.test included (made by the bot's own client since issue 19, no longer by slack-bolt's)."""
    use_proxy(monkeypatch, proxy, no_proxy="127.0.0.1")
    await slack.dm("hallo")
    await settled(lambda: fake.of("chat.postMessage"))
    await idle(fake)
    ours = [call.method for call in fake.calls]
    assert "chat.postMessage" in ours and "users.info" in ours and "auth.test" in ours
    assert proxy.paths(netloc(fake.api_url)) == []
