"""Load content packs from disk and validate them, reporting every problem with its file and field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.packs import (
    Basis,
    BasisKind,
    CodePack,
    ContactsPack,
    Content,
    Dilemmas,
    Faq,
    GiftRules,
    Law,
    OrgType,
    Pack,
    Role,
    RoutingPack,
    Signing,
    Synonyms,
)
from bot.knowledge.text import fold

# The shipped packs, wherever the project is installed: the checkout's content/ folder, or the wheel's copy.
DEFAULT_CONTENT_DIR = Path(str(files("integriteitsbot_content")))
# libyaml's safe loader parses the packs several times faster, which start-up feels; same documents, same errors.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
            return yaml.load(handle, Loader=SAFE_LOADER)  # a safe loader: plain data, no Python objects
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


def _flat(text: str) -> str:
    return " ".join(text.split())


def _names_role(text: str, role: Role) -> bool:
    """Whether a quote names the role: its name or one of its aliases, in any case."""
    folded = fold(text)
    return any(fold(name) in folded for name in (role.name, *role.aliases))


def _check_basis(pack: Pack, basis: Basis, file: Path, where: str, problems: list[Problem], role: Role | None) -> None:
    """A basis must hold: a code quote stands in its section and names the role; a law applies to this org."""
    if basis.basis == BasisKind.CODE:
        section = pack.section(basis.section or "")
        if section is None:
            problems.append(Problem(file, f"{where}.section", f"unknown section '{basis.section}'"))
        elif _flat(basis.quote or "") not in _flat(section.text):
            problems.append(Problem(file, f"{where}.quote", f"not found literally in section '{basis.section}'"))
        elif role is not None and not _names_role(basis.quote or "", role):
            problems.append(
                Problem(file, f"{where}.quote", f"does not name '{role.name}' (or an alias): the code does not say it")
            )
    elif basis.basis == BasisKind.LAW:
        if basis.law == Law.BESTUURSDECREET and pack.code.type == OrgType.ASSOCIATION:
            message = "the Bestuursdecreet binds public authorities, not a vzw or a company"
            problems.append(Problem(file, f"{where}.law", message))
        if basis.law == Law.KLOKKENLUIDERSWET and pack.code.type != OrgType.ASSOCIATION:
            message = "the federal law of 28 November 2022 is for the private sector"
            problems.append(Problem(file, f"{where}.law", message))
        if basis.law == Law.BESTUURSDECREET and role is not None and role.reporting_point is None:
            problems.append(Problem(file, f"{where}.law", f"'{role.id}' is not the internal reporting point"))


def _cross_check(directory: Path, pack: Pack, problems: list[Problem]) -> None:
    """References between the files must resolve, and every basis must hold."""
    section_ids = {s.id for s in pack.code.sections}
    contacts, routing = directory / "contacts.yaml", directory / "routing.yaml"
    for index, role in enumerate(pack.contacts.roles):
        if role.section is not None and role.section not in section_ids:
            problems.append(Problem(contacts, f"roles.{index}.section", f"unknown section '{role.section}'"))
        for name in ("reporting_point", "response"):
            basis = getattr(role, name)
            if basis is not None:
                _check_basis(pack, basis, contacts, f"roles.{index}.{name}", problems, role)
    for index, route in enumerate(pack.routing.routes):
        for position, step in enumerate(route.roles):
            role = pack.role(step.role)
            where = f"routes.{index}.roles.{position}"
            if role is None:
                problems.append(Problem(routing, f"{where}.role", f"unknown role '{step.role}'"))
                continue
            _check_basis(pack, step, routing, where, problems, role)
    if pack.gifts is not None:
        _check_gift_quotes(directory / "gifts.yaml", pack, problems)
    if pack.faq is not None:
        _check_faq(directory / "faq.yaml", pack, problems)
    if pack.dilemmas is not None:
        quoted = [(f"dilemmas.{n}", d.section, d.quote) for n, d in enumerate(pack.dilemmas.dilemmas)]
        _check_quoted(directory / "dilemmas.yaml", pack, pack.dilemmas.org, quoted, problems)
    if pack.signing is not None:
        quoted = [(where, point.section, point.quote) for where, point in pack.signing.quotes()]
        _check_quoted(directory / "signing.yaml", pack, pack.signing.org, quoted, problems)


def _check_faq(path: Path, pack: Pack, problems: list[Problem]) -> None:
    """Every FAQ section exists and every answer stands literally in it, so it points at a real sentence."""
    assert pack.faq is not None
    if pack.faq.org != pack.org:
        problems.append(Problem(path, "org", f"'{pack.faq.org}' differs from the pack '{pack.org}'"))
    for section_id, entries in pack.faq.sections.items():
        section = pack.section(section_id)
        if section is None:
            problems.append(Problem(path, f"sections.{section_id}", f"unknown section '{section_id}'"))
            continue
        for index, entry in enumerate(entries):
            if _flat(entry.answer) not in _flat(section.text):
                where = f"sections.{section_id}.{index}.answer"
                problems.append(Problem(path, where, f"not found literally in section '{section_id}'"))


def _check_quoted(
    path: Path, pack: Pack, org: str, quoted: list[tuple[str, str, str]], problems: list[Problem]
) -> None:
    """A file that quotes the code (dilemmas, what a person signs): it is this pack's, and every (where, section,
    quote) cites a section of the code in which the quote stands literally."""
    if org != pack.org:
        problems.append(Problem(path, "org", f"'{org}' differs from the pack '{pack.org}'"))
    for where, section_id, quote in quoted:
        section = pack.section(section_id)
        if section is None:
            problems.append(Problem(path, f"{where}.section", f"unknown section '{section_id}'"))
        elif _flat(quote) not in _flat(section.text):
            problems.append(Problem(path, f"{where}.quote", f"not found literally in section '{section_id}'"))


def _check_gift_quotes(path: Path, pack: Pack, problems: list[Problem]) -> None:
    """Gift advice quotes the code: every quote, condition and extra sentence stands literally in its section."""
    assert pack.gifts is not None
    for name, rule in pack.gifts.rules():
        section = pack.section(rule.section)
        if section is None:
            problems.append(Problem(path, f"{name}.section", f"unknown section '{rule.section}'"))
            continue
        quotes = [("quote", rule.quote)]
        quotes += [(f"conditions.{i}", text) for i, text in enumerate(rule.conditions)]
        quotes += [(f"also.{i}", text) for i, text in enumerate(rule.also)]
        for field, text in quotes:
            if _flat(text) not in _flat(section.text):
                problems.append(Problem(path, f"{name}.{field}", f"not found literally in section '{rule.section}'"))
    all_text = " ".join(_flat(s.text) for s in pack.code.sections)
    for index, example in enumerate(pack.gifts.small_examples):
        if _flat(example) not in all_text:
            problems.append(Problem(path, f"small_examples.{index}", "not found literally in the code"))


def load_pack(directory: Path, problems: list[Problem]) -> Pack | None:
    """Load one pack directory; append problems and return None when it is invalid."""
    before = len(problems)
    code = _validate(CodePack, directory / "code.yaml", problems)
    contacts = _validate(ContactsPack, directory / "contacts.yaml", problems)
    routing = _validate(RoutingPack, directory / "routing.yaml", problems)
    gifts_file, faq_file = directory / "gifts.yaml", directory / "faq.yaml"
    gifts = _validate(GiftRules, gifts_file, problems) if gifts_file.exists() else None
    faq = _validate(Faq, faq_file, problems) if faq_file.exists() else None
    dilemmas_file = directory / "dilemmas.yaml"
    dilemmas = _validate(Dilemmas, dilemmas_file, problems) if dilemmas_file.exists() else None
    signing_file = directory / "signing.yaml"
    signing = _validate(Signing, signing_file, problems) if signing_file.exists() else None
    if code is None or contacts is None or routing is None or len(problems) > before:
        return None
    if code.org != directory.name:
        problems.append(Problem(directory / "code.yaml", "org", f"'{code.org}' differs from folder '{directory.name}'"))
    pack = Pack(
        code=code,
        contacts=contacts,
        routing=routing,
        gifts=gifts,
        faq=faq,
        dilemmas=dilemmas,
        signing=signing,
        directory=directory,
    )
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
    if not synonyms_file.exists():
        # The shared everyday words (cadeau for geschenk, baas for leidinggevende) belong to no one code: a content
        # directory of its own, such as one a code was just imported into, is searched with the shipped ones.
        synonyms_file = DEFAULT_CONTENT_DIR / "synonyms.yaml"
    if synonyms_file.exists():
        parsed = _validate(Synonyms, synonyms_file, problems)
        if parsed is not None:
            synonyms = parsed.synonyms
    if not packs and not problems:
        problems.append(Problem(directory, "", "no content packs found"))
    if problems:
        raise ContentError(problems)
    return Content(packs=packs, synonyms=synonyms)
