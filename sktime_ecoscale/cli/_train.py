"""``ecoscale train``: fit a classifier on a data set spec, out of core, and save it.

The data set is opened lazily (:func:`sktime_ecoscale.datasets.open_dataset`)
and read batch by batch, so a data set larger than memory trains on one
machine; the model is written in the safe native format
(:func:`sktime_ecoscale.classification.save_model`), which ``ecoscale
predict`` and :meth:`EcoScaleClassifier.load_model` read.
"""

from __future__ import annotations

__all__ = ["add_parser", "run", "data_option"]

import argparse

#: ``--model`` choices -> estimator class name.
MODELS = {"ecoscale": "EcoScaleClassifier", "omniscale": "OmniScaleClassifier"}


def _widths(text: str) -> tuple[int, ...]:
    """Parse ``32,64,128,256`` into a tuple of four positive ints."""
    try:
        widths = tuple(int(w) for w in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"widths must look like 32,64,128,256, got {text!r}"
        ) from None
    if len(widths) != 4 or min(widths) < 1:
        raise argparse.ArgumentTypeError(f"widths needs four positive integers, got {text!r}")
    return widths


def data_option(text: str) -> tuple[str, object]:
    """Parse ``KEY=VALUE`` (VALUE as JSON where it parses, else a string) for open_dataset.

    Examples
    --------
    >>> data_option("folds=[9, 10]"), data_option("target=norm")
    (('folds', [9, 10]), ('target', 'norm'))
    """
    import json

    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise argparse.ArgumentTypeError(f"data options look like sampling_rate=500, got {text!r}")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def add_data_arguments(parser: argparse.ArgumentParser, option_help: str) -> None:
    """Add ``--data SPEC`` and the repeatable ``--data-option KEY=VALUE`` (train, predict, explain)."""
    parser.add_argument(
        "--data",
        required=True,
        metavar="SPEC",
        help="code15:PATH, ptbxl:PATH, challenge:PATH or ts:PATH",
    )
    parser.add_argument(
        "--data-option",
        type=data_option,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=option_help,
    )


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``train`` subcommand."""
    parser = subparsers.add_parser(
        "train",
        help="train a classifier on an ECG data set and save the model",
        description=(
            "Train EcoScale-Net (or OS-CNN) on a data set read lazily, batch by batch, and save "
            "it as MODEL_DIR (safetensors weights + config.json) for `ecoscale predict` or "
            "EcoScaleClassifier.load_model."
        ),
    )
    add_data_arguments(parser, "reader option, repeatable (e.g. sampling_rate=500, folds=[1,2])")
    parser.add_argument(
        "--out", required=True, metavar="MODEL_DIR", help="folder to save the model in"
    )
    parser.add_argument(
        "--model", choices=sorted(MODELS), default="ecoscale", help="default ecoscale"
    )
    # hyperparameters default to None: the estimator's own defaults apply (one place)
    parser.add_argument("--max-epochs", type=int, default=None, help="(estimator default)")
    parser.add_argument("--batch-size", type=int, default=None, help="(estimator default)")
    parser.add_argument(
        "--lr", type=float, default=None, help="peak learning rate (estimator default)"
    )
    parser.add_argument(
        "--valid-size",
        type=float,
        default=None,
        help="fraction held out for early stopping (estimator default; 0.05 suits large data sets)",
    )
    parser.add_argument(
        "--patience", type=int, default=None, help="early-stopping patience (estimator default)"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N (default auto)")
    parser.add_argument("--random-state", type=int, default=0, help="seed (default 0)")
    parser.add_argument(
        "--checkpoint-dir",
        default=None,
        help="save the training state every epoch; rerun to resume",
    )
    parser.add_argument(
        "--distributed",
        action="store_true",
        help="data-parallel over the processes of torchrun / accelerate launch; "
        "--batch-size is per process (see docs/distributed.md)",
    )
    parser.add_argument(
        "--mixed-precision",
        choices=["no", "bf16", "fp16"],
        default="no",
        help="autocast precision on GPU (default no; CPU trains in float32)",
    )
    parser.add_argument(
        "--widths",
        type=_widths,
        default=None,
        help="EcoScale stage widths, e.g. 32,64,128,256 (default)",
    )
    parser.add_argument(
        "--networks",
        type=int,
        default=None,
        metavar="N",
        help="networks trained side by side and averaged (estimator default: the "
        "training-budget rule, 3 up to 1,000 series, else 1)",
    )
    parser.add_argument(
        "--decision-threshold",
        type=_decision_threshold,
        default=None,
        metavar="RULE",
        help="f1, fbeta or a float in (0, 1): per-class thresholds "
        "learned in fit (default: argmax / 0.5)",
    )
    parser.add_argument(
        "--init-model",
        default=None,
        metavar="MODEL_DIR",
        help="fine-tune: start from the backbone of this saved model, or of a bundled starter "
        "model (pretrained:ptbxl-superclass-100hz); a new head for the new labels",
    )
    parser.add_argument(
        "--freeze-epochs",
        type=int,
        default=None,
        help="with --init-model: epochs that train the head only",
    )
    parser.add_argument(
        "--backbone-lr-scale",
        type=float,
        default=None,
        help="with --init-model: the backbone's learning rate as a fraction of --lr",
    )
    parser.add_argument(
        "--verbose", type=int, default=1, help="0 silent, 1 epoch table (default), 2 bars"
    )
    parser.set_defaults(run=run)
    return parser


def _decision_threshold(text: str):
    """``f1`` / ``fbeta`` as they are, anything else as a float (the estimator checks the range)."""
    if text in ("f1", "fbeta"):
        return text
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected f1, fbeta or a number, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    """Open the data, fit, save; print a one-line summary."""
    import numpy as np

    from sktime_ecoscale import classification
    from sktime_ecoscale.datasets import open_dataset
    from sktime_ecoscale.utils import split_indices

    dataset = open_dataset(args.data, **dict(args.data_option))
    params = {
        "device": args.device,
        "random_state": args.random_state,
        "checkpoint_dir": args.checkpoint_dir,
        "verbose": args.verbose,
        "distributed": args.distributed,
        "mixed_precision": args.mixed_precision,
    }
    optional = {
        "max_epochs": args.max_epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "valid_size": args.valid_size,
        "patience": args.patience,
        "decision_threshold": args.decision_threshold,
        "init_model": args.init_model,
        "freeze_epochs": args.freeze_epochs,
        "backbone_lr_scale": args.backbone_lr_scale,
    }
    params.update({k: v for k, v in optional.items() if v is not None})
    for flag, name, value in (
        ("--widths", "widths", args.widths),
        ("--networks", "n_networks", args.networks),
    ):
        if value is not None:
            if args.model != "ecoscale":
                raise SystemExit(f"ecoscale train: {flag} applies to --model ecoscale only")
            params[name] = value
    clf = getattr(classification, MODELS[args.model])(**params)
    try:
        # fit_dataset holds out valid_size by the split rule of fit: one rule, one place
        clf.fit_dataset(dataset)
        if classification.is_main_process():  # identical weights on every rank
            path = clf.save_model(args.out)
    finally:
        # every rank waits for rank 0's save, then the group closes (no rank exits first)
        classification.close_process_group()
    if not classification.is_main_process():
        return 0
    _, valid = split_indices(np.asarray(dataset.labels()), clf.valid_size, clf._seed())
    n_valid = 0 if valid is None else len(valid)
    print(
        f"trained {type(clf).__name__} on {len(dataset) - n_valid} records "
        f"({n_valid} held out), {len(clf.history_)} epochs; saved to {path}"
    )
    return 0
