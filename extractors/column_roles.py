"""The role of an appendix column from the meaning of its header text.

A header cell names a column with a few *cue* phrases, in any order and wording, padded with
words that say nothing about the role ("Cơ quan", "Sở, ngành", "tham mưu", "dự kiến"):

    "Sở, ngành chủ trì tham mưu" -> lead       "Theo dõi, kiểm tra, đôn đốc" -> monitor
    "Tiến độ hoàn thành"         -> deadline   "Kết quả đầu ra"              -> product

Text is folded (lower case, no diacritics, đ -> d), so headers with or without diacritics, in
upper case or wrapped over lines read alike; a word one letter off a known header word (OCR
slips of five letters and more) or two known words glued together are read as those words.

Rules, on the cue phrases found (``_STRONG``; "," "/" "(" end a phrase):

* one role among the strong cues -> that role;
* several strong roles -> None ("Cơ quan chủ trì, phối hợp", "Thời gian, kinh phí"); a weak
  "Nội dung" at the head gives way to a finer outline word ("Nội dung hoạt động" -> activity)
  and makes a cell with another role None ("Nội dung, kết quả");
* no strong cue: a weak cue at the head of the cell ("Nội dung …" -> task, "Kiểm tra …" ->
  monitor), else an agent noun with "thực hiện" ("Đơn vị thực hiện") -> lead;
* a cell is a header only when its words are header words: no unknown word before the role word
  (Vietnamese names the head first: "Mã sản phẩm" is no product column), none in cells of one or
  two words, at most two after a role word at the head ("Thời hạn giải quyết"), else one; a cell
  opening with a verb before the role word ("Thực hiện nhiệm vụ mới") is a task's text;
* word pairs that hold a cue by accident ("phương tiện đo", "theo đối tượng") are no cue.

:func:`header_role` reads one cell; :func:`tile_header` reads a run of header words whose cell
boundaries are lost (a header printed as lines of a text dump) into the column sequence.
Pure; no state written at run time.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Sequence

from normalizers.encodings import is_valid_syllable
from normalizers.text import fold

__all__ = ["ROLES", "MAX_WORDS", "HEADER_VOCAB", "header_role", "header_words", "is_header_word", "tile_header"]

#: Every role a column can have, in canonical order.
ROLES = (
    "row_no", "objective", "task", "activity", "product", "lead", "support", "monitor", "deadline",
    "budget", "note",
)
#: Longest header cell, in words.
MAX_WORDS = 14

# Phrases (folded words) that name a role whatever stands around them.
_STRONG: dict[str, tuple[str, ...]] = {
    "row_no": ("tt", "stt", "so tt", "so thu tu", "thu tu"),
    "objective": ("muc tieu",),
    "task": ("nhiem vu", "cong viec", "giai phap"),
    "activity": ("hoat dong",),
    "product": ("san pham", "ket qua", "dau ra", "hinh thuc van ban"),
    "lead": ("chu tri", "chiu trach nhiem", "trach nhiem"),
    "support": ("phoi hop", "tham gia"),
    "monitor": ("theo doi", "don doc", "chi dao", "lanh dao phu trach"),
    "deadline": ("thoi gian", "thoi han", "tien do", "thoi diem", "lo trinh", "ngay hoan thanh", "nam hoan thanh",
                 "nam thuc hien"),
    "budget": ("kinh phi", "du toan", "nguon von"),
    "note": ("ghi chu",),
}
# Phrases that name a role only when no strong cue does, and only at the head of the cell (a
# Vietnamese noun phrase names its head first: "Nội dung đơn", not "Số người cùng nội dung").
_WEAK: dict[str, tuple[str, ...]] = {
    "task": ("noi dung",),
    "monitor": ("kiem tra", "giam sat"),
}
# Agent nouns: with "thực hiện" (or "phụ trách", "tham mưu") and no other cue they make the
# column the lead ("Cơ quan thực hiện", "Đơn vị thực hiện", "Cán bộ phụ trách", "Bộ phận tham mưu").
_AGENTS = ("co quan", "don vi", "bo phan", "nguoi", "can bo", "cong chuc", "ca nhan", "so", "nganh", "phong",
           "to chuc")
_DOING = ("thuc hien", "trien khai", "phu trach", "tham muu")
# Words that qualify a column name without naming a role.
_FILLER = (
    "co quan", "don vi", "bo phan", "nguoi", "can bo", "cong chuc", "so", "ban", "nganh", "phong",
    "cap", "ubnd", "uy ban", "xa", "huyen", "tinh", "dia phuong", "lien quan", "thuc hien",
    "trien khai", "hoan thanh", "tham muu", "du kien", "cu the", "chinh", "chu yeu", "neu co",
    "cac", "va", "cua", "hoac", "theo", "ten", "hinh thuc", "van ban", "trieu dong", "dong",
    "nghin", "ty", "nam", "thang", "quy", "nguon", "chu the", "dat duoc", "can", "tong",
    "dinh ky", "yeu cau", "giao", "la", "lanh dao", "ket thuc", "bat dau", "de nghi", "moc",
    "von", "ngan sach", "hang", "ngay", "phu trach", "to chuc", "ca nhan", "tuong ung", "du an",
)
# Word pairs that contain a cue by accident; read as one word that is no header word ("phương
# tiện đo" is no "tiến độ", "theo đối tượng" no "theo dõi", "trả kết quả" is an office).
_TRAPS = ("phuong tien", "doi tuong", "tra ket qua", "xa hoi")
_SPLIT_RE = re.compile(r"[a-z0-9]+|[,;/()]")
_DOTTED_RE = re.compile(r"\b([a-z])\.(?=[a-z]\b)")
_BREAK = ","  # a cell boundary inside the text: no phrase runs across it

_Phrase = tuple[tuple[str, ...], str | None, bool]  # words, role (None: filler), strong


def _phrases() -> list[_Phrase]:
    out: list[_Phrase] = []
    out += [(tuple(p.split()), role, True) for role, ps in _STRONG.items() for p in ps]
    out += [(tuple(p.split()), role, False) for role, ps in _WEAK.items() for p in ps]
    out += [(tuple(p.split()), None, False) for p in _FILLER]
    return sorted(out, key=lambda x: -len(x[0]))


_PHRASES = _phrases()
_TRAP_WORDS = {tuple(t.split()): t.replace(" ", "") for t in _TRAPS}
_AGENT_SET = frozenset(tuple(p.split()) for p in _AGENTS)
_DOING_SET = frozenset(tuple(p.split()) for p in _DOING)
_VOCAB = frozenset(w for words, _, _ in _PHRASES for w in words)
# OCR slips are corrected only towards words of cue phrases: a common word one letter off a
# filler word ("không" / "phòng") is left alone.
#: Folded words of header cells in the narrow sense (cue words, agent nouns, the qualifiers
#: "cụ thể", "hoàn thành", "dự kiến", ...), without the looser fillers: for readers that test
#: whether a printed line reads as header words only.
HEADER_VOCAB = frozenset(w for words, role, _ in _PHRASES if role is not None for w in words) | frozenset(
    w for p in ("co quan", "don vi", "bo phan", "nguoi", "can bo", "nganh", "so", "thuc hien", "trien khai",
                "cu the", "hoan thanh", "du kien", "neu co", "chu yeu", "chinh", "ten", "cac", "moc", "tham muu",
                "cong tac") for w in p.split())
_LONG = frozenset(w for words, role, _ in _PHRASES if role is not None for w in words if len(w) >= 4)


@lru_cache(maxsize=4096)
def _correct(word: str) -> tuple[str, ...]:
    """``word`` as header words: itself, the header word one letter off (words of 5+ letters),
    two glued header words, or ``()`` when it is no header word."""
    if word in _VOCAB or word.isdigit():
        return (word,)
    if len(word) >= 5:
        for v in sorted(_LONG):  # substitution / one letter missing / one letter extra
            if abs(len(v) - len(word)) <= 1 and _one_edit(word, v):
                return (v,)
    for i in range(2, len(word) - 1):
        a, b = word[:i], word[i:]
        if a in _VOCAB and b in _VOCAB:
            return (a, b)
    return ()


_VOWELS = frozenset("aeiouy")


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def header_words(text: str) -> list[str]:
    """The folded words of ``text`` (letters and digits; "," marks a break between parts)."""
    folded = _DOTTED_RE.sub(r"\1", fold(text))  # "S.T.T" -> "stt"
    return [_BREAK if t in ",;/()" else t for t in _SPLIT_RE.findall(folded)]


def header_words_only(text: str) -> bool:
    """Whether ``text`` has words and every one is (one letter off) a word of some header phrase,
    the breaks between parts (",", ";", "/") aside."""
    words = [w for w in header_words(text) if w != _BREAK]
    return bool(words) and all(is_header_word(w) for w in words)


def is_header_word(word: str) -> bool:
    """Whether a folded word is (one letter off) a word of some header phrase; numbers are not
    (a page number next to a printed header is no part of it)."""
    return not word.isdigit() and bool(_correct(word))


def _normalise(raw: tuple[str, ...]) -> list[str]:
    """Corrected words, traps joined into one word."""
    words: list[str] = []
    for w in raw:
        words.extend(_correct(w) or (w,))
    i, out = 0, []
    while i < len(words):
        for trap, joined in _TRAP_WORDS.items():
            if tuple(words[i:i + len(trap)]) == trap:
                out.append(joined)
                i += len(trap)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _scan(words: list[str]) -> list[tuple[str | None, bool, tuple[str, ...]]]:
    """Phrases found left to right (longest first); a word no phrase covers is an entry with
    role None, strength False and no words."""
    found: list[tuple[str | None, bool, tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        if words[i] == _BREAK or words[i].isdigit():
            i += 1
            continue
        for ph, role, strong in _PHRASES:
            if tuple(words[i:i + len(ph)]) == ph:
                found.append((role, strong, ph))
                i += len(ph)
                break
        else:
            found.append((None, False, ()))
            i += 1
    return found


_OUTLINE = ("objective", "task", "activity")


# "Tên nhiệm vụ", "Các hoạt động", "Cơ quan chủ trì": the role word after these is the head.
_TRANSPARENT = (("ten",), ("cac",))


def _tolerance(n: int, head: bool) -> int:
    """Words of no header a cell of ``n`` words may carry: none in one or two words; with the
    role named at its head ("Thời hạn giải quyết") two, else one."""
    return 0 if n <= 2 else 2 if head else 1


@lru_cache(maxsize=65536)
def _words_role(raw: tuple[str, ...], strict: bool = False) -> str | None:
    n = sum(w != _BREAK and not w.isdigit() for w in raw)
    if n == 0 or n > MAX_WORDS:
        return None
    found = _scan(_normalise(raw))
    unknown = sum(not ph for _, _, ph in found)
    first = next((k for k, (role, _, _) in enumerate(found) if role is not None), len(found))
    before = [ph for _, _, ph in found[:first]]
    if any(not ph for ph in before):
        return None  # the head of the cell is a word of no header ("Mã sản phẩm")
    if first < len(found) and before and before[0] in _DOING_SET:
        return None  # a cell opening with a verb ("Thực hiện nhiệm vụ mới") is a task's text
    head = all(ph in _TRANSPARENT or ph in _AGENT_SET for ph in before)
    strong = {role for role, st, _ in found if st}
    if len(strong) > 1:
        return None
    if unknown > (0 if strict else _tolerance(n, head and first < len(found))):
        return None
    if strong:
        role = next(iter(strong))
        if strict and any(r not in (None, role) for r, _, _ in found):
            return None  # "Kết quả kiểm tra": a product of a check, as likely a cell as a header
        if not found[first][1] and found[first][0] != role and role not in _OUTLINE:
            return None  # "Nội dung, kết quả": two columns in one
        return role
    if first < len(found):
        return found[first][0]  # a weak cue at the head of the cell
    phrases = {ph for _, _, ph in found}
    if phrases & _DOING_SET and phrases & _AGENT_SET:
        return "lead"
    return None


#: Folded top cells of a two-level header ("Trách nhiệm thực hiện" over "Chủ trì" / "Phối hợp",
#: "Tiến độ thực hiện" over "Hoàn thành"), which a reader that joins a header's rows into one
#: cell (a Markdown export, docling's "Trách nhiệm thực hiện.Chủ trì") prints before the lower
#: cell, with the roles a lower cell under them may name.
_OWNERS = frozenset({"lead", "support", "monitor"})
SPAN_TOPS: dict[tuple[str, ...], frozenset[str]] = {
    tuple(p.split()): roles
    for roles, phrases in (
        (_OWNERS, ("trach nhiem thuc hien", "trach nhiem", "phan cong thuc hien", "phan cong trach nhiem",
                   "phan cong", "to chuc thuc hien", "co quan thuc hien", "don vi thuc hien",
                   "co quan don vi thuc hien", "co quan , don vi thuc hien")),
        (frozenset({"deadline"}), ("tien do thuc hien", "tien do", "thoi gian thuc hien", "thoi gian")),
    )
    for p in phrases
}
_TOPS_LONGEST = sorted(SPAN_TOPS, key=len, reverse=True)


def _under_top(words: tuple[str, ...], strict: bool) -> str | None:
    """The role of a cell that joins a two-level header's top cell and its lower cell: the
    lower cell's, when the cell opens with a top cell of :data:`SPAN_TOPS` and the lower cell
    names a role that top cell stands over ("Trách nhiệm thực hiện Phối hợp" -> support, "Phân
    công thực hiện Chủ trì" -> lead; "Thời gian, kinh phí" stays two columns in one)."""
    for top in _TOPS_LONGEST:
        rest = words[len(top):]
        if words[:len(top)] == top and rest and rest[0] != _BREAK:
            role = _words_role(rest, strict)
            return role if role in SPAN_TOPS[top] else None
    return None


def header_role(text: str, strict: bool = False) -> str | None:
    """The role one header cell names (one of :data:`ROLES`), or None when it names none or
    several ("Cơ quan chủ trì" -> "lead", "THOI GIAN HOAN THANH" -> "deadline").  ``strict``:
    every word must be a header word (for readers that cut cells at guessed boundaries, where
    "Nội dung nhiệm" is half a cell, not a cell with one odd word), and no cue of another role
    may stand beside the role word ("Kết quả kiểm tra" is None: it reads as well as a cell).
    Lines of stamp strokes in the cell (a stray letter or two, :func:`_speck_line`) are no part
    of it."""
    words = tuple(header_words(text))
    role = _words_role(words, strict)
    role = role if role is not None else _ocr_slip(words, strict)
    role = role if role is not None else _under_top(words, strict)
    if role is not None or "\n" not in text:
        return role
    # a line of stamp or signature strokes OCR read as a stray letter or two ("j" over "Nội
    # dung") names nothing, and read with the cell it keeps the cell from naming its column
    kept = [ln for ln in text.split("\n") if not _speck_line(ln)]
    return header_role("\n".join(kept), strict) if kept and len(kept) < len(text.split("\n")) else None


_LETTERS_RE = re.compile(r"[^\W\d_]+")
_OUTLINE_LABEL_RE = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)](?:\s|$)", re.M)

#: header cells of at most this many words are read in every order by
#: :func:`garbled_header_role` (a cell's two lines OCR read out of order)
GARBLED_MAX_WORDS = 5


def garbled_header_role(text: str) -> str | None:
    """The role of a header cell of an OCR'd grid that :func:`header_role` cannot name because
    a seal or a signature over it garbled the reading: letters of the stamp beside the words
    ("nx%1 chủ trì /"), one word misread past repair, or the cell's lines read out of order
    ("Nội việc" / "dung cônế" for "Nội dung" / "công việc").  Words that are no header word
    are left out (only while header words stay, two of three letters or more among them), and
    the rest read in every order; the role when every order that names one names the same,
    else None.  Never the row number: "TT" is as likely two letters of a seal's lettering."""
    if _OUTLINE_LABEL_RE.search(text):
        return None  # "III. TỔ CHỨC THỰC HIỆN": a heading of the plan's text
    words = tuple(w for w in header_words(text) if w.isalpha())
    known = tuple(w for w in words if is_header_word(w))
    if (sum(len(w) >= 3 for w in known) < 2 or len(known) * 2 < len(words)
            or len(known) > GARBLED_MAX_WORDS):
        return None
    # what is left must be the ink's letters, no words: a syllable of no header ("Công tác chỉ
    # đạo", "Nhiệm vụ 6: Duy trì") makes the cell a line of text
    if any(is_valid_syllable(t.lower()) and not is_header_word(fold(t).lower()) for t in _LETTERS_RE.findall(text)):
        return None
    roles = set()
    for order in itertools.permutations(known):
        role = _words_role(order) or _ocr_slip(order, False)
        if role is not None:
            roles.add(role)
    return roles.pop() if len(roles) == 1 and "row_no" not in roles else None


#: a line of a header cell with at most this many letters and digits, none of them a header
#: word, is what a stamp or a signature left in the cell ("j" over "Nội dung", "Z4 ' \"")
SPECK_LINE_CHARS = 3


def _speck_line(line: str) -> bool:
    words = [w for w in header_words(line) if w.isalnum()]
    return sum(len(w) for w in words) <= SPECK_LINE_CHARS and not any(is_header_word(w) for w in words)


def _ocr_slip(words: tuple[str, ...], strict: bool) -> str | None:
    """The role of a header cell in which OCR turned one short word into a letter ("đơn v.. thực
    hiện", "Nhiệm v.") or a letter and a stroke for its marked vowel ("Đơn vj"), misread one
    vowel of a short word ("thực hiàn", "Tiến đủ") or lost one of its letters after the first
    ("Mụ€ tiêu": "mu"), stray letters of a stamp or a ruling beside it aside: the role every
    header word that fits in its place gives, when they agree."""
    def slipped(ws: tuple[str, ...]) -> list[int]:
        return [k for k, w in enumerate(ws) if w != _BREAK and w not in _VOCAB and w.isalpha() and len(w) <= 4]

    slips = slipped(words)
    if len(slips) > 1:
        # a stray letter of a stamp or a ruling beside the slip ("Mụ€ tiêu ⁄ Í"): no word of it
        words = tuple(w for k, w in enumerate(words) if k not in slips or len(w) > 1)
        slips = slipped(words)
        if not slips:
            return _words_role(words, strict) if words else None
    if len(slips) != 1:
        return None
    k = slips[0]
    w = words[k]
    if len(w) == 1 or (len(w) == 2 and w[1] in "jl|"):
        fills = sorted(v for v in _VOCAB if v[0] == w[0] and v != w and len(v) <= 3)
    else:  # one vowel misread: "hiàn" for "hiện", "đủ" for "độ"; or one letter lost: "Mụ" for "Mục"
        fills = sorted(v for v in _VOCAB if (len(v) == len(w) and _one_edit(w, v)
                       and all(a == b or (a in _VOWELS and b in _VOWELS) for a, b in zip(w, v)))
                       or (len(v) == len(w) + 1 and v[0] == w[0] and _one_edit(w, v)))
    roles = {_words_role(words[:k] + (v,) + words[k + 1:], strict) for v in fills}
    if len(w) == 1 and len(words) > 1:  # or a stray letter ("À. Hoạt động")
        roles.add(_words_role(words[:k] + words[k + 1:], strict))
    roles -= {None}
    return roles.pop() if len(roles) == 1 else None


def tile_header(words: Sequence[str], max_cell: int = 8) -> list[str] | None:
    """The column sequence of a header whose cell boundaries are lost: ``words`` (folded) cut
    into the fewest cells of at most ``max_cell`` words that each name a role with header words
    only, neighbours of one role joined.  None when no such cut exists."""
    n = len(words)
    if n == 0 or n > 40:
        return None
    words = tuple(words)
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(n):
        cur = best[i]
        if cur is None:
            continue
        for j in range(i + 1, min(n, i + max_cell) + 1):
            seg = words[i:j]
            if not is_header_word(seg[-1]):
                break  # every word of a printed header line is a header word
            role = _words_role(seg, strict=True)
            if role is None:
                continue
            cols = cur[1] if cur[1] and cur[1][-1] == role else cur[1] + [role]
            cand = (cur[0] + 1, cols)
            old = best[j]
            if old is None or cand[0] < old[0]:
                best[j] = cand
    return best[n][1] if best[n] is not None else None
