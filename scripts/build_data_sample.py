"""Build the compact real-ECG sample shipped inside the package (sktime_ecoscale/datasets/data).

Run from the repository root with the shared data beside it::

    .venv/bin/python scripts/build_data_sample.py [--shared ../shared/data]

It writes, from the 500 PTB-XL 1.0.3 records at 100 Hz and the small UCR/UEA ECG sets:

* ``ptbxl100.npz.xz``: the records' ADC samples (int16, first differences, which
  compress best) with each lead's baseline and ADC-to-mV factor, LZMA-compressed;
* ``ptbxl_database.csv.gz`` (the columns the readers use, values as in the
  original file) and ``scp_statements.csv.gz``;
* ``ucr/NAME/NAME_{TRAIN,TEST}.ts.gz`` for ECG200, TwoLeadECG, AtrialFibrillation
  and StandWalkJump.

It then checks that :func:`sktime_ecoscale.datasets.load_ptbxl_sample` returns exactly
what :func:`sktime_ecoscale.datasets.load_ptbxl` reads from the original files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import lzma
import shutil
from pathlib import Path

import numpy as np

from sktime_ecoscale.datasets._sample import BUNDLED_TS, PTBXL_COLUMNS, SAMPLE_DIR
from sktime_ecoscale.datasets._wfdb import _UNIT_TO_MV, read_header

UCR_FOLDERS = {
    "ECG200": "ucr",
    "TwoLeadECG": "ucr",
    "AtrialFibrillation": "uea",
    "StandWalkJump": "uea",
}


def _gzip(src: Path, dst: Path, text: str | None = None) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    data = src.read_bytes() if text is None else text.encode()
    # mtime=0: the same input gives the same bytes (reproducible package data)
    with (
        open(dst, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh,
    ):
        fh.write(data)


def build_ptbxl(ptbxl: Path, out: Path) -> None:
    with open(ptbxl / "ptbxl_database.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, PTBXL_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _gzip(ptbxl / "ptbxl_database.csv", out / "ptbxl_database.csv.gz", buf.getvalue())
    _gzip(ptbxl / "scp_statements.csv", out / "scp_statements.csv.gz")
    shutil.copyfile(ptbxl / "LICENSE.txt", out / "LICENSE-PTB-XL.txt")

    ecg_ids, digital, baseline, factor = [], [], [], []
    for row in rows:
        header = read_header(ptbxl / f"{row['filename_lr']}.hea")
        (file_name,) = {s.file_name for s in header.signals}  # one interleaved format-16 file
        assert all(s.fmt == 16 for s in header.signals)
        samples = np.fromfile(header.path.parent / file_name, dtype="<i2")
        digital.append(samples.reshape(header.sig_len, header.n_sig).T)
        baseline.append([s.baseline for s in header.signals])
        factor.append([_UNIT_TO_MV[s.units.lower()] / s.gain for s in header.signals])
        ecg_ids.append(int(row["ecg_id"]))
    digital = np.stack(digital).astype(np.int16)
    # first differences wrap around in int16 and cumsum(dtype=int16) undoes them exactly
    diff = np.diff(digital, axis=-1, prepend=np.zeros_like(digital[..., :1])).astype(np.int16)
    buf = io.BytesIO()
    np.savez(
        buf,
        diff=diff,
        baseline=np.asarray(baseline, np.int64),
        factor=np.asarray(factor, np.float64),
        ecg_id=np.asarray(ecg_ids, np.int64),
    )
    (out / "ptbxl100.npz.xz").write_bytes(lzma.compress(buf.getvalue(), preset=9))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    args = parser.parse_args(argv)
    build_ptbxl(args.shared / "ptbxl", SAMPLE_DIR)
    for name in BUNDLED_TS:
        for split in ("TRAIN", "TEST"):
            src = args.shared / UCR_FOLDERS[name] / name / f"{name}_{split}.ts"
            _gzip(src, SAMPLE_DIR / "ucr" / name / f"{name}_{split}.ts.gz")

    from sktime_ecoscale.datasets import load_ptbxl, load_ptbxl_sample

    for target in ("superclass", "norm"):
        X, y, meta = load_ptbxl(args.shared / "ptbxl", target=target, return_metadata=True)
        Xs, ys, metas = load_ptbxl_sample(target=target, return_metadata=True)
        assert np.array_equal(X, Xs) and X.dtype == Xs.dtype
        assert np.array_equal(np.asarray(y), np.asarray(ys)) and meta.equals(metas)
    total = sum(f.stat().st_size for f in SAMPLE_DIR.rglob("*") if f.is_file())
    print(f"wrote {SAMPLE_DIR} ({total / 1e6:.2f} MB); load_ptbxl_sample == load_ptbxl")


if __name__ == "__main__":
    main()
