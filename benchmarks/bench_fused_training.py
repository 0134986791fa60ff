"""A/B of the omni-scale layers in training: one convolution per kernel size against one in all.

``OmniScaleLayer.forward_combined`` runs its kernels as one convolution whose
weight pads each kernel to the largest size (``combined_weight``);
``forward_parallel`` runs one convolution per kernel size; the layer's
``single_convolution`` flag picks one (OS-CNN the first, EcoScale-Net the second)
and is what this benchmark switches. Both give the same outputs and gradients
(tests/test_inference.py). Here both train the same network on the same batch
in one process, alternated round by round so that machine load falls on both
alike; the figure is the ratio of the median training-step times. EcoScale-Net
is built as the default rule builds it for the shape and number of series
(``training_budget``); ``--network omniscale`` times the OS-CNN baseline::

    .venv/bin/python benchmarks/bench_fused_training.py --shape 1x82 --n-series 23 --threads 1
    .venv/bin/python benchmarks/bench_fused_training.py --shape 12x1000 --n-series 353
    .venv/bin/python benchmarks/bench_fused_training.py --network omniscale --shape 12x1000 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(__file__))
from _ab import alternate, summary  # noqa: E402


def build(network: str, channels: int, length: int, n_series: int):
    """The network and batch size the default rule gives this data."""
    from sktime_ecoscale.classification import training_budget
    from sktime_ecoscale.networks import EcoScaleNet, OmniScaleNet

    budget = training_budget(n_series, channels, length, 2)
    if network == "omniscale":
        return OmniScaleNet(channels, 2, length), min(16, n_series)
    net = EcoScaleNet(
        channels,
        2,
        seq_len=length,
        widths=budget.widths,
        strides=budget.strides,
        kernel_span=budget.kernel_span,
        dropout=budget.dropout,
    )
    return net, budget.batch_size


def main(argv=None) -> dict:
    from sktime_ecoscale.networks import OmniScaleLayer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", choices=["ecoscale", "omniscale"], default="ecoscale")
    parser.add_argument("--shape", default="12x1000", help="CHANNELSxLENGTH")
    parser.add_argument("--n-series", type=int, default=353, help="training series (the rule)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--steps", type=int, default=5, help="steps timed per round")
    parser.add_argument(
        "--backend",
        choices=["auto", "onednn", "aten"],
        default="auto",
        help="convolutions: as the classifier's rule picks them for this data (auto), or forced",
    )
    args = parser.parse_args(argv)
    channels, length = (int(v) for v in args.shape.split("x"))
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net, batch_size = build(args.network, channels, length, args.n_series)
    backend = args.backend
    if backend == "auto":
        from sktime_ecoscale.classification._training import SMALL_NETWORK

        widths = [m.out_channels for m in net.modules() if isinstance(m, nn.Conv1d)]
        small = (
            args.network == "ecoscale"
            and max(widths) <= SMALL_NETWORK["width"]
            and batch_size <= SMALL_NETWORK["batch_size"]
            and batch_size * length <= SMALL_NETWORK["batch_x_length"]
        )
        backend = "aten" if small else "onednn"
    torch.backends.mkldnn.enabled = backend == "onednn"
    layers = [m for m in net.modules() if isinstance(m, OmniScaleLayer)]
    x = torch.randn(batch_size, channels, length)
    y = torch.randint(0, 2, (batch_size,))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    def single_convolution(on: bool):
        def switch():
            for layer in layers:
                layer.single_convolution = on

        return switch

    variants = {
        "one per kernel size": single_convolution(False),
        "one in all": single_convolution(True),
    }
    times = alternate(variants, step, args.rounds, args.steps)
    result = {
        "network": args.network,
        "shape": args.shape,
        "n_series": args.n_series,
        "batch_size": batch_size,
        "threads": args.threads,
        "convolutions": backend,
        **summary(times),
    }
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    main()
