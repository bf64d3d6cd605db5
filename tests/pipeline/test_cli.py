"""The ``kehoach`` command line, run as a real subprocess."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import sample_path

from normalizers.encodings import encode
from normalizers.diacritics import fold
from pipeline.errors import ExitCode
from pipeline.schemas import SCHEMAS


#: Words of a plan, to build long lines of text.
PLAN_WORDS = ("Ủy ban nhân dân xã chủ trì rà soát, đơn giản hóa thủ tục hành chính, nâng cao chất lượng "
              "giải quyết hồ sơ đúng hạn cho người dân và doanh nghiệp trên địa bàn")


def kehoach(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=600)


def test_extract_writes_every_table_and_a_summary(tmp_path):
    out = tmp_path / "out"
    proc = kehoach("extract", str(sample_path("001")), str(sample_path("003")), "-o", str(out), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    for name in SCHEMAS:
        assert (out / f"{name}.parquet").is_file(), name
    docs = pd.read_parquet(out / "documents.parquet")
    assert sorted(docs["commune"].dropna()) == ["Lộc Thủy"]
    assert sorted(docs["district"]) == ["Hà Trung", "Phú Lộc"]
    assert "2 ok, 0 partial, 0 failed" in proc.stderr and "tasks" in proc.stderr  # the summary
    # bodies the owner registry does not know are reported for review (003 names three)
    owners = pd.read_parquet(out / "owners.parquet")
    new = sorted(owners[~owners["registered"]]["name"])
    assert "Phó chủ tịch UBND xã phụ trách một cửa" in new
    assert f"owners: {len(new)} not in the registry" in proc.stderr and new[0] in proc.stderr
    manifest = pd.read_parquet(out / "manifest.parquet")
    assert list(manifest["status"]) == ["success", "success"]


def test_extract_reports_bad_files_and_exits_nonzero(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "plan.txt").write_bytes(sample_path("003").read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    proc = kehoach("extract", str(raw), "-o", str(tmp_path / "out"), "-q")
    assert proc.returncode == int(ExitCode.input_file), proc.stderr
    assert "empty.txt" in proc.stderr and "empty" in proc.stderr
    manifest = pd.read_parquet(tmp_path / "out" / "manifest.parquet")
    assert sorted(manifest["status"]) == ["failure", "success"]


def test_extract_rejects_a_bad_repair_mode(tmp_path):
    proc = kehoach("extract", str(sample_path("003")), "-o", str(tmp_path), "--repair", "fancy")
    assert proc.returncode == 2
    assert "repair" in proc.stderr


def test_schema_prints_every_table_and_column_doc():
    proc = kehoach("schema")
    assert proc.returncode == 0
    for name, schema in SCHEMAS.items():
        assert name in proc.stdout
        for field in schema:
            assert field.name in proc.stdout
    assert "Document id" in proc.stdout


# --- kehoach repair -----------------------------------------------------------------------------

SENTENCES = [
    "KẾ HOẠCH",
    "Cải cách hành chính nhà nước năm 2025 xã Tà Đùng",
    "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể",
    "cải cách hành chính nhà nước giai đoạn 2021 - 2030;",
    "",
    "- Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
    "đạt tối thiểu 95%; tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%.",
    "Ủy ban nhân dân xã giao Văn phòng HĐND - UBND xã chủ trì, phối hợp với các cơ quan chuyên môn",
    "tổ chức triển khai thực hiện Kế hoạch này.",
]


def _word_accuracy(ref: list[str], hyp: list[str]) -> float:
    pairs = [(a, b) for r, h in zip(ref, hyp) for a, b in zip(r.split(), h.split())]
    return sum(a == b for a, b in pairs) / len(pairs)


@pytest.mark.parametrize(("kind", "damage", "mode"), [
    ("ascii", lambda s: fold(s), "auto"),
    ("tcvn3", lambda s: encode(s, "tcvn3"), "auto"),
    ("vni", lambda s: encode(s, "vni"), "auto"),
    ("ascii-forced", lambda s: fold(s), "ascii"),
])
def test_repair_restores_damaged_text_line_for_line(tmp_path, kind, damage, mode):
    src = tmp_path / f"{kind}.txt"
    src.write_text("\n".join(damage(s) for s in SENTENCES) + "\n", encoding="utf-8")
    proc = kehoach("repair", str(src), "--mode", mode)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.split("\n")
    assert len(out) == len(SENTENCES) + 1 and out[-1] == ""
    accuracy = _word_accuracy(SENTENCES, out)
    assert accuracy >= (1.0 if kind in ("tcvn3", "vni") else 0.95), (accuracy, out)
    assert "76/NQ-CP" in out[2] and "15/7/2021" in out[2]
    assert "state" in proc.stderr


def test_repair_mixed_lines_leaves_correct_ones_exactly(tmp_path):
    """A dump where some lines lost their diacritics and others did not."""
    lines = [fold(s) if i % 2 else s for i, s in enumerate(SENTENCES)]
    src = tmp_path / "mixed.txt"
    src.write_text("\n".join(lines), encoding="utf-8")
    out_file = tmp_path / "fixed.txt"
    proc = kehoach("repair", str(src), "-o", str(out_file))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    out = out_file.read_text(encoding="utf-8").split("\n")
    assert len(out) == len(lines)
    for i, (orig, fixed) in enumerate(zip(SENTENCES, out)):
        if i % 2 == 0:
            assert fixed == orig
    assert _word_accuracy(SENTENCES, out) >= 0.95


def test_repair_ocr_mangled_sample_keeps_line_count(tmp_path):
    proc = kehoach("repair", str(sample_path("004")))
    assert proc.returncode == 0, proc.stderr
    src = sample_path("004").read_text(encoding="utf-8")
    assert proc.stdout.count("\n") == src.count("\n")
    assert "ocr_mangled" in proc.stderr
    assert "Độc lập - Tự do - Hạnh phúc" in proc.stdout
    assert "cải cách hành chính" in proc.stdout


def test_repair_of_correct_text_is_the_identity():
    proc = kehoach("repair", str(sample_path("001")))
    assert proc.returncode == 0
    assert proc.stdout == sample_path("001").read_text(encoding="utf-8")
    # sample 000 is a pdftotext dump with one syllable split by a space: only that one changes
    proc = kehoach("repair", str(sample_path("000")))
    assert proc.returncode == 0
    src = sample_path("000").read_text(encoding="utf-8")
    assert "Báo cáo t ự" in src
    assert proc.stdout == src.replace("Báo cáo t ự", "Báo cáo tự")


def test_repair_errors_name_the_file(tmp_path):
    missing = tmp_path / "nope.txt"
    proc = kehoach("repair", str(missing))
    assert proc.returncode == int(ExitCode.input_file)
    assert "nope.txt" in proc.stderr


def test_repair_refuses_a_file_that_is_one_giant_line(tmp_path):
    """20 MB without a line break: refused at once, naming the file and the limit, nothing written."""
    from hostile_inputs import write_no_breaks

    path = write_no_breaks(tmp_path / "one line.txt", 20 * 1024 * 1024)
    started = time.monotonic()
    proc = kehoach("repair", str(path), "-o", str(tmp_path / "fixed.txt"))
    assert time.monotonic() - started < 60
    assert proc.returncode == int(ExitCode.input_file), proc.stderr
    assert str(path) in proc.stderr and "KEHOACH_MAX_LINE_CHARS" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "fixed.txt").exists()


#: Repairs (or extracts) a file in a fresh process and prints the repaired text's line count (or
#: the document's status) and the growth of the process's peak memory meanwhile, in MiB.
PEAK_SCRIPT = """
import resource, sys
from normalizers.repair import load_model
from pipeline.config import Config
from pipeline.repair_file import repair_file
from pipeline.run import process_document
load_model()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[2] == "extract":
    outcome = process_document(sys.argv[1], Config(workers=1)).status
else:
    outcome = len(repair_file(sys.argv[1], out=sys.argv[2]).text.split("\\n"))
print(outcome, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""


@pytest.fixture()
def long_line_file(tmp_path) -> tuple[Path, str]:
    """A 150,000-character line of stripped Vietnamese (words in no order: every syllable stays
    ambiguous) between two short ones; one lattice of the whole line took 410 MiB."""
    rng = random.Random(1)
    words = fold(PLAN_WORDS).replace(",", "").split()
    long_line = " ".join(rng.choice(words) for _ in range(150_000 // 4))[:150_000].strip()
    path = tmp_path / "long.txt"
    path.write_text(f"Ke hoach cai cach hanh chinh\n{long_line}\nUy ban nhan dan xa\n", encoding="utf-8")
    return path, long_line


def peak_run(path: Path, target: str) -> tuple[str, int]:
    proc = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(path), target], capture_output=True,
                          text=True, timeout=600, env=dict(os.environ, KEHOACH_MAX_LINE_CHARS="200000"))
    assert proc.returncode == 0, proc.stderr
    outcome, peak_mib = proc.stdout.split()
    return outcome, int(peak_mib)


def test_repair_of_a_long_line_is_bounded_and_keeps_the_lines(long_line_file, tmp_path):
    path, long_line = long_line_file
    out = tmp_path / "fixed.txt"
    n_lines, peak_mib = peak_run(path, str(out))
    fixed = out.read_text(encoding="utf-8").split("\n")
    assert int(n_lines) == len(fixed) == 4 and fixed[-1] == ""
    assert fixed[0] == "Kế hoạch cải cách hành chính" and len(fixed[1]) == len(long_line)
    assert fold(fixed[1]) == long_line and fixed[1].count("người") > 500
    assert peak_mib < 150, peak_mib


def test_extracting_a_long_line_is_bounded(long_line_file):
    """The same line through ``kehoach extract``'s per-document function."""
    status, peak_mib = peak_run(long_line_file[0], "extract")
    assert status in ("success", "partial") and peak_mib < 150, (status, peak_mib)


# --- configuration: options > KEHOACH_* environment > kehoach.toml / --config > defaults -----------


def test_config_precedence_option_over_environment_over_file(tmp_path, monkeypatch):
    from pipeline.config import load_config

    (tmp_path / "kehoach.toml").write_text('workers = 3\nrepair = "off"\ndoc_timeout = 60\n', encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text('workers = 5\nlayout = "dataset"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KEHOACH_WORKERS", "2")
    cfg = load_config()
    assert (cfg.workers, cfg.repair, cfg.doc_timeout, cfg.layout) == (2, "off", 60, "files")
    cfg = load_config({"workers": 4}, other)  # --config replaces ./kehoach.toml
    assert (cfg.workers, cfg.repair, cfg.layout) == (4, "auto", "dataset")
    monkeypatch.delenv("KEHOACH_WORKERS")
    assert load_config(config_file=other).workers == 5


def test_extract_reads_kehoach_toml_and_options_override_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEHOACH_")}
    (tmp_path / "kehoach.toml").write_text('layout = "dataset"\nworkers = 1\n', encoding="utf-8")
    src = str(sample_path("003"))
    run = lambda *a, **kw: subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", src, "-o", "out", "-q", *a],
                                          capture_output=True, text=True, cwd=tmp_path, timeout=300,
                                          env={**env, **kw})
    proc = run()
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "tasks").is_dir() and "dataset layout" in proc.stderr
    proc = run(KEHOACH_LAYOUT="files")  # environment over file
    assert proc.returncode == 0 and (tmp_path / "out" / "tasks.parquet").is_file(), proc.stderr
    assert "0 processed, 1 reused" in proc.stderr
    proc = run("--layout", "dataset", "--force", KEHOACH_LAYOUT="files")  # option over environment
    assert proc.returncode == 0 and (tmp_path / "out" / "tasks").is_dir(), proc.stderr
    assert "1 processed, 0 reused" in proc.stderr


def test_extract_reports_bad_configuration_files(tmp_path):
    # A long path stays whole on one line of the (piped) error, never wrapped into a box.
    missing = tmp_path / ("d" * 90) / "nope.toml"
    proc = kehoach("extract", str(sample_path("003")), "-o", str(tmp_path / "out"), "--config", str(missing))
    assert proc.returncode == 2 and str(missing) in proc.stderr and "not found" in proc.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text("wrokers = 2\n", encoding="utf-8")
    proc = kehoach("extract", str(sample_path("003")), "-o", str(tmp_path / "out"), "--config", str(bad))
    assert proc.returncode == 2 and "wrokers" in proc.stderr
    bad.write_text("workers = [\n", encoding="utf-8")
    proc = kehoach("extract", str(sample_path("003")), "-o", str(tmp_path / "out"), "--config", str(bad))
    assert proc.returncode == 2 and "not a valid TOML file" in _flat(proc.stderr)


def _flat(text: str) -> str:
    """Usage errors come in a box that wraps lines: the words alone."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())
