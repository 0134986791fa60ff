"""sktime classifiers backed by skorch-trained networks."""

from sktime_ecoscale.classification._augment import Augmenter
from sktime_ecoscale.classification._base import BaseDeepECGClassifier
from sktime_ecoscale.classification._ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification._omniscale import OmniScaleClassifier

__all__ = ["Augmenter", "BaseDeepECGClassifier", "EcoScaleClassifier", "OmniScaleClassifier"]
