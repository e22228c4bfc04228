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
def test_routing_covers_every_kind_and_every_step_has_a_basis(content, org):
    pack = content.packs[org]
    for kind in CaseKind:
        if kind == CaseKind.CRIME and not pack.has_route(kind):
            continue
        for step in pack.route(kind).roles:
            assert pack.role(step.role) is not None
            if step.section:
                assert pack.section(step.section) is not None


def test_kortrijk_meldpunt_has_the_codes_details(content):
    meldpunt = content.packs["kortrijk"].role("algemeen-directeur")
    assert meldpunt.phone == ["0478/560632"] and "intern meldpunt" in [a.lower() for a in meldpunt.aliases]


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
    edit(path, lambda d: d["routes"][0]["roles"].append({"role": "burgemeester", "basis": "default"}))
    (problem,) = problems_of(pack_copy)
    assert str(path) in problem and "routes.0.roles.2.role" in problem and "unknown role 'burgemeester'" in problem


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


def test_code_basis_needs_section_and_quote(pack_copy):
    path = pack_copy / "putte" / "routing.yaml"
    edit(path, lambda d: d["routes"][0]["roles"][0].pop("quote"))
    (problem,) = problems_of(pack_copy)
    assert "[routes.0.roles.0]" in problem and "needs the 'section' and a literal 'quote'" in problem


def test_code_basis_must_name_the_role(pack_copy):
    # IGO's fraud section names only the leidinggevende: citing it for the algemeen directeur is refused.
    path = pack_copy / "igo" / "routing.yaml"

    def change(data):
        data["routes"][0]["roles"][1] = {**data["routes"][0]["roles"][0], "role": "algemeen-directeur"}

    edit(path, change)
    (problem,) = problems_of(pack_copy)
    assert "[routes.0.roles.1.quote]" in problem and "does not name 'Algemeen directeur'" in problem


def test_code_quote_must_stand_in_the_section(pack_copy):
    path = pack_copy / "kortrijk" / "routing.yaml"
    edit(path, lambda d: d["routes"][0]["roles"][0].__setitem__("quote", "De algemeen directeur beslist alles."))
    (problem,) = problems_of(pack_copy)
    assert "[routes.0.roles.0.quote]" in problem and "not found literally" in problem


def test_faq_answers_stand_in_their_section_and_sections_exist(pack_copy):
    path = pack_copy / "kortrijk" / "faq.yaml"
    faq = {
        "org": "kortrijk",
        "sections": {
            "geschenken-en-voordelen": [
                {"question": "mag ik pralines houden?", "answer": "is wel toegelaten op voorwaarde"},
                {"question": "mag ik een auto aannemen?", "answer": "Een auto mag altijd."},
            ],
            "bestaat-niet": [{"question": "wat?", "answer": "iets"}],
        },
    }
    path.write_text(yaml.safe_dump(faq, allow_unicode=True), encoding="utf-8")
    problems = problems_of(pack_copy)
    assert len(problems) == 2
    assert any("[sections.geschenken-en-voordelen.1.answer]" in p and "not found literally" in p for p in problems)
    assert any("[sections.bestaat-niet]" in p and "unknown section" in p for p in problems)


def test_default_basis_cites_nothing(pack_copy):
    path = pack_copy / "igo" / "routing.yaml"
    edit(path, lambda d: d["routes"][1]["roles"][0].__setitem__("section", "samenwerken"))
    (problem,) = problems_of(pack_copy)
    assert "[routes.1.roles.0]" in problem and "basis 'default' cites nothing" in problem


def test_bestuursdecreet_does_not_bind_a_vzw(pack_copy):
    path = pack_copy / "vvsg" / "routing.yaml"
    edit(
        path,
        lambda d: d["routes"][0]["roles"].__setitem__(
            1, {"role": "raadgever-integriteit", "basis": "law", "law": "bestuursdecreet"}
        ),
    )
    problems = problems_of(pack_copy)
    assert any("binds public authorities, not a vzw or a company" in p for p in problems)
    assert any("is not the internal reporting point" in p for p in problems)


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
    edit(pack_copy / "putte" / "routing.yaml", lambda d: d["routes"][1]["roles"][0].__setitem__("role", "niemand"))
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--content", str(pack_copy), "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "unknown role 'niemand'" in result.stderr
