"""Every kind of Slack message and modal page the bot sends, as the Block Kit JSON it posts, with fictional data.

Paste a file into Slack's Block Kit Builder: messages are `{"blocks": [...]}`, modal pages a whole view."""

from __future__ import annotations

import argparse
import json
import runpy
from datetime import date
from pathlib import Path
from typing import Any

from bot.channels.slack.blocks import message, modal, notification
from bot.channels.slack.modal import SENDING, title_of
from bot.conversation.answers import help_reply, lookup
from bot.knowledge.content import load_content
from bot.knowledge.directory import Directory
from bot.knowledge.lookup import SectionIndex, Synonyms
from bot.knowledge.packs import Pack
from bot.vocabulary.turns import Reply, UserRef
from dialogs import FLOWS
from dialogs.engine import advance, start
from dialogs.flow import Context

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = Path(__file__).resolve().parent / "blocks"
ORG = "kortrijk"
TODAY = date(2026, 3, 2)
QUESTION = "mag ik een fles wijn van een aannemer aannemen?"
UNSURE = "wanneer wordt mijn loon gestort?"
# What a Kortrijk employee answers in the gift flow, to reach the question about their manager and the summary.
GIFT_ANSWERS = ["Een geschenk", "leverancier", "Bouwbedrijf Vanhoutte nv", "25 euro", "Ja", "Nee", "Nee", "Ja"]


def messages(pack: Pack) -> dict[str, dict[str, Any]]:
    """The replies an employee sees, by file name: lookups, help, a flow's question, its person question, summary."""
    content = load_content()
    index = SectionIndex(pack, Synonyms.build(content.synonyms))
    employee = UserRef("slack", "U0FICTIEF1", "T0FICTIEF:U0FICTIEF1", name="Pieter Claeys")
    ctx = Context(pack, Directory(), employee, TODAY)
    flow = FLOWS["geschenk"]
    result = start(flow, ctx)
    first_question = result.replies[-1]
    state = result.state
    person_question = summary = None
    for answer in GIFT_ANSWERS:
        result = advance(flow, state, answer, ctx)
        state = result.state
        if result.replies[-1].people_picker:
            person_question = result.replies[-1]
            result = advance(flow, state, "Bart Desmet", ctx)
            state, summary = result.state, result.replies[-1]
            break
    assert person_question is not None and summary is not None, "the gift flow changed: update GIFT_ANSWERS"
    return {
        "10-lookup-answer": _merged(lookup(pack, index, QUESTION)),
        "11-lookup-no-clear-answer": _merged(lookup(pack, index, UNSURE)),
        "12-help": message(help_reply(pack)),
        "13-dm-question-with-buttons": message(first_question),
        "14-dm-question-person": message(person_question),
        "15-dm-summary": message(summary),
        "20-modal-first-page": modal(title_of("geschenk"), start(flow, ctx).replies, private_metadata="geschenk"),
        "21-modal-person-page": modal(title_of("geschenk"), [person_question], private_metadata="geschenk"),
        "22-modal-summary-page": modal(title_of("geschenk"), [summary], private_metadata="geschenk"),
        "23-modal-sending": modal(title_of("geschenk"), [Reply(SENDING)], closing=True),
    }


def _merged(replies: list[Reply]) -> dict[str, Any]:
    """Several replies as the one ephemeral message the slash command answers with."""
    blocks: list[dict[str, Any]] = []
    for reply in replies:
        if blocks:
            blocks.append({"type": "divider"})
        blocks += message(reply)["blocks"]
    return {"text": replies[0].text, "blocks": blocks}


def notifications(pack: Pack) -> dict[str, dict[str, Any]]:
    """Every notification as the DM the Slack deliverer posts, by the Teams sample's names."""
    samples = runpy.run_path(str(ROOT / "deploy" / "teams" / "sample_cards.py"))
    return {name: notification(card) for name, (card, _) in samples["neutral_cards"](pack).items()}


def everything(pack: Pack) -> dict[str, dict[str, Any]]:
    """Every sample, by file name."""
    return {**notifications(pack), **messages(pack)}


def main() -> None:
    """Write each sample's Block Kit JSON into the output folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, payload in everything(load_content().packs[ORG]).items():
        # The Block Kit Builder takes a message as its blocks and a modal as the whole view.
        shown = payload if payload.get("type") == "modal" else {"blocks": payload["blocks"]}
        path = out / f"{name}.json"
        path.write_text(json.dumps(shown, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path)


if __name__ == "__main__":
    main()
