"""What users see of lookup, judged on labelled questions: the right passage shown as the answer, honesty when
the code is silent and confident wrong answers, on the development, held-out, independent and French/English sets;
and the labels themselves are sound."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge.evaluation import flat, judge, load_queries, total
from bot.knowledge.lookup import SectionIndex, Synonyms

SETS = Path(__file__).resolve().parent / "data" / "lookup"
# (shown as the answer, honest when unanswerable, confidently wrong of all): floors and ceilings a point or two
# from the figures measured at this commit (README, "Lookup quality"); a change that makes what users see worse
# fails here. The goals (90%, 90%, 3%) are not all reached yet; the README says where the misses fall.
FLOORS = {
    "dev": (0.74, 0.95, 0.07),
    "heldout": (0.76, 0.93, 0.07),
    "independent": (0.66, 0.87, 0.08),
    "languages": (0.07, None, 0.04),  # French and English questions on the Dutch codes, all answerable
    "languages-2": (0.02, 0.90, 0.03),  # a second French and English set, with questions the codes do not answer
}
# The sets the calibration and the labels' size rules are about; the other two are small, written apart.
SIZES = {
    "dev": (140, 45),
    "heldout": (140, 45),
    "independent": (140, 45),
    "languages": (50, 0),
    "languages-2": (50, 15),
}


@pytest.fixture(scope="module")
def indexes(content):
    synonyms = Synonyms.build(content.synonyms)
    return {org: SectionIndex(pack, synonyms) for org, pack in content.packs.items()}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_labels_are_sound(content, name):
    queries = load_queries(sorted((SETS / name).glob("*.yaml")))
    assert {q.org for q in queries} == set(content.packs)
    answerable, silent = SIZES[name]
    assert sum(q.answerable for q in queries) >= answerable and sum(not q.answerable for q in queries) >= silent
    for query in queries:
        pack = content.packs[query.org]
        texts = [flat(pack.section(sid).text) for sid in query.expected]
        assert all(pack.section(sid) for sid in query.expected), query
        assert bool(query.answers) == query.answerable, query
        for phrase in query.answers:
            assert any(flat(phrase) in text for text in texts), (query, phrase)


def test_held_out_sets_are_apart_from_the_development_set():
    dev = {(q.org, q.query.lower()) for q in load_queries(sorted((SETS / "dev").glob("*.yaml")))}
    for name in ("heldout", "independent", "languages", "languages-2"):
        held_out = {(q.org, q.query.lower()) for q in load_queries(sorted((SETS / name).glob("*.yaml")))}
        assert not dev & held_out, name
    first, second = (
        {q.query.lower() for q in load_queries(sorted((SETS / n).glob("*.yaml")))} for n in ("languages", "languages-2")
    )
    assert not first & second


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_right_passage_shown_honest_when_silent_and_rarely_wrong(indexes, name):
    judgement = total(judge(load_queries(sorted((SETS / name).glob("*.yaml"))), indexes))
    shown_floor, honest_floor, wrong_ceiling = FLOORS[name]
    misses = "\n".join(f"{q.org}: {q.query!r} -> {seen[:120]}" for q, seen in judgement.misses)
    assert judgement.shown_rate >= shown_floor, misses
    if honest_floor is not None:
        assert judgement.honest_rate >= honest_floor, misses
    assert judgement.wrong_rate <= wrong_ceiling, misses


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
