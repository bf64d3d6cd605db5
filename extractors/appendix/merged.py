"""Merged outline cells of cell-line tables: a Mục tiêu / Nhiệm vụ head printed once covers a block of rows;
spilled fragments are re-attached and the covered rows chosen to fit Word's vertical centring."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractors.appendix.text import _fold, _join_text
from extractors.appendix.vocab import _HEAD_RES, _INF

if TYPE_CHECKING:
    from extractors.appendix.rows import _RowAcc


_PAD = 0.8  # cell padding in line units (top + bottom), for row heights


@dataclass(slots=True)
class _Head:
    """A merged cell as printed: where its text starts and how far its fragments reach."""

    row: int  # row whose band holds the first line of the text
    last: int  # last row whose band holds a fragment of it
    lines: int  # printed lines in total
    first_lines: int  # printed lines in the first row


def _looks_like_head(text: str, col: str, headed: bool) -> bool:
    if headed:
        return bool(dict(_HEAD_RES)[col].match(_fold(text).strip()))
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and first.isupper()


def _resolve_merged(rows: list[_RowAcc], texts: list[dict[str, str]], merged: list[str]) -> None:
    n = len(rows)
    # Row heights in line units: the tallest fragment printed inside the row's band (merged
    # fragments included: they lie inside the band too, so they bound its height from below).
    heights = [max((len({ln for ln, _ in fr}) for fr in r.cells.values()), default=1) + _PAD for r in rows]
    spans: list[tuple[int, int]] = []  # groups: merged cells never cross a group row
    s = 0
    for k in range(1, n + 1):
        if k == n or rows[k].chunk != rows[s].chunk:
            spans.append((s, k))
            s = k
    heads: dict[str, list[_Head]] = {}
    for col in merged:
        nonempty = [t[col] for t in texts if t[col]]
        headed = bool(nonempty) and 2 * sum(_looks_like_head(x, col, True) for x in nonempty) >= len(nonempty)
        heads[col] = []
        for g0, g1 in spans:
            cur: _Head | None = None
            for k in range(g0, g1):
                txt = texts[k][col]
                if not txt:
                    continue
                nl = len({ln for ln, _ in rows[k].cells.get(col, [])})
                if cur is None or _looks_like_head(txt, col, headed):
                    cur = _Head(k, k, nl, nl)
                    heads[col].append(cur)
                else:
                    # A fragment without a head: the merged cell's text spilled into this row.
                    texts[cur.row][col] = _join_text([texts[cur.row][col], txt])
                    texts[k][col] = ""
                    cur.last = k
                    cur.lines += nl
    # Top-aligned merged cells print at the first row they cover, so every group would open
    # with a head; otherwise the text is vertically centred and the spans must be inferred.
    top_aligned = all(
        any(h.row == g0 for h in heads[col]) or not any(g0 <= h.row < g1 for h in heads[col])
        for g0, g1 in spans
        for col in merged
    )
    for g0, g1 in spans:
        per_col = {col: [h for h in heads[col] if g0 <= h.row < g1] for col in merged}
        if top_aligned:
            owner = {col: _fill_down(per_col[col], g0, g1) for col in merged}
        else:
            owner = _centred_spans(heights, g0, g1, [per_col[c] for c in merged])
            owner = dict(zip(merged, owner))
        for col in merged:
            src_text = {h.row: texts[h.row][col] for h in per_col[col]}
            for k in range(g0, g1):
                src = owner[col].get(k)
                texts[k][col] = src_text[src] if src is not None else ""


def _fill_down(hs: list[_Head], g0: int, g1: int) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    cur = None
    starts = {h.row for h in hs}
    for k in range(g0, g1):
        if k in starts:
            cur = k
        out[k] = cur
    return out


def _centred_spans(
    heights: list[float], g0: int, g1: int, levels: list[list[_Head]]
) -> list[dict[int, int | None]]:
    """Rows covered by each head, for one or two nested levels of vertically centred cells.

    A centred merged cell covering rows s..e starts its text at
    top(s) + (height(s..e) - text height) / 2, and that first line must fall inside the band of
    the row where the text was printed (entirely, when the text is not split across rows).  The
    cost of an interval is how far that prediction misses; heads of one level partition the
    group's rows into contiguous intervals, and for two levels the outer intervals must be
    unions of inner ones, so the outer partition is chosen with the inner partition of each
    candidate interval as part of its cost.
    """
    T = [0.0]
    for k in range(g0, g1):
        T.append(T[-1] + heights[k])

    def geo_cost(s: int, e: int, h: _Head) -> float:
        top = T[s - g0]
        span = T[e + 1 - g0] - top
        y = top + max(0.0, (span - h.lines) / 2.0)
        row_top = T[h.row - g0] + _PAD / 2
        row_bot = T[h.row + 1 - g0] - _PAD / 2
        if h.last == h.row:
            lo, hi = row_top, max(row_top, row_bot - h.lines)
        else:  # the text runs on into the next row: its first line sits k lines above the edge
            lo = hi = max(row_top, row_bot - h.first_lines)
        miss = lo - y if y < lo else (y - hi if y > hi else 0.0)
        # Tie-break towards the interval that puts the text most comfortably inside its row.
        return miss + 0.05 * abs(y - (lo + hi) / 2.0)

    def partition(hs: list[_Head], a: int, b: int, extra=None) -> tuple[float, list[int]]:
        """Best split of rows a..b-1 among heads hs: (cost, last row of each interval)."""
        m = len(hs)
        if m == 0:
            return 0.0, []
        if hs[0].row < a or hs[-1].last >= b:
            return _INF, []
        best: dict[int, tuple[float, list[int]]] = {a - 1: (0.0, [])}
        for i, h in enumerate(hs):
            nxt_row = hs[i + 1].row if i + 1 < m else b
            ends = range(h.last, nxt_row) if i + 1 < m else range(b - 1, b)
            new: dict[int, tuple[float, list[int]]] = {}
            for prev_end, (c0, bounds) in best.items():
                st = prev_end + 1
                if st > h.row:
                    continue
                for e in ends:
                    c = c0 + geo_cost(st, e, h)
                    if extra is not None:
                        c += extra(st, e)
                    if c < new.get(e, (_INF,))[0]:
                        new[e] = (c, bounds + [e])
            best = new
        if not best:
            return _INF, []
        return min(best.values(), key=lambda v: v[0])

    def mapping(hs: list[_Head], bounds: list[int], a: int, b: int) -> dict[int, int | None]:
        out: dict[int, int | None] = {k: None for k in range(a, b)}
        st = a
        for h, e in zip(hs, bounds):
            for k in range(st, e + 1):
                out[k] = h.row
            st = e + 1
        return out

    if len(levels) == 1 or not levels[0]:
        results = [{k: None for k in range(g0, g1)} for _ in levels]
        lv = 0 if len(levels) == 1 else 1
        cost, bounds = partition(levels[lv], g0, g1)
        if bounds:
            results[lv] = mapping(levels[lv], bounds, g0, g1)
        return results
    outer, inner = levels[0], levels[1]
    memo: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def inner_cost(st: int, e: int) -> float:
        key = (st, e)
        if key not in memo:
            hs = [h for h in inner if st <= h.row <= e]
            if not hs and inner:
                memo[key] = (3.0, [])  # an objective whose rows get no task at all
            else:
                memo[key] = partition(hs, st, e + 1)
        return memo[key][0]

    _, obounds = partition(outer, g0, g1, extra=inner_cost)
    if not obounds:
        # Inconsistent prints: fall back to partitioning each level on its own.
        res = []
        for hs in levels:
            _, bd = partition(hs, g0, g1)
            res.append(mapping(hs, bd, g0, g1) if bd else {k: None for k in range(g0, g1)})
        return res
    omap = mapping(outer, obounds, g0, g1)
    imap: dict[int, int | None] = {k: None for k in range(g0, g1)}
    st = g0
    for e in obounds:
        hs = [h for h in inner if st <= h.row <= e]
        _, bd = memo.get((st, e)) or partition(hs, st, e + 1)
        if bd:
            imap.update(mapping(hs, bd, st, e + 1))
        st = e + 1
    return [omap, imap]
