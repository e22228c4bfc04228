"""The `integriteitsbot content import` and `content review` commands: a code in, a pack and its review page out."""

from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import date
from pathlib import Path

from bot.cli.common import content_dir
from bot.clock import Clock

TODO_LINE = "  - {line}"


def _adopted(text: str) -> date:
    """A date from the command line: 2026-03-01 or 01/03/2026."""
    for parse in (date.fromisoformat, lambda t: date(*reversed([int(p) for p in t.split("/")]))):
        try:
            return parse(text)
        except (ValueError, TypeError):
            continue
    raise argparse.ArgumentTypeError(f"'{text}' is geen datum zoals 2026-03-01 of 01/03/2026")


def cmd_content_import(args: argparse.Namespace) -> int:
    """Import a code (PDF, DOCX, HTML, Markdown or text) as the pack of one organisation, and say what to check."""
    from bot.importing.formats import ImportFormatError
    from bot.importing.importer import ImportRefused, gift_summary, import_code
    from bot.knowledge.packs import SLUG

    source = Path(args.file)
    if not re.fullmatch(SLUG, args.org):
        print(
            f"'{args.org}' kan geen naam van een pakket zijn: gebruik kleine letters, cijfers en koppeltekens.",
            file=sys.stderr,
        )
        return 2
    if not args.name.strip():
        print("Geef de naam van de organisatie met --name.", file=sys.stderr)
        return 2
    if not source.is_file():
        print(f"Het bestand {source} bestaat niet.", file=sys.stderr)
        return 2
    directory = content_dir(args)
    try:
        directory.mkdir(parents=True, exist_ok=True)  # a content directory of its own, for a first organisation
    except OSError as error:
        print(f"De map {directory} kan ik niet aanmaken: {error.strerror}.", file=sys.stderr)
        return 2
    try:
        result = import_code(
            source, directory, args.org, args.name, args.kind, Clock().today(), args.version, args.adopted
        )
    except (ImportFormatError, ImportRefused) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if result.problems:
        # The import writes only what the pack's checks accept; a problem here is ours, said plainly.
        print(
            f"Het ingelezen pakket {result.directory} is niet geldig. Meld dit aan wie de bot beheert:", file=sys.stderr
        )
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    stored = _embed(directory, args.org)
    _print_summary(result, gift_summary(result.draft.gifts), stored)
    return 0


def _embed(directory: Path, org: str) -> int:
    """Store the vectors of the new pack's passages, so serving it starts quickly; the number computed."""
    from bot.knowledge.content import load_content
    from bot.knowledge.lookup import SectionIndex, Synonyms

    content = load_content(directory)
    lookup_log = logging.getLogger("bot.knowledge.lookup")
    level = lookup_log.level
    lookup_log.setLevel(logging.ERROR)  # a new pack has no stored vectors yet: that is what this step fixes
    try:
        index = SectionIndex(content.packs[org], Synonyms.build(content.synonyms))
    finally:
        lookup_log.setLevel(level)
    index.vectors.save(index.vector_keys)
    return index.vectors.computed


def _print_summary(result, gifts: str, vectors: int) -> None:
    report = result.report
    review = [p for p in report.proposals]
    print(f"Ingelezen: {report.source} ({report.format}{f', {report.pages} pagina’s' if report.pages else ''})")
    print(f"Pakket: {result.directory} (versie {report.version})")
    print(
        f"Delen: {report.sections}; woorden van de bron in een deel: {report.share:.1%} ({report.kept}/{report.words})"
    )
    if report.removed or report.page_numbers:
        print(
            f"Weggelaten als paginaopmaak: {len(report.removed)} kop- of voetteksten, "
            f"{report.page_numbers} paginanummers"
        )
    routes = sum(1 for p in review if p.what == "route")
    print(f"Routes: uit de wet of onze standaard, met {routes} voorstel(len) uit de code zelf om na te kijken")
    print(f"Geschenken: {gifts}")
    print(f"Zinvectoren berekend: {vectors}")
    if report.changes is not None:
        changes = report.changes
        print(
            f"Veranderd sinds versie {changes.previous}: {len(changes.added)} nieuw, {len(changes.removed)} weg, "
            f"{len(changes.reworded)} herschreven, {len(changes.routes)} routes of regels na te kijken"
        )
        for line in changes.routes:
            print(TODO_LINE.format(line=line))
    todo = [f"{len(review)} voorstellen uit de code nakijken (review: true)"] if review else []
    if report.unplaced:
        todo.append(f"{len(report.unplaced)} zinnen van de bron staan in geen enkel deel")
    todo.append(f"vul contacts.template.yaml in: wie elke rol opneemt (in {result.directory})")
    if report.changes is not None:  # a new version: the people who signed the old one are asked again
        todo.append(
            f"laat versie {report.version} onderschrijven: '@Integriteitsbot campagne' in een teamkanaal, of "
            f"'integriteitsbot campaign start --org {report.org} --list …'"
        )
    print("Nog te doen voor je live gaat:")
    for line in todo:
        print(TODO_LINE.format(line=line))
    print(f"Bekijk alles op één pagina: integriteitsbot content review {report.org}")


def cmd_content_review(args: argparse.Namespace) -> int:
    """Write the review page of one pack: what the integrity officer checks before it goes live."""
    from bot.cli.common import directory_of
    from bot.importing.report import load_report
    from bot.importing.review import render_review
    from bot.knowledge.content import load_content
    from bot.settings import Settings

    content = load_content(content_dir(args))
    pack = content.packs.get(args.org)
    if pack is None or pack.directory is None:
        print(f"Geen pakket '{args.org}' (wel: {', '.join(sorted(content.packs))}).", file=sys.stderr)
        return 2
    directory = directory_of(Settings.from_env(), content)
    unstaffed = [role for org, role in directory.unstaffed(content) if org == args.org]
    page = render_review(pack, load_report(pack.directory), unstaffed)
    output = Path(args.output) if args.output else pack.directory / "review.html"
    output.write_text(page, encoding="utf-8")
    print(f"Nakijkpagina geschreven: {output}")
    print(f"Open ze in je browser: file://{output.resolve()}")
    return 0


def add_parsers(content_sub: argparse._SubParsersAction) -> None:
    """The import and review subcommands of `integriteitsbot content`."""
    imp = content_sub.add_parser(
        "import", help="read a code (PDF, DOCX, HTML, Markdown, text) into the pack of an organisation"
    )
    imp.add_argument("file", help="the code as PDF, DOCX, HTML, Markdown or plain text")
    imp.add_argument("--org", required=True, help="the pack's slug, such as kortrijk (lower case, digits, hyphens)")
    imp.add_argument("--name", required=True, help="the organisation's name as staff know it")
    imp.add_argument(
        "--kind",
        required=True,
        choices=["gemeente", "ocmw", "igo", "vlaams", "private"],
        help="the legal kind of organisation, which decides the routes the law sets",
    )
    imp.add_argument("--version", help="the code's version as the organisation names it (default: its date)")
    imp.add_argument("--adopted", type=_adopted, help="the date this version was adopted, such as 2026-03-01")
    imp.set_defaults(func=cmd_content_import)
    review = content_sub.add_parser("review", help="write one HTML page to check an imported pack before going live")
    review.add_argument("org", help="the pack's slug")
    review.add_argument("-o", "--output", help="the HTML file (default: review.html in the pack's folder)")
    review.set_defaults(func=cmd_content_review)
