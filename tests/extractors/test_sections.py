from __future__ import annotations

import pytest

from conftest import sample_lines
from extractors.sections import build_outline, item_kind, paragraphs, parse_outline


def outline_of(key):
    return parse_outline(sample_lines(key))[0]


@pytest.mark.parametrize("line,expected", [
    ("I. MỤC ĐÍCH, YÊU CẦU", ("roman", "I")),
    ("II.NHIỆM VỤ", ("roman", "II")),
    ("2.1. Công tác chỉ đạo, điều hành", ("arabic", "2.1")),
    ("3.1: Hoạt động 1:", ("arabic", "3.1")),
    ("1.Mục đích", ("arabic", "1")),
    ("2.3 Cải cách thủ tục hành chính", ("arabic", "2.3")),
    ("a) Mục tiêu", ("letter", "a")),
    ("đ) Bố trí đủ nguồn lực", ("letter", "đ")),
    ("- Tăng cường", ("dash", "-")),
    ("– Tăng cường", ("dash", "-")),
    ("+ Xây dựng Kế hoạch", ("plus", "+")),
    ("4 và được tích hợp trên cổng", None),       # a wrapped number, not an item
    ("2030; Chương trình hành động", None),
    ("15/7/2021 của Chính phủ", None),
    ("70% hồ sơ công được xử lý", None),
    ("-UBND xã", None),                           # a wrapped 'HĐND\n-UBND'
])
def test_item_kinds(line, expected):
    assert item_kind(line) == expected


def test_000_tree_paths_headings_and_spans():
    o = outline_of("000")
    s = o.by_id()
    assert s["I"].heading == "MỤC ĐÍCH, YÊU CẦU" and s["I"].level == 1 and s["I"].line_start == 31
    assert s["II.2"].heading == "Nhiệm vụ cụ thể" and s["II.2"].parent_id == "II"
    assert s["II.2.3"].heading == "Cải cách thủ tục hành chính (TTHC)" and s["II.2.3"].level == 3
    assert s["II.2.3.a"].heading == "Mục tiêu" and s["II.2.3.a"].parent_id == "II.2.3"
    assert s["II.2.7"].heading == "Xây dựng và phát triển chính quyền điện tử, chính quyền số"
    # A heading paragraph split over two lines is one node with its full text.
    assert s["III.1"].heading.startswith("Nâng cao vai trò lãnh đạo, chỉ đạo, điều hành của cấp ủy đảng, chính quyền đối với")
    assert (s["III.1"].line_start, s["III.1"].line_end) == (430, 437)
    # Bullets are nodes numbered within their parent; '+' nests under '-'.
    assert s["II.2.2.b.-2"].heading.startswith("Nâng cao chất lượng công tác xây dựng văn bản quy phạm")
    assert s["II.2.2.b.-2.+1"].heading.startswith("Xây dựng Kế hoạch thực hiện Đề án nâng cao chất lượng")
    assert s["II.2.2.b.-2.+1"].parent_id == "II.2.2.b.-2"
    assert [x.section_id for x in o.sections if x.kind == "roman"] == ["I", "II", "III", "IV", "V"]
    # The body ends before "Trên đây là Kế hoạch ..." / "Nơi nhận".
    assert max(x.line_end for x in o.sections) < 568


def test_000_multi_line_bullet_keeps_its_lines_and_page():
    s = outline_of("000").by_id()
    node = s["II.2.1.a.-4"]
    # "- Mức độ hài lòng ... hành chính" / (blank) / "đạt từ 95%; đến năm 2025 đạt 98% trở lên."
    assert node.heading == ("Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính "
                            "đạt từ 95%; đến năm 2025 đạt 98% trở lên.")
    assert (node.line_start, node.line_end) == (122, 124)


def test_002_blank_line_after_every_wrapped_line():
    s = outline_of("002").by_id()
    assert s["II.1.a"].heading == "Nâng cao chất lượng công tác xây dựng pháp luật"
    first = s["II.1.a.-1"]
    assert first.heading == ("Thực hiện đúng và đầy đủ trình tự, thủ tục trong công tác xây dựng, "
                             "ban hành văn bản quy phạm pháp luật.")
    assert s["I.2.đ"].heading.startswith("Bố trí đủ nguồn lực")
    assert s["IV"].heading == "TỔ CHỨC THỰC HIỆN"


def test_003_numbered_heading_followed_by_a_capitalised_paragraph():
    o = outline_of("003")
    s = o.by_id()
    assert s["II.2"].heading == "Xây dựng và tổ chức thực hiện văn bản pháp luật tại xã"
    assert s["II.5"].heading == "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức"
    plain = [b.paragraph.text for b in o.blocks if not b.is_item and b.section_id == "II.2"]
    assert plain[0].startswith("Ban hành kịp thời kế hoạch rà soát, hệ thống hóa văn bản;")
    assert len(plain) == 3


def test_numbering_quirks_never_break_the_tree():
    lines = ["I. MỤC TIÊU", "1. Một", "3. Ba (2 bị bỏ qua)", "3. Ba lần nữa", "1. Đánh số lại",
             "", "7", "", "II. NHIỆM VỤ", "a) Chữ cái ngay dưới La Mã", "- Gạch đầu dòng"]
    o = build_outline(paragraphs(lines, 0, len(lines)))
    ids = [s.section_id for s in o.sections]
    assert ids == ["I", "I.1", "I.3", "I.3~2", "I.1~2", "II", "II.a", "II.a.-1"]
    assert all(s.parent_id in (None, *ids) for s in o.sections)
    # The lone "7" between blank lines is a page number, not text.
    assert all("7" != b.paragraph.text for b in o.blocks)
