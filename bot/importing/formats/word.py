"""Reads a Word document (.docx) into its paragraphs, with heading levels, list items and numbers, and table cells."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from bot.importing.document import Document, Line

HEADING_NAME = re.compile(r"(?:heading|kop)\s*([1-9])", re.I)
TITLE_NAMES = {"title", "titel"}
LIST_NAME = re.compile(r"list|lijst|opsomming", re.I)  # List Bullet, List Paragraph, Lijstalinea, Opsommingsteken
# Table of contents entries repeat the headings with page numbers; the headings themselves follow in the body.
TOC_NAME = re.compile(r"^(?:toc|inhopg|inhoudsopgave)\s*\d", re.I)
TRUE_VALUES = {"1", "true", "on"}
ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x")]
ROMAN += [(9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
# Runs that are not shown: deleted or moved-away tracked changes, and text boxes, whose paragraphs stand elsewhere.
SHOWN_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)"
    " and not(ancestor::w:pPr)]"
)


@dataclass
class _Style:
    """What the reader needs of one paragraph or character style."""

    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None
    bold: bool | None


def read_docx(path: Path) -> Document:
    """Read a .docx body in order: paragraphs and table cells, with heading levels from styles and list numbers."""
    document = docx.Document(str(path))
    styles = _styles(document)
    default_style = next(
        (
            element.get(qn("w:styleId"))
            for element in document.styles.element.findall(qn("w:style"))
            if element.get(qn("w:type")) == "paragraph" and element.get(qn("w:default")) in TRUE_VALUES
        ),
        None,
    )
    numbering = _Numbering(document, styles)
    lines: list[Line] = []
    for paragraph, cell in _blocks(document.element.body, cell=False):
        lines.extend(_paragraph_lines(paragraph, cell, styles, default_style, numbering))
    title = (document.core_properties.title or "").strip() or None
    return Document(format="docx", lines=lines, title=title)


def _styles(document: Any) -> dict[str, _Style]:
    """Every style by its id, read from styles.xml."""
    styles: dict[str, _Style] = {}
    for element in document.styles.element.findall(qn("w:style")):
        style_id = element.get(qn("w:styleId"))
        if not style_id:
            continue
        name = element.find(qn("w:name"))
        based_on = element.find(qn("w:basedOn"))
        num_id, ilvl = _num_pr(element.find(qn("w:pPr")))
        styles[style_id] = _Style(
            name=name.get(qn("w:val"), "") if name is not None else style_id,
            based_on=based_on.get(qn("w:val")) if based_on is not None else None,
            num_id=num_id,
            ilvl=ilvl,
            outline=_outline(element.find(qn("w:pPr"))),
            bold=_bold(element.find(qn("w:rPr"))),
        )
    return styles


def _chain(styles: dict[str, _Style], style_id: str | None) -> Iterator[tuple[str, _Style]]:
    """A style and the styles it is based on, nearest first (with a guard against loops)."""
    seen: set[str] = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        yield style_id, styles[style_id]
        style_id = styles[style_id].based_on


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    """The numbering id and level a paragraph's (or style's) properties give, if any."""
    if ppr is None:
        return None, None
    num_pr = ppr.find(qn("w:numPr"))
    if num_pr is None:
        return None, None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        _int(ilvl.get(qn("w:val"))) if ilvl is not None else None,
    )


def _outline(ppr: Any) -> int | None:
    """The outline level (0-8) set in paragraph properties; 9, body text, counts as none."""
    element = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    value = _int(element.get(qn("w:val"))) if element is not None else None
    return value if value is not None and 0 <= value <= 8 else None


def _bold(rpr: Any) -> bool | None:
    """Bold as run properties set it: True, False (explicitly off) or None (inherited)."""
    element = rpr.find(qn("w:b")) if rpr is not None else None
    if element is None:
        return None
    value = element.get(qn("w:val"))
    return value is None or value.lower() in TRUE_VALUES


def _int(value: str | None) -> int | None:
    """An integer attribute, or None when it is missing or malformed."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _blocks(container: Any, cell: bool) -> Iterator[tuple[Any, bool]]:
    """Paragraph elements in document order, descending into tables and content controls; with whether in a cell."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield child, cell
        elif child.tag == qn("w:tbl"):
            for row in _children(child, "w:tr"):
                for table_cell in _children(row, "w:tc"):
                    yield from _blocks(table_cell, cell=True)
        elif child.tag == qn("w:sdt"):
            gallery = child.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
            if gallery is not None and "contents" in (gallery.get(qn("w:val")) or "").lower():
                continue  # a generated table of contents
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, cell)
        elif child.tag in (qn("w:customXml"), qn("w:ins")):
            yield from _blocks(child, cell)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """Child elements with a tag, also those wrapped in a content control or custom XML element."""
    for child in element.iterchildren():
        if child.tag == qn(tag):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent")) if child.tag == qn("w:sdt") else child
            if content is not None:
                yield from _children(content, tag)


def _paragraph_lines(
    paragraph: Any,
    cell: bool,
    styles: dict[str, _Style],
    default_style: str | None,
    numbering: _Numbering,
) -> list[Line]:
    """The Lines of one paragraph: one, or one per manual line break; none when it is empty."""
    ppr = paragraph.find(qn("w:pPr"))
    style_element = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style_id = style_element.get(qn("w:val")) if style_element is not None else default_style
    chain = list(_chain(styles, style_id))
    if chain and TOC_NAME.match(chain[0][1].name or chain[0][0]):
        return []
    runs = paragraph.xpath(SHOWN_RUNS)
    text = "".join(run.text for run in runs)

    heading = _heading(ppr, chain)
    num_id, ilvl = _num_pr(ppr)
    own_numbering = num_id is not None and num_id != "0"
    if num_id is None:  # numbering from the style (a List Number style, headings linked to a multilevel list)
        for _, style in chain:
            if style.num_id is not None:
                num_id, ilvl = style.num_id, ilvl if ilvl is not None else style.ilvl
                break
    numbered, number = (False, None)
    if num_id is not None and num_id != "0":
        numbered, number = numbering.next(num_id, ilvl, style_id)
    if not text.strip():
        return []
    item = heading is None and (own_numbering or any(LIST_NAME.search(style.name) for _, style in chain))
    bold = _all_bold(runs, chain, styles)

    # A manual line break (Shift+Enter) splits the paragraph into lines; a heading stays one line.
    parts = [" ".join(text.split())] if heading is not None else [" ".join(part.split()) for part in text.split("\n")]
    lines = []
    for part in parts:
        if not part:
            continue
        first = not lines
        lines.append(
            Line(
                text=part,
                bold=bold,
                heading=heading,
                item=item and first,
                number=number if first and numbered else None,
                gap_before=first,
                cell=cell,
            )
        )
    return lines


def _heading(ppr: Any, chain: list[tuple[str, _Style]]) -> int | None:
    """The heading level: the paragraph's own outline level, else a Heading/Kop/Title style in its chain."""
    own = _outline(ppr)
    if own is not None:
        return own + 1
    for style_id, style in chain:
        for name in (style.name, style_id):
            match = HEADING_NAME.fullmatch(name.strip())
            if match:
                return int(match.group(1))
            if name.strip().lower() in TITLE_NAMES:
                return 0  # the document's title stands above its Heading 1 chapters
    for _, style in chain:
        if style.outline is not None:
            return style.outline + 1
    return None


def _all_bold(runs: list[Any], chain: list[tuple[str, _Style]], styles: dict[str, _Style]) -> bool:
    """Whether every run with text is bold, by its own formatting, else its character style, else the paragraph's."""
    paragraph_bold = next((style.bold for _, style in chain if style.bold is not None), False)
    shown = [run for run in runs if run.text.strip()]
    if not shown:
        return False
    for run in shown:
        rpr = run.find(qn("w:rPr"))
        bold = _bold(rpr)
        if bold is None and rpr is not None:
            character = rpr.find(qn("w:rStyle"))
            if character is not None:
                bold = next(
                    (style.bold for _, style in _chain(styles, character.get(qn("w:val"))) if style.bold is not None),
                    None,
                )
        if not (paragraph_bold if bold is None else bold):
            return False
    return True


class _Numbering:
    """Word's list numbering replayed in document order, so an item's number reads as Word shows it ("1.", "a)")."""

    def __init__(self, document: Any, styles: dict[str, _Style]) -> None:
        """Read numbering.xml: which abstract list each list id uses, with its levels and start overrides."""
        self.levels: dict[str, dict[int, tuple[str, str, int, str | None]]] = {}  # abstract id -> level -> format
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}  # list id -> abstract id, start overrides
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        part = _numbering_part(document)
        if part is None:
            return
        links: dict[str, str] = {}  # abstract id -> numbering style it defers to (numStyleLink)
        for abstract in part.findall(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            link = abstract.find(qn("w:numStyleLink"))
            if link is not None:
                links[abstract_id] = link.get(qn("w:val"))
            levels = {}
            for level in abstract.findall(qn("w:lvl")):
                ilvl = _int(level.get(qn("w:ilvl"))) or 0
                start = _int(_val(level, "w:start"))
                levels[ilvl] = (
                    _val(level, "w:numFmt") or "decimal",
                    _val(level, "w:lvlText") or "",
                    1 if start is None else start,  # Word writes w:start; a list may well start at 0
                    _val(level, "w:pStyle"),
                )
            self.levels[abstract_id] = levels
        for num in part.findall(qn("w:num")):
            abstract = num.find(qn("w:abstractNumId"))
            if abstract is None:
                continue
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = _int(_val(override, "w:startOverride"))
                if start is not None:
                    overrides[_int(override.get(qn("w:ilvl"))) or 0] = start
            self.lists[num.get(qn("w:numId"))] = (abstract.get(qn("w:val")), overrides)
        # A list defined by a numbering style points at the style, whose own numPr names the list that holds levels.
        for abstract_id, style_id in links.items():
            style = styles.get(style_id)
            target = self.lists.get(style.num_id) if style and style.num_id else None
            if target is not None and self.levels.get(target[0]):
                self.levels[abstract_id] = self.levels[target[0]]

    def next(self, num_id: str, ilvl: int | None, style_id: str | None) -> tuple[bool, str | None]:
        """Count one paragraph of a list and return (numbered, label): label None for a bullet."""
        if num_id not in self.lists:
            return False, None
        abstract_id, overrides = self.lists[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl is None:  # headings linked to a multilevel list find their level by style
            ilvl = next((level for level, spec in levels.items() if spec[3] and spec[3] == style_id), 0)
        if ilvl not in levels:
            return True, None
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in overrides.items():  # a list restarted at a given number (startOverride)
                counters[level] = start - 1
                for deeper in [key for key in counters if key > level]:
                    del counters[deeper]
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [key for key in counters if key > ilvl]:
            del counters[deeper]  # a new item at this level restarts the levels below it
        number_format, text, _, _ = levels[ilvl]
        if number_format == "bullet":
            return True, None

        def render(match: re.Match[str]) -> str:
            """One %N placeholder of the level text: level N's counter in level N's own format."""
            level = int(match.group(1)) - 1
            spec = levels.get(level)
            if spec is None:
                return ""
            value = counters.get(level, spec[2])
            return _format(value, spec[0])

        label = re.sub(r"%([1-9])", render, text).strip()
        return True, label or None


def _numbering_part(document: Any) -> Any:
    """numbering.xml's root element, or None when the document has no lists."""
    try:
        part = document.part.numbering_part
    except (KeyError, NotImplementedError):
        return None
    return part.element if part is not None else None


def _val(element: Any, tag: str) -> str | None:
    """The w:val attribute of a child element, or None."""
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _format(value: int, number_format: str) -> str:
    """A counter written in a Word number format: decimal, letters or roman numerals."""
    if number_format in ("lowerLetter", "upperLetter"):
        letters = ""
        if value > 0:
            # Word repeats the letter past z: aa, bb, …
            letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters.upper() if number_format == "upperLetter" else letters
    if number_format in ("lowerRoman", "upperRoman"):
        roman, rest = "", value
        for amount, numeral in ROMAN:
            while rest >= amount:
                roman, rest = roman + numeral, rest - amount
        return roman.upper() if number_format == "upperRoman" else roman
    if number_format == "decimalZero":
        return f"{value:02d}"
    if number_format == "none":
        return ""
    return str(value)
