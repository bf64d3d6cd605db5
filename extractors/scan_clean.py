"""Scanned page images made ready for OCR: coloured inks taken off, the paper made white.

Office scans of signed plans carry a red round stamp and a blue signature over the text and
the table cells, lie on paper that is grey and unevenly lit, and show the next page through
(mirrored, faint).  :func:`page_gray` turns a page image (PIL, any mode) into the grey array
the OCR reads:

1. colour ink: on a colour page, pixels whose chroma (max - min of R, G, B) is high are ink of
   a stamp or a pen; their luminance is divided by the share of light the ink's colour lets
   through, so the ink fades into the paper while black text and rulings under it stay black;
2. background: the paper's brightness is estimated by a maximum filter over a coarse copy
   (text, ink and show-through are darker than the paper around them); unless the paper is
   light and even (a clean scan, left as it is), it is divided out, so the paper becomes
   white however the light fell, and what is lighter than :data:`WHITE_POINT` of the paper
   (show-through, the grey of the paper, specks) fades to white; darker ink keeps its
   darkness relative to the paper.
"""

from __future__ import annotations

import numpy as np

#: chroma (0-255) from which a pixel starts to count as coloured ink, and from which it is ink
#: outright (JPEG smears colour around black text up to ~20; stamp red and pen blue reach 100+)
INK_CHROMA_LOW = 28
INK_CHROMA_HIGH = 55
#: share of a page's pixels that must be coloured for the page to count as a colour page
COLOUR_PAGE_SHARE = 0.0005
#: coloured pixels are widened by this square (pixels) for the colour JPEG smears around a stroke
INK_FRINGE_PX = 3
#: the share of its own colour's light a stamp or pen ink lets through (at least)
INK_TRANSMISSION = 0.85
#: a pixel darker than this share of the paper is black text or a ruling, under ink or not
#: (stamp red lets through about 45 % of the light, pen blue 25-40 %)
BLACK_UNDER_INK = 0.08
#: the colour of the ink over a pixel is taken from a square this wide around it (points)
INK_COLOUR_PT = 1.5
#: the background is estimated at about this resolution (dpi), with a maximum filter this
#: wide (points): wider than any glyph or cell of text (about 4 mm)
BACKGROUND_DPI = 50.0
BACKGROUND_WINDOW_PT = 11.0
#: paper counts as even (no division) when its brightness (0-255) stays above this over the
#: page and varies by at most this much
EVEN_PAPER_MIN = 215
EVEN_PAPER_SPREAD = 20
#: brightness, relative to the paper, from which a pixel becomes white: faint show-through
#: and grey paper vanish, text (well under half the paper's brightness) stays
WHITE_POINT = 0.88
#: ... fading in from this brightness (darker pixels keep their brightness relative to the paper)
KNEE = 0.7


def _cv2():
    from extractors.pdf_ocr import _cv2 as cv2

    return cv2()


def page_gray(image, dpi: float) -> tuple[np.ndarray, bool]:
    """Grey uint8 array of a page image (PIL) with coloured ink taken off and the paper
    normalized to white, and whether anything was done (a colour page or uneven paper: an
    office scan, whose thin rulings are faint)."""
    if image.mode in ("L", "1", "I;16", "I"):
        rgb, gray = None, np.asarray(image.convert("L"), dtype=np.uint8)
    else:
        rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
        gray = _cv2().cvtColor(rgb, _cv2().COLOR_RGB2GRAY)
    background = estimate_background(gray, dpi)
    colour = rgb is not None and has_colour(rgb)
    if colour:
        gray = drop_colour_ink(rgb, gray, background, dpi)
    if even_paper(background):
        return gray, colour
    return _divide(gray, background), True


def even_paper(background: np.ndarray) -> bool:
    """Is the paper light and evenly lit (a clean scan, left as it is: the division would only
    shift the grey of the glyphs' edges, which OCR reads a little worse)?"""
    low, high = np.percentile(background[::8, ::8], (2, 98))
    return low >= EVEN_PAPER_MIN and high - low <= EVEN_PAPER_SPREAD


def has_colour(rgb: np.ndarray) -> bool:
    """Does the page carry coloured ink?  Checked on every fourth pixel each way."""
    small = rgb[::4, ::4].astype(np.int16)
    chroma = small.max(axis=2) - small.min(axis=2)
    return float((chroma >= INK_CHROMA_HIGH).mean()) >= COLOUR_PAGE_SHARE


def drop_colour_ink(rgb: np.ndarray, gray: np.ndarray, background: np.ndarray, dpi: float) -> np.ndarray:
    """``gray`` with the pixels of coloured ink (chroma ramping from :data:`INK_CHROMA_LOW` to
    :data:`INK_CHROMA_HIGH`, widened by a pixel for the colour JPEG smears around a stroke)
    replaced by what the ink hides, at most the paper's ``background``.

    What the ink hides: the pixel's luminance over the share of light the ink lets through,
    that share taken from the colour of the ink around the pixel (:data:`INK_COLOUR_PT`: JPEG keeps the
    luminance of every pixel but the colour only of 2 x 2 blocks, so a black ruling under red
    ink comes out of a JPEG pinkish while its luminance stays black), raised by
    :data:`INK_TRANSMISSION`."""
    cv2 = _cv2()
    r, g, b = cv2.split(rgb)
    brightest = cv2.max(cv2.max(r, g), b)
    chroma = cv2.subtract(brightest, cv2.min(cv2.min(r, g), b))
    coloured = np.clip((chroma.astype(np.float32) - INK_CHROMA_LOW) / (INK_CHROMA_HIGH - INK_CHROMA_LOW), 0, 1)
    weight = cv2.dilate(coloured, np.ones((INK_FRINGE_PX, INK_FRINGE_PX), np.uint8))
    k = max(3, int(round(INK_COLOUR_PT * dpi / 72.0)) | 1)
    # The ink's colour: the mean colour of the coloured pixels around (paper and black text
    # left out, so that a thin pen stroke keeps its full colour).
    inked = cv2.blur(coloured, (k, k)) + 1e-3
    ar, ag, ab = (cv2.blur(c.astype(np.float32) * coloured, (k, k)) / inked for c in (r, g, b))
    lum = 0.299 * ar + 0.587 * ag + 0.114 * ab
    share = lum / np.maximum(np.maximum(np.maximum(ar, ag), ab), 1.0)
    seen = gray.astype(np.float32) / np.maximum(share * INK_TRANSMISSION, 0.2)
    bg = background.astype(np.float32)
    seen = np.minimum(seen, bg)
    # Black is black under any ink: what is darker than any stamp or pen ink stays.
    ratio = gray.astype(np.float32) / np.maximum(bg, 1.0)
    weight *= np.clip((ratio - BLACK_UNDER_INK) / 0.1, 0.0, 1.0)
    out = gray.astype(np.float32) * (1.0 - weight) + seen * weight
    return np.clip(out, 0, 255).astype(np.uint8)


def estimate_background(gray: np.ndarray, dpi: float) -> np.ndarray:
    """The paper's brightness under every pixel (uint8, the page's shape): a maximum filter of
    :data:`BACKGROUND_WINDOW_PT` over a :data:`BACKGROUND_DPI` copy, smoothed."""
    cv2 = _cv2()
    h, w = gray.shape
    f = max(1.0, dpi / BACKGROUND_DPI)
    small = cv2.resize(gray, (max(1, int(w / f)), max(1, int(h / f))), interpolation=cv2.INTER_AREA)
    k = max(3, int(round(BACKGROUND_WINDOW_PT * BACKGROUND_DPI / 72.0)) | 1)
    bg = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.blur(bg, (k, k))
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


def _divide(gray: np.ndarray, background: np.ndarray) -> np.ndarray:
    """``gray`` over its ``background``: ink keeps its darkness relative to the paper (the
    weight of the strokes, which OCR needs to see the spaces between words), what is lighter
    than :data:`KNEE` fades to white at :data:`WHITE_POINT`."""
    ratio = np.minimum(gray.astype(np.float32) / np.maximum(background.astype(np.float32), 1.0), 1.0)
    fade = np.clip((ratio - KNEE) / (WHITE_POINT - KNEE), 0.0, 1.0)
    return np.clip((ratio + (1.0 - ratio) * fade) * 255.0, 0, 255).astype(np.uint8)
