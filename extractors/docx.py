"""Word documents (.docx; .doc, .rtf, .odt, web pages and web archives through LibreOffice):
paragraphs and tables in body order.

Every non-empty paragraph is one :class:`~pipeline.model.Line` (a soft line break inside a
paragraph starts a new line; empty paragraphs become empty lines, as in a text dump).
Tables are read from the markup: ``w:gridSpan`` gives a cell's column span, ``w:vMerge``
(restart / continue) its row span, ``w:gridBefore`` skips leading grid columns.  The text of
every cell is also emitted as lines, one per non-empty cell paragraph, row by row and cell by
cell in reading order, and the :class:`~pipeline.model.Cell` records which lines hold it
(``line_start`` / ``line_end``), so appendix rows get line provenance.  A cell of a nested
table contributes its paragraphs to the enclosing cell.

DOCX has no pages: a page number is counted from explicit page breaks (``w:br w:type="page"``,
``w:pageBreakBefore``, a section break that starts a new page), starting at 1; the method of
every page is ``"docx"`` -- ``"hybrid"`` where pictures holding text were OCR'd
(:mod:`extractors.docx_pictures`; their lines and tables follow the paragraph that shows them).
Bounding boxes are None (no geometry).

``.doc`` files are checked to be Word binaries (an OLE2 compound file with a ``WordDocument``
stream, read with olefile: an ``.xls`` or a damaged file is refused saying so) and converted
with LibreOffice (``soffice --headless --convert-to docx``) in a temporary directory; without
``soffice`` on PATH a :class:`MissingDependencyError` says how to install it.  A web page is
opened with Writer's HTML filter (``--infilter="HTML (StarWriter)"``: Writer/Web exports no
.docx); a web archive's HTML part is taken out of its MIME parts first
(:func:`html_of_web_archive`).
"""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors.docx_numbering import list_labels
from extractors.docx_pictures import embedded_objects, pictures, read_picture, worth_reading
from extractors.ooxml import MC_FALLBACK, R, W_NS
from extractors.ooxml import W as _W
from extractors.preflight import check_input
from extractors.xlsx import emit_parts, workbook_parts
from pipeline.config import Config
from pipeline.errors import EncryptedInputError, ExtractionError, InputFileError, MissingDependencyError
from pipeline.model import Cell, Document, ErrorItem, Line, Page, Table

__all__ = ["W_NS", "extract", "extract_doc", "extract_rtf", "extract_odt", "extract_html", "extract_mhtml",
           "html_of_web_archive", "document_from_docx_bytes", "convert_doc_to_docx", "check_word_binary",
           "find_soffice"]

SOFFICE_TIMEOUT_S = 180


def _qn(tag: str) -> str:
    return _W + tag


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\ufeff", ""))


@dataclass(slots=True)
class _Builder:
    """Accumulates lines and tables page by page; line numbers are global and 1-based."""

    page: int = 1
    lines: dict[int, list[Line]] = field(default_factory=dict)
    tables: dict[int, list[Table]] = field(default_factory=dict)
    count: int = 0
    #: paragraph -> the label of Word's automatic numbering before it (extractors.docx_numbering)
    labels: dict = field(default_factory=dict)
    #: set to OCR the pictures that hold text (extractors.docx_pictures): the configuration, the
    #: document part the pictures are related to, the file's path for messages
    cfg: Config | None = None
    part: object = None
    path: str = ""
    errors: list[ErrorItem] = field(default_factory=list)
    #: page -> what was OCR'd or left out on it; page -> OCR word confidences of its pictures
    notes: dict[int, list[str]] = field(default_factory=dict)
    quality: dict[int, list[float]] = field(default_factory=dict)

    def add_line(self, text: str) -> int:
        self.count += 1
        self.lines.setdefault(self.page, []).append(Line(number=self.count, text=_nfc(text), page=self.page))
        return self.count

    def new_page(self) -> None:
        self.page += 1

    def splice(self, lines: Sequence[Line], tables: Sequence[Table]) -> None:
        """Lines and tables read elsewhere (a picture's OCR, an imported chunk) added on the
        current page, renumbered after the lines so far (the tables' cells with them)."""
        shift = self.count + 1 - lines[0].number if lines else 0
        self.lines.setdefault(self.page, []).extend(
            dataclasses.replace(line, number=line.number + shift, page=self.page) for line in lines)
        self.count += len(lines)
        self.tables.setdefault(self.page, []).extend(
            dataclasses.replace(table, page=self.page, cells=tuple(
                dataclasses.replace(c, line_start=c.line_start + shift if c.line_start else None,
                                    line_end=c.line_end + shift if c.line_end else None) for c in table.cells))
            for table in tables)

    def unread(self, what: str, why: Exception | str) -> None:
        """An error item: ``what`` on the current page was not read, and why."""
        if isinstance(why, Exception):
            why = why.args[0] if why.args else str(why)
        self.errors.append(ErrorItem("extract", "unreadable", f"{self.path}: page {self.page}: {what} was not "
                                     f"read{'' if why.startswith('(') else ':'} {why}", page=self.page))


def _paragraph_pieces(p, labels: dict) -> tuple[list[str], int, bool]:
    """Text pieces of a paragraph split at soft line breaks (the first opening with the label of
    its automatic numbering, ``labels``), the number of page breaks that occur inside it, and
    whether a page break comes before any text (the paragraph starts a page)."""
    label = labels.get(p)
    pieces = [label + " " if label else ""]
    breaks = 0
    break_first = False
    ppr = p.find(_qn("pPr"))
    if ppr is not None:
        pbb = ppr.find(_qn("pageBreakBefore"))
        if pbb is not None and pbb.get(_qn("val"), "true") not in ("0", "false", "off"):
            break_first = True
    boxes: list[str] = []  # the paragraphs of text boxes anchored in it, as lines of their own
    for el in _inline(p, boxes, labels):
        tag = el.tag
        if tag == _qn("t"):
            pieces[-1] += el.text or ""
        elif tag == _qn("tab"):
            if el.getparent() is not None and el.getparent().tag == _qn("r"):
                pieces[-1] += "\t"
        elif tag in (_qn("br"), _qn("cr")):
            if el.get(_qn("type")) == "page":
                if not "".join(pieces).strip():
                    break_first = True
                else:
                    breaks += 1
                pieces.append("")
            else:
                pieces.append("")
        elif tag == _qn("noBreakHyphen"):
            pieces[-1] += "-"
        elif tag == _qn("sym"):
            pieces[-1] += ""
    if boxes:
        pieces.extend(boxes)
    return pieces, breaks, break_first


#: subtrees of a paragraph whose text is not shown: the fallback copy of alternate content (Word
#: writes a text box twice), text a tracked change deleted or moved away (Word shows it struck
#: through; its moved copy stands in w:moveTo)
_NOT_SHOWN = frozenset({MC_FALLBACK, _qn("del"), _qn("moveFrom")})


def _vanished(run) -> bool:
    """Whether a run is hidden text (``w:vanish``: Word neither shows nor prints it)."""
    rpr = run.find(_qn("rPr"))
    vanish = rpr.find(_qn("vanish")) if rpr is not None else None
    return vanish is not None and vanish.get(_qn("val"), "true") not in ("0", "false", "off")


def _inline(p, boxes: list[str], labels: dict):
    """The elements of paragraph ``p`` in document order, without the fallback copy of alternate
    content, text deleted or moved away by tracked changes, and hidden runs; the text of a text
    box anchored in it (``w:txbxContent``) is not inline: its paragraphs' lines are added to
    ``boxes`` ("DỰ THẢO" over a paragraph was read glued to the paragraph's text, and twice)."""
    stack = [iter([p])]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        if el.tag in _NOT_SHOWN or el.tag == _qn("r") and _vanished(el):
            continue
        if el.tag == _qn("txbxContent"):
            for inner in el.iter(_qn("p")):
                if inner.getparent() is el:
                    boxes.extend(piece for piece in _paragraph_pieces(inner, labels)[0] if piece.strip())
            continue
        yield el
        stack.append(iter(el))


def _section_breaks_page(p) -> bool:
    ppr = p.find(_qn("pPr"))
    if ppr is None:
        return False
    sect = ppr.find(_qn("sectPr"))
    if sect is None:
        return False
    typ = sect.find(_qn("type"))
    return typ is None or typ.get(_qn("val")) in (None, "nextPage", "evenPage", "oddPage")


def _emit_paragraph(p, b: _Builder, *, keep_empty: bool) -> list[int]:
    pieces, breaks, break_first = _paragraph_pieces(p, b.labels)
    if break_first and b.count:
        b.new_page()
    numbers: list[int] = []
    text = "".join(pieces)
    if not text.strip():
        if keep_empty:
            numbers.append(b.add_line(""))
    else:
        for piece in pieces:
            if piece.strip() or keep_empty:
                numbers.append(b.add_line(piece.rstrip()))
    _read_embedded(p, b)
    if b.cfg is not None:
        _read_pictures(p, b)
    for _ in range(breaks):
        b.new_page()
    if _section_breaks_page(p):
        b.new_page()
    return numbers


#: content types of imported chunks (w:altChunk) -> the kind LibreOffice converts them from
_CHUNK_KINDS = {"text/html": "html", "application/xhtml+xml": "html", "message/rfc822": "mhtml",
                "application/rtf": "rtf", "text/rtf": "rtf"}
#: a Word document's content types (the package, its main part) begin so
_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _emit_chunk(el, b: _Builder) -> None:
    """An imported chunk (``w:altChunk``: content a program -- a web system exporting its editor's
    HTML, a mail merge -- put into the document as a part of its own, which Word merges in when
    it opens the file) read where it stands: HTML, a web archive or RTF converted by LibreOffice,
    a Word document read as one, plain text line by line; its lines and tables added on the
    current page.  A chunk that cannot be read is an error item."""
    try:
        part = b.part.related_parts[el.get(R + "id")]  # type: ignore[attr-defined]
    except (AttributeError, KeyError):
        return
    what = f"an imported chunk ({part.partname})"
    ctype = (part.content_type or "").split(";")[0].strip().lower()
    if ctype == "text/plain":
        for line in part.blob.decode("utf-8", errors="replace").splitlines():
            b.add_line(line)
        return
    try:
        if ctype in _CHUNK_KINDS:
            data = convert_doc_to_docx(Path(b.path), part.blob, kind=_CHUNK_KINDS[ctype])
        elif ctype.startswith(_DOCX_TYPE):
            data = part.blob
        else:
            raise InputFileError(f"its content type {ctype!r} is not one kehoach reads", path=b.path)
        chunk = document_from_docx_bytes(data, path=b.path, sha256="", cfg=b.cfg)
    except (InputFileError, MissingDependencyError, ExtractionError) as exc:
        b.unread(what, exc)
        return
    b.splice(chunk.lines, [t for page in chunk.pages for t in page.tables])
    b.errors.extend(chunk.errors)
    b.notes.setdefault(b.page, []).append(f"{what} read")


def _read_embedded(p, b: _Builder) -> None:
    """The Excel sheets paragraph ``p`` embeds (an appendix kept in Excel and pasted as an
    object: Word shows a picture of it), read from their workbooks after its lines: the shown
    (active) sheet's title lines and table (:mod:`extractors.xlsx`).  Another kind of object,
    or a workbook that cannot be read, is an error item."""
    for prog_id, rid in embedded_objects(p):
        what = f"an embedded {prog_id or 'object'}"
        try:
            blob = b.part.related_parts[rid].blob  # type: ignore[attr-defined]
        except (AttributeError, KeyError):
            continue
        if not prog_id.startswith("Excel.Sheet") or not blob.startswith(b"PK"):
            b.unread(what, "(only Excel 2007+ sheets are)")
            continue
        try:
            sheets = workbook_parts(blob, path=b.path, cfg=b.cfg or Config(), active_only=True)
        except (InputFileError, MissingDependencyError) as exc:
            b.unread(what, exc)
            continue
        for _title, parts in sheets:
            table = emit_parts(parts, b.add_line, b.page)
            if table is not None:
                b.tables.setdefault(b.page, []).append(table)
            b.notes.setdefault(b.page, []).append(f"{what} read from its workbook")


def _read_pictures(p, b: _Builder) -> None:
    """The text of the pictures paragraph ``p`` shows printed large (a scanned page, a table
    pasted as a picture), OCR'd and added after its lines: lines and tables of the page, what
    was done in the page's notes; a picture that cannot be read is an error item."""
    for pic in pictures(p):
        if not worth_reading(pic):
            continue
        size = f"{pic.width_in:.1f} × {pic.height_in:.1f} in"
        try:
            blob = b.part.related_parts[pic.rid].blob  # type: ignore[attr-defined]
        except (AttributeError, KeyError):
            continue  # a linked picture, not in the file
        try:
            read = read_picture(blob, pic, b.cfg, page=b.page, path=b.path)
        except (MissingDependencyError, InputFileError) as exc:
            b.unread(f"a picture ({size})", exc)
            continue
        notes = b.notes.setdefault(b.page, [])
        if read is None:
            notes.append(f"a picture ({size}) without Vietnamese text left out")
            continue
        b.splice(read.lines, read.tables)
        notes.append(f"OCR of a picture ({size}: {len(read.lines)} lines, {len(read.tables)} tables)")
        if read.quality is not None:
            b.quality.setdefault(b.page, []).append(read.quality)


def _cell_paragraphs(tc) -> list:
    """Paragraphs of a cell in reading order, including those of nested tables."""
    out = []
    for child in tc:
        if child.tag == _qn("p"):
            out.append(child)
        elif child.tag == _qn("tbl"):
            for tr in child.iter(_qn("tr")):
                for inner in tr.findall(_qn("tc")):
                    out.extend(_cell_paragraphs(inner))
        elif child.tag == _qn("sdt"):
            content = child.find(_qn("sdtContent"))
            if content is not None:
                out.extend(_cell_paragraphs(content))
    return out


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(_qn("val")))
    except (TypeError, ValueError):
        return default


@dataclass(slots=True)
class _CellAcc:
    row: int
    col: int
    col_span: int
    row_span: int
    paragraphs: list
    lines: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def _rows_of(tbl) -> list:
    rows = []
    for child in tbl:
        if child.tag == _qn("tr"):
            rows.append(child)
        elif child.tag == _qn("sdt"):
            content = child.find(_qn("sdtContent"))
            if content is not None:
                rows.extend(r for r in content if r.tag == _qn("tr"))
    return rows


def _cells_of(tr) -> list:
    cells = []
    for child in tr:
        if child.tag == _qn("tc"):
            cells.append(child)
        elif child.tag == _qn("sdt"):
            content = child.find(_qn("sdtContent"))
            if content is not None:
                cells.extend(c for c in content if c.tag == _qn("tc"))
    return cells


def _emit_table(tbl, b: _Builder) -> Table:
    start_page = b.page
    cells: list[_CellAcc] = []
    # grid column -> the cell accumulator a vertical merge would continue
    open_above: dict[int, _CellAcc] = {}
    header_rows = 0
    header_run = True
    for r, tr in enumerate(_rows_of(tbl)):
        trpr = tr.find(_qn("trPr"))
        col = 0
        if trpr is not None:
            col = _int_val(trpr.find(_qn("gridBefore")), 0)
            is_header = trpr.find(_qn("tblHeader")) is not None and trpr.find(_qn("tblHeader")).get(
                _qn("val"), "true") not in ("0", "false", "off")
        else:
            is_header = False
        if header_run and is_header:
            header_rows += 1
        else:
            header_run = False
        this_row: dict[int, _CellAcc] = {}
        for tc in _cells_of(tr):
            tcpr = tc.find(_qn("tcPr"))
            span = 1
            vmerge = None
            if tcpr is not None:
                span = max(1, _int_val(tcpr.find(_qn("gridSpan")), 1))
                vm = tcpr.find(_qn("vMerge"))
                if vm is not None:
                    vmerge = vm.get(_qn("val")) or "continue"
                # Legacy horizontal merge (hMerge continue): fold into the cell on the left.
                hm = tcpr.find(_qn("hMerge"))
                if hm is not None and (hm.get(_qn("val")) or "continue") == "continue" and this_row:
                    left = max(this_row.values(), key=lambda a: a.col)
                    left.col_span += span
                    col += span
                    continue
            paras = _cell_paragraphs(tc)
            above = open_above.get(col)
            if vmerge == "continue" and above is not None and above.col_span == span:
                above.row_span = r - above.row + 1
                above.paragraphs.extend(p for p in paras if "".join(_paragraph_pieces(p, b.labels)[0]).strip())
                this_row[col] = above
            else:
                acc = _CellAcc(row=r, col=col, col_span=span, row_span=1, paragraphs=list(paras))
                cells.append(acc)
                this_row[col] = acc
            col += span
        open_above = this_row
        # Lines: the new cells of this row, left to right (continued merged cells already
        # emitted their first paragraphs in the row where they started).
        for acc in sorted((a for a in this_row.values() if a.row == r), key=lambda a: a.col):
            for p in acc.paragraphs:
                pieces, _, _ = _paragraph_pieces(p, b.labels)
                for piece in pieces:
                    if piece.strip():
                        acc.lines.append(b.add_line(piece.strip()))
                        acc.texts.append(piece.strip())
            acc.paragraphs = []
        # Paragraphs appended to a merged cell in a continuation row: emit them now.
        for acc in sorted((a for a in this_row.values() if a.row != r and a.paragraphs), key=lambda a: a.col):
            for p in acc.paragraphs:
                for piece in _paragraph_pieces(p, b.labels)[0]:
                    if piece.strip():
                        acc.lines.append(b.add_line(piece.strip()))
                        acc.texts.append(piece.strip())
            acc.paragraphs = []
    out = tuple(
        Cell(row=a.row, col=a.col, text=_nfc("\n".join(a.texts)), row_span=a.row_span, col_span=a.col_span,
             line_start=min(a.lines) if a.lines else None, line_end=max(a.lines) if a.lines else None)
        for a in cells
    )
    return Table(cells=out, page=start_page, header_rows=header_rows)


def _iter_body(body):
    for child in body:
        if child.tag in (_qn("p"), _qn("tbl"), _qn("altChunk")):
            yield child
        elif child.tag == _qn("sdt"):
            content = child.find(_qn("sdtContent"))
            if content is not None:
                yield from _iter_body(content)


RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


def _part_root(wd, reltype: str):
    """The root element of the document's part of relationship ``reltype`` (numbering, styles),
    None when the document has none or it cannot be parsed."""
    try:
        part = wd.part.part_related_by(reltype)
        element = getattr(part, "element", None)
        if element is None:
            from lxml import etree

            element = etree.fromstring(part.blob)
        return element
    except Exception:  # noqa: BLE001 - no such part, or one python-docx cannot read: no numbers
        return None


def document_from_docx_bytes(data: bytes, *, path: str, sha256: str, source_format: str = "docx",
                             cfg: Config | None = None) -> Document:
    """Build a :class:`Document` from the bytes of a .docx file; with ``cfg``, the pictures
    printed large enough to hold text are OCR'd too (:mod:`extractors.docx_pictures`)."""
    try:
        import docx  # python-docx
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise MissingDependencyError("python-docx is not installed; run: pip install python-docx",
                                     path=path) from exc
    try:
        wd = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(f"not a readable Word document ({exc}); re-save it as .docx", path=path) from None
    except Exception as exc:  # noqa: BLE001 - python-docx raises a zoo of lxml/opc errors
        raise InputFileError(f"not a readable Word document ({type(exc).__name__}: {exc}); re-save it as .docx",
                             path=path) from None
    b = _Builder(labels=list_labels(wd.element.body, _part_root(wd, RT_NUMBERING), _part_root(wd, RT_STYLES)),
                 cfg=cfg, part=wd.part, path=path)
    for el in _iter_body(wd.element.body):
        if el.tag == _qn("p"):
            _emit_paragraph(el, b, keep_empty=True)
        elif el.tag == _qn("altChunk"):
            _emit_chunk(el, b)
        else:
            table = _emit_table(el, b)
            b.tables.setdefault(table.page or b.page, []).append(table)
    last = max([b.page, *b.lines.keys(), *b.tables.keys()])
    pages = tuple(
        Page(number=n, method="hybrid" if b.quality.get(n) else "docx", lines=tuple(b.lines.get(n, ())),
             tables=tuple(b.tables.get(n, ())), quality=min(b.quality[n]) if b.quality.get(n) else None,
             reason="text, and " + "; ".join(b.notes[n]) if b.notes.get(n) else "")
        for n in range(1, last + 1)
    )
    return Document(source_path=path, source_sha256=sha256, source_format=source_format, pages=pages,
                    errors=tuple(b.errors))


def extract(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract a .docx file already read into ``data``."""
    return document_from_docx_bytes(data, path=str(path), sha256=sha256, cfg=cfg)


#: streams of OLE2 files that are not Word documents -> what the file is
_OLE_KINDS = {"Workbook": "an Excel workbook (.xls)", "Book": "an Excel workbook (.xls)",
              "PowerPoint Document": "a PowerPoint presentation (.ppt)"}


def check_word_binary(path: Path, data: bytes) -> None:
    """Raise :class:`InputFileError` unless ``data`` is an OLE2 compound file holding a
    ``WordDocument`` stream (Word 6 to 2003).  LibreOffice would otherwise import anything it
    cannot recognise as plain text and return its bytes as "text"."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=False)}
    except Exception as exc:  # noqa: BLE001 - a damaged container fails in many ways
        raise InputFileError(f"the .doc file is damaged: not a readable OLE2 compound file ({exc})",
                             path=str(path)) from None
    if "EncryptedPackage" in streams:  # a .docx / .xlsx saved with a password: OOXML in an OLE2 wrapper
        raise EncryptedInputError("the Office document is protected by a password; open it in Word (Excel), remove "
                                  "the password (File > Info > Protect Document) and add the saved copy",
                                  path=str(path))
    if "WordDocument" not in streams:
        kind = next((k for name, k in _OLE_KINDS.items() if name in streams), "an OLE2 file without Word text")
        hint = "; save it as .xlsx (Excel 2007+) to read it" if "Excel" in kind else ""
        raise InputFileError(f"the file is {kind}, not a Word document{hint}", path=str(path))


def find_soffice() -> str | None:
    """The LibreOffice command on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


#: word-processor files LibreOffice converts to .docx: kind -> (suffix, name in messages)
CONVERTED = {"doc": (".doc", "Word 97-2003 (.doc)"), "rtf": (".rtf", "RTF (.rtf)"),
             "odt": (".odt", "OpenDocument (.odt)"), "html": (".html", "HTML (.html)"),
             "mhtml": (".html", "web archive (.mht)")}
#: LibreOffice's import filter per kind, where its guess is not Writer's (an HTML page would open
#: in Writer/Web, which exports no .docx)
_IN_FILTERS = {"html": "HTML (StarWriter)", "mhtml": "HTML (StarWriter)"}


def convert_doc_to_docx(path: Path, data: bytes, *, timeout: float = SOFFICE_TIMEOUT_S, kind: str = "doc") -> bytes:
    """Convert legacy Word (.doc), RTF, OpenDocument text, HTML or web-archive bytes (``kind``)
    to .docx bytes with LibreOffice headless."""
    suffix, name = CONVERTED[kind]
    if kind == "doc":
        check_word_binary(path, data)
    if kind == "mhtml":
        data = html_of_web_archive(path, data)
    soffice = find_soffice()
    if soffice is None:
        raise MissingDependencyError(
            f"reading {suffix} files needs LibreOffice; install libreoffice "
            "(apt-get install libreoffice-writer-nogui) or save the file as .docx", path=str(path))
    with tempfile.TemporaryDirectory(prefix="kehoach-doc-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        # A private profile directory: concurrent soffice processes sharing one profile lock up.
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               *([f"--infilter={_IN_FILTERS[kind]}"] if kind in _IN_FILTERS else []),
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ExtractionError(f"LibreOffice did not convert the file within {timeout:.0f} s",
                                  path=str(path)) from None
        except subprocess.CalledProcessError as exc:
            msg = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise InputFileError(f"LibreOffice could not convert the {suffix} file: {msg[0]}", path=str(path)) from None
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise InputFileError(f"LibreOffice produced no .docx; the {name} file may be damaged", path=str(path))
        return out.read_bytes()


def _extract_converted(path: Path, cfg: Config, data: bytes, sha256: str, kind: str) -> Document:
    converted = convert_doc_to_docx(path, data, kind=kind)
    check_input("docx", path, converted, cfg)  # the limits of a .docx: pages, unpacked size, entities
    return document_from_docx_bytes(converted, path=str(path), sha256=sha256, source_format=kind, cfg=cfg)


def extract_doc(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract a legacy .doc file by converting it to .docx first."""
    return _extract_converted(path, cfg, data, sha256, "doc")


def extract_rtf(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract an RTF file (read as text, its control words would be the plan's text) by
    converting it to .docx first."""
    return _extract_converted(path, cfg, data, sha256, "rtf")


def extract_odt(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract an OpenDocument text file (LibreOffice Writer) by converting it to .docx first."""
    return _extract_converted(path, cfg, data, sha256, "odt")


def extract_html(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract an HTML page (Word's "Web Page", a plan saved from a portal; read as text, its
    tags would be the plan's text and its tables lost) by converting it to .docx first."""
    return _extract_converted(path, cfg, data, sha256, "html")


def extract_mhtml(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract a web archive (``.mht``: Word's "Single File Web Page", a browser's saved page):
    its HTML part, converted to .docx."""
    return _extract_converted(path, cfg, data, sha256, "mhtml")


def html_of_web_archive(path: Path, data: bytes) -> bytes:
    """The first ``text/html`` part of a MIME web archive, its transfer encoding (quoted-printable,
    base64) undone and its text re-encoded as UTF-8 with a charset declaration saying so."""
    import email
    import email.policy

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        body = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        try:
            text = body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = body.decode("utf-8", errors="replace")
        # the page's own <meta charset> may name the archive's charset: LibreOffice would follow it
        text = re.sub(r"<meta[^>]+charset[^>]*>", "", text, flags=re.I)
        return ('<meta http-equiv="Content-Type" content="text/html; charset=utf-8">' + text).encode("utf-8")
    raise InputFileError("the web archive holds no HTML page", path=str(path))
