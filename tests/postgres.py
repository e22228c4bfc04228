"""A throwaway PostgreSQL 15 cluster in a temp dir, run as the postgres user: for tests/test_postgres.py and
bench/replicas.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.service import free_port

BIN = Path("/usr/lib/postgresql/15/bin")


def available() -> bool:
    """Whether a cluster can be started here: the PostgreSQL 15 binaries, runuser, and root to use it."""
    return (BIN / "initdb").exists() and shutil.which("runuser") is not None and os.geteuid() == 0


def as_postgres(*argv: str) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the postgres user (initdb refuses root)."""
    return subprocess.run(["runuser", "-u", "postgres", "--", *argv], capture_output=True, text=True, check=True)


def psql(port: int, command: str) -> None:
    """One SQL command on the cluster, as the postgres user."""
    as_postgres(str(BIN / "psql"), "-h", "127.0.0.1", "-p", str(port), "-c", command)


@contextmanager
def cluster(prefix: str = "pg-", options: str = "") -> Iterator[int]:
    """A cluster on a loopback port (fsync off: nothing of it is kept), stopped and removed afterwards; `options`
    are more server settings ("-c max_connections=200")."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    as_postgres(str(BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    settings = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off {options}".strip()
    as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-o", settings, "-l", str(folder / "log"), "-w", "start")
    try:
        yield port
    finally:
        as_postgres(str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)
