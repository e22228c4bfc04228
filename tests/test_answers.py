"""Ordinary answers in the flows (amounts, typos, stop phrases, names, re-prompts) and the lookup's three answers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import pytest

from bot.cases.receipts import Throttle
from bot.channels.teams.render import to_activity
from bot.conversation import answers
from bot.conversation.dispatch import Conversation
from bot.knowledge.packs import Section
from bot.storage import db
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Choice, Reply
from dialogs import gift_texts as gt
from dialogs import texts as t
from dialogs.amounts import parse_euro
from dialogs.engine import question_line, reprompt
from dialogs.flow import Invalid, Option
from dialogs.gift import RECEIVED_OPTIONS
from dialogs.matching import match_option, wants_to_stop
from dialogs.report import IDENTITY_OPTIONS, KIND_OPTIONS
from dialogs.steps import parse_person
from tests.conftest import Chat
from tests.flows import DESCRIPTION, all_rows, rows

WHY_LINE = "Waarom ik dit vraag"

# Answers for the report flow, by a part of the question they answer; the first key found in the question wins.
REPORT_SCRIPT = (
    ("Waarover gaat je melding", "mijn baas pest mij al maanden"),
    ("betrokken", "nee"),
    ("Wie is je", "Jan Janssens"),
    ("Wat is er gebeurd", DESCRIPTION),
    ("Wanneer", "vorige maand"),
    ("Waar gebeurde", "overslaan"),
    ("bewijzen", "ja"),
    ("naam of anoniem", "anonien"),
)
GIFT_SCRIPT = (
    ("Wat kreeg je", "een fles wijn"),
    ("Van wie komt het", "een leverancir"),
    ("Wie is de gever", "Bouwbedrijf Peeters"),
    ("Hoeveel is het", "2 x 15 euro"),
    ("symbolisch", "ja"),
    ("gevallen", "ja"),
    ("beslissing", "zeker niet"),
    ("terug", "nee"),
    ("al gekregen", "nog niet ontvangen"),
    ("Wie is", "Jan Janssens"),
)


async def follow(chat: Chat, script: tuple[tuple[str, str], ...], until: str) -> None:
    """Answer each question by typing the script's answer for it, until a reply contains `until`."""
    for _ in range(20):
        if until in chat.text:
            return
        asked = question_line(chat.last[-1].text)
        answer = next((reply for key, reply in script if key in asked), None)
        assert answer is not None, f"no scripted answer for {asked!r}"
        await chat.say(answer)
    raise AssertionError(f"never reached {until!r}: {chat.text}")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Forms that were already understood keep working.
        ("€ 25", 25.0), ("25,50", 25.5), ("ongeveer 30 euro", 30.0), ("vijfentwintig euro", 25.0),
        ("tweehonderd vijftig", 250.0), ("1.250", 1250.0), ("€ 1.250,00", 1250.0), ("1 250", 1250.0),
        ("een fles wijn van twintig euro", 20.0), ("twee flessen van 15 euro", 15.0), ("een euro", 1.0),
        ("weet ik niet", None), ("geen idee", None),
        # Products are multiplied out.
        ("2 x 45 euro", 90.0), ("2x45", 90.0), ("3 keer 10 euro", 30.0), ("twee keer vijftien euro", 30.0),
        # A range gives its upper bound, the conservative value for judging a gift.
        ("15 à 20", 20.0), ("15 a 20", 20.0), ("15-20 euro", 20.0), ("15 – 20", 20.0), ("tussen 15 en 20", 20.0),
        ("tussen de 15 en 20 euro", 20.0), ("15 tot 20", 20.0), ("15 euro tot 20 euro", 20.0),
        ("vijftien à twintig euro", 20.0), ("2 x 15 à 20 euro", 40.0),
        # About so many.
        ("een twintigtal euro", 20.0), ("een tiental", 10.0), ("dertigtal euro", 30.0), ("een vijftigtal", 50.0),
        ("een honderdtal euro", 100.0),
    ],
)  # fmt: skip
def test_amounts_as_people_say_them(text, value):
    assert parse_euro(text) == value


@pytest.mark.parametrize("text", ["een fles wijn", "x", "tussen", "euro"])
def test_text_without_an_amount_is_refused(text):
    with pytest.raises(ValueError):
        parse_euro(text)


async def test_report_understands_an_inflected_word_and_a_typo(conversation, store):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await chat.say("mijn baas pest mij al maanden")  # 'pest' is an inflection of the option's 'pesten'
    assert "naam of anoniem" in chat.text  # understood: the next question is asked
    await follow(chat, REPORT_SCRIPT, until="Dit is je melding")
    assert f"{t.LABEL_IDENTITY}: {t.IDENTITY_ANONYMOUS}" in chat.text  # 'anonien' is 'anoniem' with a slip
    await chat.press(t.REPORT_SEND)
    (case,) = await rows(store, db.cases)
    assert case.kind == "behaviour" and case.anonymous


async def test_gift_understands_amounts_typos_and_not_yet(conversation, store):
    chat = Chat(conversation, "kortrijk")
    await chat.say("geschenk")
    await follow(chat, GIFT_SCRIPT, until="Dit is je melding voor het geschenkenregister")
    assert "Waarde: € 30" in chat.text
    await chat.press(gt.GIFT_SEND)
    (gift,) = await rows(store, db.gifts)
    assert (gift.gift_kind, gift.giver_type, gift.value_eur) == ("gift", "supplier", 30.0)
    assert (gift.pending, gift.received, gift.manager) == ("nee", "nee", "Jan Janssens")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("anonien", "anonymous"),
        ("anonieme melding", "anonymous"),
        ("zonder naam", "anonymous"),
        ("niet anoniem", "named"),
        ("met mijn naam", "named"),
    ],
)
def test_identity_answers(text, value):
    assert match_option(text, IDENTITY_OPTIONS).value == value


def test_a_description_typed_at_the_identity_question_chooses_nothing():
    """A sentence that happens to say 'zonder' is the report's text typed too early, never a choice of anonymity."""
    with pytest.raises(Invalid):
        match_option("Hij gunt opdrachten aan zijn schoonbroer zonder offertes.", IDENTITY_OPTIONS)


@pytest.mark.parametrize(
    ("text", "value"),
    [("nog niet", "nee"), ("nog niet ontvangen", "nee"), ("neen", "nee"), ("al gekregen", "ja"), ("heb ik al", "ja")],
)
def test_received_answers(text, value):
    assert match_option(text, RECEIVED_OPTIONS).value == value


def test_loose_matching_stays_strict_where_it_must():
    options = (Option("kat", "Kat", ("kat",)), Option("hond", "Hond", ("hond",)))
    with pytest.raises(Invalid):
        match_option("kot", options)  # words of three letters or fewer never match with a slip
    with pytest.raises(Invalid) as both:
        match_option("pesten en fraude", KIND_OPTIONS)  # two options match equally: never guess
    assert str(both.value) == t.PICK_AMBIGUOUS
    with pytest.raises(Invalid):
        match_option("banaan", KIND_OPTIONS)
    assert match_option("frauderen", KIND_OPTIONS).value == "rule_breach"
    assert match_option("fruade", KIND_OPTIONS).value == "rule_breach"  # one slip in a short word


@pytest.mark.parametrize(
    "phrase", ["ik wil stoppen", "stop maar", "laat maar", "ik wil niet meer verder", "stop ermee", "Stop!"]
)
async def test_stop_phrases_stop_the_flow_and_store_nothing(conversation, store, phrase):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await follow(chat, REPORT_SCRIPT, until="Wat is er gebeurd")
    await chat.say(phrase)
    assert chat.text == t.STOPPED
    assert all(not table_rows for table_rows in (await all_rows(store)).values())
    await chat.say("stop")  # the flow is over
    assert chat.text == msg.NOTHING_TO_STOP


async def test_a_stop_phrase_after_a_pause_still_stops(conversation, store, clock):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await follow(chat, REPORT_SCRIPT, until="Wat is er gebeurd")
    clock.advance(hours=2)  # long enough for the conversation to ask before it takes a message as the answer
    await chat.say("laat maar")
    assert chat.text == t.STOPPED
    assert all(not table_rows for table_rows in (await all_rows(store)).values())


async def test_an_answer_that_mentions_stop_is_kept(conversation):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await follow(chat, REPORT_SCRIPT, until="Wat is er gebeurd")
    await chat.say("Mijn collega zei stop, maar de diensthoofd bleef de offertes van zijn schoonbroer kiezen.")
    assert "Wanneer gebeurde het?" in chat.text


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        ("laat het maar zitten", True),
        ("hou ermee op", True),
        ("nee, stop de melding", True),
        ("hij zei stop", False),
        ("niet stoppen", False),
        ("ik wil verder", False),
        ("niet stoppen, verder", False),
        ("de chef zei dat we moesten stoppen met de controles", False),
    ],
)
def test_only_short_clear_wishes_to_stop(text, stops):
    assert wants_to_stop(text) is stops


@pytest.mark.parametrize("email", ["jan@", "jan@@gemeente", "@gemeente.be", "jan.janssens@gemeente"])
async def test_manager_refuses_a_broken_email_and_stops_on_request(conversation, store, email):
    chat = Chat(conversation, "kortrijk")
    await chat.say("geschenk")
    await follow(chat, GIFT_SCRIPT[:-1], until="Typ een naam of een e-mailadres")
    await chat.say(email)
    assert chat.text.startswith(t.PERSON_EMAIL)
    assert "Typ een naam of een e-mailadres" in chat.text
    assert WHY_LINE not in chat.text and "Mijn advies" not in chat.text  # short: the problem and the question
    await chat.say("ik wil stoppen")
    assert chat.text == t.STOPPED
    assert all(not table_rows for table_rows in (await all_rows(store)).values())


async def test_report_recipient_refuses_a_broken_email_and_takes_a_good_one(content, store, directory, clock):
    # With the name (an anonymous report asks nothing about the reporter's own leidinggevende), in a deployment
    # whose own mail domain is igo.example.
    own_domain = replace(directory, mail_domains=("igo.example",))
    chat = Chat(Conversation.build(content, store, own_domain, clock=clock), "igo")
    named = tuple((key, "met mijn naam" if key == "naam of anoniem" else said) for key, said in REPORT_SCRIPT)
    await chat.say("melden")
    await follow(chat, named, until="Typ een naam of een e-mailadres")
    for wrong in ("jan@", "jan@@gemeente", "@gemeente.be", "jan.janssens@gemeente"):
        await chat.say(wrong)
        assert chat.text.startswith(t.PERSON_EMAIL) and WHY_LINE not in chat.text
    await chat.say("jan.janssens@igo.example")
    assert "Wat is er gebeurd?" in chat.text
    await follow(chat, named, until="Dit is je melding")
    await chat.press(t.REPORT_SEND)
    (case,) = await rows(store, db.cases)
    assert case.recipient_person == "jan.janssens@igo.example"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ik wil stoppen", t.PERSON_NOT_A_NAME),
        ("weet ik niet", t.PERSON_NOT_A_NAME),
        ("jan@", t.PERSON_EMAIL),
        ("jan@@gemeente", t.PERSON_EMAIL),
        ("@gemeente.be", t.PERSON_EMAIL),
        ("jan.janssens@gemeente", t.PERSON_EMAIL),
        ("J", t.PERSON_LENGTH),
        ("x" * 101, t.PERSON_LENGTH),
        ("Jan 2", t.PERSON_CHARACTERS),
        ("- -", t.PERSON_CHARACTERS),
    ],
)
def test_person_refusals_say_why(text, problem):
    with pytest.raises(Invalid) as refused:
        parse_person(text)
    assert str(refused.value) == problem


@pytest.mark.parametrize("name", ["Jan Janssens", "Jan-Pieter D'Hondt", "Mevr. De Smet", "An", "jan.janssens@gent.be"])
def test_person_accepts_names_and_addresses(name):
    assert parse_person(f"  {name} ") == name


async def test_a_choice_reprompt_is_short_and_lists_its_options_once(conversation):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await chat.say("banaan")
    (reply,) = chat.last
    assert reply.text == f"{t.PICK_ONE}\n\n{t.KIND_QUESTION}"
    assert WHY_LINE not in reply.text
    for option in KIND_OPTIONS:
        assert option.label not in reply.text
        assert [choice.label for choice in reply.choices].count(option.label) == 1


async def test_a_text_reprompt_says_the_problem_and_the_question_in_singular(conversation):
    chat = Chat(conversation, "igo")
    await chat.say("melden")
    await follow(chat, REPORT_SCRIPT, until="Wat is er gebeurd")
    await chat.say("x")
    (reply,) = chat.last
    assert reply.text == f"Dat is wat kort (1 teken). Vertel iets meer: minstens 20 tekens.\n\n{t.WHAT_QUESTION}"
    await chat.say("te kort")
    assert chat.text.startswith("Dat is wat kort (7 tekens).")


def test_a_reprompt_without_buttons_lists_the_options_in_text():
    problem = Invalid(t.PICK_ONE, ("Ja", "Nee"))
    asked = Reply(f"Context.\n\nIs het waar?\n\n{t.WHY.format(why='reden.')}")
    reply = reprompt(problem, asked)
    assert reply.text == f"{t.PICK_ONE}\n\nIs het waar?\n1. Ja\n2. Nee"
    with_buttons = reprompt(problem, Reply(asked.text, (Choice("Ja", "ja"), Choice("Nee", "nee"))))
    assert with_buttons.text == f"{t.PICK_ONE}\n\nIs het waar?" and len(with_buttons.choices) == 2


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "0 minuten"), (1, "1 minuut"), (2, "2 minuten"), (15, "15 minuten")]
)
def test_counted_noun(number, expected):
    assert msg.counted(number, "minuut", "minuten") == expected
    assert msg.characters(number) == expected.replace("minuten", "tekens").replace("minuut", "teken")


async def test_code_wait_says_minute_or_minutes(conversation):
    now = [0.0]
    conversation.desk.throttle = Throttle(clock=lambda: now[0])
    chat = Chat(conversation, "kortrijk")
    wrong = "status ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ"
    for _ in range(3):
        await chat.say(wrong)
        assert "Ik vind geen melding" in chat.text
    await chat.say(wrong)  # 30 seconds to wait
    assert "Wacht ongeveer 1 minuut en" in chat.text
    for moment in (31.0, 92.0):  # after each wait one more wrong code: the wait doubles, to 60 s then 120 s
        now[0] = moment
        await chat.say(wrong)
        assert "Ik vind geen melding" in chat.text
    await chat.say(wrong)
    assert "Wacht ongeveer 2 minuten en" in chat.text


# The lookup's answer: whole sentences, and three outcomes


async def test_the_answer_shows_whole_sentences(conversation, content):
    sentence = (
        "Het aannemen van louter symbolische geschenken of geschenken met een kleine materiële waarde zonder "
        "tegenprestatie is wel toegelaten op voorwaarde dat we dit onmiddellijk melden aan de leidinggevende."
    )
    assert sentence in " ".join(content.packs["kortrijk"].section("geschenken-en-voordelen").text.split())
    chat = Chat(conversation, "kortrijk")
    await chat.say("Mag ik een geschenk aannemen?")
    answer = chat.last[0]
    assert sentence in " ".join(answer.text.replace("**", "").split())
    assert answer.card is not None and sentence in " ".join(answer.card.body.replace("**", "").split())


@dataclass
class StubHit:
    """A ranked section as the lookup returns it, with the verdicts set by the test."""

    section: Section
    score: float
    good: bool
    plausible: bool
    similarity: float = 0.0  # how close in meaning: far, so a question on pay or leave is told so

    @property
    def share(self) -> float:
        """The ranking's probability for this section: the stub's score decides the order."""
        return self.score / 10


@dataclass
class StubIndex:
    """An index that returns the given hits for any question."""

    hits: list[StubHit]

    def search(self, query: str, limit: int = 3, vector=None) -> list[StubHit]:
        return self.hits[:limit]

    def closest_titles(self, query: str, limit: int = 3) -> list[Section]:
        return []

    def outside(self, query: str) -> list[str]:
        return []


def lookup_with(content, monkeypatch, *verdicts: tuple[bool, bool]) -> Reply:
    """The lookup's reply in Kortrijk when its hits get these (good, plausible) verdicts, best first."""
    monkeypatch.setattr(answers, "snippet", lambda hit, mark="**": f"passage of {hit.section.id}")
    pack = content.packs["kortrijk"]
    sections = pack.code.sections
    hits = [StubHit(sections[i], 10.0 - i, good, plausible) for i, (good, plausible) in enumerate(verdicts)]
    (reply,) = answers.lookup(pack, StubIndex(hits), "een vraag")
    return reply


def test_a_confident_answer_shows_the_passage_and_close_good_sections(content, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="bot.conversation.answers")
    sections = content.packs["kortrijk"].code.sections
    reply = lookup_with(content, monkeypatch, (True, True), (True, True), (False, True))
    assert reply.text.startswith(f"{sections[0].title}\n\npassage of {sections[0].id}")
    assert reply.card is not None and reply.card.lead is None
    assert [choice.value for choice in reply.choices] == [f"sectie {sections[0].id}", f"sectie {sections[1].id}"]
    assert reply.choices[1].label == msg.SEE_ALSO.format(title=sections[1].title)
    assert "outcome=answer" in caplog.text and "een vraag" not in caplog.text


def test_a_plausible_hit_is_shown_as_the_closest_passage_not_as_the_answer(content, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="bot.conversation.answers")
    pack = content.packs["kortrijk"]
    first, second, third = pack.code.sections[:3]
    reply = lookup_with(content, monkeypatch, (False, True), (False, False), (False, False))
    assert reply.text.startswith(
        f"Een duidelijk antwoord vind ik niet in de code van {pack.code.name}. "
        f"Dit komt er het dichtst bij, uit deel '{first.title}':\n\npassage of {first.id}\n\n"
        "Twijfel je? Vraag het dan aan "
    )
    assert reply.card is not None and reply.card.body == f"passage of {first.id}"
    assert reply.card.title == first.title and (msg.FACT_SECTION, first.title) in reply.card.facts
    assert reply.card.lead and "duidelijk antwoord" in reply.card.lead  # a channel may show only the card
    assert reply.card.note and reply.card.note.startswith("Twijfel je?")
    assert [(c.label, c.value) for c in reply.choices] == [
        (msg.READ_ALL, f"sectie {first.id}"),
        (second.title, f"sectie {second.id}"),
        (third.title, f"sectie {third.id}"),
    ]
    assert "outcome=closest" in caplog.text and "een vraag" not in caplog.text


def test_without_a_plausible_hit_the_bot_says_it_has_no_clear_answer(content, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="bot.conversation.answers")
    reply = lookup_with(content, monkeypatch, (False, False), (False, False))
    assert "geen duidelijk antwoord" in reply.text and reply.card is None
    assert len(reply.choices) == 2
    assert "outcome=none" in caplog.text
    assert "geen duidelijk antwoord" in lookup_with(content, monkeypatch).text  # no hits at all


def test_the_closest_passage_card_says_in_teams_that_it_is_no_clear_answer(content, monkeypatch):
    reply = lookup_with(content, monkeypatch, (False, True))
    card = to_activity(reply).attachments[0].content
    texts = [block.get("text") or block.get("inlines", [{}])[0].get("text") for block in card["body"]]
    assert "duidelijk antwoord" in texts[0] and texts[1] == reply.card.title
    assert texts[-1].startswith("Twijfel je?")


@pytest.mark.parametrize(
    ("org", "question"),
    [
        ("kortrijk", "wanneer wordt mijn loon gestort?"),
        ("igo", "hoeveel verlofdagen heb ik nog?"),
        ("vvsg", "krijgen we maaltijdcheques?"),
    ],
)
async def test_pay_leave_and_it_questions_are_said_to_be_outside_the_code(conversation, content, org, question):
    chat = Chat(conversation, org)
    await chat.say(question)
    (reply,) = chat.last
    assert reply.text.startswith(f"Daar vind ik geen antwoord op in de code van {content.packs[org].code.name}.")
    assert "loon, verlof" in reply.text and not reply.choices  # no section would help: none is offered


async def test_a_topic_word_the_code_itself_uses_is_not_outside(conversation, content):
    # Kortrijk's bedrijfsmiddelen names the printer among its keywords, so the question is not sent away.
    index_words = " ".join(content.packs["kortrijk"].section("bedrijfsmiddelen").keywords)
    assert "printer" in index_words
    chat = Chat(conversation, "kortrijk")
    await chat.say("mag ik de printer gebruiken voor privé?")
    assert "praktische zaken" not in chat.text
