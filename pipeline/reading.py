"""Read one input file into its final lines: the text every later stage sees.

Reading is two steps, both here so that ``kehoach extract`` (:func:`pipeline.run.process_document`)
and ``kehoach text`` read a file the same way:

1. :func:`extract_document`: the file's bytes (bounded, :func:`read_input`), its kind, the
   extractor for that kind (per-page verdict and OCR for PDFs and scans), and the check that
   any text came out;
2. :func:`repair_document`: every line checked and, when damaged, repaired (diacritics
   restored, English-model OCR decoded, TCVN3/VNI decoded), ``text_state`` recorded;

and the OCR'd pages read poorly reported (:func:`report_poor_reading`).
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import hashlib
import stat
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from extractors.preflight import check_input
from extractors.registry import detect_kind, get_extractor
from normalizers.quarters import bent_quarter_numerals
from normalizers.encodings import decode as decode_legacy, legacy_text
from normalizers.repair import RepairResult, repair_lines
from normalizers.split_syllables import join_split_syllables
from normalizers.quality import POOR_READING, letter_words, reading_estimate, with_vietnamese_letters
from normalizers.text import drop_invisible
from pipeline.config import Config
from pipeline.errors import InputFileError, LimitExceededError
from pipeline.model import Document, ErrorItem, Page
from pipeline.stages import run_stage, stage


def read_input(path: Path, cfg: Config) -> bytes:
    """Read a file's bytes, refusing what is not a readable regular file of sane size."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputFileError("the file does not exist (moved or a broken link?)", path=str(path)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputFileError("is a symbolic link that loops back on itself; fix or remove the link",
                                 path=str(path)) from None
        raise InputFileError(f"cannot access the file: {exc.strerror or exc}", path=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(f"is a folder with no input files in it ({', '.join(cfg.extensions)})",
                             path=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError("is not a regular file (device, socket or pipe)", path=str(path))
    if st.st_size == 0:
        raise InputFileError("the file is empty (0 bytes); nothing to extract", path=str(path))
    if st.st_size > cfg.max_file_bytes:
        raise LimitExceededError(
            f"the file is {st.st_size:,} bytes, over the limit of {cfg.max_file_bytes:,} "
            "(raise it with KEHOACH_MAX_FILE_BYTES)", path=str(path))
    try:
        with open(path, "rb") as fh:
            # Bounded by what stat() said (read() allocates its whole size up front), plus
            # what a growing file added since, up to one byte past the limit.
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(cfg.max_file_bytes + 1 - len(data))
    except PermissionError:
        raise InputFileError("permission denied; make the file readable (chmod +r)", path=str(path)) from None
    except OSError as exc:
        raise InputFileError(f"cannot read the file: {exc.strerror or exc}", path=str(path)) from None
    if len(data) > cfg.max_file_bytes:
        raise LimitExceededError(f"the file grew past the limit of {cfg.max_file_bytes:,} bytes while being read "
                                 "(raise it with KEHOACH_MAX_FILE_BYTES)", path=str(path))
    return data


def extract_document(path: Path, cfg: Config, data: bytes, sha256: str) -> Document:
    """The document the file's extractor reads from ``data`` (the file's bytes), refused when it
    holds (almost) no text.  Raises :class:`~pipeline.errors.KehoachError` for bad input."""
    kind = detect_kind(path, data[:2048])
    extract = get_extractor(kind, str(path))
    check_input(kind, path, data, cfg)
    doc = extract(path, cfg, data=data, sha256=sha256)
    _check_has_text(doc, path, cfg)
    return doc


def _check_has_text(doc: Document, path: Path, cfg: Config) -> None:
    """Refuse a document that yielded (almost) no text: blank pages, an empty Word file, a scan
    that OCR could not read — rows of nothing would pass for a plan without tasks."""
    chars = sum(len("".join(line.text.split())) for line in doc.lines)
    if chars < cfg.min_text_chars:
        raise InputFileError(
            f"no text found ({chars} non-space characters on {len(doc.pages)} page(s); fewer than "
            f"{cfg.min_text_chars}, KEHOACH_MIN_TEXT_CHARS): blank pages, or a scan too faint to read", path=str(path))


@stage("repair.text.v2", reads=("lines",), writes=("lines", "documents"), returns=RepairResult)
def _repair(lines: list[str], mode: str) -> RepairResult:
    return repair_lines(lines, mode=mode)


def repair_document(doc: Document, cfg: Config, errors: list[ErrorItem]) -> Document:
    """The document with its damaged lines repaired (``cfg.repair``: auto, a forced mode, or off);
    a failing repair is an error item in ``errors`` and leaves the lines as extracted."""
    if cfg.repair == "off":
        return doc
    doc = run_stage("repair.characters.v1", errors, doc, doc)
    repaired: RepairResult | None = run_stage("repair.text.v2", errors, None, doc.texts(), cfg.repair)
    if repaired is not None and len(repaired.lines) == len(doc.lines):
        kept = _vie_ocr_kept(doc, cfg, repaired)
        doc = _with_repair(doc, kept)
        if _LEGACY.keys() & set(kept.line_states):
            doc = run_stage("repair.legacy_cells.v1", errors, doc, doc, kept.line_states)
    if cfg.repair in ("auto", "ascii"):
        doc = run_stage("repair.cells.v1", errors, doc, doc)
    return run_stage("repair.ocr_quarters.v1", errors, doc, doc)


@stage("repair.characters.v1", reads=("lines", "tables"), writes=("lines", "tables"), returns=Document)
def _characters(doc: Document) -> Document:
    """The document's lines and table cells without the invisible format characters inside
    words (:func:`normalizers.text.drop_invisible`: a zero-width space, a soft hyphen) and with
    the look-alikes of Vietnamese letters written as those letters where that makes them
    Vietnamese (:func:`normalizers.quality.with_vietnamese_letters`: "Ðiều", "HÐND" -> "Điều",
    "HĐND"), before the repair: it takes "ðôn ðốc" for a legacy font's text ("an c").  A
    document with lines typed in a legacy font (TCVN3, VNI) is left to the repair: there a
    soft hyphen is "ư" and "Ð" is "é"."""
    if legacy_text(doc.texts()):
        return doc
    return _with_lines(_with_cells(doc, plain_characters, _every_page, lambda cell: True), plain_characters,
                       _every_page)


def plain_characters(texts: Sequence[str]) -> list[str]:
    """``texts`` without invisible format characters inside words and with the look-alikes of
    Vietnamese letters put right (:func:`_characters`); ``kehoach repair`` cleans its lines so
    too, when they are no legacy font's text."""
    return [with_vietnamese_letters(drop_invisible(t)) for t in texts]


#: line states of text in a legacy font encoding -> the encoding (normalizers.encodings)
_LEGACY = {"legacy_tcvn3": "tcvn3", "legacy_vni": "vni"}


@stage("repair.legacy_cells.v1", reads=("tables",), writes=("tables",), returns=Document)
def _legacy_cells(doc: Document, line_states: tuple[str, ...]) -> Document:
    """The document with the table cells whose lines were decoded from a legacy font encoding
    (TCVN3, VNI: a Word file or a PDF typed in .VnTime or VNI-Times) decoded the same way: the
    lines were, the cells the appendix reader reads were not ("Coâng chöùc Tö phaùp" as the lead
    of a VNI-typed plan's every row).  A cell goes by the state most of its lines have."""
    def encoding(cell) -> str | None:
        if cell.line_start is None:
            return None
        states = Counter(line_states[n - 1] for n in range(cell.line_start, (cell.line_end or cell.line_start) + 1)
                         if 0 < n <= len(line_states))
        state = states.most_common(1)[0][0] if states else None
        return _LEGACY.get(state)

    for enc in sorted(_LEGACY.values()):
        doc = _with_cells(doc, lambda texts, enc=enc: [decode_legacy(t, enc) for t in texts], _every_page,
                          lambda cell, enc=enc: encoding(cell) == enc)
    return doc


@stage("repair.cells.v1", reads=("tables",), writes=("tables",), returns=Document)
def _join_cells(doc: Document) -> Document:
    """The document with split syllables joined in its table cells ("t ỉnh" -> "tỉnh"): the
    repair stage joins them in the lines, the cells feed the appendix reader (PDF text layers
    split syllables; a DOCX made from such text carries the splits along)."""
    return _with_cells(doc, join_split_syllables, _every_page)


def _every_page(page) -> bool:
    return True


#: page methods whose text OCR read
_OCR_METHODS = frozenset({"ocr", "hybrid"})


@stage("repair.ocr_quarters.v1", reads=("lines", "tables"), writes=("lines", "tables"), returns=Document)
def _ocr_quarters(doc: Document) -> Document:
    """The document with the quarter numerals OCR bent put back in the text OCR read ("Quý
    11/2024" -> "Quý II/2024", :mod:`normalizers.quarters`): the lines and cells of OCR'd pages,
    every line of a dump of English-model OCR; the document's OCR'd lines tell whether it writes
    its quarters in roman numerals."""
    dump = doc.text_state == "ocr_mangled" and all(page.method not in _OCR_METHODS for page in doc.pages)
    read = _every_page if dump else read_by_ocr
    evidence = [line.text for page in doc.pages if read(page) for line in page.lines]
    if not evidence:
        return doc
    fix = functools.partial(bent_quarter_numerals, evidence=evidence)
    return _with_lines(_with_cells(doc, fix, read), fix, read)


def read_by_ocr(page) -> bool:
    """Whether the page's text came from OCR (of the whole page, or of its unreadable parts)."""
    return page.method in _OCR_METHODS


def _with_cells(doc: Document, fn, read, which=lambda cell: " " in cell.text) -> Document:
    """The document with ``fn`` (texts -> texts) applied to the table cells ``which`` selects
    (by default those of more than one word) of the pages ``read`` selects; unchanged pages and
    cells are kept as they are."""
    where = [(p, t, c) for p, page in enumerate(doc.pages) if read(page)
             for t, table in enumerate(page.tables) for c, cell in enumerate(table.cells) if which(cell)]
    if not where:
        return doc
    texts = fn([doc.pages[p].tables[t].cells[c].text for p, t, c in where])
    new = {key: text for key, text in zip(where, texts) if text != doc.pages[key[0]].tables[key[1]].cells[key[2]].text}
    if not new:
        return doc
    pages = tuple(
        page if not any(k[0] == p for k in new) else dataclasses.replace(page, tables=tuple(
            dataclasses.replace(table, cells=tuple(
                cell if (p, t, c) not in new else dataclasses.replace(cell, text=new[(p, t, c)])
                for c, cell in enumerate(table.cells)))
            for t, table in enumerate(page.tables)))
        for p, page in enumerate(doc.pages))
    return dataclasses.replace(doc, pages=pages)


def _with_lines(doc: Document, fn, read) -> Document:
    """The document with ``fn`` (texts -> texts) applied to the lines of the pages ``read`` selects."""
    pages = []
    for page in doc.pages:
        if read(page) and page.lines:
            texts = fn([line.text for line in page.lines])
            page = dataclasses.replace(page, lines=tuple(
                line if new == line.text else dataclasses.replace(line, text=new)
                for line, new in zip(page.lines, texts)))
        pages.append(page)
    return dataclasses.replace(doc, pages=tuple(pages))


def _vie_ocr_kept(doc: Document, cfg: Config, result: RepairResult) -> RepairResult:
    """The repair without its English-OCR decoding of lines on pages read with tesseract's
    Vietnamese model (``cfg.ocr_lang`` with "vie"): they are Unicode Vietnamese, already
    corrected by :mod:`normalizers.ocr_correct`; a line of stamp noise that looks like
    English-model OCR keeps its text and counts as accented (mode ``auto`` only)."""
    if cfg.repair != "auto" or "vie" not in cfg.ocr_lang.split("+"):
        return result
    on_ocr = [page.method == "ocr" for page in doc.pages for _line in page.lines]
    keep = [o and state == "ocr_mangled" for o, state in zip(on_ocr, result.line_states)]
    if not any(keep):
        return result
    states = tuple("accented" if k else state for k, state in zip(keep, result.line_states))
    lines = tuple(line.text if k else new for k, line, new in zip(keep, doc.lines, result.lines))
    state = result.state
    if state in ("ocr_mangled", "mixed"):
        state = Counter(states).most_common(1)[0][0]
    return dataclasses.replace(result, lines=lines, state=state, line_states=states)


def _with_repair(doc: Document, result: RepairResult) -> Document:
    """The document with its line texts replaced by the repaired ones, state recorded."""
    texts = iter(result.lines)
    pages = tuple(
        dataclasses.replace(page, lines=tuple(
            line if (new := next(texts)) == line.text else dataclasses.replace(line, text=new)
            for line in page.lines))
        for page in doc.pages)
    return dataclasses.replace(doc, pages=pages, text_state=result.state,
                               repair_confidence=round(result.confidence, 4))


def page_accuracy(page: Page) -> float | None:
    """``documents.page_accuracy``: the estimated share of an OCR'd page's syllables read
    right (None for other pages and pages with too few words to judge):
    :func:`normalizers.quality.reading_estimate`."""
    if page.method not in ("ocr", "hybrid"):
        return None
    return reading_estimate(page.quality, sum(letter_words(line.text) for line in page.lines))


def report_poor_reading(doc: Document, errors: list[ErrorItem]) -> None:
    """Never garbage as success: OCR'd pages estimated to read under
    :data:`~normalizers.quality.POOR_READING` of their syllables right get an error item in
    ``errors`` (``kehoach extract``: the document is partial; ``kehoach text``: a warning)."""
    poor = [(page.number, page.quality, got) for page in doc.pages
            if (got := page_accuracy(page)) is not None and got < POOR_READING]
    if poor:
        said = "; ".join(f"page {n}: about {got:.0%} of its words right (mean OCR confidence {q:.2f})"
                         for n, q, got in poor)
        errors.append(ErrorItem("extract", "poor_reading", (
            f"{doc.source_path}: OCR read {len(poor)} page(s) poorly -- {said}: their text, tasks and "
            "rows are doubtful (a faint, coarse or broken scan; a 300 dpi grey scan reads better)")))


def read_document(path: Path, cfg: Config) -> tuple[Document, list[ErrorItem]]:
    """The file read into its final lines (extracted, then repaired) and the problems met on the
    way that leave it readable (the extractor's and the repair's error items)."""
    data = read_input(path, cfg)
    doc = extract_document(path, cfg, data, hashlib.sha256(data).hexdigest())
    errors = list(doc.errors)
    doc = repair_document(doc, cfg, errors)
    report_poor_reading(doc, errors)
    return doc, errors
