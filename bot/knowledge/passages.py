"""A section's text cut into passages a user can read on their own: whole sentences and whole list items."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A list item starts with a bullet or a number; it is shown whole, with the line that introduces the list.
BULLET = re.compile(r"^\s*(?:[•\-–*]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? or … followed by a space and something that can start a sentence.
END = re.compile(r"(?<=[.!?…])([\"”’)]*)\s+(?=[A-Z“\"‘'(0-9À-Ý])")
# Abbreviations whose full stop ends no sentence, as they occur in the codes (folded, without the last dot).
ABBREVIATIONS = frozenset(
    "bv bijv vb vgl o.a t.o.v m.b.t m.a.w d.w.z o.b.v i.p.v i.v.m e.a enz nr art p ca incl excl resp max min "
    "dhr mevr mr dr prof st blz zgn evt etc".split()
)
LABEL_MAX_WORDS = 3  # "Vb:", "Praktijkvoorbeeld": a line that labels what follows, not a passage of its own
# After such a label the section gives examples: they illustrate its rules rather than state them.
EXAMPLES = re.compile(r"^(?:vb|voorbeeld(?:en)?|praktijkvoorbeeld(?:en)?|bijvoorbeeld)\s*:?$", re.IGNORECASE)


@dataclass(frozen=True)
class Passage:
    """One sentence or list item of a section, with where it sits in the section's text."""

    index: int
    text: str
    start: int  # offset in the section's text
    end: int
    paragraph: int  # passages in one paragraph read on as running text
    item: bool  # a list item, shown on a line of its own
    intro: int | None  # for a list item: the passage that introduces the list
    example: bool = False  # under a label such as "Vb:": illustrates a rule rather than states one

    @property
    def opens_list(self) -> bool:
        """Whether this passage introduces the list that follows it ("… zoals:")."""
        return not self.item and self.text.rstrip().endswith(":")

    @property
    def label(self) -> bool:
        """Whether this is a short label line ("Vb:", "Praktijkvoorbeeld") rather than a passage to show."""
        short = len(self.text.split()) <= LABEL_MAX_WORDS
        return not self.item and short and not self.text.rstrip().endswith((".", "!", "?"))


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the stop at `dot` ends a sentence: not after an abbreviation or an initial. (A dot inside a web
    address is never followed by a space, so END never offers one.)"""
    if text[dot] != ".":
        return True
    word = re.search(r"[\w.]*$", text[:dot]).group().lower()
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return False
    return not (len(word) == 1 and word.isalpha())  # an initial: "J. Peeters"


def sentences(paragraph: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph, as offsets in the whole text."""
    spans, start = [], 0
    for match in END.finditer(paragraph):
        stop = paragraph[: match.start()].rstrip('"”’)')
        if not stop or not _ends_sentence(stop, len(stop) - 1):
            continue
        spans.append((start, match.end(1)))  # a closing quote or bracket belongs to the sentence it closes
        start = match.end()
    spans.append((start, len(paragraph.rstrip())))
    return [(offset + s, offset + e) for s, e in spans if paragraph[s:e].strip()]


def split(text: str) -> list[Passage]:
    """The passages of a section's text, in order."""
    passages: list[Passage] = []
    paragraph = 0
    intro: int | None = None
    offset = 0
    example = False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        stripped = body.strip()
        start = offset + len(body) - len(body.lstrip())
        offset += len(line)
        if not stripped:
            paragraph += 1
            continue
        if BULLET.match(body):
            if intro is None and passages and not passages[-1].item:
                intro = passages[-1].index
            item = Passage(len(passages), stripped, start, start + len(stripped), paragraph, True, intro, example)
            passages.append(item)
            continue
        intro = None
        paragraph += 1
        for s, e in sentences(body[len(body) - len(body.lstrip()) :], start):
            passages.append(Passage(len(passages), text[s:e], s, e, paragraph, False, None, example))
        example = example or bool(EXAMPLES.match(stripped))
    return passages


def answering(passages: list[Passage] | tuple[Passage, ...], answer: str) -> int | None:
    """The passage that holds a phrase of the code (whitespace aside), or None when no single one does."""
    wanted = " ".join(answer.split())
    return next((p.index for p in passages if wanted in " ".join(p.text.split())), None)
