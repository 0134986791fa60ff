"""Alternated A/B timing of two variants of one training step, in one process.

Both variants run round by round, each after a warm-up step, so that load on a
shared machine falls on both alike; the figures are medians and their ratio.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def alternate(
    variants: dict[str, Callable[[], None]], step: Callable[[], None], rounds: int, steps: int
) -> dict[str, list[float]]:
    """Seconds per ``step`` of each variant, one entry per round.

    ``variants`` maps a name to the call that switches the model to it; the
    first name is the baseline of :func:`summary`.
    """
    times = {name: [] for name in variants}
    for _ in range(rounds):
        for name, switch in variants.items():
            switch()
            step()  # warm-up after the switch
            start = time.perf_counter()
            for _ in range(steps):
                step()
            times[name].append((time.perf_counter() - start) / steps)
    return times


def summary(times: dict[str, list[float]]) -> dict:
    """Median milliseconds of each variant and the speed-up of the second over the first."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline, candidate = list(medians)
    return {
        **{f"{k} median ms": round(1e3 * v, 1) for k, v in medians.items()},
        "speed-up": round(medians[baseline] / medians[candidate], 3),
    }
