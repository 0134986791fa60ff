"""What an attribution explains: one score column per class or label, as log-odds.

One object owns the mapping from a fitted estimator's logits to the scores
that the attribution methods differentiate (:class:`ScoreModel`) and from the
user's ``target`` to a column of them (:func:`resolve_targets`). The layout of
the logits is the estimator's :class:`~sktime_ecoscale.classification.TargetEncoder`
(``target_encoder_``): one softmax block per multi-class output, one sigmoid
logit per 0/1 label.

Every column is the **log-odds** of its class or label: for a sigmoid label
its logit; for class ``k`` of a softmax block
``z_k - logsumexp(z_j, j != k) = log(p_k / (1 - p_k))``. Log-odds are what
decides a prediction, are unbounded (their gradient does not vanish on a
confident record, unlike ``p_k`` or ``log p_k``), and ``sigmoid`` of the
column is exactly the probability the estimator reports.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

__all__ = ["ScoreModel", "resolve_targets", "score_columns"]


def score_columns(encoder) -> list:
    """Labels of the score columns, in order: classes, label names or (output, class).

    Parameters
    ----------
    encoder : TargetEncoder
        A fitted estimator's ``target_encoder_``.

    Returns
    -------
    list
        A single-output estimator's classes; for a multi-output one, the name
        of each 0/1 output and ``(name, class)`` for each class of the others.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sktime_ecoscale.classification._targets import TargetEncoder
    >>> score_columns(TargetEncoder.from_y(np.array(["a", "b", "c"])))
    ['a', 'b', 'c']
    >>> score_columns(TargetEncoder.from_y(pd.DataFrame({"MI": [0, 1], "AF": [1, 0]})))
    ['MI', 'AF']
    """
    if not encoder.multioutput:
        return [c.item() if hasattr(c, "item") else c for c in encoder.classes[0]]
    columns = []
    for name, classes, binary in zip(encoder.names, encoder.classes, encoder.binary):
        if binary:
            columns.append(name)
        else:
            columns.extend((name, c.item() if hasattr(c, "item") else c) for c in classes)
    return columns


def _log_odds(block: torch.Tensor) -> torch.Tensor:
    """``z_k - logsumexp(z_j, j != k)`` of every column of a softmax block ``(N, s)``."""
    size = block.shape[1]
    if size == 1:  # a single class: its logit stands for itself
        return block
    others = block.unsqueeze(1).expand(-1, size, -1)
    mask = torch.eye(size, dtype=torch.bool, device=block.device)
    others = others.masked_fill(mask, float("-inf"))
    return block - torch.logsumexp(others, dim=2)


class ScoreModel(nn.Module):
    """A trained network whose outputs are the log-odds of every class or label.

    Parameters
    ----------
    module : nn.Module
        The trained network (``estimator.net_.module_``, or one member of an
        ensemble), returning the estimator's logits ``(N, n_logits)``.
    output_sizes : sequence of int
        Logits per output (``target_encoder_.output_sizes``).
    binary : sequence of bool
        Which outputs are sigmoid 0/1 labels (``target_encoder_.binary``).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> scores = ScoreModel(nn.Identity(), output_sizes=[2], binary=[False])
    >>> scores(torch.tensor([[0.0, 1.0]])).sigmoid()  # the softmax probabilities
    tensor([[0.2689, 0.7311]])
    """

    def __init__(self, module: nn.Module, output_sizes: Sequence[int], binary: Sequence[bool]):
        super().__init__()
        self.module = module
        self.output_sizes = [int(s) for s in output_sizes]
        self.binary = [bool(b) for b in binary]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        logits = self.module(x)
        blocks, start = [], 0
        for size, binary in zip(self.output_sizes, self.binary):
            block = logits[:, start : start + size]
            blocks.append(block if binary else _log_odds(block))
            start += size
        return torch.cat(blocks, dim=1)


def _column_of(columns: list, label) -> int:
    """Index of ``label`` among ``columns`` (by value, then by its text)."""
    for k, column in enumerate(columns):
        if isinstance(column, tuple) != isinstance(label, tuple):
            continue
        if column == label:
            return k
    for k, column in enumerate(columns):
        if str(column) == str(label):
            return k
    raise ValueError(
        f"target {label!r} is not a class or label of the estimator; known: {columns}."
    )


def resolve_targets(columns: list, target, scores: np.ndarray) -> np.ndarray:
    """Turn ``target`` into one score column per series.

    Parameters
    ----------
    columns : list
        :func:`score_columns` of the estimator.
    target : None, label or sequence of labels
        ``None``: the most probable column of each series (the predicted class
        of a single-output estimator, the most probable label of a
        multi-label one). A label: the same column for every series. A list
        or array with one label per series: each its own. ``(output, class)``
        tuples name a class of a multi-class output of a multi-output
        estimator.
    scores : np.ndarray of shape (n_series, n_columns)
        The log-odds or probabilities of the series' columns (only their
        argmax is used, when ``target`` is ``None``).

    Returns
    -------
    np.ndarray of int64, shape (n_series,)

    Examples
    --------
    >>> import numpy as np
    >>> scores = np.array([[0.0, 2.0], [1.0, -1.0]])
    >>> resolve_targets(["a", "b"], None, scores).tolist()
    [1, 0]
    >>> resolve_targets(["a", "b"], "a", scores).tolist(), resolve_targets(["a", "b"], ["b", "a"], scores).tolist()
    ([0, 0], [1, 0])
    """
    n = len(scores)
    if target is None:
        return np.argmax(scores, axis=1).astype(np.int64)
    if isinstance(target, (list, np.ndarray)) and not isinstance(target, str):
        labels = list(target)
        if len(labels) != n:
            raise ValueError(
                f"target holds {len(labels)} labels but X has {n} series; give one label, "
                "one per series, or None for the predicted one."
            )
        return np.array([_column_of(columns, label) for label in labels], dtype=np.int64)
    return np.full(n, _column_of(columns, target), dtype=np.int64)
