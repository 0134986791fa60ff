"""
Multi-label diagnosis: the five PTB-XL superclasses
===================================================

An ECG can show several conditions at once. With a 0/1 ``DataFrame`` as ``y``
(one column per label) :class:`~sktime_ecoscale.classification.EcoScaleClassifier`
trains one network with one sigmoid head per column: ``NORM``, ``MI``
(myocardial infarction), ``STTC`` (ST/T change), ``CD`` (conduction
disturbance) and ``HYP`` (hypertrophy). ``predict_proba`` returns one
probability per label.

The records are the PTB-XL sample bundled with the package (no download).
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import load_ptbxl_sample

QUICK = os.environ.get("ECOSCALE_EXAMPLES_QUICK") == "1"  # the test suite's smoke run

# the 500 PTB-XL records bundled with the package (CC BY 4.0, Wagner et al. 2020)
X_train, Y_train = load_ptbxl_sample(target="superclass", folds=[1] if QUICK else range(1, 9))
X_test, Y_test = load_ptbxl_sample(target="superclass", folds=[10] if QUICK else [9, 10])
print(X_train.shape, "labels per record:", Y_train.sum(axis=1).value_counts().to_dict())
print(Y_train.sum().to_dict())

# %%
# Fit one network with five heads
# -------------------------------
# ``class_weight="balanced"`` weights each head's positives by
# negatives / positives, which helps the rare labels (HYP).
clf = EcoScaleClassifier(
    widths=(8, 16, 32, 32),
    max_epochs=2 if QUICK else 20,
    class_weight="balanced",
    patience=None,
    device="cpu",
    random_state=0,
)
clf.fit(X_train, Y_train)
proba = clf.predict_proba(X_test)  # one column per label and class
Y_pred = clf.predict(X_test)
print(type(Y_pred).__name__, Y_pred.shape)

# %%
# Per-label scores
# ----------------
# ``predict_proba`` of a multi-output ``y`` has a column pair per label;
# the probability of the positive class is the second.
labels = list(Y_test.columns)
p_pos = np.column_stack(
    [np.asarray(proba.loc[:, proba.columns.get_level_values(0) == lab])[:, -1] for lab in labels]
)
auroc = [
    roc_auc_score(Y_test[lab], p_pos[:, j]) if Y_test[lab].nunique() == 2 else np.nan
    for j, lab in enumerate(labels)
]
f1 = [f1_score(Y_test[lab], np.asarray(Y_pred[lab]).astype(int)) for lab in labels]

fig, ax = plt.subplots(figsize=(7, 3.5))
pos = np.arange(len(labels))
ax.bar(pos - 0.2, auroc, 0.4, label="AUROC")
ax.bar(pos + 0.2, f1, 0.4, label="F1")
ax.axhline(0.5, color="grey", lw=0.8, ls="--")
ax.set(
    xticks=pos,
    xticklabels=labels,
    ylim=(0, 1),
    ylabel="score on the test folds",
    title=f"One network, {len(labels)} sigmoid heads",
)
ax.legend()
fig.tight_layout()
plt.show()
