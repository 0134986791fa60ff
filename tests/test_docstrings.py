"""Every public class and function has a numpydoc docstring with a runnable example.

Public means: named in the ``__all__`` of the package root or of a public
subpackage. The examples themselves run under
``pytest --doctest-modules sktime_ecoscale``; this test only checks that they
exist, so a new public name without one fails fast. Runnable means that
doctest executes it: an example marked ``# doctest: +SKIP`` does not count,
and neither do imports alone.
"""

import doctest
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


def executed_examples(doc: str) -> list[doctest.Example]:
    """The examples doctest runs, less imports: not ``+SKIP``, doing something."""
    return [
        e
        for e in doctest.DocTestParser().get_examples(doc)
        if not e.options.get(doctest.SKIP)
        and not e.source.lstrip().startswith(("import ", "from "))
    ]


def test_skipped_examples_do_not_count():
    doc = """Examples
    --------
    >>> import math
    >>> math.sqrt(4)  # doctest: +SKIP
    2.0
    """
    assert executed_examples(doc) == []
    assert len(executed_examples(doc.replace("  # doctest: +SKIP", ""))) == 1


def test_every_public_subpackage_has_all():
    missing = [p for p in PACKAGES if not hasattr(importlib.import_module(p), "__all__")]
    assert not missing, f"public subpackages without __all__: {missing}"


@pytest.mark.parametrize("qualname", sorted(PUBLIC))
def test_public_docstring_has_example(qualname):
    doc = inspect.getdoc(PUBLIC[qualname]) or ""
    assert doc, f"{qualname} has no docstring"
    assert "Examples\n--------" in doc, f"{qualname} has no Examples section"
    assert executed_examples(doc), (
        f"{qualname} has no example that doctest runs (all skipped or none)"
    )
    if inspect.isfunction(PUBLIC[qualname]):
        assert "Returns\n-------" in doc, f"{qualname} documents no Returns section"
