"""Tables printed a paragraph per line and an empty line per empty cell (LibreOffice's text
export): extractors.appendix.paragraph_lines, on generated tables of many shapes, and the dumps it
must leave to the other readers."""

from __future__ import annotations

import random

import pytest

from extractors.appendix.paragraph_lines import paragraph_line_tables

TITLE = ["ỦY BAN NHÂN DÂN", "XÃ TÂN HÒA", "Số: 12/KH-UBND", "KẾ HOẠCH", "Cải cách hành chính năm 2025",
         "PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025"]
HEADERS = {
    "row_no": ["TT", "STT"],
    "objective": ["Mục tiêu"],
    "task": ["Nội dung công việc", "Nhiệm vụ", "Tên nhiệm vụ"],
    "activity": ["Hoạt động"],
    "product": ["Sản phẩm", "Kết quả đầu ra"],
    "lead": ["Cơ quan chủ trì", "Đơn vị chủ trì", "Chủ trì thực hiện"],
    "support": ["Cơ quan phối hợp", "Đơn vị phối hợp"],
    "deadline": ["Thời gian hoàn thành", "Tiến độ", "Thời hạn hoàn thành"],
    "budget": ["Kinh phí"],
    "note": ["Ghi chú"],
}
TEXTS = {
    "objective": ["Nâng cao chất lượng phục vụ người dân, doanh nghiệp", "Tăng cường kỷ luật, kỷ cương hành chính",
                  "Đẩy mạnh ứng dụng công nghệ thông tin trong hoạt động của cơ quan hành chính"],
    "task": ["Rà soát, đơn giản hóa thủ tục hành chính", "Tuyên truyền, phổ biến các văn bản pháp luật mới",
             "Kiện toàn Bộ phận tiếp nhận và trả kết quả", "Sử dụng chữ ký số trong gửi, nhận văn bản điện tử",
             "Khảo sát mức độ hài lòng của người dân", "Cập nhật dữ liệu lên Hệ thống thông tin giải quyết thủ tục hành chính"],
    "activity": ["Tổ chức hội nghị quán triệt", "Ban hành văn bản hướng dẫn", "Kiểm tra, đôn đốc việc thực hiện",
                 "Lấy ý kiến của người dân, tổ chức"],
    "product": ["Kế hoạch", "Báo cáo", "Quyết định", "Biên bản kiểm tra", "Phiếu khảo sát"],
    "lead": ["Văn phòng HĐND-UBND xã", "Công an xã", "Công chức Tư pháp – Hộ tịch", "Bộ phận Một cửa",
             "Chủ tịch UBND xã"],
    "support": ["Các bộ phận chuyên môn", "Trưởng các thôn", "UBMTTQ và các đoàn thể", "Các công chức chuyên môn"],
    "deadline": ["Quý I/2025", "Hàng quý", "Thường xuyên", "Trước 30/6/2025", "Năm 2025", "Tháng 12/2025"],
    "budget": ["Ngân sách xã", "Nguồn kinh phí thường xuyên"],
    "note": ["Báo cáo định kỳ", "Theo hướng dẫn của cấp trên"],
}
#: a further paragraph of a cell: list items under a text cell, a second product or body
MORE = {
    "task": ["- Đăng tải trên Trang thông tin điện tử của xã;", "- Lồng ghép trong các buổi họp thôn;",
             "+ Thông báo trên hệ thống loa truyền thanh."],
    "activity": ["- Tổng hợp kết quả, báo cáo Chủ tịch UBND xã."],
    "product": ["Hồ sơ được số hóa", "Văn bản được ban hành"],
    "support": ["Các cơ quan, đơn vị liên quan"],
}
GROUPS = ["Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tài chính công", "Xây dựng chính quyền số"]


def _plan(seed: int):
    """A table drawn from ``seed``: its columns, rows (cells by role, each a list of
    paragraphs), groups, merged outline columns and how its export prints it."""
    rng = random.Random(seed)
    roles = ["row_no"] if rng.random() < 0.7 else []
    if rng.random() < 0.4:
        roles.append("objective")
    roles.append("task")
    if rng.random() < 0.4:
        roles.append("activity")
    meta = [r for r in ("product", "lead", "support", "deadline", "budget", "note") if r == "lead" or rng.random() < 0.6]
    roles += meta
    merged = {r for r in ("objective", "task") if r in roles and r != roles[-1] and rng.random() < 0.5
              and ("activity" in roles or r == "objective")}
    groups = rng.random() < 0.5
    rows, n = [], 0
    for g in range(rng.randint(1, 3) if groups else 1):
        block = []
        for k in range(rng.randint(2, 6)):
            n += 1
            cells = {}
            for r in roles:
                if r == "row_no":
                    cells[r] = [str(n)]
                    continue
                if r in ("note", "budget", "support", "product") and rng.random() < 0.25:
                    cells[r] = []
                    continue
                paras = [rng.choice(TEXTS[r])]
                if r in MORE and rng.random() < 0.3:
                    paras += rng.sample(MORE[r], rng.randint(1, len(MORE[r])))
                cells[r] = paras
            block.append(cells)
        for r in merged:  # a merged cell: its text on the first row it covers, kept over a run
            run = rng.randint(1, len(block))
            for cells in block[1:run]:
                cells[r] = list(block[0][r])
        rows.append((GROUPS[g] if groups else None, block))
    two_level = "support" in roles and roles.index("support") == roles.index("lead") + 1 and rng.random() < 0.5
    group_style = rng.choice(["numeral_title", "numeral_title_blanks"] if "row_no" in roles else ["one_cell"])
    return roles, rows, merged, two_level, group_style, rng


def _export(roles, rows, merged, two_level, group_style, rng) -> tuple[list[str], list[tuple]]:
    """The table as LibreOffice's text export prints it, and the rows kehoach should read."""
    headers = [rng.choice(HEADERS[r]) for r in roles]
    lines = TITLE + ["(Kèm theo Kế hoạch số 12/KH-UBND ngày 15/01/2025 của UBND xã Tân Hòa)"]
    if two_level:
        a = roles.index("lead")
        top = headers[:a] + ["Trách nhiệm thực hiện"] + headers[a + 2:]
        lower = [""] * len(roles)
        lower[a], lower[a + 1] = "Chủ trì", "Phối hợp"
        lines += top + lower
    else:
        lines += headers
    want = []
    for group, block in rows:
        if group is not None:
            numeral = ["I", "II", "III", "IV"][len({w[0] for w in want if w[0]})]
            if group_style == "one_cell":
                lines.append(f"{numeral}. {group}")
            else:
                lines += [numeral, group] + ([""] * (len(roles) - 2) if group_style.endswith("blanks") else [])
        else:
            numeral = None
        above: dict[str, list[str]] = {}
        for cells in block:
            for r in roles:
                if r in merged and above.get(r) == cells[r]:
                    lines.append("")  # covered by the merged cell above
                else:
                    lines += cells[r] or [""]
            above = {r: cells[r] for r in merged}
            want.append((numeral, group, tuple(" ".join(cells[r]) for r in roles)))
    lines += ["", "Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    return lines, want


@pytest.mark.parametrize("seed", range(40))
def test_generated_tables_give_their_rows(seed):
    """Tables of 3-9 columns, with or without TT, merged Mục tiêu / Nhiệm vụ cells, group rows
    printed as a numeral and a title (with or without the empty cells right of it) or in one
    cell, cells of several paragraphs (list items, two products or bodies) and two-level
    headers: every row read, each cell whole."""
    roles, rows, merged, two_level, group_style, rng = _plan(seed)
    lines, want = _export(roles, rows, merged, two_level, group_style, rng)
    tables = paragraph_line_tables(lines)
    assert len(tables) == 1, (roles, two_level, lines[:30])
    (table,) = tables
    assert table.columns == tuple(roles)
    got = [(r.group_no, r.group_title, tuple(r.cells[c] for c in roles)) for r in table.rows]
    assert got == want
    assert table.unread_rows == 0


def _lines(text: str) -> list[str]:
    return text.split("\n")


def test_rows_that_cannot_be_read_are_counted_never_shifted():
    """A row short of a cell (a line the export did not print as assumed) shifts every cell
    after it: the rows before it are read, it and the rows after it are counted as left out,
    none is read shifted."""
    lines = TITLE + ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành",
                     "1", "Rà soát thủ tục hành chính", "Công an xã", "Quý I/2025",
                     "2", "Khảo sát mức độ hài lòng", "Văn phòng HĐND-UBND xã", "Hàng năm",
                     "3", "Kiểm tra việc thực hiện", "Bộ phận Một cửa",  # the deadline line lost
                     "4", "Tuyên truyền văn bản", "Văn phòng HĐND-UBND xã", "Hàng quý",
                     "5", "Niêm yết công khai thủ tục hành chính", "Bộ phận Một cửa", "Thường xuyên"]
    (table,) = paragraph_line_tables(lines)
    assert [(r.row_no, r.cells["lead"], r.cells["deadline"]) for r in table.rows] == [
        ("1", "Công an xã", "Quý I/2025"), ("2", "Văn phòng HĐND-UBND xã", "Hàng năm")]
    assert table.unread_rows == 3


def test_header_lines_without_the_empty_cell_structure_give_no_table():
    """A dump that prints header cells a line each but its body in blocks (pdftotext without
    -layout: blank lines between blocks, cells of several rows run together) is left to the
    other readers."""
    lines = TITLE + ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành", "",
                     "1", "2", "3", "", "Rà soát thủ tục hành chính", "Kiểm tra việc thực hiện",
                     "Tuyên truyền văn bản", "", "Công an xã", "Bộ phận Một cửa", "", "Quý I/2025", "Hàng quý"]
    assert paragraph_line_tables(lines) == []


def test_the_text_after_the_table_is_no_row():
    """The lines after the last row (Nơi nhận, a signature) end the table."""
    lines = TITLE + ["TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành",
                     "1", "Rà soát thủ tục hành chính", "Công an xã", "Quý I/2025",
                     "2", "Kiểm tra việc thực hiện", "Bộ phận Một cửa", "Hàng quý",
                     "", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "CHỦ TỊCH", "Nguyễn Văn An"]
    (table,) = paragraph_line_tables(lines)
    assert [(r.row_no, r.cells["task"], r.cells["deadline"]) for r in table.rows] == [
        ("1", "Rà soát thủ tục hành chính", "Quý I/2025"), ("2", "Kiểm tra việc thực hiện", "Hàng quý")]
    assert table.rows[-1].line_end == len(TITLE) + 12


@pytest.mark.parametrize("seed", range(10))
def test_an_export_without_diacritics_gives_the_same_rows(seed):
    """The same exports stripped of their diacritics (an ASCII dump): the same rows, cell for
    cell, without diacritics."""
    from unidecode import unidecode

    roles, rows, merged, two_level, group_style, rng = _plan(seed)
    lines, want = _export(roles, rows, merged, two_level, group_style, rng)
    (table,) = paragraph_line_tables([unidecode(s) for s in lines])
    assert table.columns == tuple(roles)
    got = [(r.group_no, r.group_title, tuple(r.cells[c] for c in roles)) for r in table.rows]
    assert got == [(g, t and unidecode(t), tuple(unidecode(c) for c in cells)) for g, t, cells in want]
