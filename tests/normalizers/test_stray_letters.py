"""Letters no body or deadline cell holds (normalizers.quality.stray_letters): what OCR makes of
a seal, a signature or a torn stroke over a scanned table's short cell.  Every registered body
name, the sample plans' body and deadline cells and common deadline wordings have none; the same
cells with one such speck of OCR junk put in have."""

from __future__ import annotations

import random

import pytest

from conftest import sample_lines
from extractors.appendix import extract_appendix
from normalizers.owners import registry_phrases
from normalizers.quality import stray_letters

#: deadline wordings of plans
DEADLINES = ("Năm 2025", "Hàng năm", "Hằng năm", "Quý II/2024", "Quý IV/2025", "Trước 30/6/2025", "Thường xuyên",
             "Tháng 12/2025", "Trước ngày 15/12 hằng năm", "Năm 2025 và các năm tiếp theo", "2026 - 2030",
             "Định kỳ 6 tháng", "Theo quy định", "Quý III hằng năm", "Từ tháng 3/2025")
#: letters tesseract reads from a seal's rim, a signature's loop or a ruling's broken end
JUNK = ("mm", "uc", "L", "Jj", "ñZ", "T", "ii", "rn", "Hh", "tl", "lI", "qg", "tHg")


def _cells() -> list[str]:
    cells = list(registry_phrases()) + list(DEADLINES)
    for key in ("000", "001", "002"):
        for table in extract_appendix(sample_lines(key)):
            for row in table.rows:
                cells.extend(row.cells.get(c) or "" for c in ("lead", "support", "deadline"))
    return [c for c in cells if c.strip()]


def test_body_names_and_deadlines_hold_no_stray_letters():
    cells = _cells()
    assert len(cells) > 300
    stray = {c: stray_letters(c) for c in cells if stray_letters(c)}
    assert not stray, stray


@pytest.mark.parametrize("seed", range(3))
def test_a_speck_of_ocr_junk_in_a_short_cell_is_stray(seed):
    rng = random.Random(seed)
    cells = _cells()
    caught = 0
    for cell in rng.sample(cells, 200):
        words = cell.split()
        at = rng.randrange(len(words) + 1)
        junk = rng.choice(JUNK)
        caught += bool(stray_letters(" ".join(words[:at] + [junk] + words[at:])))
    assert caught == 200
