"""The printed size of a page whose file does not say it right.

An image file's resolution tag and a PDF page's size give the size of the sheet a scan was
made of, which the scan path measures in points (strokes, rulings, seals: see
:mod:`extractors.scan_clean` and :mod:`extractors.pdf_ocr`).  Apps and phones often write a
default instead ("72 dpi" on a 200 dpi scan, and a PDF page of 32 inches made of it); such a
size is known by being no paper's, and the page is then taken for an A4 sheet.
"""

from __future__ import annotations

__all__ = ["image_dpi", "page_scale"]


#: the short side of the paper a plan is printed on (A4, inches): a page whose size is no
#: paper's is taken for a sheet of it
PAGE_SHORT_IN = 8.27
#: the short side, in inches, of a page of a plausible size: A5 cut close to A3 with a margin.
#: A page's long side says nothing: exports of a long table make a page of one column's
#: width as tall as the table.  Outside it the size is a default, not the scan's ("72 dpi" on
#: a 200 dpi scan exported by an app or a phone: a page 23 inches wide, whose rulings and
#: strokes would be measured 2.8 times too large)
PLAUSIBLE_SHORT_IN = (5.0, 12.5)
#: the resolutions an image taken for an A4 page is given at least and at most (a crop of a page
#: without a tag is read as a 100 dpi scan, not as a page of less)
ESTIMATED_DPI = (100.0, 600.0)


def _plausible(short_in: float) -> bool:
    return PLAUSIBLE_SHORT_IN[0] <= short_in <= PLAUSIBLE_SHORT_IN[1]


def image_dpi(size: tuple[int, int], tag) -> float:
    """The resolution of an image file's page: its tag where that gives a page of a plausible size
    (:data:`PLAUSIBLE_SHORT_IN`), else as if the image were an A4 page (:data:`PAGE_SHORT_IN`,
    within :data:`ESTIMATED_DPI`)."""
    try:
        tagged = float(tag[0]) if tag else 0.0
    except (TypeError, ValueError, IndexError):
        tagged = 0.0
    short_px = min(size)
    if tagged > 0 and _plausible(short_px / tagged):
        return tagged
    return min(max(short_px / PAGE_SHORT_IN, ESTIMATED_DPI[0]), ESTIMATED_DPI[1])


def page_scale(width: float, height: float) -> float:
    """PDF points of a page per printed point: 1 for a page of a plausible size
    (:data:`PLAUSIBLE_SHORT_IN`); else the page is taken for an A4 sheet (:data:`PAGE_SHORT_IN`).
    A scan put into a PDF at a default resolution ("72 dpi": ImageMagick, phone apps) makes a
    page 23 inches wide or more; rendered at ``ocr_dpi`` per page inch it would be read with its
    rulings and strokes measured 2.8 times too large, and be rendered at eight times the pixels."""
    short_in = min(width, height) / 72.0
    if short_in <= 0 or _plausible(short_in):
        return 1.0
    return short_in / PAGE_SHORT_IN
