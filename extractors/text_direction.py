"""Which way a scanned page's text runs: along the image's rows, or down its columns.

A landscape appendix page laid on a portrait scanner comes out turned by 90° or 270°.  OCR of
such a page is not always poor enough to be noticed: tesseract finds the ruled cells and reads
sideways glyphs into confident junk.  The direction of the text lines tells it cheaply
(a few tens of milliseconds), before any OCR:

the ink of a ~100 dpi copy, rulings taken out, is smeared along the rows (gaps shorter than
:data:`SMEAR_PT` closed) and, apart, along the columns.  Smeared along the text, the letters of
a line run together into one long thin bar; smeared across it, the lines of a paragraph run
into a block, which is not thin.  The total length of the thin bars each way tells the
direction.
"""

from __future__ import annotations

import numpy as np

#: the copy the direction is measured on (dpi)
DIRECTION_DPI = 100.0
#: gaps closed by the smearing (points): between letters and words, about half an em
SMEAR_PT = 5.0
#: a bar counts when it is this many times longer than thick, and at least this long (points)
THIN = 4.0
MIN_BAR_PT = 30.0
#: the text runs vertically when the bars down the page are this many times longer (in all)
#: than those across, and at least this long (points) in all
MAJORITY = 3.0
MIN_TOTAL_PT = 600.0


def runs_vertically(gray: np.ndarray, dpi: float) -> bool:
    """True when the text of the page image (grey, dark ink on white) runs down the image
    (the content is turned by 90° or 270°); False when it runs across or cannot be told."""
    across, down = direction_votes(gray, dpi)
    return down >= MIN_TOTAL_PT and down > MAJORITY * across


def direction_votes(gray: np.ndarray, dpi: float) -> tuple[float, float]:
    """Total length (points) of the thin bars of smeared text running across and down a page
    image."""
    from extractors.pdf_ocr import _binary, _cv2

    cv2 = _cv2()
    h, w = gray.shape
    f = max(1.0, dpi / DIRECTION_DPI)
    small = cv2.resize(gray, (max(1, int(w / f)), max(1, int(h / f))), interpolation=cv2.INTER_AREA)
    bw = _binary(small)
    pt = DIRECTION_DPI / 72.0  # pixels per point
    longest = max(4, int(MIN_BAR_PT * pt))
    for kernel in ((longest, 1), (1, longest)):  # rulings out
        bw = cv2.subtract(bw, cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel)))
    k = max(2, int(round(SMEAR_PT * pt)))
    out = []
    for kernel, axis in (((k, 1), 0), ((1, k), 1)):
        smeared = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        _, _, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
        along, across = stats[1:, 2 + axis], stats[1:, 3 - axis]
        bars = (along >= THIN * across) & (along >= MIN_BAR_PT * pt)
        out.append(float(along[bars].sum()) / pt)
    return out[0], out[1]
