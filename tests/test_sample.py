"""The real ECGs bundled with the package: load_ptbxl_sample and the bundled UCR/UEA sets."""

import gzip

import numpy as np
import pandas as pd
import pytest

from sktime_ecoscale.datasets import load_ptbxl, load_ptbxl_sample, load_ucr_uea
from sktime_ecoscale.datasets._sample import BUNDLED_TS, SAMPLE_DIR

SUPERCLASSES = {"NORM": 297, "MI": 73, "STTC": 96, "CD": 78, "HYP": 40}


def test_sample_figures_without_shared_data():
    """The published figures of PTB-XL's first 500 records, from the package alone."""
    X, y, meta = load_ptbxl_sample(return_metadata=True)
    assert X.shape == (500, 12, 1000) and X.dtype == np.float32
    assert y.sum().to_dict() == SUPERCLASSES
    assert meta["ecg_id"].tolist() == list(range(1, 501))
    assert int((meta["strat_fold"] >= 9).sum()) == 147
    assert np.isfinite(X).all() and 0.05 < float(np.abs(X).mean()) < 1.0  # millivolts, not ADC
    X.flat[0] = 123.0  # a writeable copy: the next call is unaffected
    assert load_ptbxl_sample(folds=[meta["strat_fold"][0]])[0].flat[0] != 123.0


@pytest.mark.parametrize(
    "target, folds", [("superclass", None), ("norm", [9, 10]), ("rhythm", [1])]
)
def test_sample_equals_ptbxl_reader(target, folds, shared_data):
    X, y, meta = load_ptbxl(shared_data / "ptbxl", target=target, folds=folds, return_metadata=True)
    Xs, ys, metas = load_ptbxl_sample(target=target, folds=folds, return_metadata=True)
    assert Xs.dtype == X.dtype and np.array_equal(Xs, X)
    if isinstance(y, pd.DataFrame):
        pd.testing.assert_frame_equal(ys, y)
    else:
        assert np.array_equal(ys, y)
    pd.testing.assert_frame_equal(metas, meta)


def test_sample_return_types_and_bad_target():
    X, _ = load_ptbxl_sample(target="norm", folds=[10], return_type="df-list")
    assert isinstance(X, list) and X[0].shape == (1000, 12)
    with pytest.raises(ValueError, match="target must be one of"):
        load_ptbxl_sample(target="NORM")


@pytest.mark.parametrize(
    "name, folder",
    [
        ("ECG200", "ucr"),
        ("TwoLeadECG", "ucr"),
        ("AtrialFibrillation", "uea"),
        ("StandWalkJump", "uea"),
    ],
)
def test_bundled_ts_sets_equal_the_archive_files(name, folder, shared_data):
    for split in ("train", "test"):
        X, y = load_ucr_uea(shared_data / folder / name, split=split)
        Xb, yb = load_ucr_uea(name, split=split)
        assert np.array_equal(Xb, X) and np.array_equal(yb, y)


def test_bundled_ts_sets_are_the_documented_ones():
    shapes = {name: load_ucr_uea(name, split="train")[0].shape for name in BUNDLED_TS}
    assert shapes == {
        "ECG200": (100, 1, 96),
        "TwoLeadECG": (23, 1, 82),
        "AtrialFibrillation": (15, 2, 640),
        "StandWalkJump": (12, 4, 2500),
    }
    for name in BUNDLED_TS:  # licences and attribution ship beside the data
        assert name in (SAMPLE_DIR / "README.md").read_text()
    assert "Attribution 4.0" in (SAMPLE_DIR / "LICENSE-PTB-XL.txt").read_text()
    assert gzip.decompress((SAMPLE_DIR / "ucr/ECG200/ECG200_TEST.ts.gz").read_bytes()).startswith(
        b"#"
    )


def test_unknown_name_lists_the_bundled_sets():
    with pytest.raises(FileNotFoundError, match="bundled: ECG200"):
        load_ucr_uea("GunPointXYZ")
