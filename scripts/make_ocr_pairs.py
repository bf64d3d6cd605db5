#!/usr/bin/env python
"""Generate (source, English-tesseract OCR) line pairs and learn the OCR noisy channel.

Two sub-commands::

    # 1. render corpus text as A4 pages, OCR them with `tesseract -l eng`, keep line pairs
    python scripts/make_ocr_pairs.py render --corpus-dir DIR --split train --pages 60 --out /tmp/ocr_train
    python scripts/make_ocr_pairs.py render --corpus-dir DIR --split heldout --pages 12 --out /tmp/ocr_heldout --seed 2

    # 2. align OCR output with the source and store the learned channel table
    python scripts/make_ocr_pairs.py learn --pairs /tmp/ocr_train [--out normalizers/data/ocr_channel.json.gz]

    # noise statistics (rates per 1000 tokens of typical confusions), e.g. vs. a real OCR file
    python scripts/make_ocr_pairs.py stats --pairs /tmp/ocr_train [--compare tests/resources/004_*.txt]

Rendering: paragraphs of whole documents (train or held-out split of
train_repair_model.py) are wrapped to an A4 text block (3 cm left, 2 cm right margins)
and drawn at 300 dpi with FreeSerif (most pages), Liberation Serif or DejaVu Serif,
13-14 pt, regular or bold; degradations: slight rotation, blur, down/up-sampling,
Gaussian noise, and on some pages "broken print" of capital Đ (the lower right of the
bowl erased, so that it reads as P as in real scans).  Pages are OCRed with ``tesseract -l eng --psm 4``
(OMP_THREAD_LIMIT=1, 2 worker processes).  Everything is seeded (``--seed``).

Requires Debian packages tesseract-ocr fonts-freefont-ttf fonts-liberation fonts-dejavu-core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

FONTS = {
    "freeserif": ("/usr/share/fonts/truetype/freefont/FreeSerif.ttf", "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf"),
    "liberation": ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"),
    "dejavu": ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
}
DPI = 300
PAGE_W, PAGE_H = 2480, 3508
LEFT, RIGHT, TOP, BOTTOM = 354, 236, 236, 236


# --------------------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------------------


def wrap(text: str, font, width: int) -> list[str]:
    words = text.split()
    lines, cur = [], ""
    for w in words:
        cand = w if not cur else cur + " " + w
        if font.getlength(cand) <= width:
            cur = cand
        else:
            if cur:
                lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def page_chunks(corpus_dir: Path, split: str, pages: int, seed: int):
    """Cut documents of the ``split`` into page-sized chunks of paragraphs: yields
    ``pages`` (seeded random generator, paragraphs) pairs; the generator then draws the
    page's own parameters."""
    from train_repair_model import iter_split

    rng = random.Random(seed)
    docs = [doc for _n, doc in iter_split(corpus_dir, heldout=(split == "heldout"))]
    rng.shuffle(docs)
    n = 0
    for doc in docs:
        paras = [p.strip() for p in doc.split("\n") if len(p.strip()) > 3]
        if len(paras) < 5:
            continue
        start = rng.randrange(0, max(1, len(paras) - 30))
        yield rng, paras[start : start + 40]
        n += 1
        if n >= pages:
            break


def page_jobs(corpus_dir: Path, split: str, pages: int, seed: int):
    """Cut documents into page-sized chunks of paragraphs; pick ``pages`` of them."""
    jobs = []
    for rng, paras in page_chunks(corpus_dir, split, pages, seed):
        font = rng.choices(list(FONTS), weights=[6, 2, 2])[0]
        jobs.append(
            {
                "id": f"{split}_{len(jobs):04d}",
                "paras": paras,
                "font": font,
                "bold": rng.random() < 0.15,
                "size": rng.choice([13, 14, 14]),
                "rot": rng.uniform(-0.4, 0.4),
                "blur": rng.choice([0, 0, 0, 0.3, 0.6]),
                "scale": rng.choice([1.0, 1.0, 1.0, 0.8, 0.67]),
                "noise": rng.choice([0, 3, 6, 10]),
                "broken_d": rng.random() < 0.3,
                "seed": rng.randrange(1 << 30),
            }
        )
    return jobs


def _break_d(draw, font, line: str, x: float, y: float, rng: random.Random) -> None:
    """Broken print: erase the lower right of the bowl of some capital Đ glyphs (the
    remaining stem, bar and upper bowl read as P, as in real scans)."""
    left, top, right, bottom = font.getbbox("Đ")
    w, h = right - left, bottom - top
    for k, ch in enumerate(line):
        if ch == "Đ" and rng.random() < 0.6:
            x0 = x + font.getlength(line[:k])
            fx, fy = rng.uniform(0.4, 0.5), rng.uniform(0.5, 0.6)
            draw.rectangle([x0 + left + fx * w, y + top + fy * h, x0 + right + 1, y + bottom + 1], fill=255)


def draw_paragraphs(draw, font, paras: list[str], area: tuple[int, int, int, int], *, indent: int,
                    broken_d: bool = False, seed: int = 0, fill=0) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Typeset ``paras`` into the text block ``area`` (left, top, right, bottom pixels):
    wrapped lines, first-line ``indent``, 1.45 line spacing, a little space between
    paragraphs, until the block is full.  Returns the drawn lines with their boxes."""
    left, top, right, bottom = area
    px = font.size
    step = round(px * 1.45)
    y = top
    placed: list[tuple[str, tuple[int, int, int, int]]] = []
    for para in paras:
        for k, line in enumerate(wrap(para, font, right - left)):
            if y + step > bottom:
                break
            x = left + (indent if k == 0 else 0)  # first-line indent
            if x + font.getlength(line) > right:
                x = left
            draw.text((x, y), line, font=font, fill=fill)
            if broken_d and "Đ" in line:
                _break_d(draw, font, line, x, y, random.Random(seed + y))
            placed.append((line, (int(x), y, int(x + font.getlength(line)), y + px)))
            y += step
        y += round(px * 0.4)
        if y + step > bottom:
            break
    return placed


def render_and_ocr(job: dict) -> dict:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    path = FONTS[job["font"]][1 if job["bold"] else 0]
    px = round(job["size"] / 72 * DPI)
    font = ImageFont.truetype(path, px)
    img = Image.new("L", (PAGE_W, PAGE_H), 255)
    placed = draw_paragraphs(ImageDraw.Draw(img), font, job["paras"], (LEFT, TOP, PAGE_W - RIGHT, PAGE_H - BOTTOM),
                             indent=118, broken_d=job["broken_d"], seed=job["seed"])
    lines = [line for line, _box in placed]
    rng = np.random.default_rng(job["seed"])
    if job["rot"]:
        img = img.rotate(job["rot"], resample=Image.BILINEAR, fillcolor=255)
    if job["scale"] != 1.0:
        w, h = img.size
        img = img.resize((int(w * job["scale"]), int(h * job["scale"])), Image.BILINEAR).resize((w, h), Image.BILINEAR)
    if job["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(job["blur"]))
    if job["noise"]:
        a = np.asarray(img, dtype=np.float32) + rng.normal(0, job["noise"], (img.size[1], img.size[0]))
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "page.png"
        img.save(p, dpi=(DPI, DPI))
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        out = subprocess.run(
            ["tesseract", str(p), "stdout", "-l", "eng", "--psm", "4", "--dpi", str(DPI)],
            capture_output=True, text=True, env=env, check=True,
        ).stdout
    ocr_lines = [x for x in out.split("\n") if x.strip()]
    return {"id": job["id"], "src": lines, "ocr": ocr_lines, "job": {k: v for k, v in job.items() if k != "paras"}}


def cmd_render(args):
    jobs = page_jobs(args.corpus_dir, args.split, args.pages, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    n = 0
    with ProcessPoolExecutor(max_workers=args.workers) as ex, open(args.out / "pages.jsonl", "w", encoding="utf-8") as fh:
        for res in ex.map(render_and_ocr, jobs):
            fh.write(json.dumps(res, ensure_ascii=False) + "\n")
            n += 1
            print(f"\r{n}/{len(jobs)} pages", end="", flush=True)
    print()


# --------------------------------------------------------------------------------------
# alignment
# --------------------------------------------------------------------------------------


def _fold_ascii(s: str) -> str:
    from normalizers.diacritics import fold

    return unicodedata.normalize("NFKD", fold(s)).encode("ascii", "ignore").decode().lower()


def align_lines(src: list[str], ocr: list[str]) -> list[tuple[str, str]]:
    """Pair OCR lines with source lines (monotone DP on folded similarity)."""
    return [(src[i], ocr[j]) for i, j in align_line_indices(src, ocr)]


def align_line_indices(src: list[str], ocr: list[str]) -> list[tuple[int, int]]:
    """(source index, OCR index) of the paired lines (monotone DP on folded similarity)."""
    from rapidfuzz.fuzz import ratio

    fs = [_fold_ascii(x) for x in src]
    fo = [_fold_ascii(x) for x in ocr]
    n, m = len(src), len(ocr)
    if not n or not m:
        return []
    sim = [[ratio(a, b) for b in fo] for a in fs]
    NEG = -1e9
    dp = [[NEG] * (m + 1) for _ in range(n + 1)]
    bp = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                dp[0][0] = 0
                continue
            best, arg = NEG, None
            if i and j and dp[i - 1][j - 1] > NEG and sim[i - 1][j - 1] >= 60:
                v = dp[i - 1][j - 1] + sim[i - 1][j - 1]
                if v > best:
                    best, arg = v, (i - 1, j - 1, True)
            if i and dp[i - 1][j] > best:
                best, arg = dp[i - 1][j], (i - 1, j, False)
            if j and dp[i][j - 1] > best:
                best, arg = dp[i][j - 1], (i, j - 1, False)
            dp[i][j], bp[i][j] = best, arg
    pairs = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, match = bp[i][j]
        if match:
            pairs.append((i - 1, j - 1))
        i, j = pi, pj
    pairs.reverse()
    return pairs


def load_pairs(path: Path) -> tuple[list[str], list[str]]:
    """Aligned (source, OCR) line pairs of a render output directory."""
    src, ocr = [], []
    with open(Path(path) / "pages.jsonl", encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            for a, b in align_lines(page["src"], page["ocr"]):
                src.append(unicodedata.normalize("NFC", a))
                ocr.append(unicodedata.normalize("NFC", b))
    return src, ocr


def char_align(a: str, b: str) -> list[tuple[str, str]]:
    """Levenshtein alignment of source ``a`` and OCR ``b``: list of (src char or '',
    ocr string); OCR insertions are attached to the preceding source char."""
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        d[i][0] = i
    for j in range(1, m + 1):
        d[0][j] = j
    fa = _fold_ascii(a) if len(_fold_ascii(a)) == n else a.lower()
    for i in range(1, n + 1):
        ai, fai = a[i - 1], fa[i - 1]
        row, prev = d[i], d[i - 1]
        for j in range(1, m + 1):
            bj = b[j - 1]
            c = 0 if ai == bj else (0.5 if fai == bj.lower() or ai.lower() == bj.lower() else 1)
            row[j] = min(prev[j - 1] + c, prev[j] + 1, row[j - 1] + 1)
    out: list[list] = []
    i, j = n, m
    rev = []
    while i > 0 or j > 0:
        if i and j:
            ai, bj = a[i - 1], b[j - 1]
            c = 0 if ai == bj else (0.5 if fa[i - 1] == bj.lower() or ai.lower() == bj.lower() else 1)
            if d[i][j] == d[i - 1][j - 1] + c:
                rev.append((ai, bj))
                i, j = i - 1, j - 1
                continue
        if i and d[i][j] == d[i - 1][j] + 1:
            rev.append((a[i - 1], ""))
            i -= 1
        else:
            rev.append(("", b[j - 1]))
            j -= 1
    rev.reverse()
    for s, o in rev:
        if s == "" and out:
            out[-1][1] += o
        else:
            out.append([s, o])
    return [(s, o) for s, o in out]


def cmd_learn(args):
    src, ocr = load_pairs(args.pairs)
    sub: dict[str, Counter] = defaultdict(Counter)
    for a, b in zip(src, ocr):
        for s, o in char_align(a, b):
            if s == "":
                continue
            sub[s][o] += 1  # case-sensitive: "Ê" -> "E" but "ê" -> "é"
    # keep outputs of length <= 3 seen at least twice (or the identity)
    table = {}
    for s, cnt in sub.items():
        if not (s.isalpha() or s.isdigit()):
            continue
        tot = sum(cnt.values())
        if tot < 3:
            continue
        table[s] = {o: c for o, c in cnt.items() if (c >= 2 or o == s) and len(o) <= 3}
        table[s]["__total__"] = tot
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as fh:
        rates, ntok = token_rates(ocr)
        json.dump(
            {"version": 1, "pairs": len(src), "ocr_tokens": ntok, "marker_rates": rates, "table": table},
            fh, ensure_ascii=False, sort_keys=True,
        )
    n_chars = sum(v["__total__"] for v in table.values())
    print(f"aligned line pairs {len(src):,}; source letters {n_chars:,}; table {len(table)} source chars -> {args.out} ({args.out.stat().st_size/1e3:.1f} kB)")
    for s in "ưạãđlơôêâă":
        if s in table:
            t = table[s]
            tot = t["__total__"]
            top = sorted(((c, o) for o, c in t.items() if o != "__total__"), reverse=True)[:5]
            print(f"  {s!r}: " + ", ".join(f"{o!r} {c/tot:.2f}" for c, o in top))


# --------------------------------------------------------------------------------------
# noise statistics
# --------------------------------------------------------------------------------------

MARKERS = ["x4", "x3", "ctia", "cta", "hién", "dugc", "1a", "s6", "S6", "nuéc", "thé", "Pjc", "Pong", "PiCH", "phiic", "ngudi", "Thyc", "cia", "Nghi", "quyét"]


def token_rates(lines) -> dict[str, float]:
    toks = [t for x in lines for t in x.split()]
    cnt = Counter(t.strip(".,;:()") for t in toks)
    n = max(len(toks), 1)
    return {m: 1000.0 * cnt[m] / n for m in MARKERS}, n


def cmd_stats(args):
    _, ocr = load_pairs(args.pairs)
    rates, n = token_rates(ocr)
    print(f"generated OCR: {n:,} tokens")
    comp = None
    if args.compare:
        lines = Path(args.compare).read_text(encoding="utf-8").split("\n")
        comp, n2 = token_rates(lines)
        print(f"compare {args.compare}: {n2:,} tokens")
    print(f"{'token':8s} {'generated /1000':>16s}" + (f" {'compare /1000':>14s}" if comp else ""))
    for m in MARKERS:
        print(f"{m:8s} {rates[m]:16.2f}" + (f" {comp[m]:14.2f}" if comp else ""))


def render_arguments(parser, pages: int, workers: int) -> None:
    """The options of a ``render`` sub-command: corpus, split, pages, seed, workers, output."""
    parser.add_argument("--corpus-dir", type=Path, required=True)
    parser.add_argument("--split", choices=["train", "heldout"], default="train")
    parser.add_argument("--pages", type=int, default=pages)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--out", type=Path, required=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sp = ap.add_subparsers(dest="cmd", required=True)
    render_arguments(sp.add_parser("render"), pages=60, workers=2)
    l = sp.add_parser("learn")
    l.add_argument("--pairs", type=Path, required=True)
    l.add_argument("--out", type=Path, default=ROOT / "normalizers" / "data" / "ocr_channel.json.gz")
    s = sp.add_parser("stats")
    s.add_argument("--pairs", type=Path, required=True)
    s.add_argument("--compare", type=Path, default=None)
    args = ap.parse_args(argv)
    {"render": cmd_render, "learn": cmd_learn, "stats": cmd_stats}[args.cmd](args)


if __name__ == "__main__":
    main()
