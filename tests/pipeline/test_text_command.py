"""``kehoach text``: each file's text exactly as the pipeline reads it (extracted, then repaired),
page by page, as txt, md or json; run as a real subprocess (the scan in-process, for the OCR cache)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import sample_lines, sample_path
from typer.testing import CliRunner

from fixture_docs import build_docx, build_pdf, install_ocr_cache, plan_from_sample, rasterize_pdf
from pipeline.cli import app
from pipeline.config import Config
from pipeline.errors import ExitCode
from pipeline.reading import read_document
from pipeline.run import process_document


def kehoach(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("text")
    plan = plan_from_sample()
    out = {"plan": plan, "docx": build_docx(plan, folder / "plan.docx"), "pdf": build_pdf(plan, folder / "plan.pdf")}
    out["scan"] = rasterize_pdf(out["pdf"], folder / "scan.pdf")
    for key in ("000", "004"):
        out[key] = folder / f"{key}.txt"
        shutil.copy(sample_path(key), out[key])
    return out


def pages_of(path: Path) -> list[list[str]]:
    """The document's pages of lines as the pipeline reads them."""
    doc, _ = read_document(path, Config(workers=1))
    return [[line.text for line in page.lines] for page in doc.pages]


def txt_pages(text: str) -> list[list[str]]:
    """Pages of lines of a ``--format txt`` output (each line ends in a newline)."""
    return [page.split("\n")[:-1] for page in text.split("\f")]


# --- txt ----------------------------------------------------------------------------------------


def test_txt_of_a_text_dump_is_its_lines_page_by_page(files):
    proc = kehoach("text", str(files["000"]))
    assert proc.returncode == 0, proc.stderr
    pages = txt_pages(proc.stdout)
    assert pages == pages_of(files["000"])
    assert len(pages) == process_document(files["000"], Config(workers=1)).tables["documents"][0]["n_pages"]
    assert len(pages) > 1 and proc.stdout.count("\f") == len(pages) - 1
    # correct text passes unchanged: the file's own lines (the form feeds apart), but for the
    # one syllable pdftotext split in this dump, which the repair joins
    got = [line for page in pages for line in page]
    want = [line.replace("\f", "").replace("Báo cáo t ự", "Báo cáo tự") for line in sample_lines("000")]
    assert got == want[:len(got)] and not "".join(want[len(got):]).strip()
    assert "000.txt: " in proc.stderr and "text accented" in proc.stderr


def test_txt_of_english_model_ocr_is_the_repaired_text(files):
    proc = kehoach("text", str(files["004"]))
    assert proc.returncode == 0, proc.stderr
    assert "Thực hiện" in proc.stdout and "Thyc hién" not in proc.stdout
    assert "Thyc hién" in files["004"].read_text(encoding="utf-8")
    assert "text ocr_mangled" in proc.stderr
    pages = txt_pages(proc.stdout)
    result = process_document(files["004"], Config(workers=1))
    assert len(pages) == result.tables["documents"][0]["n_pages"]
    # the lines the tables were made from: every section's text is in the exported text
    lines = {line.strip() for page in pages for line in page}
    for row in result.tables["sections"]:
        assert set(row["text"].split("\n")) <= lines, row["section_id"]


def test_txt_repair_off_gives_the_extracted_text(files):
    proc = kehoach("text", str(files["004"]), "--repair", "off")
    assert proc.returncode == 0, proc.stderr
    assert "Thyc hién" in proc.stdout and "Thực hiện" not in proc.stdout


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_txt_pages_of_docx_and_pdf(files, fmt, tmp_path):
    target = tmp_path / "plan.txt"
    proc = kehoach("text", str(files[fmt]), "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    pages = txt_pages(target.read_text(encoding="utf-8"))
    assert pages == pages_of(files[fmt])
    assert len(pages) == (1 if fmt == "docx" else 3)
    assert f"-> {target}" in proc.stderr


# --- md -----------------------------------------------------------------------------------------


def pipe_tables(md: str) -> list[list[list[str]]]:
    """Every pipe table of a Markdown text: rows of cells (the --- row left out)."""
    tables, cur = [], []
    for line in md.split("\n") + [""]:
        if line.startswith("| ") and line.endswith(" |"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line[1:-1])]
            if not all(re.fullmatch(r"-{3,}", c) for c in cells):
                cur.append(cells)
        elif cur:
            tables.append(cur)
            cur = []
    return tables


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_md_has_the_appendix_as_a_pipe_table(files, fmt):
    proc = kehoach("text", str(files[fmt]), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    tables = pipe_tables(proc.stdout)
    assert tables
    header = tables[0][0]
    assert header[:3] == ["TT", "Mục tiêu", "Nhiệm vụ"]
    assert all(len(row) == len(header) for t in tables for row in t)
    numbers = [row[0] for t in tables for row in t[1:] if row[0].isdigit()]
    plan_numbers = [r.cells["row_no"] for r in files["plan"].rows if r.cells.get("row_no", "").isdigit()]
    assert set(plan_numbers) <= set(numbers)
    assert proc.stdout.count("<!-- page ") == len(pages_of(files[fmt]))
    # the text before the appendix is there as paragraphs
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in proc.stdout


def test_md_of_a_plan_has_its_section_tree_as_headings(files):
    proc = kehoach("text", str(files["000"]), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    md = proc.stdout
    assert "\n# I. MỤC ĐÍCH, YÊU CẦU\n" in md
    assert "\n## 1. Mục đích\n" in md
    assert "\n# II. MỤC TIÊU VÀ NHIỆM VỤ CỤ THỂ\n" in md
    assert "\n### 2.1. Công tác chỉ đạo, điều hành\n" in md
    assert "\n#### a) Mục tiêu\n" in md
    # bullets are paragraphs, not headings
    assert not re.search(r"^#+ [-+]", md, re.M)
    assert "\n\n- Phát hiện những sáng kiến, cách làm hay, điển hình tốt trong công tác\nCCHC" in md


# --- json ---------------------------------------------------------------------------------------


def test_json_of_a_pdf_has_pages_lines_with_boxes_and_tables(files):
    proc = kehoach("text", str(files["pdf"]), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["file"] == str(files["pdf"])
    assert data["sha256"] == __import__("hashlib").sha256(files["pdf"].read_bytes()).hexdigest()
    assert data["text_state"] == "accented"
    assert [p["number"] for p in data["pages"]] == [1, 2, 3]
    assert {p["method"] for p in data["pages"]} == {"text_layer"}
    assert all(p["reason"] and 0 < p["quality"] <= 1 for p in data["pages"])
    lines = [ln for p in data["pages"] for ln in p["lines"]]
    assert [ln["number"] for ln in lines] == list(range(1, len(lines) + 1))
    assert [[ln["text"] for ln in p["lines"]] for p in data["pages"]] == pages_of(files["pdf"])
    for p in data["pages"]:
        for ln in p["lines"]:
            x0, top, x1, bottom = ln["bbox"]
            assert 0 <= x0 <= x1 <= p["width"] and 0 <= top <= bottom <= p["height"], ln
    cells = [c for p in data["pages"] for t in p["tables"] for c in t["cells"]]
    assert cells and any(c["text"] == "Mục tiêu" for c in cells)
    for c in cells:
        if c["line_start"] is not None:
            assert c["text"] == "\n".join(lines[n - 1]["text"] for n in range(c["line_start"], c["line_end"] + 1))


def test_json_of_a_text_dump_has_no_boxes(files):
    proc = kehoach("text", str(files["000"]), "-f", "json")
    data = json.loads(proc.stdout)
    assert len(data["pages"]) == len(pages_of(files["000"]))
    assert all(ln["bbox"] is None for p in data["pages"] for ln in p["lines"])
    assert all(p["tables"] == [] for p in data["pages"])


# --- a scan, through real tesseract -------------------------------------------------------------


def test_a_scan_is_read_with_ocr_page_by_page(files, tmp_path, monkeypatch):
    install_ocr_cache(monkeypatch)
    runner = CliRunner()
    out = tmp_path / "scan"
    result = runner.invoke(app, ["text", str(files["scan"]), "-f", "json", "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert [p["method"] for p in data["pages"]] == ["ocr"] * 3
    lines = [ln for p in data["pages"] for ln in p["lines"]]
    assert all(ln["bbox"] is not None and 0 <= ln["confidence"] <= 1 for ln in lines)
    text = "\n".join(ln["text"] for ln in lines)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Cải cách thể chế" in text
    txt = runner.invoke(app, ["text", str(files["scan"])])
    assert txt.exit_code == 0
    assert txt.stdout.count("\f") == 2
    md = runner.invoke(app, ["text", str(files["scan"]), "--format", "md"])
    tables = pipe_tables(md.stdout)
    assert tables and tables[0][0][:2] == ["TT", "Mục tiêu"]


# --- several files, targets and errors ----------------------------------------------------------


def test_a_missing_file_is_named_and_the_others_go_on(files, tmp_path):
    missing = tmp_path / "no-such-plan.pdf"
    proc = kehoach("text", str(missing), str(files["000"]), str(files["docx"]))
    assert proc.returncode == int(ExitCode.input_file)
    assert f"kehoach: error: {missing}: the file does not exist" in proc.stderr
    assert "1 of 3 file(s) failed" in proc.stderr
    # both others printed, each after a line naming it
    assert f"==> {files['000']} <==\n" in proc.stdout and f"==> {files['docx']} <==\n" in proc.stdout
    assert "I. MỤC ĐÍCH, YÊU CẦU" in proc.stdout and "Cơ quan chủ trì" in proc.stdout


def test_several_files_go_into_a_folder_one_file_each(files, tmp_path):
    out = tmp_path / "texts"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    other = tmp_path / "other"
    other.mkdir()
    twin = other / "000.txt"  # the same stem as files["000"]
    shutil.copy(files["004"], twin)
    proc = kehoach("text", str(files["000"]), str(empty), str(twin), str(files["pdf"]), "-f", "md", "-o", str(out))
    assert proc.returncode == int(ExitCode.input_file)
    assert f"{empty}: the file is empty" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["000-2.md", "000.md", "plan.md"]
    assert "# I. MỤC ĐÍCH, YÊU CẦU" in (out / "000.md").read_text(encoding="utf-8")
    assert "Thực hiện" in (out / "000-2.md").read_text(encoding="utf-8")
    assert f"{twin}: " in proc.stderr and f"-> {out / '000-2.md'}" in proc.stderr
    assert proc.stdout == ""


def test_several_json_documents_on_standard_output_are_json_lines(files):
    proc = kehoach("text", str(files["000"]), str(files["004"]), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    docs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [d["file"] for d in docs] == [str(files["000"]), str(files["004"])]
    assert [d["text_state"] for d in docs] == ["accented", "ocr_mangled"]


def test_a_bad_format_is_a_usage_error(files):
    proc = kehoach("text", str(files["000"]), "--format", "html")
    assert proc.returncode == int(ExitCode.bad_args)
    assert "txt, md, json" in proc.stderr
