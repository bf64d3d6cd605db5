"""Tables a text export prints a paragraph per line, row after row: LibreOffice's text export
(``soffice --convert-to txt``) and editors that save a Word table so.

Every cell of a row is printed in order, each of its paragraphs on a line of its own, an empty
cell as one empty line (so is a cell a merged cell covers below its first row); a cell merged
across columns (a group row's title) is printed once.  No other line is blank inside the
table, so the empty lines are the table's own structure: a row is exactly as many cells as
the header has, and only where a cell holds several paragraphs ("- Đăng tải ...", "- Lồng
ghép ...", two products, two bodies) is it unsure where the cell ends.

1. *Header.*  A run of lines that are each one header cell ("TT", "Nội dung công việc", "Cơ
   quan chủ trì", ...), maybe followed by a two-level header's lower line printed the same way
   (empty lines under the top cells merged down, "Chủ trì" / "Phối hợp" under the spanning
   one: :func:`extractors.appendix.tab._two_level`).
2. *Rows.*  A dynamic programme cuts the lines after the header into rows of that many cells
   (or group rows: a roman numeral and its title), each cell an empty line or a run of
   paragraphs, at the least cost: a cell's first line fits its column's content
   (:func:`~extractors.appendix.cues.role_cost`), a paragraph that opens a list item ("- ",
   "+ ") or goes on lower-case continues a cell cheaply, one that opens like a new cell does
   not; lines that fit no row end the table.
3. *Precision.*  The table is read so only when its row numbers (a TT column) follow on from
   one another, or (no TT column) when most rows read whole; rows that show a fault of cells
   run together (:func:`~extractors.appendix.row_check.row_faults`) are left out and counted.

Pure; ``paragraph_line_tables`` never raises on odd input and returns ``[]`` when the dump does not
print a table so.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Sequence

from extractors.appendix.cues import _features, role_cost
from extractors.appendix.model import AppendixTable
from extractors.appendix.row_check import reads_whole, row_faults
from extractors.appendix.tab import _GROUP_RE, _fill_merged, _two_level, appendix_rows
from extractors.appendix.text import _collapse, _fold, _is_roman, _join_text
from extractors.appendix.vocab import _valid_header
from extractors.column_roles import MAX_WORDS, SPAN_TOPS, header_role, header_words, header_words_only

__all__ = ["paragraph_line_tables"]

#: paragraphs one cell may hold at most
MAX_PARAGRAPHS = 16
#: lines of a two-level header's lower line at most (a cell each)
MAX_HEADER_CELLS = 12
#: cost of an empty cell (first reading), of an empty row-number cell, and at most (second
#: reading, from the columns' empty shares)
EMPTY_COST = 0.6
EMPTY_ROW_NO = 4.0
MAX_EMPTY_COST = 3.0
#: weight of the first reading's empty share in the second's, in rows
EMPTY_PRIOR_ROWS = 3
#: cost of a cell's further paragraph: a list item or a lower-case continuation, else one that
#: opens as a cell would
ITEM_COST = 0.15
LOWER_COST = 0.2
PARAGRAPH_COST = 1.2
#: cost of a row (against cutting the lines into fewer, longer cells)
ROW_COST = 0.5
#: further cost of a paragraph of one type in a typed column of another
MISFIT = 1.5
#: cost of a line after the table's end (against taking it into a row)
OUT_COST = 1.5
#: cost of a table ending on a line that is not empty (twice that before a row number)
END_COST = 3.0
#: share of rows (no TT column) that must read whole for the table to be read so
MIN_WHOLE_SHARE = 0.8
#: rows at least
MIN_ROWS = 2
#: share of the rows of a table with a TT column that must have their number
MIN_NUMBERED_SHARE = 0.5

#: the cue types (cues._features) each typed column's paragraphs show
_KINDS_OF = {"lead": {"owner"}, "support": {"owner"}, "monitor": {"owner"}, "deadline": {"date"},
             "budget": {"budget"}, "product": {"product"}}
_TYPED = frozenset(_KINDS_OF)
_TYPED_KINDS = ("owner", "date", "budget", "product")
_TEXT = frozenset({"objective", "task", "activity", "note", "product"})
_END_RE = re.compile(r"^\s*noi nhan\b")
_ITEM_RE = re.compile(r"^\s*[-+•*–]\s")
_NUMBER_RE = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


def paragraph_line_tables(lines: Sequence[str]) -> list[AppendixTable]:
    """The appendix tables of a dump printed a paragraph per line (see the module's doc)."""
    try:
        return _tables([("" if s is None else str(s)).replace("\f", "") for s in lines])
    except Exception:  # noqa: BLE001 - contract: odd input must never break the pipeline
        return []


def _tables(lines: list[str]) -> list[AppendixTable]:
    out: list[AppendixTable] = []
    i = 0
    while i < len(lines):
        header = _header(lines, i)
        if header is None:
            i += 1
            continue
        cols, positions, ncells, body = header
        table, end = _read(lines, body, cols, positions, ncells, i)
        if table is None:
            i += 1
            continue
        out.append(table)
        i = end
    return out


def _is_header_cell(text: str) -> bool:
    """Whether a line reads as one header cell: header words only (a two-level header's top
    cell such as "Phân công thực hiện" included), not a number alone."""
    words = [w for w in header_words(text) if w != ","]
    if not any(w.isalpha() for w in words) or len(words) > MAX_WORDS:
        return False
    return header_words_only(text) or tuple(words) in SPAN_TOPS


def _header(lines: list[str], i: int):
    """(columns, their cell positions, cells per row, first body line) of a header whose top
    line of cells opens at line ``i``, or None."""
    if i > 0 and lines[i - 1].strip() and _is_header_cell(lines[i - 1]):
        return None  # not the header's first line
    top: list[str] = []
    j = i
    while j < len(lines) and lines[j].strip() and _is_header_cell(lines[j]):
        top.append(lines[j].strip())
        j += 1
    if len(top) < 2:
        return None
    # a two-level header's lower line: empty lines and short header cells, as many as a row has cells
    k = j
    while k < len(lines) and k - j < MAX_HEADER_CELLS and (not lines[k].strip() or _is_header_cell(lines[k])):
        k += 1
    for n in range(k - j, len(top) - 1, -1):
        lower = [s.strip() for s in lines[j:j + n]]
        if not any(lower):
            continue
        two = _two_level([_fold(t) for t in top], [_fold(s) for s in lower])
        if two is not None:
            return two[0], two[1], n, j + n
    roles = [header_role(t) for t in top]
    if len(top) < 3 or None in roles or not _valid_header(roles):
        return None
    return tuple(roles), tuple(range(len(top))), len(top), j


def _read(lines: list[str], start: int, cols: tuple[str, ...], positions: tuple[int, ...], ncells: int,
          header_line: int) -> tuple[AppendixTable | None, int]:
    body = [s.strip() for s in lines[start:]]
    stop = next((k for k, s in enumerate(body) if _END_RE.match(_fold(s))), len(body))
    body = body[:stop]  # "Nơi nhận:": the plan's closing block, never a cell
    role = [None] * ncells
    for c, p in zip(cols, positions):
        role[p] = c
    empty = tuple(EMPTY_ROW_NO if r == "row_no" else EMPTY_COST for r in role)
    rows = _best_rows(tuple(body), tuple(role), empty)
    if rows is None:
        return None, start
    # decoded again with each column's cost of an empty cell from how often the first reading
    # left it empty (a lead column is all but always filled; a note column mostly empty)
    cells = [c for _, _, c in rows if c is not None]
    if len(cells) >= MIN_ROWS:
        prior = math.exp(-EMPTY_COST) * EMPTY_PRIOR_ROWS
        empty = tuple(EMPTY_ROW_NO if r == "row_no" else min(MAX_EMPTY_COST, -math.log(
            (sum(not c[p] for c in cells) + prior) / (len(cells) + EMPTY_PRIOR_ROWS))) for p, r in enumerate(role))
        rows = _best_rows(tuple(body), tuple(role), empty) or rows
    end = start + (rows[-1][1] if rows else 0)
    table_rows: list[dict] = []
    group: tuple[str | None, str | None] = (None, None)
    for a, b, cells in rows:
        if cells is None:  # a group row
            group = _group(body[a:b])
            continue
        texts = {c: _join_text(cells[p]) for c, p in zip(cols, positions)}
        table_rows.append({"cells": texts, "line": start + a, "end": start + b - 1, "group": group})
    if len(table_rows) < MIN_ROWS or not _numbers_follow(table_rows, cols):
        return None, start
    _fill_merged(table_rows, cols)
    built = appendix_rows(table_rows)
    kept = [r for r in built if not row_faults(r.cells)]
    if "row_no" not in cols and sum(reads_whole(r.cells, [c for c in ("lead", "deadline") if c in cols])
                                    for r in kept) < MIN_WHOLE_SHARE * len(built):
        return None, start
    # a table that ends on a printed line (not an empty one or the plan's closing block) may
    # end there because its next row could not be read: that row, and the rows whose numbers
    # stand alone on the lines after it, are counted as left out
    lost = 0
    if rows[-1][1] < len(body) and body[rows[-1][1]]:
        lost = 1 + sum(bool(_NUMBER_RE.match(t)) for t in body[rows[-1][1] + 1:]) if "row_no" in cols else 1
    unread = len(built) - len(kept) + lost
    table = AppendixTable(columns=cols, header_line=header_line + 1, rows=tuple(kept), method="stream",
                          unread_rows=unread, unread_pages=(None,) * unread)
    return table, end


def _group(texts: list[str]) -> tuple[str | None, str | None]:
    if len(texts) >= 2:
        return texts[0].rstrip("."), _collapse(texts[1])
    m = _GROUP_RE.match(texts[0])
    return (m.group(1), _collapse(m.group(2))) if m else (None, None)


def _numbers_follow(rows: list[dict], cols: tuple[str, ...]) -> bool:
    """Whether the rows' numbers (a TT column) go on one by one (starting again at 1 after a
    group row is allowed; a row without a number may stand for one): a cut in the wrong place
    puts a paragraph or an empty cell there.  Most rows must have their number."""
    if "row_no" not in cols:
        return True
    prev, group, skipped, numbered = 0, None, 0, 0
    for r in rows:
        if not r["cells"]["row_no"]:
            skipped += 1
            continue
        m = _NUMBER_RE.match(r["cells"]["row_no"])
        if m is None:
            return False
        n = int(m.group(1))
        if not prev < n <= prev + 1 + skipped and not (n == 1 and r["group"] != group):
            return False
        prev, group, skipped, numbered = n, r["group"], 0, numbered + 1
    return numbered >= MIN_NUMBERED_SHARE * len(rows)


@lru_cache(maxsize=65536)
def _line_cost(text: str, role: str | None) -> float:
    """How badly a paragraph fits a column (:func:`~extractors.appendix.cues.role_cost`); in a
    typed column (bodies, deadline, budget, product) a paragraph of another type only ("Hồ sơ
    được số hóa" as a body, "Các cơ quan liên quan" as a budget) fits worse still."""
    if role is None:
        return 0.5
    if role != "row_no" and _NUMBER_RE.match(text):
        return float("inf")  # a number alone on a line is a row's number (or a page's), no cell's text
    cost = role_cost(text, role)
    if role in _TYPED:
        f = _features(text)
        kinds = {k for k in _TYPED_KINDS if f[k]}
        if kinds and not kinds & _KINDS_OF[role]:
            cost += MISFIT  # a body's name in the budget column, a document noun in a body's
    return cost


def _more_cost(text: str, role: str | None) -> float:
    """Cost of ``text`` as a further paragraph of a cell of ``role``."""
    if role == "row_no" or _NUMBER_RE.match(text):
        return float("inf")
    text_column = role in _TEXT or role is None
    if text_column and _ITEM_RE.match(text):
        return ITEM_COST
    if text[:1].islower() or text[:1] in "(,;":
        return LOWER_COST
    # a body, a date or a budget phrase in a short typed cell's further paragraph must fit the
    # column as its first does (a list item there is the text after the table: "- Như trên;");
    # a text column's may say anything
    return PARAGRAPH_COST + (0.5 if text_column else 1.0) * _line_cost(text, role)


def _is_group_line(text: str) -> bool:
    return _is_roman(text.rstrip(".")) and len(text) <= 6


def _best_rows(body: tuple[str, ...], role: tuple[str | None, ...], empty: tuple[float, ...]):
    """[(start, end, cells or None for a group row)] of the least-cost reading of ``body``'s
    lines as rows (lines after the last row are the text after the table), or None."""
    n = len(body)
    inf = float("inf")
    best = [inf] * (n + 1)
    back: list = [None] * (n + 1)
    best[0] = 0.0
    ncells = len(role)
    for i in range(n):
        if best[i] == inf:
            continue
        # a group row: its numeral and its title (the cells right of the title empty, or merged)
        if body[i] and _is_group_line(body[i]) and i + 1 < n and body[i + 1]:
            j = i + 2
            blanks = j
            while blanks < n and blanks - j < ncells - 2 and not body[blanks]:
                blanks += 1
            end = blanks if blanks - j == ncells - 2 else j
            if best[i] + ROW_COST < best[end]:
                best[end], back[end] = best[i] + ROW_COST, (i, None)
        elif (m := _GROUP_RE.match(body[i])) and _is_roman(m.group(1)) and best[i] + ROW_COST < best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + ROW_COST, (i, None)
        if role[0] == "row_no" and body[i] and not _NUMBER_RE.match(body[i]):
            continue  # a row opens on its number, or on an empty TT cell (a row without one)
        for end, cost, cuts in _row_ends(body, i, role, empty):
            total = best[i] + cost + ROW_COST
            if total < best[end]:
                best[end], back[end] = total, (i, cuts)
    # the table ends where what is left costs least as text after it: at an empty line (the
    # paragraph after a table) or the end, before no line that opens a row
    def end_cost(k: int) -> float:
        cost = best[k] + OUT_COST * sum(1 for s in body[k:] if s)
        if k < n and body[k]:
            cost += END_COST + (END_COST if role[0] == "row_no" and _NUMBER_RE.match(body[k]) else 0.0)
        return cost

    end = min((k for k in range(n + 1) if best[k] < inf), key=end_cost, default=None)
    if not end:
        return None
    rows = []
    k = end
    while k > 0:
        i, cuts = back[k]
        if cuts is None:
            rows.append((i, k, None))
        else:
            bounds = list(zip((i, *cuts), (*cuts, k)))
            rows.append((i, k, [[s for s in body[a:b] if s] for a, b in bounds]))
        k = i
    return rows[::-1]


def _row_ends(body: tuple[str, ...], i: int, role: tuple[str | None, ...], empty: tuple[float, ...]):
    """(end, cost, cell starts after the first) of every way a row of ``len(role)`` cells
    opening at line ``i`` can end, the cheapest for each end."""
    n = len(body)
    inf = float("inf")
    layer: dict[int, tuple[float, tuple[int, ...]]] = {i: (0.0, ())}
    for c, r in enumerate(role):
        nxt: dict[int, tuple[float, tuple[int, ...]]] = {}
        for pos, (cost, cuts) in layer.items():
            if pos >= n:
                continue
            options: list[tuple[int, float]] = []
            if not body[pos]:
                options.append((pos + 1, empty[c]))
            else:
                acc = _line_cost(body[pos], r)
                options.append((pos + 1, acc))
                k = pos + 1
                while k < n and body[k] and k - pos < MAX_PARAGRAPHS and r != "row_no":
                    acc += _more_cost(body[k], r)
                    if acc == inf:
                        break
                    k += 1
                    options.append((k, acc))
            for end, extra in options:
                total = cost + extra
                if total < nxt.get(end, (inf,))[0]:
                    nxt[end] = (total, cuts + ((pos,) if c else ()))
        layer = nxt
        if not layer:
            return []
    return [(end, cost, cuts) for end, (cost, cuts) in layer.items()]
