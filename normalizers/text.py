"""Small text helpers shared by extractors and normalizers.

``fold`` maps every character to one character (lower case, no diacritics,
đ -> d), so a match found in the folded text has the same span in the
original: extractors match on folded text and cut values from the original.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


class _FoldTable(dict):
    """str.translate table filled lazily: one output character per input character."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in "đĐ":
            out = "d"
        else:
            base = unicodedata.normalize("NFD", char)[0]
            lower = base.lower()
            out = lower if len(lower) == 1 else base
            if unicodedata.combining(out):
                out = " "
        self[code] = out
        return out


_FOLD = _FoldTable()


#: invisible format characters (Unicode category Cf) that web pages, word processors and PDF
#: text leave inside words: soft hyphen, zero-width space, non-joiner and joiner, direction
#: marks and embeddings, word joiner and invisible operators, byte-order mark
_INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def drop_invisible(text: str) -> str:
    """``text`` without the invisible format characters inside it ("Kế\u200b hoạch",
    "hành\u00adchính"): they split a word for every reader of the text and print nothing."""
    return text if text.isascii() else _INVISIBLE_RE.sub("", text)


#: letters that stand for Vietnamese ones in real files: the Icelandic eth (U+00D0, U+00F0: a
#: Windows-1258 "Đ" / "đ" read as Windows-1252, a font's wrong map, tesseract now and then) and
#: the African D (U+0189, U+0256) for "Đ" / "đ"
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ"})


def vietnamese_letters(text: str) -> str:
    """``text`` with the look-alikes of Vietnamese letters written as those letters ("Ðiều",
    "ðịnh" -> "Điều", "định"); nothing else changes."""
    return text.translate(_LOOKALIKES)


def fold(text: str) -> str:
    """Lower case without diacritics, one character per character ("Đổi mới" -> "doi moi")."""
    return unicodedata.normalize("NFC", text).translate(_FOLD)


def is_acronym(word: str) -> bool:
    """Whether ``word`` is an acronym in capitals ("UBND", "TCVN", "HĐND"): two or more letters,
    all upper case."""
    return len(word) >= 2 and word.isalpha() and word.isupper()


def collapse_ws(text: str) -> str:
    """Collapse runs of white space to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_MAP: dict[str, str] = {}
for _old, _new in _TONE_PAIRS.items():
    for _a in (str.lower, str.upper):
        for _b in (str.lower, str.upper):
            _TONE_MAP[_a(_old[0]) + _b(_old[1])] = _a(_new[0]) + _b(_new[1])
# Old-style tone placement at the end of a word ("Uỷ", "hoá"); not after "q" ("quý" is right).
_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(map(re.escape, _TONE_MAP)) + r")(?!\w)")


def new_tone_place(s: str) -> str:
    """``s`` with old-style tone placement moved ("Uỷ" -> "Ủy", "hoá" -> "hóa")."""
    return _TONE_RE.sub(lambda m: _TONE_MAP[m.group(1)], s)
