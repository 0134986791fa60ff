"""
Where the starter model looks: one record of each PTB-XL superclass
===================================================================

The starter model ``ptbxl-superclass-100hz`` (EcoScale-Net trained on the five
PTB-XL superclasses of the bundled records of folds 1-8, shipped with the
package) is explained on records of folds 9-10, which it never saw: one normal
record and one record of each superclass, ``MI`` (myocardial infarction),
``STTC`` (ST/T change), ``CD`` (conduction disturbance) and ``HYP``
(hypertrophy). For each, occlusion (:func:`sktime_ecoscale.explain.explain`'s
default: of the methods that meet the synthetic faithfulness bar, the one whose
top-ranked samples the model needs most on real ECGs) shows which leads and moments raised or
lowered that label's log-odds, drawn on ECG paper in the clinical 3 x 4 layout with a rhythm strip
of lead II (:func:`sktime_ecoscale.plotting.plot_ecg`).

Explanations need Captum (``pip install sktime-ecoscale[explain]``). No
download: the records and the model ship with the package.
"""

# %%
# The model and the records it never saw
# --------------------------------------
import matplotlib.pyplot as plt
import numpy as np

from sktime_ecoscale import pretrained
from sktime_ecoscale.datasets import load_ptbxl_sample
from sktime_ecoscale.explain import explain, target_labels, target_probabilities
from sktime_ecoscale.plotting import plot_ecg
from sktime_ecoscale.utils import ecg_panel

clf = pretrained("ptbxl-superclass-100hz")
LEADS = list(clf.leads_)
X, Y = load_ptbxl_sample(target="superclass", folds=[9, 10])
panel = ecg_panel(X, fs=100.0, leads=LEADS)  # says the rate and the leads: no guessing
labels = target_labels(clf)
P = target_probabilities(clf, panel)
print(labels, "records:", len(X))

# %%
# Pick one record per superclass
# ------------------------------
# Among the records whose *only* label is the superclass, the one the model
# gives that label the highest probability: the clearest case, not a typical
# one. The point is to see what the model relies on when it is sure.
chosen = {}
for j, label in enumerate(labels):
    only = np.flatnonzero((Y[label] == 1) & (Y.sum(axis=1) == 1))
    if len(only):
        chosen[label] = int(only[np.argmax(P[only, j])])
for label, i in chosen.items():
    print(f"{label:5s} record {i}: P({label}) = {P[i, labels.index(label)]:.2f}")

rows = list(chosen.values())
A = explain(clf, [panel[i] for i in rows], target=list(chosen))  # occlusion, signed
cam = explain(clf, [panel[i] for i in rows], target=list(chosen), method="gradcam")

# %%
# One figure per record
# ---------------------
# Red marks what raised the explained label's log-odds when it was there (the
# log-odds drop when that window of that lead is replaced by the lead's mean),
# blue what lowered them; the title gives every label's probability.
figures = []  # plot_ecg's figures are made without pyplot: keep them to show them
for (label, i), attribution in zip(chosen.items(), A):
    fig = plot_ecg(
        X[i],
        attribution,
        lead_names=LEADS,
        fs=100.0,
        attribution_label=f"occlusion: drop of the log-odds of {label}",
        title=f"PTB-XL record {i} of folds 9-10, labelled {label}; explained: {label}",
        probabilities=dict(zip(labels, P[i].round(2).tolist())),
    )
    figures.append(fig)


# %%
# Which leads carry each explanation
# ----------------------------------
# Occlusion's positive part (evidence for the label) per lead, and Grad-CAM's
# (non-negative: it keeps evidence for the label only). A blank Grad-CAM row
# means the model found no evidence *for* the label anywhere in the record.
def lead_shares(maps):
    positive = [np.clip(a, 0, None).sum(axis=1) for a in maps]
    return np.stack([p / max(p.sum(), 1e-12) for p in positive])


share = np.vstack([lead_shares(A), lead_shares(cam)])
print({label: round(float(c.sum()), 2) for label, c in zip(chosen, cam)}, "(Grad-CAM mass)")
fig, ax = plt.subplots(figsize=(8, 4.5))
image = ax.imshow(share, cmap="Reds", aspect="auto", vmin=0)
names = [f"{label}, occlusion" for label in chosen] + [f"{label}, Grad-CAM" for label in chosen]
ax.set(xticks=range(12), xticklabels=LEADS, yticks=range(len(names)), yticklabels=names)
ax.set_title("share of the positive attribution per lead")
fig.colorbar(image, ax=ax)
fig.tight_layout()
plt.show()

# %%
# Reading them, honestly
# ----------------------
# What these five maps support, and what they do not:
#
# * **The model misses two of the five classes here.** The most MI-like
#   MI-only record gets P(MI) = 0.12 (the model says NORM), the most HYP-like
#   HYP-only record P(HYP) = 0.03. Grad-CAM of MI and HYP is blank on them: it
#   keeps evidence *for* a label only, and the model found none. Occlusion,
#   signed, still shows where the little evidence for MI sits (red in III and
#   aVF, the inferior leads) and what speaks against it (blue in V4-V5). HYP
#   is the rarest superclass of the 353 training records; a starter model of
#   that size does not learn it.
# * **Where the model is sure**, NORM (P = 1.00), CD (0.98) and STTC (0.87),
#   the maps concentrate on a few leads and a few beats (the per-lead chart),
#   and occlusion and Grad-CAM mostly agree on which leads (for CD: II and
#   aVF). Whether those are the leads a cardiologist would read for that
#   record is a question for a cardiologist, not something these maps prove.
# * A map says where *this model* found evidence, not where the disease is.
#   Occlusion's resolution is its window (62 samples, 0.6 s at 100 Hz),
#   Grad-CAM's a cell of 64 samples: both point at a beat or an interval, not
#   at a single wave. Each column of the grid is the next 2.5 s (the clinical
#   layout), so a lead is seen for a quarter of the record; the rhythm strip
#   shows lead II's whole 10 s.
# * The records were picked as the model's most confident of each class, so
#   these are the model at its clearest. The model card gives its scores on
#   these folds (macro-AUROC 0.834).
