"""Vectors of a pack's passages, titles and FAQ questions, computed ahead and kept beside the pack by content hash."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from bot.knowledge.encoder import DIMENSIONS, MODEL, Encoder

log = logging.getLogger(__name__)

FILE = "vectors.npz"
PASSAGE, QUESTION = "passage", "query"  # the two sides of e5: text of the code, and questions


def key(side: str, text: str) -> bytes:
    """The cache key of one text: the model, the side it is encoded on and the text itself."""
    return hashlib.sha256(f"{MODEL}\n{side}\n{text}".encode()).digest()[:16]


class VectorCache:
    """The vectors stored for one pack (`vectors.npz` in its folder), filled in where texts are new."""

    def __init__(self, directory: Path | None):
        self.path = directory / FILE if directory is not None else None
        self._vectors: dict[bytes, np.ndarray] = {}
        if self.path is not None and self.path.exists():
            try:
                with np.load(self.path) as stored:
                    for name, row in zip(stored["keys"], stored["vectors"], strict=True):
                        self._vectors[name.tobytes()] = row.astype(np.float32)
            except (OSError, ValueError, KeyError) as error:
                log.warning("vectors of %s unreadable (%s); computing them again", self.path.parent.name, error)
        self.computed = 0  # texts that were not in the stored file

    def vectors(self, encoder: Encoder, side: str, texts: list[str]) -> np.ndarray:
        """One row per text, from the store or computed now for the texts it lacks."""
        keys = [key(side, text) for text in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items())
        if missing:
            new = [t for _, t in missing]
            rows = encoder.passages(new) if side == PASSAGE else encoder.questions(new)
            for (name, _), row in zip(missing, rows, strict=True):
                self._vectors[name] = row.astype(np.float16).astype(np.float32)
            self.computed += len(missing)
        if not keys:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return np.vstack([self._vectors[k] for k in keys])

    def save(self, used: set[bytes] | None = None) -> bool:
        """Write the store (only the keys in `used`, when given) atomically; False when the folder is read-only."""
        if self.path is None:
            return False
        names = sorted(k for k in self._vectors if used is None or k in used)
        # Raw bytes, not a "S16" string array: NumPy strips a key's trailing zero bytes from those.
        keys = np.frombuffer(b"".join(names), dtype=np.uint8).reshape(len(names), 16)
        rows = np.vstack([self._vectors[k] for k in names]).astype(np.float16) if names else np.zeros((0, DIMENSIONS))
        try:
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".npz.tmp")
            with os.fdopen(handle, "wb") as out:
                np.savez(out, keys=keys, vectors=rows)
            os.chmod(temporary, 0o644)  # vectors of the code's public text, read by whoever runs the service
            os.replace(temporary, self.path)
        except OSError as error:
            log.info("vectors of %s kept in memory only (%s)", self.path.parent.name, error)
            return False
        return True
