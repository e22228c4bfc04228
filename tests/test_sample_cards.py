"""The notification cards kept in deploy/teams/cards/ are what the code sends today, and valid Adaptive Cards."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

from bot.channels.teams.deliverer import notification_card
from tests.test_card_schema import schema_problems

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "deploy" / "teams" / "cards"


def test_kept_notification_cards_match_the_code_and_the_schema(content):
    samples = runpy.run_path(str(ROOT / "deploy" / "teams" / "sample_cards.py"))
    pack = content.packs[samples["ORG"]]
    built = {
        name: notification_card(card, addressee) for name, (card, addressee) in samples["neutral_cards"](pack).items()
    }
    built |= samples["team_cards"](pack)  # a signing campaign's message, a team's dilemma before and after
    assert sorted(f"{name}.json" for name in built) == sorted(path.name for path in CARDS.glob("*.json"))
    for name, adaptive in built.items():
        kept = json.loads((CARDS / f"{name}.json").read_text(encoding="utf-8"))
        assert adaptive == kept, f"{name}: run `make cards CARDS=deploy/teams/cards` after changing a card"
        assert schema_problems(adaptive) == [], name
        assert (CARDS / f"{name}.png").exists()
