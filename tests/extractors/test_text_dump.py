from __future__ import annotations

import codecs

import pytest

from conftest import encode_cp1258, sample_path
from extractors.text_dump import decode_text, document_from_text, extract, split_pages
from pipeline.config import Config
from pipeline.errors import InputFileError

VI = "Kế hoạch cải cách hành chính xã Vĩnh Lập năm 2022\nĐộc lập - Tự do - Hạnh phúc\n"


@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
    ("utf-32", "utf-32"),
    ("cp1258", "cp1258"),
])
def test_decodes_vietnamese_in_common_encodings(encoding, expected):
    data = encode_cp1258(VI) if encoding == "cp1258" else VI.encode(encoding)
    text, used = decode_text(data, "x.txt")
    assert used == expected
    doc = document_from_text(text, path="x.txt", sha256="0" * 64, source_format="text")
    # cp1258 stores tone marks as combining characters; the document is NFC.
    assert doc.texts()[0] == "Kế hoạch cải cách hành chính xã Vĩnh Lập năm 2022"


@pytest.mark.parametrize("data,words", [
    (b"", "empty"),
    (b"   \n\t\n", "empty"),
    (b"\x00\x01\x02\x03binary\x00\xff\xfe\x00\x00\x10", "binary"),
    (codecs.BOM_UTF8 + b"\xff\xfe bad", "not valid utf-8"),
])
def test_bad_bytes_give_a_clear_error_naming_the_file(data, words):
    with pytest.raises(InputFileError) as info:
        decode_text(data, "/in/plan.txt")
    assert "/in/plan.txt" in str(info.value)
    assert words in str(info.value)


def test_text_with_too_few_characters_is_refused():
    with pytest.raises(InputFileError, match="fewer than 20"):
        document_from_text("Kế hoạch", path="a.txt", sha256="0" * 64, source_format="text", min_text_chars=20)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r", "\u2028", "\u2029"])
def test_lines_end_as_any_editor_ends_them(eol):
    """Unix, Windows, old Mac (a lone carriage return: some spreadsheet and text exports)
    line ends and Unicode line and paragraph separators all end a line."""
    text = VI.replace("\n", eol) + "\fTrang hai" + eol
    doc = document_from_text(text, path="x.txt", sha256="0" * 64, source_format="text")
    assert doc.texts() == ["Kế hoạch cải cách hành chính xã Vĩnh Lập năm 2022", "Độc lập - Tự do - Hạnh phúc",
                           "Trang hai"]
    assert [line.page for line in doc.lines] == [1, 1, 2]


def test_form_feeds_start_pages():
    assert split_pages(["a", "b", "\fc", "d", "\f\fe"]) == [1, 1, 2, 2, 4]


def test_page_start_spaces_in_a_pdf_dump_count_pages():
    path = sample_path("000")
    doc = extract(path, Config(), data=path.read_bytes(), sha256="0" * 64)
    lines = doc.lines
    assert len(lines) == 2136  # 2135 newlines, the last line has none
    # " Vĩnh Lập, ngày 31 ..." (line 10) is the header's right column, not a page break.
    assert lines[9].page == 1
    # Line 54 is the first line of page 2 in the dump (49-line pages).
    assert (lines[52].page, lines[53].page) == (1, 2)
    assert lines[102].page == 3
    assert doc.source_encoding == "utf-8"


def test_markdown_emphasis_is_removed():
    path = sample_path("001")
    doc = extract(path, Config(), data=path.read_bytes(), sha256="0" * 64)
    assert doc.texts()[2] == "KẾ HOẠCH"
    assert all("**" not in t for t in doc.texts())


def test_markdown_pipe_tables_become_tab_rows_keeping_line_numbers():
    from extractors.markup_tables import pipe_tables_as_tabs

    lines = ["Kế hoạch", "| TT | Nội dung | Cơ quan chủ trì |", "|---|:---:|---|",
             "| 1 | Rà soát **văn bản**<br>quy phạm | Công chức Tư pháp \\| Hộ tịch |", "|  | Tiếp tục |  |",
             "", "| a | b |", "Không phải bảng | x |"]
    assert pipe_tables_as_tabs(lines) == [
        "Kế hoạch", "TT\tNội dung\tCơ quan chủ trì", "", "1\tRà soát văn bản quy phạm\tCông chức Tư pháp | Hộ tịch",
        "\tTiếp tục\t", "", "| a | b |", "Không phải bảng | x |"]
    # pipes in prose, a row without its delimiter row: no table
    assert pipe_tables_as_tabs(["a | b | c", "| x | y |", "| z | w |"]) == ["a | b | c", "| x | y |", "| z | w |"]


def _markdown_table(lines: list[str]):
    """The one appendix table of a Markdown file of ``lines``."""
    from extractors.appendix import extract_appendix

    doc = document_from_text("\n".join(lines), path="x.md", sha256="0" * 64, source_format="markdown")
    (table,) = extract_appendix(doc.texts())
    return table


def test_a_markdown_appendix_gives_the_rows_of_its_table():
    """A plan written as Markdown (pandoc, docling, ``kehoach text -f md``): its appendix a
    pipe table whose merged outline cells are printed once, in the first row they cover."""
    table = _markdown_table([
        "PHỤ LỤC", "",
        "| TT | Nhiệm vụ | Hoạt động | Cơ quan chủ trì | Thời gian hoàn thành |",
        "| --- | --- | --- | --- | --- |",
        "| I | Cải cách thể chế |  |  |  |",
        "| 1 | Rà soát văn bản quy phạm pháp luật | Lập danh mục văn bản | Công chức Tư pháp – Hộ tịch | Quý I/2025 |",
        "| 2 |  | Đăng tải kết quả rà soát | Văn phòng HĐND-UBND xã | Quý II/2025 |",
        "| 3 | Kiểm soát thủ tục hành chính | Niêm yết công khai | Bộ phận Một cửa | Thường xuyên |",
    ])
    rows = [(r.row_no, r.group_no, r.cells["task"], r.cells["activity"], r.cells["deadline"]) for r in table.rows]
    assert rows == [
        ("1", "I", "Rà soát văn bản quy phạm pháp luật", "Lập danh mục văn bản", "Quý I/2025"),
        ("2", "I", "Rà soát văn bản quy phạm pháp luật", "Đăng tải kết quả rà soát", "Quý II/2025"),
        ("3", "I", "Kiểm soát thủ tục hành chính", "Niêm yết công khai", "Thường xuyên"),
    ]


def test_a_markdown_table_without_tt_column_keeps_its_group_rows():
    table = _markdown_table([
        "| Nội dung | Cơ quan, đơn vị thực hiện | Thời gian hoàn thành |", "| --- | --- | --- |",
        "| I. Cải cách tài chính công |  |  |",
        "| Triển khai chế độ tự chủ về tài chính | Công chức Tài chính – Kế toán | Quý II/2025 |",
        "| II. Công tác thông tin, tuyên truyền |  |  |",
        "| Tuyên truyền văn bản pháp luật mới | Văn phòng HĐND-UBND xã | Hàng quý |",
    ])
    assert [(r.group_no, r.group_title, r.cells["task"]) for r in table.rows] == [
        ("I", "Cải cách tài chính công", "Triển khai chế độ tự chủ về tài chính"),
        ("II", "Công tác thông tin, tuyên truyền", "Tuyên truyền văn bản pháp luật mới"),
    ]


#: one table under a two-level header, as text dumps print it; the rows' cells
_TWO_LEVEL_ROWS = [
    ["1", "Rà soát văn bản quy phạm pháp luật", "Công chức Tư pháp – Hộ tịch", "Văn phòng HĐND-UBND xã", "Quý I/2025"],
    ["2", "Niêm yết công khai thủ tục hành chính", "Bộ phận Một cửa", "Các bộ phận chuyên môn", "Thường xuyên"],
    ["3", "Khảo sát mức độ hài lòng của người dân", "Văn phòng HĐND-UBND xã", "", "Quý IV/2025"],
]
TWO_LEVEL_HEADERS = {
    # Word's plain-text export: the top cell spanning two columns printed once, the cells merged
    # down printed empty on the lower line
    "word": ["TT\tNội dung công việc\tTrách nhiệm thực hiện\tThời gian hoàn thành",
             "\t\tChủ trì\tPhối hợp\t"],
    "word_time_span": ["STT\tNhiệm vụ\tPhân công thực hiện\tTiến độ thực hiện",
                       "\t\tĐơn vị chủ trì\tCơ quan phối hợp\tHoàn thành"],
    # a Markdown table: the spanning cell followed by an empty one
    "markdown": ["| TT | Nội dung công việc | Đơn vị thực hiện |  | Thời gian |", "| --- | --- | --- | --- | --- |",
                 "|  |  | Chủ trì | Phối hợp | Thời hạn hoàn thành |"],
    # docling: every merged cell's text repeated in the positions it covers
    "docling": ["| TT | Nội dung công việc | Cơ quan thực hiện | Cơ quan thực hiện | Thời gian hoàn thành |",
                "|---|---|---|---|---|",
                "| TT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |"],
    # the header's rows joined into one (kehoach text -f md of a DOCX whose header rows it knows)
    "joined": ["| TT | Nội dung công việc | Trách nhiệm thực hiện Chủ trì | Phối hợp | Tiến độ thực hiện Hoàn thành |",
               "| --- | --- | --- | --- | --- |"],
}


@pytest.mark.parametrize("form", sorted(TWO_LEVEL_HEADERS))
def test_a_two_level_header_in_a_text_dump_names_the_lead_and_support_columns(form):
    """A top cell ("Trách nhiệm thực hiện") over the lead and support columns' own cells, as
    Word's text export, Markdown, docling or a joined header prints it: each row's lead,
    supporting bodies and deadline in their columns (before: no table from Word's export and
    the Markdown table, the lower cells read as a row)."""
    sep = "\t" if form.startswith("word") else " | "
    lines = ["PHỤ LỤC", ""] + TWO_LEVEL_HEADERS[form]
    for row in _TWO_LEVEL_ROWS:
        lines.append(sep.join(row) if sep == "\t" else f"| {sep.join(row)} |")
    table = _markdown_table(lines)
    assert table.columns == ("row_no", "task", "lead", "support", "deadline")
    got = [[r.row_no or ""] + [r.cells[c] for c in table.columns[1:]] for r in table.rows]
    assert got == _TWO_LEVEL_ROWS


def test_a_body_row_of_short_cells_is_no_lower_header_line():
    """A first row whose cells are short is a row, not a two-level header's lower line, when it
    has a row number or cells that are not header words."""
    table = _markdown_table([
        "TT\tNội dung công việc\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian",
        "1\tRà soát văn bản\tCông an xã\tCác thôn\tQuý I/2025",
        "2\tKiểm tra\tTư pháp\tPhối hợp\tHàng năm",
    ])
    assert [r.row_no for r in table.rows] == ["1", "2"]
    assert table.rows[0].cells["lead"] == "Công an xã"


def test_a_column_without_header_text_keeps_the_others_in_place():
    """A header cell left empty (a column the plan did not name) is left out, and the cells
    right of it stay under their own header cells (before: read one column to the left)."""
    table = _markdown_table([
        "PHỤ LỤC", "",
        "TT\tNội dung công việc\t\tCơ quan chủ trì\tThời gian hoàn thành",
        "1\tRà soát văn bản quy phạm pháp luật\tx\tCông an xã\tQuý I/2025",
        "2\tNiêm yết công khai thủ tục hành chính\t\tBộ phận Một cửa\tThường xuyên",
    ])
    assert table.columns == ("row_no", "task", "lead", "deadline")
    assert [(r.cells["lead"], r.cells["deadline"]) for r in table.rows] == [
        ("Công an xã", "Quý I/2025"), ("Bộ phận Một cửa", "Thường xuyên")]
