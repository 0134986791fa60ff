"""
Quick start: normal vs abnormal 12-lead ECGs
============================================

Train :class:`~sktime_ecoscale.classification.EcoScaleClassifier` to tell
normal ECGs (PTB-XL diagnostic superclass ``NORM``) from all others, on the
official folds: 1-8 train, 9-10 test. Raw signals in millivolts go straight
in; the classifier standardises every lead itself.

The records are the PTB-XL sample bundled with the package (no download).
"""

# %%
# Load the data
# -------------
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import ConfusionMatrixDisplay, f1_score

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import load_ptbxl_sample

QUICK = os.environ.get("ECOSCALE_EXAMPLES_QUICK") == "1"  # the test suite's smoke run

# the 500 PTB-XL records bundled with the package (CC BY 4.0, Wagner et al. 2020)
X_train, y_train = load_ptbxl_sample(target="norm", folds=[1] if QUICK else range(1, 9))
X_test, y_test = load_ptbxl_sample(target="norm", folds=[10] if QUICK else [9, 10])
data_name = "PTB-XL, NORM vs other"
if QUICK:
    X_train, y_train, X_test, y_test = X_train[:48], y_train[:48], X_test[:24], y_test[:24]
print(data_name, X_train.shape, "train,", X_test.shape, "test")

# %%
# Fit
# ---
# The default recipe (strong augmentation, one-cycle schedule, batch-norm
# statistics re-estimated on clean series after training): a few minutes on a
# laptop CPU. ``random_state`` makes it repeatable; ``valid_size=0.1`` holds out
# a tenth of the training folds so that the training curve has a validation line.
clf = EcoScaleClassifier(valid_size=0.1, patience=None, random_state=0)
if QUICK:
    clf.set_params(max_epochs=2, widths=(8, 16, 32, 32))
clf.fit(X_train, y_train)
y_pred = clf.predict(X_test)
print(f"macro-F1 on the test folds: {f1_score(y_test, y_pred, average='macro'):.3f}")

# %%
# Training curve and confusion matrix
# ------------------------------------
# ``history_`` is skorch's per-epoch record of the losses.
fig, (ax_loss, ax_cm) = plt.subplots(1, 2, figsize=(10, 4))
epochs = np.arange(1, len(clf.history_) + 1)
ax_loss.plot(epochs, clf.history_[:, "train_loss"], label="train")
if "valid_loss" in clf.history_[-1]:
    ax_loss.plot(epochs, clf.history_[:, "valid_loss"], label="validation")
ax_loss.set(xlabel="epoch", ylabel="loss", title="Training curve")
ax_loss.legend()
ConfusionMatrixDisplay.from_predictions(y_test, y_pred, ax=ax_cm, colorbar=False)
ax_cm.set_title(f"Test set ({data_name})")
fig.tight_layout()
plt.show()
