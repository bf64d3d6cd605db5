"""Hostile input: every broken, dangerous or odd file gets exactly one manifest row with a
message naming it and what is wrong, the good files in the same batch come through, the
exit code is the documented one, and no table is left half-written.

The corpus is generated (tests/hostile_inputs.py); the batch runs through the real command
line in a subprocess.  When the tests run as root (CI), that subprocess runs without the
capabilities that let root ignore file permissions: root reads a ``chmod 000`` file without
complaint, so only then can the test show how an unreadable file is reported.
"""

from __future__ import annotations

import os
import time

import pandas as pd
import pyarrow.parquet as pq

from hostile_inputs import build_corpus, kehoach_cli, plan_text, running_as_root
from pipeline.config import Config
from pipeline.errors import ExitCode
from pipeline.run import process_document
from pipeline.schemas import SCHEMAS


def test_the_whole_corpus_in_one_batch(tmp_path):
    corpus = tmp_path / "corpus"
    expect = build_corpus(corpus)
    lonely = tmp_path / "empty-argument"
    lonely.mkdir()
    out = tmp_path / "out"

    started = time.monotonic()
    proc = kehoach_cli("extract", str(corpus), str(lonely), "-o", str(out), "--workers", "2", "-q",
                       cwd=tmp_path, unprivileged=True)
    took = time.monotonic() - started
    assert proc.returncode == int(ExitCode.input_file), proc.stderr[-3000:]
    assert took < 120, took

    manifest = pd.read_parquet(out / "manifest.parquet")
    rows = {os.path.relpath(p, corpus): r for p, r in zip(manifest.source_path, manifest.to_dict("records"))}
    lonely_row = rows.pop(os.path.relpath(lonely, corpus))
    assert lonely_row["status"] == "failure" and "folder with no input files" in lonely_row["error"]
    assert len(manifest) == len(expect) + 1, "one row per file, no more, no less"
    assert sorted(rows) == sorted(expect)
    wrong = []
    for name, exp in expect.items():
        row = rows[name]
        error = row["error"] if isinstance(row["error"], str) else ""
        if row["status"] != exp.status:
            wrong.append(f"{name!r}: {row['status']} (expected {exp.status}): {error}")
        elif exp.status != "success" and not (str(corpus / name) in error
                                              and all(n.lower() in error.lower() for n in exp.needles)):
            wrong.append(f"{name!r}: message {error!r} lacks the path or one of {exp.needles}")
        elif exp.status == "success" and error:
            wrong.append(f"{name!r}: success with an error {error!r}")
    assert not wrong, "\n".join(wrong)
    assert not (manifest.error_category == "internal").any()

    # The good files were processed normally: a documents row each, with the plan's header.
    docs = pd.read_parquet(out / "documents.parquet")
    good = sorted(n for n, e in expect.items() if e.status == "success")
    assert sorted(os.path.relpath(p, corpus) for p in docs.source_path) == good
    assert set(docs.title) == {"Cải cách hành chính xã An Bình năm 2024"}, docs[["source_path", "title"]]
    formats = dict(zip(docs.source_path.map(os.path.basename), docs.source_format))
    assert {"pdf-named.txt": "pdf", "text-named.pdf": "text", "plan.docx": "docx",
            "encrypted-empty-password.pdf": "pdf"}.items() <= formats.items()
    tcvn3 = docs[docs.source_path.str.endswith("tcvn3.txt")].iloc[0]
    assert tcvn3.text_state == "legacy_tcvn3"
    tasks = pd.read_parquet(out / "tasks.parquet")
    assert set(tasks.doc_id) == set(docs.doc_id)

    # Nothing half-written: every table is complete Parquet with its schema, no temporary files.
    for name, schema in SCHEMAS.items():
        assert pq.read_table(out / f"{name}.parquet").schema.equals(schema, check_metadata=True), name
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]

    # The summary on stderr names the failures.
    assert f"{len(good)} ok" in proc.stderr and "encrypted.pdf" in proc.stderr


def test_unreadable_file_as_root_is_read(tmp_path):
    """Root ignores file permissions: a chmod 000 file is simply read (documented in the README);
    as another user it is refused (see the whole-corpus test)."""
    path = tmp_path / "locked.txt"
    path.write_text(plan_text("khoá"), encoding="utf-8")
    path.chmod(0)
    result = process_document(path, Config(workers=1))
    if running_as_root():
        assert result.status == "success"
    else:
        assert result.status == "failure" and "permission denied" in result.error_message


def test_the_long_line_is_refused_quickly(tmp_path):
    from hostile_inputs import write_no_breaks

    path = write_no_breaks(tmp_path / "one line.txt")
    started = time.monotonic()
    result = process_document(path, Config(workers=1))
    assert time.monotonic() - started < 10
    assert result.status == "failure" and "KEHOACH_MAX_LINE_CHARS" in result.error_message
    # ... and processed when the limit allows it, cut to a size that stays quick.
    small = tmp_path / "short line.txt"
    small.write_bytes(path.read_bytes()[:30_000])
    assert process_document(small, Config(workers=1, max_line_chars=40_000)).status in ("success", "partial")


def test_limits_come_from_the_environment(tmp_path, monkeypatch):
    from hostile_inputs import huge_png, plan_pdf

    two_pages = tmp_path / "two pages.txt"
    two_pages.write_text(plan_text("1") + "\f" + plan_text("2"), encoding="utf-8")
    small = tmp_path / "scan.png"
    small.write_bytes(huge_png(2000, 2000))
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(plan_pdf(plan_text("pdf")))
    monkeypatch.setenv("KEHOACH_MAX_PAGES", "1")
    monkeypatch.setenv("KEHOACH_MAX_PAGE_PIXELS", "1000000")
    cfg = Config(workers=1)
    assert (cfg.max_pages, cfg.max_page_pixels) == (1, 1_000_000)
    r = process_document(two_pages, cfg)
    assert r.status == "failure" and "2 pages" in r.error_message and "KEHOACH_MAX_PAGES" in r.error_message
    r = process_document(small, cfg)
    assert r.status == "failure" and "2,000 × 2,000" in r.error_message
    # An A4 page at 300 dpi is 8.7 million pixels.
    r = process_document(pdf, cfg)
    assert r.status == "failure" and "page 1 (595 × 842 pt at 300 dpi)" in r.error_message
    monkeypatch.setenv("KEHOACH_MAX_PAGE_PIXELS", "10000000")
    assert process_document(pdf, Config(workers=1)).status == "success"


def test_page_limit_of_pdfs_and_multi_page_tiffs(tmp_path, monkeypatch):
    from PIL import Image

    from hostile_inputs import plan_pdf

    pdf = tmp_path / "three.pdf"
    pdf.write_bytes(plan_pdf(plan_text("ba trang"), pages=3))
    tiff = tmp_path / "three.tif"
    frames = [Image.new("L", (200, 300), 255) for _ in range(3)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    monkeypatch.setenv("KEHOACH_MAX_PAGES", "2")
    cfg = Config(workers=1)
    r = process_document(pdf, cfg)
    assert r.status == "failure" and "more than 2 pages" in r.error_message and "KEHOACH_MAX_PAGES" in r.error_message
    r = process_document(tiff, cfg)
    assert r.status == "failure" and "has 3 pages" in r.error_message and str(tiff) in r.error_message
    assert process_document(pdf, Config(workers=1, max_pages=3)).status == "success"
