"""Web pages and web archives (extractors.registry.markup_kind, extractors.docx.extract_html /
extract_mhtml): a plan saved from a portal or by Word as a "Web Page", served as .doc or .htm,
or archived as .mht.  Read as a text dump, their tags were the plan's text and their tables
lost (0 rows under success); converted by LibreOffice, they give the rows of the DOCX."""

from __future__ import annotations

import base64
import html
import shutil
from pathlib import Path

import pytest

from fixture_docs import COLUMNS, HEADERS, MERGED, build_docx, merged_spans, plan_from_sample
from pipeline.config import Config
from pipeline.run import process_document
from table_match import appendix_rows

WORD_PAGE = (b'<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"\r\n'
             b'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\r\n<head>')


@pytest.mark.parametrize("name, head, kind", [
    ("plan.doc", WORD_PAGE, "html"),  # Word's "Web Page" served as .doc by a portal
    ("plan.txt", b'<!DOCTYPE html>\n<html lang="vi">', "html"),
    ("plan", b"\xef\xbb\xbf\r\n<!-- saved from url=(0014)about:internet -->\r\n<HTML>\r\n<HEAD>", "html"),
    ("plan.htm", "<html><head>".encode("utf-16"), "html"),
    ("plan.xhtml", b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"'
                   b' "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">',
     "html"),
    ("plan.html", b'<meta charset="utf-8"><table border="1"><tr><td>TT</td>', "html"),  # a fragment
    ("plan.html", "Kế hoạch cải cách hành chính năm 2025".encode(), "text"),  # a text dump named .html
    ("plan.txt", "Kế hoạch <b>cải cách</b> hành chính".encode(), "text"),  # a tag inside a text dump
    ("plan.txt", "<table> là bảng".encode(), "text"),
    ("plan.mht", b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01DA"\r\n\r\n'
                 b'This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n'
                 b'------=_NextPart_01DA\r\nContent-Location: file:///C:/plan.htm\r\n'
                 b'Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="utf-8"', "mhtml"),
    ("plan.doc", b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://xa.gov.vn/kh/12\r\n"
                 b"Subject: =?utf-8?Q?K=E1=BA=BF_ho=E1=BA=A1ch?=\r\nDate: Mon, 7 Dec 2026 08:00:00 +0700\r\n"
                 b'MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n'
                 b'\tboundary="----MultipartBoundary--x----"', "mhtml"),
    ("mail.eml", b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                 b"Content-Type: text/plain; charset=utf-8\r\n\r\nKe hoach", "text"),  # an e-mail is no web page
])
def test_web_pages_and_archives_are_told_by_their_bytes(name, head, kind):
    from extractors.registry import detect_kind

    assert detect_kind(Path(name), head) == kind


def plan_page(plan, *, junk: bool = True) -> str:
    """The plan as a hand-written web page, as portals publish plans: site navigation around
    it, the body in paragraphs (one with a line break), the appendix as a table with a header
    row of ``<th>``, group rows spanning the columns after TT (colspan) and Mục tiêu / Nhiệm vụ
    merged down their rows (rowspan)."""
    e = html.escape
    out = ['<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Kế hoạch</title>'
           "<style>td{border:1px solid #000}</style></head><body>"]
    if junk:
        out.append('<div class="nav"><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản</a></li>'
                   "</ul></div><script>var x = '<p>không phải văn bản</p>';</script>")
    out.append("<div class=\"content\">")
    body = list(plan.body)
    out.append(f"<p>{e(body[0])}<br>{e(body[1])}</p>")
    out.extend(f"<p>{e(t)}</p>" for t in body[2:])
    out.append(f"<p></p><p><b>{e(plan.appendix_title)}</b></p>")
    out.append('<table border="1" cellspacing="0"><thead><tr>' + "".join(f"<th>{e(h)}</th>" for h in HEADERS)
               + "</tr></thead><tbody>")
    spans = {col: merged_spans(plan, col) for col in MERGED}
    group = None
    for i, r in enumerate(plan.rows):
        if r.group_no != group:
            group = r.group_no
            out.append(f"<tr><td>{e(r.group_no or '')}</td><td colspan=\"{len(COLUMNS) - 1}\"><b>"
                       f"{e(r.group_title or '')}</b></td></tr>")
        cells = []
        for col in COLUMNS:
            if col in MERGED:
                if spans[col][i] == 0:
                    continue  # covered by the cell above
                span = f' rowspan="{spans[col][i]}"' if spans[col][i] > 1 else ""
                cells.append(f"<td{span}>{e(r.cells[col])}</td>")
            else:
                cells.append(f"<td>{e(r.cells[col])}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    if junk:
        out.append('<div class="footer"><p>Cổng thông tin điện tử xã</p></div>')
    out.append("</body></html>")
    return "\n".join(out)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    if not shutil.which("soffice") and not shutil.which("libreoffice"):
        pytest.fail("LibreOffice must be installed for this test (make test installs libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("web")
    plan = plan_from_sample()
    docx_rows = appendix_rows(process_document(build_docx(plan, folder / "plan.docx"), Config(workers=1)))
    page = plan_page(plan)
    files = {"html": folder / "plan.html", "doc": folder / "ke-hoach.doc", "mht": folder / "plan.mht"}
    files["html"].write_text(page, encoding="utf-8")
    files["doc"].write_text(page, encoding="utf-8")
    # Chrome's "Webpage, Single File": the page base64, a picture beside it
    files["mht"].write_bytes(
        b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://xa.gov.vn/kh/12\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----B--"\r\n\r\n\r\n'
        b"------B--\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Location: https://xa.gov.vn/logo.png\r\n\r\niVBORw0KGgo=\r\n\r\n"
        b"------B--\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Location: https://xa.gov.vn/kh/12\r\n\r\n"
        + base64.encodebytes(page.encode("utf-8")).replace(b"\n", b"\r\n") + b"\r\n------B----\r\n")
    return {"plan": plan, "docx_rows": docx_rows, **files}


@pytest.mark.parametrize("form, kind", [("html", "html"), ("doc", "html"), ("mht", "mhtml")])
def test_a_web_page_gives_the_rows_of_the_docx(web, form, kind):
    res = process_document(web[form], Config(workers=1))
    assert res.status == "success", res.error_message
    assert res.tables["documents"][0]["source_format"] == kind
    got, want = appendix_rows(res), web["docx_rows"]
    assert len(got) == len(want) == len(web["plan"].rows)
    keys = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget",
            "group_no", "group_title")
    assert [{k: g.get(k) for k in keys} for g in got] == [{k: w.get(k) for k in keys} for w in want]
    text = " ".join(s["heading"] or "" for s in res.tables["sections"])
    assert "<" not in text and "không phải văn bản" not in text  # no tags, no script


def test_a_web_archive_without_a_page_is_refused_saying_so(tmp_path):
    path = tmp_path / "logo.mht"
    path.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; boundary="b"\r\n\r\n'
                     b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n")
    res = process_document(path, Config(workers=1))
    assert res.status == "failure" and "holds no HTML page" in res.error_message and str(path) in res.error_message


def test_a_web_page_without_libreoffice_is_a_missing_dependency(web, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    res = process_document(web["html"], Config(workers=1))
    assert res.status == "failure"
    (err,) = res.errors
    assert err.category == "missing_dependency" and "install libreoffice" in err.message
    assert ".html" in err.message


def _with_chunk(plan, data: bytes, content_type: str, name: str, out: Path) -> Path:
    """A Word file whose typed body is followed by an imported chunk (``w:altChunk``): the way
    web systems export their editor's HTML to Word; Word merges it in when it opens the file."""
    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    d = docx.Document()
    for text in plan.body:
        d.add_paragraph(text)
    part = Part(PackURI(f"/word/{name}"), content_type, data, d.part.package)
    rid = d.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    d.element.body.insert(len(d.element.body) - 1, parse_xml(
        '<w:altChunk xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'))
    d.add_paragraph("Nơi nhận: UBND huyện; Lưu: VT.")
    d.save(str(out))
    return out


@pytest.mark.parametrize("chunk", ["html", "xhtml", "docx"])
def test_an_imported_chunk_is_read_where_it_stands(web, tmp_path, chunk):
    """The appendix in an imported chunk: python-docx sees only the typed paragraphs around it
    (no row was read); the chunk is converted and read in its place."""
    plan = web["plan"]
    if chunk == "docx":
        data = (tmp_path / "chunk.docx")
        build_docx(plan, data)
        data, ctype, name = data.read_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "chunk.docx"
    else:
        data = plan_page(plan, junk=False).encode("utf-8")
        ctype = "text/html" if chunk == "html" else "application/xhtml+xml"
        name = "afchunk.htm" if chunk == "html" else "afchunk.xhtml"
    path = _with_chunk(plan, data, ctype, name, tmp_path / "chunked.docx")
    res = process_document(path, Config(workers=1))
    assert res.status == "success", (res.error_message, res.errors)
    got, want = appendix_rows(res), web["docx_rows"]
    keys = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "group_no")
    assert [{k: g.get(k) for k in keys} for g in got] == [{k: w.get(k) for k in keys} for w in want]
    reasons = res.tables["documents"][0]["page_reasons"]
    assert any("an imported chunk (/word/" in (r or "") for r in reasons), reasons


def test_an_imported_chunk_of_an_unknown_kind_is_named(web, tmp_path):
    path = _with_chunk(web["plan"], b"\x00\x01binary", "application/octet-stream", "chunk.bin", tmp_path / "c.docx")
    res = process_document(path, Config(workers=1))
    assert res.status == "partial"
    assert any("an imported chunk (/word/chunk.bin) was not read" in e.message and "content type" in e.message
               for e in res.errors), [e.message for e in res.errors]
