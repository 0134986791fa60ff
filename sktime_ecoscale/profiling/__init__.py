"""Cost profiling of the networks: parameters, FLOPs, latency, throughput, memory."""

from sktime_ecoscale.profiling._profile import (
    MODELS,
    count_flops,
    matmul_gflops,
    profile,
    to_markdown,
)

__all__ = ["MODELS", "count_flops", "matmul_gflops", "profile", "to_markdown"]
