"""pytest settings of the whole repository: where the real ECG data live.

One definition serves the tests (``tests/``) and the docstring examples
(``pytest --doctest-modules sktime_ecoscale``). An example reads the shared
recordings by their path from the repository root, ``../shared/data/...``, as a
user of a clone would; such an example runs from the repository root, and is
skipped, with the reason, where the folder is absent. It never prints its
expected output by itself: a wrong reader fails it.
"""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
#: Real recordings shared beside the repository (never copied into it).
SHARED_DATA = ROOT.parent / "shared" / "data"
#: How docstring examples spell :data:`SHARED_DATA`: relative to :data:`ROOT`.
SHARED_DATA_IN_EXAMPLES = "../shared/data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ``../shared/data``; skips the test with a reason when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared ECG data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _examples_read_the_shared_data(request):
    """Run a docstring example that names ``../shared/data`` from the root; skip it without."""
    examples = getattr(getattr(request.node, "dtest", None), "examples", ())
    if any(SHARED_DATA_IN_EXAMPLES in example.source for example in examples):
        request.getfixturevalue("shared_data")
        request.getfixturevalue("monkeypatch").chdir(ROOT)
