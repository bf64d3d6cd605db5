"""Pictures in a Word document that hold the plan's text: scanned pages pasted into Word, an
appendix table pasted as a picture (from Excel, a scan, a screenshot).

Their words are in no ``w:t``: read as markup only, such a document gave its typed paragraphs
and nothing of the table, or too little text to be a plan.  :func:`pictures` finds the pictures
a paragraph shows (DrawingML ``wp:inline`` / ``wp:anchor`` with an ``a:blip``, and VML
``v:imagedata``) with their printed size; those printed at least :data:`MIN_WIDTH_IN` wide and
:data:`MIN_AREA_IN2` large (not a logo, a seal, a signature) are OCR'd
(:func:`read_picture`) at their own resolution -- pixels over printed inches -- by the scan path
(:func:`extractors.pdf_ocr.ocr_image`: rulings to table grids, stamps off, words corrected).
A picture whose reading is not Vietnamese text (a photograph) is left out, counted in the
page's reason.  The picture Word shows of an embedded object (an Excel sheet: a Windows
metafile) is not a picture to read: :func:`embedded_objects` names the objects, whose own data
is read (:mod:`extractors.xlsx`).
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass

from extractors.ooxml import MC_FALLBACK, A, O, R, V, W, WP
from normalizers.quality import syllable_share
from pipeline.config import Config
from pipeline.model import Page

__all__ = ["Picture", "pictures", "embedded_objects", "worth_reading", "read_picture", "MIN_WIDTH_IN",
           "MIN_AREA_IN2"]

#: a picture printed narrower than this (inches) is no page or table: a logo, a seal, a signature
MIN_WIDTH_IN = 3.5
#: ... or smaller than this (square inches)
MIN_AREA_IN2 = 8.0
#: an OCR reading with fewer words, or fewer Vietnamese syllables, is no text (a photograph)
MIN_WORDS = 12
MIN_SHARE = 0.6
#: resolutions (pixels per printed inch) a picture is read at, at most
_DPI_RANGE = (60.0, 1200.0)

_EMU_PER_IN = 914400.0
_VML_SIZE = re.compile(r"(width|height)\s*:\s*([\d.]+)\s*(pt|in|cm|mm|px)?", re.I)
_UNIT_IN = {"pt": 1 / 72, "in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "px": 1 / 96, None: 1 / 72}


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture a paragraph shows: its relationship id and printed size (inches)."""

    rid: str
    width_in: float
    height_in: float


def _in_fallback(el) -> bool:
    """Whether ``el`` is inside the fallback copy of alternate content, or is the preview of an
    embedded object (``w:object``: the object itself is read, :func:`embedded_objects`)."""
    parent = el.getparent()
    while parent is not None:
        if parent.tag in (MC_FALLBACK, W + "object"):
            return True
        parent = parent.getparent()
    return False


def embedded_objects(p) -> list[tuple[str, str]]:
    """(ProgID, relationship id) of the objects paragraph ``p`` embeds (``o:OLEObject`` of
    type Embed: an Excel sheet, a Word document, ...), in document order."""
    out = []
    for el in p.iter(O + "OLEObject"):
        rid = el.get(R + "id")
        if rid and (el.get("Type") or "Embed") == "Embed":
            out.append((el.get("ProgID") or "", rid))
    return out


def pictures(p) -> list[Picture]:
    """The pictures paragraph ``p`` (a ``w:p`` element) shows, in document order (a DrawingML
    picture's VML copy for older readers is not counted twice)."""
    out: list[Picture] = []
    for el in p.iter(WP + "inline", WP + "anchor", V + "shape", V + "rect"):
        if _in_fallback(el):
            continue
        if el.tag.startswith(WP):
            extent = el.find(WP + "extent")
            blip = next(el.iter(A + "blip"), None)
            rid = blip.get(R + "embed") if blip is not None else None
            if extent is None or not rid:
                continue
            try:
                w, h = int(extent.get("cx")) / _EMU_PER_IN, int(extent.get("cy")) / _EMU_PER_IN
            except (TypeError, ValueError):
                continue
        else:
            data = el.find(V + "imagedata")
            rid = data.get(R + "id") if data is not None else None
            if not rid:
                continue
            size = {m.group(1).lower(): float(m.group(2)) * _UNIT_IN[(m.group(3) or "").lower() or None]
                    for m in _VML_SIZE.finditer(el.get("style") or "")}
            w, h = size.get("width", 0.0), size.get("height", 0.0)
        out.append(Picture(rid, w, h))
    return out


def worth_reading(pic: Picture) -> bool:
    """Whether a picture is printed large enough to hold a page or a table of text."""
    return pic.width_in >= MIN_WIDTH_IN and pic.width_in * pic.height_in >= MIN_AREA_IN2


def read_picture(blob: bytes, pic: Picture, cfg: Config, *, page: int, path: str) -> Page | None:
    """The OCR of a picture's image bytes as a page's lines (numbered from 1) and tables on page
    ``page``, without boxes (a Word page has no geometry); None when the
    reading is no Vietnamese text.  Raises :class:`~pipeline.errors.InputFileError` for an image
    that cannot be decoded (a Windows metafile, damaged bytes), the OCR path's own errors (no
    tesseract: :class:`~pipeline.errors.MissingDependencyError`) and the page-size limit's."""
    from PIL import Image, UnidentifiedImageError

    from extractors.pdf_ocr import COLOUR_MODES, ocr_image
    from extractors.preflight import check_pixels
    from pipeline.errors import InputFileError

    def unreadable(exc: Exception) -> InputFileError:
        return InputFileError(f"a picture on page {page} is no image the OCR can read ({exc})", path=path)

    try:
        img = Image.open(io.BytesIO(blob))  # the header only: the size is checked before decoding
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise unreadable(exc) from None
    check_pixels(path, f"a picture on page {page}", img.width, img.height, cfg)
    try:
        img.load()
    except (OSError, ValueError) as exc:
        raise unreadable(exc) from None
    dpi = min(max(img.width / max(pic.width_in, 1e-3), _DPI_RANGE[0]), _DPI_RANGE[1])
    with img:
        image = img.convert("RGB" if img.mode in COLOUR_MODES else "L")
    if dpi < cfg.ocr_dpi:
        # read as a scanned PDF page is, rendered at ocr_dpi: a 200 dpi picture read at its own
        # pixels lost thin letters ("lên" for "liên", "an hành" for "ban hành": 0.82 of the
        # sample table's cells exact, 0.93 at 300 dpi)
        k = cfg.ocr_dpi / dpi
        image = image.resize((round(image.width * k), round(image.height * k)), Image.Resampling.BICUBIC)
        dpi = float(cfg.ocr_dpi)
    check_pixels(path, f"a picture on page {page}", image.width, image.height, cfg)
    read = ocr_image(image, cfg, number=page, first_line=1, dpi=dpi)
    text = " ".join(line.text for line in read.lines)
    if len(text.split()) < MIN_WORDS or syllable_share(text) < MIN_SHARE:
        return None
    return dataclasses.replace(
        read, method="docx",
        lines=tuple(dataclasses.replace(line, bbox=None) for line in read.lines),
        tables=tuple(dataclasses.replace(t, bbox=None, cells=tuple(dataclasses.replace(c, bbox=None) for c in t.cells))
                     for t in read.tables))
