"""Through which channel a recipient is reached: Teams, Slack or e-mail where configured, else the log."""

from __future__ import annotations

from typing import Any

LOG_CHANNEL = "log"
CHANNEL_KEYS = (("msteams", "teams_aad_id"), ("slack", "slack_user_id"), ("email", "email"))  # in order of preference


def pick_channel(recipient: dict[str, Any], available: set[str], tried: set[str] | None = None) -> str:
    """The channel registered for this recipient: Teams, Slack or e-mail when available (and not tried yet),
    else the log."""
    for channel, key in CHANNEL_KEYS:
        if channel in available and channel not in (tried or set()) and recipient.get(key):
            return channel
    return LOG_CHANNEL
