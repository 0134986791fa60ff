"""Which CPU convolution backend trains the default small networks faster: ATen's or oneDNN's.

For each development set, the default ``EcoScaleClassifier()`` budget (widths,
batch, kernels as the rule resolves them) is fitted for a few epochs with
oneDNN off and on, alternated round by round in one process; the figure is
milliseconds per optimiser step (median of the rounds) and the choice
``classification._training`` makes for that budget::

    THREADS=1 .venv/bin/python benchmarks/bench_conv_backend.py \\
        --sets ArrowHead,TwoLeadECG,GunPoint,ItalyPowerDemand,BasicMotions,ECG200
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings


def main(argv=None) -> list[dict]:
    import torch

    sys.path.insert(0, os.path.dirname(__file__))
    from _suite import load_suite_set

    import sktime_ecoscale.classification._training as training
    from sktime_ecoscale import EcoScaleClassifier

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--spec", type=json.loads, default={}, help="estimator parameters")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    rows = []
    for name in args.sets.split(","):
        X, y = load_suite_set(name)[:2]
        times = {"aten": [], "onednn": []}
        for _ in range(args.rounds):
            for backend in times:
                clf = EcoScaleClassifier(random_state=0, max_epochs=args.epochs, **args.spec)
                before = torch.backends.mkldnn.enabled
                torch.backends.mkldnn.enabled = backend == "onednn"
                saved = training._convolution_backend
                training._convolution_backend = lambda est: training.contextlib.nullcontext()
                try:
                    start = time.perf_counter()
                    clf.fit(X, y)
                    times[backend].append(1e3 * (time.perf_counter() - start) / clf.budget_.steps)
                finally:
                    training._convolution_backend = saved
                    torch.backends.mkldnn.enabled = before
        chosen = training._convolution_backend(clf)
        row = {
            "set": name,
            "widths": clf.budget_.widths,
            "batch_size": clf.budget_.batch_size,
            "seq_len": clf.seq_len_,
            "aten_ms_per_step": round(statistics.median(times["aten"]), 1),
            "onednn_ms_per_step": round(statistics.median(times["onednn"]), 1),
            "rule_chooses": "aten"
            if not isinstance(chosen, training.contextlib.nullcontext)
            else "onednn",
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


if __name__ == "__main__":
    main()
