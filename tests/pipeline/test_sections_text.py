"""``sections.text``: the body text of every node of the section tree, as read (after repair)."""

from __future__ import annotations

import functools
from collections import Counter
import subprocess
import sys

import pandas as pd
import pytest
from conftest import sample_lines, sample_path

from pipeline.config import Config
from pipeline.model import DocumentResult
from pipeline.run import process_document


@functools.cache
def result(sample: str) -> DocumentResult:
    return process_document(sample_path(sample), Config(workers=1))


def sections(sample: str) -> list[dict]:
    return list(result(sample).tables["sections"])


def test_every_section_text_of_sample_000_is_in_the_source_text():
    """Found in the file's text as it stands, once blank lines (the dump puts some inside
    paragraphs) are left out."""
    source = "\n".join(line.strip() for line in sample_lines("000") if line.strip())
    rows = sections("000")
    assert len(rows) > 50
    for row in rows:
        assert row["text"], row["section_id"]
        assert row["text"] in source, row["section_id"]


def test_a_section_text_is_its_own_lines_not_its_childrens():
    by_id = {r["section_id"]: r for r in sections("000")}
    # "I. MỤC ĐÍCH, YÊU CẦU" is followed at once by its child "1. Mục đích"
    assert by_id["I"]["text"] == "I. MỤC ĐÍCH, YÊU CẦU"
    assert by_id["I.1"]["text"] == "1. Mục đích"
    first_bullet = by_id["I.1.-1"]["text"]
    assert first_bullet.startswith("- Tập trung xây dựng, triển khai đồng bộ")
    assert "\n" in first_bullet  # a wrapped paragraph keeps its lines
    for row in by_id.values():
        # the text starts with the node's own heading line
        assert row["heading"].split()[0] in row["text"].split("\n")[0], row["section_id"]
    children: dict[str, list[dict]] = {}
    for row in by_id.values():
        children.setdefault(row["parent_id"], []).append(row)
    for sid, kids in children.items():
        if sid is None:
            continue
        own = by_id[sid]["text"].split("\n")
        for kid in kids:
            assert kid["text"].split("\n")[0] not in own, (sid, kid["section_id"])


@pytest.mark.parametrize("sample", ["000", "001", "002", "003"])  # 004 is repaired: see below
def test_body_lines_are_in_exactly_one_section_text(sample):
    """The texts add up to the body without counting a line twice, so that word counts over
    sections.text are counts over the body: no line occurs in the texts more often than in the file."""
    rows = sections(sample)
    assert rows and all(r["text"] for r in rows)
    got = Counter(line for r in rows for line in r["text"].split("\n"))
    have = Counter(line.strip() for line in sample_lines(sample) if line.strip())
    over = {line: n for line, n in got.items() if n > have[line]}
    assert not over
    # a bullet's text is its whole paragraph (at least one line per line of its span but blanks)
    for r in rows:
        if r["kind"] in ("dash", "plus"):
            span = [ln for ln in sample_lines(sample)[r["line_start"] - 1:r["line_end"]] if ln.strip()]
            assert len(r["text"].split("\n")) >= len(span) - 1, r["section_id"]


def test_section_text_of_english_model_ocr_is_the_repaired_text():
    rows = sections("004")
    text = "\n".join(r["text"] for r in rows)
    assert "Thực hiện" in text
    assert "Thyc hién" not in text
    raw = sample_path("004").read_text(encoding="utf-8")
    assert "Thyc hién" in raw


def test_sections_parquet_has_the_text_column(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(sample_path("000")), "-o", str(out),
                           "-q", "--workers", "1"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    table = pd.read_parquet(out / "sections.parquet")
    assert table["text"].notna().all()
    assert table.set_index("section_id").loc["I.1", "text"] == "1. Mục đích"
    words = table["text"].str.split().str.len().sum()
    assert words > 1000


def test_kehoach_schema_documents_the_column():
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "schema"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    sections = proc.stdout.split("sections  (schema_version")[1].split("targets  (schema_version")[0]
    assert "  text: string\n      Text of the node as read (after repair)" in sections
