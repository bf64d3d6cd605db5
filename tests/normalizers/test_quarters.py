"""Quarter numerals OCR bent (normalizers.quarters) and their repair in the text OCR read
(pipeline.reading): lines and cells of OCR'd pages, never printed text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalizers.quarters import bent_quarter_numerals
from pipeline.config import Config
from pipeline.model import Cell, Document, Line, Page, Table
from pipeline.reading import repair_document


@pytest.mark.parametrize("read, want", [
    ("Quý 11/2024", "Quý II/2024"),
    ("Quý I1/2024", "Quý II/2024"),
    ("Quý 1I/2024", "Quý II/2024"),
    ("Quý ll/2024", "Quý II/2024"),
    ("Quý Il/2024", "Quý II/2024"),
    ("Quý H/2024", "Quý II/2024"),
    ("Quý 111/2025", "Quý III/2025"),
    ("Quý 1V/2025", "Quý IV/2025"),
    ("quý lV hàng năm", "quý IV hàng năm"),
    ("QUÝ 11 NĂM 2025", "QUÝ II NĂM 2025"),
    ("Trước Quý 11 - 2025", "Trước Quý II - 2025"),
    # what reads right, and what is no quarter numeral, stays
    ("Quý II/2024", "Quý II/2024"),
    ("Quý IV", "Quý IV"),
    ("Quý 2/2025", "Quý 2/2025"),
    ("Quý 12/2025", "Quý 12/2025"),
    ("Quý Hai", "Quý Hai"),
    ("quyết định 11/2024", "quyết định 11/2024"),
    ("Báo cáo quý, năm", "Báo cáo quý, năm"),
])
def test_a_numeral_that_is_no_quarter_in_figures_is_put_back(read, want):
    assert bent_quarter_numerals([read]) == [want]


@pytest.mark.parametrize("others, want", [
    (["Quý II/2024", "Quý IV/2025"], "Quý I/2025"),  # the document writes its quarters in roman numerals
    (["Quý 11/2024"], "Quý I/2025"),  # a bent one tells so too
    (["Quý 2/2024", "Quý IV/2025"], "Quý 1/2025"),  # figures 2-4 too: a lone 1 stays
    (["Quý 3/2025"], "Quý 1/2025"),
    ([], "Quý 1/2025"),  # nothing tells: as read
])
def test_a_lone_one_is_roman_where_the_document_writes_quarters_so(others, want):
    assert bent_quarter_numerals(others + ["Quý 1/2025"])[-1] == want
    kept = want.endswith(" 1/2025")  # "l" for the stroke, with the document's other lines as evidence
    assert bent_quarter_numerals(["Quý l/2025"], others) == ["Quý l/2025" if kept else "Quý I/2025"]


@given(st.lists(st.text(alphabet="Quýy 1IlHV/-2045năm\n", max_size=30), max_size=5))
def test_lines_keep_their_number_and_only_numerals_after_quy_change(texts):
    got = bent_quarter_numerals(texts)
    assert len(got) == len(texts)
    for a, b in zip(texts, got):
        assert a.count("\n") == b.count("\n")
        assert ("Quý" in a) or ("quý" in a.lower()) or a == b


def _doc(method: str, state: str = "accented") -> Document:
    texts = ["Quý 11/2024", "Quý 1/2025", "Quý IV/2025"]
    lines = tuple(Line(k + 1, t, 1) for k, t in enumerate(texts))
    cells = tuple(Cell(k, 0, t, line_start=k + 1, line_end=k + 1) for k, t in enumerate(texts))
    return Document("x", "0", "pdf", (Page(1, method, lines, (Table(cells, page=1),)),), text_state=state)


@pytest.mark.parametrize("method, fixed", [("ocr", True), ("hybrid", True), ("text_layer", False)])
def test_the_text_ocr_read_is_repaired_in_lines_and_cells_alike(method, fixed):
    doc = repair_document(_doc(method), Config(workers=1), [])
    want = ["Quý II/2024", "Quý I/2025", "Quý IV/2025"] if fixed else ["Quý 11/2024", "Quý 1/2025", "Quý IV/2025"]
    assert [line.text for line in doc.lines] == want
    assert [c.text for c in doc.pages[0].tables[0].cells] == want


def test_a_dump_of_english_model_ocr_is_repaired_too():
    doc = Document("x.txt", "0", "text", (Page(1, "text", (
        Line(1, "Thời gian hoàn thành: Quý 11/2024", 1), Line(2, "Quý 1/2025 và Quý 111/2025", 1))),),
        text_state="ocr_mangled")
    from pipeline.reading import _ocr_quarters

    assert [line.text for line in _ocr_quarters(doc).lines] == [
        "Thời gian hoàn thành: Quý II/2024", "Quý I/2025 và Quý III/2025"]
