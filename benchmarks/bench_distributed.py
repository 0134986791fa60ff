"""Throughput of data-parallel training: 1 process vs N processes (torchrun, gloo/NCCL).

Trains EcoScaleClassifier on a synthetic 12-lead panel with the same
effective batch in every configuration (per-process batch = batch / N) and
reports training samples/s as the median over epochs after the first
(warm-up). Run from the repository root::

    .venv/bin/python benchmarks/bench_distributed.py            # 1 vs 2 processes, CPU
    .venv/bin/python benchmarks/bench_distributed.py --device cuda --procs 1 2 4 8

``--worker`` is the per-process entry point used under torchrun.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile


def _fit(args, n_procs: int) -> list[float]:
    import numpy as np

    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.datasets import ArrayDataset

    rng = np.random.default_rng(0)
    X = rng.normal(size=(args.series, 12, args.length)).astype(np.float32)
    y = np.array(["a", "b"] * (args.series // 2))
    clf = EcoScaleClassifier(
        widths=tuple(args.widths),
        max_epochs=args.epochs,
        batch_size=args.batch // n_procs,
        augment=False,
        device=args.device,
        random_state=0,
        distributed=n_procs > 1,
        mixed_precision=args.mixed_precision,
    ).fit_dataset(ArrayDataset(X, y))
    return [args.series / row["dur"] for row in clf.history_[1:]]  # epoch 1 is warm-up


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--series", type=int, default=256, help="training series (default 256)")
    parser.add_argument("--length", type=int, default=2048, help="samples per lead (default 2048)")
    parser.add_argument("--widths", type=int, nargs=4, default=[16, 32, 64, 128])
    parser.add_argument("--batch", type=int, default=32, help="effective batch (default 32)")
    parser.add_argument("--epochs", type=int, default=4, help="default 4 (first is warm-up)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--mixed-precision", default="no")
    parser.add_argument("--worker", metavar="OUT_JSON", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:  # one process of a torchrun job
        import torch.distributed as dist

        rates = _fit(args, dist.get_world_size() if dist.is_initialized() else 1)
        if int(os.environ.get("RANK", "0")) == 0:
            with open(args.worker, "w") as f:
                json.dump(rates, f)
        return 0

    import torch

    print(
        f"torch {torch.__version__}, {os.cpu_count()} CPU cores, device={args.device}, "
        f"series={args.series}, length={args.length}, widths={args.widths}, effective batch={args.batch}"
    )
    print(f"{'processes':>9} {'threads/proc':>12} {'samples/s (median)':>19} {'per epoch':>s}")
    for n_procs in args.procs:
        for threads in [torch.get_num_threads(), 1] if n_procs == 1 else [None]:
            out = tempfile.mktemp(suffix=".json")
            forwarded = _drop_option(sys.argv[1:] if argv is None else argv, "--procs")
            script = [os.path.abspath(__file__), *forwarded, "--worker", out]
            env = dict(os.environ)
            if n_procs == 1:
                env["OMP_NUM_THREADS"] = str(threads)
                cmd = [sys.executable, *script]
            else:  # torchrun gives each process OMP_NUM_THREADS=1 unless set
                cmd = [
                    sys.executable,
                    "-m",
                    "torch.distributed.run",
                    "--standalone",
                    "--nproc_per_node",
                    str(n_procs),
                    *script,
                ]
            subprocess.run(cmd, check=True, env=env, capture_output=True, text=True)
            with open(out) as f:
                rates = json.load(f)
            os.unlink(out)
            shown = threads if threads is not None else int(env.get("OMP_NUM_THREADS", 1))
            print(
                f"{n_procs:>9} {shown:>12} {statistics.median(rates):>19.1f}   "
                + " ".join(f"{r:.1f}" for r in rates)
            )
    return 0


def _drop_option(argv: list[str], name: str) -> list[str]:
    """``argv`` without ``name`` and its values (the parent's choice of process counts)."""
    out, skipping = [], False
    for arg in argv:
        if arg == name:
            skipping = True
            continue
        if skipping and not arg.startswith("--"):
            continue
        skipping = False
        out.append(arg)
    return out


if __name__ == "__main__":
    sys.exit(main())
