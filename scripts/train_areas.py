#!/usr/bin/env python
"""Train the reform-area text model (normalizers/data/area_nb.npz) from a corpus directory.

Usage::

    python scripts/train_areas.py --corpus-dir ../shared/corpus [--out normalizers/data/area_nb.npz]

Weak supervision: a corpus document is segmented with the pipeline's own outline parser
(``extractors.sections.parse_outline``) and every paragraph takes the area of the innermost
numbered heading above it that names one (``pipeline.run._section_areas``, the rule the
pipeline uses for sections).  Only documents laid out by area -- at least two different
areas among their headings -- give labelled paragraphs: a lone heading naming "thể chế"
in a decree on another subject says little about the paragraphs below it.  Paragraphs of
fewer than :data:`MIN_WORDS` words are dropped.  The areas' descriptions in Nghị quyết
76/NQ-CP (:data:`NQ76`, paraphrased) are added :data:`NQ76_REPEAT` times.  Class
``_none``: paragraphs of documents that name no area in any heading and never mention
"cải cách hành chính", about as many as the labelled ones, sampled with a fixed seed.

Splits as everywhere (``train_repair_model``): held-out documents (``md5 % 50 == 0``) are
never read here; development documents (``% 50`` in 1..4) are not trained on, they choose the
temperature and the threshold (:func:`choose_params`).  The same corpus gives the same
artifact.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from extractors.sections import parse_outline  # noqa: E402
from normalizers import area_model  # noqa: E402
from normalizers.areas import AREAS, named_areas  # noqa: E402
from pipeline.run import _section_areas  # noqa: E402
from train_repair_model import _residue, iter_documents  # noqa: E402

CLASSES = (*AREAS, area_model.NONE_CLASS)
MIN_WORDS = 5
MIN_DOC_FREQ = 3
MAX_FEATURES = 24_000
ALPHA = 0.5  # additive smoothing
NQ76_REPEAT = 5
SEED = 76
DEV_RESIDUES = (1, 2, 3, 4)  # development documents: tuning only, never trained on

# What Nghị quyết 76/NQ-CP (and the PAR index for the first group) puts in each area.
NQ76: dict[str, tuple[str, ...]] = {
    "chi_dao_dieu_hanh": (
        "Xây dựng, ban hành và tổ chức thực hiện kế hoạch cải cách hành chính hằng năm, giai đoạn.",
        "Tăng cường công tác chỉ đạo, điều hành, kiểm tra, đôn đốc việc thực hiện nhiệm vụ cải cách hành chính.",
        "Thực hiện chế độ báo cáo định kỳ, sơ kết, tổng kết kết quả thực hiện cải cách hành chính.",
        "Tổ chức tự kiểm tra công tác cải cách hành chính, kịp thời khắc phục tồn tại, hạn chế.",
        "Đẩy mạnh thông tin, tuyên truyền về cải cách hành chính, nâng cao nhận thức của cán bộ, công chức và người dân.",
        "Tự đánh giá, chấm điểm, xác định Chỉ số cải cách hành chính; đo lường sự hài lòng của người dân, tổ chức.",
        "Gắn kết quả thực hiện cải cách hành chính với thi đua, khen thưởng và đánh giá người đứng đầu.",
    ),
    "the_che": (
        "Nâng cao chất lượng xây dựng, ban hành văn bản quy phạm pháp luật, bảo đảm tính hợp hiến, hợp pháp, thống nhất, đồng bộ.",
        "Rà soát, kiểm tra, xử lý, hệ thống hóa văn bản quy phạm pháp luật; kịp thời sửa đổi, bổ sung, bãi bỏ văn bản trái pháp luật.",
        "Đổi mới, nâng cao hiệu quả tổ chức thi hành pháp luật, theo dõi tình hình thi hành pháp luật.",
        "Tuyên truyền, phổ biến, giáo dục pháp luật, hòa giải ở cơ sở, xây dựng xã đạt chuẩn tiếp cận pháp luật.",
        "Hoàn thiện thể chế, cơ chế, chính sách; lấy ý kiến nhân dân về dự thảo văn bản.",
    ),
    "thu_tuc_hanh_chinh": (
        "Kiểm soát chặt chẽ việc ban hành thủ tục hành chính; rà soát, đơn giản hóa thủ tục hành chính, cắt giảm thành phần hồ sơ, thời gian giải quyết.",
        "Công bố, công khai, niêm yết thủ tục hành chính đầy đủ, kịp thời tại Bộ phận tiếp nhận và trả kết quả.",
        "Thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính; giải quyết hồ sơ đúng hạn, xin lỗi khi trễ hạn.",
        "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính.",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; thanh toán trực tuyến phí, lệ phí.",
    ),
    "to_chuc_bo_may": (
        "Rà soát, sắp xếp, kiện toàn tổ chức bộ máy tinh gọn, hoạt động hiệu lực, hiệu quả.",
        "Xác định chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức của các cơ quan, đơn vị.",
        "Quản lý chặt chẽ biên chế, thực hiện tinh giản biên chế gắn với cơ cấu lại đội ngũ.",
        "Đẩy mạnh phân cấp, phân quyền, ủy quyền; sắp xếp đơn vị hành chính, thôn, tổ dân phố.",
        "Đổi mới phương thức làm việc, xây dựng quy chế làm việc; sắp xếp đơn vị sự nghiệp công lập.",
    ),
    "che_do_cong_vu": (
        "Xây dựng đội ngũ cán bộ, công chức, viên chức chuyên nghiệp, có đủ phẩm chất, trình độ, năng lực.",
        "Hoàn thiện vị trí việc làm, cơ cấu ngạch công chức, chức danh nghề nghiệp viên chức.",
        "Đổi mới tuyển dụng, sử dụng, quản lý, đánh giá, xếp loại cán bộ, công chức theo kết quả thực hiện nhiệm vụ.",
        "Đào tạo, bồi dưỡng nâng cao trình độ chuyên môn, nghiệp vụ, kỹ năng cho cán bộ, công chức.",
        "Siết chặt kỷ luật, kỷ cương hành chính, đạo đức công vụ, văn hóa công sở; thực hiện cải cách chính sách tiền lương.",
    ),
    "tai_chinh_cong": (
        "Đổi mới cơ chế quản lý tài chính công, quản lý, sử dụng ngân sách nhà nước tiết kiệm, hiệu quả.",
        "Thực hiện cơ chế tự chủ, tự chịu trách nhiệm về sử dụng kinh phí quản lý hành chính, biên chế và tài chính.",
        "Đẩy mạnh cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập, tính đúng, tính đủ giá dịch vụ sự nghiệp công.",
        "Quản lý, sử dụng tài sản công, thực hành tiết kiệm, chống lãng phí; công khai ngân sách, quy chế chi tiêu nội bộ.",
        "Thu, chi ngân sách, quyết toán, huy động nguồn lực xã hội hóa; giải ngân vốn đầu tư công.",
    ),
    "chinh_phu_so": (
        "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số, chính quyền số; chuyển đổi số trong hoạt động của cơ quan nhà nước.",
        "Ứng dụng công nghệ thông tin, hạ tầng kỹ thuật, mạng, máy tính, an toàn thông tin trong cơ quan hành chính.",
        "Cung cấp dịch vụ công trực tuyến toàn trình, một phần; hệ thống thông tin giải quyết thủ tục hành chính, Cổng dịch vụ công.",
        "Gửi, nhận văn bản điện tử, chữ ký số, hồ sơ công việc trên môi trường mạng, phần mềm quản lý văn bản và điều hành.",
        "Xây dựng cơ sở dữ liệu, kết nối, chia sẻ dữ liệu, dữ liệu số; áp dụng hệ thống quản lý chất lượng ISO 9001.",
    ),
}


def labelled_paragraphs(doc: str) -> list[tuple[str, str]]:
    """``(area, paragraph)`` for a document laid out by area (at least two areas among its
    headings), else []."""
    lines = doc.split("\n")
    try:
        outline, _ = parse_outline(lines)
    except (RecursionError, ValueError, KeyError):
        return []
    areas = _section_areas(outline)
    if len({a for a in areas.values() if a}) < 2:
        return []
    out = []
    for block in outline.blocks:
        area = areas.get(block.section_id or "")
        text = block.paragraph.body
        if area and len(text.split()) >= MIN_WORDS and not _CITATION.match(text):
            out.append((area, text))
    return out


# Article titles and source notes of codified law ("Điều 14. Trách nhiệm thi hành", "(Điều 89
# Thông tư số ...)") say nothing about the area of the heading above them.
_CITATION = re.compile(r"^\(?(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]", re.IGNORECASE)


def _mentions_reform(doc: str) -> bool:
    low = doc.lower()
    return "cải cách hành chính" in low or "cchc" in low


def split_of(doc: str) -> str:
    """``heldout`` (md5 % 50 == 0, never read here), ``dev`` (% 50 in 1..4) or ``train``."""
    r = _residue(doc)
    return "heldout" if r == 0 else "dev" if r in DEV_RESIDUES else "train"


def collect(corpus_dir: Path, splits: tuple[str, ...] = ("train", "dev")) -> dict[str, tuple[list, list, Counter]]:
    """Per split: labelled paragraphs, ``_none`` candidates, labelled counts per source file."""
    out = {s: ([], [], Counter()) for s in splits}
    for name, doc in iter_documents(corpus_dir):
        split = split_of(doc)
        if split not in out:
            continue
        labelled, background, per_file = out[split]
        rows = labelled_paragraphs(doc) if _could_name_area(doc) else []
        if rows:
            labelled.extend(rows)
            per_file[name] += len(rows)
        elif not _mentions_reform(doc):
            background.extend(p for p in doc.split("\n") if len(p.split()) >= MIN_WORDS and not named_areas(p))
    return out


_ANY_AREA = ("thể chế", "thủ tục hành chính", "bộ máy", "công vụ", "tài chính công", "điện tử", "chính quyền số",
             "chính phủ số", "chỉ đạo", "công nghệ thông tin", "chuyển đổi số", "THỂ CHẾ", "THỦ TỤC", "BỘ MÁY",
             "CÔNG VỤ", "TÀI CHÍNH CÔNG", "ĐIỆN TỬ", "CHỈ ĐẠO")


def _could_name_area(doc: str) -> bool:
    """Cheap filter before the outline: the document contains some area phrase."""
    return any(k in doc for k in _ANY_AREA)


def with_none(labelled: list[tuple[str, str]], background: list[str], seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    sample = rng.sample(background, min(len(background), len(labelled)))
    return labelled + [(area_model.NONE_CLASS, text) for text in sample]


def fit(examples: list[tuple[str, str]]) -> tuple[list[str], np.ndarray]:
    """Vocabulary and centred log-likelihoods (features x classes) of a multinomial NB."""
    doc_freq: Counter = Counter()
    feats = []
    for _, text in examples:
        f = area_model.features(text)
        feats.append(f)
        doc_freq.update(set(f))
    vocab = sorted(f for f, n in doc_freq.items() if n >= MIN_DOC_FREQ)
    index = {f: i for i, f in enumerate(vocab)}
    counts = np.zeros((len(vocab), len(CLASSES)), np.float64)
    col = {c: j for j, c in enumerate(CLASSES)}
    for (label, _), f in zip(examples, feats):
        j = col[label]
        for x in f:
            i = index.get(x)
            if i is not None:
                counts[i, j] += 1
    logp = np.log((counts + ALPHA) / (counts.sum(axis=0) + ALPHA * len(vocab)))
    weights = logp - logp.mean(axis=1, keepdims=True)
    # Keep the most telling features: spread of the weights x how often the feature occurs.
    keep = np.argsort(-(np.ptp(weights, axis=1) * np.log1p(counts.sum(axis=1))), kind="stable")[:MAX_FEATURES]
    keep.sort()
    return [vocab[i] for i in keep], weights[keep]


def open_texts(labelled: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The paragraphs the model decides alone: they name no area."""
    return [(a, t) for a, t in labelled if not named_areas(t)]


def choose_params(model: area_model.AreaModel, dev: list[tuple[str, str]]) -> tuple[float, float, str]:
    """Temperature with the best log loss on development paragraphs; then the lowest threshold at
    which the model, on the development paragraphs that name no area, is as precise as the
    keywords are on those that name exactly one (both against the same weak labels), else the
    threshold of its best precision."""
    best = None
    for temperature in (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0):
        m = area_model.AreaModel(model.classes, model.index, model.weights, temperature, 0.0)
        loss = -sum(np.log(max(m.posterior(t)[a], 1e-9)) for a, t in dev) / max(1, len(dev))
        if best is None or loss < best[0]:
            best = (loss, temperature)
    temperature = best[1]
    labelled = [(a, t) for a, t in dev if a != area_model.NONE_CLASS]
    named = [(named_areas(t)[0], a) for a, t in labelled if len(named_areas(t)) == 1]
    target = sum(p == a for p, a in named) / max(1, len(named))
    m = area_model.AreaModel(model.classes, model.index, model.weights, temperature, 0.0)
    scored = [(m.predict(t), a) for a, t in open_texts(labelled)]
    report = [f"  keywords (one area named): {len(named)} paragraphs, precision {target:.3f}"]
    chosen, best_prec = None, (-1.0, 0.95)
    for th in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        taken = [(p, a) for (p, prob), a in scored if p is not None and prob >= th]
        prec = sum(p == a for p, a in taken) / len(taken) if taken else 0.0
        report.append(f"  model, threshold {th:.2f}: coverage {len(taken) / max(1, len(scored)):.3f} "
                      f"precision {prec:.3f} ({len(scored)} paragraphs naming no area)")
        if chosen is None and prec >= target:
            chosen = th
        if taken and prec > best_prec[0]:
            best_prec = (prec, th)
    return temperature, chosen if chosen is not None else best_prec[1], "\n".join(report)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus-dir", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=area_model.MODEL_PATH)
    args = ap.parse_args(argv)
    t0 = time.time()
    data = collect(args.corpus_dir)
    labelled, background, per_file = data["train"]
    examples = with_none(labelled, background, SEED)
    examples += [(area, text) for area, texts in NQ76.items() for text in texts] * NQ76_REPEAT
    print(f"train: {len(labelled)} labelled paragraphs ({dict(Counter(a for a, _ in labelled))}), "
          f"{len(examples) - len(labelled)} others; per file {dict(per_file)}")
    vocab, weights = fit(examples)
    dev_labelled, dev_background, _ = data["dev"]
    dev = with_none(dev_labelled, dev_background, SEED + 1)
    model = area_model.AreaModel(CLASSES, {f: i for i, f in enumerate(vocab)}, weights.astype(np.float32), 1.0, 0.0)
    temperature, threshold, report = choose_params(model, dev)
    print(f"dev: {len(dev_labelled)} labelled paragraphs; temperature {temperature}, threshold {threshold}\n{report}")
    area_model.save(args.out, CLASSES, vocab, weights, temperature, threshold)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(vocab)} features) in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
