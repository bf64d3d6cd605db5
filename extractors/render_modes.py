"""How much of a PDF page's text is drawn invisibly: the mark of an OCR layer.

Scanner software, OCRmyPDF, tesseract's ``pdf`` output, ABBYY and Acrobat make a scan
searchable by setting the words they read over the page image in text render mode 3 (neither
filled nor stroked) -- or 7 (added to the clipping path only), also invisible.  Text an office
suite exports is filled (mode 0).  pdfplumber does not report the render mode of a character,
so :func:`invisible_share` reads the page's content streams with pdfminer's content parser,
following the ``Tr`` operator through ``q``/``Q`` and into the form XObjects the page draws
(OCRmyPDF puts its layer in one), and weighs each text-showing operator (``Tj``, ``TJ``,
``'``, ``"``) by the bytes it shows.

Other scanner software draws the words in plain ink and the page image over them: the text is
there but cannot be seen.  :func:`covered_share` counts the characters drawn before an opaque image
covering most of the page and lying under it (pdfplumber's layout keeps drawing order; an image
with a mask or soft mask -- a watermark, a seal laid over a digital page -- hides nothing).
"""

from __future__ import annotations

from collections import Counter

__all__ = ["invisible_share", "covered_share", "hidden_share", "render_mode_bytes", "INVISIBLE_MODES",
           "COVER_SHARE"]

#: text render modes that draw nothing visible (3: no fill, no stroke; 7: clip only)
INVISIBLE_MODES = frozenset({3, 7})
#: an image covering this share of the page hides the text drawn before it under it
COVER_SHARE = 0.7
#: form XObjects drawn inside forms are followed this deep
_MAX_DEPTH = 6


def _shown(op: str, args: list) -> int:
    """Bytes of text shown by text operator ``op`` with operands ``args``."""
    if op in ("Tj", "'", '"'):
        return len(args[-1]) if args and isinstance(args[-1], (bytes, str)) else 0
    if op == "TJ" and args and isinstance(args[-1], list):
        return sum(len(s) for s in args[-1] if isinstance(s, (bytes, str)))
    return 0


def _walk(streams: list, resources: dict, mode: int, counts: Counter, depth: int, seen: set[int]) -> None:
    from pdfminer.pdfinterp import PDFContentParser
    from pdfminer.psparser import PSEOF, PSKeyword, PSLiteral
    from pdfminer.pdftypes import PDFStream, resolve1

    stack: list[int] = []
    args: list = []
    parser = PDFContentParser(streams)
    while True:
        try:
            _, obj = parser.nextobject()
        except PSEOF:
            break
        if not isinstance(obj, PSKeyword):
            args.append(obj)
            continue
        op = obj.name.decode("latin-1") if isinstance(obj.name, bytes) else str(obj.name)
        if op == "q":
            stack.append(mode)
        elif op == "Q":
            mode = stack.pop() if stack else mode
        elif op == "Tr" and args and isinstance(args[-1], int):
            mode = args[-1]
        elif op in ("Tj", "TJ", "'", '"'):
            counts[mode] += _shown(op, args)
        elif op == "Do" and args and isinstance(args[-1], PSLiteral) and depth < _MAX_DEPTH:
            name = args[-1].name
            name = name.decode("latin-1") if isinstance(name, bytes) else name
            xobjects = resolve1(resources.get("XObject")) or {}
            xobj = resolve1(xobjects.get(name)) if isinstance(xobjects, dict) else None
            if isinstance(xobj, PDFStream) and getattr(resolve1(xobj.get("Subtype")), "name", None) == "Form" \
                    and id(xobj) not in seen:
                inner = resolve1(xobj.get("Resources")) or resources
                _walk([xobj], inner if isinstance(inner, dict) else resources, mode, counts, depth + 1,
                      seen | {id(xobj)})
        args = []


def render_mode_bytes(page_obj) -> Counter:
    """Text render mode -> bytes of text the page (a pdfminer ``PDFPage``) shows in it,
    its form XObjects included; empty when the content cannot be parsed."""
    from pdfminer.pdftypes import resolve1

    counts: Counter = Counter()
    try:
        streams = [s for s in (page_obj.contents or []) if s is not None]
        resources = resolve1(page_obj.resources) or {}
        _walk(streams, resources if isinstance(resources, dict) else {}, 0, counts, 0, set())
    except Exception:  # noqa: BLE001 - a damaged stream: no verdict from it (pdfminer raises many kinds)
        return Counter()
    return counts


def invisible_share(page_obj) -> float:
    """Share of the text the page shows that is drawn invisibly (render mode 3 or 7); 0.0
    for a page that shows no text."""
    counts = render_mode_bytes(page_obj)
    total = sum(counts.values())
    return sum(n for m, n in counts.items() if m in INVISIBLE_MODES) / total if total else 0.0


def _opaque(image) -> bool:
    """Whether a pdfminer image hides what lies under it: not one with a soft mask or a mask
    (a watermark or a seal laid over a digital page), nor a stencil mask."""
    attrs = getattr(getattr(image, "stream", None), "attrs", {}) or {}
    return not (attrs.get("SMask") or attrs.get("Mask") or attrs.get("ImageMask") or attrs.get("IM"))


def covered_share(page) -> float:
    """Share of the characters of a pdfplumber ``page`` drawn before an image that covers at
    least :data:`COVER_SHARE` of the page, has no mask and lies over them (0.0 without
    characters)."""
    from pdfminer.layout import LTChar, LTContainer, LTImage

    area = float(page.width * page.height) or 1.0
    chars: list[tuple[int, tuple]] = []
    covers: list[tuple[int, tuple]] = []
    order = 0

    def walk(objs) -> None:
        nonlocal order
        for obj in objs:
            order += 1
            if isinstance(obj, LTChar):
                if obj.get_text().strip():
                    chars.append((order, obj.bbox))
            elif isinstance(obj, LTImage):
                x0, y0, x1, y1 = obj.bbox
                if max(0.0, x1 - x0) * max(0.0, y1 - y0) >= COVER_SHARE * area and _opaque(obj):
                    covers.append((order, obj.bbox))
            elif isinstance(obj, LTContainer):
                walk(obj)

    try:
        walk(page.layout)
    except Exception:  # noqa: BLE001 - a page pdfminer cannot lay out: no verdict from it
        return 0.0
    if not chars or not covers:
        return 0.0

    def under(k: int, box: tuple) -> bool:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        return any(j > k and c[0] <= cx <= c[2] and c[1] <= cy <= c[3] for j, c in covers)

    return sum(under(k, box) for k, box in chars) / len(chars)


def hidden_share(page) -> float:
    """Share of a pdfplumber ``page``'s text that cannot be seen: drawn invisibly, or under a
    page-sized image drawn over it (the larger of the two measures)."""
    return max(invisible_share(page.page_obj), covered_share(page))
