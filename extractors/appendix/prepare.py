"""A dump prepared for the appendix readers: lines folded and collapsed once, header blocks found."""

from __future__ import annotations

import unicodedata

from dataclasses import dataclass
from typing import Sequence

from extractors.column_roles import is_header_word, tile_header
from extractors.appendix.text import _fold
from extractors.appendix.vocab import _HEADER_ANCHORS, _NOI_NHAN_RE, _PHU_LUC_RE, _valid_header, _words


@dataclass(slots=True)
class _Doc:
    raw: list[str]
    fold: list[str]
    blank: list[bool]
    form_feeds: frozenset[int]  # lines that began a new page with a form feed


def _prepare(lines: Sequence[str]) -> _Doc:
    raw: list[str] = []
    ff: set[int] = set()
    for i, line in enumerate(lines):
        if not isinstance(line, str):
            line = "" if line is None else str(line)
        if "\f" in line:
            ff.add(i)
            line = line.replace("\f", "")
        line = unicodedata.normalize("NFC", line).replace("\r", "").replace("\n", " ")
        raw.append(line.replace("\u00a0", " ").replace("\ufeff", ""))
    fold = [_fold(r) for r in raw]
    blank = [not r.strip() for r in raw]
    return _Doc(raw, fold, blank, frozenset(ff))


def _header_blocks(doc: _Doc, lo: int, hi: int) -> list[tuple[int, int, tuple[str, ...]]]:
    """Find header blocks (start, end_exclusive, columns) among non-tab lines in [lo, hi)."""
    ok = [False] * (hi - lo)
    for i in range(lo, hi):
        if doc.blank[i] or "\t" in doc.raw[i]:
            continue
        toks = _words(doc.fold[i])
        if 0 < len(toks) <= 14 and all(is_header_word(t) for t in toks):
            ok[i - lo] = True
    blocks: list[tuple[int, int, tuple[str, ...]]] = []
    i = lo
    while i < hi:
        if not ok[i - lo]:
            i += 1
            continue
        # Extend over header-ish lines, allowing blank lines in between.
        j = i
        last = i
        while j < hi and (ok[j - lo] or doc.blank[j]):
            if ok[j - lo]:
                last = j
            j += 1
        members = [k for k in range(i, last + 1) if ok[k - lo]]
        # Cheap gate before parsing: a header names at least three different columns.
        anchors = {_HEADER_ANCHORS.get(w) for k in members for w in _words(doc.fold[k])}
        anchors.discard(None)
        found = None
        # Longest prefix of member lines that parses into a valid header.
        for cut in range(len(members) if len(anchors) >= 3 else 0, 0, -1):
            toks: list[str] = []
            for k in members[:cut]:
                toks.extend(_words(doc.fold[k]))
            cols = tile_header(toks)
            if _valid_header(cols):
                found = (members[0], members[cut - 1] + 1, tuple(cols))  # type: ignore[arg-type]
                break
        if found:
            blocks.append(found)
            i = found[1]
        else:
            i = last + 1
    return blocks


def _is_prose_end(doc: _Doc, i: int) -> bool:
    f = doc.fold[i]
    return bool(_NOI_NHAN_RE.match(f) or _PHU_LUC_RE.match(f))
