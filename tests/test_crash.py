"""Killed between commit and reply: the confirmation is shown again once, nothing is filed twice; and the log
of an anonymous report holds nothing that identifies the reporter, even at DEBUG."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import ClientSession

from bot.storage import db
from bot.storage.discretion import HOLD_TO
from bot.storage.store import Store
from tests.conftest import FakeConnector
from tests.flows import DESCRIPTION, TYPED_REPORT, receipt_code, rows
from tests.service import SHIFT_FILE, Service, free_port, start_service
from tests.teams_chat import shown_text

# Each trial kills a service process; INTEGRITEITSBOT_CRASH_TRIALS=10 repeats the trial for a closer look.
TRIALS = int(os.environ.get("INTEGRITEITSBOT_CRASH_TRIALS", "2"))

DELIVERED = re.compile(r"notification [0-9a-f]{8} (delivered|to )")  # the log names a row by its key's start


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[list[Service]]:
    """Service processes started by a test, killed at its end whatever happened."""
    started: list[Service] = []
    yield started
    for service in started:
        service.kill()


def activity(connector: FakeConnector, conversation: str, text: str, number: int, **who: str) -> dict:
    """A Teams personal-chat message in `conversation`."""
    return {
        "type": "message",
        "id": f"act-{number}",
        "serviceUrl": who.get("service_url", connector.url),
        "channelId": "msteams",
        "from": {"id": who.get("user", "29:user-1"), "name": who.get("name", "An Peeters"), "aadObjectId": "aad-1"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": who.get("tenant", "t-1")},
        "recipient": {"id": "28:bot", "name": "Integriteitsbot"},
        "locale": "nl-BE",
        "text": text,
    }


async def say(http: ClientSession, service: Service, message: dict) -> int:
    """Post one activity; returns the status."""
    async with http.post(f"{service.url}/api/messages", json=message) as response:
        await response.read()
        return response.status


async def test_killed_between_commit_and_reply(connector, services, tmp_path, database_url):
    async with ClientSession() as http:
        for trial in range(TRIALS):
            conversation, counter = f"a:crash-{trial}", iter(range(10_000))
            first = await start_service(tmp_path, database_url)
            services.append(first)
            for text in TYPED_REPORT:
                assert await say(http, first, activity(connector, conversation, text, next(counter))) in (200, 201)
            assert "Dit is je melding" in connector.sent[-1]["summary"]  # the summary is a card
            connector.hang = True
            confirm_message = activity(connector, conversation, "verzenden", next(counter))
            confirm = asyncio.create_task(say(http, first, confirm_message))
            for _ in range(200):  # until the confirmation is on its way: the filing is committed by then
                if "Referentie" in shown_text(connector.sent[-1]):
                    break
                await asyncio.sleep(0.05)
            unseen = shown_text(connector.sent[-1])
            assert "Referentie" in unseen  # the confirmation is on its way: the filing was committed
            first.kill()  # the user never got the confirmation
            confirm.cancel()
            connector.hang = False

            second = await start_service(tmp_path, database_url)
            services.append(second)
            before = len(connector.sent)
            # The user, who saw no reference, presses "Melding versturen" again.
            assert await say(http, second, activity(connector, conversation, "verzenden", next(counter))) in (200, 201)
            (again,) = [shown_text(a) for a in connector.sent[before:]]
            assert "al goed ontvangen" in again and "niets dubbel verstuurd" in again
            reference = re.search(r"Referentie: (M-\d{4}-\d{4})", unseen).group(1)
            assert reference not in first.output()  # an anonymous report's reference never reaches the log
            assert f"Referentie: {reference}" in again and receipt_code(again) == receipt_code(unseen)
            assert reference.endswith(f"{trial + 1:04d}")
            # Shown once: the next message is an ordinary one, and the code still opens the case.
            code = receipt_code(again)
            assert await say(http, second, activity(connector, conversation, f"status {code}", next(counter))) in (
                200,
                201,
            )
            assert f"Melding {reference}" in shown_text(connector.sent[-1])
            second.kill()

    store = await Store.open(database_url)
    try:
        assert len(await rows(store, db.cases)) == TRIALS and len(await rows(store, db.outbox)) == TRIALS
        assert all(row.flow != "_sent" for row in await rows(store, db.flow_state))
    finally:
        await store.close()


def forms(secret: str) -> set[str]:
    """A secret as it may show up in a log line: raw, URL-encoded, JSON-escaped."""
    return {secret, quote(secret, safe=""), quote(secret), json.dumps(secret)[1:-1], json.dumps(quote(secret))[1:-1]}


async def test_debug_log_holds_nothing_of_an_anonymous_reporter(connector, services, tmp_path, database_url):
    who = {
        "user": "29:1AnonUser-q8Zr5VtKp3LmN2bX",
        "name": "Renée Verborgen",
        "tenant": "7f3c2a10-9d4e-4b8a-a1c2-5e6f7a8b9c0d",
    }
    aad = "0c9b8a7f-6e5d-4c3b-a291-817263544536"
    conversation = "a:1AnonConv-Xy7Wq2Rt9Lp4Mn6Bv8Cz"
    shift = tmp_path / "clock-shift"
    service = await start_service(tmp_path, database_url, LOG_LEVEL="DEBUG", **{SHIFT_FILE: str(shift)})
    services.append(service)
    closed = f"http://127.0.0.1:{free_port()}/"  # a connector that is down: the failure is logged with its URL
    async with ClientSession() as http:
        for number, text in enumerate(TYPED_REPORT[:1]):
            message = activity(connector, conversation, text, number, service_url=closed, **who)
            message["from"]["aadObjectId"] = aad
            await say(http, service, message)
        for number, text in enumerate([*TYPED_REPORT[1:], "verzenden"], start=1):
            message = activity(connector, conversation, text, number, **who)
            message["from"]["aadObjectId"] = aad
            assert await say(http, service, message) in (200, 201)
    code = receipt_code(shown_text(connector.sent[-1]))
    reference = re.search(r"Referentie: (M-\d{4}-\d{4})", shown_text(connector.sent[-1])).group(1)
    await asyncio.sleep(0.3)
    assert not DELIVERED.search(service.output())  # an anonymous report's notification is held back
    shift.write_text(str(HOLD_TO.total_seconds()))  # the next morning, on the service's clock
    for _ in range(100):  # the outbox worker delivers it now
        if DELIVERED.search(service.output()):
            break
        await asyncio.sleep(0.05)
    service.kill()
    log = service.output()
    assert "DEBUG" in log and DELIVERED.search(log)
    # The description is not about who reports, but a report's text has no place in a log either; nor has the
    # reference of an anonymous report, which the moment of a line would tie to the moment it was sent.
    secrets = [who["user"], who["name"], who["tenant"], aad, conversation, code, code.replace("-", ""), DESCRIPTION]
    secrets.append(reference)
    for secret in secrets:
        for form in forms(secret):
            assert form not in log, (secret, form)
