"""Render a plan's appendix table as a layout text dump, the way ``pdftotext -layout`` prints a
table: every cell wrapped to its column's width, its lines at the column's character position,
cells top-aligned, merged (vertically spanning) cells printed once at the top of their span,
form feeds between pages, the header repeated on each page or not.

The shape is drawn from a seed: which columns the table has, their widths, the header wording,
the gap between columns (one to four spaces), a one-character jitter of a column's start on
some lines (the text tool rounds positions to characters), page length; pages without a header
of their own are laid out anew (the text tool places each page's columns by its own text): a
column may sit a few characters left or right of the header page's, some rows still at the
old place; cells may be set justified (their lines widened with two or three spaces between
words).  The gold rows are the
plan's rows restricted to the drawn columns, merged cells applied to every row they span, as
kehoach writes them.
"""

from __future__ import annotations

import random
import textwrap

from fixture_docs import MERGED, Plan, merged_spans

#: header wordings per column; the first is the fixture's
WORDINGS = {
    "row_no": ("TT", "STT", "Số TT"),
    "objective": ("Mục tiêu",),
    "task": ("Nhiệm vụ", "Nội dung nhiệm vụ", "Nhiệm vụ, giải pháp"),
    "activity": ("Hoạt động", "Các hoạt động"),
    "product": ("Sản phẩm", "Kết quả, sản phẩm", "Sản phẩm đầu ra"),
    "lead": ("Cơ quan chủ trì", "Đơn vị chủ trì", "Cơ quan thực hiện"),
    "support": ("Cơ quan phối hợp", "Đơn vị phối hợp"),
    "deadline": ("Thời gian hoàn thành", "Thời gian thực hiện", "Thời hạn hoàn thành", "Tiến độ"),
    "budget": ("Kinh phí thực hiện", "Kinh phí", "Nguồn kinh phí"),
}
#: two-level headers: a top cell over the lead and support columns, and their own cells below
TOP_WORDINGS = ("Cơ quan thực hiện", "Đơn vị thực hiện", "Trách nhiệm thực hiện", "Phân công thực hiện",
                "Cơ quan, đơn vị thực hiện")
SUB_WORDINGS = {"lead": ("Chủ trì", "Cơ quan chủ trì", "Đơn vị chủ trì"),
                "support": ("Phối hợp", "Cơ quan phối hợp", "Đơn vị phối hợp")}
#: column shapes drawn from (the plan's text columns always include task)
SHAPES = (
    ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget"),
    ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline"),
    ("row_no", "task", "activity", "product", "lead", "support", "deadline"),
    ("row_no", "objective", "task", "lead", "support", "deadline"),
    ("row_no", "task", "product", "lead", "support", "deadline", "budget"),
    ("row_no", "task", "lead", "support", "deadline"),
    ("objective", "task", "activity", "lead", "support", "deadline"),
)


def _wrap(text: str, width: int, justify: bool = False) -> list[str]:
    lines = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or []
    return [_justified(t, width) for t in lines[:-1]] + lines[-1:] if justify else lines


def _justified(line: str, width: int) -> str:
    """A cell line set justified: the spaces between its words widened to fill the column (the
    text tool prints the wider gaps as two or three spaces)."""
    words = line.split()
    gaps = len(words) - 1
    extra = width - len(line)
    if gaps < 1 or extra <= 0:
        return line
    spaces = [1 + extra // gaps + (k < extra % gaps) for k in range(gaps)]
    return "".join(w + " " * n for w, n in zip(words, spaces + [0]))


def layout_line(cells: dict[str, str], at: dict[str, int]) -> str:
    """One printed line of a layout dump: each column's text (role -> text) at its column's
    start (role -> character), pushed one space right of the text before it where that runs on."""
    line = ""
    for role, text in sorted(cells.items(), key=lambda kv: at[kv[0]]):
        line = line.ljust(at[role]) + (" " if line and len(line) >= at[role] else "") + text
    return line.rstrip()


def render_layout(plan: Plan, seed: int, two_level: bool = False) -> tuple[str, list[dict[str, str]]]:
    """``(dump text, gold rows)``: the plan's table in a shape drawn from ``seed``;
    ``two_level``: a header of two levels, a top cell over the lead and support columns (drawn
    from a stream of its own: the table is the seed's all the same), the top cell and the
    cells under it centred or not, the other columns' cells at the top of the header or
    centred beside it."""
    rnd = random.Random(seed)
    cols = list(rnd.choice(SHAPES))
    widths = {c: (3 if c == "row_no" else rnd.randint(10, 14) if c in ("deadline", "budget")
                  else rnd.randint(14, 30)) for c in cols}
    gap = rnd.randint(1, 4) if rnd.random() < 0.8 else 2
    gap = max(gap, 2) if gap == 1 and rnd.random() < 0.5 else gap
    jitter = rnd.random() < 0.5
    heads = {c: rnd.choice(WORDINGS[c]) for c in cols}
    repeat_header = rnd.random() < 0.7
    page_lines = rnd.randint(35, 60)
    x0 = {}
    x = 0
    for c in cols:
        x0[c] = x
        x += widths[c] + gap
    finer = {"objective": "task", "task": "activity"}
    merged = [c for c in MERGED if c in cols and finer[c] in cols]
    spans = {c: merged_spans(plan, c) for c in merged}

    # a separate stream, so that the other draws of a seed stay as they were
    relayout = random.Random(seed * 7919 + 1)
    justify = relayout.random() < 0.3  # cells set justified
    moved: dict[str, int] = {}
    shift: dict[str, int] = {}

    def put(line: list[str], col: str, text: str) -> None:
        start = x0[col] + (rnd.choice((-1, 0, 0, 1)) if jitter and col != cols[0] else 0)
        start += moved.get(col, 0)
        if line and len(line) >= start:
            line.append(" ")  # pushed right, one space after the text before it
        while len(line) < start:
            line.append(" ")
        line.extend(text)

    levels = random.Random(f"two-level {seed}")
    top = None
    if two_level and "lead" in cols and cols[cols.index("lead") + 1:][:1] == ["support"]:
        top = levels.choice(TOP_WORDINGS)
        heads["lead"], heads["support"] = (levels.choice(SUB_WORDINGS[c]) for c in ("lead", "support"))
    centre_head = levels.random() < 0.5  # header cells centred in their columns
    centre_rest = levels.random() < 0.5  # the columns without a top cell centred beside the two levels

    def header_lines() -> list[str]:
        if top is None:
            return plain_header()
        span_w = x0["support"] + widths["support"] - x0["lead"]
        top_lines = _wrap(top, span_w)
        subs = {c: _wrap(heads[c], widths[c]) for c in ("lead", "support")}
        rest = {c: _wrap(heads[c], widths[c]) for c in cols if c not in subs}
        height = len(top_lines) + max(map(len, subs.values()))
        rows: list[dict[str, tuple[int, str]]] = [{} for _ in range(max(height, max(map(len, rest.values()))))]
        for k, t in enumerate(top_lines):
            rows[k]["lead"] = (x0["lead"] + ((span_w - len(t)) // 2 if centre_head else 0), t)
        for c, ls in subs.items():
            for k, t in enumerate(ls):
                rows[len(top_lines) + k][c] = (x0[c] + ((widths[c] - len(t)) // 2 if centre_head else 0), t)
        for c, ls in rest.items():
            first = (len(rows) - len(ls)) // 2 if centre_rest else 0
            for k, t in enumerate(ls):
                rows[first + k][c] = (x0[c] + ((widths[c] - len(t)) // 2 if centre_head else 0), t)
        out = []
        for row in rows:
            line = ""
            for at, t in sorted(row.values()):
                line = line.ljust(at) + (" " if line and len(line) >= at else "") + t
            out.append(line.rstrip())
        return out

    def plain_header() -> list[str]:
        wrapped = {c: _wrap(heads[c], widths[c]) for c in cols}
        out = []
        for k in range(max(map(len, wrapped.values()))):
            line: list[str] = []
            for c in cols:
                if k < len(wrapped[c]):
                    put(line, c, wrapped[c][k])
            out.append("".join(line).rstrip())
        return out

    out = list(plan.body) + ["", plan.appendix_title, ""]
    page: list[str] = header_lines()
    pages: list[list[str]] = []
    gold: list[dict[str, str]] = []
    group = None
    def render_block(i: int, r) -> list[str]:
        nonlocal group
        block: list[str] = []
        if r.group_no != group and r.group_no:
            group = r.group_no
            first = cols[0]
            title = r.group_title or ""
            line: list[str] = []
            if first == "row_no":
                put(line, "row_no", r.group_no)
                put(line, cols[1], title)
            else:
                put(line, first, f"{r.group_no}. {title}")
            block.append("".join(line).rstrip())
        texts = {}
        for c in cols:
            t = r.cells.get(c, "")
            if c in spans and spans[c][i] == 0:
                t = ""  # covered by a merged cell above
            texts[c] = _wrap(t, widths[c], justify and c not in ("row_no", "deadline", "budget"))
        height = max(1, max(map(len, texts.values())))
        for k in range(height):
            line = []
            for c in cols:
                if k < len(texts[c]):
                    put(line, c, texts[c][k])
            block.append("".join(line).rstrip())
        return block

    for i, r in enumerate(plan.rows):
        was = group
        moved = {} if relayout.random() < 0.15 else shift
        block = render_block(i, r)
        if len(page) + len(block) > page_lines and len(page) > 3:
            pages.append(page)
            page = header_lines() if repeat_header else []
            if not repeat_header and gap >= 2:  # (a one-space gap leaves the tool no room)
                shift = {c: relayout.choice((0, 0, 2, 3, -2) if gap >= 4 else (0, 0, 2, 3)) for c in cols[1:]}
                moved, group = shift, was
                block = render_block(i, r)
        page.extend(block)
        cells = {c: " ".join(r.cells.get(c, "").split()) for c in cols}
        gold.append(cells)
    pages.append(page)
    text = "\n".join(out) + "\n" + "\n\f".join("\n".join(p) for p in pages)
    text += "\n\nKế hoạch này thay thế các văn bản trước đây.\n"
    return text, gold
