"""Is a decoded appendix row a row of the table, or cells of several rows run together?

Tables read from printed lines (stream decoding of text dumps, layout dumps) can come out
wrong when the dump did not print the table row by row: ``pdftotext`` without ``-layout``
prints a table's cells in reading-order blocks, so a cell may hold the next row's number, a
"2.3. Nhiệm vụ 3:" head that belongs to another column, the header's words or half the table.
A wrong row costs an analyst more than a missing one, so such rows are left out and counted,
and a table that is mostly such rows is not a reading at all.

:func:`row_faults` names what is wrong with one row's cells; it reads only the cells, so it
serves any reader.  The checks are things no real cell does:

* an outline head of the text columns ("2.3. Nhiệm vụ 3:", "3.4: Hoạt động 4:") in a short
  column (product, lead, support, deadline, budget) or in a text column of another level;
* a header cell's words as a cell ("Cơ quan chủ trì", "Thời gian hoàn thành");
* a row number or a lone number where a body, a date or a name belongs; a date in a
  responsible body's cell (or a recurrence, "Hàng năm", "Thường xuyên", beside a deadline of
  another text), or in the product cell of a row whose deadline is empty;
* a responsible body, date or budget cell far longer than any real one (:data:`MAX_META_CHARS`);
* one text in the text columns and nothing in the short ones (a group title read as a row);
* no text at all in the Mục tiêu / Nhiệm vụ / Hoạt động columns, or such a cell starting in
  mid-sentence (lower case: the rest of another row's cell), or the header's "STT" at a cell's end;
* a Mục tiêu / Nhiệm vụ / Hoạt động cell that is one text twice over (two rows' cells joined).

:func:`table_faults` judges a whole reading: too many faulty rows (:data:`MAX_FAULTY_SHARE`),
lead / deadline cells left empty in most rows (:data:`MIN_FILLED`), which no plan does, no
responsible-body or deadline column at all (a table of something else, or a header misread), or
task cells that are mostly short product names ("Báo cáo", "Biên bản kiểm tra": the product
column read as the task column, :data:`PRODUCT_TASK_SHARE`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from extractors.appendix.row_lines import _known
from extractors.appendix.text import _fold
from extractors.appendix.vocab import _BUDGET_WORD_RE, _PRODUCT_RE, header_cell_column
from normalizers.owners import canonical_owner, cut_head, cut_short, name_rest, split_owners

__all__ = ["row_faults", "cut_cells", "reads_whole", "table_faults", "prints_columns", "MAX_META_CHARS",
           "MAX_FAULTY_SHARE", "MIN_FILLED"]

#: an outline cell of at least twice this many words that is one text twice over is two rows'
#: cells joined
MIN_TWICE_WORDS = 3
#: longer lead / support / deadline / budget cells are several cells run together
MAX_META_CHARS = 160
#: a task cell of at most this many words that names a product ("Báo cáo kết quả rà soát")
MAX_PRODUCT_WORDS = 5
#: a table whose task cells are such product names in this share of its rows read the product
#: column as the task column (a header that lost its "Sản phẩm" cell)
PRODUCT_TASK_SHARE = 0.5
#: a table with a larger share of faulty rows is no reading of the table at all
MAX_FAULTY_SHARE = 0.3
#: plans fill the lead and deadline cells of nearly every row (the samples: 92-100 %); a
#: reading that fills fewer has put the cells in the wrong rows or columns
MIN_FILLED = 0.5

_HEAD_RE = re.compile(r"(?:^|\s)(?:\d{1,2}(?:\.\d{1,2})*\s*[.:]?\s*)?(muc tieu|nhiem vu|hoat dong)\s*\d{1,2}\s*[.:]")
_KIND = {"muc tieu": "objective", "nhiem vu": "task", "hoat dong": "activity"}
_LONE_NUMBER_RE = re.compile(r"^\d{1,3}(?:\s+\d{1,3})*\.?$")
_SHORT = ("product", "lead", "support", "deadline", "budget")
_TT_RE = re.compile(r"(?:^|\s)S?TT$")
#: a date in a responsible body's cell: "15/12/2025", "Quý IV/2025", "12/2025" (folded text)
_DAY = r"\b\d{1,2}/\d{1,2}/\d{4}\b"
_BODY_DATE_RE = re.compile(_DAY + r"|\b(?:quy|thang)\s+[ivx\d]{1,4}/\d{4}\b")
_META = ("lead", "support", "deadline", "budget")
#: a recurrence, which no body's name holds (folded text)
_RECURRENCE_RE = re.compile(r"\b(?:hang|moi) (?:nam|quy|thang)\b|\bthuong xuyen\b|\bdinh ky\b")
_DAY_RE = re.compile(_DAY)
#: the fault of a budget cell holding no budget word (vocab._BUDGET_WORD_RE)
STRAY_BUDGET = "budget holds no budget wording"
#: the body columns (cues._BODY_ROLES) in the order a row prints them
_NAME_COLUMNS = ("lead", "support", "monitor")
#: a deadline cell that is only the words a date follows ("Trước", "Trước ngày", "Tháng", "Quý";
#: folded text); "Hàng quý" is a whole recurrence
_WAITING_RE = re.compile(r"^(?:(?:truoc|sau|den|tu|trong)(?: ngay| thang)?|thang|quy|ngay|nam)[.,:;]?$")


def row_faults(cells: Mapping[str, str]) -> list[str]:
    """What marks these cells (canonical column -> text) as no real row; ``[]`` when nothing."""
    faults: list[str] = []
    texts = [c for c in ("objective", "task", "activity") if c in cells]
    if texts and not any((cells.get(c) or "").strip() for c in texts):
        faults.append("no Mục tiêu / Nhiệm vụ / Hoạt động text")
    spread = {" ".join((cells.get(c) or "").split()) for c in texts} - {""}
    shorts = [c for c in _SHORT if c in cells]
    if len(spread) == 1 and shorts and not any((cells.get(c) or "").strip() for c in shorts):
        faults.append("one text and no other cell (a group title or a heading read as a row)")
    for col, text in cells.items():
        text = " ".join((text or "").split())
        if not text or col == "row_no":
            continue
        folded = _fold(text)
        heads = [_KIND[m.group(1)] for m in _HEAD_RE.finditer(folded)]
        if col in _SHORT and heads:
            faults.append(f"{col} holds an outline head")
        elif col in _KIND.values() and any(h != col for h in heads) and (len(set(heads)) > 1 or heads[0] != col):
            if not (col == "task" and set(heads) <= {"task", "activity"} and "activity" not in cells):
                faults.append(f"{col} holds another column's outline head")
        if col != "note" and len(text.split()) <= 5 and header_cell_column(text) is not None:
            faults.append(f"{col} holds a header cell")
        if col in ("lead", "support", "monitor") and _BODY_DATE_RE.search(folded):
            faults.append(f"{col} holds a date")  # "Văn phòng HĐND-UBND xã Trước 15/12/2025"
        if col in ("lead", "support", "monitor") and _RECURRENCE_RE.search(folded) \
                and (cells.get("deadline") or "").strip():
            # "Công chức Tư pháp – Hộ tịch Hàng năm" beside a deadline of another text: the row's
            # cells shifted (beside an empty deadline it is the deadline run in on a shared line)
            faults.append(f"{col} holds a recurrence")
        if col == "product" and "deadline" in cells and not (cells.get("deadline") or "").strip() \
                and _DAY_RE.search(text):
            faults.append("product holds the date of an empty deadline")  # "Trang 30/6/2025"
        if col in ("lead", "support", "deadline", "product") and _LONE_NUMBER_RE.match(text):
            faults.append(f"{col} holds a lone number")
        if col == "budget" and re.search(r"[a-z]", folded) and not _BUDGET_WORD_RE.search(folded):
            faults.append(STRAY_BUDGET)  # "ban hành": the rest of a cell beside it
        if col in _META and len(text) > MAX_META_CHARS:
            faults.append(f"{col} runs to {len(text)} characters")
        if col in ("objective", "task", "activity") and text[:1].islower():
            faults.append(f"{col} starts mid-sentence")
        words = text.split()
        if (col in ("objective", "task", "activity") and len(words) >= 2 * MIN_TWICE_WORDS and len(words) % 2 == 0
                and words[:len(words) // 2] == words[len(words) // 2:]):
            faults.append(f"{col} holds one text twice")  # two rows' cells joined
        if _TT_RE.search(text):
            faults.append(f"{col} holds the TT header")
        if col in ("objective", "task", "activity") and _numbered_inside(text, cells.get("row_no") or ""):
            faults.append(f"{col} holds a row's number")  # "... điện tử 10 Cập nhật, đăng tải ..."
    return faults


#: a row number or a group's numeral opening a sentence inside a text cell
_NUMBER_INSIDE_RE = re.compile(r"(?:^|\s)(\d{1,3}|[IVX]{1,4})\.?\s+(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])")


def _numbered_inside(text: str, row_no: str) -> bool:
    """Whether a text cell holds a row's number or a group's numeral opening a sentence, where
    a row's cells end and the next row's begin ("Sử dụng chữ ký số ... 10 Cập nhật, đăng tải",
    "I Xây dựng và phát triển ... 1 Thực hiện"): the row's own number or the next one, or a
    roman numeral; other numbers inside a sentence ("khoản 2 Điều 12") are the text's."""
    own = int(row_no) if row_no.strip().isdigit() else None
    for m in _NUMBER_INSIDE_RE.finditer(text):
        mark = m.group(1)
        before = text[:m.start()].split()
        word = before[-1].strip(",.;:()").lower() if before else ""
        if word in _COUNTED and not (word == "số" and not mark.isdigit()):
            continue  # "Điều 5 Luật", "Quý II Năm", "Khóa XV" (not "Chính quyền số II Công tác")
        if not mark.isdigit() or (own is not None and int(mark) in (own, own + 1)):
            return True
    return False


#: words a number or a roman numeral goes with inside a sentence
_COUNTED = frozenset("""điều khoản điểm chương mục phần số quý khóa khoá lần đoạn năm tháng ngày tuần
    kỳ đợt bước cấp loại nhóm hạng bậc thứ""".split())


def cut_cells(cells: Mapping[str, str]) -> list[str]:
    """What marks a row read from printed lines as cut off from the rest of its cells, which went
    to a row beside it (rows out of step, as where cells centred in their rows interleave): a
    responsible body's name cut short ("Các ban, ngành, đoàn", "Công chức Tư pháp –",
    :func:`normalizers.owners.cut_short`) or the rest of one ("ngành, đoàn thể xã", "pháp – Hộ
    tịch", :func:`normalizers.owners.cut_head`), or a deadline that is only the words a date follows
    ("Trước", "Tháng").  Not a check of OCR'd grids: there a ruling keeps the row, and a name is
    cut by a line OCR lost."""
    faults = []
    for col in _NAME_COLUMNS:
        if any(cut_short(name) for name in (cells.get(col) or "").split(";")):
            faults.append(f"{col} holds a name cut short")
    deadline = " ".join((cells.get("deadline") or "").split())
    if _WAITING_RE.match(_fold(deadline)):
        faults.append("deadline waits for its date")
    return faults + name_rests(cells)


def names_reparted(cells: Mapping[str, str], columns: Sequence[str]) -> dict[str, str]:
    """A row's cells with the bodies' names parted where the plan parts them, when a text dump
    printed neighbouring cells over shared lines and the reader parted them one name off
    ("Hồ sơ rà soát Bộ phận chuyên môn" | "Văn phòng" | "HĐND - UBND xã, bộ phận liên quan"):
    a body cell that opens on the rest of a registered name (:func:`normalizers.owners.cut_head`)
    takes the last words of the cell on its left that make that name whole; where that empties a
    body cell, it takes in turn the body's name that ends the cell on its left ("Bộ phận chuyên
    môn", a name of a known kind opening upper-case, the cell keeping words of its own).
    Other rows come back unchanged."""
    out = dict(cells)
    order = [c for c in columns if c in out]
    for k in range(1, len(order)):
        col, left = order[k], order[k - 1]
        text = out[col] or ""
        if col not in _NAME_COLUMNS or not text or not out[left]:
            continue
        # the cell's first name, as split_owners parts it or up to a ";" ("bộ, công chức xã")
        rest = next((r for r in (_first_names(text)[:1] + [text.split(";")[0]]) if cut_head(r)), None)
        if rest is None:
            continue
        words = out[left].split()
        # the most words that make a registered name: the rest of the cell is the name before
        n = next((n for n in range(min(MAX_HEAD_WORDS, len(words)), 0, -1)
                  if name_rest(" ".join([*words[-n:], rest])) == 0), None)
        if n is None:
            continue
        out[col] = " ".join([*words[-n:], out[col]])
        out[left] = " ".join(words[:-n])
        if out[left] or left not in _NAME_COLUMNS or k < 2:
            continue
        before = (out[order[k - 2]] or "").split()
        for m in range(len(before) - 1, 1, -1):  # the longest name that leaves the cell words
            tail = " ".join(before[-m:])
            if before[-m][:1].isupper() and canonical_owner(tail).kind != "other":
                out[left], out[order[k - 2]] = tail, " ".join(before[:-m])
                break
    return out


#: words of a body's name the cell on its left may have taken
MAX_HEAD_WORDS = 3


def name_rests(cells: Mapping[str, str]) -> list[str]:
    """What marks a row read from a text dump as holding the rest of a body's name whose first
    words went to another cell ("HĐND - UBND xã, bộ phận liên quan" beside "Văn phòng", "ngành,
    đoàn thể xã": :func:`normalizers.owners.cut_head`) -- the cells of the row, or of the rows
    around it, out of step.  Unlike a name cut short, no plan writes a body so."""
    return [f"{col} holds the rest of a name" for col in _NAME_COLUMNS
            if any(map(cut_head, _names(cells.get(col) or "")))]


def _names(text: str) -> set[str]:
    """Where a body cell's names may open: each part between ";", and the first name of each as
    :func:`normalizers.owners.split_owners` parts it ("HĐND - UBND xã" of "HĐND - UBND xã, bộ
    phận liên quan"; not its later parts: it parts "Công chức Văn phòng – Thống kê" too)."""
    parts = [p.strip() for p in text.split(";")]
    return {*parts, *(_first_names(p)[0] for p in parts if _first_names(p))} - {""}


@lru_cache(maxsize=8192)
def _first_names(text: str) -> list[str]:
    """:func:`normalizers.owners.split_owners` of a cell, cached (rows repeat their bodies)."""
    return split_owners(text)


def reads_whole(cells: Mapping[str, str], typed: Sequence[str] = ("lead", "deadline")) -> bool:
    """Whether a row put together from printed lines whose order or words may mislead (counted
    down columns, OCR'd) reads as a row: its ``typed`` cells whole -- every body a known one by its
    whole name, a deadline a date or recurrence and nothing more
    (:func:`extractors.appendix.row_lines._known`) -- and no fault of cells run together
    (:func:`row_faults`)."""
    return all(_known(cells.get(col) or "", col) for col in typed) and not row_faults(cells)


def _names_product(text: str) -> bool:
    """Whether a task cell is a short product name ("Báo cáo", "Văn bản được ban hành")."""
    text = " ".join(text.split())
    return bool(text) and len(text.split()) <= MAX_PRODUCT_WORDS and bool(_PRODUCT_RE.match(_fold(text)))


def table_faults(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> list[str]:
    """What marks a table's rows (cells by canonical column) as no reading of the table."""
    if not rows:
        return []
    faults = []
    # a budget cell is left empty or misread by OCR as often as not: no sign of a table misread
    faulty = sum(bool(set(row_faults(r)) - {STRAY_BUDGET}) for r in rows)
    if faulty > MAX_FAULTY_SHARE * len(rows):
        faults.append(f"{faulty} of {len(rows)} rows hold cells of other rows or columns")
    if not {"lead", "support", "deadline"} & set(columns):
        faults.append("no responsible body or deadline column")
    named = sum(_names_product((r.get("task") or "")) for r in rows)
    if named >= PRODUCT_TASK_SHARE * len(rows):
        faults.append(f"{named} of {len(rows)} task cells name a product (the product column read as the task)")
    for col in ("lead", "deadline"):
        if col in columns:
            filled = sum(bool((r.get(col) or "").strip()) for r in rows) / len(rows)
            if filled < MIN_FILLED:
                faults.append(f"{col} filled in {filled:.0%} of the rows")
    return faults


_LONE_NUMBER_LINE_RE = re.compile(r"^\s*(\d{1,3})[.)]?\s*$")
#: consecutive row numbers printed one after the other that mark a dump printed by columns
COLUMN_RUN = 3


def prints_columns(lines: Sequence[str], start: int = 0) -> bool:
    """Whether a dump prints its table column by column (``pdftotext`` without ``-layout`` of a
    ruled table): from ``start`` on, a run of :data:`COLUMN_RUN` consecutive row numbers each
    alone on its line with nothing but blank lines between them ("1", "", "2", "", "3").  A
    dump printed row by row puts each row's cells between its numbers."""
    run, last = 0, None
    for text in lines[start:]:
        if not text.strip():
            continue
        m = _LONE_NUMBER_LINE_RE.match(text)
        if m is None:
            run, last = 0, None
            continue
        n = int(m.group(1))
        run = run + 1 if last is not None and n == last + 1 else 1
        last = n
        if run >= COLUMN_RUN:
            return True
    return False
