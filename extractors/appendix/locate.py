"""Locating cell-line tables: regions under a printed header, or after the signature block when the header
is missing, with prose before and after trimmed."""

from __future__ import annotations

import re

from dataclasses import dataclass

from extractors.appendix.text import _is_roman
from extractors.appendix.vocab import (
    _GROUP_RE,
    _HEAD_SEARCH_RE,
    _LEAD_NUM_RE,
    _NOI_NHAN_RE,
    _NUM_RE,
    _OWNER_RE,
    _PHU_LUC_RE,
    _SIGN_RE,
)
from extractors.appendix.prepare import _Doc, _header_blocks, _is_prose_end


@dataclass(slots=True)
class _Region:
    cols: tuple[str, ...] | None
    header_line: int | None
    start: int
    end: int  # exclusive
    headers: list[tuple[int, int]]  # header blocks inside the region (start, end)


def _header_regions(doc: _Doc, skip: set[int]) -> list[_Region]:
    n = len(doc.raw)
    blocks = [b for b in _header_blocks(doc, 0, n) if b[0] not in skip]
    regions: list[_Region] = []
    k = 0
    while k < len(blocks):
        s, e, cols = blocks[k]
        heads = [(s, e)]
        k2 = k + 1
        while k2 < len(blocks) and blocks[k2][2] == cols:
            heads.append((blocks[k2][0], blocks[k2][1]))
            k2 += 1
        limit = blocks[k2][0] if k2 < len(blocks) else n
        end = limit
        # Stop at the next appendix title / recipient block after the last repeated header.
        for i in range(heads[-1][1], limit):
            if i in skip or _is_prose_end(doc, i):
                end = i
                break
        end = _trim_prose(doc, heads[-1][1], end, sample_from=e)
        regions.append(_Region(cols, s, s, end, heads))
        k = k2
    return regions


_BODY_HEADING_RE = re.compile(r"^\s*(?:[IVX]+\.\s|\d+\.\s|[a-zđ]\)\s|\(.*\)\s*$)")


def _trim_prose(doc: _Doc, start: int, end: int, sample_from: int | None = None) -> int:
    """Cut the region where body prose resumes after the table.

    In wrapped dumps table lines are as narrow as their column, so two long lines in a row
    (long compared with the table's own lines) mean the page's full text width is back; the
    short section headings just before them ("IV. TỔ CHỨC THỰC HIỆN", "1. …") go too.
    """
    idx = [i for i in range(start, end) if not doc.blank[i]]
    if not idx:
        return end
    first = sample_from if sample_from is not None else start
    head = [i for i in range(first, end) if not doc.blank[i]][:80]
    sample = sorted(len(doc.raw[i].strip()) for i in head)
    p90 = sample[int(0.9 * (len(sample) - 1))]
    if p90 >= 60:
        return end  # unwrapped cells: line length says nothing
    # A last paragraph of one line, a sentence wider than the table's lines, is a line of prose
    # under the table ("Kế hoạch này thay thế ..."), no cell of its last row.
    last = idx[-1]
    text = doc.raw[last].strip()
    if (len(idx) > 1 and doc.blank[last - 1] and text[:1].isupper() and text.endswith((".", "!"))
            and len(text.split()) >= 6 and "|" not in text and len(text) > 1.15 * p90):
        end = last
        idx = idx[:-1]
    limit = max(60, int(p90 * 1.4))
    run_start = None
    run = 0
    for k, i in enumerate(idx):
        if len(doc.raw[i].strip()) >= limit and "|" not in doc.raw[i]:
            run += 1
            if run == 1:
                run_start = k
            if run >= 2:
                k0 = run_start
                while k0 > 0 and _BODY_HEADING_RE.match(doc.raw[idx[k0 - 1]]):
                    k0 -= 1
                return idx[k0]
        else:
            run = 0
    return end


def _headerless_region(doc: _Doc, skip: set[int]) -> _Region | None:
    n = len(doc.raw)
    anchor = None
    for i in range(n - 1, -1, -1):
        if _NOI_NHAN_RE.match(doc.fold[i]) and i not in skip:
            anchor = i
            break
    start = None
    if anchor is not None:
        i = anchor + 1
        # recipients: "- ..." lines (and blank lines)
        while i < n and (doc.blank[i] or doc.raw[i].lstrip()[:1] in ("-", "–", "+", "•")):
            i += 1
        start = _skip_signature(doc, i)
    else:
        for i in range(n):
            if _PHU_LUC_RE.match(doc.fold[i]) and i not in skip:
                start = _skip_signature(doc, i)
                break
    if start is None or start >= n:
        return None
    end = next((i for i in range(start + 1, n) if _is_prose_end(doc, i)), n)
    end = _trim_prose(doc, start, end)
    # Validate that the tail looks like a table: structure markers plus typed cells.
    nums = groups = owners = dates = heads = 0
    for i in range(start, end):
        if doc.blank[i] or i in skip:
            continue
        f = doc.fold[i].strip()
        if _NUM_RE.match(f) or _LEAD_NUM_RE.match(f):
            nums += 1
        if _GROUP_RE.match(doc.raw[i]) and _is_roman(_GROUP_RE.match(doc.raw[i]).group(1)):
            groups += 1
        # Anywhere on the line: OCR and glued cells put typed phrases mid-line.
        owners += bool(_OWNER_ANY_RE.search(f))
        dates += bool(_DATE_ANY_RE.search(f))
        heads += bool(_HEAD_SEARCH_RE.search(f))
    if (nums + groups >= 3) and owners >= 3 and (dates >= 2 or heads >= 3):
        return _Region(None, None, start, end, [])
    return None


_OWNER_ANY_RE = re.compile(
    r"(?:^|[\s|(])(?:van phong|ubnd|hdnd|cong chuc|phong [a-z]|trung tam|bo phan|cac co quan|co quan|ttpvhcc)"
)
_DATE_ANY_RE = re.compile(r"\b(?:19|20)\d\d\b|\bhang (?:nam|thang|quy)\b|\bthuong xuyen\b|\bquy [ivx1-4]\b")


def _skip_signature(doc: _Doc, i: int) -> int:
    n = len(doc.raw)
    seen_title = False
    while i < n:
        if doc.blank[i]:
            i += 1
            continue
        raw = doc.raw[i].strip().strip("*").strip()
        f = doc.fold[i].strip().strip("*").strip()
        letters = [ch for ch in raw if ch.isalpha()]
        upper = bool(letters) and all(ch.isupper() for ch in letters)
        if _SIGN_RE.match(f) or _PHU_LUC_RE.match(f) or f.startswith("(") and f.endswith(")"):
            seen_title = True
            i += 1
            if _PHU_LUC_RE.match(f):
                # The appendix subtitle may be in mixed case; skip it when the "(Kèm theo …)"
                # line follows within a few lines.
                nxt = [k for k in range(i, min(n, i + 8)) if not doc.blank[k]][:3]
                for k in nxt:
                    if "kem theo" in doc.fold[k]:
                        i = k + 1
                        break
            continue
        short = len(raw) <= 60 and len(raw.split()) <= 8
        if upper and short and not _GROUP_RE.match(raw) and not _HEAD_SEARCH_RE.search(f):
            # Upper-case lines of the signature block or the appendix title.
            seen_title = True
            i += 1
            continue
        words = raw.split()
        if (
            seen_title
            and 2 <= len(words) <= 5
            and all(w[:1].isupper() for w in words)
            and not any(ch.isdigit() for ch in raw)
            and not _OWNER_RE.match(f)
        ):
            i += 1  # the signer's name
            continue
        break
    return i
