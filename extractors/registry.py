"""Which extractor reads which file: detection by content first, extension second.

The table maps a file kind to ``"module:function"`` and is imported lazily, so
a missing optional dependency only matters for the files that need it.  Every
extractor has the signature ``extract(path, cfg, *, data, sha256) -> Document``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import UnsupportedFormatError

EXTRACTORS: dict[str, str] = {
    "text": "extractors.text_dump:extract",
    "markdown": "extractors.text_dump:extract",
    "pdf": "extractors.pdf_text:extract",  # text layer or OCR, decided per page
    "docx": "extractors.docx:extract",
    "doc": "extractors.docx:extract_doc",  # converted with LibreOffice
    "rtf": "extractors.docx:extract_rtf",  # converted with LibreOffice
    "odt": "extractors.docx:extract_odt",  # converted with LibreOffice
    "html": "extractors.docx:extract_html",  # converted with LibreOffice (Word's "Web Page", portals' pages)
    "mhtml": "extractors.docx:extract_mhtml",  # its HTML part, converted with LibreOffice
    "xlsx": "extractors.xlsx:extract",  # an appendix kept in Excel
    "image": "extractors.pdf_ocr:extract_image",
}

#: Kinds recognised but not read by this version, with what to do about them.
NOT_YET: dict[str, str] = {
    "zip": "a ZIP archive, not a plan; unpack it and add the files inside",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc"),
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
)
_EXT: dict[str, str] = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".pdf": "pdf", ".docx": "docx", ".doc": "doc",
    ".rtf": "rtf", ".odt": "odt", ".html": "html", ".htm": "html", ".xhtml": "html", ".mht": "mhtml",
    ".mhtml": "mhtml", ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}


def detect_kind(path: Path, head: bytes) -> str:
    """File kind from the first bytes, falling back on the extension; 'text' otherwise."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:200]:
            return "odt"
        if b"xl/" in head or path.suffix.lower() in (".xlsx", ".xlsm"):
            return "xlsx"
        return "docx" if path.suffix.lower() in (".docx", ".docm", "") or b"word/" in head else "zip"
    # A PDF header may follow a little junk (allowed by readers); look a bit further.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    markup = markup_kind(head)
    if markup:
        return markup
    kind = _EXT.get(path.suffix.lower(), "text")
    if kind == "html" and _HTML_TAG.search(head.decode("latin-1")):
        return "html"  # a page without <html> (a fragment a browser or an editor saved)
    # No magic number: a file named .pdf / .docx / .png that holds text is a text dump.
    if kind not in ("text", "markdown") and looks_like_text(head):
        return "text"
    return kind


_HTML_START = re.compile(r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.S)
_HTML_TAG = re.compile(r"<(?:table|tr|td|p|div|body|head|meta|span|br|h[1-6]|ul|ol|li)[\s/>]", re.I)
_MIME_HEADER = re.compile(r"^(?:[\w-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*?mime-version:", re.S)


def markup_kind(head: bytes) -> str | None:
    """"html" for the first bytes of an HTML page (a doctype or an ``<html>`` element after an
    XML prolog, comments and white space; UTF-8, UTF-16 or a legacy 8-bit charset), "mhtml" for
    a MIME web archive (Word's "Single File Web Page", a browser's saved page) -- whatever the
    file is named: portals serve Word's web pages as ``.doc``; else None."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower().replace("\r\n", "\n")
    if _HTML_START.match(text):
        return "html"
    if _MIME_HEADER.match(text) and "multipart/related" in text and "text/html" in text:
        return "mhtml"
    return None


def looks_like_text(head: bytes) -> bool:
    """The first bytes are UTF-8 or UTF-16 text (a BOM, or UTF-8 without control characters)."""
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if not head.strip() or b"\x00" in head:
        return False
    if not _utf8(head):
        return False
    return not any(c < " " and c not in "\t\n\r\f" for c in head.decode("utf-8", errors="ignore"))


def _utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte letter cut by the 2048-byte read is still UTF-8.
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def get_extractor(kind: str, path: str) -> Callable:
    if kind not in EXTRACTORS:
        reason = NOT_YET.get(kind, f"unsupported file kind {kind!r}")
        raise UnsupportedFormatError(reason, path=path)
    module, _, func = EXTRACTORS[kind].partition(":")
    return getattr(importlib.import_module(module), func)
