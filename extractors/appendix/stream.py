"""Decoding a cell-line region: the stream of pieces with page breaks and group rows marked, the columns
inferred when no header names them, two decoding passes (the second with costs re-estimated from the
first), and the rows accumulated."""

from __future__ import annotations

import math
import re

from extractors.appendix.model import AppendixTable, CANONICAL_COLUMNS
from extractors.appendix.text import _HYPHEN_END_RE, _collapse, _fold, _is_roman
from extractors.appendix.vocab import _GROUP_RE, _HEAD_SEARCH_RE, _NUM_RE, _OUTLINE
from extractors.appendix.prepare import _Doc
from extractors.appendix.cues import _Item, _Params, _Part, _make_options, _open_end, _score_parts
from extractors.appendix.viterbi import _decode_chunk
from extractors.appendix.locate import _Region
from extractors.appendix.rows import _RowAcc, _finish_rows


_LONE_ROMAN_RE = re.compile(r"^\s*([IVXL]{1,6})\s*[.)]?\s*$")


def _is_upper_title(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and not any(ch.isdigit() for ch in text)


def _group_marker(raw: str) -> tuple[str, str] | None:
    m = _GROUP_RE.match(raw)
    if not m or not _is_roman(m.group(1)):
        return None
    title = m.group(2).strip(" |")
    f = _fold(title)
    if not title or not title[0].isalpha() or _HEAD_SEARCH_RE.match(f):
        return None
    return m.group(1), _collapse(title)


def _build_stream(doc: _Doc, reg: _Region) -> tuple[list[list[_Item]], list[tuple[str, str] | None]]:
    """Split the region into chunks of items (one per non-blank line) separated by group rows.

    Header blocks, page numbers and form feeds are dropped and turn into a page-break flag on
    the next item; blank lines turn into its gap flag.
    """
    header_lines: set[int] = set()
    header_starts: set[int] = set()
    for s, e in reg.headers:
        header_starts.add(s)
        header_lines.update(range(s, e))
    n = reg.end
    nonblank = [i for i in range(reg.start, n) if not doc.blank[i] and i not in header_lines]
    # Page numbers: a lone number followed by a repeated header (or ending the region).
    page_num: set[int] = set()
    for k, i in enumerate(nonblank):
        if _NUM_RE.match(doc.fold[i].strip()):
            nxt_line = i + 1
            while nxt_line < n and doc.blank[nxt_line]:
                nxt_line += 1
            if nxt_line in header_starts or nxt_line >= n:
                page_num.add(i)
    form_feeds = {i for i in doc.form_feeds if reg.start < i < n}
    paged = bool(reg.headers) or bool(page_num) or bool(form_feeds)
    chunks: list[list[_Item]] = [[]]
    groups: list[tuple[str, str] | None] = [None]
    page = 1 if paged else None
    feat_cache: dict[str, dict] = {}
    pending_break = False
    gap = False
    prev_text = ""
    consumed: set[int] = set()  # title lines already taken into a group row

    def next_line(i: int) -> int:
        j = i + 1
        while j < n and (doc.blank[j] or j in header_lines or j in page_num):
            j += 1
        return j

    for i in range(reg.start, n):
        if i in form_feeds:
            pending_break = True
            if not reg.headers:  # with printed headers, the repeated header counts the page
                page = (page or 1) + 1
        if i in consumed:
            continue
        if i in header_lines:
            if i in header_starts and i != reg.headers[0][0]:
                page = (page or 1) + 1
                pending_break = True
            continue
        if doc.blank[i]:
            gap = True
            continue
        if i in page_num:
            pending_break = True
            if not reg.headers and not form_feeds:
                page = (page or 1) + 1
            continue
        raw = doc.raw[i]
        gm = _group_marker(raw)
        lone = _LONE_ROMAN_RE.match(raw)
        if gm is None and lone and _is_roman(lone.group(1)):
            # "II" alone, its title on the next line (cell by cell dumps)
            j = next_line(i)
            if j < n and doc.raw[j].strip()[:1].isalpha() and not _HEAD_SEARCH_RE.match(doc.fold[j].strip()):
                gm = (lone.group(1), _collapse(doc.raw[j]))
                consumed.add(j)
        if gm is not None and _is_upper_title(gm[1]):
            # An upper-case title wrapped over several lines: "CẢI CÁCH TÀI CHÍNH" / "CÔNG".
            j = next_line(max([i] + sorted(consumed)))
            while j < n and _is_upper_title(doc.raw[j]) and _group_marker(doc.raw[j]) is None:
                gm = (gm[0], gm[1] + " " + _collapse(doc.raw[j]))
                consumed.add(j)
                j = next_line(j)
        if gm is not None:
            chunks.append([])
            groups.append(gm)
            gap, pending_break, prev_text = False, False, ""
            continue
        first = raw.split()
        it = _Item(
            line=i,
            text=raw.strip(),
            gap=gap,
            page_break=pending_break,
            page=page,
            hyphen_before=bool(_HYPHEN_END_RE.search(prev_text)),
            open_before=_open_end(prev_text) if prev_text else 0.0,
            prev_len=len(prev_text.strip()),
            prev_colon=prev_text.rstrip().endswith(":"),
            first_word=len(first[0]) if first else 0,
        )
        it.options = _make_options(i, raw, feat_cache)
        if chunks[-1]:
            prev_it = chunks[-1][-1]
            it.prev_len_split = len(prev_it.options[1][-1].text) if len(prev_it.options) > 1 else it.prev_len
        chunks[-1].append(it)
        gap, pending_break = False, False
        prev_text = raw.rstrip()
    return chunks, groups


def _infer_columns(chunks: list[list[_Item]]) -> tuple[str, ...]:
    """Column set and order of a headerless table, from cues on cell-opening lines."""
    counts = {c: 0 for c in CANONICAL_COLUMNS}
    positions: dict[str, list[float]] = {c: [] for c in ("product", "owner", "date", "budget")}
    owner_pairs = 0
    row_items: list[list[_Item]] = []
    for ch in chunks:
        cur: list[_Item] = []
        for it in ch:
            ft = it.options[0][0].feats
            if ft["num"] or ft["lead_num"]:
                if cur:
                    row_items.append(cur)
                cur = [it]
            else:
                cur.append(it)
        if cur:
            row_items.append(cur)
    for row in row_items:
        seq: list[str] = []
        for it in row:
            for p in it.options[-1] if len(it.options) > 1 else it.options[0]:
                ft = p.feats
                if ft["num"]:
                    counts["row_no"] += 1
                    continue
                if ft["head"]:
                    counts[ft["head"]] += 1
                    continue
                if it.gap or p is not it.options[0][0] or not ft["lower"]:
                    if ft["owner"]:
                        seq.append("owner")
                    elif ft["budget"] and not ft["date"]:
                        seq.append("budget")
                    elif ft["date"]:
                        seq.append("date")
                    elif ft["product"]:
                        seq.append("product")
        # positions of typed cells relative to each other within the row
        if seq:
            for k, kind in enumerate(seq):
                positions[kind].append(k / max(1, len(seq) - 1))
            owner_pairs += sum(1 for a, b in zip(seq, seq[1:]) if a == b == "owner")
    cols: list[str] = []
    if counts["row_no"] >= 2:
        cols.append("row_no")
    outline = [c for c in _OUTLINE if counts[c] >= 2]
    cols.extend(outline or ["task"])
    kinds_present = []
    for kind, need in (("product", 3), ("owner", 3), ("date", 2), ("budget", 2)):
        if len(positions[kind]) >= need:
            kinds_present.append(kind)
    # Canonical order, except where the typed cells clearly come in another order in the rows
    # (mean relative position differs by more than 0.15): swap such neighbours.
    mean = {k: sum(positions[k]) / len(positions[k]) for k in kinds_present}
    changed = True
    while changed:
        changed = False
        for i in range(len(kinds_present) - 1):
            a, b = kinds_present[i], kinds_present[i + 1]
            if mean[b] + 0.15 < mean[a]:
                kinds_present[i], kinds_present[i + 1] = b, a
                changed = True
    for kind in kinds_present:
        if kind == "owner":
            cols.append("lead")
            if owner_pairs >= 2:
                cols.append("support")
        elif kind == "date":
            cols.append("deadline")
        else:
            cols.append(kind)
    return tuple(cols)


_Path = list[list[tuple[_Part, int, str]]]  # per item: (piece, column, move)


def _estimate(paths: list[_Path], chunks: list[list[_Item]], prm: _Params) -> _Params:
    """Re-estimate fill rates, column widths and blank-line statistics from a decoding."""
    C = len(prm.cols)
    rows = 0
    filled = [0] * C
    lens: list[list[int]] = [[] for _ in range(C)]
    seen: dict[str, list[int]] = {}
    wrapped: list[list[int]] = [[] for _ in range(C)]  # lengths of lines followed by more of the cell
    # counts[s][o][m][g]
    counts = [[[[0, 0], [0, 0]] for _o in (0, 1)] for _s in (0, 1)]
    for chunk, path in zip(chunks, paths):
        row_cols: set[int] = set()
        prev_split: int | None = None
        prev: tuple[_Part, int] | None = None
        for it, parts in zip(chunk, path):
            for k, (p, c, mv) in enumerate(parts):
                if mv == "new":
                    if row_cols:
                        rows += 1
                        for cc in row_cols:
                            filled[cc] += 1
                    row_cols = set()
                row_cols.add(c)
                lens[c].append(len(p.text))
                key = p.feats["key"]
                if len(key) >= 2 and not p.feats["num"]:
                    seen.setdefault(key, [0] * C)[c] += 1
                if k == 0 and mv == "stay" and prev is not None and prev[1] == c:
                    if not prev[0].text.rstrip().endswith((":", "-")):
                        wrapped[c].append(len(prev[0].text))
                prev = (p, c)
                if k == 0 and mv in ("stay", "adv", "new") and prev_split is not None:
                    o = 1 if it.open_before < 0 else 0
                    counts[prev_split][o][0 if mv == "stay" else 1][1 if it.gap else 0] += 1
            prev_split = 1 if len(parts) > 1 else 0
        if row_cols:
            rows += 1
            for cc in row_cols:
                filled[cc] += 1
    fill = list(prm.fill)
    if rows >= 3:
        for c in range(C):
            # Smoothed towards the prior so one decoding cannot lock a column out.
            fill[c] = (filled[c] + 2 * prm.fill[c]) / (rows + 2)
            # Capped: a column that is nearly always filled must not pull text out of its
            # neighbours just to avoid being empty.
            fill[c] = min(0.85, max(0.05, fill[c]))
    width: list[float | None] = [None] * C
    wrapw: list[float | None] = [None] * C
    for c in range(C):
        if prm.cols[c] == "row_no":
            continue
        if len(lens[c]) >= 4:
            s = sorted(lens[c])
            # 75th percentile: robust to the few lines where two cells were glued together.
            width[c] = float(s[int(0.75 * (len(s) - 1))]) * 1.2 + 2
        if len(wrapped[c]) >= 5:
            s = sorted(wrapped[c])
            wrapw[c] = float(s[len(s) // 2])
    new = _Params(prm.cols, prm.headed, fill, width, wrapw, has_row_no=prm.has_row_no)
    for key, cnt in seen.items():
        tot = sum(cnt)
        if tot >= 3:
            # log-odds against a uniform column, damped; only ever a nudge.
            new.linevocab[key] = [-0.5 * math.log((cnt[c] + 0.5) / (tot + 0.5 * C) * C) for c in range(C)]
    # Blank-line statistics, each condition smoothed towards the pooled estimate.
    pooled = [[0, 0], [0, 0]]
    for sf in (0, 1):
        for o in (0, 1):
            for m in (0, 1):
                for g in (0, 1):
                    pooled[m][g] += counts[sf][o][m][g]
    if sum(pooled[0]) >= 5 and sum(pooled[1]) >= 5:
        p_pool = [(pooled[m][1] + 1) / (sum(pooled[m]) + 2) for m in (0, 1)]
        table = []
        for sf in (0, 1):
            per_o = []
            for o in (0, 1):
                per_m = []
                for m in (0, 1):
                    n_gap, n = counts[sf][o][m][1], sum(counts[sf][o][m])
                    p = (n_gap + 4 * p_pool[m]) / (n + 4)
                    per_m.append((-math.log(1 - p), -math.log(p)))
                per_o.append(tuple(per_m))
            table.append(tuple(per_o))
        new.gapc = tuple(table)
    return new


def _initial_params(cols: tuple[str, ...], chunks: list[list[_Item]]) -> _Params:
    head_counts = {c: 0 for c in _OUTLINE}
    nums = 0
    for ch in chunks:
        for it in ch:
            for p in it.options[-1]:
                if p.feats["head"]:
                    head_counts[p.feats["head"]] += 1
                if p.feats["num"]:
                    nums += 1
    headed = frozenset(c for c, k in head_counts.items() if k >= 2 and c in cols)
    outline_present = [c for c in _OUTLINE if c in cols]
    fill = []
    for c in cols:
        if c == "row_no":
            f = 0.9
        elif c == "note":
            f = 0.3
        elif c == "budget":
            f = 0.5
        elif c in outline_present[:-1] and c in headed:
            f = 0.4  # merged outline cells are printed once for several rows
        elif c == "support":
            f = 0.7  # with a single owner cell, it is the lead
        else:
            f = 0.8
        fill.append(f)
    return _Params(
        cols, headed, fill, [None] * len(cols), [None] * len(cols),
        has_row_no=("row_no" in cols and nums >= 2),
    )


def _decode_region(doc: _Doc, reg: _Region) -> AppendixTable | None:
    chunks, groups = _build_stream(doc, reg)
    if not any(chunks):
        return None
    cols = reg.cols if reg.cols is not None else _infer_columns(chunks)
    prm = _initial_params(cols, chunks)
    _score_parts([it for ch in chunks for it in ch], prm)
    paths = [_decode_chunk(ch, prm) for ch in chunks]
    prm = _estimate(paths, chunks, prm)
    _score_parts([it for ch in chunks for it in ch], prm)
    paths = [_decode_chunk(ch, prm) for ch in chunks]
    rows: list[_RowAcc] = []
    for ci, (chunk, path, grp) in enumerate(zip(chunks, paths, groups)):
        g = grp if grp is not None else (None, None)
        cur: _RowAcc | None = None
        for it, parts in zip(chunk, path):
            for p, c, mv in parts:
                if mv == "new" or cur is None:
                    cur = _RowAcc(group=g, page=it.page, chunk=ci)
                    rows.append(cur)
                cur.cells.setdefault(cols[c], []).append((p.line, p.text))
                cur.lines.append(p.line)
    if not rows:
        return None
    out = _finish_rows(rows, cols)
    if not out:
        return None
    header_line = reg.header_line + 1 if reg.header_line is not None else None
    return AppendixTable(columns=cols, header_line=header_line, rows=tuple(out))
