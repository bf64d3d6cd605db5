"""pipeline.spacy_doc: a plan from the output tables as a spaCy Doc with rule-based entities
and section spans (real spaCy, real Parquet output of the sample plans)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import sample_path

import pipeline
from pipeline.batch import run_batch
from pipeline.config import Config
from pipeline.nlp import ENTITY_LABELS, make_nlp


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    run_batch([sample_path("000"), sample_path("002")], folder, Config(workers=1), progress=False)
    return folder


def doc_id_of(out, stem: str) -> str:
    docs = pd.read_parquet(out / "documents.parquet")
    return docs[docs.source_path.str.contains(stem)].doc_id.iloc[0]


def test_tokenizer_keeps_document_numbers_and_dates_whole():
    doc = make_nlp().make_doc("theo Nghị định số 60/2021/NĐ-CP, ngày 21/6/2021 (đạt 99,5%).")
    assert [t.text for t in doc] == ["theo", "Nghị", "định", "số", "60/2021/NĐ-CP", ",", "ngày", "21/6/2021",
                                     "(", "đạt", "99,5", "%", ")", "."]


def test_entities_in_running_text():
    doc = make_nlp()("Văn phòng HĐND - UBND xã chủ trì thực hiện Kế hoạch số 4347/KH-UBND ngày 25/11/2021, "
                     "đạt tối thiểu 95% trước Quý III/2025; lãnh đạo, chỉ đạo thường xuyên.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Văn phòng HĐND - UBND xã", "OWNER") in ents
    assert ("Kế hoạch số 4347/KH-UBND", "DOC_REF") in ents
    assert ("ngày 25/11/2021", "DATE") in ents and ("Quý III/2025", "DATE") in ents
    assert ("95%", "PERCENT") in ents
    assert not any(e.text.lower() == "lãnh đạo" for e in doc.ents)  # a verb here, not a body


def test_spacy_doc_of_a_plan_links_back_to_its_sections(out):
    doc_id = doc_id_of(out, "000_")
    doc = pipeline.spacy_doc(out, doc_id)
    sections = pd.read_parquet(out / "sections.parquet")
    sections = sections[sections.doc_id == doc_id]
    assert doc.user_data["doc_id"] == doc_id
    assert len(doc.spans["sections"]) == len(sections)
    by_label = {s.label_: s for s in doc.spans["sections"]}
    assert by_label["II.2"].text.startswith("2. Nhiệm vụ cụ thể")
    assert doc.user_data["sections"]["II.2"]["line_start"] == int(
        sections[sections.section_id == "II.2"].line_start.iloc[0])
    labels = {e.label_ for e in doc.ents}
    assert labels == set(ENTITY_LABELS)
    percents = [e for e in doc.ents if e.label_ == "PERCENT"]
    assert any(e.text == "95%" for e in percents)
    # every entity sits inside one section span: a number links back to its source line
    ent = next(e for e in percents if e.text == "95%")
    home = [s for s in doc.spans["sections"] if s.start <= ent.start and ent.end <= s.end]
    assert home and doc.user_data["sections"][home[0].label_]["line_start"] >= 1


def test_spacy_doc_from_loaded_frames_equals_from_folder(out):
    doc_id = doc_id_of(out, "002_")
    frames = {name: pd.read_parquet(out / f"{name}.parquet") for name in ("sections", "task_owners")}
    a, b = pipeline.spacy_doc(frames, doc_id), pipeline.spacy_doc(out, doc_id)
    assert a.text == b.text
    assert [(e.start, e.end, e.label_) for e in a.ents] == [(e.start, e.end, e.label_) for e in b.ents]
    # the document's own owner surfaces are entities too
    surfaces = set(frames["task_owners"][frames["task_owners"].doc_id == doc_id].surface)
    owner_texts = {e.text for e in a.ents if e.label_ == "OWNER"}
    assert surfaces & owner_texts


def test_unknown_doc_id_is_a_clear_error(out):
    with pytest.raises(KeyError, match="no sections"):
        pipeline.spacy_doc(out, "0" * 16)
