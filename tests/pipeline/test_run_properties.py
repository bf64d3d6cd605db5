"""process_document on arbitrary bytes: whatever a file holds and whatever it is called, the
result is one DocumentResult — rows, or a failure whose message names the file — and never
an exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_inputs import plan_text
from pipeline.config import Config
from pipeline.model import DocumentResult
from pipeline.run import process_document

CFG = Config(workers=1)
PLAN = plan_text("ngẫu nhiên")
SUFFIXES = st.sampled_from([".txt", ".md", ".pdf", ".docx", ".png", ".tif", ""])


def _plan_bytes():
    """The sample plan in some encoding, cut, spliced with junk or lines dropped."""
    encoded = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1258", "latin-1"]).map(
        lambda enc: PLAN.encode(enc, "replace"))
    return st.tuples(encoded, st.integers(0, 4000), st.binary(max_size=64), st.integers(0, 4000)).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[3]:])


CONTENT = st.one_of(st.binary(max_size=2048), st.text(max_size=600).map(str.encode), _plan_bytes(),
                    st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xff\xfe"]).flatmap(
                        lambda magic: st.binary(max_size=512).map(lambda rest: magic + rest)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CONTENT, SUFFIXES)
def test_any_bytes_give_one_result_and_never_raise(data, suffix):
    with tempfile.TemporaryDirectory(prefix="kehoach-prop-") as tmp:
        path = Path(tmp) / f"tệp thử{suffix}"
        path.write_bytes(data)
        result = process_document(path, CFG)
    assert isinstance(result, DocumentResult)
    assert result.source_path == str(path)
    assert result.status in ("success", "partial", "failure")
    if result.status == "failure":
        assert not result.tables
        assert all(str(path) in e.message for e in result.errors), result.errors
        assert all(e.category != "internal" for e in result.errors), result.errors
    else:
        (doc,) = result.tables["documents"]
        assert doc["doc_id"] == result.doc_id and doc["n_lines"] >= 1
