"""What users see of lookup, judged on labelled questions: the right passage shown as the answer, honesty when
the code is silent, on the development set and on the held-out set; and the labels themselves are sound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge.evaluation import flat, judge, load_queries, total
from bot.knowledge.lookup import SectionIndex, Synonyms

SETS = Path(__file__).resolve().parent / "data" / "lookup"
# Floors a few points under the figures measured at this commit (README, "Lookup quality"); a change that
# lowers what users see fails here. Honesty holds the 90%; "shown as the answer" does not reach it yet.
FLOORS = {"dev": (0.71, 0.90), "heldout": (0.72, 0.90)}


@pytest.fixture(scope="module")
def indexes(content):
    synonyms = Synonyms.build(content.synonyms)
    return {org: SectionIndex(pack, synonyms) for org, pack in content.packs.items()}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_labels_are_sound(content, name):
    queries = load_queries(sorted((SETS / name).glob("*.yaml")))
    assert {q.org for q in queries} == set(content.packs)
    assert sum(q.answerable for q in queries) >= 140 and sum(not q.answerable for q in queries) >= 45
    for query in queries:
        pack = content.packs[query.org]
        texts = [flat(pack.section(sid).text) for sid in query.expected]
        assert all(pack.section(sid) for sid in query.expected), query
        assert bool(query.answers) == query.answerable, query
        for phrase in query.answers:
            assert any(flat(phrase) in text for text in texts), (query, phrase)


def test_held_out_set_is_apart_from_the_development_set():
    dev = {(q.org, q.query.lower()) for q in load_queries(sorted((SETS / "dev").glob("*.yaml")))}
    held_out = {(q.org, q.query.lower()) for q in load_queries(sorted((SETS / "heldout").glob("*.yaml")))}
    assert not dev & held_out


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_right_passage_shown_and_honest_when_silent(indexes, name):
    judgement = total(judge(load_queries(sorted((SETS / name).glob("*.yaml"))), indexes))
    shown_floor, honest_floor = FLOORS[name]
    misses = "\n".join(f"{q.org}: {q.query!r} -> {seen[:120]}" for q, seen in judgement.misses)
    assert judgement.shown_rate >= shown_floor, misses
    assert judgement.honest_rate >= honest_floor, misses


def test_snippets_are_whole_sentences_and_never_cut_a_link(content, indexes):
    # Every section's best passage for each of its own sentences' words: never a cut sentence or address.
    for org, pack in content.packs.items():
        for section in pack.code.sections:
            for hit in indexes[org].search(section.title, limit=3):
                text = flat(hit.section.text)
                for line in re.split(r"\n", hit_snippet(hit)):
                    if line.strip() != "…":
                        assert flat(line) in text, (org, section.id, line)
                for address in re.findall(r"https?://\S+|www\.\S+", hit_snippet(hit)):
                    assert address.rstrip(".,;)") in hit.section.text


def hit_snippet(hit) -> str:
    from bot.knowledge.lookup import snippet

    return snippet(hit, mark="")
