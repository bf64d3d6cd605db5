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
