"""Command line: parses arguments and calls plain functions, nothing else.

    kehoach extract INPUT... -o OUTDIR [--workers N] [--fail-fast] [--repair MODE] [-v] [-q]
    kehoach repair FILE [--mode auto|ascii|ocr|tcvn3|vni] [-o OUT]
    kehoach schema
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.errors import ExitCode, KehoachError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract documented Parquet tables from Vietnamese commune plans (Kế hoạch .../KH-UBND).")


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder for the Parquet tables.")] = Path("data/parquet"),
    workers: Annotated[Optional[int], typer.Option("--workers", "-j", min=1, help="Worker processes (default: all cores).")] = None,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="Stop at the first failed file.")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show tracebacks and debug logs.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar.")] = False,
    repair: Annotated[Optional[str], typer.Option(
        "--repair", help="Text repair: auto (default), ascii, ocr, tcvn3, vni or off.")] = None,
) -> None:
    """Extract every plan under INPUT into OUTDIR/<table>.parquet and print a summary."""
    from pipeline.batch import run_batch
    from pipeline.config import Config

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    overrides = {"fail_fast": fail_fast, "verbose": verbose}
    if workers is not None:
        overrides["workers"] = workers
    if repair is not None:
        overrides["repair"] = repair
    try:
        cfg = _config(Config, overrides)
        summary = run_batch(inputs, out, cfg, progress=not quiet)
    except KehoachError as exc:
        if verbose:
            raise
        typer.echo(f"kehoach: error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    typer.echo(summary.render(), err=True)
    typer.echo(f"tables written to {out}/", err=True)
    raise typer.Exit(int(summary.exit_code))


@app.command("repair")
def repair_cmd(
    file: Annotated[Path, typer.Argument(help="A text dump (or any supported input) to repair.")],
    mode: Annotated[str, typer.Option("--mode", "-m", help="auto, ascii, ocr, tcvn3 or vni.")] = "auto",
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="Write here instead of standard output.")] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show tracebacks.")] = False,
) -> None:
    """Print FILE's text with damaged Vietnamese repaired, line for line.

    The output has exactly as many lines as the input text; the detected state
    and confidence go to standard error.
    """
    from normalizers.repair import MODES
    from pipeline.repair_file import repair_file

    if mode not in MODES:
        raise typer.BadParameter(f"choose one of {', '.join(MODES)}", param_hint="--mode")
    try:
        result = repair_file(file, mode=mode, out=out)
    except KehoachError as exc:
        if verbose:
            raise
        typer.echo(f"kehoach: error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    if out is None:
        sys.stdout.write(result.text)
        sys.stdout.flush()
    typer.echo(f"{file}: state {result.state}, confidence {result.confidence:.2f}, "
               f"{result.changed} of {len(result.line_states)} lines changed", err=True)


def _config(factory, overrides: dict):
    """Build the config, turning a bad option value into a one-line usage error."""
    from pydantic import ValidationError

    try:
        return factory(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise typer.BadParameter(f"{field}: {first['msg']}") from None


@app.command()
def schema() -> None:
    """Print every output table with its columns and their documentation."""
    from pipeline.schemas import describe

    typer.echo(describe())


def main() -> None:  # pragma: no cover - console entry point
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("kehoach: interrupted; previous outputs are intact", err=True)
        sys.exit(int(ExitCode.internal))


if __name__ == "__main__":  # pragma: no cover
    main()
