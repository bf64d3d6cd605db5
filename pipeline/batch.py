"""The batch: find inputs, map :func:`process_document` over them, write Parquet.

Only this module writes.  Every table is written to a temporary file in the
output directory and renamed into place (an atomic replace on POSIX), so a
reader never sees a half-written table and an interrupted run leaves the
previous outputs as they were.  Every input file gets exactly one manifest row.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.config import Config
from pipeline.errors import ExitCode, OutputError
from pipeline.model import DocumentResult, ErrorItem
from pipeline.run import process_document
from pipeline.schemas import SCHEMAS, to_arrow

log = logging.getLogger(__name__)

_EXIT_BY_CATEGORY = {
    "input_file": ExitCode.input_file,
    "unsupported_format": ExitCode.input_file,
    "missing_dependency": ExitCode.missing_dependency,
    "extraction": ExitCode.extraction,
    "stage_contract": ExitCode.extraction,
    "internal": ExitCode.internal,
}


@dataclass(slots=True)
class BatchSummary:
    """What a batch did; ``exit_code`` is the worst outcome seen."""

    files: int = 0
    statuses: Counter = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    exit_code: ExitCode = ExitCode.ok
    failures: list[tuple[str, str]] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            f"kehoach: {self.files} file(s) in {self.seconds:.1f} s — "
            f"{self.statuses.get('success', 0)} ok, {self.statuses.get('partial', 0)} partial, "
            f"{self.statuses.get('failure', 0)} failed, {self.statuses.get('skipped', 0)} skipped",
            "rows: " + ", ".join(f"{name} {count}" for name, count in self.rows.items()),
        ]
        for path, message in self.failures[:20]:
            lines.append(f"  ! {message}" if path in message else f"  ! {path}: {message}")
        if len(self.failures) > 20:
            lines.append(f"  ... and {len(self.failures) - 20} more (see manifest.parquet)")
        return "\n".join(lines)


def collect_inputs(inputs: Sequence[str | os.PathLike[str]], cfg: Config) -> list[Path]:
    """Files named directly, plus files with a known extension under named folders (recursive).

    Folders are walked without following links (no symlink loops); the result
    is sorted per argument and free of repeats.  A missing argument is kept, so
    that it gets a manifest row saying so.
    """
    seen: set[str] = set()
    out: list[Path] = []

    def add(path: Path) -> None:
        key = os.path.normpath(str(path))
        if key not in seen:
            seen.add(key)
            out.append(path)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if not name.startswith(".") and Path(name).suffix.lower() in cfg.extensions:
                        found.append(Path(root) / name)
            for p in sorted(found):
                add(p)
        else:
            add(path)
    return out


def _failure(path: Path, exc: BaseException) -> DocumentResult:
    category = "internal"
    if isinstance(exc, BrokenProcessPool):
        message = f"{path}: the worker process died while reading this file (out of memory or a crash)"
    else:
        message = f"{path}: {type(exc).__name__}: {exc}"
    return DocumentResult(str(path), None, "failure", 0.0, errors=(ErrorItem("batch", category, message),))


def _map_documents(paths: Sequence[Path], cfg: Config,
                   func: Callable[[str, Config], DocumentResult]) -> Iterator[DocumentResult]:
    """Yield one result per path (any order) from a process pool, or in-process for one worker."""
    if cfg.workers <= 1 or len(paths) <= 1:
        for path in paths:
            try:
                yield func(str(path), cfg)
            except Exception as exc:  # noqa: BLE001 - never lose a file
                yield _failure(path, exc)
        return
    with ProcessPoolExecutor(max_workers=min(cfg.workers, len(paths))) as pool:
        futures: dict[Future, Path] = {pool.submit(func, str(p), cfg): p for p in paths}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    try:
                        yield fut.result()
                    except Exception as exc:  # noqa: BLE001
                        yield _failure(futures[fut], exc)
        finally:
            for fut in pending:
                fut.cancel()


def run_batch(inputs: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str], cfg: Config, *,
              progress: bool = True, func: Callable[[str, Config], DocumentResult] = process_document
              ) -> BatchSummary:
    """Process every input and write all tables to ``out_dir``."""
    started = time.perf_counter()
    out = Path(out_dir)
    _prepare_output(out)
    paths = collect_inputs(inputs, cfg)
    results: list[DocumentResult] = []
    bar = _progress(len(paths), progress)
    stop = False
    for result in _map_documents(paths, cfg, func):
        results.append(result)
        bar.update(1)
        if cfg.fail_fast and result.status == "failure":
            stop = True
            break
    bar.close()
    if stop:
        done = {r.source_path for r in results}
        for path in paths:
            if str(path) not in done:
                results.append(DocumentResult(str(path), None, "skipped", 0.0, errors=(
                    ErrorItem("batch", "fail_fast", f"{path}: not processed: the batch stopped at the first failure (--fail-fast)"),)))
    order = {str(p): i for i, p in enumerate(paths)}
    results.sort(key=lambda r: order.get(r.source_path, len(order)))
    results = _mark_duplicates(results)
    summary = write_outputs(results, out)
    summary.seconds = time.perf_counter() - started
    return summary


def _mark_duplicates(results: list[DocumentResult]) -> list[DocumentResult]:
    """The same bytes under two names are one document: keep the first, skip the rest."""
    first: dict[str, str] = {}
    out = []
    for r in results:
        if r.doc_id and r.status != "failure":
            if r.doc_id in first:
                r = DocumentResult(r.source_path, r.doc_id, "skipped", r.seconds, errors=(ErrorItem(
                    "batch", "duplicate", f"{r.source_path}: same content as {first[r.doc_id]}; skipped"),))
            else:
                first[r.doc_id] = r.source_path
        out.append(r)
    return out


def _merge_owners(rows: Iterable[dict]) -> list[dict]:
    """One row per canonical body across documents."""
    merged: dict[str, dict] = {}
    for row in sorted(rows, key=lambda r: (r["owner_id"], r["doc_id"])):
        cur = merged.get(row["owner_id"])
        if cur is None:
            merged[row["owner_id"]] = {**row, "aliases": list(row["aliases"]), "doc_ids": list(row["doc_ids"])}
            continue
        cur["aliases"] = sorted(set(cur["aliases"]) | set(row["aliases"]))
        cur["doc_ids"] = sorted(set(cur["doc_ids"]) | set(row["doc_ids"]))
        cur["n_tasks"] += row["n_tasks"]
    return list(merged.values())


def write_outputs(results: Sequence[DocumentResult], out: Path) -> BatchSummary:
    summary = BatchSummary(files=len(results))
    tables: dict[str, list[dict]] = {name: [] for name in SCHEMAS if name != "manifest"}
    manifest: list[dict] = []
    worst = ExitCode.ok
    for r in results:
        summary.statuses[r.status] += 1
        n_rows = 0
        if r.status in ("success", "partial"):
            for name, rows in r.tables.items():
                tables[name].extend(rows)
                n_rows += len(rows)
        first = r.errors[0] if r.errors else None
        manifest.append({
            "source_path": r.source_path, "doc_id": r.doc_id,
            "source_sha256": next((row["source_sha256"] for row in r.tables.get("documents", ())), None),
            "source_format": next((row["source_format"] for row in r.tables.get("documents", ())), None),
            "status": r.status, "error": r.error_message, "error_category": first.category if first else None,
            "seconds": r.seconds, "n_rows": n_rows,
        })
        if r.errors and r.status != "skipped":
            summary.failures.append((r.source_path, r.error_message or ""))
        if r.status == "failure":
            worst = max(worst, _EXIT_BY_CATEGORY.get(first.category if first else "internal", ExitCode.extraction))
        elif r.status == "partial":
            worst = max(worst, ExitCode.partial)
    tables["owners"] = _merge_owners(tables["owners"])
    for name in ("owners",):
        tables[name].sort(key=lambda row: row["owner_id"])
    tables["manifest"] = manifest
    write_tables(out, tables)
    summary.rows = {name: len(rows) for name, rows in tables.items()}
    summary.exit_code = worst
    return summary


def _prepare_output(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}", path=str(out)) from None
    if not os.access(out, os.W_OK):
        raise OutputError("the output folder is not writable", path=str(out))


def write_tables(out: Path, tables: dict[str, Sequence[dict]]) -> list[Path]:
    """Write ``<out>/<name>.parquet`` for every table, all or nothing.

    Every table is first written to a temporary file in the output folder; only
    when all are written are they renamed into place (each rename is atomic).
    A failure before that removes the temporary files and leaves the previous
    outputs untouched.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for name, rows in tables.items():
            table = to_arrow(name, rows)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=out)
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


class _NoBar:
    def update(self, n: int) -> None: ...

    def close(self) -> None: ...


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, desc="kehoach")

