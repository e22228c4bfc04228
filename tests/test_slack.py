"""Slack over HTTP: signed requests to /slack/events, a local fake Web API, real SQLite, the outbox worker."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from bot.app import WORKER
from bot.channels.slack import modal
from bot.channels.slack.blocks import PICK_ACTION as PICK
from bot.channels.slack.modal import SENDING
from bot.conversation.dispatch import Conversation
from bot.storage import db
from bot.storage.discretion import HOLD_TO
from bot.vocabulary import messages as msg
from tests.flows import DESCRIPTION, receipt_code, rows
from tests.slack_fakes import SECRET, TOKEN, FakeSlack, SlackClient, idle, settled
from tests.slack_forms import CHOICES, TYPED, Form, answer_for, page_text

FORM = "application/x-www-form-urlencoded"
MELDPUNT = "UDEMOKRT01"  # Kortrijk's algemeen directeur (intern meldpunt) in the demo contacts
ADVISER = "UDEMOKRT03"  # Kortrijk's vertrouwenspersoon


def texts(call: dict[str, Any]) -> str:
    """All a posted message or view says."""
    return json.dumps({key: call.get(key) for key in ("text", "blocks", "view")}, ensure_ascii=False)


def posts_to(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """The messages the bot posted in one channel or DM."""
    return [call for call in fake.of("chat.postMessage") if call.get("channel") == channel]


def api_calls(fake: FakeSlack) -> list[str]:
    """The Web API calls the bot made, but for the auth.test it makes at start-up, before any request."""
    return [call.method for call in fake.calls if call.method != "auth.test"]


async def test_slack_is_off_without_its_secrets(bot) -> None:
    """Without SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET the route answers 404, and says why in the log."""
    async with bot.http.post(bot.url("/slack/events"), data="command=/integriteit") as response:
        assert response.status == 404
        assert "not configured" in await response.text()


async def test_lookup_answers_only_the_asker(slack: SlackClient, fake: FakeSlack) -> None:
    """A question gets the code's answer ephemerally, through the response_url: nothing posted in the channel."""
    status, body = await slack.command("mag ik een fles wijn van een aannemer aannemen?")
    assert status == 200 and body == ""
    await settled(lambda: fake.responses)
    (answer,) = fake.responses
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    said = texts(answer)
    assert "Geschenken" in said or "geschenk" in said
    assert fake.of("chat.postMessage") == []


async def test_help_lists_what_the_command_does(slack: SlackClient, fake: FakeSlack) -> None:
    """An empty /integriteit shows the help, to the asker only."""
    await slack.command("")
    await settled(lambda: fake.responses)
    assert "melden" in texts(fake.responses[0]) and fake.responses[0]["response_type"] == "ephemeral"
    assert "/integriteit melden" in texts(fake.responses[0])  # how it goes in Slack


@pytest.mark.parametrize(
    "sign",
    [{"secret": "not-the-secret"}, {"timestamp": 1_000_000_000}],
    ids=["wrong signature", "stale timestamp"],
)
async def test_a_bad_or_stale_signature_gets_401(slack: SlackClient, fake: FakeSlack, sign: dict) -> None:
    """Bolt checks every request before anything runs: nothing is answered, posted or opened."""
    status, _ = await slack.post(
        "command=%2Fintegriteit&text=melden&team_id=T0TEST&user_id=U1",
        **{"content_type": "application/x-www-form-urlencoded", **sign},
    )
    assert status == 401
    assert api_calls(fake) == [] and fake.responses == []


async def test_an_unsigned_request_gets_401(slack: SlackClient, fake: FakeSlack) -> None:
    """No signature headers at all: 401 as well."""
    async with slack.http.post(slack.url, data="command=/integriteit&text=melden") as response:
        assert response.status == 401
    assert api_calls(fake) == []


async def test_a_report_in_the_modal_with_an_inline_error(slack: SlackClient, fake: FakeSlack, store, clock) -> None:
    """/integriteit melden opens a modal; a too short description is refused at the field; the summary sends it;
    the result shows in the modal and the DM; the meldpunt gets a DM without the report's details."""
    form = Form(slack)
    view = await form.open("melden")
    assert view["type"] == "modal" and len(view["title"]["text"]) <= 24
    for _ in range(10):  # to the description, then a too short one
        if "Wat is er gebeurd" in page_text(form.view):
            break
        page = page_text(form.view)
        await form.submit(answer_for(page, CHOICES, form.labels()[0]) if form.kind() == "choice" else "vorige week")
    ack = await form.submit("te kort")
    assert ack["response_action"] == "errors" and "answer" in ack["errors"]
    assert "te kort" not in json.dumps(await rows(store, db.cases))
    await form.fill()
    assert form.kind() == "summary" and "Dit is je melding" in page_text(form.view)
    ack = await form.submit()  # the submit button: Verzenden
    assert ack["response_action"] == "update" and SENDING in page_text(ack["view"])
    await settled(lambda: fake.of("views.update"))
    result = fake.of("views.update")[-1]
    assert "ontvangstcode" in texts(result).lower() and not result["view"].get("submit")
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))
    code = receipt_code(posts_to(fake, "DEMPLOYEE")[-1]["text"])
    assert code
    (case,) = await rows(store, db.cases)
    assert case.anonymous and case.reporter_user_id is None and case.reporter_channel is None
    clock.advance(seconds=HOLD_TO.total_seconds())  # anonymous: announced the next morning
    await settled(lambda: posts_to(fake, "D" + MELDPUNT.removeprefix("U")))
    (note,) = posts_to(fake, "D" + MELDPUNT.removeprefix("U"))
    assert case.reference in texts(note) and DESCRIPTION not in texts(note)
    # A second submit of the same summary files nothing more.
    await form.submit()
    assert len(await rows(store, db.cases)) == 1


@pytest.mark.parametrize(("command", "table"), [("geschenk", db.gifts), ("vertrouwenspersoon", db.contact_requests)])
async def test_gift_and_adviser_flows_run_in_the_modal(
    slack: SlackClient, fake: FakeSlack, store, command: str, table: Any
) -> None:
    """The gift and adviser flows run to their end in the modal; the value page refuses text that is no amount."""
    form = Form(slack)
    await form.open(command)
    if command == "geschenk":
        await form.fill(until="Hoeveel is het ongeveer waard")
        refused = await form.submit("heel veel")
        assert refused["response_action"] == "errors" and refused["errors"]["answer"]
    await form.fill()
    assert form.kind() == "summary"
    await form.submit()
    await settled(lambda: fake.of("views.update"))
    assert len(await rows(store, table)) == 1, page_text(form.view)


async def test_closing_the_modal_drops_the_flow_and_says_so(slack: SlackClient, fake: FakeSlack, store) -> None:
    """Closing the modal halfway stores nothing and tells the user in the DM."""
    form = Form(slack)
    await form.open("melden")
    await form.submit(form.labels()[0])
    status, _ = await slack.interact(
        {"type": "view_closed", "user": {"id": "UEMPLOYEE", "team_id": "T0TEST"}, "view": {**form.view, "id": "V1"}}
    )
    assert status == 200
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))
    assert "niets verstuurd" in texts(posts_to(fake, "DEMPLOYEE")[-1])
    assert await rows(store, db.flow_state) == []


async def test_a_report_in_the_dm(slack: SlackClient, fake: FakeSlack, store) -> None:
    """The DM runs the same conversation: buttons as Block Kit actions, typed answers understood."""
    await slack.dm("melden")
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))
    await slack.press(posts_to(fake, "DEMPLOYEE")[-1], "schending van regels")
    for typed in ["anoniem", "nee", DESCRIPTION, "vorige week", "overslaan", "nee"]:  # the identity first
        count = len(posts_to(fake, "DEMPLOYEE"))
        await slack.dm(typed)
        await settled(lambda count=count: len(posts_to(fake, "DEMPLOYEE")) > count)
    summary = posts_to(fake, "DEMPLOYEE")[-1]
    assert "Dit is je melding" in texts(summary)
    count = len(posts_to(fake, "DEMPLOYEE"))
    await slack.press(summary, "versturen")
    await slack.press(summary, "versturen")  # a double click
    await settled(lambda: len(posts_to(fake, "DEMPLOYEE")) >= count + 2)
    assert "Je ontvangstcode:" in posts_to(fake, "DEMPLOYEE")[count]["text"]
    assert len(await rows(store, db.cases)) == 1


async def test_a_mention_answers_in_the_thread_and_moves_a_flow_to_the_dm(slack: SlackClient, fake: FakeSlack) -> None:
    """@Integriteitsbot in a channel: the answer in the thread; a flow goes on in the DM, nothing of it here."""
    question = "<@UBOT> mag ik een geschenk aannemen?"
    await slack.event({"type": "app_mention", "channel": "C0GENERAL", "user": "UEMPLOYEE", "text": question})
    await settled(lambda: posts_to(fake, "C0GENERAL"))
    answers = posts_to(fake, "C0GENERAL")
    assert all(answer["thread_ts"] for answer in answers) and "geschenk" in texts(answers[0]).lower()
    await slack.event({"type": "app_mention", "channel": "C0GENERAL", "user": "UEMPLOYEE", "text": "<@UBOT> melden"})
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))
    moved = posts_to(fake, "C0GENERAL")[-1]
    assert moved["text"].startswith("Dit doen we liever niet hier") and "Wat wil je melden" not in texts(moved)
    assert "Wat wil je melden" in texts(posts_to(fake, "DEMPLOYEE")[-1]) or "melding" in texts(
        posts_to(fake, "DEMPLOYEE")[-1]
    )


async def named_report_in_dm(slack: SlackClient, fake: FakeSlack) -> None:
    """An employee files a report with their name in the DM."""
    await slack.dm("melden")
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))
    for typed in ["schending van regels", "met mijn naam", "nee", DESCRIPTION, "vorige week", "overslaan", "nee"]:
        count = len(posts_to(fake, "DEMPLOYEE"))
        await slack.dm(typed)
        await settled(lambda count=count: len(posts_to(fake, "DEMPLOYEE")) > count)
    if "Hoe heet je" in texts(posts_to(fake, "DEMPLOYEE")[-1]):
        count = len(posts_to(fake, "DEMPLOYEE"))
        await slack.dm("An Peeters")
        await settled(lambda: len(posts_to(fake, "DEMPLOYEE")) > count)
    count = len(posts_to(fake, "DEMPLOYEE"))
    await slack.dm("verzenden")
    await settled(lambda: len(posts_to(fake, "DEMPLOYEE")) > count)


def with_text(message: dict[str, Any], text: str) -> dict[str, Any]:
    """A notification message as Slack sends it back with the handler's text typed in its input."""
    from bot.channels.slack.blocks import NOTIFY_TEXT_ACTION, NOTIFY_TEXT_BLOCK

    state = {NOTIFY_TEXT_BLOCK: {NOTIFY_TEXT_ACTION: {"type": "plain_text_input", "value": text}}}
    return {**message, "_state": state}


async def test_the_handler_acts_and_the_named_reporter_hears_it(slack: SlackClient, fake: FakeSlack, store) -> None:
    """The meldpunt acknowledges and asks from the DM notification; the message updates in place with who did it;
    the employee gets each step in their DM."""
    await named_report_in_dm(slack, fake)
    meldpunt_dm = "D" + MELDPUNT.removeprefix("U")
    await settled(lambda: posts_to(fake, meldpunt_dm))
    (note,) = posts_to(fake, meldpunt_dm)
    assert DESCRIPTION not in texts(note) and "An Peeters" not in texts(note)
    note = {**note, "ts": "1700000000.000001"}
    await slack.press(note, "Openen", user=MELDPUNT)  # the details, in the meldpunt's own DM only
    await settled(lambda: any(DESCRIPTION in texts(m) for m in posts_to(fake, meldpunt_dm)))
    await slack.press(note, "Bevestigen", user=MELDPUNT)
    await settled(lambda: fake.of("chat.update"))
    updated = fake.of("chat.update")[-1]
    assert updated["channel"] == meldpunt_dm and "Ontvangst bevestigd: door Demo Meldpunt (fictief)" in texts(updated)
    assert "notify:bevestigen" not in texts(updated)
    (case,) = await rows(store, db.cases)
    assert case.status == "ontvangst bevestigd"
    await settled(lambda: any("Nieuws over je melding" in texts(m) for m in posts_to(fake, "DEMPLOYEE")))

    await slack.press(with_text(updated, "Wanneer gebeurde het precies?"), "Vraag stellen", user=MELDPUNT)
    await settled(lambda: any("Wanneer gebeurde het precies" in texts(m) for m in posts_to(fake, "DEMPLOYEE")))


async def test_someone_elses_click_is_refused(slack: SlackClient, fake: FakeSlack, store) -> None:
    """Only the addressee may act: another user's click changes nothing and is told so, to them only."""
    await named_report_in_dm(slack, fake)
    meldpunt_dm = "D" + MELDPUNT.removeprefix("U")
    await settled(lambda: posts_to(fake, meldpunt_dm))
    await slack.press(posts_to(fake, meldpunt_dm)[0], "Bevestigen", user="UOTHER")
    await settled(lambda: fake.responses)
    assert fake.responses[-1]["text"] == msg.ACTION_NOT_YOURS and fake.responses[-1]["response_type"] == "ephemeral"
    assert fake.of("chat.update") == []
    (case,) = await rows(store, db.cases)
    assert case.status == "ontvangen"


async def test_a_picked_manager_decides_on_a_gift(slack: SlackClient, fake: FakeSlack, store) -> None:
    """The manager picked with the users select gets the declaration as a DM and approves it; the employee hears it."""
    form = Form(slack)
    await form.open("geschenk")
    await form.fill()
    assert "Mia Manager" in page_text(form.view)  # the summary names the person picked, as Slack knows them
    await form.submit()
    await settled(lambda: posts_to(fake, "DMANAGER"))
    (gift,) = await rows(store, db.gifts)
    assert gift.manager == "Mia Manager [slack:UMANAGER]"
    (note,) = posts_to(fake, "DMANAGER")
    assert "An Peeters" in texts(note)  # a gift's card names the employee: the manager may see it
    await slack.press({**note, "ts": "1700000000.000009"}, "Akkoord", user="UMANAGER")
    await settled(lambda: fake.of("chat.update"))
    assert "Akkoord: door Mia Manager" in texts(fake.of("chat.update")[-1])
    await settled(lambda: any("Beslissing over je geschenk" in texts(m) for m in posts_to(fake, "DEMPLOYEE")))


async def test_a_rate_limit_is_waited_out_and_delivered_once(start_bot, fake: FakeSlack, store, clock):
    """Slack answers 429 with Retry-After: the outbox waits that long (not its own shorter back-off), then
    delivers the notification exactly once."""
    bot = await start_bot(
        slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url, outbox_interval=3600
    )
    worker = bot.server.app[WORKER]  # driven by hand below
    form = Form(SlackClient(bot.http, bot.url("/slack/events"), fake))
    await form.open("vertrouwenspersoon")
    await form.fill()
    await form.submit()
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))  # the result in the DM: the last call before the outbox's
    adviser_dm = "D" + ADVISER.removeprefix("U")
    fake.failures["chat.postMessage"] = [(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "120"})]
    assert await worker.run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert row.recipient.get("slack_user_id") == ADVISER
    assert row.status == "pending" and "rate limit" in row.last_error
    clock.advance(seconds=60)  # past the outbox's own 5 s back-off, short of Slack's 120 s
    assert await worker.run_once() == 0
    clock.advance(seconds=61)
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0
    assert len(posts_to(fake, adviser_dm)) == 2  # the refused attempt and the one delivery
    (row,) = await rows(store, db.outbox)
    assert row.status == "delivered"


async def test_a_person_slack_does_not_know_is_handed_on_at_once(start_bot, fake: FakeSlack, store):
    """channel_not_found is no reason to retry for a day: the row fails for good at once (no other channel here),
    and `integriteitsbot outbox` shows why."""
    bot = await start_bot(
        slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url, outbox_interval=3600
    )
    worker = bot.server.app[WORKER]
    form = Form(SlackClient(bot.http, bot.url("/slack/events"), fake))
    await form.open("vertrouwenspersoon")
    await form.fill()
    await form.submit()
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))  # the result in the DM: the last call before the outbox's
    fake.failures["conversations.open"] = [(200, {"ok": False, "error": "channel_not_found"}, {})]
    assert await worker.run_once() == 0
    (row,) = await rows(store, db.outbox)
    assert (row.status, row.attempts) == ("failed", 1) and "channel_not_found" in row.last_error


async def test_the_ack_comes_before_slow_work(slack: SlackClient, fake: FakeSlack) -> None:
    """With every Web API call taking 1.5 s, the command is acknowledged at once; its answer follows later."""
    fake.delay = 1.5
    status, _ = await slack.command("mag ik een geschenk aannemen?", user="USLOW")
    assert status == 200 and fake.responses == []  # acknowledged while users.info is still waiting
    await settled(lambda: fake.responses, within=10)
    assert fake.responses[0]["response_type"] == "ephemeral"


async def file_in_modal(slack: SlackClient, fake: FakeSlack) -> str:
    """An anonymous report through the modal; returns the receipt code the DM shows."""
    form = Form(slack)
    await form.open("melden")
    await form.fill()
    await form.submit()
    await settled(lambda: posts_to(fake, "DEMPLOYEE"))
    return receipt_code(posts_to(fake, "DEMPLOYEE")[-1]["text"])


async def test_status_goes_to_the_dm_and_aanvullen_opens_a_modal(slack: SlackClient, fake: FakeSlack, store) -> None:
    """`status <code>` typed in a channel is answered in the DM, never in the channel, not even ephemerally;
    `aanvullen <code>` opens the addendum flow in a modal."""
    code = await file_in_modal(slack, fake)
    before = len(posts_to(fake, "DEMPLOYEE"))
    await slack.command(f"status {code}")
    await settled(lambda: len(posts_to(fake, "DEMPLOYEE")) > before and fake.responses)
    (case,) = await rows(store, db.cases)
    assert case.reference in texts(posts_to(fake, "DEMPLOYEE")[-1])
    assert all(case.reference not in texts(response) for response in fake.responses)
    assert fake.responses[-1]["text"].startswith("Ik antwoordde je in je privégesprek")
    # Typed in a DM with a colleague: still only in the bot's own DM, never in theirs.
    responses, before = len(fake.responses), len(posts_to(fake, "DEMPLOYEE"))
    await slack.command(f"status {code}", channel="D0COLLEAGUE")
    await settled(lambda: len(posts_to(fake, "DEMPLOYEE")) > before and len(fake.responses) > responses)
    assert posts_to(fake, "D0COLLEAGUE") == []
    # Typed in the bot's DM itself: the answer is there, with no pointer to it.
    responses, before = len(fake.responses), len(posts_to(fake, "DEMPLOYEE"))
    await slack.command(f"status {code}", channel="DEMPLOYEE")
    await settled(lambda: len(posts_to(fake, "DEMPLOYEE")) > before)
    await idle(fake)
    assert len(fake.responses) == responses

    form = Form(slack)
    view = await form.open(f"aanvullen {code}")
    assert view["title"]["text"] == "Melding aanvullen" and case.reference in page_text(view)
    await form.submit("Er was ook een tweede offerte die verdween uit het dossier.")
    if form.kind() == "summary":
        await form.submit()
    await settled(lambda: any("aanvulling" in texts(call).lower() for call in fake.of("views.update")))
    assert len(await rows(store, db.case_events)) >= 1


async def test_a_wrong_receipt_code_gets_a_clear_answer_in_the_modal(slack: SlackClient, fake: FakeSlack) -> None:
    """An unknown code opens no flow: the modal says what is wrong, with nothing to submit."""
    view = await Form(slack).open("aanvullen ABCD-EFGH-JKLM")
    assert not view.get("submit") and "geen melding met die code" in page_text(view)


async def test_an_offer_under_an_ephemeral_answer_opens_the_modal(slack: SlackClient, fake: FakeSlack) -> None:
    """A flow button under an answer only the asker sees opens that flow as a modal (the click's trigger)."""
    await slack.command("een leverancier gaf me een fles wijn")
    await settled(lambda: fake.responses)
    answer = {**fake.responses[-1], "channel": "C0GENERAL"}
    await slack.press(answer, "Geschenk melden")
    await settled(lambda: fake.of("views.open"))
    assert fake.of("views.open")[-1]["view"]["title"]["text"] == "Geschenk melden"
    assert fake.of("chat.postMessage") == []


async def test_a_person_picked_in_the_dm_becomes_the_recipient(slack: SlackClient, fake: FakeSlack, store) -> None:
    """In the DM the question about a person carries a users select; the pick is stored as that Slack member."""
    await slack.dm("geschenk")
    for _ in range(30):
        await idle(fake)
        last = posts_to(fake, "DEMPLOYEE")[-1]
        said = texts(last)
        if PICK in said:
            select = next(
                element
                for block in last["blocks"]
                if block["type"] == "actions"
                for element in block["elements"]
                if element["type"] == "users_select"
            )
            await slack.interact(
                {
                    "type": "block_actions",
                    "user": {"id": "UEMPLOYEE", "team_id": "T0TEST"},
                    "channel": {"id": "DEMPLOYEE"},
                    "response_url": fake.response_url("pick"),
                    "actions": [{**select, "selected_user": "UMANAGER", "action_ts": "1"}],
                }
            )
        elif "Kijk ze nog even na" in said:  # the summary: its first button sends
            await slack.press(last, "Geschenk melden")
            break
        elif '"actions"' in said:
            labels = [e["text"]["text"] for b in last["blocks"] if b["type"] == "actions" for e in b["elements"]]
            await slack.press(last, answer_for(said, [("Van wie", "leverancier")], labels[0]))
        else:
            await slack.dm(answer_for(said, TYPED, "vorige week"))
    await idle(fake)
    await settled(lambda: posts_to(fake, "DMANAGER"))
    (gift,) = await rows(store, db.gifts)
    assert gift.manager.endswith("[slack:UMANAGER]")


async def test_one_notification_per_person_on_the_first_channel_that_works(start_bot, connector, fake, store, clock):
    """With Teams and Slack both on, the meldpunt (known on both) gets the card once, in Teams; when Teams fails
    for good it is handed to Slack and delivered there, once."""
    bot = await start_bot(
        teams_notify=True,
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
        outbox_interval=3600,
    )
    worker = bot.server.app[WORKER]
    await file_in_modal(SlackClient(bot.http, bot.url("/slack/events"), fake), fake)
    clock.advance(seconds=HOLD_TO.total_seconds())  # anonymous: announced the next morning
    (row,) = await rows(store, db.outbox)
    assert row.channel == "msteams"
    connector.down = True
    worker.max_attempts = 1  # Teams fails for good at once
    assert await worker.run_once() == 0
    assert await worker.run_once() == 1  # the hand-over to Slack
    meldpunt_dm = "D" + MELDPUNT.removeprefix("U")
    assert len(posts_to(fake, meldpunt_dm)) == 1 and connector.created == []
    clock.advance(hours=2)
    assert await worker.run_once() == 0
    assert len(posts_to(fake, meldpunt_dm)) == 1


async def test_each_workspace_gets_its_own_code_and_an_unknown_one_is_told(start_bot, fake: FakeSlack) -> None:
    """The workspace map picks the organisation; a workspace outside it (and no default) hears it is not set up."""
    bot = await start_bot(
        org=None,
        slack_teams={"T0TEST": "putte"},
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=fake.api_url,
    )
    slack = SlackClient(bot.http, bot.url("/slack/events"), fake)
    await slack.command("help")
    await settled(lambda: fake.responses)
    assert "Putte" in texts(fake.responses[-1])
    await slack.interact(
        {
            "type": "block_actions",
            "team": {"id": "T0ELSEWHERE"},
            "user": {"id": "UEMPLOYEE", "team_id": "T0ELSEWHERE"},
            "channel": {"id": "C0GENERAL"},
            "response_url": fake.response_url("elsewhere"),
            "actions": [{"type": "button", "action_id": "choice:0", "value": "help", "action_ts": "1"}],
        }
    )
    await settled(lambda: len(fake.responses) > 1)
    assert msg.UNKNOWN_ORG in texts(fake.responses[-1])


@pytest.mark.parametrize(
    ("body", "content_type", "signed"),
    [
        ("payload=notjson", FORM, False),
        ("payload=notjson", FORM, True),
        (f"payload={json.dumps({'type': 'view_submission', 'view': {'callback_id': 'integriteit_flow'}})}", FORM, True),
        ("\\xff\\xfe", "application/json", True),
    ],
)
async def test_a_malformed_request_gets_400_and_one_log_line(slack, fake, caplog, body, content_type, signed) -> None:
    """Bodies bolt cannot read, signed or not, are refused with 400 and a warning, never a 500 or a traceback."""
    if signed:
        status, _ = await slack.post(body, content_type)
    else:
        async with slack.http.post(slack.url, data=body, headers={"Content-Type": content_type}) as response:
            status = response.status
    assert status in (400, 401)
    assert not any(record.exc_info for record in caplog.records)
    assert api_calls(fake) == []


async def test_a_slow_form_step_gets_a_waiting_page_in_time_then_its_page(
    slack: SlackClient, fake: FakeSlack, monkeypatch
) -> None:
    """When a step takes longer than the ack budget, Slack gets a waiting page at once; the next page (or the
    problem with the question again) replaces it once the step is done."""
    form = Form(slack)
    await form.open("melden")
    await form.fill(until="Wat is er gebeurd")
    handle = Conversation.handle

    async def slow(self, turn):
        await asyncio.sleep(0.3)
        return await handle(self, turn)

    monkeypatch.setattr(Conversation, "handle", slow)
    monkeypatch.setattr(modal, "ACK_BUDGET", 0.05)
    ack = await form.submit("te kort")
    assert ack["response_action"] == "update" and modal.BUSY in page_text(ack["view"])
    await settled(lambda: fake.of("views.update"))
    late = fake.of("views.update")[-1]["view"]
    assert "Wat is er gebeurd" in page_text(late) and late.get("submit")  # the question again, with its problem
    form.view = late
    ack = await form.submit(DESCRIPTION)
    assert modal.BUSY in page_text(ack["view"])
    await settled(lambda: len(fake.of("views.update")) > 1)
    assert "Wanneer" in page_text(fake.of("views.update")[-1]["view"])


async def test_a_form_opened_again_goes_on_where_it_was(slack: SlackClient, fake: FakeSlack) -> None:
    """The same flow asked for again while its form was left (Slack lost it, or a step failed) resumes it;
    another flow starts afresh."""
    form = Form(slack)
    await form.open("melden")
    await form.fill(until="Wat is er gebeurd")
    again = await Form(slack).open("melden")
    assert "Je was nog bezig met je melding" in page_text(again) and "Wat is er gebeurd" in page_text(again)
    other = await Form(slack).open("geschenk")
    assert "Je was nog bezig" not in page_text(other) and "Wat kreeg je" in page_text(other)
