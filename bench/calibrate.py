"""Learn the lookup's models (run by hand): section ranking, passage choice, and the confidence gate.

On the development set only (tests/data/lookup/dev). First the ranking model (which section is the one, from
words and meaning), then the passage model (which sentence answers), each a softmax choice over the candidates.
Then every question's best hit is scored once for the gate and labelled positive when it is the right section
with the answering sentence in its snippet, negative otherwise: the code's silence, and a wrong section or
passage (a confident wrong answer misleads more than "I don't know"). A small L2-regularised logistic regression
learns the weights of the hit's signals; the threshold is the one that shows the most right answers less
WRONG_COST times the confident wrong ones, keeping "honest when unanswerable" at 90% or more. `--write` puts the
learned constants into bot/knowledge/{ranking,snippets,confidence}.py; the other sets judge them in the tests.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge import ranking, snippets
from bot.knowledge.confidence import Signals, logit
from bot.knowledge.content import load_content
from bot.knowledge.evaluation import LabelledQuery, flat, load_queries, remember_vectors, squash
from bot.knowledge.lookup import SectionIndex, Synonyms, snippet

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `python bench/calibrate.py` as well as -m
from bench.import_loo import import_seeds, keep_vectors

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "lookup" / "dev"
GATE = ROOT / "bot" / "knowledge" / "confidence.py"
PASSAGES = ROOT / "bot" / "knowledge" / "snippets.py"
RANKING = ROOT / "bot" / "knowledge" / "ranking.py"
Row = tuple[dict[str, float], float]  # features, and 1.0 for a right answer
STEPS = 4000
RATE = 0.1
L2 = 0.01
HONEST = 0.9  # the share of unanswerable questions that must get "no clear answer"
WRONG_COST = 2.0  # a confident wrong answer misleads: it costs twice what a right answer held back costs
# An imported code has no hand-written questions to make its answers sure: its gate is stricter.
TEXT_WRONG_COST = 4.0
PLAUSIBLE_SHARE = 0.5  # "closest I found" shows for hits this likely right or more, below the gate


@dataclass(frozen=True)
class Case:
    """One question's best hit, as the gate sees it."""

    answerable: bool
    right: bool  # the hit is the right section and its snippet holds the answer: right if presented
    signals: Signals
    query: str = ""


def indexes(imported: Path | None = None) -> dict[str, SectionIndex]:
    """One index per pack, as the service builds them; each question's vector computed once for all the fits.
    With `imported`, the packs there (the seeds imported from their raw text)."""
    content = load_content(imported) if imported else load_content()
    synonyms = Synonyms.build(content.synonyms)  # an imported pack is served with the shared synonyms too
    built = {org: SectionIndex(pack, synonyms) for org, pack in content.packs.items()}
    if imported:
        keep_vectors(built)
    remember_vectors(built)
    return built


def holds(labelled: LabelledQuery, text: str) -> bool:
    """Whether a text holds an answering phrase (for imported packs, whose sections are not the labelled ones)."""
    squashed = squash(text)
    return any(squash(phrase) in squashed for phrase in labelled.answers)


def right_section(labelled: LabelledQuery, section, text_only: bool) -> bool:
    """The labelled section; in an imported pack, a section that holds an answering phrase."""
    return holds(labelled, section.text) if text_only else section.id in labelled.expected


def passage_rows(
    index: dict[str, SectionIndex], queries: list[LabelledQuery], text_only: bool = False
) -> list[list[Row]]:
    """Per right section found for an answerable question, its passages labelled by the answer phrases."""
    rows = []
    for labelled in queries:
        for hit in index[labelled.org].search(labelled.query, limit=3) if labelled.answerable else []:
            if not right_section(labelled, hit.section, text_only):
                continue
            answers = [flat(phrase) for phrase in labelled.answers]
            right = [any(a in flat(p.text) for a in answers) for p in hit.passages]
            if not any(right):
                continue  # the answer spans several list items: no one passage to learn from
            rows.append(
                [(hit.passage_features[p.index], 1.0 if right[p.index] else 0.0) for p in hit.passages if not p.label]
            )
    return rows


def rank_rows(
    index: dict[str, SectionIndex], queries: list[LabelledQuery], text_only: bool = False
) -> list[list[Row]]:
    """Per answerable question, every section of its pack with its ranking features, labelled right or not."""
    rows = []
    for labelled in queries:
        if not labelled.answerable:
            continue
        hits = index[labelled.org].search(labelled.query, limit=1000)
        group = [(hit.rank_features, 1.0 if right_section(labelled, hit.section, text_only) else 0.0) for hit in hits]
        if any(label for _, label in group):  # the right section is a candidate at all (a word or a close meaning)
            rows.append(group)
    return rows


def fit_choice(groups: list[list[Row]]) -> dict[str, float]:
    """Listwise logistic (softmax) regression: weights under which the right item of each group scores highest
    (a section's answering passage among its passages, or the right sections among a pack's)."""
    names = list(groups[0][0][0])
    weights = dict.fromkeys(names, 0.0)
    for _ in range(STEPS // 4):
        gradient = dict.fromkeys(names, 0.0)
        for group in groups:
            z = [sum(weights[n] * features[n] for n in names) for features, _ in group]
            top = max(z)
            exp = [math.exp(v - top) for v in z]
            total = sum(exp)
            positives = sum(label for _, label in group)
            for (features, label), e in zip(group, exp, strict=True):
                error = e / total - label / positives
                for n in names:
                    gradient[n] += error * features[n]
        for n in names:
            weights[n] -= RATE * (gradient[n] / len(groups) + L2 * weights[n])
    # The bias cancels out of a choice within a group; it sets the probabilities' level for the runners-up.
    if "bias" in weights:
        weights["bias"] = -2.0
    return {n: round(w, 3) for n, w in weights.items()}


def cases(index: dict[str, SectionIndex], queries: list[LabelledQuery], text_only: bool = False) -> list[Case]:
    """Score every development question once."""
    found = []
    for labelled in queries:
        hits = index[labelled.org].search(labelled.query, limit=1)
        if not hits:
            continue  # nothing matched: the bot says so whatever the gate
        hit = hits[0]
        text = flat(snippet(hit, mark=""))
        if text_only:
            right = holds(labelled, text)
        else:
            right = hit.section.id in labelled.expected and any(flat(a) in text for a in labelled.answers)
        found.append(Case(labelled.answerable, right, hit.signals, labelled.query))
    return found


def fit(rows: list[Row]) -> dict[str, float]:
    """Logistic regression by gradient descent, L2-regularised: a weight per feature, and a bias."""
    names = list(rows[0][0])
    weights = dict.fromkeys(names, 0.0)
    for _ in range(STEPS):
        gradient = dict.fromkeys(names, 0.0)
        for features, label in rows:
            z = sum(weights[n] * features[n] for n in names)
            error = 1 / (1 + math.exp(-max(min(z, 30), -30))) - label
            for n in names:
                gradient[n] += error * features[n]
        for n in names:
            penalty = 0.0 if n == "bias" else L2 * weights[n]
            weights[n] -= RATE * (gradient[n] / len(rows) + penalty)
    return {n: round(w, 3) for n, w in weights.items()}


def rates(
    found: list[Case], weights: dict[str, float], threshold: float, total: tuple[int, int]
) -> tuple[float, float, float]:
    """(shown as the answer, honest when unanswerable, confidently wrong of all) with this model and threshold."""
    right = sum(1 for c in found if c.right and logit(c.signals, weights) >= threshold)
    honest_misses = sum(1 for c in found if not c.answerable and logit(c.signals, weights) >= threshold)
    wrong = sum(1 for c in found if not c.right and logit(c.signals, weights) >= threshold)
    return right / total[0], 1 - honest_misses / total[1], wrong / (total[0] + total[1])


def main() -> None:
    """Print the learned weights and thresholds with the figures they give, next to the ceiling without a gate."""
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--write", action="store_true", help="write the result into bot/knowledge/confidence.py")
    options.add_argument(
        "--text-only", action="store_true", help="learn the models of packs without keywords or FAQ (imported codes)"
    )
    options.add_argument(
        "--wrong-cost", type=float, help=f"what a confident wrong answer costs (default: {WRONG_COST}; text-only "
        f"{TEXT_WRONG_COST})",
    )
    args = options.parse_args()
    cost = args.wrong_cost or (TEXT_WRONG_COST if args.text_only else WRONG_COST)
    if args.text_only:
        with tempfile.TemporaryDirectory() as tmp:
            import_seeds(Path(tmp))
            learn(indexes(Path(tmp)), True, args.write, cost)
    else:
        learn(indexes(), False, args.write, cost)


def learn(index: dict[str, SectionIndex], text_only: bool, write_them: bool, cost: float = WRONG_COST) -> None:
    """Fit the ranking, passage (hand-made packs only) and gate models, print them and their figures."""
    queries = load_queries(sorted(DEV.glob("*.yaml")))
    rank_weights = fit_choice(rank_rows(index, queries, text_only))
    prefix = "TEXT_" if text_only else ""
    # Passages and the gate learn on the sections the new ranking puts first.
    setattr(ranking, f"{prefix}RANK_WEIGHTS", rank_weights)
    print(f"ranking model: {prefix}RANK_WEIGHTS = {rank_weights}")
    groups = passage_rows(index, queries, text_only)
    passage_weights = fit_choice(groups)
    # The gate learns on the snippets the new passage model picks.
    setattr(snippets, f"{prefix}PASSAGE_WEIGHTS", passage_weights)
    print(f"passage model from {len(groups)} sections: {prefix}PASSAGE_WEIGHTS = {passage_weights}")
    found = cases(index, queries, text_only)
    total = (sum(1 for q in queries if q.answerable), sum(1 for q in queries if not q.answerable))
    ceiling = sum(1 for c in found if c.right) / total[0]
    print(f"{len(queries)} development questions; right passage at rank 1 without a gate: {ceiling:.1%}")
    # Learn right answers against everything that must not be presented as one: the code's silence, and a
    # wrong section or passage (a confident wrong answer misleads more than "I don't know").
    weights = fit([(c.signals.features(), 1.0 if c.right else 0.0) for c in found])
    logits = sorted({round(logit(c.signals, weights), 2) for c in found})
    # Of the thresholds that keep the bot honest on the code's silence, the one with the most right answers
    # shown, less twice the confident wrong ones (counted as questions, on the development set).
    honest_enough = [t for t in logits if rates(found, weights, t, total)[1] >= HONEST]

    def worth(threshold: float) -> float:
        shown, _, wrong = rates(found, weights, threshold, total)
        return shown * total[0] - cost * wrong * (total[0] + total[1])

    threshold = max(honest_enough, key=lambda t: (worth(t), t)) if honest_enough else max(logits)
    shown, honest, wrong = rates(found, weights, threshold, total)
    plausible = round(threshold + math.log(PLAUSIBLE_SHARE / (1 - PLAUSIBLE_SHARE)) - 1.0, 2)
    print(f"{prefix}WEIGHTS = {weights}\n{prefix}THRESHOLD = {threshold}\n{prefix}PLAUSIBLE = {plausible}")
    print(f"shown as the answer {shown:.1%}, honest when unanswerable {honest:.1%}, confidently wrong {wrong:.1%}")
    if write_them:
        write(RANKING, {f"{prefix}RANK_WEIGHTS": rank_weights})
        write(PASSAGES, {f"{prefix}PASSAGE_WEIGHTS": passage_weights})
        gate = {f"{prefix}WEIGHTS": weights, f"{prefix}THRESHOLD": threshold, f"{prefix}PLAUSIBLE": plausible}
        write(GATE, gate)
        print(f"Wrote {RANKING} and {GATE}")


def write(path: Path, constants: dict[str, float | dict[str, float]]) -> None:
    """Replace learned constants (a number, or a dict of weights written one per line) in a module."""
    text = path.read_text(encoding="utf-8")
    for name, value in constants.items():
        if isinstance(value, dict):
            body = "".join(f'    "{key}": {number},\n' for key, number in value.items())
            text = re.sub(
                rf"^{name}(: dict\[str, float\])? = \{{.*?\}}\n",
                f"{name}\\1 = {{\n{body}}}\n",
                text,
                count=1,
                flags=re.DOTALL | re.M,
            )
        else:
            text = re.sub(rf"^{name} = .*\n", f"{name} = {value}\n", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
