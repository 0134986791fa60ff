"""Plots of ECGs on paper: the clinical 12-lead layout, attributions as heat bands.

:func:`plot_ecg` draws a record true to scale (25 mm/s, 10 mm/mV, the 1 mm and
5 mm grid) and returns a matplotlib Figure; matplotlib is imported on first
use (``pip install sktime-ecoscale[explain]``). Needs numpy and matplotlib
only: no torch, no estimators.
"""

from sktime_ecoscale.plotting._ecg import CLINICAL_COLUMNS, STANDARD_LEADS, plot_ecg
from sktime_ecoscale.plotting._paper import heat_colours

__all__ = ["CLINICAL_COLUMNS", "STANDARD_LEADS", "heat_colours", "plot_ecg"]
