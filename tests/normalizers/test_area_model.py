"""Reform area of a task's own text: keywords, then the naive-Bayes model (normalizers/area_model.py)."""

from __future__ import annotations


import pytest
from conftest import sample_path

from normalizers import area_model
from normalizers.area_model import area_of_text
from normalizers.areas import AREAS, named_areas
from normalizers.text import fold
from pipeline.config import Config
from pipeline.run import process_document

# Sentences of a commune's duties, one area each; most name no area phrase, so the model decides.
SENTENCES = [
    ("Hướng dẫn, đôn đốc, kiểm tra việc thực hiện kế hoạch và báo cáo định kỳ kết quả cải cách hành chính hằng quý.",
     "chi_dao_dieu_hanh"),
    ("Rà soát, kiểm tra, xử lý văn bản quy phạm pháp luật trái pháp luật do Hội đồng nhân dân xã ban hành.", "the_che"),
    ("Niêm yết công khai thủ tục hành chính tại Bộ phận tiếp nhận và trả kết quả, giải quyết hồ sơ đúng hạn.",
     "thu_tuc_hanh_chinh"),
    ("Rà soát, sắp xếp, kiện toàn cơ cấu tổ chức, quản lý chặt chẽ biên chế được giao theo vị trí việc làm.",
     "to_chuc_bo_may"),
    ("Đẩy mạnh tuyển dụng, đánh giá, xếp loại, đào tạo, bồi dưỡng nâng cao trình độ của cán bộ, công chức xã.",
     "che_do_cong_vu"),
    ("Quản lý, sử dụng ngân sách tiết kiệm, hiệu quả; công khai dự toán, quyết toán và quy chế chi tiêu nội bộ.",
     "tai_chinh_cong"),
    ("Nâng cấp hạ tầng mạng, máy tính, phần mềm; sử dụng chữ ký số trong gửi, nhận văn bản trên môi trường mạng.",
     "chinh_phu_so"),
]

# Sentences of plans that are about something else entirely.
OTHER = [
    "Tổ chức lễ mít tinh kỷ niệm ngày Quốc khánh, treo cờ và trang trí khu trung tâm xã.",
    "Phun thuốc phòng trừ sâu cuốn lá nhỏ trên lúa vụ xuân, hướng dẫn bà con chăm sóc cây trồng.",
    "Tiêm phòng vắc xin lở mồm long móng cho đàn trâu bò trên địa bàn các thôn.",
    "",
    None,
]


@pytest.mark.parametrize("text,area", SENTENCES, ids=[a for _, a in SENTENCES])
def test_area_sentences_accented_and_unaccented(text, area):
    assert area_of_text(text, duty=True) == area
    assert area_of_text(fold(text), duty=True) == area  # no diacritics, lower case
    assert area_of_text(fold(text).upper(), duty=True) == area


@pytest.mark.parametrize("text", OTHER)
def test_texts_naming_no_area_stay_none(text):
    assert area_of_text(text, duty=True) is None


def test_keywords_decide_before_the_model():
    # One area named deep in a duty sentence wins over the model's lean towards "chỉ đạo, điều hành".
    duty = "Tham mưu UBND xã thực hiện các nhiệm vụ về cải cách tài chính công. Theo dõi, tổng hợp việc triển khai."
    assert named_areas(duty) == ("tai_chinh_cong",)
    assert area_of_text(duty) == "tai_chinh_cong"
    # Two named: the first; three or more: no single area.
    assert area_of_text("Chủ trì các nội dung cải cách thể chế; tuyên truyền, phổ biến giáo dục pháp luật.") == "the_che"
    three = ("Tham mưu xây dựng các nội dung cải cách thủ tục hành chính, cải cách tổ chức bộ máy, "
             "cải cách tài chính công trên địa bàn.")
    assert area_of_text(three, duty=True) is None


def test_programme_duty_is_steering_only_for_duties():
    duty = "Tham mưu UBND xã bố trí kinh phí phục vụ công tác cải cách hành chính trên địa bàn xã hằng năm."
    assert area_of_text(duty, duty=True) == "chi_dao_dieu_hanh"
    assert area_of_text("NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", duty=True) is None  # a heading, not a duty
    assert area_of_text(duty, duty=False) in (None, "chi_dao_dieu_hanh")  # the model alone may or may not


def test_model_artifact_is_small_and_loads_once():
    assert area_model.MODEL_PATH.stat().st_size < 400_000
    model = area_model.load()
    assert area_model.load() is model
    assert set(model.classes) == {*AREAS, area_model.NONE_CLASS}
    assert 0.5 <= model.threshold < 1.0
    post = model.posterior("Cải cách thủ tục hành chính một cửa liên thông")
    assert abs(sum(post.values()) - 1.0) < 1e-6
    assert max(post, key=post.__getitem__) == "thu_tuc_hanh_chinh"


# Hand-checked duties of "Tổ chức thực hiện" (sample, task id suffix, area).
RESPONSIBILITIES = [
    ("000", "r4", "thu_tuc_hanh_chinh"),  # Tiếp nhận và xử lý phản ánh kiến nghị ... về thủ tục hành chính
    ("000", "r5", "chinh_phu_so"),        # ... hệ thống quản lý chất lượng ... TCVN ISO 9001:2015
    ("000", "r6", "the_che"),             # ... các nhiệm vụ về cải cách thể chế; ... phổ biến giáo dục pháp luật
    ("000", "r7", "tai_chinh_cong"),      # ... các nhiệm vụ về cải cách tài chính công
    ("000", "r10", "chi_dao_dieu_hanh"),  # Kế hoạch thông tin tuyên truyền ... về công tác CCHC
    ("001", "r3", "chi_dao_dieu_hanh"),   # Xây dựng báo cáo CCHC hàng quý ...
    ("001", "r5", "chinh_phu_so"),        # ... gửi, nhận văn bản điện tử ... trên môi trường điện tử
    ("001", "r11", "chinh_phu_so"),       # ... chính quyền điện tử, chính quyền số
    ("003", "r2", "the_che"),             # Tham mưu xây dựng và tổ chức thực hiện văn bản pháp luật
    ("003", "r6", "chinh_phu_so"),        # tham mưu nội dung hiện đại hóa hành chính
    ("004", "r13", "tai_chinh_cong"),     # OCR'd: ... các nhiệm vụ Về€ cải cách tài chính công
    ("004", "r16", "thu_tuc_hanh_chinh"),  # OCR'd: ... kí€m soát thủ tục hành chính
]


@pytest.fixture(scope="module")
def sample_tasks():
    out = {}
    for key in ("000", "001", "002", "003", "004"):
        res = process_document(sample_path(key), Config(workers=1))
        out[key] = list(res.tables["tasks"])
    return out


def test_responsibilities_get_areas(sample_tasks):
    duties = [t for rows in sample_tasks.values() for t in rows if t["source"] == "responsibility"]
    assert len(duties) >= 55
    with_area = [t for t in duties if t["area"] is not None]
    assert len(with_area) / len(duties) >= 0.85
    assert all(t["area_source"] == "text" for t in with_area)
    assert all(t["area_source"] is None for t in duties if t["area"] is None)


@pytest.mark.parametrize("sample,suffix,area", RESPONSIBILITIES, ids=[f"{s}-{r}" for s, r, _ in RESPONSIBILITIES])
def test_responsibility_hand_checked(sample_tasks, sample, suffix, area):
    task = next(t for t in sample_tasks[sample] if t["task_id"].endswith(":" + suffix))
    assert task["source"] == "responsibility"
    assert (task["area"], task["area_source"]) == (area, "text")


def test_every_source_mostly_has_an_area(sample_tasks):
    tasks = [t for rows in sample_tasks.values() for t in rows]
    assert sum(t["area"] is not None for t in tasks) / len(tasks) >= 0.95
    for source in ("appendix", "body"):
        rows = [t for t in tasks if t["source"] == source]
        assert sum(t["area"] is not None for t in rows) / len(rows) >= 0.95
    # A heading's area is never overridden by the text.
    assert sum(t["area_source"] == "heading" for t in tasks) >= 290
    assert {t["area_source"] for t in tasks} <= {"heading", "text", None}
