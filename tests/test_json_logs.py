"""LOG_FORMAT=json: every line the service logs is one JSON object, scrubbed like the text lines."""

from __future__ import annotations

import io
import json
import logging

from bot import logs
from bot.settings import Settings, SettingsError
from tests.serving import healthz, serve, stop


async def test_the_service_logs_json_lines(tmp_path):
    process, url, log = serve(tmp_path, "--dev", LOG_FORMAT="json")
    try:
        await healthz(process, url)
    finally:
        text = stop(process, log)
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any("development mode" in line["message"].lower() for line in lines), lines


def test_json_lines_are_scrubbed_like_text():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter("json"))
    handler.addFilter(logs.Scrubber())
    logger = logging.getLogger("test.json")
    logger.addHandler(handler)
    try:
        logger.warning("reply to %s failed", "/v3/conversations/a:1Xyz-conversation-id-123/activities")
        try:
            raise RuntimeError("user 29:1abcdefghijklmnopqrstu")
        except RuntimeError:
            logger.exception("turn failed")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "reply to /v3/conversations/…/activities failed"
    assert "29:…" in second["exception"] and "abcdefghijklmnop" not in second["exception"]


def test_an_unknown_log_format_is_refused():
    try:
        Settings.from_env({"LOG_FORMAT": "xml"})
    except SettingsError as error:
        assert "LOG_FORMAT" in str(error)
    else:
        raise AssertionError("LOG_FORMAT=xml was taken")
