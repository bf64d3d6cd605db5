"""Tests for extractors.pdf_ocr: a "scanned" PDF (rasterized, rotated ~1°, noisy) and images,
through the real tesseract (results cached by image hash, see tests/fixture_docs.py)."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from pdf2image import convert_from_path

import extractors.pdf_ocr as ocr
from extractors.grid import appendix_from_tables
from fixture_docs import (
    build_pdf, cell_agreement, char_error_rate, extract_file, install_ocr_cache, plan_from_sample, rasterize_pdf,
)
from pipeline.config import Config
from pipeline.errors import MissingDependencyError


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ocr")
    plan = plan_from_sample()
    pdf = build_pdf(plan, folder / "plan.pdf")
    scan = rasterize_pdf(pdf, folder / "scan.pdf", dpi=200, angle=1.0)
    return {"plan": plan, "pdf": pdf, "scan": scan, "folder": folder}


@pytest.fixture(scope="module")
def scan_doc(files):
    with pytest.MonkeyPatch.context() as mp:
        install_ocr_cache(mp)
        return extract_file(files["scan"])


def test_scanned_pages_are_ocred_with_boxes_and_confidence(scan_doc):
    assert scan_doc.pages and all(p.method == "ocr" for p in scan_doc.pages)
    assert all(0.8 < p.quality <= 1.0 for p in scan_doc.pages)
    assert scan_doc.texts()[:3] == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LẬP", "Số: 83/KH-UBND"]
    for ln in scan_doc.lines:
        assert ln.bbox is not None and 0.0 <= ln.confidence <= 1.0
    assert [ln.number for ln in scan_doc.lines] == list(range(1, len(scan_doc.lines) + 1))
    assert all(p.tables for p in scan_doc.pages)


def test_scanned_appendix_agrees_with_the_plan(scan_doc, files):
    (table,) = appendix_from_tables(scan_doc)
    assert len(table.rows) == len(files["plan"].rows)
    agreement = cell_agreement(table.rows, files["plan"].rows)
    cer = char_error_rate(table.rows, files["plan"].rows)
    assert agreement >= 0.90, agreement
    assert cer < 0.02, cer


def test_skew_is_measured(files):
    (page,) = convert_from_path(str(files["scan"]), dpi=100, first_page=1, last_page=1, grayscale=True)
    angle = ocr.detect_skew(np.asarray(page))
    assert abs(abs(angle) - 1.0) < 0.3, angle
    (clean,) = convert_from_path(str(files["pdf"]), dpi=100, first_page=1, last_page=1, grayscale=True)
    assert abs(ocr.detect_skew(np.asarray(clean))) < 0.1


def test_multipage_tiff_and_png_go_through_the_same_path(files, monkeypatch):
    install_ocr_cache(monkeypatch)
    frames = convert_from_path(str(files["scan"]), dpi=200, first_page=1, last_page=2, grayscale=True)
    tiff = files["folder"] / "scan.tif"
    frames[0].save(str(tiff), save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_lzw")
    doc = extract_file(tiff)
    assert doc.source_format == "image" and [p.method for p in doc.pages] == ["ocr", "ocr"]
    assert doc.texts()[1] == "XÃ VĨNH LẬP"
    # 200 dpi pixels -> points: the page is landscape A4 (842 x 595 pt).
    assert doc.pages[0].width == pytest.approx(842, abs=3) and doc.pages[0].height == pytest.approx(595, abs=3)
    png = files["folder"] / "page1.png"
    frames[0].save(str(png), dpi=(200, 200))
    assert extract_file(png).texts() == [ln.text for ln in doc.pages[0].lines]


def test_tesseract_runs_single_threaded(monkeypatch):
    seen = {}
    real = subprocess.run

    def spy(cmd, **kw):
        seen["env"] = kw.get("env")
        return real(cmd, **kw)

    monkeypatch.setattr(ocr.subprocess, "run", spy)
    from PIL import Image

    ocr.run_tesseract_osd(Image.new("L", (50, 50), 255))
    assert seen["env"]["OMP_THREAD_LIMIT"] == "1"


def test_missing_tesseract_says_how_to_install(monkeypatch, files):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr._tesseract_langs.cache_clear()
    try:
        with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr"):
            ocr.ocr_pdf_page(files["scan"], b"", 1, Config(workers=1), first_line=1)
        with pytest.raises(MissingDependencyError, match="tesseract-ocr-vie"):
            ocr.check_tesseract("vie")
    finally:
        ocr._tesseract_langs.cache_clear()


def test_missing_language_pack_is_named(monkeypatch):
    monkeypatch.setattr(ocr, "_tesseract_langs", lambda: frozenset({"eng", "osd"}))
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-vie"):
        ocr.check_tesseract("vie")


def test_orientation_is_only_asked_for_doubtful_pages(files, monkeypatch):
    """An upright page is read in one tesseract pass (no OSD); the same page upside down reads
    badly, so OSD is asked, the page turned and read again."""
    install_ocr_cache(monkeypatch)
    calls = {"osd": 0, "data": 0}
    osd, data = ocr.run_tesseract_osd, ocr.run_tesseract_data

    def count(name, fn):
        def wrapper(*args):
            calls[name] += 1
            return fn(*args)
        return wrapper

    monkeypatch.setattr(ocr, "run_tesseract_osd", count("osd", osd))
    monkeypatch.setattr(ocr, "run_tesseract_data", count("data", data))
    (frame,) = convert_from_path(str(files["scan"]), dpi=200, first_page=1, last_page=1, grayscale=True)
    upright = ocr.ocr_image(frame, Config(workers=1), number=1, first_line=1, dpi=200)
    assert calls["osd"] == 0 and upright.quality >= ocr.OSD_SKIP_QUALITY
    assert [ln.text for ln in upright.lines][:2] == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LẬP"]
    calls.update(osd=0, data=0)
    turned = ocr.ocr_image(frame.rotate(180), Config(workers=1), number=1, first_line=1, dpi=200)
    assert calls["osd"] == 1
    assert [ln.text for ln in turned.lines] == [ln.text for ln in upright.lines]
    assert turned.quality == upright.quality


def test_skew_of_a_page_without_lines_is_zero():
    assert ocr.detect_skew(np.full((1100, 850), 255, dtype=np.uint8)) == 0.0
