"""Receipt codes: random, shown once, stored only as a salted slow hash; wrong guesses are slowed down."""

from __future__ import annotations

import asyncio
import base64
import ctypes
import ctypes.util
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from bot.vocabulary.outcomes import Receipt

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SELECTOR_CHARS = 5  # 25 bits, stored in clear to find the case; says nothing without the rest
SECRET_CHARS = 20  # 100 bits, stored only as a salted scrypt hash
CODE_CHARS = SELECTOR_CHARS + SECRET_CHARS
# scrypt cost: about 16 MiB and some tens of milliseconds per check, which makes guessing expensive.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# Each scrypt call takes 16 MiB: two threads of their own keep memory bounded (and on two cores lose no
# throughput), and keep hashing from occupying the executor that other blocking work shares.
_HASHING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="scrypt")
_T = TypeVar("_T")
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 4 * 1024 * 1024


def _return_large_blocks_to_the_system() -> bool:
    """On glibc, serve blocks of 4 MiB and more with mmap, so a freed scrypt buffer leaves the process instead of
    staying in its thread's arena (glibc's dynamic threshold would otherwise keep about 16 MiB per hashing thread)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return bool(libc and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):  # not glibc: nothing to tune
        return False


_return_large_blocks_to_the_system()
_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_receipt() -> Receipt:
    """A fresh random code of 125 bits, grouped by five for reading, and its stored form."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_CHARS))
    return Receipt(code=group(raw), selector=raw[:SELECTOR_CHARS], hash=hash_secret(raw[SELECTOR_CHARS:]))


async def off_loop(work: Callable[..., _T], *args: object) -> _T:
    """Run a hashing function on the bounded hashing threads, off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_HASHING, work, *args)


def group(raw: str) -> str:
    """'ABCDE-FGHJK-…' from the bare characters."""
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


def normalise(text: str) -> str | None:
    """The bare code from what a user typed (any case, spaces or dashes, O for 0); None if it cannot be one."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_TYPOS)
    if len(raw) != CODE_CHARS or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    """The salted scrypt hash of a code's secret part, with its parameters."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    encode = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"


def verify(secret: str, stored: str) -> bool:
    """Whether a secret matches a stored hash, in constant time."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            secret.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# Checked when no case has the selector, so an unknown code costs as much time as a wrong one.
DUMMY_HASH = hash_secret("0" * SECRET_CHARS, salt=b"\0" * 16)


@dataclass
class Throttle:
    """Slows down repeated wrong codes per chat user, in memory only: nothing about the user is stored."""

    free: int = 3  # wrong codes allowed before waiting
    base_seconds: float = 30.0
    max_seconds: float = 900.0
    window_seconds: float = 3600.0
    clock: object = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)

    @staticmethod
    def key(channel: str, user_id: str) -> str:
        """A hash of who is trying, so even memory holds no user id."""
        return hashlib.sha256(f"{channel}\0{user_id}".encode()).hexdigest()

    def wait(self, key: str) -> float:
        """Seconds this user must still wait before the next try (0: go ahead)."""
        failures, last = self._failures.get(key, (0, 0.0))
        now = self.clock()  # type: ignore[operator]
        if now - last > self.window_seconds:
            self._failures.pop(key, None)
            return 0.0
        if failures < self.free:
            return 0.0
        delay = min(self.base_seconds * 2 ** (failures - self.free), self.max_seconds)
        return max(0.0, last + delay - now)

    def failed(self, key: str) -> None:
        """Count a wrong code."""
        failures, _ = self._failures.get(key, (0, 0.0))
        self._failures[key] = (failures + 1, self.clock())  # type: ignore[operator]

    def succeeded(self, key: str) -> None:
        """A right code clears the count."""
        self._failures.pop(key, None)
