"""notebooks/ run from top to bottom on the sample output, in a real Jupyter kernel."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from nbclient import NotebookClient

from conftest import SAMPLES
from pipeline.batch import run_batch
from pipeline.config import Config

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "explore_tables.ipynb"
KERNEL = "kehoach-test"

#: Columns other normalizers fill; the notebook must also run when they are all null.
NULLABLE = {"targets": ["indicator", "area"], "tasks": ["deadline_start", "deadline_end", "recurrence", "area"],
            "sections": ["area"]}


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory) -> dict[str, str]:
    """A kernelspec for this interpreter (the project's venv), found through JUPYTER_PATH."""
    base = tmp_path_factory.mktemp("jupyter")
    spec = base / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kehoach test", "language": "python"}), encoding="utf-8")
    (base / "runtime").mkdir()
    return {"JUPYTER_PATH": str(base), "JUPYTER_RUNTIME_DIR": str(base / "runtime")}


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nb") / "parquet"
    run_batch(list(SAMPLES.values()), out, Config(workers=2), progress=False)
    return out


def _run(out: Path, env: dict[str, str], monkeypatch) -> nbformat.NotebookNode:
    for key, value in {**env, "KEHOACH_OUT": str(out)}.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name=KERNEL, timeout=120, resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    return nb


def _text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", "") or "".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def _images(nb: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_notebook_runs_on_the_sample_output(sample_output, kernel_env, monkeypatch):
    nb = _run(sample_output, kernel_env, monkeypatch)
    text = _text(nb)
    assert f"{sample_output}: 5 documents" in text
    assert _images(nb) >= 2  # at least the target comparison and the owner workload charts
    assert ".txt p." in text or ".txt l." in text  # numbers cited back to their file and lines
    assert re.search(r"^\s+\d+  \S", text, re.M), "the cited source lines are printed"
    assert "Văn phòng" in text or "UBND" in text  # owner names reached the output


def test_notebook_runs_when_normalized_columns_are_null(sample_output, kernel_env, monkeypatch, tmp_path):
    out = tmp_path / "nulls"
    shutil.copytree(sample_output, out, ignore=shutil.ignore_patterns(".kehoach"))
    for table, columns in NULLABLE.items():
        path = out / f"{table}.parquet"
        data = pq.read_table(path)
        for col in columns:
            if col in data.column_names:
                i = data.schema.get_field_index(col)
                data = data.set_column(i, data.schema.field(i), pa.nulls(len(data), data.schema.field(i).type))
        pq.write_table(data, path)
    (out / "references.parquet").unlink(missing_ok=True)
    assert pd.read_parquet(out / "targets.parquet")["indicator"].isna().all()
    nb = _run(out, kernel_env, monkeypatch)
    text = _text(nb)
    assert "targets.indicator is empty" in text and "tasks.deadline_end is empty" in text
    assert _images(nb) >= 1
