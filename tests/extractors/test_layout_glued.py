"""Layout dumps whose next column's text the text tool pulled left, one space after a cell's
line that fills its column ("Nâng cao chất Tuyên truyền, phổ biến", "hành chính cho Bồi dưỡng
kiến thức", "ứng dụng công quyết hồ sơ"): generated top-aligned tables of the plans' wordings,
Mục tiêu cells wrapped in a narrow first column, and on some lines the Nhiệm vụ fragment moved
to one space after the Mục tiêu text.  The rows must come out as printed."""

from __future__ import annotations

import random
import textwrap

import pytest

from layout_render import layout_line
from pipeline.config import Config
from pipeline.run import process_document
from plan_shapes import DEADLINES, OBJECTIVES, OWNERS, TASKS
from table_match import appendix_rows, match_rows

ROLES = ("row_no", "objective", "task", "lead", "deadline")
HEADERS = {"row_no": "TT", "objective": "Mục tiêu", "task": "Nhiệm vụ", "lead": "Cơ quan chủ trì",
           "deadline": "Thời gian"}
#: share of the lines a wide Mục tiêu fragment could glue to the next column that do
GLUE_SHARE = 0.4
PREAMBLE = ["ỦY BAN NHÂN DÂN XÃ VĨNH LẬP", "", "Số: 12/KH-UBND", "", "KẾ HOẠCH", "",
            "Cải cách hành chính năm 2025", "", "(Chi tiết tại Phụ lục kèm theo)", ""]


def glued_dump(seed: int, glue: bool) -> tuple[str, list[dict[str, str]]]:
    """(the dump's text, the rows as printed); ``glue``: of the lines whose Mục tiêu fragment
    ends within two characters of its column's edge, :data:`GLUE_SHARE` print the Nhiệm vụ
    fragment one space after it."""
    rng = random.Random(seed)
    widths = {"row_no": 3, "objective": rng.randint(13, 17), "task": rng.randint(26, 34), "lead": 24, "deadline": 12}
    gap = rng.randint(3, 4)
    at, x = {}, 0
    for role in ROLES:
        at[role] = x
        x += widths[role] + gap
    rows = [{"row_no": str(n + 1), "objective": rng.choice(OBJECTIVES), "task": rng.choice(TASKS),
             "lead": rng.choice(OWNERS), "deadline": rng.choice(DEADLINES)} for n in range(rng.randint(8, 12))]
    out = PREAMBLE + ["PHỤ LỤC", layout_line({r: HEADERS[r] for r in ROLES}, at)]
    for row in rows:
        cells = {r: textwrap.wrap(row[r], widths[r]) or [""] for r in ROLES}
        for k in range(max(len(c) for c in cells.values())):
            parts = {r: c[k] for r, c in cells.items() if k < len(c)}
            starts = dict(at)
            left = parts.get("objective", "")
            if (glue and left and "task" in parts and at["objective"] + len(left) >= at["task"] - gap - 2
                    and rng.random() < GLUE_SHARE):
                starts["task"] = at["objective"] + len(left) + 1  # pulled left, one space after
            out.append(layout_line(parts, starts))
    out += ["", "Nơi nhận:", "- Như trên;"]
    return "\n".join(out) + "\n", [{r: row[r] for r in ROLES} for row in rows]


SEEDS = range(30)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    root = tmp_path_factory.mktemp("glued")
    out = {}
    for seed in SEEDS:
        for glue in (False, True):
            text, gold = glued_dump(seed, glue)
            path = root / f"glued_{seed}_{int(glue)}.txt"
            path.write_text(text, encoding="utf-8")
            out[seed, glue] = (process_document(path, Config(workers=1)), gold)
    return out


def test_the_generator_glues_task_lines_to_the_objective():
    text, _ = glued_dump(1, True)
    plain, _ = glued_dump(1, False)
    assert text != plain and len(text) < len(plain)


def test_tasks_pulled_left_one_space_after_the_objective_stay_in_their_column(results):
    """Measured (30 seeds): plain 1.000 / 1.000; glued 0.983 / 1.000 (before a cell's first
    word pulled up to five characters left of its column was read as that column's: 0.785 /
    1.000, the rows whose words went to the cell on their left left out)."""
    figures = {}
    for glue in (False, True):
        got_all = right = want = 0
        for seed in SEEDS:
            res, gold = results[seed, glue]
            got = appendix_rows(res)
            got_all += len(got)
            right += len(match_rows(got, gold, list(ROLES)))
            want += len(gold)
        figures[glue] = (right / want, right / max(1, got_all))
        print(f"{'glued' if glue else 'plain'} layout dumps: rows recall {right / want:.3f}, "
              f"precision {right / max(1, got_all):.3f}")
    assert figures[False] >= (0.99, 0.99)
    assert figures[True][0] >= 0.95 and figures[True][1] >= 0.98, figures
