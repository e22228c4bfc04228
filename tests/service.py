"""The service in a process of its own, on the test clock: for tests that kill it or read its whole log."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout, web

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Service:
    """A running service process: its URL, its log file, and a way to kill it without warning."""

    process: subprocess.Popen
    url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no cleanup, no flush, as a crash or an OOM kill."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def output(self) -> str:
        """Everything the service logged so far."""
        return self.log.read_text(errors="replace")


async def start_service(tmp: Path, database_url: str, **env: str) -> Service:
    """Start `python -m tests.service` on a free loopback port and wait until /healthz answers."""
    port = free_port()
    log = tmp / f"service-{port}.log"
    variables = {
        **os.environ,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "DATABASE_URL": database_url,
        "INTEGRITEITSBOT_ORG": "kortrijk",
        "OUTBOX_INTERVAL": "0.05",
        "INTEGRITEITSBOT_DEV": "1",  # the tests talk to /api/messages without tokens
        **env,
    }
    for name in ("MicrosoftAppId", "MicrosoftAppPassword"):
        variables.pop(name, None)
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: ASYNC220 - starting a process does not wait for it
            [sys.executable, "-m", "tests.service"], cwd=ROOT, env=variables, stdout=out, stderr=subprocess.STDOUT
        )
    service = Service(process, f"http://127.0.0.1:{port}", log)
    async with ClientSession(timeout=ClientTimeout(total=1)) as http:
        for _ in range(200):
            if process.poll() is not None:
                raise AssertionError(f"service exited: {service.output()}")
            try:
                async with http.get(f"{service.url}/healthz") as response:
                    if response.status == 200:
                        return service
            except (TimeoutError, OSError):
                pass
            await asyncio.sleep(0.05)
    service.kill()
    raise AssertionError(f"service did not start: {service.output()}")


SHIFT_FILE = "INTEGRITEITSBOT_TEST_CLOCK_SHIFT_FILE"  # a file holding seconds the service's clock is moved on by


def main() -> None:
    """Serve the app from the environment's settings, on the clock the test suite uses; a test moves that clock
    on by writing seconds to the file named by INTEGRITEITSBOT_TEST_CLOCK_SHIFT_FILE."""
    from datetime import timedelta

    from bot import logs
    from bot.app import create_app
    from bot.clock import BRUSSELS, FixedClock
    from bot.settings import Settings
    from tests.conftest import OPENING_TIME, fixed_today

    class ShiftedClock(FixedClock):
        """The test clock, moved on by what the shift file says when it is there."""

        def now(self) -> datetime:
            shift = Path(os.environ.get(SHIFT_FILE) or "/nonexistent")
            seconds = float(shift.read_text() or 0) if shift.is_file() else 0.0
            return super().now() + timedelta(seconds=seconds)

    settings = Settings.from_env()
    logs.configure(settings.log_level)
    clock = ShiftedClock(datetime.combine(fixed_today(), OPENING_TIME, BRUSSELS))
    web.run_app(create_app(settings, clock=clock), host=settings.host, port=settings.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
