"""What `integriteitsbot search` prints: one JSON line per query, or each result with its passage."""

from __future__ import annotations

import json
import textwrap

from bot.knowledge.lookup import snippet


def search_json(query: str, hits: list) -> str:
    """One JSON line: the query, whether the bot presents the first result as its answer, and each result with the
    whole section and the passage the bot shows for it (plain text)."""
    results = [
        {
            "id": hit.section.id,
            "title": hit.section.title,
            "text": hit.section.text,
            "score": round(hit.share, 4),  # the ranking model's probability that this is the section
            "snippet": snippet(hit, mark=""),
        }
        for hit in hits
    ]
    confident = bool(hits) and hits[0].good
    return json.dumps({"query": query, "confident": confident, "results": results}, ensure_ascii=False)


def print_search(hits: list) -> None:
    """Each result with its title, id and score, the passage the bot shows indented below it."""
    if not hits:
        print("Geen resultaten.")
    for rank, hit in enumerate(hits, start=1):
        print(f"{rank}. {hit.section.title} [{hit.section.id}] score {hit.share:.2f}")
        print(textwrap.indent(snippet(hit), "   ") + "\n")
    if hits and not hits[0].good:
        print("(geen duidelijk antwoord)")
