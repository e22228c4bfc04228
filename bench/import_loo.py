"""Import benchmark (run by hand): leave-one-out on the five seed codes, and the time to import a 40-page PDF.

Each seed's raw text is imported as if the organisation were new (none of the hand-written keywords, FAQ or
synonyms) and the labelled question sets are asked of the imported pack. An answer counts as shown right when the
passage shown holds an answering phrase of the label, whatever the imported section is called.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.clock import Clock
from bot.knowledge.content import load_content
from bot.knowledge.evaluation import judge_by_text, load_queries, remember_vectors, total
from bot.knowledge.lookup import SectionIndex, Synonyms

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the test suite's document makers, also when run as `python bench/import_loo.py`
SEEDS = ROOT.parent / "shared" / "seeds"
SETS = ROOT / "tests" / "data" / "lookup"
SET_NAMES = ("dev", "heldout", "independent")
SEED_FILES = {
    "igo": "000_99fd80da5d3642a4.txt",
    "voorbeeldgemeente": "001_0e356cf5f04f6286.txt",
    "kortrijk": "002_3769d72883b4ea0a.txt",
    "putte": "003_74687144117bdb90.txt",
    "vvsg": "004_88399df9cee5f64f.txt",
}
KIND_OF = {
    "gemeente": "gemeente",
    "ocmw": "ocmw",
    "intergemeentelijk": "igo",
    "vlaams": "vlaams",
    "vereniging": "private",
}


def import_seeds(target: Path) -> dict[str, float]:
    """Import every seed into `target` as an organisation would; seconds per seed. With BENCH_VECTORS set to a
    folder, vectors computed before are reused from there (trying other section sizes costs minutes otherwise)."""
    import shutil

    from bot.importing.importer import import_code

    hand = load_content()
    seconds = {}
    kept = Path(os.environ["BENCH_VECTORS"]) if os.environ.get("BENCH_VECTORS") else None
    for org, name in SEED_FILES.items():
        if kept is not None and (kept / f"{org}.npz").exists():
            (target / org).mkdir(parents=True, exist_ok=True)
            shutil.copy(kept / f"{org}.npz", target / org / "vectors.npz")
        started = time.perf_counter()
        pack = hand.packs[org]
        imported = import_code(
            SEEDS / name, target, org, pack.code.name, KIND_OF[pack.code.type.value], Clock().today()
        )
        if imported.problems:
            raise SystemExit(f"{org}: the imported pack is invalid: {imported.problems}")
        seconds[org] = time.perf_counter() - started
    return seconds


def keep_vectors(indexes: dict[str, SectionIndex]) -> None:
    """With BENCH_VECTORS set, store every vector the indexes hold there, for the next run."""
    if not os.environ.get("BENCH_VECTORS"):
        return
    import shutil

    kept = Path(os.environ["BENCH_VECTORS"])
    kept.mkdir(parents=True, exist_ok=True)
    for org, index in indexes.items():
        if index.vectors.save() and index.vectors.path is not None:
            shutil.copy(index.vectors.path, kept / f"{org}.npz")


def leave_one_out(show_misses: bool, strict: bool = False) -> None:
    """Import the five seeds and judge the labelled sets against the imported packs."""
    hand = load_content()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp)
        seconds = import_seeds(target)
        imported = load_content(target)
        # The shared everyday words are served with every pack, an imported one too (`--strict` leaves them out).
        synonyms = Synonyms.build({} if strict else imported.synonyms)
        started = time.perf_counter()
        indexes = {org: SectionIndex(pack, synonyms) for org, pack in imported.packs.items()}
        print(f"vectors of the five imported packs: {time.perf_counter() - started:.1f} s")
        keep_vectors(indexes)
        from bot.importing.report import load_report

        print(f"\n{'organisation':<18} {'sections (hand)':>16} {'words kept':>11} {'import s':>9}")
        for org in SEED_FILES:
            report = load_report(target / org)
            assert report is not None
            hand_sections = len(hand.packs[org].code.sections)
            print(f"{org:<18} {report.sections:>7} ({hand_sections:>3})    {report.share:>10.1%} {seconds[org]:>9.1f}")
        remember_vectors(indexes)
        for set_name in SET_NAMES:
            queries = load_queries(sorted((SETS / set_name).glob("*.yaml")))
            judgements = judge_by_text(queries, indexes)
            print(f"\n{set_name} set against the imported packs: {len(queries)} questions")
            print(f"  {'organisation':<18} {'shown as the answer':>24} {'honest':>18} {'confidently wrong':>20}")
            for org, j in [*sorted(judgements.items()), ("all", total(judgements))]:
                honest = f"{j.honest}/{j.unanswerable} {j.honest_rate:6.1%}" if j.unanswerable else "-"
                print(
                    f"  {org:<18} {f'{j.shown}/{j.answerable} {j.shown_rate:6.1%}':>24} {honest:>18} "
                    f"{f'{j.wrong}/{j.answerable + j.unanswerable} {j.wrong_rate:6.1%}':>20}"
                )
            if show_misses:
                for labelled, seen in total(judgements).misses:
                    kind = "answerable" if labelled.answerable else "silent"
                    print(f"    MISS {labelled.org} [{kind}] {labelled.query!r}\n         got {seen[:200]}")


def pdf_import(pages: int) -> None:
    """Generate a PDF of about `pages` pages from the seeds and time `integriteitsbot content import` on it."""
    from tests.make_documents import code_pdf

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "code.pdf"
        made = code_pdf(path, pages=pages)
        content = Path(tmp) / "content"
        content.mkdir()
        command = [sys.executable, "-m", "bot", "--content", str(content), "content", "import", str(path)]
        command += ["--org", "proef", "--name", "Gemeente Proefdorp", "--kind", "gemeente"]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        print(
            f"\nimport of a {made}-page PDF ({path.stat().st_size // 1024} kB), "
            f"whole command on 2 cores: {elapsed:.1f} s"
        )
        print("  " + "\n  ".join(done.stdout.strip().splitlines()[:4]))


def main() -> None:
    """Print the leave-one-out figures and the PDF import time."""
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--misses", action="store_true", help="list every wrong answer")
    options.add_argument("--pages", type=int, default=40)
    options.add_argument("--strict", action="store_true", help="without the shared synonyms as well")
    args = options.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:2]))  # two cores, as the budget says
    leave_one_out(args.misses, args.strict)
    pdf_import(args.pages)


if __name__ == "__main__":
    main()
