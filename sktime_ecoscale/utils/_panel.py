"""What a panel says about itself: the names of its leads and its sampling rate.

The lead and rate rules of ``fit`` and ``predict``: the names and rate are
fitted facts of a model (``leads_``, ``fs_``); at predict a named subset of the
leads is put in the fitted order (a lead it lacks is a missing lead) and a
series at another known rate is resampled to the training rate.
"""

from __future__ import annotations

import warnings

import numpy as np

from sktime_ecoscale.utils._signal import resample

__all__ = [
    "align_leads",
    "check_lead_names",
    "check_sampling_rate",
    "ecg_panel",
    "match_sampling_rate",
    "panel_lead_names",
    "panel_sampling_rate",
]


def check_lead_names(leads, n_channels: int | None, where: str = "leads") -> list[str] | None:
    """``leads`` as a list of ``n_channels`` unique strings (or None); else a ValueError.

    Parameters
    ----------
    leads : sequence of str or None
    n_channels : int or None
        The channel count the names must match (None: not known yet).
    where : str
        Prefix of the error messages.

    Returns
    -------
    list of str or None

    Examples
    --------
    >>> check_lead_names(("I", "II"), 2)
    ['I', 'II']
    >>> check_lead_names(["I", "i"], 2)
    Traceback (most recent call last):
    ...
    ValueError: leads: lead names must be unique, got ['I', 'i'].
    """
    if leads is None:
        return None
    if isinstance(leads, str) or not all(isinstance(n, str) for n in leads):
        raise ValueError(f"{where}: leads must be a list of lead names (str), got {leads!r}.")
    if n_channels is not None and len(leads) != n_channels:
        raise ValueError(
            f"{where}: {len(leads)} lead names ({list(leads)}) for {n_channels} channels."
        )
    if len({n.lower() for n in leads}) != len(leads):
        raise ValueError(f"{where}: lead names must be unique, got {list(leads)}.")
    return [str(n) for n in leads]


def check_sampling_rate(fs, where: str = "fs") -> float | None:
    """``fs`` as a float rate in Hz (or None); else a ValueError.

    Parameters
    ----------
    fs : number or None
    where : str
        Prefix of the error message.

    Returns
    -------
    float or None

    Examples
    --------
    >>> check_sampling_rate(500)
    500.0
    >>> check_sampling_rate(0)
    Traceback (most recent call last):
    ...
    ValueError: fs: fs must be None or a sampling rate > 0 (Hz), got 0.
    """
    if fs is None:
        return None
    if isinstance(fs, bool) or not isinstance(fs, (int, float)) or not fs > 0:
        raise ValueError(f"{where}: fs must be None or a sampling rate > 0 (Hz), got {fs!r}.")
    return float(fs)


def panel_lead_names(X) -> list[str] | None:
    """The lead names a panel carries: a df-list's (or pd-multiindex's) string column names.

    ``None`` for numpy input and for sktime's default integer column names.

    Parameters
    ----------
    X : sktime inner panel (df-list, numpy3D) or pd.DataFrame

    Returns
    -------
    list of str or None

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> panel_lead_names([pd.DataFrame(np.zeros((3, 2)), columns=["I", "II"])])
    ['I', 'II']
    >>> panel_lead_names([pd.DataFrame(np.zeros((3, 2)))]) is None   # integer columns
    True
    """
    import pandas as pd

    columns = None
    if isinstance(X, list) and X and isinstance(X[0], pd.DataFrame):
        columns = list(X[0].columns)
    elif isinstance(X, pd.DataFrame):
        columns = list(X.columns)
    if not columns or not all(isinstance(c, str) for c in columns):
        return None
    return columns


def align_leads(series, names: list[str] | None, fitted: list[str] | None, where: str = "predict"):
    """Put the leads of each series in the fitted order; leads the input lacks become NaN.

    The lead rule of ``predict``: a named subset of the training leads is
    accepted in any order, and a lead it lacks is a missing lead (NaN, which the
    input rule sets to the training mean, as the training augmentation drops
    leads). Unnamed input, or a model without lead names, is taken as it is.

    Parameters
    ----------
    series : sequence of np.ndarray (n_channels, n_timepoints)
        The input series, channels in the order of ``names``.
    names : list of str or None
        The input's lead names.
    fitted : list of str or None
        The model's ``leads_``.
    where : str
        Calling method, for messages.

    Returns
    -------
    list of np.ndarray, or ``series`` itself when nothing needs to move.

    Raises
    ------
    ValueError
        A lead the model never saw, or the same lead twice.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1.0, 1.0], [2.0, 2.0]])                   # leads II, I
    >>> align_leads([x], ["II", "I"], ["I", "II", "V1"])[0]
    array([[ 2.,  2.],
           [ 1.,  1.],
           [nan, nan]])
    """
    if names is None or fitted is None or list(names) == list(fitted):
        return series
    index = {name.lower(): i for i, name in enumerate(fitted)}
    unknown = [n for n in names if n.lower() not in index]
    if unknown:
        raise ValueError(
            f"In {where}, X has leads {unknown} that the model never saw; it was fitted on "
            f"{list(fitted)}. Drop them or rename them to the fitted names."
        )
    if len({n.lower() for n in names}) != len(names):
        raise ValueError(f"In {where}, X names a lead twice: {list(names)}.")
    rows = [index[n.lower()] for n in names]
    out = []
    for x in series:
        x = np.asarray(x, dtype=np.float64)
        full = np.full((len(fitted), x.shape[-1]), np.nan)
        full[rows] = x
        out.append(full)
    return out


def panel_sampling_rate(X) -> float | None:
    """Sampling rate (Hz) of a pandas panel with a time index (Timedelta or Datetime), else None.

    Every series must have the same step.

    Parameters
    ----------
    X : sktime inner panel (df-list, numpy3D)

    Returns
    -------
    float or None

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"I": np.zeros(5)}, index=pd.to_timedelta(np.arange(5) * 10, unit="ms"))
    >>> panel_sampling_rate([df, df])
    100.0
    >>> panel_sampling_rate(np.zeros((2, 1, 5))) is None
    True
    """
    import pandas as pd

    if not (isinstance(X, list) and X and isinstance(X[0], pd.DataFrame)):
        return None
    rates = set()
    for df in X:
        index = df.index
        if not isinstance(index, (pd.TimedeltaIndex, pd.DatetimeIndex)) or len(index) < 2:
            return None
        steps_ns = np.diff(index.values).astype("timedelta64[ns]").astype(np.int64)
        step = float(np.median(steps_ns)) * 1e-9  # seconds
        if step <= 0:
            return None
        rates.add(round(1.0 / step, 6))
    if len(rates) > 1:
        raise ValueError(
            f"the series of X have different sampling rates {sorted(rates)} Hz; resample them to one."
        )
    return float(rates.pop())


def match_sampling_rate(series, rate: float | None, fitted: float | None, where: str = "predict"):
    """Bring series sampled at ``rate`` to the model's ``fitted`` rate (the resampling rule).

    A known other rate is resampled (:func:`~sktime_ecoscale.utils.resample`);
    an unknown rate, where the model knows its own, is assumed equal with a
    warning saying so; a model without a rate takes the series as they are.

    Parameters
    ----------
    series : sequence of np.ndarray (n_channels, n_timepoints)
    rate : float or None
        The input's rate (:func:`panel_sampling_rate`).
    fitted : float or None
        The model's ``fs_``.
    where : str
        Calling method, for the warning.

    Returns
    -------
    list of np.ndarray, or ``series`` itself when nothing changes

    Examples
    --------
    >>> import numpy as np
    >>> [x.shape for x in match_sampling_rate([np.zeros((12, 5000))], 500.0, 100.0)]
    [(12, 1000)]
    >>> match_sampling_rate([np.zeros((1, 8))], 100.0, None)[0].shape   # a model without a rate
    (1, 8)
    """
    if fitted is None or rate == fitted:
        return series
    if rate is None:
        warnings.warn(
            f"In {where}, X carries no sampling rate (no time index); assumed to be the "
            f"model's {fitted:g} Hz. Give X a TimedeltaIndex or resample it to {fitted:g} Hz.",
            UserWarning,
            stacklevel=3,
        )
        return series
    return [resample(np.asarray(x, dtype=np.float64), rate, fitted) for x in series]


def ecg_panel(X, fs: float, leads=None) -> list:
    """Wrap arrays as an sktime panel that carries its sampling rate and lead names.

    A numpy panel says neither; this one (sktime's ``df-list``: one frame per
    series, a ``TimedeltaIndex`` at ``fs``, one column per lead) tells a model
    both, so ``predict`` resamples another rate and maps leads by name without
    new arguments (:func:`panel_sampling_rate`, :func:`panel_lead_names`).

    Parameters
    ----------
    X : np.ndarray (n_series, n_channels, n_timepoints) or sequence of 2-D arrays
        Series of possibly unequal length.
    fs : float
        Sampling rate in Hz.
    leads : sequence of str, optional
        One name per channel (default: ``0, 1, ...``, names that say nothing).

    Returns
    -------
    list of pd.DataFrame

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.utils import ecg_panel, panel_lead_names, panel_sampling_rate
    >>> X = ecg_panel(np.zeros((2, 2, 500)), fs=500, leads=["I", "II"])
    >>> panel_sampling_rate(X), panel_lead_names(X), X[0].shape
    (500.0, ['I', 'II'], (500, 2))
    """
    import pandas as pd

    fs = check_sampling_rate(fs, "fs")
    if fs is None:
        raise ValueError("fs must be a sampling rate in Hz, got None.")
    series = [np.asarray(x) for x in X]
    if any(x.ndim != 2 for x in series) or len({x.shape[0] for x in series}) > 1:
        raise ValueError(
            "X must hold 2-D series (n_channels, n_timepoints) with one channel count, got "
            f"shapes {sorted({x.shape for x in series})[:4]}."
        )
    names = check_lead_names(leads, series[0].shape[0] if series else None, "leads")
    frames = []
    for x in series:
        index = pd.to_timedelta(np.arange(x.shape[-1]) / fs, unit="s")
        frames.append(pd.DataFrame(x.T, columns=names, index=index))
    return frames
