"""Layout dumps of tables whose cells are centred vertically, generated line by line as
``pdftotext -layout`` prints them: a cell of n lines in a row of H lines stands H - n half-lines
below the row's top, so that cells of odd and even heights interleave their lines.  Random rows
of the plans' own wordings: multi-line tasks, products of one or two items, bodies' names
wrapped in narrow columns ("Chủ tịch" / "UBND xã", "Công chức" / "Văn hóa – Xã" / "hội"),
deadlines over one or two lines; with and without a TT column."""

from __future__ import annotations

import itertools
import random
import textwrap

import pytest

from layout_render import layout_line
from pipeline.config import Config
from pipeline.run import process_document
from plan_shapes import ACTIVITIES, DEADLINES, OWNERS, PRODUCTS, QUALIFIERS, TASKS
from table_match import appendix_rows, match_rows

HEADERS = {"row_no": "TT", "task": "Tên nhiệm vụ", "activity": "Hoạt động", "product": "Sản phẩm", "lead": "Chủ trì", "deadline": "Tiến độ"}
GAP = 3
PREAMBLE = ["ỦY BAN NHÂN DÂN XÃ VĨNH LẬP", "", "Số: 12/KH-UBND", "", "KẾ HOẠCH", "",
            "Cải cách hành chính năm 2025", "",
            "Ủy ban nhân dân xã Vĩnh Lập xây dựng Kế hoạch cải cách hành chính năm 2025 như sau:",
            "(Chi tiết tại Phụ lục kèm theo)", ""]


def _cell_lines(role: str, text: str, width: int) -> list[str]:
    if role == "product":  # one item a line, each wrapped
        return [line for item in text.split("\n") for line in textwrap.wrap(item, width)]
    return textwrap.wrap(text, width, break_long_words=False)


def centred_dump(seed: int, numbered: bool, activity: bool = False, page_break: bool = False,
                 merged: bool = False) -> tuple[str, list[dict[str, str]]]:
    """(the dump's text, the rows as printed: role -> cell text).  ``activity``: a Hoạt động
    column after the tasks; ``merged``: the tasks merged over runs of one to three rows,
    each printed once, centred over its rows (else each row has its own task);
    ``page_break``: the table goes on over a page break that cuts a row's three-line task after
    its second line, the header repeated on the next page."""
    assert not (merged and page_break), "a merged cell over a page break is not drawn"
    rng = random.Random(seed)
    roles = (("row_no",) if numbered else ()) + ("task",) + (("activity",) if activity else ()) + (
        "product", "lead", "deadline")
    widths = {"row_no": 3, "task": rng.randint(34, 50), "activity": rng.randint(24, 34),
              "product": rng.randint(18, 24), "lead": rng.randint(10, 14), "deadline": 11}
    rows = []
    n_rows = rng.randint(8, 12)
    cut_row = rng.randint(2, n_rows - 3) if page_break else None
    spans: list[list[int]] = []  # runs of rows sharing one task cell
    for n in range(n_rows):
        if merged and spans and len(spans[-1]) < spans[-1][0] % 3 + 1 + (n_rows % 2):
            spans[-1].append(n)
            task = rows[spans[-1][0]]["task"]
        else:
            spans.append([n])
            task = rng.choice(TASKS)
            if n == cut_row:  # long enough for three lines
                while len(textwrap.wrap(task, widths["task"])) < 3:
                    task += " " + rng.choice(QUALIFIERS)
            elif rng.random() < 0.4:
                task += " " + rng.choice(QUALIFIERS)
        products = rng.sample(PRODUCTS, rng.choice((1, 1, 2)))
        rows.append({"row_no": str(n + 1), "task": task, "activity": rng.choice(ACTIVITIES),
                     "product": "\n".join(products), "lead": rng.choice(OWNERS), "deadline": rng.choice(DEADLINES)})
    x, at = 0, {}
    for role in roles:
        at[role] = x
        x += widths[role] + GAP
    printed: dict[int, dict[str, str]] = {}  # half-line -> role -> text
    top = 0
    cut_at = None
    for span in spans:
        own = ("task",) if len(span) == 1 else ()  # a task cell of one row is the row's own
        cells = [{r: ([rows[n][r]] if r == "row_no" else _cell_lines(r, rows[n][r], widths[r]))
                  for r in roles if r != "task" or own} for n in span]
        heights = [max(len(c) for c in row_cells.values()) for row_cells in cells]
        task_lines = _cell_lines("task", rows[span[0]]["task"], widths["task"])
        heights[-1] += max(0, len(task_lines) - sum(heights))
        if not own:  # centred over the rows it spans
            for j, line in enumerate(task_lines):
                printed.setdefault(top + sum(heights) - len(task_lines) + 2 * j, {})["task"] = line
        for n, row_cells, height in zip(span, cells, heights):
            for role, lines in row_cells.items():
                for j, line in enumerate(lines):
                    printed.setdefault(top + height - len(lines) + 2 * j, {})[role] = line
            if n == cut_row:
                cut_at = top + height - len(task_lines) + 2 * 2  # the task's third line opens the next page
            top += 2 * height
    header = layout_line({r: HEADERS[r] for r in roles}, at)
    out = PREAMBLE + ["PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025", header]
    for y in sorted(printed):
        if y == cut_at or (cut_at is not None and y > cut_at and not out[-1].startswith("\f")
                           and all(not line.startswith("\f") for line in out)):
            out.append("\f" + header)
        out.append(layout_line(printed[y], at))
    out += ["", "Nơi nhận:", "- Như trên;"]
    gold = [{r: " ".join(row[r].split()) for r in roles} for row in rows]
    return "\n".join(out) + "\n", gold


SEEDS = range(24)
#: (numbered, activity, page_break, merged): every combination of the first three, and tasks
#: merged over a Hoạt động column's rows with and without TT (no page break cutting a merged cell)
SHAPES = tuple((*shape, False) for shape in itertools.product((True, False), repeat=3)) + (
    (True, True, False, True), (False, True, False, True))


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("centred")
    out = {}
    for seed in SEEDS:
        for shape in SHAPES:
            text, gold = centred_dump(seed, *shape)
            path = root / f"centred_{seed}_{'_'.join(str(int(x)) for x in shape)}.txt"
            path.write_text(text, encoding="utf-8")
            out[(seed,) + shape] = (process_document(path, Config(workers=1)), gold)
    return out


def test_the_generator_interleaves_cells_of_odd_and_even_heights():
    text, gold = centred_dump(3, False)
    lines = text.split("\n")[len(PREAMBLE):]
    # some line holds a product's or lead's line and no task line: a half-line between the task's
    assert any(line[:20].strip() == "" and line.strip() for line in lines[3:])
    assert len(gold) >= 8


def test_centred_layout_dumps_give_their_rows_and_no_wrong_rows(results):
    """Rows recall and precision per shape and over all; no document whose status is
    ``success`` holds a wrong row.  Measured (24 seeds): every shape 1.000 / 1.000 but those
    without TT column over a page break, 0.974 / 0.987 with a Hoạt động column and 0.983 / 0.991
    without, and merged tasks, 0.996 / 0.996 with and without TT (before the rows were parted by
    their cells' centres and the lead cells by the registered names: 0.494 / 0.630 and
    0.835 / 0.970, merged 0.983 / 0.983; without TT column and no page break, with a Hoạt động
    column 0.390 / 0.542, the pages not seen as centred)."""
    counts: dict[tuple, list[int]] = {}
    wrong_under_success = []
    for key, (res, gold) in results.items():
        got = appendix_rows(res)
        pairs = match_rows(got, gold, list(gold[0]))
        c = counts.setdefault(key[1:], [0, 0, 0])
        c[0] += len(got)
        c[1] += len(pairs)
        c[2] += len(gold)
        if res.status == "success" and len(pairs) < len(got):
            wrong_under_success.append(key)
    for shape, (got, right, want) in counts.items():
        print(f"centred layout dumps {shape}: rows recall {right / want:.3f}, precision {right / max(1, got):.3f}")
        assert right / want >= 0.95 and right / max(1, got) >= 0.98, (shape, right / want, right / max(1, got))
    got, right, want = (sum(c[i] for c in counts.values()) for i in range(3))
    assert right / want >= 0.99 and right / got >= 0.995, (right / want, right / got)
    assert not wrong_under_success, wrong_under_success
