"""Bad input gets a ValueError/TypeError that names the problem and the fix.

One test per case of issue 6, item 1, run through the public ``fit``/``predict``
(so sktime's own checks, which run after ours, never answer first).
"""

import numpy as np
import pandas as pd
import pytest
from sktime.datatypes import convert_to

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.utils._validation import check_arrays, check_panel_input


def _clf(**kwargs):
    params = dict(
        widths=(4, 4, 8, 8),
        max_epochs=1,
        batch_size=8,
        valid_size=0.0,
        device="cpu",
        random_state=0,
    )
    params.update(kwargs)
    return EcoScaleClassifier(**params)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(8, 2, 32)).astype("float32"), np.array([0, 1] * 4)


@pytest.fixture(scope="module")
def fitted(data):
    return _clf().fit(*data)


def test_nan_in_X_is_repaired_by_the_input_rule_in_fit_and_predict(data, fitted):
    """NaN marks a missing sample: fit and predict repair it alike (utils.fill_missing)."""
    from sktime_ecoscale.utils import fill_missing

    X, y = data
    Xn = X.copy()
    Xn[3, 1, 5] = np.nan  # a short gap: interpolated
    Xn[2, 0, :] = np.nan  # a missing lead: the training mean
    clf = _clf().fit(Xn, y)
    assert np.isfinite(clf.predict_proba(Xn)).all()
    prepared = clf.prepare_input(Xn)
    scaled = np.stack([clf.input_scaling_(x) for x in Xn])
    np.testing.assert_array_equal(prepared, np.stack([fill_missing(s) for s in scaled]))
    assert prepared[2, 0].max() == prepared[2, 0].min() == 0.0
    assert prepared[3, 1, 5] == pytest.approx((prepared[3, 1, 4] + prepared[3, 1, 6]) / 2, abs=1e-6)
    # the statistics are those of the recorded samples only
    recorded = Xn[:, 1][~np.isnan(Xn[:, 1])]
    assert clf.input_scaling_.mean[1] == pytest.approx(
        float(recorded.astype(np.float64).mean()), rel=1e-9
    )
    assert fitted.get_tag("capability:missing_values") is True


def test_inf_in_X_at_fit(data):
    X, y = data
    X = X.copy()
    X[2, 0, 0] = np.inf
    with pytest.raises(ValueError, match="series 2 contains infinite values"):
        _clf().fit(X, y)


def test_inf_in_pd_multiindex_is_refused(data):
    X, y = data
    Xm = convert_to(X, "pd-multiindex")
    Xm.loc[(5, 7), Xm.columns[0]] = -np.inf
    with pytest.raises(ValueError, match="series 5 contains infinite values"):
        _clf().fit(Xm, y)


def test_inf_in_X_at_predict(data, fitted):
    X = data[0].copy()
    X[1, 0, 0] = np.inf
    with pytest.raises(ValueError, match="In predict, series 1 contains infinite values"):
        fitted.predict(X)
    with pytest.raises(ValueError, match="In predict_proba, series 1 contains infinite"):
        fitted.predict_proba(X)


def test_missing_values_allowed_when_the_tag_says_so():
    X = np.zeros((2, 1, 8))
    X[0, 0, 0] = np.nan
    check_panel_input(X, [0, 1], allow_missing=True)  # no error


def test_channel_count_at_predict_differs_from_fit(data, fitted):
    with pytest.raises(
        ValueError, match="has 1 channels but the model was fitted on 2; pass the same leads"
    ):
        fitted.predict(data[0][:, :1])


def test_series_shorter_than_network_minimum(data):
    X, y = data
    series = [pd.DataFrame(x.T) for x in X]
    series[4] = series[4].iloc[:0]
    with pytest.raises(
        ValueError, match="series 4 has 0 time points, fewer than the 1 .* pad the series"
    ):
        _clf().fit(series, y)


def test_series_shorter_than_a_stated_minimum():
    with pytest.raises(ValueError, match="fewer than the 16 the network needs.*PadCrop"):
        check_arrays(np.zeros((2, 1, 8)), min_length=16, where="fit")


def test_X_and_y_of_different_lengths(data):
    X, y = data
    with pytest.raises(ValueError, match="X has 8 series but y has 5 labels; pass exactly one"):
        _clf().fit(X, y[:5])


def test_empty_X(data):
    X, y = data
    with pytest.raises(ValueError, match="X is empty: it must hold at least one series"):
        _clf().fit(X[:0], y[:0])


def test_empty_X_at_predict(data, fitted):
    with pytest.raises(ValueError, match="In predict, X is empty"):
        fitted.predict(data[0][:0])


def test_non_numeric_X(data):
    X, y = data
    with pytest.raises(TypeError, match=r"X must be numeric \(convert with X.astype"):
        _clf().fit(X.astype(str), y)


@pytest.mark.parametrize(
    "make_y",
    [
        lambda y: np.where(np.arange(len(y)) == 2, np.nan, y.astype(float)),
        lambda y: np.array([None if i == 2 else f"c{v}" for i, v in enumerate(y)], dtype=object),
        lambda y: (
            pd.DataFrame({"a": y, "b": 1 - y, "c": y})
            .astype(float)
            .mask(pd.DataFrame({"a": np.arange(len(y)) == 2, "b": False, "c": False}))
        ),
    ],
    ids=["float-nan", "object-none", "multilabel-nan"],
)
def test_missing_labels_in_y(data, make_y):
    X, y = data
    with pytest.raises(
        ValueError, match=r"y has missing labels \(NaN or None\) at positions \[2\]; drop"
    ):
        _clf().fit(X, make_y(y))


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"max_epochs": -1}, "max_epochs must be a positive integer, got -1"),
        ({"device": "tpu"}, "device must be 'auto', 'cpu' or 'cuda"),
        ({"optimizer": "lbfgs"}, "optimizer must be one of"),
        ({"valid_size": 1.5}, r"valid_size must be in \[0, 1\), got 1.5"),
        ({"valid_size": -0.1}, r"valid_size must be in \[0, 1\)"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
    ],
)
def test_invalid_hyperparameters_at_fit(data, params, fragment):
    with pytest.raises(ValueError, match=fragment):
        _clf(**params).fit(*data)
