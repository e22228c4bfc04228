"""Load content packs from disk and validate them, reporting every problem with its file and field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.packs import CodePack, ContactsPack, Content, GiftRules, Pack, RoutingPack, Synonyms

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One validation problem, pointing at a file and a field."""

    file: Path
    where: str
    message: str

    def __str__(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        return f"{self.file}{where}: {self.message}"


class ContentError(Exception):
    """Raised when one or more packs are invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        problems.append(Problem(path, "", "file is missing"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(path, where, f"invalid YAML: {reason}"))
    return None


def _validate(model: type[M], path: Path, problems: list[Problem]) -> M | None:
    data = _read_yaml(path, problems)
    if data is None:
        if path.exists() and not any(p.file == path for p in problems):
            problems.append(Problem(path, "", "file is empty"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            # A model-level validator reports its own field path inside the message.
            match = re.match(r"^([\w.]+): (.*)$", message)
            if match and not where:
                where, message = match.groups()
            problems.append(Problem(path, where, message))
    return None


def _cross_check(directory: Path, pack: Pack, problems: list[Problem]) -> None:
    """References between the three files must resolve."""
    section_ids = {s.id for s in pack.code.sections}
    role_ids = {r.id for r in pack.contacts.roles}
    for index, role in enumerate(pack.contacts.roles):
        if role.section not in section_ids:
            problems.append(
                Problem(directory / "contacts.yaml", f"roles.{index}.section", f"unknown section '{role.section}'")
            )
    for index, route in enumerate(pack.routing.routes):
        for position, role_id in enumerate(route.roles):
            if role_id not in role_ids:
                problems.append(
                    Problem(directory / "routing.yaml", f"routes.{index}.roles.{position}", f"unknown role '{role_id}'")
                )
        if route.section and route.section not in section_ids:
            problems.append(
                Problem(directory / "routing.yaml", f"routes.{index}.section", f"unknown section '{route.section}'")
            )
    if pack.gifts is not None:
        _check_gift_quotes(directory / "gifts.yaml", pack, problems)


def _check_gift_quotes(path: Path, pack: Pack, problems: list[Problem]) -> None:
    """Gift advice quotes the code: every quote must stand literally in the section it cites."""
    assert pack.gifts is not None
    for name, rule in pack.gifts.rules():
        section = pack.section(rule.section)
        if section is None:
            problems.append(Problem(path, f"{name}.section", f"unknown section '{rule.section}'"))
        elif " ".join(rule.quote.split()) not in " ".join(section.text.split()):
            problems.append(Problem(path, f"{name}.quote", f"not found literally in section '{rule.section}'"))
    all_text = " ".join(" ".join(s.text.split()) for s in pack.code.sections)
    for index, example in enumerate(pack.gifts.small_examples):
        if " ".join(example.split()) not in all_text:
            problems.append(Problem(path, f"small_examples.{index}", "not found literally in the code"))


def load_pack(directory: Path, problems: list[Problem]) -> Pack | None:
    """Load one pack directory; append problems and return None when it is invalid."""
    before = len(problems)
    code = _validate(CodePack, directory / "code.yaml", problems)
    contacts = _validate(ContactsPack, directory / "contacts.yaml", problems)
    routing = _validate(RoutingPack, directory / "routing.yaml", problems)
    gifts_file = directory / "gifts.yaml"
    gifts = _validate(GiftRules, gifts_file, problems) if gifts_file.exists() else None
    if code is None or contacts is None or routing is None or (gifts_file.exists() and gifts is None):
        return None
    if code.org != directory.name:
        problems.append(Problem(directory / "code.yaml", "org", f"'{code.org}' differs from folder '{directory.name}'"))
    pack = Pack(code=code, contacts=contacts, routing=routing, gifts=gifts)
    _cross_check(directory, pack, problems)
    return pack if len(problems) == before else None


def load_content(directory: Path = DEFAULT_CONTENT_DIR) -> Content:
    """Load and validate every pack under a content directory; raise ContentError listing all problems."""
    problems: list[Problem] = []
    packs: dict[str, Pack] = {}
    if not directory.is_dir():
        raise ContentError([Problem(directory, "", "content directory not found")])
    for pack_dir in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        pack = load_pack(pack_dir, problems)
        if pack is not None:
            packs[pack.org] = pack
    synonyms: dict[str, list[str]] = {}
    synonyms_file = directory / "synonyms.yaml"
    if synonyms_file.exists():
        parsed = _validate(Synonyms, synonyms_file, problems)
        if parsed is not None:
            synonyms = parsed.synonyms
    if not packs and not problems:
        problems.append(Problem(directory, "", "no content packs found"))
    if problems:
        raise ContentError(problems)
    return Content(packs=packs, synonyms=synonyms)
