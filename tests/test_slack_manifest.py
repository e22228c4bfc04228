"""The Slack app manifest in deploy/slack/ agrees with the service: one https route, the command, events and scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app import create_app
from bot.channels.slack.bot import COMMAND
from bot.conversation.commands import CODE_COMMAND, FLOW_COMMANDS, HELP_WORDS
from bot.knowledge.packs import Content
from bot.settings import Settings

MANIFEST_PATH = Path(__file__).parent.parent / "deploy" / "slack" / "manifest.yaml"
ROUTE = "/slack/events"
PLACEHOLDER_HOST = "integriteitsbot.example.org"
# The minimal bot scopes; each one is justified by a comment in the manifest.
SCOPES = {
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "app_mentions:read",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
}
BOT_EVENTS = {"app_mention", "message.im"}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    """The manifest as Slack reads it."""
    return yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))


def urls(manifest: dict[str, Any]) -> list[str]:
    """Every request URL in the manifest: slash commands, events, interactivity."""
    settings = manifest["settings"]
    found = [command["url"] for command in manifest["features"]["slash_commands"]]
    found.append(settings["event_subscriptions"]["request_url"])
    found.append(settings["interactivity"]["request_url"])
    return found


def test_every_url_is_the_https_slack_route(manifest: dict[str, Any]) -> None:
    """Slash command, Events API and interactivity all go to https://<host>/slack/events, with the placeholder."""
    found = urls(manifest)
    assert len(found) == 3
    for url in found:
        assert url == f"https://{PLACEHOLDER_HOST}{ROUTE}"


def test_the_service_serves_the_route(content: Content) -> None:
    """The service registers POST /slack/events, the one route the manifest names."""
    app = create_app(Settings(), content)
    routes = {(route.method, route.resource.canonical) for route in app.router.routes() if route.resource}
    assert ("POST", ROUTE) in routes


def test_one_slash_command_as_the_bot_handles_it(manifest: dict[str, Any]) -> None:
    """The only slash command is /integriteit, the one the bot listens to, with its text unescaped."""
    commands = manifest["features"]["slash_commands"]
    assert [command["command"] for command in commands] == [COMMAND] == ["/integriteit"]
    assert commands[0]["should_escape"] is False
    assert commands[0]["description"] and len(commands[0]["description"]) <= 2000


def test_usage_hint_names_only_words_the_bot_understands(manifest: dict[str, Any]) -> None:
    """Every word in the usage hint is a flow, a code command or help for the bot."""
    hint = manifest["features"]["slash_commands"][0]["usage_hint"]
    for option in (part.strip() for part in hint.split("|")):
        word = option.split()[0]
        if word.startswith("<"):
            continue  # <vraag>: a question in the user's own words
        assert word in FLOW_COMMANDS or word in HELP_WORDS or CODE_COMMAND.match(option), option


def test_bot_events_are_the_mention_and_the_dm(manifest: dict[str, Any]) -> None:
    """The bot hears only an @mention and messages in its DM, nothing else said in channels."""
    events = manifest["settings"]["event_subscriptions"]
    assert set(events["bot_events"]) == BOT_EVENTS
    assert len(events["bot_events"]) == len(BOT_EVENTS)
    assert "user_events" not in events


def test_scopes_are_the_minimal_set(manifest: dict[str, Any]) -> None:
    """The bot asks exactly the minimal scopes, no duplicates and no user scopes."""
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}
    assert set(scopes["bot"]) == SCOPES
    assert len(scopes["bot"]) == len(SCOPES)


def test_scopes_are_justified_in_comments() -> None:
    """Each scope line in the manifest carries a comment saying why it is needed."""
    lines = [line.strip() for line in MANIFEST_PATH.read_text(encoding="utf-8").splitlines()]
    for scope in SCOPES:
        line = next(line for line in lines if line.startswith(f"- {scope} ") or line == f"- {scope}")
        assert "#" in line and line.split("#", 1)[1].strip(), scope


def test_bot_user_and_app_home(manifest: dict[str, Any]) -> None:
    """The bot is called Integriteitsbot, is always online, and users can write to it in its messages tab."""
    features = manifest["features"]
    assert features["bot_user"] == {"display_name": "Integriteitsbot", "always_online": True}
    assert features["app_home"] == {
        "home_tab_enabled": False,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,
    }


def test_settings_use_http_endpoints_not_socket_mode(manifest: dict[str, Any]) -> None:
    """Requests arrive over HTTPS with interactivity on; no socket mode, org-wide deploy or token rotation."""
    settings = manifest["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False


def test_descriptions_fit_slack_limits(manifest: dict[str, Any]) -> None:
    """The name fits 35 characters, the description 140, and a long description 175 to 4000."""
    info = manifest["display_information"]
    assert info["name"] == "Integriteitsbot" and len(info["name"]) <= 35
    assert 1 <= len(info["description"]) <= 140
    assert "deontologische code" in info["description"]
    if "long_description" in info:
        assert 175 <= len(info["long_description"]) <= 4000
