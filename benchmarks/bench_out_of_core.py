"""Peak memory of out-of-core training does not grow with the data set (issue 3).

Generates two CODE-15%-schema folders (``make_code15_like``: exams.csv +
exams_part*.hdf5 with (N, 4096, 12) float32 tracings), trains one epoch on each
with ``ecoscale train`` in a fresh process under ``/usr/bin/time -v``, and
prints the peak resident set sizes::

    .venv/bin/python benchmarks/bench_out_of_core.py [--sizes 500 3000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from sktime_ecoscale.datasets import make_code15_like


def peak_rss_mb(cmd: list[str]) -> float:
    """Run ``cmd`` under GNU time and return its maximum resident set size in MB."""
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=True)
    kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    return kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 3000])
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="ecoscale_ooc_"))
    results = {}
    for n in args.sizes:
        data = make_code15_like(work / f"code15_{n}", n_exams=n, n_parts=max(2, n // 500))
        size_mb = sum(f.stat().st_size for f in data.glob("*.hdf5")) / 2**20
        cmd = [
            sys.executable,
            "-m",
            "sktime_ecoscale.cli",
            "train",
            "--data",
            f"code15:{data}",
            "--out",
            str(work / f"model_{n}"),
            "--max-epochs",
            "1",
            "--widths",
            "8,8,16,16",
            "--valid-size",
            "0",
            "--device",
            "cpu",
            "--verbose",
            "0",
        ]
        results[n] = peak_rss_mb(cmd)
        print(
            f"{n:6d} exams ({size_mb:7.1f} MB of HDF5): peak RSS {results[n]:7.1f} MB", flush=True
        )
    small, large = results[min(results)], results[max(results)]
    print(f"largest / smallest peak RSS: {large / small:.3f} (criterion: <= 1.30)")


if __name__ == "__main__":
    main()
