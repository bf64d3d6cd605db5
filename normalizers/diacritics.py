"""Vietnamese diacritic restoration with a syllable n-gram language model.

The model (``normalizers/data/lm.npz``, built by ``scripts/train_repair_model.py``) is
a 4-gram interpolated modified Kneser-Ney LM over lower-cased syllables (letter runs;
digit runs map to ``<num>``, paragraph starts to ``<s>``), stored ARPA-style: sorted
uint64 keys (16-bit ids per word, delta-encoded), log probabilities and backoff
weights quantised to uint8.

Decoding: every word token gets a candidate set -- the attested syllables whose
unaccented fold equals the token's fold (for ASCII input; ``repair.py`` supplies
channel-based candidates for OCR input).  A bigram forward-backward pass prunes each
position to at most 4 candidates within 5 nats of the best, then an exact 4-gram Viterbi (state = the last three
syllables) decodes; LM scores for a whole batch of lines are fetched with one
vectorised ``searchsorted`` per order.  Case patterns and every non-letter character
stay in place; tokens that already carry diacritics are kept and used as context.
A document cache then re-decodes positions where the document's other choices
disagree, and a gazetteer of administrative unit names (stored in ``lm.npz``) gives
names after a unit word ("xa Phu Chan" -> "xã Phù Chẩn") their official form and
capitalised names elsewhere a bonus.  URLs, e-mail addresses and file names (a line
that is one file name as a whole) are left alone.

Nothing heavy happens at import time; :func:`load_model` loads (once) the artifacts.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
LM_FILE = "lm.npz"

# --------------------------------------------------------------------------------------
# Letters, folding, tokenisation
# --------------------------------------------------------------------------------------

#: the 12 vowel bases x 6 tones, NFC (72 letters, 66 of them accented) + đ
VOWELS_TONED = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
#: all 67 lower-case accented Vietnamese letters (134 with upper case)
ACCENTED_LOWER = "".join(ch for ch in VOWELS_TONED if ch not in "aeiouy") + "đ"
ACCENTED_UPPER = ACCENTED_LOWER.upper()
ACCENTED_LETTERS = ACCENTED_LOWER + ACCENTED_UPPER

_FOLD_TABLE: dict[int, str] = {}
for _i, _ch in enumerate(VOWELS_TONED):
    _base = "aaaeeiooouuy"["aăâeêioôơuưy".index(VOWELS_TONED[_i - _i % 6])]
    _FOLD_TABLE[ord(_ch)] = _base
    _FOLD_TABLE[ord(_ch.upper())] = _base.upper()
_FOLD_TABLE[ord("đ")] = "d"
_FOLD_TABLE[ord("Đ")] = "D"
_ACCENTED_SET = frozenset(ACCENTED_LETTERS)



def fold(text: str) -> str:
    """Strip Vietnamese diacritics (keeps case): ``"Đường"`` -> ``"Duong"``."""
    return text.translate(_FOLD_TABLE)


def has_accent(text: str) -> bool:
    """True when ``text`` contains at least one accented Vietnamese letter."""
    return not _ACCENTED_SET.isdisjoint(text)


#: a word token is a run of letters; digits runs are separate tokens
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+")
#: training tokeniser (lower-cased text); newlines mark paragraph boundaries
TRAIN_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|\n")

BOS, NUM, UNK = 0, 1, 2
N_SPECIAL = 3
LOG_BACKOFF = math.log(0.4)
QSTEP = 0.08  # quantisation step of stored log scores (nats)
BSTEP = 0.05  # quantisation step of stored log backoff weights (nats)
BATCH_TOKENS = 4000  # decoder batch size (positions)
MAX_SEGMENT_TOKENS = 1000  # longest LM segment: a longer run without a sentence end is decoded in pieces


def apply_case(template: str, word: str) -> str:
    """Give ``word`` (lower case) the case pattern of ``template`` (same length)."""
    if template.islower():
        return word
    if len(template) != len(word):
        if template.isupper():
            return word.upper()
        if template[:1].isupper():
            return word[:1].upper() + word[1:]
        return word
    if template.isupper():
        return word.upper()
    return "".join(w.upper() if t.isupper() else w for t, w in zip(template, word))


# --------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------


@dataclass
class NgramModel:
    """Syllable n-gram LM (stupid backoff, quantised log scores)."""

    vocab: list[str]
    unigram: np.ndarray  # float32 log P(w), index = id
    counts: np.ndarray  # int64 unigram counts
    keys: list[np.ndarray]  # keys[n] sorted uint64 keys of (n+1)-grams, n >= 1
    scores: list[np.ndarray]  # float32 log S(w | h)
    order: int
    word_id: dict[str, int] = field(default_factory=dict)
    candidates: dict[str, tuple[int, ...]] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    backoff: list[np.ndarray] | None = None  # KN: log backoff weights, orders 1..order-1
    #: gazetteer of administrative unit names: folded syllables -> accented syllables
    places: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    #: id -> (id of the same syllable in the other tone style, 1 if this is the old style "hoà" else 0)
    style_twin: dict[int, tuple[int, int]] = field(default_factory=dict)

    # ---- lookups -------------------------------------------------------------------
    def ids(self, words: Iterable[str]) -> list[int]:
        get = self.word_id.get
        return [get(w, UNK) for w in words]

    def _find(self, k: int, key: np.ndarray):
        return _lookup(self.keys[k - 1], key)

    def score_ngrams(self, grams: np.ndarray) -> np.ndarray:
        """Log scores of the last word of each row of ``grams`` (shape (m, order))
        given the others: ARPA backoff (Kneser-Ney models) or stupid backoff."""
        grams = grams.astype(np.uint64, copy=False)
        m, n = grams.shape
        result = self.unigram[grams[:, -1].astype(np.int64)].astype(np.float64)
        kn = self.backoff is not None
        # score_k = found_k ? p_k : bow(context_{k-1}) + score_{k-1}
        for k in range(2, n + 1):
            sub = grams[:, n - k :]
            key = np.zeros(m, dtype=np.uint64)
            for j in range(k):
                key = (key << np.uint64(16)) | sub[:, j]
            pos, found = self._find(k, key)
            if kn:
                if k == 2:
                    bow = self.backoff[0][sub[:, 0].astype(np.int64)].astype(np.float64)
                else:
                    cpos, cfound = self._find(k - 1, key >> np.uint64(16))
                    bow = np.where(cfound, self.backoff[k - 2][cpos], 0.0)
                result = np.where(found, self.scores[k - 1][pos], result + bow)
            else:
                result = np.where(found, self.scores[k - 1][pos], result + LOG_BACKOFF)
        return result

    def sequence_logprob(self, ids: Sequence[int]) -> float:
        """Total log score of a syllable id sequence (with BOS history)."""
        seq = [BOS] * (self.order - 1) + list(ids)
        grams = np.array(
            [seq[i : i + self.order] for i in range(len(seq) - self.order + 1)], dtype=np.uint64
        ).reshape(-1, self.order)
        if grams.size == 0:
            return 0.0
        return float(self.score_ngrams(grams).sum())


#: old-style tone placement on open oa / oe / uy (hoà, thoả, uỷ) -> new style (hòa, thỏa, ủy)
_OLD_TO_NEW = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
               "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def _style_twins(vocab: list[str], word_id: dict[str, int]) -> dict[int, tuple[int, int]]:
    out: dict[int, tuple[int, int]] = {}
    for i in range(N_SPECIAL, len(vocab)):
        w = vocab[i]
        end = w[-2:]
        if end in _OLD_TO_NEW and not (len(w) > 2 and w[-3] in "qg"):
            j = word_id.get(w[:-2] + _OLD_TO_NEW[end])
            if j is not None:
                out[i] = (j, 1)
                out[j] = (i, 0)
    return out


def _build_candidates(vocab: list[str], counts: np.ndarray, min_ratio: float, max_cands: int):
    groups: dict[str, list[tuple[int, int]]] = {}
    for i in range(N_SPECIAL, len(vocab)):
        w = vocab[i]
        groups.setdefault(fold(w), []).append((int(counts[i]), i))
    cands: dict[str, tuple[int, ...]] = {}
    for f, lst in groups.items():
        lst.sort(reverse=True)
        top = lst[0][0]
        keep = [i for c, i in lst if c >= top * min_ratio][:max_cands]
        cands[f] = tuple(keep)
    return cands


def load_model_from(path: Path | str, min_ratio: float = 2e-4, max_cands: int = 12) -> NgramModel:
    with np.load(Path(path), allow_pickle=False) as z:
        vocab = bytes(z["vocab"]).decode("utf-8").split("\n")
        counts = z["counts"].astype(np.int64)
        order = int(z["order"])
        keys: list[np.ndarray] = [np.zeros(0, dtype=np.uint64)]
        scores: list[np.ndarray] = [np.zeros(0, dtype=np.float32)]
        for n in range(2, order + 1):
            d = z[f"d{n}"].astype(np.uint64)
            keys.append(np.cumsum(d, dtype=np.uint64))
            q = z[f"q{n}"]
            scores.append((-QSTEP * q.astype(np.float32)).astype(np.float32))
        extra = {k: z[k] for k in z.files if k.startswith("x_")}
        backoff = None
        if "smoothing" in z.files and int(z["smoothing"]) == 1:
            uni = z["p1"].astype(np.float32)
            backoff = [z["b1"].astype(np.float32)]
            for n in range(2, order):
                backoff.append((-BSTEP * z[f"b{n}"].astype(np.float32)).astype(np.float32))
    if backoff is None:
        total = counts[N_SPECIAL:].sum() + counts[NUM]
        uni = np.log(np.maximum(counts, 0.5) / total).astype(np.float32)
        uni[BOS] = 0.0
    if order != 4:
        raise ValueError("the decoder expects a 4-gram model")
    model = NgramModel(
        vocab=vocab, unigram=uni, counts=counts, keys=keys, scores=scores, order=order, extra=extra, backoff=backoff
    )
    model.word_id = {w: i for i, w in enumerate(vocab) if i >= N_SPECIAL}
    model.candidates = _build_candidates(vocab, counts, min_ratio, max_cands)
    model.style_twin = _style_twins(vocab, model.word_id)
    if "x_places" in extra:
        model.places = {
            tuple(k.split()): tuple(f.split())
            for k, f in (ln.split("\t") for ln in bytes(extra["x_places"]).decode("utf-8").split("\n") if ln)
        }
    return model


def load_json_artifact(name: str) -> dict | None:
    """A gzip-compressed JSON artifact of ``normalizers/data`` (None when it is missing)."""
    import gzip
    import json

    path = DATA_DIR / name
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=1)
def load_model() -> NgramModel:
    """Load the committed artifacts once (cached)."""
    return load_model_from(DATA_DIR / LM_FILE)


# --------------------------------------------------------------------------------------
# Viterbi decoding over a candidate lattice
# --------------------------------------------------------------------------------------


def _lookup(table: np.ndarray, key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(position, found) of ``key`` values in the sorted ``table``.  Queries are
    deduplicated and sorted first: binary searches in key order are cache friendly
    (about 5x faster than random order on tables of millions of keys)."""
    if table.size == 0 or key.size == 0:
        return np.zeros(key.size, dtype=np.int64), np.zeros(key.size, dtype=bool)
    uniq, inv = np.unique(key, return_inverse=True)
    upos = np.minimum(np.searchsorted(table, uniq), table.size - 1)
    ufound = table[upos] == uniq
    return upos[inv], ufound[inv]


def _bigram_scores(model: NgramModel, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
    """Stupid-backoff log S(cur | prev) for id arrays."""
    uni = model.unigram[cur.astype(np.int64)].astype(np.float64)
    table = model.keys[1]
    if table.size == 0:
        return uni + LOG_BACKOFF
    key = (prev.astype(np.uint64) << np.uint64(16)) | cur.astype(np.uint64)
    pos, found = _lookup(table, key)
    if model.backoff is not None:
        return np.where(found, model.scores[1][pos], uni + model.backoff[0][prev.astype(np.int64)])
    return np.where(found, model.scores[1][pos], uni + LOG_BACKOFF)


def _prune_bigram(model, lattices, emissions, margin, keep):
    """Bigram forward-backward max-marginals over all segments at once (candidate
    sets padded to a fixed width); keep candidates within ``margin`` nats of the best
    (at most ``keep``) at every position.  Returns, per segment and position, the
    list of kept candidate indices."""
    K = max(len(c) for lat in lattices for c in lat)
    rows: list[list[int]] = []
    ems: list[list[float]] = []
    pad_ids = [-1] * K
    zero = [0.0] * K
    seg_start: list[int] = []
    for si, lat in enumerate(lattices):
        seg_start.append(len(rows))
        rows.append([BOS] + pad_ids[1:])
        ems.append(zero)
        em = emissions[si] if emissions is not None else None
        for t, c in enumerate(lat):
            rows.append(list(c) + pad_ids[len(c) :])
            if em is not None:
                e = list(em[t])
                ems.append(e + zero[len(e) :])
            else:
                ems.append(zero)
    C = np.array(rows, dtype=np.int64)  # (T, K)
    valid = C >= 0
    T = C.shape[0]
    nk = valid.sum(axis=1)
    # all (prev i, cur j) pairs of consecutive positions, without the padding
    n_prev, n_cur = nk[:-1], nk[1:]
    sizes = n_prev * n_cur
    tt = np.repeat(np.arange(T - 1), sizes)
    starts = np.cumsum(sizes) - sizes
    r = np.arange(tt.size) - starts[tt]
    ii = r // n_cur[tt]
    jj = r % n_cur[tt]
    S = np.full((T - 1, K, K), -1e9)
    if tt.size:
        S[tt, ii, jj] = _bigram_scores(model, C[tt, ii].astype(np.uint64), C[tt + 1, jj].astype(np.uint64))
    Em = np.array(ems, dtype=np.float64)
    Em[~valid] = -1e9
    fwd = np.zeros((T, K))
    bwd = np.zeros((T, K))
    # segments of similar length are run side by side (vectorised over the group)
    starts_all = np.array(seg_start, dtype=np.int64)
    lens_all = np.array([len(lat) for lat in lattices], dtype=np.int64)
    by_len = np.argsort(lens_all, kind="stable")
    G = 256
    for g0 in range(0, len(lattices), G):
        idx = by_len[g0 : g0 + G]
        starts, lens = starts_all[idx], lens_all[idx]
        L = int(lens.max())
        R = starts[:, None] + np.minimum(np.arange(L + 1)[None, :], lens[:, None])
        f = np.where(valid[R[:, 0]], 0.0, -1e9)
        fwd[R[:, 0]] = f
        for t in range(1, L + 1):
            rt = R[:, t]
            ft = (f[:, :, None] + S[rt - 1]).max(axis=1) + Em[rt]
            act = t <= lens
            f = np.where(act[:, None], ft, f)
            fwd[rt[act]] = ft[act]
        b = np.zeros((idx.size, K))
        for t in range(L - 1, -1, -1):
            rt = R[:, t]
            bt = (S[np.minimum(rt, T - 2)] + (b + Em[R[:, t + 1]])[:, None, :]).max(axis=2)
            act = t < lens
            b = np.where(act[:, None], bt, b)
            bwd[rt[act]] = bt[act]
    tot = fwd + bwd
    tot[~valid] = -np.inf
    order = np.argsort(-tot, axis=1, kind="stable")[:, :keep]
    best = tot.max(axis=1)
    keepmask = np.take_along_axis(tot, order, axis=1) >= (best - margin)[:, None]
    order_l = order.tolist()
    keep_l = keepmask.tolist()
    out = []
    r = 0
    for lat in lattices:
        r += 1  # BOS row
        kp = []
        for c in lat:
            if len(c) == 1:
                kp.append([0])
            else:
                kp.append(sorted(i for i, k in zip(order_l[r], keep_l[r]) if k))
            r += 1
        out.append(kp)
    return out


def decode_segments(
    model: NgramModel,
    lattices: Sequence[Sequence[Sequence[int]]],
    emissions: Sequence[Sequence[Sequence[float]]] | None = None,
    margin: float = 5.0,
    keep: int = 4,
    kept_out: list | None = None,
) -> list[list[int]]:
    """Best candidate index per position for each segment.

    ``lattices[s][t]`` lists candidate vocabulary ids at position t of segment s
    (position 0 follows the sentence start).  ``emissions[s][t][j]`` is an optional
    extra log score (e.g. a noisy channel) of candidate j.  A bigram forward-backward
    pass prunes candidates, then an order-``model.order`` Viterbi (state = the last
    ``order - 1`` syllables) decodes the pruned lattice.  LM scores for all segments
    are fetched in one batch.  ``kept_out``, when given, is extended with the
    candidate indices that survived pruning, per segment and position.
    """
    S = len(lattices)
    # bounded memory: decode large inputs in batches of about BATCH_TOKENS positions
    if sum(len(lat) for lat in lattices) > BATCH_TOKENS and S > 1:
        out: list[list[int]] = []
        start = 0
        while start < S:
            end, size = start, 0
            while end < S and (size == 0 or size + len(lattices[end]) <= BATCH_TOKENS):
                size += len(lattices[end])
                end += 1
            out.extend(
                decode_segments(
                    model, lattices[start:end], None if emissions is None else emissions[start:end], margin, keep,
                    kept_out,
                )
            )
            start = end
        return out
    results: list[list[int]] = [[0] * len(lat) for lat in lattices]
    amb = [si for si in range(S) if any(len(c) > 1 for c in lattices[si])]
    kept = _prune_bigram(model, [lattices[si] for si in amb], [emissions[si] for si in amb] if emissions is not None else None, margin, keep) if amb else []
    if kept_out is not None:
        by_seg = dict(zip(amb, kept))
        kept_out.extend(by_seg.get(si) or [[0]] * len(lattices[si]) for si in range(S))
    if not amb:
        return results
    N = model.order
    H = N - 1
    jobs = []
    grams: list[int] = []  # flat list of N ids per combo
    for n_, si in enumerate(amb):
        lat = lattices[si]
        kp = kept[n_]
        red = [[lat[t][i] for i in kp[t]] for t in range(len(lat))]
        if all(len(c) == 1 for c in red):
            results[si] = [k[0] for k in kp]
            continue
        red_em = None
        if emissions is not None:
            em = emissions[si]
            red_em = [[em[t][i] for i in kp[t]] for t in range(len(lat))]
        full = [[BOS]] * H + red
        offs = []
        for t in range(len(red)):
            window = full[t : t + N]
            size = 1
            for c in window:
                size *= len(c)
            if size == 1:
                offs.append(None)
                continue
            offs.append(len(grams) // N)
            for combo in itertools.product(*window):
                grams.extend(combo)
        jobs.append((si, kp, red, red_em, offs))
    if not jobs:
        return results
    garr = np.array(grams, dtype=np.uint64).reshape(-1, N)
    sc = model.score_ngrams(garr).tolist() if garr.size else []
    NEG = -1e18
    for si, kp, red, red_em, offs in jobs:
        T = len(red)
        dims = [1] * H + [len(c) for c in red]
        dp = [0.0]
        backs: list = []
        for t in range(T):
            k0, k1, k2, k3 = dims[t], dims[t + 1], dims[t + 2], dims[t + 3]
            o = offs[t]
            if o is None:
                backs.append(None)
                continue
            e = red_em[t] if red_em is not None else None
            new = [NEG] * (k1 * k2 * k3)
            bp = [0] * (k1 * k2 * k3)
            idx = o
            for a in range(k0):
                for b in range(k1):
                    for c in range(k2):
                        base = dp[(a * k1 + b) * k2 + c]
                        pos0 = (b * k2 + c) * k3
                        for d in range(k3):
                            v = base + sc[idx] + (e[d] if e is not None else 0.0)
                            idx += 1
                            if v > new[pos0 + d]:
                                new[pos0 + d] = v
                                bp[pos0 + d] = a
            dp = new
            backs.append(bp)
        # final state over the last H positions
        k1, k2, k3 = dims[T], dims[T + 1], dims[T + 2]
        best = max(range(len(dp)), key=dp.__getitem__)
        chosen = [0] * (T + H)
        chosen[T] = best // (k2 * k3)
        chosen[T + 1] = (best // k3) % k2
        chosen[T + 2] = best % k3
        for t in range(T - 1, -1, -1):
            bp = backs[t]
            if bp is None:
                chosen[t] = 0
            else:
                k1, k2, k3 = dims[t + 1], dims[t + 2], dims[t + 3]
                chosen[t] = bp[(chosen[t + 1] * k2 + chosen[t + 2]) * k3 + chosen[t + 3]]
        sel = chosen[H:]
        results[si] = [kp[t][sel[t]] for t in range(T)]
    return results


def viterbi(model: NgramModel, lattice: Sequence[Sequence[int]], emissions: Sequence[Sequence[float]] | None = None) -> list[int]:
    """Best candidate index per position for one segment (see :func:`decode_segments`)."""
    return decode_segments(model, [lattice], None if emissions is None else [emissions])[0]


# --------------------------------------------------------------------------------------
# ASCII restoration
# --------------------------------------------------------------------------------------


def _segment_breaks(lines: Sequence[str]) -> list[bool]:
    """Whether line i starts a new LM segment (True) or continues line i-1 (a PDF line
    broken mid-sentence)."""
    out = []
    prev_open = False
    for line in lines:
        s = line.strip()
        if not s:
            out.append(True)
            prev_open = False
            continue
        out.append(not prev_open or s[0] in "-+*\u2022\u2013")
        prev_open = s[-1] not in ".:;!?" and not s.isupper()
    return out


def tokenize_for_lm(model: NgramModel, lines: Sequence[str], cross_lines: bool = True):
    """Split lines into LM segments: a list of segments, each a list of
    (line index, start, end, text, candidate ids)."""
    breaks = _segment_breaks(lines) if cross_lines else [True] * len(lines)
    cand_get = model.candidates.get
    wid_get = model.word_id.get
    segments: list[list[tuple[int, int, int, str, tuple[int, ...]]]] = []
    seg: list = []
    for li, line in enumerate(lines):
        if breaks[li] and seg:
            segments.append(seg)
            seg = []
        spans = protected_mask(line)
        for m in TOKEN_RE.finditer(line):
            text = m.group()
            if spans and _inside(spans, m.start(), m.end()):
                continue
            if text[0].isdigit():
                seg.append((li, m.start(), m.end(), text, (NUM,)))
                continue
            low = text.lower()
            if has_accent(low):
                cands = (wid_get(low, UNK),)
            elif len(text) == 1 and text.isupper() and _next_to_digit(line, m.start(), m.end()):
                cands = (wid_get(low, UNK),)  # a code letter: 1.1D, D0, AD1 (but 100.000d is đồng)
            else:
                cands = cand_get(low) or (wid_get(low, UNK),)
            seg.append((li, m.start(), m.end(), text, cands))
    if seg:
        segments.append(seg)
    return bounded_segments(segments)


def bounded_segments(segments: list[list]) -> list[list]:
    """The segments with every one longer than :data:`MAX_SEGMENT_TOKENS` cut into pieces of that
    size: the decoder's work and memory grow with a segment's length, and a line of megabytes
    without a full stop (or lines chained without one) must not become one lattice."""
    if all(len(seg) <= MAX_SEGMENT_TOKENS for seg in segments):
        return segments
    return [seg[k:k + MAX_SEGMENT_TOKENS] for seg in segments for k in range(0, len(seg) or 1, MAX_SEGMENT_TOKENS)]


def _next_to_digit(line: str, start: int, end: int) -> bool:
    return (start > 0 and line[start - 1].isdigit()) or (end < len(line) and line[end].isdigit())


#: URLs, e-mail addresses and file names are never changed
PROTECTED_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:docx?|xlsx?|pdf|html?|vn|com|org|net)\b",
    re.IGNORECASE,
)


#: a line that is nothing but a file name, spaces allowed ("Phu luc II_Kem theo Thong tu
#: so 10-2016-TT-BNN.pdf", an attachment list): an identifier, kept as a whole
FILE_NAME_LINE_RE = re.compile(
    r"^\s*[^\s:;,!?][^:;,!?]{0,199}\.(?:docx?|xlsx?|pptx?|pdf|rar|zip|7z|odt|ods|rtf|txt|jpe?g|png)\s*$",
    re.IGNORECASE,
)


#: a Roman numeral in capitals opening a heading or a table's group row ("VI. CẢI CÁCH TÀI CHÍNH
#: CÔNG", "VI Xây dựng chính quyền số", "VI" alone in its cell): a number, not the syllable "vì" / "vị" / "xi" (a heading in capitals that
#: opens with "VỊ TRÍ" keeps "VI": group rows are far more common)
ROMAN_HEAD_RE = re.compile(r"^\s*(?=[IVX])(X{0,3}(?:IX|IV|V?I{0,3}))(?=[.)]|\s*$|\s+[A-ZĐ])")


def protected_mask(line: str) -> list[tuple[int, int]]:
    """Spans of ``line`` that repairs must leave alone (URLs, e-mails, file names; a
    line that is one file name as a whole; a Roman numeral heading a line in capitals)."""
    roman = ROMAN_HEAD_RE.match(line) if line[:1] in "IVX " else None
    spans = [roman.span(1)] if roman and roman.group(1) else []
    if "." not in line and "@" not in line and "/" not in line:
        return spans
    if FILE_NAME_LINE_RE.match(line):
        return [(0, len(line))]
    return spans + [m.span() for m in PROTECTED_RE.finditer(line)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


_MARKER_RE = re.compile(r"^\s*([A-Za-zĐđ])\s*[).]")


def _fix_list_markers(lines: list[str], original: Sequence[str]) -> None:
    """``d)``/``đ)`` list items: Vietnamese lists run a) b) c) d) đ) e); decide the
    ASCII ``d`` marker from the previous marker of the document."""
    prev = None
    for i, line in enumerate(lines):
        m = _MARKER_RE.match(line)
        if not m:
            continue
        ch = m.group(1)
        if original[i][m.start(1)] in "dD" and ch in "dDđĐ":
            want_dd = prev is not None and prev in "dD"
            want_d = prev is not None and prev in "cC"
            new = None
            if want_dd:
                new = "đ" if original[i][m.start(1)] == "d" else "Đ"
            elif want_d:
                new = original[i][m.start(1)]
            if new is not None and new != ch:
                lines[i] = line[: m.start(1)] + new + line[m.end(1) :]
                ch = new
        prev = ch


#: weight of the document cache (a local second pass where it disputes a first-pass
#: choice); 0 disables it.
CACHE_WEIGHT = 0.5


def _cache_emissions(segments, choice, weight: float):
    """Document-level cache: candidates chosen elsewhere in the document (first pass,
    leave-one-out) get a bonus ``weight * log P_doc(w | fold)``."""
    counts: dict[int, int] = {}
    for seg, sel in zip(segments, choice):
        for tok, j in zip(seg, sel):
            cands = tok[4]
            if len(cands) > 1:
                counts[cands[j]] = counts.get(cands[j], 0) + 1
    ems = []
    for seg, sel in zip(segments, choice):
        e_seg = []
        for tok, j in zip(seg, sel):
            cands = tok[4]
            if len(cands) == 1:
                e_seg.append((0.0,))
                continue
            ns = [counts.get(w, 0) - (1 if i == j else 0) for i, w in enumerate(cands)]
            tot = sum(ns) + 0.5 * len(cands)
            e_seg.append(tuple(weight * math.log((n + 0.5) / tot) for n in ns))
        ems.append(e_seg)
    return ems


def _apply_cache(model, segments, lattices, choice, kept, weight: float) -> None:
    """Second pass with the document cache, local: every position whose first-pass
    choice the cache disputes (another candidate that survived pruning is preferred
    by the document) is decoded again inside a window of +-3 fixed neighbours (the
    4-gram context), with the cache bonus as emission."""
    ems = _cache_emissions(segments, choice, weight)
    subs, sub_ems, where = [], [], []
    for si, (e_seg, sel, kp) in enumerate(zip(ems, choice, kept)):
        lat = lattices[si]
        for t, (e, j, k) in enumerate(zip(e_seg, sel, kp)):
            if len(k) > 1 and any(e[i] > e[j] for i in k):
                lo, hi = max(0, t - 3), min(len(lat), t + 4)
                sub = [(lat[u][sel[u]],) for u in range(lo, hi)]
                sub[t - lo] = tuple(lat[t][i] for i in k)
                em = [(0.0,)] * (hi - lo)
                em[t - lo] = tuple(e[i] for i in k)
                subs.append(sub)
                sub_ems.append(em)
                where.append((si, t, t - lo, k))
    if not subs:
        return
    res = decode_segments(model, subs, sub_ems)
    for (si, t, off, k), sel in zip(where, res):
        choice[si][t] = k[sel[off]]


#: log bonus of the gazetteer form of a capitalised name that is not preceded by a unit word
PLACE_BONUS = 3.0
#: unit words (folded, lower case) after which a capitalised name is a unit name
_UNIT_WORDS = {("xa",), ("phuong",), ("huyen",), ("quan",), ("tinh",), ("tp",), ("tx",), ("thi", "tran"),
               ("thi", "xa"), ("thanh", "pho")}


def _place_runs(model: NgramModel, segments, lines):
    """Administrative unit names in the (unaccented) input: runs of 2-4 capitalised
    ASCII tokens one space apart whose folded form is in the gazetteer (longest match
    first).  Yields (segment, first position, accented syllables, after a unit word)."""
    places = model.places
    if not places:
        return
    for si, seg in enumerate(segments):
        n = len(seg)
        t = 0
        while t < n:
            li, start, end, text, _c = seg[t]
            if not (text[:1].isupper() and text.isalpha() and text.isascii()):
                t += 1
                continue
            # the run of capitalised tokens from t
            u = t + 1
            while (
                u < n and u - t < 4 and seg[u][0] == li and lines[li][seg[u - 1][2] : seg[u][1]] == " "
                and seg[u][3][:1].isupper() and seg[u][3].isalpha() and seg[u][3].isascii()
            ):
                u += 1
            hit = None
            for k in range(u - t, 1, -1):
                key = tuple(seg[x][3].lower() for x in range(t, t + k))
                form = places.get(key)
                if form is not None:
                    hit = (k, form)
                    break
            if hit is None:
                t += 1
                continue
            k, form = hit
            prev2 = tuple(seg[x][3].lower() for x in range(max(0, t - 2), t) if seg[x][0] == li)
            after_unit = prev2[-1:] in _UNIT_WORDS or prev2 in _UNIT_WORDS
            # without a unit word only a whole capitalised run counts ("Van Thanh" of
            # the person "Nguyen Van Thanh" is no place)
            prev_cap = t > 0 and seg[t - 1][0] == li and seg[t - 1][3][:1].isupper() and lines[li][seg[t - 1][2] : start] == " "
            if after_unit or (k == u - t and not prev_cap):
                yield si, t, form, after_unit
            t += k


def _apply_places(model, segments, lines, lattices, choice, overrides) -> None:
    """Gazetteer pass: after a unit word ("xa Vinh Lap", "huyen Thanh Ha") a name in the
    gazetteer takes its form; elsewhere the form gets a bonus of ``PLACE_BONUS`` nats
    in a local re-decode (+-3 fixed neighbours), so that strong LM evidence (a
    person's name "Nguyen Van Thanh") still wins."""
    wid = model.word_id
    subs, sub_ems, where = [], [], []
    for si, t, form, after_unit in _place_runs(model, segments, lines):
        lat = lattices[si]
        sel = choice[si]
        k = len(form)
        ids = [wid.get(x) for x in form]
        if all(lat[t + j][sel[t + j]] == ids[j] for j in range(k)):
            continue
        if after_unit:
            for j in range(k):
                tok = segments[si][t + j]
                if ids[j] is not None and ids[j] in lat[t + j]:
                    choice[si][t + j] = lat[t + j].index(ids[j])
                else:
                    overrides[(tok[0], tok[1])] = form[j]
            continue
        if not all(i is not None and i in lat[t + j] for j, i in enumerate(ids)):
            continue
        lo, hi = max(0, t - 3), min(len(lat), t + k + 3)
        sub = [(lat[u][sel[u]],) for u in range(lo, hi)]
        em = [(0.0,)] * (hi - lo)
        for j in range(k):
            c = tuple(lat[t + j])
            sub[t + j - lo] = c
            em[t + j - lo] = tuple(PLACE_BONUS if w == ids[j] else 0.0 for w in c)
        subs.append(sub)
        sub_ems.append(em)
        where.append((si, t, k, lo))
    if not subs:
        return
    res = decode_segments(model, subs, sub_ems)
    for (si, t, k, lo), sel in zip(where, res):
        for j in range(k):
            choice[si][t + j] = sel[t + j - lo]


#: a document writes hoà/thoả/uỷ (old style) or hòa/thỏa/ủy (new style), rarely both:
#: when at least this share of the style-marked choices (and 3 or more) agree, the
#: others follow them
STYLE_MAJORITY = 2 / 3


def _unify_style(model, lattices, choice) -> None:
    twin = model.style_twin
    if not twin:
        return
    votes = [0, 0]
    marked = []
    for si, sel in enumerate(choice):
        lat = lattices[si]
        for t, j in enumerate(sel):
            w = lat[t][j]
            tw = twin.get(w)
            if tw is not None and len(lat[t]) > 1:
                votes[tw[1]] += 1
                marked.append((si, t, tw))
    total = votes[0] + votes[1]
    if total < 3:
        return
    old = 1 if votes[1] >= STYLE_MAJORITY * total else 0 if votes[0] >= STYLE_MAJORITY * total else None
    if old is None:
        return
    for si, t, (other, is_old) in marked:
        if is_old != old and other in lattices[si][t]:
            choice[si][t] = lattices[si][t].index(other)


def restore_lines(
    lines: Sequence[str], model: NgramModel | None = None, cross_lines: bool = True, cache_weight: float | None = None
) -> list[str]:
    """Restore diacritics of (ASCII / partly accented) lines; non-letters kept in place.

    Tokens that already carry diacritics are kept as they are and serve as context.
    With a document cache (``cache_weight`` > 0) the lines are decoded twice, the
    second time favouring the forms chosen elsewhere in the same document.
    """
    if model is None:
        model = load_model()
    if cache_weight is None:
        cache_weight = CACHE_WEIGHT
    lines = [unicodedata.normalize("NFC", ln) for ln in lines]
    segments = tokenize_for_lm(model, lines, cross_lines)
    lattices = [[tok[4] for tok in seg] for seg in segments]
    kept: list = []
    choice = decode_segments(model, lattices, kept_out=kept)
    if cache_weight > 0 and len(segments) > 1:
        _apply_cache(model, segments, lattices, choice, kept, cache_weight)
    if STYLE_MAJORITY is not None:
        _unify_style(model, lattices, choice)
    overrides: dict[tuple[int, int], str] = {}
    if model.places:
        _apply_places(model, segments, lines, lattices, choice, overrides)
    out = [list(ln) for ln in lines]
    vocab = model.vocab
    for seg, sel in zip(segments, choice):
        for (li, start, end, text, cands), j in zip(seg, sel):
            wid = cands[j]
            word = overrides.get((li, start))
            if word is None:
                if wid < N_SPECIAL:
                    continue
                word = vocab[wid]
            new = apply_case(text, word)
            if new != text and len(new) == end - start:
                out[li][start:end] = new
    res = ["".join(chars) for chars in out]
    _fix_list_markers(res, lines)
    return res


def restore_units(texts: Sequence[str], model: NgramModel | None = None) -> list[str]:
    """Diacritics of stripped texts that are units of their own (the cells of a table), each
    restored from scratch in its own context: the folded text is decoded without the words
    printed beside it (a text dump's line runs through several cells, whose neighbours are
    the wrong context), the forms chosen in the other units still favoured.  A unit's lines
    are decoded as one run; restoring keeps every character's place, so its line breaks stay."""
    texts = list(texts)
    restored = restore_lines([fold(t).replace("\n", " ") for t in texts], model, cross_lines=False)
    return ["".join("\n" if c == "\n" else r for c, r in zip(t, new)) if "\n" in t else new
            for t, new in zip(texts, restored)]


def restore(text: str, model: NgramModel | None = None) -> str:
    """Restore diacritics of a text (may contain newlines)."""
    return "\n".join(restore_lines(text.split("\n"), model))
