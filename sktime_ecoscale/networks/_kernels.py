"""The kernel-list rule: which kernel sizes each EcoScale block uses.

This module owns one decision: how the paper's capping rule ("the maximum kernel
length is capped to the scale still required after down-sampling") turns into
concrete kernel lists. Networks, profilers and docs all call
:func:`ecoscale_kernel_lists`; nothing else hard-codes kernel sizes.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Sequence

__all__ = [
    "DEFAULT_STAGE_DOWNSAMPLING",
    "MIN_FINAL_LENGTH",
    "STRIDE_POINTS",
    "SPAN_FRACTION",
    "MIN_SPAN",
    "ecoscale_kernel_span",
    "ecoscale_kernel_lists",
    "omni_scale_kernel_sizes",
    "ecoscale_strides",
    "primes_up_to",
    "stage_downsampling",
]

#: Down-sampling of the input at the output of each of the four stages of the
#: EcoScale backbone (stem stride 2, max-pool 2, then stride 2 in stages 2-4 and
#: in stage 1 of the authors' network): 8, 16, 32, 64.
DEFAULT_STAGE_DOWNSAMPLING: tuple[int, ...] = (8, 16, 32, 64)

#: The backbone's down-sampling points, in order: stem convolution, stem
#: max-pool, first block of stages 1-4. The authors' network halves at each.
STRIDE_POINTS: int = 6

#: Shortest length the last stage may see: 1000 samples (PTB-XL at 100 Hz)
#: keep all six halvings (16 samples left), shorter series keep fewer.
MIN_FINAL_LENGTH: int = 16

#: Default span, as a fraction of the input length, that every stage's longest
#: kernel must cover. 1/32 gives 128 samples at 4096 (0.32 s at 400 Hz, the
#: scale of a QRS-T complex) and caps of 16/8/4/2 over the four stages.
SPAN_FRACTION: float = 1.0 / 32.0

#: Span (samples) the estimators' rule gives short series at least, where
#: ``seq_len / 32`` would leave only kernels of 1 and 2 (see
#: :func:`ecoscale_kernel_span`); never more than a quarter of the series.
MIN_SPAN: int = 16


def primes_up_to(n: int) -> list[int]:
    """Return the prime numbers ``p <= n`` in increasing order.

    Parameters
    ----------
    n : int
        Upper bound, inclusive.

    Returns
    -------
    list of int

    Examples
    --------
    >>> primes_up_to(13)
    [2, 3, 5, 7, 11, 13]
    """
    if n < 2:
        return []
    sieve = bytearray([1]) * (n + 1)
    sieve[0:2] = b"\x00\x00"
    for p in range(2, int(n**0.5) + 1):
        if sieve[p]:
            sieve[p * p :: p] = bytearray(len(sieve[p * p :: p]))
    return [i for i, is_prime in enumerate(sieve) if is_prime]


def omni_scale_kernel_sizes(max_kernel: int) -> list[int]:
    """Return OS-CNN's kernel set: 1, 2 and every prime up to ``max_kernel``.

    Two stacked layers with prime kernels sum to every even size (Goldbach), and
    a final {1, 2} layer reaches every odd size, so the set covers all scales up
    to about ``2 * max_kernel`` with few kernels (Tang et al., ICLR 2022).

    Parameters
    ----------
    max_kernel : int
        Largest kernel size allowed, at least 2.

    Returns
    -------
    list of int
        Sorted kernel sizes, starting ``[1, 2, ...]``.

    Examples
    --------
    >>> omni_scale_kernel_sizes(16)
    [1, 2, 3, 5, 7, 11, 13]
    """
    if max_kernel < 2:
        raise ValueError(f"max_kernel must be >= 2, got {max_kernel}.")
    return [1] + primes_up_to(max_kernel)


def ecoscale_strides(seq_len: int | None) -> tuple[int, ...]:
    """Strides of the six down-sampling points of the backbone, from the input length.

    The authors' network halves the signal six times (x64), made for 1000 to
    5000-sample ECGs. On short series that leaves nothing for the deep
    stages (24 samples end as one, 82 as two), and the shapes that separate
    classes are pooled away. The rule keeps the largest number ``k <= 6`` of
    halvings for which ``ceil(seq_len / 2**k) >= MIN_FINAL_LENGTH`` and drops
    the *earliest* ones: a short series keeps full resolution where the
    fine shape is read, a long one keeps the cheap early down-sampling. From
    961 samples on nothing changes (all six halvings at 1000, PTB-XL's
    length at 100 Hz, and longer).

    Parameters
    ----------
    seq_len : int or None
        Input length the network is built for; ``None`` (any length) keeps
        all six halvings.

    Returns
    -------
    tuple of int
        Strides (1 or 2) of the stem convolution, stem max-pool and stages 1-4.

    Examples
    --------
    >>> ecoscale_strides(1000)
    (2, 2, 2, 2, 2, 2)
    >>> ecoscale_strides(82)   # TwoLeadECG: two halvings, in stages 3 and 4
    (1, 1, 1, 1, 2, 2)
    >>> ecoscale_strides(24)   # ItalyPowerDemand: full resolution throughout
    (1, 1, 1, 1, 1, 1)
    """
    if seq_len is None:
        return (2,) * STRIDE_POINTS
    if int(seq_len) < 1:
        raise ValueError(f"seq_len must be >= 1, got {seq_len}.")
    halvings = 0
    while halvings < STRIDE_POINTS and -(-int(seq_len) // 2 ** (halvings + 1)) >= MIN_FINAL_LENGTH:
        halvings += 1
    return (1,) * (STRIDE_POINTS - halvings) + (2,) * halvings


def ecoscale_kernel_span(seq_len: int | None) -> int | None:
    """The span the estimators give :func:`ecoscale_kernel_lists`: ``max(L/32, min(16, L/4))``.

    The paper's span ``L / 32`` suits long ECGs (31 samples at 1000, 128 at
    4096, unchanged here from 512 samples on). On short series it leaves
    kernels of 1 and 2 only (82 samples: span 2), too small to see a
    heartbeat's or a motion's shape; the rule lets the longest kernels cover
    at least ``MIN_SPAN = 16`` samples, but never more than a quarter of the
    series (OS-CNN's limit). In cross-validation on the training splits this
    gained most on TwoLeadECG and ArrowHead (docs/recipe.md).

    Parameters
    ----------
    seq_len : int or None
        Input length; ``None`` (any length) keeps the ``[1, 2]`` lists.

    Returns
    -------
    int or None

    Examples
    --------
    >>> ecoscale_kernel_span(1000), ecoscale_kernel_span(4096)  # the paper's L / 32
    (31, 128)
    >>> ecoscale_kernel_span(82), ecoscale_kernel_span(24)       # short: 16, or a quarter
    (16, 6)
    """
    if seq_len is None:
        return None
    seq_len = int(seq_len)
    if seq_len < 1:
        raise ValueError(f"seq_len must be >= 1, got {seq_len}.")
    return max(1, int(math.floor(seq_len * SPAN_FRACTION)), min(MIN_SPAN, seq_len // 4))


def stage_downsampling(strides: Sequence[int]) -> tuple[int, ...]:
    """Down-sampling of the signal entering each stage's EcoScale block.

    Parameters
    ----------
    strides : sequence of int
        The six strides of :func:`ecoscale_strides`.

    Returns
    -------
    tuple of int
        Cumulative stride after stage 1, 2, 3 and 4.

    Examples
    --------
    >>> stage_downsampling((2, 2, 2, 2, 2, 2))
    (8, 16, 32, 64)
    >>> stage_downsampling((1, 1, 1, 1, 2, 2))
    (1, 1, 2, 4)
    """
    strides = [int(s) for s in strides]
    if len(strides) != STRIDE_POINTS or min(strides) < 1:
        raise ValueError(f"strides must be {STRIDE_POINTS} integers >= 1, got {strides}.")
    cumulative = list(itertools.accumulate(strides, operator.mul))
    return tuple(cumulative[STRIDE_POINTS - 4 :])


def ecoscale_kernel_lists(
    seq_len: int | None,
    *,
    span: int | None = None,
    stage_downsampling: Sequence[int] = DEFAULT_STAGE_DOWNSAMPLING,
    max_kernel: int | None = None,
) -> list[list[int]]:
    """Kernel lists of the EcoScale blocks, one list per stage, from the input length.

    The capping rule. A stage whose input is down-sampled by ``D`` sees a span of
    ``S`` input samples through a kernel of ``S / D`` taps, so the longest kernel
    it needs is ``cap = floor(S / D)`` (at least 2). Coarser stages already cover
    every longer scale through their down-sampling, so no stage repeats them: the
    caps shrink by half per stage (16/8/4/2 at 4096 samples). Each stage's list is
    OS-CNN's set ``{1, 2} + primes <= cap``.

    Parameters
    ----------
    seq_len : int or None
        Input length the network is built for. ``None`` gives ``[1, 2]`` lists,
        the cheapest blocks, for networks that must accept any length.
    span : int, optional
        The span ``S`` in input samples that every stage's longest kernel covers.
        Default ``seq_len / 32`` (128 at 4096 samples).
    stage_downsampling : sequence of int, default (8, 16, 32, 64)
        Down-sampling factor of the signal entering each EcoScale block.
    max_kernel : int, optional
        Hard cap on any kernel size, whatever the span.

    Returns
    -------
    list of list of int
        One sorted kernel list per stage.

    Examples
    --------
    >>> ecoscale_kernel_lists(4096)
    [[1, 2, 3, 5, 7, 11, 13], [1, 2, 3, 5, 7], [1, 2, 3], [1, 2]]
    >>> ecoscale_kernel_lists(1000)
    [[1, 2, 3], [1, 2], [1, 2], [1, 2]]
    >>> ecoscale_kernel_lists(4096, span=512, max_kernel=32)
    [[1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31], [1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31], [1, 2, 3, 5, 7, 11, 13], [1, 2, 3, 5, 7]]
    """  # noqa: E501
    if seq_len is None and span is None:
        return [[1, 2] for _ in stage_downsampling]
    if span is None:
        span = max(1, int(math.floor(seq_len * SPAN_FRACTION)))
    if span < 1:
        raise ValueError(f"span must be >= 1 sample, got {span}.")
    lists = []
    for down in stage_downsampling:
        cap = max(2, span // int(down))
        if max_kernel is not None:
            cap = max(2, min(cap, int(max_kernel)))
        lists.append(omni_scale_kernel_sizes(cap))
    return lists
