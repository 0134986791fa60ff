"""Helpers shared by the readers, lazy data sets and transformers."""

from __future__ import annotations

__all__ = ["to_return_type", "multi_hot", "RETURN_TYPES"]

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

RETURN_TYPES = ("numpy3D", "nested_univ", "pd-multiindex", "df-list", "list")


def to_return_type(
    X: np.ndarray | Sequence[np.ndarray], return_type: str
) -> np.ndarray | list | pd.DataFrame:
    """Convert a numpy3D array or a list of ``(n_channels, n_t)`` arrays.

    Parameters
    ----------
    X : np.ndarray of shape (n, c, t), or list of 2-D arrays (c, t_i)
    return_type : {"numpy3D", "nested_univ", "pd-multiindex", "df-list", "list"}
        sktime Panel mtype, or ``"list"`` for a list of 2-D numpy arrays
        (the only numpy form for unequal-length series).

    Returns
    -------
    X in the requested container.
    """
    if return_type not in RETURN_TYPES:
        raise ValueError(f"return_type must be one of {RETURN_TYPES}, got {return_type!r}")
    if not isinstance(X, np.ndarray) and len(X) == 0:
        X = np.empty((0, 0, 0), dtype=np.float32)
    if isinstance(X, np.ndarray):
        if return_type == "numpy3D":
            return X
        if return_type == "list":
            return list(X)
        from sktime.datatypes import convert_to

        return convert_to(X, to_type=return_type)
    if return_type == "list":
        return list(X)
    shapes = {np.shape(x) for x in X}
    if len(shapes) == 1:  # equal lengths: go through numpy3D
        return to_return_type(np.stack(X), return_type)
    if return_type == "numpy3D":
        lengths = {s[-1] for s in shapes}
        if len(lengths) > 1:
            raise ValueError(
                f"series have unequal lengths {sorted(lengths)[:5]}...; numpy3D needs "
                "equal lengths: pass length=... to pad/crop, or return_type='list' "
                "/ 'df-list' / 'nested_univ'"
            )
        raise ValueError(f"series have differing channel counts {sorted(shapes)[:5]}")
    from sktime.datatypes import convert_to

    df_list = [pd.DataFrame(np.asarray(x).T) for x in X]
    return df_list if return_type == "df-list" else convert_to(df_list, to_type=return_type)


def multi_hot(
    label_sets: Iterable[Iterable[str]], classes: Sequence[str] | None = None, index=None
) -> pd.DataFrame:
    """Build a 0/1 DataFrame from per-sample label sets.

    Parameters
    ----------
    label_sets : iterable of iterables of str
    classes : sequence of str, optional
        Column order; default: sorted union of all labels. Labels outside
        ``classes`` are dropped.
    index : array-like, optional
        Row index of the result.

    Returns
    -------
    pd.DataFrame of int64 0/1, one column per class.
    """
    label_sets = [set(s) for s in label_sets]
    if classes is None:
        classes = sorted(set().union(*label_sets)) if label_sets else []
    data = np.array([[int(c in s) for c in classes] for s in label_sets], dtype=np.int64).reshape(
        len(label_sets), len(classes)
    )
    return pd.DataFrame(data, columns=list(classes), index=index)


def require_file(path: Path, what: str) -> Path:
    """Return ``path`` or raise FileNotFoundError naming it and what it is."""
    if not path.is_file():
        raise FileNotFoundError(f"{path}: {what} not found")
    return path


def read_csv(path: Path, what: str, required: Sequence[str], **kw) -> pd.DataFrame:
    """Read a CSV and check it has the ``required`` columns."""
    require_file(path, what)
    try:
        df = pd.read_csv(path, **kw)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot parse {what}: {e}") from None
    missing = [c for c in required if c not in df.columns and c != df.index.name]
    if missing:
        raise ValueError(f"{path}: {what} lacks required column(s) {missing}")
    return df
