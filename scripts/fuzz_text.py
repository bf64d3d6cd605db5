"""Coverage-guided fuzzing (atheris / libFuzzer) of the text-dump decoder and the structure
parsers: bytes -> decode -> lines and pages -> section outline -> header -> appendix rows ->
body tasks.

    make fuzz                       # FUZZ_SECONDS=600 by default
    .venv/bin/python scripts/fuzz_text.py -max_total_time=60 build/fuzz/corpus

Any exception other than the documented refusal (:class:`~pipeline.errors.InputFileError`,
the message a user sees for a file that is not a text dump) is a bug: libFuzzer stops and
writes the input to ``build/fuzz/crashes/crash-*``.  At the end libFuzzer prints the
executions (``Done N runs``, ``stat::number_of_executed_units``) and the coverage it reached
(``cov:`` instrumented edges, ``ft:`` features); ``make fuzz`` shows those lines.

:func:`fuzz_one` is the whole target and needs no atheris: ``tests/scripts/test_fuzz_text.py``
runs it on a few seeds so that it keeps working.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "resources"
#: inputs longer than this are cut by libFuzzer (bytes); a sample plan's first pages fit
MAX_LEN = 16384


def _imports() -> None:
    global decode_text, document_from_text, parse_outline, extract_header, extract_appendix
    global extract_body_tasks, InputFileError
    from extractors.appendix import extract_appendix
    from extractors.body_tasks import extract_body_tasks
    from extractors.header import extract_header
    from extractors.sections import parse_outline
    from extractors.text_dump import decode_text, document_from_text
    from pipeline.errors import InputFileError


def fuzz_one(data: bytes) -> int:
    """One input through the decoder and every text parser; returns the number of lines parsed.

    Raises only on a bug.  Text the decoder refuses is still parsed (decoded as UTF-8 with
    replacement characters), so that the parsers see arbitrary Unicode too.
    """
    if "decode_text" not in globals():
        _imports()
    try:
        text, encoding = decode_text(data, "fuzz.txt")
    except InputFileError:
        text, encoding = data.decode("utf-8", "replace"), "utf-8"
    try:
        doc = document_from_text(text, path="fuzz.txt", sha256="0" * 64, source_format="text",
                                 encoding=encoding, max_line_chars=MAX_LEN, max_pages=2000)
    except InputFileError:
        return 0
    lines = doc.texts()
    pages = [line.page for line in doc.lines]
    tables = extract_appendix(lines)
    assert isinstance(tables, list)
    starts = [t.header_line or (t.rows[0].line_start if t.rows else None) for t in tables]
    stop = min((s - 1 for s in starts if s), default=None)
    outline, (start, end) = parse_outline(lines, pages, stop)
    assert 0 <= start <= end <= len(lines), (start, end, len(lines))
    extract_header(lines, body_start=start, closing=(end, stop if stop is not None else len(lines)))
    extract_body_tasks(outline)
    return len(lines)


def _seed_corpus(corpus: Path) -> None:
    """The sample plans, cut to :data:`MAX_LEN` at line ends, plus a few odd encodings."""
    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for sample in sorted(SEEDS.glob("00*.txt")):
        data = sample.read_bytes()
        for k, start in enumerate(range(0, len(data), MAX_LEN)):
            chunk = data[start:start + MAX_LEN]
            cut = chunk.rfind(b"\n") + 1 or len(chunk)
            (corpus / f"{sample.stem}-{k}").write_bytes(chunk[:cut])
            if k == 0:
                text = chunk[:cut].decode("utf-8", "ignore")
                half = text[: len(text) // 2]  # two or more bytes a letter: keep under MAX_LEN
                (corpus / f"{sample.stem}-utf16").write_bytes(half.encode("utf-16")[:MAX_LEN])
                (corpus / f"{sample.stem}-cp1258").write_bytes(text.encode("cp1258", "replace")[:MAX_LEN])


def main(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["extractors", "normalizers", "pipeline"]):
        _imports()
    args = list(argv)
    if not any(not a.startswith("-") for a in args[1:]):
        corpus = ROOT / "build" / "fuzz" / "corpus"
        _seed_corpus(corpus)
        args.append(str(corpus))
    if not any(a.startswith("-max_len=") for a in args):
        args.append(f"-max_len={MAX_LEN}")
    args.append("-print_final_stats=1")
    os.makedirs(ROOT / "build" / "fuzz" / "crashes", exist_ok=True)
    if not any(a.startswith("-artifact_prefix=") for a in args):
        args.append(f"-artifact_prefix={ROOT / 'build' / 'fuzz' / 'crashes'}/")

    def target(data: bytes) -> None:
        fuzz_one(data)

    atheris.Setup(args, target)
    atheris.Fuzz()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv)
