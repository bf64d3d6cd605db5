"""Reform areas: every area heading and appendix group title of samples 000-003 (and 004 where readable)."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.areas import AREAS, area_of_path, classify_area, heading_area
from normalizers.text import collapse_ws, fold

_FLAT: dict[str, str] = {}


def flat(key: str) -> str:
    """Sample text without any white space, so wrapped headings are found verbatim."""
    if key not in _FLAT:
        _FLAT[key] = "".join(unicodedata.normalize("NFC", SAMPLES[key].read_text(encoding="utf-8")).split())
    return _FLAT[key]


# (sample, heading or group title as printed, area)
HEADINGS = [
    # 000 body: II.2.1 - II.2.7
    ("000", "Công tác chỉ đạo, điều hành", "chi_dao_dieu_hanh"),
    ("000", "Cải cách thể chế", "the_che"),
    ("000", "Cải cách thủ tục hành chính (TTHC)", "thu_tuc_hanh_chinh"),
    ("000", "Cải cách tổ chức bộ máy hành chính nhà nước", "to_chuc_bo_may"),
    ("000", "Cải cách chế độ công vụ", "che_do_cong_vu"),
    ("000", "Cải cách tài chính công", "tai_chinh_cong"),
    ("000", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "chinh_phu_so"),
    # 000 appendix group titles
    ("000", "Cải cách thủ tục HC", "thu_tuc_hanh_chinh"),
    ("000", "Cải cách tổ chức bộ máy nhà nước", "to_chuc_bo_may"),
    ("000", "Xây dựng chính quyền điện tử, chính quyền số", "chinh_phu_so"),
    # 001 body II.1 - II.7 and appendix
    ("001", "Cải cách thủ tục hành chính", "thu_tuc_hanh_chinh"),
    ("001", "Cải cách tổ chức bộ máy các cơ quan hành chính nhà nước", "to_chuc_bo_may"),
    ("001", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "chinh_phu_so"),
    ("001", "Tổ chức chỉ đạo, điều hành", "chi_dao_dieu_hanh"),
    ("001", "Cải cách tổ chức bộ máy hành chính nhà nước", "to_chuc_bo_may"),
    # 002 body and appendix (upper case)
    ("002", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "chinh_phu_so"),
    ("002", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "chi_dao_dieu_hanh"),
    ("002", "CẢI CÁCH THỂ CHẾ", "the_che"),
    ("002", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "thu_tuc_hanh_chinh"),
    ("002", "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC", "to_chuc_bo_may"),
    ("002", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "che_do_cong_vu"),
    ("002", "CẢI CÁCH TÀI CHÍNH CÔNG", "tai_chinh_cong"),
    ("002", "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ HƯỚNG TỚI CHÍNH QUYỀN SỐ", "chinh_phu_so"),
    ("002", "Nâng cao chất lượng công tác xây dựng pháp luật", "the_che"),
    ("002", "Đổi mới, nâng cao chất lượng, hiệu quả thực thi pháp luật", "the_che"),
    # 003: other wording of the same areas
    ("003", "Công tác chỉ đạo, điều hành cải cách hành chính", "chi_dao_dieu_hanh"),
    ("003", "Xây dựng và tổ chức thực hiện văn bản pháp luật tại xã", "the_che"),
    ("003", "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức", "che_do_cong_vu"),
    ("003", "Hiện đại hóa hành chính", "chinh_phu_so"),
    # 004 as OCR printed it (before repair): "ché a9" for "chế độ"
    ("004", "4. Cai cach ché a9 cong vu", "che_do_cong_vu"),
    ("004", "2. Piy manh cong tac thong tin, tuyén truyén, ning cao nhin thirc cho", "chi_dao_dieu_hanh"),
    ("004", "1. Ting cwong cong tac chi dao, didu hanh viéc trién khai thwe hién cai", None),  # gap: "didu"
    # headings that name no area
    ("000", "MỤC ĐÍCH, YÊU CẦU", None),
    ("000", "MỤC TIÊU VÀ NHIỆM VỤ CỤ THỂ", None),
    ("000", "Nhiệm vụ cụ thể", None),
    ("000", "GIẢI PHÁP THỰC HIỆN", None),
    ("000", "KINH PHÍ", None),
    ("000", "TỔ CHỨC THỰC HIỆN", None),
    ("000", "Chế độ báo cáo", None),
    ("000", "Công chức Tư pháp – Hộ tịch", None),
    ("001", "NHIỆM VỤ CẢI HÀNH CHÍNH CHÍNH", None),
    ("001", "Chỉ tiêu", None),
    ("002", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", None),
    ("002", "Phát triển ứng dụng, dịch vụ phục vụ người dân, doanh nghiệp", None),
    ("003", "NHIỆM VỤ VÀ GIẢI PHÁP", None),
]


@pytest.mark.parametrize(("sample", "heading", "area"), HEADINGS, ids=[f"{h[0]}-{h[1][:40]}" for h in HEADINGS])
def test_real_headings(sample, heading, area):
    assert "".join(heading.split()) in flat(sample)
    assert classify_area(heading) == area
    assert classify_area(fold(heading)) == area  # unaccented
    assert classify_area(heading.upper()) == area


# Sentences (bullets, responsibilities): an area counts only when the sentence opens with it.
SENTENCES = [
    ("000", "Chủ trì, tham mưu UBND xã các nội dung về: công tác chỉ đạo, điều hành; cải cách TTHC, thực hiện cơ chế một "
            "cửa", None),
    ("000", "100% cán bộ lãnh đạo quản lý được bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp để đảm bảo tiêu chuẩn "
            "theo đúng vị trí việc làm", None),
    ("000", "Tăng cường công tác chỉ đạo, điều hành việc triển khai thực hiện công tác CCHC", "chi_dao_dieu_hanh"),
    ("000", "Thường xuyên, kịp thời rà soát thủ tục hành chính; công khai thủ tục hành chính dưới nhiều hình thức",
     None),  # the area comes too late: the bullet inherits its heading's
    ("000", "100% thủ tục hành chính được niêm yết công khai kịp thời, đúng quy định.", "thu_tuc_hanh_chinh"),
    ("002", "Triển khai có hiệu quả các văn bản pháp luật quy định về chế độ tiền lương mới đối với cán bộ, công chức, "
            "viên chức", None),
]


@pytest.mark.parametrize(("sample", "text", "area"), SENTENCES, ids=[s[1][:40] for s in SENTENCES])
def test_sentences_name_an_area_only_when_they_open_with_it(sample, text, area):
    assert "".join(text.split()) in flat(sample)
    assert classify_area(text) == area


PATHS = [
    # 001 II.1.a: "Chỉ tiêu" inherits from "Cải cách thể chế"
    (["NHIỆM VỤ CẢI HÀNH CHÍNH CHÍNH", "Cải cách thể chế", "Chỉ tiêu"], "the_che"),
    # 002 II.6.c
    (["NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
      "Phát triển ứng dụng, dịch vụ phục vụ người dân, doanh nghiệp"], "chinh_phu_so"),
    # 000 II.2.5.a.-4: the bullet does not override its area
    (["MỤC TIÊU VÀ NHIỆM VỤ CỤ THỂ", "Nhiệm vụ cụ thể", "Cải cách chế độ công vụ", "Mục tiêu",
      "100% cán bộ lãnh đạo quản lý được bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp để đảm bảo tiêu chuẩn theo "
      "đúng vị trí việc làm"], "che_do_cong_vu"),
    # innermost wins: 001 II.3.b.-6
    (["Cải cách tổ chức bộ máy các cơ quan hành chính nhà nước", "Nhiệm vụ",
      "Tăng cường chỉ đạo, điều hành, xử lý công việc của cơ quan hành chính các cấp trên môi trường mạng"],
     "chi_dao_dieu_hanh"),
    (["TỔ CHỨC THỰC HIỆN", "Công chức Tư pháp – Hộ tịch"], None),
    ([], None),
    ([None, "", "Cải cách tài chính công", None], "tai_chinh_cong"),
]


@pytest.mark.parametrize(("path", "area"), PATHS, ids=[str(i) for i in range(len(PATHS))])
def test_area_of_path(path, area):
    assert area_of_path(path) == area


def test_areas_mapping():
    assert list(AREAS) == ["chi_dao_dieu_hanh", "the_che", "thu_tuc_hanh_chinh", "to_chuc_bo_may", "che_do_cong_vu",
                           "tai_chinh_cong", "chinh_phu_so"]
    assert all(unicodedata.is_normalized("NFC", v) for v in AREAS.values())
    with pytest.raises(TypeError):
        AREAS["x"] = "y"  # type: ignore[index]
    # every area's own name classifies as itself
    for code, name in AREAS.items():
        assert classify_area(name) == code


def test_none_and_programme_words():
    assert classify_area(None) is None
    assert classify_area("") is None
    assert classify_area("Cải cách hành chính") is None
    assert classify_area("CCHC") is None


_WORDS = st.sampled_from(["Cải cách", "thủ tục", "hành chính", "TTHC", "thể chế", "chế độ công vụ", "tài chính công",
                          "chính quyền số", "chỉ đạo, điều hành", ";", ",", "và", "II.", "1.", " ", "\u0301", "Đ"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_WORDS, max_size=20).map(" ".join)))
def test_classify_area_is_total_and_fold_invariant(text):
    area = classify_area(text)
    assert area is None or area in AREAS
    assert classify_area(fold(text)) == area
    assert classify_area(collapse_ws(unicodedata.normalize("NFD", text))) == area


@pytest.mark.parametrize("code", list(AREAS))
def test_every_areas_own_title_is_a_heading_of_that_area(code):
    assert heading_area(AREAS[code]) == code
    assert heading_area(AREAS[code].upper()) == code  # group rows printed in capitals


@pytest.mark.parametrize("text, code", [
    ("Cải cách thể chế", "the_che"),
    ("Công tác chỉ đạo, điều hành cải cách hành chính", "chi_dao_dieu_hanh"),
    ("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "chinh_phu_so"),
    ("Hiện đại hóa hành chính", "chinh_phu_so"),
    # tasks that name an area further on, the programme, or carry figures: no heading
    ("Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền của UBND xã", None),
    ("Nâng cao chất lượng giải quyết thủ tục hành chính", None),
    ("Cải cách hành chính", None),
    ("Cải cách thể chế năm 2025", None),
    ("Chủ tịch UBND xã", None),
    ("", None),
])
def test_a_heading_names_its_area_where_it_opens(text, code):
    assert heading_area(text) == code
