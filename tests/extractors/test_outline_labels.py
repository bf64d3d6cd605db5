"""Tests for extractors.outline_labels and extractors.row_numbers."""

from __future__ import annotations

import random
import unicodedata

import pytest

from extractors.outline_labels import split_label
from extractors.row_numbers import sequence_row_numbers

KEYWORDS = {"objective": ["Mục tiêu", "MỤC TIÊU", "Muc tieu", "Mục  tiêu"],
            "task": ["Nhiệm vụ", "NHIỆM VỤ", "Nhiem vu"],
            "activity": ["Hoạt động", "HOẠT ĐỘNG", "Hoat dong"]}
TEXTS = ["Xây dựng, hoàn thiện hệ thống văn bản quy phạm pháp luật", "Tham gia, hoàn thiện các văn bản",
         "Rà soát, kiến nghị, sửa đổi", "100% các văn bản hướng dẫn được ban hành", "Ra soat, danh gia TTHC"]


def _ascii(text: str) -> str:
    out = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return out.replace("đ", "d").replace("Đ", "D")


@pytest.mark.parametrize("seed", range(10))
def test_generated_labels_are_split_off(seed):
    rng = random.Random(seed)
    for col, kws in KEYWORDS.items():
        for _ in range(10):
            number = rng.choice(["1", "2", "3", "12", "1.2"])
            prefix = rng.choice(["", f"{rng.randint(1, 3)}.{rng.randint(1, 9)}. ", f"{rng.randint(1, 3)}.{rng.randint(1, 9)}: ",
                                 f"{rng.randint(1, 3)}. "])
            sep = rng.choice([": ", ". ", " - ", " – ", ") ", ":  ", " : "])
            body = rng.choice(TEXTS)
            label = f"{prefix}{rng.choice(kws)} {number}{sep}"
            text = label + body
            if rng.random() < 0.3:
                text = _ascii(text)
                body = _ascii(body)
            assert split_label(text, col) == (number, body), text


@pytest.mark.parametrize("text,col", [
    ("Nhiệm vụ trọng tâm năm 2025", "task"),  # no number: plain text
    ("Nhiệm vụ 2025: rà soát", "task"),  # a year, not a label number
    ("Hoạt động 3 tháng đầu năm", "activity"),  # a number inside the text
    ("Mục tiêu 2: Phấn đấu", "task"),  # a label of another column
    ("Xây dựng kế hoạch. Nhiệm vụ 1: x", "task"),  # not at the start
    ("Mục tiêu II: Nâng cao", "objective"),  # roman 2 or a misread 11: left whole
    ("", "task"),
])
def test_texts_without_a_label_of_the_column_stay_whole(text, col):
    assert split_label(text, col) == (None, text)


def test_ocr_one_and_the_outline_prefix():
    assert split_label("1.1. Mục tiêu I: Xây dựng", "objective") == ("1", "Xây dựng")
    assert split_label("3.4: Hoạt động 4: Rà soát", "activity") == ("4", "Rà soát")
    assert split_label("**1.2. Mục tiêu 2:** 100% văn bản", "objective") == ("2", "100% văn bản")
    assert split_label("Nhiệm vụ 1", "task") == (None, "Nhiệm vụ 1")
    assert split_label(None, "task") == (None, None)


def test_row_numbers_from_the_sequence():
    rows = [("I", "1"), ("I", "2"), ("I", "3"), ("I", None), ("I", "5"), ("I", None), ("II", "7"), ("II", None)]
    assert sequence_row_numbers(rows) == [("1", False), ("2", False), ("3", False), ("4", True), ("5", False),
                                          ("6", True), ("7", False), ("8", True)]


def test_row_numbers_restart_in_every_group():
    rows = [("I", "1"), ("I", "2"), ("II", None), ("II", "2"), ("III", "1")]
    assert sequence_row_numbers(rows) == [("1", False), ("2", False), ("1", True), ("2", False), ("1", False)]


def test_a_row_that_cannot_take_a_free_number_gets_none():
    # 3, -, 4: the unnumbered row only continues row 3; no number may collide with the next one.
    assert sequence_row_numbers([("I", "3"), ("I", None), ("I", "4")]) == [("3", False), (None, None), ("4", False)]
    # a printed number that is no integer ("1.2") leaves no sequence to follow
    assert sequence_row_numbers([(None, "1.2"), (None, None)]) == [("1.2", False), (None, None)]
    assert sequence_row_numbers([(None, None), (None, "2")]) == [("1", True), ("2", False)]
    assert sequence_row_numbers([]) == []
