"""A PDF page's words grouped into visual lines, and the lines put in reading order, two columns included."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SEGMENT_GAP = 2.0  # a horizontal gap of this many font sizes splits a header line into parts (left, centre, right)
WORD_GAP = 0.1  # words closer than this (in font sizes) are one word split by a font change, joined without a space
CID = re.compile(r"\(cid:\d+\)")  # a glyph the PDF gives no Unicode for
LINE_HYPHEN = re.compile(r"\w\u00ad$")  # a soft hyphen a PDF printed at a line end, written as the hyphen it shows


@dataclass
class TextLine:
    """A visual line in the making: its words and the box of its largest word, which other words are tested against."""

    words: list[dict[str, Any]]
    top: float
    bottom: float
    text: str = ""
    size: float = 0.0
    bold: bool = False
    x0: float = 0.0
    x1: float = 0.0
    group: int = 0  # which column run of its page the line was read in

    def finish(self) -> TextLine:
        """Order the words left to right and derive the text, dominant size, weight and extent."""
        self.words.sort(key=lambda word: word["x0"])
        parts: list[str] = []
        previous: dict[str, Any] | None = None
        for word in self.words:
            if previous is not None:
                gap = word["x0"] - previous["x1"]
                if gap > WORD_GAP * min(word["size"], previous["size"]):
                    parts.append(" ")
            parts.append(word["text"])
            previous = word
        text = "".join(parts)
        if len(parts) > 1 and CID.fullmatch(parts[0]):
            # A symbol-font bullet without a Unicode map comes out as "(cid:183)"; written as the bullet it shows.
            text = "•" + text[len(parts[0]) :]
        if LINE_HYPHEN.search(text):
            text = text[:-1] + "-"
        self.text = text.replace("\u00ad", "")
        sizes: Counter[float] = Counter()
        for word in self.words:
            sizes[word["size"]] += len(word["text"])
        self.size = sizes.most_common(1)[0][0]
        letters = [word["bold"] for word in self.words for char in word["text"] if char.isalpha()]
        # A line is bold when its letters are: a number or bullet in a regular font before a bold heading still counts.
        self.bold = all(letters) if letters else all(word["bold"] for word in self.words)
        self.x0 = self.words[0]["x0"]
        self.x1 = max(word["x1"] for word in self.words)
        return self

    def segments(self) -> list[tuple[str, float, float]]:
        """The line cut at wide gaps into parts, each as (text, top, bottom): a header's left, centre and right."""
        parts: list[list[dict[str, Any]]] = [[self.words[0]]]
        for word in self.words[1:]:
            previous = parts[-1][-1]
            if word["x0"] - previous["x1"] > SEGMENT_GAP * max(word["size"], previous["size"]):
                parts.append([word])
            else:
                parts[-1].append(word)
        return [
            (" ".join(word["text"] for word in part), min(w["top"] for w in part), max(w["bottom"] for w in part))
            for part in parts
        ]


@dataclass
class PageText:
    """One page's words and lines, before and after its headers and footers are taken out."""

    number: int
    width: float
    height: float
    words: list[dict[str, Any]]
    images: bool
    lines: list[TextLine] = field(default_factory=list)  # all lines across the full width, top to bottom
    body: list[TextLine] = field(default_factory=list)  # the lines kept, in reading order


def cluster(words: list[dict[str, Any]]) -> list[TextLine]:
    """Group words into visual lines top to bottom: a word joins a line when it overlaps half of that line's height."""
    lines: list[TextLine] = []
    for word in sorted(words, key=lambda word: (word["top"], word["x0"])):
        if lines:
            line = lines[-1]
            overlap = min(line.bottom, word["bottom"]) - max(line.top, word["top"])
            if overlap >= 0.5 * min(line.bottom - line.top, word["bottom"] - word["top"]):
                line.words.append(word)
                if word["bottom"] - word["top"] > line.bottom - line.top:
                    line.top, line.bottom = word["top"], word["bottom"]
                continue
        lines.append(TextLine(words=[word], top=word["top"], bottom=word["bottom"]))
    return [line.finish() for line in lines]


def reading_order(page: PageText) -> list[TextLine]:
    """The page's lines in reading order: top to bottom, and on a two-column page the left column before the right."""
    gutter = _gutter(page)
    if gutter is None:
        return page.lines
    ordered: list[TextLine] = []
    block: list[dict[str, Any]] = []
    group = 0

    def flush() -> None:
        """Read the words gathered between full-width lines: the left column's lines, then the right one's."""
        nonlocal group
        left = [word for word in block if word["x1"] <= gutter]
        right = [word for word in block if word["x0"] >= gutter]
        for side in (left, right):
            if side:
                group += 1
                for line in cluster(side):
                    line.group = group
                    ordered.append(line)
        block.clear()

    for line in page.lines:
        if any(word["x0"] < gutter < word["x1"] for word in line.words):
            flush()  # a line across both columns (a title above them) ends the columns before it
            group += 1
            line.group = group
            ordered.append(line)
        else:
            block.extend(line.words)
    flush()
    return ordered


def _gutter(page: PageText) -> float | None:
    """The x of the white strip between two text columns, or None for a page in one column."""
    words = page.words
    if len(words) < 40:
        return None
    low, high = int(page.width * 0.3), int(page.width * 0.7)
    cover = [0] * (high - low + 1)
    for word in words:
        for x in range(max(low, math.ceil(word["x0"])), min(high, math.floor(word["x1"])) + 1):
            cover[x - low] += 1
    # The widest run of (nearly) uncovered x positions: a title across both columns may cross it, body text not.
    limit = max(1, len(words) // 50)
    best: tuple[int, int] | None = None
    start = None
    for x, count in enumerate([*cover, limit + 1]):
        if count <= limit and start is None:
            start = x
        elif count > limit and start is not None:
            if x - start >= 8 and (best is None or x - start > best[1] - best[0]):
                best = (start, x)
            start = None
    if best is None:
        return None
    gutter = low + (best[0] + best[1]) / 2
    # Lines across the gutter (a title above the columns) are read whole and left out of the column tests.
    within = [
        word
        for line in page.lines
        if not any(word["x0"] < gutter < word["x1"] for word in line.words)
        for word in line.words
    ]
    left = [word for word in within if word["x1"] <= gutter]
    right = [word for word in within if word["x0"] >= gutter]
    if min(len(left), len(right)) < len(words) * 0.25:
        return None
    # Columns of running text fill their width; a table's label column or a list of short lines does not.
    for side in (left, right):
        lines = cluster(side)
        if len(lines) < 5:
            return None
        span = max(line.x1 for line in lines) - min(line.x0 for line in lines)
        widths = sorted(line.x1 - line.x0 for line in lines)
        if widths[len(widths) // 2] < 0.6 * span:
            return None
    return gutter
