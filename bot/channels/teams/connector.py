"""Outbound Bot Connector calls: one aiohttp session, short timeouts, at most one retry, clients cached per URL.

botframework-connector sends with `requests` in asyncio's small default executor, retries inside the request for
about 10 s, and builds two msrest clients per turn. Here every connector client sends through an async aiohttp
sender (no thread is held while a peer is slow), each call has a deadline, and clients are kept per service URL.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AppCredentials, AuthenticationConstants, ConnectorFactory
from msrest.exceptions import ClientRequestError
from msrest.pipeline import AsyncHTTPPolicy, AsyncHTTPSender, AsyncPipeline, Request, Response
from msrest.pipeline.universal import RawDeserializer
from msrest.universal_http import AsyncClientResponse, ClientRequest
from multidict import CIMultiDict

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 3.0  # seconds to open a connection (or wait for one from the pool)
TOTAL_TIMEOUT = 10.0  # seconds for one call to the connector, retry included
MAX_RETRIES = 1  # only when the request surely did not arrive (no connection) or the connector asks for it
RETRY_STATUSES = frozenset({429, 502, 503, 504})
RETRY_DELAY = 0.5
MAX_RETRY_AFTER = 2.0
TOKEN_TIMEOUT = 10.0  # seconds to get an outbound access token (MSAL is synchronous: run in a small thread pool)
MAX_CLIENTS = 256  # connector clients kept, least recently used first out
LIMIT_PER_HOST = 64  # open connections per connector host, so one stuck host cannot take every socket
MAX_RESPONSE_BYTES = 1024 * 1024


class ConnectorUnavailable(ClientRequestError):
    """The Bot Connector could not be reached, or did not answer, in time; the reply was probably not delivered."""


def _host(url: str) -> str:
    """Scheme, host and port of a URL: enough to say which connector failed, without conversation ids."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class _Response(AsyncClientResponse):
    """A connector response read into memory, as msrest's deserialiser expects."""

    def __init__(self, request: ClientRequest, response: aiohttp.ClientResponse, body: bytes) -> None:
        super().__init__(request, response)
        self.status_code = response.status
        self.headers = CIMultiDict(response.headers)
        self.reason = response.reason
        self._body = body

    def body(self) -> bytes:
        """The whole response body."""
        return self._body


class AioHttpSender(AsyncHTTPSender):
    """msrest pipeline sender over a shared aiohttp session, with a deadline per call and at most one retry."""

    def __init__(self, session: Callable[[], aiohttp.ClientSession]) -> None:
        self._session = session

    async def __aenter__(self) -> AioHttpSender:
        return self

    async def __aexit__(self, *exc_details: object) -> None:
        return None

    async def send(self, request: Request, **kwargs: Any) -> Response:
        """Send one request; raises ConnectorUnavailable when the connector cannot be reached in time."""
        http: ClientRequest = request.http_request
        headers = {k: v for k, v in http.headers.items() if k.lower() != "content-length"}
        data = http.data.encode("utf-8") if isinstance(http.data, str) else http.data
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TOTAL_TIMEOUT
        attempt = 0
        while True:
            remaining = deadline - loop.time()
            timeout = aiohttp.ClientTimeout(total=remaining, connect=min(CONNECT_TIMEOUT, remaining))
            try:
                async with self._session().request(
                    http.method, http.url, headers=headers, data=data, timeout=timeout, allow_redirects=False
                ) as response:
                    body = await response.content.read(MAX_RESPONSE_BYTES)
                    result = _Response(http, response, body)
            except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
                # No connection was made, so the connector never saw the request: a retry cannot duplicate it.
                problem, delay = f"no connection ({type(exc).__name__})", RETRY_DELAY
            except (TimeoutError, aiohttp.ClientError) as exc:
                # The request may have arrived; retrying could post the same reply twice, so give up here.
                raise ConnectorUnavailable(f"{_host(http.url)}: {type(exc).__name__} after sending") from exc
            else:
                if result.status_code not in RETRY_STATUSES or attempt >= MAX_RETRIES:
                    return Response(request, result)
                problem, delay = f"HTTP {result.status_code}", _retry_after(result)
            attempt += 1
            if attempt > MAX_RETRIES or deadline - loop.time() < delay + 0.1:
                raise ConnectorUnavailable(f"{_host(http.url)}: {problem}")
            log.info("connector %s: %s, retrying once", _host(http.url), problem)
            await asyncio.sleep(delay)


def _retry_after(response: _Response) -> float:
    try:
        return min(max(float(response.headers.get("Retry-After", RETRY_DELAY)), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return RETRY_DELAY


class BearerPolicy(AsyncHTTPPolicy):
    """Adds the bot's access token; MSAL's synchronous token call runs in a small dedicated pool, with a timeout."""

    def __init__(self, credentials: object, executor: ThreadPoolExecutor) -> None:
        super().__init__()
        self._credentials = credentials
        self._executor = executor

    async def send(self, request: Request, **kwargs: Any) -> Response:
        """Set the Authorization header (when the bot has an app id), then pass the request on."""
        header = await self._header()
        if header:
            request.http_request.headers["Authorization"] = header
        return await self.next.send(request, **kwargs)

    async def _header(self) -> str | None:
        credentials = self._credentials
        if isinstance(credentials, AppCredentials):
            app_id = credentials.microsoft_app_id
            if not app_id or app_id == AuthenticationConstants.ANONYMOUS_SKILL_APP_ID:
                return None  # development mode: botbuilder sends no token either
            call: Callable[[], object] = credentials.get_access_token
        elif hasattr(credentials, "signed_session"):

            def call() -> object:
                return credentials.signed_session().headers.get("Authorization")

        else:
            return None
        loop = asyncio.get_running_loop()
        try:
            token = await asyncio.wait_for(loop.run_in_executor(self._executor, call), TOKEN_TIMEOUT)
        except TimeoutError:
            raise ConnectorUnavailable(f"no access token within {TOKEN_TIMEOUT:.0f} s") from None
        if isinstance(credentials, AppCredentials):
            return f"Bearer {token}"
        return token if isinstance(token, str) else None


class ConnectorPool:
    """Connector clients per (service URL, app id, audience), least recently used evicted, all on one session."""

    def __init__(self) -> None:
        self._clients: OrderedDict[tuple[str, str, str], ConnectorClient] = OrderedDict()
        self._user_token_clients: dict[str, object] = {}
        self._session: aiohttp.ClientSession | None = None
        self._tokens = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bot-token")

    def session(self) -> aiohttp.ClientSession:
        """The shared aiohttp session, opened on first use (inside the running loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=0, limit_per_host=LIMIT_PER_HOST)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=True)
        return self._session

    def factory(self, inner: ConnectorFactory, app_id: str | None) -> ConnectorFactory:
        """A connector factory that reuses this pool's clients and builds missing ones with `inner`."""
        return PooledConnectorFactory(self, inner, app_id or "")

    async def client(
        self, key: tuple[str, str, str], build: Callable[[], Awaitable[ConnectorClient]]
    ) -> ConnectorClient:
        """The cached client for a key, or a new one built by `build`, switched to the async sender."""
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = await build()
        # botbuilder's client sends through requests in threads; swap in the async pipeline (same policies).
        config = client.config
        policies = [config.user_agent_policy, BearerPolicy(config.credentials, self._tokens), RawDeserializer()]
        config.pipeline = AsyncPipeline([*policies, config.http_logger_policy], AioHttpSender(self.session))
        self._clients[key] = client
        while len(self._clients) > MAX_CLIENTS:
            self._clients.popitem(last=False)
        return client

    async def user_token_client(self, app_id: str, build: Callable[[], Awaitable[object]]) -> object:
        """The cached user-token client for an app id (the bot uses no sign-in; botbuilder builds one per turn)."""
        client = self._user_token_clients.get(app_id)
        if client is None:
            client = self._user_token_clients[app_id] = await build()
        return client

    async def close(self) -> None:
        """Close the session and the token threads."""
        if self._session is not None:
            await self._session.close()
        self._clients.clear()
        self._tokens.shutdown(wait=False, cancel_futures=True)


class PooledConnectorFactory(ConnectorFactory):
    """botbuilder's ConnectorFactory, answered from the pool."""

    def __init__(self, pool: ConnectorPool, inner: ConnectorFactory, app_id: str) -> None:
        self._pool = pool
        self._inner = inner
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        """A connector client for a service URL and audience, reused across turns."""
        return await self._pool.client(
            (service_url, self._app_id, audience or ""), lambda: self._inner.create(service_url, audience)
        )
