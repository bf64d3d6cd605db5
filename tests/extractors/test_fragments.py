"""Fragment rows of centred tables without row numbers: the top lines of the row below,
joined back on it (extractors/appendix/fragments.py)."""

from __future__ import annotations

import pytest

from extractors.appendix.fragments import fragments_joined
from extractors.appendix.model import AppendixRow
from pipeline.config import Config
from pipeline.run import process_document
from table_match import appendix_rows, rows_recall_precision

COLUMNS = ("task", "product", "lead", "support", "deadline")


def _row(line: int, **cells: str) -> AppendixRow:
    return AppendixRow(None, None, None, {c: cells.get(c, "") for c in COLUMNS}, line, line + len(cells), 2)


def _heads_and_rests() -> list[tuple[str, str, str]]:
    """(name, head, rest): every registered name of three words or more cut after its first
    two words, as a centred cell's first line above a row boundary leaves it."""
    from normalizers.owners import name_rest, registry_phrases

    out = []
    for name in registry_phrases():
        words = name.split()
        if len(words) >= 3 and name_rest(" ".join(words[:2])) not in (None, 0):
            out.append((name, " ".join(words[:2]), " ".join(words[2:])))
    return out


@pytest.mark.parametrize("task_split", [False, True])
def test_a_fragment_row_holding_a_names_first_words_goes_back_on_the_row_below(task_split):
    cases = _heads_and_rests()
    assert len(cases) >= 30
    wrong = []
    for name, head, rest in cases:
        above = _row(9, task="Xây dựng kế hoạch", product="Báo cáo", lead="UBND xã", deadline="Năm 2025")
        top = _row(14, task="Tổ chức tiếp nhận, giải quyết hồ" if task_split else "", lead=head)
        row = _row(15, task="sơ thủ tục hành chính đúng hạn" if task_split else "Tổ chức tiếp nhận hồ sơ",
                   product="Quy chế làm việc", lead=rest, support="Các thôn", deadline="Quý I/2025")
        got = fragments_joined([above, top, row], COLUMNS)
        want_task = "Tổ chức tiếp nhận, giải quyết hồ sơ thủ tục hành chính đúng hạn" if task_split else row.cells["task"]
        if len(got) != 2 or got[0] != above or got[1].cells["lead"] != " ".join(name.split()) \
                or got[1].cells["task"] != want_task or got[1].line_start != 14 or got[1].cells["deadline"] != "Quý I/2025":
            wrong.append((name, [r.cells for r in got]))
    assert not wrong, wrong[:3]


@pytest.mark.parametrize("top, row", [
    # the row above has a deadline of its own: a row, not a fragment
    (dict(task="Rà soát", lead="Công chức", deadline="Năm 2025"), dict(task="Số hóa", lead="Văn hóa – Xã hội", deadline="Quý I/2025")),
    # the row below opens a task of its own (upper case): the fragment is no top of it
    (dict(task="Rà soát", lead="Công chức"), dict(task="Số hóa hồ sơ", lead="Văn hóa – Xã hội", deadline="Quý I/2025")),
    # whole names on both sides: nothing runs over
    (dict(lead="Công an xã"), dict(task="Số hóa hồ sơ", lead="UBND xã", deadline="Quý I/2025")),
    # the row below has no deadline: no row to go on
    (dict(lead="Công chức"), dict(task="Số hóa hồ sơ", lead="Văn hóa – Xã hội")),
])
def test_rows_that_are_no_fragment_of_the_row_below_stay(top, row):
    rows = [_row(10, **top), _row(12, **row)]
    assert fragments_joined(rows, COLUMNS) == rows


def test_numbered_rows_are_never_joined():
    top = AppendixRow(None, None, "4", {c: "" for c in COLUMNS} | {"lead": "Công chức"}, 10, 10, 1)
    row = AppendixRow(None, None, "5", {c: "" for c in COLUMNS} | {"lead": "Văn hóa – Xã hội", "deadline": "Năm 2025"},
                      11, 12, 1)
    assert fragments_joined([top, row], COLUMNS) == [top, row]


def test_a_centred_layout_dump_without_row_numbers_gives_its_rows_whole():
    """Generated plan 1069 (5 columns, no TT column, cells centred vertically, 64 rows), dumped
    with ``pdftotext -layout``: tall body cells' first lines fell above the row boundary and
    made rows of their own (recall 0.766, precision 0.925 before the fragments were joined)."""
    import plan_shapes as ps

    plan = ps.make_plan(1069)
    res = process_document(ps.make_form(plan, "layout_centered"), Config(workers=1))
    gold = ps.gold_rows(plan)
    recall, precision = rows_recall_precision(appendix_rows(res), gold, list(gold[0]))
    assert recall >= 0.85 and precision >= 0.97, (recall, precision)
