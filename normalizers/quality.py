"""How much of a text is readable Vietnamese, and what may appear in an output cell at all.

One place for the measures that decide whether a page's text is trusted
(:mod:`extractors.page_verdict`), how a document scores (``documents.text_quality``) and what
is scrubbed from output cells (:func:`scrub`):

* :func:`syllable_share` -- share of the letter tokens that are well-formed Vietnamese
  syllables or upper-case acronyms (UBND, HĐND, CCHC); plain English words count as not
  Vietnamese, so text from a wrong font map or an English-model OCR layer scores low;
* :func:`foreign_share` -- share of the non-space characters outside the repertoire of
  Vietnamese administrative text (:func:`in_repertoire`);
* :func:`cid_share` -- share of the glyphs that pdfminer could not map to Unicode and wrote
  as ``(cid:N)``;
* :func:`reading_estimate` -- the share of an OCR'd page's syllables read right, estimated from
  its mean word confidence (``documents.page_accuracy``; a page under :data:`POOR_READING` is
  reported).  A page OCR garbled is still mostly well-formed syllables ("tính hình Nhay"):
  :func:`syllable_share` cannot tell it from a page read right, tesseract's confidence can.

The repertoire is Latin script (ASCII, Latin-1, Latin Extended-A/B, the Vietnamese letters of
Latin Extended Additional, combining tone marks), ASCII and general punctuation, the
mathematical operators of targets (≥ ≤ ±), currency (₫ €), superscripts and the usual bullets
and boxes.  Cyrillic, Greek, CJK, private-use code points (a Symbol-font bullet), control
characters and U+FFFD are outside it: in Vietnamese plans they only come from broken fonts.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from normalizers.encodings import is_valid_syllable, toneless_stop
from normalizers.text import vietnamese_letters

__all__ = ["en_dashes", "in_repertoire", "foreign_share", "cid_share", "syllable_share", "scrub", "drop_specks",
           "reading_estimate", "letter_words", "with_vietnamese_letters", "CID_RE", "PUA_BULLETS", "TEXT_MARKS", "POOR_READING"]

#: a glyph pdfminer could not map to Unicode
CID_RE = re.compile(r"\(cid:\d+\)")
_TOKEN_RE = re.compile(r"[^\W\d_]+")
_ACRONYM_RE = re.compile(r"^[A-ZĐ]{2,8}$")

_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and -B (Ă Đ Ĩ Ũ Ơ Ư ...)
    (0x0300, 0x0323),  # combining marks (tones, breve, circumflex, horn, dot below)
    (0x1E00, 0x1EFF),  # Latin Extended Additional (ạ ả ấ ... ỹ)
    (0x2010, 0x2027),  # dashes, quotes, bullet, ellipsis
    (0x2030, 0x203A),  # per mille, primes, angle quotes
    (0x2070, 0x209F),  # superscripts and subscripts (m², CO₂)
    (0x20A0, 0x20BF),  # currency (₫, €)
    (0x2100, 0x214F),  # letterlike (№, ℃, ™)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (≥, ≤, ≠, ≈)
    (0x25A0, 0x25FF),  # geometric shapes (■ □ ● ○ ◆)
    (0x2610, 0x2612),  # ballot boxes
    (0x2713, 0x2718),  # check marks
)
_WHITESPACE = frozenset("\t\n\r\f\v")

#: Symbol / Wingdings bullets that Word exports as private-use code points: printed as a
#: list bullet, read as "-" (the outline's bullet) instead of being dropped.
PUA_BULLETS = {chr(c): "-" for c in (0xF02D, 0xF076, 0xF09F, 0xF0A7, 0xF0A8, 0xF0B7, 0xF0D8, 0xF0E0, 0xF0E8,
                                      0xF0F0, 0xF0FC, 0xF06E, 0xF06C, 0xF071)}


@functools.lru_cache(maxsize=4096)
def in_repertoire(ch: str) -> bool:
    """Whether one character may appear in Vietnamese administrative text."""
    if ch in _WHITESPACE:
        return True
    c = ord(ch)
    if c in (0x00AD,):  # soft hyphen: invisible, never wanted in a cell
        return False
    return any(lo <= c <= hi for lo, hi in _RANGES)


def _nonspace(text: str) -> str:
    return "".join(text.split())


def foreign_share(text: str) -> float:
    """Share of the non-space characters of ``text`` outside the repertoire (0.0 for no text)."""
    chars = _nonspace(CID_RE.sub("", text))
    if not chars:
        return 0.0
    return sum(not in_repertoire(ch) for ch in chars) / len(chars)


def cid_share(text: str) -> float:
    """Share of the glyphs of ``text`` written as ``(cid:N)`` (each counts as one glyph)."""
    n_cid = len(CID_RE.findall(text))
    if not n_cid:
        return 0.0
    rest = len(_nonspace(CID_RE.sub("", text)))
    return n_cid / (n_cid + rest)


@functools.lru_cache(maxsize=1 << 16)
def _is_word(token: str) -> bool:
    return bool(_ACRONYM_RE.match(token)) or is_valid_syllable(token)


def syllable_share(text: str) -> float:
    """Share of the letter tokens of ``text`` that are Vietnamese syllables or acronyms; 1.0
    when it has no letter tokens.  Words of plain ASCII count when they are well-formed
    syllables without their marks ("Ke hoach" is damaged Vietnamese that repair restores),
    not otherwise ("Thyc", "hién", "cid")."""
    tokens = _TOKEN_RE.findall(unicodedata.normalize("NFC", CID_RE.sub(" ", text)))
    if not tokens:
        return 1.0
    good = sum(map(_is_word, tokens))
    cids = len(CID_RE.findall(text))
    return good / (len(tokens) + cids)


#: the share of an OCR'd page's syllables read right (after the correction) is estimated as
#: ``READ_BASE + READ_SLOPE * mean word confidence``, clipped to [0, 1]: the least-squares line
#: through 240 generated scans of training documents (``scripts/eval_page_reading.py --fit``:
#: four fonts and Times New Roman's metric clone, 150/200/300 dpi, bilevel, JPEG, stamps,
#: signatures, bleed-through), off by 0.02-0.04 on average on 72 held-out pages
READ_BASE = -0.376
READ_SLOPE = 1.444
#: an OCR'd page estimated to read fewer of its syllables right than this is reported (an error
#: item, the document partial): on the held-out pages it flags every page read under 0.8, and
#: three read at 0.80, 0.81 and 0.84
POOR_READING = 0.8
#: a page with fewer words than this is not judged: on a signature page the specks of a seal
#: and a signature are most of what OCR read beside a name
READING_MIN_WORDS = 40


def letter_words(text: str) -> int:
    """How many words of letters ``text`` holds."""
    return len(_TOKEN_RE.findall(text))


def reading_estimate(confidence: float | None, words: int) -> float | None:
    """The estimated share of an OCR'd page's syllables read right from its mean word
    ``confidence`` (see :data:`READ_BASE`), or None for a page of fewer than
    :data:`READING_MIN_WORDS` ``words`` or without a confidence."""
    if confidence is None or words < READING_MIN_WORDS:
        return None
    return round(min(1.0, max(0.0, READ_BASE + READ_SLOPE * confidence)), 4)


#: a text whose look-alikes of Đ/đ, written as those letters, make this share of its words
#: Vietnamese syllables (and more than before) is Unicode Vietnamese written with them
LOOKALIKE_SHARE = 0.8


def with_vietnamese_letters(text: str) -> str:
    """``text`` with the look-alikes of "Đ" / "đ" written as those letters
    (:func:`normalizers.text.vietnamese_letters`: "Ðiều", "ðôn ðốc") when that makes it read as
    Vietnamese -- more of its words syllables, and :data:`LOOKALIKE_SHARE` of them at least; a
    line typed in a legacy font (TCVN3, VNI), where "ð" and "Ð" are other letters, stays for
    the repair to decode."""
    fixed = vietnamese_letters(text)
    if fixed == text:
        return text
    share = syllable_share(fixed)
    return fixed if share >= LOOKALIKE_SHARE and share > syllable_share(text) else text


def stray_letters(text: str) -> list[str]:
    """The letter runs of a short cell (a body's name, a date) that no such cell holds: neither
    a Vietnamese syllable, an acronym ("UBND", "IV") nor a capitalised name of four letters or
    more ("Viettel") -- what OCR makes of a seal, a signature or a torn stroke over the cell
    ("Bộ màn uc", "Công T mm – Kế toán", "Hàng năm L VÀ"), or a word in mixed case ("lI"); a
    "Q" before a number is "quý" written short ("Q IV")."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for m in _TOKEN_RE.finditer(text):
        t = m.group()
        title = t[0].isupper() and t[1:].islower()
        if t == "Q" and _NUMBERED_RE.match(text, m.end()):
            continue  # quý written short: "Quý III, Q IV"
        if ((not _is_word(t) and not _is_word(t.lower()) and not (len(t) >= 4 and title))
                or (t.islower() and toneless_stop(t))
                or not (t.islower() or t.isupper() or title)):  # "lI", "tHg"
            out.append(t)
    return out


#: what follows the "Q" of a quarter written short ("Q IV", "Q.3")
_NUMBERED_RE = re.compile(r"[.\s]*(?:[IVX]+\b|\d)")


def scrub(text: str) -> tuple[str, int]:
    """``text`` without ``(cid:N)`` codes and characters outside the repertoire (Symbol-font
    bullets become "-"), white space collapsed where something was cut; and how many
    characters were removed."""
    if text.isascii() and "(cid:" not in text and text.isprintable():
        return text, 0
    removed = 0

    def cut(m: re.Match[str]) -> str:
        nonlocal removed
        removed += 1
        return " "

    out = CID_RE.sub(cut, text)
    chars = []
    for ch in out:
        if ch in PUA_BULLETS:
            chars.append(PUA_BULLETS[ch])
        elif in_repertoire(ch):
            chars.append(ch)
        else:
            removed += 1
            chars.append(" ")
    if not removed:
        return "".join(chars), 0
    cleaned = re.sub(r"[ \t]{2,}", " ", "".join(chars)).strip()
    return cleaned, removed


#: marks that real text prints between or around words ("Tư pháp – Hộ tịch", "+ Báo cáo", "(…)")
TEXT_MARKS = frozenset("-–—+*•;:,.()[]%…/&\"'“”‘’!?")


def drop_specks(text: str) -> tuple[str, int]:
    """``text`` without the words that hold no letter or digit and a sign real text does not
    print between words (:data:`TEXT_MARKS` aside): in a cell read by OCR these are strokes of
    a stamp or a signature, or a piece of a ruling ("¬", "_—~", "`-", "|"); and how many were
    dropped.  Lines are kept."""
    dropped = 0
    lines = []
    for line in text.split("\n"):
        words = []
        for w in line.split():
            if not set(w) <= TEXT_MARKS and not any(ch.isdigit() or unicodedata.category(ch) in ("Lu", "Ll") for ch in w):
                dropped += 1
                continue
            words.append(w)
        lines.append(" ".join(words))
    return ("\n".join(lines), dropped) if dropped else (text, 0)


#: a run of dashes standing alone between words that holds a long one ("—", "—-", "-–")
_LONG_DASH_RE = re.compile(r"(?<=\s)[-–—]*[—–][-–—]*(?=\s)")


def en_dashes(text: str) -> str:
    """``text`` with each dash standing alone between words that OCR read as a long one, or as a
    dash and a hyphen ("Tư pháp — Hộ tịch", "Văn hóa —- Xã hội"), written as the one en dash
    printed: Vietnamese administrative text puts no em dash between words.  Hyphens stay."""
    return _LONG_DASH_RE.sub("–", text) if "—" in text or "–" in text else text


#: closing marks that end a cell's text when it opened them
_CLOSERS = {")": "(", "]": "[", "”": "“", "’": "‘"}
_SIGNS = "".join(TEXT_MARKS)
#: signs around a word's letters at a cell's end
_SPECK_EDGE = _SIGNS + "|“”‘’[]"


def _definite_speck(word: str, text: str) -> bool:
    """A word no cell ends on: marks of no sentence ("]" without its "[", "“", "/", "|"), or at
    most three letters that are neither a Vietnamese syllable nor an acronym ("c", "Jj", "rưZ")."""
    core = word.strip(_SPECK_EDGE)
    if not core:
        if word in (".", ",", ";", ":", "-", "–", "!", "?", "…", "%"):
            return False
        opener = _CLOSERS.get(word[-1:])
        return opener is None or opener not in text
    if any(ch.isdigit() for ch in core) or len(core) > 3 or _ACRONYM_RE.match(core) or (
            len(core) == 1 and core.isupper()):
        return False  # a capital alone may be a label ("Thôn A")
    return not is_valid_syllable(core.lower())


def drop_trailing_specks(text: str) -> tuple[str, int]:
    """``text`` without the run of words at its end that a stamp, a signature or a ruling left
    after the cell's last word in OCR ("… của xã ] Jj H", "… kết quả thực hiện t"): a run of
    one-letter words and words no cell ends on (:func:`_definite_speck`), at least one of
    them the latter (a label such as "Thôn A" stays); and how many were dropped."""
    lines = text.split("\n")
    k = max((i for i, ln in enumerate(lines) if ln.strip()), default=None)
    if k is None:
        return text, 0
    words = lines[k].split()
    n = len(words)
    while n > 0:
        w = words[n - 1]
        if not (_definite_speck(w, text) or len(w.strip(_SIGNS)) == 1):
            break
        n -= 1
    run = words[n:]
    if not run or n == 0 and k == 0 or not any(_definite_speck(w, text) for w in run):
        return text, 0
    lines[k] = " ".join(words[:n])
    out = "\n".join(lines).rstrip()
    return out, len(run)


#: parse certainty of a row by how it was found: cells of a table's markup or rulings, a
#: table decoded from the order of printed lines, a body or "Tổ chức thực hiện" paragraph
PARSE_CERTAINTY = {"grid": 1.0, "layout": 0.95, "rowlines": 0.8, "stream": 0.85, "columns": 0.8, "body": 0.9, "responsibility": 0.9}


#: how well text that reached the pipeline with this damage reads after repair (measured
#: syllable accuracies of ``make eval``: legacy encodings 100 %, ASCII 99 %, English-model OCR
#: 96 %, which leaves whole rows wrong far more often): the reading quality of pages that carry
#: no measure of their own (text dumps, DOCX)
STATE_READING = {"accented": 1.0, "legacy_tcvn3": 1.0, "legacy_vni": 1.0, "ascii": 0.95, "mixed": 0.85,
                 "ocr_mangled": 0.7}


def row_confidence(reading: float | None, text: str, parse: float) -> float:
    """Confidence in [0, 1] of an extracted row: how well its page was read (``reading``: the
    page's quality, None for inputs that carry their text: 1.0), how Vietnamese its own text is
    (:func:`syllable_share`) and how certain the parse that found it (``parse``)."""
    page = 1.0 if reading is None else max(0.0, min(1.0, reading))
    return round(page * syllable_share(text or "") * max(0.0, min(1.0, parse)), 4)
