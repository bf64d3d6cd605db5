#!/usr/bin/env python
"""Learn the costs of the row-lines reader (:mod:`extractors.appendix.row_lines`) from generated
plans, instead of setting them by hand.

The reader cuts every line of an English-OCR'd table into column fragments by a dynamic
programme whose costs are module constants (a cell starting lower-case, a column appearing
below an empty line, a whole known body ...), and leaves out rows whose cut is in doubt.  This
script searches those constants by coordinate descent on *training* plans (each constant in
turn scaled by ``--factors``; a change is taken when it raises the score) and reports the
result on *validation* plans that the search never saw:

    python scripts/tune_row_lines.py                                   # the search of the constants in the module
    python scripts/tune_row_lines.py --train 1001-1005,1018-1029 --validate 1006-1017,1035-1046 --sweeps 2

Score: rows matched minus ``--wrong-weight`` times the rows emitted that match no plan row
(a wrong row costs an analyst more than a missing one); rows as in ``scripts/eval_tables.py``
(form ``ocr_eng``: the plan rendered, scanned and read by tesseract's English model).  Forms
are cached as there (~/.cache/kehoach-plan-shapes); the first run OCRs every plan.
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "tests")]

import eval_tables  # noqa: E402

from extractors.appendix import row_lines as RL  # noqa: E402

#: the constants searched: the costs of a line's cut and the doubts that leave a row out
COSTS = ("WRAP_COST", "WRAP_ROOM", "LOWER_START_COST", "APPEAR_COST", "EMPTY_COST", "CUT_COST", "OVER_COST",
         "END_COST", "COMPLETE_COST", "CUT_NAME_OPEN", "WHOLE_BONUS", "AMBIGUOUS_MARGIN", "AMBIGUOUS_FULL",
         "MAX_CLEAN_COST", "MAX_CLEAN_OVER", "ASSOC_WEIGHT", "ASSOC_NEUTRAL", "OWNER_CUE", "TYPED_CUE",
         "UNTYPED_COST", "BAR_INSIDE_COST", "CLOSED_UPPER_BONUS", "UPPER_GOES_ON_COST", "WIDTH_PERCENTILE")


def _seeds(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def _plan(args: tuple[int, str]) -> dict:
    seed, form = args
    return eval_tables.eval_plan(seed, (form,), tuple(eval_tables.table_match.COMPARED_ROLES), True)[form]


def measure(seeds: list[int], costs: dict[str, float], form: str, jobs: int) -> tuple[int, int, int]:
    """(plan rows, rows emitted, rows matched) over the plans with the module's constants set
    to ``costs`` (set before the worker processes start, which inherit them)."""
    for name, value in costs.items():
        setattr(RL, name, value)
    with ProcessPoolExecutor(jobs) as pool:
        res = list(pool.map(_plan, [(s, form) for s in seeds]))
    return sum(r["gold"] for r in res), sum(r["got"] for r in res), sum(r["matched"] for r in res)


def _line(name: str, counts: tuple[int, int, int], score: float) -> str:
    gold, got, matched = counts
    prec = matched / got if got else 0.0
    return f"{name:34} rows {matched:4}/{gold:<4} recall {matched / gold:.3f} precision {prec:.3f}  score {score:.0f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", default="1001-1005,1018-1029")
    ap.add_argument("--validate", default="1006-1017,1035-1046")
    ap.add_argument("--costs", default=",".join(COSTS))
    ap.add_argument("--factors", default="0.6,1.5")
    ap.add_argument("--sweeps", type=int, default=2)
    ap.add_argument("--wrong-weight", type=float, default=3.0)
    ap.add_argument("--form", default="ocr_eng")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    train, validate = _seeds(args.train), _seeds(args.validate)
    names = args.costs.split(",")
    factors = [float(f) for f in args.factors.split(",")]

    def score(counts: tuple[int, int, int]) -> float:
        _, got, matched = counts
        return matched - args.wrong_weight * (got - matched)

    start = {n: getattr(RL, n) for n in names}
    cur = dict(start)
    counts = measure(train, cur, args.form, args.jobs)
    best = score(counts)
    print(_line("train, module's constants", counts, best), flush=True)
    for sweep in range(args.sweeps):
        changed = False
        for name in names:
            for f in factors:
                trial = {**cur, name: round(cur[name] * f, 4)}
                counts = measure(train, trial, args.form, args.jobs)
                s = score(counts)
                print(_line(f"  {name} = {trial[name]}", counts, s), flush=True)
                if s > best:
                    best, cur, changed = s, trial, True
                    break
        if not changed:
            break
    print("\nlearned:", {n: v for n, v in cur.items() if v != start[n]} or "no change")
    for name, costs in (("validate, module's constants", start), ("validate, learned", cur)):
        counts = measure(validate, costs, args.form, args.jobs)
        print(_line(name, counts, score(counts)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
