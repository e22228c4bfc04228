"""Signing the code: the personeelsdienst starts a campaign for a Teams team from its channel; each member gets the
code's purpose and main points in a 1:1 message and confirms once; the register, reminders (at most two), the
export, the welcome on day one, and the annual figures."""

from __future__ import annotations

import asyncio
import csv
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import STORE, WORKER
from bot.storage import db
from tests.living import HR_AAD, ROSTER, in_channel, in_private, until
from tests.teams_chat import cards_of, controls, elements, shown_text
from tests.test_card_schema import schema_problems
from tests.test_email import mail as mail
from tests.test_email import mailing_bot, plain_and_html

HR = ROSTER[3]
STAFF = ROSTER[:3]


@pytest.fixture
async def bot(start_bot):
    """The bot for Stad Kortrijk, delivering in Teams (proactive 1:1 messages)."""
    return await start_bot(teams_notify=True)


def invitations(connector, aad: str | None = None) -> list[dict]:
    """The campaign messages the bot sent proactively (to one person, by the chat created for them)."""
    chats = {f"/v3/conversations/a:created-{n + 1}/": c for n, c in enumerate(connector.created)}
    found = []
    for activity in connector.sent:
        created = next((chat for path, chat in chats.items() if activity["_path"].startswith(path)), None)
        if created is None or "lezen en onderschrijven" not in (activity.get("text") or ""):
            continue
        if aad is None or created["members"][0].get("aadObjectId") == aad:
            found.append(activity)
    return found


async def start_campaign(bot, connector) -> list[dict]:
    """The personeelsdienst types 'campagne' in the team's channel; returns the bot's answer there."""
    connector.members = ROSTER
    await bot.say("hallo")  # the tenant's service URL is learnt from a first message
    return await bot.say("campagne", **in_channel("29:hr", HR_AAD, HR["name"]))


async def test_a_campaign_reaches_each_member_once_and_a_double_click_confirms_once(bot, connector, store, content):
    (said,) = await start_campaign(bot, connector)
    assert "Campagne C-2026-0001 loopt: 4 collega's van Financiën / Algemeen" in said["text"]
    for person in ROSTER[:3]:  # nothing of the register reaches the channel: no names
        assert person["name"] not in said["text"]
    await until(lambda: len(invitations(connector)) == 4)
    pack = content.packs["kortrijk"]
    message = invitations(connector, "aad-an")[0]
    (card,) = cards_of(message)
    assert schema_problems(card) == []
    text = " ".join(e.get("text", "") for e in elements(card) if e["type"] == "TextBlock")
    assert pack.signing.purpose.quote in text and all(p.quote in text for p in pack.signing.points)
    assert "Hilde Personeel vraagt je" in text and "C-2026-0001" in str(card)
    labels = [control.label for control in controls(message)]
    assert labels[:2] == ["Ik heb de code gelezen en onderschrijf ze", "Ik heb een vraag"]
    assert any(label.startswith("Lees: ") for label in labels)  # the sections, a press away

    an = in_private(STAFF[0])
    (confirmed,) = await bot.say(None, value={"action": "code onderschrijven"}, **an)
    assert "Dank je wel. Je onderschreef de deontologische code van Stad en OCMW Kortrijk op" in confirmed["text"]
    (again,) = await bot.say(None, value={"action": "code onderschrijven"}, **an)  # the double click
    assert "al op" in again["text"]
    async with store.engine.connect() as conn:
        rows = (await conn.execute(select(db.attestations))).all()
    assert len(rows) == 4 and sum(row.confirmed_at is not None for row in rows) == 1
    for row in rows:  # neither names nor chat ids in clear
        assert "aad-" not in str(row._mapping) and "Peeters" not in str(row._mapping)

    # Typed 'campagne' again in the channel: the same people and version, so nobody gets a second message.
    (running,) = await bot.say("campagne", **in_channel("29:hr", HR_AAD, HR["name"], thread="2"))
    assert "loopt al" in running["text"]
    await bot.server.app[WORKER].run_once()
    assert len(invitations(connector)) == 4

    # The question button starts a lookup or the adviser flow.
    (question,) = await bot.say(None, value={"action": "vraag over de code"}, **in_private(STAFF[1]))
    assert "Stel je vraag" in question["text"] and "Iemand spreken" in str(question)


async def test_the_register_is_for_the_personeelsdienst_in_private_only(bot, connector):
    await start_campaign(bot, connector)
    await until(lambda: len(invitations(connector)) == 4)
    await bot.say(None, value={"action": "code onderschrijven"}, **in_private(STAFF[0]))
    await bot.say("ik onderschrijf de code", **in_private(STAFF[1]))
    (register,) = await bot.say("campagne C-2026-0001", **in_private(HR))
    text = register["text"]
    signed, waiting = text.split("Nog niet onderschreven:")
    assert "An Peeters" in signed and "Bram De Smet" in signed and "Chloë Maes" in waiting
    assert "bericht ontvangen via Teams" in waiting
    looked = [e for e in await bot.server.app[STORE].audit_entries() if e.action == "viewed"]
    assert [(e.reference, e.actor) for e in looked] == [("C-2026-0001", f"msteams:{HR_AAD}")]
    (overview,) = await bot.say("campagnes", **in_private(HR))
    assert "C-2026-0001" in overview["text"] and "onderschreven &lt; 3" in overview["text"]  # 2 is shielded
    # A colleague who is not of the personeelsdienst: 'campagnes' is just a question, never the register.
    (other,) = await bot.say("campagne C-2026-0001", **in_private(STAFF[2]))
    assert "An Peeters" not in other["text"]
    (refused,) = await bot.say("campagne", **in_channel("29:chloe", "aad-chloe", "Chloë Maes", thread="3"))
    assert "personeelsdienst of de integriteitsadviseur" in refused["text"]


async def test_reminders_go_twice_at_most_and_only_to_who_has_not_signed(bot, connector, clock):
    await start_campaign(bot, connector)
    await until(lambda: len(invitations(connector)) == 4)
    await bot.say(None, value={"action": "code onderschrijven"}, **in_private(STAFF[0]))
    worker = bot.server.app[WORKER]

    def reminders() -> list[dict]:
        return [a for a in connector.sent if a.get("text", "").startswith("Herinnering")]

    async def round_then(count: int) -> None:
        """An hourly round (this one, or the service's own worker that saw the hour pass: whichever claims a
        reminder first sends it), a second one that finds everything claimed, and then exactly `count` reminders."""
        await worker.watch()
        await worker.watch()
        await until(lambda: len(reminders()) == count)
        await asyncio.sleep(0.3)  # several more rounds of the service's worker: nothing more arrives
        assert len(reminders()) == count

    assert await worker.watch() == 0  # not yet: the campaign reminds after 7 days
    clock.advance(days=7, hours=1)
    await round_then(3)
    clock.advance(days=7, hours=1)
    await round_then(6)
    clock.advance(days=7, hours=1)
    await round_then(6)  # twice at most
    assert not invitations(connector, "aad-an")[1:]  # who signed got no reminder


async def test_the_export_is_for_the_personnel_file(bot, connector, cli, tmp_path):
    await start_campaign(bot, connector)
    await until(lambda: len(invitations(connector)) == 4)
    await bot.say(None, value={"action": "code onderschrijven"}, **in_private(STAFF[0]))
    out_csv, out_xlsx = tmp_path / "register.csv", tmp_path / "register.xlsx"
    assert await cli("campaign", "export", "c-2026-0001", "--org", "kortrijk", "-o", str(out_csv)) == 0
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, as Excel reads it in Flanders
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][0] == "Naam" and len(rows) == 5
    an = next(row for row in rows if row[0] == "An Peeters")
    assert an[1] == "an.peeters@kortrijk.example" and an[6].endswith(":00") and an[7] == "onderschreven"
    assert await cli("campaign", "export", "C-2026-0001", "--org", "kortrijk", "-o", str(out_xlsx)) == 0
    sheet = load_workbook(out_xlsx).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(person["name"] for person in ROSTER[:4])
    assert await cli("campaign", "export", "C-2026-0009", "--org", "kortrijk", "-o", str(out_csv)) == 2
    # Once in the personnel file, the register can go: the campaign, its rows and what still waited to be sent.
    assert await cli("campaign", "delete", "C-2026-0001", "--org", "kortrijk") == 0
    assert await cli("campaign", "show", "C-2026-0001", "--org", "kortrijk") == 0  # says it is unknown
    assert await cli("campaign", "delete", "C-2026-0001", "--org", "kortrijk") == 2
    purged = [e for e in await bot.server.app[STORE].audit_entries() if e.action == "purged"]
    assert [e.reference for e in purged] == ["C-2026-0001"]


async def test_a_campaign_from_a_list_and_newcomers_only(bot, connector, cli, tmp_path, store, monkeypatch):
    # The CLI picks each person's channel as the service would: it reads the same settings.
    monkeypatch.setenv("INTEGRITEITSBOT_DEV", "1")
    monkeypatch.setenv("INTEGRITEITSBOT_TEAMS_NOTIFY", "1")
    await start_campaign(bot, connector)
    await until(lambda: len(invitations(connector)) == 4)
    await bot.say(None, value={"action": "code onderschrijven"}, **in_private(STAFF[0]))
    people = tmp_path / "nieuw.csv"
    people.write_text(
        "naam;e-mail;teams\nAn Peeters;an.peeters@kortrijk.example;aad-an\nDirk Nieuw;dirk@kortrijk.example;aad-dirk\n",
        encoding="utf-8",
    )
    code = await cli(
        "campaign", "start", "--org", "kortrijk", "--list", str(people), "--owner", "De personeelsdienst", "--newcomers"
    )
    assert code == 0
    async with store.engine.connect() as conn:
        second = (await conn.execute(select(db.attestations).where(db.attestations.c.source == "C-2026-0002"))).all()
    assert len(second) == 1  # An signed before: only Dirk is asked
    await until(lambda: len(invitations(connector, "aad-dirk")) == 1)


async def test_day_one_welcome_asks_to_sign_once(bot, connector):
    newcomer = {"id": "29:eva", "name": "Eva Nieuw", "aadObjectId": "aad-eva"}
    joined = {"type": "conversationUpdate", "membersAdded": [{"id": "29:eva", "aadObjectId": "aad-eva"}]}
    sent = await bot.say(None, **in_private(newcomer), **joined)
    assert any("lezen en onderschrijven" in shown_text(a) for a in sent)
    (card,) = [c for a in sent for c in cards_of(a) if "onderschrijf" in str(c)]
    assert schema_problems(card) == []
    await bot.say(None, value={"action": "code onderschrijven"}, **in_private(newcomer))
    again = await bot.say(None, **in_private(newcomer), **joined)
    assert again and not any("lezen en onderschrijven" in shown_text(a) for a in again)


async def test_signing_counts_in_the_annual_figures(bot, connector, cli, tmp_path, clock):
    await start_campaign(bot, connector)
    await until(lambda: len(invitations(connector)) == 4)
    for person in STAFF:
        await bot.say(None, value={"action": "code onderschrijven"}, **in_private(person))
    out = tmp_path / "figures.json"
    code = await cli(
        "stats", "--org", "kortrijk", "--year", str(clock.today().year), "--format", "text", "-o", str(out)
    )
    text = out.read_text(encoding="utf-8")
    assert code == 0 and "De code onderschreven" in text
    # One still open: shown as '< 3', and the 3 who signed hidden with it, or asked minus them would give it away.
    assert re.search(r"onderschreven na een campagne +afgeschermd\n", text) and re.search(r"nog open +< 3\n", text)
    assert "Hilde" not in text and "Peeters" not in text


async def test_who_the_bot_cannot_reach_is_named_to_the_owner_only(bot, connector):
    connector.refuse.add("aad-chloe")  # the app is not installed for Chloë: Teams refuses to open the chat
    await start_campaign(bot, connector)
    await until(lambda: len(invitations(connector)) == 3)

    async def chloe_failed() -> bool:
        (register,) = await bot.say("campagne C-2026-0001", **in_private(HR))
        return "Chloë Maes: niet bereikbaar via Teams (is de app voor hen geïnstalleerd?)" in register["text"]

    for _ in range(100):  # given up at once: no retry mends it, and no e-mail channel is set up here
        if await chloe_failed():
            break
        await asyncio.sleep(0.05)
    assert await chloe_failed()


async def test_people_no_channel_reaches_are_said_at_the_start(start_bot, connector):
    bot = await start_bot()  # Teams notifications off: no channel reaches anyone
    (said,) = await start_campaign(bot, connector)
    assert "4 van hen kan ik via geen enkel kanaal bereiken" in said["text"]


async def test_not_installed_in_teams_falls_back_to_email(start_bot, connector, mail):
    mail.start()
    bot = await mailing_bot(start_bot, mail, teams_notify=True, outbox_interval=0.05)
    connector.refuse.add("aad-chloe")
    await start_campaign(bot, connector)
    await until(lambda: any("chloe@kortrijk.example" in str(m["To"]) for m in mail.handler.messages()))
    message = next(m for m in mail.handler.messages() if "chloe@kortrijk.example" in str(m["To"]))
    text, _ = plain_and_html(message)
    assert "lezen en onderschrijven" in str(message["Subject"]) and "code onderschrijven" in text
    (register,) = await bot.say("campagne C-2026-0001", **in_private(HR))
    assert "Chloë Maes: bericht ontvangen via e-mail" in register["text"]


async def test_a_first_hello_in_slack_gets_the_signing_message(slack, fake):
    from tests.slack_fakes import settled

    await slack.dm("hallo", user="UOTHER")
    await settled(lambda: any("lezen en onderschrijven" in c.get("text", "") for c in fake.of("chat.postMessage")))
    await slack.dm("code onderschrijven", user="UOTHER")
    await settled(lambda: any("Dank je wel" in c.get("text", "") for c in fake.of("chat.postMessage")))
    await slack.dm("hallo", user="UOTHER")
    await settled(lambda: sum("Hallo" in c.get("text", "") for c in fake.of("chat.postMessage")) == 2)
    assert sum("lezen en onderschrijven" in c.get("text", "") for c in fake.of("chat.postMessage")) == 1


async def test_a_campaign_for_a_teams_team_from_the_command_line(bot, connector, cli, monkeypatch):
    monkeypatch.setenv("INTEGRITEITSBOT_DEV", "1")  # the same settings as the service: no app secret in tests
    monkeypatch.setenv("INTEGRITEITSBOT_TEAMS_NOTIFY", "1")
    monkeypatch.setenv("INTEGRITEITSBOT_ORG", "kortrijk")
    connector.members = ROSTER
    await bot.say("hallo")  # the service learns the tenant's Bot Connector from a first message
    owner = ("--owner", "De personeelsdienst")
    code = await cli("campaign", "start", "--org", "kortrijk", "--teams-team", "19:team-financien@thread.tacv2", *owner)
    assert code == 0
    await until(lambda: len(invitations(connector)) == 4)
    (register,) = await bot.say("campagne C-2026-0001", **in_private(HR))
    assert "Teams-team 19:team-financien@thread.tacv2" in register["text"] and "An Peeters" in register["text"]
    # Neither a team the connector will not list nor a Slack that is not set up ends in a trace.
    connector.down = True
    code = await cli("campaign", "start", "--org", "kortrijk", "--teams-team", "19:other@thread.tacv2", *owner)
    assert code != 0
    assert await cli("campaign", "start", "--org", "kortrijk", "--slack-channel", "C0TEAM", *owner) != 0
