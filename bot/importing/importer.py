"""`integriteitsbot content import`: read a code, write its pack (sections, draft routes, roles, gift rules, the
import report), keep what a person already reviewed when a new version comes in, and store the pack's vectors."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.importing.changes import compare, keep_reviewed
from bot.importing.document import Document
from bot.importing.formats import read_document
from bot.importing.parts import slug, words_of
from bot.importing.proposals import KINDS, Draft, draft
from bot.importing.report import ImportReport, Version, load_report, save_report
from bot.importing.structure import Structure, clean, read_structure
from bot.importing.writing import write_pack, write_people_template
from bot.knowledge.content import Problem, load_pack
from bot.knowledge.packs import CodePack, GiftRules, Section

VERSIONS_DIR = "versions"  # earlier versions of code.yaml, one folder per version


class ImportRefused(Exception):
    """An import that cannot be done, with the reason in Dutch."""


@dataclass
class Imported:
    """What an import did: the report it wrote, and the problems `content check` found in the result (none)."""

    directory: Path
    report: ImportReport
    draft: Draft
    problems: list[Problem]


def _sections(structure: Structure) -> list[Section]:
    taken: set[str] = set()
    return [
        Section(id=slug(part.title, taken), title=part.title, chapter=part.chapter, text=part.text)
        for part in structure.parts
    ]


def _kept(document: Document, structure: Structure, sections: list[Section]) -> tuple[int, int]:
    """The source's body words (its table of contents aside), and how many of them stand in the pack (its title,
    or a section's title, chapter or text)."""
    contents = set(structure.contents)
    source = words_of("\n".join(line.text for line in document.lines if clean(line.text) not in contents))
    texts = [structure.title or "", *(f"{s.chapter or ''}\n{s.title}\n{s.text}" for s in sections)]
    packed = words_of("\n".join(texts))
    return sum(source.values()), sum(min(count, packed[word]) for word, count in source.items())


def _unplaced(document: Document, structure: Structure, sections: list[Section]) -> list[str]:
    """Lines of the source with words that stand in no section: what the reviewer must place by hand."""
    texts = [structure.title or "", *(f"{s.chapter or ''}\n{s.title}\n{s.text}" for s in sections)]
    packed = words_of("\n".join(texts))
    lost = list(structure.unplaced)
    contents = set(structure.contents)
    for line in document.lines:
        if clean(line.text) in contents:
            continue
        words = words_of(line.text)
        if words and any(packed[word] == 0 for word in words) and line.text.strip() not in lost:
            lost.append(line.text.strip())
    return lost


def sha256(path: Path) -> str:
    """The file's SHA-256, to tell versions apart."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _previous(pack_dir: Path) -> tuple[CodePack | None, ImportReport | None]:
    """The version of the code already in the pack folder, if any, and its import report."""
    code_file = pack_dir / "code.yaml"
    if not code_file.exists():
        return None, load_report(pack_dir)
    try:
        code = CodePack.model_validate(yaml.safe_load(code_file.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValidationError):  # an unreadable previous version is replaced, not compared
        code = None
    return code, load_report(pack_dir)


def import_code(
    source: Path,
    content_dir: Path,
    org: str,
    name: str,
    kind: str,
    today: date,
    version: str | None = None,
    adopted: date | None = None,
) -> Imported:
    """Import a code as the pack `content_dir/org`; a pack already there is the previous version."""
    if kind not in KINDS:
        raise ImportRefused(f"Onbekende soort '{kind}'. Kies uit: {', '.join(KINDS)}.")
    document = read_document(source)
    structure = read_structure(document, document.title or name)
    sections = _sections(structure)
    if not sections:
        raise ImportRefused(f"In {source.name} staat geen tekst die ik in delen kan opsplitsen.")
    org_type = KINDS[kind]
    proposal = draft(sections, org_type)
    pack_dir = content_dir / org
    old_code, old_report = _previous(pack_dir)
    digest = sha256(source)
    version = version or (adopted or today).isoformat()
    history = list(old_report.history) if old_report else []
    changes = None
    if old_code is not None:
        old_version = old_code.version or "zonder nummer"
        if old_version == version:
            version = f"{version} ({len(history) + 2})"
        history.append(
            Version(
                version=old_version,
                adopted=old_code.adopted,
                imported=old_report.imported if old_report else today,
                source=old_report.source if old_report else old_code.source,
                sha256=old_report.sha256 if old_report else "",
            )
        )
        keep = keep_reviewed(pack_dir, sections, proposal)
        changes = compare(old_code, sections, proposal, keep)
        changes.previous = old_version
        archive = pack_dir / VERSIONS_DIR / slug(old_version, set())
        archive.mkdir(parents=True, exist_ok=True)
        shutil.copy2(pack_dir / "code.yaml", archive / "code.yaml")
    words, kept = _kept(document, structure, sections)
    code = CodePack(
        org=org,
        name=name,
        type=org_type,
        source=structure.title or document.title or source.stem,
        version=version,
        adopted=adopted,
        sections=sections,
    )
    pack_dir.mkdir(parents=True, exist_ok=True)
    write_pack(pack_dir, code, proposal)
    write_people_template(pack_dir, org, proposal.roles)
    report = ImportReport(
        org=org,
        source=source.name,
        format=document.format,
        sha256=digest,
        pages=document.pages,
        version=version,
        adopted=adopted,
        imported=today,
        words=words,
        kept=kept,
        sections=len(sections),
        headings=structure.headings,
        removed=document.removed + ([f"inhoudstafel ({len(structure.contents)} regels)"] if structure.contents else []),
        page_numbers=document.page_numbers,
        unplaced=_unplaced(document, structure, sections),
        proposals=proposal.proposals,
        changes=changes,
        history=history,
    )
    save_report(pack_dir, report)
    problems: list[Problem] = []
    load_pack(pack_dir, problems)
    return Imported(pack_dir, report, proposal, problems)


def gift_summary(gifts: GiftRules | None) -> str:
    """One line on the gift rules the import proposes."""
    if gifts is None:
        return "geen regel over geschenken gevonden: de bot zegt dat de code daarover zwijgt"
    return f"{len(gifts.rules())} regels over geschenken voorgesteld"
