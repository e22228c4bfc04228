"""Authentication for /api/messages: botbuilder's token validation, every failure a 401, clients from the pool."""

from __future__ import annotations

import asyncio
import logging

from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient

from bot.channels.teams.connector import ConnectorPool
from bot.channels.teams.keys import FETCH_TIMEOUT

log = logging.getLogger(__name__)

AUTH_TIMEOUT = 2 * FETCH_TIMEOUT + 1  # a backstop: the key cache bounds each fetch, a token may need two lookups


class Unauthorized(Exception):
    """The request's token is missing or invalid, or cannot be checked now; the endpoint answers 401."""


def app_id_of(claims: ClaimsIdentity) -> str:
    """The bot's app id a request was addressed to, as botbuilder reads it (audience, else appid claim)."""
    app_id = claims.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
    if app_id is None:
        app_id = claims.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
    return app_id if isinstance(app_id, str) else ""


class PooledAuthentication(BotFrameworkAuthentication):
    """Delegates to botbuilder's authentication, but hands out connector and user-token clients from a pool."""

    def __init__(self, inner: BotFrameworkAuthentication, pool: ConnectorPool) -> None:
        self._inner = inner
        self._pool = pool

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        """Validate the request's token (botbuilder), with a connector factory from the pool."""
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._pool.factory(result.connector_factory, app_id_of(result.claims_identity))
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        """Unused (no streaming endpoint); delegated."""
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        """Connector factory for proactive messages, from the pool."""
        inner = self._inner.create_connector_factory(claims_identity)
        return self._pool.factory(inner, app_id_of(claims_identity))

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        """One user-token client per app id instead of one per turn."""
        return await self._pool.user_token_client(
            app_id_of(claims_identity), lambda: self._inner.create_user_token_client(claims_identity)
        )

    def create_bot_framework_client(self) -> BotFrameworkClient:
        """Delegated."""
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        """Delegated."""
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        """Delegated."""
        return await self._inner.authenticate_channel_request(auth_header)


async def authenticate(auth: BotFrameworkAuthentication, activity: Activity, header: str) -> AuthenticateRequestResult:
    """botbuilder's authentication, with every way it can fail (plain exceptions included) as Unauthorized."""
    try:
        async with asyncio.timeout(AUTH_TIMEOUT):
            return await auth.authenticate_request(activity, header)
    except asyncio.CancelledError:
        raise
    except TimeoutError:
        raise Unauthorized(f"token check took more than {AUTH_TIMEOUT:.0f} s") from None
    except Exception as exc:  # botbuilder raises PermissionError, jwt errors, IndexError, KeyError, plain Exception
        detail = str(exc)[:200]  # may quote the token's claims: repr keeps a forger's newlines out of the log
        raise Unauthorized(f"{type(exc).__name__}: {detail!r}" if detail else type(exc).__name__) from None
