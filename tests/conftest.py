"""Shared fixtures: the seed corpus shipped in data/raw, parsed once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

from idlibnb.corpus import read_corpus
from idlibnb.parse import parse

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "raw"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_docs() -> dict:
    """doc_id -> Doc for the five seed articles."""
    return {a.doc_id: parse(a) for a in read_corpus(SEEDS)}
