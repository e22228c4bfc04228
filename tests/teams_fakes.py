"""Fakes for hardening tests: a signing-key host, a token signer, a black-hole TCP server, raw posts.

The key host and the black hole run in their own threads, not on the test's event loop, so that code which blocks
the loop (botbuilder's synchronous key fetch) makes a test fail on a measured time instead of deadlocking it.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from botframework.connector.auth import AuthenticationConstants, ChannelValidation, JwtTokenExtractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.conftest import Bot

APP_ID = "00000000-0000-0000-0000-000000000001"
CHANNEL_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
FAR_FUTURE = 4102444800  # 2100-01-01: token times are fixed numbers, so no test reads the wall clock for them
LONG_AGO = 946684800  # 2000-01-01


class Signer:
    """An RSA signing key with a key id, as the Bot Framework's key set publishes them."""

    def __init__(self, kid: str, endorsements: tuple[str, ...] = ("msteams",)) -> None:
        self.kid = kid
        self.endorsements = endorsements
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict[str, Any]:
        """The public key as a JWKS entry."""
        entry = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {**entry, "kid": self.kid, "use": "sig", "endorsements": list(self.endorsements)}

    def token(self, claims: dict[str, Any], *, kid: str | None = "own", algorithm: str = "RS256") -> str:
        """A JWT signed with this key; `kid` defaults to this key's id, None leaves it out."""
        headers = {} if kid is None else {"kid": self.kid if kid == "own" else kid}
        return jwt.encode(claims, self._key, algorithm=algorithm, headers=headers)


def channel_claims(service_url: str, **overrides: Any) -> dict[str, Any]:
    """The claims of a token the Bot Framework channel sends to the bot."""
    claims = {"iss": CHANNEL_ISSUER, "aud": APP_ID, "serviceurl": service_url, "exp": FAR_FUTURE}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


class KeyHost:
    """A local OpenID metadata + JWKS endpoint on loopback, in its own thread; counts the requests it answers."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.keys = keys
        self.hits: list[str] = []
        self.failing = False  # answer 503 to everything, as a key host in trouble would
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host.hits.append(self.path)
                if host.failing:
                    self.send_error(503)
                    return
                if self.path == "/openid":
                    body: dict[str, Any] = {"issuer": CHANNEL_ISSUER, "jwks_uri": f"{host.url}/keys"}
                elif self.path == "/keys":
                    body = {"keys": host.keys}
                else:
                    self.send_error(404)
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: object) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL of the host."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def metadata_url(self) -> str:
        """The OpenID metadata document's URL."""
        return f"{self.url}/openid"

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


class BlackHole:
    """A loopback TCP server that accepts connections and never answers; each is closed after `hold` seconds."""

    def __init__(self, hold: float = 30.0) -> None:
        self.hold = hold
        self.accepted = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(256)
        self._listener.settimeout(0.02)
        self._open: list[tuple[socket.socket, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """An http URL on the black hole."""
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}/"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
                self._open.append((conn, time.monotonic()))
                self.accepted += 1
            except TimeoutError:
                pass
            expired = [item for item in self._open if time.monotonic() - item[1] > self.hold]
            for item in expired:
                item[0].close()
                self._open.remove(item)

    def close(self) -> None:
        """Stop accepting and drop every held connection."""
        self._stop.set()
        self._thread.join()
        for conn, _ in self._open:
            conn.close()
        self._listener.close()


def point_botbuilder_at(monkeypatch: pytest.MonkeyPatch, metadata_url: str) -> None:
    """Make botbuilder's channel and emulator token checks read their signing keys from a local URL."""
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", metadata_url)
    monkeypatch.setattr(AuthenticationConstants, "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL", metadata_url)
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})  # keys cached by an earlier test stay there


async def post_raw(
    bot: Bot, body: bytes, content_type: str = "application/json", headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """Post raw bytes to /api/messages; returns the status and the JSON body (None when there is none)."""
    all_headers = {"Content-Type": content_type, **(headers or {})}
    async with bot.http.post(bot.url("/api/messages"), data=body, headers=all_headers) as response:
        raw = await response.read()
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw.decode("utf-8", "replace")
        return response.status, payload
