"""Tab layout: one table row per line, cells separated by tabs (DOCX dumps); rows read by position."""

from __future__ import annotations


import re

from extractors.column_roles import header_role
from extractors.appendix.layout_dump import _OUTLINE, _merged_columns
from extractors.appendix.model import AppendixRow, AppendixTable
from extractors.appendix.text import _collapse, _is_roman, _join_text
from extractors.appendix.vocab import _valid_header, _words
from extractors.appendix.prepare import _Doc, _is_prose_end


#: a group row printed in one cell: its roman numeral, then its title
_GROUP_RE = re.compile(r"^([IVXLC]{1,6})[.)]\s+(\S.*)$")


def _tab_header(doc: _Doc, i: int) -> tuple[str, ...] | None:
    cells = doc.fold[i].split("\t")
    cols: list[str] = []
    for c in cells:
        if not _words(c):
            continue
        role = header_role(c)
        if role is None:
            return None
        cols.append(role)
    return tuple(cols) if _valid_header(cols) else None


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
        cols = header
        header_line = i
        page = 1
        rows: list[dict] = []
        group: tuple[str | None, str | None] = (None, None)
        prose_run = 0
        j = i + 1
        while j < n:
            line = doc.raw[j]
            if doc.blank[j]:
                j += 1
                continue
            if line.count("\t") >= 1:
                prose_run = 0
                rep = _tab_header(doc, j) if line.count("\t") >= 2 else None
                if rep is not None:
                    if rep != cols:
                        break  # a different table starts
                    page += 1
                    j += 1
                    continue
                cells = [_collapse(c) for c in line.split("\t")]
                while len(cells) > len(cols) and not cells[-1]:
                    cells.pop()
                if len(cells) > len(cols):
                    cells = cells[: len(cols) - 1] + [" ".join(c for c in cells[len(cols) - 1 :] if c)]
                cells += [""] * (len(cols) - len(cells))
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
        out_rows = []
        for r in rows:
            rn = r["cells"].get("row_no", "")
            out_rows.append(
                AppendixRow(
                    group_no=r["group"][0],
                    group_title=r["group"][1],
                    row_no=_clean_row_no(rn),
                    cells=dict(r["cells"]),
                    line_start=r["line"] + 1,
                    line_end=r["end"] + 1,
                    page=r["page"],
                )
            )
        if out_rows:
            tables.append(AppendixTable(columns=cols, header_line=header_line + 1, rows=tuple(out_rows)))
        i = j
    return tables


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


def _clean_row_no(text: str) -> str | None:
    t = text.strip().rstrip(".)").strip()
    return t if t else None
