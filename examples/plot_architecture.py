"""
EcoScale-Net, explained in two figures
======================================

Both figures are drawn from the code itself: the first from an
:class:`~sktime_ecoscale.networks.EcoScaleNet` built for a 12-lead ECG of 4096
samples (CODE-15 %'s 400 Hz, 10 s), with the shapes measured by running a
batch through it; the second from
:func:`~sktime_ecoscale.networks.ecoscale_kernel_lists`, the one function that
decides the kernel sizes. No training: the script runs in seconds.
"""

# %%
# The network at 12 x 4096
# ------------------------
# Forward hooks record the output shape of the stem and of every stage. Each
# stage is residual basic blocks (the first strides by 2) followed by one
# EcoScale block, whose omni-scale layers use the stage's kernel list.
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import FancyBboxPatch

from sktime_ecoscale.networks import EcoScaleNet, ecoscale_kernel_lists

N_LEADS, LENGTH, N_CLASSES = 12, 4096, 6
net = EcoScaleNet(n_channels=N_LEADS, n_classes=N_CLASSES, seq_len=LENGTH).eval()

shapes = {}
parts = {"stem": net.stem, **{f"stage {i + 1}": s for i, s in enumerate(net.stages)}}
hooks = [
    module.register_forward_hook(lambda m, i, o, name=name: shapes.__setitem__(name, o.shape))
    for name, module in parts.items()
]
with torch.no_grad():
    net(torch.zeros(1, N_LEADS, LENGTH))
for hook in hooks:
    hook.remove()


def n_params(module):
    return sum(p.numel() for p in module.parameters())


boxes = [("input", f"{N_LEADS} leads\nx {LENGTH}", "", 0)]
boxes.append(
    (
        "stem",
        "conv k7 /2, BN, ReLU\nmax-pool k3 /2",
        f"{shapes['stem'][1]} x {shapes['stem'][2]}",
        n_params(net.stem),
    )
)
for i, stage in enumerate(net.stages):
    name = f"stage {i + 1}"
    c, length = shapes[name][1], shapes[name][2]
    kernels = net.kernel_lists[i]
    boxes.append(
        (
            name,
            f"{len(stage) - 1} basic block(s) /2\nEcoScale block\nK = {kernels}",
            f"{c} x {length}",
            n_params(stage),
        )
    )
boxes.append(("head", "global avg pool\nlinear", f"{N_CLASSES} logits", n_params(net.head)))

fig, ax = plt.subplots(figsize=(12, 4.2))
colors = ["#dddddd", "#c6dbef"] + ["#9ecae1", "#6baed6", "#4292c6", "#2171b5"] + ["#fdd0a2"]
for j, (title, body, out, params) in enumerate(boxes):
    x = j * 1.55
    ax.add_patch(
        FancyBboxPatch((x, 0), 1.3, 2.2, boxstyle="round,pad=0.03", fc=colors[j], ec="k", lw=0.8)
    )
    ax.text(x + 0.65, 1.95, title, ha="center", va="center", weight="bold", fontsize=10)
    ax.text(x + 0.65, 1.15, body, ha="center", va="center", fontsize=8)
    ax.text(x + 0.65, 0.3, out, ha="center", va="center", fontsize=9, family="monospace")
    if params:
        ax.text(x + 0.65, -0.25, f"{params / 1e3:,.0f} k params", ha="center", fontsize=8)
    if j:
        ax.annotate(
            "", xy=(x, 1.1), xytext=(x - 0.25, 1.1), arrowprops={"arrowstyle": "->", "lw": 1}
        )
ax.set(xlim=(-0.1, len(boxes) * 1.55), ylim=(-0.5, 2.4), aspect="equal")
ax.axis("off")
ax.set_title(
    f"EcoScale-Net, default widths {tuple(s[1] for k, s in shapes.items() if k != 'stem')}, "
    f"{n_params(net) / 1e6:.2f} M parameters; output shape (channels x length) "
    f"for a 12 x {LENGTH} input",
    fontsize=10,
)
fig.tight_layout()
plt.show()

# %%
# Inside an EcoScale block (stage width ``C``, kernel list ``K``, ``n = |K|``):
# a 1x1 residual projection; a 1x1 bottleneck to ``C/2``; an omni-scale layer
# (one 'same'-padded convolution per kernel size in ``K``, concatenated to
# ``n * C/2`` channels); a bottleneck to ``n * C/4``; a second omni-scale layer
# with ``K``; a bottleneck and a last omni-scale layer with kernels ``{1, 2}``;
# a 1x1 fusion; the residual is added. Its cost grows with ``n`` squared, which
# is why the kernel lists must stay short where the channels are many.
#
# The kernel-capping rule
# -----------------------
# A stage whose input is down-sampled ``D`` times sees a span of ``S`` input
# samples through ``S / D`` taps. EcoScale-Net caps each stage's longest
# kernel at ``max(2, S // D)`` with ``S = L / 32`` by default, and uses
# OS-CNN's kernel set below the cap: 1, 2 and the primes. Longer inputs get
# longer kernel lists; every stage of a short input falls back to ``{1, 2}``.
lengths = 2 ** np.arange(6, 15)
caps = np.array([[max(ks) for ks in ecoscale_kernel_lists(int(n))] for n in lengths])
sizes = np.array([[len(ks) for ks in ecoscale_kernel_lists(int(n))] for n in lengths])

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
for s, down in enumerate((8, 16, 32, 64)):
    ax1.plot(lengths, caps[:, s], marker="o", label=f"stage {s + 1} (down-sampled x{down})")
    ax2.plot(lengths, sizes[:, s], marker="o", label=f"stage {s + 1}")
for ax in (ax1, ax2):
    ax.set_xscale("log", base=2)
    ax.axvline(LENGTH, color="grey", ls="--", lw=0.8)
    ax.set_xlabel("input length L (samples)")
ax1.set_yscale("log", base=2)
ax1.set(ylabel="largest kernel (taps)", title="Largest kernel: prime <= cap = max(2, (L/32) // D)")
ax2.set(ylabel="kernel sizes in the list", title="Kernel-list length (cost grows with its square)")
ax1.legend(fontsize=8)
ax1.text(LENGTH, ax1.get_ylim()[1], " 4096", va="top", fontsize=8, color="grey")
fig.tight_layout()
plt.show()

# %%
# The lists themselves, for two common lengths (PTB-XL at 100 Hz and
# CODE-15 %):
for n in (1000, 4096):
    print(n, ecoscale_kernel_lists(n))
