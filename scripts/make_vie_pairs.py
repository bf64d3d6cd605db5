#!/usr/bin/env python
"""Realistic degraded scans of corpus text, read with ``tesseract -l vie`` by the pipeline's
own OCR path: (source line, OCR words with confidences) pairs for the correction of
Vietnamese-model OCR (:mod:`normalizers.ocr_correct`).

    python scripts/make_vie_pairs.py render --corpus-dir DIR --split train --pages 100 --seed 1 --out build/vie_train
    python scripts/make_vie_pairs.py render --corpus-dir DIR --split heldout --pages 24 --seed 2 --out build/vie_heldout
    python scripts/make_vie_pairs.py learn --pairs build/vie_train [--out normalizers/data/vie_channel.json.gz]

Pages are cut from whole documents of the train or held-out split of
``scripts/train_repair_model.py`` (``make_ocr_pairs.page_chunks``) and typeset like office
letters (``make_ocr_pairs.draw_paragraphs``): serif or sans fonts (FreeFont, DejaVu; the
Liberation fonts of the Debian package lack most Vietnamese letters), regular, italic or bold, 13-14 pt, at 200 or 300 dpi;
``--font tinos`` (or ``arimo``: the metric clones of Times New Roman and Arial that most real
plans are set in, fonts-croscore) draws every page in that face, ``--dpi 150`` scans every page
coarser, the pages otherwise the same.  The page is then degraded the
way office scans are: uneven ink (a smooth random field), coarse optics (down- and up-sampling), a grey background gradient,
bleed-through of a mirrored other page, red or blue round stamps with text and blue
signatures drawn over the text, rotation up to 1.5°, blur, noise, grey scans (the colour of
the inks lost), bilevel scans (a threshold: faint marks break off) and JPEG artefacts.  Every
page is read by :func:`extractors.pdf_ocr.read_image` with the default
:class:`pipeline.config.Config` and the correction switched off (so deskew, grid detection and
the tesseract call are the production ones); the words are grouped into lines
(:func:`normalizers.ocr_correct.group_lines`) and the lines paired with the source lines
(``make_ocr_pairs.align_line_indices``).  ``pages.jsonl`` holds per page the job's parameters,
the source lines and the OCR lines as ``[[text, confidence, readings], ...]`` (readings: per
letter, the ``[letter, confidence]`` pairs tesseract weighed, best first; null from the command
line engine).  Fixed seeds; one worker
by default (tesseract is single-threaded; the machine is shared).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_ocr_pairs import align_line_indices, draw_paragraphs, page_chunks, render_arguments  # noqa: E402

_T = "/usr/share/fonts/truetype/"
#: family -> (regular, italic, bold)
FONTS = {
    "freeserif": (_T + "freefont/FreeSerif.ttf", _T + "freefont/FreeSerifItalic.ttf", _T + "freefont/FreeSerifBold.ttf"),
    "dejavu": (_T + "dejavu/DejaVuSerif.ttf", _T + "dejavu/DejaVuSerif-Italic.ttf", _T + "dejavu/DejaVuSerif-Bold.ttf"),
    "freesans": (_T + "freefont/FreeSans.ttf", _T + "freefont/FreeSansOblique.ttf", _T + "freefont/FreeSansBold.ttf"),
    "dejavu_sans": (_T + "dejavu/DejaVuSans.ttf", _T + "dejavu/DejaVuSans-Oblique.ttf", _T + "dejavu/DejaVuSans-Bold.ttf"),
    # metric clones of Times New Roman and Arial, the faces of most real plans (fonts-croscore)
    "tinos": (_T + "croscore/Tinos-Regular.ttf", _T + "croscore/Tinos-Italic.ttf", _T + "croscore/Tinos-Bold.ttf"),
    "arimo": (_T + "croscore/Arimo-Regular.ttf", _T + "croscore/Arimo-Italic.ttf", _T + "croscore/Arimo-Bold.ttf"),
}
#: the faces a page is drawn in by default, and their weights
FONT_MIX = {"freeserif": 5, "dejavu": 3, "freesans": 1, "dejavu_sans": 1}
STYLES = ("regular", "italic", "bold")
STAMP_FONT = _T + "dejavu/DejaVuSans-Bold.ttf"
STAMP_TEXTS = ("ỦY BAN NHÂN DÂN", "UBND XÃ", "HUYỆN", "TỈNH", "VĂN PHÒNG", "HỘI ĐỒNG NHÂN DÂN")
A4_IN = (8.27, 11.69)


def page_params(rng: random.Random, split: str, n: int, paras: list[str], bleed: list[str]) -> dict:
    """The page's typesetting and degradation parameters (drawn from the page's generator)."""
    return {
        "id": f"{split}_{n:04d}",
        "paras": paras,
        "bleed_paras": bleed,
        "font": rng.choices(list(FONT_MIX), weights=list(FONT_MIX.values()))[0],
        "style": rng.choices(STYLES, weights=[6, 2, 2])[0],
        "size": rng.choice([12, 13, 13.5, 14]),
        "dpi": rng.choice([200, 300]),
        "rot": round(rng.uniform(-1.5, 1.5), 3),
        "blur": rng.choice([0, 0, 0.4, 0.7, 1.0, 1.3]),
        "scale": rng.choice([1.0, 0.8, 0.7, 0.6, 0.5]),  # optics coarser than the scan's dpi
        "noise": rng.choice([0, 3, 6, 9]),
        "jpeg": rng.choice([0, 35, 50, 65, 80]),
        "binarize": rng.choice([0, 0, 0, 110, 135, 160]),  # bilevel scan (copier, fax): threshold
        "ink": round(rng.uniform(0.0, 0.7), 3),  # depth of the uneven-ink field (0 = even)
        "paper": (rng.randint(215, 245), rng.randint(235, 255)),  # background gradient ends
        "bleed": round(rng.choice([0, 0, 0.08, 0.14, 0.2]), 3),
        "stamps": rng.choices([0, 1, 2], weights=[4, 5, 1])[0],
        "signature": rng.random() < 0.5,
        "seed": rng.randrange(1 << 30),
        # many offices scan in grey: a red stamp comes out as grey as faint text (drawn last,
        # so that the other parameters stay those of earlier sets)
        "scanner": rng.choices(["colour", "grey"], weights=[2, 1])[0],
    }


def page_jobs(corpus_dir: Path, split: str, pages: int, seed: int) -> list[dict]:
    chunks = list(page_chunks(corpus_dir, split, pages + 1, seed))
    return [page_params(rng, split, n, paras, chunks[(n + 1) % len(chunks)][1])
            for n, (rng, paras) in enumerate(chunks[:pages])]


def _smooth_field(rng, shape: tuple[int, int], cells: int):
    """A smooth random field in [0, 1] (bilinear upsampling of a coarse grid)."""
    import numpy as np
    from PIL import Image

    h, w = shape
    coarse = (rng.random((cells, max(2, cells * w // h))) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(coarse).resize((w, h), Image.BICUBIC), dtype=np.float32) / 255.0


def _stamp(size: int, color: tuple[int, int, int], rng: random.Random):
    """An RGBA round stamp: two rings, text around the inner ring, a star and a word in the middle."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = size / 2
    w = max(2, size // 60)
    d.ellipse([w, w, size - w, size - w], outline=color + (255,), width=w)
    r2 = size * 0.33
    d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=color + (255,), width=max(1, w - 1))
    font = ImageFont.truetype(STAMP_FONT, max(8, size // 11))
    text = " * ".join(rng.sample(STAMP_TEXTS, 2)) + " *"
    r = size * 0.41
    for k, ch in enumerate(text):
        a = -math.pi / 2 + 2 * math.pi * k / len(text)
        glyph = Image.new("RGBA", (font.size * 2, font.size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font.size // 2, font.size // 2), ch, font=font, fill=color + (255,))
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BILINEAR)
        img.alpha_composite(glyph, (int(c + r * math.cos(a) - font.size), int(c + r * math.sin(a) - font.size)))
    small = ImageFont.truetype(STAMP_FONT, max(8, size // 9))
    word = rng.choice(["XÃ", "UBND", "HĐND"])
    d.text((c - small.getlength(word) / 2, c - small.size * 0.6), word, font=small, fill=color + (255,))
    return img


def _signature(d, box: tuple[int, int, int, int], width: int, rng: random.Random) -> None:
    """A pen signature: a few loops of a smooth random curve."""
    x0, y0, x1, y1 = box
    pts = []
    n = rng.randint(40, 70)
    ph = [rng.uniform(0, 6.28) for _ in range(3)]
    for k in range(n):
        t = k / (n - 1)
        x = x0 + (x1 - x0) * t + 0.08 * (x1 - x0) * math.sin(9 * t + ph[0])
        y = (y0 + y1) / 2 + 0.4 * (y1 - y0) * math.sin(14 * t + ph[1]) * math.cos(3 * t + ph[2])
        pts.append((x, y))
    d.line(pts, fill=(25, 40, 150, 230), width=width, joint="curve")


def render_page(job: dict):
    """The degraded page image (RGB) and the source lines drawn on it."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

    dpi = job["dpi"]
    W, H = round(A4_IN[0] * dpi), round(A4_IN[1] * dpi)
    k = dpi / 300.0
    area = (round(354 * k), round(236 * k), W - round(236 * k), H - round(236 * k))
    font = ImageFont.truetype(FONTS[job["font"]][STYLES.index(job["style"])], round(job["size"] / 72 * dpi))
    text = Image.new("L", (W, H), 255)
    placed = draw_paragraphs(ImageDraw.Draw(text), font, job["paras"], area, indent=round(118 * k))
    rng = np.random.default_rng(job["seed"])
    prng = random.Random(job["seed"])
    ink = 1.0 - np.asarray(text, dtype=np.float32) / 255.0
    if job["ink"]:
        ink *= 1.0 - job["ink"] * _smooth_field(rng, (H, W), 6)
    g0, g1 = job["paper"]
    ramp = np.linspace(g0, g1, W if prng.random() < 0.5 else H, dtype=np.float32)
    paper = np.broadcast_to(ramp[None, :] if ramp.size == W else ramp[:, None], (H, W))
    value = paper * (1.0 - 0.93 * ink)
    if job["bleed"]:
        back = Image.new("L", (W, H), 255)
        draw_paragraphs(ImageDraw.Draw(back), font, job["bleed_paras"], area, indent=round(118 * k))
        back_ink = 1.0 - np.asarray(ImageOps.mirror(back).filter(ImageFilter.GaussianBlur(2 * k)), dtype=np.float32) / 255.0
        value *= 1.0 - job["bleed"] * back_ink
    img = Image.fromarray(np.clip(value, 0, 255).astype(np.uint8)).convert("RGB")
    over = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    boxes = [box for _line, box in placed]
    for _ in range(job["stamps"]):
        size = round(prng.uniform(1.3, 1.7) * dpi)
        color = prng.choice([(200, 30, 45), (190, 20, 30), (35, 55, 170)])
        _x0, by0, _x1, by1 = prng.choice(boxes) if boxes else area
        x = prng.randint(area[0], max(area[0], area[2] - size))
        stamp = _stamp(size, color, prng).rotate(prng.uniform(-30, 30), resample=Image.BILINEAR)
        over.alpha_composite(stamp, (x, max(0, min(H - size, by0 - size // 2))))
    if job["signature"] and boxes:
        _x0, by0, _x1, by1 = prng.choice(boxes)
        x = prng.randint(area[0], max(area[0], area[2] - round(2.2 * dpi)))
        _signature(ImageDraw.Draw(over), (x, by0 - round(0.25 * dpi), x + round(2 * dpi), by1 + round(0.25 * dpi)),
                   max(2, round(4 * k)), prng)
    alpha = np.asarray(over.getchannel("A"), dtype=np.float32)[..., None] / 255.0 * 0.8
    rgb = np.asarray(img, dtype=np.float32)
    tint = np.asarray(over.convert("RGB"), dtype=np.float32)
    rgb = rgb * (1 - alpha) + np.minimum(rgb, tint) * alpha  # ink over paper: darken only
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    if job["rot"]:
        img = img.rotate(job["rot"], resample=Image.BILINEAR, fillcolor=(g1, g1, g1))
    if job["scale"] != 1.0:
        img = img.resize((round(W * job["scale"]), round(H * job["scale"])), Image.BILINEAR).resize((W, H), Image.BILINEAR)
    if job["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(job["blur"] * k))
    if job["noise"]:
        a = np.asarray(img, dtype=np.float32) + rng.normal(0, job["noise"], (H, W, 1))
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if job.get("scanner") == "grey":
        img = img.convert("L").convert("RGB")
    if job["binarize"]:  # thin strokes and marks of faint ink break off
        img = img.convert("L").point(lambda v: 255 if v > job["binarize"] else 0).convert("RGB")
    if job["jpeg"]:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=job["jpeg"])
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return img, [line for line, _box in placed]


def ocr_lines(img, dpi: int) -> list[list[tuple]]:
    """The page read by the pipeline's OCR as it reads it for the correction (the readings
    tesseract weighed asked for) but left uncorrected, words grouped into lines: (text,
    confidence, the readings per letter or None)."""
    from extractors import pdf_ocr
    from normalizers.ocr_correct import group_lines
    from pipeline.config import Config

    correct = pdf_ocr.correct_ocr_words
    pdf_ocr.correct_ocr_words = lambda words, _lang, _enabled=True: words
    try:
        words, _grids, _shape, _q = pdf_ocr.read_image(img, Config(workers=1, ocr_correct=True), dpi)
    finally:
        pdf_ocr.correct_ocr_words = correct
    return [[(words[i].text, words[i].confidence, words[i].alternatives) for i in idx] for idx in group_lines(words)]


def render_and_read(job: dict) -> dict:
    t0 = time.perf_counter()
    img, src = render_page(job)
    t1 = time.perf_counter()
    ocr = ocr_lines(img, job["dpi"])
    t2 = time.perf_counter()
    pairs = align_line_indices(src, [" ".join(w[0] for w in line) for line in ocr])
    return {"id": job["id"], "job": {k: v for k, v in job.items() if not k.endswith("paras")},
            "src": src, "ocr": ocr, "pairs": pairs, "seconds": {"render": round(t1 - t0, 3), "ocr": round(t2 - t1, 3)}}


def load_pages(path: Path) -> list[dict]:
    with open(Path(path) / "pages.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def line_pairs(pages: list[dict]) -> list[tuple[str, list[tuple[str, float | None]]]]:
    """(source line, OCR words with confidences) of the paired lines of ``pages``."""
    return [(page["src"][i], [tuple(w) for w in page["ocr"][j]]) for page in pages for i, j in page["pairs"]]


def word_pairs(src: str, ocr: list) -> list[tuple[str | None, str, float | None]]:
    """The OCR words of a line with the source word each stands for (None: it stands for
    a different number of source words), aligned on their folded lower-case letters."""
    import difflib

    from normalizers.diacritics import fold
    from normalizers.ocr_correct import split_word

    def key(text: str) -> str:
        part = split_word(text)
        return fold(part[1]).lower() if part else text

    s_words = src.split()
    sm = difflib.SequenceMatcher(None, [key(w) for w in s_words], [key(w[0]) for w in ocr], autojunk=False)
    out = []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "insert":
            continue  # read where there is no text (a stamp, a signature)
        for k in range(b0, b1):
            same = op == "equal" or (a1 - a0 == b1 - b0)
            out.append((s_words[a0 + k - b0] if same else None, ocr[k][0], ocr[k][1]))
    return out


CONF_EDGES = [0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.96]


def cmd_learn(args) -> None:
    """Letter-shape and tone confusions of same-length word pairs, and the share of words
    read right per confidence bin (attested syllables and other words apart)."""
    import gzip
    from collections import Counter, defaultdict

    from normalizers.diacritics import load_model
    from normalizers.ocr_correct import is_word, split_letter, split_word

    model = load_model()
    shape: dict[str, Counter] = defaultdict(Counter)
    tone: dict[int, Counter] = defaultdict(Counter)
    bins = {True: [[0, 0] for _ in range(len(CONF_EDGES) + 1)], False: [[0, 0] for _ in range(len(CONF_EDGES) + 1)]}
    pairs = line_pairs(load_pages(args.pairs))
    n_words = 0
    for src, ocr in pairs:
        for s_word, o_word, conf in word_pairs(src, ocr):
            op = split_word(o_word)
            if op is None:
                continue
            sp = split_word(s_word) if s_word else None
            low = op[1].lower()
            known = is_word(low, model)
            k = sum(1 for e in CONF_EDGES if (conf if conf is not None else 0.9) >= e)
            right = sp is not None and sp[1] == op[1]
            bins[known][k][0] += right
            bins[known][k][1] += 1
            n_words += 1
            if sp is None or len(sp[1]) != len(op[1]):
                continue
            for a, b in zip(sp[1].lower(), low):
                (sa, ta), (sb, tb) = split_letter(a), split_letter(b)
                shape[sa][sb] += 1
                tone[ta][tb] += 1
    data = {
        "version": 1,
        "line_pairs": len(pairs),
        "words": n_words,
        "min_confusion": 3,
        "shape": {s: {o: c for o, c in cnt.items() if c >= 2 or o == s} for s, cnt in sorted(shape.items())
                  if sum(cnt.values()) >= 5},
        "tone": {str(t): dict(cnt) for t, cnt in sorted(tone.items())},
        "conf_edges": CONF_EDGES,
        "keep_known": [round((r + 1) / (t + 2), 5) for r, t in bins[True]],
        "keep_unknown": [round((r + 1) / (t + 2), 5) for r, t in bins[False]],
        "bin_words": {"known": [t for _r, t in bins[True]], "unknown": [t for _r, t in bins[False]]},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, sort_keys=True)
    print(f"{len(pairs):,} line pairs, {n_words:,} OCR words -> {args.out} ({args.out.stat().st_size / 1e3:.1f} kB)")
    print("P(right | confidence bin), syllables:", data["keep_known"])
    print("P(right | confidence bin), other words:", data["keep_unknown"])
    for s in "aâăeêoôơuưd":
        cnt = shape.get(s)
        if cnt:
            tot = sum(cnt.values())
            print(f"  {s!r}: " + ", ".join(f"{o!r} {c / tot:.3f}" for o, c in cnt.most_common(4)))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sp = ap.add_subparsers(dest="cmd", required=True)
    r = sp.add_parser("render", help="render, degrade and OCR pages")
    render_arguments(r, pages=80, workers=1)
    r.add_argument("--save-images", action="store_true", help="also write the first page images (JPEG) to OUT")
    r.add_argument("--font", choices=sorted(FONTS), default=None,
                   help="draw every page in this face (the pages are otherwise those of the default mix)")
    r.add_argument("--dpi", type=int, default=None, help="scan every page at this resolution (else 200 or 300 as drawn)")
    lp = sp.add_parser("learn", help="learn the channel from rendered training pages")
    lp.add_argument("--pairs", type=Path, required=True)
    lp.add_argument("--out", type=Path, default=ROOT / "normalizers" / "data" / "vie_channel.json.gz")
    args = ap.parse_args(argv)
    if args.cmd == "learn":
        cmd_learn(args)
        return
    jobs = page_jobs(args.corpus_dir, args.split, args.pages, args.seed)
    if args.font:
        jobs = [dict(job, font=args.font) for job in jobs]
    if args.dpi:
        jobs = [dict(job, dpi=args.dpi) for job in jobs]
    args.out.mkdir(parents=True, exist_ok=True)
    if args.save_images:
        for job in jobs[:4]:
            render_page(job)[0].save(args.out / f"{job['id']}.jpg", quality=85)
    n = 0
    with ProcessPoolExecutor(max_workers=args.workers) as ex, open(args.out / "pages.jsonl", "w", encoding="utf-8") as fh:
        for res in ex.map(render_and_read, jobs):
            fh.write(json.dumps(res, ensure_ascii=False) + "\n")
            fh.flush()
            n += 1
            print(f"\r{n}/{len(jobs)} pages", end="", flush=True)
    print()


if __name__ == "__main__":
    main()
