"""An install as an administrator makes it: a wheel built from the project, installed into a fresh environment
outside the checkout, runs `serve`, `chat`, `content check`, `search` and `teams-package` with the packs, templates
and icons it carries itself."""

from __future__ import annotations

import os
import subprocess
import tomllib
import zipfile
from pathlib import Path

from setuptools import find_packages

from tests.service import free_port
from tests.serving import healthz

ROOT = Path(__file__).resolve().parent.parent


def test_the_listed_packages_are_the_packages_on_disk():
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    on_disk = find_packages(str(ROOT), include=["bot", "bot.*", "dialogs", "dialogs.*"])
    assert sorted(p for p in listed if not p.startswith("integriteitsbot_")) == sorted(on_disk)


def run(venv: Path, cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The installed console script, from a directory outside the checkout, with none of our variables set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTEGRITEITSBOT_", "Microsoft", "SLACK_"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{cwd}/bot.db"
    command = [str(venv / "bin" / "integriteitsbot"), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=cwd, env=env, check=False)


def test_the_installed_bot_uses_its_own_files(installed, tmp_path):
    where = subprocess.run(
        [
            str(installed / "bin" / "python"),
            "-c",
            "import bot, bot.knowledge.content as c; print(bot.__file__); print(c.DEFAULT_CONTENT_DIR)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.split()
    assert all(str(installed) in path for path in where), where  # not the checkout's
    checked = run(installed, tmp_path, "content", "check")
    assert checked.returncode == 0 and "OK: 5 packs" in checked.stdout, checked.stderr
    found = run(installed, tmp_path, "search", "--org", "kortrijk", "mag ik een cadeau aannemen van een klant?")
    assert found.returncode == 0 and "Geschenken en voordelen" in found.stdout, found.stderr
    chat = run(installed, tmp_path, "chat", "--org", "putte", stdin="hallo\n")
    assert chat.returncode == 0 and "Integriteitsbot van Gemeente Putte" in chat.stdout, chat.stderr
    (tmp_path / ".env").write_text(
        "MicrosoftAppId=00000000-0000-4000-8000-000000000abc\nINTEGRITEITSBOT_PUBLIC_HOST=bot.example.be\n",
        encoding="utf-8",
    )
    package = run(installed, tmp_path, "teams-package", "-o", str(tmp_path / "app.zip"))
    assert package.returncode == 0, package.stderr
    assert set(zipfile.ZipFile(tmp_path / "app.zip").namelist()) >= {"manifest.json", "color.png", "outline.png"}


def start(installed: Path, cwd: Path) -> tuple[subprocess.Popen, str]:
    """`integriteitsbot serve` of the installed environment on a free loopback port."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTEGRITEITSBOT_", "Microsoft", "SLACK_"))}
    env |= {"DATABASE_URL": f"sqlite+aiosqlite:///{cwd}/bot.db", "HOST": "127.0.0.1", "PORT": str(port)}
    command = [str(installed / "bin" / "integriteitsbot"), "serve", "--dev"]
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}"


async def test_the_installed_service_answers_healthz(installed, tmp_path):
    process, url = start(installed, tmp_path)
    try:
        body = await healthz(process, url)
        assert body["status"] == "ok" and body["packs"]["kortrijk"] > 0
    finally:
        process.terminate()
        process.wait(30)
