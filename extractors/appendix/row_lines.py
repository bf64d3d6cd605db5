"""Tables of OCR'd text dumps that print a table row by row with the column boundaries lost
("row-lines": tesseract's plain text of a scanned, ruled table).

Every printed line holds, left to right, one wrapped line of every column's cell; columns are
parted by a ``|`` where OCR read a ruling as a bar, elsewhere only by a single space:

    TT Mục tiêu Tên nhiệm vụ Hoạt động Cơ quan, đơn | Cơ quan phối Tiến độ Kinh
    vị thực hiện hợp phí
    I_| Xây dựng và phát triển Chính quyền điện tử, Chính quyền số
    1 | Nâng cao hiệu lực, | Thực hiện quy chế dân chủ ở | Cập nhật dữ Văn phòng Các bộ phận Thường
    hiệu quả quản lý cơ sở theo quy định tại Nghị | liệu lên Hệ HĐND-UBND | chuyên môn xuyên

Method
------
1. **Header**: a line whose words tile into header cells naming three or more columns in a
   valid order (:func:`extractors.appendix.vocab.header_cell_column`; words OCR glued parted:
   "Donvichu"), a cell completed, where the header wraps, by the words of the next line in the
   same order ("Cơ quan phối" + "hợp"), a cell cut short by the wrap named by one anchor word
   ("Kinh") or, made of agent words only ("Cơ quan, đơn"), taken as the lead column.  A header
   printed one cell per line (tesseract read each header cell as a block of its own, a wrapped
   rest after them: "Cơ quan, đơn vị thực" ... "hiện"; or each cell wrapped in its own block,
   blank lines between: "Sản phẩm đầu" / "ra") is read cell by cell (:func:`_vertical_header`).  A two-level header's lower cells ("Chủ trì" | "Phối hợp" under
   "Trách nhiệm thực hiện", perhaps wrapped, amid other cells' wrapped rest) on the next lines
   replace the cell over them, or stand where the lead and support columns go when it named
   no column (:func:`_two_level`).  A page without a header continues the table of the page
   before it, or of the header pages before a gap of pages without rows read so (printed cell
   by cell: the caller reads those from the order of their lines).
2. **Rows** open at a row number (the next of the sequence) or a group row ("I_| Cải cách ...")
   at the start of a line.  A table without TT column opens a row on a line that starts
   upper-case and holds, further on, a whole deadline opening upper-case ("Quý I/2025").  On
   such a line a row opens too where OCR misread its number: one further on in the sequence
   (the rows between lost), one digit off or without its leading digits ("95" for 25, "7" for
   17), or a speck for it ("e") -- the number is then left to the sequence; so is the number of
   a row whose first line prints none (OCR dropped a lone digit whole), found as a row's first
   line of a table without TT column is (or with its deadline's head word, its date wrapped to
   the next line), below a row with lines of its own (:func:`_lost_row`).
   A row whose cells tesseract read as blocks of their own prints them one paragraph each,
   blank lines between, and no number ("Kiểm tra việc ..." / "Văn phòng HĐND-UBND xã" /
   "Trước 15/12/2025"): the paragraphs go on the columns in order, typed ones whole in their
   typed column, where exactly one such placing exists (:func:`_stacked`); where none does, the
   row is one of its own, counted and never read.
   A table that centres its cells prints a row's number and short cells on its middle line,
   its taller cells' lines above and below it; read as printed, the lines above would go on
   the row before.  Where the reading as printed leaves lines out, the rows are read centred
   too (:func:`_centred`: the lines between two number lines parted where both rows come out
   balanced, every row's top line opening a cell; each row then cut from its middle line as
   well as from its top, every cell with text on the middle line), and the reading that reads
   more lines is kept.
3. **Columns of a line**: each line of a row is cut into fragments, one per column that still
   has text there, by a dynamic programme over the cut points (:func:`split_line`).  Costs: a
   fragment wider than its column (widths in estimated printed width, :func:`_width`); a word
   that would have fitted on the line above (or a word of the line below that would have
   fitted here) in its column -- lines wrap greedily; a cell not starting upper-case on the
   row's first line, or a column appearing below a line where it had no text (cells are
   top-aligned); a cell going on below a whole typed cell (a known body, a deadline, a budget
   phrase ending as budgets end: "Theo quy định") or ending open (on a preposition, half a
   body's name), or a body's name cut short inside a compound
   going on with words that are not its rest ("Công chức Địa" + "— Xây dựng": its "chính" taken
   by the cell beside); a cut without a bar inside a known body's name ("Công chức" | "Địa
   chính –"); a bar inside a fragment, a cut away from a
   bar; the repair language model's word association across each cut and each continuation
   (:func:`_assoc`); content cues (owners in the lead / support columns, deadlines -- their
   head word as OCR bent it too, "Trực 15/12/2025" --, budget phrases) lower the cost of their
   column; a list item under a cell's ":" begins its line by intent, not by a wrap.  A row is
   cut line by line down the row, then again given the line below (:func:`split_row`).  Column
   widths start from typical proportions of the columns' roles and are re-estimated from the
   fragments (hard EM); a body column is at least as wide as the widest name read whole on
   one line in it.
4. **Precision first**: a row is read only when its cut is settled (the pass that saw the line
   below changed nothing -- in a table with one free-text column, whose other cells are all
   checked, not needed), clean (no fragment over its column's width, a low cost), no line's
   lone fragment could as well go on another open column (but a lone rest of a body's name:
   "dựng" under "... – Xây"), no outline cell goes on with words that open other rows' cells
   (the next row's first line run in), and its typed cells read whole:
   every body a known one by its whole name (:mod:`normalizers.owners`) -- not cut short
   ("Công chức Địa chính – Xây") nor split over two columns ("Chủ tịch" | "UBND xã") --, every
   deadline a date or recurrence and nothing else (its date words put right first: "Trực" /
   "15/12/2025" -> "Trước"), the lead and deadline filled where the table fills them, and no
   merged column with text on both sides of the row's top that may be the rest of the cell
   above as well as a new one (:func:`_run_on_doubt`: lower-case under an open cell is its
   rest, a task's verb under a closed one a new cell, other upper-case words are in doubt),
   no merged cell taken from a row whose cut was not clean, no body cell ending
   on ";" or "," before one more name, no outline cell opening on a list item.  Every other
   row's lines get a fit of 0, so that the caller leaves the row out and counts it.  A body's
   name wrapped in its cell goes on in its column when the next line's words complete a
   registered name (:func:`normalizers.owners.extends_name`).

The placed lines become a :class:`~pipeline.model.Table` per page through the layout reader's
table builder (merged outline cells, group rows), read into appendix rows by
:func:`extractors.appendix.grid.appendix_from_tables`.  Pure: lines in, tables out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from extractors.appendix.grid import _next_roman, _roman, _row_number as _bent_row_number
from extractors.appendix.layout_dump import _END_RE, LayoutReading, _continues, _first_alpha, _merged_columns, build_table
from extractors.appendix.model import CANONICAL_COLUMNS
from extractors.appendix.cues import _BODY_ROLES, _open_end, ends_on_date_word
from extractors.appendix.text import _ITEM_MARKS, _fold
from extractors.appendix.vocab import (
    _BUDGET_ENDS,
    _BUDGET_RE,
    _DATE_RE,
    _OWNER_RE,
    _PRODUCT_RE,
    _VERB_RE,
    TWO_LEVEL_COLUMNS,
    header_cell_column,
    is_roman,
    is_valid_header,
    join_cell_text,
)
from normalizers.areas import heading_area
from normalizers.deadlines import EMPTY as EMPTY_DEADLINE, parse_deadline
from normalizers.owners import (canonical_owner, cut_short, extends_name, is_registered, name_rest, registry_marks,
                               split_owners)
from normalizers.quarters import bent_quarter
from extractors.column_roles import HEADER_VOCAB, _one_edit, header_words, is_header_word

__all__ = ["line_tokens", "row_line_tables", "split_line", "split_row"]

# Three costs below were learned, not set by hand: ``scripts/tune_row_lines.py`` searches the
# module's costs by coordinate descent on generated plans (form ocr_eng, plans 1001-1005 and
# 1018-1029), scoring rows matched minus three times rows wrong.  Taken: LOWER_START_COST 1.2 ->
# 1.8, COMPLETE_COST 1.2 -> 1.08, AMBIGUOUS_MARGIN 3.0 -> 1.08.  Not taken: the search's higher
# APPEAR_COST and WHOLE_BONUS and lower AMBIGUOUS_FULL, which gained nothing on the plans it never
# saw, and with WHOLE_BONUS 1.575 the tasks beside two whole bodies' names of
# tests/extractors/test_row_lines.py read 16 wrong rows of 216.  Plans it never saw: 1006-1017
# rows 0.443 / precision 0.949 -> 0.467 / 0.961, 1035-1046 0.545 / 0.955 -> 0.559 / 0.956.

#: typical width of a role's column relative to the others (the start of the width estimate)
ROLE_WIDTH = {"objective": 3.0, "task": 3.2, "activity": 2.6, "product": 2.0, "lead": 1.9, "support": 1.9,
              "monitor": 1.9, "deadline": 1.4, "budget": 1.4, "note": 1.2}
#: passes down a row that cut each line again given the lines above and below
REFINE = 2
#: rounds of width re-estimation, fewer where the widths settle before: 3 rounds left a column
#: as narrow as the fragments a misplaced cut gave it (a body's name "Tài chính —" too wide for
#: its column, put in the product column beside it); 5 and 8 rounds read what 4 do (ocr_eng, 48
#: plans), at 8 % and more of the reader's time
ROUNDS = 4
#: a column's width: this percentile of its fragments' widths
WIDTH_PERCENTILE = 0.92
#: a word that would have fitted in this share of its column's width on the line above costs WRAP_COST
WRAP_ROOM = 0.88
WRAP_COST = 1.5
#: a cell that starts lower-case on its row's first line
LOWER_START_COST = 1.8
#: a column with text on a line of a row and none on the line above (cells are top-aligned)
APPEAR_COST = 2.0
#: an empty cell on a row's first line
EMPTY_COST = 0.9
#: a cut between two words where no bar stands
CUT_COST = 0.25
#: cost of a fragment per unit of width ratio over its column's width
OVER_COST = 20.0
#: words that could go on another column are ambiguous unless they go on the words they follow
#: by this much more (the language model's log ratio, :func:`_assoc`) than that column's
AMBIGUOUS_MARGIN = 1.08
#: cost of a cell ending below a line of it that ends open (a preposition, an owner's first half), per unit
END_COST = 1.0
#: cost of a cell going on below a whole typed cell (a known body, a deadline)
COMPLETE_COST = 1.08
#: how open a body's cell is that ends inside a registered name (as a line ending on a half name),
#: and a deadline's that ends on the word before its date
CUT_NAME_OPEN = 1.5
#: bonus of a fragment that opens a typed cell and is the whole of one (a known body, a deadline)
WHOLE_BONUS = 0.7
#: a row is not read when a line holds one fragment that could go on a column whose line above is
#: at least this full (and open)
AMBIGUOUS_FULL = 0.8
#: a column is typed when this share of its cells opens with the column's typed phrase
TYPED_SHARE = 0.8
#: bonus of a fragment opening a body's cell with a body's typed phrase ("Phòng", "Công chức")
OWNER_CUE = 0.8
#: bonus of a fragment opening a deadline's cell with a date or recurrence, or a budget's with
#: a budget phrase; a fragment opening either without one costs UNTYPED_COST
TYPED_CUE = 1.0
UNTYPED_COST = 0.3
#: cost of a bar inside a fragment (a ruling read through)
BAR_INSIDE_COST = 2.0
#: a cell's line opening upper-case below a line closing a sentence: a bonus; below an open
#: line (no digit): a cost
CLOSED_UPPER_BONUS = 0.2
UPPER_GOES_ON_COST = 0.4
#: a line's cut costing more than this per fragment is not clean
MAX_CLEAN_COST = 1.6
#: a fragment this much wider than its column is not clean
MAX_CLEAN_OVER = 1.12

_TOKEN_RE = re.compile(r"\||[^\s|]+")
_ROW_NO_RE = re.compile(r"^(\d{1,3})[.)]?$")
_CLOSED_RE = re.compile(r"[.;:!?]$")
_NARROW = frozenset("iljtfr.,:;'!|()-/`’‘1I ")
_WIDE = frozenset("mwMWĐDGHNOQUCÂÔƠƯ")


@lru_cache(maxsize=65536)
def _width(text: str) -> float:
    """Estimated printed width of ``text`` in average characters (a proportional font)."""
    return sum(0.6 if ch in _NARROW else 1.35 if ch in _WIDE else 1.2 if ch.isupper() else 1.0 for ch in text)


#: weight of the language model's word association in the costs of cuts and continuations
ASSOC_WEIGHT = 0.3
#: association (log P(b | a) - log P(b)) above which two words more likely go together
ASSOC_NEUTRAL = 1.0
_STRIP = ",.;:()[]\"'“”‘’-–—_"


@lru_cache(maxsize=1)
def _lm():
    """The repair step's syllable language model and, per folded syllable, the ids of its
    three most frequent accented forms (OCR garbles the marks first)."""
    from normalizers.diacritics import load_model

    model = load_model()
    forms: dict[str, list[int]] = {}
    for k, w in enumerate(model.vocab):
        forms.setdefault(_fold(w), []).append(k)
    for f, ids in forms.items():
        ids.sort(key=lambda k: -model.unigram[k])
        del ids[3:]
    return model, forms


@lru_cache(maxsize=65536)
def _ids(word: str) -> tuple[int, ...]:
    model, forms = _lm()
    w = word.strip(_STRIP).lower()
    if any(ch.isdigit() for ch in w):
        w = "<num>"  # the model's token for every number
    own = model.word_id.get(w)
    return ((own,) if own is not None else ()) + tuple(k for k in forms.get(_fold(w), ()) if k != own)


@lru_cache(maxsize=65536)
def _assoc(a: str, b: str, before: str = "") -> float:
    """How much more likely word ``b`` follows word ``a`` (and ``before`` ahead of it, when
    given) than it comes alone, in the repair step's syllable language model (log ratio over
    the words' accented forms, the best; clipped to [-2, 6]); 0 for a word it does not know.
    The word before tells a pair inside a phrase ("thủ tục" + "hành") from one that only its
    letters make likely ("Thông báo" + "hành", read as "bảo hành")."""
    from normalizers.diacritics import _bigram_scores

    model, _ = _lm()
    ia, ib = _ids(a), _ids(b)
    if not ia or not ib or a[-1:] in ".;:" or len(model.keys) < 2:
        return 0.0
    pa = np.array([x for x in ia for _ in ib])
    pb = np.array([y for _ in ia for y in ib])
    iz = _ids(before)[:1] if before and before[-1:] not in ".;:" else ()
    if iz and model.order >= 3:
        grams = np.stack([np.full(len(pa), iz[0]), pa, pb], axis=1).astype(np.uint64)
        got = float(np.max(model.score_ngrams(grams) - model.unigram[pb]))
    else:
        got = float(np.max(_bigram_scores(model, pa, pb) - model.unigram[pb]))
    return max(-2.0, min(6.0, got))


def _association(a: str, b: str, before: str = "") -> float:
    """How much word ``b`` goes with ``a`` before it, over a neutral pair, clipped to [-1, 2.5]."""
    return max(-1.0, min(2.5, _assoc(a, b, before) - ASSOC_NEUTRAL))


def _join_cost(a: str, b: str, before: str = "") -> float:
    """Cost of putting ``b`` right after ``a`` in one cell (negative: they go together);
    ``before``: the word ahead of ``a`` in that cell, if any."""
    return -ASSOC_WEIGHT * _association(a, b, before)


@dataclass(slots=True)
class _Line:
    number: int  # 1-based document line
    words: list[str]
    bars: frozenset[int]  # k: a bar stands before words[k]
    page: int | None


def line_tokens(text: str) -> tuple[list[str], frozenset[int]]:
    """The words of a printed line and where bars stand (``k``: a bar before ``words[k]``);
    underscores OCR read beside a bar ("độ_|") dropped."""
    words: list[str] = []
    bars: set[int] = set()
    for tok in _TOKEN_RE.findall(text):
        if tok == "|":
            bars.add(len(words))
            continue
        tok = tok.strip("_")
        if tok:
            words.append(tok)
    return words, frozenset(b for b in bars if 0 < b < len(words))


#: the words that open a deadline before its date, folded, and as written
_DATE_HEADS = {"truoc": "Trước", "thang": "Tháng", "quy": "Quý", "nam": "Năm"}


def _date_head(word: str) -> str | None:
    """The deadline head word ``word`` is, as written or as OCR and the repair left it: its
    marks wrong ("Thăng", "Nậm") or, of four letters or more, one letter off ("Trực" for
    "Trước"); None for none."""
    f = _fold(word).lower()
    return next((canon for key, canon in _DATE_HEADS.items()
                 if f == key or (len(f) >= 4 and len(key) >= 4 and _one_edit(f, key))), None)


def _waits_for_date(text: str) -> bool:
    """Whether a deadline's text ends on a word its date follows ("Tháng", "Trước", "Trực")."""
    words = text.split()
    return bool(words) and (ends_on_date_word(text) or _date_head(words[-1]) is not None)


def _date_heads(words: list[str]) -> list[str]:
    """A deadline's first word as OCR and the repair left it before a date or numeral, put
    right: one letter off or its marks wrong ("Trực 15/12/2025", "Thăng 12/2025", "Nậm 2025"
    -> "Trước", "Tháng", "Năm"), and a quarter's numeral OCR bent (:func:`normalizers.quarters.
    bent_quarter`: "Quý 11/2024" -> "Quý II/2024", "Quý TV/2025" -> "Quý IV/2025"); the date
    decides, so a word is changed only there."""
    out = list(words)
    for i, (w, nxt) in enumerate(zip(words, words[1:])):
        head = nxt.split("/")[0].rstrip(".,;")
        bent = bent_quarter(head) if "/" in nxt or head.isdigit() else None
        if not (head[:1].isdigit() or is_roman(head.upper()) or bent) or not w[:1].isalpha():
            continue
        canon = _date_head(w)
        if canon is not None and w.lower() != canon.lower():
            out[i] = canon if w[:1].isupper() else canon.lower()
        if canon == "Quý" and bent:
            out[i + 1] = bent + nxt[len(head):]
    return out


# --- header ---------------------------------------------------------------------------------


def _header(first: str, second: str | None, above: str | None = None) -> tuple[list[str], bool | str] | None:
    """The columns a header line names (``(roles, line used)``: True for the next line, "above"
    for the line above, False for none), or None.  Its words are cut into cells in order; a cell
    may take, in order, words of the next line (the header's wrapped part) or of the line above
    (a header centring its cells vertically prints a tall cell's first lines above the line
    holding the others: "Thời gian hoàn" / "Nội dung Cơ quan, đơn vị thực hiện thành Ghi chú").
    The cut that names columns best wins (:func:`_cell_role`).  A short first word that names no
    TT column may be the "TT" English OCR misread ("IT", repaired to "ĐẶT"): read so too, the
    better reading is kept."""
    a = _header_line_words(first)
    if not 3 <= len(a) <= 40 or sum(map(is_header_word, a)) < 0.75 * len(a):
        return None
    heads = [a] + ([["tt"] + a[1:]] if a[0] not in HEADER_VOCAB and len(a[0]) <= 3 and a[0].isalpha() else [])
    b = _wrapped_header(second)
    got = [(score, roles, used) for head in heads if (cut := _header_cut(head, b)) is not None
           for score, roles, used in [cut]]
    if (c := _wrapped_header(above)) and len(c) <= HEADER_ABOVE_WORDS:
        got += [(score, roles, "above") for head in heads if (cut := _header_cut(head, c, above=True)) is not None
                for score, roles, used in [cut] if used]
    if not got:
        return None
    score, roles, used = max(got, key=lambda t: t[0])
    if len(roles) < 3 or not is_valid_header(roles) or score < 0.7 * len(roles) or "row_no" in roles[1:]:
        return None  # (the TT column stands first: "nhiệm vụ chính trị của" + "STT Mục tiêu ..." is
        # a cell's wrapped rest above a header)
    return roles, used


def _opens_task(text: str) -> bool:
    """Whether a line opens as a task's cell does: a task's verb in capitals ("Kiểm tra việc
    thực hiện ...": the top line of a centred row under the header, not the header's wrapped
    rest, which goes on in lower case)."""
    return _verb_first(text.split())


def _verb_first(words: Sequence[str]) -> bool:
    """Whether ``words`` open upper-case on a task's verb ("Rà soát", "Tổ chức")."""
    return bool(words) and _first_upper(words[0]) and bool(_VERB_RE.match(_fold(" ".join(words[:2])).lower()))


#: words a centred header's line above its main one holds at most (a tall cell's first lines)
HEADER_ABOVE_WORDS = 8


def _wrapped_header(text: str | None) -> list[str]:
    """The header words of a line next to a header line that may hold the rest of its cells
    (three quarters of them header words, no row number or task opening it), else []."""
    b = _header_line_words(text or "")
    if not b or len(b) > 20 or b[0].isdigit() or sum(map(is_header_word, b)) < 0.75 * len(b) or _opens_task(text):
        return []
    return b


#: header lines the lower cells of a two-level header may take
SUB_HEADER_LINES = 3


def _sub_header(lines: Sequence[str], i: int, roles: list[str]) -> tuple[list[str], int] | None:
    """A two-level header's lower cells on the lines from ``i`` (``(roles, index after them)``),
    or None: the header line read names one cell over the lead and support columns ("Trách
    nhiệm thực hiện", "Phân công thực hiện" -- or none, a label naming no column), and the
    next lines of header words only (perhaps with other cells' wrapped rest: "Thời hạn" /
    "hoàn thành") name the columns under it, lead then support ("Cơ quan chủ" / "trì",
    "Cơ quan phối" / "hợp").  The cell over them is replaced by them, or, where the label
    named no column, they stand before the first column that follows the support column in
    the canonical order."""
    if "support" in roles:
        return None
    found: list[tuple[int, list[str]]] = []  # (line index, its header words)
    j = i
    while j < len(lines) and len(found) < SUB_HEADER_LINES:
        if lines[j].strip():
            words = _header_line_words(lines[j])
            if not words or len(words) > 20 or any(ch.isdigit() for ch in lines[j]) or not all(
                    map(is_header_word, words)):
                break
            found.append((j, words))
        j += 1
    if not found:
        return None
    if "lead" in roles:
        at = roles.index("lead")
        out = roles[:at] + list(TWO_LEVEL_COLUMNS) + roles[at + 1:]
    else:
        later = [m for m, r in enumerate(roles) if CANONICAL_COLUMNS.index(r) > CANONICAL_COLUMNS.index("support")]
        at = later[0] if later else len(roles)
        out = roles[:at] + list(TWO_LEVEL_COLUMNS) + roles[at:]
    if not is_valid_header(out):
        return None
    a = found[0][1]
    for k in range(len(found), 0, -1):
        b = [w for _, words in found[1:k] for w in words]
        # the lower cells, between the wrapped rests of other columns' cells on their lines
        cuts = [_header_cut(a[x:y], b) for x in range(len(a)) for y in range(len(a), x + 1, -1)]
        got = max(([r for r in c[1] if r in TWO_LEVEL_COLUMNS] for c in cuts if c is not None), key=len, default=[])
        if tuple(got) == TWO_LEVEL_COLUMNS:
            return out, found[k - 1][0] + 1
    return None


def _two_level(lines: Sequence[str], i: int, wrapped: list[str]) -> tuple[list[str], int] | None:
    """A two-level header whose top line is line ``i`` (``(roles, index after its lines)``), or
    None.  Its lower cells stand on the next lines, amid other cells' wrapped rest, which the
    header line read with them (``wrapped``) took in part: a lower cell it took as a column
    of its own stands out of its place.  The lower cells are read under the header line read
    with its wrapped rest, and under the line read alone; the reading naming more columns,
    then in the more usual order, wins (alone where they tie: it took none of them)."""
    def rank(roles: list[str], k: int) -> tuple[int, int, int]:
        order = [CANONICAL_COLUMNS.index(r) for r in roles]
        return len(roles), -sum(a > b for m, a in enumerate(order) for b in order[m + 1:]), k

    got = []
    alone = _header(lines[i], None)
    for k, roles in enumerate((wrapped, alone[0] if alone is not None else None), start=1):
        if roles is None:
            continue
        if "support" in roles and "lead" in roles and roles.index("support") != roles.index("lead") + 1:
            roles = [r for r in roles if r != "support"]
        if (sub := _sub_header(lines, i + 1, roles)) is not None:
            got.append((rank(sub[0], k), sub))
    if not got:
        return None
    if "support" in wrapped and "lead" in wrapped and wrapped.index("support") == wrapped.index("lead") + 1:
        got.append((rank(wrapped, 0), (wrapped, i + 1)))  # the wrapped rest held the lower cells already
    return max(got)[1]


def _part_of(roles: Sequence[str], whole: Sequence[str]) -> bool:
    """Whether ``roles`` are some of the columns ``whole`` names, in its order (a repeated
    header whose other cells OCR lost or printed elsewhere)."""
    it = iter(whole)
    return len(roles) < len(whole) and all(r in it for r in roles)


#: header cells a header printed one cell per line may have
VERTICAL_CELLS = 10


def _vertical_header(lines: Sequence[str], i: int) -> tuple[list[str], int] | None:
    """A header printed one cell per line from line ``i`` (English OCR read each header cell
    as a block of its own, blank lines between): (its columns, the index of the line after it),
    or None.  Its lines -- short, of header words only -- read together as one header line
    (:func:`_header`), and the line after them opens a row (a row number and text; without a TT
    column, text and a whole deadline: rows printed line by line, not cell by cell too)."""
    cells: list[str] = []
    blocks: list[list[str]] = []  # the cells as blocks: runs of lines between blank lines
    j = end = i
    while j < len(lines) and len(cells) < 2 * VERTICAL_CELLS:
        text = lines[j].strip()
        if text and len(blocks) == VERTICAL_CELLS and not lines[j - 1].strip():
            break
        if text:
            words = _header_line_words(text)
            if not words or len(words) > 6 or any(ch.isdigit() for ch in text) or not all(map(is_header_word, words)):
                break
            cells.append(text)
            if blocks and j and lines[j - 1].strip():
                blocks[-1].append(text)
            else:
                blocks.append([text])
            end = j + 1
        j += 1
    if len(cells) < 3:
        return None
    # a cell wrapped in its block ("Sản phẩm đầu" / "ra"), blank lines between the blocks
    roles = _cell_roles([" ".join(b) for b in blocks]) if 3 <= len(blocks) < len(cells) else None
    roles = roles or _cell_roles(cells)
    if roles is None:
        return None
    if roles[0] == "row_no":
        return roles, end  # rows open at their numbers: rows printed cell by cell open none
    after = next((t for t in lines[end:] if t.strip()), "")
    words, _ = line_tokens(after)
    return (roles, end) if _opens_unnumbered(words, roles) else None


def _cell_roles(cells: list[str]) -> list[str] | None:
    """The columns of header cells printed one per line, or None: each cell named by the header
    vocabulary, else completed by a line of header words printed after the cells (its wrapped
    rest: "Cơ quan, đơn vị thực" ... "hiện"), else named by an anchor word or as agents
    (:func:`_cell_role`); three or more columns in a valid order."""
    roles: list[str | None] = [header_cell_column(c) for c in cells]
    used: set[int] = set()
    for k in range(len(cells)):
        if roles[k] is None and k not in used:
            for m in range(k + 1, len(cells)):
                if roles[m] is None and m not in used and (got := header_cell_column(f"{cells[k]} {cells[m]}")):
                    roles[k] = got
                    used.add(m)
                    break
    out: list[str] = []
    for k, cell in enumerate(cells):
        if k in used:
            continue
        role = roles[k] or _cell_role(_header_line_words(cell), tuple(out))[0]
        if role is None or role in out:
            return None
        out.append(role)
    return out if len(out) >= 3 and is_valid_header(out) else None


def _header_cut(a: list[str], b: list[str], above: bool = False) -> tuple[float, list[str], bool] | None:
    """The best cut of header words ``a`` (and, in order, the wrapped line's ``b``; ``above``:
    the line above's, each cell's words from it before its words of ``a``) into cells that each
    name a column: ``(score, roles, b used)``, or None."""
    n, m = len(a), len(b)
    # best[i][j]: (score, roles) covering a[:i] and b[:j]
    best: list[list[tuple | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = (0.0, ())
    for i in range(n):
        for j in range(m + 1):
            cur = best[i][j]
            if cur is None:
                continue
            if j < m:  # a garbled word of the second line belongs to no cell
                _better(best, i, j + 1, (cur[0] - 0.3, cur[1]))
            if not is_header_word(a[i]):  # nor one of the first ("phó" repaired from "ph6i")
                _better(best, i + 1, j, (cur[0] - 0.5, cur[1]))
            for i2 in range(i + 1, min(n, i + 7) + 1):
                for j2 in range(j, min(m, j + 4) + 1):
                    role, score = _cell_role(b[j:j2] + a[i:i2] if above else a[i:i2] + b[j:j2], cur[1])
                    if role is None and above and j2 > j:
                        # a tall cell's top over its garbled rest ("Thời gian hoàn" / "hadh")
                        kept = [w for w in a[i:i2] if is_header_word(w)]
                        if len(kept) < i2 - i:
                            role, score = _cell_role(b[j:j2] + kept, cur[1])
                            score -= 0.3 * (i2 - i - len(kept))
                    if _misplaced_agent(a[i:i2], role):
                        score -= 0.3
                    if score == AGENT_SCORE and i and a[i - 1] in _AGENT_WORDS:
                        score -= 2 * AGENT_SCORE  # a run of agent words cut in two ("Cơ quan" | "đơn vị")
                    if role is not None:
                        _better(best, i2, j2, (cur[0] + score, cur[1] + (role,)))
    got = [(best[n][j], j) for j in range(m + 1) if best[n][j] is not None]
    if not got:
        return None
    # of equal cuts, the one taking more of the line under the header: its wrapped rest names
    # no column more ("Thời hạn" / "hoàn thành") but is no row's line either
    top, j = max(got, key=lambda t: (t[0][0], 0 if above else t[1]))
    return top[0], list(top[1]), j > 0


def _header_line_words(text: str) -> list[str]:
    """The folded words of a header line, words OCR glued together parted ("donvichu")."""
    out: list[str] = []
    for w in header_words(text):
        if w != ",":
            out.extend(_unglued(w) if not is_header_word(w) else (w,))
    return out


#: digits English-model OCR prints for letters inside a word ("ph6i" for "phối", "c0ng")
_DIGIT_LETTERS = str.maketrans("604", "ooa")
#: header words by length (the near words of a piece are looked up among those one longer,
#: as long and one shorter)
_VOCAB_BY_LEN = {n: tuple(sorted(w for w in HEADER_VOCAB if len(w) == n)) for n in {len(w) for w in HEADER_VOCAB}}


def _header_piece(piece: str) -> str | None:
    """The header word a piece of a glued word is: itself, or -- pieces of 4+ letters -- the
    one header word of 4+ letters one letter off ("phodi" for "phoi")."""
    if piece in HEADER_VOCAB:
        return piece
    if len(piece) < 4:
        return None
    near = _near_vocab(piece, 4)
    return near[0] if len(near) == 1 else None


def _near_vocab(word: str, shortest: int) -> tuple[str, ...]:
    """The header words of ``shortest`` or more letters one letter off ``word`` (but itself)."""
    return tuple(v for n in (len(word) - 1, len(word), len(word) + 1) if n >= shortest
                 for v in _VOCAB_BY_LEN.get(n, ()) if v != word and _one_edit(word, v))


@lru_cache(maxsize=4096)
def _unglued(word: str) -> tuple[str, ...]:
    """``word`` cut into header words (two to four; a piece may be one letter off, digits OCR
    put for letters read as those letters: "donviph6dihop" -> don vi phoi hop), or itself."""
    if len(word) < 5:
        return (word,)
    for text, fuzzy in ((word, False), (word.translate(_DIGIT_LETTERS), True)):
        best: list[tuple[int, tuple[str, ...]] | None] = [None] * (len(text) + 1)
        best[0] = (0, ())
        for i in range(len(text)):
            if best[i] is None:
                continue
            for j in range(i + 1, min(len(text), i + 7) + 1):
                piece = text[i:j] if not fuzzy else _header_piece(text[i:j])
                if piece is None or piece not in HEADER_VOCAB:
                    continue
                cand = (best[i][0] + 1 + (piece != text[i:j]), best[i][1] + (piece,))
                if best[j] is None or cand[0] < best[j][0]:
                    best[j] = cand
        got = best[len(text)]
        if got is not None and 2 <= len(got[1]) <= 4 and got[0] - len(got[1]) <= 1:
            return got[1]
    return (word,)


#: words that name one column in whatever header cell they stand (a cell cut short by a wrap)
_ANCHORS = {"tt": "row_no", "stt": "row_no", "tri": "lead", "phoi": "support", "thoi": "deadline", "han": "deadline",
            "ghi": "note", "pham": "product", "kinh": "budget", "tieu": "objective", "hoat": "activity",
            "tien": "deadline"}
_AGENT_WORDS = frozenset(("co", "quan", "don", "vi", "bo", "phan"))
#: how surely a header cell of agent words only ("Cơ quan, đơn") names the lead (support) column
AGENT_SCORE = 0.3


def _cell_role(words: list[str], taken: tuple[str, ...]) -> tuple[str | None, float]:
    """(role, how surely) of header words cut as one cell: named by the header vocabulary
    (1.0); else by one anchor word (0.45); else, a cell of agent words only ("Cơ quan, đơn"),
    the lead column, or the support column after it (0.3)."""
    if not words or len(words) > 9:
        return None, 0.0
    role = header_cell_column(" ".join(words))
    score = 1.0
    for k in range(len(words)) if role is None else ():
        # one word one letter off, as OCR or the repair bent it ("ngoi dung" for "noi dung")
        role = next((got for near in _near_header_words(words[k])
                     if (got := header_cell_column(" ".join(words[:k] + [near] + words[k + 1:])))), None)
        if role is not None:
            score = NEAR_SCORE
            break
    if role is None and all(is_header_word(w) for w in words):
        anchors = {_ANCHORS[w] for w in words if w in _ANCHORS}
        if len(anchors) == 1:
            role, score = anchors.pop(), 0.45
        elif not anchors and all(w in _AGENT_WORDS for w in words):
            role, score = ("support" if "lead" in taken else "lead"), AGENT_SCORE
    if role is None or role in taken:
        return None, 0.0
    return role, score


#: how surely a header cell is named with one of its words one letter off
NEAR_SCORE = 0.8


@lru_cache(maxsize=4096)
def _near_header_words(word: str) -> tuple[str, ...]:
    """Header words of three or more letters one letter off ``word`` (folded), when it is none
    itself and has four or more letters (a shorter word one letter off is as often another
    word: "phó" / "phí")."""
    if len(word) < 4 or is_header_word(word):
        return ()
    return _near_vocab(word, 3)


def _misplaced_agent(words: Sequence[str], role: str | None) -> bool:
    """Whether an agent noun ("cơ quan", "đơn vị") stands where no header cell has it: after the
    cell's other words ("chủ trì Cơ quan"), or in a column of no body ("Cơ quan Thời gian")."""
    agents = [w in _AGENT_WORDS for w in words]
    if not any(agents):
        return False
    head = agents.index(False) if False in agents else len(agents)
    return any(agents[head:]) or role not in ("lead", "support", "monitor")


def _better(best, i: int, j: int, cand: tuple) -> None:
    old = best[i][j]
    if old is None or cand[0] > old[0]:
        best[i][j] = cand


# --- rows -----------------------------------------------------------------------------------


def _row_number(word: str, expected: int | None) -> str | None:
    """The row number a line's first word prints: a number, or one OCR bent ("l" for 1,
    :func:`extractors.appendix.grid._row_number`) that is the next of the sequence
    (``expected``; None: a table found on a later page, any)."""
    m = _ROW_NO_RE.match(word)
    if expected is None:
        return m.group(1) if m is not None else None
    if m is None:
        bent = _bent_row_number(word)
        return bent if bent is not None and int(bent) == expected else None
    n = int(m.group(1))
    return m.group(1) if expected - 1 <= n <= expected + 2 or (n == 1 and expected > 3) else None


def _group(words: list[str], previous: str | None) -> str | None:
    """The numeral of a group row -- a roman numeral, or one OCR bent ("Ill") that is the next
    after group ``previous`` (:func:`extractors.appendix.grid._roman`), then its title opening
    upper-case -- or None."""
    if len(words) < 2 or not _first_upper(words[1]):
        return None
    got = _roman(words[0], previous)
    speck = words[0].strip("._|[]()'‘’")
    if got is None and 0 < len(speck) <= 3 and not speck.isdigit() and heading_area(" ".join(words[1:])):
        return _next_roman(previous)  # a numeral OCR bent past recognition ("Từ_|") before an area's title
    return got


# --- the cut of one line ----------------------------------------------------------------------


@dataclass(slots=True)
class _Prev:
    """A column's fragment on the line above, in the same row."""

    width: float
    closed: bool  # ends a sentence
    last: str  # its last word
    open: float  # how strongly its end says the cell goes on (0: not at all)
    complete: bool  # the cell so far is a whole typed cell: a known body, a deadline
    cell: str  # the cell's text so far
    rest: int | None  # words of a known body's name the cell so far lacks (None: it begins none)

    @property
    def before(self) -> str:
        """The cell's word ahead of its last one ("" if none)."""
        words = self.cell.split()
        return words[-2] if len(words) >= 2 else ""


def _cue(role: str, text: str) -> float:
    """Cost adjustment of a fragment that opens a cell of ``role``: typed phrases of the
    column lower it, a whole typed cell (a known body, a deadline) more."""
    f = _fold(text)
    if role in ("lead", "support", "monitor"):
        return (-OWNER_CUE - WHOLE_BONUS * _complete(text, role)) if _OWNER_RE.match(f) else 0.0
    if role == "deadline":
        words = text.split()
        if len(words) == 1 and _waits_for_date(text):
            return -1.0  # "Tháng" (OCR: "Thang", "Trực") alone: its date wrapped below
        if len(words) >= 2 and not _DATE_RE.match(f):  # its head word as OCR bent it ("Trực 15/12/2025")
            text = " ".join(_date_heads(words[:2]) + words[2:])
            f = _fold(text)
        return (-TYPED_CUE - WHOLE_BONUS * _complete(text, role)) if _DATE_RE.match(f) else UNTYPED_COST
    if role == "budget":
        return -TYPED_CUE if _BUDGET_RE.match(f) else UNTYPED_COST
    return 0.0


def _fragment_cost(words: Sequence[str], i: int, j: int, col: int, roles: Sequence[str], widths: Sequence[float],
                   prev: Sequence[_Prev | None], first: bool, bars: frozenset[int],
                   below: Sequence[str | None], ends_known: bool, place: int | None = None,
                   prev_known: bool = True) -> tuple[float, float]:
    """(cost, width / column width) of ``words[i:j]`` as the fragment of column ``col``
    (``place``: see :func:`split_line`)."""
    text = " ".join(words[i:j])
    w = _width(text)
    ratio = w / widths[col]
    cost = 0.0
    if ratio > 1.0:
        cost += OVER_COST * (ratio - 1.0)
    cost += BAR_INSIDE_COST * sum(k in bars for k in range(i + 1, j))  # a bar inside: a ruling read through
    head = words[i]
    alpha = next((ch for ch in head if ch.isalnum()), "")
    upper = alpha.isupper() or alpha.isdigit() or head[:1] in "-+•"
    p = prev[col]
    item = head[:1] in _ITEM_MARKS  # a list item: its line is begun by intent, not by a wrap
    if p is not None:
        # The cell continues from the line above: its first word did not fit there.
        if p.width + 0.6 + _width(head) < WRAP_ROOM * widths[col] and not (item and p.closed):
            cost += WRAP_COST
        if p.rest is not None and extends_name(p.cell, text):
            cost += _join_cost(p.last, head, p.before) - WHOLE_BONUS  # "Chủ tịch" + "UBND xã": a known name goes on
        else:
            cost += _join_cost(p.last, head, p.before) + (COMPLETE_COST if p.complete else 0.0)
            if p.rest and p.open >= CUT_NAME_OPEN:
                cost += CUT_NAME_OPEN  # "Công chức Địa" + "— Xây dựng": its "chính" went elsewhere
        if upper and p.closed:
            cost -= CLOSED_UPPER_BONUS
        elif upper and not alpha.isdigit():
            cost += UPPER_GOES_ON_COST
    elif first if place is None else place <= 0:  # a cell opens here
        if upper:
            cost += _cue(roles[col], text)
        elif first or place or prev_known:  # (a centred row's middle line cut before the lines
            cost += LOWER_START_COST         # above it: a lower-case fragment may go on from there)
    else:
        cost += APPEAR_COST  # a column with no text on the line above: cells are top-aligned (centred:
        # a cell opens at its row's middle line or above)
    nxt = below[col]
    if nxt is None and ends_known:  # the cell ends here: not on a preposition or half a name
        cost += END_COST * max(0.0, -_open_end(text, roles[col] not in _FREE_TEXT))
    if nxt is not None:  # the cell goes on below: the word there did not fit here
        if w + 0.6 + _width(nxt) < WRAP_ROOM * widths[col] and not (
                nxt[:1] in _ITEM_MARKS and _CLOSED_RE.search(words[j - 1])):
            cost += WRAP_COST
        cost += _join_cost(words[j - 1], nxt, words[j - 2] if j - 2 >= i else "")
    return cost, ratio


#: cost of a cut, without a bar, between the words of one known body's name
NAME_CUT_COST = 1.5


@lru_cache(maxsize=65536)
def _cuts_name(fragment: str, word: str) -> bool:
    """Whether a body column's fragment ends inside a known body's name ("Công chức", "Công chức
    Địa") that the next word goes on ("Địa", "chính")."""
    return bool(name_rest(fragment)) and extends_name(fragment, word)


def split_line(words: Sequence[str], roles: Sequence[str], widths: Sequence[float],
               prev: Sequence[_Prev | None] | None = None, first: bool = True,
               bars: frozenset[int] = frozenset(), merged: frozenset[int] = frozenset(),
               below: Sequence[str | None] | None = None, place: int | None = None
               ) -> tuple[list[list[str]], float, float]:
    """The best cut of one printed line of a row into column fragments.

    ``roles`` / ``widths``: the body columns (no TT) and their printed widths; ``prev``: each
    column's fragment on the line above in the same row (None: no text there); ``first``: the
    row's first line; ``bars``: word indices a ``|`` stands before; ``merged``: columns whose
    cells may span rows (no text of their own on a row's first line is no empty cell);
    ``below``: each column's first word on the line below in the same row (None: no text; no
    list: not known yet); ``place``: in a table that centres its cells in their rows, where the
    line stands to its row's middle line (the one holding its number): -1 above, 0 on it, 1
    below -- every cell has a line on the middle one, opens there or above and goes on down to
    it; None: cells are top-aligned.
    Returns (words per column, cost, largest width ratio of a fragment)."""
    n, k = len(words), len(roles)
    if not n:
        return [[] for _ in roles], 0.0, 0.0
    prev_known = prev is not None
    prev = list(prev) if prev is not None else [None] * k
    ends_known = below is not None
    below = list(below) if below is not None else [None] * k
    # An empty cell on the row's first line costs: most rows fill most columns; so does a cell
    # ending below a full line that closes no sentence (its text would go on).
    if place is None:
        skip = [(EMPTY_COST if c not in merged else 0.0) if first else
                END_COST * prev[c].open if prev[c] is not None else 0.0 for c in range(k)]
        skip = [x + (APPEAR_COST if below[c] is not None else 0.0) for c, x in enumerate(skip)]  # text below, none here
    elif place < 0:  # above the middle line: a cell with text above goes on down
        skip = [APPEAR_COST if prev[c] is not None else 0.0 for c in range(k)]
    elif place == 0:  # the middle line: every cell has text on it
        skip = [APPEAR_COST if prev[c] is not None else EMPTY_COST if c not in merged else 0.0 for c in range(k)]
    else:
        skip = [END_COST * prev[c].open if prev[c] is not None else 0.0 for c in range(k)]
    inf = float("inf")
    # best[j][c]: cheapest cut of words[:j] whose last fragment is column c; back: (i, column before, ratio)
    best = [[inf] * k for _ in range(n + 1)]
    back: list[list[tuple[int, int, float] | None]] = [[None] * k for _ in range(n + 1)]
    for i in range(n):
        # enter[c]: cheapest way to have covered words[:i] with columns before c, the columns
        # between skipped, and to cut there: a cut without a bar costs, more between words that
        # go together (judged with the word before them in their fragment)
        enter, source = [inf] * k, [-1] * k
        run, run_src = (0.0, -1) if i == 0 else (inf, -1)
        for c in range(k):
            enter[c], source[c] = run, run_src
            here = inf
            if i > 0 and best[i][c] < inf:
                here = best[i][c]
                if i not in bars:
                    start = back[i][c][0]
                    here += CUT_COST - _join_cost(words[i - 1], words[i], words[i - 2] if start <= i - 2 else "")
                    if roles[c] in _BODY_ROLES and _cuts_name(" ".join(words[start:i]), words[i]):
                        here += NAME_CUT_COST  # "Công chức" | "Địa chính –": a body's name parted
            run += skip[c]
            if here < run:
                run, run_src = here, c
        for c in range(k):
            if enter[c] == inf:
                continue
            for j in range(i + 1, n + 1):
                cost, ratio = _fragment_cost(words, i, j, c, roles, widths, prev, first, bars, below, ends_known,
                                             place, prev_known)
                if ratio > 1.5 and j > i + 1:
                    break
                total = enter[c] + cost
                if total < best[j][c]:
                    best[j][c] = total
                    back[j][c] = (i, source[c], ratio)
    end = [best[n][c] + sum(skip[c + 1:]) for c in range(k)]
    c = min(range(k), key=lambda c: end[c])
    total = end[c]
    if total == inf:  # wider than the table: no cut
        return [list(words)] + [[] for _ in roles[1:]], inf, inf
    out: list[list[str]] = [[] for _ in roles]
    worst = 0.0
    j = n
    while j > 0:
        i, c_prev, ratio = back[j][c]
        out[c] = list(words[i:j])
        worst = max(worst, ratio)
        j, c = i, c_prev
    return out, total, worst


# --- the table ------------------------------------------------------------------------------

#: header words given to the table builder, one per role (the printed header is often garbled)
_LABEL = {"row_no": "TT", "objective": "Mục tiêu", "task": "Nhiệm vụ", "activity": "Hoạt động",
          "product": "Sản phẩm", "lead": "Cơ quan chủ trì", "support": "Cơ quan phối hợp",
          "monitor": "Theo dõi, kiểm tra, đôn đốc", "deadline": "Thời gian hoàn thành", "budget": "Kinh phí",
          "note": "Ghi chú"}
_OUTLINE = ("objective", "task", "activity")
_PAGE_NO_RE = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$")


@dataclass(slots=True)
class _Row:
    no: str | None  # printed row number; None for a group row
    lines: list[_Line]
    stack: list[int] | None = None  # printed cell by cell (:func:`_stacked`): each line's column
    unplaced: bool = False  # printed cell by cell, its cells not placed: counted, never read
    middle: int = 0  # a centred row's line holding its number (:func:`_centred`)


@dataclass(slots=True)
class _Block:
    """The rows of one table (one header and the pages that continue it)."""

    roles: list[str]
    header_line: int
    headed_pages: set  # pages that print the header
    rows: list[_Row]
    lead_in: list[_Line] = field(default_factory=list)  # lines under the header before the first row
    centred: bool = False  # rows read as centred in their lines (:func:`_centred`: _Row.middle)

    @property
    def numbered(self) -> bool:
        return self.roles[0] == "row_no"

    @property
    def body(self) -> list[str]:
        """The columns a row's lines are cut into (all but TT)."""
        return self.roles[1:] if self.numbered else self.roles


def _blocks(lines: Sequence[str], pages: Sequence[int | None]) -> list[_Block]:
    """Tables with a TT column: header, then rows opened by row numbers and group rows."""
    blocks: list[_Block] = []
    cur: _Block | None = None
    expected: int | None = None  # the next row number (None: the first one read sets it)
    group: str | None = None  # the last group numeral
    n = len(lines)
    i = 0
    header_end = 0  # the index after the last header read
    while i < n:
        text = lines[i]
        page = pages[i] if i < len(pages) else None
        if not text.strip():
            i += 1
            continue
        nxt = next((lines[j] for j in range(i + 1, min(n, i + 3)) if lines[j].strip()), None)
        before = next((j for j in range(i - 1, max(-1, i - 3), -1) if lines[j].strip()), None)
        if before is not None and ((pages[before] if before < len(pages) else None) != page or before < header_end):
            # a header's top line stands on its page, and is no line of the header read above it
            # (its wrapped rest, "hoàn thành đầu ra", over a row's rest the page break cut off)
            before = None
        head = _header(text, nxt, lines[before] if before is not None else None)
        vertical = _vertical_header(lines, i) if head is None else None
        if head is not None or vertical is not None:
            if vertical is not None:
                roles, skip = vertical[0], vertical[1] - i
            else:
                roles, used = head
                skip = 1
                if used == "above" and cur is not None and cur.rows and cur.rows[-1].lines[-1].number == before + 1:
                    cur.rows[-1].lines.pop()  # the header's top line, taken for the row above's rest
                    if not cur.rows[-1].lines:
                        cur.rows.pop()
                elif used:
                    skip = next(j for j in range(i + 1, n) if lines[j].strip()) - i + 1
                if (two := _two_level(lines, i, roles)) is not None:
                    roles, skip = two[0], max(skip, two[1] - i)
            if cur is not None and (roles == cur.roles or _part_of(roles, cur.roles)):
                # the header repeated on a later page, whole or with cells OCR lost
                cur.headed_pages.add(page)
            else:
                cur = _Block(roles, i + 1, {page}, [])
                blocks.append(cur)
                expected, group = None, None
            i += skip
            header_end = i
            continue
        if cur is None:
            i += 1
            continue
        if _END_RE.match(text):
            cur = None
            i += 1
            continue
        words, bars = line_tokens(text)
        edge = [j for j in range(max(0, i - 3), min(n, i + 4)) if (pages[j] if j < len(pages) else None) == page
                and lines[j].strip()]
        if _PAGE_NO_RE.match(text) and (edge[0] == i or edge[-1] == i):
            i += 1  # a page number
            continue
        no = _row_number(words[0], expected) if words and cur.numbered else None
        if no is None and cur.numbered and expected is not None and len(words) > 2 and not _group(words, group):
            no = _misread_number(words, expected, cur.roles)
            if no is None and _lost_row(words, cur.roles, cur.rows, line_tokens(lines[i + 1])[0] if i + 1 < n else ()):
                # the number OCR dropped whole (a lone digit in its cell): left to the sequence
                cur.rows.append(_Row("", [_Line(i + 1, words, bars, page)]))
                expected += 1
                i += 1
                continue
        if no is not None and len(words) > 1:
            cur.rows.append(_Row(no, [_Line(i + 1, words[1:], frozenset(b - 1 for b in bars if b > 1), page)]))
            expected = int(no) + 1 if no else expected + 1
        elif words and not cur.numbered and _opens_unnumbered(words, cur.roles):
            cur.rows.append(_Row("", [_Line(i + 1, words, bars, page)]))
        elif (words and i and not lines[i - 1].strip()
              and (stacked := _stacked(lines, pages, i, cur.body, group)) is not None):
            rows_lines, stack = stacked
            cur.rows.append(_Row("", [_Line(j + 1, line_tokens(lines[j])[0], frozenset(), page) for j in rows_lines],
                                 stack))
            i = rows_lines[-1] + 1
            continue
        elif (words and cur.rows and cur.rows[-1].stack and i and not lines[i - 1].strip()
              and _first_upper(words[0]) and words[0][:1] not in _ITEM_MARKS and not _group(words, group)):
            # a row printed cell by cell after one such, its cells not placed: a row of its own,
            # left out and counted (its lines on the row above would leave that one out too)
            cur.rows.append(_Row("", [_Line(i + 1, words, bars, page)], unplaced=True))
            if cur.numbered and expected is not None:
                expected += 1
        elif _group(words, group):
            group = _group(words, group)
            cur.rows.append(_Row(None, [_Line(i + 1, [group] + words[1:], frozenset(), page)]))
        elif cur.rows and words:
            cur.rows[-1].lines.append(_Line(i + 1, words, bars, page))
            cur.rows[-1].stack = None  # a row printed cell by cell with a line no cell took: cut as printed
        elif words:
            cur.lead_in.append(_Line(i + 1, words, bars, page))
        i += 1
    return [b for b in blocks if b.rows]


#: cost of a centred row whose lines above its number line outnumber those below it by more than
#: one, or the reverse, per line more; one more costs CENTRE_ODD (a row of an even number of lines)
CENTRE_COST = 2.0
CENTRE_ODD = 0.3
#: cost of a centred row's top line that opens no cell (lower case, a list item), and of a line
#: below its number line that opens one
TOP_OPEN_COST = 1.5
#: a block is read as centred too when its reading as printed reads less than this share of its
#: lines, and its lines fit centred better by this much (the costs of :func:`_centre_parts`)
CENTRE_TRY = 0.9
CENTRE_GAIN = 1.0


def _centred(block: _Block) -> _Block | None:
    """The block's rows as a table that centres its cells in their rows prints them: a row's
    number and its short cells on its middle line, the lines of its taller cells above and
    below it, so that the lines between two rows' number lines are the lower half of the one
    and the upper half of the next::

        Tuyên truyền, phổ biến các văn bản pháp luật mới ban hành theo quy định tại Nghị
        11 định số 61/2018/NĐ-CP của Chính phủ              Ban Chỉ huy Quân sự xã   Năm 2025
        Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính
        12 theo quy định tại Nghị định số 61/2018/NĐ-CP     Văn phòng HĐND-UBND xã   Quý I/2025
        năm 2025

    Each run of rows opened at their numbers (or at a line holding their deadline) is parted
    so by a dynamic programme over the number of lines above each row's number line: as many
    as below it, or one more or less (:data:`CENTRE_COST`), and every row's top line opening a
    cell (upper case, no list item: :data:`TOP_OPEN_COST`); a row keeps its lines on its
    number's page, the lines under the header before the first row and those after a group row
    go to the row below them.  None when no row changes."""
    rows, lead_in = _found_numbers(block, [replace(r, lines=list(r.lines)) for r in block.rows])
    changed = False
    gain = 0.0  # how much better the rows' lines fit centred than as printed
    j = 0
    while j < len(rows):
        if not _anchored(rows[j]):
            j += 1
            continue
        run = j
        while j < len(rows) and _anchored(rows[j]):
            j += 1
        page = rows[run].lines[0].page
        if run == 0:
            above = [ln for ln in lead_in if ln.page == page]
            lead_in = [ln for ln in lead_in if ln.page != page]
        elif rows[run - 1].no is None:  # a group row: the lines after its title
            group = rows[run - 1]
            above = [ln for ln in group.lines[1:] if ln.page == page]
            group.lines = group.lines[:1] + [ln for ln in group.lines[1:] if ln.page != page]
        else:
            above = []
        tails = [r.lines[1:] for r in rows[run:j]]
        parts, cost, printed = _centre_parts(len(above), tails, [r.lines[0] for r in rows[run:j]])
        gain += printed - cost
        for row, tail, s in zip(rows[run:j], tails, parts):
            row.lines = above + row.lines[:1] + tail[:s]
            row.middle = len(above)
            changed |= bool(above) or s < len(tail)
            above = tail[s:]
    if not changed or gain < CENTRE_GAIN:
        return None
    return replace(block, rows=rows, lead_in=lead_in, centred=True)


def _found_numbers(block: _Block, rows: list[_Row]) -> tuple[list[_Row], list[_Line]]:
    """``rows`` without the rows taken for ones whose number OCR lost (:func:`_lost_row`) where
    the numbers around them follow on without a gap: in a centred table such a line (a task's
    first line, a deadline's head word at its end) is the top of the next row, not a row; their
    lines go on the row above, or under the header before the first row (returned)."""
    lead_in = list(block.lead_in)
    if not block.numbered:
        return rows, lead_in
    out: list[_Row] = []
    for k, row in enumerate(rows):
        nxt = rows[k + 1].no if k + 1 < len(rows) else None
        before = next((r.no for r in reversed(out) if r.no), None)
        if row.no == "" and not row.stack and nxt and nxt.isdigit() and (
                before.isdigit() and int(nxt) == int(before) + 1 if before else nxt == "1"):
            (out[-1].lines if out else lead_in).extend(row.lines)
            continue
        out.append(row)
    return out, lead_in


def _anchored(row: _Row) -> bool:
    """Whether a row opened at a line of its own reading (its number, its deadline), not a
    group row or one printed cell by cell."""
    return row.no is not None and not row.stack and not row.unplaced


def _may_open(words: Sequence[str]) -> bool:
    """Whether a line may open a cell: upper case, no list item, no body's short name in
    capitals ("UBND huyện" is a sentence's end)."""
    return bool(words) and _first_upper(words[0]) and words[0][:1] not in _ITEM_MARKS and not (
        len(words[0]) > 1 and words[0].isupper())


def _opens_cell(above: Sequence[str], words: Sequence[str]) -> bool:
    """Whether a line, under a line of its row, opens a cell (:func:`_may_open`): after a line
    that closes a sentence or a list item, or with a task's verb ("Rà soát", "Tổ chức")."""
    if not _may_open(words):
        return False
    return _verb_first(words) or bool(above) and bool(_CLOSED_RE.search(above[-1]))


def _centre_parts(above: int, tails: list[list[_Line]], anchors: list[_Line]) -> tuple[list[int], float, float]:
    """For each row of a run, how many of the lines after its number line it keeps (the rest
    open the next row), given ``above`` lines over the first row's number line
    (:func:`_centred`; ``anchors``: the rows' number lines); the cost of that parting, and the
    cost of the lines as printed (every row keeping its lines: a line below a number line
    opening a cell costs, and so do lines above the first one).  Rows are not parted after a
    line ending on a deadline's head word in capitals ("Trước" / "30/6/2025")."""
    def balance(a: int, b: int) -> float:
        d = abs(a - b)
        return 0.0 if d == 0 else CENTRE_ODD + CENTRE_COST * (d - 1)

    best: dict[int, tuple[float, list[int]]] = {above: (0.0, [])}
    printed = TOP_OPEN_COST * bool(above)
    for k, (tail, anchor) in enumerate(zip(tails, anchors)):
        t = len(tail)
        limit = next((m for m, ln in enumerate(tail) if ln.page != anchor.page), t)  # lines on a later page
        # parting after the s-th line from the number line: not after a date's head word
        waits = [TOP_OPEN_COST * (bool(ln.words) and _first_upper(ln.words[-1]) and _waits_for_date(ln.words[-1]))
                 for ln in [anchor, *tail]]
        # a line below the number line opening a cell: a cell opens at or above its row's middle
        opens = [TOP_OPEN_COST * _opens_cell(tail[m - 1].words if m else [], ln.words) for m, ln in enumerate(tail)]
        printed += sum(opens)
        step: dict[int, tuple[float, list[int]]] = {}
        for a, (cost, path) in best.items():
            # the run's last row keeps its lines; the others none on a later page
            for s in range(min(t, limit) + 1) if k + 1 < len(tails) else (t,):
                c = cost + balance(a, s) + sum(opens[:s]) + waits[s]
                if s < t:
                    c += 0.0 if _may_open(tail[s].words) else TOP_OPEN_COST
                if t - s not in step or c < step[t - s][0]:
                    step[t - s] = (c, path + [s])
        best = step
    cost, parts = min(best.values(), key=lambda v: v[0])
    return parts, cost, printed


def _misread_number(words: Sequence[str], expected: int, roles: Sequence[str]) -> str | None:
    """The row number a line reading as a row's first (:func:`_opens_unnumbered` on the words
    after it) opens with where OCR misread it: one further on in the sequence, as printed (the
    rows between lost, their numbers misread); "" for one read past recognition
    (:func:`_lost_number`: its number left to the sequence); None for no such line."""
    if not (_ahead(words[0], expected) or _lost_number(words[0], expected)) or not _opens_unnumbered(words[1:], roles):
        return None
    return words[0].strip(".)|_") if _ahead(words[0], expected) else ""


def _lost_row(words: Sequence[str], roles: Sequence[str], rows: list[_Row], after: Sequence[str] = ()) -> bool:
    """Whether a line of a table with TT column opens a row whose number OCR dropped whole: no
    list item, it reads as a row's first line (:func:`_opens_unnumbered`: upper-case, a whole
    deadline opening upper-case further on; or a deadline's head word at its end whose date
    ends the line ``after``), and the row above, a numbered one, has a line of its own after
    its first (a row's first line holds its deadline: the lines below it are its cells' rest)."""
    if not rows or rows[-1].no is None or len(rows[-1].lines) < 2 or words[0][:1] in _ITEM_MARKS:
        return False
    if _opens_unnumbered(words, roles[1:]):
        return True
    # a deadline wrapped before its date: its head word upper-case among this line's last three
    # words, a whole date among the next line's last four ("... Trước Ngân" / "... 15/12/2025
    # sách xã")
    return bool(after) and _first_upper(words[0]) and "deadline" in roles and any(
        _date_head(w) in ("Trước", "Tháng") and _first_upper(w) for w in words[-3:]) and any(
        _FULL_DATE_RE.fullmatch(w.strip(".,;")) for w in after[-4:])


def _lost_number(word: str, expected: int) -> bool:
    """Whether a line's first word is row number ``expected`` that OCR read past recognition:
    its leading digits lost ("7" for 17), one of its digits misread ("95" for 25), or a speck
    of one or two characters that is no word ("e", "ee", "©")."""
    w, want = word.strip(".)|_"), str(expected)
    if w.isdigit():
        if len(w) == len(want) > 1:  # one digit misread
            return sum(a != b for a, b in zip(w, want)) == 1
        return len(w) < len(want) and want.endswith(w)
    return 0 < len(word) <= 2 and not _first_upper(word)


#: how far on in the sequence a row number may stand where the rows between were lost
AHEAD = 12


def _ahead(word: str, expected: int) -> bool:
    """Whether a line's first word is a row number further on in the sequence than the next
    one (within :data:`AHEAD`)."""
    w = word.strip(".)|_")
    return w.isdigit() and expected < int(w) <= expected + AHEAD


def _opens_unnumbered(words: Sequence[str], roles: Sequence[str]) -> bool:
    """Whether a line opens a row of a table without TT column: it opens upper-case and holds,
    further on, a whole deadline opening upper-case ("Quý I/2025", "Thường xuyên") -- or, in a
    table without deadline column, a whole name of a known body."""
    if not words or not _first_upper(words[0]):
        return False
    role, sizes = ("deadline", (1, 2, 3)) if "deadline" in roles else ("lead", (2, 3, 4, 5, 6))
    return role in roles and _whole_further_on(words, role, sizes)


def _whole_further_on(words: Sequence[str], role: str, sizes: Sequence[int]) -> bool:
    """Whether ``words``, after the first, hold a whole cell of ``role`` (:func:`_complete`) of
    one of ``sizes`` words, opening upper-case ("... Công an xã Quý I/2025")."""
    return any(_first_upper(words[k]) and _complete(" ".join(words[k:k + m]), role)
               for k in range(1, len(words)) for m in sizes if k + m <= len(words))


def _verb_inside(words: Sequence[str]) -> bool:
    """Whether a task's verb opens in capitals inside ``words``, after a word that closes no
    sentence and is no list item: another cell's opening run in ("... được giao Công khai đầy đủ")."""
    return any(_first_upper(w) and words[k - 1][-1:] not in ".:;!?" and words[k - 1][:1] not in _ITEM_MARKS
               and w[:1] not in _ITEM_MARKS and _VERB_RE.match(_fold(" ".join(words[k:k + 3])))
               for k, w in enumerate(words) if k)


#: paragraphs (runs of lines between blank lines) a row printed cell by cell may have
STACK_PARAGRAPHS = 8
#: lines a paragraph of such a row may have
STACK_LINES = 12


@lru_cache(maxsize=16384)
def _paragraph_kinds(text: str) -> frozenset[str]:
    """What a paragraph of a row printed cell by cell may be: "body" (known bodies, whole),
    "date" (a whole deadline), "budget" (a budget phrase; "Theo quy định" may be a deadline as
    well), "mixed" (text holding a whole deadline or opening on a body's name: cells of several
    columns on one line), else "text"."""
    words = text.split()
    folded = _fold(text)
    if _OWNER_RE.match(folded) and _known(text, "lead"):
        return frozenset({"body"})
    kinds = {"date"} if _complete(text, "deadline") else set()
    if (not kinds and _whole_further_on(words, "deadline", (1, 2, 3))) or _verb_inside(words):
        return frozenset({"mixed"})
    if _BUDGET_RE.match(folded) and len(words) <= BUDGET_WORDS:
        kinds.add("budget")
    if kinds:
        return frozenset(kinds)
    if len(words) >= 2 and name_rest(" ".join(words[:3])) is not None:
        return frozenset({"mixed"})
    return frozenset({"text"})


#: words a budget phrase has at most ("Nguồn ngân sách xã và các nguồn hợp pháp khác")
BUDGET_WORDS = 10
#: the kind of paragraph each column takes in a row printed cell by cell
_STACK_KIND = {"lead": "body", "support": "body", "monitor": "body", "deadline": "date", "budget": "budget"}


def _text_of(lines: Sequence[str], paragraph: list[int]) -> str:
    return " ".join(" ".join(line_tokens(lines[k])[0]) for k in paragraph)


def _stacked(lines: Sequence[str], pages: Sequence[int | None], i: int, roles: Sequence[str],
             group: str | None) -> tuple[list[int], list[int]] | None:
    """A row that OCR printed cell by cell from line ``i`` on (its number, if any, lost): its
    cells one paragraph each, blank lines between ("Kiểm tra việc thực hiện ..." / "Văn phòng
    HĐND-UBND xã" / "Trước 15/12/2025" / "Trong dự toán được giao"), tesseract having read each
    cell as a block of its own.  The paragraphs up to the next row's line go on the columns in
    order, each typed one whole in its typed column (a known body, a deadline, a budget phrase),
    the others in free-text columns, the lead and the deadline filled; read only when exactly one
    such placing exists, the first paragraph a text opening upper-case.  Returns (the row's
    line indices, each one's column) or None."""
    page = pages[i] if i < len(pages) else None
    paragraphs: list[list[int]] = []
    j = i
    while j < len(lines) and len(paragraphs) < STACK_PARAGRAPHS:
        if (pages[j] if j < len(pages) else None) != page:
            break
        if not lines[j].strip():
            j += 1
            continue
        words, _ = line_tokens(lines[j])
        if paragraphs and (_opens_unnumbered(words, roles) or _group(words, group) or _END_RE.match(lines[j])
                           or _PAGE_NO_RE.match(lines[j]) or (words and _ROW_NO_RE.match(words[0].rstrip("|_")))):
            break  # (the next row's line, a numbered one too)
        if paragraphs and not lines[j - 1].strip() and lines[j].lstrip()[:1] not in _ITEM_MARKS and (
                not words or _first_upper(words[0])
                or not _paragraph_kinds(_text_of(lines, paragraphs[-1])) <= {"text", "budget"}):
            # (a list item after a blank line goes on the cell above, and so does a lower-case rest
            # of a text or a budget: "Theo hướng dẫn" / "của cấp trên"; not of a deadline)
            paragraphs.append([j])
        elif paragraphs:
            paragraphs[-1].append(j)
        else:
            paragraphs.append([j])
        if len(paragraphs[-1]) > STACK_LINES:  # too long for a cell of such a row: where it ends
            if len(paragraphs) == 1:
                return None
            break
        j += 1
    texts = [_text_of(lines, p) for p in paragraphs]
    kinds = [_paragraph_kinds(t) for t in texts]
    if len(kinds) < 2 or kinds[0] != {"text"} or not _first_upper(texts[0].split()[0]):
        return None
    if (kinds[1] == {"text"} and len(paragraphs[0]) == 1 and heading_area(texts[0])) or (
            "product" in roles and _PRODUCT_RE.match(_fold(texts[0]))):
        return None  # a group's title above a row, a product: the row's outline cell is not there to open it
    whole = len(kinds) - (len(paragraphs[-1]) > STACK_LINES)  # the paragraphs read whole
    want = [_STACK_KIND.get(r, "text") for r in roles]
    # a text after the typed cells (a product, a note) opens on no task's verb: that is the next row
    verb = [bool(_VERB_RE.match(_fold(t))) for t in texts]
    typed_before = [any(w != "text" for w in want[:c]) for c in range(len(roles))]
    needed = {c for c, r in enumerate(roles) if r in ("lead", "deadline")}
    # placings of the first n paragraphs: paragraph -> column, columns rising
    best: tuple[int, list[list[int]]] | None = None
    for n in range(whole, 1, -1):
        placings: list[list[int]] = []

        def place(k: int, c: int, got: list[int]) -> None:
            if len(placings) > 1:
                return
            if k == n:
                if needed <= set(got):
                    placings.append(list(got))
                return
            for col in range(c, len(roles)):
                if want[col] in kinds[k] and not (want[col] == "text" and typed_before[col] and verb[k]):
                    place(k + 1, col + 1, got + [col])

        place(0, 0, [])
        if placings:
            best = (n, placings) if len(placings) == 1 else None
            break
    if best is None:
        return None
    n, (placing,) = best
    if n < len(texts) and (kinds[n] != {"text"} or not _first_upper(texts[n].split()[0])):
        return None  # a paragraph no column takes that opens no next row
    rows_lines = [k for p in paragraphs[:n] for k in p]
    return rows_lines, [col for p, col in zip(paragraphs[:n], placing) for _ in p]


def _first_upper(word: str) -> bool:
    return next((ch for ch in word if ch.isalnum()), "").isupper()


def _place_rows(block: _Block, widths: list[float]) -> list[tuple[_Row, list, bool]]:
    """Every line of every row cut into column fragments: ``(row, [(words per column, cost,
    worst width ratio)], settled)`` (:func:`split_row`); no lines for a group row."""
    roles = block.body
    merged = frozenset(_merged_columns(roles))
    return [(row, *(_stack_cut(row, len(roles)) if row.stack else
                    _cut_row(row, roles, widths, merged, row.middle if block.centred else None)))
            if row.no is not None else (row, [], True) for row in block.rows]


def _stack_cut(row: _Row, k: int) -> tuple[list, bool]:
    """The cut of a row printed cell by cell: each line whole in its column (no cost, no width)."""
    return [([ln.words if c == col else [] for c in range(k)], 0.0, 0.0) for ln, col in zip(row.lines, row.stack)], True


def _cut_row(row: _Row, roles: Sequence[str], widths: Sequence[float], merged: frozenset[int],
             middle: int | None = None) -> tuple[list, bool]:
    """One numbered row's lines cut into column fragments (:func:`split_row`), deadline words
    put back together."""
    cuts, settled = split_row([(ln.words, ln.bars) for ln in row.lines], roles, widths, merged, middle)
    for c in (c for c, r in enumerate(roles) if r == "deadline"):
        if c:
            for ws, _, _ in cuts:
                _date_head_back(ws[c - 1], ws[c])
        _mend_dates([ws[c] for ws, _, _ in cuts])
    return cuts, settled


def _date_head_back(left: list[str], deadline: list[str]) -> None:
    """A deadline's head word that the cut left at the end of the column before it ("UBND xã
    Trước" | "15/12/2025") moved back to the deadline (both fragments changed in place): the
    deadline fragment opens on a bare date or numeral, and the word before it, capitalised as
    a cell opens, is a date head or one letter off one ("Trực")."""
    if not left or not deadline or not left[-1][:1].isupper():
        return
    head = deadline[0].split("/")[0].rstrip(".,;")
    if not (head[:1].isdigit() or is_roman(head.upper())):
        return
    if _date_heads([left[-1], deadline[0]])[0] in _DATE_HEADS.values():
        deadline.insert(0, left.pop())


def _mend_dates(fragments: list[list[str]]) -> None:
    """A deadline cell's words over its lines (fragments, changed in place) with their date
    words put right (:func:`_date_heads`: "Trực" / "15/12/2025" -> "Trước"), and a recurrence
    given its marks ("Thượng xuyên" -> "Thường xuyên"); specks OCR made of a ruling or a
    stroke at either end, words without a letter or digit ("Tháng 12/2025 ‘", "Thường xuyên
    ="), dropped (not the dash of "2026 - 2030")."""
    for end in (-1, 0):  # the last words, then the first
        held = [f for f in fragments if f]
        while held and not any(ch.isalnum() for ch in held[end][end]):
            held[end].pop(end)
            held = [f for f in held if f]
    words = _date_heads([w for f in fragments for w in f])
    known = _recurrence(_fold(" ".join(words)).lower())
    if known is not None and " ".join(words).lower() not in _RECURRENCE_FORMS:
        words = known.split()  # "Thượng xuyên" -> "Thường xuyên": no other words spell so
    mended = iter(words)
    for f in fragments:
        f[:] = [next(mended) for _ in f]


#: recurrences a deadline cell says in words, by their letters without marks
_RECURRENCE_TEXTS = ("Thường xuyên", "Hàng năm", "Hằng năm", "Hàng quý", "Hằng quý", "Hàng tháng", "Hằng tháng",
                     "Định kỳ")
_RECURRENCE_FORMS = frozenset(t.lower() for t in _RECURRENCE_TEXTS)
#: by their letters without marks; of two spellings ("Hàng năm", "Hằng năm") the first
_RECURRENCES = {_fold(t).lower(): t for t in reversed(_RECURRENCE_TEXTS)}


def _recurrence(folded: str) -> str | None:
    """The recurrence a deadline cell's folded words spell, or are one letter off
    ("hang nem" -> "Hàng năm"), or None."""
    known = _RECURRENCES.get(folded)
    if known is None and len(folded) >= 8:
        near = {t for f, t in _RECURRENCES.items() if _one_edit(folded, f)}
        known = near.pop() if len(near) == 1 else None
    return known


def split_row(lines: Sequence[tuple[Sequence[str], frozenset[int]]], roles: Sequence[str],
              widths: Sequence[float], merged: frozenset[int] = frozenset(), middle: int | None = None
              ) -> tuple[list[tuple[list[list[str]], float, float]], bool]:
    """The lines of one row (``(words, bars)``, :func:`line_tokens`; the row number taken off)
    cut into column fragments (:func:`split_line`): a pass down the row cuts each line given the
    line above as cut now, and :data:`REFINE` more passes given the line below as cut in the
    pass before.  Returns ``(words per column, cost, worst width ratio)`` per line, and whether
    the first pass already cut every line so (a row whose cut the line below changed is less
    sure).  ``middle``: in a table that centres its cells, the row's line holding its number
    (None: cells top-aligned)."""
    n = len(lines)
    if middle is None:
        return _passes(lines, roles, widths, merged, None, range(n))
    # a centred row is cut from its top down and from its middle line, where every cell has
    # text, up, then down: where the two end on different cuts, the cheaper is taken, unsettled
    down = _passes(lines, roles, widths, merged, middle, range(n))
    out = _passes(lines, roles, widths, merged, middle, [middle, *range(middle - 1, -1, -1), *range(middle + 1, n)])
    if [ws for ws, _, _ in down[0]] == [ws for ws, _, _ in out[0]]:
        return down[0], down[1] or out[1]
    cheaper = min((down, out), key=lambda got: sum(cost for _, cost, _ in got[0]))
    return cheaper[0], False


def _passes(lines: Sequence[tuple[Sequence[str], frozenset[int]]], roles: Sequence[str], widths: Sequence[float],
            merged: frozenset[int], middle: int | None, order: Sequence[int]
            ) -> tuple[list[tuple[list[list[str]], float, float]], bool]:
    """:func:`split_row`'s passes, the first cutting the lines in ``order``."""
    cuts: list = [None] * len(lines)
    first: list = []
    n = len(lines)
    for rnd in range(1 + REFINE):
        for k in order if not rnd else range(n):
            words, bars = lines[k]
            prev = [_prev(cuts, k - 1, c, r) for c, r in enumerate(roles)] if k and cuts[k - 1] is not None else None
            below = ([w[0] if w else None for w in cuts[k + 1][0]] if k + 1 < n else [None] * len(roles)
                     ) if rnd or k + 1 == n or cuts[k + 1] is not None else None
            place = None if middle is None else (k > middle) - (k < middle)
            cuts[k] = split_line(words, roles, widths, prev, k == 0, bars, merged, below, place)
        if not rnd:
            first = [ws for ws, _, _ in cuts]
    return cuts, first == [ws for ws, _, _ in cuts]


def _prev(cuts: list, k: int, c: int, role: str) -> _Prev | None:
    """Column ``c``'s fragment on line ``k`` of a row's cuts, with the cell's text so far."""
    words = cuts[k][0][c]
    if not words:
        return None
    text = " ".join(words)
    top = k
    while top > 0 and cuts[top - 1][0][c]:
        top -= 1
    cell = join_cell_text([" ".join(cuts[m][0][c]) for m in range(top, k + 1)])
    open_ = max(0.0, -_open_end(text, role not in _FREE_TEXT))
    rest = name_rest(cell) if role in _BODY_ROLES else None
    if rest and cut_short(cell):
        open_ = max(open_, CUT_NAME_OPEN)  # "Công chức Địa" ends inside a body's name
    elif role == "deadline" and _waits_for_date(text) and not _complete(cell, role):
        open_ = max(open_, CUT_NAME_OPEN)  # "Tháng", "Trước" (OCR: "Trực") wait for their date
    return _Prev(_width(text), bool(_CLOSED_RE.search(words[-1])), words[-1], open_,
                 not open_ and not rest and _whole(cell, role), cell, rest)


def _known(text: str, role: str) -> bool:
    """Whether a typed cell reads as whole: every body it names a known one, a deadline with
    its date or recurrence; other cells (and empty ones) pass."""
    if not text or role not in ("lead", "support", "monitor", "deadline"):
        return True
    if role == "deadline":
        return _complete(text, role)
    parts = split_owners(text)
    # a name whose syllables OCR and the repair parted elsewhere ("Cô ngân xã" for "Công an xã")
    # is read with the registry's (:func:`normalizers.owners.registry_marks`, as the row will be)
    return bool(parts) and all(_complete(p, role) or _complete(registry_marks(p), role) for p in parts)


def _whole(text: str, role: str) -> bool:
    """Whether a typed cell so far is whole: a body cell naming known bodies only, each by its
    whole name ("UBMTTQ và các đoàn thể", :func:`_known`), a deadline with its date; no text
    cell."""
    return _known(text, role) if role in _BODY_ROLES else _complete(text, role)


@lru_cache(maxsize=16384)
def _complete(text: str, role: str) -> bool:
    """Whether ``text`` is a whole cell of a typed column: a known body by its whole name (lead,
    support; a supporting group of bodies the registry lacks too), a deadline with its date or
    recurrence and nothing else, a budget phrase ending as budget phrases end (:data:`_BUDGET_ENDS`)."""
    if role in ("lead", "support", "monitor"):
        # A known body's whole name, not its tail ("Văn hóa – Xã hội" of "Công chức Văn hóa – Xã hội")
        ref = canonical_owner(text)
        have, name = _NAME_WORD_RE.findall(_fold(text)), _NAME_WORD_RE.findall(_fold(ref.name))
        acronym = len(have) == 1 and len(text.strip()) >= 3 and text.strip().isupper() and name_rest(text) == 0
        if not have or not name or not (have[0] == name[0] or len(have) >= len(name) or acronym):
            return False  # ("UBMTTQ" is the registry's short name of "Ủy ban MTTQ Việt Nam xã")
        # Outside the registry, a supporting body the name tells as a group of bodies ("Các
        # thôn", "Các công chức chuyên môn") is a whole name too, when it opens upper-case.
        return is_registered(ref) or (role == "support" and ref.kind == "generic" and text[:1].isupper()
                                      and not _open_end(text))
    if role == "budget":  # a budget phrase as budgets end ("Theo quy định", "Ngân sách nhà nước")
        folded = _fold(text).lower().rstrip(" .;")
        return bool(_BUDGET_RE.match(folded)) and folded.endswith(_BUDGET_ENDS)
    if role == "deadline":
        if not all(w in _DATE_WORDS or any(ch.isdigit() for ch in w) or is_roman(w.upper())
                   for w in _fold(text).replace("/", " ").replace("-", " ").split()):
            return False  # words of no date ("Thường xuyên của Chính phủ")
        folded = _fold(text)
        words = folded.split()
        if any(a in _DATE_UNITS and b in _DATE_UNITS for a, b in zip(words, words[1:])):
            return False  # two units on end ("Tháng Quý 12/2025": another cell's word run in)
        if words[-1].lower() in _DATE_UNITS and not (len(words) > 1 and words[-2].lower() in ("hang", "moi")):
            return False  # a unit waiting for its number ("Quý" / "II/2024"), not "Hằng quý"
        printed = text.split()
        if any(w in _DEADLINE_OPENERS and p[-1:] not in ",;" for p, w in zip(printed, printed[1:])):
            return False  # a deadline's opening word inside, no list ("Trước Theo quý 15/12/2025 đỉnh")
        if len(_YEAR_RE.findall(text)) > 1 and not _RANGE_RE.search(folded):
            return False  # two years, no range or list ("Trước 15/12/2025 năm 2024")
        got = parse_deadline(text)
        return got.recurrence is not None or got.end is not None
    return False


_NAME_WORD_RE = re.compile(r"[a-z0-9]+")
#: the capitalised words a deadline opens with: inside one, another cell's words run in
_DEADLINE_OPENERS = frozenset(("Trước", "Theo", "Thường", "Hàng", "Hằng", "Trong", "Từ", "Sau", "Chậm", "Định"))
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
#: what joins the years of one deadline: a range or a list
_RANGE_RE = re.compile(r"[-–,;]|\b(?:den|tu|va|hoac)\b")
#: the units a deadline's date opens with (folded)
_DATE_UNITS = frozenset(("ngay", "thang", "quy", "nam"))


_DATE_WORDS = frozenset("""truoc sau trong tu den nam quy thang ngay tuan hang thuong xuyen dinh ky theo ke hoach
    tien do giai doan het cuoi dau giua va lien tuc khi co yeu cau nhat cham moi hoan thanh""".split())


#: typed columns at least as wide as the widest of their cells read whole on one line (a known
#: body's longest name is rare among a column's fragments: a percentile falls short of it)
_WHOLE_WIDTH = frozenset({"lead", "support", "monitor", "deadline"})


def _one_whole(text: str, role: str) -> bool:
    """Whether ``text`` is one typed cell read whole: one known body's name, a deadline."""
    if role in _BODY_ROLES and len(split_owners(text)) != 1:
        return False
    return _complete(text, role)


def _widths(block: _Block) -> list[float]:
    """Column widths: the roles' typical proportions of the table's line width, then
    re-estimated from the fragments the lines are cut into (hard EM), never narrower together
    than the table's lines."""
    roles = block.body
    # A row's first line (a centred row's middle one) holds a fragment of nearly every column:
    # the table's width.
    lines = sorted(_width(" ".join(r.lines[r.middle].words)) for r in block.rows if r.no is not None and not r.stack)
    if not lines:
        return [10.0] * len(roles)
    full = lines[math.ceil(0.9 * (len(lines) - 1))]
    shares = [ROLE_WIDTH.get(r, 1.5) for r in roles]
    widths = [full * s / sum(shares) for s in shares]
    for _ in range(ROUNDS):
        seen: list[list[float]] = [[] for _ in roles]
        whole = [0.0] * len(roles)  # the widest typed cell read whole on one line
        for row, cuts, _ in _place_rows(block, widths):
            for ws, _, _ in (() if row.stack else cuts):  # a row printed cell by cell tells no width
                for c, w in enumerate(ws):
                    if w:
                        text = " ".join(w)
                        seen[c].append(_width(text))
                        if roles[c] in _WHOLE_WIDTH and _one_whole(text, roles[c]):
                            whole[c] = max(whole[c], _width(text))
        before = list(widths)
        for c, got in enumerate(seen):
            if len(got) >= 3:
                got.sort()
                widths[c] = max(4.0, got[math.ceil(WIDTH_PERCENTILE * (len(got) - 1))], whole[c])
        # The columns together are as wide as the table's lines.
        if sum(widths) < full:
            widths = [w * full / sum(widths) for w in widths]
        if widths == before:  # settled: another round cuts the lines as this one did
            break
    return widths


def _cells(cuts) -> list[str]:
    """A row's text per column: its fragments on the row's lines joined."""
    return [join_cell_text([" ".join(ws[c]) for ws, _, _ in cuts if ws[c]]) for c in range(len(cuts[0][0]))]


_TYPED = {"lead": _OWNER_RE, "support": _OWNER_RE, "monitor": _OWNER_RE, "deadline": _DATE_RE, "budget": _BUDGET_RE}


def _column_habits(roles: Sequence[str], rows: list[list[str]]) -> tuple[set[int], set[int]]:
    """(columns whose cells open with the column's typed phrase -- owners, deadlines, budgets --
    in nearly every row, columns filled in nearly every row: :data:`TYPED_SHARE`)."""
    typed, filled = set(), set()
    for c, role in enumerate(roles):
        texts = [t for t in (r[c] for r in rows) if t]
        rx = _TYPED.get(role)
        if rx is not None and texts and sum(bool(rx.match(_fold(t))) for t in texts) >= TYPED_SHARE * len(texts):
            typed.add(c)
        if len(texts) >= TYPED_SHARE * len(rows):
            filled.add(c)
    return typed, filled


def _opening(words: Sequence[str]) -> str | None:
    """The first two words of a text cell's fragment opening upper-case (no list item), folded."""
    if not words or not _first_upper(words[0]) or words[0][:1] in _ITEM_MARKS:
        return None
    return _fold(" ".join(words[:2])).lower()


def _openings(placed_rows, roles: Sequence[str]) -> set[str]:
    """How the table's rows open their outline cells (task, objective, activity): the first two
    words of each such cell on a row's first line ("ra soat", "to chuc", "boi duong")."""
    got = set()
    for row, cuts, _ in placed_rows:
        if row.no is not None and cuts:
            got.update(_opening(cuts[0][0][c]) for c, r in enumerate(roles) if r in _OUTLINE)
    got.discard(None)
    return got


def _opens_inside(cuts, roles: Sequence[str], openings: set[str]) -> bool:
    """Whether an outline cell goes on, on a line below its row's first, with words that open
    other rows' cells ("... năm 2025" / "Bồi dưỡng kiến thức ..."): the first line of the next
    row's cell, whose number OCR lost or a table centring its cells printed above it."""
    for (above, _, _), (ws, _, _) in zip(cuts, cuts[1:]):
        for c, role in enumerate(roles):
            opening = _opening(ws[c])
            if role in _OUTLINE and above[c] and opening and (opening in openings or _VERB_RE.match(opening)):
                return True  # ... or with a task's verb, capitalised ("Duy trì áp dụng")
    return False


def _width_bound(row: _Row, cuts, roles: Sequence[str], widths: Sequence[float], merged: frozenset[int],
                 lead: int | None = None) -> bool:
    """Whether a row's cut holds only for the estimated widths: a fragment of the row wider than
    its column's estimate shows the column at least that wide in this row; the row cut again
    with such widths must give the same cells, or the words it moves (a task's wrapped end read
    as the product's: "... Kế hoạch" / "cải cách hành chính" | "năm 2025") stand where either
    column could hold them."""
    local = list(widths)
    for ws, _, _ in cuts:
        for c, w in enumerate(ws):
            if w:
                local[c] = max(local[c], _width(" ".join(w)))
    if local == list(widths):
        return False
    again, _ = _cut_row(row, roles, local, merged)
    _to_lead(again, lead)  # a lone body goes on the lead, as in the cut read
    return [ws for ws, _, _ in again] != [ws for ws, _, _ in cuts]


def _ambiguous(cuts, roles: Sequence[str], widths: Sequence[float]) -> bool:
    """Whether words of a continuation line could as well go on another column: a lone fragment
    as a whole, or the line's last words, on a column without text there whose line above is
    full, open and no whole typed cell, that has room for them, and whose words they go on
    about as well as those they follow now (:data:`AMBIGUOUS_MARGIN`: "Ngân sách nhà" +
    "nước" is no task's "... theo quy định" + "nước")."""
    for k, ((above, _, _), (ws, _, _)) in enumerate(zip(cuts, cuts[1:])):
        held = [c for c, w in enumerate(ws) if w]
        if not held:
            continue
        lone = len(held) == 1 and not _name_goes_on(cuts, k, held[0], roles[held[0]], ws[held[0]])
        # (column, words, the words they follow now)
        moves = [(c, ws[held[0]], above[held[0]]) for c in range(len(ws)) if lone and c != held[0]]
        tail = ws[held[-1]]
        moves += [(c, tail[-m:], tail[:-m]) for c in range(held[-1] + 1, len(ws)) for m in (1, 2) if m < len(tail)]
        for c, words, now in moves:
            if not above[c] or ws[c] or _width(" ".join(words)) > widths[c]:
                continue
            p = _prev(cuts, k, c, roles[c])  # the cell so far, from the row's top
            if p.width >= AMBIGUOUS_FULL * widths[c] and not p.closed and not p.complete and (
                    not now or _assoc(p.last, words[0], p.before) + AMBIGUOUS_MARGIN
                    > _assoc(now[-1], words[0], now[-2] if len(now) > 1 else "")):
                return True
    return False


def _name_goes_on(cuts, k: int, c: int, role: str, words: list[str]) -> bool:
    """Whether ``words``, column ``c``'s lone fragment on line ``k + 1``, go on the body's name
    the cell above begins: its rest ("Công chức Địa chính – Xây" / "dựng"), or the words of a
    longer registered name ("Các cơ quan, đơn vị" / "liên quan")."""
    if role not in _BODY_ROLES:
        return False
    p = _prev(cuts, k, c, role)
    return p is not None and p.rest is not None and extends_name(p.cell, " ".join(words))


#: a row with a cell of at least two garbled words (:func:`_garbled`) making up this share of
#: its words is not read: OCR made noise of a stamp, a ruling or an empty cell's speckle into
#: letters ("ne te" for a budget cell, "Guyon igi Guyer của UNI) a nan 2024" for a task)
GARBLED_SHARE = 0.4
#: a word without marks this rare in the language model as written is garbled ("ne", "te",
#: "he", "ae": the repair found no reading for it; "do", "an", "ra", "xa" are common as written)
RARE_AS_WRITTEN = -9.5


def _garbled(word: str) -> bool:
    """Whether a word of a repaired cell is OCR noise: letters the language model does not know
    ("Guyon", "xtrly", "hién") or knows only as a rarity as written; acronyms in capitals and
    words with digits are not."""
    w = word.strip(_STRIP)
    if not w or not any(ch.isalpha() for ch in w) or any(ch.isdigit() for ch in w):
        return False
    if len(w) >= 2 and w.isupper():  # acronyms, joined ones too ("HĐND-UBND")
        return False
    model, _ = _lm()
    own = model.word_id.get(w.lower())
    return own is None or float(model.unigram[own]) < RARE_AS_WRITTEN


def _row_read(cells: list[str], roles: Sequence[str], typed: set[int], filled: set[int],
              centred: bool = False) -> bool:
    """Whether a row's cells read as a row of the table: its typed cells whole (a known body,
    a deadline: :func:`_known`; no body's name cut short or split over two columns) and opening
    as the table's typed cells do, its lead and deadline
    filled where the table fills them, no deadline in another short column (nor a date there
    beside an empty deadline), no body's name in a text column, no outline cell opening on a
    list item, and no cell mostly noise (:data:`GARBLED_SHARE`).  A row of a table centring its
    cells fills every column the table fills (but merged ones): each cell has a line on the
    row's middle line, and one empty there went into the cell beside it; and its outline cells
    open upper-case (one opening lower-case lost its top line to the row above)."""
    for text in cells:
        words = (text or "").split()
        bad = sum(map(_garbled, words))
        if bad >= 2 and bad >= GARBLED_SHARE * len(words):
            return False
    for c in range(len(roles) - 1):
        if _split_name(cells[c], roles[c], cells[c + 1], roles[c + 1]):
            return False
    if centred and any(role in _OUTLINE and text[:1].islower() for text, role in zip(cells, roles)):
        return False  # a task opening in lower case: its top line went on the row above
    if any(role in _OUTLINE and text[:1] in _ITEM_MARKS for text, role in zip(cells, roles)):
        return False  # a task opening on a list item: the words before its ":" went to the row above
    if any(role in _OUTLINE and _opens_on_name(text) for text, role in zip(cells, roles)):
        return False  # "Ban Chỉ huy Quân qua thực hiện": a body's name the cut took for an activity
    no_deadline = any(not text for text, role in zip(cells, roles) if role == "deadline")
    dated = any(text and _complete(text, "deadline") for text, role in zip(cells, roles) if role == "deadline")
    for c, (text, role) in enumerate(zip(cells, roles)):
        if not text:
            if c in filled and (role in ("lead", "deadline") or centred and c not in _merged_columns(roles)):
                return False
            continue
        if c in typed and not _TYPED[role].match(_fold(text)) and not _known(text, role):
            return False  # ("Các công chức chuyên môn": a group of bodies no typed phrase opens)
        if not _known(text, role) or _cut_name(text, role):
            return False
        if role not in _BODY_ROLES and role != "deadline" and (rest := name_rest(text)) is not None and (
                rest > 0 or role in _OUTLINE or role == "product"):
            return False  # a body's name in a text column ("Ban Chỉ huy Quân" as an activity)
        if role in _SHORT and "deadline" in roles and _DATE_RE.match(_fold(text)) and (
                _complete(text, "deadline") if dated else _dated(text)):
            # "Tháng 12/2025" in the product column (not "Quy chế làm việc"; beside a whole
            # deadline, a note "Thường xuyên cập nhật")
            return False
        if role in _SHORT and no_deadline and _FULL_DATE_RE.search(text):
            return False  # the deadline column empty, a date beside it ("Trực 15/12/2025" as a note)
    return True


def _opens_on_name(text: str) -> bool:
    """Whether a text cell opens on three words or more of a known body's name ("Ban Chỉ huy
    Quân ...", "Công chức Văn hóa ..."): a task or an activity opens on its verb."""
    words = text.split()
    return len(words) >= 3 and name_rest(" ".join(words[:3])) is not None


def _dated(text: str) -> bool:
    """Whether ``text`` reads as a deadline: a date or a recurrence."""
    return parse_deadline(text) != EMPTY_DEADLINE


#: a whole date (day/month/year), a month's or a quarter's year ("12/2025", "I/2025")
_FULL_DATE_RE = re.compile(r"(?<![\d/])(?:\d{1,2}/)?(?:0?[1-9]|1[0-2])/(?:19|20)\d\d(?![\d/])"
                           r"|(?<![\w/])(?:I|II|III|IV)/(?:19|20)\d\d(?![\d/])")


_SHORT = ("product", "lead", "support", "monitor", "budget", "note")
#: columns of free text, which no typed check reads whole
_FREE_TEXT = frozenset({"objective", "task", "activity", "product", "note"})


def _run_on_doubt(prev: str, text: str, role: str) -> bool:
    """Whether the text of a merged column at the top of a row, under the open cell ``prev``
    of the row above, may as well be that cell's rest as a new cell: it is clearly the rest when
    it goes on in lower case where the cell above is open (:func:`_continues`), clearly a new
    cell when a task's verb opens it after a closed one ("... trên địa bàn xã" / "Quản lý, sử
    dụng ..."); upper-case words that may go on a name ("TCVN ISO 9001:2015", "Một cửa") leave
    it in doubt."""
    first = _first_alpha(text)
    goes_on = _continues(text, prev, role)
    if goes_on:
        return not (first and first.islower())
    return not _VERB_RE.match(_fold(text))


def _split_name(left: str, left_role: str, right: str, right_role: str) -> bool:
    """Whether two neighbouring body cells could as well be one: the left one's last body and the
    right one's first read together as one known body's name ("Chủ tịch" | "UBND xã")."""
    if left_role not in _BODY_ROLES or right_role not in _BODY_ROLES or not left.strip() or not right.strip():
        return False
    a, b = split_owners(left), split_owners(right)
    return bool(a and b) and name_rest(f"{a[-1]} {b[0]}") == 0


def _cut_name(text: str, role: str) -> bool:
    """Whether a body cell ends on the beginning of a known body's name that is no name itself
    ("Công chức Địa chính – Xây", "Văn phòng HĐND-"), or on the ";" or "," before one more
    name: its rest went to another column of the OCR'd line
    (:func:`normalizers.owners.name_rest`)."""
    parts = split_owners(text) if role in _BODY_ROLES and text.strip() else []
    return bool(parts) and (bool(name_rest(parts[-1])) or text.rstrip()[-1:] in ";,")


def row_line_tables(lines: Sequence[str], pages: Sequence[int | None]) -> LayoutReading:
    """Appendix tables of a row-lines dump: one :class:`~pipeline.model.Table` per page, cells
    with document line numbers, and each table line's fit: ``(1, 1)`` when its cut is clean and
    its row read (step 4 of the module's method), else ``(0, 1)``."""
    tables = []
    fit: dict[int, tuple[int, int]] = {}
    for block in _blocks(lines, pages):
        got = _block_reading(block)
        if _lines_read(got[1]) < CENTRE_TRY * len(got[1]) and (centred := _centred(block)) is not None:
            # a table centring its cells prints its rows' numbers on their middle lines: read so
            # where the reading as printed leaves lines out and this reads more of them
            other = _block_reading(centred)
            if _lines_read(other[1]) > _lines_read(got[1]):
                got = other
        tables.extend(got[0])
        fit.update(got[1])
    return LayoutReading(tuple(tables), fit)


def _lines_read(fit: dict[int, tuple[int, int]]) -> int:
    """How many lines of a reading are read (fit 1)."""
    return sum(f for f, _ in fit.values())


def _block_reading(block: _Block) -> tuple[list, dict[int, tuple[int, int]]]:
    """One block's tables, one per page, and its lines' fit (:func:`row_line_tables`)."""
    tables = []
    fit: dict[int, tuple[int, int]] = {}
    widths = _widths(block)
    roles = block.body
    placed_rows = _place_rows(block, widths)
    cells = [_cells(cuts) if cuts else None for _, cuts, _ in placed_rows]
    typed, filled = _column_habits(roles, [c for c in cells if c is not None])
    lead = _lone_body_lead(roles, filled)
    for n, (row, cuts, _) in enumerate(placed_rows):
        if row.no is not None and _to_lead(cuts, lead):
            cells[n] = _cells(cuts)
    merged = frozenset(_merged_columns(roles))
    openings = _openings(placed_rows, roles)
    # with one free-text column, every other cell is typed and checked whole: a cut the line
    # below changed is no less sure
    one_text = sum(r in _FREE_TEXT for r in roles) == 1
    by_page: dict[int | None, list] = {}
    above = None  # the cut of the line above, in the row before
    source: dict[int, bool] = {}  # merged column -> whether the row its cell opened in was cut cleanly
    opened: dict[int, str] = {}  # merged column -> the text of its open cell so far
    for n, (row, cuts, settled) in enumerate(placed_rows):
        first = row.lines[0]
        if row.no is None:  # a group row: its numeral in the TT column, else before its title
            ws = [[] for _ in block.roles]
            if block.numbered:
                ws[0], ws[1] = first.words[:1], first.words[1:]
            else:
                ws[0] = [first.words[0].rstrip(".)") + "."] + first.words[1:]
            by_page.setdefault(first.page, []).append((first.number, ws, True))
            fit[first.number] = (1, 1)
            above = None
            opened = {}
            continue
        # text of a merged column on both sides of the row boundary that may be one cell's
        # rest as well as a new cell ("... theo tiêu chuẩn" | "TCVN ISO 9001:2015"): the row
        # is not read
        runs_on = above is not None and any(
            above[c] and cuts[0][0][c] and _run_on_doubt(opened.get(c, ""), cells[n][c], roles[c]) for c in merged)
        above = cuts[-1][0]
        for c in merged:  # as the table builder joins it: the rest of the cell above, or a new one
            goes_on = bool(opened.get(c)) and (not cells[n][c] or _continues(cells[n][c], opened[c], roles[c]))
            opened[c] = join_cell_text([opened[c], cells[n][c]]) if goes_on else cells[n][c]
        # a merged cell this row takes from a row above whose cut was not clean is not read
        inherits = any(not cells[n][c] and source.get(c) is False for c in merged)
        read = ((settled or one_text) and not row.unplaced and not runs_on and not inherits and _row_read(cells[n], roles, typed, filled, block.centred)
                and not _opens_inside(cuts, roles, openings)
                # a row printed cell by cell is placed by its cells' kinds, not by widths
                and (row.stack or not _ambiguous(cuts, roles, widths)
                     and not _width_bound(row, cuts, roles, widths, merged, lead)))
        cut_clean = settled
        for k, (line, (cols, cost, worst)) in enumerate(zip(row.lines, cuts)):
            ws = ([[row.no] if k == 0 and row.no else []] if block.numbered else []) + cols
            by_page.setdefault(line.page, []).append((line.number, ws, k == 0))
            parts = sum(bool(w) for w in cols)
            line_clean = worst <= MAX_CLEAN_OVER and cost <= MAX_CLEAN_COST * max(1, parts)
            cut_clean &= line_clean
            fit[line.number] = (int(read and line_clean), 1)
        source.update({c: cut_clean for c in merged if cells[n][c]})
    # a page printing the header but none of the rows read so (printed cell by cell) still
    # gives its header: the pages after it continue that table
    for page in block.headed_pages - set(by_page):
        by_page[page] = []
    before = None
    first_table = len(tables)
    for page, placed in sorted(by_page.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)):
        # a page after a gap of pages without rows read so goes on the same table all the same
        gap = page is not None and (before is None or page - before > 1)
        header = ([[(block.header_line, x, w) for x, w in enumerate(_LABEL[r].split())] for r in block.roles]
                  if page in block.headed_pages or gap else None)
        before = page
        table = build_table(placed, header, block.roles, page)
        _unread_mixed_merges(table, block.roles, fit)
        tables.append(table)
    for above, below in zip(tables[first_table:], tables[first_table + 1:]):
        _unread_carries(above, below, block.roles, fit)
    return tables, fit


def _rows_lines(table, rows: range) -> list[int]:
    """The document lines of a table's rows ``rows``."""
    return [n for cell in table.cells if cell.row in rows and cell.line_start is not None
            for n in range(cell.line_start, (cell.line_end or cell.line_start) + 1)]


def _unread(table, rows: range, fit: dict[int, tuple[int, int]]) -> None:
    """The table's rows ``rows`` not read: their lines' fit set to 0."""
    for n in _rows_lines(table, rows):
        if n in fit:
            fit[n] = (0, fit[n][1])


def _unread_carries(above, below, roles: Sequence[str], fit: dict[int, tuple[int, int]]) -> None:
    """Rows sharing a merged outline cell at the foot of page ``above`` are not read (their
    lines' fit set to 0) when the next page ``below`` opens on a row without number (the rest
    of a row the page break split) that has text in that column and is not read, or whose text
    there opens upper-case: the table's reader carries that text onto the merged cell as its
    rest across the break, and only a lower-case rest or a list item is clearly one ("... theo"
    / "tiêu chuẩn ISO"); otherwise the rows above would share the words of a row nobody could
    read, or another cell's opening ("... đúng quy định" + "Thực hiện đánh giá ...")."""
    body = [c for c in below.cells if c.row >= below.header_rows and c.text.strip()]
    if not body:
        return
    top = min(c.row for c in body)
    first = [c for c in body if c.row == top]
    if roles[0] == "row_no" and any(c.col == 0 for c in first):
        return
    read = all(fit.get(n, (0, 1))[0] for n in _rows_lines(below, range(top, top + 1)))
    foot = max((c.row + c.row_span - 1 for c in above.cells if c.row >= above.header_rows), default=None)
    merged = set(_merged_columns(roles))
    for rest in (c for c in first if c.col in merged):
        if read and (rest.text.lstrip()[:1] in _ITEM_MARKS or (_first_alpha(rest.text) or "A").islower()):
            continue
        for cell in above.cells:
            if cell.col == rest.col and cell.text.strip() and cell.row <= foot < cell.row + cell.row_span:
                _unread(above, range(cell.row, cell.row + cell.row_span), fit)


def _lone_body_lead(roles: Sequence[str], filled: set[int]) -> int | None:
    """The lead column, where a row's lone body cut into the supporting column beside it goes
    on the lead (:func:`_to_lead`): the table fills its lead column and prints the supporting
    one right after it; else None."""
    if "lead" not in roles or "support" not in roles:
        return None
    lead = roles.index("lead")
    return lead if roles.index("support") == lead + 1 and lead in filled else None


def _to_lead(cuts, lead: int | None) -> bool:
    """A row's cut (changed in place) with its lone body moved from the supporting column to the
    empty lead ``lead``: a line prints the two columns' cells one after the other, and a row
    without supporting bodies prints only its lead ("... của cơ quan hành chính UBND xã Quý
    II/2024"); whether it moved."""
    if lead is None or not cuts or any(ws[lead] for ws, _, _ in cuts) or not any(ws[lead + 1] for ws, _, _ in cuts):
        return False
    for ws, _, _ in cuts:
        ws[lead], ws[lead + 1] = ws[lead + 1], []
    return True


def _unread_mixed_merges(table, roles: Sequence[str], fit: dict[int, tuple[int, int]]) -> None:
    """Rows sharing a merged outline cell that took in other cells' words are not read (their
    lines' fit set to 0): the cell, built from the rows' lines in its column, holds the opening
    of another cell ("... chuyên môn sơ: UBND xã Thực hiện đánh giá") or a body's name with its
    dash ("Văn phòng – Thống kê")."""
    merged = _merged_columns(roles)
    for cell in table.cells:
        if cell.col in merged and cell.row >= table.header_rows and cell.row_span >= 2 and _mixed(cell.text):
            _unread(table, range(cell.row, cell.row + cell.row_span), fit)


#: a body's name with its dash between letters ("Văn phòng – Thống kê", "Tư pháp— Hộ tịch",
#: "Tư pháp—"; not a range of years, "2026 – 2030")
_NAME_DASH_RE = re.compile(r"[^\W\d_]\s*[–—](?:\s*[^\W\d_]|\s*$)")


def _mixed(text: str) -> bool:
    """Whether an outline cell's text holds another cell's words: a task's verb opening in
    capitals inside it (not as a list item), or a dash between two words of letters."""
    words = text.split()
    if _NAME_DASH_RE.search(text):
        return True
    return _verb_inside(words)
