"""Tests for extractors.docx: Word files generated with python-docx (tests/fixture_docs.py)."""

from __future__ import annotations

import shutil

import docx as python_docx
import pytest

from extractors import docx as docx_extractor
from extractors.registry import get_extractor
from fixture_docs import HEADERS, WIDTHS, build_docx, docx_table_pages, extract_file, merged_spans, plan_from_sample
from pipeline.config import Config
from pipeline.errors import EncryptedInputError, InputFileError, MissingDependencyError


@pytest.fixture(scope="module")
def plan():
    return plan_from_sample()


@pytest.fixture(scope="module")
def docx_path(plan, tmp_path_factory):
    return build_docx(plan, tmp_path_factory.mktemp("docx") / "plan.docx")


@pytest.fixture(scope="module")
def doc(docx_path):
    return extract_file(docx_path)


def test_fixture_is_a_real_appendix_table(docx_path, plan):
    """Merged cells, a header row Word repeats on every page, and enough rows to run over
    several pages in the PDF's geometry."""
    from docx.oxml.ns import qn

    wd = python_docx.Document(str(docx_path))
    (table,) = wd.tables
    rows = table._tbl.findall(qn("w:tr"))
    header_flags = [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in rows]
    assert header_flags[0] and not any(header_flags[1:])
    vmerge = [vm.get(qn("w:val")) for vm in table._tbl.iter(qn("w:vMerge"))]
    n_continue = sum(n - 1 for col in ("objective", "task") for n in merged_spans(plan, col) if n > 1)
    assert vmerge.count("restart") >= 2 and vmerge.count(None) + vmerge.count("continue") == n_continue
    spans = [int(g.get(qn("w:val"))) for g in table._tbl.iter(qn("w:gridSpan"))]
    assert spans and set(spans) == {len(HEADERS) - 1}  # the group rows
    widths = [round(int(w.get(qn("w:w"))) / 20) for w in table._tbl.find(qn("w:tblGrid")).iter(qn("w:gridCol"))]
    assert widths == list(WIDTHS)
    # ~1.9 pages of table after a third of a page of body text: Word breaks it twice, and
    # repeats the header row on the second and third page.
    assert docx_table_pages(docx_path) > 1.5


def test_body_paragraphs_come_first_in_order(doc, plan):
    assert doc.source_format == "docx"
    assert all(p.method == "docx" for p in doc.pages)
    texts = doc.texts()
    assert texts[: len(plan.body)] == list(plan.body)
    assert [ln.number for ln in doc.lines] == list(range(1, len(doc.lines) + 1))
    # The paragraph after the table comes after every cell line.
    assert texts[-1] == "Kế hoạch này thay thế các văn bản trước đây."


def test_table_cells_have_spans_and_line_provenance(doc, plan):
    (table,) = [t for p in doc.pages for t in p.tables]
    assert table.header_rows == 1
    header = sorted((c for c in table.cells if c.row == 0), key=lambda c: c.col)
    assert [c.text for c in header] == list(HEADERS)
    group = [c for c in table.cells if c.row == 1]
    assert [(c.col, c.col_span, c.text) for c in group] == [(0, 1, "I"), (1, 8, "Cải cách thể chế")]
    objective = [c for c in table.cells if c.col == 1 and c.row >= 2 and c.text]
    spans = [n for n in merged_spans(plan, "objective") if n]
    assert [c.row_span for c in objective[: len(spans)]][:2] == spans[:2]
    assert objective[0].row_span == 6
    lines = {ln.number: ln.text for ln in doc.lines}
    for cell in table.cells:
        if cell.text:
            assert cell.line_start is not None
            assert "\n".join(lines[n] for n in range(cell.line_start, cell.line_end + 1)) == cell.text
        else:
            assert cell.line_start is None


def test_page_breaks_count_pages(tmp_path):
    d = python_docx.Document()
    d.add_paragraph("Trang một")
    d.add_page_break()
    d.add_paragraph("Trang hai")
    d.save(str(tmp_path / "p.docx"))
    doc = extract_file(tmp_path / "p.docx")
    assert [(ln.page, ln.text) for ln in doc.lines if ln.text] == [(1, "Trang một"), (2, "Trang hai")]


def test_soft_line_breaks_make_lines(tmp_path):
    d = python_docx.Document()
    p = d.add_paragraph("ỦY BAN NHÂN DÂN")
    p.add_run().add_break()
    p.add_run("XÃ VĨNH LẬP")
    d.save(str(tmp_path / "b.docx"))
    assert extract_file(tmp_path / "b.docx").texts() == ["ỦY BAN NHÂN DÂN", "XÃ VĨNH LẬP"]


_BOX_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml"')


def _text_box_run(lines: list[str], shape: str):
    """A run holding a text box of ``lines`` as Word writes it: a DrawingML shape with a VML
    copy in the alternate content's fallback ("both"), or one of the two alone."""
    from docx.oxml import parse_xml

    content = "<w:txbxContent>" + "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in lines) + "</w:txbxContent>"
    dml = ("<w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>" + content
           + "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>")
    vml = "<w:pict><v:shape><v:textbox>" + content + "</v:textbox></v:shape></w:pict>"
    inner = {"both": f'<mc:AlternateContent><mc:Choice Requires="wps">{dml}</mc:Choice>'
                     f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent>",
             "drawing": dml, "vml": vml}[shape]
    return parse_xml(f"<w:r {_BOX_NS}>{inner}</w:r>")


@pytest.mark.parametrize("shape", ["both", "drawing", "vml"])
@pytest.mark.parametrize("lines", [["DỰ THẢO"], ["Số: 12/KH-UBND", "Hòa Bình, ngày 15/01/2025"]])
@pytest.mark.parametrize("where", ["body", "cell"])
def test_a_text_box_is_read_once_on_lines_of_its_own(tmp_path, shape, lines, where):
    # A text box anchored in a paragraph ("DỰ THẢO" over the first page, the number and date in
    # a box) was read glued to the paragraph's text, and twice where Word wrote its VML copy too.
    d = python_docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    if where == "body":
        p = d.add_paragraph("Thực hiện cải cách hành chính năm 2025")
    else:
        table = d.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "1"
        p = table.cell(0, 1).paragraphs[0]
        p.add_run("Thực hiện cải cách hành chính năm 2025")
    p._p.append(_text_box_run(lines, shape))
    d.add_paragraph("Nơi nhận:")
    d.save(str(tmp_path / "t.docx"))
    doc = extract_file(tmp_path / "t.docx")
    texts = [t for t in doc.texts() if t]
    at = texts.index("Thực hiện cải cách hành chính năm 2025")
    assert texts[at + 1:at + 1 + len(lines)] == lines
    assert all(texts.count(t) == 1 for t in lines)
    if where == "cell":
        cell = next(c for page in doc.pages for t in page.tables for c in t.cells if c.col == 1)
        assert cell.text == "\n".join(["Thực hiện cải cách hành chính năm 2025"] + lines)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
#: a paragraph's runs as a draft with tracked changes and hidden text leaves them: the text Word
#: shows is "Thực hiện cải cách hành chính năm 2025"
_TRACKED = [
    '<w:r><w:t xml:space="preserve">Thực hiện </w:t></w:r>',
    '<w:del w:id="1" w:author="A"><w:r><w:delText xml:space="preserve">đổi mới </w:delText></w:r></w:del>',
    '<w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve">cải cách hành chính </w:t></w:r></w:ins>',
    '<w:moveFrom w:id="3" w:author="A"><w:r><w:t xml:space="preserve">năm 2024 </w:t></w:r></w:moveFrom>',
    '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">(ghi chú ẩn) </w:t></w:r>',
    '<w:moveTo w:id="4" w:author="A"><w:r><w:t>năm 2025</w:t></w:r></w:moveTo>',
    '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t></w:t></w:r>',
]


@pytest.mark.parametrize("where", ["body", "cell"])
@pytest.mark.parametrize("order", [0, 1, 2])
def test_tracked_changes_and_hidden_text_read_as_word_shows_them(tmp_path, where, order):
    """A draft sent with its tracked changes: deleted text, text moved away and hidden runs were
    read along with the text Word shows ("Thực hiện đổi mới cải cách ... năm 2024 ... năm 2025")."""
    from docx.oxml import parse_xml

    runs = list(_TRACKED)
    if order:  # the deletion and the hidden run elsewhere in the paragraph: the same text shown
        hidden, deleted = runs.pop(4), runs.pop(1)
        runs.insert(order + 1, hidden)
        runs.insert(len(runs) - order, deleted)
    d = python_docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    if where == "body":
        p = d.add_paragraph()
    else:
        table = d.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "1"
        p = table.cell(0, 1).paragraphs[0]
    for run in runs:
        p._p.append(parse_xml(run.replace(">", f" {_W}>", 1)))
    d.save(str(tmp_path / "tracked.docx"))
    doc = extract_file(tmp_path / "tracked.docx")
    texts = [t for t in doc.texts() if t]
    assert "Thực hiện cải cách hành chính năm 2025" in texts, texts
    assert not any(w in " ".join(texts) for w in ("đổi mới", "2024", "ghi chú ẩn")), texts
    if where == "cell":
        cell = next(c for page in doc.pages for t in page.tables for c in t.cells if c.col == 1)
        assert cell.text == "Thực hiện cải cách hành chính năm 2025"


#: a plan's body with every kind of typed label an outline list draws
_OUTLINE_BODY = [
    "KẾ HOẠCH", "Cải cách hành chính năm 2025", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
    "- Nâng cao chất lượng phục vụ người dân;", "+ Giải quyết hồ sơ đúng hạn;", "+ Không để tồn đọng;",
    "- Tăng cường kỷ luật, kỷ cương.", "2. Yêu cầu", "2.1. Bám sát Chương trình tổng thể;",
    "2.2. Phân công rõ trách nhiệm.", "a) Cơ quan chủ trì;", "b) Cơ quan phối hợp.",
    "Đoạn văn không đánh số.", "II. NHIỆM VỤ TRỌNG TÂM", "1. Cải cách thể chế",
    "2. Cải cách thủ tục hành chính", "III. TỔ CHỨC THỰC HIỆN", "1. Văn phòng UBND xã",
]


def _outline_docs(tmp_path):
    """The plan body :data:`_OUTLINE_BODY` as a DOCX with its labels typed, and with them drawn
    by Word's lists (:func:`fixture_docs.auto_numbered`)."""
    from fixture_docs import auto_numbered

    d = python_docx.Document()
    for text in _OUTLINE_BODY:
        d.add_paragraph(text)
    d.save(str(tmp_path / "typed.docx"))
    return tmp_path / "typed.docx", auto_numbered(tmp_path / "typed.docx", tmp_path / "auto.docx")


def test_automatic_numbering_reads_as_the_typed_labels(tmp_path):
    # Headings, sub-headings, "a)" items and "-" / "+" bullets drawn by Word's lists (levels
    # restarting under each heading, a Symbol-font dot for "-") read as the labels typed.
    _, auto = _outline_docs(tmp_path)
    numbered = python_docx.Document(str(auto)).paragraphs
    assert [p.text for p in numbered][2:6] == ["MỤC ĐÍCH, YÊU CẦU", "Mục đích", "Nâng cao chất lượng phục vụ người dân;",
                                              "Giải quyết hồ sơ đúng hạn;"]  # the labels are Word's now
    assert extract_file(auto).texts() == _OUTLINE_BODY


def test_a_plans_sections_are_the_same_with_automatic_numbering(tmp_path):
    from pipeline.run import process_document

    typed, auto = _outline_docs(tmp_path)
    tree = {}
    for name, path in (("typed", typed), ("auto", auto)):
        rows = process_document(path, Config(workers=1)).tables["sections"]
        tree[name] = [(r["section_id"], r["number"], r["heading"]) for r in rows]
    assert tree["auto"] == tree["typed"] and len(tree["typed"]) >= 12


def _numbered_doc(levels: str, paragraphs: str, nums: str) -> python_docx.Document:
    """A document whose numbering part holds abstract list 707 of ``levels`` and the list
    instances ``nums``; ``paragraphs``: (text, numId, ilvl) with numId None for none."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = python_docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="707">{levels}</w:abstractNum>'))
    for num in nums:
        numbering.append(parse_xml(num.replace("<w:num ", f"<w:num {w} ")))
    for text, num_id, ilvl in paragraphs:
        p = d.add_paragraph(text)
        if num_id is not None:
            p._p.get_or_add_pPr().insert(0, parse_xml(
                f'<w:numPr {w}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return d


def test_numbering_restarts_where_a_list_instance_starts_over_and_legal_numbers_are_decimal(tmp_path):
    levels = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>'
              '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:isLgl/>'
              '<w:lvlText w:val="%1.%2."/></w:lvl>')
    nums = ['<w:num w:numId="71"><w:abstractNumId w:val="707"/></w:num>',
            '<w:num w:numId="72"><w:abstractNumId w:val="707"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>',
            '<w:num w:numId="0"><w:abstractNumId w:val="707"/></w:num>']
    d = _numbered_doc(levels, [("Một", 71, 0), ("Hai", 71, 0), ("Hai một", 71, 1), ("Hai hai", 71, 1),
                               ("Không số", 0, 0), ("Ba", 72, 0), ("Bốn", 72, 0), ("Bốn một", 72, 1)], nums)
    d.save(str(tmp_path / "n.docx"))
    assert extract_file(tmp_path / "n.docx").texts() == [
        "I. Một", "II. Hai", "2.1. Hai một", "2.2. Hai hai", "Không số", "III. Ba", "IV. Bốn", "4.1. Bốn một"]


def test_numbering_carried_by_a_paragraph_style_is_read(tmp_path):
    d = python_docx.Document()
    for text in ("Một", "Hai"):
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("Gạch", style="List Bullet")
    d.save(str(tmp_path / "s.docx"))
    assert extract_file(tmp_path / "s.docx").texts() == ["1. Một", "2. Hai", "- Gạch"]


def test_damaged_docx_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputFileError):
        extract_file(bad)


def _soffice() -> str:
    exe = docx_extractor.find_soffice()
    assert exe, "LibreOffice must be installed for this test (make test installs libreoffice-writer-nogui)"
    return exe


@pytest.fixture(scope="module")
def legacy_doc(docx_path, tmp_path_factory):
    """A real legacy Word file: LibreOffice saves the fixture as .doc (Word 97-2003)."""
    import subprocess

    folder = tmp_path_factory.mktemp("doc")
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "doc:MS Word 97", "--outdir", str(folder), str(docx_path)],
                   check=True, capture_output=True, timeout=300)
    path = folder / "plan.doc"
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file
    return path


def test_doc_without_libreoffice_says_how_to_install(legacy_doc, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = legacy_doc
    fn = get_extractor("doc", str(path))
    assert fn is docx_extractor.extract_doc
    with pytest.raises(MissingDependencyError, match="install libreoffice"):
        fn(path, Config(workers=1), data=path.read_bytes(), sha256="0")


def test_doc_through_the_pipeline_without_libreoffice_is_a_missing_dependency(legacy_doc, monkeypatch):
    """Without LibreOffice the file fails with the install hint and the missing-dependency
    category (exit code 4), not as an unreadable file."""
    from pipeline.run import process_document

    monkeypatch.setattr(shutil, "which", lambda name: None)
    res = process_document(legacy_doc, Config(workers=1))
    assert res.status == "failure"
    (err,) = res.errors
    assert err.category == "missing_dependency"
    assert "install libreoffice" in err.message and "apt-get install libreoffice-writer-nogui" in err.message


def test_doc_is_converted_by_libreoffice_and_yields_the_docx_rows(legacy_doc, docx_path, plan, tmp_path):
    from extractors.appendix.grid import appendix_from_tables
    from fixture_docs import cell_agreement

    renamed = tmp_path / "ke-hoach"  # content decides the kind, not the name
    renamed.write_bytes(legacy_doc.read_bytes())
    got = extract_file(renamed)
    assert got.source_format == "doc"
    (table,) = appendix_from_tables(got)
    assert len(table.rows) == len(plan.rows)
    assert cell_agreement(table.rows, plan.rows) >= 0.98
    assert got.texts()[:3] == extract_file(docx_path).texts()[:3]


@pytest.mark.parametrize("damage", ["garbage", "cut", "excel", "encrypted"])
def test_damaged_or_foreign_doc_is_refused_naming_the_file(legacy_doc, tmp_path, damage):
    """LibreOffice imports what it cannot recognise as plain text: such files must be refused
    before, saying what is wrong, not read as a plan of binary noise."""
    good = legacy_doc.read_bytes()
    data = {
        "garbage": good[:8] + bytes(range(256)) * 8,
        "cut": good[: len(good) // 3],
    }.get(damage)
    if damage in ("excel", "encrypted"):  # a real compound file whose Word stream is renamed as
        # Excel's, or as the package a password-protected .docx / .xlsx is wrapped in
        name = {"excel": "Workbook\0", "encrypted": "EncryptedPackage\0"}[damage]
        at = good.index("WordDocument\0".encode("utf-16-le"))  # a 64-byte name, then its length
        entry = name.encode("utf-16-le").ljust(64, b"\0") + (2 * len(name)).to_bytes(2, "little")
        data = good[:at] + entry + good[at + 66:]
    path = tmp_path / "hong.doc"
    path.write_bytes(data)
    with pytest.raises(InputFileError) as err:
        extract_file(path)
    assert str(path) in str(err.value)
    want = {"excel": "Excel workbook", "encrypted": "protected by a password"}.get(damage, "damaged")
    assert want in str(err.value), err.value
    assert ("save it as .xlsx" in str(err.value)) == (damage == "excel")
    assert isinstance(err.value, EncryptedInputError) == (damage == "encrypted")


# --- the page limit ---------------------------------------------------------------------------------


def _plan_docx(path, *, paragraphs: int = 0, breaks: int = 0, rows: int = 0):
    """A real plan (tests/hostile_inputs.PLAN) with ``paragraphs`` more body paragraphs,
    ``breaks`` page breaks and a table of ``rows`` rows, saved by python-docx."""
    from hostile_inputs import plan_text

    d = python_docx.Document()
    for line in plan_text(path.stem).splitlines():
        d.add_paragraph(line)
    for k in range(paragraphs):
        d.add_paragraph(f"{k + 1}. Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền của xã.")
    for k in range(breaks):
        d.add_page_break()
        d.add_paragraph(f"Trang {k + 2}")
    if rows:
        table = d.add_table(rows=rows, cols=3)
        for k, row in enumerate(table.rows):
            for cell in row.cells:
                cell.text = f"Nhiệm vụ {k}\nđoạn thứ hai"  # two paragraphs a cell: one row
    d.save(str(path))
    return path


@pytest.mark.parametrize("shape, needle", [
    ({"breaks": 3}, "counted from its page breaks"),
    ({"paragraphs": 200}, "estimated from"),
    ({"rows": 200}, "estimated from"),
])
def test_a_docx_over_the_page_limit_is_refused_before_it_is_parsed(tmp_path, shape, needle):
    """Three pages at most: four pages of breaks, or (at 50 paragraphs or table rows a page)
    200 paragraphs or 200 table rows, are refused naming the file, the count and the setting."""
    from pipeline.run import process_document

    path = _plan_docx(tmp_path / "long.docx", **shape)
    result = process_document(path, Config(workers=1, max_pages=3))
    assert result.status == "failure", result
    error = result.errors[0]
    assert (error.stage, error.category) == ("read", "input_file")
    assert error.message.startswith(f"{path}: the document has more than 3 pages"), error.message
    assert needle in error.message and "KEHOACH_MAX_PAGES" in error.message
    # the same document is read under a higher limit, with its pages
    assert process_document(path, Config(workers=1, max_pages=20)).status == "success"


def test_a_docx_under_the_page_limit_is_read(tmp_path):
    """Three pages (two breaks), 100 paragraphs and a 40-row table whose cells hold two paragraphs
    each: 3 pages counted, (20 + 100 + 2 + 40) / 50 = 4 estimated, within a limit of 4."""
    from pipeline.run import process_document

    path = _plan_docx(tmp_path / "short.docx", paragraphs=100, breaks=2, rows=40)
    result = process_document(path, Config(workers=1, max_pages=4))
    assert result.status == "success", result.error_message
    assert result.tables["documents"][0]["n_pages"] == 3
    assert process_document(path, Config(workers=1, max_pages=3)).status == "failure"


def test_a_converted_doc_has_the_page_limit_of_a_docx(legacy_doc, tmp_path):
    """The .doc's pages are counted on the .docx LibreOffice makes of it."""
    from pipeline.run import process_document

    result = process_document(legacy_doc, Config(workers=1, max_pages=1))
    assert result.status == "failure" and "more than 1 pages" in result.error_message, result.error_message
    assert str(legacy_doc) in result.error_message and "KEHOACH_MAX_PAGES" in result.error_message


def test_a_doctype_late_in_the_main_part_is_refused(tmp_path):
    """A DOCTYPE pushed past the first bytes by a long comment is still found (by the page count's
    parser), and nothing is expanded."""
    from hostile_inputs import _replace_member, plan_docx, plan_text
    from pipeline.run import process_document

    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<!--' + " " * 10_000 + '-->\n'
           '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
           f'<w:document xmlns:w="{docx_extractor.W_NS}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
           "</w:body></w:document>").encode()
    path = tmp_path / "late.docx"
    path.write_bytes(_replace_member(plan_docx(plan_text("muộn")), "word/document.xml", lambda fh: fh.write(xml)))
    result = process_document(path, Config(workers=1))
    assert result.status == "failure" and "declares XML entities" in result.error_message, result.error_message
    assert str(path) in result.error_message


@pytest.mark.parametrize("name, head, kind", [
    ("plan.rtf", b"{\\rtf1\\ansi\\ansicpg1258\\deff0", "rtf"),
    ("plan.txt", b"{\\rtf1\\ansi\\deff0", "rtf"),  # an RTF file named .txt: its control words are no text
    ("plan.odt", b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text", "odt"),
    ("plan", b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text", "odt"),
    ("plan.rtf", "Kế hoạch cải cách hành chính".encode(), "text"),  # a text dump named .rtf
    ("plan.docx", b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml", "docx"),
])
def test_rtf_and_opendocument_files_are_told_by_their_bytes(name, head, kind):
    from pathlib import Path

    from extractors.registry import detect_kind

    assert detect_kind(Path(name), head) == kind


def test_headings_numbered_by_a_list_linked_to_their_styles_are_read(tmp_path):
    # Word's "multilevel list linked to headings": the heading styles carry the list (Heading 2
    # without a level: the list's level naming the style gives it), the paragraphs carry none.
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = python_docx.Document()
    d.part.numbering_part.element.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="708">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:pStyle w:val="Heading1"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/>'
        '<w:lvlText w:val="%2."/></w:lvl></w:abstractNum>'))
    d.part.numbering_part.element.append(parse_xml(f'<w:num {w} w:numId="708"><w:abstractNumId w:val="708"/></w:num>'))
    for style in ("Heading 1", "Heading 2"):
        d.styles[style].element.get_or_add_pPr().insert(0, parse_xml(
            f'<w:numPr {w}><w:numId w:val="708"/></w:numPr>'))
    for text, style in (("MỤC ĐÍCH", "Heading 1"), ("Mục đích", "Heading 2"), ("Yêu cầu", "Heading 2"),
                        ("Nội dung không đánh số.", None), ("NHIỆM VỤ", "Heading 1"), ("Cải cách thể chế", "Heading 2")):
        d.add_paragraph(text, style=style)
    d.save(str(tmp_path / "h.docx"))
    assert extract_file(tmp_path / "h.docx").texts() == [
        "I. MỤC ĐÍCH", "1. Mục đích", "2. Yêu cầu", "Nội dung không đánh số.", "II. NHIỆM VỤ", "1. Cải cách thể chế"]
