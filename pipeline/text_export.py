"""A document's text as kehoach read it, page by page: the function behind ``kehoach text``.

The file is read by :func:`pipeline.reading.read_document`, as ``kehoach extract`` reads it
(extraction with the page verdict and OCR, then the repair of damaged Vietnamese), and
rendered as

* ``txt``: the lines, each ending in a newline, pages separated by a form feed (``\\f``), so
  that splitting on ``\\f`` gives one part per page;
* ``md``: the headings of the section tree (:func:`extractors.sections.parse_outline`) as
  Markdown headings, the tables of DOCX files, PDFs and scans as pipe tables, the rest as
  paragraphs; an HTML comment marks where each page starts;
* ``json``: file identity, text state and every page with its method, verdict reason,
  quality, estimated accuracy (OCR'd pages: ``documents.page_accuracy``), lines (number,
  text, box, confidence) and tables (cells with their spans, boxes and lines).

Cell texts are taken from the cell's repaired lines, so tables read like the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.sections import Outline, parse_outline
from pipeline.config import Config
from pipeline.model import Cell, Document, ErrorItem, Line, Table
from pipeline.reading import page_accuracy, read_document

FORMATS = ("txt", "md", "json")


@dataclass(frozen=True, slots=True)
class ExportedText:
    text: str  #: the rendered document
    document: Document  #: the document as read (after repair)
    errors: tuple[ErrorItem, ...]  #: problems that left the document readable in part


def export_text(path: str | Path, fmt: str, cfg: Config) -> ExportedText:
    """Read ``path`` into its final lines and render them as ``fmt`` (txt, md or json).
    Raises :class:`~pipeline.errors.KehoachError` when the file cannot be read."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    doc, errors = read_document(Path(path), cfg)
    render = {"txt": render_txt, "md": render_md, "json": render_json}[fmt]
    return ExportedText(render(doc, errors), doc, tuple(errors))


def render_txt(doc: Document, errors: Sequence[ErrorItem] = ()) -> str:
    return "\f".join("".join(line.text + "\n" for line in page.lines) for page in doc.pages)


# --- json ---------------------------------------------------------------------------------------


def render_json(doc: Document, errors: Sequence[ErrorItem] = (), *, indent: int | None = 1) -> str:
    lines = doc.lines
    data = {
        "file": doc.source_path, "sha256": doc.source_sha256, "format": doc.source_format,
        "encoding": doc.source_encoding, "text_state": doc.text_state,
        "repair_confidence": doc.repair_confidence,
        "pages": [{
            "number": page.number, "method": page.method, "reason": page.reason or None,
            "quality": page.quality, "accuracy": page_accuracy(page), "width": page.width, "height": page.height,
            "lines": [{"number": ln.number, "text": ln.text, "bbox": _box(ln.bbox), "confidence": ln.confidence}
                      for ln in page.lines],
            "tables": [_table_json(t, lines) for t in page.tables],
        } for page in doc.pages],
        "errors": [{"stage": e.stage, "category": e.category, "message": e.message, "page": e.page}
                   for e in errors],
    }
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    if indent is not None:  # a box on one line: [x0, top, x1, bottom]
        text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(v.strip() for v in m.group(1).split(",")) + "]", text)
    return text + "\n"


#: a JSON list of numbers spread over lines by ``indent`` (a string holds no raw newline: never matched)
_NUMBER_LIST = re.compile(r"\[\n\s*(-?[\d.eE+-]+(?:,\n\s*-?[\d.eE+-]+)*)\n\s*\]")


def _table_json(table: Table, lines: tuple[Line, ...]) -> dict:
    return {
        "page": table.page, "bbox": _box(table.bbox), "header_rows": table.header_rows,
        "cells": [{"row": c.row, "col": c.col, "row_span": c.row_span, "col_span": c.col_span,
                   "text": cell_text(c, lines), "bbox": _box(c.bbox), "line_start": c.line_start,
                   "line_end": c.line_end, "confidence": c.confidence} for c in table.cells],
    }


def _box(bbox) -> list[float] | None:
    return None if bbox is None else [round(v, 2) for v in bbox]


def cell_text(cell: Cell, lines: tuple[Line, ...]) -> str:
    """The cell's text from its (repaired) document lines; its own text when it has none."""
    if cell.line_start is None or cell.line_end is None or cell.line_end > len(lines):
        return cell.text
    return "\n".join(line.text for line in lines[cell.line_start - 1:cell.line_end])


# --- markdown -----------------------------------------------------------------------------------

#: section kinds that are headings (bullets are paragraphs)
_HEADING_KINDS = ("roman", "arabic", "letter")


def render_md(doc: Document, errors: Sequence[ErrorItem] = ()) -> str:
    lines = doc.lines
    outline = _outline(doc)
    headings = _headings(outline)
    starts = {b.paragraph.line_start for b in outline.blocks}  # a bullet starts a new paragraph
    tables = _table_lines(doc)
    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append("\n".join(para))
            para.clear()

    done: set[int] = set()  # line numbers already written (headings, tables)
    for page in doc.pages:
        flush()
        out.append(f"<!-- page {page.number} ({page.method}) -->")
        for line in page.lines:
            n = line.number
            if n in done:
                continue
            text = line.text.strip()
            if n in tables or n in headings or n in starts or not text:
                flush()
            if n in tables:
                out.append(pipe_table(tables[n], lines))
                done.update(_covered(tables[n]))
            elif n in headings:
                level, last = headings[n]
                words = " ".join(ln.text.strip() for ln in lines[n - 1:last] if ln.text.strip())
                out.append("#" * min(level, 6) + " " + _md_escape(words))
                done.update(range(n, last + 1))
            elif text:
                para.append(_md_escape(text))
    flush()
    return "\n\n".join(out) + "\n"


def _outline(doc: Document) -> Outline:
    """The section tree as the pipeline reads it, up to the first table (the appendix)."""
    starts = [c.line_start for page in doc.pages for t in page.tables for c in t.cells if c.line_start]
    outline, _ = parse_outline(doc.texts(), [line.page for line in doc.lines], min(starts) - 1 if starts else None)
    return outline


def _headings(outline: Outline) -> dict[int, tuple[int, int]]:
    """first line of every heading (numbered, not a bullet) -> (Markdown level, last line)."""
    by_id = outline.by_id()
    out: dict[int, tuple[int, int]] = {}
    for s in outline.sections:
        if s.kind not in _HEADING_KINDS:
            continue
        depth, parent = 1, s.parent_id
        while parent is not None:
            depth += by_id[parent].kind in _HEADING_KINDS
            parent = by_id[parent].parent_id
        out[s.line_start] = (depth, s.line_end)
    return out


def _table_lines(doc: Document) -> dict[int, Table]:
    """first document line of every table -> the table (tables without lines are left out)."""
    out: dict[int, Table] = {}
    for page in doc.pages:
        for table in page.tables:
            covered = _covered(table)
            if covered:
                out.setdefault(min(covered), table)
    return out


def _covered(table: Table) -> set[int]:
    return {n for c in table.cells if c.line_start is not None for n in range(c.line_start, c.line_end + 1)}


def pipe_table(table: Table, lines: tuple[Line, ...]) -> str:
    """A Markdown pipe table: a merged cell's text in its top-left position, the header row(s)
    (one when the table does not say) joined into the Markdown header."""
    n_rows = max((c.row + c.row_span for c in table.cells), default=0)
    n_cols = max((c.col + c.col_span for c in table.cells), default=0)
    grid = [[""] * n_cols for _ in range(n_rows)]
    for cell in table.cells:
        grid[cell.row][cell.col] = _cell_md(cell_text(cell, lines))
    head_rows = max(1, min(table.header_rows, n_rows))
    header = [" ".join(dict.fromkeys(grid[r][c] for r in range(head_rows) if grid[r][c])) for c in range(n_cols)]
    rows = [header, ["---"] * n_cols, *grid[head_rows:]]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def _cell_md(text: str) -> str:
    parts = [" ".join(part.split()) for part in text.split("\n")]
    return "<br>".join(p for p in parts if p).replace("|", "\\|")


def _md_escape(text: str) -> str:
    """Text that Markdown would not take for markup it is not: a leading '#' or a table bar."""
    text = text.replace("|", "\\|")
    return "\\" + text if text.startswith("#") else text
