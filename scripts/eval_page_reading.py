"""How well a page's mean OCR confidence tells how much of it OCR read right
(:func:`normalizers.quality.reading_estimate`, ``documents.page_accuracy``).

Pages: folders of ``scripts/make_vie_pairs.py render`` (corpus text drawn, degraded and read
by the pipeline's OCR).  Per page: the mean confidence of its words (the page's
``page_quality``) and the share of its source syllables right after the correction (a line OCR
lost counts, none of its syllables right).

    # fit the line on training pages (prints READ_BASE, READ_SLOPE)
    python scripts/eval_page_reading.py --fit build/vie_train build/vie_train_150
    # the committed line on held-out pages: error, and the pages it reports
    python scripts/eval_page_reading.py build/vie_heldout build/vie_heldout_150

Reported: mean absolute error of the estimate, and at ``POOR_READING`` the pages reported
poor, those truly read under it, how many of those were reported, and the real accuracy of the
pages reported wrongly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_vie_pairs import load_pages  # noqa: E402


def page_figures(page: dict) -> tuple[float, int, float]:
    """(mean word confidence, words of letters, share of source syllables right corrected)."""
    from normalizers import ocr_correct
    from normalizers.diacritics import TOKEN_RE
    from normalizers.quality import letter_words
    from normalizers.repair import ocr_alignment_accuracy

    words = [w for line in page["ocr"] for w in line]
    confs = [w[1] for w in words if w[1] is not None]
    hyp = ocr_correct.correct_lines(page["ocr"])
    src = [page["src"][i] for i, _j in page["pairs"]]
    n0, _ok0, _n1, ok1 = ocr_alignment_accuracy(src, [" ".join(w[0] for w in page["ocr"][j]) for _i, j in page["pairs"]],
                                                [" ".join(hyp[j]) for _i, j in page["pairs"]])
    paired = {i for i, _j in page["pairs"]}
    lost = sum(1 for i, s in enumerate(page["src"]) if i not in paired
               for m in TOKEN_RE.finditer(s) if not m.group()[0].isdigit())
    n_words = sum(letter_words(w[0]) for w in words)
    return (sum(confs) / len(confs) if confs else 0.0), n_words, ok1 / max(1, n0 + lost)


def main(argv=None) -> None:
    import numpy as np

    from normalizers.quality import POOR_READING, READ_BASE, READ_SLOPE, reading_estimate

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pairs", type=Path, nargs="+", help="folders of make_vie_pairs.py render")
    ap.add_argument("--fit", action="store_true", help="fit the line on these pages instead")
    args = ap.parse_args(argv)
    rows = [(folder.name, *page_figures(page)) for folder in args.pairs for page in load_pages(folder)]
    conf = np.array([r[1] for r in rows])
    acc = np.array([r[3] for r in rows])
    if args.fit:
        slope, base = np.polyfit(conf, acc, 1)
        print(f"{len(rows)} pages: READ_BASE = {base:.3f}, READ_SLOPE = {slope:.3f} "
              f"(mean absolute error on them {np.mean(np.abs(np.clip(base + slope * conf, 0, 1) - acc)):.3f})")
        return
    print(f"estimate READ_BASE + READ_SLOPE * mean confidence = {READ_BASE} + {READ_SLOPE} * c")
    for name in dict.fromkeys(r[0] for r in rows):
        got = [(reading_estimate(c, n), a) for f, c, n, a in rows if f == name]
        judged = [(e, a) for e, a in got if e is not None]
        err = np.mean([abs(e - a) for e, a in judged]) if judged else float("nan")
        print(f"  {name:28s} {len(got):3d} pages ({len(judged)} judged): mean accuracy "
              f"{np.mean([a for _e, a in got]):.3f}, mean absolute error of the estimate {err:.3f}")
    judged = [(reading_estimate(c, n), a) for _f, c, n, a in rows if reading_estimate(c, n) is not None]
    told = [(e, a) for e, a in judged if e < POOR_READING]
    poor = [a for _e, a in judged if a < POOR_READING]
    caught = sum(1 for _e, a in told if a < POOR_READING)
    wrong = sorted(round(a, 3) for _e, a in told if a >= POOR_READING)
    print(f"pages reported poor (estimate < {POOR_READING}): {len(told)}; read under {POOR_READING}: {len(poor)}, "
          f"of them reported {caught}; reported but read at or over it: {wrong}")


if __name__ == "__main__":
    main()
