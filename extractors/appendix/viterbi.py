"""Cell-line layout, the search: a Viterbi pass assigns every piece a column (columns only move right inside
a row; a piece continues a cell, opens a later one, opens a new row, or resumes a cell after a page break)."""

from __future__ import annotations

import math

from extractors.appendix.vocab import _INF, _KIND, _NUM_RE
from extractors.appendix.cues import _Item, _Params, _Part


# Transition costs, on the same rough negative-log-odds scale as the emission costs above.
# They are priors only; what varies between dumps (fill rates, column widths, blank-line
# habits, recurring cell wording) is re-estimated per table after the first decoding.
_T_ADV = 0.3  # open the next cell of the same row
_T_NEW = 1.5  # open a new row
_T_PCONT = 0.8  # after a page break, resume a cell of the interrupted row
_T_SPLIT = 1.0  # two cells glued onto one line
_ROWNO_MISSING = 3.0  # a row opening without its printed number


def _decode_chunk(items: list[_Item], prm: _Params) -> list[list[tuple[_Part, int, str]]]:
    """Viterbi over one chunk (between group rows). Returns, per item, [(part, col, move)].

    The state is (column of the last piece, whether the last line was cut in two).  The flag
    exists because text extractors break their block structure after gluing two cells onto one
    line: the blank-line cue is unreliable right after such a line.
    """
    C = len(prm.cols)
    INF = _INF
    empty = [-math.log(max(0.03, 1.0 - f)) for f in prm.fill]
    # Of two adjacent columns of the same kind (lead, support) a single filled cell is the first.
    for c in range(C - 1):
        if _KIND[prm.cols[c]] == _KIND[prm.cols[c + 1]]:
            empty[c] += 0.5
    # Leading empties of a row (columns before the first filled one); a missing row number is
    # penalised separately because row numbers are a strong structural cue when present.
    lead_skip = [0.0] * C
    acc = 0.0
    for c in range(C):
        lead_skip[c] = acc
        if prm.cols[c] == "row_no":
            acc += _ROWNO_MISSING if prm.has_row_no else 0.0
        else:
            acc += empty[c]
    pre = [0.0] * (C + 1)  # pre[b] - pre[a+1] = cost of columns a+1..b-1 being empty
    for c in range(C):
        pre[c + 1] = pre[c] + empty[c]
    trail = [pre[C] - pre[c + 1] for c in range(C)]  # columns after c empty
    fill_cost = [-math.log(max(0.03, f)) for f in prm.fill]
    cols_range = range(C)

    V: list[list[float]] | None = None
    history: list[tuple[list, list[list[int]]]] = []
    for it in items:
        g = 1 if it.gap else 0
        o = 1 if it.open_before < 0 else 0
        gstay0, gstay1 = prm.gapc[0][o][0][g], prm.gapc[1][o][0][g]
        gchg0, gchg1 = prm.gapc[0][o][1][g], prm.gapc[1][o][1][g]
        open_b = it.open_before
        # Per-item entry costs that do not depend on the piece: the best way to continue cell c
        # (stay), to open cell c (advance within the row or start a new row) and, after a page
        # break, to resume cell c of the interrupted row.
        if V is not None:
            V0, V1 = V
            wraps = prm.wrapw
            wrap_on = not it.prev_colon and open_b > -1.0
            need0 = it.prev_len + 1 + it.first_word
            need1 = it.prev_len_split + 1 + it.first_word
            # Opening a new cell right after a line that ends "open" (comma, hyphen, "của") is
            # unlikely; the mirror image of the continuation bonus.
            open_pen = -0.5 * open_b
            stay_best = [INF] * C
            stay_s = [0] * C
            Vm = [0.0] * C
            Vs = [0] * C
            for c in cols_range:
                w = wraps[c]
                v0 = V0[c] + gstay0 + open_b
                v1 = V1[c] + gstay1 + open_b
                if wrap_on and w is not None:
                    # Wrap cue: a line followed by more of the same cell was broken because the
                    # next word did not fit, so it is (nearly) as wide as the column.
                    if need0 < 0.6 * w:
                        v0 += 1.0
                    if need1 < 0.6 * w:
                        v1 += 1.0
                if v0 <= v1:
                    stay_best[c], stay_s[c] = v0, 0
                else:
                    stay_best[c], stay_s[c] = v1, 1
                a0, a1 = V0[c] + gchg0 + open_pen, V1[c] + gchg1 + open_pen
                if a0 <= a1:
                    Vm[c], Vs[c] = a0, 0
                else:
                    Vm[c], Vs[c] = a1, 1
            suf = [INF] * (C + 1)
            sufarg = [-1] * (C + 1)
            for j in range(C - 1, -1, -1):
                val = Vm[j] + trail[j]
                if val < suf[j + 1]:
                    suf[j], sufarg[j] = val, j
                else:
                    suf[j], sufarg[j] = suf[j + 1], sufarg[j + 1]
            open_best = [INF] * C
            open_back: list[tuple[int, int, str]] = [(-1, 0, "")] * C
            run, runarg = INF, -1
            for c in cols_range:
                if run < INF:
                    val = run + pre[c] + _T_ADV
                    open_best[c] = val
                    open_back[c] = (runarg, Vs[runarg], "adv")
                if suf[c] < INF:
                    val = suf[c] + _T_NEW + lead_skip[c]
                    if val < open_best[c]:
                        j = sufarg[c]
                        open_best[c] = val
                        open_back[c] = (j, Vs[j], "new")
                val = Vm[c] - pre[c + 1]
                if val < run:
                    run, runarg = val, c
            resumes = it.page_break and not _NUM_RE.match(it.text)  # a lone number opens a row
            if resumes:
                j0 = sufarg[0]
                pc_best = [suf[0] - trail[c] + _T_PCONT + fill_cost[c] for c in cols_range]
                pc_back = (j0, Vs[j0], "pcont")
        nV = [[INF] * C, [INF] * C]
        nB = [[-1] * C, [-1] * C]
        opt_info = []
        for oi, opt in enumerate(it.options):
            p0 = opt[0]
            start0, cont0 = p0.start, p0.cont
            cur = [INF] * C
            entry: list[tuple[int, int, str]] = [(-1, 0, "")] * C
            if V is None:
                for c in cols_range:
                    cur[c] = lead_skip[c] + start0[c]
                    entry[c] = (-1, 0, "new")
            else:
                for c in cols_range:
                    cc = cont0[c]
                    best = stay_best[c] + cc
                    be = (c, stay_s[c], "stay")
                    val = open_best[c] + start0[c]
                    if val < best:
                        best, be = val, open_back[c]
                    if resumes:
                        # Resuming cell c of the row interrupted by the page break: its later
                        # columns were printed before the break, so the trailing "empty
                        # columns" cost is settled as it would have been at the break.
                        val = pc_best[c] + cc
                        if val < best:
                            best, be = val, pc_back
                    cur[c] = best
                    entry[c] = be
            chains = []
            for left, p in zip(opt, opt[1:]):
                nxt = [INF] * C
                nb = [-1] * C
                run, runarg = INF, -1
                # Later cuts are slightly preferred: the right-hand cell only holds its first line.
                prior = _T_SPLIT + p.prior + 0.02 * p.feats["len"]
                if left.feats["open_end"] < 0:
                    prior += 1.5  # "chuyên môn, | TTPVHCC": a comma does not end a cell
                pst = p.start
                for c in cols_range:
                    if run < INF:
                        nxt[c] = run + pre[c] + prior + pst[c]
                        nb[c] = runarg
                    val = cur[c] - pre[c + 1]
                    if val < run:
                        run, runarg = val, c
                cur = nxt
                chains.append(nb)
            opt_info.append((entry, chains))
            sflag = 1 if len(opt) > 1 else 0
            row, brow = nV[sflag], nB[sflag]
            for c in cols_range:
                if cur[c] < row[c]:
                    row[c] = cur[c]
                    brow[c] = oi
        V = nV
        history.append((opt_info, nB))
    if V is None:
        return []
    best, c, sflag = INF, -1, 0
    for sf in (0, 1):
        for k in cols_range:
            val = V[sf][k] + trail[k]
            if val < best:
                best, c, sflag = val, k, sf
    if c < 0 or best >= INF:
        return []
    out: list[list[tuple[_Part, int, str]]] = []
    for idx in range(len(items) - 1, -1, -1):
        opt_info, nB = history[idx]
        oi = nB[sflag][c]
        if oi < 0:
            return []
        entry, chains = opt_info[oi]
        opt = items[idx].options[oi]
        cols_in = [c]
        cc = c
        for nb in reversed(chains):
            cc = nb[cc]
            cols_in.append(cc)
        cols_in.reverse()
        j, sj, mv = entry[cc]
        moves = [mv] + ["split"] * (len(opt) - 1)
        out.append([(opt[k], cols_in[k], moves[k]) for k in range(len(opt))])
        c, sflag = j, sj
    out.reverse()
    return out
