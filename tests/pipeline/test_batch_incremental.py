"""Incremental and resumable batches: content hashes, the result store, kill -9, time limits."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest import sample_path
from pipeline.batch import run_batch
from pipeline.config import Config
from pipeline.errors import ExitCode, OutputError
from pipeline.model import DocumentResult
from pipeline.run import process_document
from pipeline.schemas import SCHEMAS
from pipeline.store import STORE_DIR, ResultStore

ROOT = Path(__file__).resolve().parents[2]

#: Columns that identify a row, for comparing tables regardless of order.
KEYS = {"documents": ["doc_id"], "sections": ["doc_id", "section_id"], "targets": ["target_id"],
        "tasks": ["task_id"], "owners": ["owner_id"], "task_owners": ["task_id", "owner_id", "role", "surface"],
        "manifest": ["source_path"]}


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in SCHEMAS:
        df = pd.read_parquet(out / f"{name}.parquet")
        if name == "manifest":
            df = df.drop(columns=["seconds"])  # wall-clock time differs between runs
        keys = [k for k in KEYS.get(name, ["doc_id", "line_start"]) if k in df.columns]
        tables[name] = df.sort_values(keys, kind="stable").reset_index(drop=True)
    return tables


def assert_same_tables(a: Path, b: Path) -> None:
    left, right = read_tables(a), read_tables(b)
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(left[name], right[name], check_like=False, obj=name)


def make_copies(folder: Path, keys: tuple[str, ...], copies: int) -> list[Path]:
    """Distinct documents: each sample with a varied trailing line."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for key in keys:
        data = sample_path(key).read_bytes()
        for k in range(copies):
            path = folder / f"{key}_{k:02d}.txt"
            path.write_bytes(data + f"\n(bản sao {k})\n".encode())
            made.append(path)
    return made


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for key in ("000", "001", "003"):
        shutil.copy(sample_path(key), raw / f"{key}.txt")
    return raw


def test_rerun_skips_unchanged_replaces_changed_and_removes_deleted(folder, tmp_path):
    out = tmp_path / "out"
    cfg = Config(workers=1)
    first = run_batch([folder], out, cfg, progress=False)
    assert (first.new, first.processed, first.reused) == (3, 3, 0)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}

    again = run_batch([folder], out, cfg, progress=False)
    assert (again.new, again.changed, again.unchanged, again.processed, again.reused) == (0, 0, 3, 0, 3)
    assert not again.published and "nothing changed" in again.render()
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")} == stamps  # not rewritten
    assert again.rows == first.rows and again.exit_code == ExitCode.ok

    # 001 changes (its last line), 003 is deleted, 002 is added
    changed = folder / "001.txt"
    changed.write_bytes(changed.read_bytes().replace(b"\xc4\x90", b"D", 1) + b"\nGhi chu moi.\n")
    (folder / "003.txt").unlink()
    shutil.copy(sample_path("002"), folder / "002.txt")
    third = run_batch([folder], out, cfg, progress=False)
    assert (third.new, third.changed, third.unchanged, third.processed, third.reused) == (1, 1, 1, 2, 1)
    assert third.removed == [str(folder / "003.txt")]
    assert "removed (no longer an input)" in third.render() and "003.txt" in third.render()

    docs = pd.read_parquet(out / "documents.parquet")
    assert sorted(Path(p).name for p in docs.source_path) == ["000.txt", "001.txt", "002.txt"]
    new_sha = docs.set_index(docs.source_path.map(lambda p: Path(p).name)).source_sha256["001.txt"]
    tasks = pd.read_parquet(out / "tasks.parquet")
    assert set(tasks.doc_id) == set(docs.doc_id)  # the deleted file's rows are gone, the changed file's replaced
    assert new_sha[:16] in set(tasks.doc_id)

    clean = tmp_path / "clean"
    run_batch([folder], clean, cfg, progress=False)
    assert_same_tables(out, clean)
    # the store keeps exactly the current inputs' results
    assert sorted(p.stem for p in (out / STORE_DIR / "docs").rglob("*.pkl")) == sorted(docs.source_sha256)


def test_force_and_changed_settings_reprocess(folder, tmp_path):
    out = tmp_path / "out"
    run_batch([folder], out, Config(workers=1), progress=False)
    forced = run_batch([folder], out, Config(workers=1, force=True), progress=False)
    assert (forced.processed, forced.reused) == (3, 0) and forced.published
    # a setting that changes rows (the repair mode) is part of the fingerprint; workers is not
    other = run_batch([folder], out, Config(workers=2, repair="off"), progress=False)
    assert other.processed == 3
    folders = list((out / STORE_DIR / "docs").iterdir())
    assert len(folders) == 1  # the previous settings' results were pruned after publishing
    assert run_batch([folder], out, Config(workers=1, repair="off"), progress=False).processed == 0


def test_renamed_file_is_reused_under_its_new_name(folder, tmp_path):
    out = tmp_path / "out"
    run_batch([folder], out, Config(workers=1), progress=False)
    (folder / "003.txt").rename(folder / "ba.txt")
    summary = run_batch([folder], out, Config(workers=1), progress=False)
    assert (summary.processed, summary.new, summary.removed) == (0, 1, [str(folder / "003.txt")])
    docs = pd.read_parquet(out / "documents.parquet")
    assert str(folder / "ba.txt") in set(docs.source_path)
    clean = tmp_path / "clean"
    run_batch([folder], clean, Config(workers=1), progress=False)
    assert_same_tables(out, clean)


def test_one_writer_per_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with ResultStore(out, "f" * 16):
        with pytest.raises(OutputError, match="another kehoach run"):
            run_batch([sample_path("003")], out, Config(workers=1), progress=False)
    assert run_batch([sample_path("003")], out, Config(workers=1), progress=False).processed == 1


def test_kill_9_mid_run_then_resume_equals_a_clean_run(tmp_path):
    raw = tmp_path / "raw"
    out = tmp_path / "out"
    make_copies(raw, ("003",), 2)
    cmd = [sys.executable, "-m", "pipeline.cli", "extract", str(raw), "-o", str(out), "-q", "--workers", "2"]
    assert run_batch([raw], out, Config(workers=1), progress=False).exit_code == ExitCode.ok
    previous = {p.name: p.read_bytes() for p in out.glob("*.parquet")}

    inputs = make_copies(raw, ("000", "001", "002"), 5)  # 15 more documents
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    docs = out / STORE_DIR / "docs"
    deadline = time.monotonic() + 120
    while len(list(docs.rglob("*.pkl"))) < 2 + 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    stored = len(list(docs.rglob("*.pkl")))
    assert 4 <= stored < 2 + len(inputs), stored  # killed with documents finished and others not
    # the previous tables are intact and readable; nothing half-written is left in sight
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == previous
    assert len(pd.read_parquet(out / "manifest.parquet")) == 2
    assert not list(out.glob("*.tmp"))

    (out / ".tasks.killed.parquet.tmp").write_bytes(b"PAR1 half written")  # as a kill mid-publish leaves
    resumed = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{2 + len(inputs) - stored} processed, {stored} reused" in resumed.stderr, resumed.stderr
    clean = tmp_path / "clean"
    run_batch([raw], clean, Config(workers=2), progress=False)
    assert_same_tables(out, clean)
    assert len(pd.read_parquet(out / "documents.parquet")) == 2 + len(inputs)
    assert not list(out.glob(".*.tmp"))  # the resumed run cleared what the killed one left


# --- time limit and crashes (the process pool) ---------------------------------------------------


def _slow_or_real(path: str, cfg: Config) -> DocumentResult:
    """A stand-in for a document that hangs: 'slow' files start a child that never ends."""
    name = Path(path).name
    if name.startswith("slow"):
        child = subprocess.Popen(["sleep", "300"])
        Path(path).with_suffix(".pid").write_text(str(child.pid))
        child.wait()
    if name.startswith("crash"):
        os._exit(7)
    return process_document(path, cfg)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_hanging_document_is_stopped_and_recorded_as_failed(tmp_path, workers):
    raw = tmp_path / "raw"
    raw.mkdir()
    # quick, accented plans (no repair model to load) for the files that must succeed within the limit
    shutil.copy(sample_path("003"), raw / "a.txt")
    shutil.copy(sample_path("001"), raw / "slow.txt")
    (raw / "crash.txt").write_bytes(sample_path("002").read_bytes())
    (raw / "z.txt").write_bytes(sample_path("003").read_bytes() + "\n(bản sao)\n".encode())
    out = tmp_path / "out"
    summary = run_batch([raw], out, Config(workers=workers, doc_timeout=1.5), progress=False, func=_slow_or_real)
    manifest = pd.read_parquet(out / "manifest.parquet").set_index("source_path")
    slow = manifest.loc[str(raw / "slow.txt")]
    assert slow.status == "failure" and slow.error_category == "timeout"
    assert str(raw / "slow.txt") in slow.error and "1.5 s" in slow.error and "--timeout" in slow.error
    crash = manifest.loc[str(raw / "crash.txt")]
    assert crash.status == "failure" and "worker process died" in crash.error and "crash.txt" in crash.error
    assert manifest.loc[str(raw / "a.txt")].status == "success"
    assert manifest.loc[str(raw / "z.txt")].status == "success"
    assert summary.exit_code == ExitCode.internal
    assert "slow.txt: stopped after 1.5 s" in summary.render()
    pid = int((raw / "slow.pid").read_text())
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid), "the hung document's child process was left running"
    # failures are not stored: the next run tries them again, the rest is reused
    again = run_batch([raw], out, Config(workers=workers, doc_timeout=1.5), progress=False, func=_slow_or_real)
    assert (again.processed, again.reused) == (2, 2)


def test_timeout_from_environment_and_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("KEHOACH_DOC_TIMEOUT", "7")
    assert Config().doc_timeout == 7
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", str(sample_path("003")), "-o",
                           str(tmp_path / "out"), "--timeout", "-1"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "timeout" in proc.stderr


def test_the_ocr_engine_auto_stands_for_is_part_of_the_fingerprint(monkeypatch):
    from extractors import ocr_engine
    from pipeline.store import fingerprint

    api, cli = (fingerprint(Config(ocr_engine=e), process_document) for e in ("api", "cli"))
    assert api != cli
    monkeypatch.setattr(ocr_engine, "_api_importable", lambda: True)
    assert fingerprint(Config(ocr_engine="auto"), process_document) == api
    monkeypatch.setattr(ocr_engine, "_api_importable", lambda: False)  # tesserocr not installed
    assert fingerprint(Config(ocr_engine="auto"), process_document) == cli


# --- failures: stored when the bytes decide them, not retried unless they change or are asked for ---


def _manifest(out: Path) -> pd.DataFrame:
    manifest = pd.read_parquet(out / "manifest.parquet")
    assert manifest.source_path.is_unique  # every input exactly once
    return manifest.set_index(manifest.source_path.map(lambda p: Path(p).name))


def test_failed_files_are_not_retried_unless_changed_or_asked(tmp_path):
    from hostile_inputs import plan_pdf, plan_text, truncate

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(sample_path("003"), raw / "plan.txt")
    (raw / "cut.pdf").write_bytes(truncate(plan_pdf(plan_text("cắt"))))
    (raw / "blank.txt").write_text(" \n\t\n" * 20, encoding="utf-8")
    out = tmp_path / "out"
    cfg = Config(workers=1)
    first = run_batch([raw], out, cfg, progress=False)
    assert (first.processed, first.not_retried, first.exit_code) == (3, 0, ExitCode.input_file)
    errors = _manifest(out).error
    assert "truncated" in errors["cut.pdf"] and "nothing to extract" in errors["blank.txt"]
    assert len(list((out / STORE_DIR / "docs").rglob("*.failed"))) == 2

    again = run_batch([raw], out, cfg, progress=False)
    assert (again.processed, again.reused, again.not_retried, again.unchanged) == (0, 1, 2, 3)
    assert again.exit_code == ExitCode.input_file
    assert "2 failed earlier, not retried (use --retry-failed)" in again.render()
    manifest = _manifest(out)
    for name in ("cut.pdf", "blank.txt"):
        row = manifest.loc[name]
        assert row.status == "failure" and row.error_category == "input_file" and row.n_rows == 0
        assert row.error.startswith(errors[name] + "; [batch] "), row.error  # the first run's error, then the note
        assert f"{raw / name}: not retried" in row.error and "--retry-failed" in row.error
        assert row.source_sha256 is not None
    assert run_batch([raw], out, cfg, progress=False).published is False  # nothing changed any more

    # a changed file is processed again (and succeeds); its old failure is forgotten
    (raw / "blank.txt").write_bytes(sample_path("001").read_bytes())
    changed = run_batch([raw], out, cfg, progress=False)
    assert (changed.changed, changed.processed, changed.not_retried) == (1, 1, 1)
    assert _manifest(out).loc["blank.txt"].status == "success"
    assert len(list((out / STORE_DIR / "docs").rglob("*.failed"))) == 1

    # a failed file under a new name is still the same bytes: not retried, reported under its name
    (raw / "cut.pdf").rename(raw / "renamed.pdf")
    renamed = run_batch([raw], out, cfg, progress=False)
    assert (renamed.processed, renamed.not_retried) == (0, 1)
    row = _manifest(out).loc["renamed.pdf"]
    assert str(raw / "renamed.pdf") in row.error and "cut.pdf" not in row.error

    # --retry-failed tries it again
    retried = run_batch([raw], out, Config(workers=1, retry_failed=True), progress=False)
    assert (retried.processed, retried.not_retried) == (1, 0)
    row = _manifest(out).loc["renamed.pdf"]
    assert "truncated" in row.error and "not retried" not in row.error

    # other settings (another fingerprint): everything is processed, the failure included
    other = run_batch([raw], out, Config(workers=1, repair="off"), progress=False)
    assert (other.processed, other.not_retried) == (3, 0)


def test_failures_that_may_pass_are_retried_and_the_option_from_the_command_line(tmp_path, monkeypatch):
    """A scan without tesseract (a missing program) is not stored: once tesseract is there, the
    next run reads it; the truncated PDF beside it is not retried until --retry-failed."""
    from hostile_inputs import kehoach_cli, plan_pdf, plan_text, text_image, truncate

    raw = tmp_path / "raw"
    raw.mkdir()
    text_image(plan_text("ảnh quét")).save(raw / "scan.png")
    (raw / "cut.pdf").write_bytes(truncate(plan_pdf(plan_text("cắt"))))
    (tmp_path / "bin").mkdir()
    out = tmp_path / "out"
    args = ("extract", str(raw), "-o", str(out), "--workers", "1", "-q")
    env = {"KEHOACH_OCR_ENGINE": "cli"}

    proc = kehoach_cli(*args, cwd=tmp_path, env={**env, "PATH": str(tmp_path / "bin")}, timeout=300)
    assert proc.returncode == int(ExitCode.missing_dependency), proc.stderr
    assert _manifest(out).loc["scan.png"].error_category == "missing_dependency"

    proc = kehoach_cli(*args, cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode == int(ExitCode.input_file), proc.stderr
    assert "1 processed" in proc.stderr and "1 failed earlier, not retried (use --retry-failed)" in proc.stderr
    manifest = _manifest(out)
    assert manifest.loc["scan.png"].status == "success"
    assert "not retried" in manifest.loc["cut.pdf"].error

    proc = kehoach_cli(*args, "--retry-failed", cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode == int(ExitCode.input_file), proc.stderr
    assert "1 processed" in proc.stderr and "not retried" not in proc.stderr
    assert "not retried" not in _manifest(out).loc["cut.pdf"].error

    monkeypatch.setenv("KEHOACH_RETRY_FAILED", "1")
    assert Config().retry_failed is True
