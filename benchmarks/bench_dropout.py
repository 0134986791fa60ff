"""A/B of the dropout layer inside one EcoScale training step: ``nn.Dropout`` against ``ByteDropout``.

Both variants run in one process on the same network, batch and optimiser,
alternated round by round so that machine load falls on both alike; the
figure is the ratio of the median step times (docs/performance.md)::

    .venv/bin/python benchmarks/bench_dropout.py --shape 12x1000 --batch-size 32 --threads 1
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


def swap_dropout(module: nn.Module, cls: type) -> None:
    """Replace every dropout layer of ``module`` by ``cls(p)`` in place."""
    for name, child in module.named_children():
        if isinstance(child, nn.Dropout):  # ByteDropout is one too
            setattr(module, name, cls(child.p))
        else:
            swap_dropout(child, cls)


def main(argv=None) -> dict:
    from sktime_ecoscale.networks import ByteDropout, EcoScaleNet

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="12x1000", help="CHANNELSxLENGTH")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--steps", type=int, default=3, help="steps timed per round")
    args = parser.parse_args(argv)
    channels, length = (int(v) for v in args.shape.split("x"))
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = EcoScaleNet(channels, 5, seq_len=length, dropout=args.dropout)
    x = torch.randn(args.batch_size, channels, length)
    y = torch.randint(0, 5, (args.batch_size,))
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, fused=True)

    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(net(x), y).backward()
        opt.step()

    variants = {
        "nn.Dropout": lambda: swap_dropout(net, nn.Dropout),
        "ByteDropout": lambda: swap_dropout(net, ByteDropout),
    }
    times = alternate(variants, step, args.rounds, args.steps)
    result = {
        "shape": args.shape,
        "batch_size": args.batch_size,
        "threads": args.threads,
        **summary(times),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
