"""Exactly once: double clicks, redelivered requests and concurrent confirms file each flow run once."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import pytest

from bot.storage import db
from bot.storage.filing import Filing
from bot.vocabulary.outcomes import Receipt, ReportOutcome
from bot.vocabulary.turns import Turn, UserRef
from tests.conftest import Chat
from tests.flows import answer_report, declare, receipt_code, rows
from tests.teams_chat import shown_text

TRIALS = 10
CONFIRM = {"report": "Melding versturen", "gift": "Geschenk melden", "contact": "Vraag versturen"}
CONFIRM["addendum"] = "Aanvulling versturen"
TABLE = {"report": db.cases, "gift": db.gifts, "contact": db.contact_requests, "addendum": db.case_events}


def conversation_of(number: int) -> dict:
    """The Teams personal conversation of test user `number`."""
    return {"id": f"a:conv-{number}", "conversationType": "personal", "tenantId": "tenant-demo"}


async def to_summary(chat: Chat, kind: str) -> str:
    """Drive one flow of this kind to its summary; returns the value of its confirm button."""
    if kind == "report":
        await answer_report(chat, "schending van regels")
    elif kind == "gift":
        await declare(chat, "Een geschenk", "ongeveer dertig euro", small="Ja")
        await chat.say("Jan Janssens")
    elif kind == "contact":
        await chat.say("vertrouwenspersoon")
        await chat.press("mensen op het werk")
        await chat.press("Vertrouwenspersoon")
        await chat.say("via Teams, liefst na 16 uur")
        await chat.say("overslaan")
    else:
        await answer_report(chat, "schending van regels")
        await chat.press("Melding versturen")
        await chat.say(f"aanvullen {receipt_code(chat.text)}")
        await chat.say("Ook de offertes van vorig jaar werden niet vergeleken.")
    (value,) = [c.value for reply in chat.last for c in reply.choices if c.label == CONFIRM[kind]]
    return value


def filed(rows_: list, kind: str) -> list:
    """The rows a filing of this kind added (addenda are events of type 'aanvulling')."""
    return [row for row in rows_ if kind != "addendum" or row.type == "aanvulling"]


def texts(sent: list[dict], conversation: str) -> list[str]:
    """What the bot sent into one conversation."""
    return [shown_text(a) for a in sent if conversation in a["_path"].replace("%3A", ":")]


@pytest.mark.parametrize("kind", ["report", "gift", "contact", "addendum"])
async def test_double_click_files_once(start_bot, conversation, store, kind):
    bot = await start_bot()
    for trial in range(TRIALS):
        chat = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-1", f"a:conv-{trial}", name="An Peeters"))
        value = await to_summary(chat, kind)
        clicks = [bot.activity(text=value, conversation=conversation_of(trial)) for _ in range(2)]
        statuses = await asyncio.gather(*(bot.post(click) for click in clicks))  # truly at the same time
        assert all(status in (200, 201) for status in statuses), statuses
        assert len(filed(await rows(store, TABLE[kind]), kind)) == trial + 1
        answers = texts(bot.connector.sent, f"a:conv-{trial}/")[-2:]
        (again,) = [text for text in answers if "al goed ontvangen" in text]
        (first,) = [text for text in answers if text != again]
        # The second click learns the first one's reference: shown again in full, or named when already shown.
        reference = re.search(r"[MGV]-\d{4}-\d{4}", first).group(0)
        assert reference in again and "niets dubbel verstuurd" in again
    notes = Counter(row.kind for row in await rows(store, db.outbox))
    assert notes[kind] == TRIALS  # one notification per filing, never one per click


@pytest.mark.parametrize("together", [False, True], ids=["after", "during"])
async def test_redelivered_activity_is_answered_and_filed_once(start_bot, conversation, store, together):
    bot = await start_bot()
    chat = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-1", "a:conv-1", name="An Peeters"))
    click = bot.activity(text=await to_summary(chat, "report"))
    if together:  # the Bot Framework retries a slow request while the first is still running
        statuses = await asyncio.gather(bot.post(click), bot.post(click))
    else:  # or after it ended
        statuses = [await bot.post(click), await bot.post(click)]
    assert all(status in (200, 201) for status in statuses), statuses
    (answer,) = texts(bot.connector.sent, "a:conv-1/")
    assert "Referentie" in answer and receipt_code(answer)
    assert len(await rows(store, db.cases)) == 1 and len(await rows(store, db.outbox)) == 1


async def test_fifty_people_confirm_at_once_and_all_are_filed(start_bot, conversation, store, clock):
    bot = await start_bot()
    people = 50
    clicks = []
    for number in range(people):
        chat = Chat(conversation, "kortrijk", UserRef("msteams", f"aad-{number}", f"a:conv-{number}", name="An"))
        value = await to_summary(chat, "report")
        # The same person clicks (issue 19: a flow is keyed by its user too, not only by the conversation).
        person = {"id": f"29:user-{number}", "name": "An", "aadObjectId": f"aad-{number}"}
        clicks.append(bot.activity(text=value, conversation=conversation_of(number), **{"from": person}))
    statuses = await asyncio.gather(*(bot.post(click) for click in clicks))
    assert all(status in (200, 201) for status in statuses)
    sent = "\n".join(shown_text(a) for a in bot.connector.sent)
    assert "lukte nu niet" not in sent
    year = clock.today().year
    references = sorted(set(re.findall(rf"Referentie: (M-{year}-\d{{4}})", sent)))
    assert references == [f"M-{year}-{n:04d}" for n in range(1, people + 1)]
    assert len(await rows(store, db.cases)) == people and len(await rows(store, db.outbox)) == people


async def test_two_hundred_fifty_direct_filings_never_collide(store, clock):
    outcome = ReportOutcome(
        org="igo",
        kind="rule_breach",
        route_kind="rule_breach",
        recipient_role="leidinggevende",
        recipient_person=None,
        section=None,
        description="Iets",
        when="gisteren",
        where=None,
        evidence="nee",
        reporter=None,
    )

    async def file(number: int) -> str:
        receipt = Receipt(code="x", selector=f"{number:05d}", hash="scrypt$x")
        filing = Filing(f"submission-{number}", UserRef("msteams", f"aad-{number}", f"a:conv-{number}"))
        return await store.add_report(outcome, receipt, lambda _ref: [], clock.today(), filing, lambda ref: ref)

    references = await asyncio.gather(*(file(number) for number in range(250)))
    assert len(set(references)) == 250
    assert max(int(ref.rsplit("-", 1)[1]) for ref in references) == 250


# The marker keeps the day of filing, not the time (issue 19): shown again through the next day, gone two days on.
@pytest.mark.parametrize("hours, shown", [(1, True), (25, True), (48, False)])
async def test_an_unsent_confirmation_is_shown_again_for_a_day(conversation, store, clock, hours, shown):
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels")
    (value,) = [c.value for reply in chat.last for c in reply.choices if c.label == CONFIRM["report"]]
    # The channel died before it could send this: no settle.
    (lost,) = await conversation.handle(Turn(org="kortrijk", user=chat.user, value=value))
    clock.advance(hours=hours)
    await chat.say("hallo")
    assert ("nog eens" in chat.text and receipt_code(chat.text) == receipt_code(lost.text)) == shown
    await chat.say("hallo")  # shown once, then forgotten
    assert "nog eens" not in chat.text
    assert [row.flow for row in await rows(store, db.flow_state)] == []
    assert len(await rows(store, db.cases)) == 1


async def test_reopening_the_chat_shows_an_unsent_confirmation(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels")
    (value,) = [c.value for reply in chat.last for c in reply.choices if c.label == CONFIRM["report"]]
    (lost,) = await conversation.handle(Turn(org="kortrijk", user=chat.user, value=value))
    replies = await conversation.handle(Turn(org="kortrijk", user=chat.user, joined=True))
    assert any(receipt_code(lost.text) in reply.text for reply in replies)


async def test_a_summary_button_pressed_after_sending_says_so(start_bot, conversation, store):
    bot = await start_bot()
    chat = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-1", "a:conv-1", name="An Peeters"))
    value = await to_summary(chat, "report")
    await bot.post(bot.activity(value={"action": value}))
    (again,) = await bot.say(None, value={"action": value})  # the old card's button, pressed later
    assert "niets meer klaar om te versturen" in again["text"]
    assert len(await rows(store, db.cases)) == 1
