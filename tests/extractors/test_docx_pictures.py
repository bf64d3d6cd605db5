"""Pictures in Word documents that hold the plan's text (extractors.docx_pictures): scanned pages
pasted into Word, and an appendix table pasted as a picture under typed paragraphs.  Read as
markup only, the table's rows were lost; OCR'd, they are the scan's rows.  Small pictures (a
logo, a seal, a signature) and photographs are not read as text."""

from __future__ import annotations

import shutil

import pytest

from fixture_docs import (
    build_pdf, cell_agreement, char_error_rate, extract_file, install_ocr_cache, pictures_docx, plan_from_sample,
)
from pipeline.config import Config


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictures")
    plan = plan_from_sample()
    return plan, build_pdf(plan, folder / "plan.pdf"), folder


def _rendered(pdf, dpi: int, crop_tables: bool = False):
    """The PDF's pages as grey images at ``dpi`` (cropped to their ruled tables), with their
    printed sizes in inches."""
    import pdfplumber
    from pdf2image import convert_from_path

    out = []
    with pdfplumber.open(pdf) as doc:
        for page, img in zip(doc.pages, convert_from_path(str(pdf), dpi=dpi, grayscale=True)):
            if crop_tables:
                tables = page.find_tables()
                if not tables:
                    continue
                x0, top, x1, bottom = tables[0].bbox
                k = dpi / 72
                img = img.crop((int(x0 * k) - 8, int(top * k) - 8, int(x1 * k) + 8, int(bottom * k) + 8))
            out.append((img, img.width / dpi, img.height / dpi))
    return out


def _scan_rows(pdf, folder, monkeypatch):
    from extractors.appendix.grid import appendix_from_tables
    from fixture_docs import rasterize_pdf

    install_ocr_cache(monkeypatch)
    (table,) = appendix_from_tables(extract_file(rasterize_pdf(pdf, folder / "scan.pdf")))
    return table.rows


def test_a_word_file_of_scanned_pages_reads_like_the_scan(plan_pdf, monkeypatch):
    from extractors.appendix.grid import appendix_from_tables

    plan, pdf, folder = plan_pdf
    path = pictures_docx(folder / "scanned-pages.docx", [], _rendered(pdf, 200))
    install_ocr_cache(monkeypatch)
    doc = extract_file(path)
    assert [p.method for p in doc.pages] == ["hybrid"] * len(doc.pages), [p.reason for p in doc.pages]
    assert all("OCR of a picture (11.7 × 8.3 in" in p.reason for p in doc.pages)
    assert all(p.quality is not None and p.quality > 0.8 for p in doc.pages)
    assert all(line.bbox is None for line in doc.lines) and not doc.errors
    (table,) = appendix_from_tables(doc)
    assert len(table.rows) == len(plan.rows)
    assert cell_agreement(table.rows, plan.rows) >= 0.85
    assert char_error_rate(table.rows, plan.rows) < 0.02


@pytest.mark.parametrize("dpi", [150, 300])
def test_a_table_pasted_as_a_picture_under_typed_paragraphs(plan_pdf, dpi, monkeypatch):
    """The body typed, the appendix table pasted as pictures of its pages (at the picture's own
    resolution, whatever its printed size): the rows of the scan of the same pages."""
    from extractors.appendix.grid import appendix_from_tables

    plan, pdf, folder = plan_pdf
    pictures = _rendered(pdf, dpi, crop_tables=True)
    path = pictures_docx(folder / f"pasted-{dpi}.docx", [*plan.body, "", plan.appendix_title], pictures)
    install_ocr_cache(monkeypatch)
    doc = extract_file(path)
    texts = doc.texts()
    assert texts[:len(plan.body)] == list(plan.body)  # the typed paragraphs as typed
    assert sum(p.reason.count("OCR of a picture") for p in doc.pages if p.method == "hybrid") == len(pictures)
    (table,) = appendix_from_tables(doc)
    assert len(table.rows) == len(plan.rows)
    assert cell_agreement(table.rows, plan.rows) >= 0.85
    assert char_error_rate(table.rows, plan.rows) < 0.02


def test_logos_seals_signatures_and_photographs_are_not_read_as_text(plan_pdf, monkeypatch, tmp_path):
    import numpy as np
    from PIL import Image, ImageDraw

    plan, _, _ = plan_pdf
    seal = Image.new("RGB", (400, 400), "white")
    ImageDraw.Draw(seal).ellipse((20, 20, 380, 380), outline="red", width=12)
    photo = Image.fromarray(np.random.default_rng(2).integers(0, 255, (900, 1200, 3), dtype=np.uint8), mode="RGB")
    pictures = [(seal, 1.5, None), (seal, 3.0, 1.2), (photo, 6.0, 4.5)]
    path = pictures_docx(tmp_path / "pictures.docx", list(plan.body), pictures, landscape=False)
    calls = []
    import extractors.docx_pictures as dp

    real = dp.read_picture
    monkeypatch.setattr(dp, "read_picture", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    monkeypatch.setattr("extractors.docx.read_picture", dp.read_picture)
    doc = extract_file(path)
    assert [(round(p.width_in, 1), round(p.height_in, 1)) for p in calls] == [(6.0, 4.5)]  # only the photo is tried
    assert doc.texts()[:len(plan.body)] == list(plan.body) and not doc.errors
    assert [p.method for p in doc.pages] == ["docx"] * len(doc.pages)
    assert "a picture (6.0 × 4.5 in) without Vietnamese text left out" in doc.pages[-1].reason


def test_without_tesseract_the_typed_text_is_read_and_the_pictures_named(plan_pdf, monkeypatch):
    import extractors.ocr_engine as ocr_engine
    import extractors.pdf_ocr as ocr
    from pipeline.run import process_document

    plan, pdf, folder = plan_pdf
    pictures = _rendered(pdf, 150, crop_tables=True)
    path = pictures_docx(folder / "pasted-no-ocr.docx", [*plan.body, "", plan.appendix_title], pictures)
    monkeypatch.setattr(ocr_engine.shutil, "which", lambda name: None if name == "tesseract" else shutil.which(name))
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None if name == "tesseract" else shutil.which(name))
    ocr_engine._languages.cache_clear()
    try:
        res = process_document(path, Config(workers=1, ocr_engine="cli"))
    finally:
        ocr_engine._languages.cache_clear()
    assert res.status == "partial"
    msgs = [e.message for e in res.errors]
    assert sum("a picture (" in m and "was not read" in m and "tesseract" in m for m in msgs) == len(pictures), msgs
    assert res.tables["documents"][0]["page_methods"] == ["docx"] * len(res.tables["documents"][0]["page_methods"])
