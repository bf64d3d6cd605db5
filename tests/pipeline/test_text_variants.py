"""The same plan as a text dump written as real files write it: invisible characters inside
words, look-alike letters, old line ends, other Unicode encodings and normal forms.  Every
variant gives the rows of the plain UTF-8 dump (sample 001, 86 tasks), and says success."""

from __future__ import annotations

import codecs
import random
import unicodedata
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.run import process_document

ROOT = Path(__file__).resolve().parents[2]
SOURCE = next((ROOT / "tests" / "resources").glob("001_*.txt")).read_text(encoding="utf-8")
COMPARED = ("row_no", "task", "activity", "product", "lead", "support", "deadline", "objective")


def _inside_words(text: str, chars: str, seed: int, share: float = 0.15) -> str:
    """``text`` with one of ``chars`` put inside about ``share`` of its longer words."""
    rng = random.Random(seed)
    out = []
    for line in text.split("\n"):
        words = line.split(" ")
        for k, w in enumerate(words):
            if len(w) > 3 and rng.random() < share:
                at = rng.randrange(1, len(w))
                words[k] = w[:at] + rng.choice(chars) + w[at:]
        out.append(" ".join(words))
    return "\n".join(out)


VARIANTS = {
    "zero-width space": lambda t: _inside_words(t, "\u200b", 1).encode("utf-8"),
    "soft hyphen": lambda t: _inside_words(t, "\u00ad", 2).encode("utf-8"),
    "joiners and direction marks": lambda t: _inside_words(t, "\u200c\u200d\u2060\u200e", 3).encode("utf-8"),
    "eth for đ": lambda t: t.replace("Đ", "\u00d0").replace("đ", "\u00f0").encode("utf-8"),
    "African d for đ": lambda t: t.replace("Đ", "\u0189").replace("đ", "\u0256").encode("utf-8"),
    "CR line ends": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "CRLF line ends": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "line separators": lambda t: t.replace("\n", "\u2028").encode("utf-8"),
    "NFD": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    "UTF-8 BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "UTF-16": lambda t: t.encode("utf-16"),
    "UTF-32": lambda t: t.encode("utf-32"),
}


def _rows(path: Path):
    result = process_document(path, Config(workers=1))
    return result, [tuple(r.get(k) for k in COMPARED) for r in result.tables.get("tasks", ())]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = tmp_path_factory.mktemp("ref") / "plan.txt"
    path.write_text(SOURCE, encoding="utf-8")
    result, rows = _rows(path)
    assert result.status == "success" and len(rows) >= 80
    return rows


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_variant_gives_the_rows_of_the_plain_dump(reference, tmp_path, name):
    path = tmp_path / "plan.txt"
    path.write_bytes(VARIANTS[name](SOURCE))
    result, rows = _rows(path)
    assert result.status == "success", (name, [e.message for e in result.errors])
    assert rows == reference, name
