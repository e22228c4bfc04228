"""Neutral text as Slack mrkdwn: control characters escaped, bold marks converted, bare links kept whole."""

from __future__ import annotations

import itertools
import re

from bot.channels.teams.markdown import HTML
from bot.vocabulary.markup import WORD_JOINER, marked_spans
from bot.vocabulary.markup import plain as _without_marks

SLACK_BOLD = "*"
# An emphasis character of user text, between the word joiners markup.inert puts around it, and how Slack shows it.
INERT_MARK = re.compile(f"(?<={WORD_JOINER})([*_~`])(?={WORD_JOINER})")
LOOKALIKES = {"*": "\u2217", "_": "\uff3f", "~": "\u223c", "`": "\u02cb"}
ELLIPSIS = "…"
# Slack reads a pipe inside <...> as the start of the link's label: in an address it must be percent-encoded.
LINK_ESCAPES = {"|": "%7C"}
# How a text is cut when it must be split: between paragraphs, then lines, then words, then anywhere.
SEPARATORS = ("\n\n", "\n", " ")


def mrkdwn(text: str) -> str:
    """Text for a Slack mrkdwn object: &, < and > escaped, **bold** as *bold*, bare links as <url>, lines kept."""
    return "\n".join(_line(line) for line in text.splitlines())


def plain(text: str) -> str:
    """The text without the neutral bold marks, for `text` fallbacks and plain_text objects."""
    return _without_marks(text)


def escape(text: str) -> str:
    """The text with Slack's three control characters escaped, and an emphasis character that markup.inert marked
    as typed text shown as its look-alike (mrkdwn has no escape for it); nothing else changes."""
    text = INERT_MARK.sub(lambda match: LOOKALIKES[match.group(1)], text)
    return "".join(HTML.get(char, char) for char in text)


def clip(text: str, limit: int) -> str:
    """The text cut to at most `limit` characters, at a word boundary where one is near, ending in an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= len(cut) // 2:  # a word boundary not too far back: better a shorter text than half a word
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def chunks(text: str, limit: int) -> list[str]:
    """The text in pieces of at most `limit` characters, split between paragraphs, else lines, else words.
    Splitting at whitespace keeps mrkdwn intact: an escaped character or a <link> holds no whitespace."""
    return [piece for piece in _split(text, limit, SEPARATORS) if piece.strip()] or [text[:limit]]


def _split(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    if len(text) <= limit:
        return [text]
    if not separators:
        return [text[start : start + limit] for start in range(0, len(text), limit)]
    separator, finer = separators[0], separators[1:]
    pieces: list[str] = []
    current = ""
    for unit in text.split(separator):
        joined = f"{current}{separator}{unit}" if current else unit
        if len(joined) <= limit:
            current = joined
            continue
        if current:
            pieces.append(current)
        if len(unit) <= limit:
            current = unit
        else:  # one paragraph, line or word too long on its own: split it more finely
            *done, current = _split(unit, limit, finer)
            pieces += done
    if current:
        pieces.append(current)
    return pieces


def _line(line: str) -> str:
    """One line: bold marks that would touch a link, or that Slack would not read as bold, are dropped."""
    text, spans, links = marked_spans(line, _boldable)
    out: list[str] = []
    # Links and bold spans never overlap, so each piece between two boundaries is one of them or plain text.
    for start, end in itertools.pairwise(sorted({0, len(text), *(p for span in spans + links for p in span)})):
        piece = text[start:end]
        if (start, end) in links:
            out.append(_link(piece))
        elif (start, end) in spans:
            out.append(f"{SLACK_BOLD}{escape(piece)}{SLACK_BOLD}")
        else:
            out.append(escape(piece))
    return "".join(out)


def _boldable(text: str, start: int, end: int) -> bool:
    """Whether *...* around text[start:end] shows as bold in Slack: not around spaces, not inside a word."""
    piece = text[start:end]
    if not piece or piece != piece.strip() or SLACK_BOLD in piece:
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _link(url: str) -> str:
    """A bare address as a Slack link: <url>, escaped so that Slack reads it back as written."""
    return "<" + "".join(LINK_ESCAPES.get(char, HTML.get(char, char)) for char in url) + ">"
