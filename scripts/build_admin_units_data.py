"""Build normalizers/data/admin_units_legacy.csv.gz (run by hand; never at run time).

Source: the data files of the PyPI package ``vietnamadminunits`` 1.0.4 (MIT
licence, © its authors; data of 2025-08-23): the pre-2025 units (63
provinces, 705 districts, ~10,000 communes with their GSO codes) and its
old-commune -> 2025-commune conversion table (Nghị quyết 202/2025/QH15 and the
2025 ward/commune merger resolutions of the Ủy ban Thường vụ Quốc hội).  The
2025 commune *codes* come from ``vietnam-provinces`` (the project's run-time
dependency), matched by name within the new province.

Usage (network only for pip)::

    pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/vau && unzip -o /tmp/vau/*.whl -d /tmp/vau/x
    python scripts/build_admin_units_data.py /tmp/vau/x/vietnamadminunits/data

We read the package's JSON instead of importing it: importing pulls shapely
and geopy, and its converter geocodes online for communes that were split.
For a split commune every successor is listed, the package's default first.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

from vietnam_provinces import Province, Ward

OUT = Path(__file__).resolve().parents[1] / "normalizers" / "data" / "admin_units_legacy.csv.gz"


def key(name: str) -> str:
    s = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]", "", s)


def main(data_dir: str) -> None:
    d = Path(data_dir)
    legacy = json.loads((d / "parser_legacy.json").read_text(encoding="utf-8"))
    conv = json.loads((d / "converter_2025.json").read_text(encoding="utf-8"))

    new_prov_by_key = {key(p.name if p.name.startswith("Thành phố") else "Tỉnh " + p.name): p
                       for p in Province.iter_all()}
    wards_by_prov: dict[int, dict[str, Ward]] = {}
    for w in Ward.iter_all():
        wards_by_prov.setdefault(int(w.province_code), {})[key(w.name)] = w

    old_to_new_prov = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    no_div: dict[str, str] = {}
    for new_prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, olds in wards.items():
            for old in olds:
                no_div[old] = new_ward
    div: dict[str, list[str]] = {}
    for new_prov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            div[old] = [n["newWardKey"] for n in sorted(news, key=lambda n: not n["isDefaultNewWard"])]

    rows = []
    missing = 0
    for pkey, pinfo in legacy["DICT_PROVINCE"].items():
        new_pkey = old_to_new_prov[pkey]
        new_prov = new_prov_by_key[new_pkey]
        new_wards = wards_by_prov[int(new_prov.code)]
        for dkey, dinfo in legacy["DICT_PROVINCE_DISTRICT"][pkey].items():
            wards = legacy["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].get(pkey, {}).get(dkey, {})
            for wkey, winfo in wards.items():
                old = f"{pkey}_{dkey}_{wkey}"
                targets = [no_div[old]] if old in no_div else div.get(old, [])
                codes = [str(int(new_wards[t].code)) for t in targets if t in new_wards]
                missing += not codes
                rows.append((pinfo["provinceCode"], pinfo["province"], dinfo["districtCode"], dinfo["district"],
                             winfo["wardCode"], winfo["ward"], str(int(new_prov.code)), "|".join(codes)))
    rows.sort()
    buf = io.StringIO()
    buf.write("# Pre-2025 Vietnamese administrative units and their 2025 successors.\n"
              "# Source: vietnamadminunits 1.0.4 (PyPI, MIT licence) data of 2025-08-23; 2025 codes from\n"
              "# vietnam-provinces. Built by scripts/build_admin_units_data.py. new_commune_codes: '|'-separated,\n"
              "# the main successor first (a commune split between several 2025 communes lists them all).\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["province_code", "province", "district_code", "district", "commune_code", "commune",
                "new_province_code", "new_commune_codes"])
    w.writerows(rows)
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write(buf.getvalue().encode("utf-8"))
    print(f"{len(rows)} communes, {missing} without a 2025 successor code -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
