"""Place names of plans whose marks were lost: the header's commune, date-line place and issuer
spelt as the unit lists spell them, however the text came (ASCII, English-model OCR's case),
and what is no place not taken for one."""

from __future__ import annotations

import random

import pytest
from unidecode import unidecode

from extractors.header import extract_header, place_case
from normalizers.admin_units import _bare, _legacy, usual_spelling
from normalizers.repair import repair_ocr_lines
from normalizers.text import fold
from pipeline.config import Config
from pipeline.run import process_document

#: generated plans per run
PLANS = 24


def _names(seed: int, n: int) -> list[str]:
    """``n`` commune names with marks that the lists spell one way (their usual spelling), every
    word capitalised (a name with a small word, "Nông trường Việt Trung", is read up to it)."""
    names = sorted({_bare(r.commune) for r in _legacy()})
    names = [c for c in names if unidecode(c) != c and usual_spelling(unidecode(c), "commune") == c
             and all(w[:1].isupper() for w in c.split())]
    return random.Random(seed).sample(names, n)


def _plan(name: str) -> str:
    return "\n".join([
        "ỦY BAN NHÂN DÂN", f"XÃ {name.upper()}", "", "Số: 12/KH-UBND", "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
        f"{name}, ngày 15 tháng 01 năm 2025", "", "KẾ HOẠCH", f"Cải cách hành chính xã {name} năm 2025", "",
        "Thực hiện Kế hoạch của Ủy ban nhân dân huyện về cải cách hành chính, Ủy ban nhân dân xã "
        "xây dựng Kế hoạch cải cách hành chính năm 2025 như sau:", "",
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao chất lượng giải quyết thủ tục hành chính.", "",
        "II. NHIỆM VỤ", "1. Cải cách thủ tục hành chính", "Rà soát, đơn giản hóa thủ tục hành chính.", "",
        "Nơi nhận:", "- UBND huyện;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Nguyễn Văn An", ""])


def test_plans_without_marks_name_their_commune_as_the_lists_spell_it(tmp_path):
    wrong = []
    for name in _names(7, PLANS):
        path = tmp_path / f"{fold(name).replace(' ', '_')}.txt"
        path.write_text(unidecode(_plan(name)), encoding="utf-8")
        res = process_document(path, Config(workers=1))
        doc = res.tables["documents"][0]
        assert doc["text_state"] == "ascii", name
        got = (doc["commune"], doc["issued_place"], doc["issuer"])
        if got != (name, name, f"ỦY BAN NHÂN DÂN XÃ {name.upper()}"):
            wrong.append((name, got))
    print(f"\n{PLANS - len(wrong)} of {PLANS} ASCII plans name their commune right; wrong: {wrong}")
    assert not wrong


def test_the_accented_plan_keeps_its_printed_spelling(tmp_path):
    """Printed with marks, the name is as printed, even where the lists spell it otherwise."""
    path = tmp_path / "plan.txt"
    path.write_text(_plan("Thạnh Xuân"), encoding="utf-8")
    doc = process_document(path, Config(workers=1)).tables["documents"][0]
    assert (doc["commune"], doc["issued_place"]) == ("Thạnh Xuân", "Thạnh Xuân")


@pytest.mark.parametrize("printed,name", [
    ("VĨNH LẬP", "Vĩnh Lập"), ("ViNH LAP", "Vinh Lap"), ("Vĩnh LẬP", "Vĩnh Lập"), ("Đắk R'Lấp", "Đắk R'Lấp"),
    ("Ea H'leo", "Ea H'leo"), ("TÀ ĐÙNG", "Tà Đùng"), ("Lộc Thủy", "Lộc Thủy"),
])
def test_place_case(printed, name):
    assert place_case(printed) == name


def test_a_heading_english_ocr_read_partly_small_stays_in_capitals():
    got = repair_ocr_lines(["Uy BAN NHAN DAN XA ViNH LAP", "CONG HOA XA HOI CHU NGHIA VIET NAM Doc lap - Tu do",
                            "TO chttc tap huan cho can bd, cong chtrc"])
    assert got[0] == "ỦY BAN NHÂN DÂN XÃ VĨNH LẬP"
    assert got[1].endswith("Độc lập - Tự do")  # a line half in capitals is no heading
    assert got[2] == "Tổ chức tập huấn cho cán bộ, công chức"  # "TO": a small letter read as a capital


def _header(lines, body_start):
    return extract_header(lines, body_start=body_start, closing=(0, len(lines)))


def test_what_follows_a_unit_word_is_no_place_unless_it_is_one():
    lines = ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LẬP", "Số: 12/KH-UBND", "KẾ HOẠCH", "Cải cách hành chính năm 2025", "",
             "I. NHIỆM VỤ", "- Báo cáo UBND huyện     UBND xã", "theo chỉ đạo của UBND huyện Văn bản được ban hành",
             "trình UBND huyện Thanh Hà"]
    h = _header(lines, 6)
    assert h.commune == "Vĩnh Lập"
    assert h.district == "Thanh Hà"  # not "UBND" (a column gap) nor "Văn" (no district)


@pytest.mark.parametrize("motto", ["CỘNG HÒA XÃ HỘLCHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI (:HỦ NGHĨA VIỆT NAM",
                                   "CỘNG HÒA XÃ HỘI CHỦ NGHĨAVIỆT NAM", "CONG HOA XA HQI CHU NGHIA VIET NAM"])
def test_a_motto_ocr_misread_is_not_the_issuer(motto):
    lines = [motto, "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN",
             "XÃ HÒA BÌNH_.", "Số: 12/KH-UBND", "Hòa Bình, ngày 15 tháng 01 năm 2025", "KẾ HOẠCH",
             "Cải cách hành chính năm 2025"]
    h = _header(lines, len(lines))
    assert h.issuer == "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH"
    assert h.commune == "Hòa Bình"


@pytest.mark.parametrize("after", [
    ["PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "TT", "Hoạt động", "Tên nhiệm vụ"],  # the name page not read
    ["Hoạt động"],  # "đ" is no capital
])
def test_no_signer_from_what_is_no_name(after):
    lines = ["Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH“", *after]
    got = extract_header(lines, body_start=0, closing=(0, len(lines)))
    assert got.signer is None
    assert got.signer_title == "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"  # the seal's speck left out
