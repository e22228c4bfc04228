"""Reads an HTML page into its block-level lines (headings, paragraphs, list items, cells), leaving out page chrome."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from bot.importing.document import Document, Line

# Page chrome and things that are not read as text: menus, banners, sidebars, forms, scripts and drawings.
SKIP = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "math",
    "button",
    "select",
    "iframe",
    "object",
    "canvas",
    "dialog",
}
# A header or footer inside an article or main element is that content's own (its h1, its date): kept there.
CHROME = {"header", "footer"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCKS = {
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BOLD = {"b", "strong"}
# Elements whose end tag may be left out: a new one of these, or the end of their parent, closes them.
IMPLIED_END = {"p": {"p"}, "li": {"li", "p"}, "dt": {"dt", "dd", "p"}, "dd": {"dt", "dd", "p"}}
IMPLIED_END |= {"td": {"td", "th", "p"}, "th": {"td", "th", "p"}, "tr": {"tr", "td", "th", "p"}}
INVISIBLE = str.maketrans("", "", "\u00ad\u200b\u200c\u200d\u2060\ufeff")  # soft hyphens and zero-width characters
BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
MAIN = re.compile(r"""<main[\s>]|\srole\s*=\s*["']?main\b""", re.I)
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X")]
ROMAN += [(9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


@dataclass
class _Block:
    """An open block element: its tag, and for a list item its number and whether its first line was given."""

    tag: str
    number: str | None = None
    emitted: bool = False


@dataclass
class _List:
    """An open ul or ol: whether it numbers, its counter and its numbering type (1, a, A, i, I)."""

    ordered: bool
    counter: int
    kind: str


def read_html(path: Path) -> Document:
    """Read an HTML page's text blocks in order; when it marks its main content, only that."""
    text = _decode(Path(path).read_bytes())
    main_only = bool(MAIN.search(text))
    reader = _Reader(main_only=main_only)
    reader.feed(text)
    reader.close()
    if main_only and not reader.lines:  # a "main" that matched in a script or an empty main: read the whole page
        title = reader.title
        reader = _Reader(main_only=False)
        reader.feed(text)
        reader.close()
        reader.title = reader.title or title
    return Document(format="html", lines=reader.lines, title=reader.title)


def _decode(raw: bytes) -> str:
    """The page's text: by its BOM, else its declared charset, else UTF-8, else Windows-1252."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding, errors="replace")
    declared = XML_ENCODING.search(raw[:1024]) or META_CHARSET.search(raw[:8192])
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = None
        if encoding in ("latin-1", "iso8859-1", "ascii"):
            encoding = "cp1252"  # what browsers do: pages labelled ISO-8859-1 are read as Windows-1252
        if encoding:
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                pass  # a wrong label: fall back on what the bytes say
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


class _Reader(HTMLParser):
    """Collects lines from the block elements of a page; text in skipped elements is dropped."""

    def __init__(self, main_only: bool) -> None:
        """Start reading; with main_only, text outside the main element (role=main) is dropped."""
        super().__init__(convert_charrefs=True)
        self.main_only = main_only
        self.lines: list[Line] = []
        self.title: str | None = None
        self._title: list[str] | None = None
        self._blocks: list[_Block] = []
        self._lists: list[_List] = []
        self._buffer: list[tuple[str, bool]] = []
        self._gap = True
        self._skip: str | None = None
        self._skip_depth = 0
        self._bold = 0
        self._pre = 0
        self._main: str | None = None  # the tag of the main element (main, or a div with role=main) while inside it
        self._main_depth = 0  # open elements of that tag since it opened, so the right end tag closes it
        self._articles = 0  # depth inside article elements, where header and footer belong to the content

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: start skipping, a block, a list, bold or preformatted text."""
        if self._skip is not None:
            if tag == self._skip:
                self._skip_depth += 1
            return
        if tag == "title":
            self._title = []
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if self._hidden(tag, values):
            if tag not in VOID:
                self._skip, self._skip_depth = tag, 1
            return
        if self._main is not None and tag == self._main and tag not in VOID:
            self._main_depth += 1
        elif self._main is None and (tag == "main" or values.get("role", "").lower() == "main"):
            self._flush()
            self._main, self._main_depth = tag, 1
        if tag == "article":
            self._articles += 1
        if tag == "br":
            if self._buffer and "".join(text for text, _ in self._buffer).strip():
                self._flush()
                self._gap = False
            else:
                self._gap = True  # a second break in a row leaves an empty line: a new paragraph
            return
        if tag in BOLD:
            self._bold += 1
        if tag not in BLOCKS:
            return
        self._flush()
        self._gap = True
        closes = IMPLIED_END.get(tag, {"p"})
        while self._blocks and self._blocks[-1].tag in closes:
            self._close_top()
        if tag in ("ul", "ol"):
            start = _int(values.get("start"), 1)
            self._lists.append(_List(ordered=tag == "ol", counter=start - 1, kind=values.get("type") or "1"))
        block = _Block(tag=tag)
        if tag == "li":
            current = self._lists[-1] if self._lists else None
            if current is not None and current.ordered:
                current.counter = _int(values.get("value"), current.counter + 1)
                block.number = _label(current.counter, current.kind)
        if tag == "pre":
            self._pre += 1
        if tag not in ("hr",):
            self._blocks.append(block)

    def handle_endtag(self, tag: str) -> None:
        """Close an element: end skipping, a block (and any left open inside it), a list or bold text."""
        if self._skip is not None:
            if tag == self._skip:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip = None
            return
        if tag == "title":
            if self._title is not None:
                self.title = " ".join("".join(self._title).translate(INVISIBLE).split()) or None
            self._title = None
            return
        if tag in BOLD:
            self._bold = max(0, self._bold - 1)
        if tag in BLOCKS and any(block.tag == tag for block in self._blocks):
            self._flush()
            self._gap = True
            while self._blocks:
                if self._close_top().tag == tag:
                    break
        if tag == "article" and self._articles:
            self._articles -= 1
        if self._main is not None and tag == self._main:
            self._main_depth -= 1
            if self._main_depth == 0:
                self._flush()
                self._main = None

    def handle_data(self, data: str) -> None:
        """Add text to the current line, or to the title; preformatted text keeps its line breaks."""
        if self._skip is not None:
            return
        if self._title is not None:
            self._title.append(data)
            return
        if self.main_only and self._main is None:
            return
        if self._pre:
            first, *rest = data.split("\n")
            self._buffer.append((first, self._bold > 0))
            for part in rest:
                self._flush()
                self._gap = False
                self._buffer.append((part, self._bold > 0))
            return
        self._buffer.append((data, self._bold > 0))

    def close(self) -> None:
        """Finish the page: the text still open becomes the last line."""
        super().close()
        self._flush()

    def _hidden(self, tag: str, values: dict[str, str]) -> bool:
        """Whether an element and what it holds are left out: chrome, script, or hidden by attribute or style."""
        if tag in SKIP and not (tag in CHROME and (self._articles or self._main is not None)):
            return True
        if "hidden" in values or values.get("aria-hidden", "").lower() == "true":
            return True
        style = values.get("style", "").replace(" ", "").lower()
        return "display:none" in style or "visibility:hidden" in style

    def _close_top(self) -> _Block:
        """Pop the innermost open block, with the list or preformatted state it opened."""
        block = self._blocks.pop()
        if block.tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        if block.tag == "pre":
            self._pre = max(0, self._pre - 1)
        return block

    def _flush(self) -> None:
        """Turn the text gathered so far into a Line, marked by the blocks it stands in."""
        chunks = [(text.translate(INVISIBLE), bold) for text, bold in self._buffer]
        self._buffer = []
        # Joined before spaces are collapsed: <b>Art</b>ikel is one word, "<em>nooit</em>, nee" has no space before ,
        text = " ".join("".join(chunk for chunk, _ in chunks).split())
        if not text:
            return
        heading = next((HEADINGS[block.tag] for block in reversed(self._blocks) if block.tag in HEADINGS), None)
        item = next((block for block in reversed(self._blocks) if block.tag == "li"), None)
        first_of_item = item is not None and not item.emitted
        if item is not None:
            item.emitted = True
        self.lines.append(
            Line(
                text=text,
                bold=all(bold for chunk, bold in chunks if chunk.strip()),
                heading=heading,
                item=first_of_item,
                number=item.number if first_of_item and item is not None else None,
                gap_before=self._gap,
                cell=any(block.tag in ("td", "th") for block in self._blocks),
            )
        )
        self._gap = False


def _int(value: str | None, default: int) -> int:
    """An integer attribute (start, value), or the default when missing or malformed."""
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _label(counter: int, kind: str) -> str:
    """An ordered list item's number as the list shows it: 1., a., A., i. or I."""
    if kind in ("a", "A") and counter > 0:
        letter = chr(ord("a") + (counter - 1) % 26) * ((counter - 1) // 26 + 1)
        return (letter.upper() if kind == "A" else letter) + "."
    if kind in ("i", "I") and counter > 0:
        roman, rest = "", counter
        for amount, numeral in ROMAN:
            while rest >= amount:
                roman, rest = roman + numeral, rest - amount
        return (roman if kind == "I" else roman.lower()) + "."
    return f"{counter}."
