"""Slack against the service: how fast Slack gets its acks, and how soon the answers, pages and DMs follow.

The service runs as its own process (SQLite, development mode) with Slack pointed at a fake Web API in this process,
which stamps every call it receives. Figures: the ack of a slash command, the ephemeral answer after it, a modal
page per step, the result after "Verzenden", a DM's answer, and a notification reaching its addressee's DM.
Run: `make bench-slack` (ARGS="--reports 10" for a short run)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp import ClientSession
from harness import ROOT, Service, child_env, commit, free_port, percentile, run_until_done, venv_bin

sys.path.insert(0, str(ROOT))  # the fake Slack and the scripted form user of the test suite

from bot.knowledge.evaluation import load_queries
from tests.slack_fakes import SECRET, TOKEN, FakeSlack, SlackClient, settled, start_fake
from tests.slack_forms import Form

QUESTIONS = ROOT / "tests" / "data" / "lookup" / "dev" / "kortrijk.yaml"
MELDPUNT_DM = "DDEMOKRT01"  # Kortrijk's intern meldpunt in the demo contacts


def figures(name: str, values: list[float]) -> str:
    """One row: p50, p99 and max in milliseconds."""
    ms = [value * 1000 for value in values]
    return f"| {name} | {len(ms)} | {percentile(ms, 0.5):.0f} | {percentile(ms, 0.99):.0f} | {max(ms):.0f} |"


async def timed(work: Any) -> tuple[float, Any]:
    """Seconds a coroutine took, and its result."""
    started = time.perf_counter()
    result = await work
    return time.perf_counter() - started, result


async def lookups(slack: SlackClient, fake: FakeSlack, count: int) -> tuple[list[float], list[float]]:
    """Slash-command questions: the ack's time, and the time until the ephemeral answer arrived."""
    questions = [labelled.query for labelled in load_queries([QUESTIONS])]
    acks, answers = [], []
    for number in range(count):
        before = len(fake.responses)
        started = time.perf_counter()
        status, _ = await slack.command(questions[number % len(questions)], user=f"UASKER{number % 7}")
        acks.append(time.perf_counter() - started)
        assert status == 200
        await settled(lambda before=before: len(fake.responses) > before)
        answers.append(fake.responses[before]["_at"] - started)
    return acks, answers


async def reports(slack: SlackClient, fake: FakeSlack, count: int) -> dict[str, list[float]]:
    """Anonymous reports through the modal: every page's ack, the result page and the meldpunt's DM after sending."""
    pages, results, notes = [], [], []
    for number in range(count):
        form = Form(slack, user=f"UREPORTER{number}")
        await form.open("melden")
        submit = form.submit

        async def timed_submit(*args: Any, submit: Any = submit, **kwargs: Any) -> dict[str, Any]:
            took, ack = await timed(submit(*args, **kwargs))
            pages.append(took)
            return ack

        form.submit = timed_submit  # type: ignore[method-assign]
        await form.fill()
        updates, notified = len(fake.of("views.update")), len(_posts(fake, MELDPUNT_DM))
        started = time.perf_counter()
        await submit()  # "Verzenden": answered with the waiting page, the result follows
        await settled(lambda updates=updates: len(fake.of("views.update")) > updates, within=30)
        results.append(time.perf_counter() - started)
        await settled(lambda notified=notified: len(_posts(fake, MELDPUNT_DM)) > notified, within=30)
        notes.append(time.perf_counter() - started)
    return {"page": pages, "result": results, "note": notes}


async def dms(slack: SlackClient, fake: FakeSlack, count: int) -> list[float]:
    """Questions typed in the DM: the time from the event until the first answer is posted."""
    times = []
    for number in range(count):
        user = f"UDM{number % 5}"
        channel = "D" + user.removeprefix("U")
        before = len(_posts(fake, channel))
        started = time.perf_counter()
        await slack.dm("mag ik een geschenk aannemen van een leverancier?", user=user)
        await settled(lambda channel=channel, before=before: len(_posts(fake, channel)) > before)
        times.append(_posts(fake, channel)[before]["_at"] - started)
    return times


def _posts(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """The messages posted in one channel, each with the moment it arrived."""
    return [{**call.args, "_at": call.at} for call in fake.calls if call.method == "chat.postMessage"
            and call.args.get("channel") == channel]


async def run(args: argparse.Namespace) -> None:
    """Start the fake Slack and the service, run each part, print the figures."""
    fake = await start_fake()
    folder = Path(tempfile.mkdtemp(prefix="bench-slack-"))
    port = free_port()
    env = child_env(
        None,
        DATABASE_URL=f"sqlite+aiosqlite:///{folder}/b.db",
        INTEGRITEITSBOT_ORG="kortrijk",
        OUTBOX_INTERVAL="0.2",
        LOG_LEVEL="WARNING",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
    )
    service = Service("project", [str(venv_bin() / "integriteitsbot"), "serve", "--port", str(port)], env, port,
                      folder / "project.stderr")
    service.spawn()
    await service.wait_healthy()
    async with ClientSession() as http:
        slack = SlackClient(http, f"{service.url}/slack/events", fake)
        acks, answers = await lookups(slack, fake, args.lookups)
        flows = await reports(slack, fake, args.reports)
        dm = await dms(slack, fake, args.dms)
    rss, peak = service.memory_mib()
    service.stop()
    assert fake.server is not None
    await fake.server.close()
    print(f"Slack bench at {commit()}; service RSS {rss:.0f} MiB (peak {peak:.0f})\n")
    print("| what | n | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- |")
    print(figures("slash command: ack", acks))
    print(figures("slash command: ephemeral answer", answers))
    print(figures("modal: page (the ack is the page)", flows["page"]))
    print(figures("modal: Verzenden to result page", flows["result"]))
    print(figures("modal: Verzenden to the meldpunt's DM", flows["note"]))
    print(figures("DM: question to answer posted", dm))
    if service.stderr_path.exists() and "Traceback" in service.stderr_path.read_text(errors="replace"):
        print("\nthe service logged a traceback: see", service.stderr_path)


def main() -> None:
    """Parse the sizes and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--dms", type=int, default=100)
    run_until_done(run(parser.parse_args()))


if __name__ == "__main__":
    main()
