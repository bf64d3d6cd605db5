"""tesseract, the OCR engine: in this process through its C++ API, or as the command line.

Two ways to run the same engine, chosen by ``Config.ocr_engine``:

``"api"``
    tesserocr (a Cython binding; its wheels bundle a single-threaded libtesseract).  The
    model is loaded once per process and language and kept; a page is handed over as raw
    pixels.  No process start, no image file, no OpenMP: on the 300 dpi pages of
    ``make bench`` a page pass takes about 30% less CPU than the command line.  A timeout is
    enforced by tesseract itself (``Recognize(timeout=...)``).
``"cli"``
    the ``tesseract`` command as a subprocess per call (``OMP_THREAD_LIMIT=1``), reading an
    uncompressed PGM/PPM: a crash or a hang stays outside the worker.
``"auto"`` (default)
    ``api`` when tesserocr can be imported, else ``cli``.

Both take the language data (``<lang>.traineddata``) from the same folder: ``TESSDATA_PREFIX``
when set, else the folder the Debian packages install (``tesseract-ocr-vie``).

Both return what the ``tsv`` renderer prints (``image_to_data``); :func:`osd` returns the page
orientation.  Errors: :class:`MissingDependencyError` (engine or language data absent, saying
what to install), :class:`ExtractionError` (the engine failed or ran out of time).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import ExtractionError, MissingDependencyError

__all__ = ["ENGINES", "INSTALL_HINT", "TIMEOUT_S", "resolve", "languages", "check", "tsv", "tsv_choices", "osd", "describe",
           "identity", "tessdata_dir"]

ENGINES = ("auto", "api", "cli")
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils"
API_HINT = "pip install tesserocr"
#: seconds one engine call may take
TIMEOUT_S = 300
#: where Debian, Homebrew and source installs put the language data (newest first)
_TESSDATA_GLOBS = ("/usr/share/tesseract-ocr/*/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata",
                   "/opt/homebrew/share/tessdata")


# ---------------------------------------------------------------------------------------------
# which engine, which language data
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _api_importable() -> bool:
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return False
    return True


def resolve(name: str) -> str:
    """The engine that ``name`` ("auto", "api", "cli") runs: "api" or "cli"."""
    if name not in ENGINES:
        raise ValueError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINES)}")
    if name == "auto":
        return "api" if _api_importable() else "cli"
    return name


def tessdata_dir() -> str | None:
    """The folder of ``*.traineddata`` files, or None when there is none."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env:
        return env if Path(env).is_dir() else None
    return _installed_tessdata()


@functools.lru_cache(maxsize=1)
def _installed_tessdata() -> str | None:
    # Searched once per process: every page asks (through check), the answer does not change.
    for pattern in _TESSDATA_GLOBS:
        for folder in sorted(Path("/").glob(pattern.lstrip("/")), reverse=True):
            if any(folder.glob("*.traineddata")):
                return str(folder)
    return None


def _packages(lang: str | list[str]) -> str:
    """The Debian packages of languages ("vie+eng" or a list): "tesseract-ocr-vie tesseract-ocr-eng"."""
    langs = lang.split("+") if isinstance(lang, str) else lang
    return " ".join(f"tesseract-ocr-{x}" for x in langs)


def _grey_or_rgb(image):
    """What both engines take: an 8-bit grey or RGB image."""
    return image if image.mode in ("L", "RGB") else image.convert("L")


@functools.lru_cache(maxsize=4)
def _languages(engine: str, tessdata: str | None) -> frozenset[str]:
    if engine == "api":
        if not _api_importable():
            raise MissingDependencyError(f"the OCR engine 'api' needs tesserocr; run: {API_HINT}")
        if tessdata is None:
            return frozenset()
        return frozenset(p.stem for p in Path(tessdata).glob("*.traineddata"))
    exe = shutil.which("tesseract")
    if exe is None:
        raise MissingDependencyError(f"tesseract is not installed; run: {INSTALL_HINT}")
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60)
    return frozenset(ln.strip() for ln in (out.stdout + out.stderr).splitlines()[1:] if ln.strip())


def languages(engine: str) -> frozenset[str]:
    """The languages ``engine`` ("api" or "cli") can read (cached; ``_languages.cache_clear()``)."""
    return _languages(engine, tessdata_dir() if engine == "api" else None)


def check(lang: str, engine: str) -> None:
    """Raise :class:`MissingDependencyError` unless ``engine`` and every language of ``lang``
    ("vie", "vie+eng") are installed."""
    have = languages(engine)
    missing = [x for x in lang.split("+") if x not in have]
    if missing:
        pkgs = _packages(missing)
        where = f" (in {tessdata_dir() or 'no tessdata folder'})" if engine == "api" else ""
        raise MissingDependencyError(f"tesseract language data {', '.join(missing)} is not installed{where}; "
                                     f"run: apt-get install {pkgs}")


@functools.lru_cache(maxsize=2)
def identity(engine: str) -> str:
    """What of the engine decides the words a scan reads as, for the result fingerprint:
    "api tesserocr 2.13.0" (the wheel bundles its libtesseract) or "cli".  Runs nothing: the
    command's version is not asked, so a broken ``tesseract`` cannot stall a batch before it
    starts (text documents never need it)."""
    if engine != "api":
        return engine
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"api tesserocr {version('tesserocr')}"
    except PackageNotFoundError:
        return "api"


def describe(engine: str) -> str:
    """The engine and its tesseract version, e.g. "api (tesseract 5.5.4)"."""
    try:
        if engine == "api":
            import tesserocr

            version = tesserocr.tesseract_version().split()[1]
        else:
            out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=60)
            version = (out.stdout + out.stderr).split()[1]
    except (ImportError, OSError, IndexError, subprocess.SubprocessError):
        version = "unknown"
    return f"{engine} (tesseract {version})"


# ---------------------------------------------------------------------------------------------
# the in-process engine
# ---------------------------------------------------------------------------------------------

_APIS: dict[tuple[int, str], object] = {}


def _api(lang: str):
    """This process's tesserocr instance for ``lang`` (created once; never shared across a fork)."""
    key = (os.getpid(), lang)
    api = _APIS.get(key)
    if api is None:
        import tesserocr

        folder = tessdata_dir()
        if folder is None:
            raise MissingDependencyError(f"no tesseract language data folder found; run: {INSTALL_HINT}")
        try:
            api = tesserocr.PyTessBaseAPI(path=folder.rstrip("/") + "/", lang=lang, init=True)
        except RuntimeError as exc:
            raise MissingDependencyError(f"tesseract cannot load language data {lang!r} from {folder} (missing "
                                         f"or damaged: {exc}); run: apt-get install --reinstall {_packages(lang)}"
                                         ) from None
        _APIS[key] = api
    return api


def _set_image(api, image) -> None:
    image = _grey_or_rgb(image)
    bpp = 1 if image.mode == "L" else 3
    api.SetImageBytes(image.tobytes(), image.width, image.height, bpp, image.width * bpp)


def _api_tsv(image, lang: str, psm: int, whitelist: str = "", choices: dict | None = None, dpi: int = 0) -> str:
    api = _api(lang)
    api.SetPageSegMode(psm)
    if whitelist:
        api.SetVariable("tessedit_char_whitelist", whitelist)
    api.SetVariable("lstm_choice_mode", "1" if choices is not None else "0")
    _set_image(api, image)
    if dpi:
        api.SetSourceResolution(int(dpi))
    try:
        if not api.Recognize(timeout=max(1, int(TIMEOUT_S * 1000))):
            raise ExtractionError(f"tesseract took longer than {TIMEOUT_S} s on one page (or failed)")
        if choices is not None:
            choices.update(_symbol_choices(api))
        return api.GetTSVText(0)
    finally:
        api.Clear()
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", "")


def _symbol_choices(api) -> dict[tuple[int, int, int, int], list]:
    """Word box (left, top, width, height: the TSV's) -> per symbol of the word, the LSTM's
    readings of it as ``[[text, confidence 0-1], ...]``, best first (``lstm_choice_mode`` 1)."""
    from tesserocr import RIL, iterate_level

    out: dict[tuple[int, int, int, int], list] = {}
    it = api.GetIterator()
    if it is None:
        return out
    word: list | None = None
    for r in iterate_level(it, RIL.SYMBOL):
        if r.IsAtBeginningOf(RIL.WORD) or word is None:
            box = r.BoundingBox(RIL.WORD)
            if box is None:
                continue
            word = out[(box[0], box[1], box[2] - box[0], box[3] - box[1])] = []
        alts = [(c.GetUTF8Text(), round(c.Confidence() / 100.0, 3)) for c in r.GetChoiceIterator()]
        read = r.GetUTF8Text(RIL.SYMBOL) or ""
        if read and all(t != read for t, _c in alts):  # its readings lost the one it settled on
            alts.append((read, round(r.Confidence(RIL.SYMBOL) / 100.0, 3)))
        word.append([[t, c] for t, c in sorted(alts, key=lambda a: -a[1]) if t])
    return out


def _api_osd(image) -> dict:
    import tesserocr

    api = _api("osd")
    api.SetPageSegMode(tesserocr.PSM.OSD_ONLY)
    _set_image(api, image)
    try:
        found = api.DetectOrientationScript()
    finally:
        api.Clear()
    if not found:
        return {}
    # orient_deg: how far the content is turned clockwise; "Rotate" undoes it (as the CLI says).
    return {"rotate": (360 - int(found["orient_deg"])) % 360, "confidence": float(found["orient_conf"])}


# ---------------------------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------------------------


def _cli(image, args: list[str]) -> str:
    # An uncompressed PGM/PPM in a temporary file: encoding a 300 dpi page as PNG takes about
    # a second, and tesseract reads stdin byte by byte (slower than the file).
    image = _grey_or_rgb(image)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix="kehoach-ocr-") as tmp:
        src = os.path.join(tmp, "page.pgm" if image.mode == "L" else "page.ppm")
        image.save(src, format="PPM")
        try:
            proc = subprocess.run(["tesseract", src, "stdout", *args], capture_output=True, env=env,
                                  timeout=TIMEOUT_S)
        except FileNotFoundError:
            raise MissingDependencyError(f"tesseract is not installed; run: {INSTALL_HINT}") from None
        except subprocess.TimeoutExpired:
            raise ExtractionError(f"tesseract took longer than {TIMEOUT_S} s on one page") from None
    if proc.returncode != 0:
        raise ExtractionError("tesseract failed: " + proc.stderr.decode("utf-8", "replace").strip()[-300:])
    return proc.stdout.decode("utf-8", "replace")


def _cli_osd(image) -> dict:
    try:
        text = _cli(image, ["--psm", "0", "-l", "osd"])
    except ExtractionError:
        return {}
    info = {}
    for line in text.splitlines():
        key, _, val = line.partition(":")
        if key.strip() == "Rotate":
            info["rotate"] = int(val.strip())
        elif key.strip() == "Orientation confidence":
            info["confidence"] = float(val.strip())
    return info


# ---------------------------------------------------------------------------------------------
# the two calls
# ---------------------------------------------------------------------------------------------


def tsv(image, lang: str, psm: int, engine: str, whitelist: str = "", dpi: int = 0) -> str:
    """tesseract's TSV of a PIL image (grey or RGB): one row per page, block, paragraph, line and
    word, with boxes in pixels and word confidences (0-100, -1 for non-words); ``whitelist``:
    the only characters to read, when given (a row number cell); ``dpi``: the image's
    resolution, when given (else tesseract takes one of its own)."""
    if engine == "api":
        return _api_tsv(image, lang, psm, whitelist, dpi=dpi)
    return _cli_tsv(image, lang, psm, whitelist, dpi)


def tsv_choices(image, lang: str, psm: int, engine: str, dpi: int = 0
                ) -> tuple[str, dict[tuple[int, int, int, int], list]]:
    """:func:`tsv` and, from the in-process engine, the readings tesseract weighed for each
    symbol of each word: word box (left, top, width, height) -> per symbol ``[[text,
    confidence 0-1], ...]``, best first -- the prior of the post-OCR correction (a tone mark read
    "nô" where "ổ" came close).  The command line gives none (an empty dict)."""
    if engine == "api":
        choices: dict = {}
        return _api_tsv(image, lang, psm, "", choices, dpi), choices
    return _cli_tsv(image, lang, psm, "", dpi), {}


def _cli_tsv(image, lang: str, psm: int, whitelist: str, dpi: int = 0) -> str:
    extra = ["-c", f"tessedit_char_whitelist={whitelist}"] if whitelist else []
    extra += ["--dpi", str(int(dpi))] if dpi else []
    return _cli(image, ["-l", lang, "--psm", str(psm), "-c", "preserve_interword_spaces=0", *extra, "tsv"])


def osd(image, engine: str) -> dict:
    """Orientation: ``{"rotate": degrees clockwise to make it upright, "confidence": float}``;
    ``{}`` when tesseract cannot tell (too little text)."""
    return _api_osd(image) if engine == "api" else _cli_osd(image)
