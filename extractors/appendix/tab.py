"""Tab layout: one table row per line, cells separated by tabs (DOCX dumps); rows read by position."""

from __future__ import annotations


import itertools
import re
from dataclasses import dataclass

from extractors.column_roles import header_role, header_words_only
from extractors.appendix.layout_dump import _OUTLINE, _merged_columns
from extractors.appendix.model import AppendixRow, AppendixTable
from extractors.appendix.text import _collapse, _is_roman, _join_text
from extractors.appendix.vocab import _valid_header, _words
from extractors.appendix.prepare import _Doc, _is_prose_end


#: a group row printed in one cell: its roman numeral, then its title
_GROUP_RE = re.compile(r"^([IVXLC]{1,6})[.)]\s+(\S.*)$")


@dataclass(frozen=True, slots=True)
class _TabHeader:
    cols: tuple[str, ...]  # the columns, in printed order
    positions: tuple[int, ...]  # each column's cell index in a row
    lines: int  # printed lines (two for a two-level header)
    unnamed: tuple[str, ...] = ()  # header cells that name no known column (left out)
    width: int = 0  # cells the header prints


def _tab_header(doc: _Doc, i: int) -> _TabHeader | None:
    """The header at line ``i``: one line of header cells, or two -- a two-level header's top
    cells ("Trách nhiệm thực hiện" spanning two columns) over its lower cells ("Chủ trì" |
    "Phối hợp"), the lower line after it (blank lines between, as a Markdown table's delimiter
    row)."""
    top = doc.fold[i].split("\t")
    j = i + 1
    while j < len(doc.raw) and doc.blank[j]:
        j += 1
    if j < len(doc.raw) and doc.raw[j].count("\t") >= 1:
        two = _two_level(top, doc.fold[j].split("\t"))
        if two is not None:
            return _TabHeader(two[0], two[1], j - i + 1, width=max(len(top), len(doc.fold[j].split("\t"))))
    cols: list[str] = []
    positions: list[int] = []
    unnamed: list[str] = []
    for k, c in enumerate(top):
        if not _words(c):
            continue  # a column without a header cell (an unnamed TT column) is left out
        role = header_role(c)
        if role is None:
            if _digits(c) or len(_words(c)) > MAX_UNNAMED_WORDS:
                return None
            unnamed.append(_collapse(doc.raw[i].split("\t")[k]))
            continue
        cols.append(role)
        positions.append(k)
    if len(cols) < MIN_NAMED_SHARE * (len(cols) + len(unnamed)) or not _valid_header(cols):
        return None
    return _TabHeader(tuple(cols), tuple(positions), 1, tuple(unnamed), len(top))


#: a header cell naming no known column is one of the table's when it has at most this many
#: words and no digit ("Ghi chú của xã"), and the cells naming columns are at least this share
#: of the header's (as in a table with structure, :mod:`extractors.appendix.grid`): its column
#: is left out of the rows and reported (``AppendixTable.unnamed``)
MAX_UNNAMED_WORDS = 8
MIN_NAMED_SHARE = 0.6


def _digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


#: words of a two-level header's lower cell at most
SUB_CELL_WORDS = 5


def _two_level(top: list[str], lower: list[str]) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The columns and their cell indices of a two-level header whose top line's cells are
    ``top`` and lower line's ``lower`` (folded), or None when ``lower`` holds no lower cells.

    The lower line prints a cell for every column (empty under a top cell merged down, or its
    text repeated as docling does); the top line prints a spanning cell once (Word's text
    export: fewer cells) or followed by empty cells (a Markdown table).  Each column is named by
    its lower cell ("Phối hợp"; "Hoàn thành" under "Tiến độ thực hiện" read with it), else by
    its top cell."""
    n = len(lower)
    lower = [("" if k < len(top) and _collapse(c) == _collapse(top[k]) else c) for k, c in enumerate(lower)]
    subs = [k for k, c in enumerate(lower) if _words(c)]
    if not subs or _words(lower[0]) or len(top) > n:
        return None
    if any(len(_words(lower[k])) > SUB_CELL_WORDS
           or not header_words_only(lower[k])
           for k in subs):
        return None
    spans = _spans(top, lower)
    if spans is None:
        return None
    cols: list[str] = []
    positions: list[int] = []
    for t, (a, b) in enumerate(spans):
        for k in range(a, b):
            if _words(lower[k]):
                role = header_role(lower[k]) or header_role(f"{top[t]} {lower[k]}")
            elif _words(top[t]) and b - a == 1:
                role = header_role(top[t])
            else:
                continue
            if role is None:
                return None
            cols.append(role)
            positions.append(k)
    if not _valid_header(cols) or not any(lower[k] for k in positions):
        return None
    return tuple(cols), tuple(positions)


def _spans(top: list[str], lower: list[str]) -> list[tuple[int, int]] | None:
    """The lower cells each top cell stands over, ``[(start, end), ...]`` one per top cell: with
    as many cells on both lines, a filled top cell spans the empty top cells after it that have
    a lower cell; with fewer top cells, the split of the lower cells that best fits the roles
    (a top cell over two cells or more names no column of its own; one over one lower cell
    names the lower cell's role or none)."""
    n = len(lower)
    if len(top) == n:
        out: list[tuple[int, int]] = []
        owner = None  # the filled top cell over a run of lower cells
        for k in range(n):
            if owner is not None and not _words(top[k]) and _words(lower[k]) and out[owner][1] == k:
                out[owner] = (out[owner][0], k + 1)
                out.append((k, k))  # the empty top cell spans nothing of its own
            else:
                owner = k if _words(top[k]) and _words(lower[k]) else None
                out.append((k, k + 1))
        return out
    best: tuple[int, list[tuple[int, int]]] | None = None
    for cuts in itertools.combinations(range(1, n), len(top) - 1):
        bounds = list(zip((0, *cuts), (*cuts, n)))
        cost = 0
        for t, (a, b) in enumerate(bounds):
            if b - a > 1 and not all(_words(lower[k]) for k in range(a, b)):
                break  # a cell merged down has no lower cell beside a spanning one
            named = header_role(top[t]) if _words(top[t]) else None
            if b - a > 1:
                cost += named is not None and named not in {header_role(lower[k]) for k in range(a, b)}
            elif _words(lower[a]):
                cost += named is not None and named != header_role(f"{top[t]} {lower[a]}")
            else:
                cost += named is None
        else:
            if best is None or cost < best[0]:
                best = (cost, bounds)
    return best[1] if best is not None else None


def _extract_tab_tables(doc: _Doc) -> list[AppendixTable]:
    n = len(doc.raw)
    tables: list[AppendixTable] = []
    i = 0
    while i < n:
        if doc.raw[i].count("\t") < 2:
            i += 1
            continue
        header = _tab_header(doc, i)
        if header is None:
            i += 1
            continue
        cols = header.cols
        header_line = i
        page = 1
        rows: list[dict] = []
        group: tuple[str | None, str | None] = (None, None)
        prose_run = 0
        j = i + header.lines
        while j < n:
            line = doc.raw[j]
            if doc.blank[j]:
                j += 1
                continue
            if line.count("\t") >= 1:
                prose_run = 0
                rep = _tab_header(doc, j) if line.count("\t") >= 2 else None
                if rep is not None:
                    if rep.cols != cols:
                        break  # a different table starts
                    page += 1
                    j += rep.lines
                    continue
                cells = _row_cells(line, header.positions, header.width)
                first = cells[0]
                others = [c for c in cells[1:] if c]
                if _is_roman(first.rstrip(".")) and len(others) == 1 and cells[1]:
                    group = (first.rstrip("."), others[0])
                    j += 1
                    continue
                titled = _GROUP_RE.match(first) if not others else None
                if titled and _is_roman(titled.group(1)):
                    # a table without TT column: the group row's one cell "I. Cải cách thể chế"
                    group = (titled.group(1), titled.group(2))
                    j += 1
                    continue
                if not any(cells):
                    j += 1
                    continue
                rows.append(
                    {"cells": dict(zip(cols, cells)), "line": j, "end": j, "page": page, "group": group}
                )
            else:
                # A stray non-tab line between tab rows: a wrapped continuation of the previous
                # row's last cell.  Followed by no more tab rows, it is the text after the table.
                prose_run += 1
                k = j + 1
                while k < n and doc.blank[k]:
                    k += 1
                more_rows = k < n and doc.raw[k].count("\t") >= 1
                titled = _GROUP_RE.match(_collapse(line))
                if more_rows and titled and _is_roman(titled.group(1)):
                    # a group row merged across the table, printed as one cell without a tab
                    group = (titled.group(1), titled.group(2))
                    prose_run = 0
                    j += 1
                    continue
                if prose_run >= 3 or not rows or not more_rows or _is_prose_end(doc, j):
                    break
                last = rows[-1]
                filled = [c for c in cols if last["cells"][c]]
                if filled:
                    col = filled[-1]
                    last["cells"][col] = _join_text([last["cells"][col], _collapse(line)])
                    last["end"] = j
            j += 1
        _fill_merged(rows, cols)
        out_rows = appendix_rows(rows)
        if out_rows:
            tables.append(AppendixTable(columns=cols, header_line=header_line + 1, rows=tuple(out_rows),
                                        unnamed=header.unnamed))
        i = j
    return tables


def _row_cells(line: str, positions: tuple[int, ...], width: int = 0) -> list[str]:
    """A row's cells in the header's cell positions; cells past the header's last cell
    (``width`` cells; the last position's when not given) go with the last column's text."""
    cells = [_collapse(c) for c in line.split("\t")]
    last = max(positions[-1], width - 1)
    out = [cells[p] if p < len(cells) else "" for p in positions]
    out[-1] = " ".join(c for c in [out[-1], *cells[last + 1:]] if c)
    return out


def _fill_merged(rows: list[dict], cols: tuple[str, ...]) -> None:
    """Each empty cell of an outline column that a finer one splits into rows
    (:func:`~extractors.appendix.layout_dump._merged_columns`: merged over its rows, printed
    once by Word's text export or a Markdown table) takes the cell above it in its group, where
    a finer outline column is filled in the row."""
    merged = [cols[k] for k in sorted(_merged_columns(cols))]
    above: dict[str, str] = {}
    group = None
    for r in rows:
        if r["group"] != group:
            group, above = r["group"], {}
        cells = r["cells"]
        for c in merged:
            finer = _OUTLINE[_OUTLINE.index(c) + 1:]
            if cells[c]:
                above[c] = cells[c]
            elif above.get(c) and any(cells.get(f) for f in finer):
                cells[c] = above[c]


def appendix_rows(rows: list[dict]) -> list[AppendixRow]:
    """The rows a printed-row reader collected (``cells``, 0-based ``line`` / ``end``, ``group``,
    ``page`` when known) as appendix rows."""
    return [AppendixRow(group_no=r["group"][0], group_title=r["group"][1],
                        row_no=_clean_row_no(r["cells"].get("row_no", "")), cells=dict(r["cells"]),
                        line_start=r["line"] + 1, line_end=r["end"] + 1, page=r.get("page")) for r in rows]


def _clean_row_no(text: str) -> str | None:
    t = text.strip().rstrip(".)").strip()
    return t if t else None
