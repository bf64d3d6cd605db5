"""Tests for extractors.appendix (the cell-per-line and tab readers): appendix tables rebuilt from the sample plan dumps.

Expected values were read off the dumps in tests/resources by hand (line numbers are 1-based
line numbers of those files), not copied from the extractor's output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.appendix import CANONICAL_COLUMNS, AppendixRow, AppendixTable, _extract, extract_appendix

RESOURCES = Path(__file__).parents[1] / "resources"


def _lines(prefix: str) -> list[str]:
    (path,) = RESOURCES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def t000() -> AppendixTable:
    tables = extract_appendix(_lines("000"))
    assert len(tables) == 1
    return tables[0]


@pytest.fixture(scope="module")
def t001() -> AppendixTable:
    tables = extract_appendix(_lines("001"))
    assert len(tables) == 1
    return tables[0]


@pytest.fixture(scope="module")
def t002() -> AppendixTable:
    tables = extract_appendix(_lines("002"))
    assert len(tables) == 1
    return tables[0]


def _row(table: AppendixTable, group_no: str, row_no: str) -> AppendixRow:
    found = [r for r in table.rows if r.group_no == group_no and r.row_no == row_no]
    assert len(found) == 1, (group_no, row_no, len(found))
    return found[0]


def _all_cells(table: AppendixTable) -> list[str]:
    return [v for r in table.rows for v in r.cells.values()]


# --------------------------------------------------------------------------------------------
# 001: tab-separated rows, header repeated on every page
# --------------------------------------------------------------------------------------------


def test_001_columns_and_row_count(t001: AppendixTable) -> None:
    assert t001.columns == ("row_no", "task", "product", "lead", "support", "deadline", "budget")
    assert t001.header_line == 277
    # Tab lines 279-318 are 40 lines; minus 2 repeated headers (289, 304), 6 group rows
    # (284 II, 293 III, 297 IV, 302 V, 309 VI, 313 VII; "I" is line 278) and 2 blank lines
    # (288, 303) leaves 30 rows: I 5 (incl. the unnumbered line 280), II 6, III 3, IV 4,
    # V 4 (numbered 2-5 as printed), VI 3 (1, 2, 4), VII 5.
    assert len(t001.rows) == 30
    assert [r.row_no for r in t001.rows if r.group_no == "V"] == ["2", "3", "4", "5"]
    assert [r.row_no for r in t001.rows if r.group_no == "VI"] == ["1", "2", "4"]


def test_001_first_row_keeps_sub_lines(t001: AppendixTable) -> None:
    r = t001.rows[0]
    assert (r.group_no, r.group_title, r.row_no) == ("I", "Cải cách thể chế", "1")
    assert r.cells == {
        "row_no": "1",
        "task": "Hoàn thiện hệ thống pháp luật",
        "product": "Kế hoạch ----- Báo cáo",
        "lead": "Tư pháp - Hộ tịch",
        "support": "Các bộ phận chuyên môn",
        "deadline": "Trước ngày 31/12/2021 ----- Năm 2022",
        "budget": "Theo dự toán ngân sách hàng năm",
    }
    assert (r.line_start, r.line_end, r.page) == (279, 279, 1)


def test_001_unnumbered_row_and_pages(t001: AppendixTable) -> None:
    r = t001.rows[1]
    assert r.row_no is None and r.line_start == 280
    assert r.cells["task"] == "Xây dựng văn bản quy phạm pháp luật (QPPL) của HĐND"
    assert r.cells["product"] == "Nghị quyết, Quyết định"
    # Printed in the deadline position of the tab row; kept positional.
    assert r.cells["deadline"] == "Cơ quan soạn thảo văn bản QPPL"
    v2 = _row(t001, "V", "2")
    assert (v2.group_title, v2.page, v2.line_start) == ("Cải cách tài chính công", 3, 305)
    assert v2.cells["lead"] == "Tài chính – Kế toán"
    last = t001.rows[-1]
    assert (last.group_no, last.row_no, last.line_start) == ("VII", "5", 318)
    assert last.cells["product"] == "Chuyên trang/chuyên mục"
    assert last.cells["support"] == "Văn phòng – Thống kê"
    # Page 2 = lines 290-301: II.4-6, III.1-3, IV.1-4.
    assert [r.page for r in t001.rows].count(2) == 10


def test_001_no_header_text_in_cells(t001: AppendixTable) -> None:
    for v in _all_cells(t001):
        assert "NHIỆM VỤ CỤ THỂ" not in v and "CƠ QUAN CHỦ TRÌ" not in v


# --------------------------------------------------------------------------------------------
# 002: one cell-line after another, wrapped header repeated per page, page split rows
# --------------------------------------------------------------------------------------------


def test_002_columns_and_row_count(t002: AppendixTable) -> None:
    assert t002.columns == ("row_no", "task", "product", "lead", "support", "deadline", "note")
    assert t002.header_line == 485
    # Row numbers printed in lines 501-1236 (lone or glued to the task, "3 Kế hoạch …",
    # "7 Sáng kiến …"): I 1-7, II 1-2, III 1-7, IV 1-3, V 1-2, VI 1-3, VII 1-3 = 27.
    # The lone "20" at line 620 is a page number, not a row.
    assert len(t002.rows) == 27
    per_group = {}
    for r in t002.rows:
        per_group.setdefault(r.group_no, []).append(r.row_no)
    assert per_group == {
        "I": ["1", "2", "3", "4", "5", "6", "7"],
        "II": ["1", "2"],
        "III": ["1", "2", "3", "4", "5", "6", "7"],
        "IV": ["1", "2", "3"],
        "V": ["1", "2"],
        "VI": ["1", "2", "3"],
        "VII": ["1", "2", "3"],
    }
    assert _row(t002, "II", "1").group_title == "CẢI CÁCH THỂ CHẾ"


def test_002_first_row(t002: AppendixTable) -> None:
    r = _row(t002, "I", "1")
    assert r.group_title == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
    assert r.cells == {
        "row_no": "1",
        "task": "Xây dựng và ban hành Kế hoạch CCHC năm 2025",
        "product": "Kế hoạch CCHC năm",
        "lead": "Phòng Văn hóa - Xã hội",
        "support": "Các phòng chuyên môn thuộc UBND xã",
        "deadline": "Chậm nhất ngày 30/7 của năm ban hành kế hoạch",
        "note": "",
    }
    assert (r.line_start, r.line_end, r.page) == (501, 530, 1)


def test_002_row_split_by_page_break(t002: AppendixTable) -> None:
    # III.1 starts on page 2 (line 717); its task runs on after the header repeated at 764.
    r = _row(t002, "III", "1")
    assert r.cells["task"] == (
        "Tổ chức tốt việc tiếp nhận, giải quyết hồ sơ thủ tục hành chính theo cơ chế một cửa, "
        "một cửa liên thông đảm bảo nguyên tác 100% hồ sơ TTHC được tiếp nhận tại Trung tâm phục "
        "vụ hành chính công và được cập nhật, luân chuyển, giải quyết trên hệ thống giải quyết "
        "TTHC của tỉnh; Thực hiện nghiêm việc tiếp nhận, luân chuyển và xử lý hồ sơ TTHC trên hệ "
        "thống thông tin giải quyết TTHC của tỉnh. Tuyệt đối không để xảy ra tình trạng kết thúc "
        "quy trình xử lý hồ sơ điện tử trước khi có kết quả giải quyết TTHC"
    )
    assert r.cells["product"] == "Kết quả giải quyết TTHC"
    assert r.cells["lead"] == "Trung tâm Phục vụ hành chính công"
    assert r.cells["support"] == "Các phòng chuyên môn"
    assert r.cells["deadline"] == "Thường xuyên"
    assert r.cells["note"] == ""
    assert (r.line_start, r.line_end, r.page) == (717, 786, 2)
    assert _row(t002, "III", "2").page == 3


def test_002_two_cells_on_one_line(t002: AppendixTable) -> None:
    r = _row(t002, "I", "6")  # "chuyên môn Thường xuyên" (line 652)
    assert r.cells["support"] == "Các phòng chuyên môn" and r.cells["deadline"] == "Thường xuyên"
    assert r.page == 2
    r = _row(t002, "I", "7")  # "7 Sáng kiến …" (line 654), no support printed
    assert r.cells["task"] == "Sáng kiến giải pháp mới trong công tác CCHC trong năm"
    assert r.cells["product"] == "Sáng kiến, mô hình, đề án, cách làm mới trong thực hiện CCHC."
    assert r.cells["lead"] == "Các phòng chuyên môn, TTPVHCC"
    assert (r.cells["support"], r.cells["deadline"]) == ("", "Trong năm")
    r = _row(t002, "VI", "1")  # "Thực hiện giải ngân  Phòng Kinh tế" (line 1139)
    assert (r.cells["product"], r.cells["lead"]) == ("Thực hiện giải ngân", "Phòng Kinh tế")
    assert (r.cells["support"], r.cells["deadline"]) == ("Các phòng chuyên môn", "Thường xuyên")


def test_002_hyphen_wrap_and_multi_line_cells(t002: AppendixTable) -> None:
    r = _row(t002, "II", "1")
    assert r.cells["support"] == "Văn phòng HĐND-UBND"  # "HĐND-" / "UBND"
    assert r.cells["lead"] == "Các phòng chuyên môn, TTPVHCC"
    r = _row(t002, "IV", "1")
    assert r.cells["product"] == (
        "Báo cáo CCHC định kỳ; các văn bản thực hiện sắp xếp TCBM; "
        "Báo cáo số lượng lãnh đạo tại các phòng, ban, đơn vị"
    )
    assert (r.cells["lead"], r.cells["support"]) == ("Phòng Văn hóa - Xã hội", "")
    r = _row(t002, "V", "1")
    assert r.cells["product"] == "Hồ sơ trình quyết định phê duyệt"
    assert r.cells["deadline"] == "Sau khi có văn bản của cơ quan có thẩm quyền"
    assert _row(t002, "II", "2").cells["deadline"] == "Theo quy định"


def test_002_no_header_or_page_number_leaks(t002: AppendixTable) -> None:
    for v in _all_cells(t002):
        for header_piece in ("Nội dung, nhiệm vụ", "Sản phẩm", "chủ trì", "phối hợp", "Ghi chú"):
            assert header_piece not in v
        assert v != "20" and not v.endswith(" 20") and not v.startswith("20 ")
    assert {r.page for r in t002.rows} == {1, 2, 3, 4, 5, 6, 7}


# --------------------------------------------------------------------------------------------
# 000: no printed header, merged (vertically centred) objective / task cells
# --------------------------------------------------------------------------------------------

OBJ_I_1 = (
    "1.1. Mục tiêu 1: Xây dựng, hoàn thiện hệ thống văn bản quy phạm pháp luật của xã đồng bộ "
    "trên tất cả các lĩnh vực."
)


def test_000_columns_and_row_count(t000: AppendixTable) -> None:
    assert t000.columns == (
        "row_no",
        "objective",
        "task",
        "activity",
        "product",
        "lead",
        "support",
        "deadline",
        "budget",
    )
    assert t000.header_line is None
    # One row per "Hoạt động" head after the signature (line 585 on): I 8, II 21, III 2,
    # IV 4, V 4, VI 9, VII 11 = 59; the printed TT column runs 1..59 but 16 numbers are
    # missing from the dump (4, 6, 13-16, 18-20, 23, 29, 33, 35, 38, 42, 45).
    assert len(t000.rows) == 59
    assert sum(1 for r in t000.rows if r.row_no is None) == 16
    assert [r.row_no for r in t000.rows if r.row_no] == [
        str(n)
        for n in range(1, 60)
        if n not in {4, 6, 13, 14, 15, 16, 18, 19, 20, 23, 29, 33, 35, 38, 42, 45}
    ]
    groups = [r.group_no for r in t000.rows]
    assert [groups.count(g) for g in ("I", "II", "III", "IV", "V", "VI", "VII")] == [8, 21, 2, 4, 4, 9, 11]
    # Every activity is its own row, in order.
    assert all(r.cells["activity"].startswith("3.") and "Hoạt động" in r.cells["activity"] for r in t000.rows)


def test_000_first_row(t000: AppendixTable) -> None:
    r = t000.rows[0]
    assert (r.group_no, r.group_title, r.row_no) == ("I", "Cải cách thể chế", "1")
    assert r.cells == {
        "row_no": "1",
        "objective": OBJ_I_1,
        "task": (
            "2.1. Nhiệm vụ 1: Rà soát, bổ sung các văn bản quy phạm pháp luật của xã theo Luật sửa "
            "đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật"
        ),
        "activity": (
            "3.1: Hoạt động 1: Hoàn thiện các văn bản quy phạm pháp luật theo Luật sửa đổi, bổ sung "
            "một số điều của Luật Ban hành văn bản quy phạm pháp luật"
        ),
        "product": (
            "Báo cáo Danh mục các văn bản QPPL được rà soát theo Luật sửa đổi, bổ sung một số điều "
            "của Luật Ban hành văn bản quy phạm pháp luật"
        ),
        "lead": "Công chức Tư pháp – Hộ tịch",
        "support": "Các bộ phận liên quan",
        "deadline": "Năm 2021",
        "budget": "Theo quy định của Luật Ngân sách nhà nước",
    }
    # Own band only: the objective printed at row 3 (lines 660-665) is not part of row 1.
    assert (r.line_start, r.line_end, r.page) == (587, 625, None)


def test_000_objective_printed_below_the_rows_it_covers(t000: AppendixTable) -> None:
    # "1.1. Mục tiêu 1" is printed once, inside row 3 (line 660); rows 1 and 2 above it are
    # covered by the same merged cell, and row 2 shares row 1's task.
    r1, r2, r3 = t000.rows[0], t000.rows[1], t000.rows[2]
    assert r1.cells["objective"] == r2.cells["objective"] == r3.cells["objective"] == OBJ_I_1
    assert r2.cells["task"] == r1.cells["task"]
    assert r3.cells["task"].startswith("2.2. Nhiệm vụ 2: Nâng cao chất lượng công tác xây dựng")
    assert r2.cells["deadline"] == "Năm 2022"
    # Row 8 has its own objective and task (printed in its band).
    r8 = _row(t000, "I", "8")
    assert r8.cells["objective"].startswith("1.2. Mục tiêu 2: 100% các văn bản hướng dẫn")
    assert r8.cells["task"].startswith("2.4. Nhiệm vụ 4: Tổ chức triển khai có hiệu quả")


def test_000_rows_without_number(t000: AppendixTable) -> None:
    r4 = t000.rows[3]  # " 3.4: Hoạt động 4:" at line 706, no TT printed
    assert r4.row_no is None and r4.group_no == "I"
    assert r4.line_start == 706
    assert r4.cells["activity"].startswith("3.4: Hoạt động 4: Rà soát, kiến nghị")
    assert r4.cells["lead"] == "Công chức Tư pháp – Hộ tịch"
    assert r4.cells["deadline"] == "Hàng năm"
    assert r4.cells["budget"] == "Theo quy định của pháp luật và văn bản hướng dẫn"
    r13 = t000.rows[12]  # starts at its own objective (line 957)
    assert r13.row_no is None and r13.line_start == 957
    assert r13.cells["objective"] == (
        "1.2. Mục tiêu 2: Phấn đấu từ 98% đến 100% thủ tục hành chính được trả trước, đúng hạn"
    )
    assert r13.cells["product"] == "Báo cáo"
    assert r13.cells["lead"] == "VP HĐND -UBND xã"
    assert r13.cells["deadline"] == "Hàng tháng"


def test_000_merged_text_spilling_into_later_rows(t000: AppendixTable) -> None:
    # Group VII: the objective starts in row 49 (lines 1902-1903) and continues in row 51
    # (lines 1936-1939); the task's last line is glued to row 50's number (line 1920).
    obj = (
        "1.1 Mục tiêu 1: Tiếp tục tăng cường công tác chỉ đạo, điều hành việc triển khai thực "
        "hiện công tác CCHC giai đoạn 2021-2025 trên địa bàn xã"
    )
    task = "2.1. Nhiệm vụ 1: Ban hành các văn bản lãnh đạo, chỉ đạo của UBND xã, CT UBND xã về công tác CCHC"
    r49, r50, r51 = (_row(t000, "VII", n) for n in ("49", "50", "51"))
    assert r49.cells["objective"] == r50.cells["objective"] == r51.cells["objective"] == obj
    assert r49.cells["task"] == r50.cells["task"] == task
    assert r50.cells["activity"] == "3.2. Hoạt động 2: Xây dựng kế hoạch CCHC hàng năm của xã"
    assert r51.cells["task"] == (
        "2.2. Nhiệm vụ 2: Định kỳ tổng hợp kết quả thực hiện công tác CCHC theo quy định"
    )
    assert r49.group_title == "Công tác chỉ đạo, điều hành"


def test_000_cells_glued_on_one_line(t000: AppendixTable) -> None:
    r48 = _row(t000, "VI", "48")  # "TCVN ISO 9001. 2.8. Nhiệm vụ 8:" (line 1882)
    assert r48.cells["objective"] == (
        "1.5. Mục tiêu 5: Tiếp tục duy trì áp dụng, cải tiến HTQLCL theo TCVN ISO 9001."
    )
    assert r48.cells["task"] == "2.8. Nhiệm vụ 8: Thông tin tuyên truyền"
    r46 = _row(t000, "VI", "46")  # "46 2.6. Nhiệm vụ 6: Duy trì áp" (line 1841)
    assert r46.cells["task"] == "2.6. Nhiệm vụ 6: Duy trì áp dụng, cải tiến HTQLCL"
    r40 = _row(t000, "VI", "40")  # "Năm 2021-2025 Theo quy" (line 1700)
    assert r40.cells["deadline"] == "Năm 2021-2025"
    assert r40.cells["budget"] == "Theo quy định của Luật Ngân sách nhà nước"
    r50 = _row(t000, "VII", "50")  # "Kế hoạch Văn phòng" (line 1924)
    assert (r50.cells["product"], r50.cells["lead"]) == ("Kế hoạch", "Văn phòng HĐND - UBND xã")
    r30 = _row(t000, "III", "30")
    assert r30.cells["lead"] == "Văn phòng HĐND - UBND xã"
    assert r30.cells["support"] == "Các bộ phận liên quan"
    assert (r30.cells["deadline"], r30.cells["budget"]) == ("Thường xuyên", "")
    assert _row(t000, "V", "36").cells["product"] == ""  # no product printed for that row


def test_000_every_row_has_objective_and_task(t000: AppendixTable) -> None:
    for r in t000.rows:
        assert r.cells["objective"].startswith("1.") and "tiêu" in r.cells["objective"], r
        assert r.cells["task"].startswith("2.") and "Nhiệm vụ" in r.cells["task"], r
    # Group V: row 36 has no head in its band; it belongs to the cells printed in row 37.
    r36, r37 = _row(t000, "V", "36"), _row(t000, "V", "37")
    assert r36.cells["objective"] == r37.cells["objective"]
    assert r36.cells["task"] == r37.cells["task"]


# --------------------------------------------------------------------------------------------
# 003 / 004 and generality
# --------------------------------------------------------------------------------------------


def test_003_has_no_appendix() -> None:
    assert extract_appendix(_lines("003")) == []


def test_004_ocr_does_not_crash() -> None:
    lines = _lines("004")
    assert _extract(lines) == extract_appendix(lines)  # no exception swallowed
    for t in extract_appendix(lines):
        assert set(t.columns) <= set(CANONICAL_COLUMNS)
        for r in t.rows:
            assert set(r.cells) == set(t.columns)
            assert 626 <= r.line_start <= r.line_end <= len(lines)


SYNTHETIC = """ỦY BAN NHÂN DÂN XÃ AN BÌNH
KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2024
I. MỤC ĐÍCH, YÊU CẦU
1. Nâng cao nhận thức của cán bộ, công chức và Nhân dân về cải cách hành chính trên địa bàn xã.
2. Các nhiệm vụ cụ thể tại Phụ lục kèm theo.
Nơi nhận:
- UBND huyện;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lê Văn Bình
PHỤ LỤC
DANH MỤC NHIỆM VỤ NĂM 2024
STT
Nội dung
công việc
Cơ quan
chủ trì
Thời gian
Ghi chú
I
TUYÊN TRUYỀN
1
Rà soát, cập nhật danh mục thủ
tục hành chính trên Cổng thông tin
Văn phòng
HĐND-UBND
Quý II/2024
2
Tổ chức hội nghị tập huấn nghiệp
vụ cho cán bộ, công chức
Phòng Nội vụ
Tháng 6/2024
Đã bố trí kinh phí
3
Biên soạn tài liệu hỏi đáp về thủ
tục hành chính phát cho Nhân dân
tại các thôn, tổ dân phố và đăng
Công chức Văn
hóa - Xã hội
Hàng quý
12
STT
Nội dung
công việc
Cơ quan
chủ trì
Thời gian
Ghi chú
tải trên Trang thông tin điện tử
II
KIỂM TRA
1
Kiểm tra việc niêm yết công khai
thủ tục hành chính
Công chức Tư pháp
- Hộ tịch
Tháng 10/2024
Kết hợp kiểm tra
định kỳ
2
Tổng hợp, báo cáo kết quả
Văn phòng
HĐND-UBND
Trước ngày 15/12/2024
13"""


def test_unseen_table_layout() -> None:
    # Another column set (TT | Nội dung công việc | Cơ quan chủ trì | Thời gian | Ghi chú), cell
    # by cell with a blank line after every line, group numbers on their own line, a page
    # number (12) before the repeated header and a row (3) split by the page break.
    lines: list[str] = []
    for line in SYNTHETIC.split("\n"):
        lines += [line, ""]
    (table,) = extract_appendix(lines)
    assert table.columns == ("row_no", "task", "lead", "deadline", "note")
    assert table.header_line == lines.index("STT") + 1
    got = [(r.group_no, r.group_title, r.row_no, r.page, r.cells) for r in table.rows]
    assert got == [
        ("I", "TUYÊN TRUYỀN", "1", 1, {
            "row_no": "1",
            "task": "Rà soát, cập nhật danh mục thủ tục hành chính trên Cổng thông tin",
            "lead": "Văn phòng HĐND-UBND",
            "deadline": "Quý II/2024",
            "note": "",
        }),
        ("I", "TUYÊN TRUYỀN", "2", 1, {
            "row_no": "2",
            "task": "Tổ chức hội nghị tập huấn nghiệp vụ cho cán bộ, công chức",
            "lead": "Phòng Nội vụ",
            "deadline": "Tháng 6/2024",
            "note": "Đã bố trí kinh phí",
        }),
        ("I", "TUYÊN TRUYỀN", "3", 1, {
            "row_no": "3",
            "task": (
                "Biên soạn tài liệu hỏi đáp về thủ tục hành chính phát cho Nhân dân tại các thôn, "
                "tổ dân phố và đăng tải trên Trang thông tin điện tử"
            ),
            "lead": "Công chức Văn hóa - Xã hội",
            "deadline": "Hàng quý",
            "note": "",
        }),
        ("II", "KIỂM TRA", "1", 2, {
            "row_no": "1",
            "task": "Kiểm tra việc niêm yết công khai thủ tục hành chính",
            "lead": "Công chức Tư pháp - Hộ tịch",
            "deadline": "Tháng 10/2024",
            "note": "Kết hợp kiểm tra định kỳ",
        }),
        ("II", "KIỂM TRA", "2", 2, {
            "row_no": "2",
            "task": "Tổng hợp, báo cáo kết quả",
            "lead": "Văn phòng HĐND-UBND",
            "deadline": "Trước ngày 15/12/2024",
            "note": "",
        }),
    ]
    split_row = table.rows[2]
    assert lines[split_row.line_end - 1] == "tải trên Trang thông tin điện tử"
    assert all(v not in {"12", "13"} for r in table.rows for v in r.cells.values())


def test_form_feeds_count_pages_of_headerless_table() -> None:
    lines = _lines("000")
    base = extract_appendix(lines)[0]
    assert {r.page for r in base.rows} == {None}  # no header, no page numbers: pages unknown
    with_ff = list(lines)
    for n in (706, 871, 1487):  # page starts of the PDF (rows 4, group II, row 33)
        with_ff[n - 1] = "\f" + with_ff[n - 1]
    (table,) = extract_appendix(with_ff)
    pages = [r.page for r in table.rows]
    assert pages[:4] == [1, 1, 1, 2] and pages[8] == 3 and pages[-1] == 4
    assert [r.cells for r in table.rows] == [r.cells for r in base.rows]


def test_table_followed_by_body_text() -> None:
    # Move 002's appendix (lines 477-1289) in front of its closing sections (lines 381-476):
    # the region must end where the full-width prose resumes, with the same rows.
    lines = _lines("002")
    moved = lines[:380] + lines[476:] + lines[380:476]
    (table,) = extract_appendix(moved)
    assert [r.cells for r in table.rows] == [r.cells for r in extract_appendix(lines)[0].rows]
    assert moved[table.rows[-1].line_end - 1].strip() == "Thường xuyên"


def test_inputs_are_not_modified_and_results_repeatable() -> None:
    lines = _lines("002")
    before = list(lines)
    a = extract_appendix(lines)
    b = extract_appendix(tuple(lines))
    assert lines == before and a == b


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "",
                " ",
                "STT\tNỘI DUNG\tCƠ QUAN CHỦ TRÌ\tTHỜI GIAN",
                "TT Nội dung, nhiệm vụ  Sản phẩm",
                "Cơ quan",
                "chủ trì",
                "Thời gian",
                "Ghi chú",
                "I CẢI CÁCH THỂ CHẾ",
                "II",
                "1",
                "20",
                "7 Sáng kiến giải pháp",
                "2.1. Nhiệm vụ 1:",
                "1.1. Mục tiêu 1:",
                "3.1: Hoạt động 1:",
                "Văn phòng HĐND-",
                "UBND xã",
                "chuyên môn Thường xuyên",
                "Năm 2021-2025 Theo quy",
                "5 | Thuc hien | Phong Kinh te 2026 - 2030 | Bao cao",
                "Nơi nhận:",
                "- Lưu: VT.",
                "CHỦ TỊCH",
                "Nguyễn Văn A",
                "PHỤ LỤC",
                "\t\t\t",
                "Kế hoạch\tVăn phòng",
            ]
        ),
        max_size=60,
    )
)
def test_never_raises_on_odd_input(lines: list[str]) -> None:
    tables = _extract(lines)  # the private entry point: exceptions would surface here
    for t in tables:
        assert t.rows
        for r in t.rows:
            assert set(r.cells) == set(t.columns)
            assert 1 <= r.line_start <= r.line_end <= len(lines)
