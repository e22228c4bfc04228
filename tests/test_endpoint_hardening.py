"""The Teams endpoint refuses bad requests with a 4xx and a Dutch reason, answers every invoke, and never 5xxs."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

from bot.channels.teams import parse
from bot.channels.teams.markdown import card_markdown
from bot.vocabulary import messages as msg
from tests.teams_fakes import post_raw


def activity_bytes(bot, **overrides: Any) -> bytes:
    """A valid message activity as UTF-8 JSON, with fields replaced (a value of None removes the field)."""
    activity = bot.activity(**{"text": "hallo", **overrides})
    return json.dumps({k: v for k, v in activity.items() if v is not None}).encode()


def with_raw_field(bot, field: str, raw_json: str) -> bytes:
    """A valid activity whose `field` holds a literal piece of JSON text (for values json.dumps cannot write)."""
    activity = bot.activity(text="hallo")
    activity[field] = "__RAW__"
    return json.dumps(activity).encode().replace(b'"__RAW__"', raw_json.encode())


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


JSON = "application/json"


def case(name: str, build: Any, status: int, word: str, content_type: str = JSON) -> Any:
    """One bad request: how to build its body, the status it gets and a word of its Dutch reason."""
    return pytest.param(build, content_type, status, word, id=name)


def conv(**fields: Any) -> Any:
    """A body builder whose conversation object is replaced."""
    return lambda b: activity_bytes(b, conversation=fields)


def latin1(b) -> bytes:
    return json.dumps(b.activity(text="café"), ensure_ascii=False).encode("latin-1")


BAD_REQUESTS = [
    case("utf8-bom", lambda b: b"\xef\xbb\xbf" + activity_bytes(b), 400, "BOM"),
    case("utf16", lambda b: activity_bytes(b).decode().encode("utf-16"), 400, "UTF-8"),
    case("utf16-le-no-bom", lambda b: activity_bytes(b).decode().encode("utf-16-le"), 400, "UTF-8"),
    case("latin1", latin1, 400, "UTF-8"),
    case("lone-surrogate", lambda b: with_raw_field(b, "text", '"a\\ud800b"'), 400, "Unicode"),
    case("lone-low-surrogate", lambda b: with_raw_field(b, "value", '{"x": "\\udfff"}'), 400, "Unicode"),
    case("surrogate-key", lambda b: with_raw_field(b, "value", '{"\\ud83d": 1}'), 400, "Unicode"),
    case("deep-nesting", lambda b: activity_bytes(b, value=nested(40)), 400, "genest"),
    case("very-deep-nesting", lambda b: b"[" * 100_000 + b"]" * 100_000, 400, "genest"),
    case("huge-int", lambda b: with_raw_field(b, "value", "1" * 5000), 400, "getal"),
    case("huge-negative-int", lambda b: with_raw_field(b, "value", "-" + "9" * 40), 400, "getal"),
    case("nan", lambda b: with_raw_field(b, "value", "NaN"), 400, "JSON"),
    case("infinity", lambda b: with_raw_field(b, "value", "-Infinity"), 400, "JSON"),
    case("huge-body", lambda b: activity_bytes(b, value="x" * 300_000), 413, "te groot"),
    case("over-aiohttp-limit", lambda b: activity_bytes(b, value="x" * 2_000_000), 413, "te groot"),
    case("text-plain", lambda b: activity_bytes(b), 415, "Content-Type", "text/plain"),
    case("json-patch", lambda b: activity_bytes(b), 415, "Content-Type", "application/json-patch+json"),
    case("form", lambda b: b"type=message", 415, "Content-Type", "application/x-www-form-urlencoded"),
    case("not-json", lambda b: b"{not json", 400, "JSON"),
    case("empty", lambda b: b"", 400, "JSON"),
    case("array", lambda b: b"[1, 2]", 400, "activiteit"),
    case("string", lambda b: b'"message"', 400, "activiteit"),
    case("null", lambda b: b"null", 400, "activiteit"),
    case("number", lambda b: b"5", 400, "activiteit"),
    case("no-type", lambda b: activity_bytes(b, type=None), 400, "type"),
    case("type-number", lambda b: activity_bytes(b, type=5), 400, "type"),
    case("type-empty", lambda b: activity_bytes(b, type=""), 400, "type"),
    case("no-conversation", lambda b: activity_bytes(b, conversation=None), 400, "conversation"),
    case("conversation-string", lambda b: activity_bytes(b, conversation="a:conv-1"), 400, "conversation"),
    case("conversation-list", lambda b: activity_bytes(b, conversation=[]), 400, "conversation"),
    case("conversation-no-id", conv(tenantId="t"), 400, "id"),
    case("conversation-id-number", conv(id=7), 400, "id"),
    case("conversation-id-nul", conv(id="a\u0000b"), 400, "stuurtekens"),
    case("conversation-id-crlf", conv(id="a\r\nX: y"), 400, "stuurtekens"),
    case("tenant-id-list", conv(id="a:c", tenantId=["tenant-demo"]), 400, "tenantId"),
    case("tenant-id-object", conv(id="a:c", tenantId={"id": "tenant-demo"}), 400, "tenantId"),
    case("conversation-type-number", conv(id="a:c", conversationType=1), 400, "conversationType"),
    case("from-string", lambda b: activity_bytes(b, **{"from": "29:user-1"}), 400, "from"),
    case("from-id-list", lambda b: activity_bytes(b, **{"from": {"id": ["x"]}}), 400, "from"),
    case("from-name-object", lambda b: activity_bytes(b, **{"from": {"id": "x", "name": {}}}), 400, "from"),
    case("recipient-number", lambda b: activity_bytes(b, recipient=28), 400, "recipient"),
    case("no-service-url", lambda b: activity_bytes(b, serviceUrl=None), 400, "serviceUrl"),
    case("service-url-number", lambda b: activity_bytes(b, serviceUrl=5), 400, "serviceUrl"),
    case("service-url-ftp", lambda b: activity_bytes(b, serviceUrl="ftp://example.invalid/"), 400, "serviceUrl"),
    case("service-url-braces", lambda b: activity_bytes(b, serviceUrl="http://127.0.0.1/{x}"), 400, "serviceUrl"),
    case("service-url-bad-port", lambda b: activity_bytes(b, serviceUrl="http://127.0.0.1:99999/"), 400, "serviceUrl"),
    case("service-url-bad-ipv6", lambda b: activity_bytes(b, serviceUrl="http://[::1"), 400, "serviceUrl"),
    case("service-url-no-host", lambda b: activity_bytes(b, serviceUrl="https:///v3"), 400, "serviceUrl"),
    case("no-channel-id", lambda b: activity_bytes(b, channelId=None), 400, "channelId"),
    case("text-number", lambda b: activity_bytes(b, text=5), 400, "text"),
    case("text-list", lambda b: activity_bytes(b, text=["hallo"]), 400, "text"),
    case("name-object", lambda b: activity_bytes(b, name={}), 400, "name"),
    case("attachments-object", lambda b: activity_bytes(b, attachments={"a": 1}), 400, "attachments"),
    case("attachments-string", lambda b: activity_bytes(b, attachments="x"), 400, "attachments"),
    case("attachments-of-numbers", lambda b: activity_bytes(b, attachments=[1, 2]), 400, "objecten"),
    case("members-added-null", lambda b: activity_bytes(b, membersAdded=[None]), 400, "membersAdded"),
    case("members-added-object", lambda b: activity_bytes(b, membersAdded={"id": "x"}), 400, "membersAdded"),
    case("entities-of-strings", lambda b: activity_bytes(b, entities=["x"]), 400, "objecten"),
    case("timestamp-garbage", lambda b: activity_bytes(b, timestamp="gisteren"), 400, "activiteit"),
]


@pytest.mark.parametrize(("build", "content_type", "status", "word"), BAD_REQUESTS)
async def test_bad_request_gets_4xx_with_dutch_reason(bot, build, content_type, status, word):
    code, payload = await post_raw(bot, build(bot), content_type)
    assert code == status, payload
    assert word in payload["error"], payload
    assert bot.connector.sent == []


async def test_body_without_content_length_is_cut_off_at_the_limit(bot):
    body = activity_bytes(bot, value="x" * (parse.MAX_BODY_BYTES + 10))

    async def chunks():
        for start in range(0, len(body), 16 * 1024):
            yield body[start : start + 16 * 1024]

    async with bot.http.post(
        bot.url("/api/messages"), data=chunks(), headers={"Content-Type": "application/json"}
    ) as response:
        assert response.status == 413
        assert "te groot" in (await response.json())["error"]


async def test_body_just_under_the_limit_is_read(bot):
    body = activity_bytes(bot, text="x" * (parse.MAX_BODY_BYTES - 2_000))
    code, _ = await post_raw(bot, body)
    assert code == 201
    assert "hoogstens" in bot.connector.sent[0]["text"]  # too long for a question, said in Dutch


async def test_body_that_trickles_in_gets_408(bot, monkeypatch):
    monkeypatch.setattr(parse, "BODY_TIMEOUT", 0.3)
    reader, writer = await asyncio.open_connection(bot.server.host, bot.server.port)
    writer.write(
        b"POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"type": '
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.readline(), 5)
    writer.close()
    assert head.startswith(b"HTTP/1.1 408"), head


async def test_odd_tenant_id_in_channel_data_does_not_break_the_turn(start_bot):
    bot = await start_bot(org=None, tenants={"tenant-demo": "putte"})
    for tenant in (["tenant-demo"], {"id": "tenant-demo"}, 5):
        sent = await bot.say(
            "mag ik een geschenk aannemen?",
            conversation={"id": "a:conv-9", "conversationType": "personal"},
            channelData={"tenant": {"id": tenant}},
        )
        assert len(sent) == 1
        assert "welke organisatie" in sent[0]["text"]
        assert msg.TURN_ERROR not in sent[0]["text"]


@pytest.mark.parametrize(
    ("overrides", "replies"),
    [
        ({"type": "conversationUpdate"}, 0),
        ({"type": "conversationUpdate", "membersAdded": []}, 0),
        ({"type": "conversationUpdate", "membersRemoved": [{"id": "29:user-1"}]}, 0),
        ({"type": "messageReaction"}, 0),
        ({"type": "messageReaction", "reactionsRemoved": [{"type": "like"}]}, 0),
        ({"type": "typing"}, 0),
        ({"type": "event", "name": "x"}, 0),
        ({"type": "installationUpdate", "action": "add"}, 0),
        ({"type": "endOfConversation"}, 0),
        ({"type": "messageUpdate"}, 0),
        ({"type": "messageDelete"}, 0),
        ({"type": "trace"}, 0),
        ({"type": "delay"}, 0),
        ({"type": "gibberish"}, 0),
        ({"value": [1, 2]}, 1),
        ({"value": "sectie x"}, 1),
        ({"value": {"action": ["x"]}}, 1),
        ({"channelData": "x"}, 1),
        ({"channelData": {"tenant": "x"}}, 1),
        ({"attachments": []}, 1),
        ({"from": None, "recipient": None}, 1),
        ({"locale": "xx"}, 1),
        ({"id": None}, 1),
    ],
)
async def test_odd_but_readable_activities_are_handled(bot, overrides, replies):
    status = await bot.post(bot.activity(**overrides))
    assert status == 201
    assert len(bot.connector.sent) == replies
    assert all(msg.TURN_ERROR not in (a.get("text") or "") for a in bot.connector.sent)


async def test_expect_replies_returns_the_replies_in_the_response(bot):
    body = activity_bytes(bot, text="help", deliveryMode="expectReplies")
    code, payload = await post_raw(bot, body)
    assert code == 200
    assert "Zo werk ik" in payload["activities"][0]["text"]
    assert bot.connector.sent == []


def invoke(bot, name: str | None, value: Any = None) -> bytes:
    return activity_bytes(bot, type="invoke", name=name, value=value)


@pytest.mark.parametrize(
    ("name", "value", "status", "check"),
    [
        ("healthCheck", None, 200, lambda body: body == {"healthResults": {"success": True}}),
        ("task/fetch", {"data": {}}, 200, lambda b: b["task"]["type"] == "message" and "chat" in b["task"]["value"]),
        ("task/submit", {"data": {}}, 200, lambda body: body["task"]["type"] == "message"),
        ("composeExtension/query", {"commandId": "x"}, 200, lambda b: b["composeExtension"]["type"] == "message"),
        ("composeExtension/submitAction", {}, 200, lambda b: "berichtvak" in b["composeExtension"]["text"]),
        ("composeExtension/fetchTask", {}, 200, lambda body: body["task"]["type"] == "message"),
        ("composeExtension/queryLink", {"url": "x"}, 200, lambda b: b["composeExtension"]["type"] == "message"),
        ("signin/verifyState", {"state": "1"}, 200, lambda body: body is None),
        ("signin/tokenExchange", {"id": "x", "connectionName": "c"}, 412, lambda b: "aanmelding" in b["failureDetail"]),
        ("signin/tokenExchange", "odd", 412, lambda body: body["id"] == ""),
        ("config/fetch", None, 400, lambda body: "actie" in body["error"]),
        ("tab/fetch", None, 400, lambda body: "actie" in body["error"]),
        ("fileConsent/invoke", None, 400, lambda body: "actie" in body["error"]),
        (None, None, 400, lambda body: "actie" in body["error"]),
        ("", None, 400, lambda body: "actie" in body["error"]),
        ("adaptiveCard/action", None, 400, lambda body: body["type"] == "application/vnd.microsoft.error"),
        ("adaptiveCard/action", [1], 400, lambda body: "knop" in body["value"]["message"]),
        ("adaptiveCard/action", {"action": {"type": "Action.Execute"}}, 400, lambda b: b["statusCode"] == 400),
        ("adaptiveCard/action", {"data": {"action": 5}}, 400, lambda b: b["statusCode"] == 400),
    ],
)
async def test_every_invoke_gets_an_answer_teams_accepts(bot, name, value, status, check):
    code, payload = await post_raw(bot, invoke(bot, name, value))
    assert code == status, payload
    assert check(payload), payload
    assert bot.connector.sent == []


@pytest.mark.parametrize(
    "value",
    [
        {"action": {"type": "Action.Execute", "verb": "x", "data": {"action": "sectie geschenken-en-voordelen"}}},
        {"data": {"action": "sectie geschenken-en-voordelen"}},
    ],
)
async def test_card_action_invoke_is_a_button_press(bot, value, content):
    code, payload = await post_raw(bot, invoke(bot, "adaptiveCard/action", value))
    assert code == 200
    assert payload["statusCode"] == 200
    assert payload["type"] == "application/vnd.microsoft.activity.message"
    assert "chat" in payload["value"]
    section = content.packs["kortrijk"].section("geschenken-en-voordelen")
    [reply] = bot.connector.sent
    blocks = reply["attachments"][0]["content"]["body"]
    assert any(block.get("text") == card_markdown(section.text) for block in blocks)


@pytest.mark.parametrize("choice", ["verzenden", "geschenk"])
async def test_card_action_invoke_with_a_command(bot, choice):
    value = {"action": {"type": "Action.Execute", "verb": "x", "data": {"action": choice}}}
    code, payload = await post_raw(bot, invoke(bot, "adaptiveCard/action", value))
    assert code == 200
    assert payload["type"] == "application/vnd.microsoft.activity.message"
    assert bot.connector.sent, "the button press is answered in the chat as usual"
    assert all(msg.TURN_ERROR not in (a.get("text") or "") for a in bot.connector.sent)


async def test_failed_card_action_is_answered_in_the_invoke_response(bot, monkeypatch, caplog):
    async def broken(_self, _turn):
        raise RuntimeError("store down")

    monkeypatch.setattr("bot.conversation.dispatch.Conversation.handle", broken)
    value = {"data": {"action": "geschenk"}}
    code, payload = await post_raw(bot, invoke(bot, "adaptiveCard/action", value))
    assert code == 200
    assert payload == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": msg.TURN_ERROR}
    assert any(r.exc_info for r in caplog.records if r.getMessage().startswith("turn failed"))


ODD_VALUES: list[Any] = [None, 0, -1, 1.5, True, "", "x" * 300, "\u0000", "é😀", [], {}, [1], [None], {"a": 1}]
FUZZED_FIELDS = [
    "type", "id", "channelId", "serviceUrl", "from", "recipient", "conversation", "text", "value", "attachments",
    "entities", "channelData", "membersAdded", "membersRemoved", "reactionsAdded", "reactionsRemoved", "name",
    "locale", "replyToId", "timestamp", "localTimestamp", "deliveryMode", "textFormat", "action", "relatesTo",
    "conversation.id", "conversation.tenantId", "conversation.conversationType", "from.id", "from.aadObjectId",
    "from.name", "recipient.id", "channelData.tenant", "channelData.tenant.id", "value.action", "value.data",
]  # fmt: skip
ACTIVITY_TYPES = [
    "message", "invoke", "conversationUpdate", "messageReaction", "event", "typing", "installationUpdate",
    "endOfConversation", "messageUpdate", "messageDelete", "handoff", "trace", "delay", "suggestion", "command",
]  # fmt: skip


def set_path(activity: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted field, creating objects on the way (replacing anything that is not one)."""
    *parents, last = path.split(".")
    target = activity
    for part in parents:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[last] = value


@pytest.mark.parametrize("field", FUZZED_FIELDS)
async def test_fuzzed_field_never_gets_5xx(bot, field, caplog):
    for kind in ("message", "invoke", "conversationUpdate", "messageReaction"):
        for value in ODD_VALUES:
            activity = bot.activity(type=kind, text="hallo", name="adaptiveCard/action" if kind == "invoke" else None)
            set_path(activity, field, value)
            code, payload = await post_raw(bot, json.dumps(activity).encode())
            assert code < 500, (kind, field, value, payload)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("kind", ACTIVITY_TYPES)
async def test_every_activity_type_with_odd_fields_never_gets_5xx(bot, kind, caplog):
    for field in ("text", "value", "membersAdded", "reactionsAdded", "channelData", "name", "action"):
        for value in (None, [], {}, [1], {"a": [1]}, "x"):
            activity = bot.activity(type=kind)
            activity[field] = value
            code, payload = await post_raw(bot, json.dumps(activity).encode())
            assert code < 500, (kind, field, value, payload)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
