"""Reconstruct the rows of the appendix table (phụ lục) of a commune plan from a plain-text dump.

The dumps come from PDF/DOCX text extraction, so the table arrives as a stream of lines.  Two
physical layouts exist and are handled by the same pipeline:

* **tab layout** – one table row per line, cells separated by ``\\t`` (DOCX dumps).  Cells are
  explicit, so rows are read positionally.
* **cell-line layout** – every cell is printed as its own run of wrapped lines, cell after cell,
  row after row (PDF dumps).  Two cells that share a baseline may end up on one line
  (``chuyên môn Thường xuyên``), repeated page headers and page numbers interrupt the stream,
  a row can be split by a page break, and vertically merged cells (Mục tiêu / Nhiệm vụ) are
  printed only once, inside whichever row their text happens to fall into.

Method
------
1. *Locate* the table.  A header is a run of lines whose (unaccented, fuzzily matched) words
   tile completely into known column names ("TT", "Nội dung, nhiệm vụ", "Cơ quan chủ trì", …);
   it fixes the column set and order.  Without a printed header the table is looked for after
   the signature block (``Nơi nhận`` … name) and its column set and order are inferred from
   content cues (heads such as "2.1. Nhiệm vụ 1:", owner names, dates, budget phrases).
2. *Clean* the stream: repeated header blocks and page numbers (a lone number right before a
   repeated header) become page-break markers; roman-numeral group rows become group markers.
3. *Segment* with a sequence model.  Every line may be cut at a few plausible cell boundaries
   (a leading row number, a ``|`` or tab, or a position where a strongly typed phrase such as
   "Phòng …", "Hàng năm", "Theo quy định", "3.2. Hoạt động" starts with a capital).  A Viterbi
   search assigns each piece a column: inside a row columns only move right, a piece either
   continues the current cell, opens a later cell, opens a new row (cheap at a row number,
   possible at a strong head when the row number is missing) or, right after a page break,
   continues any cell of the current row.  Emission costs come from content cues (owner
   vocabulary for lead/support, date/recurrence words for the deadline, "Theo quy định…" /
   "ngân sách" for the budget, document nouns for products, heads for objective/task/activity,
   bare numbers for the row number, lower-case starts for continuations).  The model then
   re-estimates, from its own first pass, how often each column is filled, how wide each
   column's wrapped lines are and how blank lines relate to cell boundaries in this particular
   dump, and decodes again with those table-specific costs (one round of hard EM).
4. *Merged cells*.  In tables with a finer outline column (activity under task under
   objective) a head printed once covers a contiguous block of rows.  Text fragments of a
   merged cell that spill into later rows (no head of their own) are re-attached to it.  The
   rows each head covers are chosen by a small dynamic programme that models Word's vertical
   centring: with row heights estimated from line counts, the covered interval must put the
   centred text's first line inside the row where it was printed; objective intervals must be
   unions of task intervals.  Tables whose merged cells are top-aligned (every group starts
   with a head) simply fill down.

The module is pure: no I/O, no module state written at run time.  ``extract_appendix`` never
raises; unexpected input yields ``[]``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from extractors.column_roles import header_role, is_header_word, tile_header

__all__ = [
    "CANONICAL_COLUMNS", "AppendixRow", "AppendixTable", "extract_appendix", "header_cell_column",
    "is_valid_header", "join_cell_text", "is_roman", "is_outline_head",
]

CANONICAL_COLUMNS = (
    "row_no",
    "objective",
    "task",
    "activity",
    "product",
    "lead",
    "support",
    "monitor",
    "deadline",
    "budget",
    "note",
)


@dataclass(frozen=True, slots=True)
class AppendixRow:
    group_no: str | None  # "I", "II", ... as printed; None if no group
    group_title: str | None  # "Cải cách thể chế" as printed (whitespace collapsed)
    row_no: str | None  # printed row number ("12"), None when missing
    # canonical column -> cell text (whitespace collapsed, wrapped lines joined with a space,
    # in-word hyphen wraps joined without one); every column of the table, "" when empty.
    # Merged (objective/task) cells are repeated in every row they cover.
    cells: dict[str, str]
    # 1-based first/last line of the row's own band of the dump: every line printed inside
    # this row (including the part of a merged cell that happens to be printed there, and a
    # continuation after a page break), not the merged text it inherits from other rows.
    line_start: int
    line_end: int
    page: int | None  # 1-based table page from repeated headers / page numbers / form feeds
    # (x0, top, x1, bottom) in PDF points of the row's band on ``page``, when the input has
    # geometry (tables read from PDFs and scans); None for text dumps and DOCX.
    bbox: tuple[float, float, float, float] | None = None
    #: how well the row's printed lines fit the table's columns (layout dumps: the share of its
    #: cell fragments that start at their column's left edge); 1.0 when not measured
    fit: float = 1.0


@dataclass(frozen=True, slots=True)
class AppendixTable:
    columns: tuple[str, ...]  # canonical columns in printed order
    header_line: int | None  # 1-based line of the first printed header, None when inferred
    rows: tuple[AppendixRow, ...]
    #: how the cells were found: "grid" (table markup or ruling geometry: certain), "layout"
    #: (columns kept by spaces in a text dump: geometry rounded to characters) or "stream"
    #: (decoded from the order of printed lines: a reading that can be wrong)
    method: str = "stream"
    #: rows left out because their lines did not fit the columns (layout dumps)
    unread_rows: int = 0


# ---------------------------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------------------------


def _build_fold_table() -> dict[int, str]:
    # One output character per input character, so offsets in the folded text are offsets in
    # the original text (needed to cut lines at cue positions found in folded text).
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x2000):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        low = base.lower()
        if len(low) == 1 and low != ch:
            table[cp] = low
    for src, dst in (("đ", "d"), ("Đ", "d"), ("ð", "d"), ("Ð", "d")):
        table[ord(src)] = dst
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp).lower()
    # Typographic dashes and quotes are folded to ASCII so cue regexes stay simple.
    for src in "–—‐‑−":
        table[ord(src)] = "-"
    return table


_FOLD = _build_fold_table()


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _collapse(text: str) -> str:
    return " ".join(text.split())


_ROMAN_RE = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})$")


def _is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN_RE.match(token))


# ---------------------------------------------------------------------------------------------
# Vocabulary (folded = lower case, no diacritics, đ -> d)
# ---------------------------------------------------------------------------------------------

# Words that point to one column whatever phrase they sit in.
_HEADER_ANCHORS = {
    "tt": "row_no", "stt": "row_no", "tri": "lead", "phoi": "support", "thoi": "deadline",
    "han": "deadline", "ghi": "note", "pham": "product", "kinh": "budget", "noi": "task",
    "nhiem": "task", "tieu": "objective", "hoat": "activity",
}

_OWNER_PREFIXES = (
    "van phong", "vp ", "vp.", "vp-", "ubnd", "uy ban", "hdnd", "cong chuc", "can bo", "phong ",
    "trung tam", "bo phan", "cac bo phan", "cac phong", "cac co quan", "co quan", "cac ban",
    "ban chi dao", "ban ", "ttpvhcc", "tt pvhcc", "tt.", "thu ky", "ngan hang", "chi cuc",
    "kho bac", "dai ", "cong an", "chu tich", "pho chu tich", "mat tran", "mttq", "doan ", "hoi ",
    "tu phap", "tai chinh", "van hoa", "dia chinh", "so ", "cac don vi", "don vi", "cac nganh",
    "to ", "truong ", "quan su", "lanh dao", "cac to chuc", "cac thon", "dang uy", "thuong truc",
    "tat ca", "cac doan", "cac hoi", "bch", "ctv",
)
_DATE_PREFIXES = (
    "nam 20", "nam 19", "quy ", "q1", "q2", "q3", "q4", "thang ", "hang nam", "hang thang",
    "hang quy", "hang tuan", "hang ngay", "thuong xuyen", "trong nam", "trong thang", "trong quy",
    "cham nhat", "truoc ngay", "truoc thang", "truoc ", "sau khi", "dinh ky", "theo dinh ky",
    "theo ke hoach", "theo tien do", "tu nam", "tu 20", "tu thang", "tu ngay", "den nam", "den het",
    "giai doan", "ngay ", "6 thang", "9 thang", "lien tuc", "kip thoi", "ket hop bao cao", "khi co",
    "dat 100% den", "20",
)
_BUDGET_PREFIXES = (
    "theo quy", "ngan sach", "kinh phi", "du toan", "theo du toan", "nguon ", "tu nguon",
    "xa hoi hoa", "trong du toan", "ns ", "nsnn",
)
_PRODUCT_PREFIXES = (
    "ke hoach", "ke hach", "bao cao", "quyet dinh", "van ban", "cac van ban", "cong van",
    "danh sach", "danh muc", "ho so", "to trinh", "nghi quyet", "de an", "ket qua", "sang kien",
    "phieu", "thong bao", "tin/", "tin,", "tin bai", "cac tin", "mau ", "he thong", "quy che",
    "chuong trinh", "giay", "bien ban", "khau hieu", "ty le", "so lieu", "tai lieu", "phan mem",
    "chuyen muc", "cac bao cao", "cac thu tuc", "thu tuc", "muc phi", "dua vao", "ke hoach,",
    "100%", "cong bo",
)
_VERB_PREFIXES = (
    "xay dung", "thuc hien", "trien khai", "to chuc", "ra soat", "ban hanh", "tham muu",
    "tiep nhan", "kiem tra", "tang cuong", "nang cao", "cap nhat", "tham gia", "hoan thien",
    "danh gia", "cong khai", "co giai phap", "su dung", "khai thac", "huong dan", "duy tri",
    "dang tai", "dieu tra", "lap ", "thong ke", "tich hop", "phat dong", "chuyen doi", "khao sat",
    "theo doi", "tuyen truyen", "dao tao", "boi duong", "giai quyet", "day manh", "ap dung",
    "cung cap", "tiep tuc", "dam bao", "chuan hoa", "phan anh", "tuan thu", "so hoa", "danh ma",
    "quan ly", "xin loi", "hoan thanh", "ung dung", "nghien cuu", "ket noi", "rut kinh nghiem",
)


def _prefix_re(prefixes: Sequence[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(p) for p in prefixes}, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(alts) + r")")


_OWNER_RE = _prefix_re(_OWNER_PREFIXES)
_DATE_RE = re.compile(
    _prefix_re(_DATE_PREFIXES).pattern
    + r"|^\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|^(?:19|20)\d\d\b|^q\s*[ivx1-4]\b"
)
# A lone "Theo" ending a line is the start of "Theo quy định …" wrapped onto the next line.
_BUDGET_RE = re.compile(_prefix_re(_BUDGET_PREFIXES).pattern + r"|^theo$")
_PRODUCT_RE = _prefix_re(_PRODUCT_PREFIXES)
_VERB_RE = _prefix_re(_VERB_PREFIXES)
# Any typed phrase that can open a cell in mid-line (owner, budget, product, date wording).
_ALPHA_CUE_RE = re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (_OWNER_RE, _BUDGET_RE, _PRODUCT_RE, _DATE_RE))
)

_HEAD_KEYWORDS = (("objective", r"muc\s*tieu"), ("task", r"nhiem\s*vu"), ("activity", r"hoat\s*dong"))
_HEAD_RES = tuple(
    (
        col,
        re.compile(
            r"^(?:\d+(?:\s*\.\s*\d+)+\s*[.:]?\s*(?:" + kw + r")\b"
            r"|(?:\d+\s*[.:]\s*)?(?:" + kw + r")\s*\d+\s*[:.])"
        ),
    )
    for col, kw in _HEAD_KEYWORDS
)
_HEAD_SEARCH_RE = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)+\s*[.:]?\s*(?:muc\s*tieu|nhiem\s*vu|hoat\s*dong)\s*\d*\s*[:.]"
)
_NUM_RE = re.compile(r"^\d{1,3}[.)]?$")
_LEAD_NUM_RE = re.compile(r"^(\d{1,3})[.)]?\s+(?=\S)")
_UNIT_AFTER_NUM_RE = re.compile(r"^(?:thang|nam|quy|ngay|lan|tuan|gio|%|phut|ky|dot|buoi)\b")
_GROUP_RE = re.compile(r"^\s*([IVXL]{1,6})\s*[.)]?\s*[|:]?\s+(\S.*)$")
_NOI_NHAN_RE = re.compile(r"^\s*noi nh[a-z]n\b")
_PHU_LUC_RE = re.compile(r"^\s*\**\s*phu luc\b")
_SIGN_RE = re.compile(
    r"^\s*\**\s*(?:tm\.?\s|t/m|kt\.?\s|q\.\s|chu tich\b|pho chu tich\b|uy ban nhan dan\b|ubnd\b"
    r"|\(da ky|\(ky|nguoi ky|\(kem theo|kem theo\b)"
)

_INF = 1e9

_WORD_RE = re.compile(r"[a-z0-9]+")
_HYPHEN_END_RE = re.compile(r"\w-$")
_BULLET_RE = re.compile(r"^[-+•*]\s*(?=[a-z])")
_OUTLINE_RE = re.compile(r"^\d+(?:\.\d+)+[.:]?\s")
_BAR_RE = re.compile(r"\|")
_WORD_START_RE = re.compile(r"(?<=\s)(?=\S)")
_DATE_TAIL_RE = re.compile(r"[0-9ivx]+\b")
_YEAR_RANGE_RE = re.compile(r"^(?:19|20)\d\d\s*-\s*(?:19|20)\d\d")

_KIND = {
    "row_no": "num",
    "objective": "text",
    "task": "text",
    "activity": "text",
    "product": "product",
    "lead": "owner",
    "support": "owner",
    "monitor": "owner",
    "deadline": "date",
    "budget": "budget",
    "note": "note",
}
_OUTLINE = ("objective", "task", "activity")


# ---------------------------------------------------------------------------------------------
# Header recognition
# ---------------------------------------------------------------------------------------------


def _words(folded: str) -> list[str]:
    return _WORD_RE.findall(folded)


def _valid_header(cols: list[str] | None) -> bool:
    if not cols or len(cols) < 3 or len(set(cols)) != len(cols):
        return False
    has_text = any(c in cols for c in ("objective", "task", "activity"))
    has_meta = any(c in cols for c in ("lead", "support", "deadline", "product"))
    return has_text and has_meta


def header_cell_column(text: str) -> str | None:
    """The canonical column one header cell names ("Cơ quan chủ trì" -> ``"lead"``), or None:
    :func:`extractors.column_roles.header_role` with header words only (a cell cut from a
    printed line may be half a cell)."""
    return header_role(text, strict=True)


def is_valid_header(cols: Sequence[str]) -> bool:
    """Whether a column sequence is an appendix header (>= 3 distinct columns, a text column
    and a meta column)."""
    return _valid_header(list(cols))


def join_cell_text(pieces: Sequence[str]) -> str:
    """Join the wrapped lines of one cell: a space between lines, none after an in-word hyphen."""
    return _join_text(pieces)


def is_roman(token: str) -> bool:
    """Whether ``token`` is an upper-case roman numeral (group numbers "I", "IV", ...)."""
    return _is_roman(token)


def is_outline_head(text: str, col: str) -> bool:
    """Whether ``text`` opens with a numbered outline head of ``col`` ("1.2. Mục tiêu 2:",
    "2.1. Nhiệm vụ 1:", "3.4: Hoạt động 4:"); ``col`` is objective, task or activity."""
    rx = dict(_HEAD_RES).get(col)
    return bool(rx is not None and rx.match(_fold(text).strip()))


# ---------------------------------------------------------------------------------------------
# Document preparation
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Tab layout
# ---------------------------------------------------------------------------------------------


def _tab_header(doc: _Doc, i: int) -> tuple[str, ...] | None:
    cells = doc.fold[i].split("\t")
    cols: list[str] = []
    for c in cells:
        if not _words(c):
            continue
        role = header_role(c)
        if role is None:
            return None
        cols.append(role)
    return tuple(cols) if _valid_header(cols) else None


def _extract_tab_tables(doc: _Doc) -> list[AppendixTable]:
    n = len(doc.raw)
    tables: list[AppendixTable] = []
    i = 0
    while i < n:
        if doc.raw[i].count("\t") < 2:
            i += 1
            continue
        header = _tab_header(doc, i)
        if header is None:
            i += 1
            continue
        cols = header
        header_line = i
        page = 1
        rows: list[dict] = []
        group: tuple[str | None, str | None] = (None, None)
        prose_run = 0
        j = i + 1
        while j < n:
            line = doc.raw[j]
            if doc.blank[j]:
                j += 1
                continue
            if line.count("\t") >= 1:
                prose_run = 0
                rep = _tab_header(doc, j) if line.count("\t") >= 2 else None
                if rep is not None:
                    if rep != cols:
                        break  # a different table starts
                    page += 1
                    j += 1
                    continue
                cells = [_collapse(c) for c in line.split("\t")]
                while len(cells) > len(cols) and not cells[-1]:
                    cells.pop()
                if len(cells) > len(cols):
                    cells = cells[: len(cols) - 1] + [" ".join(c for c in cells[len(cols) - 1 :] if c)]
                cells += [""] * (len(cols) - len(cells))
                first = cells[0]
                others = [c for c in cells[1:] if c]
                if _is_roman(first.rstrip(".")) and len(others) == 1 and cells[1]:
                    group = (first.rstrip("."), others[0])
                    j += 1
                    continue
                if not any(cells):
                    j += 1
                    continue
                rows.append(
                    {"cells": dict(zip(cols, cells)), "line": j, "end": j, "page": page, "group": group}
                )
            else:
                # A stray non-tab line between tab rows: a wrapped continuation of the previous
                # row's last cell.  Followed by no more tab rows, it is the text after the table.
                prose_run += 1
                k = j + 1
                while k < n and doc.blank[k]:
                    k += 1
                more_rows = k < n and doc.raw[k].count("\t") >= 1
                if prose_run >= 3 or not rows or not more_rows or _is_prose_end(doc, j):
                    break
                last = rows[-1]
                filled = [c for c in cols if last["cells"][c]]
                if filled:
                    col = filled[-1]
                    last["cells"][col] = _join_text([last["cells"][col], _collapse(line)])
                    last["end"] = j
            j += 1
        out_rows = []
        for r in rows:
            rn = r["cells"].get("row_no", "")
            out_rows.append(
                AppendixRow(
                    group_no=r["group"][0],
                    group_title=r["group"][1],
                    row_no=_clean_row_no(rn),
                    cells=dict(r["cells"]),
                    line_start=r["line"] + 1,
                    line_end=r["end"] + 1,
                    page=r["page"],
                )
            )
        if out_rows:
            tables.append(AppendixTable(columns=cols, header_line=header_line + 1, rows=tuple(out_rows)))
        i = j
    return tables


def _clean_row_no(text: str) -> str | None:
    t = text.strip().rstrip(".)").strip()
    return t if t else None


def _join_text(pieces: Sequence[str]) -> str:
    """Join wrapped lines of one cell: a space between lines, none after an in-word hyphen."""
    out = ""
    for p in pieces:
        p = _collapse(p)
        if not p:
            continue
        if not out:
            out = p
        elif _HYPHEN_END_RE.search(out):
            out += p  # "HĐND-" + "UBND" -> "HĐND-UBND"
        else:
            out += " " + p
    return out


# ---------------------------------------------------------------------------------------------
# Cell-line layout: items, parts and features
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Part:
    line: int
    text: str
    feats: dict = field(default_factory=dict)  # shared between identical texts: read-only
    prior: float = 0.0  # cost adjustment for the cut in front of this piece
    start: list[float] = field(default_factory=list)  # cost when the part opens a cell, per column
    cont: list[float] = field(default_factory=list)  # cost when it continues a cell, per column


@dataclass(slots=True)
class _Item:
    line: int
    text: str
    gap: bool
    page_break: bool
    page: int | None
    hyphen_before: bool
    open_before: float = 0.0  # bonus for continuing the cell: the previous line ends "open"
    prev_len: int = 0  # length of the previous line (for the wrap-width cue)
    prev_len_split: int = 0  # same, for the last piece when the previous line was cut
    prev_colon: bool = False  # previous line ends with ":" (explicit break after a head)
    first_word: int = 0  # length of this line's first word
    options: list[list[_Part]] = field(default_factory=list)


def _features(text: str) -> dict:
    text = text.strip()
    folded = _fold(text)
    f = _BULLET_RE.sub("", folded) if folded.startswith(("- ", "+ ", "• ")) else folded
    head = None
    if f[:1].isdigit() or f[:1] in "mnh":  # every head starts with its number or keyword
        for col, rx in _HEAD_RES:
            if rx.match(f):
                head = col
                break
    first_alpha = next((ch for ch in text if ch.isalpha()), "")
    lower = bool(first_alpha) and first_alpha.islower() and not text.lstrip()[:1].isdigit()
    # Cells open with a capital: vocabulary cues on a lower-case line ("đơn vị", "năm 2025")
    # are the tail of a wrapped cell, not the start of a typed one.
    cue = not lower
    return {
        "num": bool(_NUM_RE.match(f)),
        "head": head,
        "owner": cue and bool(_OWNER_RE.match(f)),
        "date": cue and bool(_DATE_RE.match(f)),
        "budget": cue and bool(_BUDGET_RE.match(f)),
        "product": cue and bool(_PRODUCT_RE.match(f)),
        "verb": cue and bool(_VERB_RE.match(f)),
        "lower": lower,
        # First word capitalised like a sentence start (not an acronym such as "KSTTHC").
        "title": _is_title_word(text),
        "len": len(text),
        "outline": bool(_OUTLINE_RE.match(f)),
        "open_end": _open_end(text),
        "key": _collapse(folded).strip(" .,;:-–"),
        # "7 Sáng kiến …", "5 | Thực hiện …": a row number glued to the first cell.
        "lead_num": f[:1].isdigit() and _lead_number_end(text) is not None,
        # An owner name starting mid-line ("văn bản Công chức") in a short piece: usually the
        # first line of the next (owner) cell glued onto this one.
        "mid_owner": len(text) <= 25 and _mid_owner(text),
    }


def _lead_number_end(text: str) -> int | None:
    """End offset of a row number opening the line ("7 Sáng kiến"), not "6 tháng đầu năm"."""
    m = _LEAD_NUM_RE.match(text)
    if m is None or _UNIT_AFTER_NUM_RE.match(_fold(text[m.end() :])):
        return None
    return m.end()


_MID_OWNER_RE = re.compile(
    r"\s(?:cong chuc|van phong|vp |ubnd|phong |trung tam|bo phan|cac bo phan|cac phong)"
)


def _mid_owner(text: str) -> bool:
    m = _MID_OWNER_RE.search(_fold(text), 1)
    return bool(m) and text[m.start() + 1 : m.start() + 2].isupper()


# Matched on lower-cased text with diacritics: folding would confuse "từ" with "điện tử".
_OPEN_WORDS = frozenset("và của các theo với cho trong về để tại từ đến hoặc được những nhằm thuộc".split())
_INCOMPLETE_OWNER = frozenset(
    (
        "văn phòng", "phòng", "trung tâm", "bộ phận", "công chức", "các phòng", "các bộ phận", "ban",
        "vp", "ủy ban", "uỷ ban", "các cơ quan", "cơ quan", "ủy ban nhân dân", "các ban", "đoàn",
        "hội", "chi cục", "các",
    )
)


_OWNER_HEAD_END_RE = re.compile(
    r"(?:^|\s)(?:văn phòng|công chức|chức|trung tâm|bộ phận|các phòng|phòng|ủy ban|uỷ ban)$"
)


def _open_end(text: str) -> float:
    """How strongly a line's ending says "the cell goes on" (negative = continuation bonus)."""
    t = text.rstrip()
    if not t:
        return 0.0
    if _HYPHEN_END_RE.search(t):
        return -1.5  # in-word hyphen wrap: "HĐND-" / "2022-"
    if t[-1] in "-–,":
        return -1.0
    if t[-1] == ";":
        return -0.3
    low = t.lower().strip(" .:")
    if low in _INCOMPLETE_OWNER or (len(low) <= 20 and _OWNER_HEAD_END_RE.search(low)):
        return -1.5  # "Văn phòng" / "… công chức" is the first half of an owner name
    last = low.rsplit(" ", 1)[-1] if low else ""
    if last in _OPEN_WORDS and not t[-1] in ".:;)":
        return -1.0  # a cell does not end on a preposition or conjunction
    return 0.0


_DATE_LEAD_WORDS = frozenset(("nam", "quy", "thang", "tu", "den", "ngay", "doan", "hang", "truoc", "sau"))


def _is_title_word(text: str) -> bool:
    words = text.split()
    w = words[0] if words else ""
    return w[:1].isupper() and any(ch.islower() for ch in w[1:])


def _split_candidates(text: str) -> list[tuple[int, float]]:
    """Offsets where a second cell could start on this line, with a prior cost for the cut."""
    cands: dict[int, float] = {}
    folded = _fold(text)
    end = _lead_number_end(text)
    if end is not None:
        cands[end] = 0.0
    for m in _BAR_RE.finditer(text):
        pos = m.end()
        while pos < len(text) and text[pos] == " ":
            pos += 1
        if 0 < m.start() and pos < len(text):
            cands[pos] = -0.5
    for m in _WORD_START_RE.finditer(text):
        pos = m.start()
        if pos in cands or pos == 0:
            continue
        ch = text[pos]
        digit = ch.isdigit()
        if not (digit or ch.isupper()):
            continue
        rest = folded[pos:]
        if _DATE_TAIL_RE.match(rest):
            before = folded[:pos].split()
            if before and before[-1] in _DATE_LEAD_WORDS:
                continue  # "Năm 2021-2025", "Quý IV": one date, not two cells
        double = text[pos - 2 : pos] == "  "
        if digit:
            strong = _HEAD_SEARCH_RE.match(rest) or _YEAR_RANGE_RE.match(rest)
        else:
            strong = _ALPHA_CUE_RE.match(rest)
        if strong:
            cands[pos] = 0.0 if double else 0.2
        elif double:
            cands[pos] = 0.6
    out = sorted(cands.items())
    # Drop cut points that would leave only separator characters between them.
    kept: list[tuple[int, float]] = []
    for pos, prior in out:
        if kept and not text[kept[-1][0] : pos].strip(" |\t"):
            kept[-1] = (pos, min(prior, kept[-1][1]))
        else:
            kept.append((pos, prior))
    out = kept
    bars = [c for c in out if c[1] < 0]
    return out[:4] if len(bars) < 2 else sorted(set(out[:4]) | set(bars))


def _make_options(line: int, text: str, feat_cache: dict[str, dict]) -> list[list[_Part]]:
    """Segmentation options of one line: uncut, cut once, cut twice (and at every "|")."""
    text = text.strip()
    cands = _split_candidates(text)

    def piece(a: int, b: int) -> str:
        return text[a:b].strip(" |\t")

    def part(t: str, prior: float = 0.0) -> _Part:
        ft = feat_cache.get(t)
        if ft is None:
            ft = feat_cache[t] = _features(t)
        return _Part(line, t, feats=ft, prior=prior)

    opts: list[list[_Part]] = [[part(text)]]
    for pos, prior in cands:
        left, right = piece(0, pos), piece(pos, len(text))
        if left and right:
            opts.append([part(left), part(right, prior)])
    for (a, pa), (b, pb) in ((x, y) for i, x in enumerate(cands) for y in cands[i + 1 :]):
        s1, s2, s3 = piece(0, a), piece(a, b), piece(b, len(text))
        if s1 and s2 and s3:
            opts.append([part(s1), part(s2, pa), part(s3, pb)])
    # OCR'd tables print column rules as "|": one more option cuts at every rule, however many
    # cells that makes.
    bars = [pos for pos, prior in cands if prior < 0]
    if len(bars) >= 3:
        cuts = [0] + bars + [len(text)]
        pieces = [piece(a, b) for a, b in zip(cuts, cuts[1:])]
        if all(pieces):
            opts.append([part(pieces[0])] + [part(t, -0.5) for t in pieces[1:]])
    return opts


# ---------------------------------------------------------------------------------------------
# Emission model: cost (lower = more likely) of a piece opening / continuing a cell of a column.
# Hand-set weights on content cues; vocabulary cues only count on capitalised lines because
# cells open with a capital.
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Params:
    cols: tuple[str, ...]
    headed: frozenset[str]
    fill: list[float]
    width: list[float | None]
    wrapw: list[float | None] = field(default_factory=list)
    # Exact (folded) line strings seen several times in the first decoding -> cost per column.
    # Tables repeat their owner/deadline wording, so "HĐND -" or "liên quan" votes for the
    # column it usually sits in.
    linevocab: dict[str, list[float]] = field(default_factory=dict)
    # gapc[s][o][m][g]: cost of a blank line (g=1) or of none (g=0) before a line that continues
    # the current cell (m=0) or opens a cell (m=1), given that the previous line held one cell
    # (s=0) or two (s=1) and did (o=1) or did not (o=0) end "open" (dash, comma, "của" …).
    # Learned from the first decoding; all zero before that.
    gapc: tuple = tuple(tuple(((0.0, 0.0), (0.0, 0.0)) for _o in (0, 1)) for _s in (0, 1))
    has_row_no: bool = True


def _start_cost(ft: dict, col: str, prm: _Params) -> float:
    kind = _KIND[col]
    if kind == "num":
        return -3.0 if ft["num"] else _INF
    if ft["num"]:
        return 8.0
    head = ft["head"]
    if ft["lead_num"]:
        return 4.0  # should have been cut after the row number
    lower = ft["lower"]
    if kind == "text":
        if head is not None:
            if head == col:
                return -3.0
            return 6.0 if head in prm.cols else 2.0
        c = 1.0
        if col in prm.headed:
            c += 1.5  # cells of this column normally open with a head
        if ft["outline"]:
            c += 1.0
        c += 1.5 if ft["owner"] else 0.0
        c += 2.0 if ft["date"] else 0.0
        c += 2.0 if ft["budget"] else 0.0
        c += 0.3 if ft["product"] else 0.0
        c -= 0.5 if ft["verb"] else 0.0
        c += 0.7 if lower else 0.0
        return c
    if head is not None:
        return 6.0
    if ft["mid_owner"] and kind != "owner":
        return _start_cost_kind(ft, kind, lower, "budget" in prm.cols) + 0.7
    return _start_cost_kind(ft, kind, lower, "budget" in prm.cols)


def _start_cost_kind(ft: dict, kind: str, lower: bool, has_budget: bool) -> float:
    if kind == "product":
        c = 1.0
        c -= 1.0 if ft["product"] else 0.0
        c -= 0.2 if ft["verb"] else 0.0
        c += 2.0 if ft["owner"] else 0.0
        c += 2.0 if ft["date"] else 0.0
        c += 2.0 if ft["budget"] else 0.0
        c += 0.7 if lower else 0.0
        return c
    if kind == "owner":
        c = 1.0
        c += -1.5 if ft["owner"] else 1.5
        c += 2.5 if ft["date"] else 0.0
        c += 2.5 if ft["budget"] else 0.0
        c += 1.0 if ft["product"] and not ft["owner"] else 0.0
        c += 1.5 if ft["verb"] else 0.0
        c += 1.0 if lower else 0.0
        return c
    if kind == "date":
        c = 1.0
        # "Theo quy định" is a deadline wording too when the table has no budget column.
        c += -1.5 if ft["date"] or (ft["budget"] and not has_budget) else 2.0
        c += 2.0 if ft["owner"] else 0.0
        c += 1.5 if ft["product"] and not ft["date"] else 0.0
        c += 1.5 if ft["verb"] else 0.0
        c += 0.5 if ft["budget"] else 0.0
        c += 1.0 if lower else 0.0
        return c
    if kind == "budget":
        c = 1.0
        c += -1.5 if ft["budget"] else 2.0
        c += 0.5 if ft["date"] else 0.0
        c += 2.0 if ft["owner"] else 0.0
        c += 1.0 if lower else 0.0
        return c
    c = 1.0  # note: free text without cues; its (learned) fill rate does the work
    c += 0.7 if lower else 0.0
    return c


def _cont_cost(ft: dict, col: str, prm: _Params) -> float:
    kind = _KIND[col]
    if kind == "num":
        return _INF
    if ft["head"] is not None:
        return 12.0  # a head always opens a cell
    if ft["num"]:
        return 8.0
    c = -0.3 if ft["lower"] else 0.4
    if ft["lead_num"]:
        c += 5.0  # a line opening with a row number starts a row
    if ft["owner"] and kind != "owner":
        c += 1.0
    if ft["date"] and kind != "date":
        c += 1.2
    if ft["budget"] and kind != "budget" and (kind != "date" or "budget" in prm.cols):
        c += 1.0
    if ft["product"] and kind in ("owner", "date", "budget"):
        c += 1.0
    elif ft["product"] and kind == "text":
        c += 0.5  # a capitalised document noun at a line start usually opens the product cell
    if ft["outline"] and kind == "text":
        c += 1.0
    if ft["mid_owner"] and kind != "owner":
        c += 0.7
    if kind == "date" and ft["title"] and not ft["date"]:
        c += 2.0  # deadlines are short formulas; a new capitalised phrase is another cell
    return c


def _width_cost(ft: dict, ci: int, prm: _Params) -> float:
    w = prm.width[ci]
    if w is None:
        return 0.0
    excess = ft["len"] - w
    return 0.0 if excess <= 0 else 2.0 + excess * 0.1


_SIG_KEYS = (
    "num", "head", "lead_num", "lower", "title", "outline", "owner", "date", "budget", "product",
    "verb", "mid_owner",
)


def _score_parts(items: list[_Item], prm: _Params) -> None:
    cols = prm.cols
    C = len(cols)
    fill_cost = [-math.log(max(0.03, f)) for f in prm.fill]
    widths = [w for w in prm.width if w is not None]
    min_width = min(widths) if widths else _INF
    # The content costs depend on a handful of booleans only: cache them per signature.
    cache: dict[tuple, tuple[list[float], list[float]]] = {}
    for it in items:
        for opt in it.options:
            for p in opt:
                ft = p.feats
                sig = tuple(ft[k] for k in _SIG_KEYS)
                base = cache.get(sig)
                if base is None:
                    base = (
                        [_start_cost(ft, c, prm) + fill_cost[k] for k, c in enumerate(cols)],
                        [_cont_cost(ft, c, prm) for c in cols],
                    )
                    cache[sig] = base
                start, cont = base
                extra = prm.linevocab.get(ft["key"])
                if ft["len"] > min_width:
                    width = [_width_cost(ft, k, prm) for k in range(C)]
                    extra = width if extra is None else [a + b for a, b in zip(extra, width)]
                if extra is None:
                    p.start, p.cont = start, cont
                else:
                    p.start = [a + b for a, b in zip(start, extra)]
                    p.cont = [a + b for a, b in zip(cont, extra)]


# ---------------------------------------------------------------------------------------------
# Viterbi segmentation
# ---------------------------------------------------------------------------------------------

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
            if it.page_break:
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
                    if it.page_break:
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


# ---------------------------------------------------------------------------------------------
# Cell-line tables: region building
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Region:
    cols: tuple[str, ...] | None
    header_line: int | None
    start: int
    end: int  # exclusive
    headers: list[tuple[int, int]]  # header blocks inside the region (start, end)


def _is_prose_end(doc: _Doc, i: int) -> bool:
    f = doc.fold[i]
    return bool(_NOI_NHAN_RE.match(f) or _PHU_LUC_RE.match(f))


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


# ---------------------------------------------------------------------------------------------
# Cell-line tables: decoding
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _RowAcc:
    group: tuple[str | None, str | None]
    page: int | None
    chunk: int = 0
    cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)


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


# ---------------------------------------------------------------------------------------------
# Merged outline cells
# ---------------------------------------------------------------------------------------------


def _finish_rows(rows: list[_RowAcc], cols: tuple[str, ...]) -> list[AppendixRow]:
    texts = [{c: _join_text([t for _, t in r.cells.get(c, [])]) for c in cols} for r in rows]
    outline = [c for c in _OUTLINE if c in cols]
    if len(outline) >= 2:
        # Every outline column above the finest one (objective and task above activity) is
        # printed as vertically merged cells.
        _resolve_merged(rows, texts, outline[:-1])
    out: list[AppendixRow] = []
    for r, t in zip(rows, texts):
        m = _ROW_NO_RE.match(t.get("row_no", ""))
        out.append(
            AppendixRow(
                group_no=r.group[0],
                group_title=r.group[1],
                row_no=m.group(1) if m else None,
                cells=t,
                line_start=min(r.lines) + 1,
                line_end=max(r.lines) + 1,
                page=r.page,
            )
        )
    return out


_ROW_NO_RE = re.compile(r"^(\d{1,3})")
_PAD = 0.8  # cell padding in line units (top + bottom), for row heights


@dataclass(slots=True)
class _Head:
    """A merged cell as printed: where its text starts and how far its fragments reach."""

    row: int  # row whose band holds the first line of the text
    last: int  # last row whose band holds a fragment of it
    lines: int  # printed lines in total
    first_lines: int  # printed lines in the first row


def _looks_like_head(text: str, col: str, headed: bool) -> bool:
    if headed:
        return bool(dict(_HEAD_RES)[col].match(_fold(text).strip()))
    first = next((ch for ch in text if ch.isalpha()), "")
    return bool(first) and first.isupper()


def _resolve_merged(rows: list[_RowAcc], texts: list[dict[str, str]], merged: list[str]) -> None:
    n = len(rows)
    # Row heights in line units: the tallest fragment printed inside the row's band (merged
    # fragments included: they lie inside the band too, so they bound its height from below).
    heights = [max((len({ln for ln, _ in fr}) for fr in r.cells.values()), default=1) + _PAD for r in rows]
    spans: list[tuple[int, int]] = []  # groups: merged cells never cross a group row
    s = 0
    for k in range(1, n + 1):
        if k == n or rows[k].chunk != rows[s].chunk:
            spans.append((s, k))
            s = k
    heads: dict[str, list[_Head]] = {}
    for col in merged:
        nonempty = [t[col] for t in texts if t[col]]
        headed = bool(nonempty) and 2 * sum(_looks_like_head(x, col, True) for x in nonempty) >= len(nonempty)
        heads[col] = []
        for g0, g1 in spans:
            cur: _Head | None = None
            for k in range(g0, g1):
                txt = texts[k][col]
                if not txt:
                    continue
                nl = len({ln for ln, _ in rows[k].cells.get(col, [])})
                if cur is None or _looks_like_head(txt, col, headed):
                    cur = _Head(k, k, nl, nl)
                    heads[col].append(cur)
                else:
                    # A fragment without a head: the merged cell's text spilled into this row.
                    texts[cur.row][col] = _join_text([texts[cur.row][col], txt])
                    texts[k][col] = ""
                    cur.last = k
                    cur.lines += nl
    # Top-aligned merged cells print at the first row they cover, so every group would open
    # with a head; otherwise the text is vertically centred and the spans must be inferred.
    top_aligned = all(
        any(h.row == g0 for h in heads[col]) or not any(g0 <= h.row < g1 for h in heads[col])
        for g0, g1 in spans
        for col in merged
    )
    for g0, g1 in spans:
        per_col = {col: [h for h in heads[col] if g0 <= h.row < g1] for col in merged}
        if top_aligned:
            owner = {col: _fill_down(per_col[col], g0, g1) for col in merged}
        else:
            owner = _centred_spans(heights, g0, g1, [per_col[c] for c in merged])
            owner = dict(zip(merged, owner))
        for col in merged:
            src_text = {h.row: texts[h.row][col] for h in per_col[col]}
            for k in range(g0, g1):
                src = owner[col].get(k)
                texts[k][col] = src_text[src] if src is not None else ""


def _fill_down(hs: list[_Head], g0: int, g1: int) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    cur = None
    starts = {h.row for h in hs}
    for k in range(g0, g1):
        if k in starts:
            cur = k
        out[k] = cur
    return out


def _centred_spans(
    heights: list[float], g0: int, g1: int, levels: list[list[_Head]]
) -> list[dict[int, int | None]]:
    """Rows covered by each head, for one or two nested levels of vertically centred cells.

    A centred merged cell covering rows s..e starts its text at
    top(s) + (height(s..e) - text height) / 2, and that first line must fall inside the band of
    the row where the text was printed (entirely, when the text is not split across rows).  The
    cost of an interval is how far that prediction misses; heads of one level partition the
    group's rows into contiguous intervals, and for two levels the outer intervals must be
    unions of inner ones, so the outer partition is chosen with the inner partition of each
    candidate interval as part of its cost.
    """
    T = [0.0]
    for k in range(g0, g1):
        T.append(T[-1] + heights[k])

    def geo_cost(s: int, e: int, h: _Head) -> float:
        top = T[s - g0]
        span = T[e + 1 - g0] - top
        y = top + max(0.0, (span - h.lines) / 2.0)
        row_top = T[h.row - g0] + _PAD / 2
        row_bot = T[h.row + 1 - g0] - _PAD / 2
        if h.last == h.row:
            lo, hi = row_top, max(row_top, row_bot - h.lines)
        else:  # the text runs on into the next row: its first line sits k lines above the edge
            lo = hi = max(row_top, row_bot - h.first_lines)
        miss = lo - y if y < lo else (y - hi if y > hi else 0.0)
        # Tie-break towards the interval that puts the text most comfortably inside its row.
        return miss + 0.05 * abs(y - (lo + hi) / 2.0)

    def partition(hs: list[_Head], a: int, b: int, extra=None) -> tuple[float, list[int]]:
        """Best split of rows a..b-1 among heads hs: (cost, last row of each interval)."""
        m = len(hs)
        if m == 0:
            return 0.0, []
        if hs[0].row < a or hs[-1].last >= b:
            return _INF, []
        best: dict[int, tuple[float, list[int]]] = {a - 1: (0.0, [])}
        for i, h in enumerate(hs):
            nxt_row = hs[i + 1].row if i + 1 < m else b
            ends = range(h.last, nxt_row) if i + 1 < m else range(b - 1, b)
            new: dict[int, tuple[float, list[int]]] = {}
            for prev_end, (c0, bounds) in best.items():
                st = prev_end + 1
                if st > h.row:
                    continue
                for e in ends:
                    c = c0 + geo_cost(st, e, h)
                    if extra is not None:
                        c += extra(st, e)
                    if c < new.get(e, (_INF,))[0]:
                        new[e] = (c, bounds + [e])
            best = new
        if not best:
            return _INF, []
        return min(best.values(), key=lambda v: v[0])

    def mapping(hs: list[_Head], bounds: list[int], a: int, b: int) -> dict[int, int | None]:
        out: dict[int, int | None] = {k: None for k in range(a, b)}
        st = a
        for h, e in zip(hs, bounds):
            for k in range(st, e + 1):
                out[k] = h.row
            st = e + 1
        return out

    if len(levels) == 1 or not levels[0]:
        results = [{k: None for k in range(g0, g1)} for _ in levels]
        lv = 0 if len(levels) == 1 else 1
        cost, bounds = partition(levels[lv], g0, g1)
        if bounds:
            results[lv] = mapping(levels[lv], bounds, g0, g1)
        return results
    outer, inner = levels[0], levels[1]
    memo: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def inner_cost(st: int, e: int) -> float:
        key = (st, e)
        if key not in memo:
            hs = [h for h in inner if st <= h.row <= e]
            if not hs and inner:
                memo[key] = (3.0, [])  # an objective whose rows get no task at all
            else:
                memo[key] = partition(hs, st, e + 1)
        return memo[key][0]

    _, obounds = partition(outer, g0, g1, extra=inner_cost)
    if not obounds:
        # Inconsistent prints: fall back to partitioning each level on its own.
        res = []
        for hs in levels:
            _, bd = partition(hs, g0, g1)
            res.append(mapping(hs, bd, g0, g1) if bd else {k: None for k in range(g0, g1)})
        return res
    omap = mapping(outer, obounds, g0, g1)
    imap: dict[int, int | None] = {k: None for k in range(g0, g1)}
    st = g0
    for e in obounds:
        hs = [h for h in inner if st <= h.row <= e]
        _, bd = memo.get((st, e)) or partition(hs, st, e + 1)
        if bd:
            imap.update(mapping(hs, bd, st, e + 1))
        st = e + 1
    return [omap, imap]


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def _extract(lines: Sequence[str]) -> list[AppendixTable]:
    doc = _prepare(lines)
    tables = _extract_tab_tables(doc)
    covered: set[int] = set()
    for t in tables:
        lo = (t.header_line or 1) - 1
        hi = max(r.line_end for r in t.rows)
        covered.update(range(lo, hi))
    regions = _header_regions(doc, covered)
    if not regions and not tables:
        reg = _headerless_region(doc, covered)
        regions = [reg] if reg is not None else []
    for reg in regions:
        t = _decode_region(doc, reg)
        if t is not None and t.rows:
            tables.append(t)
    tables.sort(key=lambda t: t.rows[0].line_start)
    return tables


def extract_appendix(lines: Sequence[str]) -> list[AppendixTable]:
    """lines = the whole document, lines[i] is line i+1.

    Pure, never raises on odd input (returns [] when no table).
    """
    try:
        return _extract(lines)
    except Exception:  # noqa: BLE001 - contract: odd input must never break the pipeline
        return []
