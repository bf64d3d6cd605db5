from __future__ import annotations

from conftest import sample_lines
from extractors.body_tasks import extract_body_tasks, heading_owner, owner_prefix
from extractors.sections import parse_outline


def tasks_of(key):
    return extract_body_tasks(parse_outline(sample_lines(key))[0])


def test_000_body_tasks_come_only_from_nhiem_vu_scopes():
    tasks = [t for t in tasks_of("000") if t.source == "body"]
    assert tasks[0].section_id == "II.2.1.b.-1"
    assert tasks[0].text.startswith("Chỉ đạo ban hành các văn bản, điều hành nhằm tăng cường trách nhiệm")
    assert (tasks[0].group_no, tasks[0].group_title) == ("2.1", "Công tác chỉ đạo, điều hành")
    ids = [t.section_id for t in tasks]
    # "a) Mục tiêu" bullets are goals, not tasks; "III. GIẢI PHÁP" is not a task scope.
    assert not any(".a." in i for i in ids)
    assert not any(i.startswith("III") for i in ids)
    # Both a '-' bullet that introduces '+' items and the '+' items are tasks.
    assert "II.2.2.b.-2" in ids and "II.2.2.b.-2.+1" in ids and "II.2.2.b.-2.+2" in ids
    assert {t.group_title for t in tasks} == {
        "Công tác chỉ đạo, điều hành", "Cải cách thể chế", "Cải cách thủ tục hành chính (TTHC)",
        "Cải cách tổ chức bộ máy hành chính nhà nước", "Cải cách chế độ công vụ", "Cải cách tài chính công",
        "Xây dựng và phát triển chính quyền điện tử, chính quyền số"}
    assert len(tasks) == 37


def test_000_responsibilities_get_their_owner():
    resp = [t for t in tasks_of("000") if t.source == "responsibility"]
    by_section = {t.section_id: t for t in resp}
    assert by_section["V.1.-1"].lead == "Văn phòng UBND xã"
    assert by_section["V.1.-1"].text.startswith("Hướng dẫn, đôn đốc, theo dõi, kiểm tra các bộ phận")
    # Heading names the owner; the duty is the paragraph below it.
    assert by_section["V.2"].lead == "Công chức Tư pháp – Hộ tịch"
    assert by_section["V.2"].text.startswith("Tham mưu UBND xã thực hiện các nhiệm vụ về cải cách thể chế")
    # "Owner: duty" on one numbered line, with "Đề nghị" courtesy words dropped.
    assert (by_section["V.5"].lead, by_section["V.5"].text[:20]) == ("Văn phòng Đảng ủy – Nội vụ", "Chủ trì, tham mưu UB")
    assert by_section["V.6"].lead == "Ủy ban MTTQ Việt Nam, các tổ chức chính trị - xã hội xã"
    assert by_section["V.7"].lead == "Đài Phát thanh xã"
    assert len(resp) == 14


def test_003_responsibilities_in_running_text():
    resp = {t.lead: t.text for t in tasks_of("003") if t.source == "responsibility"}
    assert resp["Công chức Tư pháp – Hộ tich"] == "Tham mưu xây dựng và tổ chức thực hiện văn bản pháp luật."
    assert resp["Công chức Tài chính – Kế toán"] == "Tham mưu cải cách tài chính công."
    assert "Phó chủ tịch UBND xã phụ trách 1 cửa" in resp
    # A heading that merely contains "tổ chức thực hiện" is not the responsibilities part.
    body = [t for t in tasks_of("003") if t.source == "body"]
    assert any(t.section_id == "II.2" and t.text.startswith("Ban hành kịp thời kế hoạch rà soát") for t in body)


def test_002_responsibility_bullets_with_owner_prefix():
    resp = [t for t in tasks_of("002") if t.source == "responsibility"]
    leads = [t.lead for t in resp]
    assert "Phòng Văn hóa - Xã hội" in leads and "Phòng Kinh tế" in leads
    # The appendix pointer "(Chi tiết tại Phụ lục kèm theo)" is not a task.
    assert not any("Phụ lục" in t.text for t in tasks_of("002"))


def test_owner_prefix_and_heading_owner():
    assert owner_prefix("Phòng Kinh tế tham mưu UBND xã lập dự toán") == ("Phòng Kinh tế", "tham mưu UBND xã lập dự toán")
    assert owner_prefix("Ban hành kịp thời kế hoạch rà soát") is None
    assert owner_prefix("Số hóa hồ sơ: đạt 80%") is None
    assert heading_owner("Trách nhiệm của Chủ tịch UBND xã") == "Chủ tịch UBND xã"
    assert heading_owner("Phòng Văn hóa - Xã hội xã là cơ quan thường trực của Ủy ban nhân dân xã") == "Phòng Văn hóa - Xã hội xã"
    assert heading_owner("TỔ CHỨC THỰC HIỆN") is None
    assert heading_owner("Chế độ báo cáo") is None
