"""The safe native model format: round trips, and clear refusals of bad files."""

import hashlib
import io
import json
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sktime_ecoscale import EcoScaleClassifier, OmniScaleClassifier
from sktime_ecoscale.classification._persistence import (
    CONFIG_FILE,
    FORMAT_VERSION,
    WEIGHTS_FILE,
    load_model,
    save_model,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2, 32)).astype("float32")
    y = np.array(["af", "norm", "other"] * 4)
    return X, y


@pytest.fixture(scope="module")
def fitted(data):
    return EcoScaleClassifier(
        widths=(4, 4, 8, 8),
        max_epochs=2,
        batch_size=4,
        device="cpu",
        random_state=0,
        class_weight={"af": 2.0},
    ).fit(*data)


@pytest.fixture()
def saved(fitted, tmp_path):
    return fitted.save_model(tmp_path / "model")


def _edit_config(folder, **changes):
    config = json.loads((folder / CONFIG_FILE).read_text())
    config.update(changes)
    (folder / CONFIG_FILE).write_text(json.dumps(config))


def test_round_trip_folder_is_identical(fitted, saved, data):
    X, _ = data
    loaded = EcoScaleClassifier.load_model(saved)
    assert sorted(p.name for p in saved.iterdir()) == [CONFIG_FILE, WEIGHTS_FILE]
    assert np.array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    assert np.array_equal(loaded.predict(X), fitted.predict(X))
    assert loaded.get_params()["class_weight"] == {"af": 2.0}
    assert loaded.get_params()["widths"] == (4, 4, 8, 8)
    assert list(loaded.classes_) == ["af", "norm", "other"]


def test_round_trip_zip(fitted, data, tmp_path):
    path = save_model(fitted, tmp_path / "model.zip")
    assert np.array_equal(load_model(path).predict_proba(data[0]), fitted.predict_proba(data[0]))


def test_multilabel_round_trip(data, tmp_path):
    X, _ = data
    y = pd.DataFrame({"MI": [0, 1] * 6, "STTC": [1, 0, 0] * 4, "CD": [0, 0, 1, 1] * 3})
    clf = EcoScaleClassifier(widths=(4, 4, 8, 8), max_epochs=1, device="cpu", random_state=0).fit(
        X, y
    )
    loaded = load_model(clf.save_model(tmp_path / "ml"))
    pd.testing.assert_frame_equal(loaded.predict_proba(X), clf.predict_proba(X), check_exact=True)
    pd.testing.assert_frame_equal(loaded.predict(X), clf.predict(X))


def test_omniscale_round_trip_and_class_check(data, tmp_path):
    X, y = data
    clf = OmniScaleClassifier(max_epochs=1, device="cpu", random_state=0, max_kernel=3).fit(X, y)
    path = clf.save_model(tmp_path / "os")
    assert np.array_equal(
        OmniScaleClassifier.load_model(path).predict_proba(X), clf.predict_proba(X)
    )
    with pytest.raises(TypeError, match="holds a OmniScaleClassifier, not a EcoScaleClassifier"):
        EcoScaleClassifier.load_model(path)


def test_tampered_weights_are_refused(saved):
    weights = bytearray((saved / WEIGHTS_FILE).read_bytes())
    weights[-5] ^= 0xFF
    (saved / WEIGHTS_FILE).write_bytes(bytes(weights))
    with pytest.raises(ValueError, match=f"{WEIGHTS_FILE}: SHA-256 .* modified or truncated"):
        load_model(saved)


def test_truncated_weights_are_refused(saved):
    weights = (saved / WEIGHTS_FILE).read_bytes()
    (saved / WEIGHTS_FILE).write_bytes(weights[: len(weights) // 2])
    with pytest.raises(ValueError, match=f"{WEIGHTS_FILE}: SHA-256 .* modified or truncated"):
        load_model(saved)


def test_truncated_config_is_refused(saved):
    text = (saved / CONFIG_FILE).read_text()
    (saved / CONFIG_FILE).write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match=f"{CONFIG_FILE}: not valid JSON"):
        load_model(saved)


def test_missing_weights_file_is_refused(saved):
    (saved / WEIGHTS_FILE).unlink()
    with pytest.raises(ValueError, match=f"{WEIGHTS_FILE} is missing"):
        load_model(saved)


def test_wrong_format_version_is_refused(saved):
    _edit_config(saved, format_version=FORMAT_VERSION + 1)
    with pytest.raises(ValueError, match=f"format_version {FORMAT_VERSION + 1} is not supported"):
        load_model(saved)


def test_version_1_files_still_load(fitted, saved, data):
    # what the release before the reduced lead sets wrote: no lead_sets key
    config = json.loads((saved / CONFIG_FILE).read_text())
    assert config.pop("lead_sets") == []
    config["format_version"] = 1
    (saved / CONFIG_FILE).write_text(json.dumps(config))
    loaded = load_model(saved)
    assert loaded.lead_set_norms_ == {}
    assert np.array_equal(loaded.predict_proba(data[0]), fitted.predict_proba(data[0]))


@pytest.mark.parametrize("name", ["os.system", "sklearn.svm.SVC", "BaseDeepECGClassifier"])
def test_unknown_class_name_is_refused(saved, name):
    _edit_config(saved, estimator=name)
    with pytest.raises(ValueError, match="is not one of .*refusing to load"):
        load_model(saved)


def test_shapes_are_checked_against_the_network(saved):
    config = json.loads((saved / CONFIG_FILE).read_text())
    config["budget"]["widths"] = {"__tuple__": [4, 4, 8, 16]}  # a different network
    (saved / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ValueError, match=f"{WEIGHTS_FILE}: tensor .* has shape"):
        load_model(saved)


def test_resolved_budget_is_saved_and_restored(data, tmp_path):
    X, y = data
    clf = EcoScaleClassifier(max_epochs=1, device="cpu", random_state=0).fit(X, y)  # widths "auto"
    loaded = load_model(clf.save_model(tmp_path / "auto"))
    assert loaded.budget_ == clf.budget_ and loaded.get_params()["widths"] == "auto"
    assert np.array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_model_file_without_a_budget_loads_from_its_explicit_parameters(data, tmp_path):
    # files written before the budget rule stored every parameter explicitly, and
    # every network then halved six times
    old = EcoScaleClassifier(
        widths=(4, 4, 8, 8),
        max_epochs=2,
        batch_size=4,
        strides=(2,) * 6,
        device="cpu",
        random_state=0,
    ).fit(*data)
    saved = old.save_model(tmp_path / "old")
    config = json.loads((saved / CONFIG_FILE).read_text())
    del config["budget"]
    del config["params"]["strides"]
    (saved / CONFIG_FILE).write_text(json.dumps(config))
    loaded = load_model(saved)
    assert loaded.budget_.widths == (4, 4, 8, 8)
    assert loaded.budget_.strides == (2,) * 6 and loaded.strides == "auto"
    assert np.array_equal(loaded.predict_proba(data[0]), old.predict_proba(data[0]))


def test_malformed_budget_is_refused_by_name(saved):
    _edit_config(saved, budget={"widths": "wide"})
    with pytest.raises(ValueError, match="budget"):
        load_model(saved)


def test_model_trained_on_cuda_loads_on_cpu(fitted, saved, data):
    # simulate a GPU-trained model: tensors are stored device-free, the config says cuda
    config = json.loads((saved / CONFIG_FILE).read_text())
    config["params"]["device"] = "cuda"
    (saved / CONFIG_FILE).write_text(json.dumps(config))
    import torch

    loaded = load_model(saved, device="cpu")
    assert loaded.device == "cpu" and loaded.device_ == "cpu"
    assert np.array_equal(loaded.predict_proba(data[0]), fitted.predict_proba(data[0]))
    if not torch.cuda.is_available():  # default: falls back to CPU without a GPU
        assert load_model(saved).device_ == "cpu"


def test_loading_never_unpickles(saved, monkeypatch):
    import torch

    def forbidden(*args, **kwargs):
        raise AssertionError("pickle used while loading")

    for name in ("loads", "load", "Unpickler", "_Unpickler"):
        monkeypatch.setattr(pickle, name, forbidden)
    monkeypatch.setattr(torch, "load", forbidden)
    load_model(saved)


class _Payload:
    """Whoever unpickles this creates ``marker``: code runs on load."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (self.marker,)


def _payload_bytes(kind: str, marker: Path) -> bytes:
    if kind == "pickle":
        return pickle.dumps(_Payload(marker))
    import torch

    buf = io.BytesIO()
    torch.save({"head.weight": _Payload(marker)}, buf)  # the usual .pt / .bin checkpoint
    return buf.getvalue()


def _unpickle(kind: str, data: bytes) -> None:
    if kind == "pickle":
        pickle.loads(data)
    else:
        import torch

        torch.load(io.BytesIO(data), weights_only=False)


@pytest.mark.parametrize("container", ["folder", "zip"])
@pytest.mark.parametrize("kind", ["pickle", "torch"])
def test_a_weights_file_with_code_in_it_is_refused_without_running_it(
    saved, tmp_path, kind, container
):
    marker = tmp_path / "code-ran"
    payload = _payload_bytes(kind, marker)
    _unpickle(kind, payload)  # the payload works: unpickling it creates the marker
    assert marker.exists()
    marker.unlink()
    # the payload as the weights file, with a matching checksum (so only the format can stop it)
    config = json.loads((saved / CONFIG_FILE).read_text())
    config["weights"]["sha256"] = hashlib.sha256(payload).hexdigest()
    if container == "folder":
        (saved / WEIGHTS_FILE).write_bytes(payload)
        (saved / CONFIG_FILE).write_text(json.dumps(config))
        path = saved
    else:
        path = tmp_path / "model.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(WEIGHTS_FILE, payload)
            zf.writestr(CONFIG_FILE, json.dumps(config))
    with pytest.raises(ValueError, match=f"{WEIGHTS_FILE}: not a valid safetensors file"):
        load_model(path)
    assert not marker.exists()
