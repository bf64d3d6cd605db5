"""PDFs: the text layer where it is good, OCR where it is missing or garbage, decided per page.

For every page :func:`choose_page_method` (the one place where that decision is made)
measures the text layer: a page with fewer than :data:`MIN_TEXT_CHARS` characters, or whose
words are mostly not Vietnamese syllables / plain words (a font with a wrong ToUnicode map,
a legacy TCVN3/VNI font, a bad OCR layer), is OCR'd by :mod:`extractors.pdf_ocr`; any other
page is read from its text layer with pdfplumber.  The method is recorded per page
(``"text_layer"`` or ``"ocr"``), with the measured quality in ``Page.quality``.

Text-layer pages: words with boxes (pdfplumber), one :class:`~pipeline.model.Line` per visual
line; tables are found by their ruling lines (pdfplumber ``find_tables``), merged cells get
spans from the grid of distinct cell edges, and the text inside a table is emitted cell by
cell (see :mod:`extractors.layout`).  Boxes are in PDF points, origin top-left.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from extractors.layout import TableGrid, Word, assemble_page, cells_from_boxes
from pipeline.config import Config
from pipeline.errors import InputFileError, MissingDependencyError
from pipeline.model import Document, Page

__all__ = ["extract", "choose_page_method", "text_quality", "page_words", "page_tables", "MIN_TEXT_CHARS",
           "MIN_QUALITY"]

#: fewer non-space characters than this on a page: no usable text layer
MIN_TEXT_CHARS = 20
#: share of plausible words below which a text layer is garbage
MIN_QUALITY = 0.6

_TOKEN_RE = re.compile(r"[^\W\d_]+")
_ACRONYM_RE = re.compile(r"^[A-ZĐ]{2,8}$")
_PLAIN_RE = re.compile(r"^[A-Za-z]+$")

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}


def text_quality(text: str) -> float:
    """Share of the letter tokens of ``text`` that are plausible: well-formed Vietnamese
    syllables, upper-case acronyms (UBND, QPPL) or plain ASCII words; 1.0 when there are
    no letter tokens.  Garbage from a broken font map scores far below 0.5."""
    from normalizers.encodings import is_valid_syllable

    tokens = _TOKEN_RE.findall(unicodedata.normalize("NFC", text))
    if not tokens:
        return 1.0
    good = 0
    for t in tokens:
        if is_valid_syllable(t) or _ACRONYM_RE.match(t) or (len(t) <= 12 and _PLAIN_RE.match(t) and (
                t.islower() or t.istitle() or t.isupper())):
            good += 1
    # Odd characters inside words (control, private use, symbols) count against the page too.
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn", "So") and ch not in "\n\t")
    return max(0.0, good / len(tokens) - odd / max(1, len(text)))


def choose_page_method(text: str, *, image_coverage: float = 0.0) -> tuple[str, float | None]:
    """Decide how to read one PDF page: ``("text_layer", quality)`` or ``("ocr", quality)``.

    ``text`` is the page's text layer, ``image_coverage`` the share of the page covered by
    images.  No text layer (or a few stray characters on a scanned page) -> OCR; a text layer
    whose words are mostly implausible -> OCR; otherwise the text layer.
    """
    chars = len("".join(text.split()))
    if chars < MIN_TEXT_CHARS:
        return "ocr", None
    quality = round(text_quality(text), 4)
    if quality < MIN_QUALITY:
        return "ocr", quality
    if image_coverage > 0.8 and chars < 200:
        return "ocr", quality  # a scan with a stamp or a page number as its only text
    return "text_layer", quality


def page_words(page) -> list[Word]:
    """pdfplumber page -> words with boxes (points), NFC text."""
    out = []
    for w in page.extract_words(x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False, use_text_flow=False):
        text = unicodedata.normalize("NFC", w["text"]).replace("\u00a0", " ").strip()
        if text:
            out.append(Word(text, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])))
    return out


def page_tables(page) -> list[TableGrid]:
    """Ruled tables of a pdfplumber page as grids with spans (at least 2 rows and 2 columns)."""
    out = []
    for t in page.find_tables(TABLE_SETTINGS):
        boxes = [tuple(float(v) for v in c) for c in t.cells]
        cells = cells_from_boxes(boxes)  # type: ignore[arg-type]
        if not cells:
            continue
        nrows = max(c.row + c.row_span for c in cells)
        ncols = max(c.col + c.col_span for c in cells)
        if nrows < 2 or ncols < 2:
            continue
        out.append(TableGrid(bbox=tuple(float(v) for v in t.bbox), cells=tuple(cells)))  # type: ignore[arg-type]
    return out


def _image_coverage(page) -> float:
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for im in page.images:
        w = max(0.0, min(float(im["x1"]), float(page.width)) - max(0.0, float(im["x0"])))
        h = max(0.0, min(float(im["bottom"]), float(page.height)) - max(0.0, float(im["top"])))
        covered += w * h
    return min(1.0, covered / area)


def extract(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract a PDF already read into ``data``: text layer or OCR, page by page."""
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise MissingDependencyError("pdfplumber is not installed; run: pip install pdfplumber",
                                     path=str(path)) from exc
    pages: list[Page] = []
    next_line = 1
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        plumber_pages = pdf.pages
    except (PDFSyntaxError, Exception) as exc:  # noqa: BLE001 - pdfminer raises many kinds
        raise InputFileError(f"not a readable PDF ({type(exc).__name__}: {exc}); check that the file is "
                             "complete", path=str(path)) from None
    with pdf:
        if not plumber_pages:
            raise InputFileError("the PDF has no pages", path=str(path))
        for i, page in enumerate(plumber_pages, start=1):
            width, height = float(page.width), float(page.height)
            words = page_words(page)
            text = " ".join(w.text for w in words)
            method, quality = choose_page_method(text, image_coverage=_image_coverage(page))
            if method == "text_layer":
                grids = page_tables(page)
                built = assemble_page(i, "text_layer", words, grids, next_line, width=width, height=height,
                                      quality=quality)
            else:
                from extractors.pdf_ocr import ocr_pdf_page

                built = ocr_pdf_page(path, data, i, cfg, first_line=next_line, width=width, height=height)
            pages.append(built)
            next_line += len(built.lines)
            page.flush_cache()  # keep memory bounded on long documents
    return Document(source_path=str(path), source_sha256=sha256, source_format="pdf", pages=tuple(pages))
