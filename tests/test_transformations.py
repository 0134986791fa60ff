"""Tests of the ECG transformers in sktime_ecoscale.transformations."""

import numpy as np
import pandas as pd
import pytest
from sktime.utils.estimator_checks import check_estimator

from sktime_ecoscale.transformations import (
    BandPass,
    PadCrop,
    RepairMissing,
    Resample,
    StandardizeLeads,
)
from sktime_ecoscale.utils import standardize_per_lead

ALL = [Resample, BandPass, StandardizeLeads, PadCrop, RepairMissing]
RNG = np.random.default_rng(0)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_check_estimator(cls):
    results = check_estimator(cls, raise_exceptions=False, verbose=False)
    failed = {k: v for k, v in results.items() if v != "PASSED"}
    assert not failed, failed


def test_resample_lengths():
    X = RNG.normal(size=(2, 12, 5000))
    assert Resample(100, 500).fit_transform(X).shape == (2, 12, 1000)
    assert Resample(400, 500).fit_transform(X).shape == (2, 12, 4000)
    assert Resample(500, 500).fit_transform(X).shape == (2, 12, 5000)
    t = np.arange(5000) / 500  # a 5 Hz sine survives down-sampling
    x = np.sin(2 * np.pi * 5 * t)[None, None]
    np.testing.assert_allclose(
        Resample(100, 500).fit_transform(x)[0, 0, 50:-50], x[0, 0, ::5][50:-50], atol=1e-2
    )


def test_bandpass_removes_drift_keeps_signal():
    t = np.arange(5000) / 500
    drift, ecg = np.sin(2 * np.pi * 0.1 * t), 0.5 * np.sin(2 * np.pi * 10 * t)
    X = np.stack([drift + ecg, drift])[None]
    Xt = BandPass(low_hz=0.5, high_hz=40, fs=500).fit_transform(X)
    mid = slice(500, -500)
    assert np.abs(Xt[0, 1, mid]).max() < 0.01
    np.testing.assert_allclose(Xt[0, 0, mid], ecg[mid], atol=0.02)  # zero phase
    low = BandPass(low_hz=None, high_hz=1.0, fs=500).fit_transform(X)
    assert np.abs(low[0, 0, mid] - drift[mid]).max() < 0.05


def test_standardize():
    X = RNG.normal(3, 5, size=(3, 12, 200))
    X[0, 2] = 7.0  # flat lead
    Xt = StandardizeLeads().fit_transform(X)
    np.testing.assert_allclose(Xt[1].mean(-1), 0, atol=1e-9)
    np.testing.assert_allclose(Xt[1].std(-1), 1, atol=1e-6)
    assert np.all(Xt[0, 2] == 0)
    np.testing.assert_array_equal(Xt, standardize_per_lead(X))
    assert standardize_per_lead(X.astype(np.float32)).dtype == np.float32


def test_padcrop():
    X = np.arange(10.0)[None, None]
    np.testing.assert_array_equal(PadCrop(4).fit_transform(X)[0, 0], [3, 4, 5, 6])
    np.testing.assert_array_equal(PadCrop(4, align="left").fit_transform(X)[0, 0], [0, 1, 2, 3])
    out = PadCrop(14, value=-1).fit_transform(X)[0, 0]
    assert out[:2].tolist() == [-1, -1] and out[2:12].tolist() == list(range(10))


def test_repair_missing():
    X = np.array([[[0.0, np.nan, np.nan, 3.0], [1.0, 1.0, 1.0, 1.0], [np.nan] * 4]])
    out = RepairMissing().fit_transform(X)
    np.testing.assert_allclose(out[0, 0], [0, 1, 2, 3])
    np.testing.assert_array_equal(out[0, 2], 0)
    out = RepairMissing(lead_fill="mean", add_mask=True).fit_transform(X)
    assert out.shape == (1, 4, 4)
    np.testing.assert_allclose(out[0, 2], [0.5, 1, 1.5, 2])
    np.testing.assert_array_equal(out[0, 3], 1)


def test_pipeline_unequal_lengths():
    X = pd.DataFrame(
        {c: [pd.Series(RNG.normal(size=n)) for n in (5000, 8500)] for c in ("I", "II")}
    )
    pipe = Resample(100, 500) * BandPass(0.5, 40, fs=100) * StandardizeLeads() * PadCrop(1000)
    Xt = pipe.fit_transform(X)
    assert Xt.shape == (2, 2) and {len(Xt.iat[i, 0]) for i in range(2)} == {1000}
    assert pipe.fit_transform(RNG.normal(size=(2, 2, 5000))).shape == (2, 2, 1000)


def test_bad_input_messages():
    X = RNG.normal(size=(2, 3, 100))
    X[0, 0, 5] = np.nan
    with pytest.raises(ValueError, match="NaN.*RepairMissing"):
        StandardizeLeads().fit_transform(X)
    with pytest.raises(ValueError, match="longer than .* samples, got 10"):
        BandPass(fs=500).fit_transform(np.zeros((1, 1, 10)))
    with pytest.raises(ValueError, match="high_hz"):
        BandPass(0.5, 300, fs=500)
    with pytest.raises(ValueError, match="low_hz or high_hz"):
        BandPass(None, None)
    with pytest.raises(ValueError, match="dtype"):
        PadCrop(4).fit_transform(np.array([[["a", "b"]]], dtype=object))
    with pytest.raises(ValueError, match="lead_fill"):
        RepairMissing(lead_fill="median")
