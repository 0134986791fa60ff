"""Low-level helpers shared by readers, transformers and estimators."""

from sktime_ecoscale.utils._signal import pad_or_crop, standardize_per_lead

__all__ = ["pad_or_crop", "standardize_per_lead"]
