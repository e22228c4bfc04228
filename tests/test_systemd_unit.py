"""The systemd unit as written: systemd itself verifies it, it keeps its hardening, and the one folder it may write
(StateDirectory) is where the service puts its database and secret."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.settings import Settings

UNIT = Path(__file__).resolve().parent.parent / "deploy" / "integriteitsbot.service"


def directives(text: str) -> dict[str, list[str]]:
    """Every `Key=value` of the unit, by key."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_keeps_its_hardening_and_writes_only_its_state_directory():
    unit = directives(UNIT.read_text(encoding="utf-8"))
    assert unit["ProtectSystem"] == ["strict"] and unit["NoNewPrivileges"] == ["true"]
    assert unit["StateDirectory"] == ["integriteitsbot"] and unit["User"] == ["integriteitsbot"]
    assert "EnvironmentFile" not in unit  # the service reads .env in its working directory itself
    assert "useradd --system" in UNIT.read_text(encoding="utf-8")  # the documented command creates the user


def test_the_state_directory_holds_the_database_and_the_secret():
    settings = Settings.from_env({"STATE_DIRECTORY": "/var/lib/integriteitsbot"})
    assert settings.database_url == "sqlite+aiosqlite:////var/lib/integriteitsbot/integriteitsbot.db"
    assert settings.data_dir == Path("/var/lib/integriteitsbot")
    chosen = Settings.from_env(
        {"STATE_DIRECTORY": "/var/lib/integriteitsbot", "DATABASE_URL": "postgresql+asyncpg://db/bot"}
    )
    assert chosen.database_url == "postgresql+asyncpg://db/bot"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_verifies_the_unit(tmp_path):
    # The program does not exist on this machine: verify the unit with a stand-in that does.
    copy = tmp_path / "integriteitsbot.service"
    copy.write_text(
        UNIT.read_text(encoding="utf-8").replace("/srv/integriteitsbot/.venv/bin/integriteitsbot", "/bin/true"),
        encoding="utf-8",
    )
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
