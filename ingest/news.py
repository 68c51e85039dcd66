"""Reader for news (being written)."""
from __future__ import annotations

from ingest.text import Document


def parse(doc: Document) -> dict:
    """The kind-specific part of the extraction record for doc."""
    raise NotImplementedError("the news reader is not written yet")
