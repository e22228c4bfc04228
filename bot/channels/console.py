"""Terminal chat over the conversation: numbered choices, works interactively and with piped stdin."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
import textwrap
from collections.abc import Iterator
from typing import TextIO

from bot.conversation.dispatch import Conversation
from bot.vocabulary.markup import BOLD, plain, split_bold
from bot.vocabulary.turns import Choice, ReceiptNote, Reply, Turn, UserRef

WIDTH = 88
CODE_INDENT = "    "
ANSI_BOLD, ANSI_RESET = "\x1b[1m", "\x1b[0m"
EXIT_WORDS = {"exit", "quit", "doei", "/exit"}


def render(reply: Reply, first: int = 1, ansi: bool = False) -> str:
    """Plain-text rendering of a reply, with choices numbered from `first`; `ansi` shows bold marks as ANSI bold,
    else they are dropped."""
    text = receipt_text(reply.receipt) if reply.receipt is not None else reply.text
    lines = ["\n".join(_paragraph(line, ansi) for line in text.split("\n"))]
    lines += [f"  [{number}] {plain(choice.label)}" for number, choice in enumerate(reply.choices, start=first)]
    return "\n".join(lines)


def receipt_text(note: ReceiptNote) -> str:
    """A confirmation with a code to keep: the code on a line of its own, indented and bold, to copy whole."""
    commands = [f"• '{command}' {what}" for command, what in note.commands]
    code = f"{CODE_INDENT}{BOLD}{note.code}{BOLD}"
    lines = [note.lead, "", f"{note.label}:", code, note.keep, "", note.heading, *commands]
    return "\n".join([*lines, "", note.note] if note.note else lines)


def _paragraph(line: str, ansi: bool) -> str:
    """One line of a reply: wrapped unless it is a list item or indented, its bold marks as ANSI bold or dropped."""
    parts, marked = split_bold(line)
    text = "".join(parts)
    if not text.startswith(("•", "1.", "2.", " ")):
        text = textwrap.fill(text, WIDTH)
    if not ansi or not any(marked):
        return text
    # Which characters are bold, counted over the non-blank ones: wrapping moves blanks, never the others.
    flags = [bold for part, bold in zip(parts, marked, strict=True) for char in part if not char.isspace()]
    return _bolded(text, iter(flags))


def _bolded(text: str, flags: Iterator[bool]) -> str:
    """The text with ANSI bold around the non-blank characters whose flag is set, blanks between two bold words
    included, closed at the end of each line."""
    out = []
    for line in text.split("\n"):
        on, pieces, blanks = False, [], ""
        for char in line:
            if char.isspace():
                blanks += char
                continue
            if next(flags) != on:
                on = not on
                pieces.append(blanks + ANSI_BOLD if on else ANSI_RESET + blanks)
            else:
                pieces.append(blanks)
            pieces.append(char)
            blanks = ""
        out.append("".join(pieces) + (ANSI_RESET if on else "") + blanks)
    return "\n".join(out)


def bold_shown(stdout: TextIO) -> bool:
    """Whether to show bold as ANSI bold: only on a terminal, and not when NO_COLOR asks for plain text."""
    return stdout.isatty() and not os.environ.get("NO_COLOR")


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
    ansi = bold_shown(stdout)
    user = user or console_user(org)

    def say(replies: list[Reply]) -> list[Choice]:
        # The choices of every reply of one answer are numbered on, so '2' means the second button shown.
        choices: list[Choice] = []
        for reply in replies:
            print(render(reply, first=len(choices) + 1, ansi=ansi), end="\n\n", file=stdout, flush=True)
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
