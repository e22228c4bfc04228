"""The Block Kit samples kept in deploy/slack/blocks/ are what the code sends today, and valid Block Kit."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

from tests.test_slack_blocks import valid_message, valid_view

ROOT = Path(__file__).resolve().parent.parent
BLOCKS = ROOT / "deploy" / "slack" / "blocks"


def test_kept_block_kit_samples_match_the_code_and_slacks_models(content):
    """Every sample is current (else `make slack-blocks`) and passes slack_sdk's models and Slack's limits."""
    samples = runpy.run_path(str(ROOT / "deploy" / "slack" / "sample_blocks.py"))
    built = samples["everything"](content.packs[samples["ORG"]])
    assert sorted(f"{name}.json" for name in built) == sorted(path.name for path in BLOCKS.glob("*.json"))
    for name, payload in built.items():
        kept = json.loads((BLOCKS / f"{name}.json").read_text(encoding="utf-8"))
        if payload.get("type") == "modal":
            assert kept == payload, f"{name}: run `make slack-blocks` after changing a page"
            valid_view(payload)
        else:
            assert kept == {"blocks": payload["blocks"]}, f"{name}: run `make slack-blocks` after changing a message"
            valid_message(payload)
