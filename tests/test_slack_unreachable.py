"""Slack's Web API down or slow (issue 19): every signed request is still acknowledged within Slack's 3 seconds,
the log says in one line what could not be posted, and the bot answers normally once Slack is back."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import ClientSession
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import WORKER
from bot.channels.slack import authorization
from bot.channels.slack.modal import SENDING
from bot.storage import db
from bot.storage.discretion import HOLD_TO
from tests.flows import rows
from tests.serving import healthz, serve, stop
from tests.slack_fakes import SECRET, TOKEN, FakeSlack, SlackClient, idle, settled
from tests.slack_forms import Form, page_text

FORM = "application/x-www-form-urlencoded"
SLACK_DEADLINE = 3.0  # seconds Slack waits for the acknowledgement
AUTH_TEST_DELAY = 5.0  # a slow proxy: auth.test answers well after Slack's deadline
MELDPUNT = "UDEMOKRT01"  # Kortrijk's intern meldpunt in the demo contacts


def button(fake: FakeSlack) -> dict:
    """A press on a reply's button ("help") under an answer only the asker sees."""
    return {
        "type": "block_actions",
        "user": {"id": "UEMPLOYEE", "team_id": "T0TEST"},
        "channel": {"id": "C0GENERAL"},
        "container": {"type": "message", "is_ephemeral": True},
        "response_url": fake.response_url("press"),
        "actions": [{"type": "button", "action_id": "choice:0", "value": "help", "action_ts": "1"}],
    }


def requests(slack: SlackClient) -> dict[str, Callable[[], Awaitable[tuple[int, str]]]]:
    """The three kinds of signed request: a slash command, a DM event and a button press."""
    return {
        "command": lambda: slack.command("mag ik een fles wijn aannemen?"),
        "dm": lambda: slack.dm("hallo"),
        "button": lambda: slack.interact(button(slack.fake)),
    }


async def timed(send: Callable[[], Awaitable[tuple[int, str]]]) -> tuple[int, float]:
    """The HTTP status of a request to the bot, and how long its answer took."""
    began = time.perf_counter()
    status, _ = await send()
    return status, time.perf_counter() - began


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records with a traceback, or at ERROR about a request bolt could not handle."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.exc_info or record.getMessage().startswith(("Slack request failed", "Slack request could not"))
    ]


async def test_a_slow_auth_test_holds_no_request(start_bot, fake: FakeSlack, caplog) -> None:
    """auth.test takes longer than Slack's deadline (a slow proxy): each kind of request is acknowledged before that
    call could have answered, and its answer follows without waiting for it."""
    fake.slow["auth.test"] = AUTH_TEST_DELAY
    caplog.set_level(logging.INFO)
    bot = await start_bot(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url)
    slack = SlackClient(bot.http, bot.url("/slack/events"), fake)
    for kind, send in requests(slack).items():
        status, took = await timed(send)
        assert status == 200 and took < SLACK_DEADLINE, (kind, status, took)
    await settled(lambda: len(fake.responses) == 2 and fake.of("chat.postMessage"), within=AUTH_TEST_DELAY)
    assert fake.of("auth.test")  # asked at start-up, and all answered while its answer was still on its way:
    assert not any("Slack: the bot is" in record.getMessage() for record in caplog.records)
    assert "wijn" in json.dumps(fake.responses, ensure_ascii=False).lower()
    assert not tracebacks(caplog)


async def test_an_unreachable_slack_gets_its_acks_and_one_line_each(
    start_bot, fake: FakeSlack, caplog, monkeypatch
) -> None:
    """Slack's Web API and response URLs cannot be reached: each request still gets 200 at once, each answer that
    could not be posted is one log line without a traceback; once Slack is back the bot answers as usual and learns
    its own ids."""
    monkeypatch.setattr(authorization, "RETRY_AFTER", 0.2)
    caplog.set_level(logging.INFO)
    await fake.go_down()
    bot = await start_bot(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url)
    slack = SlackClient(bot.http, bot.url("/slack/events"), fake)
    for kind, send in requests(slack).items():
        status, took = await timed(send)
        assert status == 200 and took < SLACK_DEADLINE, (kind, status, took)
    lost = "could not be posted: Slack cannot be reached"
    await settled(lambda: sum(lost in record.getMessage() for record in caplog.records) == 3)
    assert not tracebacks(caplog)
    assert any("auth.test" in record.getMessage() for record in caplog.records)

    await fake.come_back()
    for kind, send in requests(slack).items():
        status, took = await timed(send)
        assert status == 200 and took < SLACK_DEADLINE, (kind, status, took)
    await settled(lambda: len(fake.responses) == 2 and fake.of("chat.postMessage"))
    await idle(fake)
    assert fake.of("auth.test"), "the bot's ids are asked again once Slack answers"
    assert any("Slack: the bot is UBOT" in record.getMessage() for record in caplog.records)
    assert not tracebacks(caplog)


async def test_the_bot_ignores_its_own_messages_once_it_knows_its_ids(slack: SlackClient, fake: FakeSlack) -> None:
    """auth.test runs at start-up in the background: afterwards an event from the bot's own user is not a turn."""
    await settled(lambda: fake.of("auth.test"))
    await idle(fake)
    mention = "<@UBOT> mag ik een fles wijn aannemen?"
    status, _ = await slack.event({"type": "app_mention", "channel": "C0GENERAL", "user": "UBOT", "text": mention})
    assert status == 200
    await idle(fake)
    assert not fake.of("chat.postMessage")


def test_no_token_notice_from_bolt_at_start_up(monkeypatch, caplog) -> None:
    """bolt reads SLACK_BOT_TOKEN itself: the service, which hands bolt its token through `authorize`, keeps bolt's
    notice that the variable goes unused out of the log."""
    from bot.channels.slack.endpoint import bolt_app

    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    caplog.set_level(logging.INFO)
    client = AsyncWebClient()
    bolt_app(SECRET, client, authorization.BotIdentity(TOKEN, client))
    assert not [record.getMessage() for record in caplog.records if "token" in record.getMessage().lower()]


async def test_a_report_sent_while_slack_is_down_stays_filed_and_its_notice_follows(
    start_bot, fake: FakeSlack, store, clock, caplog
) -> None:
    """Slack goes down between the summary and "Verzenden": Slack's answer (the waiting page) still comes in time,
    the report is filed, the lost result is one log line, and the meldpunt's notification waits in the outbox
    until Slack is back."""
    bot = await start_bot(
        slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url, outbox_interval=3600
    )
    worker = bot.server.app[WORKER]  # driven by hand below
    form = Form(SlackClient(bot.http, bot.url("/slack/events"), fake))
    await form.open("melden")
    await form.fill()
    assert form.kind() == "summary"
    await fake.go_down()
    began = time.perf_counter()
    ack = await form.submit()  # Verzenden
    assert time.perf_counter() - began < SLACK_DEADLINE and SENDING in page_text(ack["view"])
    await settled(lambda: any("Slack form: the answer could not be posted" in r.getMessage() for r in caplog.records))
    (case,) = await rows(store, db.cases)
    clock.advance(seconds=HOLD_TO.total_seconds())  # an anonymous report's notification is held up to 2 hours
    assert await worker.run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert row.status == "pending" and row.next_attempt_at is not None and "ClientConnectorError" in row.last_error
    assert not tracebacks(caplog)

    await fake.come_back()
    clock.advance(hours=1)
    assert await worker.run_once() == 1
    (note,) = [call for call in fake.of("chat.postMessage") if call["channel"] == "D" + MELDPUNT.removeprefix("U")]
    assert case.reference in json.dumps(note, ensure_ascii=False)
    # The receipt code the user could not be shown was kept: the next form shows it first, the DM keeps it.
    shown = await Form(form.slack).open("geschenk")
    assert "ontvangstcode" in page_text(shown).lower()
    await settled(lambda: any("ontvangstcode" in json.dumps(c).lower() for c in fake.of("chat.postMessage")))


async def test_a_real_serve_behind_a_proxy_without_a_way_out(tmp_path: Path, fake: FakeSlack) -> None:
    """`integriteitsbot serve` with Slack on and HTTPS_PROXY at a proxy that cannot be reached (as the reviewer's,
    which could not reach slack.com): every signed request gets 200 in time, the log has one line per lost answer,
    no traceback, and no notice from bolt about SLACK_BOT_TOKEN."""
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there
    process, url, log = serve(
        tmp_path,
        INTEGRITEITSBOT_ORG="kortrijk",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        HTTP_PROXY=closed,
        HTTPS_PROXY=closed,
    )
    try:
        await healthz(process, url)
        async with ClientSession() as http:
            slack = SlackClient(http, f"{url}/slack/events", fake)
            for kind, send in requests(slack).items():
                status, took = await timed(send)
                assert status == 200 and took < SLACK_DEADLINE, (kind, status, took)
            await settled(lambda: log.read_text().count("could not be posted: Slack cannot be reached") == 3, 15)
    finally:
        output = stop(process, log)
    assert "Traceback" not in output and "Slack request failed" not in output
    assert "will be unused" not in output and "will be ignored" not in output
    assert "auth.test got no answer" in output
    assert fake.calls == [] and fake.responses == []
