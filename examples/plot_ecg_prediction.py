"""
A 12-lead ECG and the model's prediction
========================================

Plot one test record of PTB-XL in the usual 12-lead layout, with the
probabilities a multi-label EcoScale-Net gives for the five diagnostic
superclasses next to the cardiologists' labels.

The records are the PTB-XL sample bundled with the package (no download).
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import load_ptbxl_sample

QUICK = os.environ.get("ECOSCALE_EXAMPLES_QUICK") == "1"  # the test suite's smoke run

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
# the 500 PTB-XL records bundled with the package (CC BY 4.0, Wagner et al. 2020)
X_train, Y_train = load_ptbxl_sample(target="superclass", folds=[1] if QUICK else range(1, 9))
X_test, Y_test = load_ptbxl_sample(target="superclass", folds=[10])
fs = 100.0

# %%
# Train a small multi-label model
# -------------------------------
clf = EcoScaleClassifier(
    widths=(8, 16, 32, 32),
    max_epochs=2 if QUICK else 15,
    class_weight="balanced",
    patience=None,
    device="cpu",
    random_state=0,
)
clf.fit(X_train, Y_train)
proba = clf.predict_proba(X_test)
labels = list(Y_test.columns)
# the positive-class probability of each label
p_pos = np.column_stack(
    [np.asarray(proba.loc[:, proba.columns.get_level_values(0) == lab])[:, -1] for lab in labels]
)

# %%
# Plot a record with its prediction
# ---------------------------------
# The first test record with more than one label, if there is one.
n_labels = Y_test.to_numpy().sum(axis=1)
i = int(np.argmax(n_labels > 1)) if (n_labels > 1).any() else 0
x = X_test[i]
t = np.arange(x.shape[-1]) / fs
n_rows = int(np.ceil(len(x) / 2))
fig = plt.figure(figsize=(11, 7))
grid = fig.add_gridspec(n_rows, 3, width_ratios=[2, 2, 1.2])
for lead in range(len(x)):
    ax = fig.add_subplot(grid[lead % n_rows, lead // n_rows])
    ax.plot(t, x[lead], lw=0.7, color="k")
    ax.text(0.01, 0.75, LEADS[lead], transform=ax.transAxes, fontsize=8)
    ax.set_yticks([])
    if lead % n_rows != n_rows - 1:
        ax.set_xticks([])
    else:
        ax.set_xlabel("time (s)")
ax = fig.add_subplot(grid[:, 2])
truth = Y_test.iloc[i].to_numpy().astype(bool)
ax.barh(labels, p_pos[i], color=["C3" if tr else "C0" for tr in truth])
ax.axvline(0.5, color="grey", ls="--", lw=0.8)
ax.set(xlim=(0, 1), xlabel="predicted probability", title="red: true labels")
ax.invert_yaxis()
fig.suptitle(f"Test record {i}: true {', '.join(np.array(labels)[truth]) or 'none'}")
fig.tight_layout()
plt.show()
