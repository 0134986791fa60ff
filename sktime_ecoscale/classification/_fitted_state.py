"""sktime's fitted state for the paths that bypass ``BaseClassifier.fit``: one owner.

``fit_dataset`` (a torch data set, not a panel) and ``load_model`` (a file)
give a fitted estimator without calling sktime's ``fit``. Both must leave the
attributes that sktime's ``predict`` and ``predict_proba`` read exactly as
``fit`` would, so both call :func:`set_fitted_state` and nothing else writes
them. ``tests/test_fitted_state.py`` compares the result with a real ``fit``:
a sktime release that changes these attributes fails there, not in a user's
``predict``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["SKTIME_FITTED_ATTRIBUTES", "set_fitted_state", "y_metadata_of"]

#: The attributes of sktime's BaseClassifier (1.2) that fit sets and predict reads.
SKTIME_FITTED_ATTRIBUTES = (
    "classes_",
    "n_classes_",
    "_class_dictionary",
    "_y_metadata",
    "_y_inner_mtype",
    "_is_vectorized",
    "_converter_store_y",
    "_X_metadata",
)


def y_metadata_of(multilabel: bool, feature_names=None) -> tuple[dict, str]:
    """The ``(_y_metadata, _y_inner_mtype)`` sktime records for 1-D or 0/1 table targets."""
    if multilabel:
        meta = {"is_univariate": False, "mtype": "pd_DataFrame_Table"}
        inner = "pd_DataFrame_Table"
    else:
        meta = {"is_univariate": True, "mtype": "numpy1D"}
        inner = "numpy1D"
    meta["feature_names"] = None if feature_names is None else list(feature_names)
    return meta, inner


def set_fitted_state(
    clf, *, classes, y_metadata: dict, y_inner_mtype: str, n_channels: int
) -> None:
    """Write sktime's fitted attributes (the caller marks ``clf`` fitted once its network is).

    Parameters
    ----------
    clf : BaseDeepECGClassifier
    classes : array-like
        ``classes_`` (for 0/1 multi-label targets ``[0, 1]``).
    y_metadata : dict
        sktime's target metadata: ``is_univariate``, ``mtype``, ``feature_names``.
    y_inner_mtype : str
        The inner mtype sktime converted ``y`` to.
    n_channels : int
        Channels of the training series.
    """
    clf.classes_ = np.asarray(classes)
    clf.n_classes_ = len(clf.classes_)
    clf._class_dictionary = {c: i for i, c in enumerate(clf.classes_)}
    clf._y_metadata = {
        "is_univariate": bool(y_metadata["is_univariate"]),
        "mtype": y_metadata["mtype"],
        "feature_names": y_metadata.get("feature_names"),
    }
    clf._y_inner_mtype = y_inner_mtype
    clf._is_vectorized = False
    clf._converter_store_y = {}
    clf._X_metadata = {"n_features": int(n_channels), "is_equal_length": True}
