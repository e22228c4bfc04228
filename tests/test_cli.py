"""The command line: search (text and the JSON-lines contract), the terminal chat, and serve."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from bot.vocabulary.turns import Reply
from tests.flows import CODE, TYPED_REPORT, receipt_reply

BOT = [sys.executable, "-m", "bot"]
DATA = tempfile.mkdtemp(prefix="integriteitsbot-cli-")
ENV = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{DATA}/cli.db"}


def run(*args: str, stdin: str = "", timeout: int = 120, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BOT, *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=env or ENV)


def test_search_prints_titles_ids_and_marked_snippets():
    result = run("search", "--org", "kortrijk", "--limit", "2", "mag ik een fles wijn aannemen?")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("1. Geschenken en voordelen [geschenken-en-voordelen]")
    assert "**" in result.stdout
    assert result.stdout.count("\n2. ") == 1


def test_search_json_reads_one_query_per_line(content):
    queries = ["de pers belt me", "mag ik een bijjob doen?", "", "qqqq zzzz"]
    result = run("search", "--org", "putte", "--json", "--limit", "3", stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == queries
    first = lines[0]["results"]
    assert first[0]["id"] == "contact-met-de-pers"
    pack = content.packs["putte"]
    for item in first:
        assert set(item) == {"id", "title", "text", "score", "snippet"}
        assert item["text"] == pack.section(item["id"]).text  # the whole section
    scores = [item["score"] for item in first]
    assert scores == sorted(scores, reverse=True) and len(first) <= 3
    assert lines[2]["results"] == [] and lines[3]["results"] == []
    assert all(isinstance(line["confident"], bool) for line in lines)
    assert lines[2]["confident"] is False and lines[3]["confident"] is False


def test_search_json_says_whether_the_bot_answers_and_shows_the_passage(content):
    queries = ["mag ik een geschenk aannemen van een leverancier?", "wat is het wifi-wachtwoord?"]
    result = run("search", "--org", "kortrijk", "--json", stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr
    answered, unanswerable = (json.loads(line) for line in result.stdout.splitlines())
    assert answered["confident"] is True and unanswerable["confident"] is False
    best = answered["results"][0]
    passage = best["snippet"]
    assert passage and "**" not in passage  # plain text, no marks
    text = " ".join(best["text"].split())
    lines = [line for line in passage.splitlines() if line != "…"]
    for line in lines:
        assert " ".join(line.removeprefix("• ").split()) in text, line  # verbatim from the section
        assert line.rstrip().endswith((".", "!", "?", ":", ";", "…")) or line.startswith("• "), line  # whole sentences
    for item in unanswerable["results"]:
        assert "**" not in item["snippet"]


def test_search_text_marks_an_unclear_answer_and_stops_quietly_in_a_closed_pipe():
    unclear = run("search", "--org", "kortrijk", "wat is het wifi-wachtwoord?")
    assert unclear.returncode == 0, unclear.stderr
    assert unclear.stdout.rstrip().endswith("(geen duidelijk antwoord)")
    clear = run("search", "--org", "kortrijk", "mag ik een geschenk aannemen van een leverancier?")
    assert "(geen duidelijk antwoord)" not in clear.stdout
    assert clear.stdout.splitlines()[1].startswith("   ")  # the passage, indented under its title
    many = "mag ik een geschenk aannemen?\n" * 400
    command = f"{' '.join(BOT)} search --org kortrijk --json | head -n 1"
    piped = subprocess.run(command, shell=True, input=many, capture_output=True, text=True, timeout=120, env=ENV)
    assert len(piped.stdout.splitlines()) == 1
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr


def test_search_unknown_org_is_a_clear_error():
    result = run("search", "--org", "gent", "geschenk")
    assert result.returncode == 2
    assert "unknown organisation 'gent'" in result.stderr and "kortrijk" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_with_piped_stdin_and_numbered_choices():
    result = run("chat", "--org", "vvsg", stdin="mag ik een cadeautje aannemen?\n1\n\nexit\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Integriteitsbot van VVSG Internationaal" in out  # the welcome
    assert "Integriteit: geschenken, gunsten en uitnodigingen" in out
    assert "[1] Lees het hele deel" in out
    # Choosing 1 shows the whole section, which ends in the code's closing words for it.
    assert (
        " ".join(out.split()).count(
            "(Ethische code VVSG Internationaal, deel 'Integriteit: geschenken, gunsten en uitnodigingen')"
        )
        == 2
    )
    assert "formele vertegenwoordiging van de VVSG" in out
    assert "leeg bericht" in out
    assert out.rstrip().endswith("Tot later!")


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) ", re.MULTILINE)


def test_chat_shows_only_the_conversation_and_logs_to_a_file(tmp_path):
    env = {**ENV, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/chat.db", "INTEGRITEITSBOT_DEV": "1"}
    typed = [*TYPED_REPORT, "verzenden", "mag ik een fles wijn van een aannemer aannemen?", "exit"]
    result = run("chat", "--org", "kortrijk", stdin="\n".join(typed) + "\n", env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    log_file = tmp_path / "chat.log"
    assert out.splitlines()[0] == f"(Het logboek van de bot staat in {log_file}.)"
    assert not LOG_LINE.search(out) and not LOG_LINE.search(result.stderr) and "alembic" not in out + result.stderr
    assert "**" not in out and "\x1b[" not in out  # not a terminal: bold is plain text
    assert "Geschenken en voordelen" in out  # the lookup answered, with its matched words unmarked
    code = re.search(r"^Je ontvangstcode:\n {4}([0-9A-Z-]{29})$", out, re.MULTILINE).group(1)  # on its own line
    assert f"'status {code}'" in out and f"'aanvullen {code}'" in out
    logged = log_file.read_text(encoding="utf-8")
    assert "alembic.runtime.migration" in logged and code not in logged


def test_chat_shows_bold_as_ansi_bold_on_a_terminal_and_the_code_in_bold():
    from bot.channels.console import ANSI_BOLD, ANSI_RESET, render

    reply = Reply("Het **aannemen** van **louter symbolische geschenken** mag. " + "Een zin die lang is. " * 6)
    shown = render(reply, ansi=True)
    assert f"{ANSI_BOLD}aannemen{ANSI_RESET}" in shown and "**" not in shown
    for line in shown.splitlines():  # bold never runs on past the end of a line
        assert line.count(ANSI_BOLD) == line.count(ANSI_RESET)
    assert render(reply) == render(reply, ansi=False) and ANSI_BOLD not in render(reply)
    assert f"    {ANSI_BOLD}{CODE}{ANSI_RESET}" in render(receipt_reply(CODE), ansi=True).splitlines()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("sig", [signal.SIGTERM])
def test_serve_answers_healthz_and_stops_cleanly_on_sigterm(sig):
    port = free_port()
    env = {**ENV, "HOST": "127.0.0.1", "PORT": str(port), "INTEGRITEITSBOT_ORG": "igo"}
    process = subprocess.Popen([*BOT, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        payload = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    payload = json.loads(response.read())
                    break
            except OSError:
                time.sleep(0.2)
        assert payload is not None, process.stderr.read() if process.poll() is not None else "no answer"
        assert payload["status"] == "ok" and payload["org"] == "igo"
        assert set(payload["packs"]) == {"igo", "kortrijk", "putte", "voorbeeldgemeente", "vvsg"}
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "ready: packs" in stderr and "stopped" in stderr
    assert "Traceback" not in stderr


def test_serve_on_an_unwritable_database_says_so_in_one_line(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    url = f"sqlite+aiosqlite:///{blocker}/integriteitsbot.db"
    result = run("serve", "--port", str(free_port()), env={**ENV, "DATABASE_URL": url}, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "Database error" in line]
    assert "cannot open the database" in line and str(blocker) in line
