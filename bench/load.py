"""Load benchmark (run by hand): the project's service and a bare botbuilder echo bot, side by side (issue 8).

Every server runs as its own process (so RSS and CPU are its own): the echo bot (bench/echo_bot.py), the project
(`integriteitsbot serve`, development mode, a fresh SQLite file) and a fake Bot Connector (bench/connector.py) that
is the serviceUrl of every activity. This process only generates load. Turn latency is the duration of one
POST /api/messages: botbuilder sends the replies to the connector before the POST returns.

    python bench/load.py [--quick] [--seconds N] [--typing-seconds N] [--reports N] [--seed S]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, ClientTimeout, TCPConnector
from flows import ANSWERS  # bench/flows.py: the answers of one anonymous report, "verzenden" last
from harness import (
    OutboundTrap,
    Service,
    commit,
    isolate_network,
    percentile,
    proc_cpu_seconds,
    project_service,
    run_until_done,
    script_service,
)

QUESTIONS = [
    "mag ik een fles wijn aannemen?",
    "de pers belt me",
    "wie is mijn vertrouwenspersoon",
    "mag ik een bijjob doen?",
    "mag ik thuiswerken?",
    "mag ik een cadeaubon van een leverancier houden?",
]
# Questions only, none that starts a flow: every turn runs the lookup with its sentence encoder (issue 20).
LOOKUPS = [question for question in QUESTIONS if "vertrouwenspersoon" not in question]
ECHO_TEXTS = ["hallo", "dit is een gewone zin van een gebruiker", "nog eentje", "tot straks"]
REFERENCE = re.compile(r"\bM-\d{4}-\d{4,}\b")
STORE_FAILED = "lukte nu niet"
SUMMARY = "Dit is je melding"
KEEP = "keep-"  # the fake connector keeps the replies to activities whose id starts with this
MB_IN_MIB = 1_000_000 / 1024 / 1024
GOAL_RATIO = 0.8
GOAL_TYPING_P99_MS = 100.0
GOAL_CONFIRM_P99_MS = 1000.0
GOAL_STARTUP_S = 2.0
GOAL_RSS_MB = 200.0
CLIENT_TIMEOUT_S = 60.0


@dataclass
class Target:
    """One bot under test and how to talk to it as the Bot Connector would."""

    service: Service
    connector_url: str
    http: ClientSession
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def name(self) -> str:
        """echo or project."""
        return self.service.name

    def activity(self, conversation: str, user: str, text: str, keep: bool = False) -> dict[str, Any]:
        """A Teams personal-chat message activity from `user` in `conversation`."""
        number = next(self.ids)
        return {
            "type": "message",
            "id": f"{KEEP if keep else 'act-'}{number}",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "serviceUrl": self.connector_url,
            "channelId": "msteams",
            "from": {"id": f"29:{user}", "name": "Bench Gebruiker", "aadObjectId": f"aad-{user}"},
            "conversation": {"id": f"a:{conversation}", "conversationType": "personal", "tenantId": "tenant-bench"},
            "recipient": {"id": "28:bot", "name": "Integriteitsbot"},
            "locale": "nl-BE",
            "channelData": {"tenant": {"id": "tenant-bench"}},
            "text": text,
        }

    async def post(self, activity: dict[str, Any]) -> tuple[int, float]:
        """POST one activity; returns the status (0 for a client error or timeout) and the seconds it took."""
        started = time.perf_counter()
        try:
            async with self.http.post(self.service.url + "/api/messages", json=activity) as response:
                await response.read()
                status = response.status
        except Exception:  # a failed turn is a figure, not a crash
            status = 0
        return status, time.perf_counter() - started

    async def replies(self, activity: dict[str, Any]) -> list[str]:
        """The texts the bot posted to the connector in reply to a kept activity."""
        async with self.http.get(f"{self.connector_url}_bench/replies/{activity['id']}") as response:
            return await response.json()


def ok(status: int) -> bool:
    """Whether an HTTP status is 2xx."""
    return 200 <= status < 300


@dataclass
class CpuMeter:
    """CPU used by the server, the connector and this load generator over one phase, as % of one core."""

    pids: dict[str, int]
    started: float = 0.0
    before: dict[str, float] = field(default_factory=dict)
    share: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> CpuMeter:
        self.started = time.perf_counter()
        self.before = {name: proc_cpu_seconds(pid) for name, pid in self.pids.items()}
        return self

    def __exit__(self, *_exc: object) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        for name, pid in self.pids.items():
            self.share[name] = 100 * (proc_cpu_seconds(pid) - self.before[name]) / elapsed


@dataclass
class Result:
    """The figures of one phase against one target."""

    turns: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    cpu: dict[str, float] = field(default_factory=dict)

    def record(self, status: int, elapsed: float) -> None:
        """Count one turn: its latency when it succeeded, its status when it did not."""
        if ok(status):
            self.turns += 1
            self.latencies.append(elapsed)
        else:
            self.errors += 1
            self.failures[f"status {status}"] += 1

    @property
    def rate(self) -> float:
        """Successful turns per second."""
        return self.turns / self.seconds if self.seconds else float("nan")

    def ms(self, share: float) -> float:
        """A latency percentile in milliseconds."""
        return 1000 * percentile(self.latencies, share)


def texts_for(target: Target) -> list[str]:
    """What a user types: lookup questions for the project, plain text for the echo bot."""
    return QUESTIONS if target.name == "project" else ECHO_TEXTS


async def throughput(
    target: Target, conversations: int, seconds: float, pids: dict[str, int], tag: str, lookups: bool = False
) -> Result:
    """Each conversation sends messages back to back for `seconds`; successful turns per second over all of them.
    `lookups`: the project gets only questions, so every turn runs the lookup (the echo bot its plain text)."""
    result = Result()
    texts = LOOKUPS if lookups and target.name == "project" else texts_for(target)
    deadline = 0.0

    async def conversation(number: int) -> None:
        user = f"{tag}-u{number}"
        for turn in itertools.count(number):
            if time.perf_counter() >= deadline:
                return
            result.record(*await target.post(target.activity(f"{tag}-c{number}", user, texts[turn % len(texts)])))

    with CpuMeter(pids) as meter:
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(*(conversation(n) for n in range(conversations)))
        result.seconds = time.perf_counter() - started
    result.cpu = meter.share
    return result


async def typing(target: Target, users: int, seconds: float, seed: int, pids: dict[str, int], tag: str) -> Result:
    """`users` people typing, each pausing 1–5 s (seeded) before every message, for `seconds`."""
    result = Result()
    texts = texts_for(target)

    async def person(number: int, deadline: float) -> None:
        rng = random.Random(seed * 1000 + number)
        for turn in itertools.count():
            pause = rng.uniform(1.0, 5.0)
            if time.perf_counter() + pause >= deadline:
                return
            await asyncio.sleep(pause)
            text = texts[(number + turn) % len(texts)]
            result.record(*await target.post(target.activity(f"{tag}-c{number}", f"{tag}-u{number}", text)))

    with CpuMeter(pids) as meter:
        started = time.perf_counter()
        await asyncio.gather(*(person(n, started + seconds) for n in range(users)))
        result.seconds = time.perf_counter() - started
    result.cpu = meter.share
    return result


class Gate:
    """Holds every reporter at the summary until all have arrived, then lets them confirm at the same moment."""

    def __init__(self, parties: int):
        self.parties = parties
        self.arrived = 0
        self.open = asyncio.Event()

    async def arrive(self) -> None:
        """Wait until all parties have arrived."""
        self.arrived += 1
        if self.arrived >= self.parties:
            self.open.set()
        await self.open.wait()


async def report(target: Target, name: str, gate: Gate | None, result: Result) -> None:
    """One anonymous report: the answers of bench/flows.py one by one, then "verzenden" (after the gate)."""
    *steps, confirm = ANSWERS
    reached_summary = target.name != "project"
    try:
        for number, answer in enumerate(steps):
            last = number == len(steps) - 1 and target.name == "project"
            activity = target.activity(name, f"{name}-u", answer, keep=last)
            status, _ = await target.post(activity)
            if not ok(status):
                result.failures[f"step '{answer[:20]}' status {status}"] += 1
            elif last:
                reached_summary = any(SUMMARY in text for text in await target.replies(activity))
    finally:
        if gate is not None:
            await gate.arrive()
    activity = target.activity(name, f"{name}-u", confirm, keep=True)
    status, elapsed = await target.post(activity)
    result.latencies.append(elapsed)
    texts = await target.replies(activity)
    if not ok(status):
        kind = f"confirm status {status}"
    elif target.name != "project":
        kind = ""  # the echo bot files nothing: only its status counts
    elif any(STORE_FAILED in text for text in texts):
        kind = f"'{STORE_FAILED}'"
    elif not any(REFERENCE.search(text) for text in texts):
        kind = "no reference" + ("" if reached_summary else " (summary not reached)")
    else:
        kind = ""
    if kind:
        result.errors += 1
        result.failures[kind] += 1
    else:
        result.turns += 1


async def confirms(target: Target, reporters: int, pids: dict[str, int], tag: str) -> Result:
    """`reporters` people file a report at once: all confirm at the same moment; latency of that last POST."""
    result = Result()
    gate = Gate(reporters)
    with CpuMeter(pids) as meter:
        started = time.perf_counter()
        await asyncio.gather(*(report(target, f"{tag}-r{n}", gate, result) for n in range(reporters)))
        result.seconds = time.perf_counter() - started
    result.cpu = meter.share
    return result


async def many_reports(target: Target, total: int, at_a_time: int, tag: str) -> Result:
    """File `total` reports, `at_a_time` in parallel, each confirming as soon as it reaches its summary."""
    result = Result()
    limit = asyncio.Semaphore(at_a_time)

    async def one(number: int) -> None:
        async with limit:
            await report(target, f"{tag}-r{number}", None, result)

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(total)))
    result.seconds = time.perf_counter() - started
    return result


async def start(service: Service, settle: float) -> tuple[float, tuple[float, float]]:
    """Spawn a server and wait for /healthz; returns the start-up seconds and the idle (RSS, HWM) after `settle` s."""
    service.spawn()
    startup = await service.wait_healthy()
    await asyncio.sleep(settle)
    return startup, service.memory_mib()


async def warm_up(target: Target) -> None:
    """A few turns so that lazy imports and first-use caches are not measured."""
    texts = texts_for(target)
    for number in range(20):
        await target.post(target.activity("warm", "warm-u", texts[number % len(texts)]))


def say(text: str) -> None:
    """A progress line with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def fmt(value: float, digits: int = 1) -> str:
    """A number for the table, or '-' when there is none."""
    return "-" if value != value else f"{value:.{digits}f}"  # nan check


def verdict(met: bool) -> str:
    """The met/not met column."""
    return "met" if met else "NOT MET"


def print_table(rows: list[tuple[str, str, str, str, str, str]]) -> None:
    """Print rows of (figure, echo, project, ratio, goal, met) as an aligned table."""
    header = ("figure", "echo", "project", "project/echo", "goal (issue 8)", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(6)]
    line = "  ".join("-" * width for width in widths)
    print(line)
    for index, row in enumerate([header, *rows]):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i]) for i, cell in enumerate(row[1:4], 1)]
        cells += [row[4].ljust(widths[4]), row[5]]
        print("  ".join(cells).rstrip())
        if index == 0:
            print(line)
    print(line)


async def run(args: argparse.Namespace) -> None:
    """Start the servers, run every phase against both bots and print the table."""
    trap = OutboundTrap()
    await trap.start()
    trap_port = None if args.isolated else trap.port  # isolated: nothing beyond loopback exists to be reached
    with tempfile.TemporaryDirectory(prefix="integriteitsbot-load-") as tmp:
        folder = Path(tmp)
        connector = script_service("connector", "connector.py", folder, trap_port)
        echo = script_service("echo", "echo_bot.py", folder, trap_port)
        project = project_service(folder, trap_port)
        try:
            figures = await run_phases(args, connector, echo, project)
        finally:
            for service in (project, echo, connector):
                service.stop()
            await trap.close()
    print_report(args, figures, trap)


@dataclass
class Figures:
    """Everything measured in one run."""

    startup: dict[str, float] = field(default_factory=dict)
    idle: dict[str, tuple[float, float]] = field(default_factory=dict)
    end: dict[str, tuple[float, float]] = field(default_factory=dict)
    after_reports: tuple[float, float] = (float("nan"), float("nan"))
    filed: Result = field(default_factory=Result)
    throughput: dict[tuple[str, int], Result] = field(default_factory=dict)
    lookups: dict[str, Result] = field(default_factory=dict)  # 10 conversations asking only questions
    typing: dict[str, Result] = field(default_factory=dict)
    confirms: dict[tuple[str, int], Result] = field(default_factory=dict)
    connector: dict[str, int] = field(default_factory=dict)


async def run_phases(args: argparse.Namespace, connector: Service, echo: Service, project: Service) -> Figures:
    """Every phase: start-up and idle memory, the reports for the memory figure, then speed, then confirms."""
    figures = Figures()
    connector.spawn()
    await connector.wait_healthy()
    for service in (echo, project):
        say(f"starting the {service.name}")
        figures.startup[service.name], figures.idle[service.name] = await start(service, settle=1.0)
    timeout = ClientTimeout(total=CLIENT_TIMEOUT_S)
    async with ClientSession(connector=TCPConnector(limit=0), timeout=timeout) as http:
        targets = {service.name: Target(service, connector.url + "/", http) for service in (echo, project)}
        pids = {
            name: {"server": target.service.pid, "connector": connector.pid, "loadgen": os.getpid()}
            for name, target in targets.items()
        }
        say(f"project: {args.reports} reports, {args.at_a_time} at a time (memory)")
        figures.filed = await many_reports(targets["project"], args.reports, args.at_a_time, "mem")
        figures.after_reports = project.memory_mib()
        for target in targets.values():
            await warm_up(target)
        for level in (1, 10, 50):
            for name, target in targets.items():
                say(f"{name}: throughput, {level} conversation(s), {args.seconds:g} s")
                figures.throughput[name, level] = await throughput(target, level, args.seconds, pids[name], f"t{level}")
        for name, target in targets.items():
            say(f"{name}: throughput, questions only, 10 conversations, {args.seconds:g} s")
            figures.lookups[name] = await throughput(target, 10, args.seconds, pids[name], "lk", lookups=True)
        for name, target in targets.items():
            say(f"{name}: 50 users typing with 1–5 s pauses, {args.typing_seconds:g} s")
            figures.typing[name] = await typing(target, 50, args.typing_seconds, args.seed, pids[name], "typ")
        for reporters in (10, 50):
            for name, target in targets.items():
                say(f"{name}: {reporters} reporters confirming at the same moment")
                figures.confirms[name, reporters] = await confirms(target, reporters, pids[name], f"cf{reporters}")
        figures.end = {"echo": echo.memory_mib(), "project": project.memory_mib()}
        async with http.get(connector.url + "/_bench/stats") as response:
            figures.connector = await response.json()
    return figures


Row = tuple[str, str, str, str, str, str]


def compared(label: str, echo: float, project: float, digits: int = 1, goal: str = "", met: bool | None = None) -> Row:
    """A table row: the echo and project figures, their ratio, and the goal with its verdict."""
    ratio = project / echo if echo else float("nan")
    return label, fmt(echo, digits), fmt(project, digits), fmt(ratio, 2), goal, "" if met is None else verdict(met)


def table_rows(args: argparse.Namespace, f: Figures) -> list[Row]:
    """The rows of the summary table."""
    rows: list[Row] = []
    for level in (1, 10, 50):
        e, p = f.throughput["echo", level], f.throughput["project", level]
        label = f"throughput, {level} conversation{'s' if level > 1 else ''} (turns/s)"
        rows.append(compared(label, e.rate, p.rate, 1, ">= 0.80 of echo", p.rate >= GOAL_RATIO * e.rate))
    e, p = f.lookups["echo"], f.lookups["project"]
    rows.append(compared("throughput, questions only, 10 conv. (turns/s)", e.rate, p.rate, 1))
    e, p = f.typing["echo"], f.typing["project"]
    rows.append(compared("turn p50, 50 typing users (ms)", e.ms(0.5), p.ms(0.5), 2))
    met = p.ms(0.99) < GOAL_TYPING_P99_MS and not p.errors
    rows.append(compared("turn p99, 50 typing users (ms)", e.ms(0.99), p.ms(0.99), 2, "< 100 ms", met))
    e, p = f.confirms["echo", 10], f.confirms["project", 10]
    rows.append(compared("confirm p50, 10 reporters (ms)", e.ms(0.5), p.ms(0.5)))
    met = p.ms(0.99) < GOAL_CONFIRM_P99_MS
    rows.append(compared("confirm p99, 10 reporters (ms)", e.ms(0.99), p.ms(0.99), 1, "< 1000 ms", met))
    rows.append(("confirm failures, 10 reporters", str(e.errors), str(p.errors), "", "", ""))
    e, p = f.confirms["echo", 50], f.confirms["project", 50]
    rows.append(compared("confirm p99, 50 reporters (ms)", e.ms(0.99), p.ms(0.99)))
    rows.append(("confirm failures, 50 reporters", str(e.errors), str(p.errors), "", "0", verdict(p.errors == 0)))
    e_s, p_s = f.startup["echo"], f.startup["project"]
    rows.append(compared("start-up to /healthz 200 (s)", e_s, p_s, 3, "< 2 s", p_s < GOAL_STARTUP_S))
    rows.append(compared("RSS idle after start-up (MiB)", f.idle["echo"][0], f.idle["project"][0]))
    goal_mib = GOAL_RSS_MB * MB_IN_MIB
    met_text = verdict(f.after_reports[0] < goal_mib) if args.reports >= 200 else "n/a (< 200 reports)"
    goal = f"< 200 MB ({goal_mib:.1f} MiB)"
    rows.append((f"RSS after {args.reports} reports (MiB)", "-", fmt(f.after_reports[0]), "", goal, met_text))
    rows.append((f"peak RSS (VmHWM) after {args.reports} reports (MiB)", "-", fmt(f.after_reports[1]), "", "", ""))
    rss_end = {name: f"{fmt(f.end[name][0])} / {fmt(f.end[name][1])}" for name in ("echo", "project")}
    rows.append(("RSS / VmHWM at the end of the run (MiB)", rss_end["echo"], rss_end["project"], "", "", ""))
    return rows


def print_report(args: argparse.Namespace, f: Figures, trap: OutboundTrap) -> None:
    """The summary table, then the details of every phase."""
    print()
    print(
        f"Integriteitsbot load benchmark — commit {args.commit}, {os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}; throughput {args.seconds:g} s per level, typing {args.typing_seconds:g} s, "
        f"seed {args.seed}{', QUICK' if args.quick else ''}"
    )
    network = "private namespace, loopback only" if args.isolated else "not isolated; other hosts go to the trap"
    print(f"network: {network}")
    print_table(table_rows(args, f))
    print("\ndetails (CPU as % of one core during the phase: server / fake connector / this load generator)")
    for level in (1, 10, 50):
        for name in ("echo", "project"):
            r = f.throughput[name, level]
            print(
                f"  throughput {level:>2} {name:<7}: {r.turns} turns in {r.seconds:.1f} s, errors {r.errors}"
                f"{failures_text(r)}, p50 {r.ms(0.5):.1f} ms, p99 {r.ms(0.99):.1f} ms, CPU {cpu_text(r)}"
            )
    for name in ("echo", "project"):
        r = f.lookups[name]
        print(
            f"  questions  10 {name:<7}: {r.turns} turns in {r.seconds:.1f} s, errors {r.errors}"
            f"{failures_text(r)}, p50 {r.ms(0.5):.1f} ms, p99 {r.ms(0.99):.1f} ms, CPU {cpu_text(r)}"
        )
    for name in ("echo", "project"):
        r = f.typing[name]
        print(
            f"  typing        {name:<7}: {r.turns} turns, errors {r.errors}{failures_text(r)}, "
            f"max {1000 * max(r.latencies, default=float('nan')):.1f} ms, CPU {cpu_text(r)}"
        )
    for reporters in (10, 50):
        for name in ("echo", "project"):
            r = f.confirms[name, reporters]
            print(
                f"  confirm {reporters:>2}    {name:<7}: ok {r.turns}, failed {r.errors}{failures_text(r)}, "
                f"p50 {r.ms(0.5):.0f} ms, p99 {r.ms(0.99):.0f} ms, "
                f"max {1000 * max(r.latencies, default=float('nan')):.0f} ms"
            )
    r = f.filed
    print(
        f"  {args.reports} reports ({args.at_a_time} at a time): ok {r.turns}, failed {r.errors}{failures_text(r)}, "
        f"{r.seconds:.1f} s, confirm p50 {r.ms(0.5):.0f} ms, p99 {r.ms(0.99):.0f} ms"
    )
    idle = {name: f"{fmt(f.idle[name][0])} / {fmt(f.idle[name][1])}" for name in ("echo", "project")}
    print(f"  idle after start-up, RSS / VmHWM (MiB): echo {idle['echo']}, project {idle['project']}")
    print(f"  fake connector received: {f.connector}")
    if not args.isolated:
        print(
            f"  attempts to reach a host beyond loopback (refused by the trap): {sum(trap.attempts.values())}"
            f"{' ' + str(dict(trap.attempts)) if trap.attempts else ''}"
        )


def failures_text(result: Result) -> str:
    """The kinds of failure of a phase, if any."""
    return f" ({', '.join(f'{kind}: {n}' for kind, n in result.failures.most_common(4))})" if result.failures else ""


def cpu_text(result: Result) -> str:
    """CPU shares of a phase."""
    return " / ".join(f"{result.cpu.get(name, float('nan')):.0f}%" for name in ("server", "connector", "loadgen"))


def main() -> None:
    """Parse the flags and run the benchmark; the servers are stopped on every way out."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a short smoke run (2 s per phase, 40 reports)")
    parser.add_argument("--seconds", type=float, help="throughput duration per level and bot (default 10, quick 2)")
    parser.add_argument(
        "--typing-seconds", type=float, help="duration of the typing phase (default 3x --seconds, quick 6)"
    )
    parser.add_argument("--reports", type=int, help="reports filed before the memory figure (default 200, quick 40)")
    parser.add_argument("--at-a-time", type=int, default=16, help="reports filed in parallel for the memory figure")
    parser.add_argument("--seed", type=int, default=8, help="seed of the typing pauses")
    parser.add_argument(
        "--no-isolate", action="store_true", help="do not re-run in a private network namespace (unshare -rn)"
    )
    args = parser.parse_args()
    args.isolated = isolate_network(not args.no_isolate)
    args.commit = commit()  # the code under test is the code at start-up; the tree may move on during the run
    args.seconds = args.seconds or (2.0 if args.quick else 10.0)
    args.typing_seconds = args.typing_seconds or (6.0 if args.quick else 3 * args.seconds)
    args.reports = args.reports if args.reports is not None else (40 if args.quick else 200)
    run_until_done(run(args))


if __name__ == "__main__":
    main()
