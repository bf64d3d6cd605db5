"""The plans as spaCy documents, for researchers who work in the spaCy ecosystem.

:func:`spacy_doc` rebuilds one plan's outline text from the output tables (every section
heading or bullet paragraph, one per line, in document order) and returns a spaCy ``Doc``:

* ``doc.ents``: entities found by a rule-based ``entity_ruler`` on a blank Vietnamese
  pipeline (:func:`make_nlp`): ``OWNER`` (the bodies of the owner registry
  ``normalizers/data/owners.csv`` and every owner surface of the document's ``task_owners``),
  ``DOC_REF`` (cited documents, "Nghị quyết số 76/NQ-CP"), ``DATE`` ("ngày 15/7/2021",
  "ngày 15 tháng 7 năm 2021", "31/12/2025", "Quý III/2025", "năm 2025") and ``PERCENT``
  ("95%", "99,5 %");
* ``doc.spans["sections"]``: one span per section row, labelled with its ``section_id``;
  ``doc.user_data["sections"][section_id]`` holds that row's ``level``, ``kind``, ``area``,
  ``page`` and ``line_start``, so a match links back to its source line;
* ``doc.user_data["doc_id"]``.

No statistical model is loaded (none is needed, and no model hub is reachable): tokens are
syllables separated by white space and punctuation; document numbers ("60/2021/NĐ-CP") and
dates ("31/12/2025") stay one token.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

#: entity labels set by :func:`make_nlp`'s entity ruler
ENTITY_LABELS = ("OWNER", "DOC_REF", "DATE", "PERCENT")

_TOKEN_MATCH = re.compile(
    r"^\d{1,6}[a-z]?[/-](?:(?:19|20)\d\d/)?[A-ZĐ][\wĐđ]*(?:[/_-][\wĐđ]+)*$"  # 76/NQ-CP, 60/2021/NĐ-CP
    r"|^\d{1,2}[/.-]\d{1,2}(?:[/.-](?:19|20)\d\d)?$"  # 15/7/2021, 31/12
    r"|^[IV]{1,3}/(?:19|20)\d\d$"  # (Quý) III/2025
)
_ACRONYM = re.compile(r"\b[A-ZĐ]{2,}\b")
_DOC_TYPES = ("Nghị quyết", "Quyết định", "Kế hoạch", "Chỉ thị", "Thông tư", "Nghị định", "Công văn",
              "Hướng dẫn", "Thông báo", "Chương trình", "Đề án", "Kết luận", "Luật")


def _lower_words(phrase: str) -> list[dict]:
    return [{"LOWER": w.lower()} for w in phrase.split()]


def _patterns() -> list[dict]:
    from normalizers.owners import registry_phrases

    doc_no = {"TEXT": {"REGEX": r"^\d{1,6}[a-z]?[/-](?:(?:19|20)\d\d/)?[A-ZĐ]"}}
    year = {"TEXT": {"REGEX": r"^(?:19|20)\d\d$"}}
    pats: list[dict] = []
    for doc_type in _DOC_TYPES:
        pats.append({"label": "DOC_REF", "pattern": [*_lower_words(doc_type), {"LOWER": "số", "OP": "?"}, doc_no]})
    pats.append({"label": "DOC_REF", "pattern": [doc_no]})
    pats += [
        {"label": "DATE", "pattern": [{"LOWER": "ngày"}, {"TEXT": {"REGEX": r"^\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d$"}}]},
        {"label": "DATE", "pattern": [{"LOWER": "ngày"}, {"IS_DIGIT": True}, {"LOWER": "tháng"}, {"IS_DIGIT": True},
                                      {"LOWER": "năm"}, year]},
        {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d$"}}]},
        {"label": "DATE", "pattern": [{"LOWER": "quý"}, {"TEXT": {"REGEX": r"^[IV]{1,3}/(?:19|20)\d\d$"}}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["năm", "đến", "trước"]}, "OP": "?"}, {"LOWER": "năm"}, year]},
        {"label": "PERCENT", "pattern": [{"TEXT": {"REGEX": r"^\d+(?:[.,]\d+)?$"}}, {"TEXT": "%"}]},
    ]
    # Short common-word aliases ("Lãnh đạo", "Chủ tịch") would tag "lãnh đạo, chỉ đạo" in running
    # text: only names of three words or more, or with an acronym ("UBND xã", "MTTQ"), are used.
    pats += [{"label": "OWNER", "pattern": phrase} for phrase in registry_phrases()
             if len(phrase.split()) >= 3 or _ACRONYM.search(phrase)]
    return pats


@lru_cache(maxsize=1)
def make_nlp():
    """A blank Vietnamese spaCy pipeline with the rule-based ``entity_ruler`` described in the
    module docstring (built once per process)."""
    import spacy
    from spacy.lang.punctuation import TOKENIZER_INFIXES, TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    # pyvi (word segmentation) is not installed: syllables are the tokens.
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = Tokenizer(
        nlp.vocab,
        prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
        suffix_search=compile_suffix_regex(TOKENIZER_SUFFIXES).search,
        infix_finditer=compile_infix_regex(TOKENIZER_INFIXES).finditer,
        token_match=_TOKEN_MATCH.match,
    )
    # phrase patterns (owners) match on lower case: "Văn phòng UBND xã" = "VĂN PHÒNG UBND XÃ"
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns(_patterns())
    return nlp


def _table(tables: Mapping[str, pd.DataFrame] | str | os.PathLike[str], name: str, doc_id: str) -> pd.DataFrame:
    if isinstance(tables, Mapping):
        frame = tables.get(name)
        if frame is None:
            return pd.DataFrame()
    else:
        folder = Path(tables)
        path = folder / f"{name}.parquet" if (folder / f"{name}.parquet").exists() else folder / name
        if not path.exists():
            return pd.DataFrame()
        frame = pd.read_parquet(path, filters=[("doc_id", "==", doc_id)])
    return frame[frame["doc_id"] == doc_id] if len(frame) else frame


def spacy_doc(tables: Mapping[str, pd.DataFrame] | str | os.PathLike[str], doc_id: str):
    """One plan as a spaCy ``Doc`` (see the module docstring).

    ``tables`` is the output folder of ``kehoach extract`` (``OUT/<table>.parquet`` files or
    ``OUT/<table>/`` datasets) or a mapping of table name to DataFrame (what a notebook has
    loaded).  Raises ``KeyError`` when no section of ``doc_id`` is in the tables.
    """
    from spacy.tokens import Span

    sections = _table(tables, "sections", doc_id)
    if sections.empty:
        raise KeyError(f"no sections for doc_id {doc_id!r} in the tables")
    sections = sections.sort_values(["line_start", "level"], kind="stable")
    parts: list[str] = []
    offsets: list[tuple[int, int, dict[str, Any]]] = []
    pos = 0
    for row in sections.itertuples(index=False):
        number = row.number if row.kind in ("dash", "plus") else f"{row.number}."
        text = f"{number} {row.heading}" if row.number else str(row.heading)
        parts.append(text)
        offsets.append((pos, pos + len(text), row._asdict()))
        pos += len(text) + 1
    nlp = make_nlp()
    doc = nlp.make_doc("\n".join(parts))

    owners = _table(tables, "task_owners", doc_id)
    surfaces = sorted(set(owners["surface"])) if not owners.empty else []
    if surfaces:  # the document's own owner surfaces, as printed, on top of the registry
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        matcher.add("OWNER", [nlp.make_doc(s) for s in surfaces])
        extra = [Span(doc, start, end, label="OWNER") for _, start, end in matcher(doc)]
    else:
        extra = []
    doc = nlp.get_pipe("entity_ruler")(doc)
    if extra:
        from spacy.util import filter_spans

        # longest spans win; a rule entity overlapping an owner surface keeps the longer one
        doc.ents = filter_spans(list(doc.ents) + extra)

    spans, info = [], {}
    for start, end, row in offsets:
        span = doc.char_span(start, end, label=row["section_id"], alignment_mode="expand")
        if span is not None:
            spans.append(span)
        info[row["section_id"]] = {k: row.get(k) for k in ("level", "kind", "area", "page", "line_start", "line_end")}
    doc.spans["sections"] = spans
    doc.user_data["doc_id"] = doc_id
    doc.user_data["sections"] = info
    return doc
