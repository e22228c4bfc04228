"""Development mode only when asked for; without it and without an app id /api/messages is off; a turn from
/api/messages is a Teams turn, never a Slack user's, whatever its channelId says (issue 19, point 1)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession

from bot.settings import Settings, SettingsError
from bot.storage import db
from tests.conftest import reference
from tests.flows import DESCRIPTION, rows
from tests.service import ROOT, free_port
from tests.serving import healthz, serve, stop
from tests.slack_fakes import SECRET, TEAM, TOKEN, FakeSlack, SlackClient, idle, settled

MELDPUNT = "UDEMOKRT01"  # Kortrijk's meldpunt: a handler, by their Slack member id in the demo contacts
SLACK_ONLY = {"slack_bot_token": TOKEN, "slack_signing_secret": SECRET}


def test_dev_mode_only_when_asked_for() -> None:
    """No app id is no longer development mode: it takes INTEGRITEITSBOT_DEV (or serve --dev)."""
    plain = Settings.from_env({})
    assert plain.dev_mode is False and plain.teams is False and plain.teams_notifications is False
    slack_only = Settings.from_env({"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET})
    assert slack_only.dev_mode is False and slack_only.teams is False and slack_only.slack is True
    for on in ("1", "on", "true", "yes"):
        assert Settings.from_env({"INTEGRITEITSBOT_DEV": on}).dev_mode is True
    assert Settings.from_env({"INTEGRITEITSBOT_DEV": "0"}).dev_mode is False
    assert Settings.from_env({}, dev_mode=True).dev_mode is True  # serve --dev
    dev = Settings.from_env({"INTEGRITEITSBOT_DEV": "1"})
    assert dev.teams is True and dev.teams_notifications is False  # no Teams messages unless asked for
    with pytest.raises(SettingsError, match="INTEGRITEITSBOT_DEV must be on or off"):
        Settings.from_env({"INTEGRITEITSBOT_DEV": "misschien"})
    authed = Settings.from_env({"MicrosoftAppId": "00000000-0000-0000-0000-000000000001"})
    assert authed.dev_mode is False and authed.teams is True and authed.teams_notifications is True


def test_contradictions_are_refused() -> None:
    """Development mode with an app id, or Teams notifications with Teams off, do not start."""
    with pytest.raises(SettingsError, match="cannot go with MicrosoftAppId"):
        Settings.from_env({"INTEGRITEITSBOT_DEV": "1", "MicrosoftAppId": "00000000-0000-0000-0000-000000000001"})
    with pytest.raises(SettingsError, match="Teams is off"):
        Settings.from_env({"INTEGRITEITSBOT_TEAMS_NOTIFY": "on"})


async def test_without_dev_mode_and_app_id_the_teams_endpoint_is_off(start_bot, fake: FakeSlack, caplog) -> None:
    """Slack-only (secrets, no app id, no dev mode): /api/messages never takes an activity, Slack works."""
    caplog.set_level(logging.INFO)
    bot = await start_bot(dev_mode=False, slack_api_url=fake.api_url, **SLACK_ONLY)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("Teams is off")] == [
        "Teams is off: no MicrosoftAppId (and no INTEGRITEITSBOT_DEV), so /api/messages answers 404"
    ]
    assert not [r for r in caplog.records if "DEVELOPMENT MODE" in r.getMessage()]
    async with bot.http.get(bot.url("/healthz")) as response:
        assert (await response.json())["dev_mode"] is False
    attack = bot.activity(channelId="slack", text="meldingen", **{"from": {"id": MELDPUNT}})
    bodies: list[Any] = [attack, bot.activity(text="melden"), "niet eens JSON", {}]
    for body in bodies:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        async with bot.http.post(
            bot.url("/api/messages"), data=data, headers={"Content-Type": "application/json"}
        ) as response:
            assert response.status == 404
            assert response.content_type == "text/plain"
            assert await response.text() == "Teams staat niet aan op deze dienst."
    assert bot.connector.sent == [] and bot.connector.created == []
    slack = SlackClient(bot.http, bot.url("/slack/events"), fake)
    await slack.command("mag ik een fles wijn aannemen?")
    await settled(lambda: fake.responses)  # Slack itself is unaffected


async def test_dev_mode_is_loud_in_the_log_and_in_healthz(start_bot, caplog) -> None:
    """Asked for, development mode says at start-up that authentication is off and not for real use."""
    caplog.set_level(logging.INFO)
    bot = await start_bot()
    (warning,) = [r for r in caplog.records if "DEVELOPMENT MODE" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert "authentication is OFF" in warning.getMessage() and "Not for real use" in warning.getMessage()
    async with bot.http.get(bot.url("/healthz")) as response:
        assert (await response.json())["dev_mode"] is True


async def named_report_in_slack(slack: SlackClient, fake: FakeSlack) -> None:
    """A Slack employee files a named report in their DM with the bot."""
    dm = "DEMPLOYEE"
    await slack.dm("melden")
    await settled(lambda: posts(fake, dm))
    for typed in ["schending van regels", "met mijn naam", "nee", DESCRIPTION, "vorige week", "overslaan", "nee"]:
        count = len(posts(fake, dm))
        await slack.dm(typed)
        await settled(lambda count=count: len(posts(fake, dm)) > count)
    if "Hoe heet je" in said(posts(fake, dm)[-1]):
        count = len(posts(fake, dm))
        await slack.dm("An Peeters")
        await settled(lambda: len(posts(fake, dm)) > count)
    count = len(posts(fake, dm))
    await slack.dm("verzenden")
    await settled(lambda: len(posts(fake, dm)) > count)


def posts(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """What the bot posted in one Slack channel or DM."""
    return [call for call in fake.of("chat.postMessage") if call.get("channel") == channel]


def said(message: dict[str, Any]) -> str:
    """All a message says."""
    return json.dumps({key: message.get(key) for key in ("text", "blocks", "attachments")}, ensure_ascii=False)


async def test_an_activity_claiming_slack_gets_nothing_of_a_slack_handler(start_bot, fake: FakeSlack, store) -> None:
    """The issue's attack, in development mode with Slack on: an activity on /api/messages with channelId "slack"
    and the meldpunt's Slack member id is a Teams turn of a stranger: no case, no overview, no card action."""
    bot = await start_bot(slack_api_url=fake.api_url, **SLACK_ONLY)
    slack = SlackClient(bot.http, bot.url("/slack/events"), fake)
    await named_report_in_slack(slack, fake)
    (case,) = await rows(store, db.cases)
    ref = reference(bot.clock)
    assert case.reference == ref

    as_handler = {"channelId": "slack", "from": {"id": MELDPUNT, "name": "Demo Meldpunt (fictief)"}}
    as_handler["conversation"] = {"id": f"{TEAM}:{MELDPUNT}", "conversationType": "personal"}
    for text in (f"melding {ref}", "meldingen", f"antwoord {ref} wanneer was dat?"):
        replies = await bot.say(text, **as_handler)
        assert replies, text
        shown = json.dumps(replies, ensure_ascii=False)
        assert DESCRIPTION not in shown and "An Peeters" not in shown and "Peeters" not in shown, text
    invoke = bot.activity(
        type="invoke",
        name="adaptiveCard/action",
        value={
            "action": {"type": "Action.Execute", "verb": "bevestigen", "data": {"notify": "report", "reference": ref}}
        },
        **as_handler,
    )
    async with bot.http.post(bot.url("/api/messages"), json=invoke) as response:
        assert response.status == 200
        answer = json.dumps(await response.json(), ensure_ascii=False)
    assert DESCRIPTION not in answer and "Ontvangst bevestigd" not in answer
    (after,) = await rows(store, db.cases)
    assert after.status == case.status == "ontvangen"
    assert not any(DESCRIPTION in said(call) for call in fake.of("chat.postMessage") if call["channel"] != "DEMPLOYEE")


async def test_an_activity_claiming_slack_never_enters_a_slack_users_flow(start_bot, fake: FakeSlack, store) -> None:
    """With the employee's Slack id and their DM's conversation key, an activity on /api/messages neither sees nor
    changes their draft: the Slack flow's state is the same afterwards, and the employee goes on where they were."""
    bot = await start_bot(slack_api_url=fake.api_url, **SLACK_ONLY)
    slack = SlackClient(bot.http, bot.url("/slack/events"), fake)
    dm = "DEMPLOYEE"
    await slack.dm("melden")
    await settled(lambda: posts(fake, dm))
    await idle(fake)  # every message of the flow's start is posted
    count = len(posts(fake, dm))
    await slack.dm("schending van regels")
    await settled(lambda: len(posts(fake, dm)) > count)
    await idle(fake)
    question = said(posts(fake, dm)[-1])
    before = sorted(tuple(row) for row in await rows(store, db.flow_state))
    assert before  # the Slack draft is stored

    as_employee = {"channelId": "slack", "from": {"id": "UEMPLOYEE", "name": "An Peeters"}}
    as_employee["conversation"] = {"id": f"{TEAM}:UEMPLOYEE", "conversationType": "personal"}
    for text in ("nee", DESCRIPTION, "verzenden", "stop"):
        replies = await bot.say(text, **as_employee)
        shown = json.dumps(replies, ensure_ascii=False)
        assert "Dit is je melding" not in shown and "ontvangstcode" not in shown.lower()
    after = sorted(tuple(row) for row in await rows(store, db.flow_state))
    assert all(row in after for row in before), (before, after)  # every Slack flow row untouched
    assert await rows(store, db.cases) == [] and await rows(store, db.submissions) == []

    count = len(posts(fake, dm))
    await slack.dm("anoniem")  # the employee answers the question they were at (name or anonymous), in their DM
    await settled(lambda: len(posts(fake, dm)) > count)
    assert said(posts(fake, dm)[-1]) != question


async def test_a_real_slack_only_serve_keeps_the_teams_endpoint_off(tmp_path: Path, connector) -> None:
    """The README's Slack-only set-up against a real `integriteitsbot serve`: dev_mode false, the issue's activity
    refused with 404, one start-up line saying Teams is off and why."""
    process, url, log = serve(
        tmp_path, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL="http://127.0.0.1:9/api/"
    )
    try:
        assert (await healthz(process, url))["dev_mode"] is False
        attack = {
            "type": "message",
            "id": "x1",
            "channelId": "slack",
            "serviceUrl": connector.url,
            "from": {"id": MELDPUNT},
            "recipient": {"id": "bot"},
            "conversation": {"id": f"{TEAM}:{MELDPUNT}", "conversationType": "personal"},
            "text": "melding M-2026-0001",
        }
        async with ClientSession() as http:
            for text in ("melding M-2026-0001", "meldingen"):
                async with http.post(f"{url}/api/messages", json={**attack, "text": text}) as response:
                    assert response.status == 404
        assert connector.sent == []
    finally:
        output = stop(process, log)
    assert output.count("Teams is off: no MicrosoftAppId") == 1 and "DEVELOPMENT MODE" not in output
    assert output.count("rejected /api/messages: 404") == 2
    assert "Traceback" not in output


async def test_a_real_serve_with_dev_says_so(tmp_path: Path) -> None:
    """`integriteitsbot serve --dev`: /healthz says dev_mode true and the log warns; an app id with it is refused."""
    process, url, log = serve(tmp_path, "--dev")
    try:
        assert (await healthz(process, url))["dev_mode"] is True
    finally:
        output = stop(process, log)
    assert "WARNING" in output and "DEVELOPMENT MODE" in output and "Not for real use" in output
    refused = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "serve", "--dev", "--port", str(free_port())],
        cwd=ROOT,
        env={**os.environ, "MicrosoftAppId": "00000000-0000-0000-0000-000000000001"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2 and "cannot go with MicrosoftAppId" in refused.stderr
