"""The format readers: PDF, Word, HTML, Markdown and text read into lines, with files generated here, never fetched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from bot.importing.document import Document, Line
from bot.importing.formats import ImportFormatError, read_document

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, TOP, BOTTOM = 72.0, 84.0, 80.0
WIDTH = PAGE_WIDTH - 2 * LEFT
HEADER = "Deontologische code – Gemeente Testdorp"
VERSION = "Versie 2.1 – goedgekeurd 12 maart 2024"
# Embedded TrueType subsets with a Unicode map, as Word's PDF export writes them (reportlab ships Bitstream Vera).
pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
pdfmetrics.registerFont(TTFont("VeraBd", "VeraBd.ttf"))
BODY = ("Vera", 10.5, 13.5)  # font, size, leading
HEADING = ("VeraBd", 14.0, 18.0)
TITLE = ("VeraBd", 20.0, 26.0)

SENTENCES = [
    "Als medewerker van de gemeente Testdorp dien je het algemeen belang en niet je eigen belang.",
    "Je gaat zorgvuldig om met de middelen die het bestuur je toevertrouwt, zoals laptops, wagens en budgetten.",
    "Informatie die je door je functie kent, gebruik je niet voor jezelf of voor je familie en vrienden.",
    "Twijfel je of iets kan, dan bespreek je het vooraf met je leidinggevende of met de vertrouwenspersoon.",
    "Een klein geschenk met een geringe waarde mag je aanvaarden, zolang het geen tegenprestatie verwacht.",
    "Geld, waardebonnen en uitnodigingen voor reizen weiger je altijd, ook wanneer ze vriendelijk bedoeld zijn.",
    "NeveNactiviteiten meld je vooraf schriftelijk, zodat het college kan nagaan of ze verenigbaar zijn.",
    "Wie een inbreuk vermoedt, meldt die bij de interne meldpunt zonder dat hij daardoor nadeel ondervindt.",
]


def sentences(start: int, count: int) -> str:
    """A paragraph of count sentences from the list, starting at start (wrapping around)."""
    return " ".join(SENTENCES[(start + offset) % len(SENTENCES)] for offset in range(count))


@dataclass
class Block:
    """A paragraph to lay out: its font, the space before it, and its text or its lines already broken."""

    style: tuple[str, float, float]
    space_before: float
    text: str = ""
    lines: tuple[str, ...] = ()
    bullet: bool = False


@dataclass
class Drawn:
    """A line the generator drew on the body of a page, with whether it starts a paragraph."""

    text: str
    page: int
    size: float
    bold: bool
    starts: bool


PAGE_BREAK = Block(style=BODY, space_before=0, text="<page break>")


def layout(blocks: list[Block]) -> list[list[tuple[Drawn, float, float, str]]]:
    """Flow the blocks over A4 pages like a word processor: lines wrap, paragraphs break across pages."""
    pages: list[list[tuple[Drawn, float, float, str]]] = [[]]
    y = PAGE_HEIGHT - TOP
    for block in blocks:
        if block is PAGE_BREAK:
            pages.append([])
            y = PAGE_HEIGHT - TOP
            continue
        font, size, leading = block.style
        indent = 14.0 if block.bullet else 0.0
        lines = list(block.lines) or simpleSplit(block.text, font, size, WIDTH - indent)
        for index, text in enumerate(lines):
            drop = leading + (block.space_before if index == 0 else 0)
            if not pages[-1]:
                drop = leading  # like Word, no space before a paragraph at the top of a page
            if y - drop < BOTTOM:
                pages.append([])
                y = PAGE_HEIGHT - TOP
                drop = leading
            y -= drop
            shown = f"• {text}" if block.bullet and index == 0 else text
            starts = index == 0 and (block.space_before > 0 or not any(pages))  # the first line starts a paragraph
            drawn = Drawn(shown, len(pages), size, font == "VeraBd", starts)
            pages[-1].append((drawn, LEFT + indent, y, text))
    return pages


def write_pdf(path: Path, blocks: list[Block], title: str = "Deontologische code Testdorp") -> list[Drawn]:
    """Write the laid-out blocks as a PDF with a running header and a footer "Pagina N van M"; return the lines."""
    pages = layout(blocks)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(title)
    for number, page in enumerate(pages, start=1):
        pdf.setFont("Vera", 8.5)
        pdf.drawString(LEFT, PAGE_HEIGHT - 40, HEADER)
        pdf.drawString(LEFT, 40, VERSION)
        pdf.drawCentredString(PAGE_WIDTH - LEFT - 30, 40, f"Pagina {number} van {len(pages)}")
        for drawn, x, y, text in page:
            font = TITLE[0] if drawn.size == TITLE[1] else HEADING[0] if drawn.bold else BODY[0]
            pdf.setFont(font, drawn.size)
            if drawn.text.startswith("• ") and x > LEFT:
                pdf.drawString(LEFT + 2, y, "•")
            pdf.drawString(x, y, text)
        pdf.showPage()
    pdf.save()
    return [drawn for page in pages for drawn, *_ in page]


def code_blocks() -> list[Block]:
    """A three-page code: title, numbered headings, wrapped paragraphs, a hyphenated word, a bullet list."""
    body = [Block(BODY, 7, sentences(start, 3)) for start in range(0, 8, 2)]
    return [
        Block(TITLE, 0, "Deontologische code Testdorp"),
        Block(HEADING, 14, "1. Inleiding"),
        *body,
        Block(
            BODY,
            7,
            lines=(
                "Een belangen-",
                "conflict ontstaat wanneer een persoonlijk belang je oordeel als medewerker",
                "kan beïnvloeden.",
            ),
        ),
        Block(HEADING, 14, "2. Geschenken en voordelen"),
        Block(BODY, 7, sentences(4, 4)),
        Block(BODY, 7, "Je aanvaardt geen geschenken van:"),
        Block(BODY, 4, "leveranciers die meedingen naar een opdracht van de gemeente;", bullet=True),
        Block(BODY, 0, "burgers die een vergunning, premie of beslissing van je dienst afwachten;", bullet=True),
        Block(BODY, 0, sentences(1, 1), bullet=True),
        *[Block(BODY, 7, sentences(start, 5)) for start in range(3, 11, 2)],
        Block(HEADING, 14, "3. Melden van vermoedens"),
        *[Block(BODY, 7, sentences(start, 6)) for start in range(7, 15, 3)],
        PAGE_BREAK,
        Block(HEADING, 14, "4. Slotbepalingen"),
        Block(BODY, 7, sentences(2, 2)),
    ]


@pytest.fixture(scope="module")
def pdf_code(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, list[Drawn]]:
    """The generated code PDF, read once for the PDF tests."""
    path = tmp_path_factory.mktemp("pdf") / "code.pdf"
    drawn = write_pdf(path, code_blocks())
    return read_document(path), drawn


def words(text: str) -> set[str]:
    """The words of a text, lower case, without punctuation."""
    return set(re.findall(r"\w+", text.lower()))


def test_pdf_reads_every_body_line_in_order_without_page_furniture(pdf_code):
    document, drawn = pdf_code
    assert document.format == "pdf"
    assert document.pages == 3 and document.pages == max(line.page for line in drawn)
    assert [line.text for line in document.lines] == [line.text for line in drawn]
    assert [line.page for line in document.lines] == [line.page for line in drawn]
    body = " ".join(line.text for line in document.lines)
    assert words(" ".join(line.text for line in drawn)) <= words(body)
    assert HEADER not in body and "Pagina" not in body and "Versie" not in body
    assert document.removed == [HEADER, VERSION]
    assert document.page_numbers == document.pages
    assert document.title == "Deontologische code Testdorp"


def test_pdf_gives_sizes_weight_and_keeps_hyphens_and_bullets(pdf_code):
    document, _ = pdf_code
    lines = {line.text: line for line in document.lines}
    title = lines["Deontologische code Testdorp"]
    heading = lines["2. Geschenken en voordelen"]
    body = [line for line in document.lines if not line.bold]
    assert title.bold and heading.bold and title.size == 20.0 and heading.size == 14.0
    assert {line.size for line in body} == {10.5}
    assert title.size > heading.size > body[0].size
    assert "Een belangen-" in lines  # hyphenation is left for the structure step to undo
    continued = next(line for line in document.lines if line.text.startswith("conflict "))
    assert lines["Een belangen-"].gap_before and not continued.gap_before
    bullets = [line for line in document.lines if line.text.startswith("• ")]
    assert len(bullets) == 3 and bullets[0].text == "• leveranciers die meedingen naar een opdracht van de gemeente;"
    assert all(line.heading is None and not line.item and not line.cell for line in document.lines)


def test_pdf_marks_paragraph_starts_but_not_a_paragraph_continued_on_the_next_page(pdf_code):
    document, drawn = pdf_code
    assert [line.gap_before for line in document.lines] == [line.starts for line in drawn]
    # The scenario is there: a paragraph runs over a page break, and another page starts with a new heading.
    starts_of_pages = [index for index in range(1, len(drawn)) if drawn[index].page != drawn[index - 1].page]
    assert any(not drawn[index].starts for index in starts_of_pages)
    assert any(drawn[index].starts for index in starts_of_pages)
    for index in starts_of_pages:
        assert document.lines[index].gap_before == drawn[index].starts, document.lines[index]


def test_pdf_reads_two_columns_left_before_right(tmp_path):
    path = tmp_path / "kolommen.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(LEFT, PAGE_HEIGHT - 90, "Gedragsregels in twee kolommen voor het hele personeel van Testdorp")
    pdf.setFont("Helvetica", 10)
    column = (WIDTH - 24) / 2
    for row in range(25):
        y = PAGE_HEIGHT - 130 - row * 13
        pdf.drawString(LEFT, y, f"links {row} over eerlijkheid en zorg")
        pdf.drawString(LEFT + column + 24, y, f"rechts {row} over discretie en respect")
    pdf.save()
    texts = [line.text for line in read_document(path).lines]
    assert texts[0].startswith("Gedragsregels")
    assert texts[1:26] == [f"links {row} over eerlijkheid en zorg" for row in range(25)]
    assert texts[26:] == [f"rechts {row} over discretie en respect" for row in range(25)]


def test_pdf_running_heads_that_change_per_chapter_go_but_body_text_at_the_same_place_stays(tmp_path):
    path = tmp_path / "hoofdstukken.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, 7):
        chapter = (page + 1) // 2
        pdf.setFont("Vera", 8.5)
        name = ["Waarden", "Geschenken", "Melden"][chapter - 1]
        pdf.drawString(LEFT, PAGE_HEIGHT - 40, f"Hoofdstuk {chapter}: {name}")
        pdf.drawRightString(PAGE_WIDTH - LEFT, PAGE_HEIGHT - 40, str(page + 2))  # the cover and contents unnumbered
        pdf.setFont("VeraBd", 12)
        pdf.drawString(LEFT, PAGE_HEIGHT - 100, f"Artikel {page * 3}")  # each page starts with an article
        pdf.setFont("Vera", 10.5)
        for row in range(5):
            pdf.drawString(LEFT, PAGE_HEIGHT - 130 - row * 13.5, f"{sentences(page + row, 1)[:80]}")
        pdf.showPage()
    pdf.save()
    document = read_document(path)
    texts = [line.text for line in document.lines]
    assert [text for text in texts if text.startswith("Artikel")] == [f"Artikel {page * 3}" for page in range(1, 7)]
    assert not any(text.startswith("Hoofdstuk") for text in texts)
    assert document.removed == ["Hoofdstuk 1: Waarden 3", "Hoofdstuk 2: Geschenken 5", "Hoofdstuk 3: Melden 7"]
    assert document.page_numbers == 6


def test_pdf_with_a_password_is_refused_in_dutch(tmp_path):
    path = tmp_path / "beveiligd.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    pdf.drawString(LEFT, 700, "Vertrouwelijke code")
    pdf.save()
    with pytest.raises(ImportFormatError, match="beveiligd met een wachtwoord"):
        read_document(path)


def test_scanned_pdf_without_text_layer_asks_for_ocr(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(Image.new("L", (120, 160), color=200)), LEFT, 300, width=400, height=500)
    pdf.showPage()
    pdf.save()
    with pytest.raises(ImportFormatError, match=r"gescand.*tekstherkenning \(OCR\)"):
        read_document(path)


def test_damaged_pdf_gives_a_message_not_a_traceback(tmp_path):
    path = tmp_path / "kapot.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without pages or trailer\n")
    with pytest.raises(ImportFormatError, match=r"kapot\.pdf") as caught:
        read_document(path)
    assert "Traceback" not in str(caught.value)
    (tmp_path / "html.pdf").write_text("<html><body>Niet gevonden</body></html>")
    with pytest.raises(ImportFormatError, match="geen PDF"):
        read_document(tmp_path / "html.pdf")


@pytest.mark.parametrize("name", ["leeg.pdf", "leeg.docx", "leeg.txt", "leeg.md", "leeg.html"])
def test_empty_file_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(ImportFormatError, match="is leeg"):
        read_document(path)


def test_old_word_format_asks_to_save_as_docx(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    (tmp_path / "code.doc").write_bytes(ole)
    with pytest.raises(ImportFormatError, match=r"oude \.doc-formaat.*bewaar het als \.docx"):
        read_document(tmp_path / "code.doc")
    (tmp_path / "hernoemd.docx").write_bytes(ole)  # a .doc renamed to .docx
    with pytest.raises(ImportFormatError, match=r"\.doc-formaat"):
        read_document(tmp_path / "hernoemd.docx")
    (tmp_path / "beveiligd.docx").write_bytes(ole + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(ImportFormatError, match="wachtwoord"):
        read_document(tmp_path / "beveiligd.docx")


def test_missing_file_and_binary_text_are_refused(tmp_path):
    with pytest.raises(ImportFormatError, match="bestaat niet"):
        read_document(tmp_path / "nergens.pdf")
    (tmp_path / "data.txt").write_bytes(b"abc\x00\x01\x02" * 20)
    with pytest.raises(ImportFormatError, match="geen tekstbestand"):
        read_document(tmp_path / "data.txt")


def write_docx(path: Path) -> None:
    """A Word code with a title, Heading 1/2 (and Dutch and derived heading styles), lists, a table and a bold line."""
    document = docx.Document()
    document.core_properties.title = "Deontologische code Testdorp"
    document.sections[0].header.paragraphs[0].text = "Koptekst die op elke pagina staat"
    document.sections[0].footer.paragraphs[0].text = "Voettekst met paginanummer"
    document.add_heading("Deontologische code", 0)
    document.add_heading("Inleiding", 1)
    document.add_paragraph("Deze code geldt voor alle medewerkers van de gemeente Testdorp.")
    document.add_paragraph("")  # an empty paragraph, as people type them for space
    document.add_heading("Geschenken", 2)
    document.add_paragraph("Je weigert altijd:")
    document.add_paragraph("geld en waardebonnen;", style="List Bullet")
    document.add_paragraph("uitnodigingen voor reizen.", style="List Bullet")
    for text in ("Meld het geschenk.", "Registreer het in het register.", "Bezorg het terug."):
        document.add_paragraph(text, style="List Number")
    warning = document.add_paragraph()
    warning.add_run("Let op: ").bold = True
    warning.add_run("bij twijfel vraag je raad.").bold = True
    mixed = document.add_paragraph()
    mixed.add_run("Gedeeltelijk ").bold = True
    mixed.add_run("vet.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Waarde"
    table.cell(0, 1).text = "Wat doe je?"
    table.cell(1, 0).text = "Tot 50 euro"
    table.cell(1, 1).paragraphs[0].text = "Aanvaarden mag."
    table.cell(1, 1).add_paragraph("Meld het wel.")
    dutch = document.styles.add_style("Kop 3", WD_STYLE_TYPE.PARAGRAPH)
    dutch.base_style = document.styles["Normal"]
    document.add_paragraph("Belangenconflicten", style=dutch)
    derived = document.styles.add_style("Artikelkop", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = document.styles["Heading 2"]
    document.add_paragraph("Artikel 5. Nevenactiviteiten", style=derived)
    document.add_paragraph("Na de tabel gaat de tekst verder.")
    document.save(str(path))


def test_docx_reads_headings_lists_table_cells_and_bold_in_order(tmp_path):
    path = tmp_path / "code.docx"
    write_docx(path)
    document = read_document(path)
    assert document.format == "docx" and document.title == "Deontologische code Testdorp"
    got = [(line.text, line.heading, line.item, line.number, line.bold, line.cell) for line in document.lines]
    assert got == [
        ("Deontologische code", 0, False, None, False, False),  # the Title style, above Heading 1
        ("Inleiding", 1, False, None, True, False),
        ("Deze code geldt voor alle medewerkers van de gemeente Testdorp.", None, False, None, False, False),
        ("Geschenken", 2, False, None, True, False),
        ("Je weigert altijd:", None, False, None, False, False),
        ("geld en waardebonnen;", None, True, None, False, False),
        ("uitnodigingen voor reizen.", None, True, None, False, False),
        ("Meld het geschenk.", None, True, "1.", False, False),
        ("Registreer het in het register.", None, True, "2.", False, False),
        ("Bezorg het terug.", None, True, "3.", False, False),
        ("Let op: bij twijfel vraag je raad.", None, False, None, True, False),
        ("Gedeeltelijk vet.", None, False, None, False, False),
        ("Waarde", None, False, None, False, True),
        ("Wat doe je?", None, False, None, False, True),
        ("Tot 50 euro", None, False, None, False, True),
        ("Aanvaarden mag.", None, False, None, False, True),
        ("Meld het wel.", None, False, None, False, True),
        ("Belangenconflicten", 3, False, None, False, False),
        ("Artikel 5. Nevenactiviteiten", 2, False, None, True, False),
        ("Na de tabel gaat de tekst verder.", None, False, None, False, False),
    ]
    assert all(line.gap_before for line in document.lines)
    assert all(line.page is None and line.size is None for line in document.lines)
    text = " ".join(line.text for line in document.lines)
    assert "Koptekst" not in text and "Voettekst" not in text


HTML = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="windows-1252"><title>Deontologische code &ndash; Testdorp</title>
<style>p { color: red; }</style><script>var menu = "Gedragscode menu";</script></head>
<body>
<header><a href="/">Gemeente Testdorp</a> <nav><ul><li>Home</li><li>Contact</li></ul></nav></header>
<nav class="kruimelpad">Home &gt; Bestuur</nav>
<h1>Deontologische code</h1>
<p>Deze code geldt voor  alle
   medewerkers&nbsp;van de gemeente.<br>Ook voor vrijwilligers &amp; stagiairs.</p>
<div hidden>Verborgen tekst</div>
<h2>1. Geschenken</h2>
<p>Je mag <strong>nooit</strong> geld aan<i>vaarden</i>. Caf\xe9 of restaurant: &eacute;&eacute;n keer per jaar.</p>
<ul><li>geen waardebonnen;</li><li>geen reizen</ul>
<ol start="1"><li>Meld het geschenk.<li>Registreer het.</li></ol>
<ol type="a"><li>eerste</li><li>tweede</li></ol>
<h3>Waarden</h3>
<p><b>Let op: dit is belangrijk.</b></p>
<table><tr><th>Waarde</th><th>Regel</th></tr><tr><td>Tot &euro; 50</td><td>Aanvaarden</td></tr></table>
<aside>Zie ook: andere codes</aside>
<form><label>Zoeken</label><input name="q"></form>
<footer>&copy; Gemeente Testdorp</footer>
<noscript>Zet JavaScript aan.</noscript>
</body></html>
"""


def test_html_reads_blocks_headings_items_and_cells_without_chrome(tmp_path):
    path = tmp_path / "code.htm"
    path.write_bytes(HTML.encode("cp1252"))
    document = read_document(path)
    assert document.format == "html" and document.title == "Deontologische code – Testdorp"
    got = [(line.text, line.heading, line.item, line.number, line.gap_before, line.cell) for line in document.lines]
    assert got == [
        ("Deontologische code", 1, False, None, True, False),
        ("Deze code geldt voor alle medewerkers van de gemeente.", None, False, None, True, False),
        ("Ook voor vrijwilligers & stagiairs.", None, False, None, False, False),
        ("1. Geschenken", 2, False, None, True, False),
        ("Je mag nooit geld aanvaarden. Café of restaurant: één keer per jaar.", None, False, None, True, False),
        ("geen waardebonnen;", None, True, None, True, False),
        ("geen reizen", None, True, None, True, False),
        ("Meld het geschenk.", None, True, "1.", True, False),
        ("Registreer het.", None, True, "2.", True, False),
        ("eerste", None, True, "a.", True, False),
        ("tweede", None, True, "b.", True, False),
        ("Waarden", 3, False, None, True, False),
        ("Let op: dit is belangrijk.", None, False, None, True, False),
        ("Waarde", None, False, None, True, True),
        ("Regel", None, False, None, True, True),
        ("Tot € 50", None, False, None, True, True),
        ("Aanvaarden", None, False, None, True, True),
    ]
    assert [line.bold for line in document.lines if line.text.startswith(("Let op", "Je mag"))] == [False, True]


def test_html_with_a_main_element_reads_only_the_main_content(tmp_path):
    path = tmp_path / "pagina.html"
    path.write_text(
        "<html><body><div class='menu'><ul><li>Home</li><li>Vacatures</li></ul></div>"
        "<main><header><h1>Gedragscode</h1></header><p>Wees integer.</p></main>"
        "<div class='voet'>Contact: 050 12 34 56</div></body></html>",
        encoding="utf-8",
    )
    document = read_document(path)
    assert [(line.text, line.heading) for line in document.lines] == [("Gedragscode", 1), ("Wees integer.", None)]
    assert document.title is None


MARKDOWN = """---
title: Deontologische code Testdorp
---
# Deontologische code

Deze code geldt voor **alle** medewerkers
van de [gemeente](https://testdorp.be) Testdorp.

## 1. Geschenken

- geen *geld*;
* geen __waardebonnen__;
+ geen `reizen`.

1. Meld het geschenk.
2) Registreer het.

**Let op: twijfel je, vraag raad.**

Waarden
-------

| Waarde | Regel |
|--------|-------|
| Tot 50 euro | Aanvaarden |

Een prijs van 5 \\* 10 euro_per_stuk.
"""


def test_markdown_reads_headings_items_and_strips_markup(tmp_path):
    path = tmp_path / "code.markdown"
    path.write_text(MARKDOWN, encoding="utf-8-sig")
    document = read_document(path)
    assert document.format == "markdown" and document.title == "Deontologische code Testdorp"
    got = [(line.text, line.heading, line.item, line.number, line.gap_before) for line in document.lines]
    assert got == [
        ("Deontologische code", 1, False, None, True),
        ("Deze code geldt voor alle medewerkers", None, False, None, True),
        ("van de gemeente Testdorp.", None, False, None, False),
        ("1. Geschenken", 2, False, None, True),
        ("geen geld;", None, True, None, True),
        ("geen waardebonnen;", None, True, None, True),
        ("geen reizen.", None, True, None, True),
        ("Meld het geschenk.", None, True, "1.", True),
        ("Registreer het.", None, True, "2)", True),
        ("Let op: twijfel je, vraag raad.", None, False, None, True),
        ("Waarden", 2, False, None, True),
        ("Waarde", None, False, None, True),
        ("Regel", None, False, None, True),
        ("Tot 50 euro", None, False, None, True),
        ("Aanvaarden", None, False, None, True),
        ("Een prijs van 5 * 10 euro_per_stuk.", None, False, None, True),
    ]
    assert [line.bold for line in document.lines if line.text.startswith(("Let op", "Deze code"))] == [False, True]
    assert [line.cell for line in document.lines].count(True) == 4


def test_text_keeps_lines_as_they_are_and_marks_blank_lines(tmp_path):
    path = tmp_path / "code.txt"
    path.write_bytes(
        "DEONTOLOGISCHE CODE\r\n\r\n1. Geschenken   \r\nEen geschenk tot € 50 mag.\r\n \t \r\n  - geen geld\r\n".encode(
            "cp1252"
        )
    )
    document = read_document(path)
    assert document.format == "text" and document.title is None
    assert [(line.text, line.gap_before) for line in document.lines] == [
        ("DEONTOLOGISCHE CODE", True),
        ("1. Geschenken", True),
        ("Een geschenk tot € 50 mag.", False),
        ("  - geen geld", True),
    ]
    assert all(line.heading is None and not line.item for line in document.lines)
    other = tmp_path / "code.rst"  # any other suffix is read as text
    other.write_text("\ufeffRegel één\n", encoding="utf-8")
    assert read_document(other).lines == [Line(text="Regel één", gap_before=True)]


NUMBERING = """<w:abstractNum {ns} w:abstractNumId="{abstract}">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{first}"/><w:lvlText w:val="{text0}"/>{style0}</w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>{style1}</w:lvl>
</w:abstractNum>"""


def add_list(document: docx.document.Document, abstract: int, first: str, text0: str, styles: tuple = ()) -> None:
    """Add a two-level list definition to numbering.xml, linked to paragraph styles when given."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    linked = [f'<w:pStyle w:val="{style}"/>' for style in styles] or ["", ""]
    xml = NUMBERING.format(
        ns=nsdecls("w"), abstract=abstract, first=first, text0=text0, style0=linked[0], style1=linked[1]
    )
    numbering.insert(0, parse_xml(xml))


def add_num(document: docx.document.Document, num_id: int, abstract: int, restart: bool = False) -> None:
    """Add a list instance (w:num) of an abstract list, restarting its first level at 1 when asked."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
    document.part.numbering_part.element.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{override}</w:num>')
    )


def number(paragraph, num_id: int, level: int | None = None) -> None:
    """Give a paragraph its own numbering properties, as Word does for a list typed in a normal paragraph."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ilvl = f'<w:ilvl w:val="{level}"/>' if level is not None else ""
    xml = f'<w:numPr {nsdecls("w")}>{ilvl}<w:numId w:val="{num_id}"/></w:numPr>'
    paragraph._p.get_or_add_pPr().append(parse_xml(xml))


def test_docx_gives_numbers_of_numbered_headings_and_lists_as_word_shows_them(tmp_path):
    document = docx.Document()
    add_list(document, 40, "decimal", "Hoofdstuk %1", styles=("Heading1", "Heading2"))
    add_num(document, 40, 40)
    add_list(document, 41, "lowerLetter", "%1)")
    add_num(document, 41, 41)
    add_num(document, 42, 41, restart=True)
    for style in ("Heading 1", "Heading 2"):  # headings linked to the multilevel list through their style
        document.styles[style].element.get_or_add_pPr()._insert_numPr(
            docx.oxml.parse_xml(f'<w:numPr {docx.oxml.ns.nsdecls("w")}><w:numId w:val="40"/></w:numPr>')
        )
    document.add_heading("Inleiding", 1)
    document.add_heading("Doel", 2)
    document.add_heading("Bereik", 2)
    document.add_heading("Geschenken", 1)
    document.add_heading("Regel", 2)
    for text in ("eerste", "tweede"):
        number(document.add_paragraph(text), 41, 0)
    number(document.add_paragraph("opnieuw"), 42, 0)
    number(document.add_paragraph("een punt onder opnieuw"), 42, 1)
    path = tmp_path / "genummerd.docx"
    document.save(str(path))
    got = [(line.text, line.heading, line.item, line.number) for line in read_document(path).lines]
    assert got == [
        ("Inleiding", 1, False, "Hoofdstuk 1"),
        ("Doel", 2, False, "1.1"),
        ("Bereik", 2, False, "1.2"),
        ("Geschenken", 1, False, "Hoofdstuk 2"),
        ("Regel", 2, False, "2.1"),
        ("eerste", None, True, "a)"),
        ("tweede", None, True, "b)"),
        ("opnieuw", None, True, "a)"),
        ("een punt onder opnieuw", None, True, "a.1"),  # level 1 shows level 0's counter in level 0's format
    ]
