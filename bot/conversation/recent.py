"""Messages this process has already taken on, so a channel's retry of the same message is answered once."""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable


class RecentMessages:
    """Remembers hashed (channel, conversation, message id) keys for a while, in memory only."""

    def __init__(self, keep_seconds: float = 600.0, most: int = 50_000, clock: Callable[[], float] = time.monotonic):
        self._keep = keep_seconds
        self._most = most
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, channel: str, conversation_id: str, message_id: str) -> bool:
        """True the first time a message is seen (and remembers it); False for a repeat within the window."""
        now = self._clock()
        while self._seen and (len(self._seen) >= self._most or next(iter(self._seen.values())) < now - self._keep):
            self._seen.popitem(last=False)
        # A hash, so not even memory holds a conversation id longer than the turn needs it.
        key = hashlib.sha256(f"{channel}\0{conversation_id}\0{message_id}".encode()).hexdigest()
        if key in self._seen:
            return False
        self._seen[key] = now
        return True
