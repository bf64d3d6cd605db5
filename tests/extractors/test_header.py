from __future__ import annotations

import datetime as dt

import pytest

from conftest import sample_lines
from extractors.header import extract_header
from extractors.sections import parse_outline


def header_of(key):
    lines = sample_lines(key)
    _, (start, end) = parse_outline(lines)
    return extract_header(lines, body_start=start, closing=(end, len(lines)))


def test_000_full_header():
    h = header_of("000")
    assert h.issuer == "ỦY BAN NHÂN DÂN XÃ VĨNH LẬP"
    assert h.doc_number == "83/KH-UBND"
    assert (h.issued_place, h.issued_date) == ("Vĩnh Lập", dt.date(2021, 12, 31))
    assert h.title == "Thực hiện cải cách hành chính nhà nước Xã Vĩnh Lập giai đoạn 2021 - 2025"
    assert (h.period_start, h.period_end) == (2021, 2025)
    assert (h.commune, h.district, h.province) == ("Vĩnh Lập", "Thanh Hà", "Hải Dương")
    assert h.signer == "Nguyễn Văn Khoa"
    assert h.signer_title == "TM. ỦY BAN NHÂN DÂN XÃ / CHỦ TỊCH"


@pytest.mark.parametrize("key,title,period,places,signer", [
    ("001", "Cải cách hành chính xã Lộc Thủy năm 2022", (2022, 2022), ("Lộc Thủy", "Phú Lộc", None), "Nguyễn Văn Hoàng"),
    ("002", "Cải cách hành chính nhà nước năm 2025 xã Tà Đùng", (2025, 2025), ("Tà Đùng", None, "Lâm Đồng"), "Trần Nam Thuần"),
    # 003 names its commune only as "UBND xã" and is unsigned in the dump.
    ("003", "Nâng cao chỉ số cải cách hành chính huyện Hà Trung năm 2023", (2023, 2023), (None, "Hà Trung", "Thanh Hóa"), None),
])
def test_plans_without_a_header_block(key, title, period, places, signer):
    h = header_of(key)
    assert h.title == title
    assert (h.period_start, h.period_end) == period
    assert (h.commune, h.district, h.province) == places
    assert h.signer == signer
    assert h.doc_number is None and h.issued_date is None


def test_two_column_header_line_and_blank_number():
    lines = ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "XÃ NGUYÊN GIÁP Độc lập - Tự do - Hạnh phúc",
             "Số:    /KH-UBND Nguyên Giáp, ngày 04 tháng 9 năm 2025",
             "KẾ HOẠCH", "Thực hiện Chương trình tổng thể cải cách hành chính nhà nước",
             "xã Nguyên Giáp giai đoạn 2026 - 2030", "", "Thực hiện Quyết định số 3470/QĐ-UBND ngày 27/8/2025 của"
             " Ủy ban nhân dân thành phố Hải Phòng"]
    h = extract_header(lines)
    assert h.issuer == "ỦY BAN NHÂN DÂN XÃ NGUYÊN GIÁP"
    assert h.doc_number == "/KH-UBND"
    assert h.issued_date == dt.date(2025, 9, 4)
    assert h.title == "Thực hiện Chương trình tổng thể cải cách hành chính nhà nước xã Nguyên Giáp giai đoạn 2026 - 2030"
    assert (h.commune, h.province, h.period_start, h.period_end) == ("Nguyên Giáp", "Hải Phòng", 2026, 2030)


def test_no_header_at_all_gives_nulls_not_errors():
    h = extract_header(["", "chỉ một dòng văn bản"])
    assert h.issuer is None and h.title is None and h.signer is None


def test_ocr_letterhead_with_blank_line_number_and_date_on_one_line():
    """The shape of 004 after repair: the unit line after a blank line, the number and
    the date line side by side, and an unreadable day."""
    lines = [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "",
        "XÃ NGUYÊN GIÁP Độc lập - Tự do - Hạnh phúc",
        "Số: 15 /KH-UBND Nguyên Giáp, ngày A4 tháng 9 năm 2025",
        "KẾ HOẠCH",
        "Thực hiện Chương trình cải cách hành chính giai đoạn 2026 - 2030",
        "",
        "Thực hiện Quyết định số 3470/QĐ-UBND ngày 27/8/2025 của Ủy ban nhân dân thành phố Hải Phòng.",
    ]
    h = extract_header(lines, body_start=7)
    assert h.issuer == "ỦY BAN NHÂN DÂN XÃ NGUYÊN GIÁP"
    assert h.doc_number == "15/KH-UBND"
    assert (h.issued_place, h.issued_date) == ("Nguyên Giáp", None)
    assert (h.commune, h.province) == ("Nguyên Giáp", "Hải Phòng")


def test_co_quan_is_not_a_district():
    lines = ["KẾ HOẠCH", "Cải cách hành chính năm 2025", "", "Giao các cơ quan Đã triển khai; phối hợp với cơ quan Nhà nước."]
    assert extract_header(lines, body_start=3).district is None
    assert extract_header(["Kế hoạch của UBND quận Hoàn Kiếm"]).district == "Hoàn Kiếm"
