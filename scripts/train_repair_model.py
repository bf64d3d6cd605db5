#!/usr/bin/env python
"""Train the text-repair artifacts in ``normalizers/data/`` from a corpus directory.

Usage::

    python scripts/train_repair_model.py --corpus-dir /path/to/corpus [--out-dir normalizers/data]

Corpus: ``*.txt.xz`` (or ``*.txt``) files, UTF-8, one paragraph per line, a blank line
between documents.  Files are read in sorted order.

Held-out split (by whole documents): a document (its lines joined by ``\\n``) is held
out when ``int(md5(text).hexdigest(), 16) % 50 == 0`` (about 2 %).  Held-out documents
are never counted; ``scripts/eval_repair.py`` evaluates on them.  The development
split (``% 50 == 1``, another 2 %) is not counted either: it is the text on which
errors are analysed and decoder settings are chosen (``eval_repair.py --split dev``),
so that the held-out figures stay untouched by tuning.

Model: 4-gram syllable LM, interpolated modified Kneser-Ney (default ``--smoothing kn``;
``stupid`` = stupid backoff 0.4) over lower-cased letter runs (digit runs -> ``<num>``,
paragraph start -> ``<s>``); the 65,533 most frequent tokens with count >= 2 form the
vocabulary, others map to ``<unk>``.  n-grams with raw count below ``--min-count``
(default 1 1 2 for orders 2 3 4: 4-gram singletons dropped) are not stored.  Log
probabilities (0.08 nat steps) and backoff weights (0.05 nat steps) are quantised to
uint8; sorted keys (16-bit ids per word) are delta-encoded; everything goes into one
compressed npz (``lm.npz``, ~22 MB), with the gazetteer of administrative unit names
(``x_places``: folded key -> accented form, from ``normalizers.admin_units`` data; keys
with more than one form are left out).  The OCR channel (``ocr_channel.json.gz``) is
built separately by ``scripts/make_ocr_pairs.py``.
The process is deterministic (no randomness).
"""

from __future__ import annotations

import argparse
import hashlib
import lzma
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizers.diacritics import (  # noqa: E402
    BOS,
    LM_FILE,
    N_SPECIAL,
    NUM,
    QSTEP,
    BSTEP,
    TRAIN_TOKEN_RE,
    UNK,
)

HELDOUT_MOD = 50
DEV_RESIDUE = 1  # md5 % 50 == 1: development split (not trained on, used for tuning)


def _residue(doc_text: str) -> int:
    return int(hashlib.md5(doc_text.encode("utf-8")).hexdigest(), 16) % HELDOUT_MOD


def is_heldout(doc_text: str) -> bool:
    return _residue(doc_text) == 0


def is_dev(doc_text: str) -> bool:
    return _residue(doc_text) == DEV_RESIDUE


def corpus_files(corpus_dir: Path) -> list[Path]:
    files = sorted(corpus_dir.glob("*.txt.xz")) + sorted(corpus_dir.glob("*.txt"))
    if not files:
        raise SystemExit(f"no *.txt.xz / *.txt files in {corpus_dir}")
    return files


def iter_documents(corpus_dir: Path):
    """Yield (file_name, doc_text) for every document (lines joined by '\\n')."""
    for path in corpus_files(corpus_dir):
        opener = lzma.open if path.suffix == ".xz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            buf: list[str] = []
            for line in fh:
                line = line.rstrip("\n")
                if line.strip():
                    buf.append(line)
                elif buf:
                    yield path.name, "\n".join(buf)
                    buf = []
            if buf:
                yield path.name, "\n".join(buf)


def iter_split(corpus_dir: Path, heldout: bool):
    """Held-out documents (``heldout=True``) or all the others (the OCR pages of
    ``make model`` are rendered from the latter, development documents included)."""
    for name, doc in iter_documents(corpus_dir):
        if is_heldout(doc) == heldout:
            yield name, doc


def iter_named_split(corpus_dir: Path, split: str):
    """Documents of one split: ``heldout`` (% 50 == 0), ``dev`` (% 50 == 1) or
    ``train`` (the rest: what the LM counts)."""
    for name, doc in iter_documents(corpus_dir):
        r = _residue(doc)
        kind = "heldout" if r == 0 else "dev" if r == DEV_RESIDUE else "train"
        if kind == split:
            yield name, doc


def tokenize_corpus(corpus_dir: Path):
    """Return (provisional id array, provisional vocab list)."""
    prov: dict[str, int] = {"\n": 0}
    chunks = []
    n_docs = n_held = n_dev = 0
    buf: list[int] = []
    for _name, doc in iter_documents(corpus_dir):
        r = _residue(doc)
        if r == 0:
            n_held += 1
            continue
        if r == DEV_RESIDUE:
            n_dev += 1
            continue
        n_docs += 1
        toks = TRAIN_TOKEN_RE.findall("\n" + doc.lower())
        sd = prov.setdefault
        buf.extend([sd(t, len(prov)) for t in toks])
        if len(buf) > 5_000_000:
            chunks.append(np.array(buf, dtype=np.uint32))
            buf = []
    chunks.append(np.array(buf + [0], dtype=np.uint32))
    print(f"train docs {n_docs}, held-out docs {n_held}, dev docs {n_dev}", flush=True)
    ids = np.concatenate(chunks)
    words = [None] * len(prov)
    for w, i in prov.items():
        words[i] = w
    return ids, words


def build(corpus_dir: Path, out_dir: Path, order: int, max_vocab: int, min_count: dict, prune_delta: float, smoothing: str = "kn"):
    t0 = time.time()
    pids, pwords = tokenize_corpus(corpus_dir)
    print(f"tokens {pids.size:,} unique {len(pwords):,} ({time.time()-t0:.0f}s)", flush=True)
    pcounts = np.bincount(pids, minlength=len(pwords))
    is_num = np.array([w[0].isdigit() for w in pwords], dtype=bool)
    # vocabulary: most frequent word tokens (count >= 2); ties broken by the string
    word_idx = [i for i in range(1, len(pwords)) if not is_num[i] and pcounts[i] >= 2]
    word_idx.sort(key=lambda i: (-int(pcounts[i]), pwords[i]))
    word_idx = word_idx[: max_vocab - N_SPECIAL]
    remap = np.full(len(pwords), UNK, dtype=np.uint64)
    remap[is_num] = NUM
    remap[0] = BOS
    vocab = ["<s>", "<num>", "<unk>"]
    for new, old in enumerate(word_idx, start=N_SPECIAL):
        remap[old] = new
        vocab.append(pwords[old])
    ids = remap[pids]
    del pids
    counts = np.bincount(ids.astype(np.int64), minlength=len(vocab)).astype(np.int64)
    print(f"vocab {len(vocab):,}; covered tokens {1 - counts[UNK] / ids.size:.4%}", flush=True)

    places = place_names()
    print(f"place names {len(places):,}", flush=True)
    arrays: dict[str, np.ndarray] = {
        "vocab": np.frombuffer("\n".join(vocab).encode("utf-8"), dtype=np.uint8),
        "counts": counts,
        "order": np.array(order),
        # gazetteer of unit names: "key\tform" lines (see diacritics.restore_lines)
        "x_places": np.frombuffer("\n".join(f"{k}\t{f}" for k, f in places).encode("utf-8"), dtype=np.uint8),
    }
    if smoothing == "kn":
        build_kn(ids, counts, order, min_count, arrays)
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / LM_FILE
        np.savez_compressed(path, **arrays)
        print(f"wrote {path} ({path.stat().st_size/1e6:.1f} MB) in {time.time()-t0:.0f}s")
        return
    prev_keys = None  # (n-1)-gram keys / counts for context counts
    prev_counts = None
    prev_scores = None
    uni_total = counts[N_SPECIAL:].sum() + counts[NUM]
    uni_logp = np.log(np.maximum(counts, 0.5) / uni_total)
    uni_logp[BOS] = 0.0
    for n in range(2, order + 1):
        t1 = time.time()
        uk, uc = _unique_ngrams(ids, n)
        # context counts: the (n-1)-gram prefix
        ctx = uk >> np.uint64(16)
        if n == 2:
            ctx_count = counts[ctx.astype(np.int64)].astype(np.float64)
        else:
            pos = np.searchsorted(prev_keys, ctx)
            pos = np.minimum(pos, prev_keys.size - 1)
            found = prev_keys[pos] == ctx
            ctx_count = np.where(found, prev_counts[pos], uc).astype(np.float64)
        logs = np.log(uc / np.maximum(ctx_count, uc))
        # backed-off score (from the (n-1)-gram suffix) for pruning
        suffix = uk & np.uint64((1 << (16 * (n - 1))) - 1)
        if n == 2:
            lower = uni_logp[suffix.astype(np.int64)]
        else:
            pos = np.searchsorted(prev_keys, suffix)
            pos = np.minimum(pos, prev_keys.size - 1)
            found = prev_keys[pos] == suffix
            lower = np.where(found, prev_scores[pos], -99.0)  # -99: unknown, keep
        backed = np.log(0.4) + lower
        keep = (uc >= min_count[n]) & (np.abs(logs - backed) >= prune_delta)
        # keep counts of all n-grams (>= 2) as contexts for the next order
        ctx_keep = uc >= 2
        prev_keys_all, prev_counts_all = uk[ctx_keep], uc[ctx_keep]
        kk, ll = uk[keep], logs[keep]
        q = np.clip(np.round(-ll / QSTEP), 0, 255).astype(np.uint8)
        arrays[f"d{n}"] = np.diff(kk, prepend=np.uint64(0)).astype(np.uint64)
        arrays[f"q{n}"] = q
        # scores used for pruning the next order: stored (quantised) where kept,
        # otherwise the backed-off value the decoder would use
        sc_all = np.where(keep, -QSTEP * np.clip(np.round(-logs / QSTEP), 0, 255), backed)
        prev_keys, prev_counts, prev_scores = prev_keys_all, prev_counts_all, sc_all[ctx_keep]
        print(
            f"order {n}: unique {uk.size:,} kept {kk.size:,} ({time.time()-t1:.0f}s)",
            flush=True,
        )
        del uk, uc, logs, ctx, suffix, lower, backed, keep
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LM_FILE
    np.savez_compressed(path, **arrays)
    print(f"wrote {path} ({path.stat().st_size/1e6:.1f} MB) in {time.time()-t0:.0f}s")


def _unique_ngrams(ids: np.ndarray, n: int):
    m = ids.size - n + 1
    key = np.zeros(m, dtype=np.uint64)
    ok = np.ones(m, dtype=bool)
    for j in range(n):
        col = ids[j : j + m]
        key = (key << np.uint64(16)) | col
        if j > 0:
            ok &= col != BOS  # <s> only at the first position
    return np.unique(key[ok], return_counts=True)


def _lookup(keys: np.ndarray, q: np.ndarray):
    pos = np.minimum(np.searchsorted(keys, q), keys.size - 1)
    return pos, keys[pos] == q


def build_kn(ids: np.ndarray, counts: np.ndarray, order: int, min_count: dict, arrays: dict):
    """Interpolated modified Kneser-Ney, stored ARPA-style: log P(w|h) for every kept
    n-gram and log backoff weights gamma(h) for every kept context."""
    V = counts.size
    uk = {}
    uc = {}
    for n in range(2, order + 1):
        t1 = time.time()
        uk[n], uc[n] = _unique_ngrams(ids, n)
        print(f"order {n}: unique {uk[n].size:,} ({time.time()-t1:.0f}s)", flush=True)
    # modified counts: continuation counts for n < order (raw counts for <s>-initial)
    mod = {}
    for n in range(1, order):
        nxt = uk[n + 1]
        mask = np.uint64((1 << (16 * n)) - 1)
        suf, scnt = np.unique(nxt & mask, return_counts=True)
        if n == 1:
            cc = np.zeros(V, dtype=np.int64)
            cc[suf.astype(np.int64)] = scnt
            cc[BOS] = counts[BOS]
            mod[1] = cc
        else:
            cc = np.zeros(uk[n].size, dtype=np.int64)
            pos, found = _lookup(uk[n], suf)
            cc[pos[found]] = scnt[found]
            first = (uk[n] >> np.uint64(16 * (n - 1))) == BOS
            cc[first] = uc[n][first]
            mod[n] = cc
    mod[order] = uc[order].astype(np.int64)

    def discounts(c):
        n1, n2, n3, n4 = (int((c == k).sum()) for k in (1, 2, 3, 4))
        y = n1 / max(n1 + 2 * n2, 1)
        d1 = 1 - 2 * y * n2 / max(n1, 1)
        d2 = 2 - 3 * y * n3 / max(n2, 1)
        d3 = 3 - 4 * y * n4 / max(n3, 1)
        return np.clip([d1, d2, d3], 0.05, [0.95, 1.9, 2.9])

    c1 = np.maximum(mod[1].astype(np.float64), 0.5)
    c1[BOS] = 0.5
    p_prev = np.log(c1 / c1.sum())  # unigram (dense)
    arrays["p1"] = p_prev.astype(np.float32)
    keys_prev = None
    for n in range(2, order + 1):
        keys = uk[n]
        c = mod[n].astype(np.float64)
        d = discounts(mod[n][mod[n] > 0])
        ctx = keys >> np.uint64(16)
        uctx, inv = np.unique(ctx, return_inverse=True)
        total = np.bincount(inv, weights=c)
        nk = [np.bincount(inv, weights=(mod[n] == k).astype(np.float64)) for k in (1, 2)]
        n3 = np.bincount(inv, weights=(mod[n] >= 3).astype(np.float64))
        gamma = (d[0] * nk[0] + d[1] * nk[1] + d[2] * n3) / np.maximum(total, 1e-9)
        disc = np.where(mod[n] == 1, d[0], np.where(mod[n] == 2, d[1], d[2]))
        disc = np.where(mod[n] == 0, 0.0, disc)
        suffix = keys & np.uint64((1 << (16 * (n - 1))) - 1)
        if n == 2:
            lower = p_prev[suffix.astype(np.int64)]
        else:
            pos, found = _lookup(keys_prev, suffix)
            lower = np.where(found, p_prev[pos], -30.0)
        prob = np.maximum(c - disc, 0) / np.maximum(total[inv], 1e-9) + gamma[inv] * np.exp(lower)
        logp = np.log(np.maximum(prob, 1e-30))
        # backoff weights of the contexts (order n-1)
        lg = np.log(np.maximum(gamma, 1e-30))
        if n == 2:
            b1 = np.zeros(V, dtype=np.float32)
            b1[uctx.astype(np.int64)] = lg
            arrays["b1"] = b1
        else:
            bprev = np.zeros(keys_prev.size, dtype=np.float64)
            pos, found = _lookup(keys_prev, uctx)
            bprev[pos[found]] = lg[found]
            keep_prev = arrays.pop("_keep_prev")
            arrays[f"b{n-1}"] = np.clip(np.round(-bprev[keep_prev] / BSTEP), 0, 255).astype(np.uint8)
        keep = uc[n] >= min_count[n]
        arrays[f"d{n}"] = np.diff(keys[keep], prepend=np.uint64(0)).astype(np.uint64)
        arrays[f"q{n}"] = np.clip(np.round(-logp[keep] / QSTEP), 0, 255).astype(np.uint8)
        arrays["_keep_prev"] = keep
        print(f"order {n}: kept {int(keep.sum()):,}; discounts {np.round(d, 3).tolist()}", flush=True)
        keys_prev, p_prev = keys, logp
    arrays.pop("_keep_prev", None)
    arrays["smoothing"] = np.array(1)  # 1 = KN/ARPA backoff



_OLD_STYLE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
              "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}


def _new_style(syl: str) -> str:
    """Tone mark on the first vowel of open oa / oe / uy (hoà -> hòa, Thuỵ -> Thụy): the
    style of most of the corpus; "quý", "giá" keep theirs."""
    end = syl[-2:]
    if end in _OLD_STYLE and not (len(syl) > 2 and syl[-3] in "qg"):
        return syl[:-2] + _OLD_STYLE[end]
    return syl


def place_names() -> list[tuple[str, str]]:
    """(folded key, accented form) of the Vietnamese administrative unit names (pre-2025
    provinces, districts, communes and the 2025 provinces and communes of
    ``normalizers.admin_units``), unit words dropped, lower case; names of two to four
    syllables with diacritics, and only keys with a single accented form."""
    import re
    import unicodedata

    from normalizers import admin_units as A
    from normalizers.diacritics import fold, has_accent

    unit = re.compile(r"^(?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh|đặc khu)\s+")
    raw: set[str] = set()
    for r in A._legacy():
        raw.update((r.province, r.district, r.commune))
    _prov, _wards, communes = A._current()
    raw.update(name for _code, name in _prov.values())
    raw.update(communes.values())
    forms: dict[str, set[str]] = {}
    for name in raw:
        low = unicodedata.normalize("NFC", name).lower().strip()
        prev = None
        while prev != low:
            prev, low = low, unit.sub("", low)
        sy = [_new_style(x) for x in low.split()]
        low = " ".join(sy)
        if not 2 <= len(sy) <= 4 or not all(x.isalpha() for x in sy) or not has_accent(low):
            continue
        forms.setdefault(fold(low), set()).add(low)
    return sorted((k, next(iter(v))) for k, v in forms.items() if len(v) == 1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-dir", type=Path, required=True)
    ap.add_argument("--out-dir", type=Path, default=ROOT / "normalizers" / "data")
    ap.add_argument("--order", type=int, default=4)
    ap.add_argument("--max-vocab", type=int, default=65535)
    ap.add_argument("--min-count", type=int, nargs=3, default=[1, 1, 2], help="min counts for orders 2,3,4")
    ap.add_argument("--prune-delta", type=float, default=0.0)
    ap.add_argument("--smoothing", choices=["kn", "stupid"], default="kn")
    args = ap.parse_args(argv)
    mc = {2: args.min_count[0], 3: args.min_count[1], 4: args.min_count[2], 5: args.min_count[2]}
    build(args.corpus_dir, args.out_dir, args.order, args.max_vocab, mc, args.prune_delta, args.smoothing)


if __name__ == "__main__":
    main()
