"""Scripted users for the guided flows: answer whatever the bot asks, as a person would, and read what was stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.knowledge.evaluation import load_queries
from bot.storage import db
from bot.storage.store import Store
from tests.conftest import Chat

PICKED_MANAGER = "[aad:6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b]"  # the reporter's own manager, picked in Teams
DESCRIPTION = "De aankoper van de dienst gunt opdrachten aan het bedrijf van zijn schoonbroer zonder offertes."
# What a Kortrijk employee types, message by message, to reach the summary of an anonymous report.
TYPED_REPORT = [
    "melden",
    "Een schending van regels (fraude, corruptie, belangenvermenging)",
    "anoniem",  # asked before anything about the people around the reporter
    "nee",
    DESCRIPTION,
    "vorige week",
    "overslaan",
    "nee",
]


async def answer_report(
    chat: Chat,
    kind: str,
    identity: str = "Anoniem",
    implicated: int = 0,
    manager: str = "Jan Janssens",
    crime: str = "Nee",
    description: str = DESCRIPTION,
    when: str = "vorige maand",
    name: str = "Lies Janssens",
) -> str:
    """Run the report flow to the summary; `implicated` says how many recipients in a row are involved,
    `crime` answers the question whether it is a criminal offence where the code asks it (Putte). The `manager`
    is typed, or picked in the people picker when it is in the stored form ('[aad:…]'); a typed name the bot
    cannot reach sends the report to the reporting point instead."""
    await chat.say("melden")
    await chat.press(kind)
    if "strafbaar feit" in chat.text:
        await chat.press(crime)
    await chat.press(identity)
    for _ in range(implicated):
        assert "Is die persoon zelf betrokken" in chat.text
        await chat.press("Ja, die persoon")
    assert "Is die persoon zelf betrokken" in chat.text
    await chat.press("Nee")
    if "Wie is je" in chat.text:
        await (chat.pick(manager) if manager.startswith("[") else chat.say(manager))
    if "zelf geen bericht sturen" in chat.text:
        await chat.press("Naar ")
        assert "Is die persoon zelf betrokken" in chat.text
        await chat.press("Nee")
    assert "Wat is er gebeurd?" in chat.text
    await chat.say(description)
    await chat.say(when)
    await chat.say("overslaan")
    await chat.press("Ja")
    if "Hoe heet je?" in chat.text:
        await chat.say(name)
    assert "Dit is je melding" in chat.text, chat.text
    return chat.text


async def declare(
    chat: Chat,
    kind: str,
    value: str,
    small: str | None,
    pending: str = "Nee",
    reward: str = "Nee, een bedanking",
    conditions: str = "Ja",
    giver: str = "Bouwbedrijf Peeters",
):
    """Run the gift flow up to the advice and the manager question; `conditions` answers VVSG's own cases."""
    await chat.say("geschenk")
    await chat.press(kind)
    await chat.press("leverancier")
    await chat.say(giver)
    await chat.say(value)
    if small is not None:
        assert "symbolisch of van kleine waarde" in chat.text
        await chat.press(small)
    if "Geldt een van die gevallen" in chat.text:
        await chat.press(conditions)
    await chat.press(pending)
    await chat.press(reward)
    await chat.press("Ja, ik heb het al")
    return chat.text


async def rows(store: Store, table: Any) -> list[Any]:
    """Every row of a table, its encrypted columns opened as the store's own queries open them."""
    async with store.engine.connect() as conn:
        return store.fields.decrypt_all(table.name, (await conn.execute(select(table))).all())


async def all_rows(store: Store) -> dict[str, list[Any]]:
    """Every row of every table of the schema that holds what users did (not the wrapped data and audit keys)."""
    keys = (db.keys, db.audit_key)
    return {table.name: await rows(store, table) for table in db.metadata.sorted_tables if table not in keys}


CODE = "1K7KY-7W7RE-JXVFS-WCFCC-FZ4M1"  # a receipt code's shape: 25 characters in groups of five


def receipt_reply(code: str = CODE) -> Any:
    """A report's confirmation as intake builds it: the plain text, and the receipt code to show apart."""
    from bot.vocabulary.turns import ReceiptNote, Reply
    from dialogs import texts as t

    note = ReceiptNote(
        code=code,
        lead=t.REPORT_RECEIVED.format(
            reference="M-2026-0007", delivery=t.REPORT_DELIVERY.format(role="de algemeen directeur"), terms=""
        ),
        label=t.RECEIPT_LABEL,
        keep=t.RECEIPT_KEEP,
        heading=t.RECEIPT_FOLLOW_UP,
        commands=tuple((command.format(code=code), what) for command, what in t.RECEIPT_COMMANDS),
        note=t.REPORT_RECEIVED_ANONYMOUS,
    )
    return Reply(note.as_text(), receipt=note)


def receipt_code(text: str) -> str:
    """The receipt code in the bot's confirmation."""
    line = next(line for line in text.splitlines() if line.startswith("Je ontvangstcode:"))
    return line.split(":", 1)[1].strip()


DATA = Path(__file__).parent / "data"


async def tour(chat: Any, org: str, content: Any) -> None:
    """Every kind of thing a user sees, through any chat with say/press/last: help, lookups (answers, closest,
    none), every section, and each flow with its detours (help, terug, an answer it does not understand, a new
    question in the middle); it ends at the adviser flow's list of people, declined."""
    for text in ["hallo", "help", "stop", "hoeveel kost een parkeerabonnement aan het station", "sectie bestaat-niet"]:
        await chat.say(text)
    for labelled in load_queries([DATA / "lookup" / "dev" / f"{org}.yaml"]):
        await chat.say(labelled.query)
    for section in content.packs[org].code.sections:
        await chat.say(f"sectie {section.id}")
    for kind in ["schending van regels", "Gedrag tegenover", "Misbruik", "Ik weet het niet goed"]:
        await answer_report(chat, kind)
        await chat.say("misschien")  # not an answer to the summary: it asks again
        await chat.say("help")
        await chat.press("Iets aanpassen")
        await chat.say("terug")
        await chat.press("Stoppen")
    await answer_report(chat, "schending van regels", identity="Met mijn naam")
    await chat.press("versturen")
    # A code that is silent on gifts asks nothing about their value (voorbeeldgemeente).
    await declare(chat, "Een geschenk", "ongeveer dertig euro", small=None if org == "voorbeeldgemeente" else "Ja")
    await chat.say("Jan Janssens")
    await chat.press("Geschenk melden")
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    await chat.say("mag ik een geschenk aannemen van een leverancier?")  # a new question in the middle of a flow
    await chat.press("Verdergaan")
    await chat.press("Nee, bedankt")


def release(clock) -> None:
    """Move the clock to the morning after today, when today's anonymous reports are announced and their handlers
    may see them (bot/storage/discretion.py)."""
    from bot.storage.discretion import release_of

    clock.moment = max(clock.moment, release_of(clock.today()))
