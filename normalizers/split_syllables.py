"""Join syllables that PDF text extraction split with a space ("t ỉnh Lâm Đ ồng" -> "tỉnh Lâm Đồng").

pdftotext (and at times pdfplumber) puts a space inside about 3.6 % of the syllables of
Word-made PDFs, mostly before a vowel drawn with a tone mark ("t ỉnh", "K ế", "ho ạch",
"đi ện"), sometimes twice ("c h ương"); a dump that lost its diacritics shows the same as
"t inh", "K e ho ach".

A run of two or three letter tokens one space apart is a *candidate* when

* the run joined is an attested, well-formed syllable (``tỉnh``, ``tinh``) written in
  lower case, capitalised or all capitals;
* the run is no roman numeral ("V I"), no list marker ("b a)"), no initial ("H.") and no
  part of a URL or file name ("đi học", "Hà Nội", "2021 2025", "UBND xã" never join into
  a syllable in the first place).

The syllable LM (:mod:`normalizers.diacritics`) then decides: the joined reading is kept
when its best path (diacritics of ASCII tokens chosen by Viterbi) scores better than the
split reading in a window of three tokens either side, by :data:`MARGIN` nats; a
fragment that is not in the vocabulary costs :data:`UNK_PENALTY` (the LM's ``<unk>``
stands for many words).

A run whose fragments could all stand alone (well-formed syllables or single letters
seen :data:`PLAUSIBLE_COUNT` times: "va o" = "và ở" or "vào", "tu ong" = "từ ống" or
"tương") is *risky*: it needs :data:`RISKY_MARGIN` nats, and only in a text that shows
splits elsewhere (safe joins -- a fragment that is no word: "t ỉnh", "kh ông", "ho ạch" --
for at least :data:`EVIDENCE_SHARE` of its words), so correct text stays as it is.
Overlapping winners keep the largest total gain; a second pass decides the changed lines
again with the joins of the first one as context.  Every line keeps its place: one
output line per input line, only spaces inside a joined run are removed (and added to the
next column gap, so that the columns of a layout dump stay in place).
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from . import diacritics as D
from .encodings import is_valid_syllable

#: the joined word must be attested at least this often in the LM's training text
MIN_JOINED_COUNT = 5
#: a fragment is a plausible word on its own when it is a well-formed syllable or a single
#: letter (a variable, a list marker) seen this often (its fold's total for an ASCII fragment)
PLAUSIBLE_COUNT = 200
#: the joined reading must beat the split one by this many nats ...
MARGIN = 0.0
#: ... and by this many when every fragment is a plausible word ("va o": "và ở" / "vào")
RISKY_MARGIN = 4.0
#: risky runs are joined only in a text that shows splits: at least this many safe joins,
#: and at least this share of its word tokens
EVIDENCE_MIN = 2
EVIDENCE_SHARE = 0.002
#: log penalty of a split-reading fragment unknown to the LM
UNK_PENALTY = -6.0
#: tokens of context on either side of a run
CONTEXT = 3
#: decision passes (later passes see the joins of the earlier ones)
PASSES = 2

_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")
_ROMAN = frozenset("IVXLCDM")
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_CONSONANT_PAIR_RE = re.compile(r"(?<![^\W\d_])[b-df-hj-np-tv-zđ] [b-df-hj-np-tv-zđ] [^\W\d_]", re.IGNORECASE)


class _Tables:
    """Lookups derived once from the LM."""

    def __init__(self, model: D.NgramModel):
        counts = model.counts
        self.joinable: dict[str, int] = {}
        self.fold_total: dict[str, int] = {}
        for i in range(D.N_SPECIAL, len(model.vocab)):
            w = model.vocab[i]
            c = int(counts[i])
            f = D.fold(w)
            self.fold_total[f] = self.fold_total.get(f, 0) + c
            if c >= MIN_JOINED_COUNT and w.isalpha() and is_valid_syllable(w):
                self.joinable[w] = i
        # ASCII runs join to a fold that has an attested accented or plain form
        for w in list(self.joinable):
            f = D.fold(w)
            if f not in self.joinable and f.isascii():
                self.joinable[f] = model.word_id.get(f, D.UNK)
        self.count = {w: int(counts[i]) for w, i in model.word_id.items()}
        #: lower-case words (and ASCII folds) that are plausible words on their own
        self.plausible_words = frozenset(
            w for w in set(self.count) | set(self.fold_total)
            if (len(w) == 1 or is_valid_syllable(w))
            and (self.fold_total.get(w, 0) if w.isascii() else self.count.get(w, 0)) >= PLAUSIBLE_COUNT
        )

    def plausible(self, frag: str) -> bool:
        """Whether ``frag`` may well stand alone (then joining it is a risk)."""
        return frag.lower() in self.plausible_words


_TABLES: dict[int, tuple[D.NgramModel, _Tables]] = {}


def _tables(model: D.NgramModel) -> _Tables:
    hit = _TABLES.get(id(model))
    if hit is None or hit[0] is not model:
        if len(_TABLES) >= 2:
            _TABLES.clear()
        hit = _TABLES[id(model)] = (model, _Tables(model))
    return hit[1]


def _case_ok(text: str) -> bool:
    return text.islower() or text.isupper() or (text[:1].isupper() and text[1:].islower())


def _candidates(line: str, toks: list[tuple[int, int, str]], tab: _Tables,
                near_implausible: bool = False) -> list[tuple[int, int, bool]]:
    """(first token, number of tokens, risky) of every run that may be one split syllable;
    risky: every fragment is a plausible word on its own.  ``near_implausible``: only the
    runs that may hold a word that is no word on its own (or a single consonant)."""
    spans = None
    out = []
    n = len(toks)
    starts: range | list[int] = range(n - 1)
    if near_implausible:
        plausible = tab.plausible_words
        marks = [j for j, t in enumerate(toks) if t[2].lower() not in plausible or len(t[2]) == 1]
        starts = sorted({i for j in marks for i in (j - 2, j - 1, j) if 0 <= i < n - 1})
    for i in starts:
        s0, e0, t0 = toks[i]
        if not t0[0].isalpha() or line[e0 : e0 + 1] != " ":
            continue
        joined = t0
        for k in (2, 3):
            j = i + k - 1
            if j >= n:
                break
            sj, ej, tj = toks[j]
            if not tj[0].isalpha() or toks[j - 1][1] + 1 != sj:
                break
            joined += tj
            if len(joined) > 7 or joined.lower() not in tab.joinable or not _case_ok(joined):
                continue
            frags = [toks[x][2] for x in range(i, j + 1)]
            if joined.isupper() and _ROMAN.issuperset(joined):
                continue
            if len(tj) == 1 and tj.isascii() and ej < len(line) and (
                line[ej] == ")" or (line[ej] == "." and tj.isupper())
            ):  # a list marker "b)", an initial "H."
                continue
            if spans is None:
                spans = D.protected_mask(line)
            if spans and any(a < ej and s0 < b for a, b in spans):
                continue
            # two single consonants in a row ("c h ương") are no words
            risky = all(tab.plausible(f) for f in frags) and not (
                k == 3 and all(len(f) == 1 and D.fold(f.lower()) not in "aeiouy" for f in frags[:2]))
            out.append((i, k, risky))
    return out


def _lattice(model: D.NgramModel, text: str) -> tuple[tuple[int, ...], bool]:
    """(candidate ids, unknown) of one token, as the diacritic restorer sees it."""
    if text[0].isdigit():
        return (D.NUM,), False
    low = text.lower()
    if D.has_accent(low):
        i = model.word_id.get(low)
        return ((D.UNK,), True) if i is None else ((i,), False)
    cands = model.candidates.get(low)
    if cands:
        return cands, False
    i = model.word_id.get(low)
    return ((D.UNK,), True) if i is None else ((i,), False)


def _path_scores(model: D.NgramModel, lattices, emissions) -> list[float]:
    """Score of the best path of every lattice (LM + emissions)."""
    choice = D.decode_segments(model, lattices, emissions)
    H = model.order - 1
    grams: list[list[int]] = []
    owner: list[int] = []
    extra = [0.0] * len(lattices)
    for r, (lat, em, sel) in enumerate(zip(lattices, emissions, choice)):
        seq = [D.BOS] * H + [lat[t][j] for t, j in enumerate(sel)]
        for t in range(len(lat)):
            grams.append(seq[t : t + H + 1])
            owner.append(r)
        extra[r] = sum(em[t][j] for t, j in enumerate(sel))
    sc = model.score_ngrams(np.array(grams, dtype=np.uint64))
    tot = np.bincount(np.array(owner), weights=sc, minlength=len(lattices))
    return [float(tot[r]) + extra[r] for r in range(len(lattices))]


def _decide(model, jobs):
    """Runs whose joined reading wins, per job (line, tokens, candidates):
    (first token, number of tokens, gain, risky)."""
    lattices, emissions = [], []
    for _line, toks, cands in jobs:
        info = [_lattice(model, t[2]) for t in toks]
        for i, k, _risky in cands:
            lo, hi = max(0, i - CONTEXT), min(len(toks), i + k + CONTEXT)
            left, right = info[lo:i], info[i + k : hi]
            frags = info[i : i + k]
            split = left + frags + right
            joined_text = "".join(toks[x][2] for x in range(i, i + k))
            joined = left + [_lattice(model, joined_text)] + right
            for reading in (split, joined):
                lattices.append([c for c, _u in reading])
                emissions.append([(UNK_PENALTY,) if u else (0.0,) * len(c) for c, u in reading])
    scores = _path_scores(model, lattices, emissions)
    out = []
    r = 0
    for _line, _toks, cands in jobs:
        acc = []
        for i, k, risky in cands:
            gain = scores[r + 1] - scores[r]
            r += 2
            if gain > (RISKY_MARGIN if risky else MARGIN):
                acc.append((i, k, gain, risky))
        out.append(acc)
    return out


def _best_set(runs: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The non-overlapping runs (first token, tokens, gain) of the largest total gain
    (weighted interval scheduling)."""
    if len(runs) <= 1:
        return [(i, k) for i, k, _g in runs]
    runs = sorted(runs, key=lambda x: x[0] + x[1])
    ends = [i + k for i, k, _g in runs]
    best = [(0.0, ())]  # best[m]: over the first m runs
    for m, (i, k, g) in enumerate(runs):
        p = m
        while p > 0 and ends[p - 1] > i:
            p -= 1
        take = (best[p][0] + g, best[p][1] + ((i, k),))
        best.append(take if take[0] > best[m][0] else best[m])
    return sorted(best[-1][1])


_GAP_RE = re.compile(r"(?:  +|\t)(?=\S)")


def _apply(line: str, toks, runs) -> str:
    """``line`` with the spaces inside ``runs`` removed.  A column gap (two or more spaces,
    a tab) after a run gets the removed spaces, so that the columns of a layout dump
    (``pdftotext -layout``) stay where they were."""
    parts, pos, owed = [], 0, 0
    for i, k in runs:
        a, b = toks[i][0], toks[i + k - 1][1]
        owed += _settle(parts, line[pos:a], owed)
        parts.append(line[a:b].replace(" ", ""))
        owed += k - 1
        pos = b
    _settle(parts, line[pos:], owed)
    return "".join(parts)


def _settle(parts: list[str], text: str, owed: int) -> int:
    """Append ``text``, widening its first column gap by ``owed`` spaces when it has one;
    returns minus the spaces paid."""
    if owed:
        m = _GAP_RE.search(text)
        if m:
            parts.append(text[: m.start()] + " " * owed + text[m.start():])
            return -owed
    parts.append(text)
    return 0


def _pass(model, tab, out: list[str], idx: list[int], near_implausible: bool = False):
    """Decide the candidates of the lines ``idx``: (line index, tokens, accepted runs) of
    every line with a run whose joined reading wins."""
    jobs, where = [], []
    for li in idx:
        line = out[li]
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(line)]
        cands = _candidates(line, toks, tab, near_implausible)
        if cands:
            jobs.append((line, toks, cands))
            where.append(li)
    if not jobs:
        return []
    return [(li, toks, acc) for li, (_l, toks, _c), acc in zip(where, jobs, _decide(model, jobs)) if acc]


def join_split_syllables(lines: Sequence[str], model: D.NgramModel | None = None,
                         skip: Sequence[bool] | None = None) -> list[str]:
    """The lines of one text with split syllables joined (one output line per input line;
    lines with ``skip[i]`` true, such as legacy-encoded ones, are returned as they are).
    Give a whole document at once: whether it shows splits at all decides the risky runs."""
    if model is None:
        model = D.load_model()
    tab = _tables(model)
    out = list(lines)
    # lines where a safe run is possible (a word that is no word on its own, two single
    # consonants in a row) are decided first; the others have risky runs at best, which
    # count only when the first lines show splits
    first, rest = [], []
    n_words = 0
    plausible = tab.plausible_words
    for li, line in enumerate(out):
        if " " not in line or (skip is not None and skip[li]):
            continue
        words = _LETTERS_RE.findall(line.lower())
        n_words += len(words)
        if len(words) < 2:
            continue
        if not plausible.issuperset(words) or _CONSONANT_PAIR_RE.search(line):
            first.append(li)
        else:
            rest.append(li)
    decided = _pass(model, tab, out, first, near_implausible=True)
    safe = sum(1 for _li, _t, acc in decided for *_x, risky in acc if not risky)
    evidence = safe >= EVIDENCE_MIN and safe >= EVIDENCE_SHARE * n_words
    if evidence:  # a text with splits: every run of every line
        decided = _pass(model, tab, out, sorted(first + rest))
    for p in range(PASSES):
        changed = []
        for li, toks, acc in decided:
            runs = _best_set([(i, k, g) for i, k, g, risky in acc if evidence or not risky])
            if runs:
                out[li] = _apply(out[li], toks, runs)
                changed.append(li)
        if p + 1 == PASSES or not changed:
            break
        decided = _pass(model, tab, out, changed)
    return out
