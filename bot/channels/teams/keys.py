"""Bot Framework signing keys: fetched with aiohttp and a timeout, cached for a day, failures cached briefly.

botframework-connector's `_OpenIdMetadata` fetches the OpenID metadata and the JWKS with a synchronous
`requests.get` without a timeout, on the event loop: a key host that hangs freezes every request. `KeyCache`
replaces it (one instance per metadata URL, kept in `JwtTokenExtractor.metadataCache`); JWT validation itself stays
botbuilder's.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp
from botframework.connector.auth import jwt_token_extractor
from botframework.connector.auth.jwt_token_extractor import JwtTokenExtractor, _OpenIdConfig, _OpenIdMetadata
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import InvalidKeyError

log = logging.getLogger(__name__)

FETCH_TIMEOUT = 5.0  # seconds for metadata and key set together; a request waits at most this long for keys
CONNECT_TIMEOUT = 3.0
FAILURE_TTL = 30.0  # after a failed fetch, requests fail at once (or use the old keys) for this long
REFRESH_AFTER = 24 * 3600.0  # botbuilder's refresh interval, kept
UNKNOWN_KEY_REFRESH = 3600.0  # an unknown key id triggers a refresh at most once an hour, as in botbuilder
MAX_DOCUMENT_BYTES = 1024 * 1024


class SigningKeyError(PermissionError):
    """The token's signing key is unknown, or the keys cannot be fetched; the request is not authenticated."""


class KeyCache(_OpenIdMetadata):
    """Drop-in for botbuilder's `_OpenIdMetadata`: async fetch with a timeout, one fetch at a time, stale-if-error."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._configs: dict[str, _OpenIdConfig] = {}
        self._fetched_at: float | None = None  # time.monotonic() of the last successful fetch
        self._failed_at: float | None = None
        self._failure = ""
        self._inflight: asyncio.Task[None] | None = None

    async def get(self, key_id: str | None) -> _OpenIdConfig:
        """The public key and endorsements for a key id; raises SigningKeyError when there is none."""
        if not isinstance(key_id, str) or not key_id:
            raise SigningKeyError("token names no signing key (kid)")
        if not self._configs:
            await self._refresh(wait=True)
        elif self._older_than(REFRESH_AFTER):
            await self._refresh(wait=False)  # a day old: refresh in the background, meanwhile the old keys serve
        config = self._configs.get(key_id)
        if config is None and self._older_than(UNKNOWN_KEY_REFRESH):
            await self._refresh(wait=True)
            config = self._configs.get(key_id)
        if config is None:
            if not self._configs:
                raise SigningKeyError(f"signing keys unavailable: {self._failure}")
            raise SigningKeyError(f"unknown signing key {key_id[:40]!r}")
        return config

    def _older_than(self, seconds: float) -> bool:
        return self._fetched_at is None or time.monotonic() - self._fetched_at > seconds

    async def _refresh(self, *, wait: bool) -> None:
        """Start a fetch unless one runs or one failed lately (shared by concurrent requests); maybe wait for it."""
        if self._failed_at is not None and time.monotonic() - self._failed_at <= FAILURE_TTL:
            return
        loop = asyncio.get_running_loop()
        task = self._inflight
        if task is None or task.done() or task.get_loop() is not loop:
            task = self._inflight = loop.create_task(self._fetch())
        if wait:
            await asyncio.shield(task)

    async def _fetch(self) -> None:
        """Fetch metadata and key set; records success or failure, never raises."""
        try:
            async with asyncio.timeout(FETCH_TIMEOUT):
                timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT, connect=CONNECT_TIMEOUT)
                # trust_env: behind a web proxy the keys come through HTTPS_PROXY, and NO_PROXY is honoured.
                async with aiohttp.ClientSession(timeout=timeout, trust_env=True) as session:
                    metadata = await _get_json(session, self.url)
                    jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
                    if not isinstance(jwks_uri, str):
                        raise ValueError("metadata has no jwks_uri")
                    document = await _get_json(session, jwks_uri)
            keys = document.get("keys") if isinstance(document, dict) else None
            if not isinstance(keys, list):
                raise ValueError("key set has no keys")
        except Exception as exc:  # any failure counts as one: cached, logged, never raised into the request
            self._failed_at = time.monotonic()
            self._failure = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            log.warning(
                "signing keys: fetching %s failed (%s); %s for %.0f s",
                self.url,
                self._failure,
                "keeping the old keys" if self._configs else "refusing tokens",
                FAILURE_TTL,
            )
            return
        self.keys = keys
        self._configs = _configs(keys)
        self._fetched_at = time.monotonic()
        self._failed_at = None
        log.info("signing keys: %d keys from %s", len(self._configs), self.url)

    def _find(self, key_id: str) -> _OpenIdConfig | None:
        return self._configs.get(key_id)


async def _get_json(session: aiohttp.ClientSession, url: str) -> Any:
    async with session.get(url, allow_redirects=False) as response:
        if response.status != 200:
            raise ValueError(f"HTTP {response.status}")
        body = await response.content.read(MAX_DOCUMENT_BYTES + 1)
        if len(body) > MAX_DOCUMENT_BYTES:
            raise ValueError("document too large")
        return json.loads(body)


def _configs(keys: list[Any]) -> dict[str, _OpenIdConfig]:
    """Parse the usable RSA keys of a JWKS; a key with a malformed field is skipped, never trusted more."""
    configs: dict[str, _OpenIdConfig] = {}
    for key in keys:
        if not isinstance(key, dict) or not isinstance(key.get("kid"), str):
            continue
        endorsements = key.get("endorsements", [])
        if not isinstance(endorsements, list) or not all(isinstance(e, str) for e in endorsements):
            continue
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(key))
        except (InvalidKeyError, ValueError, TypeError, KeyError):
            continue
        configs[key["kid"]] = _OpenIdConfig(public_key, endorsements)
    return configs


def install_key_cache() -> None:
    """Make botbuilder build a KeyCache for every metadata URL, replacing any `_OpenIdMetadata` it already built."""
    jwt_token_extractor._OpenIdMetadata = KeyCache  # type: ignore[misc]  # looked up by get_open_id_metadata
    cache = JwtTokenExtractor.metadataCache
    for url, metadata in list(cache.items()):
        if not isinstance(metadata, KeyCache):
            cache[url] = KeyCache(url)
