"""TCVN3 / VNI-Windows tables, round trips and detection (no model needed)."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizers import encodings as E
from normalizers.diacritics import ACCENTED_LETTERS, ACCENTED_LOWER

SENTENCE = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc"
HEADING = "ỦY BAN NHÂN DÂN XÃ VĨNH LẬP"


def test_134_letters_in_both_tables():
    assert len(ACCENTED_LOWER) == 67 and len(set(ACCENTED_LETTERS)) == 134
    for ch in ACCENTED_LETTERS:
        assert ch in E.TCVN3_ENCODE, ch
        assert ch in E.VNI_ENCODE, ch
    # distinct codes: the tables are invertible
    assert len(set(E.TCVN3_ENCODE[c] for c in ACCENTED_LETTERS)) == 134
    assert len(set(E.VNI_ENCODE[c] for c in ACCENTED_LETTERS)) == 134


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_round_trip_all_letters(enc):
    text = " ".join(ACCENTED_LETTERS) + " " + ACCENTED_LETTERS + " " + SENTENCE + " " + HEADING
    legacy = E.encode(text, enc)
    assert legacy != text
    assert E.decode(legacy, enc) == text


def test_tcvn3_known_strings():
    assert E.decode_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert E.decode_tcvn3("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    # ABC/VN3 files: capitals typed with lower-case codes in an all-caps font
    assert E.decode_tcvn3("KÕ HO¹CH") == "KẾ HOẠCH"
    assert E.decode_tcvn3("UBND X· VÜNH LËP") == "UBND XÃ VĨNH LẬP"
    assert E.decode_tcvn3("Ban hµnh kÕ ho¹ch") == "Ban hành kế hoạch"
    # cp1252 rendering of the VN1 upper-case codes
    assert E.decode_tcvn3(E.encode("PHỦ", "tcvn3", rendering="cp1252")) == "PHỦ"
    assert E.encode("Việt", "tcvn3") == "ViÖt"


def test_vni_known_strings():
    assert E.decode_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert E.decode_vni("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"
    assert E.decode_vni("KEÁ HOAÏCH") == "KẾ HOẠCH"
    assert E.encode("người được", "vni") == "ngöôøi ñöôïc"


def test_detection():
    assert E.detect_encoding(SENTENCE) == "unicode"
    assert E.detect_encoding("Ke hoach cai cach hanh chinh") == "unicode"
    assert E.detect_encoding(E.encode(SENTENCE, "tcvn3")) == "tcvn3"
    assert E.detect_encoding(E.encode(SENTENCE, "vni")) == "vni"
    assert E.detect_encoding(E.encode(HEADING, "vni")) == "vni"
    # a Unicode line with a stray symbol stays Unicode
    assert E.detect_encoding("quy định tại điểm ¡ khoản 1 Điều 28") == "unicode"
    lines = [E.encode(x, "tcvn3") for x in [SENTENCE, "số 12", "Ban hành kế hoạch"]] + ["", "2025"]
    assert E.detect_lines(lines)[:3] == ["tcvn3"] * 3


def test_valid_syllable():
    for w in ["nghiêng", "người", "khuya", "quyết", "xã", "Đường", "hoà", "uỷ"]:
        assert E.is_valid_syllable(w), w
    for w in ["hién", "nuée", "ctia", "dugc", "phiic", "sàc"]:
        assert not E.is_valid_syllable(w), w


viet_text = st.text(
    alphabet=st.sampled_from(list(ACCENTED_LETTERS + "abcdeghiklmnopqrstuvxyABCDGHKLMNPQRSTVXY 0123456789.,;:-()/")),
    max_size=80,
)


@settings(max_examples=200, deadline=None)
@given(viet_text)
def test_round_trip_property(text):
    text = unicodedata.normalize("NFC", text)
    assert E.decode_tcvn3(E.encode(text, "tcvn3"), recase=False) == text
    assert E.decode(E.encode(text, "vni"), "vni") == text


syllables = st.sampled_from("người được xã hội chủ nghĩa Việt Nam cải cách hành chính kế hoạch ủy ban nhân dân Đồng Tháp quyết định".split())
words = st.tuples(syllables, st.sampled_from(["lower", "title"])).map(
    lambda t: t[0].capitalize() if t[1] == "title" else t[0]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=12), st.booleans())
def test_round_trip_natural_text_with_recasing(ws, heading):
    """Natural lines (a heading in capitals, or running text without all-caps words)
    survive the ABC re-casing heuristic."""
    text = " ".join(ws)
    if heading:
        text = text.upper()
    assert E.decode(E.encode(text, "tcvn3"), "tcvn3") == text


# ---------------------------------------------------------------------------------
# Bugs found on corpus documents encoded to TCVN3 / VNI
# ---------------------------------------------------------------------------------


def test_tcvn3_quote_glued_to_a_word_stays_a_quote():
    """cp1252 ” (0x94, the VN1 code of Õ) between letters is a quote unless the word
    then reads as a syllable."""
    src = "ghi “thể tích thực ở 20°C”Điều 34.11.NĐ.8.14."
    assert E.decode_tcvn3(E.encode(src, "tcvn3")) == src
    # ... while a VN1 capital in its cp1252 rendering is still decoded
    assert E.decode_tcvn3(E.encode("HỘI ĐỒNG NHÂN DÂN", "tcvn3", rendering="cp1252")) == "HỘI ĐỒNG NHÂN DÂN"


def test_tcvn3_sentence_case_line_with_codes_is_not_a_heading():
    """Capitalised codes (SCT-CN, QCVN, BCT) do not make a line an all-caps heading."""
    assert E.decode_tcvn3(E.encode("Số: /SCT-CN", "tcvn3")) == "Số: /SCT-CN"
    assert E.decode_tcvn3(E.encode("Ký hiệu: QCVN01:2019/BCT.", "tcvn3")) == "Ký hiệu: QCVN01:2019/BCT."
    assert E.decode_tcvn3("Sè 83/KH-UBND") == "Số 83/KH-UBND"
    # ABC headings are still re-cased
    assert E.decode_tcvn3("KÕ HO¹CH") == "KẾ HOẠCH"
    assert E.decode_tcvn3("UBND X· VÜNH LËP") == "UBND XÃ VĨNH LẬP"


def test_unicode_symbols_between_numbers_are_not_legacy():
    """÷ × between numbers in a Unicode document are TCVN3 codes (ữ, ì) but no evidence."""
    for line in ["27 ÷ 30", "5 ÷ 8mm", "1350÷1890", "P = (S₀ + S₁ + S₂ + S₃) / 4 × m", "× i"]:
        assert E.detect_encoding(line) == "unicode", line
    assert E.detect_lines(["Kết quả đo được", "27 ÷ 30", "Nhiệt độ 5÷8"]) == ["unicode"] * 3


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_foreign_names_in_a_legacy_document_follow_the_document(enc):
    """A line whose only non-ASCII letters are legacy codes that do not decode to
    syllables (French street names, "aNguyễn" with a footnote mark glued on) takes the
    document's encoding."""
    doc = [
        "Danh sách các tuyến đường được đổi tên theo quyết định của Ủy ban nhân dân thành phố",
        "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc",
        "Rue Deroulède Rue de la Marne",
        "Boulevard Montigny Boulevard Clémenceau",
        "aNguyễn (2002), tr. 103b ^Chemillier-Gendreau (2000), tr. 39- ^",
        "| |mêtan) | | | |",
    ]
    legacy = [E.encode(x, enc) for x in doc]
    assert E.detect_lines(legacy) == [enc] * len(doc)
    assert [E.decode(x, enc) for x in legacy] == doc


def test_unrepresentable_characters():
    """Characters a legacy file cannot hold: their rendering is a letter code there."""
    assert E.unrepresentable("nhiệt độ 30ºC, 1÷2", "tcvn3") == {"º", "÷"}
    assert E.unrepresentable("Chủ tịch ñy ban", "vni") == {"ñ"}
    assert E.unrepresentable("Cộng hòa xã hội chủ nghĩa Việt Nam “20°C” – 100%", "tcvn3") == set()
    assert E.unrepresentable(" ".join(ACCENTED_LETTERS), "vni") == set()
    # and they really do not survive a round trip
    assert E.decode_tcvn3(E.encode("30ºC", "tcvn3")) != "30ºC"


def test_vn1_capitals_as_control_characters_in_a_tcvn3_document():
    """VN1 capitals Ụ, Ú ... are C0 control codes (\\x02, \\x01): a line with no other
    non-ASCII character (a file name in capitals) still follows the document."""
    doc = ["Cộng hòa xã hội chủ nghĩa Việt Nam", "Độc lập - Tự do - Hạnh phúc", "PHỤLỤC1-TTluuchieu.doc"]
    legacy = [E.encode(x, "tcvn3") for x in doc]
    assert "\x02" in legacy[2]
    assert E.detect_lines(legacy) == ["tcvn3"] * 3
    assert [E.decode(x, "tcvn3") for x in legacy] == doc


def test_tcvn3_recasing_of_single_words_in_sentences():
    """In a sentence-case line a word is re-cased on its own only with two plain
    capitals around its codes; a capitalised word next to a re-cased one follows it."""
    # a mixed-case word of the source ("ĐặP") stays as it is
    src = "nhiệm đón tiếp, hướng dẫn công dân đến ĐặP đại diện cơ"
    assert E.decode_tcvn3(E.encode(src, "tcvn3")) == src
    # ABC: capitals typed with lower-case codes inside a sentence
    assert E.decode_tcvn3("ban hµnh KÕ HO¹CH sè 12") == "ban hành KẾ HOẠCH số 12"
    assert E.decode_tcvn3("theo §ÆNG V¨n") == "theo ĐẶNG Văn"
