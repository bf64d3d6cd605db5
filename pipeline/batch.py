"""The batch: find inputs, map :func:`process_document` over them, write Parquet.

A run is incremental and resumable:

1. every input is hashed (SHA-256 of its bytes); bytes already stored under
   ``<out>/.kehoach/`` by an earlier (or killed) run with the same code and
   settings are not processed again (``--force`` reprocesses everything), nor
   are bytes that failed for good there (:func:`pipeline.store.lasting_failure`:
   reported again with a note, unless ``--retry-failed``);
2. the rest go to an executor (:mod:`pipeline.executors`: a process pool or
   Dask) and each finished document is stored atomically as it arrives
   (:mod:`pipeline.store`);
3. the published tables are rebuilt from the store for exactly the current
   inputs — rows of changed files replaced, rows of deleted files gone — and
   renamed into place (:mod:`pipeline.dataset`); when nothing changed they are
   left as they are.

Only this process writes.  A run killed at any moment leaves the previous
tables intact and readable, and the next run finishes the work with the same
result as a clean run.  Every input file gets exactly one manifest row.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from normalizers.doc_types import is_plan
from pipeline.config import Config
from pipeline.dataset import write_tables
from pipeline.errors import ExitCode, OutputError
from pipeline.executors import make_executor
from pipeline.model import DocumentResult, ErrorItem
from pipeline.run import doc_id_of, process_document
from pipeline.schemas import SCHEMAS
from pipeline.store import ResultStore, file_sha256, fingerprint, relabel, result_sha256

log = logging.getLogger(__name__)

__all__ = ["BatchSummary", "collect_inputs", "run_batch", "write_outputs", "write_tables"]

_EXIT_BY_CATEGORY = {
    "input_file": ExitCode.input_file,
    "unsupported_format": ExitCode.input_file,
    "missing_dependency": ExitCode.missing_dependency,
    "extraction": ExitCode.extraction,
    "stage_contract": ExitCode.extraction,
    "timeout": ExitCode.extraction,
    "out_of_memory": ExitCode.extraction,
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
    #: incremental bookkeeping against the previous run on the same output folder
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    processed: int = 0
    reused: int = 0
    #: inputs whose bytes failed for good in an earlier run, reported again without a retry
    not_retried: int = 0
    published: bool = True
    #: canonical owners not in the reviewed registry (normalizers/data/owners.csv), by name
    new_owners: list[str] = field(default_factory=list)
    #: pages OCR'd (in whole or in part), and pages read again because their text layer was
    #: broken (documents.n_pages_reread)
    pages_ocr: int = 0
    pages_reread: int = 0
    #: documents by type (documents.doc_type; "unknown" when the header shows none)
    doc_types: dict[str, int] = field(default_factory=dict)
    #: (source_path, doc_type) of the documents that are not plans: no tasks, targets or owners
    not_plans: list[tuple[str, str]] = field(default_factory=list)

    def render(self) -> str:
        lines = [
            f"kehoach: {self.files} file(s) in {self.seconds:.1f} s — "
            f"{self.statuses.get('success', 0)} ok, {self.statuses.get('partial', 0)} partial, "
            f"{self.statuses.get('failure', 0)} failed, {self.statuses.get('skipped', 0)} skipped",
            f"inputs: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed; {self.processed} processed, {self.reused} reused from earlier runs"
            + (f"; {self.not_retried} failed earlier, not retried (use --retry-failed)" if self.not_retried else "")
            + ("" if self.published else "; nothing changed, tables left as they were"),
            "rows: " + ", ".join(f"{name} {count}" for name, count in self.rows.items()),
        ]
        if self.pages_ocr or self.pages_reread:
            lines.append(f"pages: {self.pages_ocr} OCR'd, {self.pages_reread} read again because their text layer "
                         "was broken (documents.page_reasons says why)")
        if self.new_owners:
            shown = "; ".join(n if len(n) <= 60 else n[:57] + "..." for n in self.new_owners[:5])
            shown += "; ..." if len(self.new_owners) > 5 else ""
            lines.append(f"owners: {len(self.new_owners)} not in the registry normalizers/data/owners.csv "
                         f"(review them: owners.parquet where not registered): {shown}")
        if self.doc_types:
            lines.append("document types: " + ", ".join(f"{n} {code}" for code, n in self.doc_types.items())
                         + f"; {len(self.not_plans)} not plans (documents, sections and references rows only)")
        for path, code in self.not_plans[:10]:
            lines.append(f"  - not a plan ({code}): {path}")
        if len(self.not_plans) > 10:
            lines.append(f"  - ... and {len(self.not_plans) - 10} more not plans (documents.doc_type)")
        for path in self.removed[:5]:
            lines.append(f"  - removed (no longer an input): {path}")
        if len(self.removed) > 5:
            lines.append(f"  - ... and {len(self.removed) - 5} more removed")
        for path, message in self.failures[:20]:
            lines.append(f"  ! {message}" if path in message else f"  ! {path}: {message}")
        if len(self.failures) > 20:
            lines.append(f"  ... and {len(self.failures) - 20} more (see manifest.parquet)")
        return "\n".join(lines)


def collect_inputs(inputs: Sequence[str | os.PathLike[str]], cfg: Config) -> list[Path]:
    """Files named directly, plus files with a known extension under named folders (recursive).

    Folders are walked without following links (no symlink loops) and without
    entering hidden folders (such as an output folder's ``.kehoach`` store); the
    result is sorted per argument and free of repeats.  A missing argument, or a
    folder without input files, is kept, so that it gets a manifest row saying so.
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
            if not found:  # an empty folder gets a manifest row saying so
                add(path)
        else:
            add(path)
    return out


def _skipped(path: str, category: str, message: str, doc_id: str | None = None) -> DocumentResult:
    return DocumentResult(path, doc_id, "skipped", 0.0, errors=(ErrorItem("batch", category, message),))


def run_batch(inputs: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str], cfg: Config, *,
              progress: bool = True, func: Callable[[str, Config], DocumentResult] = process_document
              ) -> BatchSummary:
    """Process every input and publish all tables to ``out_dir`` (see the module doc)."""
    started = time.perf_counter()
    out = Path(out_dir)
    _prepare_output(out)
    paths = [str(p) for p in collect_inputs(inputs, cfg)]
    with ResultStore(out, fingerprint(cfg, func)) as store:
        previous = store.load_state()
        before: dict[str, str | None] = {e["source_path"]: e.get("source_sha256")
                                         for e in previous.get("inputs", ())}
        summary = BatchSummary()
        shas = [file_sha256(Path(p), cfg.max_file_bytes) for p in paths]
        results: list[DocumentResult | None] = [None] * len(paths)
        stored: dict[int, str] = {}  # index -> sha of a reusable stored result
        first: dict[str, str] = {}
        todo: list[int] = []
        for i, (path, sha) in enumerate(zip(paths, shas)):
            if path in before:
                summary.changed += before[path] != sha
                summary.unchanged += before[path] == sha
            else:
                summary.new += 1
            if sha is not None and sha in first:
                results[i] = _skipped(path, "duplicate", f"{path}: same content as {first[sha]}; skipped",
                                      doc_id=doc_id_of(sha))
                continue
            if sha is not None:
                first[sha] = path
                if not cfg.force and store.has(sha):
                    stored[i] = sha
                    continue
                failed = None if cfg.force or cfg.retry_failed else store.failure(sha)
                if failed is not None:
                    results[i] = _not_retried(failed, path)
                    summary.not_retried += 1
                    continue
            todo.append(i)
        summary.removed = sorted(set(before) - set(paths))
        summary.reused = len(stored)

        _process(todo, paths, results, store, cfg, func, progress, summary)

        # Manifest rows of reused documents come from the previous state when it saw the
        # same bytes under the same name, so that an unchanged re-run loads nothing.
        known = {(e["source_path"], e.get("source_sha256")): e for e in previous.get("inputs", ())}
        entries: list[dict] = []
        for i, path in enumerate(paths):
            if i in stored and (path, stored[i]) in known:
                entries.append(known[(path, stored[i])])
                continue
            if i in stored:
                results[i] = _load(store, stored[i], path)
            entries.append(_manifest_row(results[i]))
        digest = _digest(store.fingerprint, cfg.layout, entries)
        if (not cfg.force and previous.get("digest") == digest and _outputs_exist(out, cfg.layout, previous)):
            summary.published = False
            summary.rows = dict(previous.get("rows", {}))
            summary.doc_types = dict(previous.get("doc_types", {}))
            summary.not_plans = [tuple(p) for p in previous.get("not_plans", ())]
            summary.pages_ocr = int(previous.get("pages_ocr", 0))
            summary.pages_reread = int(previous.get("pages_reread", 0))
            _tally(summary, entries)
        else:
            for i in stored:
                if results[i] is None:
                    results[i] = _load(store, stored[i], paths[i])
            final = _mark_duplicates([r for r in results if r is not None])
            summary = _merge(write_outputs(final, out, cfg.layout), summary)
            entries = [_manifest_row(r) for r in final]
            store.save_state({"fingerprint": store.fingerprint, "layout": cfg.layout, "digest": digest,
                              "tables": sorted(SCHEMAS), "rows": summary.rows, "doc_types": summary.doc_types,
                              "not_plans": summary.not_plans, "pages_ocr": summary.pages_ocr,
                              "pages_reread": summary.pages_reread, "inputs": entries})
            store.prune(e["source_sha256"] for e in entries
                        if e.get("source_sha256") and e["status"] in ("success", "partial", "failure"))
    summary.seconds = time.perf_counter() - started
    return summary


def _process(todo: list[int], paths: list[str], results: list[DocumentResult | None], store: ResultStore,
             cfg: Config, func: Callable[[str, Config], DocumentResult], progress: bool,
             summary: BatchSummary) -> None:
    """Run the executor over ``todo``; store each result as it arrives."""
    if not todo:
        return
    bar = _progress(len(todo), progress)
    executor = make_executor(cfg, len(todo))
    stop = False
    try:
        for k, result in executor.map(func, [paths[i] for i in todo], cfg):
            i = todo[k]
            results[i] = result
            store.put(result)
            summary.processed += 1
            bar.update(1)
            if cfg.fail_fast and result.status == "failure":
                stop = True
                break
    finally:
        executor.close()
        bar.close()
    if stop:
        for i in todo:
            if results[i] is None:
                results[i] = _skipped(paths[i], "fail_fast", f"{paths[i]}: not processed: the batch stopped at "
                                      "the first failure (--fail-fast)")


def _not_retried(failed: DocumentResult, path: str) -> DocumentResult:
    """A failure stored by an earlier run, as for ``path``, noting that it was not tried again."""
    failed = relabel(failed, path)
    note = ErrorItem("batch", "not_retried", f"{path}: not retried: the same bytes failed in an earlier run with "
                     "the same settings; use --retry-failed (KEHOACH_RETRY_FAILED=1) to try again")
    return dataclasses.replace(failed, errors=(*failed.errors, note))


def _load(store: ResultStore, sha: str, path: str) -> DocumentResult:
    result = store.get(sha)
    if result is None:  # vanished or unreadable since the check: report it, the next run redoes it
        return DocumentResult(path, None, "failure", 0.0, errors=(ErrorItem(
            "batch", "internal", f"{path}: the stored result could not be read; run again (or use --force)"),))
    return relabel(result, path)


def _digest(fp: str, layout: str, entries: Iterable[dict]) -> str:
    """What the published tables are a function of: inputs, outcomes, code and settings."""
    keyed = [[e["source_path"], e.get("source_sha256"), e["status"], e.get("error")] for e in entries]
    return hashlib.sha256(json.dumps([fp, layout, sorted(SCHEMAS), keyed]).encode()).hexdigest()


def _outputs_exist(out: Path, layout: str, previous: dict) -> bool:
    if previous.get("tables") != sorted(SCHEMAS):
        return False
    if layout == "dataset":
        return all((out / name).is_symlink() and (out / name).is_dir() for name in SCHEMAS)
    return all((out / f"{name}.parquet").is_file() for name in SCHEMAS)


def _tally(summary: BatchSummary, entries: Sequence[dict]) -> None:
    summary.files = len(entries)
    worst = ExitCode.ok
    for e in entries:
        summary.statuses[e["status"]] += 1
        if e.get("error") and e["status"] != "skipped":
            summary.failures.append((e["source_path"], e["error"]))
        if e["status"] == "failure":
            worst = max(worst, _EXIT_BY_CATEGORY.get(e.get("error_category") or "internal", ExitCode.extraction))
        elif e["status"] == "partial":
            worst = max(worst, ExitCode.partial)
    summary.exit_code = worst


def _merge(written: BatchSummary, counts: BatchSummary) -> BatchSummary:
    for name in ("new", "changed", "unchanged", "removed", "processed", "reused", "not_retried"):
        setattr(written, name, getattr(counts, name))
    return written


def _mark_duplicates(results: list[DocumentResult]) -> list[DocumentResult]:
    """The same bytes under two names are one document: keep the first, skip the rest."""
    first: dict[str, str] = {}
    out = []
    for r in results:
        if r.doc_id and r.status != "failure":
            if r.doc_id in first:
                r = _skipped(r.source_path, "duplicate", f"{r.source_path}: same content as {first[r.doc_id]}; skipped",
                             doc_id=r.doc_id)
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


def _manifest_row(r: DocumentResult) -> dict:
    first = r.errors[0] if r.errors else None
    documents = r.tables.get("documents", ())
    return {
        "source_path": r.source_path, "doc_id": r.doc_id,
        "source_sha256": result_sha256(r),
        "source_format": next((row["source_format"] for row in documents), None),
        "status": r.status, "error": r.error_message, "error_category": first.category if first else None,
        "seconds": r.seconds,
        "n_rows": sum(len(rows) for rows in r.tables.values()) if r.status in ("success", "partial") else 0,
    }


def write_outputs(results: Sequence[DocumentResult], out: Path, layout: str = "files") -> BatchSummary:
    """Build every table from ``results`` (in order) and publish them; the summary of what was written."""
    summary = BatchSummary(files=len(results))
    tables: dict[str, list[dict]] = {name: [] for name in SCHEMAS if name != "manifest"}
    manifest: list[dict] = []
    for r in results:
        if r.status in ("success", "partial"):
            for name, rows in r.tables.items():
                tables[name].extend(rows)
        manifest.append(_manifest_row(r))
    tables["owners"] = _merge_owners(tables["owners"])
    tables["owners"].sort(key=lambda row: row["owner_id"])
    tables["manifest"] = manifest
    write_tables(out, tables, layout)
    summary.rows = {name: len(rows) for name, rows in tables.items()}
    summary.new_owners = sorted(row["name"] for row in tables["owners"] if row.get("registered") is False)
    summary.pages_ocr = sum(row.get("n_pages_ocr") or 0 for row in tables["documents"])
    summary.pages_reread = sum(row.get("n_pages_reread") or 0 for row in tables["documents"])
    summary.doc_types, summary.not_plans = _doc_types(tables["documents"])
    _tally(summary, manifest)
    return summary


def _doc_types(documents: Sequence[dict]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Documents by type, commonest first, and the (path, type) of those that are not plans."""
    counts = Counter(row.get("doc_type") or "unknown" for row in documents)
    not_plans = [(row["source_path"], row["doc_type"]) for row in documents if not is_plan(row.get("doc_type"))]
    return dict(counts.most_common()), not_plans


def _prepare_output(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}", path=str(out)) from None
    if not os.access(out, os.W_OK):
        raise OutputError("the output folder is not writable", path=str(out))


class _NoBar:
    def update(self, n: int) -> None: ...

    def close(self) -> None: ...


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, desc="kehoach")
