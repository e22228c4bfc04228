"""/metrics in Prometheus's format, over HTTP: turns and lookups with their latency by channel, flows, the outbox
and overdue deadlines; no label holds a name, an id or a case reference, and the report flow is not counted."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families


async def scrape(bot) -> dict[str, dict[tuple, float]]:
    """Every sample of /metrics: name → {labels: value}."""
    async with bot.http.get(bot.url("/metrics")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    samples: dict[str, dict[tuple, float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    """One sample's value (0 when absent)."""
    return samples.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


async def test_metrics_count_turns_lookups_flows_and_the_outbox(bot):
    before = await scrape(bot)
    await bot.say("mag ik een fles wijn van een aannemer aannemen?")
    await bot.say("geschenk")  # a gift declaration starts
    await bot.say("stop")  # and stops
    await bot.say("melden")  # a report starts: not counted
    after = await scrape(bot)
    turns = "integriteitsbot_turn_seconds_count"
    assert value(after, turns, channel="msteams") - value(before, turns, channel="msteams") == 4
    lookups = "integriteitsbot_lookup_seconds_count"
    assert value(after, lookups) - value(before, lookups) >= 1
    flows = "integriteitsbot_flows_total"
    assert (
        value(after, flows, flow="geschenk", event="started") - value(before, flows, flow="geschenk", event="started")
        == 1
    )
    assert (
        value(after, flows, flow="geschenk", event="stopped") - value(before, flows, flow="geschenk", event="stopped")
        == 1
    )
    assert not any(dict(labels).get("flow") == "melden" for labels in after.get(flows, {}))
    assert "integriteitsbot_outbox_due" in after and "integriteitsbot_outbox_oldest_due_seconds" in after
    assert value(after, "integriteitsbot_deadlines_overdue") == 0


async def test_no_label_names_a_person_an_id_or_a_case(bot):
    await bot.say("Jan Janssens van de aankoopdienst fraudeert, melding M-2026-0001", **{"from": {"id": "29:x-77"}})
    samples = await scrape(bot)
    allowed = {
        "channel": {"msteams", "slack", "console", "email", "emulator", "other"},
        "event": {"started", "finished", "stopped"},
        "outcome": {"delivered", "failed"},
        "flow": {"geschenk", "vertrouwenspersoon"},
        "le": None,
    }
    for name, series in samples.items():
        if not name.startswith("integriteitsbot_"):
            continue
        for labels in series:
            for key, label in labels:
                assert key in allowed, (name, key)
                if allowed[key] is not None:
                    assert label in allowed[key], (name, key, label)
                assert not re.search(r"M-\d{4}|Janssens|29:", label)
