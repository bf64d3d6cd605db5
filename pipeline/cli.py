"""Command line: parses arguments and calls plain functions, nothing else.

    kehoach extract INPUT... -o OUTDIR [--workers N] [--fail-fast] [--repair MODE] [--force]
                    [--retry-failed] [--timeout S] [--executor process|dask] [--scheduler tcp://HOST:8786]
                    [--layout files|dataset] [--config FILE] [-v] [-q]
    kehoach repair FILE [--mode auto|ascii|ocr|tcvn3|vni] [-o OUT]
    kehoach text FILE... [--format txt|md|json] [-o OUT] [--repair MODE] [--config FILE]
    kehoach schema
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.errors import ExitCode, KehoachError

# Boxed, 80-column rich output only on a terminal: piped into a log, an error naming a long
# path must stay on one line (plain click formatting) so that it can be copied and grepped.
app = typer.Typer(add_completion=False, no_args_is_help=True,
                  rich_markup_mode="rich" if sys.stderr.isatty() else None,
                  help="Extract documented Parquet tables from Vietnamese commune plans (Kế hoạch .../KH-UBND).")


@app.command()
def extract(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output folder for the Parquet tables.")] = Path("data/parquet"),
    workers: Annotated[Optional[int], typer.Option("--workers", "-j", min=1, help="Worker processes (default: all cores).")] = None,
    fail_fast: Annotated[Optional[bool], typer.Option("--fail-fast", help="Stop at the first failed file.", show_default=False)] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show tracebacks and debug logs.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar.")] = False,
    repair: Annotated[Optional[str], typer.Option(
        "--repair", help="Text repair: auto (default), ascii, ocr, tcvn3, vni or off.")] = None,
    force: Annotated[Optional[bool], typer.Option(
        "--force", help="Reprocess every input, ignoring results stored by earlier runs.", show_default=False)] = None,
    retry_failed: Annotated[Optional[bool], typer.Option(
        "--retry-failed", help="Process again files whose same bytes failed in an earlier run (damaged, empty, "
        "over a limit); without it they are reported as failed, not retried.", show_default=False)] = None,
    timeout: Annotated[Optional[float], typer.Option(
        "--timeout", min=0, help="Seconds one document may take before it is stopped and recorded as failed "
        "(0 = no limit; default 1800).")] = None,
    executor: Annotated[Optional[str], typer.Option(
        "--executor", help="process (local process pool, default) or dask (starts a local Dask cluster).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Join a running Dask cluster, e.g. tcp://HOST:8786 (implies --executor dask).")] = None,
    layout: Annotated[Optional[str], typer.Option(
        "--layout", help="files: OUT/<table>.parquet (default); dataset: OUT/<table>/ hive-partitioned by "
        "province_key and year_key.")] = None,
    config: Annotated[Optional[Path], typer.Option(
        "--config", help="TOML file of settings (default: ./kehoach.toml if present). "
        "Precedence: options > KEHOACH_* environment > file > defaults.")] = None,
) -> None:
    """Extract every plan under INPUT into OUTDIR and print a summary.

    Re-runs are incremental: unchanged files are not processed again, the rows of
    changed files are replaced and those of files no longer given are removed;
    files that failed for good are reported again, not retried (--retry-failed).
    """
    from pipeline.batch import run_batch
    from pipeline.config import load_config

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    given = {"workers": workers, "fail_fast": fail_fast, "repair": repair, "force": force,
             "retry_failed": retry_failed, "doc_timeout": timeout, "executor": executor, "scheduler": scheduler, "layout": layout,
             "verbose": verbose or None}
    overrides = {k: v for k, v in given.items() if v is not None}
    try:
        cfg = _config(load_config, overrides, config)
        summary = run_batch(inputs, out, cfg, progress=not quiet)
    except KehoachError as exc:
        if verbose:
            raise
        typer.echo(f"kehoach: error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    typer.echo(summary.render(), err=True)
    where = f"{out}/<table>/ (dataset layout)" if cfg.layout == "dataset" else f"{out}/"
    typer.echo(f"tables {'written to' if summary.published else 'up to date in'} {where}", err=True)
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


@app.command("text")
def text_cmd(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="txt (pages parted by form feeds), md (headings, "
                                     "pipe tables) or json (pages, lines with boxes, tables).")] = "txt",
    out: Annotated[Optional[str], typer.Option(
        "-o", "--out", help="Output file (one input), or folder (several inputs, an existing folder or a "
        "name ending in /): <stem>.<format> per input. Default: standard output.")] = None,
    repair: Annotated[Optional[str], typer.Option(
        "--repair", help="Text repair: auto (default), ascii, ocr, tcvn3, vni or off.")] = None,
    config: Annotated[Optional[Path], typer.Option(
        "--config", help="TOML file of settings (default: ./kehoach.toml if present).")] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Show debug logs.")] = False,
) -> None:
    """Print each file's text exactly as kehoach reads it, page by page.

    The text is what the tables are made from: after extraction (text layer or
    OCR, decided per page) and after the repair of damaged Vietnamese. A file
    that cannot be read is reported on standard error and the others go on;
    the exit code is then that of the worst failure.
    """
    from pipeline.batch import collect_inputs
    from pipeline.config import load_config
    from pipeline.text_export import FORMATS
    from pipeline.text_files import export_files

    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    cfg = _config(load_config, {"repair": repair} if repair is not None else {}, config)
    paths = collect_inputs(inputs, cfg)
    if out is not None and len(paths) > 1 and Path(out).exists() and not Path(out).is_dir():
        raise typer.BadParameter(f"{out} is a file; with several inputs -o names a folder", param_hint="-o")
    run = export_files(paths, fmt, out, cfg, stdout=sys.stdout, note=lambda line: typer.echo(line, err=True))
    if run.failed:
        typer.echo(f"kehoach: {len(run.failed)} of {len(paths)} file(s) failed", err=True)
    raise typer.Exit(run.exit_code)


def _config(load, overrides: dict, config_file: Path | None = None):
    """Build the config, turning a bad value (option, variable or file) into a one-line usage error."""
    from pydantic import ValidationError

    from pipeline.config import ConfigFileError

    try:
        return load(overrides, config_file)
    except ConfigFileError as exc:
        raise typer.BadParameter(str(exc), param_hint="--config") from None
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
