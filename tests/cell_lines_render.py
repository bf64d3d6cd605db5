"""Render a plan's appendix table as a plain ``pdftotext`` dump of a Word PDF prints it (the
sample plans 000-003 are such dumps): cell after cell, each cell's wrapped lines on lines of
their own, a blank line between cells, the row number first.

The shape is drawn from a seed: which columns the table has, their widths in characters, the
header wording, whether a merged Mục tiêu / Nhiệm vụ cell is printed at the top of its span or
in the row where Word's vertical centring puts its first line, how often the last line of a cell and
the first of the next share one printed line ("liên quan Hàng năm"), trailing spaces, pages
(form feeds) with the header repeated or not.  The gold rows are the plan's rows restricted to
the drawn columns, merged cells applied to every row they span, as kehoach writes them.
"""

from __future__ import annotations

import random
import textwrap

from fixture_docs import MERGED, Plan, merged_spans
from layout_render import SHAPES, WORDINGS


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or []


def render_cell_lines(plan: Plan, seed: int) -> tuple[str, list[dict[str, str]]]:
    """``(dump text, gold rows)``: the plan's table in a shape drawn from ``seed``."""
    rnd = random.Random(seed)
    cols = list(rnd.choice(SHAPES))
    widths = {c: (3 if c == "row_no" else rnd.randint(10, 16) if c in ("deadline", "budget")
                  else rnd.randint(18, 40)) for c in cols}
    heads = {c: rnd.choice(WORDINGS[c]) for c in cols}
    middle = rnd.random() < 0.5  # merged cells printed in the middle of their span
    shared = rnd.choice((0.0, 0.05, 0.15))  # share of cell boundaries without a line break
    trailing = rnd.random() < 0.5
    repeat_header = rnd.random() < 0.5
    rows_per_page = rnd.randint(4, 9)
    finer = {"objective": "task", "task": "activity"}
    merged = [c for c in MERGED if c in cols and finer[c] in cols]
    spans = {c: merged_spans(plan, c) for c in merged}
    # the row of each merged span that prints its text: the first, or the one where the text's
    # first line falls when Word centres it in the span (rows as tall as their own cells)
    heights = [max([len(_wrap(r.cells.get(c, ""), widths[c])) for c in cols if c not in merged] or [1]) + 0.8
               for r in plan.rows]
    printer: dict[str, dict[int, int]] = {c: {} for c in merged}
    for c in merged:
        for i, n in enumerate(spans[c]):
            if not n:
                continue
            at = i
            if middle:
                top = (sum(heights[i:i + n]) - len(_wrap(plan.rows[i].cells.get(c, ""), widths[c]))) / 2
                while at < i + n - 1 and top >= heights[at]:
                    top -= heights[at]
                    at += 1
            printer[c][at] = i

    def lines_of(cells: list[list[str]]) -> list[str]:
        out: list[str] = []
        for k, cell in enumerate(c for c in cells if c):
            if k and out and rnd.random() < shared:
                out[-1] = f"{out[-1]} {cell[0]}"
                cell = cell[1:]
            elif k:
                out.append("")
            out.extend(cell)
        return [f"{t} " if trailing else t for t in out]

    header = lines_of([_wrap(heads[c], widths[c]) for c in cols])
    out = list(plan.body) + ["", plan.appendix_title, ""] + header
    gold: list[dict[str, str]] = []
    group = None
    for i, r in enumerate(plan.rows):
        if i and i % rows_per_page == 0:
            out.append("\f" + (header[0] if repeat_header else ""))
            if repeat_header:
                out.extend(header[1:])
        if r.group_no != group and r.group_no:
            group = r.group_no
            out += ["", f"{r.group_no} {r.group_title or ''}", ""]
        cells = []
        for c in cols:
            if c in merged:
                text = plan.rows[printer[c][i]].cells.get(c, "") if i in printer[c] else ""
            else:
                text = r.cells.get(c, "")
            cells.append(_wrap(text, widths[c]))
        out += [""] + lines_of(cells)
        gold.append({c: " ".join(r.cells.get(c, "").split()) for c in cols})
    out += ["", "Kế hoạch này thay thế các văn bản trước đây."]
    return "\n".join(out) + "\n", gold
