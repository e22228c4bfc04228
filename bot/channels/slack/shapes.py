"""What a Slack payload must look like before bolt and the bot read it: a malformed one gets 400, never a crash."""

from __future__ import annotations

from typing import Any

TEXT_FIELDS = ("team_id", "user_id", "channel_id", "text", "trigger_id", "response_url", "user_name")


# Top-level parts bolt itself reads before any listener runs, and the kind each must be.
OBJECTS = ("team", "user", "channel", "container", "message", "view", "state", "enterprise", "event")
TEXTS = ("type", "team_id", "api_app_id", "enterprise_id", "response_url", "trigger_id", "token")
VIEW_TEXTS = ("id", "hash", "callback_id", "private_metadata", "type", "team_id", "app_id", "bot_id")
BUTTONS_WITH_ANSWERS = ("choice:", "notify:", "pick_person")  # answered through the message's response URL


def problem(body: Any) -> str | None:
    """Why a parsed Slack request cannot be handled, or None when its shape is one the bot reads."""
    if not isinstance(body, dict):
        return "the body is no object"
    for name in OBJECTS:
        if body.get(name) is not None and not isinstance(body[name], dict):
            return f"its {name} is no object"
    if "event" in body and not isinstance(body["event"], dict):  # bolt reads it as an object even when null
        return "its event is no object"
    for name in TEXTS:
        if body.get(name) is not None and not isinstance(body[name], str):
            return f"its {name} is no text"
    if body.get("authorizations") is not None and not (
        isinstance(body["authorizations"], list) and all(isinstance(item, dict) for item in body["authorizations"])
    ):
        return "its authorizations are no list of objects"
    if body.get("response_url") and not body["response_url"].startswith(("https://", "http://")):
        return "its response URL is no web address"
    if "command" in body:
        return _command(body)
    kind = body.get("type")
    if kind == "event_callback":
        return _event(body)
    if kind in ("block_actions", "view_submission", "view_closed"):
        return _interaction(body)
    return None  # url_verification, ssl_check and kinds the bot has no listener for: bolt answers those


def _command(body: dict[str, Any]) -> str | None:
    if not all(isinstance(body.get(name, ""), str) for name in ("command", *TEXT_FIELDS)):
        return "a slash command field is no text"
    if not body.get("response_url") or not body.get("user_id") or not body.get("team_id"):
        return "a slash command without its user, workspace or response URL"
    return None


def _event(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "an event callback without an event"
    # Only the events the bot reads are checked further: another kind is Slack's to send and bolt's to ignore.
    reads = event["type"] in ("message", "app_mention")
    if reads and not all(isinstance(event.get(name, ""), str) for name in ("user", "channel", "text", "ts", "subtype")):
        return "a message event field is no text"
    return None


def _interaction(body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return "an interaction without its user"
    view = body.get("view") or {}
    if any(view.get(name) is not None and not isinstance(view[name], str) for name in VIEW_TEXTS):
        return "a form with a field that is no text"
    if body["type"] != "block_actions" and not (isinstance(view.get("callback_id"), str) and view.get("id")):
        return "a form event without its form"
    for state in (view.get("state"), body.get("state")):
        if state is not None and not (isinstance(state, dict) and isinstance(state.get("values", {}), dict)):
            return "a form whose answers are no object"
    if body["type"] != "block_actions":
        return None
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        return "a button press without its button"
    for action in actions:
        if not isinstance(action, dict) or not isinstance(action.get("action_id"), str):
            return "a button press without its button"
        if action["action_id"].startswith(BUTTONS_WITH_ANSWERS) and not body.get("response_url"):
            return "a button press on a message without its response URL"
        if action["action_id"].startswith("modal_choice:") and not view.get("id"):
            return "a button press in a form without its form"
    return None
