"""``kehoach text FILE...``: every input's text written to its target, one failure not stopping the rest.

Targets: standard output without ``-o``; with ``-o OUT`` and one file, OUT names the file
(unless it is an existing folder or ends in a slash); with several files OUT is a folder
and each file gets ``<stem>.<ext>`` (a later input of the same stem ``<stem>-2.<ext>``,
``-3``, ...).  On standard output several files follow one another: ``txt`` and ``md`` each after a
``==> FILE <==`` line, ``json`` one document per line (JSON Lines).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pipeline.config import Config
from pipeline.errors import ExitCode, KehoachError, LimitExceededError, ResourceLimitError
from pipeline.repair_file import write_text_atomic
from pipeline.text_export import ExportedText, export_text, render_json

EXTENSIONS = {"txt": "txt", "md": "md", "json": "json"}


@dataclass
class TextRun:
    """How the run went: one line per file for the user, the worst exit code."""

    exit_code: int = int(ExitCode.ok)
    failed: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def targets(paths: Sequence[Path], out: str | None, fmt: str) -> list[Path | None]:
    """Where each input's text goes (None: standard output); ``out`` as given on the command line."""
    if out is None:
        return [None] * len(paths)
    ext = EXTENSIONS[fmt]
    folder = Path(out)
    if len(paths) == 1 and not (folder.is_dir() or out.endswith(("/", os.sep))):
        return [folder]
    names: list[str] = []
    own = [f"{p.stem}.{ext}" for p in paths]
    for path, first in zip(paths, own):
        name, n = first, 1
        # a later file of the same stem: <stem>-2, -3, ... (never the name of another input)
        while name in names or (name != first and name in own):
            n += 1
            name = f"{path.stem}-{n}.{ext}"
        names.append(name)
    return [folder / name for name in names]


def export_files(paths: Sequence[Path], fmt: str, out: str | None, cfg: Config, *, stdout: TextIO,
                 note: Callable[[str], None]) -> TextRun:
    """Export every file; ``note`` gets one line per file (and every error) for standard error."""
    run = TextRun()
    several = len(paths) > 1
    for path, target in zip(paths, targets(paths, out, fmt)):
        try:
            exported = _export(path, fmt, cfg, one_line=several and target is None)
            if target is None:
                if several and fmt != "json":
                    stdout.write(f"==> {path} <==\n")
                stdout.write(exported.text)
                stdout.flush()
            else:
                write_text_atomic(target, exported.text)
                run.written.append(target)
        except KehoachError as exc:
            message = str(exc) if exc.path else f"{path}: {exc}"
            note(f"kehoach: error: {message}")
            run.failed.append(str(path))
            run.exit_code = max(run.exit_code, int(exc.exit_code))
            continue
        doc = exported.document
        methods = ", ".join(sorted({p.method for p in doc.pages}))
        where = f" -> {target}" if target is not None else ""
        note(f"{path}: {len(doc.pages)} page(s) ({methods}), text {doc.text_state}{where}")
        for error in exported.errors:
            note(f"kehoach: warning: {error.message}")
        if exported.errors:
            run.exit_code = max(run.exit_code, int(ExitCode.partial))
    return run


def _export(path: Path, fmt: str, cfg: Config, *, one_line: bool) -> ExportedText:
    """:func:`pipeline.text_export.export_text`, with what is not a KehoachError turned into one
    naming the file (as :func:`pipeline.run.process_document` reports it)."""
    try:
        exported = export_text(path, fmt, cfg)
    except KehoachError:
        raise
    except MemoryError:
        raise ResourceLimitError("ran out of memory; split the document", path=str(path)) from None
    except Exception as exc:  # noqa: BLE001 - an extractor bug fails this file, not the run
        if type(exc).__name__ == "DecompressionBombError":  # PIL's guard, past our own check
            raise LimitExceededError(f"an image in the file is too large to decode ({exc}); see "
                                     "KEHOACH_MAX_PAGE_PIXELS", path=str(path)) from None
        raise _Internal(f"{type(exc).__name__}: {exc}", path=str(path)) from exc
    if one_line and fmt == "json":
        return ExportedText(render_json(exported.document, exported.errors, indent=None), exported.document,
                            exported.errors)
    return exported


class _Internal(KehoachError):
    """A bug met while reading the file (reported with the file; please report it)."""
