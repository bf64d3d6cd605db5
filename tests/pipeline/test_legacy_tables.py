"""A plan typed in a legacy Vietnamese font (VNI-Times, .VnTime: TCVN3) as a Word file and as
a digital PDF: the repair stage decoded its lines but not its table cells, which the appendix
reader reads ("Coâng chöùc Tö phaùp – Hoä tòch" as the lead of every row; 21 of 126 cells
right).  The cells are decoded as their lines are: the rows of the Unicode plan."""

from __future__ import annotations

import dataclasses

import pytest

from fixture_docs import PlanRow, build_docx, build_pdf, plan_from_sample
from normalizers.encodings import encode
from pipeline.config import Config
from pipeline.run import process_document
from table_match import appendix_rows

KEYS = ("row_no", "objective", "task", "activity", "product", "lead", "support", "deadline", "budget",
        "group_no", "group_title")


def _typed_in(plan, encoding: str):
    """The plan as typed in a legacy font: every text in its code points, as Word stores them
    (cp1252 characters).  TCVN3 has no capitals with tone marks (.VnTimeH draws the lower-case
    codes as capitals): those words are typed lower-case."""
    def legacy(text):
        if not text:
            return text
        if encoding == "tcvn3":
            text = " ".join(w if encode(w, "tcvn3", "cp1252").isprintable() else w.lower() for w in text.split(" "))
        return encode(text, encoding, "cp1252")

    return dataclasses.replace(
        plan, body=tuple(legacy(t) for t in plan.body), appendix_title=legacy(plan.appendix_title),
        rows=tuple(PlanRow(legacy(r.group_no), legacy(r.group_title), {k: legacy(v) for k, v in r.cells.items()})
                   for r in plan.rows))


@pytest.fixture(scope="module")
def want(tmp_path_factory):
    folder = tmp_path_factory.mktemp("unicode")
    return appendix_rows(process_document(build_docx(plan_from_sample(), folder / "plan.docx"), Config(workers=1)))


@pytest.mark.parametrize("encoding", ["vni", "tcvn3"])
@pytest.mark.parametrize("form", ["docx", "pdf"])
def test_a_plan_typed_in_a_legacy_font_gives_the_unicode_rows(tmp_path, want, encoding, form):
    plan = _typed_in(plan_from_sample(), encoding)
    path = (build_docx if form == "docx" else build_pdf)(plan, tmp_path / f"legacy.{form}")
    res = process_document(path, Config(workers=1))
    assert res.status == "success", res.error_message
    assert res.tables["documents"][0]["text_state"] in (f"legacy_{encoding}", "mixed")
    got = appendix_rows(res)
    assert len(got) == len(want)

    def cells(rows, fold):
        return [{k: (r.get(k) or "").lower() if fold else r.get(k) for k in KEYS} for r in rows]

    # TCVN3 lost the capitals its font drew from lower-case codes: compared without case
    assert cells(got, encoding == "tcvn3") == cells(want, encoding == "tcvn3")


def test_a_stripped_pdf_whose_table_header_kept_its_marks_restores_its_cells(tmp_path):
    """A plan typed without diacritics under a table header that kept them (the header, repeated
    on every page, makes the document "mixed", not "ascii"): its cells were left stripped (21
    of 126 as the Unicode plan's), while the same stripped plan as a Word file (text_state
    ascii) had them restored.  The ASCII cells of a mixed document are restored too: both forms
    give the same rows."""
    from unidecode import unidecode

    plan = plan_from_sample()

    def strip(text):
        return unidecode(text) if text else text

    stripped = dataclasses.replace(
        plan, body=tuple(strip(t) for t in plan.body), appendix_title=strip(plan.appendix_title),
        rows=tuple(PlanRow(strip(r.group_no), strip(r.group_title), {k: strip(v) for k, v in r.cells.items()})
                   for r in plan.rows))
    res = {form: process_document(build(stripped, tmp_path / f"stripped.{form}"), Config(workers=1))
           for form, build in (("docx", build_docx), ("pdf", build_pdf))}
    assert res["docx"].tables["documents"][0]["text_state"] == "ascii"
    assert res["pdf"].tables["documents"][0]["text_state"] == "mixed"  # the accented header lines
    rows = {form: [{k: r.get(k) for k in KEYS} for r in appendix_rows(r)] for form, r in res.items()}
    assert rows["pdf"] == rows["docx"]
    assert sum(r["lead"] == "Công chức Tư pháp - Hộ tịch" for r in rows["pdf"]) >= 5
