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
   darkness relative to the paper;
3. thin strokes: a bilevel scan whose threshold was set dark keeps only the cores of the
   strokes, broken where the ink was faint ("ng" of one pixel's width, a tone mark gone);
   tesseract reads such letters badly.  A bilevel page with strokes thinner than
   :data:`THIN_STROKE_PT` (:func:`thin_strokes`) that tesseract reads with doubt is read again
   thickened by a pixel (:func:`thickened`), and the surer reading is kept
   (:func:`extractors.pdf_ocr.read_image`).

On grey and bilevel scans no colour tells a seal or a signature from the text.  Once the page
is upright, :func:`drop_grey_seals` takes the round seals of a grey scan off before the table
grid is looked for (their arcs would read as rulings), and :func:`drop_marks` finds what is
left by its shape (wide, tall and sparse runs of ink) once the rulings are erased.
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


#: a bilevel page whose text strokes are thinner than this (points; ~0.9-1.4 on a clean scan,
#: 0.6-0.85 where a dark threshold broke them, and on crisp renders of thin fonts) has thin
#: strokes.  Chosen on 60 training pages (``scripts/make_vie_pairs.py``, split train, seed 7;
#: 0.78-0.9 gave the same gain)
THIN_STROKE_PT = 0.85
#: a page is bilevel when fewer than this share of its ink pixels (darker than 200) are grey
#: (50-200): 0-0.16 on bilevel scans, JPEG'd or not; 0.45 and more on grey and colour ones
BILEVEL_GREY_SHARE = 0.3
#: ink runs straight for this long (points) are rulings, left out of the stroke width
RULING_RUN_PT = 36.0


def stroke_width_pt(gray: np.ndarray, dpi: float) -> float | None:
    """The mean width of the page's text strokes in points (twice the ink's area over its
    edge pixels, rulings left out), or None for a page with next to no ink."""
    cv2 = _cv2()
    _, ink = cv2.threshold(gray, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    run = max(15, int(_px(RULING_RUN_PT, dpi)))
    rulings = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8)) | cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    ink = ink & (1 - rulings)
    area = int(ink.sum())
    edge = area - int(cv2.erode(ink, np.ones((3, 3), np.uint8)).sum())
    if edge < 1000:
        return None
    return 2.0 * area / edge * 72.0 / dpi


def bilevel(gray: np.ndarray) -> bool:
    """Is the page a bilevel scan (its ink black, few grey pixels: :data:`BILEVEL_GREY_SHARE`)?"""
    small = gray[::2, ::2]
    ink = int((small < 200).sum())
    return ink > 0 and int(((small > 50) & (small < 200)).sum()) < BILEVEL_GREY_SHARE * ink


def thin_strokes(gray: np.ndarray, dpi: float) -> bool:
    """Is ``gray`` a bilevel page whose text strokes are thin (:data:`THIN_STROKE_PT`)?"""
    if not bilevel(gray):
        return False
    width = stroke_width_pt(gray, dpi)
    return width is not None and width < THIN_STROKE_PT


def thickened(gray: np.ndarray) -> np.ndarray:
    """``gray`` with its dark strokes widened by a pixel (a 2 x 2 minimum filter)."""
    return _cv2().erode(gray, np.ones((2, 2), np.uint8))


def _cv2():
    from extractors.pdf_ocr import _cv2 as cv2

    return cv2()


def _px(pt: float, dpi: float) -> float:
    """``pt`` points in pixels at ``dpi``."""
    return pt * dpi / 72.0


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
    k = max(3, int(round(_px(INK_COLOUR_PT, dpi))) | 1)
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


#: a mark (stamp, signature, logo) spans at least this much both ways (points): far more than
#: any glyph or word of body text is tall (a 14 pt line is about 20 pt)
MARK_MIN_PT = 36.0
#: ... and at most this much either way (a round stamp is 30-45 mm, a signature up to ~10 cm)
MARK_MAX_PT = 288.0
#: a mark's pixels fill at most this share of its box (a ring or a pen stroke: text that runs
#: together over lines is denser)
MARK_MAX_FILL = 0.2
#: grey from which a pixel counts as ink for finding marks (0-255, paper white)
MARK_INK = 170
#: a mark lighter than the page's text by this much (grey scans: a red stamp comes out mid
#: grey) loses only its lighter pixels: the text under it is darker and stays
MARK_GREY_MARGIN = 50


def drop_marks(gray: np.ndarray, dpi: float) -> np.ndarray:
    """``gray`` (upright, rulings already taken off) with stamps and signatures that no colour
    told apart made white: on grey and bilevel scans a stamp's rings and a signature's strokes
    are as dark as text, and tesseract, taking them for a picture, drops the lines they cross.

    A mark is a connected run of ink whose box spans :data:`MARK_MIN_PT` to
    :data:`MARK_MAX_PT` both ways and which fills at most :data:`MARK_MAX_FILL` of it.  Its
    pixels become paper: on a grey scan, where the mark is clearly lighter than the text, every
    pixel in its box lighter than half way between the two (the seal's lettering too) but the
    grey edges of the darker text, so the text under a seal stays; on a bilevel scan, the rings
    of a seal (:func:`_mark_strokes`: the letters they cross stay) and the rest of the mark,
    with the letters it touches (a few letters, against the whole lines lost).  A bilevel
    seal's lettering, as black as text and standing apart, is left to OCR."""
    cv2 = _cv2()
    ink = (gray < MARK_INK).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    lo, hi = _px(MARK_MIN_PT, dpi), _px(MARK_MAX_PT, dpi)
    marks = [k for k in range(1, n)
             if lo <= stats[k, cv2.CC_STAT_WIDTH] <= hi and lo <= stats[k, cv2.CC_STAT_HEIGHT] <= hi
             and stats[k, cv2.CC_STAT_AREA] <= MARK_MAX_FILL * stats[k, cv2.CC_STAT_WIDTH] * stats[k, cv2.CC_STAT_HEIGHT]]
    if not marks:
        return gray
    text_level = float(np.percentile(gray[ink > 0], 5))
    out = gray.copy()
    for k in marks:
        x, y, w, h = (int(stats[k, c]) for c in (cv2.CC_STAT_LEFT, cv2.CC_STAT_TOP, cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT))
        box = out[y:y + h, x:x + w]
        mine = labels[y:y + h, x:x + w] == k
        level = float(np.median(box[mine]))
        if level >= text_level + MARK_GREY_MARGIN:
            # a grey mark: whatever in its box is as light (its lettering, standing apart
            # from the rings) goes too, but the grey edges of the darker text
            dark = (box <= (text_level + level) / 2.0).astype(np.uint8)
            mine = (box < MARK_INK) & (cv2.dilate(dark, np.ones((3, 3), np.uint8)) == 0)
        else:
            mine = _mark_strokes(mine, dpi)
        box[mine] = 255
    return out


#: grey below which a pixel is text or a ruling (a seal on a grey scan is lighter)
GREY_SEAL_DARK = 64
#: a seal's mid-grey ink is taken off out to this many ring bands past its fitted outer circle
#: (the stroke is wider than the band, and blurred: at 1 band its outer edge stayed, a grey arc
#: through the words beside the seal; scan_grey plans 1006-1017 rows 0.892 -> 0.919 at 3)
SEAL_REACH = 3.0
#: grey seals are looked for on a copy of about this resolution (dpi)
SEAL_HOUGH_DPI = 100.0
#: straight runs of ink at least this long (points) are rulings, kept where a seal crosses
#: them (a ring's stroke holds a straight run of at most 2 sqrt(2 r t): ~30 pt for a 40 mm
#: seal drawn 2 pt wide)
RULING_MIN_PT = 43.0
#: a ruling's pixels lie within this many pixels of its line (what deskewing leaves)
RULING_SLACK_PX = 3
#: a seal's outer ring is at most this many times as wide as its inner one
SEAL_OUTER = 1.8
#: Hough circles checked for a ring per page (the strongest first)
SEAL_CIRCLES = 8


def drop_grey_seals(gray: np.ndarray, dpi: float) -> np.ndarray:
    """``gray`` (upright) with the round seals of a grey scan made white before the table
    grid is looked for, on a page with rulings: the arcs of a ring, as straight as a short
    ruling over a row's height, would split the cells they cross.  The seal's ink is
    mid-grey: lighter than :data:`GREY_SEAL_DARK` and not the grey edge of darker text or
    rulings.  Its rings are found among the circles of a Hough transform of that ink (on a
    ~:data:`SEAL_HOUGH_DPI` copy) that hold a ring (:func:`_ring`); all the mid-grey ink
    inside the outer ring goes (the lettering and the star too), the text under it stays.
    Black seals (bilevel scans) cannot be told from the rulings they cross here:
    :func:`drop_marks` takes them off after the rulings."""
    from extractors.pdf_ocr import _line_masks

    cv2 = _cv2()
    dark = (gray < GREY_SEAL_DARK).astype(np.uint8)
    mid = (gray < MARK_INK) & (cv2.dilate(dark, np.ones((5, 5), np.uint8)) == 0)
    r_min, r_max = _px(RING_MIN_RADIUS_PT, dpi), _px(MARK_MAX_PT, dpi) / 2.0
    band = _px(RING_BAND_PT, dpi)
    if mid.sum() < RING_MIN_COVER * 2 * np.pi * r_min * band:
        return gray
    # the rulings it crosses stay whole (a thin ruling is as grey as the seal): the ink on the
    # lines and columns of the page's long straight runs, whose short pieces (a column's
    # ruling over one row between group rows) stand in line with them
    horiz, vert = _line_masks((gray < MARK_INK).astype(np.uint8), dpi, RULING_MIN_PT, RULING_MIN_PT)
    near = np.ones(2 * RULING_SLACK_PX + 1, np.uint8)
    on_rows = cv2.dilate(horiz.any(axis=1).astype(np.uint8)[:, None], near[:, None])[:, 0] > 0
    on_cols = cv2.dilate(vert.any(axis=0).astype(np.uint8)[None, :], near[None, :])[0] > 0
    if not on_cols.any():
        return gray  # no ruled table: no cells to split (drop_marks takes the seal off the text)
    f = max(1, int(round(dpi / SEAL_HOUGH_DPI)))
    h, w = gray.shape
    small = cv2.resize(mid.astype(np.uint8) * 255, (w // f, h // f), interpolation=cv2.INTER_AREA)
    circles = cv2.HoughCircles(cv2.GaussianBlur(small, (5, 5), 1.2), cv2.HOUGH_GRADIENT, dp=1,
                               minDist=r_min / f, param1=60, param2=30,
                               minRadius=int(r_min / f), maxRadius=int(r_max / f) + 1)
    if circles is None:
        return gray
    out = gray
    for cx, cy, r in circles[0][:SEAL_CIRCLES]:
        cx, cy, r = cx * f, cy * f, r * f
        reach = min(r_max, SEAL_OUTER * r) + 3 * band  # the outer ring, when this is the inner one
        x0, y0 = max(0, int(cx - reach)), max(0, int(cy - reach))
        x1, y1 = min(w, int(cx + reach) + 1), min(h, int(cy + reach) + 1)
        ys, xs = np.nonzero(mid[y0:y1, x0:x1])
        fit = _ring(xs + x0, ys + y0, (cx, cy, r), band, 2 * band)
        if fit is None:
            continue
        bx, by, br = fit
        for outer in np.arange(reach - 3 * band, br + 3 * band, -band):
            wider = _ring(xs + x0, ys + y0, (bx, by, outer), band, band)
            if wider is not None:
                bx, by, br = wider
                break
        yy, xx = np.mgrid[y0:y1, x0:x1]
        # the ink of the outer ring's stroke and its blur reaches past the fitted circle
        inside = (np.hypot(xx - bx, yy - by) <= br + SEAL_REACH * band) & mid[y0:y1, x0:x1]
        inside &= ~(on_rows[y0:y1, None] | on_cols[None, x0:x1])
        if out is gray:
            out = gray.copy()
        out[y0:y1, x0:x1][inside] = 255
    return out


#: a ring's pixels lie within this many points of its circle (half a stamp's stroke and a
#: little: the rings of a seal are 1-2 pt wide)
RING_BAND_PT = 1.8
#: a seal's ring is at least this wide (points; seals are 30-45 mm across, their inner ring
#: about two thirds of that): a signature's loops are smaller
RING_MIN_RADIUS_PT = 28.0
#: a circle is a ring of the mark when this share of its circumference is inked
RING_MIN_COVER = 0.6
#: a ring holds at least this many times the ink of a band as wide beside it
RING_CONTRAST = 3.0
#: circles tried per ring (random triples of the mark's pixels)
RING_TRIES = 300


def _near_circles(xs: np.ndarray, ys: np.ndarray, cx, cy, r, band: float) -> np.ndarray:
    """For each circle ``(cx[i], cy[i], r[i])``, how many of the points ``xs, ys`` lie within
    ``band`` of it."""
    d = np.hypot(xs[None, :] - np.asarray(cx, float)[:, None], ys[None, :] - np.asarray(cy, float)[:, None])
    return (np.abs(d - np.asarray(r, float)[:, None]) <= band).sum(axis=1)


def _ring(xs: np.ndarray, ys: np.ndarray, circle, band: float, slack: float = 0.0):
    """The circle ``(cx, cy, r)``, moved by up to ``slack`` pixels each way to where most of
    the ink pixels ``xs, ys`` lie within ``band`` of it, when it is a ring: inked along at
    least :data:`RING_MIN_COVER` of its circumference (counted per pixel of arc) and a thin
    line, the band beside it on one side at least holding :data:`RING_CONTRAST` times less ink
    (in text both hold as much); else None."""
    if len(xs) == 0:
        return None
    cx, cy, r = circle
    if slack:
        pick = np.random.default_rng(len(xs)).choice(len(xs), size=min(len(xs), 3000), replace=False)
        steps = np.arange(-slack, slack + 1e-6, max(1.0, band))
        dx, dy, dr = (a.ravel() for a in np.meshgrid(steps, steps, steps, indexing="ij"))
        best = int(np.argmax(_near_circles(xs[pick], ys[pick], cx + dx, cy + dy, r + dr, band)))
        cx, cy, r = cx + dx[best], cy + dy[best], r + dr[best]
    off = np.hypot(xs - cx, ys - cy) - r
    on = np.abs(off) <= band
    angles = np.arctan2(ys[on] - cy, xs[on] - cx)
    cover = len(np.unique(np.round(angles * r).astype(int))) / max(1.0, 2 * np.pi * r)
    # one side is clear at least (a seal's lettering runs just inside its outer ring)
    beside = 2 * min(int(((off > 2 * band) & (off <= 3 * band)).sum()), int(((off < -2 * band) & (off >= -3 * band)).sum()))
    if cover < RING_MIN_COVER or beside * RING_CONTRAST > on.sum():
        return None
    return cx, cy, r


def _rings(mine: np.ndarray, dpi: float) -> np.ndarray:
    """The pixels of ``mine`` (bool mask) on the rings of a round seal: circles of
    :data:`RING_MIN_RADIUS_PT` and more, fitted to random triples of its pixels (the one with
    most pixels near it), that are inked along most of their circumference and stand out from
    the ink beside them; up to three (outer and inner ring, a second seal)."""
    ys, xs = np.nonzero(mine)
    rng = np.random.default_rng(len(ys))
    band = _px(RING_BAND_PT, dpi)
    r_min, r_max = _px(RING_MIN_RADIUS_PT, dpi), _px(MARK_MAX_PT, dpi) / 2.0
    erase = np.zeros_like(mine)
    left = np.ones(len(ys), bool)
    for _ in range(3):  # outer and inner ring, a second seal
        idx = np.flatnonzero(left)
        if len(idx) < 50:
            break
        pick = rng.choice(idx, size=(RING_TRIES, 3))
        x1, y1 = xs[pick[:, 0]].astype(float), ys[pick[:, 0]].astype(float)
        x2, y2 = xs[pick[:, 1]].astype(float), ys[pick[:, 1]].astype(float)
        x3, y3 = xs[pick[:, 2]].astype(float), ys[pick[:, 2]].astype(float)
        d = 2 * (x1 * (y2 - y3) + x2 * (y3 - y1) + x3 * (y1 - y2))
        ok = np.abs(d) > 1e-6
        d = np.where(ok, d, 1.0)
        s1, s2, s3 = x1 ** 2 + y1 ** 2, x2 ** 2 + y2 ** 2, x3 ** 2 + y3 ** 2
        cx = (s1 * (y2 - y3) + s2 * (y3 - y1) + s3 * (y1 - y2)) / d
        cy = (s1 * (x3 - x2) + s2 * (x1 - x3) + s3 * (x2 - x1)) / d
        r = np.hypot(x1 - cx, y1 - cy)
        sample = rng.choice(idx, size=min(len(idx), 1500), replace=False)
        ks = np.flatnonzero(ok & (r >= r_min) & (r <= r_max))
        if not len(ks):
            break
        k = ks[int(np.argmax(_near_circles(xs[sample], ys[sample], cx[ks], cy[ks], r[ks], band)))]
        fit = _ring(xs[idx], ys[idx], (cx[k], cy[k], r[k]), band)
        if fit is None:
            break
        on_ring = np.abs(np.hypot(xs - fit[0], ys - fit[1]) - fit[2]) <= band
        erase[ys[on_ring], xs[on_ring]] = True
        left &= ~on_ring
    return erase


def _mark_strokes(mine: np.ndarray, dpi: float) -> np.ndarray:
    """The pixels of a dark mark (bool mask of its box) to make paper: the rings of a round
    seal (:func:`_rings`), and what is left of the mark that still spans as a mark does (a
    signature, a star); the letters the rings crossed stay.  Without rings, the whole mark."""
    cv2 = _cv2()
    erase = _rings(mine, dpi)
    if not erase.any():
        return mine
    span = _px(MARK_MIN_PT, dpi)
    rest = (mine & ~erase).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    for k in range(1, n):
        if min(stats[k, cv2.CC_STAT_WIDTH], stats[k, cv2.CC_STAT_HEIGHT]) >= span:
            erase |= labels == k  # more of the mark: a signature, a bar across the seal
    return erase
