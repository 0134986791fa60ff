"""sktime classifiers backed by skorch-trained networks."""

from sktime_ecoscale.classification._augment import Augmenter
from sktime_ecoscale.classification._base import BaseDeepECGClassifier
from sktime_ecoscale.classification._budget import TrainingBudget, training_budget
from sktime_ecoscale.classification._data import InputScaling  # noqa: F401 (documented in utils)
from sktime_ecoscale.classification._distributed import close_process_group, is_main_process
from sktime_ecoscale.classification._ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification._omniscale import OmniScaleClassifier
from sktime_ecoscale.classification._persistence import load_model, save_model
from sktime_ecoscale.classification._pretrained import (
    pretrained,
    pretrained_models,
    pretrained_path,
)

__all__ = [
    "Augmenter",
    "BaseDeepECGClassifier",
    "EcoScaleClassifier",
    "OmniScaleClassifier",
    "TrainingBudget",
    "close_process_group",
    "is_main_process",
    "load_model",
    "pretrained",
    "pretrained_models",
    "pretrained_path",
    "save_model",
    "training_budget",
]
