"""Slack's edges (issue 19, point 12): a replayed signed request is done once; an unmapped workspace is not set up."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import ClientSession

from bot.channels.slack.replay import WINDOW, ReplayGuard
from bot.vocabulary import messages as msg
from tests.serving import healthz, serve, stop
from tests.slack_fakes import SECRET, TOKEN, FakeSlack, SlackClient, idle, settled, signed_headers

FORM = "application/x-www-form-urlencoded"


def command_form(fake: FakeSlack, text: str, team: str = "T0TEST", user: str = "UEMPLOYEE") -> str:
    """A slash command's body, as Slack posts it."""
    return urlencode(
        {
            "command": "/integriteit",
            "text": text,
            "team_id": team,
            "user_id": user,
            "channel_id": "C0GENERAL",
            "channel_name": "algemeen",
            "trigger_id": f"trigger-{team}-{text}",
            "response_url": fake.response_url(f"{team}-{len(fake.responses)}"),
        }
    )


async def test_a_replayed_command_is_done_once(slack: SlackClient, fake: FakeSlack, caplog) -> None:
    """The same signed body with the same headers, sent again within the window: 200, nothing done, one log line."""
    body = command_form(fake, "mag ik een fles wijn aannemen?")
    headers = signed_headers(body, FORM)
    for _ in range(3):
        async with slack.http.post(slack.url, data=body.encode(), headers=headers) as response:
            assert response.status == 200
    await settled(lambda: fake.responses)
    await idle(fake)
    assert len(fake.responses) == 1
    replays = [r for r in caplog.records if r.getMessage().startswith("Slack request ignored: a replay")]
    assert len(replays) == 2
    # The same text signed anew (a new timestamp, as Slack sends a second command) is a new request.
    await slack.post(body, FORM, timestamp=int(headers["X-Slack-Request-Timestamp"]) - 1)
    await settled(lambda: len(fake.responses) == 2)


async def test_a_replayed_button_press_is_done_once(slack: SlackClient, fake: FakeSlack) -> None:
    """An interaction payload (a button in a message) replayed: answered once."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEST"},
        "user": {"id": "UEMPLOYEE", "team_id": "T0TEST"},
        "channel": {"id": "C0GENERAL"},
        "trigger_id": "trigger-press",
        "response_url": fake.response_url("press"),
        "actions": [{"type": "button", "action_id": "choice:0", "value": "help", "action_ts": "1"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers = signed_headers(body, FORM)
    for _ in range(2):
        async with slack.http.post(slack.url, data=body.encode(), headers=headers) as response:
            assert response.status == 200
    await settled(lambda: fake.responses)
    await idle(fake)
    assert len(fake.responses) == 1 and "melden" in json.dumps(fake.responses[0], ensure_ascii=False)


def test_the_guard_forgets_after_the_window_and_stays_bounded() -> None:
    """Pairs are kept only while their timestamp passes the signature check, and never more than the limit."""
    now = [1_800_000_000.0]
    guard = ReplayGuard(now=lambda: now[0], limit=3)
    stamp = str(int(now[0]))
    assert guard.first_time(stamp, "v0=a") and not guard.first_time(stamp, "v0=a")
    assert guard.first_time(stamp, "v0=b")
    now[0] += WINDOW + 2
    assert guard.first_time(str(int(now[0])), "v0=c") and len(guard) == 1  # a and b are past the window
    for name in "defg":
        guard.first_time(str(int(now[0])), f"v0={name}")
    assert len(guard) == 3


async def test_an_unmapped_workspace_is_not_set_up_in_a_real_serve(tmp_path: Path, fake: FakeSlack) -> None:
    """`integriteitsbot serve` with INTEGRITEITSBOT_SLACK_TEAMS and no INTEGRITEITSBOT_ORG: the mapped workspace
    gets its own code, any other workspace the "not set up" answer, never a default organisation's code."""
    process, url, log = serve(
        tmp_path,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        INTEGRITEITSBOT_SLACK_TEAMS="T0TEST=putte",
    )
    try:
        assert (await healthz(process, url))["org"] is None
        async with ClientSession() as http:
            slack = SlackClient(http, f"{url}/slack/events", fake)
            status, _ = await slack.post(command_form(fake, "help", team="T0TEST"), FORM)
            assert status == 200
            await settled(lambda: len(fake.responses) == 1, within=15)
            assert "Putte" in json.dumps(fake.responses[0], ensure_ascii=False)
            for question in ("help", "mag ik een fles wijn aannemen?"):
                count = len(fake.responses)
                status, _ = await slack.post(command_form(fake, question, team="T0ELSEWHERE"), FORM)
                assert status == 200
                await settled(lambda count=count: len(fake.responses) > count, within=15)
                answer = json.dumps(fake.responses[-1], ensure_ascii=False)
                assert msg.UNKNOWN_ORG in answer, question
                assert "oorbeeldgemeente" not in answer and "Putte" not in answer
            status, _ = await slack.post(command_form(fake, "melden", team="T0ELSEWHERE"), FORM)
            assert status == 200
            await settled(lambda: fake.of("views.open"), within=15)
            (form,) = fake.of("views.open")  # the form says only that the bot is not set up, and asks nothing
            assert msg.UNKNOWN_ORG in json.dumps(form["view"], ensure_ascii=False)
            assert "submit" not in form["view"]
    finally:
        output = stop(process, log)
    assert "Traceback" not in output
