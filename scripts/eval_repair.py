#!/usr/bin/env python
"""Evaluate text repair on held-out corpus documents and print accuracies.

Usage::

    python scripts/eval_repair.py --corpus-dir /path/to/corpus [--max-tokens 300000] [--model normalizers/data/lm.npz]
        [--ocr-pairs DIR] [--by-source]

Held-out documents are those of ``scripts/train_repair_model.py`` (md5(doc) % 50 == 0).
Reported (word tokens = letter runs; accuracy = exact match incl. case):

* ``ascii``: input with diacritics stripped -> ``diacritics.restore_lines`` and the full
  ``repair_lines`` entry point (auto mode); raw-input accuracy shown next to it.
  ``tone-style-insensitive`` also counts old/new tone placement (hoà/hòa, uỷ/ủy) as equal.
* ``accented``: correct text through ``repair_lines`` -> share of tokens unchanged and of
  lines unchanged.
* ``tcvn3`` / ``vni``: held-out text encoded to the legacy encoding -> auto repair.
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
from train_repair_model import iter_split  # noqa: E402

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


def heldout_lines(corpus_dir: Path, max_tokens: int) -> list[str]:
    lines: list[str] = []
    ntok = 0
    for _name, doc in iter_split(corpus_dir, heldout=True):
        for line in doc.split("\n"):
            lines.append(line)
            ntok += len(word_tokens(line))
        lines.append("")
        if ntok >= max_tokens:
            break
    return lines


def heldout_by_source(corpus_dir: Path, max_tokens: int) -> dict[str, list[str]]:
    """Held-out lines per corpus file, at most ``max_tokens`` word tokens each."""
    out: dict[str, list[str]] = {}
    ntok: dict[str, int] = {}
    for name, doc in iter_split(corpus_dir, heldout=True):
        if ntok.get(name, 0) >= max_tokens:
            continue
        lines = doc.split("\n") + [""]
        out.setdefault(name, []).extend(lines)
        ntok[name] = ntok.get(name, 0) + sum(len(word_tokens(x)) for x in lines)
    return out


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


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus-dir", type=Path, required=True)
    ap.add_argument("--max-tokens", type=int, default=300_000)
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--skip", nargs="*", default=[], help="sections to skip: ascii accented legacy ocr")
    ap.add_argument("--ocr-pairs", type=Path, default=None)
    ap.add_argument("--by-source", action="store_true", help="ASCII accuracy per corpus file too")
    args = ap.parse_args(argv)

    if args.model is not None:
        model = D.load_model_from(args.model)
        D.load_model.cache_clear()
        D.load_model = lambda: model  # type: ignore[assignment]
    else:
        model = D.load_model()
    from normalizers import repair as R  # after model override

    R.load_model()

    refs = heldout_lines(args.corpus_dir, args.max_tokens)
    nref = sum(len(word_tokens(x)) for x in refs)
    print(f"held-out lines {len(refs):,}, word tokens {nref:,}")

    if "ascii" not in args.skip:
        stripped = [D.fold(x) for x in refs]
        n, ok, oks = compare(refs, stripped)
        print(f"[ascii] raw input (stripped) accuracy      {pct(ok, n)}")
        t = time.perf_counter()
        hyp = per_doc(lambda d: D.restore_lines(d, model), stripped)
        dt = time.perf_counter() - t
        n, ok, oks = compare(refs, hyp)
        print(f"[ascii] restore_lines accuracy             {pct(ok, n)}  (tone-style-insensitive {pct(oks, n)}; {n/dt:,.0f} tok/s)")
        # references that are themselves ASCII (file names "Phu luc 1_...docx", some
        # unaccented lines in the corpus) cannot be matched; score lines with diacritics
        acc = [i for i, x in enumerate(refs) if D.has_accent(x)]
        n1, ok1, oks1 = compare([refs[i] for i in acc], [hyp[i] for i in acc])
        n0, ok0, _ = compare([refs[i] for i in acc], [stripped[i] for i in acc])
        print(f"[ascii] on reference lines with diacritics: raw {pct(ok0, n0)} -> restored {pct(ok1, n1)} (tone-style-insensitive {pct(oks1, n1)})")
        res_lines = per_doc(lambda d: list(R.repair_lines(d).lines), stripped)
        n, ok, oks = compare(refs, res_lines)
        print(f"[ascii] repair_lines(auto) accuracy        {pct(ok, n)}")
    if args.by_source and "ascii" not in args.skip:
        for name, lines in sorted(heldout_by_source(args.corpus_dir, args.max_tokens).items()):
            stripped = [D.fold(x) for x in lines]
            hyp = per_doc(lambda d: D.restore_lines(d, model), stripped)
            n0, ok0, _ = compare(lines, stripped)
            n, ok, oks = compare(lines, hyp)
            print(f"[ascii:{name}] raw {pct(ok0, n0)} -> restored {pct(ok, n)} (style-insensitive {pct(oks, n)}; {n:,} tokens)")
    if "accented" not in args.skip:
        res = R.repair_lines(refs)
        n, ok, _ = compare(refs, list(res.lines))
        same_lines = sum(a == b for a, b in zip(refs, res.lines))
        print(f"[accented] all lines: tokens unchanged     {pct(ok, n)}; lines unchanged {pct(same_lines, len(refs))} (state={res.state})")
        # lines that carry diacritics (the corpus also has some ASCII-only lines, e.g.
        # file names "Phu luc 1_...docx", which are rightly restored)
        acc = [i for i, x in enumerate(refs) if D.has_accent(x)]
        n, ok, _ = compare([refs[i] for i in acc], [res.lines[i] for i in acc])
        same = sum(refs[i] == res.lines[i] for i in acc)
        print(f"[accented] lines with diacritics: tokens unchanged {pct(ok, n)}; lines unchanged {pct(same, len(acc))}")
    if "legacy" not in args.skip:
        from normalizers import encodings as E

        for enc in ("tcvn3", "vni"):
            legacy = [E.encode(x, enc) for x in refs]
            n, ok, _ = compare(refs, legacy)
            res = R.repair_lines(legacy)
            n2, ok2, _ = compare(refs, list(res.lines))
            same = sum(a == b for a, b in zip(refs, res.lines))
            acc = [i for i, x in enumerate(refs) if D.has_accent(x)]
            n3, ok3, _ = compare([refs[i] for i in acc], [res.lines[i] for i in acc])
            same3 = sum(refs[i] == res.lines[i] for i in acc)
            print(
                f"[{enc}] raw {pct(ok, n)} -> repaired {pct(ok2, n2)}; lines identical {pct(same, len(refs))} "
                f"(state={res.state}); lines with diacritics: tokens {pct(ok3, n3)}, lines identical {pct(same3, len(acc))}"
            )
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
