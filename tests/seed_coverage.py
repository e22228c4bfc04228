"""Measure how much of each seed code's wording a content pack holds (used by tests and pack authors)."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
SEEDS = {
    "igo": "000_99fd80da5d3642a4.txt",
    "voorbeeldgemeente": "001_0e356cf5f04f6286.txt",
    "kortrijk": "002_3769d72883b4ea0a.txt",
    "putte": "003_74687144117bdb90.txt",
    "vvsg": "004_88399df9cee5f64f.txt",
}
WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> Counter[str]:
    """Lower-cased, accent-folded words of a text, as a multiset."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return Counter(WORD.findall(folded))


def pack_text(org: str) -> str:
    """Every string in a pack's code.yaml, joined."""
    data = yaml.safe_load((ROOT / "content" / org / "code.yaml").read_text(encoding="utf-8"))
    parts = [data.get("name", ""), data.get("source", ""), *data.get("values", [])]
    for section in data["sections"]:
        parts += [section.get("chapter") or "", section["title"], section["text"]]
    return "\n".join(parts)


def coverage(org: str) -> tuple[float, list[str]]:
    """Share of the seed's word occurrences found in the pack, and the most-missed words."""
    seed = words((SEEDS_DIR / SEEDS[org]).read_text(encoding="utf-8"))
    pack = words(pack_text(org))
    covered = sum(min(count, pack[word]) for word, count in seed.items())
    missing = Counter({w: c - pack[w] for w, c in seed.items() if c > pack[w]})
    return covered / sum(seed.values()), [f"{w}×{c}" for w, c in missing.most_common(40)]


if __name__ == "__main__":
    for org in sys.argv[1:] or SEEDS:
        share, missing = coverage(org)
        print(f"{org}: {share:.1%} of seed words; most missed: {' '.join(missing)}")
