"""``ecoscale explain``: attributions of a saved model for some records, as PNG and .npy.

The model is read with the safe loader and the data set lazily, exactly as
``ecoscale predict`` does (its functions are reused); only the records named
by ``--records`` are read. For each record the command writes
``<record>.png`` (the ECG on paper, the attribution as a heat band, the
predicted labels with their probabilities in the title) and ``<record>.npy``
(the attribution, float32 ``(n_channels, n_timepoints)``, aligned with the raw
record).
"""

from __future__ import annotations

__all__ = ["add_parser", "run", "select_records"]

import argparse
from pathlib import Path

import numpy as np

from sktime_ecoscale.cli._predict import _record_ids
from sktime_ecoscale.cli._train import add_data_arguments


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``explain`` subcommand."""
    parser = subparsers.add_parser(
        "explain",
        help="explain a saved model's predictions for some records (PNG + .npy per record)",
        description=(
            "Load MODEL_DIR, read the records named by --records from the data set, attribute "
            "the predicted (or --target) label to every lead and sample, and write OUT/<record>.png "
            "(the ECG on paper with the attribution as a heat band) and OUT/<record>.npy."
        ),
    )
    parser.add_argument(
        "--model",
        required=True,
        metavar="MODEL_DIR",
        help="saved model folder or .zip, or pretrained:NAME (a bundled starter model)",
    )
    add_data_arguments(parser, "reader option, repeatable (as in `ecoscale train`)")
    parser.add_argument(
        "--records",
        required=True,
        metavar="ID,...",
        help="record identifiers (ecg_id, exam_id, record name, else position)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (created)")
    parser.add_argument(
        "--method", default=None, help="occlusion (default), gradcam or integrated_gradients"
    )
    parser.add_argument(
        "--window",
        type=int,
        default=None,
        help="occlusion's window, or integrated gradients' averaging window, in samples "
        "(1: the raw map)",
    )
    parser.add_argument(
        "--n-steps",
        type=int,
        default=None,
        help="integration steps of integrated_gradients (default 16 per copy) or gradcam "
        "(default 8)",
    )
    parser.add_argument(
        "--samples",
        type=int,
        default=None,
        help="noisy copies averaged by integrated_gradients (default 8; 1: plain)",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="label to explain for every record (default: each record's predicted one)",
    )
    parser.add_argument(
        "--fs",
        type=float,
        default=None,
        help="sampling frequency in Hz for the plot (default: the data set's, else 100)",
    )
    parser.add_argument(
        "--device", default=None, help="cpu, cuda or cuda:N (default: as saved, else cpu)"
    )
    parser.set_defaults(run=run)
    return parser


def select_records(dataset, records: str) -> list[tuple[str, int]]:
    """Positions in ``dataset`` of the comma-separated record identifiers ``records``.

    Parameters
    ----------
    dataset : protocol data set
        Its ``ecg_ids``, ``exam_ids`` or ``record_names`` identify records;
        without them, positions do.
    records : str
        Comma-separated identifiers, e.g. ``"9,12"``.

    Returns
    -------
    list of (str, int)
        ``(identifier, position)`` in the order given.

    Raises
    ------
    SystemExit
        If an identifier is not in the data set.

    Examples
    --------
    >>> from sktime_ecoscale.datasets import ArrayDataset
    >>> import numpy as np
    >>> select_records(ArrayDataset(np.zeros((3, 1, 4))), "2,0")
    [('2', 2), ('0', 0)]
    """
    ids = [str(i) for i in _record_ids(dataset)]
    where = {record: k for k, record in enumerate(ids)}
    wanted = [r.strip() for r in records.split(",") if r.strip()]
    missing = [r for r in wanted if r not in where]
    if missing or not wanted:
        raise SystemExit(
            f"ecoscale explain: records {missing or records!r} are not in the data set "
            f"(its first identifiers: {', '.join(ids[:5])})."
        )
    return [(r, where[r]) for r in wanted]


def _label_text(label) -> str:
    return "=".join(str(v) for v in label) if isinstance(label, tuple) else str(label)


def _safe_name(record: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in record)


def run(args: argparse.Namespace) -> int:
    """Load the model, explain the records, write one PNG and one .npy per record."""
    from sktime_ecoscale.classification._persistence import load_model
    from sktime_ecoscale.datasets import open_dataset
    from sktime_ecoscale.explain import DEFAULT_METHOD, explain, target_labels, target_probabilities
    from sktime_ecoscale.plotting import plot_ecg

    clf = load_model(args.model, device=args.device)
    dataset = open_dataset(args.data, **dict(args.data_option))
    if dataset.n_channels != clf.n_channels_:
        raise SystemExit(
            f"ecoscale explain: the data have {dataset.n_channels} leads but the model was "
            f"trained on {clf.n_channels_}; use data with the same leads."
        )
    chosen = select_records(dataset, args.records)
    signals = [np.asarray(dataset.raw(i), dtype=np.float32) for _, i in chosen]
    labels = target_labels(clf)
    probabilities = np.concatenate([target_probabilities(clf, [s]) for s in signals])
    if args.target is None:
        explained = [labels[k] for k in np.argmax(probabilities, axis=1)]
    else:
        explained = [args.target] * len(signals)
    method = args.method or DEFAULT_METHOD
    try:
        attributions = explain(
            clf,
            signals,
            target=explained,
            method=method,
            n_steps=args.n_steps,
            window=args.window,
            samples=args.samples,
        )
    except ValueError as err:  # an unknown method, or an option it does not take
        raise SystemExit(f"ecoscale explain: {err}") from None
    fs = args.fs or getattr(dataset, "fs", None) or 100.0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for (record, _), signal, attribution, proba, label in zip(
        chosen, signals, attributions, probabilities, explained
    ):
        name = _safe_name(record)
        np.save(out / f"{name}.npy", np.asarray(attribution, dtype=np.float32))
        fig = plot_ecg(
            signal,
            attribution,
            fs=fs,
            title=f"record {record} ({method})",
            probabilities={_label_text(k): float(p) for k, p in zip(labels, proba)},
            attribution_label=_label_text(label),
        )
        fig.savefig(out / f"{name}.png")
    print(f"explained {len(chosen)} records with {type(clf).__name__} ({method}); written to {out}")
    return 0
