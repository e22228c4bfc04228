"""Issue 19 point 2: someone holding only the database file links nothing to anyone. Anonymous reports are filed in
Slack and in Teams, a draft and an `aanvullen <code>` are left open and a confirmation unsent; then the attack that
worked before (a SHA-256 of "channel\\0conversation" per candidate id, the seal's HMAC with its public constant) is
tried on the file, and the file's bytes are searched for the ids."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bot.vocabulary.turns import Turn, UserRef
from tests.conftest import Chat
from tests.flows import DESCRIPTION, answer_report, receipt_code
from tests.slack_fakes import SECRET, TEAM, TOKEN, SlackClient, settled
from tests.teams_chat import TeamsChat
from tests.test_slack import posts_to, texts

OLD_SEAL_CONTEXT = b"integriteitsbot: confirmation seal v1"  # the public constant the seal key was derived with
SLACK_USERS = ("UEMPLOYEE", "UOTHER")
TEAMS_PEOPLE = (("29:user-1", "aad-user-1", "a:conv-1"), ("29:user-2", "aad-user-2", "a:conv-2"))
MARKER_USER = UserRef("msteams", "aad-user-3", "a:conv-3", name="Lies Janssens")


def candidates() -> list[str]:
    """Every id the attacker holds a list of: member ids, DM keys, conversation ids, AAD object ids."""
    slack = [key for user in SLACK_USERS for key in (user, f"{TEAM}:{user}", f"{TEAM}:{user}:modal")]
    teams = [value for person in TEAMS_PEOPLE for value in person]
    return [*slack, *teams, MARKER_USER.user_id, MARKER_USER.conversation_id]


def old_attack(path: Path, ids: list[str]) -> list[str]:
    """What the attack of the issue finds with only the database file: a flow state under the plain hash of an id,
    a state that can be read, a confirmation that the public-constant key unseals."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        states = con.execute("SELECT key, state FROM flow_state").fetchall()
    found: list[str] = []
    for channel in ("slack", "msteams"):
        for conversation in ids:
            texts_ = [f"{channel}\0{conversation}", *(f"{channel}\0{conversation}\0{user}" for user in ids)]
            hashes = {hashlib.sha256(text.encode()).hexdigest() for text in texts_}
            seal_key = hmac.new(OLD_SEAL_CONTEXT, f"{channel}\0{conversation}".encode(), hashlib.sha256).digest()
            for key, state in states:
                if key in hashes:
                    found.append(f"flow state of {conversation}")
                value = json.loads(state)
                if not isinstance(value, dict):
                    continue
                found.append(f"readable state {value}")
                if "sealed" in value:
                    blob = base64.b64decode(value["sealed"])
                    try:
                        AESGCM(seal_key).decrypt(blob[:12], blob[12:], str(value["submission"]).encode())
                        found.append(f"confirmation of {conversation}")
                    except Exception:
                        pass
    return found


async def slack_flow(slack: SlackClient, fake, user: str, typed: list[str], confirm: bool) -> None:
    """A flow in the user's Slack DM: `melden`, then each typed answer; pressing 'versturen' when asked."""
    dm = "D" + user.removeprefix("U")
    await slack.dm("melden", user=user)
    await settled(lambda: posts_to(fake, dm))
    for answer in typed:
        count = len(posts_to(fake, dm))
        await slack.dm(answer, user=user)
        await settled(lambda count=count: len(posts_to(fake, dm)) > count)
    if confirm:
        count = len(posts_to(fake, dm))
        await slack.press(posts_to(fake, dm)[-1], "versturen", user=user)
        await settled(lambda: len(posts_to(fake, dm)) > count)
        assert "Je ontvangstcode:" in texts(posts_to(fake, dm)[-1])


async def test_the_database_alone_links_no_draft_addendum_or_confirmation_to_anyone(
    start_bot, fake, conversation, database_url
):
    bot = await start_bot(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=fake.api_url)
    slack = SlackClient(bot.http, bot.url("/slack/events"), fake)
    answers = ["schending van regels", "anoniem", "nee", DESCRIPTION, "vorige week", "overslaan", "nee"]
    await slack_flow(slack, fake, "UEMPLOYEE", answers, confirm=True)  # an anonymous report filed in Slack
    await slack_flow(slack, fake, "UOTHER", answers[:4], confirm=False)  # an anonymous draft left open in Slack

    (sender, aad, conv), (sender_2, aad_2, conv_2) = TEAMS_PEOPLE
    person = {"id": sender, "name": "An Peeters", "aadObjectId": aad}
    conversation_1 = {"id": conv, "conversationType": "personal", "tenantId": "tenant-demo"}
    teams = TeamsChat(bot, {"from": person, "conversation": conversation_1})
    for answer in ["melden", *answers]:
        await teams.say(answer)
    await teams.press("versturen")
    code = receipt_code(teams.text)
    await teams.say(f"aanvullen {code}")  # an addendum opened and left open in Teams
    assert "Wat wil je toevoegen?" in teams.text
    person_2 = {"id": sender_2, "name": "Bert", "aadObjectId": aad_2}
    conversation_2 = {"id": conv_2, "conversationType": "personal", "tenantId": "tenant-demo"}
    other = TeamsChat(bot, {"from": person_2, "conversation": conversation_2})
    for answer in ["melden", *answers[:3]]:
        await other.say(answer)  # an anonymous draft left open in Teams

    # A confirmation whose reply never went out (a crash before the send): its marker stays in the flow table.
    chat = Chat(conversation, "kortrijk", MARKER_USER)
    await answer_report(chat, "schending van regels")
    (confirm,) = [choice for reply in chat.last for choice in reply.choices if "versturen" in choice.label]
    replies = await conversation.handle(Turn(org="kortrijk", user=MARKER_USER, value=confirm.value))
    assert "Je ontvangstcode:" in "\n".join(reply.text for reply in replies)

    path = Path(database_url.removeprefix("sqlite+aiosqlite:///"))
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        assert con.execute("SELECT count(*) FROM flow_state").fetchone()[0] == 4  # 2 drafts, 1 addendum, 1 marker
        assert con.execute("SELECT count(*) FROM cases WHERE anonymous").fetchone()[0] == 3
    assert old_attack(path, candidates()) == []
    raw = b"".join(file.read_bytes() for file in (path, path.with_name(path.name + "-wal")) if file.exists())
    for value in candidates():
        assert value.encode() not in raw, value
    # The attack with the secret itself is what the secret protects: the store, which holds it, finds each flow.
    assert await conversation.store.load_flow(UserRef("msteams", aad, conv)) is not None
    assert await conversation.store.load_flow(MARKER_USER) is not None
