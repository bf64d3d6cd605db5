"""Repair one file's text line for line: the function behind ``kehoach repair``.

Text dumps are repaired exactly as stored (same lines, same line endings, same
trailing newline); other inputs go through their extractor first, one line of
output per extracted line.

Bounded like ``kehoach extract``: the file's size by ``cfg.max_file_bytes`` and its
longest line by ``cfg.max_line_chars`` (a file of megabytes without a line break is
refused at once, saying so).  Within a line the decoder works on pieces of at most
:data:`normalizers.diacritics.MAX_SEGMENT_TOKENS` words, so time and memory grow
linearly with the line's length.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from extractors.registry import detect_kind, get_extractor
from extractors.text_dump import check_line_length, decode_text
from normalizers.repair import MODES, repair_lines
from normalizers.encodings import legacy_text
from pipeline.config import Config
from pipeline.errors import OutputError
from pipeline.reading import plain_characters, read_input


@dataclass(frozen=True, slots=True)
class RepairedText:
    text: str  #: the repaired text, as many lines as the input
    state: str  #: document state (see :data:`normalizers.repair.TEXT_STATES`)
    confidence: float  #: in [0, 1]
    line_states: tuple[str, ...]  #: state of every line
    changed: int  #: number of lines whose text the repair changed


def repair_file(path: str | os.PathLike[str], *, mode: str = "auto", out: str | os.PathLike[str] | None = None,
                cfg: Config | None = None) -> RepairedText:
    """Repair ``path``; write the result atomically to ``out`` when given."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    cfg = cfg or Config(workers=1)
    path = Path(path)
    data = read_input(path, cfg)
    kind = detect_kind(path, data[:2048])
    if kind in ("text", "markdown"):
        text, _encoding = decode_text(data, str(path))
        lines = text.split("\n")
    else:
        doc = get_extractor(kind, str(path))(path, cfg, data=data, sha256=hashlib.sha256(data).hexdigest())
        lines = doc.texts() + [""]
    check_line_length(lines, cfg.max_line_chars, str(path))
    # Keep CRLF endings: repair the line without its "\r" and put it back.
    crs = [line.endswith("\r") for line in lines]
    bare = [line[:-1] if cr else line for line, cr in zip(lines, crs)]
    if not legacy_text(bare):  # as the pipeline reads them (repair.characters.v1)
        bare = plain_characters(bare)
    result = repair_lines(bare, mode=mode)
    changed = sum(1 for a, b in zip(lines, result.lines) if a.rstrip("\r") != b)
    repaired = "\n".join(line + "\r" if cr else line for line, cr in zip(result.lines, crs))
    if out is not None:
        write_text_atomic(Path(out), repaired)
    return RepairedText(repaired, result.state, result.confidence, result.line_states, changed)


def write_text_atomic(target: Path, text: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
