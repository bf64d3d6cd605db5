"""Header metadata of an administrative document: type, issuer, place names, number, date,
title, period, signer.

Documents follow the layout of Nghị định 30/2020/NĐ-CP: the issuing body
top-left ("ỦY BAN NHÂN DÂN / XÃ VĨNH LẬP", or a body under its parent: "UBND
TỈNH LÀO CAI / SỞ CÔNG THƯƠNG") with "Số: 83/KH-UBND" below it, the national
motto top-right with "<place>, ngày 31 tháng 12 năm 2021" below it, then the
type word ("KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO", ...) with the subject lines
below — or, for an official letter (Công văn), no type word and a "V/v ..."
subject under the number — and the signature block at the end ("TM. ỦY BAN
NHÂN DÂN / CHỦ TỊCH / <name>", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / <name>").

Text dumps interleave the two header columns line by line; OCR often prints
them side by side on one line ("UBND TỈNH LÀO CAI Độc lập - Tự do - Hạnh
phúc", "Số: 12/QĐ-SCT Lào Cai, ngày 5 tháng 3 năm 2024").  So the header lines
are cleaned first: the motto (also damaged: "Pjc lap - Tw do - Hanh phiic")
and rules are blanked out, then the number and the date are each found
anywhere on a line and blanked out once read, and what is left is the issuer
block and the subject.  Some plans print no header at all, so every field is
searched independently and may be missing.  Matching runs on folded text
(lower case, no diacritics) so that it also works on lightly damaged text;
values are cut from the original text (blanking keeps both the same length).

The type (``doc_type``, a code of :mod:`normalizers.doc_types`) comes from the
printed type word, else the number's code, else "CV" for a "V/v" subject.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance.Levenshtein import distance as _levenshtein

from normalizers.admin_units import is_unit_name
from normalizers.doc_types import decide_type, type_of_symbol, type_of_title
from normalizers.text import collapse_ws, fold

HEADER_SCAN_LINES = 60
ISSUER_SCAN_LINES = 15

#: The national motto, also OCR-damaged ("CONG HOA XA HQI CHU NGHIA VIET NAM", "Pjc lap - Tw do -
#: Hanh phiic"), and rules printed under the header columns; blanked out of header lines.
_NOISE = re.compile(
    r"(?<![a-z])c[o0]ng\s*h[o0][a-z]?\s*x[a-z]{1,2}\s*h[a-z0-9]{1,3}\s*ch[a-z]{1,2}\s*ngh[a-z]{1,3}"
    r"\s*vi[a-z0-9]{1,2}t\s*nam"
    r"|(?<![a-z])[a-z0-9]{1,3}c\s*l[a-z0-9]{1,2}p\s*[-–—]*\s*t[a-z0-9]{1,2}\s*d[o0]\s*[-–—]*\s*h[a-z0-9]{1,3}nh"
    r"\s*ph[a-z0-9]{1,3}c?"
    r"|[-_=*~.…]{3,}")
_NUMBER = re.compile(
    r"(?:^\s*s[o6]\s*:?|\bs[o6]\s*:)\s*(\d*)\s*/\s*((?:\d{4}\s*/\s*)?[a-z][a-z0-9]*(?:\s*[-–—]\s*[a-z0-9]+)*)")
#: "<place>, ngày 31 tháng 12 năm 2021" / "..., ngày 5/3/2024", ending its line; an unreadable day
#: ("ngày A4" in OCR) still gives the place, but no date; OCR'd month and year words ("ndm") pass.
_DATE = re.compile(
    r",\s*ngay\s*(?P<d>\d{1,2}|[.…]+|\w{1,3})?\s*(?:/|-|th[a-z]{1,3}ng)\s*(?P<m>\d{1,2}|[.…]+)?\s*(?:/|-|n[a-z]{1,2}m)\s*"
    r"(?P<y>\d{4})[\s.|)\]]*$")
_SUBJECT = re.compile(r"^\s*v\s*/\s*v\b")  # "V/v triển khai ..." under a letter's number
_PREAMBLE = re.compile(
    r"^\s*(can cu|thuc hien (ke hoach|quyet dinh|nghi quyet|chi thi|cong van|van ban|chuong trinh|huong dan|thong bao)"
    r"|de |nham |uy ban|ubnd|[ivx]+\s*[.)]\s|kinh gui|kinh trinh|dieu\s+\d|(pho\s+)?chu tich|(pho\s+)?giam doc"
    r"|hoi dong nhan dan|truong ban|bo truong|chuong\s+[ivx\d]+\b)")
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
_COUNCIL = re.compile(r"^(uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)\b")
_UNIT_START = re.compile(r"^(?:" + "|".join(_UNIT_WORDS.values()) + r")\s")
#: Lower-case words a printed place may hold ("Thành phố Hồ Chí Minh, ngày ...").
_PLACE_WORDS = frozenset(("xa", "phuong", "thi", "tran", "huyen", "quan", "tinh", "thanh", "pho"))
_SIGNER_ROLE = re.compile(
    r"\s*(?:(?:tm|kt|ttl|tl|q|tuq)\s*\.\s*\S|(?:(?:tm|kt|ttl|tl|q)\.?\s+)?(?:pho\s+)?"
    r"(?:chu tich|truong ban|giam doc|uy ban nhan dan|hoi dong nhan dan|truong phong|chanh van phong"
    r"|cuc truong|chi cuc truong|bo truong|thu truong|hieu truong|thu ky|chu tri|chu toa|nguoi lap))")


def _name_word(word: str) -> bool:
    """A word of a person's name: letters, a capital then small ones ("Nguyễn"; not "động",
    whose "đ" a character range from "À" to "Ỹ" takes for a capital)."""
    return len(word) >= 2 and word.isalpha() and word[0].isupper() and word[1:].islower()


@dataclass(frozen=True, slots=True)
class Header:
    issuer: str | None = None
    commune: str | None = None
    district: str | None = None
    province: str | None = None
    doc_type: str | None = None
    doc_number: str | None = None
    issued_place: str | None = None
    issued_date: dt.date | None = None
    title: str | None = None
    title_line: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    signer: str | None = None
    signer_title: str | None = None


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _caps(word: str) -> bool:
    """An all-capitals word of three letters or more ("CÔNG", "UBND"; not "TP.")."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _title_case_run(original: str, start: int, max_words: int = 4) -> str | None:
    """The run of capitalised words starting at ``start`` ("Hải Dương về" -> "Hải Dương"); a
    change from capitals to title case ends it ("LÀO CAI Độc lập" -> "LÀO CAI")."""
    words = []
    for word in original[start:].split():
        word = word.strip(",.;:()\"“”")
        if not word or not (word[0].isupper() or word[0].isdigit()) or len(words) >= max_words:
            break
        if words and _caps(words[-1]) and any(c.islower() for c in word):
            break  # "LÀO CAI Độc lập"; not "QUẾ MỸ"
        words.append(word)
        if original[start:].split()[len(words) - 1].endswith((",", ".", ";", ":", ")")):
            break
    if not words:
        return None
    return place_case(" ".join(words))


def place_case(name: str) -> str:
    """A place name written as names are, each word capitalised: a word printed in capitals
    ("VĨNH LẬP" -> "Vĩnh Lập"), or with a capital after a small letter that only OCR makes
    ("ViNH" -> "Vinh"); other words as printed ("Đắk R'Lấp", "Ea H'leo")."""
    def word_case(word: str) -> str:
        letters = [c for c in word if c.isalpha()]
        odd = any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))
        return word.title() if len(letters) > 1 and (all(c.isupper() for c in letters) or odd) else word
    return " ".join(word_case(w) for w in name.split(" "))


#: what a seal or signature leaves after a line of capitals ("XÃ THANH XUÂN_.", "CHỦ TỊCH“")
_SPECKS = "\"'“”‘’`^~_|,;:. "
#: what follows a unit word without being its name ("xã UBND", "huyện Ủy ban ...")
_NOT_PLACES = ("ban ", "nhan dan", "uy ban", "ubnd", "hdnd", "ubmttq", "mttq", "dang uy")


def find_place(lines: Sequence[str], unit: str, folded: Sequence[str] | None = None,
               valid=None) -> tuple[str | None, int | None]:
    """First '<unit word> <Title Case Name>' in the lines, e.g. 'huyện Thanh Hà' -> 'Thanh Hà'
    (and, given, for which ``valid(name)`` holds)."""
    folded = folded or [fold(line) for line in lines]
    # one or two spaces: a wider gap is a dump's column gutter ("UBND huyện và       UBND xã")
    pattern = re.compile(r"\b" + _UNIT_WORDS[unit] + r"[ \xa0]{1,2}(?=\S)")
    for i, (line, fl) in enumerate(zip(lines, folded)):
        for m in pattern.finditer(fl):
            if len(line) != len(fl):
                continue
            word = line[m.start():m.end()].strip().lower()
            if word not in _UNIT_SURFACES[unit] and (word != fold(word) or line.lower() != fl):
                continue  # an accented look-alike ("cơ quan"); plain ASCII lines are taken as they are
            name = _title_case_run(line, m.end())
            if name and not fold(name).startswith(_NOT_PLACES) and (valid is None or valid(name)):
                return name, i
    return None, None


#: the national motto's letters, folded: a line that is it but for MOTTO_EDITS letters (OCR's
#: "CỘNG HÒA XÃ HỘI (:HỦ NGHĨA VIỆT NAM") is blanked whole
_MOTTO = "conghoaxahoichunghiavietnam"
MOTTO_EDITS = 3


def _motto_line(folded: str) -> bool:
    letters = re.sub(r"[^a-z]", "", folded.lower())
    return abs(len(letters) - len(_MOTTO)) <= MOTTO_EDITS and _levenshtein(letters, _MOTTO) <= MOTTO_EDITS


def _clean_header(lines: list[str], folded: list[str], n: int) -> None:
    """Blank the motto and rules out of the first ``n`` lines (in place)."""
    for i in range(n):
        if _motto_line(folded[i]):
            lines[i], folded[i] = _blank(lines[i], 0, len(lines[i])), " " * len(folded[i])
            continue
        for m in reversed(list(_NOISE.finditer(folded[i]))):
            lines[i], folded[i] = _blank(lines[i], *m.span()), _blank(folded[i], *m.span())


def _place_before(text: str, end: int) -> tuple[str | None, int]:
    """The place name ending at ``end`` and where it starts ("Số: 12/QĐ-SCT Lào Cai" -> "Lào
    Cai"): the capitalised words before it; the whole text when it is short and none is
    capitalised ("vinh lap")."""
    words = list(re.finditer(r"\S+", text[:end]))
    taken: list[re.Match] = []
    for w in reversed(words):
        word = w.group()
        if len(taken) >= 5 or "/" in word or ":" in word or not any(c.isalpha() for c in word):
            break
        if not (word[0].isupper() or fold(word) in _PLACE_WORDS):
            break
        if taken and _caps(word) and not _caps(taken[-1].group()):
            break  # "SỞ CÔNG THƯƠNG Lào Cai": the issuer column
        taken.append(w)
    if taken:
        return collapse_ws(text[taken[-1].start():end]), taken[-1].start()
    prefix = collapse_ws(text[:end])
    if 2 <= len(prefix) <= 40 and "/" not in prefix:
        return prefix, 0
    return None, end


def _number(lines: list[str], folded: list[str], upto: int) -> tuple[dict, int | None]:
    """"Số: 83/KH-UBND" anywhere on a line before ``upto``; blanked out once read."""
    for i in range(upto):
        m = _NUMBER.search(folded[i])
        if m:
            symbol = re.sub(r"\s+", "", lines[i][m.start(2):m.end(2)])
            symbol = re.sub(r"[–—]", "-", symbol)
            lines[i], folded[i] = _blank(lines[i], *m.span()), _blank(folded[i], *m.span())
            return {"doc_number": f"{m.group(1)}/{symbol}"}, i
    return {}, None


def _date(lines: list[str], folded: list[str], upto: int) -> tuple[dict, int | None]:
    """"<place>, ngày ..." ending a line before ``upto``; blanked out once read."""
    for i in range(upto):
        m = _DATE.search(folded[i])
        if not m:
            continue
        fields: dict = {}
        place, start = _place_before(lines[i], m.start())
        if place:
            fields["issued_place"] = place
        d, mo = m.group("d"), m.group("m")
        if d and mo and d.isdigit() and mo.isdigit():
            try:
                fields["issued_date"] = dt.date(int(m.group("y")), int(mo), int(d))
            except ValueError:
                pass
        lines[i], folded[i] = _blank(lines[i], start, m.end()), _blank(folded[i], start, m.end())
        return fields, i
    return {}, None


def _upper_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _issuer(lines: Sequence[str], folded: Sequence[str], upto: int, letterhead: bool) -> str | None:
    """The issuing body from the cleaned lines above ``upto``.

    "ỦY BAN NHÂN DÂN" + a unit line ("XÃ VĨNH LẬP") is one issuer; a body printed under its
    parent ("UBND TỈNH LÀO CAI" / "SỞ CÔNG THƯƠNG", in either order as OCR joins columns) is
    the body.  Without a council line the upper-case lines are the issuer, but only above a
    printed number or date (``letterhead``), where they cannot be the body's headings.
    """
    block = [i for i in range(upto) if folded[i].strip() and len(folded[i].strip()) <= 60
             and _upper_line(lines[i]) and not _SUBJECT.match(folded[i])
             and not re.match(r"\s*[ivx\d]+\s*[.)]", folded[i])]
    council = next((i for i in block if _COUNCIL.match(folded[i].strip())), None)
    if council is None:
        if not (letterhead and block):
            return None
        return collapse_ws(" ".join(lines[i] for i in block[:2])).rstrip(_SPECKS) or None
    parent = [council]
    rest = [i for i in block if i != council]
    if _COUNCIL.fullmatch(folded[council].strip()):
        # The unit line follows, possibly after a blank line (OCR of a two-column letterhead).
        # A side-by-side OCR line may come out above it ("CỘNG HÒA ... XÃ VĨNH LẬP").
        near = sorted((i for i in rest if 0 < abs(i - council) <= 2), key=lambda i: (i < council, abs(i - council)))
        nxt = near[0] if near else None
        if nxt is not None and _UNIT_START.match(folded[nxt].strip()):
            parent.append(nxt)
            rest.remove(nxt)
    body = [i for i in rest if not _UNIT_START.match(folded[i].strip()) and not _COUNCIL.match(folded[i].strip())]
    chosen = body[:2] if letterhead and body and abs(body[0] - council) <= 3 else parent
    return collapse_ws(" ".join(lines[i] for i in chosen)).rstrip(_SPECKS) or None


def _subject(lines: Sequence[str], folded: Sequence[str], first: int, stop: int) -> str | None:
    """The subject lines from ``first`` on: up to the preamble, at most four, blank lines skipped."""
    parts: list[str] = []
    after_blank = False
    for j in range(first, min(len(lines), first + 12, stop)):
        text = lines[j].strip()
        if not text:
            after_blank = True
            continue
        # A wrapped subject goes on in lower case ("giai đoạn 2021 - 2025"); a capital after a
        # blank line or on a finished sentence is the body.
        body = text[0].isupper() and (after_blank or text.endswith((".", ":", ";")))
        if parts and (_PREAMBLE.match(folded[j]) or len(parts) >= 4 or body
                      or _upper_line(text) and not _upper_line(parts[-1])):
            break
        parts.append(text)
    return collapse_ws(" ".join(parts)) if parts else None


def _letter_subject(lines: Sequence[str], folded: Sequence[str], upto: int) -> tuple[str | None, int | None]:
    """A letter's "V/v ..." subject and its wrapped lines, up to a blank or upper-case line."""
    i = next((k for k in range(upto) if _SUBJECT.match(folded[k])), None)
    if i is None:
        return None, None
    parts = [lines[i].strip()]
    for j in range(i + 1, min(upto, i + 4)):
        if not folded[j].strip() or _upper_line(lines[j]) or _PREAMBLE.match(folded[j]):
            break
        parts.append(lines[j].strip())
    return collapse_ws(" ".join(parts)), i


def extract_header(lines: Sequence[str], body_start: int | None = None,
                   closing: tuple[int, int] | None = None) -> Header:
    """Header fields from the document's lines (``lines[i]`` is line i+1).

    ``body_start`` is the 0-based first line of the body (the header is above
    it; a document whose body starts above its type word, such as a decision
    of articles without numbered headings, is scanned for HEADER_SCAN_LINES);
    ``closing`` the 0-based ``[start, end)`` range holding the signature block
    (after the body, before any appendix).
    """
    lines = [unicodedata.normalize("NFC", line) for line in lines]
    folded = [fold(line) for line in lines]
    head = min(len(lines), HEADER_SCAN_LINES)
    clean, clean_folded = list(lines), list(folded)
    _clean_header(clean, clean_folded, head)
    title_line = next((i for i in range(head) if type_of_title(clean[i])), None)
    scan = min(len(lines), body_start if body_start is not None else HEADER_SCAN_LINES)
    if body_start is not None and body_start <= (title_line if title_line is not None else 0):
        scan = head  # no numbered heading after the header: a decision's articles, a letter's paragraphs
    above = title_line if title_line is not None else scan  # the letterhead is above the type word
    fields: dict = {}

    number, number_line = _number(clean, clean_folded, above)
    fields.update(number)
    date, date_line = _date(clean, clean_folded, above)
    fields.update(date)
    letterhead = number_line is not None or date_line is not None
    issuer = _issuer(clean, clean_folded, min(scan, title_line if title_line is not None else ISSUER_SCAN_LINES),
                     letterhead)
    if issuer:
        fields["issuer"] = issuer

    # Title: the subject lines after the type word, up to the preamble; a letter's "V/v ..." line.
    subject, subject_line = _letter_subject(clean, clean_folded, above)
    if title_line is not None:
        title = _subject(clean, clean_folded, title_line + 1, len(lines))
        if title:
            fields["title"], fields["title_line"] = title, title_line + 1
    elif subject:
        fields["title"], fields["title_line"] = subject, subject_line + 1
    symbol = fields.get("doc_number", "").partition("/")[2]
    fields["doc_type"] = decide_type(type_of_title(clean[title_line]) if title_line is not None else None,
                                     type_of_symbol(symbol), subject is not None)

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
            name, _ = find_place(clean[:scan], unit, clean_folded[:scan])
        if name is None and unit != "commune":
            # named in passing further on: only the name of a real unit ("UBND huyện Văn bản
            # ...": a dump that ran two cells together names no district "Văn")
            name, _ = find_place(clean, unit, clean_folded, valid=lambda n, u=unit: is_unit_name(n, u))
        if name is not None:
            fields[unit] = name
    if fields.get("issued_place"):
        # The date line's place is, spelt as the header spells it, the unit it names: marks a
        # restoration gave the date line alone ("Vinh Lập, ngày ..." beside "XÃ VĨNH LẬP") or
        # OCR's case ("ViNH LAP") are not the place's.
        place = place_case(fields["issued_place"])
        fields["issued_place"] = next((fields[u] for u in ("commune", "district", "province")
                                       if fields.get(u) and fold(fields[u]) == fold(place)), place)
    if "commune" not in fields and fields.get("issued_place") and fields.get("district") != fields["issued_place"]:
        # The date line names the commune ("Vĩnh Lập, ngày ...") when the issuer is a commune.
        if fold(fields.get("issuer", "")).startswith(("uy ban nhan dan xa", "ubnd xa")):
            fields["commune"] = fields["issued_place"]

    lo, hi = closing if closing is not None else (0, len(lines))
    fields.update(_signature(lines, folded, lo, hi))
    return Header(**fields)


def _role_at(line: str, fl: str) -> str | None:
    """The role printed on this line ("KT. GIÁM ĐỐC"), in capitals: the whole line, or its
    right part after a "Nơi nhận" item that OCR put on the same line."""
    starts = [0]
    if re.match(r"\s*(noi nhan|[-+•])", fl):
        starts += [m.start() for m in re.finditer(r"(?<=\s)\S", fl)]
    for pos in starts:
        tail = line[pos:].strip()
        if _SIGNER_ROLE.match(fl, pos) and len(tail) <= 45 and _upper_line(tail):
            return tail.rstrip(_SPECKS) or None  # a speck of a seal or signature after it
    return None


def _name_at(line: str, fl: str) -> str | None:
    """A signer's name: a line of 2-5 capitalised words, or such words ending a "Nơi nhận" item."""
    words = line.split()
    if 2 <= len(words) <= 5 and all(map(_name_word, words)):
        return " ".join(words)
    if re.match(r"\s*[-+•]", fl):
        n = 0
        while n < min(5, len(words) - 1) and _name_word(words[-1 - n]):
            n += 1
        if n >= 2:
            return " ".join(words[-n:])
    return None


def _signature(lines: Sequence[str], folded: Sequence[str], lo: int, hi: int) -> dict:
    """Signer and capacity: the role lines and the name line after them, last in ``[lo, hi)``.

    Role lines may alternate with "Nơi nhận" items (two columns interleaved) or share their
    lines (side by side); such items between role lines are skipped."""
    for i in range(min(hi, len(lines)) - 1, lo - 1, -1):
        role = _role_at(lines[i], folded[i])
        if role is None:
            continue
        # Walk back over further role lines (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH).
        roles, k = [role], i - 1
        while k >= lo:
            if not folded[k].strip() or re.match(r"\s*[-+•]", folded[k]) and not _role_at(lines[k], folded[k]):
                k -= 1
                continue
            more = _role_at(lines[k], folded[k])
            if more is None:
                break
            roles.insert(0, more)
            k -= 1
        title = collapse_ws(" / ".join(roles))
        for j in range(i + 1, min(len(lines), i + 8)):
            if re.match(r"\s*phu luc\b", folded[j].lower()):
                break  # the appendix: the signature page was not read
            name = _name_at(lines[j], folded[j])
            if name:
                return {"signer": name, "signer_title": title}
        return {"signer_title": title}
    return {}
