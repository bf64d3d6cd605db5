"""Place names of a plan (xã / huyện / tỉnh as printed) -> GSO codes and today's units.

Vietnam reorganised its units on 1 July 2025 (Nghị quyết 202/2025/QH15 and
the 2025 commune-merger resolutions): 63 provinces became 34, districts were
abolished, ~10,000 communes became 3,321.  Plans before that date name the
old units ("Xã Vĩnh Lập, huyện Thanh Hà, tỉnh Hải Dương"); later plans the
new ones ("Xã Nguyên Giáp, Thành phố Hải Phòng").

Data (offline; nothing is downloaded at run time)
-------------------------------------------------
- 2025 units: the ``vietnam-provinces`` package (34 provinces, 3,321 communes
  with GSO codes, data of 2025-10-18; it has no districts and no pre-2025
  units).
- pre-2025 units: ``normalizers/data/admin_units_legacy.csv.gz`` (63
  provinces, their districts and 9,996 communes as they stood on 30 June 2025,
  with GSO codes and each commune's 2025 successor(s)), built by
  ``scripts/build_admin_units_data.py`` from the data of the MIT-licensed
  ``vietnamadminunits`` 1.0.4 package.  Communes merged away *before* 2025
  (e.g. Vĩnh Lập, Thanh Hà, merged in the 2023-2025 round) are not in it:
  such a plan resolves to its district and province.

Resolution
----------
Names are compared on a key: folded (no diacritics, lower case), the unit
word dropped ("Xã", "Phường", "Thị trấn", "Huyện", "Quận", "Thị xã", "Thành
phố", "Tỉnh", "TP."), punctuation and spaces removed; "Thừa Thiên Huế" = "Huế",
"TP. HCM" = "Hồ Chí Minh".  The era is ``legacy`` when ``as_of`` (the issue
date, else Jan 1 of the plan's first year) is before 2025-07-01, else
``current``; without a date, ``legacy`` when a district is printed or the
province no longer exists, else ``current``.  A legacy lookup that finds
nothing falls back to the current units and vice versa.

Within the era the most specific unique match wins: the commune (within the
printed district and province, when printed), else the district, else the
province.  A commune name that several units share and nothing disambiguates
gives ``status="ambiguous"`` and no commune code.

:class:`AdminUnit` keeps the printed names and adds the codes of the printed
units in their era (``commune_code``, ``district_code``, ``province_code``:
GSO codes as zero-padded strings, 5 / 3 / 2 digits) and the 2025 successors
(``current_commune``/``current_commune_code``: for a pre-2025 commune split
between several 2025 communes, the main one; ``current_province``...).
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from normalizers.text import fold

REFORM_DATE = dt.date(2025, 7, 1)
STATUSES = ("commune", "district", "province", "ambiguous", "unresolved")


@dataclass(frozen=True, slots=True)
class AdminUnit:
    commune: str | None  # as printed
    district: str | None
    province: str | None
    commune_code: str | None  # GSO code of the printed commune in its era ("10813")
    district_code: str | None  # GSO code of the printed pre-2025 district ("294"); None after 2025
    province_code: str | None  # GSO code of the printed province in its era ("30")
    current_commune: str | None  # 2025 successor ("Xã Thanh Hà")
    current_commune_code: str | None
    current_province: str | None  # 2025 province ("Thành phố Hải Phòng")
    current_province_code: str | None
    era: str | None  # "legacy" (units before 2025-07-01) / "current"; None when nothing resolved
    status: str  # most specific level resolved, see STATUSES


# a unit word is dropped only before a name: "Xã" alone stays, so that a key is its own key
_UNIT_WORDS = re.compile(r"^(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh|tp|dac khu)\b\.?\s*(?=\S)")
_ALIASES = {"thuathienhue": "hue", "hcm": "hochiminh", "tphcm": "hochiminh", "saigon": "hochiminh",
            "bariavungtau": "bariavungtau", "brvt": "bariavungtau"}


def name_key(name: str | None) -> str:
    """Comparison key of a unit name ("Tỉnh Thừa Thiên Huế" -> "hue", "Xã Vĩnh Lập" -> "vinhlap")."""
    if not isinstance(name, str):
        return ""
    s = " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())
    prev = None
    while prev != s:
        prev, s = s, _UNIT_WORDS.sub("", s)
    k = s.replace(" ", "")
    return _ALIASES.get(k, k)


@dataclass(frozen=True, slots=True)
class _Legacy:
    province_code: str
    province: str
    district_code: str
    district: str
    commune_code: str
    commune: str
    new_province_code: str
    new_commune_codes: tuple[str, ...]


@lru_cache(maxsize=1)
def _current() -> tuple[dict[str, tuple[str, str]], dict[str, dict[str, list[tuple[str, str]]]], dict[str, str]]:
    """(province key -> (code, name), province code -> commune key -> [(code, name)], commune code -> name)."""
    try:
        from vietnam_provinces import Province, Ward
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
        raise ModuleNotFoundError(
            "normalizers.admin_units needs the 2025 unit list: pip install 'vietnam-provinces>=2025.10.1'") from exc

    provinces: dict[str, tuple[str, str]] = {}
    names: dict[str, str] = {}
    for p in Province.iter_all():
        code = f"{int(p.code):02d}"
        full = p.name if p.name.startswith("Thành phố") else f"Tỉnh {p.name}"
        provinces[name_key(p.name)] = (code, full)
        names[code] = full
    wards: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    commune_names: dict[str, str] = {}
    for w in Ward.iter_all():
        code = f"{int(w.code):05d}"
        wards[f"{int(w.province_code):02d}"][name_key(w.name)].append((code, w.name))
        commune_names[code] = w.name
    return provinces, {k: dict(v) for k, v in wards.items()}, commune_names


@lru_cache(maxsize=1)
def _legacy() -> tuple[_Legacy, ...]:
    raw = resources.files("normalizers").joinpath("data/admin_units_legacy.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    reader = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return tuple(
        _Legacy(r["province_code"], r["province"], r["district_code"], r["district"], r["commune_code"], r["commune"],
                f"{int(r['new_province_code']):02d}",
                tuple(f"{int(c):05d}" for c in r["new_commune_codes"].split("|") if c))
        for r in reader)


@lru_cache(maxsize=1)
def _legacy_index() -> tuple[dict[str, set[str]], dict[str, list[_Legacy]], dict[str, str]]:
    """(province key -> legacy province codes, commune key -> rows, legacy province code -> new code)."""
    provinces: dict[str, set[str]] = defaultdict(set)
    communes: dict[str, list[_Legacy]] = defaultdict(list)
    successor: dict[str, str] = {}
    for r in _legacy():
        provinces[name_key(r.province)].add(r.province_code)
        communes[name_key(r.commune)].append(r)
        successor[r.province_code] = r.new_province_code
    return dict(provinces), dict(communes), successor


def _unit(commune, district, province, era, status, *, commune_code=None, district_code=None, province_code=None,
          current_commune_code=None, current_province_code=None) -> AdminUnit:
    provinces, _, commune_names = _current()
    prov_names = {code: name for code, name in provinces.values()}
    return AdminUnit(commune, district, province, commune_code, district_code, province_code,
                     commune_names.get(current_commune_code) if current_commune_code else None, current_commune_code,
                     prov_names.get(current_province_code) if current_province_code else None, current_province_code,
                     era, status)


def _resolve_current(commune, district, province, ck, pk) -> AdminUnit | None:
    provinces, wards, _ = _current()
    _, _, successor = _legacy_index()
    legacy_provs, _, _ = _legacy_index()
    pcode = provinces[pk][0] if pk in provinces else None
    if pcode is None and pk in legacy_provs:  # an old province name printed on a new plan
        succ = {successor[c] for c in legacy_provs[pk]}
        pcode = succ.pop() if len(succ) == 1 else None
    if ck:
        scope = [wards[pcode]] if pcode else list(wards.values())
        hits = [h for w in scope for h in w.get(ck, [])]
        if len(hits) == 1:
            code = hits[0][0]
            pc = pcode or next(p for p, w in wards.items() if any(c == code for c, _ in w.get(ck, [])))
            return _unit(commune, district, province, "current", "commune", commune_code=code, province_code=pc,
                         current_commune_code=code, current_province_code=pc)
        if len(hits) > 1 and pcode is None:
            return _unit(commune, district, province, "current", "ambiguous")
    if pcode:
        return _unit(commune, district, province, "current", "province", province_code=pcode,
                     current_province_code=pcode)
    return None


def _resolve_legacy(commune, district, province, ck, dk, pk) -> AdminUnit | None:
    legacy_provs, communes, successor = _legacy_index()
    pcodes = legacy_provs.get(pk) if pk else None
    if pk and pcodes is None:
        provinces, _, _ = _current()
        if pk in provinces:  # a province that exists today under the same name
            code = provinces[pk][0]
            pcodes = {c for c, s in successor.items() if c == code} or None
    rows = list(_legacy())

    def keep(r: _Legacy) -> bool:
        return (not pcodes or r.province_code in pcodes) and (not dk or name_key(r.district) == dk)

    if ck:
        hits = [r for r in communes.get(ck, []) if keep(r)]
        if len(hits) == 1:
            r = hits[0]
            return _unit(commune, district, province, "legacy", "commune", commune_code=r.commune_code,
                         district_code=r.district_code, province_code=r.province_code,
                         current_commune_code=r.new_commune_codes[0] if r.new_commune_codes else None,
                         current_province_code=r.new_province_code)
        if len(hits) > 1 and not dk and not pcodes:
            return _unit(commune, district, province, "legacy", "ambiguous")
    if dk:
        hits = {(r.province_code, r.district_code) for r in rows if keep(r)}
        if len(hits) == 1:
            pc, dc = hits.pop()
            return _unit(commune, district, province, "legacy", "district", district_code=dc, province_code=pc,
                         current_province_code=successor[pc])
    if pcodes and len(pcodes) == 1:
        pc = next(iter(pcodes))
        return _unit(commune, district, province, "legacy", "province", province_code=pc,
                     current_province_code=successor[pc])
    return None


def resolve_admin_unit(
    commune: str | None = None,
    district: str | None = None,
    province: str | None = None,
    *,
    as_of: dt.date | None = None,
) -> AdminUnit:
    """Codes and 2025 successors of the printed place names (see the module docstring); never raises."""
    commune, district, province = (x if isinstance(x, str) and x.strip() else None for x in (commune, district, province))
    ck, dk, pk = name_key(commune), name_key(district), name_key(province)
    if not (ck or dk or pk):
        return _unit(commune, district, province, None, "unresolved")
    legacy_provs, _, _ = _legacy_index()
    provinces, _, _ = _current()
    if isinstance(as_of, dt.date):
        legacy_first = as_of < REFORM_DATE
    else:
        legacy_first = bool(dk) or (bool(pk) and pk not in provinces and pk in legacy_provs)
    order = ((lambda: _resolve_legacy(commune, district, province, ck, dk, pk)),
             (lambda: _resolve_current(commune, district, province, ck, pk)))
    results = [f() for f in (order if legacy_first else order[::-1])]
    rank = {s: i for i, s in enumerate(STATUSES)}
    found = [r for r in results if r is not None]
    if not found:
        return _unit(commune, district, province, None, "unresolved")
    first = found[0]
    # the preferred era wins unless the other one resolves a more specific level
    if len(found) == 2 and rank[found[1].status] < rank[first.status] and first.status != "commune":
        return found[1]
    return first


#: share of a name's units that must spell it alike for that spelling to be the usual one: more
#: than half (the likelier unit of the name, a better guess than a language model's phrase)
USUAL_SHARE = 0.5


_UNIT_NAMES = frozenset(("xa", "phuong", "thi tran", "huyen", "quan", "thi xa", "thanh pho", "tinh", "dac khu"))


def _bare(name: str) -> str:
    """A unit's name without its unit word ("Xã Thanh Xuân" -> "Thanh Xuân")."""
    words = name.split()
    for n in (2, 1):
        if len(words) > n and fold(" ".join(words[:n])).lower() in _UNIT_NAMES:
            return " ".join(words[n:])
    return name


def _spelling_key(name: str) -> str:
    """The words of a name (without its unit word), folded: no alias ("Thừa Thiên
    Huế" is no spelling of "Huế"), no unit word taken off ("Phương Lâm" is a name)."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name).lower()).split())


@lru_cache(maxsize=1)
def _spellings() -> dict[str, dict[str, dict[str, int]]]:
    """level -> name key -> spelling (unit word off) -> units of the legacy and current lists
    that carry it."""
    out: dict[str, dict[str, dict[str, int]]] = {lvl: defaultdict(lambda: defaultdict(int))
                                                 for lvl in ("commune", "district", "province")}
    def count(level: str, name: str) -> None:
        bare = _bare(name)
        out[level][_spelling_key(bare)][bare] += 1

    seen: set[tuple[str, str]] = set()
    for r in _legacy():
        count("commune", r.commune)
        for lvl, code, name in (("district", r.district_code, r.district), ("province", r.province_code, r.province)):
            if (lvl, code) not in seen:
                seen.add((lvl, code))
                count(lvl, name)
    provinces, wards, _ = _current()
    for _, name in provinces.values():
        count("province", name)
    for by_key in wards.values():
        for units in by_key.values():
            for _, name in units:
                count("commune", name)
    return out


def is_unit_name(name: str | None, level: str) -> bool:
    """Whether some unit of this ``level``, of the lists before or after 2025, is so named
    (folded: "Thanh Ha" is "Thanh Hà")."""
    return isinstance(name, str) and _spelling_key(name) in _spellings()[level]


def usual_spelling(name: str | None, level: str) -> str | None:
    """How the units of this ``level`` ("commune", "district", "province") whose name folds as
    ``name`` folds spell it, when more than :data:`USUAL_SHARE` of them spell it alike ("Thạnh
    Xuân" -> "Thanh Xuân": five units of eight; "Lộc Thuỷ" -> "Lộc Thủy"); None when no unit
    has that name or its units disagree.  For names whose marks were restored from text
    without them, which the list's spelling settles better than a language model."""
    key = _spelling_key(name) if isinstance(name, str) else ""
    counts = _spellings()[level].get(key) if key else None
    if not counts:
        return None
    spelling, n = max(counts.items(), key=lambda kv: kv[1])
    return spelling if n > USUAL_SHARE * sum(counts.values()) else None
