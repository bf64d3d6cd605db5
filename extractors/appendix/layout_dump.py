"""Tables of text dumps that keep columns by spaces (``pdftotext -layout``, copy-paste from
viewers, fixed-width reports), read by geometry.

A layout dump prints a table row by row, every cell's lines at the cell's character column:

    TT   Mục tiêu             Nhiệm vụ            Cơ quan chủ     Thời gian
                                                  trì             hoàn thành
    1    1.1. Mục tiêu 1:     Rà soát, bổ sung    Công chức Tư    Năm 2021
         Xây dựng, hoàn       các văn bản quy     pháp – Hộ tịch
         thiện hệ thống       phạm pháp luật

The lines become positioned words (the character column is x, the line is y) and the cells
are built the way tables with geometry are, so that :func:`extractors.appendix.grid.appendix_from_tables`
— the row builder of DOCX, PDF and scanned tables — turns them into appendix rows (merged
cells, group rows, repeated page headers and rows split by a page break all handled there).

Method, per page
----------------
1. **Header.** A line with at least three cells (runs of text two or more spaces apart) of
   which most name appendix columns ("TT", "Mục tiêu", "Cơ quan chủ trì" ...), followed by the
   header's wrapped lines ("trì", "hoàn thành"); or lines of header cells only that read so
   printed over one another (a centred header: "Cơ quan, đơn vị thực" above "STT   Nhiệm vụ").
   A page without a header continues the table of the page before it (same columns) when its
   lines fall into that table's columns.
2. **Columns** are the character ranges that the table's lines cover, between gutters: the
   x positions that no line (up to :data:`GUTTER_NOISE` of them) covers.  Header cells are
   placed into them by their centre; a gutter range no header names is folded into its nearer
   neighbour (a gap inside a narrow column), a range where one header line has two cells two
   or more spaces apart is split between them (a gutter one cell bridged).
3. **End of the table**: the first line after it that crosses gutters without being a group
   row ("II   Cải cách thủ tục hành chính"), or "Nơi nhận", or the page's end.
4. **Rows.** A new row opens on a line whose TT cell holds a row number or a roman numeral, or
   where the cells of most columns with text begin (blank above, or upper-case after a
   closed sentence; a number under an open line goes on its cell): cells are top-aligned.  In
   the outline columns above the finest one (Mục tiêu above Nhiệm vụ above Hoạt động) a row
   with no text, a lower-case continuation of an open sentence, or a few words the cell's
   last line could not take, continues the cell above: the cell spans the rows, as a merged
   cell of the DOCX does.  Tables whose cells are centred vertically are parted around their
   row numbers instead (:func:`_centred_opens`).

Pure: lines in, :class:`~pipeline.model.Table` objects out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache, reduce

from extractors.appendix.cues import _BODY_ROLES, ends_open, waits_for_date
from extractors.appendix.text import _fold, _opens_item
from extractors.appendix.vocab import (
    _DATE_RE,
    _OWNER_RE,
    _VERB_RE,
    TWO_LEVEL_COLUMNS,
    header_cell_column,
    is_outline_head,
    is_roman,
    is_valid_header,
    join_cell_text,
)
from extractors.column_roles import HEADER_VOCAB as _HEADER_VOCAB
from normalizers.owners import extends_name, name_rest, opens_name
from normalizers.text import is_acronym
from pipeline.model import Cell, Table

__all__ = ["LayoutReading", "build_table", "layout_tables"]

#: share of a table's lines that may cover a gutter (a stray character, a wide group title)
GUTTER_NOISE = 0.02
#: a layout line holds cells at least this many spaces apart
MIN_GAP = 2

_SEG_RE = re.compile(r"\S+(?: \S+)*")
_WORD_RE = re.compile(r"\S+")
_NUM_RE = re.compile(r"^\d{1,3}[.)]?$")
_ROMAN_HEAD_RE = re.compile(r"^([IVXL]{1,6})[.)]?$")
# The closing block below a table: "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "CHỦ TỊCH"
# in capitals ("Chủ tịch UBND xã." inside a cell goes on the cell).
_END_RE = re.compile(r"^\s*(?:(?i:nơi nhận|noi nhan)\s*:|(?:TM|T/M|KT)\.\s*\S|(?:CHỦ TỊCH|CHU TICH)\s*$)")
_PAGE_NO_RE = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*-)?\s*$", re.I)
# A sentence that ends a cell's line; a colon introduces what follows ("1.2. Mục tiêu 2:").
_CLOSED_RE = re.compile(r"[.;!?]$")
#: columns whose short cells every row fills on its first line
_META = frozenset(("product", "lead", "support", "deadline", "budget", "note"))
#: the typed phrases a responsible body's or a deadline's cell opens with
_TYPED_OPEN = {"lead": _OWNER_RE, "support": _OWNER_RE, "deadline": _DATE_RE}
_OUTLINE = ("objective", "task", "activity")


@dataclass(frozen=True, slots=True)
class _Word:
    x0: int
    x1: int  # exclusive
    text: str


@lru_cache(maxsize=8192)
def _segments(text: str) -> tuple[_Word, ...]:
    """Runs of text separated by two or more spaces (single spaces join words of one cell)."""
    return tuple(_Word(m.start(), m.end(), m.group()) for m in _SEG_RE.finditer(text.expandtabs(8)))


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[_Word, ...]:
    return tuple(_Word(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text.expandtabs(8)))


@lru_cache(maxsize=4096)
def _header_role(text: str) -> str | None:
    return header_cell_column(text)


#: a header cell is a few words ("Cơ quan, đơn vị chủ trì thực hiện"); longer runs are text
MAX_HEADER_WORDS = 7
_GAP_RE = re.compile(r"\S {2,}(?=\S)")


def _vocab_only(text: str) -> bool:
    """Whether ``text`` is made of header words only ("Cơ quan chủ", "trì    hợp    hoàn thành")."""
    words = [w.strip(".,:;()") for w in _fold(text).split()]
    return bool(words) and all(w in _HEADER_VOCAB for w in words)


#: a cell opening with an outline number ("1.2. Mục tiêu 2:", "3.7: Hoạt động 7") is a row's text
_NUMBERED_RE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*[.:)]\s")


def _names_column(text: str) -> bool:
    """Whether one run of a line reads as a header cell: it names a column, or is made of
    header words only (a wrapped part: "Cơ quan chủ")."""
    if len(text.split()) > MAX_HEADER_WORDS or _NUMBERED_RE.match(text):
        return False
    return _vocab_only(text) or _header_role(text) is not None


def _is_header_start(text: str) -> bool:
    """A header line: at least three runs two or more spaces apart, three and 60 % of them
    header cells, naming two columns at least.  Cheap tests first: most lines of a dump
    have fewer runs."""
    if "\t" in text or len(_GAP_RE.findall(text)) < 2:
        return False  # a tab-separated dump's cells are not placed by spaces
    segs = _segments(text)
    need = max(3, 0.6 * len(segs))
    named = 0
    for k, s in enumerate(segs):
        named += _names_column(s.text)
        if named >= need:
            break
        if named + len(segs) - k - 1 < need:
            return False
    else:
        return False
    # Header words alone are common in a table's wrapped lines ("hiệu quả   hạn   hiện"): the
    # first header line names two columns at least.
    roles = {_header_role(s.text) for s in _header_cells(text)} - {None}
    return len(roles) >= 2


#: lines of a header band whose one-line cells and wrapped cells' lines share no printed line
BAND_LINES = 3


def _overlay(a: str, b: str) -> str | None:
    """Two lines printed as one (each character from the line that has ink there); None when
    they have ink in the same place or a run of one would touch a run of the other."""
    a, b = a.expandtabs(8), b.expandtabs(8)
    width = max(len(a), len(b))
    a, b = a.ljust(width), b.ljust(width)
    out = []
    for x, y in zip(a, b):
        if x != " " and y != " ":
            return None
        out.append(x if x != " " else y)
    text = "".join(out)
    return text if len(_segments(text)) == len(_segments(a)) + len(_segments(b)) else None


def _under_header(text: str, above: Sequence[str], below: Sequence[str] = ()) -> bool:
    """Whether each run of a line names a column, or stands under a run of the header lines
    ``above`` (a wrapped header cell's rest is printed under its first words) and goes on it
    ("Thời gian" / "hoàn" / "thành", with the header-word lines ``below`` it): a header word
    alone elsewhere is the rest of a body cell a page break cut ("... thủ tục hành chính đúng"
    / "hạn"), and so are header words under a cell that names its column whole and would name
    none with them ("Hoạt động" / "việc thực hiện theo")."""
    tops = [seg for line in above for seg in _segments(line)]
    rest = list(itertools.takewhile(_vocab_only, below))
    for seg in _segments(text):
        if _header_role(seg.text) is not None:
            continue
        over = " ".join(t.text for t in tops if t.x0 < seg.x1 and seg.x0 < t.x1)
        if not over:
            return False
        more = " ".join(t.text for line in rest for t in _segments(line) if t.x0 < seg.x1 and seg.x0 < t.x1)
        if _header_role(over) is not None and _header_role(f"{over} {seg.text}") is None and (
                not more or _header_role(f"{over} {seg.text} {more}") is None) and _sub_cells(seg, rest) is None:
            return False  # under a cell that names its column whole: a body line's words
    return True


def _sub_cells(seg: _Word, rest: Sequence[str]) -> tuple[_Word, _Word] | None:
    """A run parted into two header cells printed a single space apart, each naming a
    different column with the header words under it ("Đơn vị chủ Đơn vị phối hợp" / "trì":
    the lower cells of a two-level header under "Đơn vị thực hiện"); None when it does not
    part so."""
    words = _words(seg.text)
    lower = [w for line in rest for w in _words(line) if seg.x0 <= w.x0 < seg.x1 + MIN_GAP]
    for k in range(1, len(words)):
        cut = seg.x0 + words[k].x0
        left = [w.text for w in words[:k]] + [w.text for w in lower if w.x0 < cut]
        right = [w.text for w in words[k:]] + [w.text for w in lower if w.x0 >= cut]
        a, b = _header_role(" ".join(left)), _header_role(" ".join(right))
        if a is not None and b is not None and a != b:
            return (_Word(seg.x0, seg.x0 + words[k - 1].x1, seg.text[:words[k - 1].x1]),
                    _Word(cut, seg.x1, seg.text[words[k].x0:]))
    return None


def _header_cells_only(text: str) -> bool:
    """Whether a line is made of header words only, each run a header cell."""
    words = text.split()
    if not words or len(words) > 2 * MAX_HEADER_WORDS or _fold(words[0]).strip(".,:;()") not in _HEADER_VOCAB:
        return False  # most lines: cheap tests first
    return _vocab_only(text) and all(_names_column(s.text) for s in _segments(text))


def _band_end(lines: Sequence[str], j: int, end: int) -> int | None:
    """Where a header printed over several lines, no one of which reads as a header line,
    that starts at line ``j`` reads as one (the index after its last line needed), else None:
    a centred header prints its wrapped cells' first lines above the line of its one-line cells
    and their rest below ("Cơ quan, đơn vị thực   Thời gian" / "STT   Nhiệm vụ" / "hiện   thực
    hiện").  Lines of header cells only, printed over one another, read as a header line
    together."""
    if not _header_cells_only(lines[j]):
        return None
    band = lines[j]
    for k in range(j + 1, min(end, j + BAND_LINES)):
        if not _header_cells_only(lines[k]):
            return None
        band = _overlay(band, lines[k])
        if band is None:
            return None
        if _is_header_start(band):
            return k + 1
    return None


def _header_end(lines: Sequence[str], j: int, end: int) -> int | None:
    """The index after the lines a header starting at line ``j`` needs to read as one (a header
    line, or a band of header cells: :func:`_band_end`), None when no header starts there."""
    return j + 1 if _is_header_start(lines[j]) else _band_end(lines, j, end)


@dataclass(slots=True)
class _Column:
    x0: int
    x1: int  # exclusive
    header: list[tuple[int, int, str]] = field(default_factory=list)  # (line number, x, word)
    #: words of the top cell of a two-level header over this column and its neighbours
    #: ("Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"), read only where the column's own
    #: words name no column
    over: list[tuple[int, int, str]] = field(default_factory=list)


def _coverage(texts: Sequence[str]) -> list[int]:
    width = max((len(t.expandtabs(8)) for t in texts), default=0)
    cov = [0] * width
    for t in texts:
        for w in _words(t):
            for x in range(w.x0, w.x1):
                cov[x] += 1
    return cov


def _ranges(cov: list[int], noise: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = None
    for x, c in enumerate(cov + [0]):
        if c > noise and start is None:
            start = x
        elif c <= noise and start is not None:
            out.append((start, x))
            start = None
    return out


def _is_group_line(text: str) -> bool:
    segs = _segments(text)
    if not segs:
        return False
    first = segs[0].text.split()[0]
    return bool(_ROMAN_HEAD_RE.match(first)) and is_roman(first.rstrip(".)")) and len(segs) <= 3


def _edges(lines: Sequence[str]) -> tuple[list[int], list[int]]:
    """Per x: how many lines start a word there, and how many run a word across it."""
    width = max((len(t.expandtabs(8)) for t in lines), default=0) + 1
    starts, crossings = [0] * width, [0] * width
    for t in lines:
        for w in _words(t):
            starts[w.x0] += 1
            for x in range(w.x0 + 1, w.x1):
                crossings[x] += 1
    return starts, crossings


#: characters right of a cut between a two-level header's lower cells whose word starts count
#: for it
CUT_JITTER = 1


def _best_cut(a: _Word, b: _Word, starts: list[int], crossings: list[int], jitter: int = 0) -> int:
    """Where the column of header cell ``a`` ends and that of ``b`` begins: between the end of
    ``a`` and the start of ``b`` (a header cell lies inside its column), the x where most
    body lines start a word and fewest run one across (cells are left-aligned; columns
    printed a single space apart leave no gutter).  ``jitter``: the starts up to this many
    characters right of a place count for it too (the text tool rounds a column's start
    either way on some lines) -- between the short lower cells of a two-level header, which
    bound their columns loosely."""
    def score(x: int) -> int:
        if x >= len(starts):
            return -1
        return starts[x] + sum(starts[x + 1:x + 1 + jitter]) - 2 * crossings[x]

    return max(range(a.x1, b.x0 + 2), key=lambda x: (score(x), -x), default=(a.x1 + b.x0) // 2)


def _col_index(cols: list[_Column], x0: int) -> int:
    """The column a word starting at ``x0`` belongs to (one character of slack to the left:
    the text tool rounds positions to characters)."""
    return max(0, next((i for i, c in enumerate(cols) if x0 + 1 < c.x0), len(cols)) - 1)


def _role(col: _Column) -> str | None:
    return _header_role(" ".join(t for _, _, t in _header_words(col)))


def _header_words(col: _Column) -> list[tuple[int, int, str]]:
    """The column's header words; a two-level header's top cell's words before them where its
    own name no column."""
    own = sorted(col.header)
    if not col.over or _header_role(" ".join(t for _, _, t in own)) is not None:
        return own
    return sorted(col.over) + own


def _merge(a: _Column, b: _Column) -> _Column:
    return _Column(min(a.x0, b.x0), max(a.x1, b.x1), a.header + b.header, a.over + b.over)




def _top_cells(numbers: Sequence[int], segs_of: Sequence[Sequence[_Word]]) -> dict[tuple[int, int], list[_Word]]:
    """The top cells of a two-level header, by (header line, cell start): for each, the cells
    of the columns under it (one box per column, its lines joined).

    A top cell ("Trách nhiệm thực hiện", "Phân công thực hiện") has, on the header lines below
    it and between the cells beside it on its own line, the cells of two or more columns that
    name different columns of one kind ("Đơn vị chủ trì" | "Cơ quan phối hợp", each perhaps
    wrapped), one of them at least under it; it names no column of another kind itself.  It
    is no cell of any one column: it may stand over the gap between them, and its first
    column's cell may stand left of it."""
    out: dict[tuple[int, int], list[_Word]] = {}
    for k, (number, line) in enumerate(zip(numbers, segs_of)):
        for i, top in enumerate(line):
            if _header_role(top.text) not in (None, *TWO_LEVEL_COLUMNS):
                continue
            lo = line[i - 1].x1 if i else -1
            hi = line[i + 1].x0 if i + 1 < len(line) else 10 ** 6
            boxes: list[list] = []  # [x0, x1, [texts]] per column under it, left to right
            for lower in segs_of[k + 1:]:
                for c in lower:
                    if not lo < (c.x0 + c.x1) / 2 < hi:
                        continue
                    box = next((b for b in boxes if b[0] < c.x1 and c.x0 < b[1]), None)
                    if box is None:
                        boxes.append([c.x0, c.x1, [c.text]])
                    else:
                        box[0], box[1] = min(box[0], c.x0), max(box[1], c.x1)
                        box[2].append(c.text)
            boxes.sort()
            roles = [_header_role(" ".join(b[2])) for b in boxes]
            under = [j for j, b in enumerate(boxes) if b[0] < top.x1 + MIN_GAP and top.x0 - MIN_GAP < b[1]]
            if not under or any(roles[j] not in TWO_LEVEL_COLUMNS for j in under):
                continue
            a, b = under[0], under[-1]  # and the columns of the kind beside them
            while a > 0 and roles[a - 1] in TWO_LEVEL_COLUMNS:
                a -= 1
            while b + 1 < len(boxes) and roles[b + 1] in TWO_LEVEL_COLUMNS:
                b += 1
            if b > a and len(set(roles[a:b + 1])) == b - a + 1:
                out[(number, top.x0)] = [_Word(x0, x1, " ".join(t)) for x0, x1, t in boxes[a:b + 1]]
    return out


def _header_cells(text: str) -> list[_Word]:
    """The cells of a header line: runs two or more spaces apart, and a run that names no
    column parted where both sides name one ("Cơ quan phối hợp Tiến độ", printed one space
    apart)."""
    out: list[_Word] = []
    for seg in _segments(text):
        words = _words(text[seg.x0:seg.x1])
        if len(words) < 2 or _header_role(seg.text) is not None:
            out.append(seg)
            continue
        options = []
        for k in range(1, len(words)):
            left = " ".join(w.text for w in words[:k])
            right = " ".join(w.text for w in words[k:])
            a, b = _header_role(left), _header_role(right)
            if a is not None and b is not None and a != b:
                options.append((2, k, left, right))
            elif a == "row_no" and k == 1 and _vocab_only(right):
                options.append((1, k, left, right))  # "STT Nội dung nhiệm" (wrapped: "vụ")
        if not options:
            out.append(seg)
            continue
        _, k, left, right = max(options, key=lambda o: o[0])
        out.append(_Word(seg.x0, seg.x0 + words[k - 1].x1, left))
        out.append(_Word(seg.x0 + words[k].x0, seg.x1, right))
    return out


def _blanked(text: str, cells: Sequence[_Word]) -> str:
    """``text`` (tabs expanded) with ``cells`` blanked out."""
    text = text.expandtabs(8)
    for c in cells:
        text = text[:c.x0] + " " * (c.x1 - c.x0) + text[c.x1:]
    return text


def _parted(segs: list[_Word], below: Sequence[str]) -> list[_Word]:
    """A header line's cells, a run naming no column parted where it holds two cells printed a
    single space apart (:func:`_sub_cells`)."""
    out: list[_Word] = []
    for seg in segs:
        two = _sub_cells(seg, below) if _header_role(seg.text) is None else None
        out.extend(two or (seg,))
    return out


def _part(run: list[_Column]) -> list[_Column]:
    """Contiguous groups of ``run`` that each name a column, as many as can be; the run as one
    column when no such parting exists."""
    if len(run) == 1:
        return run
    n = len(run)
    best: list[tuple[int, list[_Column]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for end in range(1, n + 1):
        for begin in range(end):
            if best[begin] is None:
                continue
            group = reduce(_merge, run[begin:end])
            if _role(group) is None:
                continue
            cand = (best[begin][0] + 1, best[begin][1] + [group])
            if best[end] is None or cand[0] > best[end][0]:
                best[end] = cand
    return best[n][1] if best[n] is not None else [reduce(_merge, run)]


def _columns(body: Sequence[str], header: Sequence[tuple[int, str]]) -> list[_Column] | None:
    """Columns of a table from its body lines' gutters, named by the header lines
    (``(line number, text)``)."""
    lines = [t for t in body if t.strip() and not _is_group_line(t)]
    if len(lines) < 2:
        return None
    noise = int(GUTTER_NOISE * len(lines))
    segs_of = [_parted(_header_cells(h), [t for _, t in header[k + 1:]]) for k, (_, h) in enumerate(header)]
    numbers = [n for n, _ in header]
    # A two-level header's top cell is no column's cell ("Trách nhiệm thực hiện" over "Đơn vị
    # chủ trì" | "Đơn vị phối hợp"): the columns under it are read from their own cells.
    tops = _top_cells(numbers, segs_of)
    # The header lines count too: a column the page's rows leave empty (Mục tiêu merged from
    # the page before) is still a column; not a top cell, which stands over the gap between
    # its columns.
    shown = [_blanked(h, [c for c in cells if (n, c.x0) in tops]) for (n, h), cells in zip(header, segs_of)]
    cols = [_Column(a, b) for a, b in _ranges(_coverage(lines + shown), noise)]
    # A header cell over a column the page's rows leave empty is a column all the same (on a
    # long page the noise allowance would drop the few lines of the header alone).
    for _, h in header:
        for seg in _header_cells(h):
            if not any(c.x0 < seg.x1 and seg.x0 < c.x1 for c in cols):
                cols = sorted(cols + [_Column(seg.x0, seg.x1)], key=lambda c: c.x0)
    if not cols:
        return None
    # Split a column where one header line has two cells two or more spaces apart (columns
    # printed a single space apart leave no gutter).
    starts, crossings = _edges(lines)
    # A centred header prints its one-line cells and its wrapped cells' first lines on lines
    # of their own: two such lines printed over one another part the columns as one line would.
    segs_of += [_header_cells(o) for a, b in zip(shown, shown[1:]) if (o := _overlay(a, b))]
    # A top cell's columns are parted where their own cells part (each a box of its lines);
    # lower cells printed a single space apart ("Đơn vị chủ Đơn vị phối hợp" / "trì") are two
    # columns.
    numbers += [None] * (len(segs_of) - len(header))
    flat = [[u for s in segs for u in tops.get((n, s.x0), [s])] for n, segs in zip(numbers, segs_of)]
    lower = {u for under in tops.values() for u in under}
    # A header cell lies inside its column: a gap the body's lines leave inside a header
    # cell's width is no column boundary (the cells below are parted again just after).
    for number, segs in zip(numbers, segs_of):
        for s in segs:
            hit = [k for k, c in enumerate(cols) if c.x0 < s.x1 and s.x0 < c.x1]
            if len(hit) < 2 or (number, s.x0) in tops:
                continue
            cols[hit[0]:hit[-1] + 1] = [_Column(cols[hit[0]].x0, cols[hit[-1]].x1)]
    for segs in flat:
        split: list[_Column] = []
        for col in cols:
            inside = [s for s in segs if col.x0 <= (s.x0 + s.x1) / 2 < col.x1]
            lo = col.x0
            for a, b in zip(inside, inside[1:]):
                cut = _best_cut(a, b, starts, crossings, CUT_JITTER if a in lower and b in lower else 0)
                split.append(_Column(lo, cut))
                lo = cut
            split.append(_Column(lo, col.x1))
        cols = split
    for (number, h), cells in zip(header, segs_of):
        for cell in cells:
            words = [(number, cell.x0 + w.x0, w.text) for w in _words(h.expandtabs(8)[cell.x0:cell.x1])]
            if (number, cell.x0) in tops:
                under = [_col_index(cols, (b.x0 + b.x1) // 2) for b in tops[(number, cell.x0)]]
                for k in range(min(under), max(under) + 1):
                    cols[k].over.extend(words)
                continue
            # a header cell centred over its column may start in the gutter before it: its
            # words there go with the column under the cell's middle
            middle = _col_index(cols, (cell.x0 + cell.x1) // 2)
            for word in words:
                x0 = word[1]
                k = _col_index(cols, x0)
                if not any(c.x0 <= x0 + 1 and x0 < c.x1 for c in cols):
                    k = middle
                cols[k].header.append(word)
    # Ranges without header words fold into the nearer neighbour (a gap the body's lines left
    # by chance inside a column).
    while len(cols) > 1 and any(not c.header for c in cols):
        k = next(i for i, c in enumerate(cols) if not c.header)
        j = k + 1 if k == 0 else k - 1 if k == len(cols) - 1 else (
            k - 1 if cols[k].x0 - cols[k - 1].x1 <= cols[k + 1].x0 - cols[k].x1 else k + 1)
        cols[min(j, k):max(j, k) + 1] = [_merge(cols[min(j, k)], cols[max(j, k)])]
    # Ranges one header cell runs across ("Cơ quan" | "chủ trì") are parted into the most
    # columns that each name one; a header of its own naming no known column ("Theo dõi,
    # kiểm tra, đôn đốc") stays apart.
    # (a two-level header's top cell does not)
    linked = [any(s.x0 < a.x1 and b.x0 < s.x1 for segs in flat for s in segs) for a, b in zip(cols, cols[1:])]
    out: list[_Column] = []
    k = 0
    while k < len(cols):
        j = k
        while j < len(linked) and linked[j]:
            j += 1
        out.extend(_part(cols[k:j + 1]))
        k = j + 1
    cols = out
    return cols if len(cols) >= 3 else None


#: how far a page without header may sit left or right of the page before (characters)
MAX_PAGE_SHIFT = 20
#: and how far each of its columns may then sit from where the shift puts it
SNAP = 7
#: how much wider or narrower such a page may be laid out
SCALES = tuple(round(0.8 + 0.02 * k, 2) for k in range(23))


def _shifted(cols: list[_Column], body: Sequence[str]) -> list[_Column]:
    """The columns of the last page with a header, moved to where this page's lines start their
    cells: the text tool lays each page out anew, so a page without a header of its own may sit
    left or right and be spaced wider or narrower (x' = a·x + b)."""
    inked = [t for t in body if t.strip()]
    _, crossings = _edges(inked)
    starts = [0] * len(crossings)
    for t in inked:
        for seg in _segments(t):  # runs start cells; words inside a run do not
            starts[seg.x0] += 1
    total = sum(starts)
    if not total:
        return cols
    window = [sum(starts[max(0, y - 1):y + 2]) for y in range(len(starts))]

    def score(a: float, b: int) -> int:
        # Every run start of the page should sit at some column's start: those that do count
        # for the placement, those that do not against it; no column may start inside a word.
        got = -total
        for c in cols:
            e = round(a * c.x0) + b
            if 0 <= e < len(starts):
                got += 2 * window[e] - 2 * crossings[e]
        return got

    def snapped(a: float, b: int) -> list[_Column]:
        # Each column to the start its cells share nearby, when its place has no support: the
        # tool rounds every column of a page anew.
        out: list[_Column] = []
        placed = [max(0, round(a * c.x0) + b) for c in cols]
        for i, c in enumerate(cols):
            x = placed[i]
            lo = out[-1].x0 + 2 if out else 0
            held = window[x] >= 2 and not crossings[x] if x < len(starts) else False
            near = [y for y in range(max(lo, x - SNAP), x + SNAP + 1)
                    if y < len(starts) and starts[y] >= 2 and 4 * crossings[y] < starts[y]]
            if near:
                y = max(near, key=lambda y: (starts[y], -abs(y - x)))
                # A column that has cells starting at its place moves only to a place where
                # far more start, and that no other column is placed closer to.
                mine = all(abs(y - x) < abs(y - z) for k, z in enumerate(placed) if k != i)
                if not held or (starts[y] >= 2 * starts[x] and mine):
                    x = y
            x = max(x, lo)
            out.append(_Column(x, max(x + 1, round(a * c.x1) + b), c.header, c.over))
        return out

    def support(placed: list[_Column]) -> int:
        return sum(2 * window[c.x0] - 2 * crossings[c.x0] for c in placed if c.x0 < len(starts))

    best = max((score(a, b), -abs(a - 1.0), -abs(b), a, b)
               for a in SCALES for b in range(-MAX_PAGE_SHIFT, MAX_PAGE_SHIFT + 1))
    # The page where the page with the header was, each column snapped, unless moving and
    # spacing the whole page puts clearly more cell starts at columns.
    same = snapped(1.0, 0)
    if score(1.0, 0) >= 0.8 * best[0]:
        return same
    moved = snapped(best[3], best[4])
    return moved if support(moved) > 1.1 * support(same) else same


def _roles(cols: list[_Column]) -> list[str | None] | None:
    roles = [_role(c) for c in cols]
    named = [r for r in roles if r is not None]
    if len(set(named)) != len(named) or not is_valid_header(named):
        return None
    return roles


def _aligned(text: str, cols: list[_Column]) -> tuple[int, int]:
    """(fragments of the line that start at their column's left edge, give or take two
    characters; fragments): cells are left-aligned, so a reading whose columns are right has
    nearly every fragment aligned."""
    starts: dict[int, int] = {}
    for w in _words(text):
        k = _col_index(cols, w.x0)
        starts.setdefault(k, w.x0)
    return sum(abs(x - cols[k].x0) <= 2 for k, x in starts.items()), len(starts)


#: dashes that join the parts of a name ("Công chức Tư pháp – Hộ tịch"), never opening a cell
_JOINING_DASHES = frozenset("–—")
#: how far (characters) left of its column the text tool may lay a cell out
LINE_SHIFT = 6


def _early_starts(text: str, cols: list[_Column]) -> frozenset[tuple[int, int]]:
    """(column, x) of the runs of a line that start a few characters (up to :data:`LINE_SHIFT`)
    left of a column's start and run into it, opening upper-case as cells do: that column's
    cells laid out early (the text tool lays some rows of a page on a narrower grid, each column
    moved by its own few characters).  :func:`_grid_starts` keeps those other lines confirm."""
    out = set()
    for seg in _segments(text):
        k = _col_index(cols, seg.x0)
        if (k + 1 < len(cols) and 1 < cols[k + 1].x0 - seg.x0 <= LINE_SHIFT and seg.x1 > cols[k + 1].x0 + 1
                and _first_alpha(seg.text).isupper()):
            out.add((k + 1, seg.x0))
    return frozenset(out)


def _grid_starts(texts: Sequence[str], cols: list[_Column]) -> list[frozenset[tuple[int, int]]]:
    """For each of a page's table lines, where the lines around it (:data:`EARLY_LINES` either
    side) lay a column's cells out early (:func:`_early_starts`), at a place two lines of the
    page at least show: a run of words that starts early by chance (the words of a justified
    line spread to its column's edge) is not seen again so."""
    seen = [_early_starts(t, cols) for t in texts]
    every = [p for got in seen for p in got]
    again = {p for p in every if sum(q[0] == p[0] and abs(q[1] - p[1]) <= 1 for q in every) >= 2}
    return [frozenset(p for got in seen[max(0, j - EARLY_LINES):j + EARLY_LINES + 1] for p in got if p in again)
            for j in range(len(texts))]


def _place(text: str, cols: list[_Column], near: frozenset[tuple[int, int]] = frozenset()) -> list[list[str]]:
    """The words of one line per column.  A run of words (two or more spaces apart from the
    next) starts in the column it starts in (one character of slack to the left: the text
    tool rounds positions to characters), or in the next one where the lines around
    (``near``, :func:`_grid_starts`) lay that column's cells out early from there; two
    runs never share a column when the second starts near the next column, runs into it, and
    no later run starts there (the tool printed that cell a few characters early).  Inside a
    run, a word moves to the next column when it starts there, or would run over the next
    column's start from close before it (the next cell's first word pushed left, one space
    after this cell's text)."""
    out: list[list[str]] = [[] for _ in cols]
    last = -1
    segs = _segments(text)
    def column(seg: _Word) -> int:
        k = _col_index(cols, seg.x0)
        return k + 1 if any(c == k + 1 and abs(x - seg.x0) <= 1 for c, x in near) else k

    for n, seg in enumerate(segs):
        k = column(seg)
        if (k <= last and last + 1 < len(cols) and seg.x0 + 8 >= cols[last + 1].x0
                and seg.x1 > cols[last + 1].x0 + 1
                and not any(column(later) == last + 1 for later in segs[n + 1:])):
            # (a run that ends before that column, or with a later run starting it, is the rest
            # of a line set justified, its words spread to the column's right edge)
            k = last + 1
        elif (k > last and k + 1 < len(cols) and seg.x0 - cols[k].x0 > EARLY_SLACK
              and seg.x0 + 8 >= cols[k + 1].x0 and seg.x1 > cols[k + 1].x0 + 1):
            # the line's first run in a column, starting far right of its left edge and
            # running into the next column, is the next column's cell printed a few characters
            # early (a cell's text starts at its column's edge; the tool lays some lines out
            # narrower): "UBND xã" is not parted as "UBND" | "xã"
            k += 1
        k = max(k, 0)
        words = _words(text[seg.x0:seg.x1])
        for n_w, w in enumerate(words):
            x0, x1 = seg.x0 + w.x0, seg.x0 + w.x1
            if w.text not in _JOINING_DASHES:  # a dash joins a name's parts: it opens no cell
                k = max(k, _col_index(cols, x0))
                if _first_alpha(w.text).isupper() and any((k + 1, x) in near for x in (x0 - 1, x0, x0 + 1)):
                    k += 1  # a cell opening where the lines around lay the next column's out early
                elif (k + 1 < len(cols) and seg.x1 > cols[k + 1].x0 + 1 and out[k]
                      and cols[k + 1].x0 - _pull_slack(cols[k], out[k]) <= x0 < cols[k + 1].x0
                      and _starts_cell([v.text for v in words[n_w:]], out[k])):
                    # a run crossing a column's start, one space between two cells: the next
                    # cell opens a few characters early ("Nâng cao mức độ Rà soát, hệ thống"); a
                    # body's name goes on with a capital ("Công chức Văn" / "hóa – Xã hội"), and
                    # so does a cell after its label ("Nhiệm vụ 2: Nâng cao")
                    k += 1
            cut = _glued_at(w.text, x0, cols[k + 1].x0) if k + 1 < len(cols) else None
            if cut is not None:  # "cácVăn": two cells' words the tool printed without a space
                out[k].append(w.text[:cut])
                k += 1
                out[k].append(w.text[cut:])
                continue
            if k + 1 < len(cols) and x1 > cols[k + 1].x0 + 1 and x0 + 4 >= cols[k + 1].x0:
                k += 1
            out[k].append(w.text)
        last = k
    _name_heads_back(out, cols)
    return out


def _name_heads_back(out: list[list[str]], cols: list[_Column]) -> None:
    """A body's name whose first word went to the column on its left, one space apart or glued
    to its last word ("Phát phiếu khảo sát tại Bộ Công" | "chức Địa", "tại cácVăn" | "phòng
    HĐND-"): the word goes back to the name when the
    body column's words open in lower case and, as written, begin no registered name, and with
    it they do ("Công chức Địa" of "Công chức Địa chính – Xây dựng", "Văn" | "phòng")."""
    for k in range(len(cols) - 1):
        right = out[k + 1]
        if not out[k] or not right or not _first_alpha(right[0]).islower() or _role(cols[k + 1]) not in _BODY_ROLES:
            continue
        last = out[k][-1]
        # the word itself, or its capitalised end glued to the cell's last word ("cácVăn")
        glued = [i for i in range(1, len(last)) if last[i - 1].islower() and last[i].isupper()]
        head, keep = (last, "") if not glued else (last[glued[-1]:], last[:glued[-1]])
        if not opens_name(right) and opens_name([head, *right]):
            right.insert(0, head)
            if keep:
                out[k][-1] = keep
            else:
                out[k].pop()



#: lines either side whose cells laid out early tell where a line's cells are (a row's lines)
EARLY_LINES = 3
#: characters right of its column's start from which a line's first run there is no cell of
#: that column when it runs into the next one
EARLY_SLACK = 3
#: how far left of a column's start the text tool may pull a cell's first word, one space after
#: the cell on its left ("Đẩy mạnh ứng Kiểm tra việc", "Nâng cao mức Rà soát")
PULLED_SLACK = 5
#: how far from a column's start a word glued over it may change from lower to upper case
GLUE_SLACK = 3


def _pull_slack(col: _Column, words: list[str]) -> int:
    """How far left of the next column the text tool may have pulled its cell's first word, one
    space after ``words`` (this column's on the line): :data:`PULLED_SLACK`, but
    :data:`EARLY_SLACK` after a body's words (its name goes on with a capital: "Công chức Văn")
    or a label's colon ("Nhiệm vụ 2: Nâng cao")."""
    return EARLY_SLACK if _role(col) in _BODY_ROLES or words[-1].endswith(":") else PULLED_SLACK


def _glued_at(word: str, x0: int, start: int) -> int | None:
    """Where a word running over the next column's start (``start``) is two words the text
    tool printed without a space ("cácVăn", "tuyếnCông"): a lower-case letter followed by a
    capital near that start; None when it is one word."""
    if not x0 < start < x0 + len(word):
        return None
    cuts = [i for i in range(1, len(word)) if word[i - 1].islower() and word[i].isupper()
            and abs(x0 + i - start) <= GLUE_SLACK]
    return min(cuts, key=lambda i: abs(x0 + i - start)) if cuts else None


def _is_prose(text: str, above: str) -> bool:
    """A line of running text below a table: one long run of words from the left margin, or
    one run after a blank line, that is no group row -- not opening lower-case or with a digit
    under a line (a text cell's wrapped line), nor an item of a list opened above (a text cell's
    "...:" and its "- ..." lines)."""
    segs = _segments(text)
    if len(segs) != 1 or _is_group_line(text):
        return False
    s = segs[0]
    if not (s.x0 <= 2 and (len(s.text) >= 40 or not above.strip()) and len(s.text.split()) >= 4):
        return False
    if _opens_item(s.text) and (above.rstrip().endswith(":") or _opens_item(above.strip())):
        return False  # an item of a list a text cell opened ("... hành chính:" / "- Niêm yết ...;")
    # the wrapped line of a text cell ("nhằm nâng cao ...", "2025 theo quy định ...")
    return not above.strip() or _first_alpha(s.text).isupper()


#: lines after a line that reads as prose where a line of several cells shows it a table's line
PROSE_LOOKAHEAD = 2


def _ends_table(lines: Sequence[str], j: int, end: int) -> bool:
    """Whether line ``j`` (before line ``end`` of its page) is prose under the table
    (:func:`_is_prose`) and not followed, within :data:`PROSE_LOOKAHEAD` lines, by a line of
    several cells (the first line of a text cell that a centred row prints alone above its short
    cells: "Công khai đầy đủ, kịp thời ..." over "Văn phòng   Quý I/2025", or over a short cell's
    first line alone and then the row's middle line)."""
    if not _is_prose(lines[j], lines[j - 1]) or _item_of_list_above(lines, j):
        return False
    below = [lines[k] for k in range(j + 1, end) if lines[k].strip()][:PROSE_LOOKAHEAD]
    return not any(_cell_line(t) for t in below)


#: a line of one run starting this far right of the margin is a cell of a column further right
#: (prose starts at the margin or at its paragraph's indent)
CELL_INDENT = 16


def _cell_line(text: str) -> bool:
    """Whether a line holds a table's cells: several runs, or one run far from the margin."""
    segs = _segments(text)
    return len(segs) >= 2 or (len(segs) == 1 and segs[0].x0 >= CELL_INDENT)


#: lines above a list item within which its list's opening line is looked for
LIST_LOOKBACK = 4


def _item_of_list_above(lines: Sequence[str], j: int) -> bool:
    """Whether line ``j`` is an item of a list a text cell opened: its column's last line
    above, within :data:`LIST_LOOKBACK` lines (a centred row prints its short cells' line
    between: "... hành chính:" / "Kế hoạch   Công chức Văn hóa – Xã hội" / "- Niêm yết ..."), ends
    with ":" or is an item itself."""
    text = lines[j].strip()
    if not _opens_item(text):
        return False
    x = len(lines[j]) - len(lines[j].lstrip())
    for k in range(j - 1, max(-1, j - 1 - LIST_LOOKBACK), -1):
        segs = _segments(lines[k])
        if not segs:
            return False
        if segs[0].x0 <= x + 2:
            first = segs[0].text
            return first.rstrip().endswith(":") or _opens_item(first)
    return False


def _first_alpha(word: str) -> str:
    return next((ch for ch in word if ch.isalpha() or ch.isdigit()), "")


def _starts(cells: list[list[str]], above: list[list[str]] | None,
            roles: Sequence[str | None], merged: frozenset[int] = frozenset()) -> tuple[float, int]:
    """(evidence that a row opens on this line, columns with text).  Cells are top-aligned,
    so on the first line of a row every column with text begins a cell: blank above (1.0) or
    an upper-case or numbered start (0.6).  A lower-case line under text continues a cell, and
    so does a number under a text cell's open line; then no row opens here (score 0) -- but
    for the ``merged`` columns, whose cells span rows and go on beside the rows they open."""
    score, n = 0.0, 0
    for k, words in enumerate(cells):
        if not words:
            continue
        if k in merged and above is not None and above[k] and not _starts_cell(words, above[k]):
            continue
        n += 1
        first = _first_alpha(words[0])
        if above is None or not above[k] or (roles[k] in _OUTLINE and is_outline_head(" ".join(words), roles[k])):
            score += 1.0
        elif not _starts_cell(words, above[k], text=roles[k] in _OUTLINE) or waits_for_date(above[k][-1], words[0]):
            return 0.0, n  # "UBND xã" under "Văn phòng HĐND-", "12/2025" under "Tháng": the cell goes on
        elif first.isupper() or (first.isdigit() and not (roles[k] in _OUTLINE and _number_goes_on(words, above[k]))):
            score += 0.6 + (0.4 if _CLOSED_RE.search(above[k][-1]) else 0.0)
        else:
            return 0.0, n  # "2024 theo chỉ đạo ..." under "... đúng hạn năm": the text goes on
    return score, n


def _runs(opens: Sequence[bool]) -> list[list[int]]:
    """The indices of lines grouped into rows: a row begins at every line that opens one (and
    at the first line)."""
    rows: list[list[int]] = []
    for i, o in enumerate(opens):
        if o or not rows:
            rows.append([])
        rows[-1].append(i)
    return rows


def _cell(row: int, col: int, pieces: list[tuple[int, str]], span: int = 1, col_span: int = 1) -> Cell:
    text = join_cell_text([" ".join(t.split()) for _, t in pieces if t.strip()])
    lines = [n for n, t in pieces if t.strip()]
    if not lines:
        return Cell(row=row, col=col, text="", row_span=span, col_span=col_span)
    return Cell(row=row, col=col, text=text, row_span=span, col_span=col_span,
                line_start=min(lines), line_end=max(lines))


def build_table(rows_lines: Sequence[tuple[int, list[list[str]], bool]],
                header: Sequence[Sequence[tuple[int, int, str]]] | None, roles: Sequence[str | None],
                page: int | None, merge: bool = True) -> Table:
    """A :class:`Table` from the body lines placed into columns (``(line number, words per
    column, opens a row)``) and, when the page prints the header, each column's header words
    (``(line number, x, word)``): rows grouped, group rows spanning the columns, a merged
    outline cell (above the finest outline column) spanning the rows its text goes on into
    (``merge``: a table whose outline cells may be merged)."""
    ncols = len(roles)
    merge_cols = _merged_columns(roles) if merge else set()
    cells: list[Cell] = []
    top = 1 if header is not None else 0
    if header is not None:
        cells.extend(_cell(0, k, [(n, t) for n, _, t in sorted(words)]) for k, words in enumerate(header))
    # Group the body lines into rows.
    rows = [[rows_lines[i][:2] for i in run] for run in _runs([o for _, _, o in rows_lines])]
    open_merge: dict[int, list] = {}  # column -> [row index of the cell, pieces, span]
    # the longest line of each column: a merged cell whose last line could not (quite) take the
    # next word wrapped there
    widest = [max((len(" ".join(ws[k])) for _, ws, _ in rows_lines), default=0) for k in range(ncols)]
    for r, lines in enumerate(rows, start=top):
        first_words = lines[0][1]
        if _is_group_words(first_words):
            if roles[0] == "row_no":
                pieces = [(n, " ".join(w for ws in wss[1:] for w in ws)) for n, wss in lines]
                cells.append(_cell(r, 0, [(lines[0][0], " ".join(first_words[0]))]))
                cells.append(_cell(r, 1, pieces, col_span=ncols - 1))
            else:
                pieces = [(n, " ".join(w for ws in wss for w in ws)) for n, wss in lines]
                cells.append(_cell(r, 0, pieces, col_span=ncols))
            for k, (r0, ps, span) in open_merge.items():
                cells.append(_cell(r0, k, ps, span))
            open_merge = {}
            continue
        for k in range(ncols):
            pieces = [(n, " ".join(ws[k])) for n, ws in lines if ws[k]]
            if k in merge_cols and k in open_merge:
                r0, ps, span = open_merge[k]
                text = " ".join(t for _, t in pieces)
                prev = " ".join(t for _, t in ps)
                rest = len(pieces) == 1 and bool(ps) and _wrapped_rest(text, ps[-1][1], widest[k])
                if not pieces or _continues(text, prev, roles[k], rest):
                    ps.extend(pieces)
                    open_merge[k] = [r0, ps, span + 1]
                    continue
                cells.append(_cell(r0, k, ps, span))
                del open_merge[k]
            if k in merge_cols:
                open_merge[k] = [r, pieces, 1]
            else:
                cells.append(_cell(r, k, pieces))
    for k, (r0, ps, span) in open_merge.items():
        cells.append(_cell(r0, k, ps, span))
    cells.sort(key=lambda c: (c.row, c.col))
    return Table(cells=tuple(cells), page=page, header_rows=top)


#: a merged cell whose last line and the next word together are this long against the column's
#: longest line wrapped there: the word did not fit (printed widths differ from characters)
FULL_LINE = 0.85
#: and a line of at most this many words at the top of the next row is its rest
REST_WORDS = 4


def _wrapped_rest(text: str, last: str, widest: int) -> bool:
    """Whether a line of a few words at the top of a row is the rest of the merged cell above,
    even upper-case ("... tại Bộ phận" / "Một cửa"): the cell's ``last`` line could not (quite)
    take its first word, and no task's verb opens it ("Tổ chức đối thoại" begins a cell)."""
    words = text.split()
    return (len(words) <= REST_WORDS and not _VERB_RE.match(_fold(text))
            and len(last) + 1 + len(words[0]) >= FULL_LINE * widest)


def _continues(text: str, prev: str, role: str | None, rest: bool = False) -> bool:
    """Whether ``text``, printed at the top of a row in a merged column, is the rest of the
    cell above: that cell's sentence is open and this does not begin a cell (an upper-case
    word -- unless ``rest``: a few words after the cell's wrapped last line -- or an outline
    head: "1.2. Mục tiêu 2:"); "2025 theo quy định" goes on "... năm", and any text goes on a
    sentence left open on a link word, a comma or a dash ("... theo chỉ đạo của" / "UBND huyện
    ...") or on a registered body's name cut short ("... tại Bộ phận" / "Một cửa ...")."""
    if _opens_item(text) and ":" in prev:
        return True  # the next item of a list the cell opened ("...: - Niêm yết ...; - Lồng ghép")
    if _CLOSED_RE.search(prev):
        return False
    first = _first_alpha(text)
    if role in _OUTLINE and is_outline_head(text, role):
        return False
    if prev.strip() and (prev.rstrip()[-1] in "-–," or ends_open(prev.split())
                         or _name_goes_on(text.split(), prev.split())):
        return True  # "... theo chỉ đạo của" / "UBND huyện ...", "... do HĐND," / "UBND xã ..."
    return bool(first) and (rest or not first.isupper())


def _is_group_words(words: list[list[str]]) -> bool:
    """A group row: a roman numeral opening the first column, its title beside it ("I |
    Cải cách thể chế") or after it ("I. Cải cách thể chế" in a table without TT column)."""
    if not words or not words[0]:
        return False
    head = words[0][0]
    if not is_roman(head.rstrip(".)")):
        return False
    return (len(words[0]) == 1 and any(words[1:])) or (len(words[0]) > 1 and head[-1] in ".)")


def _row_opens(placed: list[tuple[int, list[list[str]]]], roles: list[str | None]) -> list[bool]:
    no_col = roles.index("row_no") if "row_no" in roles else None
    merged = frozenset(_merged_columns(roles))
    out: list[bool] = []
    above: list[list[str]] | None = None
    for i, (_, ws) in enumerate(placed):
        if no_col is not None and ws[no_col] and len(ws[no_col]) == 1 and (
                _NUM_RE.match(ws[no_col][0]) or is_roman(ws[no_col][0].rstrip(".)"))):
            out.append(True)
        elif _is_group_words(ws):
            out.append(True)
        else:
            # A row without a number opens where most columns with text begin a cell, one of
            # them a short column (Cơ quan chủ trì, Thời gian ...) or most of all columns.
            score, n = _starts(ws, above, roles, merged)
            strict = 0.7 if no_col is not None else 0.6
            meta = any(ws[k] for k, r in enumerate(roles) if r in _META)
            wide = n >= 0.6 * sum(r is not None for r in roles)
            # three cells all opening upper-case is a row; so is a responsible body's or a
            # deadline's cell opening under a blank beside a text opening upper-case
            typed = any(ws[k] and r in _TYPED_OPEN and (above is None or not above[k])
                        and _TYPED_OPEN[r].match(_fold(" ".join(ws[k][:3])))
                        for k, r in enumerate(roles))
            floor = 1.8 if n >= 3 else 1.6 if typed else 2.0
            out.append(i == 0 or (n >= 2 and score + 1e-9 >= max(floor, strict * n) and (meta or wide)))
        above = ws
    return out


#: share of a table's numbered rows whose cell begins above the row number's line from which
#: the table's cells are taken as centred vertically (:func:`_centred_opens`)
CENTRED_SHARE = 0.25
#: a row boundary that cuts a cell (text on both sides of it, the lower line no cell's start)
CUT_CELL_COST = 2.0
#: cost of a row holding the end of a merged cell and the start of the next one (each merged
#: cell spans rows of its own)
MERGED_GAP_COST = 5.0
#: a centred row with more lines above its number's line than below, or the other way round,
#: costs this per line beyond one
SYMMETRY_COST = 0.5
#: cost per line by which a cell of a centred row stands off the row's centre (beyond half a
#: line): a two-line cell is centred on its row's number, not on the row below's
#: ("Biên bản kiểm tra" / "Kế hoạch được ban hành" around the number's line)
OFF_CENTRE_COST = 1.0


def _starts_cell(words: list[str], above: list[str], text: bool = True) -> bool:
    """Whether a column's words on a line begin a cell, given its words on the line above: an
    upper-case or numbered start does, unless the line above ends open (on "của", "và", a comma,
    a hyphen: :func:`extractors.appendix.cues.ends_open`) or, in a text column (``text``),
    the word is an acronym in capitals ("TCVN ISO 9001:2015" goes on a sentence; a body's cell
    opens with "UBND xã" as often as with any word) or a number under a line that closes no
    sentence ("... Nghị định số" / "61/2018/NĐ-CP"); a list item under
    a line ending ":" or ";" does not, nor, in a text column, a line under a list item not closed
    yet by ".", ";", "!" or "?"."""
    if not words:
        return False
    if not above:
        return True
    if _opens_item(words[0]) and above[-1][-1:] in ":;":
        return False
    if text and _opens_item(above[0]) and not _CLOSED_RE.search(above[-1]):
        # a list item not closed yet goes on ("- Tổng hợp kết quả, báo cáo" / "Chủ tịch UBND
        # xã."; in a text column: a body's "- Hộ tịch" is its name's rest, dash and all)
        return False
    last = above[-1]
    if last[-1:] in "-–," or ends_open(above):
        return False
    if _name_goes_on(words, above):
        return False  # "... tại Bộ phận" / "Một cửa năm 2025"
    if text and is_acronym(words[0].strip(".,:;()")):
        return False
    if text and _number_goes_on(words, above):
        return False  # "61/2018/NĐ-CP của Chính phủ" under "... Nghị định số"
    first = _first_alpha(words[0])
    return first.isupper() or first.isdigit()


#: words of a body's name a line may end on, and words its rest may have on the next line
NAME_TAIL_WORDS = 3


def _name_goes_on(words: list[str], above: list[str]) -> bool:
    """Whether a line's first words are the rest of a registered body's name the line above
    ends on cut short ("... tại Bộ phận" / "Một cửa", "Văn phòng" / "HĐND-UBND xã"), which a
    cell does not end on (:func:`normalizers.owners.extends_name`)."""
    # (one more word than a name's rest may have tells whether the line is all of it)
    return _name_rest_follows(tuple(above[-NAME_TAIL_WORDS:]), tuple(words[:NAME_TAIL_WORDS + 1]))


@lru_cache(maxsize=16384)
def _name_rest_follows(above: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """:func:`_name_goes_on` on the last words of the line above and the first of the line
    (the row parting asks it of the same lines many times over)."""
    for n in range(1, len(above) + 1):
        tail = " ".join(above[-n:])
        if name_rest(tail):
            # the name ends on this line, or the whole line goes on it ("Công chức" / "Văn phòng –")
            if any(extends_name(tail, " ".join(words[:m]))
                   and (m == len(words) or name_rest(" ".join(above[-n:] + words[:m])) == 0)
                   for m in range(1, min(NAME_TAIL_WORDS, len(words)) + 1)):
                return True
    return False


def _number_goes_on(words: list[str], above: list[str]) -> bool:
    """Whether a text cell's line opening with a number goes on the line above, which closes no
    sentence ("... đúng hạn năm" / "2024 theo chỉ đạo", "... Nghị định số" / "61/2018/NĐ-CP")."""
    return _first_alpha(words[0]).isdigit() and not _CLOSED_RE.search(above[-1])


def _anchors(placed: list[tuple[int, list[list[str]]]], roles: list[str | None],
             middle: bool = True, before: list[list[str]] | None = None) -> tuple[list[int], list[int]]:
    """(one line per row, group rows' lines) of a page's placed table lines: the lines with a
    row number; in a table without TT column, each cell of the lead column (else the deadline
    column: one cell a row in every plan), its ``middle`` line or its first -- but a page's
    first such cell that goes on the page before's (``before``: each column's last words there),
    its row's task going on too, which is the rest of a row a page break cut
    (:func:`_goes_on_before`)."""
    groups = [i for i, (_, ws) in enumerate(placed) if _is_group_words(ws)]
    if "row_no" in roles:
        no_col = roles.index("row_no")
        return [i for i, (_, ws) in enumerate(placed)
                if len(ws[no_col]) == 1 and _NUM_RE.match(ws[no_col][0]) and i not in groups], groups
    col = next((roles.index(r) for r in ("lead", "deadline") if r in roles), None)
    if col is None:
        return [], groups
    finest = _finest_outline(roles)
    task_cells: list[list[int]] | None = None  # the finest outline column's cells, when asked

    def longer_name(first: int, i: int) -> bool:
        nonlocal task_cells
        if finest is not None and task_cells is None:
            task_cells = _column_cells(placed, finest, lambda j: j in groups)
        return _longer_name(placed, col, first, i, task_cells)

    cells: list[tuple[int, int]] = []
    first = last = None
    for i, (_, ws) in enumerate(placed):
        here = ws[col]
        if not here and i not in groups:
            continue  # (a line the text tool printed between a cell's lines)
        if here and first is not None and i in (last + 1, last + 2) and (not _starts_cell(
                here, placed[last][1][col], text=False) or longer_name(first, i)):
            last = i  # the cell goes on
            continue
        if first is not None:
            cells.append((first, last))
            first = None
        if here and i not in groups:
            first = last = i
    if first is not None:
        cells.append((first, last))
    if cells and before and _goes_on_before(placed, col, finest, cells[0], before):
        cells = cells[1:]
    return [a + (b - a) // 2 if middle else a for a, b in cells], groups


def _finest_outline(roles: Sequence[str | None]) -> int | None:
    """The finest outline column (Hoạt động, else Nhiệm vụ, else Mục tiêu): one cell a row."""
    outline = [k for k, r in enumerate(roles) if r in _OUTLINE]
    return max(outline, key=lambda k: _OUTLINE.index(roles[k])) if outline else None


def _goes_on_before(placed: list[tuple[int, list[list[str]]]], col: int, finest: int | None,
                    cell: tuple[int, int], before: list[list[str]]) -> bool:
    """Whether a page's first cell of column ``col`` (its lines ``cell``) is the rest of the
    cell the page before ended on (``before``: each column's last words there), a page break
    having cut the row: it goes on that cell's words ("Chủ tịch" / "UBND xã") and the finest
    outline column's (``finest``) first text on the page, at or above the cell's last line,
    goes on its cell too ("... đảm bảo công" / "khai, minh bạch")."""
    above = before[col] if col < len(before) else []
    here = placed[cell[0]][1][col]
    if not above or not (not _starts_cell(here, above, text=False)
                         or extends_name(" ".join(above), " ".join(here))):
        return False
    if finest is None:
        return False
    text = next((placed[j][1][finest] for j in range(cell[1] + 1) if placed[j][1][finest]), None)
    return bool(text and finest < len(before) and before[finest]) and not _starts_cell(text, before[finest])


def _longer_name(placed: list[tuple[int, list[list[str]]]], col: int, first: int, i: int,
                 task_cells: list[list[int]] | None) -> bool:
    """Whether column ``col``'s line ``i`` goes on its cell begun on line ``first`` though that
    cell reads as a whole name: together they spell more of a registered name ("Chủ tịch" /
    "UBND xã", "Công chức" / "Văn hóa – Xã"), and no cell of the finest outline column (the
    task: one a row; ``task_cells``, their lines) stands at the cell's middle other than the
    one at line ``i``: two rows' bodies each stand by their own row's task."""
    cell = " ".join(w for j in range(first, i) for w in placed[j][1][col])
    if task_cells is None or not extends_name(cell, " ".join(placed[i][1][col])):
        return False
    middle = (first + i - 1) / 2  # (the cell's lines so far end before line i)
    for lines in task_cells:
        if lines[0] <= middle <= lines[-1]:
            return lines[0] <= i <= lines[-1]
    return True


def _merged_columns(roles: Sequence[str | None]) -> set[int]:
    """Outline columns above the finest one (Mục tiêu above Nhiệm vụ): their cells may be merged
    over several rows."""
    finest = _finest_outline(roles)
    return set() if finest is None else {
        k for k, r in enumerate(roles) if r in _OUTLINE and _OUTLINE.index(r) < _OUTLINE.index(roles[finest])}


def _centred(placed: list[tuple[int, list[list[str]]]], roles: list[str | None]) -> bool:
    """Whether a page's table shows that it centres its cells vertically (Word plans often do):
    a row's number then stands beside the middle line of its tallest cell, whose text began
    above and goes on beside the number (:func:`begun_above`), in :data:`CENTRED_SHARE` of the
    rows (a top-aligned row opens every cell on its number's line).  A page of fewer than three
    rows shows nothing.  Without TT column, a row's line is its lead cell's first: a top-aligned
    row opens its text there too."""
    anchors, groups = _anchors(placed, roles, middle=False)
    if len(anchors) < 3:
        return False
    merged = _merged_columns(roles)
    no_col = roles.index("row_no") if "row_no" in roles else None
    cols = [k for k in range(len(roles)) if k != no_col and k not in merged]
    walls = sorted(set(anchors) | set(groups))

    def begun_above(k: int, a: int) -> bool:
        """Column k's cell began above the number's line: its text there goes on lower-case
        from above (in a text column: Nhiệm vụ, Hoạt động -- a page whose columns the text tool
        shifted puts a body's second word in the body's column), or (a two-line cell, any
        column) its lines stand just above and below an empty one."""
        here = placed[a][1][k]
        top = max((w + 1 for w in walls if w < a), default=0)
        if here:
            return (roles[k] in _OUTLINE and any(placed[j][1][k] for j in range(top, a))
                    and _first_alpha(here[0]).islower())
        if a == top or a + 1 >= len(placed) or a + 1 in walls:
            return False
        up, down = placed[a - 1][1][k], placed[a + 1][1][k]
        return bool(up and down) and not _starts_cell(down, up, roles[k] in _OUTLINE)

    def begun_below(k: int, a: int) -> bool:
        """Without TT column (``a``: the lead cell's first line): a column empty there opens
        its cell on the next line -- a shorter cell centred beside a taller lead cell; a
        top-aligned row opens all its cells on its lead's line (the next row's too: a line
        opening a lead cell is the next row's)."""
        if no_col is not None or placed[a][1][k] or a + 1 >= len(placed) or a + 1 in walls:
            return False
        down = placed[a + 1][1][k]
        above = next((placed[j][1][k] for j in range(a - 1, -1, -1) if placed[j][1][k]), None)
        return bool(down) and (above is None or _starts_cell(down, above, roles[k] in _OUTLINE))

    others = [k for k in range(len(roles)) if k != no_col]
    return sum(any(begun_above(k, a) for k in cols) or any(begun_below(k, a) for k in others)
               for a in anchors) >= CENTRED_SHARE * len(anchors)


def _centred_opens(placed: list[tuple[int, list[list[str]]]], roles: list[str | None],
                   merged: set[int], before: list[list[str]] | None = None) -> list[bool]:
    """Where rows open in a table whose cells are centred vertically (:func:`_centred`): the
    lines above a row number's line are the row's too.  Between two number lines the boundary
    is where no cell is cut
    (:data:`CUT_CELL_COST` for a column whose text goes on across it: the first line under it
    begins no cell) and the row stands centred on its number (:data:`SYMMETRY_COST`), chosen
    for each run of rows between group rows by a dynamic programme.  The text tool prints a
    short centred cell's lines between the tall cell's lines: a column's text above is its
    nearest line above with text in that column.  Merged outline cells (above the finest
    outline column) span rows and tell nothing.  ``before``: each column's last words on the
    page before, when this page goes on its table: a page break may cut a row, and the page's
    first lines then go on the cells the page before ended ("... theo tiêu chuẩn" / "TCVN ISO
    9001:2015", "Công chức Văn phòng –" / "Thống kê") rather than open the first row here."""
    no_col = roles.index("row_no") if "row_no" in roles else None
    cols = [k for k in range(len(roles)) if k != no_col and k not in merged]
    anchors, groups = _anchors(placed, roles, before=before)
    walls = sorted(set(anchors) | set(groups))

    def goes_on(k: int, b: int, lo: int) -> bool:
        """Whether column ``k``'s text at or below line ``b`` (before the next number line)
        goes on from its text above (down to line ``lo``)."""
        up = next((j for j in range(b - 1, lo - 1, -1) if placed[j][1][k]), None)
        # (a cell of a column merged on this page may go on over the page break, or open anew)
        above = (placed[up][1][k] if up is not None
                 else before[k] if before and b == 0 and k not in merged else None)
        down = next((j for j in range(b, len(placed)) if placed[j][1][k] or j in walls and j > b - 1 and j != b), None)
        if not above or down is None or not placed[down][1][k]:
            return False
        words = placed[down][1][k]
        # ("Chủ tịch" / "UBND xã": a whole name going on into a longer one is one cell)
        return not _starts_cell(words, above, roles[k] in _OUTLINE) or (
            roles[k] in _BODY_ROLES and extends_name(" ".join(above), " ".join(words)))

    def cut(b: int, lo: int) -> float:
        """Cost of a row boundary just above line ``b`` (the row above starts at ``lo``).  Above
        the page's first row number, on a page that goes on its table, the text of a merged cell
        is the page before's cell going on: it is not cut either."""
        if (b <= lo and not (b == 0 and before)) or b >= len(placed):
            return 0.0
        where = cols + sorted(merged) if before and anchors and b <= anchors[0] else cols
        return CUT_CELL_COST * sum(goes_on(k, b, lo) for k in where)

    def sym(above: int, below: int) -> float:
        return SYMMETRY_COST * max(0, abs(above - below) - 1)

    # two merged cells one after the other stand in rows of their own: a row opens between them
    gaps = [gap for k in sorted(merged) for gap in _cell_gaps(placed, k, walls)]

    def skipped(lo: int, b: int) -> float:
        return MERGED_GAP_COST * sum(lo <= e and s < b for e, s in gaps)

    # the cells of the merged columns: one centred on a row's number spans that row alone
    merged_cells = [c for k in sorted(merged) for c in _column_cells(placed, k, lambda i: i in groups)]

    def centring(lo: int, b: int, anchor: int) -> float:
        """How far the row's cells over lines ``lo`` to ``b - 1`` stand off the row's centre:
        every cell of a centred row is centred on the line of its number (or of the middle of
        its lead cell), within half a line (:data:`OFF_CENTRE_COST`); a merged column's cell
        centred so is the row's own, and the row's edges cutting it cost as a cut cell."""
        off = 0.0
        for k in cols:
            at = [i for i in range(lo, b) if placed[i][1][k]]
            if at:
                off += max(0.0, abs((at[0] + at[-1]) / 2 - anchor) - 0.5)
        cut_own = sum((c[0] + c[-1]) / 2 == anchor and (c[0] < lo or c[-1] >= b) for c in merged_cells)
        return OFF_CENTRE_COST * off + CUT_CELL_COST * cut_own

    opens = [False] * len(placed)
    start = 0
    for stop in sorted(set(groups) | {len(placed)}):
        run = [a for a in anchors if start <= a < stop]
        if run:
            _part_centred(run, start, stop, cut, sym, opens, skipped, centring, open_bottom=stop == len(placed))
        if stop < len(placed):
            opens[stop] = True  # a group row
        start = stop + 1
    opens[0] = True
    return opens


def _spanning(placed: list[tuple[int, list[list[str]]]], roles: list[str | None],
              before: list[list[str]] | None, unfilled: set[int]) -> set[int]:
    """The outline columns whose cells are merged over rows on a centred page: those that leave
    rows empty (``unfilled``), and the fewest more such that, the rows parted with all of them
    spanning rows, no row boundary cuts the text of another (:func:`_cut_through`).  A column
    cut only because another's merged cell pushed the boundary is not merged."""
    more = sorted(_merged_columns(roles) - unfilled)
    for extra in [set()] + [{k} for k in more] + [set(more)]:
        spans = unfilled | extra
        if not _cut_through(placed, roles, _centred_opens(placed, roles, spans, before)) - spans:
            return spans
    return unfilled | set(more)


def _cut_through(placed: list[tuple[int, list[list[str]]]], roles: list[str | None], opens: list[bool]) -> set[int]:
    """The outline columns above the finest whose text a row boundary ``opens`` places cuts (the
    text goes on across it: :func:`_starts_cell`): a cell there spans both rows, merged."""
    anchors, groups = _anchors(placed, roles)
    out = set()
    for k in _merged_columns(roles):
        up: int | None = None
        for i, (_, ws) in enumerate(placed):
            if i in groups:
                up = None
            elif ws[k]:
                if up is not None and any(opens[up + 1:i + 1]) and not _starts_cell(ws[k], placed[up][1][k]):
                    out.add(k)
                    break
                up = i
    return out


def _column_cells(placed: list[tuple[int, list[list[str]]]], k: int, walled) -> list[list[int]]:
    """The lines of each cell of column ``k``: its text parted where a line begins a cell
    (:func:`_starts_cell`) and at lines ``walled(i)`` (group rows), whose text is no cell's."""
    cells: list[list[int]] = []
    last: int | None = None
    for i, (_, ws) in enumerate(placed):
        if walled(i):
            last = None
        elif ws[k]:
            if last is not None and (not _starts_cell(ws[k], placed[last][1][k]) or _goes_on_list(
                    ws[k], [placed[j][1][k] for j in cells[-1]])):
                cells[-1].append(i)
            else:
                cells.append([i])
            last = i
    return cells


def _goes_on_list(words: list[str], cell: list[list[str]]) -> bool:
    """Whether a line goes on a list the cell's lines above hold: an item not closed yet by
    ";", "." or ":" goes on, whatever its case ("- Tổng hợp kết quả, báo cáo" / "Chủ tịch UBND
    xã."), and the next item follows ("- Đăng tải trên ...")."""
    if not any(line and _opens_item(line[0]) for line in cell):
        return False
    return _opens_item(words[0]) or not _CLOSED_RE.search(cell[-1][-1])


def _cell_gaps(placed: list[tuple[int, list[list[str]]]], k: int, walls: Sequence[int]) -> list[tuple[int, int]]:
    """(last line of a cell, first line of the next) of column ``k``'s cells one after the other
    in the same run of rows (no group row between them)."""
    def walled(i: int) -> bool:
        return i in walls and _is_group_words(placed[i][1])

    cells = _column_cells(placed, k, walled)
    return [(a[-1], b[0]) for a, b in zip(cells, cells[1:]) if not any(map(walled, range(a[-1], b[0])))]


def _part_centred(run: list[int], start: int, stop: int, cut, sym, opens: list[bool], skipped=None,
                  centring=None, open_bottom: bool = False) -> None:
    """Row boundaries of the numbered rows ``run`` (their number lines) between lines ``start``
    and ``stop``: a dynamic programme over each boundary (:func:`_centred_opens`); ``skipped(lo,
    b)``: the cost of a row over lines ``lo`` to ``b - 1``; ``centring(lo, b, anchor)``: the
    cost of the cells of the row over those lines standing off the centre of the row whose
    number is on line ``anchor``.  ``open_bottom``: the last row may be cut by a page break
    (the page ends on its lines), so that it stands centred on its number only with its lines
    on the next page: it is not charged for standing off its centre."""
    last = len(run) - 1

    def row(lo: int, b: int, j: int | None = None) -> float:
        whole = j is not None and not (open_bottom and j == last)
        return ((skipped(lo, b) if skipped else 0.0)
                + (centring(lo, b, run[j]) if centring and whole else 0.0)
                + (sym(run[j] - lo, b - 1 - run[j]) if whole else 0.0))

    # best: top line of the current row -> (cost, boundaries so far)
    best: dict[int, tuple[float, tuple[int, ...]]] = {
        b: (cut(b, start) + row(start, b) + (0.0 if b == start else 0.5), (b,)) for b in range(start, run[0] + 1)}
    for j in range(len(run) - 1):
        nxt: dict[int, tuple[float, tuple[int, ...]]] = {}
        for top, (cost, bounds) in best.items():
            for b in range(run[j] + 1, run[j + 1] + 1):
                c = cost + cut(b, top) + row(top, b, j)
                if b not in nxt or c < nxt[b][0]:
                    nxt[b] = (c, bounds + (b,))
        best = nxt
    _, bounds = min(((cost + row(top, stop, last), bounds) for top, (cost, bounds) in best.items()),
                    key=lambda t: t[0])
    for b in bounds:
        opens[b] = True


def _carried(placed: list[tuple[int, list[list[str]]]], roles: list[str | None], opens: list[bool],
             before: list[list[str]] | None = None) -> bool:
    """Whether a page's first row, as ``opens`` cuts its lines, is the rest of the page before's
    last row: it holds no line of a row (:func:`_anchors`)."""
    anchors, groups = _anchors(placed, roles, before=before)
    first = _runs(opens)[0] if placed else []
    return bool(first) and not (set(first) & (set(anchors) | set(groups)))


def _spans_placed(placed: list[tuple[int, list[list[str]]]], opens: list[bool], spanning: set[int],
                  goes_on: bool = False, carried: bool = False) -> tuple[list[tuple[int, list[list[str]]]], set[int]]:
    """A centred table's merged outline cells (columns ``spanning``) given the rows they span:
    each cell's words moved to the first line of its span, so that the row builder merges it over
    the rows below (:func:`build_table`), and the lines of a run of rows whose cells cannot be
    given spans (more cells than rows).  Between group rows the rows are shared out among the
    cells in order, each cell spanning the rows its lines fall in, by a dynamic programme that
    stands each cell centred in its span (or, as LibreOffice prints some, at its top).  A first
    row ``carried`` over from the page before spans nothing here (its merged cell is the page
    before's); on a page that ``goes_on`` a table, the rows above the first merged cell may be
    spanned by the page before's last one (a merged cell a page break cut prints its text once,
    before the break)."""
    rows = _runs(opens)
    row_of = {i: r for r, lines in enumerate(rows) for i in lines}
    group = [_is_group_words(placed[lines[0]][1]) or (r == 0 and carried) for r, lines in enumerate(rows)]
    # the runs of rows between group rows
    runs: list[list[int]] = [[]]
    for r, is_group in enumerate(group):
        if is_group:
            runs.append([])
        else:
            runs[-1].append(r)
    runs = [run for run in runs if run]
    new = [[list(w) for w in ws] for _, ws in placed]
    bad: set[int] = set()
    columns = sorted(spanning)
    cells = {k: _column_cells(placed, k, lambda i: group[row_of[i]]) for k in columns}  # each merged cell's lines
    for n, run in enumerate(runs):
        mine = [[c for c in cells[k] if row_of[c[0]] in run] for k in columns]
        # (when the page before's cell ends in the row carried over, it spans no row here)
        free = goes_on and n == 0 and run[0] == int(carried) and not (
            carried and any(placed[i][1][k] for i in rows[0] for k in columns))
        if len(columns) == 1:
            got = _share_rows(run, mine[0], rows, row_of, free_top=free)
            shared = None if got is None else [got[1]]
        else:  # Mục tiêu over Nhiệm vụ: the outer cells span whole inner cells' rows
            shared = _share_nested(run, mine, rows, row_of, free)
        if shared is None:
            bad.update(i for rr in run for i in rows[rr])
            continue
        for k, col_cells, spans in zip(columns, mine, shared):
            for c, (a, _b) in zip(col_cells, spans):
                words = [w for i in c for w in placed[i][1][k]]
                for i in c:
                    new[i][k] = []
                new[rows[a][0]][k] = words
    return [(n, ws) for (n, _), ws in zip(placed, new)], bad


#: cost of reading a merged cell of a centred table as printed at its span's top: a cell
#: centred in its span reads so too where its first line opens a row ("Cung cấp dịch vụ công" on
#: the line of row 10 while it spans rows 9-11), so that the centre is preferred
TOP_ALIGNED_COST = 0.5


def _centring_cost(cell: list[int], rows: list[list[int]], a: int, b: int) -> float:
    """How far a merged cell's lines stand from the centre of the rows ``a``..``b`` it would
    span (or from their top, as LibreOffice prints some)."""
    first, last = cell[0], cell[-1]
    top, bottom = rows[a][0], rows[b][-1]
    return min(abs((first + last) / 2 - (top + bottom) / 2), abs(first - top) + TOP_ALIGNED_COST)


def _partition(hi: int, need: list[tuple[int, int]], cost, starts: dict) -> tuple[float, list, list] | None:
    """The cheapest spans ``(first row, last row)`` of cells in order, contiguous, the last
    ending at row ``hi``, each holding the rows ``need[j]`` its lines fall in: ``(cost, spans,
    what the cost function gave besides)``; ``cost(j, a, b)`` is ``(cost, list)`` of cell ``j``
    over rows ``a``..``b`` or None where it cannot span them; ``starts`` maps the row the spans
    may start after to ``(cost, spans, list)`` so far."""
    best = dict(starts)
    for j in range(len(need)):
        nxt: dict[int, tuple[float, list, list]] = {}
        for end, (c, spans, extra) in best.items():
            a = end + 1
            if a > need[j][0]:
                continue
            for b in range(need[j][1], hi + 1):
                if j == len(need) - 1 and b != hi:
                    continue
                if j + 1 < len(need) and b >= need[j + 1][0]:
                    break
                got = cost(j, a, b)
                if got is not None and (b not in nxt or c + got[0] < nxt[b][0]):
                    nxt[b] = (c + got[0], spans + [(a, b)], extra + got[1])
        best = nxt
    return best.get(hi)


def _share_rows(run: list[int], cells: list[list[int]], rows: list[list[int]], row_of: dict[int, int],
                free_top: bool = False) -> tuple[float, list[tuple[int, int]]] | None:
    """``(cost, spans)``: spans ``(first row, last row)`` of the merged ``cells`` (their lines)
    over the rows ``run``: contiguous, in order, covering the run (``free_top``: but for rows
    above the first cell, spanned by a cell of the page before), each holding the rows its
    cell's lines fall in; the cheapest by how far each cell stands from its span's centre (or
    its top)."""
    if not cells:
        return 0.0, []
    if len(cells) > len(run):
        return None
    lo, hi = run[0], run[-1]
    need = [(row_of[c[0]], row_of[c[-1]]) for c in cells]
    if need[0][0] < lo or need[-1][1] > hi:
        return None
    got = _partition(hi, need, lambda j, a, b: (_centring_cost(cells[j], rows, a, b), []),
                     {end: (0.0, [], []) for end in range(lo - 1, need[0][0] if free_top else lo)})
    return None if got is None else (got[0], got[1])


def _share_nested(run: list[int], cells: list[list[list[int]]], rows: list[list[int]], row_of: dict[int, int],
                  free_top: bool = False) -> list[list[tuple[int, int]]] | None:
    """Spans of merged cells nested in merged cells (``cells``: the outer column's, then the
    inner column's; Mục tiêu over Nhiệm vụ) over the rows ``run``, as :func:`_share_rows` gives
    them for one column, with each outer cell spanning whole inner cells: an outer span holds
    the inner cells whose lines fall in it, shared out over its rows.  The cheapest by both
    columns' cells' distances from their spans' centres; None when no such sharing exists (an
    inner cell's lines crossing an outer span's edge) -- the rows are then not read."""
    outer, inner = cells
    if not outer or not run:
        return None
    lo, hi = run[0], run[-1]
    where = [(row_of[c[0]], row_of[c[-1]]) for c in inner]

    def inside(a: int, b: int, free: bool = False) -> tuple[float, list[tuple[int, int]]] | None:
        """the inner cells' sharing of rows a..b, None when a cell crosses an edge"""
        if any(x < a <= y or x <= b < y for x, y in where):
            return None
        return _share_rows(list(range(a, b + 1)), [c for c, (x, _) in zip(inner, where) if a <= x <= b],
                           rows, row_of, free_top=free)

    def cost(j: int, a: int, b: int) -> tuple[float, list[tuple[int, int]]] | None:
        got = inside(a, b)
        return None if got is None else (got[0] + _centring_cost(outer[j], rows, a, b), got[1])

    need = [(row_of[c[0]], row_of[c[-1]]) for c in outer]
    starts: dict[int, tuple[float, list, list]] = {lo - 1: (0.0, [], [])}
    if free_top:  # rows above the first outer cell, spanned by the page before's cells
        for end in range(lo, need[0][0]):
            if (got := inside(lo, end, free=True)) is not None:
                starts[end] = (got[0], [], got[1])
    got = _partition(hi, need, cost, starts)
    return None if got is None else [got[1], got[2]]


#: a column with text in this share of a page's rows is filled row by row (its outline cells
#: repeated on every row, not merged)
FILLED_SHARE = 0.9


def _filled_columns(placed: list[tuple[int, list[list[str]]]], opens: list[bool], carried: bool = False) -> set[int]:
    """Columns with text in :data:`FILLED_SHARE` of the rows ``opens`` cut the lines into
    (group rows aside, and a first row ``carried`` over from the page before)."""
    rows = [[placed[i][1] for i in run] for run in _runs(opens)[int(carried):]]
    rows = [r for r in rows if not _is_group_words(r[0])]
    if not rows:
        return set()
    ncols = len(placed[0][1])
    return {k for k in range(ncols) if sum(any(ws[k] for ws in r) for r in rows) >= FILLED_SHARE * len(rows)}


@dataclass(frozen=True, slots=True)
class LayoutReading:
    """The tables of a layout dump and how well each table line fits the columns."""

    tables: tuple[Table, ...]
    #: line number -> (fragments starting at their column's left edge, fragments)
    fit: dict[int, tuple[int, int]]
    #: runs of lines holding a table's cells below a line read as prose under the table, on
    #: its page: rows that were not read (counted, not guessed)
    lost: int = 0

    def row_fit(self, first: int, last: int) -> float:
        """Share of aligned fragments over lines ``first``..``last`` (1.0 when none)."""
        got = [self.fit[n] for n in range(first, last + 1) if n in self.fit]
        total = sum(t for _, t in got)
        return sum(a for a, _ in got) / total if total else 1.0


def layout_tables(lines: Sequence[str], pages: Sequence[int | None]) -> LayoutReading:
    """Appendix tables of a layout dump: one :class:`Table` per page it covers, cells with
    document line numbers (1-based: ``lines[i]`` is line ``i + 1``); no tables when no line
    reads as a table header with columns kept by spaces."""
    n = len(lines)
    tables: list[Table] = []
    fit: dict[int, tuple[int, int]] = {}
    lost = 0
    prev: tuple[list[_Column], list[str | None]] | None = None
    centred = False  # the table the pages continue centres its cells vertically
    centred_roles: list[str | None] | None = None
    ends: list[list[str]] | None = None  # each column's last words on the table's page before
    spans_before: set[int] = set()  # the centred table's columns seen merged on its page before
    i = 0
    while i < n:
        page = pages[i] if i < len(pages) else None
        page_end = i
        while page_end < n and (pages[page_end] if page_end < len(pages) else None) == page:
            page_end += 1
        start, head_end = next(((j, e) for j in range(i, page_end) if (e := _header_end(lines, j, page_end))),
                               (None, None))
        if start is not None:
            # a centred header prints its wrapped cells' first lines above the line of its
            # one-line cells ("Sản phẩm đầu   Đơn vị" above "STT   Tên nhiệm vụ")
            while start > i and lines[start - 1].strip() and _vocab_only(lines[start - 1]):
                start -= 1
            while head_end < page_end and (not lines[head_end].strip() or _vocab_only(lines[head_end]) and (
                    _is_header_start(lines[head_end]) or _under_header(
                    lines[head_end], lines[start:head_end], lines[head_end + 1:head_end + 3]))):
                head_end += 1
            header = [(j + 1, lines[j]) for j in range(start, head_end) if lines[j].strip()]
            body_start = head_end
        elif prev is not None:
            header, body_start = [], i
        else:
            i = page_end
            continue
        end = next((j for j in range(body_start, page_end) if _END_RE.match(lines[j])
                    or (j > body_start and _ends_table(lines, j, page_end))), page_end)
        body = list(range(body_start, end))
        cols = _columns([lines[j] for j in body], header) if header else None
        if header:
            roles = _roles(cols) if cols else None
            if roles is None and prev is not None:
                # a repeated header whose columns the page's lines do not keep apart (a centred
                # table's text running into the next column): the table goes on in the columns
                # of the page before, and what does not fit them is left out and counted
                header = []
            elif roles is None:
                i = page_end
                continue
        if not header:
            cols, roles = prev  # type: ignore[misc]
            cols = _shifted(cols, [lines[j] for j in body])
        if end < page_end and not _END_RE.match(lines[end]):  # a prose line ended the table
            lost += _lost_rows(lines, end, page_end, cols)
        inked = [j for j in range(i, page_end) if lines[j].strip()]
        edges = set(inked[:1] + inked[-1:])
        placed: list[tuple[int, list[list[str]]]] = []
        table_lines = [j for j in body if lines[j].strip() and not (j in edges and _PAGE_NO_RE.match(lines[j]))]
        for j, near in zip(table_lines, _grid_starts([lines[j] for j in table_lines], cols)):
            placed.append((j + 1, _place(lines[j], cols, near)))
            fit[j + 1] = _aligned(lines[j], cols)
        if header:
            prev = (cols, roles)  # pages without a header are placed against this one's columns
        if placed:
            # a table once seen centred stays so on the pages that continue it (a page with
            # few rows may not show it)
            same = not header or roles == centred_roles
            centred = _centred(placed, roles) or (centred and same)
            before = ends if same and ends is not None and len(ends) == len(roles) else None
            centred_roles = roles
            ends = [next((ws[k] for _, ws in reversed(placed) if ws[k]), []) for k in range(len(roles))]
            merge = True
            if centred:
                opens = _centred_opens(placed, roles, set(), before)
                carried = before is not None and _carried(placed, roles, opens, before)
                spanning = _spanning(placed, roles, before,
                                     _merged_columns(roles) - _filled_columns(placed, opens, carried))
                # a table seen with merged cells nested in merged cells stays so (a page of a
                # few rows may show text of the merged columns in each)
                if same and len(spans_before) > 1:
                    spanning |= spans_before
                spans_before = spanning
                merge = bool(spanning)
                if len(spanning) > 1 and "row_no" not in roles:
                    # merged cells nested in merged cells (Mục tiêu over Nhiệm vụ over Hoạt
                    # động) without row numbers: where rows open is not read yet -- left out
                    # and counted
                    fit.update((n_, (0, 1)) for n_, _ in placed)
                elif spanning:  # outline cells merged over rows (Mục tiêu over Nhiệm vụ), centred in their spans
                    opens = _centred_opens(placed, roles, spanning, before)
                    placed, unplaced = _spans_placed(placed, opens, spanning, before is not None,
                                                     before is not None and _carried(placed, roles, opens, before))
                    fit.update((placed[i][0], (0, 1)) for i in unplaced)
            else:
                opens = _row_opens(placed, roles)
            tables.append(build_table([(n_, ws, o) for (n_, ws), o in zip(placed, opens)],
                                      [_header_words(c) for c in cols] if header else None, roles, page, merge))
        i = page_end
    return LayoutReading(tuple(tables), fit, lost)


#: columns a line's runs must fall in to be a table's line, not prose
LOST_COLUMNS = 3


def _lost_rows(lines: Sequence[str], start: int, end: int, cols: list[_Column]) -> int:
    """Runs of lines from ``start`` (a line read as prose under the table) to the page's
    ``end`` or its closing block ("Nơi nhận:") whose runs fall in :data:`LOST_COLUMNS` of the
    table's columns or more: table lines the prose line cut off."""
    runs, inside = 0, False
    for j in range(start, end):
        if _END_RE.match(lines[j]):
            break
        hit = len({_col_index(cols, seg.x0) for seg in _segments(lines[j])}) >= LOST_COLUMNS
        runs += hit and not inside
        inside = hit
    return runs
