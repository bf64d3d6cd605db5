"""Numeric goals in running text: real sentences from the sample plans 000-003."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.targets import COMPARATORS, TargetMention, extract_targets, split_sentences
from normalizers.text import collapse_ws

_COLLAPSED: dict[str, str] = {}


def sample_text(key: str) -> str:
    """The sample with white space collapsed, so wrapped sentences can be found verbatim."""
    if key not in _COLLAPSED:
        _COLLAPSED[key] = collapse_ws(unicodedata.normalize("NFC", SAMPLES[key].read_text(encoding="utf-8")))
    return _COLLAPSED[key]


def tup(m: TargetMention) -> tuple:
    return (m.value, m.value_max, m.unit, m.comparator, m.target_year)


# (sample, sentence as printed with white space collapsed, expected (value, value_max, unit, comparator, year)...)
REAL = [
    ("000", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính đạt từ 95%; "
            "đến năm 2025 đạt 98% trở lên.",
     [(95, None, "%", "ge", None), (98, None, "%", "ge", 2025)]),
    ("000", "100% thủ tục hành chính được niêm yết công khai kịp thời, đúng quy định.",
     [(100, None, "%", "eq", None)]),
    ("000", "Phấn đấu từ 99% -100% số hồ sơ TTHC được trả kết quả giải quyết đúng hạn, trước hạn.",
     [(99, 100, "%", "range", None)]),
    ("000", "Thực hiện số hóa kết quả giải quyết thủ tục hành chính đạt tỷ lệ 15%. Phấn đấu mỗi năm tăng tối thiểu 20% "
            "đến khi đạt 100%.",
     [(15, None, "%", "eq", None), (20, None, "%", "ge", None), (100, None, "%", "eq", None)]),
    ("000", "Phấn đấu tối thiểu 85% hồ sơ giải quyết thủ tục hành chính được luân chuyển nội bộ giữa các cơ quan thực "
            "hiện bằng phương thức điện tử.",
     [(85, None, "%", "ge", None)]),
    ("000", "Cung cấp 100% các TTHC có đủ điều kiện cung cấp dịch vụ công mức độ 4 và được tích hợp trên cổng dịch vụ "
            "công quốc gia, dịch vụ công của tỉnh; tích hợp 85% các DVCTT mức độ 3, 4 với Cổng dịch vụ công quốc gia.",
     [(100, None, "%", "eq", None), (85, None, "%", "eq", None)]),
    ("000", "Phấn đấu từ 95% trở lên người dân, doanh nghiệp đánh giá mức độ hài lòng trong giải quyết TTHC.",
     [(95, None, "%", "ge", None)]),
    ("000", "Đến năm 2025, đạt 85% người dân, doanh nghiệp thực hiện TTHC không phải cung cấp các giấy tờ, tài liệu đã "
            "được chấp nhận khi thực hiện TTHC thành công. Giảm thời gian chờ đợi của người dân, doanh nghiệp xuống "
            "trung bình còn tối đa 13-15 phút/01 lượt giao dịch.",
     [(85, None, "%", "eq", 2025), (13, 15, "phút/lượt", "range", None)]),
    ("000", "Phấn đấu 85% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến; tỷ lệ giao dịch "
            "thanh toán trực tuyến đạt từ 35% trở lên.",
     [(85, None, "%", "eq", None), (35, None, "%", "ge", None)]),
    ("000", "70% hồ sơ công được xử lý trên môi trường mạng (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước).",
     [(70, None, "%", "eq", None)]),
    ("000", "Phấn đấu từ 98% đến 100% thủ tục hành chính được trả trước, đúng hạn",  # appendix cell
     [(98, 100, "%", "range", None)]),
    ("000", "Giảm tối thiểu 10% biên chế so với năm 2021",  # baseline year, not a due year
     [(10, None, "%", "ge", None)]),
    ("000", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính đạt trên 95%; đến năm 2025 đạt tối "
            "thiểu 98%.",
     [(95, None, "%", "gt", None), (98, None, "%", "ge", 2025)]),
    ("000", "Đạt 100% đến 31/12/2025",  # appendix time cell
     [(100, None, "%", "eq", 2025)]),
    ("001", "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98% trong từng lĩnh vực. Giảm tỷ lệ giải quyết hồ sơ TTHC trễ "
            "hạn trên lĩnh vực đất đai, khiếu nại, tố cáo xuống còn dưới 5%.",
     [(98, None, "%", "gt", None), (5, None, "%", "lt", None)]),
    ("001", "100% TTHC được đưa vào tiếp nhận và giải quyết theo cơ chế một cửa, cơ chế một cửa liên thông (trừ các "
            "TTHC đặc thù). Tiếp tục duy trì, tối thiểu 50% TTHC được tiếp nhận và giải quyết theo phương châm “4 tại "
            "chỗ” tại Bộ phận TN&TKQ xã.",
     [(100, None, "%", "eq", None), (50, None, "%", "ge", None)]),
    ("001", "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3 và 4 trên tổng số hồ sơ đạt tối thiểu 50%.",
     [(50, None, "%", "ge", None)]),
    ("001", "Thực hiện số hóa kết quả giải quyết TTHC đang còn hiệu lực và có giá trị sử dụng thuộc thẩm quyền giải "
            "quyết xã đạt tỷ lệ tối thiểu tương ứng là 40%, 35%.",
     [(40, None, "%", "ge", None), (35, None, "%", "ge", None)]),
    ("001", "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết TTHC đạt tối thiểu 95%;",
     [(95, None, "%", "ge", None)]),
    ("001", "90% các quyết định, kết luận có hiệu lực pháp luật phải được thực hiện xong theo quy định; 90% đơn thư "
            "thuộc thẩm quyền được giải quyết đúng trình tự, thủ tục và thời gian quy định.",
     [(90, None, "%", "eq", None), (90, None, "%", "eq", None)]),
    ("001", "100% thực hiện quản lý chất lượng theo tiêu chuẩn ISO 9001:2015;",
     [(100, None, "%", "eq", None)]),
    ("002", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC đạt tối thiểu 80%.",
     [(80, None, "%", "ge", None)]),
    ("002", "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận, giải quyết TTHC đạt tối thiểu 60%. Tỷ lệ hồ sơ "
            "trực tuyến toàn trình đạt tối thiểu 70%. Tỷ lệ khai thác sử dụng thông tin dữ liệu số hóa đạt tối thiểu 50%",
     [(60, None, "%", "ge", None), (70, None, "%", "ge", None), (50, None, "%", "ge", None)]),
    ("002", "100% TTHC được niêm yết; 100% phản ánh, kiến nghị của cá nhân, tổ chức đối với TTHC thuộc thẩm quyền "
            "giải quyết được xử lý, trả lời và công khai đúng quy định.",
     [(100, None, "%", "eq", None), (100, None, "%", "eq", None)]),
    ("003", "Triển khai 100% TTHC thuộc thẩm quyền giải quyết cấp huyện, cấp xã thực hiện theo cơ chế một cửa, nâng số "
            "TTHC giải quyết theo cơ chế một cửa liên thông; 100% số hồ sơ giải quyết TTHC được giải quyết đúng thời hạn.",
     [(100, None, "%", "eq", None), (100, None, "%", "eq", None)]),
]


@pytest.mark.parametrize(("key", "sentence", "expected"), REAL, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(REAL)])
def test_real_sentences(key, sentence, expected):
    assert sentence in sample_text(key), "the case must be a real sentence of the sample"
    got = extract_targets(sentence)
    assert [tup(m) for m in got] == expected
    for m in got:
        assert m.comparator in COMPARATORS
        assert m.text[m.char_start:m.char_end][0].isdigit()


@pytest.mark.parametrize(("sentence", "subjects"), [
    ("Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính đạt từ 95%; đến năm 2025 đạt 98% trở lên.",
     ["Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính"] * 2),
    ("Phấn đấu từ 99% -100% số hồ sơ TTHC được trả kết quả giải quyết đúng hạn, trước hạn.",
     ["số hồ sơ TTHC được trả kết quả giải quyết đúng hạn, trước hạn"]),
    ("Thực hiện số hóa kết quả giải quyết thủ tục hành chính đạt tỷ lệ 15%. Phấn đấu mỗi năm tăng tối thiểu 20% "
     "đến khi đạt 100%.",
     ["số hóa kết quả giải quyết thủ tục hành chính"] * 3),
    ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC đạt tối thiểu 80%.", ["Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC"]),
    ("Giảm thời gian chờ đợi của người dân, doanh nghiệp xuống trung bình còn tối đa 13-15 phút/01 lượt giao dịch.",
     ["thời gian chờ đợi của người dân, doanh nghiệp"]),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98% trong từng lĩnh vực. Giảm tỷ lệ giải quyết hồ sơ TTHC trễ hạn trên "
     "lĩnh vực đất đai, khiếu nại, tố cáo xuống còn dưới 5%.",
     ["Tỷ lệ hồ sơ giải quyết đúng hạn",
      "tỷ lệ giải quyết hồ sơ TTHC trễ hạn trên lĩnh vực đất đai, khiếu nại, tố cáo"]),  # "đất" is not "đạt"
    ("Thực hiện số hóa kết quả giải quyết TTHC đang còn hiệu lực và có giá trị sử dụng thuộc thẩm quyền giải quyết xã "
     "đạt tỷ lệ tối thiểu tương ứng là 40%, 35%.",
     ["số hóa kết quả giải quyết TTHC đang còn hiệu lực và có giá trị sử dụng thuộc thẩm quyền giải quyết xã"] * 2),
    ("Đến năm 2025, đạt 85% người dân, doanh nghiệp thực hiện TTHC không phải cung cấp các giấy tờ, tài liệu đã được "
     "chấp nhận khi thực hiện TTHC thành công.",
     ["người dân, doanh nghiệp thực hiện TTHC không phải cung cấp các giấy tờ, tài liệu đã được chấp nhận khi thực "
      "hiện TTHC thành công"]),
    ("Giảm tối thiểu 10% biên chế so với năm 2021", ["biên chế so với năm 2021"]),
    ("Tổ chức ít nhất 02 lớp tập huấn mỗi năm.", ["lớp tập huấn"]),  # a count unit heads the subject
])
def test_subjects(sentence, subjects):
    assert [m.subject for m in extract_targets(sentence)] == subjects


def test_text_and_spans_point_at_the_number_expression():
    s = ("Đến năm 2025, đạt 85% người dân, doanh nghiệp thực hiện TTHC không phải cung cấp các giấy tờ, tài liệu\n"
         "đã được chấp nhận khi thực hiện TTHC  thành công. Giảm thời gian chờ đợi của người dân, doanh nghiệp xuống "
         "trung bình còn \ntối đa 13-15 phút/01 lượt giao dịch.")
    first, second = extract_targets(s)
    assert first.text.startswith("Đến năm 2025, đạt 85%") and "  " not in first.text and "\n" not in first.text
    assert first.text[first.char_start:first.char_end] == "85%"
    assert second.text.startswith("Giảm thời gian chờ đợi")
    assert second.text[second.char_start:second.char_end] == "13-15 phút/01 lượt giao dịch"
    rng = extract_targets("Phấn đấu từ 99% -100% số hồ sơ TTHC")[0]
    assert rng.text[rng.char_start:rng.char_end] == "99% -100%"  # cue words "từ" are outside the span


NEGATIVE = [
    ("000", "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ"),
    ("000", "Kế hoạch số 4347/KH-UBND ngày 25/11/2021 của Ủy ban nhân dân tỉnh Hải Dương"),
    ("000", "Chương trình tổng thể CCHC nhà nước giai đoạn 2021 - 2030 của Chính phủ"),
    ("000", "nâng cao tỷ lệ dịch vụ công trực tuyến mức độ 3, mức độ 4"),
    ("000", "theo tiêu chuẩn quốc gia TCVN ISO 9001:2015 trong hoạt động của UBND xã."),
    ("000", "Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII nhiệm kỳ 2020 – 2025"),
    ("000", "Nghị định số 60/2021/NĐ-CP ngày 21/6/2021 của Chính phủ"),
    ("001", "Trước ngày 31/12 hàng năm"),
    ("001", "Xây dựng báo cáo CCHC hàng quý, 6 tháng và hàng năm"),
    ("001", "Quý IV/2021"),
    ("001", "Nghị quyết số 39-NQ/TW ngày 17/4/2015 của Bộ Chính trị"),
    ("002", "Kế hoạch Cải cách hành chính nhà nước năm 2025 tỉnh Lâm Đồng."),
    ("002", "7 Sáng kiến giải pháp mới trong công tác CCHC"),  # a table row number before a cell title
    ("003", "quy định tại Khoản 3 điều 1 Thông tư 13/2019/TTBNV (trình độ đại học)"),
    ("003", "Phó chủ tịch UBND xã phụ trách 1 cửa"),
    ("001", "theo phương châm “4 tại chỗ”"),
]


@pytest.mark.parametrize(("key", "text"), NEGATIVE, ids=[t[:30] for _, t in NEGATIVE])
def test_references_dates_and_labels_are_not_targets(key, text):
    assert text in sample_text(key)
    assert extract_targets(text) == []


@pytest.mark.parametrize("text", ["năm 2025", "ngày 31/12", "giai đoạn 2021 - 2025", "mức độ 4", "Điều 1", "Khoản 3",
                                  "ISO 9001:2015", "giai đoạn 2021 - 2025 người dân được phục vụ", "2021 hồ sơ"])
def test_synthetic_negatives(text):
    assert extract_targets(text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Tỷ lệ hồ sơ đúng hạn đạt 99,5%.", (99.5, None, "%", "eq", None)),  # decimal comma
    ("Tiếp nhận 1.000 hồ sơ trực tuyến.", (1000, None, "hồ sơ", "eq", None)),  # thousands dot
    ("Giải quyết trong thời hạn không quá 03 ngày làm việc.", (3, None, "ngày", "le", None)),
    ("Kiểm tra 2 lần/năm.", (2, None, "lần/năm", "eq", None)),
    ("Thời gian chờ tối đa 15 phút.", (15, None, "phút", "le", None)),
    ("Tổ chức ít nhất 02 cuộc kiểm tra.", (2, None, "cuộc", "ge", None)),
    ("Tỷ lệ trễ hạn không vượt quá 2%.", (2, None, "%", "le", None)),
    ("Tỷ lệ hài lòng cao hơn 90%.", (90, None, "%", "gt", None)),
    ("Tỷ lệ trễ hạn thấp hơn 3 phần trăm.", (3, None, "%", "lt", None)),
    ("Trong năm 2022, tỷ lệ hồ sơ trực tuyến đạt 30%.", (30, None, "%", "eq", 2022)),
    ("Đến hết năm 2025 tỷ lệ đạt không dưới 90%.", (90, None, "%", "ge", 2025)),
    ("Từ năm 2022 tỷ lệ đạt 90%.", (90, None, "%", "eq", None)),  # a start year is not a due year
    ("Ty le ho so dung han dat tren 98% trong tung linh vuc.", (98, None, "%", "gt", None)),  # typed without diacritics
    ("Số hóa kết quả giải quyết thủ tục hành chính từ giấy sang điện tử đạt tỷ lệ 15%.",
     (15, None, "%", "eq", None)),  # "tử" is not the cue "từ"
])
def test_units_comparators_years(text, expected):
    (m,) = extract_targets(text)
    assert tup(m) == expected


def test_default_year_and_clause_leading_year():
    s = "Phấn đấu đến năm 2025, 100% hồ sơ được số hóa và 80% TTHC được giải quyết trực tuyến."
    assert [m.target_year for m in extract_targets(s, default_year=2022)] == [2025, 2025]
    s = "Mức độ hài lòng đạt trên 95%, đến năm 2025 đạt 98%."
    assert [m.target_year for m in extract_targets(s, default_year=2022)] == [2022, 2025]
    s = "100% hồ sơ được số hóa đến năm 2025 và 50% được tái sử dụng."
    assert [m.target_year for m in extract_targets(s, default_year=2022)] == [2025, 2022]


def test_whole_paragraph_of_000_goals():
    para = sample_text("000")
    start = para.index("2.3. Cải cách thủ tục hành chính (TTHC) a) Mục tiêu")
    end = para.index("b) Nhiệm vụ", start)
    got = [tup(m) for m in extract_targets(para[start:end])]
    assert got == [
        (100, None, "%", "eq", None), (99, 100, "%", "range", None), (15, None, "%", "eq", None),
        (20, None, "%", "ge", None), (100, None, "%", "eq", None), (85, None, "%", "ge", None),
        (100, None, "%", "eq", None), (85, None, "%", "eq", None), (95, None, "%", "ge", None),
        (85, None, "%", "eq", 2025), (13, 15, "phút/lượt", "range", None), (85, None, "%", "eq", None),
        (35, None, "%", "ge", None),
    ]


# --------------------------------------------------------------------------- split_sentences

def spans_text(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_split_sentences_keeps_wrapped_sentences_whole():
    raw = ("- Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính\n\n"
           "đạt từ 95%; đến năm 2025 đạt 98% trở lên.\n\n- Thực hiện tự kiểm tra công tác CCHC định kỳ và đột xuất.")
    assert [collapse_ws(t) for t in spans_text(raw)] == [
        "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính đạt từ 95%",
        "đến năm 2025 đạt 98% trở lên.",
        "Thực hiện tự kiểm tra công tác CCHC định kỳ và đột xuất.",
    ]


def test_split_sentences_boundaries():
    assert spans_text("Đạt 15%. Phấn đấu tăng 20%.") == ["Đạt 15%.", "Phấn đấu tăng 20%."]
    assert spans_text("Gửi TT. HĐND xã.") == ["Gửi TT. HĐND xã."]  # abbreviation
    assert spans_text("2.1. Nhiệm vụ 1: Rà soát") == ["2.1. Nhiệm vụ 1: Rà soát"]  # list label
    assert spans_text("1.3. Mục tiêu 3:\n\nMức độ hài lòng") == ["1.3. Mục tiêu 3:", "Mức độ hài lòng"]
    assert spans_text("đạt năm 2025. Tiếp tục") == ["đạt năm 2025.", "Tiếp tục"]
    assert spans_text("tăng 5% so với năm trước. tiếp") == ["tăng 5% so với năm trước. tiếp"]  # lower case follows
    assert spans_text("a\n+ b\n1. c") == ["a", "b", "1. c"]
    assert spans_text("") == [] and spans_text(" ;; ") == []


# --------------------------------------------------------------------------- properties

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_gives_a_list(text):
    out = extract_targets(text, default_year=2024)
    assert isinstance(out, list)
    for m in out:
        assert m.comparator in COMPARATORS
        assert (m.value_max is not None) == (m.comparator == "range")
        assert m.value_max is None or m.value_max > m.value
        assert 0 <= m.char_start < m.char_end <= len(m.text)
        assert unicodedata.is_normalized("NFC", m.text)


_PIECES = st.sampled_from([
    "Phấn đấu ", "đạt ", "tối thiểu ", "từ ", " đến ", "trở lên", "năm 2025", "ngày 31/12/2025", "%", " phút", "/01 lượt",
    " hồ sơ", "; ", ". ", "\n- ", ", ", "mức độ 3, 4", "76/NQ-CP", "ISO 9001:2015", " - ", "99", "13", "100", "2021",
    "Tỷ lệ ", "dưới ", "trên ", "so với ", "và ", "Đ", "ư", "\u0301", " ",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_plan_like_text_gives_consistent_mentions(text):
    for m in extract_targets(text):
        assert (m.value_max is not None) == (m.comparator == "range")
        assert m.text[m.char_start].isdigit()
    spans = split_sentences(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
