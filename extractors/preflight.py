"""Checks made before an extractor runs: cheap looks at an input's structure that refuse
what would be dangerous or pointless to decode, with a message saying what is wrong.

* PDF: cut short (no ``%%EOF``), a password (a user password other than the empty one), more than ``cfg.max_pages``
  pages, a page larger than ``cfg.max_page_pixels`` once rendered at ``cfg.ocr_dpi``, or an
  embedded image with more pixels than that (a decompression bomb);
* images: more pixels than ``cfg.max_page_pixels`` (read from the header; nothing is
  decoded) or more frames than ``cfg.max_pages``;
* DOCX: members that unpack to more than ``cfg.max_file_bytes`` in all (a zip bomb), XML
  with a DOCTYPE (entity declarations: "billion laughs"; Word never writes one), or more than
  ``cfg.max_pages`` pages: a Word file has no fixed pages, so they are counted while the main
  part streams through expat (no tree is built) as the largest of its page breaks + 1, Word's
  last layout (``w:lastRenderedPageBreak`` + 1), and the estimates of
  :data:`DOCX_LINES_PER_PAGE` body paragraphs or table rows and :data:`DOCX_CHARS_PER_PAGE`
  characters a page.  The same checks run on a ``.doc`` once LibreOffice has converted it.

A file these checks cannot parse passes: the extractor then reports the damage in its own
words.  Only the limits and the password are decided here.
"""

from __future__ import annotations

import io
import math
import re
import warnings
import zipfile
from pathlib import Path

from extractors.page_size import page_scale
from pipeline.config import Config
from pipeline.errors import EncryptedInputError, InputFileError, LimitExceededError

__all__ = ["check_input", "check_pixels"]

#: bytes of each XML member of a DOCX looked at for a DOCTYPE (it must precede the root element)
XML_HEAD_BYTES = 4096
#: a Word page holds at most about this many body paragraphs or table rows (single lines at
#: 11-12 pt on A4), and about this many characters: the page estimates of a DOCX err low
DOCX_LINES_PER_PAGE = 50
DOCX_CHARS_PER_PAGE = 5000


def check_input(kind: str, path: Path, data: bytes, cfg: Config) -> None:
    """Raise :class:`LimitExceededError` / :class:`EncryptedInputError` for an input that must
    not be extracted; return quietly otherwise."""
    if kind == "pdf":
        _check_pdf(path, data, cfg)
    elif kind == "image":
        _check_image(path, data, cfg)
    elif kind == "docx":
        _check_docx(path, data, cfg)
    elif kind == "xlsx":
        zf = check_package(path, data, cfg, "Excel workbook", "Excel")
        if zf is not None:
            zf.close()


def check_pixels(path: Path, what: str, width: float, height: float, cfg: Config) -> None:
    pixels = width * height
    if pixels > cfg.max_page_pixels:
        raise LimitExceededError(
            f"{what} is {width:,.0f} × {height:,.0f} pixels ({pixels:,.0f}), over the limit of "
            f"{cfg.max_page_pixels:,} pixels per page (KEHOACH_MAX_PAGE_PIXELS); refused without "
            "decoding it", path=str(path))


def _too_many_pages(path: Path, count: str, cfg: Config, how: str = "") -> LimitExceededError:
    return LimitExceededError(
        f"the document has {count} pages{how}, over the limit of {cfg.max_pages:,} (KEHOACH_MAX_PAGES); "
        "split it or raise the limit", path=str(path))


# --- PDF ------------------------------------------------------------------------------------------


def _check_pdf(path: Path, data: bytes, cfg: Config) -> None:
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    if b"%PDF-" not in data[:1024]:
        raise InputFileError("not a readable PDF: there is no %PDF- header (binary junk, or another kind of "
                             "file named .pdf); check the file", path=str(path))
    # Every complete PDF ends with %%EOF (within the last 1024 bytes, as Acrobat requires);
    # pdfminer would otherwise read what it can of a cut file and report nothing missing.
    if b"%%EOF" not in data[-1024:]:
        raise InputFileError(
            f"the PDF is truncated ({len(data):,} bytes, no %%EOF end marker): the download or copy did "
            "not finish; get the complete file", path=str(path))
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise EncryptedInputError(
            "the PDF is protected by a password; remove it (qpdf --decrypt --password=... in.pdf out.pdf) "
            "and add the decrypted file", path=str(path)) from None
    except PDFEncryptionError as exc:
        raise EncryptedInputError(
            f"the PDF is encrypted in a way that cannot be read ({exc}); save a decrypted copy "
            "(qpdf --decrypt in.pdf out.pdf) and add that", path=str(path)) from None
    except Exception:  # noqa: BLE001 - damaged: the extractor says so in its words
        return
    scale = cfg.ocr_dpi / 72.0
    pages = PDFPage.create_pages(doc)
    count = 0
    while True:
        try:
            page = next(pages)
        except StopIteration:
            break
        except Exception:  # noqa: BLE001 - a broken page tree: the extractor reports it
            return
        count += 1
        if count > cfg.max_pages:
            raise _too_many_pages(path, f"more than {cfg.max_pages:,}", cfg)
        box = _box(page)
        if box is not None:
            # a page of implausible size is rendered as an A4 sheet (extractors.page_size.page_scale)
            k = scale / page_scale(*box)
            check_pixels(path, f"page {count} ({box[0]:,.0f} × {box[1]:,.0f} pt at {cfg.ocr_dpi} dpi)",
                         box[0] * k, box[1] * k, cfg)
        for width, height in _page_images(page):
            check_pixels(path, f"an image on page {count}", width, height, cfg)


def _box(page) -> tuple[float, float] | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    except Exception:  # noqa: BLE001 - a missing or malformed MediaBox
        return None
    return abs(x1 - x0), abs(y1 - y0)


def _page_images(page):
    """(width, height) in pixels of the image XObjects a page uses directly."""
    from pdfminer.pdftypes import resolve1

    try:
        xobjects = resolve1((page.resources or {}).get("XObject")) or {}
        items = list(xobjects.items()) if isinstance(xobjects, dict) else []
    except Exception:  # noqa: BLE001
        return
    for _, ref in items:
        try:
            obj = resolve1(ref)
            attrs = getattr(obj, "attrs", None) or {}
            if getattr(resolve1(attrs.get("Subtype")), "name", None) != "Image":
                continue
            width, height = float(resolve1(attrs.get("Width"))), float(resolve1(attrs.get("Height")))
        except Exception:  # noqa: BLE001
            continue
        yield width, height


# --- images ---------------------------------------------------------------------------------------

_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def _check_image(path: Path, data: bytes, cfg: Config) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError as exc:
        m = _BOMB_PIXELS.search(str(exc))
        pixels = f"{int(m.group(1)):,}" if m else "too many"
        raise LimitExceededError(
            f"the image claims {pixels} pixels, over the limit of {cfg.max_page_pixels:,} pixels per page "
            "(KEHOACH_MAX_PAGE_PIXELS); refused without decoding it", path=str(path)) from None
    except Exception:  # noqa: BLE001 - unreadable: the extractor says so
        return
    with img:
        check_pixels(path, "the image", *img.size, cfg)
        try:
            frames = getattr(img, "n_frames", 1)
        except Exception:  # noqa: BLE001 - a broken frame chain: the extractor reports it
            return
        if frames > cfg.max_pages:
            raise _too_many_pages(path, f"{frames:,}", cfg)


# --- DOCX -----------------------------------------------------------------------------------------


def _check_docx(path: Path, data: bytes, cfg: Config) -> None:
    zf = check_package(path, data, cfg)
    if zf is not None:
        with zf:
            _check_docx_pages(path, zf, cfg)


def check_package(path: Path, data: bytes, cfg: Config, what: str = "Word document", app: str = "Word"
                  ) -> zipfile.ZipFile | None:
    """Refuse an Office package (a Word document, an Excel workbook) that unpacks to more than
    ``cfg.max_file_bytes`` or whose XML declares entities; the open package, or None when
    ``data`` is no zip (the extractor says so)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # noqa: BLE001 - not a zip: the extractor says so
        return None
    unpacked = sum(i.file_size for i in infos)
    if unpacked > cfg.max_file_bytes:
        zf.close()
        raise LimitExceededError(
            f"the {what} unpacks to {unpacked:,} bytes ({len(data):,} packed), over the limit of "
            f"{cfg.max_file_bytes:,} (KEHOACH_MAX_FILE_BYTES); a zip bomb or a damaged file",
            path=str(path))
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        try:
            with zf.open(info) as fh:
                head = fh.read(XML_HEAD_BYTES)
        except Exception:  # noqa: BLE001 - a damaged member: the extractor says so
            continue
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            zf.close()
            raise _declares_entities(path, info.filename, what, app)
    return zf


def _declares_entities(path: Path, member: str, what: str = "Word document", app: str = "Word") -> LimitExceededError:
    return LimitExceededError(
        f"the {what}'s {member} declares XML entities (a DOCTYPE, as in the 'billion laughs' "
        f"attack; {app} never writes one); refused. Re-save it in {app}.", path=str(path))


_MAIN_PART = re.compile(rb'Type="[^"]*/officeDocument"[^>]*?Target="/?([^"]+)"|Target="/?([^"]+)"[^>]*?Type="[^"]*/officeDocument"')


def _main_part(zf: zipfile.ZipFile) -> str:
    """The name of the document's main part (``word/document.xml`` unless the package says otherwise)."""
    try:
        m = _MAIN_PART.search(zf.read("_rels/.rels"))
    except Exception:  # noqa: BLE001 - no or damaged relationships: the usual name
        m = None
    return (m.group(1) or m.group(2)).decode("utf-8", "replace") if m else "word/document.xml"


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class _DocxPages:
    """What makes pages in a DOCX main part, counted from expat's events (see the module doc)."""

    def __init__(self) -> None:
        self.breaks = 0  # w:br w:type="page", w:pageBreakBefore, section breaks that start a page
        self.rendered = 0  # w:lastRenderedPageBreak: a page Word's last layout started
        self.lines = 0  # body paragraphs and table rows (paragraphs inside cells are their row's)
        self.chars = 0  # characters of text (w:t)
        self._cells = 0  # depth in w:tc
        self._props = 0  # depth in w:pPr
        self._section: bool | None = None  # inside a paragraph's w:sectPr: does it start a page?
        self._text = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "tc":
            self._cells += 1
        elif tag in ("p", "tr"):
            self.lines += not self._cells
        elif tag == "t":
            self._text = True
        elif tag == "br":
            self.breaks += attrs.get(f"{_W} type") == "page"
        elif tag == "lastRenderedPageBreak":
            self.rendered += 1
        elif tag == "pageBreakBefore":
            self.breaks += attrs.get(f"{_W} val", "true") not in ("0", "false", "off")
        elif tag == "pPr":
            self._props += 1
        elif tag == "sectPr" and self._props:
            self._section = True
        elif tag == "type" and self._section:
            self._section = attrs.get(f"{_W} val") in (None, "nextPage", "evenPage", "oddPage")

    def end(self, name: str) -> None:
        tag = name.rpartition(" ")[2]
        if tag == "tc":
            self._cells -= 1
        elif tag == "t":
            self._text = False
        elif tag == "pPr":
            self._props -= 1
        elif tag == "sectPr" and self._section is not None:
            self.breaks += self._section
            self._section = None

    def text(self, data: str) -> None:
        if self._text:
            self.chars += len(data)

    def over(self, limit: int) -> str | None:
        """How the document is known to have more than ``limit`` pages; None while it is not."""
        if max(self.breaks, self.rendered) + 1 > limit:
            return " (counted from its page breaks)"
        if max(math.ceil(self.lines / DOCX_LINES_PER_PAGE), math.ceil(self.chars / DOCX_CHARS_PER_PAGE)) > limit:
            return (f" (estimated from {self.lines:,} paragraphs and table rows and {self.chars:,} characters, "
                    f"at {DOCX_LINES_PER_PAGE} or {DOCX_CHARS_PER_PAGE:,} a page)")
        return None


def _check_docx_pages(path: Path, zf: zipfile.ZipFile, cfg: Config) -> None:
    """Refuse a Word document of more than ``cfg.max_pages`` pages, as soon as that is known."""
    from xml.parsers import expat

    name = _main_part(zf)
    counter = _DocxPages()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = counter.start
    parser.EndElementHandler = counter.end
    parser.CharacterDataHandler = counter.text
    parser.buffer_text = True

    def no_entities(*_: object) -> None:
        raise _declares_entities(path, name)

    parser.StartDoctypeDeclHandler = no_entities
    parser.EntityDeclHandler = no_entities
    try:
        with zf.open(name) as fh:  # never more than the size the zip declares for it
            while True:
                chunk = fh.read(1 << 20)
                parser.Parse(chunk, not chunk)
                if (how := counter.over(cfg.max_pages)) is not None:
                    raise _too_many_pages(path, f"more than {cfg.max_pages:,}", cfg, how)
                if not chunk:
                    return
    except LimitExceededError:
        raise
    except Exception:  # noqa: BLE001 - damaged XML or zip member: the extractor says so
        return
