"""A local fake Slack Web API that records every call, and signed requests as Slack sends them to the bot."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from slack_sdk.signature import SignatureVerifier

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
TEAM = "T0TEST"
BOT_USER = "UBOT"
NAMES = {
    "UEMPLOYEE": "An Peeters",
    "UOTHER": "Piet Janssens",
    "UMANAGER": "Mia Manager",
    "UDEMOKRT01": "Demo Meldpunt (fictief)",
    "UDEMOKRT03": "Demo Vertrouwenspersoon (fictief)",
}


@dataclass
class Call:
    """One Web API call the bot made: its method, arguments, and when it arrived (for bench/slack.py)."""

    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)


@dataclass
class FakeSlack:
    """Answers auth.test, users.info, conversations.open/.members, chat.postMessage/.update and views.*; records calls
    and response_url posts. `failures[method]` holds (status, body, headers) answers given before the normal one."""

    server: TestServer | None = None
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # posts to a response_url (ephemeral answers)
    failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(default_factory=dict)
    ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    views: itertools.count = field(default_factory=lambda: itertools.count(1))
    delay: float = 0.0  # seconds each Web API call waits, as a slow Slack
    slow: dict[str, float] = field(default_factory=dict)  # seconds one method waits on top of `delay`
    root: str = ""  # its address, which stays while it is down
    members: dict[str, list[str]] = field(default_factory=dict)  # a channel's members, as conversations.members lists

    @property
    def api_url(self) -> str:
        """The base URL for SLACK_API_URL."""
        return f"{self.root}/api/"

    def response_url(self, name: str = "r") -> str:
        """A response_url to put in a slash command or interaction payload."""
        return f"{self.root}/respond/{name}"

    def of(self, method: str) -> list[dict[str, Any]]:
        """The arguments of every call of one method, in order."""
        return [call.args for call in self.calls if call.method == method]

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)  # slack_sdk sends some methods' arguments in the query
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.method == "POST":
            args.update(await request.post())
        for key in ("blocks", "view"):  # form-encoded calls carry these as JSON text
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        args["_auth"] = request.headers.get("Authorization")
        self.calls.append(Call(method, args))
        if self.delay or self.slow.get(method):
            await asyncio.sleep(self.delay + self.slow.get(method, 0.0))
        queued = self.failures.get(method)
        if queued:
            status, body, headers = queued.pop(0)
            return web.json_response(body, status=status, headers=headers)
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"ok": True, "team_id": TEAM, "user_id": BOT_USER, "bot_id": "BBOT", "user": "integriteitsbot"}
        if method == "users.info":
            user = str(args.get("user"))
            profile = {"real_name": NAMES.get(user)}
            return {
                "ok": True,
                "user": {"id": user, "name": user.lower(), "is_bot": user == BOT_USER, "profile": profile},
            }
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "")).removeprefix("U")}}
        if method == "conversations.members":
            return {"ok": True, "members": self.members.get(str(args.get("channel")), [])}
        if method in ("chat.postMessage", "chat.update"):
            ts = args.get("ts") or f"1700000000.{next(self.ts):06d}"
            return {"ok": True, "channel": args.get("channel"), "ts": ts}
        if method.startswith("views."):
            number = args.get("view_id") or f"V{next(self.views)}"
            return {"ok": True, "view": {**args.get("view", {}), "id": number, "hash": f"h-{number}"}}
        return {"ok": False, "error": "unknown_method"}

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        body["_path"], body["_at"] = request.path, time.perf_counter()
        self.responses.append(body)
        return web.Response(text="ok")

    async def go_down(self) -> None:
        """Stop answering: its port is closed, as a Slack that cannot be reached (a proxy without a way out)."""
        assert self.server is not None
        await self.server.close()

    async def come_back(self) -> None:
        """Answer again, on the same port and so at the same URLs."""
        self.server = TestServer(self.app(), host="127.0.0.1", port=int(self.root.rsplit(":", 1)[1]))
        await self.server.start_server()

    def app(self) -> web.Application:
        """The fake's routes: the Web API and response URLs."""
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        return app


async def start_fake() -> FakeSlack:
    """A running fake Slack on a loopback port."""
    fake = FakeSlack()
    fake.server = TestServer(fake.app(), host="127.0.0.1")
    await fake.server.start_server()
    fake.root = str(fake.server.make_url("")).rstrip("/")
    return fake


def signed_headers(body: str, content_type: str, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack signs a request with: timestamp and v0 signature over the exact body."""
    moment = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=moment, body=body)
    return {
        "X-Slack-Request-Timestamp": moment,
        "X-Slack-Signature": signature,
        "Content-Type": content_type,
    }


@dataclass
class SlackClient:
    """Talks to the bot's /slack/events as Slack does: signed slash commands, interactions and events."""

    http: ClientSession
    url: str
    fake: FakeSlack
    triggers: itertools.count = field(default_factory=lambda: itertools.count(1))
    events: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def post(self, body: str, content_type: str, **sign: Any) -> tuple[int, str]:
        """Post a body signed as Slack would; returns the status and the answer's text."""
        headers = signed_headers(body, content_type, **sign)
        async with self.http.post(self.url, data=body.encode(), headers=headers) as response:
            return response.status, await response.text()

    async def command(self, text: str, user: str = "UEMPLOYEE", channel: str = "C0GENERAL") -> tuple[int, str]:
        """/integriteit <text>."""
        form = {
            "command": "/integriteit",
            "text": text,
            "team_id": TEAM,
            "user_id": user,
            "user_name": user.lower(),
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "algemeen",
            "trigger_id": f"trigger-{next(self.triggers)}",
            "response_url": self.fake.response_url(f"command-{next(self.triggers)}"),
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        """An interactivity payload (block_actions, view_submission, view_closed)."""
        payload = {"team": {"id": TEAM}, "trigger_id": f"trigger-{next(self.triggers)}", **payload}
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any]) -> tuple[int, str]:
        """An Events API callback."""
        number = next(self.events)
        body = {
            "type": "event_callback",
            "team_id": TEAM,
            "api_app_id": "A0TEST",
            "event_id": f"Ev{number:06d}",
            "event_time": int(time.time()),
            "event": {"event_ts": f"1700000100.{number:06d}", "ts": f"1700000100.{number:06d}", **event},
        }
        return await self.post(json.dumps(body), "application/json")

    async def dm(self, text: str, user: str = "UEMPLOYEE") -> tuple[int, str]:
        """A message in the user's DM with the bot."""
        number = next(self.events)
        return await self.event(
            {
                "type": "message",
                "channel_type": "im",
                "channel": "D" + user.removeprefix("U"),
                "user": user,
                "text": text,
                "client_msg_id": f"msg-{number}",
            }
        )

    async def press(self, message: dict[str, Any], label_part: str, user: str = "UEMPLOYEE") -> tuple[int, str]:
        """Press the button whose label contains `label_part` in a message the bot posted in the DM."""
        for block in message.get("blocks", []):
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("type") == "button" and label_part.lower() in element["text"]["text"].lower():
                    return await self.interact(
                        {
                            "type": "block_actions",
                            "user": {"id": user, "team_id": TEAM},
                            "channel": {"id": message.get("channel") or "D" + user.removeprefix("U")},
                            "container": {"type": "message", "message_ts": message.get("ts", "1")},
                            "message": {"ts": message.get("ts", "1"), "blocks": message.get("blocks", [])},
                            "response_url": self.fake.response_url("press"),
                            "actions": [{**element, "action_ts": "1"}],
                            "state": {"values": message.get("_state", {})},
                        }
                    )
        raise AssertionError(f"no button with {label_part!r} in {json.dumps(message)[:500]}")


async def settled(condition: Any, within: float = 5.0) -> None:
    """Wait until the work after Slack's ack has done what `condition()` checks."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the bot did not finish in time")
        await asyncio.sleep(0.02)


async def idle(fake: FakeSlack, quiet: float = 0.2, within: float = 10.0) -> None:
    """Wait until the bot made no Web API call for `quiet` seconds: a turn of several replies has been posted."""
    deadline = time.monotonic() + within
    seen, since = len(fake.calls), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise AssertionError("the bot kept calling Slack")
        await asyncio.sleep(0.02)
        if len(fake.calls) != seen:
            seen, since = len(fake.calls), time.monotonic()
