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
    from sktime_ecoscale.profiling import MODELS

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
    parser.add_argument("--batch-size", type=int, default=64, help="throughput batch (default 64)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    parser.add_argument(
        "--repeats", type=int, default=10, help="timed repeats, median (default 10)"
    )
    parser.add_argument(
        "--models", default=",".join(MODELS), help="comma-separated subset of " + ",".join(MODELS)
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
        "--json", default=None, metavar="PATH", help="also write the results as JSON"
    )
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the profiler, print the table, optionally write JSON."""
    import json

    from sktime_ecoscale.profiling import profile, to_markdown

    models = tuple(m.strip() for m in args.models.split(",") if m.strip())
    df = profile(
        shape=args.shape,
        n_classes=args.classes,
        models=models,
        batch_size=args.batch_size,
        threads=args.threads,
        repeats=args.repeats,
        n_series=args.n_series,
    )
    print(to_markdown(df))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"settings": df.attrs, "results": df.to_dict(orient="records")}, fh, indent=2)
        print(f"\nwritten: {args.json}")
    return 0
