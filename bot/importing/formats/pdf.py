"""Reads a PDF into visual lines with font size, weight and paragraph gaps, without page headers, footers, numbers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTImage
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from bot.importing.document import Document, Line
from bot.importing.formats import ImportFormatError
from bot.importing.formats.pdf_furniture import remove_page_furniture
from bot.importing.formats.pdf_lines import CID, PageText, TextLine, cluster, reading_order

PARAGRAPH_GAP = 0.25  # extra space between baselines, in font sizes, that marks a new paragraph
# Words split where the gap exceeds this share of the font size. pdfplumber's fixed 3 pt would glue words together
# in PDFs that position words without space characters, since a space is only 2.2-2.8 pt in 10-11 pt type.
WORD_SPLIT = 0.18
BOLD_FONT = re.compile(r"bold|black|heavy|demi|semib|extrab|ultrab|[-,_ ](?:bd|hv|blk|xbd|sb)(?:[-,_ ]|$)|,b$")
FILENAME_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint) - )?(.*?)(?:\.(?:docx?|odt|rtf|pdf|pptx?))?$", re.I)
NO_TITLE = {"", "untitled", "anonymous", "(anonymous)", "naamloos", "document", "title", "titel"}

ENCRYPTED = (
    "{name} is beveiligd met een wachtwoord en kan niet gelezen worden. Sla een versie zonder wachtwoord op "
    "(of vraag die aan wie de code opmaakte) en importeer die."
)
SCANNED = (
    "{name} bevat geen tekst, alleen afbeeldingen: het is wellicht een gescand document. Laat er eerst "
    "tekstherkenning (OCR) op lopen, bijvoorbeeld in Adobe Acrobat of een ander OCR-programma, en importeer dan "
    "die PDF. Nog beter: importeer het originele Word-bestand."
)
PARTLY_SCANNED = (
    "{name}: {pages} van de {total} pagina's bevatten geen tekst maar alleen een afbeelding (pagina {which}); het is "
    "wellicht (deels) gescand. Laat er eerst tekstherkenning (OCR) op lopen en importeer dan die PDF, of importeer "
    "het originele Word-bestand."
)
NO_TEXT = "{name} bevat geen tekst: de pagina's zijn leeg."
UNREADABLE_FONTS = (
    "{name} bevat tekst die niet als letters te lezen is (lettertypes zonder tekentabel). Exporteer het document "
    "opnieuw als PDF, importeer het originele Word-bestand, of laat er tekstherkenning (OCR) op lopen."
)


def read_pdf(path: Path) -> Document:
    """Read a PDF's text lines in reading order, leaving out repeated page headers, footers and page numbers."""
    name = Path(path).name
    try:
        pdf = pdfplumber.open(path)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFEncryptionError):
            raise ImportFormatError(ENCRYPTED.format(name=name)) from exc
        raise ImportFormatError(
            f"{name} is geen leesbare PDF: het bestand is beschadigd of onvolledig. Download of exporteer het opnieuw."
        ) from exc
    with pdf:
        extractor = WordExtractor(
            x_tolerance_ratio=WORD_SPLIT, keep_blank_chars=False, use_text_flow=True, extra_attrs=["size", "fontname"]
        )
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(_read_page(page, number, extractor))
            page.close()  # drops pdfplumber's cached layout, so a long PDF does not pile up in memory
        title = _title(pdf.metadata)
    _check_text(pages, name)
    removed, page_numbers = remove_page_furniture(pages)
    for page in pages:
        page.body = reading_order(page)
    lines = _with_gaps(pages)
    return Document(
        format="pdf", lines=lines, pages=len(pages), title=title, removed=removed, page_numbers=page_numbers
    )


def _read_page(page: Any, number: int, extractor: WordExtractor) -> PageText:
    """The page's upright words with size, font and weight, read from pdfminer's layout objects directly."""
    # pdfplumber's page.chars converts every attribute of every character (colours, matrices) into dicts, which is
    # two thirds of the reading time; the few fields needed here are taken from the layout objects themselves.
    layout = page.layout
    width, height = layout.width, layout.height
    chars: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    images = False
    stack: list[Any] = [layout]
    while stack:
        container = stack.pop()
        for item in container:
            if isinstance(item, LTChar):
                text = item.get_text()
                if not text or item.size < 1 or item.x1 < 0 or item.x0 > width or item.y1 < 0 or item.y0 > height:
                    continue  # off the page or too small to see: not text a reader would read
                key = (text, round(item.x0), round(item.y0))
                if key in seen:
                    continue  # a character printed twice on itself, the way some PDFs fake bold
                seen.add(key)
                fontname = item.fontname
                if isinstance(fontname, bytes):
                    fontname = fontname.decode("latin-1")
                top = height - item.y1
                chars.append(
                    {
                        "text": text,
                        "x0": item.x0,
                        "x1": item.x1,
                        "top": top,
                        "doctop": top,
                        "bottom": height - item.y0,
                        "upright": item.upright,
                        "size": round(item.size, 1),
                        "fontname": str(fontname),
                    }
                )
            elif isinstance(item, LTImage):
                images = True
            elif isinstance(item, LTContainer):
                stack.append(item)  # a figure (form XObject) holds text of its own; lines are sorted by place later
    words = []
    for word in extractor.extract_words(chars):
        if not word["upright"] or not word["text"].strip():
            continue  # text running up the margin is a stamp or a version note, not body text
        word["bold"] = _is_bold(word["fontname"])
        words.append(word)
    result = PageText(number=number, width=width, height=height, words=words, images=images)
    result.lines = cluster(words)
    return result


def _is_bold(fontname: str) -> bool:
    """Whether a font's name says it is bold, black, heavy or semibold (after its subset prefix, ABCDEF+)."""
    return bool(BOLD_FONT.search(fontname.split("+", 1)[-1].lower()))


def _check_text(pages: list[PageText], name: str) -> None:
    """Refuse a PDF without a text layer (a scan), or whose text is only unmapped glyph codes."""
    words = sum(len(page.words) for page in pages)
    if not words:
        if any(page.images for page in pages):
            raise ImportFormatError(SCANNED.format(name=name))
        raise ImportFormatError(NO_TEXT.format(name=name))
    scanned = [page.number for page in pages if not page.words and page.images]
    # A scanned signature page at the end is common and harmless; half of the code as images is not.
    if len(scanned) * 2 >= len(pages):
        which = ", ".join(str(number) for number in scanned[:12]) + (", …" if len(scanned) > 12 else "")
        raise ImportFormatError(PARTLY_SCANNED.format(name=name, pages=len(scanned), total=len(pages), which=which))
    unreadable = sum(1 for page in pages for word in page.words if CID.search(word["text"]))
    if unreadable * 2 > words:
        raise ImportFormatError(UNREADABLE_FONTS.format(name=name))


def _with_gaps(pages: list[PageText]) -> list[Line]:
    """The kept lines as Lines, with gap_before where the space before a line, or a page's end, starts a paragraph."""
    ratio = _line_pitch(pages)
    firsts = Counter(round(page.body[0].top) for page in pages[1:] if page.body)
    body_top = firsts.most_common(1)[0][0] if firsts and firsts.most_common(1)[0][1] >= 2 else None
    lasts = sorted(page.body[-1].bottom for page in pages if page.body)
    body_bottom = lasts[(len(lasts) * 3) // 4] if len(lasts) >= 2 else None
    lines: list[Line] = []
    previous: TextLine | None = None
    previous_page: PageText | None = None
    for page in pages:
        for line in page.body:
            if previous is None or previous_page is None:
                gap = True
            elif previous_page is page and line.top >= previous.bottom - 0.5 * line.size:
                pitch = line.bottom - previous.bottom
                gap = pitch > ratio * line.size + max(PARAGRAPH_GAP * line.size, 1.5)
            else:
                gap = _break_starts_paragraph(previous, previous_page, line, page, ratio, body_top, body_bottom)
            lines.append(Line(text=line.text, page=page.number, size=line.size, bold=line.bold, gap_before=gap))
            previous, previous_page = line, page
    return lines


def _line_pitch(pages: list[PageText]) -> float:
    """The normal distance between baselines inside a paragraph, in font sizes (1.2 when the PDF gives no evidence)."""
    ratios: list[float] = []
    for page in pages:
        for previous, line in zip(page.body, page.body[1:], strict=False):
            if line.group == previous.group and abs(line.size - previous.size) < 0.3 and line.top >= previous.bottom:
                ratios.append((line.bottom - previous.bottom) / line.size)
    bins = Counter(round(ratio * 20) for ratio in ratios if ratio >= 0.8)
    if not bins:
        return 1.2
    most = max(bins.values())
    # The tightest spacing that is common: in a code of one-line paragraphs the paragraph spacing may be the mode.
    normal = min(value for value, count in bins.items() if count >= max(2, most * 0.2)) if most >= 2 else max(bins)
    near = [ratio for ratio in ratios if abs(ratio * 20 - normal) <= 1]
    return sum(near) / len(near) if near else normal / 20


def _break_starts_paragraph(
    previous: TextLine,
    previous_page: PageText,
    line: TextLine,
    page: PageText,
    ratio: float,
    body_top: float | None,
    body_bottom: float | None,
) -> bool:
    """Whether a line after a page or column break starts a paragraph rather than continuing the one before."""
    if re.search(r"\w-$", previous.text):
        return False  # a word hyphenated across the break
    if abs(line.size - previous.size) >= 0.5 or line.bold != previous.bold:
        return True
    new_page = page is not previous_page
    if new_page and body_top is not None and line.top > body_top + 0.6 * line.size:
        return True  # the page starts lower than the others: space before a new paragraph
    if new_page and body_bottom is not None and previous.bottom < body_bottom - 1.6 * ratio * previous.size:
        return True  # the page before ended early, with room for more than a line
    # The previous line stopped short: the first word of this one would have fitted after it.
    # The column's right edge, from its longer lines but not the longest: one overlong line (a URL) would skew it.
    edges = sorted(other.x1 for other in previous_page.body if other.group == previous.group)
    right = edges[int(0.9 * (len(edges) - 1))]
    first = line.words[0]
    space = 0.3 * previous.size
    return previous.x1 + space + (first["x1"] - first["x0"]) < right - 0.5 * previous.size


def _title(metadata: dict[str, Any]) -> str | None:
    """The title from the PDF's metadata, without Word's "Microsoft Word - …docx" wrapping; None for placeholders."""
    value = metadata.get("Title") if metadata else None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    match = FILENAME_TITLE.match(" ".join(value.split()))
    title = match.group(1).strip() if match else value.strip()
    return None if title.lower() in NO_TITLE else title
