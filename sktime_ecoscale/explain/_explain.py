"""``explain``: per-lead, per-time attributions of a fitted deep ECG classifier.

Reads the estimator through its public fitted API only: ``prepare_input``
(exactly what ``predict`` feeds the network), the trained module
``net_.module_`` (in eval mode, every submodule's mode restored after; not the
fused inference copy, whose stage layers Grad-CAM needs), ``target_encoder_``
(how logits map to classes) and ``predict_proba`` (the predicted target).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn

from sktime_ecoscale.explain._methods import attribute, check_options
from sktime_ecoscale.explain._targets import ScoreModel, resolve_targets, score_columns

__all__ = ["DEFAULT_METHOD", "explain", "target_labels", "target_probabilities"]

#: The default method: of the methods that meet the faithfulness bar on the synthetic
#: task, the one whose top-ranked samples the model needs most on real ECGs (the
#: deletion test); docs/explanations.md gives the figures of both tests.
DEFAULT_METHOD = "occlusion"


@contextmanager
def _eval_mode(module: nn.Module) -> Iterator[nn.Module]:
    """Put ``module`` in eval mode for the block, then restore every submodule's mode."""
    modes = [m.training for m in module.modules()]
    module.eval()
    try:
        yield module
    finally:
        for m, mode in zip(module.modules(), modes):
            m.training = mode


def _score_model(estimator) -> ScoreModel:
    estimator.check_is_fitted()
    encoder = estimator.target_encoder_
    return ScoreModel(estimator.net_.module_, encoder.output_sizes, encoder.binary)


def _series_lengths(estimator, X, n_series: int, padded: int) -> list[int]:
    """Length of each series of ``X`` before ``prepare_input`` padded it."""
    if isinstance(X, np.ndarray):
        return [padded] * n_series
    from sktime.datatypes import convert_to

    inner = convert_to(X, to_type=estimator.get_tag("X_inner_mtype"))
    if isinstance(inner, np.ndarray):
        return [padded] * n_series
    return [len(series) for series in inner]


def _batches(n: int, size: int) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def _probabilities(estimator, X) -> np.ndarray:
    """``predict_proba`` as one matrix in the order of :func:`target_labels`."""
    proba = estimator.predict_proba(X)
    encoder = estimator.target_encoder_
    if not encoder.multioutput:
        return np.asarray(proba, dtype=float)
    blocks = []
    for name, binary in zip(encoder.names, encoder.binary):
        block = proba[name].to_numpy(dtype=float)
        blocks.append(block[:, 1:] if binary else block)
    return np.hstack(blocks)


def target_labels(estimator) -> list:
    """The classes or labels ``explain`` can explain, in the order of :func:`target_probabilities`.

    Parameters
    ----------
    estimator : fitted EcoScaleClassifier or OmniScaleClassifier

    Returns
    -------
    list
        ``classes_`` of a single-output estimator; for a multi-output one, the
        name of each 0/1 label and ``(output, class)`` for each class of a
        multi-class output.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 32))
    >>> clf = EcoScaleClassifier(widths=(4, 4, 4, 4), max_epochs=1, n_networks=1, device="cpu",
    ...                          random_state=0)
    >>> target_labels(clf.fit(X, np.array(["no", "yes"] * 4)))
    ['no', 'yes']
    """
    estimator.check_is_fitted()
    return score_columns(estimator.target_encoder_)


def target_probabilities(estimator, X) -> np.ndarray:
    """Probability of every class or label of :func:`target_labels`, per series.

    The softmax probability of each class (single output) or the sigmoid
    probability of each 0/1 label: ``predict_proba`` as one matrix, columns
    in the order of :func:`target_labels`. The sigmoid of the log-odds that
    :func:`explain` attributes is exactly this probability.

    Parameters
    ----------
    estimator : fitted EcoScaleClassifier or OmniScaleClassifier
    X : sktime panel or list of np.ndarray
        As for :func:`explain`.

    Returns
    -------
    np.ndarray of shape (n_series, len(target_labels(estimator)))

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 32))
    >>> clf = EcoScaleClassifier(widths=(4, 4, 4, 4), max_epochs=1, n_networks=1, device="cpu",
    ...                          random_state=0)
    >>> clf = clf.fit(X, np.array(["no", "yes"] * 4))
    >>> np.allclose(target_probabilities(clf, X), clf.predict_proba(X), atol=1e-5)
    True
    """
    estimator.check_is_fitted()
    return _probabilities(estimator, _as_panel(X))


def explain(
    estimator,
    X,
    target=None,
    method: str = DEFAULT_METHOD,
    *,
    n_steps: int | None = None,
    window: int | None = None,
    samples: int | None = None,
    batch_size: int | None = None,
) -> np.ndarray | list[np.ndarray]:
    """Attribute a fitted classifier's output to every lead and time point of its input.

    Parameters
    ----------
    estimator : fitted EcoScaleClassifier or OmniScaleClassifier
        Any fitted :class:`~sktime_ecoscale.classification.BaseDeepECGClassifier`
        works with the gradient methods; ``"gradcam"`` needs an EcoScale-Net
        or OS-CNN network (an ensemble's members are explained one by one and
        their maps averaged).
    X : sktime panel or list of np.ndarray
        As for ``predict`` (numpy3D, pandas multiindex, df-list, ...), or a
        list of ``(n_channels, n_timepoints)`` arrays; unequal lengths allowed.
    target : None, class label, or sequence of labels, default None
        What to explain. ``None``: each series' predicted class (single
        output) or its most probable label (multi-label). A label of
        :func:`target_labels`: that class or label for every series. A list
        or array of labels, one per series. The explained quantity is the
        label's log-odds, ``log(p / (1 - p))``.
    method : {"occlusion", "gradcam", "integrated_gradients"}, default "occlusion"
        * ``"occlusion"``: Captum's occlusion, each lead's windows of
          ``window`` samples replaced in turn by zero (the training mean);
          a sample's attribution is the mean drop of the log-odds over the
          windows covering it. Signed. The largest deletion drop of the three
          on PTB-XL records (the default for that reason), and the slowest (``n_channels * 31`` forward
          passes per batch).
        * ``"gradcam"``: Grad-CAM (with ReLU) on the last EcoScale stage,
          linearly upsampled over the samples each cell pools (when), times
          the positive part of each lead's integrated gradients summed over a
          moving window of one cell (where in each lead), times each lead's
          drop of the log-odds when it is flattened (which lead). Non-negative;
          ``n_steps + 1`` forward and backward passes (9 by default) and
          ``n_channels + 1`` forward passes: several times faster than
          occlusion, and the most mass on the synthetic task's evidence.
        * ``"integrated_gradients"``: Captum's integrated gradients from a
          zero baseline in the network's input space: the training mean of
          each lead (``input_scaling="channel"``) or each series' own lead
          mean (``"series"``), averaged over ``samples`` noisy copies of the
          record (SmoothGrad) and over a moving window of ``window``
          samples of each lead. Signed; the attributions sum (up to the
          series' edges, and on average over the copies) to the target's
          log-odds minus that of the flat baseline.
    n_steps : int, optional
        Integration points of ``"integrated_gradients"`` (default 16 per
        copy) and of the lead factor of ``"gradcam"`` (default 8).
    window : int, optional
        Window of ``"occlusion"`` in samples (sliding by half of it; default
        ``n_timepoints // 16``), or of the moving average of
        ``"integrated_gradients"`` (default: the network's time resolution,
        ``prod(strides)`` samples for EcoScale-Net, 1 for OS-CNN;
        ``window=1`` gives the raw per-sample map).
    samples : int, optional
        Noisy copies of each record whose integrated gradients are averaged
        (default 8; noise of 0.2 training standard deviations, drawn from a
        fixed seed); ``samples=1`` is plain integrated gradients.
    batch_size : int, optional
        Series per forward/backward pass; default ``estimator.predict_batch_size``.

    Returns
    -------
    np.ndarray of shape (n_series, n_channels, n_timepoints), float32
        Aligned with ``X`` sample for sample. For unequal-length ``X``, a list
        of ``(n_channels, n_timepoints_i)`` arrays, each cropped back to its
        series' length.

    Raises
    ------
    ImportError
        If Captum is not installed (``pip install sktime-ecoscale[explain]``).
    ValueError
        For an unknown method or target, an option the method does not take,
        or an option that is not a whole number of at least 1.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> from sktime_ecoscale.explain import explain
    >>> X = np.random.default_rng(0).normal(size=(8, 3, 64))
    >>> y = np.array(["a", "b"] * 4)
    >>> clf = EcoScaleClassifier(widths=(4, 4, 4, 4), max_epochs=1, n_networks=1, device="cpu",
    ...                          random_state=0)
    >>> clf = clf.fit(X, y)
    >>> explain(clf, X[:2], target="b", method="gradcam").shape
    (2, 3, 64)
    >>> A = explain(clf, [X[0, :, :50], X[1]])  # unequal lengths: a list
    >>> [a.shape for a in A]
    [(3, 50), (3, 64)]
    """
    options = check_options(method, n_steps=n_steps, window=window, samples=samples)
    X = _as_panel(X)
    model = _score_model(estimator)
    x = estimator.prepare_input(X)
    batch = int(batch_size or estimator.predict_batch_size)
    device = next(model.parameters()).device
    out = np.empty(x.shape, dtype=np.float32)
    with _eval_mode(model):
        ranking = _probabilities(estimator, X) if target is None else np.zeros((len(x), 1))
        targets = resolve_targets(score_columns(estimator.target_encoder_), target, ranking)
        for s in _batches(len(x), batch):
            xb = torch.from_numpy(x[s]).to(device)
            tb = torch.from_numpy(targets[s]).to(device)
            out[s] = attribute(method, model, xb, tb, **options).float().cpu().numpy()
    lengths = _series_lengths(estimator, X, len(x), x.shape[-1])
    if all(n == x.shape[-1] for n in lengths):
        return out
    return [a[:, :n] for a, n in zip(out, lengths)]


def _as_panel(X):
    """A list of ``(n_channels, n_timepoints)`` arrays as numpy3D or sktime's df-list."""
    import pandas as pd

    if not (isinstance(X, list) and X and isinstance(X[0], np.ndarray)):
        return X
    series = [np.asarray(s) for s in X]
    if len({s.shape for s in series}) == 1:
        return np.stack(series)
    return [pd.DataFrame(np.asarray(s).T) for s in series]
