"""``ecoscale predict``: per-record probabilities and labels from a saved model, as CSV.

The model is read with the safe loader (no unpickling); the data set is read
lazily in chunks, so memory stays bounded by one chunk whatever its size.
"""

from __future__ import annotations

__all__ = ["add_parser", "run", "predict_dataset"]

import argparse

import numpy as np
import pandas as pd

from sktime_ecoscale.cli._train import add_data_arguments


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``predict`` subcommand."""
    parser = subparsers.add_parser(
        "predict",
        help="predict with a saved model and write per-record probabilities and labels",
        description=(
            "Load MODEL_DIR (written by `ecoscale train` or save_model), predict every record "
            "of the data set and write a CSV: one row per record, a `record` column, one "
            "probability column per class (p_<output>[_<class>]) and the predicted label(s)."
        ),
    )
    parser.add_argument(
        "--model",
        required=True,
        metavar="MODEL_DIR",
        help="saved model folder or .zip, or pretrained:NAME (a bundled starter model)",
    )
    add_data_arguments(parser, "reader option, repeatable (as in `ecoscale train`)")
    parser.add_argument("--out", required=True, metavar="CSV", help="output file")
    parser.add_argument(
        "--device", default=None, help="cpu, cuda or cuda:N (default: as saved, else cpu)"
    )
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=1024,
        help="records read into memory at a time (default 1024)",
    )
    parser.add_argument(
        "--report",
        default=None,
        metavar="MD",
        help="also score the predictions against the data set's labels: per-class "
        "AUROC, AUPRC and F1 with 95%% bootstrap intervals, the thresholds used "
        "and the Challenge score, as Markdown",
    )
    parser.set_defaults(run=run)
    return parser


def _record_ids(dataset) -> np.ndarray:
    """Record identifiers where the data set has them, else positions."""
    for name in ("exam_ids", "ecg_ids", "record_names"):
        ids = getattr(dataset, name, None)
        if ids is not None and len(ids) == len(dataset):
            return np.asarray(ids)
    return np.arange(len(dataset))


def predict_dataset(clf, dataset, chunk_size: int = 1024) -> pd.DataFrame:
    """Probabilities and labels for every item of a protocol data set, chunk by chunk.

    Each record goes through the predict-time rule of ``predict``: resampled
    to the model's ``fs_`` where the data set's ``fs`` differs, its leads put in
    the fitted order by name where both are named (a lead the data set lacks
    is a missing lead), then the input rule the model was trained with (scaled
    by ``clf.input_scaling_``, padded at the end or cropped to the data set's
    ``seq_len`` at the model's rate), exactly as ``predict_proba`` does for an
    in-memory panel of the same records. Records are read ``clf.predict_batch_size``
    at a time.

    Parameters
    ----------
    clf : fitted EcoScaleClassifier or OmniScaleClassifier
    dataset : protocol data set (see :mod:`sktime_ecoscale.datasets`)
    chunk_size : int, default 1024
        Records whose probabilities are computed (and kept) at a time; the
        network itself reads ``clf.predict_batch_size`` records at a time.

    Returns
    -------
    pd.DataFrame
        Columns ``record``, then ``p_<class>`` (single output) or
        ``p_<output>`` for 0/1 outputs and ``p_<output>_<class>`` otherwise,
        then ``label`` (single output) or one label column per output.
    """
    from sktime_ecoscale.classification._data import network_logits, serve_series
    from sktime_ecoscale.classification._decision import decide
    from sktime_ecoscale.datasets import ArrayDataset, DatasetView
    from sktime_ecoscale.utils import resampled_length

    enc = clf.target_encoder_
    reader = DatasetView(dataset)  # raw signals, whatever the data set's own padding
    leads, rate = getattr(dataset, "leads", None), getattr(dataset, "fs", None)
    fitted_rate = getattr(clf, "fs_", None)
    seq_len = dataset.seq_len  # the data set's length, at the model's rate
    if rate and fitted_rate and rate != fitted_rate:
        seq_len = resampled_length(seq_len, rate, fitted_rate)

    def logits_of(positions: np.ndarray) -> np.ndarray:
        # the predict-time rule of every path: the model's rate and lead order, checked
        series = serve_series(
            clf, [reader.raw(int(j)) for j in positions], leads, rate, "ecoscale predict"
        )
        view = ArrayDataset(series, seq_len=seq_len).view(scaling=clf.input_scaling_)
        return network_logits(clf, view)

    frames = []
    for start in range(0, len(dataset), chunk_size):
        positions = np.arange(start, min(start + chunk_size, len(dataset)))
        # raw records are read one network batch at a time: memory stays bounded
        step = max(1, int(clf.predict_batch_size))
        logits = np.concatenate(
            [logits_of(positions[i : i + step]) for i in range(0, len(positions), step)]
        )
        bad = positions[~np.isfinite(logits).all(axis=1)]
        if len(bad):
            raise ValueError(
                f"records at positions {bad[:5].tolist()} of the data set give non-finite "
                "outputs: their signals hold NaN or inf; repair or drop them."
            )
        blocks = enc.probabilities(logits, getattr(clf, "temperatures_", None))
        # the estimator's own decision rule, its fitted thresholds included
        labels = decide(enc, blocks, getattr(clf, "decision_thresholds_", None))
        columns = {}
        if not enc.multioutput:
            for k, c in enumerate(enc.classes[0]):
                columns[f"p_{c}"] = blocks[0][:, k]
            columns["label"] = labels
        else:
            for name, block, classes, binary in zip(enc.names, blocks, enc.classes, enc.binary):
                if binary:
                    columns[f"p_{name}"] = block[:, 1]
                else:
                    for k, c in enumerate(classes):
                        columns[f"p_{name}_{c}"] = block[:, k]
            for name in enc.names:
                columns[name] = labels[name].to_numpy()
        frames.append(pd.DataFrame(columns))
    out = pd.concat(frames, ignore_index=True)
    out.insert(0, "record", _record_ids(dataset))
    return out


def run(args: argparse.Namespace) -> int:
    """Load the model, predict the data set, write the CSV."""
    from sktime_ecoscale.classification._persistence import load_model
    from sktime_ecoscale.datasets import open_dataset

    clf = load_model(args.model, device=args.device)
    dataset = open_dataset(args.data, **dict(args.data_option))
    from sktime_ecoscale.utils import align_leads

    leads, fitted = getattr(dataset, "leads", None), getattr(clf, "leads_", None)
    if leads and fitted:  # both named: any subset of the training leads, in any order
        try:  # predict's lead rule, checked before any record is read
            align_leads([], leads, fitted, where="ecoscale predict")
        except ValueError as err:
            raise SystemExit(str(err)) from None
    elif dataset.n_channels != clf.n_channels_:
        raise SystemExit(
            f"ecoscale predict: the data have {dataset.n_channels} leads but the model was "
            f"trained on {clf.n_channels_}; use data with the same leads (named leads, "
            "where both the model and the data name them, may be a subset)."
        )
    table = predict_dataset(clf, dataset, chunk_size=args.chunk_size)
    table.to_csv(args.out, index=False)
    print(f"predicted {len(table)} records with {type(clf).__name__}; written: {args.out}")
    if args.report:
        from pathlib import Path

        from sktime_ecoscale.cli._evaluate import evaluation_report

        Path(args.report).write_text(evaluation_report(clf, dataset, table))
        print(f"evaluation report written: {args.report}")
    return 0
