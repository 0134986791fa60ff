"""JSON-safe hyperparameters: the encoding model files and checkpoint fingerprints share."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sktime_ecoscale.classification._augment import Augmenter

__all__ = ["encode_params", "decode_params", "json_default"]


def encode_params(value):
    """Encode hyperparameters as JSON values, keeping tuples and non-string dict keys.

    Examples
    --------
    >>> encode_params({"widths": (4, 8), "class_weight": {0: 1.0}})
    {'widths': {'__tuple__': [4, 8]}, 'class_weight': {'__items__': [[0, 1.0]]}}
    >>> decode_params(encode_params({"widths": (4, 8)}))
    {'widths': (4, 8)}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float, np.generic)):
        return value.item() if isinstance(value, np.generic) else value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return {"__tuple__": [encode_params(v) for v in value]}
    if isinstance(value, list):
        return [encode_params(v) for v in value]
    if isinstance(value, Augmenter):  # the one parameter object; stored as its strengths
        return {"__augmenter__": encode_params(value.to_dict())}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: encode_params(v) for k, v in value.items()}
        return {"__items__": [[encode_params(k), encode_params(v)] for k, v in value.items()]}
    raise TypeError(
        f"{type(value).__name__} value {value!r} cannot be stored in a model file; "
        "hyperparameters must be numbers, strings, tuples, lists or dicts of them."
    )


def decode_params(value):
    """Inverse of :func:`encode_params`."""
    if isinstance(value, list):
        return [decode_params(v) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__tuple__"}:
            return tuple(decode_params(v) for v in value["__tuple__"])
        if set(value) == {"__augmenter__"}:
            return Augmenter(**decode_params(value["__augmenter__"]))
        if set(value) == {"__items__"}:
            return {_hashable(decode_params(k)): decode_params(v) for k, v in value["__items__"]}
        return {k: decode_params(v) for k, v in value.items()}
    return value


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def json_default(value):
    """``json.dumps`` fallback for numpy scalars and arrays (histories, labels)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)
