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


# --- generated headers of every document type ---------------------------------------------------
#
# Each document type x issuer level x layout x accents, with the number's spacing and the date's
# style alternating; the expected values are the printed ones (stripped of diacritics with the
# text in the diacritic-less variants).  A field is right when it equals the expected value.

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DAMAGED_MOTTO = ("CỘNG HOÀ XÃ HỘl CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc")
ISSUERS = {  # level: (letterhead lines, issuer, province, place, symbol, signature roles, signer)
    "commune": (("ỦY BAN NHÂN DÂN", "XÃ VĨNH LẬP"), "ỦY BAN NHÂN DÂN XÃ VĨNH LẬP", None, "Vĩnh Lập", "UBND",
                ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Nguyễn Văn Khoa"),
    "district": (("ỦY BAN NHÂN DÂN", "HUYỆN BẢO THẮNG"), "ỦY BAN NHÂN DÂN HUYỆN BẢO THẮNG", None, "Bảo Thắng",
                 "UBND", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), "Lê Thị Hồng Nhung"),
    "department": (("UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG"), "SỞ CÔNG THƯƠNG", "Lào Cai", "Lào Cai", "SCT",
                   ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), "Trần Văn Bình"),
    "province": (("ỦY BAN NHÂN DÂN", "TỈNH THANH HÓA"), "ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "Thanh Hóa", "Thanh Hóa",
                 "UBND", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), "Đỗ Minh Tuấn"),
}
TYPES = {  # code: (type word printed as the title line, or None for a letter; subject lines; line after them)
    "KH": ("KẾ HOẠCH", ("Cải cách hành chính nhà nước", "giai đoạn 2024 - 2025"), "Căn cứ Luật Tổ chức chính quyền địa phương;"),
    "QĐ": ("QUYẾT ĐỊNH", ("Về việc ban hành Quy chế làm việc",), "CHỦ TỊCH ỦY BAN NHÂN DÂN"),
    "CV": (None, ("V/v triển khai công tác cải cách", "hành chính năm 2024"), "Kính gửi: Các phòng, ban chuyên môn."),
    "BC": ("BÁO CÁO", ("Kết quả thực hiện công tác cải cách hành chính", "quý I năm 2024"),
           "Thực hiện Công văn số 15/SNV-CCHC ngày 2/2/2024 của Sở Nội vụ, báo cáo như sau:"),
    "TTr": ("TỜ TRÌNH", ("Về việc đề nghị phê duyệt dự toán kinh phí",), "Kính gửi: Ủy ban nhân dân tỉnh."),
    "NQ": ("NGHỊ QUYẾT", ("Về việc thông qua kế hoạch đầu tư công", "năm 2024"), "HỘI ĐỒNG NHÂN DÂN"),
    "TB": ("THÔNG BÁO", ("Kết luận của Chủ tịch tại cuộc họp giao ban",), "Ngày 4 tháng 3 năm 2024, đã họp giao ban."),
    "BB": ("BIÊN BẢN", ("Họp đánh giá kết quả cải cách hành chính",), "Hôm nay, vào lúc 8 giờ, tại hội trường."),
    "GP": ("GIẤY PHÉP", ("Xây dựng công trình nhà ở riêng lẻ",), "Căn cứ Luật Xây dựng năm 2014;"),
    "CT": ("CHỈ THỊ", ("Về tăng cường kỷ luật, kỷ cương hành chính",), "Trong thời gian qua, công tác đã có chuyển biến."),
    "HD": ("HƯỚNG DẪN", ("Công tác thi đua, khen thưởng năm 2024",), "Căn cứ Luật Thi đua, khen thưởng;"),
    "CTr": ("CHƯƠNG TRÌNH", ("Công tác trọng tâm năm 2024",), "Căn cứ Nghị quyết của Hội đồng nhân dân;"),
    "ĐA": ("ĐỀ ÁN", ("Chuyển đổi số giai đoạn 2024 - 2025",), "Căn cứ Quyết định số 749/QĐ-TTg;"),
    "QC": ("QUY CHẾ", ("Làm việc của cơ quan",), "Chương I"),
    "KL": ("KẾT LUẬN", ("Thanh tra công tác quản lý đất đai",), "Thực hiện Quyết định số 20/QĐ-TTr ngày 1/2/2024;"),
    "GM": ("GIẤY MỜI", ("Dự hội nghị tổng kết công tác năm 2023",), "Kính gửi: Các phòng, ban chuyên môn."),
}
LAYOUTS = ("stacked", "interleaved", "side_by_side", "side_by_side_swapped")
FIELDS = ("doc_type", "doc_number", "issuer", "province", "issued_place", "issued_date", "title", "signer",
          "signer_title")
ISSUED = dt.date(2024, 3, 5)


def strip_accents(text):
    import unicodedata

    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def generated_header(code, level, layout, accents, n):
    """(lines, expected fields) of one generated document."""
    word, subject, after = TYPES[code]
    letterhead, issuer, province, place, symbol_issuer, roles, signer = ISSUERS[level]
    if code == "NQ" and level != "department":
        letterhead = ("HỘI ĐỒNG NHÂN DÂN", letterhead[1])
        issuer = issuer.replace("ỦY BAN", "HỘI ĐỒNG")
    symbol = f"{symbol_issuer}-VP" if code == "CV" else f"{code}-{symbol_issuer}"
    number = f"Số: {10 + n}/{symbol}" if n % 2 else f"Số:{10 + n} /{symbol}"
    date = (f"{place}, ngày 05 tháng 3 năm 2024" if n % 4 < 2 else f"{place}, ngày 5/3/2024")
    motto = DAMAGED_MOTTO if layout == "side_by_side_swapped" else MOTTO
    subject_under_number = list(subject) if word is None else []
    left = [*letterhead, number, *subject_under_number]
    right = [*motto, date]
    if layout == "stacked":  # each column in turn, as the text dumps of 000 print them
        head = [*left, "", *right]
    elif layout == "interleaved":  # line by line, left then right
        head = [x for k in range(max(len(left), len(right))) for x in (left[k:k + 1] + right[k:k + 1])]
    elif layout == "side_by_side":  # OCR: the two columns on one line
        head = [f"{a}   {b}".strip() for a, b in zip(left, right)] + left[len(right):]
    else:  # OCR that joins the columns off by one line: "CỘNG HÒA ... SỞ CÔNG THƯƠNG"
        head = [f"{motto[0]} {letterhead[1]}", f"{letterhead[0]} {motto[1]}", f"{number} {date}", *left[3:]]
    title_block = ([word] + list(subject) + (["-----------"] if layout == "stacked" else [])) if word else []
    closing = ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    if layout.startswith("side_by_side"):
        sign = [f"{closing[0]} {roles[0]}", *(f"{c} {r}" for c, r in zip(closing[1:], roles[1:])),
                *closing[len(roles):], "", signer]
    else:
        sign = [*closing, "", *roles, "(Đã ký)", "", signer]
    lines = [*head, "", *title_block, after, "", "Nội dung chính của văn bản.", "", *sign]
    expected = {"doc_type": code, "doc_number": f"{10 + n}/{symbol}", "issuer": issuer, "province": province,
                "issued_place": place, "issued_date": ISSUED, "title": " ".join(subject), "signer": signer,
                "signer_title": " / ".join(roles)}
    if not accents:
        lines = [strip_accents(line) for line in lines]
        expected = {k: strip_accents(v) if isinstance(v, str) and k != "doc_type" else v for k, v in expected.items()}
    return lines, expected


def generated_cases():
    n = 0
    for code in TYPES:
        for level in ISSUERS:
            for layout in LAYOUTS:
                for accents in (True, False):
                    n += 1
                    yield (code, level, layout, accents), *generated_header(code, level, layout, accents, n)


def test_generated_headers_of_every_type_and_layout():
    right = {f: 0 for f in FIELDS}
    misses: dict[str, list] = {f: [] for f in FIELDS}
    total = 0
    for case, lines, expected in generated_cases():
        _, (start, end) = parse_outline(lines)
        h = extract_header(lines, body_start=start, closing=(end, len(lines)))
        total += 1
        for f in FIELDS:
            if getattr(h, f) == expected[f]:
                right[f] += 1
            else:
                misses[f].append((case, getattr(h, f), expected[f]))
    print(f"\n{total} generated headers ({len(TYPES)} types x {len(ISSUERS)} issuers x {len(LAYOUTS)} layouts x 2)")
    print(f"{'field':<14}{'right':>8}")
    for f in FIELDS:
        print(f"{f:<14}{right[f] / total:>8.3f}" + (f"   e.g. {misses[f][0]}" if misses[f] else ""))
    assert total == len(TYPES) * len(ISSUERS) * len(LAYOUTS) * 2
    for f in FIELDS:
        assert right[f] / total >= 0.95, (f, misses[f][:5])
