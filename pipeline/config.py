"""Run configuration: one frozen model, every field documented.

Values come from, highest first: keyword arguments (the command line),
``KEHOACH_*`` environment variables (e.g. ``KEHOACH_WORKERS=2``), a TOML file
(``kehoach.toml`` in the current directory, or the file given to
:func:`load_config` / ``kehoach extract --config FILE``), then the defaults.
The file uses the field names as keys::

    workers = 4
    doc_timeout = 600      # seconds per document, 0 = no limit
    executor = "dask"
    layout = "dataset"

The config is passed to every per-document call, so it must stay picklable.
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import (BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict,
                               TomlConfigSettingsSource)

#: The configuration file read when none is named.
DEFAULT_CONFIG_FILE = "kehoach.toml"

_config_file: ContextVar[Path | None] = ContextVar("kehoach_config_file", default=None)


class ConfigFileError(ValueError):
    """The configuration file is missing or is not valid TOML."""


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KEHOACH_", frozen=True, extra="forbid")

    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Worker processes for the batch (default: all cores); with --executor dask, "
        "the number of workers of the local cluster.",
    )
    fail_fast: bool = Field(False, description="Stop the batch at the first failed document.")
    max_file_bytes: int = Field(
        200 * 1024 * 1024, ge=1, description="Larger input files are refused (bytes)."
    )
    min_text_chars: int = Field(
        20, ge=0, description="A file whose text (after extraction or OCR) has fewer non-space characters "
        "is refused as empty (KEHOACH_MIN_TEXT_CHARS)."
    )
    extensions: tuple[str, ...] = Field(
        (".txt", ".md", ".pdf", ".docx", ".doc", ".rtf", ".odt", ".html", ".htm", ".mht", ".mhtml", ".png", ".jpg",
         ".jpeg", ".tif", ".tiff"),
        description="File extensions picked up when a folder is given (lower case, with dot). Excel workbooks "
        "are read when named, or with '.xlsx' added here: a folder's spreadsheets are seldom plans.",
    )
    repair: Literal["auto", "ascii", "ocr", "tcvn3", "vni", "off"] = Field(
        "auto",
        description="Text repair before segmenting: 'auto' detects each line's state (correct text is "
        "left exactly as it is); 'ascii', 'ocr', 'tcvn3', 'vni' force one repair; 'off' skips it.",
    )
    ocr_lang: str = Field("vie", description="Tesseract language for scanned pages.")
    ocr_engine: Literal["auto", "api", "cli"] = Field(
        "auto",
        description="How tesseract runs: 'api' in the worker process (tesserocr: the model stays loaded, "
        "fastest), 'cli' as the tesseract command per page (a crash stays outside the worker), 'auto' "
        "the API when tesserocr is installed, else the command (KEHOACH_OCR_ENGINE).",
    )
    ocr_correct: bool = Field(
        True,
        description="Correct the words of Vietnamese-model OCR (ocr_lang with 'vie'): tone marks, vowel "
        "marks, đ/d, case inside a word and a few letter confusions, decoded with the syllable language "
        "model and weighed against tesseract's word confidence (KEHOACH_OCR_CORRECT).",
    )
    ocr_layers: Literal["redo", "keep"] = Field(
        "redo",
        description="Scanned PDF pages made searchable, their words set invisibly over the page image by the "
        "scanner's software, OCRmyPDF or tesseract: 'redo' OCRs them again with ocr_lang (tables from the "
        "image's rulings, stamps taken off, words corrected; the layer is used when OCR is not installed), "
        "'keep' reads the layer as it is (KEHOACH_OCR_LAYERS).",
    )
    ocr_dpi: int = Field(300, ge=72, le=1200, description="Rendering resolution for OCR (dots per inch).")
    verbose: bool = Field(False, description="Show tracebacks for failures.")

    # --- batch execution (these never change a document's rows) -------------------------------
    executor: Literal["process", "dask"] = Field(
        "process",
        description="Where documents are processed: 'process' (a local process pool) or 'dask' "
        "(dask.distributed: a local cluster, or the cluster at `scheduler`).",
    )
    scheduler: str | None = Field(
        None,
        description="Address of a running Dask scheduler, e.g. 'tcp://10.0.0.5:8786'; implies "
        "executor 'dask'. Workers need kehoach installed and the input paths visible.",
    )
    doc_timeout: float = Field(
        1800.0, ge=0,
        description="Seconds one document may take before it is stopped and recorded as failed "
        "(KEHOACH_DOC_TIMEOUT, --timeout); 0 means no limit.",
    )
    force: bool = Field(
        False, description="Reprocess every input, ignoring the results stored by earlier runs."
    )
    retry_failed: bool = Field(
        False,
        description="Process again the files whose same bytes failed for good in an earlier run (damaged, "
        "empty, encrypted, over a limit); without it they are reported as failed again, not retried "
        "(KEHOACH_RETRY_FAILED, --retry-failed). Other failures (a missing program, the time or memory "
        "limit, a crash) are always retried.",
    )
    layout: Literal["files", "dataset"] = Field(
        "files",
        description="Output layout: 'files' writes OUT/<table>.parquet; 'dataset' writes OUT/<table>/ "
        "directories of hive partitions (province_key=.../year_key=...).",
    )

    # --- limits on hostile or broken input (a refused file gets a manifest row saying which) ---
    max_pages: int = Field(
        2000, ge=1,
        description="Documents with more pages are refused before they are decoded (KEHOACH_MAX_PAGES): PDF "
        "pages, TIFF frames, text dump pages (form feeds), and Word pages (.docx, .doc once converted) "
        "counted from page breaks and Word's last layout or, when more, estimated at 50 body paragraphs "
        "or table rows, or 5,000 characters, a page.",
    )
    max_page_pixels: int = Field(
        100_000_000, ge=1,
        description="Largest page image, in pixels (width x height): an image file, an image inside a "
        "PDF, or a PDF page as rendered for OCR at ocr_dpi; larger ones are refused instead of being "
        "decoded (decompression bombs). 100 million is an A1 sheet at 300 dpi (KEHOACH_MAX_PAGE_PIXELS).",
    )
    max_line_chars: int = Field(
        200_000, ge=1,
        description="A text file with a longer line (characters between line breaks) is refused: it is "
        "not a plan's text dump; `kehoach repair` refuses it too (KEHOACH_MAX_LINE_CHARS).",
    )
    worker_memory_mb: int = Field(
        4096, ge=0,
        description="Address space of each worker process, in MiB (RLIMIT_AS, inherited by tesseract "
        "and LibreOffice); a document that needs more fails with a message instead of exhausting the "
        "machine. A run without workers (--workers 1 --timeout 0) caps each document instead: while it "
        "runs, the process may grow by this much over what it held before, and the limit is lifted "
        "again afterwards. 0 = no limit (KEHOACH_WORKER_MEMORY_MB).",
    )

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = _config_file.get() or Path(DEFAULT_CONFIG_FILE)
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=path)

    @property
    def uses_dask(self) -> bool:
        return self.executor == "dask" or self.scheduler is not None


#: Fields that decide how a batch runs but never what a document's rows are; every
#: other field is part of the result fingerprint (changing it reprocesses the documents).
EXECUTION_FIELDS = frozenset({"workers", "fail_fast", "verbose", "executor", "scheduler", "doc_timeout",
                              "force", "retry_failed", "layout", "extensions", "worker_memory_mb"})


def load_config(overrides: dict[str, Any] | None = None, config_file: str | os.PathLike[str] | None = None
                ) -> Config:
    """The config from ``overrides`` > environment > ``config_file`` (or ./kehoach.toml) > defaults.

    Raises :class:`ConfigFileError` when a named file is missing or a file is not valid
    TOML, and pydantic's ``ValidationError`` for a bad value or an unknown key.
    """
    path = Path(config_file) if config_file is not None else Path(DEFAULT_CONFIG_FILE)
    if config_file is not None and not path.is_file():
        raise ConfigFileError(f"{path}: configuration file not found")
    if path.is_file():
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigFileError(f"{path}: not a valid TOML file: {exc}") from None
    token = _config_file.set(path)
    try:
        return Config(**(overrides or {}))
    finally:
        _config_file.reset(token)
