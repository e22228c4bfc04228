"""Reads a code of conduct from PDF, Word, HTML, Markdown or plain text into a Document of lines."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from bot.importing.document import Document

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc, .xls and of password-protected .docx
# A password-protected .docx is an OLE container holding this stream, so it can be told from an old .doc.
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
AS_DOCUMENT = "Lever de code aan als tekstdocument: PDF, Word (.docx), HTML, Markdown of tekst."
SAVE_AS_DOCX = "Open het in Word (of LibreOffice) en bewaar het als .docx of als PDF, en importeer dan dat bestand."

# Suffixes of formats this importer does not read, with what to do instead.
UNSUPPORTED = {
    ".doc": "is een Word-bestand in het oude .doc-formaat. " + SAVE_AS_DOCX,
    ".dot": "is een Word-sjabloon in het oude .dot-formaat. " + SAVE_AS_DOCX,
    ".rtf": "is een RTF-bestand. " + SAVE_AS_DOCX,
    ".odt": "is een OpenDocument-tekstbestand. " + SAVE_AS_DOCX,
    ".pages": "is een Pages-bestand. Exporteer het in Pages als Word (.docx) of PDF en importeer dan dat bestand.",
    ".xls": "is een Excel-bestand. " + AS_DOCUMENT,
    ".xlsx": "is een Excel-bestand. " + AS_DOCUMENT,
    ".ppt": "is een PowerPoint-bestand; bewaar de code als PDF of Word-document en importeer dan dat bestand.",
    ".pptx": "is een PowerPoint-bestand; bewaar de code als PDF of Word-document en importeer dan dat bestand.",
    ".zip": "is een zip-archief; pak het uit en importeer het document zelf.",
}
SUFFIX_FORMATS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".docm": "docx",
    ".dotx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}


class ImportFormatError(Exception):
    """A file the importer cannot read; the message is Dutch and fit to show the user as it is."""


def read_document(path: Path) -> Document:
    """Read the file at path into lines, choosing the reader by its suffix (and its first bytes where they disagree)."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ImportFormatError(f"Het bestand {name} bestaat niet (gezocht op {path}).")
    if not path.is_file():
        raise ImportFormatError(f"{name} is geen bestand maar een map; geef het document zelf op.")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as exc:
        raise ImportFormatError(f"{name} kan niet geopend worden: {exc.strerror or exc}.") from exc
    if size == 0 or (size <= len(head) and not head.strip()):
        raise ImportFormatError(f"{name} is leeg: er staat geen tekst in.")
    kind = _kind(path, head)
    reader, label = _reader(kind)
    try:
        document = reader(path)
    except ImportFormatError:
        raise
    except Exception as exc:  # whatever a library raises on a damaged file becomes a message, never a traceback
        raise ImportFormatError(
            f"{name} kon niet gelezen worden als {label}: het bestand lijkt beschadigd of is geen echt {label} "
            f"({type(exc).__name__}). Open het en bewaar het opnieuw, of exporteer het als PDF."
        ) from exc
    if not any(line.text.strip() for line in document.lines):
        raise ImportFormatError(f"{name} bevat geen leesbare tekst.")
    return document


def _kind(path: Path, head: bytes) -> str:
    """The format to read the file as: its suffix, unless its first bytes clearly say something else."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise ImportFormatError(f"{name} {UNSUPPORTED[suffix]}")
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_office(path):
            raise ImportFormatError(
                f"{name} is beveiligd met een wachtwoord. Haal de beveiliging eraf in Word (Bestand > Info > "
                "Document beveiligen) of vraag een versie zonder wachtwoord, en importeer die."
            )
        raise ImportFormatError(f"{name} is een Word-bestand in het oude .doc-formaat. " + SAVE_AS_DOCX)
    if head.lstrip().startswith(b"{\\rtf"):
        raise ImportFormatError(f"{name} is een RTF-bestand. " + SAVE_AS_DOCX)
    kind = SUFFIX_FORMATS.get(suffix, "text")
    # A PDF may carry a few bytes before its header; a file of another name must start with it to be taken for one.
    if (kind == "pdf" and b"%PDF-" in head[:1024]) or head.startswith(b"%PDF-"):
        return "pdf"
    if kind == "pdf":
        raise ImportFormatError(f"{name} is geen PDF: het begint niet zoals een PDF-bestand. Is de download mislukt?")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if kind == "docx":
        raise ImportFormatError(f"{name} is geen Word-bestand (.docx): het is geen zip-container zoals een .docx.")
    return kind


def _zip_kind(path: Path) -> str:
    """The format of a zip container: a Word document, or an error saying what it is instead."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFormatError(f"{path.name} is een beschadigd zip- of Word-bestand en is niet te lezen.") from exc
    if "word/document.xml" in names:
        return "docx"
    if "opendocument.text" in mimetype:
        raise ImportFormatError(f"{path.name} is een OpenDocument-tekstbestand. " + SAVE_AS_DOCX)
    raise ImportFormatError(f"{path.name} is een zip-container maar geen Word-document; importeer het document zelf.")


def _is_encrypted_office(path: Path) -> bool:
    """Whether an OLE container is a password-protected Office file rather than an old .doc."""
    try:
        with path.open("rb") as handle:
            return ENCRYPTED_PACKAGE in handle.read(1 << 20)
    except OSError:
        return False


def _reader(kind: str) -> tuple[Callable[[Path], Document], str]:
    """The reader for a format and the format's name in a message; imported here so the CLI starts fast."""
    if kind == "pdf":
        from bot.importing.formats.pdf import read_pdf

        return read_pdf, "PDF"
    if kind == "docx":
        from bot.importing.formats.word import read_docx

        return read_docx, "Word-document"
    if kind == "html":
        from bot.importing.formats.web import read_html

        return read_html, "HTML-pagina"
    from bot.importing.formats.plain import read_markdown, read_text

    if kind == "markdown":
        return read_markdown, "Markdown-bestand"
    return read_text, "tekstbestand"


__all__ = ["ImportFormatError", "read_document"]
