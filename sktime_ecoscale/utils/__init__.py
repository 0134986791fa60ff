"""Low-level helpers shared by readers, data sets, transformers and estimators."""

from sktime_ecoscale.utils._input import (
    InputScaling,
    align_leads,
    fill_missing,
    panel_lead_names,
    prepare_series,
)
from sktime_ecoscale.utils._signal import pad_or_crop, standardize_per_lead
from sktime_ecoscale.utils._split import split_indices

__all__ = [
    "InputScaling",
    "align_leads",
    "fill_missing",
    "panel_lead_names",
    "pad_or_crop",
    "prepare_series",
    "split_indices",
    "standardize_per_lead",
]
