"""Benchmark (`make bench`): what the page verdict costs next to text-layer extraction.

On a generated digital plan (the test fixture's PDF: body, a ruled table over several pages),
each page is read as the pipeline reads a good text layer -- words (pdfplumber), ruled tables
and the page assembly -- and, separately, the verdict is taken on the same words
(:func:`extractors.pdf_text.read_layer` minus the words: the measures, the line grouping and
the repair detector over the page's lines).  Medians over repeats; the ratio is the bound
(< 5 %).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--copies", type=int, default=4, help="the sample appendix this many times over")
    args = parser.parse_args()

    import dataclasses

    import pdfplumber

    from extractors.layout import assemble_page
    from extractors.pdf_text import _judge, page_tables, page_words
    from fixture_docs import build_pdf, plan_from_sample
    from normalizers.repair import load_model

    load_model()  # loaded once per worker in the pipeline
    plan = plan_from_sample()
    plan = dataclasses.replace(plan, rows=plan.rows * args.copies)
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = build_pdf(plan, Path(tmp) / "plan.pdf")
        extract_t, verdict_t = [], []
        for _ in range(args.repeats):
            ext = ver = 0.0
            with pdfplumber.open(pdf_path) as pdf:
                for i, page in enumerate(pdf.pages, start=1):
                    t0 = time.perf_counter()
                    chars = page.chars
                    words = page_words(page)
                    assemble_page(i, "text_layer", words, page_tables(page), 1, width=float(page.width),
                                  height=float(page.height))
                    t1 = time.perf_counter()
                    _judge(page, chars, words)
                    t2 = time.perf_counter()
                    ext += t1 - t0
                    ver += t2 - t1
                    page.flush_cache()
                n_pages = len(pdf.pages)
            extract_t.append(ext)
            verdict_t.append(ver)
    e, v = statistics.median(extract_t), statistics.median(verdict_t)
    print(f"page verdict vs text-layer extraction ({n_pages} pages, median of {args.repeats}):")
    print(f"  extraction {e / n_pages * 1000:7.1f} ms/page   verdict {v / n_pages * 1000:6.2f} ms/page   "
          f"ratio {v / e:.3f} (bound < 0.05)")


if __name__ == "__main__":
    main()
