"""The fuzz target of ``make fuzz`` (scripts/fuzz_text.py) on a few seeds, without atheris,
so that it keeps working as the parsers change."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from conftest import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fuzz_text():
    spec = importlib.util.spec_from_file_location("fuzz_text", ROOT / "scripts" / "fuzz_text.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_target_parses_the_seeds(fuzz_text, tmp_path):
    corpus = tmp_path / "corpus"
    fuzz_text._seed_corpus(corpus)
    seeds = sorted(corpus.iterdir())
    assert len(seeds) >= 3 * len(SAMPLES)
    assert all(len(p.read_bytes()) <= fuzz_text.MAX_LEN for p in seeds)
    parsed = [fuzz_text.fuzz_one(p.read_bytes()) for p in seeds]
    assert sum(n > 100 for n in parsed) >= len(SAMPLES)  # the plans' first pages are read as plans


@pytest.mark.parametrize("data", [b"", b"\x00" * 64, b"\xff\xfe" + "I. MỤC TIÊU".encode("utf-16-le"),
                                  "PHỤ LỤC\nTT\tNhiệm vụ\tCơ quan chủ trì\n1\tRà soát\tVăn phòng\n".encode(),
                                  bytes(range(256)), b"a" * 20000, "\f".join(["I."] * 3000).encode()])
def test_the_target_takes_odd_inputs(fuzz_text, data):
    assert fuzz_text.fuzz_one(data) >= 0


def test_make_fuzz_runs_the_target_for_a_bounded_time():
    makefile = (ROOT / "Makefile").read_text()
    assert "\nfuzz:" in makefile and "scripts/fuzz_text.py -max_total_time=$(FUZZ_SECONDS)" in makefile
    assert "FUZZ_SECONDS ?= 600" in makefile
    assert "atheris" in (ROOT / "pyproject.toml").read_text().split("[project.optional-dependencies]")[1]
