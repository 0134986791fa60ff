"""Training-time augmentation of standardised ECG batches.

Small random perturbations that keep the diagnosis: a circular time shift,
amplitude scaling per lead, additive Gaussian noise, dropping whole leads and
(optional) baseline wander, power-line hum, muscle noise, time stretch and
reduced lead sets.
They run on the batch tensor inside the training step, drawing from torch's
global generator, so a seeded fit is reproducible and a resumed fit continues
the same random stream.
"""

from __future__ import annotations

import torch
from sktime.base import BaseObject

__all__ = ["Augmenter", "resolve_augment"]


class Augmenter(BaseObject):
    """Batch augmentation for ``(N, C, L)`` tensors, a parameter object.

    As the value of an estimator's ``augment`` parameter its strengths are
    nested parameters, reachable by ``set_params`` and grid searches as
    ``augment__noise`` and so on.

    Parameters
    ----------
    max_shift : float, default 0.2
        Largest circular shift, as a fraction of the length.
    scale : float, default 0.3
        Amplitude factors are drawn from ``[1 - scale, 1 + scale]`` per lead.
    noise : float, default 0.1
        Standard deviation of the added Gaussian noise (input is standardised).
    lead_dropout : float, default 0.2
        Probability of zeroing each lead of a multi-lead series (never all).
    crop : float, default 0.0
        If > 0, train on random windows of this fraction of the length, one
        offset per series. The networks end in global average pooling, so
        prediction on the whole series averages what the windows learned.
    wander : float, default 0.0
        If > 0, add baseline wander: per lead, a sine of 0.5 to 3 cycles over
        the series (0.05-0.3 Hz over a 10 s ECG) with a random phase and an
        amplitude drawn from ``[0, wander]`` (input is standardised).
    lead_subsets : float, default 0.0
        Probability, per series of a multi-lead batch, of keeping only a
        random subset of its leads (``k`` of ``C`` leads, ``k`` uniform in
        ``1 .. C - 1``, every subset of that size alike) and zeroing the
        rest, the way a missing lead reaches the network at predict time.
        Independent lead dropout rarely leaves a series with two or three
        leads; this prepares one 12-lead model for the reduced lead sets of
        the PhysioNet/CinC Challenge 2021 (6, 4, 3 and 2 leads). Series it
        picks skip ``lead_dropout``.
    hum : float, default 0.0
        If > 0, add power-line interference: per series a 50 or 60 Hz sine
        (random phase, the same on every lead) of amplitude drawn from
        ``[0, hum]``, at the series' sampling rate ``fs`` (set by the
        estimators from their fitted ``fs_``; unknown: the series is taken
        as 10 s long, the ECG convention). Above the Nyquist frequency it
        aliases, as it does in a recording.
    muscle : float, default 0.0
        If > 0, add muscle (EMG) noise: white noise, high-passed by a first
        difference, in one burst per series and lead covering 10-50 % of
        the series, of standard deviation drawn from ``[0, muscle]``.
    stretch : float, default 0.0
        If > 0, stretch the batch in time by a factor drawn from
        ``[1 - stretch, 1 + stretch]`` (one per batch, linear interpolation),
        then crop or zero-pad back to its length: heart rates a little
        faster or slower.

    Examples
    --------
    The estimators build one from their ``augment`` parameter (``True`` or a
    dict of fields); called on a batch it returns the perturbed batch:

    >>> import torch
    >>> from sktime_ecoscale.classification import Augmenter
    >>> _ = torch.manual_seed(0)
    >>> augment = Augmenter(noise=0.05, crop=0.5)
    >>> augment(torch.randn(8, 12, 100)).shape
    torch.Size([8, 12, 50])
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> clf = EcoScaleClassifier(augment=Augmenter()).set_params(augment__noise=0.02)
    >>> clf.get_params()["augment__noise"]
    0.02
    """

    def __init__(
        self,
        max_shift: float = 0.2,
        scale: float = 0.3,
        noise: float = 0.1,
        lead_dropout: float = 0.2,
        crop: float = 0.0,
        wander: float = 0.0,
        lead_subsets: float = 0.0,
        hum: float = 0.0,
        muscle: float = 0.0,
        stretch: float = 0.0,
    ):
        self.max_shift = max_shift
        self.scale = scale
        self.noise = noise
        self.lead_dropout = lead_dropout
        self.crop = crop
        self.wander = wander
        self.lead_subsets = lead_subsets
        self.hum = hum
        self.muscle = muscle
        self.stretch = stretch
        self.fs = None  # the series' sampling rate (Hz), set by the estimators; not a parameter
        super().__init__()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        n, c, length = x.shape
        if 0 < self.crop < 1 and length > 1:
            window = max(1, int(round(self.crop * length)))
            starts = torch.randint(0, length - window + 1, (n,)).tolist()
            x = torch.stack([x[i, :, s : s + window] for i, s in enumerate(starts)])
            length = window
        if self.max_shift > 0 and length > 1:
            # one shift per batch keeps this a single cheap roll
            max_steps = max(1, int(self.max_shift * length))
            shift = int(torch.randint(-max_steps, max_steps + 1, (1,)))
            x = torch.roll(x, shifts=shift, dims=2)
        if self.scale > 0:
            factors = 1.0 + (torch.rand(n, c, 1) * 2.0 - 1.0) * self.scale
            x = x * factors.to(x.device, x.dtype)
        if self.noise > 0:
            x = x + torch.randn(x.shape).to(x.device, x.dtype) * self.noise
        if self.wander > 0:  # drawn only when asked: other strengths keep their random stream
            cycles = 0.5 + 2.5 * torch.rand(n, c, 1)
            phase = 2 * torch.pi * torch.rand(n, c, 1)
            amplitude = self.wander * torch.rand(n, c, 1)
            t = torch.linspace(0.0, 1.0, length).view(1, 1, length)
            x = x + (amplitude * torch.sin(2 * torch.pi * cycles * t + phase)).to(x.device, x.dtype)
        # drawn only when asked, like wander: other strengths keep their random stream
        if self.stretch > 0 and length > 1:
            x = _stretch(x, 1.0 + (2.0 * float(torch.rand(1)) - 1.0) * self.stretch)
        if self.hum > 0:
            fs = getattr(self, "fs", None) or length / 10.0
            freq = torch.where(torch.rand(n, 1, 1) < 0.5, 50.0, 60.0)
            phase = 2 * torch.pi * torch.rand(n, 1, 1)
            amplitude = self.hum * torch.rand(n, 1, 1)
            t = torch.arange(length, dtype=torch.float32).view(1, 1, length) / fs
            hum = amplitude * torch.sin(2 * torch.pi * freq * t + phase)
            x = x + hum.to(x.device, x.dtype)
        if self.muscle > 0 and length > 2:
            white = torch.randn(n, c, length + 1)
            emg = (white[..., 1:] - white[..., :-1]) / 2**0.5  # high-passed, unit variance
            widths = (length * (0.1 + 0.4 * torch.rand(n, c, 1))).long()
            starts = (torch.rand(n, c, 1) * (length - widths + 1)).long()
            steps = torch.arange(length).view(1, 1, length)
            burst = ((steps >= starts) & (steps < starts + widths)).float()
            level = self.muscle * torch.rand(n, c, 1)
            x = x + (level * burst * emg).to(x.device, x.dtype)
        subset = torch.zeros(n, dtype=torch.bool)
        if self.lead_subsets > 0 and c > 1:  # drawn only when asked, like wander
            subset = torch.rand(n) < self.lead_subsets
            sizes = torch.randint(1, c, (n, 1))  # k of c leads kept, 1 <= k < c
            ranks = torch.rand(n, c).argsort(dim=1).argsort(dim=1)  # a random order per series
            keep = (ranks < sizes) | ~subset[:, None]
            x = x * keep[:, :, None].to(x.device, x.dtype)
        if self.lead_dropout > 0 and c > 1:
            keep = (torch.rand(n, c, 1) >= self.lead_dropout).to(x.dtype)
            keep[keep.sum(dim=1).squeeze(-1) == 0] = 1.0  # never drop every lead
            keep[subset] = 1.0  # these series lost their leads to a subset already
            x = x * keep.to(x.device)
        return x

    def to_dict(self) -> dict:
        """The strengths as a plain dict (what the training budget and model files store)."""
        return self.get_params(deep=False)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.to_dict() == self.to_dict()

    __hash__ = None  # mutable through set_params


def _stretch(x: torch.Tensor, factor: float) -> torch.Tensor:
    """Resample ``x`` to ``factor`` times its length, then crop or zero-pad it back."""
    length = x.shape[-1]
    new_length = max(2, int(round(length * factor)))
    y = torch.nn.functional.interpolate(x, size=new_length, mode="linear", align_corners=True)
    if new_length >= length:
        return y[..., :length]
    return torch.nn.functional.pad(y, (0, length - new_length))


def resolve_augment(augment, fs: float | None = None) -> Augmenter | None:
    """Turn the estimator's ``augment`` parameter into an :class:`Augmenter` or None.

    ``True`` gives the defaults, ``False``/``None`` none, a dict overrides
    fields, an :class:`Augmenter` is copied. ``fs``: the series' sampling rate
    (Hz), what ``hum`` needs.
    """
    if augment is None or augment is False:
        return None
    if augment is True:
        return _with_rate(Augmenter(), fs)
    if isinstance(augment, Augmenter):
        augment = augment.to_dict()
    if isinstance(augment, dict):
        allowed = Augmenter.get_param_names()
        unknown = set(augment) - set(allowed)
        if unknown:
            raise ValueError(
                f"augment has unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}."
            )
        return _with_rate(Augmenter(**augment), fs)
    raise TypeError(
        f"augment must be a bool, a dict or an Augmenter, got {type(augment).__name__}."
    )


#: Upper bounds of the strengths (inclusive unless noted): fractions and
#: probabilities stop at 1; a scale or stretch of 1 or more would flip or
#: collapse the series, and dropping a lead with probability 1 leaves none.
_UPPER = {"max_shift": 1.0, "crop": 1.0, "scale": 1.0, "stretch": 1.0}
_BELOW_ONE = ("lead_dropout", "lead_subsets", "stretch")


def _check_strengths(augmenter: Augmenter) -> None:
    """Raise a ValueError naming any strength that is not a number in its range."""
    for name, value in augmenter.get_params(deep=False).items():
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok or not (value >= 0 and value == value and value != float("inf")):
            raise ValueError(f"augment[{name!r}] must be a number >= 0, got {value!r}.")
        if name in _BELOW_ONE and value >= 1:
            raise ValueError(f"augment[{name!r}] must be below 1, got {value!r}.")
        if name in _UPPER and value > _UPPER[name]:
            raise ValueError(f"augment[{name!r}] must be at most {_UPPER[name]}, got {value!r}.")


def _with_rate(augmenter: Augmenter, fs: float | None) -> Augmenter:
    _check_strengths(augmenter)
    augmenter.fs = fs
    return augmenter
