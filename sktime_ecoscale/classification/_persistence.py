"""Safe native model files: weights in safetensors, everything else in JSON.

A model is a folder (or a ``.zip`` of the same two files)::

    MODEL/
      model.safetensors   the network's state_dict (tensors only)
      config.json         format, versions, estimator class, hyperparameters,
                          input shape, label encoding, SHA-256 of the weights

Loading never unpickles and never imports a name read from the file: the
estimator class is looked up in a fixed allow-list of this package's
classifiers, hyperparameters are plain JSON values, and tensors are parsed
by ``safetensors``. Before a single weight is used, the loader checks the
format version, the SHA-256 of the weights file (a tampered or truncated file
is refused with the file's name) and every tensor's name and shape against a
freshly built network.

sktime's own ``save``/``load_from_path`` pickle the whole estimator; a pickle
can run arbitrary code when loaded, so use those only for files you trust and
this format for anything you share or receive.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import torch

from sktime_ecoscale.classification._decision import (
    temperatures_from_config,
    thresholds_from_config,
    thresholds_to_config,
)
from sktime_ecoscale.classification._jsonsafe import decode_params, encode_params, json_default
from sktime_ecoscale.classification._lead_sets import check_statistics
from sktime_ecoscale.classification._pretrained import model_location
from sktime_ecoscale.utils._panel import check_lead_names, check_sampling_rate

__all__ = ["save_model", "load_model", "FORMAT_VERSION"]

#: Version of the on-disk layout this code writes and reads.
FORMAT_VERSION = 2
#: Versions this release reads: 1 (before the reduced lead sets' statistics) and 2.
READABLE_VERSIONS = (1, 2)
FORMAT_NAME = "sktime-ecoscale-model"
WEIGHTS_FILE = "model.safetensors"
#: Name prefix of the reduced lead sets' batch-norm statistics in the weights file.
LEAD_SET_PREFIX = "lead_set_norms/"
CONFIG_FILE = "config.json"
#: Network arguments a fine-tuned model may take from its source (see classification._finetune).
_NETWORK_OVERRIDES = {"kernel_lists", "blocks_per_stage", "receptive_field", "max_kernel"}
#: Hyperparameters that are not stored: training-time hooks and paths.
_NOT_STORED = {
    "callbacks": None,
    "checkpoint_dir": None,
    "distributed": False,  # a loaded model predicts in one process
    "mixed_precision": "no",
    "init_model": None,  # the weights are in the file; the source is not needed to predict
}


def _allowed_classes() -> dict:
    """The only estimator classes a model file may name."""
    from sktime_ecoscale.classification._ecoscale import EcoScaleClassifier
    from sktime_ecoscale.classification._omniscale import OmniScaleClassifier

    return {cls.__name__: cls for cls in (EcoScaleClassifier, OmniScaleClassifier)}


# ------------------------------------------------------------------ save
def save_model(clf, path) -> Path:
    """Save a fitted deep ECG classifier in the safe native format.

    Parameters
    ----------
    clf : EcoScaleClassifier or OmniScaleClassifier
        A fitted estimator.
    path : str or Path
        Target folder (created; existing files in it are replaced), or a path
        ending in ``.zip`` for a single-file archive.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> from sktime_ecoscale.classification import load_model, save_model
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 32)).astype("float32")
    >>> y = np.array([0, 1] * 4)
    >>> clf = EcoScaleClassifier(widths=(4, 4, 8, 8), max_epochs=1, device="cpu",
    ...                          random_state=0).fit(X, y)
    >>> folder = save_model(clf, tempfile.mkdtemp() + "/model")
    >>> same = load_model(folder)
    >>> bool(np.array_equal(same.predict_proba(X), clf.predict_proba(X)))
    True
    """
    from safetensors.torch import save as st_save

    from sktime_ecoscale._version import __version__

    name = type(clf).__name__
    if name not in _allowed_classes() or type(clf) is not _allowed_classes()[name]:
        raise TypeError(f"save_model supports {sorted(_allowed_classes())}, got {name}.")
    clf.check_is_fitted()
    if not hasattr(clf, "net_"):
        raise ValueError(
            f"{name} was fitted on a single class and holds no network; there is nothing to save."
        )
    tensors = {k: v.detach().cpu().contiguous() for k, v in clf.net_.module_.state_dict().items()}
    norms = getattr(clf, "lead_set_norms_", None) or {}
    for key, buffers in norms.items():  # batch-norm statistics of reduced lead sets
        tensors.update({f"{LEAD_SET_PREFIX}{key}/{n}": t.contiguous() for n, t in buffers.items()})
    weights = st_save(tensors, metadata={"format": FORMAT_NAME})
    params = {**clf.get_params(deep=False), **_NOT_STORED}
    y_meta = clf._y_metadata
    config = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "package_version": __version__,
        "torch_version": torch.__version__,
        "estimator": name,
        "params": encode_params(params),
        "budget": encode_params(clf.budget_.to_dict()),
        # a fine-tuned network's architecture taken from its source (kernels), else {}
        "network_overrides": encode_params(getattr(clf, "network_overrides_", {})),
        "input_scaling": clf.input_scaling_.to_dict(),
        "decision_thresholds": thresholds_to_config(getattr(clf, "decision_thresholds_", None)),
        "temperatures": getattr(clf, "temperatures_", None),
        "leads": getattr(clf, "leads_", None),
        "lead_sets": sorted(norms),
        "fs": getattr(clf, "fs_", None),
        "n_channels": int(clf.n_channels_),
        "seq_len": int(clf.seq_len_),
        "classes": np.asarray(clf.classes_).tolist(),
        "target_encoder": clf.target_encoder_.to_config(),
        "y_metadata": {
            "is_univariate": bool(y_meta["is_univariate"]),
            "mtype": y_meta.get("mtype"),
            "feature_names": [str(c) for c in y_meta.get("feature_names", []) or []],
        },
        "y_inner_mtype": clf._y_inner_mtype,
        "history": json.loads(json.dumps(clf.history_.to_list(), default=json_default)),
        "weights": {"file": WEIGHTS_FILE, "sha256": hashlib.sha256(weights).hexdigest()},
    }
    config_bytes = json.dumps(config, indent=2, default=json_default).encode()
    path = Path(path)
    if path.suffix == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(WEIGHTS_FILE, weights)
            zf.writestr(CONFIG_FILE, config_bytes)
    else:
        path.mkdir(parents=True, exist_ok=True)
        (path / WEIGHTS_FILE).write_bytes(weights)
        (path / CONFIG_FILE).write_bytes(config_bytes)  # last: a folder with it is complete
    return path


# ------------------------------------------------------------------ load
def _read_member(path: Path, member: str) -> bytes:
    """Bytes of ``member`` from a model folder or zip, with a clear error if missing."""
    try:
        if path.is_dir():
            return (path / member).read_bytes()
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                return zf.read(member)
    except (FileNotFoundError, KeyError) as err:
        raise ValueError(
            f"{path}: {member} is missing; not a complete sktime-ecoscale model."
        ) from err
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such model folder or file.")
    raise ValueError(f"{path}: not a model folder or .zip written by save_model.")


def load_model(path, device: str | None = None):
    """Load a model saved by :func:`save_model`, validating it first.

    Parameters
    ----------
    path : str or Path
        Model folder or ``.zip``, or ``"pretrained:NAME"`` for a starter model
        shipped with the package (:func:`pretrained_models`).
    device : str, optional
        Device to predict on. By default the saved ``device`` parameter,
        except that a model trained on CUDA loads on CPU when no GPU is
        available (weights are always read to CPU first).

    Returns
    -------
    EcoScaleClassifier or OmniScaleClassifier
        A fitted estimator whose ``predict_proba`` equals the saved one's.

    Raises
    ------
    ValueError
        Unknown format or version, a class outside the allow-list, a weights
        file whose SHA-256 differs from the recorded one (tampered or
        truncated), or tensors that do not fit the network.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> from sktime_ecoscale.classification import load_model, save_model
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 32)).astype("float32")
    >>> y = np.array(["a", "b"] * 4)
    >>> clf = EcoScaleClassifier(widths=(4, 4, 8, 8), max_epochs=1, device="cpu",
    ...                          random_state=0).fit(X, y)
    >>> model = load_model(save_model(clf, tempfile.mkdtemp() + "/model.zip"), device="cpu")
    >>> type(model).__name__, model.classes_.tolist()
    ('EcoScaleClassifier', ['a', 'b'])
    """
    from safetensors.torch import load as st_load

    path = model_location(path)
    raw = _read_member(path, CONFIG_FILE)
    try:
        config = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(
            f"{path / CONFIG_FILE}: not valid JSON ({err}); the file is damaged."
        ) from err
    if not isinstance(config, dict) or config.get("format") != FORMAT_NAME:
        raise ValueError(f"{path / CONFIG_FILE}: not an sktime-ecoscale model configuration.")
    if config.get("format_version") not in READABLE_VERSIONS:
        raise ValueError(
            f"{path / CONFIG_FILE}: format_version {config.get('format_version')!r} is not "
            f"supported (this sktime-ecoscale reads versions {list(READABLE_VERSIONS)}); "
            "install the sktime-ecoscale version that wrote it."
        )
    classes = _allowed_classes()
    name = config.get("estimator")
    if name not in classes:  # never import a name taken from the file
        raise ValueError(
            f"{path / CONFIG_FILE}: estimator {name!r} is not one of {sorted(classes)}; "
            "refusing to load it."
        )

    weights = _read_member(path, WEIGHTS_FILE)
    digest = hashlib.sha256(weights).hexdigest()
    recorded = str((config.get("weights") or {}).get("sha256"))
    if digest != recorded:
        raise ValueError(
            f"{path / WEIGHTS_FILE}: SHA-256 {digest[:12]}... differs from {recorded[:12]}... "
            "recorded in config.json; the weights file was modified or truncated. "
            "Re-copy the model or save it again."
        )
    try:
        tensors = st_load(weights)
    except Exception as err:  # checksum matched but the content is not safetensors
        raise ValueError(f"{path / WEIGHTS_FILE}: not a valid safetensors file ({err}).") from err

    params = decode_params(config["params"])
    if device is None:
        device = params.get("device", "auto")
        if str(device).startswith("cuda") and not torch.cuda.is_available():
            device = "cpu"
    params["device"] = device
    if params.get("distributed"):
        params["distributed"] = False  # a loaded model predicts in this one process
    clf = classes[name](**params)
    _restore_fitted_state(clf, config)
    norms = _split_lead_set_norms(tensors, config, path / WEIGHTS_FILE)
    _load_network(clf, tensors, path / WEIGHTS_FILE)
    check_statistics(clf.net_.module_, norms, str(path / WEIGHTS_FILE))
    clf.lead_set_norms_ = norms
    return clf


def _split_lead_set_norms(tensors: dict, config: dict, where: Path) -> dict:
    """Take the reduced lead sets' batch-norm statistics out of ``tensors`` (older files: none)."""
    listed = config.get("lead_sets", [])
    if not isinstance(listed, list) or not all(isinstance(k, str) for k in listed):
        raise ValueError(f"{CONFIG_FILE}: lead_sets is malformed ({listed!r}).")
    norms = {key: {} for key in listed}
    for name in [n for n in tensors if n.startswith(LEAD_SET_PREFIX)]:
        key, _, buffer = name[len(LEAD_SET_PREFIX) :].rpartition("/")
        if key not in norms:
            raise ValueError(f"{where}: tensor {name!r} belongs to no lead set in {CONFIG_FILE}.")
        norms[key][buffer] = tensors.pop(name)
    return norms


def _restore_fitted_state(clf, config: dict) -> None:
    """Set the attributes sktime's and our predict methods read."""
    from skorch.history import History

    from sktime_ecoscale.classification._budget import LEGACY_STRIDES, TrainingBudget
    from sktime_ecoscale.classification._data import InputScaling
    from sktime_ecoscale.classification._fitted_state import set_fitted_state
    from sktime_ecoscale.classification._targets import TargetEncoder

    clf.n_channels_ = int(config["n_channels"])
    overrides = decode_params(config.get("network_overrides", {}))  # older files: none
    if not isinstance(overrides, dict) or not set(overrides) <= _NETWORK_OVERRIDES:
        raise ValueError(f"{CONFIG_FILE}: network_overrides is malformed ({overrides!r}).")
    clf.network_overrides_ = overrides
    clf.seq_len_ = int(config["seq_len"])
    clf.target_encoder_ = TargetEncoder.from_config(config["target_encoder"])
    if "budget" in config:
        try:
            clf.budget_ = TrainingBudget.from_dict(decode_params(config["budget"]))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"{CONFIG_FILE}: the training budget is malformed ({err!r}).") from err
    else:  # files written before the budget rule: every parameter was explicit
        clf.budget_ = dataclasses.replace(clf._resolve_budget(n_series=1), strides=LEGACY_STRIDES)
    try:  # files written before the input rule was fitted scaled every series on its own
        clf.input_scaling_ = InputScaling.from_dict(config.get("input_scaling", {"mode": "series"}))
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"{CONFIG_FILE}: the input scaling is malformed ({err!r}).") from err
    if clf.input_scaling_.mode == "channel" and len(clf.input_scaling_.mean) != clf.n_channels_:
        raise ValueError(
            f"{CONFIG_FILE}: the input scaling has {len(clf.input_scaling_.mean)} channels, "
            f"the model {clf.n_channels_}."
        )
    # older files: the parameter (None before it existed)
    clf.leads_ = check_lead_names(config.get("leads", clf.leads), clf.n_channels_, CONFIG_FILE)
    clf.fs_ = check_sampling_rate(config.get("fs", clf.fs), CONFIG_FILE)
    clf.temperatures_ = temperatures_from_config(
        clf.target_encoder_, config.get("temperatures"), where=CONFIG_FILE
    )
    clf.decision_thresholds_ = thresholds_from_config(
        clf.target_encoder_, config.get("decision_thresholds"), where=CONFIG_FILE
    )
    set_fitted_state(
        clf,
        classes=config["classes"],
        y_metadata=config["y_metadata"],
        y_inner_mtype=config["y_inner_mtype"],
        n_channels=clf.n_channels_,
    )
    clf.history_ = History(config.get("history", []))


def _load_network(clf, tensors: dict, weights_path: Path) -> None:
    """Build the network for the saved shape, check every tensor, load it, eval mode."""
    with torch.random.fork_rng(devices=[]):  # loading must not move the global generator
        module = clf._build_network(clf.n_channels_, clf.target_encoder_.n_logits, clf.seq_len_)
    expected = module.state_dict()
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise ValueError(
            f"{weights_path}: tensors do not match the {type(clf).__name__} network "
            f"(missing {missing[:3]}, unexpected {unexpected[:3]})."
        )
    for key, value in expected.items():
        if tuple(tensors[key].shape) != tuple(value.shape):
            raise ValueError(
                f"{weights_path}: tensor {key!r} has shape {tuple(tensors[key].shape)}, "
                f"the network expects {tuple(value.shape)}."
            )
    module.load_state_dict(tensors)
    # the skorch net around it serves predict (and partial training); no targets: no loss weights
    net = clf._make_net(None, has_validation=False, module=module)
    net.initialize()
    net.module_.eval()
    clf.net_ = net
    clf._inference_cache_ = {}  # filled on first predict
    clf.device_ = net.device
    clf._is_fitted = True
