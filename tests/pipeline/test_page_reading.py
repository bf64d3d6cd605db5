"""Never garbage as success on scans: an OCR'd page is given the share of its syllables
estimated read right (``documents.page_accuracy``, from its mean word confidence), and a page
estimated under :data:`normalizers.quality.POOR_READING` makes the document partial with an
error item naming it.  Real tesseract on pages of a sample plan's text drawn and degraded as
scans are (``scripts/make_vie_pairs.py``), from crisp to broken."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from fixture_docs import install_ocr_cache
from normalizers.quality import POOR_READING, READING_MIN_WORDS, reading_estimate
from normalizers.repair import ocr_alignment_accuracy
from pipeline.config import Config
from pipeline.run import process_document

ROOT = Path(__file__).resolve().parents[2]


def _pairs():
    spec = importlib.util.spec_from_file_location("make_vie_pairs", ROOT / "scripts" / "make_vie_pairs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _paragraphs() -> list[str]:
    text = next((ROOT / "tests" / "resources").glob("001_*.txt")).read_text(encoding="utf-8")
    return [re.sub(r"[*#]+", "", p).strip() for p in text.splitlines() if len(p.strip()) > 40][:9]


#: (dpi, binarize threshold, blur, optics scale, style): from a crisp grey scan to a coarse
#: bilevel one whose strokes break
SCANS = {
    "crisp": (300, 0, 0.0, 1.0, "regular"),
    "mild": (200, 0, 0.7, 0.8, "regular"),
    "bilevel": (200, 135, 0.7, 0.7, "regular"),
    "coarse": (150, 135, 0.7, 0.7, "regular"),
    "italic_broken": (200, 110, 1.0, 0.6, "italic"),
    "blurred_broken": (200, 110, 1.3, 0.5, "regular"),
    "broken": (150, 110, 1.3, 0.6, "italic"),
}


def _scan(tmp_path: Path, name: str) -> tuple[Path, list[str]]:
    dpi, binarize, blur, scale, style = SCANS[name]
    job = dict(paras=_paragraphs(), bleed_paras=[], font="dejavu", style=style, size=13, dpi=dpi, rot=0.5,
               blur=blur, scale=scale, noise=3, jpeg=60, ink=0.3, paper=(225, 245), bleed=0, stamps=0,
               signature=False, binarize=binarize, seed=11)
    image, src = _pairs().render_page(job)
    path = tmp_path / f"{name}.png"
    image.save(path, dpi=(dpi, dpi))
    return path, src


def _accuracy(pairs, src: list[str], lines: list[str]) -> float:
    found = pairs.align_line_indices(src, lines)
    n, _r, _n, right = ocr_alignment_accuracy([src[i] for i, _j in found], [lines[j] for _i, j in found],
                                              [lines[j] for _i, j in found])
    lost = sum(len(s.split()) for i, s in enumerate(src) if i not in {i for i, _j in found})
    return right / max(1, n + lost)


@pytest.mark.parametrize("name", sorted(SCANS))
def test_page_accuracy_tells_how_well_a_scan_was_read(tmp_path, monkeypatch, name):
    install_ocr_cache(monkeypatch)
    path, src = _scan(tmp_path, name)
    result = process_document(path, Config(workers=1))
    doc = result.tables["documents"][0]
    estimate = doc["page_accuracy"][0]
    assert doc["page_methods"] == ["ocr"]
    assert estimate == reading_estimate(doc["page_quality"][0], READING_MIN_WORDS)
    # what OCR really read right, against the text drawn (the body text: the plan's own lines)
    from extractors.pdf_ocr import extract_image

    lines = [line.text for line in extract_image(path, Config(workers=1), data=path.read_bytes(), sha256="0").lines]
    real = _accuracy(_pairs(), src, lines)
    assert abs(estimate - real) <= 0.15, (name, estimate, real)
    poor = [e for e in result.errors if e.category == "poor_reading"]
    if estimate < POOR_READING:
        assert result.status == "partial"
        assert len(poor) == 1 and "page 1:" in poor[0].message and str(path) in poor[0].message
        assert real < 0.9  # a page said to be poor is no page read well
    else:
        assert not poor
        assert real >= 0.7  # a page let through is no garbage


def test_crisp_and_broken_scans_are_told_apart(tmp_path, monkeypatch):
    install_ocr_cache(monkeypatch)
    got = {}
    for name in ("crisp", "broken"):
        path, _src = _scan(tmp_path, name)
        result = process_document(path, Config(workers=1))
        got[name] = (result.status, result.tables["documents"][0]["page_accuracy"][0])
    assert got["crisp"][1] >= 0.9 and got["broken"][1] < POOR_READING
    assert got["broken"][0] == "partial"


def test_reading_estimate():
    assert reading_estimate(None, 500) is None
    assert reading_estimate(0.95, READING_MIN_WORDS - 1) is None  # a signature page is not judged
    grid = [reading_estimate(c / 100, 100) for c in range(0, 101, 5)]
    assert grid == sorted(grid) and grid[0] == 0.0 and grid[-1] == 1.0
    assert reading_estimate(0.95, 100) > 0.9 > POOR_READING > reading_estimate(0.7, 100)


def test_kehoach_text_reports_the_pages_it_read_poorly(tmp_path, monkeypatch):
    """``kehoach text`` reads a file as ``kehoach extract`` does: a page read poorly is an error
    item of its reading (a warning on standard error), and ``json`` gives every page's estimate."""
    import json

    from pipeline.text_export import export_text

    install_ocr_cache(monkeypatch)
    for name in ("crisp", "broken"):
        path, _src = _scan(tmp_path, name)
        exported = export_text(path, "json", Config(workers=1))
        page = json.loads(exported.text)["pages"][0]
        poor = [e for e in exported.errors if e.category == "poor_reading"]
        if name == "crisp":
            assert page["accuracy"] >= 0.9 and not poor
        else:
            assert page["accuracy"] < POOR_READING and len(poor) == 1
            assert json.loads(exported.text)["errors"][-1]["category"] == "poor_reading"
