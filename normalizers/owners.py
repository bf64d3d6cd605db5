"""Responsible bodies (cơ quan chủ trì / phối hợp): split a cell, name each body once.

``split_owners`` cuts a table cell or a phrase into the bodies it lists;
``canonical_owner`` maps one printed name to an :class:`OwnerRef` with a stable
display name, a key, a kind, a level and a "generic group" flag.

Canonical names
---------------
1. Clean the surface (``_clean``, applied until it no longer changes, so that
   ``canonical_owner(canonical_owner(x).name).name == canonical_owner(x).name``):
   NFC, white space collapsed, old-style tone marks moved ("Uỷ", "hoá" ->
   "Ủy", "hóa"), parentheticals dropped ("UBND huyện (Phòng Nội vụ)"), a
   trailing description after ":" dropped, leading bullets, numbering and
   verbs ("Đề nghị", "Phối hợp với") dropped, every dash with its spaces
   written " - " ("HĐND-UBND", "HĐND -UBND", "Văn hóa – Xã hội"), long forms
   contracted to the abbreviations plans print most ("Ủy ban nhân dân" ->
   "UBND", "Hội đồng nhân dân" -> "HĐND", "Mặt trận Tổ quốc" -> "MTTQ"),
   other abbreviations expanded ("VP" -> "Văn phòng", "TTPVHCC" -> "Trung tâm
   Phục vụ hành chính công", "PCT" -> "Phó Chủ tịch", "TT" -> "Thường trực"
   before ĐU/HĐND/Đảng ủy and "Thông tin" after "Văn hóa -", "CC" ->
   "Công chức" only as the first word, since "CC" alone is ambiguous),
   doubled words dropped ("UBND xã xã"), first letter upper-cased.
2. Look the folded, punctuation-free key up in a small curated registry
   (``_REGISTRY``, read from the analyst-editable ``normalizers/data/owners.csv``;
   its header says how to add a body or an alias).  Plans are commune plans, so for commune (``xa``) bodies a
   trailing "xã" is optional in both directions ("Văn phòng HĐND - UBND" =
   "VP HĐND-UBND xã" = "Văn phòng HĐND - UBND xã"), and for commune civil
   servants the word "Công chức" is optional ("Tư pháp - Hộ tịch" = "Công
   chức Tư pháp – Hộ tịch").  The canonical name is the registry's, which
   keeps "xã" where the plans usually print it ("Văn phòng HĐND - UBND xã")
   and not where they don't ("Công chức Tư pháp - Hộ tịch").
   "Văn phòng UBND xã" (the older office) stays distinct from "Văn phòng HĐND
   - UBND xã", and "Công chức Văn hóa - Thông tin" from "Công chức Văn hóa -
   Xã hội": the plans use both and they need not be the same person.
3. Otherwise fuzzy-match the key against every registry alias with
   ``rapidfuzz.fuzz.token_sort_ratio`` (folded text, so diacritic typos such
   as "Hộ tich" are already equal) at ``FUZZY_THRESHOLD`` = 90, and only
   accept a candidate that also passes token-aware guards: same head noun
   ("Phòng ..." never becomes "Công chức ..."), no conflicting level word,
   same numbers, and every word on either side has a near twin on the other
   (ratio >= 75) or is a filler ("xã", "các", "của", "thuộc", "cấp").
   Why 90: true variants left after cleaning are one- or two-letter typos
   ("phụ vụ", "Trung tâm Phục vụ hành chính cộng") that score 93-98, while the
   closest distinct pairs score below 90 ("Văn phòng UBND xã" vs "Văn phòng
   HĐND - UBND xã" = 87, "Chủ tịch UBND xã" vs "Phó Chủ tịch UBND xã" = 89);
   the word guard then blocks pairs that differ by a whole word.
4. Unknown surfaces become their own canonical owner: name = cleaned surface.
5. Within one document, :func:`resolve_owners` also uses the bodies the plan
   names in "Tổ chức thực hiện" (truncated cells, OCR misspellings, the one
   commune office); see its docstring.  ``CONTEXT_THRESHOLD`` = 80 was measured
   on a hand-labelled list of sample surfaces (tests/normalizers/test_owners.py):
   precision 1.0 from 70 to 95, recall 6/6 up to 80 and 5/6 at 85.

Kind (``OWNER_KINDS``) comes from the registry or, for unknown names, from the
head noun: "Công chức"/"Cán bộ" -> cong_chuc; "Phòng" -> phong; "Văn phòng" ->
van_phong; "Trung tâm" -> trung_tam; "Ban" -> ban; "Chủ tịch", "Phó Chủ tịch",
"Lãnh đạo", "Thường trực", "Đảng ủy", "UBND xã" -> lanh_dao; MTTQ, "Mặt trận",
"Đoàn", "Hội" (not "Hội đồng"), "(các) tổ chức chính trị - xã hội", "đoàn
thể" -> to_chuc_doan_the; "Sở", "Bộ", "UBND huyện/tỉnh", "Chi cục", "Kho bạc"
-> cap_tren; "Bộ phận" -> bo_phan; vague groups ("Các bộ phận liên quan",
"Các phòng chuyên môn", "Các cơ quan, đơn vị liên quan", "Các ban, ngành")
-> generic; anything else -> other.  Registry exceptions on purpose: "Văn
phòng - Thống kê" is the commune civil-servant title, so cong_chuc.

``generic`` is True for plural or "whoever is concerned" groups: kind generic,
and also groups of a definite kind ("Các tổ chức chính trị - xã hội",
"Cán bộ, công chức xã").

Level (``OWNER_LEVELS``): a level word printed in the name wins ("huyện" ->
huyen; "tỉnh"/"thành phố" or a "Sở" head -> tinh; a "Bộ"/"Chính phủ" head ->
trung_uong; "xã"/"phường"/"thị trấn" -> xa; "xã hội", "thị xã", "hợp tác xã"
are not level words); else the registry's level; else, because these are
commune plans, ``xa`` for commune-internal kinds (cong_chuc, van_phong,
bo_phan, ban, trung_tam, lanh_dao, to_chuc_doan_the, generic groups of
"bộ phận"/"phòng"/"ban"); ``None`` for an unknown "Phòng ..." (district
offices like "Phòng Nội vụ" and the 2025 commune offices share the word),
for "cơ quan, đơn vị" groups, and for kinds other/cap_tren.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz, process
from unidecode import unidecode

from normalizers.encodings import is_valid_syllable
from normalizers.text import collapse_ws, fold, new_tone_place

OWNER_KINDS = (
    "cong_chuc", "phong", "van_phong", "trung_tam", "ban", "lanh_dao", "to_chuc_doan_the", "cap_tren", "bo_phan",
    "generic", "other",
)
OWNER_LEVELS = ("xa", "huyen", "tinh", "trung_uong", None)

FUZZY_THRESHOLD = 90
_TOKEN_TWIN = 75  # fuzz.ratio for two words to count as typo twins ("tich"/"tic")


@dataclass(frozen=True, slots=True)
class OwnerRef:
    surface: str  # as printed (NFC, whitespace collapsed)
    name: str  # canonical display name
    key: str  # folded canonical name, non-alphanumerics -> "_"
    kind: str  # one of OWNER_KINDS
    level: str | None  # one of OWNER_LEVELS
    generic: bool  # vague group ("Các bộ phận liên quan")


# --------------------------------------------------------------------------- registry

# (canonical name, kind, level, generic, aliases), read from the analyst-editable
# ``normalizers/data/owners.csv`` (see its header).  Aliases are cleaned like any
# surface, so they are written as printed; "xã" / "Công chức" variants are derived.
REGISTRY_FILE = "data/owners.csv"


def _load_registry() -> tuple[tuple[str, str, str | None, bool, tuple[str, ...]], ...]:
    text = resources.files("normalizers").joinpath(REGISTRY_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if line.strip() and not line.startswith("#"))
    out = []
    for r in rows:
        name = unicodedata.normalize("NFC", r["name"].strip())
        kind, level = r["kind"].strip(), (r["level"] or "").strip() or None
        if kind not in OWNER_KINDS or level not in OWNER_LEVELS or not name:
            raise ValueError(f"{REGISTRY_FILE}: bad row {r!r} (kind in {OWNER_KINDS}, level in {OWNER_LEVELS})")
        aliases = tuple(unicodedata.normalize("NFC", a.strip()) for a in (r["aliases"] or "").split("|") if a.strip())
        out.append((name, kind, level, r["generic"].strip() in ("1", "true", "True"), aliases))
    return tuple(out)


_REGISTRY: tuple[tuple[str, str, str | None, bool, tuple[str, ...]], ...] = _load_registry()


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    kind: str
    level: str | None
    generic: bool


# --------------------------------------------------------------------------- cleaning

_DASH = "-–—‑−‐"
_PAREN = re.compile(r"\([^()]*\)")
_LEAD_JUNK = re.compile(
    r"^(?:[" + re.escape(_DASH) + r"+•*·●▪.,;:/\s]+|\d+(?:\.\d+)*[.)]\s*|[a-zđ]\)\s*|[IVX]+[.)]\s+)"
)
_LEAD_WORDS = re.compile(r"^(?:đề nghị|phối hợp với|phối hợp|chủ trì|trách nhiệm của|qua|với|và|hoặc)\s+", re.I)
_TRAIL_JUNK = re.compile(r"[\s" + re.escape(_DASH) + r".,;:/+&]+$")
_DASH_RE = re.compile(r"\s*[" + re.escape(_DASH) + r"]+\s*")

# (pattern, replacement) applied in order on the cleaned display text.
_REWRITES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\bỦy ban nhân dân\b", re.I), "UBND"),
    (re.compile(r"\bHội đồng nhân dân\b", re.I), "HĐND"),
    (re.compile(r"\bMặt trận\s*(?:-\s*)?Tổ quốc\b", re.I), "MTTQ"),
    (re.compile(r"\bUBMTTQ\b"), "Ủy ban MTTQ"),
    (re.compile(r"\bTTPVHCC\b"), "Trung tâm Phục vụ hành chính công"),
    (re.compile(r"\bPVHCC\b"), "Phục vụ hành chính công"),
    (re.compile(r"\bVP\b"), "Văn phòng"),
    (re.compile(r"\bTT\s*\.?\s+(?=(?:ĐU|Đảng ủy|HĐND|UBND)\b)"), "Thường trực "),
    (re.compile(r"(?<=\bVăn hóa - )TT\b"), "Thông tin"),
    (re.compile(r"\bĐU\b"), "Đảng ủy"),
    (re.compile(r"\bPCT\b"), "Phó Chủ tịch"),
    (re.compile(r"^CT\b(?= UBND\b|$)"), "Chủ tịch"),
    (re.compile(r"\bLĐ\b"), "Lãnh đạo"),
    (re.compile(r"\bCBCC\b"), "Cán bộ, công chức"),
    (re.compile(r"^CC\b(?=\s+\S)"), "Công chức"),
    (re.compile(r"\bBCH\b"), "Ban Chỉ huy"),
    (re.compile(r"\bBCĐ\b"), "Ban Chỉ đạo"),
    (re.compile(r"\bKBNN\b"), "Kho bạc Nhà nước"),
    (re.compile(r"\bĐPT\b"), "Đài Phát thanh"),
    (re.compile(r"(?:\bTrang\s+)?\bTTĐT\b"), "Trang thông tin điện tử"),
    (re.compile(r"\b1 cửa\b", re.I), "một cửa"),
)
_DUP_WORD = re.compile(r"\b(\w+)(\s+\1\b)+", re.I)


def _clean_once(s: str) -> str:
    s = collapse_ws(unicodedata.normalize("NFC", s))
    s = new_tone_place(s)
    # Parentheses: drop balanced groups, then anything from an unclosed "(" and stray ")".
    prev = None
    while prev != s:
        prev, s = s, _PAREN.sub(" ", s)
    if "(" in s:
        s = s[: s.index("(")]
    s = s.replace(")", " ")
    if ":" in s:  # "Văn phòng UBND xã: Là công chức phụ trách ..." -> the name only
        head = s[: s.index(":")]
        if any(c.isalnum() for c in head):
            s = head
    s = collapse_ws(s)
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_JUNK.sub("", s)
        s = _LEAD_WORDS.sub("", s)
    s = _TRAIL_JUNK.sub("", s)
    s = _DASH_RE.sub(" - ", s)
    s = _TRAIL_JUNK.sub("", _LEAD_JUNK.sub("", s))
    for pat, rep in _REWRITES:
        s = pat.sub(rep, s)
    s = _DUP_WORD.sub(r"\1", s)
    s = collapse_ws(s)
    if s[:1].islower():
        s = s[0].upper() + s[1:]
    return unicodedata.normalize("NFC", s)


def _clean(s: str) -> str:
    """Display form of a surface; iterated to a fixed point so it is idempotent."""
    for _ in range(8):
        t = _clean_once(s)
        if t == s:
            return t
        s = t
    return s


def _norm_key(s: str) -> str:
    """Folded, punctuation-free, single-spaced text used for lookups ("Hộ tịch" == "Ho tich")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(s)).split())


# --------------------------------------------------------------------------- heads, kinds, levels

# Head nouns (normalized keys), longest first where one is a prefix of another.
_HEADS: tuple[tuple[str, str], ...] = (
    ("cac to chuc chinh tri", "to_chuc_doan_the"), ("to chuc chinh tri", "to_chuc_doan_the"),
    ("cac doan the", "to_chuc_doan_the"), ("doan the", "to_chuc_doan_the"), ("cac hoi", "to_chuc_doan_the"),
    ("cac to chuc doan the", "to_chuc_doan_the"),
    ("cac pho chu tich", "lanh_dao"),
    ("cac", "generic"),
    ("van phong", "van_phong"), ("cong chuc", "cong_chuc"), ("can bo", "cong_chuc"), ("vien chuc", "cong_chuc"),
    ("phong", "phong"), ("trung tam", "trung_tam"), ("bo phan", "bo_phan"), ("to tiep nhan", "bo_phan"),
    ("to mot cua", "bo_phan"),
    ("pho chu tich", "lanh_dao"), ("chu tich", "lanh_dao"), ("lanh dao", "lanh_dao"), ("thuong truc", "lanh_dao"),
    ("dang uy", "lanh_dao"), ("bi thu", "lanh_dao"), ("pho bi thu", "lanh_dao"), ("nguoi dung dau", "lanh_dao"),
    ("thu truong", "lanh_dao"),
    ("uy ban mttq", "to_chuc_doan_the"), ("mttq", "to_chuc_doan_the"), ("uy ban mat tran", "to_chuc_doan_the"),
    ("mat tran", "to_chuc_doan_the"), ("doan thanh nien", "to_chuc_doan_the"), ("doan kiem tra", "other"),
    ("doan", "to_chuc_doan_the"),
    ("cong doan", "to_chuc_doan_the"), ("chi hoi", "to_chuc_doan_the"), ("hoi dong", "other"),
    ("hoi", "to_chuc_doan_the"), ("ban cong tac mat tran", "to_chuc_doan_the"),
    ("ubnd", "ubnd"), ("hdnd", "other"), ("so", "cap_tren"), ("bo", "cap_tren"), ("chinh phu", "cap_tren"),
    ("thu tuong", "cap_tren"), ("chi cuc", "cap_tren"), ("cuc", "cap_tren"), ("kho bac", "cap_tren"),
    ("tinh uy", "cap_tren"), ("huyen uy", "cap_tren"), ("thanh uy", "cap_tren"),
    ("ban", "ban"),
    ("dai", "other"), ("trang", "other"), ("thu ky", "other"), ("cong an", "other"), ("ngan hang", "other"),
    ("tram", "other"), ("truong", "other"), ("to", "other"), ("quan su", "other"), ("buu dien", "other"),
    ("hop tac xa", "other"), ("thon", "other"), ("doanh nghiep", "other"),
)
_HEAD_KEYS = tuple(sorted(_HEADS, key=lambda h: len(h[0]), reverse=True))
_HEAD_KIND = dict(_HEADS)
_GENERIC_NOUNS = frozenset(
    "bo phan|phong|co quan|don vi|ban|nganh|ca nhan|dia phuong|thanh vien|to chuc|doan the|cong chuc|can bo|vien chuc|"
    "doanh nghiep|nguoi dan|thon|to dan pho|hoi|doan".split("|")
)
_GENERIC_QUALIFIERS = ("co lien quan", "lien quan", "chuyen mon", "truc thuoc", "thuoc ubnd xa", "cap xa", "xa")
_LEVEL_WORDS = (
    ("trung_uong", re.compile(r"\b(?:trung uong|chinh phu|thu tuong|quoc hoi)\b")),
    ("tinh", re.compile(r"\b(?:tinh|thanh pho)\b")),
    ("huyen", re.compile(r"\b(?:huyen|thi xa)\b")),
    ("xa", re.compile(r"(?<!\bthi )(?<!\bhop tac )(?<!\bdia )\b(?:xa|phuong|thi tran)\b(?! hoi\b)")),
)
_COMMUNE_KINDS = frozenset({"cong_chuc", "van_phong", "bo_phan", "ban", "trung_tam", "lanh_dao", "to_chuc_doan_the"})


def _head(key: str) -> str | None:
    for head, _ in _HEAD_KEYS:
        if key == head or key.startswith(head + " "):
            return head
    return None


def _level_word(key: str) -> str | None:
    """First level word printed in the name, in reading order."""
    best: tuple[int, str] | None = None
    for level, pat in _LEVEL_WORDS:
        m = pat.search(key)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), level)
    return best[1] if best else None


def _is_vague(key: str) -> bool:
    """'các ban, ngành', 'bộ phận liên quan', 'các cơ quan, đơn vị có liên quan' ..."""
    k = key
    if k.startswith("cac "):
        k = k[4:]
    elif not k.endswith("lien quan"):
        return False
    changed = True
    while changed:
        changed = False
        for q in _GENERIC_QUALIFIERS:
            if k == q:
                return False
            if k.endswith(" " + q):
                k, changed = k[: -len(q) - 1], True
    words = k.split()
    i = 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        three = " ".join(words[i:i + 3])
        if three in _GENERIC_NOUNS:
            i += 3
        elif two in _GENERIC_NOUNS:
            i += 2
        elif words[i] in _GENERIC_NOUNS:
            i += 1
        else:
            return False
    return True


def _infer(key: str) -> tuple[str, str | None, bool]:
    """Kind, level and generic flag of a name outside the registry."""
    head = _head(key)
    kind = _HEAD_KIND.get(head, "other") if head else "other"
    vague = _is_vague(key)
    rest = key[len(head) + 1:] if head and len(key) > len(head) else ""
    if head == "cac":  # "Các X": the kind of X, or generic for vague/unknown X
        sub = _head(rest) if rest else None
        kind = "generic" if vague or sub is None else _HEAD_KIND.get(sub, "other")
    level_word = _level_word(key)
    if head == "ubnd" or kind == "ubnd":
        kind = "cap_tren" if level_word in ("huyen", "tinh", "trung_uong") else "lanh_dao"
    if kind == "other" and head == "hdnd" and level_word in ("huyen", "tinh"):
        kind = "cap_tren"
    if vague and head != "cac" and kind not in ("to_chuc_doan_the",):
        kind = "generic"
    if head == "so":
        level = "tinh"
    elif head == "bo" or head in ("chinh phu", "thu tuong"):
        level = "trung_uong"
    elif level_word is not None:
        level = level_word
    elif kind in _COMMUNE_KINDS:
        level = "xa"
    elif kind == "generic":
        level = None if re.search(r"\b(?:co quan|don vi)\b", key) and not re.search(r"\bbo phan\b", key) else "xa"
    else:
        level = None
    generic = kind == "generic" or vague or key.startswith("cac ") or key.startswith("can bo cong chuc")
    return kind, level, generic


# --------------------------------------------------------------------------- index and matching

_XA_TAILS = (" xa", " cap xa", " thuoc ubnd xa")


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, _Entry], tuple[str, ...]]:
    """(lookup key -> entry, sorted keys for the fuzzy step); derived keys never override explicit ones."""
    exact: dict[str, _Entry] = {}
    derived: dict[str, _Entry | None] = {}
    for name, kind, level, generic, aliases in _REGISTRY:
        entry = _Entry(name, kind, level, generic)
        for alias in (name, *aliases):
            k = _norm_key(_clean(alias))
            if k in exact and exact[k] != entry:
                raise ValueError(f"owner alias {alias!r} is ambiguous")
            exact[k] = entry
    for k, entry in list(exact.items()):
        variants = set()
        if entry.level == "xa":
            for tail in _XA_TAILS:
                if k.endswith(tail) and len(k) > len(tail):
                    variants.add(k[: -len(tail)])
            if not k.endswith(" xa"):
                variants.add(k + " xa")
        if entry.kind == "cong_chuc" and not entry.generic:
            if k.startswith("cong chuc "):
                variants.add(k[len("cong chuc "):])
            else:
                variants.add("cong chuc " + k)
        more = set()
        for v in variants:  # both rules together: "Tư pháp - Hộ tịch xã"
            if entry.level == "xa" and not v.endswith(" xa"):
                more.add(v + " xa")
        for v in variants | more:
            if v in exact:
                continue
            if v in derived and derived[v] != entry:
                derived[v] = None  # two bodies claim it: leave it to the fuzzy step / unknown
            else:
                derived[v] = entry
    for v, entry in derived.items():
        if entry is not None:
            exact[v] = entry
    return exact, tuple(sorted(exact))


_FILLER_WORDS = frozenset({"xa", "cac", "cua", "thuoc", "cap", "co", "va"})


def _words_align(a: list[str], b: list[str], twin: float = _TOKEN_TWIN) -> bool:
    """Every word of ``a`` is in ``b``, a filler, or a typo twin of a word in ``b``."""
    bs = set(b)
    for w in a:
        if w in bs or w in _FILLER_WORDS:
            continue
        if len(w) < 3 or not any(len(x) >= 3 and fuzz.ratio(w, x) >= twin for x in b):
            return False
    return True


def _fuzzy(key: str) -> _Entry | None:
    exact, choices = _index()
    if len(key) < 4:
        return None
    head = _head(key)
    level_word = _level_word(key)
    digits = re.findall(r"\d+", key)
    hits = process.extract(key, choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_THRESHOLD, limit=8)
    for choice, _score, _ in sorted(hits, key=lambda h: (-h[1], h[0])):
        entry = exact[choice]
        if _head(choice) != head:
            continue
        if level_word is not None and level_word != entry.level:
            continue
        if re.findall(r"\d+", choice) != digits:
            continue
        kw, cw = key.split(), choice.split()
        if _words_align(kw, cw) and _words_align(cw, kw):
            return entry
    return None


@lru_cache(maxsize=16384)
def name_rest(surface: str) -> int | None:
    """How many words a registered body's name (or alias) has beyond ``surface`` when ``surface``
    spells its beginning word for word ("Chủ tịch" of "Chủ tịch UBND xã": 2; "Các ban, ngành,
    đoàn" of "Các ban, ngành, đoàn thể xã": 2), the fewest over the names it begins; 0 for a
    whole name; None when it begins none (a body outside the registry, a misspelt one, not a
    body).  A cell printed over several lines may be cut after any of its words, so this tells
    a name's rest still to come."""
    key = _name_key(surface)
    if not key:
        return None
    exact, keys = _index()
    if key in exact:
        return 0
    n = len(key.split())
    i = bisect.bisect_left(keys, key + " ")
    rest = None
    while i < len(keys) and keys[i].startswith(key + " "):
        extra = len(keys[i].split()) - n
        rest = extra if rest is None else min(rest, extra)
        i += 1
    return rest


def extends_name(cell: str, more: str) -> bool:
    """Whether ``more`` goes on the body's name ``cell`` begins: together they spell more words
    of a registered name, or a whole one (:func:`name_rest`: "Chủ tịch" + "UBND xã", "Các ban,
    ngành, đoàn" + "thể xã"; not "UBND xã" + "xã")."""
    joined = f"{cell} {more}"
    return (name_rest(cell) is not None and name_rest(joined) is not None
            and len(_name_key(joined).split()) > len(_name_key(cell).split()))


def cut_short(surface: str) -> bool:
    """Whether a body's name stops inside a word of it: it spells the beginning of registered
    names whose next word is in lower case -- the rest of a compound ("Các ban, ngành, đoàn" |
    "thể xã", "Các cơ quan, đơn vị liên" | "quan", "Trưởng các" | "thôn") -- and ends on a word
    no registered name ends on; or it ends on a dash, a comma or "và" ("Công chức Tư pháp –",
    "UBMTTQ và").  A name short of a capitalised rest is a name written short ("Văn phòng" of
    "Văn phòng HĐND-UBND xã", "Công chức Văn phòng" of "... – Thống kê"), not cut."""
    text = collapse_ws(unicodedata.normalize("NFC", surface or "")).strip()
    if not text:
        return False
    if text[-1] in "-–—," or fold(text).split()[-1] == "va":
        return True
    key = _name_key(text)
    if not key or not name_rest(text) or key.split()[-1] in _name_ends():
        return False
    nexts = _next_words(key)
    return bool(nexts) and all(w[:1].islower() for w in nexts)


def opens_name(words: Sequence[str]) -> bool:
    """Whether ``words`` spell, as written (case kept), the first words of a registered name or
    alias ("Công chức Địa", "Văn phòng"; not "phòng", "chức Địa")."""
    want = tuple(re.findall(r"[^\W_]+", " ".join(words)))
    return bool(want) and any(written[:len(want)] == want for _, written in _written_words())


@lru_cache(maxsize=16384)
def cut_head(surface: str) -> bool:
    """Whether a body's name is the rest of a registered name whose beginning went elsewhere:
    it spells the last words of a registered name, begins none, and names no body of a known
    kind ("ngành, đoàn thể xã" of "Các ban, ngành, đoàn thể xã", "pháp – Hộ tịch", "thể xã",
    "HĐND-UBND xã" of "Văn phòng HĐND-UBND xã"; "phòng UBND xã" opens on a kind's noun in lower
    case: the rest of "Văn phòng UBND xã").  Short names the registry holds ("UBND xã",
    "Văn hóa – Xã hội") and groups of bodies ("các thôn", "đoàn thể") are no rests."""
    text = collapse_ws(unicodedata.normalize("NFC", surface or "")).strip()
    key = _name_key(text)
    if not key or name_rest(text) is not None or key not in _name_tails():
        return False
    ref = canonical_owner(text)
    # a group ("các thôn"), or a kind the name's own first word tells ("đoàn thể"), except
    # a lower-case head noun, which opens no name ("phòng UBND xã" of "Văn phòng UBND xã")
    return not ref.generic and (ref.kind == "other" or text[:1].islower() and ref.kind != "to_chuc_doan_the"
                                and ref.kind == _HEAD_KIND.get(key.split()[0]))


@lru_cache(maxsize=1)
def _name_tails() -> frozenset[str]:
    """The lookup keys of the proper word-suffixes of the registry's names and aliases, as
    written and as looked up ("nhân dân xã" of "Ủy ban nhân dân xã", whose key is "ubnd xa")."""
    out = set()
    for key, written in _written_words():
        out.update(" ".join(key.split()[i:]) for i in range(1, len(key.split())))
        out.update(_name_key(" ".join(written[i:])) for i in range(1, len(written)))
    return frozenset(out - {""})


@lru_cache(maxsize=1)
def _name_ends() -> frozenset[str]:
    """The last words (lookup keys) of the registry's names and aliases, but the words that
    join a name's parts ("các", "và", "của": a lookup key may end on one, "UBND các" of "UBND
    các xã, thị trấn"; a name as printed does not)."""
    return frozenset(k.split()[-1] for k in _index()[0] if k) - _JOINING_WORDS


_JOINING_WORDS = frozenset({"cac", "va", "cua", "nhung"})


@lru_cache(maxsize=1)
def _written_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(lookup key, words as written) of every registry phrase."""
    return tuple((_name_key(p), tuple(re.findall(r"[^\W_]+", p))) for p in registry_phrases())


def _next_words(key: str) -> set[str]:
    """The word, as written, that follows ``key`` in the registry phrases it begins."""
    n = len(key.split())
    return {words[n] for k, words in _written_words()
            if k.startswith(key + " ") and len(words) > n and len(k.split()) == len(words)}


def _name_key(surface: str) -> str:
    return _norm_key(_clean(collapse_ws(unicodedata.normalize("NFC", surface or ""))))


def _make_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", unidecode(fold(name)).lower()).strip("_")


@lru_cache(maxsize=4096)
def _resolve(clean: str) -> tuple[str, str, str | None, bool]:
    key = _norm_key(clean)
    exact, _ = _index()
    entry = exact.get(key)
    if entry is None and key:
        entry = _fuzzy(key)
    if entry is not None:
        return entry.name, entry.kind, entry.level, entry.generic
    kind, level, generic = _infer(key)
    return clean, kind, level, generic


def canonical_owner(surface: str) -> OwnerRef:
    """Canonical :class:`OwnerRef` for one printed body name; deterministic and never raises.

    The result depends only on the cleaned surface, so feeding a canonical name
    back returns itself.  An empty or punctuation-only surface gives name "" and
    kind "other".
    """
    if not isinstance(surface, str):
        surface = "" if surface is None else str(surface)
    shown = collapse_ws(unicodedata.normalize("NFC", surface))
    clean = _clean(shown)
    if not any(c.isalnum() for c in clean):
        return OwnerRef(surface=shown, name="", key="", kind="other", level=None, generic=False)
    name, kind, level, generic = _resolve(clean)
    return OwnerRef(surface=shown, name=name, key=_make_key(name), kind=kind, level=level, generic=generic)


# --------------------------------------------------------------------------- splitting

# Heads that open a new body after ",", " và ", "/" or a line break even when written in
# lower case ("..., công chức Văn hóa – Xã hội xã").
_LOWER_HEADS = (
    "cac", "cong chuc", "van phong", "bo phan", "trung tam", "ubnd", "uy ban", "chu tich", "pho chu tich",
    "lanh dao", "dang uy", "thuong truc", "so", "phong",
)
# Heads that open a new body when capitalised.
_UPPER_HEADS = tuple(h for h, _ in _HEAD_KEYS if h not in ("cac",)) + (
    "vp", "ttpvhcc", "tt", "ld", "pct", "ct", "ubmttq", "ttdt", "dpt", "kbnn", "bch", "cbcc", "cc",
)
# (end of left part, start of right part) pairs that belong to one name.
_PROTECTED = (
    ("hdnd", "ubnd"), ("hoi dong nhan dan", "uy ban nhan dan"), ("can bo", "cong chuc"), ("cong chuc", "vien chuc"),
    ("kinh te", "ha tang"), ("chinh tri", "xa hoi"), ("tiep nhan", "tra ket qua"), ("tiep nhan ho so", "tra ket qua"),
    ("mttq", "cac to chuc chinh tri xa hoi cung cap"),
)
_FIELD_WORDS = re.compile(r"\b(?:phu trach|linh vuc)\b")
_BULLET_LINE = re.compile(r"^[" + re.escape(_DASH) + r"+•*·●▪]\s+")
_BARE_HEADS = frozenset({
    "cong chuc", "van phong", "phong", "bo phan", "trung tam", "cac", "cac bo phan", "cac phong", "ban", "uy ban",
    "can bo", "cac co quan", "ubnd", "chu tich", "pho chu tich", "lanh dao", "thuong truc", "dang uy",
})
_CONNECTOR_END = re.compile(r"(?:[" + re.escape(_DASH) + r"&,/]|\b(?:và|của|thuộc|các|hoặc|với))\s*$", re.I)


def _starts_with_head(part: str, *, newline: bool = False) -> bool:
    """Does ``part`` open with the name of a body?"""
    p = part.lstrip(" " + _DASH)
    if not p:
        return False
    key = _norm_key(p)
    if not key:
        return False
    upper = p[:1].isupper()
    heads = _UPPER_HEADS if upper else _LOWER_HEADS
    for h in heads:
        if key == h or key.startswith(h + " "):
            if newline and h in ("hdnd", "tt"):
                continue
            if not upper and h in ("phong", "ban", "so"):
                # lower-case "phòng Nội vụ" is a body, "phòng, ban" / "số" are not
                rest = p.split(None, 1)[1] if len(p.split(None, 1)) > 1 else ""
                if not rest[:1].isupper():
                    continue
            return True
    return False


def _join_lines(cell: str) -> str:
    """Undo line wraps; a line break that starts a new body becomes ';'."""
    lines = [collapse_ws(line) for line in cell.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    bullets = bool(_BULLET_LINE.match(lines[0]))
    out = lines[0]
    seg = lines[0]  # text since the last hard break
    for line in lines[1:]:
        split = False
        if _BULLET_LINE.match(line):
            # "- UBND huyện" in a bulleted list; a wrapped "– Kế toán" continues a name.
            split = bool(re.search(r"[;,.]\s*$", out)) or (bullets and _starts_with_head(_BULLET_LINE.sub("", line)))
        elif not _CONNECTOR_END.search(out) and _starts_with_head(line, newline=True):
            # Only after a complete name: "Văn phòng\nĐảng ủy – Nội vụ" and "Trang\nTTĐT" are wraps.
            seg_key = _norm_key(_clean(seg.split(";")[-1]))
            split = bool(seg_key) and seg_key not in _BARE_HEADS and (" " in seg_key or seg_key in _index()[0])
        if split:
            out = out.rstrip(" ;,") + " ; " + line
            seg = line
        elif re.search(r"\w[" + re.escape(_DASH) + r"]$", out):
            out = out + line  # "HĐND-\nUBND" was printed "HĐND-UBND"
            seg = seg + line
        else:
            out = out + " " + line
            seg = seg + " " + line
    return out


def _protected(left: str, right: str) -> bool:
    lk, rk = _norm_key(left), _norm_key(right)
    return any((lk == a or lk.endswith(" " + a)) and (rk == b or rk.startswith(b + " ")) for a, b in _PROTECTED)


def _soft_split(sep: str, left: str, right: str) -> bool:
    """Should a ',', ' và ' or '/' between ``left`` and ``right`` separate two bodies?"""
    r = right.strip()
    if not r or not left.strip() or _protected(left, r):
        return False
    rk = _norm_key(_clean(r))
    if not rk:
        return False
    exact, _ = _index()
    if _starts_with_head(r):
        lk = _norm_key(_clean(left))
        if sep == "," and lk.startswith("cac ") and _is_vague("cac " + rk) and not r[:1].isupper() \
                and _head(rk) != "cac":
            return False  # "các phòng, bộ phận liên quan": enumeration inside one vague group
        return True
    if rk in exact and exact[rk].kind != "generic":
        return True  # "..., Tư pháp - Hộ tịch", "... và TTPVHCC"
    if sep == "," and r[:1].isupper():
        return not _FIELD_WORDS.search(_norm_key(left))  # "phụ trách lĩnh vực thông tin, Thể thao và Du lịch"
    return False


def split_owners(cell: str) -> list[str]:
    """The bodies listed in one cell, as printed (white space collapsed), in order.

    Hard separators: ';' and a line break that opens a new body (a bullet after a
    ';'-style line, or a head noun such as "Văn phòng", "Công chức", "UBND" on a
    line whose previous part is a complete name).  Soft separators ',', ' và ',
    '/': split when the right part opens with a head noun ("công chức ...",
    "các ...", "Phòng ..."), is a known alias ("TTPVHCC", "Tư pháp - Hộ tịch"),
    or (for ',') is capitalised — but not inside parentheses, not inside names
    that contain them ("Văn phòng HĐND và UBND xã", "Phòng Kinh tế, Hạ tầng và
    Đô thị", "Bộ phận tiếp nhận và trả kết quả", "Cán bộ, công chức") and not
    in the enumeration of a vague group ("Các cơ quan, đơn vị liên quan", "các
    ban, ngành, đoàn thể").  Dashes never split.  Bullets and edge punctuation
    are stripped; empty parts are dropped.
    """
    if not isinstance(cell, str) or not cell.strip():
        return []
    text = _join_lines(unicodedata.normalize("NFC", cell))
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            sep_len = 0
            sep = ""
            if ch == ";":
                parts.append(text[start:i])
                start = i + 1
            elif ch in ",/":
                sep, sep_len = ch, 1
            elif ch == " " and text[i:i + 4].lower() == " và ":
                sep, sep_len = "và", 4
            if sep:
                nxt = _next_separator(text, i + sep_len)
                if _soft_split(sep, text[start:i], text[i + sep_len:nxt]):
                    parts.append(text[start:i])
                    start = i + sep_len
                i += sep_len
                continue
        i += 1
    parts.append(text[start:])
    out = []
    for p in parts:
        p = _tidy(p)
        if p:
            out.append(p)
    return out


def _next_separator(text: str, i: int) -> int:
    depth = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in ";,/" or text[i:i + 4].lower() == " và "):
            return i
        i += 1
    return n


def _tidy(part: str) -> str:
    p = collapse_ws(part)
    prev = None
    while prev != p:
        prev = p
        p = re.sub(r"^[\s" + re.escape(_DASH) + r"+•*·●▪.,;:/]+", "", p)
        p = re.sub(r"[\s.,;:/+]+$", "", p)
        p = re.sub(r"^(?:và|hoặc)\s+", "", p, flags=re.I)
    return p if any(c.isalnum() for c in p) else ""


# --------------------------------------------------------------------------- document-level resolution

#: token_sort_ratio (folded keys) for a surface unknown to the registry to take the name of a
#: body named in the document's "Tổ chức thực hiện" section; measured in tests/normalizers/test_owners.py.
CONTEXT_THRESHOLD = 80
# Word twins may differ by one letter in three ("Vốn"/"Văn", ratio 67): the context is a handful of bodies.
_CONTEXT_TWIN = 60
# Within one plan these name the one commune office (the appendix of 000 prints "VP HĐND-UBND xã"
# where its "Tổ chức thực hiện" names "Văn phòng UBND xã"): the name the plan's context uses wins.
_OFFICE_FAMILY = frozenset({"Văn phòng HĐND - UBND xã", "Văn phòng UBND xã"})


_DUTY_TAIL = re.compile(r"\s(?:là|có trách nhiệm|chịu trách nhiệm|chủ trì|thực hiện|tham mưu|có nhiệm vụ)\b.*$", re.I | re.S)


def _context_refs(context: Sequence[str]) -> list[OwnerRef]:
    """Bodies named in "Tổ chức thực hiện" headings: "Phòng Văn hóa - Xã hội là cơ quan thường trực ..." -> the name."""
    seen: dict[str, OwnerRef] = {}
    for item in context or ():
        if not isinstance(item, str):
            continue
        item = _DUTY_TAIL.sub("", re.sub(r"(?<=\w)&", "", unicodedata.normalize("NFC", item)))
        for part in split_owners(item) or [item]:
            ref = canonical_owner(part)
            if ref.name and not ref.generic and ref.name not in seen:
                seen[ref.name] = ref
    return list(seen.values())


def _from_context(ref: OwnerRef, ctx: list[OwnerRef], threshold: float = CONTEXT_THRESHOLD) -> OwnerRef | None:
    """The context body an unknown (unregistered) surface abbreviates or misspells, if exactly one fits."""
    key = _norm_key(ref.name)
    if not key:
        return None
    words = key.split()
    # 1. a truncated or title-less form: "Trung tâm Phục vụ" -> "Trung tâm Phục vụ hành chính công xã"
    if len(words) >= 2:
        hits = [c for c in ctx if (k := _norm_key(c.name)) != key
                and (k.startswith(key + " ") or k.endswith(" " + key))]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
    # 2. a misspelling (OCR): same head noun, close spelling, and no word left without a twin
    head = _head(key)
    scored = []
    for c in ctx:
        k = _norm_key(c.name)
        if _head(k) != head:
            continue
        score = fuzz.token_sort_ratio(key, k)
        if score >= threshold and _words_align(words, k.split(), _CONTEXT_TWIN) \
                and _words_align(k.split(), words, _CONTEXT_TWIN):
            scored.append((score, c))
    scored.sort(key=lambda sc: -sc[0])
    if len(scored) == 1 or (len(scored) > 1 and scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def resolve_owners(surfaces: Sequence[str], context: Sequence[str], *,
                   threshold: float = CONTEXT_THRESHOLD) -> list[OwnerRef]:
    """Canonical owners of ``surfaces`` (cells or names as printed), resolved within one document.

    ``context`` holds the bodies the plan names in its "Tổ chức thực hiện"
    section (headings or owner phrases; cells are split with
    :func:`split_owners`).  Each surface is first named by
    :func:`canonical_owner`; then, document-level rules:

    - a surface the registry does not know takes the name of the one context
      body it is a truncation or a title-less form of ("Trung tâm Phục vụ" ->
      "Trung tâm Phục vụ hành chính công xã"), or that it misspells
      (token_sort_ratio >= ``threshold``, default :data:`CONTEXT_THRESHOLD`, on
      folded text, same head noun, every word with a typo twin: OCR "Phòng Vốn hóa - Xã hội" ->
      "Phòng Văn hóa - Xã hội"); two fitting bodies -> left as is;
    - "Văn phòng UBND xã" and "Văn phòng HĐND - UBND xã" are one office within
      a plan: when the context names exactly one of them, the other surface
      takes its name (registry-wide they stay distinct, see the module docstring).

    Registry names (and short forms the registry already knows: "Tư pháp - Hộ
    tịch", "TTPVHCC", "VP HĐND-UBND xã") are never overridden otherwise.  The
    result has one :class:`OwnerRef` per surface, in order, ``surface`` as
    printed; never raises.
    """
    ctx = _context_refs(context)
    office = {c.name for c in ctx} & _OFFICE_FAMILY
    office_ref = next((c for c in ctx if c.name in office), None) if len(office) == 1 else None
    exact, _ = _index()
    out: list[OwnerRef] = []
    for surface in surfaces or ():
        ref = canonical_owner(surface)
        if ref.name:
            if ref.name in _OFFICE_FAMILY and office_ref is not None:
                ref = replace(office_ref, surface=ref.surface)
            elif _norm_key(ref.name) not in exact:
                hit = _from_context(ref, ctx, threshold)
                if hit is not None:
                    ref = replace(hit, surface=ref.surface)
        out.append(ref)
    return out


@lru_cache(maxsize=1)
def _registered_names() -> frozenset[str]:
    return frozenset(name for name, *_ in _REGISTRY)


def is_registered(ref: OwnerRef) -> bool:
    """Is ``ref`` a body of the reviewed registry (``normalizers/data/owners.csv``)?  False for
    a surface that became an owner of its own (a new body, to review and add)."""
    return ref.name in _registered_names()


def registry_phrases() -> tuple[str, ...]:
    """Every canonical name and alias of the reviewed registry, as written there."""
    return tuple(phrase for name, _k, _l, _g, aliases in _REGISTRY for phrase in (name, *aliases))


# --------------------------------------------------------------------------- marks of OCR'd names


@lru_cache(maxsize=1)
def _phrases_by_letters() -> dict[str, str]:
    """Registry phrases by their letters without marks, lower case (a key two phrases share is
    left out: the marks would be a guess)."""
    out: dict[str, str | None] = {}
    phrases = registry_phrases()
    # a commune's body is named without the commune as often ("Bộ phận Một cửa")
    short = tuple(p[:-3] for p in phrases if p.endswith(" xã") and len(p) > 6)
    for phrase in phrases + short:
        key = _letters(phrase)
        out[key] = None if key in out and out[key] != phrase else phrase
    return {k: v for k, v in out.items() if v is not None}


_DASHES_RE = re.compile("[" + re.escape(_DASH) + "]")


def _letters(text: str) -> str:
    """A name's letters without marks, lower case, every dash one hyphen (OCR reads "–" as "—")."""
    return _DASHES_RE.sub("-", fold(text))


#: a run of dashes and underscores between two words, with the spaces around it
_DASH_RUN_RE = re.compile(r"(?<=\w)(\s*)([" + re.escape(_DASH) + r"_]+)(\s*)(?=\w)")


def _spaced_dashes(name: str) -> str:
    """``name`` with each dash between two words that OCR read glued on one side, doubled, with
    an underscore or as a long dash glued to the words ("chính-_Kê", "chính— Kể", "pháp—Hộ")
    written as a spaced dash; a hyphen joining two words ("HĐND-UBND") and a dash spaced on
    both sides stay."""
    def spaced(m: re.Match) -> str:
        before, run, after = m.groups()
        if len(run) == 1 and run != "_" and (bool(before) == bool(after)) and (before or run == "-"):
            return m.group(0)
        return " – "
    return _DASH_RUN_RE.sub(spaced, name)


#: a long dash glued between two words in capitals
_ACRONYM_DASH_RE = re.compile(r"(?<=[A-ZĐ]{2})[–—](?=[A-ZĐ]{2})")


def registry_marks(cell: str) -> str:
    """A responsible-body cell that OCR read with wrong tone or vowel marks or case ("Chú tịch
    UBND xã", "Trướng các thôn", "Công chức Tư pháp - HỘ tịch"), each of its ";"-separated
    names that has exactly the letters of a registry phrase given that phrase's marks and case;
    punctuation stays as read; a name in capitals, or whose marks differ only by the old tone
    placement ("hoá"), stays as it is.  A name that spells a registry phrase once the specks a
    stamp left in it are taken out, or its glued syllables parted, is that phrase
    (:func:`_name_under_specks`).  A dash between two words that OCR read glued, doubled or
    with an underscore ("Tại chính-_Kê toàn") is the spaced dash of the phrase it then spells; a
    long dash glued between two short names in capitals is the hyphen joining them ("HĐND–UBND")."""
    table = _phrases_by_letters()
    parts = re.split(r"(\s*;\s*)", unicodedata.normalize("NFC", cell))
    changed = False
    for k in range(0, len(parts), 2):
        part = parts[k]
        name = part.strip()
        hyphened = _ACRONYM_DASH_RE.sub("-", name)
        if hyphened != name:  # "HĐND–UBND": two short names joined by a hyphen OCR read long
            parts[k] = part = part.replace(name, hyphened)
            name, changed = hyphened, True
        phrase = table.get(_letters(name))
        if phrase is None or len(phrase) != len(name):
            # a dash OCR read glued, doubled or with an underscore ("chính-_Kê", "chính— Kể")
            spaced = _spaced_dashes(name)
            found = table.get(_letters(spaced))
            if found is not None and len(found) == len(spaced):
                name, phrase = spaced, found
                parts[k] = part = part.replace(part.strip(), spaced)
                changed = True
        if phrase is None or len(phrase) != len(name):
            fixed = None if name.isupper() else _name_under_specks(name)
            if fixed is not None:
                parts[k] = part.replace(name, fixed)
                changed = True
            continue
        if phrase == name or name.isupper() or new_tone_place(name) == phrase:
            continue
        fixed = "".join(p if p.isalpha() else n for n, p in zip(name, phrase))
        parts[k] = part.replace(name, fixed)
        changed = True
    return "".join(parts) if changed else cell


@lru_cache(maxsize=1)
def _phrases_by_bare() -> dict[str, str]:
    """Registry phrases by their bare letters (no marks, case, spaces or punctuation), a key two
    phrases share left out."""
    out: dict[str, str | None] = {}
    for phrase in _phrases_by_letters().values():
        key = _bare(phrase)
        out[key] = None if key in out and out[key] != phrase else phrase
    return {k: v for k, v in out.items() if v is not None}


def _bare(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


#: signs around a token's letters and digits
_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")
_SPACED_DASH_RE = re.compile(r"\s[" + re.escape(_DASH) + r"]\s")


def _stray(token: str) -> bool:
    """A token that is no word of a body's name: what a stamp, a signature or a ruling left
    ("2`", "j4", "°Ì-`", "hd", "“"): no letters, a digit, or at most three letters that are no
    syllable and no acronym, or a short run of letters among other signs."""
    core = _EDGE_RE.sub("", token)
    letters = "".join(ch for ch in core if ch.isalpha())
    if not letters or any(ch.isdigit() for ch in core):
        return True
    if len(letters) <= 3 and letters != core:
        return True  # "°Ì-`", "AAG:\\"
    if len(core) == 1 and core.isupper():
        return not ("A" <= core <= "Z")  # a label ("Thôn A"), not a capital with marks ("Ũ")
    return len(core) <= 3 and not core.isupper() and not is_valid_syllable(core.lower())


#: nouns a label letter follows in a body's name ("Trưởng thôn A", "Tổ B"; folded)
_LABELLED = frozenset({"thon", "to", "khu", "ap", "ban", "doi", "xom", "nhom", "so", "lop", "phan"})
#: signs no body's name prints that OCR leaves at a word's edge: an underscore, a straight quote
_SPECK_SIGNS_RE = re.compile(r"_|(?:^|\s)[\"'“”]|[\"'“”](?:\s|$)")


#: a dash with or without spaces around it
_DASH_GAP_RE = re.compile(r"\s*[-–—]\s*")


def _fold_word(token: str) -> str:
    return fold(_EDGE_RE.sub("", token)).lower()


def _name_under_specks(name: str) -> str | None:
    """The registry phrase an OCR'd body name spells once the tokens a stamp or a signature left
    in it are taken out ("Các ban, ngành, 2` đoàn thể x xã"), or its syllables glued
    ("Côngchức Văn hóa – Xã hội"): that phrase, with the dash between words the cell printed;
    None when no phrase is spelt so."""
    table = _phrases_by_bare()
    tokens = name.split()
    kept = [t for t in tokens if not _stray(t)]
    if len(kept) >= 2 and len(_EDGE_RE.sub("", kept[-1])) == 1 and _fold_word(kept[-2]) not in _LABELLED:
        kept.pop()  # a letter after a name that takes no label ("UBND xã N"): a speck
    phrase = table.get(_bare(" ".join(kept)))
    if phrase is None or phrase == name or (len(kept) == len(tokens) and _words(name) == _words(phrase)
                                            and not _SPECK_SIGNS_RE.search(name)):
        return None  # nothing taken out, no syllables glued: spacing and signs stay as read
    rest = _SPECK_SIGNS_RE.sub(" ", " ".join(kept)).strip()
    if _words(rest) == _words(phrase) and _DASH_GAP_RE.sub("-", rest) == _DASH_GAP_RE.sub("-", phrase):
        # the words as printed, their dashes as spaced ("HĐND-UBND"), given the phrase's marks
        return registry_marks(" ".join(rest.split()))
    dash = next((d for d in _DASH if f" {d} " in f" {name} "), None)
    return _SPACED_DASH_RE.sub(f" {dash} ", phrase) if dash else phrase
