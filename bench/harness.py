"""Shared helpers for the load and fuzz benchmarks: loopback ports, service subprocesses, /proc figures, a trap."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
LOOPBACK = "127.0.0.1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Environment variables that would switch the service out of development mode or point it somewhere else.
SCRUBBED = ("MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppType", "MicrosoftAppTenantId", "PORT", "HOST")
ISOLATED = "INTEGRITEITSBOT_BENCH_NETNS"  # set in the re-run inside a private network namespace
_running: list[Service] = []


def _loopback_up() -> None:
    """Bring `lo` up (a new network namespace starts with it down), as `ip link set lo up` would."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh22x", b"lo", 0)
        flags = struct.unpack_from("16sh", fcntl.ioctl(sock, siocgifflags, request))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack("16sh22x", b"lo", flags | iff_up))


def isolate_network(enabled: bool = True) -> bool:
    """Re-run this script in a private network namespace whose only interface is loopback, when the system allows
    it (unshare -rn); returns whether this process is isolated. The servers it starts inherit the namespace, so
    nothing they do, whatever the input, can reach beyond this machine's loopback."""
    if os.environ.get(ISOLATED) == "1":
        _loopback_up()
        return True
    unshare = shutil.which("unshare")
    if not enabled or unshare is None:
        return False
    probe = subprocess.run([unshare, "--user", "--map-root-user", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        return False
    os.environ[ISOLATED] = "1"
    sys.stdout.flush()
    os.execv(unshare, [unshare, "--user", "--map-root-user", "--net", "--", sys.executable, *sys.argv])
    return False  # not reached


def venv_bin() -> Path:
    """The bin directory of the project's virtual environment: this interpreter's, or .venv/bin of the checkout."""
    here = Path(sys.executable).parent
    return here if (here / "integriteitsbot").exists() else ROOT / ".venv" / "bin"


def free_port() -> int:
    """A loopback TCP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The value below which this share of the values lies (nan for no values)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def child_env(trap_port: int | None, **extra: str) -> dict[str, str]:
    """An environment for a benchmarked server: development mode on loopback. Given a trap port (when the run is
    not isolated in its own network namespace), every request to another host is sent there through the proxy
    variables (requests, and aiohttp with trust_env, honour them), so nothing reaches beyond this machine."""
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env = {key: value for key, value in env.items() if not key.lower().endswith("_proxy")}
    if trap_port is not None:
        trap = f"http://{LOOPBACK}:{trap_port}"
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            env[name] = env[name.lower()] = trap
        env["NO_PROXY"] = env["no_proxy"] = f"{LOOPBACK},localhost"
    env["HOST"] = LOOPBACK
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the benchmark dies, even by SIGKILL (Linux only)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Service:
    """A server under test, run as its own process so that its memory and CPU are its own."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    stderr_path: Path
    process: subprocess.Popen | None = None
    spawned_at: float = 0.0
    startup_s: float = float("nan")

    @property
    def url(self) -> str:
        """The server's base URL on loopback."""
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int:
        """The process id of the running server."""
        assert self.process is not None
        return self.process.pid

    def spawn(self) -> None:
        """Start the process; stdout is discarded, stderr goes to a file for later inspection."""
        with open(self.stderr_path, "ab") as stderr:
            self.spawned_at = time.perf_counter()
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # Ctrl-C reaches the benchmark, which then stops the servers itself
                preexec_fn=_die_with_parent,
            )
        _running.append(self)

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process is not None and self.process.poll() is None

    def stop(self, grace: float = 8.0) -> None:
        """SIGTERM, then SIGKILL after `grace` seconds; safe to call twice."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
                self.process.wait()
        if self in _running:
            _running.remove(self)

    def memory_mib(self) -> tuple[float, float]:
        """Current (VmRSS) and peak (VmHWM) resident memory in MiB."""
        values = {}
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0]) / 1024
        return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the process (all threads) so far."""
        return proc_cpu_seconds(self.pid)

    def stderr_tail(self, lines: int = 20) -> str:
        """The last lines the process wrote to stderr."""
        try:
            return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    async def wait_healthy(self, path: str = "/healthz", within: float = 60.0) -> float:
        """Poll GET `path` until it answers 200; returns (and stores) the seconds since spawn."""
        deadline = time.perf_counter() + within
        async with ClientSession(timeout=ClientTimeout(total=2)) as http:
            while time.perf_counter() < deadline:
                if not self.alive():
                    raise RuntimeError(f"{self.name} exited during start-up:\n{self.stderr_tail()}")
                try:
                    async with http.get(self.url + path) as response:
                        if response.status == 200:
                            self.startup_s = time.perf_counter() - self.spawned_at
                            return self.startup_s
                except (TimeoutError, ClientError, OSError):
                    pass
                await asyncio.sleep(0.005)
        raise RuntimeError(f"{self.name} did not answer {path} within {within:.0f} s:\n{self.stderr_tail()}")


def proc_cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def project_service(folder: Path, trap_port: int | None, port: int | None = None) -> Service:
    """The project's service: `integriteitsbot serve` in development mode on a fresh SQLite database."""
    port = port or free_port()
    env = child_env(
        trap_port,
        DATABASE_URL=f"sqlite+aiosqlite:///{folder}/b.db",
        INTEGRITEITSBOT_ORG="voorbeeldgemeente",
        OUTBOX_INTERVAL="1",
        LOG_LEVEL="WARNING",
    )
    argv = [str(venv_bin() / "integriteitsbot"), "serve", "--dev", "--port", str(port)]
    return Service("project", argv, env, port, folder / "project.stderr")


def script_service(name: str, script: str, folder: Path, trap_port: int | None, *args: str) -> Service:
    """A helper server from bench/ (echo bot, fake connector) run with the venv's python."""
    port = free_port()
    argv = [str(venv_bin() / "python"), str(BENCH / script), "--port", str(port), *args]
    return Service(name, argv, child_env(trap_port, LOG_LEVEL="WARNING"), port, folder / f"{name}.stderr")


def commit() -> str:
    """The checkout's commit, marked when the tree has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%h"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes" if dirty else "")


def stop_all() -> None:
    """Stop every server this process started (also registered with atexit)."""
    for service in list(_running):
        service.stop()


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM/SIGHUP: leave through the normal clean-up path."""
    raise SystemExit(128 + signum)


def install_cleanup() -> None:
    """Make sure the servers stop on normal exit, on an exception, on Ctrl-C and on SIGTERM/SIGHUP."""
    atexit.register(stop_all)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)


@dataclass
class OutboundTrap:
    """A loopback stand-in for every host that is not loopback: it counts each attempt and refuses it with 502."""

    port: int = 0
    attempts: Counter = field(default_factory=Counter)
    server: asyncio.Server | None = None

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self.server = await asyncio.start_server(self._refuse, LOOPBACK, 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _refuse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), 5)
            parts = line.decode("latin-1").split()
            self.attempts[" ".join(parts[:2]) if parts else "?"] += 1
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
        except (TimeoutError, OSError):
            pass
        finally:
            writer.close()

    async def close(self) -> None:
        """Stop listening."""
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


def run_until_done(work: Coroutine[Any, Any, None]) -> None:
    """Run a benchmark's coroutine; Ctrl-C or SIGTERM stops it, and every server it started stops with it."""
    install_cleanup()
    try:
        asyncio.run(work)
    except KeyboardInterrupt:
        print("\ninterrupted; servers stopped", file=sys.stderr)
        sys.exit(130)
    finally:
        stop_all()
