"""extractors.render_modes: the share of a page's text drawn invisibly (render modes 3 and 7),
followed through q/Q, text objects and form XObjects, on PDFs written operator by operator."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from extractors.render_modes import invisible_share, render_mode_bytes


def _pdf(content: bytes, forms: dict[str, bytes] | None = None) -> bytes:
    """A one-page PDF whose page content is ``content``, with form XObjects ``forms`` (name ->
    content; a form may draw the others) and the font /F1 (Helvetica)."""
    forms = forms or {}
    names = list(forms)
    xobjects = " ".join(f"/{n} {5 + k} 0 R" for k, n in enumerate(names))
    resources = f"<< /Font << /F1 3 0 R >> /XObject << {xobjects} >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {resources} "
        f"/Contents {5 + len(names)} 0 R >>".encode(),
    ]
    for n in names:
        body = forms[n]
        objects.append(f"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources {resources} "
                       f"/Length {len(body)} >>\nstream\n".encode() + body + b"\nendstream")
    objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for k, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{k} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _measure(content: bytes, forms: dict[str, bytes] | None = None):
    with pdfplumber.open(io.BytesIO(_pdf(content, forms))) as pdf:
        page = pdf.pages[0]
        return dict(render_mode_bytes(page.page_obj)), invisible_share(page.page_obj), page.extract_text()


@pytest.mark.parametrize("mode,invisible", [(0, False), (1, False), (2, False), (3, True), (4, False), (5, False),
                                            (6, False), (7, True)])
def test_each_render_mode(mode, invisible):
    counts, share, text = _measure(f"BT /F1 12 Tf 50 700 Td {mode} Tr (Ke hoach) Tj ET".encode())
    assert counts == {mode: 8}
    assert share == (1.0 if invisible else 0.0)
    assert text == "Ke hoach"  # pdfplumber reads invisible text like any other: only the mode tells


@pytest.mark.parametrize("op,shown", [
    (b"(abc) Tj", 3),
    (b"[(ab) -120 (cde)] TJ", 5),
    (b"(abcd) '", 4),
    (b"1 2 (abcdef) \"", 6),
    (b"<00410042> Tj", 4),  # a hex string: its bytes (two 2-byte codes), not its digits
])
def test_text_showing_operators_are_weighed_by_their_bytes(op, shown):
    counts, share, _ = _measure(b"BT /F1 12 Tf 50 700 Td 12 TL 3 Tr " + op + b" ET")
    assert counts == {3: shown} and share == 1.0


def test_the_mode_lasts_across_text_objects_until_restored_or_changed():
    # Tr belongs to the graphics state: it outlives ET and is undone by Q only
    content = (b"BT /F1 12 Tf 50 700 Td 3 Tr (aaaa) Tj ET\n"
               b"BT /F1 12 Tf 50 680 Td (bbbb) Tj ET\n"          # still invisible
               b"q BT /F1 12 Tf 0 Tr 50 660 Td (cc) Tj ET Q\n"    # visible inside q..Q
               b"BT /F1 12 Tf 50 640 Td (dddddd) Tj ET\n"         # invisible again after Q
               b"BT /F1 12 Tf 0 Tr 50 620 Td (eeeeeeee) Tj ET")   # visible
    counts, share, _ = _measure(content)
    assert counts == {3: 14, 0: 10}
    assert share == pytest.approx(14 / 24)


def test_text_in_form_xobjects_is_counted_with_the_mode_it_inherits_or_sets():
    forms = {"Layer": b"BT /F1 12 Tf 50 700 Td (ocrtext) Tj ET /Inner Do",
             "Inner": b"BT /F1 12 Tf 0 Tr 50 600 Td (vis) Tj ET"}
    # an OCRmyPDF-style page: the image (none here) and a form holding the invisible words
    counts, share, _ = _measure(b"q 3 Tr /Layer Do Q BT /F1 12 Tf 50 500 Td (page) Tj ET", forms)
    assert counts == {3: 7, 0: 7}
    assert share == pytest.approx(0.5)


def test_a_form_drawing_itself_does_not_loop():
    counts, share, _ = _measure(b"3 Tr /Self Do", {"Self": b"BT /F1 12 Tf 50 700 Td (x) Tj ET /Self Do"})
    assert counts == {3: 1} and share == 1.0


def test_pages_without_text_or_with_unreadable_content():
    assert _measure(b"0 0 m 100 100 l S")[:2] == ({}, 0.0)
    assert _measure(b"")[:2] == ({}, 0.0)
    # operators without operands, unbalanced Q, an unterminated string: no verdict, no exception
    counts, share, _ = _measure(b"Q Q Tr Tj TJ BT /F1 12 Tf 3 Tr (open")
    assert share == 0.0 and sum(counts.values()) == 0
