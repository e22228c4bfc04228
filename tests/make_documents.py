"""Codes of conduct the tests and the import benchmark generate themselves, as PDF, DOCX and HTML: a fictional
municipality's code, and a long PDF made of the five seed codes."""

from __future__ import annotations

import html
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
TITLE = "Deontologische code van gemeente en OCMW Testdorp"
HEADER = "Deontologische code – Gemeente Testdorp"

# (heading, paragraphs); a paragraph that is a list holds its items.
CODE: list[tuple[str, list[str | list[str]]]] = [
    (
        "1. Waarom deze code?",
        [
            "Deze code geeft je houvast om integer te werken. Ze geldt voor alle medewerkers van gemeente en OCMW "
            "Testdorp, ook voor jobstudenten en stagiairs.",
        ],
    ),
    (
        "2. Geschenken en uitnodigingen",
        [
            "Je neemt geen geschenken aan van leveranciers of inwoners. Symbolische geschenken met een kleine waarde "
            "mag je aannemen, maar je meldt ze altijd aan je leidinggevende.",
            "Een uitnodiging voor een etentje of een evenement bespreek je vooraf met je leidinggevende.",
            "Geld of waardebonnen weiger je altijd.",
        ],
    ),
    (
        "3. Nevenactiviteiten",
        [
            "Een bijberoep of een betaalde nevenactiviteit vraag je vooraf aan bij de algemeen directeur. Je doet "
            "het nooit tijdens je werkuren.",
        ],
    ),
    (
        "4. Gebruik van middelen",
        [
            "De middelen van de gemeente gebruik je alleen voor je werk:",
            ["de laptop en de gsm van het werk", "de dienstwagen en het gereedschap", "het papier en de printers"],
            "Privégebruik kan alleen met de uitdrukkelijke toestemming van je leidinggevende.",
        ],
    ),
    (
        "5. Contact met de pers",
        [
            "Belt een journalist je over een beleidsdossier? Je geeft geen commentaar en verwijst hem door naar de "
            "communicatiedienst.",
        ],
    ),
    (
        "6. Vertrouwelijke informatie",
        [
            "Wat je in je functie over inwoners te weten komt, blijft vertrouwelijk. Je kijkt enkel in dossiers "
            "die je voor je werk nodig hebt.",
        ],
    ),
    (
        "7. Een vermoeden melden",
        [
            "Vermoed je fraude of corruptie? Meld het aan de algemeen directeur: die is het intern meldpunt.",
            "Bij pesten of grensoverschrijdend gedrag kan je terecht bij de vertrouwenspersoon.",
        ],
    ),
]


def code_pdf_testdorp(path: Path, title: str = TITLE, code: list | None = None) -> None:
    """The fictional code as a PDF: a large title, numbered headings, wrapped paragraphs and a bullet list, with a
    page header and a "Pagina N" footer on every page (set small so that the code spans three pages)."""
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=8, leading=10, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8)
    big = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=14, leading=17, spaceAfter=8)

    def furniture(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 6)
        canvas.drawString(20, A6[1] - 16, HEADER)
        canvas.drawString(20, 12, f"Pagina {document.page}")
        canvas.restoreState()

    story: list = [Paragraph(html.escape(title), big)]
    for head, paragraphs in code or CODE:
        story.append(Paragraph(html.escape(head), heading))
        for paragraph in paragraphs:
            if isinstance(paragraph, list):
                items = [ListItem(Paragraph(html.escape(item), body)) for item in paragraph]
                story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=10))
            else:
                story.append(Paragraph(html.escape(paragraph), body))
        story.append(Spacer(1, 4))
    document = SimpleDocTemplate(str(path), pagesize=A6, topMargin=28, bottomMargin=26, leftMargin=20, rightMargin=20)
    document.build(story, onFirstPage=furniture, onLaterPages=furniture)


def code_docx(path: Path, code: list | None = None) -> None:
    """The fictional code as a Word file: a title, Heading 1 styles, List Bullet items."""
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=0)
    for head, paragraphs in code or CODE:
        document.add_heading(head.split(" ", 1)[1], level=1)
        for paragraph in paragraphs:
            if isinstance(paragraph, list):
                for item in paragraph:
                    document.add_paragraph(item, style="List Bullet")
            else:
                document.add_paragraph(paragraph)
    document.save(str(path))


def code_html(path: Path, code: list | None = None) -> None:
    """The fictional code as a web page, with navigation, a footer and a script that are not the code."""
    parts = [
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Deontologische code | Testdorp</title>",
        "<script>var tracking = 'geen code';</script></head><body>",
        "<nav><a href='/'>Home</a> <a href='/nieuws'>Nieuws</a></nav><main>",
        f"<h1>{html.escape(TITLE)}</h1>",
    ]
    for head, paragraphs in code or CODE:
        parts.append(f"<h2>{html.escape(head)}</h2>")
        for paragraph in paragraphs:
            if isinstance(paragraph, list):
                parts.append("<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in paragraph) + "</ul>")
            else:
                parts.append(f"<p>{html.escape(paragraph)}</p>")
    parts.append("</main><footer>© Gemeente Testdorp – privacyverklaring</footer></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def code_pdf(path: Path, pages: int = 40) -> int:
    """A long PDF of about `pages` A4 pages made of the five seed codes (repeated as needed), with headings in a
    larger font and a page header and footer; returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from bot.importing.structure import NUMBERED

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=5)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=6)
    count = {"pages": 0}

    def furniture(canvas, document) -> None:
        count["pages"] = document.page
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, A4[1] - 30, "Deontologische code – proefbestuur")
        canvas.drawString(50, 25, f"Pagina {document.page}")
        canvas.restoreState()

    lines = [
        line.strip()
        for seed in sorted(SEEDS.glob("0*.txt"))
        for line in seed.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    words_per_page = 350  # A4, 10 pt Helvetica with headings and spacing
    wanted = pages * words_per_page
    story, total = [], 0
    while total < wanted:
        for line in lines:
            style = heading if (line.isupper() or NUMBERED.match(line)) and len(line.split()) < 10 else body
            story.append(Paragraph(html.escape(line), style))
            total += len(line.split())
            if total >= wanted:
                break
    document = SimpleDocTemplate(str(path), pagesize=A4)
    document.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return count["pages"]


def code_pdf_booklet(path: Path) -> None:
    """The fictional code as many municipalities publish it: a cover page, a table of contents with dot leaders,
    headings in bold body type, and a footer that carries the page number."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13, spaceAfter=6)
    bold = ParagraphStyle("bold", fontName="Helvetica-Bold", fontSize=10, leading=13, spaceBefore=10, spaceAfter=4)
    cover = ParagraphStyle("cover", fontName="Helvetica-Bold", fontSize=22, leading=26)
    story: list = [
        Paragraph("Deontologische code", cover),
        Paragraph("Gemeente Testdorp, goedgekeurd door de gemeenteraad op 12 maart 2025", body),
        PageBreak(),
        Paragraph("Inhoud", bold),
    ]
    story += [Paragraph(f"{html.escape(head)} {'.' * 40} {n + 3}", body) for n, (head, _) in enumerate(CODE)]
    story.append(PageBreak())
    for head, paragraphs in CODE:
        story.append(Paragraph(html.escape(head), bold))
        for paragraph in paragraphs:
            if isinstance(paragraph, list):
                items = [ListItem(Paragraph(html.escape(item), body)) for item in paragraph]
                story.append(ListFlowable(items, bulletType="bullet", start="•"))
            else:
                story.append(Paragraph(html.escape(paragraph), body))

    def furniture(canvas, document) -> None:
        canvas.setFont("Helvetica", 8)
        canvas.drawString(50, 25, f"Deontologische code Testdorp - p. {document.page}")

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=furniture, onLaterPages=furniture)
