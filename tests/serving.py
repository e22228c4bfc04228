"""`integriteitsbot serve` itself in a process of its own, with only the settings a test gives it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, ClientTimeout

from tests.service import ROOT, free_port


def serve(tmp_path: Path, *args: str, **env: str) -> tuple[subprocess.Popen, str, Path]:
    """`integriteitsbot serve` on a free loopback port, on the wall clock, with none of the service's variables
    from this process but the given ones; returns the process, its URL and its log file."""
    port = free_port()
    ours = ("INTEGRITEITSBOT_", "Microsoft", "SLACK_", "SMTP_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    variables = {
        **clean,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/serve-{port}.db",
        **env,
    }
    with (tmp_path / f"serve-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", *args],
            cwd=ROOT,
            env=variables,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    return process, f"http://127.0.0.1:{port}", tmp_path / f"serve-{port}.log"


async def healthz(process: subprocess.Popen, url: str) -> dict[str, Any]:
    """Wait until the served process answers /healthz; its answer."""
    async with ClientSession(timeout=ClientTimeout(total=2)) as http:
        for _ in range(600):
            assert process.poll() is None, "serve exited"
            try:
                async with http.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return await response.json()
            except (TimeoutError, OSError):
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("serve did not answer /healthz")


def stop(process: subprocess.Popen, log: Path) -> str:
    """Stop the served process (SIGTERM) and return its log."""
    if process.poll() is None:
        process.terminate()
        process.wait(30)
    return log.read_text(errors="replace")
