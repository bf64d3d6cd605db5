"""Benchmarks (`make bench`): medians and ratios measured in the same run.

Text path:
  * per document: median wall time of ``process_document`` over repeats, per sample;
  * batches (documents/s for 1 and 2 workers and Dask, the incremental re-run) are
    measured by scripts/bench_batch.py.

Numbers depend on the machine and its load; compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    samples = sorted(p for p in args.samples.iterdir() if p.suffix in (".txt", ".md"))
    bench_documents(samples, args.repeats)


if __name__ == "__main__":
    main()
