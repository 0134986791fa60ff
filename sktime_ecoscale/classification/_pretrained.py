"""Starter models shipped with the package: EcoScale-Net trained on the bundled PTB-XL records.

Each starter model is a model folder in the safe native format (safetensors
weights and a JSON configuration, :mod:`~sktime_ecoscale.classification._persistence`)
under ``classification/pretrained/``, with its training command, data, licence
and measured scores in that folder's ``README.md`` and in ``docs/finetuning.md``.
Nothing is downloaded: the files are package data.

A starter model is named wherever a model path is accepted by the form
``"pretrained:NAME"`` (``load_model``, ``init_model``, ``ecoscale predict
--model``, ``ecoscale train --init-model``); this module is the one place that
turns such a name into a folder.
"""

from __future__ import annotations

__all__ = [
    "PRETRAINED_PREFIX",
    "pretrained",
    "pretrained_models",
    "pretrained_path",
    "model_location",
]

from pathlib import Path

#: Where the bundled model folders live (package data).
PRETRAINED_DIR = Path(__file__).resolve().parent / "pretrained"
#: Prefix that names a bundled model where a model path is expected.
PRETRAINED_PREFIX = "pretrained:"
#: The bundled models and what each is, in one line.
STARTER_MODELS = {
    "ptbxl-superclass-100hz": (
        "EcoScale-Net, 5 PTB-XL diagnostic superclasses (multi-label), 12 leads x 10 s at 100 Hz, "
        "trained on the 353 bundled records of folds 1-8"
    ),
    "ptbxl-superclass-500hz": (
        "EcoScale-Net, 5 PTB-XL diagnostic superclasses (multi-label), 12 leads x 10 s at 500 Hz, "
        "trained on the 353 bundled records of folds 1-8"
    ),
}


def pretrained_models() -> dict[str, str]:
    """The starter models shipped with the package, name -> description.

    Returns
    -------
    dict of str to str
        Each bundled model's name (for :func:`pretrained` or ``"pretrained:NAME"``)
        and what it is.

    Examples
    --------
    >>> from sktime_ecoscale.classification import pretrained_models
    >>> sorted(pretrained_models())
    ['ptbxl-superclass-100hz', 'ptbxl-superclass-500hz']
    """
    return dict(STARTER_MODELS)


def pretrained_path(name: str) -> Path:
    """The folder of the starter model ``name`` (a saved model, like ``save_model`` writes).

    Parameters
    ----------
    name : str
        One of :func:`pretrained_models`; a leading ``"pretrained:"`` is allowed.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        If ``name`` is not a bundled model (the message lists them).

    Examples
    --------
    >>> from sktime_ecoscale.classification import pretrained_path
    >>> sorted(p.name for p in pretrained_path("ptbxl-superclass-100hz").iterdir())
    ['README.md', 'config.json', 'model.safetensors']
    """
    key = str(name).removeprefix(PRETRAINED_PREFIX)
    if key not in STARTER_MODELS:
        raise ValueError(
            f"{name!r} is not a bundled starter model; the package ships {sorted(STARTER_MODELS)}."
        )
    return PRETRAINED_DIR / key


def model_location(path) -> Path:
    """A model path as given, or the bundled folder of a ``"pretrained:NAME"``."""
    if isinstance(path, str) and path.startswith(PRETRAINED_PREFIX):
        return pretrained_path(path)
    return Path(path)


def pretrained(name: str = "ptbxl-superclass-100hz", device: str | None = None):
    """Load a starter model shipped with the package, ready to predict or to fine-tune.

    The models know their leads (``I, II, III, aVR, aVL, aVF, V1-V6``) and
    sampling rate, so a panel with named leads at another rate is resampled and
    a named subset of the leads is accepted, as for any saved model. To adapt
    one to new labels, pass ``init_model="pretrained:NAME"`` to
    :class:`~sktime_ecoscale.EcoScaleClassifier` (see ``docs/finetuning.md``
    for when that helps). Trained on PTB-XL (Wagner et al., Sci Data 2020;
    CC BY 4.0): cite it where you use these weights.

    Parameters
    ----------
    name : str, default="ptbxl-superclass-100hz"
        One of :func:`pretrained_models`.
    device : str, optional
        Device to predict on (default CPU, where the model was trained).

    Returns
    -------
    EcoScaleClassifier
        Fitted; ``predict_proba`` gives one probability per superclass
        (``NORM, MI, STTC, CD, HYP``).

    Examples
    --------
    >>> from sktime_ecoscale.classification import pretrained
    >>> from sktime_ecoscale.datasets import load_ptbxl_sample
    >>> from sktime_ecoscale.utils import ecg_panel
    >>> clf = pretrained("ptbxl-superclass-100hz")
    >>> clf.fs_, clf.leads_[:3], list(clf.target_encoder_.names)
    (100.0, ['I', 'II', 'III'], ['NORM', 'MI', 'STTC', 'CD', 'HYP'])
    >>> X, Y = load_ptbxl_sample(target="superclass", folds=[10])  # held out in training
    >>> panel = ecg_panel(X[[0, 2, 3]], fs=100, leads=clf.leads_)  # tells the rate and leads
    >>> clf.predict(panel).to_numpy().tolist()   # three normal ECGs
    [[1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0]]
    >>> Y.iloc[[0, 2, 3]].to_numpy().tolist()
    [[1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 0, 0, 0, 0]]
    """
    from sktime_ecoscale.classification._persistence import load_model

    return load_model(pretrained_path(name), device=device)
