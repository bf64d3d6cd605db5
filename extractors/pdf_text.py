"""PDFs: the text layer where it can be trusted, OCR where it is missing or broken, decided
per page.

For every page :func:`read_layer` takes the words of the text layer (pdfplumber) and the page
verdict (:mod:`extractors.page_verdict`, the one place where that decision is made): glyphs
without Unicode, characters outside the Vietnamese/Latin repertoire, too few Vietnamese
syllables, an English-model OCR layer, image regions the layer does not cover.  A font whose
code points are shifted by a constant is decoded first when that is certain
(:mod:`extractors.font_decode`).  The page is then read from its layer (``text_layer``), OCR'd
by :mod:`extractors.pdf_ocr` (``ocr``), or both (``hybrid``: the layer, plus OCR of the image
regions it does not cover).  ``Page.method``, ``Page.reason`` and ``Page.quality`` record it.

Never garbage as success: a page whose layer is broken and that cannot be OCR'd (no
tesseract), or whose OCR is still not Vietnamese, yields no lines and an error item naming
it (``Document.errors``; the document becomes ``partial``).

Text-layer pages: words with boxes (pdfplumber), one :class:`~pipeline.model.Line` per visual
line; tables are found by their ruling lines (pdfplumber ``find_tables``), merged cells get
spans from the grid of distinct cell edges, and the text inside a table is emitted cell by
cell (see :mod:`extractors.layout`).  Boxes are in PDF points, origin top-left.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import unicodedata
from pathlib import Path

from extractors.font_decode import decode_shifted_fonts
from extractors.layout import TableGrid, Word, assemble_page, cells_from_boxes
from extractors.page_verdict import MIN_QUALITY, MIN_TEXT_CHARS, PageVerdict, inside, judge_page
from extractors.render_modes import hidden_share
from normalizers.quality import syllable_share
from pipeline.config import Config
from pipeline.errors import InputFileError, MissingDependencyError
from pipeline.model import Document, ErrorItem, Page

__all__ = ["extract", "choose_page_method", "read_layer", "page_words", "page_tables", "MIN_TEXT_CHARS",
           "MIN_QUALITY"]

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}


def choose_page_method(text: str, *, image_coverage: float = 0.0) -> tuple[str, float | None]:
    """The page verdict's method and quality for a page whose layer is ``text`` (one line) and
    whose images cover ``image_coverage`` of it without text (:func:`judge_page` in full)."""
    images = [(0.0, 0.0, image_coverage, 1.0)] if image_coverage else []
    v = judge_page(text, [text], images=images, page_area=1.0)
    return v.method, v.quality


WORD_SETTINGS = {"x_tolerance": 1.5, "y_tolerance": 2.5, "keep_blank_chars": False, "use_text_flow": False}


_SYMBOL_WORD = re.compile(r"(?:\(cid:\d+\)|[\uf000-\uf0ff])+")


def word_text(text: str) -> str:
    """One word of the layer as NFC text.  A word made only of unmapped glyphs or Symbol-font
    code points (a list bullet, a check box from Wingdings) is a symbol, read as the bullet "-";
    unmapped glyphs inside a word stay, for the page verdict to count."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").strip()
    return "-" if _SYMBOL_WORD.fullmatch(text) else text


def page_words(page, chars: list[dict] | None = None) -> list[Word]:
    """pdfplumber page (or its ``chars``, e.g. decoded) -> words with boxes (points), NFC text."""
    from pdfplumber.utils import extract_words

    out = []
    found = page.extract_words(**WORD_SETTINGS) if chars is None else extract_words(chars, **WORD_SETTINGS)
    for w in found:
        text = word_text(w["text"])
        if text:
            out.append(Word(text, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])))
    return out


def page_tables(page) -> list[TableGrid]:
    """Ruled tables of a pdfplumber page as grids with spans: at least 2 rows and 2 columns, or
    one row of at least 3 columns (the rest of a row a page break split, alone on its page)."""
    _square_lines(page)
    out = []
    for t in page.find_tables(TABLE_SETTINGS):
        boxes = [tuple(float(v) for v in c) for c in t.cells]
        cells = cells_from_boxes(boxes)  # type: ignore[arg-type]
        if not cells:
            continue
        nrows = max(c.row + c.row_span for c in cells)
        ncols = max(c.col + c.col_span for c in cells)
        if ncols < 2 or nrows < 2 and ncols < 3:
            continue
        out.append(TableGrid(bbox=tuple(float(v) for v in t.bbox), cells=tuple(cells)))  # type: ignore[arg-type]
    return out


#: a ruling whose ends differ by less than this (points) across it is straight
STRAIGHT_PT = 0.01


def _square_lines(page) -> None:
    """The page's line objects (pdfplumber, changed in place) with the ends of a ruling that
    is straight but for float noise made equal: pdfplumber takes a line for horizontal only
    when its top and bottom are exactly equal, and on a page turned by its /Rotate they are
    off by 1e-13 -- the table finder then lost horizontal rulings and ran rows together."""
    for line in page.objects.get("line", ()):
        if line["top"] != line["bottom"] and abs(line["top"] - line["bottom"]) < STRAIGHT_PT:
            line["bottom"] = line["top"]
            line["height"] = 0
        if line["x0"] != line["x1"] and abs(line["x0"] - line["x1"]) < STRAIGHT_PT:
            line["x1"] = line["x0"]
            line["width"] = 0


def _image_boxes(page) -> list[tuple[float, float, float, float]]:
    """The page's images, clipped to the page (points)."""
    out = []
    for im in page.images:
        box = (max(0.0, float(im["x0"])), max(0.0, float(im["top"])), min(float(page.width), float(im["x1"])),
               min(float(page.height), float(im["bottom"])))
        if box[2] > box[0] and box[3] > box[1]:
            out.append(box)
    return out


def _judge(page, chars: list[dict], words: list[Word]) -> PageVerdict:
    def lines() -> list[str]:
        # pdfplumber gives the words line by line, left to right: a new line where the top moves
        out: list[list[str]] = []
        top = None
        for w in words:
            if top is None or abs(w.top - top) > 2.5:
                out.append([])
                top = w.top
            out[-1].append(w.text)
        return [" ".join(ln) for ln in out]

    return judge_page(" ".join(w.text for w in words), lines, images=_image_boxes(page),
                      char_boxes=lambda: [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars],
                      page_area=float(page.width * page.height), invisible=lambda: hidden_share(page))


def read_layer(page) -> tuple[list[Word], PageVerdict]:
    """The page's words and the verdict on them; a font whose code points are shifted by a
    constant is decoded first when that is certain (:mod:`extractors.font_decode`)."""
    chars = page.chars
    words = page_words(page)
    verdict = _judge(page, chars, words)
    if verdict.fault in ("cid", "foreign", "not_vietnamese"):
        decoded, fonts = decode_shifted_fonts(chars)
        if fonts:
            words2 = page_words(page, decoded)
            verdict2 = _judge(page, decoded, words2)
            if verdict2.method != "ocr":
                shifts = ", ".join(f"{f.fontname} {f.shift:+d}" for f in fonts)
                return words2, dataclasses.replace(
                    verdict2, reason=f"{verdict2.reason}; decoded font code points shifted by a constant ({shifts})",
                    broken=True)
    return words, verdict


#: an OCR'd page with at least this many words, fewer than MIN_QUALITY of them Vietnamese, is
#: reported; below MIN_KEEP_QUALITY its text is not kept
MIN_JUDGED_WORDS = 20
MIN_KEEP_QUALITY = 0.4


def _read_page(path: Path, data: bytes, number: int, cfg: Config, page, words: list[Word], verdict: PageVerdict,
               first_line: int, errors: list[ErrorItem]) -> Page:
    """One page as its verdict says: the layer, OCR, or the layer with its image regions OCR'd.
    Problems (an OCR reading that is still not Vietnamese) are added to ``errors``."""
    from extractors.pdf_ocr import ocr_pdf_page, ocr_pdf_regions

    width, height = float(page.width), float(page.height)
    meta = {"reason": verdict.reason, "layer_broken": verdict.broken}

    def from_layer(method: str, words: list[Word], grids: list[TableGrid], quality: float | None) -> Page:
        built = assemble_page(number, method, words, grids, first_line, width=width, height=height, quality=quality)
        return dataclasses.replace(built, **meta)

    if verdict.method == "text_layer":
        return from_layer("text_layer", words, page_tables(page), verdict.quality)
    if verdict.method == "hybrid":
        regions = verdict.regions
        try:
            ocr_words, ocr_grids, conf = ocr_pdf_regions(path, data, number, cfg, regions, width, height)
        except MissingDependencyError as exc:
            errors.append(ErrorItem("extract", "unreadable", f"{path}: page {number}: {len(regions)} image "
                                    f"region(s) without text were not read ({exc})", page=number))
            return from_layer("text_layer", words, page_tables(page), verdict.quality)
        keep = [w for w in words if not any(inside((w.x0, w.top, w.x1, w.bottom), r) for r in regions)]
        grids = [g for g in page_tables(page) if not any(inside(g.bbox, r) for r in regions)] + ocr_grids
        quality = verdict.quality if conf is None else min(q for q in (verdict.quality, conf) if q is not None)
        return from_layer("hybrid", keep + ocr_words, grids, quality)
    try:
        built = dataclasses.replace(ocr_pdf_page(path, data, number, cfg, first_line=first_line, width=width,
                                                 height=height), **meta)
    except MissingDependencyError as exc:
        if verdict.fault != "ocr_layer":
            raise
        errors.append(ErrorItem("extract", "unreadable", f"{path}: page {number}: its OCR layer was read as it "
                                f"is, not OCR'd again ({exc})", page=number))
        return from_layer("text_layer", words, page_tables(page), verdict.quality)
    text = " ".join(line.text for line in built.lines)
    n_words = len(text.split())
    share = syllable_share(text)
    if n_words >= MIN_JUDGED_WORDS and share < MIN_QUALITY:
        if share < MIN_KEEP_QUALITY:
            return _unread(path, number, verdict, width, height, errors,
                           f"OCR gave no Vietnamese text ({share:.0%} syllables); its text is left out")
        errors.append(ErrorItem("extract", "unreadable", f"{path}: page {number}: the OCR'd text is doubtful "
                                f"({share:.0%} Vietnamese syllables)", page=number))
    return built


def _unread(path: Path, number: int, verdict: PageVerdict, width: float, height: float, errors: list[ErrorItem],
            why: str) -> Page:
    """A page that could not be read well: no lines (never garbage), an error item naming it."""
    errors.append(ErrorItem("extract", "unreadable", f"{path}: page {number} ({verdict.reason}): {why}", page=number))
    return Page(number=number, method="ocr", width=width, height=height, reason=verdict.reason,
                layer_broken=verdict.broken)




#: share of a page's letters set sideways from which its text runs down (or up) the page
TURNED_SHARE = 0.6


def upright(page) -> tuple[object, int]:
    """The pdfplumber page with its text upright, and the quarter turns (degrees clockwise, 0
    when none) it was given.  A page whose text layer sets most letters sideways (a landscape
    table printed on a portrait page, or a page turned in a viewer and saved) reads a word a
    line, out of order, and its table's rows are lost while every word still looks Vietnamese;
    it is read as if displayed a quarter turn further (text running down the page: 270°, up
    it: 90°; set upside down, the letters running right to left: 180°).  Boxes are then in the
    points of the page turned upright."""
    letters = [c for c in page.chars if c.get("text", "").strip()]
    sideways = [c for c in letters if not c.get("upright", True)]
    if letters and len(sideways) >= TURNED_SHARE * len(letters):
        turn = 270 if 2 * sum(c["matrix"][1] < 0 for c in sideways) >= len(sideways) else 90
    elif letters and sum(c["matrix"][0] < 0 for c in letters) >= TURNED_SHARE * len(letters):
        turn = 180  # upside down: the letters run right to left
    else:
        return page, 0
    from pdfplumber.page import Page as PlumberPage

    obj = copy.copy(page.page_obj)
    obj.attrs = dict(obj.attrs)
    obj.rotate = obj.attrs["Rotate"] = (page.rotation + turn) % 360
    return PlumberPage(page.pdf, obj, page.page_number, page.initial_doctop), turn


def extract(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract a PDF already read into ``data``: text layer or OCR, page by page."""
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise MissingDependencyError("pdfplumber is not installed; run: pip install pdfplumber",
                                     path=str(path)) from exc
    pages: list[Page] = []
    errors: list[ErrorItem] = []
    missing: MissingDependencyError | None = None
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
            page, turn = upright(page)
            width, height = float(page.width), float(page.height)
            words, verdict = read_layer(page)
            if verdict.fault == "ocr_layer" and cfg.ocr_layers == "keep":
                verdict = dataclasses.replace(verdict, method="text_layer",
                                              reason=verdict.reason.replace("OCR'd again", "read as it is"))
            if turn:
                ran = {90: "up the page", 180: "upside down", 270: "down the page"}[turn]
                verdict = dataclasses.replace(verdict, reason=f"{verdict.reason}; its text ran {ran}: read turned upright")
            try:
                built = _read_page(path, data, i, cfg, page, words, verdict, next_line, errors)
            except MissingDependencyError as exc:  # no OCR here: the page stays unread, said so
                missing = missing or exc
                built = _unread(path, i, verdict, width, height, errors, f"cannot be OCR'd ({exc})")
            pages.append(built)
            next_line += len(built.lines)
            page.flush_cache()  # keep memory bounded on long documents
    if missing is not None and not any(p.lines for p in pages):
        raise missing  # nothing readable without OCR: say what to install
    return Document(source_path=str(path), source_sha256=sha256, source_format="pdf", pages=tuple(pages),
                    errors=tuple(errors))
