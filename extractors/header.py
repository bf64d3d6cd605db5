"""Header metadata of a plan: issuer, place names, number, date, title, period, signer.

Administrative documents follow the layout of Nghị định 30/2020/NĐ-CP: the
issuing body top-left ("ỦY BAN NHÂN DÂN / XÃ VĨNH LẬP"), the national motto
top-right, "Số: 83/KH-UBND", "<place>, ngày 31 tháng 12 năm 2021", the type
"KẾ HOẠCH" with the subject lines below, and the signature block at the end
("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / <name>").  Text dumps interleave the two
header columns, and some plans print no header at all, so every field is
searched independently and may be missing.  Matching runs on folded text
(lower case, no diacritics) so that it also works on lightly damaged text;
values are cut from the original text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from normalizers.text import collapse_ws, fold

HEADER_SCAN_LINES = 60
ISSUER_SCAN_LINES = 15

_MOTTO = re.compile(r"\s*(cong hoa xa hoi chu nghia viet nam|doc lap\s*-\s*tu do\s*-\s*hanh phuc).*$")
_NUMBER = re.compile(r"\bso\s*:\s*(\d*)\s*/\s*([a-z0-9đ]+(?:\s*-\s*[a-z0-9đ]+)*)", re.I)
_DATE_LINE = re.compile(
    # The number may share the line ("Số: 15 /KH-UBND   Nguyên Giáp, ngày ..."); an unreadable
    # day ("ngày A4" in OCR) still gives the place, but no date.
    r"^\s*(?:so\s*:\s*\d*\s*/\s*[a-z0-9đ-]+\s+)?(?P<place>[^,]{2,40}),\s*ngay\s+(?P<d>\d{1,2}|\.+|\w{1,3})?"
    r"\s*(?:/|thang)\s*(?P<m>\d{1,2}|\.+)?\s*(?:/|nam)\s*(?P<y>\d{4})")
_TITLE_START = re.compile(r"^\s*ke\s+hoach\s*$")
_PREAMBLE = re.compile(r"^\s*(can cu|thuc hien (ke hoach|quyet dinh|nghi quyet|chi thi|cong van|van ban|chuong trinh|huong dan|thong bao)|de |nham |uy ban|ubnd|[ivx]+\s*[.)]\s)")
_PERIOD = re.compile(r"giai doan\s*(\d{4})\s*[-–—]\s*(\d{4})|nam\s*(\d{4})")
_UNIT_WORDS = {
    "commune": r"(?:xa|phuong|thi tran)",
    "district": r"(?:huyen|quan|thi xa)",
    "province": r"(?:tinh|thanh pho)",
}
#: The unit words as printed with their diacritics: "cơ quan" must not read as "quận".
_UNIT_SURFACES = {
    "commune": ("xã", "phường", "thị trấn"),
    "district": ("huyện", "quận", "thị xã"),
    "province": ("tỉnh", "thành phố"),
}
_SIGNER_ROLE = re.compile(r"^\s*(tm\.?|kt\.?|ttl\.?|tl\.?|q\.?)?\s*(pho\s+)?(chu tich|truong ban|giam doc|uy ban nhan dan)")
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+$")


@dataclass(frozen=True, slots=True)
class Header:
    issuer: str | None = None
    commune: str | None = None
    district: str | None = None
    province: str | None = None
    doc_number: str | None = None
    issued_place: str | None = None
    issued_date: dt.date | None = None
    title: str | None = None
    title_line: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    signer: str | None = None
    signer_title: str | None = None


def _cut(original: str, folded: str, match: re.Match, group: int | str = 0) -> str:
    """Cut a span found in ``folded`` out of ``original`` (fold keeps lengths; see fold)."""
    start, end = match.span(group)
    if len(original) == len(folded):
        return original[start:end]
    return folded[start:end]


def _title_case_run(original: str, start: int, max_words: int = 4) -> str | None:
    """The run of capitalised words starting at ``start`` ("Hải Dương về" -> "Hải Dương")."""
    words = []
    for word in original[start:].split():
        word = word.strip(",.;:()\"“”")
        if not word or not (word[0].isupper() or word[0].isdigit()) or len(words) >= max_words:
            break
        words.append(word)
        if original[start:].split()[len(words) - 1].endswith((",", ".", ";", ":", ")")):
            break
    if not words:
        return None
    name = " ".join(words)
    return name.title() if name.isupper() else name


def find_place(lines: Sequence[str], unit: str, folded: Sequence[str] | None = None) -> tuple[str | None, int | None]:
    """First '<unit word> <Title Case Name>' in the lines, e.g. 'huyện Thanh Hà' -> 'Thanh Hà'."""
    folded = folded or [fold(line) for line in lines]
    pattern = re.compile(r"\b" + _UNIT_WORDS[unit] + r"\s+(?=\S)")
    for i, (line, fl) in enumerate(zip(lines, folded)):
        for m in pattern.finditer(fl):
            if len(line) != len(fl):
                continue
            word = line[m.start():m.end()].strip().lower()
            if word not in _UNIT_SURFACES[unit] and (word != fold(word) or line != fold(line)):
                continue  # an accented look-alike ("cơ quan"); plain ASCII lines are taken as they are
            name = _title_case_run(line, m.end())
            if name and not fold(name).startswith(("ban ", "nhan dan", "uy ban")):
                return name, i
    return None, None


def extract_header(lines: Sequence[str], body_start: int | None = None,
                   closing: tuple[int, int] | None = None) -> Header:
    """Header fields from the document's lines (``lines[i]`` is line i+1).

    ``body_start`` is the 0-based first line of the body (the header is above
    it); ``closing`` the 0-based ``[start, end)`` range holding the signature
    block (after the body, before any appendix).
    """
    folded = [fold(line) for line in lines]
    scan = min(len(lines), body_start if body_start is not None else HEADER_SCAN_LINES)
    fields: dict = {}
    title_line = next((i for i in range(min(len(lines), HEADER_SCAN_LINES)) if _TITLE_START.match(folded[i])), None)

    # Issuer: the top-left block above the title, "ỦY BAN NHÂN DÂN" + the unit line.
    for i in range(min(scan, title_line if title_line is not None else ISSUER_SCAN_LINES)):
        fl = _MOTTO.sub("", folded[i]).strip()
        if len(fl) <= 50 and fl.startswith(("uy ban nhan dan", "ubnd", "hoi dong nhan dan")):
            parts = [lines[i][: len(fl) + (len(lines[i]) - len(lines[i].lstrip()))].strip()]
            # The unit line follows, possibly after a blank line (OCR of a two-column letterhead).
            j = next((k for k in range(i + 1, min(scan, i + 3)) if folded[k].strip()), None)
            nxt = _MOTTO.sub("", folded[j]).strip() if j is not None else ""
            if re.match(_UNIT_WORDS["commune"] + r"\s", nxt) or re.match(_UNIT_WORDS["district"] + r"\s", nxt):
                parts.append(lines[j].strip()[: len(nxt)].strip())
            fields["issuer"] = collapse_ws(" ".join(parts))
            break

    for i in range(scan):
        if "doc_number" not in fields:
            m = _NUMBER.search(folded[i])
            if m and "kh" in m.group(2):
                symbol = re.sub(r"\s+", "", lines[i][m.start(2):m.end(2)] if len(lines[i]) == len(folded[i]) else m.group(2).upper())
                fields["doc_number"] = f"{m.group(1)}/{symbol}"
        if "issued_date" not in fields:
            m = _DATE_LINE.search(folded[i])
            if m:
                fields["issued_place"] = collapse_ws(_cut(lines[i], folded[i], m, "place"))
                d, mo = m.group("d"), m.group("m")
                if d and mo and d.isdigit() and mo.isdigit():
                    try:
                        fields["issued_date"] = dt.date(int(m.group("y")), int(mo), int(d))
                    except ValueError:
                        pass

    # Title: the subject lines after "KẾ HOẠCH", up to the preamble.
    if title_line is not None:
        parts: list[str] = []
        for j in range(title_line + 1, min(len(lines), title_line + 12)):
            if not folded[j].strip():
                continue
            if parts and (_PREAMBLE.match(folded[j]) or len(parts) >= 4):
                break
            parts.append(lines[j].strip())
        if parts:
            fields["title"] = collapse_ws(" ".join(parts))
            fields["title_line"] = title_line + 1

    title_fold = fold(fields.get("title", ""))
    m = _PERIOD.search(title_fold)
    if m:
        start = int(m.group(1) or m.group(3))
        end = int(m.group(2) or m.group(3))
        fields["period_start"], fields["period_end"] = start, end

    # Place names: the title and issuer first (they name the plan's own commune),
    # then the first mention before the body; district and province, which
    # commune plans often name only in passing ("UBND tỉnh Thanh Hóa"), anywhere.
    title_lines = [fields.get("title", ""), fields.get("issuer", "")]
    for unit in ("commune", "district", "province"):
        name, _ = find_place(title_lines, unit)
        if name is None:
            name, _ = find_place(lines[:scan], unit, folded[:scan])
        if name is None and unit != "commune":
            name, _ = find_place(lines, unit, folded)
        if name is not None:
            fields[unit] = name
    if "commune" not in fields and fields.get("issued_place") and fields.get("district") != fields["issued_place"]:
        # The date line names the commune ("Vĩnh Lập, ngày ...") when the issuer is a commune.
        if fold(fields.get("issuer", "")).startswith(("uy ban nhan dan xa", "ubnd xa")):
            fields["commune"] = fields["issued_place"]

    lo, hi = closing if closing is not None else (0, len(lines))
    fields.update(_signature(lines, folded, lo, hi))
    return Header(**fields)


def _signature(lines: Sequence[str], folded: Sequence[str], lo: int, hi: int) -> dict:
    """Signer and capacity: the role lines and the name line after them, last in ``[lo, hi)``."""
    for i in range(min(hi, len(lines)) - 1, lo - 1, -1):
        if not _SIGNER_ROLE.match(folded[i]) or len(folded[i].strip()) > 45:
            continue
        # Walk back over further role lines (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH).
        start = i
        while start > lo and _SIGNER_ROLE.match(folded[start - 1]) and len(folded[start - 1].strip()) <= 45:
            start -= 1
        role = collapse_ws(" / ".join(lines[k].strip() for k in range(start, i + 1)))
        for j in range(i + 1, min(len(lines), i + 8)):
            words = lines[j].split()
            if 2 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words):
                return {"signer": collapse_ws(lines[j]), "signer_title": role}
        return {"signer_title": role}
    return {}
