"""The per-document function: one input file in, rows for every table out.

:func:`process_document` is pure apart from reading its input: module-level,
picklable arguments, no globals written, no output I/O.  A process pool or a
Dask cluster maps it over files; only the parent writes Parquet.

Flow (see DESIGN.md): read -> extract -> repair (both in :mod:`pipeline.reading`, shared with
``kehoach text``) -> segment (appendix, outline,
header) -> facts (targets, tasks, owners; plans only: a document whose header
shows another type, a decision or a letter, gets documents, sections and
references rows) -> rows.  A failing stage becomes an
error item and the document is ``partial``; only a file that cannot be read
at all is a ``failure``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.appendix import AppendixRow, AppendixTable, extract_appendix
from extractors.body_tasks import BodyTask, extract_body_tasks
from extractors.appendix.grid import appendix_from_tables
from extractors.appendix.paragraph_lines import paragraph_line_tables
from extractors.appendix.column_dump import column_tables
from extractors.appendix.layout_dump import LayoutReading, layout_tables
from extractors.appendix.row_lines import row_line_tables
from extractors.outline_labels import LABELLED_COLUMNS, split_label
from extractors.appendix.fragments import fragments_joined
from extractors.appendix.row_check import (
    cut_cells, name_rests, names_reparted, prints_columns, reads_whole, row_faults, table_faults)
from extractors.row_numbers import sequence_row_numbers
from extractors.header import Header, extract_header
from extractors.sections import Outline, parse_outline
from extractors.references import extract_references
from extractors.targets import extract_targets
from normalizers.admin_units import resolve_admin_unit, usual_spelling
from normalizers.area_model import area_of_text
from normalizers.areas import area_of_path, classify_area
from normalizers.deadlines import parse_deadline
from normalizers.diacritics import restore_units
from normalizers.doc_types import is_plan
from normalizers.indicators import classify_indicator
from normalizers.text import fold
from normalizers.owners import is_registered, registry_marks, resolve_owners, split_owners
from normalizers.quality import (
    PARSE_CERTAINTY, STATE_READING, drop_specks, drop_trailing_specks, en_dashes, row_confidence, scrub,
    stray_letters, syllable_share,
)
from pipeline.config import Config
from pipeline.errors import KehoachError, LimitExceededError, ResourceLimitError
from pipeline.model import Document, DocumentResult, ErrorItem, Line
from pipeline.schemas import ROLES
from pipeline.reading import extract_document, page_accuracy, read_by_ocr, read_input, repair_document, report_poor_reading
from pipeline.stages import run_stage, stage

EMPTY_OUTLINE = Outline((), ())


def doc_id_of(sha256: str) -> str:
    return sha256[:16]


# --- stages ---------------------------------------------------------------------------------


@stage("segment.appendix.v3", reads=("lines", "tables"), writes=("tasks",), returns=list)
def _appendix(doc: Document, lines: list[str]) -> list[AppendixTable]:
    """Appendix rows from the document's table structure (DOCX markup, PDF rulings, OCR'd
    grids) when it has an appendix table; else from the columns a layout dump keeps by
    spaces (:mod:`extractors.appendix.layout_dump`, read from the repaired lines) or, in a dump of
    English-model OCR, from its row-lines (:mod:`extractors.appendix.row_lines`); otherwise
    rebuilt from the lines (text dumps, borderless tables) -- but not from the lines of OCR'd
    pages where a ruled table was found whose header could not be read: they are counted."""
    read = {p.number for p in doc.pages if p.method in ("ocr", "hybrid")}
    if any(page.tables for page in doc.pages):
        tables = appendix_from_tables(doc)
        if tables:
            return [_ocr_checked(t, read) for t in tables] if read else tables
    # OCR reads a ruled table's cells block by block, not row by row: the order of its lines
    # on a page where it found the table's rulings is no table's order to decode.
    tables = [_checked(t) for t in _printed_tables(doc, lines)]
    if doc.text_state == "ocr_mangled":
        tables = _mostly_unread(tables)
    gridded = {p.number for p in doc.pages if p.tables} & read
    if not gridded:
        return tables
    line_pages = [line.page for line in doc.lines]

    def on_grid(r: AppendixRow) -> bool:
        return any(line_pages[i - 1] in gridded for i in range(r.line_start, r.line_end + 1)
                   if 0 < i <= len(line_pages))

    return [_keeping(t, [r for r in t.rows if not on_grid(r)]) for t in tables]


#: what pandoc's plain-text writer prints instead of a table it cannot lay out
TABLE_PLACEHOLDER = "[TABLE]"
#: an appendix's title line ("PHỤ LỤC", "PHỤ LỤC II", "PHU LUC" without diacritics, "Phụ lục số 02")
_APPENDIX_TITLE = re.compile(r"^\W*(?:PH[ỤU] L[ỤU]C\b|Phụ lục(?:\s+(?:số\s+)?[\dIVXL]+)?\s*[:.]?\s*$)")

#: share of an English-OCR'd appendix's rows left out from which the rows read are left out too
MOSTLY_UNREAD = 0.8


def report_missing_tables(doc: Document, tables: list[AppendixTable], errors: list[ErrorItem]) -> None:
    """Error items for tables the text does not hold: a converter's placeholder for a table it
    left out, and an appendix title under which no task table was read (when nothing else
    said why)."""
    placeholders = [line.number for line in doc.lines if line.text.strip() == TABLE_PLACEHOLDER]
    if placeholders:
        errors.append(ErrorItem("segment.appendix.v3", "table_not_in_text", (
            f"{doc.source_path}: line(s) {', '.join(map(str, placeholders[:5]))} hold {TABLE_PLACEHOLDER!r} where "
            "the converter left a table out (pandoc's plain text does so for a table too wide for its "
            "columns): convert the file again to Markdown (pandoc -t gfm) or keep the DOCX")))
    if any(t.rows for t in tables) or any(e.stage == "segment.appendix.v3" for e in errors):
        return
    title = next((line for line in doc.lines if _APPENDIX_TITLE.match(line.text)), None)
    if title is not None:
        errors.append(ErrorItem("segment.appendix.v3", "appendix_not_read", (
            f"{doc.source_path}: line {title.number} opens an appendix ({title.text.strip()[:60]!r}) but no "
            "table under it was read as the plan's task table: its rows are missing")))


def _mostly_unread(tables: list[AppendixTable]) -> list[AppendixTable]:
    """The appendix of an English-OCR'd dump without its rows when at least
    :data:`MOSTLY_UNREAD` of them could not be read: the misreadings that lost the others
    (columns run together, lines moved between rows) put the few that pass the checks out of
    step as well.  Over 53 generated plans, such documents' rows were wrong one time in three,
    the others' one time in twenty (scripts/eval_tables.py, form ocr_eng); they are counted."""
    read = sum(len(t.rows) for t in tables)
    unread = sum(t.unread_rows for t in tables)
    if read and unread >= MOSTLY_UNREAD * (read + unread):
        return [_keeping(t, ()) for t in tables]
    return tables


def _ocr_checked(table: AppendixTable, ocr_pages: set[int]) -> AppendixTable:
    """A table whose cells OCR read: rows on OCR'd pages that are no rows (a group title read as
    a row, a fragment a page break cut off, :func:`extractors.appendix.row_check.row_faults`),
    or whose lead or deadline cell OCR lost in a table that fills it in nearly every other row
    (a stamp or a signature over the cell, a ruling the scan broke), or with one cell over two
    columns that the table's other rows keep apart (a column wall the scan lost: the two cells'
    lines read as one text), or sharing the finest outline cell with a row beside them
    (:func:`_spanned_rows`: a row ruling the scan lost), are left out and counted."""
    filled = [c for c in ("lead", "deadline") if c in table.columns
              and sum(bool((r.cells.get(c) or "").strip()) for r in table.rows) >= MIN_OCR_FILLED * len(table.rows)]

    # a cell run over two columns in a row where the table keeps them apart: a wall OCR lost
    usual = {c for c in table.columns if sum(c in r.joined for r in table.rows) >= JOINED_SHARE * len(table.rows)}
    spanned = _spanned_rows(table)

    def read(n: int, r: AppendixRow, clean: AppendixRow) -> bool:
        return (not row_faults(r.cells) and all((r.cells.get(c) or "").strip() for c in filled)
                and set(r.joined) <= usual and n not in spanned and not _misread_meta(clean))

    kept = []
    for n, r in enumerate(table.rows):
        if r.page not in ocr_pages:
            kept.append(r)
        elif read(n, r, clean := _ocr_cleaned(r)):
            kept.append(clean)
    return _keeping(table, kept)


#: letter runs no body or deadline cell holds from which an OCR'd row's short cells are misread
MAX_STRAY = 2


def _misread_meta(row: AppendixRow) -> bool:
    """Whether an OCR'd row's body and deadline cells hold :data:`MAX_STRAY` or more letter runs
    no such cell holds once the specks are gone (:func:`normalizers.quality.stray_letters`: "Bộ
    màn uc" / "“T sường", "Công T mm – Kế toán"), or its lead opens in lower case ("chức hội
    Công Văn hóa – Xã", "bú tịch UBND xã": the cell's lines read out of order, its first letter
    lost): a seal or a signature over the cells, past which the reading is no body's name.  One
    such run alone ("Bộ phận Một cửa j") is a speck more often than a misreading."""
    lead = (row.cells.get("lead") or "").lstrip(" -–—+•*(\"'“")
    stray = sum(len(stray_letters(row.cells.get(c) or "")) for c in ("lead", "support", "monitor", "deadline"))
    return lead[:1].islower() or stray >= MAX_STRAY


def _spanned_rows(table: AppendixTable) -> set[int]:
    """Rows whose cell of the table's finest outline column (Hoạt động, else Nhiệm vụ, else Mục
    tiêu) is one grid cell over them and the row beside, in a table whose other rows each have
    their own: a ruling between two rows the scan lost, so that one cell holds both rows' texts
    ("Quản lý, sử dụng tài sản công … Thực hiện đánh giá, xếp loại …").  A plan merges the coarser outline
    cells over the rows under them, and repeats the finest one's text in rows of their own
    where two rows hold the same activity."""
    finest = next((c for c in ("activity", "task", "objective") if c in table.columns), None)
    if finest is None:
        return set()
    out = {n for n, r in enumerate(table.rows) if finest in r.spanned and (r.cells.get(finest) or "").strip()}
    return out if len(out) < JOINED_SHARE * len(table.rows) else set()


#: columns of responsible bodies, whose names the owner registry spells
_BODY_COLUMNS = frozenset({"lead", "support", "monitor"})


def _ocr_cleaned(row: AppendixRow) -> AppendixRow:
    """An OCR'd row whose cells hold words of no letter or digit (stamp strokes, ruling pieces:
    :func:`normalizers.quality.drop_specks`) or end on a run of stray letters ("… của xã ] Jj
    H": :func:`normalizers.quality.drop_trailing_specks`) without them, and so its group title
    ("Cải cách thể chế |") -- they were left in
    until the row checks were done, as marks of a damaged cell -- and whose body names have the letters of a
    registry name given its marks (:func:`normalizers.owners.registry_marks`: "Chú tịch UBND
    xã" -> "Chủ tịch UBND xã"); a long dash between words is the en dash printed
    (:func:`normalizers.quality.en_dashes`)."""
    cells = {}
    for col, text in row.cells.items():
        if text:
            text = en_dashes(drop_specks(text)[0])
            if col != "row_no":
                text = drop_trailing_specks(text)[0]
            if col in _BODY_COLUMNS:
                text = registry_marks(text)
        cells[col] = text
    title = row.group_title and drop_trailing_specks(drop_specks(row.group_title)[0])[0]
    if cells == row.cells and title == row.group_title:
        return row
    return dataclasses.replace(row, cells=cells, group_title=title)


#: share of a scanned table's rows with a lead (deadline) cell from which a row without one is a
#: misreading, not a plan's blank
MIN_OCR_FILLED = 0.85
#: share of a scanned table's rows with one cell over two columns from which that is the table's
#: shape, not a wall the scan lost
JOINED_SHARE = 0.5


def _weakest_cell(row: AppendixRow) -> float | None:
    """The lowest OCR word confidence among a row's own cells (the row number aside: a TT cell
    re-read with a digit whitelist), None for rows OCR did not read."""
    values = [v for col, v in (row.reading or {}).items() if col != "row_no"]
    return min(values) if values else None


def _keeping(table: AppendixTable, kept, **changes) -> AppendixTable:
    """``table`` with only the rows ``kept``; the others counted in ``unread_rows``."""
    kept = tuple(kept)
    left = Counter(r.page for r in table.rows) - Counter(r.page for r in kept)  # (rows changed on the way)
    return dataclasses.replace(table, rows=kept, unread_rows=table.unread_rows + len(table.rows) - len(kept),
                               unread_pages=table.unread_pages + tuple(left.elements()), **changes)


def _checked(table: AppendixTable) -> AppendixTable:
    """A table read from printed lines without its rows that are no rows (cells of several
    rows run together, :func:`extractors.appendix.row_check.row_faults`; a body's name whose
    first words went to another cell, :func:`~extractors.appendix.row_check.name_rests`, once
    the names are parted anew where they can be:
    :func:`~extractors.appendix.row_check.names_reparted`); none of its rows when most
    are such rows (the dump did not print the table row by row).  A deadline printed on one
    line with a body's name goes back to its column first (:func:`_deadline_home`)."""
    if "deadline" in table.columns:
        table = dataclasses.replace(table, rows=tuple(map(_deadline_home, table.rows)))
    table = dataclasses.replace(table, rows=tuple(
        dataclasses.replace(r, cells=names_reparted(r.cells, table.columns)) for r in table.rows))
    if table_faults([r.cells for r in table.rows], table.columns):
        return _keeping(table, ())
    return _keeping(table, [r for r in table.rows if not row_faults(r.cells) and not name_rests(r.cells)])


#: a recurrence closing a responsible body's cell: the deadline printed on the body's last line
_TRAILING_RECURRENCE_RE = re.compile(
    r"\s+((?:Thường xuyên|(?:Định kỳ )?[HhMm](?:à|ằ|ỗ)(?:ng|i) (?:năm|quý|tháng))[.;]?)$")


def _deadline_home(row: AppendixRow) -> AppendixRow:
    """A row whose deadline cell is empty and whose support (or lead) cell ends on a recurrence
    ("Các bộ phận liên quan Thường xuyên": two cells sharing a printed line, run together) with
    the recurrence moved to the deadline."""
    if (row.cells.get("deadline") or "").strip():
        return row
    for col in ("support", "lead", "monitor"):
        m = _TRAILING_RECURRENCE_RE.search(row.cells.get(col) or "")
        if m and row.cells[col][:m.start()].strip():
            cells = {**row.cells, col: row.cells[col][:m.start()].rstrip(), "deadline": m.group(1).rstrip(".;")}
            return dataclasses.replace(row, cells=cells)
    return row


def _printed_tables(doc: Document, lines: list[str]) -> list[AppendixTable]:
    """Appendix tables of a document without table structure: from the columns a layout dump
    keeps by spaces, else from a paragraph per line and an empty line per empty cell
    (:mod:`extractors.appendix.paragraph_lines`), else, in English-model OCR, from lines that each print a line of every
    column's cell (:mod:`extractors.appendix.row_lines`; its pages printed cell by cell from
    the order of their lines, :func:`_stream_pages`), else decoded from the order of the
    printed lines."""
    pages = [line.page for line in doc.lines]
    tables = _placed_tables(doc, layout_tables(lines, pages), "layout")
    if tables:
        return tables
    if doc.text_state not in ("ocr_mangled", "mixed") and (tables := paragraph_line_tables(lines)):
        # a paragraph per line, an empty line per empty cell (LibreOffice's text export)
        return tables
    if doc.text_state in ("ocr_mangled", "mixed"):
        # English-model OCR of a scan prints a table row by row, columns a space apart; a dump
        # only partly OCR'd ("mixed") is read so when rows open on its lines so.
        tables = _placed_tables(doc, row_line_tables(lines, pages), "rowlines")
        if tables and (doc.text_state == "ocr_mangled" or any(t.rows or t.unread_rows for t in tables)):
            tables = [_keeping(t, [_ocr_cleaned(r) for r in t.rows if not _sentence_tail(r) and not _list_lost(r)])
                      for t in tables]
            return _stream_pages(tables, lines, pages)
    tables = extract_appendix(lines)
    if doc.text_state in ("ocr_mangled", "mixed"):
        tables = _ocr_stream(tables)
    start = min((t.header_line or t.rows[0].line_start for t in tables if t.rows), default=1) - 1
    if tables and prints_columns(lines, start):
        # Cells printed column by column cannot be put back into rows from their order; they
        # are counted down each column (extractors.appendix.column_dump).
        return column_tables(lines, pages) or [_keeping(t, ()) for t in tables]
    if not any(not row_faults(r.cells) for t in tables for r in t.rows):
        return column_tables(lines, pages) or tables
    return tables


#: typed columns whose cells must read whole in rows decoded from the order of OCR'd lines
OCR_WHOLE = ("lead", "support", "monitor", "deadline")


def _ocr_whole(row: AppendixRow) -> bool:
    """Whether a row decoded from the order of English-OCR'd lines is kept: OCR misreads words
    and moves a cell's wrapped line into another column, so its typed cells must read whole
    and its text cells be no sentence's tail (:func:`_sentence_tail`)."""
    return reads_whole(row.cells, OCR_WHOLE) and not _sentence_tail(row)


#: the bodies' short names a sentence of a plan's Mục tiêu / Nhiệm vụ / Hoạt động cell names after
#: its verb, never before it
_BODY_ACRONYMS = frozenset(("UBND", "HĐND", "HĐND-UBND", "UBMTTQ", "MTTQ"))


def _sentence_tail(row: AppendixRow) -> bool:
    """Whether a row read from OCR'd lines has a text cell opening on a body's short name ("UBND
    xã ban hành"): the tail of a sentence whose head another row took -- the lines of a cell
    centred in its row run above the line holding the row's number."""
    return any((words := (row.cells.get(c) or "").split()) and words[0] in _BODY_ACRONYMS
               for c in ("objective", "task", "activity"))


def _list_lost(row: AppendixRow) -> bool:
    """Whether a row read from English-OCR'd lines has a Mục tiêu / Nhiệm vụ / Hoạt động cell
    ending on the ":" that opens a list, without the list: its items went to another row or
    were not read, and the row is short of them."""
    return any((row.cells.get(c) or "").rstrip().endswith(":") for c in ("objective", "task", "activity"))


def _ocr_stream(tables: list[AppendixTable]) -> list[AppendixTable]:
    """Tables decoded from the order of English-OCR'd lines, with only their rows kept
    (:func:`_ocr_whole`), cleaned (:func:`_ocr_cleaned`); the others counted."""
    return [_keeping(t, [_ocr_cleaned(r) for r in t.rows if _ocr_whole(r)]) for t in tables]


def _stream_pages(tables: list[AppendixTable], lines: list[str], pages: list[int | None]) -> list[AppendixTable]:
    """Row-lines tables with the pages tesseract printed cell by cell (each cell a block of its
    own) read from the order of their lines instead: a page where the decoded stream keeps more
    rows (:func:`_ocr_whole`) than the row-lines reader reads takes the stream's rows, and the
    stream's rows of that page left out are counted."""
    def page_of(r: AppendixRow) -> int | None:  # the document's page (a stream row's is the table's)
        return pages[r.line_start - 1] if 0 < r.line_start <= len(pages) else None

    kept: dict[int | None, list[AppendixRow]] = {}
    refused: dict[int | None, int] = {}
    stream = extract_appendix(lines)
    for t in stream:
        for r in t.rows:
            if _ocr_whole(r):
                kept.setdefault(page_of(r), []).append(_ocr_cleaned(r))
            else:
                refused[page_of(r)] = refused.get(page_of(r), 0) + 1
    read: dict[int | None, int] = {}
    for t in tables:
        for r in t.rows:
            read[page_of(r)] = read.get(page_of(r), 0) + 1
    taken = {p for p, rows in kept.items() if p is not None and len(rows) > read.get(p, 0)}
    if not taken:
        return tables
    # the row-lines rows of those pages give way, and so do those it left out there: the stream counts its own
    out = [dataclasses.replace(t, rows=tuple(r for r in t.rows if page_of(r) not in taken),
                               unread_rows=t.unread_rows - sum(p in taken for p in t.unread_pages),
                               unread_pages=tuple(p for p in t.unread_pages if p not in taken)) for t in tables]
    out.append(dataclasses.replace(stream[0], rows=tuple(r for p in sorted(taken) for r in kept[p]),
                                   unread_rows=sum(refused.get(p, 0) for p in taken)))
    return out


def _placed_tables(doc: Document, reading: LayoutReading, method: str) -> list[AppendixTable]:
    """Appendix tables from the tables a reader of printed lines placed in columns (``method``:
    "layout" or "rowlines"), each row with its fit; rows that do not fit are left out and counted."""
    if not reading.tables:
        return []
    by_page: dict[int | None, list] = {}
    for t in reading.tables:
        by_page.setdefault(t.page, []).append(t)
    placed = dataclasses.replace(doc, pages=tuple(
        dataclasses.replace(p, tables=tuple(by_page.get(p.number, ()))) for p in doc.pages))
    tables = [_fitted(t, reading, method) for t in appendix_from_tables(placed)]
    if tables and reading.lost:  # table lines a line read as prose cut off: rows not read
        tables[0] = dataclasses.replace(tables[0], unread_rows=tables[0].unread_rows + reading.lost)
    return tables


#: a row whose printed lines fit its table's columns less than this is left out (layout dumps:
#: cell fragments starting at their columns' edges; row-lines: lines cut cleanly into columns):
#: a wrong row costs more than none
MIN_ROW_FIT = 0.75


def _fitted(table: AppendixTable, reading: LayoutReading, method: str) -> AppendixTable:
    """A table read from placed lines: the top lines of a row that a misplaced boundary made a
    row of their own go back on it (:func:`~extractors.appendix.fragments.fragments_joined`);
    rows carry their fit; rows that do not fit, and rows
    whose body's name or deadline is cut off from its rest (rows out of step, as where cells
    centred in their rows interleave: :func:`~extractors.appendix.row_check.cut_cells`), are
    left out and counted."""
    rows = [dataclasses.replace(r, fit=round(reading.row_fit(r.line_start, r.line_end), 4))
            for r in fragments_joined(table.rows, table.columns)]
    return _keeping(table, [r for r in rows if r.fit >= MIN_ROW_FIT and not _stray(r, table.columns)
                            and not cut_cells(r.cells)], method=method)


def _stray(row, columns) -> bool:
    """Whether a row read from placed lines is stray cell text, not a row: in a table with row
    numbers, it has none, and neither a responsible body nor a deadline (the rest of a cell a
    page break cut, read as a row of its own).  A numbered row may leave both empty."""
    return ("row_no" in columns and not row.row_no and {"lead", "deadline"} <= set(columns)
            and not any((row.cells.get(c) or "").strip() for c in ("lead", "deadline")))


#: appendix columns that hold numbers or labels, not words to restore
_UNRESTORED = frozenset({"row_no", *(f"{c}_no" for c in LABELLED_COLUMNS)})


@stage("repair.table_cells.v1", reads=("tasks",), writes=("tasks",), returns=list)
def _restored_cells(tables: list[AppendixTable], ascii_only: bool = False) -> list[AppendixTable]:
    """Appendix tables of a document whose diacritics were stripped, each cell's diacritics
    restored in the cell's own words (:func:`normalizers.diacritics.restore_units`): the
    lines were restored as printed, and a dump's line runs through several cells, so a cell's
    words were decoded beside its neighbours' ("Thường xuyên" read as "Thượng xuyên" next to
    a budget cell); or, ``ascii_only``, of a document only partly stripped (a PDF whose table
    header kept its marks, repeated on every page, is "mixed"): the cells written in ASCII
    letters only (a PDF's cells were left stripped: 21 of 126 right, now as the stripped DOCX's)."""
    def wanted(text: str | None) -> bool:
        return bool(text) and (not ascii_only or text.isascii())

    where = [(t, r, role) for t, table in enumerate(tables) for r, row in enumerate(table.rows)
             for role, text in row.cells.items() if wanted(text) and role not in _UNRESTORED]
    where += [(t, r, None) for t, table in enumerate(tables) for r, row in enumerate(table.rows)
              if wanted(row.group_title)]
    texts = [tables[t].rows[r].cells[role] if role else tables[t].rows[r].group_title for t, r, role in where]
    new: dict[tuple[int, int], dict] = {}
    for (t, r, role), text in zip(where, restore_units(texts)):
        row = new.setdefault((t, r), {"cells": dict(tables[t].rows[r].cells)})
        if role:
            row["cells"][role] = text
        else:
            row["group_title"] = text
    return [dataclasses.replace(table, rows=tuple(
        dataclasses.replace(row, **new[(t, r)]) if (t, r) in new else row for r, row in enumerate(table.rows)))
        for t, table in enumerate(tables)]


@stage("segment.outline.v1", reads=("lines",), writes=("sections",), returns=tuple)
def _outline(lines: list[str], pages: list[int | None], stop: int | None) -> tuple[Outline, tuple[int, int]]:
    return parse_outline(lines, pages, stop)


@stage("segment.header.v2", reads=("lines",), writes=("documents",), returns=Header)
def _header(lines: list[str], body: tuple[int, int], closing_end: int) -> Header:
    return extract_header(lines, body_start=body[0], closing=(body[1], closing_end))


@stage("facts.body_tasks.v1", reads=("sections",), writes=("tasks",), returns=list)
def _body_tasks(outline: Outline) -> list[BodyTask]:
    return extract_body_tasks(outline)


@stage("facts.targets.v2", reads=("sections", "tasks"), writes=("targets",), returns=list)
def _targets(doc_id: str, outline: Outline, tables: list[AppendixTable], default_year: int | None,
             areas: dict[str, str | None], lines: tuple[Line, ...]) -> list[dict]:
    """Numeric goals of the body paragraphs and the appendix cells, each with its reform area
    (``areas``: section_id -> area) and coded indicator."""
    rows: list[dict] = []
    for block in outline.blocks:
        para = block.paragraph
        # Whole paragraphs, so that a subject or year stated once carries over its clauses.
        cursor = 0
        for t in extract_targets(para.text, default_year=default_year):
            at = _locate(para.text, t.text, cursor)
            if at is not None:
                cursor = at
                first, last = para.line_at(at + t.char_start), para.line_at(at + t.char_end - 1)
            else:
                first, last = para.line_start, para.line_end
            area = _area_with_source(areas.get(block.section_id or ""), t.text)
            rows.append(_target_row(doc_id, t, block.section_id, area, "body",
                                    para.page, first, last, _span_bbox(lines, first, last),
                                    PARSE_CERTAINTY["body"]))
    seen: set[str] = set()
    for table in tables:
        for row in table.rows:
            row_area = _row_area(row)
            for column in ("objective", "task", "activity", "product"):
                text = row.cells.get(column) or ""
                if not text or text in seen:  # a merged cell repeats on every row it spans
                    continue
                seen.add(text)
                for t in extract_targets(text, default_year=default_year):
                    rows.append(_target_row(doc_id, t, None, row_area, "appendix", row.page,
                                            row.line_start, row.line_end, row.bbox, PARSE_CERTAINTY[table.method]))
    for n, row in enumerate(rows, start=1):
        row["target_id"] = f"{doc_id}:t{n}"
    return rows


def _locate(text: str, clause: str, cursor: int) -> int | None:
    """Offset of ``clause`` in ``text``, preferring the first one at or after ``cursor``."""
    at = text.find(clause, cursor)
    if at < 0:
        at = text.find(clause)
    return at if at >= 0 else None


def _target_row(doc_id: str, t: Any, section_id: str | None, area: tuple[str | None, str | None], source: str,
                page: int | None, line_start: int, line_end: int, bbox: Any, parse: float) -> dict:
    # A target without its unit or comparator is a less certain reading of the sentence.
    parse *= 1.0 if t.unit else 0.85
    return {"_parse": parse,
        "doc_id": doc_id, "section_id": section_id, "area": area[0], "area_source": area[1], "text": t.text,
        "subject": t.subject,
        "value": t.value, "value_max": t.value_max, "unit": t.unit, "comparator": t.comparator,
        "target_year": t.target_year, "indicator": classify_indicator(t.subject, t.text, t.unit),
        "source": source, "page": page, "line_start": line_start, "line_end": max(line_start, line_end),
        "bbox": bbox,
    }


def _row_area(row: AppendixRow) -> tuple[str | None, str | None]:
    """``(area, area_source)`` of an appendix row: its group row ("II. Cải cách thủ tục hành
    chính") or its Mục tiêu cell (a merged cell heading the rows it spans) -> "heading"; else
    its own Nhiệm vụ / Hoạt động text -> "text"."""
    area = classify_area(row.group_title) or classify_area(row.cells.get("objective"))
    return _area_with_source(area, row.cells.get("task") or row.cells.get("activity"), duty=True)


def _area_with_source(heading_area: str | None, text: str | None,
                      duty: bool = False) -> tuple[str | None, str | None]:
    """``(area, area_source)``: the area a heading gave ("heading"), else the one the row's own
    text names or the area model finds in it ("text"; normalizers/area_model.py; ``duty``: a
    task, see ``area_of_text``), else nothing."""
    if heading_area is not None:
        return heading_area, "heading"
    area = area_of_text(text, duty=duty)
    return area, "text" if area is not None else None


def _section_areas(outline: Outline) -> dict[str, str | None]:
    """section_id -> reform area of the innermost numbered heading on its path that names one.
    Bullets (-, +) are content, not headings: they take their heading's area, whatever words
    they use ("kỷ luật, kỷ cương" in a public-finance bullet)."""
    by_id = {s.section_id: s for s in outline.sections}
    out: dict[str, str | None] = {}
    for s in outline.sections:
        path, cur = [], s
        while cur is not None:
            if cur.kind not in _BULLET_KINDS:
                path.append(cur.heading)
            cur = by_id.get(cur.parent_id) if cur.parent_id else None
        out[s.section_id] = area_of_path(path[::-1])
    return out


_BULLET_KINDS = frozenset(("dash", "plus"))


@stage("normalize.owners.v3", reads=("tasks",), writes=("owners", "task_owners"), returns=tuple)
def _owners(doc_id: str, tasks: list[dict]) -> tuple[list[dict], list[dict]]:
    """Canonical owners of every lead / support / monitor cell ("Theo dõi, kiểm tra, đôn đốc"),
    resolved within the document against the bodies its "Tổ chức thực hiện" section names (the
    responsibilities' owners)."""
    context = [t["lead"] for t in tasks if t["source"] == "responsibility" and t.get("lead")]
    mentions = [(task, role, surface)
                for task in tasks for role in ROLES if task.get(role)
                for surface in split_owners(task[role])]
    refs = resolve_owners([surface for _, _, surface in mentions], context)
    links: list[dict] = []
    owners: dict[str, dict] = {}
    for (task, role, _), ref in zip(mentions, refs):
        prov = {"page": task.get("page"), "line_start": task.get("line_start"), "line_end": task.get("line_end")}
        links.append({"doc_id": doc_id, "task_id": task["task_id"], "owner_id": ref.key, "role": role,
                      "surface": ref.surface, **prov})
        owner = owners.setdefault(ref.key, {
            "owner_id": ref.key, "name": ref.name, "kind": ref.kind, "level": ref.level,
            "generic": ref.generic, "registered": is_registered(ref), "aliases": set(), "doc_id": doc_id,
            "doc_ids": [doc_id], "n_tasks": 0, **prov,
        })
        owner["aliases"].add(ref.surface)
        owner["n_tasks"] += 1
    for owner in owners.values():
        owner["aliases"] = sorted(owner["aliases"])
    return list(owners.values()), links


@stage("normalize.deadlines.v1", reads=("tasks", "documents"), writes=("tasks",), returns=list)
def _deadlines(tasks: list[dict], header: Header) -> list[dict]:
    """Tasks with ``deadline_start`` / ``deadline_end`` / ``recurrence`` from the printed deadline,
    relative text resolved with the plan's period and issue date."""
    period = (header.period_start, header.period_end)
    out = []
    for task in tasks:
        if task.get("deadline"):
            d = parse_deadline(task["deadline"], period=period, issued=header.issued_date)
            task = {**task, "deadline_start": d.start, "deadline_end": d.end, "recurrence": d.recurrence}
        out.append(task)
    return out


@stage("repair.place_names.v1", reads=("documents",), writes=("documents",), returns=Header)
def _place_spellings(header: Header) -> Header:
    """The header of a document whose marks were restored or read by OCR, its place names spelt
    as the unit lists spell them (:func:`normalizers.admin_units.usual_spelling`): a language
    model restores "Thanh Xuan" as the likelier phrase, not the likelier commune ("Thạnh Xuân"
    for the "Thanh Xuân" of five communes in eight); the date line's place as the unit it names."""
    new = {}
    issuer = header.issuer or ""
    for level in ("commune", "district", "province"):
        name = getattr(header, level)
        spelt = usual_spelling(name, level)
        if not spelt or spelt == name:
            continue
        new[level] = spelt
        if fold(header.issued_place or "") == fold(name):
            new["issued_place"] = spelt
        at = fold(issuer).lower().find(fold(name).lower()) if len(fold(issuer)) == len(issuer) else -1
        if at >= 0 and len(spelt) == len(name):  # "ỦY BAN NHÂN DÂN XÃ THẠNH XUÂN"
            printed = issuer[at:at + len(name)]
            issuer = issuer[:at] + (spelt.upper() if printed.isupper() else spelt) + issuer[at + len(name):]
            new["issuer"] = issuer
    return dataclasses.replace(header, **new) if new else header


@stage("normalize.admin_units.v1", reads=("documents",), writes=("documents",), returns=dict)
def _admin_units(header: Header) -> dict[str, Any]:
    """GSO codes of the printed commune / district / province and their 2025 successors."""
    u = resolve_admin_unit(header.commune, header.district, header.province, as_of=header.issued_date)
    return {
        "commune_code": u.commune_code, "district_code": u.district_code, "province_code": u.province_code,
        "current_commune": u.current_commune, "current_commune_code": u.current_commune_code,
        "current_province": u.current_province, "current_province_code": u.current_province_code,
        "admin_era": u.era, "admin_status": u.status,
    }


@stage("facts.references.v1", reads=("lines",), writes=("references",), returns=list)
def _references(doc_id: str, lines: tuple[Line, ...]) -> list[dict]:
    """Every document the plan cites, one row per citation, in reading order."""
    rows = []
    for n, ref in enumerate(extract_references([line.text for line in lines]), start=1):
        rows.append({
            "doc_id": doc_id, "ref_id": f"{doc_id}:c{n}", "ref_number": ref.ref_number, "ref_type": ref.ref_type,
            "ref_issuer": ref.ref_issuer, "ref_date": ref.ref_date, "text": ref.text,
            "page": lines[ref.line_start - 1].page, "line_start": ref.line_start, "line_end": ref.line_end,
            "bbox": _span_bbox(lines, ref.line_start, ref.line_end),
        })
    return rows


def _span_bbox(lines: tuple[Line, ...], first: int, last: int) -> tuple[float, float, float, float] | None:
    """Union of the boxes of lines ``first..last`` (1-based) on the first line's page; None
    without geometry."""
    span = lines[first - 1:last]
    boxes = [ln.bbox for ln in span if ln.bbox is not None and ln.page == span[0].page] if span else []
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# --- rows -----------------------------------------------------------------------------------


def _task_rows(doc_id: str, tables: list[AppendixTable], body: list[BodyTask],
               areas: dict[str, str | None], lines: tuple[Line, ...]) -> list[dict]:
    rows: list[dict] = []
    n = 0
    for table in tables:
        numbers = sequence_row_numbers([(row.group_no, row.row_no) for row in table.rows])
        for row, (row_no, inferred) in zip(table.rows, numbers):
            n += 1
            cells = row.cells
            outline = {c: split_label(cells.get(c) or None, c) for c in LABELLED_COLUMNS}
            text = {c: t for c, (_, t) in outline.items()}
            task_text = text["task"] or text["activity"] or text["objective"] or ""
            area, area_source = _row_area(row)
            rows.append({
                "doc_id": doc_id, "task_id": f"{doc_id}:a{n}", "source": "appendix", "section_id": None,
                "group_no": row.group_no, "group_title": row.group_title, "area": area, "area_source": area_source,
                "row_no": row_no, "row_no_inferred": inferred,
                "objective": text["objective"], "task": task_text, "activity": text["activity"],
                **{f"{c}_no": no for c, (no, _) in outline.items()},
                "product": cells.get("product") or None,
                "lead": cells.get("lead") or None, "support": cells.get("support") or None,
                "monitor": cells.get("monitor") or None,
                "deadline": cells.get("deadline") or None, "budget": cells.get("budget") or None,
                "note": cells.get("note") or None, "page": row.page,
                "line_start": row.line_start, "line_end": row.line_end, "bbox": row.bbox,
                "_parse": PARSE_CERTAINTY[table.method] * row.fit, "_reading": _weakest_cell(row),
            })
    counters = {"body": 0, "responsibility": 0}
    for task in body:
        counters[task.source] += 1
        prefix = "b" if task.source == "body" else "r"
        area, area_source = _area_with_source(
            areas.get(task.section_id or "") or classify_area(task.group_title), task.text, duty=True)
        rows.append({
            "doc_id": doc_id, "task_id": f"{doc_id}:{prefix}{counters[task.source]}", "source": task.source,
            "section_id": task.section_id, "group_no": task.group_no, "group_title": task.group_title,
            "area": area, "area_source": area_source,
            "task": task.text, "lead": task.lead, "page": task.page,
            "line_start": task.line_start, "line_end": task.line_end,
            "bbox": _span_bbox(lines, task.line_start, task.line_end), "_parse": PARSE_CERTAINTY[task.source],
        })
    return rows


def _section_rows(doc_id: str, outline: Outline, areas: dict[str, str | None],
                  lines: tuple[Line, ...]) -> list[dict]:
    texts = _section_texts(outline, lines)
    rows = []
    for s in outline.sections:
        area, area_source = _area_with_source(areas.get(s.section_id), s.heading)
        rows.append({
            "doc_id": doc_id, "section_id": s.section_id, "parent_id": s.parent_id, "level": s.level,
            "kind": s.kind, "number": s.number, "heading": s.heading, "area": area, "area_source": area_source,
            "text": texts.get(s.section_id), "page": s.page, "line_start": s.line_start, "line_end": s.line_end,
            "bbox": _span_bbox(lines, s.line_start, s.line_start),
        })
    return rows


def _section_texts(outline: Outline, lines: tuple[Line, ...]) -> dict[str, str]:
    """section_id -> the lines of the section's own blocks (its heading or bullet paragraph and
    the plain paragraphs under it, not its children's), stripped and joined with "\n"."""
    own: dict[str, list[str]] = {}
    for block in outline.blocks:
        if block.section_id is not None:
            own.setdefault(block.section_id, []).extend(
                lines[number - 1].text.strip() for _, number in block.paragraph.offsets)
    return {section_id: "\n".join(texts) for section_id, texts in own.items()}


def _document_row(doc: Document, doc_id: str, header: Header, units: dict[str, Any], status: str) -> dict:
    lines = doc.lines
    return {**units,
        "doc_id": doc_id, "source_path": doc.source_path, "source_sha256": doc.source_sha256,
        "source_format": doc.source_format, "source_encoding": doc.source_encoding,
        "text_state": doc.text_state, "repair_confidence": doc.repair_confidence,
        "issuer": header.issuer, "commune": header.commune, "district": header.district,
        "province": header.province, "doc_type": header.doc_type, "doc_number": header.doc_number,
        "issued_place": header.issued_place,
        "issued_date": header.issued_date, "title": header.title, "period_start": header.period_start,
        "period_end": header.period_end, "signer": header.signer, "signer_title": header.signer_title,
        "n_pages": len(doc.pages), "n_lines": len(lines), "status": status,
        "page_methods": [page.method for page in doc.pages],
        "page_quality": [page.quality for page in doc.pages],
        "page_accuracy": [page_accuracy(page) for page in doc.pages],
        "page_reasons": [page.reason or None for page in doc.pages],
        "n_pages_ocr": sum(page.method in ("ocr", "hybrid") for page in doc.pages),
        "n_pages_reread": sum(page.layer_broken for page in doc.pages),
        "text_quality": round(syllable_share("\n".join(line.text for line in lines)), 4) if lines else None,
        "page": 1 if lines else None, "line_start": 1 if lines else None, "line_end": len(lines) or None,
    }


def _add_confidence(rows: list[dict], reading: dict[int | None, float | None], text_keys: tuple[str, ...]) -> None:
    """``confidence`` of each row (:func:`normalizers.quality.row_confidence`) from its page's
    reading quality (for a row of an OCR'd table, its weakest cell's, when lower), its own text
    and the certainty of the parse that found it."""
    for row in rows:
        text = next((row[k] for k in text_keys if row.get(k)), "")
        known = [q for q in (reading.get(row.get("page")), row.pop("_reading", None)) if q is not None]
        row["confidence"] = row_confidence(min(known, default=None), text, row.pop("_parse", 1.0))


def _scrub_rows(tables: dict[str, list[dict[str, Any]]], errors: list[ErrorItem], path: str) -> None:
    """Never garbage as success: ``(cid:N)`` codes and characters outside the Vietnamese/Latin
    repertoire are cut from every string cell (and list of strings); when anything was cut the
    document gets an error item saying where."""
    cut: dict[str, int] = {}
    pages: set[int] = set()
    for name, rows in tables.items():
        for row in rows:
            for key, value in row.items():
                if isinstance(value, str):
                    clean, n = scrub(value)
                elif isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
                    parts = [scrub(v) for v in value]
                    clean, n = type(value)(p[0] for p in parts), sum(p[1] for p in parts)
                else:
                    continue
                if n:
                    row[key] = clean if clean != "" else None
                    cut[name] = cut.get(name, 0) + 1
                    if isinstance(row.get("page"), int):
                        pages.add(row["page"])
    if cut:
        where = ", ".join(f"{n} in {name}" for name, n in cut.items())
        on = f" on page(s) {', '.join(map(str, sorted(pages)))}" if pages else ""
        errors.append(ErrorItem("output", "unreadable", f"{path}: unreadable characters (glyph codes or characters "
                                f"outside the Vietnamese/Latin repertoire) cut from {where} cells{on}"))


# --- the per-document function ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Timer:
    start: float

    def seconds(self) -> float:
        return round(time.perf_counter() - self.start, 6)


def process_document(path: str | os.PathLike[str], cfg: Config) -> DocumentResult:
    """Extract every table's rows from one input file.  Never raises for bad input."""
    timer = _Timer(time.perf_counter())
    path = Path(path)
    sha256: str | None = None
    try:
        data = read_input(path, cfg)
        sha256 = hashlib.sha256(data).hexdigest()
        doc = extract_document(path, cfg, data, sha256)
    except KehoachError as exc:
        return _failure(path, sha256, timer, "read", exc)
    except MemoryError:
        return _failure(path, sha256, timer, "extract", _out_of_memory(path, cfg))
    except Exception as exc:  # noqa: BLE001 - any extractor bug becomes this file's failure
        if type(exc).__name__ == "DecompressionBombError":  # PIL's guard, past our own check
            return _failure(path, sha256, timer, "read", LimitExceededError(
                f"an image in the file is too large to decode ({exc}); see KEHOACH_MAX_PAGE_PIXELS", path=str(path)))
        return DocumentResult(str(path), sha256 and doc_id_of(sha256), "failure", timer.seconds(),
                              errors=(ErrorItem("extract", "internal", f"{path}: {type(exc).__name__}: {exc}"),),
                              source_sha256=sha256)
    try:
        return _segment(doc, doc_id_of(doc.source_sha256), timer, cfg)
    except MemoryError:
        return _failure(path, sha256, timer, "segment", _out_of_memory(path, cfg))


def _failure(path: Path, sha256: str | None, timer: _Timer, stage: str, exc: KehoachError) -> DocumentResult:
    # Every message names its file, also when the error was raised without one (a missing program).
    message = str(exc) if exc.path else f"{path}: {exc}"
    return DocumentResult(str(path), sha256 and doc_id_of(sha256), "failure", timer.seconds(),
                          errors=(ErrorItem(stage, exc.category, message),), source_sha256=sha256)


def _out_of_memory(path: Path, cfg: Config) -> ResourceLimitError:
    limit = (f"the limit of {cfg.worker_memory_mb:,} MiB (KEHOACH_WORKER_MEMORY_MB)"
             if cfg.worker_memory_mb else "the memory available")
    return ResourceLimitError(f"ran out of memory, over {limit}; raise the limit or split the document",
                              path=str(path))


def _segment(doc: Document, doc_id: str, timer: _Timer, cfg: Config) -> DocumentResult:
    errors: list[ErrorItem] = list(doc.errors)
    doc = repair_document(doc, cfg, errors)
    lines = doc.texts()
    pages = [line.page for line in doc.lines]

    tables: list[AppendixTable] = run_stage("segment.appendix.v3", errors, [], doc, lines)
    if doc.text_state in ("ascii", "mixed"):
        tables = run_stage("repair.table_cells.v1", errors, tables, tables, doc.text_state == "mixed")
    unread = sum(t.unread_rows for t in tables)
    if unread:
        errors.append(ErrorItem("segment.appendix.v3", "unreadable", (
            f"{doc.source_path}: {unread} appendix row(s) left out: their cells could not be told "
            "apart (a dump that did not print the table row by row, or whose columns ran together)")))
    unnamed = [head for t in tables if t.rows for head in t.unnamed]
    if unnamed:
        errors.append(ErrorItem("segment.appendix.v3", "unnamed_column", (
            f"{doc.source_path}: appendix column(s) {', '.join(repr(h) for h in unnamed)} name no known "
            "column: their cells are not in the rows")))
    report_missing_tables(doc, tables, errors)
    report_poor_reading(doc, errors)
    starts = [t.header_line or (t.rows[0].line_start if t.rows else None) for t in tables]
    appendix_start = min((s - 1 for s in starts if s), default=None)
    # The "PHỤ LỤC" title block sits just above the first table header.
    outline, body = run_stage("segment.outline.v1", errors, (EMPTY_OUTLINE, (0, len(lines))),
                              lines, pages, appendix_start)
    header: Header = run_stage("segment.header.v2", errors, Header(), lines, body,
                               appendix_start if appendix_start is not None else len(lines))
    if doc.text_state in ("ascii", "ocr_mangled", "mixed") or any(map(read_by_ocr, doc.pages)):
        header = run_stage("repair.place_names.v1", errors, header, header)
    areas = _section_areas(outline)
    doc_lines = doc.lines
    tasks: list[dict] = []
    targets: list[dict] = []
    owners: list[dict] = []
    task_owners: list[dict] = []
    if is_plan(header.doc_type):  # a decision, letter or report states no plan's tasks or goals
        body_tasks: list[BodyTask] = run_stage("facts.body_tasks.v1", errors, [], outline)
        tasks = _task_rows(doc_id, tables, body_tasks, areas, doc_lines)
        tasks = run_stage("normalize.deadlines.v1", errors, tasks, tasks, header)
        one_year = header.period_start if header.period_start == header.period_end else None
        targets = run_stage("facts.targets.v2", errors, [], doc_id, outline, tables, one_year, areas, doc_lines)
        owners, task_owners = run_stage("normalize.owners.v3", errors, ([], []), doc_id, tasks)
    units: dict[str, Any] = run_stage("normalize.admin_units.v1", errors, {}, header)
    references: list[dict] = run_stage("facts.references.v1", errors, [], doc_id, doc_lines)

    state_reading = STATE_READING.get(doc.text_state, 0.85)
    reading = {page.number: state_reading if page.quality is None else page.quality for page in doc.pages}
    reading[None] = state_reading
    _add_confidence(tasks, reading, ("task", "activity", "objective"))
    _add_confidence(targets, reading, ("text",))

    rows: dict[str, list[dict[str, Any]]] = {
        "sections": _section_rows(doc_id, outline, areas, doc_lines), "targets": targets, "tasks": tasks,
        "owners": owners, "task_owners": task_owners, "references": references,
    }
    _scrub_rows(rows, errors, doc.source_path)
    status = "partial" if errors else "success"
    documents = [_document_row(doc, doc_id, header, units, status)]
    _scrub_rows({"documents": documents}, errors, doc.source_path)
    if errors and documents[0]["status"] == "success":
        documents[0]["status"] = status = "partial"
    result_tables: dict[str, tuple[dict[str, Any], ...]] = {
        "documents": tuple(documents),
        **{name: tuple(table) for name, table in rows.items()},
    }
    return DocumentResult(doc.source_path, doc_id, status, timer.seconds(), result_tables, tuple(errors),
                          source_sha256=doc.source_sha256)
