"""Shared fixtures: the sample plans shipped in tests/resources (see its README)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

RESOURCES = Path(__file__).parent / "resources"
SAMPLES = {p.name[:3]: p for p in sorted(RESOURCES.glob("00*.txt"))}


def sample_path(key: str) -> Path:
    return SAMPLES[key]


def sample_lines(key: str) -> list[str]:
    """The sample's lines as the text extractor yields them (cleaned, NFC)."""
    from extractors.text_dump import clean_line

    return [clean_line(line) for line in SAMPLES[key].read_text(encoding="utf-8").split("\n")]


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Word writes it: precomposed where the code page has the letter, else base + tone mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed[1:] if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", decomposed[0] + "".join(c for c in decomposed[1:] if c not in TONE_MARKS))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


@pytest.fixture(scope="session")
def samples() -> dict[str, Path]:
    return dict(SAMPLES)


def fail_parquet_write(monkeypatch, nth: int) -> None:
    """Make the ``nth`` Parquet file the output writer writes fail as a full disk would (ENOSPC);
    every other write is real.  ``monkeypatch.undo()`` gives the disk its room back."""
    import errno
    import os

    import pipeline.dataset as dataset

    real, calls = dataset.pq.write_table, []

    def failing(table, where, **kw):
        calls.append(where)
        if len(calls) == nth:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(table, where, **kw)

    monkeypatch.setattr(dataset.pq, "write_table", failing)
