"""Slack's settings: on only with both secrets, a checked API URL and workspace map, refused when they are wrong."""

from __future__ import annotations

import pytest

from bot.app import create_app
from bot.settings import DEFAULT_SLACK_API_URL, Settings, SettingsError
from tests.conftest import make_settings

BOTH = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret"}


def test_slack_is_on_with_both_secrets_and_off_without():
    """Both set: on, with Slack's own API URL; neither: off."""
    on = Settings.from_env(BOTH)
    assert on.slack and on.slack_api_url == DEFAULT_SLACK_API_URL
    assert not Settings.from_env({}).slack


@pytest.mark.parametrize("only", ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"])
def test_one_secret_alone_is_refused(only):
    """Half a configuration is a mistake worth a clear start-up error, not a silently dead route."""
    with pytest.raises(SettingsError, match="both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"):
        Settings.from_env({only: BOTH[only]})


def test_the_api_url_gets_its_slash_and_must_be_http():
    """slack_sdk joins method names onto the base URL, so it ends in a slash; anything but http(s) is refused."""
    assert Settings.from_env({**BOTH, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url.endswith("/api/")
    with pytest.raises(SettingsError, match="SLACK_API_URL"):
        Settings.from_env({**BOTH, "SLACK_API_URL": "slack.com/api"})


def test_the_workspace_map_is_read_and_checked(content):
    """`team=org` pairs; a malformed pair and an unknown organisation stop the start with the reason."""
    settings = Settings.from_env({**BOTH, "INTEGRITEITSBOT_SLACK_TEAMS": "T01=kortrijk, T02=putte"})
    assert settings.slack_teams == {"T01": "kortrijk", "T02": "putte"}
    with pytest.raises(SettingsError, match="team-id=org"):
        Settings.from_env({**BOTH, "INTEGRITEITSBOT_SLACK_TEAMS": "T01"})
    with pytest.raises(SettingsError, match="unknown organisation 'gent'"):
        create_app(make_settings(slack_teams={"T01": "gent"}), content)
