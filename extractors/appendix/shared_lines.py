"""Blocks of a plain ``pdftotext`` dump in which several columns share printed lines.

Where a table's columns stand close, ``pdftotext`` (without ``-layout``) prints them as one
block, line by line down the page: at every height the fragments of the cells that have a line
there, left to right, some glued into one printed line ("chất lượng cán bộ, công chức cáo kết
quả" is a task line and an activity line), some on lines of their own::

    Nâng cao hiệu lực,                          objective, row 1
    Thực hiện quy chế dân chủ ở Cập nhật dữ     task + activity, row 1
    hiệu quả quản lý                            objective
    cơ sở theo quy định tại Nghị                task
    liệu lên Hệ                                 activity

The block is read word by word with a beam search over the states of a table being printed so:

* a *level* (one height of the page) takes fragments of columns left to right; a printed line
  lies in one level; the next printed line goes on in the level (a column further right) or
  opens the next one;
* cells are top-aligned: a row's first level holds the first line of each of its cells; a
  column with no fragment in a level has ended its cell and has none until the next row;
* rows and group titles come in the order of the page's TT column ("I", "1", "2", "II", ...):
  a group title is a printed line of its own; the number of rows is known.

Costs: a cell not opening upper-case; a line cut between two words the language model holds
together (:func:`extractors.appendix.row_lines._assoc`), a fragment going on a column's cell
whose words do not follow on; and, once the columns' widths are estimated from a first reading
(hard EM), a fragment wider than its column and a fragment whose first word would have fitted on
the line above in its column (lines wrap greedily).  A cell its row leaves empty costs a little.

Pure: lines in, cells out; ``read_shared`` returns None when no reading follows the TT column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from extractors.appendix.cues import _features, _open_end, role_cost
from extractors.appendix.row_lines import _association, _width
from extractors.appendix.text import _is_roman

__all__ = ["CARRY", "SharedReading", "read_shared"]

#: hypotheses kept per TT position after every word
PER_ROW = 12
#: TT positions kept around the one the share of the block read points to
ROW_WINDOW = 5
#: a cell opening lower-case (the rest of a cell, not its start)
LOWER_START = 3.0
#: a column its row leaves empty
EMPTY_CELL = 4.0
#: a column whose lines contradict its width: a line wider than one that wrapped before a
#: shorter word, or a word that fitted where a line as wide went on
UNFIT_COST = 4.0
UNFIT_SLACK = 0.02
UNFIT_RAMP = 0.1
_BULLETS = frozenset("-+•–")
#: a fragment whose first word would have fitted on the column's line above (leaving this
#: share of the column free: printed widths are estimates)
WRAP_COST = 3.0
FIT_MARGIN = 0.08
#: a printed line cut after a fragment that leaves more than ``SHORT_SLACK`` of its column free
SHORT_COST = 3.0
SHORT_SLACK = 0.15
#: weight of a line's open ending ("–", ",", "của") for the cell going on
OPEN_WEIGHT = 1.0
#: weight of a cell's content cues for its column (owners, dates, budget phrases, ...)
CUE_WEIGHT = 1.0
#: a new paragraph inside a cell (a line that would have fitted on the one above, opening upper-case)
PARAGRAPH_COST = 0.5
#: a fragment wider than its column (share of the width allowed over)
OVER_COST = 5.0
OVER_SHARE = 0.08
#: weight of the language model's word association at cuts and continuations
ASSOC_WEIGHT = 0.6
#: a continuation fragment opening upper-case (a wrap rarely puts a capital first)
UPPER_CONT = 0.3
#: the TT entry of the rest of the page before's last row, at the top of a later page
CARRY = "~"
#: rounds of width estimation
ROUNDS = 3


@dataclass(frozen=True, slots=True)
class SharedReading:
    """Per TT entry (row number or group numeral) in order: a title's line index, or per column
    the line indices and texts of the row's cell fragments."""
    titles: dict[int, int]  # TT position -> line index of the group title
    cells: dict[int, dict[int, list[tuple[int, str]]]]  # TT position -> column -> [(line, text)]


class _Hyp:
    __slots__ = ("cost", "pos", "last", "present", "alive", "first", "cur", "lastword", "lastw", "curw",
                 "over", "events", "started", "carry", "widest", "bound")

    def __init__(self):
        self.cost = 0.0
        self.pos = -1  # TT position of the current row / title
        self.last = -1  # column of the last fragment in the current level
        self.present = 0  # columns with a fragment in the current level (bits)
        self.alive = 0  # columns whose cell may go on in this row (bits)
        self.first = True  # in the row's first level
        self.cur = -1  # column of the fragment being read
        self.lastword: tuple = ()  # per column: last word of its cell in this row, None: no cell
        self.lastw: tuple = ()  # per column: width of its last finished fragment
        self.curw = 0.0  # width of the fragment being read
        self.over = False  # the fragment being read is over its column's width
        self.events = None  # linked list (parent, event)
        self.started = 0  # columns with a cell in this row (bits)
        self.carry = False  # the row is the rest of the page before's last row ("~")
        self.widest: tuple = ()  # per column: its widest fragment so far
        self.bound: tuple = ()  # per column: the narrowest wrap so far (a line and the next one's first word)

    def copy(self) -> "_Hyp":
        h = _Hyp.__new__(_Hyp)
        for k in _Hyp.__slots__:
            setattr(h, k, getattr(self, k))
        return h

    def key(self):
        return (self.pos, self.last, self.present, self.alive, self.first, self.cur, self.lastword,
                round(self.curw), tuple(round(w) for w in self.lastw), self.started,
                tuple(round(w) for w in self.widest), tuple(round(w) for w in self.bound))


def _join_cost(a: str | None, b: str) -> float:
    """Cost of a column's cell going on from word ``a`` with word ``b`` (negative: they go together)."""
    return 0.0 if a is None else -ASSOC_WEIGHT * _association(a, b)


def _short_cost(h: "_Hyp", widths) -> float:
    """Cost of a printed line cut after a fragment far short of its column's width: pdftotext
    glues a fragment to the next column's only where little space is left between them."""
    full = widths[h.cur] if widths is not None else max(h.widest[h.cur], h.curw)
    slack = (full - h.curw) / full if full > 0 else 0.0
    return SHORT_COST * min(1.0, max(0.0, (slack - SHORT_SLACK) / SHORT_SLACK))


def _cut_cost(a: str, b: str) -> float:
    """Cost of a printed line cut between two words that go together."""
    return ASSOC_WEIGHT * max(0.0, _association(a, b))


def read_shared(lines: Sequence[str], idx: Sequence[int], roles: Sequence[str], marks: Sequence[str],
                mergeable: frozenset[int] = frozenset()) -> SharedReading | None:
    """Read the printed lines ``idx`` (indices into ``lines``) of a block shared by the columns
    ``roles`` (left to right), whose rows and group titles are ``marks`` (the TT column's
    entries on the page, in order); ``mergeable``: positions of columns whose cells may be
    merged over rows (printed once)."""
    ncols = len(roles)
    if not idx or not marks or ncols < 2:
        return None
    words = [lines[i].split() for i in idx]
    widths: tuple[float, ...] | None = None
    best = None
    for _ in range(ROUNDS):
        best = _decode(words, tuple(roles), marks, widths, mergeable)
        if best is None:
            return None
        widths = _widths(_fragments(best, idx, words), ncols)
    titles, cells = _rows(best, idx, words)
    return SharedReading(titles, cells)


def _widths(frags: dict[int, dict[int, list[tuple[int, str]]]], ncols: int) -> tuple[float, ...]:
    """Column widths from a reading: the widest fragment of each column no wider than the
    narrower wraps it shows (a line and the next one's first word, where the next goes on in
    lower case): a wrong fragment of a first reading does not widen its column."""
    seen: list[list[float]] = [[] for _ in range(ncols)]
    wraps: list[list[float]] = [[] for _ in range(ncols)]
    for cells in frags.values():
        for col, parts in cells.items():
            texts = [t for _, t in parts]
            seen[col].extend(_width(t) for t in texts)
            for a, b in zip(texts, texts[1:]):
                if _wraps(a.split()[-1], b.split()[0]):
                    wraps[col].append(_width(a) + _width(" " + b.split()[0]))
    out = []
    for col in range(ncols):
        if not seen[col]:
            out.append(1e9)
            continue
        bound = sorted(wraps[col])[len(wraps[col]) // 10] if wraps[col] else 1e9
        fitting = [w for w in seen[col] if w <= bound * (1 + UNFIT_SLACK)]
        out.append(max(fitting) if fitting else bound)
    return tuple(out)


def _decode(words: list[list[str]], roles: tuple[str, ...], marks: Sequence[str], widths,
            mergeable) -> _Hyp | None:
    ncols = len(roles)
    start = _Hyp()
    start.lastword = (None,) * ncols
    start.lastw = (0.0,) * ncols
    start.widest = (0.0,) * ncols
    start.bound = (1e9,) * ncols
    beam = [start]
    full = (1 << ncols) - 1
    total = sum(len(line) for line in words) or 1
    done = 0
    for n, line in enumerate(words):
        if not line:
            continue
        nxt: list[_Hyp] = []
        text = " ".join(line)
        for h in beam:
            h = _close_fragment(h)
            # the line as a group title
            if h.pos + 1 < len(marks) and _is_roman(marks[h.pos + 1]):
                t = _close_row(h, ncols, mergeable)
                t.pos += 1
                t.events = (t.events, ("title", n))
                t.first, t.alive, t.present, t.last, t.started, t.carry = True, 0, 0, -1, 0, False
                t.lastword = (None,) * ncols
                t.lastw = (0.0,) * ncols
                t.cost += 0.0 if line[0][:1].isupper() else LOWER_START
                nxt.append(t)
            # first word: same level, next level or next row
            for c in range(ncols):
                for mode in ("level", "next", "row", "skip"):
                    g = _open(h, c, mode, ncols, marks, mergeable, full)
                    if g is None:
                        continue
                    g = _start_fragment(g, c, line[0], text, widths, roles)
                    if g is not None:
                        g.events = (g.events, ("w", n, 0, c))
                        nxt.append(g)
        done += 1
        beam = _prune(nxt, len(marks) * done / total)
        for k in range(1, len(line)):
            word = line[k]
            nxt = []
            for h in beam:
                # go on the fragment
                g = h.copy()
                g.curw += _width(" " + word)
                if widths is not None and not g.over and g.curw > widths[g.cur] * (1 + OVER_SHARE) + 1:
                    g.over = True
                    g.cost += OVER_COST
                g.lastword = _set(g.lastword, g.cur, word)
                g.events = (g.events, ("w", n, k, g.cur))
                nxt.append(g)
                # cut: a fragment of a column further right (never right after a list dash)
                for c in range(h.cur + 1, ncols) if line[k - 1] not in _BULLETS else ():
                    if not (h.first or h.alive >> c & 1):
                        continue
                    g = _close_fragment(h.copy())
                    g.cost += _cut_cost(line[k - 1], word) + _short_cost(h, widths)
                    g.last = c
                    g.present |= 1 << c
                    g = _start_fragment(g, c, word, " ".join(line[k:]), widths, roles)
                    if g is not None:
                        g.events = (g.events, ("w", n, k, c))
                        nxt.append(g)
            done += 1
            beam = _prune(nxt, len(marks) * done / total)
        if not beam:
            return None
    ends = []
    for h in beam:
        h = _close_row(_close_fragment(h), ncols, mergeable)
        if h.pos == len(marks) - 1:
            ends.append(h)
    return min(ends, key=lambda h: h.cost) if ends else None


def _set(values: tuple, i: int, v) -> tuple:
    return values[:i] + (v,) + values[i + 1:]


def _open(h: _Hyp, c: int, mode: str, ncols: int, marks, mergeable, full: int) -> _Hyp | None:
    """The state after a printed line's first fragment opens in column ``c`` (mode: in the
    current level, in the next level, in the next row)."""
    if mode == "level":
        if h.pos < 0 or _is_roman(marks[h.pos]) or c <= h.last or not (h.first or h.alive >> c & 1):
            return None
        g = h.copy()
    elif mode == "next":
        if h.pos < 0 or _is_roman(marks[h.pos]) or h.last < 0:
            return None
        alive = h.present
        if not alive >> c & 1:
            return None
        g = h.copy()
        if h.first and not h.carry:
            g.cost += _empty_cost(h.present, ncols, mergeable)
        if h.carry:
            alive = (1 << ncols) - 1  # the rest of cells: any column goes on
        g.first, g.alive, g.present, g.last = False, alive, 0, -1
    else:
        # "skip": the page opens on a row of its own, not on the rest of the page before's
        step = 2 if mode == "skip" else 1
        if mode == "skip" and not (h.pos == -1 and marks[0] == CARRY):
            return None
        if h.pos + step >= len(marks) or _is_roman(marks[h.pos + step]):
            return None
        g = _close_row(h, ncols, mergeable)
        g.pos += step
        g.carry = marks[g.pos] == CARRY
        g.events = (g.events, ("row", g.pos))
        g.first, g.alive, g.present, g.last, g.started = True, full, 0, -1, 0
        g.lastword = (None,) * ncols
        g.lastw = (0.0,) * ncols
    g.last = c
    g.present |= 1 << c
    return g


def _empty_cost(present: int, ncols: int, mergeable) -> float:
    return sum(EMPTY_CELL * (0.2 if c in mergeable else 1.0) for c in range(ncols) if not present >> c & 1)


def _close_row(h: _Hyp, ncols: int, mergeable) -> _Hyp:
    g = h.copy()
    if g.pos >= 0 and g.first and not g.carry and not _is_roman_pos(g):
        g.cost += _empty_cost(g.present, ncols, mergeable)
    g.first = False
    return g


def _is_roman_pos(h: _Hyp) -> bool:
    return h.events is not None and h.events[1][0] == "title"


def _start_fragment(g: _Hyp, c: int, word: str, rest: str, widths, roles) -> _Hyp | None:
    """A fragment of column ``c`` opening with ``word`` (``rest``: the line from it on)."""
    if g.lastword[c] is None:
        if not g.first and not g.carry:
            return None  # cells are top-aligned: a cell opens in its row's first level only
        g.started |= 1 << c
        f = _features(rest)
        if not g.carry and (f["lower"] or word in _BULLETS):
            g.cost += LOWER_START
        g.cost += CUE_WEIGHT * role_cost(rest, roles[c])
    else:
        g.cost += _join_cost(g.lastword[c], word) + OPEN_WEIGHT * _open_end(g.lastword[c])
        if word[:1].isupper():
            g.cost += UPPER_CONT
        wrap = g.lastw[c] + _width(" " + word)
        if _wraps(g.lastword[c], word) and wrap < g.bound[c]:
            g.cost += _unfit(g.widest[c], wrap)  # the word fitted where a line as wide went on
            g.bound = _set(g.bound, c, wrap)
        if widths is not None and widths[c] - g.lastw[c] - _width(" " + word) >= max(1.0, FIT_MARGIN * widths[c]):
            # the word would have fitted above: no wrap -- or a new paragraph of the cell, which
            # opens upper-case or with a list dash
            g.cost += WRAP_COST if not (word[:1].isupper() or word in _BULLETS) else PARAGRAPH_COST
    g.cur = c
    g.curw = _width(word)
    g.over = False
    if widths is not None and g.curw > widths[c] * (1 + OVER_SHARE) + 1:
        g.over = True
        g.cost += OVER_COST
    g.lastword = _set(g.lastword, c, word)
    return g


def _unfit(widest: float, bound: float) -> float:
    """Cost of a column whose widest line is ``widest`` wide while a line wrapped before a word
    that would have made it ``bound`` wide: graded, printed widths being estimates."""
    over = widest / bound - 1.0 - UNFIT_SLACK
    return UNFIT_COST * min(1.0, max(0.0, over / UNFIT_RAMP))


def _wraps(last: str, word: str) -> bool:
    """Whether a line ending ``last`` and the next opening ``word`` are one paragraph wrapped
    (a lower-case word after a line not ending a sentence), not a new paragraph of the cell."""
    return word[:1].islower() and last[-1:] not in ".:;"


def _close_fragment(h: _Hyp) -> _Hyp:
    if h.cur < 0:
        return h
    g = h.copy()
    g.lastw = _set(g.lastw, g.cur, g.curw)
    if g.curw > g.widest[g.cur]:
        # wider than a line of the column that wrapped before a shorter word
        g.cost += _unfit(g.curw, g.bound[g.cur]) - _unfit(g.widest[g.cur], g.bound[g.cur])
        g.widest = _set(g.widest, g.cur, g.curw)
    g.cur = -1
    g.curw = 0.0
    return g


def _prune(hyps: list[_Hyp], expected: float) -> list[_Hyp]:
    """The best :data:`PER_ROW` hypotheses of every TT position near ``expected`` (the position
    the share of the block read so far points to): local costs favour going on a cell over
    opening the next row, so rows are kept apart in the beam."""
    best: dict = {}
    for h in hyps:
        if abs(h.pos - expected) > ROW_WINDOW:
            continue
        k = h.key()
        if k not in best or h.cost < best[k].cost:
            best[k] = h
    by_pos: dict[int, list[_Hyp]] = {}
    for h in sorted(best.values(), key=lambda h: h.cost):
        kept = by_pos.setdefault(h.pos, [])
        if len(kept) < PER_ROW:
            kept.append(h)
    return [h for kept in by_pos.values() for h in kept]


def _events(h: _Hyp) -> list[tuple]:
    out = []
    e = h.events
    while e is not None:
        e, ev = e
        out.append(ev)
    return out[::-1]


def _fragments(h: _Hyp, idx: Sequence[int], words) -> dict[int, dict[int, list[tuple[int, str]]]]:
    """TT position -> column -> [(line index, fragment text)]."""
    out: dict[int, dict[int, list[tuple[int, str]]]] = {}
    pos = -1
    cur: tuple[int, int] | None = None
    for ev in _events(h):
        if ev[0] == "row":
            pos = ev[1]
            out[pos] = {}
            cur = None
        elif ev[0] == "title":
            pos += 1
            cur = None
        else:
            _, n, k, c = ev
            parts = out.setdefault(pos, {}).setdefault(c, [])
            if cur == (n, c) and parts:
                line, text = parts[-1]
                parts[-1] = (line, text + " " + words[n][k])
            else:
                parts.append((idx[n], words[n][k]))
            cur = (n, c)
    return out


def _rows(h: _Hyp, idx: Sequence[int], words):
    titles: dict[int, int] = {}
    pos = -1
    for ev in _events(h):
        if ev[0] == "row":
            pos = ev[1]
        elif ev[0] == "title":
            pos += 1
            titles[pos] = idx[ev[1]]
    return titles, _fragments(h, idx, words)
