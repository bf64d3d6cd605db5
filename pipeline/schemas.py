"""Every Parquet table the pipeline writes, in one place.

One ``pa.schema`` per table; each field carries ``metadata={"doc": ...}`` and
each schema ``{"table", "schema_version"}``.  Researchers read the docs with
``kehoach schema`` or ``pq.read_schema(path).field(name).metadata``.

Conventions shared by all tables: column names are English snake_case, values
keep the document's Vietnamese (repaired where the source was damaged); pages
and lines are 1-based; ``bbox`` is ``[x0, top, x1, bottom]`` in PDF points
(null for text dumps, which have no geometry).  Columns whose values arrive in
a later version say so in their doc ("null until ...").

pyarrow does not enforce ``nullable=False`` when building tables and drops
unknown dict keys silently, so :func:`validate_rows` checks rows first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from normalizers.admin_units import STATUSES as ADMIN_STATUSES
from normalizers.areas import AREAS
from normalizers.deadlines import RECURRENCES
from normalizers.doc_types import DOC_TYPES, PLAN
from normalizers.indicators import INDICATORS
from normalizers.owners import OWNER_KINDS, OWNER_LEVELS
from pipeline.model import PAGE_METHODS

SCHEMA_VERSION = "3"

TEXT_STATES = ("accented", "ascii", "ocr_mangled", "legacy_tcvn3", "legacy_vni", "mixed")
SOURCE_FORMATS = ("text", "markdown", "pdf", "docx", "doc", "rtf", "odt", "html", "mhtml", "xlsx", "image")
COMPARATORS = ("ge", "le", "eq", "gt", "lt", "range")
TASK_SOURCES = ("appendix", "body", "responsibility")
TARGET_SOURCES = ("body", "appendix")
ROLES = ("lead", "support", "monitor")
SECTION_KINDS = ("roman", "arabic", "letter", "dash", "plus")
MANIFEST_STATUSES = ("success", "partial", "failure", "skipped")
ADMIN_ERAS = ("legacy", "current")
AREA_SOURCES = ("heading", "text")

_AREA_DOC = ("Standard area of the state administrative reform programme (Nghị quyết 76/NQ-CP; "
             "normalizers/areas.py); null when neither a heading nor the row's own text names one with enough confidence (see area_source). Allowed values: "
             + "; ".join(f"{code} ({name})" for code, name in AREAS.items()) + ".")


def _area_source(what: str) -> pa.Field:
    return _f("area_source", pa.string(), "Where `area` comes from. " + _allowed(AREA_SOURCES) + " (heading: " + what
              + "; text: the row's own text, from the area it names (normalizers/areas.py) or, naming none, from the "
              "naive-Bayes area model when its probability passes the threshold chosen on development text, "
              "normalizers/area_model.py); null when `area` is null.")


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


def _allowed(values: Iterable[str]) -> str:
    return "Allowed values: " + ", ".join(values) + "."


# Parquet names list children "element"; using it here keeps a written and
# re-read schema equal to the declared one.
BBOX = pa.list_(pa.field("element", pa.float64()), 4)


def _provenance() -> list[pa.Field]:
    return [
        _f("page", pa.int32(), "1-based page of the source where this row starts; null when the source has no pages (text dumps without page marks)."),
        _f("line_start", pa.int32(), "1-based first line of this row's text in the extracted document (for text dumps: the line of the file)."),
        _f("line_end", pa.int32(), "1-based last line of this row's text (inclusive)."),
        _f("bbox", BBOX, "Bounding box [x0, top, x1, bottom] in PDF points on `page`; null when the source has no geometry."),
    ]


DOC_ID = _f("doc_id", pa.string(), "Document id: the first 16 hex digits of the SHA-256 of the input file's bytes.", nullable=False)


def _schema(table: str, fields: Sequence[pa.Field]) -> pa.Schema:
    return pa.schema(list(fields), metadata={"table": table, "schema_version": SCHEMA_VERSION})


DOCUMENTS = _schema("documents", [
    DOC_ID,
    _f("source_path", pa.string(), "Input file path as given on the command line (or found under a given folder).", nullable=False),
    _f("source_sha256", pa.string(), "SHA-256 of the input file's bytes (hex).", nullable=False),
    _f("source_format", pa.string(), "Input kind. " + _allowed(SOURCE_FORMATS), nullable=False),
    _f("source_encoding", pa.string(), "Character encoding the text was decoded from (text dumps), e.g. utf-8, utf-16, cp1258; null for binary formats."),
    _f("text_state", pa.string(), "State of the text before repair. " + _allowed(TEXT_STATES), nullable=False),
    _f("repair_confidence", pa.float64(), "Confidence in [0, 1] of the text repair; 1.0 when the text was already correct. Null until the repair stage runs."),
    _f("issuer", pa.string(), "Issuing body as printed in the header, e.g. 'ỦY BAN NHÂN DÂN XÃ VĨNH LẬP'; for a body printed under its parent ('UBND TỈNH LÀO CAI' / 'SỞ CÔNG THƯƠNG') the body, 'SỞ CÔNG THƯƠNG'."),
    _f("commune", pa.string(), "Commune (xã/phường/thị trấn) name as printed, without the unit word, e.g. 'Vĩnh Lập'."),
    _f("district", pa.string(), "District (huyện/quận/thị xã/thành phố thuộc tỉnh) as printed in the text, without the unit word; null if not named."),
    _f("province", pa.string(), "Province or centrally-run city as printed, without the unit word; null if not named."),
    _f("doc_type", pa.string(), "Type of administrative document (Nghị định 30/2020/NĐ-CP; normalizers/doc_types.py): the type word printed as the title line ('QUYẾT ĐỊNH' → QĐ), else the code of the number ('45/QĐ-UBND' → QĐ; a number without a type code, '123/UBND-VP', or a 'V/v ...' subject line → CV, an official letter); null when the header shows neither. Only plans (" + PLAN + ") and documents of unknown type get tasks, targets and owners rows. Allowed values: " + "; ".join(f"{t.code} ({t.name})" for t in DOC_TYPES) + "."),
    _f("doc_number", pa.string(), "Document number and symbol, e.g. '83/KH-UBND' (a blank number prints as '/KH-UBND')."),
    _f("issued_place", pa.string(), "Place name of the date line ('Vĩnh Lập, ngày 31 tháng 12 năm 2021' → 'Vĩnh Lập')."),
    _f("issued_date", pa.date32(), "Issue date from the date line; null when not printed or incomplete."),
    _f("title", pa.string(), "Subject: the lines after the type word ('KẾ HOẠCH', 'QUYẾT ĐỊNH', 'BÁO CÁO', ...) up to the preamble, joined with spaces ('Thực hiện cải cách hành chính nhà nước Xã Vĩnh Lập giai đoạn 2021 - 2025', 'Về việc ban hành Quy chế làm việc'); for an official letter its 'V/v ...' line."),
    _f("period_start", pa.int32(), "First year of the plan period ('giai đoạn 2021 - 2025' → 2021; a one-year plan → that year)."),
    _f("period_end", pa.int32(), "Last year of the plan period."),
    _f("signer", pa.string(), "Name of the signer (last name line of the signature block)."),
    _f("signer_title", pa.string(), "Signer's capacity as printed, e.g. 'TM. ỦY BAN NHÂN DÂN XÃ / CHỦ TỊCH'."),
    _f("n_pages", pa.int32(), "Number of pages (page marks counted in text dumps; 1 when none)."),
    _f("n_lines", pa.int32(), "Number of lines of the extracted text."),
    _f("status", pa.string(), "Processing status. " + _allowed(MANIFEST_STATUSES), nullable=False),
    _f("page_methods", pa.list_(pa.field("element", pa.string())), "How each page was read, in page order. " + _allowed(PAGE_METHODS) + " (text: a text dump; text_layer: a PDF's text layer; ocr: tesseract, for scans, images and PDF pages whose text layer is missing or cannot be trusted; hybrid: the text layer for the text it covers and OCR for image regions it does not, e.g. a table pasted as a picture -- in a PDF, or in a Word file: its markup and OCR of its pictures holding text; docx: Word markup; xlsx: an Excel sheet's cells). Why: page_reasons."),
    _f("page_quality", pa.list_(pa.field("element", pa.float64())), "Per page, in page order: the text layer's quality (share of plausible Vietnamese words) for text_layer pages, the mean OCR word confidence in [0, 1] for ocr pages; null elements for text and docx pages."),
    _f("page_accuracy", pa.list_(pa.field("element", pa.float64())), "Per page, in page order, for ocr and hybrid pages: the estimated share in [0, 1] of the page's syllables read right, from its mean OCR word confidence (normalizers/quality.py reading_estimate: a line fitted on generated scans, off by 0.02-0.04 on held-out ones); a page under 0.8 gets an error item (category poor_reading) and the document is partial. Null elements for other pages and for pages of fewer than 40 words (a signature page: the specks of its seal would decide)."),
    _f("n_pages_ocr", pa.int32(), "Number of pages that were OCR'd in whole or in part (ocr and hybrid)."),
    _f("page_reasons", pa.list_(pa.field("element", pa.string())), "Per page, in page order: why it was read the way page_methods says, in words, from the page verdict on its text layer (extractors/page_verdict.py), e.g. 'text layer (98% Vietnamese syllables)', 'no text layer', '41% of the glyphs have no Unicode mapping (a font without ToUnicode)', 'the text layer is English-model OCR (87% of its lines)', 'an OCR text layer (100% of its text invisible) over a scanned page (100% image): OCR'd again', 'text, and OCR of a picture (10.8 × 7.0 in: 155 lines, 1 tables)' (a Word page); null elements for text dumps and Word pages read from their markup only."),
    _f("n_pages_reread", pa.int32(), "Number of pages whose text layer was present but broken (glyphs without Unicode, a wrong font map, English-model OCR) and that were read again (OCR, or a certain decoding of shifted code points)."),
    _f("text_quality", pa.float64(), "Share in [0, 1] of the document's words, after OCR, page verdicts and repair, that are well-formed Vietnamese syllables or acronyms (normalizers/quality.py). Clean plans score 0.9-1.0; below 0.8 the text is doubtful. Null for a document without text."),
    _f("commune_code", pa.string(), "GSO code of the printed commune in the units of its era (admin_era), e.g. '10813'; null when not resolved (normalizers/admin_units.py)."),
    _f("district_code", pa.string(), "GSO code of the printed district (units before 1 July 2025 only; districts were abolished then); null otherwise."),
    _f("province_code", pa.string(), "GSO code of the printed province in the units of its era, e.g. '30' (Hải Dương before 2025)."),
    _f("current_commune", pa.string(), "The commune today (units from 1 July 2025, vietnam-provinces data), e.g. 'Xã Thanh Hà'; for a plan of a merged commune its successor."),
    _f("current_commune_code", pa.string(), "GSO code of current_commune."),
    _f("current_province", pa.string(), "The province today (34 provinces from 1 July 2025), e.g. 'Thành phố Hải Phòng'."),
    _f("current_province_code", pa.string(), "GSO code of current_province."),
    _f("admin_era", pa.string(), "Which set of units the printed names were resolved in; null when nothing resolved. " + _allowed(ADMIN_ERAS) + " (legacy: 63 provinces with districts, before 2025-07-01; current: the 2025 units)."),
    _f("admin_status", pa.string(), "Most specific printed level that resolved to a unit. " + _allowed(ADMIN_STATUSES) + " (ambiguous: several units fit the printed names)."),
    *_provenance(),
])

SECTIONS = _schema("sections", [
    DOC_ID,
    _f("section_id", pa.string(), "Path of the node in the section tree, e.g. 'II', 'II.2', 'II.2.1', 'II.2.1.a', 'II.2.1.a.-3' (third dash bullet), 'II.2.1.a.-3.+1'. Unique within a document.", nullable=False),
    _f("parent_id", pa.string(), "section_id of the parent node; null for top-level nodes."),
    _f("level", pa.int32(), "Depth in the tree, 1 for top level.", nullable=False),
    _f("kind", pa.string(), "Numbering style of the node. " + _allowed(SECTION_KINDS), nullable=False),
    _f("number", pa.string(), "Number as printed ('II', '2.1', 'a', '-', '+')."),
    _f("heading", pa.string(), "Heading text without its number; for bullet nodes the whole bullet paragraph.", nullable=False),
    _f("area", pa.string(), "Reform area of the innermost heading on this node's path that names one, else of the heading text itself (bullets: the paragraph). " + _AREA_DOC),
    _area_source("a numbered heading on the node's path names it"),
    _f("text", pa.string(), "Text of the node as read (after repair): the lines of its own paragraphs — its heading (or bullet) paragraph and the unnumbered paragraphs that belong to it (for a heading, also those after its bullets), not its children's — each stripped, joined with '\\n'. Every body line but lone page numbers is in exactly one node's text, so a document's nodes can be searched and their words counted without the source file."),
    *_provenance(),
])

TARGETS = _schema("targets", [
    DOC_ID,
    _f("target_id", pa.string(), "Target id, '<doc_id>:t<n>' in document order.", nullable=False),
    _f("section_id", pa.string(), "Innermost section containing the sentence (body targets) or null (appendix)."),
    _f("area", pa.string(), "Reform area of the target's section (body) or appendix row group, else of the target's clause (body) or the row's task text (appendix). " + _AREA_DOC),
    _area_source("its section's heading path, or the appendix group row / Mục tiêu cell"),
    _f("text", pa.string(), "The sentence or clause stating the goal, whitespace collapsed.", nullable=False),
    _f("subject", pa.string(), "What is measured, e.g. 'Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ hành chính'."),
    _f("value", pa.float64(), "The number (for ranges: the lower bound).", nullable=False),
    _f("value_max", pa.float64(), "Upper bound of a range ('99% - 100%' → 100); null otherwise."),
    _f("unit", pa.string(), "Unit, normalized: '%', 'phút', 'ngày', 'giờ', 'hồ sơ', 'văn bản', 'TTHC', 'lần', 'lượt', ...; null when none printed."),
    _f("comparator", pa.string(), "How the value bounds the goal. " + _allowed(COMPARATORS) + " (ge: tối thiểu / trở lên / từ ... trở lên / ít nhất; le: tối đa / không quá; gt: trên; lt: dưới; range: X - Y, từ X đến Y; eq: otherwise)."),
    _f("target_year", pa.int32(), "Year by which the goal is to be reached, where stated ('đến năm 2025')."),
    _f("indicator", pa.string(), "Coded indicator, so that the same goal lines up across plans (normalizers/indicators.py, matched on subject, clause and unit); null when the target matches none. Allowed values: " + "; ".join(f"{i.code} ({i.name}, {i.unit})" for i in INDICATORS) + "."),
    _f("source", pa.string(), "Where the goal was stated. " + _allowed(TARGET_SOURCES), nullable=False),
    _f("confidence", pa.float64(), "Confidence in [0, 1] that this row was read right: the reading quality of its page (page_quality; 1 for text dumps and DOCX) x the share of Vietnamese syllables in its own text x the certainty of the parse that found it (1.0 for table cells from markup or rulings, 0.85 for a table decoded from printed lines, 0.9 for body paragraphs and responsibilities; x0.85 for a target without a unit). Filter with one comparison, e.g. confidence >= 0.8 (normalizers/quality.py)."),
    *_provenance(),
])

TASKS = _schema("tasks", [
    DOC_ID,
    _f("task_id", pa.string(), "Task id, '<doc_id>:<a|b|r><n>' (appendix / body / responsibility) in document order.", nullable=False),
    _f("source", pa.string(), "Where the task comes from. " + _allowed(TASK_SOURCES) + " ('body': a bullet under a 'Nhiệm vụ' heading; 'responsibility': a duty assigned to an owner in 'Tổ chức thực hiện').", nullable=False),
    _f("section_id", pa.string(), "Section of the body or responsibility task; null for appendix rows."),
    _f("group_no", pa.string(), "Appendix group number as printed ('I', 'II'); for body and responsibility tasks the number of the enclosing area section ('2.2')."),
    _f("group_title", pa.string(), "Appendix group title ('Cải cách thể chế'); for body tasks the heading of the enclosing area section (the outermost numbered heading that is not a 'Mục tiêu' / 'Nhiệm vụ' heading)."),
    _f("area", pa.string(), "Reform area of the appendix group row (else its Mục tiêu cell) or of the body section, else of the task's own text (Nhiệm vụ / Hoạt động cell, the body task or the duty). " + _AREA_DOC),
    _area_source("the section's heading path or the enclosing area section, or the appendix group row / Mục tiêu cell"),
    _f("row_no", pa.string(), "Appendix row number (TT/STT) as printed; when the row prints none, the number its table's sequence gives (previous row + 1; 1 at a group of a table that numbers every group from 1; kept only below the next printed number of the group; see row_no_inferred); null when neither, or not an appendix row."),
    _f("row_no_inferred", pa.bool_(), "True when row_no was not printed but given by the sequence of the table (extractors/row_numbers.py), false when printed; null for body and responsibility tasks and appendix rows without a number."),
    _f("objective", pa.string(), "Mục tiêu cell (merged cells applied to every row they span), without its outline label ('1.1. Mục tiêu 1: Xây dựng ...' -> 'Xây dựng ...'; see objective_no)."),
    _f("objective_no", pa.string(), "Number of the outline label the Mục tiêu cell opens with: the number after the keyword, as printed ('1.2. Mục tiêu 2: ...' -> '2'; 'Mục tiêu 1.1:' -> '1.1'; the outline prefix '1.2.' is not kept); null when the cell has no numbered label (extractors/outline_labels.py)."),
    _f("task", pa.string(), "Nhiệm vụ / Nội dung cell (appendix) without its outline label ('2.3. Nhiệm vụ 3: Tham gia ...' -> 'Tham gia ...'; the Hoạt động, else the Mục tiêu text when the row has no task cell), or the task text (body / responsibility).", nullable=False),
    _f("task_no", pa.string(), "Number of the 'Nhiệm vụ N' label the task cell opens with ('2.3. Nhiệm vụ 3: ...' -> '3'), as objective_no; null without one."),
    _f("activity", pa.string(), "Hoạt động cell (appendix tables that list activities under each task), without its outline label ('3.4: Hoạt động 4: Rà soát ...' -> 'Rà soát ...')."),
    _f("activity_no", pa.string(), "Number of the 'Hoạt động N' label the activity cell opens with ('3.4: Hoạt động 4: ...' -> '4'), as objective_no; null without one."),
    _f("product", pa.string(), "Sản phẩm / kết quả cell."),
    _f("lead", pa.string(), "Cơ quan chủ trì as printed (after repair); for responsibilities the owner the duty is assigned to."),
    _f("support", pa.string(), "Cơ quan phối hợp as printed (after repair)."),
    _f("monitor", pa.string(), "Body that follows up, checks and urges ('Theo dõi, kiểm tra, đôn đốc' column) as printed (after repair); kept apart from support; null when the table has no such column."),
    _f("deadline", pa.string(), "Thời gian cell as printed (after repair)."),
    _f("deadline_start", pa.date32(), "First day of the deadline window (inclusive), from `deadline` with the plan's period and issue date for relative text ('Quý III/2025' -> 2025-07-01; 'Hàng năm' in a 2021-2025 plan -> 2021-01-01); null when open or not stated (normalizers/deadlines.py)."),
    _f("deadline_end", pa.date32(), "Last day of the window / due date (inclusive) ('Trước ngày 31/12 hàng năm' in a 2021-2025 plan -> 2025-12-31); null when open or not stated."),
    _f("recurrence", pa.string(), "How often the task is due; null when `deadline` states no time. " + _allowed(RECURRENCES) + " (continuous: 'Thường xuyên'; conditional: 'Sau khi có văn bản ...', 'Khi có yêu cầu')."),
    _f("budget", pa.string(), "Kinh phí cell as printed."),
    _f("note", pa.string(), "Ghi chú cell as printed."),
    _f("confidence", pa.float64(), "Confidence in [0, 1] that this row was read right: the reading quality of its page (page_quality; 1 for text dumps and DOCX; for an appendix row of a scanned table, the mean OCR word confidence of its weakest cell when lower) x the share of Vietnamese syllables in its own text x the certainty of the parse that found it (1.0 for table cells from markup or rulings, 0.85 for a table decoded from printed lines, 0.9 for body paragraphs and responsibilities; x0.85 for a target without a unit). Filter with one comparison, e.g. confidence >= 0.8 (normalizers/quality.py)."),
    *_provenance(),
])

OWNERS = _schema("owners", [
    _f("owner_id", pa.string(), "Stable key of the canonical body: its folded name, e.g. 'van_phong_hdnd_ubnd_xa'.", nullable=False),
    _f("name", pa.string(), "Canonical display name, e.g. 'Văn phòng HĐND - UBND xã'.", nullable=False),
    _f("kind", pa.string(), "Kind of body. " + _allowed(OWNER_KINDS) + " (cap_tren: a body above the commune, e.g. 'Sở Nội vụ'; generic: a vague group)."),
    _f("level", pa.string(), "Administrative level; null when unknown. " + _allowed(v for v in OWNER_LEVELS if v)),
    _f("generic", pa.bool_(), "True for vague groups ('Các bộ phận liên quan', 'Các phòng chuyên môn').", nullable=False),
    _f("registered", pa.bool_(), "True when the body is in the reviewed registry normalizers/data/owners.csv; false for a new body named by its cleaned surface (review it and add it, with aliases, to the registry)."),
    _f("aliases", pa.list_(pa.field("element", pa.string())), "Distinct surface forms seen in the documents, sorted."),
    _f("doc_id", pa.string(), "First document (by doc_id order) that names this body.", nullable=False),
    _f("doc_ids", pa.list_(pa.field("element", pa.string())), "All documents that name this body, sorted."),
    _f("n_tasks", pa.int32(), "Number of task_owners links to this body."),
    *_provenance(),
])

TASK_OWNERS = _schema("task_owners", [
    DOC_ID,
    _f("task_id", pa.string(), "The task (tasks.task_id).", nullable=False),
    _f("owner_id", pa.string(), "The canonical body (owners.owner_id).", nullable=False),
    _f("role", pa.string(), "Role of the body in the task. " + _allowed(ROLES), nullable=False),
    _f("surface", pa.string(), "The owner as printed in the cell or sentence.", nullable=False),
    *_provenance(),
])

REFERENCES = _schema("references", [
    DOC_ID,
    _f("ref_id", pa.string(), "Citation id, '<doc_id>:c<n>' in reading order.", nullable=False),
    _f("ref_number", pa.string(), "Number and symbol of the cited document, spaces removed, dashes '-': '76/NQ-CP', '60/2021/NĐ-CP', '4347/KH-UBND'.", nullable=False),
    _f("ref_type", pa.string(), "Kind of document ('Nghị quyết', 'Quyết định', 'Kế hoạch', 'Thông tư', 'Nghị định', 'Chỉ thị', 'Công văn', ...), from the words before the number or its symbol; null when neither says."),
    _f("ref_issuer", pa.string(), "Issuing body as printed after 'của' ('Chính phủ', 'Ủy ban nhân dân tỉnh Hải Dương'); null when not printed."),
    _f("ref_date", pa.date32(), "Issue date of the cited document ('ngày 15/7/2021'); null when not printed."),
    _f("text", pa.string(), "The citation as printed, whitespace collapsed.", nullable=False),
    *_provenance(),
])

MANIFEST = _schema("manifest", [
    _f("source_path", pa.string(), "Input file path. Every input file appears exactly once.", nullable=False),
    _f("doc_id", pa.string(), "Document id when the file could be read (hash of its bytes); null otherwise."),
    _f("source_sha256", pa.string(), "SHA-256 of the file's bytes; null when unreadable."),
    _f("source_format", pa.string(), "Detected input kind; null when unknown. " + _allowed(SOURCE_FORMATS)),
    _f("status", pa.string(), "Outcome. " + _allowed(MANIFEST_STATUSES) + " (partial: some stage failed but rows were produced; skipped: not a plan input, e.g. a duplicate file).", nullable=False),
    _f("error", pa.string(), "One-line message naming the problem and what to do; null on success."),
    _f("error_category", pa.string(), "Machine-readable error kind (input_file, unsupported_format, missing_dependency, extraction, internal, duplicate, ...); null on success."),
    _f("seconds", pa.float64(), "Wall-clock seconds spent on this file.", nullable=False),
    _f("n_rows", pa.int32(), "Rows this file contributed across all tables."),
])

SCHEMAS: dict[str, pa.Schema] = {
    s.metadata[b"table"].decode(): s
    for s in (DOCUMENTS, SECTIONS, TARGETS, TASKS, OWNERS, TASK_OWNERS, REFERENCES, MANIFEST)
}

#: Tables with one row set per document (rows carry doc_id).
DOCUMENT_TABLES = ("documents", "sections", "targets", "tasks", "task_owners", "references")


def field_doc(field: pa.Field) -> str:
    return (field.metadata or {}).get(b"doc", b"").decode()


def describe() -> str:
    """Human-readable listing of every table and column (for ``kehoach schema``)."""
    out: list[str] = []
    for name, schema in SCHEMAS.items():
        out.append(f"{name}  (schema_version {SCHEMA_VERSION})")
        for field in schema:
            null = "" if field.nullable else " not null"
            out.append(f"  {field.name}: {field.type}{null}\n      {field_doc(field)}")
        out.append("")
    return "\n".join(out)


class SchemaError(ValueError):
    pass


def validate_rows(table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Raise :class:`SchemaError` if a row has unknown keys or nulls in not-null columns."""
    schema = SCHEMAS[table]
    names = set(schema.names)
    required = [f.name for f in schema if not f.nullable]
    for i, row in enumerate(rows):
        extra = set(row) - names
        if extra:
            raise SchemaError(f"{table} row {i}: unknown columns {sorted(extra)}")
        for name in required:
            if row.get(name) is None:
                raise SchemaError(f"{table} row {i}: column {name!r} must not be null")


def to_arrow(table: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Validate rows and build an Arrow table with the table's exact schema."""
    validate_rows(table, rows)
    schema = SCHEMAS[table]
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


# --- dataset layout (``kehoach extract --layout dataset``) --------------------------------------

#: Hive partition columns of the ``dataset`` layout.  They are not stored in the
#: files: the writer derives them from each row's document and they appear as
#: columns when the directory is read as one table (pandas, pyarrow, DuckDB, polars).
PARTITION_FIELDS: tuple[pa.Field, ...] = (
    _f("province_key", pa.string(), "Dataset layout partition: the document's province as printed, folded to "
       "ASCII snake_case ('Thanh Hóa' → 'thanh_hoa'); 'unknown' when the header names none.", nullable=False),
    _f("year_key", pa.string(), "Dataset layout partition: the plan's first year (period_start), else the year "
       "of issued_date, as 4 digits; 'unknown' when neither is printed. Readers infer an integer type when "
       "every partition has a year.", nullable=False),
)

#: Tables written as one unpartitioned part in the dataset layout (cross-document tables).
UNPARTITIONED_TABLES = ("owners", "manifest")
