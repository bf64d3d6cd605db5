"""Scans as offices make them, from a digital PDF: pages turned, and harsh colour copies.

:func:`turned_scan_pdf`: the pages rasterized in grey with mild noise (like
``fixture_docs.rasterize_pdf``), a landscape page scanned as a portrait image, its content
turned 90° or 270°, and now and then a page upside down.

:func:`harsh_scan_pdf`: a colour scan at 200 dpi with the faults of an office copier: the
next page showing through (mirrored, faint), uneven light (a grey gradient over the paper), a
red round stamp and a blue signature stroke over the text and table cells, a 1-1.5° skew, and
JPEG compression (quality 60-75); or the same scan in grey, where no colour tells the inks
from the text.  :func:`stamp` and :func:`signature` draw the inks on one
image (the unit tests use them on their own).

Both write image-only PDFs (one image per page at the scan's resolution), so that they go
through the pipeline's OCR path.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

#: stamp red and signature blue (RGB, 0-1): the inks of Vietnamese administrative documents
STAMP_RED = (0.84, 0.12, 0.16)
PEN_BLUE = (0.12, 0.2, 0.72)


def _save_pdf(images, out: Path, dpi: int) -> Path:
    images[0].save(str(out), "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out


def turned_scan_pdf(pdf: Path, out: Path, seed: int, *, dpi: int = 200, noise: float = 8.0,
                    sideways: int | None = None) -> Path:
    """Grey scan (a small skew, mild noise) whose landscape pages lie turned on the portrait
    glass (content rotated 90° or 270° counter-clockwise, drawn from ``seed`` unless
    ``sideways`` says which); in one plan of three a portrait page comes out upside down."""
    import numpy as np
    from pdf2image import convert_from_path
    from PIL import Image

    rng = random.Random(seed)
    noise_rng = np.random.default_rng(seed)
    images = convert_from_path(str(pdf), dpi=dpi, grayscale=True)
    upside_down = rng.randrange(len(images)) if rng.random() < 0.35 else None
    sideways = rng.choice((90, 270)) if sideways is None else sideways
    out_images = []
    skew = rng.choice((0.0, 0.5, 1.0))  # as plan_shapes.scan_pdf
    for k, img in enumerate(images):
        turn = sideways if img.width > img.height else 180 if k == upside_down else 0
        if turn:
            img = img.rotate(turn, expand=True)
        if skew:
            img = img.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
        arr = np.asarray(img, dtype=np.float32) + noise_rng.normal(0.0, noise, (img.height, img.width))
        out_images.append(Image.fromarray(np.clip(arr * 0.92 + 12, 0, 255).astype(np.uint8), mode="L"))
    return _save_pdf(out_images, out, dpi)


#: the words of the synthetic text pages
TEXT_WORDS = "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã".split()


def text_lines(lines: int) -> list[str]:
    """The lines of :func:`text_page` (twelve words each, drawn with a fixed seed)."""
    rng = random.Random(1)
    return [" ".join(rng.choice(TEXT_WORDS) for _ in range(12)) for _ in range(lines)]


def text_page(width: int = 1400, height: int = 1000, lines: int = 14):
    """Grey page (uint8 array, 0-255) of black Vietnamese text lines on white, 200 dpi, 12 pt."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from fixture_docs import FONT_CANDIDATES

    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(next(r for r, _ in FONT_CANDIDATES if Path(r).exists()), 33)
    for k, line in enumerate(text_lines(lines)):
        draw.text((60, 60 + k * 62), line, fill=0, font=font)
    return np.asarray(img)


def grey_scan(seed: int, bilevel: bool):
    """A 200 dpi text page with a red seal and a blue signature where ``seed`` puts them,
    scanned in grey (the inks as grey as their luminance) or bilevel (a copier's threshold: as
    black as the text): (scan, text mask, ink mask of the marks alone, the text's lines)."""
    import numpy as np

    gray = text_page(1650, 1400, 18)
    rng = random.Random(seed)
    where = (rng.randint(300, 1300), rng.randint(350, 1000), rng.randint(150, 200),
             rng.randint(100, 600), rng.randint(300, 1200), rng.randint(350, 550), rng.random())

    def inked(page):
        r = random.Random(where[-1])
        stamp(page, where[0], where[1], where[2], r)
        signature(page, where[3], where[4], where[5], r)
        return page @ np.array([0.299, 0.587, 0.114], np.float32) * 255.0

    scan = inked(np.repeat(gray[..., None].astype(np.float32) / 255.0, 3, axis=2))
    alone = inked(np.ones(gray.shape + (3,), np.float32))
    scan = np.where(scan < 140, 0, 255) if bilevel else scan
    return scan.astype(np.uint8), gray < 128, alone < 200, text_lines(18)


def thin_scan(seed: int, dpi: int = 200):
    """A text page (:func:`text_page`, 12 pt) scanned bilevel with the threshold set dark, as
    copiers do for faint originals: blurred by the optics (sigma 0.8-1.4 px), sensor noise,
    then black only under 90-110 of 255, which keeps the cores of the strokes and breaks them
    where they are thin; at 200 or 300 dpi (uint8 array)."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(seed)
    page = text_page(1650, 1100, 14).astype(np.float32)
    if dpi != 200:
        page = cv2.resize(page, None, fx=dpi / 200, fy=dpi / 200, interpolation=cv2.INTER_CUBIC)
    page = cv2.GaussianBlur(page, (0, 0), (0.8, 1.0, 1.2, 1.4)[seed % 4]) + rng.normal(0, 6, page.shape)
    return np.where(page < (90, 100, 110)[seed % 3], 0, 255).astype(np.uint8)


def _blend(page, mask, colour, alpha: float) -> None:
    """Ink ``mask`` (0-1, h x w) of ``colour`` printed over ``page`` (float RGB 0-1, in place):
    inks multiply, so black text under the ink stays black."""
    import numpy as np

    tint = 1.0 - alpha * mask[..., None] * (1.0 - np.asarray(colour, dtype=np.float32))
    page *= tint


def stamp(page, cx: int, cy: int, radius: int, rng: random.Random) -> None:
    """A red round seal centred at ``(cx, cy)``: two rings, a star, and lettering along the rim
    (short strokes), printed over ``page`` (float RGB 0-1, in place)."""
    import cv2
    import numpy as np

    h, w, _ = page.shape
    mask = np.zeros((h, w), dtype=np.float32)
    t = max(3, radius // 25)
    cv2.circle(mask, (cx, cy), radius, 1.0, t, lineType=cv2.LINE_AA)
    cv2.circle(mask, (cx, cy), int(radius * 0.68), 1.0, max(2, t // 2), lineType=cv2.LINE_AA)
    star = [(cx + int(radius * 0.28 * np.cos(a)), cy + int(radius * 0.28 * np.sin(a)))
            for a in np.linspace(-np.pi / 2, 3.5 * np.pi, 5, endpoint=False)]
    cv2.polylines(mask, [np.array(star[0::2] + star[1::2], np.int32)], True, 1.0, 2, lineType=cv2.LINE_AA)
    for a in np.linspace(0, 2 * np.pi, 34, endpoint=False):  # letters around the rim
        if rng.random() < 0.15:
            continue
        r0, r1 = radius * 0.74, radius * 0.93
        p0 = (cx + int(r0 * np.cos(a)), cy + int(r0 * np.sin(a)))
        p1 = (cx + int(r1 * np.cos(a + rng.uniform(-0.05, 0.05))), cy + int(r1 * np.sin(a)))
        cv2.line(mask, p0, p1, 1.0, 2, lineType=cv2.LINE_AA)
    _blend(page, mask, STAMP_RED, rng.uniform(0.75, 0.95))


def signature(page, x: int, y: int, length: int, rng: random.Random) -> None:
    """A blue pen stroke from ``(x, y)`` about ``length`` pixels long (loops and a flourish),
    printed over ``page`` (float RGB 0-1, in place)."""
    import cv2
    import numpy as np

    h, w, _ = page.shape
    mask = np.zeros((h, w), dtype=np.float32)
    t = np.linspace(0.0, 1.0, 400)
    loops = rng.uniform(3, 6)
    xs = x + length * t + length * 0.06 * np.sin(2 * np.pi * loops * t)
    ys = y - length * 0.12 * np.sin(np.pi * t) + length * 0.1 * np.cos(2 * np.pi * loops * t + rng.uniform(0, 3))
    pts = np.stack([xs, ys], axis=1).astype(np.int32)
    cv2.polylines(mask, [pts], False, 1.0, rng.randint(3, 5), lineType=cv2.LINE_AA)
    _blend(page, mask, PEN_BLUE, rng.uniform(0.8, 0.95))


def _harsh_page(page, other, rng: random.Random, noise_rng):
    """One rendered page (float RGB 0-1) through the copier; ``other`` (grey 0-1) shows through."""
    import cv2
    import numpy as np

    h, w, _ = page.shape
    if other is not None:
        ghost = cv2.GaussianBlur(cv2.resize(other[:, ::-1], (w, h), interpolation=cv2.INTER_AREA), (5, 5), 0)
        _blend(page, 1.0 - ghost, (0.0, 0.0, 0.0), rng.uniform(0.08, 0.14))
    margin = int(0.12 * min(w, h))
    for _ in range(rng.randint(1, 2)):
        stamp(page, rng.randint(margin, w - margin), rng.randint(margin, h - margin), int(min(w, h) * rng.uniform(0.09, 0.12)),
              rng)
    signature(page, rng.randint(margin, w // 2), rng.randint(margin, h - margin), int(w * rng.uniform(0.2, 0.3)), rng)
    # Uneven light: darker towards one corner, a grey paper.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    ramp = ((xx / w - 0.5) * np.cos(a) + (yy / h - 0.5) * np.sin(a)) + 0.5
    low = rng.uniform(0.7, 0.8)
    light = 0.96 - (0.96 - low) * np.clip(ramp, 0, 1)
    page *= light[..., None]
    angle = rng.choice((-1, 1)) * rng.uniform(1.0, 1.5)
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    page = cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    page = page * 255.0 + noise_rng.normal(0.0, 4.0, page.shape)
    return np.clip(page, 0, 255).astype(np.uint8)


def harsh_scan_pdf(pdf: Path, out: Path, seed: int, *, dpi: int = 200, grey: bool = False) -> Path:
    """Colour office scan of ``pdf`` (see the module docstring), pages as JPEG images;
    ``grey``: the scanner keeps only the luminance (the seal comes out grey, the signature
    darker still)."""
    import numpy as np
    from pdf2image import convert_from_path
    from PIL import Image

    rng = random.Random(seed)
    noise_rng = np.random.default_rng(seed)
    pages = [np.asarray(img.convert("RGB"), dtype=np.float32) / 255.0 for img in convert_from_path(str(pdf), dpi=dpi)]
    out_images = []
    for k, page in enumerate(pages):
        nxt = pages[k + 1] if k + 1 < len(pages) else pages[k - 1] if k else None
        arr = _harsh_page(page.copy(), None if nxt is None else nxt.mean(axis=2), rng, noise_rng)
        buf = io.BytesIO()
        image = Image.fromarray(arr, mode="RGB")
        (image.convert("L") if grey else image).save(buf, "JPEG", quality=rng.randint(60, 75))
        out_images.append(Image.open(io.BytesIO(buf.getvalue())))
    return _save_pdf(out_images, out, dpi)
