"""Errors with an exit code and a message that tells the user what to do.

Inside a document a failing stage becomes an :class:`~pipeline.model.ErrorItem`
(the batch goes on); these exceptions are what stages raise, and what the CLI
turns into one-line messages and exit codes (the worst seen wins).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of ``kehoach`` (documented in the README)."""

    ok = 0
    partial = 1  # every file was read, but some documents are partial (a stage failed)
    bad_args = 2  # the command line was wrong
    input_file = 3  # some input files could not be read (empty, damaged, binary, password, over a limit, ...)
    missing_dependency = 4  # a required program or library is not installed
    extraction = 5  # a document failed during processing (a program failed, the time or memory limit)
    output = 6  # the output directory could not be written (read-only, full)
    internal = 9  # a bug, or a worker process that died: please report it with the file


class KehoachError(Exception):
    """Base class; ``exit_code`` orders how bad a failure is."""

    exit_code: ExitCode = ExitCode.internal
    category: str = "internal"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputFileError(KehoachError):
    """The input file cannot be read as a plan (empty, binary, undecodable, unreadable)."""

    exit_code = ExitCode.input_file
    category = "input_file"


class UnsupportedFormatError(InputFileError):
    category = "unsupported_format"


class MissingDependencyError(KehoachError):
    """A program or library is missing; the message says how to install it."""

    exit_code = ExitCode.missing_dependency
    category = "missing_dependency"


class ExtractionError(KehoachError):
    """A stage failed on this document."""

    exit_code = ExitCode.extraction
    category = "extraction"


class OutputError(KehoachError):
    """The output directory cannot be written."""

    exit_code = ExitCode.output
    category = "output"


class StageContractError(ExtractionError):
    """A stage returned something other than what it declared."""

    category = "stage_contract"


class LimitExceededError(InputFileError):
    """The input is over a configured limit (file size, pages, page pixels, line length, unpacked
    size); the message names the limit and the ``KEHOACH_*`` variable that raises it."""


class EncryptedInputError(InputFileError):
    """The input is protected by a password that kehoach does not know."""


class ResourceLimitError(ExtractionError):
    """Processing the document needed more memory than it may use (KEHOACH_WORKER_MEMORY_MB)."""

    category = "out_of_memory"
