"""Training profiler: FLOPs of a training step, step throughput, whole-fit cost, CLI."""

from __future__ import annotations

import json
import math

import pytest
import torch
from torch import nn

from sktime_ecoscale.cli import main
from sktime_ecoscale.networks import EcoScaleNet
from sktime_ecoscale.profiling import (
    count_flops,
    fit_cost,
    profile_training,
    to_markdown,
    training_step_flops,
)
from sktime_ecoscale.profiling._training import TRAIN_COLUMNS


def test_training_step_flops_counts_forward_and_gradients_by_hand():
    # conv (2 -> 3 channels, kernel 5, 16 samples), then a linear head (48 -> 4)
    net = nn.Sequential(nn.Conv1d(2, 3, 5, padding=2), nn.Flatten(), nn.Linear(48, 4))
    conv = 2 * 2 * 3 * 5 * 16  # multiply-adds x 2
    linear = 2 * 48 * 4
    # forward; weight gradients of both layers; the input gradient of the head
    # only (the first layer's input needs none)
    expected = 2 * conv + 3 * linear
    assert training_step_flops(net, torch.zeros(1, 2, 16), 4) == expected


def test_training_step_of_ecoscale_costs_two_to_three_forward_passes():
    net = EcoScaleNet(12, 5, seq_len=1000)
    x = torch.zeros(1, 12, 1000)
    ratio = training_step_flops(net, x, 5) / count_flops(net, x)
    assert 2.0 < ratio <= 3.0


def test_profile_training_grid_and_columns():
    df = profile_training(
        shape=(2, 64),
        n_classes=3,
        models=("ecoscale", "inceptiontime"),
        batch_sizes=(2, 4),
        threads=(1,),
        steps=1,
    )
    assert list(df.columns) == TRAIN_COLUMNS
    assert df[["model", "batch_size"]].values.tolist() == [
        ["ecoscale", 2],
        ["ecoscale", 4],
        ["inceptiontime", 2],
        ["inceptiontime", 4],
    ]
    assert (df["series_s"] > 0).all()
    assert df["series_s"].tolist() == pytest.approx((df["batch_size"] / df["step_s"]).tolist())
    ceiling = df.attrs["matmul_gflop_s"][1]
    assert df["ceiling_fraction"].tolist() == pytest.approx(
        (df["achieved_gflop_s"] / ceiling).tolist()
    )
    # one network per model: the same parameter and FLOP count in every cell
    assert df.groupby("model")["params"].nunique().max() == 1
    assert "| inceptiontime | 4 | 1 |" in to_markdown(df)


def test_profile_training_rejects_unknown_model():
    with pytest.raises(ValueError, match="Unknown models"):
        profile_training(shape=(2, 64), models=("resnet",))


def test_fit_cost_rows_and_bad_epochs():
    df = fit_cost(
        n_series=16,
        shape=(2, 64),
        n_classes=2,
        epochs=(1, 2),
        threads=1,
        batch_size=8,
        models=("ecoscale-1",),
    )
    assert list(df["model"]) == ["ecoscale-1"]
    assert df.loc[0, "fit_s_low"] > 0 and df.loc[0, "fit_s_high"] > 0
    with pytest.raises(ValueError, match="increasing"):
        fit_cost(n_series=8, shape=(1, 32), epochs=(2, 2), models=("ecoscale-1",))


def test_cli_profile_train(tmp_path, capsys):
    out = tmp_path / "train.json"
    args = ["profile", "--train", "--shape", "2x64", "--classes", "3", "--repeats", "1"]
    args += ["--batch-sizes", "2", "--thread-counts", "1", "--models", "ecoscale,omniscale"]
    assert main(args + ["--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "fp32 matmul GFLOP/s" in printed and "| omniscale | 2 | 1 |" in printed
    payload = json.loads(out.read_text())
    assert [r["model"] for r in payload["results"]] == ["ecoscale", "omniscale"]
    with pytest.raises(SystemExit, match="--train measures"):
        main(["profile", "--train", "--shape", "2x64", "--models", "ecoscale-fused"])
    with pytest.raises(SystemExit, match="--batch-sizes"):
        main(["profile", "--train", "--shape", "2x64", "--batch-sizes", "0"])


def test_fit_cost_is_the_marginal_cost_of_the_extra_epochs(monkeypatch):
    import sktime_ecoscale.profiling._training as training

    # per model: warm-up, the low fit, the high fit (seconds)
    times = iter([99.0, 10.0, 30.0, 99.0, 8.0, 7.0])
    monkeypatch.setattr(training, "_fit_seconds", lambda make, X, y: next(times))
    df = fit_cost(n_series=50, shape=(1, 32), epochs=(1, 5), models=("ecoscale", "ecoscale-1"))
    assert df.loc[0, "s_per_series_epoch"] == pytest.approx((30.0 - 10.0) / (50 * 4))
    assert df.loc[0, "series_epochs_s"] == pytest.approx(50 * 4 / 20.0)
    # the longer fit was not slower: no marginal cost to report
    assert math.isnan(df.loc[1, "s_per_series_epoch"])
