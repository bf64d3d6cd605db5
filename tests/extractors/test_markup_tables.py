"""Tables printed with markup (extractors.markup_tables): grid, multiline and simple tables as
the real pandoc writes them from generated tables of many shapes and widths, grid tables with
merged cells drawn as reStructuredText and pandoc 3 draw them, HTML tables with row and column
spans; every one read back into its cells, one tab row per table row, the other lines kept."""

from __future__ import annotations

import html
import random
import shutil
import subprocess

import pytest

from extractors.markup_tables import (dash_tables_as_tabs, grid_tables_as_tabs, html_tables_as_tabs,
                                      markup_tables_as_tabs, unescape_markdown)
from conftest import SAMPLES

#: cell texts of a plan's appendix: tasks with lists and long references, bodies with en dashes
#: and hyphenated short names, dates that break in narrow columns, budgets, a Roman numeral
PHRASES = (
    "Thực hiện quy chế dân chủ ở cơ sở theo Nghị định số 61/2018/NĐ-CP của Chính phủ",
    "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã",
    "Tổ chức đối thoại với nhân dân về công tác cải cách hành chính",
    "Công chức Tư pháp – Hộ tịch", "Văn phòng HĐND-UBND xã", "Các ban, ngành, đoàn thể xã",
    "Ban Chỉ huy Quân sự xã", "Công an xã", "UBND xã", "Các bộ phận chuyên môn; UBMTTQ và các đoàn thể",
    "Trước 15/12/2025", "Quý II/2024", "Tháng 12/2025", "Hàng năm", "Thường xuyên", "30/6/2025",
    "Nguồn kinh phí thường xuyên", "Ngân sách nhà nước", "Báo cáo kết quả rà soát", "Kế hoạch",
    "Ghi chú", "Kinh phí", "Sản phẩm đầu ra", "Thời gian hoàn thành", "II", "1", "12",
)


def _cell(rng: random.Random) -> list[str]:
    """A cell's paragraphs: one phrase, now and then a list under it or an empty cell."""
    roll = rng.random()
    if roll < 0.12:
        return []
    paras = [rng.choice(PHRASES)]
    if roll > 0.85:
        paras.append("- " + rng.choice(PHRASES) + ";")
    return paras


def _table(rng: random.Random, ncol: int, nrow: int) -> list[list[list[str]]]:
    return [[_cell(rng) for _ in range(ncol)] for _ in range(nrow)]


def _joined(paras: list[str]) -> str:
    return " ".join(" ".join(p.split()) for p in paras)


def _html(rows: list[list[list[str]]], widths: list[int]) -> str:
    cols = "".join(f'<col style="width: {w}%" />' for w in widths)
    body = "".join("<tr>" + "".join("<td>" + "".join(f"<p>{html.escape(p)}</p>" for p in cell) + "</td>"
                                    for cell in row) + "</tr>\n" for row in rows)
    return f"<table><colgroup>{cols}</colgroup>\n<thead>{body.split(chr(10))[0]}</thead>\n<tbody>" \
           f"{chr(10).join(body.split(chr(10))[1:])}</tbody></table>\n"


def _pandoc(source: str, to: str, columns: int) -> list[str]:
    exe = shutil.which("pandoc")
    assert exe, "pandoc must be installed for this test (make test installs it)"
    done = subprocess.run([exe, "-f", "html", "-t", to, f"--columns={columns}"], input=source, text=True,
                          capture_output=True, check=True, timeout=60)
    return done.stdout.split("\n")


def _read_rows(lines: list[str]) -> list[list[str]]:
    return [line.split("\t") for line in markup_tables_as_tabs(lines) if "\t" in line]


def _widths(rng: random.Random, ncol: int) -> list[int]:
    raw = [rng.choice((3, 5, 8, 12, 20, 30)) for _ in range(ncol)]
    return [max(1, round(100 * w / sum(raw))) for w in raw]


@pytest.mark.parametrize("to", ["markdown", "plain"])
@pytest.mark.parametrize("seed", range(12))
def test_pandoc_tables_of_any_shape_and_width_read_back_cell_for_cell(seed, to):
    """Random tables (3-9 columns, some as narrow as one or two characters, cells of lists,
    dates, dashes, hyphenated names) written by pandoc as grid or multiline tables read back
    into their cells: words broken over lines of a narrow column joined again ("3" / "0/6/2025",
    "G" / "h" / "i"), markup and smart dashes undone."""
    rng = random.Random(seed * 7919 + (to == "plain"))
    ncol, nrow = rng.randint(3, 9), rng.randint(2, 7)
    rows = _table(rng, ncol, nrow)
    rows[0] = [[rng.choice(PHRASES[-8:-3])] for _ in range(ncol)]  # a header of header words
    lines = _pandoc(_html(rows, _widths(rng, ncol)), to, rng.choice((60, 72, 100, 140)))
    got = _read_rows(lines)
    want = [[_joined(c) for c in row] for row in rows]
    assert len(got) == len(want), "\n".join(lines)
    wrong = [(g, w) for gr, wr in zip(got, want) for g, w in zip(gr, wr) if g != w]
    # a word broken by the writer at the exact width of its column, with a word on either side
    # that is a syllable on its own, may stay apart: at most one cell in twenty-five
    assert len(wrong) <= max(1, ncol * nrow // 25), (wrong, "\n".join(lines))


def test_narrow_columns_join_their_pieces_into_words():
    """A column one character wide: pandoc writes "**TT**" as "*", "*", "T", "T", "*", "*" and
    "Ghi chú" as "G", "h", "i", "c", "h", "ú" -- the words come back by the syllable model."""
    rows = [[["TT"], ["Nội dung công việc"], ["Ghi chú"]], [["II"], ["Cải cách thể chế"], ["Thường xuyên"]]]
    lines = _pandoc(_html(rows, [1, 97, 2]).replace("<td>", "<td><strong>", 3).replace("</p></td>", "</p></strong></td>", 3),
                    "markdown", 60)
    assert any(line.strip() == "| * |" or line.startswith("| T") for line in lines), "\n".join(lines)
    got = _read_rows(lines)
    assert got[0] == ["TT", "Nội dung công việc", "Ghi chú"], "\n".join(lines)
    assert got[1] == ["II", "Cải cách thể chế", "Thường xuyên"]


def _grid(cells: dict[tuple[int, int], tuple[str, int, int]], nrow: int, widths: list[int],
          header_rows: int) -> list[str]:
    """A grid table with merged cells drawn as reStructuredText and pandoc 3 draw them: a
    merged cell's text inside its span, no ruling across a cell spanning rows, no bar inside one
    spanning columns.  ``cells``: (row, col) of a cell's top-left -> (text, rowspan, colspan)."""
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for (r, c), (_, rs, cs) in cells.items():
        for dr in range(rs):
            for dc in range(cs):
                owner[(r + dr, c + dc)] = (r, c)
    bounds = [0]
    for w in widths:
        bounds.append(bounds[-1] + w + 3)
    width = bounds[-1] + 1

    def text_lines(r: int, c: int) -> list[str]:
        text, _, cs = cells[(r, c)]
        room = bounds[c + cs] - bounds[c] - 3
        out, line = [], ""
        words = []
        for word in text.split():  # a word longer than the column broken as pandoc breaks it
            head = len(word) % room or room
            words += [word[:head]] + [word[k:k + room] for k in range(head, len(word), room)]
        for word in words:
            if line and len(line) + 1 + len(word) > room:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return out + ([line] if line else [])

    # every row tall enough for the cells that end in it
    heights = [1] * nrow
    for (r, c), (_, rs, _) in cells.items():
        need = len(text_lines(r, c))
        have = sum(heights[r:r + rs]) + rs - 1
        if need > have:
            heights[r + rs - 1] += need - have
    out: list[str] = []

    def rule(r: int) -> str:
        """The ruling above row r (r == nrow: the bottom)."""
        chars = [" "] * width
        for c in range(len(widths)):
            a, b = bounds[c], bounds[c + 1]
            crossing = 0 < r < nrow and owner[(r, c)] == owner[(r - 1, c)]
            fill = "=" if r == header_rows and not crossing else "-"
            for k in range(a + 1, b):
                chars[k] = " " if crossing else fill
        for c in range(len(widths) + 1):
            chars[bounds[c]] = "+"
        return "".join(chars)

    printed: dict[tuple[int, int], list[str]] = {k: text_lines(*k) for k in cells}
    used: dict[tuple[int, int], int] = {k: 0 for k in cells}
    for r in range(nrow):
        if r == 0:
            out.append(rule(0))
        else:
            line = list(rule(r))
            for c in range(len(widths)):
                own = owner[(r, c)]
                if own == owner[(r - 1, c)] and own[1] == c:  # a cell spanning rows: its text goes on
                    text = printed[own][used[own]] if used[own] < len(printed[own]) else ""
                    used[own] += 1
                    span = cells[own][2]
                    seg = f" {text}".ljust(bounds[c + span] - bounds[c] - 1)
                    line[bounds[c] + 1:bounds[c + span]] = list(seg)
                    line[bounds[c]] = "|" if c == 0 or owner[(r, c - 1)] != own else line[bounds[c]]
                    line[bounds[c + span]] = "|" if c + span == len(widths) or owner[(r, c + span)] != own else "+"
            out.append("".join(line))
        for _ in range(heights[r]):
            chars = [" "] * width
            for c in range(len(widths)):
                own = owner[(r, c)]
                if own[1] != c:
                    continue
                span = cells[own][2]
                text = printed[own][used[own]] if used[own] < len(printed[own]) else ""
                used[own] += 1
                seg = f" {text}".ljust(bounds[c + span] - bounds[c] - 1)
                chars[bounds[c] + 1:bounds[c + span]] = list(seg)
                chars[bounds[c]] = "|"
                chars[bounds[c + span]] = "|"
            out.append("".join(chars))
    out.append(rule(nrow))
    return out


@pytest.mark.parametrize("seed", range(15))
def test_grid_tables_with_merged_cells_read_every_row(seed):
    """Grid tables whose cells span rows (no ruling under them) and columns (no bar inside),
    drawn as reStructuredText and pandoc 3 draw them: a cell spanning rows gives its text to
    every row it covers, one spanning columns to the first of them, a group row across the
    whole table is its text alone."""
    rng = random.Random(seed)
    ncol, nrow = rng.randint(3, 7), rng.randint(3, 8)
    widths = [rng.randint(4, 18) for _ in range(ncol)]
    cells: dict[tuple[int, int], tuple[str, int, int]] = {}
    taken: set[tuple[int, int]] = set()
    for r in range(nrow):
        for c in range(ncol):
            if (r, c) in taken:
                continue
            rs = rng.choice((1, 1, 1, 2, 3)) if r >= 1 and c in (0, 1) else 1
            rs = min(rs, nrow - r)
            cs = ncol if r >= 1 and c == 0 and rng.random() < 0.15 else (2 if c + 1 < ncol and rng.random() < 0.1 else 1)
            if any((r + dr, c + dc) in taken for dr in range(rs) for dc in range(cs)):
                rs, cs = 1, 1
            if cs > 1:
                rs = 1
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            cells[(r, c)] = (rng.choice(PHRASES[:19]), rs, cs)
    lines = ["Trước bảng", ""] + _grid(cells, nrow, widths, 1) + ["", "Sau bảng"]
    got = grid_tables_as_tabs(lines)
    assert got[0] == "Trước bảng" and got[-1] == "Sau bảng" and len(got) == len(lines)
    rows = [line for line in got[2:-2] if line]
    assert len(rows) == nrow, "\n".join(lines)
    for r, line in enumerate(rows):
        want = [""] * ncol
        for (r0, c), (text, rs, cs) in cells.items():
            if r0 <= r < r0 + rs:
                want[c] = text
        if want[0] and not any(want[1:]) and cells.get((r, 0), ("", 1, 1))[2] == ncol:
            assert line == want[0], ("\n".join(lines), line)
        else:
            assert line.split("\t") == want, ("\n".join(lines), line)


@pytest.mark.parametrize("seed", range(15))
def test_html_tables_with_spans_give_a_row_per_line(seed):
    """HTML tables (GitHub-flavoured Markdown from pandoc keeps merged cells so) with random row
    and column spans: each row on the line of its <tr>, a cell spanning rows in each of them, the
    table's other lines empty, the text around kept."""
    rng = random.Random(seed)
    ncol, nrow = rng.randint(3, 8), rng.randint(2, 8)
    grid: list[list[str | None]] = [[None] * ncol for _ in range(nrow)]
    rows_html = []
    for r in range(nrow):
        tds = []
        for c in range(ncol):
            if grid[r][c] is not None:
                continue
            text = rng.choice(PHRASES)
            rs = min(rng.choice((1, 1, 2, 3)), nrow - r) if c < 2 else 1
            cs = 1
            while c + cs < ncol and grid[r][c + cs] is None and rng.random() < 0.15:
                cs += 1
            if any(grid[r + dr][c + dc] is not None for dr in range(rs) for dc in range(cs)):
                rs = 1
            for dr in range(rs):
                for dc in range(cs):
                    grid[r + dr][c + dc] = text if dc == 0 else ""
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            tds.append(f"<td{attrs}>{html.escape(text)}</td>")
        rows_html.append("<tr>\n" + "\n".join(tds) + "\n</tr>")
    lines = ["**PHỤ LỤC**", "", "<table>", *"\n".join(rows_html).split("\n"), "</table>", "", "Nơi nhận:"]
    got = html_tables_as_tabs(lines)
    assert len(got) == len(lines) and got[0] == "**PHỤ LỤC**" and got[-1] == "Nơi nhận:"
    tr_lines = [k for k, line in enumerate(lines) if line == "<tr>"]
    assert [k for k, line in enumerate(got) if line] == [0, *tr_lines, len(lines) - 1]
    for k, want in zip(tr_lines, grid):
        cells = [c or "" for c in want]
        if cells[0] and not any(cells[1:]):
            assert got[k] == cells[0]
        else:
            assert got[k].split("\t") == cells, (got[k], cells)


def test_markdown_markup_is_undone_in_cells():
    assert unescape_markdown(r"\- Đăng tải trên **Trang** thông tin; II\.") == "- Đăng tải trên Trang thông tin; II."
    assert unescape_markdown("Công chức Tư pháp -- Hộ tịch") == "Công chức Tư pháp – Hộ tịch"
    assert unescape_markdown("a --- b") == "a — b"
    assert unescape_markdown("*Nguồn* kinh phí<br>thường xuyên") == "Nguồn kinh phí thường xuyên"


def test_text_that_is_no_table_is_left_as_it_is():
    """The sample dumps, a plan heading's two rules ("-------" under each half), a line of
    dashes and a sum written with "+" are no tables: every line stays as it was."""
    heading = ["ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
               "XÃ HÒA BÌNH               Độc lập - Tự do - Hạnh phúc",
               "   -------                 ---------------------",
               "Số: 12/KH-UBND            Hòa Bình, ngày 15 tháng 01 năm 2025", "",
               "----------", "Tổng: 1+2+3 = 6", "+ Tổ chức hội nghị;", "| một dòng có thanh |"]
    assert markup_tables_as_tabs(heading) == heading
    for path in SAMPLES.values():
        lines = path.read_text(encoding="utf-8").split("\n")
        assert markup_tables_as_tabs(lines) == lines, path.name


def test_a_simple_table_is_read_a_row_per_line():
    lines = ["Bảng:", "", "TT   Nội dung                Cơ quan chủ trì    Thời gian",
             "---  ----------------------  -----------------  ---------",
             "1    Rà soát văn bản         Công an xã         Hàng năm",
             "2    Tổ chức hội nghị        UBND xã            Quý II/2024", "", "Hết."]
    got = dash_tables_as_tabs(lines)
    assert got == ["Bảng:", "", "TT\tNội dung\tCơ quan chủ trì\tThời gian", "",
                   "1\tRà soát văn bản\tCông an xã\tHàng năm", "2\tTổ chức hội nghị\tUBND xã\tQuý II/2024", "", "Hết."]


#: columns a plan may leave out without losing its rows (the others make the table one)
OPTIONAL = ("product", "support", "budget", "note", "monitor", "deadline")


@pytest.mark.parametrize("seed", [7, 26, 4, 1010, 1016])
def test_a_header_cell_naming_no_known_column_leaves_that_column_out_and_says_so(seed, tmp_path):
    """A table whose header has a cell no vocabulary names ("Xác nhận của thôn"), in the middle or
    at the end: its rows are read with that column left out -- not glued to the last column --,
    and the document says which column was not read (before: no rows at all, as success)."""
    import plan_shapes as ps
    from pipeline.config import Config
    from pipeline.run import process_document
    from table_match import COMPARED_ROLES, appendix_rows, rows_recall_precision

    plan = ps.make_plan(seed)
    text = ps.make_form(plan, "pandoc_gfm").read_text(encoding="utf-8")
    rng = random.Random(seed)
    optional = [k for k, role in enumerate(plan.roles) if role in OPTIONAL]
    assert optional, plan.describe()
    for k in {optional[-1], optional[0]}:
        header, lost = plan.headers[k], plan.roles[k]
        odd = rng.choice(("Xác nhận của thôn", "Mức độ ưu tiên", "Đánh giá sơ bộ"))
        for cell in (f"<strong>{header}</strong>", f"**{header}**"):  # an HTML or a pipe table's header cell
            at = text.find(cell, text.index("PHỤ LỤC"))
            if at >= 0:
                break
        assert at >= 0, (header, plan.describe())
        path = tmp_path / f"{k}.md"
        path.write_text(text[:at] + cell.replace(header, odd) + text[at + len(cell):], encoding="utf-8")
        res = process_document(path, Config(workers=1))
        assert res.status == "partial" and any(e.category == "unnamed_column" and odd in e.message
                                               for e in res.errors), res.errors
        got = appendix_rows(res)
        roles = tuple(r for r in COMPARED_ROLES if r != lost)
        recall, precision = rows_recall_precision(got, ps.gold_rows(plan), roles)
        assert recall >= 0.95 and precision >= 0.95, (header, recall, precision, plan.describe())
        assert all(not r.get(lost) for r in got), lost
        # the other columns' cells are the plan's: nothing of the left-out column glued to them
        others = [role for role in plan.roles if role not in (lost, "row_no")]
        gold = ps.gold_rows(plan)
        assert all((g.get(role) or "") == (r.get(role) or "") or role in ("objective", "task", "activity")
                   for g, r in zip(gold, got) for role in others if role in r), plan.describe()


def test_a_table_pandoc_left_out_of_its_plain_text_is_said_to_be_missing(tmp_path):
    """pandoc's plain text prints "[TABLE]" for a table too wide for its columns: the document
    says the table is not in the text (partial), instead of a plan without appendix as success."""
    from pipeline.config import Config
    from pipeline.run import process_document

    rng = random.Random(18 * 7919 + 1)  # a table pandoc cannot lay out in plain text
    ncol, nrow = rng.randint(3, 9), rng.randint(2, 7)
    rows = _table(rng, ncol, nrow)
    rows[0] = [[rng.choice(PHRASES[-8:-3])] for _ in range(ncol)]
    lines = _pandoc(_html(rows, _widths(rng, ncol)), "plain", rng.choice((60, 72, 100, 140)))
    assert "[TABLE]" in lines
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(["KẾ HOẠCH", "Cải cách hành chính năm 2025", "", "PHỤ LỤC", "", *lines]),
                    encoding="utf-8")
    res = process_document(path, Config(workers=1))
    assert res.status == "partial"
    assert any(e.category == "table_not_in_text" and "[TABLE]" in e.message for e in res.errors), res.errors


def test_an_org_table_is_read_as_a_pipe_table():
    """Emacs Org tables join the dashes of their delimiter row with "+"."""
    lines = ["| TT | Nội dung        | Cơ quan chủ trì |", "|----+-----------------+-----------------|",
             "| 1  | Rà soát văn bản | Công an xã      |"]
    assert markup_tables_as_tabs(lines) == ["TT\tNội dung\tCơ quan chủ trì", "", "1\tRà soát văn bản\tCông an xã"]
