"""Matching extracted appendix rows against the rows a generated plan holds (its gold).

Rows are dicts of role -> cell text (the ``tasks`` table's columns).  One emitted row matches
one gold row when their compared cells, each whitespace-collapsed and joined with ``" | "``,
differ by at most :data:`ROW_MATCH_CER` character error rate; each emitted row, in order, is
paired with the closest gold row still free.  Used by the cross-format and table-shape tests
and by ``scripts/eval_tables.py``.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from rapidfuzz.distance import Levenshtein

#: the roles compared by default: every appendix column the ``tasks`` table has a column for
COMPARED_ROLES = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget")
#: an emitted row matches a plan row when its compared cells, joined, differ from the plan
#: row's by at most this character error rate
ROW_MATCH_CER = 0.10
#: a cell of a matched row is right when within this character error rate of the plan's
CELL_OK_CER = 0.02


def collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def with_task_fallback(cells: dict) -> dict:
    """A plan row's cells as the pipeline writes them: ``task`` falls back on the activity,
    then the objective cell."""
    d = dict(cells)
    d["task"] = d.get("task") or d.get("activity") or d.get("objective") or ""
    return d


def as_written(rows: list[dict], groups: list[str | None]) -> list[dict]:
    """Plan rows' cells as the pipeline writes them into ``tasks``: outline labels split off the
    objective / task / activity cells into ``<column>_no`` (extractors/outline_labels.py), row
    numbers a row does not print taken from the sequence (``groups``: the group of every row;
    extractors/row_numbers.py), ``task`` falling back on the activity, then the objective.
    Missing values are ""."""
    from extractors.outline_labels import LABELLED_COLUMNS, split_label
    from extractors.row_numbers import sequence_row_numbers

    numbers = sequence_row_numbers([(g, d.get("row_no") or None) for g, d in zip(groups, rows)])
    out = []
    for d, (row_no, _) in zip(rows, numbers):
        d = dict(d)
        for col in LABELLED_COLUMNS:
            if col in d:
                no, text = split_label(d[col] or None, col)
                d[f"{col}_no"], d[col] = no or "", text or ""
        if "row_no" in d:
            d["row_no"] = row_no or ""
        out.append(with_task_fallback(d))
    return out


def cer(got: str, want: str) -> float:
    return Levenshtein.distance(got, want) / max(1, len(want))


def _joined(row: dict, roles: Sequence[str]) -> str:
    return " | ".join(collapse(row.get(c)) for c in roles)


def match_rows(got: Sequence[dict], want: Sequence[dict], roles: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (index in got, index in want) of matched rows."""
    free = {k: _joined(w, roles) for k, w in enumerate(want)}
    pairs = []
    for i, g in enumerate(_joined(r, roles) for r in got):
        if not free:
            break
        k, dist = min(((k, cer(g, w)) for k, w in free.items()), key=lambda t: t[1])
        if dist <= ROW_MATCH_CER:
            pairs.append((i, k))
            del free[k]
    return pairs


def rows_recall_precision(got: Sequence[dict], want: Sequence[dict],
                          roles: Sequence[str] | None = None) -> tuple[float, float]:
    """Rows recall and precision of ``got`` against ``want`` over ``roles`` (default: the
    cross-format test's compared columns)."""
    if roles is None:
        from fixture_docs import COMPARED as roles
    matched = len(match_rows(got, want, roles))
    return matched / max(1, len(want)), matched / len(got) if got else 1.0


def field_hits(got: Sequence[dict], want: Sequence[dict], pairs: Iterable[tuple[int, int]],
               roles: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Per role: (cells within :data:`CELL_OK_CER`, cells) over the matched pairs.  A role the
    emitted rows lack (no such column) counts its non-empty gold cells as wrong."""
    out = {}
    for role in roles:
        ok = n = 0
        for i, k in pairs:
            w, g = collapse(want[k].get(role)), collapse(got[i].get(role))
            n += 1
            ok += (g == w) if not w else cer(g, w) <= CELL_OK_CER
        out[role] = (ok, n)
    return out


def score(got: Sequence[dict], want: Sequence[dict], roles: Sequence[str], field_roles: Sequence[str] | None = None,
          extra_roles: Sequence[str] = ()) -> dict:
    """Counts for one table: gold rows, emitted rows, matched rows (over ``roles``), and per
    role of ``field_roles`` (default ``roles``; pass the roles the table has) and of
    ``extra_roles`` (not used for matching) the (right, total) cells of the matched rows."""
    pairs = match_rows(got, want, roles)
    return {"gold": len(want), "got": len(got), "matched": len(pairs),
            "fields": field_hits(got, want, pairs, roles if field_roles is None else field_roles),
            "extra": field_hits(got, want, pairs, extra_roles)}


def appendix_rows(result) -> list[dict]:
    """The appendix rows of a document result's ``tasks`` table."""
    return [r for r in result.tables["tasks"] if r["source"] == "appendix"]


def generated_dumps(render, plan, seeds, folder) -> dict:
    """``seed -> (DocumentResult, gold rows as written)`` for the dumps ``render(plan, seed)``
    (``(text, gold)``) draws, each written to ``folder`` and run through the pipeline."""
    from pipeline.config import Config
    from pipeline.run import process_document

    out = {}
    for seed in seeds:
        text, gold = render(plan, seed)
        gold = as_written(gold, [r.group_no for r in plan.rows])  # labels split, row numbers inferred
        path = folder / f"dump_{seed}.txt"
        path.write_text(text, encoding="utf-8")
        out[seed] = (process_document(path, Config(workers=1)), gold)
    return out
