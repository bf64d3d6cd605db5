"""Text repair entry point: decide per line what is wrong with the text and fix it.

States (per line and per document):

``accented``      correct Unicode Vietnamese -> returned exactly unchanged
``ascii``         diacritics stripped        -> syllable n-gram LM + Viterbi (diacritics.py)
``ocr_mangled``   English-model OCR output   -> learned noisy channel x LM (this module)
``legacy_tcvn3``  TCVN3/ABC bytes as Latin-1 -> table conversion (encodings.py)
``legacy_vni``    VNI-Windows as Latin-1     -> table conversion (encodings.py)
``mixed``         (document only) lines differ materially; every line is repaired
                  according to its own state.

Before anything else (modes ``auto`` and ``ascii``), syllables that PDF text extraction
split with a space are joined ("t ỉnh Lâm Đ ồng" -> "tỉnh Lâm Đồng";
:mod:`normalizers.split_syllables`); correct text passes through that step unchanged.

In an accented document (at least 80 % of the lines with evidence are correct
Unicode or legacy text) a line without diacritics is kept as it is -- such lines are
codes, units, formulas, table rows, file names, English or names -- unless it is
plainly stripped Vietnamese (three or more words, most of them rare in plain form);
a line is OCR-repaired there only with damage correct text never shows (accented
words that are not attested syllables).

Usage::

    from normalizers.repair import repair_lines
    res = repair_lines(lines)            # mode="auto" | "ascii" | "ocr" | "tcvn3" | "vni"
    res.lines, res.state, res.confidence, res.line_states
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from rapidfuzz.distance.Levenshtein import distance as _levenshtein

from . import diacritics as D
from . import encodings as E
from .split_syllables import join_split_syllables
from .text import is_acronym

TEXT_STATES = ("accented", "ascii", "ocr_mangled", "legacy_tcvn3", "legacy_vni", "mixed")
MODES = ("auto", "ascii", "ocr", "tcvn3", "vni")


@dataclass(frozen=True, slots=True)
class RepairResult:
    lines: tuple[str, ...]  # same number of lines as the input, NFC
    state: str  # document state, one of TEXT_STATES ("mixed" when lines differ materially)
    confidence: float  # in [0, 1]
    line_states: tuple[str, ...]  # per line state


@functools.lru_cache(maxsize=1)
def load_model() -> object:
    """Load the trained artifacts once (LM + OCR channel + classifier tables); cached.
    Returns the syllable LM (:class:`normalizers.diacritics.NgramModel`)."""
    model = D.load_model()
    _ocr_channel()
    _fold_shares()
    return model


# --------------------------------------------------------------------------------------
# Line classification
# --------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]+")
_ALNUM_MIX_RE = re.compile(r"(?<![\w/.-])(?:[^\W\d_]+\d[\w]*|\d+[^\W\d_]+\w*)(?![\w/-])")
_OCR_JUNK = frozenset("¢§©®°±µ¶·»¼½¾¿×÷|~^\\{}<>[]ﬁﬂ")
_LATIN1_NON_VIET = frozenset(
    "ÄÅÆÇËÎÏÐÑÖØÛÜÞßäåæçëîïðñöøûüþÿ"
)


@dataclass
class _LineEvidence:
    words: int = 0
    acc_ok: int = 0  # accented words that are attested syllables
    acc_bad: int = 0  # accented words that are not (OCR / broken)
    acc_rare: int = 0  # attested but rare accented forms (OCR "thé" for "thể")
    ascii_ev: float = 0.0  # plain words whose plain form is rare -> stripped text
    neutral: int = 0  # plain words whose plain form is common
    unknown: int = 0  # plain words whose fold is not a known syllable
    mix: int = 0  # letter/digit mixes like x4, S6, 1a
    junk: int = 0  # OCR junk characters


@functools.lru_cache(maxsize=1)
def _fold_shares() -> tuple[dict[str, float], dict[str, float]]:
    """(fold -> P(the plain, unaccented form | fold), word -> P(word | its fold)) from
    the LM counts."""
    model = D.load_model()
    counts = model.counts
    tot: dict[str, int] = {}
    plain: dict[str, int] = {}
    for i in range(D.N_SPECIAL, len(model.vocab)):
        w = model.vocab[i]
        f = D.fold(w)
        c = int(counts[i])
        tot[f] = tot.get(f, 0) + c
        if f == w:
            plain[f] = c
    share = {}
    for i in range(D.N_SPECIAL, len(model.vocab)):
        w = model.vocab[i]
        if D.has_accent(w):
            share[w] = int(counts[i]) / tot[D.fold(w)]
    return {f: plain.get(f, 0) / t for f, t in tot.items() if t > 0}, share


def _plain_prob() -> dict[str, float]:
    return _fold_shares()[0]


@functools.lru_cache(maxsize=1)
def _attested_fn():
    """word -> True when it is attested in the training corpus (>= 3 times) and either
    well formed or frequent (place names such as "Đắk Lắk" break the syllable rules)."""
    model = D.load_model()
    wid = model.word_id
    counts = model.counts

    def ok(word: str) -> bool:
        low = word.lower()
        i = wid.get(low)
        return i is not None and counts[i] >= 3 and (counts[i] >= 200 or E.is_valid_syllable(low))

    return ok


def _evidence(line: str, model: D.NgramModel, plain_p: dict[str, float]) -> _LineEvidence:
    ev = _LineEvidence()
    wid = model.word_id
    counts = model.counts
    word_share = _fold_shares()[1]
    for m in _WORD_RE.finditer(line):
        w = m.group()
        low = w.lower()
        ev.words += 1
        if D.has_accent(low) or not _LATIN1_NON_VIET.isdisjoint(low):
            i = wid.get(low)
            if i is not None and counts[i] >= 3 and _LATIN1_NON_VIET.isdisjoint(low):
                # attested; a form that is very rare among its unaccented twins
                # (OCR "thé", "lén", "két" for thể, lên, kết) is suspicious
                if word_share.get(low, 1.0) >= 0.005:
                    ev.acc_ok += 1
                else:
                    ev.acc_rare += 1
            elif _LATIN1_NON_VIET.isdisjoint(low) and E.is_valid_syllable(low):
                ev.neutral += 1  # well-formed but unattested
            else:
                ev.acc_bad += 1
            continue
        p = plain_p.get(low)
        if p is None:
            if len(low) > 1 and not (w.isupper() and len(w) <= 6):
                ev.unknown += 1
            continue
        if p < 0.02:
            ev.ascii_ev += 1.0
        elif p < 0.3:
            ev.ascii_ev += 0.5
        else:
            ev.neutral += 1
    ev.mix = len(_ALNUM_MIX_RE.findall(line))
    # "|" of a table row separates cells; a lone "|" next to letters is an OCR reading of l / I
    pipes_are_cells = _row_line(line)
    ev.junk = sum(1 for c in line if c in _OCR_JUNK and not (c == "|" and pipes_are_cells))
    return ev


def _row_line(line: str) -> bool:
    """Whether a line is a table row whose cells OCR parted by bars: two or more "|" on it."""
    return line.count("|") >= 2


def _strong_ascii(ev: _LineEvidence, line: str) -> bool:
    """An unaccented line that is clearly Vietnamese with its diacritics stripped (and
    not a file name, a code, an English phrase or a lone name): at least three words,
    most of them words whose plain form is rare."""
    return (
        ev.words >= 3
        and ev.ascii_ev >= 2
        and ev.ascii_ev >= 0.4 * ev.words
        and ev.unknown <= 0.25 * ev.words
        and not D.FILE_NAME_LINE_RE.match(line)
    )


def _strong_ocr(ev: _LineEvidence) -> bool:
    """OCR damage that correct Unicode text does not show: accented words that are not
    attested syllables (hién, Quyét), two of them or one next to a letter/digit mix
    (x4, S6).  Mixes, pipes and unknown words alone are formulas, units (m2, NH3,
    1.4S), table rows and foreign names."""
    return ev.acc_bad >= 2 or (ev.acc_bad >= 1 and ev.mix >= 1)


#: an English-model OCR document shows damage correct text never shows (:func:`_strong_ocr`) on
#: at least this share of its lettered lines (8-38 % on 23 generated OCR dumps, 47 % on sample
#: 004; none on stripped or correct text), whatever share of its other lines merely look stripped
OCR_DAMAGED_SHARE = 0.03
#: ... and at most this share of its lettered lines read as correct accented text
OCR_DAMAGED_MAX_GOOD = 0.2


def _ocr_damaged(strong: int, good: int, lettered: int) -> bool:
    """Whether a document is English-model OCR by its damage: lines with OCR damage
    (``strong``) on at least :data:`OCR_DAMAGED_SHARE` of its ``lettered`` lines, and few lines
    of correct accented text (``good``).  Such a dump prints most of its lines without any mark
    ("Thong bao Cong chttc"), which look like stripped text line by line; they are OCR's all the
    same, and the OCR repair reads them ("Thông báo Công chức"), where restoring marks would
    keep "chttc"."""
    return lettered > 0 and strong >= max(3, OCR_DAMAGED_SHARE * lettered) and good <= OCR_DAMAGED_MAX_GOOD * lettered


#: share of decided lettered lines that must be correct (accented or legacy) for a
#: document to count as accented, and the minimum number of such lines
ACCENTED_DOC_SHARE = 0.8
ACCENTED_DOC_MIN_LINES = 3


def _classify(ev: _LineEvidence, ocr_doc: bool = False) -> tuple[str | None, float]:
    """State of a (Unicode) line from its evidence; None when undecided.  In a document
    that is mostly OCR output (``ocr_doc``), rare accented forms count as OCR noise."""
    n = ev.words
    if n == 0:
        return None, 0.0
    if ocr_doc:
        ev = _LineEvidence(**{**ev.__dict__, "acc_ok": ev.acc_ok, "acc_bad": ev.acc_bad + ev.acc_rare})
    else:
        ev = _LineEvidence(**{**ev.__dict__, "acc_ok": ev.acc_ok + ev.acc_rare})
    ocr_score = ev.acc_bad + 0.5 * ev.unknown + ev.mix + 0.5 * ev.junk
    if ocr_doc and ocr_score >= 1:
        return "ocr_mangled", 0.7
    if ocr_score >= 2 and ocr_score >= 0.2 * n and ocr_score > 0.5 * ev.acc_ok:
        conf = min(1.0, ocr_score / (0.4 * n + 1))
        return "ocr_mangled", 0.5 + 0.5 * conf
    if ev.acc_ok > 0:
        if ev.ascii_ev >= 2 and ev.ascii_ev >= 0.3 * n and ev.ascii_ev > ev.acc_ok:
            return "ascii", 0.6
        conf = ev.acc_ok / (ev.acc_ok + ev.ascii_ev + ev.acc_bad + 0.5)
        return "accented", max(0.5, min(1.0, conf + 0.3))
    if ev.acc_bad > 0 and ev.acc_bad + ev.mix >= 1 and ocr_score >= 1:
        return "ocr_mangled", 0.6
    if ev.ascii_ev >= 1:
        conf = ev.ascii_ev / (ev.ascii_ev + ev.neutral * 0.2 + 0.5)
        return "ascii", max(0.5, min(1.0, conf))
    return None, 0.0


def classify_lines(lines: Sequence[str], encodings: Sequence[str] | None = None
                   ) -> tuple[list[str], list[float], list[str]]:
    """Per-line states, confidences and the decoded (legacy->Unicode) lines.
    ``encodings``: the lines' encodings when already detected (``encodings.detect_lines``)."""
    model = D.load_model()
    plain_p = _plain_prob()
    encs = list(encodings) if encodings is not None else E.detect_lines(lines, _attested_fn())
    states: list[str | None] = []
    confs: list[float] = []
    decoded: list[str] = []
    evs: dict[int, _LineEvidence] = {}
    for line, enc in zip(lines, encs):
        if enc == "tcvn3":
            states.append("legacy_tcvn3")
            confs.append(0.95)
            decoded.append(E.decode_tcvn3(line))
            continue
        if enc == "vni":
            states.append("legacy_vni")
            confs.append(0.95)
            decoded.append(E.decode_vni(line))
            continue
        ev = _evidence(line, model, plain_p)
        evs[len(states)] = ev
        st, cf = _classify(ev)
        states.append(st)
        confs.append(cf)
        decoded.append(line)
    # an accented document (most decided lines correct Unicode or legacy text): its
    # lines without diacritics are mostly codes, formulas, file names, English or
    # names, which must stay as they are.  Such a line is restored only when it is
    # clearly stripped Vietnamese, and a line is OCR-repaired only with OCR damage
    # that correct text never shows; undecided lines stay as they are.
    # (lines with only weak OCR signs -- units, codes, pipes -- do not count against)
    good = sum(1 for s in states if s == "accented" or (s is not None and s.startswith("legacy")))
    against = sum(
        1 for i, s in enumerate(states) if s == "ascii" or (s == "ocr_mangled" and _strong_ocr(evs[i]))
    )
    accented_doc = good >= ACCENTED_DOC_MIN_LINES and good >= ACCENTED_DOC_SHARE * (good + against)
    # an OCR document: re-classify its lines with rare accented forms as OCR evidence
    n_words_lines = sum(1 for ev in evs.values() if ev.words)
    n_ocr = sum(1 for s in states if s == "ocr_mangled")
    damaged = _ocr_damaged(sum(_strong_ocr(ev) for ev in evs.values()), sum(s == "accented" for s in states),
                           n_words_lines)
    if not accented_doc and n_words_lines and (n_ocr >= max(2, 0.3 * n_words_lines) or damaged):
        for i, ev in evs.items():
            st, cf = _classify(ev, ocr_doc=True)
            states[i], confs[i] = st, cf
            if damaged and st == "ascii":  # a line whose marks OCR lost, not a stripped one
                states[i] = "ocr_mangled"
    if accented_doc:
        for i, ev in evs.items():
            st = states[i]
            if st == "ocr_mangled" and not _strong_ocr(ev):
                st = "ascii" if ev.acc_ok == 0 and ev.acc_bad == 0 and _strong_ascii(ev, lines[i]) else "accented"
            elif st == "ascii" and ev.acc_ok == 0 and not _strong_ascii(ev, lines[i]):
                st = "accented"
            elif st is None:
                st = "accented"
            if st != states[i]:
                states[i], confs[i] = st, 0.6
    # undecided lines (no letters / only neutral words): take the state of the last
    # decided line before them, else the document's most common state ("accented"
    # when nothing is decided); such lines are left unchanged by every repair anyway
    # or have nothing a repair would change
    decided = [s for s in states if s is not None]
    default = Counter(decided).most_common(1)[0][0] if decided else "accented"
    if default.startswith("legacy"):
        default = "accented"
    out: list[str] = []
    prev = None
    for i, s in enumerate(states):
        if s is None:
            s2 = prev if prev is not None and not prev.startswith("legacy") else default
            if s2 == "ocr_mangled" and not _WORD_RE.search(lines[i]):
                s2 = default
            out.append(s2)
            confs[i] = 0.5
        else:
            out.append(s)
            prev = s
    return out, confs, decoded


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def repair_lines(lines: Sequence[str], mode: str = "auto", join_splits: bool = True) -> RepairResult:
    """Repair a document given as lines; see the module docstring.  ``join_splits``: join
    syllables that PDF text extraction split with a space ("t ỉnh" -> "tỉnh", ASCII "t inh"
    -> "tinh" before the diacritics are restored; :mod:`normalizers.split_syllables`), in
    modes ``auto`` (not on legacy-encoded lines) and ``ascii``."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    src = [unicodedata.normalize("NFC", str(x)) for x in lines]
    if not src:
        return RepairResult((), "accented", 1.0, ())
    has_letters = [bool(_WORD_RE.search(x)) for x in src]
    if mode == "tcvn3":
        out = [E.decode_tcvn3(x) for x in src]
        states = ["legacy_tcvn3"] * len(src)
        return RepairResult(tuple(out), "legacy_tcvn3", 1.0, tuple(states))
    if mode == "vni":
        out = [E.decode_vni(x) for x in src]
        states = ["legacy_vni"] * len(src)
        return RepairResult(tuple(out), "legacy_vni", 1.0, tuple(states))
    if mode == "ascii":
        out = D.restore_lines(join_split_syllables(src) if join_splits else src)
        states = ["ascii"] * len(src)
        return RepairResult(tuple(out), "ascii", 1.0, tuple(states))
    if mode == "ocr":
        out = repair_ocr_lines(src)
        states = ["ocr_mangled"] * len(src)
        return RepairResult(tuple(out), "ocr_mangled", 1.0, tuple(states))

    encs = E.detect_lines(src, _attested_fn())
    if join_splits:
        # before classifying: a split line ("t ỉnh", "Đ ồng") looks like OCR damage
        src = join_split_syllables(src, skip=[e != "unicode" for e in encs])
    states, confs, decoded = classify_lines(src, encs)
    # an OCR document: its clean-looking (ASCII) lines are OCR output too
    n_lettered = sum(has_letters)
    n_ocr = sum(1 for s, h in zip(states, has_letters) if h and s == "ocr_mangled")
    if n_lettered and n_ocr >= max(2, 0.3 * n_lettered):
        n_legacy = sum(1 for s in states if s.startswith("legacy"))
        to_ocr = ("ascii",) if n_legacy >= 0.3 * n_lettered else ("ascii", "legacy_tcvn3", "legacy_vni")
        states = ["ocr_mangled" if s in to_ocr else s for s in states]
    out = list(decoded)
    # ascii lines: restored together (context across broken lines), others blanked
    idx_ascii = [i for i, s in enumerate(states) if s == "ascii" and has_letters[i]]
    if idx_ascii:
        block = [src[i] if states[i] == "ascii" else "" for i in range(len(src))]
        restored = D.restore_lines(block)
        for i in idx_ascii:
            out[i] = restored[i]
    idx_ocr = [i for i, s in enumerate(states) if s == "ocr_mangled" and has_letters[i]]
    if idx_ocr:
        block = [src[i] if states[i] == "ocr_mangled" else "" for i in range(len(src))]
        fixed = repair_ocr_lines(block)
        for i in idx_ocr:
            out[i] = fixed[i]
    out = [unicodedata.normalize("NFC", x) for x in out]
    # document state
    lettered = [s for s, h in zip(states, has_letters) if h]
    if not lettered:
        return RepairResult(tuple(out), "accented", 1.0, tuple(states))
    cnt = Counter(lettered)
    top, ntop = cnt.most_common(1)[0]
    share = ntop / len(lettered)
    minority = len(lettered) - ntop
    doc_state = top
    if share < 0.9 and minority >= 2:
        doc_state = "mixed"
    mean_conf = sum(c for c, h in zip(confs, has_letters) if h) / len(lettered)
    confidence = mean_conf * (share if doc_state != "mixed" else 1.0)
    confidence = float(min(1.0, max(0.0, confidence)))
    return RepairResult(tuple(out), doc_state, confidence, tuple(states))


# --------------------------------------------------------------------------------------
# OCR (English tesseract model) repair: learned channel x LM
# --------------------------------------------------------------------------------------

OCR_CHANNEL_FILE = "ocr_channel.json.gz"
_OCR_TOKEN_RE = re.compile(r"[^\W_]+(?:[@¢§©®'‘’][^\W_]*)*|[@¢§©®][^\W_]+")
#: a bar standing between two words of a line: a ruling of the table, parting two cells
_CELL_BAR_RE = re.compile(r"(?<=\s)\|(?=\s)|(?<=\w)\|(?=\s)")
_LOG_FLOOR_SUB = math.log(1e-5)
_LOG_FLOOR_DEL = math.log(1e-4)
_LOG_IDENTITY = math.log(0.9)  # a source char absent from the table read as itself
_LOG_INS = math.log(3e-4)
#: log probability that English-model OCR read a word without any of its marks ("Trien khai
#: thuc hien" for "Triển khai thực hiện": a faint line), beside the letter-by-letter channel
LOG_MARKS_LOST = math.log(0.03)
#: log score of keeping, as printed, a token without marks that is no Vietnamese syllable
UNMARKED_NO_SYLLABLE = -2.0


def _no_syllable_unmarked(token: str) -> bool:
    """Whether a token of plain letters, lower-case or capitalised, is no Vietnamese syllable
    as printed: its rhyme needs a mark ("hien", "viec", "phuong") or it ends on a stop (c, ch,
    p, t) without the rising or heavy tone every such syllable carries ("thuc", "tac")."""
    if not token.isalpha() or not token.isascii() or (len(token) > 1 and token.isupper()):
        return False
    w = token.lower()
    return not E.is_valid_syllable(w) or w.endswith(("c", "ch", "p", "t"))


class OcrChannel:
    """Character-level noisy channel P(ocr string | source char) learned by
    ``scripts/make_ocr_pairs.py learn`` from rendered + OCRed corpus pages, and the
    candidate generator built on it."""

    def __init__(self, table: dict[str, dict[str, int]], model: D.NgramModel):
        self.logp: dict[str, dict[str, float]] = {}
        rev: dict[str, Counter] = {}
        for src, outs in table.items():
            tot = outs.get("__total__", sum(v for k, v in outs.items() if k != "__total__"))
            d = {}
            for o, c in outs.items():
                if o == "__total__":
                    continue
                d[o] = math.log((c + 0.1) / (tot + 1.0))
                if len(o) == 1:
                    rev.setdefault(o, Counter())[D.fold(src)] += c
            self.logp[src] = d
        # observed char -> likely folded source letters (for candidate lookup)
        self.norm: dict[str, list[str]] = {}
        merged: dict[str, Counter] = {}
        for o, cnt in rev.items():
            merged.setdefault(o.lower(), Counter()).update({k.lower(): v for k, v in cnt.items()})
        for o, cnt in merged.items():
            tot = sum(cnt.values())
            alts = [k for k, c in cnt.most_common(3) if k.isalpha() and k.isascii() and c >= 0.02 * tot]
            if alts:
                self.norm[o] = alts
        self.model = model
        self._build_index()
        self._cache: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = {}
        self._src_cache: dict[str, tuple] = {}

    def _build_index(self) -> None:
        m = self.model
        counts = m.counts
        by_fold: dict[str, list[tuple[int, int]]] = {}
        for i in range(D.N_SPECIAL, len(m.vocab)):
            w = m.vocab[i]
            c = int(counts[i])
            if c < 5 or not w.isalpha():
                continue
            if not (E.is_valid_syllable(w) or (c >= 200 and len(w) <= 6)):
                continue
            by_fold.setdefault(D.fold(w), []).append((c, i))
        self.fold_words = {f: [i for _c, i in sorted(v, reverse=True)[:6]] for f, v in by_fold.items()}
        self.fold_count = {f: sum(c for c, _i in v) for f, v in by_fold.items()}
        idx: dict[str, set[str]] = {}
        for f in by_fold:
            for d in _deletes(f, 2 if len(f) >= 4 else 1):
                idx.setdefault(d, set()).add(f)
        self.index = idx
        self.total = float(sum(self.fold_count.values()))

    def normalize(self, obs: str, max_variants: int = 8) -> list[str]:
        """Folded ASCII readings of an observed token (lower case), most likely first:
        each OCR char maps to the source letters it most often comes from."""
        variants = [""]
        for ch in obs.lower():
            alts = self.norm.get(ch)
            if alts is None:
                r = D.fold(ch)
                alts = [r] if r.isascii() and r.isalpha() else [""]
            elif "a" <= ch <= "z" and ch not in alts:
                alts = [ch] + alts
            variants = [v + a for v in variants for a in alts][:max_variants]
        return list(dict.fromkeys(v for v in variants if v))

    def _src_info(self, s: str):
        """(output table, deletion log prob, lengths of multi-char outputs) of a source char."""
        info = self._src_cache.get(s)
        if info is None:
            tab = self.logp.get(s)
            if tab is None and s != s.lower():
                tab = self.logp.get(s.lower())
            if tab is None:
                info = (None, _LOG_FLOOR_DEL, ())
            else:
                info = (tab, tab.get("", _LOG_FLOOR_DEL), tuple(sorted({len(o) for o in tab if len(o) >= 2})))
            self._src_cache[s] = info
        return info

    def logprob(self, obs: str, syl: str) -> float:
        """log P(obs | syl) by a weighted edit-distance DP: each source char emits one
        learned output string (0-3 chars, or an unseen single char at a floor cost);
        extra OCR chars are insertions."""
        m = len(obs)
        prev = [j * _LOG_INS for j in range(m + 1)]
        for s in syl:
            tab, dl, multi = self._src_info(s)
            last = prev[0] + dl
            cur = [last]
            for j in range(1, m + 1):
                best = prev[j] + dl
                o = obs[j - 1]
                if tab is not None:
                    v = prev[j - 1] + tab.get(o, _LOG_FLOOR_SUB)
                else:
                    v = prev[j - 1] + (_LOG_IDENTITY if o == s else _LOG_FLOOR_SUB)
                if v > best:
                    best = v
                for k in multi:
                    if k <= j:
                        lp = tab.get(obs[j - k : j])
                        if lp is not None and prev[j - k] + lp > best:
                            best = prev[j - k] + lp
                ins = last + _LOG_INS
                last = best if best > ins else ins
                cur.append(last)
            prev = cur
        return prev[m]

    def candidates(self, obs: str, max_folds: int = 12, keep: int = 10):
        """(candidate ids, channel log probs) for an observed OCR token (lower case)."""
        hit = self._cache.get(obs)
        if hit is not None:
            return hit
        folds: dict[str, float] = {}
        for rank, nf in enumerate(self.normalize(obs)):
            maxd = 2 if len(nf) >= 4 else 1
            seen: set[str] = set()
            for d in _deletes(nf, maxd):
                for f in self.index.get(d, ()):
                    if f in seen:
                        continue
                    seen.add(f)
                    dist = _levenshtein(nf, f, score_cutoff=maxd + 1)
                    if dist <= maxd:
                        folds[f] = min(folds.get(f, 9), dist + 0.5 * (rank > 0))
        ranked = sorted(folds, key=lambda f: 3.0 * folds[f] - math.log(self.fold_count[f] / self.total))[:max_folds]
        m = self.model
        scored: list[tuple[float, float, int]] = []
        bare = obs.isascii()  # no mark read at all: OCR may have lost a whole word's marks
        for f in ranked:
            lost = None  # the word's letters read without their marks (one value per fold)
            for wid in self.fold_words[f]:
                src = D.apply_case(obs, m.vocab[wid]) if not obs.islower() else m.vocab[wid]
                ch = self.logprob(obs, src)
                if bare and ch < LOG_MARKS_LOST and not src.isascii():
                    if lost is None:
                        lost = LOG_MARKS_LOST + self.logprob(obs, D.fold(src))
                    ch = max(ch, lost)
                scored.append((ch + float(m.unigram[wid]), ch, wid))
        own = m.word_id.get(obs.lower())
        # the token as printed, when it is no Vietnamese syllable ("hien", "viec", "thuc"): a
        # word read without its marks more likely than one printed so
        unmarked = UNMARKED_NO_SYLLABLE if bare and own is not None and _no_syllable_unmarked(obs) else 0.0
        if unmarked:
            scored = [(a + unmarked, b + unmarked, w) if w == own else (a, b, w) for a, b, w in scored]
        scored.sort(reverse=True)
        scored = scored[:keep]
        # the observed token itself (an unknown word keeps its text: id <unk>)
        own_id = own if own is not None else D.UNK
        if all(w != own_id for _a, _b, w in scored):
            ch = self.logprob(obs, obs) + (OCR_UNK_PENALTY if own is None else unmarked)
            scored.append((ch + float(m.unigram[own_id]), ch, own_id))
        res = (tuple(w for _a, _b, w in scored), tuple(b for _a, b, _w in scored))
        if len(self._cache) < 200_000:
            self._cache[obs] = res
        return res



def _deletes(word: str, maxd: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(maxd):
        nxt = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


@functools.lru_cache(maxsize=1)
def _ocr_channel() -> OcrChannel | None:
    """The learned OCR channel (None when the artifact is missing)."""
    data = D.load_json_artifact(OCR_CHANNEL_FILE)
    return None if data is None else OcrChannel(data["table"], D.load_model())


def _ocr_case(obs: str, word: str, in_caps: int = 1) -> str:
    """``word`` (the channel's reading of the OCR token ``obs``) in the case ``obs`` was read
    in.  English-model OCR reads a lower-case vowel under a tone or a circumflex as a capital
    ("SO hóa" for "Số hóa", "BO phận", "TO chức"): a token read all in capitals whose reading
    is a Vietnamese syllable with marks keeps only its first capital unless ``in_caps`` (it
    stands in a run of words in capitals or in a line mostly in capitals: "TỈNH LÂM ĐỒNG",
    headings).  Acronyms (no syllable: "HĐND", "UBND") stay in capitals.  In a heading
    (``in_caps`` == :data:`HEADING`) a capitalised token is a capitals word some of whose
    letters OCR read small ("Uy BAN NHAN DAN XA ViNH LAP": "Í" read "i")."""
    letters = [c for c in obs if c.isalpha()]
    if in_caps == HEADING and obs[:1].isupper() and len(letters) >= 2:
        return word.upper()
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        if not in_caps and D.has_accent(word) and E.is_valid_syllable(word.lower()):
            return word[:1].upper() + word[1:].lower()
        return word.upper()
    if obs[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


_WORD_SPAN_RE = re.compile(r"\S+")


#: a line's words of two letters or more in capitals, out of all, from which it is a heading
HEADING_SHARE = 2 / 3
#: the least number of words in capitals of a heading
HEADING_WORDS = 3
#: what :func:`_in_caps` says of a word on a heading
HEADING = 2


def _in_caps(line: str) -> Callable[[int], int]:
    """For a line, whether the word at a character offset stands among capitals (1): the line is
    mostly in capitals (of its words of two letters or more, more than half all in capitals),
    or a word next to it is all in capitals; :data:`HEADING` (2) where the line is a heading
    (:data:`HEADING_SHARE` of its words and :data:`HEADING_WORDS` at least in capitals) and no
    word next to it opens small."""
    spans = []  # (start, end, a word of two letters or more, all in capitals)
    for m in _WORD_SPAN_RE.finditer(line):
        letters = [c for c in m.group() if c.isalpha()]
        spans.append((m.start(), m.end(), len(letters) >= 2, len(letters) >= 2 and all(map(str.isupper, letters))))
    words = [caps for _, _, word, caps in spans if word]
    mostly = sum(words) * 2 > len(words)
    heading = sum(words) >= HEADING_WORDS and sum(words) >= HEADING_SHARE * len(words)

    def check(offset: int) -> int:
        k = next((k for k, (a, b, _, _) in enumerate(spans) if a <= offset < b), None)
        if heading and k is not None and not any(_small(line[spans[j][0]:spans[j][1]]) for j in (k - 1, k + 1)
                                                 if 0 <= j < len(spans)):
            return HEADING  # not "Độc" of "... VIỆT NAM Độc lập": a word next to a small one
        return int(mostly or k is None or any(spans[j][3] for j in (k - 1, k + 1) if 0 <= j < len(spans)))
    return check


def _small(word: str) -> bool:
    """Whether a word opens with a small letter."""
    first = next((c for c in word if c.isalpha()), "")
    return first.islower()


#: weight of the channel log probability against the LM (tuned on rendered held-out pages)
OCR_CHANNEL_WEIGHT = 1.0
#: log penalty of keeping an unknown OCR token as it is (<unk> stands for many words)
OCR_UNK_PENALTY = -12.0


def _case_key(text: str) -> str:
    """The observed token as the channel sees it: all-caps words stay upper case, the
    first letter of a capitalised word is lowered (sentence case is not an OCR error)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return text
    return text.lower()


#: candidates the capital-kept key may add to a capitalised token's list (keeps Viterbi small)
_CAPITAL_EXTRA = 3


def _candidates(chan: OcrChannel, text: str) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Channel candidates for one token.  A capitalised token is also scored with its
    capital kept: the source letter was a capital too, and capitals have confusions of
    their own (Đ read as P) that the lower-cased key would hide."""
    key = _case_key(text)
    cands, em = chan.candidates(key)
    if key == text or not text[:1].isupper():
        return cands, em
    best = dict(zip(cands, em))
    extra = 0
    for wid, e in zip(*chan.candidates(text)):  # ranked best first
        if wid in best:
            best[wid] = max(best[wid], e)
        elif extra < _CAPITAL_EXTRA:
            best[wid] = e
            extra += 1
    return tuple(best), tuple(best.values())


#: a glued token is cut into at most this many syllables, each of at least 2 characters and at
#: most :data:`GLUE_PIECE_MAX`
GLUE_MAX_PIECES = 5
GLUE_PIECE_MAX = 8
#: the cut must score at least this per piece (channel x unigram, natural log): a token the
#: channel reads as no word, cut into pieces it reads as syllables each ("Vanbanduocban" ->
#: ~-7.5 a piece), and no looser (random letters cut into two-letter syllables score lower)
GLUE_PIECE_SCORE = -11.0
#: a token read as one word scoring above this is cut only when the cut scores
#: :data:`GLUE_MARGIN` better and :data:`GLUE_NEAR_PIECE_SCORE` a piece (measured on the
#: English-OCR dumps of generated plans and sample 004: single garbled syllables such as
#: "chittc", "lirong", "nghicp" score within 5 of their cuts, and "vyre" (vực), "chute" (chức),
#: "nhidy" (nhiều) cut into weak pieces, -9 to -11 a piece; glued pairs such as "Rasoat",
#: "coquan", "tuchanh", "Quansu" score 6-10 better than one word, -6 to -8.5 a piece)
GLUE_WHOLE_SCORE = -30.0
GLUE_MARGIN = 5.0
GLUE_NEAR_PIECE_SCORE = -8.8


def _glued_pieces(chan: OcrChannel, text: str, cands: Sequence[int], em: Sequence[float]
                  ) -> list[tuple[int, int, int]] | None:
    """Where English-model OCR glued the syllables of a narrow table cell into one token
    ("Vanbanduocban", "Céngchttc", "UBMTTQvacac", "Cacco'quan"): the spans ``(start, end,
    next)`` of the syllables in ``text`` (``next``: where the next one starts, after a mark OCR
    put between them), or None.  Only a token the channel reads as no word is cut, into
    2..:data:`GLUE_MAX_PIECES` pieces that each read as a syllable (or an acronym in capitals),
    the cut of best channel x unigram score.  ``cands`` / ``em``: the token's own channel
    candidates (:func:`_candidates`)."""
    letters = sum(c.isalpha() for c in text)
    if letters < 4 or len(text) > GLUE_MAX_PIECES * GLUE_PIECE_MAX:
        return None
    if text.isupper():
        return None  # an acronym ("NSPP", "BTCB")
    model = chan.model
    scores = [(e + float(model.unigram[w]), w) for w, e in zip(cands, em)]
    if scores and max(scores)[1] >= D.N_SPECIAL:
        return None
    # the best reading as one word: a garbled single syllable ("chittc" for "chức", "lirong")
    # cuts as well into pieces as a glued pair, so a word within reach must be clearly worse
    whole = max((sc for sc, w in scores if w >= D.N_SPECIAL), default=-math.inf)
    n = len(text)
    best: list[tuple[float, tuple[tuple[int, int], ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    for i in range(n):
        if best[i] is None or len(best[i][1]) >= GLUE_MAX_PIECES:
            continue
        for j in range(i + 2, min(n, i + GLUE_PIECE_MAX) + 1):
            piece = text[i:j]
            if not piece[0].isalnum() or not piece[-1].isalnum():
                continue
            score = _piece_score(chan, model, piece)
            if score is None:
                continue
            k = j  # a mark OCR put between two syllables ("Cacco'quan") goes with the piece before
            while k < n and not text[k].isalnum():
                k += 1
            cand = (best[i][0] + score, best[i][1] + ((i, j, k),))
            if best[k] is None or cand[0] > best[k][0]:
                best[k] = cand
    got = best[n]
    if got is None or len(got[1]) < 2 or got[0] < GLUE_PIECE_SCORE * len(got[1]):
        return None
    if whole > GLUE_WHOLE_SCORE and (got[0] - whole < GLUE_MARGIN
                                     or got[0] < GLUE_NEAR_PIECE_SCORE * len(got[1])):
        return None
    return list(got[1])


def _piece_score(chan: OcrChannel, model: D.NgramModel, piece: str) -> float | None:
    """Channel x unigram score of the best syllable a piece of a glued token reads as (an
    acronym in capitals: as itself), None when it reads as none."""
    if is_acronym(piece) and piece.isascii():
        wid = model.word_id.get(piece.lower())
        return float(model.unigram[wid]) if wid is not None else None
    cands, em = _candidates(chan, piece)
    scored = [(e + float(model.unigram[w]), w) for w, e in zip(cands, em)
              if w >= D.N_SPECIAL and E.is_valid_syllable(model.vocab[w])]
    return max(scored)[0] if scored else None


def repair_ocr_lines(lines: Sequence[str]) -> list[str]:
    """Repair English-model OCR output: candidates from the learned channel, decoded
    with channel x syllable LM (Viterbi).  Without a channel artifact: fold + restore."""
    model = D.load_model()
    chan = _ocr_channel()
    lines = [unicodedata.normalize("NFC", x) for x in lines]
    if chan is None:
        return D.restore_lines([D.fold(x) for x in lines])
    breaks = D._segment_breaks(lines)
    segments: list[list] = []
    seg: list = []
    after_row = False
    for li, line in enumerate(lines):
        # a table row's line (cells parted by bars): its cells are read each in its own words,
        # not after the line above's last cell
        bars = [m.start() for m in _CELL_BAR_RE.finditer(line)] if _row_line(line) else []
        if (breaks[li] or bars or after_row) and seg:
            segments.append(seg)
            seg = []
        after_row = bool(bars)
        toks = []
        spans = D.protected_mask(line)
        for m in _OCR_TOKEN_RE.finditer(line):
            text = m.group()
            if spans and any(a <= m.start() and m.end() <= b for a, b in spans):
                continue
            if bars and toks and any(toks[-1][2] <= b < m.start() for b in bars):
                seg.extend(toks)
                segments.append(seg)
                seg, toks = [], []
            if text.isdigit():
                toks.append((li, m.start(), m.end(), text, (D.NUM,), (0.0,), ""))
                continue
            if not any(c.isalpha() for c in text):
                continue
            cands, em = _candidates(chan, text)
            pieces = _glued_pieces(chan, text, cands, em)
            if pieces is None:
                toks.append((li, m.start(), m.end(), text, cands, em, ""))
                continue
            for a, b, end in pieces:
                # a piece of a glued token gets a space after it (the token's last keeps its end)
                glue = " " if end < len(text) else ""
                cands, em = _candidates(chan, text[a:b])
                toks.append((li, m.start() + a, m.start() + end, text[a:b], cands, em, glue))
        seg.extend(toks)
    if seg:
        segments.append(seg)
    segments = D.bounded_segments(segments)
    lattices = [[t[4] for t in sg] for sg in segments]
    emissions = [[[e * OCR_CHANNEL_WEIGHT for e in t[5]] for t in sg] for sg in segments]
    choice = D.decode_segments(model, lattices, emissions)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    caps = [_in_caps(line) for line in lines]
    for sg, sel in zip(segments, choice):
        for (li, start, end, text, cands, _em, glue), j in zip(sg, sel):
            wid = cands[j]
            new = (text if wid < D.N_SPECIAL else _ocr_case(text, model.vocab[wid], caps[li](start))) + glue
            if new != text:
                edits.setdefault(li, []).append((start, end, new))
    out = list(lines)
    for li, eds in edits.items():
        s = lines[li]
        parts = []
        pos = 0
        for start, end, new in eds:
            parts.append(s[pos:start])
            parts.append(new)
            pos = end
        parts.append(s[pos:])
        out[li] = "".join(parts)
    return out


def ocr_alignment_accuracy(src: Sequence[str], ocr: Sequence[str], hyp: Sequence[str]):
    """Word accuracy of the raw OCR and of the repaired lines against the source:
    (n, correct) for each; words aligned per line with difflib."""
    import difflib

    def words(x: str) -> list[str]:
        return [m.group() for m in D.TOKEN_RE.finditer(x) if not m.group()[0].isdigit()]

    n0 = ok0 = n1 = ok1 = 0
    for a, b, c in zip(src, ocr, hyp):
        ra = words(a)
        for other, which in ((b, 0), (c, 1)):
            sm = difflib.SequenceMatcher(None, ra, words(other), autojunk=False)
            ok = sum(bl.size for bl in sm.get_matching_blocks())
            if which == 0:
                n0 += len(ra)
                ok0 += ok
            else:
                n1 += len(ra)
                ok1 += ok
    return n0, ok0, n1, ok1
