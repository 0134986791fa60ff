"""plot_ecg: the clinical 12-lead layout and one row per lead, true to scale, rendered with Agg."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.image import AxesImage, imread  # noqa: E402

from sktime_ecoscale.plotting import CLINICAL_COLUMNS, STANDARD_LEADS, plot_ecg  # noqa: E402

FS = 100.0


def _record(n_leads: int, seconds: float = 10.0) -> np.ndarray:
    t = np.arange(int(seconds * FS)) / FS
    beats = np.exp(-0.5 * ((t % 0.8 - 0.4) / 0.02) ** 2)  # 75 bpm, 1 mV spikes
    return np.stack([beats * (1 + 0.1 * k) for k in range(n_leads)])


def _labels(ax) -> list[str]:
    return [text.get_text() for text in ax.texts]


def _size_mm(fig) -> tuple[float, float]:
    width, height = fig.get_size_inches() * 25.4
    return round(float(width), 1), round(float(height), 1)


def test_twelve_leads_in_the_clinical_layout(tmp_path):
    x = _record(12)
    attribution = np.zeros_like(x)
    attribution[1, 300:400] = 1.0
    fig = plot_ecg(
        x,
        attribution,
        fs=FS,
        title="record 9",
        probabilities={"NORM": 0.9, "MI": 0.2},
        attribution_label="NORM",
    )
    assert len(fig.axes) == 13  # 3 x 4 panels + the rhythm strip
    # 10 s at 25 mm/s + 12 mm of margins; 4 rows of 3 mV at 10 mm/mV + 27 mm
    assert _size_mm(fig) == (262.0, 147.0)
    names = [_labels(ax)[0] for ax in fig.axes]
    assert names == [lead for column in CLINICAL_COLUMNS for lead in column] + ["II"]
    # each column shows its own 2.5 s; the rhythm strip the whole record
    assert [tuple(round(v, 2) for v in ax.get_xlim()) for ax in fig.axes[::3][:4]] == [
        (0.0, 2.5),
        (2.5, 5.0),
        (5.0, 7.5),
        (7.5, 10.0),
    ]
    assert tuple(round(v, 2) for v in fig.axes[-1].get_xlim()) == (0.0, 10.0)
    # true to scale: axes width in mm / seconds shown = 25 mm/s, height / mV = 10 mm/mV
    ax = fig.axes[0]
    bbox = ax.get_position()
    width_mm, height_mm = bbox.width * 262.0, bbox.height * 147.0
    assert width_mm / np.ptp(ax.get_xlim()) == pytest.approx(25.0)
    assert height_mm / np.ptp(ax.get_ylim()) == pytest.approx(10.0)
    # the grid: minor lines every 0.04 s and 0.1 mV, major every 0.2 s and 0.5 mV
    grid = {c.get_gid(): c for c in ax.collections if c.get_gid()}
    for gid, step, axis in (
        ("minor-grid-time", 0.04, 0),
        ("major-grid-time", 0.2, 0),
        ("minor-grid-mv", 0.1, 1),
        ("major-grid-mv", 0.5, 1),
    ):
        positions = [segment[0][axis] for segment in grid[gid].get_segments()]
        assert len(positions) > 3 and np.allclose(np.diff(positions), step)
    title = "\n".join(t.get_text() for t in fig.texts)
    assert "record 9" in title and "predicted: NORM 0.90" in title and "MI" not in title
    assert "attribution for NORM" in title
    # the heat band: an image on every panel (II's own and the rhythm strip's show the 1.0)
    assert all(any(isinstance(a, AxesImage) for a in ax.get_children()) for ax in fig.axes)
    path = tmp_path / "ecg12.png"
    fig.savefig(path)
    assert imread(path).shape[:2] == (int(147.0 / 25.4 * 100), int(262.0 / 25.4 * 100))


@pytest.mark.parametrize("n_leads", [3, 1])
def test_other_lead_counts_get_one_row_per_lead(tmp_path, n_leads):
    x = _record(n_leads, seconds=8.0)
    fig = plot_ecg(x, np.abs(x) if n_leads == 3 else None, fs=FS)
    assert len(fig.axes) == n_leads
    assert [_labels(ax)[0] for ax in fig.axes] == [f"lead {k + 1}" for k in range(n_leads)]
    assert _size_mm(fig) == (8 * 25 + 12.0, n_leads * 30 + 27.0)
    assert all(ax.get_xlim() == pytest.approx((0.0, 8.0)) for ax in fig.axes)
    has_heat = [any(isinstance(a, AxesImage) for a in ax.get_children()) for ax in fig.axes]
    assert all(has_heat) if n_leads == 3 else not any(has_heat)
    fig.savefig(tmp_path / "ecg.png")
    assert imread(tmp_path / "ecg.png").shape[:2] == (
        int((n_leads * 30 + 27.0) / 25.4 * 100),
        int(212.0 / 25.4 * 100),
    )


def test_leads_are_matched_by_name_and_rows_grow_with_the_amplitude():
    x = _record(12)
    order = list(reversed(STANDARD_LEADS))
    upper = [name.upper() for name in order]  # PTB-XL spells AVR, AVL, AVF
    fig = plot_ecg(x[::-1] * 2.5, lead_names=upper, fs=FS)
    assert _labels(fig.axes[0])[0] == "I" and _labels(fig.axes[3])[0] == "aVR"
    assert np.ptp(fig.axes[0].get_ylim()) == pytest.approx(6.0)  # 5.25 mV peak-to-peak + margin
    fig = plot_ecg(x, lead_names=[f"c{k}" for k in range(12)], fs=FS)
    assert len(fig.axes) == 12  # not the standard leads: rows


def test_bad_input_is_rejected_with_the_reason():
    x = _record(3)
    with pytest.raises(ValueError, match="attribution has shape"):
        plot_ecg(x, np.zeros((3, 10)))
    with pytest.raises(ValueError, match="clinical layout needs"):
        plot_ecg(x, layout="clinical")
    with pytest.raises(ValueError, match="lead names"):
        plot_ecg(x, lead_names=["I"])
    with pytest.raises(ValueError, match=r"\(n_channels, n_timepoints\)"):
        plot_ecg(x[0])


def test_plotting_imports_neither_torch_nor_the_estimators():
    code = (
        "import sys, numpy as np; from sktime_ecoscale.plotting import plot_ecg; "
        "plot_ecg(np.zeros((2, 300))); "
        "print(sorted(m for m in ('torch', 'sktime', 'sktime_ecoscale.classification') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
