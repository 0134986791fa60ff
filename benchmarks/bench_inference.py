"""predict_proba throughput of the classifiers at 12 x 4096 (issue 4's classifier-level targets).

Fits each classifier for one epoch on a few random 12 x 4096 series (the
weights do not matter for speed), then times ``predict_proba`` on random
series: median of repeats, ECG per second, and the ratios EcoScale / peer.
OS-CNN needs about a second per ECG, so it is timed on fewer series.

Run::

    .venv/bin/python benchmarks/bench_inference.py [--threads 2] [--n-predict 128] [--repeats 3]

Targets (issue 4): EcoScaleClassifier >= 10x InceptionTimeClassifierTorch (default
architecture) and >= 100x OmniScaleClassifier, at 2 threads; issue 18 asks >= 20x
InceptionTime at batch 64.

The default EcoScaleClassifier resolves its widths and ensemble from the training
data, and a dozen random series give it the narrow three-network model of tiny data;
``--ecoscale-variants`` also times the networks a real training set gets (full widths
from 256 series on; three networks up to 1,000 series, one above)::

    .venv/bin/python benchmarks/bench_inference.py --ecoscale-variants
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

import numpy as np
import torch

FULL_WIDTHS = (32, 64, 128, 256)


def _classifiers(variants: bool):
    from sktime.classification.deep_learning import InceptionTimeClassifierTorch

    from sktime_ecoscale import EcoScaleClassifier, OmniScaleClassifier

    common = dict(max_epochs=1, device="cpu", random_state=0, valid_size=0.0, augment=False)
    extra = {}
    if variants:
        extra = {
            "EcoScale, full widths, 3 networks": EcoScaleClassifier(
                widths=FULL_WIDTHS, n_networks=3, **common
            ),
            "EcoScale, full widths, 1 network": EcoScaleClassifier(
                widths=FULL_WIDTHS, n_networks=1, **common
            ),
        }
    return {
        "EcoScaleClassifier": EcoScaleClassifier(**common),
        **extra,
        "InceptionTimeClassifierTorch": InceptionTimeClassifierTorch(num_epochs=1, random_state=0),
        "OmniScaleClassifier": OmniScaleClassifier(**common),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--n-fit", type=int, default=12)
    parser.add_argument("--n-predict", type=int, default=128)
    parser.add_argument("--n-predict-omniscale", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--classes", type=int, default=6)
    parser.add_argument("--ecoscale-variants", action="store_true")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    warnings.filterwarnings("ignore")
    rng = np.random.default_rng(0)
    X_fit = rng.normal(size=(args.n_fit, 12, 4096)).astype(np.float32)
    y_fit = np.array([f"c{i % args.classes}" for i in range(args.n_fit)])
    print(
        f"threads={args.threads}, load average {os.getloadavg()[0]:.2f}, torch {torch.__version__}"
    )
    results = {}
    for name, clf in _classifiers(args.ecoscale_variants).items():
        start = time.perf_counter()
        clf.fit(X_fit, y_fit)
        fit_s = time.perf_counter() - start
        n = args.n_predict_omniscale if name == "OmniScaleClassifier" else args.n_predict
        X = rng.normal(size=(n, 12, 4096)).astype(np.float32)
        clf.predict_proba(X[: min(n, 4)])  # warm-up (and the fused copy's one-off build)
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            proba = clf.predict_proba(X)
            times.append(time.perf_counter() - start)
        assert proba.shape == (n, args.classes)
        results[name] = n / statistics.median(times)
        print(
            f"{name:30s} fit {fit_s:7.1f} s   predict_proba on {n:4d}: "
            f"median {statistics.median(times):8.3f} s  ->  {results[name]:9.2f} ECG/s"
        )
        if hasattr(clf, "budget_"):
            print(f"{'':30s} widths {clf.budget_.widths}, networks {clf.budget_.n_networks}")
    eco = results["EcoScaleClassifier"]
    print(
        f"EcoScale / InceptionTime: {eco / results['InceptionTimeClassifierTorch']:.1f}x (target >= 10x)"
    )
    print(f"EcoScale / OmniScale:     {eco / results['OmniScaleClassifier']:.1f}x (target >= 100x)")
    for name in results:
        if name.startswith("EcoScale, "):
            ratio = results[name] / results["InceptionTimeClassifierTorch"]
            print(f"{name} / InceptionTime: {ratio:.1f}x")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
