"""``ecoscale benchmark``: EcoScale vs OS-CNN, MiniRocket and InceptionTime."""

from __future__ import annotations

__all__ = ["add_parser", "run"]

import argparse
import os


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``benchmark`` subcommand."""
    from sktime_ecoscale.benchmarking._data import SPLITS
    from sktime_ecoscale.benchmarking._models import MODEL_NAMES

    parser = subparsers.add_parser(
        "benchmark",
        help="benchmark EcoScale against OS-CNN, MiniRocket and InceptionTime",
        description=(
            "Fit and score every model on a suite of ECG tasks through sktime's "
            "ClassificationBenchmark; write results.csv, summary.csv, report.md and PNG figures "
            "into --out. A rerun with the same --out reuses finished fits."
        ),
    )
    parser.add_argument(
        "--data",
        default=None,
        help="comma-separated data sets: ptbxl:PATH, challenge:PATH, code15:PATH, ts:PATH, a "
        "folder, basic_motions, ptbxl-sample or a bundled UCR ECG set (ECG200, TwoLeadECG, "
        "AtrialFibrillation, StandWalkJump); default: the bundled PTB-XL sample and the four "
        "bundled UCR ECG sets",
    )
    parser.add_argument("--out", default="results/benchmark", help="output folder")
    parser.add_argument(
        "--task",
        default="auto",
        choices=["auto", "norm", "superclass"],
        help="PTB-XL task (auto: both)",
    )
    parser.add_argument(
        "--models",
        default=",".join(MODEL_NAMES),
        help="comma-separated subset of " + ",".join(MODEL_NAMES),
    )
    parser.add_argument("--seeds", type=int, default=1, help="seeds per model (0..N-1)")
    parser.add_argument("--inceptiontime-epochs", type=int, default=30)
    parser.add_argument(
        "--inceptiontime-seconds",
        type=float,
        default=30.0,
        help="no InceptionTime epoch starts after this many seconds of a fit (0: no cap)",
    )
    parser.add_argument(
        "--omniscale-seconds", type=float, default=45.0, help="wall-clock cap of one OS-CNN fit"
    )
    parser.add_argument(
        "--ecoscale-networks",
        type=int,
        default=1,
        help="EcoScale's n_networks (0: its own rule, three networks up to 1,000 series)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(4, os.cpu_count() or 1),
        help="worker processes fitting side by side (default: the cores, at most 4)",
    )
    parser.add_argument(
        "--full", action="store_true", help="every model with its own default budget (hours)"
    )
    parser.add_argument("--rerun", action="store_true", help="fit everything again")
    parser.add_argument(
        "--split",
        default="reference",
        choices=list(SPLITS),
        help="PTB-XL split: reference = folds 1-8 -> 9+10 (default), official = 1-9 -> 10",
    )
    parser.add_argument("--quick", action="store_true", help="2 epochs per deep model (smoke test)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run the benchmark and print the results table."""
    from sktime_ecoscale.benchmarking import run_benchmark
    from sktime_ecoscale.benchmarking._ranks import summarise_seeds
    from sktime_ecoscale.benchmarking._report import results_table

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    results = run_benchmark(
        data=args.data,
        out=args.out,
        task=args.task,
        models=models,
        seeds=args.seeds,
        inceptiontime_epochs=args.inceptiontime_epochs,
        inceptiontime_seconds=args.inceptiontime_seconds or None,
        omniscale_seconds=args.omniscale_seconds,
        ecoscale_networks=args.ecoscale_networks or None,
        n_jobs=max(1, args.jobs),
        full=args.full,
        rerun=args.rerun,
        progress=not args.no_progress,
        split=args.split,
        quick=args.quick,
    )
    print(results_table(summarise_seeds(results)))
    print(f"\nwritten: {args.out}/results.csv, report.md and figures")
    return 1 if results["error"].fillna("").astype(bool).all() else 0
