"""Cost profiler: parameters, FLOPs, latency, throughput and memory of the networks.

Every figure comes from one run on the current machine, next to the machine's
own fp32 matrix-multiply rate (the practical ceiling for convolutions), so the
ratios between models, and between a model and the hardware, mean something.

How things are counted
----------------------
- **FLOPs**: ``torch.utils.flop_counter.FlopCounterMode`` on one forward pass
  of the *training* graph (one true-size convolution per kernel size, batch
  norm not counted), for one ECG. Torch counts 2 FLOPs per multiply-add, for
  convolutions and matrix products (the linear head). The fused inference
  graph runs zero taps too; it is charged the same useful FLOPs.
- **Parameters**: of the training graph.
- **Latency**: median wall time of one ECG (batch 1), milliseconds.
- **Throughput**: ECGs per second at ``batch_size``, median over repeats.
- **Peak memory**: growth of the process's peak resident set (``VmHWM``,
  reset through ``/proc/self/clear_refs`` before each measurement) while
  running one batch: real memory, whichever allocator (PyTorch, ONNX
  Runtime) took it. ``tracemalloc`` would miss both.
"""

from __future__ import annotations

import copy
import os
import statistics
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import pandas as pd
import torch
from torch import nn

from sktime_ecoscale.profiling._models import MODELS, build_model

__all__ = ["MODELS", "count_flops", "matmul_gflops", "profile", "to_markdown"]

#: Longest time (s) spent timing one model at one batch size; slow models
#: (OS-CNN at batch 64 takes minutes) get fewer repeats and a smaller batch.
TIME_BUDGET_S = 20.0

COLUMNS = [
    "model",
    "params",
    "gflops",
    "latency_ms",
    "latency_1core_ms",
    "throughput_ecg_s",
    "throughput_batch",
    "achieved_gflop_s",
    "ceiling_fraction",
    "peak_rss_mb",
]


# ----------------------------------------------------------------- measures
@contextmanager
def _num_threads(n: int):
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def count_flops(net: nn.Module, x: torch.Tensor) -> int:
    """FLOPs of one forward pass of ``net`` on ``x`` in training mode (torch's counter).

    Counted on a copy on the ``meta`` device: shapes only, no arithmetic, so
    even OS-CNN at 12 x 4096 (122 GFLOPs) is counted in a fraction of a second.
    Omni-scale layers count each kernel at its true size (the architecture's
    cost), also where they run as one zero-padded convolution
    (``OmniScaleLayer.single_convolution``), which executes the zero taps too.

    Parameters
    ----------
    net : torch.nn.Module
        The network; it is copied, never changed.
    x : torch.Tensor
        An input of the shape to count for (its values are not used).

    Returns
    -------
    int
        Floating-point operations (a multiply-add counts 2).

    Examples
    --------
    >>> import torch
    >>> count_flops(torch.nn.Linear(4, 3), torch.zeros(1, 4))  # 2 x 4 x 3
    24
    """
    from torch.utils.flop_counter import FlopCounterMode

    from sktime_ecoscale.networks import OmniScaleLayer

    meta = copy.deepcopy(net).to("meta").train()
    for layer in meta.modules():
        # the architecture's cost: every omni-scale kernel at its true size, also
        # where the layer trains them as one zero-padded convolution (OS-CNN)
        if isinstance(layer, OmniScaleLayer):
            layer.single_convolution = False
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        meta(x.to("meta"))
    return int(counter.get_total_flops())


def _median_seconds(
    fn: Callable[[], object], repeats: int, budget_s: float = TIME_BUDGET_S
) -> float:
    """Median wall time of ``fn`` after one warm-up call; fewer repeats if slow."""
    with torch.inference_mode():
        start = time.perf_counter()
        fn()  # warm-up: allocator, oneDNN primitive caches
        first = time.perf_counter() - start
        n = max(3, min(repeats, int(budget_s / max(first, 1e-9))))
        times = []
        for _ in range(n):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def _read_status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _peak_rss_mb(fn: Callable[[], object]) -> float:
    """Growth of peak RSS (MiB) while ``fn`` runs; NaN where Linux's counters are missing."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current RSS
    except OSError:
        return float("nan")
    before = _read_status_kb("VmRSS")
    with torch.inference_mode():
        fn()
    peak = _read_status_kb("VmHWM")
    if before is None or peak is None:
        return float("nan")
    return max(0, peak - before) / 1024.0


def matmul_gflops(threads: int = 2, n: int = 2048, repeats: int = 5) -> float:
    """The machine's fp32 matrix-multiply rate, GFLOP/s: ``torch.mm`` of ``n x n`` matrices.

    The practical ceiling for convolution-heavy inference on this CPU
    (convolutions run as matrix products in oneDNN).

    Parameters
    ----------
    threads : int, default 2
        torch intra-op threads during the measurement.
    n : int, default 2048
        Matrix size.
    repeats : int, default 5
        Timed repeats (median).

    Returns
    -------
    float
        ``2 n^3 / median seconds / 1e9``.

    Examples
    --------
    >>> matmul_gflops(threads=1, n=256, repeats=3) > 0
    True
    """
    a, b = torch.randn(n, n), torch.randn(n, n)
    with _num_threads(threads):
        seconds = _median_seconds(lambda: torch.mm(a, b), repeats)
    return 2.0 * n**3 / seconds / 1e9


# ------------------------------------------------------------------ profile
def profile(
    shape: Sequence[int] = (12, 4096),
    n_classes: int = 6,
    models: Sequence[str] = MODELS,
    batch_size: int = 64,
    threads: int = 2,
    repeats: int = 10,
    random_state: int = 0,
    n_series: int | None = None,
) -> pd.DataFrame:
    """Measure the cost of the networks on this machine, in one run.

    Parameters
    ----------
    shape : (int, int), default (12, 4096)
        ``(n_channels, seq_len)`` of one ECG.
    n_classes : int, default 6
        Output logits.
    models : sequence of str, default all of :data:`MODELS`
        ``"ecoscale"`` (EcoScaleNet as trained), ``"ecoscale-fused"``
        (:func:`~sktime_ecoscale.networks.fuse_for_inference`, what
        ``predict`` runs), ``"ecoscale-onnx"`` (the fused network exported to
        ONNX, run by ONNX Runtime), ``"omniscale"`` (OS-CNN) and
        ``"inceptiontime"`` (sktime's ``InceptionTimeClassifierTorch``
        network, default architecture).
    batch_size : int, default 64
        Batch of the throughput measurement (reduced for models too slow to
        time it within about 20 s; see column ``throughput_batch``).
    threads : int, default 2
        CPU threads (torch intra-op, ONNX Runtime intra-op).
    repeats : int, default 10
        Timed repeats per measurement (median); fewer for slow models.
    random_state : int, default 0
        Seed of the random weights and inputs.
    n_series : int, optional
        Profile the EcoScale network that ``EcoScaleClassifier()``'s default
        builds for this many training series of ``shape`` (the widths,
        strides and ensemble size of
        :func:`~sktime_ecoscale.classification.training_budget`). Default:
        the authors' full-width single network.

    Returns
    -------
    pandas.DataFrame
        One row per model with the columns ``model, params, gflops,
        latency_ms, latency_1core_ms, throughput_ecg_s, throughput_batch,
        achieved_gflop_s, ceiling_fraction, peak_rss_mb``. ``gflops`` is per
        ECG (training graph, 2 x MAC); ``achieved_gflop_s = gflops x
        throughput``; ``ceiling_fraction`` divides it by the fp32 matmul rate
        measured in the same run; ``peak_rss_mb`` is the growth of peak RSS
        over one throughput batch. ``latency_1core_ms`` is batch 1 on one
        thread. ``df.attrs`` holds the run's settings, ``matmul_gflop_s`` and
        the load average before and after (other processes distort timings).

    Examples
    --------
    >>> from sktime_ecoscale.profiling import profile
    >>> df = profile(shape=(2, 64), n_classes=3, models=("ecoscale", "ecoscale-fused"),
    ...              batch_size=4, threads=1, repeats=3)
    >>> list(df["model"])
    ['ecoscale', 'ecoscale-fused']
    >>> bool((df["gflops"] > 0).all())
    True
    """
    n_channels, seq_len = (int(s) for s in shape)
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        raise ValueError(f"Unknown models {unknown}; known: {list(MODELS)}.")
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ceiling = matmul_gflops(threads=threads)
    rows = []
    for name in models:
        torch.manual_seed(random_state)
        train_net, make_runner = build_model(name, n_channels, n_classes, seq_len, n_series)
        one = torch.randn(1, n_channels, seq_len)
        params = sum(p.numel() for p in train_net.parameters())
        gflops = count_flops(train_net, one) / 1e9
        with _num_threads(threads):
            runner = make_runner(threads)
            latency = _median_seconds(lambda r=runner, x=one: r(x), repeats)
            batch = max(1, min(batch_size, int(TIME_BUDGET_S / 3 / max(latency, 1e-9))))
            xb = torch.randn(batch, n_channels, seq_len)
            per_batch = _median_seconds(lambda r=runner, x=xb: r(x), repeats)
            peak = _peak_rss_mb(lambda r=runner, x=xb: r(x))
        with _num_threads(1):
            runner_1 = make_runner(1)
            latency_1 = _median_seconds(lambda r=runner_1, x=one: r(x), repeats)
        throughput = batch / per_batch
        rows.append(
            {
                "model": name,
                "params": params,
                "gflops": gflops,
                "latency_ms": latency * 1e3,
                "latency_1core_ms": latency_1 * 1e3,
                "throughput_ecg_s": throughput,
                "throughput_batch": batch,
                "achieved_gflop_s": gflops * throughput,
                "ceiling_fraction": gflops * throughput / ceiling,
                "peak_rss_mb": peak,
            }
        )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df.attrs.update(
        shape=[n_channels, seq_len],
        n_classes=n_classes,
        n_series=n_series,
        batch_size=batch_size,
        threads=threads,
        repeats=repeats,
        matmul_gflop_s=ceiling,
        loadavg_before=load_before,
        loadavg_after=os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
        torch=torch.__version__,
        cpu_count=os.cpu_count(),
    )
    return df


def to_markdown(df: pd.DataFrame) -> str:
    """Render :func:`profile`'s frame as a markdown table with a one-line header.

    Written by hand (pandas' ``to_markdown`` needs the optional ``tabulate``).

    Parameters
    ----------
    df : pandas.DataFrame
        A :func:`profile`, :func:`profile_training` or :func:`fit_cost` result
        (or a subset of its columns); known columns get their units and
        rounding, others are written with ``str``. The settings of a
        :func:`profile` run in ``df.attrs``, when present, become the header line.

    Returns
    -------
    str
        The table, one line per model.

    Examples
    --------
    >>> import pandas as pd
    >>> from sktime_ecoscale.profiling import to_markdown
    >>> df = pd.DataFrame({"model": ["ecoscale"], "params": [74512], "latency_ms": [3.14159]})
    >>> print(to_markdown(df))
    | model | params | latency_ms |
    |---|---|---|
    | ecoscale | 0.075 M | 3.14 |
    """
    fmt = {
        "params": lambda v: f"{v / 1e6:.3f} M",
        "gflops": lambda v: f"{v:.4g}",
        "latency_ms": lambda v: f"{v:.2f}",
        "latency_1core_ms": lambda v: f"{v:.2f}",
        "throughput_ecg_s": lambda v: f"{v:.1f}",
        "throughput_batch": lambda v: f"{int(v)}",
        "achieved_gflop_s": lambda v: f"{v:.1f}",
        "ceiling_fraction": lambda v: f"{100 * v:.1f} %",
        "peak_rss_mb": lambda v: f"{v:.1f}",
        # profile_training / fit_cost columns
        "batch_size": lambda v: f"{int(v)}",
        "threads": lambda v: f"{int(v)}",
        "train_gflops_per_series": lambda v: f"{v:.4g}",
        "step_s": lambda v: f"{v:.3f}",
        "steps_timed": lambda v: f"{int(v)}",
        "series_s": lambda v: f"{v:.1f}",
        "fit_s_low": lambda v: f"{v:.1f}",
        "fit_s_high": lambda v: f"{v:.1f}",
        "s_per_series_epoch": lambda v: f"{1e3 * v:.2f} ms",
        "series_epochs_s": lambda v: f"{v:.1f}",
    }
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    for _, row in df.iterrows():
        cells = [fmt.get(col, str)(row[col]) for col in df.columns]
        lines.append("| " + " | ".join(cells) + " |")
    a = df.attrs
    if "loadavg_before" in a:  # a profile() frame: its settings as the header line
        lines.insert(
            0,
            f"shape {a.get('shape')}, {a.get('n_classes')} classes, batch {a.get('batch_size')}, "
            f"{a.get('threads')} threads; fp32 matmul ceiling {a.get('matmul_gflop_s', float('nan')):.1f} "
            f"GFLOP/s; load average {a.get('loadavg_before', float('nan')):.2f} -> "
            f"{a.get('loadavg_after', float('nan')):.2f} on {a.get('cpu_count')} CPUs\n",
        )
    return "\n".join(lines)
