"""Tests for extractors.scan_clean, extractors.text_direction and extractors.number_cells: the
preparation of a scanned page before OCR (inks, paper, direction of the text) and the cells of
a TT column, on synthetic images (no OCR)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import number_cells, scan_clean, text_direction
from fixture_docs import FONT_CANDIDATES
from office_scan import grey_scan, signature, stamp, text_page, thin_scan

DPI = 200


def _inked(page: np.ndarray) -> np.ndarray:
    """``page`` (float RGB 0-1) with a red stamp and a blue signature over it (the same ones
    every call)."""
    rng = random.Random(2)
    stamp(page, 500, 400, 190, rng)
    signature(page, 300, 700, 600, rng)
    return page


def test_red_stamp_and_blue_signature_go_black_text_stays():
    gray = text_page()
    page = _inked(np.repeat(gray[..., None].astype(np.float32) / 255.0, 3, axis=2))
    alone = (_inked(np.ones(page.shape, np.float32)) * 255).astype(np.int16)  # the inks on white paper
    ink = (alone.max(axis=2) - alone.min(axis=2)) > 80
    rgb = Image.fromarray((page * 255).astype(np.uint8), mode="RGB")
    out, cleaned = scan_clean.page_gray(rgb, DPI)
    assert cleaned
    text, paper = gray < 80, gray > 250
    assert ink.sum() > 5000 and (ink & text).sum() > 300
    # Coloured ink over paper becomes paper; black text, under the ink or not, stays black.
    assert np.median(out[ink & paper]) >= 240
    assert (out[ink & paper] < 128).mean() < 0.01
    assert np.median(out[text & ~ink]) <= 60
    assert (out[text & ink] < 128).mean() > 0.9


def test_a_clean_grey_page_is_left_as_it_is():
    gray = text_page()
    out, cleaned = scan_clean.page_gray(Image.fromarray(gray), DPI)
    assert not cleaned and np.array_equal(out, gray)


def test_uneven_light_and_show_through_become_white_paper():
    gray = text_page().astype(np.float32) / 255.0
    ghost = text_page(lines=16)[::-1, ::-1].astype(np.float32) / 255.0  # the next page, mirrored
    h, w = gray.shape
    light = np.linspace(0.95, 0.7, w)[None, :] * np.ones((h, 1))  # darker towards the right
    scanned = gray * (1.0 - 0.12 * (1.0 - ghost)) * light
    out, cleaned = scan_clean.page_gray(Image.fromarray((scanned * 255).astype(np.uint8)), DPI)
    assert cleaned
    text, shown_through = gray < 0.3, (ghost < 0.3) & (gray > 0.99)
    dim = np.zeros_like(text)
    dim[:, w // 2:] = True
    assert np.median(out[text & dim]) <= 70  # text stays dark on the dim side too
    assert (out[shown_through] >= 240).mean() > 0.98  # the other page's text is gone
    paper = (gray > 0.99) & (ghost > 0.99)
    assert np.percentile(out[paper], 5) >= 245  # white under the grey gradient


@pytest.mark.parametrize("bilevel", [False, True], ids=["grey", "bilevel"])
@pytest.mark.parametrize("seed", range(6))
def test_seals_and_signatures_on_grey_and_bilevel_scans_become_paper(seed, bilevel):
    """Without colour a seal and a signature are as dark as faint text (grey scan) or as black
    as the text (bilevel): they go by their shape, the text stays."""
    import cv2

    scan, text, ink = grey_scan(seed, bilevel)[:3]
    out = scan_clean.drop_marks(scan, DPI)
    near_text = cv2.dilate(text.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    near_ink = cv2.dilate(ink.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    far = text & (cv2.dilate(ink.astype(np.uint8), np.ones((61, 61), np.uint8)) == 0)
    marks_alone = ink & ~near_text & (scan < 128)
    assert marks_alone.sum() > 3000
    # the rings and the pen stroke over paper are gone (bilevel: the seal's lettering, short
    # strokes as dark as letters, may stay)
    assert (out[marks_alone] == 255).mean() >= (0.75 if bilevel else 0.95)
    # the text away from the marks is untouched; on a grey scan the text under and beside
    # them too, on a bilevel one the letters a ring crosses
    assert (out[far] == scan[far]).mean() > 0.999
    if bilevel:
        assert (out[text & ~near_ink] == scan[text & ~near_ink]).mean() > 0.95
    else:
        assert (out[text & ~near_ink] < 128).mean() > 0.99
        assert (out[text & ink] < 128).mean() > 0.9


def test_pages_without_marks_are_left_as_they_are():
    """Text, a large bold heading and a ruled table wider than any seal are no marks."""
    import cv2

    img = Image.fromarray(text_page(1650, 1600, 14))
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(next(r for r, _ in FONT_CANDIDATES if Path(r).exists()), 90)
    draw.text((200, 1000), "KẾ HOẠCH CẢI CÁCH", fill=0, font=font, stroke_width=3)
    page = np.asarray(img).copy()
    for y in range(1150, 1560, 80):
        cv2.line(page, (60, y), (1600, y), 0, 3)
    for x in (60, 200, 900, 1300, 1600):
        cv2.line(page, (x, 1150), (x, 1550), 0, 3)
    assert scan_clean.drop_marks(page, DPI) is page


def test_text_running_down_the_page_is_told_from_text_running_across():
    gray = text_page()
    assert not text_direction.runs_vertically(gray, DPI)
    assert text_direction.runs_vertically(np.ascontiguousarray(np.rot90(gray)), DPI)
    assert text_direction.runs_vertically(np.ascontiguousarray(np.rot90(gray, 3)), DPI)
    assert not text_direction.runs_vertically(np.ascontiguousarray(np.rot90(gray, 2)), DPI)
    blank = np.full((1000, 800), 255, np.uint8)
    assert not text_direction.runs_vertically(blank, DPI)


@pytest.mark.parametrize("text, reread", [
    ("12", False), ("IV", False), ("3.", False), ("TT", False), ("STT", False), ("Số TT", False),
    ("", True), ("l", True), ("|", True), ("1l", True), ("2 .", False), ("—", True),
])
def test_which_number_cells_are_read_again(text, reread):
    assert number_cells.needs_reread(text) is reread


def test_a_number_out_of_sequence_is_read_again():
    assert number_cells.out_of_sequence(["STT", "20", "21", "2", "23", "24"]) == [3]
    assert number_cells.out_of_sequence(["1", "2", "3", "", "5"]) == []
    assert number_cells.out_of_sequence(["I", "1", "2", "II", "1"]) == []


def test_the_tt_column_is_the_narrow_first_column():
    scale = 72.0 / DPI
    tt = [(100, y, 180, y + 60) for y in range(100, 500, 60)]
    task = [(180, y, 900, y + 60) for y in range(100, 500, 60)]
    group = [(100, 500, 1400, 560)]  # a group title across the table
    tables = [((100, 100, 1400, 560), tt + task + group)]
    assert number_cells.number_cells(tables, scale) == tt
    wide = [((100, 100, 1400, 560), task)]  # first column "Nhiệm vụ": no TT column
    assert number_cells.number_cells(wide, scale) == []


@pytest.mark.parametrize("dpi", [200, 300])
def test_thin_strokes_of_a_bilevel_scan_are_told(dpi):
    # A bilevel scan thresholded dark keeps the strokes' cores (under 0.85 pt wide); a grey page
    # and a bilevel page thresholded as copiers usually do (strokes 0.85 pt and more) do not.
    for seed in range(8):
        thin = thin_scan(seed, dpi)
        assert scan_clean.bilevel(thin) and scan_clean.thin_strokes(thin, dpi)
        out = scan_clean.thickened(thin)
        assert (out <= thin).all() and (out < 128).sum() > 1.2 * (thin < 128).sum()
    gray = text_page(1650, 1100, 14)
    assert not scan_clean.bilevel(gray) and not scan_clean.thin_strokes(gray, DPI)
    import cv2

    usual = np.where(cv2.GaussianBlur(gray.astype(np.float32), (0, 0), 0.8) < 140, 0, 255).astype(np.uint8)
    assert scan_clean.bilevel(usual) and scan_clean.stroke_width_pt(usual, DPI) >= scan_clean.THIN_STROKE_PT
    assert not scan_clean.thin_strokes(usual, DPI)


def test_stroke_width_leaves_the_rulings_out():
    # a ruled table's 1-2 px rulings would read as thin strokes: they are left out of the width
    gray = text_page(1650, 1100, 14).copy()
    bare = scan_clean.stroke_width_pt(gray, DPI)
    for y in range(40, 1100, 62):
        gray[y:y + 2, 20:1630] = 0
    for x in (30, 600, 1200, 1620):
        gray[20:1080, x:x + 1] = 0
    assert abs(scan_clean.stroke_width_pt(gray, DPI) - bare) < 0.05 * bare
