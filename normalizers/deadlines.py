"""Deadlines (cột "Thời gian" / "Thời gian hoàn thành"): printed text -> a date window and a recurrence.

``parse_deadline(text, period=(start_year, end_year), issued=date)`` returns a
:class:`Deadline` ``(start, end, recurrence)``: ``start``/``end`` are calendar
dates (inclusive), either may be ``None``; ``recurrence`` is one of
:data:`RECURRENCES` or ``None`` when the text states no time at all ("Cơ quan
soạn thảo văn bản QPPL" printed in the wrong column, "Theo định kỳ" with no
frequency).  It never raises.  Matching runs on :func:`normalizers.text.fold`
output, so "Hang nam", "QUÝ III/2025" and "hằng năm" read like "Hàng năm".

Time expressions (each gives an interval)
-----------------------------------------
- a date "31/12/2022", "31-12-2022", "ngày 15 tháng 7 năm 2021": a *due date*,
  interval ``(None, date)``; after "Từ"/"Bắt đầu từ" it is a start ``(date, None)``;
- a year "Năm 2022", "Trong năm 2022": Jan 1 - Dec 31 of that year;
- a year range "Năm 2021-2025", "2026 - 2030", "Từ năm 2022 đến năm 2025": Jan 1 of
  the first - Dec 31 of the last year;
- a month "Tháng 12/2021": the calendar month;
- a quarter "Quý III/2025", "Quý I/2022", "Q IV": the calendar quarter;
- a half "6 tháng đầu năm" / "6 tháng cuối năm": Jan 1 - Jun 30 / Jul 1 - Dec 31;
- "Trong năm" (no year): the whole year;
- a day without a year "Trước ngày 31/12", "Chậm nhất ngày 30/7": a due date.
A cue "Trước", "Chậm nhất", "Đến (hết)", "Hoàn thành" before an expression keeps
only its end ``(None, end)`` ("Đến hết năm 2025" -> due 31/12/2025); "Từ",
"Bắt đầu" keeps only its start.  With cues, start = the earliest "from" start
(else the earliest plain start) and end = the latest "to" end (else the latest
plain end): "Từ năm 2022 - đến hết 31/12/2025" -> 2022-01-01 .. 2025-12-31.
Without cues, if one interval lies inside every other the narrowest wins ("Quý
I/2022 Năm 2022" -> Q1 2022); otherwise their union ("Quý III, Q IV" -> Q3..Q4).

Years of expressions printed without one
----------------------------------------
In this order: "năm ban hành (kế hoạch)" -> the issue year (``issued.year``, else
the period start); a year printed elsewhere in the same text; for a recurring
text the first occurrence is in the period's first year and the last in its
last year ("Trước ngày 31/12 hàng năm", plan 2021-2025 -> due 31/12/2025; "Quý
IV hàng năm" -> 2021-10-01 .. 2025-12-31); a one-year plan's year; otherwise
the expression is dropped (a yearless "Trong năm" in a five-year plan has no
single year).  The period years come from the header (``period``); a missing
end year falls back to the start year, a missing start year to the issue year.

Recurrence
----------
Frequency words, most frequent first when several are printed ("hàng quý, 6
tháng và hàng năm" -> quarterly): ``continuous`` "Thường xuyên", "Liên tục";
``monthly`` "Hàng/Hằng/Mỗi tháng" ("Định kỳ hàng tháng"); ``quarterly``
"Hàng/Hằng/Mỗi quý", a bare "quý, năm" ("báo cáo ... quý, năm"); ``annual``
"Hàng/Hằng/Mỗi năm", "định kỳ năm".  Else ``conditional`` when the timing
depends on an event or a rule: "Sau khi ...", "Khi có ...", "Theo yêu cầu",
"Đột xuất", "Theo quy định", "Theo kế hoạch của tỉnh", "Theo chỉ đạo/hướng
dẫn" (a frequency word wins: "Hàng năm Theo quy định" is annual).  Else
``once`` when some time expression was found; else ``None``.

A recurring text gets the plan window where the text leaves it open: start =
Jan 1 of the first year, end = Dec 31 of the last year ("Hàng năm", plan
2021-2025 -> 2021-01-01 .. 2025-12-31, annual; "Thường xuyên" likewise, but
continuous).  A conditional text gets no dates (the trigger is unknown) unless
it prints some.  A one-off due date keeps ``start = None``: the plan does not
say when work begins.

Several sub-cells joined by " ----- " (sample 001 prints one per activity) are
parsed separately and merged: the union of their windows (an open start stays
open) and the most frequent recurrence ("Trước ngày 31/12 hàng năm ----- Năm
2022" -> annual, 2022).
"""

from __future__ import annotations

import datetime as dt
import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from normalizers.quarters import bent_quarter
from normalizers.text import collapse_ws, fold

RECURRENCES = ("once", "monthly", "quarterly", "annual", "continuous", "conditional")

_MIN_YEAR, _MAX_YEAR = 1945, 2100


@dataclass(frozen=True, slots=True)
class Deadline:
    start: dt.date | None  # first day of the window (inclusive); None when open / unknown
    end: dt.date | None  # due date / last day of the window (inclusive); None when open / unknown
    recurrence: str | None  # one of RECURRENCES; None when no time is stated

    def __post_init__(self) -> None:
        if self.recurrence is not None and self.recurrence not in RECURRENCES:
            raise ValueError(f"recurrence {self.recurrence!r} not in {RECURRENCES}")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise ValueError(f"deadline start {self.start} after end {self.end}")


EMPTY = Deadline(None, None, None)

# --------------------------------------------------------------------------- expressions

_Interval = tuple[dt.date | None, dt.date | None]


@dataclass(slots=True)
class _Expr:
    pos: int
    role: str | None  # "from" / "to" / None
    year: int | None  # the printed year; None when the expression has no year
    make: Callable[[int], _Interval]  # interval in a given year (ignored when ``year`` is set)
    fixed: bool = False  # year range: its own years, roles do not apply


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None


def _month(y: int, m: int) -> _Interval:
    if not 1 <= m <= 12:
        return (None, None)
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _quarter(y: int, q: int) -> _Interval:
    return dt.date(y, 3 * q - 2, 1), _month(y, 3 * q)[1]


def _year_ok(y: int) -> bool:
    return _MIN_YEAR <= y <= _MAX_YEAR


_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# A quarter's roman numeral as OCR reads it: "I1", "11", "lI" for II, "111" for III, "1V" for IV
# (no quarter 11 or 111 exists, so these are the numeral, not a number).
_ROMAN_Q.update({a + b: 2 for a in "il1" for b in "il1"})
_ROMAN_Q.update({a + b + c: 3 for a in "il1" for b in "il1" for c in "il1"})
_ROMAN_Q.update({a + "v": 4 for a in "l1"})
_Q_NUMERAL = r"(iv|iii|ii|i|[il1]{2,3}|[l1]v|[1-4])"
# ... and, before a year, where no other reading is left, as English-model OCR bends it too
# ("Quý TV/2025", "Quý [V/2025", "Quý I'V/2025": :func:`normalizers.quarters.bent_quarter`)
_BENT_Q_NUMERAL = r"(iv|iii|ii|i|[il1]{2,3}|[l1]v|[1-4]|[t\[|!]v|[\[|!][il1]{1,2}|i['’‘`]v)"
_YEAR = r"((?:19|20|21)\d\d)"
_SEP = r"\s*[/.\-–]\s*"

_LONG_DATE = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|/)\s*" + _YEAR + r"(?!\d)")
_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})" + _SEP + r"(\d{1,2})" + _SEP + _YEAR + r"(?!\d)")
_MONTH_YEAR = re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|-|nam)\s*" + _YEAR + r"(?!\d)")
_QUARTER_YEAR = re.compile(r"\b(?:quy|q)\s*\.?\s*" + _BENT_Q_NUMERAL + r"\s*(?:/|-|nam)\s*(?:nam\s*)?" + _YEAR
                           + r"(?!\d)")
_YEAR_RANGE = re.compile(
    r"(?<![\d/])" + _YEAR + r"\s*(?:[-–—]|\bden\b|\btoi\b)\s*(?:[-–—]\s*)?(?:den\s*)?(?:het\s*)?(?:nam\s*)?" + _YEAR
    + r"(?![\d/%])")
_HALF = re.compile(r"\b6\s*thang\s*(dau|cuoi)\s*(?:nam\b\s*" + _YEAR + r"?)?")
_DAY_MONTH = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])|ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})(?!\s*(?:nam|/)\s*\d)")
_QUARTER = re.compile(r"\b(?:quy|q)\s*\.?\s*" + _Q_NUMERAL + r"\b(?![/\-]\s*\d)")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})\b(?!\s*(?:/|-|nam)\s*\d)")
_IN_YEAR = re.compile(r"\btrong\s*nam\b(?!\s*(?:nay\b|\d|ban hanh))")
_ONE_YEAR = re.compile(r"(?<![\d/.,])" + _YEAR + r"(?![\d%/])")

_FROM_CUE = re.compile(r"(?:\btu|\bbat dau(?: tu)?|\bke tu)\s*(?:ngay|nam|thang|quy)?\s*[:,]?\s*$")
_TO_CUE = re.compile(
    r"(?:\bden|\btruoc|\bcham nhat(?: la)?|\bkhong qua|\bhan|\bhoan thanh(?: truoc)?|\btoi)"
    r"(?:\s*het)?(?:\s*ngay|\s*nam|\s*thang|\s*quy)?\s*[:,]?\s*$")

_ISSUE_YEAR = re.compile(r"\bnam\s*ban\s*hanh\b|\bnam\s*nay\b")

# (recurrence, pattern on folded text) most frequent first; "quý" bare needs the accented text.
_FREQ: tuple[tuple[str, re.Pattern], ...] = (
    ("continuous", re.compile(r"\bthuong\s*xuyen\b|\blien\s*tuc\b")),
    ("monthly", re.compile(r"\b(?:hang|moi)\s*thang\b|\bdinh\s*ky\s*thang\b")),
    ("quarterly", re.compile(r"\b(?:hang|moi)\s*quy\b|\bdinh\s*ky\s*quy\b")),
    ("annual", re.compile(r"\b(?:hang|moi)\s*nam\b|\bdinh\s*ky\s*nam\b")),
)
_BARE_QUY = re.compile(r"\bquý\b(?!\s*(?:[IVX]+|[1-4]|[Il1]{2,3}|[l1]V)\b)"
                       r"(?!\s*(?:[T\[|!]V|[\[|!][Il1]{1,2}|I['’‘`]V)\s*(?:[/-]|năm)\s*\d)", re.I)
_CONDITIONAL = re.compile(
    r"\bsau\s*khi\b|\bkhi\s*co\b|\bkhi\s*phat\s*sinh\b|\btheo\s*yeu\s*cau\b|\bdot\s*xuat\b|\btheo\s*quy\s*dinh\b"
    r"|\btheo\s*ke\s*hoach\b|\btheo\s*chi\s*dao\b|\btheo\s*huong\s*dan\b|\bngay\s*sau\b|\bkhi\s*(?:duoc|cap)\b")
_RECURRING = ("continuous", "monthly", "quarterly", "annual")
_PRIORITY = ("continuous", "monthly", "quarterly", "annual", "once", "conditional")
_PART_SPLIT = re.compile(r"\s-{3,}\s*|\s*-{3,}\s")


def _q_value(token: str) -> int:
    """The quarter a numeral matched by :data:`_BENT_Q_NUMERAL` (folded, lower case) names."""
    return _ROMAN_Q.get(token) or ("I", "II", "III", "IV").index(bent_quarter(token.upper())) + 1


def _role(folded: str, pos: int) -> str | None:
    before = folded[max(0, pos - 24):pos]
    if _FROM_CUE.search(before):
        return "from"
    if _TO_CUE.search(before):
        return "to"
    return None


def _scan(folded: str) -> list[_Expr]:
    """Time expressions in ``folded``, most specific patterns first; matched text is masked."""
    work = folded
    out: list[_Expr] = []

    def take(pattern: re.Pattern, build: Callable[[re.Match], _Expr | None]) -> None:
        nonlocal work
        for m in list(pattern.finditer(work)):
            expr = build(m)
            if expr is not None:
                out.append(expr)
                work = work[:m.start()] + " " * (m.end() - m.start()) + work[m.end():]

    def dated(y: int, iv: _Interval, m: re.Match) -> _Expr | None:
        if not _year_ok(y) or iv[0] is None and iv[1] is None:
            return None
        return _Expr(m.start(), _role(folded, m.start()), y, lambda _y, iv=iv: iv)

    def day(m: re.Match, d: int, mo: int, y: int) -> _Expr | None:
        date = _date(y, mo, d) if _year_ok(y) else None
        expr = dated(y, (date, date), m) if date else None
        if expr is not None and expr.role is None:
            expr.role = "to"  # a bare day in a deadline cell is a due date
        return expr

    take(_LONG_DATE, lambda m: day(m, int(m[1]), int(m[2]), int(m[3])))
    take(_FULL_DATE, lambda m: day(m, int(m[1]), int(m[2]), int(m[3])))
    take(_MONTH_YEAR, lambda m: dated(int(m[2]), _month(int(m[2]), int(m[1])), m))
    take(_QUARTER_YEAR, lambda m: dated(int(m[2]), _quarter(int(m[2]), _q_value(m[1])), m))

    def year_range(m: re.Match) -> _Expr | None:
        a, b = int(m[1]), int(m[2])
        if not (_year_ok(a) and _year_ok(b) and a <= b):
            return None
        iv = (dt.date(a, 1, 1), dt.date(b, 12, 31))
        return _Expr(m.start(), None, a, lambda _y, iv=iv: iv, fixed=True)

    take(_YEAR_RANGE, year_range)

    def half(m: re.Match) -> _Expr | None:
        first = m[1] == "dau"

        def make(y: int, first=first) -> _Interval:
            return (dt.date(y, 1, 1), dt.date(y, 6, 30)) if first else (dt.date(y, 7, 1), dt.date(y, 12, 31))

        y = int(m[2]) if m[2] else None
        if y is not None and not _year_ok(y):
            return None
        return _Expr(m.start(), _role(folded, m.start()), y, make)

    take(_HALF, half)

    def day_month(m: re.Match) -> _Expr | None:
        d, mo = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
        if _date(2000, mo, d) is None:  # 2000 is a leap year: 29/2 is a valid yearless day
            return None

        def make(y: int, d=d, mo=mo) -> _Interval:
            date = _date(y, mo, d) or _date(y, mo, d - 1)
            return (date, date)

        return _Expr(m.start(), _role(folded, m.start()) or "to", None, make)

    take(_DAY_MONTH, day_month)
    take(_QUARTER, lambda m: _Expr(m.start(), _role(folded, m.start()), None,
                                   lambda y, q=_ROMAN_Q[m[1]]: _quarter(y, q)))

    def month(m: re.Match) -> _Expr | None:
        mo = int(m[1])
        if not 1 <= mo <= 12:
            return None
        return _Expr(m.start(), _role(folded, m.start()), None, lambda y, mo=mo: _month(y, mo))

    take(_MONTH, month)
    take(_IN_YEAR, lambda m: _Expr(m.start(), None, None, lambda y: (dt.date(y, 1, 1), dt.date(y, 12, 31))))

    def one_year(m: re.Match) -> _Expr | None:
        y = int(m[1])
        return dated(y, (dt.date(y, 1, 1), dt.date(y, 12, 31)), m) if _year_ok(y) else None

    take(_ONE_YEAR, one_year)
    out.sort(key=lambda e: e.pos)
    return out


# --------------------------------------------------------------------------- combining

def _inside(a: _Interval, b: _Interval) -> bool:
    """Is ``a`` inside ``b`` (None = open)?"""
    s_ok = b[0] is None or (a[0] is not None and a[0] >= b[0])
    e_ok = b[1] is None or (a[1] is not None and a[1] <= b[1])
    return s_ok and e_ok


def _union(ivs: list[_Interval]) -> _Interval:
    starts = [s for s, _ in ivs]
    ends = [e for _, e in ivs]
    start = None if any(s is None for s in starts) else min(starts)
    end = None if any(e is None for e in ends) else max(ends)
    return start, end


def _combine(items: list[tuple[str | None, _Interval]]) -> _Interval:
    froms = [iv for role, iv in items if role == "from"]
    tos = [iv for role, iv in items if role == "to"]
    plain = [iv for role, iv in items if role is None]
    if froms or tos:
        starts = [iv[0] for iv in froms if iv[0]] or [iv[0] for iv in plain if iv[0]]
        ends = [iv[1] for iv in tos if iv[1]] or [iv[1] for iv in plain if iv[1]]
        return (min(starts) if starts else None, max(ends) if ends else None)
    if not plain:
        return (None, None)
    for iv in sorted(plain, key=lambda iv: (iv[1] or dt.date.max) - (iv[0] or dt.date.min)):
        if all(_inside(iv, other) for other in plain):
            return iv
    return _union(plain)


def _recurrence(folded: str, original: str) -> str | None:
    for name, pat in _FREQ:
        if pat.search(folded):
            return name
    if _BARE_QUY.search(original):
        return "quarterly"
    if _CONDITIONAL.search(folded):
        return "conditional"
    return None


def _years(period: tuple[int | None, int | None], issued: dt.date | None) -> tuple[int | None, int | None]:
    first, last = (period + (None, None))[:2] if isinstance(period, tuple) else (None, None)
    first = first if isinstance(first, int) and _year_ok(first) else None
    last = last if isinstance(last, int) and _year_ok(last) else None
    if first is None:
        first = issued.year if isinstance(issued, dt.date) else last
    if last is None:
        last = first
    if first is not None and last is not None and first > last:
        first, last = last, first
    return first, last


def _parse_part(text: str, first: int | None, last: int | None, issued: dt.date | None) -> Deadline:
    original = collapse_ws(text)
    folded = fold(original)
    if not folded:
        return EMPTY
    recurrence = _recurrence(folded, original)
    exprs = _scan(folded)
    printed_years = sorted({e.year for e in exprs if e.year is not None and not e.fixed}
                           | {y for e in exprs if e.fixed for y in (e.make(0)[0].year, e.make(0)[1].year)})
    issue_year = issued.year if isinstance(issued, dt.date) and _year_ok(issued.year) else first

    items: list[tuple[str | None, _Interval]] = []
    for e in exprs:
        if e.year is not None:
            iv = e.make(e.year)
        else:
            if _ISSUE_YEAR.search(folded) and issue_year is not None:
                y0 = y1 = issue_year
            elif printed_years:
                y0, y1 = printed_years[0], printed_years[-1]
            elif recurrence in _RECURRING and first is not None:
                y0, y1 = first, last
            elif first is not None and first == last:
                y0 = y1 = first
            else:
                continue
            iv = (e.make(y0)[0], e.make(y1)[1])
        if e.fixed or e.role is None:
            items.append((None, iv))
        elif e.role == "from":
            items.append(("from", (iv[0], None)))
        else:
            items.append(("to", (None, iv[1])))
    start, end = _combine(items)

    if recurrence in _RECURRING and first is not None:
        if start is None:
            start = dt.date(first, 1, 1)
        if end is None and not any(role == "from" for role, _ in items) and last is not None:
            end = dt.date(last, 12, 31)
    if recurrence is None and items and (start or end):
        recurrence = "once"
    if start is not None and end is not None and start > end:
        start = None
    return Deadline(start, end, recurrence)


def parse_deadline(
    text: str | None,
    *,
    period: tuple[int | None, int | None] = (None, None),
    issued: dt.date | None = None,
) -> Deadline:
    """Date window and recurrence of a printed deadline (see the module docstring); never raises.

    ``period`` is the plan's (first, last) year from the header ("giai đoạn
    2021 - 2025" -> (2021, 2025)); ``issued`` its issue date.  Both only resolve
    text without a year of its own.
    """
    if not isinstance(text, str) or not text.strip():
        return EMPTY
    text = unicodedata.normalize("NFC", text)
    first, last = _years(period, issued)
    parts = [p for p in _PART_SPLIT.split(text) if p.strip()]
    results = [_parse_part(p, first, last, issued) for p in parts]
    results = [r for r in results if r != EMPTY]
    if not results:
        return EMPTY
    if len(results) == 1:
        return results[0]
    recurrences = [r.recurrence for r in results if r.recurrence]
    recurrence = min(recurrences, key=_PRIORITY.index) if recurrences else None
    dated = [(r.start, r.end) for r in results if r.start or r.end]
    start, end = _union(dated) if dated else (None, None)
    return Deadline(start, end, recurrence)
