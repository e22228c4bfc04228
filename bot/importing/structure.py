"""From a document's lines to sections: headings found from the document's own structure, paragraphs rejoined,
hyphenation undone, lists kept as lists, and every word accounted for."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from wordfreq import zipf_frequency

from bot.importing.document import Document, Line
from bot.importing.parts import BULLET, Part, split_long
from bot.knowledge.text import fold

# Glyphs a PDF or a Word export uses for bullets, including the Symbol font's private-use ones.
BULLETS = "•●▪■◦○►▶➢✓✔-–—*·\uf0b7\uf0a7\uf0d8\uf076\uf0fc"
BULLET_LINE = re.compile(rf"^\s*[{re.escape(BULLETS)}]\s+(?=\S)")
NUMBERED = re.compile(r"^(?P<num>(?:\d{1,2}\.)+\d{0,2}|\d{1,2}\)|[A-Za-z][.)]|[IVX]{1,4}\.)\s+(?P<rest>\S.*)$")
LABELLED = re.compile(
    r"^(?P<label>hoofdstuk|titel|deel|afdeling|artikel|art\.)\s+(?P<num>[0-9]+[a-z]?|[IVX]+)\b[.:)]?(\s|$)", re.I
)
CONTENTS_TITLES = {"inhoud", "inhoudstafel", "inhoudsopgave", "inhoudstabel", "inhoudsoverzicht", "table of contents"}
LABEL_LEVELS = {"hoofdstuk": 1, "titel": 1, "deel": 1, "afdeling": 2, "artikel": 3, "art": 3}
SENTENCE_END = re.compile(r"[.!?:;…]\s*[’”\"')]*\s*$")
TOC_LINE = re.compile(r"(?:\.{4,}|…{2,}|\s{3,})\s*\d{1,3}\s*$")
MAX_HEADING_WORDS = 12


@dataclass
class Heading:
    """A heading read from the document, with its level (1 is the top; 0 until known for a plain short line)."""

    text: str
    level: int
    number: str | None = None
    plain: bool = False  # found only as a short line standing alone: its level follows from the headings around it


@dataclass
class Block:
    """A heading, or one paragraph or list item of body text."""

    text: str
    heading: Heading | None = None
    item: bool = False


@dataclass
class Structure:
    """The sections read from a document, and the lines that landed in none."""

    parts: list[Part]
    unplaced: list[str]
    headings: list[str]
    title: str | None = None  # the document's own title: its first heading, alone at its level
    contents: list[str] = field(default_factory=list)  # lines of a table of contents, left out


def clean(text: str) -> str:
    """A line's text with soft hyphens, odd spaces and repeated blanks gone."""
    text = text.replace("\u00ad", "").replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"\s+", " ", text).strip()


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def _all_caps(text: str) -> bool:
    letters = _letters(text)
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _body_size(lines: list[Line]) -> float | None:
    """The font size most of the text is set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        if line.size:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else None


class _Reader:
    """Walks the lines once, deciding per line: heading, new paragraph, list item or continuation."""

    def __init__(self, document: Document):
        self.lines = [line for line in document.lines if clean(line.text)]
        self.body = _body_size(self.lines)
        larger = sorted(
            {round(ln.size * 2) / 2 for ln in self.lines if ln.size and self.body and ln.size > self.body + 0.9}
        )
        # The largest size is level 1, the next level 2, and so on; bold text in the body size comes under them.
        self.size_levels = {size: index + 1 for index, size in enumerate(reversed(larger))}
        self.blocks: list[Block] = []
        self.unplaced: list[str] = []
        self.contents: list[str] = []  # the table of contents: navigation, like page numbers, not the code's text
        self.numbered_depth = 0

    def read(self) -> list[Block]:
        for index, line in enumerate(self.lines):
            text = clean(line.text)
            if TOC_LINE.search(text) and len(text.split()) <= MAX_HEADING_WORDS + 3:
                self.contents.append(text)  # a table of contents line: the headings themselves follow
                continue
            if fold(text).strip(" :").lower() in CONTENTS_TITLES:
                self.contents.append(text)
                continue
            if not _letters(text):
                if re.fullmatch(r"[\d\s./-]+", text) or not text.strip(BULLETS + " "):
                    self.unplaced.append(text)
                    continue
            heading = self._heading(index, line, text)
            if heading is not None:
                self.blocks.append(Block(heading.text, heading=heading))
                continue
            self._body(line, text)
        return self.blocks

    def _next_text(self, index: int) -> str:
        return clean(self.lines[index + 1].text) if index + 1 < len(self.lines) else ""

    def _previous_ends(self) -> bool:
        """Whether the text before this line ended, so a new block may start."""
        if not self.blocks:
            return True
        last = self.blocks[-1]
        return last.heading is not None or bool(SENTENCE_END.search(last.text)) or last.item

    def _heading(self, index: int, line: Line, text: str) -> Heading | None:
        if line.heading is not None:
            return Heading(_strip_number(text)[1], line.heading, _strip_number(text)[0])
        words = text.split()
        if len(words) > MAX_HEADING_WORDS or line.item or line.cell:
            return None
        labelled = LABELLED.match(text)
        if labelled and (self._previous_ends() or line.gap_before):
            # "Hoofdstuk 2", "Afdeling 1" and "Artikel 7. Geschenken" head their part in any type.
            return Heading(text, LABEL_LEVELS[labelled.group("label").lower().rstrip(".")], labelled.group("num"))
        number, rest = _strip_number(text)
        if BULLET_LINE.match(text) or not rest or not (rest[0].isupper() or rest[0].isdigit()):
            return None
        ends = text.rstrip()[-1]
        if ends in ".,;" or (ends == ":" and not number):
            return None
        if not self._previous_ends() and not line.gap_before:
            return None
        if line.size and self.body:
            level = self.size_levels.get(round(line.size * 2) / 2)
            if level is not None:
                return Heading(rest, level, number)
            if line.bold and (line.gap_before or self._previous_ends()) and (number or len(words) <= 8):
                return Heading(rest, len(self.size_levels) + 1, number)
            if not number:
                return None  # in a PDF, body-size plain text is not a heading
        if number and ("." in number or number[-1] == ")" or number.isdigit()):
            depth = number.rstrip(".").count(".") + 1 if number[0].isdigit() else 1
            if number[0].isdigit() and depth == 1 and int(re.match(r"\d+", number).group()) > 30:
                return None
            if ends in "?!" and depth > 1 and len(words) > 8:
                return None
            self.numbered_depth = depth
            return Heading(rest, depth, number)
        if _all_caps(text) and len(_letters(text)) >= 4:
            return Heading(rest, 1)
        following = self._next_text(index)
        # A list may follow a longer heading ("Indicator 3: Stimuleert de samenwerking met andere entiteiten").
        short = len(words) <= 8 and len(text) <= 70
        before_list = len(words) <= 12 and len(text) <= 100 and bool(BULLET_LINE.match(following))
        if (short or before_list) and (line.bold or self._standalone(index, following, len(words))):
            return Heading(rest, 0, plain=True)
        return None

    def _standalone(self, index: int, following: str, words: int) -> bool:
        """A short line stands alone as a heading when the text before it ended and what follows starts anew."""
        if not self._previous_ends() or not following:
            return False
        nxt = self.lines[index + 1]
        first = following.lstrip("“‘\"'(")[:1]
        bullet = bool(BULLET_LINE.match(following))
        if not (first.isupper() or first.isdigit() or bullet):
            return False
        # Without a break after it, only a very short line is taken for a heading ("Klantgerichtheid").
        return nxt.gap_before or nxt.item or bullet or nxt.heading is not None or words <= 5

    def _body(self, line: Line, text: str) -> None:
        bullet = BULLET_LINE.match(text)
        if line.item or bullet:
            body = text[bullet.end() :] if bullet else text
            if line.number and not bullet:
                body = f"{line.number} {body}"
            self.blocks.append(Block(body, item=True))
            return
        last = self.blocks[-1] if self.blocks else None
        if last is not None and last.heading is not None and text[:1].islower() and len(text.split()) <= 4:
            last.heading.text = _join(last.heading.text, text)  # a heading broken over two lines
            last.text = last.heading.text
            return
        if last is not None and last.heading is None and self._continues(last, line, text):
            last.text = _join(last.text, text)
            return
        self.blocks.append(Block(text))

    def _continues(self, last: Block, line: Line, text: str) -> bool:
        """Whether a line continues the paragraph or list item before it (a line broken by the layout)."""
        if line.cell:
            return False
        if last.item:
            # Items often end without a full stop; a wrapped item goes on in lower case or after a comma.
            return text[:1].islower() or last.text.endswith((",", "-", "(", "/"))
        ended = bool(SENTENCE_END.search(last.text))
        if not ended:
            return True  # a sentence broken over lines, with or without a blank line between them
        if line.gap_before:
            return False
        return text[:1].islower() or not line.size  # plain text: a new sentence on the next line, same paragraph


def _strip_number(text: str) -> tuple[str | None, str]:
    match = NUMBERED.match(text)
    if match is None:
        return None, text
    number, rest = match.group("num"), match.group("rest")
    if number[0].isalpha() and len(number) == 2 and number[0].islower() and not rest[:1].isupper():
        return None, text
    return number, rest


def _join(before: str, after: str) -> str:
    """Join two lines of one paragraph, undoing a hyphenation at the break ("belangen-" + "vermenging")."""
    if re.search(r"[^\W\d_]{2,}-$", before) and after[:1].islower():
        return before[:-1] + after if _hyphenated(before, after) else before + after
    if before.endswith(" -") and after[:1].islower():
        return before + after  # "spreekrecht en -" + "plicht"
    return f"{before} {after}"


def _kind(block: Block) -> tuple[int, bool]:
    heading = block.heading
    assert heading is not None
    return heading.level, heading.plain


def _settle(blocks: list[Block]) -> list[Block]:
    """Runs of three or more headings with no text between them are a list (the values, a figure's labels, a table
    of contents), not headings; plain headings then sit one level below the numbered or capitals ones above them."""
    index = 0
    while index < len(blocks):
        end = index
        while end < len(blocks) and blocks[end].heading is not None:
            end += 1
        start = index
        while start < end:  # within the run, stretches of three or more of one kind
            kind = _kind(blocks[start])
            stop = start
            while stop < end and _kind(blocks[stop]) == kind:
                stop += 1
            if stop - start >= 3:
                for block in blocks[start:stop]:
                    heading = block.heading
                    assert heading is not None
                    block.text = f"{heading.number} {heading.text}" if heading.number else heading.text
                    block.heading, block.item = None, True
            start = stop
        index = end + 1 if end > index else index + 1
    above = 1
    for block in blocks:
        if block.heading is None:
            continue
        if block.heading.plain:
            block.heading.level = above + 1
        else:
            above = block.heading.level
    return blocks


def _hyphenated(before: str, after: str) -> bool:
    """Whether a hyphen at a line end only split a word ("belangen-" "vermenging"), and is not part of it
    ("privé-" "event"): a known joined word, or a first part that is no word of its own."""
    first = re.search(r"([^\W\d_]+)-$", before)
    second = re.match(r"[^\W\d_]+", after)
    if first is None or second is None:
        return True
    if any(ch.isupper() for ch in first.group(1)[1:]):
        return False  # an abbreviation before the hyphen: "VVSG-" "werknemer"
    joined = first.group(1) + second.group(0)
    if zipf_frequency(joined.lower(), "nl") >= 1:
        return True
    return not (zipf_frequency(first.group(1).lower(), "nl") >= 3 and zipf_frequency(second.group(0), "nl") >= 2)


def _parts(blocks: list[Block], title: str) -> tuple[list[Part], list[str]]:
    """Group blocks under their headings; a heading without text of its own becomes the chapter of those below."""
    parts: list[Part] = []
    stack: list[Heading] = []
    current: Part | None = None
    headings: list[str] = []
    counts = Counter(fold(b.heading.text) for b in blocks if b.heading is not None)
    distinct: str | None = None  # the last heading that occurs once: repeated ones ("Definitie") are named after it
    for block in blocks:
        if block.heading is not None:
            heading = block.heading
            while stack and stack[-1].level >= heading.level:
                stack.pop()
            path = tuple(h.text for h in stack)
            stack.append(heading)
            name = heading.text
            if counts[fold(name)] == 1:
                distinct = name
            elif distinct:
                name = f"{distinct}: {name}"
            current = Part(name, None, path=path)
            headings.append(" › ".join((*path, heading.text)))
            parts.append(current)
            continue
        if current is None:
            current = Part(title, None)
            parts.append(current)
        current.paragraphs.append(f"{BULLET}{block.text}" if block.item else block.text)
    for before, after in pairwise(parts):
        # A heading with no text of its own, followed by one of the same level ("I: HOE HANDELEN WE INTEGER?" and
        # "DEONTOLOGIE?"), names the part that follows, so its words are kept.
        if not before.paragraphs and before.title not in after.path:
            after.path = (*before.path, before.title, *after.path[len(before.path) :])
    for part in parts:
        # Every heading above the part, so the words of a heading without text of its own are kept too.
        part.chapter = " › ".join(part.path) or None
    # A heading whose text is only under its sub-headings is their chapter.
    return [part for part in parts if part.paragraphs], headings


def read_structure(document: Document, title: str) -> Structure:
    """The sections of a document: its own headings, paragraphs and lists, long sections split."""
    reader = _Reader(document)
    blocks = _settle(reader.read())
    found = _title(blocks)
    if found is not None:
        blocks = blocks[1:]  # the title names the code, not a chapter of it
    parts, headings = _parts(blocks, found or title)
    split = [piece for part in parts for piece in split_long(part)]
    return Structure(split, reader.unplaced, headings, found, reader.contents)


def _title(blocks: list[Block]) -> str | None:
    """The document's title: a first heading, before any text, that no other heading shares the level of."""
    if not blocks or blocks[0].heading is None:
        return None
    first = blocks[0].heading
    if first.plain and len(blocks) > 1 and blocks[1].heading is None:
        return None  # a plain short line right above text is that text's heading
    others = [b.heading for b in blocks[1:] if b.heading is not None]
    if not others or any(h.level <= first.level for h in others):
        return None
    return first.text
