"""Read a POST to /api/messages once and strictly: size, UTF-8, JSON, depth, numbers, then the activity's shape."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any
from urllib.parse import SplitResult, urlsplit

from aiohttp import web
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

MAX_BODY_BYTES = 256 * 1024  # a Teams activity is a few KiB; Teams itself caps messages at about 28 KiB
BODY_TIMEOUT = 10.0  # seconds to receive the whole body; a peer that trickles it in is cut off
MAX_DEPTH = 32  # nesting of objects and arrays; real activities use fewer than 10
MAX_INT_DIGITS = 32  # longer integers are refused before Python's int() spends time on them

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL_UNSAFE = re.compile(r"[{}\s\x00-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # json turns escaped pairs into one character, so any left is lone


class BadRequest(Exception):
    """A request the endpoint refuses, with its HTTP status and a Dutch reason for the caller."""

    def __init__(self, status: int, reason: str, log_reason: str) -> None:
        super().__init__(log_reason)
        self.status = status
        self.reason = reason
        self.log_reason = log_reason


def _refuse(reason: str, log_reason: str) -> BadRequest:
    return BadRequest(400, reason, log_reason)


NOT_JSON = "Het bericht is geen geldige JSON."
NOT_ACTIVITY = "Het bericht is geen Bot Framework-activiteit."


async def read_body(request: web.Request) -> bytes:
    """The request body, at most MAX_BODY_BYTES, received within BODY_TIMEOUT; raises BadRequest (415, 413, 408)."""
    if request.content_type != "application/json":
        raise BadRequest(415, "Content-Type moet application/json zijn.", f"content type {request.content_type!r}")
    too_large = BadRequest(413, f"Het bericht is te groot: hoogstens {MAX_BODY_BYTES // 1024} KiB.", "body too large")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT):
            while size <= MAX_BODY_BYTES:
                chunk = await request.content.read(MAX_BODY_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except TimeoutError:
        raise BadRequest(408, "Het bericht kwam te traag binnen.", "body too slow") from None
    if size > MAX_BODY_BYTES:
        raise too_large
    return b"".join(chunks)


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _refuse("Het bericht bevat een getal dat te lang is.", f"integer of {len(text)} digits")
    return int(text)


def _parse_constant(name: str) -> float:
    raise _refuse(NOT_JSON, f"non-standard JSON constant {name}")


def _check_tree(value: object) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings (keys too) holding lone surrogates; iterative, no recursion."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth > MAX_DEPTH:
                raise _refuse(f"Het bericht is te diep genest (hoogstens {MAX_DEPTH} niveaus).", "nested too deep")
            for key, child in item.items():
                if _SURROGATE.search(key):
                    raise _refuse("Het bericht bevat ongeldige Unicode-tekens.", "lone surrogate in a key")
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            if depth > MAX_DEPTH:
                raise _refuse(f"Het bericht is te diep genest (hoogstens {MAX_DEPTH} niveaus).", "nested too deep")
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise _refuse("Het bericht bevat ongeldige Unicode-tekens.", "lone surrogate in a string")


def parse_json(raw: bytes) -> Any:
    """Parse a body as strict JSON: UTF-8 without BOM, no NaN, bounded depth and integers; raises BadRequest."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _refuse("Het bericht moet UTF-8 zonder BOM zijn.", "UTF-8 byte order mark")
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise _refuse("Het bericht moet UTF-8 zijn.", "body is not UTF-8") from None
    if "\x00" in text:  # JSON text never holds a raw NUL; UTF-16 or UTF-32 without a BOM does
        raise _refuse("Het bericht moet UTF-8 zijn.", "NUL in body: UTF-16 or UTF-32")
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_parse_constant)
    except RecursionError:
        raise _refuse(f"Het bericht is te diep genest (hoogstens {MAX_DEPTH} niveaus).", "nested too deep") from None
    except ValueError:  # json.JSONDecodeError is a ValueError
        raise _refuse(NOT_JSON, "body is not valid JSON") from None
    _check_tree(value)
    return value


def _string(body: dict[str, Any], field: str, *, required: bool = False, identifier: bool = False) -> None:
    value = body.get(field)
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value):
        raise _refuse(f"Het veld '{field}' ontbreekt of is geen tekst.", f"field {field} missing or not a string")
    if identifier and _CONTROL.search(value):
        # Ids travel in connector URLs and headers (x-ms-conversation-id), where a control character is refused.
        raise _refuse(f"Het veld '{field}' bevat stuurtekens.", f"control character in {field}")


def _account(body: dict[str, Any], field: str, *, required: bool = False) -> None:
    value = body.get(field)
    if value is None and not required:
        return
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or (required and not value["id"]):
        raise _refuse(f"Het veld '{field}' ontbreekt of is geen object met een id.", f"field {field} malformed")
    _string(value, "id", identifier=True)
    for name in ("name", "aadObjectId", "role", "conversationType", "tenantId"):
        if value.get(name) is not None and not isinstance(value[name], str):
            raise _refuse(f"Het veld '{field}.{name}' is geen tekst.", f"field {field}.{name} not a string")


def _list_of_objects(body: dict[str, Any], field: str) -> None:
    value = body.get(field)
    if value is not None and (not isinstance(value, list) or not all(isinstance(item, dict) for item in value)):
        raise _refuse(f"Het veld '{field}' is geen lijst van objecten.", f"field {field} not a list of objects")


def _valid_port(parts: SplitResult) -> bool:
    try:
        port = parts.port  # a port such as :99999 or :x raises here rather than later in the connector
    except ValueError:
        return False
    return port is None or port > 0


def _service_url(body: dict[str, Any]) -> None:
    value = body.get("serviceUrl")
    # msrest formats the base URL with str.format, so braces would break every reply; no real service URL has them.
    usable = isinstance(value, str) and len(value) <= 2048 and not _URL_UNSAFE.search(value)
    try:
        parts = urlsplit(value) if usable else None
    except ValueError:  # such as an unclosed IPv6 bracket: http://[::1
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not _valid_port(parts):
        raise _refuse("Het veld 'serviceUrl' ontbreekt of is geen http(s)-adres.", "serviceUrl missing or malformed")


def to_activity(body: Any) -> Activity:
    """Check the fields the bot relies on, then deserialise once; raises BadRequest (400) with a Dutch reason."""
    if not isinstance(body, dict):
        raise _refuse(NOT_ACTIVITY, "body is not a JSON object")
    _string(body, "type", required=True)
    _string(body, "channelId", required=True)
    _service_url(body)
    _account(body, "conversation", required=True)
    _account(body, "from")
    _account(body, "recipient")
    for field in ("id", "replyToId"):
        _string(body, field, identifier=True)
    for field in ("text", "name", "locale", "deliveryMode", "textFormat"):
        _string(body, field)
    for field in ("attachments", "entities", "membersAdded", "membersRemoved", "reactionsAdded", "reactionsRemoved"):
        _list_of_objects(body, field)
    try:
        return Activity.deserialize(body)
    except (DeserializationError, TypeError, ValueError, AttributeError) as exc:
        raise _refuse(NOT_ACTIVITY, f"activity does not deserialise ({type(exc).__name__})") from None
