"""Row-lines dumps (English-model OCR of a scanned table: one printed line holds one wrapped line of
every column's cell, columns a space or a bar apart): the cut of a line into column fragments,
the header read when OCR garbled or glued its words, the tables read from a hand-made dump, and
the rows of generated plans read by tesseract's English model, precision first."""

from __future__ import annotations

import pytest

from extractors.appendix.row_lines import line_tokens, row_line_tables, split_line, split_row
from pipeline.config import Config
from pipeline.run import process_document
from table_match import COMPARED_ROLES, appendix_rows, match_rows

ROLES = ["task", "lead", "deadline"]
WIDTHS = [34.0, 25.0, 14.0]


def cut_row(lines: list[str], roles=ROLES, widths=WIDTHS) -> list[list[str]]:
    """The lines of one row cut into column fragments."""
    cuts, _ = split_row([line_tokens(t) for t in lines], roles, widths)
    return [[" ".join(w) for w in ws] for ws, _, _ in cuts]


def test_a_rows_first_line_is_cut_where_cells_open():
    # A bar between the task and the lead, none between the lead and the deadline: the deadline
    # opens with a capital and reads as one ("Thường xuyên").
    got = cut_row(["Rà soát, đánh giá thủ tục hành chính | Văn phòng HĐND-UBND xã Thường xuyên",
                   "thuộc thẩm quyền của UBND xã"])
    assert got == [["Rà soát, đánh giá thủ tục hành chính", "Văn phòng HĐND-UBND xã", "Thường xuyên"],
                   ["thuộc thẩm quyền của UBND xã", "", ""]]


def test_a_continuation_line_is_cut_where_each_cell_goes_on():
    # The lead's first line ends on the first half of a body's name ("... Xây"), the task's
    # in mid-phrase ("về"): "tài chính" goes on the task, "dựng" on the lead.
    got = cut_row(["Triển khai thực hiện chế độ tự chủ về Công chức Địa chính — Xây Trưởng các thôn; Công",
                   "tài chính dựng chức Tư pháp — Hộ tịch"], ["task", "lead", "support"], [33.8, 25.6, 21.2])
    assert got[1] == ["tài chính", "dựng", "chức Tư pháp — Hộ tịch"]


def test_a_cell_that_closed_takes_no_more_words():
    # "Chủ tịch UBND xã" and "Quý II/2025" are whole cells: the next line is the task's.
    got = cut_row(["Tổ chức đối thoại với nhân dân về | Chủ tịch UBND xã Quý II/2025",
                   "công tác cải cách hành chính"])
    assert got[1] == ["công tác cải cách hành chính", "", ""]


def _wrapped(text: str, width: float) -> list[str]:
    """``text`` wrapped greedily at ``width`` (estimated printed width)."""
    from extractors.appendix.row_lines import _width

    lines: list[list[str]] = [[]]
    for word in text.split():
        if lines[-1] and _width(" ".join(lines[-1] + [word])) > width:
            lines.append([])
        lines[-1].append(word)
    return [" ".join(ws) for ws in lines]


def test_a_tasks_wrapped_end_stays_the_tasks_beside_a_short_cell():
    # Every task of the generated plans, bare and with a qualifier, wrapped in a task column of
    # three widths, beside one of six short product cells: the wrapped lines are the task's,
    # though a word or two of them would fit the product's column under "Danh sách" (the words
    # are judged with the word before them: "thủ tục" + "hành", not "báo" + "hành").
    import plan_shapes as ps

    roles = ["task", "product", "lead", "deadline"]
    right = total = 0
    wrong = []
    tasks = ps.TASKS + tuple(f"{t} {q}" for t, q in zip(ps.TASKS, ps.QUALIFIERS * 4))
    for width in (22.0, 26.0, 30.0):
        for task in tasks:
            lines = _wrapped(task, width)
            if len(lines) < 2:
                continue
            for product in ("Danh sách", "Thông báo", "Kế hoạch", "Báo cáo", "Quyết định", "Phiếu khảo sát"):
                got = cut_row([f"{lines[0]} {product} | UBND xã Năm 2025"] + lines[1:], roles,
                              [width, 13.0, 11.0, 10.3])
                ok = [g[0] for g in got] == lines and not any(g[1] for g in got[1:])
                right, total = right + ok, total + 1
                if not ok:
                    wrong.append((lines, [g[1] for g in got]))
    # Measured: 771 of 786 (0.939 judging each pair of words alone).
    assert total > 700 and right >= 0.97 * total, wrong[:5]


@pytest.mark.parametrize("lines, roles, widths, want", [
    # "thủ tục" + "hành chính" is the task's rest, not the product's ("Thông báo" + "hành")
    (["Số hóa hồ sơ, kết quả giải Thông báo | UBND xã Văn phòng Quý IV/2025",
      "quyết thủ tục hành chính HĐND-UBND", "xã"],
     ["task", "product", "lead", "support", "deadline"], [25.4, 11.4, 10.5, 13.8, 10.3],
     ["quyết thủ tục hành chính", "", "", "HĐND-UBND", ""]),
    (["Xây dựng và ban hành Kế hoạch | Danh sách | Công chức Các ban, ngành, | Tháng",
      "cải cách hành chính năm 2025 Địa chính— | đoàn thể xã 12/2025", "năm 2024 Xây dựng"],
     ["task", "product", "lead", "support", "deadline"], [25.4, 11.4, 10.5, 13.8, 10.3],
     ["cải cách hành chính năm 2025", "", "Địa chính—", "đoàn thể xã", "12/2025"]),
    # an activity's "... cán bộ, công" + "chức" ends there (a free-text cell, no body's name
    # cut in half), and "danh mục thủ" + "tục hành chính" is the product's
    (["Tổ chức đối thoại với nhân Tổ chức tập huấn Quyết định công | Công chức Văn | Hằng năm Theo quy",
      "dân về công tác cải cách hành | cho cán bộ, công bố danh mục thủ | phòng — Thống định",
      "chính chức tục hành chính kê"],
     ["objective", "task", "activity", "product", "lead", "deadline", "budget"],
     [18.9, 24.8, 17.1, 14.8, 13.4, 10.3, 9.5],
     ["", "chính", "chức", "tục hành chính", "kê", "", ""]),
])
def test_a_cells_rest_goes_where_its_words_go_on(lines, roles, widths, want):
    got = cut_row(lines, roles, widths)
    assert want in got, got


@pytest.mark.parametrize("task_width, bound", [(23.6, True), (21.0, True), (25.4, False), (30.0, False)])
def test_a_rows_cut_that_holds_only_for_the_widths_estimated_is_not_sure(task_width, bound):
    # The task's first line is wider than a task column estimated too narrow: so wide, the
    # column would have held "năm 2025" on the second line, which the cut gave the product.
    from types import SimpleNamespace

    from extractors.appendix.row_lines import _cut_row, _width_bound

    roles = ["task", "product", "lead", "support", "deadline"]
    widths = [task_width, 11.4, 10.5, 13.8, 10.3]
    row = SimpleNamespace(lines=[SimpleNamespace(words=w, bars=b) for w, b in map(line_tokens, [
        "Xây dựng và ban hành Kế hoạch | Danh sách | Công chức Các ban, ngành, | Tháng",
        "cải cách hành chính năm 2025 Địa chính— | đoàn thể xã 12/2025", "năm 2024 Xây dựng"])])
    cuts, _ = _cut_row(row, roles, widths, frozenset())
    right = [" ".join(ws[1]) for ws, _, _ in cuts] == ["Danh sách", "", ""]
    assert _width_bound(row, cuts, roles, widths, frozenset()) is bound
    assert right is not bound  # a cut that holds is the right one here


@pytest.mark.parametrize("activity, product, read", [
    ("Xây dựng kế hoạch triển khai", "Kế hoạch", True),
    ("Ban Chỉ huy Quân", "Kế hoạch", False),  # the lead's name cut and spread over the row
    ("Ban hành văn bản hướng dẫn", "Văn bản được ban hành", True),  # "Ban hành" begins no name
    ("Xây dựng kế hoạch triển khai", "Văn phòng HĐND-UBND xã", False),  # a body is no product
    ("Tổ chức tập huấn cho cán bộ, công chức", "Các cơ quan, đơn", False),
])
def test_a_row_with_a_bodys_name_in_a_text_column_is_not_read(activity, product, read):
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "activity", "product", "lead", "deadline"]
    cells = ["Xây dựng và ban hành Kế hoạch cải cách hành chính", activity, product, "UBND xã", "Quý IV/2025"]
    assert _row_read(cells, roles, set(), set()) is read


@pytest.mark.parametrize("note, deadline, read", [
    ("Trực 15/12/2025", "", False),  # the deadline, bent by OCR, in the note's column
    ("Quý I/2025", "", False),
    ("Tháng 12/2025", "", False),
    ("Theo hướng dẫn của cấp trên", "", True),  # a table may leave a deadline empty
    ("Báo cáo trước 15/12/2025", "Quý IV/2025", True),  # a note with a date beside the deadline
    ("Theo Nghị định số 61/2018/NĐ-CP", "", True),  # a document's number is no date
    # a note opening on a recurrence beside a whole deadline is a note; a whole deadline there,
    # or beside no deadline, is not
    ("Thường xuyên cập nhật", "Hằng quý", True),
    ("Thương xuyên cập nhật", "Quý II/2024", True),
    ("Thường xuyên cập nhật", "", False),
    ("Tháng 12/2025", "Quý I/2025", False),
    ("Thường xuyên", "Hằng quý", False),
])
def test_a_row_with_its_deadline_beside_the_deadline_column_is_not_read(note, deadline, read):
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "lead", "deadline", "note"]
    assert _row_read(["Thực hiện quy chế dân chủ ở cơ sở", "UBND xã", deadline, note], roles, set(), set()) is read


@pytest.mark.parametrize("product, read", [
    ("Tháng 12/2025", False),  # the deadline in the product's column
    ("Quý I/2025", False),
    ("Thường xuyên", False),
    ("Trước 30/6/2025", False),
    # products opening on a deadline's first word, without a date or recurrence
    ("Quy chế làm việc", True),
    ("Quy chế làm việc của xã", True),
    ("Quy trình nội bộ", True),
    ("Quyết định công bố danh mục thủ tục hành chính", True),
    ("Tháng hành động vì môi trường", True),
])
def test_a_product_is_not_read_as_a_misplaced_deadline_by_its_first_word(product, read):
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "product", "lead", "deadline"]
    cells = ["Rà soát, đánh giá thủ tục hành chính", product, "UBND xã", "Quý IV/2025"]
    assert _row_read(cells, roles, set(), set()) is read


@pytest.mark.parametrize("lead, read", [
    ("Cô ngân xã", True),  # "C6ng an xa" as the repair parted its syllables: "Công an xã"
    ("Cô ngan xã", True),
    ("Công chức Vă nhóa – Xã hội", True),
    ("Côngan xã", True),
    ("Cô ngân hàng", False),  # no registered body has its letters
])
def test_a_bodys_name_with_its_syllables_parted_elsewhere_reads_whole(lead, read):
    from extractors.appendix.row_lines import _row_read
    from normalizers.owners import registry_marks

    cells = ["Rà soát, đánh giá thủ tục hành chính", lead, "Quý IV/2025"]
    assert _row_read(cells, ["task", "lead", "deadline"], set(), set()) is read
    if read:  # and the row gives the registry's name
        assert registry_marks(lead) in ("Công an xã", "Công chức Văn hóa – Xã hội")


BODY_ROLES = ["task", "lead", "support", "deadline"]
BODY_WIDTHS = [34.0, 14.0, 18.0, 12.0]


@pytest.mark.parametrize("lines, want", [
    # "Các cơ quan, đơn vị" is a whole name and "năm 2025" could end the task, but with
    # "liên quan" the body's name goes on to the registry's longer one
    (["Tuyên truyền, phổ biến các văn bản pháp luật mới | Công an xã Các cơ quan, đơn vị Quý II/2024",
      "ban hành năm 2025 liên quan"],
     ["ban hành năm 2025", "", "liên quan", ""]),
    # "Chủ tịch" + "UBND xã": the lead's name completed, not the task's words
    (["Tổ chức đối thoại với nhân dân về | Chủ tịch Các thôn Quý II/2025",
      "công tác cải cách hành chính UBND xã"],
     ["công tác cải cách hành chính", "UBND xã", "", ""]),
    # two names completed on one line: "UBND xã" the lead's, "thể xã" the support's
    (["Kiện toàn Bộ phận tiếp nhận và trả | Chủ tịch Các ban, ngành, đoàn Năm 2025",
      "kết quả giải quyết thủ tục UBND xã thể xã"],
     ["kết quả giải quyết thủ tục", "UBND xã", "thể xã", ""]),
])
def test_a_bodys_name_wrapped_goes_on_in_its_own_column(lines, want):
    assert cut_row(lines, BODY_ROLES, BODY_WIDTHS)[1] == want


def _wrapped_deadline_misses(deadlines: list[tuple[str, str]]) -> tuple[int, list]:
    """Each ``(head, date)`` deadline wrapped before its date beside five product cells that go
    on too, the deadline column before or after the product's: (rows cut, the cuts whose
    deadline column is not the whole deadline)."""
    from extractors.appendix.row_lines import _width

    task = "Tổ chức tập huấn cho cán bộ,"
    products = [("Văn bản được", "ban hành"), ("Báo cáo đánh giá,", "xếp loại"), ("Quyết định công", "bố danh mục"),
                ("Kế hoạch được", "ban hành"), ("Hồ sơ được", "số hóa")]
    wrong, total = [], 0
    for head, date in deadlines:
        for first, second in products:
            w_task, w_lead = _width(task) + 0.5, _width("UBND xã") + 0.5
            w_date, w_product = max(_width(head), _width(date)) + 0.5, max(_width(first), _width(second)) + 0.5
            for roles, lines, widths in (
                    (["task", "lead", "deadline", "product"], [f"{task} UBND xã {head} {first}", f"công chức {date} {second}"],
                     [w_task, w_lead, w_date, w_product]),
                    (["task", "lead", "product", "deadline"], [f"{task} UBND xã {first} {head}", f"công chức {second} {date}"],
                     [w_task, w_lead, w_product, w_date])):
                got = cut_row(lines, roles, widths)
                k = roles.index("deadline")
                total += 1
                if " ".join(g[k] for g in got if g[k]) != f"{head} {date}":
                    wrong.append((lines, got))
    return total, wrong


def test_a_deadline_wrapped_before_its_date_keeps_the_date():
    # Every two-word dated deadline of the generated plans wrapped before its date ("Quý" /
    # "II/2024", "Tháng" / "12/2025"): the date ends the deadline, not the product or the task
    # beside it (a deadline ending on its unit or its "Trước" waits for the date; a lone "Quý"
    # is no whole deadline).  Measured: 70 of 70 (38 before).
    import plan_shapes as ps

    total, wrong = _wrapped_deadline_misses(
        [tuple(d.split()) for d in ps.DEADLINES if len(d.split()) == 2 and any(ch.isdigit() for ch in d)])
    assert total == 70 and not wrong, wrong[:3]


def test_a_deadline_wrapped_after_its_head_word_ocr_bent_keeps_the_date():
    # The head word OCR bent one letter off ("Trực" for "Trước", "Thing" for "Tháng") waits for
    # its date as the word itself does.  Measured: 50 of 50 (23 before).
    total, wrong = _wrapped_deadline_misses([("Trực", "30/6/2025"), ("Trúc", "15/12/2025"), ("Truoe", "30/6/2025"),
                                             ("Thing", "12/2025"), ("Tnang", "12/2025")])
    assert total == 50 and not wrong, (len(wrong), wrong[:3])


def test_a_deadlines_head_word_alone_on_its_line_opens_the_deadline_not_the_column_after():
    # The deadline's head word alone on the row's first line, its date below ("Tháng" /
    # "12/2025"), as printed, stripped of marks or bent by OCR, beside eight products and three
    # leads, a narrow notes column after it that the row leaves empty: the head opens the
    # deadline.  Measured: 168 of 168 (none before: a lone head word read as no deadline's,
    # and the notes column took it and the date).
    import plan_shapes as ps
    from extractors.appendix.row_lines import _width

    roles = ["task", "product", "lead", "deadline", "note"]
    wrong, total = [], 0
    for head, date in (("Tháng", "12/2025"), ("Thang", "12/2025"), ("Trước", "30/6/2025"), ("Truoc", "15/12/2025"),
                       ("Trực", "30/6/2025"), ("Quý", "IV/2025"), ("Quy", "II/2024")):
        for product in ps.PRODUCTS[:8]:
            for lead in ("UBND xã", "Công an xã", "Bộ phận Một cửa"):
                lines = [f"Bồi dưỡng kiến thức, kỹ năng cho cán {product} {lead} {head}", f"bộ, công chức {date}"]
                widths = [33.8, max(15.0, _width(product) + 0.5), max(10.5, _width(lead) + 0.5), 10.3, 8.0]
                got = cut_row(lines, roles, widths)
                total += 1
                if " ".join(g[3] for g in got if g[3]) != f"{head} {date}" or any(g[4] for g in got):
                    wrong.append((lines, got))
    assert total == 168 and not wrong, (len(wrong), wrong[:3])


@pytest.mark.parametrize("activity, read", [
    ("Ban Chỉ huy Quân qua thực hiện sự xã", False),  # a body's name the cut took for an activity
    ("Công chức Văn hóa báo cáo kết quả", False),
    ("Văn phòng HĐND-UBND xã tổng hợp", False),
    ("Tổ chức tập huấn cho cán bộ", True),  # "Tổ chức" opens no name
    ("Kiện toàn Bộ phận một cửa", True),  # a name inside, after the verb
    ("Công khai đầy đủ, kịp thời", True),
])
def test_an_activity_opening_on_a_bodys_name_is_not_read(activity, read):
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "activity", "lead", "deadline"]
    cells = ["Rà soát, đánh giá thủ tục hành chính", activity, "UBND xã", "Năm 2025"]
    assert _row_read(cells, roles, set(), set()) is read


def test_a_bodys_name_wrapped_over_three_lines_keeps_its_last_line():
    # Every "Công chức X – Y" of the generated plans wrapped over three lines of its column
    # ("Công chức" / "Địa chính –" / "Xây dựng", with either dash OCR prints) beside every task
    # of the plans: the name's last line, alone on its line, ends the name, not the task (a
    # body's cell ending inside a registered name is as open as a line ending on a
    # preposition).  Measured: 216 of 220 (177 before).
    import plan_shapes as ps
    from extractors.appendix.row_lines import _width

    right = total = 0
    for name in sorted({n for n in ps.OWNERS + ps.SUPPORTS if " – " in n}):
        head, tail = name.split(" – ")
        words = head.split()
        for dash in ("–", "—"):
            name_lines = [" ".join(words[:2]), " ".join(words[2:]) + " " + dash, tail]
            width = max(map(_width, name_lines)) + 0.5
            for task in ps.TASKS:
                task_lines = _wrapped(task, 26.0)
                if len(task_lines) < 2:
                    continue
                lines = [" ".join(p for p in (task_lines[k] if k < len(task_lines) else "",
                                              name_lines[k] if k < 3 else "", "Quý I/2025" if k == 0 else "") if p)
                         for k in range(max(len(task_lines), 3))]
                got = cut_row(lines, ["task", "lead", "deadline"], [26.0, width, 10.3])
                total += 1
                right += " ".join(g[1] for g in got if g[1]) == f"{head} {dash} {tail}"
    assert total > 200 and right >= 0.97 * total


def _name_cut_after_its_third_word() -> tuple[int, int]:
    """Every "Công chức X y – Z" of the generated plans wrapped after its third word ("Công chức
    Địa" / "chính – Xây dựng", either dash OCR prints) in a lead column right after a product
    column, estimated a little narrower than the name's rest, beside every product of the plans (wrapped in its column or not) and a task wrapped
    over two lines: (rows cut, rows whose product is the product, no word of the name's)."""
    import plan_shapes as ps
    from extractors.appendix.row_lines import _width

    task = _wrapped("Cập nhật, đăng tải thông tin trên Trang", 20.0)
    right = total = 0
    for name in sorted({n for n in ps.OWNERS + ps.SUPPORTS if " – " in n}):
        words = name.split()
        for dash in ("–", "—"):
            name_lines = [" ".join(words[:3]), " ".join(words[3:]).replace("–", dash)]
            # the column's width as estimated from its fragments: a little short of the rest
            width = 0.93 * max(map(_width, name_lines))
            for product in ps.PRODUCTS:
                for product_width in (11.0, 15.0):
                    cell = _wrapped(product, product_width)
                    rows = [" ".join(p for p in (task[k] if k < len(task) else "", cell[k] if k < len(cell) else "",
                                                 name_lines[k] if k < 2 else "", "Quý I/2025" if k == 0 else "") if p)
                            for k in range(max(len(task), len(cell)))]
                    got = cut_row(rows, ["task", "product", "lead", "deadline"], [20.0, product_width, width, 10.3])
                    total += 1
                    right += " ".join(g[1] for g in got if g[1]) == product
    return total, right


def test_a_bodys_name_cut_inside_a_compound_keeps_its_rest_from_the_cell_beside():
    # The name's rest opens on the lower-case end of a compound ("chính", "hóa", "pháp") that
    # would go on the short cell beside it as well ("Thông báo" + "chính"): a body's name cut
    # short whose next line does not go on with it costs as much as one left open.  Measured:
    # 294 of 300 products whole (266 before).
    total, right = _name_cut_after_its_third_word()
    assert total == 300 and right >= 0.97 * total


def _names_beside_supports() -> tuple[int, int]:
    """Every "Công chức X – Y" of the generated plans printed "Công chức X –" / "Y" in a lead
    column as wide as its first line, beside every supporting body of the plans wrapped in a
    narrower column, in a row of seven columns (its task merged from the row above, an activity,
    a deadline wrapped or not, a product, a monitoring body) like the generated plans' English
    OCR: (rows cut, rows whose lead is the whole name)."""
    import plan_shapes as ps
    from extractors.appendix.row_lines import _width

    roles = ["task", "activity", "lead", "support", "deadline", "product", "monitor"]
    right = total = 0
    for name in sorted({n for n in ps.OWNERS + ps.SUPPORTS if " – " in n}):
        head, tail = name.split(" – ")
        lead = [f"{head} –", tail]
        for support in ps.SUPPORTS:
            if " – " in support:
                continue
            for deadline in (["Thường", "xuyên"], ["Hằng quý"], ["Trước", "15/12/2025"]):
                columns = [[], ["Ban hành văn bản hướng", "dẫn"], lead, _wrapped(support, 12.4), deadline,
                           ["Báo cáo"], ["Văn phòng", "HĐND-UBND xã"]]
                rows = [" ".join(c[k] for c in columns if k < len(c)) for k in range(max(map(len, columns)))]
                widths = [26.8, 21.1, _width(lead[0]), 12.4, 10.3, 15.8, 13.8]
                cuts, _ = split_row([line_tokens(t) for t in rows], roles, widths, frozenset({0}))
                total += 1
                right += " ".join(" ".join(ws[2]) for ws, _, _ in cuts if ws[2]) == name
    return total, right


def test_a_bodys_name_is_not_parted_between_two_body_columns():
    # "Công chức" | "Địa chính –" read as the lead and the supporting body's opening: a cut
    # without a bar inside one known body's name costs.  Measured: 96 of 120 (92 before); the
    # rest beside "Các bộ phận chuyên môn" put every cell one column left, the lead too.
    total, right = _names_beside_supports()
    assert total == 120 and right >= 94


def test_a_line_wider_than_the_columns_has_no_cut():
    words = ("rất " * 40).split()
    ws, cost, worst = split_line(words, ROLES, WIDTHS)
    assert cost == float("inf") and worst == float("inf")


DUMP = """KẾ HOẠCH
Cải cách hành chính năm 2025

PHỤ LỤC
TT Nội dung công việc | Donvichu | Thoigian
tri hoàn thành
I_| Cải cách thủ tục hành chính
1 | Rà soát, đánh giá thủ tục hành chính | Văn phòng HĐND-UBND xã Thường xuyên
thuộc thẩm quyền của UBND xã
2 | Tổ chức đối thoại với nhân dân về | Chủ tịch UBND xã Quý II/2025
công tác cải cách hành chính
3 | Kiện toàn Bộ phận tiếp nhận và trả | Công an xã Năm 2025
\f
TT Nội dung công việc | Donvichu | Thoigian
tri hoàn thành
4 | Cập nhật, đăng tải thông tin trên | Bộ phận Một cửa Hàng quý
Trang thông tin điện tử của xã
Nơi nhận:
- UBND huyện;
"""


def _pages(text: str) -> tuple[list[str], list[int]]:
    lines, pages = [], []
    for n, page in enumerate(text.split("\f"), start=1):
        for line in page.strip("\n").split("\n"):
            lines.append(line)
            pages.append(n)
    return lines, pages


def test_a_hand_made_dump_gives_its_table_per_page():
    lines, pages = _pages(DUMP)
    reading = row_line_tables(lines, pages)
    assert [t.page for t in reading.tables] == [1, 2]
    first = reading.tables[0]
    texts = {(c.row, c.col): c.text for c in first.cells}
    # The glued, garbled header ("Donvichu", "Thoigian") names the lead and deadline columns.
    assert [texts[(0, k)] for k in range(4)] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    assert texts[(1, 0)] == "I" and texts[(1, 1)] == "Cải cách thủ tục hành chính"
    assert texts[(2, 1)] == "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền của UBND xã"
    assert texts[(3, 2)] == "Chủ tịch UBND xã" and texts[(3, 3)] == "Quý II/2025"
    assert texts[(4, 1)] == "Kiện toàn Bộ phận tiếp nhận và trả" and texts[(4, 2)] == "Công an xã"
    second = {(c.row, c.col): c.text for c in reading.tables[1].cells}
    assert second[(1, 1)] == "Cập nhật, đăng tải thông tin trên Trang thông tin điện tử của xã"
    # "Nơi nhận" ends the table; every line read is placed and measured.
    assert max(c.line_end or 0 for t in reading.tables for c in t.cells) < lines.index("Nơi nhận:") + 1
    assert all(reading.fit[n] == (1, 1) for n in (8, 9, 10, 11, 12))


def _stacked_dump(seed: int, numbered: bool = False) -> tuple[list[str], list[tuple[int, dict[str, str], bool]]]:
    """A dump of a table (task, lead, deadline, and a budget or note column or none; a TT column
    or not) whose rows tesseract printed either row by row or cell by cell: each cell a paragraph
    of its own, blank lines between, a task wrapped over one to three lines, a budget or note
    over one or two (now and then a blank line between them: "Theo hướng dẫn" / "của cấp
    trên"), list items under a task's ":" after a blank line; a row printed so lost its number.
    With a TT column, the header is printed cell by cell too, now and then (each header cell a
    block, wrapped in it).  Returns the lines and, for each row printed cell by cell, (its first
    line, 1-based; its cells; whether a paragraph of it is a whole deadline that is not the
    deadline)."""
    import random

    import plan_shapes as ps

    rng = random.Random(seed)
    last = rng.choice((None, "budget", "note"))
    roles = ["task", "lead", "deadline"] + ([last] if last else [])
    header = (["TT"] if numbered else []) + ["Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"] + (
        [{"budget": "Kinh phí", "note": "Ghi chú"}[last]] if last else [])
    if numbered and rng.random() < 0.5:
        head = [t for cell in header for t in (*_wrapped(cell, 10.0), "")]
    else:
        head = [" | ".join(header), ""]
    lines = ["PHỤ LỤC", "", *head]
    stacked = []
    for k in range(rng.randint(4, 9)):
        task = rng.choice(ps.TASKS)
        items = rng.random() < 0.2
        cells = {"task": task + (":" if items else ""), "lead": rng.choice(ps.OWNERS),
                 "deadline": rng.choice(ps.DEADLINES)}
        if last:
            cells[last] = rng.choice(ps.BUDGETS if last == "budget" else ps.NOTES)
        if k and rng.random() < 0.5:
            stacked.append((len(lines) + 1, cells, False))
            for role in roles:
                wrapped = _wrapped(cells[role], rng.choice((14.0, 30.0, 45.0)) if role in ("task", last) else 99.0)
                if role == last and rng.random() < 0.5 and len(wrapped) > 1:  # its lines as blocks of their own
                    wrapped = [t for line in wrapped for t in (line, "")][:-1]
                    # "Thường xuyên" / "cập nhật": a deadline, then words that may be any cell's rest
                    stacked[-1] = (*stacked[-1][:2], wrapped[0] == "Thường xuyên")
                lines += wrapped
                if role == "task" and items:
                    item = "- Báo cáo UBND huyện theo định kỳ."
                    lines += ["", item]
                    cells["task"] += " " + item
                lines.append("")
        else:
            wrapped = _wrapped(cells["task"], 45.0)
            number = f"{k + 1} | " if numbered else ""
            lines.append(number + " | ".join([wrapped[0], " ".join(cells[r] for r in roles[1:])]))
            lines += wrapped[1:] + [""]
    return lines, stacked


@pytest.mark.parametrize("numbered", [False, True])
def test_rows_printed_cell_by_cell_are_read_whole(numbered):
    # A row whose cells OCR printed as blocks of their own has no line holding its deadline
    # (nor its number, lost with the block), and went on the row above.  Its paragraphs now go
    # on the columns in order, typed ones whole in theirs.  A note printed "Thường xuyên" /
    # "cập nhật" leaves its row out: a second deadline, then words that may as well be the
    # task's wrapped rest.  Measured over 60 dumps each: every other such row read with its
    # cells (before: none), no row read wrong.
    right = wrong = total = doubtful = 0
    for seed in range(60):
        lines, stacked = _stacked_dump(seed, numbered)
        reading = row_line_tables(lines, [1] * len(lines))
        table = reading.tables[0]
        for first, cells, doubt in stacked:
            roles = [*(["row_no"] if numbered else []), "task", "lead", "deadline",
                     *(set(cells) - {"task", "lead", "deadline"})]
            doubtful += doubt
            total += not doubt
            row = next((c.row for c in table.cells if c.line_start == first), None)
            got = {roles[c.col]: c.text for c in table.cells if c.row == row and c.text} if row else {}
            lines_read = all(reading.fit.get(n, (1, 1))[0] for c in table.cells if c.row == row and c.line_start
                             for n in range(c.line_start, (c.line_end or c.line_start) + 1))  # (blank lines: none)
            if row is not None and lines_read:
                right += got == cells and not doubt
                wrong += got != cells
                if got != cells:
                    print(seed, first, got, cells)
    print(f"{right} of {total} rows printed cell by cell read whole, {wrong} wrong ({doubtful} in doubt)")
    assert total > 100 and doubtful > 5 and wrong == 0 and right == total


def _read_rows(lines: list[str]) -> list[dict[int, str]]:
    """The rows of a row-lines dump whose lines all read (fit 1): column -> text."""
    reading = row_line_tables(lines, [1] * len(lines))
    out = []
    for table in reading.tables:
        for row in sorted({c.row for c in table.cells if c.row >= table.header_rows}):
            cells = [c for c in table.cells if c.row == row]
            if all(reading.fit.get(n, (1, 1))[0] for c in cells if c.line_start
                   for n in range(c.line_start, (c.line_end or c.line_start) + 1)):
                out.append({c.col: c.text for c in cells if c.text})
    return out


def _rows_beside_budgets() -> tuple[int, int, int]:
    """For every budget phrase of the generated plans, a table without TT column whose rows are
    every task of the plans wrapped over two lines or more (OCR garbling a word: "cải" read as
    "cai", unknown to the language model) beside a lead, a deadline and the budget phrase on the
    row's first line: (rows, rows read with task and budget whole, rows read wrong)."""
    import plan_shapes as ps

    rows = right = wrong = 0
    for budget in ps.BUDGETS:
        tasks = [_wrapped(task.replace("cải", "cai"), 30.0) for task in ps.TASKS]
        tasks = [t for t in tasks if len(t) > 1]
        lines = ["PHỤ LỤC", "Nội dung công việc | Cơ quan chủ trì | Thời gian | Kinh phí"]
        for wrapped in tasks:
            lines += [f"{wrapped[0]} | Công an xã Năm 2025 {budget}", *wrapped[1:]]
        got = _read_rows(lines)
        for wrapped in tasks:
            rows += 1
            first = next((r for r in got if r.get(0, "").startswith(wrapped[0])), None)
            if first is not None:
                ok = first.get(0) == " ".join(wrapped) and first.get(3) == budget
                right += ok
                wrong += not ok
    return rows, right, wrong


def test_a_tasks_wrapped_lines_beside_a_whole_budget_are_no_doubt():
    # A budget cell ending as budget phrases end ("Theo quy định", "Trong dự toán được giao") is
    # whole: a task's wrapped line alone below it could not go on it, and the row is read even
    # where the language model cannot tell which cell the line goes on better (an OCR'd "cai").
    # Measured: 42 of 105 rows read whole, none wrong (22 and 2 wrong before); the others are
    # left out by the checks on rows of tasks wrapped in a column estimated too narrow.
    rows, right, wrong = _rows_beside_budgets()
    assert rows == 105 and wrong == 0 and right >= 40


@pytest.mark.parametrize("header, paragraphs, read", [
    # task and deadline columns both free to take the text: one placing, read
    ("Nội dung | Cơ quan chủ trì | Thời gian", ["Kiểm tra việc thực hiện nhiệm vụ", "Công an xã", "Năm 2025"], True),
    # a product column beside the task: the one text paragraph may be either's -- not read
    ("Nội dung | Sản phẩm | Cơ quan chủ trì | Thời gian",
     ["Kiểm tra việc thực hiện nhiệm vụ", "Công an xã", "Năm 2025"], False),
    # a paragraph holding two columns' cells ("Công an xã Năm 2025") is no cell -- not read so
    ("Nội dung | Cơ quan chủ trì | Thời gian", ["Kiểm tra việc thực hiện nhiệm vụ", "Công an xã Năm 2025 nhé"], False),
    # the lead missing: no row printed cell by cell
    ("Nội dung | Cơ quan chủ trì | Thời gian", ["Kiểm tra việc thực hiện nhiệm vụ", "Năm 2025"], False),
    # a paragraph after the deadline that no column takes and opens no row
    ("Nội dung | Cơ quan chủ trì | Thời gian",
     ["Kiểm tra việc thực hiện nhiệm vụ", "Công an xã", "Năm 2025", "theo hướng dẫn"], False),
])
def test_a_row_printed_cell_by_cell_is_read_only_where_its_cells_have_one_placing(header, paragraphs, read):
    lines = ["PHỤ LỤC", header, "Rà soát thủ tục hành chính | Công an xã Quý II/2025", ""]
    for text in paragraphs:
        lines += [text, ""]
    lines += ["Cập nhật thông tin trên Trang | UBND xã Năm 2025"]
    rows = _read_rows(lines)
    assert any("Kiểm tra việc thực hiện nhiệm vụ" in cells.values() for cells in rows) == read
    assert not any("Kiểm tra" in text and text != "Kiểm tra việc thực hiện nhiệm vụ"
                   for cells in rows for text in cells.values())  # never run into another cell


@pytest.mark.parametrize("rest", ["nhiệm vụ chính trị của", "gắn với việc thực hiện nhiệm vụ", "cơ quan hành chính"])
def test_a_cells_rest_above_a_repeated_header_is_no_header_of_its_own(rest):
    # A cell's wrapped rest, printed above the next page's repeated header, is read with that
    # header's words as a header of its own ("nhiệm vụ" + "STT Mục tiêu ...": task, TT, ...)
    # unless the TT column stands first: the rows after it go on the table.
    header = "STT Mục tiêu Nội dung công việc Cơ quan chủ trì Thời hạn"
    lines = ["PHỤ LỤC", header,
             "1 | Nâng cao chất lượng | Rà soát thủ tục hành chính | Công an xã Quý II/2025",
             "2 | Nâng cao chất lượng | Kiện toàn Bộ phận tiếp nhận | UBND xã Năm 2025", rest,
             header,
             "3 | Nâng cao chất lượng | Cập nhật thông tin trên Trang | Bộ phận Một cửa Hàng quý",
             "4 | Nâng cao chất lượng | Quản lý tài sản công | Công an xã Quý I/2025"]
    pages = [1, 1, 1, 1, 1, 2, 2, 2]
    reading = row_line_tables(lines, pages)
    assert len(reading.tables) == 2
    numbers = [c.text for t in reading.tables for c in t.cells if c.col == 0 and c.row >= t.header_rows]
    assert numbers == ["1", "2", "3", "4"]


@pytest.mark.parametrize("header, wrap", [
    ("STT Nội dung công việc Hoạt động Cơ quan chủ trì Thời hạn", "hoàn thành"),
    ("TT Nhiệm vụ Hoạt động Đơn vị chủ trì Thời gian", "thực hiện"),
    ("STT Nội dung Hoạt động Cơ quan chủ trì Tiến độ", "thực hiện"),
])
@pytest.mark.parametrize("rest", ["hoạt động của cơ quan", "hoạt động của cơ quan hành chính",
                                  "nội dung công việc", "kết quả đầu ra của xã"])
def test_a_repeated_headers_wrapped_line_is_no_top_line_of_a_header_under_it(header, wrap, rest):
    # The wrapped line of a header repeated on a later page names no column more ("Thời hạn" /
    # "hoàn thành"), but is the header's all the same: it is neither a line of the row above
    # nor the top line of a centred header made of the rest of a cell the page break cut off
    # ("hoạt động của cơ quan", header words too) -- which opened a table of its own and lost
    # the rows after it.
    rows = ["1 | Rà soát thủ tục hành chính | Tổ chức hội nghị triển khai | Công an xã | Quý II/2025",
            "2 | Nâng cao chất lượng phục vụ | Cập nhật thông tin | UBND xã | Năm 2025",
            "3 | Kiện toàn Bộ phận tiếp nhận | Lấy ý kiến người dân | Bộ phận Một cửa | Hàng quý",
            "4 | Quản lý tài sản công | Tổ chức tập huấn | Công an xã | Quý I/2025"]
    lines = ["PHỤ LỤC", header, wrap, rows[0], rows[1], header, wrap, rest, rows[2], rows[3]]
    pages = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
    reading = row_line_tables(lines, pages)
    assert [t.page for t in reading.tables] == [1, 2]
    assert {max(c.col for c in t.cells) for t in reading.tables} == {4}  # one table's columns
    numbers = [c.text for t in reading.tables for c in t.cells if c.col == 0 and c.row >= t.header_rows]
    assert [n for n in numbers if n] == ["1", "2", "3", "4"]  # (the rest: a row of its own on page 2)
    texts = " ".join(c.text for t in reading.tables for c in t.cells if c.row >= t.header_rows)
    assert wrap not in texts  # the header's wrapped line went on no row


def test_a_repeated_header_with_cells_ocr_lost_goes_on_the_table():
    # page 2 repeats the header, its last cell lost: the page's rows keep the table's columns
    lines, pages = _pages(DUMP.replace("TT Nội dung công việc | Donvichu | Thoigian\ntri hoàn thành\n4",
                                       "TT Nội dung công việc | Cơ quan chủ trì\n4"))
    reading = row_line_tables(lines, pages)
    assert [t.page for t in reading.tables] == [1, 2]
    second = {(c.row, c.col): c.text for c in reading.tables[1].cells}
    assert second[(1, 2)] == "Bộ phận Một cửa" and second[(1, 3)] == "Hàng quý"


@pytest.mark.parametrize("first, second, want", [
    # the TT cell read as another short word, raw or as the repair made it
    ("IT Mục tiêu Tên nhiệm vụ Kết quả đầu Chủ trì thu Tiến dé", "ra hién",
     ["row_no", "objective", "task", "product", "lead", "deadline"]),
    ("ĐẶT Mục tiêu Tên nhiệm vụ Kết quả đầu Chủ trì thu Tiền đề", "ra hiện",
     ["row_no", "objective", "task", "product", "lead", "deadline"]),
    # glued words with digits for letters, and a glued word the repair cut wrongly ("phó dự")
    ("STT Nội dung công việc Hoạt động Kết quả đầu ra Chủ trì | Donviph6dihop | Thoigian", "thực hiện hoàn thành",
     ["row_no", "task", "activity", "product", "lead", "support", "deadline"]),
    ("STT Nội dung công việc Hoạt động Kết quả đầu ra Chủ trì | Đơn vị phó dự họp | Thời gian",
     "thực hiện hoàn thành", ["row_no", "task", "activity", "product", "lead", "support", "deadline"]),
    # "Cơ quan, đơn vị" + "thực hiện" is one lead cell, not "Cơ quan" + "thực hiện" and a
    # supporting "đơn vị" of its own
    ("STT Nhiệm vụ Sản phẩm Cơ quan, đơn vị_| Thời gian hoãn", "thực hiện thành",
     ["row_no", "task", "product", "lead", "deadline"]),
    # a word OCR bent one letter off ("NGOi dung" -> "Ngồi đúng"), beside the same header
    # words the repair put right
    ("STT | Ngồi đúng công việc Chủ trì Đơn vị Tiền do Nguồn | Theo dõi,", "thực hiện | phối hợp kinh phí | kiểm tra,",
     ["row_no", "task", "lead", "support", "deadline", "budget", "monitor"]),
    # a header without TT column keeps its first cell ("Tên nhiệm vụ" is no TT misread)
    ("Tên nhiệm vụ Cơ quan, đơn vị thực hiện Thời gian hoàn thành Kinh phí", None,
     ["task", "lead", "deadline", "budget"]),
])
def test_a_header_english_ocr_garbled_names_its_columns(first, second, want):
    from extractors.appendix.row_lines import _header

    got = _header(first, second)
    assert got is not None and got[0] == want


@pytest.mark.parametrize("above, main, want", [
    # a header centring its cells: a tall cell's first line above the line holding the others,
    # its rest there (garbled, "hadh" for "thành") or not
    ("Thời gian hoàn", "Nội dung Cơ quan, đơn vị thực hiện hadh Ghi chú", ["task", "lead", "deadline", "note"]),
    ("Thời gian hoàn", "TT Nội dung công việc Cơ quan chủ trì thành Kinh phí",
     ["row_no", "task", "lead", "deadline", "budget"]),
    ("Cơ quan phối", "TT Nhiệm vụ Cơ quan chủ trì hợp Thời gian", ["row_no", "task", "lead", "support", "deadline"]),
    ("Đơn vị chủ Thời gian hoàn", "STT Nội dung công việc trì thành Ghi chú",
     ["row_no", "task", "lead", "deadline", "note"]),
])
def test_a_centred_headers_top_line_completes_its_cells(above, main, want):
    from extractors.appendix.row_lines import _header

    got = _header(main, "1 Rà soát thủ tục hành chính Công an xã Năm 2025", above)
    assert got == (want, "above")


def test_a_line_above_a_whole_header_is_not_taken():
    from extractors.appendix.row_lines import _header

    main = "TT Nội dung công việc Cơ quan chủ trì Thời gian hoàn thành"
    for above in ("(Kèm theo Kế hoạch số 12/KH-UBND ngày 15/01/2025 của UBND xã Hòa Bình)",
                  "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025", "PHỤ LỤC"):
        assert _header(main, None, above) == (["row_no", "task", "lead", "deadline"], False)


def _bent(word: str):
    """``word`` one letter off, three ways OCR bends a word: a letter put in, one dropped, the
    last one misread."""
    yield word[0] + "g" + word[1:]
    if len(word) > 3:
        yield word[0] + word[2:]
    swap = {"a": "e", "e": "a", "o": "u", "u": "o", "i": "l", "n": "m", "c": "e", "h": "b", "g": "q", "t": "l"}
    yield word[:-1] + swap.get(word[-1], "x")


def test_a_header_cell_with_a_word_one_letter_off_names_its_column():
    # Every header wording of the generated plans, in a header of eight columns, with one word
    # of four or more letters bent into no header word ("Ngội dung" for "Nội dung"): the header
    # names its columns (45 of 68 did so before words one letter off were read).
    import plan_shapes as ps
    from extractors.appendix.row_lines import _header
    from extractors.appendix.text import _fold
    from extractors.column_roles import is_header_word

    roles = ["row_no", "objective", "task", "product", "lead", "support", "deadline", "budget"]
    wrong, total = [], 0
    for k, role in enumerate(roles[1:], start=1):
        for wording in ps.ROLE_HEADERS[role]:
            cells = [wording if r == role else ps.ROLE_HEADERS[r][-1] for r in roles]
            words = wording.split()
            for j, word in enumerate(words):
                for bent in _bent(word):
                    folded = _fold(bent).lower()
                    if len(folded) < 4 or is_header_word(folded):
                        continue
                    line = " | ".join(cells[:k] + [" ".join(words[:j] + [bent] + words[j + 1:])] + cells[k + 1:])
                    got = _header(line, None)
                    total += 1
                    if got is None or got[0] != roles:
                        wrong.append((line, got))
    assert total > 50 and not wrong, wrong  # (bent words the header vocabulary reads back are left out)


@pytest.mark.parametrize("budget, read", [
    ("Ngân sách nhà nước", True),
    ("ne te", False),  # speckle of an empty cell read as letters: the repair found no word
    ("he ne", False),
    ("Nguồn kinh phí thường xuyên", True),
])
def test_a_row_with_a_cell_of_ocr_noise_is_not_read(budget, read):
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "lead", "deadline", "budget"]
    cells = ["Thực hiện quy chế dân chủ ở cơ sở", "UBND xã", "Quý IV/2025", budget]
    assert _row_read(cells, roles, set(), set()) is read
    # one word the repair could not read ("x€p") in a long cell is no noise
    assert _row_read(["Rà soát, sắp x€p vị trí việc làm của cán bộ, công chức xã", "UBND xã", "Quý IV/2025", ""],
                     roles, set(), set())


@pytest.mark.parametrize("lead, support, read", [
    ("Công chức Văn hóa – Xã hội", "Các thôn", True),
    ("Chủ tịch UBND xã", "", True),
    ("UBND", "Các ban, ngành, đoàn thể xã", True),  # a name that lacks only the commune is whole
    ("Công chức Địa chính – Xây", "Các thôn", False),  # the name's rest went elsewhere
    ("Văn phòng HĐND-UBND xã", "Các ban, ngành, đoàn", False),
    ("Chủ tịch", "UBND xã", False),  # one body's name over two columns
    ("Công an xã", "UBND xã", True),
])
def test_a_row_whose_body_names_are_cut_or_split_is_not_read(lead, support, read):
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "lead", "support", "deadline"]
    cells = ["Thực hiện quy chế dân chủ ở cơ sở", lead, support, "Quý IV/2025"]
    assert _row_read(cells, roles, set(), set()) is read


MERGED_DUMP = """PHỤ LỤC
TT Nhiệm vụ Hoạt động | Cơ quan chủ trì Thời gian
1 | Duy trì áp dụng hệ thống | Ban hành văn bản | Công an xã Quý I/2025
{second} | hướng dẫn
2 | {third} | Tổng hợp, báo cáo | UBND xã Quý II/2025
kết quả thực hiện
3 | Cập nhật, đăng tải thông | Tổ chức hội nghị | Công an xã Quý III/2025
tin trên Trang thông tin | quán triệt
"""


@pytest.mark.parametrize("second, third, read, task_rows", [
    # lower-case under a cell left open ("... theo"): the rest of row 1's merged task, which row
    # 2 shares
    ("quản lý chất lượng theo", "tiêu chuẩn ISO", True,
     {1: ("Duy trì áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn ISO", 2)}),
    ("quản lý chất lượng của", "cơ quan hành chính", True,
     {1: ("Duy trì áp dụng hệ thống quản lý chất lượng của cơ quan hành chính", 2)}),
    # a task's verb under a closed cell: row 2's own task
    ("quản lý chất lượng", "Tổ chức tập huấn", True,
     {1: ("Duy trì áp dụng hệ thống quản lý chất lượng", 1), 2: ("Tổ chức tập huấn", 1)}),
    ("quản lý chất lượng;", "Rà soát quy trình", True,
     {1: ("Duy trì áp dụng hệ thống quản lý chất lượng;", 1), 2: ("Rà soát quy trình", 1)}),
    # upper-case words that may go on the cell above as well as open one: row 2 is not read
    ("quản lý chất lượng theo", "TCVN ISO 9001:2015", False, None),
    ("chất lượng theo chỉ đạo của", "Chính phủ", False, None),
    ("quản lý chất lượng", "ISO 9001:2015", False, None),
])
def test_a_merged_cell_running_into_the_next_row_is_read_only_where_clear(second, third, read, task_rows):
    # Row 2's task text is the rest of row 1's merged task or a task of its own; where it may be
    # either, row 2 is not read.  Row 3's task opens below a line of row 2 without task text.
    lines = MERGED_DUMP.format(second=second, third=third).splitlines()
    reading = row_line_tables(lines, [1] * len(lines))
    assert reading.tables
    assert {n: reading.fit[n][0] for n in (3, 5, 7)} == {3: 1, 5: int(read), 7: 1}
    if task_rows is not None:
        cells = {c.row: (c.text, c.row_span) for c in reading.tables[0].cells if c.col == 1 and c.row in (1, 2)}
        assert cells == task_rows


@pytest.mark.parametrize("third, read", [
    ("tiêu chuẩn ISO", True),
    ("năm 2026 – 2030", True),  # a range of years is no body's dash
    ("tiêu chuẩn ISO Văn phòng – Thống kê", False),  # a body's name with its dash run in
    ("tiêu chuẩn ISO Công chức Tư pháp— Hộ tịch", False),
    ("tiêu chuẩn ISO Thực hiện đánh giá", False),  # another cell's opening run in
    ("tiêu chuẩn ISO Tổ chức tập huấn", False),
])
def test_rows_sharing_a_merged_cell_that_took_in_other_cells_words_are_not_read(third, read):
    lines = MERGED_DUMP.format(second="quản lý chất lượng theo", third=third).splitlines()
    reading = row_line_tables(lines, [1] * len(lines))
    task = next(c for c in reading.tables[0].cells if c.row == 1 and c.col == 1)
    assert task.row_span == 2 and third.split()[0] in task.text  # rows 1 and 2 share the task, whatever it holds
    assert {n: reading.fit[n][0] for n in (3, 5, 7)} == {3: int(read), 5: int(read), 7: 1}


#: supporting cells naming two known bodies, each by its whole name
TWO_BODIES = ("UBMTTQ và các đoàn thể", "Công an xã; Các thôn", "Các thôn; Công an xã", "Công an xã; UBND xã",
              "Trưởng các thôn; Công an xã", "Các thôn; Trưởng các thôn")


def test_a_task_going_on_beside_a_cell_of_two_whole_names_is_read():
    # The task's wrapped lines stand alone below a supporting cell naming two known bodies: the
    # cell is whole (each name whole), so the task's words are no rest of it.  Every pair, four
    # rows of each run of the generated tasks: 117 of 216 rows read, every one right (26
    # before, where only a cell of one name counted as whole and the rest stood in doubt).
    import plan_shapes as ps

    read = right = total = 0
    for support in TWO_BODIES:
        for i in range(0, len(ps.TASKS) - 4, 2):
            tasks = ps.TASKS[i:i + 4]
            lines, starts = ["PHỤ LỤC", "TT Nhiệm vụ Sản phẩm Cơ quan chủ trì Cơ quan phối hợp"], []
            for n, task in enumerate(tasks, 1):
                wrapped = _wrapped(task, 28.0)
                starts.append(len(lines) + 1)
                lines.append(f"{n} | {wrapped[0]} | {ps.PRODUCTS[n % 3]} | {ps.OWNERS[3 * n % len(ps.OWNERS)]} | "
                             f"{support}")
                lines += wrapped[1:]
            reading = row_line_tables(lines, [1] * len(lines))
            cells = {(c.row, c.col): c.text for c in reading.tables[0].cells}
            for k, (task, start) in enumerate(zip(tasks, starts), 1):
                total += 1
                if reading.fit[start][0]:
                    read += 1
                    right += cells.get((k, 1)) == task and cells.get((k, 4)) == support
    assert total > 200 and read >= 0.5 * total and right == read, (read, right, total)


def test_a_rows_lone_body_beside_an_empty_supporting_cell_is_its_lead():
    # Four rows with a short lead and a long supporting body, then rows with a long lead only:
    # the line prints "task LEAD deadline", and the lone name fits the supporting column (as
    # wide as its long names) rather than the lead's.  The table fills its lead column, so it
    # is the lead.  Every long lead beside runs of the generated tasks: 17 of 28 rows read, all
    # with their lead (9 before); the others are left out (a task's end run into the lead,
    # "TCVN ISO 9001:2015", a name cut over the two columns).
    import plan_shapes as ps

    short = ("UBND xã", "Công an xã", "Chủ tịch UBND xã", "Bộ phận Một cửa")
    supports = ("Các ban, ngành, đoàn thể xã", "Các cơ quan, đơn vị liên quan", "Văn phòng HĐND-UBND xã",
                "Các bộ phận chuyên môn")
    long = [o for o in ps.OWNERS if o not in short]
    got = read = total = 0
    for k, lone in enumerate(long):
        for start in range(0, 12, 3):
            lines = ["PHỤ LỤC", "TT Nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Thời gian"]
            for n in range(4):
                lines.append(f"{n + 1} | {ps.TASKS[start + n]} | {short[n]} | {supports[(n + k) % 4]} | {ps.DEADLINES[n]}")
            lines.append(f"5 | {ps.TASKS[start + 4]} | {lone} | {ps.DEADLINES[4 + k % 5]}")
            reading = row_line_tables(lines, [1] * len(lines))
            cells = {(c.row, c.col): c.text for c in reading.tables[0].cells}
            total += 1
            if reading.fit[len(lines)][0] == 1:
                read += 1
                got += cells.get((5, 2)) == lone and not cells.get((5, 3))
    assert total == 28 and got == read >= 15, (got, read, total)


CARRY_DUMP = """PHỤ LỤC
TT Nhiệm vụ Hoạt động | Cơ quan chủ trì Thời gian
1 | Duy trì áp dụng hệ thống | Ban hành văn bản | Công an xã Quý I/2025
quản lý chất lượng theo | hướng dẫn
2 | tiêu chuẩn ISO | Tổng hợp, báo cáo | UBND xã Quý II/2025
kết quả thực hiện
\f{carried} | {rest}
4 | Tăng cường kỷ luật | Tổ chức hội nghị | Công an xã Quý IV/2025
quán triệt
"""
CARRY_TASK = "Duy trì áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn ISO"


def _carry_rows(carried: str, rest: str) -> dict[str, str]:
    """Row number -> task of the rows read from :data:`CARRY_DUMP`: rows 1 and 2 share a merged
    task at the foot of page 1; page 2 opens on the rest of row 2 (no number), ``carried`` in
    the task column beside ``rest``, as the pipeline places the row-lines tables."""
    from pipeline.model import Document, Page
    from pipeline.run import _placed_tables

    lines, pages = _pages(CARRY_DUMP.format(carried=carried, rest=rest))
    doc = Document("dump.txt", "0" * 64, "txt", (Page(1, "text"), Page(2, "text")), text_state="ocr_mangled")
    return {r.row_no: r.cells["task"] for t in _placed_tables(doc, row_line_tables(lines, pages), "rowlines")
            for r in t.rows}


def test_a_merged_cell_is_not_read_with_another_cells_opening_carried_over_a_page_break():
    # Page 2 opens on the rest of row 2 without its number; the table's reader carries its task
    # text onto the merged task above as the cell's rest.  Every task of the generated plans as
    # that text (a cell's opening, upper-case), beside a clean rest of the activity and beside
    # OCR noise: no row read holds it (before: rows 1 and 2 were read with the other task run
    # in for 22 of the 22 openings beside the clean rest, 21 of 22 beside the noise).
    import plan_shapes as ps

    carried = sorted({" ".join(t.split()[:5]) for t in ps.TASKS})
    assert len(carried) >= 15
    for opening in carried:
        for rest in ("trên Trang thông tin", "ne te eee ae"):
            got = _carry_rows(opening, rest)
            assert not any(opening in task for task in got.values()), (opening, rest, got)
            assert set(got) <= {"1", "2", "4"} and all(task == CARRY_TASK or no == "4" for no, task in got.items())


@pytest.mark.parametrize("carried", ["cơ quan hành chính", "của UBND xã", "- Báo cáo định kỳ", ""])
def test_a_merged_cells_clear_rest_carried_over_a_page_break_is_read(carried):
    # a lower-case rest or a list item: rows 1 and 2 are read, sharing the whole task
    got = _carry_rows(carried, "trên Trang thông tin")
    whole = f"{CARRY_TASK} {carried}".strip()
    assert got.get("1") == whole and got.get("2") == whole


def _merged_dump(objective: str, objective_width: float, first: str, second: str) -> tuple[list[str], int] | None:
    """A dump of two rows sharing one merged objective wrapped at ``objective_width`` beside
    the tasks ``first`` and ``second`` (wrapped in a task column 26 wide), and a third row: its
    lines and the line number of row 2; None when the objective ends beside row 1."""
    objective_lines, tasks = _wrapped(objective, objective_width), (_wrapped(first, 26.0), _wrapped(second, 26.0))
    beside = (objective_lines[:len(tasks[0])], objective_lines[len(tasks[0]):])
    if not beside[1]:
        return None
    lines = ["PHỤ LỤC", "TT Mục tiêu Nhiệm vụ | Cơ quan chủ trì Thời gian"]
    row2 = 0
    for no, (task, obj, rest) in enumerate(zip(tasks, beside, ("Công an xã Quý I/2025", "UBND xã Quý II/2025")), 1):
        row2 = row2 or (len(lines) + 1 if no == 2 else 0)
        for k in range(max(len(task), len(obj))):
            parts = [obj[k] if k < len(obj) else "", task[k] if k < len(task) else ""]
            lines.append(f"{no} | {parts[0]} | {parts[1]} | {rest}" if k == 0 else " | ".join(p for p in parts if p))
    lines += ["3 | Tăng cường kỷ luật | Cập nhật, đăng tải thông | Công an xã Quý III/2025",
              "tin trên Trang thông tin"]
    return lines, row2


def test_merged_objectives_wrapped_into_the_next_row_are_read_whole():
    # Every objective of the generated plans, wrapped at three widths, merged over two rows of
    # eight pairs of tasks, its last lines beside row 2: row 2 is read, sharing the whole
    # objective, wherever its rest goes on in lower case.  Measured: 106 of 123 rows read, 99 of
    # them right (1 read before, where the rest was taken for a new cell's beginning).
    import plan_shapes as ps

    read = right = total = 0
    wrong = []
    for width in (16.0, 20.0, 24.0):
        for objective in ps.OBJECTIVES:
            for i in range(0, len(ps.TASKS), 3):
                first, second = ps.TASKS[i], ps.TASKS[(i + 5) % len(ps.TASKS)]
                made = _merged_dump(objective, width, first, second)
                if made is None:
                    continue
                lines, row2 = made
                reading = row_line_tables(lines, [1] * len(lines))
                cells = {(c.row, c.col): (c.text, c.row_span) for c in reading.tables[0].cells}
                ok = cells.get((1, 1)) == (objective, 2) and cells.get((2, 2), ("",))[0] == second
                total += 1
                if reading.fit[row2][0]:
                    read, right = read + 1, right + ok
                    if not ok:
                        wrong.append((lines, cells.get((1, 1)), cells.get((2, 2))))
    assert total > 100 and read >= 0.8 * total and right >= 0.9 * read, (read, right, total, wrong[:3])


@pytest.mark.parametrize("fragments, want", [
    ([["Trực"], ["15/12/2025"]], [["Trước"], ["15/12/2025"]]),  # the date on the cell's next line
    ([["Thăng", "12/2025"]], [["Tháng", "12/2025"]]),
    ([["Nậm", "2025"]], [["Năm", "2025"]]),
    ([["Quy", "11/2024"]], [["Quý", "II/2024"]]),  # the quarter's I's read as ones
    ([["Quý", "TV/2025"]], [["Quý", "IV/2025"]]),  # its first I read as a T, a bracket, a bar
    ([["Quỹ"], ["[V/2025"]], [["Quý"], ["IV/2025"]]),
    ([["Quý", "I'V/2025"]], [["Quý", "IV/2025"]]),  # a speck inside it
    ([["Quý", "[1/2024"]], [["Quý", "II/2024"]]),
    ([["Quý", "1/2025"]], [["Quý", "1/2025"]]),  # a quarter printed in digits stays
    ([["Tháng", "12/2025", "‘"]], [["Tháng", "12/2025"]]),  # a speck at the cell's end
    ([["Thường"], ["xuyên", "="]], [["Thường"], ["xuyên"]]),
    ([["2026", "-", "2030"]], [["2026", "-", "2030"]]),  # a range's dash is no speck
    ([["Thượng"], ["xuyên"]], [["Thường"], ["xuyên"]]),
    ([["Hàng", "nêm"]], [["Hàng", "năm"]]),  # a recurrence one letter off
    ([["Hàng", "ngày"]], [["Hàng", "ngày"]]),  # no recurrence of the list one letter off
    ([["Hằng", "năm"]], [["Hằng", "năm"]]),  # a right spelling stays
    ([["Trực", "tiếp"]], [["Trực", "tiếp"]]),  # no date after it: no deadline's word
])
def test_a_deadline_cells_date_words_are_put_right(fragments, want):
    from extractors.appendix.row_lines import _mend_dates

    _mend_dates(fragments)
    assert fragments == want


@pytest.mark.parametrize("text, role, whole", [
    ("1.", "lead", False),  # no name at all (a list number): no whole body, and no error
    ("Công an xã", "lead", True),
    # a group of bodies outside the registry is whole, not the first syllable of its noun
    ("Các thôn", "support", True),
    ("Các công chức chuyên môn", "support", True),
    ("Các đơn vị", "support", True),
    ("Các công", "support", False),
    ("Các cơ", "support", False),
    ("Các đơn", "support", False),
])
def test_a_body_cell_reads_whole_only_as_a_known_name(text, role, whole):
    from extractors.appendix.row_lines import _complete

    assert _complete(text, role) is whole


@pytest.mark.parametrize("text, whole", [
    ("Tháng 12/2025", True),
    ("Trước 30/6/2025", True),
    ("Tháng Quý 12/2025", False),  # another cell's word run in
    ("Thường xuyên", True),
    # another deadline's opening word inside, or two years with neither range nor list
    ("Trước Theo quý 15/12/2025 định", False),
    ("Thường xuyên Trước 30/6/2025", False),
    ("Trước 15/12/2025 năm 2024", False),
    ("Năm 2024 Năm 2025", False),
    ("Năm 2021-2025", True),
    ("2026 - 2030", True),
    ("Từ năm 2022 đến năm 2025", True),
    ("Quý I/2025, Quý II/2026", True),
    ("Năm 2025 và năm 2026", True),
    ("Trước 30/6 hằng năm", True),
    ("Theo quy định", True),
])
def test_a_deadline_reads_whole_with_one_unit(text, whole):
    from extractors.appendix.row_lines import _complete

    assert _complete(text, "deadline") is whole


@pytest.mark.parametrize("left, deadline, want", [
    (["UBND", "xã", "Trước"], ["15/12/2025"], (["UBND", "xã"], ["Trước", "15/12/2025"])),
    (["Công", "an", "xã", "Trực"], ["30/6/2025"], (["Công", "an", "xã"], ["Trực", "30/6/2025"])),  # mended later
    (["Bộ", "phận", "Quý"], ["II/2024"], (["Bộ", "phận"], ["Quý", "II/2024"])),
    (["Công", "an", "xã"], ["Quý", "I/2025"], (["Công", "an", "xã"], ["Quý", "I/2025"])),  # a whole deadline
    (["ban", "hành", "năm"], ["2025"], (["ban", "hành", "năm"], ["2025"])),  # lower-case: a task's own words
    (["Trước"], ["15/12/2025"], ([], ["Trước", "15/12/2025"])),  # a supporting cell of the head word alone
    (["Công", "an", "xã"], ["15/12/2025"], (["Công", "an", "xã"], ["15/12/2025"])),  # no date word
])
def test_a_deadlines_head_word_cut_into_the_column_before_goes_back(left, deadline, want):
    from extractors.appendix.row_lines import _date_head_back

    _date_head_back(left, deadline)
    assert (left, deadline) == want


@pytest.mark.parametrize("line, want", [
    # "Trực" is the deadline's "Trước" as English OCR bent it: the body's name ends before it
    ("Thực hiện quy chế dân chủ ở cơ sở Bộ phận Một cửa Trực 15/12/2025",
     ["Thực hiện quy chế dân chủ ở cơ sở", "Bộ phận Một cửa", "Trực 15/12/2025"]),
    ("Quản lý, sử dụng tài sản công đúng quy định UBND xã Thăng 12/2025",
     ["Quản lý, sử dụng tài sản công đúng quy định", "UBND xã", "Thăng 12/2025"]),
])
def test_a_deadline_opening_on_a_bent_date_word_is_cut_as_one(line, want):
    assert cut_row([line], widths=[44.0, 18.0, 14.0])[0] == want


LIST_DUMP = """PHỤ LỤC
TT Nội dung công việc | Cơ quan chủ trì Thời gian
1 | Rà soát, đánh giá thủ tục hành chính thuộc thẩm | Bộ phận Một cửa Quý I/2025
quyền giải quyết của UBND xã:
- Lồng ghép trong các buổi họp thôn;
- Đăng tải trên Trang thông tin điện tử;
2 | Tổ chức đối thoại với nhân dân về công tác cải | Chủ tịch UBND xã Quý II/2025
cách hành chính
3 | Cập nhật, đăng tải thông tin trên Trang thông | Công an xã Năm 2025
tin điện tử của xã:
- Thông báo trên hệ thống loa truyền thanh;
"""


def test_list_items_under_a_cells_colon_are_no_lines_a_wrap_began():
    # "- Lồng ghép" would have fitted on the line above: a wrapped word would not, but a list
    # item under a ":" begins its line by intent; the rows are read whole.
    lines = LIST_DUMP.splitlines()
    reading = row_line_tables(lines, [1] * len(lines))
    assert all(reading.fit[n] == (1, 1) for n in range(7, 12)), reading.fit
    texts = {(c.row, c.col): c.text for c in reading.tables[0].cells}
    assert texts[(3, 1)] == ("Cập nhật, đăng tải thông tin trên Trang thông tin điện tử của xã: "
                             "- Thông báo trên hệ thống loa truyền thanh;")
    assert texts[(1, 1)] == ("Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã: "
                             "- Lồng ghép trong các buổi họp thôn; - Đăng tải trên Trang thông tin điện tử;")


def test_a_task_opening_on_a_list_item_is_not_read():
    # in a centred table the words before the ":" stand above the row's number, in the row before
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "lead", "deadline"]
    assert not _row_read(["- Lồng ghép trong các buổi họp thôn;", "Bộ phận Một cửa", "Quý I/2025"], roles, set(), set())
    assert _row_read(["Rà soát: - Lồng ghép trong các buổi họp thôn;", "Bộ phận Một cửa", "Quý I/2025"],
                     roles, set(), set())


@pytest.mark.parametrize("first_word, opens", [
    ("7", True),  # 17 with its "1" lost
    ("47", True),  # one digit misread
    ("e", True),  # a speck for the number
    ("17", True),
    ("5", False),  # no ending of 17
    ("Công", False),  # a word: the line goes on the row above
])
def test_a_row_number_ocr_lost_opens_its_row_all_the_same(first_word, opens):
    head = ["PHỤ LỤC", "TT Nội dung công việc | Cơ quan chủ trì Thời gian"]
    rows = [f"{n} | Tổ chức đối thoại với nhân dân lần {n} | Công an xã Quý II/2025" for n in range(1, 17)]
    last = f"{first_word} Công khai đầy đủ các thủ tục hành chính | Bộ phận Một cửa Hàng quý"
    lines = head + rows + [last]
    reading = row_line_tables(lines, [1] * len(lines))
    cells = {(c.row, c.col): c.text for c in reading.tables[0].cells}
    n_rows = max(r for r, _ in cells)
    assert (n_rows == 17) is opens
    if opens:
        assert cells[(17, 2)] == "Bộ phận Một cửa" and cells[(17, 3)] == "Hàng quý"
        assert cells.get((17, 0), "") in ("", "17")  # a lost number is left to the sequence
    assert reading.fit[len(lines)] == ((1, 1) if opens else (0, 1))


def test_rows_after_numbers_ocr_misread_go_on_from_the_next_number_read():
    # rows 17 to 19 lost their numbers past reading ("I?", "IB", "Ié"): row 20 opens at its number
    # all the same, and the rows after it follow
    head = ["PHỤ LỤC", "TT Nội dung công việc | Cơ quan chủ trì Thời gian"]
    rows = [f"{n} | Tổ chức đối thoại với nhân dân lần {n} | Công an xã Quý II/2025" for n in range(1, 17)]
    rows += ["I? Công khai đầy đủ các thủ tục hành chính | Bộ phận Một cửa Hàng quý",
             "IB Rà soát, sắp xếp vị trí việc làm | Công an xã Năm 2025",
             "Ié Kiện toàn Bộ phận tiếp nhận | Công an xã Năm 2025",
             "20 | Cập nhật, đăng tải thông tin trên Trang | UBND xã Năm 2025",
             "21 | Quản lý, sử dụng tài sản công | UBND xã Năm 2025"]
    lines = head + rows
    reading = row_line_tables(lines, [1] * len(lines))
    cells = {(c.row, c.col): c.text for c in reading.tables[0].cells}
    numbers = [cells.get((r, 0)) for r in range(1, 1 + max(r for r, _ in cells))]
    assert numbers[-2:] == ["20", "21"] and numbers[:16] == [str(n) for n in range(1, 17)]
    assert cells[(len(numbers) - 1, 1)] == "Cập nhật, đăng tải thông tin trên Trang"
    assert reading.fit[len(lines) - 1] == (1, 1) and reading.fit[len(lines)] == (1, 1)


@pytest.mark.parametrize("dropped", [(3,), (3, 4), (2, 5), (4,), (2, 3, 4)])
def test_a_row_whose_number_ocr_dropped_whole_opens_on_its_deadline(dropped):
    # Tesseract drops a lone digit in its cell now and then: the row's first line prints no
    # number at all.  Below a row with lines of its own, a line reading as a row's first (upper
    # case, a whole deadline further on) opens the row, its number left to the sequence.
    lines = ["PHỤ LỤC", "TT Nội dung công việc | Cơ quan chủ trì Thời gian"]
    for n in range(1, 7):
        number = "" if n in dropped else f"{n} | "
        lines += [f"{number}Tổ chức đối thoại với nhân dân lần {n} | Công an xã Quý II/2025",
                  "về công tác cải cách hành chính"]
    reading = row_line_tables(lines, [1] * len(lines))
    cells = {(c.row, c.col): c.text for c in reading.tables[0].cells}
    rows = range(1, 1 + max(r for r, _ in cells))
    assert [cells.get((r, 1)) for r in rows] == [
        f"Tổ chức đối thoại với nhân dân lần {n} về công tác cải cách hành chính" for n in range(1, 7)]
    assert [cells.get((r, 0)) or "" for r in rows] == ["" if n in dropped else str(n) for n in range(1, 7)]
    assert all(reading.fit[k] == (1, 1) for k in range(3, len(lines) + 1))


@pytest.mark.parametrize("line, opens", [
    ("Tổ chức đối thoại với nhân dân | Công an xã Quý II/2025", True),
    ("- Báo cáo kết quả thực hiện | Quý II/2025", False),  # a list item of the cell above
    ("tổ chức đối thoại với nhân dân | Công an xã Quý II/2025", False),  # a cell's lower-case rest
    ("Tổ chức đối thoại với nhân dân | Công an xã", False),  # no deadline: the cells' rest
    # a deadline wrapped before its date, the next line's last words holding it
    ("Tổ chức đối thoại với nhân | Công an xã Trước Ngân", True),
    ("Tổ chức đối thoại với nhân | Công an xã Tháng", True),
    ("Tổ chức đối thoại với nhân | Công an xã trước", False),  # a word of the cell, lower-case
])
def test_a_line_opens_a_row_without_its_number_only_as_a_rows_first_line(line, opens):
    from extractors.appendix.row_lines import _Line, _Row, _lost_row

    roles = ["row_no", "task", "lead", "deadline", "budget"]
    above = [_Row("1", [_Line(3, ["Rà", "soát"], frozenset(), 1), _Line(4, ["thủ", "tục"], frozenset(), 1)])]
    words, _ = line_tokens(line)
    after, _ = line_tokens("dân về công tác cải cách 15/12/2025 sách xã")
    assert _lost_row(words, roles, above, after) == opens
    assert not _lost_row(words, roles, [_Row("1", above[0].lines[:1])], after)  # the row above on its first line
    if "Trước" in line or "Tháng" in line:
        assert not _lost_row(words, roles, above, line_tokens("dân về công tác cải cách hành chính")[0])


@pytest.mark.parametrize("second, opens", [
    ("Bồi dưỡng kiến thức, kỹ năng cho cán bộ", True),  # how another row's task opens
    ("Nghị định số 61/2018/NĐ-CP của Chính phủ", False),  # a name goes on the cell
    ("cán bộ, công chức xã năm 2025", False),
    # a task's verb, capitalised, opens a cell: a row whose number OCR lost, though no other
    # row read opens so
    ("Duy trì áp dụng hệ thống quản lý chất lượng", True),
    ("Triển khai thực hiện chế độ tự chủ", True),
    ("UBND xã ban hành", False),  # a body's acronym goes on a sentence
])
def test_a_task_going_on_with_another_rows_opening_is_not_read(second, opens):
    # the next row's first line, run into this row: its number was lost, or a table centring its
    # cells printed it above the number
    head = ["PHỤ LỤC", "TT Nội dung công việc | Cơ quan chủ trì Thời gian"]
    rows = []
    for n in range(1, 8):
        rows += [f"{n} | Bồi dưỡng kiến thức, kỹ năng cho cán bộ lần {n} | Công an xã Quý II/2025",
                 "theo quy định tại Nghị định số 61/2018/NĐ-CP"]
    rows += ["8 | Tuyên truyền, phổ biến các văn bản pháp luật mới | UBND xã Năm 2025", second]
    lines = head + rows
    reading = row_line_tables(lines, [1] * len(lines))
    assert reading.fit[len(lines)] == ((0, 1) if opens else (1, 1))
    assert reading.fit[3] == (1, 1)


@pytest.mark.parametrize("lead, rest, ambiguous", [
    ("Công chức Địa chính — Xây", "dựng", False),  # the name wanted it: no other column could take it
    ("Công chức Địa chính — Xây", "dung", False),  # so read by English OCR
    ("Các cơ quan, đơn vị", "liên quan", False),  # a whole name that goes on to a longer one
    ("Công chức Địa chính — Xây", "tài chính", True),  # no body's name goes on so: the task's as well
    ("Công an xã", "liên quan", True),
])
def test_a_lone_rest_of_a_cut_name_is_no_ambiguous_line(lead, rest, ambiguous):
    from extractors.appendix.row_lines import _ambiguous

    roles, widths = ["task", "lead", "deadline"], [44.0, 26.0, 12.0]
    cuts = [([["Xây", "dựng", "và", "ban", "hành", "Kế", "hoạch", "cải", "cách", "hành", "chính", "năm", "2025"],
              lead.split(), ["Quý", "IV/2025"]], 0.0, 0.9),
            ([[], rest.split(), []], 0.0, 0.2)]
    assert _ambiguous(cuts, roles, widths) is ambiguous


@pytest.mark.parametrize("lead_lines, task_line, ambiguous", [
    # the lead's cell so far is a whole name over two lines: it takes no more words
    (["Công chức Địa", "chính — Xây dựng"], "về công tác cải cách hành", False),
    (["Công chức Tư", "pháp — Hộ tịch"], "về công tác cải cách hành", False),
    (["Công chức Địa", "chính — Xây dựng"], "về công tác", False),
    # a name cut short ("... Thống" waits for "kê") is no whole cell: a word under it is unsure
    # where it goes on the task's line no better than on the name ("công tác" + "chính" as
    # "Thống" + "chính"), and the task's where it goes on that line far better ("cải cách
    # hành" + "chính": by more than AMBIGUOUS_MARGIN of the language model's log ratio)
    (["Công chức Văn", "phòng — Thống"], "về công tác", True),
    (["Công chức Văn", "phòng — Thống"], "về công tác cải cách hành", False),
])
def test_a_continuation_line_is_ambiguous_by_the_whole_cell_above(lead_lines, task_line, ambiguous):
    from extractors.appendix.row_lines import _ambiguous

    roles, widths = ["task", "lead", "deadline"], [30.0, 14.0, 12.0]
    cuts = [([["Tổ", "chức", "đối", "thoại", "với", "nhân", "dân"], lead_lines[0].split(), ["Quý", "IV/2025"]], 0.0, 0.9),
            ([task_line.split(), lead_lines[1].split(), []], 0.0, 0.9),
            ([["chính"], [], []], 0.0, 0.2)]
    assert _ambiguous(cuts, roles, widths) is ambiguous


@pytest.mark.parametrize("budget, task, rest, column, ambiguous", [
    # "Ngân sách nhà" + "nước" goes on far better than the task's "... theo quy định" + "nước":
    # read as the budget's rest, no doubt; read as the task's, the budget's rest is as likely
    ("Ngân sách nhà", "theo quy định", "nước", 2, False),
    ("Ngân sách nhà", "theo quy định", "nước", 0, True),
    ("Nguồn kinh phí thường", "theo quy định", "xuyên", 2, False),
    ("Nguồn kinh phí thường", "theo quy định", "xuyên", 0, True),
    # "và ..." goes on a task's "... cải cách hành chính" about as well as on the budget's
    # "Nguồn kinh phí": either column could hold it
    ("Nguồn kinh phí", "cải cách hành chính", "và các năm", 0, True),
    # "năm 2025" goes on the task's "... hành chính" better, by more than AMBIGUOUS_MARGIN
    ("Nguồn kinh phí", "cải cách hành chính", "năm 2025", 0, False),
])
def test_a_lone_fragment_is_ambiguous_only_where_it_goes_on_either_cell_alike(budget, task, rest, column, ambiguous):
    from extractors.appendix.row_lines import _ambiguous

    roles, widths = ["task", "lead", "budget"], [36.0, 12.0, 14.0]
    below = [[], [], []]
    below[column] = rest.split()
    cuts = [([f"Xây dựng và ban hành Kế hoạch {task}".split(), ["UBND", "xã"], budget.split()], 0.0, 0.9),
            (below, 0.0, 0.2)]
    assert _ambiguous(cuts, roles, widths) is ambiguous


@pytest.mark.parametrize("support, read", [
    ("UBMTTQ và các đoàn thể", True),  # the registry's short name of the Front, and a group
    ("Các công chức chuyên môn", True),  # a group of bodies no typed phrase opens, in a typed column
    ("Các cơ quan, đơn vị liên quan;", False),  # one more name went to another column
    ("Các cơ quan, đơn vị liên quan; Các thôn", True),
    ("Các thôn,", False),
])
def test_a_body_cell_ending_before_one_more_name_is_not_read(support, read):
    from extractors.appendix.row_lines import _row_read

    roles = ["task", "lead", "support", "deadline"]
    cells = ["Thực hiện quy chế dân chủ ở cơ sở", "UBND xã", support, "Quý IV/2025"]
    assert _row_read(cells, roles, set(), set()) is read
    assert _row_read(cells, roles, {2}, set()) is read  # the support column typed: opening as bodies do


VERTICAL_DUMP = """PHỤ LỤC

Nội dung công việc

Cơ quan, đơn vị thực

Thời gian hoàn thành

Kết quả đầu ra

hiện

Rà soát, đánh giá thủ tục hành chính thuộc | Công an xã Hằng quý Báo cáo đánh giá
thẩm quyền giải quyết của UBND xã
Công khai đầy đủ, kịp thời các thủ tục hành | UBND xã Năm 2025 Báo cáo kết quả rà soát
chính tại Bộ phận Một cửa
"""


def test_a_header_printed_one_cell_per_line_names_its_columns():
    # English OCR read each header cell as a block of its own, the lead's wrapped "hiện" last;
    # the rows below are printed line by line
    from extractors.appendix.row_lines import _vertical_header

    lines = VERTICAL_DUMP.splitlines()
    got = _vertical_header(lines, 2)
    assert got is not None and got[0] == ["task", "lead", "deadline", "product"]
    assert lines[got[1] - 1] == "hiện"
    reading = row_line_tables(lines, [1] * len(lines))
    texts = {(c.row, c.col): c.text for c in reading.tables[0].cells}
    assert texts[(1, 0)].startswith("Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền")
    assert (texts[(1, 1)], texts[(1, 2)]) == ("Công an xã", "Hằng quý")
    assert (texts[(2, 1)], texts[(2, 2)]) == ("UBND xã", "Năm 2025")
    # rows printed cell by cell under it are no rows of this reader (the stream decoder's)
    cell_by_cell = lines[:12] + ["Rà soát, đánh giá thủ tục hành chính", "", "Công an xã", "", "Hằng quý"]
    assert _vertical_header(cell_by_cell, 2) is None


@pytest.mark.parametrize("cells", [
    ["STT", "Tên nhiệm vụ", "Sản phẩm đầu\nra", "Đơn vị\nchủ trì", "Đơn vị\nphối hợp", "Thời gian\nthực hiện", "Kinh phí"],
    ["TT", "Nội dung\ncông việc", "Cơ quan chủ\ntrì", "Thời gian\nhoàn thành"],
    ["STT", "Mục tiêu", "Nhiệm vụ", "Hoạt động", "Sản phẩm\nđầu ra", "Cơ quan\nchủ trì", "Cơ quan\nphối hợp",
     "Thời hạn\nhoàn thành", "Kinh phí", "Ghi chú"],
])
def test_a_header_printed_cell_by_cell_with_cells_wrapped_in_their_blocks_names_its_columns(cells):
    # each header cell a block of its own, wrapped in it ("Sản phẩm đầu" / "ra"), blank lines
    # between: the blocks are the cells (line by line they name no header), however many lines
    from extractors.appendix.row_lines import _vertical_header
    from extractors.appendix.vocab import header_cell_column

    lines = ["PHỤ LỤC", ""] + [t for cell in cells for t in (*cell.split("\n"), "")] + ["Công tác chỉ đạo"]
    got = _vertical_header(lines, 2)
    assert got is not None
    assert got[0] == [header_cell_column(c.replace("\n", " ")) for c in cells]
    assert lines[got[1] - 1] == cells[-1].split("\n")[-1]


def test_a_dump_without_a_table_header_gives_no_table():
    lines = ["1 | Rà soát, đánh giá thủ tục hành chính | Văn phòng HĐND-UBND xã Thường xuyên",
             "2 | Tổ chức đối thoại với nhân dân về | Chủ tịch UBND xã Quý II/2025"]
    assert row_line_tables(lines, [1, 1]).tables == ()


# --- generated plans, English-model OCR of their scans ----------------------------------------

#: generated plans of every table shape (tests/plan_shapes.py: 4 to 8 columns, with and without
#: TT column, group rows, merged cells, repeated headers), rasterized with light noise and read
#: by tesseract's English model (built once, cached by plan)
OCR_SEEDS = range(1001, 1012)


@pytest.fixture(scope="module")
def ocr_dumps():
    import plan_shapes as ps

    out = {}
    for seed in OCR_SEEDS:
        plan = ps.make_plan(seed)
        res = process_document(ps.make_form(plan, "ocr_eng"), Config(workers=1))
        out[seed] = (res, appendix_rows(res), ps.gold_rows(plan))
    return out


def test_english_ocr_dumps_give_rows_with_precision_first(ocr_dumps):
    gold = got = matched = 0
    for seed, (res, rows, want) in ocr_dumps.items():
        pairs = match_rows(rows, want, COMPARED_ROLES)
        gold, got, matched = gold + len(want), got + len(rows), matched + len(pairs)
        # No plan gives many wrong rows.
        assert len(rows) - len(pairs) <= max(2, 0.3 * len(rows)), (seed, len(pairs), len(rows))
    recall, precision = matched / gold, matched / got
    print(f"English-OCR dumps, {len(ocr_dumps)} plans: rows recall {recall:.3f}, precision {precision:.3f}")
    # Measured: recall 0.529, precision 0.946 (the rows whose cut or typed cells are unsure are
    # left out and counted; 0.508 / 0.935 before rows sharing a merged cell carried over a page
    # break were refused, bent quarter numerals and deadline head words read, body cells of
    # several whole names taken as whole, a deadline's lone head word put in its column and a
    # lone body beside an empty lead taken for the lead;
    # 0.466 / 0.952 before a merged cell's rest was read where clear,
    # bodies' and deadlines' cells ending inside a name or before a date were open and names
    # the repair parted elsewhere were read; 0.370 / 0.969 before words were judged with the word before them,
    # whole words read without marks got them back, cuts that hold only for the widths
    # estimated were refused and words were ambiguous only where they go on either cell alike;
    # 0.309 / 0.936 before list items, bent deadline words, misread row numbers, headers
    # printed cell by cell and pages printed so were read).
    assert recall >= 0.48 and precision >= 0.9


def test_rows_with_the_longest_body_names_are_read(ocr_dumps):
    # A body column is as wide as the widest name read whole on one line in it: the width's
    # percentile fell short of the longest names ("Công chức Văn phòng – Thống kê"), whose
    # first words then went to the task.  Measured 43 of 120 such rows (33 before, 36 with this
    # rule alone).
    long_read = sum(len(want[j]["lead"]) >= 28 for _, (_, rows, want) in ocr_dumps.items()
                    for _, j in match_rows(rows, want, COMPARED_ROLES))
    assert long_read >= 35


def test_body_names_of_rows_read_have_the_registrys_marks(ocr_dumps):
    # "BỘ phận Một cửa", "Chu tich UBND xã", "Các bạn, ngành, đoàn thể xa" as OCR and the repair
    # left them are given the registry's marks and case
    from normalizers.owners import registry_marks

    cells = [r[c] for _, rows, _ in ocr_dumps.values() for r in rows for c in ("lead", "support") if r.get(c)]
    assert len(cells) > 50
    assert all(registry_marks(t) == t for t in cells), [t for t in cells if registry_marks(t) != t]


def test_pages_printed_cell_by_cell_and_row_by_row_give_one_table():
    # tesseract printed the header and the first pages' cells each as a block of its own (read
    # from the order of the lines), the later pages row by row (read as row lines, continuing
    # the header two pages up): every row comes once, from the reader that reads its page
    import plan_shapes as ps

    plan = ps.make_plan(1024)
    res = process_document(ps.make_form(plan, "ocr_eng"), Config(workers=1))
    rows, want = appendix_rows(res), ps.gold_rows(plan)
    pairs = match_rows(rows, want, COMPARED_ROLES)
    # Measured: 39 of 40 rows right, none wrong (23 before: the row-lines pages were lost).
    assert len(pairs) >= 36 and len(rows) == len(pairs)
    assert len({r["line_start"] for r in rows}) == len(rows)
    assert "1 appendix row(s) left out" in res.errors[0].message


def test_rows_left_out_are_counted_and_rows_read_carry_a_lower_confidence(ocr_dumps):
    for seed, (res, rows, want) in ocr_dumps.items():
        if len(rows) < len(want):
            assert res.status == "partial"
            assert any("appendix row(s) left out" in e.message for e in res.errors), (seed, res.error_message)
        assert all(r["line_start"] and r["line_end"] >= r["line_start"] for r in rows)
        # English-model OCR (0.7; a dump only partly so: 0.85) times the parse of printed lines
        # (0.8 row-lines, 0.85 stream) at most: below the documented filter confidence >= 0.8.
        assert all(0 < r["confidence"] <= 0.85 * 0.85 for r in rows), seed
        assert all(r["confidence"] <= 0.7 * 0.85 for r in rows) or res.tables["documents"][0]["text_state"] == "mixed"


#: the same kind of plans with every table cell centred vertically, as Word plans often are: a
#: row's number and short cells stand beside the middle line of its tallest cell, and OCR makes
#: letters of the speckle in the empty space above and below them
CENTRED_SEEDS = range(1006, 1010)


def test_english_ocr_of_centred_tables_gives_no_rows_of_noise():
    import plan_shapes as ps

    got = matched = 0
    for seed in CENTRED_SEEDS:
        plan = ps.make_plan(seed)
        res = process_document(ps.make_form(plan, "ocr_eng_centered"), Config(workers=1))
        rows, want = appendix_rows(res), ps.gold_rows(plan)
        pairs = match_rows(rows, want, COMPARED_ROLES)
        got, matched = got + len(rows), matched + len(pairs)
        assert len(rows) - len(pairs) <= 1, (seed, len(pairs), len(rows))
    # Measured: 33 of 35 rows right (10 of 11 before rows whose number OCR misread went on the
    # sequence; before cells of noise were refused, seeds 1006-1017: 11 of 16).
    assert got and matched / got >= 0.85 and matched >= 30


@pytest.mark.parametrize("numeral, title, group", [
    ("Từ_|", "Cải cách thể chế", "II"),  # "II" read "Ti_|", made a word by the repair
    ("Ti", "Cải cách chế độ công vụ", "II"),
    ("H_[|", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "II"),
    ("ll.", "Công tác chỉ đạo, điều hành cải cách hành chính", "II"),
    ("Từ_|", "Cải cách tài chính công", "II"),
    # no area's heading: a line going on the row above, no group row
    ("Từ_|", "Công khai đầy đủ các thủ tục hành chính", None),
    ("của", "Chủ tịch UBND xã", None),
    ("Từ_|", "Cải cách hành chính năm 2025", None),
])
def test_a_group_numeral_bent_past_recognition_before_an_areas_title_opens_the_group(numeral, title, group):
    head = ["PHỤ LỤC", "TT Nội dung công việc | Cơ quan chủ trì Thời gian", "I_| Cải cách thủ tục hành chính"]
    rows = [f"{n} | Tổ chức đối thoại với nhân dân lần {n} | Công an xã Quý II/2025" for n in range(1, 4)]
    tail = [f"{numeral} {title}", "4 | Rà soát văn bản quy phạm pháp luật | UBND xã Năm 2025"]
    lines = head + rows + tail
    reading = row_line_tables(lines, [1] * len(lines))
    cells = {(c.row, c.col): c.text for c in reading.tables[0].cells}
    groups = [(cells[(r, 0)], cells.get((r, 1))) for r in range(1, 1 + max(r for r, _ in cells))
              if not cells.get((r, 0), "").isdigit()]
    if group:
        assert groups == [("I", "Cải cách thủ tục hành chính"), (group, title)]
        assert cells[(6, 1)] == "Rà soát văn bản quy phạm pháp luật"  # the row after it stays whole
    else:
        assert groups == [("I", "Cải cách thủ tục hành chính")]


TOP_CELLS = ("Cơ quan thực hiện", "Đơn vị thực hiện", "Trách nhiệm thực hiện", "Phân công thực hiện")
LOWER_CELLS = (("Chủ trì", "Phối hợp"), ("Cơ quan chủ trì", "Cơ quan phối hợp"), ("Đơn vị chủ trì", "Đơn vị phối hợp"))


def _two_level_headers():
    """English-OCR header lines of two-level headers: a top cell over the lead and support
    columns (named or not), their cells below on one line or wrapped over two, with or without
    another cell's wrapped rest beside them ("Thời hạn" / "hoàn thành"), with and without a
    product and a budget column."""
    import itertools

    for top, (lead, support), product, rest, wrapped in itertools.product(
            TOP_CELLS, LOWER_CELLS, (False, True), (False, True), (False, True)):
        if wrapped and len(lead.split()) < 3:
            continue
        deadline = "Thời hạn" if rest else "Tiến độ"
        first = " ".join(["STT", "Nội dung công việc"] + ["Sản phẩm"] * product + [top, deadline, "Kinh phí"])
        if wrapped:  # "Cơ quan chủ Cơ quan phối" / "trì hợp"
            below = [f"{lead.rsplit(' ', 1)[0]} {support.rsplit(' ', 1)[0]}" + " hoàn" * rest,
                     f"{lead.rsplit(' ', 1)[1]} {support.rsplit(' ', 1)[1]}" + " thành" * rest]
        else:
            below = [f"{lead} {support}" + " hoàn thành" * rest]
        want = ["row_no", "task"] + ["product"] * product + ["lead", "support", "deadline", "budget"]
        yield first, below, want


@pytest.mark.parametrize("first, below, want", list(_two_level_headers()))
def test_a_two_level_headers_lower_cells_name_the_lead_and_support_columns(first, below, want):
    """The top cell over the lead and support columns ("Trách nhiệm thực hiện") is no column of
    its own, nor are its lower cells the wrapped rest of other cells: the table has both
    columns, in their place.  (Before: four or five columns, the lower cells a fragment of the
    top cell or a column after the deadline.)"""
    from extractors.appendix.row_lines import _blocks

    lines = [first, *below,
             "1 Rà soát thủ tục hành chính Kế hoạch UBND xã Công an xã Quý I/2025 Ngân sách xã" if "product" in want
             else "1 Rà soát thủ tục hành chính UBND xã Công an xã Quý I/2025 Ngân sách xã",
             "2 Công khai kết quả giải quyết hồ sơ Báo cáo Chủ tịch UBND xã Các thôn Hàng năm Ngân sách xã"
             if "product" in want else "2 Công khai kết quả giải quyết hồ sơ Chủ tịch UBND xã Các thôn Hàng năm Ngân sách xã"]
    blocks = _blocks(lines, [1] * len(lines))
    assert [b.roles for b in blocks] == [want]
    assert [r.no for r in blocks[0].rows] == ["1", "2"]


@pytest.mark.parametrize("header, want", [
    (["STT Nội dung công việc Cơ quan chủ trì Cơ quan phối hợp Thời gian"],
     ["row_no", "task", "lead", "support", "deadline"]),
    (["STT Nội dung công việc Cơ quan chủ trì Thời gian hoàn thành"], ["row_no", "task", "lead", "deadline"]),
    (["STT Nội dung công việc Cơ quan, đơn vị Thời gian", "thực hiện hoàn thành"], ["row_no", "task", "lead", "deadline"]),
])
def test_a_one_level_header_keeps_its_columns(header, want):
    from extractors.appendix.row_lines import _blocks

    lines = header + ["1 Rà soát thủ tục hành chính UBND xã Quý I/2025"]
    assert [b.roles for b in _blocks(lines, [1] * len(lines))] == [want]


def _centred_dump(seed: int) -> tuple[list[str], list[dict[str, str]]]:
    """A row-lines dump of a table that centres its cells in their rows, as tesseract prints one:
    TT, a task (now and then with list items under its ":"), a lead, a support column or none,
    a deadline; every cell wrapped in its column and centred in its row (where the row and the
    cell differ by an odd number of lines, its lines half-way between two printed with the upper
    or, in some rows, the lower one), the row's number on its middle line; columns parted by a
    space, now and then by a bar; the header centred too in half the dumps (its wrapped
    "Thời gian hoàn" / "thành" printed above the line holding the other cells).  Returns the
    lines and the rows' cells."""
    import random

    import plan_shapes as ps

    rng = random.Random(seed)
    support = rng.random() < 0.5
    roles = ["task", "lead"] + (["support"] if support else []) + ["deadline"]
    widths = {"task": rng.choice((26.0, 34.0, 45.0)), "lead": rng.choice((14.0, 18.0, 24.0)),
              "support": 18.0, "deadline": 12.0}
    header = ["TT", "Nội dung công việc", "Cơ quan chủ trì"] + (["Cơ quan phối hợp"] if support else []) + [
        "Thời gian hoàn thành"]
    if rng.random() < 0.5:
        lines = ["PHỤ LỤC", " ".join(header)]
    else:  # the header centred too: its wrapped deadline cell's first line above the others
        lines = ["PHỤ LỤC", "Thời gian hoàn", " ".join(header[:-1] + ["thành"])]
    rows = []
    for k in range(rng.randint(5, 12)):
        cells = {"task": rng.choice(ps.TASKS) + rng.choice(("", "", " năm 2025", " theo chỉ đạo của UBND huyện")),
                 "lead": rng.choice(ps.OWNERS), "deadline": rng.choice(ps.DEADLINES)}
        if support:
            cells["support"] = rng.choice(ps.SUPPORTS)
        wrapped = {r: _wrapped(cells[r], widths[r]) for r in roles}
        if rng.random() < 0.2:
            items = ["- Báo cáo UBND huyện theo định kỳ.", "- Đăng tải trên Trang thông tin điện tử của xã."]
            cells["task"] += ": " + " ".join(items)
            wrapped["task"] = _wrapped(cells["task"].split(": -")[0] + ":", widths["task"]) + [
                w for item in items for w in _wrapped(item, widths["task"])]
        height = max(len(w) for w in wrapped.values())
        down = rng.random() < 0.5  # a line half-way between two printed with the lower one
        middle = (height - 1 + down) // 2
        printed = [[] for _ in range(height)]
        for r in roles:
            n = len(wrapped[r])
            top = (height - n + down) // 2
            for m, text in enumerate(wrapped[r]):
                printed[top + m].append(text)
        printed[middle].insert(0, str(k + 1))
        for parts in printed:
            sep = " | " if rng.random() < 0.3 else " "
            lines.append(sep.join(parts))
        rows.append(cells)
    return lines + ["", "Nơi nhận:"], rows


def test_a_table_centring_its_cells_reads_its_rows_whole():
    # A table centring its cells prints a row's number on its middle line, the lines of its
    # task above and below it: read as printed, the lines above went on the row before.  The
    # lines between two number lines are now parted where both rows come out centred, and a
    # centred row is cut from its middle line too; the first row's top line under the header is
    # no wrapped header ("Kiểm tra việc ..." named a "kiểm tra" column), nor is a deadline's
    # head word parted from its date ("Trước" / "3 ... 30/6/2025"); a centred header's top line
    # ("Thời gian hoàn") completes its cells.  Measured over 40 dumps: 258 of 318 rows read with
    # every cell whole (before: 10; 160 without the centred header), 2 read wrong (before: 27)
    # -- a body's name wrapped before its "xã" that went on the body beside it ("Trưởng các
    # thôn xã", the same body to the registry), a support's rest "liên quan" that reads on as
    # well at the task's end.
    right = wrong = total = 0
    for seed in range(40):
        lines, rows = _centred_dump(seed)
        got = _read_rows(lines)
        total += len(rows)
        for cells in rows:
            first = next((g for g in got if g.get(0) == str(rows.index(cells) + 1)), None)
            if first is None:
                continue
            want = [str(rows.index(cells) + 1)] + [cells[r] for r in ("task", "lead", "support", "deadline")
                                                    if r in cells]
            ok = [first.get(c, "") for c in range(len(want))] == want
            right += ok
            wrong += not ok
            if not ok:
                print(seed, first, want)
    print(f"{right} of {total} centred rows read whole, {wrong} wrong")
    assert total > 300 and wrong <= 0.02 * (right + wrong) and right >= 0.7 * total
