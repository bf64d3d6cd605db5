"""How many glued syllables of English-model OCR the repair parts and restores.

Usage::

    python scripts/eval_glued_syllables.py [--seeds 100:130]

The table-cell phrases of ``tests/glued_ocr.py`` are printed as English OCR
prints them (each letter drawn from what the learned channel saw tesseract make of it), two to
four syllables of each glued into one token at a random place, one phrase per line between a
row number and a deadline, and repaired (``repair_lines(mode="ocr")``).  Printed: the share of
phrases that come back exactly (case aside), with the parting of glued tokens on and off.  The
seeds default to others than the test's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import normalizers.repair as R  # noqa: E402
from glued_ocr import glued_lines  # noqa: E402


def restored(seeds: range) -> tuple[int, int]:
    total = right = 0
    for seed in seeds:
        lines, wants = glued_lines(seed)
        out = R.repair_lines(lines, mode="ocr").lines
        total += len(wants)
        right += sum(w.lower() in x.lower() for w, x in zip(wants, out))
    return right, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="100:130", help="first:last seed (last excluded)")
    args = ap.parse_args()
    first, last = map(int, args.seeds.split(":"))
    seeds = range(first, last)
    right, total = restored(seeds)
    print(f"glued phrases restored exactly: {right}/{total} = {right / total:.1%} (parting on)")
    keep = R.GLUE_MAX_PIECES
    R.GLUE_MAX_PIECES = 1  # no token can be cut into two pieces
    try:
        right, total = restored(seeds)
    finally:
        R.GLUE_MAX_PIECES = keep
    print(f"glued phrases restored exactly: {right}/{total} = {right / total:.1%} (parting off)")


if __name__ == "__main__":
    main()
