"""Cost figures (parameters, FLOPs vs OS-CNN) and the profiler / ``ecoscale profile``."""

from __future__ import annotations

import json

import pytest
import torch

from sktime_ecoscale.cli import main
from sktime_ecoscale.networks import EcoScaleNet, OmniScaleNet
from sktime_ecoscale.profiling import count_flops, profile, to_markdown
from sktime_ecoscale.profiling._profile import COLUMNS


def _cost(net, shape=(12, 4096)):
    params = sum(p.numel() for p in net.parameters())
    return params, count_flops(net, torch.zeros(1, *shape))


@pytest.fixture(scope="module")
def reference_costs():
    """Parameters and FLOPs at 12 x 4096, 6 outputs (counting is cheap: no timing)."""
    return {
        "omniscale": _cost(OmniScaleNet(12, 6, seq_len=4096)),
        "ecoscale": _cost(EcoScaleNet(12, 6, seq_len=4096)),
    }


def test_os_cnn_matches_reference(reference_costs):
    params, flops = reference_costs["omniscale"]
    assert params == pytest.approx(14.93e6, rel=0.10)
    assert flops == pytest.approx(122.3e9, rel=0.10)


def test_default_ecoscale_within_targets(reference_costs):
    eco_params, eco_flops = reference_costs["ecoscale"]
    os_params, os_flops = reference_costs["omniscale"]
    assert eco_params <= 0.10 * os_params
    assert eco_flops <= 0.01 * os_flops


def test_count_flops_restores_mode_and_counts_training_graph():
    net = EcoScaleNet(2, 3, seq_len=64).eval()
    flops = count_flops(net, torch.zeros(1, 2, 64))
    assert flops > 0 and net.training is False


def test_profile_returns_columns():
    df = profile(
        shape=(2, 64),
        n_classes=3,
        models=("ecoscale", "ecoscale-fused", "inceptiontime"),
        batch_size=4,
        threads=1,
        repeats=3,
    )
    assert list(df.columns) == COLUMNS
    assert list(df["model"]) == ["ecoscale", "ecoscale-fused", "inceptiontime"]
    assert (df["throughput_ecg_s"] > 0).all() and (df["latency_ms"] > 0).all()
    # fused shares the training graph's cost figures
    assert df.loc[0, "params"] == df.loc[1, "params"] and df.loc[0, "gflops"] == df.loc[1, "gflops"]
    assert df.attrs["matmul_gflop_s"] > 0
    assert "| model |" in to_markdown(df)


def test_profile_rejects_unknown_model():
    with pytest.raises(ValueError, match="Unknown models"):
        profile(shape=(2, 64), models=("resnet",))


def test_cli_profile(tmp_path, capsys):
    out = tmp_path / "p.json"
    code = main(
        [
            "profile",
            "--shape",
            "2x64",
            "--classes",
            "3",
            "--threads",
            "1",
            "--repeats",
            "3",
            "--batch-size",
            "4",
            "--models",
            "ecoscale-fused,ecoscale-onnx,omniscale",
            "--json",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "ecoscale-onnx" in printed and "omniscale" in printed
    payload = json.loads(out.read_text())
    assert [r["model"] for r in payload["results"]] == [
        "ecoscale-fused",
        "ecoscale-onnx",
        "omniscale",
    ]
    assert payload["settings"]["shape"] == [2, 64]


def test_n_series_profiles_the_network_the_default_builds_for_that_data():
    from sktime_ecoscale.classification import training_budget
    from sktime_ecoscale.networks import EcoScaleNet
    from sktime_ecoscale.profiling import profile

    budget = training_budget(23, 1, 82, 2)
    one = EcoScaleNet(1, 2, 82, widths=budget.widths, strides=budget.strides)
    df = profile(
        shape=(1, 82),
        n_classes=2,
        models=("ecoscale",),
        batch_size=2,
        threads=1,
        repeats=1,
        n_series=23,
    )
    expected = budget.n_networks * sum(p.numel() for p in one.parameters())
    assert int(df["params"].iloc[0]) == expected
    full = profile(
        shape=(1, 82), n_classes=2, models=("ecoscale",), batch_size=2, threads=1, repeats=1
    )
    assert int(full["params"].iloc[0]) != expected  # the full-width network differs
