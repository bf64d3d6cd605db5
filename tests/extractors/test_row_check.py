"""Row checks (extractors/appendix/row_check.py): the rows of the sample plans pass; rows whose
cells hold other rows' or columns' text, made from them in many ways, are caught; a table
reading that is mostly such rows, or leaves lead / deadline empty, is no reading."""

from __future__ import annotations

import random

import pytest

from conftest import sample_lines
from extractors.appendix import extract_appendix
from extractors.appendix.row_check import MAX_META_CHARS, row_faults, table_faults


@pytest.fixture(scope="module")
def sample_tables():
    return [t for s in ("000", "001", "002") for t in extract_appendix(sample_lines(s))]


def test_the_sample_plans_rows_have_no_faults(sample_tables):
    rows = [r for t in sample_tables for r in t.rows]
    assert len(rows) == 59 + 30 + 27
    faulty = [(r.row_no, row_faults(r.cells)) for r in rows if row_faults(r.cells)]
    assert not faulty
    assert all(not table_faults([r.cells for r in t.rows], t.columns) for t in sample_tables)


HEADS = ("2.3. Nhiệm vụ 3: Tham gia hoàn thiện", "3.4: Hoạt động 4: Rà soát", "1.2. Mục tiêu 2: 100% văn bản")


def _spoil(cells: dict, rnd: random.Random) -> dict:
    cells = dict(cells)
    short = [c for c in ("product", "lead", "support", "deadline") if c in cells]
    kind = rnd.randrange(6)
    col = rnd.choice(short)
    if kind == 0:  # the next row's outline head printed into a short column
        cells[col] = (cells[col] + " " + rnd.choice(HEADS)).strip()
    elif kind == 1:  # a header cell read as a row's cell
        cells[col] = rnd.choice(("Cơ quan chủ trì", "Thời gian hoàn thành", "Cơ quan phối hợp", "Sản phẩm"))
    elif kind == 2:  # row numbers in a column
        cells[rnd.choice([c for c in ("lead", "support", "deadline") if c in cells])] = rnd.choice(("7", "11 12", "3"))
    elif kind == 3:  # several cells run together
        meta = rnd.choice([c for c in ("lead", "support", "deadline", "budget") if c in cells])
        cells[meta] = " ".join([cells.get(meta) or "UBND xã"] * 40)[: MAX_META_CHARS + 40]
    elif kind == 4:  # no text in the text columns
        for c in ("objective", "task", "activity"):
            if c in cells:
                cells[c] = ""
    else:  # a group title read as a row: one text, no other cell
        cells = {c: "" for c in cells}
        cells[rnd.choice([c for c in ("objective", "task") if c in cells])] = "Cải cách thủ tục hành chính"
    return cells


def test_spoiled_rows_are_caught(sample_tables):
    rnd = random.Random(15)
    rows = [r for t in sample_tables for r in t.rows]
    spoiled = [_spoil(r.cells, rnd) for r in rnd.sample(rows, 100)]
    missed = [c for c in spoiled if not row_faults(c)]
    assert not missed, missed[:3]


def test_a_reading_mostly_of_faulty_rows_or_without_owners_is_no_reading(sample_tables):
    table = sample_tables[0]
    rows = [r.cells for r in table.rows]
    rnd = random.Random(3)
    half = [(_spoil(c, rnd) if k % 2 else c) for k, c in enumerate(rows)]
    assert table_faults(half, table.columns)
    no_lead = [{**c, "lead": ""} for c in rows]
    assert any("lead filled" in f for f in table_faults(no_lead, table.columns))
    assert table_faults(rows, ("row_no", "objective", "task", "activity", "product"))


def test_a_dump_printed_by_columns_is_told_from_one_printed_by_rows(sample_tables):
    from extractors.appendix.row_check import prints_columns

    by_rows = sample_lines("000")
    assert not prints_columns(by_rows)
    rnd = random.Random(5)
    for _ in range(20):
        n = rnd.randint(3, 30)
        first = rnd.randint(1, 9)
        header = ["STT", "", "Mục tiêu", "", "Nội dung công việc", ""]
        numbers = [x for k in range(first, first + n) for x in (str(k), "")]
        cells = [t for r in sample_tables[0].rows[:n] for t in (r.cells["task"], "")]
        assert prints_columns(header + numbers + cells)
        # the same cells printed row by row: each row's cells between its numbers
        rows = [x for k, r in enumerate(sample_tables[0].rows[:n]) for x in (str(first + k), r.cells["task"], r.cells["lead"])]
        assert not prints_columns(header + rows)


@pytest.mark.parametrize("lead", ["Văn phòng HĐND-UBND xã Trước 15/12/2025 - Thông báo",
                                  "Công chức Văn hóa — Xã hội Quý IV/2025 chất lượng", "UBND xã Tháng 12/2025"])
def test_a_body_cell_holding_a_date_is_caught(lead):
    # a deadline read into the lead cell (English OCR run together): no body names a date
    assert "lead holds a date" in row_faults({"task": "Cung cấp dịch vụ công", "lead": lead, "deadline": ""})
    assert row_faults({"task": "Cung cấp dịch vụ công", "lead": "Văn phòng HĐND-UBND xã",
                       "deadline": "Trước 15/12/2025"}) == []


@pytest.mark.parametrize("lead, caught", [
    ("Công chức Tư pháp – Hộ tịch Hàng năm", True),  # the deadline run into the lead cell
    ("UBND xã Thường xuyên", True),
    ("Văn phòng HĐND-UBND xã định kỳ", True),
    ("Thường trực HĐND xã", False),
    ("Ban Chỉ huy Quân sự xã", False),
])
def test_a_body_cell_holding_a_recurrence_is_caught(lead, caught):
    cells = {"task": "Cung cấp dịch vụ công", "lead": lead, "deadline": "Quý I/2025"}
    assert ("lead holds a recurrence" in row_faults(cells)) is caught
    # beside an empty deadline it is the deadline run in on a shared line, not a shifted row
    assert "lead holds a recurrence" not in row_faults({**cells, "deadline": ""})


@pytest.mark.parametrize("product, deadline, caught", [
    ("Trang 30/6/2025", "", True),  # the empty deadline's date run into the product cell
    ("Báo cáo 15/12/2025", "", True),
    ("Báo cáo ngày 15/12/2025", "Trước 15/12/2025", False),  # the deadline has its own
    ("Trang thông tin", "", False),
])
def test_a_product_cell_holding_the_date_of_an_empty_deadline_is_caught(product, deadline, caught):
    cells = {"task": "Cập nhật, đăng tải thông tin", "product": product, "lead": "Công an xã", "deadline": deadline}
    assert ("product holds the date of an empty deadline" in row_faults(cells)) is caught


@pytest.mark.parametrize("budget, caught", [
    ("ban hành", True),  # the rest of the product cell beside it ("Văn bản được" / "ban hành")
    ("tại trụ sở UBND xã", True),
    ("Báo cáo", True),
    ("Ngân sách nhà nước", False),
    ("Ngôn sách xã", False),  # OCR-garbled, still a budget
    ("Trong dự toán được giao", False),
    ("xếp loại được giao", False),
    ("Theo quy I định", False),
    ("Nguồn vốn sự nghiệp", False),
    ("Xã hội hóa", False),
    ("Lồng ghép các chương trình", False),
    ("Không", False),
    ("50 triệu đồng", False),
    ("NSNN", False),
    ("Kinh phí thường xuyên", False),
    ("-", False),
])
def test_a_budget_cell_without_budget_wording_is_caught(budget, caught):
    cells = {"task": "Cập nhật, đăng tải thông tin", "lead": "Công an xã", "deadline": "Quý I/2025", "budget": budget}
    assert ("budget holds no budget wording" in row_faults(cells)) is caught


def test_stray_budget_cells_alone_do_not_reject_a_table():
    # OCR garbles or leaves out budget cells as often as not: rows go, the table's reading stays
    rows = [{"task": "Tổ chức đối thoại với nhân dân", "lead": "UBND xã", "deadline": "Quý I/2025",
             "budget": "ban hành" if k % 2 else "Ngân sách xã"} for k in range(10)]
    assert sum(bool(row_faults(r)) for r in rows) == 5
    assert not table_faults(rows, ("task", "lead", "deadline", "budget"))


def test_a_reading_whose_task_cells_are_product_names_is_no_reading():
    rows = [{"task": t, "lead": "UBND xã", "deadline": "Quý I/2025"}
            for t in ("Báo cáo", "Văn bản được ban hành", "Biên bản kiểm tra", "Rà soát thủ tục hành chính")]
    assert any("name a product" in f for f in table_faults(rows, ("task", "lead", "deadline")))
    rows[1]["task"] = rows[2]["task"] = "Tổ chức đối thoại với nhân dân"
    assert not table_faults(rows, ("task", "lead", "deadline"))


@pytest.mark.parametrize("col", ["objective", "task", "activity"])
def test_an_outline_cell_holding_one_text_twice_is_caught(sample_tables, col):
    # two rows' cells joined into one (a row a page break cut joined to the next one's)
    rows = [r for t in sample_tables for r in t.rows if len((r.cells.get(col) or "").split()) >= 3]
    for r in rows:
        doubled = dict(r.cells, **{col: f"{r.cells[col]} {r.cells[col]}"})
        assert any("twice" in f for f in row_faults(doubled)), (col, r.cells[col])
    assert rows
    # a product may list the same product twice; a repeated word inside a cell is no fault
    assert not row_faults({"task": "Tổng hợp, báo cáo báo cáo kết quả", "product": "Báo cáo Báo cáo"})


# --- cells cut off from their rest (rows out of step) ----------------------------------------


def test_the_sample_plans_rows_have_no_cut_cells_but_the_one_read_out_of_step(sample_tables):
    """Sample 000 prints row 10's product, lead and support over shared lines ("Hồ sơ rà soát Bộ
    phận" / "chuyên môn Văn phòng" / "HĐND -" / "UBND xã, bộ" / "phận liên quan"); the stream
    reader parts them one name off: the support opens on the rest of "Văn phòng HĐND - UBND xã".
    That row, and no other, is flagged."""
    from extractors.appendix.row_check import cut_cells

    flagged = [(t_n, r.row_no, cut_cells(r.cells)) for t_n, t in enumerate(sample_tables) for r in t.rows
               if cut_cells(r.cells)]
    assert flagged == [(0, "10", ["support holds the rest of a name"])]
    row = next(r for r in sample_tables[0].rows if r.row_no == "10")
    assert row.cells["lead"] == "Văn phòng" and row.cells["support"].startswith("HĐND - UBND xã")


def test_a_stream_row_whose_names_were_parted_one_name_off_is_parted_anew():
    from pipeline.run import _checked

    (table,) = extract_appendix(sample_lines("000"))
    checked = _checked(table)
    assert len(checked.rows) == len(table.rows) == 59 and checked.unread_rows == table.unread_rows
    row = next(r for r in checked.rows if r.row_no == "10")
    assert (row.cells["product"], row.cells["lead"], row.cells["support"]) == (
        "Hồ sơ rà soát", "Bộ phận chuyên môn", "Văn phòng HĐND - UBND xã, bộ phận liên quan")


COLUMNS = ("row_no", "task", "product", "lead", "support", "deadline")


def _shifted_rows():
    """Rows of names parted one name off, as a dump's shared lines leave them: for every
    registered name of three words or more opening on a capital, its first one or two words
    left at the end of the cell on its left -- where the rest is no group of bodies as plans
    write them in lower case ("bộ phận liên quan" of "Các bộ phận liên quan")."""
    from normalizers.owners import canonical_owner, cut_head, registry_phrases

    out = []
    for name in registry_phrases():
        words = name.split()
        if len(words) < 3 or not words[0][:1].isupper():
            continue
        for n in (1, 2):
            ref = canonical_owner(" ".join(words[n:]))
            if words[n][:1].islower() and not ref.generic and ref.kind != "to_chuc_doan_the":
                out.append((name, n))  # the rest opens inside the name
    # every such rest but a few short ones that spell other names' first words too ("bản": "Ban")
    assert sum(cut_head(" ".join(name.split()[n:])) for name, n in out) >= 0.9 * len(out)
    return [(name, n) for name, n in out if cut_head(" ".join(name.split()[n:]))]


def test_a_support_name_whose_head_went_to_the_lead_is_parted_anew():
    from extractors.appendix.row_check import name_rests, names_reparted

    cases = _shifted_rows()
    assert len(cases) >= 20
    wrong = []
    for name, n in cases:
        words = name.split()
        cells = {"row_no": "3", "task": "Rà soát thủ tục hành chính", "product": "Báo cáo",
                 "lead": "Công an xã " + " ".join(words[:n]), "support": " ".join(words[n:]), "deadline": "Năm 2025"}
        got = names_reparted(cells, COLUMNS)
        if (got["lead"], got["support"]) != ("Công an xã", name) or name_rests(got):
            wrong.append((name, got["lead"], got["support"]))
    assert not wrong, wrong[:5]


def test_a_lead_emptied_so_takes_the_name_ending_the_cell_on_its_left():
    from extractors.appendix.row_check import names_reparted

    cells = {"row_no": "10", "task": "Rà soát", "product": "Hồ sơ rà soát Bộ phận chuyên môn", "lead": "Văn phòng",
             "support": "HĐND - UBND xã, bộ phận liên quan", "deadline": "Thường xuyên"}
    got = names_reparted(cells, COLUMNS)
    assert (got["product"], got["lead"], got["support"]) == (
        "Hồ sơ rà soát", "Bộ phận chuyên môn", "Văn phòng HĐND - UBND xã, bộ phận liên quan")


@pytest.mark.parametrize("cells", [
    # whole names, a short name, a group: nothing to part anew
    {"lead": "Văn phòng HĐND-UBND xã", "support": "Các ban, ngành, đoàn thể xã"},
    {"lead": "Văn phòng", "support": "Các bộ phận chuyên môn"},
    {"product": "Báo cáo UBND xã", "lead": "Công an xã", "support": "các thôn"},
    # the rest of a name whose head is nowhere: no guess (the row is left out by name_rests)
    {"product": "Báo cáo", "lead": "Công an xã", "support": "ngành, đoàn thể xã"},
])
def test_rows_without_a_name_parted_one_name_off_are_unchanged(cells):
    from extractors.appendix.row_check import names_reparted

    assert names_reparted(cells, COLUMNS) == cells



def test_no_registered_name_reads_as_cut_short():
    from normalizers.owners import cut_short, registry_phrases

    phrases = registry_phrases()
    assert len(phrases) > 50 and not [p for p in phrases if cut_short(p)]


@pytest.mark.parametrize("name", [
    "Các ban, ngành, đoàn", "Các cơ quan, đơn vị liên", "Công chức Tư pháp –", "Công chức Tư pháp -",
    "UBMTTQ và", "Các ban,", "Văn phòng HĐND-", "Bộ phận Một", "Các bộ phận chuyên",
    "Công chức Địa chính – Xây", "Trưởng các",
])
def test_a_body_name_cut_inside_a_word_or_on_a_dash_is_cut_short(name):
    from extractors.appendix.row_check import cut_cells
    from normalizers.owners import cut_short

    assert cut_short(name)
    assert cut_cells({"lead": name}) and cut_cells({"support": f"UBND xã; {name}"})


@pytest.mark.parametrize("name", [
    # written short of a capitalised rest, or a body outside the registry
    "Văn phòng", "Chủ tịch", "Công chức", "Bộ phận", "Ban Chỉ huy", "Công chức Văn phòng", "Công chức Văn hóa",
    "Trạm Y tế", "Phòng Kinh tế", "Trường Mầm non", "Các trường học", "Hội Cựu chiến binh", "Các thôn, tổ dân phố",
    "Trưởng các thôn", "Các cơ quan, đơn vị", "Công chức Địa chính – Xây dựng", "Văn phòng HĐND-UBND xã",
])
def test_a_name_written_short_or_unregistered_is_not_cut(name):
    from extractors.appendix.row_check import cut_cells
    from normalizers.owners import cut_short

    assert not cut_short(name) and not cut_cells({"lead": name, "support": name})


@pytest.mark.parametrize("deadline, cut", [
    ("Trước", True), ("Trước ngày", True), ("Tháng", True), ("Quý", True), ("Năm", True), ("trước.", True),
    ("Hàng quý", False), ("Thường xuyên", False), ("Trước 15/12/2025", False), ("Quý I/2025", False),
    ("Năm 2025", False), ("Trong năm 2025", False), ("Tháng 12", False), ("Quý I và Quý II/2025", False),
    ("Từ tháng 1 đến Tháng 12/2025", False), ("Năm 2025, Năm 2026", False), ("2026 - 2030", False), ("", False),
    # a cell of two deadlines, one per product, as a real plan prints it (sample 001, row IV.3)
    ("Quý I/2022 Năm 2022", False),
])
def test_a_deadline_waiting_for_its_date_is_cut(deadline, cut):
    from extractors.appendix.row_check import cut_cells

    assert bool(cut_cells({"deadline": deadline, "lead": "UBND xã"})) == cut


def test_no_registered_name_reads_as_the_rest_of_one():
    from normalizers.owners import cut_head, registry_phrases

    phrases = registry_phrases()
    assert len(phrases) > 50 and not [p for p in phrases if cut_head(p)]


def _rests() -> list[str]:
    """The rests of registered names after their first word or two, as a row out of step
    takes them ("ngành, đoàn thể xã" of "Các ban, ngành, đoàn thể xã")."""
    from normalizers.owners import registry_phrases

    out = []
    for p in registry_phrases():
        words = p.split()
        out += [" ".join(words[k:]) for k in (1, 2) if len(words) > k + 1 and words[k][:1].islower()]
    return sorted(set(out))


def test_the_lower_case_rests_of_registered_names_are_rests():
    """Every rest of a registered name that opens in lower case (a word inside the name) reads
    as a rest, unless it is itself a name or a group of bodies the registry knows."""
    from normalizers.owners import canonical_owner, cut_head, name_rest

    rests = _rests()
    assert len(rests) >= 30
    missed = [r for r in rests if not cut_head(r) and name_rest(r) is None and canonical_owner(r).kind == "other"]
    assert not missed, missed
    flagged = [r for r in rests if cut_head(r)]
    assert len(flagged) >= 0.6 * len(rests), (len(flagged), len(rests))
    from extractors.appendix.row_check import cut_cells

    assert all(cut_cells({"lead": r}) and cut_cells({"support": f"UBND xã; {r}"}) for r in flagged)


@pytest.mark.parametrize("name", [
    "ngành, đoàn thể xã", "thể xã", "pháp – Hộ tịch", "chức Địa chính – Xây dựng", "an xã", "HĐND-UBND xã",
    "xã", "chuyên môn",
])
def test_a_body_name_missing_its_first_words_is_a_rest(name):
    from extractors.appendix.row_check import cut_cells
    from normalizers.owners import cut_head

    assert cut_head(name) and cut_cells({"lead": name})


@pytest.mark.parametrize("name", [
    # short names the registry holds, groups of bodies, bodies outside the registry
    "UBND xã", "Văn hóa – Xã hội", "Công an xã", "các thôn", "đoàn thể", "Phòng Kinh tế", "Trạm Y tế",
    "Văn phòng", "Công chức", "UBMTTQ và các đoàn thể", "Các thôn, tổ dân phố", "Hội Cựu chiến binh",
])
def test_a_short_or_unregistered_name_is_no_rest(name):
    from normalizers.owners import cut_head

    assert not cut_head(name)


def test_a_text_cell_holding_the_next_rows_number_or_a_groups_numeral_is_caught():
    """Two rows' text cells run together where a layout dump glued the TT column to the task
    ("... văn bản điện tử 10 Cập nhật, đăng tải ...", "I Xây dựng ... 1 Thực hiện ..."): every
    pair of the plans' tasks so joined, with the row's own number, the next one, or a numeral."""
    from plan_shapes import TASKS

    from extractors.appendix.row_check import row_faults

    missed = []
    for n, (a, b) in enumerate(zip(TASKS, TASKS[1:] + TASKS[:1])):
        no = n % 30 + 1
        for joined in (f"{a} {no + 1} {b}", f"{no} {a}", f"{a} {['I', 'II', 'IV', 'IX'][n % 4]} {b}"):
            faults = row_faults({"row_no": str(no), "task": joined, "lead": "UBND xã"})
            if not any("row's number" in f for f in faults):
                missed.append(joined)
    assert not missed, missed[:3]


def test_numbers_a_tasks_sentence_names_are_no_row_numbers():
    """Numbers that go with a word inside a sentence (khoản 2 Điều 12, Điều 5 Luật, Quý II Năm
    2024, Nghị định số 61/2018/NĐ-CP), and every task and qualifier of the plans, row by row."""
    from plan_shapes import QUALIFIERS, TASKS

    from extractors.appendix.row_check import row_faults

    texts = [f"{t} {q}" for t in TASKS for q in QUALIFIERS] + [
        "Triển khai theo khoản 2 Điều 12 Nghị định số 61/2018/NĐ-CP", "Thực hiện theo Điều 5 Luật Ban hành văn bản",
        "Báo cáo kết quả Quý II Năm 2024", "Tổ chức Hội nghị lần 2 Ban Chỉ đạo", "Đạt 100% Hồ sơ được số hóa",
        "Thực hiện giai đoạn 2 Đề án 06"]
    flagged = [t for t in texts for no in ("1", "4", "11")
               if any("row's number" in f for f in row_faults({"row_no": no, "task": t, "lead": "UBND xã"}))]
    assert not flagged, flagged[:3]
