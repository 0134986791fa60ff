"""The release artefacts: sdist and wheel build, pass ``twine check``, and the
wheel installs into a fresh virtual environment where ``import sktime_ecoscale``
works.

Offline and fast: the build runs without isolation (setuptools from this
environment, no download), and the fresh environment gets the wheel with
``--no-deps``; its dependencies (torch, sktime, ...) come from this
environment's site-packages through a ``.pth`` line in the fresh one. A ``.pth``
path line adds the folder to ``sys.path`` without processing the ``.pth``
files inside it, so this environment's editable install of the package stays
invisible: the import must find the installed wheel.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

import sktime_ecoscale
import sktime_ecoscale.classification

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    if importlib.util.find_spec("build") is None:
        pytest.skip("the 'build' package is not installed (pip install -e '.[dev]')")
    out = tmp_path_factory.mktemp("dist")
    # sdist first, then the wheel built from the sdist: a file missing from the
    # sdist breaks the wheel
    # --skip-dependency-check: setuptools >= 70.1 builds wheels without the
    # 'wheel' package that [build-system] still lists
    _run(
        [
            sys.executable,
            "-m",
            "build",
            "--no-isolation",
            "--skip-dependency-check",
            "--outdir",
            str(out),
            str(ROOT),
        ]
    )
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def test_version_in_one_place(dists):
    version = sktime_ecoscale.__version__
    assert dists["wheel"].name.startswith(f"sktime_ecoscale-{version}-")
    assert dists["sdist"].name == f"sktime_ecoscale-{version}.tar.gz"


def test_twine_check(dists):
    if importlib.util.find_spec("twine") is None:
        pytest.skip("twine is not installed (pip install -e '.[dev]')")
    result = _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dists.values())])
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_artefact_contents(dists):
    with zipfile.ZipFile(dists["wheel"]) as whl:
        names = whl.namelist()
    assert "sktime_ecoscale/__init__.py" in names
    assert not any(n.startswith(("tests/", "docs/", "examples/")) for n in names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    # the bundled real ECGs and their licence travel with the wheel
    for data in (
        "ptbxl100.npz.xz",
        "ptbxl_database.csv.gz",
        "scp_statements.csv.gz",
        "LICENSE-PTB-XL.txt",
        "README.md",
        "ucr/TwoLeadECG/TwoLeadECG_TEST.ts.gz",
    ):
        assert f"sktime_ecoscale/datasets/data/{data}" in names, data
    # the starter models, their README and the licence of the data they learned from
    for name in sktime_ecoscale.classification.pretrained_models():
        for member in ("config.json", "model.safetensors", "README.md"):
            path = f"sktime_ecoscale/classification/pretrained/{name}/{member}"
            assert path in names, path
    for member in ("README.md", "LICENSE-PTB-XL.txt"):
        assert f"sktime_ecoscale/classification/pretrained/{member}" in names, member
    with tarfile.open(dists["sdist"]) as sdist:
        members = {m.split("/", 1)[-1] for m in sdist.getnames()}
    for required in ("LICENSE", "CHANGELOG.md", "CITATION.cff", "README.md", "pyproject.toml"):
        assert required in members


def test_wheel_installs_in_fresh_venv(dists, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    # the dependencies, from this environment (see the module docstring)
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "_deps_from_test_env.pth").write_text("\n".join(sorted(deps)) + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(dists["wheel"]),
        ]
    )
    code = (
        "import sktime_ecoscale, sys; "
        "from sktime_ecoscale import EcoScaleClassifier; "
        "print(sktime_ecoscale.__version__); print(sktime_ecoscale.__file__); "
        "from sktime_ecoscale.datasets import load_ptbxl_sample, load_ucr_uea; "
        "print(load_ptbxl_sample(folds=[10])[0].shape[0], load_ucr_uea('ECG200')[0].shape[0]); "
        "from sktime_ecoscale import pretrained; print(pretrained().n_channels_)"
    )
    # run outside the repository, so the source tree cannot be imported by accident
    out = _run([str(python), "-c", code], cwd=tmp_path).stdout.split()
    assert out[0] == sktime_ecoscale.__version__
    assert Path(out[1]).resolve().is_relative_to(venv.resolve()), out[1]
    assert out[2:4] == ["66", "100"]  # the bundled sample, read from the installed wheel
    assert out[4] == "12"  # the starter model, loaded from the installed wheel
    # the console script is installed too
    _run([str(bindir / "ecoscale"), "--help"], cwd=tmp_path)
