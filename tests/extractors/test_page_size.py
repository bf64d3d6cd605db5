"""Tests for extractors.page_size: the printed size of pages whose files say it wrong."""

from __future__ import annotations

import pytest

from extractors.page_size import image_dpi, page_scale


@pytest.mark.parametrize("size, tag, want", [
    ((1654, 2339), (200, 200), 200),  # an A4 scan at 200 dpi, tagged right
    ((1654, 2339), (72, 72), 200),  # the same pixels with a default tag: a sheet 23 inches wide
    ((2339, 1654), (96, 96), 200),  # landscape, a screen's default tag
    ((1654, 2339), None, 200),  # no tag
    ((1654, 2339), (0, 0), 200),  # a tag of nothing
    ((2480, 3508), (300, 300), 300),
    ((2339, 3307), (200, 200), 200),  # A3: its tag holds
    ((612, 792), (72, 72), 72),  # a letter page at 72 dpi: its tag holds
    ((1654, 9000), (200, 200), 200),  # a long table exported as one tall page: its tag holds
    ((3000, 4000), (72, 72), 3000 / 8.27),  # a phone's photo
    ((800, 600), None, 100),  # a crop without tag: no page of less than 100 dpi
])
def test_an_image_files_resolution_is_its_tag_only_where_that_makes_a_page(size, tag, want):
    assert image_dpi(size, tag) == pytest.approx(want, rel=0.01)


@pytest.mark.parametrize("width, height, want", [
    (595, 842, 1.0), (842, 595, 1.0),  # A4
    (842, 1191, 1.0), (420, 595, 1.0),  # A3, A5
    (612, 2880, 1.0),  # one tall page of a long table
    (1654, 2339, 1654 / 595.4),  # a 200 dpi scan put into a PDF at 72 dpi
    (2339, 1654, 1654 / 595.4),
    (198, 281, 198 / 595.4),  # a 300 dpi scan put in at 900 dpi
    (0, 0, 1.0),  # no size known
])
def test_a_pdf_page_of_no_papers_size_is_taken_for_an_a4_sheet(width, height, want):
    assert page_scale(width, height) == pytest.approx(want, rel=0.01)
