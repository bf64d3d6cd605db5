#!/usr/bin/env python
"""Accuracy of the correction of Vietnamese-model OCR (:mod:`normalizers.ocr_correct`).

    python scripts/eval_ocr_correct.py --pairs build/vie_heldout --corpus-dir ../shared/corpus

1. Realistic scans: the held-out pages of ``scripts/make_vie_pairs.py render --split heldout``
   (documents with md5 % 50 == 0, never seen by the channel or the LM).  Per paired line,
   syllables (letter runs) of the source are aligned with the raw OCR and with the corrected
   OCR (``normalizers.repair.ocr_alignment_accuracy``); a source line that OCR lost counts
   too (none of its syllables right, before and after).  Accuracy overall and by
   degradation (dpi, font style, stamps or signature, bilevel scan, coarse optics, JPEG),
   and the correction's time against the page's OCR time.
2. Clean text: ``--clean-lines`` lines of held-out corpus paragraphs (shared evenly among the
   corpus files), wrapped like the pages (about 80 characters), read as if OCR had got every
   word right: each word gets a confidence drawn (fixed seed) from the confidences of the
   words the held-out pages got right.  The share of lines, and of words, that come back
   unchanged, per corpus file; some files are themselves OCR'd documents whose typos
   ("đê nghị", "lĩnh vục") the correction fixes -- which counts as a change here.  Then again
   with readings (the letters tesseract weighed per symbol, a prior of the correction): each
   word takes the close readings of other letters of a word the held-out pages read right,
   put as other marks on its own letters -- what tempts the correction to change right text.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import textwrap
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_vie_pairs import load_pages, word_pairs  # noqa: E402

from normalizers import ocr_correct  # noqa: E402
from normalizers.diacritics import TOKEN_RE  # noqa: E402
from normalizers.repair import ocr_alignment_accuracy  # noqa: E402


def _groups(job: dict) -> list[str]:
    out = [f"{job['dpi']} dpi", job["style"]]
    out.append("stamp or signature" if job["stamps"] or job["signature"] else "no stamp, no signature")
    out.append("bilevel" if job.get("binarize") else f"{job.get('scanner', 'colour')} scan, not bilevel")
    out.append("coarse optics (scale <= 0.6)" if job.get("scale", 1.0) <= 0.6 else "optics scale > 0.6")
    out.append("JPEG" if job["jpeg"] else "no JPEG")
    return out


def eval_pages(pages: list[dict]) -> list[float]:
    """Print raw and corrected syllable accuracy; return the confidences of right words."""
    totals = defaultdict(lambda: [0, 0, 0])  # group -> [syllables, raw right, corrected right]
    right_confs: list[float] = []
    right_ratios: list[list[float]] = []
    ratios = []
    ocr_correct.load_channel()  # loaded once per worker in the pipeline: not a page's cost
    for page in pages:
        src = [page["src"][i] for i, _j in page["pairs"]]
        ocr = [page["ocr"][j] for _i, j in page["pairs"]]
        t0 = time.perf_counter()
        hyp = ocr_correct.correct_lines(page["ocr"])
        ratios.append((time.perf_counter() - t0) / page["seconds"]["ocr"])
        hyp = [hyp[j] for _i, j in page["pairs"]]
        n0, ok0, _n1, ok1 = ocr_alignment_accuracy(src, [" ".join(w[0] for w in o) for o in ocr],
                                                   [" ".join(h) for h in hyp])
        paired = {i for i, _j in page["pairs"]}
        lost = sum(1 for i, s in enumerate(page["src"]) if i not in paired
                   for m in TOKEN_RE.finditer(s) if not m.group()[0].isdigit())
        for g in ["all"] + _groups(page["job"]):
            t = totals[g]
            t[0] += n0 + lost
            t[1] += ok0
            t[2] += ok1
        for s, o in zip(src, ocr):
            right = {k for k, (sw, ow, _c) in enumerate(word_pairs(s, o)) if sw == ow}
            right_confs.extend(o[k][1] for k in sorted(right) if o[k][1] is not None)
            # how close other letters came in the words read right (see eval_clean)
            right_ratios.extend(_close_ratios(o[k]) for k in sorted(right) if len(o[k]) > 2 and o[k][2])
    print(f"realistic scans: {len(pages)} held-out pages, {totals['all'][0]:,} source syllables")
    print(f"  {'pages':34s} {'syllables':>9s} {'raw OCR':>8s} {'corrected':>9s}")
    for g, (n, r0, r1) in sorted(totals.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        print(f"  {g:34s} {n:9,d} {r0 / n:8.2%} {r1 / n:9.2%}")
    print(f"correction time / OCR time per page: median {statistics.median(ratios):.1%}, max {max(ratios):.1%}")
    return right_confs, right_ratios


#: a reading of another letter counts as close from this share of the letter read's confidence
CLOSE = 0.1


def _close_ratios(word) -> list[float]:
    """The confidences of the readings of other letters tesseract weighed for a word, over its
    letters' own (those of :data:`CLOSE` and more)."""
    out = []
    for letter, readings in zip(word[0], word[2]):
        own = max((c for t, c in readings if t == letter), default=0.0)
        out.extend(c / own for t, c in readings if t != letter and own > 0 and c >= CLOSE * own)
    return out


def _with_readings(words: list[tuple[str, float | None]], ratios: list[list[float]], rng: random.Random):
    """Clean words given readings as OCR weighs them for words it reads right: each word takes
    the close readings of a word read right on the held-out pages (drawn at random), each put on
    a random letter of its own as another mark of that letter (the kind of reading that could
    turn a right word into another syllable)."""
    from normalizers.ocr_correct import join_letter, split_letter

    out = []
    for text, conf in words:
        c0 = conf if conf is not None else 0.9
        readings = [[(ch, c0)] for ch in text]
        for ratio in (rng.choice(ratios) if ratios else ()):
            k = rng.randrange(len(text))
            shape, tone = split_letter(text[k].lower())
            others = [v for t in range(6) if t != tone and (v := join_letter(shape, t))]
            if others:
                readings[k].append((rng.choice(others), round(c0 * min(ratio, 1.0), 3)))
        out.append((text, conf, tuple(tuple(r) for r in readings)))
    return out


def clean_lines(corpus_dir: Path, n: int) -> dict[str, list[str]]:
    """Up to ``n`` wrapped lines of held-out paragraphs, shared evenly among the corpus files."""
    from train_repair_model import iter_split

    by_source: dict[str, list[str]] = defaultdict(list)
    for name, doc in iter_split(corpus_dir, heldout=True):
        for para in doc.split("\n"):
            by_source[name].extend(textwrap.wrap(para.strip(), 80))
    share = max(1, n // max(1, len(by_source)))
    return {name: lines[:share] for name, lines in sorted(by_source.items())}


def eval_clean(by_source: dict[str, list[str]], confs: list[float], seed: int,
               ratios: list[list[float]] | None = None) -> None:
    rng = random.Random(seed)
    total = [0, 0, 0, 0]  # lines, lines changed, words, words changed
    examples = []
    print("clean accented text (held-out corpus lines, read as if OCR had got every word right"
          + (", with the readings of other letters OCR weighs for such words):" if ratios is not None else "):"))
    for name, lines in by_source.items():
        words = [[(w, rng.choice(confs) if confs else None) for w in line.split()] for line in lines]
        if ratios is not None:
            words = [_with_readings(ws, ratios, rng) for ws in words]
        hyp = ocr_correct.correct_lines(words)
        changed = [(line, " ".join(h)) for line, h in zip(lines, hyp) if " ".join(h) != " ".join(line.split())]
        n_words = sum(len(w) for w in words)
        w_changed = sum(w[0] != b for ws, h in zip(words, hyp) for w, b in zip(ws, h))
        for k, v in enumerate((len(lines), len(changed), n_words, w_changed)):
            total[k] += v
        examples.extend(changed[:3])
        print(f"  {name:34s} {len(lines):6,d} lines  {1 - len(changed) / max(len(lines), 1):8.3%} unchanged  "
              f"words {1 - w_changed / max(n_words, 1):8.4%} unchanged")
    print(f"  {'all':34s} {total[0]:6,d} lines  {1 - total[1] / max(total[0], 1):8.3%} unchanged  "
          f"words {1 - total[3] / max(total[2], 1):8.4%} unchanged")
    print("  changed lines (the corpus holds OCR'd documents with their own typos):")
    for a, b in examples[:12]:
        print(f"      {a}\n    > {b}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=Path, required=True, help="output folder of make_vie_pairs.py render (held-out)")
    ap.add_argument("--corpus-dir", type=Path, default=None, help="for the clean-text figure")
    ap.add_argument("--clean-lines", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args(argv)
    pages = load_pages(args.pairs)
    if any(not p["id"].startswith("heldout") for p in pages):
        sys.exit(f"{args.pairs}: not held-out pages")
    confs, ratios = eval_pages(pages)
    if args.corpus_dir is not None:
        lines = clean_lines(args.corpus_dir, args.clean_lines)
        eval_clean(lines, confs, args.seed)
        if ratios:  # pages read by the in-process engine
            eval_clean(lines, confs, args.seed, ratios)


if __name__ == "__main__":
    main()
