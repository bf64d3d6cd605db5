"""Benchmarks (`make bench`): medians and ratios measured in the same run.

Text path:
  * per document: median wall time of ``process_document`` over repeats, per sample;
  * batch (``--batch``, off by default since ``make bench`` runs scripts/bench_batch.py for
    it): documents per second for ``--workers 1`` (the baseline) and for all
    cores, on a batch made by giving each sample several distinct copies (a
    varied trailing line, so the duplicate check does not skip them).

Numbers depend on the machine and its load; compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.batch import run_batch
from pipeline.config import Config
from pipeline.run import process_document

ROOT = Path(__file__).resolve().parents[1]


def bench_documents(samples: list[Path], repeats: int) -> None:
    cfg = Config(workers=1)
    process_document(samples[0], cfg)  # warm imports and caches
    print(f"per document (median of {repeats}, in-process):")
    medians = []
    for path in samples:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            result = process_document(path, cfg)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        medians.append(med)
        rows = sum(len(v) for v in result.tables.values())
        print(f"  {path.name:32s} {med * 1000:8.1f} ms  {rows:5d} rows  status={result.status}")
    print(f"  median over samples: {statistics.median(medians) * 1000:.1f} ms/document "
          f"= {1 / statistics.median(medians):.1f} documents/s")


def make_batch(samples: list[Path], copies: int, folder: Path) -> int:
    n = 0
    for path in samples:
        data = path.read_bytes()
        for k in range(copies):
            (folder / f"{path.stem}_{k:03d}.txt").write_bytes(data + f"\n(bản sao {k})\n".encode())
            n += 1
    return n


def bench_batch(samples: list[Path], copies: int, repeats: int) -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        n = make_batch(samples, copies, folder)
        print(f"batch of {n} text documents ({copies} copies of each sample):")
        rates = {}
        for workers in sorted({1, cores}):
            times = []
            for _ in range(repeats):
                shutil.rmtree(out, ignore_errors=True)
                t0 = time.perf_counter()
                summary = run_batch([folder], out, Config(workers=workers), progress=False)
                times.append(time.perf_counter() - t0)
                assert summary.statuses.get("success", 0) + summary.statuses.get("partial", 0) == n, summary.render()
            rates[workers] = n / statistics.median(times)
            print(f"  --workers {workers}: median {statistics.median(times):6.2f} s = {rates[workers]:6.1f} documents/s")
        if cores > 1:
            print(f"  speed-up {cores} workers vs 1: {rates[cores] / rates[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--batch", action="store_true", help="also time a batch (see scripts/bench_batch.py)")
    args = parser.parse_args()
    samples = sorted(p for p in args.samples.iterdir() if p.suffix in (".txt", ".md"))
    bench_documents(samples, args.repeats)
    if args.batch:
        bench_batch(samples, args.copies, max(1, args.repeats // 2))


if __name__ == "__main__":
    main()
