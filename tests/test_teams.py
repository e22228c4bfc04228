"""End to end over HTTP: Teams activities in, replies posted to a fake Bot Connector."""

from __future__ import annotations

import pytest

from bot.channels.teams.markdown import card_markdown
from bot.conversation.dispatch import MAX_TEXT_CHARS
from tests.teams_chat import controls


def card_of(activity: dict) -> dict:
    """The Adaptive Card content of a posted activity."""
    attachments = activity.get("attachments") or []
    assert attachments, activity
    assert attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachments[0]["content"]


async def test_question_gets_adaptive_card_with_section(bot):
    sent = await bot.say("mag ik een fles wijn van een aannemer aannemen?")
    assert len(sent) == 2  # the answer, then the offer to declare the gift
    offer = sent[1]
    assert "geschenk" in offer["text"].lower()
    assert [a["value"] for a in offer["suggestedActions"]["actions"]] == ["geschenk"]
    reply = sent[0]
    assert reply["_path"] == "/v3/conversations/a:conv-1/activities/act-1"
    assert reply["replyToId"] == "act-1"
    card = card_of(reply)
    texts = [block.get("text") or block["inlines"][0]["text"] for block in card["body"] if block["type"] != "FactSet"]
    assert texts[0] == "Geschenken en voordelen"
    assert any("**geschenk" in text.lower() for text in texts), texts
    facts = {
        fact["title"]: fact["value"] for block in card["body"] if block["type"] == "FactSet" for fact in block["facts"]
    }
    assert facts == {"Deel": "Geschenken en voordelen", "Code van": "Stad en OCMW Kortrijk"}
    assert "Geschenken en voordelen" in card["fallbackText"]
    actions = {a["title"]: a["data"]["action"] for a in card["actions"]}
    assert actions["Lees het hele deel"] == "sectie geschenken-en-voordelen"


async def test_card_button_shows_whole_section(bot, content):
    sent = await bot.say(None, value={"action": "sectie geschenken-en-voordelen"})
    card = card_of(sent[0])
    section = content.packs["kortrijk"].section("geschenken-en-voordelen")
    assert any(block.get("text") == card_markdown(section.text) for block in card["body"])


async def test_welcome_when_user_joins(bot):
    sent = await bot.say(
        None,
        type="conversationUpdate",
        membersAdded=[{"id": "29:user-1", "name": "An Peeters"}],
    )
    # The welcome, then (on day one, until they signed it) the code's main points to read and sign.
    welcome, signing = sent
    text = welcome["text"]
    assert "Stad en OCMW Kortrijk" in text
    assert "privacy" in text.lower()
    # Only working features are advertised: the examples are questions, not commands.
    titles = [control.label for control in controls(welcome)]
    assert titles and all(title.endswith("?") or " " in title for title in titles)
    assert "lezen en onderschrijven" in signing["summary"]


async def test_bot_joining_alone_sends_nothing(bot):
    sent = await bot.say(None, type="conversationUpdate", membersAdded=[{"id": "28:bot"}])
    assert sent == []


async def test_help(bot):
    sent = await bot.say("help")
    assert "Zo werk ik" in sent[0]["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "leeg bericht"),
        ("   ", "leeg bericht"),
        ("x" * 20_000, f"hoogstens {MAX_TEXT_CHARS} tekens"),
    ],
)
async def test_bad_text_gets_dutch_message(bot, text, expected):
    sent = await bot.say(text)
    assert len(sent) == 1
    assert expected in sent[0]["text"]


async def test_attachment_without_text(bot):
    attachment = {"contentType": "image/png", "contentUrl": "https://example.invalid/a.png", "name": "a.png"}
    sent = await bot.say(None, attachments=[attachment])
    assert "alleen tekst" in sent[0]["text"]


async def test_reaction_is_acknowledged(bot):
    sent = await bot.say(None, type="messageReaction", reactionsAdded=[{"type": "like"}], replyToId="x")
    assert "Bedankt voor je reactie" in sent[0]["text"]


async def test_no_match_names_whom_to_ask_and_offers_sections(bot):
    sent = await bot.say("hoeveel kost een parkeerabonnement aan het station")
    reply = sent[0]
    assert "geen duidelijk antwoord" in reply["text"]
    assert "leidinggevende" in reply["text"]
    assert len(controls(reply)) >= 1


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"text": "geen type"}', "application/json", 400),
        (b"hallo", "text/plain", 415),
    ],
)
async def test_malformed_requests_get_4xx(bot, body, content_type, status):
    async with bot.http.post(bot.url("/api/messages"), data=body, headers={"Content-Type": content_type}) as resp:
        assert resp.status == status
        payload = await resp.json()
    assert payload["error"]
    assert bot.connector.sent == []


async def test_unknown_tenant_without_default_org(start_bot):
    bot = await start_bot(org=None, tenants={"tenant-other": "putte"})
    sent = await bot.say("mag ik een geschenk aannemen?")
    assert "welke organisatie" in sent[0]["text"]


async def test_tenant_map_chooses_org(start_bot):
    bot = await start_bot(org=None, tenants={"tenant-demo": "putte"})
    sent = await bot.say("de pers belt me")
    card = card_of(sent[0])
    facts = {f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]}
    assert facts["Code van"] == "Gemeente Putte"


async def test_with_app_id_unauthenticated_request_is_401(start_bot):
    bot = await start_bot(app_id="00000000-0000-0000-0000-000000000001", app_password="secret")
    status = await bot.post(bot.activity(text="hallo"))
    assert status == 401
    status = await bot.post(bot.activity(text="hallo"), headers={"Authorization": "Bearer not-a-token"})
    assert status == 401
    assert bot.connector.sent == []


async def test_healthz_lists_packs(bot, content):
    async with bot.http.get(bot.url("/healthz")) as resp:
        assert resp.status == 200
        payload = await resp.json()
    assert payload["packs"] == {org: len(p.code.sections) for org, p in content.packs.items()}
    assert payload["dev_mode"] is True
