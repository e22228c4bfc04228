"""Aanvullen: add information to a report the user can prove is theirs with its receipt code."""

from __future__ import annotations

from bot.vocabulary.outcomes import AddendumOutcome
from bot.vocabulary.turns import Reply
from dialogs import addendum_texts as at
from dialogs.flow import Answers, Context, Flow
from dialogs.steps import text_step


def intro(ctx: Context) -> list[Reply]:
    """Nothing to explain beyond the question; the conversation says which report it is."""
    return []


def finish(ctx: Context, answers: Answers) -> AddendumOutcome:
    """The confirmed addendum for the report chosen with its receipt code."""
    return AddendumOutcome(ctx.pack.org, answers["case_id"], answers["reference"], answers["extra"])


FLOW = Flow(
    name="aanvullen",
    steps=(
        text_step(
            "extra",
            at.ADDENDUM_QUESTION,
            at.ADDENDUM_WHY,
            at.ADDENDUM_HELP,
            minimum=5,
            maximum=4000,
            label=at.LABEL_ADDENDUM,
        ),
    ),
    intro=intro,
    summary_title=at.ADDENDUM_SUMMARY,
    send_label=at.ADDENDUM_SEND,
    finish=finish,
)
