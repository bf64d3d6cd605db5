"""Tables a dump prints column by column: ``pdftotext`` without ``-layout`` of a ruled table.

Such a dump keeps no geometry and no row order.  It prints the table in blocks (runs of lines
between blank lines): a block is a vertical run of one column's cells -- the whole TT column of
a page, a run of task cells, the owner cells of a few rows -- and the blocks of a page come in
bands, left to right, then the next band.  Columns standing close are printed together, height
by height (:mod:`extractors.appendix.shared_lines`).  What the dump keeps is the order of each
column's cells from top to bottom, and the bands.

1. *Header.*  The header cells open the first blocks of the table ("TT", "Nội dung công việc",
   "Cơ quan chủ trì", ...), wrapped over lines, in blocks of their own or at the top of their
   column's cells, two neighbouring ones sometimes line by line ("Sản phẩm đầu" / "Đơn vị" /
   "ra" / "chủ trì"); a repeated header on a later page opens that page's blocks the same way.
   A long block right under the header cells of several neighbouring columns is shared by them.
2. *Blocks to columns.*  Every other block is given the column that fits its content (row
   numbers, owner names, dates, budget phrases, document nouns, task verbs) and the band order
   (a Viterbi search over the page's blocks: columns move right inside a band).
3. *Cells and rows.*  A shared block is read by the beam search of ``shared_lines`` against the
   page's TT column.  The other blocks are placed in the page's rows (:func:`_align_bands`): the
   blocks of a band open in the same row, a block covers a run of rows and is cut into cells
   where a line opens a cell (:func:`_gap_score`: a capital, a whole name or date above, a first
   word that would have fitted on the line above), every cell but a block's last as tall as its
   row where the shared block tells the heights.  Without a TT column the number of rows is the
   one on which the columns' cuts agree best.  The cells opening a page before its first row are
   the rest of the page before's last row.
4. *Precision.*  A page is kept only when every row's lead and deadline read whole and no row
   shows a fault of cells run together (:func:`~extractors.appendix.row_check.reads_whole`;
   supporting bodies are too freely worded to be checked): one misread row puts the rows around
   it out of step, so a page that does not read so gives no rows -- they are counted, never
   guessed.

The module is pure: ``column_tables`` never raises on odd input, returns ``[]`` when the dump
does not print a table so.
"""

from __future__ import annotations


import re

from dataclasses import dataclass
from typing import Sequence

from extractors.appendix.cues import _BODY_ROLES, _features, _lone_number, _open_end, role_cost
from extractors.appendix.layout_dump import _merged_columns
from extractors.appendix.model import AppendixRow, AppendixTable
from extractors.appendix.row_check import reads_whole
from extractors.appendix.row_lines import _complete, _width
from extractors.appendix.shared_lines import CARRY, read_shared
from extractors.appendix.text import _collapse, _fold, _is_roman, _join_text
from extractors.appendix.vocab import _PHU_LUC_RE, header_cell_column, is_valid_header
from extractors.column_roles import header_words, header_words_only

__all__ = ["column_tables"]

#: lines one header cell may wrap over
HEADER_CELL_LINES = 4
#: lines per column from which a block right under several columns' header cells is shared by
#: them (a shorter one is one cell of one of them)
SHARED_MIN_LINES = 2
#: free-text columns (task verbs open their cells)
_TEXT = frozenset({"objective", "task", "activity", "note"})
#: cost of a block opening a new band (the same column as the block before, or one left of it)
NEW_BAND_COST = 2.0
#: cost per column skipped inside a band
SKIP_COST = 0.4
#: bonus of a block for the column whose header cell stands alone right above it
UNDER_HEADER = 2.0
#: cost of a block put in a column other than the one its header cell names
_OTHER_COLUMN = 1e6


@dataclass(slots=True)
class _Block:
    lines: list[int]  # 0-based line indices
    page: int | None
    column: str | None = None  # fixed by a header cell at its top
    header_lines: int = 0  # lines of the header cell at its top
    group: tuple[str, ...] = ()  # columns that share its printed lines (shared_lines)
    under: str | None = None  # the column whose header cell is the block right above it


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


def _split_titles(lines: Sequence[str], blocks: list[_Block]) -> list[_Block]:
    """The first block (the appendix's title lines: "PHỤ LỤC", "(Kèm theo ...)") cut before a
    header cell printed under them without a blank line."""
    out: list[_Block] = []
    for k, block in enumerate(blocks):
        for n in range(1, len(block.lines) if k == 0 else 0):
            if _zone_cells([lines[i] for i in block.lines[n:]])[1]:
                out.append(_Block(block.lines[:n], block.page))
                block = _Block(block.lines[n:], block.page)
                break
        out.append(block)
    return out


def _header_line(text: str) -> bool:
    return header_words_only(text)


def _zone_cells(texts: Sequence[str]) -> tuple[int, list[tuple[str, str]]]:
    """The longest run of header lines from the start of ``texts`` read as header cells: (lines
    read, [(column, cell key)]).  A cell wraps over up to :data:`HEADER_CELL_LINES` lines (each
    after the first opening lower-case); two cells whose lines alternate (``pdftotext`` prints
    neighbouring header cells line by line: "Sản phẩm đầu" / "Đơn vị" / "ra" / "chủ trì") are
    read apart."""
    n = 0
    while n < len(texts) and _header_line(texts[n]):
        n += 1
    # best[i]: (cells, interleaved pairs, cells read) over the first i lines: fewest cells,
    # then fewest interleavings (cells printed apart are read apart first)
    best: list[tuple[int, int, list[tuple[str, str]]] | None] = [None] * (n + 1)
    best[0] = (0, 0, [])
    for i in range(n):
        if best[i] is None:
            continue
        for k, cells in _cells_at(texts, i, n):
            got = (best[i][0] + len(cells), best[i][1] + (len(cells) > 1), best[i][2] + cells)
            if best[i + k] is None or got[:2] < best[i + k][:2]:
                best[i + k] = got
    used = max(i for i in range(n + 1) if best[i] is not None)
    return used, best[used][2]


def _cells_at(texts: Sequence[str], i: int, n: int):
    """(lines, cells) readings of header cells starting at line ``i`` (before ``n``)."""
    for k in range(1, min(HEADER_CELL_LINES, n - i) + 1):
        if k > 1 and not _features(texts[i + k - 1])["lower"]:
            break
        role = header_cell_column("\n".join(texts[i : i + k]))
        if role is not None:
            yield k, [(role, _key(texts[i : i + k]))]
    for k in range(3, min(2 * HEADER_CELL_LINES, n - i) + 1):
        for mask in range(1 << (k - 1)):
            sides = [0] + [mask >> j & 1 for j in range(k - 1)]
            a = [texts[i + j] for j in range(k) if sides[j] == 0]
            b = [texts[i + j] for j in range(k) if sides[j] == 1]
            if not b or any(_features(t)["lower"] for t in b[:1]) or not all(
                    _features(t)["lower"] for t in a[1:] + b[1:]):
                continue
            ra, rb = header_cell_column("\n".join(a)), header_cell_column("\n".join(b))
            if ra is not None and rb is not None and ra != rb:
                yield k, [(ra, _key(a)), (rb, _key(b))]


def _key(texts: Sequence[str]) -> str:
    return " ".join(header_words(" ".join(texts)))


def _zones(lines: Sequence[str], blocks: list[_Block]) -> list[tuple[int, list[tuple[str, str]]]]:
    """Header zones of one page's blocks: for every block, the header cells read from the run of
    header lines that ends in it (blocks of header words only before it included: header cells
    wrap and interleave across blocks), [] for others; every block's ``header_lines`` set to the
    header lines at its top."""
    out: list[tuple[int, list[tuple[str, str]]]] = []
    run: list[int] = []  # blocks of header words only, waiting for the block that ends the run

    def settle(run: list[int], block: int | None) -> None:
        texts = [lines[i] for j in run for i in blocks[j].lines]
        whole = [] if block is None else [lines[i] for i in blocks[block].lines]
        before = len(texts)
        used, cells = _zone_cells(texts + whole)
        if used >= before and cells:
            for j in run:
                blocks[j].header_lines = len(blocks[j].lines)
            if block is not None:
                blocks[block].header_lines = used - before
            out[(run or [block])[-1] if block is None else block] = (block if block is not None else run[-1], cells)
            return
        for j in run + ([] if block is None else [block]):  # no header across them: each alone
            used, cells = _zone_cells([lines[i] for i in blocks[j].lines])
            blocks[j].header_lines = used
            out[j] = (j, cells)

    for b, block in enumerate(blocks):
        out.append((b, []))
        if block.lines and all(_header_line(lines[i]) for i in block.lines):
            run.append(b)
            continue
        settle(run, b)
        run = []
    if run:
        settle(run, None)
    return out


def _header(lines: Sequence[str], blocks: list[_Block]) -> tuple[int, dict[str, str]] | None:
    """Index of the first header block and the header: column -> its cell's key (folded
    words), in printed order (the header cells of the table's first page; a column's first)."""
    heads = [bool(b.lines) and _header_line(lines[b.lines[0]]) for b in blocks]
    for b0, block in enumerate(blocks):
        # a header prints three or more cells, each at the top of a block of its page
        if not heads[b0] or sum(h for b, h in zip(blocks[b0:], heads[b0:]) if b.page == block.page) < 3:
            continue
        if not _zone_cells([lines[i] for i in block.lines])[1]:
            continue
        page = [b for b in blocks[b0:] if b.page == block.page]
        cols: dict[str, str] = {}
        for _, cells in _zones(lines, [_Block(list(b.lines), b.page) for b in page]):
            for role, key in cells:
                cols.setdefault(role, key)
        if is_valid_header(list(cols)):
            return b0, cols
    return None


def _rejoined(lines: Sequence[str], blocks: list[_Block]) -> list[_Block]:
    """Blocks with a block that opens in lower case joined to the block before it: the rest of
    one cell that pdftotext printed apart ("Nguồn" / "kinh phí thường xuyên")."""
    out: list[_Block] = []
    for block in blocks:
        first = lines[block.lines[block.header_lines]]
        if out and not block.header_lines and block.column is None and _features(first)["lower"]:
            prev = out[-1]
            out[-1] = _Block(prev.lines + block.lines, prev.page, prev.column, prev.header_lines)
            continue
        out.append(block)
    return out


def _segments(texts: list[str]) -> list[str]:
    """A block's lines joined into the pieces that may be cells: a line and the lines after it
    that go on in lower case ("Nguồn" / "kinh phí" / "thường xuyên" is one budget phrase)."""
    out: list[str] = []
    for t in texts:
        if out and _features(t)["lower"]:
            out[-1] = _join_text([out[-1], t])
        else:
            out.append(t)
    return out


def _step_cost(i: int, j: int) -> float:
    """Cost of a block of column ``j`` after one of column ``i``: further right in the band
    (columns skipped cost a little), or the next band."""
    return SKIP_COST * (j - i - 1) if j > i else NEW_BAND_COST


def _assign(lines: Sequence[str], blocks: list[_Block], columns: tuple[str, ...]) -> list[str]:
    """The column of every block of one page: Viterbi over the blocks, bands left to right."""
    n = len(columns)
    costs = []
    for block in blocks:
        if block.column is not None:
            costs.append([0.0 if c == block.column else _OTHER_COLUMN for c in columns])
            continue
        segments = _segments([lines[i] for i in block.lines[block.header_lines:]])
        costs.append([sum(role_cost(t, c) for t in segments) - (UNDER_HEADER if c == block.under else 0.0)
                      for c in columns])
    best = list(costs[0])
    back: list[list[int]] = []
    for t in range(1, len(blocks)):
        row, ptr = [], []
        for j in range(n):
            opts = [best[i] + _step_cost(i, j) for i in range(n)]
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
    elif col == "deadline" and f["date"] or col in _BODY_ROLES and f["owner"] or col in _TEXT and f["verb"]:
        score += 1.0
    if (col in _BODY_ROLES or col == "deadline") and _complete(prev.strip(), col):
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
        listing = _listing([lines[i] for i, _ in col_lines[max(0, n + 1 - LIST_LOOKBACK) : n + 1]])
        out.append(_FORCED if new_block else _gap_score(lines[a], lines[b], col, width, listing))
    return out


def _listing(above: Sequence[str]) -> bool:
    """Whether a list is open in the lines ``above``: a list item, or a line ending ":"."""
    return any(t.lstrip()[:1] in "-+•" or t.rstrip()[-1:] == ":" for t in above)


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


#: acronyms that official names join with a hyphen ("HĐND-UBND", "NĐ-CP"), which pdftotext drops
#: where the hyphen ended a line ("HĐND-" / "UBND xã" -> "HĐNDUBND xã")
_ACRONYMS = ("HĐND", "UBND", "NĐ", "CP", "QĐ", "KH", "TT", "CT", "NQ", "TTg", "BNV", "BTC", "BTP", "VPCP",
             "TW", "BCĐ", "CCHC", "TTHC", "MTTQ", "UBMTTQ", "BCH", "VP")
_GLUED_RE = re.compile(r"\b(" + "|".join(sorted(_ACRONYMS, key=len, reverse=True)) + r")("
                       + "|".join(sorted(_ACRONYMS, key=len, reverse=True)) + r")\b")


def _rehyphenated(text: str) -> str:
    """``text`` with the hyphen between two joined acronyms put back ("HĐNDUBND" -> "HĐND-UBND")."""
    return _GLUED_RE.sub(r"\1-\2", text)


def _column_tables(lines: Sequence[str], pages: Sequence[int | None]) -> list[AppendixTable]:
    lines = [_rehyphenated(t) for t in lines]
    blocks = _split_titles(lines, _blocks(lines, pages, _start(lines)))
    found = _header(lines, blocks)
    if found is None:
        return []
    b0, header = found
    columns = tuple(header)
    blocks = blocks[b0:]
    by_page: dict[int | None, list[_Block]] = {}
    for block in blocks:
        by_page.setdefault(block.page, []).append(block)
    shared_cols: tuple[str, ...] = ()
    for page_blocks in by_page.values():
        shared_cols = _place(lines, page_blocks, columns, header, shared_cols)
    streams: dict[int | None, dict[str, list[tuple[int, bool]]]] = {}
    orders: dict[int | None, list[tuple[str, int]]] = {}
    shared: dict[int | None, list[_Block]] = {}
    for page, page_blocks in by_page.items():
        page_blocks = [b for b in page_blocks if len(b.lines) > b.header_lines]
        shared[page] = [b for b in page_blocks if b.group]
        single = _rejoined(lines, [b for b in page_blocks if not b.group])
        stream: dict[str, list[tuple[int, bool]]] = {c: [] for c in columns}
        rest = tuple(c for c in columns if not any(c in b.group for b in shared[page]))
        order: list[tuple[str, int]] = []  # (column, line index of the block's first line), page order
        if single and rest:
            for block, col in zip(single, _assign(lines, single, rest)):
                for n, i in enumerate(block.lines[block.header_lines:]):
                    # a block opening in lower case goes on with its column's cell above
                    new = n == 0 and not (stream[col] and _features(lines[i])["lower"])
                    stream[col].append((i, new))
                    if new:
                        order.append((col, i))
        streams[page] = stream
        orders[page] = order
    width = {c: max((_width(lines[i].strip()) for s in streams.values() for i, _ in s[c]), default=0.0)
             for c in columns}
    rows: list[AppendixRow] = []
    unread = 0
    group: tuple[str | None, str | None] = (None, None)
    joined = False  # rows[-1] is the last row of the page just read: it may go on on this one
    page_start = 0  # index in ``rows`` of that page's first row

    def close_last() -> int:
        """The page before's last row checked, now that what it carries over is known: when it
        does not read whole, neither is its page read (a misread row puts the rows above it out
        of step as much as those below)."""
        if joined and not reads_whole(rows[-1].cells):
            dropped = len(rows) - page_start
            del rows[page_start:]
            return dropped
        return 0

    for n_page, (page, stream) in enumerate(streams.items()):
        marks = [lines[i].strip().rstrip(".") for i, _ in stream.get("row_no", ())]
        # a table whose columns share printed lines prints them so on every page: a page where
        # no such block was found is not read as one printed column by column
        page_rows = None if shared_cols and not shared[page] else _page_rows(
            lines, stream, columns, width, page, group, shared[page], n_page > 0, orders[page])
        if page_rows is None:
            unread += close_last() + max(1, sum(not _is_roman(m) for m in marks))
            joined = False
            continue
        carry, new_rows = page_rows
        if carry and joined:
            rows[-1] = _carried(rows[-1], carry, lines)
        elif carry:
            unread += 1  # the rest of a row whose page was not read
        unread += close_last()
        page_start = len(rows)
        rows.extend(new_rows)
        joined = bool(new_rows)
        if new_rows:
            group = (new_rows[-1].group_no, new_rows[-1].group_title)
    unread += close_last()
    if not rows and not unread:
        return []
    return [AppendixTable(columns=columns, header_line=blocks[0].lines[0] + 1, rows=tuple(rows),
                          method="columns", unread_rows=unread)]


def _place(lines, blocks: list[_Block], columns: tuple[str, ...], header: dict[str, str],
           shared_cols: tuple[str, ...]) -> tuple[str, ...]:
    """Header lines, fixed columns and shared blocks of one page's blocks: a block right under
    the header cell of one column is that column's; a long block right under the header cells
    of several neighbouring columns is shared by them (:mod:`extractors.appendix.shared_lines`).
    On a page without a header, the first long block is shared by the columns that shared one
    before.  Returns the shared columns seen."""
    pending: list[str] = []
    any_header = False
    seen: set[str] = set()  # a page prints a column's header cell once
    for block, (_, cells) in zip(blocks, _zones(lines, blocks)):
        named = [role for role, key in cells if header.get(role) == key and role not in seen]
        seen.update(named)
        if cells and not named:
            block.header_lines = 0  # header words that are no header cell of this table
        any_header |= bool(named)
        pending += [c for c in named if c not in pending]
        data = len(block.lines) - block.header_lines
        if data <= 0:
            continue
        if len(pending) == 1 and block.header_lines:
            block.column = pending[0]  # under its header cell in one block
        elif len(pending) == 1:
            block.under = pending[0]
        elif len(pending) >= 2 and data >= SHARED_MIN_LINES * len(pending) and _neighbours(pending, columns):
            block.group = tuple(c for c in columns if c in pending)
            shared_cols = block.group
        pending = []
    if not any_header and len(shared_cols) >= 2:
        for block in blocks:
            if len(block.lines) >= SHARED_MIN_LINES * len(shared_cols) and not all(
                    _lone_number(lines[i]) for i in block.lines):
                block.group = shared_cols
                break
    return shared_cols


def _neighbours(cols: list[str], columns: tuple[str, ...]) -> bool:
    at = sorted(columns.index(c) for c in cols)
    return at == list(range(at[0], at[0] + len(at)))


def _carried(row: AppendixRow, carry: dict[str, list[int]], lines: Sequence[str]) -> AppendixRow:
    cells = dict(row.cells)
    for col, idx in carry.items():
        cells[col] = _join_text([cells.get(col, "")] + [lines[i] for i in idx])
    end = max([row.line_end] + [i + 1 for idx in carry.values() for i in idx])
    return AppendixRow(row.group_no, row.group_title, row.row_no, cells, row.line_start, end, row.page)


def _page_rows(lines, stream, columns, width, page, group, shared: list[_Block], later: bool,
               order: list[tuple[str, int]]):
    """(cells carried over to the last row of the page before, this page's rows), or None when
    the page's columns cannot be cut into the same rows."""
    marks = [lines[i].strip().rstrip(".") for i, _ in stream.get("row_no", ())]
    texts = [c for c in columns if c != "row_no"]
    if len(shared) > 1 or not texts:
        return None
    together = shared[0].group if shared else ()
    alone = [c for c in texts if c not in together]
    if not together and not any(stream[c] for c in texts):
        return None
    reading = None
    offset = 0
    if together:
        if "row_no" not in columns or not marks:
            return None
        offset = 1 if later else 0
        reading = read_shared(lines, shared[0].lines[shared[0].header_lines:], together,
                              [CARRY] * offset + marks, _mergeable(together, columns))
        if reading is None:
            return None
    # a page that opens in mid-cell: lines before the first cell start of a column
    carry: dict[str, list[int]] = {}
    if reading is not None and offset and 0 in reading.cells:
        for j, parts in reading.cells[0].items():
            carry[together[j]] = [i for i, _ in parts]
    for c in alone:
        s = stream[c]
        if page_carry := _leading_continuation(lines, s, c, width[c]):
            carry[c] = [i for i, _ in s[:page_carry]]
            stream[c] = s[page_carry:]
            gone = set(carry[c])
            at = next((k for k, (col, i) in enumerate(order) if col == c and i in gone), len(order))
            order = [(col, i) for col, i in order if not (col == c and i in gone)]
            if stream[c]:
                if not stream[c][0][1]:  # the carry's block goes on below it: a block of its own now
                    order.insert(at, (c, stream[c][0][0]))
                stream[c][0] = (stream[c][0][0], True)
    gaps = {c: _gaps(lines, stream[c], c, width[c]) for c in alone}
    titled = texts[0] in alone  # the group titles run from the first text column
    if "row_no" in columns:
        n_rows = sum(not _is_roman(m) for m in marks)
        n_groups = len(marks) - n_rows
        if n_rows == 0:
            return None
        counts = {c: n_rows for c in alone}
        if n_groups and titled:
            counts[texts[0]] = n_rows + n_groups
    else:
        counts = _count(alone, stream, gaps)
        if counts is None:
            return None
    positions = marks if "row_no" in columns else [None] * counts[texts[0]]
    data = [p for p, m in enumerate(positions) if m is None or not _is_roman(m)]
    cells: dict[str, dict[int, list[int]]] = {}
    if "row_no" in columns and alone:
        heights = None if reading is None else [
            None if _is_roman(m) else max((len(v) for v in reading.cells.get(p + offset, {}).values()), default=0)
            for p, m in enumerate(marks)]
        got = _align_bands(stream, gaps, order, marks, heights, alone, texts[0] if titled else None)
        if got is not None:
            cells.update(got)
    for c in alone if "row_no" not in columns or len(cells) < len(alone) else ():
        cut = _cut(gaps[c], counts[c])
        if cut is None or any(gaps[c][g] <= 0 for g in cut[0]):
            return None
        chosen = set(cut[0])
        if any(v >= DOUBTFUL_GAP for g, v in enumerate(gaps[c]) if g not in chosen):
            return None  # a gap that looks as much a cell boundary was left: the count is off
        got = _cells(stream[c], cut[0])
        at = range(len(positions)) if c == texts[0] and titled and counts[c] == len(positions) else data
        if len(got) != len(at):
            return None
        cells[c] = dict(zip(at, got))
    out: list[AppendixRow] = []
    group_no, group_title = group
    above: dict[str, str] = {}
    for p, m in enumerate(positions):
        if m is not None and _is_roman(m):
            group_no = m
            if reading is not None and p + offset in reading.titles:
                group_title = _collapse(lines[reading.titles[p + offset]])
            elif titled and cells[texts[0]].get(p):
                group_title = _collapse(_join_text([lines[i] for i in cells[texts[0]][p]]))
            else:
                return None
            above = {}
            continue
        row_cells = {"row_no": m or ""} if "row_no" in columns else {}
        idx: list[int] = []
        for c in alone:
            part = cells[c].get(p, [])
            idx.extend(part)
            row_cells[c] = _join_text([lines[i] for i in part])
        if reading is not None:
            got = reading.cells.get(p + offset, {})
            for j, c in enumerate(together):
                parts = got.get(j, [])
                idx.extend(i for i, _ in parts)
                row_cells[c] = _join_text([t for _, t in parts])
                if not row_cells[c] and c in _MERGEABLE and above.get(c):
                    row_cells[c] = above[c]  # a merged cell printed once, in the first row it covers
            above = {c: row_cells[c] for c in together}
        if not idx:
            return None
        out.append(AppendixRow(group_no, group_title, m or None, {c: row_cells.get(c, "") for c in columns},
                               min(idx) + 1, max(idx) + 1, page))
    if not all(reads_whole(r.cells) for r in out[:-1]):
        return None  # one row misread puts the rows below it out of step: the page is not read
    # the page's last row may go on at the top of the next page: checked once that is known
    return carry, out


#: cost of a cell a column leaves empty in a row, by column (bodies and deadlines are nearly always given)
_EMPTY_COST = {"lead": 4.0, "deadline": 4.0}
EMPTY_COST = 1.0
#: cost of a cell inside a block that is shorter than its row (the column's next cell would
#: stand lower: pdftotext would have started a new block)
SHORT_CELL_COST = 3.0


def _align_bands(stream, gaps, order: list[tuple[str, int]], marks: list[str], heights: list[int] | None,
                 alone: list[str], titled: str | None) -> dict[str, dict[int, list[int]]] | None:
    """The single-column blocks of a page put in its rows (TT positions, ``marks``).  The
    blocks come in bands, left to right then the next band below (a column at or left of the
    one before opens a band), and the blocks of one band open in the same row (cells are
    top-aligned); a block covers a run of rows, cut where its gaps score best, every cell but
    the last as tall as its row where the shared block tells the rows' heights (a shorter one
    leaves space under it, where pdftotext ends the block).  Rows a column's blocks do not cover
    are its empty cells; a group title's row is covered by ``titled`` (the first text column)
    only.  None when no placing fits."""
    rank = {c: k for k, c in enumerate(alone)}
    offsets: dict[str, dict[int, int]] = {c: {i: n for n, (i, _) in enumerate(stream[c])} for c in alone}
    blocks: list[tuple[str, list[int]]] = []  # (column, stream offsets)
    for c, i in order:
        if c not in rank or i not in offsets[c]:
            continue
        n0 = offsets[c][i]
        n1 = n0 + 1
        while n1 < len(stream[c]) and not stream[c][n1][1]:
            n1 += 1
        blocks.append((c, list(range(n0, n1))))
    # lines a carry took off, or blocks that lost their first line to it: the column's stream
    # must be covered by the blocks exactly
    for c in alone:
        covered = sorted(n for col, b in blocks if col == c for n in b)
        if covered != list(range(len(stream[c]))):
            return None
    bands: list[list[tuple[str, list[int]]]] = []
    for c, b in blocks:
        if not bands or rank[c] <= rank[bands[-1][-1][0]]:
            bands.append([])
        bands[-1].append((c, b))
    rows = len(marks)
    title = [_is_roman(m) for m in marks]

    def placements(c: str, block: list[int], start: int):
        """(rows covered, score, cuts) of a block opening in row ``start``."""
        for end in range(start + 1, min(rows, start + len(block)) + 1):
            if any(title[start:end]) and c != titled:
                break
            hs = [h or 1 for h in heights[start:end]] if heights else [1] * (end - start)
            got = _fill(block, gaps[c], hs)
            if got is not None:
                yield end, got[0], got[1]

    empty = {c: _EMPTY_COST.get(c, EMPTY_COST) for c in alone}
    # blocks placed one by one; state: (next free row per column, row the band opened in)
    layer: dict[tuple, tuple[float, tuple | None]] = {(tuple(0 for _ in alone), -1): (0.0, None)}
    history = []
    # A band of columns the flow has not shown yet may open a new flow (pdftotext prints a
    # table as flows: runs of blocks top to bottom; a flow's bands go down the page, a new flow
    # starts again at the top)
    flow: set[str] = set()
    flat = []
    for band in bands:
        cols = {c for c, _ in band}
        fresh = not cols & flow
        flow = cols if fresh else flow | cols
        flat += [(b == 0, fresh, c, block) for b, (c, block) in enumerate(band)]
    for opens, fresh, c, block in flat:
        k = rank[c]
        nxt: dict[tuple, tuple[float, tuple | None]] = {}
        for (ends, opened), (score, _) in layer.items():
            if opens:
                starts = [r for r in range(max(ends[k] if fresh else opened + 1, ends[k]), rows)
                          if not title[r] or c == titled]
            else:
                starts = [opened] if opened >= ends[k] else []
            for r in starts:
                skipped = empty[c] * sum(not title[q] for q in range(ends[k], r))
                for end, gain, cuts in placements(c, block, r):
                    key = (ends[:k] + (end,) + ends[k + 1:], r)
                    total = score + gain - skipped
                    if key not in nxt or total > nxt[key][0]:
                        nxt[key] = (total, ((ends, opened), r, cuts))
        if not nxt:
            return None
        history.append(nxt)
        layer = nxt
    finals = []
    for (ends, opened), (score, _) in layer.items():
        total = score - sum(empty[c] * sum(not title[q] for q in range(ends[rank[c]], rows)) for c in alone)
        if titled is not None and any(title[q] for q in range(ends[rank[titled]], rows)):
            continue
        finals.append((total, (ends, opened)))
    if not finals:
        return None
    _, key = max(finals)
    out: dict[str, dict[int, list[int]]] = {c: {} for c in alone}
    for step in range(len(flat) - 1, -1, -1):
        _, _, c, block = flat[step]
        prev, start, cuts = history[step][key][1]
        for k, (first, last) in enumerate(cuts):
            out[c][start + k] = [stream[c][block[n]][0] for n in range(first, last)]
        key = prev
    if titled is not None and any(title[p] and p not in out[titled] for p in range(rows)):
        return None
    return out


def _fill(block: list[int], gaps: list[float], heights: list[int]) -> tuple[float, list[tuple[int, int]]] | None:
    """Cut a block's lines (stream offsets) into ``len(heights)`` cells: (score, [(first, end)]
    offsets into the block), the cuts at positive gaps, every cell but the last as tall as its
    row; None when no cut fits."""
    k, m = len(heights), len(block)
    if k > m:
        return None
    inner = [gaps[block[j]] for j in range(m - 1)]  # gap after line j of the block
    # dp over (cells done, lines used)
    dp: dict[tuple[int, int], tuple[float, int]] = {(0, 0): (0.0, -1)}
    for cell in range(k):
        for (c, used), (score, _) in list(dp.items()):
            if c != cell:
                continue
            last = cell == k - 1
            for end in ([m] if last else range(used + 1, m)):
                n = end - used
                cost = 0.0 if last or n >= heights[cell] else SHORT_CELL_COST
                gain = 0.0 if last else inner[end - 1]
                if not last and gain <= 0:
                    continue
                value = score + gain - cost
                if (cell + 1, end) not in dp or value > dp[(cell + 1, end)][0]:
                    dp[(cell + 1, end)] = (value, used)
    if (k, m) not in dp:
        return None
    cuts, c, end = [], k, m
    while c > 0:
        value, used = dp[(c, end)]
        cuts.append((used, end))
        c, end = c - 1, used
    cuts.reverse()
    kept = {e for _, e in cuts[:-1]}
    if any(inner[j] >= DOUBTFUL_GAP for j in range(m - 1) if j + 1 not in kept):
        return None  # a line that opens a cell as clearly as the others left inside one
    return dp[(k, m)][0], cuts


def _mergeable(together: tuple[str, ...], columns: tuple[str, ...]) -> frozenset[int]:
    """Positions (in ``together``) of outline columns whose cells a finer column of the table
    splits into several rows: such a cell may be merged over rows and printed once."""
    merged = _merged_columns(columns)
    return frozenset(j for j, c in enumerate(together) if columns.index(c) in merged)


_MERGEABLE = frozenset({"objective", "task"})


def _count(alone: list[str], stream, gaps) -> dict[str, int] | None:
    """Without a TT column: the number of rows on which the columns' cuts agree best."""
    if not alone or not all(stream[c] for c in alone):
        return None
    lo = max(1, max(len([1 for _, b in stream[c] if b]) for c in alone))
    hi = min(len(stream[c]) for c in alone)
    best = None
    for k in range(lo, hi + 1):
        cuts = [_cut(gaps[c], k) for c in alone]
        if all(cut is not None for cut in cuts):
            total = sum(cut[1] for cut in cuts)
            if best is None or total > best[0]:
                best = (total, k)
    return None if best is None else {c: best[1] for c in alone}


def _leading_continuation(lines: Sequence[str], s: list[tuple[int, bool]], col: str, width: float) -> int:
    """Lines at the top of a column's page that continue the page before's last cell (a
    lower-case start or a list item, and the lines that go on from it): their count."""
    if not s or not (_features(lines[s[0][0]])["lower"] or lines[s[0][0]].lstrip()[:1] in "-+•"):
        return 0
    n = 1
    while n < len(s) and not s[n][1]:
        listing = _listing([lines[i] for i, _ in s[:n]])
        if _gap_score(lines[s[n - 1][0]], lines[s[n][0]], col, width, listing) > 0:
            break
        n += 1
    return n
