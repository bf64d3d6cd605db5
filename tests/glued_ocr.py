"""Lines of table cells as English-model OCR prints narrow cells: syllables glued into one
token ("Vanbanduocban"), letters drawn from what the learned OCR channel saw tesseract make of
them.  Used by the repair tests and ``scripts/eval_glued_syllables.py``."""

from __future__ import annotations

import gzip
import json
import random

#: phrases of narrow table cells that English-model OCR prints glued
GLUED_PHRASES = ["Văn bản được ban hành", "Công chức Tư pháp", "Các cơ quan chuyên môn", "Thời gian thực hiện",
                 "Kế hoạch triển khai", "Báo cáo kết quả rà soát", "Danh sách", "Sử dụng chữ ký số",
                 "Ban Chỉ huy Quân sự", "Công an xã", "Đơn vị phối hợp", "Kiểm tra việc thực hiện",
                 "Tuyên truyền", "Hồ sơ được số hóa", "Tài chính", "Duy trì áp dụng", "Rà soát thủ tục",
                 "Trưởng các thôn", "Văn phòng", "Chủ tịch", "Cung cấp dịch vụ công", "Hoàn thiện hệ thống",
                 "Quy chế làm việc", "Tiếp nhận hồ sơ", "Mục tiêu", "Tổng hợp kết quả"]


def letter_reader(rng: random.Random):
    """A function printing one letter as English-model OCR prints it: a reading drawn from the
    learned channel's readings of the letter, by their counts (``"ự"`` -> ``"y"``, ``"ư"``...)."""
    from normalizers.diacritics import DATA_DIR
    from normalizers.repair import OCR_CHANNEL_FILE

    table = json.loads(gzip.open(DATA_DIR / OCR_CHANNEL_FILE, "rt", encoding="utf-8").read())["table"]

    def ocr(ch: str) -> str:
        outs = {o: c for o, c in table.get(ch, {}).items() if o != "__total__" and len(o) == 1}
        return rng.choices(list(outs), weights=list(outs.values()))[0] if outs else ch

    return ocr


def glued_lines(seed: int) -> tuple[list[str], list[str]]:
    """``(lines, phrases)``: every phrase of :data:`GLUED_PHRASES` printed as English OCR prints
    it (each letter drawn from the learned channel's readings of it), two to four of its
    syllables glued into one token at a random place, between a row number and a deadline."""
    rng = random.Random(seed)
    ocr = letter_reader(rng)
    lines, phrases = [], []
    for phrase in GLUED_PHRASES:
        words = ["".join(map(ocr, w)) for w in phrase.split()]
        if len(words) < 2:
            continue
        k = rng.randrange(0, len(words) - 1)
        n = rng.randint(2, min(4, len(words) - k))
        glued = words[:k] + ["".join(words[k:k + n])] + words[k + n:]
        lines.append(f"{rng.randint(1, 30)} | " + " ".join(glued) + " | Quy 1/2025")
        phrases.append(phrase)
    return lines, phrases
