"""
Tuning with grid search
=======================

Every hyperparameter of :class:`~sktime_ecoscale.classification.EcoScaleClassifier`
is a flat constructor argument, so grid searches reach them all: sktime's
``TSCGridSearchCV`` and scikit-learn's ``GridSearchCV`` both work. The data
are UCR's ECG200 (one lead, 96 samples per heartbeat, normal vs myocardial
infarction), bundled with the package.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV, KFold
from sktime.classification.model_selection import TSCGridSearchCV

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import load_ucr_uea

QUICK = os.environ.get("ECOSCALE_EXAMPLES_QUICK") == "1"  # the test suite's smoke run
# ECG200 from the UCR archive, bundled with the package (Dau et al. 2019)
X_train, y_train = load_ucr_uea("ECG200", split="train")
X_test, y_test = load_ucr_uea("ECG200", split="test")
if QUICK:
    X_train, y_train = X_train[:30], y_train[:30]
print(X_train.shape, np.unique(y_train, return_counts=True))

base = EcoScaleClassifier(
    widths=(4, 8, 8, 16), max_epochs=2 if QUICK else 20, patience=None, device="cpu", random_state=0
)
cv = KFold(n_splits=2 if QUICK else 3, shuffle=True, random_state=0)

# %%
# sktime: ``TSCGridSearchCV``
# ---------------------------
# Two learning rates times two kernel spans (the span decides the kernel lists,
# see :doc:`/architecture`). ``n_jobs=1``: one fit already uses every core.
grid = {"lr": [1e-3, 1e-2], "kernel_span": [None, 32]}
tsc_search = TSCGridSearchCV(base, param_grid=grid, cv=cv, scoring="accuracy", n_jobs=1)
tsc_search.fit(X_train, y_train)
print("TSCGridSearchCV best:", tsc_search.best_params_, f"{tsc_search.best_score_:.3f}")
print("test accuracy of the refitted best model:", f"{tsc_search.score(X_test, y_test):.3f}")

# %%
# scikit-learn: ``GridSearchCV``
# ------------------------------
# The classifiers declare scikit-learn tags, so the plain scikit-learn search
# accepts them too (``X`` as a 3-D numpy array).
sk_search = GridSearchCV(base, {"dropout": [0.0, 0.3]}, cv=cv, scoring="f1_macro", n_jobs=1)
sk_search.fit(X_train, y_train)
print("GridSearchCV best:", sk_search.best_params_, f"{sk_search.best_score_:.3f}")

# %%
# The cross-validated scores
# --------------------------
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), gridspec_kw={"width_ratios": [2, 1]})
res = tsc_search.cv_results_
for span in grid["kernel_span"]:
    rows = [i for i, p in enumerate(res["params"]) if p["kernel_span"] == span]
    ax1.errorbar(
        [res["params"][i]["lr"] for i in rows],
        [
            res["mean_test_accuracy"][i]
            if "mean_test_accuracy" in res
            else res["mean_test_score"][i]
            for i in rows
        ],
        yerr=[
            res["std_test_accuracy"][i] if "std_test_accuracy" in res else res["std_test_score"][i]
            for i in rows
        ],
        marker="o",
        capsize=3,
        label=f"kernel_span={span}",
    )
ax1.set(xscale="log", xlabel="learning rate", ylabel="CV accuracy", title="TSCGridSearchCV")
ax1.legend()
sk = sk_search.cv_results_
ax2.bar([str(p["dropout"]) for p in sk["params"]], sk["mean_test_score"], yerr=sk["std_test_score"])
ax2.set(xlabel="dropout", ylabel="CV macro-F1", title="GridSearchCV")
fig.tight_layout()
plt.show()
