"""Fonts whose code points are shifted by a constant, decoded when that is certain.

Some PDF producers embed a font whose glyphs reach the text layer at a constant offset from
their Unicode code point: a ToUnicode map off by a fixed amount, or glyph ids written as codes
(``(cid:48)`` for "M" in a font whose glyph order starts at the space, ``glyph = code - 29``).
For each font of a page with unreadable characters, :func:`decode_shifted_fonts` tries the
shifts that would turn its most frequent codes into the most frequent Vietnamese letters, and
keeps one only when it is certain (a font is tried when a fifth of its characters are glyph
codes or outside the repertoire, or fewer than :data:`MIN_DECODED_SHARE` of its words are
syllables): every character of the font lands in the Vietnamese/Latin
repertoire, at least :data:`MIN_DECODED_SHARE` of the font's words become Vietnamese
syllables, and no other shift comes close.  Anything less is left to OCR.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from normalizers.quality import CID_RE, in_repertoire, syllable_share

__all__ = ["FontShift", "decode_shifted_fonts", "MIN_DECODED_SHARE"]

#: share of a decoded font's words that must be Vietnamese syllables
MIN_DECODED_SHARE = 0.9
#: a font is a candidate when at least this share of its characters is unreadable
MIN_BAD_SHARE = 0.2
#: letters most frequent in Vietnamese text, and the most frequent codes of a font, paired
#: into candidate shifts
_COMMON = "nhtcigaoumđêơư"
_TOP_CODES = 6
_CID_TEXT = re.compile(r"^\(cid:(\d+)\)$")


@dataclass(frozen=True, slots=True)
class FontShift:
    fontname: str
    shift: int
    share: float  # share of the font's words that are syllables after the shift


def _code(text: str) -> int | None:
    m = _CID_TEXT.match(text)
    if m:
        return int(m.group(1))
    return ord(text) if len(text) == 1 else None


def _bad(text: str) -> bool:
    return bool(CID_RE.match(text)) or any(not in_repertoire(ch) for ch in text)


def _font_text(chars: Sequence[dict], texts: Sequence[str]) -> str:
    """The font's characters in stream order, a space where they are not adjacent."""
    out: list[str] = []
    prev = None
    for ch, t in zip(chars, texts):
        if prev is not None and (abs(ch["top"] - prev["top"]) > 2 or ch["x0"] - prev["x1"] > 1.0
                                 or ch["x0"] < prev["x0"]):
            out.append(" ")
        out.append(t)
        prev = ch
    return "".join(out)


def _try(chars: Sequence[dict], codes: Sequence[int | None], shift: int) -> tuple[float, list[str]] | None:
    texts = []
    for ch, c in zip(chars, codes):
        if c is None:
            texts.append(ch["text"])
            continue
        u = c + shift
        if not 0x20 <= u <= 0x10FFFF or not in_repertoire(chr(u)):
            return None
        texts.append(chr(u))
    return syllable_share(_font_text(chars, texts)), texts


def decode_shifted_fonts(chars: Sequence[dict]) -> tuple[list[dict], list[FontShift]]:
    """pdfplumber ``chars`` with every font that decodes with certainty shifted back; the
    decoded fonts.  Characters of other fonts are returned as they are."""
    by_font: dict[str, list[int]] = {}
    for k, ch in enumerate(chars):
        by_font.setdefault(ch.get("fontname", ""), []).append(k)
    out = list(chars)
    found: list[FontShift] = []
    for font, idx in by_font.items():
        fchars = [chars[k] for k in idx]
        if len(fchars) < 10:
            continue
        nbad = sum(_bad(ch["text"]) for ch in fchars)
        if nbad < MIN_BAD_SHARE * len(fchars) and syllable_share(
                _font_text(fchars, [ch["text"] for ch in fchars])) >= MIN_DECODED_SHARE:
            continue  # a readable font
        codes = [_code(ch["text"]) for ch in fchars]
        top = [c for c, _ in Counter(c for c in codes if c is not None).most_common(_TOP_CODES)]
        shifts = {ord(letter) - c for c in top for letter in _COMMON} - {0}
        scored = []
        for s in shifts:
            got = _try(fchars, codes, s)
            if got is not None:
                scored.append((got[0], s, got[1]))
        if not scored:
            continue
        scored.sort(key=lambda t: -t[0])
        best_share, best_shift, texts = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best_share < MIN_DECODED_SHARE or best_share - runner_up < 0.2:
            continue
        for k, t in zip(idx, texts):
            out[k] = {**chars[k], "text": t}
        found.append(FontShift(font, best_shift, round(best_share, 4)))
    return out, found
