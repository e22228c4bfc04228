"""The review page of an imported pack: rendered, opened in headless Chromium, and checked on the DOM it builds."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.importing.report import Changes, ImportReport, Proposal, Reworded, Version
from bot.importing.review import CASE_KINDS, render_review
from bot.knowledge.content import load_content
from bot.knowledge.packs import CaseKind, Pack, Route, RoutingPack, Section

CONTENT = Path(__file__).resolve().parent.parent / "content"
SCRIPT = "Zie bijlage <script>alert(1)</script> & de omzendbrief."
UNPLACED = [SCRIPT, "Goedgekeurd door de gemeenteraad op 12 maart 2024."]
UNSTAFFED = ["algemeen-directeur", "preventiedienst"]
# Chromium offline: no sync, no component updates, no QUIC; a file:// page with a CSP that fetches nothing.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Dom(HTMLParser):
    """The elements, ids, classes and text of a page, as Chromium serialised it."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.badges: list[str] = []
        self.texts: list[str] = []
        self.title = ""
        self._in: list[str] = []  # what the text being read belongs to: "title", "badge" or another tag
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if "badge" in (found.get("class") or "").split():
            self.badges.append("")
            self._in.append("badge")
        elif tag not in ("meta", "br", "link", "img"):  # void elements never close
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._in and self._in[-1] == "title":
            self.title += data
        if self._in and self._in[-1] == "badge":
            self.badges[-1] += data

    @property
    def text(self) -> str:
        """All text, whitespace collapsed, non-breaking spaces as spaces."""
        return " ".join(" ".join(self.texts).replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def packs() -> dict[str, Pack]:
    """The shipped packs."""
    return load_content(CONTENT).packs


def imported(pack: Pack) -> Pack:
    """Kortrijk as an import would leave it: two route steps and one gift rule to check, and a hostile section."""
    routes = []
    for route in pack.routing.routes:
        steps = list(route.roles)
        if route.kind in (CaseKind.BEHAVIOUR, CaseKind.QUESTION):
            steps[-1] = steps[-1].model_copy(update={"review": True})
        routes.append(Route(kind=route.kind, roles=steps))
    hostile = Section(
        id="bijlage",
        title="Bijlage <b>vet</b> & co",
        chapter="III: Slot",
        text="Eerste alinea met <script>alert(2)</script>.\n\nDe code geldt voor:\n- medewerkers\n- stagiairs\n",
    )
    assert pack.gifts is not None
    gifts = pack.gifts.model_copy(update={"invitation": pack.gifts.invitation.model_copy(update={"review": True})})
    code = pack.code.model_copy(
        update={"version": "2024", "adopted": date(2024, 3, 12), "sections": [*pack.code.sections, hostile]}
    )
    return Pack(code=code, contacts=pack.contacts, routing=RoutingPack(routes=routes), gifts=gifts)


def report_for(pack: Pack) -> ImportReport:
    """An import report by hand: 93 % of the words kept, two unplaced sentences, changes against version 2019."""
    first = pack.code.sections[0]
    return ImportReport(
        org=pack.org,
        source="deontologische-code-2024.pdf",
        format="PDF",
        sha256="ab" * 32,
        pages=18,
        version="2024",
        adopted=date(2024, 3, 12),
        imported=date(2026, 11, 24),
        words=12_000,
        kept=11_160,
        sections=len(pack.code.sections),
        headings=[s.title for s in pack.code.sections],
        removed=["Deontologische code – Stad Kortrijk", "Versie 2024"],
        page_numbers=18,
        unplaced=UNPLACED,
        proposals=[Proposal(what="route", target="behaviour", role="vertrouwenspersoon", section="x", quote="y")],
        changes=Changes(
            previous="2019",
            added=["Bijlage <b>vet</b> & co"],
            removed=["Oude slotbepaling"],
            reworded=[Reworded(id=first.id, title=first.title, similarity=0.82)],
            routes=["De route voor grensoverschrijdend gedrag citeert een zin die er niet meer staat."],
        ),
        history=[
            Version(version="2019", imported=date(2020, 1, 6), source="code-2019.docx", sha256="cd" * 32),
        ],
    )


def chromium() -> str:
    """The Chromium binary, or skip: the browser test needs it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed; install it with `apt-get install chromium` to run the browser test")
    return found


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium headless with a throwaway profile; fails the test when it does not finish."""
    command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_review_page_in_chromium(packs: dict[str, Pack], tmp_path: Path) -> None:
    binary = chromium()
    pack = imported(packs["kortrijk"])
    page = tmp_path / "review.html"
    page.write_text(render_review(pack, report_for(pack), UNSTAFFED), encoding="utf-8")

    dom = Dom(run_chromium(binary, tmp_path / "profile-dom", "--dump-dom", page.as_uri()).stdout)

    assert dom.title == "Nakijken: Stad en OCMW Kortrijk"
    text = dom.text
    for section in pack.code.sections:
        assert f"s-{section.id}" in dom.ids
        assert section.title in text
    for route in pack.routing.routes:
        assert f"route-{route.kind.value}" in dom.ids
        assert CASE_KINDS[route.kind] in text
    # One badge per step and gift rule still to check, and nowhere else.
    steps = sum(step.review for route in pack.routing.routes for step in route.roles)
    gifts = sum(rule.review for _, rule in pack.gifts.rules()) if pack.gifts else 0
    assert (steps, gifts) == (2, 1)
    assert dom.badges == ["te controleren"] * (steps + gifts)
    assert "3 voorstellen om te controleren" in text
    # The code's text is shown, never run: no script element, no markup from the source.
    assert "script" not in dom.tags and "b" not in dom.tags
    assert not {"link", "img", "iframe", "object"} & set(dom.tags)  # nothing fetched
    assert SCRIPT in text and "<script>alert(2)</script>" in text and "Bijlage <b>vet</b> & co" in text
    for sentence in UNPLACED:
        assert sentence in text
    assert "93 % van de woorden uit de bron staat in een sectie (11.160 van 12.000)" in text
    assert "minder dan 95 %" in text
    assert "Wat is er veranderd sinds versie 2019" in text
    assert "82 % van de tekst bleef hetzelfde" in text and "Oude slotbepaling" in text
    assert "2 rollen zonder contactpersoon" in text and text.count("nog niemand ingevuld") >= len(UNSTAFFED)
    assert {
        "nakijken",
        "veranderd",
        "routes",
        "geschenken",
        "rollen",
        "secties",
        "niet-geplaatst",
        "versies",
    } <= dom.ids
    assert {"r-algemeen-directeur", "r-preventiedienst", "gift-invitation"} <= dom.ids
    assert "Versie van de code 2024" in text and "12 maart 2024" in text and "18 paginanummers" in text

    shot = tmp_path / "review.png"
    run_chromium(binary, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1280,4000", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shutil.copyfile(shot, "/tmp/review-shot.png")  # for a person to look at


def test_review_page_without_gifts_or_report(packs: dict[str, Pack]) -> None:
    pack = packs["voorbeeldgemeente"]
    assert pack.gifts is None
    page = render_review(pack, None, [])
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl-BE">' in page
    assert "<script" not in page and "http://" not in page.split("<main>")[0]
    assert "De code zegt niets over geschenken en uitnodigingen" in page
    assert "algemeen advies" in page
    assert "Er staat niets meer open" in page
    assert 'class="badge"' not in page
    assert "Niet in een sectie beland" not in page and "veranderd sinds" not in page
    for section in pack.code.sections:
        assert f'id="s-{section.id}"' in page
    assert "gemeente" in page and "met de hand gemaakt" in page


def test_checklist_counts_and_links(packs: dict[str, Pack]) -> None:
    pack = imported(packs["kortrijk"])
    report = report_for(pack).model_copy(update={"kept": 12_000, "unplaced": [], "changes": None})
    page = render_review(pack, report, ["vertrouwenspersoon"])
    checklist = page.split('<section id="nakijken">')[1].split("</section>")[0]
    assert checklist.count('href="#route-') == 2 and 'href="#gift-invitation"' in checklist
    assert 'href="#r-vertrouwenspersoon"' in checklist and "1 rol zonder contactpersoon" in checklist
    assert "100\u00a0% van de woorden" in checklist and "minder dan" not in checklist
    assert "zinnen uit de bron" not in checklist and 'href="#secties"' in checklist
    assert "Er staat niets meer open" not in checklist
    # Lines of a section starting with a dash are a list; the rest are paragraphs, escaped.
    section = page.split('id="s-bijlage"')[1].split("</article>")[0]
    assert "<ul><li>medewerkers</li><li>stagiairs</li></ul>" in section
    assert "<p>Eerste alinea met &lt;script&gt;alert(2)&lt;/script&gt;.</p>" in section
