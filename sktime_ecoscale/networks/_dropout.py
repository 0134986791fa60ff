"""Dropout whose random mask is cheap to draw on the CPU."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["ByteDropout"]

#: Levels of the byte mask: the drop probability is rounded to a multiple of 1/256.
_LEVELS = 256


class ByteDropout(nn.Dropout):
    """Element-wise dropout that draws one random byte per element on the CPU.

    ``nn.Dropout`` on the CPU draws one 32-bit random number per element
    (``bernoulli_``), and the generator, not the arithmetic, is the cost:
    in the profile of an EcoScale training step at 12 x 1000 it took 22 % of
    the step (docs/performance.md). This module draws 32-bit integers for a
    quarter of the elements and reads each as four independent bytes: an
    element is dropped where its byte is below ``round(256 p)``, and the
    kept ones are scaled by ``256 / (256 - round(256 p))``, so the output's
    expectation equals the input exactly. The drop probability is therefore
    ``p`` rounded to a multiple of 1/256 (0.3 becomes 77/256 = 0.3008).

    Everywhere else it *is* ``nn.Dropout``, with ``p`` unrounded: in eval
    mode, with ``p = 0`` (no random numbers drawn), where ``256 p`` rounds to
    0 or 256 (``p < 1/512`` or ``p >= 511/512``), and on other devices (where
    torch's own kernel is fast, so a CUDA fit drops at exactly ``p``). The mask draws from torch's global generator, so a
    seeded fit is reproducible and a resumed fit continues the same stream.

    Parameters
    ----------
    p : float, default 0.5
        Drop probability, in [0, 1).
    inplace : bool, default False
        Accepted for compatibility with ``nn.Dropout``; the CPU path never
        works in place.

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import ByteDropout
    >>> _ = torch.manual_seed(0)
    >>> drop = ByteDropout(0.25)
    >>> y = drop(torch.ones(100, 1000))
    >>> sorted(set(y.unique().tolist()))  # dropped, or scaled by 256 / (256 - 64)
    [0.0, 1.3333333730697632]
    >>> round(float((y == 0).float().mean()), 2)
    0.25
    >>> torch.equal(drop.eval()(y), y)  # eval mode: the identity
    True
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        drop = int(round(self.p * _LEVELS))
        if not self.training or drop == 0 or x.device.type != "cpu" or drop >= _LEVELS:
            return super().forward(x)
        n = x.numel()
        words = torch.randint(-(2**31), 2**31 - 1, ((n + 3) // 4,), dtype=torch.int32)
        bytes_ = words.view(torch.uint8)[:n].view(x.shape)
        scale = _LEVELS / (_LEVELS - drop)
        return x * (bytes_ >= drop).to(x.dtype) * scale
