"""Label encoding: from sktime's ``y`` to network targets and back.

One object owns the decision of how labels map onto logits: a single-output
``y`` becomes one softmax head over ``classes_``; a multi-output ``y`` becomes
one head per column on a shared backbone (a sigmoid logit for 0/1 columns, a
softmax block otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from torch import nn

__all__ = ["TargetEncoder", "MultiHeadLoss", "class_weight_tensors"]


def _is_binary_indicator(values: np.ndarray) -> bool:
    """Whether a column holds only 0/1 (or booleans): a multi-label indicator."""
    if values.dtype == bool:
        return True
    if not np.issubdtype(values.dtype, np.number):
        return False
    return bool(np.isin(values, (0, 1)).all())


@dataclass
class TargetEncoder:
    """Encodes sktime ``y`` as a float/int target array and decodes network outputs.

    Attributes
    ----------
    names : list of str or None
        Output column names (``None`` for single-output ``y``).
    classes : list of np.ndarray
        Class labels of each output.
    binary : list of bool
        Whether each output is a 0/1 indicator with one sigmoid logit.
    """

    names: list | None
    classes: list = field(default_factory=list)
    binary: list = field(default_factory=list)

    @classmethod
    def from_y(cls, y) -> TargetEncoder:
        """Build the encoder from training labels (1-D array or DataFrame)."""
        if isinstance(y, pd.DataFrame) and y.shape[1] > 1:
            classes, binary = [], []
            for col in y.columns:
                values = y[col].to_numpy()
                if _is_binary_indicator(values):
                    classes.append(
                        np.array([0, 1], dtype=values.dtype if values.dtype != bool else int)
                    )
                    binary.append(True)
                else:
                    classes.append(np.unique(values))
                    binary.append(False)
            return cls(names=list(y.columns), classes=classes, binary=binary)
        values = _as_1d(y)
        return cls(names=None, classes=[np.unique(values)], binary=[False])

    @classmethod
    def for_labels(cls, classes, multilabel: bool) -> TargetEncoder:
        """The encoder of a data set that declares its classes (``fit_dataset``).

        Multi-label: one 0/1 output per class, even for a class without
        positives (which :meth:`from_y` would see as a constant column);
        otherwise one softmax output over ``classes``.

        Examples
        --------
        >>> enc = TargetEncoder.for_labels(["AF", "RBBB"], multilabel=True)
        >>> enc.names, enc.output_sizes
        (['AF', 'RBBB'], [1, 1])
        >>> TargetEncoder.for_labels(["a", "b", "c"], multilabel=False).output_sizes
        [3]
        """
        classes = list(classes)
        if multilabel:
            return cls(
                names=classes,
                classes=[np.array([0, 1]) for _ in classes],
                binary=[True] * len(classes),
            )
        return cls(names=None, classes=[np.asarray(classes)], binary=[False])

    @classmethod
    def from_config(cls, config: dict) -> TargetEncoder:
        """Rebuild from :meth:`to_config` output (JSON-safe)."""
        return cls(
            names=config["names"],
            classes=[np.asarray(c) for c in config["classes"]],
            binary=list(config["binary"]),
        )

    def to_config(self) -> dict:
        """Return a JSON-safe description (used by the native model format)."""
        return {
            "names": None if self.names is None else [str(n) for n in self.names],
            "classes": [c.tolist() for c in self.classes],
            "binary": list(self.binary),
        }

    @property
    def multioutput(self) -> bool:
        return self.names is not None

    @property
    def output_sizes(self) -> list[int]:
        """Number of logits of each head."""
        return [1 if b else len(c) for c, b in zip(self.classes, self.binary)]

    @property
    def n_logits(self) -> int:
        return int(sum(self.output_sizes))

    def encode(self, y) -> np.ndarray:
        """Return targets: int64 class indices (single output) or float32 (n, n_heads)."""
        if not self.multioutput:
            values = _as_1d(y)
            idx = np.searchsorted(self.classes[0], values)
            idx = np.clip(idx, 0, len(self.classes[0]) - 1)
            unknown = self.classes[0][idx] != values
            if np.any(unknown):
                raise ValueError(
                    f"y holds labels unseen in fit: {sorted(set(values[unknown].tolist()))[:5]}; "
                    f"known labels are {self.classes[0].tolist()}."
                )
            return idx.astype(np.int64)
        frame = pd.DataFrame(y)
        out = np.empty((len(frame), len(self.names)), dtype=np.float32)
        for j, (classes, binary) in enumerate(zip(self.classes, self.binary)):
            values = frame.iloc[:, j].to_numpy()
            if binary:
                out[:, j] = values.astype(np.float32)
            else:
                out[:, j] = np.searchsorted(classes, values)
        return out

    def probabilities(self, logits: np.ndarray, temperatures=None) -> list[np.ndarray]:
        """Split logits into per-output probability matrices ``(n, n_classes_j)``.

        ``temperatures``: one per output, dividing its logits (calibration), or None.
        """
        probas, start = [], 0
        temperatures = [1.0] * len(self.output_sizes) if temperatures is None else temperatures
        for size, binary, t in zip(self.output_sizes, self.binary, temperatures):
            block = torch.from_numpy(np.ascontiguousarray(logits[:, start : start + size] / t))
            if binary:
                p1 = torch.sigmoid(block).numpy()
                probas.append(np.hstack([1.0 - p1, p1]))
            else:
                probas.append(torch.softmax(block, dim=1).numpy())
            start += size
        return probas

    def proba_frame(self, probas: list[np.ndarray], index=None) -> pd.DataFrame:
        """sktime's multioutput ``predict_proba`` format: columns (output, class)."""
        frames = [
            pd.DataFrame(p, columns=list(c), index=index) for p, c in zip(probas, self.classes)
        ]
        return pd.concat(frames, axis=1, keys=self.names)

    def decode(self, probas: list[np.ndarray], thresholds=None, index=None):
        """Turn probabilities into labels (argmax, or thresholds on 0/1 outputs)."""
        if not self.multioutput:
            return self.classes[0][np.argmax(probas[0], axis=1)]
        columns = {}
        for j, (name, p, classes, binary) in enumerate(
            zip(self.names, probas, self.classes, self.binary)
        ):
            if binary:
                t = 0.5 if thresholds is None else float(thresholds[j])
                columns[name] = classes[(p[:, 1] >= t).astype(int)]
            else:
                columns[name] = classes[np.argmax(p, axis=1)]
        return pd.DataFrame(columns, index=index)


def _as_1d(y) -> np.ndarray:
    if isinstance(y, (pd.DataFrame, pd.Series)):
        return np.asarray(y).reshape(-1)
    return np.asarray(y).reshape(-1)


class MultiHeadLoss(nn.Module):
    """Sum of per-head losses: BCE-with-logits for 0/1 heads, cross-entropy otherwise.

    For a single-output problem this is plain (optionally weighted)
    cross-entropy on ``(N, n_classes)`` logits and int64 targets.

    Parameters
    ----------
    output_sizes : list of int
        Logits per head.
    binary : list of bool
        Which heads are 0/1 indicators.
    class_weights : list of torch.Tensor or None
        Per head: class weights for cross-entropy heads, a scalar ``pos_weight``
        for binary heads.
    label_smoothing : float, default 0.0
        Label smoothing of cross-entropy heads.
    """

    def __init__(self, output_sizes, binary, class_weights=None, label_smoothing: float = 0.0):
        super().__init__()
        self.output_sizes = list(output_sizes)
        self.binary = list(binary)
        self.multioutput = len(self.output_sizes) > 1 or self.binary[0]
        weights = class_weights or [None] * len(self.output_sizes)
        self.losses = nn.ModuleList()
        for binary, w in zip(self.binary, weights):
            if binary:
                self.losses.append(nn.BCEWithLogitsLoss(pos_weight=w))
            else:
                self.losses.append(nn.CrossEntropyLoss(weight=w, label_smoothing=label_smoothing))

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        if logits.dim() == 3:  # an ensemble in training: each member's own loss, averaged
            return torch.stack([self(member, target) for member in logits]).mean()
        if not self.multioutput:
            return self.losses[0](logits, target.long())
        total, start = 0.0, 0
        for j, (size, binary, loss) in enumerate(zip(self.output_sizes, self.binary, self.losses)):
            block = logits[:, start : start + size]
            if binary:
                total = total + loss(block[:, 0], target[:, j].float())
            else:
                total = total + loss(block, target[:, j].long())
            start += size
        return total / len(self.output_sizes)


def class_weight_tensors(
    encoder: TargetEncoder, train_targets: np.ndarray, class_weight
) -> list | None:
    """Per-head loss weights for ``class_weight`` (None, "balanced" or a dict).

    Binary heads get ``pos_weight = negatives / positives`` (for any non-None
    ``class_weight``); softmax heads get ``n / (n_classes * count)`` for
    "balanced" or the dict's value per class (1.0 where missing).

    Examples
    --------
    >>> import numpy as np
    >>> enc = TargetEncoder.from_y(np.array(["a", "a", "a", "b"]))
    >>> class_weight_tensors(enc, enc.encode(np.array(["a", "a", "a", "b"])), "balanced")
    [tensor([0.6667, 2.0000])]
    """
    if class_weight is None:
        return None
    weights = []
    for j, (classes, binary) in enumerate(zip(encoder.classes, encoder.binary)):
        col = train_targets if not encoder.multioutput else train_targets[:, j]
        if binary:
            pos, neg = float(np.sum(col == 1)), float(np.sum(col == 0))
            weights.append(torch.tensor(neg / pos if pos > 0 else 1.0))
        elif class_weight == "balanced":
            counts = np.bincount(col.astype(int), minlength=len(classes)).astype(float)
            weights.append(
                torch.tensor(
                    len(col) / (len(classes) * np.maximum(counts, 1.0)), dtype=torch.float32
                )
            )
        else:
            weights.append(
                torch.tensor(
                    [float(class_weight.get(c, 1.0)) for c in classes], dtype=torch.float32
                )
            )
    return weights
