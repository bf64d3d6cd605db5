"""Vocabulary of appendix tables (folded: lower case, no diacritics, đ -> d): header recognition through
:mod:`extractors.column_roles`, typed phrases that open cells (owners, dates, budgets, products),
outline heads ("2.1. Nhiệm vụ 1:")."""

from __future__ import annotations

import re

from typing import Sequence

from extractors.column_roles import header_role
from extractors.appendix.text import _fold, _is_roman, _join_text


# Words that point to one column whatever phrase they sit in.
_HEADER_ANCHORS = {
    "tt": "row_no", "stt": "row_no", "tri": "lead", "phoi": "support", "thoi": "deadline",
    "han": "deadline", "ghi": "note", "pham": "product", "kinh": "budget", "noi": "task",
    "nhiem": "task", "tieu": "objective", "hoat": "activity",
}

_OWNER_PREFIXES = (
    "van phong", "vp ", "vp.", "vp-", "ubnd", "uy ban", "hdnd", "cong chuc", "can bo", "phong ",
    "trung tam", "bo phan", "cac bo phan", "cac phong", "cac co quan", "co quan", "cac ban",
    "ban chi dao", "ban ", "ttpvhcc", "tt pvhcc", "tt.", "thu ky", "ngan hang", "chi cuc",
    "kho bac", "dai ", "cong an", "chu tich", "pho chu tich", "mat tran", "mttq", "doan ", "hoi ",
    "tu phap", "tai chinh", "van hoa", "dia chinh", "so ", "cac don vi", "don vi", "cac nganh",
    "to ", "truong ", "quan su", "lanh dao", "cac to chuc", "cac thon", "dang uy", "thuong truc",
    "tat ca", "cac doan", "cac hoi", "bch", "ctv", "ubmttq",
)
_DATE_PREFIXES = (
    "nam 20", "nam 19", "quy ", "q1", "q2", "q3", "q4", "thang ", "hang nam", "hang thang",
    "hang quy", "hang tuan", "hang ngay", "thuong xuyen", "trong nam", "trong thang", "trong quy",
    "cham nhat", "truoc ngay", "truoc thang", "truoc ", "sau khi", "dinh ky", "theo dinh ky",
    "theo ke hoach", "theo tien do", "tu nam", "tu 20", "tu thang", "tu ngay", "den nam", "den het",
    "giai doan", "ngay ", "6 thang", "9 thang", "lien tuc", "kip thoi", "ket hop bao cao", "khi co",
    "dat 100% den", "20",
)
_BUDGET_PREFIXES = (
    "theo quy", "ngan sach", "kinh phi", "du toan", "theo du toan", "nguon ", "tu nguon",
    "xa hoi hoa", "trong du toan", "ns ", "nsnn",
)
#: how budget phrases end (folded): a budget cell ending so is whole
_BUDGET_ENDS = ("quy dinh", "duoc giao", "thuong xuyen", "nha nuoc", "ngan sach xa", "ngan sach huyen",
                "ngan sach tinh", "hop phap", "hop phap khac", "xa hoi hoa", "cap xa", "cap huyen", "cap tinh")
#: a word a budget cell holds ("Ngân sách xã", "Trong dự toán được giao", "Theo quy định",
#: "Nguồn vốn sự nghiệp", "Xã hội hóa", "Lồng ghép các chương trình", "Không", "50 triệu
#: đồng"; folded text): a budget cell with none is another column's text
_BUDGET_WORD_RE = re.compile(
    r"\b(?:ngan|sach|kinh|phi|du toan|toan|nguon|von|xa hoi hoa|long ghep|khong|theo|quy dinh"
    r"|ns\w*|tu chu|dong|trieu|ty|tai tro|ho tro|dau tu|phan cap|bo tri|bao dam|dam bao|duoc giao)\b")
_PRODUCT_PREFIXES = (
    "ke hoach", "ke hach", "bao cao", "quyet dinh", "van ban", "cac van ban", "cong van",
    "danh sach", "danh muc", "ho so", "to trinh", "nghi quyet", "de an", "ket qua", "sang kien",
    "phieu", "thong bao", "tin/", "tin,", "tin bai", "cac tin", "mau ", "he thong", "quy che",
    "chuong trinh", "giay", "bien ban", "khau hieu", "ty le", "so lieu", "tai lieu", "phan mem",
    "chuyen muc", "cac bao cao", "cac thu tuc", "thu tuc", "muc phi", "dua vao", "ke hoach,",
    "100%", "cong bo",
)
_VERB_PREFIXES = (
    "xay dung", "thuc hien", "trien khai", "to chuc", "ra soat", "ban hanh", "tham muu",
    "tiep nhan", "kiem tra", "tang cuong", "nang cao", "cap nhat", "tham gia", "hoan thien",
    "danh gia", "cong khai", "co giai phap", "su dung", "khai thac", "huong dan", "duy tri",
    "dang tai", "dieu tra", "lap ", "thong ke", "tich hop", "phat dong", "chuyen doi", "khao sat",
    "theo doi", "tuyen truyen", "dao tao", "boi duong", "giai quyet", "day manh", "ap dung",
    "cung cap", "tiep tuc", "dam bao", "chuan hoa", "phan anh", "tuan thu", "so hoa", "danh ma",
    "quan ly", "xin loi", "hoan thanh", "ung dung", "nghien cuu", "ket noi", "rut kinh nghiem",
)


def _prefix_re(prefixes: Sequence[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(p) for p in prefixes}, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(alts) + r")")


_OWNER_RE = _prefix_re(_OWNER_PREFIXES)
_DATE_RE = re.compile(
    _prefix_re(_DATE_PREFIXES).pattern
    + r"|^\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|^(?:19|20)\d\d\b|^q\s*[ivx1-4]\b"
)
# A lone "Theo" ending a line is the start of "Theo quy định …" wrapped onto the next line.
_BUDGET_RE = re.compile(_prefix_re(_BUDGET_PREFIXES).pattern + r"|^theo$")
_PRODUCT_RE = _prefix_re(_PRODUCT_PREFIXES)
_VERB_RE = _prefix_re(_VERB_PREFIXES)
# Any typed phrase that can open a cell in mid-line (owner, budget, product, date wording).
_ALPHA_CUE_RE = re.compile(
    "|".join(f"(?:{rx.pattern})" for rx in (_OWNER_RE, _BUDGET_RE, _PRODUCT_RE, _DATE_RE))
)

_HEAD_KEYWORDS = (("objective", r"muc\s*tieu"), ("task", r"nhiem\s*vu"), ("activity", r"hoat\s*dong"))
_HEAD_RES = tuple(
    (
        col,
        re.compile(
            r"^(?:\d+(?:\s*\.\s*\d+)+\s*[.:]?\s*(?:" + kw + r")\b"
            r"|(?:\d+\s*[.:]\s*)?(?:" + kw + r")\s*\d+\s*[:.])"
        ),
    )
    for col, kw in _HEAD_KEYWORDS
)
_HEAD_SEARCH_RE = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)+\s*[.:]?\s*(?:muc\s*tieu|nhiem\s*vu|hoat\s*dong)\s*\d*\s*[:.]"
)
_NUM_RE = re.compile(r"^\d{1,3}[.)]?$")
_LEAD_NUM_RE = re.compile(r"^(\d{1,3})[.)]?\s+(?=\S)")
_UNIT_AFTER_NUM_RE = re.compile(r"^(?:thang|nam|quy|ngay|lan|tuan|gio|%|phut|ky|dot|buoi)\b")
_GROUP_RE = re.compile(r"^\s*([IVXL]{1,6})\s*[.)]?\s*[|:]?\s+(\S.*)$")
_NOI_NHAN_RE = re.compile(r"^\s*noi nh[a-z]n\b")
_PHU_LUC_RE = re.compile(r"^\s*\**\s*phu luc\b")
_SIGN_RE = re.compile(
    r"^\s*\**\s*(?:tm\.?\s|t/m|kt\.?\s|q\.\s|chu tich\b|pho chu tich\b|uy ban nhan dan\b|ubnd\b"
    r"|\(da ky|\(ky|nguoi ky|\(kem theo|kem theo\b)"
)

_INF = 1e9

_WORD_RE = re.compile(r"[a-z0-9]+")
_BULLET_RE = re.compile(r"^[-+•*]\s*(?=[a-z])")
_OUTLINE_RE = re.compile(r"^\d+(?:\.\d+)+[.:]?\s")
_BAR_RE = re.compile(r"\|")
_WORD_START_RE = re.compile(r"(?<=\s)(?=\S)")
_DATE_TAIL_RE = re.compile(r"[0-9ivx]+\b")
_YEAR_RANGE_RE = re.compile(r"^(?:19|20)\d\d\s*-\s*(?:19|20)\d\d")

_KIND = {
    "row_no": "num",
    "objective": "text",
    "task": "text",
    "activity": "text",
    "product": "product",
    "lead": "owner",
    "support": "owner",
    "monitor": "owner",
    "deadline": "date",
    "budget": "budget",
    "note": "note",
}
_OUTLINE = ("objective", "task", "activity")


def _words(folded: str) -> list[str]:
    return _WORD_RE.findall(folded)


def _valid_header(cols: list[str] | None) -> bool:
    if not cols or len(cols) < 3 or len(set(cols)) != len(cols):
        return False
    has_text = any(c in cols for c in ("objective", "task", "activity"))
    has_meta = any(c in cols for c in ("lead", "support", "deadline", "product"))
    return has_text and has_meta


#: the columns a two-level header's top cell stands over ("Trách nhiệm thực hiện" over "Chủ
#: trì" | "Phối hợp"), in their order
TWO_LEVEL_COLUMNS = ("lead", "support")


def header_cell_column(text: str) -> str | None:
    """The canonical column one header cell names ("Cơ quan chủ trì" -> ``"lead"``), or None:
    :func:`extractors.column_roles.header_role` with header words only (a cell cut from a
    printed line may be half a cell)."""
    return header_role(text, strict=True)


def is_valid_header(cols: Sequence[str]) -> bool:
    """Whether a column sequence is an appendix header (>= 3 distinct columns, a text column
    and a meta column)."""
    return _valid_header(list(cols))


def join_cell_text(pieces: Sequence[str]) -> str:
    """Join the wrapped lines of one cell: a space between lines, none after an in-word hyphen."""
    return _join_text(pieces)


def is_roman(token: str) -> bool:
    """Whether ``token`` is an upper-case roman numeral (group numbers "I", "IV", ...)."""
    return _is_roman(token)


def is_outline_head(text: str, col: str) -> bool:
    """Whether ``text`` opens with a numbered outline head of ``col`` ("1.2. Mục tiêu 2:",
    "2.1. Nhiệm vụ 1:", "3.4: Hoạt động 4:"); ``col`` is objective, task or activity."""
    rx = dict(_HEAD_RES).get(col)
    return bool(rx is not None and rx.match(_fold(text).strip()))
