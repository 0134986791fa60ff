"""Bounded memory at predict: growing the panel 100x grows peak memory by about the output.

What is measured, in a fresh subprocess (so other tests' memory does not
interfere), around one ``predict_proba`` call on a fitted tiny network:

* peak RSS growth: the kernel's peak counter (``VmHWM``) is reset through
  ``/proc/self/clear_refs`` just before the call and read after it, minus
  the RSS before it; this covers torch's CPU allocator, which
  ``tracemalloc`` does not see (Linux only);
* the ``tracemalloc`` peak: numpy and Python allocations during the call.

A single float32 copy of the large panel would be 41 MB; the bound allowed
is 16 times the output plus 2 MiB.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import gc, json, tracemalloc, warnings
    import numpy as np
    import torch
    from sktime_ecoscale import EcoScaleClassifier

    warnings.simplefilter("ignore")
    torch.set_num_threads(1)

    def status(key):
        for line in open("/proc/self/status"):
            if line.startswith(key):
                return int(line.split()[1]) * 1024

    rng = np.random.default_rng(0)
    # six halvings, as 1000+ samples get: per-batch activations stay small, so
    # what grows with the panel is not hidden by allocator slack
    clf = EcoScaleClassifier(widths=(4, 4, 8, 8), strides=(2,) * 6, n_networks=1, max_epochs=1,
                             device="cpu",
                             random_state=0, predict_batch_size=64)
    clf.fit(rng.normal(size=(16, 2, 256)).astype("float32"), np.array([0, 1] * 8))
    clf.predict_proba(rng.normal(size=(70, 2, 256)).astype("float32"))  # warm-up
    result = {}
    for n in (200, 20000):
        X = rng.normal(size=(n, 2, 256)).astype("float32")
        gc.collect()
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset the peak-RSS counter
        before = status("VmRSS:")
        tracemalloc.start()
        proba = clf.predict_proba(X)
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result[n] = {"input": X.nbytes, "output": proba.nbytes,
                     "rss_growth": status("VmHWM:") - before, "traced_peak": traced_peak}
        del X, proba
    print(json.dumps(result))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self (Linux)")
def test_peak_memory_at_predict_does_not_grow_with_the_panel(tmp_path):
    script = tmp_path / "mem.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    run = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    small, large = (json.loads(run.stdout.strip().splitlines()[-1])[k] for k in ("200", "20000"))
    allowed = 16 * large["output"] + 2 * 2**20
    assert large["rss_growth"] - small["rss_growth"] < allowed, (small, large)
    assert large["traced_peak"] < allowed, (small, large)
    assert allowed < large["input"] / 5  # the bound would catch a copy of the panel
