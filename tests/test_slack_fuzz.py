"""Signed Slack requests of every odd shape: each gets 200, 400 or 404 with a log line, never a 5xx or a traceback."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any
from urllib.parse import urlencode

from tests.slack_fakes import FakeSlack, SlackClient
from tests.test_slack import FORM

KEYS = [
    "type",
    "user",
    "team",
    "view",
    "actions",
    "channel",
    "state",
    "values",
    "id",
    "event",
    "text",
    "action_id",
    "value",
    "private_metadata",
    "callback_id",
    "trigger_id",
    "response_url",
    "container",
    "message",
]
LEAVES = [None, 1, "x", "", "U1", [], {}, True, "melden", "#9", "notify:vraag"]
VALUES = ["melden", "help", '{"kind": "report", "reference": "M-2026-0001"}', "sectie geschenken-en-voordelen"]


def junk(rng: random.Random, depth: int = 0) -> Any:
    """A random JSON value, nested a little."""
    chance = rng.random()
    if depth > 2 or chance < 0.3:
        return rng.choice(LEAVES)
    if chance < 0.6:
        return [junk(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(KEYS): junk(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def request(rng: random.Random) -> tuple[str, str]:
    """One odd request body and its content type: a slash command, an event or an interaction."""
    kind = rng.choice(["block_actions", "view_submission", "view_closed", "event_callback", "command"])
    if kind == "command":
        fields = ["command", "text", "team_id", "user_id", "channel_id", "trigger_id", "response_url"]
        values = ["", "melden", "status X", "aanvullen", "U1", "T0TEST", "/integriteit", "x" * 5000]
        return urlencode({name: rng.choice(values) for name in fields if rng.random() < 0.8}), FORM
    if kind == "event_callback":
        event = junk(rng)
        if isinstance(event, dict) and rng.random() < 0.6:
            event.update({"type": rng.choice(["message", "app_mention"]), "channel_type": "im", "user": "U1"})
        return json.dumps({"type": kind, "team_id": "T0TEST", "event": event}), "application/json"
    extra = junk(rng)
    payload: dict[str, Any] = {"type": kind, **(extra if isinstance(extra, dict) else {})}
    if rng.random() < 0.8:  # mostly well formed around the edges, so the odd values reach the bot itself
        payload["user"] = {"id": rng.choice(["UEMPLOYEE", "UDEMOKRT01", "U1"]), "team_id": "T0TEST"}
        payload["response_url"] = "http://127.0.0.1:9/nowhere"
        for name in ("team", "channel", "container", "message", "view", "state"):
            if name in payload and not isinstance(payload[name], dict):
                payload.pop(name)
    if kind != "block_actions" and rng.random() < 0.7:
        values = junk(rng)
        payload["view"] = {
            "callback_id": "integriteit_flow",
            "type": "modal",
            "id": "V1",
            "state": {"values": values if isinstance(values, dict) else {}},
            "private_metadata": rng.choice(["melden", "", "geschenk"]),
        }
    if kind == "block_actions" and rng.random() < 0.7:
        action = rng.choice(["choice:0", "notify:vraag", "modal_choice:1", "pick_person"])
        payload["actions"] = [{"action_id": action, "value": rng.choice([junk(rng), *VALUES])}]
        payload["view"] = {"id": "V1", "callback_id": "integriteit_flow"}
    return urlencode({"payload": json.dumps(payload)}), FORM


async def test_odd_signed_requests_never_crash(slack: SlackClient, fake: FakeSlack, caplog) -> None:
    """1,000 seeded odd requests, all signed: no 5xx, and no traceback in the log, also after the acks."""
    rng = random.Random(8)
    statuses: dict[int, int] = {}
    for _ in range(1000):
        status, _ = await slack.post(*request(rng))
        statuses[status] = statuses.get(status, 0) + 1
    await asyncio.sleep(0.5)  # the work after the acks
    assert set(statuses) <= {200, 400, 404}, statuses
    assert statuses.get(200, 0) > 100 and statuses.get(400, 0) > 100  # both the bot and the shape check were reached
    tracebacks = [record.getMessage() for record in caplog.records if record.exc_info]
    assert tracebacks == []
