"""Data set specifications (``"kind:PATH"``) for the command line."""

from __future__ import annotations

__all__ = ["open_dataset", "load_dataset", "parse_spec", "DATASET_KINDS"]

from pathlib import Path

from sktime_ecoscale.datasets._challenge import load_physionet_challenge
from sktime_ecoscale.datasets._code15 import load_code15
from sktime_ecoscale.datasets._lazy import ChallengeDataset, Code15Dataset, PTBXLDataset
from sktime_ecoscale.datasets._protocol import ArrayDataset, ECGDataset
from sktime_ecoscale.datasets._ptbxl import load_ptbxl
from sktime_ecoscale.datasets._ucr import load_ucr_uea

DATASET_KINDS = ("code15", "ptbxl", "challenge", "ts")


def parse_spec(spec: str | Path) -> tuple[str, Path]:
    """Split ``"kind:PATH"`` into ``(kind, Path)``; infer the kind of a bare path.

    A bare path is a ``.ts`` file or UCR/UEA folder (``ts``), a folder with
    ``exams.csv`` (``code15``), with ``ptbxl_database.csv`` (``ptbxl``) or
    with ``*.hea`` files (``challenge``).

    Raises
    ------
    ValueError
        If the kind is unknown or cannot be inferred.
    FileNotFoundError
        If a bare path does not exist.
    """
    text = str(spec)
    kind, sep, rest = text.partition(":")
    if sep and kind in DATASET_KINDS:
        return kind, Path(rest)
    path = Path(text)
    if path.suffix == ".ts":
        return "ts", path
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: not found (spec must be a path or one of "
            f"{', '.join(k + ':PATH' for k in DATASET_KINDS)})"
        )
    if path.is_dir():
        if (path / "exams.csv").is_file():
            return "code15", path
        if (path / "ptbxl_database.csv").is_file():
            return "ptbxl", path
        if next(path.glob("*.hea"), None) is not None:
            return "challenge", path
        if (path / f"{path.name}_TRAIN.ts").is_file():
            return "ts", path
    raise ValueError(
        f"{path}: cannot tell the data set kind; write it as one of "
        f"{', '.join(k + ':PATH' for k in DATASET_KINDS)}"
    )


def open_dataset(spec: str | Path, **kwargs) -> ECGDataset:
    """Open a data set spec as a lazy data set following the protocol of ``_lazy``.

    Parameters
    ----------
    spec : str or Path
        ``"code15:PATH"``, ``"ptbxl:PATH"``, ``"challenge:PATH"``,
        ``"ts:PATH"`` or a bare path (see :func:`parse_spec`).
    **kwargs
        Passed to :class:`Code15Dataset`, :class:`PTBXLDataset`,
        :class:`ChallengeDataset`, or for ``ts`` to :func:`load_ucr_uea`
        (``split=...``; read into memory and wrapped in :class:`ArrayDataset`).

    Returns
    -------
    ECGDataset

    Examples
    --------
    >>> import tempfile
    >>> from sktime_ecoscale.datasets import make_code15_like, open_dataset
    >>> folder = make_code15_like(tempfile.mkdtemp(), n_exams=4)
    >>> ds = open_dataset(f"code15:{folder}")
    >>> len(ds), ds.n_channels, ds.seq_len, ds.multilabel
    (4, 12, 4096, True)
    """
    kind, path = parse_spec(spec)
    if kind == "code15":
        return Code15Dataset(path, **kwargs)
    if kind == "ptbxl":
        return PTBXLDataset(path, **kwargs)
    if kind == "challenge":
        return ChallengeDataset(path, **kwargs)
    seq_len = kwargs.pop("seq_len", None)
    X, y = load_ucr_uea(path, return_type="list", **kwargs)
    return ArrayDataset(X, y, seq_len=seq_len)


def load_dataset(spec: str | Path, **kwargs):
    """Load a data set spec into memory as ``(X, y)``.

    Parameters
    ----------
    spec : str or Path
        As in :func:`open_dataset`.
    **kwargs
        Passed to :func:`load_code15`, :func:`load_ptbxl`,
        :func:`load_physionet_challenge` (defaults here: ``length="max"``,
        ``return_type="numpy3D"``) or :func:`load_ucr_uea`.

    Returns
    -------
    X : np.ndarray (n, c, t) float32 by default
        The series in mV (or the container the reader was asked for).
    y : np.ndarray or pd.DataFrame
        Labels as returned by the reader.

    Examples
    --------
    >>> import tempfile
    >>> from sktime_ecoscale.datasets import load_dataset, make_code15_like
    >>> folder = make_code15_like(tempfile.mkdtemp(), n_exams=4)
    >>> X, y = load_dataset(f"code15:{folder}")
    >>> X.shape, y.shape
    ((4, 12, 4096), (4, 6))
    """
    kind, path = parse_spec(spec)
    if kind == "code15":
        return load_code15(path, **kwargs)
    if kind == "ptbxl":
        return load_ptbxl(path, **kwargs)
    if kind == "challenge":
        kwargs.setdefault("length", "max")
        kwargs.setdefault("return_type", "numpy3D")
        return load_physionet_challenge(path, **kwargs)
    return load_ucr_uea(path, **kwargs)
