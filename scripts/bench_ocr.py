"""OCR benchmark (`make bench`): the pipeline's OCR path against bare tesseract, same run,
same page images.

1. A generated plan (the test fixture's appendix, rows repeated) is laid out as a PDF and
   "scanned" (rasterized at 200 dpi, rotated 1°, noisy: ``tests/fixture_docs.py``); its first
   ``--pages`` pages are rendered to grey PNGs at 300 dpi (pdftoppm).
2. Per page, interleaved so that the machine's load hits both alike:
   * bare: ``OMP_THREAD_LIMIT=1 tesseract page.png - -l vie``;
   * pipeline: :func:`extractors.pdf_ocr.extract_image` on the same PNG, one worker
     (deskew, ruled grid, ruling erasure, the page pass, the re-read of empty cells, OSD only
     for doubtful pages, lines and cells).
   Pages per second of each (median over ``--repeats``) and their ratio, by wall time and by
   CPU time (the process and its tesseract children: steadier on a shared machine); what the
   extra tesseract calls of the pipeline (re-read sheets, OSD) cost.
3. Two workers on the same pages (a process pool, pages in parallel): pages/s and speed-up.
4. Peak memory of one worker (``ru_maxrss`` of the process, and of its largest child:
   tesseract or pdftoppm) for a ``--long``-page scanned PDF through
   :func:`pipeline.run.process_document`, in a fresh process (pages are rendered one at a time).

Numbers depend on the machine and its load; compare the ratios measured in one run.
"""

from __future__ import annotations

import argparse
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
from pipeline.config import Config  # noqa: E402

CFG = Config(workers=1)
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


def bare_tesseract(png: Path) -> tuple[float, float]:
    """Wall and CPU seconds of the bare command on one page."""
    c0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(["tesseract", str(png), "-", "-l", CFG.ocr_lang], check=True, capture_output=True, env=BARE_ENV)
    return time.perf_counter() - t0, _children_cpu() - c0


def pipeline_page(png: Path) -> tuple[float, float]:
    """Wall and CPU seconds (this process and its tesseract children) of the OCR path on one page."""
    data = png.read_bytes()
    c0, p0, t0 = _children_cpu(), time.process_time(), time.perf_counter()
    doc = ocr.extract_image(png, CFG, data=data, sha256="0")
    wall = time.perf_counter() - t0
    cpu = time.process_time() - p0 + _children_cpu() - c0
    if not doc.pages or not doc.pages[0].lines:
        raise SystemExit(f"the OCR path read nothing on {png}")
    return wall, cpu


class CallLog:
    """Counts and times the tesseract calls of the OCR path (by kind) while installed."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float]] = []
        self._real_data, self._real_osd = ocr.run_tesseract_data, ocr.run_tesseract_osd

    def __enter__(self) -> CallLog:
        def data(image, lang, psm):
            t0 = time.perf_counter()
            try:
                return self._real_data(image, lang, psm)
            finally:
                self.calls.append(("page pass" if psm == ocr.PAGE_PSM else "re-read sheet", time.perf_counter() - t0))

        def osd(image):
            t0 = time.perf_counter()
            try:
                return self._real_osd(image)
            finally:
                self.calls.append(("orientation (OSD)", time.perf_counter() - t0))

        ocr.run_tesseract_data, ocr.run_tesseract_osd = data, osd
        return self

    def __exit__(self, *exc) -> None:
        ocr.run_tesseract_data, ocr.run_tesseract_osd = self._real_data, self._real_osd


def _worker_page(png: str) -> tuple[float, int]:
    wall, _ = pipeline_page(Path(png))
    return wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _warm(_: int) -> int:
    import cv2  # noqa: F401  - imports are paid once per worker, not per page

    return os.getpid()


def bench_pages(pngs: list[Path], repeats: int) -> None:
    n = len(pngs)
    pipeline_page(pngs[0])  # warm imports (OpenCV, Pillow) and the page cache
    bare_wall, bare_cpu, pipe_wall, pipe_cpu = [], [], [], []
    log = CallLog()
    for rep in range(repeats):
        totals = [0.0, 0.0, 0.0, 0.0]
        with log if rep == 0 else _Null():
            for png in pngs:  # interleaved: the machine's load hits both alike
                bw, bc = bare_tesseract(png)
                pw, pc = pipeline_page(png)
                for k, v in enumerate((bw, bc, pw, pc)):
                    totals[k] += v
        for lst, v in zip((bare_wall, bare_cpu, pipe_wall, pipe_cpu), totals):
            lst.append(v)
        print(f"  repeat {rep + 1}: bare {n / totals[0]:5.3f} pages/s ({totals[1] / n:.2f} CPU s/page)   "
              f"pipeline {n / totals[2]:5.3f} pages/s ({totals[3] / n:.2f} CPU s/page)")
    med = statistics.median
    bare_rate, pipe_rate = n / med(bare_wall), n / med(pipe_wall)
    print(f"bare tesseract (1 thread):  {bare_rate:6.3f} pages/s  (median of {repeats}; "
          f"{med(bare_wall) / n:.2f} s/page, {med(bare_cpu) / n:.2f} CPU s/page)")
    print(f"pipeline OCR, 1 worker:     {pipe_rate:6.3f} pages/s  ({med(pipe_wall) / n:.2f} s/page, "
          f"{med(pipe_cpu) / n:.2f} CPU s/page)")
    print(f"ratio pipeline / bare:      {pipe_rate / bare_rate:6.3f} by wall time, "
          f"{med(bare_cpu) / med(pipe_cpu):.3f} by CPU time  (target >= 0.9)")
    kinds: dict[str, list[float]] = {}
    for kind, t in log.calls:
        kinds.setdefault(kind, []).append(t)
    total = pipe_wall[0]
    print(f"where the pipeline's time goes (repeat 1, {n} pages, {total:.1f} s):")
    for kind, times in sorted(kinds.items()):
        print(f"  {kind:22s} {len(times):3d} calls  {sum(times):6.2f} s  ({sum(times) / total:5.1%})")
    other = total - sum(t for _, t in log.calls)
    print(f"  {'rest (decode, OpenCV, layout)':32s} {other:6.2f} s  ({other / total:5.1%})")
    bench_workers(pngs, repeats, pipe_rate)


class _Null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


def bench_workers(pngs: list[Path], repeats: int, one_rate: float) -> None:
    n = len(pngs)
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_warm, range(4)))
        list(pool.map(_worker_page, [str(pngs[0])] * 2))  # warm both workers
        totals = []
        rss = 0
        for _ in range(repeats):
            t0 = time.perf_counter()
            results = list(pool.map(_worker_page, [str(p) for p in pngs]))
            totals.append(time.perf_counter() - t0)
            rss = max(rss, max(r for _, r in results))
    rate = n / statistics.median(totals)
    print(f"pipeline OCR, 2 workers ({cores} cores, pages in parallel): {rate:6.3f} pages/s, "
          f"speed-up {rate / one_rate:.2f}x over 1 worker; peak RSS per worker {rss / 1024:.0f} MB")


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
