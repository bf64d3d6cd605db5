"""kehoach: Vietnamese commune plans to documented Parquet tables (see README.md)."""


def __getattr__(name: str):
    # ``pipeline.spacy_doc`` without importing spaCy and pandas with every worker
    if name == "spacy_doc":
        from pipeline.nlp import spacy_doc

        return spacy_doc
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
