"""Tests for extractors.docx: Word files generated with python-docx (tests/fixture_docs.py)."""

from __future__ import annotations

import shutil

import docx as python_docx
import pytest

from extractors import docx as docx_extractor
from extractors.registry import get_extractor
from fixture_docs import HEADERS, build_docx, extract_file, merged_spans, plan_from_sample
from pipeline.config import Config
from pipeline.errors import InputFileError, MissingDependencyError


@pytest.fixture(scope="module")
def plan():
    return plan_from_sample()


@pytest.fixture(scope="module")
def doc(plan, tmp_path_factory):
    path = build_docx(plan, tmp_path_factory.mktemp("docx") / "plan.docx")
    return extract_file(path)


def test_body_paragraphs_come_first_in_order(doc, plan):
    assert doc.source_format == "docx"
    assert all(p.method == "docx" for p in doc.pages)
    texts = doc.texts()
    assert texts[: len(plan.body)] == list(plan.body)
    assert [ln.number for ln in doc.lines] == list(range(1, len(doc.lines) + 1))
    # The paragraph after the table comes after every cell line.
    assert texts[-1] == "Kế hoạch này thay thế các văn bản trước đây."


def test_table_cells_have_spans_and_line_provenance(doc, plan):
    (table,) = [t for p in doc.pages for t in p.tables]
    assert table.header_rows == 1
    header = sorted((c for c in table.cells if c.row == 0), key=lambda c: c.col)
    assert [c.text for c in header] == list(HEADERS)
    group = [c for c in table.cells if c.row == 1]
    assert [(c.col, c.col_span, c.text) for c in group] == [(0, 1, "I"), (1, 8, "Cải cách thể chế")]
    objective = [c for c in table.cells if c.col == 1 and c.row >= 2 and c.text]
    spans = [n for n in merged_spans(plan, "objective") if n]
    assert [c.row_span for c in objective[: len(spans)]][:2] == spans[:2]
    assert objective[0].row_span == 6
    lines = {ln.number: ln.text for ln in doc.lines}
    for cell in table.cells:
        if cell.text:
            assert cell.line_start is not None
            assert "\n".join(lines[n] for n in range(cell.line_start, cell.line_end + 1)) == cell.text
        else:
            assert cell.line_start is None


def test_page_breaks_count_pages(tmp_path):
    d = python_docx.Document()
    d.add_paragraph("Trang một")
    d.add_page_break()
    d.add_paragraph("Trang hai")
    d.save(str(tmp_path / "p.docx"))
    doc = extract_file(tmp_path / "p.docx")
    assert [(ln.page, ln.text) for ln in doc.lines if ln.text] == [(1, "Trang một"), (2, "Trang hai")]


def test_soft_line_breaks_make_lines(tmp_path):
    d = python_docx.Document()
    p = d.add_paragraph("ỦY BAN NHÂN DÂN")
    p.add_run().add_break()
    p.add_run("XÃ VĨNH LẬP")
    d.save(str(tmp_path / "b.docx"))
    assert extract_file(tmp_path / "b.docx").texts() == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LẬP"]


def test_damaged_docx_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputFileError):
        extract_file(bad)


def test_doc_without_libreoffice_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    fn = get_extractor("doc", str(path))
    assert fn is docx_extractor.extract_doc
    with pytest.raises(MissingDependencyError, match="install libreoffice"):
        fn(path, Config(workers=1), data=path.read_bytes(), sha256="0")
