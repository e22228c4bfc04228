"""What a reader hands the importer: the source's lines in reading order, with what its format says of each."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """One line of the source's body text (page headers, footers and page numbers already left out)."""

    text: str
    page: int | None = None  # 1-based page, for PDF
    size: float | None = None  # the line's dominant font size in points, for PDF
    bold: bool = False  # the whole line is bold
    heading: int | None = None  # a declared heading level: DOCX style (0 for Title), HTML h1-h6, Markdown #
    item: bool = False  # a list item the source declares: a DOCX list paragraph, an HTML li, a Markdown bullet
    number: str | None = None  # the item's or heading's own number or letter where the format keeps it apart
    gap_before: bool = False  # a paragraph break (blank line, a new DOCX or HTML block, a wide gap in a PDF) before it
    cell: bool = False  # the line comes from a table cell


@dataclass
class Document:
    """A source document read into lines, with what was left out as layout and not text."""

    format: str  # "pdf", "docx", "html", "markdown" or "text"
    lines: list[Line]
    pages: int | None = None
    title: str | None = None  # a title the file itself declares (PDF metadata, HTML <title>, DOCX core property)
    removed: list[str] = field(default_factory=list)  # repeated page headers and footers, one entry per distinct text
    page_numbers: int = 0  # page-number lines left out
