"""Test settings: CPU-only thread limits.

Where the real ECG data live (``SHARED_DATA``, the ``shared_data`` fixture) is
defined once for the tests and the docstring examples alike, in the
repository's root ``conftest.py``.
"""

import pytest
import torch

# Two xdist workers on two cores: one thread each avoids oversubscription.
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def fitted_once(tmp_path_factory, worker_id):
    """``get(name, fit)``: the model ``fit()`` returns, fitted once per test run.

    Under xdist each worker builds its own module fixtures, so a model several
    workers need was trained on each of them. The first worker to ask trains it
    and saves it (``save_model``: safetensors, no code) in a folder the workers
    of this run share; the others wait on a file lock and load it. A loaded
    model predicts exactly as the fitted one (tests/test_persistence.py).
    """
    from filelock import FileLock

    from sktime_ecoscale.classification import load_model

    base = tmp_path_factory.getbasetemp()
    root = base if worker_id == "master" else base.parent  # this run only, never older runs

    def get(name: str, fit):
        folder = root / f"fitted-{name}"
        with FileLock(str(folder) + ".lock"):
            if not (folder / "done").exists():
                fit().save_model(folder)
                (folder / "done").touch()
        return load_model(folder)

    return get


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Give every test one torch thread, whatever the test before it left.

    Fitting sktime's MiniRocket in the worker process leaves torch with one
    thread per core (measured: 1 -> 2). The next tests of that worker then ran
    two threads beside the other worker's: tiny networks spent most of their
    time waiting for cores (a 9 s grid-search test took 145-180 s in the suite).
    Reset after the test too: module fixtures (model fits) are set up between
    tests, before this fixture's next setup.
    """
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(1)
