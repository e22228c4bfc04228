"""Page headers, footers and page numbers of a PDF: found by what recurs at the page edges, and taken out."""

from __future__ import annotations

import math
import re
from collections import Counter

from bot.importing.formats.pdf_lines import PageText, TextLine

BAND = 0.2  # share of the page height, at its top and at its bottom, where headers, footers and page numbers sit
SAME_PLACE = 4.0  # points a repeated header may move between pages and still be the same header
PAGE_NUMBER = re.compile(
    r"[-–—(\[|]?\s*"
    r"(?:(?:p|pp|pg|pag|pagina|page|blz|bl|bladzijde|blad)\.?\s*)?"
    r"(?:\d{1,4}|[ivxlc]{1,7})"
    r"(?:\s*(?:/|van|of|op|uit)\s*\d{1,4})?"
    r"\s*[-–—)\]|]?"
)


def _key(text: str) -> str:
    """A header's text with digits and spacing normalised, so "Pagina 3" and "Pagina 4" are the same header."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text.lower())).strip()


def _is_page_number(text: str) -> bool:
    """Whether a header or footer part is just a page number: 3, - 3 -, p. 3, 3/12, Pagina 3 van 12, blz. 3."""
    return bool(PAGE_NUMBER.fullmatch(re.sub(r"\s+", " ", text.lower()).strip()))


def remove_page_furniture(pages: list[PageText]) -> tuple[list[str], int]:
    """Take repeated headers and footers and edge page numbers out of the pages; return their texts and the count."""
    # Every part of every line in the top and bottom bands, with where it sits measured from its own page edge.
    places: dict[tuple[str, str], list[tuple[int, float, str]]] = {}
    for page in pages:
        for band, line in _band_lines(page):
            for text, top, bottom in line.segments():
                place = top if band == "top" else page.height - bottom
                places.setdefault((band, _key(text)), []).append((page.number, place, text))
    needed = max(2, math.ceil(len(pages) / 2))
    anchors: dict[tuple[str, str], float] = {}
    for key, seen in places.items():
        if len({number for number, _, _ in seen}) < needed:
            continue
        best: list[tuple[int, float, str]] = []
        for _, place, _ in seen:
            near = [occurrence for occurrence in seen if abs(occurrence[1] - place) <= SAME_PLACE]
            if len({number for number, _, _ in near}) > len({number for number, _, _ in best}):
                best = near
        if _repeats(best, needed):
            anchors[key] = sum(place for _, place, _ in best) / len(best)
    running = _running_heads(pages, needed)

    removed: dict[str, str] = {}
    page_numbers = 0
    for page in pages:
        dropped: set[int] = set()
        for band in ("top", "bottom"):
            # Peeled from the page edge inwards, stopping at the first line that is not furniture: body text that
            # happens to stand at the same place on two pages ("Artikel 3" under a header) stays.
            for _, line in (pair for pair in _band_lines(page, outward=True) if pair[0] == band):
                kinds = []
                for text, top, bottom in line.segments():
                    place = top if band == "top" else page.height - bottom
                    anchor = anchors.get((band, _key(text)))
                    repeated = anchor is not None and abs(place - anchor) <= SAME_PLACE
                    kinds.append((text, repeated or _is_page_number(text), _is_page_number(text)))
                if not all(furniture for _, furniture, _ in kinds):
                    if band in running and _carries_page_number(line, page, band, running[band]):
                        dropped.add(id(line))
                        page_numbers += 1
                        removed.setdefault(_key(line.text), line.text)
                        continue
                    break
                dropped.add(id(line))
                for text, _, number in kinds:
                    if number:
                        page_numbers += 1
                    else:
                        removed.setdefault(_key(text), text)
        if dropped:
            page.lines = [line for line in page.lines if id(line) not in dropped]
            page.words = [word for line in page.lines for word in line.words]
    return list(removed.values()), page_numbers


def _running_heads(pages: list[PageText], needed: int) -> dict[str, tuple[int, int]]:
    """Per band, the (page number offset, place) of a running head whose text changes but which carries the page."""
    # "Hoofdstuk 2: Geschenken    7" repeats neither word for word nor with digits normalised when the chapter
    # changes, but its number follows the page's at the same place on every page.
    running: dict[str, tuple[int, int]] = {}
    for band in ("top", "bottom"):
        seen: Counter[tuple[int, int]] = Counter()
        for page in pages:
            edge = [line for name, line in _band_lines(page, outward=True) if name == band][:2]
            marks = set()
            for line in edge:
                place = round((line.top if band == "top" else page.height - line.bottom) / SAME_PLACE)
                marks |= {(int(digits) - page.number, place) for digits in re.findall(r"\d{1,4}", line.text)}
            seen.update(marks)
        if seen:
            mark, count = seen.most_common(1)[0]
            if count >= needed:
                running[band] = mark
    return running


def _carries_page_number(line: TextLine, page: PageText, band: str, mark: tuple[int, int]) -> bool:
    """Whether a header or footer line holds this page's number where the running head of its band does."""
    offset, place = mark
    here = round((line.top if band == "top" else page.height - line.bottom) / SAME_PLACE)
    numbers = {int(digits) for digits in re.findall(r"\d{1,4}", line.text)}
    return abs(here - place) <= 1 and page.number + offset in numbers


def _repeats(seen: list[tuple[int, float, str]], needed: int) -> bool:
    """Whether a text recurs on enough pages: word for word, or with only a number that follows the page number."""
    pages_by_text: dict[str, set[int]] = {}
    for number, _, text in seen:
        pages_by_text.setdefault(" ".join(text.split()), set()).add(number)
    if max((len(numbers) for numbers in pages_by_text.values()), default=0) >= needed:
        return True
    # "Pagina 3 van 12" and "Code – 3" repeat with the page; "Artikel 3", "Artikel 7" at the top of pages do not.
    offsets: dict[tuple[int, int], set[int]] = {}
    for number, _, text in seen:
        for index, digits in enumerate(re.findall(r"\d+", text)):
            offsets.setdefault((index, int(digits) - number), set()).add(number)
    return max((len(numbers) for numbers in offsets.values()), default=0) >= needed


def _band_lines(page: PageText, outward: bool = False) -> list[tuple[str, TextLine]]:
    """The page's lines in its top and bottom bands, each with its band; outward lists each band from the page edge."""
    top = [line for line in page.lines if line.bottom <= page.height * BAND]
    taken = {id(line) for line in top}
    bottom = [line for line in page.lines if line.top >= page.height * (1 - BAND) and id(line) not in taken]
    if outward:
        bottom = bottom[::-1]
    return [("top", line) for line in top] + [("bottom", line) for line in bottom]
