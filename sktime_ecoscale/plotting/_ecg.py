"""``plot_ecg``: an ECG on paper, in the clinical 12-lead layout or one row per lead."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from sktime_ecoscale.plotting._paper import (
    GAIN_MM_PER_MV,
    MM_PER_INCH,
    SPEED_MM_PER_S,
    draw_panel,
    heat_colours,
)

__all__ = ["STANDARD_LEADS", "CLINICAL_COLUMNS", "plot_ecg"]

#: The 12 standard leads in the order of PTB-XL, CODE-15 % and the Challenge.
STANDARD_LEADS = ("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6")
#: Columns of the clinical 3 x 4 layout, each 2.5 s of a 10 s record.
CLINICAL_COLUMNS = (
    ("I", "II", "III"),
    ("aVR", "aVL", "aVF"),
    ("V1", "V2", "V3"),
    ("V4", "V5", "V6"),
)
RHYTHM_LEAD = "II"
#: Margins of the figure in millimetres: left, right, bottom, top (title).
_MARGINS_MM = (6.0, 6.0, 5.0, 22.0)
_INSTALL_HINT = "pip install sktime-ecoscale[explain]"


def _figure_class():
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - exercised without matplotlib
        raise ImportError(f"plot_ecg needs matplotlib: {_INSTALL_HINT}") from err
    return Figure


def _canonical(name: str) -> str:
    """``"AVR"`` -> ``"aVR"``, ``"v1"`` -> ``"V1"``: leads compared by their standard spelling."""
    lookup = {lead.upper(): lead for lead in STANDARD_LEADS}
    return lookup.get(str(name).strip().upper(), str(name))


def _title_lines(title, probabilities, attribution_label, signed: bool) -> list[str]:
    lines = [] if title is None else [str(title)]
    if probabilities:
        ranked = sorted(probabilities.items(), key=lambda kv: -float(kv[1]))
        predicted = [(k, p) for k, p in ranked if float(p) >= 0.5] or ranked[:1]
        lines.append("predicted: " + ", ".join(f"{k} {float(p):.2f}" for k, p in predicted))
    if attribution_label is not None:
        key = "red: for, blue: against" if signed else "red: for"
        lines.append(f"shading: attribution for {attribution_label} ({key})")
    return lines


def _row_range(segments: list[np.ndarray], row_mv: float | None) -> float:
    """Height of a row in mV: at least 3 mV and the largest peak-to-peak, in 0.5 mV steps."""
    if row_mv is not None:
        return float(row_mv)
    spans = [float(np.ptp(s)) for s in segments if s.size]
    return max(3.0, np.ceil((max(spans, default=0.0) + 0.4) / 0.5) * 0.5)


def _ylim(segment: np.ndarray, height: float) -> tuple[float, float]:
    centre = 0.5 * (float(segment.min()) + float(segment.max())) if segment.size else 0.0
    return centre - height / 2, centre + height / 2


def plot_ecg(
    x,
    attribution=None,
    lead_names: Sequence[str] | None = None,
    fs: float = 100.0,
    title: str | None = None,
    probabilities: Mapping[str, float] | None = None,
    *,
    attribution_label: str | None = None,
    layout: str = "auto",
    row_mv: float | None = None,
    cmap: str = "RdBu_r",
    dpi: int = 100,
):
    """Draw an ECG on paper, true to scale, with an attribution as a heat band.

    Parameters
    ----------
    x : array-like of shape (n_channels, n_timepoints)
        One record in millivolts (a reader's output, not the scaled network
        input).
    attribution : array-like of the shape of ``x``, optional
        Attribution per lead and sample (e.g. from
        :func:`sktime_ecoscale.explain.explain`), drawn behind each trace:
        red where it speaks for the explained label, blue against, opacity by
        size (full at the record's 99.5th percentile of ``|attribution|``).
    lead_names : sequence of str, optional
        Default: the 12 standard leads for 12 channels, else ``lead 1``, ...
    fs : float, default 100.0
        Sampling frequency in Hz (PTB-XL's ``records100``).
    title : str, optional
        First title line, e.g. the record's identifier.
    probabilities : mapping of label to float, optional
        Probability of each label; the predicted ones (>= 0.5, else the most
        probable) are listed in the title with their probabilities.
    attribution_label : str, optional
        The label the attribution explains, named in the title.
    layout : {"auto", "clinical", "rows"}, default "auto"
        ``"clinical"``: the 3 x 4 grid of 2.5 s segments (columns I, II, III /
        aVR, aVL, aVF / V1-V3 / V4-V6) plus a rhythm strip of lead II over the
        whole record; needs the 12 standard leads (any order, matched by name).
        ``"rows"``: one row per lead over the whole record. ``"auto"``:
        clinical for the 12 standard leads, rows otherwise.
    row_mv : float, optional
        Height of a row in millivolts; default the largest peak-to-peak of a
        panel, at least 3 mV.
    cmap : str, default "RdBu_r"
        Diverging matplotlib colormap of the heat band.
    dpi : int, default 100
        Resolution of the figure.

    Returns
    -------
    matplotlib.figure.Figure
        Sized in millimetres: 25 mm/s, 10 mm/mV; one axes per panel (13 in the
        clinical layout). Made without pyplot, so nothing stays open; save it
        with ``fig.savefig(path)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.plotting import plot_ecg
    >>> t = np.arange(1000) / 100.0
    >>> x = np.tile(np.sin(2 * np.pi * 1.2 * t), (12, 1))          # 12 leads, 10 s at 100 Hz
    >>> fig = plot_ecg(x, attribution=np.abs(x), title="demo", probabilities={"NORM": 0.9, "MI": 0.2})
    >>> len(fig.axes), fig.axes[0].texts[0].get_text(), fig.axes[-1].texts[0].get_text()
    (13, 'I', 'II')
    >>> [round(float(v)) for v in fig.get_size_inches() * 25.4]   # millimetres
    [262, 147]
    >>> len(plot_ecg(x[:3], lead_names=["I", "II", "V1"]).axes)    # other leads: one row each
    3
    """
    signal = np.asarray(x, dtype=float)
    if signal.ndim != 2:
        raise ValueError(f"x must be (n_channels, n_timepoints), got shape {signal.shape}.")
    n_channels, n_samples = signal.shape
    heat_values = None if attribution is None else np.asarray(attribution, dtype=float)
    if heat_values is not None and heat_values.shape != signal.shape:
        raise ValueError(f"attribution has shape {heat_values.shape}, x has {signal.shape}.")
    if lead_names is None:
        lead_names = (
            STANDARD_LEADS if n_channels == 12 else [f"lead {i + 1}" for i in range(n_channels)]
        )
    names = [_canonical(n) for n in lead_names]
    if len(names) != n_channels:
        raise ValueError(f"{len(names)} lead names for {n_channels} channels.")
    standard = sorted(names) == sorted(STANDARD_LEADS)
    if layout not in ("auto", "clinical", "rows"):
        raise ValueError(f"layout must be 'auto', 'clinical' or 'rows', got {layout!r}.")
    if layout == "clinical" and not standard:
        raise ValueError(f"the clinical layout needs the 12 standard leads, got {names}.")
    clinical = standard if layout == "auto" else layout == "clinical"

    from matplotlib import colormaps

    colours = colormaps[cmap]
    scale = 1.0
    if heat_values is not None:
        scale = (
            float(np.percentile(np.abs(heat_values), 99.5))
            or float(np.abs(heat_values).max())
            or 1.0
        )
    t = np.arange(n_samples) / float(fs)
    index = {name: k for k, name in enumerate(names)}

    # panels: (lead index, first sample, stop sample, row, column offset in seconds)
    if clinical:
        per_column = max(1, min(int(round(2.5 * fs)), n_samples // 4))
        panels = [
            (index[lead], col * per_column, (col + 1) * per_column, row, col * per_column / fs)
            for col, leads in enumerate(CLINICAL_COLUMNS)
            for row, lead in enumerate(leads)
        ]
        panels.append((index[RHYTHM_LEAD], 0, n_samples, 3, 0.0))
        n_rows = 4
    else:
        panels = [(k, 0, n_samples, k, 0.0) for k in range(n_channels)]
        n_rows = n_channels
    height_mv = _row_range([signal[k, a:b] for k, a, b, _, _ in panels], row_mv)
    row_mm = height_mv * GAIN_MM_PER_MV
    widest_s = max((b - a) / fs + off for _, a, b, _, off in panels)
    left, right, bottom, top = _MARGINS_MM
    width_mm = left + right + widest_s * SPEED_MM_PER_S
    height_mm = bottom + top + n_rows * row_mm

    Figure = _figure_class()
    fig = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=dpi)
    for k, a, b, row, offset in panels:
        x0 = (left + offset * SPEED_MM_PER_S) / width_mm
        y0 = (bottom + (n_rows - 1 - row) * row_mm) / height_mm
        w = (b - a) / fs * SPEED_MM_PER_S / width_mm
        ax = fig.add_axes((x0, y0, w, row_mm / height_mm))
        segment = signal[k, a:b]
        heat = None if heat_values is None else heat_colours(heat_values[k, a:b], scale, colours)
        draw_panel(ax, t[a:b], segment, _ylim(segment, height_mv), names[k], heat)
        if clinical and a > 0 and row < 3:  # the lead change mark between columns
            ax.axvline(t[a], ymin=0.35, ymax=0.65, color="black", linewidth=1.0, zorder=3)
    signed = heat_values is not None and bool((heat_values < 0).any())
    lines = _title_lines(title, probabilities, attribution_label, signed)
    lines.append(f"{SPEED_MM_PER_S:g} mm/s, {GAIN_MM_PER_MV:g} mm/mV, {fs:g} Hz")
    fig.text(left / width_mm, 1 - 3 / height_mm, "\n".join(lines), ha="left", va="top", fontsize=9)
    return fig
