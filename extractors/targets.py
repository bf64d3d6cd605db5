"""Numeric goals (chỉ tiêu) stated in running text.

A *target mention* is a number followed by a unit that states a goal:
``"đạt tối thiểu 80%"``, ``"từ 99% -100% số hồ sơ"``, ``"tối đa 13-15 phút/01 lượt
giao dịch"``.  A number without a unit is never a target, which is what keeps
document numbers ("76/NQ-CP"), dates ("15/7/2021", "ngày 31/12"), years ("năm
2025", "giai đoạn 2021 - 2025"), levels ("mức độ 3, 4"), standards ("ISO
9001:2015") and legal references ("Điều 1", "Khoản 3") out.

Semantics of a :class:`TargetMention`
-------------------------------------
``value`` / ``value_max``
    Floats.  Vietnamese decimals use a comma ("99,5%" -> 99.5); a dot followed
    by groups of exactly three digits is a thousands separator ("1.000 hồ sơ"
    -> 1000); any other dot is read as a decimal point ("99.5%").
    ``value_max`` is set only for ranges ("99% -100%", "13-15 phút", "từ 98%
    đến 100%"), with ``value < value_max``.
``unit``
    A short normalized unit: ``"%"`` (also for "phần trăm"), durations
    ``"phút"``, ``"giờ"``, ``"ngày"`` (working days included), and counts
    ``"hồ sơ"``, ``"lượt"``, ``"văn bản"``, ``"TTHC"`` (also "thủ tục (hành
    chính)"), ``"dịch vụ công"``, ``"người"``, ``"cán bộ"``, ``"công chức"``,
    ``"tin bài"``, ``"tin"``, ``"bài"``, ``"cuộc"``, ``"lớp"``, ``"đợt"``,
    ``"buổi"``, ``"lần"``, ``"sáng kiến"``, ``"mô hình"``, ``"cơ quan"``,
    ``"đơn vị"``, ``"phiếu"``.  A per-unit denominator is folded into the unit
    and never becomes a mention of its own: "13-15 phút/01 lượt giao dịch" ->
    ``"phút/lượt"``, "2 lần/năm" -> ``"lần/năm"``.
    "tháng" and "năm" are deliberately *not* units: after a number they almost
    always name a period ("báo cáo 6 tháng", "ngày 12 tháng 5 năm 2023").
    Money ("triệu đồng") is not a unit either: plans print budgets, not goals.
``comparator``
    ``range`` whenever there is an upper value (a "tối đa" in front of a range,
    as in "tối đa 13-15 phút", is subsumed: the range already bounds it);
    otherwise a suffix "trở lên" -> ``ge`` / "trở xuống" -> ``le``; otherwise a
    cue right before the number: "tối thiểu", "ít nhất", "không dưới", "không
    thấp hơn", "từ", "đạt từ" -> ``ge``; "tối đa", "không quá", "không vượt
    quá" -> ``le``; "trên", "hơn", "cao hơn", "vượt" -> ``gt``; "dưới", "thấp
    hơn", "ít hơn" -> ``lt``; otherwise ``eq`` ("đạt 100%", "100% TTHC ...").
    In an enumeration "tối thiểu ... là 40%, 35%" the later numbers share the
    first one's comparator and subject.
``target_year``
    The year the goal is due: "đến (hết) năm 2025", "trong năm 2022", "năm
    2025", "đến (ngày) 31/12/2025" when stated next to this number (see
    ``_assign_years``); a year opening the clause applies to every number in
    it; otherwise ``default_year``.  Start and baseline years ("từ năm 2022",
    "so với năm 2021") and periods ("năm 2021-2025") are not target years.
``subject``
    What is measured, cut from the original text: the phrase before the verb
    ("<X> đạt 95%", "<X> xuống còn dưới 5%"), else the phrase after the number
    ("100% <X>"; a count unit heads it: "02 lớp tập huấn" -> "lớp tập huấn"),
    else the subject of the previous number in the same call ("đến năm 2025
    đạt 98% trở lên" inherits "Mức độ hài lòng ..."), so pass whole bullets.
``text`` / ``char_start`` / ``char_end``
    ``text`` is the clause holding the number (NFC, white space collapsed);
    the span covers the number expression only — numbers and units, not the
    cue words ("tối thiểu", "từ", "trở lên").  Offsets index ``text``, not the
    input (they coincide when the input is one collapsed NFC clause).

Matching runs on :func:`normalizers.text.fold` output (same length as the NFC
text), so spans found there cut the original.  Comparator and verb cues ("từ",
"đạt", "tăng") are matched *with* diacritics because their folded forms collide
with common words ("điện tử", "đất" đai, hạ "tầng"); clauses typed without any
diacritics fall back to the folded forms.  In flattened tables a row number
before a capitalised count word ("7 Sáng kiến giải pháp ...") is a label, not
a goal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from normalizers.text import collapse_ws, fold

COMPARATORS = ("ge", "le", "eq", "gt", "lt", "range")


@dataclass(frozen=True, slots=True)
class TargetMention:
    text: str  # the clause the number is in (NFC, whitespace collapsed)
    subject: str | None  # what is measured, cut from ``text`` (may come from an earlier clause)
    value: float  # the (lower) number
    value_max: float | None  # upper number of a range, else None
    unit: str | None  # short normalized unit ("%", "phút", "phút/lượt", "hồ sơ", ...)
    comparator: str  # one of COMPARATORS
    target_year: int | None  # year the goal is due, else default_year
    char_start: int  # span of the number expression in ``text``
    char_end: int


# --------------------------------------------------------------------------- sentences

_BULLET_CHARS = "-+•*–—●▪◦·"
_DASHES = "-–—‑−"
# Newline followed by a bullet ("- ", "+ ") or an enumeration ("a) ", "1. ", "2.1. ", "1) ").
_NL_ITEM = re.compile(r"\n[ \t]*(?:[" + re.escape(_BULLET_CHARS) + r"][ \t]|[a-zđ]\)[ \t]|[0-9]+(?:\.[0-9]+)*[.)][ \t])")
_LEADING_BULLET = re.compile(r"[" + re.escape(_BULLET_CHARS) + r"](?=\s)")
_ROMAN = re.compile(r"[IVXLC]+|[ivxlc]+")


def _is_enumeration(token: str) -> bool:
    """'1', '2.1', 'a', 'II' — a list label when it opens a clause ("2.1. Nhiệm vụ")."""
    return bool(re.fullmatch(r"[0-9]+(?:\.[0-9]+)*|[a-zA-Zđ]", token) or _ROMAN.fullmatch(token))


def _is_abbreviation(token: str) -> bool:
    """'TT', 'TP' before a dot ("TT. HĐND"): one- or two-letter capitals are not sentence ends."""
    return 1 <= len(token) <= 2 and token.isalpha() and token.isupper()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Char spans ``(start, end)`` of the sentences/clauses of ``text`` (spans index ``text``).

    Boundaries: ``;`` (excluded from both sides); ``.``/``!``/``?``/``…`` followed
    by white space and an upper-case letter, a digit, a bullet or a quote (the
    punctuation stays with the left clause); ``:`` followed by a line break
    ("Mục tiêu 3:\\n Mức độ ..."); a line break followed by a bullet or an
    enumeration.  Plain line breaks and blank lines are wraps, not boundaries
    (PDF text breaks sentences in the middle: "hành chính\\n\\nđạt từ 95%").
    A dot after a short all-caps abbreviation ("TT. HĐND") or after a list
    label opening the clause ("2.1. Nhiệm vụ") is not a boundary.  Spans are
    stripped of white space and of a leading bullet; empty spans are dropped.
    """
    if not text:
        return []
    cuts: list[tuple[int, int]] = []  # (end of left clause, start of right clause)
    n = len(text)
    clause_start = 0
    i = 0
    while i < n:
        ch = text[i]
        cut: tuple[int, int] | None = None
        if ch == ";":
            cut = (i, i + 1)
        elif ch in ".!?…":
            j = i
            while j + 1 < n and text[j + 1] in ".!?…":
                j += 1
            k = j + 1
            while k < n and text[k].isspace():
                k += 1
            if k > j + 1 and k < n:
                nxt = text[k]
                starts = nxt.isupper() or nxt.isdigit() or nxt in _BULLET_CHARS or nxt in "“\"'(«"
                if starts and not (ch == "." and j == i and _dot_is_not_end(text, clause_start, i)):
                    cut = (j + 1, k)
            if cut is None:
                i = j
        elif ch == ":":
            k = i + 1
            while k < n and text[k].isspace() and text[k] != "\n":
                k += 1
            if k < n and text[k] == "\n":
                cut = (i + 1, k)
        elif ch == "\n":
            m = _NL_ITEM.match(text, i)
            if m:
                cut = (i, i + 1)
        if cut is not None:
            cuts.append(cut)
            clause_start = cut[1]
            i = cut[1]
            continue
        i += 1

    spans: list[tuple[int, int]] = []
    start = 0
    for end, nxt in cuts + [(n, n)]:
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        # Drop a leading bullet ("- 100% TTHC ...") but not a minus glued to a number.
        while a < b and _LEADING_BULLET.match(text, a):
            a += 1
            while a < b and text[a].isspace():
                a += 1
        if b > a and any(c.isalnum() for c in text[a:b]):
            spans.append((a, b))
        start = nxt
    return spans


def _dot_is_not_end(text: str, clause_start: int, dot: int) -> bool:
    """True when the dot at ``dot`` ends an abbreviation or a leading list label."""
    k = dot
    while k > clause_start and not text[k - 1].isspace():
        k -= 1
    token = text[k:dot]
    if _is_abbreviation(token):
        return True
    # A list label only counts at the very start of the clause (after bullets/space),
    # so "năm 2025. Tiếp tục" still ends a sentence.
    head = text[clause_start:k]
    if _is_enumeration(token) and all(c.isspace() or c in _BULLET_CHARS for c in head):
        return True
    return False


# --------------------------------------------------------------------------- numbers

_NUM = r"[0-9]{1,9}(?:[.,][0-9]{1,9}){0,4}"

# (display unit, folded pattern); longer patterns first inside the alternation.
_UNITS: tuple[tuple[str, str], ...] = (
    ("%", r"%|％|phan tram"),
    ("phút", r"phut"),
    ("giờ", r"gio(?: lam viec)?"),
    ("ngày", r"ngay(?: lam viec)?"),
    ("hồ sơ", r"ho so"),
    ("lượt", r"luot(?: giao dich| truy cap)?"),
    ("văn bản", r"van ban"),
    ("TTHC", r"tthc|thu tuc hanh chinh|thu tuc"),
    ("dịch vụ công", r"dich vu cong(?: truc tuyen)?|dvctt|dvc"),
    ("người", r"nguoi"),
    ("cán bộ", r"can bo"),
    ("công chức", r"cong chuc"),
    ("tin bài", r"tin,? bai|tin/bai"),
    ("tin", r"tin"),
    ("bài", r"bai"),
    ("cuộc", r"cuoc"),
    ("lớp", r"lop"),
    ("đợt", r"dot"),
    ("buổi", r"buoi"),
    ("lần", r"lan(?! thu)"),
    ("sáng kiến", r"sang kien"),
    ("mô hình", r"mo hinh"),
    ("cơ quan", r"co quan"),
    ("đơn vị", r"don vi"),
    ("phiếu", r"phieu"),
)
_PERCENT = "%"
# Units that are measures, not the counted things themselves.
_NOT_NOUNS = frozenset({"%", "phút", "giờ", "ngày"})


def _unit_alt(prefix: str) -> str:
    return "|".join(f"(?P<{prefix}{i}>{pat})" for i, (_, pat) in enumerate(_UNITS))


# n1 [unit1] [sep n2 [unit2]]; units must end at a word boundary ("%" needs none).
_EXPR = re.compile(
    rf"(?P<n1>{_NUM})(?:\s?(?:{_unit_alt('a')})(?![a-z0-9]))?"
    rf"(?:\s*(?P<sep>[{_DASHES}]|den|toi)\s*(?P<n2>{_NUM})(?:\s?(?:{_unit_alt('b')})(?![a-z0-9]))?)?"
)
# Per-unit denominator: "/01 lượt giao dịch", "/năm".
_DENOMS: tuple[tuple[str, str], ...] = (
    ("lượt", r"luot(?: giao dich)?"), ("giao dịch", r"giao dich"), ("hồ sơ", r"ho so"), ("người", r"nguoi"),
    ("TTHC", r"tthc|thu tuc(?: hanh chinh)?"), ("văn bản", r"van ban"), ("năm", r"nam"), ("tháng", r"thang"),
    ("quý", r"quy"), ("tuần", r"tuan"), ("ngày", r"ngay"), ("lần", r"lan"), ("đơn vị", r"don vi"),
    ("xã", r"xa"), ("thôn", r"thon"), ("bài", r"bai"),
)
_DENOM = re.compile(
    r"\s?/\s?(?:[0-9]{1,3}\s?)?(?:" + "|".join(f"(?P<d{i}>{p})" for i, (_, p) in enumerate(_DENOMS)) + r")(?![a-z0-9])"
)
# Words right before a number that make it a label, a reference or a date, not a goal.
# Labels may head a list ("mức độ 3, 4", "giai đoạn 2021 - 2025"); date words may not,
# or "đến năm 2025, 100% hồ sơ" would hide the 100%.
_BLOCK_BEFORE = re.compile(
    r"(?:^|[^a-z0-9])(?:"
    r"(?:muc do|cap do|(?<!ho )so|dieu|khoan|diem|chuong|phu luc|lan thu|giai doan|nhiem ky|iso|tcvn|"
    r"muc tieu|nhiem vu|hoat dong|giai phap|chi tieu|buoc|loai|phien ban|"
    r"nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|cong van|ke hoach|luat|stt)"
    r"\s*(?:[0-9]+\s*(?:,|va|-)\s*)*"
    r"|(?:quy|nam|thang|ngay|tuan)\s*)$"
)
# Comparator cues right before the number (fillers such as "là", "đạt", "tỷ lệ" may follow
# the cue).  Written with diacritics: folded "tu" would also match "tử"/"tự" ("điện tử đạt 15%").
_CUES: dict[str, str] = {
    "không ít hơn": "ge", "không thấp hơn": "ge", "không dưới": "ge", "tối thiểu": "ge", "ít nhất": "ge", "từ": "ge",
    "không vượt quá": "le", "không nhiều hơn": "le", "không cao hơn": "le", "không quá": "le", "tối đa": "le",
    "cao hơn": "gt", "nhiều hơn": "gt", "lớn hơn": "gt", "vượt": "gt", "trên": "gt", "hơn": "gt",
    "thấp hơn": "lt", "ít hơn": "lt", "nhỏ hơn": "lt", "dưới": "lt",
}
_CUE_FILLERS = ("tương ứng", "là", "ở mức", "mức", "đạt", "còn", "khoảng", "tỷ lệ", "tỉ lệ", "bình quân", "trung bình")
_CUE_MAP = {fold(k): v for k, v in _CUES.items()}


def _cue_regex(plain: bool) -> re.Pattern:
    f = fold if plain else (lambda w: w)
    cues = "|".join(re.escape(f(c)) for c in sorted(_CUES, key=len, reverse=True))
    fillers = "|".join(re.escape(f(c)) for c in sorted(_CUE_FILLERS, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?P<cue>" + cues + r")(?:\s+(?:" + fillers + r"))*\s*$")


_SUFFIX = re.compile(r"\s*(?P<s>tro len|tro xuong)(?![a-z0-9])")
# What may sit between two numbers of one enumeration ("40%, 35%").
_LIST_GAP = re.compile(r"\s*(?:,|;|/|va|hoac)?\s*")

_YEAR = re.compile(
    r"(?<![a-z0-9])(?P<pre>(?:den|toi|trong|vao|cuoi|truoc|tu|sau|so voi)\s+(?:het\s+|cuoi\s+)?)?"
    r"(?:nam\s+(?P<y1>(?:19|20)[0-9]{2})(?![0-9/])(?P<period>\s*[" + re.escape(_DASHES) + r"]\s*(?:nam\s+)?[0-9]{4})?"
    r"|(?:ngay\s+)?[0-9]{1,2}/[0-9]{1,2}/(?P<y2>(?:19|20)[0-9]{2})(?![0-9]))"
)
_YEAR_EXCLUDED_PRE = ("tu", "sau", "so voi")
_DEADLINE_PRE = ("den", "toi", "truoc", "trong", "vao", "cuoi")
# A year phrase after number k belongs to number k+1 once a separator or a verb intervenes
# (matched with diacritics, like the verb cues: folded "dat" is also "đất").
_YEAR_GAP_WORDS = ("đạt", "tăng", "giảm", "còn", "xuống", "là", "và")


@dataclass(slots=True)
class _Expr:
    start: int
    end: int  # end of the number expression (units, denominator)
    tail: int  # end including a "trở lên/trở xuống" suffix
    value: float
    value_max: float | None
    unit: str
    comparator: str = "eq"
    cue_start: int | None = None  # start of the comparator cue before the number
    noun: tuple[int, int] | None = None  # span of a count unit ("hồ sơ", "lớp"): part of the subject
    year: int | None = None
    subject: str | None = None


def _parse_number(token: str) -> float | None:
    """'95' -> 95; '99,5' -> 99.5; '1.000' -> 1000; '99.5' -> 99.5; '1.2.3' -> None."""
    if token.isdigit():
        return float(token)
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", token):
        return float(token.replace(".", ""))
    if re.fullmatch(r"[0-9]+[.,][0-9]+", token):
        return float(token.replace(",", "."))
    return None


def _unit_of(match: re.Match, prefix: str) -> str | None:
    for i, (disp, _) in enumerate(_UNITS):
        if match.group(f"{prefix}{i}") is not None:
            return disp
    return None


def _is_year_like(token: str | None) -> bool:
    return token is not None and token.isdigit() and len(token) == 4 and 1900 <= int(token) <= 2100


def _number_allowed_at(folded: str, i: int) -> bool:
    """Reject digits glued to codes/dates/ranges: '76/NQ', '2021-2025', '9001:2015', 'QH15'."""
    if i == 0:
        return True
    prev = folded[i - 1]
    if prev.isalnum() or prev in "/:._\\":
        return False
    if prev == "," and i >= 2 and folded[i - 2].isdigit():
        return False
    if prev in _DASHES and i >= 2 and folded[i - 2].isalnum():
        return False
    return True


_DIGIT = re.compile(r"[0-9]")


def _scan_numbers(folded: str, text: str) -> list[_Expr]:
    found: list[_Expr] = []
    pos = 0
    n = len(folded)
    while True:
        m = _DIGIT.search(folded, pos)
        if not m:
            break
        i = m.start()
        if not _number_allowed_at(folded, i):
            pos = _skip_digits(folded, i)
            continue
        expr = _match_expression(folded, i, text)
        if expr is None:
            pos = _skip_digits(folded, i)
            continue
        found.append(expr)
        pos = max(expr.tail, i + 1)
        if pos >= n:
            break
    return found


def _skip_digits(folded: str, i: int) -> int:
    j = i
    while j < len(folded) and (folded[j].isdigit() or (folded[j] in ".," and j + 1 < len(folded) and folded[j + 1].isdigit())):
        j += 1
    return max(j, i + 1)


def _match_expression(folded: str, i: int, text: str) -> _Expr | None:
    m = _EXPR.match(folded, i)
    if not m:
        return None
    n1 = m.group("n1")
    after = m.end("n1")
    # "76/NQ-CP", "15/7/2021", "9001:2015", "39-NQ/TW": a code or a date, not a quantity.
    if after < len(folded) and (folded[after] in "/:" or (folded[after] in _DASHES and after + 1 < len(folded) and folded[after + 1].isalpha())):
        return None
    if _BLOCK_BEFORE.search(folded, max(0, i - 40), i):
        return None
    v1 = _parse_number(n1)
    if v1 is None:
        return None
    u1 = _unit_of(m, "a")
    if u1 is not None and _row_label(text, m.start(f"a{_unit_index(u1)}"), u1):
        return None
    end1 = m.end(f"a{_unit_index(u1)}") if u1 else m.end("n1")
    v2: float | None = None
    unit = u1
    end = end1
    if m.group("n2") is not None:
        u2 = _unit_of(m, "b")
        cand = _parse_number(m.group("n2"))
        ok = cand is not None and cand > v1 and (u2 is not None or u1 is not None)
        if ok and u1 is not None and u2 is not None and u1 != u2:
            ok = False
        if ok and u2 is not None and _row_label(text, m.start(f"b{_unit_index(u2)}"), u2):
            ok = False
        # "99% - 100" with no second unit is fine; a bare year after it is not ("95% - 2025").
        if ok and u2 is None and _is_year_like(m.group("n2")):
            ok = False
        n2_end = m.end("n2")
        if ok and n2_end < len(folded) and folded[n2_end] in "/:" and u2 is None:
            ok = False
        if ok:
            v2 = cand
            unit = u2 or u1
            end = m.end(f"b{_unit_index(u2)}") if u2 else n2_end
    if unit is None:
        return None
    if unit != _PERCENT and (_is_year_like(n1) or (v2 is not None and _is_year_like(m.group("n2")))):
        return None
    noun: tuple[int, int] | None = None
    if unit not in _NOT_NOUNS:
        grp = f"b{_unit_index(unit)}" if v2 is not None and m.group(f"b{_unit_index(unit)}") is not None else f"a{_unit_index(unit)}"
        if m.group(grp) is not None:
            noun = (m.start(grp), m.end(grp))
    dm = _DENOM.match(folded, end)
    if dm:
        noun = None  # "2 lần/năm": a rate, not a count of things
        for k, (disp, _) in enumerate(_DENOMS):
            if dm.group(f"d{k}") is not None:
                unit = f"{unit}/{disp}"
                end = dm.end()
                break
    tail = end
    comparator = "range" if v2 is not None else "eq"
    sm = _SUFFIX.match(folded, end)
    if sm:
        tail = sm.end()
        if v2 is None:
            comparator = "ge" if sm.group("s") == "tro len" else "le"
    return _Expr(start=i, end=end, tail=tail, value=v1, value_max=v2, unit=unit, comparator=comparator, noun=noun)


def _row_label(text: str, unit_start: int, unit: str) -> bool:
    """'7 Sáng kiến giải pháp ...' in a flattened table: a row number before a capitalised title.

    Count words in goals are lower case ("05 sáng kiến"); a capitalised one that is
    not an acronym ("TTHC", "DVCTT") starts a cell.  Percent signs are never titles.
    """
    if unit == _PERCENT or unit_start >= len(text):
        return False
    word = text[unit_start:].split(" ", 1)[0]
    return word[:1].isupper() and not word.isupper()


def _unit_index(disp: str | None) -> int:
    for i, (d, _) in enumerate(_UNITS):
        if d == disp:
            return i
    raise KeyError(disp)


# --------------------------------------------------------------------------- subjects

# Verbs that close the subject ("<X> đạt 95%"), strongest first; with diacritics on purpose.
_VERB_CUES = ("đạt", "xuống còn", "xuống", "còn", "ở mức", "là", "tăng", "giảm")
# Words opening a clause that are not part of what is measured.
_LEAD_WORDS = (
    "phấn đấu", "phần đầu", "quyết tâm", "đảm bảo", "bảo đảm", "thực hiện", "tiếp tục", "duy trì", "cung cấp",
    "tích hợp", "nâng cao", "nâng", "triển khai", "hoàn thành", "đạt được", "đạt", "giảm", "tăng", "có", "phải",
    "đến khi", "và", "hoặc", "mỗi năm", "hằng năm", "hàng năm", "hàng quý", "hàng tháng", "trong đó",
    "nguyên tắc", "nguyên tác", "trung bình", "bình quân", "tỷ lệ tối thiểu", "tối thiểu", "ít nhất", "tối đa",
    "trở lên", "trở xuống", "từ", "trên", "dưới",
)
_TRAIL_WORDS = (
    "và", "hoặc", "đạt", "là", "đến khi", "đến khi đạt", "từ", "tối thiểu", "tối đa", "trên", "dưới", "của", "với",
    "còn", "xuống", "trở lên", "trở xuống", "mỗi năm", "hằng năm", "hàng năm",
)
_LABEL = r"(?:[-+•*–—]\s*|[a-zđ]\)\s*|\(?[0-9]+(?:\.[0-9]+)*[.)]\s*|[ivxlc]+[.)]\s+|(?:mục tiêu|nhiệm vụ|chỉ tiêu|hoạt động)\s*[0-9]*(?:\.[0-9]+)*\s*[:.]\s*)"
_YEAR_LEAD = r"(?:(?:đến hết|đến|trong|vào|cuối) )?năm (?:19|20)[0-9]{2}"
# At the end only a deadline is dropped; "so với năm 2021" stays part of what is measured.
_YEAR_TRAIL = r"(?:đến hết|đến|trong|vào|cuối) năm (?:19|20)[0-9]{2}"


_PREPOSITION = re.compile(r"(?:den|so voi|trong|vao|tren|tai|voi|cho|theo|qua)(?![a-z0-9])")


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _mode_patterns(plain: bool) -> dict[str, re.Pattern]:
    """Cue regexes for text with diacritics (plain=False) or typed without them (plain=True)."""
    f = fold if plain else (lambda s: s)
    verbs = tuple(f(v) for v in _VERB_CUES)
    lead = tuple(f(w) for w in _LEAD_WORDS)
    trail = tuple(f(w) for w in _TRAIL_WORDS)
    label = fold(_LABEL) if plain else _LABEL
    year_lead = fold(_YEAR_LEAD) if plain else _YEAR_LEAD
    year_trail = fold(_YEAR_TRAIL) if plain else _YEAR_TRAIL
    return {
        "cue": _cue_regex(plain),
        "year_gap": re.compile(r"[,;:]|(?<!\w)(?:" + _alt(tuple(f(w) for w in _YEAR_GAP_WORDS)) + r")(?!\w)"),
        "verbs": re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in verbs) + r")(?!\w)"),
        "verb_list": verbs,  # type: ignore[dict-item]
        "lead": re.compile(r"(?:" + label + r"|(?:" + year_lead + r"|" + _alt(lead) + r")(?!\w)\s*,?\s*|[,;:.\s]+)"),
        "trail": re.compile(r"(?:[\s,;:.\-–—(]+|(?<!\w)(?:" + year_trail + r"|" + _alt(trail) + r"))$"),
    }


_PATTERNS = {False: _mode_patterns(False), True: _mode_patterns(True)}


def _lower_aligned(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _clean_subject(text: str, lower: str, a: int, b: int, pats: dict) -> str | None:
    """Strip labels, lead verbs and trailing connectors from text[a:b]; None when nothing is left."""
    for _ in range(50):
        m = pats["lead"].match(lower, a, b)
        if not m or m.end() == a:
            break
        a = m.end()
    for _ in range(50):
        m = pats["trail"].search(lower, a, b)
        if not m or m.start() == b:
            break
        b = m.start()
    sub = text[a:b].strip()
    # Unbalanced quotes/brackets left by the cut.
    sub = sub.strip(" \"'“”")
    if sum(c.isalpha() for c in sub) < 3:
        return None
    return sub


def _subject_for(text: str, lower: str, pats: dict, seg_start: int, expr: _Expr, post_end: int) -> str | None:
    pre_end = expr.cue_start if expr.cue_start is not None else expr.start
    # 1. "<X> đạt 95%": the phrase before the strongest verb cue.
    hits = list(pats["verbs"].finditer(lower, seg_start, pre_end))
    for verb in pats["verb_list"]:
        for m in reversed([h for h in hits if h.group(0) == verb]):
            sub = _clean_subject(text, lower, seg_start, m.start(), pats)
            if sub:
                return sub
    # 2. "100% <X>": the phrase after the number, up to the next number or the clause end.
    sub = _clean_subject(text, lower, expr.tail, post_end, pats)
    # "tích hợp 85% trên cổng ...": a preposition after the number means the measured
    # thing came before it.
    if sub and _PREPOSITION.match(fold(text[expr.tail:post_end]).lstrip(" ,")):
        sub = None
    if expr.noun is not None:  # "02 lớp tập huấn" -> "lớp tập huấn"
        noun = text[expr.noun[0]:expr.noun[1]]
        sub = f"{noun} {sub}" if sub else noun
    if sub:
        return sub
    # 3. "<X> 95%" without a verb.
    return _clean_subject(text, lower, seg_start, pre_end, pats)


# --------------------------------------------------------------------------- years

def _year_phrases(folded: str) -> list[tuple[int, int, int]]:
    """(start, end, year) of target-year phrases in the folded clause."""
    out = []
    for m in _YEAR.finditer(folded):
        pre = (m.group("pre") or "").split()
        head = pre[0] if pre else ""
        if head in _YEAR_EXCLUDED_PRE or head == "so":
            continue
        if "so voi" in folded[max(0, m.start() - 25): m.start()]:
            continue
        if m.group("y1"):
            if m.group("period"):
                continue  # "năm 2021-2025": a period, not a due date
            out.append((m.start(), m.end(), int(m.group("y1"))))
        elif m.group("y2") and head in _DEADLINE_PRE:
            out.append((m.start(), m.end(), int(m.group("y2"))))  # "đến 31/12/2025"
    return out


def _assign_years(folded: str, lower: str, pats: dict, exprs: list[_Expr]) -> int | None:
    """Set each expression's own year; return the clause-leading year (applies to all)."""
    leading: int | None = None
    for ys, ye, year in _year_phrases(folded):
        before = [e for e in exprs if e.tail <= ys]
        after = [e for e in exprs if e.start >= ye]
        if not before:
            leading = year  # the last one before the first number wins
            if after:
                after[0].year = year
            continue
        k = before[-1]
        if not after:
            if k.year is None:
                k.year = year
            continue
        j = after[0]
        if pats["year_gap"].search(lower, k.tail, ys):
            j.year = year
        elif k.year is None:
            k.year = year
    return leading


# --------------------------------------------------------------------------- main

def extract_targets(sentence: str, default_year: int | None = None) -> list[TargetMention]:
    """All numeric goals in ``sentence`` (a sentence, bullet or paragraph), in reading order.

    The input is split with :func:`split_sentences`; each mention's ``text`` is its
    clause.  Subjects are inherited across clauses of the same call, so pass a
    whole bullet ("... đạt từ 95%; đến năm 2025 đạt 98% trở lên.") rather than
    its pieces.  Never raises on any string.
    """
    if not sentence or not isinstance(sentence, str):
        return []
    src = unicodedata.normalize("NFC", sentence)
    out: list[TargetMention] = []
    last_subject: str | None = None
    for a, b in split_sentences(src):
        text = unicodedata.normalize("NFC", collapse_ws(src[a:b]))
        folded = fold(text)
        if len(folded) != len(text) or not any(c.isdigit() for c in folded):
            continue
        exprs = _scan_numbers(folded, text)
        if not exprs:
            continue
        lower = _lower_aligned(text)
        plain = folded == lower  # typed without diacritics
        pats = _PATTERNS[plain]
        prev: _Expr | None = None
        for e in exprs:
            seg_start = prev.tail if prev else 0
            cm = pats["cue"].search(lower, seg_start, e.start)
            if cm:
                e.cue_start = cm.start("cue")
                if e.comparator == "eq":
                    e.comparator = _CUE_MAP[fold(cm.group("cue"))]
            elif prev is not None and e.comparator == "eq" and prev.comparator != "range" and _LIST_GAP.fullmatch(folded, prev.tail, e.start):
                e.comparator = prev.comparator  # "tối thiểu ... là 40%, 35%"
            prev = e
        leading = _assign_years(folded, lower, pats, exprs)
        prev = None
        for idx, e in enumerate(exprs):
            seg_start = prev.tail if prev else 0
            post_end = exprs[idx + 1].start if idx + 1 < len(exprs) else len(text)
            if prev is not None and _LIST_GAP.fullmatch(folded, prev.tail, e.start):
                subject = prev.subject
            else:
                subject = _subject_for(text, lower, pats, seg_start, e, post_end)
            if subject is None:
                subject = last_subject
            e.subject = subject
            last_subject = subject or last_subject
            year = e.year if e.year is not None else (leading if leading is not None else default_year)
            out.append(TargetMention(
                text=text, subject=subject, value=e.value, value_max=e.value_max, unit=e.unit,
                comparator=e.comparator, target_year=year, char_start=e.start, char_end=e.end,
            ))
            prev = e
    return out
