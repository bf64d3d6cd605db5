"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC and VNI-Windows) -> Unicode.

Text typed with the old ``.VnTime`` (TCVN3, TCVN 5712:1993) or ``VNI-Times``
(VNI-Windows) fonts and later extracted as if it were Latin-1/cp1252 shows up as
``"Céng hoµ x· héi chñ nghÜa"`` (TCVN3) or ``"Coäng hoøa xaõ hoäi chuû nghóa"`` (VNI).
This module holds complete deterministic tables for the 134 accented letters of both
encodings, decoders that accept both the Latin-1 and cp1252 rendering of the bytes,
encoders (for tests and round trips), a rule-based Vietnamese syllable check and a
detector.

TCVN3: the table is the full TCVN 5712:1993 "VN1" layout (upper-case toned letters at
0x01-0x17 and 0x80-0x9F etc.).  The common "ABC"/VN3 fonts have only the lower-case
codes (plus ĂÂÊÔƠƯĐ); upper-case headings are typed with lower-case codes in an
all-caps font (``.VnTimeH``), so the decoder re-applies upper case to a letter decoded
from a lower-case code when the word it sits in is written in capitals.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

# --------------------------------------------------------------------------------------
# TCVN3 (TCVN 5712:1993, VN1 superset of VN3/ABC): byte -> Unicode
# --------------------------------------------------------------------------------------

_TCVN3_BYTES: dict[int, str] = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
    0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
    0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á", 0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È",
    0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ", 0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ",
    0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ", 0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ",
    0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ", 0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ",
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ",
    0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBA: "Ẳ", 0xBB: "ằ", 0xBC: "ẳ",
    0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
    0xC5: "Ề", 0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è",
    0xCD: "Ể", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ",
    0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ",
    0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ",
    0xED: "ớ", 0xEE: "ợ", 0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ",
    0xFD: "ý", 0xFE: "ỵ", 0xFF: "Ố",
}
#: bytes of the VN3/ABC lower-case (and ĂÂÊÔƠƯĐ) letters: the codes found in real files
_TCVN3_VN3 = frozenset(
    b for b, u in _TCVN3_BYTES.items() if b >= 0xA1 and (u.islower() or b <= 0xA7)
)


def _byte_chars(b: int) -> set[str]:
    """The characters a byte may show up as: Latin-1 and cp1252 renderings."""
    chars = {chr(b)}
    try:
        chars.add(bytes([b]).decode("cp1252"))
    except UnicodeDecodeError:
        pass
    return chars


#: rendered char -> Unicode.  Latin-1 renderings (C0/C1 controls for the VN1 upper-case
#: codes) are unambiguous; cp1252 renderings of 0x80-0x9F that are punctuation
#: (“ ” – — … •) are decoded only inside words (see :func:`decode_tcvn3`).
TCVN3_DECODE: dict[str, str] = {}
_TCVN3_CP1252_PUNCT: dict[str, str] = {}
for _b, _u in _TCVN3_BYTES.items():
    for _c in _byte_chars(_b):
        if _c != chr(_b) and not _c.isalpha():
            _TCVN3_CP1252_PUNCT[_c] = _u
        else:
            TCVN3_DECODE[_c] = _u
#: Unicode letter -> rendered char (Latin-1 rendering); every one of the 134 accented
#: letters has its own code in the VN1 table
TCVN3_ENCODE: dict[str, str] = {}
TCVN3_ENCODE_CP1252: dict[str, str] = {}
for _b, _u in _TCVN3_BYTES.items():
    if 0xB0 <= _b <= 0xB4:
        continue
    TCVN3_ENCODE[_u] = chr(_b)
    try:
        TCVN3_ENCODE_CP1252[_u] = bytes([_b]).decode("cp1252")
    except UnicodeDecodeError:
        TCVN3_ENCODE_CP1252[_u] = chr(_b)
_TCVN3_COMBINING = {chr(b): TCVN3_DECODE.pop(chr(b)) for b in range(0xB0, 0xB5)}
_VOWELS_NFD = frozenset("aăâeêioôơuưy")
#: characters only a VN1-aware encoder produces (upper-case toned letters)
_TCVN3_VN1_ONLY = frozenset(
    chr(b) for b in _TCVN3_BYTES if b not in _TCVN3_VN3 and not 0xB0 <= b <= 0xB4
)
_TCVN3_LOWER_CODES = frozenset(c for b in _TCVN3_VN3 for c in _byte_chars(b) if _TCVN3_BYTES[b].islower())

# --------------------------------------------------------------------------------------
# VNI-Windows: base letter + mark byte
# --------------------------------------------------------------------------------------

#: tone marks after a vowel (lower-case renderings; upper case = byte - 0x20)
_VNI_TONE = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
#: circumflex (+tone) after a, e, o
_VNI_CIRC = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
#: breve (+tone) after a
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
#: single-byte letters
_VNI_SINGLE_LOWER = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}

_TONE_NAMES = "\u0300\u0309\u0303\u0301\u0323"


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


VNI_ENCODE: dict[str, str] = {}
VNI_DECODE_PAIRS: dict[str, str] = {}
VNI_DECODE_SINGLE: dict[str, str] = {}


def _build_vni() -> None:
    for upper in (False, True):
        def up(s: str) -> str:
            return s.upper() if upper else s

        pairs: dict[str, str] = {}
        for base in "aeouy":
            for mark, tone in _VNI_TONE.items():
                pairs[up(base) + up(mark)] = up(_nfc(base + tone))
        for base, horn in (("ô", "ơ"), ("ö", "ư")):
            for mark, tone in _VNI_TONE.items():
                pairs[up(base) + up(mark)] = up(_nfc(horn + tone))
        for base in "aeo":
            for mark, tone in _VNI_CIRC.items():
                pairs[up(base) + up(mark)] = up(_nfc(base + "\u0302" + tone))
        for mark, tone in _VNI_BREVE.items():
            pairs[up("a") + up(mark)] = up(_nfc("a\u0306" + tone))
        singles = {up(k): up(v) for k, v in _VNI_SINGLE_LOWER.items()}
        VNI_DECODE_PAIRS.update(pairs)
        VNI_DECODE_SINGLE.update(singles)
        for k, v in pairs.items():
            VNI_ENCODE.setdefault(v, k)
        for k, v in singles.items():
            if k not in ("í", "ì", "Í", "Ì"):
                VNI_ENCODE.setdefault(v, k)
    # accept a lower-case mark after an upper-case base and vice versa
    for k, v in list(VNI_DECODE_PAIRS.items()):
        for alt in (k[0] + k[1].lower(), k[0] + k[1].upper()):
            VNI_DECODE_PAIRS.setdefault(alt, v if k[0].isupper() == v.isupper() else v)


_build_vni()
VNI_ENCODE["í"], VNI_ENCODE["ì"], VNI_ENCODE["Í"], VNI_ENCODE["Ì"] = "í", "ì", "Í", "Ì"

# --------------------------------------------------------------------------------------
# Encoders / decoders
# --------------------------------------------------------------------------------------

ENCODINGS = ("tcvn3", "vni")


def encode(text: str, encoding: str, rendering: str = "latin-1") -> str:
    """Unicode -> legacy encoding rendered as Latin-1 (default) or cp1252 characters."""
    text = _nfc(text)
    if encoding == "tcvn3":
        table = TCVN3_ENCODE_CP1252 if rendering == "cp1252" else TCVN3_ENCODE
    else:
        table = VNI_ENCODE if encoding == "vni" else None
    if table is None:
        raise ValueError(f"unknown encoding {encoding!r}")
    return "".join(table.get(ch, ch) for ch in text)


_WORD_RE = re.compile(r"[^\W\d_]+|[\x01-\x17\xad\x80-\x9f\u0080-\u009f\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+")


def decode_tcvn3(text: str, recase: bool = True) -> str:
    """TCVN3 (rendered as Latin-1 or cp1252) -> Unicode NFC.

    With ``recase`` (default), letters decoded from lower-case VN3 codes inside words
    written in capitals are upper-cased (ABC files type capitals with lower-case codes
    in an all-caps font); this is skipped when the text uses VN1 upper-case codes.
    """
    out = []
    get = TCVN3_DECODE.get
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _TCVN3_CP1252_PUNCT:
            left = text[i - 1] if i else " "
            right = text[i + 1] if i + 1 < n else " "
            inside = (left.isalpha() or left in TCVN3_DECODE) and (right.isalpha() or right in TCVN3_DECODE)
            out.append(_TCVN3_CP1252_PUNCT[ch] if inside and _punct_is_letter(text, i) else ch)
        elif ch in _TCVN3_COMBINING:
            # VN1 combining tone marks: only after a vowel ("°" after a digit is a degree sign)
            prev = out[-1][-1:].lower() if out else ""
            out.append(_TCVN3_COMBINING[ch] if prev and prev in _VOWELS_NFD else ch)
        else:
            out.append(get(ch, ch))
    decoded = _nfc("".join(out))
    if not recase or decoded == text or not _TCVN3_VN1_ONLY.isdisjoint(text):
        return decoded
    return _recase_tcvn3(text, decoded)


def _is_word_char(c: str) -> bool:
    return c.isalpha() or c in TCVN3_DECODE or c in _TCVN3_CP1252_PUNCT or c in _TCVN3_COMBINING


def _punct_is_letter(text: str, i: int) -> bool:
    """A cp1252 punctuation character between letters (``”`` of ``C”§iÒu``) is the VN1
    code of a capital only when the word around it then reads as a syllable
    (``H—I`` -> ``HỘI``); otherwise it is the punctuation it looks like."""
    a = i
    while a > 0 and _is_word_char(text[a - 1]):
        a -= 1
    b = i + 1
    while b < len(text) and _is_word_char(text[b]):
        b += 1
    word = text[a:b]
    dec = "".join(
        _TCVN3_CP1252_PUNCT.get(c) or TCVN3_DECODE.get(c) or _TCVN3_COMBINING.get(c) or c for c in word
    )
    return is_valid_syllable(_nfc(dec))


def _recase_tcvn3(src: str, decoded: str) -> str:
    """Upper-case letters decoded from lower-case VN3 codes inside all-caps words."""
    if len(src) != len(decoded):  # combining marks merged: skip re-casing
        return decoded
    # word spans over the source where the decoded text has letters
    res = list(decoded)
    words = []
    i = 0
    n = len(src)
    while i < n:
        if decoded[i].isalpha():
            j = i
            while j < n and decoded[j].isalpha():
                j += 1
            words.append((i, j))
            i = j
        else:
            i += 1
    caps_words = 0
    lower_words = 0
    info = []
    for i, j in words:
        upper = lower = coded = ascii_upper = 0
        for k in range(i, j):
            s = src[k]
            if s in _TCVN3_LOWER_CODES:
                coded += 1
            elif decoded[k].isupper():
                upper += 1
                ascii_upper += s.isascii()
            elif decoded[k].islower():
                lower += 1
        info.append((i, j, upper, lower, coded, ascii_upper))
        # a heading shows Vietnamese words in capitals (with coded letters); codes
        # such as "SCT-CN", "QCVN" in a sentence-case line ("Số: /SCT-CN") do not count
        if lower == 0 and coded and upper >= 2:
            caps_words += 1
        elif lower > 0:
            lower_words += 1
    line_caps = caps_words >= 1 and caps_words > lower_words
    for i, j, upper, lower, coded, ascii_upper in info:
        if not coded or lower:
            continue
        if not is_valid_syllable(decoded[i:j]):
            continue  # a code glued to a word ("NĐ-CPđể"): no heading syllable
        # on its own (not in a heading line) a word needs two plain capitals around
        # its codes (HO¹CH); "§ÆP" (ĐặP) in a sentence may be just that
        if ascii_upper >= 2 or (upper >= 1 and line_caps) or (upper == 0 and line_caps and caps_words >= 2):
            for k in range(i, j):
                res[k] = res[k].upper()
    # a capitalised coded word next to a re-cased one ("KÕ HO¹CH" in a sentence)
    done = [res[i:j] != list(decoded[i:j]) for i, j, *_r in info]
    for w, (i, j, upper, lower, coded, _a) in enumerate(info):
        if done[w] or not coded or lower or not upper or not is_valid_syllable(decoded[i:j]):
            continue
        if (w > 0 and done[w - 1]) or (w + 1 < len(info) and done[w + 1]):
            for k in range(i, j):
                res[k] = res[k].upper()
    return "".join(res)


def decode_vni(text: str) -> str:
    """VNI-Windows (rendered as Latin-1 or cp1252) -> Unicode NFC."""
    out = []
    i = 0
    n = len(text)
    pairs = VNI_DECODE_PAIRS
    singles = VNI_DECODE_SINGLE
    while i < n:
        two = text[i : i + 2]
        if len(two) == 2 and two in pairs:
            out.append(pairs[two])
            i += 2
            continue
        ch = text[i]
        out.append(singles.get(ch, ch))
        i += 1
    return _nfc("".join(out))


_TCVN3_CODE_CHARS = frozenset(TCVN3_DECODE) - frozenset(TCVN3_ENCODE)
_VNI_CODE_CHARS = (frozenset(VNI_DECODE_SINGLE) | frozenset(k[1] for k in VNI_DECODE_PAIRS)) - frozenset(VNI_ENCODE)


def unrepresentable(text: str, encoding: str) -> set[str]:
    """Characters of a Unicode ``text`` that a file in the legacy ``encoding`` cannot
    hold: symbols or foreign letters whose Latin-1 / cp1252 rendering is the code of a
    Vietnamese letter there (TCVN3: ``º`` is Ẳ, ``÷`` ữ, ``×`` ì, ``ñ`` ủ; VNI: ``ñ`` is
    đ, ``ö`` ư, ``ë`` a mark).  Encoding leaves them as they are, and decoding then
    reads them as the letters they encode."""
    text = _nfc(text)
    if encoding == "tcvn3":
        codes = _TCVN3_CODE_CHARS
    elif encoding == "vni":
        codes = _VNI_CODE_CHARS
    else:
        raise ValueError(f"unknown encoding {encoding!r}")
    return {c for c in text if c in codes}


def decode(text: str, encoding: str) -> str:
    if encoding == "tcvn3":
        return decode_tcvn3(text)
    if encoding == "vni":
        return decode_vni(text)
    raise ValueError(f"unknown encoding {encoding!r}")


# --------------------------------------------------------------------------------------
# Syllable validity and detection
# --------------------------------------------------------------------------------------

_SYL_RE = re.compile(
    r"^(ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdđghklmnprstvx])?"
    r"(oai|oay|oao|oeo|uây|uôi|ươi|ươu|uyê|uya|yêu|iêu|uơ|"
    r"ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uy|ưa|ưi|ươ|ưu|yê|"
    r"[aăâeêioôơuưy])"
    r"(ch|nh|ng|[cmnpt])?$"
)
_TONE_RE = re.compile("[\u0300\u0309\u0303\u0301\u0323]")


def is_valid_syllable(word: str) -> bool:
    """Rule-based check that ``word`` is a well-formed Vietnamese syllable."""
    w = unicodedata.normalize("NFD", word.lower())
    tones = _TONE_RE.findall(w)
    if len(tones) > 1:
        return False
    base = _nfc(_TONE_RE.sub("", w))
    m = _SYL_RE.match(base)
    if not m:
        return False
    coda = m.group(3)
    if tones and coda in ("c", "ch", "p", "t") and tones[0] not in ("\u0301", "\u0323"):
        return False
    return True


def toneless_stop(word: str) -> bool:
    """Whether ``word`` is closed by c, ch, p or t and carries no tone: a form
    :func:`is_valid_syllable` lets through (unaccented text) but no Vietnamese word has ("uc",
    "tiêp"; the tone is sắc or nặng)."""
    low = word.lower()
    return low.endswith(("c", "p", "t", "ch")) and not _TONE_RE.search(unicodedata.normalize("NFD", low))


_VIET_NON_ASCII = frozenset(
    "àảãáạăằẳẵắặâầẩẫấậèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵđ"
)
_TCVN3_MARKERS = frozenset(
    "¨©ª«¬\xad®µ¶·¸¹»¼½¾ÆÇÈËÎÏÐÑÖ×ØÜÞßäåæçëîïñö÷øûüþ¡¢£¤¥¦§"
)
_VNI_MARKERS = frozenset("øûïåäüëæöîñØÛÏÅÄÜËÆÖÎÑ")


_LEGACY_CHARS = "".join(sorted(set(TCVN3_DECODE) | set(_TCVN3_CP1252_PUNCT) | set("".join(VNI_DECODE_PAIRS)) | set(VNI_DECODE_SINGLE)))
_SCORE_TOKEN_RE = re.compile("(?:[^\\W\\d_]|[" + re.escape(_LEGACY_CHARS) + "])+")


def _word_scores(text: str, valid_fn=None) -> tuple[int, int, int]:
    """(number of words with non-ASCII letters, how many are valid syllables,
    number of words with characters that are not Vietnamese letters).  Words are runs
    of letters and legacy code characters (digits, brackets etc. split them)."""
    nonascii = valid = bad = 0
    check = valid_fn or is_valid_syllable
    for m in _SCORE_TOKEN_RE.finditer(text):
        tok = m.group()
        if tok.isascii():
            continue
        nonascii += 1
        low = tok.lower()
        if not all(c.isalpha() and (c.isascii() or c in _VIET_NON_ASCII) for c in low):
            bad += 1
            continue
        if len(tok) == 1:
            # a lone non-ASCII letter (÷ read as "ữ" in "27 ÷ 30", × as "ì") is no
            # evidence either way
            continue
        valid += check(tok)
    return nonascii, valid, bad


def legacy_scores(text: str) -> dict[str, float]:
    """Score how well ``text`` reads as Unicode, TCVN3 and VNI: for each, the share of
    non-ASCII words that are valid syllables after decoding, minus broken words."""
    out = {}
    for enc, conv in (("unicode", lambda s: s), ("tcvn3", decode_tcvn3), ("vni", decode_vni)):
        t = conv(text)
        n, v, b = _word_scores(t)
        out[enc] = (v - b) / n if n else 0.0
    return out


#: Vietnamese letters outside Latin-1: never produced by a Latin-1/cp1252 rendering
_VIET_BEYOND_LATIN1 = frozenset(c for c in _VIET_NON_ASCII | {x.upper() for x in _VIET_NON_ASCII} if ord(c) > 0xFF)
_TCVN3_MARKERS = _TCVN3_MARKERS | frozenset(chr(c) for c in range(0x80, 0xA0)) | frozenset("ŒŠŽšœžŸƒ")
_VNI_CANDIDATE_CHARS = frozenset("ùøûõïâáàåãäêéèúüëôöñíìæóòîÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜËÔÖÑÍÌÆÓÒÎ")


def _n_words(text: str) -> int:
    return len(re.findall(r"[^\W\d_]+", text))


def detect_encoding(text: str, valid_fn=None) -> str:
    """Return ``"unicode"``, ``"tcvn3"`` or ``"vni"`` for a line or a whole text.

    A text with Vietnamese letters beyond Latin-1 (ệ, ư, đ ...) is Unicode.  Otherwise
    the text is decoded both ways; a legacy encoding wins when it yields clearly more
    valid syllables than reading the text as Unicode, and enough of them.
    ``valid_fn(word) -> bool`` replaces the rule-based syllable check (e.g. a check
    against the syllables attested in a corpus).
    """
    if not _VIET_BEYOND_LATIN1.isdisjoint(text):
        # a mostly-legacy text may still contain a few Unicode letters (e.g. pasted);
        # only a long text with many legacy markers can overrule them
        n_viet = sum(1 for c in text if c in _VIET_BEYOND_LATIN1)
        n_mark = sum(1 for c in text if c in _TCVN3_MARKERS)
        if n_mark < 10 * max(n_viet, 1):
            return "unicode"
    chars = set(text)
    tc = len(chars & _TCVN3_MARKERS) + sum(1 for c in text if "\x01" <= c <= "\x17" and c not in "\t\n\r")
    if not tc and chars.isdisjoint(_VNI_CANDIDATE_CHARS):
        return "unicode"
    scores = {}
    for enc, conv in (("unicode", lambda s: s), ("tcvn3", decode_tcvn3), ("vni", decode_vni)):
        n, v, b = _word_scores(conv(text), valid_fn)
        scores[enc] = (n, v, b)
    nwords = max(_n_words(text), 1)

    def gain(enc):
        n, v, b = scores[enc]
        return v - b

    best = max(("tcvn3", "vni"), key=gain)
    g_best, g_uni = gain(best), gain("unicode")
    n, v, b = scores[best]
    if g_best > g_uni and v >= max(1, 0.15 * nwords) and (g_best - g_uni) >= 0.1 * nwords:
        return best
    return "unicode"


def _has_codes(line: str) -> bool:
    """Non-ASCII characters, or the C0 controls that are VN1 capitals (\\x02 is Ụ)."""
    return any(ord(c) > 127 or ("\x01" <= c <= "\x17" and c not in "\t\n\r") for c in line)


def legacy_text(lines: Sequence[str]) -> bool:
    """Whether any of ``lines`` reads as text typed in a legacy font (:func:`detect_lines`)."""
    return any(state != "unicode" for state in detect_lines(lines))


def detect_lines(lines: Sequence[str], valid_fn=None) -> list[str]:
    """Per-line encodings, smoothed by the document's dominant legacy encoding: a
    line of a legacy document with non-ASCII characters that reads at least as well
    in the document's encoding (and has no Unicode-only letters) takes the
    document's encoding."""
    per_line = [detect_encoding(line, valid_fn) for line in lines]
    cnt = {e: per_line.count(e) for e in ENCODINGS}
    doc = max(cnt, key=cnt.get) if max(cnt.values()) > 0 else "unicode"
    n_nonascii = sum(1 for line in lines if _has_codes(line))
    if doc == "unicode" or cnt[doc] < 2 or cnt[doc] < 0.3 * n_nonascii:
        # no legacy document: keep only lines that are clearly legacy on their own
        out = []
        for line, enc in zip(lines, per_line):
            if enc != "unicode":
                n0, v0, b0 = _word_scores(line, valid_fn)
                n1, v1, b1 = _word_scores(decode(line, enc), valid_fn)
                if (v1 - b1) - (v0 - b0) < max(2, 0.3 * _n_words(line)):
                    enc = "unicode"
            out.append(enc)
        return out
    out = []
    for line, enc in zip(lines, per_line):
        if enc != doc and _VIET_BEYOND_LATIN1.isdisjoint(line) and _has_codes(line):
            n0, v0, b0 = _word_scores(line, valid_fn)
            n1, v1, b1 = _word_scores(decode(line, doc), valid_fn)
            # a tie goes to the document's encoding: its non-ASCII characters are
            # codes of that encoding ("Rue DeroulÌde" in a TCVN3 file is Deroulède)
            if v1 - b1 >= v0 - b0:
                enc = doc
            else:
                # a rare syllable ("Chự" read as the common "Chù") is still a syllable
                _n0, r0, c0 = _word_scores(line)
                _n1, r1, c1 = _word_scores(decode(line, doc))
                if r1 - c1 >= r0 - c0 and r1 >= 1:
                    enc = doc
        out.append(enc)
    return out
