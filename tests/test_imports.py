"""The import graph: light subpackages stay light, and ``python -OO`` imports work."""

import subprocess
import sys

import pytest


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300)


def test_networks_load_neither_sktime_nor_skorch():
    code = (
        "import sys, sktime_ecoscale.networks; "
        "print(sorted(m for m in ('sktime', 'skorch') if m in sys.modules))"
    )
    result = _run("-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout


def test_package_root_is_lazy_but_complete():
    code = (
        "import sys, sktime_ecoscale as s; "
        "assert 'sktime' not in sys.modules and 'skorch' not in sys.modules; "
        "assert set(s.__all__) <= set(dir(s)); "
        "assert all(getattr(s, n) is not None for n in s.__all__)"
    )
    result = _run("-c", code)
    assert result.returncode == 0, result.stderr


def test_unknown_root_attribute_raises():
    import sktime_ecoscale

    with pytest.raises(AttributeError):
        sktime_ecoscale.no_such_name  # noqa: B018


def test_root_and_networks_import_under_python_OO():
    result = _run("-OO", "-c", "import sktime_ecoscale; import sktime_ecoscale.networks")
    assert result.returncode == 0, result.stderr[-2000:]
