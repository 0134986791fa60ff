"""Every gallery script in examples/ runs and draws at least one figure.

The scripts run in this process (runpy) with ``ECOSCALE_EXAMPLES_QUICK=1``,
which each script reads to shrink its data and epochs to a smoke run; the docs
build (``make docs``) runs them in full. matplotlib draws off-screen (Agg).
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


def test_examples_found():
    assert any(p.name.startswith("plot_") for p in EXAMPLES), "no examples/plot_*.py"


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs(script, monkeypatch):
    monkeypatch.setenv("ECOSCALE_EXAMPLES_QUICK", "1")
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)
    plt.close("all")
    try:
        runpy.run_path(str(script), run_name="__main__")
        n_figures = len(plt.get_fignums())
    finally:
        plt.close("all")
    assert n_figures >= 1, f"{script.name} drew no figure"
