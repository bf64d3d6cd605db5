"""Which extractor reads which file: detection by content first, extension second.

The table maps a file kind to ``"module:function"`` and is imported lazily, so
a missing optional dependency only matters for the files that need it.  Every
extractor has the signature ``extract(path, cfg, *, data, sha256) -> Document``.
"""

from __future__ import annotations

import importlib
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
    ".rtf": "rtf", ".odt": "odt",
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
        return "docx" if path.suffix.lower() in (".docx", ".docm", "") or b"word/" in head else "zip"
    # A PDF header may follow a little junk (allowed by readers); look a bit further.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    kind = _EXT.get(path.suffix.lower(), "text")
    # No magic number: a file named .pdf / .docx / .png that holds text is a text dump.
    if kind not in ("text", "markdown") and looks_like_text(head):
        return "text"
    return kind


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
