"""Teams rendering over HTTP: @mentions, at most three suggested actions, text Teams shows as written, and cards."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

import pytest
from botbuilder.schema import Activity

from bot.channels.teams.markdown import message_markdown
from bot.channels.teams.mentions import without_mention
from bot.channels.teams.render import SUGGESTED_LABEL_MAX, to_activity
from bot.conversation.commands import FLOW_COMMANDS
from bot.vocabulary import messages as msg
from bot.vocabulary.turns import Choice, Reply
from dialogs import texts as dialog_texts
from tests.conftest import Bot, reference
from tests.flows import CODE, DESCRIPTION, answer_report, declare, receipt_reply
from tests.teams_chat import TeamsChat, cards_of, controls, elements, in_org, org_tenants, shown_text
from tests.test_card_schema import schema_problems

BOT_MENTION = {
    "type": "mention",
    "text": "<at>Integriteitsbot</at>",
    "mentioned": {"id": "28:bot", "name": "Integriteitsbot"},
}
CHANNEL = {
    "id": "19:general@thread.tacv2;messageid=1700000000000",
    "conversationType": "channel",
    "tenantId": "tenant-demo",
}
GROUP_CHAT = {"id": "19:meeting_abc@thread.v2", "conversationType": "groupChat", "tenantId": "tenant-demo"}
# Labels Teams used to drop (a fourth suggested action) or cut; each must be shown in full somewhere.
ONCE_LOST = {"Ik weet het niet goed", "Een korting of een dienst", "Nee, bedankt", "Mag ik een geschenk aannemen?"}
SINGLE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
URL = re.compile(r"https?://[^\s)\]]+")


async def in_channel(bot: Bot, text: str, conversation: dict[str, Any] = CHANNEL, **overrides: Any) -> list[dict]:
    """A message posted in a team channel (or group chat), as Teams sends it when the bot is @mentioned."""
    overrides.setdefault("entities", [BOT_MENTION])
    sent = await bot.say(text, conversation=conversation, **overrides)
    return [activity for activity in sent if unquote(activity["_path"]).split("/")[3] == conversation["id"]]


def only_private(command: str) -> str:
    """What the channel sees: a flow goes on in the user's 1:1 chat, opened by the bot; a command with a code
    is refused there with the way to do it privately."""
    if command in FLOW_COMMANDS:
        return message_markdown(msg.MOVED_PRIVATE)
    return message_markdown(msg.ONLY_PRIVATE.format(command=command))


def suggested(activity: dict) -> list[dict]:
    """The suggested actions of an activity."""
    return (activity.get("suggestedActions") or {}).get("actions", [])


def card_texts(card: dict) -> list[str]:
    """Every text a card shows: text blocks, text runs, facts, button titles and options."""
    texts = []
    for element in elements(card):
        if element["type"] in ("TextBlock", "TextRun"):
            texts.append(element["text"])
        elif element["type"] == "FactSet":
            texts += [f"{fact['title']}: {fact['value']}" for fact in element["facts"]]
        elif element["type"].startswith("Action.") and "title" in element:
            texts.append(element["title"])
        elif element["type"] == "Input.ChoiceSet":
            texts += [choice["title"] for choice in element["choices"]]
    return texts


# @mentions in channels and group chats


@pytest.mark.parametrize("conversation", [CHANNEL, GROUP_CHAT], ids=["channel", "groupChat"])
async def test_mentioned_melden_in_a_channel_continues_privately(bot, conversation):
    sent = await in_channel(bot, "<at>Integriteitsbot</at> melden", conversation)
    assert [activity["text"] for activity in sent] == [only_private("melden")]


async def test_a_flow_asked_for_in_a_channel_starts_in_the_users_private_chat(bot):
    before = len(bot.connector.sent)
    await in_channel(bot, "<at>Integriteitsbot</at> melden")
    (created,) = bot.connector.created
    assert created["members"][0] == {"id": "29:user-1", "aadObjectId": "aad-user-1"} and created["isGroup"] is False
    private = [a for a in bot.connector.sent[before:] if "a%3Acreated-1" in a["_path"] or "a:created-1" in a["_path"]]
    assert private and "Je wilt een vermoeden" in private[0]["text"]
    # The flow runs there: the next answer in the private chat is understood as the flow's answer.
    conversation = {"id": "a:created-1", "conversationType": "personal", "tenantId": "tenant-demo"}
    sent = await bot.say("Een schending van regels (fraude, corruptie, belangenvermenging)", conversation=conversation)
    assert "naam of anoniem" in json.dumps(sent, ensure_ascii=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("help", "Zo werk ik:"),
        ("stop", message_markdown(msg.NOTHING_TO_STOP)),
        ("status ABCDE-FGHJK-LMNPQ", only_private("status")),
        ("geschenk", only_private("geschenk")),
    ],
)
async def test_commands_are_recognised_when_the_bot_is_mentioned(bot, typed, expected):
    sent = await in_channel(bot, f"<at>Integriteitsbot</at>&nbsp;{typed}\n")
    assert sent[0]["text"].startswith(expected)


@pytest.mark.parametrize(
    "entities",
    [
        [],  # no mention entity at all
        [{"type": "mention"}],  # an entity without who is mentioned
        [{"type": "mention", "text": "<at>Integriteitsbot</at>", "mentioned": {"name": "Integriteitsbot"}}],  # no id
        [{"type": "mention", "text": "<at>Integriteit</at>", "mentioned": {"id": "28:bot"}}],  # another spelling
    ],
    ids=["no-entity", "empty-entity", "entity-without-id", "other-spelling"],
)
async def test_mention_without_a_proper_entity_is_still_removed(bot, entities):
    sent = await in_channel(bot, "<at>Integriteit</at> melden", entities=entities)
    assert sent[0]["text"] == only_private("melden")


async def test_the_bots_name_mentioned_in_a_personal_chat_is_removed(bot):
    sent = await bot.say("<at>Integriteitsbot</at> help", entities=[BOT_MENTION])
    assert sent[0]["text"].startswith("Zo werk ik:")


# At most three suggested actions, labels never cut


async def drive_every_flow(bot: Bot, org: str = "kortrijk") -> TeamsChat:
    """Welcome, help, a lookup, and the report, gift and adviser flows to their end, pressing what Teams shows."""
    chat = TeamsChat(bot, in_org(org))
    chat._keep(await bot.say(None, type="conversationUpdate", membersAdded=[{"id": "29:user-1"}], **in_org(org)))
    await chat.say("help")
    await chat.say("mag ik een fles wijn van een aannemer aannemen?")
    await chat.press("Lees het hele deel")
    await chat.say("hoeveel kost een parkeerabonnement aan het station")
    await answer_report(chat, "Ik weet het niet goed", identity="Anoniem")
    await chat.press("Iets aanpassen")
    await chat.press("Waar")
    await chat.say("op de dienst aankoop")
    await chat.press("Melding versturen")
    await declare(chat, "Een korting of een dienst", "€ 20", small="Ja")
    await chat.say("Jan Janssens")
    await chat.press("Geschenk melden")
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    await chat.press("Vertrouwenspersoon")
    await chat.say("via Teams, liefst na 16 uur")
    await chat.say("overslaan")
    await chat.press("Vraag versturen")
    await chat.say("vertrouwenspersoon")
    await chat.press("mensen op het werk")
    await chat.press("Nee, bedankt")
    return chat


async def test_no_activity_in_any_flow_carries_more_than_three_suggested_actions(bot, clock):
    chat = await drive_every_flow(bot)
    everything = "\n".join(shown_text(activity) for activity in chat.seen)
    assert all(reference(clock, kind) in everything for kind in "MGV")  # every flow ran to its end
    assert all(len(suggested(activity)) <= 3 for activity in chat.seen)
    labels = {control.label for activity in chat.seen for control in controls(activity)}
    assert ONCE_LOST <= labels


async def test_long_labels_wrap_in_a_card_and_are_never_suggested_actions(bot):
    chat = await drive_every_flow(bot)
    assert all(len(action["title"]) <= SUGGESTED_LABEL_MAX for a in chat.seen for action in suggested(a))
    kinds = next(a for a in chat.seen if "Waarover gaat je melding?" in shown_text(a))
    (options,) = [e for card in cards_of(kinds) for e in elements(card) if e["type"] == "Input.ChoiceSet"]
    assert (options["style"], options["wrap"]) == ("expanded", True)
    longest = max(options["choices"], key=lambda choice: len(choice["title"]))["title"]
    assert longest == "Gedrag tegenover mensen (pesten, geweld, ongewenst seksueel gedrag, discriminatie)"
    # Buttons carry only labels short enough to be shown whole; longer ones are options that wrap.
    # (A line that wraps and can be tapped, a link row, is no button: its action is the container's selectAction.)
    links = [
        id(e["selectAction"]) for a in chat.seen for card in cards_of(a) for e in elements(card) if "selectAction" in e
    ]
    buttons = [
        e
        for a in chat.seen
        for card in cards_of(a)
        for e in elements(card)
        if e["type"] == "Action.Submit" and id(e) not in links
    ]
    # A button alone on a full-width row (a signing card's) shows more: about 55 characters at 450 px.
    alone = [
        id(e["actions"][0])
        for a in chat.seen
        for card in cards_of(a)
        for e in elements(card)
        if e["type"] == "ActionSet" and len(e["actions"]) == 1
    ]
    assert buttons and all(len(button["title"]) <= (50 if id(button) in alone else 40) for button in buttons)


async def test_every_step_can_still_be_typed(bot, clock):
    chat = TeamsChat(bot, typing=True)
    summary = await answer_report(chat, "schending van regels", identity="Met mijn naam")
    assert DESCRIPTION in summary
    await chat.say("Melding versturen")
    assert f"Referentie: {reference(clock)}" in chat.text


# Text as Teams shows it


async def test_help_keeps_placeholders_and_puts_each_bullet_on_its_own_line(bot):
    (help_message, *_) = await bot.say("help")
    text = help_message["text"]
    assert help_message["textFormat"] == "markdown"
    assert "'status &lt;code&gt;' of 'aanvullen &lt;code&gt;'" in text
    assert "<" not in text and ">" not in text
    assert SINGLE_NEWLINE.search(text) is None  # a single newline would join the bullets into one paragraph
    assert text.count("\n\n•") == msg.HELP.count("\n•")


async def test_a_chapter_title_is_shown_as_written_never_as_a_numbered_list(start_bot, content):
    bot = await start_bot(org="voorbeeldgemeente")
    pack = content.packs["voorbeeldgemeente"]
    section = next(s for s in pack.code.sections if s.chapter == "2. Organisatiewaarden")
    (answer,) = await bot.say(f"sectie {section.id}")
    (card,) = cards_of(answer)
    runs = [e for e in elements(card) if e["type"] == "TextRun"]
    assert {"type": "TextRun", "text": "2. Organisatiewaarden", "isSubtle": True} in runs  # a text run has no markdown
    blocks = [e["text"] for e in elements(card) if e["type"] in ("TextBlock", "Fact")]
    assert not any(re.match(r"\d+\. ", line) for block in blocks for line in block.splitlines())


async def test_bold_marks_never_break_a_link(start_bot):
    bot = await start_bot(org="vvsg")
    (answer, *_) = await bot.say("statuten vvsg leden")
    (card,) = cards_of(answer)
    passage = next(e["text"] for e in card["body"] if e["type"] == "TextBlock")
    link = "https://www.vvsg.be/Leden/Over%20ons/Statuten%20VVSG.pdf"
    assert f"[{link}]({link})" in passage  # whole and clickable, though the question's words are in it
    assert "**statuten**" in passage  # words outside the link are still marked
    assert all("*" not in url for url in URL.findall(passage))


async def test_the_section_fact_names_the_section_never_its_id(start_bot, content):
    bot = await start_bot(org=None, tenants=org_tenants(sorted(content.packs)))
    for org, pack in sorted(content.packs.items()):
        for section in pack.code.sections:
            (answer,) = await bot.say(f"sectie {section.id}", **in_org(org))
            (card,) = cards_of(answer)
            facts = {f["title"]: f["value"] for e in elements(card) if e["type"] == "FactSet" for f in e["facts"]}
            assert facts["Deel"] == message_markdown(section.title).replace("&amp;", "&")
            assert section.id not in " ".join(card_texts(card)) or section.id in section.title.lower()


# Cards


async def test_lookup_answer_is_a_card_with_title_passage_section_and_a_read_on_button(bot, content):
    (answer, offer) = await bot.say("mag ik een fles wijn van een aannemer aannemen?")
    (card,) = cards_of(answer)
    assert card["version"] == "1.5"
    section = content.packs["kortrijk"].section("geschenken-en-voordelen")
    heading, chapter, passage, facts = card["body"][:4]
    assert heading["inlines"][0] == {"type": "TextRun", "text": section.title, "weight": "Bolder", "size": "Medium"}
    assert chapter["inlines"][0]["text"] == section.chapter
    assert passage["type"] == "TextBlock" and "**geschenk" in passage["text"] and passage["wrap"]
    assert {"title": "Deel", "value": section.title} in facts["facts"]
    assert card["actions"][0] == {
        "type": "Action.Submit",
        "title": "Lees het hele deel",
        "data": {"action": "sectie geschenken-en-voordelen"},
    }
    assert section.title in card["fallbackText"] and section.title in answer["summary"]
    assert [action["value"] for action in suggested(offer)] == ["geschenk"]  # a short offer stays a suggestion
    (whole,) = await bot.say(None, value=card["actions"][0]["data"])
    assert section.title in whole["summary"] and "Lees het hele deel" not in str(cards_of(whole))


async def test_summary_is_a_card_with_send_change_and_cancel(bot, clock):
    chat = TeamsChat(bot)
    await answer_report(chat, "schending van regels", identity="Met mijn naam")
    (summary,) = chat.last
    (card,) = cards_of(summary)
    assert card["body"][0]["inlines"][0]["text"] == "Dit is je melding. Kijk ze nog even na."
    facts = {f["title"]: f["value"] for f in card["body"][1]["facts"]}
    assert facts["Wat er gebeurde"] == DESCRIPTION and facts["Identiteit"] == "Met mijn naam (vertrouwelijk)"
    assert [(a["title"], a["data"]["action"]) for a in card["actions"]] == [
        ("Melding versturen", "verzenden"),
        ("Iets aanpassen", "aanpassen"),
        ("Stoppen", "stop"),
    ]
    assert "Dit is je melding" in card["fallbackText"] and DESCRIPTION in summary["summary"]
    await chat.press("Iets aanpassen")
    await chat.press("Wanneer")
    await chat.say("gisteren")
    assert {f["title"]: f["value"] for f in cards_of(chat.last[0])[0]["body"][1]["facts"]}["Wanneer"] == "gisteren"
    await chat.press("Melding versturen")
    assert f"Referentie: {reference(clock)}" in chat.text


# The renderer on its own, for replies the flows above do not reach


def test_a_receipt_code_stands_alone_in_a_large_monospace_text_with_its_commands_under_it():
    activity = to_activity(receipt_reply(CODE))
    (card,) = [attachment.content for attachment in activity.attachments]
    assert schema_problems(card) == []
    (code,) = [element for element in elements(card) if element.get("text") == CODE]  # alone: it selects whole
    assert (code["type"], code["fontType"], code["size"], code["wrap"]) == ("TextBlock", "Monospace", "Large", True)
    commands = [run for run in elements(card) if run["type"] == "TextRun" and run.get("fontType") == "Monospace"]
    assert [run["text"] for run in commands] == [f"status {CODE}", f"aanvullen {CODE}"]
    texts = [element.get("text", "") for element in elements(card)]
    assert texts.index(CODE) < texts.index(f"status {CODE}")  # the commands come under the code
    assert f"Je ontvangstcode: {CODE}" in activity.summary and "Referentie: M-2026-0007" in activity.summary
    assert CODE in card["fallbackText"]


def test_a_placeholder_in_any_message_survives():
    activity = to_activity(Reply(msg.CASE_ANSWER_HINT.format(reference="M-2026-0001")))
    assert "'antwoord M-2026-0001 &lt;je bericht&gt;'" in activity.text


def test_a_label_of_a_hundred_characters_is_shown_whole_in_an_option_that_wraps():
    label = "Ja, en ik wil er ook bij zeggen dat het om een terugkerende situatie gaat die al maanden aansleept."
    assert len(label) >= 98
    activity = to_activity(Reply("Klopt dat?", (Choice(label, "ja"), Choice("Nee", "nee"))))
    assert not activity.suggested_actions
    (options,) = [e for e in elements(activity.attachments[0].content) if e["type"] == "Input.ChoiceSet"]
    assert options["choices"][0] == {"title": label, "value": "ja"} and options["wrap"] is True


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 6, 7, 12])
def test_never_more_than_three_suggested_actions(count):
    choices = tuple(Choice(f"Keuze {n}", f"keuze {n}") for n in range(count))
    activity = to_activity(Reply("Kies maar.", choices))
    shown = [a.title for a in activity.suggested_actions.actions] if activity.suggested_actions else []
    assert len(shown) <= 3
    on_card = [c.label for c in controls(activity.serialize())]
    assert sorted(on_card) == sorted(choice.label for choice in choices)


def test_a_summary_answer_of_several_lines_stays_one_fact():
    summary = "Dit is je melding. Kijk ze nog even na.\n\n• Soort: fraude\n• Wat er gebeurde: eerst dit\nen dan dat"
    choices = (Choice("Melding versturen", "verzenden"), Choice("Iets aanpassen", "aanpassen"), Choice("Stop", "stop"))
    activity = to_activity(Reply(f"{summary}\n\n{dialog_texts.CONFIRM_QUESTION}", choices))
    (facts,) = [e for e in elements(activity.attachments[0].content) if e["type"] == "FactSet"]
    assert facts["facts"][1] == {"title": "Wat er gebeurde", "value": "eerst dit\n\nen dan dat"}


def test_someone_elses_mention_keeps_the_name():
    activity = Activity().deserialize(
        {
            "type": "message",
            "text": "<at>Integriteitsbot</at> mag <at>Jan Peeters</at> dat?",
            "recipient": {"id": "28:bot", "name": "Integriteitsbot"},
            "conversation": {"id": "19:x", "conversationType": "channel"},
            "entities": [
                BOT_MENTION,
                {
                    "type": "mention",
                    "text": "<at>Jan Peeters</at>",
                    "mentioned": {"id": "29:jan", "name": "Jan Peeters"},
                },
            ],
        }
    )
    assert without_mention(activity) == "mag Jan Peeters dat?"


@pytest.mark.parametrize(
    ("neutral", "teams"),
    [
        # Issue 19: an ampersand is escaped only where it would start an entity, so no host shows 'D&amp;C'.
        ("status <code> & co", "status &lt;code&gt; & co"),
        ("team D&C, typed &amp; or &#38;", "team D&C, typed &amp;amp; or &amp;#38;"),
        ("Zo:\n• een\n• twee", "Zo:\n\n• een\n\n• twee"),
        ("2. Organisatiewaarden", "2\\. Organisatiewaarden"),
        ("- geen lijst\n# geen kop", "\\- geen lijst\n\n\\# geen kop"),
        ("een *ster* en _nadruk_ in naam_voornaam", "een \\*ster\\* en \\_nadruk\\_ in naam_voornaam"),
        ("het **geschenk** mag", "het **geschenk** mag"),
        ("zie https://a.be/**x**_y.pdf.", "zie [https://a.be/x_y.pdf](https://a.be/x_y.pdf)."),
        ("(zie **https**://a.be/?p=1&q=(2))", "(zie [https://a.be/?p=1&q=(2)](https://a.be/?p=1&q=%282%29))"),
    ],
)
def test_message_text_is_escaped_for_teams(neutral, teams):
    assert message_markdown(neutral) == teams
