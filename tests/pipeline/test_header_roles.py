"""Appendix tables headed in the wordings of real plans, through pipeline.run.process_document:
every column lands in its role whatever the wording, order or form (DOCX, tab text dump)."""

from __future__ import annotations

import random

import pytest
from docx import Document as DocxDocument

from pipeline.config import Config
from pipeline.run import process_document

ROWS = [
    {"row_no": "1", "task": "Xây dựng Kế hoạch cải cách hành chính năm 2025", "lead": "Phòng Nội vụ",
     "monitor": "Văn phòng HĐND và UBND xã", "deadline": "Tháng 01/2025", "product": "Kế hoạch"},
    {"row_no": "2", "task": "Rà soát, đơn giản hóa thủ tục hành chính", "lead": "Văn phòng HĐND và UBND xã",
     "monitor": "Phòng Văn hóa - Xã hội", "deadline": "Quý II/2025", "product": "Báo cáo kết quả rà soát"},
    {"row_no": "3", "task": "Kiểm tra công tác cải cách hành chính tại các thôn", "lead": "Công an xã",
     "monitor": "Văn phòng HĐND và UBND xã", "deadline": "Hàng năm", "product": "Thông báo kết luận"},
]
REAL_HEADERS = {"row_no": "TT", "task": "Nội dung nhiệm vụ", "lead": "Sở, ngành chủ trì tham mưu",
                "monitor": "Theo dõi, kiểm tra, đôn đốc", "deadline": "Tiến độ hoàn thành",
                "product": "Kết quả đầu ra"}
# Other wordings of the same roles, for generated variants.
WORDINGS = {
    "row_no": ["TT", "STT", "Số TT"],
    "task": ["Nội dung nhiệm vụ", "Nhiệm vụ", "Nội dung công việc", "Tên nhiệm vụ"],
    "lead": ["Sở, ngành chủ trì tham mưu", "Cơ quan chủ trì", "Đơn vị chịu trách nhiệm", "Cơ quan, đơn vị chủ trì",
             "CƠ QUAN THỰC HIỆN", "Don vi chu tri"],
    "monitor": ["Theo dõi, kiểm tra, đôn đốc", "Kiểm tra, đôn đốc", "Đơn vị theo dõi", "THEO DÕI, ĐÔN ĐỐC"],
    "deadline": ["Tiến độ hoàn thành", "Thời gian thực hiện", "Thời hạn", "Thoi gian hoan thanh"],
    "product": ["Kết quả đầu ra", "Sản phẩm", "Sản phẩm đầu ra", "Hình thức văn bản", "KẾT QUẢ"],
}
TITLE = ["ỦY BAN NHÂN DÂN", "XÃ TÂN HÒA", "Số: 12/KH-UBND", "KẾ HOẠCH",
         "Cải cách hành chính năm 2025", "PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025"]


def _docx(path, headers: dict[str, str], order: list[str]):
    d = DocxDocument()
    for line in TITLE:
        d.add_paragraph(line)
    table = d.add_table(rows=1 + len(ROWS), cols=len(order))
    for c, role in enumerate(order):
        table.cell(0, c).text = headers[role]
        for r, row in enumerate(ROWS, start=1):
            table.cell(r, c).text = row[role]
    d.save(path)
    return path


def _tab_dump(path, headers: dict[str, str], order: list[str]):
    lines = TITLE + ["", "\t".join(headers[r] for r in order)]
    lines += ["\t".join(row[r] for r in order) for row in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cell_lines(path, headers: dict[str, str], order: list[str]):
    """A text dump with one cell per line (PDF text extraction), header cells first."""
    lines = TITLE + [""] + [headers[r] for r in order]
    lines += [row[r] for row in ROWS for r in order]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _appendix(path) -> list[dict]:
    result = process_document(path, Config(workers=1))
    return [t for t in result.tables["tasks"] if t["source"] == "appendix"]


def _check(rows: list[dict]) -> None:
    assert len(rows) == len(ROWS)
    for got, want in zip(rows, ROWS):
        for role in ("lead", "monitor", "deadline", "product", "task", "row_no"):
            assert got[role] == want[role], (role, got[role], want[role])
        assert got["support"] is None  # the monitor column is kept apart from support
        assert got["row_no_inferred"] is False


def test_real_plan_wordings_in_a_docx_table(tmp_path):
    order = ["row_no", "task", "lead", "monitor", "deadline", "product"]
    _check(_appendix(_docx(tmp_path / "plan.docx", REAL_HEADERS, order)))


def test_real_plan_wordings_in_a_tab_text_dump(tmp_path):
    order = ["row_no", "task", "lead", "monitor", "deadline", "product"]
    _check(_appendix(_tab_dump(tmp_path / "plan.txt", REAL_HEADERS, order)))


def test_real_plan_wordings_in_a_dump_with_one_cell_per_line(tmp_path):
    order = ["row_no", "task", "lead", "monitor", "deadline", "product"]
    _check(_appendix(_cell_lines(tmp_path / "plan.txt", REAL_HEADERS, order)))


@pytest.mark.parametrize("seed", range(6))
def test_generated_wordings_and_orders(tmp_path, seed):
    rng = random.Random(seed)
    headers = {role: rng.choice(ws) for role, ws in WORDINGS.items()}
    meta = ["lead", "monitor", "deadline", "product"]
    rng.shuffle(meta)
    order = ["row_no", "task"] + meta
    _check(_appendix(_docx(tmp_path / "plan.docx", headers, order)))
    _check(_appendix(_tab_dump(tmp_path / "plan.txt", headers, order)))


def test_monitor_bodies_are_owners_with_their_own_role(tmp_path):
    """The bodies of the "Theo dõi, kiểm tra, đôn đốc" column are resolved like lead and support
    ones, linked to their tasks with role "monitor"."""
    order = ["row_no", "task", "lead", "monitor", "deadline", "product"]
    result = process_document(_docx(tmp_path / "plan.docx", REAL_HEADERS, order), Config(workers=1))
    tasks = {t["task_id"]: t for t in result.tables["tasks"] if t["source"] == "appendix"}
    links = [link for link in result.tables["task_owners"] if link["task_id"] in tasks]
    monitors = [(tasks[link["task_id"]]["row_no"], link["surface"]) for link in links if link["role"] == "monitor"]
    assert monitors == [(row["row_no"], row["monitor"]) for row in ROWS]
    names = {o["owner_id"]: o["name"] for o in result.tables["owners"]}
    leads = {(tasks[link["task_id"]]["row_no"], names[link["owner_id"]]) for link in links if link["role"] == "lead"}
    assert len(leads) == len(ROWS)
    # the same body monitoring and leading is one owner
    vp = {link["owner_id"] for link in links if "Văn phòng" in link["surface"]}
    assert len(vp) == 1
