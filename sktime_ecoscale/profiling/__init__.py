"""Cost profiling of the networks: parameters, FLOPs, latency, throughput, memory, training speed."""

from sktime_ecoscale.profiling._profile import (
    MODELS,
    count_flops,
    matmul_gflops,
    profile,
    to_markdown,
)
from sktime_ecoscale.profiling._training import (
    TRAIN_MODELS,
    fit_cost,
    profile_training,
    training_step_flops,
)

__all__ = [
    "MODELS",
    "TRAIN_MODELS",
    "count_flops",
    "fit_cost",
    "matmul_gflops",
    "profile",
    "profile_training",
    "to_markdown",
    "training_step_flops",
]
