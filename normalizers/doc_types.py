"""Types of administrative documents and how a document tells its own.

The vocabulary is Nghị định 30/2020/NĐ-CP, Phụ lục III (the abbreviations of
the types of administrative documents), plus the few types analysts' folders
also hold (Giấy phép, Kết luận, Nghị định, Thông tư).  Each :class:`DocType`
has the code printed in the document number ("83/KH-UBND" -> KH), its name,
and the type word printed as the title line ("KẾ HOẠCH"), matched folded
(:func:`normalizers.text.fold`: lower case, no diacritics), so that OCR'd and
unaccented text ("QUYET DINH", "QUYÉT ĐỊNH") is still recognised.

An official letter (Công văn, code CV here) prints no type word and its
number carries no type code: "Số: 123/UBND-VP" with a "V/v ..." subject line.

:func:`decide_type` settles the type from both signs; the printed type word
wins when they disagree (a number is typed by hand, the title is the template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalizers.text import fold


@dataclass(frozen=True, slots=True)
class DocType:
    code: str  # as printed in numbers: "KH", "QĐ", "CTr"
    name: str  # "Kế hoạch"
    word: str  # the title word, folded: "ke hoach"


DOC_TYPES: tuple[DocType, ...] = (
    DocType("NQ", "Nghị quyết", "nghi quyet"),
    DocType("QĐ", "Quyết định", "quyet dinh"),
    DocType("CT", "Chỉ thị", "chi thi"),
    DocType("QC", "Quy chế", "quy che"),
    DocType("QyĐ", "Quy định", "quy dinh"),
    DocType("TC", "Thông cáo", "thong cao"),
    DocType("TB", "Thông báo", "thong bao"),
    DocType("HD", "Hướng dẫn", "huong dan"),
    DocType("CTr", "Chương trình", "chuong trinh"),
    DocType("KH", "Kế hoạch", "ke hoach"),
    DocType("PA", "Phương án", "phuong an"),
    DocType("ĐA", "Đề án", "de an"),
    DocType("DA", "Dự án", "du an"),
    DocType("BC", "Báo cáo", "bao cao"),
    DocType("BB", "Biên bản", "bien ban"),
    DocType("TTr", "Tờ trình", "to trinh"),
    DocType("HĐ", "Hợp đồng", "hop dong"),
    DocType("CĐ", "Công điện", "cong dien"),
    DocType("BGN", "Bản ghi nhớ", "ban ghi nho"),
    DocType("BTT", "Bản thỏa thuận", "ban thoa thuan"),
    DocType("GUQ", "Giấy ủy quyền", "giay uy quyen"),
    DocType("GM", "Giấy mời", "giay moi"),
    DocType("GGT", "Giấy giới thiệu", "giay gioi thieu"),
    DocType("GNP", "Giấy nghỉ phép", "giay nghi phep"),
    DocType("PG", "Phiếu gửi", "phieu gui"),
    DocType("PC", "Phiếu chuyển", "phieu chuyen"),
    DocType("PB", "Phiếu báo", "phieu bao"),
    DocType("GP", "Giấy phép", "giay phep"),
    DocType("KL", "Kết luận", "ket luan"),
    DocType("NĐ", "Nghị định", "nghi dinh"),
    DocType("TT", "Thông tư", "thong tu"),
    DocType("CV", "Công văn", "cong van"),
)

PLAN = "KH"
LETTER = "CV"
CODES: tuple[str, ...] = tuple(t.code for t in DOC_TYPES)

_BY_CODE = {t.code: t.code for t in DOC_TYPES}
#: Folded codes: "QD" (OCR lost the Đ) -> QĐ.  Where two codes fold alike the commoner
#: one wins: "DA" -> ĐA (Đề án), "HD" -> HD (Hướng dẫn), "CD" -> CĐ.
_BY_FOLDED = {fold(t.code): t.code for t in reversed(DOC_TYPES)} | {"da": "ĐA", "hd": "HD"}
_BY_WORD = {t.word: t.code for t in DOC_TYPES}
#: the same by the type word without its spaces: a title may print it glued ("KEHOACH")
_BY_GLUED = {word.replace(" ", ""): code for word, code in _BY_WORD.items()}
#: A title line: the type word alone ("QUYẾT ĐỊNH", "KE HOACH", "**BÁO CÁO**"); a trailing
#: colon is the operative "QUYẾT ĐỊNH:" of a decision, not its title.
_TITLE_WORD = re.compile(r"^[\s*_#]*(" + "|".join(sorted((w.replace(" ", r"\s*") for w in _BY_WORD), key=len,
                                                           reverse=True)) + r")[\s*_.]*$")


def type_of_symbol(symbol: str | None) -> str | None:
    """Type from a number's symbol, the part after "/": "KH-UBND" -> KH; "2024/QĐ-UBND" -> QĐ;
    "UBND-VP" (no type code) -> CV; None when there is no symbol."""
    if not symbol:
        return None
    for part in re.split(r"[\s/\-–—]+", symbol.strip()):
        if not part or part.isdigit():
            continue
        code = _BY_CODE.get(part) or _BY_FOLDED.get(fold(part))
        return code or LETTER  # the first letters are the issuer: a letter has no type code
    return None


def type_of_title(line: str) -> str | None:
    """Type from a title line printing only the type word ("QUYẾT ĐỊNH" -> QĐ), else None."""
    m = _TITLE_WORD.match(fold(line))
    return _BY_GLUED["".join(m.group(1).split())] if m else None


def decide_type(title_type: str | None, symbol_type: str | None, has_subject_line: bool = False) -> str | None:
    """The document's type: the printed type word, else the number's code, else CV when a
    "V/v ..." subject line is printed, else None (unknown)."""
    return title_type or symbol_type or (LETTER if has_subject_line else None)


def is_plan(code: str | None) -> bool:
    """True for a plan and for a document of unknown type (many plans print no header)."""
    return code is None or code == PLAN
