"""The appendix rows and tables every reader produces (text dumps, layout dumps, DOCX, PDF, scans)."""

from __future__ import annotations

from dataclasses import dataclass


CANONICAL_COLUMNS = (
    "row_no",
    "objective",
    "task",
    "activity",
    "product",
    "lead",
    "support",
    "monitor",
    "deadline",
    "budget",
    "note",
)


@dataclass(frozen=True, slots=True)
class AppendixRow:
    group_no: str | None  # "I", "II", ... as printed; None if no group
    group_title: str | None  # "Cải cách thể chế" as printed (whitespace collapsed)
    row_no: str | None  # printed row number ("12"), None when missing
    # canonical column -> cell text (whitespace collapsed, wrapped lines joined with a space,
    # in-word hyphen wraps joined without one); every column of the table, "" when empty.
    # Merged (objective/task) cells are repeated in every row they cover.
    cells: dict[str, str]
    # 1-based first/last line of the row's own band of the dump: every line printed inside
    # this row (including the part of a merged cell that happens to be printed there, and a
    # continuation after a page break), not the merged text it inherits from other rows.
    line_start: int
    line_end: int
    page: int | None  # 1-based table page from repeated headers / page numbers / form feeds
    # (x0, top, x1, bottom) in PDF points of the row's band on ``page``, when the input has
    # geometry (tables read from PDFs and scans); None for text dumps and DOCX.
    bbox: tuple[float, float, float, float] | None = None
    #: how well the row's printed lines fit the table's columns (layout dumps: the share of its
    #: cell fragments that start at their column's left edge); 1.0 when not measured
    fit: float = 1.0
    #: canonical column -> mean OCR word confidence of the row's own cells, for rows of an OCR'd
    #: table grid (merged cells printed in another row are not the row's own); None otherwise
    reading: dict[str, float] | None = None
    #: columns whose cell in this row is the cell of the column on their left run over them (one
    #: grid cell across two named columns: a wall a scan lost, or cells merged across columns)
    joined: tuple[str, ...] = ()
    #: columns whose cell in this row is one grid cell over this row and others (a merged cell,
    #: or two cells a row ruling the scan lost ran together)
    spanned: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AppendixTable:
    columns: tuple[str, ...]  # canonical columns in printed order
    header_line: int | None  # 1-based line of the first printed header, None when inferred
    rows: tuple[AppendixRow, ...]
    #: how the cells were found: "grid" (table markup or ruling geometry: certain), "layout"
    #: (columns kept by spaces in a text dump: geometry rounded to characters) or "stream"
    #: (decoded from the order of printed lines: a reading that can be wrong)
    method: str = "stream"
    #: rows left out because their lines did not fit the columns (layout dumps)
    unread_rows: int = 0
    #: the pages of rows left out, where they are known (one entry per such row)
    unread_pages: tuple[int | None, ...] = ()
    #: header texts of printed columns whose body cells hold text but that name no column
    #: (a header wording nobody listed, a header cell OCR garbled): their cells are in no row
    unnamed: tuple[str, ...] = ()
