"""Explanations of fitted deep ECG classifiers: per-lead, per-time attributions.

:func:`explain` returns an attribution for every lead and sample of the input
(:data:`METHODS`: occlusion, the default; Grad-CAM on the last EcoScale stage;
integrated gradients; all through Captum, an optional dependency:
``pip install sktime-ecoscale[explain]``); :func:`target_labels` and
:func:`target_probabilities` say what can be explained and how probable each
class or label is. Plot the result with :func:`sktime_ecoscale.plotting.plot_ecg`.
"""

from sktime_ecoscale.explain._explain import (
    DEFAULT_METHOD,
    explain,
    target_labels,
    target_probabilities,
)
from sktime_ecoscale.explain._methods import METHODS

__all__ = ["DEFAULT_METHOD", "METHODS", "explain", "target_labels", "target_probabilities"]
