"""Authenticated mode, keys from a local host: every forged token is a 401 with one INFO line; a valid one works."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import AsyncIterator, Iterator

import jwt
import pytest
from botframework.connector.auth import MicrosoftAppCredentials

from bot.channels.teams import keys
from tests.teams_fakes import APP_ID, FAR_FUTURE, LONG_AGO, KeyHost, Signer, channel_claims, point_botbuilder_at

OUTBOUND_TOKEN = "outbound-token-for-tests"
HMAC_SECRET = "a-shared-secret-of-at-least-32-bytes!"  # as a forger would use, e.g. the app password


@pytest.fixture(scope="module")
def signers() -> dict[str, Signer]:
    """The key set's keys, plus one the key set does not publish."""
    return {
        "teams": Signer("key-teams", ("msteams", "webchat")),
        "skype": Signer("key-skype", ("skype",)),
        "stranger": Signer("key-stranger"),
    }


@pytest.fixture
def key_host(signers, monkeypatch) -> Iterator[KeyHost]:
    """The local key host, publishing the teams and skype keys, with botbuilder pointed at it."""
    host = KeyHost([signers["teams"].jwk(), signers["skype"].jwk()])
    point_botbuilder_at(monkeypatch, host.metadata_url)
    yield host
    host.close()


@pytest.fixture
async def authed(start_bot, key_host, monkeypatch) -> AsyncIterator:
    """The bot in authenticated mode; its outbound token comes from a stub instead of Azure AD."""
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda _self, force_refresh=False: OUTBOUND_TOKEN)
    yield await start_bot(app_id=APP_ID, app_password="secret")


def unsigned(header: dict, claims: dict) -> str:
    """A token with the given header and no signature (for alg=none and other forgeries PyJWT will not make)."""

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def forged_tokens(signers: dict[str, Signer], service_url: str) -> dict[str, str]:
    """Every kind of token that must not get in, by name."""
    teams, claims = signers["teams"], channel_claims(service_url)
    return {
        "hs256-with-known-kid": jwt.encode(claims, HMAC_SECRET, algorithm="HS256", headers={"kid": teams.kid}),
        "hs256-without-kid": jwt.encode(claims, HMAC_SECRET, algorithm="HS256"),
        "alg-none": unsigned({"alg": "none", "typ": "JWT", "kid": teams.kid}, claims),
        "alg-none-without-kid": unsigned({"alg": "none", "typ": "JWT"}, claims),
        "rs256-unknown-kid": signers["stranger"].token(claims),
        "rs256-missing-kid": teams.token(claims, kid=None),
        "rs256-kid-number": unsigned({"alg": "RS256", "kid": 5}, claims),
        "rs256-wrong-key-for-kid": signers["stranger"].token(claims, kid=teams.kid),
        "rs512-unknown-kid": signers["stranger"].token(claims, algorithm="RS512"),
        "expired": teams.token(channel_claims(service_url, exp=LONG_AGO)),
        "not-yet-valid": teams.token(channel_claims(service_url, nbf=FAR_FUTURE)),
        "wrong-audience": teams.token(channel_claims(service_url, aud="11111111-2222-3333-4444-555555555555")),
        "no-audience": teams.token(channel_claims(service_url, aud=None)),
        "wrong-issuer": teams.token(channel_claims(service_url, iss="https://evil.example")),
        "no-issuer": teams.token(channel_claims(service_url, iss=None)),
        "emulator-issuer-unknown-key": signers["stranger"].token(
            channel_claims(service_url, iss="https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/", ver="1.0")
        ),
        "other-service-url": teams.token(channel_claims("https://smba.trafficmanager.net/emea/")),
        "key-not-endorsed-for-channel": signers["skype"].token(claims),
        "garbage": "not-a-token",
        "three-dots": "a.b.c",
    }


FORGED = [
    "hs256-with-known-kid",
    "hs256-without-kid",
    "alg-none",
    "alg-none-without-kid",
    "rs256-unknown-kid",
    "rs256-missing-kid",
    "rs256-kid-number",
    "rs256-wrong-key-for-kid",
    "rs512-unknown-kid",
    "expired",
    "not-yet-valid",
    "wrong-audience",
    "no-audience",
    "wrong-issuer",
    "no-issuer",
    "emulator-issuer-unknown-key",
    "other-service-url",
    "key-not-endorsed-for-channel",
    "garbage",
    "three-dots",
]


@pytest.mark.parametrize("kind", FORGED)
async def test_forged_token_is_401_with_one_info_line(authed, signers, kind, caplog):
    caplog.set_level(logging.INFO)
    token = forged_tokens(signers, authed.connector.url)[kind]
    status = await authed.post(authed.activity(text="hallo"), headers={"Authorization": f"Bearer {token}"})
    assert status == 401
    assert authed.connector.sent == []
    rejections = [r for r in caplog.records if r.getMessage().startswith("rejected /api/messages: 401")]
    assert len(rejections) == 1
    assert rejections[0].levelno == logging.INFO and rejections[0].exc_info is None
    assert [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer x.y.z", "Bearer a b", "Bearer \u00e9"]
)
async def test_missing_or_malformed_header_is_401(authed, header):
    headers = {"Authorization": header} if header else {}
    status = await authed.post(authed.activity(text="hallo"), headers=headers)
    assert status == 401
    assert authed.connector.sent == []


async def test_a_key_endorsed_for_another_channel_never_makes_a_teams_turn(authed, signers):
    """A token validly signed for another Bot Framework channel (Web Chat and Direct Line are on by default for an
    Azure Bot, and there the client picks its own from.id) is refused: 401 as msteams, 403 as its own channel, even
    claiming a handler's AAD object id. Nothing is answered."""
    token = signers["skype"].token(channel_claims(authed.connector.url))
    headers = {"Authorization": f"Bearer {token}"}
    assert await authed.post(authed.activity(text="hallo"), headers=headers) == 401
    handler = {"id": "00000000-0000-4000-8000-000000000201", "name": "Demo Meldpunt"}
    for text in ("meldingen", "melding M-2026-0001"):
        activity = authed.activity(text=text, channelId="skype", **{"from": handler})
        assert await authed.post(activity, headers=headers) == 403
    assert authed.connector.sent == []


async def test_valid_token_is_accepted_and_the_reply_carries_the_bot_token(authed, signers, key_host):
    token = signers["teams"].token(channel_claims(authed.connector.url))
    headers = {"Authorization": f"Bearer {token}"}
    status = await authed.post(authed.activity(text="mag ik een geschenk aannemen?"), headers=headers)
    assert status == 201
    assert authed.connector.sent, "the answer was posted to the connector"
    assert {a["_auth"] for a in authed.connector.sent} == {f"Bearer {OUTBOUND_TOKEN}"}
    # A second request, even with an unknown key, uses the cached keys: one fetch of metadata and key set.
    await authed.post(authed.activity(text="help"), headers=headers)
    forged = signers["stranger"].token(channel_claims(authed.connector.url))
    assert await authed.post(authed.activity(text="help"), headers={"Authorization": f"Bearer {forged}"}) == 401
    assert key_host.hits == ["/openid", "/keys"]


async def test_key_host_outage_after_keys_are_cached_keeps_valid_tokens_working(
    authed, signers, key_host, monkeypatch, caplog
):
    headers = {"Authorization": f"Bearer {signers['teams'].token(channel_claims(authed.connector.url))}"}
    assert await authed.post(authed.activity(text="help"), headers=headers) == 201
    monkeypatch.setattr(keys, "REFRESH_AFTER", 0.0)  # the keys are now due for their daily refresh
    key_host.failing = True
    assert await authed.post(authed.activity(text="help"), headers=headers) == 201  # served by the old keys
    assert await authed.post(authed.activity(text="help"), headers=headers) == 201
    for _ in range(200):  # the background refresh logs its failure once it has heard back
        warnings = [r for r in caplog.records if r.name == keys.__name__ and r.levelno == logging.WARNING]
        if warnings:
            break
        await asyncio.sleep(0.01)
    assert len(warnings) == 1 and "keeping the old keys" in warnings[0].getMessage()
    assert key_host.hits == ["/openid", "/keys", "/openid"], "one refresh, in the background; its failure is cached"
