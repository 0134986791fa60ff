"""Every Python block of the user guide runs, as a doctest, on the real shared data.

The pages refer to data folders as ``ptbxl/``, ``cinc2021/``, ``ucr/...``;
the test runs each page in a temporary folder holding links to
``../shared/data``, so the examples read real records and write nothing
beside them.
"""

import doctest
import os
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p for p in [*DOCS.glob("*.rst"), *DOCS.glob("*.md")] if ">>>" in p.read_text())
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_the_pages_with_code_are_found():
    names = {p.name for p in PAGES}
    assert {
        "quickstart.rst",
        "architecture.rst",
        "tuning.rst",
        "datasets.rst",
        "recipe.md",
    } <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_runs(page, tmp_path, monkeypatch, shared_data):
    for folder in shared_data.iterdir():
        if folder.is_dir():
            (tmp_path / folder.name).symlink_to(folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))
    result = doctest.testfile(
        str(page), module_relative=False, optionflags=FLAGS, raise_on_error=False, verbose=False
    )
    assert result.attempted > 0, f"{page.name} has no runnable example"
    assert result.failed == 0, (
        f"{result.failed} of {result.attempted} examples of {page.name} failed"
    )
