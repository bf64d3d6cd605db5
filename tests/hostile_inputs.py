"""Builders for the hostile-input corpus: every kind of broken, dangerous or odd file a batch
meets in the wild, generated in a temporary folder (nothing binary is committed).

:func:`build_corpus` writes them all into one folder and returns, for every file a batch
must list in its manifest, what it must say (:class:`Expect`).  The helpers build the
individual pieces (PDFs by reportlab or by hand, DOCX by python-docx, images by PIL) so
that fault-injection tests can reuse them.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

#: A short plan, correct Vietnamese; ``{tag}`` keeps the copies distinct (a file with the same
#: bytes as another is a duplicate and skipped).
PLAN = """ỦY BAN NHÂN DÂN
XÃ AN BÌNH
Số: 12/KH-UBND
An Bình, ngày 10 tháng 1 năm 2024
KẾ HOẠCH
Cải cách hành chính xã An Bình năm 2024
I. MỤC TIÊU
1. Mục tiêu chung
- Tỷ lệ hồ sơ giải quyết đúng hạn đạt tối thiểu 95%.
- Mức độ hài lòng của người dân đạt trên 90%.
II. NHIỆM VỤ
1. Văn phòng HĐND-UBND xã chủ trì rà soát thủ tục hành chính, hoàn thành trước ngày 30/6/2024.
2. Công chức Tư pháp - Hộ tịch phối hợp tuyên truyền về cải cách hành chính.
III. TỔ CHỨC THỰC HIỆN
Các bộ phận chuyên môn căn cứ kế hoạch này triển khai thực hiện.
Ghi chú: bản {tag}.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""

#: 50 MiB: the size of the text file without line breaks
NO_BREAKS_BYTES = 50 * 1024 * 1024


def plan_text(tag: str) -> str:
    return PLAN.format(tag=tag)


@dataclass(frozen=True)
class Expect:
    """What the manifest row of one file must say."""

    status: str  # success / partial / failure / skipped
    needles: tuple[str, ...] = ()  # fragments the error message must contain (case-insensitive)


# --- PDFs -------------------------------------------------------------------------------------------


def plan_pdf(text: str, *, user_password: str | None = None, owner_password: str = "owner",
             pagesize: tuple[float, float] = (595.0, 842.0), pages: int = 1) -> bytes:
    """A digital PDF of ``text`` (one line per line, Vietnamese-capable font) on each of
    ``pages`` pages; encrypted with RC4-128 when ``user_password`` is given ("" = opens
    without a password)."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    from fixture_docs import _fonts

    font, _ = _fonts()
    buf = io.BytesIO()
    encrypt = (pdfencrypt.StandardEncryption(user_password, ownerPassword=owner_password, strength=128)
               if user_password is not None else None)
    cv = canvas.Canvas(buf, pagesize=pagesize, invariant=1, encrypt=encrypt)
    for _ in range(pages):
        y = pagesize[1] - 60
        for line in text.splitlines():
            cv.setFont(font, 11)
            cv.drawString(50, y, line)
            y -= 16
        cv.showPage()
    cv.save()
    return buf.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from its numbered objects (1-based; object 1 the catalog) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_without_pages() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_with_image_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """An A4 page showing an image XObject that claims ``width`` x ``height`` pixels."""
    data = zlib.compress(b"\x00" * 4096)
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data)) + data + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


def scanned_pdf(text: str) -> bytes:
    """An image-only PDF page (no text layer): a "scan" that must be OCR'd."""
    img = text_image(text)
    buf = io.BytesIO()
    img.save(buf, "PDF", resolution=150.0)
    return buf.getvalue()


def truncate(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def corrupt(data: bytes, seed: int = 5) -> bytes:
    """Junk over everything but the first and last 200 bytes (header and trailer intact):
    a damaged copy whose objects cannot be found."""
    rng = random.Random(seed)
    return data[:200] + bytes(rng.randrange(256) for _ in range(len(data) - 400)) + data[-200:]


# --- images -------------------------------------------------------------------------------------------


def text_image(text: str, *, width: int = 1240, dpi_scale: float = 1.0):
    """A white page with ``text`` drawn in black (PIL), as a scanner would give it."""
    from PIL import Image, ImageDraw, ImageFont

    from fixture_docs import FONT_CANDIDATES

    lines = text.splitlines()
    size = int(28 * dpi_scale)
    img = Image.new("L", (width, 80 + len(lines) * (size + 12)), 255)
    font = ImageFont.truetype(FONT_CANDIDATES[0][0] if Path(FONT_CANDIDATES[0][0]).exists()
                              else FONT_CANDIDATES[1][0], size)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((60, 40 + i * (size + 12)), line, fill=0, font=font)
    # A rule under the letterhead, as printed plans have.
    y = 40 + 2 * (size + 12) - 4
    draw.line((60, y, width - 60, y), fill=0, width=3)
    return img


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with almost no data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def huge_png(width: int = 12_000, height: int = 12_000) -> bytes:
    """A real, decodable 1-bit PNG of ``width`` x ``height`` (small on disk, huge in memory)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (width, height), 1).save(buf, "PNG")
    return buf.getvalue()


# --- DOCX ---------------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def plan_docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _replace_member(docx_bytes: bytes, name: str, write) -> bytes:
    """The DOCX with member ``name`` rewritten by ``write(file_object)`` (streamed)."""
    src = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == name:
                member = zipfile.ZipInfo(name)
                member.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(member, "w", force_zip64=True) as fh:
                    write(fh)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def docx_zip_bomb(text: str, unpacked: int = 210 * 1024 * 1024) -> bytes:
    """A DOCX whose document.xml unpacks to ``unpacked`` bytes (mostly blanks, ~0.1% packed)."""
    def write(fh) -> None:
        compressor_friendly = b" " * (1 << 20)
        head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
                f"<w:p><w:r><w:t>{text.splitlines()[0]}</w:t></w:r></w:p>").encode()
        fh.write(head)
        left = unpacked - len(head)
        while left > 0:
            piece = compressor_friendly[:left]
            fh.write(piece)
            left -= len(piece)
        fh.write(b"</w:body></w:document>")

    # Declared and real sizes agree (an honest bomb); deflate packs it to ~200 KB.
    return _replace_member(plan_docx(text), "word/document.xml", write)


def docx_billion_laughs(text: str) -> bytes:
    """A DOCX whose document.xml declares nested entities that would expand to gigabytes."""
    ents = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{k} "{("&lol" + (str(k - 1) if k > 1 else "") + ";") * 10}">' for k in range(1, 10)]
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [{"".join(ents)}]>\n'
           f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>{text.splitlines()[0]} &lol9;</w:t></w:r></w:p>'
           "</w:body></w:document>").encode()
    return _replace_member(plan_docx(text), "word/document.xml", lambda fh: fh.write(xml))


# --- text ---------------------------------------------------------------------------------------------


def tcvn3_bytes(text: str) -> bytes:
    """``text`` as the raw bytes of the .VnTime (TCVN3) font encoding."""
    from normalizers.encodings import encode

    return encode(text, "tcvn3").encode("latin-1")


def cp1258_bytes(text: str) -> bytes:
    from conftest import encode_cp1258

    return encode_cp1258(text)


def write_no_breaks(path: Path, size: int = NO_BREAKS_BYTES) -> Path:
    """``size`` bytes of Vietnamese words and spaces without a single line break."""
    block = ("cải cách hành chính xã An Bình " * 2048).encode()
    with open(path, "wb") as fh:
        left = size
        while left > 0:
            piece = block[:left]
            fh.write(piece)
            left -= len(piece)
    return path


# --- the corpus ---------------------------------------------------------------------------------------

def build_corpus(folder: Path, *, big: bool = True) -> dict[str, Expect]:
    """Write every hostile input (and a few good files) under ``folder``; return
    ``{path relative to folder: Expect}`` for every file that must get a manifest row.

    ``big``: include the 50 MiB text without line breaks and the 210 MiB (unpacked) zip bomb.
    Files that are not listed must not appear in the manifest (link loops to folders, empty
    sub-folders, files with other extensions).
    """
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, Expect] = {}

    def put(name: str, data: bytes, exp: Expect) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        expect[name] = exp

    ok = Expect("success")
    # Good files, some under odd names: they must come through untouched.
    put("plan.txt", plan_text("gốc").encode(), ok)
    put("sub/kế hoạch xã An Bình (bản sao).txt", plan_text("gốc").encode(),
        Expect("skipped", ("same content as", "plan.txt")))
    put("kế hoạch năm 2024 có dấu cách.txt", plan_text("tên có dấu").encode(), ok)
    put("dòng\nmới.txt", plan_text("tên có xuống dòng").encode(), ok)
    put("utf16.txt", plan_text("utf-16").encode("utf-16"), ok)
    put("cp1258.txt", cp1258_bytes(plan_text("Windows-1258")), ok)
    put("tcvn3.txt", tcvn3_bytes(plan_text("TCVN3")), ok)
    put("plan.pdf", plan_pdf(plan_text("PDF")), ok)
    put("pdf-named.txt", plan_pdf(plan_text("PDF tên .txt")), ok)
    put("text-named.pdf", plan_text("văn bản tên .pdf").encode(), ok)
    put("encrypted-empty-password.pdf", plan_pdf(plan_text("mật khẩu rỗng"), user_password=""), ok)
    put("plan.docx", plan_docx(plan_text("DOCX")), ok)

    # Empty, truncated, damaged.
    put("empty.txt", b"", Expect("failure", ("empty",)))
    put("empty.pdf", b"", Expect("failure", ("empty",)))
    put("blank.txt", b" \n\n\t \n", Expect("failure", ("empty",)))
    good_pdf = plan_pdf(plan_text("cắt ngắn"))
    put("truncated.pdf", truncate(good_pdf), Expect("failure", ("truncated",)))
    put("corrupted.pdf", corrupt(plan_pdf(plan_text("hỏng"))), Expect("failure", ("PDF",)))
    put("no-pages.pdf", pdf_without_pages(), Expect("failure", ("no pages",)))
    put("blank-page.pdf", raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]),
        Expect("failure", ("no text found", "1 page")))
    put("empty.docx", plan_docx(""), Expect("failure", ("no text found",)))
    put("truncated.docx", truncate(plan_docx(plan_text("DOCX cắt"))), Expect("failure", ("Word document",)))

    # Passwords.
    put("encrypted.pdf", plan_pdf(plan_text("mật khẩu"), user_password="secret"),
        Expect("failure", ("password", "qpdf")))

    # Bombs and limits.
    # (a page of no paper's width is rendered as an A4 sheet: extractors.page_size; one as wide
    # as A4 and 2,000 inches tall is still too large to render)
    put("huge-page.pdf", plan_pdf(plan_text("trang khổng lồ"), pagesize=(595.0, 144000.0)),
        Expect("failure", ("page 1", "KEHOACH_MAX_PAGE_PIXELS")))
    put("image-bomb.pdf", pdf_with_image_bomb(), Expect("failure", ("image on page 1", "KEHOACH_MAX_PAGE_PIXELS")))
    put("claims-huge.png", png_claiming(100_000, 100_000),
        Expect("failure", ("10,000,000,000", "KEHOACH_MAX_PAGE_PIXELS")))
    put("huge-scan.png", huge_png(), Expect("failure", ("12,000 × 12,000", "KEHOACH_MAX_PAGE_PIXELS")))
    put("billion-laughs.docx", docx_billion_laughs(plan_text("thực thể")), Expect("failure", ("entities",)))
    if big:
        put("zip-bomb.docx", docx_zip_bomb(plan_text("bom")), Expect("failure", ("unpacks to", "KEHOACH_MAX_FILE_BYTES")))
        write_no_breaks(folder / "no-line-breaks.txt")
        expect["no-line-breaks.txt"] = Expect("failure", ("characters long", "KEHOACH_MAX_LINE_CHARS"))

    # Not what the name says.
    rng = random.Random(11)
    junk = bytes(rng.randrange(256) for _ in range(64 * 1024))
    put("junk.txt", junk, Expect("failure", ("binary",)))
    put("junk.pdf", junk[::-1], Expect("failure", ("not a readable PDF",)))
    put("junk.docx", junk[1:], Expect("failure", ("Word document",)))
    put("archive.docx", _zip_of({"notes.txt": b"not a Word document"}), Expect("failure", ("Word document",)))
    put("archive.txt", _zip_of({"plan.txt": plan_text("nén").encode()}), Expect("failure", ("ZIP archive", "unpack")))

    # Links, permissions, special files, folders.
    (folder / "loop-a.txt").symlink_to("loop-b.txt")
    (folder / "loop-b.txt").symlink_to("loop-a.txt")
    expect["loop-a.txt"] = expect["loop-b.txt"] = Expect("failure", ("link", "loops"))
    (folder / "sub" / "up").symlink_to("..", target_is_directory=True)  # a folder loop: not followed
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    expect["dangling.txt"] = Expect("failure", ("does not exist",))
    put("unreadable.txt", plan_text("không đọc được").encode(), Expect("failure", ("permission denied",)))
    os.chmod(folder / "unreadable.txt", 0)
    os.mkfifo(folder / "pipe.txt")
    expect["pipe.txt"] = Expect("failure", ("not a regular file",))
    (folder / "empty-folder").mkdir()
    (folder / "ignored.xlsx").write_bytes(b"PK\x03\x04 not a plan extension")
    return expect


def _zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


# --- running the real command line ---------------------------------------------------------------

NOBODY = 65534
#: Linux capabilities that let root ignore file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)
_DAC_CAPS = (1, 2)
_PR_CAPBSET_DROP = 24


def running_as_root() -> bool:
    return os.geteuid() == 0


def drop_file_privileges() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Make root subject to file permissions, as any user is: drop the two capabilities that
    bypass them from the bounding set (gone after exec); where that is not allowed, become
    user nobody instead."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if all(libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) == 0 for cap in _DAC_CAPS):
        return
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def kehoach_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, unprivileged: bool = False,
                preexec=None, timeout: float = 600):
    """``python -m pipeline.cli ARGS`` in a subprocess.  ``unprivileged``: file permissions are
    enforced even when the tests run as root (CI does), see :func:`drop_file_privileges`."""
    import subprocess
    import sys

    full_env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # This checkout's code, also when cwd is elsewhere (an installed copy would come first).
    root = str(Path(__file__).resolve().parents[1])
    full_env["PYTHONPATH"] = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    full_env.update(env or {})

    def pre() -> None:  # pragma: no cover - child side
        if preexec is not None:
            preexec()
        if unprivileged:
            drop_file_privileges()

    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=timeout, preexec_fn=pre)
