from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.schemas import SCHEMAS, SchemaError, describe, field_doc, to_arrow, validate_rows

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from update_golden import schema_snapshot  # noqa: E402

CONTRACT = {  # DESIGN.md's output contract: these columns may be extended, never renamed or dropped.
    "documents": ["doc_id", "source_path", "source_sha256", "source_format", "text_state", "issuer", "commune",
                  "district", "province", "doc_number", "issued_date", "title", "period_start", "period_end",
                  "signer", "status"],
    "sections": ["section_id", "parent_id", "level", "number", "heading", "area"],
    "targets": ["target_id", "section_id", "area", "text", "subject", "value", "value_max", "unit", "comparator",
                "target_year", "indicator", "source"],
    "tasks": ["task_id", "source", "group_no", "group_title", "area", "row_no", "objective", "task", "activity",
              "product", "lead", "support", "deadline", "deadline_start", "deadline_end", "recurrence", "budget",
              "note"],
    "owners": ["owner_id", "name", "kind", "level", "aliases"],
    "task_owners": ["task_id", "owner_id", "role", "surface"],
    "manifest": ["source_path", "doc_id", "status", "error", "seconds"],
}


def test_schemas_match_the_golden_snapshot():
    golden = json.loads((ROOT / "tests" / "golden" / "schemas.json").read_text(encoding="utf-8"))
    assert schema_snapshot() == golden, "schemas changed: run `make golden-update` if this is intended"


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_exist_with_provenance(table):
    names = SCHEMAS[table].names
    assert set(CONTRACT[table]) <= set(names)
    if table not in ("manifest", "owners"):
        assert "doc_id" in names
    if table != "manifest":
        assert {"page", "line_start", "line_end", "bbox"} <= set(names)


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_every_column_is_documented(table):
    schema = SCHEMAS[table]
    assert schema.metadata[b"table"].decode() == table
    assert schema.metadata[b"schema_version"]
    for field in schema:
        assert len(field_doc(field)) > 15, f"{table}.{field.name} has no doc string"


def test_coded_columns_list_their_values():
    docs = {f.name: field_doc(f) for f in SCHEMAS["targets"]}
    assert all(v in docs["comparator"] for v in ("ge", "le", "eq", "gt", "lt", "range"))
    assert "lead, support" in field_doc(SCHEMAS["task_owners"].field("role"))
    assert "ocr_mangled" in field_doc(SCHEMAS["documents"].field("text_state"))


def test_rows_are_checked_before_writing():
    with pytest.raises(SchemaError, match="unknown columns"):
        validate_rows("task_owners", [{"doc_id": "x", "task_id": "t", "owner_id": "o", "role": "lead",
                                       "surface": "s", "colour": "red"}])
    with pytest.raises(SchemaError, match="'owner_id' must not be null"):
        validate_rows("task_owners", [{"doc_id": "x", "task_id": "t", "owner_id": None, "role": "lead",
                                       "surface": "s"}])
    table = to_arrow("task_owners", [{"doc_id": "x", "task_id": "t", "owner_id": "o", "role": "lead", "surface": "s"}])
    assert table.schema.equals(SCHEMAS["task_owners"], check_metadata=True)
    assert table.column("bbox").type == pa.list_(pa.float64(), 4)


def test_describe_lists_every_table():
    text = describe()
    for name in SCHEMAS:
        assert f"{name}  (schema_version" in text
