"""Terminal chat over the conversation core: numbered choices, works interactively and with piped stdin."""

from __future__ import annotations

import sys
import textwrap
from typing import TextIO

from bot.conversation import Conversation, Reply, Turn, UserRef

WIDTH = 88


def render(reply: Reply) -> str:
    """Plain-text rendering of a reply, with choices numbered from 1."""
    paragraphs = [textwrap.fill(p, WIDTH) if not p.startswith("•") else p for p in reply.text.split("\n")]
    lines = ["\n".join(paragraphs)]
    lines += [f"  [{number}] {choice.label}" for number, choice in enumerate(reply.choices, start=1)]
    return "\n".join(lines)


def pick(text: str, last: Reply | None) -> tuple[str | None, str | None]:
    """Turn a typed number into the value of that choice of the last reply; else keep the text."""
    stripped = text.strip()
    if last and stripped.isdigit() and 1 <= int(stripped) <= len(last.choices):
        return None, last.choices[int(stripped) - 1].value
    return text, None


def run(conversation: Conversation, org: str, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    """Chat until end of input or 'exit'; returns the process exit code."""
    interactive = stdin.isatty()
    user = UserRef(channel="console", user_id="console-user", conversation_id="console")

    def say(replies: list[Reply]) -> Reply | None:
        for reply in replies:
            print(render(reply), end="\n\n", file=stdout, flush=True)
        return replies[-1] if replies else None

    last = say(conversation.handle(Turn(org=org, user=user, joined=True)))
    if interactive:
        print("(Typ 'stop' of druk Ctrl-D om te stoppen.)\n", file=stdout)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        if line.strip().lower() in {"exit", "quit", "stop", "doei"}:
            print("Tot later!", file=stdout)
            break
        if not interactive:
            print(f"> {line.rstrip()}", file=stdout)
        text, value = pick(line, last)
        last = say(conversation.handle(Turn(org=org, user=user, text=text, value=value))) or last
    return 0
