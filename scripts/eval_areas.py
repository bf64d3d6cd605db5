#!/usr/bin/env python
"""Evaluate the reform area of free text on held-out corpus paragraphs.

Usage::

    python scripts/eval_areas.py --corpus-dir ../shared/corpus [--split heldout|dev]

Sample: the paragraphs of held-out documents (``md5(doc) % 50 == 0``, never trained on)
laid out by area, each labelled by the area heading above it -- the weak labels
``scripts/train_areas.py`` trains on (``labelled_paragraphs``).  Reported against
those labels: coverage and accuracy of ``area_of_text`` (the pipeline's decision for a
text no heading gives an area) at the artifact's threshold, split by the step that
decided (the area the text opens with, the one or two it names, the model), and the
model alone on the paragraphs naming no area.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from normalizers import area_model  # noqa: E402
from normalizers.areas import classify_area, named_areas  # noqa: E402
from train_areas import labelled_paragraphs, split_of  # noqa: E402
from train_repair_model import iter_documents  # noqa: E402


def step_of(text: str) -> str:
    if classify_area(text):
        return "opening"
    n = len(named_areas(text))
    return "named 1" if n == 1 else "named 2" if n == 2 else "named 3+" if n else "model"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus-dir", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--split", choices=("heldout", "dev"), default="heldout")
    args = ap.parse_args(argv)
    model = area_model.load()
    rows = [row for _, doc in iter_documents(args.corpus_dir) if split_of(doc) == args.split
            for row in labelled_paragraphs(doc)]
    total, taken, right = Counter(), Counter(), Counter()
    for label, text in rows:
        step = step_of(text)
        pred = area_model.area_of_text(text)
        for key in (step, "all"):
            total[key] += 1
            if pred is not None:
                taken[key] += 1
                right[key] += pred == label
    print(f"{args.split} paragraphs under an area heading: {len(rows)} "
          f"({dict(sorted(Counter(a for a, _ in rows).items()))})")
    print(f"model: temperature {model.temperature}, threshold {model.threshold}")
    for key in ("all", "opening", "named 1", "named 2", "named 3+", "model"):
        n, k, r = total[key], taken[key], right[key]
        if n:
            print(f"  {key:9} {n:5} paragraphs  coverage {k / n:6.1%}  accuracy {r / k if k else 0:6.1%}")


if __name__ == "__main__":
    main()
