"""Reads plain text and Markdown into lines: blank lines mark paragraphs; Markdown's headings and lists are kept."""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import replace
from pathlib import Path

from bot.importing.document import Document, Line
from bot.importing.formats import ImportFormatError

ATX_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)[ \t]*")
RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
BULLET = re.compile(r"\s*[-*+][ \t]+(.*)")
ORDERED = re.compile(r"\s*(\d{1,9}[.)])[ \t]+(.*)")
TASK = re.compile(r"\[[ xX]\][ \t]+")
FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
QUOTE = re.compile(r" {0,3}>[ \t]?")
TABLE_RULE = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")
LINK_DEFINITION = re.compile(r" {0,3}\[[^\]]+\]:\s*\S+.*")
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
ESCAPABLE = "\\`*_{}[]()#+-.!|>~<"
PRIVATE = 0xE000  # escaped characters are parked in the private use area while markup is taken out
INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # an image: its alt text is no part of the code's text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][reference]
    (re.compile(r"<((?:https?://|mailto:)[^>\s]+|[^>\s@]+@[^>\s@]+)>"), r"\1"),  # <https://…>, <naam@…>
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),  # inline HTML tags such as <br> or <b>
    (re.compile(r"(`+)(.+?)\1"), r"\2"),  # `code`
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
]
WHOLLY_BOLD = re.compile(r"(\*\*|__)(?=\S).+(?<=\S)\1")


def read_text(path: Path) -> Document:
    """Read a text file: one Line per non-blank line, as it stands; a blank line before one sets its gap_before."""
    lines: list[Line] = []
    gap = True
    for raw in _read(Path(path)).splitlines():
        text = raw.rstrip()
        if not text.strip():
            gap = True
            continue
        lines.append(Line(text=text, gap_before=gap))
        gap = False
    return Document(format="text", lines=lines)


def read_markdown(path: Path) -> Document:
    """Read Markdown: # headings get their level, list items their flag and number, markup is taken out."""
    source = _read(Path(path)).splitlines()
    title, start = _front_matter(source)
    lines: list[Line] = []
    gap = True
    fence: str | None = None
    for raw in source[start:]:
        if fence is not None:  # inside a fenced block: its lines as they stand
            if raw.strip().startswith(fence):
                fence, gap = None, True
            elif raw.strip():
                lines.append(Line(text=raw.rstrip(), gap_before=gap))
                gap = False
            else:
                gap = True
            continue
        opening = FENCE.match(raw)
        if opening:
            fence, gap = opening.group(1), True
            continue
        text = raw.rstrip()
        while QUOTE.match(text):
            text = QUOTE.sub("", text, count=1)
        if not text.strip():
            gap = True
            continue
        underline = SETEXT_UNDERLINE.fullmatch(text)
        if underline and not gap and lines and _plain(lines[-1]):
            # "Titel" underlined with === or --- is a heading of level 1 or 2.
            lines[-1] = replace(lines[-1], heading=1 if underline.group(1).startswith("=") else 2)
            gap = True
            continue
        if RULE.fullmatch(text):
            gap = True  # a horizontal rule separates, it is not text
            continue
        if LINK_DEFINITION.fullmatch(text):
            continue
        heading = ATX_HEADING.fullmatch(text)
        if heading:
            content = _inline(heading.group(2) or "")
            if content:
                lines.append(Line(text=content, heading=len(heading.group(1)), gap_before=True))
            gap = True
            continue
        if text.lstrip().startswith("|"):
            gap = _table_row(text, lines)
            continue
        item, number = False, None
        bullet = BULLET.fullmatch(text)
        ordered = ORDERED.fullmatch(text) if not bullet else None
        if bullet:
            item, text = True, bullet.group(1)
        elif ordered:
            item, number, text = True, ordered.group(1), ordered.group(2)
        if item:
            text = TASK.sub("", text, count=1)
        content = _inline(text.strip())
        if not content:
            continue
        lines.append(
            Line(
                text=content,
                bold=bool(WHOLLY_BOLD.fullmatch(text.strip())),
                item=item,
                number=number,
                gap_before=gap or item,
            )
        )
        gap = False
    return Document(format="markdown", lines=lines, title=title)


def _read(path: Path) -> str:
    """The file's text: by its BOM, else UTF-8, else Windows-1252 (what Notepad and older Word exports write)."""
    raw = path.read_bytes()
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    if b"\x00" in raw[:8192]:
        raise ImportFormatError(
            f"{path.name} is geen tekstbestand maar een binair bestand. Lever de code aan als PDF, Word-document "
            "(.docx), HTML, Markdown of tekst."
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _front_matter(source: list[str]) -> tuple[str | None, int]:
    """The title in a YAML front matter block (--- … ---) and the index of the first line after it."""
    if not source or source[0].strip() != "---":
        return None, 0
    for index, line in enumerate(source[1:], start=1):
        if line.strip() in ("---", "..."):
            title = next(
                (
                    value.strip().strip("\"'")
                    for key, _, value in (entry.partition(":") for entry in source[1:index])
                    if key.strip().lower() in ("title", "titel")
                ),
                None,
            )
            return title or None, index + 1
    return None, 0  # no closing line: a horizontal rule, not front matter


def _plain(line: Line) -> bool:
    """Whether a line is ordinary paragraph text (so an underline below it makes it a heading)."""
    return line.heading is None and not line.item and not line.cell


def _table_row(text: str, lines: list[Line]) -> bool:
    """Add a Markdown table row's cells as lines (the row under the header is skipped); return the next gap."""
    if TABLE_RULE.fullmatch(text):
        return True
    parked = _park(text.strip())
    cells = [cell.strip() for cell in parked.strip("|").split("|")]
    for cell in cells:
        content = _inline(cell)
        if content:
            lines.append(Line(text=content, gap_before=True, cell=True))
    return True


def _inline(text: str) -> str:
    """Text without Markdown's inline markup: emphasis, links, images, code marks and escapes."""
    text = _park(text)
    for pattern, replacement in INLINE:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\\$", "", text)  # a backslash hard line break
    return " ".join(html.unescape(_unpark(text)).split())


def _park(text: str) -> str:
    """Backslash-escaped characters moved out of the way of the markup patterns."""
    return re.sub(r"\\([" + re.escape(ESCAPABLE) + r"])", lambda match: chr(PRIVATE + ord(match.group(1))), text)


def _unpark(text: str) -> str:
    """The parked escaped characters back as the literal characters they stand for."""
    return re.sub("[\ue000-\ue07f]", lambda match: chr(ord(match.group(0)) - PRIVATE), text)
