"""Training throughput of EcoScale, OS-CNN and sktime's InceptionTime, in one run.

Three measurements, all next to the machine's fp32 matmul rate measured in the
same run:

1. optimiser steps of the networks (``profiling.profile_training``) at 12 x 1000
   and 12 x 4096, batch 32 and 128, 1 and 2 threads: series/s and the GFLOP/s
   that forward + backward achieve (OS-CNN: batch 32 at 12 x 1000 only);
2. whole fits of the classifiers (``profiling.fit_cost``): the marginal seconds
   per series-epoch of ``EcoScaleClassifier()`` (its default ensemble), one
   EcoScale network and ``InceptionTimeClassifierTorch``, 256 series of
   12 x 1000, batch 32;
3. where the time of an EcoScale training step goes (torch profiler, top ops by
   self CPU time).

Run (about 10 minutes on 2 cores; keep the machine otherwise idle)::

    .venv/bin/python benchmarks/bench_train_throughput.py --out results/train_throughput --docs

``--docs`` rewrites the block between ``<!-- train-throughput:begin -->`` and
``<!-- train-throughput:end -->`` in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

import pandas as pd
import torch

from sktime_ecoscale.profiling import fit_cost, profile_training, to_markdown
from sktime_ecoscale.profiling._models import build_model

DOCS = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
#: OS-CNN's kernels grow with the length: at 12 x 4096 one training step of batch 32
#: counts about 11.7 TFLOPs, about an hour at its measured rate, so it is timed at
#: 12 x 1000 only (its FLOPs per series at 12 x 4096 are in the inference table).
OMNISCALE_MAX_LENGTH = 1000
BEGIN, END = "<!-- train-throughput:begin -->", "<!-- train-throughput:end -->"


def profiler_table(shape=(12, 1000), batch=32, threads=2, steps=3, rows=12) -> str:
    """Top ops of a few EcoScale training steps by self CPU time (torch profiler)."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    torch.manual_seed(0)
    net, _ = build_model("ecoscale", shape[0], 5, shape[1])
    optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3, fused=True)
    x, y = torch.randn(batch, *shape), torch.randint(0, 5, (batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(net(x), y).backward()
        optimizer.step()

    torch.set_num_threads(threads)
    step()  # warm-up
    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    return prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="results/train_throughput")
    parser.add_argument("--steps", type=int, default=3, help="timed steps per cell (median)")
    parser.add_argument("--docs", action="store_true", help="update docs/performance.md")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    start = time.perf_counter()
    load_before = os.getloadavg()[0]
    frames = {}
    for shape in ((12, 1000), (12, 4096)):
        kwargs = dict(shape=shape, n_classes=5, steps=args.steps, budget_s=10.0)
        df = profile_training(models=("ecoscale", "inceptiontime"), **kwargs)
        if shape[1] <= OMNISCALE_MAX_LENGTH:  # OS-CNN: a few batches at the short shape only
            slow = profile_training(models=("omniscale",), batch_sizes=(32,), **kwargs)
            attrs = dict(df.attrs)
            df = pd.concat([df, slow], ignore_index=True)
            df.attrs = attrs  # the matmul rates of the first call (same run)
        frames[f"{shape[0]}x{shape[1]}"] = df
        print(to_markdown(df), flush=True)
    fits = fit_cost(n_series=256, shape=(12, 1000), n_classes=5, epochs=(1, 3), threads=2)
    print(to_markdown(fits), flush=True)
    table = profiler_table()
    print(table, flush=True)
    elapsed = time.perf_counter() - start
    load_after = os.getloadavg()[0]

    matmul = {k: df.attrs["matmul_gflop_s"] for k, df in frames.items()}
    per = fits.set_index("model")["s_per_series_epoch"]
    ratios = {
        name: float(per["inceptiontime"] / per[name])
        for name in ("ecoscale", "ecoscale-1")
        if name in per
    }
    flops = frames["12x1000"].drop_duplicates("model").set_index("model")
    flop_ratio = float(
        flops.loc["inceptiontime", "train_gflops_per_series"]
        / flops.loc["ecoscale", "train_gflops_per_series"]
    )
    summary = {
        "elapsed_s": elapsed,
        "loadavg": [load_before, load_after],
        "matmul_gflop_s": matmul,
        "fit_speedup_vs_inceptiontime": ratios,
        "train_flop_ratio_inceptiontime_over_ecoscale_12x1000": flop_ratio,
        "torch": torch.__version__,
    }
    with open(os.path.join(args.out, "train_throughput.json"), "w") as fh:
        json.dump(
            {
                "summary": summary,
                "steps": {k: df.to_dict(orient="records") for k, df in frames.items()},
                "fits": fits.to_dict(orient="records"),
            },
            fh,
            indent=2,
        )
    block = [BEGIN, ""]
    block.append(
        f"One run, {time.strftime('%Y-%m-%d')}, torch {torch.__version__}, {os.cpu_count()} CPUs, "
        f"load average {load_before:.2f} -> {load_after:.2f}, {elapsed / 60:.1f} min "
        "(`.venv/bin/python benchmarks/bench_train_throughput.py --docs`)."
    )
    for key, df in frames.items():
        rates = ", ".join(f"{t} thread(s) {r:.1f}" for t, r in df.attrs["matmul_gflop_s"].items())
        block += ["", f"Optimiser steps at {key} (fp32 matmul GFLOP/s: {rates}):", ""]
        block.append(to_markdown(df.drop(columns=["steps_timed"])))
    block += [
        "",
        "Whole fits, 256 random series of 12 x 1000, 5 classes, batch 32, 2 threads; "
        "marginal cost of one more epoch (fits of 1 and 3 epochs):",
        "",
        to_markdown(fits),
        "",
        "Per series-epoch, InceptionTimeClassifierTorch takes "
        + ", ".join(f"{r:.1f}x as long as `{n}`" for n, r in ratios.items())
        + f"; its training step counts {flop_ratio:.1f}x the FLOPs of one EcoScale network.",
        "",
        "Where an EcoScale training step goes (12 x 1000, batch 32, 2 threads, 3 steps; "
        "torch profiler, top ops by self CPU time):",
        "",
        "```",
        table.rstrip(),
        "```",
        "",
        END,
    ]
    text = "\n".join(block)
    with open(os.path.join(args.out, "train_throughput.md"), "w") as fh:
        fh.write(text + "\n")
    if args.docs:
        doc = DOCS.read_text()
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        if not pattern.search(doc):
            raise SystemExit(f"{DOCS} has no {BEGIN} ... {END} block")
        DOCS.write_text(pattern.sub(lambda _: text, doc))
        print(f"updated {DOCS}")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
