"""Coded indicators: real target subjects and clauses from samples 000-004."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.indicators import INDICATOR_BY_CODE, INDICATORS, classify_indicator
from normalizers.text import fold

_FLAT: dict[str, str] = {}


def flat(key: str) -> str:
    if key not in _FLAT:
        _FLAT[key] = "".join(unicodedata.normalize("NFC", SAMPLES[key].read_text(encoding="utf-8")).split())
    return _FLAT[key]


# (sample, subject as cut by extractors.targets, unit, indicator)
REAL = [
    ("000", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính", "%", "satisfaction"),
    ("000", "người dân, doanh nghiệp đánh giá mức độ hài lòng trong giải quyết TTHC", "%", "satisfaction"),
    ("000", "các văn bản hướng dẫn, thi hành, tổ chức thực hiện được rà soát, sửa đổi, bổ sung, thay thế phù hợp, kịp "
            "thời", "%", "legal_documents_reviewed"),
    ("000", "thủ tục hành chính được niêm yết công khai kịp thời, đúng quy định", "%", "procedures_published"),
    ("000", "thủ tục hành chính được rà soát, công khai kịp thời, đúng quy định", "%", "procedures_published"),
    ("000", "số hồ sơ TTHC được trả kết quả giải quyết đúng hạn, trước hạn", "%", "dossiers_on_time"),
    ("000", "thủ tục hành chính được trả trước, đúng hạn", "%", "dossiers_on_time"),
    ("000", "số hóa kết quả giải quyết thủ tục hành chính", "%", "digitised_records"),
    ("000", "hồ sơ giải quyết thủ tục hành chính được luân chuyển nội bộ giữa các cơ quan thực hiện bằng phương thức "
            "điện tử", "%", "dossiers_electronic_processing"),
    ("000", "các TTHC có đủ điều kiện cung cấp dịch vụ công mức độ 4 và được tích hợp", "%", "online_services"),
    ("000", "các DVCTT mức độ 3, 4 với Cổng dịch vụ công quốc gia", "%", "online_services"),
    ("000", "thủ tục hành chính đủ điều kiện được cung cấp trực tuyến mức độ 4", "%", "online_services"),
    ("000", "người dân, doanh nghiệp thực hiện TTHC không phải cung cấp các giấy tờ, tài liệu đã được chấp nhận khi "
            "thực hiện TTHC thành công", "%", "no_resubmission"),
    ("000", "thời gian chờ đợi của người dân, doanh nghiệp", "phút/lượt", "waiting_time"),
    ("000", "TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến", "%", "online_payment"),
    ("000", "tỷ lệ giao dịch thanh toán trực tuyến", "%", "online_payment"),
    ("000", "cán bộ, công chức có trình độ đại học", "%", "officials_qualified"),
    ("000", "cán bộ, công chức được tập huấn về kỹ năng giao tiếp trong công vụ", "%", "officials_trained"),
    ("000", "cán bộ lãnh đạo được bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp để đảm bảo tiêu chuẩn theo đúng vị "
            "trí việc làm", "%", "officials_trained"),
    ("000", "hồ sơ công việc được xử lý trên môi trường mạng (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước)", "%",
     "work_records_online"),
    ("000", "báo cáo định kỳ và văn bản hành chính (trừ văn bản mật) được gửi nhận bằng văn bản điện tử", "%",
     "electronic_documents"),
    ("000", "các báo cáo định kỳ về chỉ tiêu phát triển kinh tế xã hội được thực hiện trên hệ thống phần mềm báo cáo",
     "%", "electronic_reports"),
    ("000", "người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến được cấp định danh và xác thực điện tử", "%",
     "digital_identity"),
    ("000", "biên chế so với năm 2021", "%", "staff_reduction"),
    ("001", "các văn bản quy phạm pháp luật (VBQPPL) ban hành đúng quy định, đúng thẩm quyền, nội dung, trình tự, thể "
            "thức", "%", "legal_documents_compliant"),
    ("001", "VBQPPL do HĐND xã ban hành được rà soát, sửa đổi, bổ sung, thay thế phù hợp, kịp thời", "%",
     "legal_documents_reviewed"),
    ("001", "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "dossiers_on_time"),
    ("001", "tỷ lệ giải quyết hồ sơ TTHC trễ hạn trên lĩnh vực đất đai, khiếu nại, tố cáo", "%", "dossiers_late"),
    ("001", "Quyết định công bố danh mục TTHC thuộc thẩm quyền giải quyết của các bộ phận chuyên môn", "%",
     "procedures_published"),
    ("001", "TTHC được đưa vào tiếp nhận và giải quyết theo cơ chế một cửa, cơ chế một cửa liên thông (trừ các TTHC "
            "đặc thù)", "%", "one_stop_procedures"),
    ("001", "TTHC được tiếp nhận và giải quyết theo phương châm “4 tại chỗ” tại Bộ phận TN&TKQ xã", "%", "four_on_spot"),
    ("001", "Tỷ lệ hồ sơ giải quyết trực tuyến mức độ 3 và 4 trên tổng số hồ sơ", "%", "online_dossiers"),
    ("001", "hồ sơ TTHC tại Bộ phận Một cửa hiện đại cấp xã được số hóa", "%", "digitised_records"),
    ("001", "phản ánh, kiến nghị về quy định hành chính hoặc hành vi hành chính của cá nhân, tổ chức được xử lý dứt "
            "điểm", "%", "feedback_handled"),
    ("001", "được đánh giá, xếp loại chất lượng hoạt động ở mức “Hoàn thành tốt nhiệm vụ", "%", "officials_rated"),
    ("001", "cơ quan nhà nước bố trí cán bộ, công chức theo tiêu chuẩn chức danh vị trí việc làm khi được phê duyệt",
     "%", "staff_by_job_position"),
    ("001", "vốn đầu tư được phân bổ kịp thời, đúng nguyên tắc", "%", "investment_allocation"),
    ("001", "các kiến nghị sau thanh tra, kiểm tra, kiểm toán nhà nước về tài chính, ngân sách được giải quyết đúng "
            "quy định", "%", "audit_recommendations"),
    ("001", "người dân, doanh nghiệp hài lòng khi sử dụng dịch vụ công trực tuyến", "%", "satisfaction_online"),
    ("001", "hồ sơ giải quyết TTHC được thực hiện thông qua Hệ thống thông tin một cửa điện tử xã", "%",
     "dossiers_electronic_processing"),
    ("001", "quản lý chất lượng theo tiêu chuẩn ISO 9001:2015", "%", "iso_quality"),
    ("001", "đơn thư thuộc thẩm quyền được giải quyết đúng trình tự, thủ tục và thời gian quy định", "%",
     "complaints_resolved"),
    ("002", "TTHC được niêm yết", "%", "procedures_published"),
    ("002", "phản ánh, kiến nghị của cá nhân, tổ chức đối với TTHC thuộc thẩm quyền giải quyết được xử lý, trả lời và "
            "công khai đúng quy định", "%", "feedback_handled"),
    ("002", "TTHC trễ hạn phải ban hành văn bản xin lỗi", "%", "late_apology"),
    ("002", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC", "%", "digitised_records"),
    ("002", "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", "online_dossiers"),
    ("002", "Tỷ lệ khai thác sử dụng thông tin dữ liệu số hóa", "%", "digitised_data_reuse"),
    ("003", "số hồ sơ giải quyết TTHC được giải quyết đúng thời hạn", "%", "dossiers_on_time"),
    ("003", "TTHC thuộc thẩm quyền giải quyết cấp huyện, cấp xã thực hiện theo cơ chế một cửa", "%",
     "one_stop_procedures"),
]

# 004 after repair (the raw sample is OCR-mangled): subjects as the pipeline cuts them.
REPAIRED_004 = [
    ("mức độ hài lòng của người dân, tổ chức sử dụng dịch vụ công trực tuyến", "%", "satisfaction_online"),
    ("Mức độ hài lòng của người dân về cung cấp dịch vụ y tế, giáo dục công lập", "%", "satisfaction_public_services"),
    ("Phần đấu hằng năm tiết kiệm chi thường xuyên", "%", "spending_savings"),
    ("số lượng người dân, doanh nghiệp tham gia hệ thống Chính phủ điện tử được xác thực định danh điện tử", "%",
     "digital_identity"),
    ("hồ sơ, kết quả giải quyết thủ tục hành chính được số hoá, lưu trữ điện tử", "%", "digitised_records"),
    ("văn bàn g, nhân trên môi trường điện tử hội thuộc UBND xã", "%", "electronic_documents"),
    ("văn bản ban hành động the thức, thẩm quyển, 13 rằng, dễ& hiểu, để& thực hiện", "%", "legal_documents_compliant"),
]


@pytest.mark.parametrize(("sample", "subject", "unit", "code"), REAL, ids=[f"{r[0]}-{r[1][:40]}" for r in REAL])
def test_real_subjects(sample, subject, unit, code):
    assert "".join(subject.split()) in flat(sample)
    assert classify_indicator(subject, None, unit) == code
    assert classify_indicator(fold(subject), None, unit) == code  # unaccented
    assert classify_indicator(None, "Phấn đấu đến năm 2025 đạt 100% " + subject, unit) == code  # from the clause


@pytest.mark.parametrize(("subject", "unit", "code"), REPAIRED_004, ids=[r[0][:40] for r in REPAIRED_004])
def test_repaired_004_subjects(subject, unit, code):
    assert classify_indicator(subject, unit=unit) == code


def test_subject_wins_over_text():
    # 000: the clause holds two goals; the subject tells them apart
    text = ("Phấn đấu 85% TTHC có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến; tỷ lệ giao dịch "
            "thanh toán trực tuyến đạt từ 35% trở lên.")
    assert classify_indicator("tỷ lệ giao dịch thanh toán trực tuyến", text, "%") == "online_payment"
    text = "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính đạt từ 95%; đến năm 2025 đạt 98% trở lên."
    assert classify_indicator(None, text, "%") == "satisfaction"


def test_unit_excludes_indicators():
    assert classify_indicator("thời gian chờ đợi của người dân, doanh nghiệp", unit="phút/lượt") == "waiting_time"
    assert classify_indicator("thời gian chờ đợi của người dân, doanh nghiệp", unit="%") is None
    assert classify_indicator("số hóa kết quả giải quyết thủ tục hành chính", unit="phút") is None


@pytest.mark.parametrize("subject", [
    None, "", "Tiếp tục nâng cao chất lượng", "Cải cách hành chính", "mức độ 3, 4",
    "sáng kiến, giải pháp cải cách hành chính",
])
def test_unmatched(subject):
    assert classify_indicator(subject, subject) is None


def test_registry_is_consistent():
    assert len({i.code for i in INDICATORS}) == len(INDICATORS) == len(INDICATOR_BY_CODE)
    for ind in INDICATORS:
        assert ind.unit in ind.units
        assert unicodedata.is_normalized("NFC", ind.name)
        assert ind.keywords
        # each keyword alternative, written out, classifies as its own indicator (list order is consistent)
        for kw in ind.keywords:
            assert classify_indicator(kw.replace(" + ", " "), unit=ind.unit) == ind.code, (ind.code, kw)


_WORDS = st.sampled_from(["hài lòng", "hồ sơ", "trực tuyến", "TTHC", "đúng hạn", "số hóa", "thanh toán", "văn bản",
                          "điện tử", "+", ",", "%", " ", "\u0301", "Đ", "ISO", "cán bộ"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(), st.lists(_WORDS, max_size=15).map(" ".join)),
       st.one_of(st.none(), st.text()), st.one_of(st.none(), st.sampled_from(["%", "phút", "người", "x"])))
def test_classify_indicator_is_total_and_fold_invariant(subject, text, unit):
    code = classify_indicator(subject, text, unit)
    assert code is None or code in INDICATOR_BY_CODE
    f = None if subject is None else fold(subject)
    assert classify_indicator(f, None if text is None else fold(text), unit) == code
