"""sktime-ecoscale: EcoScale-Net, a lightweight multi-kernel CNN for long ECGs, in sktime.

The public API, re-exported from the subpackages:

* classifiers: :class:`EcoScaleClassifier`, :class:`OmniScaleClassifier`
  (:mod:`sktime_ecoscale.classification`), with the safe model files
  :func:`save_model` / :func:`load_model`;
* networks: :class:`EcoScaleNet`, :class:`OmniScaleNet` and the kernel-list rule
  :func:`ecoscale_kernel_lists` (:mod:`sktime_ecoscale.networks`);
* readers and lazy data sets (:mod:`sktime_ecoscale.datasets`), preprocessing
  transformers (:mod:`sktime_ecoscale.transformations`);
* cost and accuracy reports: :func:`profile`, :func:`run_benchmark`.
"""

from sktime_ecoscale._version import __version__
from sktime_ecoscale.benchmarking import run_benchmark
from sktime_ecoscale.classification import (
    EcoScaleClassifier,
    OmniScaleClassifier,
    load_model,
    save_model,
)
from sktime_ecoscale.networks import EcoScaleNet, OmniScaleNet, ecoscale_kernel_lists
from sktime_ecoscale.profiling import profile

__all__ = [
    "EcoScaleClassifier",
    "EcoScaleNet",
    "OmniScaleClassifier",
    "OmniScaleNet",
    "__version__",
    "ecoscale_kernel_lists",
    "load_model",
    "profile",
    "run_benchmark",
    "save_model",
]
