#!/usr/bin/env python
"""Evaluate text repair on held-out corpus documents and print accuracies.

Usage::

    python scripts/eval_repair.py --corpus-dir /path/to/corpus [--max-tokens 150000] [--split heldout|dev]
        [--model normalizers/data/lm.npz] [--ocr-pairs DIR] [--by-source] [--skip ascii accented legacy ocr]

Sample: held-out documents (``md5(doc) % 50 == 0``, never trained on) of *every* corpus
file, whole documents in corpus order until each file has given ``--max-tokens`` word
tokens; the figures are pooled over all files (the headline) and shown per file.
``--split dev`` uses the development documents (``% 50 == 1``, not trained on either)
instead: errors are analysed and settings chosen there, so that held-out text is only
ever measured.  Every repair runs document by document, as in the pipeline.

Reported (word tokens = letter runs; accuracy = exact match incl. case):

* ``ascii``: input with diacritics stripped -> ``diacritics.restore_lines``; raw-input
  accuracy next to it; ``tone-style-insensitive`` also counts old/new tone placement
  (hoà/hòa, uỷ/ủy) as equal; also on reference lines with diacritics only (the corpus
  has unaccented lines: English, codes, file names) and through ``repair_lines``.
* ``accented``: correct text through ``repair_lines`` (auto).  SPEC line: the share of
  tokens unchanged on the lines that carry diacritics (correctly accented text).  Also
  all lines, and the lines without any diacritic inside those documents, which the
  document policy of ``repair.py`` keeps unless they are clearly stripped Vietnamese
  (then restoring them is intended, and counted here as a change).
* ``tcvn3`` / ``vni``: the sample encoded to the legacy encoding -> auto repair; SPEC
  line: lines identical to the source, over the lines with diacritics whose characters
  a legacy file can hold (and the same over all lines with letters: lines without
  diacritics are not encoded, and follow the accented-document policy).  Lines with characters that the encoding uses as letter codes
  (``º`` is Ẳ in TCVN3, ``÷`` ữ, ``ñ`` ủ / VNI đ, ...; ``encodings.unrepresentable``)
  cannot exist in a real legacy file and are excluded, and counted.
* ``ocr``: if ``--ocr-pairs`` is given (made by ``scripts/make_ocr_pairs.py`` from
  held-out documents), the OCR lines -> ``repair_lines(mode="ocr")`` and ``auto``,
  accuracy on aligned word tokens, next to the raw OCR accuracy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from normalizers import diacritics as D  # noqa: E402
from train_repair_model import iter_named_split  # noqa: E402

# old-style <-> new-style tone placement, for the style-insensitive score
_STYLE_PAIRS = {
    "òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ",
    "òe": "oè", "óe": "oé", "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ",
    "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ",
}


def style_norm(word: str) -> str:
    w = word.lower()
    for a, b in _STYLE_PAIRS.items():
        if w.endswith(b) and not (len(w) > 2 and w[-3] in "qg"):
            w = w[: -2] + a
    return w


def word_tokens(line: str) -> list[str]:
    return [m.group() for m in D.TOKEN_RE.finditer(line) if not m.group()[0].isdigit()]


def compare(refs: list[str], hyps: list[str]):
    n = ok = ok_style = 0
    for r, h in zip(refs, hyps):
        rt, ht = word_tokens(r), word_tokens(h)
        if len(rt) != len(ht):
            n += len(rt)
            continue
        for a, b in zip(rt, ht):
            n += 1
            ok += a == b
            ok_style += style_norm(a) == style_norm(b) and a.isupper() == b.isupper()
    return n, ok, ok_style


def split_lines(corpus_dir: Path, max_tokens: int, split: str = "heldout") -> list[str]:
    """The first documents (in corpus order) of one split, up to ``max_tokens`` word
    tokens in all; each document followed by one empty line."""
    lines: list[str] = []
    ntok = 0
    for _name, doc in iter_named_split(corpus_dir, split):
        for line in doc.split("\n"):
            lines.append(line)
            ntok += len(word_tokens(line))
        lines.append("")
        if ntok >= max_tokens:
            break
    return lines


def heldout_lines(corpus_dir: Path, max_tokens: int) -> list[str]:
    return split_lines(corpus_dir, max_tokens, "heldout")


def sample_by_source(corpus_dir: Path, max_tokens: int, split: str = "heldout") -> dict[str, list[str]]:
    """Lines of the documents of one split per corpus file: documents in corpus order
    until the file has contributed ``max_tokens`` word tokens (the document that
    crosses the cap is included whole); each document followed by one empty line."""
    out: dict[str, list[str]] = {}
    ntok: dict[str, int] = {}
    for name, doc in iter_named_split(corpus_dir, split):
        if ntok.get(name, 0) >= max_tokens:
            continue
        lines = doc.split("\n") + [""]
        out.setdefault(name, []).extend(lines)
        ntok[name] = ntok.get(name, 0) + sum(len(word_tokens(x)) for x in lines)
    return out


def heldout_by_source(corpus_dir: Path, max_tokens: int) -> dict[str, list[str]]:
    return sample_by_source(corpus_dir, max_tokens, "heldout")


def split_docs(lines: list[str]) -> list[list[str]]:
    """Documents of ``heldout_lines`` output (each followed by one empty line)."""
    docs, cur = [], []
    for x in lines:
        if x == "":
            docs.append(cur + [""])
            cur = []
        else:
            cur.append(x)
    if cur:
        docs.append(cur)
    return docs


def per_doc(fn, lines: list[str]) -> list[str]:
    """Apply a repair function document by document (the document cache is per call)."""
    out: list[str] = []
    for doc in split_docs(lines):
        out.extend(fn(doc))
    return out


def pct(a, b):
    return f"{100.0 * a / max(b, 1):.3f}%"


def changed_tokens(refs: list[str], hyps: list[str]) -> tuple[int, int]:
    """(word tokens, tokens that differ) over lines; a line whose token count changed
    counts all of its tokens as changed."""
    n, _ok, _ = compare(refs, hyps)
    return n, n - _ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-dir", type=Path, required=True)
    ap.add_argument("--max-tokens", type=int, default=150_000, help="word tokens per corpus file (source)")
    ap.add_argument("--split", choices=["heldout", "dev"], default="heldout",
                    help="heldout (md5 %% 50 == 0, the reported figures) or dev (%% 50 == 1, for error analysis)")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--skip", nargs="*", default=[], help="sections to skip: ascii accented legacy ocr")
    ap.add_argument("--ocr-pairs", type=Path, default=None)
    ap.add_argument("--by-source", action="store_true", help="accented and legacy figures per corpus file too")
    args = ap.parse_args(argv)

    if args.model is not None:
        model = D.load_model_from(args.model)
        D.load_model.cache_clear()
        D.load_model = lambda: model  # type: ignore[assignment]
    else:
        model = D.load_model()
    from normalizers import encodings as E
    from normalizers import repair as R  # after model override

    R.load_model()

    by_src = sample_by_source(args.corpus_dir, args.max_tokens, args.split)
    names = sorted(by_src)
    refs = [x for name in names for x in by_src[name]]
    nref = sum(len(word_tokens(x)) for x in refs)
    n_docs = sum(1 for x in refs if x == "")
    print(
        f"{args.split} sample: {len(names)} sources, at most ~{args.max_tokens:,} word tokens each "
        f"(whole documents, corpus order); {n_docs} documents, {len(refs):,} lines, {nref:,} word tokens"
    )
    for name in names:
        print(f"  {name}: {sum(len(word_tokens(x)) for x in by_src[name]):,} tokens")

    def report_sources(tag, fn):
        for name in names:
            print(f"[{tag}:{name}] {fn(by_src[name])}")

    if "ascii" not in args.skip:
        stripped = {k: [D.fold(x) for x in v] for k, v in by_src.items()}
        t = time.perf_counter()
        hyp = {k: per_doc(lambda d: D.restore_lines(d, model), v) for k, v in stripped.items()}
        dt = time.perf_counter() - t
        R_all = [x for k in names for x in by_src[k]]
        H_all = [x for k in names for x in hyp[k]]
        S_all = [x for k in names for x in stripped[k]]
        n0, ok0, _ = compare(R_all, S_all)
        n, ok, oks = compare(R_all, H_all)
        print(
            f"[ascii] POOLED over {len(names)} sources: raw {pct(ok0, n0)} -> restore_lines {pct(ok, n)} "
            f"(tone-style-insensitive {pct(oks, n)}; {n:,} tokens; {n/dt:,.0f} tok/s)"
        )
        # references that are themselves ASCII (English, codes, some unaccented lines)
        acc = [i for i, x in enumerate(R_all) if D.has_accent(x)]
        n1, ok1, oks1 = compare([R_all[i] for i in acc], [H_all[i] for i in acc])
        n2, ok2, _ = compare([R_all[i] for i in acc], [S_all[i] for i in acc])
        print(f"[ascii] pooled, reference lines with diacritics only: raw {pct(ok2, n2)} -> restored {pct(ok1, n1)} (tone-style-insensitive {pct(oks1, n1)})")

        def src_line(k):
            n0, ok0, _ = compare(by_src[k], stripped[k])
            n, ok, oks = compare(by_src[k], hyp[k])
            return f"raw {pct(ok0, n0)} -> restored {pct(ok, n)} (style-insensitive {pct(oks, n)}; {n:,} tokens)"

        for k in names:
            print(f"[ascii:{k}] {src_line(k)}")
        res_lines = per_doc(lambda d: list(R.repair_lines(d).lines), S_all)
        n, ok, _ = compare(R_all, res_lines)
        print(f"[ascii] pooled, repair_lines(auto) entry point  {pct(ok, n)}")

    if "accented" not in args.skip:
        out = {k: per_doc(lambda d: list(R.repair_lines(d).lines), v) for k, v in by_src.items()}

        def acc_figures(keys):
            rr = [x for k in keys for x in by_src[k]]
            hh = [x for k in keys for x in out[k]]
            acc = [i for i, x in enumerate(rr) if D.has_accent(x)]
            plain = [i for i, x in enumerate(rr) if not D.has_accent(x) and word_tokens(x)]
            na, ca = changed_tokens([rr[i] for i in acc], [hh[i] for i in acc])
            nl = sum(rr[i] != hh[i] for i in acc)
            np_, cp = changed_tokens([rr[i] for i in plain], [hh[i] for i in plain])
            nlp = sum(rr[i] != hh[i] for i in plain)
            return na, ca, len(acc), nl, np_, cp, len(plain), nlp

        na, ca, la, nl, np_, cp, lp, nlp = acc_figures(names)
        print(
            f"[accented] SPEC: correctly accented lines (with diacritics), tokens unchanged {pct(na - ca, na)} "
            f"({ca:,} of {na:,} changed); lines unchanged {pct(la - nl, la)}"
        )
        print(
            f"[accented] all lines of the accented documents: tokens unchanged {pct(na + np_ - ca - cp, na + np_)}"
        )
        print(
            f"[accented] lines without any diacritic inside those documents: {lp:,} lines, {np_:,} tokens; "
            f"{nlp:,} lines ({cp:,} tokens) changed -- restored as stripped Vietnamese or damaged; "
            f"the others kept as codes / English / names"
        )
        if args.by_source:
            for k in names:
                na, ca, la, nl, np_, cp, lp, nlp = acc_figures([k])
                print(f"[accented:{k}] with diacritics unchanged {pct(na - ca, na)}; all lines {pct(na + np_ - ca - cp, na + np_)}")

    if "legacy" not in args.skip:
        for enc in ("tcvn3", "vni"):
            legacy = {k: [E.encode(x, enc) for x in v] for k, v in by_src.items()}
            out = {k: per_doc(lambda d: list(R.repair_lines(d).lines), v) for k, v in legacy.items()}

            def leg_figures(keys):
                rr = [x for k in keys for x in by_src[k]]
                ll = [x for k in keys for x in legacy[k]]
                hh = [x for k in keys for x in out[k]]
                n0, ok0, _ = compare(rr, ll)
                bad = [i for i, x in enumerate(rr) if E.unrepresentable(x, enc)]
                badset = set(bad)
                rep = [i for i, x in enumerate(rr) if i not in badset and word_tokens(x)]
                rep_acc = [i for i in rep if D.has_accent(rr[i])]
                same = sum(rr[i] == hh[i] for i in rep)
                same_acc = sum(rr[i] == hh[i] for i in rep_acc)
                nt, ct = changed_tokens([rr[i] for i in rep], [hh[i] for i in rep])
                chars = sorted({c for i in bad for c in E.unrepresentable(rr[i], enc)})
                return n0, ok0, rep, rep_acc, same, same_acc, nt, ct, bad, chars

            n0, ok0, rep, rep_acc, same, same_acc, nt, ct, bad, chars = leg_figures(names)
            print(
                f"[{enc}] SPEC round trip (encode -> auto repair) of the representable lines with diacritics: "
                f"identical {pct(same_acc, len(rep_acc))} ({len(rep_acc) - same_acc:,} of {len(rep_acc):,} differ); "
                f"raw legacy tokens {pct(ok0, n0)}"
            )
            print(
                f"[{enc}] all representable lines with letters: identical {pct(same, len(rep))} "
                f"({len(rep) - same:,} of {len(rep):,} differ; tokens {pct(nt - ct, nt)}) -- lines without diacritics "
                f"are not encoded at all; they differ where the accented-document policy restores a stripped line"
            )
            print(
                f"[{enc}] excluded: {len(bad):,} lines whose source has characters that are {enc.upper()} letter codes "
                f"(a {enc.upper()} file cannot hold them: {' '.join(chars[:30])})"
            )
            if args.by_source:
                for k in names:
                    n0, ok0, rep, rep_acc, same, same_acc, nt, ct, bad, chars = leg_figures([k])
                    print(f"[{enc}:{k}] representable lines identical {pct(same, len(rep))}; with diacritics {pct(same_acc, len(rep_acc))}; excluded {len(bad)}")

    if args.ocr_pairs is not None and "ocr" not in args.skip:
        from make_ocr_pairs import load_pairs  # noqa: E402

        src, ocr = load_pairs(args.ocr_pairs)
        for mode in ("ocr", "auto"):
            t = time.perf_counter()
            res = R.repair_lines(ocr, mode=mode)
            dt = time.perf_counter() - t
            n0, ok0, n1, ok1 = R.ocr_alignment_accuracy(src, ocr, list(res.lines))
            print(
                f"[ocr:{mode}] raw OCR accuracy {pct(ok0, n0)} -> repaired {pct(ok1, n1)} "
                f"({n1:,} aligned tokens; {n1/dt:,.0f} tok/s; state={res.state})"
            )


if __name__ == "__main__":
    main()
