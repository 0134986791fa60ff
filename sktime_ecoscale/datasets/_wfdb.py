"""Minimal WFDB reader: header parsing, format-16 ``.dat`` and MATLAB v4 ``.mat``.

We read WFDB ourselves instead of depending on the ``wfdb`` package because
wfdb 4.3 rejects headers that carry a date on the record line (CPSC and Ningbo
records of the PhysioNet/CinC Challenge), and because we want every malformed
input to end in one clear exception that names the file.

Only what ECG data sets use is supported: single-segment records, signal
format 16 (little-endian int16, samples interleaved), in a ``.dat`` file or in
the data part of a MATLAB v4 ``.mat`` file (``16+24`` byte offset), which
:func:`scipy.io.loadmat` parses.
"""

from __future__ import annotations

__all__ = [
    "WFDBSignal",
    "WFDBHeader",
    "read_header",
    "parse_header",
    "read_mat_v4",
    "read_record",
]

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sktime_ecoscale.datasets._matv4 import _bad, _read_bytes, read_mat_v4

# WFDB uses 200 ADC units per physical unit when the header gives gain 0.
_DEFAULT_GAIN = 200.0
_UNIT_TO_MV = {"mv": 1.0, "uv": 1e-3, "µv": 1e-3, "v": 1e3, "nu": 1.0, "": 1.0}
# format[xsamp][:skew][+offset]
_FMT_RE = re.compile(r"^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$")
# gain[(baseline)][/units]
_GAIN_RE = re.compile(r"^([-+0-9.eE]+)(?:\((-?\d+)\))?(?:/(\S+))?$")
_FS_RE = re.compile(r"^([0-9.eE+-]+)(?:/[0-9.eE+-]+)?(?:\([0-9.eE+-]+\))?$")
_MAX_SIGNALS = 4096  # sanity bound against corrupt headers


@dataclass(frozen=True)
class WFDBSignal:
    """One signal line of a WFDB header."""

    file_name: str
    fmt: int
    byte_offset: int
    gain: float
    baseline: int
    units: str
    adc_zero: int
    description: str


@dataclass(frozen=True)
class WFDBHeader:
    """Parsed WFDB header (``.hea``) of a single-segment record."""

    path: Path
    record_name: str
    n_sig: int
    fs: float
    sig_len: int
    signals: list[WFDBSignal]
    comments: list[str] = field(default_factory=list)

    @property
    def sig_names(self) -> list[str]:
        """Lead names, from the description field of each signal line."""
        return [s.description for s in self.signals]

    def comment_fields(self) -> dict[str, str]:
        """Return ``# Key: value`` comments as a dict (``Age``, ``Sex``, ``Dx``)."""
        out = {}
        for line in self.comments:
            key, sep, value = line.partition(":")
            if sep:
                out[key.strip()] = value.strip()
        return out


def parse_header(text: str, path: str | Path = "<header>") -> WFDBHeader:
    """Parse the text of a WFDB header.

    Parameters
    ----------
    text : str
        Content of a ``.hea`` file.
    path : str or Path, default="<header>"
        File name used in error messages.

    Returns
    -------
    WFDBHeader

    Raises
    ------
    ValueError
        If the record line or a signal line is malformed, the number of signal
        lines does not match, or the record is multi-segment.
    """
    path = Path(path)
    comments, lines = [], []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            comments.append(line.lstrip("#").strip())
        else:
            lines.append(line)
    if not lines:
        raise _bad(path, "corrupt WFDB header: no record line")
    rec = lines[0].split()
    # Record line: name[/nseg] nsig [fs [siglen [basetime [basedate]]]].
    # Anything after siglen (a date/time) is accepted and ignored.
    if len(rec) < 2:
        raise _bad(path, f"corrupt WFDB header: record line {lines[0]!r} too short")
    if "/" in rec[0]:
        raise _bad(path, "multi-segment WFDB records are not supported")
    try:
        n_sig = int(rec[1])
        fs_match = _FS_RE.match(rec[2]) if len(rec) > 2 else None
        if len(rec) > 2 and fs_match is None:
            raise ValueError
        fs = float(fs_match.group(1)) if fs_match else 250.0
        sig_len = int(rec[3]) if len(rec) > 3 else -1
    except ValueError:
        raise _bad(path, f"corrupt WFDB header: bad record line {lines[0]!r}") from None
    if not 0 < n_sig <= _MAX_SIGNALS or not np.isfinite(fs) or fs <= 0:
        raise _bad(path, f"corrupt WFDB header: bad record line {lines[0]!r}")
    if sig_len < 0:
        raise _bad(path, "WFDB header gives no signal length; cannot read record")
    if len(lines) - 1 != n_sig:
        raise _bad(
            path,
            f"corrupt WFDB header: record line announces {n_sig} signals, "
            f"found {len(lines) - 1} signal lines",
        )
    signals = [_parse_signal_line(line, path) for line in lines[1:]]
    return WFDBHeader(path, rec[0], n_sig, fs, sig_len, signals, comments)


def _parse_signal_line(line: str, path: Path) -> WFDBSignal:
    parts = line.split(maxsplit=8)
    if len(parts) < 2:
        raise _bad(path, f"corrupt WFDB header: signal line {line!r} too short")
    if not re.fullmatch(r"[\w.+-]+", parts[0]) or parts[0] in (".", ".."):
        # Signal files live next to the header: plain names only.
        raise _bad(path, f"corrupt WFDB header: bad signal file name {parts[0]!r}")
    fmt_m = _FMT_RE.match(parts[1])
    if fmt_m is None:
        raise _bad(path, f"corrupt WFDB header: bad format field {parts[1]!r}")
    fmt = int(fmt_m.group(1))
    offset = int(fmt_m.group(4) or 0)
    gain, baseline, units = _DEFAULT_GAIN, None, "mV"
    if len(parts) > 2:
        g = _GAIN_RE.match(parts[2])
        if g is None:
            raise _bad(path, f"corrupt WFDB header: bad gain field {parts[2]!r}")
        try:
            gain = float(g.group(1))
        except ValueError:
            raise _bad(path, f"corrupt WFDB header: bad gain {parts[2]!r}") from None
        if gain == 0:
            gain = _DEFAULT_GAIN
        baseline = int(g.group(2)) if g.group(2) is not None else None
        units = g.group(3) or "mV"
    if not np.isfinite(gain):
        raise _bad(path, f"corrupt WFDB header: non-finite gain {parts[2]!r}")
    try:
        adc_zero = int(parts[4]) if len(parts) > 4 else 0
    except ValueError:
        raise _bad(path, f"corrupt WFDB header: bad ADC zero {parts[4]!r}") from None
    if baseline is None:  # WFDB: baseline defaults to the ADC zero
        baseline = adc_zero
    description = parts[8].strip() if len(parts) > 8 else ""
    return WFDBSignal(parts[0], fmt, offset, gain, baseline, units, adc_zero, description)


def read_header(path: str | Path) -> WFDBHeader:
    """Read and parse a WFDB header file.

    Parameters
    ----------
    path : str or Path
        Path to the ``.hea`` file (the suffix may be omitted).

    Returns
    -------
    WFDBHeader

    Raises
    ------
    FileNotFoundError
        If the header does not exist.
    ValueError
        If the header is not valid text or is malformed.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sktime_ecoscale.datasets import read_header
    >>> hea = Path(tempfile.mkdtemp()) / "A0001.hea"
    >>> _ = hea.write_text(
    ...     "A0001 2 500 5000 05-Jun-2020 11:42:00\\n"  # a date, as in CPSC records
    ...     "A0001.mat 16+24 1000/mV 16 0 28 -1716 0 I\\n"
    ...     "A0001.mat 16+24 1000/mV 16 0 7 2029 0 II\\n"
    ...     "# Age: 74\\n# Dx: 164889003\\n")
    >>> header = read_header(hea)
    >>> header.n_sig, header.fs, header.sig_len, header.sig_names
    (2, 500.0, 5000, ['I', 'II'])
    >>> header.comment_fields()["Dx"]
    '164889003'
    """
    path = Path(path)
    if path.suffix != ".hea":
        path = path.with_name(path.name + ".hea")
    raw = _read_bytes(path, "WFDB header")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(path, "corrupt WFDB header: not UTF-8 text") from None
    return parse_header(text, path)


def _read_format16(path: Path, header: WFDBHeader, n_sig: int, offset: int) -> np.ndarray:
    raw = _read_bytes(path, "signal file")
    need = offset + 2 * n_sig * header.sig_len
    if len(raw) < need:
        raise _bad(
            path,
            f"truncated signal file: header {header.path.name} needs {need} bytes, "
            f"found {len(raw)}",
        )
    data = np.frombuffer(raw, dtype="<i2", count=n_sig * header.sig_len, offset=offset)
    return data.reshape(header.sig_len, n_sig).T


def _read_signal_file(
    fpath: Path, header: WFDBHeader, n_sig: int, sigs: list[WFDBSignal]
) -> np.ndarray:
    """Digital samples ``(n_sig, sig_len)`` of one ``.mat`` or format-16 file."""
    if fpath.suffix != ".mat":
        return _read_format16(fpath, header, n_sig, sigs[0].byte_offset)
    digital = read_mat_v4(fpath)
    if digital.shape != (n_sig, header.sig_len):
        raise _bad(
            fpath,
            f"'val' has shape {digital.shape}, header {header.path.name} "
            f"announces {(n_sig, header.sig_len)}",
        )
    return digital


def read_record(path: str | Path) -> tuple[np.ndarray, WFDBHeader]:
    """Read a WFDB record (``.hea`` + ``.dat`` or ``.mat``) in millivolts.

    Parameters
    ----------
    path : str or Path
        The record's header (``.hea``), with or without suffix.

    Returns
    -------
    signal : np.ndarray
        float32, shape ``(n_sig, sig_len)``, in mV.
    header : WFDBHeader

    Raises
    ------
    FileNotFoundError
        If the header or a signal file is missing.
    ValueError
        If a file is corrupt, truncated, or uses an unsupported format.

    Examples
    --------
    A 2-lead record of 3 samples in format 16 (gain 1000 ADC/mV, baseline 0):

    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import read_record
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "rec.hea").write_text(
    ...     "rec 2 500 3\\nrec.dat 16 1000/mV 16 0 0 0 0 I\\nrec.dat 16 1000/mV 16 0 0 0 0 II\\n")
    >>> np.array([[500, 0, -500], [1000, 1000, 1000]], "<i2").T.tofile(folder / "rec.dat")
    >>> signal, header = read_record(folder / "rec")
    >>> signal
    array([[ 0.5,  0. , -0.5],
           [ 1. ,  1. ,  1. ]], dtype=float32)
    >>> header.record_name, header.sig_names
    ('rec', ['I', 'II'])
    """
    header = read_header(path)
    # Allocate only after each file's size has been checked against the
    # header, so a corrupt header cannot request a huge array.
    leads: dict[int, np.ndarray] = {}
    # Signals sharing a file are interleaved in it; group them in file order.
    groups: dict[str, list[int]] = {}
    for i, sig in enumerate(header.signals):
        groups.setdefault(sig.file_name, []).append(i)
    for file_name, rows in groups.items():
        sigs = [header.signals[i] for i in rows]
        if any(s.fmt != 16 for s in sigs):
            raise _bad(
                header.path,
                f"unsupported WFDB signal format {sigs[0].fmt} (only format 16 is supported)",
            )
        try:
            digital = _read_signal_file(header.path.parent / file_name, header, len(rows), sigs)
        except FileNotFoundError as e:
            # Name the header too: a typo there is the usual cause.
            raise FileNotFoundError(f"{e} (signal file of {header.path.name})") from None
        for k, (row, sig) in enumerate(zip(rows, sigs)):
            scale = _UNIT_TO_MV.get(sig.units.lower())
            if scale is None:
                raise _bad(header.path, f"unknown physical unit {sig.units!r}")
            leads[row] = (digital[k].astype(np.float64) - sig.baseline) * (scale / sig.gain)
    out = np.stack([leads[i] for i in range(header.n_sig)]).astype(np.float32)
    return out, header
