"""The handler's overview: 'meldingen' lists open cases with their next deadline, overdue first; 'geschenken' the
declarations waiting on a decision; only in the 1:1 chat, only for the people who handle them."""

from __future__ import annotations

import json

from bot.storage import db
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import UserRef
from tests.conftest import Chat
from tests.flows import answer_report, declare, rows
from tests.slack_fakes import settled
from tests.test_slack import posts_to, texts

MELDPUNT_AAD = "00000000-0000-4000-8000-000000000201"  # Kortrijk's algemeen directeur in the demo contacts
MANAGER_AAD = "6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b"


def meldpunt(conversation, private: bool = True) -> Chat:
    """The intern meldpunt of Kortrijk in their chat with the bot."""
    user = UserRef("msteams", MELDPUNT_AAD, "a:meldpunt", name="Demo Meldpunt (fictief)", private=private)
    return Chat(conversation, "kortrijk", user)


async def report(conversation) -> None:
    """A named report on a rule breach: it goes to the intern meldpunt, who sees it at once (an anonymous one from
    the next morning on, see test_discretion)."""
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels", identity="Met mijn naam")
    await chat.press("versturen")


async def test_open_cases_overdue_first_with_their_next_deadline(conversation, clock, store):
    await report(conversation)  # M-…-0001, today
    clock.advance(days=3)
    await report(conversation)  # 0002
    await report(conversation)  # 0003
    handler = meldpunt(conversation)
    year = clock.today().year
    acted = await conversation.act(handler.card_turn(), "report", f"M-{year}-0003", "bevestigen", None)
    assert acted.done
    closed = await conversation.act(handler.card_turn(), "report", f"M-{year}-0002", "afsluiten", "Opgelost.")
    assert closed.done
    clock.advance(days=5)  # 0001's seven days are over; 0003 was acknowledged

    (shown,) = await handler.say("meldingen")
    facts = dict(shown.card.facts)
    assert list(facts) == [f"M-{year}-0001", f"M-{year}-0003"]  # the overdue one first, the closed one gone
    assert "ontvangstbevestiging uiterlijk" in facts[f"M-{year}-0001"] and "(te laat)" in facts[f"M-{year}-0001"]
    assert "feedback uiterlijk" in facts[f"M-{year}-0003"] and "te laat" not in facts[f"M-{year}-0003"]
    assert "Bij 1 melding is de termijn voorbij" in shown.text
    assert [choice.value for choice in shown.choices] == [f"melding M-{year}-0001", f"melding M-{year}-0003"]
    assert "aankoper" not in json.dumps(shown.card.facts)  # no description on the list


async def test_the_words_are_an_ordinary_question_for_anyone_else(conversation):
    await report(conversation)
    employee = Chat(conversation, "kortrijk")
    await employee.say("meldingen")
    assert employee.last[0].card is None or employee.last[0].card.title != msg.OVERVIEW_CASES_TITLE
    assert "M-" not in employee.text


async def test_only_in_the_private_chat(conversation):
    await report(conversation)
    (moved,) = await meldpunt(conversation, private=False).say("meldingen")
    assert moved.private_start == "meldingen" and "M-" not in moved.text


async def test_gifts_waiting_on_the_picked_manager(conversation, store):
    employee = Chat(conversation, "kortrijk", UserRef("msteams", "aad-user-1", "a:conv-1", name="An Peeters"))
    await declare(employee, "Een geschenk", "ongeveer dertig euro", small="Ja")
    await employee.pick(f"[aad:{MANAGER_AAD}]")
    await employee.press("Geschenk melden")
    manager = Chat(conversation, "kortrijk", UserRef("msteams", MANAGER_AAD, "a:manager", name="Mia Manager"))
    (shown,) = await manager.say("geschenken")
    (gift,) = await rows(store, db.gifts)
    line = dict(shown.card.facts)[gift.reference]
    assert "An Peeters" in line and "Bouwbedrijf Peeters" in line and "€ 30,00" in line
    await conversation.act(manager.card_turn(), "gift", gift.reference, "akkoord", None)
    (after,) = await manager.say("geschenken")
    assert after.text == msg.OVERVIEW_NO_GIFTS


async def test_the_list_is_a_card_in_teams(bot, conversation):
    await report(conversation)
    handler = {"id": "29:meldpunt", "name": "Demo Meldpunt (fictief)", "aadObjectId": MELDPUNT_AAD}
    sent = await bot.say("meldingen", **{"from": handler})
    (card,) = [a["content"] for a in sent[0]["attachments"]]
    assert "FactSet" in json.dumps(card) and "M-" in json.dumps(card)


async def test_the_list_goes_to_the_dm_in_slack(slack, fake, conversation):
    await report(conversation)
    status, _ = await slack.command("meldingen", user="UDEMOKRT01")
    assert status == 200
    await settled(lambda: posts_to(fake, "DDEMOKRT01") and fake.responses)
    listed = texts(posts_to(fake, "DDEMOKRT01")[-1])
    assert "Jouw open meldingen" in listed and "M-" in listed
    assert all("M-" not in texts(response) for response in fake.responses)
