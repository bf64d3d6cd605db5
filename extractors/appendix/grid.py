"""Appendix rows from tables with structure (DOCX markup, PDF rulings, OCR'd grids).

:func:`appendix_from_tables` turns the :class:`~pipeline.model.Table` objects of a
:class:`~pipeline.model.Document` into the same :class:`~extractors.appendix.AppendixTable` /
:class:`~extractors.appendix.AppendixRow` objects that :func:`extractors.appendix.extract_appendix`
rebuilds from a text dump, so a plan yields the same rows whatever form it arrives in.

Method
------
1. Each table becomes a dense grid (row, col) -> cell, spans resolved.
2. The header is the run of top rows whose cells name known columns (their role by meaning,
   :func:`extractors.column_roles.header_role`, a line of stamp strokes read as a stray letter
   aside); the bottom-most naming cell of a grid column wins,
   so a two-row header ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp") maps correctly.  A
   table without such a header is not an appendix, unless it continues one (below).
3. Continuation: a table on the same or next page with the same header (repeated header rows,
   one cell in five may be misread or unnamed) or with no header and the same number of grid columns continues the previous appendix
   table.  At the seam, a first row without row number whose text reads as the rest of the
   previous row (lower-case start, or only a subset of its cells) is a row split by the page
   break and is joined back; a merged Mục tiêu / Nhiệm vụ cell continues when the new page
   starts with that cell empty, with a lower-case continuation of its text or with list items
   ("- Đăng tải ...;" under "... doanh nghiệp:"): no such cell opens on a list item.
4. Rows: a roman numeral in the TT column with one other text ("I | Cải cách thể chế") is a
   group row and sets the group of the rows below; a numbering row ("(1) (2) (3) ...") under
   the header is skipped; a header repeated inside a table is skipped.  A cell spanning
   several rows applies its text to every row it spans.  ``line_start`` / ``line_end`` /
   ``page`` / ``bbox`` of a row come from the cells that start in it.
5. Row numbers: "1.", "2)" and OCR's look-alikes ("l", "I0", "§") are read as numbers; a TT
   cell with ink that still does not read as one, between two numbers one apart from the
   missing one ("10", "H1", "12"), takes the number the sequence leaves out.

Pure; returns ``[]`` when no table has a recognisable appendix header.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extractors.appendix.cues import _open_end, waits_for_date
from extractors.appendix.model import AppendixRow, AppendixTable
from extractors.appendix.text import _ITEM_MARKS, _fold
from extractors.appendix.vocab import (
    _BUDGET_PREFIXES, _DATE_RE, _OWNER_PREFIXES, _OWNER_RE, _PRODUCT_PREFIXES, TWO_LEVEL_COLUMNS, _prefix_re,
    is_outline_head, is_roman, is_valid_header, join_cell_text,
)
from extractors.column_roles import (garbled_header_role, header_role, header_words, header_words_only, is_header_word,
                                     tile_header)
from pipeline.model import BBox, Cell, Document, Table

__all__ = ["appendix_from_tables", "table_grid"]

_OUTLINE = ("objective", "task", "activity")
_NUMBERING_RE = re.compile(r"^\(?\d{1,2}\)?$")
_ROW_NO_RE = re.compile(r"^(\d{1,3})[.)]?$")
_GROUP_TEXT_RE = re.compile(r"^\s*([IVXLHUl|]{1,6})\s*([.)/:-]?)\s+(\S.*)$", re.S)


def table_grid(table: Table) -> list[list[int | None]]:
    """Dense occupancy grid: ``grid[r][c]`` is the index in ``table.cells`` of the cell covering
    row ``r``, column ``c`` (0-based), or None for a hole."""
    if not table.cells:
        return []
    nrows = max(c.row + c.row_span for c in table.cells)
    ncols = max(c.col + c.col_span for c in table.cells)
    grid: list[list[int | None]] = [[None] * ncols for _ in range(nrows)]
    for i, c in enumerate(table.cells):
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                if grid[r][k] is None:
                    grid[r][k] = i
    return grid


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _cell_text(cell: Cell) -> str:
    return join_cell_text(cell.text.split("\n"))


@dataclass(slots=True)
class _Text:
    """One logical cell; shared by every row it spans (also across a page break)."""

    pieces: list[str]

    @property
    def text(self) -> str:
        return join_cell_text(self.pieces)


@dataclass(slots=True)
class _Row:
    group: tuple[str | None, str | None]
    cells: dict[str, list[_Text]]
    lines: list[int] = field(default_factory=list)
    page: int | None = None
    boxes: list[BBox] = field(default_factory=list)
    #: (column, OCR word confidence, characters) of the row's own OCR'd cells
    reads: list[tuple[str, float, int]] = field(default_factory=list)
    #: columns the cell of a column on their left runs over in this row
    joined: set[str] = field(default_factory=set)
    #: columns whose cell spans this row and others
    spanned: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Header:
    rows: int  # header rows at the top of the grid
    colmap: dict[int, str]  # grid column -> canonical column
    columns: tuple[str, ...]
    line: int | None


@dataclass(slots=True)
class _Acc:
    header: _Header
    ncols: int
    unnamed: tuple[str, ...] = ()  # header texts of columns with text that name no column
    rows: list[_Row] = field(default_factory=list)
    group: tuple[str | None, str | None] = (None, None)
    last_page: int | None = None
    # grid column -> the _Text covering the previous part's last row in that column
    bottom: dict[int, _Text] = field(default_factory=dict)


def _find_header(table: Table, grid: list[list[int | None]], partial: bool = False) -> _Header | None:
    """The header at the top of ``grid``: its rows and the columns it names; None when it names
    no appendix table's columns (``partial``: the columns it names all the same, for a repeated
    header further on to complete)."""
    cells = table.cells
    nrows = len(grid)
    header_rows = 0
    for r in range(min(nrows, 4)):
        own = [cells[i] for i in dict.fromkeys(grid[r]) if i is not None and cells[i].row == r]
        texts = [c for c in own if _collapse(c.text)]
        if not texts:
            if header_rows:
                continue  # an empty spacer line inside a multi-row header
            break
        named = sum(header_role(c.text) is not None for c in texts)
        if named >= 2 and named >= 0.6 * len(texts):
            header_rows = r + 1
        elif (header_rows and all(_header_words_only(c.text) for c in texts)
              and any(_under_unnamed(grid, cells, r, c.col) for c in texts)):
            header_rows = r + 1  # the wrapped rest of header cells, one of which names nothing alone
        elif header_rows == r and _lower_cells(grid, cells, r, texts):
            header_rows = r + 1  # a two-level header's lower cells, one perhaps garbled by OCR
        elif header_rows == 0 and r == 0:
            return None
        else:
            break
    if header_rows == 0:
        return None
    colmap: dict[int, str] = {}
    for c in range(len(grid[0])):
        for r in range(header_rows - 1, -1, -1):
            i = grid[r][c]
            if i is None:
                continue
            col = header_role(cells[i].text)
            if col is not None:
                colmap[c] = col
                break
        else:
            # A header cell wrapped over two header rows ("Cơ quan, đơn vị" over "thực hiện",
            # as OCR'd grids cut it): the column's header cells read together.
            own = [cells[i].text for i in dict.fromkeys(grid[r][c] for r in range(header_rows)) if i is not None]
            col = header_role(" ".join(own)) if len(own) > 1 else None
            if col is not None:
                colmap[c] = col
    _siblings_named(cells, grid, header_rows, colmap)
    _split_joined_headers(cells, grid, header_rows, colmap)
    _garbled_named(cells, grid, header_rows, colmap)
    if _lost_tt_wall(cells, grid, header_rows, colmap):
        return None
    # A header cell OCR cut in two across a ruling it imagined ("Cơ quan, đơn v.." | "thực
    # hiện"): two unnamed neighbours that name a column together are that column.
    for c in range(len(grid[0]) - 1):
        if c in colmap or c + 1 in colmap:
            continue
        parts = [" ".join(cells[i].text for i in dict.fromkeys(grid[r][k] for r in range(header_rows)) if i is not None)
                 for k in (c, c + 1)]
        col = header_role(" ".join(parts)) if all(p.strip() for p in parts) else None
        if col is not None:
            colmap[c] = colmap[c + 1] = col
    columns = _columns_of(colmap)
    if not is_valid_header(columns) and not (partial and len(columns) >= 2):
        return None
    lines = [cells[i].line_start for row in grid[:header_rows] for i in row
             if i is not None and cells[i].line_start is not None]
    return _Header(header_rows, colmap, tuple(columns), min(lines) if lines else None)


def _split_joined_headers(cells, grid: list[list[int | None]], header_rows: int, colmap: dict[int, str]) -> None:
    """Header cells that name several columns at once, because a stamp or a faint ruling hid the
    line between them ("Cơ quan chủ trì I Cơ quan phối hợp" over two grid columns, the ruling
    read as "I"), or because the plan printed one cell over columns it did not head one by one
    ("Cơ quan chủ trì, phối hợp" over two columns and no second header row): when the cell's
    header words (stray letters of a ruling aside) tile into as many roles as the grid columns
    it covers, with the empty header cells right of it, each column takes its role in order.
    Columns already named are never renamed."""
    ncols = len(grid[0])
    for i in _header_cells(cells, grid, header_rows):
        first = cells[i].col
        span = list(range(first, min(ncols, first + cells[i].col_span)))
        if any(c in colmap for c in span) or header_role(cells[i].text) is not None:
            continue
        roles = _tiled_roles(cells[i].text)
        if roles is None:
            continue
        run = list(span)
        while len(run) < len(roles) and run[-1] + 1 < ncols and run[-1] + 1 not in colmap \
                and _header_empty(cells, grid, header_rows, run[-1] + 1):
            run.append(run[-1] + 1)
        if len(run) == len(roles):
            colmap.update(zip(run, roles))


def _garbled_named(cells, grid: list[list[int | None]], header_rows: int, colmap: dict[int, str]) -> None:
    """Columns of an OCR'd header that no header cell names because a seal or a signature
    garbled it ("nx%1 chủ trì /", "Nội việc dung cônế"): named by the header words left in the
    cell (:func:`extractors.column_roles.garbled_header_role`) when no other column has that
    role and no other garbled cell names it too.  Tables with structure (DOCX, PDF rulings)
    are read as they are."""
    found: dict[int, str] = {}
    for c in range(len(grid[0])):
        if c in colmap:
            continue
        own = [i for i in dict.fromkeys(grid[r][c] for r in range(header_rows)) if i is not None]
        if not own or any(cells[i].confidence is None for i in own) or any(cells[i].col_span > 1 for i in own):
            continue
        role = garbled_header_role(" ".join(cells[i].text for i in own))
        if role is not None:
            found[c] = role
    taken = set(colmap.values())
    roles = Counter(found.values())
    colmap.update({c: role for c, role in found.items() if role not in taken and roles[role] == 1})


def _lost_tt_wall(cells, grid: list[list[int | None]], header_rows: int, colmap: dict[int, str]) -> bool:
    """Whether an OCR'd grid lost the ruling right of its TT column: one header cell of one grid
    column reads "TT Mục tiêu" (the TT header and its neighbour's), and the row numbers run
    into the next column's cells or out of the grid, so that its rows cannot be told apart.
    A plan never prints the TT column merged with another; tables with structure (DOCX, PDF
    rulings) are read as they are."""
    for i in _header_cells(cells, grid, header_rows):
        if cells[i].confidence is None or cells[i].col in colmap:
            continue
        roles = _tiled_roles(cells[i].text, strict=False)
        if roles and roles[0] == "row_no" and cells[i].col_span < len(roles):
            return True
    return False


def _header_cells(cells, grid: list[list[int | None]], header_rows: int):
    """The indices of the cells that start in the header rows, each once, in printed order."""
    for r in range(header_rows):
        for i in dict.fromkeys(grid[r]):
            if i is not None and cells[i].row == r:
                yield i


def _tiled_roles(text: str, strict: bool = True) -> list[str] | None:
    """The two roles or more a header cell's words tile into (:func:`extractors.column_roles.tile_header`),
    stray one-letter words of a ruling or a stamp aside; None when they name fewer, or (``strict``)
    when the cell holds a longer word no header has (text, not a header)."""
    words = [w for w in header_words(text) if w.isalnum()]
    if strict and any(len(w) > 1 and not is_header_word(w) for w in words):
        return None
    words = [w for w in words if is_header_word(w)]
    roles = tile_header(words) if len(words) >= 2 else None
    return roles if roles and len(roles) >= 2 else None


def _header_empty(cells, grid: list[list[int | None]], header_rows: int, c: int) -> bool:
    return all(grid[r][c] is None or not _collapse(cells[grid[r][c]].text) for r in range(header_rows))


def _columns_of(colmap: dict[int, str]) -> tuple[str, ...]:
    """The canonical columns a header names, in printed order."""
    return tuple(dict.fromkeys(colmap[c] for c in sorted(colmap)))


def _renamed(hdr: _Header, colmap: dict[int, str]) -> _Header:
    return hdr if colmap == hdr.colmap else _Header(hdr.rows, colmap, _columns_of(colmap), hdr.line)


#: words of a two-level header's lower cell at most (a body cell says more)
SUB_CELL_WORDS = 5


def _lower_cells(grid: list[list[int | None]], cells, r: int, texts) -> bool:
    """Whether row ``r``'s cells are the lower cells of a two-level header: every cell short
    and under a header cell of row ``r - 1`` spanning two columns or more, one of them at least
    naming a lead or supporting body ("Phối hợp" beside "Đơn vị chủ trì" OCR garbled)."""
    def under_span(c) -> bool:
        above = grid[r - 1][c.col]
        return above is not None and cells[above].row == r - 1 and cells[above].col_span >= 2
    return (all(under_span(c) and len(c.text.split()) <= SUB_CELL_WORDS for c in texts)
            and any(header_role(c.text) in TWO_LEVEL_COLUMNS for c in texts))


def _siblings_named(cells, grid: list[list[int | None]], header_rows: int, colmap: dict[int, str]) -> None:
    """The lower cells of a two-level header's top cell over the lead and support columns,
    one named, the other garbled by OCR or named by the top cell alone: the lead column is the
    one left of the support column, and the other way round."""
    if header_rows < 2:
        return
    for i in dict.fromkeys(grid[header_rows - 2]):
        if i is None or cells[i].col_span != 2 or cells[i].row != header_rows - 2:
            continue
        a, b = cells[i].col, cells[i].col + 1
        named = {k: header_role(cells[j].text) for k in (a, b) if (j := grid[header_rows - 1][k]) is not None
                 and cells[j].row == header_rows - 1}
        lead, support = TWO_LEVEL_COLUMNS
        if named.get(b) == support and named.get(a) is None:
            colmap[a] = lead
        elif named.get(a) == lead and named.get(b) is None:
            colmap[b] = support


def _under_unnamed(grid: list[list[int | None]], cells, r: int, c: int) -> bool:
    above = grid[r - 1][c] if r > 0 else None
    return above is not None and cells[above].row < r and header_role(cells[above].text) is None


def _header_words_only(text: str) -> bool:
    """The wrapped rest of a header cell: header words in lower case ("thực hiện", "hoàn thành");
    a row's cells begin upper-case."""
    return text.strip()[:1].islower() and header_words_only(text)


def _row_texts(table: Table, grid: list[list[int | None]], r: int, colmap: dict[int, str]) -> dict[str, str]:
    out: dict[str, list[str]] = {}
    seen: set[int] = set()
    for c, i in enumerate(grid[r]):
        if i is None or i in seen or c not in colmap:
            continue
        seen.add(i)
        t = _cell_text(table.cells[i])
        if t:
            out.setdefault(colmap[c], []).append(t)
    return {k: " ".join(v) for k, v in out.items()}


def _is_header_repeat(table: Table, grid, r: int, header: _Header) -> bool:
    texts = _row_texts(table, grid, r, header.colmap)
    if len(texts) < 3:
        return False
    named = [header_role(t) for t in texts.values()]
    return sum(n is not None for n in named) >= 0.8 * len(named)


def _is_numbering(texts: dict[str, str]) -> bool:
    return len(texts) >= 3 and all(_NUMBERING_RE.match(t) for t in texts.values())


# OCR reads a lone "1" as "l", "I", "i" or "|", a lone "8" as "§", and a lone "II" as "H", "Il",
# "ll" or "U".
_DIGIT_FIX = str.maketrans({"l": "1", "I": "1", "|": "1", "i": "1", "Í": "1", "O": "0", "o": "0", "§": "8"})
_ROMAN_CONFUSIONS = {"l": "I", "|": "I", "1": "I", "L": "I", "LI": "II", "IL": "II", "LL": "II", "H": "II", "U": "II",
                     "ll": "II", "Il": "II", "lI": "II", "11": "II", "Ill": "III", "lll": "III", "111": "III", "IH": "III", "HI": "III", "M": "III",
                     "lV": "IV", "1V": "IV", "Vl": "VI", "V1": "VI", "Vll": "VII", "VIl": "VII", "VH": "VII"}
_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def _row_number(text: str) -> str | None:
    t = text.strip().rstrip(".)").strip()
    m = _ROW_NO_RE.match(t) or _ROW_NO_RE.match(t.translate(_DIGIT_FIX))
    return m.group(1) if m else None


def _roman(text: str, previous: str | None, spanning: bool = False) -> str | None:
    """The group numeral ``text`` reads as after group ``previous``.  A misread numeral is only
    trusted when it is the next one in sequence; in a row whose title spans the row
    (``spanning``) any short non-number is the next numeral, whatever OCR made of it ("lÍ")."""
    t = text.strip().rstrip(".)").strip()
    if _group_numeral(t):
        expected = _next_roman(previous)
        if previous in _ROMANS and t in _ROMANS and _ROMANS.index(t) <= _ROMANS.index(previous) \
                and len(expected) - len(t) == 1 and expected.replace("I", "") == t.replace("I", ""):
            return expected  # "II" again after "II": OCR lost a stroke of "III" (numerals never repeat)
        return t
    fixed = _ROMAN_CONFUSIONS.get(t)
    if fixed is None and not (spanning and len(t) <= 3 and not t.isdigit()):
        return None
    expected = _next_roman(previous)
    return fixed if fixed == expected else expected if len(t) <= 3 else None


def _group_numeral(t: str) -> bool:
    """Whether ``t`` is a roman numeral a plan numbers its groups with: numerals with an L (40
    and up) number none -- OCR read an "I" so ("L", "LI")."""
    return is_roman(t) and "L" not in t


def _next_roman(previous: str | None) -> str:
    return _ROMANS[_ROMANS.index(previous) + 1] if previous in _ROMANS[:-1] else "I"


def _group_of(table: Table, grid, r: int, header: _Header, previous: str | None = None) -> tuple[str, str] | None:
    own: list[tuple[int, str]] = []
    seen: set[int] = set()
    for c, i in enumerate(grid[r]):
        if i is None or i in seen:
            continue
        seen.add(i)
        t = _cell_text(table.cells[i])
        if t:
            own.append((c, t))
    if not own:
        return None
    first_c, first = own[0]
    if len(own) == 2 and header.colmap.get(first_c) == "row_no":
        title_idx = grid[r][own[1][0]]
        wide = title_idx is not None and table.cells[title_idx].col_span >= 3
        roman = _roman(first, previous, spanning=wide)
        if roman is not None and (is_roman(first.strip().rstrip(".)")) or wide):
            return roman, own[1][1]
    if len(own) == 1:
        # "II. Cải cách ..." in one cell over the row; OCR may bend the numeral ("IL.", "HIL"),
        # which is then the next one in sequence
        m = _GROUP_TEXT_RE.match(first)
        numeral, mark, title = m.groups() if m else ("", "", "")
        if m and _group_numeral(numeral):
            return _roman(numeral, previous) or numeral, _collapse(title)
        # a bent numeral holds a stroke of one, or a mark after it: "U Minh ..." is a place
        bent = mark or any(ch in "IVXLl|" for ch in numeral)
        if bent and title[:1].isupper() and (roman := _roman(numeral, previous, spanning=True)) is not None:
            return roman, _collapse(title)
    return None


def _starts_lower(text: str) -> bool:
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and first.islower() and not text.lstrip()[:1].isdigit()


def _goes_on(text: str, above: list[str]) -> bool:
    """A cell at the top of a page that reads as the rest of the cell above it (``above``: that
    column's texts in the row before the break): lower case, a dash, under a text left open
    (on a dash, a comma, a link word or half a body's name: "Công chức Tư pháp –" / "Hộ tịch"),
    or a date after a deadline's open lead word ("Trước" / "15/12/2025")."""
    if _starts_lower(text) or text.lstrip()[:1] in _ITEM_MARKS or (above and _open_end(above[-1]) < 0):
        return True
    return bool(above) and waits_for_date(above[-1], text)


def _opens_cell(text: str, above: str) -> bool:
    """A cell at the top of a page that begins a cell of its own rather than going on with the
    merged cell above: the same text again (a table that repeats its Mục tiêu on every row), or
    a capitalised word that is no abbreviation ("Xây dựng ..."; "UBND xã ..." may go on a
    sentence)."""
    if " ".join(text.split()) and " ".join(above.split()).startswith(" ".join(text.split())[:40]):
        return True
    first = text.split()[0] if text.split() else ""
    letters = [ch for ch in first if ch.isalpha()]
    return bool(letters) and letters[0].isupper() and not all(ch.isupper() for ch in letters)


def _ends_closed(text: str) -> bool:
    return text.rstrip()[-1:] in (".", ";", ":", "!", "?")


def _union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _add_part(acc: _Acc, table: Table, grid: list[list[int | None]], start: int, continuation: bool) -> None:
    hdr = acc.header
    cells = table.cells
    page = table.page
    merged_cols = [c for c in _OUTLINE if c in hdr.columns][:-1]  # outline columns above the finest
    text_of: dict[int, _Text] = {}
    first_data = continuation
    for r in range(start, len(grid)):
        if _is_header_repeat(table, grid, r, hdr):
            continue
        texts = _row_texts(table, grid, r, hdr.colmap)
        if not texts:
            continue
        if _is_numbering(texts):
            continue
        grp = _group_of(table, grid, r, hdr, acc.group[0])
        if grp is not None:
            acc.group = grp
            first_data = False
            continue
        own_idx = [i for i in dict.fromkeys(grid[r]) if i is not None and cells[i].row == r]
        prev = acc.rows[-1] if acc.rows else None
        split = False
        if first_data and prev is not None and not texts.get("row_no"):
            own_cols = {hdr.colmap[c] for c, i in enumerate(grid[r]) if i in own_idx and c in hdr.colmap
                        and _cell_text(cells[i])}
            prev_cols = {col for col, ts in prev.cells.items() if any(t.pieces for t in ts)}
            own_texts = [(hdr.colmap.get(cells[i].col), _cell_text(cells[i])) for i in own_idx]
            own_texts = [(col, t) for col, t in own_texts if col is not None and t]
            headed = any(col in _OUTLINE and is_outline_head(t, col) for col, t in own_texts)
            # list items alone ("- Niêm yết công khai ...;") go on a list the break cut
            listed = bool(own_texts) and all(t.lstrip()[:1] in _ITEM_MARKS for _, t in own_texts)
            if listed and not headed:
                split = True
            elif "row_no" in hdr.columns:
                lower = any(_starts_lower(t) for _, t in own_texts)
                open_prev = any(not _ends_closed(t.text) for col in own_cols for t in prev.cells.get(col, []))
                split = not headed and (lower or (own_cols <= prev_cols and len(own_cols) < len(prev_cols)
                                                  and open_prev))
            else:
                # without row numbers, a row the break split goes on in every cell: in lower case
                # ("kê", "thể xã" under "Công chức Văn phòng – Thống", "Các ban, ngành, đoàn"),
                # on a dash ("– Hộ tịch") or with the date a deadline's lead word waits for
                split = not headed and bool(own_texts) and all(
                    _goes_on(t, [p.text for p in prev.cells.get(col, [])]) for col, t in own_texts)
        if split:
            row = prev
        else:
            row = _Row(group=acc.group, cells={}, page=page)
            acc.rows.append(row)
        seen: set[int] = set()
        for c, i in enumerate(grid[r]):
            if i is None or c not in hdr.colmap:
                continue
            col = hdr.colmap[c]
            cell = cells[i]
            if i not in text_of:
                t = _cell_text(cell)
                carried = acc.bottom.get(c) if first_data else None
                if carried is not None and col != "row_no" and (
                    split
                    or (col in merged_cols and (not t or _starts_lower(t) or t.lstrip()[:1] in _ITEM_MARKS or (
                        not _ends_closed(carried.text) and not is_outline_head(t, col)
                        and not _opens_cell(t, carried.text))))
                ):
                    if t:
                        carried.pieces.append(t)
                    text_of[i] = carried
                else:
                    text_of[i] = _Text([t] if t else [])
            txt = text_of[i]
            if i in seen:
                if c > 0 and grid[r][c - 1] == i and hdr.colmap.get(c - 1, col) != col:
                    row.joined.add(col)
                continue
            seen.add(i)
            if cell.row_span > 1:
                row.spanned.add(col)
            lst = row.cells.setdefault(col, [])
            if txt not in lst:
                lst.append(txt)
            if cell.row == r:
                if cell.line_start is not None:
                    row.lines.extend((cell.line_start, cell.line_end))
                if cell.bbox is not None and cell.text.strip() and row.page == page:
                    row.boxes.append(cell.bbox)
                if cell.confidence is not None and cell.text.strip():
                    row.reads.append((col, cell.confidence, len(cell.text.strip())))
        first_data = False
    # What the next part may continue: the cells covering this part's last row.
    acc.bottom = {}
    if grid:
        last = len(grid) - 1
        for c, i in enumerate(grid[last]):
            if i is not None and i in text_of:
                acc.bottom[c] = text_of[i]
    acc.last_page = page


#: share of the named columns two headers must name alike to be the same header
SAME_HEADER_SHARE = 0.5
#: ... and at least this many
SAME_HEADER_MIN = 3


def _same_columns(a: dict[int, str], b: dict[int, str]) -> bool:
    """Two headers name the same columns: no grid column named differently, and at least
    :data:`SAME_HEADER_SHARE` of the named columns (and :data:`SAME_HEADER_MIN`) named alike:
    a repeated header with cells misread by OCR or hidden by a stamp still continues the table."""
    if any(a[c] != b[c] for c in a.keys() & b.keys()):
        return False
    union = a.keys() | b.keys()
    shared = len(a.keys() & b.keys())
    return bool(union) and shared >= min(SAME_HEADER_MIN, len(union)) and shared >= SAME_HEADER_SHARE * len(union)


#: openings of documents and of funds, spaces left out (OCR glues a narrow cell's words)
_PRODUCT_OPEN = _prefix_re([p.replace(" ", "") for p in _PRODUCT_PREFIXES])
_BUDGET_OPEN = _prefix_re([p.replace(" ", "") for p in _BUDGET_PREFIXES if p.strip()])
#: openings of bodies' names glued the same way ("Côngchức Tưpháp"); short words that end in a
#: space in the folded list ("ban ", "tổ ") would open too many glued words and are left out
_OWNER_OPEN = _prefix_re([g for p in _OWNER_PREFIXES if len(g := p.replace(" ", "")) >= 4])

#: share of an unnamed column's body cells that must read as one kind for the column to be named
#: by them
CONTENT_SHARE = 0.6
#: ... out of at least this many cells
CONTENT_MIN_CELLS = 3


def _named_by_content(hdr: _Header, table: Table, grid: list[list[int | None]]) -> _Header:
    """``hdr`` with a column its header leaves unnamed (a header cell under a stamp, or cut
    short: "Đơn vị chủ") named by what its body cells hold, when the table lacks that role:
    responsible bodies ("Công chức Tư pháp – Hộ tịch", "UBND xã") make the lead column, or the
    support column right of a lead one; dates and recurrences ("Quý II/2025", "Hàng năm") the
    deadline column; row numbers and group numerals in the first column ("1", "2", "II") the
    TT column (a bold "TT" OCR read as "ý BI"); documents ("Kế hoạch", "Báo cáo kết quả",
    "Quyết định ...") the product column ("Sản phẩm đầu ra" read as "Sảnphấãm đầura"); funds
    ("Ngân sách xã", "Theo quy định") the budget column."""
    colmap = dict(hdr.colmap)
    for c in range(len(grid[0])):
        if c in colmap:
            continue
        texts = _body_texts(hdr, table, grid, c)
        if len(texts) < CONTENT_MIN_CELLS:
            continue
        folded = [_fold(t) for t in texts]
        glued = [f.replace(" ", "") for f in folded]  # OCR glues a narrow cell's words ("Kếhoạch")
        named = set(colmap.values())
        lead_at = [k for k, v in colmap.items() if v == "lead"]
        if sum(bool(_OWNER_RE.match(f) or _OWNER_OPEN.match(g)) for f, g in zip(folded, glued)) \
                >= CONTENT_SHARE * len(texts):
            if "lead" not in named:
                colmap[c] = "lead"
            elif "support" not in named and lead_at and lead_at[0] < c:
                colmap[c] = "support"
        elif "deadline" not in named and sum(bool(_DATE_RE.match(f)) for f in folded) >= CONTENT_SHARE * len(texts):
            colmap[c] = "deadline"
        elif c == 0 and "row_no" not in named and sum(
                _row_number(t) is not None or is_roman(t.rstrip(".")) for t in texts) >= CONTENT_SHARE * len(texts):
            colmap[c] = "row_no"
        elif "product" not in named and sum(bool(_PRODUCT_OPEN.match(g)) for g in glued) >= CONTENT_SHARE * len(texts):
            colmap[c] = "product"
        elif "budget" not in named and sum(bool(_BUDGET_OPEN.match(g)) for g in glued) >= CONTENT_SHARE * len(texts):
            colmap[c] = "budget"
        elif (role := _text_role(colmap, c, texts)) is not None:
            colmap[c] = role
    return _renamed(hdr, colmap)


#: mean words per cell from which an unnamed column holds sentences (Mục tiêu, Nhiệm vụ, Hoạt động)
TEXT_CELL_WORDS = 4
#: columns that stand right of the outline columns in every plan
_AFTER_OUTLINE = frozenset({"product", "lead", "support", "monitor", "deadline", "budget", "note"})


def _text_role(colmap: dict[int, str], c: int, texts: list[str]) -> str | None:
    """The outline column an unnamed column of sentences is by where it stands, plans printing
    Mục tiêu | Nhiệm vụ | Hoạt động in that order left of the typed columns: right before the
    task column it is the objective, between the task column and a typed one the activity,
    between the TT column (or the table's edge) and the activity or a typed column the task."""
    if sum(len(t.split()) for t in texts) < TEXT_CELL_WORDS * len(texts):
        return None
    named = set(colmap.values())
    left = colmap.get(max((k for k in colmap if k < c), default=None))
    right = colmap.get(min((k for k in colmap if k > c), default=None))
    if right == "task" and "objective" not in named and left in (None, "row_no"):
        return "objective"
    if left == "task" and right in _AFTER_OUTLINE and "activity" not in named:
        return "activity"
    if left in (None, "row_no", "objective") and (right in _AFTER_OUTLINE or right == "activity") \
            and "task" not in named:
        return "task"
    return None


def _unnamed(hdr: _Header, table: Table, grid: list[list[int | None]]) -> tuple[str, ...]:
    """Header texts of the grid columns ``hdr`` names no role for whose body cells hold text
    (cells of their own, not spans over several columns): what they hold is in no row."""
    out = []
    for c in range(len(grid[0]) if grid else 0):
        if c not in hdr.colmap and _body_texts(hdr, table, grid, c):
            head = " ".join(_column_texts(table, grid, c, range(hdr.rows)))
            out.append(head or f"column {c + 1}")
    return tuple(out)


def _column_texts(table: Table, grid: list[list[int | None]], c: int, rows: range) -> list[str]:
    """The texts of grid column ``c``'s own cells (not spans over several columns) in ``rows``,
    each once, whitespace collapsed."""
    cells = table.cells
    return [t for i in dict.fromkeys(grid[r][c] for r in rows)
            if i is not None and cells[i].col_span == 1 and (t := _collapse(cells[i].text))]


def _body_texts(hdr: _Header, table: Table, grid: list[list[int | None]], c: int) -> list[str]:
    """The texts of grid column ``c``'s own cells below the header."""
    return _column_texts(table, grid, c, range(hdr.rows, len(grid)))


def _sequence_numbers(numbers: list[str | None], read: list[str]) -> list[str | None]:
    """Row numbers OCR could not read (``read`` holds ink, ``numbers`` is None) between two
    read ones that leave exactly one number out ("10", "H1", "12") take that number; a first
    row before "2" takes "1".  A row with nothing in its TT cell stays unnumbered: plans leave
    some rows without a number."""
    out = list(numbers)
    for i, (n, text) in enumerate(zip(numbers, read)):
        if n is not None or not text.strip():
            continue
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        prev = numbers[i - 1] if i > 0 else "0"
        if prev is not None and nxt is not None and int(nxt) == int(prev) + 2:
            out[i] = str(int(prev) + 1)
    return out


def _reading(reads: list[tuple[str, float, int]]) -> dict[str, float] | None:
    """Column -> OCR word confidence of a row's own OCR'd cells (a cell over several grid cells:
    their mean weighted by characters); None when OCR read none of them."""
    if not reads:
        return None
    acc: dict[str, list[float]] = {}
    for col, conf, n in reads:
        a = acc.setdefault(col, [0.0, 0.0])
        a[0] += conf * n
        a[1] += n
    return {col: round(s / n, 4) for col, (s, n) in acc.items()}


def _finish(acc: _Acc) -> AppendixTable | None:
    cols = acc.header.columns
    kept: list[tuple[_Row, dict[str, str]]] = []
    for r in acc.rows:
        texts = {c: " ".join(t.text for t in r.cells.get(c, []) if t.text) for c in cols}
        if any(texts.values()) and r.lines:
            kept.append((r, texts))
    if not kept:
        return None
    read = [texts.get("row_no", "") for _, texts in kept]
    numbers = _sequence_numbers([_row_number(t) for t in read], read)
    out: list[AppendixRow] = []
    for (r, texts), row_no in zip(kept, numbers):
        if row_no is not None and "row_no" in texts:
            texts["row_no"] = row_no if texts["row_no"].strip().rstrip(".)") != row_no else texts["row_no"]
        out.append(AppendixRow(
            group_no=r.group[0], group_title=r.group[1], row_no=row_no, cells=texts,
            line_start=min(r.lines), line_end=max(r.lines), page=r.page, bbox=_union(r.boxes),
            reading=_reading(r.reads), joined=tuple(c for c in cols if c in r.joined),
            spanned=tuple(c for c in cols if c in r.spanned)))
    return AppendixTable(columns=cols, header_line=acc.header.line, rows=tuple(out), method="grid",
                         unnamed=acc.unnamed)


def _follows(last_page: int | None, ncols: int, table: Table, grid: list[list[int | None]]) -> bool:
    """``table`` may continue a table of ``ncols`` columns last seen on ``last_page``: on that
    page or the next, with as many columns."""
    return (last_page is not None and table.page is not None and 0 <= table.page - last_page <= 1
            and len(grid[0]) == ncols)


def _flush(acc: _Acc | None, tables: list[AppendixTable]) -> None:
    """The table gathered in ``acc`` (if any rows) appended to ``tables``."""
    t = _finish(acc) if acc is not None else None
    if t is not None:
        tables.append(t)


def _named_alike(hdr: _Header, parts: list[tuple[Table, list[list[int | None]], _Header | None]]) -> _Header:
    """``hdr`` with the names its table's repeated headers (``parts``: the tables after it, as
    long as they continue it) give to columns it leaves unnamed: a stamp over one header cell
    must not cost the column on every page."""
    colmap = dict(hdr.colmap)
    last = parts[0][0].page if parts else None
    ncols = len(parts[0][1][0]) if parts else 0
    for table, grid, other in parts[1:]:
        if not _follows(last, ncols, table, grid):
            break
        last = table.page
        if other is None:
            continue
        if not _same_columns(colmap, other.colmap):
            break
        for c, col in other.colmap.items():
            if c not in colmap and col not in colmap.values():
                colmap[c] = col
    return _renamed(hdr, colmap)


def appendix_from_tables(doc: Document) -> list[AppendixTable]:
    """Appendix tables read from the document's tables, in document order; ``[]`` when no
    table carries a recognisable appendix header."""
    tables: list[AppendixTable] = []
    acc: _Acc | None = None
    parts: list[tuple[Table, list[list[int | None]], _Header | None]] = []
    for page in doc.pages:
        for table in page.tables:
            if table.page is None:
                table = Table(cells=table.cells, page=page.number, bbox=table.bbox, header_rows=table.header_rows)
            grid = table_grid(table)
            if grid:
                parts.append((table, grid, _find_header(table, grid)))
    for k, (table, grid, hdr) in enumerate(parts):
        follows = acc is not None and _follows(acc.last_page, acc.ncols, table, grid)
        if hdr is not None:
            if follows and _same_columns(acc.header.colmap, hdr.colmap):
                _add_part(acc, table, grid, hdr.rows, continuation=True)
                continue
            _flush(acc, tables)
            named = _named_by_content(_named_alike(hdr, parts[k:]), table, grid)
            acc = _Acc(header=named, ncols=len(grid[0]), unnamed=_unnamed(named, table, grid))
            _add_part(acc, table, grid, hdr.rows, continuation=False)
        elif follows:
            _add_part(acc, table, grid, 0, continuation=True)
        elif (whole := _completed(table, grid, parts[k:])) is not None:
            # a first page whose header a seal garbled ("Tên nhiệm vụ" under the ink): the
            # header repeated on the next pages names the columns it left unnamed
            _flush(acc, tables)
            named = _named_by_content(whole, table, grid)
            acc = _Acc(header=named, ncols=len(grid[0]), unnamed=_unnamed(named, table, grid))
            _add_part(acc, table, grid, whole.rows, continuation=False)
        else:
            _flush(acc, tables)
            acc = None
    _flush(acc, tables)
    return tables


def _completed(table: Table, grid: list[list[int | None]],
               parts: list[tuple[Table, list[list[int | None]], _Header | None]]) -> _Header | None:
    """The header of an OCR'd table that names too few columns to be an appendix's (a seal or a
    signature over its cells, one of them misnamed from the ink's letters): the header it
    repeats on the next page (``parts``: the tables from this one on), when that one is an
    appendix header over as many columns and names at least two of this one's columns, and
    most of them, alike; else None."""
    if not any(c.confidence is not None for c in table.cells):
        return None
    hdr = _find_header(table, grid, partial=True)
    if hdr is None:
        return None
    for other_table, other_grid, other in parts[1:]:
        if not _follows(table.page, len(grid[0]), other_table, other_grid):
            return None
        if other is None:
            continue
        alike = sum(other.colmap.get(c) == col for c, col in hdr.colmap.items())
        if alike >= 2 and alike * 2 > len(hdr.colmap):
            return _Header(hdr.rows, dict(other.colmap), other.columns, hdr.line)
        return None
    return None
