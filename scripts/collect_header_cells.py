"""Collect the header cells of plan appendix tables from a text corpus.

Reads ``CORPUS/*.txt.xz`` (one paragraph per line; default ``../shared/corpus``) and finds
table headers: a line that is only "TT" / "STT" / "Số TT" followed by the short lines of the
other header cells (one cell per line, wrapped lines of a cell start lower case), or a
pipe-separated row whose first cell is such a number heading.  A header counts as a plan
appendix header when at least two of its cells name a plan column (owner, deadline, product,
task, ...) in a loose sense.  Distinct cells are counted and the most frequent are written as
``cell<TAB>count<TAB>role``: the role is carried over from the ``--labels`` file (hand labels)
when the cell is there, else the one :func:`extractors.column_roles.header_role` gives, marked
with a trailing ``?`` for review ("-" = names no column of ours).

    python scripts/collect_header_cells.py [CORPUS] -o tests/resources/header_cells.tsv \
        --labels tests/resources/header_cells.tsv
"""

from __future__ import annotations

import argparse
import collections
import lzma
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.column_roles import header_role  # noqa: E402
from normalizers.text import collapse_ws, fold  # noqa: E402

_ROW_NO_RE = re.compile(r"^(?:so\s*)?s?\.?\s*t\.?\s*t\.?$")
# Loose plan-column cues, only to pick plan headers among all tables of the corpus: a header
# with two owner / time / product cells, or one and a task cell.
_META_CUE_RE = re.compile(
    r"chu tri|phoi hop|thoi gian|thoi han|tien do|san pham|ket qua|thuc hien|trach nhiem|kinh phi|theo doi|don doc"
)
_DATA_RE = re.compile(r"^[\W_]*(?:\d+|[ivxl]+|[a-z])[\W_]*$")
# A line that opens a data row or a new paragraph rather than a header cell.
_ROW_START_RE = re.compile(r"^(?:[-+•]|[a-zđ]\)|[ivxl]+\.\s|\d+(?:\.\d+)*[.)]\s|\(\d+\)|mau so\b|dieu \d)")
_TEXT_CUE_RE = re.compile(r"noi dung|nhiem vu|hoat dong|muc tieu|cong viec|giai phap|\bten\b")
_MAX_CELL_WORDS = 22
_MAX_CELLS = 12


def _clean(text: str) -> str:
    return collapse_ws(unicodedata.normalize("NFC", text).replace("*", "").strip(" |"))


def _is_row_no(text: str) -> bool:
    return bool(_ROW_NO_RE.match(fold(_clean(text))))


def _line_cells(lines: list[str], i: int) -> list[str]:
    """Cells printed one per line after the number heading at ``i``."""
    cells: list[str] = []
    for raw in lines[i + 1 : i + 1 + 3 * _MAX_CELLS]:
        t = _clean(raw)
        f = fold(t)
        if (not t or _DATA_RE.match(f) or _ROW_START_RE.match(f) or len(t.split()) > _MAX_CELL_WORDS
                or t.endswith((".", ";", ":")) or "…" in t or "..." in t or "__" in t):
            break
        first = next((ch for ch in t if ch.isalpha()), "")
        if cells and first and first.islower():
            cells[-1] = f"{cells[-1]} {t}"  # a wrapped line of the cell above
        else:
            if len(cells) == _MAX_CELLS:
                break
            cells.append(t)
    return cells


def headers(lines: list[str]):
    """Yield the cell lists (the number heading first) of the plan headers in ``lines``."""
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("|") and s.count("|") >= 4:
            cells = [_clean(c) for c in s.strip("|").split("|")]
            if not cells or not _is_row_no(cells[0]):
                continue
        elif s and len(s) <= 12 and _is_row_no(s):
            cells = [_clean(s)] + _line_cells(lines, i)
        else:
            continue
        cells = [c for c in cells if c]
        folded = [fold(c) for c in cells[1:]]
        meta = sum(bool(_META_CUE_RE.search(f)) for f in folded)
        if meta >= 2 or (meta and any(_TEXT_CUE_RE.search(f) for f in folded)):
            yield cells


def collect(corpus: Path) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for path in sorted(corpus.glob("*.txt.xz")):
        with lzma.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            lines = fh.read().split("\n")
        for cells in headers(lines):
            counts.update(cells)
    return counts


def _labels(path: Path | None) -> dict[str, str]:
    if path is None or not path.exists():
        return {}
    out = {}
    for row in path.read_text(encoding="utf-8").splitlines():
        if row and not row.startswith("#"):
            cell, _, role = row.split("\t")
            out[cell] = role
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", nargs="?", default="../shared/corpus", type=Path)
    ap.add_argument("-o", "--out", type=Path, default=Path("tests/resources/header_cells.tsv"))
    ap.add_argument("--labels", type=Path, help="TSV whose role column (hand labels) is kept")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--limit", type=int, default=400)
    args = ap.parse_args(argv)
    counts = collect(args.corpus)
    labels = _labels(args.labels)
    total_cells, total_occ = len(counts), sum(counts.values())
    # Frequent cells, and rarer ones that carry a cue word (where the mapping can go wrong).
    kept = [(c, n) for c, n in counts.most_common()
            if n >= args.min_count or _META_CUE_RE.search(fold(c)) or _TEXT_CUE_RE.search(fold(c))
            or header_role(c)][: args.limit]
    rows = []
    for cell, n in kept:
        role = labels.get(cell)
        if role is None:
            role = (header_role(cell) or "-") + "?"
        rows.append(f"{cell}\t{n}\t{role}")
    head = (f"# header cells of plan appendix tables in {args.corpus.name}: {total_cells} distinct, "
            f"{total_occ} occurrences; below the {len(kept)} seen >= {args.min_count} times or with a cue word.\n"
            "# cell<TAB>count<TAB>role ('-' = names no column of ours; a trailing '?' = the rule's guess, "
            "not reviewed by hand)\n")
    args.out.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    mapped = {c: n for c, n in counts.items() if header_role(c)}
    print(f"{total_cells} distinct cells, {total_occ} occurrences; wrote {len(kept)} to {args.out}")
    print(f"mapped to a role: {len(mapped)}/{total_cells} distinct cells, "
          f"{sum(mapped.values())}/{total_occ} occurrences ({sum(mapped.values()) / max(1, total_occ):.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
