"""Sphinx configuration of the sktime-ecoscale documentation.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``
(``make docs``). The API reference is generated from the ``__all__`` of every
public subpackage (autosummary), so new public names appear without edits here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS))  # gallery_scrapers

import sktime_ecoscale  # noqa: E402

# Examples run under the docs build: headless plotting, and torch on the
# machine's cores without oversubscribing sphinx-gallery's single process.
os.environ.setdefault("MPLBACKEND", "Agg")

# -- project ------------------------------------------------------------------
project = "sktime-ecoscale"
author = "sktime-ecoscale developers"
copyright = "sktime-ecoscale developers"  # noqa: A001
release = sktime_ecoscale.__version__
version = ".".join(release.split(".")[:2])

# -- extensions -----------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py", "**.md5", "api/generated/backreferences"]
templates_path = ["_templates"]

# -- autosummary / autodoc: the API from __all__ ---------------------------------------------
autosummary_generate = True
autosummary_ignore_module_all = False  # a subpackage's __all__ is its public API
autosummary_imported_members = True  # names are re-exported from private modules
autodoc_typehints = "none"  # numpydoc's Parameters section already gives the types
add_module_names = False

# -- numpydoc ----------------------------------------------------------------------
numpydoc_show_class_members = False  # autosummary class template lists the methods
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()  # reported by tests, not as build warnings

# -- MyST (Markdown pages written next to the reST ones) -------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# -- intersphinx -----------------------------------------------------------------
# Off by default: CI runs without internet and -W would turn the fetch failure
# into an error. ECOSCALE_DOCS_INTERSPHINX=1 links to the other projects' docs.
intersphinx_mapping = {}
if os.environ.get("ECOSCALE_DOCS_INTERSPHINX") == "1":
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "torch": ("https://pytorch.org/docs/stable", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "sktime": ("https://www.sktime.net/en/stable", None),
        "skorch": ("https://skorch.readthedocs.io/en/stable", None),
    }

# -- sphinx-gallery --------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",  # every plot_*.py is executed
    "ignore_pattern": r"/_",  # helper modules
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "abort_on_example_error": True,
    "show_memory": False,
    "plot_gallery": "True",
    "reset_modules": ("matplotlib",),
    "capture_repr": (),
    # "Examples using X" on every API page
    "doc_module": ("sktime_ecoscale",),
    "backreferences_dir": "api/generated/backreferences",
    "write_computation_times": False,  # no untracked sg_execution_times.rst in docs/
    # plot_ecg's figures are made without pyplot: docs/gallery_scrapers.py saves them
    "image_scrapers": ("gallery_scrapers.pyplot_free_figures", "matplotlib"),
}

# -- HTML -------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sktime-ecoscale {release}"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 8,
}
html_show_sourcelink = False

# Warnings that come from third-party docstrings inherited by our classes
# (sktime's BaseClassifier methods), not from ours.
suppress_warnings = ["config.cache"]
nitpicky = False


def _quote_fitted_attributes(app, what, name, obj, options, lines):
    """Quote ``self.classes_`` in docstrings inherited from sktime.

    sktime's ``predict_proba`` docstring (reused by our classifiers) writes
    ``self.classes_`` bare, which reST reads as a link to a target ``classes``.
    """
    for i, line in enumerate(lines):
        if "self.classes_" in line and "``self.classes_``" not in line:
            lines[i] = line.replace("self.classes_", "``self.classes_``")


def _drop_type_docstrings(app, what, name, obj, options, lines):
    """Show a constant's value, not the docstring of its type (``tuple``, ``dict``)."""
    type_doc = (type(obj).__doc__ or "").strip()
    if what == "data" and type_doc and [ln.strip() for ln in lines[:1]] == type_doc.splitlines()[:1]:
        lines.clear()


def setup(app):
    app.connect("autodoc-process-docstring", _quote_fitted_attributes)
    # before numpydoc (priority 500) reformats the lines
    app.connect("autodoc-process-docstring", _drop_type_docstrings, priority=100)

