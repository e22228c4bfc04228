"""Configuration in `.env`: every command reads it from the working directory (or the file INTEGRITEITSBOT_ENV_FILE
names); the environment wins over it, and command-line flags win over both."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NAMES = {
    "kortrijk": "Stad en OCMW Kortrijk",
    "putte": "Gemeente Putte",
    "igo": "IGO div",
}


def greeting(cwd: Path, *flags: str, **env: str) -> subprocess.CompletedProcess:
    """`integriteitsbot chat` in a working directory of its own, saying hello once."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("INTEGRITEITSBOT_") and k != "DATABASE_URL"}
    environ.update(env)
    command = [sys.executable, "-m", "bot", "chat", "--session", "env", *flags]
    return subprocess.run(command, input="hallo\n", capture_output=True, text=True, cwd=cwd, env=environ, check=False)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A working directory with a .env that names Kortrijk and keeps the data in the directory itself."""
    (tmp_path / ".env").write_text(
        "# the deployment's settings\n"
        "INTEGRITEITSBOT_ORG=kortrijk\n"
        f'DATABASE_URL="sqlite+aiosqlite:///{tmp_path}/bot.db"\n'
        f"INTEGRITEITSBOT_DATA_DIR={tmp_path}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_chat_reads_the_env_file_in_the_working_directory(workdir):
    done = greeting(workdir)
    assert done.returncode == 0, done.stderr
    assert f"Integriteitsbot van {NAMES['kortrijk']}" in done.stdout
    assert (workdir / "bot.db").exists()  # the database the file names, not the default


def test_the_environment_wins_over_the_file_and_a_flag_over_both(workdir):
    done = greeting(workdir, INTEGRITEITSBOT_ORG="putte")
    assert f"Integriteitsbot van {NAMES['putte']}" in done.stdout, done.stderr
    done = greeting(workdir, "--org", "igo", INTEGRITEITSBOT_ORG="putte")
    assert f"Integriteitsbot van {NAMES['igo']}" in done.stdout, done.stderr


def test_a_named_env_file_is_read_and_a_missing_one_is_said(workdir, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("etc") / "integriteitsbot.env"
    elsewhere.write_text((workdir / ".env").read_text().replace("kortrijk", "putte"), encoding="utf-8")
    done = greeting(workdir, INTEGRITEITSBOT_ENV_FILE=str(elsewhere))
    assert f"Integriteitsbot van {NAMES['putte']}" in done.stdout, done.stderr
    done = greeting(workdir, INTEGRITEITSBOT_ENV_FILE=str(elsewhere) + ".weg")
    assert done.returncode == 2 and "INTEGRITEITSBOT_ENV_FILE" in done.stderr and "Traceback" not in done.stderr
