"""Row-number cells of a scanned table: which cells hold the TT / STT column, and which of
their readings are no row number.

OCR of a whole page reads a lone "1" in a narrow cell as "l", "|" or nothing.  The cells of a
table's first column, when it is as narrow as a TT column, are read again with only digits,
roman numerals and the dot allowed (:data:`WHITELIST`, see ``pdf_ocr._reread_number_cells``)
unless what the page pass read is a row number already, or a header ("TT", "STT", "Số TT");
a number that breaks the sequence around it ("2" between "21" and "23") is read again too.
Pure.
"""

from __future__ import annotations

import re

#: a row number as printed: arabic (1-999) or roman (group rows), maybe with a dot
ROW_NUMBER = re.compile(r"(?:\d{1,3}|[IVXL]{1,6})\.?")
#: the characters a row-number cell is read with
WHITELIST = "0123456789IVXL."
#: a table's first column is a TT column when its cells are at most this wide (points)
MAX_WIDTH_PT = 50.0
#: letters OCR makes of a row number's digits and strokes ("l" for "1", "|" for "I")
MISREAD = set("IVXLilvx|!'`,.-–—_")


def is_row_number(text: str) -> bool:
    return ROW_NUMBER.fullmatch(text) is not None


def needs_reread(text: str) -> bool:
    """Whether a number cell read as ``text`` (its words joined) is read again: empty, or no
    row number and nothing but digits and the letters and strokes digits are misread as (a
    header word is left alone)."""
    text = "".join(text.split())
    if is_row_number(text):
        return False
    return all(ch.isdigit() or ch in MISREAD for ch in text)


def number_cells(tables: list[tuple[tuple[int, int, int, int], list[tuple[int, int, int, int]]]], scale: float
                 ) -> list[tuple[int, int, int, int]]:
    """The cells (pixels) of every table's first column when that column is at most
    :data:`MAX_WIDTH_PT` wide; ``scale``: points per pixel.  A cell spanning further columns
    (a group row's title) is not one of them."""
    out = []
    for _, cells in tables:
        if not cells:
            continue
        left = min(c[0] for c in cells)
        first = [c for c in cells if c[0] - left <= 3.0 / scale]  # within 3 points of the left edge
        if not first:
            continue
        narrowest = min(c[2] - c[0] for c in first)
        if narrowest * scale > MAX_WIDTH_PT:
            continue
        out.extend(c for c in first if c[2] - c[0] <= narrowest * 1.3 + 4)
    return out


def value(text: str) -> int | None:
    """The arabic number a cell reads ("12", "12."), else None."""
    text = "".join(text.split()).rstrip(".")
    return int(text) if text.isdigit() else None


def out_of_sequence(texts: list[str]) -> list[int]:
    """Indices of the readings (cells of one column, top to bottom) that are a number other
    than the one their neighbours frame (``21, 2, 23``: the ``2``)."""
    values = [value(t) for t in texts]
    out = []
    for k in range(1, len(values) - 1):
        before, here, after = values[k - 1], values[k], values[k + 1]
        if before is not None and after is not None and here is not None and after == before + 2 and here != before + 1:
            out.append(k)
    return out
