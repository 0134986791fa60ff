"""Low-level helpers shared by readers, data sets, transformers and estimators."""

from sktime_ecoscale.utils._input import (
    InputScaling,
    fill_missing,
    mark_absent_leads,
    prepare_series,
)
from sktime_ecoscale.utils._panel import (
    align_leads,
    check_lead_names,
    check_sampling_rate,
    ecg_panel,
    match_sampling_rate,
    panel_lead_names,
    panel_sampling_rate,
)
from sktime_ecoscale.utils._signal import (
    pad_or_crop,
    resample,
    resampled_length,
    standardize_per_lead,
)
from sktime_ecoscale.utils._split import split_indices

__all__ = [
    "InputScaling",
    "align_leads",
    "check_lead_names",
    "check_sampling_rate",
    "ecg_panel",
    "fill_missing",
    "mark_absent_leads",
    "match_sampling_rate",
    "pad_or_crop",
    "panel_lead_names",
    "panel_sampling_rate",
    "prepare_series",
    "resample",
    "resampled_length",
    "split_indices",
    "standardize_per_lead",
]
