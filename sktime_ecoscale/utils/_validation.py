"""Input checks that run before any tensor work, with messages that name the fix.

Every estimator path (fit, predict, fit_dataset) and every reader that hands
arrays to a model calls these, so one bad input gets one clear message.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_arrays"]


def check_arrays(series, *, min_length: int = 1, n_channels: int | None = None, where: str = "fit") -> None:
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
        if np.issubdtype(s.dtype, np.floating) and not np.isfinite(s).all():
            raise ValueError(
                f"In {where}, series {i} contains NaN or infinite values; repair them first "
                "(e.g. sktime_ecoscale.transformations.RepairMissing) or drop the series."
            )
