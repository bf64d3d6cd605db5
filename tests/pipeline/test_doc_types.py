"""Documents that are not plans: a decision (QĐ) and an official letter (CV) in the folder.

They get their documents row (with doc_type), sections and references, but no tasks, targets
or owners: the same body under a plan's header does give them.  The batch summary names them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import sample_path
from pipeline.batch import run_batch
from pipeline.config import Config
from pipeline.run import process_document

HEADER = {
    "QĐ": ["UBND TỈNH LÀO CAI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
           "SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc",
           "Số: 12/QĐ-SCT Lào Cai, ngày 5 tháng 3 năm 2024",
           "", "QUYẾT ĐỊNH", "Về việc ban hành Kế hoạch cải cách hành chính năm 2024", "",
           "GIÁM ĐỐC SỞ CÔNG THƯƠNG", "",
           "Căn cứ Quyết định số 45/QĐ-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh Lào Cai;", "",
           "QUYẾT ĐỊNH:", "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch với các nội dung sau:"],
    "CV": ["ỦY BAN NHÂN DÂN", "HUYỆN BẢO THẮNG", "Số: 123/UBND-VP", "V/v triển khai công tác cải cách",
           "hành chính năm 2024", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
           "Bảo Thắng, ngày 5/3/2024", "", "Kính gửi: Các phòng, ban chuyên môn thuộc UBND huyện.", "",
           "Thực hiện Kế hoạch số 45/KH-UBND ngày 10/01/2024 của UBND tỉnh Lào Cai, UBND huyện đề nghị:"],
    "KH": ["ỦY BAN NHÂN DÂN", "HUYỆN BẢO THẮNG", "Số: 124/KH-UBND", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
           "Độc lập - Tự do - Hạnh phúc", "Bảo Thắng, ngày 5/3/2024", "", "KẾ HOẠCH",
           "Cải cách hành chính năm 2024", "",
           "Thực hiện Kế hoạch số 45/KH-UBND ngày 10/01/2024 của UBND tỉnh Lào Cai, UBND huyện ban hành như sau:"],
}
BODY = [
    "I. MỤC TIÊU", "",
    "- Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn đạt 100%.", "",
    "II. NHIỆM VỤ", "",
    "1. Cải cách thủ tục hành chính", "",
    "- Rà soát, đơn giản hóa thủ tục hành chính; hoàn thành trước ngày 30/6/2024.", "",
    "III. TỔ CHỨC THỰC HIỆN", "",
    "1. Văn phòng HĐND và UBND", "",
    "Chủ trì, theo dõi, đôn đốc việc thực hiện; tổng hợp báo cáo kết quả.", "",
    "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "",
]
SIGNATURE = {"QĐ": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Trần Văn Bình"],
             "CV": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Lê Thị Hồng Nhung"],
             "KH": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Lê Thị Hồng Nhung"]}


def write_doc(folder: Path, code: str) -> Path:
    path = folder / f"{code}.txt"
    path.write_text("\n".join([*HEADER[code], "", *BODY, *SIGNATURE[code]]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("code,expected", [
    ("QĐ", {"issuer": "SỞ CÔNG THƯƠNG", "province": "Lào Cai", "doc_number": "12/QĐ-SCT",
            "issued_place": "Lào Cai", "title": "Về việc ban hành Kế hoạch cải cách hành chính năm 2024",
            "signer": "Trần Văn Bình", "signer_title": "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"}),
    ("CV", {"issuer": "ỦY BAN NHÂN DÂN HUYỆN BẢO THẮNG", "district": "Bảo Thắng", "doc_number": "123/UBND-VP",
            "issued_place": "Bảo Thắng", "title": "V/v triển khai công tác cải cách hành chính năm 2024",
            "signer": "Lê Thị Hồng Nhung"}),
])
def test_a_non_plan_gets_documents_sections_and_references_only(tmp_path, code, expected):
    res = process_document(write_doc(tmp_path, code), Config(workers=1))
    assert res.status == "success", res.error_message
    (doc,) = res.tables["documents"]
    assert doc["doc_type"] == code
    for name, value in expected.items():
        assert doc[name] == value, name
    assert str(doc["issued_date"]) == "2024-03-05"
    assert [s["section_id"] for s in res.tables["sections"]][:3] == ["I", "I.-1", "II"]
    assert any(r["ref_number"] == "45/" + ("QĐ-UBND" if code == "QĐ" else "KH-UBND") for r in res.tables["references"])
    for table in ("tasks", "targets", "owners", "task_owners"):
        assert res.tables[table] == (), table


def test_the_same_body_under_a_plan_header_gives_tasks_and_targets(tmp_path):
    res = process_document(write_doc(tmp_path, "KH"), Config(workers=1))
    (doc,) = res.tables["documents"]
    assert (doc["doc_type"], doc["doc_number"], doc["title"]) == ("KH", "124/KH-UBND", "Cải cách hành chính năm 2024")
    assert [t["value"] for t in res.tables["targets"]] == [100.0]
    assert {t["source"] for t in res.tables["tasks"]} == {"body", "responsibility"}
    assert res.tables["owners"]


def test_the_summary_names_the_documents_that_are_not_plans(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    qd, cv = write_doc(folder, "QĐ"), write_doc(folder, "CV")
    shutil.copy(sample_path("000"), folder / "000.txt")
    shutil.copy(sample_path("003"), folder / "003.txt")
    for run in range(2):  # the second run reuses every result and publishes nothing
        summary = run_batch([folder], tmp_path / "out", Config(workers=1), progress=False)
        text = summary.render()
        assert summary.published == (run == 0)
        assert "document types: 2 KH, 1 CV, 1 QĐ; 2 not plans" in text, text
        assert f"not a plan (QĐ): {qd}" in text and f"not a plan (CV): {cv}" in text
        assert "000.txt" not in text and "003.txt" not in text
    assert summary.rows["tasks"] > 0
