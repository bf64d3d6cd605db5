"""Tests for extractors.appendix.grid: appendix rows from tables with structure."""

from __future__ import annotations

import pytest

from extractors.appendix import extract_appendix
from extractors.appendix.grid import appendix_from_tables
from extractors.text_dump import document_from_text
from fixture_docs import COLUMNS, build_docx, build_text_dump, cell_agreement, extract_file, plan_from_sample
from pipeline.model import Cell, Document, Page, Table


@pytest.fixture(scope="module")
def plan():
    return plan_from_sample()


def _doc(*tables: Table) -> Document:
    pages = {}
    for t in tables:
        pages.setdefault(t.page, []).append(t)
    return Document("x", "0", "pdf", tuple(Page(n, "text_layer", (), tuple(ts)) for n, ts in sorted(pages.items())))


def _table(rows: list[list[object]], page: int = 1, line0: int = 1) -> Table:
    """Cells from a row list; a (text, row_span) tuple spans rows, (text, row_span, col_span)
    also columns; None = covered by a span."""
    cells = []
    n = line0
    for r, row in enumerate(rows):
        c = 0
        for v in row:
            if v is None:
                c += 1
                continue
            text, span, wide = (v, 1, 1) if isinstance(v, str) else (*v, 1)[:3]
            ls = le = None
            if text:
                ls = le = n
                n += 1
            cells.append(Cell(r, c, text, row_span=span, col_span=wide, line_start=ls, line_end=le))
            c += wide
    return Table(tuple(cells), page=page)


HEAD = ["TT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Thời gian"]


def test_docx_rows_match_the_plan_exactly(plan, tmp_path):
    doc = extract_file(build_docx(plan, tmp_path / "plan.docx"))
    (table,) = appendix_from_tables(doc)
    assert table.columns == COLUMNS
    assert [(r.group_no, r.group_title) for r in table.rows] == [(r.group_no, r.group_title) for r in plan.rows]
    assert [r.cells for r in table.rows] == [r.cells for r in plan.rows]
    texts = doc.texts()
    for row in table.rows:
        band = " ".join(texts[row.line_start - 1: row.line_end])
        assert row.cells["activity"].split()[0] in band
        assert row.page == 1 and row.bbox is None
    assert texts[table.header_line - 1] == "TT"


def test_text_dump_of_the_same_plan_agrees(plan):
    doc = document_from_text(build_text_dump(plan), path="d.txt", sha256="0", source_format="text")
    (table,) = extract_appendix(doc.texts())
    assert cell_agreement(table.rows, plan.rows) == 1.0


def test_no_appendix_header_gives_nothing():
    t = _table([["Họ và tên", "Chức vụ", "Ghi chú"], ["Nguyễn Văn A", "Chủ tịch", ""]])
    assert appendix_from_tables(_doc(t)) == []
    assert appendix_from_tables(Document("x", "0", "pdf", ())) == []


def test_two_row_header_numbering_row_and_group_rows():
    t = _table([
        ["TT", "Nội dung", ("Cơ quan thực hiện", 1), "", "Thời gian"],
        ["", "", "Chủ trì", "Phối hợp", ""],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["I", "Cải cách thể chế", None, None, None],
        ["1", "Rà soát văn bản", "Tư pháp", "Văn phòng", "Quý I"],
        ["l", "Kiểm tra văn bản", "Tư pháp", "", "Năm 2022"],
        ["H", "Cải cách thủ tục hành chính", None, None, None],
        ["1", "Công khai TTHC", "Văn phòng", "", "Hàng tháng"],
    ])
    # The group rows' titles span the rest of the row.
    cells = [c if not (c.row in (3, 6) and c.col == 1) else Cell(c.row, 1, c.text, col_span=4,
                                                                   line_start=c.line_start, line_end=c.line_end)
             for c in t.cells]
    (table,) = appendix_from_tables(_doc(Table(tuple(cells), page=1)))
    assert table.columns == ("row_no", "task", "lead", "support", "deadline")
    got = [(r.group_no, r.row_no, r.cells["task"], r.cells["lead"], r.cells["support"]) for r in table.rows]
    assert got == [
        ("I", "1", "Rà soát văn bản", "Tư pháp", "Văn phòng"),
        ("I", "1", "Kiểm tra văn bản", "Tư pháp", ""),  # OCR "l" read as the number 1
        ("II", "1", "Công khai TTHC", "Văn phòng", ""),  # OCR "H" after group I is group II
    ]


def test_continued_table_split_row_and_merged_cell_carry():
    p1 = _table([
        ["TT", "Mục tiêu", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
        ["1", ("1.1. Mục tiêu 1: Xây dựng hệ thống", 2), "2.1. Nhiệm vụ 1: Rà soát", "Tư pháp", "Năm 2021"],
        ["2", None, "2.2. Nhiệm vụ 2: Kiểm tra văn bản quy", "Văn phòng", "Năm"],
    ], page=1, line0=1)
    p2 = _table([
        ["TT", "Mục tiêu", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
        ["", ("văn bản đồng bộ.", 2), "phạm pháp luật", "", "2022"],
        ["3", None, "2.3. Nhiệm vụ 3: Theo dõi", "Tư pháp", "Hàng năm"],
    ], page=2, line0=20)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert [r.row_no for r in table.rows] == ["1", "2", "3"]
    objective = "1.1. Mục tiêu 1: Xây dựng hệ thống văn bản đồng bộ."
    assert [r.cells["objective"] for r in table.rows] == [objective] * 3
    assert table.rows[1].cells["task"] == "2.2. Nhiệm vụ 2: Kiểm tra văn bản quy phạm pháp luật"
    assert table.rows[1].cells["deadline"] == "Năm 2022"
    assert (table.rows[1].page, table.rows[1].line_start) == (1, 11)  # lines 1-5 header, 6-10 row 1
    assert table.rows[1].line_end >= 20  # the continuation's lines belong to the row


@pytest.mark.parametrize("end, items", [
    (":", ["- Đăng tải trên Trang thông tin điện tử của xã;", "- Thông báo trên hệ thống loa truyền thanh;"]),
    (":", ["+ Niêm yết công khai tại Bộ phận Một cửa."]),
    (";", ["- Lồng ghép trong các buổi họp thôn."]),
    ("", ["• Báo cáo UBND huyện theo định kỳ."]),
])
@pytest.mark.parametrize("repeat", [True, False])
def test_a_merged_task_cell_goes_on_with_list_items_across_a_page_break(end, items, repeat):
    """A merged Nhiệm vụ cell that ends a page announcing a list ("... doanh nghiệp:") goes on
    with the list items the next page prints in it, beside numbered rows: every row it spans
    holds the whole text."""
    head = ["TT", "Nhiệm vụ", "Hoạt động", "Cơ quan chủ trì", "Thời gian"]
    task = "Quản lý, sử dụng tài sản công đúng quy định nhằm nâng cao chất lượng" + end
    p1 = _table([head, ["1", "Rà soát văn bản.", "Ban hành kế hoạch", "Tư pháp", "Năm 2025"],
                 ["2", task, "Phát phiếu khảo sát", "Văn phòng", "Hàng năm"]], page=1)
    rest = [["3", ("\n".join(items), 2), "Lấy ý kiến của người dân", "UBND xã", "Hàng năm"],
            ["4", None, "Niêm yết công khai tại trụ sở", "Công an xã", "Năm 2025"]]
    p2 = _table(([head] if repeat else []) + rest, page=2, line0=30)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert [r.row_no for r in table.rows] == ["1", "2", "3", "4"]
    whole = task + " " + " ".join(items)
    assert [r.cells["task"] for r in table.rows[1:]] == [whole] * 3
    # a task cell of its own opens a new task
    p3 = _table(([head] if repeat else []) + [["3", "Kiểm tra hồ sơ.", "Lấy ý kiến", "UBND xã", "Hàng năm"]],
                page=2, line0=30)
    (table,) = appendix_from_tables(_doc(p1, p3))
    assert table.rows[2].cells["task"] == "Kiểm tra hồ sơ."


def test_unnumbered_row_at_page_top_is_not_joined():
    p1 = _table([HEAD, ["1", "Rà soát văn bản.", "Kế hoạch", "Tư pháp", "Năm 2021"]], page=1)
    p2 = _table([HEAD, ["", "2.3. Nhiệm vụ 3: Tham gia", "Báo cáo", "Tư pháp", "Hàng năm"]], page=2, line0=30)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert [r.cells["task"] for r in table.rows] == ["Rà soát văn bản.", "2.3. Nhiệm vụ 3: Tham gia"]


NO_TT = ["Nhiệm vụ", "Hoạt động", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]


@pytest.mark.parametrize("rest, joined", [
    # every cell of the page's first row goes on in lower case: the rest of the row the break cut
    (["tuyến toàn trình", "dân, tổ chức", "kê", "thể xã", ""], True),
    # a cell opening upper-case: a row of its own
    (["Số hóa hồ sơ", "dân, tổ chức", "kê", "thể xã", ""], False),
])
def test_a_row_the_page_break_split_joins_back_without_row_numbers(rest, joined):
    p1 = _table([NO_TT,
                 ["Rà soát thủ tục", "Tổ chức hội nghị", "Công an xã", "Các thôn", "Năm 2025"],
                 ["Cung cấp dịch vụ công trực", "Lấy ý kiến của người", "Công chức Văn phòng – Thống",
                  "Các ban, ngành, đoàn", "Thường xuyên"]], page=1)
    p2 = _table([NO_TT, rest, ["Số hóa hồ sơ", "Phát phiếu khảo sát", "UBND xã", "", "Hàng quý"]],
                page=2, line0=30)
    (table,) = appendix_from_tables(_doc(p1, p2))
    if joined:
        assert len(table.rows) == 3
        assert table.rows[1].cells["lead"] == "Công chức Văn phòng – Thống kê"
        assert table.rows[1].cells["task"] == "Cung cấp dịch vụ công trực tuyến toàn trình"
        assert table.rows[1].cells["support"] == "Các ban, ngành, đoàn thể xã"
    else:
        assert len(table.rows) == 4


@pytest.mark.parametrize("lead_above, lead_rest, joined", [
    ("Công chức Văn phòng –", "Thống kê", True),  # under a name left open on a dash
    ("Công chức Tư pháp, Văn phòng,", "Công an xã", True),  # on a comma
    ("Văn phòng", "HĐND-UBND xã", True),  # half a body's name
    ("Công an xã", "Công chức Văn phòng – Thống kê", False),  # a whole name above: a row of its own
])
def test_a_cell_opening_upper_case_under_an_open_text_goes_on_across_the_break(lead_above, lead_rest, joined):
    p1 = _table([NO_TT,
                 ["Rà soát thủ tục", "Tổ chức hội nghị", "Công an xã", "Các thôn", "Năm 2025"],
                 ["Cung cấp dịch vụ công trực", "Lấy ý kiến của người", lead_above, "Các ban, ngành, đoàn",
                  "Thường xuyên"]], page=1)
    p2 = _table([NO_TT, ["tuyến toàn trình", "dân, tổ chức", lead_rest, "thể xã", ""],
                 ["Số hóa hồ sơ", "Phát phiếu khảo sát", "UBND xã", "", "Hàng quý"]], page=2, line0=30)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert len(table.rows) == (3 if joined else 4)
    if joined:
        assert table.rows[1].cells["lead"] == f"{lead_above} {lead_rest}"
        assert table.rows[1].cells["task"] == "Cung cấp dịch vụ công trực tuyến toàn trình"


@pytest.mark.parametrize("tt", [True, False])
def test_list_items_alone_at_a_page_top_go_on_the_list_the_break_cut(tt):
    head = (["TT"] if tt else []) + ["Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]
    no = (lambda n: [n]) if tt else (lambda n: [])
    p1 = _table([head, no("1") + ["Rà soát thủ tục hành chính:", "Công an xã", "Năm 2025"],
                 no("2") + ["Kiểm tra việc thực hiện: - Lồng ghép trong các buổi họp thôn;", "UBND xã", "Hàng quý"]],
                page=1)
    p2 = _table([head, no("") + ["- Niêm yết công khai tại Bộ phận Một cửa;", "", ""],
                 no("3") + ["Số hóa hồ sơ", "UBND xã", "Quý I/2025"]], page=2, line0=30)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert [r.cells["task"] for r in table.rows] == [
        "Rà soát thủ tục hành chính:",
        "Kiểm tra việc thực hiện: - Lồng ghép trong các buổi họp thôn; - Niêm yết công khai tại Bộ phận Một cửa;",
        "Số hóa hồ sơ"]


def test_repeated_header_with_a_misread_cell_continues_the_table():
    # OCR read the repeated "TT" of page 2 as "IEE": the page still continues the table.
    p1 = _table([HEAD, ["1", "Rà soát văn bản.", "Kế hoạch", "Tư pháp", "Năm 2021"]], page=1)
    p2 = _table([["IEE", *HEAD[1:]], ["2", "Kiểm tra văn bản.", "Báo cáo", "Tư pháp", "Hàng năm"]], page=2, line0=30)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert [r.row_no for r in table.rows] == ["1", "2"]
    # A header naming other columns starts a new table.
    p3 = _table([["TT", "Nội dung", "Kinh phí", "Ghi chú", "Thời gian"], ["1", "Tập huấn.", "10", "", "Quý I"]],
                page=3, line0=60)
    assert len(appendix_from_tables(_doc(p1, p2, p3))) == 2


def test_unreadable_row_number_takes_the_one_the_sequence_leaves_out():
    rows = [HEAD]
    for no in ("9", "10", "H1", "12", "", "14", "§", "lÍ"):
        rows.append([no, f"Nhiệm vụ {no or 'không số'}.", "Kế hoạch", "Văn phòng", "Hàng năm"])
    (table,) = appendix_from_tables(_doc(_table(rows)))
    # "H1" between 10 and 12 is 11; an empty TT cell stays unnumbered (plans leave rows without
    # a number); "§" and "lÍ" read as 8 and 11 by their look-alike digits, and a number read is
    # never overridden by the sequence.
    assert [r.row_no for r in table.rows] == ["9", "10", "11", "12", None, "14", "8", "11"]
    assert table.rows[2].cells["row_no"] == "11"
    first = [HEAD, ["#", "Rà soát.", "", "", ""], ["2", "Kiểm tra.", "", "", ""]]
    (table,) = appendix_from_tables(_doc(_table(first)))
    assert [r.row_no for r in table.rows] == ["1", "2"]


def test_group_row_numeral_misread_beyond_recognition():
    t = _table([
        HEAD,
        ["I", "Cải cách thể chế", None, None, None],
        ["1", "Rà soát văn bản.", "Kế hoạch", "Tư pháp", "Năm 2021"],
        ["lÍ", "Cải cách thủ tục hành chính", None, None, None],
        ["1", "Công khai TTHC.", "Kế hoạch", "Văn phòng", "Hàng tháng"],
    ])
    cells = [Cell(c.row, 1, c.text, col_span=4, line_start=c.line_start, line_end=c.line_end)
             if c.row in (1, 3) and c.col == 1 else c for c in t.cells]
    (table,) = appendix_from_tables(_doc(Table(tuple(cells), page=1)))
    assert [(r.group_no, r.group_title, r.row_no) for r in table.rows] == [
        ("I", "Cải cách thể chế", "1"), ("II", "Cải cách thủ tục hành chính", "1")]


@pytest.mark.parametrize("left, right", [("Cơ quan, đơn v..", "thực hiện"), ("Cơ quan, đơn vị", "thực hiện"),
                                         ("Đơn vị", "chủ trì")])
def test_a_header_cell_cut_in_two_by_ocr_names_its_column(left, right):
    """OCR imagines a ruling inside a header cell; the body cells span both halves."""
    table = _table([
        ["TT", "Nhiệm vụ", left, right, "Thời gian"],
        ["1", "Rà soát văn bản", ("UBND xã", 1, 2), "Năm 2025"],
        ["2", "Công khai thủ tục", ("Công an xã", 1, 2), "Hàng quý"],
    ])
    (t,) = appendix_from_tables(_doc(table))
    assert t.columns == ("row_no", "task", "lead", "deadline")
    assert [r.cells["lead"] for r in t.rows] == ["UBND xã", "Công an xã"]


def test_a_header_cell_wrapped_over_two_header_rows_names_its_column():
    table = _table([
        ["TT", "Nhiệm vụ", "Cơ quan, đơn v..", "Thời gian"],
        ["", "", "thực hiện", "hoàn thành"],
        ["1", "Rà soát văn bản", "UBND xã", "Năm 2025"],
    ])
    (t,) = appendix_from_tables(_doc(table))
    assert "lead" in t.columns and t.rows[0].cells["lead"] == "UBND xã"


@pytest.mark.parametrize("missing", [2, 3])
def test_a_header_cell_a_stamp_hid_on_the_first_page_is_named_by_the_repeated_header(missing):
    """A stamp over the first page's "Cơ quan chủ trì" (or "Thời gian") header cell: the
    table's repeated header on the next page names the column, and the first page's cells of
    that column are read too, not dropped."""
    head = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian", "Cơ quan phối hợp"]
    hidden = [("" if c == missing else h) for c, h in enumerate(head)]
    p1 = _table([hidden, ["1", "Rà soát văn bản.", "Tư pháp", "Năm 2025", "Công an xã"],
                 ["2", "Công khai thủ tục.", "Văn phòng", "Hàng quý", "Các thôn"]], page=1)
    p2 = _table([head, ["3", "Kiểm tra văn bản.", "Địa chính", "Quý II", "Các ban"]], page=2, line0=40)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert table.columns == ("row_no", "task", "lead", "deadline", "support")
    role = table.columns[missing]
    assert [r.cells[role] for r in table.rows] == [
        ["Tư pháp", "Văn phòng", "Địa chính"], ["Năm 2025", "Hàng quý", "Quý II"]][missing - 2]
    # A next table whose header names the column otherwise is no repeat: nothing is borrowed.
    other = _table([["TT", "Nội dung", "Kinh phí", "Ghi chú", "Sản phẩm"], ["1", "Tập huấn.", "10", "", "Báo cáo"]],
                   page=2, line0=40)
    (first, _second) = appendix_from_tables(_doc(p1, other))
    assert role not in first.columns


@pytest.mark.parametrize("hidden", ["", "Đơn vị chủ", "⁄ ~ ."])
def test_a_column_whose_header_cannot_be_read_is_named_by_its_cells(hidden):
    """A header cell under a stamp, or cut short, names no column; a column of responsible
    bodies is then the lead column (the support column when the table has a lead one on
    its left), one of dates and recurrences the deadline column, one of documents the product
    column, one of funds the budget column."""
    bodies = ["Công chức Tư pháp – Hộ tịch", "UBND xã", "Văn phòng HĐND-UBND xã", "Công an xã"]
    dates = ["Quý II/2025", "Hàng năm", "Trước 30/6/2025", "Thường xuyên"]
    rows = [["TT", "Nhiệm vụ", hidden, "Thời gian hoàn thành"]]
    rows += [[str(n + 1), f"Rà soát văn bản đợt {n + 1}.", b, d] for n, (b, d) in enumerate(zip(bodies, dates))]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert t.columns == ("row_no", "task", "lead", "deadline")
    assert [r.cells["lead"] for r in t.rows] == bodies
    support = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", hidden, "Thời gian"]]
    support += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", "Công an xã", b, d] for n, (b, d) in enumerate(zip(bodies, dates))]
    (t,) = appendix_from_tables(_doc(_table(support)))
    assert t.columns == ("row_no", "task", "lead", "support", "deadline")
    deadline = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", hidden]]
    deadline += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", b, d] for n, (b, d) in enumerate(zip(bodies, dates))]
    (t,) = appendix_from_tables(_doc(_table(deadline)))
    assert t.columns == ("row_no", "task", "lead", "deadline") and t.rows[1].cells["deadline"] == "Hàng năm"
    # A column of other text stays unnamed, and so does one of bodies when lead and support
    # are both named.
    notes = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", hidden]]
    notes += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", b, "đã ban hành kế hoạch"] for n, b in enumerate(bodies)]
    (t,) = appendix_from_tables(_doc(_table(notes)))
    assert t.columns == ("row_no", "task", "lead")
    # documents make the product column, their words glued as OCR glues a narrow cell's, and
    # funds the budget column
    docs = ["Kếhoạch được ban hành", "Quyết định công bố", "Báo cáo kết quả", "Quychế làm việc"]
    funds = ["Ngân sách xã", "Theo quy định", "Ngânsách nhà nước", "Nguồn xã hội hóa"]
    products = [["TT", "Nhiệm vụ", hidden, "Cơ quan chủ trì", "Kinh phí"]]
    products += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", p, b, f] for n, (p, b, f) in enumerate(zip(docs, bodies, funds))]
    (t,) = appendix_from_tables(_doc(_table(products)))
    assert t.columns == ("row_no", "task", "product", "lead", "budget")
    assert [r.cells["product"] for r in t.rows] == docs
    budget = [["TT", "Nhiệm vụ", "Cơ quan chủ trì", hidden]]
    budget += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", b, f] for n, (b, f) in enumerate(zip(bodies, funds))]
    (t,) = appendix_from_tables(_doc(_table(budget)))
    assert t.columns == ("row_no", "task", "lead", "budget")


@pytest.mark.parametrize("hidden", ["", "⁄ ~ .", "Xyz qwv"])
@pytest.mark.parametrize("shape, role", [
    (["TT", None, "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"], "objective"),
    (["TT", "Nhiệm vụ", None, "Sản phẩm", "Cơ quan chủ trì"], "activity"),
    (["TT", "Mục tiêu", None, "Cơ quan chủ trì", "Thời gian"], "task"),
    (["TT", None, "Hoạt động", "Cơ quan chủ trì", "Thời gian"], "task"),
])
def test_a_column_of_sentences_whose_header_cannot_be_read_is_named_by_where_it_stands(hidden, shape, role):
    """Plans print Mục tiêu | Nhiệm vụ | Hoạt động in that order left of the typed columns: an
    unnamed column of sentences takes the outline role its place leaves open."""
    sentences = ["Nâng cao chất lượng giải quyết thủ tục hành chính", "Tăng cường kỷ luật, kỷ cương hành chính",
                 "Rà soát, hệ thống hóa văn bản quy phạm pháp luật"]
    fill = {"TT": lambda n: str(n + 1), "Nhiệm vụ": lambda n: f"Kiểm tra hồ sơ đợt {n + 1}",
            "Mục tiêu": lambda n: f"Mục tiêu số {n + 1} của xã", "Sản phẩm": lambda n: "Báo cáo",
            "Hoạt động": lambda n: f"Tổ chức hội nghị đợt {n + 1}",
            "Cơ quan chủ trì": lambda n: "UBND xã", "Thời gian": lambda n: "Năm 2025"}
    rows = [[hidden if h is None else h for h in shape]]
    rows += [[sentences[n] if h is None else fill[h](n) for h in shape] for n in range(3)]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert role in t.columns and not t.unnamed
    assert [r.cells[role] for r in t.rows] == sentences
    # short labels there are no sentences: the column stays unnamed
    rows = [rows[0]] + [[("Có" if h is None else c) for h, c in zip(shape, row)] for row in rows[1:]]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert role not in t.columns


@pytest.mark.parametrize("glued", [
    ["Côngchức Tưpháp - Hộ tịch", "Trưởng các thôn", "Côngchức Văn phòng", "Vănphòng HĐND-UBND xã"],
    ["CácCơ quan liên quan", "Côngan xã", "UBND xã", "Bộphận Một cửa"],
])
def test_a_support_column_of_glued_body_names_under_a_hidden_header_is_named(glued):
    """OCR glues the words of a narrow cell ("Côngchức Tưpháp"); a column of such names under a
    header a stamp hid is still the support column right of the lead one."""
    rows = [["STT", "Nội dung", "Đơn vị chủ trì", "", "Thời hạn hoàn thành"]]
    rows += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", "Công an xã", b, "Hàng năm"] for n, b in enumerate(glued)]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert t.columns == ("row_no", "task", "lead", "support", "deadline")
    assert [r.cells["support"] for r in t.rows] == glued
    # glued task text in an unnamed column is no body's name
    tasks = [["STT", "Nội dung", "Đơn vị chủ trì", "", "Thời hạn"]]
    tasks += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", "Công an xã", w, "Hàng năm"] for n, w in
              enumerate(["Banhành kế hoạch", "Rà soátvăn bản", "Tổchức hội nghị", "Kiểmtra hồ sơ"])]
    (t,) = appendix_from_tables(_doc(_table(tasks)))
    assert "support" not in t.columns


@pytest.mark.parametrize("ruling", [" I ", " l ", " | ", " 1 ", "\n", ", ", " "])
@pytest.mark.parametrize("pair, roles", [
    (("Cơ quan chủ trì", "Cơ quan phối hợp"), ("lead", "support")),
    (("Đơn vị chủ trì", "Thời hạn hoàn thành"), ("lead", "deadline")),
    (("Sản phẩm đầu ra", "Kinh phí"), ("product", "budget")),
])
@pytest.mark.parametrize("spanned", [True, False])
def test_a_header_cell_over_two_columns_names_both(pair, roles, ruling, spanned):
    """A stamp or a faint ruling hid the line between two header cells: OCR read them as one
    cell over both grid columns (the ruling as a stray "I"), or as one cell beside an empty
    one. Its words tile into the two roles, each column takes its own."""
    head = pair[0] + ruling + pair[1]
    top = ["TT", "Nhiệm vụ", (head, 1, 2)] if spanned else ["TT", "Nhiệm vụ", head, ""]
    rows = [top, ["1", "Rà soát văn bản.", "Công an xã", "Văn phòng"], ["2", "Kiểm tra hồ sơ.", "UBND xã", "Các thôn"]]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert t.columns == ("row_no", "task") + roles
    assert [r.cells[roles[1]] for r in t.rows] == ["Văn phòng", "Các thôn"]


@pytest.mark.parametrize("head", ["Cơ quan chủ trì Mã số phối hợp", "Cơ quan chủ trì"])
def test_a_wide_header_cell_of_one_role_or_other_words_is_not_split(head):
    """One role over two columns, or words no header has, give no second column."""
    rows = [["TT", "Nhiệm vụ", (head, 1, 2)], ["1", "Rà soát văn bản.", "Công an xã", "Văn phòng"],
            ["2", "Kiểm tra hồ sơ.", "UBND xã", "Các thôn"]]
    tables = appendix_from_tables(_doc(_table(rows)))
    assert all("support" not in t.columns for t in tables)


def test_a_column_with_text_that_names_nothing_is_reported(tmp_path):
    """A printed column whose header names no known column and whose cells name none either
    (a wording nobody listed) is kept out of the rows and named in the table's ``unnamed``;
    the document says so in an error item and is ``partial``."""
    rows = [["TT", "Nhiệm vụ", "Mức độ ưu tiên", "Cơ quan chủ trì", "Thời gian"]]
    rows += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", level, "Công an xã", "Năm 2025"]
             for n, level in enumerate(["Cao", "Thấp", "Trung bình"])]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert t.columns == ("row_no", "task", "lead", "deadline") and t.unnamed == ("Mức độ ưu tiên",)
    # an empty column that names nothing is no loss
    empty = [["TT", "Nhiệm vụ", "Mức độ ưu tiên", "Cơ quan chủ trì", "Thời gian"]]
    empty += [[str(n + 1), f"Kiểm tra đợt {n + 1}.", "", "Công an xã", "Năm 2025"] for n in range(3)]
    (t,) = appendix_from_tables(_doc(_table(empty)))
    assert t.unnamed == ()
    from docx import Document as Docx
    from pipeline.config import Config
    from pipeline.run import process_document

    d = Docx()
    d.add_paragraph("PHỤ LỤC")
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.save(tmp_path / "plan.docx")
    res = process_document(tmp_path / "plan.docx", Config(workers=1))
    assert res.status == "partial"
    assert any(e.category == "unnamed_column" and "Mức độ ưu tiên" in e.message for e in res.errors)


def test_a_repeated_header_with_two_cells_under_a_stamp_continues_the_table():
    head = ["TT", "Nhiệm vụ", "Hoạt động", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"]
    p1 = _table([head, ["1", "Rà soát văn bản.", "Lập danh mục.", "Tư pháp", "Các thôn", "Năm 2025"]], page=1)
    stamped = ["TT", "Nhiệm vụ", "Hoạt động", "ÂCô ⁄", "~ hợp /", "Thời gian"]
    p2 = _table([stamped, ["2", "Kiểm tra văn bản.", "Báo cáo.", "Văn phòng", "Công an xã", "Hàng quý"]],
                page=2, line0=40)
    (table,) = appendix_from_tables(_doc(p1, p2))
    assert [(r.cells["lead"], r.cells["support"]) for r in table.rows] == [("Tư pháp", "Các thôn"),
                                                                          ("Văn phòng", "Công an xã")]


_SPECKS = ["j", ",", "⁄", "Z4 ' \"", "l|", "~ .", "N"]


@pytest.mark.parametrize("where", ["above", "below"])
@pytest.mark.parametrize("speck", _SPECKS)
@pytest.mark.parametrize("head", [
    ["TT", "Nội dung", "Cơ quan, đơn vị thực hiện", "Thời gian hoàn\nthành", "Ghi chú"],
    ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"],
    ["TT", "Tên nhiệm vụ", "Sản phẩm đầu ra", "Cơ quan chủ trì", "Tiến độ"],
])
def test_a_header_cell_with_a_stamp_stroke_read_as_a_letter_names_its_column(head, speck, where):
    """A stamp or a signature crossing a header cell leaves a stray letter or two on a line of
    its own ("j" over "Nội dung"); the cell still names its column, whichever it is."""
    from extractors.column_roles import header_role

    want = tuple(header_role(h) for h in head)
    for k in range(1, len(head)):
        marked = list(head)
        marked[k] = f"{speck}\n{head[k]}" if where == "above" else f"{head[k]}\n{speck}"
        rows = [marked] + [[str(n), f"Rà soát văn bản đợt {n}.", "UBND xã", "Công an xã", "Năm 2025"]
                           for n in range(1, 4)]
        (t,) = appendix_from_tables(_doc(_table(rows)))
        assert t.columns == want, (k, marked[k])


@pytest.mark.parametrize("text", ["ab\ncd", "Rà soát văn bản\nj", "j\nx", "Năm 2025\nj"])
def test_a_cell_that_names_nothing_stays_unnamed_without_its_specks(text):
    from extractors.column_roles import header_role

    assert header_role(text) is None


def _grouped(tt_head: str, numerals: list[str], spanning: bool = True) -> Table:
    """A table with group rows ``numerals`` (as OCR read them), two numbered rows under each."""
    rows: list[list[object]] = [[tt_head, *HEAD[1:]]]
    n = 0
    for g, numeral in enumerate(numerals):
        if spanning:
            rows.append([numeral, (f"Lĩnh vực cải cách số {g + 1}", 1, 4), None, None, None])
        else:
            rows.append([(f"{numeral}. Lĩnh vực cải cách số {g + 1}", 1, 5), None, None, None, None])
        for _ in range(2):
            n += 1
            rows.append([str(n), f"Rà soát văn bản đợt {n}.", "Kế hoạch", "Công an xã", "Năm 2025"])
    return _table(rows)


@pytest.mark.parametrize("tt_head", ["ý\nBI", "", "⁄ ~", "IEE"])
def test_a_tt_column_whose_header_ocr_lost_is_named_by_its_numbers(tt_head):
    """A bold "TT" OCR read as "ý BI" (or not at all): the first column holds row numbers and
    group numerals, so it is the TT column, and its group rows are read."""
    (t,) = appendix_from_tables(_doc(_grouped(tt_head, ["I", "II", "III"])))
    assert t.columns[0] == "row_no"
    assert [(r.group_no, r.row_no) for r in t.rows] == [
        ("I", "1"), ("I", "2"), ("II", "3"), ("II", "4"), ("III", "5"), ("III", "6")]
    # a first column of other text stays unnamed
    rows = [["", *HEAD[1:]]] + [[f"Đợt {n}", f"Rà soát văn bản đợt {n}.", "Kế hoạch", "Công an xã", "Năm 2025"]
                                for n in range(1, 5)]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert "row_no" not in t.columns


@pytest.mark.parametrize("spanning", [True, False])
@pytest.mark.parametrize("read, want", [
    (["I", "II", "II", "IV"], ["I", "II", "III", "IV"]),    # "III" lost a stroke
    (["I", "II", "III", "IV", "V", "V", "VII"], ["I", "II", "III", "IV", "V", "VI", "VII"]),
    (["I", "I", "III"], ["I", "II", "III"]),
    (["I", "II", "IV"], ["I", "II", "IV"]),                 # a group left out stays as printed
])
def test_a_group_numeral_read_again_is_the_next_one(read, want, spanning):
    """Group numerals never repeat in a table: a numeral read again that is the next one short
    of a stroke ("II" after "II") is that next one, in a TT cell or at the head of the title."""
    (t,) = appendix_from_tables(_doc(_grouped("TT", read, spanning)))
    assert [r.group_no for r in t.rows][::2] == want


def test_a_cell_over_two_columns_is_marked_joined_in_its_row():
    """A body row whose cell runs over two named columns (a column wall a scan lost) says so;
    a header cell cut in two over one column does not."""
    head = ["TT", "Nhiệm vụ", "Hoạt động", "Cơ quan chủ trì", "Thời gian"]
    rows = [head,
            ["1", "Rà soát văn bản.", "Lập danh mục.", "Tư pháp", "Năm 2025"],
            ["2", ("Kiểm tra văn bản. Báo cáo kết quả.", 1, 2), None, "Văn phòng", "Hàng quý"],
            ["3", "Công khai thủ tục.", "Niêm yết.", "Công an xã", "Quý II/2025"]]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert [r.joined for r in t.rows] == [(), ("activity",), ()]
    (t,) = appendix_from_tables(_doc(_table([
        ["TT", "Nhiệm vụ", "Cơ quan, đơn v..", "thực hiện", "Thời gian"],
        ["1", "Rà soát văn bản", ("UBND xã", 1, 2), None, "Năm 2025"],
    ])))
    assert t.rows[0].joined == ()


def test_rows_know_which_of_their_cells_span_other_rows():
    """A merged cell (or two a lost ruling ran together) is marked spanned in every row it
    covers; cells of their own with the same text are not."""
    t = _table([HEAD, ["1", ("Rà soát văn bản.", 2), "Kế hoạch", "Tư pháp", "Năm 2025"],
                ["2", None, "Báo cáo", "Công an xã", "Năm 2025"],
                ["3", "Rà soát văn bản.", "Kế hoạch", "Tư pháp", "Năm 2025"]])
    (table,) = appendix_from_tables(_doc(t))
    assert [r.spanned for r in table.rows] == [("task",), ("task",), ()]


@pytest.mark.parametrize("head", ["TT Mục tiêu", "STT\nMục tiêu", "TT | Mục tiêu", "Số TT Mục tiêu"])
def test_an_ocrd_grid_that_lost_the_wall_right_of_its_tt_column_gives_no_rows(head):
    """A scan whose ruling right of the TT column was not found reads "TT Mục tiêu" as one
    header cell, the row numbers in no column of their own: its rows cannot be told apart, and
    none is given (the pipeline counts them).  The same header from a PDF's rulings, or with
    the roles in cells of their own, is read."""
    import dataclasses as dc

    rows = [[head, "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
            ["Xây dựng đội ngũ cán bộ công chức", "Rà soát văn bản quy phạm", "UBND xã", "Năm 2025"],
            ["Nâng cao chất lượng phục vụ", "Kiểm tra hồ sơ hành chính", "Công an xã", "Quý II/2025"],
            ["Tăng cường kỷ luật hành chính", "Tổ chức hội nghị quán triệt", "Công an xã", "Năm 2025"]]

    def scanned(t: Table) -> Table:
        return dc.replace(t, cells=tuple(dc.replace(c, confidence=0.9) for c in t.cells))

    assert appendix_from_tables(_doc(scanned(_table(rows)))) == []
    assert len(appendix_from_tables(_doc(_table(rows)))[0].rows) == 3
    ok = [["TT", "Mục tiêu"] + rows[0][1:]] + [[str(n)] + r for n, r in enumerate(rows[1:], 1)]
    (t,) = appendix_from_tables(_doc(scanned(_table(ok))))
    assert [r.row_no for r in t.rows] == ["1", "2", "3"]


_AREAS = ("Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy hành chính nhà nước",
          "Cải cách chế độ công vụ")


@pytest.mark.parametrize("read", [
    ("I", "II", "III", "IV"), ("L", "II", "III", "IV"), ("I", "L", "HI", "IV"), ("L", "IL", "HIL", "lV"),
    ("I", "II", "II", "IV"), ("l", "H", "Ill", "IV"),
])
@pytest.mark.parametrize("tt", [True, False])
def test_group_numerals_ocr_bent_are_read_in_sequence(read, tt):
    """OCR reads a group row's "I" as "L", "III" as "HIL": a numeral with an L, or one bent out
    of the numerals, is the next one in sequence -- in a TT cell beside the title, and in one
    cell over the row ("IL. Cải cách ...", tables without a TT column)."""
    head = (["TT"] if tt else []) + ["Nội dung", "Cơ quan chủ trì", "Thời gian"]
    rows: list[list[object]] = [head]
    for numeral, title in zip(read, _AREAS):
        rows.append([numeral, (title, 1, 3)] if tt else [(f"{numeral}. {title}", 1, 3)])
        rows.append((["1"] if tt else []) + ["Rà soát văn bản", "UBND xã", "Năm 2025"])
    (table,) = appendix_from_tables(_doc(_table(rows)))
    assert [(r.group_no, r.group_title) for r in table.rows] == list(zip(("I", "II", "III", "IV"), _AREAS))


@pytest.mark.parametrize("text", ["U Minh Thượng là xã vùng sâu", "H Rà soát văn bản", "Hội Nông dân xã phối hợp"])
def test_a_lone_cell_opening_on_a_letter_is_no_bent_numeral(text):
    """A cell alone in its row opening on a capital letter that is no numeral's stroke and has
    no mark after it ("U Minh", a place) is no group row."""
    rows = [["Nội dung", "Cơ quan chủ trì", "Thời gian"], [("I. Cải cách thể chế", 1, 3)],
            ["Rà soát văn bản", "UBND xã", "Năm 2025"], [(text, 1, 3)], ["Kiểm tra văn bản", "Công an xã", "Năm 2025"]]
    (table,) = appendix_from_tables(_doc(_table(rows)))
    assert {r.group_no for r in table.rows} == {"I"}


GARBLED_LEAD = ("Đơnvjịchủ trì", "Cơ quanchủ", "Chủ tri", "Đơn vị chũ trì", "")


@pytest.mark.parametrize("top", ["Cơ quan thực hiện", "Trách nhiệm thực hiện", "Đơn vị thực hiện", "Phân công thực hiện"])
@pytest.mark.parametrize("lead, support", [("Chủ trì", "Phối hợp"), ("Đơn vị chủ trì", "Phốihọp"),
                                           *((g, "Phối hợp") for g in GARBLED_LEAD),
                                           ("Cơ quan chủ trì", "Phôi hơp")])
def test_a_two_level_headers_lower_cells_name_the_lead_and_support_columns(top, lead, support):
    """A top cell over the lead and support columns and their own cells below, one of them
    perhaps garbled by OCR ("Đơnvjịchủ trì") or read as nothing: the lower header row is a
    header row, and the two columns are the lead and the support column, each with its own
    cells.  (Before: a lower row with a cell naming nothing ended the header, and both
    columns were the top cell's.)"""
    rows = [[("TT", 2), ("Nhiệm vụ", 2), (top, 1, 2), ("Thời gian", 2)],
            [None, None, lead, support, None],
            ["1", "Rà soát văn bản.", "Công an xã", "Văn phòng", "Năm 2025"],
            ["2", "Kiểm tra hồ sơ.", "UBND xã", "Các thôn", "Hàng quý"]]
    (t,) = appendix_from_tables(_doc(_table(rows)))
    assert t.columns == ("row_no", "task", "lead", "support", "deadline")
    assert [(r.cells["lead"], r.cells["support"]) for r in t.rows] == [("Công an xã", "Văn phòng"),
                                                                       ("UBND xã", "Các thôn")]


def _scanned(t: Table) -> Table:
    import dataclasses as dc

    return dc.replace(t, cells=tuple(dc.replace(c, confidence=0.9) for c in t.cells))


_BODY = [["1", "Rà soát văn bản quy phạm", "Kế hoạch", "UBND xã", "Năm 2025"],
         ["2", "Kiểm tra hồ sơ hành chính", "Báo cáo", "Công an xã", "Quý II/2025"],
         ["3", "Tổ chức hội nghị quán triệt", "Biên bản", "Văn phòng HĐND-UBND xã", "Hàng năm"]]


@pytest.mark.parametrize("task, lead", [
    ("Nội việc\ndung cônế‹", "Cơ quan chủ trì"),     # lines read out of order, one word past repair
    ("Nhiệm vụ", "nx%1 chủ\ntrì /"),                 # a seal's letters beside the words
    ("dung công việc\nNội „", "Cơ quan\nchủ trì ⁄J"),
])
def test_a_scanned_header_a_seal_garbled_still_names_its_columns(task, lead):
    """On a scan, a header cell under a seal reads as its words out of order or with the ink's
    letters beside them; the table used to give no rows (no task or lead column).  The cell is
    named by the header words left in it -- on OCR'd grids only; a typed table is read as typed."""
    rows = [["TT", task, "Sản phẩm", lead, "Thời gian"], *_BODY]
    (table,) = appendix_from_tables(_doc(_scanned(_table(rows))))
    assert table.columns == ("row_no", "task", "product", "lead", "deadline")
    assert [r.cells["lead"] for r in table.rows] == ["UBND xã", "Công an xã", "Văn phòng HĐND-UBND xã"]
    if "Nội việc" in task:  # typed so, the cell is text: no task column, no table
        assert appendix_from_tables(_doc(_table(rows))) == []


def test_a_scanned_first_page_whose_header_a_seal_garbled_takes_the_repeated_header():
    """A seal over the first page's header leaves it naming too few columns (the task column's
    cell reads "4 ⁄J Tê hàmw", the lead's "TT vằn" -- misnamed from the seal's letters); the
    header repeated on the next page names them, and the first page's rows are read with it.
    Without a repeated header alike (other columns named otherwise) the page stays unread."""
    first = _table([["STT", "4 ⁄J Tê hàmw ⁄[ „", "Sản phẩm", "¬ ¡ TT vằn ,\nng", "Thời gian"], *_BODY], page=3)
    again = [[str(n)] + r[1:] for n, r in enumerate(_BODY, 4)]
    second = _table([["STT", "Tên nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Thời gian"], *again], page=4, line0=40)
    (table,) = appendix_from_tables(_doc(_scanned(first), _scanned(second)))
    assert [r.row_no for r in table.rows] == ["1", "2", "3", "4", "5", "6"]
    assert table.rows[0].cells["task"] == "Rà soát văn bản quy phạm" and table.rows[0].cells["lead"] == "UBND xã"
    other = _table([["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Sản phẩm", "Ghi chú"], *again], page=4, line0=40)
    (table,) = appendix_from_tables(_doc(_scanned(first), _scanned(other)))
    assert [r.row_no for r in table.rows] == ["4", "5", "6"]
