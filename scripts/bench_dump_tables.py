"""Benchmark (`make bench`): what reading tables of text dumps by their columns costs.

Every text dump now goes through the layout-dump reader (:func:`extractors.appendix.layout_dump.layout_tables`,
which looks for a header with columns kept by spaces and reads the table by geometry) and the
row checks (:func:`extractors.appendix.row_check.row_faults` / ``table_faults`` on rows read from printed
lines) before or instead of the stream decoder.  Per document, medians over repeats:

* the whole text path (``process_document``) on the sample dumps (``data/raw``) and on generated
  layout dumps of the sample plan (tests/layout_render.py);
* the appendix step as it was (the stream decoder on every dump) and as it is now (the layout
  reader, else the stream decoder, and the row checks), on the same lines.

The change of the text path is (now - before) / (whole - now + before); the bound is +20 %.
The layout reader's per-line caches are emptied before every timed call.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
sys.path.append(str(ROOT / "tests"))  # after the project: tests/ has packages named alike


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--layouts", type=int, default=4, help="generated layout dumps")
    args = parser.parse_args()

    from extractors.appendix import layout_dump
    from extractors.appendix import extract_appendix
    from extractors.registry import detect_kind, get_extractor
    from fixture_docs import plan_from_sample
    from layout_render import render_layout
    from pipeline import run
    from pipeline.config import Config

    def cold(fn):
        """``fn`` with the layout reader's per-line caches emptied first (as for a new file)."""
        def call():
            for cached in (layout_dump._segments, layout_dump._words, layout_dump._header_role):
                cached.cache_clear()
            return fn()
        return call

    cfg = Config(workers=1)
    with tempfile.TemporaryDirectory() as tmp:
        paths = sorted((ROOT / "data" / "raw").glob("*.txt"))
        plan = plan_from_sample()
        for seed in range(args.layouts):
            p = Path(tmp) / f"layout_{seed}.txt"
            p.write_text(render_layout(plan, seed)[0], encoding="utf-8")
            paths.append(p)
        run.process_document(paths[0], cfg)  # warm imports and models
        print(f"text dumps: the appendix step before (stream decoder only) and now (layout reader, "
              f"else stream decoder; row checks), median of {args.repeats}:")
        slowdowns = []
        for path in paths:
            data = path.read_bytes()
            doc = get_extractor(detect_kind(path, data[:4096]), str(path))(path, cfg, data=data, sha256="0" * 64)
            lines = doc.texts()
            whole = _median_time(cold(lambda: run.process_document(path, cfg)), args.repeats)
            before = _median_time(lambda: extract_appendix(lines), args.repeats)
            now = _median_time(cold(lambda: [run._checked(t) for t in run._printed_tables(doc, lines)]), args.repeats)
            slowdown = (now - before) / max(whole - now + before, 1e-9)
            slowdowns.append(slowdown)
            print(f"  {path.name:28s} whole {whole * 1000:7.1f} ms   appendix step before {before * 1000:6.1f} ms, "
                  f"now {now * 1000:6.1f} ms   text path {slowdown:+.1%}")
        print(f"  median change of the text path: {statistics.median(slowdowns):+.1%}, "
              f"largest {max(slowdowns):+.1%} (bound +20 %)")


if __name__ == "__main__":
    main()
