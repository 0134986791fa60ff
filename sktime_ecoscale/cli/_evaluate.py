"""``ecoscale predict --report``: the clinical table of a labelled data set's predictions.

Per class (label) and macro: AUROC, AUPRC and F1 at the model's own decision
thresholds, each with a 95 % bootstrap interval (:func:`~sktime_ecoscale.metrics.clinical_report`),
the thresholds used, and the PhysioNet/CinC Challenge score where the classes are scored
Challenge classes (SNOMED codes or their abbreviations).
"""

from __future__ import annotations

__all__ = ["evaluation_report"]

import numpy as np
import pandas as pd


def _truth_and_scores(clf, dataset, predictions: pd.DataFrame):
    """``(y_true, y_score, labels)`` of the records, in the model's class order."""
    enc = clf.target_encoder_
    labels, classes = np.asarray(dataset.labels()), [str(c) for c in dataset.classes]
    if not classes:
        raise SystemExit(
            "ecoscale predict --report: the data set carries no labels to score against."
        )
    if enc.multioutput:
        names = [str(n) for n in enc.names]
        missing = [n for n in names if n not in classes]
        if missing:
            raise SystemExit(
                f"ecoscale predict --report: the model's labels {missing} are not among the data "
                f"set's {classes}."
            )
        y_true = pd.DataFrame(
            labels[:, [classes.index(n) for n in names]].astype(int), columns=names
        )
        return y_true, predictions[[f"p_{n}" for n in names]].to_numpy(), names
    model_classes = [str(c) for c in enc.classes[0]]
    y_true = np.asarray(classes, dtype=object)[labels.astype(int)]
    unknown = sorted(set(y_true) - set(model_classes))
    if unknown:
        raise SystemExit(
            f"ecoscale predict --report: classes {unknown} of the data are unknown to the model."
        )
    return y_true, predictions[[f"p_{c}" for c in enc.classes[0]]].to_numpy(), model_classes


def evaluation_report(clf, dataset, predictions: pd.DataFrame, n_bootstrap: int = 1000) -> str:
    """Markdown report of ``predictions`` (from ``predict_dataset``) against the data set's labels.

    Parameters
    ----------
    clf : fitted EcoScaleClassifier or OmniScaleClassifier
    dataset : labelled protocol data set
    predictions : pd.DataFrame
        What :func:`~sktime_ecoscale.cli._predict.predict_dataset` returned for ``dataset``.
    n_bootstrap : int, default 1000
        Bootstrap resamples of the intervals.

    Returns
    -------
    str
        Markdown: the thresholds' origin, the per-class table and, where it applies,
        the Challenge score.
    """
    from sktime_ecoscale.metrics import challenge_score, clinical_report

    y_true, y_score, labels = _truth_and_scores(clf, dataset, predictions)
    from sktime_ecoscale.classification._decision import default_threshold

    tuned = getattr(clf, "decision_thresholds_", None)
    thresholds = default_threshold(clf.target_encoder_) if tuned is None else tuned.to_numpy()
    table = clinical_report(y_true, y_score, thresholds=thresholds, labels=labels, n=n_bootstrap)
    origin = (
        "argmax / 0.5 (the model has no tuned thresholds)"
        if tuned is None
        else f"the model's decision_thresholds_ ({clf.decision_threshold!r})"
    )
    lines = [
        f"# Evaluation of {type(clf).__name__} on {len(predictions)} records",
        "",
        f"Decisions: {origin}. Intervals: 95 % percentile bootstrap, {n_bootstrap} "
        "stratified resamples.",
        "",
        "```text",
        table.round(3).to_string(),
        "```",
        "",
    ]
    if clf.target_encoder_.multioutput:
        try:
            score = challenge_score(y_true, y_score, thresholds=thresholds, labels=labels)
        except ValueError:  # no scored Challenge class among the labels
            score = None
        if score is not None and np.isfinite(score):
            lines += [f"PhysioNet/CinC Challenge 2021 score: {score:.3f}", ""]
    return "\n".join(lines)
