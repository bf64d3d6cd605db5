"""Regenerate the golden files under tests/golden/ (run via `make golden-update`).

Golden files change only on purpose: review the diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.schemas import PARTITION_FIELDS, SCHEMAS

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"


def schema_snapshot() -> dict:
    snapshot = {
        name: {
            "metadata": {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()},
            "fields": [{"name": f.name, "type": str(f.type), "nullable": f.nullable} for f in schema],
        }
        for name, schema in SCHEMAS.items()
    }
    # The dataset layout's hive partition columns (derived by the writer, not in the files).
    snapshot["_partition_columns"] = [{"name": f.name, "type": str(f.type)} for f in PARTITION_FIELDS]
    return snapshot


def main() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    path = GOLDEN / "schemas.json"
    path.write_text(json.dumps(schema_snapshot(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
