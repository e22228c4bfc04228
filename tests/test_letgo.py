"""Flows that let go: a pause, a new question, a command or an old button is never taken as an answer."""

from __future__ import annotations

import pytest

from bot.storage import db
from bot.vocabulary.turns import Turn
from tests.conftest import Chat
from tests.flows import answer_report, rows
from tests.test_cli import run


async def to_description(chat: Chat) -> None:
    """Start a Kortrijk report and stop at 'Wat is er gebeurd?'."""
    await chat.say("melden")
    await chat.press("schending van regels")
    await chat.press("Anoniem")  # the identity comes before anything about the people around the reporter
    await chat.press("Nee")
    assert "Wat is er gebeurd?" in chat.text


async def to_giver(chat: Chat) -> None:
    """Start a gift declaration and stop at 'Wie is de gever?'."""
    await chat.say("geschenk")
    await chat.press("Een geschenk")
    await chat.press("burger")
    assert "Wie is de gever?" in chat.text


async def test_a_question_days_later_is_not_taken_as_the_description(conversation, store, clock):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    clock.advance(days=3)
    question = "Mag ik een fles wijn van een aannemer aannemen als bedanking voor het werk?"
    await chat.say(question)
    assert "Welkom terug" in chat.text and "je melding" in chat.text
    assert [c.label for c in chat.last[0].choices] == ["Verdergaan", "Stoppen"]
    (state,) = await rows(store, db.flow_state)
    assert question not in str(state.state) and "what" not in state.state["answers"]
    await chat.press("Stoppen")
    assert "niets bewaard" in chat.text and "Stel je vraag nu gerust opnieuw" in chat.text
    assert await rows(store, db.flow_state) == [] and await rows(store, db.cases) == []
    await chat.say(question)
    assert "Geschenken en voordelen" in chat.text  # now it is a question again


async def test_after_a_pause_the_user_can_go_on(conversation, clock):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    clock.advance(minutes=31)
    await chat.say("De aankoper gunt opdrachten aan zijn schoonbroer, al maanden.")
    assert "Welkom terug" in chat.text
    await chat.say("verdergaan")
    assert "we gaan verder" in chat.text and "Wat is er gebeurd?" in chat.text
    await chat.say("De aankoper gunt opdrachten aan zijn schoonbroer, al maanden.")
    assert "Wanneer gebeurde het?" in chat.text


async def test_after_a_pause_a_stop_phrase_stops(conversation, store, clock):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    clock.advance(hours=1)
    await chat.say("Nog iets anders")
    assert "Welkom terug" in chat.text
    await chat.say("ik wil stoppen")  # a phrase, not only the word
    assert "niets bewaard" in chat.text and await rows(store, db.flow_state) == []


async def test_typing_3_at_the_summary_stops(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await answer_report(chat, "schending van regels")
    assert [c.label for c in chat.last[-1].choices][2] == "Stoppen"
    await chat.say("3")
    assert "niets bewaard" in chat.text and await rows(store, db.cases) == []


async def test_within_half_an_hour_the_answer_is_taken(conversation, clock):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    clock.advance(minutes=29)
    await chat.say("De aankoper gunt opdrachten aan zijn schoonbroer, wat moet ik doen?")
    assert "Wanneer gebeurde het?" in chat.text  # a question mark in a description is still a description


async def test_a_new_question_at_a_short_answer_is_asked_about(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    await chat.say("De aankoper gunt opdrachten aan zijn schoonbroer zonder offertes.")
    assert "Wanneer gebeurde het?" in chat.text
    await chat.say("Mag ik thuiswerken op vrijdag?")
    assert "lijkt me een nieuwe vraag" in chat.text
    (state,) = await rows(store, db.flow_state)
    assert "when" not in state.state["answers"]
    await chat.say("ja")  # "ja, verder"
    assert "Wanneer gebeurde het?" in chat.text


async def test_a_command_mid_flow_offers_to_switch(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    await chat.say("geschenk")
    assert "Je was nog bezig met je melding" in chat.text
    await chat.press("Stop en meld een geschenk")
    assert "niets bewaard" in chat.text and "Wat kreeg je" in chat.text
    (state,) = await rows(store, db.flow_state)
    assert state.flow == "geschenk"


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("melden", "Stop en meld een vermoeden"),
        ("vertrouwenspersoon", "Stop en zoek een vertrouwenspersoon"),
        ("preventieadviseur", "Stop en zoek een vertrouwenspersoon"),
        ("status ABCDE-FGHJK", "Stop en bekijk je melding"),
        ("aanvullen ABCDE-FGHJK", "Stop en vul je melding aan"),
        ("melding m-2026-0001", "Stop en open melding M-2026-0001"),
        ("sectie geschenken-en-voordelen", "Stop en lees dat deel"),
    ],
)
async def test_the_switch_button_says_in_plain_dutch_what_it_starts(conversation, typed, label):
    chat = Chat(conversation, "kortrijk")
    await to_giver(chat)
    await chat.say(typed)
    assert [choice.label for choice in chat.last[-1].choices] == ["Verdergaan", label]


async def test_the_switch_buttons_words_typed_stop_and_start_that_flow(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    await chat.say("geschenk")
    await chat.say("Stop en meld een geschenk")  # typed, not pressed
    assert "niets bewaard" in chat.text and "Wat kreeg je" in chat.text
    (state,) = await rows(store, db.flow_state)
    assert state.flow == "geschenk"


async def test_an_old_section_button_shows_the_section_and_keeps_the_flow(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await to_giver(chat)
    old = Turn(org="kortrijk", user=chat.user, value="sectie geschenken-en-voordelen")
    chat.last = await conversation.handle(old)
    assert "Geschenken en voordelen" in chat.text and "Je bent nog bezig met je geschenkmelding" in chat.text
    (state,) = await rows(store, db.flow_state)
    assert "giver" not in state.state["answers"]
    await chat.say("Bakkerij Janssens")
    assert "Hoeveel is het ongeveer waard" in chat.text


async def test_an_old_choice_button_is_refused_not_stored(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await to_giver(chat)
    chat.last = await conversation.handle(Turn(org="kortrijk", user=chat.user, value="supplier"))
    assert "hoort bij een eerder bericht" in chat.text and "Wie is de gever?" in chat.text
    (state,) = await rows(store, db.flow_state)
    assert "giver" not in state.state["answers"]


async def test_reopening_the_chat_says_a_flow_is_open(conversation):
    chat = Chat(conversation, "kortrijk")
    await to_description(chat)
    replies = await conversation.handle(Turn(org="kortrijk", user=chat.user, joined=True))
    assert "Je was nog bezig met je melding" in replies[-1].text


def test_console_keeps_one_conversation_per_organisation(tmp_path):
    env_db = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/console.db"}
    env = {**__import__("os").environ, **env_db}
    first = run("chat", "--org", "kortrijk", "--session", "s1", stdin="melden\n", env=env)
    assert first.returncode == 0 and "Waarover gaat je melding?" in first.stdout
    other = run("chat", "--org", "putte", "--session", "s1", stdin="help\n", env=env)
    assert "nog bezig" not in other.stdout and "Zo werk ik" in other.stdout
    again = run("chat", "--org", "kortrijk", "--session", "s1", stdin="", env=env)
    assert "Je was nog bezig met je melding" in again.stdout
    fresh = run("chat", "--org", "kortrijk", "--session", "s2", stdin="", env=env)
    assert "nog bezig" not in fresh.stdout
