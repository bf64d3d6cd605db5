"""Cell-line layout, the evidence: every line cut into pieces at plausible cell boundaries, each piece's
content cues (owner, date, budget, product, head, number), and the emission costs of a piece opening or
continuing a cell of a column."""

from __future__ import annotations

import math
import re

from dataclasses import dataclass, field

from extractors.appendix.text import _HYPHEN_END_RE, _collapse, _fold, _is_roman
from extractors.appendix.vocab import (
    _ALPHA_CUE_RE,
    _BAR_RE,
    _BUDGET_RE,
    _BULLET_RE,
    _DATE_RE,
    _DATE_TAIL_RE,
    _HEAD_RES,
    _HEAD_SEARCH_RE,
    _INF,
    _KIND,
    _LEAD_NUM_RE,
    _NUM_RE,
    _OUTLINE_RE,
    _OWNER_RE,
    _PRODUCT_RE,
    _UNIT_AFTER_NUM_RE,
    _VERB_RE,
    _WORD_START_RE,
    _YEAR_RANGE_RE,
)


@dataclass(slots=True)
class _Part:
    line: int
    text: str
    feats: dict = field(default_factory=dict)  # shared between identical texts: read-only
    prior: float = 0.0  # cost adjustment for the cut in front of this piece
    start: list[float] = field(default_factory=list)  # cost when the part opens a cell, per column
    cont: list[float] = field(default_factory=list)  # cost when it continues a cell, per column


@dataclass(slots=True)
class _Item:
    line: int
    text: str
    gap: bool
    page_break: bool
    page: int | None
    hyphen_before: bool
    open_before: float = 0.0  # bonus for continuing the cell: the previous line ends "open"
    prev_len: int = 0  # length of the previous line (for the wrap-width cue)
    prev_len_split: int = 0  # same, for the last piece when the previous line was cut
    prev_colon: bool = False  # previous line ends with ":" (explicit break after a head)
    first_word: int = 0  # length of this line's first word
    options: list[list[_Part]] = field(default_factory=list)


def _features(text: str) -> dict:
    text = text.strip()
    folded = _fold(text)
    f = _BULLET_RE.sub("", folded) if folded.startswith(("- ", "+ ", "• ")) else folded
    head = None
    if f[:1].isdigit() or f[:1] in "mnh":  # every head starts with its number or keyword
        for col, rx in _HEAD_RES:
            if rx.match(f):
                head = col
                break
    first_alpha = next((ch for ch in text if ch.isalpha()), "")
    lower = bool(first_alpha) and first_alpha.islower() and not text.lstrip()[:1].isdigit()
    # Cells open with a capital: vocabulary cues on a lower-case line ("đơn vị", "năm 2025")
    # are the tail of a wrapped cell, not the start of a typed one.
    cue = not lower
    return {
        "num": bool(_NUM_RE.match(f)),
        "head": head,
        "owner": cue and bool(_OWNER_RE.match(f)),
        "date": cue and bool(_DATE_RE.match(f)),
        "budget": cue and bool(_BUDGET_RE.match(f)),
        "product": cue and bool(_PRODUCT_RE.match(f)),
        "verb": cue and bool(_VERB_RE.match(f)),
        "lower": lower,
        # First word capitalised like a sentence start (not an acronym such as "KSTTHC").
        "title": _is_title_word(text),
        "len": len(text),
        "outline": bool(_OUTLINE_RE.match(f)),
        "open_end": _open_end(text),
        "key": _collapse(folded).strip(" .,;:-–"),
        # "7 Sáng kiến …", "5 | Thực hiện …": a row number glued to the first cell.
        "lead_num": f[:1].isdigit() and _lead_number_end(text) is not None,
        # An owner name starting mid-line ("văn bản Công chức") in a short piece: usually the
        # first line of the next (owner) cell glued onto this one.
        "mid_owner": len(text) <= 25 and _mid_owner(text),
    }


def _lead_number_end(text: str) -> int | None:
    """End offset of a row number opening the line ("7 Sáng kiến"), not "6 tháng đầu năm"."""
    m = _LEAD_NUM_RE.match(text)
    if m is None or _UNIT_AFTER_NUM_RE.match(_fold(text[m.end() :])):
        return None
    return m.end()


_MID_OWNER_RE = re.compile(
    r"\s(?:cong chuc|van phong|vp |ubnd|phong |trung tam|bo phan|cac bo phan|cac phong)"
)


def _mid_owner(text: str) -> bool:
    m = _MID_OWNER_RE.search(_fold(text), 1)
    return bool(m) and text[m.start() + 1 : m.start() + 2].isupper()


# Matched on lower-cased text with diacritics: folding would confuse "từ" with "điện tử".
_OPEN_WORDS = frozenset("và của các theo với cho trong về để tại từ đến hoặc được những nhằm thuộc trên ở do là mà bằng giữa đối như".split())
#: words of :data:`_OPEN_WORDS` that end a phrase after these words ("theo hướng dẫn của cấp
#: trên", "vì lý do", "bảo đảm công bằng")
_CLOSING_PAIRS = frozenset(("cấp trên", "nêu trên", "kể trên", "như trên", "bên trên", "phía trên", "lý do",
                            "tự do", "công bằng", "cân bằng", "bình đẳng"))


def ends_open(words: list[str]) -> bool:
    """Whether a line's last word (``words``, lower-case or not) is a preposition or link word
    no cell ends on ("... thông tin trên", "... của"), and not a phrase's end ("cấp trên")."""
    if not words:
        return False
    last = words[-1].lower()
    return last in _OPEN_WORDS and " ".join(w.lower() for w in words[-2:]) not in _CLOSING_PAIRS
_INCOMPLETE_OWNER = frozenset(
    (
        "văn phòng", "phòng", "trung tâm", "bộ phận", "công chức", "các phòng", "các bộ phận", "ban",
        "vp", "ủy ban", "uỷ ban", "các cơ quan", "cơ quan", "ủy ban nhân dân", "các ban", "đoàn",
        "hội", "chi cục", "các",
        # the first syllable of a group's noun ("Các công" / "chức chuyên môn", "Các cơ" / "quan")
        "các công", "các cơ", "các đơn", "các tổ", "các chi",
    )
)


_OWNER_HEAD_END_RE = re.compile(
    r"(?:^|\s)(?:văn phòng|công chức|chức|trung tâm|bộ phận|các phòng|phòng|ủy ban|uỷ ban)$"
)


def _open_end(text: str, owner: bool = True) -> float:
    """How strongly a line's ending says "the cell goes on" (negative = continuation bonus);
    ``owner``: whether the line may be a body's name (ending on half of one: "Văn phòng",
    "... công chức"), not free text, where "... cán bộ, công chức" ends a cell."""
    t = text.rstrip()
    if not t:
        return 0.0
    if _HYPHEN_END_RE.search(t):
        return -1.5  # in-word hyphen wrap: "HĐND-" / "2022-"
    if t[-1] in "-–,":
        return -1.0
    if t[-1] == ";":
        return -0.3
    low = t.lower().strip(" .:")
    if owner and (low in _INCOMPLETE_OWNER or (len(low) <= 20 and _OWNER_HEAD_END_RE.search(low))):
        return -1.5  # "Văn phòng" / "… công chức" is the first half of an owner name
    if ends_open(low.split()) and not t[-1] in ".:;)":
        return -1.0  # a cell does not end on a preposition or conjunction
    return 0.0


_DATE_LEAD_WORDS = frozenset(("nam", "quy", "thang", "tu", "den", "ngay", "doan", "hang", "truoc", "sau"))


def waits_for_date(above: str, text: str) -> bool:
    """Whether ``text``, opening with a number, is the date the lead word ending ``above``
    waits for ("Tháng" / "12/2025", "Trước" / "30/6/2025"): one deadline over two lines."""
    first = next((ch for ch in text if ch.isalnum()), "")
    return first.isdigit() and ends_on_date_word(above)


def ends_on_date_word(text: str) -> bool:
    """Whether ``text`` ends on a word a date follows ("Tháng", "Trước", "Quý", "Năm")."""
    last = _fold(text).split()[-1:]
    return bool(last) and last[0].strip(".,:;") in _DATE_LEAD_WORDS


def _is_title_word(text: str) -> bool:
    words = text.split()
    w = words[0] if words else ""
    return w[:1].isupper() and any(ch.islower() for ch in w[1:])


def _split_candidates(text: str) -> list[tuple[int, float]]:
    """Offsets where a second cell could start on this line, with a prior cost for the cut."""
    cands: dict[int, float] = {}
    folded = _fold(text)
    end = _lead_number_end(text)
    if end is not None:
        cands[end] = 0.0
    for m in _BAR_RE.finditer(text):
        pos = m.end()
        while pos < len(text) and text[pos] == " ":
            pos += 1
        if 0 < m.start() and pos < len(text):
            cands[pos] = -0.5
    for m in _WORD_START_RE.finditer(text):
        pos = m.start()
        if pos in cands or pos == 0:
            continue
        ch = text[pos]
        digit = ch.isdigit()
        if not (digit or ch.isupper()):
            continue
        rest = folded[pos:]
        if _DATE_TAIL_RE.match(rest):
            before = folded[:pos].split()
            if before and before[-1] in _DATE_LEAD_WORDS:
                continue  # "Năm 2021-2025", "Quý IV": one date, not two cells
        double = text[pos - 2 : pos] == "  "
        if digit:
            strong = _HEAD_SEARCH_RE.match(rest) or _YEAR_RANGE_RE.match(rest)
        else:
            strong = _ALPHA_CUE_RE.match(rest)
        if strong:
            cands[pos] = 0.0 if double else 0.2
        elif double:
            cands[pos] = 0.6
    out = sorted(cands.items())
    # Drop cut points that would leave only separator characters between them.
    kept: list[tuple[int, float]] = []
    for pos, prior in out:
        if kept and not text[kept[-1][0] : pos].strip(" |\t"):
            kept[-1] = (pos, min(prior, kept[-1][1]))
        else:
            kept.append((pos, prior))
    out = kept
    bars = [c for c in out if c[1] < 0]
    return out[:4] if len(bars) < 2 else sorted(set(out[:4]) | set(bars))


def _make_options(line: int, text: str, feat_cache: dict[str, dict]) -> list[list[_Part]]:
    """Segmentation options of one line: uncut, cut once, cut twice (and at every "|")."""
    text = text.strip()
    cands = _split_candidates(text)

    def piece(a: int, b: int) -> str:
        return text[a:b].strip(" |\t")

    def part(t: str, prior: float = 0.0) -> _Part:
        ft = feat_cache.get(t)
        if ft is None:
            ft = feat_cache[t] = _features(t)
        return _Part(line, t, feats=ft, prior=prior)

    opts: list[list[_Part]] = [[part(text)]]
    for pos, prior in cands:
        left, right = piece(0, pos), piece(pos, len(text))
        if left and right:
            opts.append([part(left), part(right, prior)])
    for (a, pa), (b, pb) in ((x, y) for i, x in enumerate(cands) for y in cands[i + 1 :]):
        s1, s2, s3 = piece(0, a), piece(a, b), piece(b, len(text))
        if s1 and s2 and s3:
            opts.append([part(s1), part(s2, pa), part(s3, pb)])
    # OCR'd tables print column rules as "|": one more option cuts at every rule, however many
    # cells that makes.
    bars = [pos for pos, prior in cands if prior < 0]
    if len(bars) >= 3:
        cuts = [0] + bars + [len(text)]
        pieces = [piece(a, b) for a, b in zip(cuts, cuts[1:])]
        if all(pieces):
            opts.append([part(pieces[0])] + [part(t, -0.5) for t in pieces[1:]])
    return opts


# Hand-set weights on content cues; vocabulary cues only count on capitalised lines because
# cells open with a capital.


@dataclass(slots=True)
class _Params:
    cols: tuple[str, ...]
    headed: frozenset[str]
    fill: list[float]
    width: list[float | None]
    wrapw: list[float | None] = field(default_factory=list)
    # Exact (folded) line strings seen several times in the first decoding -> cost per column.
    # Tables repeat their owner/deadline wording, so "HĐND -" or "liên quan" votes for the
    # column it usually sits in.
    linevocab: dict[str, list[float]] = field(default_factory=dict)
    # gapc[s][o][m][g]: cost of a blank line (g=1) or of none (g=0) before a line that continues
    # the current cell (m=0) or opens a cell (m=1), given that the previous line held one cell
    # (s=0) or two (s=1) and did (o=1) or did not (o=0) end "open" (dash, comma, "của" …).
    # Learned from the first decoding; all zero before that.
    gapc: tuple = tuple(tuple(((0.0, 0.0), (0.0, 0.0)) for _o in (0, 1)) for _s in (0, 1))
    has_row_no: bool = True


def _start_cost(ft: dict, col: str, prm: _Params) -> float:
    kind = _KIND[col]
    if kind == "num":
        return -3.0 if ft["num"] else _INF
    if ft["num"]:
        return 8.0
    head = ft["head"]
    if ft["lead_num"]:
        return 4.0  # should have been cut after the row number
    lower = ft["lower"]
    if kind == "text":
        if head is not None:
            if head == col:
                return -3.0
            return 6.0 if head in prm.cols else 2.0
        c = 1.0
        if col in prm.headed:
            c += 1.5  # cells of this column normally open with a head
        if ft["outline"]:
            c += 1.0
        c += 1.5 if ft["owner"] else 0.0
        c += 2.0 if ft["date"] else 0.0
        c += 2.0 if ft["budget"] else 0.0
        c += 0.3 if ft["product"] else 0.0
        c -= 0.5 if ft["verb"] else 0.0
        c += 0.7 if lower else 0.0
        return c
    if head is not None:
        return 6.0
    if ft["mid_owner"] and kind != "owner":
        return _start_cost_kind(ft, kind, lower, "budget" in prm.cols) + 0.7
    return _start_cost_kind(ft, kind, lower, "budget" in prm.cols)


def _start_cost_kind(ft: dict, kind: str, lower: bool, has_budget: bool) -> float:
    if kind == "product":
        c = 1.0
        c -= 1.0 if ft["product"] else 0.0
        c -= 0.2 if ft["verb"] else 0.0
        c += 2.0 if ft["owner"] else 0.0
        c += 2.0 if ft["date"] else 0.0
        c += 2.0 if ft["budget"] else 0.0
        c += 0.7 if lower else 0.0
        return c
    if kind == "owner":
        c = 1.0
        c += -1.5 if ft["owner"] else 1.5
        c += 2.5 if ft["date"] else 0.0
        c += 2.5 if ft["budget"] else 0.0
        c += 1.0 if ft["product"] and not ft["owner"] else 0.0
        c += 1.5 if ft["verb"] else 0.0
        c += 1.0 if lower else 0.0
        return c
    if kind == "date":
        c = 1.0
        # "Theo quy định" is a deadline wording too when the table has no budget column.
        c += -1.5 if ft["date"] or (ft["budget"] and not has_budget) else 2.0
        c += 2.0 if ft["owner"] else 0.0
        c += 1.5 if ft["product"] and not ft["date"] else 0.0
        c += 1.5 if ft["verb"] else 0.0
        c += 0.5 if ft["budget"] else 0.0
        c += 1.0 if lower else 0.0
        return c
    if kind == "budget":
        c = 1.0
        c += -1.5 if ft["budget"] else 2.0
        c += 0.5 if ft["date"] else 0.0
        c += 2.0 if ft["owner"] else 0.0
        c += 1.0 if lower else 0.0
        return c
    c = 1.0  # note: free text without cues; its (learned) fill rate does the work
    c += 0.7 if lower else 0.0
    return c


def _cont_cost(ft: dict, col: str, prm: _Params) -> float:
    kind = _KIND[col]
    if kind == "num":
        return _INF
    if ft["head"] is not None:
        return 12.0  # a head always opens a cell
    if ft["num"]:
        return 8.0
    c = -0.3 if ft["lower"] else 0.4
    if ft["lead_num"]:
        c += 5.0  # a line opening with a row number starts a row
    if ft["owner"] and kind != "owner":
        c += 1.0
    if ft["date"] and kind != "date":
        c += 1.2
    if ft["budget"] and kind != "budget" and (kind != "date" or "budget" in prm.cols):
        c += 1.0
    if ft["product"] and kind in ("owner", "date", "budget"):
        c += 1.0
    elif ft["product"] and kind == "text":
        c += 0.5  # a capitalised document noun at a line start usually opens the product cell
    if ft["outline"] and kind == "text":
        c += 1.0
    if ft["mid_owner"] and kind != "owner":
        c += 0.7
    if kind == "date" and ft["title"] and not ft["date"]:
        c += 2.0  # deadlines are short formulas; a new capitalised phrase is another cell
    return c


def _width_cost(ft: dict, ci: int, prm: _Params) -> float:
    w = prm.width[ci]
    if w is None:
        return 0.0
    excess = ft["len"] - w
    return 0.0 if excess <= 0 else 2.0 + excess * 0.1


_SIG_KEYS = (
    "num", "head", "lead_num", "lower", "title", "outline", "owner", "date", "budget", "product",
    "verb", "mid_owner",
)


def _score_parts(items: list[_Item], prm: _Params) -> None:
    cols = prm.cols
    C = len(cols)
    fill_cost = [-math.log(max(0.03, f)) for f in prm.fill]
    widths = [w for w in prm.width if w is not None]
    min_width = min(widths) if widths else _INF
    # The content costs depend on a handful of booleans only: cache them per signature.
    cache: dict[tuple, tuple[list[float], list[float]]] = {}
    for it in items:
        for opt in it.options:
            for p in opt:
                ft = p.feats
                sig = tuple(ft[k] for k in _SIG_KEYS)
                base = cache.get(sig)
                if base is None:
                    base = (
                        [_start_cost(ft, c, prm) + fill_cost[k] for k, c in enumerate(cols)],
                        [_cont_cost(ft, c, prm) for c in cols],
                    )
                    cache[sig] = base
                start, cont = base
                extra = prm.linevocab.get(ft["key"])
                if ft["len"] > min_width:
                    width = [_width_cost(ft, k, prm) for k in range(C)]
                    extra = width if extra is None else [a + b for a, b in zip(extra, width)]
                if extra is None:
                    p.start, p.cont = start, cont
                else:
                    p.start = [a + b for a, b in zip(start, extra)]
                    p.cont = [a + b for a, b in zip(cont, extra)]


_BODY_ROLES = frozenset({"lead", "support", "monitor"})
#: cost of a line that is no row number in the TT column, and of a lone number elsewhere
_NOT_A_NUMBER = 1e6
_LONE_NUMBER = 6.0


def _lone_number(text: str) -> bool:
    t = text.strip().rstrip(".)")
    return t.isdigit() and len(t) <= 3 or _is_roman(t)


def role_cost(text: str, col: str) -> float:
    """How badly a line (or the start of a cell) fits a column by its content: owner names in
    the body columns, dates in the deadline column, budget phrases, document nouns, task verbs,
    row numbers in the TT column only (0 = typical; a lower-case continuation fits any)."""
    if col == "row_no":
        return 0.0 if _lone_number(text) else _NOT_A_NUMBER
    if _lone_number(text):
        return _LONE_NUMBER
    f = _features(text)
    if f["lower"]:
        return 0.3
    if col == "deadline":
        return 0.0 if f["date"] else 2.5 if f["owner"] else 1.5
    if col in _BODY_ROLES:
        return 0.0 if f["owner"] else 3.0 if f["date"] else 1.5
    if col == "budget":
        return 0.0 if f["budget"] else 2.0
    if col == "product":
        return 0.0 if f["product"] else 2.0 if f["date"] or f["owner"] else 0.8
    # objective / task / activity / note
    return 0.0 if f["verb"] or f["head"] else 2.5 if f["date"] else 1.2 if f["owner"] else 0.5
