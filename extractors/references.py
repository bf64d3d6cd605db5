"""Documents a plan cites (văn bản căn cứ): "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ".

``extract_references(lines)`` returns one :class:`Reference` per citation
*occurrence*, in reading order (the same document cited twice gives two rows;
deduplicate on ``ref_number`` downstream if needed).

What counts as a citation
-------------------------
A document number: digits, "/" or "-", an optional year and "/", then a
symbol of capitalised parts joined by "-", "/", "_" or a spaced dash, with at
least one capital letter: "76/NQ-CP", "45-NQ/TW", "60/2021/NĐ-CP",
"61/2018/NĐ_CP", "105/KH – UBND", "13/2019/TTBNV", "468/QĐ-TTg".  Dates
("15/7/2021"), ranges ("13-15 phút") and standards ("ISO 9001:2015") do not
match: a symbol starts with a capital letter.  The plan's own number in the
header ("Số: 83/KH-UBND") is not a citation and is skipped; a blank number
("Kế hoạch số /KH-UBND", the plan itself in an appendix title) has no digits
and never matches.  A citation may wrap over lines ("Nghị quyết số\\n76/NQ-CP",
"76/NQ-\\nCP"); ``line_start``/``line_end`` (1-based) cover the type word to the
issuer.  Unnumbered laws ("Luật Ban hành văn bản quy phạm pháp luật") are not
extracted: without a number they cannot be linked.

Fields
------
``ref_number``
    The number as printed with white space removed and dashes written "-"
    ("105/KH-UBND", "61/2018/NĐ-CP"); OCR spellings are kept ("3470/QD-UBND").
``ref_type``
    The type word printed before the number ("Nghị quyết", "Quyết định", "Kế
    hoạch", "Chỉ thị", "Thông tư (liên tịch)", "Nghị định", "Công văn", "Luật",
    "Hướng dẫn", "Thông báo", "Chương trình (hành động)", "Đề án", "Kết luận",
    "Báo cáo", "Công điện", "Pháp lệnh", "Văn bản", "Quy định"), written in its
    canonical accented form; else derived from the symbol's first code ("NQ" ->
    Nghị quyết, "QĐ"/"QD" -> Quyết định, "KH" -> Kế hoạch, "CT" -> Chỉ thị,
    "TT"/"TTLT" -> Thông tư, "NĐ"/"ND" -> Nghị định, "HD" -> Hướng dẫn, "TB" ->
    Thông báo, "BC" -> Báo cáo, "KL" -> Kết luận, "CTr" -> Chương trình, "QH"
    -> Luật, "CĐ" -> Công điện, "ĐA" -> Đề án); a symbol with no type code
    ("1234/UBND-VP") is a Công văn.
``ref_date``
    "ngày 15/7/2021", "ngày 15-7-2021" or "ngày 15 tháng 7 năm 2021" right
    after the number; ``None`` when not printed or impossible.
``ref_issuer``
    "của <issuer>" right after the number/date: capitalised words and the
    lower-case words of body names ("Ủy ban nhân dân tỉnh Hải Dương", "Bộ
    Chính trị", "Thủ tướng Chính phủ", "UBND huyện Phú Lộc"), up to the first
    other word ("về", "ban hành", punctuation).  ``None`` when not printed.
``text``
    The citation as printed, white space collapsed (type word .. issuer).

Matching runs on :func:`normalizers.text.fold` output (one character per
character) for the words, so unaccented and lightly damaged text still gives
the number, type and date ("Quyét dinh s6 3470/QD-UBND ngay 27/8/2025").
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from normalizers.text import collapse_ws, fold


@dataclass(frozen=True, slots=True)
class Reference:
    ref_number: str  # "76/NQ-CP" (white space removed, dashes "-")
    ref_type: str | None  # "Nghị quyết"
    ref_issuer: str | None  # "Chính phủ"
    ref_date: dt.date | None  # 2021-07-15
    text: str  # the citation as printed, white space collapsed
    line_start: int  # 1-based
    line_end: int  # 1-based, inclusive


_TYPES: tuple[tuple[str, str], ...] = (  # folded word -> canonical name; longest first
    ("thong tu lien tich", "Thông tư liên tịch"), ("chuong trinh hanh dong", "Chương trình hành động"),
    ("nghi quyet", "Nghị quyết"), ("quyet dinh", "Quyết định"), ("ke hoach", "Kế hoạch"), ("chi thi", "Chỉ thị"),
    ("thong tu", "Thông tư"), ("nghi dinh", "Nghị định"), ("cong van", "Công văn"), ("huong dan", "Hướng dẫn"),
    ("thong bao", "Thông báo"), ("chuong trinh", "Chương trình"), ("de an", "Đề án"), ("ket luan", "Kết luận"),
    ("bao cao", "Báo cáo"), ("cong dien", "Công điện"), ("phap lenh", "Pháp lệnh"), ("van ban", "Văn bản"),
    ("quy dinh", "Quy định"), ("luat", "Luật"),
)
_TYPE_NAMES = dict(_TYPES)
_CODES = {  # folded symbol code -> type
    "nq": "Nghị quyết", "qd": "Quyết định", "kh": "Kế hoạch", "ct": "Chỉ thị", "tt": "Thông tư",
    "ttlt": "Thông tư liên tịch", "nd": "Nghị định", "hd": "Hướng dẫn", "tb": "Thông báo", "bc": "Báo cáo",
    "kl": "Kết luận", "ctr": "Chương trình", "qh": "Luật", "cd": "Công điện", "da": "Đề án",
}

_DASHES = "-–—‐‑−_"
_PART = r"[A-ZĐ0-9][A-ZĐa-zđ0-9]*"
_NUMBER = re.compile(
    r"(?<![\w/.,])(\d{1,6}[a-z]?)\s?([/\-])\s?((?:(?:19|20)\d\d\s?/\s?)?)"
    r"([A-ZĐ][A-ZĐa-zđ0-9]*(?:(?:\s?[" + _DASHES + r"/]\s?)" + _PART + r")*)")
_TYPE_BEFORE = re.compile(
    r"(" + "|".join(k.replace(" ", r"\s+") for k, _ in _TYPES) + r")\s*(?:so|s\d|s\W)?\s*[:.]?\s*$")
_TYPE_AT = re.compile(r"(?:" + "|".join(k.replace(" ", r"\s+") for k, _ in _TYPES) + r"|ket\s+qua)\b")
_VERB_AT = re.compile(r"(?:trien khai|thuc hien|ban hanh|quy dinh|huong dan|phe duyet|sua doi|to chuc)\b")
_OWN_NUMBER = re.compile(r"(?:^|\n)\s*s\w?\s*:\s*$")  # "Số: 83/KH-UBND", OCR "S6: 15 /KH-UBND"
_DATE_AFTER = re.compile(
    r"^[\s,]*(?:ban hanh\s+)?ngay\s*(\d{1,2})\s*(?:[/\-.]\s*(\d{1,2})\s*[/\-.]\s*|thang\s*(\d{1,2})\s*nam\s*)"
    r"((?:19|20)\d\d)(?!\d)")
_OF = re.compile(r"^[\s,]*(?:cua|do)\s+")
_ISSUER_LOWER = frozenset((
    "ban nhan dan tinh huyen xa phuong thi tran thanh pho quan chinh phu tri uong nuoc nha hanh chap thuong vu truc "
    "dong hoi uy tuong truong tich chu tu phap noi bo phan giao duc dao tao thong tin truyen tai nguyen moi truong "
    "lao dong binh va xa hoi y te cong an quoc phong ke hoach dau tu xay dung nong nghiep phat trien nong thon "
    "khoa hoc cong nghe van hoa the thao du lich giao van tai nhan dan toi cao kiem sat dang doan"
).split())
_ISSUER_STOP = frozenset(("ve", "ban hanh", "va"))  # "và" ends an issuer when a type word or lowercase follows


def _line_index(lines: Sequence[str]) -> tuple[str, list[int]]:
    starts, pos, parts = [], 0, []
    for line in lines:
        text = unicodedata.normalize("NFC", line if isinstance(line, str) else "")
        text = text.replace("\r", " ").replace("\n", " ")
        starts.append(pos)
        parts.append(text)
        pos += len(text) + 1
    return "\n".join(parts), starts


def _canonical_number(num: str, sep: str, year: str, symbol: str) -> str:
    year = re.sub(r"\s+", "", year)
    symbol = re.sub(r"\s*[" + re.escape(_DASHES) + r"]\s*", "-", symbol)
    symbol = re.sub(r"\s*/\s*", "/", symbol)
    return f"{num}{sep}{year}{symbol}"


def _type_from_symbol(symbol: str) -> str:
    for part in re.split(r"[" + re.escape(_DASHES) + r"/\s]+", fold(symbol)):
        part = part.rstrip("0123456789")
        if part in _CODES:
            return _CODES[part]
        if part.isalpha():
            break
    return "Công văn"


def _issuer(original: str, folded: str, start: int) -> tuple[str | None, int]:
    """Issuer after "của" at ``start``; (name, end offset) or (None, start)."""
    m = _OF.match(folded[start:])
    if not m:
        return None, start
    pos = start + m.end()
    words: list[tuple[int, int]] = []
    for w in re.finditer(r"[^\s,;.:()\"“”]+", original[pos:pos + 160]):
        if w.start() > 0 and re.search(r"[,;.:()\"“”]", original[pos + (words[-1][1] - pos if words else 0):pos + w.start()]):
            break
        word = w.group()
        fw = fold(word)
        gap = original[pos + (words[-1][1] - pos if words else 0):pos + w.start()]
        if "\t" in gap or _TYPE_AT.match(folded, pos + w.start()) or _VERB_AT.match(folded, pos + w.start()):
            break  # next table cell, or the next document ("... của Chính phủ\nKế hoạch")
        if word[:1].isupper() or word[:1].isdigit() and words:
            words.append((pos + w.start(), pos + w.end()))
            continue
        if fw in _ISSUER_STOP or fw not in _ISSUER_LOWER:
            break
        # "ban hành" after a name is the verb, not part of it
        nxt = folded[pos + w.end():pos + w.end() + 6]
        if fw == "ban" and nxt.startswith(" hanh"):
            break
        words.append((pos + w.start(), pos + w.end()))
    while words and fold(original[words[-1][0]:words[-1][1]]) in ("va", "ban"):
        words.pop()
    if not words:
        return None, start
    return collapse_ws(original[words[0][0]:words[-1][1]]), words[-1][1]


def extract_references(lines: Sequence[str]) -> list[Reference]:
    """Every numbered document cited in ``lines`` (see the module docstring); never raises on text input."""
    text, starts = _line_index(lines or ())
    folded = fold(text)
    if len(folded) != len(text):  # fold keeps lengths for NFC text; be safe on exotic input
        return []
    out: list[Reference] = []
    for m in _NUMBER.finditer(text):
        before = folded[max(0, m.start() - 40):m.start()]
        if _OWN_NUMBER.search(before):
            continue
        symbol = m.group(4)
        if not re.search(r"[A-ZĐ]{2}", symbol):
            continue  # "1 - Tri" in a flattened table: a symbol has a code of two capitals or more
        number = _canonical_number(m.group(1), m.group(2), m.group(3), symbol)
        begin = m.start()
        tm = _TYPE_BEFORE.search(before)
        if tm:
            ref_type = _TYPE_NAMES[" ".join(tm.group(1).split())]
            begin = m.start() - len(before) + tm.start()
        else:
            ref_type = _type_from_symbol(symbol)
        end = m.end()
        ref_date = None
        dm = _DATE_AFTER.match(folded[end:end + 40])
        if dm:
            d, mo = int(dm.group(1)), int(dm.group(2) or dm.group(3))
            try:
                ref_date = dt.date(int(dm.group(4)), mo, d)
            except ValueError:
                ref_date = None
            end += dm.end()
        issuer, issuer_end = _issuer(text, folded, end)
        end = max(end, issuer_end)
        line_start = bisect.bisect_right(starts, begin)
        line_end = bisect.bisect_right(starts, max(begin, end - 1))
        out.append(Reference(number, ref_type, issuer, ref_date, collapse_ws(text[begin:end]), line_start, line_end))
    return out
