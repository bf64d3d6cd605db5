"""Outline labels printed at the start of appendix cells, split from the text.

Appendix cells of the outline columns often open with a label: "1.1. Mục tiêu 1: Xây dựng …",
"2.3. Nhiệm vụ 3: Tham gia …", "3.4: Hoạt động 4: Rà soát …", or without the outline number
"Mục tiêu 2: …", "Nhiệm vụ 1. …", in ASCII dumps "Muc tieu 1: …", "Hoat dong 2 - …".

:func:`split_label` returns the label's number and the text after the label.  The number is the
one printed after the keyword ("Nhiệm vụ 3" -> ``"3"``; a dotted one is kept: "Nhiệm vụ 1.2" ->
``"1.2"``; OCR's "I" / "l" for 1 read as 1); the outline prefix ("2.3.") is dropped, its first part being the number of the
enclosing objective.  Only a label whose keyword names the cell's own column is split (a task
cell opening with "Mục tiêu 2:" is left whole), and only a label that carries a number: plain
text such as "Nhiệm vụ trọng tâm năm 2025" stays as printed.  Pure.
"""

from __future__ import annotations

import re
import unicodedata

from normalizers.text import fold

__all__ = ["LABELLED_COLUMNS", "split_label"]

_ONE = str.maketrans({"i": "1", "l": "1", "|": "1"})

#: The columns whose cells may open with a label, and the keyword of each.
LABELLED_COLUMNS = {"objective": r"muc\s*tieu", "task": r"nhiem\s*vu", "activity": r"hoat\s*dong"}

_NUM = r"\d{1,3}(?:\s*\.\s*\d{1,3})*"
# The keyword's number, with OCR's look-alikes of 1 ("Mục tiêu I:", "Nhiệm vụ 1l:").
_OCR_NUM = r"[\dil|]{1,3}(?:\s*\.\s*[\dil|]{1,3})*"
_LABEL_RES = {
    col: re.compile(
        r"^[\s*]*(?:" + _NUM + r"\s*[.:)]?\s*)?"  # outline number "2.3." / "3.4:"
        r"(?:" + kw + r")\s*(" + _OCR_NUM + r")"  # keyword and its number
        r"(\s*[:.)\-]\s*|\s+)"  # separator, or a space before a capital
    )
    for col, kw in LABELLED_COLUMNS.items()
}


def split_label(text: str | None, column: str) -> tuple[str | None, str | None]:
    """``(number, text without the label)`` of an appendix cell of ``column``; ``(None, text)``
    when the cell opens with no numbered label of that column.

    >>> split_label("2.3. Nhiệm vụ 3: Tham gia, hoàn thiện", "task")
    ('3', 'Tham gia, hoàn thiện')
    """
    rx = _LABEL_RES.get(column)
    if rx is None or not text:
        return None, text
    text = unicodedata.normalize("NFC", text)
    folded = fold(text).replace("–", "-").replace("—", "-")  # one character per character
    m = rx.match(folded)
    if m is None:
        return None, text
    if not m.group(2).strip() and not text[m.end():m.end() + 1].isupper():
        return None, text  # "Hoạt động 3 tháng đầu năm": a number in the text, no label
    number = re.sub(r"\s+", "", m.group(1))
    if not number.replace(".", "").isdigit():
        # a look-alike is read as 1 only next to digits or alone before a printed separator:
        # "II" may be a roman 2 as well as a misread 11
        alone = number in ("i", "l", "|") and m.group(2).strip()
        if not (alone or any(ch.isdigit() for ch in number)):
            return None, text
        number = number.translate(_ONE)
    rest = text[m.end():].strip().lstrip("*").strip()  # "**Mục tiêu 1:** …" of markdown dumps
    if rest[:1] and rest[:1] in "-–—:":  # "Mục tiêu 1 - : …" and the like
        rest = rest[1:].strip()
    return number, rest or None
