"""Terminal chat over the conversation: numbered choices, works interactively and with piped stdin."""

from __future__ import annotations

import asyncio
import getpass
import sys
import textwrap
from typing import TextIO

from bot.conversation.dispatch import Conversation
from bot.vocabulary.turns import Choice, Reply, Turn, UserRef

WIDTH = 88
EXIT_WORDS = {"exit", "quit", "doei", "/exit"}


def render(reply: Reply, first: int = 1) -> str:
    """Plain-text rendering of a reply, with choices numbered from `first`."""
    paragraphs = [textwrap.fill(p, WIDTH) if not p.startswith(("•", "1.", "2.")) else p for p in reply.text.split("\n")]
    lines = ["\n".join(paragraphs)]
    lines += [f"  [{number}] {choice.label}" for number, choice in enumerate(reply.choices, start=first)]
    return "\n".join(lines)


def console_user(org: str, session: str | None = None) -> UserRef:
    """The terminal user: one conversation per organisation and per session, so flows never cross over."""
    name = session or getpass.getuser() or "console"
    return UserRef(channel="console", user_id=f"console-{name}", conversation_id=f"console:{org}:{name}", name=None)


def pick(text: str, choices: list[Choice]) -> tuple[str | None, str | None]:
    """Turn a typed number into the value of that choice of the last answer; else keep the text."""
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
        return None, choices[int(stripped) - 1].value
    return text, None


async def run(
    conversation: Conversation,
    org: str,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    user: UserRef | None = None,
) -> int:
    """Chat until end of input or 'exit'; returns the process exit code."""
    interactive = stdin.isatty()
    user = user or console_user(org)

    def say(replies: list[Reply]) -> list[Choice]:
        # The choices of every reply of one answer are numbered on, so '2' means the second button shown.
        choices: list[Choice] = []
        for reply in replies:
            print(render(reply, first=len(choices) + 1), end="\n\n", file=stdout, flush=True)
            choices += reply.choices
        return choices

    async def answer(turn: Turn) -> list[Choice]:
        replies = await conversation.handle(turn)
        choices = say(replies)
        await conversation.settle(turn, replies)  # printed: a confirmation need not be kept to show again
        return choices

    last = await answer(Turn(org=org, user=user, joined=True))
    if interactive:
        print("(Typ 'exit' of druk Ctrl-D om te stoppen.)\n", file=stdout)
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            break
        if line.strip().lower() in EXIT_WORDS:
            print("Tot later!", file=stdout)
            break
        if not interactive:
            print(f"> {line.rstrip()}", file=stdout)
        text, value = pick(line, last)
        last = await answer(Turn(org=org, user=user, text=text, value=value))
    return 0
