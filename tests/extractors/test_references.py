"""Cited documents: every numbered citation of samples 000-004."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import sample_lines
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.references import Reference, extract_references

D = dt.date


@pytest.fixture(scope="module")
def refs() -> dict[str, list[Reference]]:
    return {k: extract_references(sample_lines(k)) for k in ("000", "001", "002", "003", "004")}


# (sample, line_start, line_end, number, type, issuer, date)
REAL = [
    ("000", 17, 17, "76/NQ-CP", "Nghị quyết", "Chính phủ", D(2021, 7, 15)),
    ("000", 19, 20, "02-CTr/TU", "Chương trình hành động", "Tỉnh uỷ", D(2020, 12, 9)),
    ("000", 21, 22, "4347/KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Hải Dương", D(2021, 11, 25)),
    ("000", 346, 347, "60/2021/NĐ-CP", "Nghị định", "Chính phủ", D(2021, 6, 21)),
    ("000", 369, 370, "19/CT-UBND", "Chỉ thị", "UBND tỉnh", D(2020, 10, 5)),
    ("000", 1184, 1184, "01/2018/TT-VPCP", "Thông tư", None, None),
    ("000", 1185, 1185, "61/2018/NĐ-CP", "Nghị định", None, None),  # printed "NĐ_CP"
    ("001", 6, 6, "6118/KH-UBND", "Kế hoạch", "UBND huyện Phú Lộc", D(2021, 12, 31)),
    ("001", 6, 6, "404/KH-UBND", "Kế hoạch", "UBND xã Lộc Thủy", D(2021, 10, 25)),
    ("001", 88, 88, "468/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", D(2021, 3, 27)),
    ("001", 104, 104, "39-NQ/TW", "Nghị quyết", "Bộ Chính trị", D(2015, 4, 17)),
    ("001", 104, 104, "18-NQ/TW", "Nghị quyết", "BCH Trung ương Đảng", D(2017, 10, 25)),
    ("001", 114, 114, "1220/ĐA-UBND", "Đề án", "UBND huyện", D(2019, 4, 17)),  # type from the symbol
    ("001", 295, 295, "108/2020/NĐ-CP", "Nghị định", "Chính phủ", None),  # tab table: next cell not in issuer
    ("002", 8, 8, "202/2025/QH15", "Nghị quyết", "Quốc hội", D(2025, 6, 12)),
    ("002", 12, 14, "76/2025/UBTVQH15", "Nghị quyết", "Ủy ban Thường vụ Quốc hội", D(2025, 4, 14)),
    ("002", 16, 16, "76/NQ-CP", "Nghị quyết", "Chính phủ", D(2021, 7, 15)),
    ("002", 22, 22, "23/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ", D(2021, 9, 2)),
    ("002", 34, 36, "213/KH-UBND", "Kế hoạch", "UBND tỉnh Lâm Đồng", D(2025, 7, 15)),
    ("002", 923, 927, "766/QĐ-TTg", "Quyết định", "Thủ tướng Chính phủ", D(2022, 6, 23)),  # cell-line table
    ("003", 7, 9, "105/KH-UBND", "Kế hoạch", "UBND huyện Hà Trung", D(2023, 5, 12)),  # "105/KH – UBND"
    ("003", 197, 199, "13/2019/TTBNV", "Thông tư", None, None),
    ("003", 215, 217, "117/2013/NĐ-CP", "Nghị định", None, D(2013, 10, 7)),  # "Nghị\nđịnh"
    ("003", 267, 267, "4308/QĐ-UBND", "Quyết định", "UBND tỉnh Thanh Hóa", D(2021, 10, 29)),
    # 004 as OCR printed it: number, type and date survive
    ("004", 10, 10, "3470/QD-UBND", "Quyết định", None, D(2025, 8, 27)),
    ("004", 30, 30, "45-NQ/TW", "Nghị quyết", None, D(2019, 1, 24)),
    ("004", 50, 50, "76/NQ-CP", "Nghị quyết", "Chinh phu", None),
]


@pytest.mark.parametrize(("sample", "start", "end", "number", "kind", "issuer", "date"), REAL,
                         ids=[f"{r[0]}-{r[3]}-L{r[1]}" for r in REAL])
def test_real_references(refs, sample, start, end, number, kind, issuer, date):
    found = [r for r in refs[sample] if r.ref_number == number and r.line_start == start]
    assert found, [(r.ref_number, r.line_start) for r in refs[sample]]  # first occurrence on that line
    r = found[0]
    assert (r.line_end, r.ref_type, r.ref_issuer, r.ref_date) == (end, kind, issuer, date)
    assert number.split("/")[0].split("-")[0] in r.text


def test_counts_and_exclusions(refs):
    # one row per occurrence: 001 cites 18-NQ/TW three times
    assert sum(r.ref_number == "18-NQ/TW" for r in refs["001"]) == 3
    assert len(refs["000"]) == 7 and len(refs["002"]) == 7 and len(refs["003"]) == 9
    # the plan's own number ("Số: 83/KH-UBND", OCR "S6: 15 /KH-UBND") and blank numbers are not citations
    assert not any(r.ref_number in ("83/KH-UBND", "15/KH-UBND") for k in refs for r in refs[k])
    assert not any(r.ref_number.startswith("/") for k in refs for r in refs[k])
    # flattened table rows "1 - Tri..." are not numbers
    assert all(any(c.isupper() for c in r.ref_number) for k in refs for r in refs[k])


def test_repaired_004():
    lines = [  # 004 lines 10-11 and 20-22 after repair (normalizers.repair)
        "Thực hiện Quyết định số 3470/QĐ-UBND ngày 27/8/2025 của Ủy ban",
        "nhân dân thành phố Hải Phòng về việc ban hành kế hoạch thực hiện Chương trình",
        "- Thực hiện tốt mục tiêu chung được Chính phủ đề ra tại Nghị quyết số",
        "76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải",
        "cách hành chính nhà nước giai đoạn 2026 - 2030 (gọi thử là Nghị quyết số 76/NQ-",
        "CP)",
    ]
    got = [(r.ref_number, r.ref_type, r.ref_issuer, r.ref_date, r.line_start, r.line_end)
           for r in extract_references(lines)]
    assert got == [
        ("3470/QĐ-UBND", "Quyết định", "Ủy ban nhân dân thành phố Hải Phòng", D(2025, 8, 27), 1, 2),
        ("76/NQ-CP", "Nghị quyết", "Chính phủ", D(2021, 7, 15), 3, 4),
        ("76/NQ-CP", "Nghị quyết", None, None, 5, 6),  # wrapped at the hyphen
    ]


def test_wrapped_type_and_long_date():
    lines = ["Căn cứ Nghị quyết số", "76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ về ban hành"]
    (r,) = extract_references(lines)
    assert (r.ref_number, r.ref_type, r.ref_issuer, r.ref_date, r.line_start, r.line_end) == (
        "76/NQ-CP", "Nghị quyết", "Chính phủ", D(2021, 7, 15), 1, 2)
    assert r.text == "Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ"


@pytest.mark.parametrize("line", [
    "ngày 15/7/2021", "tối đa 13-15 phút/01 lượt", "TCVN ISO 9001:2015", "Quý I/2022", "99% -100%",
    "Kèm theo Kế hoạch số /KH-UBND ngày 07 tháng 01 năm 2022", "", "Số: 83/KH-UBND",
])
def test_not_references(line):
    assert extract_references([line]) == []


def test_unaccented_and_invalid_date():
    (r,) = extract_references(["can cu nghi quyet so 76/NQ-CP ngay 31/2/2021 cua Chinh phu"])
    assert (r.ref_type, r.ref_date, r.ref_issuer) == ("Nghị quyết", None, "Chinh phu")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(), st.sampled_from([
    "Nghị quyết số", "76/NQ-CP", "ngày 15/7/2021", "của Chính phủ", "45-NQ/TW", " - ", "/", "Số:", "\t", "60/2021/NĐ-CP",
])), max_size=6))
def test_extract_references_is_total(lines):
    for r in extract_references(lines):
        assert 1 <= r.line_start <= r.line_end <= max(1, len(lines))
        assert r.ref_number and r.text
