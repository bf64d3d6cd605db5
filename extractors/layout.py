"""Page layout shared by the PDF text-layer and OCR extractors: words -> lines, cell boxes ->
grid cells with spans, and one page's words + tables -> :class:`~pipeline.model.Page`.

Coordinates are PDF points, ``(x0, top, x1, bottom)`` with the origin at the top-left.

Reading order of a page: blocks sorted by their top; a block is a free text line or a table.
A table's text is emitted cell by cell, row by row (left to right), one line per visual line
inside the cell, so every cell knows the lines that hold it (``Cell.line_start/line_end``), and
the line stream reads like the cell-line layout of a PDF text dump.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass, field

from pipeline.model import BBox, Cell, Line, Page, Table

__all__ = ["Word", "GridCell", "TableGrid", "group_lines", "line_text", "cells_from_boxes", "assemble_page"]


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float | None = None  # [0, 1] for OCR words
    #: per letter of ``text``, the readings OCR weighed for it, ((letter, confidence), ...) best
    #: first (the post-OCR correction's prior); None when the engine gave none
    alternatives: tuple | None = field(default=None, compare=False, repr=False)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True, slots=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    bbox: BBox


@dataclass(frozen=True, slots=True)
class TableGrid:
    bbox: BBox
    cells: tuple[GridCell, ...]


def group_lines(words: list[Word]) -> list[list[Word]]:
    """Words -> visual lines (top to bottom, each left to right).

    A word joins a line when its vertical centre lies inside the line's band and it does not
    overlap a word already there horizontally (which would mean a second line of another
    column at almost the same height)."""
    if not words:
        return []
    lines: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        placed = False
        for k in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = bands[k]
            if top - 0.5 <= w.cy <= bottom + 0.5 and not any(
                    w.x0 < o.x1 - 0.5 and o.x0 < w.x1 - 0.5 for o in lines[k]):
                lines[k].append(w)
                placed = True
                break
        if not placed:
            lines.append([w])
            bands.append((w.top, w.bottom))
    out = [sorted(ln, key=lambda w: w.x0) for ln in lines]
    out.sort(key=lambda ln: (min(w.top for w in ln), ln[0].x0))
    return out


def line_text(words: list[Word]) -> str:
    """Join a line's words: one space, more where the gap is wide (several character widths),
    so two columns on one line stay apart as in ``pdftotext -layout``."""
    parts: list[str] = []
    prev: Word | None = None
    for w in words:
        if prev is not None:
            charw = max(1.0, (prev.x1 - prev.x0) / max(1, len(prev.text)))
            gap = w.x0 - prev.x1
            parts.append(" " * max(1, min(40, int(gap / charw))) if gap > 3 * charw else " ")
        parts.append(w.text)
        prev = w
    return unicodedata.normalize("NFC", "".join(parts))


def _snap(values: list[float], tol: float) -> list[float]:
    """Edge positions: sorted values closer than ``tol`` to their neighbour form one edge
    (the mean of its run), so that 60.5, 61.0, 62.9 and 63.4 are one ruling, not two."""
    runs: list[list[float]] = []
    for v in sorted(values):
        if runs and v - runs[-1][-1] <= tol:
            runs[-1].append(v)
        else:
            runs.append([v])
    return [sum(r) / len(r) for r in runs]


def _index(coords: list[float], v: float) -> int:
    return min(range(len(coords)), key=lambda i: abs(coords[i] - v))


def cells_from_boxes(boxes: list[BBox], tol: float = 2.0) -> list[GridCell]:
    """Cell rectangles -> grid cells: the distinct x and y edges (within ``tol`` points) form
    the grid; a rectangle covering several grid intervals gets a span; intervals no rectangle
    covers are left out."""
    if not boxes:
        return []
    xs = _snap([b[0] for b in boxes] + [b[2] for b in boxes], tol)
    ys = _snap([b[1] for b in boxes] + [b[3] for b in boxes], tol)
    spans = []
    for b in boxes:
        c0, c1 = _index(xs, b[0]), _index(xs, b[2])
        r0, r1 = _index(ys, b[1]), _index(ys, b[3])
        if c1 > c0 and r1 > r0:
            spans.append((r0, r1, c0, c1, b))
    # An interval no cell covers is the width of a ruling whose two sides are too far apart
    # to snap (a double or thick border): dropped, so that it does not become an empty column.
    # So is a sliver (narrower than SLIVER_PT) that only cells spanning wider intervals cover:
    # a thick ruling's width under a merged cell (a group row across the columns of a 150 dpi
    # scan made a sliver column, and the table's pages no longer continued one another).
    cols = _renumber(_kept(xs, [(c0, c1) for _, _, c0, c1, _ in spans]))
    rows = _renumber(_kept(ys, [(r0, r1) for r0, r1, _, _, _ in spans]))
    out = []
    for r0, r1, c0, c1, b in spans:
        rs = [rows[k] for k in range(r0, r1) if k in rows]
        cs = [cols[k] for k in range(c0, c1) if k in cols]
        if rs and cs:  # a cell lying on slivers only is none
            out.append(GridCell(rs[0], cs[0], rs[-1] + 1 - rs[0], cs[-1] + 1 - cs[0], b))
    out.sort(key=lambda g: (g.row, g.col))
    return out


#: grid intervals narrower than this (points) are ruling widths unless a cell covers them alone
SLIVER_PT = 4.0


def _kept(edges: list[float], spans: list[tuple[int, int]]) -> set[int]:
    """The grid intervals (between ``edges``) that are columns (rows): covered by a cell, and
    either wider than :data:`SLIVER_PT` or a cell's whole extent."""
    covered = {k for a, b in spans for k in range(a, b)}
    alone = {a for a, b in spans if b == a + 1}
    return {k for k in covered if k in alone or edges[k + 1] - edges[k] >= SLIVER_PT}


def _renumber(used: set[int]) -> dict[int, int]:
    return {k: i for i, k in enumerate(sorted(used))}


def _inside(w: Word, b: BBox) -> bool:
    return b[0] <= w.cx <= b[2] and b[1] <= w.cy <= b[3]


def _first_cell(words: list[Word], cells: tuple[GridCell, ...]) -> list[int | None]:
    """For every word, the index of the first cell whose box holds its centre (None if none);
    one vectorised test of all words against all cells (an OCR'd page has ~700 words and ~80
    cells)."""
    if not words or not cells:
        return [None] * len(words)
    import numpy as np

    cx = np.array([w.cx for w in words])[:, None]
    cy = np.array([w.cy for w in words])[:, None]
    box = np.array([c.bbox for c in cells], dtype=float)
    inside = (box[:, 0] <= cx) & (cx <= box[:, 2]) & (box[:, 1] <= cy) & (cy <= box[:, 3])
    first = inside.argmax(axis=1)
    found = inside[np.arange(len(words)), first]
    return [int(i) if ok else None for i, ok in zip(first, found)]


def _bbox_of(words: list[Word]) -> BBox:
    return (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
            max(w.bottom for w in words))


def _conf(words: list[Word]) -> float | None:
    vals = [w.confidence for w in words if w.confidence is not None]
    return round(statistics.fmean(vals), 4) if vals else None


def _clip(b: BBox, width: float | None, height: float | None) -> BBox:
    x0, top, x1, bottom = b
    if width is not None:
        x0, x1 = max(0.0, min(x0, width)), max(0.0, min(x1, width))
    if height is not None:
        top, bottom = max(0.0, min(top, height)), max(0.0, min(bottom, height))
    return (round(x0, 2), round(top, 2), round(max(x0, x1), 2), round(max(top, bottom), 2))


def assemble_page(number: int, method: str, words: list[Word], grids: list[TableGrid], first_line: int, *,
                  width: float | None = None, height: float | None = None,
                  quality: float | None = None) -> Page:
    """Build one :class:`Page`; its lines are numbered from ``first_line`` (1-based, global)."""
    table_words: list[list[Word]] = [[] for _ in grids]
    free: list[Word] = []
    for w in words:
        for k, g in enumerate(grids):
            if _inside(w, g.bbox):
                table_words[k].append(w)
                break
        else:
            free.append(w)
    blocks: list[tuple[float, int, object]] = []
    for ln in group_lines(free):
        blocks.append((min(w.top for w in ln), 0, ln))
    for k, g in enumerate(grids):
        blocks.append((g.bbox[1], 1, k))
    blocks.sort(key=lambda b: (b[0], b[1]))
    lines: list[Line] = []
    tables: list[Table] = []
    n = first_line

    def add(ws: list[Word]) -> int:
        nonlocal n
        lines.append(Line(number=n, text=line_text(ws), page=number, bbox=_clip(_bbox_of(ws), width, height),
                          confidence=_conf(ws)))
        n += 1
        return n - 1

    for _, kind, item in blocks:
        if kind == 0:
            add(item)  # type: ignore[arg-type]
            continue
        g = grids[item]  # type: ignore[index]
        cell_words: list[list[Word]] = [[] for _ in g.cells]
        for w, best in zip(table_words[item], _first_cell(table_words[item], g.cells)):  # type: ignore[index]
            if best is not None:
                cell_words[best].append(w)
        cells: list[Cell] = []
        for c, ws in zip(g.cells, cell_words):
            nums: list[int] = []
            texts: list[str] = []
            for ln in group_lines(ws):
                nums.append(add(ln))
                texts.append(lines[-1].text)
            cells.append(Cell(row=c.row, col=c.col, text="\n".join(" ".join(t.split()) for t in texts),
                              row_span=c.row_span, col_span=c.col_span, bbox=_clip(c.bbox, width, height),
                              line_start=min(nums) if nums else None, line_end=max(nums) if nums else None,
                              confidence=_conf(ws)))
        tables.append(Table(cells=tuple(cells), page=number, bbox=_clip(g.bbox, width, height)))
    return Page(number=number, method=method, lines=tuple(lines), tables=tuple(tables), width=width,
                height=height, quality=quality)
