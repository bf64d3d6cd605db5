"""Run configuration: one frozen model, every field documented, overridable by
``KEHOACH_*`` environment variables (e.g. ``KEHOACH_WORKERS=2``).

The config is passed to every per-document call, so it must stay picklable.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KEHOACH_", frozen=True, extra="forbid")

    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Worker processes for the batch (default: all cores).",
    )
    fail_fast: bool = Field(False, description="Stop the batch at the first failed document.")
    max_file_bytes: int = Field(
        200 * 1024 * 1024, ge=1, description="Larger input files are refused (bytes)."
    )
    min_text_chars: int = Field(
        20, ge=0, description="A text file with fewer non-space characters is refused as empty."
    )
    extensions: tuple[str, ...] = Field(
        (".txt", ".md", ".pdf", ".docx", ".doc", ".png", ".jpg", ".jpeg", ".tif", ".tiff"),
        description="File extensions picked up when a folder is given (lower case, with dot).",
    )
    repair: Literal["auto", "ascii", "ocr", "tcvn3", "vni", "off"] = Field(
        "auto",
        description="Text repair before segmenting: 'auto' detects each line's state (correct text is "
        "left exactly as it is); 'ascii', 'ocr', 'tcvn3', 'vni' force one repair; 'off' skips it.",
    )
    ocr_lang: str = Field("vie", description="Tesseract language for scanned pages.")
    ocr_dpi: int = Field(300, ge=72, le=1200, description="Rendering resolution for OCR (dots per inch).")
    verbose: bool = Field(False, description="Show tracebacks for failures.")
