"""Joining syllables that PDF text extraction split with a space (normalizers/split_syllables.py).

Split text is generated from the sample plans the way pdftotext splits (the simulator of
scripts/eval_split_syllables.py): mostly before the vowel carrying the tone mark, after the
initial consonants, between vowels, twice."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
from unidecode import unidecode

from conftest import sample_lines, sample_path
from normalizers.repair import repair_lines
from normalizers.split_syllables import join_split_syllables

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ("000", "001", "002", "003")
#: the one syllable that pdftotext split in the sample dumps themselves
REAL_SPLIT = ("Báo cáo t ự", "Báo cáo tự")


@pytest.fixture(scope="module")
def sim():
    spec = importlib.util.spec_from_file_location("eval_split_syllables", ROOT / "scripts" / "eval_split_syllables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean(key: str) -> list[str]:
    return [x.replace(*REAL_SPLIT) for x in sample_lines(key)]


def right_share(sim, refs, hyps) -> tuple[int, int]:
    return sim.right_share(refs, hyps)


@pytest.mark.parametrize("rate", [0.036, 0.12])
@pytest.mark.parametrize("form", ["accented", "ascii"])
def test_generated_splits_come_back(sim, form, rate):
    rng = random.Random(7)
    n = ok = ok_before = n_split = 0
    for key in SAMPLES:
        ref = clean(key)
        split = [sim.simulate_splits(x, rng, rate) for x in ref]
        if form == "ascii":
            ref, split = [unidecode(x) for x in ref], [unidecode(x) for x in split]
        n_split += sum(a != b for a, b in zip(ref, split))
        out = join_split_syllables(split)
        assert len(out) == len(split)
        m, good = right_share(sim, ref, out)
        _m, before = right_share(sim, ref, split)
        n, ok, ok_before = n + m, ok + good, ok_before + before
    assert n_split > 50
    assert ok_before / n < 1 - rate / 2  # the splits are there ...
    assert ok / n >= 0.995, f"{form} rate {rate}: {ok / n:.4%} of {n} syllables right"  # ... and gone


@pytest.mark.parametrize("key", SAMPLES)
def test_clean_text_unchanged(key):
    lines = clean(key)
    assert join_split_syllables(lines) == lines
    ascii_lines = [unidecode(x) for x in lines]
    assert join_split_syllables(ascii_lines) == ascii_lines


def test_the_real_split_of_sample_000_is_joined():
    lines = sample_lines("000")
    out = join_split_syllables(lines)
    changed = [(a, b) for a, b in zip(lines, out) if a != b]
    assert [b.strip() for _a, b in changed] == ["Báo cáo tự"]


@pytest.mark.parametrize(("split", "joined"), [
    ("Ủy ban nhân dân t ỉnh Lâm Đ ồng ban hành Kế hoạch", "Ủy ban nhân dân tỉnh Lâm Đồng ban hành Kế hoạch"),
    ("K ế ho ạch c ải cách hành chính năm 2024", "Kế hoạch cải cách hành chính năm 2024"),
    ("Hệ thống thông tin một cửa đi ện t ử của xã", "Hệ thống thông tin một cửa điện tử của xã"),
    ("Báo cáo t ự kiểm tra công tác cải cách hành chính", "Báo cáo tự kiểm tra công tác cải cách hành chính"),
    ("Xây dựng c h ương trình công tác năm", "Xây dựng chương trình công tác năm"),
    ("KẾ HO ẠCH THỰC HI ỆN CẢI CÁCH HÀNH CHÍNH", "KẾ HOẠCH THỰC HIỆN CẢI CÁCH HÀNH CHÍNH"),
    ("(thực hiện tại xã, t ỉnh).", "(thực hiện tại xã, tỉnh)."),
    ("Phòng Văn hóa - Thông tin huy ện chủ trì.", "Phòng Văn hóa - Thông tin huyện chủ trì."),
])
def test_splits_are_joined(split, joined):
    assert join_split_syllables([split]) == [joined]


@pytest.mark.parametrize("line", [
    "Ủy ban nhân dân thành phố Hà Nội",
    "Học sinh đi học đúng giờ, cải cách hành chính",
    "giai đoạn 2021 2025 và 2026 2030",
    "UBND xã, HĐND xã, TT HĐND",
    "a) Tổ chức thực hiện; b) Kiểm tra; đ) Báo cáo",
    "Phụ lục I II III IV V VI",
    "Diện tích x 2 lần, hệ số k = 3",
    "theo điểm a khoản 2 Điều 5, mục b và c",
    "Nguyễn Văn A, Trần Thị B",
    "https://dichvucong.gov.vn/p/home/dvc trang chu.html",
    "Ke hoach so 83 ve cai cach hanh chinh",
])
def test_words_numbers_markers_stay(line):
    assert join_split_syllables([line]) == [line]


def test_one_output_line_per_input_line_and_skip():
    lines = ["t ỉnh", "", "Đ ồng", "   ", "ho ạch"]
    out = join_split_syllables(lines)
    assert out == ["tỉnh", "", "Đồng", "   ", "hoạch"]
    assert join_split_syllables(lines, skip=[True] * 5) == lines


def test_repair_joins_before_restoring_diacritics():
    ascii_split = ["Uy ban nhan dan t inh Lam D ong", "K e ho ach thuc hi en cai c ach hanh chinh nam 2024"]
    res = repair_lines(ascii_split)
    assert res.lines == ("Ủy ban nhân dân tỉnh Lâm Đồng", "Kế hoạch thực hiện cải cách hành chính năm 2024")
    accented = ["Ủy ban nhân dân t ỉnh Lâm Đ ồng", "K ế ho ạch thực hi ện cải c ách hành chính năm 2024"]
    res = repair_lines(accented)
    assert res.state == "accented"
    assert res.lines == ("Ủy ban nhân dân tỉnh Lâm Đồng", "Kế hoạch thực hiện cải cách hành chính năm 2024")
    assert repair_lines(accented, join_splits=False).lines != res.lines


def test_pipeline_reads_a_split_dump_like_the_clean_one(sim, tmp_path):
    """A text dump of sample 003 with syllables split as pdftotext splits them gives the
    rows of the clean dump: the joined words reach sections, targets and the header."""
    from pipeline.config import Config
    from pipeline.run import process_document

    text = sample_path("003").read_text(encoding="utf-8")
    rng = random.Random(11)
    split = "\n".join(sim.simulate_splits(x, rng, 0.05) for x in text.split("\n"))
    assert split != text
    path = tmp_path / "003_split.txt"
    path.write_text(split, encoding="utf-8")
    got = process_document(path, Config(workers=1))
    want = process_document(sample_path("003"), Config(workers=1))
    assert got.status == "success"

    def words(res, table, column):
        return [r[column] for r in res.tables[table]]

    assert words(got, "sections", "heading") == words(want, "sections", "heading")
    assert words(got, "targets", "text") == words(want, "targets", "text")
    doc, ref = got.tables["documents"][0], want.tables["documents"][0]
    assert doc["text_state"] == "accented"
    assert (doc["district"], doc["province"]) == (ref["district"], ref["province"]) == ("Hà Trung", "Thanh Hóa")
    # the split headings were there before the join
    split_heads = [h for h in words(want, "sections", "heading") if h and h not in split]
    assert split_heads


def test_layout_columns_stay_in_place():
    """pdftotext -layout keeps columns by spaces: the spaces a join removes go to the next
    column gap, so that every column after it starts where it started."""
    line = "1   Báo cáo t ự kiểm tra, t ỉnh Lâm Đ ồng   Công chức Tư pháp    Hàng năm"
    out = join_split_syllables([line])[0]
    assert out.split("   ")[1].strip() == "Báo cáo tự kiểm tra, tỉnh Lâm Đồng"
    assert len(out) == len(line)
    for col in ("Công chức", "Hàng năm"):
        assert out.index(col) == line.index(col)
