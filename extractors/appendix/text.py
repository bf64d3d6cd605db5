"""Text helpers of the appendix readers: folding, whitespace, roman numerals, joining a cell's wrapped lines."""

from __future__ import annotations

import re
import unicodedata

from typing import Sequence


def _build_fold_table() -> dict[int, str]:
    # One output character per input character, so offsets in the folded text are offsets in
    # the original text (needed to cut lines at cue positions found in folded text).
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x2000):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        low = base.lower()
        if len(low) == 1 and low != ch:
            table[cp] = low
    for src, dst in (("đ", "d"), ("Đ", "d"), ("ð", "d"), ("Ð", "d")):
        table[ord(src)] = dst
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp).lower()
    # Typographic dashes and quotes are folded to ASCII so cue regexes stay simple.
    for src in "–—‐‑−":
        table[ord(src)] = "-"
    return table


_FOLD = _build_fold_table()


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _collapse(text: str) -> str:
    return " ".join(text.split())


#: marks that open a list item inside a cell ("- Lồng ghép ...;")
_LIST_MARKS = "-+•"
#: ... and the en dash OCR reads for them (layout dumps keep the en dash for names' parts: "– Hộ tịch")
_ITEM_MARKS = frozenset(_LIST_MARKS + "–")


def _opens_item(text: str) -> bool:
    """Whether ``text`` (stripped) opens with a list item's mark."""
    return bool(text) and text[0] in _LIST_MARKS


_ROMAN_RE = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})$")


def _is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN_RE.match(token))


_HYPHEN_END_RE = re.compile(r"\w-$")
def _join_text(pieces: Sequence[str]) -> str:
    """Join wrapped lines of one cell: a space between lines, none after an in-word hyphen."""
    out = ""
    for p in pieces:
        p = _collapse(p)
        if not p:
            continue
        if not out:
            out = p
        elif _HYPHEN_END_RE.search(out):
            out += p  # "HĐND-" + "UBND" -> "HĐND-UBND"
        else:
            out += " " + p
    return out
_ROW_NO_RE = re.compile(r"^(\d{1,3})")
