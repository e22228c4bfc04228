"""Write an imported pack as the YAML files a person reads and edits: the code, its roles, its routes, its gift
rules, and a template of the people who hold each role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from bot.importing.proposals import Draft
from bot.knowledge.packs import CodePack, Faq, Role

HEADERS = {
    "code.yaml": (
        "# The code, imported from its own document by `integriteitsbot content import`. Check every heading and\n"
        "# section in the review page (`integriteitsbot content review {org}`); fix a wrong one here, then run\n"
        "# `integriteitsbot content check`. Titles and text are the code's own words: change them only to correct\n"
        "# the import, and add `keywords` for words staff use that the code does not.\n"
    ),
    "routing.yaml": (
        "# Who receives each kind of case, in escalation order, each with its basis: `code` (the quoted sentence of\n"
        "# the code), `law` (named) or `default` (our choice where code and law are silent). Steps with\n"
        "# `review: true` were proposed by the import from the code's sentences: check each one, then delete\n"
        "# `review: true` (or the step). Routes apply as soon as the pack is served.\n"
    ),
    "contacts.yaml": (
        "# The roles the routes name, with only the contact details the code itself gives. The people who hold\n"
        "# each role go into the deployment's contacts file (see contacts.template.yaml beside this one).\n"
    ),
    "gifts.yaml": (
        "# How the code treats gifts and invitations, for the advice of the gift declaration. The import read the\n"
        "# code's sentences on gifts: check each rule's advice against its quote, then delete `review: true`.\n"
    ),
}


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block, so a section reads as it will be shown."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)


def _data(model: BaseModel) -> Any:
    return model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def _write(path: Path, data: Any, org: str) -> None:
    header = HEADERS.get(path.name, "").format(org=org)
    path.write_text(header + _dump(data), encoding="utf-8")


def _code_data(code: CodePack) -> dict[str, Any]:
    data = _data(code)
    data["type"] = code.type.value  # always said, also where it is the default
    for section in data["sections"]:
        section["text"] = section["text"].rstrip("\n") + "\n"
    return data


def write_pack(pack_dir: Path, code: CodePack, proposal: Draft) -> None:
    """Write code.yaml, contacts.yaml, routing.yaml and gifts.yaml (removed when the code has no gift rules)."""
    _write(pack_dir / "code.yaml", _code_data(code), code.org)
    _write(pack_dir / "contacts.yaml", {"roles": [_data(role) for role in proposal.roles]}, code.org)
    routes = [{"kind": route.kind.value, "roles": [_data(step) for step in route.roles]} for route in proposal.routes]
    for route, raw in zip(proposal.routes, routes, strict=True):
        for step, data in zip(route.roles, raw["roles"], strict=True):
            data["basis"] = step.basis.value
    _write(pack_dir / "routing.yaml", {"routes": routes}, code.org)
    gifts = pack_dir / "gifts.yaml"
    if proposal.gifts is None:
        gifts.unlink(missing_ok=True)
    else:
        _write(gifts, _data(proposal.gifts), code.org)
    _keep_faq(pack_dir, code)


def _keep_faq(pack_dir: Path, code: CodePack) -> None:
    """A hand-written FAQ keeps the entries whose answer still stands in a section of this version."""
    path = pack_dir / "faq.yaml"
    if not path.exists():
        return
    try:
        faq = Faq.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except Exception:
        path.rename(path.with_suffix(".yaml.old"))  # unreadable: set aside, never silently lost
        return
    texts = {s.id: " ".join(s.text.split()) for s in code.sections}
    kept = {
        section: [e for e in entries if " ".join(e.answer.split()) in texts.get(section, "")]
        for section, entries in faq.sections.items()
    }
    kept = {section: entries for section, entries in kept.items() if entries}
    if not kept:
        path.rename(path.with_suffix(".yaml.old"))
        return
    data = {"org": code.org, "sections": {s: [_data(e) for e in entries] for s, entries in kept.items()}}
    path.write_text(_dump(data), encoding="utf-8")


def write_people_template(pack_dir: Path, org: str, roles: list[Role]) -> None:
    """contacts.template.yaml: every role that receives cases and is nobody's own, to fill in with the people who
    hold it and copy into the deployment's contacts file."""
    lines = [
        "# The people who receive cases for each role of this pack. Fill in each role, then copy the `orgs:` entry",
        "# into the contacts file the deployment reads (INTEGRITEITSBOT_CONTACTS). Give at least one way to reach",
        "# each person: teams_aad_id (Teams), slack_user_id (Slack) or email. A role left empty gets no notification:",
        "# the bot then says so to the reporter and names the role instead.",
        "# Roles each employee names for themselves (the leidinggevende, the diensthoofd) are not listed.",
        "orgs:",
        f"  {org}:",
    ]
    for role in roles:
        if role.personal:
            continue
        lines += [
            f"    {role.id}:  # {role.name}",
            '      - {name: "", email: "", teams_aad_id: "", slack_user_id: ""}',
        ]
    (pack_dir / "contacts.template.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
