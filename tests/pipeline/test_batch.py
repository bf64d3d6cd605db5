"""The batch never loses a file: one manifest row each, clear errors, atomic outputs."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from conftest import encode_cp1258, fail_parquet_write, sample_path
from pipeline.batch import collect_inputs, run_batch, write_tables
from pipeline.config import Config
from pipeline.errors import ExitCode, OutputError
from pipeline.model import DocumentResult, ErrorItem
from pipeline.run import process_document
from pipeline.schemas import SCHEMAS

PLAN_CP1258 = "KẾ HOẠCH\nCải cách hành chính xã An Bình năm 2024\n\nI. MỤC TIÊU\n\n- Đạt tối thiểu 95% hồ sơ đúng hạn.\n"


@pytest.fixture()
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(sample_path("000"), folder / "000.txt")
    shutil.copy(sample_path("002"), folder / "sub" / "002 có dấu cách.txt")
    shutil.copy(sample_path("000"), folder / "sub" / "000 bản sao.txt")  # same bytes, other name
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "cp1258.txt").write_bytes(encode_cp1258(PLAN_CP1258))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    (folder / "gone.txt").symlink_to(folder / "does-not-exist.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "notes.xlsx").write_bytes(b"PK\x03\x04 ignored: not a plan extension")
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    return folder


def test_every_input_appears_once_and_the_batch_goes_on(messy_folder, tmp_path):
    out = tmp_path / "out"
    summary = run_batch([messy_folder, messy_folder / "000.txt"], out, Config(workers=2), progress=False)
    manifest = pd.read_parquet(out / "manifest.parquet")
    names = sorted(Path(p).name for p in manifest.source_path)
    assert names == sorted(["000.txt", "002 có dấu cách.txt", "000 bản sao.txt", "empty.txt", "junk.txt",
                            "cp1258.txt", "scan.pdf", "gone.txt", "pipe.txt"])
    status = dict(zip((Path(p).name for p in manifest.source_path), manifest.status))
    assert status["000.txt"] == "success" and status["002 có dấu cách.txt"] == "success"
    assert status["cp1258.txt"] == "success"
    assert status["000 bản sao.txt"] == "skipped"
    for bad in ("empty.txt", "junk.txt", "scan.pdf", "gone.txt", "pipe.txt"):
        assert status[bad] == "failure", bad
    errors = dict(zip((Path(p).name for p in manifest.source_path), manifest.error))
    assert "empty" in errors["empty.txt"] and "empty.txt" in errors["empty.txt"]
    assert "binary" in errors["junk.txt"]
    assert "PDF" in errors["scan.pdf"] and "scan.pdf" in errors["scan.pdf"]
    assert "does not exist" in errors["gone.txt"]
    assert "not a regular file" in errors["pipe.txt"]
    assert "same content as" in errors["000 bản sao.txt"]
    assert summary.exit_code == ExitCode.input_file
    assert summary.statuses == {"success": 3, "skipped": 1, "failure": 5}

    docs = pd.read_parquet(out / "documents.parquet")
    assert len(docs) == 3
    cp = docs[docs.source_path.str.endswith("cp1258.txt")].iloc[0]
    assert cp.source_encoding == "cp1258"
    assert cp.title == "Cải cách hành chính xã An Bình năm 2024"
    assert not list(out.glob("*.tmp")) and [p.name for p in out.glob(".*")] == [".kehoach"]
    assert not list(out.rglob("*.tmp"))


def test_tables_round_trip_with_schema_and_docs(tmp_path):
    out = tmp_path / "out"
    run_batch([sample_path("000")], out, Config(workers=1), progress=False)
    for name, schema in SCHEMAS.items():
        read = pq.read_table(out / f"{name}.parquet")
        assert read.schema.equals(schema, check_metadata=True), name
        assert read.schema.field(read.schema.names[0]).metadata[b"doc"]
    tasks = pd.read_parquet(out / "tasks.parquet")
    assert tasks.task_id.is_unique and (tasks.line_start >= 1).all()


def test_rerun_replaces_outputs_and_a_failed_write_leaves_the_previous_ones(tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_batch([sample_path("003")], out, Config(workers=1), progress=False)
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}

    fail_parquet_write(monkeypatch, 3)
    with pytest.raises(OutputError, match="No space left on device"):
        run_batch([sample_path("000")], out, Config(workers=1), progress=False)
    after = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    monkeypatch.undo()  # the disk has room again: the next run publishes the new input
    summary = run_batch([sample_path("000")], out, Config(workers=1), progress=False)
    assert summary.published and summary.reused == 1 and summary.processed == 0
    assert list(pd.read_parquet(out / "manifest.parquet").source_path) == [str(sample_path("000"))]


def test_fail_fast_stops_and_still_lists_every_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.txt").write_bytes(b"")
    for k in range(3):
        (folder / f"b{k}.txt").write_bytes(sample_path("003").read_bytes() + str(k).encode())
    summary = run_batch([folder], tmp_path / "out", Config(workers=1, fail_fast=True), progress=False)
    manifest = pd.read_parquet(tmp_path / "out" / "manifest.parquet")
    assert len(manifest) == 4
    assert list(manifest.status) == ["failure", "skipped", "skipped", "skipped"]
    assert "--fail-fast" in manifest.error.iloc[1]
    assert summary.exit_code == ExitCode.input_file


def test_output_folder_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        run_batch([sample_path("003")], blocker / "out", Config(workers=1), progress=False)


def test_a_crashing_document_function_is_recorded_not_raised(tmp_path):
    summary = run_batch([sample_path("003")], tmp_path / "out", Config(workers=1), progress=False, func=_explode)
    manifest = pd.read_parquet(tmp_path / "out" / "manifest.parquet")
    assert list(manifest.status) == ["failure"]
    assert "RuntimeError: boom" in manifest.error.iloc[0]
    assert summary.exit_code == ExitCode.internal


def _explode(path: str, cfg: Config) -> DocumentResult:
    raise RuntimeError("boom")


def test_collect_inputs_filters_extensions_and_avoids_loops(messy_folder):
    found = collect_inputs([messy_folder], Config())
    assert all(p.suffix in (".txt", ".pdf") for p in found)
    assert len(found) == len({str(p) for p in found})
    assert not any("loop" in p.parts for p in found)


def test_config_and_results_pickle():
    cfg = Config(workers=3)
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    result = process_document(sample_path("000"), cfg)
    again = pickle.loads(pickle.dumps(result))
    assert again == result and again.tables["tasks"] == result.tables["tasks"]
    failed = DocumentResult("x", None, "failure", 0.1, errors=(ErrorItem("read", "input_file", "x: empty"),))
    assert pickle.loads(pickle.dumps(failed)).error_message == "[read] x: empty"


def test_env_overrides_config(monkeypatch):
    monkeypatch.setenv("KEHOACH_WORKERS", "2")
    monkeypatch.setenv("KEHOACH_MAX_FILE_BYTES", "100")
    cfg = Config()
    assert (cfg.workers, cfg.max_file_bytes) == (2, 100)
    result = process_document(sample_path("000"), cfg)
    assert result.status == "failure" and "over the limit of 100" in result.error_message


def test_written_tables_only_contain_rows_of_processed_documents(tmp_path):
    out = tmp_path / "out"
    write_tables(out if out.mkdir() is None else out, {name: [] for name in SCHEMAS})
    assert all(pq.read_table(out / f"{n}.parquet").num_rows == 0 for n in SCHEMAS)
