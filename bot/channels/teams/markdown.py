"""Neutral text as Teams markdown: literal characters escaped, real line breaks, bold marks and links kept intact."""

from __future__ import annotations

import itertools
import re

BOLD = "**"  # the one markup the neutral core uses: matched words in a lookup answer
URL = re.compile(r"https?://[^\s<>\"'“”‘’]+")
URL_TAIL = ".,;:!?)]}…"  # punctuation after a link ends a sentence; it is not part of the address
# At the start of a line these make a list, a heading or a quote: "2. Organisatiewaarden" must stay a title.
LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
LINE_MARK = re.compile(r"^()([-+*#>])(?=\s|$)")
INLINE = {"\\": "\\\\", "*": "\\*", "_": "\\_", "`": "\\`"}
HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}  # Teams reads message text as HTML too: '<code>' would vanish


def message_markdown(text: str) -> str:
    """Text for a Teams message: HTML and markdown characters escaped, every line its own paragraph."""
    return _render(text, html=True)


def card_markdown(text: str) -> str:
    """Text for an Adaptive Card TextBlock: markdown characters escaped (cards show no HTML)."""
    return _render(text, html=False)


def plain(text: str) -> str:
    """The text without the core's bold marks, for places that show no markdown (fallbacks, summaries)."""
    return "".join(_split_bold(text)[0])


def _render(text: str, html: bool) -> str:
    # Leading spaces would make a code block; blank lines carry no meaning of their own here.
    rendered = [_line(line.strip(), html) for line in text.splitlines() if line.strip()]
    # Teams joins lines that are separated by a single newline; a blank line keeps each line (a bullet) apart.
    return "\n\n".join(rendered)


def _split_bold(line: str) -> tuple[list[str], list[bool]]:
    """The line's pieces and whether each is marked bold; an unmatched mark stays as literal text."""
    parts = line.split(BOLD)
    if len(parts) % 2 == 0:  # an odd number of marks: the last one is no mark
        parts[-2:] = [parts[-2] + BOLD + parts[-1]]
    return parts, [index % 2 == 1 for index in range(len(parts))]


def _line(line: str, html: bool) -> str:
    """One line: bold marks that would touch a link are dropped, so the link stays whole and clickable."""
    parts, bold = _split_bold(line)
    plain_line = "".join(parts)
    links = [_link_span(match) for match in URL.finditer(plain_line)]
    spans, cursor = [], 0
    for part, marked in zip(parts, bold, strict=True):
        start, end = cursor, cursor + len(part)
        cursor = end
        # A mark around spaces shows its asterisks; a mark inside or around a link breaks it.
        if marked and part and part == part.strip() and not any(s < end and start < e for s, e in links):
            spans.append((start, end))
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


def _link_span(match: re.Match[str]) -> tuple[int, int]:
    """Where a link starts and ends: without the punctuation after it, but with its own closing parenthesis."""
    start, end = match.span()
    text = match.string
    while end > start and text[end - 1] in URL_TAIL:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return start, end


def _link(url: str, html: bool) -> str:
    """A link written out in full, so it stays clickable however the address is spelled."""
    label = "".join(_char(url, i, False, html) for i in range(len(url)))
    target = url.replace("(", "%28").replace(")", "%29")
    return f"[{label}]({target})"


def _line_start_escapes(line: str) -> set[int]:
    """Positions of characters that would make the line a list, a heading or a quote."""
    found = LIST_NUMBER.match(line)
    if found:
        return {found.end(1)}
    found = LINE_MARK.match(line)
    return {found.end(1)} if found else set()


def _char(line: str, index: int, escape: bool, html: bool) -> str:
    char = line[index]
    if html and char in HTML:
        return HTML[char]
    if char == "_" and 0 < index < len(line) - 1 and line[index - 1].isalnum() and line[index + 1].isalnum():
        return char  # inside a word (an e-mail address, a file name) an underscore is no emphasis
    if char in INLINE:
        return INLINE[char]
    return "\\" + char if escape else char
