"""The house's order: each folder imports only folders below it, none imports another on its own level, and
no module outside bench/ and tests/ grows past 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "dialogs")

# Top to bottom, in the order a turn travels. A unit is a folder under bot/ (with everything below it), dialogs/,
# or one of the modules loose in bot/. A unit may import units on lower levels only: never one above it, never
# one beside it, so no two units can ever import each other.
LEVELS: tuple[tuple[str, ...], ...] = (
    ("bot/__main__",),  # python -m bot
    ("bot/cli",),  # the integriteitsbot command
    ("bot/importing",),  # a code read from PDF, DOCX, HTML or text into a pack to review
    ("bot/app",),  # create_app: wires everything below, /healthz
    ("bot/channels",),  # Teams, Slack and the terminal: platform payloads ⇄ neutral turns and replies
    ("bot/conversation", "bot/settings"),  # what a turn means; configuration
    # Signing the code (campaigns, the register, reminders); dilemmas practised in a team channel
    ("bot/campaigns", "bot/practice"),
    ("bot/reports",),  # the annual figures and exports, whose masking both of those use
    ("bot/cases",),  # an outcome filed with its notifications; status, the handler's desk, deadlines, retention
    ("dialogs",),  # the guided flows, pure
    ("bot/knowledge",),  # content packs, lookup, routing, the law's terms, the deployment's contacts
    ("bot/delivery",),  # the outbox worker and e-mail
    ("bot/storage",),  # SQLAlchemy: the schema, the queries, the sealed confirmation
    ("bot/vocabulary", "bot/clock", "bot/logs", "bot/metrics"),  # neutral values and sentences; clock; logs; metrics
    ("bot/__init__",),  # the package itself, which every import of bot runs first
)
LEVEL = {unit: depth for depth, units in enumerate(LEVELS) for unit in units}
MAX_LINES = 400


def unit_of(module: str) -> str | None:
    """The unit a dotted module name belongs to, or None for anything outside the service."""
    parts = module.split(".")
    if parts[0] == "dialogs":
        return "dialogs"
    if parts[0] != "bot":
        return None
    if len(parts) == 1:
        return "bot/__init__"
    return f"bot/{parts[1]}"


def module_name(path: Path) -> str:
    """The dotted name of a source file ('bot/cases/intake.py' → 'bot.cases.intake')."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top, inside functions or under TYPE_CHECKING alike."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve it against the file's own package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            # 'from bot import logs' imports the module bot.logs, which is a unit of its own.
            found.update(f"{base}.{alias.name}" for alias in node.names if unit_of(f"{base}.{alias.name}"))
    return found


def sources() -> list[Path]:
    """Every Python file of the service."""
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def unit_edges() -> dict[tuple[str, str], list[str]]:
    """(importing unit, imported unit) → the files that make that edge."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sources():
        source = unit_of(module_name(path))
        assert source is not None
        for module in imported(path):
            target = unit_of(module)
            if target is not None and target != source:
                edges.setdefault((source, target), []).append(str(path.relative_to(ROOT)))
    return edges


def test_every_unit_has_its_level():
    """A new folder or loose module under bot/ must be given its place in LEVELS before anything imports it."""
    units = {unit_of(module_name(path)) for path in sources()}
    assert units - {None} <= set(LEVEL), f"give these a level in tests/test_layers.py: {sorted(units - set(LEVEL))}"
    assert set(LEVEL) <= units, f"LEVELS names units that do not exist: {sorted(set(LEVEL) - units)}"


def test_the_rule_sees_what_the_files_import():
    """The rule is only as good as its import reader: known edges of today's tree are found."""
    edges = unit_edges()
    for edge in [
        ("bot/conversation", "bot/cases"),
        ("bot/cases", "dialogs"),
        ("dialogs", "bot/knowledge"),
        ("bot/delivery", "bot/storage"),
        ("bot/storage", "bot/vocabulary"),
        ("bot/cli", "bot/logs"),
    ]:
        assert edge in edges, edge


def test_no_unit_imports_one_above_or_beside_it():
    """Channels → conversation → cases → dialogs → knowledge → delivery → storage → vocabulary, never back."""
    wrong = [
        f"{source} (level {LEVEL[source]}) imports {target} (level {LEVEL[target]}) in {', '.join(sorted(set(files)))}"
        for (source, target), files in sorted(unit_edges().items())
        if LEVEL[target] <= LEVEL[source]
    ]
    assert not wrong, "imports against the house's order:\n" + "\n".join(wrong)


def test_no_two_units_import_each_other():
    """Said on its own, because it is the promise the folder names make."""
    edges = unit_edges()
    both = sorted({tuple(sorted(edge)) for edge in edges if edge[::-1] in edges})
    assert not both, f"these import each other: {both}"


def test_the_vocabulary_imports_nothing_of_the_service():
    """The bottom stands on nothing: no cases, storage, delivery, channels, conversation or dialogs."""
    for path in (ROOT / "bot" / "vocabulary").rglob("*.py"):
        service = {module for module in imported(path) if unit_of(module) not in (None, "bot/vocabulary")}
        assert not service, f"{path.name} imports {sorted(service)}"


@pytest.mark.parametrize("folder", ["bot", "dialogs", "deploy"])
def test_modules_stay_a_few_hundred_lines(folder):
    """A module over 400 lines holds more than one thing; split it by what it holds."""
    files = [path for path in (ROOT / folder).rglob("*.py") if "node_modules" not in path.parts]
    long = {
        str(path.relative_to(ROOT)): lines
        for path in files
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"over {MAX_LINES} lines: {long}"
