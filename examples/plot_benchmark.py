"""
EcoScale-Net against MiniRocket and InceptionTime
=================================================

A small version of ``ecoscale benchmark``: the three classifiers on the same
PTB-XL split (folds 1-8 train, 9-10 test, NORM vs other), scored by macro-F1,
with their fit times. The deep models get only a few epochs here so that the
script runs in a few minutes; the full comparison, with the epochs each model
needs, is on the :doc:`/benchmarks` page.

MiniRocket needs ``numba`` (the ``benchmarks`` extra); without it the script
leaves MiniRocket out. The records are the PTB-XL sample bundled with the package.
"""

# %%
import importlib.util
import os
import time

import matplotlib.pyplot as plt
from sklearn.metrics import f1_score

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import load_ptbxl_sample

QUICK = os.environ.get("ECOSCALE_EXAMPLES_QUICK") == "1"  # the test suite's smoke run

# the 500 PTB-XL records bundled with the package (CC BY 4.0, Wagner et al. 2020)
X_train, y_train = load_ptbxl_sample(target="norm", folds=[1] if QUICK else range(1, 9))
X_test, y_test = load_ptbxl_sample(target="norm", folds=[10] if QUICK else [9, 10])
if QUICK:
    X_train, y_train, X_test, y_test = X_train[:40], y_train[:40], X_test[:20], y_test[:20]

# %%
# The contestants
# ---------------
# sktime's MiniRocket (random convolutional features and a ridge classifier)
# and its PyTorch InceptionTime, next to a narrow EcoScale-Net.
from sktime.classification.deep_learning import InceptionTimeClassifierTorch  # noqa: E402

epochs = 1 if QUICK else 15
models = {
    "EcoScale-Net": EcoScaleClassifier(
        widths=(8, 16, 32, 32), max_epochs=epochs, patience=None, device="cpu", random_state=0
    ),
    "InceptionTime": InceptionTimeClassifierTorch(
        num_epochs=1 if QUICK else 3, batch_size=32, random_state=0
    ),
}
if importlib.util.find_spec("numba") is not None and not QUICK:
    # numba compiles MiniRocket's kernels on first use (about 20 s): left out of the smoke run
    from sktime.classification.kernel_based import RocketClassifier

    models["MiniRocket"] = RocketClassifier(rocket_transform="minirocket", random_state=0)

scores, fit_times = {}, {}
for name, model in models.items():
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_times[name] = time.perf_counter() - start
    scores[name] = f1_score(y_test, model.predict(X_test), average="macro")
    print(f"{name:14s} macro-F1 {scores[name]:.3f}   fit {fit_times[name]:6.1f} s")

# %%
# Accuracy and cost
# -----------------
names = list(models)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5))
ax1.bar(names, [scores[n] for n in names], color=["C0", "C1", "C2"][: len(names)])
ax1.set(ylim=(0, 1), ylabel="macro-F1 (test folds)", title="Accuracy")
ax2.bar(names, [fit_times[n] for n in names], color=["C0", "C1", "C2"][: len(names)])
ax2.set(ylabel="fit time (s)", title="Training time on this machine")
fig.tight_layout()
plt.show()
