"""Writing the published tables, all or nothing, in one of two layouts.

``files`` (default): ``<out>/<table>.parquet``, one file per table.  Each file is
written to a temporary name in the output folder and renamed into place only
when every table is written; a rename is atomic, so a reader (or a run killed
at any moment) sees either the previous file or the new one, never a torn one.

``dataset``: ``<out>/<table>/`` per table, hive-partitioned by the document's
province and year (:data:`pipeline.schemas.PARTITION_FIELDS`)::

    <out>/tasks/province_key=thanh_hoa/year_key=2021/part-0.parquet
    <out>/owners/part-0.parquet          (owners and manifest: not partitioned)

Every publication writes a complete new generation under
``<out>/.kehoach/tables/<generation>/`` and then swaps ``<out>/<table>`` — a
relative symbolic link to the generation's folder — with one atomic rename per
table; the previous generation is removed afterwards.  Each partition is
written as a single file (split only past :data:`MAX_ROWS_PER_FILE` rows), so
the file count stays at one per partition however many runs add to the
dataset: the rewrite is the compaction.  Every file carries the table's schema
with its metadata (``table``, ``schema_version``) and column docs.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.errors import OutputError
from pipeline.schemas import SCHEMAS, UNPARTITIONED_TABLES, to_arrow
from pipeline.store import STORE_DIR, file_mode

LAYOUTS = ("files", "dataset")
MAX_ROWS_PER_FILE = 1_000_000
UNKNOWN = "unknown"
_NON_WORD = re.compile(r"[^a-z0-9]+")


def province_key(province: str | None) -> str:
    """'Thanh Hóa' -> 'thanh_hoa'; None or blank -> 'unknown' (stable across runs and readers)."""
    if not isinstance(province, str) or not province.strip():
        return UNKNOWN
    from normalizers.text import fold

    key = _NON_WORD.sub("_", fold(province)).strip("_")
    return key or UNKNOWN


def year_key(period_start: int | None, issued_date: Any) -> str:
    """The plan's first year, else its issue year, else 'unknown'."""
    for year in (period_start, getattr(issued_date, "year", None)):
        try:
            if year and 1000 <= int(year) <= 9999:  # NaN and None (pandas rows) are not years
                return f"{int(year):04d}"
        except (TypeError, ValueError):
            continue
    return UNKNOWN


def partition_of(document_row: Mapping[str, Any]) -> tuple[str, str]:
    return (province_key(document_row.get("province")),
            year_key(document_row.get("period_start"), document_row.get("issued_date")))


def is_partitioned(table: str) -> bool:
    return table not in UNPARTITIONED_TABLES and "doc_id" in SCHEMAS[table].names


def write_tables(out: Path, tables: dict[str, Sequence[dict]], layout: str = "files") -> list[Path]:
    """Publish every table under ``out`` in ``layout``; all or nothing (see the module doc)."""
    if layout == "dataset":
        return _write_dataset(out, tables)
    written = _write_files(out, tables)
    for name in tables:  # switching back from the dataset layout: its links go
        link = out / name
        if link.is_symlink():
            link.unlink()
    _remove_generations(out, keep=None)
    return written


def _remove_leftovers(out: Path, names: Sequence[str]) -> None:
    """Temporary files of a run killed while publishing (the caller holds the folder's lock)."""
    for name in names:
        for pattern in (f".{name}.*.parquet.tmp", f".{name}.*.link"):
            for stale in out.glob(pattern):
                stale.unlink(missing_ok=True)


def _write_files(out: Path, tables: dict[str, Sequence[dict]]) -> list[Path]:
    _remove_leftovers(out, list(tables))
    staged: list[tuple[str, Path]] = []
    mode = file_mode()
    try:
        for name, rows in tables.items():
            table = to_arrow(name, rows)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=out)
            os.fchmod(fd, mode)
            os.close(fd)
            staged.append((tmp, out / f"{name}.parquet"))
            pq.write_table(table, tmp, compression="zstd")
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write the tables: {exc.strerror or exc}", path=str(out)) from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return [target for _, target in staged]


def _generations(out: Path) -> Path:
    return out / STORE_DIR / "tables"


def _write_dataset(out: Path, tables: dict[str, Sequence[dict]]) -> list[Path]:
    root = _generations(out)
    generation = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9:09d}"
    gen_dir = root / generation
    _remove_leftovers(out, list(tables))
    documents = {row["doc_id"]: partition_of(row) for row in tables.get("documents", ())}
    try:
        for name in tables:
            target = out / name
            if target.exists() and not target.is_symlink():
                raise OutputError(f"{target} exists and is not a kehoach dataset link; move it away first",
                                  path=str(out))
        gen_dir.mkdir(parents=True)
        for name, rows in tables.items():
            _write_table_dir(gen_dir / name, name, rows, documents)
        links = []
        for name in tables:
            rel = os.path.relpath(gen_dir / name, out)
            tmp = out / f".{name}.{generation}.link"
            os.symlink(rel, tmp, target_is_directory=True)
            links.append((tmp, out / name))
        for tmp, target in links:
            os.replace(tmp, target)  # atomic: readers see the old or the new generation
    except OSError as exc:
        shutil.rmtree(gen_dir, ignore_errors=True)
        for leftover in out.glob(f".*.{generation}.link"):
            leftover.unlink(missing_ok=True)
        raise OutputError(f"cannot write the tables: {exc.strerror or exc}", path=str(out)) from None
    except BaseException:
        shutil.rmtree(gen_dir, ignore_errors=True)
        raise
    for name in tables:  # switching from the files layout: the single files go
        (out / f"{name}.parquet").unlink(missing_ok=True)
    _remove_generations(out, keep=generation)
    return [out / name for name in tables]


def _write_table_dir(folder: Path, name: str, rows: Sequence[dict], documents: dict[str, tuple[str, str]]) -> None:
    groups: dict[tuple[str, str] | None, list[dict]] = defaultdict(list)
    if is_partitioned(name):
        for row in rows:
            groups[documents.get(row.get("doc_id"), (UNKNOWN, UNKNOWN))].append(row)
        if not groups:  # an empty table still gets one file, so that its schema can be read
            groups[(UNKNOWN, UNKNOWN)] = []
    else:
        groups[None] = list(rows)
    for key, part_rows in sorted(groups.items(), key=lambda kv: kv[0] or ("", "")):
        where = folder if key is None else folder / f"province_key={key[0]}" / f"year_key={key[1]}"
        where.mkdir(parents=True, exist_ok=True)
        for n, start in enumerate(range(0, max(1, len(part_rows)), MAX_ROWS_PER_FILE)):
            table = to_arrow(name, part_rows[start:start + MAX_ROWS_PER_FILE])
            pq.write_table(table, where / f"part-{n}.parquet", compression="zstd")


def _remove_generations(out: Path, keep: str | None) -> None:
    root = _generations(out)
    if not root.is_dir():
        return
    for gen in root.iterdir():
        if gen.name != keep:
            shutil.rmtree(gen, ignore_errors=True)
