"""Scans: PDF pages without a usable text layer, and images (PNG, JPEG, TIFF incl. multi-page).

One page at a time (memory stays bounded: ``convert_from_path(first_page=i, last_page=i)``),
rendered in colour:

0. the image made ready (:mod:`extractors.scan_clean`): red stamps and blue signatures taken
   off a colour page, the paper made white under uneven light and show-through of the next
   page; a page whose text runs down the image (a landscape page scanned on a portrait glass,
   :mod:`extractors.text_direction`) is given a quarter turn, and a half turn more when OSD
   says the result is upside down;
1. skew: the angle of the long horizontal rulings (Hough transform on a morphological line
   mask), or, without rulings, of the text lines (minimum-area rectangles of line blobs),
   measured on a ~100 dpi copy; the page is rotated back when the angle is between 0.1° and 10°;
2. table grid: horizontal and vertical rulings found with OpenCV morphology (on a ~150 dpi
   copy; short gaps in a horizontal ruling closed; runs that lean, the strokes of a signature
   no colour told apart, are no rulings: :func:`_pen_strokes`); the white areas
   they enclose are the cells (spans from the grid of distinct edges); the rulings are erased
   before OCR so they are not read as "|" or "_", and so are seals and signatures that no
   colour told apart (grey and bilevel scans: :func:`extractors.scan_clean.drop_marks`);
3. words: ``tesseract ... tsv`` (``image_to_data``) with ``cfg.ocr_lang``, boxes converted to
   PDF points (72 / dpi per pixel) of the deskewed page, confidence in [0, 1]; cells left
   without a word but holding ink (a lone row number) are read again on their own, and the
   cells of a TT column that read as no row number (or one out of sequence) again with only
   digits and roman numerals allowed (:mod:`extractors.number_cells`);
4. orientation, only when the reading is doubtful (mean word confidence below
   :data:`OSD_SKIP_QUALITY`): tesseract OSD (``--psm 0``); a page printed sideways or upside
   down is turned upright and read again when OSD is confident, and the better reading kept;
5. lines and cells built from the words by :mod:`extractors.layout`; without rulings, a table
   is not guessed here (the text-dump appendix parser reads the lines).

Cost per page (``make bench``): one tesseract pass over the page plus, when some cell came
back empty, the re-read of those cells (tiny images).

tesseract runs single-threaded (its OpenMP threads would fight the process pool), in this
process or as a subprocess (``cfg.ocr_engine``, see :mod:`extractors.ocr_engine`).  A missing
tesseract, language pack or poppler raises :class:`MissingDependencyError` saying what to
install.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
import shutil
from pathlib import Path

from extractors import number_cells, ocr_engine, scan_clean, text_direction
from extractors.layout import TableGrid, Word, assemble_page, cells_from_boxes
from extractors.page_size import image_dpi, page_scale
from normalizers.ocr_correct import correct_ocr_words, wants_readings
from normalizers.quality import en_dashes
from pipeline.config import Config
from pipeline.errors import ExtractionError, InputFileError, MissingDependencyError
from pipeline.model import Document, Page

__all__ = [
    "extract", "extract_image", "ocr_pdf_page", "ocr_pdf_regions", "ocr_image", "read_image", "run_tesseract_data", "run_tesseract_osd",
    "detect_skew", "detect_grid", "check_tesseract",
]

INSTALL_HINT = ocr_engine.INSTALL_HINT
#: image modes that may carry colour (stamps, signatures)
COLOUR_MODES = ("RGB", "RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV")
MIN_WORD_CONF = 0  # tesseract gives -1 for non-word boxes
OSD_MIN_CONFIDENCE = 2.0
#: tesseract page segmentation of the page pass: 3 (automatic layout).  A single uniform
#: block (psm 6) is faster but loses the right-hand columns of a table row.
PAGE_PSM = 3


# ---------------------------------------------------------------------------------------------
# tesseract (extractors.ocr_engine runs it)
# ---------------------------------------------------------------------------------------------


def check_tesseract(lang: str, engine: str = "auto") -> None:
    """Raise :class:`MissingDependencyError` unless the engine and every language of ``lang``
    ("vie", "vie+eng") are installed."""
    ocr_engine.check(lang, ocr_engine.resolve(engine))


def run_tesseract_data(image, lang: str, psm: int, engine: str = "auto", whitelist: str = "",
                       readings: bool = False, dpi: int = 0) -> dict:
    """``image_to_data``: word boxes (pixels), text and confidence (0-100) as lists of a dict
    (JSON-able; tests cache it by image hash and arguments); ``whitelist``: the only characters
    to read, when given.  ``readings`` (and no whitelist): ``choices`` holds per word row the
    readings tesseract weighed for each of its symbols (``[[text, confidence 0-1], ...]`` per
    symbol, best first; :func:`extractors.ocr_engine.tsv_choices`), None where the engine gives
    none (the command line) -- they cost the page pass about a tenth more.  ``dpi``: the image's
    resolution, given to tesseract (else it takes one of its own)."""
    engine = ocr_engine.resolve(engine)
    if readings and not whitelist:
        tsv, choices = ocr_engine.tsv_choices(image, lang, psm, engine, dpi)
    else:
        tsv, choices = ocr_engine.tsv(image, lang, psm, engine, whitelist, dpi), {}
    out: dict[str, list] = {k: [] for k in ("left", "top", "width", "height", "conf", "text", "block", "line",
                                            "choices")}
    for row in tsv.splitlines():
        parts = row.split("\t")
        if len(parts) < 12 or not parts[0].isdigit():
            continue  # the CLI's header row
        box = tuple(int(v) for v in parts[6:10])
        out["block"].append(int(parts[2]))
        out["line"].append(int(parts[4]))
        out["left"].append(box[0])
        out["top"].append(box[1])
        out["width"].append(box[2])
        out["height"].append(box[3])
        out["conf"].append(float(parts[10]))
        out["text"].append(parts[11])
        out["choices"].append(choices.get(box) if parts[11].strip() else None)
    return out


def run_tesseract_osd(image, engine: str = "auto") -> dict:
    """Orientation: ``{"rotate": degrees clockwise to make it upright, "confidence": float}``;
    ``{}`` when tesseract cannot tell (too little text)."""
    return ocr_engine.osd(image, ocr_engine.resolve(engine))


# ---------------------------------------------------------------------------------------------
# image geometry (OpenCV)
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _cv2():
    try:
        import cv2
    except ImportError as exc:
        raise MissingDependencyError("OpenCV is not installed; run: pip install opencv-python-headless") from exc
    # One thread, like tesseract: a worker is one core's share; pages and documents are the
    # parallelism (OpenCV's own threads would oversubscribe the pool's cores).
    cv2.setNumThreads(1)
    return cv2


def _binary(gray):
    cv2 = _cv2()
    # Ink = 255.  Otsu copes with grey paper and mild noise.
    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    _, bw = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw


#: skew is measured on a copy at most this wide (pixels; ~100 dpi for A4)
SKEW_MAX_WIDTH_PX = 1240
#: rulings voted for the skew angle (the strongest Hough lines)
HOUGH_TOP_LINES = 12
#: rulings and cells are found on a copy of about this resolution (dpi); cell edges stay
#: within a pixel of the full page's (~0.5 pt), at a quarter of the cost
GRID_DPI = 150.0
#: shortest ruling kept, in points: longer than any stroke of 9-14 pt text, shorter than the
#: narrowest column (a TT column is ~25 pt) and the lowest row (one line + padding, ~15 pt)
MIN_HRULE_PT = 15.0
MIN_VRULE_PT = 11.0
#: gaps in a horizontal ruling up to this long (points) are closed: where a stamp crossed it or
#: the scan broke it (a gap left open runs the two rows' cells of that column together); a
#: merged cell leaves a gap as wide as its column, 25 pt and more
RULING_GAP_PT = 8.0


def _px_len(pt: float, dpi: float) -> int:
    """A ruling's shortest length in pixels."""
    return max(10, int(round(pt * dpi / 72.0)))


def _line_masks(bw, dpi: float, h_pt: float = MIN_HRULE_PT, v_pt: float = MIN_VRULE_PT):
    """The horizontal and vertical straight runs of ``bw`` (ink > 0) at least ``h_pt`` and
    ``v_pt`` points long."""
    cv2 = _cv2()
    kh, kv = _px_len(h_pt, dpi), _px_len(v_pt, dpi)
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kh, 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, kv)))
    return horiz, vert


#: a vertical ruling at least this long (points: two rows of text) is a column boundary for sure
LONG_VRULE_PT = 28.0
#: a shorter one lining up with a sure boundary within this much (points) is the same boundary
VRULE_ALIGN_PT = 3.0


#: a straight run found by the opening whose pixels lean more than this (offset across per
#: pixel along: about 3 degrees) is a pen stroke, not a ruling
MAX_RULING_SLANT = 0.05
#: ... and so is one shorter than :data:`MAX_STROKE_IN` inches whose centre, its lean aside,
#: wanders over more than this many pixels: the upright side of a signature's loop or of a
#: seal's ring, a row's height long (a ruling's centre keeps to a pixel; a long one a little
#: askew steps by two)
MAX_RULING_WOBBLE_PX = 2.0
MAX_STROKE_IN = 2.0
#: the part of a pen stroke's run within this many pixels of its most inked column is a ruling
#: the stroke crossed when it stands straight there (its centre moving at most
#: :data:`RULING_STILL_PX`) over a ruling's shortest length
RULING_BAND_PX = 2
RULING_STILL_PX = 1.5


def _centres(sub):
    """(rows holding ink, the ink's mean column in each) of a boolean component crop."""
    import numpy as np

    rows = np.nonzero(sub.any(axis=1))[0]
    cols = np.arange(sub.shape[1], dtype=np.float64)
    inked = sub[rows]
    return rows, (inked * cols).sum(axis=1) / inked.sum(axis=1)


def _pen_strokes(mask, min_len: int, dpi: float):
    """``mask`` (vertical runs found by the opening; pass the transpose for horizontal ones)
    without the runs of pen strokes and rings: a signature written across a table on a grey or
    bilevel scan, where no colour tells its ink from the rulings', has steep strokes and
    upright loops as long as a row is tall, and so has a seal's ring where it stands upright,
    which would split the cells they cross.  A ruling of the deskewed page stands straight and
    still: the slope of its pixels' column against their row is about 0 (under 0.01), a
    stroke's 0.07 and more (:data:`MAX_RULING_SLANT`), and its centre keeps to a pixel of its
    line where a loop's or a ring's wanders 2-8 (:data:`MAX_RULING_WOBBLE_PX`; runs of
    :data:`MAX_STROKE_IN` and longer are rulings a stroke crossed).  Where a stroke crossed a
    ruling the two are one run: the ruling's straight part (:data:`RULING_BAND_PX` about the
    most inked column, its centre still, at least ``min_len`` long) stays."""
    import numpy as np

    cv2 = _cv2()
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = None
    for k in range(1, n):
        x, y, w, h, _a = stats[k]
        if w <= 1:
            continue  # one pixel wide: straight and still
        sub = labels[y:y + h, x:x + w] == k
        rows, centre = _centres(sub)
        slope, icpt = np.polyfit(rows, centre, 1)
        if abs(slope) <= MAX_RULING_SLANT and (
                h >= MAX_STROKE_IN * dpi or np.ptp(centre - (slope * rows + icpt)) <= MAX_RULING_WOBBLE_PX):
            continue
        if out is None:
            out = mask.copy()
        out[y:y + h, x:x + w][sub] = 0
        best = int(np.argmax(sub.sum(axis=0)))
        lo, hi = max(0, best - RULING_BAND_PX), min(w, best + RULING_BAND_PX + 1)
        band = np.zeros_like(sub)
        band[:, lo:hi] = sub[:, lo:hi]
        rows, centre = _centres(band)
        if len(rows) >= min_len and np.ptp(centre) <= RULING_STILL_PX:
            out[y:y + h, x:x + w][band] = 255
    return mask if out is None else out


def _without_pen_strokes(horiz, vert, dpi: float):
    """The horizontal and vertical runs of :func:`_line_masks` without the runs of pen strokes
    and rings (:func:`_pen_strokes`), and those runs: they bound no cell, but are erased with
    the rulings before OCR."""
    import numpy as np

    cv2 = _cv2()
    straight_h = np.ascontiguousarray(_pen_strokes(np.ascontiguousarray(horiz.T), _px_len(MIN_HRULE_PT, dpi), dpi).T)
    straight_v = _pen_strokes(vert, _px_len(MIN_VRULE_PT, dpi), dpi)
    strokes = cv2.bitwise_or(cv2.subtract(horiz, straight_h), cv2.subtract(vert, straight_v))
    return straight_h, straight_v, strokes


def _glyph_stems(vert, dpi: float):
    """``vert`` (vertical rulings found by the opening) without the strokes of letters: a
    bold "ị" or "Ị" with its dots fused to the stem by the scan stands as tall as a one-line
    header row and would split the cell ("Đơn v" | "phối hợp") into two columns.  A short
    vertical that lines up with no long one, and has no other vertical right above or below
    it (a ruling a speck broke), is dropped.  Pages without a long vertical (a table of one
    row) are left as they are."""
    import numpy as np

    cv2 = _cv2()
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    if n <= 2:
        return vert
    long_px = LONG_VRULE_PT * dpi / 72.0
    tol = VRULE_ALIGN_PT * dpi / 72.0
    xs = stats[1:, 0] + stats[1:, 2] / 2.0
    tall = stats[1:, 3] >= long_px
    if not tall.any():
        return vert
    sure = xs[tall]
    tops, bottoms = stats[1:, 1], stats[1:, 1] + stats[1:, 3]
    drop = []
    for k in np.nonzero(~tall)[0]:
        if np.abs(sure - xs[k]).min() <= tol:
            continue
        top, bottom = tops[k], bottoms[k]
        above = (bottoms <= top + 2) & (bottoms >= top - tol)
        below = (tops >= bottom - 2) & (tops <= bottom + tol)
        near = (np.abs(xs - xs[k]) <= tol) & (above | below)
        near[k] = False
        if not near.any():
            drop.append(k + 1)
    if not drop:
        return vert
    out = vert.copy()
    for k in drop:
        x, y, w, h, _ = stats[k]
        box = out[y:y + h, x:x + w]
        box[labels[y:y + h, x:x + w] == k] = 0
    return out


def detect_skew(gray) -> float:
    """Skew angle of a page in degrees (positive = the content is rotated counter-clockwise),
    from long horizontal rulings when there are some, else from text-line blobs; 0.0 when
    unsure.  Only angles within ±10° are considered."""
    import numpy as np

    cv2 = _cv2()
    # Angles do not depend on the scale: measure on a ~100 dpi copy (Hough on a 300 dpi page
    # costs more than half a second).
    if gray.shape[1] > SKEW_MAX_WIDTH_PX:
        f = SKEW_MAX_WIDTH_PX / gray.shape[1]
        gray = cv2.resize(gray, (SKEW_MAX_WIDTH_PX, max(1, int(round(gray.shape[0] * f)))),
                          interpolation=cv2.INTER_AREA)
    bw = _binary(gray)
    h, w = bw.shape
    # Rulings tilted by a degree break up under a strict 1-pixel-high opening; a short, wide
    # kernel keeps their pieces, and Hough joins them.
    pieces = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, w // 60), 1)))
    # Standard Hough restricted to near-horizontal lines (±10°): a tenth of the angle bins of
    # a full sweep.  A ruling a few pixels thick votes for neighbouring angles too, so the
    # angle is the vote-weighted mean of the strong lines around the strongest one.
    lines = cv2.HoughLinesWithAccumulator(pieces, 1, np.pi / 1800, threshold=max(50, w // 4),
                                          min_theta=np.pi / 2 - np.radians(10),
                                          max_theta=np.pi / 2 + np.radians(10))
    angles: list[float] = []
    weights: list[float] = []
    if lines is not None and len(lines):  # OpenCV may return an empty array for "none"
        found = np.asarray(lines).reshape(-1, 3)[:HOUGH_TOP_LINES]
        best = float(np.degrees(found[0][1])) - 90.0  # the line's slope angle, y downwards
        for _, theta, votes in found:
            a = float(np.degrees(theta)) - 90.0
            if abs(a - best) <= 0.35 and abs(a) <= 10:
                angles.append(a)
                weights.append(float(votes))
        if len(angles) >= 2:
            return sum(a * v for a, v in zip(angles, weights)) / sum(weights)
    if len(angles) < 2:
        # Text lines: smear words into line blobs and take their orientation.
        smear = cv2.dilate(bw, cv2.getStructuringElement(cv2.MORPH_RECT, (max(9, w // 80), 1)))
        n, _, stats, _ = cv2.connectedComponentsWithStats(smear, connectivity=8)
        contours, _ = cv2.findContours(smear, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            (cx, cy), (rw, rh), a = cv2.minAreaRect(c)
            if rw < rh:
                rw, rh = rh, rw
                a = a - 90
            if rw < w / 8 or rh < 3 or rw < 8 * rh:
                continue
            a = ((a + 45) % 90) - 45
            if abs(a) <= 10:
                angles.append(float(a))
                weights.append(float(rw))
    if not angles:
        return 0.0
    order = sorted(range(len(angles)), key=lambda i: angles[i])
    total = sum(weights)
    acc = 0.0
    for i in order:  # weighted median
        acc += weights[i]
        if acc >= total / 2:
            return angles[i]
    return 0.0


def _rotate(gray, angle: float):
    cv2 = _cv2()
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _attached_rules(horiz, vert):
    """Keep the horizontal rulings that meet a vertical one at an end (or run across a third
    of the page): a line of bold text can fuse into a horizontal bar as long as a narrow cell
    is wide, but it never ends on a vertical ruling."""
    import numpy as np

    cv2 = _cv2()
    h, w = horiz.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    m = 3
    for k in range(1, n):
        x, y, bw_, bh, _ = stats[k]
        if bw_ >= w / 3:
            keep[k] = True
            continue
        y0, y1 = max(0, y - m), min(h, y + bh + m)
        left = vert[y0:y1, max(0, x - m):min(w, x + m + 1)]
        right = vert[y0:y1, max(0, x + bw_ - 1 - m):min(w, x + bw_ + m)]
        keep[k] = bool(left.any() or right.any())
    if keep[1:].all():
        return horiz
    out = horiz.copy()
    for k in np.nonzero(~keep[1:])[0] + 1:  # only the few dropped bars, inside their boxes
        x, y, bw_, bh, _ = stats[k]
        box = out[y:y + bh, x:x + bw_]
        box[labels[y:y + bh, x:x + bw_] == k] = 0
    return out


#: a gap in a ruling up to this long (points) is closed when a ruling ends inside a cell there:
#: a stamp's width (35-50 mm) of ruling faded by the ink removed over it, or broken by the scan; a real
#: table's ruling ends only where it meets a crossing one (a merged cell's wall to wall)
STAMP_GAP_PT = 150.0
#: ... and when the gap starts at a crossing ruling, at least this long (points): a piece that
#: ends closer is a letter's stroke touching the ruling's line, not the ruling
STAMP_MIN_GAP_PT = 12.0


def _bridged(lines, across, dpi: float, elsewhere: bool = False):
    """``lines`` (a mask of horizontal rulings; transpose both masks for vertical ones) with
    the gaps between two collinear pieces closed where a piece ends inside a cell: the two
    rows' (columns') cells there would otherwise read as one merged cell.  A gap is taken
    apart at the crossing rulings of ``across`` inside it, and each part is closed unless it
    runs wall to wall (a merged cell: a group row's title, a merged Nhiệm vụ cell) or from a
    wall to a piece fewer than :data:`STAMP_MIN_GAP_PT` on (a letter's stroke touching the
    ruling's line); no gap longer than :data:`STAMP_GAP_PT` is closed.  Both pieces must be
    rulings: at least :data:`LONG_VRULE_PT` long, or meeting a crossing ruling at their other
    end (a signature's stroke is short and floats inside a cell); with ``elsewhere`` (column
    rulings), the line must also be a long ruling somewhere (in other rows, or one of the two)."""
    import numpy as np

    cv2 = _cv2()
    n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    if n <= 2:
        return lines
    h, w = lines.shape
    m = 3
    max_gap = STAMP_GAP_PT * dpi / 72.0
    min_gap = STAMP_MIN_GAP_PT * dpi / 72.0
    long_px = LONG_VRULE_PT * dpi / 72.0

    def meets(x: int, y0: int, y1: int) -> bool:
        return bool(across[max(0, y0 - m):min(h, y1 + m), max(0, x - m):min(w, x + m + 1)].any())

    pieces = sorted((int(x), int(y), int(bw_), int(bh)) for x, y, bw_, bh, _ in stats[1:])
    out = None
    for i, (x, y, bw_, bh) in enumerate(pieces):
        right = x + bw_ - 1
        # the nearest piece to the right at the same height
        nxt = [(x2, y2, b2, h2) for x2, y2, b2, h2 in pieces[i + 1:]
               if x2 > right and y2 <= y + bh - 1 and y2 + h2 - 1 >= y]
        if not nxt:
            continue
        x2, y2, b2, h2 = min(nxt)
        if not 0 < x2 - right - 1 <= max_gap:
            continue
        if not ((bw_ >= long_px or meets(x, y, y + bh)) and (b2 >= long_px or meets(x2 + b2 - 1, y2, y2 + h2))):
            continue  # a piece that is no ruling: a stroke of a signature, short and meeting nothing
        if elsewhere and max(bw_, b2) < long_px and not any(
                b3 >= long_px and y3 <= y + bh + m and y3 + h3 >= y - m for x3, y3, b3, h3 in pieces):
            continue  # a column boundary is one in other rows too; a signature's stroke is not
        top, bottom = max(y, y2), min(y + bh, y2 + h2)
        crossing = np.flatnonzero(across[max(0, top - 1):min(h, bottom + 1), right + 1:x2].any(axis=0)) + right + 1
        # the gap's parts run between its ends and the crossing rulings inside it; a part's end
        # is a wall at a crossing ruling, or where its piece meets one
        stops = [right] + [int(c) for k, c in enumerate(crossing) if k == 0 or c > crossing[k - 1] + 1] + [x2]
        for k in range(len(stops) - 1):
            a, b = stops[k], stops[k + 1]
            walls = (k > 0 or meets(right, y, y + bh)) + (k < len(stops) - 2 or meets(x2, y2, y2 + h2))
            if walls == 2 or (walls == 1 and b - a - 1 < min_gap):
                continue
            if out is None:
                out = lines.copy()
            out[top:bottom, a:b + 1] = 255
    return lines if out is None else out


#: a table with at least this many rows can tell a wall of one row from a column boundary
LONE_WALL_MIN_ROWS = 4


def _without_lone_walls(cells: list[tuple[int, int, int, int]], tol: int) -> list[tuple[int, int, int, int]]:
    """Cell boxes (pixels) with the wall between two cells of one row merged away when no other
    row of the table has a cell edge there: a signature's stroke or a ruling's shadow that spans
    one row and would split the whole table into one more column (and so stop a table that
    runs on from the last page from continuing it).  A real column boundary runs through the
    rows below the header, and a header's sub-columns are the body's columns."""
    if len({c[1] for c in cells}) < LONE_WALL_MIN_ROWS:
        return cells
    lefts = [c[0] for c in cells]
    out: list[tuple[int, int, int, int] | None] = list(cells)
    for i, c in enumerate(cells):
        x, top, bottom = c[0], c[1], c[3]
        if sum(abs(v - x) <= tol for v in lefts) != 1:
            continue  # another cell starts here too: a column boundary
        # a cell of another row ending here makes it a boundary too
        ends_elsewhere = [k for k, e in enumerate(cells) if abs(e[2] - x) <= tol and abs(e[1] - top) > tol]
        # the one cell starting here: its left neighbour in the same row, wall to wall
        j = next((j for j, d in enumerate(out) if d is not None and j != i and abs(d[2] - x) <= 3 * tol
                  and abs(d[1] - top) <= tol and abs(d[3] - bottom) <= tol
                  and not any(k != j for k in ends_elsewhere)), None)
        if j is not None:
            d = out[j]
            out[j] = (d[0], min(d[1], top), c[2], max(d[3], bottom))
            out[i] = None
    return [c for c in out if c is not None]


def _shrink_dark(gray, f: int):
    """``gray`` shrunk ``f`` times, each pixel the darkest of its ``f x f`` block: a hairline
    ruling (one or two pixels of a 200 dpi scan, blurred by JPEG and the deskew) stays as dark
    as it is, where averaging the block would fade it under the threshold."""
    import numpy as np

    cv2 = _cv2()
    h, w = gray.shape
    darkest = cv2.erode(gray, np.ones((f, f), np.uint8))
    return np.ascontiguousarray(darkest[f // 2::f, f // 2::f][:h // f, :w // f])


def detect_grid(gray, dpi: float = 300.0, faint: bool = False) -> tuple[list[tuple[tuple[int, int, int, int], list[tuple[int, int, int, int]]]], object]:
    """Ruled tables of a (deskewed) page image: ``[(table_box, [cell_box, ...]), ...]`` in
    pixels ``(x0, top, x1, bottom)``, and the mask of the rulings (to erase before OCR).

    The rulings are found on a copy shrunk to about :data:`GRID_DPI`, each pixel the mean of
    its block.  ``faint``: the page is a cleaned office scan (:func:`extractors.scan_clean.page_gray`)
    whose hairline rulings JPEG and the light have faded; the copy then keeps the darkest
    pixel of each block.  So does it where that copy parts the tables into more cells: a
    hairline ruling of a scan made at a lower resolution (200 dpi, rasterized again at 300)
    faded in the mean (the wall between "TT" and "Nội dung" lost, and the table with it)."""
    f = max(1, int(round(dpi / GRID_DPI)))  # image dpi tags are often 299.9994
    if faint or f == 1:
        return _detect_grid(gray, dpi, f, dark=faint)
    mean = _detect_grid(gray, dpi, f, dark=False)
    dark = _detect_grid(gray, dpi, f, dark=True)
    cells = [sum(len(c) for _, c in found[0]) for found in (mean, dark)]
    return dark if len(dark[0]) >= len(mean[0]) and cells[1] > cells[0] else mean


def _detect_grid(gray, dpi: float, f: int, dark: bool):
    import numpy as np

    cv2 = _cv2()
    full_h, full_w = gray.shape
    if f > 1:
        gray = _shrink_dark(gray, f) if dark else cv2.resize(gray, (full_w // f, full_h // f),
                                                             interpolation=cv2.INTER_AREA)
    bw = _binary(gray)
    h, w = bw.shape
    horiz, vert, strokes = _without_pen_strokes(*_line_masks(bw, dpi / f), dpi / f)
    vert = _glyph_stems(vert, dpi / f)
    # A ruling broken by a speck of the scan (or where a stamp crossed it) is one ruling:
    # close the short gaps before telling rulings from bold text by where they end.
    gap = max(3, int(round(RULING_GAP_PT * dpi / f / 72.0)))
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    horiz = _attached_rules(horiz, vert)
    horiz = _bridged(horiz, vert, dpi / f)
    vert = _bridged(vert.T, horiz.T, dpi / f, elsewhere=True).T
    rulings = cv2.bitwise_or(cv2.bitwise_or(horiz, vert), strokes)  # what is erased: not the gap closing
    # Close small gaps where rulings cross or the scan broke them.
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    grid = cv2.bitwise_or(horiz, vert)
    tables = []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(grid, connectivity=8)
    for k in range(1, n):
        x, y, bw_, bh, area = stats[k]
        if bw_ < w / 5 or bh < 30 / f:
            continue
        sub = (labels[y:y + bh, x:x + bw_] == k).astype("uint8") * 255
        inv = cv2.bitwise_not(sub)
        m, _, cstats, _ = cv2.connectedComponentsWithStats(inv, connectivity=4)
        cells = []
        for j in range(1, m):
            cx, cy, cw, ch, carea = cstats[j]
            if cw < 8 / f or ch < 8 / f:
                continue
            if cx == 0 or cy == 0 or cx + cw >= bw_ or cy + ch >= bh:
                continue  # outside the outer border
            if carea < 0.5 * cw * ch:
                continue  # not a rectangle: a gap between rulings, not a cell
            cells.append((int(x + cx) * f, int(y + cy) * f, min(full_w, int(x + cx + cw) * f),
                          min(full_h, int(y + cy + ch) * f)))
        cells = _without_lone_walls(cells, max(2, int(round(2.5 * dpi / 72.0))))
        if len(cells) >= 2:
            tables.append(((int(x) * f, int(y) * f, min(full_w, int(x + bw_) * f), min(full_h, int(y + bh) * f)),
                           cells))
    if f > 1:
        # The grey fringe of a ruling is lighter than the Otsu threshold of the small copy:
        # widen the mask by a pixel of the copy so nothing of the ruling is left after erasing.
        rulings = cv2.dilate(rulings, np.ones((3, 3), np.uint8))
        rulings = cv2.resize(rulings, (full_w, full_h), interpolation=cv2.INTER_NEAREST)
    return tables, rulings


# ---------------------------------------------------------------------------------------------
# one page image -> Page
# ---------------------------------------------------------------------------------------------


def ocr_image(image, cfg: Config, *, number: int, first_line: int, dpi: float, width: float | None = None,
              height: float | None = None, page_scale: float = 1.0) -> Page:
    """OCR one page image (PIL) into a :class:`Page` whose boxes are PDF points
    (``72 / dpi * page_scale`` points per pixel: ``dpi`` is the image's pixels per printed
    inch, :func:`page_scale`) and whose lines are numbered from ``first_line``."""
    words, grids, (page_h, page_w), quality = read_image(image, cfg, dpi, page_scale=page_scale)
    scale = 72.0 / dpi * page_scale
    if width is None or height is None or (width > height) != (page_w > page_h):
        width, height = page_w * scale, page_h * scale
    return assemble_page(number, "ocr", words, grids, first_line, width=width, height=height, quality=quality)


def read_image(image, cfg: Config, dpi: float, origin: tuple[float, float] = (0.0, 0.0), page_scale: float = 1.0
               ) -> tuple[list[Word], list[TableGrid], tuple[int, int], float | None]:
    """OCR one image (PIL) of ``dpi`` pixels per printed inch: its words and table grids in PDF
    points (``page_scale`` page points per printed point, :func:`page_scale`; ``origin``, in page
    points, is added: the position of a region cut from a larger page), the (deskewed, upright)
    image shape in pixels and the mean word confidence.

    Orientation is only asked of tesseract (OSD, about half the cost of reading the page) when
    the upright reading is doubtful: a page read with a mean word confidence of at least
    :data:`OSD_SKIP_QUALITY` is upright."""
    import numpy as np

    engine = ocr_engine.resolve(cfg.ocr_engine)
    check_tesseract(cfg.ocr_lang, engine)
    gray, cleaned = scan_clean.page_gray(image, dpi)
    readings = wants_readings(cfg.ocr_lang, cfg.ocr_correct)  # the correction's prior
    as_scanned = gray
    if text_direction.runs_vertically(gray, dpi):
        gray = _turn_across(gray, engine)
    words, grids, shape = _read_page(gray, cfg.ocr_lang, dpi, engine, cleaned, readings)
    quality = _mean_conf(words)
    if gray is not as_scanned and (quality is None or quality < OSD_SKIP_QUALITY):
        # the lines running down the page were not its text (the show-through of a landscape
        # page behind a page of a few lines, a seal): the page as scanned is read too
        words2, grids2, shape2 = _read_page(as_scanned, cfg.ocr_lang, dpi, engine, cleaned, readings)
        quality2 = _mean_conf(words2)
        if _surer(quality2, quality):
            gray, words, grids, shape, quality = as_scanned, words2, grids2, shape2, quality2
    if quality is not None and quality < THICKEN_BELOW_QUALITY and scan_clean.thin_strokes(gray, dpi):
        # a bilevel scan thresholded dark: its strokes' cores, broken where thin, read again
        # thickened by a pixel; the surer reading is kept
        thick = scan_clean.thickened(gray)
        words2, grids2, shape2 = _read_page(thick, cfg.ocr_lang, dpi, engine, cleaned, readings)
        quality2 = _mean_conf(words2)
        if quality2 is not None and quality2 > quality:
            gray, words, grids, shape, quality = thick, words2, grids2, shape2, quality2
    few_doubtful = bool(words) and len(words) <= FEW_WORDS and quality < HALF_TURN_BELOW_QUALITY
    if words and (quality < OSD_SKIP_QUALITY or few_doubtful):
        from PIL import Image

        osd = run_tesseract_osd(Image.fromarray(gray), engine)
        rot = int(osd.get("rotate", 0) or 0) % 360
        sure = osd.get("confidence", 0.0) >= OSD_MIN_CONFIDENCE
        if not (rot and sure) and few_doubtful:
            # too few words for OSD to be sure (a signer's name alone), read so badly that the
            # page may be upside down: read turned too, the reading surer by a margin kept
            rot = 180
        if rot and (sure or rot == 180):
            # OSD's "Rotate" is clockwise; numpy's rot90 turns counter-clockwise.
            turned = np.ascontiguousarray(np.rot90(gray, k=-(rot // 90)))
            words2, grids2, shape2 = _read_page(turned, cfg.ocr_lang, dpi, engine, cleaned, readings)
            quality2 = _mean_conf(words2)
            if _surer(quality2, quality, 0.0 if sure else TURN_MARGIN):
                words, grids, shape, quality = words2, grids2, shape2, quality2
    words = correct_ocr_words(words, cfg.ocr_lang, cfg.ocr_correct)
    ox, oy = origin
    if ox or oy or page_scale != 1.0:
        k = page_scale
        words = [Word(w.text, w.x0 * k + ox, w.top * k + oy, w.x1 * k + ox, w.bottom * k + oy, w.confidence)
                 for w in words]
        grids = [TableGrid(bbox=_shift(g.bbox, ox, oy, k),
                           cells=tuple(dataclasses.replace(c, bbox=_shift(c.bbox, ox, oy, k)) for c in g.cells))
                 for g in grids]
    return words, grids, shape, quality


def _turn_across(gray, engine: str):
    """A page whose text runs down the image (:mod:`extractors.text_direction`) turned so that
    it runs across: a quarter turn clockwise, and a half turn more when OSD is confident the
    result is upside down."""
    import numpy as np
    from PIL import Image

    turned = np.ascontiguousarray(np.rot90(gray, k=-1))
    osd = run_tesseract_osd(Image.fromarray(turned), engine)
    if int(osd.get("rotate", 0) or 0) % 360 == 180 and osd.get("confidence", 0.0) >= OSD_MIN_CONFIDENCE:
        turned = np.ascontiguousarray(np.rot90(turned, k=2))
    return turned


def _shift(box, ox: float, oy: float, k: float = 1.0):
    return (box[0] * k + ox, box[1] * k + oy, box[2] * k + ox, box[3] * k + oy)


def ocr_pdf_regions(path: Path, data: bytes, number: int, cfg: Config, regions, width: float, height: float
                    ) -> tuple[list[Word], list[TableGrid], float | None]:
    """OCR the ``regions`` (PDF points) of PDF page ``number`` (``width`` x ``height`` points):
    words and grids in page points, and the mean word confidence over all of them."""
    if shutil.which("pdftoppm") is None:
        raise MissingDependencyError(f"poppler (pdftoppm) is not installed; run: {INSTALL_HINT}", path=str(path))
    scale = page_scale(width, height)
    render_dpi = cfg.ocr_dpi / scale
    image = _render_page(Path(path), data, number, render_dpi)
    k = render_dpi / 72.0
    words: list[Word] = []
    grids: list[TableGrid] = []
    try:
        for x0, top, x1, bottom in regions:
            box = (max(0, int(x0 * k)), max(0, int(top * k)), min(image.width, int(x1 * k) + 1),
                   min(image.height, int(bottom * k) + 1))
            if box[2] - box[0] < 8 or box[3] - box[1] < 8:
                continue
            with image.crop(box) as crop:
                w, g, _, _ = read_image(crop, cfg, cfg.ocr_dpi, origin=(box[0] / k, box[1] / k), page_scale=scale)
            words.extend(w)
            grids.extend(g)
    finally:
        image.close()
    return words, grids, _mean_conf(words)


#: mean word confidence from which a page counts as upright (OSD is skipped)
OSD_SKIP_QUALITY = 0.6
#: a page of at most FEW_WORDS words read under this mean confidence, which OSD cannot turn
#: (too little text), is read upside down too (a name alone upside down reads at 0.46-0.67,
#: upright at 0.97)
HALF_TURN_BELOW_QUALITY = 0.8
FEW_WORDS = 40
#: how much surer a reading that no confident OSD asked for must be to replace the first one
TURN_MARGIN = 0.15


def _surer(new: float | None, old: float | None, margin: float = 0.0) -> bool:
    """Whether a reading of mean word confidence ``new`` is surer than one of ``old`` (None: no
    word read) by more than ``margin``."""
    return new is not None and (old is None or new > old + margin)
#: a bilevel page with thin strokes (:func:`extractors.scan_clean.thin_strokes`) read with a
#: mean word confidence under this is read again thickened (crisp renders of thin fonts read at
#: 0.95 and more and are left alone; broken strokes read at 0.38-0.93).  Held-out pages
#: (``scripts/eval_ocr_correct.py``): see README, "Scans read with the Vietnamese model"
THICKEN_BELOW_QUALITY = 0.93


def _mean_conf(words: list[Word]) -> float | None:
    confs = [w.confidence for w in words if w.confidence is not None]
    return round(sum(confs) / len(confs), 4) if confs else None


def _read_page(gray, lang: str, dpi: float, engine: str, cleaned: bool = False, readings: bool = False
               ) -> tuple[list[Word], list[TableGrid], tuple[int, int]]:
    """Deskew, find the ruled tables, erase the rulings and marks and OCR one upright page image:
    words and table grids in points, and the (deskewed) image shape in pixels; ``cleaned``:
    the image is an office scan cleaned of inks and uneven paper (faint rulings)."""
    import numpy as np
    from PIL import Image

    cv2 = _cv2()
    angle = detect_skew(gray)
    if 0.1 <= abs(angle) <= 10:
        gray = _rotate(gray, angle)
    gray = scan_clean.drop_grey_seals(gray, dpi)
    tables_px, grid_mask = detect_grid(gray, dpi, faint=cleaned)
    clean = gray.copy()
    if tables_px:
        clean[cv2.dilate(grid_mask, np.ones((3, 3), np.uint8)) > 0] = 255
    clean = scan_clean.drop_marks(clean, dpi)
    data = run_tesseract_data(Image.fromarray(clean), lang, PAGE_PSM, engine, "", readings)
    scale = 72.0 / dpi
    words = _words(data, 0, 0, scale)
    if not words:
        # nothing read: tesseract, given no resolution, can take a page of a few lines for one
        # of 70 dpi and its letters for specks (a signer's name alone under a seal); told it
        data = run_tesseract_data(Image.fromarray(clean), lang, PAGE_PSM, engine, "", readings, round(dpi))
        words = _words(data, 0, 0, scale)
    words.extend(_reread_empty_cells(clean, tables_px, words, lang, scale, engine))
    words = _reread_number_cells(clean, tables_px, words, lang, scale, engine)
    grids = []
    for tbox, cells in tables_px:
        boxes = [tuple(v * scale for v in c) for c in cells]
        gcells = cells_from_boxes(boxes, tol=2.5)  # type: ignore[arg-type]
        if gcells:
            grids.append(TableGrid(bbox=tuple(v * scale for v in tbox), cells=tuple(gcells)))  # type: ignore[arg-type]
    return words, grids, gray.shape


def _words(data: dict, ox: float, oy: float, scale: float, keep=None) -> list[Word]:
    """tesseract TSV data (pixels, offset by ``ox, oy``) -> words in points; ``keep(cx, cy)``
    (pixels) filters by position."""
    out: list[Word] = []
    dashes = _dash_kinds(data)
    choices = data.get("choices")  # absent from results cached before the readings
    for k, (left, top, w, h, conf, text) in enumerate(zip(data["left"], data["top"], data["width"],
                                                          data["height"], data["conf"], data["text"])):
        text = text.strip()
        if not text or conf < MIN_WORD_CONF:
            continue
        if keep is not None and not keep(left + w / 2, top + h / 2):
            continue
        text = dashes.get(k) or _fix_dash(text)
        out.append(Word(text, (ox + left) * scale, (oy + top) * scale,
                        (ox + left + w) * scale, (oy + top + h) * scale,
                        confidence=max(0.0, min(1.0, conf / 100.0)),
                        alternatives=_letter_choices(text, choices[k] if choices else None)))
    return out


def _letter_choices(text: str, symbols) -> tuple | None:
    """The readings of each letter of ``text`` (``symbols``: the word's row of
    :func:`run_tesseract_data`'s "choices"), when tesseract read the word one symbol per
    letter; else None."""
    if not symbols or len(symbols) != len(text):
        return None
    return tuple(tuple((t, float(c)) for t, c in sym) for sym in symbols)


#: width of a lone dash's ink over the median height of its line's words from which it is an en
#: dash ("Tư pháp – Hộ tịch"), below it a hyphen ("2026 - 2030", "- Lồng ghép ..."): in the serif
#: faces of administrative documents a hyphen's ink is about 0.3 of a word's height, an en dash's
#: 0.55-0.75 (tesseract's ``vie`` model reads either as "-" or "—", whatever the page prints)
EN_DASH_WIDTH = 0.48
#: the same width below which a dash tesseract read as a long one ("—", "–") is a hyphen: the
#: height of a few words heavy with marks ("Tài chính") can bring an en dash's width under
#: :data:`EN_DASH_WIDTH`
HYPHEN_WIDTH = 0.34
#: the widest lone dash, over the same height, that is read so: wider ink is no dash
MAX_DASH_WIDTH = 1.5


def _dash_kinds(data: dict) -> dict[int, str]:
    """Word index -> the dash printed, for the words of tesseract TSV ``data`` that are one
    dash standing alone, told apart by the width of their ink against the height of the words
    of their line (at least two letters); a dash without such words beside it is left as read."""
    lines: dict[tuple[int, int], list[int]] = {}
    for k, text in enumerate(data["text"]):
        if text.strip():
            lines.setdefault((data["block"][k], data["line"][k]), []).append(k)
    out: dict[int, str] = {}
    for idx in lines.values():
        lone = [k for k in idx if data["text"][k].strip() in _DASHES]
        heights = sorted(data["height"][k] for k in idx if sum(ch.isalpha() for ch in data["text"][k]) >= 2)
        if not lone or not heights:
            continue
        height = heights[len(heights) // 2]
        for k in lone:
            ratio = data["width"][k] / max(height, 1)
            # a dash tesseract read as a long one is taken for one unless it is plainly short
            least = HYPHEN_WIDTH if data["text"][k].strip() in "–—" else EN_DASH_WIDTH
            if ratio <= MAX_DASH_WIDTH:
                out[k] = "–" if ratio >= least else "-"
    return out


_DASHES = frozenset("-–—")


def _fix_dash(text: str) -> str:
    # tesseract's Vietnamese model reads the en dash of "Tư pháp – Hộ tịch" as an em dash,
    # which Vietnamese administrative text does not use between words, or as a dash and a
    # hyphen ("—-", "-–"): one printed dash.
    if len(text) <= 3 and set(text) <= _DASHES:
        return en_dashes(f" {text} ").strip()
    # ... and sometimes starts the first word of a cell line with a straight apostrophe that is
    # not on the page ("'Văn phòng"); Vietnamese words never begin with one.
    if len(text) > 1 and text[0] == "'" and text[1].isalpha():
        return text[1:]
    return text


#: ink (square points) above which an empty-looking cell is re-read: about a small digit
MIN_CELL_INK_PT2 = 4.0
#: white space (pixels) around and between the cell crops of one re-read sheet
REREAD_PAD_PX = 24
#: page segmentation of a re-read: one block of lines
REREAD_PSM = 6
#: how the in-process engine reads one crop (page segmentation, white margin in pixels): as
#: a block, and as one line with a wide and a narrow margin.  A lone thin glyph ("1", "I")
#: comes back empty as a block and the margin sways "11" and "TT" either way; the reading with
#: the highest mean confidence is kept.
REREAD_VARIANTS = ((REREAD_PSM, REREAD_PAD_PX), (7, REREAD_PAD_PX), (7, 10))


def _reread_empty_cells(clean, tables_px, words: list[Word], lang: str, scale: float, engine: str
                        ) -> list[Word]:
    """Page segmentation drops short isolated text (a lone row number "2" in a narrow TT
    cell).  Cells that got no word but hold ink are cut out and read again: by the in-process
    engine one by one (:data:`REREAD_VARIANTS`), by the command line stacked one under the
    other on one white sheet and read as a block of lines (``--psm 6``) in a single call (one
    process start per page instead of one per cell)."""
    import numpy as np
    from PIL import Image

    crops: list[tuple[int, int, object]] = []  # (x offset, y offset on the page, tight crop)
    wx = np.array([w.cx / scale for w in words])
    wy = np.array([w.cy / scale for w in words])
    for _, cells in tables_px:
        for x0, y0, x1, y1 in cells:
            if np.any((wx >= x0) & (wx <= x1) & (wy >= y0) & (wy <= y1)):
                continue
            m = 4  # stay clear of the (erased) rulings
            crop = clean[y0 + m:y1 - m, x0 + m:x1 - m]
            if crop.size == 0:
                continue
            ink = crop < 128
            if ink.sum() < MIN_CELL_INK_PT2 / (scale * scale):
                continue
            ys = np.where(ink.any(axis=1))[0]
            xs = np.where(ink.any(axis=0))[0]
            cy0, cy1, cx0, cx1 = int(ys[0]), int(ys[-1]) + 1, int(xs[0]), int(xs[-1]) + 1
            if cy1 - cy0 < 6 or cx1 - cx0 < 3:
                continue  # specks
            crops.append((x0 + m + cx0, y0 + m + cy0, crop[cy0:cy1, cx0:cx1]))
    if not crops:
        return []
    pad = REREAD_PAD_PX
    if engine == "api":
        # No process to start per call: each crop alone on white, so that neighbouring crops
        # cannot run together into one misread line (an "8" read as "hủ" on a shared sheet),
        # read a few ways and the most confident reading kept (a crop is a few thousand pixels).
        extra: list[Word] = []
        for px, py, crop in crops:
            best: tuple[float, list[Word]] = (-1.0, [])
            for psm, vpad in REREAD_VARIANTS:
                data = run_tesseract_data(Image.fromarray(np.pad(crop, vpad, constant_values=255)), lang, psm,
                                          engine)
                found = _words(data, px - vpad, py - vpad, scale)
                quality = _mean_conf(found) or 0.0
                if quality > best[0]:
                    best = (quality, found)
            extra.extend(best[1])
        return extra
    sheet_w = max(c.shape[1] for _, _, c in crops) + 2 * pad  # type: ignore[attr-defined]
    sheet_h = sum(c.shape[0] for _, _, c in crops) + pad * (len(crops) + 1)  # type: ignore[attr-defined]
    sheet = np.full((sheet_h, sheet_w), 255, dtype=np.uint8)
    bands: list[tuple[int, int, int, int]] = []  # sheet top, sheet bottom, page x, page y
    y = pad
    for px, py, crop in crops:
        h, w = crop.shape  # type: ignore[attr-defined]
        sheet[y:y + h, pad:pad + w] = crop
        bands.append((y, y + h, px, py))
        y += h + pad
    data = run_tesseract_data(Image.fromarray(sheet), lang, REREAD_PSM, engine)
    extra = []
    for top, bottom, px, py in bands:
        extra.extend(_words(data, px - pad, py - top, scale,
                            keep=lambda cx, cy, top=top, bottom=bottom: top - pad / 2 <= cy <= bottom + pad / 2))
    return extra


#: how a row-number cell is read again (page segmentation, white margin in pixels, enlargement):
#: as one line and as a block, twice the size (at 200 dpi the page pass and a crop read "22"
#: as "2"), and as one line as it is
NUMBER_VARIANTS = ((7, REREAD_PAD_PX, 2), (6, REREAD_PAD_PX, 2), (7, REREAD_PAD_PX, 1))


def _reread_number_cells(clean, tables_px, words: list[Word], lang: str, scale: float, engine: str
                         ) -> list[Word]:
    """``words`` with the reading of every row-number cell (:mod:`extractors.number_cells`)
    that holds ink but no row number replaced by a reading with only digits, roman numerals
    and the dot allowed, when that reading is a row number (for a number out of sequence:
    the number the sequence expects)."""
    import numpy as np
    from PIL import Image

    replaced: list[Word] = []
    dropped: set[int] = set()
    cells = sorted(number_cells.number_cells(tables_px, scale), key=lambda c: (c[0] // 50, c[1]))
    inside = [[k for k, w in enumerate(words) if x0 <= w.cx / scale <= x1 and y0 <= w.cy / scale <= y1]
              for x0, y0, x1, y1 in cells]
    texts = [" ".join(words[k].text for k in ks) for ks in inside]
    suspect = set(number_cells.out_of_sequence(texts))
    for i, (x0, y0, x1, y1) in enumerate(cells):
        if i not in suspect and not number_cells.needs_reread(texts[i]):
            continue
        m = 4  # clear of the (erased) rulings
        crop = clean[y0 + m:y1 - m, x0 + m:x1 - m]
        ink = crop < 128
        if crop.size == 0 or ink.sum() < MIN_CELL_INK_PT2 / (scale * scale):
            continue
        ys, xs = np.where(ink.any(axis=1))[0], np.where(ink.any(axis=0))[0]
        crop = crop[ys[0]:ys[-1] + 1, xs[0]:xs[-1] + 1]
        best: tuple[float, list[Word]] = (-1.0, [])
        for psm, pad, k in NUMBER_VARIANTS:
            image = Image.fromarray(np.pad(crop, pad, constant_values=255))
            if k > 1:
                image = image.resize((image.width * k, image.height * k), Image.BICUBIC)
            data = run_tesseract_data(image, lang, psm, engine, number_cells.WHITELIST)
            found = _words(data, (x0 + m + int(xs[0]) - pad) * k, (y0 + m + int(ys[0]) - pad) * k, scale / k)
            quality = _mean_conf(found) or 0.0
            if number_cells.is_row_number("".join(w.text for w in found)) and quality > best[0]:
                best = (quality, found)
        got = number_cells.value("".join(w.text for w in best[1]))
        if best[1] and (i not in suspect or got == (number_cells.value(texts[i - 1]) or 0) + 1):
            dropped.update(inside[i])
            replaced.extend(best[1])
    if not replaced:
        return words
    return [w for k, w in enumerate(words) if k not in dropped] + replaced


def _render_page(path: Path, data: bytes, number: int, dpi: int):
    """Page ``number`` as an RGB image: the colour of stamps and signatures tells their ink
    from the text's (:mod:`extractors.scan_clean`)."""
    try:
        from pdf2image import convert_from_bytes, convert_from_path
        from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise MissingDependencyError("pdf2image is not installed; run: pip install pdf2image") from exc
    try:
        if path.exists():
            images = convert_from_path(str(path), dpi=dpi, first_page=number, last_page=number)
        else:
            images = convert_from_bytes(data, dpi=dpi, first_page=number, last_page=number)
    except PDFInfoNotInstalledError:
        raise MissingDependencyError(f"poppler (pdftoppm) is not installed; run: {INSTALL_HINT}",
                                     path=str(path)) from None
    except PDFPageCountError as exc:
        raise InputFileError(f"poppler cannot read the PDF: {exc}", path=str(path)) from None
    if not images:
        raise ExtractionError(f"poppler rendered no image for page {number}", path=str(path))
    return images[0]


def ocr_pdf_page(path: Path, data: bytes, number: int, cfg: Config, *, first_line: int,
                 width: float | None = None, height: float | None = None) -> Page:
    """Render PDF page ``number`` (1-based) at ``cfg.ocr_dpi`` pixels per printed inch
    (:func:`page_scale`) and OCR it."""
    if shutil.which("pdftoppm") is None:
        raise MissingDependencyError(f"poppler (pdftoppm) is not installed; run: {INSTALL_HINT}", path=str(path))
    scale = page_scale(width, height) if width and height else 1.0
    image = _render_page(Path(path), data, number, cfg.ocr_dpi / scale)
    try:
        return ocr_image(image, cfg, number=number, first_line=first_line, dpi=cfg.ocr_dpi, width=width,
                         height=height, page_scale=scale)
    finally:
        image.close()


def extract(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """OCR every page of a PDF (for scans; :mod:`extractors.pdf_text` decides per page)."""
    try:
        from pdf2image import pdfinfo_from_bytes
        from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError
    except ImportError as exc:  # pragma: no cover
        raise MissingDependencyError("pdf2image is not installed; run: pip install pdf2image") from exc
    try:
        count = int(pdfinfo_from_bytes(data)["Pages"])
    except PDFInfoNotInstalledError:
        raise MissingDependencyError(f"poppler (pdfinfo) is not installed; run: {INSTALL_HINT}",
                                     path=str(path)) from None
    except (PDFPageCountError, KeyError, ValueError) as exc:
        raise InputFileError(f"not a readable PDF: {exc}", path=str(path)) from None
    sizes = _page_sizes(data, count)
    pages: list[Page] = []
    n = 1
    for i in range(1, count + 1):
        page = ocr_pdf_page(path, data, i, cfg, first_line=n, width=sizes[i - 1][0], height=sizes[i - 1][1])
        pages.append(page)
        n += len(page.lines)
    return Document(source_path=str(path), source_sha256=sha256, source_format="pdf", pages=tuple(pages),
                    text_state="accented")


def _page_sizes(data: bytes, count: int) -> list[tuple[float | None, float | None]]:
    """Width and height (points) of each of the PDF's ``count`` pages, from one ``pdfinfo`` call;
    (None, None) for a page poppler does not size (it is rendered as it says)."""
    from pdf2image import pdfinfo_from_bytes

    try:
        info = pdfinfo_from_bytes(data, first_page=1, last_page=count)
    except Exception:  # noqa: BLE001 - sizes are a refinement: without them pages render as they say
        info = {}
    out: list[tuple[float | None, float | None]] = []
    for i in range(1, count + 1):
        nums = re.findall(r"[\d.]+", str(info.get(f"Page {i:4d} size") or ""))[:2]
        out.append((float(nums[0]), float(nums[1])) if len(nums) == 2 else (None, None))
    return out


def extract_image(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """OCR an image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF is a page)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise InputFileError(f"not a readable image: {exc}", path=str(path)) from None
    pages: list[Page] = []
    n = 1
    with img:
        for i, frame in enumerate(ImageSequence.Iterator(img), start=1):
            dpi = image_dpi(frame.size, frame.info.get("dpi"))
            # convert() makes the frame's own copy (the iterator reuses the image object).
            page = ocr_image(frame.convert("RGB" if frame.mode in COLOUR_MODES else "L"), cfg, number=i,
                             first_line=n, dpi=dpi)
            pages.append(page)
            n += len(page.lines)
    return Document(source_path=str(path), source_sha256=sha256, source_format="image", pages=tuple(pages))
