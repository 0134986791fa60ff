"""ByteDropout: nn.Dropout's contract with a cheaper CPU mask."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from sktime_ecoscale.networks import ByteDropout, EcoScaleNet, fuse_for_inference

N = 1_000_000


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5])
def test_drop_rate_and_expectation(p):
    torch.manual_seed(0)
    out = ByteDropout(p)(torch.ones(N))
    q = round(256 * p) / 256  # the rounded drop probability
    dropped = float((out == 0).float().mean())
    # binomial standard deviation of the dropped fraction; 6 sigma cannot flake
    assert abs(dropped - q) < 6 * math.sqrt(q * (1 - q) / N)
    kept = out[out != 0]
    assert torch.allclose(kept, torch.full_like(kept, 1 / (1 - q)))
    # the expectation equals the input: mean within 6 sigma of 1
    assert abs(float(out.mean()) - 1.0) < 6 * math.sqrt(q / (1 - q) / N)


def test_bytes_are_independent_of_their_position_in_the_word():
    # each 32-bit word feeds four elements: each position must drop at the same rate
    torch.manual_seed(1)
    out = ByteDropout(0.5)(torch.ones(N)).view(-1, 4)
    rates = (out == 0).float().mean(dim=0)
    assert float((rates - 0.5).abs().max()) < 6 * math.sqrt(0.25 / (N / 4))


def test_eval_and_zero_p_draw_nothing_and_return_the_input():
    x = torch.randn(8, 3, 50)
    for module in (ByteDropout(0.3).eval(), ByteDropout(0.0).train()):
        torch.manual_seed(0)
        y = module(x)
        after = torch.rand(1)
        torch.manual_seed(0)
        assert torch.equal(y, x) and torch.equal(after, torch.rand(1))


def test_same_seed_same_mask_and_gradient_through_kept_elements():
    x = torch.randn(4, 6, 30, requires_grad=True)
    torch.manual_seed(3)
    a = ByteDropout(0.3)(x)
    torch.manual_seed(3)
    b = ByteDropout(0.3)(x)
    assert torch.equal(a, b)
    a.sum().backward()
    mask = (a != 0).to(x.dtype)
    assert torch.allclose(x.grad, mask * 256 / (256 - 77))


def test_ecoscale_uses_it_and_fusion_removes_it():
    net = EcoScaleNet(2, 3, seq_len=128, dropout=0.3).eval()
    drops = [m for m in net.modules() if isinstance(m, nn.Dropout)]
    assert drops and all(isinstance(m, ByteDropout) for m in drops)
    fused = fuse_for_inference(net)
    assert not any(isinstance(m, nn.Dropout) for m in fused.modules())
    x = torch.randn(5, 2, 128)
    with torch.no_grad():
        assert torch.allclose(fused(x), net(x), atol=1e-5)
