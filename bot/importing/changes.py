"""A new version of a code: what changed against the previous one, and which reviewed routes, roles and gift rules
still stand (their quotes found again) so a person's review is not lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz

from bot.importing.proposals import Draft
from bot.importing.report import Changes, Reworded
from bot.knowledge.packs import BasisKind, CodePack, ContactsPack, GiftRules, Route, RoutingPack, Section
from bot.knowledge.text import fold

SAME_SECTION = 60  # a title changed but the text is this similar (0..100): the same section, reworded
KIND_NAMES = {
    "rule_breach": "inbreuk op regels",
    "behaviour": "grensoverschrijdend gedrag",
    "misuse": "misbruik van middelen",
    "gift": "geschenken",
    "press": "pers",
    "question": "vragen en twijfels",
    "crime": "misdrijven",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _where(quote: str, sections: list[Section]) -> Section | None:
    """The section of the new version that still holds a quote literally."""
    flat = _flat(quote)
    return next((s for s in sections if flat in _flat(s.text)), None)


def _load(path: Path, model: type[Any]) -> Any:
    if not path.exists():
        return None
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError):
        return None  # a previous file that no longer reads is replaced by the draft


def keep_reviewed(pack_dir: Path, sections: list[Section], proposal: Draft) -> list[str]:
    """Carry the previous version's reviewed routes, roles and gift rules into the draft where their quotes still
    stand; return a sentence for each one that no longer does."""
    notes: list[str] = []
    routing: RoutingPack | None = _load(pack_dir / "routing.yaml", RoutingPack)
    contacts: ContactsPack | None = _load(pack_dir / "contacts.yaml", ContactsPack)
    gifts: GiftRules | None = _load(pack_dir / "gifts.yaml", GiftRules)
    old_roles = {role.id: role for role in contacts.roles} if contacts else {}
    roles = {role.id: role for role in proposal.roles}
    if routing is not None:
        routes = {route.kind: route for route in proposal.routes}
        for old in routing.routes:
            kept = []
            for step in old.roles:
                if step.review:
                    continue  # an unreviewed proposal of the last import: the new draft proposes afresh
                if step.basis == BasisKind.CODE:
                    section = _where(step.quote or "", sections)
                    if section is None:
                        notes.append(
                            f"Route {KIND_NAMES.get(old.kind.value, old.kind.value)}: “{step.quote}” staat niet meer "
                            f"in de code; {step.role} is daar niet meer op die grond. Kijk de route na."
                        )
                        continue
                    step = step.model_copy(update={"section": section.id})
                kept.append(step)
                if step.role not in roles and step.role in old_roles:
                    roles[step.role] = old_roles[step.role]
            if not kept:
                continue
            draft_route = routes.get(old.kind)
            extra = [s for s in (draft_route.roles if draft_route else []) if s.role not in {k.role for k in kept}]
            routes[old.kind] = Route(kind=old.kind, roles=kept + [s for s in extra if s.review])
        proposal.routes = list(routes.values())
    # Roles keep what a person filled in (contact details the code gives, aliases), with the section that names
    # them now.
    for role_id in list(roles):
        old = old_roles.get(role_id)
        if old is None:
            continue
        section = _where(old.description, sections) if old.description else None
        roles[role_id] = old.model_copy(update={"section": section.id if section else None})
    used = {step.role for route in proposal.routes for step in route.roles}
    proposal.roles = [role for role in roles.values() if role.id in used]
    if gifts is not None:
        proposal.gifts = _keep_gifts(gifts, sections, proposal.gifts, notes)
    return notes


def _keep_gifts(old: GiftRules, sections: list[Section], new: GiftRules | None, notes: list[str]) -> GiftRules | None:
    """Reviewed gift rules whose quotes still stand are kept; the others come from the new draft."""
    kept: dict[str, Any] = {}
    for name, rule in old.rules():
        if rule.review:
            continue
        texts = [rule.quote, *rule.conditions, *rule.also]
        homes = [_where(text, sections) for text in texts]
        if any(home is None for home in homes) or len({h.id for h in homes if h}) != 1:
            notes.append(f"Geschenken ({name}): “{rule.quote}” staat niet meer zo in de code. Kijk de regel na.")
            continue
        kept[name] = rule.model_copy(update={"section": homes[0].id if homes[0] else rule.section})
    if not kept:
        return new
    merged = {name: rule for name, rule in (new.rules() if new else [])}
    merged.update(kept)
    if not all(name in merged for name in ("small", "large", "invitation", "reward")):
        return new
    examples = [e for e in old.small_examples if any(_flat(e) in _flat(s.text) for s in sections)]
    return GiftRules(**merged, small_examples=examples)


def compare(old: CodePack, sections: list[Section], proposal: Draft, notes: list[str]) -> Changes:
    """Sections added, removed and reworded between the previous version and this one, and the routes affected."""
    remaining = {s.id: s for s in old.sections}
    reworded: list[Reworded] = []
    added: list[str] = []
    by_title = {fold(s.title): s for s in old.sections}
    for section in sections:
        match = by_title.get(fold(section.title))
        if match is None or match.id not in remaining:
            scored = [(fuzz.ratio(_flat(section.text), _flat(o.text)), o) for o in remaining.values()]
            best = max(scored, key=lambda item: item[0], default=(0.0, None))
            match = best[1] if best[0] >= SAME_SECTION else None
        if match is None:
            added.append(section.title)
            continue
        del remaining[match.id]
        if _flat(match.text) != _flat(section.text):
            similarity = fuzz.ratio(_flat(match.text), _flat(section.text)) / 100
            reworded.append(Reworded(id=section.id, title=section.title, similarity=round(similarity, 3)))
    removed = [s.title for s in remaining.values()]
    return Changes(previous=old.version, added=added, removed=removed, reworded=reworded, routes=notes)
