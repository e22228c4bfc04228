"""The outbox's Slack deliverer: a notification as a DM from the bot, with the buttons its addressee acts on."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.blocks import notification
from bot.channels.slack.identity import slack_error
from bot.delivery.outbox import RetryLater, Undeliverable
from bot.storage.outbox_rows import tag

log = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = 30.0
# Errors no retry can mend: the person is not (or no longer) in the workspace, or the bot may not write to them.
PERMANENT = {
    "user_not_found",
    "users_not_found",
    "channel_not_found",
    "account_inactive",
    "user_disabled",
    "cannot_dm_bot",
    "is_archived",
}


def retry_after(error: SlackApiError) -> float:
    """Seconds Slack asks to wait after a rate limit (its Retry-After header)."""
    headers = {key.lower(): value for key, value in (error.response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(float(value), 0.0) if value is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


class SlackDeliverer:
    """Sends outbox rows as DMs to their recipient's Slack member id; raises so the outbox retries or falls back."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def deliver(self, row: Any) -> None:
        """Deliver one outbox row as a DM."""
        user = row.recipient.get("slack_user_id")
        if not user:
            raise Undeliverable("the recipient has no Slack member id")
        try:
            opened = await self._client.conversations_open(users=user)
            channel = (opened.get("channel") or {}).get("id")
            if not channel:
                raise Undeliverable("Slack opened no DM with the recipient")
            await self._client.chat_postMessage(channel=channel, **notification(row.card))
        except SlackApiError as exc:
            error = slack_error(exc)
            if exc.response.status_code == 429 or error == "ratelimited":
                raise RetryLater(f"Slack rate limit ({error})", retry_after(exc)) from None
            if error in PERMANENT:
                raise Undeliverable(f"Slack: {error}") from None
            raise RuntimeError(f"Slack answered {exc.response.status_code}: {error}") from None
        log.info("notification %s delivered in Slack", tag(row))
