"""The correction of Vietnamese-model OCR in the scan path: a degraded page (stamp, signature,
bilevel scan at 200 dpi, coarse optics) of a sample plan's text, read by the real tesseract
through :func:`extractors.pdf_ocr.extract_image` and the text repair, with the correction on
and off."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from extractors.pdf_ocr import extract_image
from normalizers.repair import ocr_alignment_accuracy
from pipeline.config import Config
from pipeline.model import Document, Line, Page
from pipeline.reading import repair_document

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_correction_brings_scan_text_closer_to_the_source(tmp_path):
    pairs = _script("make_vie_pairs")
    text = next((ROOT / "tests" / "resources").glob("001_*.txt")).read_text(encoding="utf-8")
    paras = [re.sub(r"[*#]+", "", p).strip() for p in text.splitlines() if len(p.strip()) > 40][:6]
    job = dict(paras=paras, bleed_paras=[], font="dejavu_sans", style="regular", size=13, dpi=200, rot=0.6,
               blur=0.7, scale=0.6, noise=4, jpeg=50, ink=0.4, paper=(225, 245), bleed=0, stamps=1,
               signature=True, binarize=135, seed=5)
    image, src = pairs.render_page(job)
    path = tmp_path / "scan.jpg"
    image.save(path, quality=90, dpi=(200, 200))
    read, extracted = {}, {}
    for on in (False, True):
        cfg = Config(workers=1, ocr_correct=on)
        extracted[on] = extract_image(path, cfg, data=path.read_bytes(), sha256="0")
        read[on] = repair_document(extracted[on], cfg, [])
    # the corrected scan is correct Vietnamese text to the repair: kept exactly as it is
    assert read[True].text_state == "accented"
    assert [line.text for line in read[True].lines] == [line.text for line in extracted[True].lines]
    raw = [line.text for line in read[False].lines]
    fixed = [line.text for line in read[True].lines]
    assert len(raw) == len(fixed)
    pairs_ = pairs.align_line_indices(src, raw)
    assert len(pairs_) >= len(src) - 3
    n, right_raw, _n, right_fixed = ocr_alignment_accuracy(
        [src[i] for i, _j in pairs_], [raw[j] for _i, j in pairs_], [fixed[j] for _i, j in pairs_])
    assert right_raw < n  # the scan is damaged enough for the comparison to mean something
    assert right_fixed > right_raw
    # the words keep their places: the lines are the same, only texts differ
    assert [line.bbox for line in read[False].lines] == [line.bbox for line in read[True].lines]
    assert read[False].text_state == read[True].text_state == "accented"


def test_english_ocr_repair_is_not_run_on_vietnamese_ocr_pages():
    """A line of stamp noise on a page read with the Vietnamese model looks like English-model
    OCR to the repair; it keeps its text there (and the document counts as accented), while the
    same lines read with the English model are decoded."""
    texts = ["Cục trưởng Cục An ninh, Bộ CO2 ¡v2 ý", "độ ö. .š p9 ggÌg iele H6 8E i66 xác định tiền sử dụng đất phải",
             "Ủy ban nhân dân xã tổ chức thực hiện Kế hoạch này."]
    doc = Document("scan.png", "0", "image", (Page(1, "ocr", tuple(Line(k + 1, t, 1) for k, t in enumerate(texts))),))
    assert [line.text for line in repair_document(doc, Config(workers=1), []).lines] == texts
    assert repair_document(doc, Config(workers=1), []).text_state == "accented"
    english = repair_document(doc, Config(workers=1, ocr_lang="eng"), [])
    assert [line.text for line in english.lines][:2] != texts[:2]
