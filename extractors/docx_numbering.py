"""Word's automatic numbering, put back into the text of a DOCX.

A plan typed in Word often numbers its headings ("I.", "1.", "a)"), its list items ("-", "+")
and the TT column of its appendix table with Word's lists rather than typed characters: the
numbers are drawn by Word from ``word/numbering.xml`` and are in no ``w:t`` of the paragraph.
Read without them, "I. MỤC ĐÍCH, YÊU CẦU" is "MỤC ĐÍCH, YÊU CẦU", the section tree loses its
levels and the appendix rows their numbers.  :func:`list_labels` gives each numbered paragraph
the label Word shows, counted in document order:

* a paragraph's list is its own ``w:numPr`` (``w:numId``, ``w:ilvl``), else its style's (along
  the ``w:basedOn`` chain; a level whose ``w:pStyle`` names the style gives the level);
* counters run per abstract list, a deeper level restarts when a shallower one moves on, and a
  list instance with a ``w:startOverride`` starts again where it is first used;
* the level's ``w:lvlText`` ("%1.", "%1.%2.", "%1)") is filled with each level's counter in its
  ``w:numFmt`` (decimal, decimalZero, upperRoman, lowerRoman, upperLetter, lowerLetter; all
  decimal under ``w:isLgl``); bullets are written as a plan types them, "-" at the first level
  and "+" below it, whatever glyph of a symbol font Word draws.

Pure: the labels of one document, no state kept.
"""

from __future__ import annotations

import re

from extractors.ooxml import W as _W

__all__ = ["list_labels"]

_TYPED_BULLETS = ("-", "–", "+", "*")
_PLACEHOLDER_RE = re.compile(r"%([1-9])")


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(_W + tag) if el is not None else None
    return child.get(_W + "val", default) if child is not None else default


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _level(num_pr) -> int | None:
    """The list level a ``w:numPr`` names, None when it names none (its style's, or the list's
    level for the style, then)."""
    ilvl = _val(num_pr, "ilvl")
    return None if ilvl is None else _int(ilvl, 0)


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                          (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += digits
            n -= value
    return out


def _letters(n: int) -> str:
    """Word's letter numbering: a ... z, aa ... zz, aaa ..."""
    if n < 1:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _formatted(n: int, fmt: str | None) -> str:
    if fmt == "upperRoman" and n > 0:
        return _roman(n)
    if fmt == "lowerRoman" and n > 0:
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class _List:
    """One abstract list: its levels and counters."""

    def __init__(self, abstract) -> None:
        self.levels = {_int(lvl.get(_W + "ilvl"), 0): lvl for lvl in abstract.findall(_W + "lvl")}
        self.counts: dict[int, int] = {}

    def start(self, ilvl: int, overrides: dict[int, int]) -> int:
        return overrides.get(ilvl, _int(_val(self.levels.get(ilvl), "start"), 1))

    def label(self, ilvl: int, overrides: dict[int, int]) -> str | None:
        lvl = self.levels.get(ilvl)
        if lvl is None:
            return None
        fmt = _val(lvl, "numFmt", "decimal")
        text = _val(lvl, "lvlText", "") or ""
        self.counts[ilvl] = self.counts.get(ilvl, self.start(ilvl, overrides) - 1) + 1
        for deeper in [k for k in self.counts if k > ilvl]:
            del self.counts[deeper]
        if fmt == "none":
            return None
        if fmt == "bullet":
            text = text.strip()
            return text if text in _TYPED_BULLETS else ("-" if ilvl == 0 else "+")
        legal = lvl.find(_W + "isLgl") is not None

        def fill(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            n = self.counts.get(k, self.start(k, overrides))
            return _formatted(n, "decimal" if legal else _val(self.levels.get(k), "numFmt", "decimal"))

        return _PLACEHOLDER_RE.sub(fill, text).strip() or None


def _style_lists(styles) -> dict[str, tuple[str, int | None]]:
    """Paragraph style id -> (numId, ilvl or None) of the list it carries, along basedOn."""
    own: dict[str, tuple[str | None, int | None]] = {}
    based: dict[str, str] = {}
    for st in (styles.findall(_W + "style") if styles is not None else ()):
        sid = st.get(_W + "styleId")
        if not sid:
            continue
        num_pr = st.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            own[sid] = (_val(num_pr, "numId"), _level(num_pr))
        if (b := _val(st, "basedOn")) is not None:
            based[sid] = b
    out: dict[str, tuple[str, int | None]] = {}
    for sid in set(own) | set(based):
        seen, cur = set(), sid
        while cur is not None and cur not in seen:
            seen.add(cur)
            if cur in own and own[cur][0] is not None:
                out[sid] = own[cur]  # type: ignore[assignment]
                break
            cur = based.get(cur)
    return out


def list_labels(body, numbering, styles) -> dict:
    """Paragraph element (``w:p``) -> the label Word shows before it ("I.", "1.2.", "a)", "-"),
    for the numbered paragraphs under ``body`` in document order; ``numbering`` and ``styles``
    are the roots of ``word/numbering.xml`` and ``word/styles.xml`` (None when absent)."""
    if numbering is None:
        return {}
    abstracts = {a.get(_W + "abstractNumId"): a for a in numbering.findall(_W + "abstractNum")}
    lists: dict[str, _List] = {}
    nums: dict[str, tuple[str, dict[int, int]]] = {}
    for num in numbering.findall(_W + "num"):
        aid = _val(num, "abstractNumId")
        if aid not in abstracts:
            continue
        overrides = {}
        for o in num.findall(_W + "lvlOverride"):
            so = o.find(_W + "startOverride")
            if so is not None:
                overrides[_int(o.get(_W + "ilvl"), 0)] = _int(so.get(_W + "val"), 1)
        nums[num.get(_W + "numId")] = (aid, overrides)
        lists.setdefault(aid, _List(abstracts[aid]))
    if not nums:
        return {}
    by_style = _style_lists(styles)
    started: set[str] = set()
    labels: dict = {}
    for p in body.iter(_W + "p"):
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        style = _val(ppr, "pStyle")
        num_id, level = (_val(num_pr, "numId"), _level(num_pr)) if num_pr is not None else (None, None)
        if num_id is None and style in by_style:
            num_id, level = by_style[style]
        if num_id is None or num_id == "0" or num_id not in nums:
            continue  # numId 0: numbering taken off (a list style's paragraph set apart)
        aid, overrides = nums[num_id]
        lst = lists[aid]
        if level is None:  # the style's list: the level that names the style, else the first
            level = next((k for k, lvl in lst.levels.items() if _val(lvl, "pStyle") == style), 0)
        if overrides and num_id not in started:
            lst.counts = {}  # a list instance that starts again
        started.add(num_id)
        label = lst.label(level, overrides)
        if label:
            labels[p] = label
    return labels
