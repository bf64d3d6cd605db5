"""Properties of the text parsers on any input: the decoder, line cleaning, the section
outline, the header, the appendix rows and the body tasks.  Any Unicode gives a result or
the documented refusal (InputFileError), never another exception; cleaning is idempotent;
line numbers stay within the document.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors.appendix import extract_appendix
from extractors.body_tasks import extract_body_tasks
from extractors.header import Header, extract_header
from extractors.sections import parse_outline
from extractors.text_dump import clean_line, decode_text, document_from_text, split_pages
from pipeline.errors import InputFileError

# Lines that look like a plan's, mixed with arbitrary text: random text alone rarely reaches
# the interesting branches (numbered headings, appendix headers, signature blocks).
PLAN_LINES = [
    "ỦY BAN NHÂN DÂN", "XÃ AN BÌNH", "Số: 12/KH-UBND", "An Bình, ngày 10 tháng 1 năm 2024", "KẾ HOẠCH",
    "Cải cách hành chính xã An Bình năm 2024", "I. MỤC TIÊU", "1. Mục tiêu chung", "1.1. Cụ thể",
    "a) Tỷ lệ hồ sơ đúng hạn đạt 95%.", "- Văn phòng HĐND-UBND xã chủ trì.", "+ phối hợp", "II. NHIỆM VỤ",
    "III. TỔ CHỨC THỰC HIỆN", "PHỤ LỤC", "TT\tNhiệm vụ\tCơ quan chủ trì\tThời gian", "STT Nội dung Sản phẩm",
    "1\tRà soát\tVăn phòng\tQuý I/2024", "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
    "Nguyễn Văn An", "", " ", "\f", "\x0c II. NHIỆM VỤ", "IV", "2.", "**Đậm**", "# Tiêu đề",
]
ANY_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=80)
LINES = st.lists(st.one_of(st.sampled_from(PLAN_LINES), ANY_LINE), max_size=60)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=4096))
def test_decode_text_gives_text_or_the_documented_refusal(data):
    try:
        text, encoding = decode_text(data, "x.txt")
    except InputFileError as exc:
        assert str(exc).startswith("x.txt: ")
        return
    assert isinstance(text, str) and encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                                  "latin-1", "cp1258")


@SETTINGS
# Without NUL (UTF-8 bytes with NULs on every other byte are UTF-16 too: "0\x00" is "0"), and
# not starting with U+FEFF (in UTF-8 that is the byte-order mark, which is dropped).
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=400)
       .filter(lambda t: not t.startswith("\ufeff")))
def test_decode_text_reads_utf8_and_utf16_back(text):
    for data, encodings in ((text.encode("utf-8"), {"utf-8"}), (text.encode("utf-16"), {"utf-16"})):
        try:
            decoded, encoding = decode_text(data, "x.txt")
        except InputFileError:
            continue  # empty, or mostly control / non-Latin characters: refused with a message
        assert encoding in encodings
        assert decoded == text


# Markdown marks, control characters and combining tones: what cleaning removes or composes.
MARKUP_LINE = st.text(st.sampled_from("#*_ \t\r\x01\x07\x1fae\u0301\u0323Đ"), max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.one_of(MARKUP_LINE, ANY_LINE), st.booleans())
@example("# # Mục tiêu", False)
@example("_**_", False)
@example("__# ", True)
def test_clean_line_is_idempotent_and_nfc(line, legacy):
    once = clean_line(line, legacy=legacy)
    assert clean_line(once, legacy=legacy) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once


@SETTINGS
@given(st.lists(st.one_of(ANY_LINE, st.just("\f"), st.just(" Trang")), max_size=80))
def test_pages_are_numbered_from_one_without_gaps(lines):
    pages = split_pages(lines)
    assert len(pages) == len(lines)
    assert all(b - a in (0, 1) or "\f" in lines[i + 1] for i, (a, b) in enumerate(zip(pages, pages[1:])))
    assert not pages or pages[0] == 1


@SETTINGS
@given(LINES)
def test_document_from_text_keeps_every_line(lines):
    text = "\n".join(lines)
    try:
        doc = document_from_text(text, path="x.txt", sha256="0" * 64, source_format="text", min_text_chars=1,
                                 max_line_chars=1000, max_pages=1000)
    except InputFileError as exc:
        assert "x.txt" in str(exc)
        return
    # a lone "\r" or a Unicode line separator ends a line too
    raw = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    raw = raw.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    assert [line.number for line in doc.lines] == list(range(1, len(raw) + 1))


def _outline(lines):
    pages = [1] * len(lines)
    return parse_outline(lines, pages, None)


@SETTINGS
@given(LINES)
def test_parse_outline_is_total_and_consistent(lines):
    outline, (start, end) = _outline(lines)
    assert 0 <= start <= end <= len(lines)
    ids = [s.section_id for s in outline.sections]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for s in outline.sections:
        assert s.parent_id is None or s.parent_id in known
        assert 1 <= s.line_start <= s.line_end <= len(lines)
        assert s.level >= 1
    for block in outline.blocks:
        assert 1 <= block.paragraph.line_start <= block.paragraph.line_end <= len(lines)
        assert block.section_id is None or block.section_id in known


@SETTINGS
@given(LINES, st.integers(0, 80), st.integers(0, 80))
def test_extract_header_is_total(lines, a, b):
    outline, (start, end) = _outline(lines)
    header = extract_header(lines, body_start=start, closing=(end, len(lines)))
    assert isinstance(header, Header)
    assert header.title_line is None or 1 <= header.title_line <= len(lines) or 0 <= header.title_line < len(lines)
    # Arbitrary (even inverted or out-of-range) bounds are tolerated too.
    assert isinstance(extract_header(lines, body_start=a, closing=(b, a)), Header)


@SETTINGS
@given(LINES)
def test_extract_appendix_is_total(lines):
    tables = extract_appendix(lines)
    assert isinstance(tables, list)
    for table in tables:
        for row in table.rows:
            assert 1 <= row.line_start <= row.line_end <= len(lines)
            assert all(isinstance(v, str) for v in row.cells.values())


@SETTINGS
@given(LINES)
def test_extract_body_tasks_is_total(lines):
    outline, _ = _outline(lines)
    for task in extract_body_tasks(outline):
        assert task.source in ("body", "responsibility")
        assert 1 <= task.line_start <= task.line_end <= len(lines)


def test_a_title_printing_its_type_word_glued_is_that_type():
    """Every type word as a title line, spaced, glued ("KEHOACH", found by the property test
    above: a KeyError), folded or in Markdown bold, names its type; a header of such a line alone
    is read."""
    from normalizers.doc_types import DOC_TYPES, type_of_title
    from unidecode import unidecode

    for t in DOC_TYPES:
        for line in (t.word.upper(), t.word.replace(" ", "").upper(), unidecode(t.word), f"**{t.word}**"):
            assert type_of_title(line) == t.code, (line, t.code)
    assert isinstance(extract_header(["KEHOACH"], body_start=0, closing=(0, 1)), Header)
