"""Paragraphs and the numbered section tree of a plan's body.

Dumps hard-wrap paragraphs (and some put a blank line after every wrapped
line), so paragraphs are rebuilt first: a line starts a new paragraph when it
starts a numbered or bulleted item, or when it starts with a capital letter
and the previous line ended a sentence or was short (shorter than
:data:`SHORT_LINE` of the document's wrap width).  Lone page numbers are
dropped.

Items nest by style: roman (I.) > arabic, by depth (1. > 2.1. > 2.1.1.) >
letter (a)) > dash (-) > plus (+).  An item's id is its parent's id plus its own
number ("II" > "II.2" > "II.2.1" > "II.2.1.a" > "II.2.1.a.-3"); numbering
quirks (restarted, skipped or repeated numbers) never break the tree: a
repeated id gets a "~2" suffix.  Plain paragraphs belong to the nearest
non-bullet item before them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from normalizers.text import collapse_ws, fold

SHORT_LINE = 0.7
SHORT_HEADING_LINE = 0.85

_ROMAN = r"(?:X{0,2}(?:IX|IV|V?I{1,3}|V)|X{1,2})"
_ITEM_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("roman", re.compile(rf"^(?P<num>{_ROMAN})\s*[.)]\s*(?=\S)")),
    ("arabic", re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})\s*[.:)]\s*(?=\D)")),
    ("arabic", re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})\s+(?=[A-ZĐÀ-Ỹ])")),
    ("letter", re.compile(r"^(?P<num>[a-zđ])\s*\)\s*(?=\S)")),
    # "-UBND xã" is the tail of a wrapped "HĐND-UBND", not a bullet: a bullet is
    # "- text", or "-Text" whose word is not an all-caps abbreviation.
    ("dash", re.compile(r"^(?P<num>[-–—•])(?:\s+|(?=[A-ZĐÀ-Ỹ0-9\"“(](?![A-ZĐÀ-Ỹ]{2})))(?=\S)")),
    ("plus", re.compile(r"^(?P<num>\+)\s*(?=\S)")),
)
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_SENTENCE_END = (".", ";", ":", "!", "?", "./.", "…")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A rebuilt paragraph; ``kind`` is None for plain (unnumbered) paragraphs."""

    text: str
    line_start: int
    line_end: int
    page: int | None
    kind: str | None = None
    number: str | None = None
    #: ``(char offset in text, 1-based line number)`` of every source line, in order.
    offsets: tuple[tuple[int, int], ...] = ()

    def line_at(self, offset: int) -> int:
        """1-based source line holding character ``offset`` of ``text``."""
        line = self.line_start
        for start, number in self.offsets:
            if start > offset:
                break
            line = number
        return line

    @property
    def body(self) -> str:
        """Text without the item marker."""
        if self.kind is None:
            return self.text
        return _strip_marker(self.text, self.kind)


@dataclass(frozen=True, slots=True)
class Section:
    section_id: str
    parent_id: str | None
    level: int
    kind: str
    number: str
    heading: str
    line_start: int
    line_end: int
    page: int | None


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph in document order with the section it is (``is_item``) or belongs to."""

    paragraph: Paragraph
    section_id: str | None
    is_item: bool


@dataclass(frozen=True, slots=True)
class Outline:
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]

    def by_id(self) -> dict[str, Section]:
        return {s.section_id: s for s in self.sections}

    def ancestors(self, section_id: str | None) -> list[Section]:
        """The section and its ancestors, innermost first."""
        index = self.by_id()
        out = []
        while section_id is not None:
            section = index[section_id]
            out.append(section)
            section_id = section.parent_id
        return out

    def children(self) -> dict[str | None, list[Section]]:
        kids: dict[str | None, list[Section]] = {}
        for s in self.sections:
            kids.setdefault(s.parent_id, []).append(s)
        return kids


def item_kind(line: str) -> tuple[str, str] | None:
    """``(kind, number)`` when the (stripped) line starts a numbered or bulleted item."""
    for kind, pattern in _ITEM_PATTERNS:
        m = pattern.match(line)
        if m:
            number = m.group("num")
            if kind == "arabic" and int(number.split(".")[0]) > 40:
                continue
            return kind, {"–": "-", "—": "-", "•": "-"}.get(number, number)
    return None


def _strip_marker(text: str, kind: str) -> str:
    for k, pattern in _ITEM_PATTERNS:
        if k == kind:
            m = pattern.match(text)
            if m:
                return text[m.end():].strip()
    return text


def wrap_width(lines: Sequence[str]) -> int:
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) > 20)
    if not lengths:
        return 80
    return lengths[int(0.9 * (len(lengths) - 1))]


def paragraphs(lines: Sequence[str], start: int, end: int, pages: Sequence[int | None] | None = None) -> list[Paragraph]:
    """Rebuild paragraphs from ``lines[start:end]`` (0-based indexes; numbers in output are 1-based)."""
    width = wrap_width(lines[start:end])
    out: list[Paragraph] = []
    cur: list[str] = []
    cur_lines: list[int] = []
    cur_start = cur_end = 0
    cur_item: tuple[str, str] | None = None

    def flush() -> None:
        nonlocal cur, cur_item, cur_lines
        if cur:
            text, offsets = _join(cur)
            page = pages[cur_start] if pages else None
            out.append(Paragraph(text, cur_start + 1, cur_end + 1, page,
                                 cur_item[0] if cur_item else None, cur_item[1] if cur_item else None,
                                 tuple(zip(offsets, cur_lines))))
        cur, cur_item, cur_lines = [], None, []

    for i in range(start, end):
        raw = lines[i]
        line = raw.strip()
        if not line:
            continue
        if _PAGE_NUMBER.match(line) and _isolated(lines, i):
            continue
        item = item_kind(line)
        if item is not None or not cur or _breaks(cur, line, width, cur_item):
            flush()
            cur_item, cur_start = item, i
        cur.append(collapse_ws(line))
        cur_lines.append(i + 1)
        cur_end = i
    flush()
    return out


def _isolated(lines: Sequence[str], i: int) -> bool:
    """A lone number with blank lines or text edges around it: a page number, not text."""
    prev = lines[i - 1].strip() if i > 0 else ""
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return not prev or not nxt or nxt[:1].isupper() or lines[i + 1].startswith(" ")


def _join(parts: list[str]) -> tuple[str, list[int]]:
    """Join whitespace-collapsed lines; return the text and each line's start offset."""
    text, offsets = parts[0], [0]
    for part in parts[1:]:
        # "HĐND-" + "UBND": a dash at the wrap joins without a space.
        if not re.search(r"\S[-–]$", text):
            text += " "
        offsets.append(len(text))
        text += part
    return text, offsets


def _breaks(cur: list[str], line: str, width: int, cur_item: tuple[str, str] | None) -> bool:
    first = next((c for c in line if c.isalpha()), "")
    if not first or not first.isupper():
        return False
    prev = cur[-1]
    if prev.endswith(_SENTENCE_END):
        return True
    if len(prev) < SHORT_LINE * width:
        return True
    if cur_item and cur_item[0] in ("roman", "arabic", "letter"):
        # A one-line numbered heading without a full stop, then a capitalised
        # paragraph: headings are rarely wrapped onto a capitalised word.
        if len(cur) == 1 and len(prev) < SHORT_HEADING_LINE * width:
            return True
        head = " ".join(cur)
        letters = [c for c in head if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and not line.isupper():
            return True
    return False


def _rank(kind: str, number: str) -> int:
    if kind == "roman":
        return 1
    if kind == "arabic":
        return 2 + number.count(".")
    return {"letter": 10, "dash": 20, "plus": 21}[kind]


def build_outline(paras: Sequence[Paragraph]) -> Outline:
    """Nest items into a tree; attach plain paragraphs to the nearest non-bullet item."""
    sections: list[Section] = []
    blocks: list[Block] = []
    stack: list[tuple[int, Section]] = []
    seen: set[str] = set()
    bullet_count: dict[tuple[str | None, str], int] = {}

    for para in paras:
        if para.kind is None:
            owner = next((s for _, s in reversed(stack) if s.kind not in ("dash", "plus")), None)
            blocks.append(Block(para, owner.section_id if owner else None, False))
            continue
        rank = _rank(para.kind, para.number or "")
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        parent_id = parent.section_id if parent else None
        if para.kind in ("dash", "plus"):
            key = (parent_id, para.kind)
            bullet_count[key] = bullet_count.get(key, 0) + 1
            local = ("-" if para.kind == "dash" else "+") + str(bullet_count[key])
        elif para.kind == "arabic" and parent and parent.kind == "arabic" and para.number.startswith(parent.number + "."):
            local = para.number[len(parent.number) + 1:]
        else:
            local = para.number or "?"
        section_id = f"{parent_id}.{local}" if parent_id else local
        base, n = section_id, 1
        while section_id in seen:
            n += 1
            section_id = f"{base}~{n}"
        seen.add(section_id)
        section = Section(section_id, parent_id, len(stack) + 1, para.kind, para.number or "",
                          para.body, para.line_start, para.line_end, para.page)
        sections.append(section)
        blocks.append(Block(para, section_id, True))
        stack.append((rank, section))
    return Outline(tuple(sections), tuple(blocks))


_BODY_END = ("noi nhan", "tren day la ke hoach", "tren day la noi dung")


def body_bounds(lines: Sequence[str], stop: int | None = None) -> tuple[int, int]:
    """0-based ``[start, end)`` of the body: from the first top-level heading to the closing.

    The body starts at the first roman heading (or, lacking one, the first arabic
    item); it ends at "Trên đây là Kế hoạch ...", "Nơi nhận" or ``stop`` (the
    appendix), whichever comes first.
    """
    limit = len(lines) if stop is None else min(stop, len(lines))
    start = None
    for i in range(limit):
        item = item_kind(lines[i].strip())
        if item and item[0] == "roman":
            start = i
            break
    if start is None:
        start = next((i for i in range(limit) if (k := item_kind(lines[i].strip())) and k[0] == "arabic"), 0)
    end = limit
    for i in range(start, limit):
        if fold(lines[i].strip()).startswith(_BODY_END):
            end = i
            break
    return start, end


def parse_outline(lines: Sequence[str], pages: Sequence[int | None] | None = None,
                  stop: int | None = None) -> tuple[Outline, tuple[int, int]]:
    start, end = body_bounds(lines, stop)
    return build_outline(paragraphs(lines, start, end, pages)), (start, end)
