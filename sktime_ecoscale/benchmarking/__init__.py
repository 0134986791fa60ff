"""Benchmarking EcoScale against OS-CNN, MiniRocket and InceptionTime on ECGs.

Runs through sktime's ``evaluate`` on fixed splits (PTB-XL folds) and writes a
results table, a markdown report and figures; ``ecoscale benchmark`` is its
command line.
"""

__all__ = [
    "run_benchmark",
    "load_benchmark_data",
    "make_estimator",
    "BenchmarkData",
    "BenchmarkTask",
    "MODEL_NAMES",
    "SPLITS",
    "macro_f1",
    "macro_auroc",
    "accuracy",
]

from sktime_ecoscale.benchmarking._data import (
    SPLITS,
    BenchmarkData,
    BenchmarkTask,
    load_benchmark_data,
)
from sktime_ecoscale.benchmarking._metrics import accuracy, macro_auroc, macro_f1
from sktime_ecoscale.benchmarking._models import MODEL_NAMES, make_estimator
from sktime_ecoscale.benchmarking._run import run_benchmark
