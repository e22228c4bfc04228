"""The one markup of the neutral replies: **bold** around matched words, and bare links that must stay whole."""

from __future__ import annotations

import re
from collections.abc import Callable

Span = tuple[int, int]
BOLD = "**"  # the one markup neutral replies use: matched words in a lookup answer
URL = re.compile(r"https?://[^\s<>\"'“”‘’]+")
URL_TAIL = ".,;:!?)]}…"  # punctuation after a link ends a sentence; it is not part of the address


def plain(text: str) -> str:
    """The text without the neutral bold marks, for places that show no markdown (fallbacks, summaries)."""
    return "".join(split_bold(text)[0])


def split_bold(line: str) -> tuple[list[str], list[bool]]:
    """The line's pieces and whether each is marked bold; an unmatched mark stays as literal text."""
    parts = line.split(BOLD)
    if len(parts) % 2 == 0:  # an odd number of marks: the last one is no mark
        parts[-2:] = [parts[-2] + BOLD + parts[-1]]
    return parts, [index % 2 == 1 for index in range(len(parts))]


def link_span(match: re.Match[str]) -> Span:
    """Where a link starts and ends: without the punctuation after it, but with its own closing parenthesis."""
    start, end = match.span()
    text = match.string
    while end > start and text[end - 1] in URL_TAIL:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return start, end


def marked_spans(line: str, keep: Callable[[str, int, int], bool]) -> tuple[str, list[Span], list[Span]]:
    """The line without its marks, the bold spans a channel can show (`keep` decides), and its links; a bold mark
    that would touch a link is dropped, so the link stays whole and clickable."""
    parts, bold = split_bold(line)
    text = "".join(parts)
    links = [link_span(match) for match in URL.finditer(text)]
    spans, cursor = [], 0
    for part, marked in zip(parts, bold, strict=True):
        start, end = cursor, cursor + len(part)
        cursor = end
        if marked and keep(text, start, end) and not any(s < end and start < e for s, e in links):
            spans.append((start, end))
    return text, spans, links


WORD_JOINER = "\u2060"  # invisible and unbreakable: placed inside what a renderer would read, it reads nothing
# What could make user text a link anywhere (our own link detection, Teams, Slack, a mail client): the '://' of
# an address, the dot before a domain's next label ('1.1' and 't.o.v.' stay as they are), the '@' of an e-mail
# address, and a markdown link's '](' or Slack's '<…|…>'.
LINK_PARTS = re.compile(r":(?=//)|(?<=\w)\.(?=[^\W\d_]{2})|(?<=\w)@(?=\w)|\](?=\()|\|")
# Emphasis or code in any channel's markup; our own bold mark is two asterisks.
EMPHASIS_BEFORE = re.compile(r"(?<!\u2060)(?=[*_~`])")
EMPHASIS_AFTER = re.compile(r"(?<=[*_~`])(?!\u2060)")


def inert(text: str) -> str:
    """User-typed text made inert for every renderer: no link, no emphasis, no bold mark survives, while it reads
    the same (word joiners are invisible). Idempotent, so text that passes twice is not changed twice. Channels
    still escape their own control characters (<, >, & for Slack and Teams messages, markdown for Teams cards)."""
    text = LINK_PARTS.sub(lambda match: match.group(0) + WORD_JOINER if not _joined(match) else match.group(0), text)
    return EMPHASIS_AFTER.sub(WORD_JOINER, EMPHASIS_BEFORE.sub(WORD_JOINER, text))


def _joined(match: re.Match[str]) -> bool:
    end = match.end()
    return end < len(match.string) and match.string[end] == WORD_JOINER
