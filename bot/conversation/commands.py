"""The commands a user can type outside a flow."""

from __future__ import annotations

import re

FLOW_COMMANDS = {
    "melden": "melden",
    "melding maken": "melden",
    "vermoeden melden": "melden",
    "meld een vermoeden": "melden",  # the switch buttons' words (messages.SWITCH_LABELS), typed instead of pressed
    "geschenk": "geschenk",
    "geschenk melden": "geschenk",
    "gift": "geschenk",
    "uitnodiging melden": "geschenk",
    "meld een geschenk": "geschenk",
    "vertrouwenspersoon": "vertrouwenspersoon",
    "vertrouwenspersoon zoeken": "vertrouwenspersoon",
    "zoek een vertrouwenspersoon": "vertrouwenspersoon",
    "preventieadviseur": "vertrouwenspersoon",
}
# The handler's overview; for anyone who handles nothing these words are an ordinary question about the code.
OVERVIEW_COMMANDS = {
    "meldingen": "cases",
    "mijn meldingen": "cases",
    "open meldingen": "cases",
    "geschenken": "gifts",
    "open geschenken": "gifts",
}
CODE_COMMAND = re.compile(r"^\s*(status|aanvullen)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
CASE_COMMAND = re.compile(
    r"^\s*(melding|antwoord|heropen)\s+([A-Za-z]-\d{4}-\d{4})\b\s*(.*)$", re.IGNORECASE | re.DOTALL
)
SECTION_COMMAND = re.compile(r"^\s*(?:sectie|lees)\s+([a-z0-9-]+)\s*$", re.IGNORECASE)
GREETINGS = {"hallo", "hoi", "dag", "hey", "hi", "goedemorgen", "goeiemorgen", "goedemiddag", "start", "begin"}
HELP_WORDS = {"help", "hulp", "?", "wat kan je", "wat kun je", "menu", "uitleg"}
COMMAND_MAX_CHARS = 80  # commands are short; a longer message is never taken for one


def command_of(text: str) -> tuple[str, str]:
    """Which command a message is ('melden', 'geschenk', 'vertrouwenspersoon', 'status', 'aanvullen', 'melding',
    'antwoord', 'heropen', 'sectie'), with the case reference it names, if any; ('', '') for none."""
    flow = FLOW_COMMANDS.get(text.lower().strip(" !."))
    if flow:
        return flow, ""
    if found := CODE_COMMAND.match(text):
        return found.group(1).lower(), ""
    if found := CASE_COMMAND.match(text):
        return found.group(1).lower(), found.group(2).upper()
    if SECTION_COMMAND.match(text):
        return "sectie", ""
    return "", ""


def is_command(text: str) -> bool:
    """Whether a message is one of the bot's commands (a flow, status, a case, a section), not an answer."""
    if len(text) > COMMAND_MAX_CHARS:
        return False
    lowered = text.lower().strip(" !.")
    if lowered in FLOW_COMMANDS:
        return True
    return any(pattern.match(text) for pattern in (CODE_COMMAND, CASE_COMMAND, SECTION_COMMAND))
