"""The commands a user can type outside a flow, and the hints that offer a flow after a lookup answer."""

from __future__ import annotations

import re

from bot.core import messages as msg
from bot.core.turns import Choice, Reply

FLOW_COMMANDS = {
    "melden": "melden",
    "melding maken": "melden",
    "vermoeden melden": "melden",
    "geschenk": "geschenk",
    "geschenk melden": "geschenk",
    "gift": "geschenk",
    "uitnodiging melden": "geschenk",
    "vertrouwenspersoon": "vertrouwenspersoon",
    "vertrouwenspersoon zoeken": "vertrouwenspersoon",
    "preventieadviseur": "vertrouwenspersoon",
}
CODE_COMMAND = re.compile(r"^\s*(status|aanvullen)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
CASE_COMMAND = re.compile(r"^\s*(melding|antwoord)\s+([A-Za-z]-\d{4}-\d{4})\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
# Words in a question that show the user may want a flow, offered after the lookup answer.
GIFT_HINTS = (
    "geschenk",
    "cadeau",
    "kreeg",
    "gekregen",
    "fles",
    "wijn",
    "pralines",
    "uitnodiging",
    "uitgenodigd",
    "etentje",
)
PEOPLE_HINTS = ("gepest", "pesten", "pest ", "intimid", "grensoverschrijd", "ongewenst", "seksu", "geweld", "discrimin")
REPORT_HINTS = (
    "fraude",
    "corruptie",
    "steekpenning",
    "omkop",
    "klokkenluid",
    "diefstal",
    "stelen",
    "steelt",
    "vermoeden",
)
SECTION_COMMAND = re.compile(r"^\s*(?:sectie|lees)\s+([a-z0-9-]+)\s*$", re.IGNORECASE)
GREETINGS = {"hallo", "hoi", "dag", "hey", "hi", "goedemorgen", "goeiemorgen", "goedemiddag", "start", "begin"}
HELP_WORDS = {"help", "hulp", "?", "wat kan je", "wat kun je", "menu", "uitleg"}
COMMAND_MAX_CHARS = 80  # commands are short; a longer message is never taken for one


def is_command(text: str) -> bool:
    """Whether a message is one of the bot's commands (a flow, status, a case, a section), not an answer."""
    if len(text) > COMMAND_MAX_CHARS:
        return False
    lowered = text.lower().strip(" !.")
    if lowered in FLOW_COMMANDS:
        return True
    return any(pattern.match(text) for pattern in (CODE_COMMAND, CASE_COMMAND, SECTION_COMMAND))


def offers(text: str) -> list[Reply]:
    """After a lookup answer, offer the flow the question clearly asks for."""
    folded = f" {text.lower()} "
    if any(hint in folded for hint in PEOPLE_HINTS):
        choices = (Choice("Vertrouwenspersoon zoeken", "vertrouwenspersoon"), Choice("Vermoeden melden", "melden"))
        return [Reply(msg.OFFER_PEOPLE, choices)]
    if any(hint in folded for hint in GIFT_HINTS):
        return [Reply(msg.OFFER_GIFT, (Choice("Geschenk melden", "geschenk"),))]
    if any(hint in folded for hint in REPORT_HINTS):
        return [Reply(msg.OFFER_REPORT, (Choice("Vermoeden melden", "melden"),))]
    return []
