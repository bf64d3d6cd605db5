"""Tests for extractors.pdf_text: digital PDFs (reportlab), the per-page text-layer/OCR
decision, and a PDF whose text layer decodes to nonsense (scrambled ToUnicode map)."""

from __future__ import annotations

import io

import pytest

from extractors.appendix import extract_appendix
from extractors.appendix.grid import appendix_from_tables
from extractors.pdf_text import MIN_QUALITY, choose_page_method
from normalizers.quality import syllable_share as text_quality
from extractors.text_dump import document_from_text
from fixture_docs import (
    COLUMNS, build_docx, build_pdf, build_text_dump, cell_agreement, char_error_rate, extract_file, install_ocr_cache,
    plan_from_sample, scramble_text_layer,
)
from pipeline.errors import InputFileError


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    plan = plan_from_sample()
    stats: dict = {}
    pdf = build_pdf(plan, folder / "plan.pdf", stats)
    broken = folder / "broken.pdf"
    broken.write_bytes(scramble_text_layer(pdf.read_bytes()))
    return {"plan": plan, "stats": stats, "pdf": pdf, "broken": broken, "docx": build_docx(plan, folder / "p.docx")}


@pytest.fixture(scope="module")
def doc(files):
    return extract_file(files["pdf"])


def test_text_layer_pages_lines_and_boxes(doc, files):
    assert files["stats"]["pages"] == len(doc.pages) >= 3
    assert [p.method for p in doc.pages] == ["text_layer"] * len(doc.pages)
    assert all(p.quality is not None and p.quality > 0.95 for p in doc.pages)
    texts = doc.texts()
    assert texts[:4] == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LẬP", "Số: 83/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert [ln.number for ln in doc.lines] == list(range(1, len(texts) + 1))
    for ln in doc.lines:
        x0, top, x1, bottom = ln.bbox
        assert 0 <= x0 < x1 <= doc.pages[ln.page - 1].width and 0 <= top < bottom <= doc.pages[ln.page - 1].height
    # Lines are in reading order on each page: tops never go up by more than a line's height.
    first = doc.lines[0]
    assert first.bbox[0] == pytest.approx(36, abs=1) and first.bbox[1] < 50


def test_ruled_tables_with_spans(doc):
    tables = [t for p in doc.pages for t in p.tables]
    assert len(tables) == len(doc.pages)  # one table part per page, header repeated
    first = tables[0]
    objective = [c for c in first.cells if c.col == 1 and c.text.startswith("1.1. Mục tiêu 1")]
    assert objective and objective[0].row_span >= 3
    group = [c for c in first.cells if c.text == "Cải cách thể chế"]
    assert group and group[0].col_span == 8
    lines = {ln.number: ln.text for ln in doc.lines}
    for t in tables:
        for c in t.cells:
            if c.text:
                assert "\n".join(lines[n] for n in range(c.line_start, c.line_end + 1)) == c.text


def test_appendix_rows_match_plan_and_split_rows_are_joined(doc, files):
    assert files["stats"]["split_rows"] >= 1  # the fixture really cuts rows at page breaks
    (table,) = appendix_from_tables(doc)
    plan = files["plan"]
    assert table.columns == COLUMNS
    assert [r.cells for r in table.rows] == [r.cells for r in plan.rows]
    assert [r.group_no for r in table.rows] == [r.group_no for r in plan.rows]
    assert sorted({r.page for r in table.rows}) == list(range(1, len(doc.pages) + 1))
    assert all(r.bbox is not None for r in table.rows)


def test_cross_format_agreement_docx_pdf_text_dump(doc, files):
    plan = files["plan"]
    pdf_rows = appendix_from_tables(doc)[0].rows
    docx_rows = appendix_from_tables(extract_file(files["docx"]))[0].rows
    dump = document_from_text(build_text_dump(plan), path="d.txt", sha256="0", source_format="text")
    dump_rows = extract_appendix(dump.texts())[0].rows
    for a, b in ((docx_rows, pdf_rows), (docx_rows, dump_rows), (pdf_rows, dump_rows)):
        assert cell_agreement(a, b) >= 0.98
    assert cell_agreement(pdf_rows, plan.rows) >= 0.98


@pytest.mark.parametrize("text, method", [
    ("", "ocr"),
    ("12", "ocr"),
    ("Thực hiện cải cách hành chính nhà nước Xã Vĩnh Lập giai đoạn 2021 - 2025 UBND", "text_layer"),
    ("Thuc hien cai cach hanh chinh nha nuoc Xa Vinh Lap giai doan 2021 - 2025", "text_layer"),
    ("ẾMrxtXrXắểXrỷểX ẫùrA7Xắr`dU \\E*rỦV|ềắp5xXỷ <0XirắKtrẫùrắ0,r<ắẾrXiắ7trA", "ocr"),
    # A TCVN3 (.VnTime) font: the layer is kept, the repair step decodes it exactly (better than OCR).
    ("Thùc hiÖn c¶i c¸ch hµnh chÝnh nhµ n−íc x· VÜnh LËp giai ®o¹n 2021", "text_layer"),
])
def test_choose_page_method(text, method):
    assert choose_page_method(text)[0] == method


def test_text_quality_separates_words_from_garbage():
    assert text_quality("Kế hoạch cải cách hành chính năm 2022 của UBND xã") > 0.95
    assert text_quality("ẾMrxtXrXắểXrỷểX ẫùrA7Xắr`dU") < MIN_QUALITY


def test_scrambled_text_layer_is_detected_and_ocred(files, monkeypatch):
    install_ocr_cache(monkeypatch)
    doc = extract_file(files["broken"])
    assert [p.method for p in doc.pages] == ["ocr"] * len(doc.pages)
    assert all(p.quality is not None and p.quality > 0.8 for p in doc.pages)  # mean OCR word confidence
    assert doc.texts()[1] == "XÃ VĨNH LẬP"
    (table,) = appendix_from_tables(doc)
    assert len(table.rows) == len(files["plan"].rows)
    # Measured: 0.898 of cells exact, CER 0.18 % (single-letter slips in merged Mục tiêu cells
    # count once per row they cover; "HDND" for "HĐND").
    assert cell_agreement(table.rows, files["plan"].rows) >= 0.85
    assert char_error_rate(table.rows, files["plan"].rows) < 0.02


def test_truncated_pdf_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(InputFileError, match="not a readable PDF"):
        extract_file(bad)


def _ruled_pages(path, pages: list[list[list[str]]], widths: list[float]) -> None:
    """A PDF of ruled table strips, one list of rows per page, each row's cells one line each,
    drawn from the page top (reportlab); the first page opens with the appendix title."""
    from reportlab.pdfgen import canvas

    from fixture_docs import _fonts

    font, _ = _fonts()
    w, h, left, lead = 595.0, 842.0, 50.0, 16.0
    cv = canvas.Canvas(str(path), pagesize=(w, h), invariant=1)
    for n, rows in enumerate(pages):
        top = 60.0
        if n == 0:
            cv.setFont(font, 11)
            cv.drawString(left, h - top, "PHỤ LỤC: NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025")
            top += 20
        xs = [left]
        for cw in widths:
            xs.append(xs[-1] + cw)
        cv.setFont(font, 9)
        cv.setLineWidth(0.6)
        for row in rows:
            bottom = top + lead + 6
            cv.line(xs[0], h - top, xs[-1], h - top)
            for x in xs:
                cv.line(x, h - top, x, h - bottom)
            for x, text in zip(xs, row):
                cv.drawString(x + 3, h - (top + lead - 2), text)
            top = bottom
        cv.line(xs[0], h - top, xs[-1], h - top)
        cv.showPage()
    cv.save()


@pytest.mark.parametrize("tt", [True, False])
@pytest.mark.parametrize("rest", [
    ["năm 2024", "rà soát", "– Hộ tịch", ""],
    ["năm 2024", "", "– Hộ tịch", "15/12/2025"],
])
def test_the_rest_of_the_last_row_alone_on_the_last_page_joins_its_row(tmp_path, tt, rest):
    """A page break leaves the last row's rest as a one-row strip on a page of its own (no
    repeated header): it goes on the row, which is not cut short."""
    head = ["Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Thời gian"]
    rows = [["Rà soát thủ tục hành chính", "Báo cáo", "Công an xã", "Năm 2025"],
            ["Số hóa hồ sơ thủ tục", "Kế hoạch", "UBND xã", "Hàng quý"],
            ["Triển khai chế độ tự chủ về tài chính", "Báo cáo kết quả", "Công chức Tư pháp",
             "Trước" if rest[3] else "Quý II/2024"]]
    widths = [180.0, 100.0, 110.0, 90.0]
    if tt:
        head, widths = ["TT"] + head, [30.0] + widths
        rows = [[str(k)] + r for k, r in enumerate(rows, 1)]
        rest = [""] + rest
    path = tmp_path / "plan.pdf"
    _ruled_pages(path, [[head] + rows, [rest]], widths)
    (table,) = appendix_from_tables(extract_file(path))
    assert len(table.rows) == 3
    last = table.rows[-1].cells
    assert last["task"] == "Triển khai chế độ tự chủ về tài chính năm 2024"
    assert last["lead"] == "Công chức Tư pháp – Hộ tịch"
    assert last["deadline"] == ("Trước 15/12/2025" if rest[-1] else "Quý II/2024")
    assert ("product" in last) and last["product"] == ("Báo cáo kết quả rà soát" if rest[-3] else "Báo cáo kết quả")


def _turned_pages(pdf, out, turn: int, *, stored: bool):
    """The PDF with every page after the first turned ``turn`` degrees: in a viewer and saved
    (``stored`` False: the page shows its text sideways or upside down), or a landscape page
    printed on a portrait one (``stored`` True: its content drawn turned, the page's /Rotate
    showing it upright)."""
    import pypdf
    from pypdf import Transformation
    from pypdf.generic import RectangleObject

    w = pypdf.PdfWriter(clone_from=str(pdf))
    for page in w.pages[1:]:
        if stored and turn in (90, 270):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            page.add_transformation(Transformation().rotate(90).translate(height, 0) if turn == 90
                                    else Transformation().rotate(-90).translate(0, width))
            page.mediabox = page.cropbox = RectangleObject([0, 0, height, width])
        page.rotate(turn)
    w.write(str(out))
    return out


@pytest.mark.parametrize("turn, stored", [(90, False), (180, False), (270, False), (90, True), (270, True)])
def test_a_page_whose_text_runs_down_or_up_reads_as_the_upright_page(files, tmp_path, turn, stored):
    # A page turned in a viewer and saved sets its letters sideways: pdfplumber gives a word a
    # line, every word still Vietnamese, and the table's rows were lost under "success" (4 of
    # 14 at 90 degrees; 270 and 180 went to OCR).  It is read from its layer, turned upright.
    # A landscape page stored turned, upright by its /Rotate, read its letters upright, but the
    # rulings' ends were off by float noise, horizontal ones were taken for vertical, and rows
    # ran together (14 rows, eleven of them wrong).
    from pipeline.config import Config
    from pipeline.run import process_document
    from table_match import appendix_rows

    from fixture_docs import COMPARED

    def cells(res):
        return [{c: r.get(c) for c in COMPARED + ("row_no", "group_no", "group_title")} for r in appendix_rows(res)]

    want = cells(process_document(files["pdf"], Config(workers=1)))
    path = _turned_pages(files["pdf"], tmp_path / f"turned{turn}.pdf", turn, stored=stored)
    res = process_document(path, Config(workers=1))
    assert res.status == "success"
    assert cells(res) == want and len(want) == len(files["plan"].rows)
    assert set(res.tables["documents"][0]["page_methods"]) == {"text_layer"}


# --- searchable scans: an invisible OCR layer over the page image ------------------------------


@pytest.fixture(scope="module")
def searchable(files, tmp_path_factory):
    """The plan scanned, and made searchable with a Vietnamese-model OCR layer (tesseract's own
    PDF output, as OCRmyPDF or a scanner's software makes it)."""
    from fixture_docs import ocr_layer_scan, rasterize_pdf

    folder = tmp_path_factory.mktemp("searchable")
    scan = rasterize_pdf(files["pdf"], folder / "scan.pdf")
    return ocr_layer_scan(scan, folder / "searchable.pdf", lang="vie")


def test_a_searchable_scan_is_ocrd_again_and_reads_the_tables_from_the_image(files, searchable, monkeypatch):
    """The layer's words are Vietnamese, so it used to be trusted: its tables have no rulings
    (they are in the image) and no appendix row was read.  It is OCR'd again now, reasoned."""
    from pipeline.config import Config

    install_ocr_cache(monkeypatch)
    doc = extract_file(searchable)
    assert [p.method for p in doc.pages] == ["ocr"] * len(doc.pages)
    # the table pages' layers are good Vietnamese; a page whose layer is poor (the signature
    # page: 55 % syllables) keeps that more telling reason, and counts as broken
    layered = [p for p in doc.pages if "OCR text layer" in p.reason]
    assert len(layered) >= len(doc.pages) - 1, [p.reason for p in doc.pages]
    assert all("OCR'd again" in p.reason and not p.layer_broken for p in layered)
    assert not doc.errors
    (table,) = appendix_from_tables(doc)
    assert len(table.rows) == len(files["plan"].rows)
    assert cell_agreement(table.rows, files["plan"].rows) >= 0.85
    # the layer kept on request: read as it is, without table rulings
    kept = extract_file(searchable, Config(workers=1, ocr_layers="keep"))
    assert [p.number for p in kept.pages if p.method == "text_layer"] == [p.number for p in layered]
    assert all("read as it is" in p.reason for p in kept.pages if p.method == "text_layer")


def test_a_layer_drawn_under_the_page_image_is_an_ocr_layer_too(files, searchable, tmp_path, monkeypatch):
    """The same words in plain ink, the page image drawn over them: hidden, not invisible."""
    import pdfplumber

    from extractors.render_modes import covered_share, invisible_share
    from fixture_docs import layer_under_image

    under = layer_under_image(searchable, tmp_path / "under.pdf")
    with pdfplumber.open(under) as pdf, pdfplumber.open(searchable) as orig:
        assert all(invisible_share(p.page_obj) == 0.0 and covered_share(p) == 1.0 for p in pdf.pages)
        assert all(invisible_share(p.page_obj) == 1.0 and covered_share(p) == 0.0 for p in orig.pages)
        assert [p.extract_text() for p in pdf.pages] == [p.extract_text() for p in orig.pages]
    install_ocr_cache(monkeypatch)
    got, want = extract_file(under), extract_file(searchable)
    assert [p.method for p in got.pages] == [p.method for p in want.pages] == ["ocr"] * len(got.pages)
    assert [p.reason for p in got.pages] == [p.reason for p in want.pages]
    assert got.texts() == want.texts()


def test_without_tesseract_a_searchable_scan_reads_its_layer_and_says_so(searchable, monkeypatch):
    import extractors.ocr_engine as ocr_engine
    import extractors.pdf_ocr as ocr
    from pipeline.config import Config

    monkeypatch.setattr(ocr_engine.shutil, "which", lambda name: None)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    ocr_engine._languages.cache_clear()
    try:
        doc = extract_file(searchable, Config(workers=1, ocr_engine="cli"))
    finally:
        ocr_engine._languages.cache_clear()
    layered = [p.number for p in doc.pages if "OCR text layer" in p.reason]
    assert len(layered) >= len(doc.pages) - 1
    assert [p.number for p in doc.pages if p.method == "text_layer" and p.lines] == layered
    assert "Kế hoạch" in " ".join(doc.texts()) or "KẾ HOẠCH" in " ".join(doc.texts())
    fallback = [e for e in doc.errors if "its OCR layer was read as it is, not OCR'd again" in e.message]
    assert [e.page for e in fallback] == layered and all("tesseract" in e.message for e in fallback)
    # a page whose layer is poor is not read from it: left out, said so
    assert all(p.method == "ocr" and not p.lines for p in doc.pages if p.number not in layered)
    assert len(doc.errors) == len(doc.pages)


@pytest.mark.parametrize("picture", ["background", "watermark over it", "seal over it"])
def test_visible_text_with_a_page_sized_picture_is_not_an_ocr_layer(files, doc, tmp_path, picture):
    """A digital plan printed over a page-sized background (a scanned letterhead, paper), or
    under a page-sized picture with transparency (a watermark, a seal): the text can be seen
    and is read from the layer as before."""
    import numpy as np
    import pdfplumber
    from PIL import Image
    from pypdf import PdfReader, PdfWriter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from extractors.page_verdict import image_cover
    from extractors.render_modes import hidden_share

    reader = PdfReader(str(files["pdf"]))
    writer = PdfWriter()
    rng = np.random.default_rng(5)
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        grey = np.clip(rng.normal(238, 6, (int(h), int(w))), 0, 255).astype(np.uint8)
        if picture == "background":
            img, mask = Image.fromarray(grey, mode="L"), None
        else:  # mostly clear, a faint wash (a soft mask) or a cut-out (a colour-key mask)
            rgba = np.zeros((int(h), int(w), 4), np.uint8)
            rgba[..., 0] = 200
            rgba[..., 3] = 40 if picture == "watermark over it" else 0
            rgba[int(h) // 3:int(h) // 2, int(w) // 3:int(w) // 2, 3] = 255
            img, mask = Image.fromarray(rgba, mode="RGBA"), "auto"
            if picture == "seal over it":
                img, mask = img.convert("RGB"), [0, 10, 0, 10, 0, 10]
        buf = io.BytesIO()
        cv = canvas.Canvas(buf, pagesize=(w, h), invariant=1)
        cv.drawImage(ImageReader(img), 0, 0, width=w, height=h, mask=mask)
        cv.showPage()
        cv.save()
        pic = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
        if picture == "background":
            writer.add_page(pic).merge_page(page)
        else:
            writer.add_page(page).merge_page(pic)
    out = tmp_path / "with-picture.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    with pdfplumber.open(out) as pdf:  # every page lies on (or under) a picture of its size
        assert all(image_cover([(i["x0"], i["top"], i["x1"], i["bottom"]) for i in p.images],
                               float(p.width * p.height)) > 0.99 for p in pdf.pages)
        assert all(hidden_share(p) == 0.0 for p in pdf.pages)
    got = extract_file(out)
    assert [p.method for p in got.pages] == ["text_layer"] * len(doc.pages)
    assert got.texts() == doc.texts()
    (table,) = appendix_from_tables(got)
    assert len(table.rows) == len(files["plan"].rows)
