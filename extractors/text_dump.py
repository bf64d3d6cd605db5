"""Text dumps (.txt, .md): decode the bytes, split lines and pages.

Decoding tries, in order: UTF-8 (with or without BOM), UTF-16 (BOM, or the
NUL pattern of UTF-16 without BOM), the raw bytes of the legacy TCVN3 / VNI font
encodings (kept as Latin-1 letters for the repair stage), then Windows-1258
(Vietnamese ANSI).  Text
is NFC-normalized (cp1258 stores tone marks as combining characters).

Pages: a form feed starts a new page.  Dumps made by PDF-to-text tools without
form feeds start each page with one leading space; a line that starts with
exactly one space and comes at least :data:`MIN_PAGE_LINES` lines after the
previous page start is taken as a page start.  The shorter gap keeps the
header's right-hand column (" Vĩnh Lập, ngày ...") from counting as a page.

Markdown emphasis (``**bold**``) and heading marks are removed: they are
formatting, and some dumps carry them in ``.txt`` files.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from extractors.markup_tables import markup_tables_as_tabs
from normalizers.encodings import decode_tcvn3, decode_vni, is_valid_syllable
from pipeline.config import Config
from pipeline.errors import InputFileError, LimitExceededError
from pipeline.model import Document, Line, Page

MIN_PAGE_LINES = 15
_PAGE_START = re.compile(r"^ (?! )\S")
_MD_EMPHASIS = re.compile(r"\*\*|__")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
# Control characters other than tab/newline/carriage return/form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Control characters that are not TCVN3 letters (0x01-0x02, 0x04-0x06, 0x11-0x17 are).
_LEGACY_CONTROL = re.compile(r"[\x00\x03\x07\x08\x0b\x0e-\x10\x18-\x1f\x7f]")


def decode_text(data: bytes, path: str) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputFileError` when not text."""
    if not data.strip():
        raise InputFileError("the file is empty; nothing to extract", path=path)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        return _text_or_error(_strict(data, "utf-32", path), path), "utf-32"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _text_or_error(_strict(data, "utf-16", path), path), "utf-16"
    sample = data[:4096]
    nul = sample.count(0)
    if nul:
        # UTF-16 without BOM: the NULs sit on every other byte of ASCII text.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros > 0.3 * len(sample) / 2:
                try:
                    return _text_or_error(data.decode(enc), path), enc
                except (UnicodeDecodeError, InputFileError):
                    pass
        raise InputFileError(
            "the file is binary (contains NUL bytes), not a text dump; "
            "give PDFs, DOCX or images their proper extension", path=path)
    try:
        return _text_or_error(data.decode("utf-8"), path), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: either Windows-1258 or the raw bytes of a legacy font encoding
    # (TCVN3 / VNI), which must stay byte-for-byte as Latin-1 letters for the repair
    # stage to decode: read as cp1258, the combining-mark bytes would compose wrongly.
    # The reading that yields the most valid Vietnamese syllables wins.
    latin1 = data.decode("latin-1")
    try:
        cp1258 = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp1258 = None
    sample = latin1[:20000]
    scores = {"latin-1": max(_syllable_share(decode_tcvn3(sample)), _syllable_share(decode_vni(sample)))}
    if cp1258 is not None:
        scores["cp1258"] = _syllable_share(cp1258[:20000])
    if scores.get("cp1258", -1.0) >= scores["latin-1"]:
        return _text_or_error(cp1258, path), "cp1258"
    if scores["latin-1"] > 0.5:
        return _text_or_error(latin1, path), "latin-1"
    raise InputFileError(
        "the text is neither UTF-8, UTF-16, Windows-1258 nor TCVN3/VNI; "
        "re-save it as UTF-8", path=path)


_WORD = re.compile(r"[^\W\d_]+")


def _syllable_share(text: str) -> float:
    """Share of letter runs that are valid Vietnamese syllables (0 when none)."""
    words = _WORD.findall(text)
    return sum(map(is_valid_syllable, words)) / len(words) if words else 0.0


def _text_or_error(text: str, path: str) -> str:
    """Refuse decoded 'text' that is mostly control characters or outside Latin script."""
    sample = text[:20000]
    if not sample:
        return text
    bad = sum(1 for c in sample if (c < " " and c not in "\t\n\r\f") or "\u0370" <= c < "\u1e00"
              or "\u2c00" <= c < "\ufb00" or "\ue000" <= c <= "\uf8ff" or c == "\ufffd")
    if bad > 0.05 * len(sample):
        raise InputFileError("the file is binary or not Vietnamese text (mostly control or non-Latin "
                             "characters); check its format", path=path)
    return text


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputFileError(f"the text is not valid {encoding} ({exc.reason} at byte {exc.start}); "
                             "re-save it as UTF-8", path=path) from None


def clean_line(text: str, *, legacy: bool = False) -> str:
    """Drop carriage returns, control characters and Markdown emphasis; NFC.

    ``legacy``: the text holds TCVN3 bytes as Latin-1 letters, where 0x01-0x17
    are upper-case letters (Ú, Ụ, Ừ ...), not control characters: keep them.
    """
    text = text.replace("\r", "")
    text = _LEGACY_CONTROL.sub("", text) if legacy else _CONTROL.sub("", text)
    # Until nothing changes, so that cleaning twice is cleaning once ("# # x", "_**_").
    while True:
        stripped = _MD_EMPHASIS.sub("", _MD_HEADING.sub("", text))
        if stripped == text:
            break
        text = stripped
    return unicodedata.normalize("NFC", text)


def split_pages(raw_lines: list[str]) -> list[int]:
    """Page number (1-based) of every line, from form feeds or page-start spaces."""
    pages: list[int] = []
    page, last_start = 1, 0
    has_ff = any("\f" in line for line in raw_lines)
    for i, line in enumerate(raw_lines):
        if has_ff:
            if "\f" in line and i > 0:
                page += line.count("\f")
        elif _PAGE_START.match(line) and i - last_start >= MIN_PAGE_LINES:
            page += 1 if i > 0 else 0
            last_start = i
        pages.append(page)
    return pages


def check_line_length(lines: list[str], max_line_chars: int, path: str) -> None:
    """Refuse text with a line longer than ``max_line_chars`` (:class:`LimitExceededError`)."""
    longest = max(map(len, lines), default=0)
    if longest > max_line_chars:
        where = next(i for i, line in enumerate(lines, start=1) if len(line) == longest)
        raise LimitExceededError(
            f"line {where:,} is {longest:,} characters long, over the limit of {max_line_chars:,} "
            "(KEHOACH_MAX_LINE_CHARS): not a plan's text dump (no line breaks?); export the text "
            "again with line breaks", path=path)


_LINE_BREAK_RE = re.compile("\r(?!\n)|[\u2028\u2029]")


def split_lines(text: str, *, legacy: bool = False) -> list[str]:
    """The lines of a dump: ended by "\n" or "\r\n", and by a lone "\r" (old Mac, some
    exports) or a Unicode line or paragraph separator unless ``legacy`` (a legacy font's bytes
    read as Latin-1, where a control code may be a letter); no empty last line."""
    raw = (text if legacy else _LINE_BREAK_RE.sub("\n", text)).split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    return raw


def document_from_text(text: str, *, path: str, sha256: str, source_format: str,
                       min_text_chars: int = 0, encoding: str | None = None,
                       max_line_chars: int | None = None, max_pages: int | None = None) -> Document:
    """Build a :class:`Document` from decoded text (one Page per page).

    ``max_line_chars`` / ``max_pages``: refuse text with a longer line or more pages
    (:class:`LimitExceededError`) before any work that grows with them."""
    raw = split_lines(text, legacy=encoding == "latin-1")
    raw = markup_tables_as_tabs(raw)
    if max_line_chars is not None:
        check_line_length(raw, max_line_chars, path)
    if len("".join(text.split())) < min_text_chars:
        raise InputFileError(
            f"the file has fewer than {min_text_chars} non-space characters; nothing to extract",
            path=path)
    page_of = split_pages(raw)
    if max_pages is not None and page_of and page_of[-1] > max_pages:
        raise LimitExceededError(
            f"the text has {page_of[-1]:,} pages (form feeds), over the limit of {max_pages:,} "
            "(KEHOACH_MAX_PAGES); split it or raise the limit", path=path)
    by_page: dict[int, list[Line]] = {}
    legacy = encoding == "latin-1"
    for number, (line, page) in enumerate(zip(raw, page_of), start=1):
        text = clean_line(line, legacy=legacy).replace("\f", "")
        by_page.setdefault(page, []).append(Line(number=number, text=text, page=page))
    pages = tuple(Page(number=n, method="text", lines=tuple(lines)) for n, lines in sorted(by_page.items()))
    return Document(source_path=path, source_sha256=sha256, source_format=source_format,
                    pages=pages, source_encoding=encoding)


def extract(path: Path, cfg: Config, *, data: bytes, sha256: str) -> Document:
    """Extract a text dump already read into ``data``."""
    text, encoding = decode_text(data, str(path))
    source_format = "markdown" if path.suffix.lower() == ".md" else "text"
    return document_from_text(text, path=str(path), sha256=sha256, source_format=source_format,
                              min_text_chars=cfg.min_text_chars, encoding=encoding,
                              max_line_chars=cfg.max_line_chars, max_pages=cfg.max_pages)
