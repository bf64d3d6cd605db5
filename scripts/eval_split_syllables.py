#!/usr/bin/env python
"""Evaluate the joining of split syllables (normalizers/split_syllables.py) on corpus documents.

Usage::

    python scripts/eval_split_syllables.py [--corpus-dir ../shared/corpus] [--split heldout|dev]
        [--max-tokens 40000] [--pdf-docs 12] [--rate 0.036] [--seed 3]

Sample: documents of one split (``heldout``: md5 % 50 == 0, never trained on; ``dev``:
% 50 == 1, where settings are chosen), whole documents in corpus order up to
``--max-tokens`` word tokens.  Every join runs document by document, as in the pipeline.
Reported (word tokens = letter runs, exact match incl. case; tokens aligned with difflib
where the number of tokens differs):

* ``clean``: correct text through the join; the share of lines left unchanged (accented
  text, and the same text with its diacritics stripped).
* ``simulated``: syllables split at ``--rate`` where pdftotext splits them (mostly before
  the vowel carrying the tone mark: "t ỉnh", "ho ạch", "đi ện"; after the initial
  consonant; between vowels; twice: "c h ương"); syllables right before and after the join,
  accented and ASCII (diacritics stripped after splitting).
* ``pdf``: ``--pdf-docs`` documents rendered to PDF with reportlab (DejaVu Sans, every
  character placed on its own; a gap of a tenth of an em before the split points chosen as
  above, which makes pdftotext put a space there as it does in Word-made PDFs), dumped
  with ``pdftotext`` and ``pdftotext -layout``; syllables right before and after the join
  against the source, accented and ASCII (the same pages with folded text); for the ASCII
  dumps also the whole repair (``repair_lines``: join, then restore diacritics) with and
  without the join, against the accented source.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from normalizers import diacritics as D  # noqa: E402
from normalizers.encodings import is_valid_syllable  # noqa: E402

_WORD_RE = re.compile(r"[^\W\d_]+")
_TONES = "\u0300\u0301\u0303\u0309\u0323"
PDF_PARAGRAPHS = 120
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# --------------------------------------------------------------------------------------
# Where pdftotext splits a syllable
# --------------------------------------------------------------------------------------


def split_points(word: str, rng: random.Random) -> list[int] | None:
    """Character offsets where a split of ``word`` puts a space, drawn the way
    pdftotext splits: mostly before the vowel carrying the tone mark ("t|ỉnh", "ho|ạch",
    "đi|ện"), else after the initial consonants ("c|ách"), between two vowels ("cả|i"),
    or twice ("c|h|ương", "Ngu|y|ễn").  None when the word has no such point."""
    low = word.lower()
    toned = next((i for i, c in enumerate(low) if any(t in unicodedata.normalize("NFD", c) for t in _TONES)), None)
    first_v = next((i for i, c in enumerate(low) if D.fold(c) in "aeiouy" and not (i and low[i - 1] == "q")), None)
    opts: list[list[int]] = []
    if toned is not None and toned > 0:
        opts += [[toned]] * 7
    if first_v is not None and first_v > 0:
        opts += [[first_v]] * 2
    pairs = [i for i in range(1, len(low)) if D.fold(low[i]) in "aeiouy" and D.fold(low[i - 1]) in "aeiouy"]
    if pairs:
        opts.append([pairs[-1]])
    if first_v is not None and first_v >= 2:
        opts.append([1, first_v])
    if toned is not None and first_v is not None and 0 < first_v < toned:
        opts.append([first_v, toned])
    return rng.choice(opts) if opts else None


def split_at(word: str, points: list[int]) -> str:
    parts, prev = [], 0
    for p in points:
        parts.append(word[prev:p])
        prev = p
    parts.append(word[prev:])
    return " ".join(parts)


def simulate_splits(line: str, rng: random.Random, rate: float) -> str:
    """``line`` with each well-formed syllable of two or more letters split at ``rate``."""
    def one(m: re.Match) -> str:
        w = m.group()
        if len(w) < 2 or not is_valid_syllable(w.lower()) or rng.random() >= rate:
            return w
        pts = split_points(w, rng)
        return split_at(w, pts) if pts else w

    return _WORD_RE.sub(one, line)


# --------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return [m.group() for m in D.TOKEN_RE.finditer(text) if not m.group()[0].isdigit()]


def _aligned(ref: list[str], hyp: list[str]) -> int:
    if ref == hyp:
        return len(ref)
    sm = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks())


def right_share(ref_lines: list[str], hyp_lines: list[str]) -> tuple[int, int]:
    """(source syllables, how many the hypothesis has right), line by line (the same
    number of lines)."""
    n = ok = 0
    for r, h in zip(ref_lines, hyp_lines):
        rt = words(r)
        n += len(rt)
        ok += _aligned(rt, words(h))
    return n, ok


def right_share_text(ref_lines: list[str], hyp_lines: list[str]) -> tuple[int, int]:
    """The same for texts whose line breaks differ (a PDF dump against its source): the
    token sequences aligned with difflib in pieces of about 300 tokens, each hypothesis
    piece found after the previous one."""
    ref = [w for x in ref_lines for w in words(x)]
    hyp = [w for x in hyp_lines for w in words(x)]
    ok, pos = 0, 0
    for a in range(0, len(ref), 300):
        piece = ref[a : a + 300]
        window = hyp[pos : pos + len(piece) + 60]
        sm = difflib.SequenceMatcher(None, piece, window, autojunk=False)
        blocks = [b for b in sm.get_matching_blocks() if b.size]
        ok += sum(b.size for b in blocks)
        if blocks:
            last = blocks[-1]
            pos += last.b + last.size + (len(piece) - last.a - last.size)
        else:
            pos += len(piece)
    return len(ref), ok


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / max(b, 1):.3f}%"


# --------------------------------------------------------------------------------------
# PDF rendering
# --------------------------------------------------------------------------------------


def render_pdf(paragraphs: list[str], path: Path, rng: random.Random, rate: float, fold: bool) -> None:
    """Paragraphs on A4 pages, every character drawn on its own; syllables chosen at
    ``rate`` get a gap of 1.5 pt (12 pt type) at their split points.  ``fold``: draw the
    text without diacritics (the split points stay those of the accented word)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "EvalDV" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("EvalDV", FONT))
    size, gap, left, right, top, bottom, lead = 11.0, 1.5, 56.0, 540.0, 800.0, 56.0, 15.0
    width = pdfmetrics.stringWidth
    c = canvas.Canvas(str(path))
    c.setFont("EvalDV", size)
    y = top
    for para in paragraphs:
        # words with their gap offsets
        items: list[tuple[str, set[int]]] = []
        for tok in para.split():
            gaps: set[int] = set()
            for m in _WORD_RE.finditer(tok):
                w = m.group()
                if len(w) >= 2 and is_valid_syllable(w.lower()) and rng.random() < rate:
                    gaps |= {m.start() + p for p in (split_points(w, rng) or [])}
            items.append((D.fold(tok) if fold else tok, gaps))
        x = left
        for tok, gaps in items:
            w = width(tok, "EvalDV", size) + gap * len(gaps)
            if x > left and x + w > right:
                x, y = left, y - lead
            if y < bottom:
                c.showPage()
                c.setFont("EvalDV", size)
                x, y = left, top
            for k, ch in enumerate(tok):
                if k in gaps:
                    x += gap
                c.drawString(x, y, ch)
                x += width(ch, "EvalDV", size)
            x += width(" ", "EvalDV", size)
        y -= lead
    c.save()


def pdftotext(path: Path, layout: bool) -> list[str]:
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8")
    return [unicodedata.normalize("NFC", x) for x in out.replace("\f", "\n").split("\n")]


# --------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-dir", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--split", choices=["heldout", "dev"], default="heldout")
    ap.add_argument("--max-tokens", type=int, default=100_000, help="word tokens per corpus file")
    ap.add_argument("--pdf-docs", type=int, default=4, help="documents per corpus file rendered to PDF")
    ap.add_argument("--rate", type=float, default=0.036, help="share of syllables split (measured on Word-made PDFs)")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--show", type=int, default=0, help="print this many changed clean lines and misses")
    args = ap.parse_args(argv)

    from eval_repair import sample_by_source, split_docs
    from normalizers import repair as R
    from normalizers.split_syllables import join_split_syllables

    def per_doc(lines: list[str]) -> list[str]:
        out: list[str] = []
        for doc in split_docs(lines):
            out.extend(join_split_syllables(doc))
        return out

    D.load_model()
    join_split_syllables(["x"])
    by_src = sample_by_source(args.corpus_dir, args.max_tokens, args.split)
    src = [x for name in sorted(by_src) for x in by_src[name]]
    docs = split_docs(src)
    print(f"{args.split} sample: {len(by_src)} corpus files, {len(docs)} documents, {len(src):,} lines, "
          f"{sum(len(words(x)) for x in src):,} word tokens")

    # clean text
    for tag, lines in (("accented", src), ("ascii", [D.fold(x) for x in src])):
        t = time.perf_counter()
        out = per_doc(lines)
        dt = time.perf_counter() - t
        lettered = [i for i, x in enumerate(lines) if _WORD_RE.search(x)]
        same = sum(1 for i in lettered if out[i] == lines[i])
        print(f"[clean:{tag}] lines unchanged {pct(same, len(lettered))} ({len(lettered) - same} of "
              f"{len(lettered):,} lines with letters changed; {dt:.1f}s)")
        for i in [i for i in lettered if out[i] != lines[i]][: args.show]:
            print(f"    {lines[i][:150]}\n  > {out[i][:150]}")

    # simulated splits
    rng = random.Random(args.seed)
    split = [simulate_splits(x, rng, args.rate) for x in src]
    for tag, ref, inp in (("accented", src, split), ("ascii", [D.fold(x) for x in src], [D.fold(x) for x in split])):
        out = per_doc(inp)
        n, ok0 = right_share(ref, inp)
        _n, ok1 = right_share(ref, out)
        print(f"[simulated:{tag}] rate {args.rate:.3f}: syllables right before {pct(ok0, n)}, after {pct(ok1, n)} ({n:,})")
        misses = [(r, i, o) for r, i, o in zip(ref, inp, out) if o != r]
        for r, i, o in misses[: args.show]:
            print(f"    {r[:150]}\n  < {i[:150]}\n  > {o[:150]}")

    # PDFs
    if args.pdf_docs:
        # the first documents of every source, at most PDF_PARAGRAPHS paragraphs each
        pdf_docs = [
            [x for x in d if x.strip()][:PDF_PARAGRAPHS]
            for name in sorted(by_src) for d in split_docs(by_src[name])[: args.pdf_docs]
        ]
        tot: dict[tuple[str, str], list[int]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for k, paras in enumerate(pdf_docs):
                for fold in (False, True):
                    ref = [D.fold(x) for x in paras] if fold else paras
                    pdf = Path(tmp) / f"d{k}_{int(fold)}.pdf"
                    render_pdf(paras, pdf, random.Random(args.seed * 1000 + k), args.rate, fold)
                    for layout in (False, True):
                        dump = pdftotext(pdf, layout)
                        joined = join_split_syllables(dump)
                        n, ok0 = right_share_text(ref, dump)
                        _n, ok1 = right_share_text(ref, joined)
                        key = ("ascii" if fold else "accented", "-layout" if layout else "raw")
                        acc = tot.setdefault(key, [0, 0, 0])
                        acc[0] += n
                        acc[1] += ok0
                        acc[2] += ok1
                        if fold and not layout:  # the whole repair: join, then restore diacritics
                            for join in (False, True):
                                rep = list(R.repair_lines(dump, join_splits=join).lines)
                                _n, ok = right_share_text(paras, rep)
                                acc = tot.setdefault(("ascii", f"raw, repair_lines {'with' if join else 'without'} the join, "
                                                      "against the accented source"), [0, 0, 0])
                                acc[0] += n
                                acc[2] += ok
        for (tag, mode), (n, ok0, ok1) in sorted(tot.items()):
            if "repair_lines" in mode:
                print(f"[pdf:{tag}:pdftotext {mode}] syllables right {pct(ok1, n)} ({n:,})")
                continue
            print(f"[pdf:{tag}:pdftotext {mode}] {len(pdf_docs)} documents: syllables right before "
                  f"{pct(ok0, n)}, after {pct(ok1, n)} ({n:,})")


if __name__ == "__main__":
    main()
