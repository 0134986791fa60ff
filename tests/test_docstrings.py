"""Every public class and function has a numpydoc docstring with a runnable example.

Public means: named in the ``__all__`` of the package root or of a public
subpackage. The examples themselves run under
``pytest --doctest-modules sktime_ecoscale``; this test only checks that they
exist, so a new public name without one fails fast.
"""

import importlib
import inspect
import pkgutil

import pytest

import sktime_ecoscale

PACKAGES = ["sktime_ecoscale"] + [
    f"sktime_ecoscale.{m.name}"
    for m in pkgutil.iter_modules(sktime_ecoscale.__path__)
    if m.ispkg and not m.name.startswith("_")
]


def _public_objects():
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            # constants (MODEL_NAMES, SPLITS, ...) carry their type's docstring
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"{package}.{name}", obj


PUBLIC = dict(_public_objects())


def test_every_public_subpackage_has_all():
    missing = [p for p in PACKAGES if not hasattr(importlib.import_module(p), "__all__")]
    assert not missing, f"public subpackages without __all__: {missing}"


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_public_docstring_has_example(qualname):
    doc = inspect.getdoc(PUBLIC[qualname]) or ""
    assert doc, f"{qualname} has no docstring"
    assert "Examples\n--------" in doc and ">>>" in doc, f"{qualname} has no runnable Examples section"
    if inspect.isfunction(PUBLIC[qualname]):
        assert "Returns\n-------" in doc, f"{qualname} documents no Returns section"
