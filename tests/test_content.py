"""Content packs: every seed is whole in its pack, details are never invented, broken packs are explained."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.knowledge.content import ContentError, load_content
from bot.knowledge.packs import MAX_SECTION_WORDS, CaseKind
from tests.seed_coverage import SEEDS, SEEDS_DIR, coverage

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def test_five_packs_load(content):
    assert sorted(content.packs) == sorted(SEEDS)
    assert len(content.synonyms) >= 10


@pytest.mark.parametrize("org", sorted(SEEDS))
def test_pack_holds_whole_code(org):
    share, missing = coverage(org)
    assert share >= 0.97, f"{org}: only {share:.1%} of the seed's words; missing {missing[:15]}"


@pytest.mark.parametrize("org", sorted(SEEDS))
def test_sections_are_readable_answers(content, org):
    for section in content.packs[org].code.sections:
        words = len(section.text.split())
        assert 10 <= words <= MAX_SECTION_WORDS, (section.id, words)
        # PDF artefacts are cleaned: no hyphenated line breaks, no lines broken mid-sentence in bulk.
        assert not re.search(r"\w-\n\w", section.text), section.id
        lines = [line for line in section.text.splitlines() if line.strip()]
        short_breaks = sum(
            1
            for a, b in itertools.pairwise(lines)
            if not a.rstrip().endswith((".", ":", ";", "?", "!", ",")) and b[:1].islower()
        )
        assert short_breaks <= max(2, len(lines) // 4), (section.id, short_breaks)


@pytest.mark.parametrize("org", sorted(SEEDS))
def test_contact_details_come_from_the_code(content, org):
    seed = re.sub(r"\s+", "", (SEEDS_DIR / SEEDS[org]).read_text(encoding="utf-8"))
    for role in content.packs[org].contacts.roles:
        for detail in [*role.phone, *role.email, *([role.url] if role.url else [])]:
            assert re.sub(r"\s+", "", detail) in seed, f"{org}/{role.id}: '{detail}' is not in the code"


@pytest.mark.parametrize("org", sorted(SEEDS))
def test_routing_covers_every_kind_and_cites(content, org):
    pack = content.packs[org]
    for kind in CaseKind:
        route = pack.route(kind)
        assert route.roles
        assert route.section or route.default
        if route.section:
            assert pack.section(route.section) is not None


def test_kortrijk_routes_as_its_code_says(content):
    pack = content.packs["kortrijk"]
    assert pack.route(CaseKind.RULE_BREACH).roles[0] == "algemeen-directeur"
    assert pack.route(CaseKind.BEHAVIOUR).roles[0] == "preventiedienst"
    assert pack.route(CaseKind.MISUSE).roles[0] == "leidinggevende"
    meldpunt = pack.role("algemeen-directeur")
    assert meldpunt.phone == ["0478/560632"] and "intern meldpunt" in [a.lower() for a in meldpunt.aliases]


def test_voorbeeldgemeente_is_silent_on_gifts(content):
    assert content.packs["voorbeeldgemeente"].route(CaseKind.GIFT).default


# --- broken packs -----------------------------------------------------------------------------------


@pytest.fixture
def pack_copy(tmp_path):
    """A writable copy of the content tree, to break on purpose."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(directory)
    return [str(p) for p in caught.value.problems]


def test_bad_yaml_reports_line(pack_copy):
    path = pack_copy / "putte" / "routing.yaml"
    path.write_text("routes:\n  - kind: gift\n    roles: [diensthoofd\n", encoding="utf-8")
    problems = problems_of(pack_copy)
    assert len(problems) == 1
    assert str(path) in problems[0] and "invalid YAML" in problems[0] and "line" in problems[0]


def test_missing_field(pack_copy):
    path = pack_copy / "igo" / "code.yaml"
    edit(path, lambda d: d["sections"][2].pop("title"))
    (problem,) = problems_of(pack_copy)
    assert problem.startswith(str(path)) and "[sections.2.title]" in problem and "Field required" in problem


def test_route_to_unknown_role(pack_copy):
    path = pack_copy / "vvsg" / "routing.yaml"
    edit(path, lambda d: d["routes"][0]["roles"].append("burgemeester"))
    (problem,) = problems_of(pack_copy)
    assert str(path) in problem and "routes.0.roles." in problem and "unknown role 'burgemeester'" in problem


def test_duplicate_section_id(pack_copy):
    path = pack_copy / "kortrijk" / "code.yaml"
    edit(path, lambda d: d["sections"][1].__setitem__("id", d["sections"][0]["id"]))
    (problem,) = problems_of(pack_copy)
    assert str(path) in problem and "[sections.1.id]" in problem and "duplicate section id" in problem


def test_missing_route_kind(pack_copy):
    path = pack_copy / "putte" / "routing.yaml"
    edit(path, lambda d: d.__setitem__("routes", [r for r in d["routes"] if r["kind"] != "press"]))
    (problem,) = problems_of(pack_copy)
    assert str(path) in problem and "kind 'press' must have exactly one route" in problem


def test_route_without_section_or_default(pack_copy):
    path = pack_copy / "putte" / "routing.yaml"

    def change(data):
        data["routes"][0].pop("section", None)
        data["routes"][0]["default"] = False

    edit(path, change)
    (problem,) = problems_of(pack_copy)
    assert "[routes.0]" in problem and "'default: true'" in problem


def test_too_long_section(pack_copy):
    path = pack_copy / "igo" / "code.yaml"
    edit(path, lambda d: d["sections"][0].__setitem__("text", "woord " * (MAX_SECTION_WORDS + 1)))
    (problem,) = problems_of(pack_copy)
    assert "[sections.0]" in problem and "split it" in problem


def test_content_check_command_prints_problems(pack_copy):
    edit(pack_copy / "igo" / "contacts.yaml", lambda d: d["roles"][0].__setitem__("section", "bestaat-niet"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--content", str(pack_copy), "content", "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "contacts.yaml [roles.0.section]: unknown section 'bestaat-niet'" in result.stderr
    assert "Traceback" not in result.stderr


def test_content_check_command_ok():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "OK: 5 packs" in result.stdout


def test_service_refuses_invalid_pack(pack_copy):
    edit(pack_copy / "putte" / "routing.yaml", lambda d: d["routes"][1]["roles"].__setitem__(0, "niemand"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--content", str(pack_copy), "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "unknown role 'niemand'" in result.stderr
