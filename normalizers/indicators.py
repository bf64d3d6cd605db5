"""Coded indicators (chỉ tiêu) that commune reform plans set again and again.

:data:`INDICATORS` lists them; each :class:`Indicator` has a ``code`` (English
snake_case, stable: used in the ``targets.indicator`` column), a Vietnamese
``name``, the ``unit`` the plans state it in, the ``units`` a target may carry
and still be this indicator, and ``keywords``: Vietnamese phrases, each an
alternative; inside one alternative, parts joined by " + " must all occur.
Keywords are written as printed (accents, "TTHC") and matched on folded text
(no diacritics, lower case, punctuation ignored, whole words), so an analyst
can add a wording without touching code.  The list was derived from every
target sentence ("%" lines and counts) of samples 000-004 and follows the
indicators of the PAR index (Chỉ số CCHC) and Nghị quyết 76/NQ-CP.

``classify_indicator(subject, text, unit)`` tries the indicators in list order
(specific before general: "hài lòng + dịch vụ công trực tuyến" before "hài
lòng"; "TTHC trễ hạn ... xin lỗi" before "trễ hạn"; "được cấp định danh"
before "dịch vụ công trực tuyến") on the *subject* first (what is measured,
cut by :mod:`extractors.targets`), then on the whole clause ``text``.  An
indicator whose ``units`` exclude the target's unit is skipped ("13-15
phút/lượt" is a waiting time, never a share).  No match -> ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from normalizers.text import fold

_PCT = ("%",)
_TIME = ("phút", "phút/lượt", "giờ", "ngày", "phút/hồ sơ")
_PEOPLE = ("%", "người", "cán bộ", "công chức", "lượt", "lớp")


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name: str  # Vietnamese description
    unit: str  # unit the plans use for it
    units: tuple[str, ...]  # units a target may carry (None always accepted)
    keywords: tuple[str, ...]  # alternatives; " + " joins parts that must all occur


INDICATORS: tuple[Indicator, ...] = (
    # --- satisfaction (most specific first)
    Indicator("satisfaction_online", "Mức độ hài lòng của người dân, doanh nghiệp khi sử dụng dịch vụ công trực tuyến",
              "%", _PCT, ("hài lòng + dịch vụ công trực tuyến", "hài lòng + DVCTT")),
    Indicator("satisfaction_public_services", "Mức độ hài lòng về cung cấp dịch vụ y tế, giáo dục công lập",
              "%", _PCT, ("hài lòng + y tế", "hài lòng + giáo dục", "hài lòng + sự nghiệp công")),
    Indicator("satisfaction", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính / giải quyết TTHC",
              "%", _PCT, ("hài lòng", "SIPAS")),
    # --- TTHC dossiers
    Indicator("late_apology", "Hồ sơ TTHC trễ hạn có văn bản xin lỗi", "%", _PCT, ("xin lỗi",)),
    Indicator("dossiers_late", "Tỷ lệ hồ sơ TTHC giải quyết trễ hạn, quá hạn", "%", _PCT, ("trễ hạn", "quá hạn")),
    Indicator("dossiers_on_time", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn, trước hạn", "%", _PCT,
              ("đúng hạn", "trước hạn", "đúng thời hạn", "trả trước")),
    Indicator("digital_identity", "Người dân, doanh nghiệp được cấp định danh và xác thực điện tử", "%", _PCT,
              ("định danh",)),
    Indicator("online_payment", "TTHC có nghĩa vụ tài chính được thanh toán trực tuyến; tỷ lệ giao dịch thanh toán "
              "trực tuyến", "%", _PCT, ("thanh toán trực tuyến", "thanh toán điện tử")),
    Indicator("digitised_data_reuse", "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", "%", _PCT,
              ("khai thác + số hóa", "sử dụng lại + số hóa", "tái sử dụng")),
    Indicator("digitised_records", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC; lưu trữ điện tử", "%", _PCT,
              ("số hóa", "lưu trữ điện tử")),
    Indicator("online_dossiers", "Tỷ lệ hồ sơ TTHC tiếp nhận, giải quyết trực tuyến trên tổng số hồ sơ", "%", _PCT,
              ("hồ sơ + trực tuyến",)),
    Indicator("no_resubmission", "Người dân, doanh nghiệp không phải cung cấp lại giấy tờ, thông tin đã được chấp nhận",
              "%", _PCT, ("không phải cung cấp",)),
    Indicator("dossiers_electronic_processing", "Hồ sơ TTHC được tiếp nhận, luân chuyển, giải quyết trên hệ thống "
              "thông tin một cửa điện tử / hệ thống giải quyết TTHC", "%", _PCT,
              ("luân chuyển + điện tử", "hệ thống thông tin một cửa điện tử", "hệ thống giải quyết TTHC",
               "hệ thống thông tin giải quyết TTHC")),
    Indicator("online_services", "TTHC đủ điều kiện được cung cấp dịch vụ công trực tuyến (toàn trình / một phần, "
              "mức độ 3, 4) và tích hợp trên Cổng Dịch vụ công quốc gia", "%", _PCT,
              ("dịch vụ công trực tuyến", "DVCTT", "dịch vụ công mức độ", "cung cấp trực tuyến",
               "dịch vụ công toàn trình", "Cổng dịch vụ công")),
    Indicator("feedback_handled", "Phản ánh, kiến nghị của cá nhân, tổ chức được tiếp nhận, xử lý", "%", _PCT,
              ("phản ánh + kiến nghị",)),
    Indicator("four_on_spot", "TTHC giải quyết theo phương châm \"4 tại chỗ\"", "%", _PCT,
              ("4 tại chỗ", "bốn tại chỗ")),
    Indicator("one_stop_procedures", "TTHC được tiếp nhận, giải quyết theo cơ chế một cửa, một cửa liên thông", "%",
              _PCT, ("một cửa",)),
    Indicator("procedures_published", "TTHC, quyết định công bố TTHC được niêm yết, công khai kịp thời", "%", _PCT,
              ("niêm yết", "công bố + TTHC", "thủ tục hành chính + công khai", "TTHC + công khai")),
    # --- electronic administration
    Indicator("electronic_documents", "Văn bản, hồ sơ trao đổi giữa các cơ quan dưới dạng điện tử; ký số", "%", _PCT,
              ("văn bản điện tử", "dạng điện tử", "văn bản + môi trường điện tử", "chữ ký số", "ký số")),
    Indicator("work_records_online", "Hồ sơ công việc được xử lý trên môi trường mạng", "%", _PCT,
              ("môi trường mạng",)),
    Indicator("electronic_reports", "Báo cáo định kỳ thực hiện trên hệ thống thông tin báo cáo / phần mềm báo cáo",
              "%", _PCT, ("báo cáo + phần mềm", "hệ thống thông tin báo cáo")),
    # --- legal documents (thể chế)
    Indicator("legal_documents_reviewed", "Văn bản QPPL, văn bản hướng dẫn được rà soát, sửa đổi, bổ sung kịp thời",
              "%", _PCT, ("văn bản + rà soát", "VBQPPL + rà soát")),
    Indicator("legal_documents_compliant", "Văn bản QPPL ban hành đúng thẩm quyền, thể thức, trình tự, quy định", "%",
              _PCT, ("văn bản + thẩm quyền", "văn bản + thể thức", "VBQPPL + ban hành")),
    # --- civil service
    Indicator("officials_trained", "Cán bộ, công chức được đào tạo, bồi dưỡng, tập huấn", "%", _PEOPLE,
              ("bồi dưỡng", "tập huấn", "đào tạo")),
    Indicator("officials_qualified", "Cán bộ, công chức đạt chuẩn trình độ chuyên môn", "%", _PCT,
              ("cán bộ + trình độ", "công chức + trình độ", "đạt chuẩn")),
    Indicator("officials_rated", "Cán bộ, công chức được đánh giá, xếp loại hoàn thành tốt nhiệm vụ", "%", _PCT,
              ("xếp loại", "hoàn thành tốt nhiệm vụ")),
    Indicator("staff_by_job_position", "Bố trí cán bộ, công chức theo vị trí việc làm", "%", _PCT,
              ("vị trí việc làm",)),
    Indicator("staff_reduction", "Tinh giản biên chế", "%", _PCT, ("biên chế",)),
    # --- time, money, other
    Indicator("waiting_time", "Thời gian chờ đợi của người dân, doanh nghiệp mỗi lượt giao dịch", "phút/lượt", _TIME,
              ("thời gian chờ", "chờ đợi")),
    Indicator("spending_savings", "Tiết kiệm chi thường xuyên so với dự toán", "%", _PCT, ("tiết kiệm chi",)),
    Indicator("audit_recommendations", "Kiến nghị sau thanh tra, kiểm tra, kiểm toán về tài chính, ngân sách được "
              "giải quyết", "%", _PCT, ("kiểm toán", "sau thanh tra")),
    Indicator("investment_allocation", "Vốn đầu tư được phân bổ kịp thời, đúng nguyên tắc", "%", _PCT,
              ("vốn đầu tư",)),
    Indicator("complaints_resolved", "Đơn thư khiếu nại, tố cáo được giải quyết; quyết định, kết luận được thi hành",
              "%", _PCT, ("đơn thư", "khiếu nại", "tố cáo", "quyết định + kết luận")),
    Indicator("iso_quality", "Áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001", "%", _PCT, ("ISO",)),
    Indicator("par_index_rank", "Chỉ số cải cách hành chính (PAR index) của xã: điểm, xếp hạng", "hạng",
              ("hạng", "điểm", "%"), ("chỉ số cải cách hành chính", "chỉ số CCHC", "PAR index")),
)

INDICATOR_BY_CODE: MappingProxyType[str, Indicator] = MappingProxyType({i.code: i for i in INDICATORS})
assert len(INDICATOR_BY_CODE) == len(INDICATORS)


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[Indicator, tuple[tuple[re.Pattern, ...], ...]], ...]:
    out = []
    for ind in INDICATORS:
        alts = []
        for kw in ind.keywords:
            parts = tuple(re.compile(r"(?<![a-z0-9])" + re.escape(_key(p)) + r"(?![a-z0-9])")
                          for p in kw.split(" + ") if _key(p))
            if parts:
                alts.append(parts)
        out.append((ind, tuple(alts)))
    return tuple(out)


def _match(key: str, unit: str | None) -> str | None:
    if not key:
        return None
    for ind, alts in _rules():
        if unit is not None and unit not in ind.units:
            continue
        if any(all(p.search(key) for p in parts) for parts in alts):
            return ind.code
    return None


def classify_indicator(subject: str | None, text: str | None = None, unit: str | None = None) -> str | None:
    """Code of the indicator a target measures (see :data:`INDICATORS`), else ``None``; never raises.

    ``subject`` is what is measured, ``text`` the clause stating the goal and
    ``unit`` the normalized unit of :class:`extractors.targets.TargetMention`.
    """
    unit = unit if isinstance(unit, str) and unit else None
    for part in (subject, text):
        if isinstance(part, str):
            code = _match(_key(part), unit)
            if code is not None:
                return code
    return None
