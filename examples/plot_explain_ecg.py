"""
Why did the model decide? Attributions on a 12-lead ECG
=======================================================

Train EcoScale-Net to tell normal PTB-XL records from all others, then ask
which leads and moments of a test record moved its decision: occlusion (each
lead's windows blanked in turn) and Grad-CAM (the last stage's class map),
both through :func:`sktime_ecoscale.explain.explain`, drawn on ECG paper by
:func:`sktime_ecoscale.plotting.plot_ecg`. Red speaks for the explained class,
blue against it.

The records are the PTB-XL sample bundled with the package (no download).
Explanations need Captum (``pip install sktime-ecoscale[explain]``).
"""

# %%
# Train a model
# -------------
import os

import matplotlib.pyplot as plt
import numpy as np

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import load_ptbxl_sample
from sktime_ecoscale.explain import explain, target_labels, target_probabilities
from sktime_ecoscale.plotting import plot_ecg

QUICK = os.environ.get("ECOSCALE_EXAMPLES_QUICK") == "1"  # the test suite's smoke run
LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

X_train, y_train = load_ptbxl_sample(target="norm", folds=[1, 2] if QUICK else range(1, 9))
X_test, y_test = load_ptbxl_sample(target="norm", folds=[10])
# one network with the default budget (QUICK: 2 epochs, for the test suite's smoke run)
budget = {"max_epochs": 2} if QUICK else {}
clf = EcoScaleClassifier(n_networks=1, device="cpu", random_state=0, **budget)
clf.fit(X_train, y_train)
print("test accuracy", round(float((clf.predict(X_test) == y_test).mean()), 3))

# %%
# Explain one abnormal record
# ---------------------------
# The test record the model finds most likely abnormal; explain the class
# "other" (abnormal) on it.
p_other = target_probabilities(clf, X_test)[:, target_labels(clf).index("other")]
i = int(np.argmax(p_other))
x = X_test[i : i + 1]
occlusion = explain(clf, x, target="other", method="occlusion")[0]
gradcam = explain(clf, x, target="other", method="gradcam")[0]
print(f"record {i}: true {y_test[i]}, P(other) = {p_other[i]:.2f}")

# %%
# Occlusion: which windows, blanked, lower P(abnormal) most
# ----------------------------------------------------------
fig = plot_ecg(
    x[0],
    occlusion,
    lead_names=LEADS,
    fs=100.0,
    attribution_label="occlusion: log-odds drop",
    title=f"PTB-XL test record {i} ({y_test[i]}), explained class: other",
    probabilities={"other": float(p_other[i])},
)
plt.show()

# %%
# Grad-CAM: where the last stage saw the class
# --------------------------------------------
fig = plot_ecg(
    x[0],
    gradcam,
    lead_names=LEADS,
    fs=100.0,
    attribution_label="Grad-CAM",
    title=f"PTB-XL test record {i}: Grad-CAM of 'other'",
)
plt.show()

# %%
# Which leads matter most, by each method
# ---------------------------------------
per_lead = np.stack([np.abs(occlusion).sum(axis=1), np.abs(gradcam).sum(axis=1)])
per_lead /= per_lead.sum(axis=1, keepdims=True)
fig, ax = plt.subplots(figsize=(8, 3))
width = 0.4
ax.bar(np.arange(12) - width / 2, per_lead[0], width, label="occlusion")
ax.bar(np.arange(12) + width / 2, per_lead[1], width, label="Grad-CAM")
ax.set(xticks=np.arange(12), xticklabels=LEADS, ylabel="share of |attribution|")
ax.legend()
fig.tight_layout()
plt.show()
