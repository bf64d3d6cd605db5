"""Rows of a text dump's table that are the top lines of the row below them.

Where a table's cells are centred vertically and it prints no row numbers, rows are parted by
where their cells' lines sit (:func:`extractors.appendix.layout_dump._centred_opens`), and a
tall cell's first line may fall above the boundary: the row above it then gets a fragment row
of its own, with no deadline, and the row below opens on the rest::

    (fragment)  Tổ chức tiếp nhận, giải quyết hồ | Công chức         | Các ban,
    (row)       sơ thủ tục hành chính đúng hạn   | Văn hóa – Xã hội  | ngành, đoàn thể xã | Trước 30/6/2025

The fragment goes back on top of the row when a body's name runs over the boundary -- the
fragment's name opens a registered name that the row's cell completes ("Công chức" + "Văn hóa –
Xã hội"), or the row's cell is the rest of a name (:func:`normalizers.owners.cut_head`) -- and
nothing else contradicts it: the fragment has no deadline where the row has one, and every other
cell either is empty on one side or goes on in lower case in the row.  Pure: rows in, rows out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from extractors.appendix.cues import _BODY_ROLES
from extractors.appendix.model import AppendixRow
from extractors.appendix.text import _join_text
from normalizers.owners import cut_head, name_rest, split_owners

__all__ = ["fragments_joined"]


def fragments_joined(rows: Sequence[AppendixRow], columns: Sequence[str]) -> list[AppendixRow]:
    """``rows`` with every fragment row (see the module) joined on top of the row below it."""
    out: list[AppendixRow] = []
    i = 0
    while i < len(rows):
        if i + 1 < len(rows) and _is_top_of(rows[i], rows[i + 1], columns):
            top, row = rows[i], rows[i + 1]
            cells = {c: _join_text([top.cells.get(c) or "", row.cells.get(c) or ""]) for c in columns}
            out.append(dataclasses.replace(row, cells=cells, line_start=top.line_start))
            i += 2
            continue
        out.append(rows[i])
        i += 1
    return out


def _is_top_of(top: AppendixRow, row: AppendixRow, columns: Sequence[str]) -> bool:
    if top.row_no or row.row_no or top.page != row.page or top.group_no != row.group_no:
        return False
    if "deadline" in columns and ((top.cells.get("deadline") or "").strip()
                                  or not (row.cells.get("deadline") or "").strip()):
        return False
    runs_over = False
    for col in columns:
        a, b = (top.cells.get(col) or "").strip(), (row.cells.get(col) or "").strip()
        if not a or not b:
            continue
        if col in _BODY_ROLES:
            if not _name_runs_over(a, b):
                return False
            runs_over = True
        elif not b[:1].islower():
            return False  # a cell of its own in the row: the fragment is a row's last lines
    return runs_over


def _name_runs_over(above: str, below: str) -> bool:
    """Whether a body cell's text goes on over a row boundary: the last name above opens a
    registered name that the first name below completes, or the first name below is the rest
    of one."""
    last = (split_owners(above) or [above])[-1]
    first = (split_owners(below) or [below])[0]
    return cut_head(first) or (name_rest(last) not in (None, 0) and name_rest(f"{last} {first}") == 0)
