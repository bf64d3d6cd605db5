"""Appendix tables of varied shapes (tests/plan_shapes.py) through the real pipeline, in every
input form: DOCX, the LibreOffice PDF and its ``pdftotext -layout`` dump (also stripped to ASCII)
must give the plan's rows; the plain ``pdftotext`` dumps print a table's cells out of row order
and must give no wrong rows (what is left out is said in an error item); the OCR forms have
their figures printed, and a grey office copy with seals must give the plan's rows.  ``scripts/eval_tables.py`` measures the same on a larger set.

The forms are cached by plan under ~/.cache/kehoach-plan-shapes ($KEHOACH_SHAPES_CACHE), OCR
results by image (fixture_docs.install_ocr_cache).
"""

from __future__ import annotations

import zipfile

import pytest
from pdf2image import convert_from_path

import plan_shapes as ps
from extractors.pdf_ocr import read_image
from fixture_docs import install_ocr_cache
from pipeline.config import Config
from pipeline.run import process_document
from table_match import COMPARED_ROLES, appendix_rows, rows_recall_precision, score

#: 9 columns on landscape pages with group rows, merged Mục tiêu and a Theo dõi column; 9 columns
#: without groups, row numbers' header not repeated, Mục tiêu and Nhiệm vụ merged over
#: activities; 7 portrait columns, groups, Mục tiêu repeated on every row, header not repeated
SEEDS = (7, 26, 4)
OCR_SEED = 7
DUMPS = ("plain", "layout", "ascii", "ascii_layout")
MIN_RECALL = MIN_PRECISION = 0.95
#: layout dumps: the rows of every plan here (12 eval plans: 0.974 / 0.985)
MIN_LAYOUT = 0.9


@pytest.fixture(scope="module")
def plans():
    return {seed: ps.make_plan(seed) for seed in SEEDS}


def _figures(plan, form: str) -> tuple[object, list[dict], dict]:
    res = process_document(ps.make_form(plan, form), Config(workers=1))
    got = appendix_rows(res)
    s = score(got, ps.gold_rows(plan), COMPARED_ROLES, ps.field_roles(plan, COMPARED_ROLES),
              ps.extra_roles(plan, COMPARED_ROLES))
    print(f"seed {plan.seed} {form}: {s['got']} rows for {s['gold']}, {s['matched']} matched; "
          f"fields {({k: v for k, v in s['fields'].items() if v[1]})}; not compared {s['extra']}")
    return res, got, s


def test_the_plans_have_the_shapes_they_were_drawn_with(plans):
    """The DOCX markup holds what the plan says (merges, repeated header, orientation, group
    rows) and the table runs over 3+ pages of the PDF."""
    seen = set()
    for plan in plans.values():
        assert 4 <= len(plan.roles) <= 9 and "task" in plan.roles
        assert len(plan.headers) == len(plan.widths) == len(plan.roles)
        xml = zipfile.ZipFile(ps.make_form(plan, "docx")).read("word/document.xml").decode()
        assert ("<w:vMerge" in xml) == bool(plan.merged), plan.describe()
        assert ("<w:tblHeader" in xml) == plan.repeat_header, plan.describe()
        assert ('w:orient="landscape"' in xml) == plan.landscape, plan.describe()
        assert ("<w:gridSpan" in xml) == plan.groups, plan.describe()
        for header in plan.headers:
            assert f">{header}<" in xml
        body_pages = 1
        assert ps.pdf_pages(ps.make_form(plan, "pdf")) - body_pages >= 3, plan.describe()
        gold = ps.gold_rows(plan)
        assert all(g["task"] for g in gold)
        seen |= {("landscape", plan.landscape), ("repeat", plan.repeat_header), ("groups", plan.groups)}
        for role in plan.merged:  # a merged cell's text is repeated on every row it spans
            texts = [g[role] for g in gold]
            assert len(set(texts)) < len(texts), (plan.seed, role)
    # the test set covers both sides of every shape switch it is meant to
    assert {("landscape", True), ("landscape", False), ("repeat", True), ("repeat", False),
            ("groups", True), ("groups", False)} <= seen


@pytest.mark.parametrize("form", ["docx", "pdf", "tabs", "markdown", "lotext", "pandoc_md", "pandoc_gfm", "pandoc_plain"])
@pytest.mark.parametrize("seed", SEEDS)
def test_docx_and_pdf_give_the_plan_rows(plans, seed, form):
    """The DOCX, its PDF, and the DOCX as Word's plain-text export (``tabs``: a group row merged
    across the table printed as one cell without a tab), as Markdown or as LibreOffice's text
    export (``lotext``: a paragraph per line, an empty line per empty cell; before, 0.46 of the
    rows of 12 plans at precision 0.58, as success), or converted by pandoc (grid, multiline and
    HTML tables; before, no rows of most plans, as success) give the plan's rows."""
    plan = plans[seed]
    res, got, s = _figures(plan, form)
    assert res.status == "success", res.error_message
    recall, precision = rows_recall_precision(got, ps.gold_rows(plan), COMPARED_ROLES)
    assert recall >= MIN_RECALL and precision >= MIN_PRECISION, (plan.describe(), recall, precision)
    cells_ok = sum(a for a, _ in s["fields"].values()) / sum(b for _, b in s["fields"].values())
    assert cells_ok >= 0.98, (plan.describe(), s["fields"])


@pytest.mark.parametrize("form", DUMPS)
@pytest.mark.parametrize("seed", SEEDS)
def test_text_dumps_give_the_plan_rows_or_no_wrong_rows(plans, seed, form):
    """Layout dumps (accented or ASCII) give the plan's rows; plain dumps, whose cells come out
    of row order, give no wrong rows: what is left out is said."""
    plan = plans[seed]
    text = ps.make_form(plan, form).read_text(encoding="utf-8")
    ascii_form = form.startswith("ascii")
    assert ("PHU LUC" if ascii_form else "PHỤ LỤC") in text
    assert all(c < "\x80" for c in text) == ascii_form
    res, got, s = _figures(plan, form)
    assert res.status in ("success", "partial"), res.error_message
    assert res.tables["documents"][0]["doc_number"] == "12/KH-UBND"
    recall, precision = rows_recall_precision(got, ps.gold_rows(plan), COMPARED_ROLES)
    if form in ("layout", "ascii_layout"):
        assert recall >= MIN_LAYOUT and precision >= MIN_LAYOUT, (plan.describe(), recall, precision)
    else:
        assert not got or precision >= 0.9, (plan.describe(), recall, precision)
        if recall < 1.0:
            assert any("appendix row(s) left out" in e.message for e in res.errors), res.error_message


@pytest.mark.parametrize("seed", SEEDS + (1008,))
def test_tables_centred_vertically_give_the_plan_rows_or_no_wrong_rows(plans, seed):
    """Word plans often centre their cells vertically: a row's number and short cells stand
    beside the middle line of its tallest cell.  DOCX and PDF read them as they read top-aligned
    tables; a layout dump gives their rows where no outline cell is merged over several rows
    (seed 4: Mục tiêu repeated on every row; 1008: four columns) and leaves the rest out; a
    plain dump gives no wrong rows."""
    plan = plans[seed] if seed in plans else ps.make_plan(seed)
    want = ps.gold_rows(plan)
    for form in ("docx_centered", "pdf_centered"):
        res, got, _ = _figures(plan, form)
        recall, precision = rows_recall_precision(got, want, COMPARED_ROLES)
        assert recall >= MIN_RECALL and precision >= MIN_PRECISION, (form, plan.describe(), recall, precision)
    for form in ("layout_centered", "plain_centered"):
        res, got, _ = _figures(plan, form)
        recall, precision = rows_recall_precision(got, want, COMPARED_ROLES)
        assert not got or precision >= 0.9, (form, plan.describe(), recall, precision)
        if recall < 1.0:
            assert res.status == "partial", (form, plan.describe(), res.error_message)
        if form == "layout_centered" and not plan.merged and seed in (4, 1008):
            # measured: seed 4 0.824, 1008 0.984
            assert recall >= 0.8, (plan.describe(), recall)


@pytest.mark.parametrize("seed", (8, 1001))
def test_a_centred_layout_dump_with_merged_outline_cells_gives_its_rows(seed):
    """Merged Nhiệm vụ (seed 8) or Mục tiêu (1001) cells centred over the rows they span, in a
    layout dump: each row takes the merged cell whose span holds it, a page break cutting one
    included.  Measured: seed 8 0.919 / 0.944, 1001 0.875 / 0.907 (before: 0.622 / 0.920 and
    0.000, every page left out)."""
    plan = ps.make_plan(seed)
    assert plan.merged
    res, got, _ = _figures(plan, "layout_centered")
    recall, precision = rows_recall_precision(got, ps.gold_rows(plan), COMPARED_ROLES)
    assert recall >= 0.85 and precision >= 0.9, (plan.describe(), recall, precision)
    if recall < 1.0:
        assert res.status == "partial", res.error_message


@pytest.mark.parametrize("seed", (1, 1002))
def test_a_centred_layout_dump_whose_header_cells_wrap_above_the_others_gives_its_rows(seed):
    """A centred header whose wrapped cells print their first lines two lines or more above the
    line of its one-line cells ("Theo dõi, / kiểm tra, / đôn đốc" over five lines, seed 1; "Kết /
    quả / đầu ra", 1002) is read whole.  Measured: 1.000 / 1.000 on both (before: no table)."""
    plan = ps.make_plan(seed)
    res, got, _ = _figures(plan, "layout_centered")
    recall, precision = rows_recall_precision(got, ps.gold_rows(plan), COMPARED_ROLES)
    assert recall >= MIN_RECALL and precision >= MIN_PRECISION, (plan.describe(), recall, precision)


@pytest.mark.parametrize("form, min_recall", [("layout", MIN_RECALL), ("layout_centered", 0.8)])
def test_a_layout_dump_with_merged_cells_inside_merged_cells_gives_its_rows(form, min_recall):
    """Mục tiêu cells merged over Nhiệm vụ cells merged over activities, numbered rows (seed 41).
    Top-aligned, a merged cell's sentence left open ("... theo chỉ đạo của" / "UBND huyện ...")
    goes on at the next row's top: measured 1.000 / 1.000 (before: 0.640 / 0.640 under
    ``success``).  Centred in their spans, each outer cell spans whole inner cells: measured
    0.840 / 1.000 (before: every page left out)."""
    plan = ps.make_plan(41)
    assert {"objective", "task"} <= set(plan.merged) and "row_no" in plan.roles
    res, got, _ = _figures(plan, form)
    recall, precision = rows_recall_precision(got, ps.gold_rows(plan), COMPARED_ROLES)
    assert recall >= min_recall and precision >= MIN_PRECISION, (plan.describe(), recall, precision)
    if recall < 1.0:
        assert res.status == "partial", res.error_message


@pytest.fixture(scope="module")
def ocr_plan(plans):
    return plans[OCR_SEED]


@pytest.mark.parametrize("seed", SEEDS)
def test_english_ocr_dump_is_read_and_its_figures_printed(plans, seed):
    """The English-model OCR text of every plan: read, its rows recall and precision printed,
    and the rows it leaves out said (the document partial, the count in its errors).  These
    tables of eight or nine columns, three or four of free text a single space apart, are where
    the row-lines reader is least sure: measured rows recall / precision 0.314 / 0.579 (seed 7),
    0.042 / 0.125 (26), 0.441 / 0.750 (4) -- below the 0.9 precision the generated sets of
    ``scripts/eval_tables.py --forms ocr_eng`` reach (0.970 on the default plans)."""
    plan = plans[seed]
    text = ps.make_form(plan, "ocr_eng").read_text(encoding="utf-8")
    # English-model OCR: no letters of Vietnamese only (ơ, ư, đ, dot-below vowels)
    assert not set(text) & set("ơưđạặậẹệịọộợụựỵƠƯĐ"), sorted(set(text) & set("ơưđạặậẹệịọộợụựỵƠƯĐ"))
    assert "KH-UBND" in text
    res, got, s = _figures(plan, "ocr_eng")
    recall, precision = rows_recall_precision(got, ps.gold_rows(plan), COMPARED_ROLES)
    print(f"seed {seed} ocr_eng: {len(got)} rows, recall {recall:.3f}, precision {precision:.3f}")
    assert res.status in ("success", "partial"), res.error_message
    if recall < 1.0:
        assert res.status == "partial" and any("appendix row(s) left out" in e.message for e in res.errors)


def test_scan_is_ocred_and_its_figures_printed(ocr_plan, monkeypatch):
    install_ocr_cache(monkeypatch)
    res, got, s = _figures(ocr_plan, "scan")
    assert res.status in ("success", "partial"), res.error_message  # partial: an OCR glyph cut
    doc = res.tables["documents"][0]
    assert doc["page_methods"] == ["ocr"] * ps.pdf_pages(ps.make_form(ocr_plan, "pdf"))


def test_a_scan_turned_on_the_glass_gives_the_rows_of_the_upright_scan(ocr_plan, monkeypatch):
    """The plan's landscape appendix pages scanned on a portrait glass, content turned 90° or
    270°: the pages are turned back before OCR and give the rows of the upright scan."""
    install_ocr_cache(monkeypatch)
    _, _, upright = _figures(ocr_plan, "scan")
    res, _, turned = _figures(ocr_plan, "scan_turned")
    assert res.status in ("success", "partial"), res.error_message
    assert turned["matched"] >= upright["matched"] - 1 and turned["got"] <= upright["got"] + 1, (upright, turned)


def test_a_grey_office_copy_with_seals_gives_the_plan_rows(ocr_plan, monkeypatch):
    """The harsh office copy scanned in grey: the red seals and the blue signature as grey as
    faint text, so no colour tells them apart; taken off by their shape (scan_clean), they
    split no cells and hide no lines (on the 12 eval plans 0.895 / 0.961; 0.565 / 0.722 before
    the seals were taken off, 0.856 / 0.942 before the pen strokes were, 0.916 / 0.941 before
    rows with seal-garbled body or deadline cells were left out)."""
    install_ocr_cache(monkeypatch)
    res, got, s = _figures(ocr_plan, "scan_grey")
    assert res.status in ("success", "partial"), res.error_message
    recall, precision = rows_recall_precision(got, ps.gold_rows(ocr_plan), COMPARED_ROLES)
    assert recall >= 0.85 and precision >= 0.9, (recall, precision)


#: 4 landscape columns (TT, Nội dung, Cơ quan chủ trì, Tiến độ), no merged cells: pdftotext
#: without -layout prints it column by column (the TT and Nội dung columns down the page, the
#: other two in bands)
COLUMN_DUMP_SEED = 1008


def test_a_plain_dump_printed_column_by_column_gives_the_plan_rows():
    """The rows of a plain dump whose table pdftotext printed column by column are put back by
    counting each column's cells down the page (extractors.appendix.column_dump)."""
    plan = ps.make_plan(COLUMN_DUMP_SEED)
    text = ps.make_form(plan, "plain").read_text(encoding="utf-8")
    assert "\nTT\n1\n2\n3\n" in text  # the TT column printed as a block of its own
    res, got, s = _figures(plan, "plain")
    recall, precision = rows_recall_precision(got, ps.gold_rows(plan), COMPARED_ROLES)
    assert recall >= MIN_RECALL and precision == 1.0, (recall, precision)
    assert len({r["page"] for r in got}) >= 3  # a table over three pages


#: plans whose two-level header puts a top cell over the lead and support columns: seed 4
#: ("Cơ quan thực hiện" over "Đơn vị chủ trì" | "Phối hợp", portrait, header not repeated),
#: 18 ("Trách nhiệm thực hiện" over "Cơ quan chủ trì" | "Cơ quan phối hợp", landscape)
TWO_LEVEL_SEEDS = (4, 18)


@pytest.mark.parametrize("seed", TWO_LEVEL_SEEDS)
def test_a_two_level_header_gives_the_plan_rows_in_every_form(seed, monkeypatch):
    """A top cell over the lead and support columns, their own cells below: DOCX, PDF, the
    layout dumps (top-aligned and centred, accented and ASCII) and the scan give the plan's
    rows, each with its lead and its supporting bodies apart, as do the DOCX as Word's
    plain-text export (the top cell printed once over the lower cells' line) and as Markdown
    (before: 6 of 34 and 2 of 31 rows, at precision 0.18 and 0.07: the lower cells read as a
    row, the columns shifted); the plain dump gives no wrong rows.  On 30 such plans (``eval_tables.py --two-level --first-seed 1001 --plans 40``):
    layout 0.977 / 0.992, layout_centered 0.964 / 0.996, scan 0.993 / 0.995 (before: 0.615 /
    0.724 and 0.465 / 0.566; the scan read the lead and support as one column where OCR
    garbled a lower cell)."""
    install_ocr_cache(monkeypatch)
    plan = ps.make_plan(seed, two_level=True)
    assert plan.spans and plan.spans[0][0] in ps.SPAN_LABELS
    xml = zipfile.ZipFile(ps.make_form(plan, "docx")).read("word/document.xml").decode()
    assert f">{plan.spans[0][0]}<" in xml and '<w:gridSpan w:val="2"/>' in xml
    want = ps.gold_rows(plan)
    for form in ("docx", "pdf", "tabs", "markdown", "lotext", "pandoc_md", "pandoc_gfm", "pandoc_plain", "layout",
                 "ascii_layout", "layout_centered", "scan"):
        res, got, s = _figures(plan, form)
        recall, precision = rows_recall_precision(got, want, COMPARED_ROLES)
        floor = MIN_RECALL if form in ("docx", "pdf") else MIN_LAYOUT
        assert recall >= floor and precision >= floor, (form, plan.describe(), recall, precision)
        # lead and support cells right within 2 % CER (OCR misreads a letter now and then; read
        # as one column, they were right on 5 of 34 rows of plan 4's scan)
        a, b = (sum(s["fields"][role][k] for role in ("lead", "support")) for k in (0, 1))
        if form != "ascii_layout":  # (an ASCII dump's en dash is a hyphen: 'Tư pháp - Hộ tịch')
            assert a >= (0.75 if form == "scan" else 0.9) * b, (form, s["fields"])
    res, got, _ = _figures(plan, "plain")
    recall, precision = rows_recall_precision(got, want, COMPARED_ROLES)
    assert not got or precision >= 0.9, (plan.describe(), recall, precision)
    # English OCR: its figures printed (rows whose OCR'd text the repair left more than 10 % off
    # count as wrong: plan 4 0.47 / 0.76, and 0.38 / 0.72 with a one-level header), and a table whose rows it
    # left out is said to be partial
    res, got, _ = _figures(plan, "ocr_eng")
    recall, precision = rows_recall_precision(got, want, COMPARED_ROLES)
    print(f"seed {seed} ocr_eng: rows recall {recall:.3f}, precision {precision:.3f}")
    assert res.status == "partial" or recall >= MIN_RECALL, res.status


#: the header fields compared across forms (the documents row researchers join plans on)
HEADER_FIELDS = ("doc_type", "doc_number", "issued_date", "issued_place", "issuer", "commune", "district",
                 "province", "commune_code", "admin_status", "title", "period_start", "period_end",
                 "signer", "signer_title")
#: the forms of a plan whose header must be the DOCX's, field for field
HEADER_FORMS = ("pdf", "tabs", "markdown", "lotext", "pandoc_md", "pandoc_plain") + DUMPS + ("ocr_eng",)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_form_gives_the_header_of_the_docx(plans, seed):
    """Number, date and place, issuer, commune (restored without marks, from English-model OCR:
    its heading read partly small), title and signer are the DOCX's in every text form
    (before: the date line's "Vĩnh Lập" restored as "Vinh Lập", the issuer "Ủy BAN NHÂN DÂN XÃ
    Vĩnh LẬP", a district "Văn" out of "UBND huyện Văn bản" in a dump's table)."""
    plan = plans[seed]
    want = process_document(ps.make_form(plan, "docx"), Config(workers=1)).tables["documents"][0]
    assert want["commune"] and want["signer"] == "Nguyễn Văn An" and want["doc_number"] == "12/KH-UBND"
    differ = {}
    for form in HEADER_FORMS:
        got = process_document(ps.make_form(plan, form), Config(workers=1)).tables["documents"][0]
        differ.update({(form, f): (want[f], got[f]) for f in HEADER_FIELDS if got[f] != want[f]})
    assert not differ, differ


#: a plan whose signer's name is printed alone on a page of its own (its signature block spilt)
NAME_PAGE_SEED = 1006


@pytest.mark.parametrize("form", ["scan_harsh", "scan_turned"])
def test_a_page_holding_only_the_signers_name_is_read(form, monkeypatch):
    """The name alone on a page: under seals and a signature, the next page's table showing
    through (scan_harsh; before, tesseract given no resolution read no word of it), or scanned
    upside down (scan_turned; before, read as "uy ưu gA uoÁnØN"): the page gives the name and
    the documents row the signer."""
    install_ocr_cache(monkeypatch)
    plan = ps.make_plan(NAME_PAGE_SEED)
    pdf = ps.make_form(plan, form)
    image = convert_from_path(pdf, dpi=200, first_page=2, last_page=2)[0]
    words, _, _, _ = read_image(image, Config(workers=1), 200)
    assert " ".join(w.text for w in words) == "Nguyễn Văn An"
    doc = process_document(pdf, Config(workers=1)).tables["documents"][0]
    assert doc["signer"] == "Nguyễn Văn An"
