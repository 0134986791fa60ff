"""Same random_state, bit-identical probabilities on CPU: across fits and processes."""

import os
import subprocess
import sys
import textwrap

import numpy as np

from sktime_ecoscale import EcoScaleClassifier

# Augmentation, dropout, shuffling and a validation split all draw random numbers.
PARAMS = dict(
    widths=(4, 4, 8, 8), max_epochs=2, batch_size=6, valid_size=0.25, patience=5, device="cpu"
)

SCRIPT = textwrap.dedent(
    f"""
    import sys, warnings
    import numpy as np
    import torch
    from sktime_ecoscale import EcoScaleClassifier

    warnings.simplefilter("ignore")
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 2, 32)).astype("float32")
    y = np.array([0, 1, 2] * 8)
    clf = EcoScaleClassifier(random_state=7, **{PARAMS!r}).fit(X, y)
    np.save(sys.argv[1], clf.predict_proba(X))
    """
)


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(24, 2, 32)).astype("float32"), np.array([0, 1, 2] * 8)


def test_same_random_state_same_probabilities_in_process():
    X, y = _data()
    first = EcoScaleClassifier(random_state=7, **PARAMS).fit(X, y).predict_proba(X)
    second = EcoScaleClassifier(random_state=7, **PARAMS).fit(X, y).predict_proba(X)
    other = EcoScaleClassifier(random_state=8, **PARAMS).fit(X, y).predict_proba(X)
    assert np.array_equal(first, second)
    assert not np.array_equal(first, other)


def test_same_random_state_same_probabilities_across_processes(tmp_path):
    script = tmp_path / "fit.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    outs = [tmp_path / f"proba{i}.npy" for i in range(2)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(out)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for out in outs
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    a, b = (np.load(out) for out in outs)
    assert a.shape == (24, 3)
    assert np.array_equal(a, b)
