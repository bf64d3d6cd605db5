"""Learned reform area of a free text (a task, a duty, a bullet): a naive-Bayes model.

:mod:`normalizers.areas` reads the area a heading *names*; a task sentence often names
none ("Tiếp nhận và xử lý phản ánh kiến nghị ...", "Thẩm định, bố trí các nguồn lực
...") or names it deep inside ("Tham mưu UBND xã thực hiện các nhiệm vụ về cải cách
tài chính công").  This model scores such texts.

Features: the folded word unigrams and bigrams of the text (``fold``: lower case, no
diacritics, so accented, unaccented and repaired text score alike; digit runs ->
``0``).  Classes: the seven areas of :data:`normalizers.areas.AREAS` plus ``_none``
(text about something else).  Trained by ``scripts/train_areas.py`` (``make
areas-model``) on corpus paragraphs labelled by the area heading above them (weak
supervision), the Nghị quyết 76/NQ-CP descriptions of each area, and, for ``_none``,
paragraphs of documents that name no area at all; uniform class priors.

The artifact ``data/area_nb.npz`` stores, per feature, the class log-likelihoods
minus their mean over the classes (a shift per feature leaves the posterior unchanged),
quantised to int8 in :data:`STEP` steps, plus the temperature and threshold chosen on
the development split.  It is loaded once per process, on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from normalizers.areas import _HEADING_WORDS, classify_area, named_areas, names_programme
from normalizers.text import fold

MODEL_PATH = Path(__file__).with_name("data") / "area_nb.npz"
NONE_CLASS = "_none"
STEP = 0.05  # nat per int8 step of the stored weights
_WORD = re.compile(r"[a-z]+|[0-9]+")


def tokens(text: str) -> list[str]:
    """Folded word tokens; a digit run is ``0``."""
    return ["0" if t[0].isdigit() else t for t in _WORD.findall(fold(text))]


def features(text: str) -> list[str]:
    """Unigrams and bigrams (``"a_b"``) of :func:`tokens`, with repeats."""
    toks = tokens(text)
    return toks + [f"{a}_{b}" for a, b in zip(toks, toks[1:])]


@dataclass(frozen=True, slots=True)
class AreaModel:
    classes: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray  # (n_features, n_classes) float32, centred log-likelihoods
    temperature: float
    threshold: float

    def posterior(self, text: str) -> dict[str, float]:
        """Probability of every class (areas and ``_none``) for ``text``; uniform when no feature is known."""
        rows = [self.index[f] for f in features(text) if f in self.index]
        score = self.weights[rows].sum(axis=0) if rows else np.zeros(len(self.classes), np.float32)
        score = score * self.temperature
        p = np.exp(score - score.max())
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p)}

    def predict(self, text: str, among: tuple[str, ...] | None = None) -> tuple[str | None, float]:
        """``(area, probability)`` of the likeliest area (restricted to ``among`` when given,
        renormalised), or ``(None, p)`` when it is ``_none`` or below :attr:`threshold`."""
        post = self.posterior(text)
        if among:
            total = sum(post[a] for a in among)
            post = {a: post[a] / total for a in among} if total > 0 else {}
        if not post:
            return None, 0.0
        best = max(post, key=post.__getitem__)
        p = post[best]
        if best == NONE_CLASS or p < self.threshold:
            return None, p
        return best, p


def save(path: Path, classes: tuple[str, ...], vocab: list[str], weights: np.ndarray,
         temperature: float, threshold: float) -> None:
    """Write the artifact (int8 weights, vocabulary as one newline-joined byte string)."""
    q = np.clip(np.round(weights / STEP), -127, 127).astype(np.int8)
    np.savez_compressed(
        path, classes=np.array(classes), vocab=np.frombuffer("\n".join(vocab).encode("ascii"), np.uint8),
        weights=q, params=np.array([temperature, threshold], np.float64))


@lru_cache(maxsize=4)
def load(path: Path = MODEL_PATH) -> AreaModel:
    """The model at ``path``, read once per process."""
    with np.load(path) as z:
        classes = tuple(str(c) for c in z["classes"])
        vocab = z["vocab"].tobytes().decode("ascii").split("\n")
        weights = z["weights"].astype(np.float32) * STEP
        temperature, threshold = (float(v) for v in z["params"])
    return AreaModel(classes, {f: i for i, f in enumerate(vocab)}, weights, temperature, threshold)


def area_of_text(text: str | None, duty: bool = False) -> str | None:
    """Reform area of a task's or paragraph's own text, or ``None``.

    In order: the area its opening names (:func:`normalizers.areas.classify_area`); the one
    area it names anywhere; of two named areas the first (a duty names its main area first:
    "... cải cách thể chế; ... tuyên truyền, phổ biến giáo dục pháp luật"); three or more
    named -> ``None`` (several areas, no single one); naming none -> the model, when its area
    is likelier than the threshold; else, for a ``duty`` (a task) of sentence length that
    names the programme as a whole
    ("báo cáo kết quả CCHC", "tuyên truyền về cải cách hành chính", "bố trí kinh phí phục vụ
    công tác CCHC"), ``chi_dao_dieu_hanh``: planning, reporting, inspecting, communicating and
    resourcing the programme is the first area of the PAR index.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    area = classify_area(text)
    if area is not None:
        return area
    named = named_areas(text)
    if named:
        return named[0] if len(named) <= 2 else None
    area = load().predict(text)[0]
    if area is None and duty and len(text.split()) > _HEADING_WORDS and names_programme(text):
        return "chi_dao_dieu_hanh"
    return area
