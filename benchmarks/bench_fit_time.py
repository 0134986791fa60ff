"""Default fit time against the training-set size: the budget may grow for tiny data, never faster than the data.

For each size, synthetic 12 x 1000 series (random, two classes): the default
``EcoScaleClassifier()`` budget is resolved, one epoch is timed with that
budget's batch size, widths and ensemble (``max_epochs=1``), and the full fit's
time is that epoch times the budget's epochs (an extrapolation: the epochs cost
the same). ``--full`` times the whole default fit instead::

    THREADS=1 .venv/bin/python benchmarks/bench_fit_time.py --sizes 20,350,5000
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings


def main(argv=None) -> None:
    import numpy as np
    import torch

    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.classification import training_budget

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,350,5000")
    parser.add_argument("--channels", type=int, default=12)
    parser.add_argument("--length", type=int, default=1000)
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    rng = np.random.default_rng(0)
    for n in [int(s) for s in args.sizes.split(",")]:
        X = rng.normal(size=(n, args.channels, args.length)).astype(np.float32)
        y = np.array(["a", "b"] * (n // 2) + ["a"] * (n % 2))
        budget = training_budget(n, args.channels, args.length, 2)
        epochs = {} if args.full else {"max_epochs": 1}
        start = time.perf_counter()
        EcoScaleClassifier(random_state=0, **epochs).fit(X, y)
        seconds = time.perf_counter() - start
        total = seconds if args.full else seconds * budget.max_epochs
        print(
            json.dumps(
                {
                    "n_series": n,
                    "shape": [args.channels, args.length],
                    "batch_size": budget.batch_size,
                    "max_epochs": budget.max_epochs,
                    "n_networks": budget.n_networks,
                    "widths": budget.widths,
                    "steps": budget.steps,
                    "timed_s": round(seconds, 1),
                    "fit_s": round(total, 1),
                    "fit_s_per_series": round(total / n, 3),
                    "extrapolated": not args.full,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
