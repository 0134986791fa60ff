"""Sphinx-Gallery image scraper for figures made without pyplot.

``sktime_ecoscale.plotting.plot_ecg`` returns a ``matplotlib.figure.Figure``
that pyplot does not track (nothing stays open in a loop), so Sphinx-Gallery's
matplotlib scraper, which saves ``plt.get_fignums()``, never sees it. This
scraper saves every such Figure that an example holds in a top-level name (or
in a top-level list, tuple or dict) after a code block, once each.
"""

from __future__ import annotations

import weakref
from pathlib import PurePosixPath

# example file -> the figures saved (weak: an id could be reused by a later figure)
_saved: dict[str, weakref.WeakSet] = {}


def _figures(value):
    from matplotlib.figure import Figure

    if isinstance(value, Figure):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, Figure):
                yield item
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, Figure):
                yield item


def pyplot_free_figures(block, block_vars, gallery_conf, **kwargs) -> str:
    """Save the example's Figures that pyplot does not track; return their reST."""
    from sphinx_gallery.scrapers import figure_rst

    saved = _saved.setdefault(str(block_vars["src_file"]), weakref.WeakSet())
    paths = []
    for value in list(block_vars["example_globals"].values()):
        for fig in _figures(value):
            # a pyplot figure has a manager: the matplotlib scraper saves it
            if fig in saved or fig.canvas.manager is not None:
                continue
            saved.add(fig)
            path = PurePosixPath(next(block_vars["image_path_iterator"]))
            fig.savefig(str(path), dpi=fig.dpi)
            paths.append(str(path))
    return figure_rst(paths, gallery_conf["src_dir"]) if paths else ""
