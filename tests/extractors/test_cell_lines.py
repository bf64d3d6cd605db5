"""Plain ``pdftotext`` dumps of Word PDFs print a table cell after cell (the sample plans are such
dumps): generated variants of the sample plan's table (tests/cell_lines_render.py: shapes, header
wordings, merged cells printed at the top or in the middle of their span, cells sharing a
printed line, pages with and without a repeated header), each through the pipeline.

The figures are those of the stream decoder (extractors/appendix/cues.py, viterbi.py, stream.py,
merged.py) and what the row checks leave of its reading; the test guards them against
regressions and prints them.
"""

from __future__ import annotations

import statistics

import pytest
from cell_lines_render import render_cell_lines
from fixture_docs import plan_from_sample
from table_match import appendix_rows, generated_dumps, rows_recall_precision


SEEDS = range(40)
ROLES = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget")


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    dumps = generated_dumps(render_cell_lines, plan_from_sample(), SEEDS, tmp_path_factory.mktemp("cell_lines"))
    return {seed: (res, rows_recall_precision(appendix_rows(res), gold, [c for c in ROLES if c in gold[0]]))
            for seed, (res, gold) in dumps.items()}


def test_cell_per_line_dumps_of_varied_shapes(variants):
    recall = statistics.mean(r for _, (r, _) in variants.values())
    precision = statistics.mean(p for _, (_, p) in variants.values())
    print(f"cell-per-line dumps, {len(variants)} variants: rows recall {recall:.3f}, precision {precision:.3f}")
    # Measured: recall 0.934, precision 0.955 (seeds 60 more, not looked at while building:
    # 0.950 / 0.960).  What goes wrong: lead and support cells run together, a header's cells
    # read as one when printed on adjoining lines, rows of a merged cell's span mis-assigned.
    assert recall >= 0.9 and precision >= 0.92
    worst = min(p for _, (_, p) in variants.values())
    print(f"worst precision {worst:.3f}")
    assert worst >= 0.7
