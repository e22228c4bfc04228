"""Who the bot is in Slack, for bolt's `authorize`: the token from the settings, the bot's own ids from one auth.test
made in the background, so no request ever waits on Slack's Web API before it is acknowledged."""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import ClientError
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.identity import slack_error

log = logging.getLogger(__name__)

RETRY_AFTER = 60.0  # seconds between two tries of auth.test while it fails; a request starts the next one


class BotIdentity:
    """The bot token and, once Slack has said so, the bot's user id, bot id and workspace.

    bolt's built-in single-workspace authorization calls auth.test on the first request, before that request is
    acknowledged: with Slack's Web API slow or unreachable, Slack's 3 seconds run out, or the request fails. Here
    auth.test runs in the background from start-up; until it has answered, requests go on with the token alone
    (the ids only let bolt skip the bot's own events, which the bot also recognises by their bot_id)."""

    def __init__(self, token: str, client: AsyncWebClient) -> None:
        self._token = token
        self._client = client
        self._known: dict[str, str | None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._tried: float | None = None

    def start(self) -> None:
        """Ask Slack who the bot is, in the background, unless it is known, being asked, or was just asked."""
        if self._known is not None or (self._task is not None and not self._task.done()):
            return
        if self._tried is not None and time.monotonic() - self._tried < RETRY_AFTER:
            return
        self._tried = time.monotonic()
        self._task = asyncio.create_task(self._ask(), name="slack-auth-test")

    async def _ask(self) -> None:
        try:
            answer = await self._client.auth_test()
        except (ClientError, TimeoutError, SlackApiError) as exc:
            status = exc.response.status_code if isinstance(exc, SlackApiError) else None
            why = slack_error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
            if status is not None and status < 429:  # Slack answered and refused the token: replace it
                log.error("Slack refused the bot token in auth.test (%s): check SLACK_BOT_TOKEN", why)
            else:  # a line, no traceback: the service goes on, and tells Slack's requests apart by their bot_id
                log.warning(
                    "Slack's auth.test got no answer (%s); requests go on with the token alone; asked again on a "
                    "request after %.0f s",
                    why,
                    RETRY_AFTER,
                )
            return
        self._known = {key: answer.get(key) for key in ("user_id", "bot_id", "team_id", "enterprise_id")}
        log.info("Slack: the bot is %s in workspace %s", self._known["user_id"], self._known["team_id"])

    def result(self, enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        """What bolt's `authorize` answers, at once, from what is known; a failed auth.test is tried again behind it."""
        self.start()
        known = self._known or {}
        return AuthorizeResult(
            enterprise_id=enterprise_id or known.get("enterprise_id"),
            team_id=team_id or known.get("team_id"),
            bot_user_id=known.get("user_id"),
            bot_id=known.get("bot_id"),
            bot_token=self._token,
            user_id=user_id,
        )

    async def close(self) -> None:
        """Stop an auth.test still on its way (at shutdown)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
