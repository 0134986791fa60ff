"""Profile the networks at 12 x 4096 and write the table used in docs/performance.md.

(Named ``bench_profile.py``: a ``profile.py`` here would shadow the standard
library module of that name, which torch imports, for every script in this folder.)

Run::

    .venv/bin/python benchmarks/bench_profile.py [--threads 2] [--out results/profile]

Equivalent to ``ecoscale profile --shape 12x4096 --classes 6 --json PATH``, plus a
markdown file; the whole run takes a few minutes (OS-CNN is slow by design).
"""

from __future__ import annotations

import argparse
import json
import os

from sktime_ecoscale.profiling import profile, to_markdown


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--out", default="results/profile")
    args = parser.parse_args(argv)
    df = profile(
        shape=(12, 4096), n_classes=6, batch_size=64, threads=args.threads, repeats=args.repeats
    )
    table = to_markdown(df)
    print(table)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "profile.md"), "w") as fh:
        fh.write(table + "\n")
    with open(os.path.join(args.out, "profile.json"), "w") as fh:
        json.dump({"settings": df.attrs, "results": df.to_dict(orient="records")}, fh, indent=2)
    rows = df.set_index("model")
    if {"ecoscale", "omniscale"} <= set(rows.index):
        eco, os_cnn = rows.loc["ecoscale"], rows.loc["omniscale"]
        print(
            f"\nEcoScale / OS-CNN: params {100 * eco.params / os_cnn.params:.2f} %, "
            f"FLOPs {100 * eco.gflops / os_cnn.gflops:.3f} %"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
