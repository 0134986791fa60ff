"""PhysioNet/CinC Challenge 2020/2021 reader (``.hea`` + MATLAB v4 ``.mat``)."""

from __future__ import annotations

__all__ = ["load_physionet_challenge"]

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.datasets._utils import multi_hot, read_csv, to_return_type
from sktime_ecoscale.datasets._wfdb import WFDBHeader, read_header, read_record
from sktime_ecoscale.utils._signal import pad_or_crop

_MAPPING_FILES = ("dx_mapping_scored.csv", "dx_mapping_unscored.csv")
_LABEL_NAMES = ("abbreviation", "dx", "code")


def dx_codes(header: WFDBHeader) -> list[str]:
    """Return the SNOMED-CT codes of a header's ``# Dx:`` comment."""
    dx = header.comment_fields().get("Dx", "")
    return [c.strip() for c in dx.split(",") if c.strip()]


def dx_mapping(folder: Path, label_names: str = "abbreviation") -> dict[str, str]:
    """Map SNOMED-CT codes to names using the ``dx_mapping_*.csv`` in ``folder``.

    Returns an empty dict when no mapping file is present (codes stay codes).
    """
    if label_names not in _LABEL_NAMES:
        raise ValueError(f"label_names must be one of {_LABEL_NAMES}, got {label_names!r}")
    mapping: dict[str, str] = {}
    if label_names == "code":
        return mapping
    col = "Abbreviation" if label_names == "abbreviation" else "Dx"
    for name in _MAPPING_FILES:
        f = folder / name
        if f.is_file():
            df = read_csv(f, "Dx mapping", ["SNOMEDCTCode", col], dtype=str)
            for code, label in zip(df["SNOMEDCTCode"], df[col]):
                # The scored table wins where both list a code.
                mapping.setdefault(str(code).strip(), str(label).strip())
    return mapping


def challenge_index(
    path: str | Path,
    records: Sequence[str] | None = None,
    classes: Sequence[str] | None = None,
    label_names: str = "abbreviation",
) -> tuple[list[WFDBHeader], pd.DataFrame]:
    """Parse all headers of a Challenge folder and build the label table.

    Shared by :func:`load_physionet_challenge` and :class:`ChallengeDataset`.

    Returns
    -------
    headers : list of WFDBHeader, sorted by record name
    y : pd.DataFrame, multi-hot labels indexed by record name
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: Challenge data folder not found")
    if records is None:
        hea = sorted(folder.glob("*.hea"))
        if not hea:
            raise FileNotFoundError(f"{folder}: no WFDB headers (*.hea) found")
    else:
        hea = [folder / f"{r}.hea" for r in records]
    headers = [read_header(h) for h in hea]
    mapping = dx_mapping(folder, label_names)
    sets = [[mapping.get(c, c) for c in dx_codes(h)] for h in headers]
    y = multi_hot(sets, classes, index=pd.Index([h.record_name for h in headers], name="record"))
    return headers, y


def load_physionet_challenge(
    path: str | Path,
    records: Sequence[str] | None = None,
    length: int | str | None = None,
    classes: Sequence[str] | None = None,
    label_names: str = "abbreviation",
    return_metadata: bool = False,
    return_type: str = "list",
):
    """Load PhysioNet/CinC Challenge 2020/2021 records and their Dx labels.

    Reads WFDB headers (also those with a date on the record line, which
    wfdb 4.3 rejects) and MATLAB v4 ``.mat`` signals (variable ``val``),
    converts to mV with each lead's gain and baseline, and maps the SNOMED-CT
    codes of ``# Dx:`` to names through ``dx_mapping_scored.csv`` and
    ``dx_mapping_unscored.csv`` when those are in the folder.

    Parameters
    ----------
    path : str or Path
        Folder with ``*.hea`` and ``*.mat`` files.
    records : sequence of str, optional
        Record names to read (e.g. ``["A0689", "E07500"]``). Default: all.
    length : int, "max" or None, default=None
        Records differ in length (A1041 is 17 s). ``None`` keeps each
        record's own length; an int pads/crops each record, centred, to that
        many samples; ``"max"`` pads all to the longest record.
    classes : sequence of str, optional
        Label columns, in order (labels outside are dropped). Default: sorted
        union of the labels found. Fix it to keep train/test columns equal.
    label_names : {"abbreviation", "dx", "code"}, default="abbreviation"
        Column names: mapping abbreviation (``"AF"``), full name, or the raw
        SNOMED-CT code. Codes absent from the mapping stay codes.
    return_metadata : bool, default=False
        Also return a DataFrame with record, fs, sig_len, age, sex.
    return_type : {"list", "numpy3D", "nested_univ", "pd-multiindex", "df-list"}
        Container of X; the default ``"list"`` gives float32 arrays of shape
        ``(12, n_i)`` and works for unequal lengths; ``"numpy3D"`` needs equal
        lengths (use ``length``).

    Returns
    -------
    X : list of np.ndarray (12, n_i) float32 in mV, or the requested container.
    y : pd.DataFrame
        Multi-hot 0/1 labels, one row per record (same order as X).
    metadata : pd.DataFrame
        Only if ``return_metadata``.

    Raises
    ------
    FileNotFoundError
        If the folder, a header or a ``.mat`` file is missing.
    ValueError
        For corrupt headers, truncated or malformed ``.mat`` files, or
        unequal lengths with ``return_type="numpy3D"`` and no ``length``.

    Examples
    --------
    Two CPSC records of the Challenge records shared beside the repository
    (not shipped with the package); A1041 is 17 s long:

    >>> from sktime_ecoscale.datasets import load_physionet_challenge
    >>> X, y = load_physionet_challenge("../shared/data/cinc2021", records=["A0689", "A1041"])
    >>> [x.shape for x in X], [x.dtype.name for x in X]
    ([(12, 5000), (12, 8500)], ['float32', 'float32'])
    >>> y
       AF  LBBB
    0   1     0
    1   1     1
    >>> X[0][:3, :4].round(3)  # leads I, II, III of A0689, in mV (ADC units / 1000)
    array([[-0.047, -0.045, -0.043, -0.043],
           [-0.019, -0.018, -0.017, -0.017],
           [ 0.028,  0.027,  0.026,  0.026]], dtype=float32)
    """
    headers, y = challenge_index(path, records, classes, label_names)
    X = [read_record(h.path)[0] for h in headers]
    if length == "max":
        length = max((x.shape[-1] for x in X), default=1)
    if length is not None:
        X = [pad_or_crop(x, int(length)) for x in X]
    X = to_return_type(X, return_type)
    y = y.reset_index(drop=True)
    if not return_metadata:
        return X, y
    meta = pd.DataFrame(
        {
            "record": [h.record_name for h in headers],
            "fs": [h.fs for h in headers],
            "sig_len": [h.sig_len for h in headers],
            "age": [_number(h.comment_fields().get("Age")) for h in headers],
            "sex": [h.comment_fields().get("Sex") for h in headers],
        }
    )
    return X, y, meta


def _number(text: str | None) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return np.nan
