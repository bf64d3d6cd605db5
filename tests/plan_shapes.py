"""Generated plans whose appendix tables differ in shape, in every input form.

:func:`make_plan` draws, from a seed, a short commune plan ("ỦY BAN NHÂN DÂN XÃ ...",
"Số: 12/KH-UBND", "KẾ HOẠCH Cải cách hành chính năm 2025", a few numbered sections) and its
appendix table: 4-9 columns drawn from roles (:data:`ROLE_HEADERS`, header labels varied),
roman-numeral group rows spanning the table or none, Mục tiêu / Nhiệm vụ cells merged
vertically or repeated on every row, short or long multi-paragraph cells, varied column
widths, a header row repeated on every page or not, the appendix on portrait or landscape
pages, and enough rows for 3+ pages.

The gold (:func:`gold_rows`) is every table row's cells by role, merged cells repeated on each
row they span and ``task`` falling back on the activity / objective, as kehoach writes them.

Forms (:data:`FORMS`, one builder each; :func:`make_form` caches them by plan under
:func:`shapes_cache_dir`): ``docx`` (python-docx, real merges), ``pdf`` (that DOCX converted by
LibreOffice), ``plain`` / ``layout`` (``pdftotext`` / ``pdftotext -layout`` of the PDF),
``ascii`` / ``ascii_layout`` (the plain / layout dump through ``unidecode``), ``ocr_eng`` (the PDF rasterized with light
noise and read by ``tesseract -l eng``: English-model OCR of a scan), ``scan`` (the
rasterized pages as an image-only PDF), ``scan_turned`` (landscape pages scanned as portrait
images, content turned 90° or 270°, now and then a page upside down), ``scan_harsh`` (a
colour office scan: bleed-through, uneven light, red stamps, blue signatures, skew, JPEG) and
``scan_grey`` (the same scan in grey: the inks as dark as their luminance); the last three
from ``tests/office_scan.py``; ``scan_layer`` (the scan made searchable: an invisible layer of
``tesseract -l vie`` over each page, as OCRmyPDF or a scanner's software makes one); ``docx_centered`` / ``pdf_centered`` / ``ocr_eng_centered``, ``layout_centered``,
``plain_centered``: the same with every table cell centred vertically, as Word plans often are (a row's number and short cells
then stand beside the middle line of its tallest cell); ``markdown`` (the DOCX as ``kehoach text -f md``
writes it), ``tabs`` (the DOCX as Word's plain-text export: cells between tabs), ``lotext`` (as
LibreOffice's text export writes it: every paragraph of a cell on a line of its own, row after row)
and ``pandoc_md``, ``pandoc_gfm``, ``pandoc_plain`` (converted by pandoc to Markdown, GitHub's
Markdown and plain text: grid, multiline and HTML tables).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import office_scan

#: every role in table order; ``product`` may also stand after the deadline (see _columns)
ROLE_ORDER = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget",
              "monitor", "note")
ROLE_HEADERS: dict[str, tuple[str, ...]] = {
    "row_no": ("TT", "STT"),
    "objective": ("Mục tiêu",),
    "task": ("Nhiệm vụ", "Nội dung", "Nội dung công việc", "Tên nhiệm vụ"),
    "activity": ("Hoạt động",),
    "product": ("Sản phẩm", "Kết quả đầu ra", "Sản phẩm đầu ra"),
    "lead": ("Cơ quan chủ trì", "Đơn vị chủ trì", "Cơ quan, đơn vị thực hiện", "Chủ trì thực hiện"),
    "support": ("Cơ quan phối hợp", "Đơn vị phối hợp"),
    "deadline": ("Thời gian hoàn thành", "Thời gian thực hiện", "Tiến độ", "Thời hạn hoàn thành"),
    "budget": ("Kinh phí", "Nguồn kinh phí"),
    "note": ("Ghi chú",),
    "monitor": ("Theo dõi, kiểm tra, đôn đốc",),
}
#: relative column widths (drawn around these)
ROLE_WEIGHTS = {"row_no": 0.35, "objective": 1.6, "task": 2.3, "activity": 2.0, "product": 1.4, "lead": 1.2,
                "support": 1.2, "deadline": 0.9, "budget": 0.9, "note": 0.7, "monitor": 1.1}
#: how likely an optional role is drawn (task and lead are always there)
ROLE_ODDS = {"row_no": 0.85, "objective": 0.35, "activity": 0.3, "product": 0.7, "support": 0.7,
             "deadline": 0.9, "budget": 0.35, "note": 0.3, "monitor": 0.12}

FORMS = ("docx", "pdf", "plain", "layout", "ascii", "ascii_layout", "ocr_eng", "scan", "scan_turned", "scan_harsh",
         "scan_grey", "scan_layer", "docx_centered", "pdf_centered", "ocr_eng_centered", "layout_centered", "plain_centered", "markdown", "tabs",
         "lotext", "pandoc_md", "pandoc_gfm", "pandoc_plain")

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
AREAS = (
    "Công tác chỉ đạo, điều hành cải cách hành chính", "Cải cách thể chế", "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước", "Cải cách chế độ công vụ", "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "Công tác thông tin, tuyên truyền",
)
OBJECTIVES = (
    "Nâng cao chất lượng giải quyết thủ tục hành chính cho người dân, tổ chức",
    "Nâng cao hiệu lực, hiệu quả quản lý nhà nước trên địa bàn xã",
    "Xây dựng đội ngũ cán bộ, công chức chuyên nghiệp, trách nhiệm, năng động",
    "Hoàn thiện hệ thống văn bản quy phạm pháp luật của địa phương",
    "Đẩy mạnh ứng dụng công nghệ thông tin trong hoạt động của cơ quan hành chính",
    "Nâng cao mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính",
    "Tăng cường kỷ luật, kỷ cương hành chính",
    "Quản lý, sử dụng ngân sách tiết kiệm, hiệu quả",
)
TASKS = (
    "Xây dựng và ban hành Kế hoạch cải cách hành chính năm 2025",
    "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã",
    "Công khai đầy đủ, kịp thời các thủ tục hành chính tại Bộ phận Một cửa",
    "Tổ chức tiếp nhận, giải quyết hồ sơ thủ tục hành chính đúng hạn",
    "Kiện toàn Bộ phận tiếp nhận và trả kết quả giải quyết thủ tục hành chính",
    "Tuyên truyền, phổ biến các văn bản pháp luật mới ban hành",
    "Kiểm tra việc thực hiện nhiệm vụ cải cách hành chính tại các bộ phận chuyên môn",
    "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND xã ban hành",
    "Thực hiện đánh giá, xếp loại chất lượng cán bộ, công chức",
    "Triển khai thực hiện chế độ tự chủ về tài chính",
    "Duy trì áp dụng hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001:2015",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "Cung cấp dịch vụ công trực tuyến toàn trình",
    "Bồi dưỡng kiến thức, kỹ năng cho cán bộ, công chức",
    "Thực hiện quy chế dân chủ ở cơ sở",
    "Khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính",
    "Quản lý, sử dụng tài sản công đúng quy định",
    "Tổ chức đối thoại với nhân dân về công tác cải cách hành chính",
    "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính",
    "Cập nhật, đăng tải thông tin trên Trang thông tin điện tử của xã",
    "Sử dụng chữ ký số trong gửi, nhận văn bản điện tử",
    "Rà soát, sắp xếp vị trí việc làm của cán bộ, công chức xã",
)
ACTIVITIES = (
    "Xây dựng kế hoạch triển khai", "Tổ chức hội nghị quán triệt", "Ban hành văn bản hướng dẫn",
    "Tổng hợp, báo cáo kết quả thực hiện", "Niêm yết công khai tại trụ sở UBND xã",
    "Tổ chức tập huấn cho cán bộ, công chức", "Kiểm tra, đôn đốc việc thực hiện",
    "Cập nhật dữ liệu lên Hệ thống thông tin giải quyết thủ tục hành chính",
    "Lấy ý kiến của người dân, tổ chức", "Đánh giá, sơ kết rút kinh nghiệm",
    "Phát phiếu khảo sát tại Bộ phận Một cửa", "Đăng tải trên Trang thông tin điện tử của xã",
)
QUALIFIERS = (
    "theo quy định tại Nghị định số 61/2018/NĐ-CP của Chính phủ",
    "đảm bảo công khai, minh bạch, đúng thời gian quy định",
    "theo chỉ đạo của UBND huyện và hướng dẫn của Phòng Nội vụ",
    "gắn với việc thực hiện nhiệm vụ chính trị của địa phương",
    "nhằm nâng cao chất lượng phục vụ người dân, doanh nghiệp",
    "trên cơ sở kết quả rà soát năm trước",
)
BULLETS = (
    "Niêm yết công khai tại Bộ phận Một cửa;", "Đăng tải trên Trang thông tin điện tử của xã;",
    "Thông báo trên hệ thống loa truyền thanh;", "Lồng ghép trong các buổi họp thôn;",
    "Báo cáo UBND huyện theo định kỳ.", "Tổng hợp kết quả, báo cáo Chủ tịch UBND xã.",
)
PRODUCTS = (
    "Kế hoạch", "Báo cáo", "Quyết định", "Kế hoạch được ban hành", "Báo cáo kết quả rà soát",
    "Quyết định công bố danh mục thủ tục hành chính", "Văn bản được ban hành", "Danh sách",
    "Hồ sơ được số hóa", "Báo cáo đánh giá, xếp loại", "Thông báo", "Biên bản kiểm tra",
    "Tin, bài tuyên truyền", "Phiếu khảo sát", "Quy chế làm việc",
)
OWNERS = (
    "UBND xã", "Văn phòng HĐND-UBND xã", "Công chức Tư pháp – Hộ tịch", "Công chức Văn phòng – Thống kê",
    "Công chức Tài chính – Kế toán", "Công chức Địa chính – Xây dựng", "Công chức Văn hóa – Xã hội",
    "Bộ phận Một cửa", "Công an xã", "Ban Chỉ huy Quân sự xã", "Chủ tịch UBND xã",
)
SUPPORTS = (
    "Các bộ phận chuyên môn", "Các công chức chuyên môn", "Các thôn", "UBMTTQ và các đoàn thể",
    "Các ban, ngành, đoàn thể xã", "Văn phòng HĐND-UBND xã", "Công chức Tư pháp – Hộ tịch",
    "Các cơ quan, đơn vị liên quan", "Trưởng các thôn",
)
DEADLINES = ("Năm 2025", "Hàng năm", "Quý II/2024", "Quý I/2025", "Trước 30/6/2025", "Thường xuyên",
             "Tháng 12/2025", "Trước 15/12/2025", "Quý IV/2025", "Hàng quý")
BUDGETS = ("Ngân sách xã", "Trong dự toán được giao", "Theo quy định", "Ngân sách nhà nước",
           "Nguồn kinh phí thường xuyên")
NOTES = ("Thường xuyên cập nhật", "Theo hướng dẫn của cấp trên", "Báo cáo định kỳ")
MONITORS = ("Văn phòng HĐND-UBND xã", "Chủ tịch UBND xã", "Phó Chủ tịch UBND xã")
COMMUNES = ("Vĩnh Lập", "Tân Phú", "Hòa Bình", "An Thịnh", "Quảng Phú", "Đông Sơn", "Lộc Thủy", "Nghĩa Hưng",
            "Thanh Xuân", "Phú Lương")

# Page geometry (points): A4 with 2 cm side margins.
A4_W, A4_H = 595.3, 841.9
MARGIN = 56.7


@dataclass(frozen=True)
class ShapeRow:
    group_no: str | None
    group_title: str | None
    cells: dict[str, str]  # role -> text; paragraphs of a multi-paragraph cell joined by "\n"


@dataclass(frozen=True)
class ShapedPlan:
    seed: int
    roles: tuple[str, ...]  # the table's columns, in order
    headers: tuple[str, ...]
    widths: tuple[float, ...]  # points
    merged: tuple[str, ...]  # roles whose cells are merged vertically over their block
    groups: bool
    repeat_header: bool
    landscape: bool
    font_size: float
    body: tuple[str, ...]
    appendix_title: tuple[str, ...]
    rows: tuple[ShapeRow, ...]
    #: a two-level header: (label, first column, last column) of header cells that span the
    #: columns under them on a second header row ("Cơ quan thực hiện" over "Chủ trì" /
    #: "Phối hợp"); the other columns' header cells span both header rows
    spans: tuple[tuple[str, int, int], ...] = ()

    def describe(self) -> str:
        flags = [f"{len(self.roles)} cols", "landscape" if self.landscape else "portrait",
                 "groups" if self.groups else "no groups", "repeat hdr" if self.repeat_header else "no repeat",
                 f"merged {'+'.join(self.merged) or '-'}", f"{len(self.rows)} rows"]
        flags += [f"'{label}' over {' + '.join(self.headers[a:b + 1])}" for label, a, b in self.spans]
        return f"seed {self.seed}: " + ", ".join(flags) + " | " + " | ".join(self.headers)


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


def _columns(rng: random.Random) -> tuple[str, ...]:
    while True:
        roles = {"task", "lead"} | {r for r, p in ROLE_ODDS.items() if rng.random() < p}
        if 4 <= len(roles) <= 9:
            break
    order = list(ROLE_ORDER)
    if rng.random() < 0.3:  # "... | Cơ quan chủ trì | Phối hợp | Thời gian | Sản phẩm"
        order.remove("product")
        order.insert(order.index("deadline") + 1, "product")
    return tuple(r for r in order if r in roles)


def _text(rng: random.Random, pool: tuple[str, ...], verbosity: float) -> str:
    text = rng.choice(pool)
    if rng.random() < verbosity:
        text += " " + rng.choice(QUALIFIERS)
    if rng.random() < verbosity * 0.5:
        text += ":\n- " + "\n- ".join(rng.sample(BULLETS, rng.randint(2, 3)))
    return text


def _leaf_cells(rng: random.Random, roles, verbosity: float) -> dict[str, str]:
    c = {}
    if "product" in roles and rng.random() > 0.08:
        c["product"] = rng.choice(PRODUCTS)
        if rng.random() < verbosity * 0.4:
            c["product"] += "\n" + rng.choice(PRODUCTS)
    c["lead"] = rng.choice(OWNERS)
    if "support" in roles and rng.random() > 0.12:
        c["support"] = rng.choice([s for s in SUPPORTS if s != c["lead"]])
        if rng.random() < verbosity * 0.5:
            c["support"] += "; " + rng.choice([s for s in SUPPORTS if s not in c["support"]])
    if "deadline" in roles:
        c["deadline"] = rng.choice(DEADLINES)
    if "budget" in roles and rng.random() > 0.25:
        c["budget"] = rng.choice(BUDGETS)
    if "note" in roles and rng.random() < 0.3:
        c["note"] = rng.choice(NOTES)
    if "monitor" in roles:
        c["monitor"] = rng.choice(MONITORS)
    return c


def _lines(text: str, width: float, size: float) -> int:
    per_line = max(4, int((width - 11) / (size * 0.47)))
    return sum(max(1, math.ceil(len(p) / per_line)) for p in text.split("\n"))


def _min_width(texts: list[str], size: float) -> float:
    """Narrowest column in which no word of ``texts`` breaks (cell margins included); row
    numbers up to three digits."""
    longest = max([len(w) for t in texts for w in t.split()] + [3])
    return longest * size * 0.56 + 14


def _fit_widths(widths: list[float], minimum: list[float], total: float) -> tuple[float, ...]:
    """``widths`` raised to their minimum, the others shrunk so that they still sum to ``total``."""
    w = [max(a, m) for a, m in zip(widths, minimum)]
    for _ in range(20):
        excess = sum(w) - total
        free = [k for k in range(len(w)) if w[k] > minimum[k]]
        if excess <= 0.5 or not free:
            break
        room = sum(w[k] - minimum[k] for k in free)
        for k in free:
            w[k] -= min(w[k] - minimum[k], excess * (w[k] - minimum[k]) / room)
    return tuple(round(x, 1) for x in w)


#: two-level headers: a top cell over the owner columns, and the labels under it
SPAN_LABELS = ("Cơ quan thực hiện", "Đơn vị thực hiện", "Cơ quan, đơn vị thực hiện", "Trách nhiệm thực hiện",
               "Phân công thực hiện")
SUB_HEADERS = {"lead": ("Chủ trì", "Cơ quan chủ trì", "Đơn vị chủ trì"),
               "support": ("Phối hợp", "Cơ quan phối hợp", "Đơn vị phối hợp")}
#: a top cell over the time columns: "Thời gian" over "Thời hạn hoàn thành"
TIME_SPAN = ("Thời gian", "Tiến độ thực hiện")
TIME_SUB = ("Hoàn thành", "Thời hạn hoàn thành", "Thời gian hoàn thành")


def make_plan(seed: int, two_level: bool = False) -> ShapedPlan:
    """The plan drawn from ``seed``; ``two_level``: its table has a two-level header (a seed
    draws the same table either way, only its header differs): adjacent lead and support
    columns under one top cell, now and then the deadline column under one of its own."""
    plan = _make_plan(seed)
    return _two_level(plan, random.Random(f"spans-{seed}")) if two_level else plan


def _two_level(plan: ShapedPlan, rng: random.Random) -> ShapedPlan:
    roles, headers = plan.roles, list(plan.headers)
    spans = []
    a = roles.index("lead")
    if a + 1 < len(roles) and roles[a + 1] == "support":
        spans.append((rng.choice(SPAN_LABELS), a, a + 1))
        for k in (a, a + 1):
            headers[k] = rng.choice(SUB_HEADERS[roles[k]])
    if "deadline" in roles and rng.random() < 0.4:
        k = roles.index("deadline")
        spans.append((rng.choice(TIME_SPAN), k, k))
        headers[k] = rng.choice(TIME_SUB)
    return dataclasses.replace(plan, headers=tuple(headers), spans=tuple(sorted(spans, key=lambda s: s[1])))


def _make_plan(seed: int) -> ShapedPlan:
    rng = random.Random(seed)
    roles = _columns(rng)
    headers = tuple(rng.choice(ROLE_HEADERS[r]) for r in roles)
    landscape = rng.random() < 0.45 or len(roles) >= 8
    usable_w = (A4_H if landscape else A4_W) - 2 * MARGIN
    usable_h = (A4_W if landscape else A4_H) - 2 * MARGIN
    raw = [ROLE_WEIGHTS[r] * rng.uniform(0.75, 1.35) for r in roles]
    widths = [usable_w * w / sum(raw) for w in raw]
    font_size = rng.choice((10.0, 11.0) if len(roles) >= 6 and not landscape else (10.0, 11.0, 12.0))
    verbosity = rng.choice((0.0, 0.3, 0.7))
    merged = tuple(r for r in ("objective", "task") if r in roles and rng.random() < 0.75
                   and (r == "objective" or "activity" in roles))
    groups = rng.random() < 0.6
    # Objective blocks (objective -> tasks -> activities) until the table fills 3.3 pages.
    blocks: list[list[dict[str, str]]] = []
    height = 0.0
    obj_pool, task_pool = list(OBJECTIVES), list(TASKS)
    rng.shuffle(obj_pool)
    rng.shuffle(task_pool)
    while height < 3.3 * usable_h or len(blocks) < 3:
        block = []
        objective = _text(rng, (obj_pool[len(blocks) % len(obj_pool)],), verbosity * 0.5)
        for _ in range(rng.randint(1, 3) if "objective" in roles else 1):
            task = task_pool.pop() if task_pool else rng.choice(TASKS) + " năm " + str(rng.randint(2024, 2025))
            if rng.random() < verbosity:
                task += " " + rng.choice(QUALIFIERS)
            if rng.random() < verbosity * 0.4:
                task += ":\n- " + "\n- ".join(rng.sample(BULLETS, 2))
            for _ in range(rng.randint(1, 3) if "activity" in roles else 1):
                cells = {"objective": objective, "task": task}
                if "activity" in roles:
                    cells["activity"] = _text(rng, ACTIVITIES, verbosity * 0.5)
                cells.update(_leaf_cells(rng, roles, verbosity))
                block.append(cells)
                height += max(_lines(cells.get(r, ""), w, font_size) for r, w in zip(roles, widths)) \
                    * font_size * 1.2 + 4
        blocks.append(block)
    words = {r: [h] for r, h in zip(roles, headers)}
    for block in blocks:
        for cells in block:
            for r in roles:
                words[r].append(cells.get(r, ""))
    widths = _fit_widths(widths, [_min_width(words[r], font_size) for r in roles], usable_w)
    n_groups = min(len(blocks), rng.randint(3, 6)) if groups else 1
    cuts = sorted(rng.sample(range(1, len(blocks)), n_groups - 1)) if n_groups > 1 else []
    restart = rng.random() < 0.5
    rows: list[ShapeRow] = []
    number = 0
    for g, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(blocks)])):
        group_no, title = (ROMAN[g], AREAS[(seed + g) % len(AREAS)]) if groups else (None, None)
        if restart:
            number = 0
        for block in blocks[a:b]:
            for cells in block:
                number += 1
                full = {r: cells.get(r, "") for r in roles}
                if "row_no" in roles:
                    full["row_no"] = str(number)
                rows.append(ShapeRow(group_no, title, full))
    commune = rng.choice(COMMUNES)
    body = (
        f"ỦY BAN NHÂN DÂN XÃ {commune.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND", f"{commune}, ngày 15 tháng 01 năm 2025", "KẾ HOẠCH", "Cải cách hành chính năm 2025",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
        "hành chính nhà nước giai đoạn 2021 - 2030;",
        f"Ủy ban nhân dân xã {commune} xây dựng Kế hoạch cải cách hành chính năm 2025 như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
        "Đẩy mạnh cải cách hành chính, nâng cao hiệu lực, hiệu quả hoạt động của chính quyền xã.",
        "2. Yêu cầu", "Các nhiệm vụ phải cụ thể, gắn với trách nhiệm của từng bộ phận, công chức.",
        "II. NHIỆM VỤ TRỌNG TÂM", "(Chi tiết tại Phụ lục kèm theo)",
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Văn phòng HĐND-UBND xã: Theo dõi, đôn đốc, tổng hợp báo cáo kết quả thực hiện Kế hoạch.",
        "2. Các công chức chuyên môn: Căn cứ nhiệm vụ được giao, tổ chức thực hiện có hiệu quả.",
        "Nơi nhận:", "- UBND huyện;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An",
    )
    title = ("PHỤ LỤC", "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025",
             f"(Kèm theo Kế hoạch số 12/KH-UBND ngày 15/01/2025 của UBND xã {commune})")
    return ShapedPlan(seed=seed, roles=roles, headers=headers, widths=widths, merged=merged, groups=groups,
                      repeat_header=rng.random() < 0.6, landscape=landscape, font_size=font_size, body=body,
                      appendix_title=title, rows=tuple(rows))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def gold_rows(plan: ShapedPlan) -> list[dict]:
    """Every table row as kehoach writes it: role -> text (whitespace collapsed, missing roles
    empty), merged cells on every row they span, outline labels split off, missing row numbers
    from the sequence, task falling back on activity/objective; plus group_no and group_title."""
    from table_match import as_written

    cells = [{role: _collapse(r.cells.get(role, "")) for role in ROLE_ORDER} for r in plan.rows]
    out = as_written(cells, [r.group_no for r in plan.rows])
    for d, r in zip(out, plan.rows):
        d["group_no"], d["group_title"] = r.group_no, r.group_title
    return out


def field_roles(plan: ShapedPlan, roles) -> tuple[str, ...]:
    """The roles of ``roles`` the plan's table has a column for (``task`` always: it falls back
    on the activity / objective)."""
    return tuple(r for r in roles if r in plan.roles or r == "task")


def extra_roles(plan: ShapedPlan, compared) -> tuple[str, ...]:
    """The plan's columns that are not compared (note, monitor by default), and the group
    number and title when the table has group rows."""
    groups = ("group_no", "group_title") if plan.groups else ()
    return tuple(r for r in plan.roles if r not in compared) + groups


def _spans(plan: ShapedPlan, role: str) -> list[int]:
    """Rows spanned from each row by its merged ``role`` cell (0 inside a span); spans stop at
    group rows and at a change of text."""
    rows, spans, i = plan.rows, [0] * len(plan.rows), 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and rows[j].group_no == rows[i].group_no and rows[j].cells[role] == rows[i].cells[role]:
            j += 1
        spans[i] = j - i
        i = j
    return spans


# ---------------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------------


def _set_cell(cell, text: str, size: float, *, bold: bool = False, center: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paras = text.split("\n")
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for k, line in enumerate(paras):
        p = first if k == 0 else cell.add_paragraph()
        run = p.add_run(line)
        run.font.size = Pt(size)
        run.bold = bold
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def build_docx(plan: ShapedPlan, path: Path, centered: bool = False) -> Path:
    """The plan as a Word file; ``centered``: every table cell centred vertically."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    sec = d.sections[0]
    sec.page_width, sec.page_height = Pt(A4_W), Pt(A4_H)
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Pt(MARGIN)
    for text in plan.body:
        d.add_paragraph(text)
    if plan.landscape:
        sec = d.add_section(WD_SECTION.NEW_PAGE)
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Pt(A4_H), Pt(A4_W)
    else:
        d.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    for text in plan.appendix_title:
        p = d.add_paragraph()
        p.add_run(text).bold = text.isupper()
        p.alignment = 1
    layout: list[tuple[str, int]] = []
    for i, r in enumerate(plan.rows):
        if plan.groups and (i == 0 or plan.rows[i - 1].group_no != r.group_no):
            layout.append(("group", i))
        layout.append(("row", i))
    n = len(plan.roles)
    head = 2 if plan.spans else 1
    table = d.add_table(rows=head + len(layout), cols=n)
    table.style = "Table Grid"
    table.autofit = False
    size = plan.font_size
    for hdr in table.rows[:head]:
        if plan.repeat_header:
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            hdr._tr.get_or_add_trPr().append(el)
    spanned = {c for _, a, b in plan.spans for c in range(a, b + 1)}
    for c, label in enumerate(plan.headers):
        if head == 1:
            _set_cell(table.cell(0, c), label, size, bold=True, center=True)
        elif c in spanned:
            _set_cell(table.cell(1, c), label, size, bold=True, center=True)
        else:
            _set_cell(table.cell(0, c).merge(table.cell(1, c)), label, size, bold=True, center=True)
    for label, a, b in plan.spans:
        top = table.cell(0, a).merge(table.cell(0, b)) if b > a else table.cell(0, a)
        _set_cell(top, label, size, bold=True, center=True)
    table_row = {}  # plan row index -> table row index
    for k, (kind, i) in enumerate(layout, start=head):
        row, r = table.rows[k], plan.rows[i]
        if kind == "group":
            if plan.roles[0] == "row_no":
                _set_cell(row.cells[0], r.group_no, size, bold=True, center=True)
                merged = row.cells[1].merge(row.cells[n - 1])
                _set_cell(merged, r.group_title, size, bold=True)
            else:
                merged = row.cells[0].merge(row.cells[n - 1])
                _set_cell(merged, f"{r.group_no}. {r.group_title}", size, bold=True)
            continue
        table_row[i] = k
        for c, role in enumerate(plan.roles):
            if role not in plan.merged:
                _set_cell(row.cells[c], r.cells[role], size, center=role in ("row_no",))
    for role in plan.merged:
        c = plan.roles.index(role)
        for i, span in enumerate(_spans(plan, role)):
            if span == 0:
                continue
            top = table.cell(table_row[i], c)
            cell = top.merge(table.cell(table_row[i + span - 1], c)) if span > 1 else top
            _set_cell(cell, plan.rows[i].cells[role], size)
    for col, width in zip(table.columns, plan.widths):
        col.width = Pt(width)
    for row in table.rows:
        for tc, width in zip(row._tr.findall(qn("w:tc")), _tc_widths(row, plan.widths)):
            tcpr = tc.get_or_add_tcPr()
            tcw = tcpr.find(qn("w:tcW"))
            if tcw is None:
                tcw = OxmlElement("w:tcW")
                tcpr.insert(0, tcw)
            tcw.set(qn("w:w"), str(int(width * 20)))
            tcw.set(qn("w:type"), "dxa")
    if centered:
        from docx.enum.table import WD_ALIGN_VERTICAL

        for row in table.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    d.add_paragraph("")
    d.save(str(path))
    return path


def _tc_widths(row, widths) -> list[float]:
    """Width of every physical cell of a row (a gridSpan cell the sum of its columns)."""
    from docx.oxml.ns import qn

    out, col = [], 0
    for tc in row._tr.findall(qn("w:tc")):
        pr = tc.find(qn("w:tcPr"))
        span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
        span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
        out.append(sum(widths[col:col + span]))
        col += span
    return out


def docx_to_pdf(docx_path: Path, out: Path) -> Path:
    from fixture_docs import fixture_fonts_env

    with tempfile.TemporaryDirectory(prefix="shapes-soffice-") as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
                       check=True, capture_output=True, timeout=300, env=fixture_fonts_env())
        shutil.move(str(Path(tmp) / (docx_path.stem + ".pdf")), out)
    return out


def pdftotext(pdf: Path, out: Path, *, layout: bool = False) -> Path:
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), str(out)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    return out


def ascii_dump(plain: Path, out: Path) -> Path:
    from unidecode import unidecode

    out.write_text(unidecode(plain.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def _noisy_pages(pdf: Path, dpi: int, seed: int, noise: float = 6.0):
    import numpy as np
    from pdf2image import convert_from_path
    from PIL import Image

    rng = np.random.default_rng(seed)
    for img in convert_from_path(str(pdf), dpi=dpi, grayscale=True):
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0.0, noise, (img.height, img.width))
        yield Image.fromarray(np.clip(arr * 0.94 + 10, 0, 255).astype(np.uint8), mode="L")


def ocr_eng_dump(pdf: Path, out: Path, seed: int) -> Path:
    """The PDF rasterized (200-300 dpi by seed, light noise) and read by tesseract's English
    model, plain text, pages separated by form feeds."""
    dpi = random.Random(seed).choice((200, 250, 300))
    pages = []
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="shapes-ocr-") as tmp:
        for k, img in enumerate(_noisy_pages(pdf, dpi, seed), start=1):
            name = Path(tmp) / f"p{k}.png"
            img.save(name, dpi=(dpi, dpi))
            res = subprocess.run(["tesseract", str(name), "stdout", "-l", "eng"], check=True,
                                 capture_output=True, env=env, timeout=600)
            pages.append(res.stdout.decode("utf-8", "replace"))
    out.write_text("\f".join(pages), encoding="utf-8")
    return out


def scan_pdf(pdf: Path, out: Path, seed: int) -> Path:
    from fixture_docs import rasterize_pdf

    return rasterize_pdf(pdf, out, dpi=200, angle=random.Random(seed).choice((0.0, 0.5, 1.0)), seed=seed)


FORM_FILES = {"docx": "plan.docx", "pdf": "plan.pdf", "plain": "plain.txt", "layout": "layout.txt",
              "ascii": "ascii.txt", "ascii_layout": "ascii_layout.txt", "ocr_eng": "ocr_eng.txt", "scan": "scan.pdf",
              "scan_turned": "scan_turned.pdf", "scan_harsh": "scan_harsh.pdf", "scan_grey": "scan_grey.pdf",
              "scan_layer": "scan_layer.pdf", "docx_centered": "plan_centered.docx",
              "pdf_centered": "plan_centered.pdf", "ocr_eng_centered": "ocr_eng_centered.txt",
              "layout_centered": "layout_centered.txt", "plain_centered": "plain_centered.txt", "markdown": "plan.md", "tabs": "tabs.txt",
              "lotext": "lotext.txt", "pandoc_md": "pandoc.md", "pandoc_gfm": "pandoc_gfm.md",
              "pandoc_plain": "pandoc.txt"}
#: the form each form is made from
FORM_SOURCE = {"pdf": "docx", "plain": "pdf", "layout": "pdf", "ascii": "plain", "ascii_layout": "layout", "ocr_eng": "pdf", "scan": "pdf",
               "scan_turned": "pdf", "scan_harsh": "pdf", "scan_grey": "pdf", "scan_layer": "scan", "pdf_centered": "docx_centered",
               "ocr_eng_centered": "pdf_centered", "layout_centered": "pdf_centered", "plain_centered": "pdf_centered",
               "markdown": "docx", "tabs": "docx", "lotext": "docx", "pandoc_md": "docx", "pandoc_gfm": "docx",
               "pandoc_plain": "docx"}


def _build(plan: ShapedPlan, form: str, src: Path | None, out: Path) -> Path:
    if form in ("docx", "docx_centered"):
        return build_docx(plan, out, centered=form == "docx_centered")
    if form in ("pdf", "pdf_centered"):
        return docx_to_pdf(src, out)
    if form in ("plain", "layout", "plain_centered", "layout_centered"):
        return pdftotext(src, out, layout=form.startswith("layout"))
    if form in ("ascii", "ascii_layout"):
        return ascii_dump(src, out)
    if form in ("ocr_eng", "ocr_eng_centered"):
        return ocr_eng_dump(src, out, plan.seed)
    if form == "scan":
        return scan_pdf(src, out, plan.seed)
    if form == "scan_turned":
        return office_scan.turned_scan_pdf(src, out, plan.seed)
    if form in ("scan_harsh", "scan_grey"):
        return office_scan.harsh_scan_pdf(src, out, plan.seed, grey=form == "scan_grey")
    if form == "lotext":  # LibreOffice's text export: a table cell's paragraphs a line each, row by row
        from fixture_docs import office_saved

        return office_saved(src, out, "txt:Text (encoded):UTF8")
    if form.startswith("pandoc_"):  # converted by pandoc: grid, multiline or HTML tables
        from fixture_docs import PANDOC_FORMATS, pandoc_export

        return pandoc_export(src, out, PANDOC_FORMATS[form][0])
    if form == "tabs":
        from fixture_docs import word_tabs

        return word_tabs(src, out)
    if form == "markdown":  # the DOCX as Markdown (kehoach text -f md): the appendix a pipe table
        from pipeline.config import Config
        from pipeline.text_export import export_text

        out.write_text(export_text(src, "md", Config(workers=1)).text, encoding="utf-8")
        return out
    if form == "scan_layer":
        from fixture_docs import ocr_layer_scan

        return ocr_layer_scan(src, out, lang="vie")
    raise ValueError(f"unknown form {form!r}")


#: how the forms are rendered: LibreOffice with the fixture fonts only (fixture_docs.fixture_fonts_env)
RENDER = "fixture-fonts"


def shapes_cache_dir() -> Path:
    base = os.environ.get("KEHOACH_SHAPES_CACHE") or str(Path.home() / ".cache" / "kehoach-plan-shapes")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def plan_dir(plan: ShapedPlan, root: Path | None = None) -> Path:
    """The plan's cache folder: its seed and a digest of everything drawn (a changed generator
    gets a new folder)."""
    drawn = dataclasses.asdict(plan)
    if not drawn["spans"]:
        del drawn["spans"]  # the plans drawn before two-level headers keep their folders
    drawn["render"] = RENDER  # forms rendered otherwise before are not reused
    digest = hashlib.sha256(json.dumps(drawn, ensure_ascii=False, sort_keys=True).encode())
    folder = (root or shapes_cache_dir()) / f"{plan.seed}-{digest.hexdigest()[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    gold = folder / "gold.json"
    if not gold.exists():
        _atomic_write(gold, json.dumps({"describe": plan.describe(), "rows": gold_rows(plan)}, ensure_ascii=False,
                                       indent=1).encode())
    return folder


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def make_form(plan: ShapedPlan, form: str, root: Path | None = None) -> Path:
    """The plan in ``form``, built (with the forms it is made from) unless cached."""
    folder = plan_dir(plan, root)
    path = folder / FORM_FILES[form]
    if path.exists():
        return path
    src = make_form(plan, FORM_SOURCE[form], root) if form in FORM_SOURCE else None
    with tempfile.TemporaryDirectory(prefix="shapes-", dir=folder) as tmp:
        built = _build(plan, form, src, Path(tmp) / FORM_FILES[form])
        built.replace(path)
    return path


def pdf_pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)
