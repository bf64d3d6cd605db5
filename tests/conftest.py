"""Shared fixtures: the sample plans shipped in tests/resources (see its README)."""

from __future__ import annotations

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


@pytest.fixture(scope="session")
def samples() -> dict[str, Path]:
    return dict(SAMPLES)
