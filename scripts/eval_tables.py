"""Appendix rows recall / precision and field accuracy per input form, on generated plans whose
tables differ in shape (tests/plan_shapes.py).

For every plan (seeds ``--first-seed`` ..) and form (docx, pdf, plain, layout, ascii, ascii_layout, ocr_eng,
scan, scan_turned, scan_harsh, scan_grey, scan_layer, markdown: the DOCX as Markdown; tabs: the DOCX as Word's plain-text export; lotext: as LibreOffice's text export; pandoc_md, pandoc_gfm, pandoc_plain: converted by pandoc; docx_centered, pdf_centered, ocr_eng_centered: every table cell centred
vertically) the form is built (cached by plan under ~/.cache/kehoach-plan-shapes, or
$KEHOACH_SHAPES_CACHE) and run through ``pipeline.run.process_document``; its appendix rows are
matched with the plan's rows (tests/table_match.py: a row matches when its compared cells,
joined, are within 10 % CER).  Printed per form: rows recall and precision (over all plans),
plans whose rows recall and precision are both >= 0.95, field accuracy per role (share of the
cells of matched rows within 2 % CER (``--cell-cer``), over the plans whose table has the role), the roles not
compared (note, monitor; group_no and group_title of tables with group rows) the same way, and
the time the pipeline took, and the share of rows (of tables with a TT column) with a row
number, and with one read off the page (not inferred from the sequence).

    python scripts/eval_tables.py                      # 12 plans, every form
    python scripts/eval_tables.py --plans 4 --forms docx,pdf,layout -v
    python scripts/eval_tables.py --roles row_no,task,lead,deadline
    python scripts/eval_tables.py --forms scan --cell-cer 0.1   # fields right within 10 % CER
    python scripts/eval_tables.py --forms scan_harsh --min-confidence 0.8   # rows a filter keeps
    python scripts/eval_tables.py --two-level --first-seed 1001 --plans 40   # two-level headers

``--two-level``: the same plans with a two-level header (a top cell such as "Trách nhiệm thực
hiện" over the lead and support columns, now and then "Thời gian" over the deadline; see
``plan_shapes.make_plan``); plans whose table has no such header are left out.

OCR results are cached by image (tests/fixture_docs.install_ocr_cache) unless --no-ocr-cache.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
sys.path.append(str(ROOT / "tests"))  # the document generators and matching of the test suite

import plan_shapes  # noqa: E402
import table_match  # noqa: E402

FIRST_SEED = 1006  # the tests use small seeds; 1006-1017 hold every role, with and without row numbers


def eval_plan(seed: int, forms: tuple[str, ...], roles: tuple[str, ...], ocr_cache: bool,
              cell_cer: float = table_match.CELL_OK_CER, min_confidence: float = 0.0,
              two_level: bool = False) -> dict | None:
    """form -> score dict (table_match.score plus status, seconds and build seconds); a cell
    of a matched row is right within ``cell_cer``; only rows of at least ``min_confidence``
    count as emitted (what a user filtering on ``tasks.confidence`` gets); ``two_level``: the
    plan with a two-level header, None when its table has none."""
    table_match.CELL_OK_CER = cell_cer  # also in a worker process
    import pytest

    from fixture_docs import install_ocr_cache
    from pipeline.config import Config
    from pipeline.run import process_document

    plan = plan_shapes.make_plan(seed, two_level=two_level)
    if two_level and not plan.spans:
        return None
    gold = plan_shapes.gold_rows(plan)
    field_roles = plan_shapes.field_roles(plan, roles)
    extra = plan_shapes.extra_roles(plan, roles)
    out = {"describe": plan.describe()}
    with pytest.MonkeyPatch.context() as mp:
        if ocr_cache:
            install_ocr_cache(mp)
        for form in forms:
            t0 = time.perf_counter()
            path = plan_shapes.make_form(plan, form)
            t1 = time.perf_counter()
            res = process_document(path, Config(workers=1))
            t2 = time.perf_counter()
            got = [r for r in table_match.appendix_rows(res) if (r["confidence"] or 0.0) >= min_confidence]
            out[form] = {**table_match.score(got, gold, roles, field_roles, extra), "status": res.status,
                         "build_s": t1 - t0, "run_s": t2 - t1, "numbers": row_numbers(got, plan)}
    return out


def row_numbers(rows: list[dict], plan) -> tuple[int, int, int]:
    """(rows, rows with a row number, rows with a row number read off the page, not inferred
    from the sequence) of a table with a TT column; zeros without one."""
    if "row_no" not in plan.roles:
        return 0, 0, 0
    return (len(rows), sum(bool(r["row_no"]) for r in rows),
            sum(bool(r["row_no"]) and r["row_no_inferred"] is False for r in rows))


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  -  "


def report(results: list[dict], forms, roles) -> None:
    print(f"\n{'form':8} {'recall':>7} {'prec.':>7} {'plans ok':>8} {'run s':>7}  field accuracy (matched rows)")
    for form in forms:
        gold = sum(r[form]["gold"] for r in results)
        got = sum(r[form]["got"] for r in results)
        matched = sum(r[form]["matched"] for r in results)
        ok = sum(r[form]["matched"] >= 0.95 * r[form]["gold"] and r[form]["matched"] >= 0.95 * r[form]["got"]
                 for r in results)
        fields, extra = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
        for r in results:
            for into, key in ((fields, "fields"), (extra, "extra")):
                for role, (a, b) in r[form][key].items():
                    into[role][0] += a
                    into[role][1] += b
        secs = sum(r[form]["run_s"] for r in results)
        rows, numbered, printed = (sum(r[form]["numbers"][k] for r in results) for k in range(3))
        acc = " ".join(f"{role}={_ratio(*fields[role])}" for role in roles if role in fields)
        ext = " ".join(f"{role}={_ratio(*v)}" for role, v in sorted(extra.items()))
        print(f"{form:8} {_ratio(matched, gold):>7} {_ratio(matched, got):>7} {ok:>4}/{len(results):<3} "
              f"{secs:7.1f}  {acc}" + (f"  | not compared: {ext}" if ext else "")
              + f"  | row_no on {_ratio(numbered, rows)} of rows ({_ratio(printed, rows)} read)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=12)
    ap.add_argument("--first-seed", type=int, default=FIRST_SEED)
    ap.add_argument("--forms", default=",".join(plan_shapes.FORMS))
    ap.add_argument("--roles", default=",".join(table_match.COMPARED_ROLES),
                    help="roles compared for row matching and field accuracy")
    ap.add_argument("--jobs", type=int, default=1, help="plans evaluated in parallel")
    ap.add_argument("--no-ocr-cache", action="store_true")
    ap.add_argument("--cell-cer", type=float, default=table_match.CELL_OK_CER,
                    help="a matched row's cell counts as right within this character error rate")
    ap.add_argument("--min-confidence", type=float, default=0.0,
                    help="count only the rows of at least this confidence (tasks.confidence) as emitted")
    ap.add_argument("--two-level", action="store_true",
                    help="the plans with a two-level header (those whose table has none left out)")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per plan and form")
    args = ap.parse_args(argv)
    table_match.CELL_OK_CER = args.cell_cer
    forms = tuple(f for f in args.forms.split(",") if f)
    roles = tuple(r for r in args.roles.split(",") if r)
    unknown = set(forms) - set(plan_shapes.FORMS)
    if unknown:
        ap.error(f"unknown forms {sorted(unknown)}; choose from {','.join(plan_shapes.FORMS)}")
    seeds = range(args.first_seed, args.first_seed + args.plans)
    t0 = time.perf_counter()
    todo = [(s, forms, roles, not args.no_ocr_cache, args.cell_cer, args.min_confidence, args.two_level)
            for s in seeds]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(eval_plan, *zip(*todo)))
    else:
        results = [eval_plan(*t) for t in todo]
    results = [r for r in results if r is not None]
    if args.verbose:
        for r in results:
            print(r["describe"])
            for form in forms:
                f = r[form]
                print(f"  {form:8} {f['status']:8} rows {f['got']:3}/{f['gold']:3} matched {f['matched']:3}  "
                      f"recall {_ratio(f['matched'], f['gold'])} precision {_ratio(f['matched'], f['got'])}")
    build = {form: sum(r[form]["build_s"] for r in results) for form in forms}
    print(f"{len(results)} plans (seeds {seeds.start}-{seeds.stop - 1}{', two-level headers' * args.two_level}), "
          f"compared roles: {','.join(roles)}; "
          f"{time.perf_counter() - t0:.0f} s in all (building forms: "
          + ", ".join(f"{f} {s:.0f} s" for f, s in build.items()) + ")")
    report(results, forms, roles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
