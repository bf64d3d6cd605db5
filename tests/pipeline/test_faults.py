"""Injected faults: a missing, crashing, hanging or worker-killing OCR engine, missing poppler,
an output folder that is read-only or full.  Each is one clear manifest row (or, for the
output, one clear error) with the documented exit code; the other files go through.

Everything runs through the real command line in a subprocess.  The OCR engine is replaced
by putting a folder first on PATH that holds a fake ``tesseract`` (a shell script) and links
to the real tools that should stay; nothing in the project knows about the fakes.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from hostile_inputs import kehoach_cli, plan_pdf, plan_text, scanned_pdf, text_image
from pipeline.errors import ExitCode
from pipeline.schemas import SCHEMAS

SLEEP = shutil.which("sleep")  # by its full path: the fakes' PATH holds only the fakes
LIST_LANGS = 'if [ "$1" = "--list-langs" ]; then printf "List of available languages (3):\\neng\\nosd\\nvie\\n"; exit 0; fi\n'


def tools(tmp: Path, keep: tuple[str, ...], fakes: dict[str, str] | None = None) -> dict[str, str]:
    """An environment whose PATH holds only links to the real ``keep`` tools and the ``fakes``,
    with OCR by the ``tesseract`` command (the in-process engine has its own tests below)."""
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    for name in keep:
        real = shutil.which(name)
        assert real, f"{name} must be installed for this test"
        (bin_dir / name).symlink_to(real)
    for name, body in (fakes or {}).items():
        script = bin_dir / name
        script.write_text("#!/bin/sh\n" + body)
        script.chmod(0o755)
    return {"PATH": str(bin_dir), "KEHOACH_OCR_ENGINE": "cli"}


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.txt").write_text(plan_text("văn bản"), encoding="utf-8")
    text_image(plan_text("ảnh quét")).save(folder / "scan.png")
    return folder


def run(tmp_path: Path, folder: Path, env: dict[str, str], *extra: str):
    out = tmp_path / "out"
    started = time.monotonic()
    proc = kehoach_cli("extract", str(folder), "-o", str(out), "--workers", "2", "-q", *extra,
                       cwd=tmp_path, env=env, timeout=300)
    took = time.monotonic() - started
    manifest = pd.read_parquet(out / "manifest.parquet")
    rows = {Path(p).name: r for p, r in zip(manifest.source_path, manifest.to_dict("records"))}
    return proc, rows, took


def assert_row(rows: dict, name: str, folder: Path, status: str, *needles: str) -> None:
    row = rows[name]
    assert row["status"] == status, row
    if status != "success":
        assert str(folder / name) in row["error"], row["error"]
        for needle in needles:
            assert needle in row["error"], (needle, row["error"])


def test_tesseract_missing(tmp_path, inputs):
    proc, rows, _ = run(tmp_path, inputs, tools(tmp_path, ("pdftoppm", "pdfinfo")))
    assert proc.returncode == int(ExitCode.missing_dependency), proc.stderr
    assert_row(rows, "plan.txt", inputs, "success")
    assert_row(rows, "scan.png", inputs, "failure", "tesseract is not installed", "apt-get install tesseract-ocr")


def test_tesseract_crashing(tmp_path, inputs):
    fake = LIST_LANGS + 'echo "Error: the fake engine fell over" >&2\nexit 1\n'
    proc, rows, _ = run(tmp_path, inputs, tools(tmp_path, ("pdftoppm", "pdfinfo"), {"tesseract": fake}))
    assert proc.returncode == int(ExitCode.extraction), proc.stderr
    assert_row(rows, "plan.txt", inputs, "success")
    assert_row(rows, "scan.png", inputs, "failure", "tesseract failed", "the fake engine fell over")


def test_tesseract_hanging_is_stopped_by_the_document_timeout(tmp_path, inputs):
    pidfile = tmp_path / "tesseract.pid"
    fake = LIST_LANGS + f'echo $$ > "{pidfile}"\nexec {SLEEP} 600\n'
    env = {**tools(tmp_path, ("pdftoppm", "pdfinfo"), {"tesseract": fake}), "KEHOACH_DOC_TIMEOUT": "3"}
    proc, rows, took = run(tmp_path, inputs, env)
    assert proc.returncode == int(ExitCode.extraction), proc.stderr
    assert took < 60
    assert_row(rows, "plan.txt", inputs, "success")
    assert_row(rows, "scan.png", inputs, "failure", "stopped after 3 s", "KEHOACH_DOC_TIMEOUT")
    # The hung engine went with its worker (no orphan left sleeping).
    pid = int(pidfile.read_text())
    status = Path(f"/proc/{pid}/status")
    assert not status.exists() or "State:\tZ" in status.read_text()


def test_a_worker_killed_mid_document(tmp_path, inputs):
    """The engine kills the worker process that runs it (as the OOM killer would)."""
    fake = LIST_LANGS + f"kill -9 $PPID\n{SLEEP} 5\n"
    proc, rows, _ = run(tmp_path, inputs, tools(tmp_path, ("pdftoppm", "pdfinfo"), {"tesseract": fake}))
    assert proc.returncode == int(ExitCode.internal), proc.stderr
    assert_row(rows, "plan.txt", inputs, "success")
    assert_row(rows, "scan.png", inputs, "failure", "worker process died")


def test_api_engine_without_language_data(tmp_path, inputs):
    empty = tmp_path / "tessdata"
    empty.mkdir()
    proc, rows, _ = run(tmp_path, inputs, {"KEHOACH_OCR_ENGINE": "api", "TESSDATA_PREFIX": str(empty)})
    assert proc.returncode == int(ExitCode.missing_dependency), proc.stderr
    assert_row(rows, "plan.txt", inputs, "success")
    assert_row(rows, "scan.png", inputs, "failure", "language data vie is not installed", str(empty),
               "apt-get install tesseract-ocr-vie")


def test_api_engine_with_damaged_language_data(tmp_path, inputs):
    damaged = tmp_path / "tessdata"
    damaged.mkdir()
    (damaged / "vie.traineddata").write_bytes(os.urandom(50_000))
    proc, rows, _ = run(tmp_path, inputs, {"KEHOACH_OCR_ENGINE": "api", "TESSDATA_PREFIX": str(damaged)})
    assert proc.returncode == int(ExitCode.missing_dependency), proc.stderr
    assert_row(rows, "plan.txt", inputs, "success")
    assert_row(rows, "scan.png", inputs, "failure", "cannot load language data 'vie'", "damaged",
               "--reinstall tesseract-ocr-vie")


def test_poppler_missing(tmp_path, inputs):
    (inputs / "scan.png").unlink()
    (inputs / "scanned.pdf").write_bytes(scanned_pdf(plan_text("bản quét PDF")))
    (inputs / "digital.pdf").write_bytes(plan_pdf(plan_text("PDF số")))
    proc, rows, _ = run(tmp_path, inputs, tools(tmp_path, ("tesseract",)))
    assert proc.returncode == int(ExitCode.missing_dependency), proc.stderr
    assert_row(rows, "plan.txt", inputs, "success")
    assert_row(rows, "digital.pdf", inputs, "success")  # the text layer needs no poppler
    assert_row(rows, "scanned.pdf", inputs, "failure", "poppler", "not installed", "apt-get install")


# --- the output folder ------------------------------------------------------------------------------


def _published(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.parquet"))}


@pytest.fixture()
def previous_run(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """An output folder holding the tables of an earlier run, and a new input to add."""
    first = tmp_path / "first.txt"
    first.write_text(plan_text("lần đầu"), encoding="utf-8")
    out = tmp_path / "out"
    from pipeline.batch import run_batch
    from pipeline.config import Config

    assert run_batch([first], out, Config(workers=1, doc_timeout=0), progress=False).exit_code == ExitCode.ok
    second = tmp_path / "second.txt"
    second.write_text(plan_text("lần hai"), encoding="utf-8")
    return out, second, _published(out)


def _untouched(out: Path, before: dict[str, bytes]) -> None:
    assert _published(out) == before
    assert sorted(before) == sorted(f"{name}.parquet" for name in SCHEMAS)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_read_only_output_folder(tmp_path, previous_run):
    out, second, before = previous_run
    out.chmod(0o555)
    try:
        proc = kehoach_cli("extract", str(second), "-o", str(out), "-q", cwd=tmp_path, unprivileged=True)
    finally:
        out.chmod(0o755)
    assert proc.returncode == int(ExitCode.output), proc.stderr
    assert "not writable" in proc.stderr and str(out) in proc.stderr
    assert "Traceback" not in proc.stderr
    _untouched(out, before)


def _file_size_limit() -> None:  # pragma: no cover - child side
    # The kernel refuses writes past 8 KiB (EFBIG; Python ignores SIGXFSZ): a disk that fills up.
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_output_disk_full(tmp_path, previous_run):
    """A real write failure at the operating-system level (RLIMIT_FSIZE), no patching."""
    out, second, before = previous_run
    proc = kehoach_cli("extract", str(second), "-o", str(out), "-q", cwd=tmp_path, preexec=_file_size_limit)
    assert proc.returncode == int(ExitCode.output), proc.stderr
    assert "File too large" in proc.stderr and "Traceback" not in proc.stderr
    _untouched(out, before)
    # With room again, the next run publishes both inputs.
    proc = kehoach_cli("extract", str(tmp_path / "first.txt"), str(second), "-o", str(out), "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(pd.read_parquet(out / "documents.parquet")) == 2


ENOSPC_LAUNCHER = """
import errno, os, sys
import pyarrow.parquet as pq
real = pq.write_table
def torn(table, where, **kw):
    real(table, where, **kw)  # the bytes hit the disk, then the disk is full
    if "tasks" in str(where):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(where))
pq.write_table = torn
from pipeline.cli import app
sys.argv[0] = "kehoach"
app()
"""


def test_output_disk_full_while_writing_a_table(tmp_path, previous_run):
    """ENOSPC from the Parquet writer half-way through publishing (the test wraps the writer)."""
    import subprocess
    import sys

    out, second, before = previous_run
    proc = subprocess.run([sys.executable, "-c", ENOSPC_LAUNCHER, "extract", str(second), "-o", str(out), "-q"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == int(ExitCode.output), proc.stderr
    assert os.strerror(errno.ENOSPC) in proc.stderr and "Traceback" not in proc.stderr
    _untouched(out, before)


# --- worker memory --------------------------------------------------------------------------------


def _address_space_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmSize in /proc/self/status")


def test_a_document_over_the_worker_memory_limit(tmp_path):
    """A worker may grow by 300 MiB here; a 600 MiB file (sparse: no disk used) cannot be read
    into it, the plan beside it can."""
    from pipeline.batch import run_batch
    from pipeline.config import Config

    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(600 * 1024 * 1024)
    plan = tmp_path / "plan.txt"
    plan.write_text(plan_text("bộ nhớ"), encoding="utf-8")
    # Workers are forked from this process: they start with its address space, models loaded.
    from pipeline.run import process_document

    assert process_document(plan, Config(workers=1)).status == "success"
    cfg = Config(workers=1, doc_timeout=120, worker_memory_mb=_address_space_mib() + 300,
                 max_file_bytes=1 << 30)
    summary = run_batch([big, plan], tmp_path / "out", cfg, progress=False)
    rows = pd.read_parquet(tmp_path / "out" / "manifest.parquet").set_index("source_path")
    assert rows.loc[str(plan), "status"] == "success", rows.loc[str(plan), "error"]
    assert rows.loc[str(big), "status"] == "failure"
    error = rows.loc[str(big), "error"]
    assert str(big) in error and "ran out of memory" in error and "KEHOACH_WORKER_MEMORY_MB" in error, error
    assert summary.exit_code == ExitCode.extraction


def test_a_document_over_the_memory_limit_in_process(tmp_path):
    """In-process (one worker, no time limit: no child process) a document may add 300 MiB to
    the process: the 600 MiB sparse file cannot be read, the plan after it is processed, and
    the process is uncapped again afterwards."""
    from pipeline.batch import run_batch
    from pipeline.config import Config
    from pipeline.executors import InlineExecutor, make_executor

    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(600 * 1024 * 1024)
    plan = tmp_path / "plan.txt"
    plan.write_text(plan_text("bộ nhớ trong tiến trình"), encoding="utf-8")
    cfg = Config(workers=1, doc_timeout=0, worker_memory_mb=300, max_file_bytes=1 << 30)
    assert isinstance(make_executor(cfg, 2), InlineExecutor)
    before = resource.getrlimit(resource.RLIMIT_AS)
    summary = run_batch([big, plan], tmp_path / "out", cfg, progress=False)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    rows = pd.read_parquet(tmp_path / "out" / "manifest.parquet").set_index("source_path")
    assert rows.loc[str(plan), "status"] == "success", rows.loc[str(plan), "error"]
    assert rows.loc[str(big), "status"] == "failure"
    assert rows.loc[str(big), "error_category"] == "out_of_memory"
    error = rows.loc[str(big), "error"]
    assert str(big) in error and "ran out of memory, over the limit of 300 MiB" in error, error
    assert summary.exit_code == ExitCode.extraction
    # the cap is gone: this process may again allocate what the document could not
    block = bytearray(600 * 1024 * 1024)
    assert len(block) == 600 * 1024 * 1024
    del block


def test_the_in_process_memory_limit_through_the_command_line(tmp_path):
    """The same through ``kehoach extract --workers 1 --timeout 0``: the huge file fails alone."""
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "a_huge.txt", "wb") as fh:
        fh.truncate(600 * 1024 * 1024)
    (folder / "b_plan.txt").write_text(plan_text("dòng lệnh"), encoding="utf-8")
    env = {"KEHOACH_WORKER_MEMORY_MB": "300", "KEHOACH_MAX_FILE_BYTES": str(1 << 30)}
    proc = kehoach_cli("extract", str(folder), "-o", str(tmp_path / "out"), "--workers", "1", "--timeout", "0",
                       "-q", cwd=tmp_path, env=env, timeout=300)
    assert proc.returncode == int(ExitCode.extraction), proc.stderr
    manifest = pd.read_parquet(tmp_path / "out" / "manifest.parquet")
    rows = {Path(p).name: r for p, r in zip(manifest.source_path, manifest.to_dict("records"))}
    assert_row(rows, "a_huge.txt", folder, "failure", "ran out of memory", "KEHOACH_WORKER_MEMORY_MB")
    assert_row(rows, "b_plan.txt", folder, "success")
    assert "Traceback" not in proc.stderr
