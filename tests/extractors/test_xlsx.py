"""Excel workbooks (extractors.xlsx): an appendix kept in Excel, as a file of its own and
embedded in a Word file as an Excel object (Word shows a metafile picture of it, in no markup
of the document: its rows were lost).  Both give the rows of the same table typed in Word."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from extractors.xlsx import cell_text, sheet_parts
from fixture_docs import build_docx, build_xlsx, plan_from_sample
from pipeline.config import Config
from pipeline.run import process_document
from table_match import appendix_rows

KEYS = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget", "group_no",
        "group_title")


@pytest.mark.parametrize("value, fmt, text", [
    (None, "General", ""), (2025, "General", "2025"), (3.0, "General", "3"), (0.5, "General", "0.5"),
    (0.95, "0%", "95%"), (datetime.date(2025, 1, 15), "dd/mm/yyyy", "15/01/2025"),
    (datetime.datetime(2025, 12, 31, 0, 0), "General", "31/12/2025"),
    ("  Quý I/2025 \r\n Quý II/2025 ", "General", "Quý I/2025\nQuý II/2025"),
    ("Ke\u0302\u0301 hoa\u0323ch", "General", "Kế hoạch"),  # decomposed marks: NFC
])
def test_cells_read_as_excel_shows_them(value, fmt, text):
    assert cell_text(value, fmt) == text


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xlsx")
    plan = plan_from_sample()
    xlsx = build_xlsx(plan, folder / "phu-luc.xlsx")
    want = appendix_rows(process_document(build_docx(plan, folder / "plan.docx"), Config(workers=1)))
    return {"plan": plan, "xlsx": xlsx, "want": want, "folder": folder}


def test_the_sheet_is_parted_into_title_table_and_notes(files):
    import openpyxl

    ws = openpyxl.load_workbook(files["xlsx"], data_only=True).active
    above, cells, below = sheet_parts(ws)
    assert above == ["PHỤ LỤC", files["plan"].appendix_title]
    assert below == ["Ghi chú: kinh phí theo dự toán được giao.", "15/01/2025"]
    assert max(c.col + c.col_span for c in cells) == 9  # the hidden lookup column left out
    assert not any(c.text.startswith("K0") for c in cells)
    assert {c.text for c in cells if c.row == 0} == {"TT", "Mục tiêu", "Nhiệm vụ", "Hoạt động", "Sản phẩm",
                                                    "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
                                                    "Kinh phí thực hiện"}
    assert any(c.col_span == 8 for c in cells) and any(c.row_span > 1 for c in cells)  # group rows, merges


def test_a_workbook_gives_the_rows_of_the_word_table(files, tmp_path):
    for name in ("phu-luc.xlsx", "phu-luc"):  # the bytes decide, not the name
        path = tmp_path / name
        path.write_bytes(files["xlsx"].read_bytes())
        res = process_document(path, Config(workers=1))
        assert res.status == "success", res.error_message
        doc = res.tables["documents"][0]
        assert doc["source_format"] == "xlsx" and doc["page_methods"] == ["xlsx"]
        got = appendix_rows(res)
        assert [{k: g.get(k) for k in KEYS} for g in got] == [{k: w.get(k) for k in KEYS} for w in files["want"]]


def _embedded(plan, xlsx: bytes, out: Path, prog_id: str = "Excel.Sheet.12") -> Path:
    """A Word file: the plan's body typed, then the workbook embedded as an object shown by a
    (Windows metafile) picture, as Word writes a pasted Excel table."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    d = docx.Document()
    for text in plan.body:
        d.add_paragraph(text)
    d.add_paragraph(plan.appendix_title)
    package = d.part.package
    sheet = Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet.xlsx"),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx, package)
    emf = Part(PackURI("/word/media/image1.emf"), "image/x-emf", b"\x01\x00\x00\x00" + b"\x00" * 84, package)
    rid_sheet = d.part.relate_to(sheet, RT.PACKAGE)
    rid_emf = d.part.relate_to(emf, RT.IMAGE)
    p = d.add_paragraph()
    p._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<w:object w:dxaOrig="14000" w:dyaOrig="8000">'
        '<v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:700pt;height:400pt" o:ole="">'
        f'<v:imagedata r:id="{rid_emf}" o:title=""/></v:shape>'
        f'<o:OLEObject Type="Embed" ProgID="{prog_id}" ShapeID="_x0000_i1025" DrawAspect="Content" '
        f'ObjectID="_1790000001" r:id="{rid_sheet}"/></w:object></w:r>'))
    d.add_paragraph("Nơi nhận: UBND huyện; Lưu: VT.")
    d.save(str(out))
    return out


def test_an_excel_sheet_embedded_in_a_word_file_gives_its_rows(files):
    path = _embedded(files["plan"], files["xlsx"].read_bytes(), files["folder"] / "embedded.docx")
    res = process_document(path, Config(workers=1))
    assert res.status == "success", (res.error_message, res.errors)
    doc = res.tables["documents"][0]
    assert any("embedded Excel.Sheet.12 read from its workbook" in (r or "") for r in doc["page_reasons"])
    got = appendix_rows(res)
    assert [{k: g.get(k) for k in KEYS} for g in got] == [{k: w.get(k) for k in KEYS} for w in files["want"]]


def test_another_embedded_object_is_named_not_read(files):
    path = _embedded(files["plan"], b"\xd0\xcf\x11\xe0" + b"\x00" * 60, files["folder"] / "other.docx",
                     prog_id="Word.Document.8")
    res = process_document(path, Config(workers=1))
    assert res.status == "partial"
    assert any("an embedded Word.Document.8 was not read" in e.message for e in res.errors)


def test_a_workbook_declaring_xml_entities_is_refused(files, tmp_path):
    src = zipfile.ZipFile(files["xlsx"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaa">]>' + data
            out.writestr(info, data)
    path = tmp_path / "entities.xlsx"
    path.write_bytes(buf.getvalue())
    res = process_document(path, Config(workers=1))
    assert res.status == "failure"
    assert "Excel workbook's xl/worksheets/sheet1.xml declares XML entities" in res.error_message
