"""Fuzzing harness for the binary readers: a test helper, not part of the package.

Used by ``tests/test_readers_fuzz.py`` (hypothesis) and by
``benchmarks/fuzz_readers.py`` (>= 10,000 random cases), which puts this
folder on ``sys.path``.

Each ``fuzz_*`` function writes a mutated copy of a small valid file, runs the
reader on it and returns the outcome: ``"ok"`` for a correct read, or the name
of one of our clear exceptions (``ValueError``, ``FileNotFoundError``) whose
message names the file. Anything else - another exception type, one of ours
without the file name, or a read that returns something other than float32
signals - raises, which is what the fuzzers catch. The checks raise
``AssertionError`` explicitly, so that they hold under ``python -O`` too.
"""

from __future__ import annotations

__all__ = ["mutate", "seed_files", "fuzz_header", "fuzz_mat", "fuzz_hdf5", "FUZZ_TARGETS"]

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sktime_ecoscale.datasets._code15 import load_code15
from sktime_ecoscale.datasets._wfdb import read_record

_HEADER = (
    "REC 3 500 40 12-May-2020 12:33:59\n"
    + "".join(
        f"REC.mat 16+24 1000/mV 16 0 {k} 0 0 {lead}\n" for k, lead in enumerate(["I", "II", "V1"])
    )
    + "#Age: 80\n#Sex: Male\n#Dx: 164889003,59118001\n"
)


def seed_files() -> dict[str, bytes]:
    """Return small valid seeds: a header, its MATLAB v4 file, a CODE-15 part."""
    rng = np.random.default_rng(0)
    val = rng.integers(-2000, 2000, size=(3, 40)).astype("<i2")
    mat = np.array([30, 3, 40, 0, 4], dtype="<i4").tobytes() + b"val\0"
    mat += val.T.tobytes()  # column-major
    return {"header": _HEADER.encode(), "mat": mat, "hdf5": _hdf5_seed()}


def _hdf5_seed() -> bytes:
    import io

    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset("exam_id", data=np.array([11, 12], dtype=np.int64))
        tr = np.zeros((2, 64, 12), dtype=np.float32)
        tr[:, 8:56] = np.random.default_rng(0).normal(size=(2, 48, 12))
        f.create_dataset("tracings", data=tr)
    return buf.getvalue()


def mutate(data: bytes, truncate_at: int | None, edits: Sequence[tuple[int, int]]) -> bytes:
    """Overwrite bytes (``(position, value)`` pairs, positions modulo length), then truncate."""
    buf = bytearray(data)
    for pos, value in edits:
        if buf:
            buf[pos % len(buf)] = value & 0xFF
    return bytes(buf if truncate_at is None else buf[:truncate_at])


def _outcome(fn, file: Path) -> str:
    try:
        fn()
    except (ValueError, FileNotFoundError) as e:
        if file.name not in str(e):
            raise AssertionError(f"error does not name {file.name}: {e!r}") from e
        return type(e).__name__
    return "ok"


def fuzz_header(folder: Path, data: bytes) -> str:
    """Read a record whose header is ``data`` (the ``.mat`` is valid)."""
    seeds = seed_files()
    (folder / "REC.mat").write_bytes(seeds["mat"])
    (folder / "REC.hea").write_bytes(data)
    return _outcome(lambda: _check_signal(read_record(folder / "REC.hea")[0]), folder / "REC")


def fuzz_mat(folder: Path, data: bytes) -> str:
    """Read a record whose ``.mat`` is ``data`` (the header is valid)."""
    (folder / "REC.hea").write_bytes(_HEADER.encode())
    (folder / "REC.mat").write_bytes(data)
    return _outcome(lambda: _check_signal(read_record(folder / "REC.hea")[0]), folder / "REC")


def fuzz_hdf5(folder: Path, data: bytes) -> str:
    """Load a CODE-15 folder whose only part is ``data``."""
    (folder / "exams.csv").write_text(
        "exam_id,1dAVb,RBBB,LBBB,SB,ST,AF,trace_file\n"
        "11,False,True,False,False,False,False,exams_part0.hdf5\n"
        "12,False,False,False,True,False,False,exams_part0.hdf5\n"
    )
    (folder / "exams_part0.hdf5").write_bytes(data)

    def run():
        X, y = load_code15(folder)
        if X.dtype != np.float32 or X.shape[:2] != (len(y), 12):
            raise AssertionError(f"load_code15 returned {X.dtype} {X.shape} for {len(y)} labels")

    return _outcome(run, folder / "exams_part0.hdf5")


def _check_signal(x: np.ndarray) -> None:
    if x.dtype != np.float32 or x.ndim != 2:
        raise AssertionError(f"read_record returned {x.dtype} of shape {x.shape}")


FUZZ_TARGETS = {"header": fuzz_header, "mat": fuzz_mat, "hdf5": fuzz_hdf5}
