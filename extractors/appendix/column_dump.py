"""Tables a dump prints column by column: ``pdftotext`` without ``-layout`` of a ruled table.

Such a dump keeps no geometry and no row order.  It prints the table in blocks (runs of lines
between blank lines): a block is a vertical run of one column's cells -- the whole TT column of
a page, a run of task cells, the owner cells of a few rows -- and the blocks of a page come in
bands, left to right, then the next band.  What it keeps is the order of each column's cells
from top to bottom.  So the rows are put back by *counting*: the k-th cell of every column on a
page belongs to the page's k-th row.

1. *Header.*  The header cells open the first blocks of the table ("TT", "Nội dung công việc",
   "Cơ quan chủ trì", ...), one cell per block, in printed order; a repeated header on a later
   page opens that page's blocks the same way and names their columns.
2. *Blocks to columns.*  Every other block is given the column that fits its lines' content
   (row numbers, owner names, dates, budget phrases, document nouns, task verbs) and the band
   order (a Viterbi search over the page's blocks: columns move right inside a band).
3. *Cells.*  A column's lines on a page are cut into cells.  Every gap between two lines is
   scored as a cell boundary: a blank line is one; a lower-case start, an open ending ("của",
   ",", "–") or a first word that could not have fitted on the line above (the line wrapped) is
   none; a word that would have fitted opens a new cell.  The page's number of rows comes from
   its TT column (numbers and group numerals), or, without one, is the number on which the
   columns' cuts agree best.  A column takes the best cuts for that number.
4. *Rows.*  The k-th cells are zipped into the k-th row; the cells that open a page before its
   first row are the rest of the page before's last row.  A page whose columns cannot all be cut
   into its rows (a block that runs several columns' lines together, a merged cell printed once
   for several rows, an empty cell) gives no rows: they are counted, never guessed.

The module is pure: ``column_tables`` never raises on odd input, returns ``[]`` when the dump
does not print a table so.
"""

from __future__ import annotations


from dataclasses import dataclass, field
from typing import Sequence

from extractors.appendix.cues import _features, _open_end
from extractors.appendix.model import AppendixRow, AppendixTable
from extractors.appendix.row_lines import _complete, _width
from extractors.appendix.text import _collapse, _fold, _is_roman, _join_text
from extractors.appendix.vocab import _PHU_LUC_RE, header_cell_column, is_valid_header
from extractors.column_roles import header_words, is_header_word

__all__ = ["column_tables"]

#: lines one header cell may wrap over
HEADER_CELL_LINES = 4
#: blocks after the first header cell in which the rest of the header is looked for
HEADER_BLOCKS = 16
#: columns a block's content may name (the rest are free text)
_BODY = frozenset({"lead", "support", "monitor"})
_TEXT = frozenset({"objective", "task", "activity", "note"})
#: cost of a block opening a new band (going back to a column left of the block before)
NEW_BAND_COST = 2.0
#: cost per column skipped inside a band
SKIP_COST = 0.4
#: cost of a line in the row-number column that is no row number, and of a lone number elsewhere
_NO_NUMBER = 1e6
_LONE_NUMBER = 6.0


@dataclass(slots=True)
class _Block:
    lines: list[int]  # 0-based line indices
    page: int | None
    column: str | None = None  # fixed by a header cell at its top
    header_lines: int = 0  # lines of the header cell at its top


@dataclass(slots=True)
class _Cell:
    lines: list[int] = field(default_factory=list)


def _blocks(lines: Sequence[str], pages: Sequence[int | None], start: int) -> list[_Block]:
    out: list[_Block] = []
    cur: _Block | None = None
    for i in range(start, len(lines)):
        text = lines[i].replace("\f", "").strip()
        page = pages[i] if i < len(pages) else None
        if not text or (cur is not None and cur.page != page):
            if cur is not None:
                out.append(cur)
            cur = None
            if not text:
                continue
        if cur is None:
            cur = _Block([], page)
        cur.lines.append(i)
    if cur is not None:
        out.append(cur)
    return out


def _header_cells(lines: Sequence[str], block: _Block) -> list[tuple[str, int]]:
    """The readings of a header cell at the block's top: (column, lines it takes), shortest
    first (lines of header words only)."""
    out: list[tuple[str, int]] = []
    for k in range(1, min(HEADER_CELL_LINES, len(block.lines)) + 1):
        text = lines[block.lines[k - 1]]
        words = header_words(text)
        if not words or not all(is_header_word(w) for w in words if w != ","):
            break
        if out and not _features(text)["lower"]:
            break  # a header cell wraps mid-phrase ("Thời hạn" / "hoàn thành"); a capital opens a cell
        role = header_cell_column("\n".join(lines[i] for i in block.lines[:k]))
        if role is not None:
            out.append((role, k))
    return out


def _header_cell(lines: Sequence[str], block: _Block) -> tuple[str | None, int]:
    """The column a header cell at the block's top names and the lines it takes (its longest
    reading), (None, 0) without one."""
    cells = _header_cells(lines, block)
    return cells[-1] if cells else (None, 0)


def _split_titles(lines: Sequence[str], blocks: list[_Block]) -> list[_Block]:
    """Blocks with a header cell under the appendix's title lines ("PHỤ LỤC", "(Kèm theo ...)"
    printed without a blank line before the table) cut off from them."""
    out: list[_Block] = []
    for block in blocks:
        for n in range(1, len(block.lines)):
            if _header_cell(lines, _Block(block.lines[n:], block.page))[0] is not None:
                out.append(_Block(block.lines[:n], block.page))
                block = _Block(block.lines[n:], block.page)
                break
        out.append(block)
    return out


def _header(lines: Sequence[str], blocks: list[_Block]) -> tuple[int, dict[str, str]] | None:
    """Index of the first header block and the header: column -> its cell's folded text, in
    printed order (the header cells open blocks of the table's first page; a column's first)."""
    for b0, block in enumerate(blocks):
        role, _ = _header_cell(lines, block)
        if role is None:
            continue
        cols: dict[str, str] = {}
        for block in blocks[b0:]:
            if block.page != blocks[b0].page:
                break
            role, k = _header_cell(lines, block)
            if role is not None and role not in cols:
                cols[role] = _cell_key(lines, block.lines[:k])
        if is_valid_header(list(cols)):
            return b0, cols
    return None


def _cell_key(lines: Sequence[str], idx: list[int]) -> str:
    return " ".join(header_words(" ".join(lines[i] for i in idx)))


def _is_number(text: str) -> bool:
    t = text.strip().rstrip(".)")
    return t.isdigit() and len(t) <= 3


def _line_cost(text: str, col: str) -> float:
    """How badly a line fits a column (0 = typical)."""
    if col == "row_no":
        return 0.0 if _is_number(text) or _is_roman(text.strip().rstrip(".")) else _NO_NUMBER
    if _is_number(text) or _is_roman(text.strip().rstrip(".")):
        return _LONE_NUMBER
    f = _features(text)
    if f["lower"]:
        return 0.3
    if col == "deadline":
        return 0.0 if f["date"] else 2.5 if f["owner"] else 1.5
    if col in _BODY:
        return 0.0 if f["owner"] else 3.0 if f["date"] else 1.5
    if col == "budget":
        return 0.0 if f["budget"] else 2.0
    if col == "product":
        return 0.0 if f["product"] else 2.0 if f["date"] or f["owner"] else 0.8
    # objective / task / activity / note
    return 0.0 if f["verb"] or f["head"] else 2.5 if f["date"] else 1.2 if f["owner"] else 0.5


def _assign(lines: Sequence[str], blocks: list[_Block], columns: tuple[str, ...]) -> list[str]:
    """The column of every block of one page: Viterbi over the blocks, bands left to right."""
    n = len(columns)
    costs = []
    for block in blocks:
        if block.column is not None:
            costs.append([0.0 if c == block.column else _NO_NUMBER for c in columns])
            continue
        costs.append([sum(_line_cost(lines[i], c) for i in block.lines[block.header_lines:]) for c in columns])
    best = list(costs[0])
    back: list[list[int]] = []
    for t in range(1, len(blocks)):
        row, ptr = [], []
        for j in range(n):
            opts = [best[i] + (SKIP_COST * (j - i - 1) if j > i else NEW_BAND_COST) for i in range(n)]
            i = min(range(n), key=opts.__getitem__)
            row.append(opts[i] + costs[t][j])
            ptr.append(i)
        best = row
        back.append(ptr)
    j = min(range(n), key=best.__getitem__)
    path = [j]
    for ptr in reversed(back):
        j = ptr[j]
        path.append(j)
    return [columns[j] for j in reversed(path)]


def _gap_score(prev: str, nxt: str, col: str, width: float, listing: bool = False) -> float:
    """How strongly the gap between two lines of one column is a cell boundary (> 0: it is);
    ``width``: the column's widest line (printed width); ``listing``: a list is open above (a
    line ending ":" or a list item in the last few lines)."""
    f = _features(nxt)
    if f["lower"]:
        return -4.0
    score = 2.0 * _open_end(prev)
    words = nxt.split()
    room = width - _width(prev.strip()) - _width(" " + words[0] if words else "")
    if room >= max(1.0, FIT_MARGIN * width):
        score += 2.5  # the first word would have fitted on the line above: no wrap
    elif room < 0:
        score -= 1.0
    if nxt.lstrip()[:1] in "-+•":
        # an item of a list the cell above opened ("...của UBND xã:" / "- Lồng ghép ...;")
        score -= 5.0 if listing or prev.rstrip()[-1:] == ":" else 1.5
    if prev.rstrip()[-1:] in ".;":
        score += 0.5
    if f["head"]:
        score += 2.0
    elif col == "deadline" and f["date"] or col in _BODY and f["owner"] or col in _TEXT and f["verb"]:
        score += 1.0
    if (col in _BODY or col == "deadline") and _complete(prev.strip(), col):
        score += 2.0  # the line above is a whole name or date
    if f["title"]:
        score += 0.5
    return score


_FORCED = 1e6
#: share of a column's width a first word must leave free to count as having fitted above
#: (printed widths are estimated from characters)
FIT_MARGIN = 0.08
#: lines above a list item looked at for the list it belongs to
LIST_LOOKBACK = 4
#: a gap scored this high left uncut makes the page's cut doubtful
DOUBTFUL_GAP = 2.0


def _gaps(lines: Sequence[str], col_lines: list[tuple[int, bool]], col: str, width: float) -> list[float]:
    """Boundary scores of the gaps between a column's lines on a page (a blank line: forced)."""
    out = []
    for n, ((a, _), (b, new_block)) in enumerate(zip(col_lines, col_lines[1:])):
        above = [lines[i] for i, _ in col_lines[max(0, n + 1 - LIST_LOOKBACK) : n + 1]]
        listing = any(t.lstrip()[:1] in "-+•" or t.rstrip()[-1:] == ":" for t in above)
        out.append(_FORCED if new_block else _gap_score(lines[a], lines[b], col, width, listing))
    return out


def _cut(gaps: list[float], k: int) -> tuple[list[int], float] | None:
    """The k-1 best cuts (gap indices, sorted) and their score; None when impossible."""
    if k < 1 or k - 1 > len(gaps):
        return None
    order = sorted(range(len(gaps)), key=lambda g: -gaps[g])
    chosen = sorted(order[: k - 1])
    if k - 1 < len(gaps) and gaps[order[k - 1]] >= _FORCED:
        return None  # more blocks than cells
    return chosen, sum(gaps[g] for g in chosen if gaps[g] < _FORCED)


def _cells(col_lines: list[tuple[int, bool]], cuts: list[int]) -> list[list[int]]:
    cells: list[list[int]] = [[]]
    cut = set(cuts)
    for g, (i, _) in enumerate(col_lines):
        cells[-1].append(i)
        if g in cut:
            cells.append([])
    return cells


def column_tables(lines: Sequence[str], pages: Sequence[int | None]) -> list[AppendixTable]:
    """The appendix table of a dump that prints it column by column, or ``[]``.  Rows of pages
    whose columns cannot be cut into the same rows are counted in ``unread_rows``."""
    try:
        return _column_tables(lines, pages)
    except Exception:  # noqa: BLE001 - odd input must never break the pipeline
        return []


def _start(lines: Sequence[str]) -> int:
    for i, text in enumerate(lines):
        if _PHU_LUC_RE.match(_fold(text)):
            return i
    return 0


def _column_tables(lines: Sequence[str], pages: Sequence[int | None]) -> list[AppendixTable]:
    blocks = _split_titles(lines, _blocks(lines, pages, _start(lines)))
    found = _header(lines, blocks)
    if found is None:
        return []
    b0, header = found
    columns = tuple(header)
    blocks = blocks[b0:]
    for block in blocks:
        for role, k in _header_cells(lines, block):
            if _cell_key(lines, block.lines[:k]) == header.get(role):
                block.column, block.header_lines = role, k
    blocks = [b for b in blocks if len(b.lines) > b.header_lines]
    by_page: dict[int | None, list[_Block]] = {}
    for block in blocks:
        by_page.setdefault(block.page, []).append(block)
    streams: dict[int | None, dict[str, list[tuple[int, bool]]]] = {}
    for page, page_blocks in by_page.items():
        cols = _assign(lines, page_blocks, columns)
        stream: dict[str, list[tuple[int, bool]]] = {c: [] for c in columns}
        for block, col in zip(page_blocks, cols):
            for n, i in enumerate(block.lines[block.header_lines:]):
                stream[col].append((i, n == 0))
        streams[page] = stream
    width = {c: max((_width(lines[i].strip()) for s in streams.values() for i, _ in s[c]), default=0.0)
             for c in columns}
    rows: list[AppendixRow] = []
    unread = 0
    group: tuple[str | None, str | None] = (None, None)
    for page, stream in streams.items():
        page_rows = _page_rows(lines, stream, columns, width, page, group)
        if page_rows is None:
            unread += max(1, sum(_is_number(lines[i]) for i, _ in stream.get("row_no", ())))
            continue
        carry, new_rows = page_rows
        if carry and rows:
            rows[-1] = _carried(rows[-1], carry, lines)
        elif carry:
            unread += 1
        rows.extend(new_rows)
        if new_rows:
            group = (new_rows[-1].group_no, new_rows[-1].group_title)
    if not rows and not unread:
        return []
    return [AppendixTable(columns=columns, header_line=blocks[0].lines[0] + 1, rows=tuple(rows),
                          method="columns", unread_rows=unread)]


def _carried(row: AppendixRow, carry: dict[str, list[int]], lines: Sequence[str]) -> AppendixRow:
    cells = dict(row.cells)
    for col, idx in carry.items():
        cells[col] = _join_text([cells.get(col, "")] + [lines[i] for i in idx])
    end = max([row.line_end] + [i + 1 for idx in carry.values() for i in idx])
    return AppendixRow(row.group_no, row.group_title, row.row_no, cells, row.line_start, end, row.page)


def _page_rows(lines, stream, columns, width, page, group):
    """(cells carried over to the last row of the page before, this page's rows), or None when
    the page's columns cannot be cut into the same rows."""
    marks = [lines[i].strip().rstrip(".") for i, _ in stream.get("row_no", ())]
    texts = [c for c in columns if c != "row_no"]
    if not texts or not any(stream[c] for c in texts):
        return None
    # a page that opens in mid-cell: lines before the first cell start of a column
    carry: dict[str, list[int]] = {}
    for c in texts:
        s = stream[c]
        if page_carry := _leading_continuation(lines, s, c, width[c]):
            carry[c] = [i for i, _ in s[:page_carry]]
            stream[c] = s[page_carry:]
            if stream[c]:
                stream[c][0] = (stream[c][0][0], True)
    gaps = {c: _gaps(lines, stream[c], c, width[c]) for c in texts}
    if "row_no" in columns:
        n_rows = sum(not _is_roman(m) for m in marks)
        n_groups = len(marks) - n_rows
        if n_rows == 0 or marks and _is_roman(marks[-1]) and n_groups == len(marks):
            return None
        counts = {c: n_rows for c in texts}
        if n_groups:
            counts[texts[0]] = n_rows + n_groups  # the group titles run from the first text column
    else:
        n_groups = 0
        lo = max(1, max((len(set(b for _, b in stream[c] if b)) for c in texts), default=1))
        hi = min(len(stream[c]) for c in texts if stream[c]) if all(stream[c] for c in texts) else 0
        if hi < lo:
            return None
        best = None
        for k in range(lo, hi + 1):
            total = 0.0
            for c in texts:
                cut = _cut(gaps[c], k)
                if cut is None:
                    total = None
                    break
                total += cut[1]
            if total is not None and (best is None or total > best[0]):
                best = (total, k)
        if best is None:
            return None
        counts = {c: best[1] for c in texts}
    cells: dict[str, list[list[int]]] = {}
    for c in texts:
        cut = _cut(gaps[c], counts[c])
        if cut is None or any(gaps[c][g] <= 0 for g in cut[0]):
            return None
        chosen = set(cut[0])
        if any(v >= DOUBTFUL_GAP for g, v in enumerate(gaps[c]) if g not in chosen):
            return None  # a gap that looks as much a cell boundary was left: the count is off
        cells[c] = _cells(stream[c], cut[0])
    # rows: the group numerals take the first text column's cell as their title
    out: list[AppendixRow] = []
    group_no, group_title = group
    first = texts[0]
    k_first = 0
    k_rest = 0
    mark_list = marks if "row_no" in columns else [None] * counts[first]
    for m in mark_list:
        if m is not None and _is_roman(m):
            group_no = m
            group_title = _collapse(_join_text([lines[i] for i in cells[first][k_first]]))
            k_first += 1
            continue
        row_cells = {"row_no": m or ""} if "row_no" in columns else {}
        idx: list[int] = []
        for c in texts:
            k = k_first if c == first else k_rest
            part = cells[c][k]
            idx.extend(part)
            row_cells[c] = _join_text([lines[i] for i in part])
        k_first += 1
        k_rest += 1
        out.append(AppendixRow(group_no, group_title, m or None, {c: row_cells.get(c, "") for c in columns},
                               min(idx) + 1, max(idx) + 1, page))
    if k_first != len(cells[first]) or any(k_rest != len(cells[c]) for c in texts if c != first):
        return None
    return {c: v for c, v in carry.items()}, out


def _leading_continuation(lines: Sequence[str], s: list[tuple[int, bool]], col: str, width: float) -> int:
    """Lines at the top of a column's page that continue the page before's last cell (a
    lower-case start or a list item, and the lines that go on from it): their count."""
    if not s or not (_features(lines[s[0][0]])["lower"] or lines[s[0][0]].lstrip()[:1] in "-+•"):
        return 0
    n = 1
    while n < len(s) and not s[n][1]:
        above = [lines[i] for i, _ in s[:n]]
        listing = any(t.lstrip()[:1] in "-+•" or t.rstrip()[-1:] == ":" for t in above)
        if _gap_score(lines[s[n - 1][0]], lines[s[n][0]], col, width, listing) > 0:
            break
        n += 1
    return n
