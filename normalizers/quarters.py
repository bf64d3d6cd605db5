"""Quarter numerals OCR bent: "Quý 11/2024" for "Quý II/2024", "Quý H/2024", "Quý 1V".

Plans print a quarter in roman numerals ("Quý I/2025", "Quý IV hàng năm") or in figures
("Quý 1/2025"), one way through a document.  OCR reads the strokes of a roman numeral as
digits or letters: "I" as "1" or "l", "II" as "11", "I1", "H" or "ll", "IV" as "1V".  The
numeral after "Quý" is put back:

* a token that can be no quarter in figures (there are four) and reads as a roman numeral
  with its "I" strokes bent ("11", "I1", "1I", "ll", "Il", "H", "111", "1V", "lV") is
  that numeral, always;
* a lone "1" (or "l") is "I" only when the document writes its quarters in roman numerals
  (some other quarter reads so) and none in figures from 2 to 4 -- a document printing
  "Quý 1/2025" in figures keeps it.

Only text that OCR read is given to :func:`bent_quarter_numerals`: printed text is never
changed.  The lines keep their number and their other words; pure, never raises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["bent_quarter", "bent_quarter_numerals"]

_ROMAN = ("I", "II", "III", "IV")
#: "I" strokes as OCR reads them
_STROKE = "1Il|"
#: a lone stroke: "I", or the quarter 1 in figures
_LONE = frozenset({"1", "l", "|"})
#: the numeral after "Quý" (any case, with or without its marks), up to "/", "-", a space or the end
_QUARTER_RE = re.compile(r"(?<!\w)((?i:qu[yýỳỷỹỵ]))([ \t]+)([0-9A-Za-z|]{1,4})(?=[ \t]*(?:[/\-]|$|[ \t]|[.,;)]))",
                         re.M)


def _bent(token: str) -> str | None:
    """The roman numeral a token that is no quarter in figures reads as, else None."""
    if token in _ROMAN:
        return token
    if token == "H":
        return "II"
    token = token.translate(_SPECKS)  # "I'V": a speck inside the numeral
    if 2 <= len(token) <= 3 and token[0] in _FIRST_STROKE and all(ch in _STROKE for ch in token[1:]):
        return "I" * len(token)  # "11", "I1", "ll", "111", "[1"
    if len(token) == 2 and token[0] in _FIRST_STROKE + "T" and token[1] in "Vv":
        return "IV"  # "1V", "TV", "[V"
    return None


#: English-model OCR also reads a numeral's first stroke as a bracket or a "!" ("[V", "[1"),
#: before a "V" as a "T" ("TV"), and puts a speck inside it ("I'V")
_FIRST_STROKE = _STROKE + "[!"
_SPECKS = str.maketrans("", "", "'’‘`")


def bent_quarter(token: str) -> str | None:
    """The roman numeral of a quarter's numeral OCR bent ("11", "H" -> "II"; "1V", "TV", "[V",
    "I'V" -> "IV"), None for one as printed ("IV", "2") or a lone stroke ("1": a quarter in
    figures as well, :func:`bent_quarter_numerals` decides it by the document)."""
    return None if token in _ROMAN else _bent(token)


def _styles(texts: Sequence[str]) -> tuple[int, int]:
    """(quarters read in roman numerals, quarters in figures 2-4) over ``texts``."""
    roman = figures = 0
    for text in texts:
        for m in _QUARTER_RE.finditer(text):
            token = m.group(3)
            if token in ("2", "3", "4"):
                figures += 1
            elif token not in _LONE and _bent(token) is not None:
                roman += 1
    return roman, figures


def bent_quarter_numerals(texts: Sequence[str], evidence: Sequence[str] | None = None) -> list[str]:
    """``texts`` with the quarter numerals OCR bent put back (see the module); ``evidence``:
    the texts that tell how the document writes its quarters (default ``texts``)."""
    try:
        roman, figures = _styles(texts if evidence is None else evidence)
        lone = "I" if roman and not figures else None

        def fix(m: re.Match) -> str:
            token = m.group(3)
            new = lone if token in _LONE else _bent(token)
            return m.group(0) if new is None else f"{m.group(1)}{m.group(2)}{new}"

        return [_QUARTER_RE.sub(fix, t) if t else t for t in texts]
    except Exception:  # noqa: BLE001 - a normalizer never breaks the pipeline
        return list(texts)
