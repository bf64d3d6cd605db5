"""Plain ``pdftotext`` dumps (no ``-layout``) of ruled tables: rows put back by counting each
column's cells (extractors.appendix.column_dump) and blocks whose columns share printed lines read
level by level (extractors.appendix.shared_lines).

The dumps here are printed the way pdftotext prints a LibreOffice or Word table (seen on the
generated plans of tests/plan_shapes.py): the TT column and the first text column each a block
down the page; the short columns in bands, row by row, a column's cells in one block while each
fills its row's height; columns standing close printed together, height by height, a line glued
to its right neighbour's where it fills its column.  Many tables are drawn at random; the real
dumps of LibreOffice PDFs are checked in tests/pipeline/test_table_shapes.py and measured by
scripts/eval_tables.py.
"""

from __future__ import annotations

import random

import pytest

from extractors.appendix.column_dump import _rehyphenated, _zone_cells, column_tables
from extractors.appendix.shared_lines import read_shared

TASKS = (
    "Thực hiện quy chế dân chủ ở cơ sở",
    "Rà soát, sắp xếp vị trí việc làm của cán bộ, công chức xã",
    "Triển khai thực hiện chế độ tự chủ về tài chính đảm bảo công khai, minh bạch, đúng thời gian quy định",
    "Duy trì áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015",
    "Kiện toàn Bộ phận tiếp nhận và trả kết quả giải quyết thủ tục hành chính",
    "Sử dụng chữ ký số trong gửi, nhận văn bản điện tử",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Cập nhật, đăng tải thông tin trên Trang thông tin điện tử của xã theo chỉ đạo của UBND huyện",
    "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính",
    "Khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính",
    "Xây dựng và ban hành Kế hoạch cải cách hành chính năm 2025",
    "Tổ chức đối thoại với nhân dân về công tác cải cách hành chính",
)
LEADS = ("Văn phòng HĐND-UBND xã", "Công chức Tư pháp – Hộ tịch", "Công an xã", "Bộ phận Một cửa",
         "Chủ tịch UBND xã", "Ban Chỉ huy Quân sự xã", "Công chức Văn hóa – Xã hội", "UBND xã")
DEADLINES = ("Quý I/2025", "Quý IV/2025", "Thường xuyên", "Trước 15/12/2025", "Năm 2025", "Hàng quý",
             "Tháng 12/2025", "Trước 30/6/2025")
PRODUCTS = ("Kế hoạch được ban hành", "Báo cáo", "Quyết định", "Tin, bài tuyên truyền", "Hồ sơ được số hóa",
            "Danh sách", "Quy chế làm việc")


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


def _table(rng: random.Random, n: int) -> list[dict[str, str]]:
    return [{"row_no": str(k + 1), "task": rng.choice(TASKS), "product": rng.choice(PRODUCTS),
             "lead": rng.choice(LEADS), "deadline": rng.choice(DEADLINES)} for k in range(n)]


def _column_dump(rows: list[dict[str, str]], widths: dict[str, int]) -> str:
    """TT and Nội dung as blocks down the page; the lead and deadline columns in bands."""
    out = ["PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025", "TT"] + [r["row_no"] for r in rows] + [""]
    out += ["Nội dung công việc"] + [line for r in rows for line in _wrap(r["task"], widths["task"])] + [""]
    out += ["Cơ quan chủ trì"]
    heights = [max(len(_wrap(r[c], widths[c])) for c in ("task", "lead", "deadline")) for r in rows]
    blocks = {"lead": [], "deadline": []}
    first = True
    for r, height in zip(rows, heights):
        for col in ("lead", "deadline"):
            lines = _wrap(r[col], widths[col])
            blocks[col] += lines
            if len(lines) < height:
                out += blocks[col] + [""]
                blocks[col] = []
                if first and col == "lead":
                    out += ["Tiến độ"]
                    first = False
        if first:
            out += [""]
    for col in ("lead", "deadline"):
        out += blocks[col] + [""] if blocks[col] else []
    return "\n".join(out) + "\n"


def _read(text: str):
    lines = text.split("\n")
    return column_tables(lines, [1] * len(lines))


@pytest.mark.parametrize("seed", range(12))
def test_a_table_printed_column_by_column_gives_its_rows_or_none(seed):
    """Every row back, or the page left out and counted: never a wrong row.  (How many are
    read is measured on real dumps by scripts/eval_tables.py, and asserted for one real
    column-by-column dump in tests/pipeline/test_table_shapes.py.)"""
    rng = random.Random(seed)
    rows = _table(rng, rng.randint(6, 18))
    widths = {"task": rng.randint(40, 90), "lead": rng.randint(24, 32), "deadline": rng.randint(16, 20)}
    tables = _read(_column_dump(rows, widths))
    assert len(tables) == 1
    got = [{c: r.cells[c] for c in ("row_no", "task", "lead", "deadline")} for r in tables[0].rows]
    want = [{c: r[c] for c in ("row_no", "task", "lead", "deadline")} for r in rows]
    assert got in (want, [])
    assert (tables[0].unread_rows == 0) == bool(got)


def test_a_column_with_a_cell_too_many_leaves_the_page_out_rather_than_shift_it():
    rng = random.Random(5)
    rows = _table(rng, 10)
    text = _column_dump(rows, {"task": 60, "lead": 28, "deadline": 18})
    # a deadline printed twice: the deadline column holds a cell more than the page has rows
    text = text.replace(f"\n{rows[3]['deadline']}\n", f"\n{rows[3]['deadline']}\nHàng năm\n", 1)
    tables = _read(text)
    wrong = [r for r, want in zip(tables[0].rows, rows) if r.cells["deadline"] != want["deadline"]] if tables else []
    assert not wrong


def _shared_block(rows: list[dict[str, str]], roles: tuple[str, ...], widths: dict[str, int]) -> list[str]:
    """The columns ``roles`` printed together, height by height; a line glued to the next
    column's where it fills its own column."""
    out = []
    for r in rows:
        wrapped = [_wrap(r[c], widths[c]) for c in roles]
        for level in range(max(len(w) for w in wrapped)):
            pieces = [(k, w[level]) for k, w in enumerate(wrapped) if level < len(w)]
            line = ""
            for n, (k, text) in enumerate(pieces):
                line = f"{line} {text}" if line else text
                nxt = pieces[n + 1][0] if n + 1 < len(pieces) else None
                if not (nxt == k + 1 and len(text) >= widths[roles[k]] - 1):
                    out.append(line)
                    line = ""
    return out


#: pdftotext's own print of three columns of a LibreOffice table (task, product, lead)
REAL_SHARED = """Triển khai thực hiện
Kế hoạch được
UBND xã
chế độ tự chủ về tài
ban hành
chính gắn với việc thực
hiện nhiệm vụ chính trị
của địa phương:
- Tổng hợp kết quả, báo
cáo Chủ tịch UBND xã.
- Lồng ghép trong các
buổi họp thôn;
Duy trì áp dụng hệ
Tin, bài tuyên
Bộ phận
thống quản lý chất
truyền
Một cửa
lượng theo tiêu chuẩn
TCVN ISO 9001:2015
Số hóa hồ sơ, kết quả
Hồ sơ được số
Công chức
giải quyết thủ tục hành
hóa
Văn hóa –
chính trên cơ sở kết quả Báo cáo
Xã hội
rà soát năm trước""".split("\n")


def _cells(reading, n: int) -> list[list[str]]:
    return [[" ".join(t for _, t in reading.cells.get(p, {}).get(j, [])) for j in range(n)]
            for p in sorted(reading.cells)]


def test_columns_sharing_printed_lines_are_read_apart():
    reading = read_shared(REAL_SHARED, range(len(REAL_SHARED)), ("task", "product", "lead"), ["1", "2", "3"])
    assert _cells(reading, 3) == [
        ["Triển khai thực hiện chế độ tự chủ về tài chính gắn với việc thực hiện nhiệm vụ chính trị của địa "
         "phương: - Tổng hợp kết quả, báo cáo Chủ tịch UBND xã. - Lồng ghép trong các buổi họp thôn;",
         "Kế hoạch được ban hành", "UBND xã"],
        ["Duy trì áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015",
         "Tin, bài tuyên truyền", "Bộ phận Một cửa"],
        ["Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính trên cơ sở kết quả rà soát năm trước",
         "Hồ sơ được số hóa Báo cáo", "Công chức Văn hóa – Xã hội"],
    ]


def test_generated_shared_blocks_are_mostly_read_right():
    """Many random tables of three columns printed together: the rows read right (the page
    reader keeps a page only when every row's lead and deadline read whole)."""
    right = total = 0
    for seed in range(10):
        rng = random.Random(100 + seed)
        rows = _table(rng, rng.randint(3, 6))
        roles = ("task", "product", "lead")
        widths = {"task": rng.randint(20, 30), "product": rng.randint(12, 18), "lead": rng.randint(10, 14)}
        lines = _shared_block(rows, roles, widths)
        reading = read_shared(lines, range(len(lines)), roles, [r["row_no"] for r in rows])
        got = _cells(reading, 3) if reading else []
        total += len(rows)
        right += sum(g == [r[c] for c in roles] for g, r in zip(got, rows))
    print(f"shared blocks: {right} of {total} rows read right")
    assert right >= 0.8 * total


@pytest.mark.parametrize("lines, want", [
    (["Cơ quan, đơn", "vị thực hiện", "Cơ quan phối", "hợp", "Thời gian", "hoàn thành"],
     ["lead", "support", "deadline"]),
    (["Sản phẩm đầu", "Đơn vị", "ra", "chủ trì"], ["product", "lead"]),  # two cells line by line
    (["Kinh", "phí"], ["budget"]),
    (["Nội dung công việc"], ["task"]),
])
def test_header_cells_wrapped_or_interleaved_are_read(lines, want):
    used, cells = _zone_cells(lines)
    assert used == len(lines) and [c for c, _ in cells] == want


@pytest.mark.parametrize("lines", [["UBND xã"], ["Công an xã", "Văn phòng"], ["Ngân sách", "nhà nước"]])
def test_cells_of_header_words_are_no_header(lines):
    assert _zone_cells(lines) == (0, [])


def test_hyphens_pdftotext_dropped_between_acronyms_come_back():
    assert _rehyphenated("Văn phòng HĐNDUBND xã") == "Văn phòng HĐND-UBND xã"
    assert _rehyphenated("Nghị định số 61/2018/NĐCP") == "Nghị định số 61/2018/NĐ-CP"
    assert _rehyphenated("HĐND và UBND") == "HĐND và UBND"
