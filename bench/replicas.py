"""Replicas benchmark (run by hand): throughput of one and two `serve` processes on PostgreSQL 15, next to one on
SQLite, with the fake Bot Connector of bench/load.py. Two phases per setting: questions (every turn a lookup and a
read of the flow state) from 10 conversations, and 60 reports filed 10 at a time (writes: the case, its outbox rows,
the flow marker). Conversations stick to a replica, as a load balancer with affinity would send them; the outbox
workers of both replicas deliver the notifications between them.

    python -m bench.replicas [--seconds 8] [--reports 60]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from aiohttp import ClientSession, ClientTimeout

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as `python bench/replicas.py`
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/load.py imports its neighbours by their names
from bench.harness import install_cleanup, project_service, script_service, stop_all
from bench.load import CLIENT_TIMEOUT_S, Result, Target, many_reports, throughput, warm_up
from tests import postgres


async def run_setting(name: str, database_url: str, replicas: int, folder: Path, seconds: float, reports: int) -> list:
    """Start the replicas on one database, drive both phases, and return the table row."""
    connector = script_service("connector", "connector.py", folder, None)
    connector.spawn()
    await connector.wait_healthy()
    services = []
    for number in range(replicas):
        service = project_service(folder, None)
        service.env["DATABASE_URL"] = database_url
        service.env["INTEGRITEITSBOT_SECRET_FILE"] = str(folder / "secret.key")  # one secret for all replicas
        service.env["OUTBOX_INTERVAL"] = "0.5"
        service.name = "project"
        service.stderr_path = folder / f"replica-{number}.stderr"
        service.spawn()
        await service.wait_healthy()  # one after the other: the first creates the secret and migrates
        services.append(service)
    async with ClientSession(timeout=ClientTimeout(total=CLIENT_TIMEOUT_S)) as http:
        targets = [Target(service, connector.url + "/", http) for service in services]
        for target in targets:
            await warm_up(target)
        pids = {f"replica{n}": s.pid for n, s in enumerate(services)}
        per = max(1, 10 // replicas)
        asked = await asyncio.gather(*(throughput(t, per, seconds, pids, f"q{n}") for n, t in enumerate(targets)))
        filed = await asyncio.gather(
            *(many_reports(t, reports // replicas, max(1, 10 // replicas), f"r{n}") for n, t in enumerate(targets))
        )
    for service in services:
        service.stop()
    connector.stop()
    questions = sum(r.rate for r in asked)
    filed_rate = sum(r.turns for r in filed) / max(r.seconds for r in filed)
    errors = sum(r.errors for r in asked) + sum(r.errors for r in filed)
    latencies = Result(latencies=[v for r in asked for v in r.latencies])
    return [name, replicas, questions, latencies.ms(0.5), latencies.ms(0.99), filed_rate, errors]


async def main_async(seconds: float, reports: int) -> None:
    """Every setting, then the table."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows.append(await run_setting("SQLite", f"sqlite+aiosqlite:///{folder}/bench.db", 1, folder, seconds, reports))
        if not postgres.available():
            print("PostgreSQL 15 binaries (or root, to run them as postgres) missing: SQLite only.")
        else:
            with postgres.cluster("bench-pg-", "-c max_connections=200") as port:
                for replicas in (1, 2):
                    database = f"bench{replicas}"
                    postgres.psql(port, f"CREATE DATABASE {database}")
                    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/{database}"
                    rows.append(await run_setting("PostgreSQL 15", url, replicas, folder, seconds, reports))
    head = ("database", "replicas", "questions/s", "p50 ms", "p99 ms", "reports/s", "errors")
    print("\n" + f"{head[0]:<14} " + " ".join(f"{h:>{w}}" for h, w in zip(head[1:], (8, 12, 8, 8, 10, 7), strict=True)))
    for name, replicas, questions, p50, p99, filed, errors in rows:
        print(f"{name:<14} {replicas:>8} {questions:>12.1f} {p50:>8.1f} {p99:>8.1f} {filed:>10.1f} {errors:>7}")


def main() -> None:
    """Run the benchmark."""
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--seconds", type=float, default=8.0, help="length of the questions phase")
    options.add_argument("--reports", type=int, default=60, help="reports filed per setting")
    args = options.parse_args()
    install_cleanup()
    try:
        asyncio.run(main_async(args.seconds, args.reports))
    finally:
        stop_all()


if __name__ == "__main__":
    main()
