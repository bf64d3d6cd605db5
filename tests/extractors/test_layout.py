"""Tests for extractors.layout: cell rectangles to a grid."""

from __future__ import annotations

import pytest

from extractors.layout import cells_from_boxes


def _spans(cells):
    return sorted((c.row, c.col, c.row_span, c.col_span) for c in cells)


def test_cell_boxes_become_a_grid_with_spans():
    boxes = [(0, 0, 50, 20), (52, 0, 100, 20), (0, 22, 100, 40)]  # a title row spanning two columns
    assert _spans(cells_from_boxes(boxes, tol=2.5)) == [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 2)]


def test_the_two_sides_of_a_scanned_ruling_are_one_edge():
    # Edges read off a scanned page: the cells left of a ruling end at 60.5 or 61.0, those right
    # of it start at 62.9 or 63.4 points.
    boxes = [(37.0, 0, 60.5, 20), (62.9, 0, 100, 20), (37.4, 22, 61.0, 40), (63.4, 22, 100, 40)]
    assert _spans(cells_from_boxes(boxes, tol=2.5)) == [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1)]


def test_a_thick_ruling_does_not_become_an_empty_column():
    # A double border between the columns: 7 points between the two sides, no cell in between.
    boxes = [(0, 0, 49, 20), (56, 0, 100, 20), (0, 22, 49, 40), (56, 22, 100, 40)]
    cells = cells_from_boxes(boxes, tol=2.5)
    assert _spans(cells) == [(0, 0, 1, 1), (0, 1, 1, 1), (1, 0, 1, 1), (1, 1, 1, 1)]
    # The same in the other direction: a thick horizontal ruling adds no empty row.
    boxes = [(0, 0, 49, 20), (51, 0, 100, 20), (0, 27, 49, 40), (51, 27, 100, 40)]
    assert max(c.row + c.row_span for c in cells_from_boxes(boxes, tol=2.5)) == 2


@pytest.mark.parametrize("gap", [2.6, 3.0, 3.5, 3.9])
@pytest.mark.parametrize("axis", ["columns", "rows"])
def test_a_thick_ruling_under_a_merged_cell_does_not_become_a_column(gap, axis):
    """A ruling too thick for its sides to snap (a 150 dpi scan): under a cell spanning the
    columns (a group row) its width was a sliver column, and a table with the group row no
    longer had the columns of its next page.  Likewise a sliver row under a cell merged down."""
    x = 50 + gap
    boxes = [(0, 0, 20, 20), (20 + gap, 0, 100, 20),        # group row: TT | title over 2 columns
             (0, 22, 20, 40), (20 + gap, 22, 50, 40), (x, 22, 100, 40),
             (0, 42, 20, 60), (20 + gap, 42, 50, 60), (x, 42, 100, 60)]
    if axis == "rows":
        boxes = [(t, l, b, r) for l, t, r, b in boxes]  # transposed: a cell merged down its rows
    cells = cells_from_boxes(boxes, tol=2.5)
    spans = _spans(cells)
    if axis == "rows":
        spans = sorted((c, r, cs, rs) for r, c, rs, cs in spans)
    assert spans == [(0, 0, 1, 1), (0, 1, 1, 2), (1, 0, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1),
                     (2, 0, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)], spans


@pytest.mark.parametrize("width", [3.0, 4.5])
def test_a_narrow_column_of_its_own_cells_is_kept(width):
    # a column a cell covers alone is one however narrow (a check-mark column)
    boxes = [(0, 0, 40, 20), (40, 0, 40 + width, 20), (40 + width, 0, 100, 20),
             (0, 20, 100, 40)]  # a row spanning all three
    assert _spans(cells_from_boxes(boxes, tol=0.5)) == [(0, 0, 1, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 0, 1, 3)]
