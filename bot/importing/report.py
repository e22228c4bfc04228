"""import.yaml: what an import found and left out, kept beside the pack for the review page and the next version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

REPORT_FILE = "import.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Proposal(_Model):
    """A sentence of the code the import read as a rule for the bot: a recipient for a kind of case, or gift advice."""

    what: str  # "route" or "gift"
    target: str  # the case kind (rule_breach, behaviour, …) or the gift rule (small, large, invitation, …)
    role: str | None = None  # the role a route proposal names
    advice: str | None = None  # the advice a gift proposal reads
    section: str
    quote: str


class Reworded(_Model):
    """A section whose text changed between two versions."""

    id: str
    title: str
    similarity: float  # 0..1, how much of the wording stayed


class Changes(_Model):
    """What changed against the previous version of the code."""

    previous: str | None  # the previous version's name
    added: list[str] = []  # titles of new sections
    removed: list[str] = []  # titles of sections gone
    reworded: list[Reworded] = []
    routes: list[str] = []  # routes and gift rules whose quote no longer stands, in a sentence each


class Version(_Model):
    """One imported version of the code."""

    version: str
    adopted: date | None = None
    imported: date
    source: str  # the file's name
    sha256: str


class ImportReport(_Model):
    """Everything the integrity officer must check before the pack goes live."""

    org: str
    source: str  # the imported file's name
    format: str
    sha256: str
    pages: int | None = None
    version: str
    adopted: date | None = None
    imported: date
    words: int  # the words of the source's body text
    kept: int  # of those, the words that landed in a section
    sections: int
    headings: list[str] = []  # the headings read, in order, with their chapter ("Chapter › Heading")
    removed: list[str] = []  # page headers and footers left out
    page_numbers: int = 0
    unplaced: list[str] = []  # sentences of the source that are in no section
    proposals: list[Proposal] = []
    changes: Changes | None = None
    history: list[Version] = Field(default_factory=list)  # earlier versions, oldest first

    @property
    def share(self) -> float:
        """Share of the source's words kept in sections."""
        return self.kept / self.words if self.words else 1.0


def load_report(pack_dir: Path) -> ImportReport | None:
    """The import report beside a pack, if the pack was imported."""
    path = pack_dir / REPORT_FILE
    if not path.exists():
        return None
    return ImportReport.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def save_report(pack_dir: Path, report: ImportReport) -> None:
    """Write the import report beside the pack."""
    data = report.model_dump(mode="json", exclude_none=True)
    text = "# What the import found and left out; `integriteitsbot content review` shows it. Do not edit.\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    (pack_dir / REPORT_FILE).write_text(text, encoding="utf-8")
