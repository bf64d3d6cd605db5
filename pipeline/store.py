"""The per-document result store and run state under ``<out>/.kehoach/``.

Layout::

    <out>/.kehoach/
        lock                     held (flock) by the run writing to <out>
        state.json               what the published tables were built from
        docs/<fingerprint>/<sha256>.pkl   one DocumentResult per input content

Each finished document is pickled to a temporary file and renamed into place
as soon as its result reaches the parent, so a run killed at any moment (even
``kill -9``) keeps the documents it finished; the next run reuses them and
processes only the rest.  Entries are keyed by the SHA-256 of the input bytes
under a *fingerprint* of everything else that decides the rows: the pipeline's
code, its stage versions, the schema version and the settings that affect
extraction (see :data:`pipeline.config.EXECUTION_FIELDS` for those that do
not), and the OCR engine (:func:`extractors.ocr_engine.identity`).  A new version or a changed setting therefore starts a fresh folder; the
old one is removed once the new tables are published.

Failures that the bytes themselves decide (:func:`lasting_failure`: damaged, empty,
encrypted, over a limit) are stored too, as ``<sha256>.failed``, so that the next run
reports them again without retrying them (unless ``--retry-failed``); failures that
may go away by themselves (a missing program, the time or memory limit, a crashed
worker, an internal error) are not stored and are retried by every run.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import pickle
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pipeline.config import EXECUTION_FIELDS, Config
from pipeline.errors import OutputError
from pipeline.model import DocumentResult, ErrorItem

STORE_DIR = ".kehoach"
STATE_VERSION = 1
_PACKAGES = ("pipeline", "extractors", "normalizers")
_ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def code_digest() -> str:
    """SHA-256 over the pipeline's source files and the size of its data files.

    Any change to the code that makes the rows invalidates the stored results.
    Computed once per process: the code that runs is the code imported at start,
    whatever happens to the files later.
    """
    h = hashlib.sha256()
    for package in _PACKAGES:
        base = _ROOT / package
        for path in sorted(base.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            rel = path.relative_to(_ROOT).as_posix()
            if path.suffix == ".py":
                h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
            else:  # data artifacts: large; their size and name stand for them
                h.update(f"{rel}\0{path.stat().st_size}\0".encode())
    return h.hexdigest()


def fingerprint(cfg: Config, func: Callable[..., Any]) -> str:
    """Short hex digest of what, besides the input bytes, decides a document's rows."""
    from pipeline.schemas import SCHEMA_VERSION
    from pipeline.stages import STAGES

    from extractors import ocr_engine

    settings = {k: v for k, v in cfg.model_dump(mode="json").items() if k not in EXECUTION_FIELDS}
    del settings["ocr_engine"]  # stands for the engine it resolves to, below
    parts = {
        # the engine "auto" stands for decides what a scan reads as
        "ocr": ocr_engine.identity(ocr_engine.resolve(cfg.ocr_engine)),
        "schema_version": SCHEMA_VERSION,
        "stages": sorted(STAGES),
        "code": code_digest(),
        "settings": settings,
        "function": f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}",
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def file_sha256(path: Path, max_bytes: int) -> str | None:
    """SHA-256 of a regular, readable file of at most ``max_bytes``; None otherwise.

    Never opens anything but a regular file (a FIFO would block); files that
    cannot be hashed are left to the per-document function, which reports why.
    Empty files get None too: two of them are not duplicates, each is reported as empty.
    """
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes or st.st_size == 0:
            return None
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def relabel(result: DocumentResult, path: str) -> DocumentResult:
    """The result as if computed for ``path`` (same bytes found under another name)."""
    old = result.source_path
    if old == path:
        return result
    tables = {name: tuple({**row, "source_path": path} if row.get("source_path") == old else row for row in rows)
              for name, rows in result.tables.items()}
    errors = tuple(dataclasses.replace(e, message=e.message.replace(old, path)) for e in result.errors)
    return dataclasses.replace(result, source_path=path, tables=tables, errors=errors)


def result_sha256(result: DocumentResult) -> str | None:
    if result.source_sha256:
        return result.source_sha256
    rows = result.tables.get("documents") or ()
    return rows[0].get("source_sha256") if rows else None


#: Error categories of failures that the input's bytes decide, under one fingerprint (which
#: holds the limits): the file is damaged, empty, encrypted, of an unsupported kind or over a limit.
LASTING_CATEGORIES = frozenset({"input_file", "unsupported_format"})


def lasting_failure(result: DocumentResult) -> bool:
    """Whether ``result`` is a failure that retrying the same bytes with the same code and
    settings would only repeat; such failures are stored and not retried."""
    return (result.status == "failure" and result.source_sha256 is not None and bool(result.errors)
            and all(e.category in LASTING_CATEGORIES for e in result.errors))


def file_mode() -> int:
    """The mode a new file gets under the current umask (mkstemp would make it private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target`` and rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            os.fchmod(fh.fileno(), file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResultStore:
    """Stored results of one fingerprint under ``<out>/.kehoach/docs/<fingerprint>/``."""

    def __init__(self, out: Path, fingerprint: str) -> None:
        self.root = out / STORE_DIR
        self.fingerprint = fingerprint
        self.docs = self.root / "docs" / fingerprint
        self._lock_fd: int | None = None

    # --- lifetime -------------------------------------------------------------------------------

    def open(self) -> "ResultStore":
        """Create the folders and take the output folder's lock (one writer at a time)."""
        try:
            self.docs.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot create the result store: {exc.strerror or exc}", path=str(self.root)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError("another kehoach run is writing to this output folder; wait for it to finish",
                              path=str(self.root.parent)) from None
        self._lock_fd = fd
        return self

    def close(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def __enter__(self) -> "ResultStore":
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- documents ------------------------------------------------------------------------------

    def path_of(self, sha256: str) -> Path:
        return self.docs / f"{sha256}.pkl"

    def failure_path_of(self, sha256: str) -> Path:
        return self.docs / f"{sha256}.failed"

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def get(self, sha256: str) -> DocumentResult | None:
        """The stored result for these bytes, or None (missing or unreadable: reprocess)."""
        return _load_result(self.path_of(sha256))

    def failure(self, sha256: str) -> DocumentResult | None:
        """The lasting failure an earlier run stored for these bytes, or None."""
        return _load_result(self.failure_path_of(sha256))

    def put(self, result: DocumentResult) -> bool:
        """Store a success/partial result, or a lasting failure, under its content hash (replacing
        the other kind); False when it is not stored."""
        sha = result_sha256(result)
        if sha is None or not (result.status in ("success", "partial") or lasting_failure(result)):
            return False
        target, other = self.path_of(sha), self.failure_path_of(sha)
        if result.status == "failure":
            target, other = other, target
        try:
            atomic_write_bytes(target, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
            other.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot write the result store: {exc.strerror or exc}", path=str(self.docs)) from None
        return True

    def prune(self, keep: Iterable[str]) -> None:
        """Remove entries (results and failures) not in ``keep`` and the folders of other fingerprints."""
        keep_names = {name for sha in keep for name in (f"{sha}.pkl", f"{sha}.failed")}
        for entry in self.docs.iterdir():
            if entry.name not in keep_names:
                entry.unlink(missing_ok=True)
        for other in (self.root / "docs").iterdir():
            if other.name != self.fingerprint:
                shutil.rmtree(other, ignore_errors=True)

    # --- run state ------------------------------------------------------------------------------

    def load_state(self) -> dict[str, Any]:
        try:
            state = json.loads((self.root / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else {}

    def save_state(self, state: dict[str, Any]) -> None:
        atomic_write_bytes(self.root / "state.json",
                           json.dumps({"version": STATE_VERSION, **state}, ensure_ascii=False, indent=1).encode())


def _load_result(path: Path) -> DocumentResult | None:
    try:
        with open(path, "rb") as fh:
            result = pickle.load(fh)
    except Exception:  # noqa: BLE001 - missing, torn or stale: only a cache miss
        return None
    return result if isinstance(result, DocumentResult) else None


def timeout_failure(path: str, seconds: float) -> DocumentResult:
    return DocumentResult(path, None, "failure", round(seconds, 6), errors=(ErrorItem(
        "batch", "timeout",
        f"{path}: stopped after {seconds:g} s, over the per-document time limit "
        "(raise it with --timeout or KEHOACH_DOC_TIMEOUT; 0 = no limit)"),))
