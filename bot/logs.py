"""Service logging: one format, transport loggers held back, and chat identifiers scrubbed from every line."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

# These log request URLs, headers or bodies at DEBUG (urllib3: `POST /v3/conversations/a%3A…/activities`),
# which would link a conversation to what the service does next; they stay at WARNING whatever LOG_LEVEL says.
TRANSPORT_LOGGERS = (
    "aiosqlite",
    "sqlalchemy",
    "urllib3",
    "requests",
    "msrest",
    "msal",
    "aiohttp.client",
    "aiohttp.access",
    "botbuilder",
    "botframework",
    "asyncio",
    "slack_bolt",
    "slack_sdk",
)
# Conversation ids in Bot Framework URLs (raw or URL-encoded), Teams-shaped ids such as 29:…, a:…, 19:…, and
# Slack's member, channel, DM and workspace ids (U0123ABCD, D…, C…, T…: a capital, then capitals with a digit).
_PATTERNS = (
    re.compile(r"(/conversations/)[^/\s\"'?]+", re.IGNORECASE),
    re.compile(r"(?<![\w:])((?:29|28|19|8|a)(?::|%3A))[\w\-.@%=+~]{10,}", re.IGNORECASE),
    re.compile(r"(?<![\w-])([UWCDGT])(?=[A-Z0-9]*\d)[A-Z0-9]{8,12}(?![\w-])"),
)
REDACTED = "…"


def scrub(text: str) -> str:
    """The text with every conversation or user id that has a recognisable shape replaced by '…'."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
    return text


class Scrubber(logging.Filter):
    """A handler filter that scrubs the formatted message and any traceback before a line is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops a line."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a broken format string is still worth a line
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def hold_transport_loggers() -> None:
    """Keep the transport loggers at WARNING or above."""
    for name in TRANSPORT_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(max(logging.WARNING, logger.level))


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FORMATS = ("text", "json")


class JsonLines(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json), for a log collector: time, level, logger, message and any
    traceback, all of them already scrubbed by the handler's Scrubber."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)


def formatter(fmt: str = "text") -> logging.Formatter:
    """The formatter of a log format name."""
    return JsonLines() if fmt == "json" else logging.Formatter(FORMAT)


def configure(level: str | int = logging.INFO, fmt: str = "text") -> None:
    """Log to stderr at `level` as text or JSON lines, with transport loggers held back and every handler
    scrubbing ids."""
    logging.basicConfig(level=level, format=FORMAT)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in root.handlers:
        handler.setFormatter(formatter(fmt))
        if not any(isinstance(existing, Scrubber) for existing in handler.filters):
            handler.addFilter(Scrubber())
    hold_transport_loggers()


def to_file(path: Path, level: str | int = logging.INFO, fmt: str = "text") -> None:
    """Log to this file (appended) instead of stderr, at `level`, scrubbed like every handler: for the terminal
    chat, whose terminal shows only the conversation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(formatter(fmt))
    handler.addFilter(Scrubber())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    hold_transport_loggers()
