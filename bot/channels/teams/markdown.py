"""Neutral text as Teams markdown: literal characters escaped, real line breaks, bold marks and links kept intact."""

from __future__ import annotations

import itertools
import re

from bot.vocabulary.markup import BOLD, marked_spans

# At the start of a line these make a list, a heading or a quote: "2. Organisatiewaarden" must stay a title.
LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
LINE_MARK = re.compile(r"^()([-+*#>])(?=\s|$)")
INLINE = {"\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`"}
HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}  # Teams reads message text as HTML too: '<code>' would vanish
# An ampersand is escaped only where it would start an entity: a plain 'D&C' is sent as it is, so no host shows
# 'D&amp;C', and a typed '&lt;' still shows as typed.
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def message_markdown(text: str) -> str:
    """Text for a Teams message: HTML and markdown characters escaped, every line its own paragraph."""
    return _render(text, html=True)


def card_markdown(text: str) -> str:
    """Text for an Adaptive Card TextBlock: markdown characters escaped (cards show no HTML)."""
    return _render(text, html=False)


def _render(text: str, html: bool) -> str:
    # Leading spaces would make a code block; blank lines carry no meaning of their own here.
    rendered = [_line(line.strip(), html) for line in text.splitlines() if line.strip()]
    # Teams joins lines that are separated by a single newline; a blank line keeps each line (a bullet) apart.
    return "\n\n".join(rendered)


def _line(line: str, html: bool) -> str:
    """One line: bold marks that would touch a link are dropped, so the link stays whole and clickable."""
    plain_line, spans, links = marked_spans(line, _boldable)
    escapes = _line_start_escapes(plain_line)
    out: list[str] = []
    # Links and bold spans never overlap, so each piece between two boundaries is one of them or plain text.
    for start, end in itertools.pairwise(sorted({0, len(plain_line), *(p for span in spans + links for p in span)})):
        if (start, end) in links:
            out.append(_link(plain_line[start:end], html))
            continue
        piece = "".join(_char(plain_line, i, i in escapes, html) for i in range(start, end))
        out.append(f"{BOLD}{piece}{BOLD}" if (start, end) in spans else piece)
    return "".join(out)


def _link(url: str, html: bool) -> str:
    """A link written out in full, so it stays clickable however the address is spelled."""
    label = "".join(_char(url, i, False, html) for i in range(len(url)))
    target = url.replace("(", "%28").replace(")", "%29")
    return f"[{label}]({target})"


def _boldable(text: str, start: int, end: int) -> bool:
    """Whether Teams shows a marked piece as bold: a mark around spaces shows its asterisks instead."""
    piece = text[start:end]
    return bool(piece) and piece == piece.strip()


def _line_start_escapes(line: str) -> set[int]:
    """Positions of characters that would make the line a list, a heading or a quote."""
    found = LIST_NUMBER.match(line)
    if found:
        return {found.end(1)}
    found = LINE_MARK.match(line)
    return {found.end(1)} if found else set()


def _char(line: str, index: int, escape: bool, html: bool) -> str:
    char = line[index]
    if char == "&" and ENTITY.match(line, index):
        return HTML[char] if html else "\\&"  # a typed '&lt;' shows as typed, in a message and on a card
    if char == "&":
        return char
    if char in HTML:
        # A message is HTML as well; on a card '<https:…>' would be an autolink, so it is escaped as markdown.
        return HTML[char] if html else "\\" + char
    if char == "_" and 0 < index < len(line) - 1 and line[index - 1].isalnum() and line[index + 1].isalnum():
        return char  # inside a word (an e-mail address, a file name) an underscore is no emphasis
    if char in INLINE:
        return INLINE[char]
    return "\\" + char if escape else char
