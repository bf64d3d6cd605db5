"""Excel workbooks (.xlsx): an appendix kept in Excel, as a file of its own or embedded in a
Word file as an Excel object (Word shows a picture of it, a Windows metafile: its rows are in
the workbook, not in the document's markup).

A sheet is read with openpyxl (values, not formulas: the values Excel saved) into
:func:`sheet_parts`: the rows above its table (the appendix's title, merged across the
columns) and below it (notes, signatures) as lines, and the table -- from the first to the
last row holding two or more cells -- as cells with their merges (row and column spans).
Hidden rows and columns (helper columns, filtered rows) are left out.  Numbers are written as
Excel shows the plain ones (``2025``, ``0.5``; a percent format as ``95%``), dates as
``dd/mm/yyyy``.  :func:`emit_parts` turns the parts into the document's lines and one
:class:`~pipeline.model.Table` whose cells record their lines, as the Word reader does.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import InputFileError, MissingDependencyError
from pipeline.model import Cell, Document, Line, Page, Table

__all__ = ["cell_text", "sheet_parts", "emit_parts", "workbook_parts", "extract"]


def cell_text(value, number_format: str = "General") -> str:
    """A cell's value as Excel shows it for plain formats, NFC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return f"{value * 100:g}%"
        return str(int(value)) if float(value).is_integer() else f"{value:g}"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return unicodedata.normalize("NFC", "\n".join(line.strip() for line in text.split("\n")).strip())


def sheet_parts(ws) -> tuple[list[str], list[Cell], list[str]]:
    """A worksheet (openpyxl) as (lines above its table, the table's cells -- rows and columns
    counted in the table, no lines yet --, lines below it)."""
    from openpyxl.utils import get_column_letter

    rows = [r for r in range(1, (ws.max_row or 0) + 1) if not ws.row_dimensions[r].hidden]
    cols = [c for c in range(1, (ws.max_column or 0) + 1)
            if not ws.column_dimensions[get_column_letter(c)].hidden]
    row_at = {r: k for k, r in enumerate(rows)}
    col_at = {c: k for k, c in enumerate(cols)}
    # merged ranges: top-left cell -> spans over the visible rows and columns; covered cells
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        vis_r = [r for r in range(rng.min_row, rng.max_row + 1) if r in row_at]
        vis_c = [c for c in range(rng.min_col, rng.max_col + 1) if c in col_at]
        if not vis_r or not vis_c:
            continue
        spans[(vis_r[0], vis_c[0])] = (len(vis_r), len(vis_c))
        covered.update((r, c) for r in vis_r for c in vis_c if (r, c) != (vis_r[0], vis_c[0]))
    grid: dict[int, list[tuple[int, str, int, int]]] = {}  # visible row -> (col, text, rspan, cspan)
    for r in rows:
        for c in cols:
            if (r, c) in covered:
                continue
            cell = ws.cell(row=r, column=c)
            text = cell_text(cell.value, cell.number_format)
            rs, cs = spans.get((r, c), (1, 1))
            if text or (rs, cs) != (1, 1):
                grid.setdefault(row_at[r], []).append((col_at[c], text, rs, cs))
    filled = {k: [x for x in v if x[1]] for k, v in grid.items()}
    tabular = [k for k, v in filled.items() if len(v) >= 2]
    if not tabular:
        return [t for k in sorted(filled) for _, t, _, _ in filled[k]], [], []
    first, last = min(tabular), max(tabular)
    # a cell merged down from the table's last row belongs to it
    last = max([last] + [k + rs - 1 for k in range(first, last + 1) for _, _, rs, _ in grid.get(k, ())])
    above = [t for k in sorted(filled) if k < first for _, t, _, _ in filled[k]]
    below = [t for k in sorted(filled) if k > last for _, t, _, _ in filled[k]]
    left = min(c for k in range(first, last + 1) for c, _, _, _ in grid.get(k, ()))
    cells = [Cell(row=k - first, col=c - left, text=t, row_span=rs, col_span=cs) for k in range(first, last + 1)
             for c, t, rs, cs in sorted(grid.get(k, ()))]
    return above, cells, below


def emit_parts(parts: tuple[list[str], list[Cell], list[str]], add_line: Callable[[str], int],
               page: int | None) -> Table | None:
    """Lines (``add_line(text) -> line number``) for the parts of a sheet, in order: the lines
    above, the table's cells row by row and left to right (a cell a line per line of its
    text), the lines below; the table, its cells recording their lines (None without one)."""
    above, cells, below = parts
    for text in above:
        for line in text.split("\n"):
            add_line(line)
    out = []
    for c in cells:
        numbers = [add_line(line) for line in c.text.split("\n") if line.strip()]
        out.append(dataclasses.replace(c, line_start=min(numbers) if numbers else None,
                                       line_end=max(numbers) if numbers else None))
    for text in below:
        for line in text.split("\n"):
            add_line(line)
    return Table(cells=tuple(out), page=page) if out else None


def workbook_parts(data: bytes, *, path: str, cfg: Config, active_only: bool = False) -> list[tuple[str, tuple]]:
    """(sheet title, :func:`sheet_parts`) for the visible sheets of a workbook's bytes (the
    active sheet only: the part an embedded workbook shows); the package's limits checked
    first (:func:`extractors.preflight.check_package`)."""
    from extractors.preflight import check_package

    zf = check_package(Path(path), data, cfg, "Excel workbook", "Excel")
    if zf is not None:
        zf.close()
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise MissingDependencyError("openpyxl is not installed; run: pip install openpyxl", path=path) from exc
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises zipfile, KeyError, XML errors...
        raise InputFileError(f"not a readable Excel workbook ({type(exc).__name__}: {exc}); re-save it as .xlsx",
                             path=path) from None
    sheets = [wb.active] if active_only and wb.active is not None else [
        ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    return [(ws.title, sheet_parts(ws)) for ws in sheets]


def extract(path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """An Excel workbook: one page per visible sheet, its title lines and table."""
    pages = []
    numbered: list[Line] = []  # every line of the workbook so far: a line's number is its place
    for number, (_title, parts) in enumerate(workbook_parts(data, path=str(path), cfg=cfg), start=1):
        first = len(numbered)

        def add_line(text: str, _number: int = number) -> int:
            numbered.append(Line(number=len(numbered) + 1, text=unicodedata.normalize("NFC", text), page=_number))
            return len(numbered)

        table = emit_parts(parts, add_line, number)
        pages.append(Page(number=number, method="xlsx", lines=tuple(numbered[first:]),
                          tables=(table,) if table else ()))
    if not pages:
        raise InputFileError("the workbook has no visible sheet", path=str(path))
    return Document(source_path=str(path), source_sha256=sha256, source_format="xlsx", pages=tuple(pages))
