"""The same inputs through the process pool and a real dask.distributed cluster give the same tables."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import cloudpickle
import pandas as pd
import pytest

from conftest import sample_path
from pipeline.batch import run_batch
from pipeline.config import Config
from pipeline.model import DocumentResult
from pipeline.run import process_document
from pipeline.schemas import SCHEMAS

sys.path.insert(0, str(Path(__file__).parent))
from test_batch_incremental import assert_same_tables  # noqa: E402

distributed = pytest.importorskip("distributed")

# Dask ships functions by pickling them; this module is not importable on the workers.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _hang_on_slow(path: str, cfg: Config) -> DocumentResult:
    if Path(path).name.startswith("slow"):
        time.sleep(300)
    return process_document(path, cfg)


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      worker_dashboard_address=":0") as c:
        yield c


def test_dask_and_process_pool_write_identical_tables(tmp_path, cluster):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    for key in ("000", "001", "002", "003"):
        shutil.copy(sample_path(key), raw / f"{key}.txt")
    shutil.copy(sample_path("003"), raw / "sub" / "same as 003.txt")
    (raw / "empty.txt").write_bytes(b"")

    pool_out, dask_out = tmp_path / "pool", tmp_path / "dask"
    pool = run_batch([raw], pool_out, Config(workers=2), progress=False)
    dask = run_batch([raw], dask_out, Config(workers=2, scheduler=cluster.scheduler_address), progress=False)

    assert dask.processed == pool.processed == 5  # the duplicate is skipped before processing
    assert dask.statuses == pool.statuses == {"success": 4, "skipped": 1, "failure": 1}
    assert dask.rows == pool.rows and dask.exit_code == pool.exit_code
    for name in SCHEMAS:
        assert (dask_out / f"{name}.parquet").is_file()
    assert_same_tables(pool_out, dask_out)
    # both store their results alike: a re-run through the other executor processes nothing
    again = run_batch([raw], pool_out, Config(workers=2, scheduler=cluster.scheduler_address), progress=False)
    assert (again.processed, again.reused, again.published) == (1, 4, False)  # only the failed file is retried


def test_dask_stops_a_hanging_document_and_keeps_its_workers(tmp_path, cluster):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "slow.txt").write_bytes(sample_path("003").read_bytes())
    out = tmp_path / "out"
    summary = run_batch([raw], out, Config(workers=2, doc_timeout=1, scheduler=cluster.scheduler_address),
                        progress=False, func=_hang_on_slow)
    manifest = pd.read_parquet(out / "manifest.parquet")
    assert list(manifest.status) == ["failure"] and list(manifest.error_category) == ["timeout"]
    assert f"{raw / 'slow.txt'}: stopped after 1 s" in manifest.error.iloc[0]
    assert summary.statuses == {"failure": 1}
    # the hung task's child was killed, not the worker: the cluster still has both and they work
    with distributed.Client(cluster.scheduler_address) as client:
        assert len(client.nthreads()) == 2
        assert client.submit(sum, [1, 2]).result() == 3


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    import socket

    from pipeline.errors import KehoachError

    with socket.socket() as s:  # a free local port: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(KehoachError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        run_batch([sample_path("003")], tmp_path / "out", Config(scheduler=f"tcp://127.0.0.1:{port}"),
                  progress=False)


def test_executor_dask_starts_a_local_cluster(tmp_path):
    out = tmp_path / "out"
    summary = run_batch([sample_path("003")], out, Config(executor="dask", workers=1), progress=False)
    assert summary.statuses == {"success": 1}
    clean = tmp_path / "clean"
    run_batch([sample_path("003")], clean, Config(workers=1), progress=False)
    assert_same_tables(out, clean)
