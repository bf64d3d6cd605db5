"""Normalized values in the tables of the sample plans: reform areas, deadlines, indicators,
administrative units, canonical owners and cited documents, as the pipeline writes them.

Expected values were read off the sample text by hand (line numbers refer to the files in
``tests/resources/``); the normalizers themselves are tested in ``tests/normalizers/``.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from conftest import sample_path

from normalizers.areas import AREAS
from normalizers.deadlines import RECURRENCES
from normalizers.indicators import INDICATORS
from pipeline.config import Config
from pipeline.model import DocumentResult
from pipeline.run import process_document


@functools.lru_cache(maxsize=None)
def result(sample: str) -> DocumentResult:
    return process_document(sample_path(sample), Config(workers=1))


def rows(sample: str, table: str, **where) -> list[dict]:
    return [r for r in result(sample).tables[table] if all(r.get(k) == v for k, v in where.items())]


CLEAN = ("000", "001", "002", "003")  # correctly accented samples (004 is English-model OCR)


# --- reform areas ----------------------------------------------------------------------------


@pytest.mark.parametrize("sample, section_id, area", [
    ("001", "II.1", "the_che"),              # "Cải cách thể chế"
    ("001", "II.2", "thu_tuc_hanh_chinh"),   # "Cải cách thủ tục hành chính"
    ("001", "II.6", "chinh_phu_so"),         # "Xây dựng và phát triển chính quyền điện tử, chính quyền số"
    ("001", "II.7", "chi_dao_dieu_hanh"),    # "Tổ chức chỉ đạo, điều hành"
    ("002", "II.2", "thu_tuc_hanh_chinh"),   # "Cải cách thủ tục hành chính (TTHC)"
    ("002", "II.3", "to_chuc_bo_may"),
    ("001", "I", None),                      # "MỤC TIÊU, YÊU CẦU" names no area
])
def test_section_areas(sample, section_id, area):
    (row,) = rows(sample, "sections", section_id=section_id)
    assert row["area"] == area


def test_section_area_is_inherited_by_children():
    children = [s for s in rows("001", "sections") if (s["parent_id"] or "").startswith("II.5")]
    assert children and all(s["area"] == "tai_chinh_cong" for s in children)


@pytest.mark.parametrize("sample", ("000", "001", "002"))
def test_every_appendix_row_of_the_clean_samples_has_an_area(sample):
    appendix = rows(sample, "tasks", source="appendix")
    assert appendix and all(t["area"] in AREAS for t in appendix), [
        (t["row_no"], t["group_title"]) for t in appendix if t["area"] is None]


def test_appendix_group_decides_the_area():
    groups = {(t["group_title"], t["area"]) for t in rows("000", "tasks", source="appendix")}
    by_title = dict(groups)
    assert len(by_title) == len(groups)  # one area per group
    assert by_title["Cải cách thể chế"] == "the_che"


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize("sample, printed, start, end, recurrence", [
    ("000", "Năm 2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31), "once"),
    ("000", "Hàng năm", dt.date(2021, 1, 1), dt.date(2025, 12, 31), "annual"),  # plan 2021-2025
    ("000", "Thường xuyên", dt.date(2021, 1, 1), dt.date(2025, 12, 31), "continuous"),
    ("000", "Quý IV hàng năm", dt.date(2021, 10, 1), dt.date(2025, 12, 31), "annual"),
    ("001", "Quý I/2022 Năm 2022", dt.date(2022, 1, 1), dt.date(2022, 3, 31), "once"),
    ("001", "Tháng 12/2021", dt.date(2021, 12, 1), dt.date(2021, 12, 31), "once"),
    ("002", "Chậm nhất ngày 30/7 của năm ban hành kế hoạch", None, dt.date(2025, 7, 30), "once"),
    ("002", "Định kỳ hàng tháng", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "monthly"),
    ("002", "Sau khi có văn bản của cơ quan có thẩm quyền", None, None, "conditional"),
])
def test_appendix_deadlines(sample, printed, start, end, recurrence):
    found = [t for t in rows(sample, "tasks", source="appendix") if t["deadline"] == printed]
    assert found, printed
    for t in found:
        assert (t["deadline_start"], t["deadline_end"], t["recurrence"]) == (start, end, recurrence)


def test_deadline_coverage_on_the_clean_samples():
    dated = [t for s in CLEAN for t in rows(s, "tasks") if t.get("deadline")]
    with_recurrence = [t for t in dated if t["recurrence"] in RECURRENCES]
    # the two without: "Cơ quan soạn thảo văn bản QPPL" (001, a lead printed in the deadline
    # column) and "Theo định kỳ" (002, no frequency)
    assert len(dated) - len(with_recurrence) <= 2
    assert all(t["deadline_start"] is None or t["deadline_end"] is None or t["deadline_start"] <= t["deadline_end"]
               for t in dated)


# --- indicators ------------------------------------------------------------------------------


@pytest.mark.parametrize("sample, line, value, indicator", [
    ("000", 124, 95.0, "satisfaction"),     # "Mức độ hài lòng ... đạt tối thiểu 95%"
    ("000", 210, 99.0, "dossiers_on_time"),
    ("000", 229, 13.0, "waiting_time"),     # "13 - 15 phút/lượt"
    ("000", 232, 35.0, "online_payment"),
    ("001", 66, 50.0, "online_dossiers"),
    ("004", 127, 95.0, "satisfaction"),     # repaired OCR text
])
def test_target_indicators(sample, line, value, indicator):
    found = [t for t in rows(sample, "targets", line_start=line) if t["value"] == value]
    assert found and all(t["indicator"] == indicator for t in found)


def test_indicator_codes_are_documented_ones():
    codes = {i.code for i in INDICATORS}
    for s in CLEAN + ("004",):
        assert {t["indicator"] for t in rows(s, "targets")} - {None} <= codes


def test_same_indicator_lines_up_across_communes():
    """Satisfaction rate targets of three communes, comparable by one code."""
    communes = {s for s in CLEAN + ("004",) if rows(s, "targets", indicator="satisfaction")}
    assert {"000", "001", "004"} <= communes


# --- administrative units ------------------------------------------------------------------


def test_pre_2025_plan_resolves_to_its_2025_province():
    (doc,) = rows("000", "documents")  # Xã Vĩnh Lập, huyện Thanh Hà, tỉnh Hải Dương (2021)
    assert (doc["commune"], doc["district"], doc["province"]) == ("Vĩnh Lập", "Thanh Hà", "Hải Dương")
    assert doc["admin_era"] == "legacy"
    assert doc["province_code"] == "30" and doc["district_code"]
    assert doc["current_province"] == "Thành phố Hải Phòng"  # Hải Dương merged into Hải Phòng


def test_post_2025_plan_resolves_in_the_current_units():
    (doc,) = rows("002", "documents")  # Xã Tà Đùng, tỉnh Lâm Đồng (2025)
    assert doc["admin_era"] == "current" and doc["admin_status"] == "commune"
    assert doc["current_commune"] == "Xã Tà Đùng" and doc["current_province"] == "Tỉnh Lâm Đồng"
    assert doc["commune_code"] == doc["current_commune_code"]


def test_commune_named_without_a_province():
    (doc,) = rows("001", "documents")  # Xã Lộc Thủy, huyện Phú Lộc (Thừa Thiên Huế)
    assert doc["province"] is None and doc["admin_status"] == "commune"
    assert doc["current_province"] == "Thành phố Huế"


# --- owners ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", CLEAN)
def test_owners_link_every_lead_and_support_cell(sample):
    tasks = {t["task_id"]: t for t in rows(sample, "tasks")}
    links = rows(sample, "task_owners")
    owners = {o["owner_id"]: o for o in rows(sample, "owners")}
    assert {link["owner_id"] for link in links} == set(owners)
    for t in tasks.values():
        for role in ("lead", "support"):
            if t.get(role):
                assert any(link["task_id"] == t["task_id"] and link["role"] == role for link in links), (t["task_id"], role)


def test_most_owners_of_the_clean_samples_are_registered_bodies():
    links = [(s, link) for s in CLEAN for link in rows(s, "task_owners")]
    owners = {o["owner_id"]: o for s in CLEAN for o in rows(s, "owners")}
    registered = sum(owners[link["owner_id"]]["registered"] for _, link in links)
    assert registered / len(links) >= 0.97, registered / len(links)
    new = {o["name"] for o in owners.values() if not o["registered"]}
    assert "Ngân hàng hoặc tổ chức cung ứng dịch vụ trung gian thanh toán" in new  # 000, a real new body


def test_generic_groups_are_flagged():
    owners = {o["name"]: o for s in CLEAN for o in rows(s, "owners")}
    assert owners["Các bộ phận liên quan"]["generic"]
    assert owners["Các cơ quan, đơn vị liên quan"]["generic"]
    assert not owners["Văn phòng HĐND - UBND xã"]["generic"]


# --- cited documents ---------------------------------------------------------------------------


def test_references_of_000():
    refs = rows("000", "references")
    first = refs[0]
    assert (first["ref_number"], first["ref_type"], first["ref_issuer"], first["ref_date"], first["line_start"]) == (
        "76/NQ-CP", "Nghị quyết", "Chính phủ", dt.date(2021, 7, 15), 17)
    numbers = [r["ref_number"] for r in refs]
    assert "4347/KH-UBND" in numbers and "60/2021/NĐ-CP" in numbers
    own = rows("000", "documents")[0]["doc_number"]
    assert own not in numbers  # the plan's own number is not a citation


def test_plans_cascade_from_the_same_resolution():
    """76/NQ-CP (the 2021-2030 programme) is cited by plans of communes in different provinces."""
    citing = {s for s in CLEAN + ("004",) if rows(s, "references", ref_number="76/NQ-CP")}
    assert {"000", "002", "004"} <= citing


def test_reference_ids_are_unique():
    for s in CLEAN:
        ids = [r["ref_id"] for r in rows(s, "references")]
        assert len(ids) == len(set(ids))
