"""sktime-ecoscale: EcoScale-Net, a lightweight multi-kernel CNN for long ECGs, in sktime.

The public API, re-exported from the subpackages:

* classifiers: :class:`EcoScaleClassifier`, :class:`OmniScaleClassifier`
  (:mod:`sktime_ecoscale.classification`), with the safe model files
  :func:`save_model` / :func:`load_model` and the bundled starter models,
  :func:`pretrained`;
* networks: :class:`EcoScaleNet`, :class:`OmniScaleNet` and the kernel-list rule
  :func:`ecoscale_kernel_lists` (:mod:`sktime_ecoscale.networks`);
* readers and lazy data sets (:mod:`sktime_ecoscale.datasets`), preprocessing
  transformers (:mod:`sktime_ecoscale.transformations`);
* cost and accuracy reports: :func:`profile`, :func:`run_benchmark`;
* clinical metrics with bootstrap confidence intervals: :func:`auroc`,
  :func:`auprc`, :func:`f1_at_thresholds`, :func:`f_max`, :func:`f_beta`,
  :func:`g_beta`, :func:`challenge_score`, :func:`bootstrap_ci`,
  :func:`scorer` (:mod:`sktime_ecoscale.metrics`);
* explanations: :func:`plot_ecg` (:mod:`sktime_ecoscale.plotting`); the
  attributions themselves are ``sktime_ecoscale.explain.explain`` (not
  re-exported here: the name is its subpackage's).
"""

import importlib

from sktime_ecoscale._version import __version__

#: Public name -> subpackage it lives in. Imported on first access (PEP 562), so
#: ``import sktime_ecoscale.networks`` loads neither sktime nor skorch. To re-export
#: a new name lazily, add one line here and the name to ``__all__``.
_LAZY = {
    "EcoScaleClassifier": "sktime_ecoscale.classification",
    "OmniScaleClassifier": "sktime_ecoscale.classification",
    "load_model": "sktime_ecoscale.classification",
    "save_model": "sktime_ecoscale.classification",
    "pretrained": "sktime_ecoscale.classification",
    "training_budget": "sktime_ecoscale.classification",
    "EcoScaleNet": "sktime_ecoscale.networks",
    "OmniScaleNet": "sktime_ecoscale.networks",
    "ecoscale_kernel_lists": "sktime_ecoscale.networks",
    "profile": "sktime_ecoscale.profiling",
    "run_benchmark": "sktime_ecoscale.benchmarking",
    "auroc": "sktime_ecoscale.metrics",
    "auprc": "sktime_ecoscale.metrics",
    "f1_at_thresholds": "sktime_ecoscale.metrics",
    "f_max": "sktime_ecoscale.metrics",
    "f_beta": "sktime_ecoscale.metrics",
    "g_beta": "sktime_ecoscale.metrics",
    "challenge_score": "sktime_ecoscale.metrics",
    "bootstrap_ci": "sktime_ecoscale.metrics",
    "scorer": "sktime_ecoscale.metrics",
    "plot_ecg": "sktime_ecoscale.plotting",
}


def __getattr__(name):
    """Import a public name's subpackage on first access."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "EcoScaleClassifier",
    "EcoScaleNet",
    "OmniScaleClassifier",
    "OmniScaleNet",
    "__version__",
    "auprc",
    "auroc",
    "bootstrap_ci",
    "challenge_score",
    "ecoscale_kernel_lists",
    "f1_at_thresholds",
    "f_beta",
    "f_max",
    "g_beta",
    "load_model",
    "plot_ecg",
    "pretrained",
    "profile",
    "run_benchmark",
    "save_model",
    "scorer",
    "training_budget",
]
