"""The container image as written in deploy/Dockerfile: two stages, a slim base, a non-root user, one data volume,
a health check on /healthz, the locked dependencies with their hashes. Where no container engine runs (CI, this
machine), the image's entrypoint, environment, working directory and health check are run on the host the way the
image runs them: the installed project, its tree read-only, writing only the data directory."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
from pathlib import Path

from tests.service import free_port
from tests.serving import healthz

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "deploy" / "Dockerfile"


def stages() -> list[list[str]]:
    """The Dockerfile's instructions per stage (continuation lines joined, comments left out)."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    found: list[list[str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("FROM "):
            found.append([])
        if found:
            found[-1].append(line)
    return found


def final() -> dict[str, list[str]]:
    """The last stage's instructions by keyword."""
    by_key: dict[str, list[str]] = {}
    for line in stages()[-1]:
        key, _, rest = line.partition(" ")
        by_key.setdefault(key, []).append(rest)
    return by_key


def image_env() -> dict[str, str]:
    """The ENV of the final stage, as the container gets it."""
    env: dict[str, str] = {}
    for rest in final()["ENV"]:
        for pair in shlex.split(rest):
            name, _, value = pair.partition("=")
            env[name] = value
    return env


def test_the_dockerfile_is_two_stages_with_a_non_root_user_a_volume_and_a_health_check():
    build, last = stages()
    assert build[0].startswith("FROM ${BASE} AS build") and last[0] == "FROM ${BASE}"
    assert "python:3.11-slim" in DOCKERFILE.read_text(encoding="utf-8")
    assert any("--require-hashes -r requirements.lock" in line for line in build)
    steps = final()
    assert steps["USER"] == ["integriteitsbot"] and steps["VOLUME"] == ["/data"] and steps["WORKDIR"] == ["/data"]
    assert "apt-get" not in " ".join(last)  # no compiler or build tools in the final stage
    assert any("healthz" in check for check in steps["HEALTHCHECK"])
    assert json.loads(steps["ENTRYPOINT"][0]) == ["integriteitsbot"] and json.loads(steps["CMD"][0]) == ["serve"]


def read_only(tree: Path) -> None:
    """Take away every write permission in a tree, as a read-only root filesystem would."""
    for path in [tree, *tree.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def start(installed: Path, data: Path, env: dict[str, str]) -> subprocess.Popen:
    """The image's ENTRYPOINT and CMD (in development mode: no Azure here), in the volume as working directory."""
    entrypoint = json.loads(final()["ENTRYPOINT"][0]) + json.loads(final()["CMD"][0])
    return subprocess.Popen(
        [*entrypoint, "--dev"], cwd=data, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def health_check(installed: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The image's HEALTHCHECK command, as the engine runs it, against this run's port instead of 3978."""
    check = json.loads(final()["HEALTHCHECK"][0].split(" CMD ", 1)[1])
    check = [part.replace(":3978/", f":{env['PORT']}/") for part in check]
    check[0] = str(installed / "bin" / check[0])
    return subprocess.run(check, env=env, capture_output=True, text=True, check=False)


async def test_the_entrypoint_runs_as_the_image_runs_it(installed, tmp_path):
    data = tmp_path / "data"  # the volume
    data.mkdir(mode=0o700)
    env = {key: value.replace("/data", str(data)) for key, value in image_env().items()}
    env |= {"PATH": f"{installed / 'bin'}:{os.environ['PATH']}", "PORT": str(free_port()), "HOST": "127.0.0.1"}
    read_only(installed)
    before = sorted(str(p) for p in installed.rglob("*"))
    process = start(installed, data, env)
    try:
        await healthz(process, f"http://127.0.0.1:{env['PORT']}")
        done = health_check(installed, env)
        assert done.returncode == 0, done.stderr
    finally:
        process.terminate()
        process.wait(30)
    assert (data / "integriteitsbot.db").exists() and (data / "secret.key").exists()
    assert sorted(str(p) for p in installed.rglob("*")) == before  # nothing written outside the volume
