"""Signed Slack requests seen lately: a copy of one, replayed within Slack's 5-minute window, is done nothing with.

Slack signs `v0:<timestamp>:<body>` and the signature check accepts a timestamp up to 5 minutes off, so within
that window the very same request can be sent again by anyone who captured it. Slack itself never sends the same
(timestamp, signature) twice (its retries are signed anew), so a pair seen before is a replay.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

WINDOW = 5 * 60  # seconds: slack_sdk's SignatureVerifier accepts a timestamp this far from now, either way
MAX_REMEMBERED = 100_000  # pairs; far more than a municipality's Slack sends in 10 minutes, ~20 MB at most


class ReplayGuard:
    """Remembers each signed request's (timestamp, signature) until its timestamp leaves the window; bounded."""

    def __init__(self, now: Callable[[], float] = time.time, limit: int = MAX_REMEMBERED) -> None:
        self._now = now  # wall-clock seconds, as the signature check reads them
        self._limit = limit
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()  # pair -> the moment it can be forgotten

    def first_time(self, timestamp: str, signature: str) -> bool:
        """Whether this signed request is new; remembers it. Call only for a request whose signature is valid."""
        now = self._now()
        self._forget(now)
        key = (timestamp, signature)
        if key in self._seen:
            return False
        try:
            until = float(timestamp) + WINDOW + 1
        except ValueError:  # the signature check refuses such a timestamp first; remember it for a window anyway
            until = now + 2 * WINDOW
        self._seen[key] = max(until, now + 1)
        while len(self._seen) > self._limit:
            # Only Slack can sign, so only genuine traffic fills this; the oldest pair is the nearest to expiry.
            self._seen.popitem(last=False)
        return True

    def _forget(self, now: float) -> None:
        """Drop pairs whose timestamp the signature check would now refuse anyway (oldest first)."""
        while self._seen:
            key, until = next(iter(self._seen.items()))
            if until > now:
                break
            del self._seen[key]

    def __len__(self) -> int:
        return len(self._seen)
