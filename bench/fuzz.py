"""Fuzz benchmark (run by hand): thousands of bad requests against POST /api/messages, and what the service does.

Starts the project's service (`integriteitsbot serve`, development mode, a fresh SQLite file) and a fake Bot
Connector (bench/connector.py) as subprocesses, plus two loopback peers in this process: a closed port and a black
hole that accepts and never answers. Everything stays on loopback: any request of the service to another host is
sent, through the proxy variables, to a local trap that refuses it. Same seed, same requests.

    python bench/fuzz.py [--count N] [--seed S] [--concurrency C]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import codecs
import copy
import hashlib
import hmac
import json
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector
from harness import (
    LOOPBACK,
    OutboundTrap,
    Service,
    commit,
    free_port,
    isolate_network,
    percentile,
    project_service,
    run_until_done,
    script_service,
)

SLOW_S = 2.0
CLIENT_TIMEOUT_S = 30.0
KIB = 1024
MIB = 1024 * KIB
BOT_FRAMEWORK_ISSUER = "https://api.botframework.com"
EMULATOR_ISSUER = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/"
EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Warning|Interrupt))(?::|$)")
# Relative weights of the kinds of bad request; the black hole is not here (a fixed, small number of requests).
WEIGHTS = {
    "malformed json": 8,
    "utf-8 bom": 3,
    "utf-16/32": 3,
    "lone surrogate": 4,
    "deep nesting": 4,
    "huge integer": 4,
    "body > 256 KiB": 2,
    "body > 1 MiB": 0.7,
    "wrong content-type": 5,
    "non-object json": 4,
    "wrong field": 15,
    "random type": 8,
    "invoke": 10,
    "forged token": 8,
    "garbage serviceUrl": 3,
    "closed serviceUrl": 0.6,
    "wrong method": 1,
    "mutation": 17,
}


@dataclass
class Peers:
    """The loopback addresses the fuzzed activities point at."""

    connector: str
    closed: str
    black_hole: str

    def garbage(self) -> list[Any]:
        """serviceUrl values that are not usable URLs; none of them names a host beyond loopback."""
        closed_port = self.closed.rsplit(":", 1)[1].strip("/")
        return [
            "",
            " ",
            "not a url",
            "http://",
            "https://",
            "http:///v3",
            "ftp://127.0.0.1/",
            "file:///etc/passwd",
            "data:text/plain,x",
            "javascript:alert(1)",
            "http://127.0.0.1:0/",
            "http://127.0.0.1:99999/",
            "http://127.0.0.1:port/",
            "http://[::1",
            "127.0.0.1",
            f"127.0.0.1:{closed_port}",
            f"//127.0.0.1:{closed_port}/",
            f"http://user:pass@127.0.0.1:{closed_port}/",
            f"HTTP://127.0.0.1:{closed_port}",
            "\u0000",
            "http://127.0.0.1:" + "9" * 40 + "/",
            5,
            None,
            [],
            {},
        ]

    def safe(self, value: Any) -> bool:
        """Whether a serviceUrl value is one this benchmark chose (so it cannot lead beyond loopback)."""
        if value is None or isinstance(value, bool | int | float):
            return True
        if isinstance(value, list | dict):
            return value in ([], {})
        return value in (self.connector, self.closed, self.black_hole) or value in self.garbage()


@dataclass
class Case:
    """One request to send."""

    kind: str
    variant: str
    body: bytes | Callable[[], AsyncIterator[bytes]]
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    method: str = "POST"


class Generator:
    """Builds seeded bad requests of every kind; each call gets its own random source, so a case can be rebuilt."""

    def __init__(self, peers: Peers, key_fetches: bool):
        self.peers = peers
        # Tokens naming a signing key (kid) make the service fetch keys from the Bot Framework's key host: only
        # sent when the run is isolated from every network but loopback.
        self.key_fetches = key_fetches
        self.builders: dict[str, Callable[[random.Random], Case]] = {
            "malformed json": self.malformed_json,
            "utf-8 bom": self.utf8_bom,
            "utf-16/32": self.utf16,
            "lone surrogate": self.lone_surrogate,
            "deep nesting": self.deep_nesting,
            "huge integer": self.huge_integer,
            "body > 256 KiB": self.over_256k,
            "body > 1 MiB": self.over_1m,
            "wrong content-type": self.wrong_content_type,
            "non-object json": self.non_object,
            "wrong field": self.wrong_field,
            "random type": self.random_type,
            "invoke": self.invoke,
            "forged token": self.forged_token,
            "garbage serviceUrl": self.garbage_service_url,
            "closed serviceUrl": self.closed_service_url,
            "black-hole serviceUrl": self.black_hole_service_url,
            "wrong method": self.wrong_method,
            "mutation": self.mutation,
        }

    def build(self, kind: str, seed: int) -> Case:
        """The case of this kind for this seed."""
        return self.builders[kind](random.Random(seed))

    # -- building blocks ------------------------------------------------------------------------------------------

    def activity(self, rng: random.Random, **overrides: Any) -> dict[str, Any]:
        """A valid Teams personal-chat message activity to the fake connector, in one of a few conversations."""
        user = rng.randrange(40)
        activity = {
            "type": "message",
            "id": f"fz-{rng.getrandbits(40):x}",
            "timestamp": "2026-11-24T09:00:00.000Z",
            "serviceUrl": self.peers.connector,
            "channelId": "msteams",
            "from": {"id": f"29:fz-user-{user}", "name": "Fuzz Gebruiker", "aadObjectId": f"aad-fz-{user}"},
            "conversation": {"id": f"a:fz-conv-{user}", "conversationType": "personal", "tenantId": "tenant-fz"},
            "recipient": {"id": "28:bot", "name": "Integriteitsbot"},
            "locale": "nl-BE",
            "channelData": {"tenant": {"id": "tenant-fz"}},
            "text": rng.choice(["mag ik een fles wijn aannemen?", "melden", "help", "stop", "de pers belt me"]),
        }
        activity.update(overrides)
        return activity

    @staticmethod
    def dump(value: Any) -> bytes:
        """JSON bytes (ASCII, so lone surrogates become escapes)."""
        return json.dumps(value).encode()

    def case(self, kind: str, variant: str, value: Any, **extra: Any) -> Case:
        """A case whose body is this value as JSON."""
        return Case(kind, variant, self.dump(value), **extra)

    # -- kinds ----------------------------------------------------------------------------------------------------

    def malformed_json(self, rng: random.Random) -> Case:
        """Bodies that are not JSON, or JSON only to a lenient parser."""
        valid = self.dump(self.activity(rng))
        variants: dict[str, bytes] = {
            "truncated": valid[: rng.randrange(1, len(valid))],
            "empty": b"",
            "open brace": b"{",
            "single quotes": b"{'type': 'message', 'text': 'hoi'}",
            "trailing comma": valid[:-1] + b",}",
            "random bytes": bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 300))),
            "invalid escape": valid[:-1] + b', "x": "\\x41"}',
            "two documents": valid + valid,
            "invalid utf-8": valid[:-1] + b', "x": "\xff\xfe\xc3"}',
            "utf-8 encoded surrogate": valid[:-1] + b', "x": "\xed\xa0\x80"}',
            "NaN": valid[:-1] + b', "x": NaN}',
            "Infinity": valid[:-1] + b', "x": -Infinity}',
            "control character": valid[:-1] + b', "x": "a\x01b"}',
            "NUL bytes": b"\x00" * rng.randrange(1, 64),
            "only whitespace": b" \n\t\r " * 10,
            "comment": b"/* hoi */" + valid,
        }
        variant = rng.choice(sorted(variants))
        return Case("malformed json", variant, variants[variant])

    def utf8_bom(self, rng: random.Random) -> Case:
        """A valid activity behind a UTF-8 byte order mark."""
        return Case("utf-8 bom", "bom", codecs.BOM_UTF8 + self.dump(self.activity(rng)))

    def utf16(self, rng: random.Random) -> Case:
        """A valid activity in UTF-16 or UTF-32, with or without byte order mark."""
        encoding = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
        text = json.dumps(self.activity(rng), ensure_ascii=rng.random() < 0.5)
        return Case("utf-16/32", encoding, text.encode(encoding, errors="surrogatepass"))

    def lone_surrogate(self, rng: random.Random) -> Case:
        """Escaped lone surrogates (valid JSON, invalid Unicode) in the text, a name, an id or a key."""
        surrogate = rng.choice(["\ud800", "\udfff", "\udc00abc", "a\ud83d", "\ud83d\ud83d"])
        place = rng.choice(["text", "from.name", "conversation.id", "key", "value.action", "locale", "type"])
        activity = self.activity(rng)
        if place == "text":
            activity["text"] = surrogate
        elif place == "from.name":
            activity["from"]["name"] = surrogate
        elif place == "conversation.id":
            activity["conversation"]["id"] = "a:" + surrogate
        elif place == "key":
            activity[surrogate] = "x"
        elif place == "value.action":
            activity["value"] = {"action": surrogate}
        elif place == "locale":
            activity["locale"] = surrogate
        else:
            activity["type"] = "message" + surrogate
        return self.case("lone surrogate", place, activity)

    def deep_nesting(self, rng: random.Random) -> Case:
        """Arrays or objects nested thousands deep, at the top or inside an activity."""
        depth = rng.choice([500, 990, 1000, 3000, 20000, 100000])
        where = rng.choice(["top-level array", "in value", "objects in channelData"])
        if where == "top-level array":
            body = b"[" * depth + b"]" * depth
        elif where == "in value":
            valid = self.dump(self.activity(rng))
            body = valid[:-1] + b', "value": ' + b"[" * depth + b"]" * depth + b"}"
        else:
            valid = self.dump(self.activity(rng, channelData=None))
            body = valid.replace(b'"channelData": null', b'"channelData": ' + b'{"a":' * depth + b"1" + b"}" * depth)
        return Case("deep nesting", f"{where}, depth {depth}", body)

    def huge_integer(self, rng: random.Random) -> Case:
        """Integers of thousands of digits (and overflowing floats) where a string or object is expected."""
        digits = rng.choice([4300, 4301, 5000, 20000])
        number = (str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(digits - 1))).encode()
        if rng.random() < 0.2:
            number = rng.choice([b"1e999999", b"-1e400", b"1" + b"0" * 400 + b".5"])
            digits = 0
        where = rng.choice(["top level", "text", "id", "value", "value.action", "channelData", "timestamp"])
        if where == "top level":
            body = number
        else:
            valid = self.dump(self.activity(rng, **{where.split(".")[0]: "__N__"}))
            replacement = b'{"action": ' + number + b"}" if where == "value.action" else number
            body = valid.replace(b'"__N__"', replacement)
        return Case("huge integer", f"{where}, {digits or 'float'} digits", body)

    def over_256k(self, rng: random.Random) -> Case:
        """A valid activity whose text makes the body larger than 256 KiB (but under 1 MiB)."""
        size = rng.randrange(257 * KIB, 1000 * KIB)
        return self.case("body > 256 KiB", "long text", self.activity(rng, text="a" * size))

    def over_1m(self, rng: random.Random) -> Case:
        """A body over 1 MiB: a long text, sent in one piece or chunked without a length."""
        size = rng.randrange(MIB + KIB, 3 * MIB)
        body = self.dump(self.activity(rng, text="b" * size))
        if rng.random() < 0.5:
            return Case("body > 1 MiB", "content-length", body)

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(body), 64 * KIB):
                yield body[start : start + 64 * KIB]

        return Case("body > 1 MiB", "chunked", chunks)

    def wrong_content_type(self, rng: random.Random) -> Case:
        """A valid activity with a Content-Type that is missing, wrong or misleading."""
        value = rng.choice(
            [
                None,
                "text/plain",
                "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x",
                "application/xml",
                "text/json",
                "APPLICATION/JSON",
                "application/jsonp",
                "application/json-patch+json",
                "application/json; charset=utf-16",
                "application/json; charset=nonsense",
                "application/json; charset=latin-1",
                "",
            ]
        )
        body = self.dump(self.activity(rng))
        headers = {} if value is None else {"Content-Type": value}
        return Case("wrong content-type", repr(value), body, headers)

    def non_object(self, rng: random.Random) -> Case:
        """JSON that is valid but not an object."""
        variants: dict[str, Any] = {
            "array": [],
            "array of activity": [self.activity(rng)],
            "string": "message",
            "number": 42,
            "null": None,
            "true": True,
            "empty object": {},
            "object without type": {"text": "hoi"},
        }
        variant = rng.choice(sorted(variants))
        return self.case("non-object json", variant, variants[variant])

    def wrong_field(self, rng: random.Random) -> Case:
        """A valid activity with one field missing or of the wrong type."""
        changes: dict[str, Any] = {
            "conversation missing": ("conversation", ...),
            "conversation str": ("conversation", "a:conv"),
            "conversation list": ("conversation", [{"id": "a:conv"}]),
            "conversation null": ("conversation", None),
            "conversation empty": ("conversation", {}),
            "conversation.id int": ("conversation", {"id": 5, "conversationType": "personal"}),
            "conversationType list": ("conversation", {"id": "a:c", "conversationType": ["personal"]}),
            "tenantId list": ("conversation", {"id": "a:c", "conversationType": "personal", "tenantId": ["t"]}),
            "tenantId dict": ("conversation", {"id": "a:c", "conversationType": "personal", "tenantId": {"id": "t"}}),
            "channelData.tenant str": ("channelData", {"tenant": "tenant-fz"}),
            "channelData.tenant.id list": ("channelData", {"tenant": {"id": ["t"]}}),
            "channelData str": ("channelData", "x"),
            "channelData list": ("channelData", [1, 2]),
            "from str": ("from", "29:user"),
            "from list": ("from", [{"id": "29:user"}]),
            "from null": ("from", None),
            "from missing": ("from", ...),
            "from.id int": ("from", {"id": 7, "aadObjectId": 7}),
            "recipient str": ("recipient", "28:bot"),
            "recipient missing": ("recipient", ...),
            "text number": ("text", 12345),
            "text list": ("text", ["melden"]),
            "text dict": ("text", {"text": "melden"}),
            "text bool": ("text", True),
            "text huge int": ("text", 10**300),
            "value list": ("value", ["verzenden"]),
            "value str": ("value", "verzenden"),
            "value number": ("value", 1),
            "value.action int": ("value", {"action": 5}),
            "value.action list": ("value", {"action": ["verzenden"]}),
            "value.action dict": ("value", {"action": {"a": 1}}),
            "attachments dict": ("attachments", {"contentType": "text/plain"}),
            "attachments str": ("attachments", "x"),
            "attachments [1]": ("attachments", [1]),
            "attachments bad item": ("attachments", [{"contentType": 5, "content": []}]),
            "entities dict": ("entities", {"type": "mention"}),
            "channelId int": ("channelId", 5),
            "channelId list": ("channelId", ["msteams"]),
            "channelId slack": ("channelId", "slack"),
            "channelId emulator": ("channelId", "emulator"),
            "channelId empty": ("channelId", ""),
            "locale int": ("locale", 5),
            "locale list": ("locale", ["nl"]),
            "timestamp garbage": ("timestamp", "gisteren"),
            "timestamp int": ("timestamp", 5),
            "timestamp out of range": ("timestamp", "9999-99-99T99:99:99Z"),
            "id missing": ("id", ...),
            "id int": ("id", 5),
            "serviceUrl missing": ("serviceUrl", ...),
            "membersAdded on message": ("membersAdded", "x"),
            "replyToId list": ("replyToId", ["x"]),
            "suggestedActions str": ("suggestedActions", "x"),
            "speak dict": ("speak", {"a": 1}),
            "localTimezone int": ("localTimezone", 5),
        }
        variant = rng.choice(sorted(changes))
        key, value = changes[variant]
        activity = self.activity(rng)
        if value is ...:
            activity.pop(key, None)
        else:
            activity[key] = value
        return self.case("wrong field", variant, activity)

    def random_type(self, rng: random.Random) -> Case:
        """Activity types known and unknown, with odd fields for the known ones."""
        options: list[tuple[str, dict[str, Any]]] = [
            ("conversationUpdate", {"membersAdded": rng.choice(["x", [{}], [{"id": 5}], [None], [{"id": "29:n"}]])}),
            ("conversationUpdate", {"membersRemoved": [{"id": "29:x"}], "membersAdded": None}),
            ("messageReaction", {"reactionsAdded": rng.choice(["x", [{}], [{"type": 5}], [{"type": "like"}]])}),
            ("messageReaction", {"reactionsRemoved": [{"type": "like"}]}),
            ("typing", {}),
            ("endOfConversation", {"code": rng.choice([None, 5, "x"])}),
            ("event", {"name": rng.choice([None, 5, "x", "application/vnd.microsoft.meetingStart"]), "value": []}),
            ("installationUpdate", {"action": rng.choice(["add", "remove", 5, None])}),
            ("messageUpdate", {}),
            ("messageDelete", {}),
            ("contactRelationUpdate", {"action": "add"}),
            ("deleteUserData", {}),
            ("handoff", {}),
            ("trace", {"valueType": 5}),
            ("suggestion", {}),
            ("command", {"name": "x", "value": {"a": 1}}),
            ("commandResult", {}),
            ("invokeResponse", {"value": {"status": "x"}}),
            ("", {}),
            (" ", {}),
            ("MESSAGE", {}),
            ("message\u0000", {}),
            ("x" * rng.randrange(100, 5000), {}),
            ("".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(1, 20))), {}),
        ]
        kind, extra = rng.choice(options)
        activity = self.activity(rng, type=kind, **extra)
        if rng.random() < 0.1:
            activity["type"] = rng.choice([5, None, ["message"], {"type": "message"}, True])
            return self.case("random type", f"type {type(activity['type']).__name__}", activity)
        return self.case("random type", kind[:30] if kind.isprintable() else "odd characters", activity)

    def invoke(self, rng: random.Random) -> Case:
        """Invoke activities: card actions with odd data, task modules, message extensions, sign-in, unknown."""
        values: list[Any] = [
            {"data": {"action": "verzenden"}},
            {"action": {"type": "Action.Execute", "verb": "verzenden", "data": {"action": "verzenden"}}},
            {"action": {"type": "Action.Execute", "data": 5}},
            {"action": "verzenden"},
            {"data": None},
            ["verzenden"],
            "verzenden",
            None,
            5,
            {},
        ]
        names = [
            "adaptiveCard/action",
            "adaptiveCard/action",
            "task/fetch",
            "task/submit",
            "composeExtension/query",
            "composeExtension/queryLink",
            "composeExtension/submitAction",
            "composeExtension/fetchTask",
            "healthCheck",
            "signin/verifyState",
            "signin/tokenExchange",
            "fileConsent/invoke",
            "actionableMessage/executeAction",
            "config/fetch",
            "tab/fetch",
            "message/submitAction",
            "",
            None,
            5,
            f"unknown/{rng.getrandbits(16):x}",
        ]
        name = rng.choice(names)
        activity = self.activity(rng, type="invoke", value=rng.choice(values))
        activity.pop("text")
        if name is not None:
            activity["name"] = name
        return self.case("invoke", str(name) if not isinstance(name, str) or name else "''", activity)

    def forged_token(self, rng: random.Random) -> Case:
        """A valid activity with a forged or broken Authorization header."""
        now = int(time.time())
        claims = {
            "iss": BOT_FRAMEWORK_ISSUER,
            "aud": "00000000-0000-0000-0000-000000000000",
            "exp": now + 3600,
            "nbf": now - 60,
            "serviceurl": self.peers.connector,
        }
        variants: dict[str, str] = {
            "garbage": "garbage",
            "Bearer only": "Bearer",
            "Bearer empty": "Bearer ",
            "Bearer x.y.z": "Bearer x.y.z",
            "alg none": "Bearer " + jwt({"alg": "none", "typ": "JWT"}, claims),
            "alg None": "Bearer " + jwt({"alg": "None", "typ": "JWT"}, claims),
            "HS256": "Bearer " + jwt({"alg": "HS256", "typ": "JWT"}, claims, b"secret"),
            "HS256 emulator issuer": "Bearer " + jwt({"alg": "HS256"}, {**claims, "iss": EMULATOR_ISSUER}, b"k"),
            "RS256 unknown kid": "Bearer " + jwt({"alg": "RS256", "kid": "unknown-kid"}, claims, rng=rng),
            "RS256 no kid": "Bearer " + jwt({"alg": "RS256"}, claims, rng=rng),
            "expired": "Bearer " + jwt({"alg": "RS256", "kid": "k"}, {**claims, "exp": now - 7200}, rng=rng),
            "Basic": "Basic " + base64.b64encode(b"user:pass").decode(),
            "very long": "Bearer " + "a" * rng.randrange(4 * KIB, 7 * KIB),
            "two spaces": "Bearer  x.y.z",
            "non-ascii": "Bearer \u00e9\u00e9.\u00e9.\u00e9",
        }
        if not self.key_fetches:
            variants = {name: value for name, value in variants.items() if "kid" not in name and name != "expired"}
        variant = rng.choice(sorted(variants))
        value = variants[variant]
        headers = {"Content-Type": "application/json", "Authorization": value}
        if variant == "non-ascii":
            headers["Authorization"] = value.encode().decode("latin-1")
        return self.case("forged token", variant, self.activity(rng), headers=headers)

    def garbage_service_url(self, rng: random.Random) -> Case:
        """A message whose serviceUrl is not a usable URL."""
        value = rng.choice(self.peers.garbage())
        return self.case("garbage serviceUrl", repr(value)[:40], self.activity(rng, serviceUrl=value))

    def closed_service_url(self, rng: random.Random) -> Case:
        """A message whose serviceUrl is a loopback port where nothing listens."""
        return self.case("closed serviceUrl", "closed port", self.activity(rng, serviceUrl=self.peers.closed))

    def black_hole_service_url(self, rng: random.Random) -> Case:
        """A message whose serviceUrl accepts the connection and never answers."""
        return self.case("black-hole serviceUrl", "black hole", self.activity(rng, serviceUrl=self.peers.black_hole))

    def wrong_method(self, rng: random.Random) -> Case:
        """Another method on /api/messages."""
        method = rng.choice(["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
        return Case("wrong method", method, self.dump(self.activity(rng)), method=method)

    def mutation(self, rng: random.Random) -> Case:
        """A valid activity (message, button press, join, invoke) changed at random, in its structure or its bytes."""
        base = rng.choice(["message", "button", "join", "invoke"])
        if base == "button":
            activity = self.activity(rng, value={"action": rng.choice(["verzenden", "stop", "anonymous", "ja"])})
        elif base == "join":
            activity = self.activity(rng, type="conversationUpdate", membersAdded=[{"id": "29:fz-user-1"}])
        elif base == "invoke":
            activity = self.activity(rng, type="invoke", name="adaptiveCard/action", value={"data": {"action": "x"}})
        else:
            activity = self.activity(rng)
        steps = rng.randrange(1, 6)
        for _ in range(steps):
            mutate(rng, activity)
        if not self.peers.safe(activity.get("serviceUrl")):
            activity["serviceUrl"] = self.peers.connector
        body = (
            self.dump(activity)
            if rng.random() < 0.5
            else json.dumps(activity, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
        )
        if rng.random() < 0.35:
            for _attempt in range(10):
                candidate = mutate_bytes(rng, body)
                if self.harmless(candidate):
                    return Case("mutation", f"{base}, {steps} + bytes", candidate)
        return Case("mutation", f"{base}, {steps}", body)

    def harmless(self, body: bytes) -> bool:
        """Whether every way the service could read these bytes keeps a serviceUrl this benchmark chose."""
        for parse in (lambda: json.loads(body), lambda: json.loads(body.decode("utf-8"))):
            try:
                parsed = parse()
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            except (ValueError, RecursionError):
                return False
            if isinstance(parsed, dict) and not self.peers.safe(parsed.get("serviceUrl")):
                return False
        return True


def b64url(data: bytes) -> str:
    """Base64url without padding, as in a JWT."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(
    header: dict[str, Any], claims: dict[str, Any], key: bytes | None = None, rng: random.Random | None = None
) -> str:
    """A compact JWT: HMAC-signed with `key`, unsigned for alg none, or with a random 256-byte signature."""
    signing = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    if key is not None:
        signature = hmac.new(key, signing.encode(), hashlib.sha256).digest()
    elif rng is not None:
        signature = bytes(rng.getrandbits(8) for _ in range(256))
    else:
        signature = b""
    return f"{signing}.{b64url(signature)}"


ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**63,
    10**40,
    1e308,
    -0.0,
    "",
    "\u0000",
    "\ud800",
    "😀" * 50,
    "\u202egnp.exe",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%s%s%n",
    "' OR 1=1 --",
    "a" * 10_000,
    [],
    {},
    [None, 1, "a"],
    {"id": 5},
    {"action": "verzenden"},
    [[[[[]]]]],
]


def odd(rng: random.Random) -> Any:
    """A fresh copy of one of the odd values (a copy, so that no case shares or nests a list or dict)."""
    return copy.deepcopy(rng.choice(ODD_VALUES))


def mutate(rng: random.Random, activity: dict[str, Any]) -> None:
    """One structural change somewhere in the activity: delete, replace, add or rename a key, or change a type."""
    container: Any = activity
    for _ in range(rng.randrange(0, 3)):
        children = [v for v in (container.values() if isinstance(container, dict) else container) if v]
        children = [c for c in children if isinstance(c, dict | list)]
        if not children:
            break
        container = rng.choice(children)
    if isinstance(container, list):
        if container and rng.random() < 0.5:
            container[rng.randrange(len(container))] = odd(rng)
        else:
            container.append(odd(rng))
        return
    operation = rng.choice(["delete", "replace", "add", "rename", "stringify"])
    keys = list(container)
    if not keys or operation == "add":
        container[rng.choice(["x", "type", "value", "text", "name", "id", "\ud800", ""])] = odd(rng)
        return
    key = rng.choice(keys)
    if operation == "delete":
        del container[key]
    elif operation == "replace":
        container[key] = odd(rng)
    elif operation == "rename":
        container[key.upper() if rng.random() < 0.5 else key + "_"] = container.pop(key)
    else:
        container[key] = json.dumps(container[key])


def mutate_bytes(rng: random.Random, body: bytes) -> bytes:
    """One change to the bytes: flip, insert, delete, duplicate or truncate."""
    data = bytearray(body)
    position = rng.randrange(len(data))
    operation = rng.choice(["flip", "insert", "delete", "duplicate", "truncate"])
    if operation == "flip":
        data[position] ^= 1 << rng.randrange(8)
    elif operation == "insert":
        data[position:position] = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 8)))
    elif operation == "delete":
        del data[position : position + rng.randrange(1, 16)]
    elif operation == "duplicate":
        data[position:position] = data[position : position + rng.randrange(1, 64)]
    else:
        del data[position:]
    return bytes(data)


@dataclass
class Outcome:
    """What happened to one request."""

    kind: str
    variant: str
    status: int | str
    seconds: float


@dataclass
class BlackHole:
    """A loopback peer that accepts connections and never answers."""

    port: int = 0
    accepted: int = 0
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self.server = await asyncio.start_server(self._swallow, LOOPBACK, 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _swallow(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self.writers.append(writer)
        try:
            while await reader.read(65536):
                pass
        except (OSError, asyncio.CancelledError):
            pass  # the benchmark is ending: the held connection just goes

    async def close(self) -> None:
        """Drop every held connection and stop listening."""
        for writer in self.writers:
            writer.close()
        if self.server is not None:
            self.server.close()


def plan(count: int, seed: int) -> list[tuple[str, int]]:
    """The seeded list of (kind, case seed); a few black-hole requests spread over the run."""
    rng = random.Random(seed)
    kinds = list(WEIGHTS)
    weights = [WEIGHTS[kind] for kind in kinds]
    cases = [(kind, rng.getrandbits(48)) for kind in rng.choices(kinds, weights, k=count)]
    for index in rng.sample(range(count), min(count, max(1, count // 2500))):
        cases[index] = ("black-hole serviceUrl", rng.getrandbits(48))
    return cases


async def send(http: ClientSession, url: str, case: Case) -> Outcome:
    """Send one case and classify the answer: a status code, 'timeout' or a connection error."""
    body = case.body() if callable(case.body) else case.body
    started = time.perf_counter()
    try:
        async with http.request(
            case.method, url, data=body, headers=case.headers, skip_auto_headers=("Content-Type",)
        ) as response:
            await response.read()
            status: int | str = response.status
    except TimeoutError:
        status = "timeout"
    except (ClientError, OSError) as exc:
        status = f"connection error ({type(exc).__name__})"
    return Outcome(case.kind, case.variant, status, time.perf_counter() - started)


async def canary(http: ClientSession, service: Service, generator: Generator, stop: asyncio.Event) -> list[float]:
    """An ordinary user asking a question once a second during the run: how much the bad requests delay them."""
    latencies: list[float] = []
    rng = random.Random(1)
    while not stop.is_set():
        activity = generator.activity(rng, text="mag ik een fles wijn aannemen?")
        activity["conversation"]["id"] = "a:fz-canary"
        case = Case("canary", "question", generator.dump(activity))
        outcome = await send(http, service.url + "/api/messages", case)
        latencies.append(outcome.seconds if outcome.status in (200, 201) else float("inf"))
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            pass
    return latencies


def read_log(path: Path) -> tuple[int, Counter, Counter]:
    """From a stderr file: the number of tracebacks, the exception lines that end them, and the other log lines
    (numbers and hex ids replaced by #, so that repeats count as one)."""
    count, exceptions, messages = 0, Counter(), Counter()
    in_traceback = False
    with open(path, errors="replace") as lines:
        for line in lines:
            if line.startswith("Traceback (most recent call last)"):
                count += 1
                in_traceback = True
            elif EXCEPTION_LINE.match(line):
                exceptions[line.strip()[:110]] += 1
                in_traceback = False
            elif line.startswith(("During handling of the above", "The above exception was")):
                in_traceback = True
            elif not in_traceback and line.strip() and not line.startswith((" ", "\t")):
                messages[re.sub(r"\b(0x)?[0-9a-f]*\d[0-9a-f]*\b", "#", line.strip())[:110]] += 1
    return count, exceptions, messages


async def run(args: argparse.Namespace) -> None:
    """Start the service and its peers, send every case, print the figures."""
    trap, hole = OutboundTrap(), BlackHole()
    await trap.start()
    await hole.start()
    trap_port = None if args.isolated else trap.port  # isolated: nothing beyond loopback exists to be reached
    with tempfile.TemporaryDirectory(prefix="integriteitsbot-fuzz-") as tmp:
        folder = Path(tmp)
        connector = script_service("connector", "connector.py", folder, trap_port)
        if args.echo:
            service = script_service("echo", "echo_bot.py", folder, trap_port)
        else:
            service = project_service(folder, trap_port)
        try:
            connector.spawn()
            await connector.wait_healthy()
            service.spawn()
            startup = await service.wait_healthy()
            await fuzz(args, service, connector, hole, trap, startup)
        finally:
            service.stop()
            connector.stop()
            await hole.close()
            await trap.close()


async def fuzz(
    args: argparse.Namespace, service: Service, connector: Service, hole: BlackHole, trap: OutboundTrap, startup: float
) -> None:
    """Send the planned cases with bounded concurrency and a deadline, then report."""
    peers = Peers(
        connector=connector.url + "/",
        closed=f"http://{LOOPBACK}:{free_port()}/",
        black_hole=f"http://{LOOPBACK}:{hole.port}/",
    )
    generator = Generator(peers, key_fetches=args.isolated)
    cases = plan(args.count, args.seed)
    url = service.url + "/api/messages"
    outcomes: list[Outcome] = []
    bench_errors: Counter = Counter()
    queue = iter(cases)
    deadline = time.perf_counter() + args.max_seconds
    print(f"fuzzing {url} with {args.count} requests, {args.concurrency} at a time, seed {args.seed}", flush=True)

    async def worker() -> None:
        for kind, seed in queue:
            if time.perf_counter() > deadline:
                return
            try:
                case = generator.build(kind, seed)
            except Exception as exc:  # a bug in this benchmark must not end a long run: counted and shown
                bench_errors[f"{kind}: {type(exc).__name__}: {exc}"[:100]] += 1
                continue
            outcomes.append(await send(http, url, case))
            if len(outcomes) % 1000 == 0:
                print(f"  {len(outcomes)} sent", flush=True)

    timeout = ClientTimeout(total=CLIENT_TIMEOUT_S)
    async with ClientSession(connector=TCPConnector(limit=0), timeout=timeout) as http:
        stop = asyncio.Event()
        watcher = asyncio.create_task(canary(http, service, generator, stop))
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - started
        stop.set()
        canary_latencies = await watcher
        alive = service.alive()
        healthy = False
        if alive:
            try:
                async with http.get(service.url + "/healthz") as response:
                    healthy = response.status == 200
            except (ClientError, OSError, TimeoutError):
                healthy = False
    peak = service.memory_mib() if alive else (float("nan"), float("nan"))
    await asyncio.sleep(0.5)  # let the service finish writing its log
    report(args, outcomes, elapsed, startup, peak, alive, healthy, canary_latencies, service, hole, trap)
    if bench_errors:
        print(f"\n  cases this benchmark failed to build (a bug here, not in the service): {bench_errors}")


def report(
    args: argparse.Namespace,
    outcomes: list[Outcome],
    elapsed: float,
    startup: float,
    memory: tuple[float, float],
    alive: bool,
    healthy: bool,
    canary_latencies: list[float],
    service: Service,
    hole: BlackHole,
    trap: OutboundTrap,
) -> None:
    """Print the figures."""
    by_code = Counter(o.status for o in outcomes)
    by_class = Counter(f"{o.status // 100}xx" if isinstance(o.status, int) else str(o.status) for o in outcomes)
    server_errors = [o for o in outcomes if isinstance(o.status, int) and o.status >= 500]
    timeouts = sum(1 for o in outcomes if o.status == "timeout")
    slow = [o for o in outcomes if o.seconds > SLOW_S]
    traceback_count, exceptions, messages = read_log(service.stderr_path)
    latencies = [o.seconds for o in outcomes]
    print()
    print(
        f"Integriteitsbot fuzz benchmark ({service.name}) — commit {args.commit}; {len(outcomes)} of {args.count} "
        f"requests sent in {elapsed:.1f} s, {args.concurrency} at a time, seed {args.seed}, "
        f"client timeout {CLIENT_TIMEOUT_S:g} s"
    )
    print(
        "  network: "
        + (
            "private namespace, loopback only (unshare -rn)"
            if args.isolated
            else "NOT isolated (tokens naming a signing key left out); other hosts go to the proxy trap"
        )
    )
    print(f"  service start-up to /healthz 200: {startup:.2f} s")
    print("  per status class: " + ", ".join(f"{name} {n}" for name, n in sorted(by_class.items())))
    print("  per status code:  " + ", ".join(f"{code} {n}" for code, n in sorted(by_code.items(), key=str)))
    print(f"  5xx: {len(server_errors)}  (goal: 0)")
    if server_errors:
        first: dict[str, None] = {}
        for outcome in server_errors:
            first.setdefault(f"{outcome.status} {outcome.kind}: {outcome.variant}", None)
        print("    first examples: " + "; ".join(list(first)[:6]))
        kinds = Counter(f"{o.kind} ({o.status})" for o in server_errors)
        print("    by kind: " + ", ".join(f"{kind} {n}" for kind, n in kinds.most_common()))
    print(f"  timeouts: {timeouts}")
    # A black-hole serviceUrl makes the request wait for its own reply's 10 s budget, by design; anything else
    # that is slow means one peer delays another.
    others = [o for o in slow if o.kind != "black-hole serviceUrl"]
    print(f"  requests over {SLOW_S:g} s: {len(slow)}; not on a black-hole serviceUrl: {len(others)}  (goal: 0)")
    if slow:
        print("    by kind: " + ", ".join(f"{k} {n}" for k, n in Counter(o.kind for o in slow).most_common(8)))
    print(
        f"  latency: p50 {1000 * percentile(latencies, 0.5):.1f} ms, p99 {1000 * percentile(latencies, 0.99):.1f} ms,"
        f" max {max(latencies, default=float('nan')):.2f} s"
    )
    finite = [s for s in canary_latencies if s != float("inf")]
    print(
        f"  ordinary question once a second during the run: {len(canary_latencies)} asked, "
        f"{len(canary_latencies) - len(finite)} failed, p50 {1000 * percentile(finite, 0.5):.0f} ms, "
        f"max {max(finite, default=float('nan')):.2f} s"
    )
    print(f"  service RSS at the end {memory[0]:.1f} MiB, peak (VmHWM) {memory[1]:.1f} MiB")
    print(
        f"  service still running: {'yes' if alive else 'NO'}, /healthz after the run: {'200' if healthy else 'FAILED'}"
    )
    print(f"  tracebacks in the service's stderr: {traceback_count}")
    for line, n in exceptions.most_common(8):
        print(f"    {n:>5}  {line}")
    print(f"  other lines in the service's stderr: {sum(messages.values())}")
    for line, n in messages.most_common(6):
        print(f"    {n:>5}  {line}")
    print(f"  black-hole connections held: {hole.accepted}")
    if not args.isolated:
        print(
            f"  attempts to reach a host beyond loopback (refused by the trap): {sum(trap.attempts.values())}"
            f"{' ' + str(dict(trap.attempts.most_common(4))) if trap.attempts else ''}"
        )
    print("\n  per kind                      sent    2xx    4xx    5xx  other  >2 s")
    table: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        row = table[o.kind]
        row["sent"] += 1
        row[f"{o.status // 100}xx" if isinstance(o.status, int) and 2 <= o.status // 100 <= 5 else "other"] += 1
        row[">2s"] += o.seconds > SLOW_S
    for kind, row in sorted(table.items()):
        print(
            f"  {kind:<26}{row['sent']:>7}{row['2xx']:>7}{row['4xx']:>7}{row['5xx']:>7}{row['other']:>7}{row['>2s']:>6}"
        )


def main() -> None:
    """Parse the flags and run; the service and its peers are stopped on every way out."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000, help="number of bad requests (default 10000)")
    parser.add_argument("--seed", type=int, default=8, help="seed of the requests (default 8)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop sending after this long (default 900)")
    parser.add_argument(
        "--echo", action="store_true", help="fuzz the bare botbuilder echo bot instead: the stack without the project"
    )
    parser.add_argument(
        "--no-isolate", action="store_true", help="do not re-run in a private network namespace (unshare -rn)"
    )
    args = parser.parse_args()
    args.isolated = isolate_network(not args.no_isolate)
    args.commit = commit()  # the code under test is the code at start-up; the tree may move on during the run
    run_until_done(run(args))


if __name__ == "__main__":
    main()
