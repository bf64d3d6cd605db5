"""Place names of samples 000-004 -> GSO codes and 2025 successors (offline data)."""

from __future__ import annotations

import datetime as dt
import gzip
import unicodedata
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers.admin_units import REFORM_DATE, STATUSES, AdminUnit, name_key, resolve_admin_unit

D = dt.date

# (sample, commune, district, province as printed in the header, as_of,
#  expected (commune_code, district_code, province_code, current_commune, current_province_code, era, status))
REAL = [
    # Vĩnh Lập was merged into another commune before 2025: district and province resolve
    ("000", "Vĩnh Lập", "Thanh Hà", "Hải Dương", D(2021, 12, 31),
     (None, "294", "30", None, "31", "legacy", "district")),
    ("001", "Lộc Thủy", "Phú Lộc", None, D(2022, 1, 7),
     ("20146", "482", "46", "Xã Chân Mây – Lăng Cô", "46", "legacy", "commune")),
    ("001", "Lộc Thủy", "Phú Lộc", "Thừa Thiên Huế", None,
     ("20146", "482", "46", "Xã Chân Mây – Lăng Cô", "46", "legacy", "commune")),
    ("002", "Tà Đùng", None, "Lâm Đồng", None,
     ("24637", None, "68", "Xã Tà Đùng", "68", "current", "commune")),
    ("003", None, "Hà Trung", "Thanh Hóa", D(2023, 5, 12),
     (None, "392", "38", None, "38", "legacy", "district")),
    ("004", "Nguyên Giáp", None, "Hải Phòng", D(2025, 9, 4),
     ("11146", None, "31", "Xã Nguyên Giáp", "31", "current", "commune")),
]


def tup(u: AdminUnit) -> tuple:
    return (u.commune_code, u.district_code, u.province_code, u.current_commune, u.current_province_code, u.era,
            u.status)


@pytest.mark.parametrize(("sample", "commune", "district", "province", "as_of", "expected"), REAL,
                         ids=[f"{r[0]}-{r[1] or r[2]}" for r in REAL])
def test_sample_places(sample, commune, district, province, as_of, expected):
    u = resolve_admin_unit(commune, district, province, as_of=as_of)
    assert tup(u) == expected
    assert (u.commune, u.district, u.province) == (commune, district, province)  # printed names kept
    # unaccented / upper-case / with unit words: same result
    folded = resolve_admin_unit(*(None if x is None else unicodedata.normalize("NFC", x.upper()) for x in
                                  (commune, district, province)), as_of=as_of)
    assert tup(folded) == expected
    worded = resolve_admin_unit(None if commune is None else "Xã " + commune,
                                None if district is None else "huyện " + district,
                                None if province is None else "Tỉnh " + province, as_of=as_of)
    assert tup(worded) == expected


def test_current_province_names():
    u = resolve_admin_unit("Vĩnh Lập", "Thanh Hà", "Hải Dương", as_of=D(2021, 12, 31))
    assert u.current_province == "Thành phố Hải Phòng"
    assert resolve_admin_unit(province="Quảng Bình", as_of=D(2024, 1, 1)).current_province == "Tỉnh Quảng Trị"
    assert resolve_admin_unit(province="Bà Rịa - Vũng Tàu").current_province == "Thành phố Hồ Chí Minh"
    assert resolve_admin_unit(province="TP. HCM").current_province_code == "79"


def test_ambiguous_and_unresolved():
    assert resolve_admin_unit("Lộc Thủy").status == "ambiguous"  # Quảng Bình and Huế both had one
    assert resolve_admin_unit("Phú Lộc").status == "ambiguous"  # two 2025 communes (Huế, Cần Thơ)
    u = resolve_admin_unit("Không Có Xã Này", None, "Nowhere")
    assert (u.status, u.era, u.province_code) == ("unresolved", None, None)
    assert resolve_admin_unit().status == "unresolved"
    assert resolve_admin_unit(None, "  ", "").status == "unresolved"


def test_era_from_date():
    # a current province printed on an old plan: the legacy unit of the same name
    u = resolve_admin_unit(province="Thanh Hóa", as_of=REFORM_DATE - dt.timedelta(days=1))
    assert (u.era, u.province_code, u.current_province_code) == ("legacy", "38", "38")
    u = resolve_admin_unit(province="Thanh Hóa", as_of=REFORM_DATE)
    assert (u.era, u.province_code) == ("current", "38")


def test_legacy_data_file_is_documented_and_complete():
    raw = resources.files("normalizers").joinpath("data/admin_units_legacy.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    assert "Source: vietnamadminunits 1.0.4" in text
    rows = [line for line in text.splitlines() if line and not line.startswith(("#", "province_code"))]
    assert len(rows) > 9900
    assert len({r.split(",")[0] for r in rows}) == 63  # pre-2025 provinces
    assert len({r.split(",")[6] for r in rows}) == 34  # their 2025 successors


def test_name_key():
    assert name_key("Tỉnh Thừa Thiên Huế") == name_key("Huế") == "hue"
    assert name_key("Xã Vĩnh Lập") == name_key("vinh lap") == "vinhlap"
    assert name_key("Thị trấn Thanh Hà") == "thanhha"
    assert name_key(None) == ""


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=20)), st.one_of(st.none(), st.text(max_size=20)),
       st.one_of(st.none(), st.sampled_from(["Hải Dương", "Lâm Đồng", "x", ""]), st.text(max_size=10)),
       st.one_of(st.none(), st.dates()))
def test_resolve_is_total(commune, district, province, as_of):
    u = resolve_admin_unit(commune, district, province, as_of=as_of)
    assert u.status in STATUSES and u.era in ("legacy", "current", None)
    assert name_key(name_key(commune)) == name_key(commune)
    if u.current_province is not None:
        assert unicodedata.is_normalized("NFC", u.current_province)


def _legacy_communes():
    from normalizers.admin_units import _legacy
    return sorted({r.commune for r in _legacy()})


def test_usual_spelling_of_names_restored_without_marks():
    from normalizers.admin_units import is_unit_name, usual_spelling
    from normalizers.text import fold
    # the spelling most units of the name carry, from any spelling of it
    assert usual_spelling("Thạnh Xuân", "commune") == "Thanh Xuân"  # 5 units of 8
    assert usual_spelling("Loc Thuy", "commune") == "Lộc Thủy"
    assert usual_spelling("Lộc Thuỷ", "commune") == "Lộc Thủy"  # tone placed the new way
    assert usual_spelling("Hoa Binh", "commune") == "Hòa Bình"
    assert usual_spelling("Thanh Ha", "district") == "Thanh Hà"
    assert usual_spelling("Hai Duong", "province") == "Hải Dương"
    # no alias: "Thừa Thiên Huế" is not spelt "Huế"
    assert fold(usual_spelling("Thua Thien Hue", "province") or "Thua Thien Hue") == fold("Thừa Thiên Huế")
    assert usual_spelling("Van", "district") is None and not is_unit_name("Văn", "district")
    assert usual_spelling(None, "commune") is None and usual_spelling("", "province") is None
    assert is_unit_name("Ha Trung", "district") and is_unit_name("Lâm Đồng", "province")


def test_usual_spelling_is_a_spelling_of_the_same_name_for_every_commune():
    """Over every legacy commune: the usual spelling folds as the name does, and where the
    name's units all spell it alike it is that spelling."""
    from collections import Counter

    from normalizers.admin_units import _bare, usual_spelling
    from normalizers.text import fold
    names = Counter(_bare(c) for c in _legacy_communes())
    by_fold: dict[str, set[str]] = {}
    for name in names:
        by_fold.setdefault(fold(name).lower(), set()).add(name)
    checked = 0
    for name in names:
        spelt = usual_spelling(fold(name), "commune")
        if spelt is None:
            continue
        assert fold(spelt).lower() == fold(name).lower(), name
        if len(by_fold[fold(name).lower()]) == 1:
            checked += 1
            assert spelt == name, name
    assert checked > 5000
