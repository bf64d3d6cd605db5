"""Standard areas of state administrative reform (lĩnh vực cải cách hành chính).

The Chương trình tổng thể cải cách hành chính nhà nước 2021-2030 (Nghị quyết
76/NQ-CP, 15/7/2021) sets six reform areas; the PAR index (Chỉ số CCHC) and
every plan in the samples add "Công tác chỉ đạo, điều hành" as the first
group, so :data:`AREAS` has seven codes, in the order the plans print them.

No ``tuyen_truyen`` or ``kiem_tra`` area: no sample has such a group.
Communication (thông tin, tuyên truyền), self-inspection (tự kiểm tra) and the
PAR index itself are items of "Công tác chỉ đạo, điều hành" in the PAR index
and in the plans (002 II.7.đ "Đẩy mạnh công tác thông tin, tuyên truyền" sits
under II.7 "Công tác chỉ đạo, điều hành"), so they classify as
``chi_dao_dieu_hanh``.  ``chinh_phu_so`` covers the central name "Chính phủ
điện tử, Chính phủ số", the local "chính quyền điện tử, chính quyền số" and
the older "Hiện đại hóa hành chính" (the same area before Nghị quyết 76).

Classification
--------------
``classify_area`` folds the text (no diacritics, lower case), drops
punctuation and looks for area phrases (:data:`_PATTERNS`; e.g. "thủ tục
hành chính", "TTHC", "thủ tục HC", "một cửa" -> thu_tuc_hanh_chinh;
"văn bản quy phạm pháp luật", "thực thi pháp luật" -> the_che; "đội ngũ cán
bộ, công chức", "đạo đức công vụ" -> che_do_cong_vu; "công nghệ thông tin",
"chuyển đổi số", "hệ thống quản lý chất lượng" (TCVN ISO 9001, an item of
"Hiện đại hóa hành chính") -> chinh_phu_so).  One area named in a heading-length text (at most
14 words) -> that area.  Several -> the one whose phrase opens the text
(within its first three words, after numbering and "Công tác", "Nhiệm vụ",
"Đẩy mạnh", "Tăng cường", "Tiếp tục", "Nâng cao", "Thực hiện", "Triển khai":
headings name their area first, "Cải cách thủ tục hành chính (TTHC)"), else
``None``: "cải cách tổ chức bộ máy; cải cách chế độ công vụ" names no single
area.  A longer text is a sentence (a bullet, a task): it names an area only
when it opens with one (within five words), so "100% cán bộ lãnh đạo ...
được bồi dưỡng ... vị trí việc làm" under "Cải cách chế độ công vụ" does not
override its heading, while "Tăng cường công tác chỉ đạo, điều hành ..."
does.  "Cải cách hành chính" / "CCHC" alone is the whole programme,
not an area.

``area_of_path`` takes the headings from the outermost to the innermost and
returns the area of the innermost one that names a single area, so sections,
tasks and targets inherit the area of their ancestors ("II.1.a Chỉ tiêu" under
"II.1 Cải cách thể chế" -> the_che).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import MappingProxyType

from normalizers.text import fold

AREAS: MappingProxyType[str, str] = MappingProxyType({
    "chi_dao_dieu_hanh": "Công tác chỉ đạo, điều hành",
    "the_che": "Cải cách thể chế",
    "thu_tuc_hanh_chinh": "Cải cách thủ tục hành chính",
    "to_chuc_bo_may": "Cải cách tổ chức bộ máy hành chính nhà nước",
    "che_do_cong_vu": "Cải cách chế độ công vụ",
    "tai_chinh_cong": "Cải cách tài chính công",
    "chinh_phu_so": "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
})

# Phrases on the key (folded, punctuation -> space, single spaces).
_PATTERNS: dict[str, tuple[str, ...]] = {
    "chi_dao_dieu_hanh": (
        r"chi dao (?:va )?dieu hanh", r"lanh dao (?:va )?chi dao", r"cong tac (?:thong tin )?tuyen truyen",
        r"tuyen truyen (?:va )?(?:quan triet|pho bien)", r"(?:tu )?kiem tra (?:cong tac )?(?:cai cach hanh chinh|cchc)",
        r"chi so (?:cai cach hanh chinh|cchc|par)", r"par index", r"ke hoach (?:cai cach hanh chinh|cchc)",
    ),
    "the_che": (
        r"the che", r"van ban quy pham phap luat", r"vbqppl", r"qppl", r"xay dung (?:va to chuc thuc hien )?"
        r"(?:van ban )?phap luat", r"(?:thuc thi|thi hanh) phap luat",
    ),
    "thu_tuc_hanh_chinh": (
        r"thu tuc (?:hanh chinh|hc)", r"tthc", r"mot cua", r"phan anh kien nghi",
    ),
    "to_chuc_bo_may": (
        r"to chuc bo may", r"bo may (?:hanh chinh|nha nuoc)", r"bien che", r"vi tri viec lam",
        r"phan cap phan quyen",
    ),
    "che_do_cong_vu": (
        r"che do cong vu", r"cai cach che(?: \w{1,3})? cong vu", r"dao duc cong vu", r"hoat dong cong vu", r"doi ngu (?:can bo|cong chuc)",
        r"chat luong (?:doi ngu )?can bo cong chuc", r"dao tao boi duong", r"tien luong",
        r"ky luat ky cuong",
    ),
    "tai_chinh_cong": (
        r"tai chinh cong", r"co che tu chu", r"tu chu tai chinh", r"su nghiep cong lap",
        r"quy che chi tieu noi bo", r"tai san cong", r"cong khai ngan sach", r"thu chi ngan sach",
    ),
    "chinh_phu_so": (
        r"chinh (?:phu|quyen) (?:dien tu|so)", r"hien dai hoa (?:nen )?hanh chinh", r"chuyen doi so",
        r"cong nghe thong tin", r"cntt", r"dich vu cong truc tuyen", r"iso 9001", r"he thong quan ly chat luong",
        r"van ban dien tu", r"moi truong (?:dien tu|mang)", r"chu ky so",
    ),
}
_COMPILED = tuple(
    (area, re.compile(r"\b(?:" + "|".join(pats) + r")\b")) for area, pats in _PATTERNS.items()
)
assert tuple(a for a, _ in _COMPILED) == tuple(AREAS)

_LEAD = re.compile(
    r"^(?:(?:[ivxlc]+|\d+|[a-z])(?: \d+)* )?"
    r"(?:(?:cong tac|nhiem vu|linh vuc|ve|day manh|tang cuong|tiep tuc|nang cao|thuc hien|trien khai|xay dung|phat trien|va) )*")
_OPEN_WORDS = 3
_HEADING_WORDS = 14  # longer texts are sentences (bullets), not headings
_SENTENCE_OPEN_WORDS = 5


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def classify_area(text: str | None) -> str | None:
    """Code of the single reform area ``text`` names (a key of :data:`AREAS`), else ``None``; never raises."""
    if not isinstance(text, str):
        return None
    key = _key(text)
    if not key:
        return None
    hits: dict[str, int] = {}
    for area, pattern in _COMPILED:
        m = pattern.search(key)
        if m:
            hits[area] = m.start()
    if not hits:
        return None
    area, pos = min(hits.items(), key=lambda kv: kv[1])
    lead = _LEAD.match(key)
    if len(key.split()) > _HEADING_WORDS:  # a sentence: only an area it opens with
        opening = len(" ".join(key[lead.end():].split()[:_SENTENCE_OPEN_WORDS])) + lead.end()
        return area if pos <= opening else None
    if len(hits) == 1:
        return area
    opening = len(" ".join(key[lead.end():].split()[:_OPEN_WORDS])) + lead.end()
    return area if pos <= opening else None


def heading_area(text: str | None) -> str | None:
    """The area a group heading names -- a heading-length text without figures that opens with
    the area, after the words headings lead with or "Cải cách" ("Cải cách thể chế", "Công tác chỉ
    đạo, điều hành ...", "Xây dựng và phát triển Chính quyền điện tử ...") -- else ``None``.
    Stricter than :func:`classify_area`: a task naming an area further on is no heading."""
    if not isinstance(text, str) or any(ch.isdigit() for ch in text):
        return None
    key = _key(text)
    if not key or len(key.split()) > _HEADING_WORDS:
        return None
    lead = _LEAD.match(key).end()
    starts = {lead, lead + len("cai cach ")} if key.startswith("cai cach ", lead) else {lead}
    hits = [area for area, pattern in _COMPILED if (m := pattern.search(key)) and m.start() in starts]
    return hits[0] if len(hits) == 1 else None


_PROGRAMME = re.compile(r"\b(?:cai cach hanh chinh|cchc)\b")


def names_programme(text: str | None) -> bool:
    """Whether ``text`` names the reform programme as a whole ("cải cách hành chính", "CCHC")."""
    return isinstance(text, str) and bool(_PROGRAMME.search(_key(text)))


def named_areas(text: str | None) -> tuple[str, ...]:
    """Every area whose phrase occurs anywhere in ``text``, in order of first occurrence.
    Unlike :func:`classify_area` this reads whole sentences: "Tham mưu UBND xã thực hiện
    các nhiệm vụ về cải cách tài chính công" -> ("tai_chinh_cong",)."""
    if not isinstance(text, str):
        return ()
    key = _key(text)
    hits = [(m.start(), area) for area, pattern in _COMPILED if (m := pattern.search(key))]
    return tuple(area for _, area in sorted(hits))


def area_of_path(headings: Sequence[str | None]) -> str | None:
    """Area of the innermost heading (last item) that names one; ``headings`` run outermost first."""
    if isinstance(headings, str):
        headings = (headings,)
    for heading in reversed(list(headings or ())):
        area = classify_area(heading)
        if area is not None:
            return area
    return None
