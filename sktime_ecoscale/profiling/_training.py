"""Training throughput: optimiser steps of the networks, and whole fits of the classifiers.

Two levels, both measured next to the machine's fp32 matrix-multiply rate in
the same run:

- :func:`profile_training` times one optimiser step (forward, loss, backward,
  update) of each network on random input, at several batch sizes and thread
  counts: series per second, the FLOPs of a training step counted by torch
  (forward and backward), and the rate they achieve.
- :func:`fit_cost` times whole ``fit`` calls of the classifiers at two epoch
  counts and reports the *marginal* seconds per series and epoch, so the fixed
  costs of a fit (building the network, batch-norm recalibration, fusing for
  inference) do not blur the per-epoch comparison.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from sktime_ecoscale.profiling._models import build_model
from sktime_ecoscale.profiling._profile import _num_threads, matmul_gflops

__all__ = ["TRAIN_MODELS", "fit_cost", "profile_training", "training_step_flops"]

#: Networks :func:`profile_training` knows (their training graphs).
TRAIN_MODELS = ("ecoscale", "omniscale", "inceptiontime")
#: Longest time (s) spent timing one (model, batch, threads) cell; slow models
#: (OS-CNN) get fewer steps, at least one after the warm-up step.
STEP_BUDGET_S = 20.0

TRAIN_COLUMNS = [
    "model",
    "batch_size",
    "threads",
    "params",
    "train_gflops_per_series",
    "step_s",
    "steps_timed",
    "series_s",
    "achieved_gflop_s",
    "ceiling_fraction",
]


def training_step_flops(net: nn.Module, x: torch.Tensor, n_classes: int) -> int:
    """FLOPs of one training step of ``net`` on the batch ``x``: forward, loss and backward.

    Counted by torch's ``FlopCounterMode`` on a copy of the network on the
    ``meta`` device (shapes only). The optimiser's element-wise update is not
    counted (it is linear in the parameters, negligible next to the
    convolutions).

    Parameters
    ----------
    net : torch.nn.Module
        The network, in the layout it trains in; it is copied, never changed.
    x : torch.Tensor
        A batch of the shape to count for (values unused).
    n_classes : int
        Outputs of the network (the loss's targets).

    Returns
    -------
    int
        Floating-point operations (a multiply-add counts 2).

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.profiling import training_step_flops
    >>> # forward 2 x 4 x 3, then the weight gradient as much again (the input needs none)
    >>> training_step_flops(torch.nn.Linear(4, 3), torch.zeros(1, 4), 3)
    48
    """
    import copy

    from torch.utils.flop_counter import FlopCounterMode

    meta = copy.deepcopy(net).to("meta").train()
    x = x.to("meta").requires_grad_(False)
    target = torch.zeros(x.shape[0], dtype=torch.long, device="meta")
    with FlopCounterMode(display=False) as counter:
        loss = nn.functional.cross_entropy(meta(x), target % max(1, n_classes))
        loss.backward()
    return int(counter.get_total_flops())


def _time_steps(net: nn.Module, x: torch.Tensor, y: torch.Tensor, budget_s: float, steps: int):
    """Median seconds of one AdamW step on (x, y) after a warm-up step; fewer steps if slow."""
    # the optimiser the estimators use (fused where torch has the kernel)
    try:
        optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3, fused=True)
    except (RuntimeError, TypeError):
        optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3)
    net.train()

    def step():
        optimizer.zero_grad(set_to_none=True)
        nn.functional.cross_entropy(net(x), y).backward()
        optimizer.step()

    start = time.perf_counter()
    step()  # warm-up: allocator, oneDNN primitive caches
    first = time.perf_counter() - start
    if first >= budget_s / 2:  # a slow model (OS-CNN): warm-up costs are noise, keep this step
        return first, 1
    n = max(1, min(steps, int(budget_s / max(first, 1e-9))))
    times = []
    for _ in range(n):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times), n


def profile_training(
    shape: Sequence[int] = (12, 1000),
    n_classes: int = 5,
    models: Sequence[str] = TRAIN_MODELS,
    batch_sizes: Sequence[int] = (32, 128),
    threads: Sequence[int] = (1, 2),
    steps: int = 5,
    random_state: int = 0,
    n_series: int | None = None,
    budget_s: float = STEP_BUDGET_S,
) -> pd.DataFrame:
    """Measure training throughput of the networks on this machine, in one run.

    Parameters
    ----------
    shape : (int, int), default (12, 1000)
        ``(n_channels, seq_len)`` of one series.
    n_classes : int, default 5
        Output logits.
    models : sequence of str, default all of :data:`TRAIN_MODELS`
        ``"ecoscale"`` (EcoScaleNet as trained), ``"omniscale"`` (OS-CNN, as
        trained: parallel convolutions) and ``"inceptiontime"`` (sktime's
        ``InceptionTimeClassifierTorch`` network, default architecture).
    batch_sizes : sequence of int, default (32, 128)
        Series per optimiser step.
    threads : sequence of int, default (1, 2)
        torch intra-op threads.
    steps : int, default 5
        Timed optimiser steps per cell (median), after one warm-up step;
        fewer where a cell would exceed ``budget_s``. Where the warm-up step
        alone takes half of ``budget_s``, it is the one step reported.
    random_state : int, default 0
        Seed of the weights and inputs.
    n_series : int, optional
        Profile the EcoScale network ``EcoScaleClassifier()``'s default builds
        for this many training series (its widths, strides and ensemble
        size). Default: the authors' full-width single network.
    budget_s : float, default 20
        Rough time cap of one (model, batch, threads) cell.

    Returns
    -------
    pandas.DataFrame
        One row per (model, batch size, threads) with the columns
        ``model, batch_size, threads, params, train_gflops_per_series,
        step_s, steps_timed, series_s, achieved_gflop_s, ceiling_fraction``.
        ``train_gflops_per_series`` counts forward and backward;
        ``achieved_gflop_s = train_gflops_per_series x series_s``;
        ``ceiling_fraction`` divides it by the fp32 matmul rate measured in
        the same run at the same thread count (``df.attrs["matmul_gflop_s"]``,
        keyed by threads).

    Examples
    --------
    >>> from sktime_ecoscale.profiling import profile_training
    >>> df = profile_training(shape=(2, 64), n_classes=3, models=("ecoscale",),
    ...                       batch_sizes=(4,), threads=(1,), steps=2)
    >>> df[["model", "batch_size", "threads"]].values.tolist()
    [['ecoscale', 4, 1]]
    >>> bool(df["series_s"].iloc[0] > 0 and df["train_gflops_per_series"].iloc[0] > 0)
    True
    """
    n_channels, seq_len = (int(s) for s in shape)
    unknown = [m for m in models if m not in TRAIN_MODELS]
    if unknown:
        raise ValueError(f"Unknown models {unknown}; known: {list(TRAIN_MODELS)}.")
    ceilings = {t: matmul_gflops(threads=t) for t in threads}
    rows = []
    for name in models:
        torch.manual_seed(random_state)
        net, _ = build_model(name, n_channels, n_classes, seq_len, n_series)
        params = sum(p.numel() for p in net.parameters())
        gflops = training_step_flops(net, torch.zeros(1, n_channels, seq_len), n_classes) / 1e9
        initial = {k: v.clone() for k, v in net.state_dict().items()}
        for batch in batch_sizes:
            generator = torch.Generator().manual_seed(random_state)
            x = torch.randn(batch, n_channels, seq_len, generator=generator)
            y = torch.randint(0, n_classes, (batch,), generator=generator)
            for t in threads:
                net.load_state_dict(initial)  # every cell starts from the same weights
                with _num_threads(t):
                    step_s, timed = _time_steps(net, x, y, budget_s, steps)
                rate = batch / step_s
                rows.append(
                    {
                        "model": name,
                        "batch_size": batch,
                        "threads": t,
                        "params": params,
                        "train_gflops_per_series": gflops,
                        "step_s": step_s,
                        "steps_timed": timed,
                        "series_s": rate,
                        "achieved_gflop_s": gflops * rate,
                        "ceiling_fraction": gflops * rate / ceilings[t],
                    }
                )
    df = pd.DataFrame(rows, columns=TRAIN_COLUMNS)
    df.attrs.update(
        shape=[n_channels, seq_len],
        n_classes=n_classes,
        n_series=n_series,
        matmul_gflop_s={int(t): c for t, c in ceilings.items()},
        torch=torch.__version__,
    )
    return df


def _fit_seconds(make, X, y) -> float:
    start = time.perf_counter()
    make().fit(X, y)
    return time.perf_counter() - start


def fit_cost(
    n_series: int = 256,
    shape: Sequence[int] = (12, 1000),
    n_classes: int = 5,
    epochs: tuple[int, int] = (1, 3),
    threads: int = 2,
    batch_size: int = 32,
    random_state: int = 0,
    models: Sequence[str] = ("ecoscale", "ecoscale-1", "inceptiontime"),
) -> pd.DataFrame:
    """Marginal fit seconds per series and epoch of the classifiers, from whole fits.

    Each classifier is fitted once for one epoch (untimed warm-up), then on
    the same random data at ``epochs[0]`` and ``epochs[1]`` epochs; ``(t1 - t0) / (n_series * (e1 - e0))`` is the cost
    of one more series-epoch, what a longer fit, a grid search or more seeds
    pay for.

    Parameters
    ----------
    n_series : int, default 256
        Training series.
    shape : (int, int), default (12, 1000)
        ``(n_channels, seq_len)``.
    n_classes : int, default 5
        Classes of the random labels.
    epochs : (int, int), default (1, 3)
        The two epoch counts.
    threads : int, default 2
        torch intra-op threads.
    batch_size : int, default 32
        Series per optimiser step, every model.
    random_state : int, default 0
        Seed of the data and of every classifier.
    models : sequence of str
        ``"ecoscale"``: ``EcoScaleClassifier()`` with its defaults for this
        data (ensemble, augmentation, batch-norm recalibration included) but
        the given batch size and epochs; ``"ecoscale-1"``: the same with one
        network (``n_networks=1``); ``"inceptiontime"``: sktime's
        ``InceptionTimeClassifierTorch`` with its defaults but the given
        batch size and epochs.

    Returns
    -------
    pandas.DataFrame
        One row per model: ``model, fit_s_low, fit_s_high, s_per_series_epoch,
        series_epochs_s`` (NaN where the longer fit was not slower: too
        little data for the timing noise).

    Examples
    --------
    >>> from sktime_ecoscale.profiling import fit_cost
    >>> df = fit_cost(n_series=16, shape=(2, 64), n_classes=2, epochs=(1, 2),
    ...               threads=1, batch_size=8, models=("ecoscale-1",))
    >>> list(df["model"]), bool(df["fit_s_high"].iloc[0] > 0)
    (['ecoscale-1'], True)
    """
    n_channels, seq_len = (int(s) for s in shape)
    rng = np.random.default_rng(random_state)
    X = rng.standard_normal((n_series, n_channels, seq_len)).astype(np.float32)
    y = np.array([f"c{i % n_classes}" for i in range(n_series)])

    def factory(name: str, n_epochs: int):
        if name.startswith("ecoscale"):
            from sktime_ecoscale.classification import EcoScaleClassifier

            extra = {"n_networks": 1} if name == "ecoscale-1" else {}
            return lambda: EcoScaleClassifier(
                max_epochs=n_epochs, batch_size=batch_size, random_state=random_state, **extra
            )
        if name == "inceptiontime":
            from sktime.classification.deep_learning import InceptionTimeClassifierTorch

            return lambda: InceptionTimeClassifierTorch(
                num_epochs=n_epochs, batch_size=batch_size, random_state=random_state
            )
        raise ValueError(f"Unknown model {name!r}; known: ecoscale, ecoscale-1, inceptiontime.")

    low, high = (int(e) for e in epochs)
    if not 1 <= low < high:
        raise ValueError(f"epochs must be two increasing positive counts, got {epochs!r}.")
    rows = []
    with _num_threads(threads):
        for name in models:
            # untimed warm-up, one epoch on the same data (the budget resolves the
            # same network): imports, allocator, oneDNN primitive caches
            _fit_seconds(factory(name, 1), X, y)
            t_low = _fit_seconds(factory(name, low), X, y)
            t_high = _fit_seconds(factory(name, high), X, y)
            # no marginal cost to report where noise outweighs the extra epochs
            per = (t_high - t_low) / (n_series * (high - low)) if t_high > t_low else np.nan
            rows.append(
                {
                    "model": name,
                    "fit_s_low": t_low,
                    "fit_s_high": t_high,
                    "s_per_series_epoch": per,
                    "series_epochs_s": 1.0 / per,
                }
            )
    df = pd.DataFrame(rows)
    df.attrs.update(
        n_series=n_series, shape=[n_channels, seq_len], epochs=[low, high], threads=threads
    )
    return df
