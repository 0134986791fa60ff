"""UCR/UEA ``.ts`` reader, a thin wrapper of :func:`sktime.datasets.load_from_tsfile`."""

from __future__ import annotations

__all__ = ["load_ucr_uea"]

import gzip
import tempfile
from pathlib import Path

import numpy as np

from sktime_ecoscale.datasets._sample import BUNDLED_TS, bundled_ts_path
from sktime_ecoscale.datasets._utils import to_return_type

_SPLITS = ("train", "test")


def resolve_ts_path(path_or_name: str | Path, split: str = "train", data_home=None) -> Path:
    """Find the ``.ts`` file for a file path, a data set folder, or a name.

    A folder ``.../ECG200`` resolves to ``ECG200_TRAIN.ts`` / ``ECG200_TEST.ts``
    inside it; a bare name is looked up as ``data_home/NAME/NAME_SPLIT.ts``, and
    without ``data_home`` among the sets bundled with the package (gzipped).
    """
    if split not in _SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    p = Path(path_or_name)
    if p.suffix == ".ts":
        candidates = [p]
    elif p.is_dir():
        candidates = [p / f"{p.name}_{split.upper()}.ts"]
    else:
        homes = [Path(data_home)] if data_home is not None else []
        candidates = [h / p.name / f"{p.name}_{split.upper()}.ts" for h in homes]
        if data_home is None and bundled_ts_path(p.name, split) is not None:
            candidates = [bundled_ts_path(p.name, split)]
    for c in candidates:
        if c.is_file():
            return c
    where = candidates[0] if candidates else p
    hint = (
        ""
        if data_home is not None or p.exists()
        else (f" (pass data_home= to look up names; bundled: {', '.join(BUNDLED_TS)})")
    )
    raise FileNotFoundError(f"{where}: .ts file not found{hint}")


def load_ucr_uea(
    path_or_name: str | Path,
    split: str = "train",
    data_home: str | Path | None = None,
    return_type: str = "numpy3D",
):
    """Load one split of a UCR/UEA archive data set from a local ``.ts`` file.

    Parameters
    ----------
    path_or_name : str or Path
        A ``.ts`` file, a data set folder holding ``NAME_TRAIN.ts`` and
        ``NAME_TEST.ts``, or a data set name looked up in ``data_home``, or,
        without ``data_home``, one of the ECG sets bundled with the package
        (``"ECG200"``, ``"TwoLeadECG"``, ``"AtrialFibrillation"``,
        ``"StandWalkJump"``; UCR/UEA archive, Dau et al. 2019, Bagnall et al.
        2018).
    split : {"train", "test"}, default="train"
        Split to read when a folder or name is given (ignored for a file).
    data_home : str or Path, optional
        Folder of data set folders (e.g. ``.../uea``) for name look-up.
        Nothing is downloaded.
    return_type : {"numpy3D", "nested_univ", "pd-multiindex", "df-list", "list"}
        Container of X; unequal-length sets need a non-numpy3D type.

    Returns
    -------
    X : np.ndarray (n, n_channels, n_timepoints) float32, or requested container
    y : np.ndarray of str, class labels

    Raises
    ------
    FileNotFoundError
        If no ``.ts`` file is found.
    ValueError
        If the file cannot be parsed.

    Examples
    --------
    The test split of ECG200 (shared beside the repository, not shipped with
    the package):

    >>> from collections import Counter
    >>> from sktime_ecoscale.datasets import load_ucr_uea
    >>> X, y = load_ucr_uea("../shared/data/ucr/ECG200", split="test")
    >>> X.shape, X.dtype
    ((100, 1, 96), dtype('float32'))
    >>> Counter(y.tolist())
    Counter({'1': 64, '-1': 36})
    >>> X[0, 0, :4].round(3)  # the file's first values: 0.42518938,1.4185988,...
    array([0.425, 1.419, 2.669, 3.299], dtype=float32)

    The same split from the copy bundled with the package:

    >>> Xb, yb = load_ucr_uea("ECG200", split="test")
    >>> bool((Xb == X).all() and (yb == y).all())
    True
    """
    from sktime.datasets import load_from_tsfile

    file = resolve_ts_path(path_or_name, split, data_home)
    try:
        if file.suffix == ".gz":  # a bundled set: sktime's parser reads plain files only
            with tempfile.TemporaryDirectory() as tmp:
                plain = Path(tmp) / file.stem
                plain.write_bytes(gzip.decompress(file.read_bytes()))
                X, y = load_from_tsfile(str(plain), return_data_type="nested_univ")
        else:
            X, y = load_from_tsfile(str(file), return_data_type="nested_univ")
    except (OSError, ValueError, TypeError, IndexError, KeyError) as e:
        raise ValueError(f"{file}: cannot parse .ts file ({e})") from None
    # Go through a list of float32 arrays so unequal lengths are handled alike.
    series = [
        np.stack([np.asarray(X.iat[i, j], dtype=np.float32) for j in range(X.shape[1])])
        for i in range(len(X))
    ]
    return to_return_type(series, return_type), np.asarray(y)
