"""MATLAB v4 ``.mat`` files (the Challenge's signal files), read by scipy, and file errors.

Every failure is a ``ValueError`` that names the file (:func:`_bad`).
"""

from __future__ import annotations

__all__ = ["read_mat_v4"]

from pathlib import Path

import numpy as np


def _bad(path, problem: str) -> ValueError:
    return ValueError(f"{path}: {problem}")


def _read_bytes(path: Path, what: str) -> bytes:
    """Read a whole file; missing -> FileNotFoundError, unreadable -> ValueError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: {what} not found") from None
    except OSError as e:  # a directory, permissions, I/O error
        raise _bad(path, f"cannot read {what} ({e.strerror or e})") from None


def read_mat_v4(path: str | Path, name: str = "val") -> np.ndarray:
    """Read one numeric matrix from a MATLAB v4 ``.mat`` file.

    The file is parsed by :func:`scipy.io.loadmat`; this wrapper only keeps
    WFDB's contract: MATLAB v4 only, one real numeric matrix, and every
    failure a ``ValueError`` that names the file.

    Parameters
    ----------
    path : str or Path
        The ``.mat`` file.
    name : str, default="val"
        Variable to return.

    Returns
    -------
    np.ndarray
        The matrix, shape ``(mrows, ncols)``, in its stored dtype.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is not MATLAB v4, the variable is missing or not a real
        numeric matrix, or the file is corrupt or truncated.

    Examples
    --------
    A 2 x 3 int16 matrix ``val``: a 20-byte header (type 30 = little-endian
    int16, rows, columns, no imaginary part, name length), the name, then the
    data column by column:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import read_mat_v4
    >>> val = np.array([[1, 2, 3], [-4, -5, -6]], dtype="<i2")
    >>> mat = Path(tempfile.mkdtemp()) / "rec.mat"
    >>> _ = mat.write_bytes(np.array([30, 2, 3, 0, 4], "<i4").tobytes() + b"val\\0"
    ...                     + val.T.tobytes())
    >>> read_mat_v4(mat)
    array([[ 1,  2,  3],
           [-4, -5, -6]], dtype=int16)
    """
    import io
    import warnings

    from scipy.io import loadmat
    from scipy.io.matlab import matfile_version

    path = Path(path)
    raw = _read_bytes(path, "MATLAB file")
    # Parsed from memory: a corrupt size field cannot make scipy read (or
    # allocate) more than the file holds.
    try:
        version = matfile_version(io.BytesIO(raw))[0]
    except Exception as err:  # noqa: BLE001 - any failure of scipy's parser is a bad file
        raise _bad(path, f"not a MATLAB file ({type(err).__name__}: {err})") from err
    if version != 0:
        raise _bad(path, "MATLAB v5+ file; only MATLAB v4 .mat files are supported")
    try:
        with warnings.catch_warnings():
            # scipy warns, then guesses, on byte orders other than IEEE: refuse those files
            warnings.simplefilter("error", UserWarning)
            variables = loadmat(io.BytesIO(raw), variable_names=[name], chars_as_strings=False)
    except Exception as err:  # noqa: BLE001 - any failure of scipy's parser is a bad file
        raise _bad(
            path, f"corrupt or truncated MATLAB v4 file ({type(err).__name__}: {err})"
        ) from err
    if name not in variables:
        raise _bad(path, f"MATLAB variable {name!r} not found")
    matrix = variables[name]
    if not isinstance(matrix, np.ndarray) or matrix.dtype.kind not in "iuf" or matrix.ndim != 2:
        raise _bad(path, f"MATLAB variable {name!r} is not a real numeric matrix")
    return matrix
