import os
from pathlib import Path

import pytest

CORPUS_DIR = Path(
    os.environ.get(
        "CORPUS_DIR", Path(__file__).resolve().parents[3] / "shared" / "corpus"
    )
)


@pytest.fixture
def corpus_dir():
    if not CORPUS_DIR.is_dir():
        pytest.skip("the shared corpus is absent")
    return CORPUS_DIR
