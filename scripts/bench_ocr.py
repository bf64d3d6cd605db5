"""OCR benchmark (`make bench`): the pipeline's OCR path against bare tesseract, same run,
same page images.

1. A generated plan (the test fixture's appendix, rows repeated) is laid out as a PDF and
   "scanned" (rasterized at 200 dpi, rotated 1°, noisy: ``tests/fixture_docs.py``); its first
   ``--pages`` pages are rendered to grey PNGs at 300 dpi (pdftoppm).
2. Per page, interleaved so that the machine's load hits all alike:
   * bare tesseract command: ``OMP_THREAD_LIMIT=1 tesseract page.png - -l vie`` (the Debian
     package);
   * bare engine in-process: the engine the pipeline uses by default (tesserocr, see
     :mod:`extractors.ocr_engine`) alone: decode the PNG, recognize, TSV;
   * pipeline: :func:`extractors.pdf_ocr.extract_image` on the same PNG, one worker
     (deskew, ruled grid, ruling erasure, the page pass, the re-read of empty cells, OSD only
     for doubtful pages, lines and cells), with the default engine and with ``cli``.
   * the same with the correction of Vietnamese-model OCR off (``ocr_correct=False``).
   Pages per second of each (median over ``--repeats``) and the ratios against the bare
   command (the target) and against the same engine alone (the pipeline's own overhead), by
   wall time and by CPU time (the process and its children: steadier on a shared machine);
   what the pipeline's tesseract calls (page pass, re-read sheets, OSD) cost.
   The correction's cost: pages per second with it off over with it on (target < 15 %).
3. Two workers on the same pages (a process pool, pages in parallel): pages/s and speed-up,
   with the correction on and off.
4. Peak memory of one worker (``ru_maxrss`` of the process, and of its largest child:
   the tesseract command or pdftoppm) for a ``--long``-page scanned PDF through
   :func:`pipeline.run.process_document`, in a fresh process (pages are rendered one at a time).

Numbers depend on the machine and its load; compare the ratios measured in one run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
sys.path.append(str(ROOT / "tests"))  # the document generators of the test suite

import extractors.pdf_ocr as ocr  # noqa: E402
from extractors import ocr_engine as engine  # noqa: E402
from pipeline.config import Config  # noqa: E402

CFG = Config(workers=1)
CLI_CFG = Config(workers=1, ocr_engine="cli")
RAW_CFG = Config(workers=1, ocr_correct=False)
BARE_ENV = dict(os.environ, OMP_THREAD_LIMIT="1")


def make_scan(folder: Path, min_pages: int, name: str) -> tuple[Path, int]:
    """A scanned PDF of at least ``min_pages`` pages; returns its path and page count."""
    from fixture_docs import build_pdf, plan_from_sample, rasterize_pdf

    plan = plan_from_sample()
    copies = 1
    while True:
        big = dataclasses.replace(plan, rows=plan.rows * copies)
        stats: dict = {}
        pdf = build_pdf(big, folder / f"{name}.digital.pdf", stats)
        if stats["pages"] >= min_pages:
            break
        copies = max(copies + 1, int(copies * min_pages / stats["pages"]) + 1)
    scan = rasterize_pdf(pdf, folder / f"{name}.pdf", dpi=200, angle=1.0)
    return scan, stats["pages"]


def render_pages(scan: Path, pages: int, dpi: int, folder: Path) -> list[Path]:
    """The first ``pages`` pages of ``scan`` as grey PNGs at ``dpi`` (pdftoppm renders PGM;
    Pillow writes the PNG with light compression, as scanners do: pdftoppm's own PNG writer is
    RGB and slow)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", str(pages), str(scan),
                    str(folder / "page")], check=True)
    pgms = sorted(folder.glob("page-*.pgm"))
    if len(pgms) != pages:
        raise SystemExit(f"pdftoppm rendered {len(pgms)} pages, expected {pages}")
    out = []
    for pgm in pgms:
        png = pgm.with_suffix(".png")
        with Image.open(pgm) as im:
            im.convert("L").save(png, dpi=(dpi, dpi), compress_level=1)
        pgm.unlink()
        out.append(png)
    return out


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _timed(fn) -> tuple[float, float]:
    """Wall and CPU seconds (this process and its children) of ``fn()``."""
    c0, p0, t0 = _children_cpu(), time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.process_time() - p0 + _children_cpu() - c0


def bare_tesseract(png: Path) -> tuple[float, float]:
    """The bare command on one page: ``OMP_THREAD_LIMIT=1 tesseract page.png - -l vie``."""
    return _timed(lambda: subprocess.run(["tesseract", str(png), "-", "-l", CFG.ocr_lang], check=True,
                                         capture_output=True, env=BARE_ENV))


def bare_api(png: Path) -> tuple[float, float]:
    """The in-process engine alone on one page: decode the PNG, recognize, TSV (no deskew, no
    grid, no re-read, no layout)."""
    from PIL import Image

    def read() -> None:
        with Image.open(png) as im:
            engine.tsv(im.convert("L"), CFG.ocr_lang, ocr.PAGE_PSM, "api")

    return _timed(read)


def pipeline_page(png: Path, cfg: Config = CFG) -> tuple[float, float]:
    """The OCR path on one page (:func:`extractors.pdf_ocr.extract_image`)."""
    data = png.read_bytes()
    out = {}

    def read() -> None:
        out["doc"] = ocr.extract_image(png, cfg, data=data, sha256="0")

    times = _timed(read)
    if not out["doc"].pages or not out["doc"].pages[0].lines:
        raise SystemExit(f"the OCR path read nothing on {png}")
    return times


class CallLog:
    """Counts and times the tesseract calls of the OCR path (by kind) while installed."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float]] = []
        self._real_data, self._real_osd = ocr.run_tesseract_data, ocr.run_tesseract_osd

    def __enter__(self) -> CallLog:
        def data(image, lang, psm, *rest):
            t0 = time.perf_counter()
            try:
                return self._real_data(image, lang, psm, *rest)
            finally:
                self.calls.append(("page pass" if psm == ocr.PAGE_PSM else "re-read cells", time.perf_counter() - t0))

        def osd(image, *rest):
            t0 = time.perf_counter()
            try:
                return self._real_osd(image, *rest)
            finally:
                self.calls.append(("orientation (OSD)", time.perf_counter() - t0))

        ocr.run_tesseract_data, ocr.run_tesseract_osd = data, osd
        return self

    def __exit__(self, *exc) -> None:
        ocr.run_tesseract_data, ocr.run_tesseract_osd = self._real_data, self._real_osd


def _worker_page(png: str, correct: bool = True) -> tuple[float, int]:
    wall, _ = pipeline_page(Path(png), CFG if correct else RAW_CFG)
    return wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _warm(_: int) -> int:
    import cv2  # noqa: F401  - imports are paid once per worker, not per page

    return os.getpid()


def bench_pages(pngs: list[Path], repeats: int) -> None:
    n = len(pngs)
    default = engine.resolve(CFG.ocr_engine)
    measures = {"bare tesseract command": bare_tesseract}
    if default == "api":
        measures["bare engine in-process (tesserocr)"] = bare_api
    main_ = f"pipeline, engine {default}"
    measures[main_] = pipeline_page
    if default != "cli":
        measures["pipeline, engine cli"] = lambda p: pipeline_page(p, CLI_CFG)
    raw = f"pipeline, engine {default}, correction off"
    measures[raw] = lambda p: pipeline_page(p, RAW_CFG)
    for fn in measures.values():
        fn(pngs[0])  # warm imports (OpenCV, Pillow), the loaded models and the page cache
    wall: dict[str, list[float]] = {k: [] for k in measures}
    cpu: dict[str, list[float]] = {k: [] for k in measures}
    log = CallLog()
    for rep in range(repeats):
        totals = {k: [0.0, 0.0] for k in measures}
        for png in pngs:  # interleaved: the machine's load hits all alike
            for name, fn in measures.items():
                with log if rep == 0 and name == main_ else contextlib.nullcontext():
                    w, c = fn(png)
                totals[name][0] += w
                totals[name][1] += c
        for name, (w, c) in totals.items():
            wall[name].append(w)
            cpu[name].append(c)
        print(f"  repeat {rep + 1}: " + "   ".join(f"{k} {n / w:5.3f}" for k, (w, _) in totals.items()) + " pages/s")
    med = statistics.median
    rate = {k: n / med(v) for k, v in wall.items()}
    cpu_page = {k: med(v) / n for k, v in cpu.items()}
    print(f"{n} pages, median of {repeats} runs, one worker (engine {engine.describe(default)}; "
          f"command {engine.describe('cli')}):")
    for name in measures:
        print(f"  {name:38s} {rate[name]:6.3f} pages/s  ({1 / rate[name]:.2f} s/page, {cpu_page[name]:.2f} CPU s/page)")
    bare = "bare tesseract command"
    print(f"ratio pipeline / bare tesseract command: {rate[main_] / rate[bare]:6.3f} by wall time, "
          f"{cpu_page[bare] / cpu_page[main_]:.3f} by CPU time  (target >= 0.9)")
    if default == "api":
        same = "bare engine in-process (tesserocr)"
        print(f"ratio pipeline / the same engine alone:  {rate[main_] / rate[same]:6.3f} by wall time, "
              f"{cpu_page[same] / cpu_page[main_]:.3f} by CPU time  (what deskew, grid, re-read and layout cost)")
        cli = "pipeline, engine cli"
        print(f"ratio pipeline (engine cli) / bare tesseract command: {rate[cli] / rate[bare]:6.3f} by wall time, "
              f"{cpu_page[bare] / cpu_page[cli]:.3f} by CPU time")
    print(f"correction of Vietnamese-model OCR (ocr_correct): {rate[raw] / rate[main_] - 1:+.1%} of the page's time "
          f"by wall time, {cpu_page[main_] / cpu_page[raw] - 1:+.1%} by CPU time  (target < 15 %)")
    kinds: dict[str, list[float]] = {}
    for kind, t in log.calls:
        kinds.setdefault(kind, []).append(t)
    total = wall[main_][0]
    print(f"where the pipeline's time goes (engine {default}, repeat 1, {n} pages, {total:.1f} s):")
    for kind, times in sorted(kinds.items()):
        print(f"  {kind:22s} {len(times):3d} calls  {sum(times):6.2f} s  ({sum(times) / total:5.1%})")
    other = total - sum(t for _, t in log.calls)
    print(f"  {'rest (decode, OpenCV, layout)':32s} {other:6.2f} s  ({other / total:5.1%})")
    bench_workers(pngs, repeats, rate[main_])


def bench_workers(pngs: list[Path], repeats: int, one_rate: float) -> None:
    n = len(pngs)
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_warm, range(4)))
        for correct in (True, False):  # warm both workers
            list(pool.map(_worker_page, [str(pngs[0])] * 2, [correct] * 2))
        totals: dict[bool, list[float]] = {True: [], False: []}
        rss = 0
        for _ in range(repeats):
            for correct in (True, False):
                t0 = time.perf_counter()
                results = list(pool.map(_worker_page, [str(p) for p in pngs], [correct] * n))
                totals[correct].append(time.perf_counter() - t0)
                rss = max(rss, max(r for _, r in results))
    rate = {k: n / statistics.median(v) for k, v in totals.items()}
    print(f"pipeline OCR, 2 workers ({cores} cores, pages in parallel): {rate[True]:6.3f} pages/s, "
          f"speed-up {rate[True] / one_rate:.2f}x over 1 worker; peak RSS per worker {rss / 1024:.0f} MB")
    print(f"  correction off: {rate[False]:6.3f} pages/s; the correction costs {rate[False] / rate[True] - 1:+.1%} "
          f"of the time (target < 15 %)")


_MEMORY_CHILD = r"""
import json, resource, sys
sys.path[:0] = [sys.argv[1]]
from pipeline.config import Config
from pipeline.run import process_document
res = process_document(sys.argv[2], Config(workers=1))
docs = res.tables.get("documents", ({},))
print(json.dumps({
    "status": res.status, "seconds": res.seconds, "pages": docs[0].get("n_pages"),
    "rows": len([r for r in res.tables.get("tasks", ()) if r["source"] == "appendix"]),
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "child_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


def bench_memory(folder: Path, pages: int) -> None:
    scan, count = make_scan(folder, pages, "long")
    proc = subprocess.run([sys.executable, "-c", _MEMORY_CHILD, str(ROOT), str(scan)], check=True,
                          capture_output=True, text=True)
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"peak memory, one worker, {count}-page scanned PDF through process_document "
          f"({info['status']}, {info['seconds']:.0f} s, {info['rows']} appendix rows):")
    print(f"  worker process {info['self_kb'] / 1024:6.0f} MB   largest child (tesseract / pdftoppm) "
          f"{info['child_kb'] / 1024:6.0f} MB   (limit 1024 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=8, help="pages timed (default 8)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--long", type=int, default=30, help="pages of the scan whose peak memory is measured; 0: skip")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows while `make bench` runs
    for exe in ("tesseract", "pdftoppm"):
        if shutil.which(exe) is None:
            raise SystemExit(f"{exe} is not installed; run: {ocr.INSTALL_HINT}")
    ocr.check_tesseract(CFG.ocr_lang)
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-ocr-") as tmp:
        folder = Path(tmp)
        scan, _ = make_scan(folder, args.pages, "scan")
        pngs = render_pages(scan, args.pages, args.dpi, folder)
        print(f"OCR: {len(pngs)} scanned pages at {args.dpi} dpi, language {CFG.ocr_lang}")
        bench_pages(pngs, args.repeats)
        if args.long:
            bench_memory(folder, args.long)


if __name__ == "__main__":
    main()
