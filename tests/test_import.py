"""Importing an organisation's own code: PDF, DOCX and HTML made here, through `integriteitsbot content import`,
into a pack that `content check`, `search --json`, the chat and the review page use at once; routes from the law
and the code's own sentences; gift rules or the code's silence; and a new version of the code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.conversation.answers import lookup
from bot.conversation.dispatch import Conversation
from bot.importing.importer import import_code
from bot.importing.report import load_report
from bot.knowledge.content import load_content
from bot.knowledge.evaluation import squash
from bot.knowledge.lookup import SectionIndex, Synonyms
from bot.knowledge.packs import BasisKind, CaseKind, GiftAdvice, Law
from bot.storage import db
from dialogs.report import external_channel
from tests.conftest import Chat, reference
from tests.flows import answer_report, rows
from tests.make_documents import CODE, HEADER, TITLE, code_docx, code_html, code_pdf_booklet, code_pdf_testdorp

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 12, 5)
HEADINGS = [heading.split(" ", 1)[1] for heading, _ in CODE]


def cli(*args: str, stdin: str | None = None, content: Path) -> subprocess.CompletedProcess:
    """The installed command, as an integrity officer runs it, on its own content directory."""
    env = {**os.environ, "INTEGRITEITSBOT_CONTACTS": str(ROOT / "content" / "contacts.demo.yaml")}
    command = [sys.executable, "-m", "bot", "--content", str(content), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def pdf_pack(tmp_path_factory) -> Path:
    """The fictional code as a PDF, imported by the command line into a content directory of its own."""
    base = tmp_path_factory.mktemp("pdf")
    source = base / "code.pdf"
    code_pdf_testdorp(source)
    content = base / "content"
    content.mkdir()
    done = cli(
        "content",
        "import",
        str(source),
        "--org",
        "testdorp",
        "--name",
        "Gemeente Testdorp",
        "--kind",
        "gemeente",
        content=content,
    )
    assert done.returncode == 0, done.stderr
    assert "Delen: 7" in done.stdout and "100.0%" in done.stdout and "Traceback" not in done.stderr
    return content


def test_a_pdf_becomes_a_pack_with_the_documents_own_sections(pdf_pack):
    pack_dir = pdf_pack / "testdorp"
    for name in ("code.yaml", "contacts.yaml", "routing.yaml", "gifts.yaml", "import.yaml", "vectors.npz"):
        assert (pack_dir / name).exists(), name
    pack = load_content(pdf_pack).packs["testdorp"]
    assert [s.title for s in pack.code.sections] == HEADINGS
    assert (pack.code.source == TITLE and pack.code.version == "2026-12-05") or pack.code.version
    whole = "\n".join(s.text for s in pack.code.sections)
    assert HEADER not in whole and "Pagina" not in whole  # page furniture left out
    means = pack.section("gebruik-van-middelen")
    assert means is not None and "• de laptop en de gsm van het werk\n• de dienstwagen" in means.text
    report = load_report(pack_dir)
    assert report is not None and report.format == "pdf" and report.pages and report.pages >= 2
    assert report.share == 1.0 and not report.unplaced
    assert HEADER in report.removed and report.page_numbers == report.pages


def test_check_and_search_use_the_imported_pack_at_once(pdf_pack):
    checked = cli("content", "check", content=pdf_pack)
    assert checked.returncode == 0, checked.stderr
    assert "testdorp: 7 sections" in checked.stdout
    questions = (
        "een journalist belt me over een dossier, wat moet ik doen?\nmag ik de laptop van het werk thuis gebruiken?\n"
    )
    found = cli("search", "--org", "testdorp", "--json", stdin=questions, content=pdf_pack)
    assert found.returncode == 0, found.stderr
    press, laptop = [json.loads(line) for line in found.stdout.splitlines()]
    assert press["results"][0]["title"] == "Contact met de pers"
    assert "communicatiedienst" in press["results"][0]["snippet"]
    assert laptop["results"][0]["title"] == "Gebruik van middelen"


def test_the_chat_answers_from_the_imported_text_and_names_its_version(pdf_pack):
    content = load_content(pdf_pack)
    pack = content.packs["testdorp"]
    index = SectionIndex(pack, Synonyms.build(content.synonyms))
    assert index.text_only  # no keywords, no FAQ: the models of imported packs judge
    (reply,) = lookup(pack, index, "Een journalist belt me, mag ik hem te woord staan?")
    assert "communicatiedienst" in reply.text
    assert f"versie van {TODAY:%d/%m/%Y}" in reply.text or "versie" in reply.text


def test_docx_and_html_give_the_same_sections_as_the_pdf(tmp_path, pdf_pack):
    pdf = load_content(pdf_pack).packs["testdorp"]
    for name, make in (("docx", code_docx), ("html", code_html)):
        source = tmp_path / f"code.{name}"
        make(source)
        imported = import_code(source, tmp_path, f"testdorp-{name}", "Gemeente Testdorp", "gemeente", TODAY)
        assert not imported.problems, imported.problems
        pack = load_content(tmp_path).packs[f"testdorp-{name}"]
        assert [s.title for s in pack.code.sections] == HEADINGS, name
        for ours, theirs in zip(pack.code.sections, pdf.code.sections, strict=True):
            assert squash(ours.text) == squash(theirs.text), (name, ours.title)
        assert "tracking" not in (tmp_path / f"testdorp-{name}" / "code.yaml").read_text(encoding="utf-8")


def test_routes_come_from_the_law_and_the_codes_own_sentences(pdf_pack):
    pack = load_content(pdf_pack).packs["testdorp"]
    breach = pack.route(CaseKind.RULE_BREACH).roles[0]
    assert breach.role == "algemeen-directeur" and breach.basis == BasisKind.CODE and breach.review
    assert breach.quote == "Meld het aan de algemeen directeur: die is het intern meldpunt."
    point = pack.role("algemeen-directeur")
    assert point is not None and point.reporting_point is not None and point.reporting_point.law == Law.BESTUURSDECREET
    behaviour = pack.route(CaseKind.BEHAVIOUR).roles[0]
    assert (behaviour.role, behaviour.review) == ("vertrouwenspersoon", True)
    assert pack.route(CaseKind.PRESS).roles[0].role == "communicatiedienst"
    misuse = pack.route(CaseKind.MISUSE)
    assert misuse.role_ids[0] == "leidinggevende" and misuse.roles[-1].basis == BasisKind.LAW
    question = pack.route(CaseKind.QUESTION)
    assert all(step.basis == BasisKind.DEFAULT for step in question.roles)  # the code names nobody: said so
    template = yaml.safe_load((pdf_pack / "testdorp" / "contacts.template.yaml").read_text(encoding="utf-8"))
    assert set(template["orgs"]["testdorp"]) == {"algemeen-directeur", "vertrouwenspersoon", "communicatiedienst"}


def test_gift_rules_are_read_from_the_codes_sentences(pdf_pack):
    gifts = load_content(pdf_pack).packs["testdorp"].gifts
    assert gifts is not None and all(rule.review for _, rule in gifts.rules())
    assert gifts.small.advice == GiftAdvice.ACCEPT_AND_REPORT and "kleine waarde" in gifts.small.quote
    assert gifts.large.advice == GiftAdvice.REFUSE
    assert gifts.invitation.advice == GiftAdvice.DISCUSS_FIRST and "etentje" in gifts.invitation.quote
    assert gifts.money is not None and gifts.money.quote == "Geld of waardebonnen weiger je altijd."


def test_a_code_without_gift_rules_is_said_to_be_silent_on_them(tmp_path):
    code = [entry for entry in CODE if "Geschenken" not in entry[0]]
    source = tmp_path / "code.html"
    code_html(source, code)
    imported = import_code(source, tmp_path, "stil", "Gemeente Stil", "gemeente", TODAY)
    assert not imported.problems and not (tmp_path / "stil" / "gifts.yaml").exists()
    content = load_content(tmp_path)
    pack = content.packs["stil"]
    (reply,) = lookup(pack, SectionIndex(pack, Synonyms.build(content.synonyms)), "qqq", about_gifts=True)
    assert "geen regel over geschenken" in reply.text


@pytest.mark.parametrize(
    ("kind", "law", "external"),
    [
        ("ocmw", Law.BESTUURSDECREET, "Audit Vlaanderen"),
        ("igo", Law.BESTUURSDECREET, "Vlaamse Ombudsdienst"),
        ("vlaams", Law.BESTUURSDECREET, "Vlaamse Ombudsdienst"),
        ("private", Law.KLOKKENLUIDERSWET, "federale klokkenluiderswet"),
    ],
)
def test_the_kind_of_organisation_decides_the_routes_the_law_sets(tmp_path, kind, law, external):
    source = tmp_path / "code.html"
    code_html(source, [entry for entry in CODE if not entry[0].startswith("7.")])  # no recipient named for breaches
    imported = import_code(source, tmp_path, "org", "Organisatie", kind, TODAY)
    assert not imported.problems, imported.problems
    pack = load_content(tmp_path).packs["org"]
    (step,) = pack.route(CaseKind.RULE_BREACH).roles
    assert step.basis == BasisKind.LAW and step.law == law
    assert external in external_channel(pack)


def test_a_new_version_shows_what_changed_and_keeps_what_was_reviewed(tmp_path):
    first = tmp_path / "v1.html"
    code_html(first)
    import_code(first, tmp_path, "testdorp", "Gemeente Testdorp", "gemeente", TODAY, "1", date(2025, 1, 1))
    routing = tmp_path / "testdorp" / "routing.yaml"
    data = yaml.safe_load(routing.read_text(encoding="utf-8"))
    for route in data["routes"]:  # the integrity officer checks the proposals of two routes
        if route["kind"] in ("rule_breach", "behaviour"):
            for step in route["roles"]:
                step.pop("review", None)
    routing.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    changed = [entry for entry in CODE if not entry[0].startswith(("6.", "7."))]
    changed[2] = (
        "3. Nevenactiviteiten",
        ["Een bijberoep meld je vooraf aan de algemeen directeur, ook een onbetaald."],
    )
    changed.append(("7. Een vermoeden melden", [CODE[6][1][0]]))  # pesten no longer goes to the vertrouwenspersoon
    changed.append(("8. Klachten van inwoners", ["Een klacht van een inwoner geef je door aan de klachtendienst."]))
    second = tmp_path / "v2.html"
    code_html(second, changed)
    imported = import_code(second, tmp_path, "testdorp", "Gemeente Testdorp", "gemeente", TODAY, "2")
    assert not imported.problems, imported.problems
    changes = imported.report.changes
    assert changes is not None and changes.previous == "1"
    assert changes.added == ["Klachten van inwoners"] and changes.removed == ["Vertrouwelijke informatie"]
    assert [r.title for r in changes.reworded] == ["Nevenactiviteiten", "Een vermoeden melden"]
    assert any("vertrouwenspersoon" in note and "niet meer" in note for note in changes.routes)

    pack = load_content(tmp_path).packs["testdorp"]
    assert (pack.code.version, pack.code.adopted) == ("2", None)
    breach = pack.route(CaseKind.RULE_BREACH).roles[0]
    assert breach.role == "algemeen-directeur" and not breach.review  # reviewed, and its quote still stands
    assert (tmp_path / "testdorp" / "versions" / "1" / "code.yaml").exists()
    assert [(v.version, v.adopted) for v in imported.report.history] == [("1", date(2025, 1, 1))]
    (reply,) = lookup(pack, SectionIndex(pack, Synonyms()), "Een journalist belt me, mag ik hem te woord staan?")
    assert "versie 2" in reply.text


async def test_an_open_case_keeps_the_version_it_was_filed_under(content, store, directory, clock):
    kortrijk = content.packs["kortrijk"]
    versioned = replace(
        kortrijk, code=kortrijk.code.model_copy(update={"version": "2024", "adopted": date(2024, 3, 1)})
    )
    conversation = Conversation.build(
        replace(content, packs={**content.packs, "kortrijk": versioned}), store, directory, clock=clock
    )
    employee = Chat(conversation, "kortrijk")
    await answer_report(employee, "schending van regels", identity="Met mijn naam")
    await employee.press("versturen")
    (case,) = await rows(store, db.cases)
    assert case.code_version == "2024"

    # A new version of the code comes in; the case still says what it was filed under.
    newer = replace(kortrijk, code=kortrijk.code.model_copy(update={"version": "2026"}))
    later = Conversation.build(
        replace(content, packs={**content.packs, "kortrijk": newer}), store, directory, clock=clock
    )
    from tests.test_reopen import MELDPUNT

    handler = Chat(later, "kortrijk", MELDPUNT)
    await handler.say(f"melding {reference(clock)}")
    assert "Gemeld onder versie 2024 van de code." in handler.text


def test_bad_input_gets_a_dutch_answer(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    old_word = tmp_path / "code.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    cases = [
        (
            ("content", "import", str(tmp_path / "weg.pdf"), "--org", "x", "--name", "X", "--kind", "gemeente"),
            "bestaat niet",
        ),
        (("content", "import", str(old_word), "--org", "x", "--name", "X", "--kind", "gemeente"), ".docx"),
        (
            ("content", "import", str(old_word), "--org", "Niet Goed", "--name", "X", "--kind", "gemeente"),
            "kleine letters",
        ),
        (("content", "review", "onbekend"), "Geen pakket"),
    ]
    for args, said in cases:
        done = cli(*args, content=content if args[1] != "review" else ROOT / "content")
        assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)


def test_review_command_writes_the_page(pdf_pack, tmp_path):
    output = tmp_path / "nakijken.html"
    done = cli("content", "review", "testdorp", "-o", str(output), content=pdf_pack)
    assert done.returncode == 0, done.stderr
    page = output.read_text(encoding="utf-8")
    assert "Wat je nog moet nakijken" in page and "te controleren" in page and "Contact met de pers" in page


def test_chapters_and_articles_head_their_parts_and_a_new_content_directory_is_made(tmp_path):
    source = tmp_path / "reglement.txt"
    source.write_text(
        "Hoofdstuk 1. Algemeen\n\nArtikel 1. Toepassing\nDeze code geldt voor alle personeelsleden van het "
        "bestuur.\n\nArtikel 2. Geschenken\nJe weigert geschenken van leveranciers. Symbolische geschenken van "
        "kleine waarde meld je aan je leidinggevende.\n\nHoofdstuk 2. Melden\n\nArtikel 3\nEen vermoeden van fraude "
        "meld je aan de algemeen directeur.\n",
        encoding="utf-8",
    )
    content = tmp_path / "nieuw" / "content"  # does not exist yet
    done = cli(
        "content",
        "import",
        str(source),
        "--org",
        "reglement",
        "--name",
        "Bestuur",
        "--kind",
        "ocmw",
        content=content,
    )
    assert done.returncode == 0, done.stderr
    pack = load_content(content).packs["reglement"]
    titles = [(s.chapter, s.title) for s in pack.code.sections]
    assert titles == [
        ("Hoofdstuk 1. Algemeen", "Artikel 1. Toepassing"),
        ("Hoofdstuk 1. Algemeen", "Artikel 2. Geschenken"),
        ("Hoofdstuk 2. Melden", "Artikel 3"),
    ]
    assert pack.gifts is not None and pack.code.type.value == "ocmw"


def test_a_booklet_with_cover_and_table_of_contents_keeps_only_the_code(tmp_path):
    source = tmp_path / "brochure.pdf"
    code_pdf_booklet(source)
    imported = import_code(source, tmp_path, "brochure", "Gemeente Testdorp", "gemeente", TODAY)
    assert not imported.problems, imported.problems
    pack = load_content(tmp_path).packs["brochure"]
    assert pack.code.source == "Deontologische code"
    assert [s.title for s in pack.code.sections][1:] == HEADINGS  # the cover's line first, then the code
    assert all(s.chapter is None for s in pack.code.sections)  # "Inhoud" is no chapter
    report = imported.report
    assert report.share == 1.0 and not report.unplaced
    assert "inhoudstafel (8 regels)" in report.removed
