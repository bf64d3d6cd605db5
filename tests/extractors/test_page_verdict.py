"""The page verdict (extractors.page_verdict), the constant-shift font decoder
(extractors.font_decode) and the measures behind them (normalizers.quality), on many generated
variants of each fault class: glyphs without Unicode, wrong code points, English-model OCR,
image regions the layer does not cover -- and on good layers that must be kept."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from extractors.font_decode import decode_shifted_fonts
from extractors.page_verdict import judge_page
from normalizers.encodings import encode
from normalizers.quality import (
    cid_share, drop_specks, drop_trailing_specks, foreign_share, in_repertoire, row_confidence, scrub, syllable_share,
)

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def _paragraphs(name: str, n: int = 40) -> list[str]:
    lines = [ln.strip() for ln in (RESOURCES / name).read_text(encoding="utf-8").splitlines()]
    return [ln for ln in lines if len(ln.split()) >= 6][:n]


GOOD = _paragraphs("001_a8dc795d343fd0c0.txt") + _paragraphs("002_165476449fb31ff5.txt")
ENGLISH_OCR = _paragraphs("004_78ef7b8a9b47c483.txt", 80)


def _pages(lines: list[str], size: int = 12) -> list[list[str]]:
    return [lines[k:k + size] for k in range(0, len(lines) - size + 1, size)]


def _judge(lines: list[str], **kw):
    return judge_page(" ".join(lines), lines, **kw)


@pytest.mark.parametrize("page", _pages(GOOD))
def test_good_layers_are_kept(page):
    v = _judge(page)
    assert v.method == "text_layer" and not v.broken and v.quality >= 0.9, v


@pytest.mark.parametrize("page", _pages(GOOD))
def test_stripped_and_legacy_layers_are_kept_for_the_repair_step(page):
    ascii_page = ["".join(ch for ch in unicodedata.normalize("NFD", ln) if not unicodedata.combining(ch))
                  .replace("đ", "d").replace("Đ", "D") for ln in page]
    for variant in (ascii_page, [encode(ln, "tcvn3") for ln in page], [encode(ln, "vni") for ln in page]):
        v = _judge(variant)
        assert v.method == "text_layer", (v, variant[0])


@pytest.mark.parametrize("seed", range(8))
def test_glyphs_without_unicode_send_the_page_to_ocr(seed):
    """A share of letters, as random as the subset's code assignment, written as (cid:N)."""
    rng = random.Random(seed)
    page = rng.sample(GOOD, 12)
    letters = sorted({ch for ln in page for ch in ln if ch.isalpha() and not ch.isascii()})
    codes = {ch: f"(cid:{rng.randrange(1, 2000)})" for ch in letters}
    broken = ["".join(codes.get(ch, ch) for ch in ln) for ln in page]
    v = _judge(broken)
    assert v.method == "ocr" and v.broken and v.fault == "cid", v
    assert cid_share(" ".join(broken)) > 0.02


@pytest.mark.parametrize("seed", range(8))
def test_wrong_code_points_send_the_page_to_ocr(seed):
    """Glyph ids for code points: ASCII off by a constant, the Vietnamese letters anywhere."""
    rng = random.Random(seed)
    shift = rng.choice((-29, -31, -3, 3))
    page = rng.sample(GOOD, 12)
    targets = {ch: chr(rng.randrange(0x0400, 0x0500)) for ln in page for ch in ln if not ch.isascii()}
    broken = ["".join(chr(ord(ch) + shift) if ch.isascii() and 0x20 < ord(ch) + shift < 0x7F else targets.get(ch, ch)
                      for ch in ln) for ln in page]
    v = _judge(broken)
    assert v.method == "ocr" and v.broken and v.fault in ("foreign", "not_vietnamese"), v
    assert foreign_share(" ".join(broken)) > 0.02


@pytest.mark.parametrize("page", _pages(ENGLISH_OCR, 10))
def test_an_english_model_ocr_layer_is_read_again(page):
    v = _judge(page)
    assert v.method == "ocr" and v.broken and v.fault in ("english_ocr", "not_vietnamese"), v


def test_image_regions_without_text():
    page = GOOD[:12]
    area = 595.0 * 842.0
    # characters of the layer in the top band only
    boxes = [(40.0 + 5 * (k % 100), 40.0 + 12 * (k // 100), 45.0 + 5 * (k % 100), 50.0 + 12 * (k // 100))
             for k in range(600)]
    table = (40.0, 200.0, 555.0, 800.0)  # a picture of a table below it, no text over it
    v = _judge(page, images=[table], char_boxes=boxes, page_area=area)
    assert v.method == "hybrid" and v.regions == (table,) and not v.broken, v
    # the same picture with the layer's text over it (an OCR layer): nothing to add
    over = boxes + [(50.0 + 5 * (k % 90), 210.0 + 12 * (k // 90), 55.0 + 5 * (k % 90), 220.0 + 12 * (k // 90))
                    for k in range(2000)]
    assert _judge(page, images=[table], char_boxes=over, page_area=area).method == "text_layer"
    # a whole-page scan with only a page number as text
    scan = (0.0, 0.0, 595.0, 842.0)
    v = _judge(["Trang 2 của 5 trang kế hoạch"], images=[scan], char_boxes=boxes[:25], page_area=area)
    assert v.method == "ocr", v
    # a small logo is not a region to read
    assert _judge(page, images=[(40.0, 40.0, 90.0, 90.0)], char_boxes=boxes, page_area=area).method == "text_layer"


@pytest.mark.parametrize("cover", [0.72, 0.9, 1.0])
@pytest.mark.parametrize("hidden,redo", [(1.0, True), (0.8, True), (0.5, True), (0.3, False), (0.0, False)])
def test_an_invisible_layer_over_a_scanned_page_is_an_ocr_layer(cover, hidden, redo):
    """A searchable scan: the layer's words (here good Vietnamese) drawn invisibly over a page
    image.  Visible text over a page-size picture (a letterhead, a watermark) is kept."""
    page = GOOD[:12]
    area = 595.0 * 842.0
    image = (0.0, 0.0, 595.0, 842.0 * cover)
    over = [(50.0 + 5 * (k % 90), 60.0 + 12 * (k // 90), 55.0 + 5 * (k % 90), 70.0 + 12 * (k // 90))
            for k in range(2000)]
    v = _judge(page, images=[image], char_boxes=over, page_area=area, invisible=lambda: hidden)
    if redo:
        assert v.method == "ocr" and v.fault == "ocr_layer" and not v.broken, v
        assert "OCR text layer" in v.reason and f"{hidden:.0%} of its text invisible" in v.reason, v
    else:
        assert v.method == "text_layer" and v.fault == "", v


def test_the_render_modes_are_only_read_under_a_page_sized_image():
    def never() -> float:
        raise AssertionError("render modes read without a page-sized image")

    page = GOOD[:12]
    area = 595.0 * 842.0
    over = [(50.0 + 5 * (k % 90), 60.0 + 12 * (k // 90), 55.0 + 5 * (k % 90), 70.0 + 12 * (k // 90))
            for k in range(2000)]
    for images in ([], [(40.0, 40.0, 90.0, 90.0)], [(0.0, 0.0, 595.0, 400.0)]):
        assert _judge(page, images=images, char_boxes=over, page_area=area, invisible=never).method == "text_layer"
    # an English-model layer over a scan keeps its own, more telling fault
    v = _judge(ENGLISH_OCR[:12], images=[(0.0, 0.0, 595.0, 842.0)], char_boxes=over, page_area=area,
               invisible=1.0)
    assert v.method == "ocr" and v.fault in ("english_ocr", "not_vietnamese") and v.broken, v


def _chars(text: str, font: str, shift: int, y: float = 100.0) -> list[dict]:
    out, x = [], 50.0
    for ch in text:
        if ch == " ":
            x += 4
            continue
        out.append({"text": chr(ord(ch) - shift) if ch != " " else ch, "fontname": font, "x0": x, "x1": x + 5,
                    "top": y, "bottom": y + 10})
        x += 5
    return out


@pytest.mark.parametrize("shift", [29, 31, 3, -7, -0x100, -0x1000])
def test_a_constant_shift_is_decoded(shift):
    text = " ".join(GOOD[:6])
    chars = _chars(text, "F1", shift) + _chars("Ủy ban nhân dân xã", "F2", 0, y=300)
    decoded, fonts = decode_shifted_fonts(chars)
    assert [(f.fontname, f.shift) for f in fonts] == [("F1", shift)]
    assert "".join(c["text"] for c in decoded if c["fontname"] == "F1") == text.replace(" ", "")
    assert [c["text"] for c in decoded if c["fontname"] == "F2"] == [c["text"] for c in chars if c["fontname"] == "F2"]


def test_no_decoding_without_certainty():
    text = " ".join(GOOD[:6])
    rng = random.Random(1)
    targets = {ch: chr(rng.randrange(0x0400, 0x0500)) for ch in text if not ch.isascii()}
    chars = _chars(text, "F1", 29)
    for c in chars:  # the Vietnamese letters are not shifted by the constant
        if c["text"] in targets or not (chr(ord(c["text"]) + 29)).isascii():
            c["text"] = targets.get(chr(ord(c["text"]) + 29), c["text"])
    decoded, fonts = decode_shifted_fonts(chars)
    assert fonts == [] and decoded == chars


def test_repertoire_and_scrub():
    for ch in "aăâđêôơưÀỹ0–—“”…•≥≤±%₫²№●■✓":
        assert in_repertoire(ch), ch
    for ch in "ӢѬЖαβ中\ufffd\x03\uf0b7":
        assert not in_repertoire(ch), ch
    assert scrub("Kế hoạch số 83/KH-UBND") == ("Kế hoạch số 83/KH-UBND", 0)
    assert scrub("M(cid:1257)c tiêu") == ("M c tiêu", 1)
    assert scrub("6Ӣ CÔNG") == ("6 CÔNG", 1)
    assert scrub("\uf0b7 Rà soát") == ("- Rà soát", 0)  # a Symbol-font bullet is a bullet


@pytest.mark.parametrize("text, clean, dropped", [
    ("Các ban, ngành, đoàn 2 thể _—~ xã", "Các ban, ngành, đoàn 2 thể xã", 1),
    ("Báo cáo đánh giá, xếp loại `. `-", "Báo cáo đánh giá, xếp loại", 2),
    ("Quyết định ¬ | „", "Quyết định", 3),
    ("Công chức Tư pháp – Hộ tịch", "Công chức Tư pháp – Hộ tịch", 0),
    ("- Báo cáo UBND huyện;\n+ Niêm yết (…) tại Bộ phận Một cửa / Trang thông tin", None, 0),
    ("Quý II/2025; 100 %", None, 0),
])
def test_specks_left_by_a_stamp_are_dropped_from_a_cell(text, clean, dropped):
    assert drop_specks(text) == (text if clean is None else clean, dropped)


@pytest.mark.parametrize("text, clean, dropped", [
    ("Đăng tải trên Trang thông tin điện tử của xã ] Jj H", "Đăng tải trên Trang thông tin điện tử của xã", 3),
    ("Tổng hợp, báo cáo kết quả thực hiện t", "Tổng hợp, báo cáo kết quả thực hiện", 1),
    ("Cập nhật dữ liệu thủ tục hành chính Z rưZ ị / Ỉ", "Cập nhật dữ liệu thủ tục hành chính", 5),
    ("Xây dựng kế hoạch triển khai l )", "Xây dựng kế hoạch triển khai", 2),
    ("Ngân sách xã\nt", "Ngân sách xã", 1),
    # labels, acronyms, closed brackets, syllables, numbers and a cell of one letter stay
    ("Tổ dân phố B", None, 0),
    ("Khu A, B và C", None, 0),
    ("Văn phòng HĐND-UBND xã", None, 0),
    ("Báo cáo (định kỳ)", None, 0),
    ("Phụ lục I", None, 0),
    ("Quý II/2025", None, 0),
    ("Trước 15/12/2025", None, 0),
    ("Cập nhật dữ liệu lên Hệ thống VNeID", None, 0),
    ("Hệ thống quản lý văn bản và điều hành ở", None, 0),
    ("c", None, 0),
])
def test_stray_letters_a_stamp_left_at_a_cells_end_are_dropped(text, clean, dropped):
    assert drop_trailing_specks(text) == (text if clean is None else clean, dropped)


def test_measures_and_row_confidence():
    assert syllable_share("Kế hoạch cải cách hành chính năm 2022 của UBND xã") == 1.0
    assert syllable_share("Thyc hién Quyét dinh cta Uy ban") < 0.8
    assert syllable_share("(cid:48)(cid:1257)(cid:70) tiêu") < 0.5
    good = row_confidence(None, "Rà soát thủ tục hành chính", 1.0)
    assert good == 1.0
    assert row_confidence(0.9, "Rà soát thủ tục hành chính", 0.85) == pytest.approx(0.765)
    assert row_confidence(None, "Thyc hién Quyét dinh cta", 1.0) < 0.6


def test_lone_symbol_glyphs_are_bullets_and_glyphs_in_words_are_kept_for_the_verdict():
    from extractors.pdf_text import word_text

    assert word_text("(cid:159)") == "-" and word_text("\uf0b7") == "-" and word_text("(cid:3)(cid:4)") == "-"
    assert word_text("M(cid:1257)c") == "M(cid:1257)c"
    assert word_text("hoa\u0323ch") == "hoạch"
    # a page of good text with bullets from a symbol font is kept ...
    page = ["- " + ln for ln in GOOD[:12]]
    assert _judge(page).method == "text_layer"
    # ... one letter without Unicode in every line is not
    broken = [ln.replace("ư", "(cid:812)", 1) if "ư" in ln else ln.replace("a", "(cid:68)", 1) for ln in GOOD[:12]]
    assert _judge(broken).fault == "cid"


@pytest.mark.parametrize("read, printed", [
    ("Công chức Tư pháp — Hộ tịch", "Công chức Tư pháp – Hộ tịch"), ("Văn hóa —- Xã hội", "Văn hóa – Xã hội"),
    ("Địa chính -— Xây dựng", "Địa chính – Xây dựng"), ("Tài chính – Kế toán", "Tài chính – Kế toán"),
    ("Giai đoạn 2026 - 2030", "Giai đoạn 2026 - 2030"), ("Văn phòng HĐND-UBND xã", "Văn phòng HĐND-UBND xã"),
    ("- Lồng ghép trong các buổi họp thôn;", "- Lồng ghép trong các buổi họp thôn;"),
    ("Tư pháp — Hộ tịch; Văn hóa — Xã hội", "Tư pháp – Hộ tịch; Văn hóa – Xã hội"),
])
def test_a_long_dash_ocr_read_between_words_is_the_en_dash_printed(read, printed):
    """English-model OCR text prints the en dash of "Tư pháp – Hộ tịch" as an em dash, or a dash
    and a hyphen; hyphens stay as they are."""
    from normalizers.quality import en_dashes

    assert en_dashes(read) == printed


def test_an_ocr_read_rows_cells_get_the_en_dash():
    from extractors.appendix.model import AppendixRow
    from pipeline.run import _ocr_cleaned

    row = AppendixRow(None, None, "1", {"row_no": "1", "task": "Rà soát văn bản", "lead": "Công chức Tư pháp — Hộ tịch",
                                         "deadline": "2026 - 2030"}, 1, 2, 1)
    assert _ocr_cleaned(row).cells == {**row.cells, "lead": "Công chức Tư pháp – Hộ tịch"}
