"""Builders for generated input documents: the same plan as DOCX, digital PDF, scanned PDF and
a PDF whose text layer decodes to nonsense.  Nothing binary is committed; everything is made
in a temporary directory from the sample plans in ``tests/resources``.

The plan (:func:`plan_from_sample`) is sample 000's header block and the first rows of its
appendix (as :func:`extractors.appendix.extract_appendix` reads them from the text dump): nine
columns, vertically merged Mục tiêu / Nhiệm vụ cells, roman-numeral group rows.

The PDF is laid out here (reportlab canvas, Liberation Serif, landscape A4): the table header
repeats on every page, a row that does not fit is split at the page break (its continuation
has an empty TT cell), and the text of a merged cell flows through the rows it spans.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import quopri
import random
import re
from dataclasses import dataclass
from pathlib import Path

from office_scan import harsh_scan_pdf, turned_scan_pdf
from unidecode import unidecode

# Debian: fonts-freefont-ttf, or fonts-dejavu-core.  (Liberation 1.x lacks many Vietnamese
# letters, so a font is only used when it covers them all.)
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/freefont/FreeSerif.ttf", "/usr/share/fonts/truetype/freefont/FreeSerifBold.ttf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
)
VIETNAMESE_LETTERS = ("aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
                      "AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬEÈẺẼÉẸÊỀỂỄẾỆIÌỈĨÍỊOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢUÙỦŨÚỤƯỪỬỮỨỰYỲỶỸÝỴĐ")

COLUMNS = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget")
HEADERS = ("TT", "Mục tiêu", "Nhiệm vụ", "Hoạt động", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp",
           "Thời gian hoàn thành", "Kinh phí thực hiện")
MERGED = ("objective", "task")
# Column widths in points (landscape A4 minus 36 pt margins: 770 pt).
WIDTHS = (26, 118, 118, 130, 100, 78, 72, 58, 70)


@dataclass(frozen=True)
class PlanRow:
    group_no: str | None
    group_title: str | None
    cells: dict[str, str]  # canonical column -> text, every column of COLUMNS


@dataclass(frozen=True)
class Plan:
    body: tuple[str, ...]  # paragraphs before the appendix
    appendix_title: str
    rows: tuple[PlanRow, ...]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def plan_from_sample(max_rows: int = 14, body_lines: int = 12) -> Plan:
    """Sample 000's header block (``body_lines`` non-empty lines) plus its first ``max_rows``
    appendix rows.  The one syllable pdftotext split in the sample ("Báo cáo t ự") is joined,
    and row 10, whose product, lead and support the dump prints over shared lines and the
    reader parts one name off, gets the cells the sample prints: the plan is the correct text."""
    from conftest import sample_lines
    from extractors.appendix import extract_appendix

    lines = [line.replace("Báo cáo t ự", "Báo cáo tự") for line in sample_lines("000")]
    (table,) = extract_appendix(lines)
    body = []
    for line in lines[:80]:
        text = _collapse(line)
        if text:
            body.append(text)
        if len(body) >= body_lines:
            break
    rows = tuple(PlanRow(r.group_no, r.group_title,
                         {c: r.cells.get(c, "") for c in COLUMNS} | _ROW_10.get(r.row_no or "", {}))
                 for r in table.rows[:max_rows])
    return Plan(body=tuple(body), appendix_title="PHỤ LỤC: NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", rows=rows)


#: sample 000's row 10 as printed: "Hồ sơ rà soát" | "Bộ phận chuyên môn" | "Văn phòng HĐND - UBND xã,
#: bộ phận liên quan" (the dump's lines "Hồ sơ rà soát Bộ phận" / "chuyên môn Văn phòng" / "HĐND -" ...)
_ROW_10 = {"10": {"product": "Hồ sơ rà soát", "lead": "Bộ phận chuyên môn",
                  "support": "Văn phòng HĐND - UBND xã, bộ phận liên quan"}}


def merged_spans(plan: Plan, col: str) -> list[int]:
    """For every row, how many rows (from it) its merged ``col`` cell spans; 0 for rows covered
    by a span that started above.  Spans never cross a group boundary."""
    spans = [0] * len(plan.rows)
    i = 0
    while i < len(plan.rows):
        j = i + 1
        while (j < len(plan.rows) and plan.rows[j].group_no == plan.rows[i].group_no
               and plan.rows[j].cells[col] == plan.rows[i].cells[col] and plan.rows[i].cells[col]):
            j += 1
        spans[i] = j - i
        i = j
    return spans


def build_xlsx(plan: Plan, path: Path) -> Path:
    """The plan's appendix as an Excel workbook, as communes keep one: the title merged across
    the columns above the table, the header row, group rows merged across the columns after TT,
    Mục tiêu / Nhiệm vụ merged down their rows, row numbers as numbers, a hidden helper column
    (a lookup key) and a note and a date under the table."""
    import datetime

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PL"
    ncols = len(COLUMNS) + 1  # the last one hidden
    ws.cell(row=1, column=1, value="PHỤ LỤC")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.cell(row=2, column=1, value=plan.appendix_title)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    for c, label in enumerate(HEADERS, start=1):
        ws.cell(row=4, column=c, value=label)
    ws.cell(row=4, column=ncols, value="Mã tra cứu")
    ws.column_dimensions[openpyxl.utils.get_column_letter(ncols)].hidden = True
    spans = {col: merged_spans(plan, col) for col in MERGED}
    r = 5
    group = None
    for i, row in enumerate(plan.rows):
        if row.group_no != group:
            group = row.group_no
            ws.cell(row=r, column=1, value=row.group_no)
            ws.cell(row=r, column=2, value=row.group_title)
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=len(COLUMNS))
            r += 1
        for c, col in enumerate(COLUMNS, start=1):
            text = row.cells[col]
            if col in MERGED and spans[col][i] == 0:
                continue
            value = int(text) if col == "row_no" and text.isdigit() else (text or None)
            ws.cell(row=r, column=c, value=value)
            if col in MERGED and spans[col][i] > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + spans[col][i] - 1, end_column=c)
        ws.cell(row=r, column=ncols, value=f"K{i:03d}")
        r += 1
    ws.cell(row=r + 1, column=2, value="Ghi chú: kinh phí theo dự toán được giao.")
    ws.cell(row=r + 2, column=2, value=datetime.date(2025, 1, 15))
    wb.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


def build_docx(plan: Plan, path: Path) -> Path:
    """The plan as a Word document: body paragraphs, then the appendix table with a repeating
    header row (``w:tblHeader``), group rows merged across the columns after TT (gridSpan),
    Mục tiêu / Nhiệm vụ merged vertically (vMerge), in the PDF's page geometry and column
    widths: the table runs over several pages (:func:`docx_table_pages`)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    # The PDF's page geometry (landscape A4, 36 pt margins), so the table runs over as many
    # pages in Word as in the PDF.
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Pt(MARGIN)
    for text in plan.body:
        d.add_paragraph(text)
    d.add_paragraph("")
    d.add_paragraph(plan.appendix_title)
    groups: list[tuple[str, str]] = []
    for r in plan.rows:
        if r.group_no and (not groups or groups[-1][0] != r.group_no):
            groups.append((r.group_no, r.group_title or ""))
    n_rows = 1 + len(plan.rows) + len(groups)
    table = d.add_table(rows=n_rows, cols=len(COLUMNS))
    table.style = "Table Grid"
    hdr = table.rows[0]
    trpr = hdr._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    for c, label in enumerate(HEADERS):
        hdr.cells[c].text = label
    spans = {col: merged_spans(plan, col) for col in MERGED}
    k = 1
    cur_group = None
    span_start: dict[str, int] = {}
    for i, r in enumerate(plan.rows):
        if r.group_no != cur_group:
            cur_group = r.group_no
            row = table.rows[k]
            row.cells[0].text = r.group_no or ""
            merged = row.cells[1].merge(row.cells[len(COLUMNS) - 1])
            merged.text = r.group_title or ""
            k += 1
        row = table.rows[k]
        for c, col in enumerate(COLUMNS):
            if col in MERGED:
                if spans[col][i] >= 1:
                    span_start[col] = k
                    row.cells[c].text = r.cells[col]
                    if spans[col][i] > 1:
                        # merged below, once the later rows exist (all rows exist already)
                        pass
                continue
            row.cells[c].text = r.cells[col]
        k += 1
    # Vertical merges: python-docx's merge() writes vMerge restart/continue.
    k = 1
    cur_group = None
    for i, r in enumerate(plan.rows):
        if r.group_no != cur_group:
            cur_group = r.group_no
            k += 1
        for col in MERGED:
            n = spans[col][i]
            if n > 1:
                c = COLUMNS.index(col)
                a = table.cell(k, c)
                text = a.text
                merged = a.merge(table.cell(k + n - 1, c))
                # merge() concatenates the paragraphs of the merged cells; keep one copy.
                for p in list(merged.paragraphs)[1:]:
                    p._p.getparent().remove(p._p)
                merged.paragraphs[0].text = text
        k += 1
    # Fixed column widths (the PDF's): tblGrid, and tcW on every cell as Word writes them.
    table.autofit = False
    for col, width in zip(table.columns, WIDTHS):
        col.width = Pt(width)
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Pt(WIDTHS[c])
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(FONT_SIZE)
    d.add_paragraph("")
    d.add_paragraph("Kế hoạch này thay thế các văn bản trước đây.")
    d.save(str(path))
    return path


#: typed labels that Word's automatic numbering draws instead (:func:`auto_numbered`): pattern,
#: list, level
_TYPED_LABELS = (
    (re.compile(r"^([IVX]+)\.\s+"), "outline", 0), (re.compile(r"^(\d+)\.(\d+)\.\s+"), "outline", 2),
    (re.compile(r"^(\d+)\.\s+"), "outline", 1), (re.compile(r"^([a-zđ])\)\s+"), "outline", 3),
    (re.compile(r"^-\s+"), "bullets", 0), (re.compile(r"^\+\s+"), "bullets", 1),
)
#: the lists of :func:`auto_numbered`: levels as (numFmt, lvlText)
_AUTO_LISTS = {
    "outline": (("upperRoman", "%1."), ("decimal", "%2."), ("decimal", "%2.%3."), ("lowerLetter", "%4)")),
    "bullets": (("bullet", "\uf0b7"), ("bullet", "o")),  # a Symbol-font dot and a Courier "o", as Word writes them
    "numbers": (("decimal", "%1"),),  # the TT column
    "groups": (("upperRoman", "%1"),),  # group rows' numerals in the TT column
}


def auto_numbered(src: Path, out: Path) -> Path:
    """The DOCX ``src`` with its typed numbers drawn by Word's automatic numbering instead, as
    plans typed in Word often have them: paragraphs opening on "I. ", "1. ", "1.1. ", "a) ", "- ",
    "+ " lose those characters and are put on an outline or bullet list at that level; table
    cells holding only a row number or a group's Roman numeral become an empty paragraph of a
    numbered list (a new list instance, started at its number, where the numbers do not run
    on).  Word shows the same text."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document(str(src))
    numbering = d.part.numbering_part.element
    ids = {}
    for k, (name, levels) in enumerate(_AUTO_LISTS.items(), start=90):
        lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                       f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
        numbering.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="{k}">{lvls}</w:abstractNum>'))
        ids[name] = k
    next_num = [900]

    def new_num(name: str, start: int | None = None) -> str:
        next_num[0] += 1
        over = f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>' if start else ""
        numbering.append(parse_xml(f'<w:num {w} w:numId="{next_num[0]}"><w:abstractNumId w:val="{ids[name]}"/>'
                                   f"{over}</w:num>"))
        return str(next_num[0])

    nums = {name: new_num(name) for name in ("outline", "bullets", "groups")}

    def put(p, num_id: str, level: int) -> None:
        ppr = p._p.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))

    def strip(p, n: int) -> None:
        for run in p.runs:
            cut = min(n, len(run.text))
            run.text = run.text[cut:]
            n -= cut
            if not n:
                break

    for p in d.paragraphs:
        for rx, name, level in _TYPED_LABELS:
            m = rx.match(p.text)
            if m:
                strip(p, m.end())
                put(p, nums[name], level)
                break
    last = None
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells[:1]:
                text = cell.text.strip()
                if text.isdigit():
                    n = int(text)
                    if last is None or n != last + 1:
                        nums["numbers"] = new_num("numbers", start=n)
                    last = n
                    cell.paragraphs[0].text = ""
                    put(cell.paragraphs[0], nums["numbers"], 0)
                elif text and re.fullmatch(r"[IVX]+", text):
                    cell.paragraphs[0].text = ""
                    put(cell.paragraphs[0], nums["groups"], 0)
    d.save(str(out))
    return out


def docx_table_pages(path: Path) -> float:
    """How many pages the first table of a DOCX fills, estimated from its markup: every row as
    tall as its fullest cell (the cell's text wrapped at the cell's ``tcW`` width in the
    fixture font, ``LEADING`` per line plus padding), over the section's usable page height.
    A cell continuing a vertical merge adds no lines of its own."""
    import docx
    from docx.oxml.ns import qn

    font, _ = _fonts()
    d = docx.Document(str(path))
    sec = d.sections[0]
    usable = (sec.page_height - sec.top_margin - sec.bottom_margin) / 12700  # EMU -> points
    tbl = d.tables[0]._tbl
    total = 0.0
    for tr in tbl.findall(qn("w:tr")):
        tallest = 1
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            vm = pr.find(qn("w:vMerge")) if pr is not None else None
            if vm is not None and vm.get(qn("w:val")) in (None, "continue"):
                continue
            tcw = pr.find(qn("w:tcW")) if pr is not None else None
            width = int(tcw.get(qn("w:w"))) / 20 if tcw is not None else 72.0  # twips -> points
            text = " ".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.findall(qn("w:p")))
            tallest = max(tallest, len(_wrap(text, font, width - 2 * PAD)) or 1)
        total += tallest * LEADING + 2 * PAD
    return total / usable


# ---------------------------------------------------------------------------------------------
# Text dump (tab layout, as Word's "save as text" writes a table)
# ---------------------------------------------------------------------------------------------


def build_text_dump(plan: Plan) -> str:
    out = list(plan.body) + ["", plan.appendix_title, "", "\t".join(HEADERS)]
    cur = None
    for r in plan.rows:
        if r.group_no != cur:
            cur = r.group_no
            out.append("\t".join([r.group_no or "", r.group_title or ""] + [""] * (len(COLUMNS) - 2)))
        out.append("\t".join(r.cells[c] for c in COLUMNS))
    out += ["", "Kế hoạch này thay thế các văn bản trước đây."]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

PAGE_W, PAGE_H = 842.0, 595.0  # landscape A4, points
MARGIN = 36.0
FONT_SIZE = 9.0
LEADING = 11.0
PAD = 3.0


def _fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold in FONT_CANDIDATES:
        if Path(regular).exists() and Path(bold).exists():
            faces = [TTFont("probe", f).face.charToGlyph for f in (regular, bold)]
            if any(ord(ch) not in face for face in faces for ch in VIETNAMESE_LETTERS):
                continue
            if "PlanSerif" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("PlanSerif", regular))
                pdfmetrics.registerFont(TTFont("PlanSerif-Bold", bold))
            return "PlanSerif", "PlanSerif-Bold"
    raise RuntimeError("no Vietnamese-capable TTF font found: apt-get install fonts-freefont-ttf")


def _wrap(text: str, font: str, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    cur = ""
    for word in text.split():
        cand = f"{cur} {word}" if cur else word
        if stringWidth(cand, font, FONT_SIZE) <= width or not cur:
            cur = cand
        else:
            out.append(cur)
            cur = word
    if cur:
        out.append(cur)
    return out


@dataclass
class _Band:
    """One table row as laid out: lines per column; ``cont`` marks merged columns whose cell
    continues from the band above (no border between them); ``group`` a group row."""

    lines: list[list[str]]
    cont: set[int]
    group: bool = False
    header: bool = False


def _bands(plan: Plan, font: str, bold: str) -> tuple[_Band, list[_Band]]:
    inner = [w - 2 * PAD for w in WIDTHS]
    header = _Band([_wrap(h, bold, inner[c]) for c, h in enumerate(HEADERS)], set(), header=True)
    spans = {col: merged_spans(plan, col) for col in MERGED}
    bands: list[_Band] = []
    cur = None
    for i, r in enumerate(plan.rows):
        if r.group_no != cur:
            cur = r.group_no
            lines = [[r.group_no or ""]] + [[] for _ in COLUMNS[1:]]
            lines[1] = _wrap(r.group_title or "", bold, sum(inner[1:]) + 2 * PAD * (len(COLUMNS) - 2))
            bands.append(_Band(lines, set(), group=True))
        lines = [[] if col in MERGED else _wrap(r.cells[col], font, inner[c]) for c, col in enumerate(COLUMNS)]
        cont = {COLUMNS.index(col) for col in MERGED if spans[col][i] == 0}
        bands.append(_Band(lines, cont))
    # Flow merged text through the bands of its span: as many lines per band as the band's
    # own height allows, the rest extends the last band.
    row_band = [k for k, b in enumerate(bands) if not b.group]
    for col in MERGED:
        c = COLUMNS.index(col)
        for i, n in enumerate(spans[col]):
            if n < 1:
                continue
            text_lines = _wrap(plan.rows[i].cells[col], font, inner[c])
            ks = row_band[i:i + n]
            for j, k in enumerate(ks):
                if j == len(ks) - 1:
                    take = len(text_lines)
                else:
                    take = max(len(x) for x in bands[k].lines) if any(bands[k].lines) else 1
                bands[k].lines[c] = text_lines[:take]
                text_lines = text_lines[take:]
    return header, bands


def _draw_band(cv, band: _Band, top: float, font: str, bold: str, *, top_rule: bool,
               nlines: int) -> float:
    """Draw ``band`` with ``nlines`` lines from ``top`` (points from the page top); return
    the band bottom."""
    height = nlines * LEADING + 2 * PAD
    bottom = top + height
    xs = [MARGIN]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    y = lambda t: PAGE_H - t  # noqa: E731
    cv.setLineWidth(0.6)
    if band.group:
        cells = [(0, 1), (1, len(COLUMNS))]
    else:
        cells = [(c, c + 1) for c in range(len(COLUMNS))]
    for a, b in cells:
        if top_rule or a not in band.cont:
            cv.line(xs[a], y(top), xs[b], y(top))
        cv.line(xs[a], y(top), xs[a], y(bottom))
    cv.line(xs[-1], y(top), xs[-1], y(bottom))
    fnt = bold if band.header or band.group else font
    cv.setFont(fnt, FONT_SIZE)
    for a, _ in cells:
        for j, text in enumerate(band.lines[a][:nlines]):
            baseline = top + PAD + (j + 1) * LEADING - 2.5
            cv.drawString(xs[a] + PAD, y(baseline), text)
    return bottom


def build_pdf(plan: Plan, path: Path, stats: dict | None = None) -> Path:
    """The plan as a digital PDF (text layer, ruled table, header repeated on every page).
    ``stats`` (if given) receives ``pages`` and ``split_rows`` (rows cut by a page break)."""
    stats = {} if stats is None else stats
    stats.update(pages=1, split_rows=0)
    from reportlab.pdfgen import canvas

    font, bold = _fonts()
    cv = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=0)
    top = MARGIN
    cv.setFont(font, 11)
    for text in plan.body:
        for line in _wrap(text, font, PAGE_W - 2 * MARGIN):
            cv.setFont(font, 11)
            cv.drawString(MARGIN, PAGE_H - (top + 11), line)
            top += 14
    top += 10
    cv.setFont(bold, 11)
    cv.drawString(MARGIN, PAGE_H - (top + 11), plan.appendix_title)
    top += 22
    header, bands = _bands(plan, font, bold)
    limit = PAGE_H - MARGIN

    def start_table(top: float) -> float:
        n = max(len(x) for x in header.lines)
        return _draw_band(cv, header, top, font, bold, top_rule=True, nlines=n)

    top = start_table(top)
    queue = list(bands)
    first_on_page = True
    while queue:
        band = queue.pop(0)
        need = max(max(len(x) for x in band.lines), 1)
        room = int((limit - top - 2 * PAD) // LEADING)
        if need <= room:
            top = _draw_band(cv, band, top, font, bold, top_rule=first_on_page, nlines=need)
            first_on_page = False
            continue
        if room >= 2 and not band.group:
            # Split the row at the page break; the rest continues on the next page with an
            # empty TT cell (merged columns continue their flow).
            head = _Band([x[:room] for x in band.lines], band.cont)
            rest = _Band([x[room:] for x in band.lines], set(range(len(COLUMNS))) - {0})
            rest.lines[0] = []
            bottom = _draw_band(cv, head, top, font, bold, top_rule=first_on_page, nlines=room)
            queue.insert(0, rest)
            stats["split_rows"] += 1
        else:
            bottom = top
            queue.insert(0, band)
        cv.line(MARGIN, PAGE_H - bottom, MARGIN + sum(WIDTHS), PAGE_H - bottom)
        cv.showPage()
        stats["pages"] += 1
        top = start_table(MARGIN)
        first_on_page = True
    cv.line(MARGIN, PAGE_H - top, MARGIN + sum(WIDTHS), PAGE_H - top)
    cv.setFont(font, 11)
    if top + 30 < limit:
        cv.drawString(MARGIN, PAGE_H - (top + 25), "Kế hoạch này thay thế các văn bản trước đây.")
    cv.showPage()
    cv.save()
    return path


def scramble_text_layer(pdf: bytes, seed: int = 7) -> bytes:
    """Permute the targets of every ToUnicode CMap: the page looks the same, the extracted
    text is nonsense (as with legacy fonts whose glyphs carry the wrong code points)."""
    rng = random.Random(seed)

    def fix(m: re.Match[bytes]) -> bytes:
        body = m.group(0)
        targets = re.findall(rb"<([0-9A-Fa-f]{2,4})>\s*<([0-9A-Fa-f]{4,})>", body)
        dsts = [d for _, d in targets]
        shuffled = dsts[:]
        rng.shuffle(shuffled)
        it = iter(shuffled)
        return re.sub(rb"(<[0-9A-Fa-f]{2,4}>\s*)<[0-9A-Fa-f]{4,}>", lambda mm: mm.group(1) + b"<" + next(it) + b">", body)

    out, n = re.subn(rb"beginbfchar.*?endbfchar", fix, pdf, flags=re.S)
    if not n:
        raise RuntimeError("no ToUnicode CMap with bfchar entries found to scramble")
    return out


def strip_tounicode(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode map made unknown (the key renamed, same length): the
    embedded subset fonts keep their glyphs, pdfminer reads ``(cid:N)`` for every letter that is
    not plain ASCII -- as with real fonts embedded without a Unicode map."""
    out = pdf.replace(b"/ToUnicode", b"/ToUnicodX")
    if out == pdf:
        raise RuntimeError("no ToUnicode map to strip")
    return out


def shift_tounicode(pdf: bytes, shift: int, *, glyph_ids: bool = False) -> bytes:
    """Every target of every ToUnicode map moved by ``shift`` code points (a constant offset, as
    a generator that writes glyph ids for code points makes them: ``-29`` turns "S" into "6").
    With ``glyph_ids`` only plain ASCII moves by ``shift``; every other letter lands on an
    unrelated code point (Cyrillic), as in real glyph-id fonts (``6Ӣ CÔNG 7+ѬѪ1*``): no
    constant decodes that."""
    def move(m: re.Match[bytes]) -> bytes:
        cp = int(m.group(2), 16)
        if cp == 0:
            return m.group(0)
        new = cp + shift if (cp < 0x80 or not glyph_ids) else 0x0400 + (cp * 7) % 0xF0
        return m.group(1) + b"<" + f"{new:04X}".encode() + b">"

    def fix(m: re.Match[bytes]) -> bytes:
        return re.sub(rb"(<[0-9A-Fa-f]{2,4}>\s*)<([0-9A-Fa-f]{4})>", move, m.group(0))

    out, n = re.subn(rb"beginbfchar.*?endbfchar", fix, pdf, flags=re.S)
    if not n:
        raise RuntimeError("no ToUnicode CMap with bfchar entries found to shift")
    return out


def ocr_layer_scan(scan: Path, out: Path, *, lang: str = "eng", dpi: int = 200) -> Path:
    """``scan`` (an image-only PDF) made searchable: an invisible text layer read by tesseract's
    ``lang`` model over each page image, as scanner software or OCRmyPDF adds one (tesseract's
    own ``pdf`` output of the page images)."""
    import subprocess
    import tempfile

    from pdf2image import convert_from_path

    with tempfile.TemporaryDirectory() as tmp:
        names = []
        for k, img in enumerate(convert_from_path(str(scan), dpi=dpi, grayscale=True), start=1):
            name = Path(tmp) / f"p{k}.png"
            img.save(name, dpi=(dpi, dpi))
            names.append(str(name))
        listing = Path(tmp) / "pages.txt"
        listing.write_text("\n".join(names) + "\n")
        base = Path(tmp) / "out"
        subprocess.run(["tesseract", str(listing), str(base), "-l", lang, "pdf"], check=True,
                       capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        out.write_bytes(base.with_suffix(".pdf").read_bytes())
    return out


def layer_under_image(searchable: Path, out: Path) -> Path:
    """``searchable`` (a scan with an invisible OCR layer, :func:`ocr_layer_scan`) with its
    words drawn in plain ink first and the page image over them, as some scanner software
    makes a scan searchable: the text is there but hidden under the picture."""
    import re

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    for src in PdfReader(str(searchable)).pages:
        page = writer.add_page(src)
        data = page.get_contents().get_data()
        images = re.findall(rb"q [^Q]*?Do Q\n?", data)
        assert images, "no image drawn on the page"
        for im in images:
            data = data.replace(im, b"")
        data = data.replace(b"3 Tr", b"0 Tr") + b"\n" + b"\n".join(im.strip() for im in images) + b"\n"
        stream = StreamObject()
        stream.set_data(data)
        page[NameObject("/Contents")] = writer._add_object(stream)
    with out.open("wb") as fh:
        writer.write(fh)
    return out


def paste_page_as_image(pdf: Path, number: int, out: Path, *, dpi: int = 300, scale: float = 0.86) -> Path:
    """``pdf`` with page ``number`` replaced by a picture of it (rendered at ``dpi``, drawn at
    ``scale`` of its size) under a line of real text: a scanned table pasted into a digital PDF."""
    from pdf2image import convert_from_path
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    (img,) = convert_from_path(str(pdf), dpi=dpi, first_page=number, last_page=number, grayscale=True)
    font, _ = _fonts()
    buf = io.BytesIO()
    cv = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    cv.setFont(font, 11)
    cv.drawString(MARGIN, PAGE_H - 24, "Phụ lục kèm theo Kế hoạch số 83/KH-UBND của Ủy ban nhân dân xã (tiếp theo)")
    w, h = PAGE_W * scale, PAGE_H * scale
    cv.drawImage(ImageReader(img), (PAGE_W - w) / 2, PAGE_H - 32 - h, width=w, height=h)
    cv.showPage()
    cv.save()
    writer = PdfWriter()
    original = PdfReader(str(pdf))
    picture = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
    for k, page in enumerate(original.pages, start=1):
        writer.add_page(picture if k == number else page)
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def rasterize_pdf(pdf: Path, out: Path, *, dpi: int = 200, angle: float = 1.0, noise: float = 8.0,
                  seed: int = 3) -> Path:
    """An image-only "scan" of ``pdf``: grey, slightly rotated, with mild noise."""
    import numpy as np
    from pdf2image import convert_from_path
    from PIL import Image

    rng = np.random.default_rng(seed)
    images = []
    for img in convert_from_path(str(pdf), dpi=dpi, grayscale=True):
        rot = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
        arr = np.asarray(rot, dtype=np.float32)
        arr = arr + rng.normal(0.0, noise, arr.shape)
        arr = np.clip(arr * 0.92 + 12, 0, 255).astype(np.uint8)  # a little grey paper
        images.append(Image.fromarray(arr, mode="L"))
    images[0].save(str(out), "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return out


# ---------------------------------------------------------------------------------------------
# OCR cache: tesseract results keyed by image hash (so the suite stays fast)
# ---------------------------------------------------------------------------------------------


def ocr_cache_dir() -> Path:
    base = os.environ.get("KEHOACH_TEST_OCR_CACHE") or str(Path.home() / ".cache" / "kehoach-test-ocr")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def install_ocr_cache(monkeypatch) -> None:
    """Wrap the OCR engine calls of :mod:`extractors.pdf_ocr` with a disk cache keyed by the
    SHA-256 of the image bytes and the call arguments (real tesseract on a miss)."""
    import extractors.pdf_ocr as ocr

    cache = ocr_cache_dir()
    real_data, real_osd = ocr.run_tesseract_data, ocr.run_tesseract_osd

    def key(image, *args) -> str:
        h = hashlib.sha256()
        h.update(image.tobytes())
        h.update(repr((image.size, image.mode, args)).encode())
        return h.hexdigest()

    def cached(fn, kind):
        def wrapper(image, *args):
            f = cache / f"{kind}-{key(image, *args)}.json"
            if f.exists():
                return json.loads(f.read_text(encoding="utf-8"))
            result = fn(image, *args)
            tmp = f.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
            tmp.replace(f)
            return result
        return wrapper

    # "data2": the results hold the readings tesseract weighed per letter ("choices")
    monkeypatch.setattr(ocr, "run_tesseract_data", cached(real_data, "data2"))
    monkeypatch.setattr(ocr, "run_tesseract_osd", cached(real_osd, "osd"))


def pdf_bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


# ---------------------------------------------------------------------------------------------
# Comparing appendix rows across formats
# ---------------------------------------------------------------------------------------------

COMPARED = ("row_no", "objective", "task", "product", "lead", "support", "deadline")


def row_cells(rows, columns=COMPARED) -> list[str]:
    """The compared cells of appendix rows (AppendixRow or PlanRow), whitespace-normalized."""
    return [_collapse(r.cells.get(c, "")) for r in rows for c in columns]


def cell_agreement(rows, expected) -> float:
    """Share of compared cells that are equal (rows paired in order; missing rows count as wrong)."""
    got, want = row_cells(rows), row_cells(expected)
    n = max(len(got), len(want))
    return sum(a == b for a, b in zip(got, want)) / n if n else 1.0


def char_error_rate(rows, expected) -> float:
    """Levenshtein distance between all compared cells joined, over the expected length."""
    from rapidfuzz.distance import Levenshtein

    got, want = "\n".join(row_cells(rows)), "\n".join(row_cells(expected))
    return Levenshtein.distance(got, want) / max(1, len(want))


def respelled_plan(plan: Plan, fn) -> Plan:
    """``plan`` with ``fn`` (text -> text) applied to every text of it."""
    def each(text):
        return text if text is None else fn(text)

    return Plan(body=tuple(each(t) for t in plan.body), appendix_title=each(plan.appendix_title),
                rows=tuple(PlanRow(r.group_no, each(r.group_title), {k: each(v) for k, v in r.cells.items()})
                           for r in plan.rows))


def lookalike_plan(plan: Plan) -> Plan:
    """``plan`` with every "Đ" / "đ" written as the Icelandic eth "Ð" / "ð" (U+00D0, U+00F0)."""
    return respelled_plan(plan, lambda t: t.replace("Đ", "\u00d0").replace("đ", "\u00f0"))


def invisible_plan(plan: Plan, seed: int = 5) -> Plan:
    """``plan`` with an invisible format character inside one word of letters in four: a soft
    hyphen (Word's optional hyphen), a zero-width space or non-joiner (text from web pages)."""
    rng = random.Random(seed)

    def hide(text: str) -> str:
        words = text.split(" ")
        for k, w in enumerate(words):
            if len(w) >= 3 and w.isalpha() and rng.random() < 0.25:
                at = rng.randrange(1, len(w))
                words[k] = w[:at] + rng.choice(("\u00ad", "\u200b", "\u200c")) + w[at:]
        return " ".join(words)

    return respelled_plan(plan, hide)


def word_tabs(docx_path: Path, out: Path) -> Path:
    """The DOCX as Word's plain-text export writes it: a paragraph per line, a table row per
    line with its cells between tabs -- a cell merged across columns printed once, the cells a
    merged-down cell covers printed empty -- and a cell's paragraphs joined by a space."""
    from docx import Document as DocxDocument
    from docx.oxml.ns import qn

    def text(el) -> str:
        paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in el.iter(qn("w:p"))]
        return " ".join(p.strip() for p in paras if p.strip())

    lines: list[str] = []
    for el in DocxDocument(str(docx_path)).element.body:
        if el.tag == qn("w:p"):
            lines.append(text(el))
        elif el.tag == qn("w:tbl"):
            for tr in el.iter(qn("w:tr")):
                cells = []
                for tc in tr.iter(qn("w:tc")):
                    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
                    continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
                    cells.append("" if continued else text(tc))
                lines.append("\t".join(cells))
    out.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return out


def write_plan_files(folder: Path) -> dict:
    """Every form of the plan in ``folder``: docx, autonum (the DOCX with Word's automatic
    numbering for its typed numbers: :func:`auto_numbered`), pdf, scan.pdf, broken.pdf, dump.txt, and the
    PDFs whose text layer cannot be trusted: nounicode (fonts without ToUnicode), shifted (code
    points off by a constant), glyphids (glyph ids for code points), englayer (a scan with an
    English-model OCR layer), vielayer (the scan made searchable with a Vietnamese-model OCR layer), pasted (a table page pasted as a picture); turned and turned270 (the
    landscape pages scanned on a portrait glass, content turned 90° and 270°) and harsh (a colour
    office scan with stamps, signatures, show-through, uneven light; tests/office_scan.py);
    docxscan (the PDF's pages scanned into a Word file as pictures: :func:`pictured_docx`);
    rtf and odt (the DOCX saved as RTF and OpenDocument by LibreOffice); html (saved as a web
    page by LibreOffice) and its variants htmldoc, mht and html1258 (:func:`web_page_variants`);
    office (the DOCX exported to PDF by LibreOffice) and its ``pdftotext`` dumps: layout
    (``-layout``), the same stripped of its diacritics (ascii_layout) and plain; ethdocx and
    ethdump (the DOCX and the dump with "Đ" / "đ" written as the look-alike "Ð" / "ð":
    :func:`lookalike_plan`), invisibledocx and invisibledump (soft hyphens and zero-width
    characters inside words: :func:`invisible_plan`); markdown (the DOCX as Markdown, its
    appendix a pipe table); wordtext (the DOCX as Word's plain-text export: :func:`word_tabs`);
    lotext (as LibreOffice's text export: a paragraph per line, an empty line per empty cell);
    pandoc_md, pandoc_gfm, pandoc_plain (converted by pandoc: :data:`PANDOC_FORMATS`)."""
    plan = plan_from_sample()
    stats: dict = {}
    files = {"plan": plan, "stats": stats}
    files["docx"] = build_docx(plan, folder / "plan.docx")
    files["autonum"] = auto_numbered(files["docx"], folder / "autonum.docx")
    files["pdf"] = build_pdf(plan, folder / "plan.pdf", stats)
    files["scan"] = rasterize_pdf(files["pdf"], folder / "scan.pdf")
    broken = folder / "broken.pdf"
    broken.write_bytes(scramble_text_layer(files["pdf"].read_bytes()))
    files["broken"] = broken
    dump = folder / "dump.txt"
    dump.write_text(build_text_dump(plan), encoding="utf-8")
    files["dump"] = dump
    # "Đ" / "đ" written as their look-alikes, the Icelandic eth (a Windows-1258 file read as
    # Windows-1252, a font's wrong map): the DOCX and the dump
    # the DOCX as Markdown (``kehoach text -f md``, as pandoc or docling would write it): the
    # appendix a pipe table whose merged cells are printed once
    from pipeline.config import Config
    from pipeline.text_export import export_text

    files["markdown"] = folder / "plan.md"
    files["markdown"].write_text(export_text(files["docx"], "md", Config(workers=1)).text, encoding="utf-8")
    files["wordtext"] = word_tabs(files["docx"], folder / "wordtext.txt")
    files["lotext"] = office_saved(files["docx"], folder / "lotext.txt", "txt:Text (encoded):UTF8")
    for name, (to, suffix) in PANDOC_FORMATS.items():
        files[name] = pandoc_export(files["docx"], folder / f"{name}{suffix}", to)
    for name, respelled in (("eth", lookalike_plan(plan)), ("invisible", invisible_plan(plan))):
        files[f"{name}docx"] = build_docx(respelled, folder / f"{name}.docx")
        files[f"{name}dump"] = folder / f"{name}.txt"
        files[f"{name}dump"].write_text(build_text_dump(respelled), encoding="utf-8")
    digital = files["pdf"].read_bytes()
    for name, data in (("nounicode", strip_tounicode(digital)), ("shifted", shift_tounicode(digital, -29)),
                       ("glyphids", shift_tounicode(digital, -29, glyph_ids=True))):
        (folder / f"{name}.pdf").write_bytes(data)
        files[name] = folder / f"{name}.pdf"
    files["englayer"] = ocr_layer_scan(files["scan"], folder / "englayer.pdf")
    files["vielayer"] = ocr_layer_scan(files["scan"], folder / "vielayer.pdf", lang="vie")
    files["pasted"] = paste_page_as_image(files["pdf"], 2, folder / "pasted.pdf")
    files["turned"] = turned_scan_pdf(files["pdf"], folder / "turned.pdf", seed=3, sideways=90)
    files["turned270"] = turned_scan_pdf(files["pdf"], folder / "turned270.pdf", seed=3, sideways=270)
    files["harsh"] = harsh_scan_pdf(files["pdf"], folder / "harsh.pdf", seed=3)
    files["office"] = office_pdf(files["docx"], folder / "office.pdf")
    files["rtf"] = office_saved(files["docx"], folder / "plan.rtf", "rtf")
    files["odt"] = office_saved(files["docx"], folder / "plan.odt", "odt")
    files["docxscan"] = pictured_docx(files["pdf"], folder / "scanned-pages.docx")
    files["html"] = office_saved(files["docx"], folder / "plan.html", "html")
    web_page_variants(files["html"], folder, files)
    files["layout"] = pdftotext_dump(files["office"], folder / "layout.txt", layout=True)
    files["plain"] = pdftotext_dump(files["office"], folder / "plain.txt", layout=False)
    files["ascii_layout"] = folder / "ascii_layout.txt"
    files["ascii_layout"].write_text(unidecode(files["layout"].read_text(encoding="utf-8")), encoding="utf-8")
    return files


def office_pdf(docx: Path, out: Path) -> Path:
    """The DOCX converted to PDF by LibreOffice, as a plan's digital PDF usually is made (an
    office suite's export), unlike the reportlab fixture PDF."""
    return office_saved(docx, out, "pdf")


def pictures_docx(out: Path, body: list[str], pictures: list, *, landscape: bool = True,
                  margin: float = MARGIN / 2) -> Path:
    """A Word file: ``body`` typed, then each picture (PIL image, printed width in inches,
    height in inches or None) in a paragraph of its own, a page break between them."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Inches, Pt

    d = docx.Document()
    sec = d.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Pt(margin)
    for text in body:
        d.add_paragraph(text)
    for k, (img, width, height) in enumerate(pictures):
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        buf.seek(0)
        d.add_paragraph().add_run().add_picture(buf, width=Inches(width), height=Inches(height) if height else None)
        if k < len(pictures) - 1:
            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.save(str(out))
    return out


def pictured_docx(pdf: Path, out: Path, *, dpi: int = 200) -> Path:
    """A Word file of ``pdf``'s pages scanned (grey, at ``dpi``) and pasted in as pictures at
    their printed size: a scanned plan sent as a .docx."""
    from pdf2image import convert_from_path

    images = convert_from_path(str(pdf), dpi=dpi, grayscale=True)
    return pictures_docx(out, [], [(img, img.width / dpi, None) for img in images], margin=0)


def web_page_variants(html: Path, folder: Path, files: dict) -> None:
    """The web page ``html`` as portals and Word hand it out, added to ``files``: htmldoc (the
    same bytes named ``.doc``), mht (a MIME web archive, the page quoted-printable, as Word's
    "Single File Web Page"), html1258 (the page in Windows-1258, tone marks as combining
    characters, its meta charset saying so)."""
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    from conftest import encode_cp1258

    data = html.read_bytes()
    files["htmldoc"] = folder / "web-page.doc"
    files["htmldoc"].write_bytes(data)
    page = MIMEText(data.decode("utf-8"), "html", "utf-8")
    del page["Content-Transfer-Encoding"]
    page["Content-Transfer-Encoding"] = "quoted-printable"
    page.set_payload(quopri.encodestring(data).decode("ascii"))
    page["Content-Location"] = "file:///C:/Users/vanthu/plan.htm"
    archive = MIMEMultipart("related")
    archive.attach(page)
    files["mht"] = folder / "plan.mht"
    files["mht"].write_bytes(archive.as_bytes())
    text = re.sub(r"charset=utf-8", "charset=windows-1258", data.decode("utf-8"), flags=re.I)
    files["html1258"] = folder / "plan-1258.htm"
    files["html1258"].write_bytes(encode_cp1258(text))


#: fontconfig file naming the only fonts LibreOffice may render the test documents with
FIXTURE_FONTS_CONF = Path(__file__).resolve().parent / "resources" / "fixture-fonts.conf"


def fixture_fonts_env() -> dict[str, str]:
    """The environment for LibreOffice runs that render test documents: the fixture fonts only
    (:data:`FIXTURE_FONTS_CONF`), so the rendered pages, and every dump and scan made from
    them, do not depend on which other fonts the machine has installed."""
    return {**os.environ, "FONTCONFIG_FILE": str(FIXTURE_FONTS_CONF)}


def office_saved(docx: Path, out: Path, fmt: str) -> Path:
    """The DOCX saved by LibreOffice as ``fmt`` (pdf, rtf, odt, html, or a filter such as
    "txt:Text (encoded):UTF8") at ``out``."""
    import subprocess

    from extractors.docx import find_soffice

    exe = find_soffice()
    assert exe, "LibreOffice must be installed for this test (make test installs libreoffice-writer-nogui)"
    folder = out.parent / f"{out.stem}_soffice"
    folder.mkdir(exist_ok=True)
    subprocess.run([exe, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to",
                    fmt, "--outdir", str(folder), str(docx)], check=True, capture_output=True, timeout=300,
                   env=fixture_fonts_env())
    (folder / f"{docx.stem}.{fmt.split(':')[0]}").replace(out)
    return out


#: pandoc's output formats a plan's DOCX is written in, as users convert it: its Markdown (grid
#: tables for cells of several lines, multiline tables for cells of inline text), GitHub's
#: Markdown (raw HTML tables where cells are merged) and plain text (grid and multiline tables)
PANDOC_FORMATS = {"pandoc_md": ("markdown", ".md"), "pandoc_gfm": ("gfm", ".md"), "pandoc_plain": ("plain", ".txt")}


def pandoc_export(docx: Path, out: Path, to: str, columns: int = 72) -> Path:
    """The DOCX converted by pandoc to ``to`` (markdown, gfm, plain) at ``out``, lines wrapped at
    ``columns``."""
    import shutil
    import subprocess

    exe = shutil.which("pandoc")
    assert exe, "pandoc must be installed for this test (make test installs it)"
    subprocess.run([exe, "-t", to, f"--columns={columns}", str(docx), "-o", str(out)], check=True,
                   capture_output=True, timeout=120)
    return out


def pdftotext_dump(pdf: Path, out: Path, *, layout: bool) -> Path:
    """``pdftotext`` of ``pdf`` (``-layout``: columns kept by spaces), as users make dumps."""
    import subprocess

    subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), str(out)], check=True,
                   capture_output=True, timeout=120)
    return out


def extract_file(path: Path, cfg=None):
    """Run the registered extractor for ``path`` as the pipeline does."""
    import hashlib as _h

    from extractors.registry import detect_kind, get_extractor
    from pipeline.config import Config

    cfg = cfg or Config(workers=1)
    data = path.read_bytes()
    fn = get_extractor(detect_kind(path, data[:4096]), str(path))
    return fn(path, cfg, data=data, sha256=_h.sha256(data).hexdigest())
