"""One verdict per PDF page, before anything is segmented: trust the text layer, OCR the page,
or both.

A text layer can be present and still be unreadable:

* glyphs without a Unicode map -- pdfminer writes ``(cid:48)(cid:1257)(cid:70)`` for "Mục"
  when an embedded font has no ToUnicode CMap;
* a font whose map points at the wrong code points (``6Ӣ CÔNG 7+ѬѪ1*`` for "SỞ CÔNG
  THƯƠNG"): characters outside the Vietnamese/Latin repertoire, words that are no syllables;
* an OCR layer made with tesseract's English model by the scanner's software ("Thyc hién",
  "x4"): Latin letters, but not Vietnamese (``text_state`` ocr_mangled);
* a scanned table pasted as an image into a digital PDF: the layer is good but covers only
  part of the page's ink;
* a scan made searchable: invisible text (render mode 3, or drawn under the page image:
  :mod:`extractors.render_modes`) over a page image, set by the scanner's software, OCRmyPDF or tesseract.  Even a Vietnamese
  layer holds that engine's errors ("quyên" for "quyền") and no table geometry (the rulings are
  in the image): the page is OCR'd again (``ocr_layers="keep"`` in the config reads the layer).

:func:`judge_page` measures these and decides, with the reason in words:

``text_layer``  the layer is read (also ASCII-only or TCVN3/VNI text: the repair step
                restores those exactly, better than OCR would);
``ocr``         the page is rendered and OCR'd with ``cfg.ocr_lang`` (vie);
``hybrid``      the layer for the text it covers, OCR for the image regions it does not.

Decoding a font whose code points are shifted by a constant happens before the verdict
(:func:`extractors.font_decode.decode_shifted_fonts`); the decoded layer is judged again here.
The measures are cheap (one pass over the characters, the repair detector over the page's
lines), a few percent of pdfplumber's own time per page (``make bench``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from normalizers.quality import cid_share, foreign_share, syllable_share

__all__ = ["PageVerdict", "judge_page", "inside", "image_cover", "MIN_INVISIBLE_SHARE", "MIN_TEXT_CHARS",
           "MIN_QUALITY", "MAX_CID_SHARE", "MAX_FOREIGN_SHARE", "MAX_OCR_LINE_SHARE", "MIN_IMAGE_SHARE"]

BBox = tuple[float, float, float, float]

#: fewer non-space characters than this on a page: no usable text layer
MIN_TEXT_CHARS = 20
#: share of Vietnamese syllables below which a text layer is not Vietnamese
MIN_QUALITY = 0.6
#: share of glyphs without Unicode from which a layer is broken (glyphs inside words: a lone
#: unmapped symbol, a bullet, is read as "-" by extractors.pdf_text.word_text); a few letters
#: lost in every page of words already make its text unusable
MAX_CID_SHARE = 0.005
#: share of characters outside the repertoire from which a layer is broken
MAX_FOREIGN_SHARE = 0.02
#: share of Vietnamese syllables above which a layer is taken as correct Unicode text
SURE_QUALITY = 0.9
#: share of lettered lines that look like English-model OCR from which a layer is re-read
MAX_OCR_LINE_SHARE = 0.3
#: an image covering at least this share of the page, with (almost) no text layer over it, is
#: a region the layer does not read
MIN_IMAGE_SHARE = 0.08
#: characters per square point of a region that the layer does read (9-13 pt text holds about
#: one character per 40-80 pt²); below a tenth of that the region is unread
_READ_DENSITY = 1 / 600
#: unread images covering this share of the page, with fewer than MIN_HYBRID_CHARS characters
#: of text around them, make it a scan: the whole page is OCR'd
SCAN_IMAGE_SHARE = 0.7
MIN_HYBRID_CHARS = 60
#: share of a layer's text drawn invisibly from which, over images covering SCAN_IMAGE_SHARE of
#: the page, the layer is an OCR layer
MIN_INVISIBLE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class PageVerdict:
    """How one page is read and why; the measures behind it."""

    method: str  # "text_layer" | "ocr" | "hybrid"
    reason: str
    #: share of the layer's words that are Vietnamese syllables (None without a layer)
    quality: float | None = None
    cid_share: float = 0.0
    foreign_share: float = 0.0
    #: the repair detector's dominant state of the layer's lines (None without letters)
    text_state: str | None = None
    #: the layer is broken (not merely missing): the page counts as re-read
    broken: bool = False
    #: what was found wrong with the layer: "" (nothing), "missing", "cid" (glyphs without
    #: Unicode), "foreign" (characters outside the repertoire), "english_ocr", "not_vietnamese",
    #: "image" (a scan, or image regions the layer does not cover), "ocr_layer" (invisible OCR
    #: text over a scanned page)
    fault: str = ""
    #: regions (PDF points) to OCR for a ``hybrid`` page
    regions: tuple[BBox, ...] = ()


def _layer_state(lines: Sequence[str]) -> tuple[str | None, float]:
    """Dominant repair state of the lettered lines and the share of them that look like
    English-model OCR."""
    from normalizers.repair import classify_lines

    lettered = [ln for ln in lines if any(ch.isalpha() for ch in ln)]
    if not lettered:
        return None, 0.0
    states, _, _ = classify_lines(lettered)
    n_ocr = sum(s == "ocr_mangled" for s in states)
    counts: dict[str, int] = {}
    for s in states:
        counts[s] = counts.get(s, 0) + 1
    return max(counts, key=counts.__getitem__), n_ocr / len(states)


def inside(box: BBox, region: BBox) -> bool:
    """The centre of ``box`` lies inside ``region``."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def unread_regions(images: Sequence[BBox], char_boxes: Sequence[BBox], page_area: float) -> list[BBox]:
    """Images of at least :data:`MIN_IMAGE_SHARE` of the page over which the text layer has
    (almost) no characters: a scan, or a table pasted as a picture."""
    out = []
    for img in images:
        area = max(0.0, img[2] - img[0]) * max(0.0, img[3] - img[1])
        if area < MIN_IMAGE_SHARE * page_area:
            continue
        n = sum(1 for b in char_boxes if inside(b, img))
        if n < area * _READ_DENSITY:
            out.append(img)
    return out


def image_cover(images: Sequence[BBox], page_area: float) -> float:
    """Share of the page the images cover (their areas summed, at most 1)."""
    area = sum(max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1]) for b in images)
    return min(1.0, area / max(page_area, 1e-9))


def judge_page(text: str, lines: Sequence[str] | Callable[[], Sequence[str]], *, images: Sequence[BBox] = (),
               char_boxes: Sequence[BBox] | Callable[[], Sequence[BBox]] = (), page_area: float = 1.0,
               invisible: float | Callable[[], float] = 0.0) -> PageVerdict:
    """The verdict for one page from its text layer (``text``: the page's characters in
    reading order, ``lines``: the same as visual lines), the boxes of its images and of its
    characters, its area (all in PDF points) and the share of its text drawn invisibly.
    ``lines``, ``char_boxes`` and ``invisible`` may be given as functions, called only when the
    verdict needs them."""
    if not callable(lines):
        lines = (lambda given: lambda: given)(lines)
    if callable(char_boxes):
        char_boxes = char_boxes() if images else ()
    chars = len("".join(text.split()))
    regions = unread_regions(images, char_boxes, page_area)
    covered = sum((r[2] - r[0]) * (r[3] - r[1]) for r in regions) / max(page_area, 1e-9)
    if chars < MIN_TEXT_CHARS:
        why = "no text layer" if chars == 0 else f"no usable text layer ({chars} characters)"
        return PageVerdict("ocr", why, fault="missing")
    cid = round(cid_share(text), 4)
    foreign = round(foreign_share(text), 4)
    quality = round(syllable_share(text), 4)
    measures = {"quality": quality, "cid_share": cid, "foreign_share": foreign}
    if cid > MAX_CID_SHARE:
        return PageVerdict("ocr", f"{cid:.0%} of the glyphs have no Unicode mapping (a font without "
                                  "ToUnicode)", broken=True, fault="cid", **measures)
    if foreign > MAX_FOREIGN_SHARE:
        return PageVerdict("ocr", f"{foreign:.0%} of the characters are outside the Vietnamese/Latin repertoire "
                                  "(a font with a wrong Unicode map)", broken=True, fault="foreign",
                           **measures)
    # English-model OCR of Vietnamese leaves 60-75 % of its words well-formed (sample 004); a
    # layer above SURE_QUALITY is not one, and the repair detector is spared.
    state, ocr_lines = ("accented", 0.0) if quality >= SURE_QUALITY else _layer_state(lines())
    measures["text_state"] = state
    if quality < MIN_QUALITY and state not in ("legacy_tcvn3", "legacy_vni"):
        return PageVerdict("ocr", f"only {quality:.0%} of the words are Vietnamese syllables", broken=True,
                           fault="not_vietnamese", **measures)
    if ocr_lines >= MAX_OCR_LINE_SHARE and state == "ocr_mangled":
        return PageVerdict("ocr", f"the text layer is English-model OCR ({ocr_lines:.0%} of its lines)",
                           broken=True, fault="english_ocr", **measures)
    cover = image_cover(images, page_area)
    if cover >= SCAN_IMAGE_SHARE:
        hidden = invisible() if callable(invisible) else invisible
        if hidden >= MIN_INVISIBLE_SHARE:
            return PageVerdict("ocr", f"an OCR text layer ({hidden:.0%} of its text invisible) over a scanned page "
                                      f"({cover:.0%} image): OCR'd again", fault="ocr_layer", **measures)
    if regions:
        outside = sum(1 for b in char_boxes if not any(inside(b, r) for r in regions))
        if covered >= SCAN_IMAGE_SHARE and outside < MIN_HYBRID_CHARS:
            return PageVerdict("ocr", f"a scanned page ({covered:.0%} image) with {outside} characters of text "
                                      "outside the image", fault="image", **measures)
        return PageVerdict("hybrid", f"text layer, and OCR for {len(regions)} image region(s) without text "
                                     f"({covered:.0%} of the page)", regions=tuple(regions), fault="image",
                           **measures)
    return PageVerdict("text_layer", f"text layer ({quality:.0%} Vietnamese syllables)", **measures)
