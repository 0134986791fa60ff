"""sktime-ecoscale: EcoScale-Net, a lightweight multi-kernel CNN for long ECGs, in sktime."""

from sktime_ecoscale._version import __version__
from sktime_ecoscale.classification import EcoScaleClassifier, OmniScaleClassifier
from sktime_ecoscale.networks import EcoScaleNet, OmniScaleNet, ecoscale_kernel_lists

__all__ = [
    "EcoScaleClassifier",
    "EcoScaleNet",
    "OmniScaleClassifier",
    "OmniScaleNet",
    "__version__",
    "ecoscale_kernel_lists",
]
