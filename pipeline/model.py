"""The in-memory data model of one document, from extraction to rows.

Frozen, slotted dataclasses holding tuples, so that a document (and its result)
is immutable, cheap, hashable where it matters and picklable across a process
pool or a Dask cluster.  Conventions:

* pages and lines are 1-based;
* a bounding box is ``(x0, top, x1, bottom)`` in PDF points (1/72 inch) with the
  origin at the top-left of the page, as in pdfplumber;
* all text is Unicode NFC.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

BBox = tuple[float, float, float, float]

#: Page extraction methods, recorded per page.
PAGE_METHODS = ("text", "text_layer", "ocr", "hybrid", "docx", "xlsx")

#: Document statuses, also the manifest's ``status`` values.
STATUSES = ("success", "partial", "failure", "skipped")


def _check_nfc(text: str, what: str) -> None:
    if not unicodedata.is_normalized("NFC", text):
        raise ValueError(f"{what} is not NFC-normalized: {text[:60]!r}")


def _check_bbox(bbox: BBox | None) -> None:
    if bbox is None:
        return
    if len(bbox) != 4:
        raise ValueError(f"bbox must have 4 numbers, got {bbox!r}")
    x0, top, x1, bottom = bbox
    if x0 > x1 or top > bottom:
        raise ValueError(f"bbox must be (x0, top, x1, bottom) with x0<=x1 and top<=bottom, got {bbox!r}")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a piece of text came from in its source file."""

    source_path: str
    source_sha256: str
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: BBox | None = None
    extractor: str = ""
    confidence: float | None = None

    def __post_init__(self) -> None:
        _check_bbox(self.bbox)
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")
        if self.page is not None and self.page < 1:
            raise ValueError(f"page is 1-based, got {self.page}")
        if self.line_start is not None and self.line_end is not None and self.line_end < self.line_start:
            raise ValueError(f"line_end {self.line_end} < line_start {self.line_start}")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text; ``number`` is the 1-based line number in the whole document."""

    number: int
    text: str
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None

    def __post_init__(self) -> None:
        _check_nfc(self.text, f"line {self.number}")
        _check_bbox(self.bbox)


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell; row/col 0-based within its table, spans >= 1."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    bbox: BBox | None = None
    #: 1-based document lines holding the cell's text (the cell's text is also emitted as
    #: lines); None for an empty cell.
    line_start: int | None = None
    line_end: int | None = None
    #: mean word confidence in [0, 1] for OCR'd cells, None otherwise.
    confidence: float | None = None

    def __post_init__(self) -> None:
        _check_nfc(self.text, f"cell ({self.row}, {self.col})")
        _check_bbox(self.bbox)
        if self.row_span < 1 or self.col_span < 1:
            raise ValueError("row_span and col_span must be >= 1")
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")
        if (self.line_start is None) != (self.line_end is None):
            raise ValueError("line_start and line_end are both set or both None")
        if self.line_start is not None and self.line_end < self.line_start:  # type: ignore[operator]
            raise ValueError(f"line_end {self.line_end} < line_start {self.line_start}")


@dataclass(frozen=True, slots=True)
class Table:
    """A table found by geometry (PDF) or markup (DOCX)."""

    cells: tuple[Cell, ...]
    page: int | None = None
    bbox: BBox | None = None
    #: leading rows that form the table header (DOCX rows marked "repeat as header row");
    #: 0 when unknown.
    header_rows: int = 0


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    method: str
    lines: tuple[Line, ...] = ()
    tables: tuple[Table, ...] = ()
    #: page size in PDF points (None when the input has no geometry, e.g. DOCX, text).
    width: float | None = None
    height: float | None = None
    #: mean OCR word confidence in [0, 1] for OCR'd pages; text-layer quality score
    #: (share of plausible words) for text-layer pages; None otherwise.
    quality: float | None = None
    #: why the page was read this way (the page verdict, :mod:`extractors.page_verdict`)
    reason: str = ""
    #: the page had a text layer that could not be trusted (no Unicode map, wrong code points,
    #: English-model OCR) and was read again
    layer_broken: bool = False

    def __post_init__(self) -> None:
        if self.quality is not None and not 0.0 <= self.quality <= 1.0:
            raise ValueError(f"quality must be in [0, 1], got {self.quality}")
        if self.method not in PAGE_METHODS:
            raise ValueError(f"unknown page method {self.method!r}; expected one of {PAGE_METHODS}")


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """A problem met while processing one document (the document goes on where it can)."""

    stage: str
    category: str
    message: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """An extracted document: pages of lines (and tables), plus file identity."""

    source_path: str
    source_sha256: str
    source_format: str
    pages: tuple[Page, ...]
    source_encoding: str | None = None
    text_state: str = "accented"
    repair_confidence: float | None = None
    #: problems met while extracting that leave the document readable in part (a page whose
    #: broken text layer could not be re-read): the document becomes ``partial``
    errors: tuple[ErrorItem, ...] = ()

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for page in self.pages for line in page.lines)

    def texts(self) -> list[str]:
        """Line texts in order; ``texts()[i]`` is line ``i + 1``."""
        return [line.text for line in self.lines]


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything one document contributes to the output: rows per table, and how it went.

    ``tables`` maps a table name of :mod:`pipeline.schemas` to a tuple of row
    dicts.  The batch runner validates rows against the schemas and writes them.
    """

    source_path: str
    doc_id: str | None
    status: str
    seconds: float
    tables: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    errors: tuple[ErrorItem, ...] = ()
    #: SHA-256 of the bytes processed; None when the file could not be read
    source_sha256: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if self.status == "success" and self.errors:
            raise ValueError("a document with errors cannot have status 'success'")

    @property
    def error_message(self) -> str | None:
        if not self.errors:
            return None
        return "; ".join(f"[{e.stage}] {e.message}" for e in self.errors)
