"""A section to be: its title, chapter and paragraphs, split when long, named by an id, and its words counted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from bot.knowledge.text import fold

BULLET = "• "
WORD = re.compile(r"[^\W\d_]+")
# A long section is split near TARGET_WORDS words, at paragraph ends, once it passes MAX_WORDS: lookup ranks
# passages of about this size best (tried: 150 and 200 words did worse on the imported seeds).
TARGET_WORDS = 300
MAX_WORDS = 450  # under the pack's limit of 500


@dataclass
class Part:
    """One section to be: its title, its chapter and its paragraphs (list items start with a bullet)."""

    title: str
    chapter: str | None
    paragraphs: list[str] = field(default_factory=list)
    path: tuple[str, ...] = ()  # the headings above it, outermost first

    @property
    def words(self) -> int:
        """The number of words in the part's text."""
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def text(self) -> str:
        """The text as a pack keeps it: paragraphs apart, the items of a list on consecutive lines."""
        out: list[str] = []
        for paragraph in self.paragraphs:
            if out and not (paragraph.startswith(BULLET) and out[-1].startswith(BULLET)):
                out.append("")
            out.append(paragraph)
        return "\n".join(out) + "\n"


def words_of(text: str) -> Counter[str]:
    """Lower-cased, accent-folded words of a text, as a multiset (how the share of kept words is counted)."""
    return Counter(WORD.findall(fold(text)))


def split_long(part: Part) -> list[Part]:
    """A long part in pieces of about TARGET_WORDS words, at paragraph ends (sentence ends inside a long one)."""
    if part.words <= MAX_WORDS:
        return [part]
    paragraphs: list[str] = []
    for paragraph in part.paragraphs:
        if len(paragraph.split()) <= TARGET_WORDS:
            paragraphs.append(paragraph)
            continue
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9“‘\"'(])", paragraph)
        chunk: list[str] = []
        for sentence in sentences:
            if chunk and len(" ".join([*chunk, sentence]).split()) > TARGET_WORDS:
                paragraphs.append(" ".join(chunk))
                chunk = []
            chunk.append(sentence)
        if chunk:
            paragraphs.append(" ".join(chunk))
    pieces: list[Part] = []
    current = Part(part.title, part.chapter, path=part.path)
    for paragraph in paragraphs:
        if current.paragraphs and current.words + len(paragraph.split()) > TARGET_WORDS:
            pieces.append(current)
            current = Part(f"{part.title} (deel {len(pieces) + 1})", part.chapter, path=part.path)
        current.paragraphs.append(paragraph)
    pieces.append(current)
    return pieces


def slug(text: str, taken: set[str]) -> str:
    """A section id from its title: lower-case words joined by hyphens, unique within the pack."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")[:60].strip("-") or "sectie"
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate
