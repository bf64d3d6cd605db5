"""Deadlines: the "Thời gian" cells and phrases printed in samples 000-004."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.deadlines import RECURRENCES, Deadline, parse_deadline
from normalizers.text import collapse_ws, fold

D = dt.date
_COLLAPSED: dict[str, str] = {}


def sample_text(key: str) -> str:
    if key not in _COLLAPSED:
        text = unicodedata.normalize("NFC", SAMPLES[key].read_text(encoding="utf-8"))
        _COLLAPSED[key] = collapse_ws(text.replace("\t", " "))
    return _COLLAPSED[key]


P0 = (2021, 2025)  # 000: giai đoạn 2021 - 2025, issued 31/12/2021
P1 = (2022, 2022)  # 001: plan for 2022
P2 = (2025, 2025)  # 002: plan for 2025
P4 = (2026, 2030)  # 004: giai đoạn 2026 - 2030

# (sample, cell as printed, period, expected start, end, recurrence)
REAL = [
    ("000", "Năm 2022", P0, D(2022, 1, 1), D(2022, 12, 31), "once"),
    ("000", "Năm 2021", P0, D(2021, 1, 1), D(2021, 12, 31), "once"),
    ("000", "Năm 2021-2025", P0, D(2021, 1, 1), D(2025, 12, 31), "once"),
    ("000", "Năm 2022-2025", P0, D(2022, 1, 1), D(2025, 12, 31), "once"),
    ("000", "Hàng năm", P0, D(2021, 1, 1), D(2025, 12, 31), "annual"),
    ("000", "Hàng năm Theo quy", P0, D(2021, 1, 1), D(2025, 12, 31), "annual"),
    ("000", "Hàng tháng", P0, D(2021, 1, 1), D(2025, 12, 31), "monthly"),
    ("000", "Thường xuyên", P0, D(2021, 1, 1), D(2025, 12, 31), "continuous"),
    ("000", "Quý IV hàng năm", P0, D(2021, 10, 1), D(2025, 12, 31), "annual"),
    ("000", "Trong năm 2022", P0, D(2022, 1, 1), D(2022, 12, 31), "once"),
    ("000", "Từ năm 2022 - đến hết 31/12/2025", P0, D(2022, 1, 1), D(2025, 12, 31), "once"),
    ("000", "Từ 2022-đến hết 31/12/2025", P0, D(2022, 1, 1), D(2025, 12, 31), "once"),
    ("000", "Đạt 100% đến 31/12/2025", P0, None, D(2025, 12, 31), "once"),
    ("000", "Kết hợp báo cáo công tác KSTTHC quý, năm", P0, D(2021, 1, 1), D(2025, 12, 31), "quarterly"),
    ("001", "Năm 2022", P1, D(2022, 1, 1), D(2022, 12, 31), "once"),
    ("001", "Tháng 12/2021", P1, D(2021, 12, 1), D(2021, 12, 31), "once"),
    ("001", "Quý IV/2021", P1, D(2021, 10, 1), D(2021, 12, 31), "once"),
    ("001", "Quý I/2022", P1, D(2022, 1, 1), D(2022, 3, 31), "once"),
    ("001", "Quý I/2022 Năm 2022", P1, D(2022, 1, 1), D(2022, 3, 31), "once"),  # the narrower window wins
    ("001", "Trước ngày 15/01/2022", P1, None, D(2022, 1, 15), "once"),
    ("001", "Trước ngày 31/12/2021 ----- Năm 2022", P1, None, D(2022, 12, 31), "once"),
    ("001", "Trước ngày 31/12 hàng năm ----- Năm 2022", P1, D(2022, 1, 1), D(2022, 12, 31), "annual"),
    ("001", "Trước ngày 15/01 hàng năm ----- Năm 2022", P1, D(2022, 1, 1), D(2022, 12, 31), "annual"),
    ("001", "Cơ quan soạn thảo văn bản QPPL", P1, None, None, None),  # cell from the wrong column
    ("001", "hàng quý, 6 tháng và hàng năm hoặc đột xuất", P1, D(2022, 1, 1), D(2022, 12, 31), "quarterly"),
    ("002", "Thường xuyên", P2, D(2025, 1, 1), D(2025, 12, 31), "continuous"),
    ("002", "Trong năm", P2, D(2025, 1, 1), D(2025, 12, 31), "once"),
    ("002", "Chậm nhất ngày 30/7 của năm ban hành kế hoạch", P2, None, D(2025, 7, 30), "once"),
    ("002", "Quý III, Q IV", P2, D(2025, 7, 1), D(2025, 12, 31), "once"),
    ("002", "Sau khi có văn bản của cơ quan có thẩm quyền", P2, None, None, "conditional"),
    ("002", "Theo quy định", P2, None, None, "conditional"),
    ("002", "Theo kế hoạch của tỉnh", P2, None, None, "conditional"),
    ("002", "Trước ngày 30/7/2025", P2, None, D(2025, 7, 30), "once"),
    ("002", "Định kỳ hàng tháng", P2, D(2025, 1, 1), D(2025, 12, 31), "monthly"),
    ("002", "định kỳ hằng quý", P2, D(2025, 1, 1), D(2025, 12, 31), "quarterly"),
    ("002", "Theo định kỳ", P2, None, None, None),  # no frequency printed
    ("003", "kế hoạch CCHC hằng năm", (2023, 2023), D(2023, 1, 1), D(2023, 12, 31), "annual"),
    ("004", "2026 - 2030", P4, D(2026, 1, 1), D(2030, 12, 31), "once"),
]

# Not printed as such in the samples but named in the issue: (text, period, start, end, recurrence)
MORE = [
    ("Quý III/2025", (None, None), D(2025, 7, 1), D(2025, 9, 30), "once"),
    # a quarter's numeral as OCR reads it
    ("Quý I1/2024", (None, None), D(2024, 4, 1), D(2024, 6, 30), "once"),
    ("Quý 11/2024", (None, None), D(2024, 4, 1), D(2024, 6, 30), "once"),
    ("Quý 1V/2025", (None, None), D(2025, 10, 1), D(2025, 12, 31), "once"),
    ("Quý 111 năm 2025", (None, None), D(2025, 7, 1), D(2025, 9, 30), "once"),
    ("31/12/2022", P0, None, D(2022, 12, 31), "once"),
    ("ngày 15 tháng 7 năm 2021", (None, None), None, D(2021, 7, 15), "once"),
    ("6 tháng đầu năm", P2, D(2025, 1, 1), D(2025, 6, 30), "once"),
    ("6 tháng cuối năm 2024", P2, D(2024, 7, 1), D(2024, 12, 31), "once"),
    ("Hàng quý", P0, D(2021, 1, 1), D(2025, 12, 31), "quarterly"),
    ("Trong năm", P0, None, None, None),  # five-year plan: which year?
    ("Đến hết năm 2025", P0, None, D(2025, 12, 31), "once"),
    ("Từ ngày 01/3/2022", P0, D(2022, 3, 1), None, "once"),
    ("Tháng 6", P1, D(2022, 6, 1), D(2022, 6, 30), "once"),
    ("Hàng năm", (None, None), None, None, "annual"),
    ("", P0, None, None, None),
    ("   ", P0, None, None, None),
]


def check(got: Deadline, start, end, recurrence) -> None:
    assert (got.start, got.end, got.recurrence) == (start, end, recurrence)


@pytest.mark.parametrize(("sample", "text", "period", "start", "end", "recurrence"), REAL,
                         ids=[f"{r[0]}-{r[1][:40]}" for r in REAL])
def test_real_deadlines(sample, text, period, start, end, recurrence):
    # cells are printed wrapped ("Từ 2022-\nđến hết"): compare without white space
    assert "".join(text.split()) in "".join(sample_text(sample).split())
    check(parse_deadline(text, period=period), start, end, recurrence)


@pytest.mark.parametrize(("sample", "text", "period", "start", "end", "recurrence"), REAL,
                         ids=[f"{r[0]}-{r[1][:40]}" for r in REAL])
def test_unaccented_and_upper_case_read_the_same(sample, text, period, start, end, recurrence):
    if "quý, năm" in text:  # a bare "quý" is only unambiguous with its accent ("quy định")
        return check(parse_deadline(fold(text), period=period), None, None, None)
    check(parse_deadline(fold(text), period=period), start, end, recurrence)
    check(parse_deadline(text.upper(), period=period), start, end, recurrence)


@pytest.mark.parametrize(("text", "period", "start", "end", "recurrence"), MORE, ids=[m[0][:40] or "empty" for m in MORE])
def test_more_deadlines(text, period, start, end, recurrence):
    check(parse_deadline(text, period=period), start, end, recurrence)


def test_issue_year_resolves_nam_ban_hanh():
    text = "Chậm nhất ngày 30/7 của năm ban hành kế hoạch"
    check(parse_deadline(text, period=(2025, 2025), issued=D(2024, 12, 20)), None, D(2024, 7, 30), "once")
    check(parse_deadline(text, issued=D(2025, 3, 1)), None, D(2025, 7, 30), "once")


def test_period_falls_back_to_issue_year():
    check(parse_deadline("Hàng năm", issued=D(2023, 2, 1)), D(2023, 1, 1), D(2023, 12, 31), "annual")
    check(parse_deadline("Trước ngày 31/12 hàng năm", period=(2021, 2025)), D(2021, 1, 1), D(2025, 12, 31), "annual")


def test_none_and_invalid_dates():
    assert parse_deadline(None) == Deadline(None, None, None)
    check(parse_deadline("31/02/2022"), None, None, None)  # impossible day: nothing is read
    check(parse_deadline("Quý V/2022"), None, None, None)


def test_deadline_validates():
    with pytest.raises(ValueError):
        Deadline(D(2022, 2, 1), D(2022, 1, 1), "once")
    with pytest.raises(ValueError):
        Deadline(None, None, "weekly")


_PIECES = st.sampled_from([
    "Năm ", "năm ", "2022", "2025", "2021", "-", " - ", "–", "Quý ", "Q ", "I", "II", "III", "IV", "/", "31/12",
    "30/7", "ngày ", "tháng ", "12", "Hàng ", "hằng ", "tháng", "quý", "Thường xuyên", "Trước ", "Từ ", "đến hết ",
    "Chậm nhất ", "của năm ban hành", "Sau khi ", " ----- ", "6 tháng đầu năm", "Trong năm", ", ", "%", "0", "9",
    "\u0301", " ",
])
_PERIODS = st.tuples(st.one_of(st.none(), st.integers(1900, 2200)), st.one_of(st.none(), st.integers(1900, 2200)))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES, max_size=14).map("".join)), _PERIODS,
       st.one_of(st.none(), st.dates()))
def test_parse_deadline_is_total_and_consistent(text, period, issued):
    got = parse_deadline(text, period=period, issued=issued)
    assert got.recurrence is None or got.recurrence in RECURRENCES
    if got.start and got.end:
        assert got.start <= got.end
    if got.start or got.end:
        assert got.recurrence is not None
    assert parse_deadline(unicodedata.normalize("NFD", text), period=period, issued=issued) == got


#: a quarter's Roman numeral as English-model OCR bends it: (bent, quarter)
BENT_QUARTERS = [("I1", 2), ("lI", 2), ("11", 2), ("111", 3), ("1V", 4), ("lV", 4), ("TV", 4), ("[V", 4),
                 ("|V", 4), ("!V", 4), ("I'V", 4), ("I’V", 4), ("[1", 2), ("|I", 2), ("[11", 3), ("|II", 3)]


@pytest.mark.parametrize("bent, quarter", BENT_QUARTERS)
def test_a_quarters_numeral_ocr_bent_reads_as_its_quarter(bent, quarter):
    # every bent numeral, before each year, after each spelling of "Quý" English OCR and the
    # repair leave: the quarter, once -- never the recurrence "every quarter" of a bare "Quý"
    from normalizers.quarters import bent_quarter

    roman = ("I", "II", "III", "IV")[quarter - 1]
    assert bent_quarter(bent) == roman
    for year in (2021, 2024, 2025, 2030):
        for head in ("Quý", "Quỹ", "quý", "QUÝ", "Quy"):
            for sep in ("/", " / ", " năm "):
                got = parse_deadline(f"{head} {bent}{sep}{year}")
                first_month = 3 * quarter - 2
                assert (got.start, got.recurrence) == (D(year, first_month, 1), "once"), (head, bent, sep, year)


@pytest.mark.parametrize("printed", ["I", "II", "III", "IV", "1", "2", "3", "4", "V", "Tổ", "2025", ""])
def test_a_quarters_numeral_as_printed_is_not_bent(printed):
    from normalizers.quarters import bent_quarter

    assert bent_quarter(printed) is None
