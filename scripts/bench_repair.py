#!/usr/bin/env python
"""Benchmark text-repair speed (one core, model loading excluded; median of runs).

Usage::

    python scripts/bench_repair.py [--corpus-dir DIR] [--runs 5] [--max-tokens 100000]

Speeds are given by wall clock and per CPU second of the process (the two agree on an
idle machine; on a shared one the wall clock also counts waiting for a core).
Without ``--corpus-dir`` the text is the sample documents tests/resources/000-003
(diacritics stripped for the ASCII benchmark) and 004 (English-model OCR); with it,
held-out corpus documents.  Prints model load time, artifact sizes and syllables/s for:
ASCII restoration (``repair_lines``, auto mode, with and without the joining of split
syllables), accented pass-through (the same), accented text with 3.6 % of its syllables split
as pdftotext splits them, the join alone, TCVN3 conversion, and OCR repair (``mode="ocr"``; "cold" clears the per-token candidate cache
before every run, "warm" keeps it, as in a long-running pipeline).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def n_words(lines):
    from normalizers.diacritics import TOKEN_RE

    return sum(1 for x in lines for m in TOKEN_RE.finditer(x) if not m.group()[0].isdigit())


def _clear_ocr_cache(R):
    chan = R._ocr_channel()
    if chan is not None:
        chan._cache.clear()


def bench(fn, lines, runs):
    """(syllables/s by wall clock, median wall seconds, syllables/s by CPU time of this
    process).  On a machine shared with other jobs the wall clock also counts the time
    the process waited for a core; the CPU-time figure is what one core does."""
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn(lines)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    n = n_words(lines)
    return n / statistics.median(times), statistics.median(times), n / statistics.median(cpu)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus-dir", type=Path, default=None)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--max-tokens", type=int, default=100_000)
    args = ap.parse_args(argv)

    from normalizers import diacritics as D
    from normalizers import encodings as E
    from normalizers import repair as R

    t = time.perf_counter()
    R.load_model()
    load = time.perf_counter() - t
    sizes = {p.name: p.stat().st_size for p in sorted((ROOT / "normalizers" / "data").glob("*")) if p.is_file()}
    print(f"model load {load:.2f}s; artifacts " + ", ".join(f"{k} {v/1e6:.1f} MB" for k, v in sizes.items())
          + f"; total {sum(sizes.values())/1e6:.1f} MB")

    res_dir = ROOT / "tests" / "resources"
    if args.corpus_dir is not None:
        from eval_repair import heldout_lines

        accented = heldout_lines(args.corpus_dir, args.max_tokens)
    else:
        accented = []
        for p in sorted(res_dir.glob("00[0-3]_*.txt")):
            accented += [unicodedata.normalize("NFC", x) for x in p.read_text(encoding="utf-8").split("\n")]
    ocr = next(res_dir.glob("004_*.txt")).read_text(encoding="utf-8").split("\n")
    stripped = [D.fold(x) for x in accented]
    tcvn3 = [E.encode(x, "tcvn3") for x in accented]

    from eval_split_syllables import simulate_splits
    from normalizers.split_syllables import join_split_syllables

    rng = random.Random(3)
    split = [simulate_splits(x, rng, 0.036) for x in accented]  # pdftotext's share of split syllables

    R.repair_lines(stripped[:200])  # warm-up
    join_split_syllables(split[:200])
    for name, fn, lines in [
        ("ascii restore (repair_lines auto)", R.repair_lines, stripped),
        ("ascii restore (auto, without the join)", lambda x: R.repair_lines(x, join_splits=False), stripped),
        ("accented, 3.6 % split (auto)", R.repair_lines, split),
        ("join split syllables alone (3.6 % split)", join_split_syllables, split),
        ("join split syllables alone (clean text)", join_split_syllables, accented),
        ("accented pass-through (auto, without the join)", lambda x: R.repair_lines(x, join_splits=False), accented),
        ("ascii restore (diacritics.restore_lines)", D.restore_lines, stripped),
        ("accented pass-through (auto)", R.repair_lines, accented),
        ("tcvn3 conversion (auto)", R.repair_lines, tcvn3),
        ("ocr repair (mode=ocr, sample 004, cold cache)", lambda x: (_clear_ocr_cache(R), R.repair_lines(x, mode="ocr")), ocr),
        ("ocr repair (mode=ocr, sample 004, warm cache)", lambda x: R.repair_lines(x, mode="ocr"), ocr),
    ]:
        speed, sec, cpu_speed = bench(fn, lines, args.runs)
        print(
            f"{name:45s} {speed:10,.0f} syllables/s wall, {cpu_speed:10,.0f} per CPU second  "
            f"({n_words(lines):,} syllables, median {sec:.3f}s of {args.runs})"
        )
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (wall figures are low when it exceeds the cores)")


if __name__ == "__main__":
    main()
