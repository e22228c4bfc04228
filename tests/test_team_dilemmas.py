"""Dilemmas with the team: 'dilemma' in a Teams or Slack channel posts a situation from the code with an anonymous
poll; one vote per person, changeable, counted without storing who voted what; the card shows the tally, and the
code's answer with its quote when the poster closes it or its time is up; a team's schedule posts one every n weeks;
and the figures per team."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, time, timedelta

from sqlalchemy import select

from bot.app import WORKER
from bot.channels.teams.polls import CLOSE_VERB, VOTE_VERB
from bot.clock import BRUSSELS
from bot.storage import db
from tests.living import CHANNEL, ROSTER, in_channel, invoke, post_invoke, until
from tests.slack_fakes import TEAM, settled
from tests.teams_chat import cards_of, elements
from tests.test_card_schema import schema_problems
from tests.test_slack_blocks import valid_message

AN, BRAM, CHLOE = ROSTER[:3]


def poll_of(activity: dict) -> tuple[str, dict]:
    """The poll id and card of a posted poll."""
    (card,) = cards_of(activity)
    (vote,) = [e for e in elements(card) if e.get("verb") == VOTE_VERB]
    return vote["data"]["poll"], card


def card_text(card: dict) -> str:
    """Everything a card says."""
    return " ".join(e.get("text", "") for e in elements(card) if e["type"] == "TextBlock")


async def ask(bot, who: dict = AN, thread: str = "1") -> tuple[str, dict, dict]:
    """'dilemma' typed in the team's channel: the poll id, its card and the activity that carried it."""
    (posted,) = await bot.say("dilemma", **in_channel(who["id"], who["aadObjectId"], who["name"], thread))
    poll, card = poll_of(posted)
    return poll, card, posted


async def test_a_team_votes_anonymously_and_sees_the_codes_answer(bot, connector, store, content):
    poll, card, posted = await ask(bot)
    assert posted["_path"].startswith(f"/v3/conversations/{CHANNEL['id']};messageid=1/")
    assert schema_problems(card) == []
    pack = content.packs["kortrijk"]
    async with store.engine.connect() as conn:
        row = (await conn.execute(select(db.dilemma_polls))).one()
    dilemma = pack.dilemmas.find(row.dilemma)
    assert dilemma.situation in card_text(card) and "anoniem" in card_text(card)
    assert dilemma.quote not in json.dumps(card)  # the answer stays hidden until the poll closes
    wrong = (dilemma.answer + 1) % len(dilemma.options)

    async def vote(who: dict, choice: int) -> dict:
        answer = await post_invoke(bot, invoke(bot, VOTE_VERB, {"poll": poll, "keuze": str(choice)}, who, "reply-1"))
        assert answer["type"] == "application/vnd.microsoft.card.adaptive", answer
        assert schema_problems(answer["value"]) == []
        return answer["value"]

    await vote(AN, wrong)
    await vote(BRAM, dilemma.answer)
    await vote(CHLOE, dilemma.answer)
    counted = await vote(AN, dilemma.answer)  # An changes her mind: still three votes
    assert "3 stemmen tot nu toe" in card_text(counted)
    assert connector.updated and connector.updated[-1]["_path"].endswith("/activities/reply-1")  # for everyone
    async with store.engine.connect() as conn:
        votes = (await conn.execute(select(db.dilemma_votes))).all()
    assert len(votes) == 3
    for stored in votes:  # nobody's id, nor anything that equals it
        assert not any(person["aadObjectId"] in str(stored._mapping) for person in ROSTER[:3])
    # No choice picked: a clear Dutch answer in the card's own error shape.
    nothing = await post_invoke(bot, invoke(bot, VOTE_VERB, {"poll": poll}, BRAM, "reply-1"), status=400)
    assert nothing["statusCode"] == 400 and "Kies eerst" in nothing["value"]["message"]

    refused = await post_invoke(bot, invoke(bot, CLOSE_VERB, {"poll": poll}, BRAM, "reply-1"))
    assert "Alleen wie het dilemma vroeg" in refused["value"]
    closed = await post_invoke(bot, invoke(bot, CLOSE_VERB, {"poll": poll}, AN, "reply-1"))
    answer = closed["value"]
    assert schema_problems(answer) == [] and "Bespreek het in je volgend teamoverleg" in card_text(answer)
    assert " ".join(dilemma.quote.split()) in " ".join(card_text(answer).split())
    assert "3 stemmen. 100 % koos wat de code zegt." in card_text(answer)
    async with store.engine.connect() as conn:
        assert (await conn.execute(select(db.dilemma_votes))).all() == []  # the votes go, the tally stays
        kept = (await conn.execute(select(db.dilemma_polls.c.tally))).scalar_one()
    assert sum(kept) == 3 and kept[dilemma.answer] == 3
    late = await post_invoke(bot, invoke(bot, VOTE_VERB, {"poll": poll, "keuze": "0"}, BRAM, "reply-1"))
    assert "Bespreek het" in card_text(late["value"])  # closed: the vote is not counted, the answer shown


async def test_a_message_teams_sends_twice_posts_one_poll(bot, connector, store):
    activity = bot.activity(text="dilemma", **in_channel(AN["id"], AN["aadObjectId"], AN["name"]))
    assert await bot.post(activity) in (200, 201) and await bot.post(activity) in (200, 201)
    async with store.engine.connect() as conn:
        assert len((await conn.execute(select(db.dilemma_polls))).all()) == 1


async def test_a_poll_closes_by_itself_when_its_time_is_up(bot, connector, clock):
    poll, _, _ = await ask(bot)
    await post_invoke(bot, invoke(bot, VOTE_VERB, {"poll": poll, "keuze": "0"}, BRAM, "reply-1"))
    before = len(connector.updated)
    worker = bot.server.app[WORKER]
    await worker.watch()
    assert len(connector.updated) == before  # not yet
    clock.advance(days=3, hours=1)
    await worker.watch()  # this round, or the service's own worker that saw the clock move: one of them closes it
    await until(lambda: len(connector.updated) > before)
    await asyncio.sleep(0.3)
    (update,) = connector.updated[before:]
    assert update["_path"] == f"/v3/conversations/{CHANNEL['id']};messageid=1/activities/reply-1"
    closed = card_text(cards_of(update)[0])
    assert "Bespreek het in je volgend teamoverleg" in closed
    assert "Minder dan 3 stemmen" in closed and "(1 stem)" not in closed  # one voter is not shown what they chose


async def test_a_schedule_posts_once_every_two_weeks(bot, connector, clock, store):
    where = in_channel(AN["id"], AN["aadObjectId"], AN["name"])
    (planned,) = await bot.say("dilemma om de 2 weken op maandag", **where)
    assert "om de 2 weken op maandag om 9 uur" in planned["text"]
    first = re.search(r"De eerste keer: maandag (\d\d/\d\d)", planned["text"])
    assert first is not None
    worker = bot.server.app[WORKER]

    def posted() -> list[dict]:
        """New posts in the channel: a conversation created there, with the poll as its first message."""
        return [
            c["activity"] for c in connector.created if c.get("channelData", {}).get("channel") == {"id": CHANNEL["id"]}
        ]

    async def round_then(count: int) -> None:
        """Two hourly rounds (these, or the service's own worker that saw the clock move: whichever claims the
        schedule first posts), then exactly `count` posts, and no more after several rounds of that worker."""
        await worker.watch()
        await worker.watch()  # a second round, or a second replica: nothing twice
        await until(lambda: len(posted()) == count)
        await asyncio.sleep(0.3)
        assert len(posted()) == count

    await round_then(0)
    monday = clock.today() + timedelta(days=(7 - clock.today().weekday()) % 7 or 7)
    clock.moment = datetime.combine(monday, time(9, 5), BRUSSELS)
    assert f"{monday:%d/%m}" == first.group(1)
    await round_then(1)
    assert schema_problems(cards_of(posted()[0])[0]) == []
    clock.advance(days=7)
    await round_then(1)  # every other week
    clock.advance(days=7)
    await round_then(2)
    (shown,) = await bot.say("dilemma planning", **where)
    assert "om de 2 weken op maandag" in shown["text"]
    (stopped,) = await bot.say("dilemma stop", **where)
    assert "Gestopt" in stopped["text"]
    clock.advance(days=14)
    await round_then(2)
    async with store.engine.connect() as conn:
        polls = (await conn.execute(select(db.dilemma_polls))).all()
    assert len(polls) == 2 and len({poll.dilemma for poll in polls}) == 2  # the team gets another one each time


async def test_dilemma_figures_per_team_in_the_annual_report(bot, cli, tmp_path, clock):
    poll, _, _ = await ask(bot)
    for who in (AN, BRAM, CHLOE):
        await post_invoke(bot, invoke(bot, VOTE_VERB, {"poll": poll, "keuze": "0"}, who, "reply-1"))
    await post_invoke(bot, invoke(bot, CLOSE_VERB, {"poll": poll}, AN, "reply-1"))
    out = tmp_path / "figures.txt"
    year = str(clock.today().year)
    assert await cli("stats", "--org", "kortrijk", "--year", year, "--format", "text", "-o", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "Dilemma's in teams" in text and re.search(r"stemmen +3\n", text)
    assert "Financiën / Algemeen: stemmen" in text and "An Peeters" not in text


async def test_a_slack_channel_votes_on_a_dilemma(slack, fake):
    await slack.event({"type": "app_mention", "user": "UEMPLOYEE", "channel": "C0TEAM", "text": "<@UBOT> dilemma"})
    await settled(lambda: any(c.get("blocks") for c in fake.of("chat.postMessage")))
    (posted,) = [c for c in fake.of("chat.postMessage") if c.get("blocks")]
    valid_message({"text": posted["text"], "blocks": posted["blocks"]})
    votes = [b["accessory"] for b in posted["blocks"] if b.get("accessory", {}).get("action_id", "").startswith("poll")]
    assert len(votes) >= 3

    async def press(element: dict, user: str) -> None:
        payload = {
            "type": "block_actions",
            "user": {"id": user, "team_id": TEAM},
            "channel": {"id": "C0TEAM"},
            "container": {"type": "message", "message_ts": "1700000000.000001", "channel_id": "C0TEAM"},
            "message": {"ts": "1700000000.000001", "blocks": posted["blocks"]},
            "response_url": fake.response_url("poll"),
            "actions": [{**element, "action_ts": "1"}],
        }
        status, _ = await slack.interact(payload)
        assert status == 200

    await press(votes[0], "UEMPLOYEE")
    await press(votes[1], "UOTHER")
    await press(votes[1], "UEMPLOYEE")  # changed: still two votes
    await settled(lambda: len(fake.of("chat.update")) == 3)
    update = fake.of("chat.update")[-1]
    assert update["channel"] == "C0TEAM" and update["ts"] == "1700000000.000001"
    valid_message({"text": update["text"], "blocks": update["blocks"]})
    assert "2 stemmen tot nu toe" in json.dumps(update["blocks"], ensure_ascii=False)
    await settled(lambda: len(fake.responses) >= 3)
    assert all(r["response_type"] == "ephemeral" and "Niemand ziet" in r["text"] for r in fake.responses)
    close = next(b for b in posted["blocks"] if b["type"] == "actions")["elements"][0]
    await press(close, "UEMPLOYEE")
    await settled(lambda: len(fake.of("chat.update")) == 4)
    answer = fake.of("chat.update")[-1]
    valid_message({"text": answer["text"], "blocks": answer["blocks"]})
    assert "Bespreek het in je volgend teamoverleg" in json.dumps(answer["blocks"], ensure_ascii=False)


async def test_a_slack_campaign_for_a_channel(slack, fake):
    fake.members["C0TEAM"] = ["UEMPLOYEE", "UOTHER", "UDEMOKRTHR", "UBOT"]
    await slack.event({"type": "app_mention", "user": "UOTHER", "channel": "C0TEAM", "text": "<@UBOT> campagne"})
    await settled(lambda: fake.of("chat.postMessage"))
    assert "personeelsdienst of de integriteitsadviseur" in fake.of("chat.postMessage")[-1]["text"]
    await slack.event({"type": "app_mention", "user": "UDEMOKRTHR", "channel": "C0TEAM", "text": "<@UBOT> campagne"})
    await settled(lambda: "loopt" in fake.of("chat.postMessage")[-1]["text"] or len(fake.of("chat.postMessage")) > 5)

    def invitations() -> list[dict]:
        return [c for c in fake.of("chat.postMessage") if "lezen en onderschrijven" in c.get("text", "")]

    await settled(lambda: len(invitations()) == 3, within=10)  # not the bot itself
    assert all(c["channel"].startswith("D") for c in invitations())  # each in their own DM, never the channel
    for message in invitations():
        valid_message({"text": message["text"], "blocks": message["blocks"]})
    dm = next(c for c in invitations() if c["channel"] == "DEMPLOYEE")
    await slack.press({**dm, "channel": "DEMPLOYEE"}, "onderschrijf ze")
    await settled(lambda: any("Dank je wel" in c.get("text", "") for c in fake.of("chat.postMessage")))


async def test_a_campaign_for_a_slack_channel_from_the_command_line(slack, fake, cli, monkeypatch):
    from tests.slack_fakes import SECRET, TOKEN

    for name, value in {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url,
    }.items():
        monkeypatch.setenv(name, value)
    fake.members["C0TEAM"] = ["UEMPLOYEE", "UOTHER", "UBOT"]
    code = await cli("campaign", "start", "--org", "kortrijk", "--slack-channel", "C0TEAM", "--owner", "HR")
    assert code == 0

    def invitations() -> list[dict]:
        return [c for c in fake.of("chat.postMessage") if "lezen en onderschrijven" in c.get("text", "")]

    await settled(lambda: len(invitations()) == 2, within=10)  # the bot itself is nobody to ask
    assert {c["channel"] for c in invitations()} == {"DEMPLOYEE", "DOTHER"}
