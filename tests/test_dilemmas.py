"""Practising the code: 'dilemma' in the chat gives a situation from the organisation's own code with three or four
reactions; the chosen one gets the code's answer with its quote. Each dilemma's quote stands in its section
(content check), and nothing of the practice is stored."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml
from sqlalchemy import func, select

from bot.conversation.dilemmas import dilemma_reply
from bot.knowledge.content import ContentError, load_content
from bot.storage import db
from tests.teams_chat import controls

ROOT = Path(__file__).resolve().parent.parent


def test_every_pack_has_dilemmas_from_its_own_code(content):
    for org, pack in content.packs.items():
        assert pack.dilemmas is not None and len(pack.dilemmas.dilemmas) >= 4, org
        for dilemma in pack.dilemmas.dilemmas:
            assert pack.section(dilemma.section) is not None
            assert 3 <= len(dilemma.options) <= 4 and dilemma.answer < len(dilemma.options)
    answers = [d.answer for pack in content.packs.values() for d in pack.dilemmas.dilemmas]
    assert len(set(answers)) > 1  # the right reaction is not always in the same place


def test_a_quote_that_is_not_in_its_section_is_refused(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(ROOT / "content", copy, ignore=shutil.ignore_patterns("vectors.npz", "__pycache__"))
    path = copy / "kortrijk" / "dilemmas.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["dilemmas"][0]["quote"] = "Geschenken zijn altijd toegelaten."
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_content(copy)
    except ContentError as error:
        assert any("dilemmas.0.quote" in str(problem) for problem in error.problems)
    else:
        raise AssertionError("an invented quote was accepted")


async def count_rows(store) -> dict[str, int]:
    """The number of rows of every table."""
    async with store.engine.connect() as conn:
        return {
            t.name: (await conn.execute(select(func.count()).select_from(t))).scalar_one()
            for t in db.metadata.sorted_tables
        }


async def test_practise_a_dilemma_in_teams_and_nothing_is_kept(bot, content, store):
    await bot.say("hallo")  # Teams' tenant is learnt from the first message, whatever it is
    before = await count_rows(store)
    (asked,) = await bot.say("een dilemma")
    pack = content.packs["kortrijk"]
    buttons = controls(asked)
    assert 3 <= len(buttons) <= 4 and all(b.value.startswith("dilemma ") for b in buttons)
    dilemma = pack.dilemmas.find(buttons[0].value.split()[1])
    assert dilemma is not None and dilemma.situation in asked["text"]
    (right,) = await bot.say(None, value={"action": f"dilemma {dilemma.id} {dilemma.answer}"})
    assert "Dat zegt de code ook" in right["text"] and dilemma.quote in " ".join(right["text"].split())
    wrong = (dilemma.answer + 1) % len(dilemma.options)
    (other,) = await bot.say(None, value={"action": f"dilemma {dilemma.id} {wrong}"})
    assert "De code kiest iets anders" in other["text"] and dilemma.options[dilemma.answer] in other["text"]
    assert "Ik bewaar het niet" in other["text"]
    assert await count_rows(store) == before  # not who asked, not what they chose


def test_a_code_without_dilemmas_says_so(content):
    pack = content.packs["kortrijk"]
    silent = type(pack)(code=pack.code, contacts=pack.contacts, routing=pack.routing)
    assert "nog geen dilemma" in dilemma_reply(silent, "dilemma").text
    assert dilemma_reply(pack, "dilemma onbekend 1").text.startswith("Dat dilemma ken ik niet")
    shown = {dilemma_reply(pack, "dilemma", random.Random(seed)).choices[0].value.split()[1] for seed in range(40)}
    assert len(shown) > 1  # a new one each time, at random


def test_a_reaction_typed_out_gets_the_same_answer(content):
    pack = content.packs["kortrijk"]
    dilemma = pack.dilemmas.dilemmas[0]
    typed = dilemma.options[dilemma.answer].rstrip(".").upper()  # written out, without the full stop
    assert "Dat zegt de code ook" in dilemma_reply(pack, typed).text
    assert dilemma_reply(pack, "dilemma").choices  # asking still asks
