"""The dataset layout: hive-partitioned table directories, read as one table by pandas, DuckDB, polars."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from conftest import fail_parquet_write, sample_path
from pipeline.batch import run_batch
from pipeline.config import Config
from pipeline.dataset import partition_of, province_key, year_key
from pipeline.errors import OutputError
from pipeline.schemas import PARTITION_FIELDS, SCHEMA_VERSION, SCHEMAS, field_doc

PARTS = [f.name for f in PARTITION_FIELDS]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, Path]:
    """The samples in both layouts: (files output, dataset output)."""
    base = tmp_path_factory.mktemp("dataset")
    raw = base / "raw"
    raw.mkdir()
    for key in ("000", "001", "002", "003"):
        shutil.copy(sample_path(key), raw / f"{key}.txt")
    (raw / "empty.txt").write_bytes(b"")
    files, data = base / "files", base / "data"
    run_batch([raw], files, Config(workers=2), progress=False)
    run_batch([raw], data, Config(workers=2, layout="dataset"), progress=False)
    return files, data


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    df = df.drop(columns=[c for c in PARTS + ["seconds"] if c in df.columns])
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            df[col] = df[col].astype(str)
    keys = [c for c in ("doc_id", "task_id", "target_id", "section_id", "owner_id", "source_path", "line_start",
                        "role", "surface") if c in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def test_partition_keys_are_stable_and_null_safe():
    assert province_key("Thanh Hóa") == province_key("THANH HÓA") == "thanh_hoa"
    assert province_key("Bà Rịa - Vũng Tàu") == "ba_ria_vung_tau"
    assert province_key(None) == province_key("  ") == "unknown"
    assert year_key(2021, None) == "2021" and year_key(None, None) == "unknown"
    import datetime

    assert year_key(None, datetime.date(2023, 12, 30)) == "2023"
    assert partition_of({"province": "Đắk Lắk", "period_start": None, "issued_date": None}) == ("dak_lak", "unknown")
    assert all(len(field_doc(f)) > 15 for f in PARTITION_FIELDS)


def test_pandas_reads_each_table_directory_as_the_same_table(dataset):
    files, data = dataset
    for name, schema in SCHEMAS.items():
        folder = data / name
        assert folder.is_dir(), name
        whole = pd.read_parquet(folder)
        single = pd.read_parquet(files / f"{name}.parquet")
        assert list(whole.columns[:len(schema)]) == schema.names, name  # columns kept, in order
        pd.testing.assert_frame_equal(_sorted(whole), _sorted(single), obj=name)
        table = pq.read_table(folder)
        assert table.schema.metadata[b"schema_version"] == SCHEMA_VERSION.encode()
        assert table.schema.metadata[b"table"] == name.encode()
        if name in ("owners", "manifest"):
            assert not set(PARTS) & set(whole.columns)
        else:
            assert set(PARTS) <= set(whole.columns)
    docs = pd.read_parquet(data / "documents")
    for _, doc in docs.iterrows():
        assert (str(doc.province_key), str(doc.year_key)) == partition_of(doc.to_dict())
    # one file per partition, whatever the number of documents in it
    for name in SCHEMAS:
        parts = list((data / name).rglob("*.parquet"))
        dirs = {p.parent for p in parts}
        assert len(parts) == len(dirs), name


def test_duckdb_and_polars_read_the_dataset(dataset):
    files, data = dataset
    n_tasks = len(pd.read_parquet(files / "tasks.parquet"))
    got = duckdb.sql(f"select count(*) n, count(distinct province_key) p from "
                     f"read_parquet('{data}/tasks/**/*.parquet', hive_partitioning = true)").fetchall()[0]
    assert got[0] == n_tasks and got[1] >= 2
    lead = duckdb.sql(f"""select o.name, count(*) n
        from read_parquet('{data}/task_owners/**/*.parquet', hive_partitioning = true) t
        join read_parquet('{data}/owners/*.parquet') o using (owner_id)
        where role = 'lead' group by o.name order by n desc""").fetchall()
    assert lead and lead[0][1] >= 1
    tasks = pl.read_parquet(data / "tasks", hive_partitioning=True)
    assert tasks.height == n_tasks and {"task_id", *PARTS} <= set(tasks.columns)
    lazy = pl.scan_parquet(f"{data}/targets/**/*.parquet", hive_partitioning=True)
    assert lazy.select(pl.len()).collect().item() == len(pd.read_parquet(files / "targets.parquet"))
    assert pl.read_parquet(data / "manifest").height == 5


def test_switching_layouts_and_the_atomic_swap(tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_batch([sample_path("003")], out, Config(workers=1, layout="dataset"), progress=False)
    assert (out / "tasks").is_symlink() and not (out / "tasks.parquet").exists()
    target = (out / "tasks").resolve()
    doc_ids = set(pd.read_parquet(out / "documents").doc_id)
    again = run_batch([sample_path("003")], out, Config(workers=1, layout="dataset"), progress=False)
    assert not again.published and (out / "tasks").resolve() == target  # nothing changed: same generation

    # a failed publication leaves the previous generation in place, links unchanged
    fail_parquet_write(monkeypatch, 4)
    with pytest.raises(OutputError, match="No space left"):
        run_batch([sample_path("000")], out, Config(workers=1, layout="dataset"), progress=False)
    monkeypatch.undo()
    assert (out / "tasks").resolve() == target
    assert len(list((out / ".kehoach" / "tables").iterdir())) == 1
    assert set(pd.read_parquet(out / "documents").doc_id) == doc_ids

    summary = run_batch([sample_path("003")], out, Config(workers=1, layout="files"), progress=False)
    assert summary.published and summary.processed == 0  # a layout change republishes, no reprocessing
    assert (out / "tasks.parquet").is_file() and not (out / "tasks").exists()
    assert not (out / ".kehoach" / "tables").exists() or not any((out / ".kehoach" / "tables").iterdir())
