"""The appendix table (phụ lục) of a commune plan, read from any input form.

Reconstruct the rows of the appendix table (phụ lục) of a commune plan from a plain-text dump.

The dumps come from PDF/DOCX text extraction, so the table arrives as a stream of lines.  Three
physical layouts exist:

* **tab layout** – one table row per line, cells separated by ``\\t`` (DOCX dumps).  Cells are
  explicit, so rows are read positionally.
* **paragraph lines** – LibreOffice's text export: every paragraph of a cell on a line of its
  own, an empty line per empty cell, row after row (:mod:`extractors.appendix.paragraph_lines`,
  read before the decoder below by ``pipeline.run``).
* **cell-line layout** – every cell is printed as its own run of wrapped lines, cell after cell,
  row after row (PDF dumps).  Two cells that share a baseline may end up on one line
  (``chuyên môn Thường xuyên``), repeated page headers and page numbers interrupt the stream,
  a row can be split by a page break, and vertically merged cells (Mục tiêu / Nhiệm vụ) are
  printed only once, inside whichever row their text happens to fall into.

Method
------
1. *Locate* the table.  A header is a run of lines whose (unaccented, fuzzily matched) words
   tile completely into known column names ("TT", "Nội dung, nhiệm vụ", "Cơ quan chủ trì", …);
   it fixes the column set and order.  Without a printed header the table is looked for after
   the signature block (``Nơi nhận`` … name) and its column set and order are inferred from
   content cues (heads such as "2.1. Nhiệm vụ 1:", owner names, dates, budget phrases).
2. *Clean* the stream: repeated header blocks and page numbers (a lone number right before a
   repeated header) become page-break markers; roman-numeral group rows become group markers.
3. *Segment* with a sequence model.  Every line may be cut at a few plausible cell boundaries
   (a leading row number, a ``|`` or tab, or a position where a strongly typed phrase such as
   "Phòng …", "Hàng năm", "Theo quy định", "3.2. Hoạt động" starts with a capital).  A Viterbi
   search assigns each piece a column: inside a row columns only move right, a piece either
   continues the current cell, opens a later cell, opens a new row (cheap at a row number,
   possible at a strong head when the row number is missing) or, right after a page break,
   continues any cell of the current row.  Emission costs come from content cues (owner
   vocabulary for lead/support, date/recurrence words for the deadline, "Theo quy định…" /
   "ngân sách" for the budget, document nouns for products, heads for objective/task/activity,
   bare numbers for the row number, lower-case starts for continuations).  The model then
   re-estimates, from its own first pass, how often each column is filled, how wide each
   column's wrapped lines are and how blank lines relate to cell boundaries in this particular
   dump, and decodes again with those table-specific costs (one round of hard EM).
4. *Merged cells*.  In tables with a finer outline column (activity under task under
   objective) a head printed once covers a contiguous block of rows.  Text fragments of a
   merged cell that spill into later rows (no head of their own) are re-attached to it.  The
   rows each head covers are chosen by a small dynamic programme that models Word's vertical
   centring: with row heights estimated from line counts, the covered interval must put the
   centred text's first line inside the row where it was printed; objective intervals must be
   unions of task intervals.  Tables whose merged cells are top-aligned (every group starts
   with a head) simply fill down.

The module is pure: no I/O, no module state written at run time.  ``extract_appendix`` never
raises; unexpected input yields ``[]``.
"""

from __future__ import annotations

from typing import Sequence

from extractors.appendix.locate import _header_regions, _headerless_region
from extractors.appendix.model import CANONICAL_COLUMNS, AppendixRow, AppendixTable
from extractors.appendix.prepare import _prepare
from extractors.appendix.stream import _decode_region
from extractors.appendix.tab import _extract_tab_tables

from extractors.appendix.vocab import header_cell_column, is_outline_head, is_roman, is_valid_header, join_cell_text

__all__ = [
    "CANONICAL_COLUMNS", "AppendixRow", "AppendixTable", "extract_appendix", "header_cell_column",
    "is_valid_header", "join_cell_text", "is_roman", "is_outline_head",
]


def _extract(lines: Sequence[str]) -> list[AppendixTable]:
    doc = _prepare(lines)
    tables = _extract_tab_tables(doc)
    covered: set[int] = set()
    for t in tables:
        lo = (t.header_line or 1) - 1
        hi = max(r.line_end for r in t.rows)
        covered.update(range(lo, hi))
    regions = _header_regions(doc, covered)
    if not regions and not tables:
        reg = _headerless_region(doc, covered)
        regions = [reg] if reg is not None else []
    for reg in regions:
        t = _decode_region(doc, reg)
        if t is not None and t.rows:
            tables.append(t)
    tables.sort(key=lambda t: t.rows[0].line_start)
    return tables


def extract_appendix(lines: Sequence[str]) -> list[AppendixTable]:
    """lines = the whole document, lines[i] is line i+1.

    Pure, never raises on odd input (returns [] when no table).
    """
    try:
        return _extract(lines)
    except Exception:  # noqa: BLE001 - contract: odd input must never break the pipeline
        return []
