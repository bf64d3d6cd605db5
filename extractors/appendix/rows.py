"""Rows accumulated by the stream decoder, finished into :class:`~extractors.appendix.model.AppendixRow`
objects (merged cells applied, row numbers read)."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.appendix.model import AppendixRow
from extractors.appendix.text import _ROW_NO_RE, _join_text
from extractors.appendix.vocab import _OUTLINE
from extractors.appendix.merged import _resolve_merged


@dataclass(slots=True)
class _RowAcc:
    group: tuple[str | None, str | None]
    page: int | None
    chunk: int = 0
    cells: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
def _finish_rows(rows: list[_RowAcc], cols: tuple[str, ...]) -> list[AppendixRow]:
    texts = [{c: _join_text([t for _, t in r.cells.get(c, [])]) for c in cols} for r in rows]
    outline = [c for c in _OUTLINE if c in cols]
    if len(outline) >= 2:
        # Every outline column above the finest one (objective and task above activity) is
        # printed as vertically merged cells.
        _resolve_merged(rows, texts, outline[:-1])
    out: list[AppendixRow] = []
    for r, t in zip(rows, texts):
        m = _ROW_NO_RE.match(t.get("row_no", ""))
        out.append(
            AppendixRow(
                group_no=r.group[0],
                group_title=r.group[1],
                row_no=m.group(1) if m else None,
                cells=t,
                line_start=min(r.lines) + 1,
                line_end=max(r.lines) + 1,
                page=r.page,
            )
        )
    return out
