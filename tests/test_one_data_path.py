"""One input rule, one data-set view, one validation split: the same model whatever the path.

``fit(X, y)`` on an in-memory panel, ``fit_dataset(ArrayDataset(X, y))`` on the
same records and ``ecoscale train`` + ``ecoscale predict`` on the same records
written as a ``.ts`` file must train on identical inputs and therefore give the
same probabilities (same settings, same ``random_state``, CPU).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.cli import main
from sktime_ecoscale.datasets import ArrayDataset, DatasetView
from sktime_ecoscale.utils import InputScaling, prepare_series, split_indices

SETTINGS = dict(widths=(4, 8, 8, 8), max_epochs=3, batch_size=8, device="cpu", random_state=0)
#: float32 arithmetic on identical inputs: the paths must agree far below this.
ATOL = 1e-5


def _records(n: int = 24, n_channels: int = 2, seed: int = 0):
    """Unequal-length raw records in µV (values of a few hundred), float32, two classes."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(150, 201, size=n)
    lengths[0] = 200  # the longest record fixes the padded length on every path
    y = np.array(["af", "norm"] * (n // 2))  # lower case: the .ts reader lowers labels
    X = []
    for length, label in zip(lengths, y):
        x = 300.0 * rng.normal(size=(n_channels, int(length))) + 150.0
        if label == "af":
            x[0, 40:80] += 400.0
        X.append(x.astype(np.float32))
    return X, y


def _df_list(X):
    return [pd.DataFrame(x.T) for x in X]


def _write_ts(path, X, y) -> None:
    """Write unequal-length multivariate records as a UCR/UEA ``.ts`` file (exact float32)."""
    lines = [
        "@problemName unequal",
        "@timeStamps false",
        "@missing false",
        "@univariate false",
        f"@dimensions {X[0].shape[0]}",
        "@equalLength false",
        f"@classLabel true {' '.join(sorted(set(y)))}",
        "@data",
    ]
    for x, label in zip(X, y):
        channels = [",".join(repr(float(v)) for v in row) for row in x]
        lines.append(":".join(channels) + f":{label}")
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def records():
    return _records()


@pytest.mark.parametrize("valid_size", [0.0, 0.25])
def test_fit_and_fit_dataset_give_the_same_model(records, valid_size):
    X, y = records
    params = dict(SETTINGS, valid_size=valid_size, patience=5)
    in_memory = EcoScaleClassifier(**params).fit(_df_list(X), y)
    lazy = EcoScaleClassifier(**params).fit_dataset(ArrayDataset(X, y))
    assert in_memory.input_scaling_ == lazy.input_scaling_
    assert len(in_memory.history_) == len(lazy.history_)
    if valid_size:  # the same series were held out on both paths
        assert in_memory.history_[-1]["valid_loss"] == pytest.approx(
            lazy.history_[-1]["valid_loss"], abs=ATOL
        )
    diff = np.abs(in_memory.predict_proba(_df_list(X)) - lazy.predict_proba(_df_list(X))).max()
    assert diff < ATOL, f"fit and fit_dataset differ by {diff:.3g}"


@pytest.mark.parametrize("valid_size", ["0", "0.25"])
def test_cli_train_and_predict_match_the_python_api(records, tmp_path, valid_size):
    X, y = records
    data, model, csv = tmp_path / "unequal.ts", tmp_path / "model", tmp_path / "pred.csv"
    _write_ts(data, X, y)
    settings = "--widths 4,8,8,8 --max-epochs 3 --batch-size 8 --patience 5 --device cpu"
    train = ["train", "--data", f"ts:{data}", "--out", str(model), "--valid-size", valid_size]
    assert main([*train, *settings.split(), "--random-state", "0", "--verbose", "0"]) == 0
    predict = ["predict", "--model", str(model), "--data", f"ts:{data}", "--out", str(csv)]
    assert main([*predict, "--chunk-size", "5"]) == 0  # chunks do not change the padding
    api = EcoScaleClassifier(**SETTINGS, valid_size=float(valid_size), patience=5)
    api.fit(_df_list(X), y)
    expected = api.predict_proba(_df_list(X))
    table = pd.read_csv(csv)
    got = table[[f"p_{c}" for c in api.classes_]].to_numpy()
    diff = np.abs(got - expected).max()
    assert diff < ATOL, f"ecoscale train/predict and the Python API differ by {diff:.3g}"
    # the saved model predicts in-memory panels as the API model does
    loaded = EcoScaleClassifier.load_model(model)
    np.testing.assert_allclose(loaded.predict_proba(_df_list(X)), expected, rtol=0, atol=ATOL)


# ------------------------------------------------------------- the rule itself
def test_the_rule_scales_then_pads_at_the_end():
    x = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    scaling = InputScaling("channel", mean=(2.0,), std=(0.5,))
    np.testing.assert_array_equal(prepare_series(x, 5, scaling), [[-2.0, 0.0, 2.0, 0.0, 0.0]])
    np.testing.assert_array_equal(prepare_series(x, 2, scaling), [[-2.0, 0.0]])  # crop: start kept
    np.testing.assert_array_equal(prepare_series(x, 4), [[1.0, 2.0, 3.0, 0.0]])  # raw


def test_lazy_items_follow_the_rule_and_statistics_ignore_padding(records):
    X, y = records
    ds = ArrayDataset(X, y)
    x, _ = ds[1]
    np.testing.assert_array_equal(x, prepare_series(X[1], ds.seq_len))
    scaling = InputScaling.fit("channel", ds)
    raw = np.concatenate(X, axis=1).astype(np.float64)
    np.testing.assert_allclose(scaling.mean, raw.mean(axis=1), rtol=1e-9)
    np.testing.assert_allclose(scaling.std, raw.std(axis=1), rtol=1e-9)
    scaled = ds.view(scaling=scaling)
    np.testing.assert_array_equal(scaled[1][0], prepare_series(X[1], ds.seq_len, scaling))


def test_views_compose_and_keep_the_protocol(records):
    X, y = records
    ds = ArrayDataset(X, y)
    view = ds.view([3, 5, 7, 9]).view([1, 3])
    assert isinstance(view, DatasetView) and len(view) == 2
    np.testing.assert_array_equal(view.indices, [5, 9])
    np.testing.assert_array_equal(view[1][0], ds[9][0])
    np.testing.assert_array_equal(view.labels(), ds.labels()[[5, 9]])
    protocol = ("n_channels", "seq_len", "classes", "multilabel")
    assert [getattr(view, a) for a in protocol] == [getattr(ds, a) for a in protocol]
    shards = [ds.shard(r, 3) for r in range(3)]
    assert sorted(np.concatenate([s.indices for s in shards]).tolist()) == list(range(len(ds)))


def test_split_is_stratified_and_honours_valid_size():
    targets = np.array([0] * 16 + [1] * 8)  # 6 held out: 4 and 2 in proportion
    train, valid = split_indices(targets, 0.25, seed=0)
    assert len(valid) == 6 and np.bincount(targets[valid]).tolist() == [4, 2]
    assert sorted(np.concatenate([train, valid]).tolist()) == list(range(24))
    assert split_indices(targets, 0.0, seed=0)[1] is None
    assert split_indices(targets[:3], 0.25, seed=0)[1] is None  # too few to hold any out


def test_a_data_set_without_raw_is_read_through_its_items(records):
    X, y = records

    class ItemsOnly(torch.utils.data.Dataset):  # the protocol before ``raw``
        n_channels, seq_len, classes, multilabel = 2, 200, ["af", "norm"], False

        def __len__(self):
            return len(X)

        def __getitem__(self, i):
            return prepare_series(X[i], self.seq_len), np.int64(i % 2)

        def labels(self):
            return np.arange(len(X)) % 2

    view = DatasetView(ItemsOnly(), [1, 2])
    np.testing.assert_array_equal(view.raw(0), prepare_series(X[1], 200))
    assert view.labels().tolist() == [1, 0] and view[1][1] == 0
