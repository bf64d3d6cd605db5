"""Batch throughput and the cost of the incremental check (`make bench`).

On a batch of at least 200 distinct text documents (the samples, each copied
with a varied trailing line so the duplicate check does not skip them):

  * documents per second for the process pool with 1 worker (the baseline)
    and with 2 workers (or all cores), and for a Dask local cluster (its
    start-up included: that is what ``--executor dask`` costs);
  * a re-run on the same output where nothing changed: wall time as a share
    of a full run (hashing every input, checking the store, leaving the tables);
  * a re-run where one file changed: one document processed, all tables rebuilt.

Each figure is the median of ``--repeats`` runs measured in this process; ratios
are against the baseline measured in the same run.  Numbers depend on the
machine and its load: compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import run_batch  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.store import code_digest  # noqa: E402


def make_batch(samples: list[Path], n_docs: int, folder: Path) -> int:
    """``n_docs`` distinct documents (at least), cycling over the samples."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = -(-n_docs // len(samples))
    n = 0
    for path in samples:
        data = path.read_bytes()
        for k in range(copies):
            (folder / f"{path.stem}_{k:03d}.txt").write_bytes(data + f"\n(bản sao {k})\n".encode())
            n += 1
    return n


def timed(inputs: Path, out: Path, cfg: Config, expect: int, fresh: bool = True) -> tuple[float, object]:
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    code_digest.cache_clear()  # a CLI run computes it once: count it
    t0 = time.perf_counter()
    summary = run_batch([inputs], out, cfg, progress=False)
    seconds = time.perf_counter() - t0
    done = summary.statuses.get("success", 0) + summary.statuses.get("partial", 0)
    assert done == expect, summary.render()
    return seconds, summary


def bench(samples: list[Path], n_docs: int, repeats: int, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as tmp:
        inputs, out = Path(tmp) / "in", Path(tmp) / "out"
        n = make_batch(samples, n_docs, inputs)
        print(f"batch of {n} text documents ({len(samples)} samples, varied copies), median of {repeats}:")
        runs = {
            "process pool, 1 worker": Config(workers=1),
            f"process pool, {workers} workers": Config(workers=workers),
            f"dask LocalCluster, {workers} workers": Config(workers=workers, executor="dask"),
        }
        medians: dict[str, float] = {}
        baseline = None
        for name, cfg in runs.items():
            times = [timed(inputs, out, cfg, n)[0] for _ in range(repeats)]
            medians[name] = statistics.median(times)
            rate = n / medians[name]
            baseline = baseline or rate
            print(f"  {name:34s} {medians[name]:7.2f} s  {rate:6.1f} documents/s  x{rate / baseline:.2f} vs 1 worker")

        full_name = f"process pool, {workers} workers"
        cfg = runs[full_name]
        timed(inputs, out, cfg, n)  # a complete output to re-run on
        reruns = [timed(inputs, out, cfg, n, fresh=False) for _ in range(max(3, repeats))]
        assert all(s.processed == 0 and not s.published for _, s in reruns)
        rerun = statistics.median(t for t, _ in reruns)
        share = rerun / medians[full_name] * 100
        print(f"  re-run, nothing changed           {rerun:7.3f} s  = {share:.2f}% of a full run "
              f"({full_name}){'' if share < 5 else '  (over the 5% budget!)'}")

        changed = sorted(inputs.iterdir())[0]
        times = []
        for k in range(max(3, repeats)):
            changed.write_bytes(changed.read_bytes() + f"\n(sửa {k})\n".encode())
            t, summary = timed(inputs, out, cfg, n, fresh=False)
            assert summary.processed == 1 and summary.published
            times.append(t)
        one = statistics.median(times)
        print(f"  re-run, one file changed          {one:7.3f} s  = {one / medians[full_name] * 100:.2f}% of a full run "
              "(1 document processed, every table rebuilt)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--docs", type=int, default=200, help="documents in the batch (at least)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 1))
    args = parser.parse_args()
    samples = sorted(p for p in args.samples.iterdir() if p.suffix in (".txt", ".md"))
    bench(samples, args.docs, args.repeats, args.workers)


if __name__ == "__main__":
    main()
