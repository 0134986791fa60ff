"""ECG paper: the physical scale, the grid and the heat band of one panel.

Everything is drawn true to scale on a figure whose size is computed in
millimetres: 25 mm per second, 10 mm per millivolt, minor lines every 1 mm
(0.04 s, 0.1 mV) and major lines every 5 mm (0.2 s, 0.5 mV).
"""

from __future__ import annotations

import numpy as np

__all__ = ["GAIN_MM_PER_MV", "MM_PER_INCH", "SPEED_MM_PER_S", "draw_panel", "heat_colours"]

#: Paper speed (mm per second) and gain (mm per millivolt) of the clinical standard.
SPEED_MM_PER_S = 25.0
GAIN_MM_PER_MV = 10.0
MM_PER_INCH = 25.4
_MINOR_S, _MAJOR_S = 0.04, 0.2  # 1 mm and 5 mm at 25 mm/s
_MINOR_MV, _MAJOR_MV = 0.1, 0.5  # 1 mm and 5 mm at 10 mm/mV
_PAPER, _MINOR, _MAJOR = "#fffafa", "#f6c9c9", "#e59a9a"


def _lines(low: float, high: float, step: float) -> np.ndarray:
    """Multiples of ``step`` in ``[low, high]`` (absolute, so panels line up)."""
    first = np.ceil(low / step - 1e-9) * step
    return np.arange(first, high + 1e-9, step)


def heat_colours(values: np.ndarray, scale: float, cmap) -> np.ndarray:
    """RGBA of an attribution strip: colour by sign and size, opacity by size.

    Parameters
    ----------
    values : np.ndarray of shape (n,)
        Attributions of one lead over the panel's samples.
    scale : float
        Attribution shown at full strength (values beyond are clipped).
    cmap : matplotlib colormap
        Diverging map: its upper half for positive (evidence for), its lower
        half for negative values.

    Returns
    -------
    np.ndarray of shape (1, n, 4)

    Examples
    --------
    >>> from matplotlib import colormaps
    >>> rgba = heat_colours(np.array([-1.0, 0.0, 2.0]), 1.0, colormaps["RdBu_r"])
    >>> rgba.shape, rgba[0, :, 3].round(2).tolist()
    ((1, 3, 4), [0.6, 0.0, 0.6])
    """
    level = np.clip(np.asarray(values, dtype=float) / max(float(scale), 1e-12), -1.0, 1.0)
    rgba = np.asarray(cmap(0.5 + 0.4 * level), dtype=float)  # the map's ends are too dark
    rgba[:, 3] = 0.6 * np.abs(level)
    return rgba[None]


def draw_panel(
    ax,
    t: np.ndarray,
    signal: np.ndarray,
    ylim: tuple[float, float],
    name: str,
    heat: np.ndarray | None = None,
) -> None:
    """Draw one lead on ECG paper in ``ax``: grid, heat band, trace and lead name.

    The grid is drawn as four line collections (gid ``minor-grid-time``,
    ``minor-grid-mv``, ``major-grid-time``, ``major-grid-mv``), lines at
    absolute multiples of their step so that neighbouring panels line up.

    Parameters
    ----------
    ax : matplotlib Axes
        Placed true to scale by the caller (its size matches its limits).
    t : np.ndarray
        Times in seconds of ``signal``'s samples.
    signal : np.ndarray
        The lead in millivolts.
    ylim : (float, float)
        The panel's millivolt range.
    name : str
        Lead name, written at the top left.
    heat : np.ndarray of shape (1, len(t), 4), optional
        RGBA heat band (:func:`heat_colours`) behind the trace.
    """
    dt = float(t[1] - t[0]) if len(t) > 1 else 1.0
    xlim = (float(t[0]), float(t[-1]) + dt)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_facecolor(_PAPER)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    for which, (step_s, step_mv, colour, width) in {
        "minor": (_MINOR_S, _MINOR_MV, _MINOR, 0.3),
        "major": (_MAJOR_S, _MAJOR_MV, _MAJOR, 0.7),
    }.items():
        vertical = ax.vlines(_lines(*xlim, step_s), *ylim, colors=colour, linewidth=width, zorder=0)
        horizontal = ax.hlines(
            _lines(*ylim, step_mv), *xlim, colors=colour, linewidth=width, zorder=0
        )
        vertical.set_gid(f"{which}-grid-time")
        horizontal.set_gid(f"{which}-grid-mv")
    if heat is not None:
        ax.imshow(heat, extent=(*xlim, *ylim), aspect="auto", interpolation="nearest", zorder=1)
    ax.plot(t + 0.5 * dt, signal, color="black", linewidth=0.6, zorder=2)
    ax.text(
        0.01,
        0.95,
        name,
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=8,
        fontweight="bold",
        zorder=3,
    )
