"""Input checks that run before any tensor work, with messages that name the fix.

Every estimator path (fit, predict, fit_dataset) and every reader that hands
arrays to a model calls these, so one bad input gets one clear message.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_arrays", "check_panel_input"]


def check_arrays(
    series,
    *,
    min_length: int = 1,
    n_channels: int | None = None,
    where: str = "fit",
    allow_missing: bool = False,
) -> None:
    """Check a panel given as a 3-D array or a list of ``(C, L_i)`` arrays.

    Parameters
    ----------
    series : np.ndarray or list of np.ndarray
        The panel, channels first.
    min_length : int, default 1
        Shortest series length the network accepts.
    n_channels : int, optional
        Channel count seen in fit; ``predict`` must match it.
    where : str, default "fit"
        Name of the calling method, used in messages.
    allow_missing : bool, default False
        Accept NaN (missing samples, repaired by the input rule); infinite
        values are refused either way.

    Raises
    ------
    ValueError
        Empty panel, non-finite values, a wrong channel count or a series
        shorter than ``min_length``.
    TypeError
        Non-numeric values.

    Examples
    --------
    >>> import numpy as np
    >>> check_arrays(np.zeros((2, 1, 8)), min_length=4)
    >>> check_arrays(np.zeros((2, 1, 3)), min_length=4)
    Traceback (most recent call last):
    ...
    ValueError: In fit, series 0 has 3 time points, fewer than the 4 the network needs; pad the series (e.g. with sktime_ecoscale.transformations.PadCrop) or use longer recordings.
    """
    if len(series) == 0:
        raise ValueError(f"In {where}, X is empty: it must hold at least one series.")
    for i, s in enumerate(series):
        s = np.asarray(s)
        if not (np.issubdtype(s.dtype, np.number) or s.dtype == bool):
            raise TypeError(
                f"In {where}, series {i} has dtype {s.dtype}; X must be numeric "
                "(convert with X.astype('float32'))."
            )
        if n_channels is not None and s.shape[0] != n_channels:
            raise ValueError(
                f"In {where}, series {i} has {s.shape[0]} channels but the model was fitted "
                f"on {n_channels}; pass the same leads, in the same order, as in fit."
            )
        if s.shape[-1] < min_length:
            raise ValueError(
                f"In {where}, series {i} has {s.shape[-1]} time points, fewer than the "
                f"{min_length} the network needs; pad the series (e.g. with "
                "sktime_ecoscale.transformations.PadCrop) or use longer recordings."
            )
        if np.issubdtype(s.dtype, np.floating) and allow_missing and np.isinf(s).any():
            raise ValueError(
                f"In {where}, series {i} contains infinite values; NaN marks a missing "
                "sample, infinity is an error in the data: repair or drop the series."
            )
        if np.issubdtype(s.dtype, np.floating) and not allow_missing and not np.isfinite(s).all():
            raise ValueError(
                f"In {where}, series {i} contains NaN or infinite values; repair them first "
                "(e.g. sktime_ecoscale.transformations.RepairMissing) or drop the series."
            )


def check_panel_input(X, y=None, *, where: str = "fit", allow_missing: bool = False) -> None:
    """Check a user's panel (and labels) before sktime converts them.

    Catches what would otherwise surface as a conversion message or a numpy
    error: an empty ``X``, non-numeric values, NaN or infinite values (unless
    the estimator handles missing values), ``X`` and ``y`` of different
    lengths, and missing labels. Containers it does not recognise are left
    to sktime's own checks.

    Parameters
    ----------
    X : np.ndarray, pd.DataFrame (pd-multiindex) or list of arrays/DataFrames
        The panel as the user passed it.
    y : array-like, pd.Series or pd.DataFrame, optional
        Labels, one entry (row) per series.
    where : str, default "fit"
        Name of the calling method, used in messages.
    allow_missing : bool, default False
        Whether NaN values in ``X`` are allowed (the estimator's
        ``capability:missing_values`` tag).

    Examples
    --------
    >>> import numpy as np
    >>> check_panel_input(np.zeros((2, 1, 8)), [0, 1])
    >>> check_panel_input(np.zeros((2, 1, 8)), [0, 1, 1])
    Traceback (most recent call last):
    ...
    ValueError: In fit, X has 2 series but y has 3 labels; pass exactly one label (or row of labels) per series.
    """
    import pandas as pd

    if isinstance(X, np.ndarray):
        n, blocks = (len(X) if X.ndim else 0), [(None, X)]
    elif isinstance(X, pd.DataFrame) and isinstance(X.index, pd.MultiIndex):
        n, blocks = X.index.get_level_values(0).nunique(), [(None, X.to_numpy())]
    elif isinstance(X, list):
        n = len(X)
        blocks = [
            (i, np.asarray(s.to_numpy() if isinstance(s, pd.DataFrame) else s))
            for i, s in enumerate(X)
        ]
    else:
        n, blocks = None, []
    if n == 0:
        raise ValueError(
            f"In {where}, X is empty: it must hold at least one series; check the loading "
            "or filtering step that produced it."
        )
    for i, values in blocks:
        if not (np.issubdtype(values.dtype, np.number) or values.dtype == bool):
            raise TypeError(
                f"In {where}, X has dtype {values.dtype}; X must be numeric "
                "(convert with X.astype('float32'))."
            )
        if not np.issubdtype(values.dtype, np.floating):
            continue
        # NaN is a missing sample where the estimator repairs them; infinity never is
        bad_values = np.isinf if allow_missing else (lambda v: ~np.isfinite(v))
        # in blocks of rows, so the check's temporary stays small for any panel size
        bad = next(
            (
                start
                for start in range(0, len(values), 256)
                if bad_values(values[start : start + 256]).any()
            ),
            None,
        )
        if bad is not None:
            block = values[bad : bad + 256]
            first = bad + int(np.argwhere(bad_values(block))[0][0]) if i is None else i
            if isinstance(X, pd.DataFrame):  # a row of the long table: name its instance
                first = X.index[first][0]
            if allow_missing:
                raise ValueError(
                    f"In {where}, series {first} contains infinite values; NaN marks a missing "
                    "sample, infinity is an error in the data: repair or drop the series."
                )
            raise ValueError(
                f"In {where}, series {first} contains NaN or infinite values; repair them first "
                "(e.g. sktime_ecoscale.transformations.RepairMissing) or drop the series."
            )
    if y is None:
        return
    n_labels = len(y)
    if n is not None and n_labels != n:
        raise ValueError(
            f"In {where}, X has {n} series but y has {n_labels} labels; pass exactly one "
            "label (or row of labels) per series."
        )
    missing = np.asarray(
        pd.isna(
            y.to_numpy()
            if isinstance(y, (pd.DataFrame, pd.Series))
            else np.asarray(y, dtype=object)
        )
    )
    if missing.ndim > 1:
        missing = missing.any(axis=tuple(range(1, missing.ndim)))
    if missing.any():
        rows = np.flatnonzero(missing)
        raise ValueError(
            f"In {where}, y has missing labels (NaN or None) at positions {rows[:5].tolist()}"
            f"{' ...' if len(rows) > 5 else ''}; drop those series from X and y, or fill the labels."
        )
