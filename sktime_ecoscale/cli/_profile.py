"""``ecoscale profile``: parameters, FLOPs, latency, throughput and memory of the networks."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse


def _shape(text: str) -> tuple[int, int]:
    """Parse ``CxL`` (e.g. ``12x4096``) into ``(n_channels, seq_len)``."""
    try:
        channels, length = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"shape must look like 12x4096, got {text!r}") from None
    if channels < 1 or length < 1:
        raise argparse.ArgumentTypeError(f"shape must be positive, got {text!r}")
    return channels, length


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``profile`` subcommand."""
    from sktime_ecoscale.profiling import MODELS, TRAIN_MODELS

    parser = subparsers.add_parser(
        "profile",
        help="measure parameters, FLOPs, latency, throughput and memory of the networks",
        description=(
            "Profile EcoScaleNet (as trained, fused, ONNX), OS-CNN and sktime's InceptionTime "
            "on random input, next to this machine's fp32 matmul rate; print a markdown table."
        ),
    )
    parser.add_argument("--shape", type=_shape, default=(12, 4096), help="CxL (default 12x4096)")
    parser.add_argument("--classes", type=int, default=6, help="output classes (default 6)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=64,
        help="throughput batch (default 64; with --train see --batch-sizes)",
    )
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    parser.add_argument(
        "--repeats", type=int, default=10, help="timed repeats, median (default 10)"
    )
    parser.add_argument(
        "--models",
        default=None,
        help="comma-separated subset of "
        + ",".join(MODELS)
        + " (default: all; with --train: "
        + ",".join(TRAIN_MODELS)
        + ")",
    )
    parser.add_argument(
        "--n-series",
        type=int,
        default=None,
        metavar="N",
        help="profile the EcoScale network the default builds for N training series "
        "(widths, strides, ensemble size; default: the full-width single network)",
    )
    parser.add_argument(
        "--train",
        action="store_true",
        help="measure training instead: optimiser steps per second of "
        + ",".join(TRAIN_MODELS)
        + " at each --batch-sizes and --thread-counts (series/s, GFLOP/s of forward + backward)",
    )
    parser.add_argument(
        "--batch-sizes", default="32,128", help="with --train: batch sizes (default 32,128)"
    )
    parser.add_argument(
        "--thread-counts", default="1,2", help="with --train: thread counts (default 1,2)"
    )
    parser.add_argument(
        "--json", default=None, metavar="PATH", help="also write the results as JSON"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the profiler (or, with ``--train``, the training profiler); print the table."""
    from sktime_ecoscale.profiling import (
        MODELS,
        TRAIN_MODELS,
        profile,
        profile_training,
        to_markdown,
    )

    if args.models:
        models = tuple(m.strip() for m in args.models.split(",") if m.strip())
    else:
        models = TRAIN_MODELS if args.train else MODELS
    if args.train:
        unknown = [m for m in models if m not in TRAIN_MODELS]
        if unknown:
            raise SystemExit(f"--train measures {', '.join(TRAIN_MODELS)}; got {unknown}")
        df = profile_training(
            shape=args.shape,
            n_classes=args.classes,
            models=models,
            batch_sizes=_ints(args.batch_sizes, "--batch-sizes"),
            threads=_ints(args.thread_counts, "--thread-counts"),
            steps=args.repeats,
            n_series=args.n_series,
        )
        rates = ", ".join(f"{t} threads {r:.1f}" for t, r in df.attrs["matmul_gflop_s"].items())
        print(f"shape {df.attrs['shape']}; fp32 matmul GFLOP/s: {rates}\n")
        return _emit(df, to_markdown, args.json)
    df = profile(
        shape=args.shape,
        n_classes=args.classes,
        models=models,
        batch_size=args.batch_size,
        threads=args.threads,
        repeats=args.repeats,
        n_series=args.n_series,
    )
    return _emit(df, to_markdown, args.json)


def _ints(text: str, flag: str) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise SystemExit(f"{flag} takes comma-separated positive integers, got {text!r}") from None
    if not values or min(values) < 1:
        raise SystemExit(f"{flag} takes comma-separated positive integers, got {text!r}")
    return values


def _emit(df, to_markdown, json_path) -> int:
    """Print the table; write it as JSON too when asked."""
    import json

    print(to_markdown(df))
    if json_path:
        with open(json_path, "w") as fh:
            json.dump({"settings": df.attrs, "results": df.to_dict(orient="records")}, fh, indent=2)
        print(f"\nwritten: {json_path}")
    return 0
