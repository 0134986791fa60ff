"""ECG preprocessing transformers (sktime BaseTransformer, pipeline-ready)."""

__all__ = [
    "Resample",
    "BandPass",
    "StandardizeLeads",
    "PadCrop",
    "RepairMissing",
]

from sktime_ecoscale.transformations._bandpass import BandPass
from sktime_ecoscale.transformations._padcrop import PadCrop
from sktime_ecoscale.transformations._repair import RepairMissing
from sktime_ecoscale.transformations._resample import Resample
from sktime_ecoscale.transformations._standardize import StandardizeLeads
